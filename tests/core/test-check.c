/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Pre-flight checks: pure functions of the model, the vendor and who we
 * are. Every refusal a user can meet, for every vendor, without a call. */
#include "wag-check.h"
#include "wag-phone.h"
#include "world.h"
#include <string.h>

static WagGroup *
group(gboolean loaded)
{
	WagGroup *g = wag_group_new("120363019502650977-group", "Bairro Vila Nova");
	wag_group_add_participant(g, FX_OWNER, WAG_ROLE_OWNER);
	wag_group_add_participant(g, FX_ME, WAG_ROLE_ADMIN);
	wag_group_add_participant(g, FX_MEMBER, WAG_ROLE_MEMBER);
	wag_group_add_participant(g, FX_MEMBER2, WAG_ROLE_MEMBER);
	g->roster_loaded = loaded;
	return g;
}

static GPtrArray *
list(const char *first, ...)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	va_list ap;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		g_ptr_array_add(a, g_strdup(s));
	va_end(ap);
	return a;
}

static gboolean
said(WagCheck *c, const char *needle)
{
	for (guint i = 0; i < c->lines->len; i++)
		if (strstr(c->lines->pdata[i], needle))
			return TRUE;
	return FALSE;
}

static void
test_kick(gconstpointer data)
{
	const VendorCase *vc = data;
	g_autoptr(WagGroup) g = group(TRUE);
	g_autoptr(GPtrArray) ids = list("5500000000000", FX_OWNER, FX_ME, FX_MEMBER, NULL);
	g_autoptr(GPtrArray) invalid = list("hello", NULL);
	WagCheck c;

	(void) vc;
	wag_check_init(&c);
	g_assert_true(wag_check_kick(&c, g, FX_ME, ids, invalid));
	g_assert_cmpuint(c.ok->len, ==, 1);
	g_assert_cmpstr(c.ok->pdata[0], ==, FX_MEMBER);
	g_assert_cmpuint(c.lines->len, ==, 4);
	g_assert_cmpstr(c.lines->pdata[0], ==, "\"hello\" is not a phone number; skipped.");
	g_assert_cmpstr(c.lines->pdata[1], ==, "5500000000000 is not a participant of this group; skipped.");
	g_assert_cmpstr(c.lines->pdata[2], ==, FX_OWNER " created the group and cannot be removed; skipped.");
	g_assert_cmpstr(c.lines->pdata[3], ==, FX_ME " is this account: use /leave to leave the group; skipped.");
	wag_check_clear(&c);

	/* A plain member may not; nor may anyone before the roster is known,
	 * or after leaving. Without our own number the vendor decides. */
	wag_check_init(&c);
	g_assert_false(wag_check_kick(&c, g, FX_MEMBER2, ids, NULL));
	g_assert_true(said(&c, "not an admin of this group"));
	g_assert_cmpuint(c.ok->len, ==, 0);
	wag_check_clear(&c);
	wag_check_init(&c);
	g_assert_false(wag_check_kick(&c, g, "5599999999999", ids, NULL));
	g_assert_true(said(&c, "This account (5599999999999) is not a participant"));
	wag_check_clear(&c);
	wag_check_init(&c);
	g_assert_true(wag_check_kick(&c, g, NULL, ids, NULL));
	g_assert_cmpuint(c.ok->len, ==, 2); /* the roster still decides: not the owner, not a stranger */
	wag_check_clear(&c);
	g->roster_loaded = FALSE;
	wag_check_init(&c);
	g_assert_false(wag_check_kick(&c, g, FX_ME, ids, NULL));
	g_assert_true(said(&c, "still loading"));
	wag_check_clear(&c);
	g->roster_loaded = TRUE;
	g->left = TRUE;
	wag_check_init(&c);
	g_assert_false(wag_check_kick(&c, g, FX_ME, ids, NULL));
	g_assert_true(said(&c, "no longer a participant of this group; nothing was done"));
	wag_check_clear(&c);
}

static void
test_join_requests(gconstpointer data)
{
	const VendorCase *vc = data;
	const WagVendor *v = wag_vendor_lookup(vc->vendor);
	g_autoptr(WagGroup) g = group(TRUE);
	g_autoptr(GPtrArray) ids = list(FX_MEMBER, "5544911111111", NULL);
	WagCheck c;

	wag_check_init(&c);
	if (!v->has_join_requests) {
		g_assert_false(wag_check_decide_requests(&c, v, g, FX_ME, ids, NULL));
		g_assert_true(said(&c, "Green API has no API for join requests"));
		wag_check_clear(&c);
		return;
	}
	g_assert_true(wag_check_decide_requests(&c, v, g, FX_ME, ids, NULL));
	g_assert_cmpuint(c.ok->len, ==, 1);
	g_assert_cmpstr(c.ok->pdata[0], ==, "5544911111111");
	g_assert_true(said(&c, FX_MEMBER " is already a participant; skipped."));
	wag_check_clear(&c);
	g->is_community = TRUE;
	wag_check_init(&c);
	g_assert_false(wag_check_decide_requests(&c, v, g, FX_ME, ids, NULL));
	g_assert_true(said(&c, "belong to a community's groups"));
	wag_check_clear(&c);
}

static void
test_unlink(void)
{
	const WagVendor *zapi = wag_vendor_lookup("zapi");
	const WagVendor *green = wag_vendor_lookup("greenapi");
	g_autoptr(WagGroup) c = wag_group_new("98372465382764532938", "Condominio Solar");
	g_autoptr(WagGroup) plain = group(TRUE);
	const char *one[] = { "120363011111111111-group", NULL };
	const char *both[] = { "120363011111111111-group", "120363022222222222-group", NULL };
	const char *odd[] = { "120363099999999999-group", "120363000000000000-group", NULL };
	const char *none[] = { "", NULL };
	WagCheck k;

	c->is_community = TRUE;
	c->roster_loaded = TRUE;
	c->announcement_id = g_strdup("120363099999999999-group");
	wag_group_add_participant(c, FX_ME, WAG_ROLE_ADMIN);
	g_ptr_array_add(c->subgroups, g_strdup("120363099999999999-group"));
	g_ptr_array_add(c->subgroups, g_strdup("120363011111111111-group"));
	g_ptr_array_add(c->subgroups, g_strdup("120363022222222222-group"));

	wag_check_init(&k);
	g_assert_true(wag_check_unlink(&k, zapi, c, FX_ME, one));
	g_assert_cmpuint(k.ok->len, ==, 1);
	wag_check_clear(&k);
	/* The last ordinary group stays. */
	wag_check_init(&k);
	g_assert_false(wag_check_unlink(&k, zapi, c, FX_ME, both));
	g_assert_true(said(&k, "at least one linked group"));
	wag_check_clear(&k);
	wag_check_init(&k);
	g_assert_false(wag_check_unlink(&k, zapi, c, FX_ME, odd));
	g_assert_true(said(&k, "announcement group and cannot be unlinked"));
	g_assert_true(said(&k, "120363000000000000-group is not linked to this community"));
	wag_check_clear(&k);
	wag_check_init(&k);
	g_assert_false(wag_check_unlink(&k, zapi, c, FX_ME, none));
	g_assert_true(said(&k, "Usage: /unlink"));
	wag_check_clear(&k);
	wag_check_init(&k);
	g_assert_false(wag_check_unlink(&k, zapi, plain, FX_ME, one));
	g_assert_true(said(&k, "works in a community's chat"));
	wag_check_clear(&k);
	wag_check_init(&k);
	g_assert_false(wag_check_unlink(&k, green, c, FX_ME, one));
	g_assert_true(said(&k, "Green API has no API for communities"));
	wag_check_clear(&k);
}

static void
test_leave(void)
{
	g_autoptr(WagGroup) g = group(TRUE);
	char *refusal;

	g_assert_null(wag_check_leave(g));
	g_assert_null(wag_check_leave(NULL));
	g->is_community = TRUE;
	refusal = wag_check_leave(g);
	g_assert_nonnull(strstr(refusal, "left group by group"));
	g_free(refusal);
	g->is_community = FALSE;
	g->left = TRUE;
	refusal = wag_check_leave(g);
	g_assert_nonnull(strstr(refusal, "no longer a participant"));
	g_free(refusal);
}

/* What a user types after a command, as IRC and Pidgin users type it. */
static void
test_parse_targets(void)
{
	static const struct { const char *typed; const char *ids; const char *invalid; const char *reason; } cases[] = {
		{ "+55 44 99999-9999 spamming links", "5544999999999", "", "spamming links" },
		{ "_5544999999999,5544977777777", "5544999999999 5544977777777", "", NULL },
		{ "5544999999999 5544977777777", "5544999999999 5544977777777", "", NULL },
		{ "5544999999999@c.us, 123abc@lid bye", "5544999999999 123abc@lid", "", "bye" },
		{ "hello", "", "hello", NULL },
		{ "5544999999999,5544999999999", "5544999999999", "", NULL },
		{ "", "", "", NULL },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) ids = NULL;
		g_autoptr(GPtrArray) invalid = NULL;
		g_autofree char *reason = NULL;
		g_autofree char *got_ids = NULL;
		g_autofree char *got_invalid = NULL;

		wag_phone_parse_targets(cases[i].typed, &ids, &invalid, &reason);
		g_ptr_array_add(ids, NULL);
		g_ptr_array_add(invalid, NULL);
		got_ids = g_strjoinv(" ", (char **) ids->pdata);
		got_invalid = g_strjoinv(" ", (char **) invalid->pdata);
		g_assert_cmpstr(got_ids, ==, cases[i].ids);
		g_assert_cmpstr(got_invalid, ==, cases[i].invalid);
		g_assert_cmpstr(reason, ==, cases[i].reason);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint v = 0; fx_vendors[v]; v++) {
		g_autofree char *a = g_strdup_printf("/check/%s/kick", fx_vendors[v]->vendor);
		g_autofree char *b = g_strdup_printf("/check/%s/join-requests", fx_vendors[v]->vendor);
		g_test_add_data_func(a, fx_vendors[v], test_kick);
		g_test_add_data_func(b, fx_vendors[v], test_join_requests);
	}
	g_test_add_func("/check/zapi/unlink", test_unlink);
	g_test_add_func("/check/leave", test_leave);
	g_test_add_func("/check/parse-targets", test_parse_targets);
	return g_test_run();
}
