/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The configuration file: [relay] and any number of [tenant:NAME]. */
#include "relay.h"
#include <string.h>

static char *
get_str(GKeyFile *kf, const char *group, const char *key)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);
	return v ? g_strstrip(v) : NULL;
}

/* A positive number, or the default when unset; an invalid one is an error. */
static gboolean
get_num(GKeyFile *kf, const char *key, guint64 min, guint64 max, guint64 *out, GError **error)
{
	g_autofree char *v = get_str(kf, "relay", key);
	guint64 n;

	if (!v)
		return TRUE;
	if (!g_ascii_string_to_unsigned(v, 10, min, max, &n, NULL)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "%s must be a number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, key, min, max);
		return FALSE;
	}
	*out = n;
	return TRUE;
}

static void
tenant_free(gpointer p)
{
	RelayTenant *t = p;
	g_free(t->token);
	g_free(t->webhook_secret);
	g_strfreev(t->instances);
	g_free(t->greenapi_webhook_token);
	g_free(t);
}

/* `messages`: true unless written false (operators who must keep no
 * message text on disk turn it off). */
static gboolean
messages_flag(GKeyFile *kf, const char *group)
{
	g_autoptr(GError) err = NULL;
	gboolean v = g_key_file_get_boolean(kf, group, "messages", &err);
	return err ? TRUE : v;
}

gboolean
relay_config_load(RelayConfig *cfg, const char *file, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) groups = NULL;
	guint64 max_body = 262144, max_head = 16384, retention = 7, header = 10, idle = 60, max_conn = 4096;
	guint64 message_retention = 2, body = 30, per_ip = 512;
	guint64 ws_queue = 8 << 20, ws_stall = 60;
	static const char *const retired[] = { "ingest_threads", "ingest_io_uring", NULL };

	cfg->tenants = g_ptr_array_new_with_free_func(tenant_free);
	if (file && !g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, error))
		return FALSE;
	if (file) {
		g_autofree char *secret = get_str(kf, "relay", "webhook_secret");
		g_autofree char *token = get_str(kf, "relay", "client_token");

		cfg->listen = get_str(kf, "relay", "listen");
		cfg->db = get_str(kf, "relay", "db");
		cfg->wawp_hmac_key = get_str(kf, "relay", "wawp_hmac_key");
		cfg->metrics_token = get_str(kf, "relay", "metrics_token");
		if (!get_num(kf, "max_body_bytes", 1, G_MAXINT32, &max_body, error) ||
		    !get_num(kf, "max_header_bytes", 1024, 1 << 20, &max_head, error) ||
		    !get_num(kf, "retention_days", 1, 36500, &retention, error) ||
		    !get_num(kf, "message_retention_days", 1, 36500, &message_retention, error) ||
		    !get_num(kf, "header_timeout", 1, 3600, &header, error) ||
		    !get_num(kf, "idle_timeout", 1, 86400, &idle, error) ||
		    !get_num(kf, "body_timeout", 1, 86400, &body, error) ||
		    !get_num(kf, "max_connections", 1, 1 << 20, &max_conn, error) ||
		    !get_num(kf, "max_connections_per_ip", 1, 1 << 20, &per_ip, error) ||
		    !get_num(kf, "ws_max_queue_bytes", 4096, G_MAXINT32, &ws_queue, error) ||
		    !get_num(kf, "ws_stall_seconds", 1, 86400, &ws_stall, error))
			return FALSE;
		for (guint i = 0; retired[i]; i++)
			if (g_key_file_has_key(kf, "relay", retired[i], NULL))
				relay_log("info", "msg=\"configuration key ignored (retired)\" key=%s", retired[i]);
		/* The single-tenant shorthand: the global secret and token. */
		if (secret || token) {
			RelayTenant *t = g_new0(RelayTenant, 1);
			t->name = (char *) g_intern_string("default");
			t->webhook_secret = g_steal_pointer(&secret);
			t->token = g_steal_pointer(&token);
			t->instances = g_key_file_get_string_list(kf, "relay", "instances", NULL, NULL);
			t->greenapi_webhook_token = get_str(kf, "relay", "greenapi_webhook_token");
			t->messages = messages_flag(kf, "relay");
			g_ptr_array_add(cfg->tenants, t);
		}
		groups = g_key_file_get_groups(kf, NULL);
		for (guint i = 0; groups[i]; i++) {
			RelayTenant *t;
			if (!g_str_has_prefix(groups[i], "tenant:"))
				continue;
			t = g_new0(RelayTenant, 1);
			t->name = (char *) g_intern_string(groups[i] + strlen("tenant:"));
			t->token = get_str(kf, groups[i], "token");
			t->webhook_secret = get_str(kf, groups[i], "webhook_secret");
			t->instances = g_key_file_get_string_list(kf, groups[i], "instances", NULL, NULL);
			t->greenapi_webhook_token = get_str(kf, groups[i], "greenapi_webhook_token");
			t->messages = messages_flag(kf, groups[i]);
			g_ptr_array_add(cfg->tenants, t);
		}
	}
	cfg->max_body = max_body;
	cfg->max_head = max_head;
	cfg->retention_days = (guint) retention;
	cfg->message_retention_days = (guint) message_retention;
	cfg->header_timeout_ms = (guint) header * 1000;
	cfg->idle_timeout_ms = (guint) idle * 1000;
	cfg->body_timeout_ms = (guint) body * 1000;
	cfg->max_connections = (guint) max_conn;
	cfg->max_connections_per_ip = (guint) per_ip;
	cfg->ws_max_queue_bytes = ws_queue;
	cfg->ws_stall_seconds = (guint) ws_stall;
	return TRUE;
}

gboolean
relay_config_check(RelayConfig *cfg, GError **error)
{
	if (!cfg->tenants->len) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND,
		            "webhook_secret and client_token must be set in the configuration, "
		            "16 characters at least each (e.g. from: openssl rand -hex 24), "
		            "or one [tenant:NAME] section for each tenant");
		return FALSE;
	}
	for (guint i = 0; i < cfg->tenants->len; i++) {
		RelayTenant *t = cfg->tenants->pdata[i];
		const char *what = g_str_equal(t->name, "default") ? "webhook_secret and client_token" : "token and webhook_secret";
		if (!t->webhook_secret || strlen(t->webhook_secret) < 16 || !t->token || strlen(t->token) < 16) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "%s must be set in the configuration, 16 characters at least each "
			            "(e.g. from: openssl rand -hex 24) [tenant %s]", what, t->name);
			return FALSE;
		}
		/* The example's placeholders are public: a relay started with them
		 * would take anyone's webhooks and stream to anyone. */
		if (strstr(t->webhook_secret, "CHANGE-ME") || strstr(t->token, "CHANGE-ME")) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "%s still hold the example's CHANGE-ME placeholders: set your own "
			            "(e.g. from: openssl rand -hex 24) [tenant %s]", what, t->name);
			return FALSE;
		}
		for (guint j = 0; j < i; j++) {
			RelayTenant *o = cfg->tenants->pdata[j];
			if (g_str_equal(o->name, t->name) || g_str_equal(o->webhook_secret, t->webhook_secret) ||
			    g_str_equal(o->token, t->token)) {
				g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
				            "tenants %s and %s share a name, a webhook_secret or a token", o->name, t->name);
				return FALSE;
			}
		}
		/* With several tenants, each must say which instances are its own. */
		if (cfg->tenants->len > 1 && (!t->instances || !t->instances[0])) {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "tenant %s: instances must be set when there are several tenants", t->name);
			return FALSE;
		}
	}
	/* An instance belongs to one tenant only. */
	for (guint i = 0; i < cfg->tenants->len; i++)
		for (guint j = i + 1; j < cfg->tenants->len; j++) {
			RelayTenant *a = cfg->tenants->pdata[i], *b = cfg->tenants->pdata[j];
			for (guint k = 0; a->instances && a->instances[k]; k++)
				if (*a->instances[k] && b->instances && g_strv_contains((const char *const *) b->instances, a->instances[k])) {
					g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
					            "instance %s is listed by tenants %s and %s", a->instances[k], a->name, b->name);
					return FALSE;
				}
		}
	return TRUE;
}

void
relay_config_clear(RelayConfig *cfg)
{
	g_clear_pointer(&cfg->listen, g_free);
	g_clear_pointer(&cfg->db, g_free);
	g_clear_pointer(&cfg->wawp_hmac_key, g_free);
	g_clear_pointer(&cfg->metrics_token, g_free);
	g_clear_pointer(&cfg->tenants, g_ptr_array_unref);
}
