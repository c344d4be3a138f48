/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "relay-gate-private.h"

/* A connection leaves the gate's count (and its address's). */
void
relay_gate_uncount(Gated *s)
{
	RelayGate *g = s->gate;
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(g->per_peer, s->peer));

	g_queue_unlink(&g->conns, &s->link);
	if (n > 1)
		g_hash_table_insert(g->per_peer, g_strdup(s->peer), GUINT_TO_POINTER(n - 1));
	else
		g_hash_table_remove(g->per_peer, s->peer);
}

/* ---- refused connections: answered, then read to the end (bounded) so
 * the kernel does not reset the connection over the answer ---- */

void
relay_gate_drain_end(Drain *d)
{
	if (d->gate) {
		g_queue_unlink(&d->gate->drains, &d->link);
	}
	g_source_destroy(d->source);
	g_source_unref(d->source);
	if (d->timeout_id)
		g_source_remove(d->timeout_id);
	g_io_stream_close(G_IO_STREAM(d->conn), NULL, NULL);
	g_object_unref(d->conn);
	g_free(d);
}

static gboolean
drain_read(GSocket *sock, GIOCondition cond, gpointer data)
{
	Drain *d = data;
	char buf[16384];
	g_autoptr(GError) err = NULL;
	gssize n = g_socket_receive_with_blocking(sock, buf, sizeof buf, FALSE, NULL, &err);

	if (n > 0 && (d->read += (gsize) n) < DRAIN_BYTES)
		return G_SOURCE_CONTINUE;
	if (n < 0 && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
		return G_SOURCE_CONTINUE;
	relay_gate_drain_end(d);
	return G_SOURCE_REMOVE;
}

static gboolean
drain_timeout(gpointer data)
{
	Drain *d = data;
	d->timeout_id = 0;
	relay_gate_drain_end(d);
	return G_SOURCE_REMOVE;
}

void
relay_gate_drain_start(RelayGate *g, GSocketConnection *conn)
{
	Drain *d = g_new0(Drain, 1);
	GSocket *sock = g_socket_connection_get_socket(conn);

	d->gate = g;
	d->conn = g_object_ref(conn);
	d->link.data = d;
	g_queue_push_tail_link(&g->drains, &d->link);
	g_socket_shutdown(sock, FALSE, TRUE, NULL);
	d->source = g_socket_create_source(sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
	g_source_set_callback(d->source, (GSourceFunc) (void (*)(void)) drain_read, d, NULL);
	g_source_attach(d->source, NULL);
	d->timeout_id = g_timeout_add(DRAIN_MS, drain_timeout, d);
}

/* ---- timeouts ---- */

/* Closing both ways wakes libsoup's read with an end of stream. */
void
relay_gate_time_out(Gated *s, RelayReject why)
{
	relay_reject(s->gate->stats, why, 0);
	s->eof = TRUE;
	g_socket_shutdown(s->sock, TRUE, TRUE, NULL);
}

/* The backstop: a connection ended on the gate's side that libsoup has
 * not closed after a grace period is closed and uncounted here, whatever
 * libsoup makes of it (its objects see a closed GSocket, never another
 * connection's descriptor). */
static void
force_close(Gated *s)
{
	s->eof = TRUE;
	if (s->released)
		return;
	s->released = TRUE;
	relay_gate_uncount(s);
	g_socket_shutdown(s->sock, TRUE, TRUE, NULL);
	g_socket_close(s->sock, NULL);
}

gboolean
relay_gate_sweep(gpointer data)
{
	RelayGate *g = data;
	gint64 now = g_get_monotonic_time();
	gint64 header = (gint64) g->cfg->header_timeout_ms * 1000, idle = (gint64) g->cfg->idle_timeout_ms * 1000;
	gint64 whole = (gint64) g->cfg->body_timeout_ms * 1000;

	for (GList *l = g->conns.head, *next; l; l = next) {
		Gated *s = l->data;
		next = l->next;
		if (s->eof || s->refusal || s->abort) {
			if (!s->ended_at)
				s->ended_at = now;
			else if (now - s->ended_at > header)
				force_close(s);
			continue;
		}
		if (s->phase == PHASE_RAW)
			continue;
		/* Every request, head and body, however it trickles, and even
		 * while its answer is being made or written: body_timeout. */
		if (s->request_started && now - s->request_started > whole) {
			relay_gate_time_out(s, REJECT_BODY_TIMEOUT);
			continue;
		}
		/* The finer clocks only for a connection libsoup waits on. */
		if (!s->waiting)
			continue;
		if (s->phase == PHASE_HEAD) {
			if (s->head_started && now - s->head_started > header)
				relay_gate_time_out(s, REJECT_HEADER_TIMEOUT);
			else if (!s->head_started && now - s->wait_since > idle)
				relay_gate_time_out(s, REJECT_IDLE_TIMEOUT);
		} else if (now - MAX(s->last_read, s->wait_since) > idle) {
			relay_gate_time_out(s, REJECT_BODY_TIMEOUT);
		}
	}
	return G_SOURCE_CONTINUE;
}

/* Full: the kept-alive connection idle the longest makes room (its client
 * reconnects when it needs to), so idle slots cannot starve webhooks.
 * It is closed at once; the count drops once libsoup lets go. */
gboolean
relay_gate_evict_idle(RelayGate *g)
{
	Gated *oldest = NULL;
	for (GList *l = g->conns.head; l; l = l->next) {
		Gated *s = l->data;
		if (s->waiting && s->phase == PHASE_HEAD && !s->head_started && !s->first && !s->eof && !s->refusal &&
		    !s->abort && (!oldest || s->wait_since < oldest->wait_since))
			oldest = s;
	}
	if (!oldest)
		return FALSE;
	relay_gate_time_out(oldest, REJECT_IDLE_TIMEOUT);
	return TRUE;
}
