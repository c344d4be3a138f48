/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Join requests as a queue the user answers, not a stream of questions:
 * a request is asked once, while it is pending; one answered (here or
 * elsewhere) or revoked is remembered per account, so a replay of the
 * relay's history does not ask it again, nor call the vendor again; the
 * history a first connection receives fills the queue (/requests) without
 * questions; and many requests at once become one line naming /requests. */
#include "wag-session-private.h"
#include "wag-i18n.h"
#include "wag-names.h"
#include "wag-store.h"
#include <string.h>

/* More questions than this at once become one summary line. */
#define ASK_AT_ONCE 3
/* Answers remembered per account (the oldest are forgotten first). */
#define REMEMBER_MAX 5000

static char *
key_of(const char *group, const char *who)
{
	return g_strconcat(group, "\t", who, NULL);
}

void
wag_requests_init(WagSession *s, const char *state_dir, const char *file_key)
{
	g_autofree char *file = g_strconcat(file_key, ".answered", NULL);

	s->req_path = g_build_filename(state_dir, "requests", file, NULL);
	s->req_answered = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	s->req_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	s->req_asks = g_ptr_array_new_with_free_func(g_free);
}

void
wag_requests_stop(WagSession *s)
{
	if (s->req_idle)
		g_source_remove(s->req_idle);
	s->req_idle = 0;
	g_clear_pointer(&s->req_answered, g_hash_table_unref);
	g_clear_pointer(&s->req_seen, g_hash_table_unref);
	g_clear_pointer(&s->req_asks, g_ptr_array_unref);
	g_clear_pointer(&s->req_path, g_free);
}

/* "group\tperson\ttime" lines, oldest first. */
static void
save(WagSession *s)
{
	GHashTableIter it;
	gpointer k, v;
	g_autoptr(GString) out = g_string_new(NULL);
	guint skip = g_hash_table_size(s->req_answered) > REMEMBER_MAX ?
	             g_hash_table_size(s->req_answered) - REMEMBER_MAX : 0;
	gint64 cut = G_MININT64;

	if (skip) {
		/* Forget the oldest answers: find the time below which to drop. */
		g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(gint64));
		g_hash_table_iter_init(&it, s->req_answered);
		while (g_hash_table_iter_next(&it, NULL, &v))
			g_array_append_val(times, *(gint64 *) v);
		g_array_sort(times, (GCompareFunc) wag_requests_cmp_time);
		cut = g_array_index(times, gint64, skip);
	}
	g_hash_table_iter_init(&it, s->req_answered);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (*(gint64 *) v < cut) {
			g_hash_table_iter_remove(&it);
			continue;
		}
		g_string_append_printf(out, "%s\t%" G_GINT64_FORMAT "\n", (char *) k, *(gint64 *) v);
	}
	wag_store_replace(s->req_path, out->str);
}

gint
wag_requests_cmp_time(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
	return x < y ? -1 : x > y;
}

typedef struct {
	WagSession *s;
	void (*then)(WagSession *s);
} Load;

static void
on_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
	Load *l = data;
	g_autoptr(GError) err = NULL;
	g_autofree char *text = wag_store_load_finish(res, &err);
	g_auto(GStrv) lines = NULL;

	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_free(l);
		return;
	}
	/* Hostile or broken files cost at most REMEMBER_MAX entries. */
	lines = g_strsplit(text ? text : "", "\n", REMEMBER_MAX + 1);
	for (char **p = lines; *p; p++) {
		char *tab = strrchr(*p, '\t');
		gint64 *at;

		if (!tab || tab == *p || !strchr(*p, '\t') || strchr(*p, '\t') == tab)
			continue;
		*tab = '\0';
		at = g_new(gint64, 1);
		*at = g_ascii_strtoll(tab + 1, NULL, 10);
		g_hash_table_replace(l->s->req_answered, g_strdup(*p), at);
	}
	l->s->req_loaded = TRUE;
	if (l->then)
		l->then(l->s);
	g_free(l);
}

void
wag_requests_load(WagSession *s, void (*then)(WagSession *s))
{
	Load *l = g_new0(Load, 1);

	l->s = s;
	l->then = then;
	wag_store_load(s->req_path, wag_http_get_cancellable(s->http), on_loaded, l);
}

const WagEvent *
wag_requests_filter(WagSession *s, const WagEvent *e, WagEvent **copy)
{
	g_autoptr(GPtrArray) fresh = NULL;

	if (e->kind != WAG_EVENT_JOIN_REQUESTED || !s->req_answered)
		return e;
	fresh = g_ptr_array_new();
	for (guint i = 0; i < e->participants->len; i++) {
		g_autofree char *key = key_of(e->group, e->participants->pdata[i]);
		gint64 *answered = g_hash_table_lookup(s->req_answered, key);

		/* The same request (or an older one) again: answered already. */
		if (answered && e->at <= *answered) {
			g_debug("join request of %s in %s was answered already: not queued again",
			        (char *) e->participants->pdata[i], e->group);
			continue;
		}
		g_ptr_array_add(fresh, e->participants->pdata[i]);
	}
	if (fresh->len == e->participants->len)
		return e;
	if (!fresh->len)
		return NULL;
	*copy = wag_event_new(e->kind, e->group);
	(*copy)->id = e->id;
	(*copy)->at = e->at;
	(*copy)->actor = g_strdup(e->actor);
	for (guint i = 0; i < fresh->len; i++)
		g_ptr_array_add((*copy)->participants, g_strdup(fresh->pdata[i]));
	return *copy;
}

static gboolean
flush_asks(gpointer data)
{
	WagSession *s = data;
	g_autoptr(GPtrArray) asks = s->req_asks;
	g_autoptr(GHashTable) per_group = NULL;
	g_autoptr(GString) groups = NULL;
	g_autofree char *text = NULL;
	GHashTableIter it;
	gpointer k, v;

	s->req_idle = 0;
	s->req_asks = g_ptr_array_new_with_free_func(g_free);
	if (asks->len <= ASK_AT_ONCE) {
		for (guint i = 0; i < asks->len; i++) {
			char *tab = strchr(asks->pdata[i], '\t');
			*tab = '\0';
			s->view->join_request(s->ui, asks->pdata[i], tab + 1);
		}
		return G_SOURCE_REMOVE;
	}
	per_group = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < asks->len; i++) {
		char *tab = strchr(asks->pdata[i], '\t');
		*tab = '\0';
		k = asks->pdata[i];
		g_hash_table_insert(per_group, k, GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(per_group, k)) + 1));
	}
	groups = g_string_new(NULL);
	g_hash_table_iter_init(&it, per_group);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		WagGroup *g = wag_model_lookup(s->model, k);
		g_string_append_printf(groups, "%s%s (%u)", groups->len ? ", " : "", g ? wag_group_title(g) : (char *) k,
		                       GPOINTER_TO_UINT(v));
	}
	text = g_strdup_printf(_("%u new join requests: %s. Type /requests in a group's chat to list them, "
	                         "/approve or /decline to answer."), asks->len, groups->str);
	s->view->account_notice(s->ui, _("Join requests"), text, FALSE);
	return G_SOURCE_REMOVE;
}

void
wag_requests_applied(WagSession *s, const WagEvent *e, gboolean vendor_time)
{
	gboolean changed = FALSE;

	if (!s->req_seen)
		return;
	for (guint i = 0; i < e->participants->len; i++) {
		const char *who = e->participants->pdata[i];
		g_autofree char *key = key_of(e->group, who);
		gint64 *at;

		switch (e->kind) {
		case WAG_EVENT_JOIN_REQUESTED:
			at = g_new(gint64, 1);
			*at = e->at;
			g_hash_table_replace(s->req_seen, g_strdup(key), at);
			/* History a first connection replays fills the queue, unasked
			 * (a webhook without the vendor's time is asked, as before). */
			if (vendor_time && s->req_history_before && e->at > 0 && e->at < s->req_history_before)
				break;
			g_ptr_array_add(s->req_asks, g_steal_pointer(&key));
			if (!s->req_idle)
				s->req_idle = g_idle_add(flush_asks, s);
			break;
		case WAG_EVENT_ADDED:
		case WAG_EVENT_JOIN_REVOKED:
			/* Answered (here or elsewhere) or withdrawn: remembered. */
			at = g_hash_table_lookup(s->req_seen, key);
			if (!at)
				break;
			{
				gint64 *copy = g_new(gint64, 1);
				*copy = *at;
				g_hash_table_replace(s->req_answered, g_strdup(key), copy);
			}
			g_hash_table_remove(s->req_seen, key);
			changed = TRUE;
			break;
		default:
			break;
		}
	}
	if (changed)
		save(s);
}
