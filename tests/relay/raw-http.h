/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Raw HTTP/1.1 over plain sockets, for requests no well-behaved client
 * would send. */
#pragma once
#include <glib.h>

int raw_connect(int port);
void raw_send(int fd, const char *bytes, gsize len);
/* Reads until n complete responses (by Content-Length) came, the relay
 * closed, or timeout_ms passed; *closed says whether it closed. */
char *raw_read(int fd, guint n, guint timeout_ms, gboolean *closed);
/* One connection: sends bytes (len -1: a string), reads n answers. */
char *raw_exchange(int port, const char *bytes, gssize len, guint n, gboolean *closed);
/* The status of the i-th response in text, 0 if none. */
guint raw_status(const char *text, guint i);
guint raw_count(const char *text);
/* Whether the relay closes fd within timeout_ms (reading and dropping). */
gboolean raw_wait_closed(int fd, guint timeout_ms);
