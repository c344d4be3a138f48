/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* wagateway-relay: receives the vendors' webhooks, keeps the participant
 * events durably, and streams them to the plugins that follow it. Every
 * request is parsed and answered by libsoup; the gate (relay-gate.h) in
 * front of it owns the socket and lets through only heads that are well
 * framed, within limits, and on a route with the right secret. */
#include "relay.h"
#include "relay-gate.h"
#include "relay-store.h"
#include "relay-ws.h"
#include "wag-vendor.h"
#include <libsoup/soup.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#ifdef WAG_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define STOP_GRACE_MS 3000
#define WS_MAX_INCOMING 65536

typedef struct {
	RelayConfig cfg;
	SoupServer *server;
	RelayGate *gate;
	RelayStore *store;
	RelayClients *clients;
	GMainLoop *loop;
	RelayStats stats;
	const char *vendor_ids[RELAY_MAX_VENDORS + 1];
	gboolean stopping;
	gint64 stop_deadline;
} Relay;

static void
respond(SoupServerMessage *msg, guint status, const char *text)
{
	soup_server_message_set_status(msg, status, NULL);
	if (text)
		soup_server_message_set_response(msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text, strlen(text));
}

static void
refuse(Relay *r, SoupServerMessage *msg, RelayReject reason, guint status)
{
	relay_reject(&r->stats, reason, status);
	respond(msg, status, relay_reject_name(reason));
}

/* ---- webhooks ---- */

typedef struct {
	Relay *relay;
	SoupServerMessage *msg;
	gboolean gone;
} Pending;

static void
on_disconnected(SoupServerMessage *msg, gpointer data)
{
	((Pending *) data)->gone = TRUE;
}

static void
on_stored(const GError *error, gboolean duplicate, gpointer data)
{
	Pending *p = data;

	g_signal_handlers_disconnect_by_func(p->msg, on_disconnected, p);
	relay_webhook_stored(&p->relay->stats, error, duplicate);
	if (!p->gone) {
		/* Committed: only now does the vendor hear 200. */
		respond(p->msg, error ? 503 : 200, error ? "store failed" : duplicate ? "duplicate" : "ok");
		soup_server_message_unpause(p->msg);
	}
	g_object_unref(p->msg);
	g_free(p);
}

static void
webhook(Relay *r, SoupServerMessage *msg, const char *path)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	g_autoptr(GBytes) body = NULL;
	g_autofree char *ctype = NULL;
	const char *ct = soup_message_headers_get_content_type(h, NULL);
	RelayAccepted a;
	RelayReject reason;
	RelayWebhook w;
	guint status;
	Pending *p;

	body = soup_message_body_flatten(soup_server_message_get_request_body(msg));
	ctype = ct ? g_ascii_strdown(ct, -1) : NULL;
	w = (RelayWebhook) { soup_server_message_get_method(msg), path, ctype,
	                     soup_message_headers_get_one(h, RELAY_HMAC_HEADER),
	                     g_bytes_get_data(body, NULL), g_bytes_get_size(body) };
	w.authorization = soup_message_headers_get_one(h, "Authorization");
	status = relay_webhook_decide(&r->cfg, &r->stats, &w, &a, &reason);
	if (status != 200) {
		respond(msg, status, relay_reject_name(reason));
		return;
	}
	if (!a.events->len) {
		relay_accepted_clear(&a);
		respond(msg, 200, "ignored");
		return;
	}
	if (!relay_store_usable(r->store)) {
		relay_accepted_clear(&a);
		refuse(r, msg, REJECT_UNAVAILABLE, 503);
		return;
	}
	p = g_new0(Pending, 1);
	p->relay = r;
	p->msg = g_object_ref(msg);
	g_signal_connect(msg, "disconnected", G_CALLBACK(on_disconnected), p);
	soup_server_message_pause(msg);
	relay_store_append(r->store, a.tenant->name, a.dedupe, g_steal_pointer(&a.events), a.tenant->messages,
	                   on_stored, p);
	relay_accepted_clear(&a);
}

static void
on_committed(GPtrArray *events, GPtrArray *tenants, gpointer data)
{
	Relay *r = data;
	relay_clients_committed(r->clients, events, tenants);
}

/* ---- the rest of HTTP ---- */

/* The token of an "Authorization: Bearer TOKEN" header, or NULL. */
static const char *
bearer(const char *auth)
{
	return auth && g_ascii_strncasecmp(auth, "Bearer ", 7) == 0 ? auth + 7 : NULL;
}

/* The tenant whose token the request carries, or NULL. */
static const RelayTenant *
bearer_tenant(Relay *r, SoupServerMessage *msg)
{
	const char *token = bearer(soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Authorization"));
	return token ? relay_tenant_by_token(&r->cfg, token, strlen(token)) : NULL;
}

static gboolean
is_loopback(SoupServerMessage *msg)
{
	GSocketAddress *a = soup_server_message_get_remote_address(msg);
	return a && G_IS_INET_SOCKET_ADDRESS(a) &&
	       g_inet_address_get_is_loopback(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(a)));
}

/* With metrics_token set, /metrics needs it as a bearer token. Without,
 * only a direct loopback client may read it: a request that came through
 * a proxy (it says so in Forwarded, X-Forwarded-For or X-Real-IP) is
 * refused, since a reverse proxy on the same host connects from loopback. */
static gboolean
metrics_allowed(Relay *r, SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const char *token = bearer(soup_message_headers_get_one(h, "Authorization"));

	if (r->cfg.metrics_token && *r->cfg.metrics_token)
		return token && relay_secure_equal(token, r->cfg.metrics_token);
	return is_loopback(msg) && !soup_message_headers_get_one(h, "Forwarded") &&
	       !soup_message_headers_get_one(h, "X-Forwarded-For") && !soup_message_headers_get_one(h, "X-Real-IP");
}

static void
metrics(Relay *r, SoupServerMessage *msg)
{
	GString *s = g_string_new(NULL);
	const WagVendor *const *v = wag_vendors();

	g_string_append(s, "# TYPE wagateway_relay_webhooks_received_total counter\n");
	for (guint i = 0; v[i] && i < RELAY_MAX_VENDORS; i++)
		g_string_append_printf(s, "wagateway_relay_webhooks_received_total{vendor=\"%s\"} %" G_GUINT64_FORMAT "\n",
		                       v[i]->id, (guint64) atomic_load(&r->stats.received[i]));
	g_string_append_printf(s, "# TYPE wagateway_relay_webhooks_stored_total counter\n"
	                       "wagateway_relay_webhooks_stored_total %" G_GUINT64_FORMAT "\n"
	                       "# TYPE wagateway_relay_webhooks_duplicate_total counter\n"
	                       "wagateway_relay_webhooks_duplicate_total %" G_GUINT64_FORMAT "\n"
	                       "# TYPE wagateway_relay_webhooks_ignored_total counter\n"
	                       "wagateway_relay_webhooks_ignored_total %" G_GUINT64_FORMAT "\n"
	                       "# TYPE wagateway_relay_rejected_total counter\n",
	                       (guint64) atomic_load(&r->stats.stored), (guint64) atomic_load(&r->stats.duplicates),
	                       (guint64) atomic_load(&r->stats.ignored));
	for (guint i = 0; i < REJECT_COUNT; i++)
		g_string_append_printf(s, "wagateway_relay_rejected_total{reason=\"%s\"} %" G_GUINT64_FORMAT "\n",
		                       relay_reject_name(i), (guint64) atomic_load(&r->stats.rejected[i]));
	g_string_append_printf(s, "# TYPE wagateway_relay_events_delivered_total counter\n"
	                       "wagateway_relay_events_delivered_total %" G_GUINT64_FORMAT "\n"
	                       "# TYPE wagateway_relay_clients_dropped_total counter\n"
	                       "wagateway_relay_clients_dropped_total %" G_GUINT64_FORMAT "\n"
	                       "# TYPE wagateway_relay_clients_connected gauge\n"
	                       "wagateway_relay_clients_connected %u\n"
	                       "# TYPE wagateway_relay_backlog_reads_waiting gauge\n"
	                       "wagateway_relay_backlog_reads_waiting %u\n"
	                       "# TYPE wagateway_relay_backlog_reads_peak gauge\n"
	                       "wagateway_relay_backlog_reads_peak %u\n"
	                       "# TYPE wagateway_relay_connections_open gauge\n"
	                       "wagateway_relay_connections_open %u\n"
	                       "# TYPE wagateway_relay_healthy gauge\n"
	                       "wagateway_relay_healthy %d\n",
	                       relay_clients_delivered(r->clients), relay_clients_dropped(r->clients),
	                       relay_clients_count(r->clients), relay_clients_reads_waiting(r->clients),
	                       relay_clients_reads_peak(r->clients), relay_gate_connections(r->gate),
	                       relay_store_healthy(r->store));
	soup_server_message_set_status(msg, 200, NULL);
	soup_server_message_set_response(msg, "text/plain; version=0.0.4", SOUP_MEMORY_TAKE, s->str, s->len);
	g_string_free(s, FALSE);
}

/* Routes are matched exactly (the gate refused every other path already). */
static void
handler(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	Relay *r = data;

	if (g_str_has_prefix(path, "/webhook/")) {
		webhook(r, msg, path);
	} else if ((strcmp(path, "/healthz") == 0 || strcmp(path, "/metrics") == 0) &&
	           strcmp(soup_server_message_get_method(msg), "GET") != 0 &&
	           strcmp(soup_server_message_get_method(msg), "HEAD") != 0) {
		soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Allow", "GET, HEAD");
		respond(msg, 405, "method not allowed");
	} else if (strcmp(path, "/healthz") == 0) {
		if (relay_store_healthy(r->store))
			respond(msg, 200, "ok");
		else
			respond(msg, 503, "database unavailable");
	} else if (strcmp(path, "/metrics") == 0) {
		if (metrics_allowed(r, msg))
			metrics(r, msg);
		else
			refuse(r, msg, REJECT_METRICS_FORBIDDEN, 403);
	} else if (strcmp(path, "/events") == 0) {
		respond(msg, 400, "WebSocket upgrade required");
	} else {
		respond(msg, 404, "not found");
	}
}

/* after=ID: digits only, and a gint64. */
static gboolean
after_ok(SoupServerMessage *msg, gint64 *after)
{
	const char *query = g_uri_get_query(soup_server_message_get_uri(msg));
	g_autoptr(GHashTable) q = query ? g_uri_parse_params(query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
	const char *a = q ? g_hash_table_lookup(q, "after") : NULL;
	gsize n = a ? strlen(a) : 0;
	guint64 v;

	*after = 0;
	if (query && !q)
		return FALSE;
	if (!a)
		return TRUE;
	/* g_ascii_string_to_unsigned() alone would take a leading '+'. */
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isdigit(a[i]))
			return FALSE;
	if (!n || !g_ascii_string_to_unsigned(a, 10, 0, G_MAXINT64, &v, NULL))
		return FALSE;
	*after = (gint64) v;
	return TRUE;
}

/* The handshake appends "Connection: Upgrade" to the "close" set below
 * for every other answer: a 101 says only Upgrade. */
static void
on_got_body(SoupServerMessage *msg, gpointer data)
{
	if (soup_server_message_get_status(msg) == SOUP_STATUS_SWITCHING_PROTOCOLS)
		soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Connection", "Upgrade");
}

/* The token was checked by the gate already; checked again here, where the
 * tenant is needed, so libsoup's own path matching decides nothing. */
static void
on_got_headers(SoupServerMessage *msg, gpointer data)
{
	Relay *r = data;
	const char *path = g_uri_get_path(soup_server_message_get_uri(msg));
	gint64 after;

	if (!g_str_has_prefix(path, "/events"))
		return;
	g_signal_connect_after(msg, "got-body", G_CALLBACK(on_got_body), NULL);
	/* Whatever the answer, the connection ends with it unless it upgrades
	 * (the handshake replaces this header): the gate stops reading heads
	 * after an upgrade request. */
	soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Connection", "close");
	if (strcmp(path, "/events") != 0) {
		respond(msg, 404, "not found");
	} else if (!bearer_tenant(r, msg)) {
		soup_message_headers_replace(soup_server_message_get_response_headers(msg), "WWW-Authenticate", "Bearer");
		refuse(r, msg, REJECT_BAD_TOKEN, 401);
	} else if (!after_ok(msg, &after)) {
		refuse(r, msg, REJECT_BAD_REQUEST, 400);
	}
}

static void
on_request_started(SoupServer *server, SoupServerMessage *msg, gpointer data)
{
	g_signal_connect(msg, "got-headers", G_CALLBACK(on_got_headers), data);
}

static void
on_ws(SoupServer *server, SoupServerMessage *msg, const char *path, SoupWebsocketConnection *ws, gpointer data)
{
	Relay *r = data;
	gint64 after = 0;
	const RelayTenant *t = bearer_tenant(r, msg);

	if (!t || strcmp(path, "/events") != 0 || r->stopping || !after_ok(msg, &after)) {
		soup_websocket_connection_close(ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
		return;
	}
	/* A follower only ever sends acks: a bigger frame is answered 1009. */
	g_object_set(ws, "max-incoming-payload-size", (guint64) WS_MAX_INCOMING, NULL);
	relay_clients_add(r->clients, ws, t, after);
}

/* ---- the gate's rules ---- */

static gboolean
secret_ok(const char *secret, gsize len, gpointer data)
{
	Relay *r = data;
	return relay_tenant_by_secret(&r->cfg, secret, len) != NULL;
}

static gboolean
token_ok(const char *token, gsize len, gpointer data)
{
	Relay *r = data;
	return relay_tenant_by_token(&r->cfg, token, len) != NULL;
}

static void
serve(GIOStream *io, GSocketAddress *local, GSocketAddress *remote, gpointer data)
{
	Relay *r = data;
	g_autoptr(GError) err = NULL;

	if (!soup_server_accept_iostream(r->server, io, local, remote, &err))
		relay_log("error", "msg=\"cannot serve a connection\" error=\"%s\"", err->message);
}

/* ---- setup ---- */

static GInetSocketAddress *
parse_listen(const char *spec, GError **error)
{
	g_autofree char *host = NULL;
	const char *colon = strrchr(spec, ':');
	GSocketAddress *addr;
	guint64 port;

	if (!colon || !g_ascii_string_to_unsigned(colon + 1, 10, 0, 65535, &port, NULL)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "listen must be ADDR:PORT, not \"%s\"", spec);
		return NULL;
	}
	host = g_strndup(spec, colon - spec);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	addr = g_inet_socket_address_new_from_string(host, (guint) port);
	if (!addr)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an IP address: \"%s\"", host);
	return (GInetSocketAddress *) addr;
}

static GSocket *
listen_on(GInetSocketAddress *addr, GError **error)
{
	g_autoptr(GSocket) sock = g_socket_new(g_socket_address_get_family(G_SOCKET_ADDRESS(addr)), G_SOCKET_TYPE_STREAM,
	                                       G_SOCKET_PROTOCOL_TCP, error);
	if (!sock)
		return NULL;
	g_socket_set_listen_backlog(sock, 1024);
	/* allow_reuse: SO_REUSEADDR only; a second relay on the port is refused. */
	if (!g_socket_bind(sock, G_SOCKET_ADDRESS(addr), TRUE, error) || !g_socket_listen(sock, error))
		return NULL;
	return g_steal_pointer(&sock);
}

/* libsoup 3.2 keeps a connection alive only while the server has a
 * listener of its own (request_finished checks priv->listeners), and the
 * gate does the listening. So it gets one nobody can reach: a Unix socket
 * whose name is removed as soon as it listens. */
static gboolean
give_soup_a_listener(SoupServer *server, GError **error)
{
	g_autofree char *dir = g_dir_make_tmp("wagateway-relay-XXXXXX", error);
	g_autofree char *path = dir ? g_build_filename(dir, "s", NULL) : NULL;
	g_autoptr(GSocketAddress) addr = path ? g_unix_socket_address_new(path) : NULL;
	g_autoptr(GSocket) sock = addr ? g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, error) : NULL;
	gboolean ok = sock && g_socket_bind(sock, addr, FALSE, error) && g_socket_listen(sock, error);

	if (path)
		g_unlink(path);
	if (dir)
		g_rmdir(dir);
	return ok && soup_server_listen_socket(server, sock, 0, error);
}

static void
notify(const char *state)
{
#ifdef WAG_HAVE_SYSTEMD
	sd_notify(0, state);
#endif
}

static gboolean
tick(gpointer data)
{
	Relay *r = data;
	relay_store_check(r->store);
	/* The watchdog hears from a main loop that still turns. */
	notify("WATCHDOG=1");
	return G_SOURCE_CONTINUE;
}

static gboolean
summary(gpointer data)
{
	relay_reject_summary(&((Relay *) data)->stats);
	return G_SOURCE_CONTINUE;
}

static gboolean
wait_clients(gpointer data)
{
	Relay *r = data;
	if (relay_clients_count(r->clients) && g_get_monotonic_time() < r->stop_deadline)
		return G_SOURCE_CONTINUE;
	g_main_loop_quit(r->loop);
	return G_SOURCE_REMOVE;
}

/* Stop taking connections, tell the followers (1001), give their close
 * frames a moment, then stop. */
static gboolean
on_signal(gpointer data)
{
	Relay *r = data;
	if (r->stopping)
		return G_SOURCE_CONTINUE;
	r->stopping = TRUE;
	relay_log("info", "msg=\"stopping\" clients=%u", relay_clients_count(r->clients));
	notify("STOPPING=1");
	relay_gate_stop(r->gate);
	relay_clients_close_all(r->clients);
	r->stop_deadline = g_get_monotonic_time() + STOP_GRACE_MS * 1000;
	g_timeout_add(20, wait_clients, r);
	return G_SOURCE_CONTINUE;
}

static gboolean
prune(gpointer data)
{
	Relay *r = data;
	gint64 now = g_get_real_time() / 1000;

	relay_store_prune(r->store, now - (gint64) r->cfg.retention_days * 86400000,
	                  now - (gint64) r->cfg.message_retention_days * 86400000);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	Relay r = { 0 };
	g_autofree char *config = NULL, *listen = NULL, *db = NULL;
	gboolean version = FALSE;
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Configuration file (GKeyFile, group [relay])", "FILE" },
		{ "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (default 127.0.0.1:8719)", "ADDR:PORT" },
		{ "db", 'd', 0, G_OPTION_ARG_FILENAME, &db, "Event database (SQLite)", "PATH" },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- WhatsApp gateway webhook relay");
	g_autoptr(GError) err = NULL;
	g_autoptr(GInetSocketAddress) addr = NULL;
	g_autoptr(GSocket) listener = NULL;
	RelayGateRules rules;
	const WagVendor *const *vendors = wag_vendors();

	setlocale(LC_ALL, "");
	/* The database and its WAL hold group membership data: owner only. */
	umask(0077);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit makes a write fail (a commit gets 503), not the process die. */
	signal(SIGXFSZ, SIG_IGN);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, "Webhooks: POST /webhook/VENDOR/SECRET (zapi, greenapi, wawp).\n"
	                                   "Events: GET /events?after=ID (WebSocket, Authorization: Bearer TOKEN).\n"
	                                   "See wagateway-relay(8).");
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		g_printerr("wagateway-relay: %s\n", err->message);
		return 2;
	}
	if (version) {
		g_print("wagateway-relay %s\n", WAG_VERSION);
		return 0;
	}
	if (!relay_config_load(&r.cfg, config, &err)) {
		g_printerr("wagateway-relay: cannot read %s: %s\n", config, err->message);
		return 2;
	}
	if (!relay_config_check(&r.cfg, &err)) {
		g_printerr("wagateway-relay: %s\n", err->message);
		return 2;
	}
	if (listen) {
		g_free(r.cfg.listen);
		r.cfg.listen = g_strdup(listen);
	}
	if (db) {
		g_free(r.cfg.db);
		r.cfg.db = g_strdup(db);
	}
	if (!r.cfg.listen)
		r.cfg.listen = g_strdup("127.0.0.1:8719");
	if (!r.cfg.db)
		r.cfg.db = g_build_filename(g_get_user_state_dir(), "wagateway-relay", "events.db", NULL);
	r.store = relay_store_open(r.cfg.db, &err);
	if (!r.store) {
		g_printerr("wagateway-relay: %s\n", err->message);
		return 1;
	}
	r.clients = relay_clients_new(&r.cfg, r.store);
	relay_store_set_committed(r.store, on_committed, &r);
	r.server = soup_server_new("server-header", "wagateway-relay", NULL);
	g_signal_connect(r.server, "request-started", G_CALLBACK(on_request_started), &r);
	soup_server_add_handler(r.server, NULL, handler, &r, NULL);
	soup_server_add_websocket_handler(r.server, "/events", NULL, NULL, on_ws, &r, NULL);
	if (!give_soup_a_listener(r.server, &err)) {
		g_printerr("wagateway-relay: cannot set up the HTTP server: %s\n", err->message);
		return 1;
	}
	addr = parse_listen(r.cfg.listen, &err);
	listener = addr ? listen_on(addr, &err) : NULL;
	if (!listener) {
		g_printerr("wagateway-relay: cannot listen on %s: %s\n", r.cfg.listen, err->message);
		return 1;
	}
	for (guint i = 0; vendors[i] && i < RELAY_MAX_VENDORS; i++)
		r.vendor_ids[i] = vendors[i]->id;
	rules = (RelayGateRules) { r.cfg.max_head, r.cfg.max_body, r.vendor_ids, secret_ok, token_ok, &r };
	r.gate = relay_gate_new(listener, &r.cfg, &rules, &r.stats, serve, &r);
	/* Before the "listening" line: whoever waits for it may signal at once. */
	r.loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, on_signal, &r);
	g_unix_signal_add(SIGINT, on_signal, &r);
	{
		g_autoptr(GSocketAddress) bound = g_socket_get_local_address(listener, NULL);
		g_autofree char *host = g_inet_address_to_string(g_inet_socket_address_get_address(addr));
		relay_log("info", "msg=\"listening\" addr=%s:%u db=%s last_id=%" G_GINT64_FORMAT " tenants=%u", host,
		          g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound)), r.cfg.db, relay_store_last_id(r.store),
		          r.cfg.tenants->len);
	}

	prune(&r);
	g_timeout_add_seconds(3600, prune, &r);
	g_timeout_add_seconds(60, summary, &r);
	g_timeout_add(2000, tick, &r);
	notify("READY=1");
	g_main_loop_run(r.loop);

	/* Webhooks at the store still get their answer: let the store finish. */
	relay_store_close(r.store);
	relay_clients_free(r.clients);
	soup_server_disconnect(r.server);
	relay_gate_free(r.gate);
	g_object_unref(r.server);
	g_main_loop_unref(r.loop);
	relay_config_clear(&r.cfg);
	relay_log("info", "msg=\"stopped\"");
	return 0;
}
