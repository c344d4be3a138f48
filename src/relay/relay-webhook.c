/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The one decision on a webhook, refusals counted and logged (rate-limited). */
#include "relay.h"
#include "wag-json.h"
#include "wag-vendor.h"
#include "wag-messaging.h"
#include <string.h>

static const char *const reject_names[REJECT_COUNT] = {
	[REJECT_NOT_FOUND] = "not_found",
	[REJECT_UNKNOWN_VENDOR] = "unknown_vendor",
	[REJECT_BAD_SECRET] = "bad_secret",
	[REJECT_METHOD] = "method",
	[REJECT_CONTENT_TYPE] = "not_json_content_type",
	[REJECT_TOO_LARGE] = "too_large",
	[REJECT_BAD_HMAC] = "bad_hmac",
	[REJECT_NOT_JSON] = "not_json",
	[REJECT_BAD_SHAPE] = "bad_shape",
	[REJECT_OTHER_INSTANCE] = "other_instance",
	[REJECT_STORE_FAILED] = "store_failed",
	[REJECT_HEADERS_TOO_LARGE] = "headers_too_large",
	[REJECT_BAD_REQUEST] = "bad_request",
	[REJECT_EXPECTATION] = "expectation_failed",
	[REJECT_BAD_TOKEN] = "bad_token",
	[REJECT_BAD_CHUNKS] = "bad_chunked_body",
	[REJECT_HEADER_TIMEOUT] = "header_timeout",
	[REJECT_IDLE_TIMEOUT] = "idle_timeout",
	[REJECT_BODY_TIMEOUT] = "body_timeout",
	[REJECT_TOO_MANY_CONNECTIONS] = "too_many_connections",
	[REJECT_ACCEPT_EMFILE] = "accept_emfile",
	[REJECT_UNAVAILABLE] = "unavailable",
	[REJECT_METRICS_FORBIDDEN] = "metrics_forbidden",
	[REJECT_WS_BEHIND] = "client_too_far_behind",
};

const char *
relay_reject_name(RelayReject reason)
{
	return reject_names[reason];
}

void
relay_log(const char *level, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* logfmt on stderr, which journald keeps; one write per line. */
	g_printerr("level=%s %s\n", level, msg);
}

/* A flood of bad requests must not become a flood of log lines: the first
 * of a reason in each minute is logged at once, the rest counted and
 * summed up by relay_reject_summary(). */
void
relay_reject(RelayStats *stats, RelayReject reason, guint status)
{
	atomic_fetch_add(&stats->rejected[reason], 1);
	if (atomic_fetch_add(&stats->logged_minute[reason], 1) == 0)
		relay_log("info", "msg=\"refused\" status=%u reason=%s", status, reject_names[reason]);
}

void
relay_reject_summary(RelayStats *stats)
{
	for (guint i = 0; i < REJECT_COUNT; i++) {
		guint64 n = atomic_exchange(&stats->logged_minute[i], 0);
		if (n > 1)
			relay_log("info", "msg=\"refused in the last minute\" reason=%s count=%" G_GUINT64_FORMAT, reject_names[i], n);
	}
}

void
relay_webhook_stored(RelayStats *stats, const GError *error, gboolean duplicate)
{
	if (error) {
		relay_log("error", "msg=\"store failed\" error=\"%s\"", error->message);
		relay_reject(stats, REJECT_STORE_FAILED, 503);
	} else if (duplicate) {
		atomic_fetch_add(&stats->duplicates, 1);
	} else {
		atomic_fetch_add(&stats->stored, 1);
	}
}

/* Secrets are compared without an early exit, so timing tells nothing. */
gboolean
relay_secure_equal_len(const char *a, const char *b, gsize lb)
{
	gsize la = a ? strlen(a) : 0;
	guchar diff = la != lb;
	for (gsize i = 0; i < la && lb; i++)
		diff |= (guchar) a[i] ^ (guchar) b[i % lb];
	return a && b && diff == 0;
}

gboolean
relay_secure_equal(const char *a, const char *b)
{
	return b && relay_secure_equal_len(a, b, strlen(b));
}

/* The tenant whose string member at offset equals value. Every tenant is
 * compared, whichever matches, in constant time. */
static const RelayTenant *
tenant_by(const RelayConfig *cfg, glong offset, const char *value, gsize len)
{
	const RelayTenant *found = NULL;
	for (guint i = 0; i < cfg->tenants->len; i++) {
		const RelayTenant *t = cfg->tenants->pdata[i];
		if (relay_secure_equal_len(G_STRUCT_MEMBER(const char *, t, offset), value, len))
			found = t;
	}
	return found;
}

const RelayTenant *
relay_tenant_by_secret(const RelayConfig *cfg, const char *secret, gsize len)
{
	return tenant_by(cfg, G_STRUCT_OFFSET(RelayTenant, webhook_secret), secret, len);
}

const RelayTenant *
relay_tenant_by_token(const RelayConfig *cfg, const char *token, gsize len)
{
	return tenant_by(cfg, G_STRUCT_OFFSET(RelayTenant, token), token, len);
}

static gboolean
hmac_ok(const RelayConfig *cfg, const RelayWebhook *w)
{
	g_autofree char *want = NULL;
	g_autofree char *lower = NULL;

	if (!w->hmac)
		return FALSE;
	/* WAHA signs with hex HMAC-SHA512 (128 digits); Wawp's own SDK checks
	 * hex HMAC-SHA256 (64 digits): tests/fixtures/wawp/webhook-hmac-example.json
	 * names both sources. The digest's length says which one was sent. */
	want = g_compute_hmac_for_data(strlen(w->hmac) == 64 ? G_CHECKSUM_SHA256 : G_CHECKSUM_SHA512,
	                               (const guchar *) cfg->wawp_hmac_key,
	                               strlen(cfg->wawp_hmac_key), (const guchar *) w->body, w->length);
	lower = g_ascii_strdown(w->hmac, -1);
	return relay_secure_equal(want, lower);
}

/* Green API sends its webhookUrlToken in Authorization; its own
 * integration library compares what follows the first space (the scheme
 * word is not checked): green-api/greenapi-integration src/core/guard.ts. */
static gboolean
green_token_ok(const RelayTenant *t, const RelayWebhook *w)
{
	const char *space = w->authorization ? strchr(w->authorization, ' ') : NULL;
	return space && relay_secure_equal(space + 1, t->greenapi_webhook_token);
}

static guint
refuse(RelayStats *stats, RelayReject why, guint status, RelayReject *reason)
{
	relay_reject(stats, why, status);
	*reason = why;
	return status;
}

void
relay_accepted_clear(RelayAccepted *a)
{
	g_clear_pointer(&a->events, g_ptr_array_unref);
	g_clear_pointer(&a->dedupe, g_free);
	a->tenant = NULL;
}

guint
relay_webhook_decide(const RelayConfig *cfg, RelayStats *stats, const RelayWebhook *w,
                     RelayAccepted *out, RelayReject *reason)
{
	/* path: /webhook/VENDOR/SECRET (the gate let only that shape through) */
	const char *vendor = g_str_has_prefix(w->path, "/webhook/") ? w->path + strlen("/webhook/") : NULL;
	const char *slash = vendor ? strchr(vendor, '/') : NULL;
	g_autofree char *vendor_id = NULL;
	const WagVendor *const *all = wag_vendors();
	const WagVendor *v = NULL;
	const RelayTenant *tenant;
	g_autoptr(JsonNode) json = NULL;
	g_autoptr(GPtrArray) evs = NULL;
	g_autofree char *instance = NULL;
	g_autofree char *id = NULL;
	guint index = 0;

	memset(out, 0, sizeof *out);
	if (!slash || strchr(slash + 1, '/'))
		return refuse(stats, REJECT_NOT_FOUND, 404, reason);
	vendor_id = g_strndup(vendor, slash - vendor);
	for (index = 0; all[index]; index++)
		if (g_str_equal(all[index]->id, vendor_id)) {
			v = all[index];
			break;
		}
	if (!v)
		return refuse(stats, REJECT_UNKNOWN_VENDOR, 404, reason);
	if (index < RELAY_MAX_VENDORS)
		atomic_fetch_add(&stats->received[index], 1);
	tenant = relay_tenant_by_secret(cfg, slash + 1, strlen(slash + 1));
	if (!tenant)
		return refuse(stats, REJECT_BAD_SECRET, 401, reason);
	if (strcmp(w->method, "POST") != 0)
		return refuse(stats, REJECT_METHOD, 405, reason);
	if (w->content_type && !g_str_has_suffix(w->content_type, "/json") && !g_str_has_suffix(w->content_type, "+json"))
		return refuse(stats, REJECT_CONTENT_TYPE, 415, reason);
	if (w->length > cfg->max_body)
		return refuse(stats, REJECT_TOO_LARGE, 413, reason);
	if (cfg->wawp_hmac_key && *cfg->wawp_hmac_key && g_str_equal(v->id, "wawp") && !hmac_ok(cfg, w))
		return refuse(stats, REJECT_BAD_HMAC, 401, reason);
	if (tenant->greenapi_webhook_token && *tenant->greenapi_webhook_token && g_str_equal(v->id, "greenapi") &&
	    !green_token_ok(tenant, w))
		return refuse(stats, REJECT_BAD_TOKEN, 401, reason);
	json = wag_json_parse(w->body, w->length, NULL);
	if (!json)
		return refuse(stats, REJECT_NOT_JSON, 400, reason);
	evs = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	if (!v->normalize_webhook(json, evs, &instance, NULL))
		return refuse(stats, REJECT_BAD_SHAPE, 400, reason);
	{
		/* Group messages come on the same webhooks (wag-messaging.h). */
		g_autofree char *msg_instance = NULL;
		wag_messaging_normalize(v, json, evs, &msg_instance);
		if (!instance)
			instance = g_steal_pointer(&msg_instance);
	}
	/* Only the tenant owning the instance may post for it: a secret opens
	 * its own tenant's instances, never another's. */
	if (tenant->instances && (!instance || !g_strv_contains((const char *const *) tenant->instances, instance)))
		return refuse(stats, REJECT_OTHER_INSTANCE, 403, reason);
	if (!evs->len)
		atomic_fetch_add(&stats->ignored, 1);
	/* A retry or a replay is the same webhook: the vendor's id says so,
	 * else the exact bytes. */
	id = v->webhook_id ? v->webhook_id(json) : NULL;
	if (id && *id) {
		out->dedupe = g_strdup_printf("%s:%s:id:%s", v->id, instance ? instance : "", id);
	} else {
		g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *) w->body, w->length);
		out->dedupe = g_strdup_printf("%s:sha256:%s", v->id, sum);
	}
	out->events = g_steal_pointer(&evs);
	out->tenant = tenant;
	return 200;
}
