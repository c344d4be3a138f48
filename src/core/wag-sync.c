/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Live sync: follow wagateway-relay, or, for vendors without membership
 * webhooks, poll the rosters of the groups the front end shows. Both end
 * in the one apply path (wag_apply). */
#include "wag-session-private.h"
#include "wag-i18n.h"
#include "wag-phone.h"
#include "wag-store.h"
#include <string.h>

#define APPLY_PER_ITERATION 200

/* ---- relay ---- */

static void
save_last_id(WagSession *s)
{
	g_autofree char *text = g_strdup_printf("%" G_GINT64_FORMAT "\n", s->live_applied);
	wag_store_replace(s->live_path, text);
}

/* An event about an @lid we cannot place: re-read that roster instead of guessing. */
static gboolean
names_unknown_lid(WagSession *s, const WagEvent *e)
{
	WagGroup *g = wag_model_lookup(s->model, e->group);

	if (!g || !g->roster_loaded || e->kind == WAG_EVENT_JOIN_REQUESTED || e->kind == WAG_EVENT_JOIN_REVOKED ||
	    e->kind == WAG_EVENT_LINKED || e->kind == WAG_EVENT_UNLINKED)
		return FALSE;
	for (guint i = 0; i < e->participants->len; i++) {
		const char *id = e->participants->pdata[i];
		if (wag_phone_is_lid(id) && !g_hash_table_contains(g->participants, id))
			return TRUE;
	}
	return FALSE;
}

static gboolean
apply_some(gpointer data)
{
	WagSession *s = data;
	guint n = 0;
	gint64 start = g_get_monotonic_time();

	/* Join requests wait for the answers remembered on disk
	 * (wag_requests_load() applies the queue once they are read). */
	if (!s->req_loaded) {
		s->live_idle = 0;
		return G_SOURCE_REMOVE;
	}
	/* Bursts are applied in slices so the main loop keeps breathing. */
	while (n < APPLY_PER_ITERATION && !g_queue_is_empty(s->live_queue)) {
		g_autoptr(WagEvent) e = g_queue_pop_head(s->live_queue);
		if (e->kind == WAG_EVENT_MESSAGE) {
			wag_messages_receive(s, e);
		} else if (e->kind == WAG_EVENT_ROSTER_CHANGED) {
			/* The vendor says the roster changed without saying how: read it
			 * again (the one roster reader) where one is held or shown,
			 * rather than guess. */
			WagGroup *g = e->group ? wag_model_lookup(s->model, e->group) : NULL;
			gboolean held = g && (g->roster_loaded || g_hash_table_contains(s->open_groups, e->group));
			wag_apply(s, e, TRUE);
			if (held)
				wag_roster_load(s, e->group, wag_runner_roster_ready);
		} else if (names_unknown_lid(s, e))
			wag_roster_load(s, e->group, wag_runner_roster_ready);
		else
			wag_apply(s, e, TRUE);
		if (e->id)
			s->live_applied = e->id;
		n++;
	}
	if (n) {
		/* The cost per event is a published figure (tests/bench): keep it measurable. */
		g_debug("live: applied %u events in %" G_GINT64_FORMAT " us", n, g_get_monotonic_time() - start);
		if (s->relay) {
			wag_relay_client_ack(s->relay, s->live_applied);
			save_last_id(s);
		}
	}
	if (g_queue_is_empty(s->live_queue)) {
		s->live_idle = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

void
wag_sync_queue(WagSession *s, WagEvent *e)
{
	g_queue_push_tail(s->live_queue, e);
	if (!s->live_idle)
		s->live_idle = g_idle_add(apply_some, s);
}

static void
on_relay_event(WagEvent *e, gpointer data)
{
	WagSession *s = data;

	/* One relay may serve several accounts: take this one's only. Wawp's
	 * envelopes name the session (its name, read at login), not the instance. */
	if ((e->vendor && g_strcmp0(e->vendor, s->vendor->id) != 0) ||
	    (e->instance && g_strcmp0(e->instance, s->instance) != 0 &&
	     g_strcmp0(e->instance, s->info->session_name) != 0)) {
		s->live_applied = MAX(s->live_applied, e->id);
		wag_event_free(e);
		return;
	}
	wag_sync_queue(s, e);
}

/* Once per change of state, not per retry: a line every few seconds
 * would bury the chats it is written in. */
static void
tell_relay(WagSession *s, WagRelayState state, const char *message)
{
	if (s->relay_told == (int) state)
		return;
	s->relay_told = (int) state;
	/* A refusal is said once by account_notice already. */
	if (state == WAG_RELAY_REFUSED || !s->view->relay_changed)
		return;
	s->view->relay_changed(s->ui, state == WAG_RELAY_CONNECTED,
	                       state == WAG_RELAY_CONNECTED ? _("Live sync: following wagateway-relay.") : message);
}

static void
on_relay_state(WagRelayState state, const char *message, gpointer data)
{
	WagSession *s = data;

	tell_relay(s, state, message);

	switch (state) {
	case WAG_RELAY_CONNECTED:
		g_info("following the relay from event %" G_GINT64_FORMAT, s->live_applied);
		break;
	case WAG_RELAY_RETRYING:
		g_message("%s", message);
		break;
	case WAG_RELAY_REFUSED:
		g_message("%s", message);
		s->view->account_notice(s->ui, _("Live sync is off"), message, TRUE);
		break;
	}
}

static void
relay_connect(WagSession *s)
{
	s->relay = wag_relay_client_new(s->relay_url, s->relay_token, s->live_applied, on_relay_event, on_relay_state, s);
}

static void
on_last_id(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = wag_store_load_finish(res, &err);
	WagSession *s;

	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	s = data;
	s->live_applied = text ? g_ascii_strtoll(text, NULL, 10) : 0;
	/* A first connection receives the relay's history: its join requests
	 * fill the queue, but are not asked one by one. */
	if (!s->live_applied)
		s->req_history_before = g_get_real_time() / 1000;
	relay_connect(s);
}

/* ---- polling ---- */

typedef struct {
	WagSession *s;
	char *group;
} PollCtx;

static void
poll_ctx_free(gpointer p)
{
	PollCtx *pc = p;
	g_free(pc->group);
	g_free(pc);
}

static void
add_event(GPtrArray *events, WagEventKind kind, const char *group, const char *id)
{
	WagEvent *e = wag_event_new(kind, group);
	g_ptr_array_add(e->participants, g_strdup(id));
	g_ptr_array_add(events, e);
}

/* The difference between what we hold and what the vendor says, as events. */
static void
apply_poll(PollCtx *pc, WagReply *reply)
{
	WagSession *s = pc->s;
	WagGroup *old = wag_model_lookup(s->model, pc->group);
	g_autoptr(WagGroup) now = wag_group_new(pc->group, NULL);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	GHashTableIter it;
	gpointer v;

	if (reply->error || !s->vendor->parse_group_info(reply->json, now, NULL)) {
		g_message("poll of %s failed: %s", pc->group, reply->error ? reply->error->message : "bad reply");
		return;
	}
	if (!old || !old->roster_loaded) {
		wag_contacts_fill(s, now);
		wag_model_take(s->model, g_steal_pointer(&now));
		s->view->roster_loaded(s->ui, pc->group, NULL);
		return;
	}
	g_hash_table_iter_init(&it, now->participants);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		WagParticipant *p = v, *was = g_hash_table_lookup(old->participants, p->id);
		if (!was)
			add_event(events, WAG_EVENT_ADDED, pc->group, p->id);
		if ((!was || was->role == WAG_ROLE_MEMBER) && p->role != WAG_ROLE_MEMBER)
			add_event(events, WAG_EVENT_PROMOTED, pc->group, p->id);
		else if (was && was->role == WAG_ROLE_ADMIN && p->role == WAG_ROLE_MEMBER)
			add_event(events, WAG_EVENT_DEMOTED, pc->group, p->id);
	}
	g_hash_table_iter_init(&it, old->participants);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (!g_hash_table_contains(now->participants, ((WagParticipant *) v)->id))
			/* Polling cannot tell left from removed. */
			add_event(events, WAG_EVENT_LEFT, pc->group, ((WagParticipant *) v)->id);
	for (guint i = 0; i < events->len; i++)
		wag_apply(s, events->pdata[i], FALSE);
	/* Who came in has no name from the diff: the contacts' (Green API's
	 * rosters carry none), as in a roster read. */
	if (events->len && (old = wag_model_lookup(s->model, pc->group)) && wag_contacts_fill(s, old))
		s->view->roster_loaded(s->ui, pc->group, NULL);
}

static void poll_next(WagSession *s);

static void
on_polled(WagReply *reply, gpointer data)
{
	PollCtx *pc = data;
	WagSession *s = pc->s;

	s->poll_busy = FALSE;
	/* Read (or not): a later tick may ask for it again. */
	g_hash_table_remove(s->polling, pc->group);
	apply_poll(pc, reply);
	poll_next(s);
}

/* The open chats are read in turn, one read at a time, spaced by the
 * pacer (Green API: getGroupData once a second per instance). One at a
 * time, so that a chat being opened or a /refresh waits in the pacer
 * behind one poll at most, not behind every open chat's. */
static void
poll_next(WagSession *s)
{
	PollCtx *pc;

	if (s->poll_busy || g_queue_is_empty(s->poll_queue))
		return;
	pc = g_new0(PollCtx, 1);
	pc->s = s;
	pc->group = g_queue_pop_head(s->poll_queue);
	s->poll_busy = TRUE;
	wag_session_call_op(s, WAG_OP_GROUP_INFO, s->vendor->req_group_info(&s->creds, pc->group), on_polled, pc,
	                    poll_ctx_free);
}

static gboolean
poll_tick(gpointer data)
{
	WagSession *s = data;
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, s->open_groups);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		WagGroup *g = wag_model_lookup(s->model, k);
		if (!(g && g->left) && !g_hash_table_contains(s->polling, k)) {
			g_hash_table_add(s->polling, g_strdup(k));
			g_queue_push_tail(s->poll_queue, g_strdup(k));
		}
	}
	poll_next(s);
	return G_SOURCE_CONTINUE;
}

/* ---- life cycle ---- */

void
wag_sync_init(WagSession *s)
{
	s->live_queue = g_queue_new();
	s->poll_queue = g_queue_new();
	s->polling = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->relay_told = -1;
}

void
wag_sync_start(WagSession *s)
{
	if (s->live_started)
		return;
	s->live_started = TRUE;
	if (!s->vendor->has_membership_webhooks) {
		if (s->poll_seconds > 0)
			s->poll_timer = g_timeout_add_seconds(s->poll_seconds, poll_tick, s);
		/* Its message webhooks still come through the relay. */
		if (*s->relay_url && s->messages_mode == WAG_MESSAGES_OFF) {
			g_info("%s sends no membership webhooks: relay_url is not used, rosters are polled every %u s",
			       s->vendor->name, s->poll_seconds);
			return;
		}
	}
	if (*s->relay_url)
		wag_store_load(s->live_path, wag_http_get_cancellable(s->http), on_last_id, s);
	else if (s->messages_mode != WAG_MESSAGES_OFF)
		wag_notify_start(s, wag_sync_queue);
}

void
wag_sync_stop(WagSession *s)
{
	if (s->live_idle)
		g_source_remove(s->live_idle);
	if (s->poll_timer)
		g_source_remove(s->poll_timer);
	s->live_idle = s->poll_timer = 0;
	wag_notify_stop(s);
	/* What was received but not applied is received again next time. */
	wag_relay_client_free(s->relay);
	s->relay = NULL;
	g_queue_free_full(s->live_queue, (GDestroyNotify) wag_event_free);
	/* A read handed to the pacer is the pacer's to drop (wag_pacer_stop). */
	g_queue_free_full(s->poll_queue, g_free);
	g_hash_table_destroy(s->polling);
	s->live_queue = s->poll_queue = NULL;
	s->polling = NULL;
}

/* The answers are read: apply what waited for them. */
void
wag_sync_resume_apply(WagSession *s)
{
	if (s->live_queue && !g_queue_is_empty(s->live_queue) && !s->live_idle)
		s->live_idle = g_idle_add(apply_some, s);
}
