/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "session-view.h"
#include "wag-store.h"
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static void
line(SvRec *r, char *text_take)
{
	g_ptr_array_add(r->lines, text_take);
	if (r->on_line)
		r->on_line(text_take, r->on_line_data);
}

static void
v_progress(gpointer ui, const char *text, guint step, guint steps)
{
	line(ui, g_strdup_printf("progress %u/%u: %s", step, steps, text));
}

static void
v_connected(gpointer ui)
{
	SvRec *r = ui;
	r->connected = TRUE;
	line(r, g_strdup("connected"));
}

static void
v_failed(gpointer ui, const GError *error)
{
	SvRec *r = ui;
	g_clear_error(&r->failure);
	r->failure = g_error_copy(error);
	line(r, g_strdup_printf("failed %d: %s", error->code, error->message));
}

static void
v_groups_changed(gpointer ui, gboolean complete)
{
	SvRec *r = ui;
	r->groups_changed++;
	if (complete)
		r->listed = TRUE;
	line(r, g_strdup(complete ? "groups-listed" : "groups-changed"));
}

static void
v_roster_loaded(gpointer ui, const char *group, const GError *error)
{
	line(ui, error ? g_strdup_printf("roster-error %s: %s", group, error->message)
	               : g_strdup_printf("roster %s", group));
}

static void
v_membership_changed(gpointer ui, const WagGroup *g, const WagEvent *e)
{
	g_autofree char *ids = NULL;
	g_ptr_array_add(e->participants, NULL);
	ids = g_strjoinv(",", (char **) e->participants->pdata);
	g_ptr_array_remove_index(e->participants, e->participants->len - 1);
	line(ui, g_strdup_printf("membership %s %s: %s", wag_event_kind_name(e->kind), g->id, ids));
}

static void
v_group_left(gpointer ui, const WagGroup *g)
{
	line(ui, g_strdup_printf("group-left %s", g->id));
}

static void
v_group_notice(gpointer ui, const char *group, const char *text, WagNoticeFlags flags)
{
	line(ui, g_strdup_printf("%s %s: %s", flags & WAG_NOTICE_ERROR ? "error" : "notice", group, text));
}

static void
v_account_notice(gpointer ui, const char *headline, const char *text, gboolean error)
{
	line(ui, g_strdup_printf("account-%s %s: %s", error ? "error" : "notice", headline, text));
}

static void
v_ask_leave(gpointer ui, const char *group, gboolean closing)
{
	line(ui, g_strdup_printf("ask-leave %s%s", group, closing ? " (closing)" : ""));
}

static void
v_join_request(gpointer ui, const char *group, const char *who)
{
	line(ui, g_strdup_printf("join-request %s: %s", group, who));
}

static void
v_show_group(gpointer ui, const char *group)
{
	line(ui, g_strdup_printf("show %s", group));
}

static void
v_group_info_changed(gpointer ui, const char *group)
{
	line(ui, g_strdup_printf("group-info %s", group));
}

static void
v_message(gpointer ui, const WagEvent *e, gboolean mentions_me)
{
	const WagMessage *m = e->message;
	g_autofree char *text = wag_message_line(m);
	line(ui, g_strdup_printf("message %s %s%s @%" G_GINT64_FORMAT "%s: %s", e->group, m->from ? m->from : "?",
	                         m->from_me ? " (me)" : "", e->at, mentions_me ? " !mention" : "", text));
}

static void
v_message_failed(gpointer ui, const char *group, const char *text, const GError *error)
{
	line(ui, g_strdup_printf("send-failed %s: %s: %s", group, text, error->message));
}

static void
v_relay_changed(gpointer ui, gboolean live, const char *text)
{
	line(ui, g_strdup_printf("relay %s: %s", live ? "live" : "down", text));
}

static const WagView recording_view = {
	.progress = v_progress,
	.connected = v_connected,
	.failed = v_failed,
	.groups_changed = v_groups_changed,
	.roster_loaded = v_roster_loaded,
	.membership_changed = v_membership_changed,
	.group_left = v_group_left,
	.group_notice = v_group_notice,
	.account_notice = v_account_notice,
	.ask_leave = v_ask_leave,
	.join_request = v_join_request,
	.show_group = v_show_group,
	.group_info_changed = v_group_info_changed,
	.message = v_message,
	.message_failed = v_message_failed,
	.relay_changed = v_relay_changed,
};

WagSessionConfig
sv_config(WagEmu *emu, const VendorCase *vc)
{
	return (WagSessionConfig) {
		.vendor = vc->vendor,
		.instance = FX_INSTANCE,
		.token = FX_TOKEN,
		.client_token = vc->community ? FX_CLIENT_TOKEN : "",
		.api_base = wag_emu_base(emu),
		.removals_per_minute = 10,
		.poll_seconds = 60,
		.request_timeout = 5,
		.messages_per_minute = 6000, /* 10 ms apart: tests do not wait on the default pace */
	};
}

SvRec *
sv_start(const WagSessionConfig *config, const char *state_dir)
{
	SvRec *r = g_new0(SvRec, 1);
	WagSessionConfig c = *config;

	r->lines = g_ptr_array_new_with_free_func(g_free);
	r->state_dir = state_dir ? g_strdup(state_dir) : g_dir_make_tmp("wag-session-XXXXXX", NULL);
	c.state_dir = r->state_dir;
	r->s = wag_session_new(&c, &recording_view, r);
	wag_session_start(r->s);
	return r;
}

static void
remove_tree(const char *path)
{
	GDir *dir = g_dir_open(path, 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		g_autofree char *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			remove_tree(child);
		else
			g_unlink(child);
	}
	if (dir)
		g_dir_close(dir);
	g_rmdir(path);
}

void
sv_free(SvRec *r, gboolean keep_state)
{
	wag_session_free(r->s);
	/* The store writes on its own thread: let it land before anyone reads or removes. */
	wag_store_flush();
	if (!keep_state)
		remove_tree(r->state_dir);
	g_free(r->state_dir);
	g_ptr_array_unref(r->lines);
	g_clear_error(&r->failure);
	g_free(r);
}

static gboolean
wake(gpointer data)
{
	return G_SOURCE_CONTINUE;
}

gboolean
sv_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
	/* Some conditions change on another thread (the store): look again
	 * every few ms even when no source of ours is due. */
	guint waker = g_timeout_add(5, wake, NULL);
	gboolean ok;

	while (!(ok = cond(data)) && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(waker);
	return ok;
}

typedef struct {
	SvRec *r;
	const char *needle;
} LineWait;

guint
sv_count(SvRec *r, const char *needle)
{
	guint n = 0;
	for (guint i = 0; i < r->lines->len; i++)
		n += strstr(r->lines->pdata[i], needle) != NULL;
	return n;
}

static gboolean
has_line(gpointer data)
{
	LineWait *w = data;
	return sv_count(w->r, w->needle) > 0;
}

gboolean
sv_wait_line(SvRec *r, const char *needle, guint timeout_ms)
{
	LineWait w = { r, needle };
	gboolean ok = sv_wait(has_line, &w, timeout_ms);

	if (!ok)
		for (guint i = 0; i < r->lines->len; i++)
			g_test_message("seen: %s", (char *) r->lines->pdata[i]);
	return ok;
}

static gboolean
is_listed(gpointer data)
{
	SvRec *r = data;
	return r->listed || r->failure;
}

gboolean
sv_wait_listed(SvRec *r, guint timeout_ms)
{
	return sv_wait(is_listed, r, timeout_ms) && r->listed;
}

void
sv_clear(SvRec *r)
{
	g_ptr_array_set_size(r->lines, 0);
}

typedef struct {
	SvRec *r;
	char *needle;
	guint before;
} MoreWait;

static gboolean
one_more(gpointer data)
{
	MoreWait *w = data;
	return sv_count(w->r, w->needle) > w->before;
}

gboolean
sv_open(SvRec *r, const char *group, guint timeout_ms)
{
	g_autofree char *needle = g_strdup_printf("roster %s", group);
	MoreWait w = { r, needle, sv_count(r, needle) };

	wag_session_open_group(r->s, group);
	return sv_wait(one_more, &w, timeout_ms);
}

int
sv_role(SvRec *r, const char *group, const char *id)
{
	WagGroup *g = wag_model_lookup(wag_session_get_model(r->s), group);
	WagParticipant *p = g ? g_hash_table_lookup(g->participants, id) : NULL;
	return p ? (int) p->role : -1;
}

SvRec *
sv_login(WagEmu *emu, const VendorCase *vc)
{
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	return r;
}

char *
sv_read_state(SvRec *r, const char *name)
{
	g_autofree char *path = g_build_filename(r->state_dir, name, NULL);
	char *text = NULL;
	g_file_get_contents(path, &text, NULL, NULL);
	return text ? text : g_strdup("");
}

GPtrArray *
sv_ids(const char *first, ...)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	va_list ap;
	va_start(ap, first);
	for (const char *id = first; id; id = va_arg(ap, const char *))
		g_ptr_array_add(a, g_strdup(id));
	va_end(ap);
	return a;
}
