/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The followers of /events: each streams its tenant's events, the backlog
 * from the store in pages, then live commits. libsoup cannot say how much
 * a WebSocket has queued, so flow control rides on the plugin's acks:
 * events go out only while what was sent and not yet acked is under
 * ws_max_queue_bytes, and only while the socket takes more (so libsoup
 * holds at most one frame, whatever a follower acks); a follower past that catches up from the store once
 * it acks again, and one that acks nothing for ws_stall_seconds while
 * events wait is closed (1008, with the id to resume after). */
#pragma once
#include "relay.h"
#include "relay-store.h"
#include <libsoup/soup.h>

typedef struct _RelayClients RelayClients;

RelayClients *relay_clients_new(const RelayConfig *cfg, RelayStore *store);
void relay_clients_add(RelayClients *cs, SoupWebsocketConnection *ws, const RelayTenant *tenant, gint64 after);
void relay_clients_committed(RelayClients *cs, GPtrArray *events, GPtrArray *tenants);
guint relay_clients_count(RelayClients *cs);
guint64 relay_clients_delivered(RelayClients *cs);
guint64 relay_clients_dropped(RelayClients *cs);
/* Followers waiting to read a backlog page; the most read at once so far. */
guint relay_clients_reads_waiting(RelayClients *cs);
guint relay_clients_reads_peak(RelayClients *cs);
/* SIGTERM: 1001 going away to every follower. */
void relay_clients_close_all(RelayClients *cs);
void relay_clients_free(RelayClients *cs);
