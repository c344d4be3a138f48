/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Async JSON-over-HTTP on libsoup-3, one instance per connection.
 * Every request shares the connection's GCancellable and holds a reference
 * to the client; after wag_http_shutdown() no callback ever runs, so the
 * caller may free its state right away. */
#pragma once
#include <gio/gio.h>
#include "wag-vendor.h"
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _WagHttp WagHttp;

typedef struct {
	guint status;      /* 0 when there was no HTTP reply */
	JsonNode *json;    /* parsed body, or NULL */
	GError *error;     /* WAG_ERROR: set for transport errors, non-2xx and non-JSON */
} WagReply;

typedef void (*WagHttpCallback)(WagReply *reply, gpointer user_data);

/* timeout_seconds bounds each whole call: connecting, headers and body. */
WagHttp *wag_http_new(guint timeout_seconds);
/* Replies over this many bytes are refused (WAG_ERROR_TOO_LARGE) and never
 * parsed; they are read in chunks, so memory never grows past the cap.
 * 0 restores the default. */
#define WAG_HTTP_MAX_REPLY_DEFAULT (8 * 1024 * 1024)
void wag_http_set_max_reply(WagHttp *h, gsize bytes);
gsize wag_http_get_max_reply(WagHttp *h);
WagHttp *wag_http_ref(WagHttp *h);
void wag_http_unref(WagHttp *h);
/* Strings never to be shown: replaced by "***" in every log line and error. */
void wag_http_add_secret(WagHttp *h, const char *secret);
char *wag_http_redact(WagHttp *h, const char *text);
GCancellable *wag_http_get_cancellable(WagHttp *h);
guint wag_http_in_flight(WagHttp *h);
void wag_http_shutdown(WagHttp *h);
/* Takes req. cb runs at most once, never after shutdown; destroy (may be
 * NULL) frees user_data in every case. */
void wag_http_send(WagHttp *h, const char *base, WagRequest *req,
                   WagHttpCallback cb, gpointer user_data, GDestroyNotify destroy);

/* TRUE for 127.0.0.0/8, ::1 and localhost: no proxy is ever asked about
 * those (proxy auto-discovery can stall a connection for seconds). */
gboolean wag_http_is_loopback(const char *url);
/* A session for url: the system proxy settings for remote hosts, none for loopback. */
SoupSession *wag_http_session_for(const char *url, const char *first_property, ...) G_GNUC_NULL_TERMINATED;

/* TRUE when libsoup 2 is mapped into this process: libsoup 3 must not be
 * used then (both register the same GTypes). */
gboolean wag_http_soup2_loaded(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagHttp, wag_http_unref)

G_END_DECLS
