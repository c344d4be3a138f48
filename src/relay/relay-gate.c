/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "relay-gate-private.h"
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define ACCEPT_BURST 64
#define RESUME_MS 250
#define READ_HEAD 4096
#define READ_BODY 16384

static void gated_pollable_init(GPollableInputStreamInterface *iface);
G_DEFINE_TYPE_WITH_CODE(Gated, gated, G_TYPE_INPUT_STREAM,
                        G_IMPLEMENT_INTERFACE(G_TYPE_POLLABLE_INPUT_STREAM, gated_pollable_init))
#define GATED(o) (G_TYPE_CHECK_INSTANCE_CAST((o), gated_get_type(), Gated))

static RelayReject
to_reject(RelayGateReason r)
{
	switch (r) {
	case GATE_HEAD_TOO_LARGE: return REJECT_HEADERS_TOO_LARGE;
	case GATE_BODY_TOO_LARGE: return REJECT_TOO_LARGE;
	case GATE_NOT_FOUND: return REJECT_NOT_FOUND;
	case GATE_UNKNOWN_VENDOR: return REJECT_UNKNOWN_VENDOR;
	case GATE_BAD_SECRET: return REJECT_BAD_SECRET;
	case GATE_BAD_TOKEN: return REJECT_BAD_TOKEN;
	case GATE_EXPECTATION: return REJECT_EXPECTATION;
	default: return REJECT_BAD_REQUEST;
	}
}

static char *
answer(guint status, const char *text, const char *extra)
{
	return g_strdup_printf("HTTP/1.1 %u %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
	                       "Connection: close\r\n%s\r\n%s",
	                       status, status == 431 ? "Request Header Fields Too Large" : soup_status_get_phrase(status),
	                       strlen(text), extra, text);
}

/* ---- the stream libsoup reads ---- */

/* The connection leaves the gate's count: closed, or handed to a drain. */
static void
gated_release(Gated *s)
{
	if (s->released)
		return;
	s->released = TRUE;
	if (s->gate) {
		relay_gate_uncount(s);
		/* A WebSocket closed by the relay (1009 for a frame too big, say)
		 * may have unread bytes: closing now would reset the connection
		 * and lose the close frame. */
		if (s->refusal || s->abort || s->phase == PHASE_RAW) {
			relay_gate_drain_start(s->gate, s->conn);
			return;
		}
	}
	g_io_stream_close(G_IO_STREAM(s->conn), NULL, NULL);
}

static void
refuse(Gated *s, RelayGateReason reason, guint status)
{
	RelayReject r = to_reject(reason);
	if (s->gate)
		relay_reject(s->gate->stats, r, status);
	s->refusal = answer(status, relay_reject_name(r), status == 401 && reason == GATE_BAD_TOKEN ? "WWW-Authenticate: Bearer\r\n" : "");
}

/* Moves the bytes read so far through the framing: heads are judged,
 * bodies followed, and what passed is cleared for libsoup. */
static void
advance(Gated *s)
{
	for (;;) {
		gsize avail = s->buf->len - s->cleared;
		const char *at = (const char *) s->buf->data + s->cleared;

		if (!avail || s->refusal || s->abort || s->hold)
			return;
		switch (s->phase) {
		case PHASE_RAW:
			s->cleared = s->buf->len;
			return;
		case PHASE_HEAD: {
			RelayGateVerdict v;
			relay_gate_parse(at, avail, &s->gate->rules, &v);
			if (v.result == GATE_MORE)
				return;
			if (v.result == GATE_REFUSE) {
				refuse(s, v.reason, v.status);
				g_byte_array_set_size(s->buf, s->cleared);
				return;
			}
			s->cleared += v.head_len;
			s->first = FALSE;
			s->head_started = 0;
			s->phase = v.body == GATE_BODY_LENGTH ? PHASE_BODY : v.body == GATE_BODY_CHUNKED ? PHASE_CHUNKED :
			           v.body == GATE_BODY_UPGRADE ? PHASE_RAW : PHASE_HEAD;
			s->left = v.length;
			memset(&s->chunks, 0, sizeof s->chunks);
			s->hold = s->phase == PHASE_HEAD;
			break;
		}
		case PHASE_BODY: {
			gsize n = (gsize) MIN((guint64) avail, s->left);
			s->cleared += n;
			s->left -= n;
			if (!s->left)
				s->phase = PHASE_HEAD, s->hold = TRUE;
			break;
		}
		case PHASE_CHUNKED: {
			gsize used = 0;
			RelayChunksResult r = relay_chunks_feed(&s->chunks, at, avail, s->gate->cfg->max_body, &used);
			s->cleared += used;
			if (r == CHUNKS_DONE) {
				s->phase = PHASE_HEAD;
				s->hold = TRUE;
			} else if (r != CHUNKS_MORE) {
				/* libsoup has part of this body: it gets an early end and
				 * drops the request; nobody answers it. */
				relay_reject(s->gate->stats, r == CHUNKS_TOO_LARGE ? REJECT_TOO_LARGE : REJECT_BAD_CHUNKS, 0);
				s->abort = TRUE;
				g_byte_array_set_size(s->buf, s->cleared);
				return;
			}
			break;
		}
		}
	}
}

/* libsoup 3.2 forgets a kept-alive connection that ends before the next
 * request's first byte (io_read() starts the request only once a byte came,
 * so nobody calls soup_server_connection_disconnect(), and it stays in the
 * server's list, socket open, forever). It does drop one whose request
 * head is cut short: so the end of a connection between requests comes as
 * one stray byte, then the end. Writing is shut first, so the 400 libsoup
 * then tries to send goes nowhere. */
static gssize
end_of_stream(Gated *s, void *buffer, gsize count)
{
	if (s->phase != PHASE_HEAD) {
		/* A body cut short (broken chunks, a timeout): libsoup takes this
		 * end as the body's, answers, then asks for the next head. That
		 * one must end with the stray byte, or libsoup keeps the socket. */
		s->phase = PHASE_HEAD;
		return 0;
	}
	if (s->poisoned || !count)
		return 0;
	s->poisoned = TRUE;
	g_socket_shutdown(s->sock, FALSE, TRUE, NULL);
	((char *) buffer)[0] = '\r';
	return 1;
}

static gssize
gated_read_nonblocking(GPollableInputStream *stream, void *buffer, gsize count, GError **error)
{
	Gated *s = GATED(stream);
	gint64 now = g_get_monotonic_time();

	for (;;) {
		gsize old = s->buf->len;
		gsize want;
		gssize n;
		GError *err = NULL;

		if (s->cleared) {
			gsize give = MIN(count, s->cleared);
			memcpy(buffer, s->buf->data, give);
			g_byte_array_remove_range(s->buf, 0, (guint) give);
			s->cleared -= give;
			s->waiting = FALSE;
			return (gssize) give;
		}
		if (s->hold) {
			/* libsoup has all of the previous request and, having
			 * answered it, asks for more: only now is the next head
			 * judged and given. So libsoup never holds two requests,
			 * and a refusal the gate writes always follows libsoup's
			 * answers on the wire. */
			s->hold = FALSE;
			s->request_started = 0;
			advance(s);
			continue;
		}
		if (s->refusal && !s->answered) {
			/* libsoup has answered everything before the refused head. */
			g_socket_send_with_blocking(s->sock, s->refusal, strlen(s->refusal), FALSE, NULL, NULL);
			g_socket_shutdown(s->sock, FALSE, TRUE, NULL);
			s->eof = s->answered = TRUE;
			return end_of_stream(s, buffer, count);
		}
		if (s->eof || s->abort || !s->gate)
			return end_of_stream(s, buffer, count);
		want = s->phase == PHASE_HEAD ? READ_HEAD : READ_BODY;
		g_byte_array_set_size(s->buf, (guint) (old + want));
		n = g_socket_receive_with_blocking(s->sock, (char *) s->buf->data + old, want, FALSE, NULL, &err);
		g_byte_array_set_size(s->buf, (guint) (old + MAX(n, 0)));
		if (n < 0) {
			if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) && !s->waiting) {
				s->waiting = TRUE;
				s->wait_since = now;
			}
			g_propagate_error(error, err);
			return -1;
		}
		if (n == 0) {
			s->eof = TRUE;
			continue;
		}
		s->last_read = now;
		if (s->phase == PHASE_HEAD && old == s->cleared && !s->head_started)
			s->head_started = now;
		if (s->phase == PHASE_HEAD && !s->request_started)
			s->request_started = now;
		advance(s);
	}
}

static gboolean
gated_is_readable(GPollableInputStream *stream)
{
	Gated *s = GATED(stream);
	return s->cleared || s->hold || s->refusal || s->eof || s->abort || g_socket_condition_check(s->sock, G_IO_IN);
}

static GSource *
gated_create_source(GPollableInputStream *stream, GCancellable *cancellable)
{
	Gated *s = GATED(stream);
	g_autoptr(GSource) child = NULL;

	if (s->cleared || s->hold || s->refusal || s->eof || s->abort) {
		child = g_timeout_source_new(0);
	} else {
		child = g_socket_create_source(s->sock, G_IO_IN, cancellable);
	}
	return g_pollable_source_new_full(stream, child, cancellable);
}

static gboolean
gated_can_poll(GPollableInputStream *stream)
{
	return TRUE;
}

static gssize
gated_read(GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable, GError **error)
{
	for (;;) {
		GError *err = NULL;
		gssize n = gated_read_nonblocking(G_POLLABLE_INPUT_STREAM(stream), buffer, count, &err);
		if (n >= 0 || !g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
			if (err)
				g_propagate_error(error, err);
			return n;
		}
		g_clear_error(&err);
		if (!g_socket_condition_wait(GATED(stream)->sock, G_IO_IN, cancellable, error))
			return -1;
	}
}

static gboolean
gated_close(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	gated_release(GATED(stream));
	return TRUE;
}

/* GInputStream's default close_async runs close_fn in a worker thread
 * (libsoup closes a WebSocket that way): the gate's lists and counts are
 * the main thread's, so the release happens here, on the caller's thread. */
static void
gated_close_async(GInputStream *stream, int io_priority, GCancellable *cancellable, GAsyncReadyCallback callback,
                  gpointer data)
{
	GTask *task = g_task_new(stream, cancellable, callback, data);
	gated_release(GATED(stream));
	g_task_return_boolean(task, TRUE);
	g_object_unref(task);
}

static gboolean
gated_close_finish(GInputStream *stream, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
gated_finalize(GObject *object)
{
	Gated *s = GATED(object);
	gated_release(s);
	g_byte_array_unref(s->buf);
	g_free(s->refusal);
	g_free(s->peer);
	g_object_unref(s->conn);
	G_OBJECT_CLASS(gated_parent_class)->finalize(object);
}

static void
gated_init(Gated *s)
{
	s->buf = g_byte_array_new();
	s->link.data = s;
}

static void
gated_class_init(GatedClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = gated_finalize;
	klass->read_fn = gated_read;
	klass->close_fn = gated_close;
	klass->close_async = gated_close_async;
	klass->close_finish = gated_close_finish;
}

static void
gated_pollable_init(GPollableInputStreamInterface *iface)
{
	iface->can_poll = gated_can_poll;
	iface->is_readable = gated_is_readable;
	iface->create_source = gated_create_source;
	iface->read_nonblocking = gated_read_nonblocking;
}

/* ---- accepting ---- */

static gboolean on_accept(GSocket *listener, GIOCondition cond, gpointer data);

static void
listen_again(RelayGate *g)
{
	g->accept_source = g_socket_create_source(g->listener, G_IO_IN, NULL);
	g_source_set_callback(g->accept_source, (GSourceFunc) (void (*)(void)) on_accept, g, NULL);
	g_source_attach(g->accept_source, NULL);
}

static gboolean
resume(gpointer data)
{
	RelayGate *g = data;
	g->resume_id = 0;
	listen_again(g);
	return G_SOURCE_REMOVE;
}

static void
pause_accepting(RelayGate *g)
{
	g_source_destroy(g->accept_source);
	g_clear_pointer(&g->accept_source, g_source_unref);
	g->resume_id = g_timeout_add(RESUME_MS, resume, g);
	/* Once a minute at most: a relay at its limit pauses and resumes often. */
	if (!g->paused_logged_at || g_get_monotonic_time() - g->paused_logged_at > 60 * G_USEC_PER_SEC) {
		relay_log("warning", "msg=\"out of file descriptors: accepting paused, retried every %d ms\" open=%u", RESUME_MS,
		          relay_gate_live(g));
		g->paused_logged_at = g_get_monotonic_time();
	}
}

static char *
peer_of(GSocketAddress *remote)
{
	if (!G_IS_INET_SOCKET_ADDRESS(remote))
		return g_strdup("");
	return g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(remote)));
}

static void
take(RelayGate *g, GSocket *sock)
{
	g_autoptr(GSocketConnection) conn = g_socket_connection_factory_create_connection(sock);
	g_autoptr(GSocketAddress) local = g_socket_get_local_address(sock, NULL);
	g_autoptr(GSocketAddress) remote = g_socket_get_remote_address(sock, NULL);
	g_autoptr(GIOStream) io = NULL;
	g_autofree char *peer = remote ? peer_of(remote) : g_strdup("");
	guint from_peer = GPOINTER_TO_UINT(g_hash_table_lookup(g->per_peer, peer));
	Gated *s;

	/* One address may not hold every slot: slow or idle connections from
	 * one client cannot starve the vendors' webhooks. */
	if (from_peer >= g->cfg->max_connections_per_ip ||
	    (relay_gate_live(g) >= g->cfg->max_connections && !relay_gate_evict_idle(g))) {
		g_autofree char *text = answer(503, "too_many_connections", "");
		relay_reject(g->stats, REJECT_TOO_MANY_CONNECTIONS, 503);
		g_socket_send_with_blocking(sock, text, strlen(text), FALSE, NULL, NULL);
		g_socket_close(sock, NULL);
		return;
	}
	/* A response leaves in more than one write: without this, each later
	 * write waits for the client's delayed ACK. */
	g_socket_set_option(sock, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
	s = g_object_new(gated_get_type(), NULL);
	s->gate = g;
	s->conn = g_object_ref(conn);
	s->sock = sock;
	s->first = TRUE;
	s->peer = g_steal_pointer(&peer);
	g_hash_table_insert(g->per_peer, g_strdup(s->peer), GUINT_TO_POINTER(from_peer + 1));
	s->head_started = s->request_started = g_get_monotonic_time(); /* the first head's clocks start at accept */
	g_queue_push_tail_link(&g->conns, &s->link);
	io = g_simple_io_stream_new(G_INPUT_STREAM(s), g_io_stream_get_output_stream(G_IO_STREAM(conn)));
	g_object_unref(s);
	if (local && remote)
		g->serve(io, local, remote, g->data);
	else
		g_io_stream_close(io, NULL, NULL);
}

static gboolean
on_accept(GSocket *listener, GIOCondition cond, gpointer data)
{
	RelayGate *g = data;

	for (int i = 0; i < ACCEPT_BURST; i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(GSocket) sock = g_socket_accept(listener, NULL, &err);

		if (sock) {
			take(g, sock);
			continue;
		}
		if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)) {
			/* The connection stays in the backlog; accepting again at once
			 * would spin. */
			relay_reject(g->stats, REJECT_ACCEPT_EMFILE, 0);
			pause_accepting(g);
			return G_SOURCE_REMOVE;
		}
		if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
			break;
	}
	return G_SOURCE_CONTINUE;
}

RelayGate *
relay_gate_new(GSocket *listener, const RelayConfig *cfg, const RelayGateRules *rules, RelayStats *stats,
               RelayGateServeFunc serve, gpointer data)
{
	RelayGate *g = g_new0(RelayGate, 1);
	guint tick = MIN(MIN(cfg->header_timeout_ms, cfg->idle_timeout_ms), cfg->body_timeout_ms) / 4;

	g->listener = g_object_ref(listener);
	g->per_peer = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g->cfg = cfg;
	g->rules = *rules;
	g->stats = stats;
	g->serve = serve;
	g->data = data;
	g_socket_set_blocking(listener, FALSE);
	listen_again(g);
	g->sweep_id = g_timeout_add(CLAMP(tick, 20, 1000), relay_gate_sweep, g);
	return g;
}

void
relay_gate_stop(RelayGate *g)
{
	if (g->accept_source) {
		g_source_destroy(g->accept_source);
		g_clear_pointer(&g->accept_source, g_source_unref);
	}
	if (g->resume_id)
		g_source_remove(g->resume_id);
	g->resume_id = 0;
	g_socket_close(g->listener, NULL);
}

guint
relay_gate_connections(RelayGate *g)
{
	return relay_gate_live(g);
}

void
relay_gate_free(RelayGate *g)
{
	relay_gate_stop(g);
	g_source_remove(g->sweep_id);
	while (g->drains.head)
		relay_gate_drain_end(g->drains.head->data);
	for (GList *l = g->conns.head; l; l = l->next)
		((Gated *) l->data)->gate = NULL;
	g_object_unref(g->listener);
	g_hash_table_unref(g->per_peer);
	g_free(g);
}
