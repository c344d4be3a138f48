/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* libFuzzer target: the JSON reader, every vendor's webhook normalizer and
 * the event schema reader on arbitrary bytes. Must never crash, leak or emit
 * a critical; and whatever the reader accepts, json-glib's own parser reads
 * to the same tree (but for the deviations wag-json-parse.c documents). */
#include "wag-vendor.h"
#include "wag-messaging.h"
#include "wag-json.h"
#include <stdint.h>
#include <string.h>

/* NULs, invalid UTF-8 (json-glib refuses the document, we replace the
 * sequence) and integers beyond 64 bits: read differently on purpose. */
static gboolean
deviates(const uint8_t *data, size_t size)
{
	gsize run = 0;
	if (memchr(data, 0, size) || g_strstr_len((const char *) data, size, "\\u0000") ||
	    !g_utf8_validate_len((const char *) data, size, NULL))
		return TRUE;
	for (size_t i = 0; i < size; i++) {
		run = g_ascii_isdigit(data[i]) ? run + 1 : 0;
		if (run >= 19)
			return TRUE;
	}
	return FALSE;
}

/* Whatever the input, every string in the tree is valid UTF-8. */
static void
assert_valid_strings(JsonNode *n)
{
	if (JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);
		for (guint i = 0; i < json_array_get_length(a); i++)
			assert_valid_strings(json_array_get_element(a, i));
	} else if (JSON_NODE_HOLDS_OBJECT(n)) {
		JsonObjectIter it;
		const char *key;
		JsonNode *val;
		json_object_iter_init(&it, json_node_get_object(n));
		while (json_object_iter_next(&it, &key, &val)) {
			if (!g_utf8_validate(key, -1, NULL))
				g_error("a member name that is not UTF-8");
			assert_valid_strings(val);
		}
	} else if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING &&
	           !g_utf8_validate(json_node_get_string(n), -1, NULL)) {
		g_error("a string that is not UTF-8");
	}
}

static void
same_as_json_glib(const uint8_t *data, size_t size, JsonNode *mine)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_autoptr(GError) error = NULL;

	if (deviates(data, size))
		return;
	if (!json_parser_load_from_data(p, (const char *) data, (gssize) size, &error))
		g_error("accepted what json-glib refuses: %s", error->message);
	if (!json_node_equal(mine, json_parser_get_root(p)))
		g_error("a different tree from json-glib's");
}

static void
fatal_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	g_printerr("%s: %s\n", domain ? domain : "", message);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean once;
	g_autoptr(JsonNode) node = NULL;

	if (!once) {
		g_log_set_default_handler(fatal_log, NULL);
		g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
		once = TRUE;
	}
	node = wag_json_parse((const char *) data, size, NULL);
	if (!node)
		return 0;
	assert_valid_strings(node);
	same_as_json_glib(data, size, node);
	for (guint v = 0; wag_vendors()[v]; v++) {
		g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
		g_autofree char *instance = NULL;
		g_autofree char *msg_instance = NULL;
		wag_vendors()[v]->normalize_webhook(node, events, &instance, NULL);
		/* Group messages come on the same webhooks (the relay runs both). */
		wag_messaging_normalize(wag_vendors()[v], node, events, &msg_instance);
		for (guint i = 0; i < events->len; i++) {
			WagEvent *e = events->pdata[i];
			if (e->message)
				g_free(wag_message_line(e->message)); /* the line shown for it */
			g_autoptr(JsonNode) back = wag_event_to_json(events->pdata[i]);
			g_autoptr(WagEvent) again = wag_event_from_json(back, NULL);
			g_assert_nonnull(again); /* what we emit we can read */
		}
	}
	wag_event_free(wag_event_from_json(node, NULL));
	return 0;
}
