/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The gate's verdict on one HTTP/1.1 request head: a pure function of the
 * bytes read so far (no I/O, no allocation), so a fuzzer can drive it. It
 * refuses everything libsoup 3.2 would mishandle or leak on (RFC 9112
 * framing errors, NUL and other controls, bare LF, lone CR, oversize heads)
 * and decides the route from the request line alone: an unknown vendor or a
 * wrong secret is refused before any body byte is read. */
#pragma once
#include <glib.h>

typedef enum {
	GATE_MORE,   /* no verdict yet: read more */
	GATE_PASS,   /* hand the head (head_len bytes) to libsoup */
	GATE_REFUSE, /* answer status, then close */
} RelayGateResult;

typedef enum {
	GATE_BODY_NONE,
	GATE_BODY_LENGTH,
	GATE_BODY_CHUNKED,
	GATE_BODY_UPGRADE, /* a WebSocket handshake: the bytes after it are not HTTP */
} RelayGateBody;

typedef enum {
	GATE_ROUTE_OTHER,
	GATE_ROUTE_WEBHOOK,
	GATE_ROUTE_EVENTS,
	GATE_ROUTE_HEALTHZ,
	GATE_ROUTE_METRICS,
} RelayGateRoute;

/* Why a head was refused; the names are in relay_gate_reason_name(). */
typedef enum {
	GATE_OK,
	GATE_BAD_REQUEST,
	GATE_HEAD_TOO_LARGE,
	GATE_BODY_TOO_LARGE,
	GATE_NOT_FOUND,
	GATE_UNKNOWN_VENDOR,
	GATE_BAD_SECRET,
	GATE_BAD_TOKEN,
	GATE_EXPECTATION,
} RelayGateReason;

typedef struct {
	gsize max_head;
	guint64 max_body;
	/* NULL-terminated vendor ids of /webhook/VENDOR/SECRET */
	const char *const *vendors;
	/* Whether a secret (not NUL-terminated) opens a webhook URL, and a
	 * bearer token /events. */
	gboolean (*secret_ok)(const char *secret, gsize len, gpointer data);
	gboolean (*token_ok)(const char *token, gsize len, gpointer data);
	gpointer data;
} RelayGateRules;

typedef struct {
	RelayGateResult result;
	RelayGateReason reason; /* GATE_REFUSE */
	guint status;           /* GATE_REFUSE */
	gsize head_len;         /* GATE_PASS: bytes up to and including the empty line */
	RelayGateBody body;
	guint64 length;         /* GATE_BODY_LENGTH */
	RelayGateRoute route;
} RelayGateVerdict;

void relay_gate_parse(const char *buf, gsize len, const RelayGateRules *rules, RelayGateVerdict *v);
const char *relay_gate_reason_name(RelayGateReason reason);

/* Follows a chunked body (RFC 9112 7.1) to its end, so the next head can be
 * found. Zero-initialise. */
typedef struct {
	int state;
	guint64 size;
	guint64 total;
	guint line;
} RelayChunks;

typedef enum { CHUNKS_MORE, CHUNKS_DONE, CHUNKS_BAD, CHUNKS_TOO_LARGE } RelayChunksResult;

/* Consumes up to len bytes (*used says how many); stops at the end of the body. */
RelayChunksResult relay_chunks_feed(RelayChunks *c, const char *buf, gsize len, guint64 max_body, gsize *used);
