/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What the relay's parts share: configuration, tenants, counters, logging
 * and the one decision on a webhook. */
#pragma once
#include "wag-event.h"
#include <stdatomic.h>

typedef struct {
	char *name;           /* interned */
	char *token;          /* bearer token of /events */
	char *webhook_secret; /* the SECRET of /webhook/VENDOR/SECRET */
	char **instances;     /* vendor instance ids or Wawp session names; NULL: any */
	gboolean messages;    /* message events stored (default); FALSE: streamed live only, never written */
	char *greenapi_webhook_token; /* Green API's webhookUrlToken: required in Authorization when set */
} RelayTenant;

typedef struct {
	char *listen;
	char *db;
	char *wawp_hmac_key;
	char *metrics_token;
	GPtrArray *tenants; /* RelayTenant* */
	gsize max_body;
	gsize max_head;
	guint retention_days;
	guint message_retention_days; /* group messages: their own, shorter retention */
	guint header_timeout_ms;
	guint idle_timeout_ms;
	guint body_timeout_ms; /* a whole request, head and body, from its first byte (or the accept) */
	guint max_connections;
	guint max_connections_per_ip;
	gsize ws_max_queue_bytes;
	guint ws_stall_seconds;
} RelayConfig;

typedef enum {
	REJECT_NOT_FOUND,
	REJECT_UNKNOWN_VENDOR,
	REJECT_BAD_SECRET,
	REJECT_METHOD,
	REJECT_CONTENT_TYPE,
	REJECT_TOO_LARGE,
	REJECT_BAD_HMAC,
	REJECT_NOT_JSON,
	REJECT_BAD_SHAPE,
	REJECT_OTHER_INSTANCE,
	REJECT_STORE_FAILED,
	REJECT_HEADERS_TOO_LARGE,
	REJECT_BAD_REQUEST,
	REJECT_EXPECTATION,
	REJECT_BAD_TOKEN,
	REJECT_BAD_CHUNKS,
	REJECT_HEADER_TIMEOUT,
	REJECT_IDLE_TIMEOUT,
	REJECT_BODY_TIMEOUT,
	REJECT_TOO_MANY_CONNECTIONS,
	REJECT_ACCEPT_EMFILE,
	REJECT_UNAVAILABLE,
	REJECT_METRICS_FORBIDDEN,
	REJECT_WS_BEHIND,
	REJECT_COUNT
} RelayReject;

#define RELAY_MAX_VENDORS 8
/* Wawp/WAHA's signature of the raw body. */
#define RELAY_HMAC_HEADER "X-Webhook-Hmac"

/* Read by /metrics; the store thread touches none of it. */
typedef struct {
	atomic_uint_fast64_t received[RELAY_MAX_VENDORS]; /* by index in wag_vendors() */
	atomic_uint_fast64_t rejected[REJECT_COUNT];
	atomic_uint_fast64_t logged_minute[REJECT_COUNT]; /* refusals not yet in a log line */
	atomic_uint_fast64_t stored, ignored, duplicates;
} RelayStats;

typedef struct {
	const char *method;
	const char *path;
	const char *content_type; /* media type without parameters, or NULL */
	const char *hmac;         /* RELAY_HMAC_HEADER, or NULL */
	const char *body;
	gsize length;
	const char *authorization; /* the Authorization header, or NULL */
} RelayWebhook;

/* What an accepted webhook becomes. */
typedef struct {
	GPtrArray *events;      /* WagEvent*; empty: noise, answered at once */
	const RelayTenant *tenant;
	char *dedupe;           /* the vendor's id of the webhook, else a hash of the body */
} RelayAccepted;

/* Decides one webhook and counts it. Returns the HTTP status; with 200,
 * *out holds what to store. On any other status *reason names the refusal
 * (counted, logged, and the response text). */
guint relay_webhook_decide(const RelayConfig *cfg, RelayStats *stats, const RelayWebhook *w,
                           RelayAccepted *out, RelayReject *reason);
void relay_accepted_clear(RelayAccepted *a);
/* Counts (and logs, when it failed) a webhook the store has finished. */
void relay_webhook_stored(RelayStats *stats, const GError *error, gboolean duplicate);
/* Counts a refusal; logs the first of each reason in a minute at once and
 * the rest in relay_reject_summary(). */
void relay_reject(RelayStats *stats, RelayReject reason, guint status);
/* Logs one line per reason refused since the last call (every minute). */
void relay_reject_summary(RelayStats *stats);
const char *relay_reject_name(RelayReject reason);
/* Constant-time comparison of secrets; b has length lb. */
gboolean relay_secure_equal_len(const char *a, const char *b, gsize lb);
gboolean relay_secure_equal(const char *a, const char *b);
const RelayTenant *relay_tenant_by_secret(const RelayConfig *cfg, const char *secret, gsize len);
const RelayTenant *relay_tenant_by_token(const RelayConfig *cfg, const char *token, gsize len);
gboolean relay_config_load(RelayConfig *cfg, const char *file, GError **error);
void relay_config_clear(RelayConfig *cfg);
/* Checks what cannot be defaulted (secrets); FALSE with a message. */
gboolean relay_config_check(RelayConfig *cfg, GError **error);
void relay_log(const char *level, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
