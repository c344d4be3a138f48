/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The audit log, for every kind of action a user can take: one line per
 * vendor call, each with its result, none with a token. */
#include "session-view.h"
#include "wag-store.h"
#include <string.h>

typedef struct {
	SvRec *r;
	guint lines;
} AuditWait;

static char *
read_audit(SvRec *r)
{
	g_autofree char *path = g_build_filename(r->state_dir, "audit.log", NULL);
	char *text = NULL;

	wag_store_flush();
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return g_strdup("");
	return text;
}

static guint
count_lines(const char *text)
{
	guint n = 0;
	for (const char *p = text; (p = strchr(p, '\n')); p++)
		n++;
	return n;
}

static gboolean
audit_has(gpointer data)
{
	AuditWait *w = data;
	g_autofree char *text = read_audit(w->r);
	return count_lines(text) >= w->lines;
}

static GPtrArray *
ids(const char *first, ...)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	va_list ap;

	va_start(ap, first);
	for (const char *id = first; id; id = va_arg(ap, const char *))
		g_ptr_array_add(a, g_strdup(id));
	va_end(ap);
	return a;
}

static void
expect(AuditWait *w, const char *action)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autofree char *want = g_strdup_printf("\"action\":\"%s\"", action);

	w->lines++;
	if (!sv_wait(audit_has, w, 5000)) {
		g_autofree char *seen = read_audit(w->r);
		for (guint i = 0; i < w->r->lines->len; i++)
			g_test_message("seen: %s", (char *) w->r->lines->pdata[i]);
		g_error("no audit line for %s; the log:\n%s", action, seen);
	}
	text = read_audit(w->r);
	lines = g_strsplit(text, "\n", -1);
	g_assert_cmpuint(count_lines(text), ==, w->lines); /* one line for one call */
	g_assert_nonnull(strstr(lines[w->lines - 1], want));
	g_assert_nonnull(strstr(lines[w->lines - 1], "\"result\":\"ok\""));
	fx_assert_no_secret(text);
}

static void
job(AuditWait *w, WagAction action, const char *group, GPtrArray *who)
{
	wag_session_start_job(w->r->s, action, group, who, action == WAG_ACTION_REMOVE ? "spam" : NULL);
	if (who)
		g_ptr_array_unref(who);
	expect(w, wag_vendor_action_name(action));
}

static void
edit(AuditWait *w, const char *group, WagEdit e, const char *action)
{
	wag_session_edit(w->r->s, group, &e);
	expect(w, action);
}

static void
test_every_action(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	AuditWait w = { 0 };

	/* Z-API sets all four settings in one call: the group data must say them. */
	wag_emu_set_setting(emu, vc->group, "announce", FALSE);
	wag_emu_set_setting(emu, vc->group, "locked", FALSE);
	wag_emu_set_setting(emu, vc->group, "approval", FALSE);
	wag_emu_set_setting(emu, vc->group, "add", FALSE);
	c.removals_per_minute = 0;
	c.adds_per_minute = 0;
	w.r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(w.r, 5000));
	g_assert_true(sv_open(w.r, vc->group, 3000));
	wag_emu_add_request(emu, vc->group, "5544911111111");
	wag_emu_add_request(emu, vc->group, "5544922222222");

	job(&w, WAG_ACTION_REMOVE, vc->group, ids(FX_MEMBER, NULL));
	job(&w, WAG_ACTION_APPROVE, vc->group, ids("5544911111111", NULL));
	job(&w, WAG_ACTION_REJECT, vc->group, ids("5544922222222", NULL));
	job(&w, WAG_ACTION_ADD, vc->group, ids("5544933333333", NULL));
	job(&w, WAG_ACTION_PROMOTE, vc->group, ids(FX_MEMBER2, NULL));
	job(&w, WAG_ACTION_DEMOTE, vc->group, ids(FX_MEMBER2, NULL));
	job(&w, WAG_ACTION_UNLINK, vc->community, ids(vc->linked, NULL));
	job(&w, WAG_ACTION_LINK, vc->community, ids(vc->linked, NULL));
	edit(&w, vc->group, (WagEdit) { .kind = WAG_EDIT_SUBJECT, .text = "Novo nome" }, "subject");
	edit(&w, vc->group, (WagEdit) { .kind = WAG_EDIT_DESCRIPTION, .text = "Regras" }, "description");
	edit(&w, vc->group, (WagEdit) { .kind = WAG_EDIT_SETTING, .setting = WAG_SETTING_ADMINS_ADD, .on = TRUE },
	     "settings");
	wag_session_invite_link(w.r->s, vc->group, TRUE);
	expect(&w, "invitelink-reset");
	job(&w, WAG_ACTION_LEAVE, vc->group, NULL);
	sv_free(w.r, FALSE);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/audit/zapi/every-action", test_every_action);
	return g_test_run();
}
