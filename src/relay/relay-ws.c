/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "relay-ws.h"
#include "wag-json.h"
#include <string.h>

#define BACKLOG_PAGE 500
/* Backlog pages in memory at once, whoever reads them: each is up to 1 MB
 * (relay-store-db.c), and 4,096 followers catching up together held one
 * each. The store thread reads one page at a time anyway; the others wait
 * their turn here, in order. */
#define PAGE_READS_MAX 4

struct _RelayClients {
	const RelayConfig *cfg;
	RelayStore *store;
	GPtrArray *list; /* Client* */
	guint64 delivered, dropped;
	guint timer;
	gint64 log_minute;           /* monotonic start of the current minute */
	guint log_lines, connects, closes; /* this minute */
	guint reads, reads_peak; /* backlog pages being read */
	GQueue read_wait;        /* Client* (a ref each) waiting to read */
};

#define LOG_LINES_PER_MINUTE 20

typedef struct {
	gint64 id;
	gsize bytes;
} Sent;

typedef struct {
	gint ref;
	RelayClients *cs;
	SoupWebsocketConnection *ws;
	const char *tenant; /* interned */
	gint64 last_sent, acked;
	GQueue unacked; /* Sent*, in id order */
	gsize unacked_bytes;
	gint64 waiting_since; /* monotonic: oldest unacked send with no ack since; 0 = none */
	gboolean live;    /* follows the commits */
	gboolean reading; /* a backlog page is being read, or waits its turn */
	gboolean closed;
	GSource *writable; /* waiting for the socket to take more */
} Client;

/* Connects and closes are logged at most LOG_LINES_PER_MINUTE a minute
 * (a follower churning in a loop wrote thousands), then summed up once a
 * minute. */
static void
log_minute_roll(RelayClients *cs, gint64 now)
{
	if (now - cs->log_minute < 60 * G_USEC_PER_SEC)
		return;
	if (cs->log_lines > LOG_LINES_PER_MINUTE)
		relay_log("info", "msg=\"followers in the last minute\" connected=%u closed=%u lines_suppressed=%u", cs->connects,
		          cs->closes, cs->log_lines - LOG_LINES_PER_MINUTE);
	cs->log_minute = now;
	cs->log_lines = cs->connects = cs->closes = 0;
}

static gboolean
log_allowed(RelayClients *cs)
{
	log_minute_roll(cs, g_get_monotonic_time());
	return ++cs->log_lines <= LOG_LINES_PER_MINUTE;
}

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
		g_queue_clear_full(&c->unacked, g_free);
		if (c->writable) {
			g_source_destroy(c->writable);
			g_source_unref(c->writable);
		}
		g_object_unref(c->ws);
		g_free(c);
	}
}

static gboolean
is_open(Client *c)
{
	return !c->closed && soup_websocket_connection_get_state(c->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

static gboolean
window_full(Client *c)
{
	return c->unacked_bytes >= c->cs->cfg->ws_max_queue_bytes;
}

static GPollableOutputStream *
output(Client *c)
{
	GOutputStream *out = g_io_stream_get_output_stream(soup_websocket_connection_get_io_stream(c->ws));
	return G_IS_POLLABLE_OUTPUT_STREAM(out) ? G_POLLABLE_OUTPUT_STREAM(out) : NULL;
}

/* Acks say what the follower applied, not what left the relay: a follower
 * acking everything while reading nothing made libsoup queue the whole
 * backlog in memory (libsoup 3 cannot say how much it holds). So a frame
 * goes to libsoup only while the socket takes more: libsoup then writes it
 * at once, and holds at most the frame that filled the kernel's buffer. */
static gboolean
socket_has_room(Client *c)
{
	GPollableOutputStream *out = output(c);
	return !out || g_pollable_output_stream_is_writable(out);
}

static void read_page(Client *c);

static gboolean
on_writable(GObject *stream, gpointer data)
{
	Client *c = data;
	g_source_unref(c->writable);
	c->writable = NULL;
	if (is_open(c) && !c->live && !c->reading && !window_full(c))
		read_page(c); /* what the commits skipped meanwhile is in the store */
	return G_SOURCE_REMOVE;
}

static void
wait_writable(Client *c)
{
	GPollableOutputStream *out = output(c);
	if (c->writable || !out)
		return;
	c->writable = g_pollable_output_stream_create_source(out, NULL);
	g_source_set_callback(c->writable, (GSourceFunc) (void (*)(void)) on_writable, client_ref(c), client_unref);
	g_source_attach(c->writable, NULL);
}

/* Sends what is new to c, while its window has room. Returns how many of
 * events were taken (sent, or already sent before). */
static guint
send_events(Client *c, GPtrArray *events)
{
	guint i;
	for (i = 0; i < events->len; i++) {
		WagEvent *e = events->pdata[i];
		g_autoptr(JsonNode) n = NULL;
		g_autofree char *text = NULL;
		Sent *sent;

		if (e->id <= c->last_sent)
			continue;
		if (!is_open(c) || window_full(c))
			break;
		if (!socket_has_room(c)) {
			wait_writable(c);
			break;
		}
		n = wag_event_to_json(e);
		text = json_to_string(n, FALSE);
		soup_websocket_connection_send_text(c->ws, text);
		sent = g_new(Sent, 1);
		sent->id = e->id;
		sent->bytes = strlen(text);
		g_queue_push_tail(&c->unacked, sent);
		c->unacked_bytes += sent->bytes;
		if (!c->waiting_since)
			c->waiting_since = g_get_monotonic_time();
		c->last_sent = e->id;
		c->cs->delivered++;
	}
	return i;
}

static void start_read(Client *c);

static void
on_page(GPtrArray *events, gboolean more, gpointer data)
{
	Client *c = data;
	RelayClients *cs = c->cs;

	cs->reads--;
	while (cs->reads < PAGE_READS_MAX && !g_queue_is_empty(&cs->read_wait)) {
		Client *next = g_queue_pop_head(&cs->read_wait);
		if (is_open(next))
			start_read(next);
		else
			next->reading = FALSE;
		client_unref(next);
	}
	c->reading = FALSE;
	if (!is_open(c))
		return;
	if (send_events(c, events) < events->len || window_full(c))
		return; /* on_ack reads on */
	if (more)
		read_page(c);
	else
		c->live = TRUE; /* later commits reach it by broadcast, in order */
}

static void
start_read(Client *c)
{
	RelayClients *cs = c->cs;

	cs->reads++;
	cs->reads_peak = MAX(cs->reads_peak, cs->reads);
	relay_store_read(cs->store, c->tenant, c->last_sent, BACKLOG_PAGE, on_page, client_ref(c), client_unref);
}

static void
read_page(Client *c)
{
	c->reading = TRUE;
	if (c->cs->reads < PAGE_READS_MAX)
		start_read(c);
	else
		g_queue_push_tail(&c->cs->read_wait, client_ref(c));
}

static void
on_message(SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
	Client *c = data;
	gsize len;
	const char *text = g_bytes_get_data(message, &len);
	g_autoptr(JsonNode) n = NULL;
	gint64 ack;

	if (type != SOUP_WEBSOCKET_DATA_TEXT)
		return;
	n = wag_json_parse(text, len, NULL);
	if (!wag_json_obj(n) || !json_object_has_member(wag_json_obj(n), "ack"))
		return;
	ack = MIN(wag_json_int(wag_json_obj(n), "ack", c->acked), c->last_sent);
	if (ack <= c->acked)
		return;
	c->acked = ack;
	while (!g_queue_is_empty(&c->unacked) && ((Sent *) g_queue_peek_head(&c->unacked))->id <= ack) {
		Sent *s = g_queue_pop_head(&c->unacked);
		c->unacked_bytes -= s->bytes;
		g_free(s);
	}
	c->waiting_since = g_queue_is_empty(&c->unacked) ? 0 : g_get_monotonic_time();
	/* Room again: catch up from the store (what was skipped is there). */
	if (!c->live && !c->reading && c->unacked_bytes < c->cs->cfg->ws_max_queue_bytes / 2 && is_open(c))
		read_page(c);
}

static void
on_closed(SoupWebsocketConnection *ws, gpointer data)
{
	Client *c = data;
	RelayClients *cs = c->cs;

	c->closed = TRUE;
	if (c->writable) {
		g_source_destroy(c->writable);
		g_clear_pointer(&c->writable, g_source_unref);
	}
	cs->closes++;
	if (log_allowed(cs))
		relay_log("info", "msg=\"client gone\" tenant=%s last_sent=%" G_GINT64_FORMAT " acked=%" G_GINT64_FORMAT " code=%u",
		          c->tenant, c->last_sent, c->acked, soup_websocket_connection_get_close_code(ws));
	g_signal_handlers_disconnect_by_data(ws, c);
	g_ptr_array_remove(cs->list, c);
	relay_store_set_listening(cs->store, cs->list->len > 0);
}

/* Closes followers that have left events unacked for too long: they read
 * nothing, or apply nothing; they come back with after=. */
static gboolean
check_stalls(gpointer data)
{
	RelayClients *cs = data;
	gint64 now = g_get_monotonic_time();

	log_minute_roll(cs, now);
	for (guint i = 0; i < cs->list->len; i++) {
		Client *c = cs->list->pdata[i];
		if (is_open(c) && c->waiting_since &&
		    now - c->waiting_since > (gint64) cs->cfg->ws_stall_seconds * G_USEC_PER_SEC) {
			g_autofree char *reason = g_strdup_printf("too far behind: reconnect with after=%" G_GINT64_FORMAT, c->acked);
			relay_log("info", "msg=\"client too far behind, closed\" tenant=%s unacked_bytes=%zu acked=%" G_GINT64_FORMAT,
			          c->tenant, c->unacked_bytes, c->acked);
			cs->dropped++;
			soup_websocket_connection_close(c->ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, reason);
		}
	}
	return G_SOURCE_CONTINUE;
}

RelayClients *
relay_clients_new(const RelayConfig *cfg, RelayStore *store)
{
	RelayClients *cs = g_new0(RelayClients, 1);
	cs->cfg = cfg;
	cs->store = store;
	cs->log_minute = g_get_monotonic_time();
	cs->list = g_ptr_array_new_with_free_func(client_unref);
	cs->timer = g_timeout_add(MIN(1000, cfg->ws_stall_seconds * 250), check_stalls, cs);
	return cs;
}

void
relay_clients_add(RelayClients *cs, SoupWebsocketConnection *ws, const RelayTenant *tenant, gint64 after)
{
	Client *c = g_new0(Client, 1);

	c->ref = 1;
	c->cs = cs;
	c->ws = g_object_ref(ws);
	c->tenant = tenant->name;
	c->last_sent = c->acked = MAX(0, after);
	soup_websocket_connection_set_keepalive_interval(ws, 30);
	g_signal_connect(ws, "message", G_CALLBACK(on_message), c);
	g_signal_connect(ws, "closed", G_CALLBACK(on_closed), c);
	g_ptr_array_add(cs->list, c);
	relay_store_set_listening(cs->store, TRUE);
	cs->connects++;
	if (log_allowed(cs))
		relay_log("info", "msg=\"client connected\" tenant=%s after=%" G_GINT64_FORMAT, c->tenant, c->last_sent);
	read_page(c);
}

void
relay_clients_committed(RelayClients *cs, GPtrArray *events, GPtrArray *tenants)
{
	g_autoptr(GPtrArray) mine = g_ptr_array_new();

	for (guint i = 0; i < cs->list->len; i++) {
		Client *c = cs->list->pdata[i];
		if (!c->live)
			continue;
		g_ptr_array_set_size(mine, 0);
		for (guint j = 0; j < events->len; j++)
			if (tenants->pdata[j] == c->tenant)
				g_ptr_array_add(mine, events->pdata[j]);
		if (send_events(c, mine) < mine->len)
			c->live = FALSE; /* behind: it catches up from the store after its acks */
	}
}

guint
relay_clients_count(RelayClients *cs)
{
	return cs->list->len;
}

guint64
relay_clients_delivered(RelayClients *cs)
{
	return cs->delivered;
}

guint64
relay_clients_dropped(RelayClients *cs)
{
	return cs->dropped;
}

guint
relay_clients_reads_waiting(RelayClients *cs)
{
	return cs->read_wait.length;
}

guint
relay_clients_reads_peak(RelayClients *cs)
{
	return cs->reads_peak;
}

void
relay_clients_close_all(RelayClients *cs)
{
	for (guint i = 0; i < cs->list->len; i++) {
		Client *c = cs->list->pdata[i];
		if (is_open(c))
			soup_websocket_connection_close(c->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "relay stopping");
	}
}

void
relay_clients_free(RelayClients *cs)
{
	g_source_remove(cs->timer);
	for (guint i = 0; i < cs->list->len; i++)
		g_signal_handlers_disconnect_by_data(((Client *) cs->list->pdata[i])->ws, cs->list->pdata[i]);
	g_queue_clear_full(&cs->read_wait, client_unref);
	g_ptr_array_unref(cs->list);
	g_free(cs);
}
