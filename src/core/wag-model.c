/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-model.h"
#include <stdlib.h>
#include <string.h>

static void
participant_free(gpointer p)
{
	WagParticipant *wp = p;
	g_free(wp->id);
	g_free(wp->name);
	g_free(wp);
}

WagGroup *
wag_group_new(const char *id, const char *subject)
{
	WagGroup *g = g_new0(WagGroup, 1);
	g->id = g_strdup(id);
	g->subject = g_strdup(subject);
	g->participants = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, participant_free);
	g->subgroups = g_ptr_array_new_with_free_func(g_free);
	g->pending = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < WAG_SETTING_LAST; i++)
		g->settings[i] = -1;
	return g;
}

void
wag_group_free(WagGroup *g)
{
	if (!g)
		return;
	g_free(g->id);
	g_free(g->subject);
	g_free(g->owner);
	g_free(g->community_id);
	g_free(g->announcement_id);
	g_free(g->description);
	g_hash_table_destroy(g->participants);
	g_ptr_array_free(g->subgroups, TRUE);
	g_ptr_array_free(g->pending, TRUE);
	g_free(g);
}

WagParticipant *
wag_group_add_participant(WagGroup *g, const char *canonical_id, WagRole role)
{
	WagParticipant *p = g_hash_table_lookup(g->participants, canonical_id);
	if (!p) {
		p = g_new0(WagParticipant, 1);
		p->id = g_strdup(canonical_id);
		g_hash_table_insert(g->participants, p->id, p);
	}
	p->role = role;
	return p;
}

static gint
cmp_participant(gconstpointer a, gconstpointer b)
{
	const WagParticipant *pa = *(WagParticipant *const *) a, *pb = *(WagParticipant *const *) b;
	return strcmp(pa->id, pb->id);
}

GPtrArray *
wag_group_sorted_participants(WagGroup *g)
{
	GPtrArray *out = g_ptr_array_sized_new(g_hash_table_size(g->participants));
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, g->participants);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(out, v);
	g_ptr_array_sort(out, cmp_participant);
	return out;
}

WagModel *
wag_model_new(void)
{
	WagModel *m = g_new0(WagModel, 1);
	m->groups = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify) wag_group_free);
	m->sort_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return m;
}

void
wag_model_free(WagModel *m)
{
	if (!m)
		return;
	g_hash_table_destroy(m->groups);
	g_hash_table_destroy(m->sort_keys);
	g_free(m);
}

WagGroup *
wag_model_lookup(WagModel *m, const char *id)
{
	return id ? g_hash_table_lookup(m->groups, id) : NULL;
}

static void
steal_str(char **dst, char **src)
{
	if (*src) {
		g_free(*dst);
		*dst = *src;
		*src = NULL;
	}
}

WagGroup *
wag_model_take(WagModel *m, WagGroup *g)
{
	WagGroup *old = g_hash_table_lookup(m->groups, g->id);

	if (!old) {
		g_hash_table_insert(m->groups, g->id, g);
		return g;
	}
	steal_str(&old->subject, &g->subject);
	steal_str(&old->owner, &g->owner);
	steal_str(&old->community_id, &g->community_id);
	steal_str(&old->announcement_id, &g->announcement_id);
	steal_str(&old->description, &g->description);
	for (guint i = 0; i < WAG_SETTING_LAST; i++)
		if (g->settings[i] >= 0)
			old->settings[i] = g->settings[i];
	old->is_community |= g->is_community;
	old->is_announcement |= g->is_announcement;
	if (g->roster_loaded) {
		GHashTable *t = old->participants;
		old->participants = g->participants;
		g->participants = t;
		old->roster_loaded = TRUE;
	}
	if (g->pending->len) {
		GPtrArray *t = old->pending;
		old->pending = g->pending;
		g->pending = t;
	}
	if (g->subgroups->len) {
		GPtrArray *t = old->subgroups;
		old->subgroups = g->subgroups;
		g->subgroups = t;
	}
	wag_group_free(g);
	return old;
}

void
wag_model_link(WagModel *m, const char *group_id, const char *community_id)
{
	WagGroup *g = wag_model_lookup(m, group_id);
	WagGroup *old_c;
	guint idx;

	if (!g)
		g = wag_model_take(m, wag_group_new(group_id, NULL));
	old_c = wag_model_lookup(m, g->community_id);
	if (old_c && g_ptr_array_find_with_equal_func(old_c->subgroups, group_id, g_str_equal, &idx))
		g_ptr_array_remove_index(old_c->subgroups, idx);
	g_free(g->community_id);
	g->community_id = g_strdup(community_id);
	if (community_id) {
		WagGroup *c = wag_model_lookup(m, community_id);
		if (!c) {
			c = wag_model_take(m, wag_group_new(community_id, NULL));
			c->is_community = TRUE;
		}
		if (!g_ptr_array_find_with_equal_func(c->subgroups, group_id, g_str_equal, NULL))
			g_ptr_array_add(c->subgroups, g_strdup(group_id));
	}
}

typedef struct {
	const char *key; /* collation key of the subject (or id) */
	WagGroup *g;
} Sorting;

static gint
cmp_sorting(gconstpointer a, gconstpointer b)
{
	const Sorting *sa = a, *sb = b;
	int c = strcmp(sa->key, sb->key);
	return c ? c : strcmp(sa->g->id, sb->g->id);
}

/* The collation key of g's name, made once per subject: collating is the
 * costly part of sorting thousands of groups, and listings are sorted
 * again at every link, unlink and community read. Stored as the name,
 * a NUL, then the key. */
static const char *
sort_key(WagModel *m, WagGroup *g)
{
	const char *name = g->subject ? g->subject : g->id;
	const char *cached = g_hash_table_lookup(m->sort_keys, g->id);
	g_autofree char *key = NULL;
	size_t n;
	char *entry;

	if (cached && strcmp(cached, name) == 0)
		return cached + strlen(cached) + 1;
	key = g_utf8_collate_key(name, -1);
	n = strlen(name);
	entry = g_malloc(n + 1 + strlen(key) + 1);
	memcpy(entry, name, n + 1);
	strcpy(entry + n + 1, key);
	g_hash_table_insert(m->sort_keys, g_strdup(g->id), entry);
	return entry + n + 1;
}

GPtrArray *
wag_model_sorted(WagModel *m)
{
	guint n = g_hash_table_size(m->groups), i = 0;
	g_autofree Sorting *all = g_new(Sorting, MAX(n, 1));
	GPtrArray *out = g_ptr_array_sized_new(n);
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, m->groups);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		all[i].g = v;
		all[i].key = sort_key(m, v);
		i++;
	}
	qsort(all, n, sizeof *all, (int (*)(const void *, const void *)) cmp_sorting);
	for (i = 0; i < n; i++)
		g_ptr_array_add(out, all[i].g);
	return out;
}

void
wag_model_relink(WagModel *m, WagGroup *community)
{
	g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer v;

	for (guint i = 0; i < community->subgroups->len; i++)
		g_ptr_array_add(listed, g_strdup(community->subgroups->pdata[i]));
	g_hash_table_iter_init(&it, m->groups);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		WagGroup *g = v;
		if (g_strcmp0(g->community_id, community->id) == 0 &&
		    !g_ptr_array_find_with_equal_func(listed, g->id, g_str_equal, NULL)) {
			g_clear_pointer(&g->community_id, g_free);
		}
	}
	for (guint i = 0; i < listed->len; i++)
		wag_model_link(m, listed->pdata[i], community->id);
	if (community->announcement_id)
		wag_model_lookup(m, community->announcement_id)->is_announcement = TRUE;
}

char *
wag_subject_for_display(const char *subject)
{
	g_autofree char *valid = NULL;
	GString *out;
	guint n = 0;

	if (!subject)
		return NULL;
	valid = g_utf8_make_valid(subject, -1);
	out = g_string_new(NULL);
	for (const char *p = valid; *p; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);
		if (n == WAG_SUBJECT_MAX) {
			g_string_append(out, "\u2026");
			break;
		}
		if (g_unichar_iscntrl(c))
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}
