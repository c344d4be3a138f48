/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* When a listing asks for the next page: the pure decision, then against
 * the emulated Z-API, honest and ignoring `page`. */
#include "vendor-emu.h"
#include "wag-error.h"
#include "http-call.h"
#include <string.h>

static void
add_page(GPtrArray *groups, guint from, guint n)
{
	for (guint i = 0; i < n; i++) {
		g_autofree char *id = g_strdup_printf("1203630%011u-group", from + i);
		g_ptr_array_add(groups, wag_group_new(id, "g"));
	}
}

static void
test_decision(void)
{
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func((GDestroyNotify) wag_group_free);
	g_autoptr(WagPager) p = wag_pager_new(&wag_vendor_zapi, 3);
	g_autoptr(WagPager) repeat = wag_pager_new(&wag_vendor_zapi, 0);
	g_autoptr(WagPager) green = wag_pager_new(&wag_vendor_greenapi, 0);
	g_autoptr(WagPager) shortp = wag_pager_new(&wag_vendor_zapi, 0);
	char *warning = NULL;

	/* Full pages go on; the cap stops them, and says so. */
	g_assert_cmpuint(wag_pager_page(p), ==, 1);
	add_page(groups, 0, 100);
	g_assert_true(wag_pager_next(p, groups, 0, TRUE, &warning));
	g_assert_null(warning);
	g_assert_cmpuint(wag_pager_page(p), ==, 2);
	add_page(groups, 100, 100);
	g_assert_true(wag_pager_next(p, groups, 100, TRUE, &warning));
	add_page(groups, 200, 100);
	g_assert_false(wag_pager_next(p, groups, 200, TRUE, &warning));
	g_assert_nonnull(warning);
	g_assert_nonnull(strstr(warning, "more than 3 pages"));
	g_clear_pointer(&warning, g_free);
	g_assert_cmpuint(groups->len, ==, 300);

	/* A page repeated (page ignored) adds nothing and ends the listing. */
	g_ptr_array_set_size(groups, 0);
	add_page(groups, 0, 100);
	g_assert_true(wag_pager_next(repeat, groups, 0, TRUE, &warning));
	add_page(groups, 0, 100);
	g_assert_false(wag_pager_next(repeat, groups, 100, TRUE, &warning));
	g_assert_null(warning);
	g_assert_cmpuint(groups->len, ==, 100); /* the repeats are gone */

	/* A short page is the last, whatever the vendor's flag says. */
	g_ptr_array_set_size(groups, 0);
	add_page(groups, 0, 99);
	g_assert_false(wag_pager_next(shortp, groups, 0, TRUE, &warning));
	g_assert_null(warning);
	/* A vendor without pages: one call. */
	g_assert_false(wag_pager_next(green, groups, 0, FALSE, &warning));
	g_assert_null(warning);
}

/* The whole listing loop as a caller runs it; returns the groups found. */
static guint
list_all(WagEmu *emu, guint *calls, char **warning)
{
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagCreds creds = { "INST", "TOK", NULL, wag_emu_base(emu) };
	g_autoptr(WagPager) pager = wag_pager_new(&wag_vendor_zapi, 0);
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func((GDestroyNotify) wag_group_free);
	gboolean again = TRUE;

	*calls = 0;
	while (again) {
		guint first = groups->len;
		gboolean more = FALSE;
		WagTestReply r = wag_test_call(h, creds.base, wag_vendor_zapi.req_groups(&creds, wag_pager_page(pager)));

		(*calls)++;
		g_assert_no_error(r.error);
		g_assert_true(wag_vendor_zapi.parse_groups(r.json, groups, &more, NULL));
		wag_test_reply_clear(&r);
		again = wag_pager_next(pager, groups, first, more, warning);
	}
	return groups->len;
}

static void
test_emulated(void)
{
	WagEmu *emu = wag_emu_new("zapi", "INST", "TOK");
	char *warning = NULL;
	guint calls;

	for (guint i = 0; i < 150; i++) {
		g_autofree char *id = g_strdup_printf("1203630%011u-group", i);
		wag_emu_add_group(emu, id, "Grupo");
	}
	/* Honest: a full page, then a short one. */
	g_assert_cmpuint(list_all(emu, &calls, &warning), ==, 150);
	g_assert_cmpuint(calls, ==, 2);
	g_assert_null(warning);
	/* Ignoring page: page 2 repeats page 1 and the listing stops there
	 * (it used to go on for 200 pages). */
	wag_emu_ignore_page(emu, TRUE);
	g_assert_cmpuint(list_all(emu, &calls, &warning), ==, 100);
	g_assert_cmpuint(calls, ==, 2);
	g_assert_null(warning);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/paging/decision", test_decision);
	g_test_add_func("/core/paging/emulated", test_emulated);
	return g_test_run();
}
