/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* A stand-in for wagateway-relay's event stream (GET /events over
 * WebSocket): the test hands it event JSON and it streams it to every
 * connected client. For tests of what the plugin does with events the
 * real relay does not make yet. */
#pragma once
#include <glib.h>

typedef struct _FakeRelay FakeRelay;

FakeRelay *fake_relay_new(void);
void fake_relay_free(FakeRelay *fr);
/* ws://127.0.0.1:PORT */
const char *fake_relay_url(FakeRelay *fr);
/* Clients connected now. */
guint fake_relay_clients(FakeRelay *fr);
/* Streams one event (JSON text) to every client. */
void fake_relay_send(FakeRelay *fr, const char *json);
