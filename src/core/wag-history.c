/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The messages /delete can name: per chat, the last ones seen (their ids
 * and senders, never their text). Kept on disk per account, so that a
 * spammer's messages seen before Pidgin restarted can still be deleted:
 * the relay does not send them again (they are before the last id the
 * plugin applied). The file holds only what WhatsApp still lets an admin
 * delete for everyone (a few days), and is written in the background. */
#include "wag-history.h"
#include "wag-session-private.h"
#include "wag-store.h"
#include <string.h>

#define PER_GROUP WAG_HISTORY_PER_GROUP
/* Chats with a history: bounded whatever a relay sends. */
#define GROUPS_MAX 5000
/* Messages kept in all chats together (about 200 bytes each): 5,000 full
 * chats were 2.5 million, 510 MB in Pidgin. Past it, the least recently
 * active chat is forgotten. */
#define ENTRIES_MAX 100000
/* On disk: the chats most recently active, the newest of each, and only
 * what is younger than WhatsApp's delete-for-everyone window. */
#define SAVED_GROUPS 100
#define SAVED_PER_GROUP 50
#define SAVED_MAX_AGE_MS (3 * 24 * 3600 * G_GINT64_CONSTANT(1000))
#define SAVE_DELAY_S 30
#define FILE_MAX_BYTES (2 << 20)

typedef struct {
	GQueue order;    /* WagSeen*, oldest first */
	GHashTable *ids; /* message id -> WagSeen* (in order) */
	gint64 active;   /* real time (ms) of the newest remembered */
} History;

static void
seen_free(gpointer p)
{
	WagSeen *x = p;
	g_free(x->id);
	g_free(x->from);
	g_free(x);
}

static void
history_free(gpointer p)
{
	History *h = p;
	g_hash_table_destroy(h->ids);
	g_queue_clear_full(&h->order, seen_free);
	g_free(h);
}

/* Over a bound (chats, messages): the least recently active chat but
 * keep goes. */
static void
forget_least_active(WagSession *s, const char *keep)
{
	GHashTableIter it;
	const char *group, *victim = NULL;
	History *h, *least = NULL;

	g_hash_table_iter_init(&it, s->history);
	while (g_hash_table_iter_next(&it, (gpointer *) &group, (gpointer *) &h))
		if (g_strcmp0(group, keep) != 0 && (!least || h->active < least->active)) {
			least = h;
			victim = group;
		}
	if (!least)
		return;
	s->history_entries -= least->order.length;
	g_hash_table_remove(s->history, victim);
}

static History *
history_for(WagSession *s, const char *group)
{
	History *h = g_hash_table_lookup(s->history, group);

	if (!h) {
		if (g_hash_table_size(s->history) >= GROUPS_MAX)
			forget_least_active(s, NULL);
		h = g_new0(History, 1);
		g_queue_init(&h->order);
		h->ids = g_hash_table_new(g_str_hash, g_str_equal);
		g_hash_table_insert(s->history, g_strdup(group), h);
	}
	return h;
}

typedef struct {
	gint64 active;
	const char *group;
	History *h;
} Active;

/* Most recently active first. */
static gint
cmp_active(gconstpointer a, gconstpointer b)
{
	const Active *x = a, *y = b;
	return x->active > y->active ? -1 : x->active < y->active;
}

void
wag_history_save(WagSession *s)
{
	g_autoptr(GArray) groups = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	gint64 oldest = g_get_real_time() / 1000 - SAVED_MAX_AGE_MS;
	GHashTableIter it;
	Active a;

	if (!s->history_path)
		return;
	/* Sorted by a copy of each chat's time: with 5,000 chats, comparing
	 * through the table (two lookups a comparison) took 8-12 ms of the
	 * main loop. */
	groups = g_array_sized_new(FALSE, FALSE, sizeof(Active), g_hash_table_size(s->history));
	g_hash_table_iter_init(&it, s->history);
	while (g_hash_table_iter_next(&it, (gpointer *) &a.group, (gpointer *) &a.h)) {
		a.active = a.h->active;
		g_array_append_val(groups, a);
	}
	g_array_sort(groups, cmp_active);
	for (guint n = 0; n < groups->len && n < SAVED_GROUPS; n++) {
		const Active *g = &g_array_index(groups, Active, n);
		GList *from = g->h->order.tail;
		/* The newest SAVED_PER_GROUP, written oldest first. */
		for (guint k = 1; k < SAVED_PER_GROUP && from && from->prev; k++)
			from = from->prev;
		for (GList *e = from; e; e = e->next) {
			WagSeen *x = e->data;
			if (x->at && x->at < oldest)
				continue;
			g_string_append_printf(out, "%s\t%s\t%s\t%c%c\t%" G_GINT64_FORMAT "\n", g->group, x->id,
			                       x->from ? x->from : "", x->from_me ? 'm' : '-', x->deleted ? 'd' : '-', x->at);
		}
	}
	wag_store_replace(s->history_path, out->len ? out->str : NULL);
}

static gboolean
save_now(gpointer data)
{
	WagSession *s = data;

	s->history_save = 0;
	wag_history_save(s);
	return G_SOURCE_REMOVE;
}

/* A write pending is the change not written yet. */
static void
changed(WagSession *s)
{
	if (!s->history_save && s->history_path)
		s->history_save = g_timeout_add_seconds(SAVE_DELAY_S, save_now, s);
}

/* Written to a tab-separated file: ids from the vendor with a tab or a
 * line break in them are not remembered at all. */
static gboolean
storable(const char *text)
{
	return text && *text && !strpbrk(text, "\t\r\n") && strlen(text) <= 256;
}

static WagSeen *
add(WagSession *s, History *h, const char *id, const char *from, gboolean from_me, gint64 at, gboolean older)
{
	WagSeen *x;

	if (!storable(id) || (from && !storable(from)) || g_hash_table_contains(h->ids, id))
		return NULL;
	if (h->order.length >= PER_GROUP) {
		/* Full: what is older than everything kept is not kept. */
		WagSeen *old;
		if (older)
			return NULL;
		old = g_queue_pop_head(&h->order);
		g_hash_table_remove(h->ids, old->id);
		seen_free(old);
		s->history_entries--;
	}
	x = g_new0(WagSeen, 1);
	x->id = g_strdup(id);
	x->from = g_strdup(from);
	x->from_me = from_me;
	x->at = at;
	if (older)
		g_queue_push_head(&h->order, x);
	else
		g_queue_push_tail(&h->order, x);
	g_hash_table_insert(h->ids, x->id, x);
	s->history_entries++;
	h->active = MAX(h->active, at ? at : g_get_real_time() / 1000);
	return x;
}


void
wag_history_remember(WagSession *s, const char *group, const char *id, const char *from, gboolean from_me, gint64 at)
{
	/* A chat id is a field of the file's lines too: one with a tab or a
	 * line break (from a hostile relay) would write lines of its own. */
	if (!storable(group) || !add(s, history_for(s, group), id, from, from_me, at, FALSE))
		return;
	while (s->history_entries > ENTRIES_MAX && g_hash_table_size(s->history) > 1)
		forget_least_active(s, group);
	changed(s);
}

WagSeen *
wag_history_lookup(WagSession *s, const char *group, const char *id)
{
	History *h = s->history && group ? g_hash_table_lookup(s->history, group) : NULL;
	return h && id ? g_hash_table_lookup(h->ids, id) : NULL;
}

void
wag_history_mark_deleted(WagSession *s, const char *group, const char *id)
{
	WagSeen *x = wag_history_lookup(s, group, id);

	if (x && !x->deleted) {
		x->deleted = TRUE;
		changed(s);
	}
}

GPtrArray *
wag_history_pick(WagSession *s, const char *group, const char *who, guint n)
{
	History *h = s->history ? g_hash_table_lookup(s->history, group) : NULL;
	GPtrArray *picked = g_ptr_array_new();

	for (GList *l = h ? h->order.tail : NULL; l && (n == 0 || picked->len < n); l = l->prev) {
		WagSeen *x = l->data;
		if (!x->deleted && g_strcmp0(x->from, who) == 0)
			g_ptr_array_add(picked, x);
	}
	return picked;
}

static void
on_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = wag_store_load_finish(res, &err);
	g_auto(GStrv) lines = NULL;
	WagSession *s;
	guint n;

	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	s = data;
	/* A broken or oversized file is not read: /delete reaches less. */
	if (!text || strlen(text) > FILE_MAX_BYTES)
		return;
	lines = g_strsplit(text, "\n", SAVED_GROUPS * SAVED_PER_GROUP + 1);
	n = g_strv_length(lines);
	/* Newest last in the file; seen this session already is newer still. */
	for (guint i = n; i-- > 0;) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", 6);
		WagSeen *x;
		if (g_strv_length(f) != 5 || strlen(f[3]) != 2 || !storable(f[0]))
			continue;
		x = add(s, history_for(s, f[0]), f[1], *f[2] ? f[2] : NULL, f[3][0] == 'm', g_ascii_strtoll(f[4], NULL, 10), TRUE);
		if (x && f[3][1] == 'd')
			x->deleted = TRUE;
	}
}

void
wag_history_init(WagSession *s, const char *state_dir, const char *file_key)
{
	s->history = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, history_free);
	if (state_dir && file_key) {
		g_autofree char *file = g_strconcat(file_key, ".seen", NULL);
		s->history_path = g_build_filename(state_dir, "messages", file, NULL);
		wag_store_load(s->history_path, wag_http_get_cancellable(s->http), on_loaded, s);
	}
}

void
wag_history_stop(WagSession *s)
{
	/* What changed since the last write is queued now (the writer thread
	 * does it; nothing waits here). */
	if (s->history_save) {
		g_source_remove(s->history_save);
		s->history_save = 0;
		wag_history_save(s);
	}
	g_clear_pointer(&s->history, g_hash_table_destroy);
	g_clear_pointer(&s->history_path, g_free);
}
