/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-json.h"
#include "wag-error.h"

JsonObject *
wag_json_obj(JsonNode *node)
{
	return node && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
}

const char *
wag_json_str(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

char *
wag_json_dup_id(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	if (!n || !JSON_NODE_HOLDS_VALUE(n))
		return NULL;
	switch (json_node_get_value_type(n)) {
	case G_TYPE_STRING: return g_strdup(json_node_get_string(n));
	case G_TYPE_INT64: return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
	case G_TYPE_DOUBLE: return g_strdup_printf("%.0f", json_node_get_double(n));
	default: return NULL;
	}
}

gboolean
wag_json_has_bool(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	if (!n || !JSON_NODE_HOLDS_VALUE(n))
		return FALSE;
	if (json_node_get_value_type(n) == G_TYPE_BOOLEAN)
		return TRUE;
	if (json_node_get_value_type(n) == G_TYPE_STRING) {
		const char *s = json_node_get_string(n);
		return g_ascii_strcasecmp(s, "true") == 0 || g_ascii_strcasecmp(s, "false") == 0;
	}
	return FALSE;
}

gboolean
wag_json_bool(JsonObject *o, const char *member, gboolean fallback)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	if (!n || !JSON_NODE_HOLDS_VALUE(n))
		return fallback;
	switch (json_node_get_value_type(n)) {
	case G_TYPE_BOOLEAN: return json_node_get_boolean(n);
	case G_TYPE_INT64: return json_node_get_int(n) != 0;
	case G_TYPE_STRING: {
		const char *s = json_node_get_string(n);
		if (g_ascii_strcasecmp(s, "true") == 0) return TRUE;
		if (g_ascii_strcasecmp(s, "false") == 0) return FALSE;
		return fallback;
	}
	default: return fallback;
	}
}

gint64
wag_json_int(JsonObject *o, const char *member, gint64 fallback)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	if (!n || !JSON_NODE_HOLDS_VALUE(n))
		return fallback;
	switch (json_node_get_value_type(n)) {
	case G_TYPE_INT64: return json_node_get_int(n);
	case G_TYPE_DOUBLE: return (gint64) json_node_get_double(n);
	case G_TYPE_STRING: {
		const char *s = json_node_get_string(n);
		char *end = NULL;
		gint64 v = g_ascii_strtoll(s, &end, 10);
		return end && end != s && !*end ? v : fallback;
	}
	default: return fallback;
	}
}

JsonArray *
wag_json_arr(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

char *
wag_json_error_text(JsonNode *body)
{
	JsonObject *o = wag_json_obj(body);
	static const char *const keys[] = { "error", "message", "description", "status" };
	JsonObject *invoke;

	if (!o)
		return NULL;
	/* Green API quota replies nest their reason. */
	invoke = json_object_has_member(o, "invokeStatus") ?
		wag_json_obj(json_object_get_member(o, "invokeStatus")) : NULL;
	/* Capped here: every message built from it is shown to a user. */
	if (invoke && wag_json_str(invoke, "description"))
		return wag_error_cap_text(wag_json_str(invoke, "description"), WAG_ERROR_TEXT_MAX);
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *s = wag_json_str(o, keys[i]);
		if (s && *s)
			return wag_error_cap_text(s, WAG_ERROR_TEXT_MAX);
	}
	return NULL;
}
