/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What /delete can reach survives a restart: the relay does not send a
 * chat's messages again once they were applied, so the ids and senders of
 * the last ones seen are kept per account (never their text), only for as
 * long as WhatsApp lets an admin delete them, and a broken file costs only
 * that memory. */
#include "message-fixture.h"
#include "wag-history.h"
#include "wag-event.h"
#include "wag-store.h"
#include <glib/gstdio.h>
#include <string.h>

#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT(1000))

static void
said(SvRec *r, const char *group, const char *id, const char *from, WagMessageType type, const char *quoted, gint64 at)
{
	WagEvent *e = wag_message_event_new(group, type);

	e->at = at;
	e->message->message_id = g_strdup(id);
	e->message->from = g_strdup(from);
	e->message->text = g_strdup("spam");
	e->message->quoted_id = g_strdup(quoted);
	wag_session_push_event(r->s, e);
}

static SvRec *
login(WagEmu *emu, const VendorCase *vc, const char *state_dir)
{
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;

	c.messages_per_minute = 0;
	r = sv_start(&c, state_dir);
	g_assert_true(sv_wait_listed(r, 5000));
	return r;
}

typedef struct {
	SvRec *r;
	const char *group, *id;
} Known;

static gboolean
known(gpointer data)
{
	Known *k = data;
	return wag_history_lookup(k->r->s, k->group, k->id) != NULL;
}

static gboolean
marked_deleted(gpointer data)
{
	Known *k = data;
	WagSeen *x = wag_history_lookup(k->r->s, k->group, k->id);
	return x && x->deleted;
}

static gboolean
deleted_n(gpointer data)
{
	gpointer *w = data;
	return wag_emu_count(w[0], w[1], w[2]) >= GPOINTER_TO_UINT(w[3]);
}

static guint
asked_to_delete(WagEmu *emu, const VendorCase *vc, const char *id)
{
	GPtrArray *all = wag_emu_requests(emu);
	guint n = 0;

	for (guint i = 0; i < all->len; i++) {
		WagEmuRequest *q = all->pdata[i];
		if (strstr(q->path, mf_delete_path(vc)) &&
		    ((q->query && strstr(q->query, id)) || (q->body && strstr(q->body, id))))
			n++;
	}
	return n;
}

/* Every disk read queued so far has reached the session. */
static void
settle(void)
{
	wag_store_flush();
	while (g_main_context_iteration(NULL, FALSE))
		;
}

static void
test_survives_restart(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc, NULL);
	g_autofree char *dir = g_strdup(r->state_dir);
	gint64 now = g_get_real_time() / 1000;
	gpointer w[4] = { emu, (gpointer) mf_delete_method(vc), (gpointer) mf_delete_path(vc), GUINT_TO_POINTER(2) };
	Known k;
	g_autofree char *refusal = NULL;
	g_autofree char *file = NULL;

	said(r, vc->group, "OLD1", FX_MEMBER, WAG_MSG_TEXT, NULL, now - 4 * DAY_MS);
	said(r, vc->group, "SPAM1", FX_MEMBER, WAG_MSG_TEXT, NULL, now - 3000);
	said(r, vc->group, "SPAM2", FX_MEMBER, WAG_MSG_TEXT, NULL, now - 2000);
	said(r, vc->group, "SPAM3", FX_MEMBER, WAG_MSG_TEXT, NULL, now - 1000);
	said(r, vc->group, "OTHER", FX_MEMBER2, WAG_MSG_TEXT, NULL, now);
	/* SPAM1 was deleted for everyone already (by someone else). */
	said(r, vc->group, "DEL1", FX_OWNER, WAG_MSG_DELETED, "SPAM1", now);
	k = (Known) { r, vc->group, "SPAM1" };
	g_assert_true(sv_wait(marked_deleted, &k, 5000));
	sv_free(r, TRUE);

	/* Ids and senders only: the text never reaches the disk. */
	file = g_build_filename(dir, "messages", NULL);
	{
		g_autoptr(GDir) d = g_dir_open(file, 0, NULL);
		const char *name = d ? g_dir_read_name(d) : NULL;
		g_autofree char *path = name ? g_build_filename(file, name, NULL) : NULL;
		g_autofree char *text = NULL;
		g_assert_nonnull(path);
		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		g_assert_nonnull(strstr(text, "SPAM3"));
		g_assert_null(strstr(text, "spam"));
	}

	r = login(emu, vc, dir);
	k = (Known) { r, vc->group, "SPAM3" };
	g_assert_true(sv_wait(known, &k, 5000));
	/* Older than WhatsApp lets an admin delete: not kept. */
	g_assert_null(wag_history_lookup(r->s, vc->group, "OLD1"));
	refusal = wag_session_delete_messages(r->s, vc->group, FX_MEMBER, 0);
	g_assert_null(refusal);
	g_assert_true(sv_wait(deleted_n, w, 5000));
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(wag_emu_count(emu, mf_delete_method(vc), mf_delete_path(vc)), ==, 2);
	/* The two not deleted yet, by their ids (in the query or the body). */
	g_assert_cmpuint(asked_to_delete(emu, vc, "SPAM3"), ==, 1);
	g_assert_cmpuint(asked_to_delete(emu, vc, "SPAM2"), ==, 1);
	g_assert_cmpuint(asked_to_delete(emu, vc, "SPAM1"), ==, 0);
	g_assert_cmpuint(asked_to_delete(emu, vc, "OTHER"), ==, 0);
	/* Deleted ones are remembered as deleted across the restart too. */
	g_assert_true(wag_history_lookup(r->s, vc->group, "SPAM2")->deleted);
	g_assert_true(wag_history_lookup(r->s, vc->group, "SPAM1")->deleted);
	g_assert_false(wag_history_lookup(r->s, vc->group, "OTHER")->deleted);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
test_broken_file(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	g_autofree char *dir = g_dir_make_tmp("wag-history-XXXXXX", NULL);
	g_autofree char *folder = g_build_filename(dir, "messages", NULL);
	g_autofree char *path = NULL;
	g_autofree char *refusal = NULL;
	g_autoptr(GString) junk = g_string_new(NULL);
	gint64 now = g_get_real_time() / 1000;
	SvRec *r;
	Known k;

	g_mkdir_with_parents(folder, 0700);
	path = g_build_filename(folder, "zapi-" FX_INSTANCE ".seen", NULL);
	g_string_append(junk, "\t\t\t\t\n\xff\xfe garbage\nno tabs at all\n");
	g_string_append_printf(junk, "%s\tGOOD1\t%s\t--\t%" G_GINT64_FORMAT "\n", vc->group, FX_MEMBER, now);
	g_string_append_printf(junk, "%s\tBAD\t%s\tzz-long\t%" G_GINT64_FORMAT "\n", vc->group, FX_MEMBER, now);
	g_assert_true(g_file_set_contents(path, junk->str, junk->len, NULL));

	r = login(emu, vc, dir);
	k = (Known) { r, vc->group, "GOOD1" };
	g_assert_true(sv_wait(known, &k, 5000));
	g_assert_null(wag_history_lookup(r->s, vc->group, "BAD"));
	sv_free(r, FALSE);

	/* Over its size bound: not read at all, and the session works. */
	g_mkdir_with_parents(folder, 0700);
	g_string_truncate(junk, 0);
	while (junk->len <= (2 << 20))
		g_string_append_printf(junk, "%s\tX%zu\t%s\t--\t%" G_GINT64_FORMAT "\n", vc->group, junk->len, FX_MEMBER, now);
	g_assert_true(g_file_set_contents(path, junk->str, junk->len, NULL));
	r = login(emu, vc, dir);
	settle();
	refusal = wag_session_delete_messages(r->s, vc->group, FX_MEMBER, 1);
	g_assert_nonnull(refusal);
	g_assert_nonnull(strstr(refusal, "No message of"));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A chat id with a line break and tabs (a hostile relay's) writes no line
 * of its own into the file: after a restart nothing it named is known. */
static void
test_hostile_group(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc, NULL);
	g_autofree char *dir = g_strdup(r->state_dir);
	gint64 now = g_get_real_time() / 1000;
	g_autofree char *hostile = g_strdup_printf("120363000000000001@g.us\tFORGED\t%s\t--\t%" G_GINT64_FORMAT "\n%s",
	                                           FX_MEMBER, now, vc->group);
	Known k;

	said(r, hostile, "REAL1", FX_MEMBER, WAG_MSG_TEXT, NULL, now);
	said(r, vc->group, "REAL2", FX_MEMBER, WAG_MSG_TEXT, NULL, now);
	k = (Known) { r, vc->group, "REAL2" };
	g_assert_true(sv_wait(known, &k, 5000));
	sv_free(r, TRUE);

	r = login(emu, vc, dir);
	k.r = r;
	g_assert_true(sv_wait(known, &k, 5000));
	settle();
	g_assert_null(wag_history_lookup(r->s, "120363000000000001@g.us", "FORGED"));
	g_assert_null(wag_history_lookup(r->s, vc->group, "REAL1"));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Memory stays bounded in all chats together, not only per chat: past
 * 100,000 messages the least recently active chats are forgotten (5,000
 * chats of 500 held 510 MB), the one just written to never. */
static void
test_bounded_in_all(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc, NULL);
	gint64 now = g_get_real_time() / 1000;

	for (guint g = 0; g < 300; g++) {
		g_autofree char *group = g_strdup_printf("1203630%011u@g.us", g);
		for (guint i = 0; i < WAG_HISTORY_PER_GROUP; i++) {
			g_autofree char *id = g_strdup_printf("G%uM%u", g, i);
			wag_history_remember(r->s, group, id, FX_MEMBER, FALSE, now - (300 - g) * 1000);
		}
	}
	g_assert_null(wag_history_lookup(r->s, "120363000000000000@g.us", "G0M499"));
	g_assert_nonnull(wag_history_lookup(r->s, "120363000000000299@g.us", "G299M0"));
	g_assert_nonnull(wag_history_lookup(r->s, "120363000000000299@g.us", "G299M499"));
	g_assert_nonnull(wag_history_lookup(r->s, "120363000000000150@g.us", "G150M499"));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint v = 0; fx_vendors[v]; v++) {
		g_autofree char *path = g_strdup_printf("/history/%s/survives-restart", fx_vendors[v]->vendor);
		g_test_add_data_func(path, fx_vendors[v], test_survives_restart);
	}
	g_test_add_func("/history/broken-or-huge-file", test_broken_file);
	g_test_add_func("/history/hostile-group-id", test_hostile_group);
	g_test_add_func("/history/bounded-in-all-chats", test_bounded_in_all);
	return g_test_run();
}
