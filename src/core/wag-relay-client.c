/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-relay-client.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-http.h"
#include <libsoup/soup.h>
#include <string.h>

#define BACKOFF_BASE_MS 1000
#define BACKOFF_MAX_MS 60000

struct _WagRelayClient {
	char *url;
	char *token;
	gint64 last_id;
	SoupSession *session;
	SoupWebsocketConnection *ws;
	GCancellable *cancel;
	guint retry_timer;
	guint attempts;
	WagRelayEventFunc on_event;
	WagRelayStateFunc on_state;
	gpointer data;
};

static void connect_now(WagRelayClient *c);

/* Before attempt n (1-based): 1 s doubling to 60 s. */
static guint
backoff_ms(guint attempt)
{
	guint64 ms = (guint64) BACKOFF_BASE_MS << MIN(attempt ? attempt - 1 : 0, 10);
	ms = MIN(ms, BACKOFF_MAX_MS);
	/* +-20% jitter, so many plugins do not reconnect in step. */
	return (guint) (ms * g_random_double_range(0.8, 1.2));
}

static char *
events_url(const char *base, gint64 after)
{
	g_autofree char *trimmed = g_strdup(base);
	gsize n = strlen(trimmed);

	while (n && trimmed[n - 1] == '/')
		trimmed[--n] = '\0';
	if (g_str_has_suffix(trimmed, "/events"))
		trimmed[n - strlen("/events")] = '\0';
	return g_strdup_printf("%s/events?after=%" G_GINT64_FORMAT, trimmed, after);
}

static gboolean
retry_cb(gpointer data)
{
	WagRelayClient *c = data;
	c->retry_timer = 0;
	connect_now(c);
	return G_SOURCE_REMOVE;
}

static void
retry(WagRelayClient *c, const char *why)
{
	guint ms = backoff_ms(++c->attempts);
	g_autofree char *msg = g_strdup_printf(_("The relay is not reachable (%s); trying again in %u s."),
	                                       why, (ms + 999) / 1000);
	g_clear_object(&c->ws);
	c->retry_timer = g_timeout_add(ms, retry_cb, c);
	c->on_state(WAG_RELAY_RETRYING, msg, c->data);
}

static void
on_message(SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
	WagRelayClient *c = data;
	gsize len;
	const char *text = g_bytes_get_data(message, &len);
	g_autoptr(JsonNode) n = NULL;
	WagEvent *e;

	if (type != SOUP_WEBSOCKET_DATA_TEXT)
		return;
	n = wag_json_parse(text, len, NULL);
	e = n ? wag_event_from_json(n, NULL) : NULL;
	if (!e) {
		g_debug("relay sent a frame that is not an event; skipped");
		return;
	}
	/* Once, in order: anything at or below what we have is a repeat. */
	if (e->id <= c->last_id) {
		wag_event_free(e);
		return;
	}
	c->last_id = e->id;
	c->on_event(e, c->data);
}

static void
on_closed(SoupWebsocketConnection *ws, gpointer data)
{
	WagRelayClient *c = data;
	g_signal_handlers_disconnect_by_data(ws, c);
	retry(c, _("connection closed"));
}

static void
on_connected(GObject *source, GAsyncResult *res, gpointer data)
{
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), res);
	g_autoptr(GError) err = NULL;
	SoupWebsocketConnection *ws = soup_session_websocket_connect_finish(SOUP_SESSION(source), res, &err);
	WagRelayClient *c;
	guint status;

	if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return; /* freed: do not touch c */
	c = data;
	status = msg ? soup_message_get_status(msg) : 0;
	if (!ws) {
		if (status == 401 || status == 403) {
			c->on_state(WAG_RELAY_REFUSED,
			            _("The relay refused the relay_token (401): check the account's relay_token "
			              "against the relay's client_token. Live sync is off until you reconnect."), c->data);
			return;
		}
		if (status == 404) {
			c->on_state(WAG_RELAY_REFUSED,
			            _("The relay_url does not lead to a wagateway-relay (404). Live sync is off."), c->data);
			return;
		}
		retry(c, err ? err->message : _("no answer"));
		return;
	}
	c->ws = ws;
	c->attempts = 0;
	soup_websocket_connection_set_keepalive_interval(ws, 30);
	g_signal_connect(ws, "message", G_CALLBACK(on_message), c);
	g_signal_connect(ws, "closed", G_CALLBACK(on_closed), c);
	c->on_state(WAG_RELAY_CONNECTED, NULL, c->data);
}

static void
connect_now(WagRelayClient *c)
{
	g_autofree char *url = events_url(c->url, c->last_id);
	g_autofree char *auth = g_strdup_printf("Bearer %s", c->token);
	SoupMessage *msg = soup_message_new("GET", url);

	if (!msg) {
		c->on_state(WAG_RELAY_REFUSED, _("The relay_url is not a ws:// or wss:// address. Live sync is off."), c->data);
		return;
	}
	soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization", auth);
	soup_session_websocket_connect_async(c->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, c->cancel, on_connected, c);
	g_object_unref(msg);
}

WagRelayClient *
wag_relay_client_new(const char *url, const char *token, gint64 after,
                     WagRelayEventFunc on_event, WagRelayStateFunc on_state, gpointer data)
{
	WagRelayClient *c = g_new0(WagRelayClient, 1);
	g_autofree char *http = NULL;

	/* libsoup wants http(s) for the handshake. */
	if (g_str_has_prefix(url, "ws://"))
		http = g_strconcat("http://", url + 5, NULL);
	else if (g_str_has_prefix(url, "wss://"))
		http = g_strconcat("https://", url + 6, NULL);
	else
		http = g_strdup(url);
	c->url = g_steal_pointer(&http);
	c->token = g_strdup(token ? token : "");
	c->last_id = after;
	c->session = wag_http_session_for(c->url, "timeout", 0, "idle-timeout", 0,
	                                  "user-agent", "purple-wagateway/" WAG_VERSION, NULL);
	c->cancel = g_cancellable_new();
	c->on_event = on_event;
	c->on_state = on_state;
	c->data = data;
	connect_now(c);
	return c;
}

void
wag_relay_client_ack(WagRelayClient *c, gint64 id)
{
	g_autofree char *text = NULL;
	if (!c->ws || soup_websocket_connection_get_state(c->ws) != SOUP_WEBSOCKET_STATE_OPEN)
		return;
	text = g_strdup_printf("{\"ack\": %" G_GINT64_FORMAT "}", id);
	soup_websocket_connection_send_text(c->ws, text);
}

void
wag_relay_client_free(WagRelayClient *c)
{
	if (!c)
		return;
	g_cancellable_cancel(c->cancel);
	if (c->retry_timer)
		g_source_remove(c->retry_timer);
	if (c->ws) {
		g_signal_handlers_disconnect_by_data(c->ws, c);
		if (soup_websocket_connection_get_state(c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
			soup_websocket_connection_close(c->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
		g_object_unref(c->ws);
	}
	g_object_unref(c->session);
	g_object_unref(c->cancel);
	g_free(c->url);
	g_free(c->token);
	g_free(c);
}
