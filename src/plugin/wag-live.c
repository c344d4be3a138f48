/* Live sync: follow wagateway-relay, or, for vendors without membership
 * webhooks, poll the open chats' rosters. Both end in wag_events_apply(). */
#include "wag-plugin.h"
#include "wag-phone.h"
#include "wag-relay-client.h"
#include "wag-store.h"
#include <stdlib.h>
#include <string.h>

#define APPLY_PER_ITERATION 200
#define POLL_SPACING_MS 1000 /* Green API: getGroupData 1/s per instance */

/* ---- relay ---- */

static void
save_last_id(WagConn *conn)
{
	g_autofree char *text = g_strdup_printf("%" G_GINT64_FORMAT "\n", conn->live_applied);
	wag_store_replace(conn->live_path, text);
}

/* An event about an @lid we cannot place: re-read that roster instead of guessing. */
static gboolean
names_unknown_lid(WagConn *conn, const WagEvent *e)
{
	WagGroup *g = wag_model_lookup(conn->model, e->group);

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
	WagConn *conn = data;
	guint n = 0;
	gint64 start = g_get_monotonic_time();

	/* Bursts are applied in slices so the main loop keeps breathing. */
	while (n < APPLY_PER_ITERATION && !g_queue_is_empty(conn->live_queue)) {
		g_autoptr(WagEvent) e = g_queue_pop_head(conn->live_queue);
		if (names_unknown_lid(conn, e))
			wag_chat_load_roster(conn, e->group);
		else
			wag_events_apply(conn, e);
		conn->live_applied = e->id;
		n++;
	}
	if (n) {
		/* The cost per event is a published figure (tests/bench): keep it measurable. */
		purple_debug_misc("wagateway", "live: applied %u events in %" G_GINT64_FORMAT " us\n",
		                  n, g_get_monotonic_time() - start);
		wag_relay_client_ack(conn->relay, conn->live_applied);
		save_last_id(conn);
	}
	if (g_queue_is_empty(conn->live_queue)) {
		conn->live_idle = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static void
on_relay_event(WagEvent *e, gpointer data)
{
	WagConn *conn = data;

	/* One relay may serve several accounts: take this one's only. */
	if ((e->vendor && g_strcmp0(e->vendor, conn->vendor->id) != 0) ||
	    (e->instance && g_strcmp0(e->instance, conn->instance) != 0)) {
		conn->live_applied = MAX(conn->live_applied, e->id);
		wag_event_free(e);
		return;
	}
	g_queue_push_tail(conn->live_queue, e);
	if (!conn->live_idle)
		conn->live_idle = g_idle_add(apply_some, conn);
}

static void
on_relay_state(WagRelayState state, const char *message, gpointer data)
{
	WagConn *conn = data;

	switch (state) {
	case WAG_RELAY_CONNECTED:
		purple_debug_info("wagateway", "following the relay from event %" G_GINT64_FORMAT "\n", conn->live_applied);
		break;
	case WAG_RELAY_RETRYING:
		purple_debug_warning("wagateway", "%s\n", message);
		break;
	case WAG_RELAY_REFUSED:
		purple_debug_error("wagateway", "%s\n", message);
		purple_notify_error(conn->gc, _("WhatsApp groups"), _("Live sync is off"), message);
		break;
	}
}

static void
on_last_id(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = wag_store_load_finish(res, &err);
	WagConn *conn;
	const char *url, *token;

	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	conn = data;
	conn->live_applied = text ? g_ascii_strtoll(text, NULL, 10) : 0;
	url = purple_account_get_string(conn->account, "relay_url", "");
	token = purple_account_get_string(conn->account, "relay_token", "");
	conn->relay = wag_relay_client_new(url, token, conn->live_applied, on_relay_event, on_relay_state, conn);
}

/* ---- polling ---- */

typedef struct {
	WagConn *conn;
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
on_polled(WagReply *reply, gpointer data)
{
	PollCtx *pc = data;
	WagConn *conn = pc->conn;
	WagGroup *old = wag_model_lookup(conn->model, pc->group);
	g_autoptr(WagGroup) now = wag_group_new(pc->group, NULL);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	GHashTableIter it;
	gpointer v;

	if (reply->error || !conn->vendor->parse_group_info(reply->json, now, NULL)) {
		purple_debug_warning("wagateway", "poll of %s failed: %s\n", pc->group,
		                     reply->error ? reply->error->message : "bad reply");
		return;
	}
	if (!old || !old->roster_loaded) {
		wag_model_take(conn->model, g_steal_pointer(&now));
		wag_chat_show_roster(conn, pc->group);
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
		wag_events_apply(conn, events->pdata[i]);
}

static gboolean
poll_next(gpointer data)
{
	WagConn *conn = data;
	PollCtx *pc;

	if (g_queue_is_empty(conn->poll_queue)) {
		conn->poll_pacer = 0;
		return G_SOURCE_REMOVE;
	}
	pc = g_new0(PollCtx, 1);
	pc->conn = conn;
	pc->group = g_queue_pop_head(conn->poll_queue);
	wag_conn_send(conn, conn->vendor->req_group_info(&conn->creds, pc->group), on_polled, pc, poll_ctx_free);
	return G_SOURCE_CONTINUE; /* the next one a second later: shared by all chats */
}

static gboolean
poll_tick(gpointer data)
{
	WagConn *conn = data;
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, conn->chat_ids);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		PurpleConversation *conv = purple_find_chat(conn->gc, GPOINTER_TO_INT(v));
		WagGroup *g = wag_model_lookup(conn->model, k);
		if (conv && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)) && !(g && g->left) &&
		    !g_queue_find_custom(conn->poll_queue, k, (GCompareFunc) strcmp))
			g_queue_push_tail(conn->poll_queue, g_strdup(k));
	}
	if (!conn->poll_pacer && !g_queue_is_empty(conn->poll_queue)) {
		poll_next(conn);
		conn->poll_pacer = g_timeout_add(POLL_SPACING_MS, poll_next, conn);
	}
	return G_SOURCE_CONTINUE;
}

/* ---- life cycle ---- */

void
wag_live_start(WagConn *conn)
{
	const char *url = purple_account_get_string(conn->account, "relay_url", "");
	int poll = purple_account_get_int(conn->account, "poll_seconds", 60);

	if (conn->live_started)
		return;
	conn->live_started = TRUE;
	if (!conn->vendor->has_membership_webhooks) {
		if (poll > 0)
			conn->poll_timer = g_timeout_add_seconds(poll, poll_tick, conn);
		if (url && *url)
			purple_debug_info("wagateway", "%s sends no membership webhooks: relay_url is not used, "
			                  "rosters are polled every %d s\n", conn->vendor->name, poll);
		return;
	}
	if (url && *url)
		wag_store_load(conn->live_path, wag_http_get_cancellable(conn->http), on_last_id, conn);
}

void
wag_live_stop(WagConn *conn)
{
	if (conn->live_idle)
		g_source_remove(conn->live_idle);
	if (conn->poll_timer)
		g_source_remove(conn->poll_timer);
	if (conn->poll_pacer)
		g_source_remove(conn->poll_pacer);
	conn->live_idle = conn->poll_timer = conn->poll_pacer = 0;
	/* What was received but not applied is received again next time. */
	wag_relay_client_free(conn->relay);
	conn->relay = NULL;
}
