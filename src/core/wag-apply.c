/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* One path for every membership change, whatever its source (our own
 * command's success, a relayed webhook, a poll diff): the event goes into
 * the model, then the front end mirrors it through the view. */
#include "wag-session-private.h"
#include <string.h>

/* "group\nperson": the key of the newest vendor time seen for a person.
 * A subject or a setting is news about the group itself: its key is what
 * changed ("\x01subject", "\x01announce"), not the new value, so that an
 * older change arriving late does not undo a newer one. */
static char *
newest_key(const WagEvent *e, const char *who)
{
	const char *eq;

	if (e->kind == WAG_EVENT_SUBJECT_CHANGED)
		return g_strconcat(e->group, "\n\x01subject", NULL);
	if (e->kind == WAG_EVENT_SETTINGS_CHANGED && (eq = strchr(who, '=')))
		return g_strdup_printf("%s\n\x01%.*s", e->group, (int) (eq - who), who);
	return g_strconcat(e->group, "\n", who, NULL);
}

/* Webhooks can arrive out of order (a vendor's retry, a replay, a relay
 * restored from a backup): news about a person older, by the vendor's own
 * clock, than news already applied for them in that group is stale and
 * must not move the roster back. Only vendor times are compared: our own
 * events and poll diffs carry this machine's clock. Returns the event to
 * apply: e itself, a copy without the stale participants, or NULL. */
static WagEvent *
drop_stale(WagSession *s, const WagEvent *e, WagEvent **copy)
{
	g_autoptr(GPtrArray) fresh = g_ptr_array_new();

	if (!s->newest)
		s->newest = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; i < e->participants->len; i++) {
		const char *who = e->participants->pdata[i];
		g_autofree char *key = newest_key(e, who);
		gint64 *seen = g_hash_table_lookup(s->newest, key);

		if (seen && e->at < *seen) {
			g_debug("ignored a %s event for %s in %s: older (%" G_GINT64_FORMAT ") than one applied (%" G_GINT64_FORMAT ")",
			        wag_event_kind_name(e->kind), who, e->group, e->at, *seen);
			continue;
		}
		if (!seen) {
			seen = g_new(gint64, 1);
			g_hash_table_insert(s->newest, g_steal_pointer(&key), seen);
		}
		*seen = e->at;
		g_ptr_array_add(fresh, (gpointer) who);
	}
	if (fresh->len == e->participants->len)
		return (WagEvent *) e;
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

/* This account, named by its phone or (a roster listing it so) its lid. */
static gboolean
names_me(WagSession *s, const WagEvent *e)
{
	for (guint i = 0; i < e->participants->len; i++) {
		const char *id = e->participants->pdata[i];
		if ((s->me && g_str_equal(id, s->me)) || wag_instance_info_is_me(s->info, id))
			return TRUE;
	}
	return FALSE;
}

gboolean
wag_apply(WagSession *s, const WagEvent *e, gboolean vendor_time)
{
	g_autoptr(WagEvent) copy = NULL;
	WagGroup *g;
	gboolean out;

	g_autoptr(WagEvent) unanswered = NULL;

	if (vendor_time && e->group && !(e = drop_stale(s, e, &copy)))
		return FALSE;
	if (!(e = wag_requests_filter(s, e, &unanswered)))
		return FALSE;
	if (!wag_model_apply(s->model, e))
		return FALSE; /* an echo, or news of nothing we know */
	if (e->kind == WAG_EVENT_LINKED || e->kind == WAG_EVENT_UNLINKED) {
		s->view->groups_changed(s->ui, FALSE);
		return TRUE;
	}
	if (e->kind == WAG_EVENT_SUBJECT_CHANGED || e->kind == WAG_EVENT_SETTINGS_CHANGED) {
		/* The topic and /settings follow (the model has them now). */
		s->view->group_info_changed(s->ui, e->group);
		if (e->kind == WAG_EVENT_SUBJECT_CHANGED)
			s->view->groups_changed(s->ui, FALSE);
		return TRUE;
	}
	g = wag_model_lookup(s->model, e->group);
	out = (e->kind == WAG_EVENT_REMOVED || e->kind == WAG_EVENT_LEFT) && names_me(s, e);
	if (out)
		g->left = TRUE; /* commands refuse from now on */
	s->view->membership_changed(s->ui, g, e);
	if (out)
		s->view->group_left(s->ui, g);
	wag_requests_applied(s, e, vendor_time);
	return TRUE;
}

void
wag_apply_stop(WagSession *s)
{
	g_clear_pointer(&s->newest, g_hash_table_unref);
}
