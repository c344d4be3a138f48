/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Guards that need no vendor reply: ids refused before any call, this
 * account known by its phone or lid, subjects cut for display. */
#include "wag-vendor.h"
#include "wag-error.h"
#include <string.h>

static const WagCreds zcreds = { "3C5A9F", "TOKEN1", "CLIENT1", "https://api.z-api.io" };
static const WagCreds wcreds = { "INST9", "ACC/9+x", NULL, "https://api.wawp.net" };

static WagGroup *
group(const char *id, gboolean community)
{
	WagGroup *g = wag_group_new(id, NULL);
	g->is_community = community;
	return g;
}

/* The admin check knows this account by its phone or by any of its lids. */
static void
test_is_me(void)
{
	const char *lids[] = { "99887766554433@lid", NULL };

	g_assert_true(wag_is_me("5511988888888", "5511988888888", lids));
	g_assert_true(wag_is_me("5511988888888@s.whatsapp.net", "5511988888888", NULL));
	g_assert_true(wag_is_me("99887766554433@lid", "5511988888888", lids));
	g_assert_true(wag_is_me("99887766554433@lid", NULL, lids));
	g_assert_false(wag_is_me("99887766554433@lid", "5511988888888", NULL));
	g_assert_false(wag_is_me("5544999999999", "5511988888888", lids));
	g_assert_false(wag_is_me(NULL, "5511988888888", lids));
	g_assert_false(wag_is_me("not a phone", NULL, NULL));
}

/* Ids that would change the request's path, or that no vendor uses, are
 * refused before any call. */
static void
test_ids(void)
{
	static const char *const bad[] = { "", ".", "..", "../participants", "a/b", "a\\b", "a?x=1", "a#b",
	                                    "a%2F", "a b", "a\nb", "a\x01" };
	g_autofree char *long_id = g_strnfill(129, '1');
	const char *ids[] = { ".." };
	g_autoptr(WagGroup) g = group("..", FALSE);
	g_autoptr(WagGroup) ok = group("120363043968066561@g.us", FALSE);

	for (guint v = 0; wag_vendors()[v]; v++) {
		const WagVendor *vendor = wag_vendors()[v];
		g_autoptr(GError) err = NULL;

		for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
			g_assert_false(wag_vendor_check_id(vendor, bad[i], "group", &err));
			g_assert_error(err, WAG_ERROR, WAG_ERROR_BAD_REQUEST);
			g_assert_nonnull(strstr(err->message, "is not a valid group id"));
			g_clear_error(&err);
		}
		g_assert_false(wag_vendor_check_id(vendor, NULL, "group", NULL));
		g_assert_false(wag_vendor_check_id(vendor, long_id, "group", NULL));
		g_assert_true(wag_vendor_check_id(vendor, "5511999999999", "participant", NULL));
		g_assert_true(wag_vendor_check_id(vendor, "99887766554433@lid", "participant", NULL));
		/* No call is built for a bad target or a bad participant. */
		g_assert_null(vendor->req_action(&zcreds, WAG_ACTION_REMOVE, g, (const char *[]) { "5511999999999" }, 1, &err));
		g_assert_error(err, WAG_ERROR, WAG_ERROR_BAD_REQUEST);
		g_clear_error(&err);
		g_assert_null(vendor->req_action(&zcreds, WAG_ACTION_REMOVE, ok, ids, 1, &err));
		g_assert_error(err, WAG_ERROR, WAG_ERROR_BAD_REQUEST);
	}
	g_assert_true(wag_vendor_check_id(&wag_vendor_zapi, "120363019502650977-group", "group", NULL));
	g_assert_true(wag_vendor_check_id(&wag_vendor_zapi, "5511999999999-1623281429", "group", NULL));
	g_assert_true(wag_vendor_check_id(&wag_vendor_zapi, "98372465382764532938", "community", NULL));
	g_assert_false(wag_vendor_check_id(&wag_vendor_zapi, "1203@g.us:x", "group", NULL));
	g_assert_true(wag_vendor_check_id(&wag_vendor_greenapi, "120363043968066561@g.us", "group", NULL));
	g_assert_false(wag_vendor_check_id(&wag_vendor_greenapi, "120363043968066561-group", "group", NULL));
	g_assert_true(wag_vendor_check_id(&wag_vendor_wawp, "120363043968066561@g.us", "group", NULL));
	g_assert_false(wag_vendor_check_id(&wag_vendor_wawp, "@g.us", "group", NULL));

	/* Should a caller skip the check, ".." still cannot climb out of its segment. */
	{
		g_autoptr(WagRequest) r = wag_vendor_wawp.req_group_info(&wcreds, "..");
		g_assert_true(g_str_has_prefix(r->path, "/v2/groups/%252E%252E/participants?"));
	}
}

/* Subjects past WhatsApp's 100 characters are cut for display, by characters. */
static void
test_subject_display(void)
{
	g_autofree char *longest = g_strnfill(100, 'a');
	g_autofree char *over = g_strnfill(5000, 'b');
	g_autofree char *accents = NULL;
	g_autofree char *shown = NULL;
	GString *s = g_string_new(NULL);

	shown = wag_subject_for_display(longest);
	g_assert_cmpstr(shown, ==, longest);
	g_clear_pointer(&shown, g_free);
	shown = wag_subject_for_display(over);
	g_assert_cmpint(g_utf8_strlen(shown, -1), ==, 101);
	g_assert_true(g_str_has_suffix(shown, "b\u2026"));
	g_clear_pointer(&shown, g_free);
	for (guint i = 0; i < 150; i++)
		g_string_append(s, "ã");
	accents = g_string_free(s, FALSE);
	shown = wag_subject_for_display(accents);
	g_assert_cmpint(g_utf8_strlen(shown, -1), ==, 101);
	g_assert_true(g_utf8_validate(shown, -1, NULL));
	g_clear_pointer(&shown, g_free);
	shown = wag_subject_for_display("Bairro\nVila\x01Nova \xff");
	g_assert_cmpstr(shown, ==, "Bairro Vila Nova \xEF\xBF\xBD");
	g_assert_null(wag_subject_for_display(NULL));
}

/* A hostile listing naming a group ".." (or "a/b") lists it not at all, so
 * no later call is built from it. */
static void
test_listed_ids(void)
{
	static const struct { const WagVendor *v; const char *json; } lists[] = {
		{ &wag_vendor_zapi, "[{\"isGroup\": true, \"name\": \"x\", \"phone\": \"..\"},"
		                    " {\"isGroup\": true, \"name\": \"y\", \"phone\": \"a/b\"},"
		                    " {\"isGroup\": true, \"name\": \"ok\", \"phone\": \"120363019502650977-group\"}]" },
		{ &wag_vendor_greenapi, "[{\"id\": \"../x@g.us\", \"name\": \"x\", \"type\": \"group\"},"
		                        " {\"id\": \"120363043968066561@g.us\", \"name\": \"ok\", \"type\": \"group\"}]" },
		{ &wag_vendor_wawp, "[{\"id\": \"..@g.us/../x@g.us\", \"subject\": \"x\"},"
		                    " {\"id\": \"120363043968066561@g.us\", \"subject\": \"ok\"}]" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(lists); i++) {
		g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify) wag_group_free);
		g_autoptr(JsonNode) n = json_from_string(lists[i].json, NULL);
		gboolean more;

		g_assert_true(lists[i].v->parse_groups(n, found, &more, NULL));
		g_assert_cmpuint(found->len, ==, 1);
		g_assert_cmpstr(((WagGroup *) found->pdata[0])->subject, ==, "ok");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/guards/is-me", test_is_me);
	g_test_add_func("/core/guards/ids", test_ids);
	g_test_add_func("/core/guards/subject-display", test_subject_display);
	g_test_add_func("/core/guards/listed-ids", test_listed_ids);
	return g_test_run();
}
