/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The gate's insides, shared by relay-gate.c (the stream libsoup reads,
 * accepting) and relay-gate-time.c (drains, timeouts, making room). */
#pragma once
#include "relay-gate.h"

#define DRAIN_MS 2000
#define DRAIN_BYTES (1 << 20)

typedef enum { PHASE_HEAD, PHASE_BODY, PHASE_CHUNKED, PHASE_RAW } Phase;

struct _RelayGate {
	GSocket *listener;
	GSource *accept_source;
	guint resume_id, sweep_id;
	const RelayConfig *cfg;
	RelayGateRules rules;
	RelayStats *stats;
	RelayGateServeFunc serve;
	gpointer data;
	GQueue conns;  /* Gated*, open */
	GQueue drains; /* Drain*, open */
	GHashTable *per_peer; /* peer address (string) -> open connections from it */
	gint64 paused_logged_at;
};

typedef struct {
	GInputStream parent;
	RelayGate *gate; /* NULL once the gate is freed */
	GSocketConnection *conn;
	GSocket *sock;
	GByteArray *buf;   /* read off the socket, not yet given to libsoup */
	gsize cleared;     /* the front of buf libsoup may have */
	Phase phase;
	guint64 left;      /* PHASE_BODY */
	RelayChunks chunks;
	char *refusal;     /* an answer to send once libsoup asks for the refused head */
	gboolean first, eof, abort, released, waiting, answered;
	gboolean hold; /* a request ends at cleared: the next waits for libsoup to ask */
	gboolean poisoned;
	gint64 head_started, wait_since, last_read;
	gint64 request_started; /* 0 once libsoup came back for the next head */
	gint64 ended_at;        /* when the sweep first saw it ended (eof, abort, refusal) */
	char *peer;             /* the client's address, counted in per_peer */
	GList link;
} Gated;

typedef GInputStreamClass GatedClass;

typedef struct {
	RelayGate *gate;
	GSocketConnection *conn;
	GSource *source;
	guint timeout_id;
	gsize read;
	GList link;
} Drain;

/* Every open socket the gate holds: its connections and its drains. */
static inline guint
relay_gate_live(RelayGate *g)
{
	return g->conns.length + g->drains.length;
}

void relay_gate_drain_start(RelayGate *g, GSocketConnection *conn);
void relay_gate_drain_end(Drain *d);
void relay_gate_time_out(Gated *s, RelayReject why);
gboolean relay_gate_sweep(gpointer data);
gboolean relay_gate_evict_idle(RelayGate *g);
/* The connection leaves the gate's counts (total and per peer). */
void relay_gate_uncount(Gated *s);
