/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Many webhooks at once, over libsoup (up to 16 connections). */
#pragma once
#include "relay-proc.h"

/* The i-th body to post (freed by the caller). */
typedef char *(*PostBodyFunc)(guint i, gpointer data);

/* Posts body(i, data) for i in [0, n) to the default tenant's Z-API
 * webhook, all queued together; returns how many were answered 200. */
guint post_many_zapi(RelayProc *rp, guint n, PostBodyFunc body, gpointer data);
