/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Bulk jobs against the core alone: a WagSession driven by a recording view
 * and the in-process vendor emulator, without libpurple or fixed sleeps.
 * Apart from test-session.c because retries back off for seconds, and meson
 * runs the two side by side. */
#include "session-view.h"
#include "wag-check.h"
#include "wag-store.h"
#include <string.h>

#define login sv_login
#define read_state sv_read_state
#define ids sv_ids

static void
test_kick_job(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc);
	g_autoptr(GPtrArray) who = ids(FX_MEMBER, NULL);

	g_assert_true(sv_open(r, vc->group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, "spamming links");
	g_assert_true(sv_wait_line(r, "Removed 1 of 1.", 3000));
	g_assert_cmpuint(wag_emu_count(emu, "POST", vc->remove_path), ==, 1);
	g_assert_false(wag_emu_has_participant(emu, vc->group, FX_MEMBER));
	/* Through the one apply path: the model, then the view. */
	g_assert_cmpint(sv_role(r, vc->group, FX_MEMBER), ==, -1);
	g_assert_cmpuint(sv_count(r, "membership participant_removed"), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
test_audit_log(gconstpointer data)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc);
	g_autoptr(GPtrArray) who = ids(FX_MEMBER, NULL);
	g_autofree char *audit = NULL;

	g_assert_true(sv_open(r, vc->group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, "spamming links");
	g_assert_true(sv_wait_line(r, "Removed 1 of 1.", 3000));
	/* The audit line names the call and its reason, never a secret. */
	wag_store_flush();
	audit = read_state(r, "audit.log");
	g_assert_nonnull(strstr(audit, "\"action\":\"remove\",\"targets\":[\"" FX_MEMBER "\"],\"reason\":\"spamming links\",\"result\":\"ok\""));
	g_assert_nonnull(strstr(audit, "\"group\":\"" "120363019502650977-group" "\""));
	fx_assert_no_secret(audit);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* 4xx is final; 429 and 5xx are retried with backoff, said once per try. */
static void
test_job_errors(gconstpointer data)
{
	const VendorCase *vc = data;
	static const struct { guint status; const char *body; const char *words; } finals[] = {
		{ 405, "{\"error\": \"Method Not Allowed\"}", "wrong HTTP method (405)" },
		{ 415, "{\"error\": \"Unsupported Media Type\"}", "missing content type (415)" },
		{ 400, "{\"error\": \"Invalid phone\"}", "bad request data (400): Invalid phone" },
	};
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	char phone[32];

	for (int i = 1; i <= 5; i++) {
		g_snprintf(phone, sizeof phone, "554490000000%d", i);
		wag_emu_add_participant(emu, vc->group, phone, "member");
	}
	r = login(emu, vc);
	g_assert_true(sv_open(r, vc->group, 3000));
	for (guint i = 0; i < G_N_ELEMENTS(finals); i++) {
		guint before = wag_emu_count(emu, "POST", vc->remove_path);
		g_autoptr(GPtrArray) one = NULL;
		g_snprintf(phone, sizeof phone, "554490000000%u", i + 1);
		one = ids(phone, NULL);
		sv_clear(r);
		wag_emu_fail_next(emu, vc->remove_path, finals[i].status, finals[i].body);
		wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, one, NULL);
		g_assert_true(sv_wait_line(r, "Removed 0 of 1.", 3000));
		g_assert_cmpuint(sv_count(r, finals[i].words), ==, 1);
		g_assert_cmpuint(wag_emu_count(emu, "POST", vc->remove_path), ==, before + 1); /* not retried */
		g_assert_cmpint(sv_role(r, vc->group, phone), ==, WAG_ROLE_MEMBER);
	}
	{
		g_autoptr(GPtrArray) one = ids("5544900000004", NULL);
		sv_clear(r);
		wag_emu_fail_next(emu, vc->remove_path, 429, "{\"error\": \"Too Many Requests\"}");
		wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, one, NULL);
		g_assert_true(sv_wait_line(r, "rate limited", 3000));
		g_assert_true(sv_wait_line(r, "Trying again in 1 s", 3000));
		/* The vendor's words end without a full stop: the retry is a sentence of its own. */
		g_assert_cmpuint(sv_count(r, "Too Many Requests. Trying again in 1 s."), ==, 1);
		g_assert_true(sv_wait_line(r, "Removed 1 of 1.", 4000));
		g_assert_false(wag_emu_has_participant(emu, vc->group, "5544900000004"));
	}
	{
		g_autoptr(GPtrArray) one = ids("5544900000005", NULL);
		sv_clear(r);
		wag_emu_fail_next(emu, vc->remove_path, 500, "{\"error\": \"Internal Server Error\"}");
		wag_emu_fail_next(emu, vc->remove_path, 502, "<html>Bad Gateway</html>");
		wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, one, NULL);
		g_assert_true(sv_wait_line(r, "down or failing", 3000));
		g_assert_true(sv_wait_line(r, "Removed 1 of 1.", 6000));
		g_assert_cmpuint(sv_count(r, "Trying again"), ==, 2);
	}
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

typedef struct {
	WagEmu *emu;
	const char *path;
	guint n;
} CountWait;

static gboolean
calls_reached(gpointer data)
{
	CountWait *w = data;
	return wag_emu_count(w->emu, "POST", w->path) >= w->n;
}

/* A bulk kick interrupted by the end of the session resumes in the next
 * one: already-removed phones are not sent again, none is lost. */
static void
test_bulk_resume(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *state = NULL;
	g_autofree char *jobs = NULL;
	g_autofree char *jobs_file = NULL;
	g_autofree char *audit = NULL;
	g_autofree char *file = g_strdup_printf("%s-%s.json", vc->vendor, FX_INSTANCE);
	g_autofree char *shown = g_strdup_printf("show %s", vc->group);
	CountWait w = { emu, vc->remove_path, vc == &fx_green ? 8 : 1 };
	guint sent;
	SvRec *r;

	for (int i = 1; i <= 25; i++) {
		char phone[32];
		g_snprintf(phone, sizeof phone, "55449000%05d", i);
		wag_emu_add_participant(emu, vc->group, phone, "member");
		g_ptr_array_add(who, g_strdup(phone));
	}
	/* 600 a minute: Green API one phone each 100 ms; Z-API and Wawp
	 * batches of 10 each second. */
	c.removals_per_minute = 600;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, "cleanup");
	g_assert_true(sv_wait(calls_reached, &w, 5000));
	g_assert_true(sv_wait_line(r, vc == &fx_green ? "Removed 3 of 25." : "Removed 10 of 25.", 3000));
	state = g_strdup(r->state_dir);
	sv_free(r, TRUE);
	sent = wag_emu_count(emu, "POST", vc->remove_path);
	g_assert_cmpuint(sent, <, vc == &fx_green ? 25 : 3);
	/* What is left is on disk, and nothing is sent without a session. */
	jobs_file = g_build_filename(state, "jobs", file, NULL);
	g_assert_true(g_file_get_contents(jobs_file, &jobs, NULL, NULL));
	g_assert_nonnull(strstr(jobs, "\"action\" : \"remove\""));
	g_assert_nonnull(strstr(jobs, "5544900000025"));

	/* The next session of the same account carries on where it stopped. */
	r = sv_start(&c, state);
	g_assert_true(sv_wait_line(r, shown, 5000));
	g_assert_true(sv_wait_line(r, "Resuming after reconnect", 5000));
	g_assert_true(sv_wait_line(r, "Removed 25 of 25.", 10000));
	if (vc != &fx_green)
		g_assert_cmpuint(wag_emu_count(emu, "POST", vc->remove_path), ==, 3); /* 10 + 10 + 5 */
	for (guint i = 0; i < who->len; i++)
		g_assert_false(wag_emu_has_participant(emu, vc->group, who->pdata[i]));
	wag_store_flush();
	g_assert_false(g_file_test(jobs_file, G_FILE_TEST_EXISTS)); /* done: nothing pending */
	audit = read_state(r, "audit.log");
	g_assert_nonnull(strstr(audit, "\"reason\":\"cleanup\""));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Every source of membership news ends in the one apply path. */

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint v = 0; fx_vendors[v]; v++) {
		g_autofree char *k = g_strdup_printf("/jobs/%s/kick", fx_vendors[v]->vendor);
		g_autofree char *e = g_strdup_printf("/jobs/%s/errors", fx_vendors[v]->vendor);
		g_autofree char *b = g_strdup_printf("/jobs/%s/bulk-25-resume", fx_vendors[v]->vendor);
		g_test_add_data_func(k, fx_vendors[v], test_kick_job);
		g_test_add_data_func(e, fx_vendors[v], test_job_errors);
		g_test_add_data_func(b, fx_vendors[v], test_bulk_resume);
	}
	g_test_add_data_func("/jobs/zapi/audit-log", NULL, test_audit_log);
	return g_test_run();
}
