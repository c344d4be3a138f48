/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Issue 15, bulk jobs at the session's level: a 5xx storm pauses a job
 * (saved across a restart), summaries stay short, a "not an admin" stops a
 * job, and the audit log misses no call across many closes and reopens.
 * A recording view and the vendor emulator; no fixed sleeps. */
#include "session-view.h"
#include "wire-helpers.h"
#include "wag-store.h"
#include <string.h>

/* ---- bulk jobs: storms, summaries, refusals ---- */

static GPtrArray *
phones(WagEmu *emu, const char *group, guint n, guint base)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		g_autofree char *phone = g_strdup_printf("55449%08u", base + i);
		if (emu)
			wag_emu_add_participant(emu, group, phone, "member");
		g_ptr_array_add(a, g_steal_pointer(&phone));
	}
	return a;
}

static char *
state_file(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	char *text = NULL;
	wag_store_flush();
	g_file_get_contents(path, &text, NULL, NULL);
	return text ? text : g_strdup("");
}

/* A 5xx storm: after 5 failed calls in a row the job pauses (said once),
 * the pause survives a restart, and then the job carries on by itself. */
static void
test_storm_pause(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 12, 1);
	g_autofree char *file = g_strdup_printf("jobs/%s-%s.json", vc->vendor, FX_INSTANCE);
	g_autofree char *jobs = NULL;
	g_autofree char *state = NULL;
	GPtrArray *reqs;
	gint64 fifth = 0, sixth = 0;
	guint n = 0;
	SvRec *r;

	c.storm_pause_ms = 2000;
	c.removals_per_minute = 0; /* Green API: one phone a call, 10 a second at most */
	wag_emu_fail_times(emu, vc->remove_path, 5, 502, "<html>Bad Gateway</html>");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, "storm");
	g_assert_true(sv_wait_line(r, "The job is paused", 25000));
	g_assert_cmpuint(sv_count(r, "Trying again"), ==, 4);
	g_assert_cmpuint(sv_count(r, "5 calls in a row failed"), ==, 1);
	g_assert_cmpuint(sv_count(r, "Not done"), ==, 0);
	jobs = state_file(r->state_dir, file);
	g_assert_nonnull(strstr(jobs, "\"paused_until\""));
	state = g_strdup(r->state_dir);
	sv_free(r, TRUE);

	/* A restart keeps the pause, then goes on; the storm is over. */
	r = sv_start(&c, state);
	g_assert_true(sv_wait_line(r, "Removed 12 of 12.", 20000));
	g_assert_cmpuint(sv_count(r, "calls in a row failed"), ==, 0);
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len; i++)
		if (strstr(((WagEmuRequest *) reqs->pdata[i])->path, vc->remove_path) && ++n >= 5) {
			if (n == 5)
				fifth = ((WagEmuRequest *) reqs->pdata[i])->when;
			else if (n == 6)
				sixth = ((WagEmuRequest *) reqs->pdata[i])->when;
		}
	g_assert_cmpint((sixth - fifth) / 1000, >=, 2000);
	for (guint i = 0; i < who->len; i++)
		g_assert_false(wag_emu_has_participant(emu, vc->group, who->pdata[i]));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A 500-phone kick that fails: the summary names 20 phones, then "and 480 more". */
static void
test_summary_cap(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 500, 1);
	WagSessionConfig c = sv_config(emu, vc);
	const char *summary = NULL;
	SvRec *r;

	c.removals_per_minute = 0; /* batches of 50, no drip */
	r = wire_login(emu, vc, &c);

	g_assert_true(sv_open(r, vc->group, 3000));
	wag_emu_fail_times(emu, vc->remove_path, 10, 400, "{\"error\": \"Invalid phone\"}");
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Removed 0 of 500. Not done", 10000));
	for (guint i = 0; i < r->lines->len; i++)
		if (strstr(r->lines->pdata[i], "Removed 0 of 500. Not done"))
			summary = r->lines->pdata[i];
	g_assert_nonnull(strstr(summary, (char *) who->pdata[19]));
	g_assert_null(strstr(summary, (char *) who->pdata[20]));
	g_assert_nonnull(strstr(summary, " and 480 more: Z-API: bad request data (400): Invalid phone"));
	g_assert_cmpuint(strlen(summary), <, 600);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Wawp's 403: this account is not an admin; the job stops at once, said plainly. */
static void
test_not_admin(void)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 3, 1);
	SvRec *r;

	c.removals_per_minute = 60; /* one phone a call */
	r = wire_login(emu, vc, &c);
	g_assert_true(sv_open(r, vc->group, 3000));
	wag_emu_fail_next(emu, vc->remove_path, 403, "{\"status\": 403, \"message\": \"Forbidden\", \"error\": \"forbidden\"}");
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Removed 0 of 3.", 5000));
	g_assert_cmpuint(sv_count(r, "error " "120363055555555555@g.us: Removed 0 of 3. Not done: 5544900000001, 5544900000002, "
	                         "5544900000003: Wawp: this account is not an admin of the group (403)"), ==, 1);
	g_assert_cmpuint(wag_emu_count(emu, "POST", vc->remove_path), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* ---- the audit log misses no call ---- */

typedef struct {
	SvRec *r;
	WagEmu *emu;
	const char *path;
	guint calls;
} CycleWait;

static gboolean
cycle_done(gpointer data)
{
	CycleWait *w = data;
	return wag_emu_count(w->emu, "POST", w->path) >= w->calls || sv_count(w->r, "Removed 60 of 60.") > 0;
}

/* The phone a Green API removal call named ("participantChatId": "…@c.us"). */
static char *
removal_phone(const WagEmuRequest *q)
{
	g_autoptr(JsonNode) body = json_from_string(q->body, NULL);
	const char *chat = json_object_get_string_member(json_node_get_object(body), "participantChatId");
	return g_strndup(chat, strcspn(chat, "@"));
}

/* Many quick closes and reopens in the middle of a 60-phone kick, against
 * one vendor: every phone the vendor received a removal call for has an
 * audit line with a result, and every phone of the job ends removed (ok),
 * found gone on resume (already_gone) or reported not done. */
static void
test_audit_cycles(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 60, 1);
	g_autoptr(GHashTable) results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) lines = NULL;
	g_autofree char *state = NULL;
	g_autofree char *audit = NULL;
	GPtrArray *reqs;
	guint unknown = 0, gone = 0;
	SvRec *r;

	c.removals_per_minute = 0;
	/* Answers take a while: a close often cuts a call the vendor already did. */
	wag_emu_delay(emu, vc->remove_path, 40);
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, "cycles");
	for (guint cycle = 0; cycle < 25; cycle++) {
		CycleWait w = { r, emu, vc->remove_path, wag_emu_count(emu, "POST", vc->remove_path) + 1 + cycle % 3 };
		g_assert_true(sv_wait(cycle_done, &w, 8000));
		if (sv_count(r, "Removed 60 of 60."))
			break;
		g_free(state);
		state = g_strdup(r->state_dir);
		sv_free(r, TRUE);
		r = sv_start(&c, state);
	}
	g_assert_true(sv_wait_line(r, "Removed 60 of 60.", 20000));
	g_assert_cmpuint(sv_count(r, "Not done"), ==, 0);
	audit = state_file(r->state_dir, "audit.log");
	sv_free(r, FALSE);

	/* phone -> the results of its audit lines, in order */
	lines = g_strsplit(audit, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_autoptr(JsonNode) node = json_from_string(lines[i], NULL);
		JsonObject *o;
		JsonArray *targets;
		const char *result;
		if (!node)
			continue;
		o = json_node_get_object(node);
		targets = json_object_get_array_member(o, "targets");
		result = json_object_get_string_member(o, "result");
		unknown += g_str_equal(result, "unknown");
		gone += g_str_equal(result, "already_gone");
		for (guint j = 0; j < json_array_get_length(targets); j++) {
			const char *phone = json_array_get_string_element(targets, j);
			const char *was = g_hash_table_lookup(results, phone);
			g_hash_table_insert(results, g_strdup(phone), g_strconcat(was ? was : "", result, " ", NULL));
		}
	}
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		g_autofree char *phone = NULL;
		if (!strstr(q->path, vc->remove_path))
			continue;
		phone = removal_phone(q);
		if (!g_hash_table_contains(results, phone))
			g_error("the vendor received a removal of %s; the audit log has no line for it", phone);
	}
	for (guint i = 0; i < who->len; i++) {
		const char *said = g_hash_table_lookup(results, who->pdata[i]);
		g_assert_false(wag_emu_has_participant(emu, vc->group, who->pdata[i]));
		if (!said || !(strstr(said, "ok ") || strstr(said, "already_gone ")))
			g_error("%s: removed, but the audit log says only \"%s\"", (char *) who->pdata[i], said ? said : "");
	}
	/* The cycles did cut calls off, and the resumes found their phones gone. */
	g_assert_cmpuint(unknown, >, 0);
	g_assert_cmpuint(gone, >, 0);
	wag_emu_free(emu);
}


int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wire-jobs/greenapi/storm-pause-persisted", test_storm_pause);
	g_test_add_func("/wire-jobs/zapi/summary-500-phones", test_summary_cap);
	g_test_add_func("/wire-jobs/wawp/not-admin-stops-job", test_not_admin);
	g_test_add_func("/wire-jobs/greenapi/audit-close-reopen-cycles", test_audit_cycles);
	return g_test_run();
}
