/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The demo's one address. The emulator listens on a port of its own choosing,
 * so vendor calls arriving here are passed on to it unchanged (and shown on
 * the terminal); /events plays wagateway-relay's event stream, which is how
 * a join request reaches the plugin. */
#include "demo.h"
#include "wag-event.h"
#include "wag-messaging.h"
#include <stdio.h>
#include <string.h>

#define JOIN_REQUEST_DELAY_S 3 /* after the first client follows /events */
#define MAX_BODY 262144

struct _DemoFront {
	WagEmu *emu;
	const DemoWorld *world;
	SoupServer *server;
	SoupSession *session;
	GCancellable *cancel;
	guint port;
	GPtrArray *clients; /* SoupWebsocketConnection*, following /events */
	GPtrArray *events;  /* WagEvent*, in id order */
	guint join_timer;
	gboolean join_sent;
};

/* ---- vendor calls: passed on to the emulator ---- */

typedef struct {
	DemoFront *front;
	SoupServerMessage *msg;
	SoupMessage *upstream;
	gboolean gone; /* the client hung up first */
} Call;

static void
call_gone(SoupServerMessage *msg, gpointer data)
{
	((Call *) data)->gone = TRUE;
}

/* Every place a vendor reads the token from (Z-API's path, Wawp's query and
 * JSON bodies) is printed with TOKEN instead, as the man page says. */
static char *
redacted(const char *text)
{
	g_auto(GStrv) parts = g_strsplit(text, DEMO_TOKEN, -1);
	return g_strjoinv("TOKEN", parts);
}

static void
show_call(DemoFront *f, SoupServerMessage *msg, GBytes *body)
{
	GUri *uri = soup_server_message_get_uri(msg);
	g_autofree char *target = g_strconcat(g_uri_get_path(uri), g_uri_get_query(uri) ? "?" : "",
	                                      g_uri_get_query(uri), NULL);
	g_autofree char *path = redacted(target);
	g_autofree char *raw = body ? g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body)) : NULL;
	g_autofree char *text = raw ? redacted(raw) : NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *when = g_date_time_format(now, "%H:%M:%S");
	gsize len = text ? strlen(text) : 0;

	/* Green API's notification queue is read about once a second: a line
	 * each would bury the calls the user makes. */
	if (strstr(path, "/receiveNotification/"))
		return;
	printf("%s %s %s %s%s%.*s\n", when, f->world->vendor->name, soup_server_message_get_method(msg), path,
	       len ? " " : "", (int) MIN(len, 200), len ? text : "");
	fflush(stdout);
}

static void
answered(GObject *source, GAsyncResult *res, gpointer data)
{
	Call *c = data;
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) body = soup_session_send_and_read_finish(SOUP_SESSION(source), res, &err);

	if (!c->gone) {
		if (body) {
			const char *type = soup_message_headers_get_content_type(
				soup_message_get_response_headers(c->upstream), NULL);
			gsize len;
			const char *data_ = g_bytes_get_data(body, &len);
			soup_server_message_set_status(c->msg, soup_message_get_status(c->upstream), NULL);
			if (len)
				soup_server_message_set_response(c->msg, type ? type : "application/json",
				                                 SOUP_MEMORY_COPY, data_, len);
		} else {
			soup_server_message_set_status(c->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
		}
		soup_server_message_unpause(c->msg);
	}
	g_signal_handlers_disconnect_by_data(c->msg, c);
	g_object_unref(c->msg);
	g_object_unref(c->upstream);
	g_free(c);
}

static void
pass_on(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	DemoFront *f = data;
	GUri *uri = soup_server_message_get_uri(msg);
	SoupMessageHeaders *in = soup_server_message_get_request_headers(msg);
	g_autoptr(GBytes) body = soup_message_body_flatten(soup_server_message_get_request_body(msg));
	g_autofree char *url = g_strconcat(wag_emu_base(f->emu), g_uri_get_path(uri),
	                                   g_uri_get_query(uri) ? "?" : "", g_uri_get_query(uri), NULL);
	const char *client_token = soup_message_headers_get_one(in, "Client-Token");
	const char *type = soup_message_headers_get_one(in, "Content-Type");
	Call *c;

	if (g_bytes_get_size(body) > MAX_BODY) {
		soup_server_message_set_status(msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
		return;
	}
	show_call(f, msg, body);
	c = g_new0(Call, 1);
	c->front = f;
	c->msg = g_object_ref(msg);
	c->upstream = soup_message_new(soup_server_message_get_method(msg), url);
	if (!c->upstream) {
		soup_server_message_set_status(msg, SOUP_STATUS_BAD_REQUEST, NULL);
		g_object_unref(c->msg);
		g_free(c);
		return;
	}
	if (client_token)
		soup_message_headers_replace(soup_message_get_request_headers(c->upstream), "Client-Token", client_token);
	if (g_bytes_get_size(body) || type)
		soup_message_set_request_body_from_bytes(c->upstream, type, body);
	g_signal_connect(msg, "finished", G_CALLBACK(call_gone), c);
	soup_server_message_pause(msg);
	soup_session_send_and_read_async(f->session, c->upstream, G_PRIORITY_DEFAULT, f->cancel, answered, c);
}

/* ---- /events: the relay's stream ---- */

static void
send_event(SoupWebsocketConnection *ws, const WagEvent *e)
{
	g_autoptr(JsonNode) n = wag_event_to_json(e);
	g_autofree char *text = json_to_string(n, FALSE);

	if (soup_websocket_connection_get_state(ws) == SOUP_WEBSOCKET_STATE_OPEN)
		soup_websocket_connection_send_text(ws, text);
}

static void
publish(DemoFront *f, WagEvent *e)
{
	g_ptr_array_add(f->events, e);
	for (guint i = 0; i < f->clients->len; i++)
		send_event(f->clients->pdata[i], e);
}

static gboolean
send_join_request(gpointer data)
{
	DemoFront *f = data;
	WagEvent *e = wag_event_new(WAG_EVENT_JOIN_REQUESTED, f->world->first_group);

	f->join_timer = 0;
	f->join_sent = TRUE;
	/* The plugin keeps the last id it applied across runs and skips anything at
	 * or below it: ids from the clock keep growing across demo restarts. */
	e->at = g_get_real_time() / 1000;
	e->id = e->at;
	e->vendor = g_strdup(f->world->vendor->id);
	e->instance = g_strdup(DEMO_INSTANCE);
	g_ptr_array_add(e->participants, g_strdup(DEMO_REQUESTER));
	publish(f, e);
	printf("(sent to the plugin: %s asks to join %s)\n", DEMO_REQUESTER, f->world->first_group);
	fflush(stdout);
	return G_SOURCE_REMOVE;
}

/* Green API's incomingMessageReceived, as its docs show a text message
 * (tests/fixtures/greenapi/webhook-incomingMessageReceived-textMessage.json),
 * in a group: chatId the group, sender the member. */
static char *
green_webhook(DemoFront *f, const char *id, gint64 at, const char *text)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) n = NULL;
	g_autofree char *sender = g_strconcat(DEMO_TALKER, "@c.us", NULL);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "typeWebhook");
	json_builder_add_string_value(b, "incomingMessageReceived");
	json_builder_set_member_name(b, "instanceData");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "idInstance");
	json_builder_add_string_value(b, DEMO_INSTANCE);
	json_builder_set_member_name(b, "wid");
	json_builder_add_string_value(b, DEMO_ME "@c.us");
	json_builder_end_object(b);
	json_builder_set_member_name(b, "timestamp");
	json_builder_add_int_value(b, at / 1000);
	json_builder_set_member_name(b, "idMessage");
	json_builder_add_string_value(b, id);
	json_builder_set_member_name(b, "senderData");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "chatId");
	json_builder_add_string_value(b, f->world->first_group);
	json_builder_set_member_name(b, "sender");
	json_builder_add_string_value(b, sender);
	json_builder_set_member_name(b, "senderName");
	json_builder_add_string_value(b, demo_world_name(DEMO_TALKER));
	json_builder_end_object(b);
	json_builder_set_member_name(b, "messageData");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "typeMessage");
	json_builder_add_string_value(b, "textMessage");
	json_builder_set_member_name(b, "textMessageData");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "textMessage");
	json_builder_add_string_value(b, text);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	return json_to_string(n, FALSE);
}

void
demo_front_say(DemoFront *f, const char *text)
{
	gint64 at = g_get_real_time() / 1000;
	g_autofree char *id = g_strdup_printf("DEMO%" G_GINT64_FORMAT, at);
	WagEvent *e;

	if (!f->world->vendor->has_join_requests) {
		/* Green API: no relay; the plugin reads the instance's queue. */
		g_autofree char *body = green_webhook(f, id, at, text);
		wag_emu_green_notify(f->emu, body);
	} else {
		e = wag_message_event_new(f->world->first_group, WAG_MSG_TEXT);
		e->at = e->id = at;
		e->vendor = g_strdup(f->world->vendor->id);
		e->instance = g_strdup(DEMO_INSTANCE);
		e->message->message_id = g_strdup(id);
		e->message->from = g_strdup(DEMO_TALKER);
		e->message->from_name = g_strdup(demo_world_name(DEMO_TALKER));
		e->message->text = g_strdup(text);
		wag_message_scan_mentions(e->message);
		publish(f, e);
	}
	printf("(sent to the plugin: %s says in %s: %s)\n", DEMO_TALKER, f->world->first_group, text);
	fflush(stdout);
}

static void
client_closed(SoupWebsocketConnection *ws, gpointer data)
{
	DemoFront *f = data;
	g_signal_handlers_disconnect_by_data(ws, f);
	g_ptr_array_remove(f->clients, ws);
}

static void
follow(SoupServer *server, SoupServerMessage *msg, const char *path, SoupWebsocketConnection *ws, gpointer data)
{
	DemoFront *f = data;
	const char *query = g_uri_get_query(soup_server_message_get_uri(msg));
	g_autoptr(GHashTable) q = g_uri_parse_params(query ? query : "", -1, "&", G_URI_PARAMS_NONE, NULL);
	gint64 after = q && g_hash_table_lookup(q, "after") ? g_ascii_strtoll(g_hash_table_lookup(q, "after"), NULL, 10) : 0;

	/* As the relay does: what the client has not seen yet, then live ones. */
	for (guint i = 0; i < f->events->len; i++)
		if (((WagEvent *) f->events->pdata[i])->id > after)
			send_event(ws, f->events->pdata[i]);
	g_ptr_array_add(f->clients, g_object_ref(ws));
	g_signal_connect(ws, "closed", G_CALLBACK(client_closed), f);
	/* Later, not now: the plugin must have read its groups to place the request. */
	if (!f->join_sent && !f->join_timer && f->world->vendor->has_join_requests)
		f->join_timer = g_timeout_add_seconds(JOIN_REQUEST_DELAY_S, send_join_request, f);
}

static void
events_auth(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	const char *auth = soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Authorization");

	/* Left without a status, the request goes on to the WebSocket handshake. */
	if (g_strcmp0(auth, "Bearer " DEMO_RELAY_TOKEN) != 0)
		soup_server_message_set_status(msg, SOUP_STATUS_UNAUTHORIZED, NULL);
}

DemoFront *
demo_front_new(WagEmu *emu, const DemoWorld *world, guint port, GError **error)
{
	DemoFront *f = g_new0(DemoFront, 1);
	GSList *uris;

	f->emu = emu;
	f->world = world;
	f->cancel = g_cancellable_new();
	f->session = soup_session_new_with_options("timeout", 30, NULL);
	f->clients = g_ptr_array_new_with_free_func(g_object_unref);
	f->events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	f->server = soup_server_new("server-header", "wagateway-demo", NULL);
	soup_server_add_handler(f->server, NULL, pass_on, f, NULL);
	soup_server_add_handler(f->server, "/events", events_auth, f, NULL);
	soup_server_add_websocket_handler(f->server, "/events", NULL, NULL, follow, f, NULL);
	if (!soup_server_listen_local(f->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error)) {
		demo_front_free(f);
		return NULL;
	}
	uris = soup_server_get_uris(f->server);
	f->port = g_uri_get_port(uris->data);
	g_slist_free_full(uris, (GDestroyNotify) g_uri_unref);
	return f;
}

guint
demo_front_port(DemoFront *f)
{
	return f->port;
}

void
demo_front_free(DemoFront *f)
{
	if (!f)
		return;
	g_cancellable_cancel(f->cancel);
	if (f->join_timer)
		g_source_remove(f->join_timer);
	for (guint i = 0; i < f->clients->len; i++)
		g_signal_handlers_disconnect_by_data(f->clients->pdata[i], f);
	g_ptr_array_free(f->clients, TRUE);
	g_ptr_array_free(f->events, TRUE);
	soup_server_disconnect(f->server);
	g_object_unref(f->server);
	g_object_unref(f->session);
	g_object_unref(f->cancel);
	g_free(f);
}
