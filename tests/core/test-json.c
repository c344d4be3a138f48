/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The JSON reader every webhook and vendor reply goes through: the same
 * trees as json-glib's own parser on valid documents, a clear error (with
 * the byte offset) on anything else, and the documented deviations. */
#include "wag-json.h"
#include <string.h>

static JsonNode *
reference(const char *text)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_assert_true(json_parser_load_from_data(p, text, -1, NULL));
	return json_node_ref(json_parser_get_root(p));
}

static void
test_same_trees(void)
{
	static const char *const docs[] = {
		"{}", "[]", "0", "-0", "17", "-9223372036854775808", "9223372036854775807", "1.5", "-2.25e-3",
		"6.02E23", "1e400", "true", "false", "null", "\"\"", "\"plain\"",
		"\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\u00e9\\u4e2d\\ud83d\\ude00\"", "\"raw é 中 😀\"",
		" \t\r\n{ \"a\" : [ 1 , { \"b\" : null } , \"c\" ] }\n ",
		"{\"a\":1,\"a\":2}", "{\"\":0}", "[[[[[[]]]]]]", "\xEF\xBB\xBF{\"bom\":true}",
		"{\"isGroup\":\"false\",\"notificationParameters\":[\"5544\",5511],\"momment\":1732300000000}",
		"\"tab\tinside\"",
		NULL,
	};

	for (guint i = 0; docs[i]; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) mine = wag_json_parse(docs[i], strlen(docs[i]), &error);
		g_autoptr(JsonNode) ref = reference(docs[i]);
		g_autofree char *a = NULL, *b = NULL;

		g_assert_no_error(error);
		g_assert_nonnull(mine);
		a = json_to_string(mine, FALSE);
		b = json_to_string(ref, FALSE);
		g_assert_cmpstr(a, ==, b);
		g_assert_true(json_node_equal(mine, ref));
	}
}

static void
test_refused(void)
{
	static const struct { const char *text; gsize at; } bad[] = {
		{ "[1,2,]", 5 }, { "{\"a\":1,}", 7 }, { "'x'", 0 }, { "/*c*/1", 0 }, { "01", 1 }, { "1.", 2 },
		{ ".5", 0 }, { "+1", 0 }, { "0x10", 1 }, { "-", 1 }, { "1e", 2 }, { "NaN", 0 }, { "tru", 0 },
		{ "\"open", 5 }, { "\"\\x\"", 2 }, { "\"\\u12\"", 3 }, { "\"\\ud83d\"", 7 }, { "\"\\ude00\"", 7 },
		{ "{\"a\" 1}", 5 }, { "{1:2}", 1 }, { "[1 2]", 3 }, { "1 2", 2 },
		{ "{\"a\":", 5 },
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) n = wag_json_parse(bad[i].text, strlen(bad[i].text), &error);
		g_autofree char *where = g_strdup_printf("at byte %" G_GSIZE_FORMAT ":", bad[i].at);

		g_assert_null(n);
		g_assert_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
		if (!strstr(error->message, where))
			g_error("%s: \"%s\" does not say \"%s\"", bad[i].text, error->message, where);
	}
}

static void
test_deviations(void)
{
	g_autofree char *deep = g_strnfill(WAG_JSON_MAX_DEPTH + 1, '[');
	g_autofree char *opening = g_strnfill(WAG_JSON_MAX_DEPTH, '[');
	g_autofree char *closing = g_strnfill(WAG_JSON_MAX_DEPTH, ']');
	g_autofree char *ok_depth = g_strconcat(opening, closing, NULL);
	g_autoptr(GError) error = NULL;
	JsonNode *n;

	/* Empty input is no document and no error (an empty vendor reply). */
	g_assert_null(wag_json_parse(" \n", 2, &error));
	g_assert_no_error(error);

	/* A NUL would cut a C string short: it becomes U+FFFD instead. */
	n = wag_json_parse("\"a\\u0000b\"", 10, NULL);
	g_assert_cmpstr(json_node_get_string(n), ==, "a\xEF\xBF\xBD" "b");
	json_node_unref(n);
	n = wag_json_parse("\"a\0b\"", 5, NULL);
	g_assert_cmpstr(json_node_get_string(n), ==, "a\xEF\xBF\xBD" "b");
	json_node_unref(n);

	/* Invalid UTF-8 in a string becomes U+FFFD; the rest of the reply is kept. */
	n = wag_json_parse("{\"k\":\"\xff\"}", 9, NULL);
	g_assert_cmpstr(json_object_get_string_member(json_node_get_object(n), "k"), ==, "\xEF\xBF\xBD");
	json_node_unref(n);
	{
		/* A Z-API group list where one name is cut mid-character (Latin-1 "ã"
		 * and a lone UTF-8 lead byte): every group is still listed. */
		static const char list[] = "[{\"isGroup\": true, \"name\": \"Vizinhan\xe7" "a S\xe3" "o Jo\xc3" "\", \"phone\": \"120363019502650977-group\"},"
		                           " {\"isGroup\": true, \"name\": \"Bairro\", \"phone\": \"120363011111111111-group\"}]";
		JsonArray *a;
		n = wag_json_parse(list, sizeof list - 1, &error);
		g_assert_no_error(error);
		a = json_node_get_array(n);
		g_assert_cmpuint(json_array_get_length(a), ==, 2);
		g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(a, 0), "name"), ==,
		                "Vizinhan\xEF\xBF\xBD" "a S\xEF\xBF\xBD" "o Jo\xEF\xBF\xBD");
		g_assert_true(g_utf8_validate(json_object_get_string_member(json_array_get_object_element(a, 0), "name"), -1, NULL));
		json_node_unref(n);
	}
	/* Outside strings a stray byte is still an error. */
	g_assert_null(wag_json_parse("[1,\xff]", 5, &error));
	g_clear_error(&error);

	/* Integers beyond 64 bits keep their magnitude, as doubles. */
	n = wag_json_parse("12345678901234567890", 20, NULL);
	g_assert_cmpint(json_node_get_value_type(n), ==, G_TYPE_DOUBLE);
	g_assert_cmpfloat(json_node_get_double(n), ==, 12345678901234567890.0);
	json_node_unref(n);

	/* Input need not end in a NUL: a number at the very end of it. */
	n = wag_json_parse("[125]", 4, &error);
	g_assert_null(n);
	g_clear_error(&error);
	n = wag_json_parse("12345", 3, NULL);
	g_assert_cmpint(json_node_get_int(n), ==, 123);
	json_node_unref(n);

	/* Nesting is bounded: no stack to exhaust with a hostile body. */
	g_assert_null(wag_json_parse(deep, strlen(deep), &error));
	g_assert_nonnull(strstr(error->message, "nested too deeply"));
	n = wag_json_parse(ok_depth, strlen(ok_depth), NULL);
	g_assert_nonnull(n);
	json_node_unref(n);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json/same-trees-as-json-glib", test_same_trees);
	g_test_add_func("/json/refused-with-offset", test_refused);
	g_test_add_func("/json/deviations", test_deviations);
	return g_test_run();
}
