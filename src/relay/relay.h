/* What the relay's HTTP front ends share: configuration, counters, and the
 * one decision on a webhook. */
#pragma once
#include "wag-event.h"
#include <stdatomic.h>

typedef struct {
	char *listen;
	char *db;
	char *webhook_secret;
	char *client_token;
	char *wawp_hmac_key;
	char **instances;
	gsize max_body;
	guint retention_days;
	guint ingest_threads;
	gboolean no_io_uring; /* ingest_io_uring=false */
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
	REJECT_COUNT
} RelayReject;

#define RELAY_MAX_VENDORS 8
/* Wawp/WAHA's signature of the raw body. */
#define RELAY_HMAC_HEADER "X-Webhook-Hmac"

/* Written from several threads; read by /metrics. */
typedef struct {
	atomic_uint_fast64_t received[RELAY_MAX_VENDORS]; /* by index in wag_vendors() */
	atomic_uint_fast64_t rejected[REJECT_COUNT];
	atomic_uint_fast64_t stored, ignored;
} RelayStats;

typedef struct {
	const char *method;
	const char *path;
	const char *content_type; /* media type without parameters, or NULL */
	const char *hmac;         /* RELAY_HMAC_HEADER, or NULL */
	const char *body;
	gsize length;
} RelayWebhook;

/* Decides one webhook and counts it. Returns the HTTP status; with 200,
 * *events holds what to store (empty: noise, answered at once). On any
 * other status *reason names the refusal (logged, and the response text). */
guint relay_webhook_decide(const RelayConfig *cfg, RelayStats *stats, const RelayWebhook *w,
                           GPtrArray **events, RelayReject *reason);
/* Counts (and logs, when it failed) a webhook the store has finished. */
void relay_webhook_stored(RelayStats *stats, const GError *error);
/* Counts and logs a refusal decided elsewhere (e.g. too large by its header). */
void relay_reject(RelayStats *stats, RelayReject reason, guint status);
const char *relay_reject_name(RelayReject reason);
/* Constant-time comparison of secrets. */
gboolean relay_secure_equal(const char *a, const char *b);
void relay_log(const char *level, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
