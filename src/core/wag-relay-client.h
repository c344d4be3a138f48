/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Follows wagateway-relay's event stream: resumes after the last applied id,
 * reconnects with exponential backoff and jitter, stops (and says why) when
 * the relay refuses the token. Events arrive in id order, each once. */
#pragma once
#include <gio/gio.h>
#include "wag-event.h"

G_BEGIN_DECLS

typedef struct _WagRelayClient WagRelayClient;

typedef enum {
	WAG_RELAY_CONNECTED,
	WAG_RELAY_RETRYING,  /* message says why and when */
	WAG_RELAY_REFUSED,   /* wrong token or URL: no more tries */
} WagRelayState;

/* Takes e. */
typedef void (*WagRelayEventFunc)(WagEvent *e, gpointer data);
typedef void (*WagRelayStateFunc)(WagRelayState state, const char *message, gpointer data);

/* url: ws:// or wss:// base (with or without /events). */
WagRelayClient *wag_relay_client_new(const char *url, const char *token, gint64 after,
                                     WagRelayEventFunc on_event, WagRelayStateFunc on_state, gpointer data);
/* Tells the relay what was applied. */
void wag_relay_client_ack(WagRelayClient *c, gint64 id);
/* Closes; no callback runs afterwards. */
void wag_relay_client_free(WagRelayClient *c);

G_END_DECLS
