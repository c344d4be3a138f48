/* libFuzzer target: the JSON reader, every vendor's webhook normalizer and
 * the event schema reader on arbitrary bytes. Must never crash, leak or emit
 * a critical; and whatever the reader accepts, json-glib's own parser reads
 * to the same tree (but for the deviations wag-json-parse.c documents). */
#include "wag-vendor.h"
#include "wag-json.h"
#include <stdint.h>
#include <string.h>

/* NULs and integers beyond 64 bits: read differently on purpose. */
static gboolean
deviates(const uint8_t *data, size_t size)
{
	gsize run = 0;
	if (memchr(data, 0, size) || g_strstr_len((const char *) data, size, "\\u0000"))
		return TRUE;
	for (size_t i = 0; i < size; i++) {
		run = g_ascii_isdigit(data[i]) ? run + 1 : 0;
		if (run >= 19)
			return TRUE;
	}
	return FALSE;
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
	same_as_json_glib(data, size, node);
	for (guint v = 0; wag_vendors()[v]; v++) {
		g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
		g_autofree char *instance = NULL;
		wag_vendors()[v]->normalize_webhook(node, events, &instance, NULL);
		for (guint i = 0; i < events->len; i++) {
			g_autoptr(JsonNode) back = wag_event_to_json(events->pdata[i]);
			g_autoptr(WagEvent) again = wag_event_from_json(back, NULL);
			g_assert_nonnull(again); /* what we emit we can read */
		}
	}
	wag_event_free(wag_event_from_json(node, NULL));
	return 0;
}
