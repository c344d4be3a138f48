/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The gate: owns the listening socket and the accept loop, and stands
 * between every connection and libsoup. Each request head, the first and
 * every later one on a kept-alive or pipelined connection, is read and
 * judged (relay-gate-head.h) before libsoup sees a byte of it; a refused
 * head gets the gate's own 4xx and the connection is closed. Bodies are
 * followed (Content-Length or chunked) only to find the next head. Heads
 * that take too long, idle keep-alive connections and stalled bodies are
 * closed; connections beyond max_connections are refused; accept() failing
 * for lack of file descriptors pauses accepting instead of spinning. */
#pragma once
#include "relay.h"
#include "relay-gate-head.h"
#include <gio/gio.h>

typedef struct _RelayGate RelayGate;

/* A connection that may go to libsoup: io's input is the gate's. */
typedef void (*RelayGateServeFunc)(GIOStream *io, GSocketAddress *local, GSocketAddress *remote, gpointer data);

RelayGate *relay_gate_new(GSocket *listener, const RelayConfig *cfg, const RelayGateRules *rules, RelayStats *stats,
                          RelayGateServeFunc serve, gpointer data);
/* Stops accepting; open connections stay. */
void relay_gate_stop(RelayGate *g);
/* Open connections (including refused ones still being drained). */
guint relay_gate_connections(RelayGate *g);
void relay_gate_free(RelayGate *g);
