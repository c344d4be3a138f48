/* wagateway-relay: receives the vendors' webhooks, keeps the participant
 * events durably, and streams them to the plugins that follow it. */
#include "relay.h"
#include "relay-ingest.h"
#include "relay-prefixed.h"
#include "relay-store.h"
#include "wag-vendor.h"
#include "wag-json.h"
#include <libsoup/soup.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#define BACKLOG_PAGE 500

typedef struct {
	gint ref;
	SoupWebsocketConnection *ws;
	gint64 last_sent;
	gint64 acked;
	gboolean live;
	gboolean closed;
} Client;

typedef struct {
	RelayConfig cfg;
	SoupServer *server;
	RelayIngest *ingest;
	RelayStore *store;
	GMainLoop *loop;
	GPtrArray *clients;
	RelayStats stats;
	guint64 delivered;
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

/* ---- streaming to plugins ---- */

static Client *
client_ref(Client *c)
{
	g_atomic_int_inc(&c->ref);
	return c;
}

static void
client_unref(gpointer p)
{
	Client *c = p;
	if (g_atomic_int_dec_and_test(&c->ref)) {
		g_object_unref(c->ws);
		g_free(c);
	}
}

static void
send_events(Relay *r, Client *c, GPtrArray *events)
{
	for (guint i = 0; i < events->len && !c->closed; i++) {
		WagEvent *e = events->pdata[i];
		g_autoptr(JsonNode) n = NULL;
		g_autofree char *text = NULL;

		if (e->id <= c->last_sent)
			continue;
		n = wag_event_to_json(e);
		text = json_to_string(n, FALSE);
		soup_websocket_connection_send_text(c->ws, text);
		c->last_sent = e->id;
		r->delivered++;
	}
}

typedef struct {
	Relay *relay;
	Client *client;
} ReadCtx;

static void
read_ctx_free(gpointer p)
{
	ReadCtx *rc = p;
	client_unref(rc->client);
	g_free(rc);
}

static void backlog(Relay *r, Client *c);

static void
on_backlog(GPtrArray *events, gboolean more, gpointer data)
{
	ReadCtx *rc = data;
	Client *c = rc->client;

	if (c->closed)
		return;
	send_events(rc->relay, c, events);
	if (more)
		backlog(rc->relay, c);
	else
		c->live = TRUE; /* later commits reach it by broadcast, in order */
}

static void
backlog(Relay *r, Client *c)
{
	ReadCtx *rc = g_new0(ReadCtx, 1);
	rc->relay = r;
	rc->client = client_ref(c);
	relay_store_read(r->store, c->last_sent, BACKLOG_PAGE, on_backlog, rc, read_ctx_free);
}

static void
on_ws_message(SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
	Client *c = data;
	gsize len;
	const char *text = g_bytes_get_data(message, &len);
	g_autoptr(JsonNode) n = NULL;

	if (type != SOUP_WEBSOCKET_DATA_TEXT)
		return;
	n = wag_json_parse(text, len, NULL);
	if (wag_json_obj(n) && json_object_has_member(wag_json_obj(n), "ack"))
		c->acked = MAX(c->acked, wag_json_int(wag_json_obj(n), "ack", c->acked));
}

static void
on_ws_closed(SoupWebsocketConnection *ws, gpointer data)
{
	Relay *r = g_object_get_data(G_OBJECT(ws), "relay");
	Client *c = data;

	c->closed = TRUE;
	relay_log("info", "msg=\"client gone\" last_sent=%" G_GINT64_FORMAT " acked=%" G_GINT64_FORMAT, c->last_sent, c->acked);
	g_ptr_array_remove(r->clients, c);
	relay_store_set_listening(r->store, r->clients->len > 0);
}

static void
on_ws(SoupServer *server, SoupServerMessage *msg, const char *path, SoupWebsocketConnection *ws, gpointer data)
{
	Relay *r = data;
	GUri *uri = soup_server_message_get_uri(msg);
	g_autoptr(GHashTable) q = g_uri_get_query(uri) ?
		g_uri_parse_params(g_uri_get_query(uri), -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
	const char *after = q ? g_hash_table_lookup(q, "after") : NULL;
	Client *c = g_new0(Client, 1);

	c->ref = 1;
	c->ws = g_object_ref(ws);
	c->last_sent = after ? MAX(0, g_ascii_strtoll(after, NULL, 10)) : 0;
	g_object_set_data(G_OBJECT(ws), "relay", r);
	soup_websocket_connection_set_keepalive_interval(ws, 30);
	g_signal_connect(ws, "message", G_CALLBACK(on_ws_message), c);
	g_signal_connect(ws, "closed", G_CALLBACK(on_ws_closed), c);
	g_ptr_array_add(r->clients, c);
	relay_store_set_listening(r->store, TRUE);
	relay_log("info", "msg=\"client connected\" after=%" G_GINT64_FORMAT, c->last_sent);
	backlog(r, c);
}

static void
broadcast(Relay *r, GPtrArray *events)
{
	for (guint i = 0; i < r->clients->len; i++) {
		Client *c = r->clients->pdata[i];
		if (c->live)
			send_events(r, c, events);
	}
}

/* ---- webhooks that reach libsoup (the ingest threads take the usual ones) ---- */

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
on_stored(const GError *error, gpointer data)
{
	Pending *p = data;

	g_signal_handlers_disconnect_by_func(p->msg, on_disconnected, p);
	relay_webhook_stored(&p->relay->stats, error);
	if (!p->gone) {
		/* Committed: only now does the vendor hear 200. */
		respond(p->msg, error ? 503 : 200, error ? "store failed" : "ok");
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
	GPtrArray *events = NULL;
	RelayReject reason;
	RelayWebhook w;
	guint status;
	Pending *p;

	if (g_object_get_data(G_OBJECT(msg), "wag-too-large")) {
		refuse(r, msg, REJECT_TOO_LARGE, 413);
		return;
	}
	body = soup_message_body_flatten(soup_server_message_get_request_body(msg));
	ctype = ct ? g_ascii_strdown(ct, -1) : NULL;
	w = (RelayWebhook) { soup_server_message_get_method(msg), path, ctype,
	                     soup_message_headers_get_one(h, RELAY_HMAC_HEADER),
	                     g_bytes_get_data(body, NULL), g_bytes_get_size(body) };
	status = relay_webhook_decide(&r->cfg, &r->stats, &w, &events, &reason);
	if (status != 200) {
		respond(msg, status, relay_reject_name(reason));
		return;
	}
	if (!events->len) {
		g_ptr_array_unref(events);
		respond(msg, 200, "ignored");
		return;
	}
	p = g_new0(Pending, 1);
	p->relay = r;
	p->msg = g_object_ref(msg);
	g_signal_connect(msg, "disconnected", G_CALLBACK(on_disconnected), p);
	soup_server_message_pause(msg);
	relay_store_append(r->store, events, on_stored, p);
}

/* Every commit, from either front end, reaches the followers in id order. */
static void
on_committed(GPtrArray *events, gpointer data)
{
	broadcast(data, events);
}

/* ---- the rest of HTTP ---- */

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
	                       "# TYPE wagateway_relay_webhooks_ignored_total counter\n"
	                       "wagateway_relay_webhooks_ignored_total %" G_GUINT64_FORMAT "\n"
	                       "# TYPE wagateway_relay_webhooks_rejected_total counter\n",
	                       (guint64) atomic_load(&r->stats.stored), (guint64) atomic_load(&r->stats.ignored));
	for (guint i = 0; i < REJECT_COUNT; i++) {
		guint64 n = atomic_load(&r->stats.rejected[i]);
		if (n)
			g_string_append_printf(s, "wagateway_relay_webhooks_rejected_total{reason=\"%s\"} %" G_GUINT64_FORMAT "\n",
			                       relay_reject_name(i), n);
	}
	g_string_append_printf(s, "# TYPE wagateway_relay_events_delivered_total counter\n"
	                       "wagateway_relay_events_delivered_total %" G_GUINT64_FORMAT "\n"
	                       "# TYPE wagateway_relay_clients_connected gauge\n"
	                       "wagateway_relay_clients_connected %u\n", r->delivered, r->clients->len);
	soup_server_message_set_status(msg, 200, NULL);
	soup_server_message_set_response(msg, "text/plain; version=0.0.4", SOUP_MEMORY_TAKE, s->str, s->len);
	g_string_free(s, FALSE);
}

static void
handler(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	Relay *r = data;

	if (g_str_has_prefix(path, "/webhook/"))
		webhook(r, msg, path);
	else if (strcmp(path, "/healthz") == 0)
		respond(msg, 200, "ok");
	else if (strcmp(path, "/metrics") == 0)
		metrics(r, msg);
	else if (strcmp(path, "/events") == 0)
		respond(msg, 400, "WebSocket upgrade required");
	else
		respond(msg, 404, "not found");
}

/* A body without a declared length stops being kept once over the limit. */
static void
on_got_chunk(SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
	Relay *r = data;
	gsize seen = GPOINTER_TO_SIZE(g_object_get_data(G_OBJECT(msg), "wag-seen")) + g_bytes_get_size(chunk);

	g_object_set_data(G_OBJECT(msg), "wag-seen", GSIZE_TO_POINTER(seen));
	if (seen > r->cfg.max_body && !g_object_get_data(G_OBJECT(msg), "wag-too-large")) {
		g_object_set_data(G_OBJECT(msg), "wag-too-large", GINT_TO_POINTER(1));
		soup_message_body_set_accumulate(soup_server_message_get_request_body(msg), FALSE);
	}
}

/* Bounds memory before the body is read: a declared length over the limit
 * is refused at once; other bodies are counted as they arrive. */
static void
on_got_headers(SoupServerMessage *msg, gpointer data)
{
	Relay *r = data;
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const char *path = g_uri_get_path(soup_server_message_get_uri(msg));

	if (soup_message_headers_get_encoding(h) == SOUP_ENCODING_CONTENT_LENGTH &&
	    soup_message_headers_get_content_length(h) > (goffset) r->cfg.max_body) {
		soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Connection", "close");
		refuse(r, msg, REJECT_TOO_LARGE, 413);
		return;
	}
	if (soup_message_headers_get_encoding(h) != SOUP_ENCODING_CONTENT_LENGTH)
		g_signal_connect(msg, "got-chunk", G_CALLBACK(on_got_chunk), r);
	if (g_str_equal(path, "/events")) {
		const char *auth = soup_message_headers_get_one(h, "Authorization");
		if (!auth || !g_str_has_prefix(auth, "Bearer ") || !relay_secure_equal(auth + 7, r->cfg.client_token)) {
			soup_message_headers_replace(soup_server_message_get_response_headers(msg), "WWW-Authenticate", "Bearer");
			respond(msg, 401, "bad client token");
			relay_log("info", "msg=\"client refused\" reason=bad_token");
		}
	}
}

static void
on_request_started(SoupServer *server, SoupServerMessage *msg, gpointer data)
{
	g_signal_connect(msg, "got-headers", G_CALLBACK(on_got_headers), data);
}

/* ---- setup ---- */

static gboolean
load_config(RelayConfig *cfg, const char *file, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) e = NULL;
	gint64 n;

	cfg->max_body = 262144;
	cfg->retention_days = 7;
	if (!file)
		return TRUE;
	if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, error))
		return FALSE;
#define STR(key, field) do { char *v_ = g_key_file_get_string(kf, "relay", key, NULL); \
	if (v_) { g_free(cfg->field); cfg->field = g_strstrip(v_); } } while (0)
	STR("listen", listen);
	STR("db", db);
	STR("webhook_secret", webhook_secret);
	STR("client_token", client_token);
	STR("wawp_hmac_key", wawp_hmac_key);
#undef STR
	n = g_key_file_get_int64(kf, "relay", "max_body_bytes", &e);
	if (!e && n > 0)
		cfg->max_body = (gsize) n;
	g_clear_error(&e);
	n = g_key_file_get_int64(kf, "relay", "retention_days", &e);
	if (!e && n > 0)
		cfg->retention_days = (guint) n;
	g_clear_error(&e);
	n = g_key_file_get_int64(kf, "relay", "ingest_threads", &e);
	if (!e && n > 0)
		cfg->ingest_threads = (guint) MIN(n, 64);
	g_clear_error(&e);
	if (g_key_file_has_key(kf, "relay", "ingest_io_uring", NULL) &&
	    !g_key_file_get_boolean(kf, "relay", "ingest_io_uring", &e) && !e)
		cfg->no_io_uring = TRUE;
	g_clear_error(&e);
	cfg->instances = g_key_file_get_string_list(kf, "relay", "instances", NULL, NULL);
	return TRUE;
}

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

/* A connection the ingest threads do not serve themselves. */
static void
on_handoff(GSocket *socket, GBytes *prefix, gpointer data)
{
	Relay *r = data;
	g_autoptr(GSocketConnection) conn = g_socket_connection_factory_create_connection(socket);
	g_autoptr(GIOStream) io = relay_prefixed_stream_new(conn, prefix);
	g_autoptr(GSocketAddress) local = g_socket_get_local_address(socket, NULL);
	g_autoptr(GSocketAddress) remote = g_socket_get_remote_address(socket, NULL);
	g_autoptr(GError) err = NULL;

	if (!soup_server_accept_iostream(r->server, io, local, remote, &err))
		relay_log("error", "msg=\"cannot serve a connection\" error=\"%s\"", err->message);
}

static gboolean
on_signal(gpointer data)
{
	Relay *r = data;
	relay_log("info", "msg=\"stopping\"");
	g_main_loop_quit(r->loop);
	return G_SOURCE_REMOVE;
}

static gboolean
prune(gpointer data)
{
	Relay *r = data;
	relay_store_prune(r->store, g_get_real_time() / 1000 - (gint64) r->cfg.retention_days * 86400000);
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

	setlocale(LC_ALL, "");
	/* The database and its WAL hold group membership data: owner only. */
	umask(0077);
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
	if (!load_config(&r.cfg, config, &err)) {
		g_printerr("wagateway-relay: cannot read %s: %s\n", config, err->message);
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
	if (!r.cfg.webhook_secret || strlen(r.cfg.webhook_secret) < 16 || !r.cfg.client_token || strlen(r.cfg.client_token) < 16) {
		g_printerr("wagateway-relay: webhook_secret and client_token must be set in the configuration, "
		           "16 characters at least each (e.g. from: openssl rand -hex 24)\n");
		return 2;
	}
	r.store = relay_store_open(r.cfg.db, &err);
	if (!r.store) {
		g_printerr("wagateway-relay: %s\n", err->message);
		return 1;
	}
	r.clients = g_ptr_array_new_with_free_func(client_unref);
	relay_store_set_committed(r.store, on_committed, &r);
	r.server = soup_server_new("server-header", "wagateway-relay", NULL);
	g_signal_connect(r.server, "request-started", G_CALLBACK(on_request_started), &r);
	soup_server_add_handler(r.server, NULL, handler, &r, NULL);
	soup_server_add_websocket_handler(r.server, "/events", NULL, NULL, on_ws, &r, NULL);
	addr = parse_listen(r.cfg.listen, &err);
	r.ingest = addr ? relay_ingest_start(&r.cfg, &r.stats, r.store, addr, on_handoff, &r, &err) : NULL;
	if (!r.ingest) {
		g_printerr("wagateway-relay: cannot listen on %s: %s\n", r.cfg.listen, err->message);
		return 1;
	}
	{
		g_autofree char *host = g_inet_address_to_string(g_inet_socket_address_get_address(addr));
		relay_log("info", "msg=\"listening\" addr=%s:%u db=%s last_id=%" G_GINT64_FORMAT " answers=%s", host,
		          relay_ingest_port(r.ingest), r.cfg.db, relay_store_last_id(r.store), relay_ingest_answers(r.ingest));
	}

	r.loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, on_signal, &r);
	g_unix_signal_add(SIGINT, on_signal, &r);
	prune(&r);
	g_timeout_add_seconds(3600, prune, &r);
	g_main_loop_run(r.loop);

	/* Webhooks at the store still get their answer: stop taking new ones,
	 * let the store finish, then free what the workers left. */
	relay_ingest_stop(r.ingest);
	soup_server_disconnect(r.server);
	relay_store_close(r.store);
	relay_ingest_free(r.ingest);
	relay_log("info", "msg=\"stopped\"");
	return 0;
}
