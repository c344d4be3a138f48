/* The one decision on a webhook, for both HTTP front ends. */
#include "relay.h"
#include "wag-json.h"
#include "wag-vendor.h"
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

void
relay_reject(RelayStats *stats, RelayReject reason, guint status)
{
	atomic_fetch_add(&stats->rejected[reason], 1);
	relay_log("info", "msg=\"webhook rejected\" status=%u reason=%s", status, reject_names[reason]);
}

void
relay_webhook_stored(RelayStats *stats, const GError *error)
{
	if (error) {
		relay_log("error", "msg=\"store failed\" error=\"%s\"", error->message);
		relay_reject(stats, REJECT_STORE_FAILED, 503);
	} else {
		atomic_fetch_add(&stats->stored, 1);
	}
}

/* Secrets are compared without an early exit, so timing tells nothing. */
gboolean
relay_secure_equal(const char *a, const char *b)
{
	gsize la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
	guchar diff = la != lb;
	for (gsize i = 0; i < la && lb; i++)
		diff |= (guchar) a[i] ^ (guchar) b[i % lb];
	return a && b && diff == 0;
}

static gboolean
hmac_ok(const RelayConfig *cfg, const RelayWebhook *w)
{
	g_autofree char *want = NULL;
	g_autofree char *lower = NULL;

	if (!w->hmac)
		return FALSE;
	want = g_compute_hmac_for_data(G_CHECKSUM_SHA512, (const guchar *) cfg->wawp_hmac_key,
	                               strlen(cfg->wawp_hmac_key), (const guchar *) w->body, w->length);
	lower = g_ascii_strdown(w->hmac, -1);
	return relay_secure_equal(want, lower);
}

static guint
refuse(RelayStats *stats, RelayReject why, guint status, RelayReject *reason)
{
	relay_reject(stats, why, status);
	*reason = why;
	return status;
}

guint
relay_webhook_decide(const RelayConfig *cfg, RelayStats *stats, const RelayWebhook *w,
                     GPtrArray **events, RelayReject *reason)
{
	/* path: /webhook/VENDOR/SECRET */
	const char *vendor = g_str_has_prefix(w->path, "/webhook/") ? w->path + strlen("/webhook/") : NULL;
	const char *slash = vendor ? strchr(vendor, '/') : NULL;
	g_autofree char *vendor_id = NULL;
	const WagVendor *const *all = wag_vendors();
	const WagVendor *v = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autoptr(GPtrArray) evs = NULL;
	g_autofree char *instance = NULL;
	guint index = 0;

	*events = NULL;
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
	if (!relay_secure_equal(slash + 1, cfg->webhook_secret))
		return refuse(stats, REJECT_BAD_SECRET, 401, reason);
	if (strcmp(w->method, "POST") != 0)
		return refuse(stats, REJECT_METHOD, 405, reason);
	if (w->content_type && !g_str_has_suffix(w->content_type, "/json") && !g_str_has_suffix(w->content_type, "+json"))
		return refuse(stats, REJECT_CONTENT_TYPE, 415, reason);
	if (w->length > cfg->max_body)
		return refuse(stats, REJECT_TOO_LARGE, 413, reason);
	if (cfg->wawp_hmac_key && *cfg->wawp_hmac_key && g_str_equal(v->id, "wawp") && !hmac_ok(cfg, w))
		return refuse(stats, REJECT_BAD_HMAC, 401, reason);
	json = wag_json_parse(w->body, w->length, NULL);
	if (!json)
		return refuse(stats, REJECT_NOT_JSON, 400, reason);
	evs = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	if (!v->normalize_webhook(json, evs, &instance, NULL))
		return refuse(stats, REJECT_BAD_SHAPE, 400, reason);
	if (cfg->instances && (!instance || !g_strv_contains((const char *const *) cfg->instances, instance)))
		return refuse(stats, REJECT_OTHER_INSTANCE, 403, reason);
	if (!evs->len)
		atomic_fetch_add(&stats->ignored, 1);
	*events = g_steal_pointer(&evs);
	return 200;
}
