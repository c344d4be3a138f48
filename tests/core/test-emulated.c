/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The core against the emulated vendors serving their documented shapes:
 * Wawp rosters in each engine's spelling, the session name and lid that
 * make the admin check work, Green API's instance being created and its
 * groups-only listing. */
#include "http-call.h"
#include "vendor-emu.h"
#include "wag-error.h"
#include <string.h>

#define INST "3C5A9F0E1B2D"
#define TOKEN "tok-8d1f2a9e77c4"
#define GROUP "120363055555555555@g.us"
#define OWNER "5511999999999"
#define ME "5511988888888"
#define ME_LID "99887766554433@lid"
#define MEMBER "5544999999999"

static WagEmu *
wawp_emu(void)
{
	WagEmu *emu = wag_emu_new("wawp", INST, TOKEN);
	wag_emu_set_me(emu, ME);
	wag_emu_add_group(emu, GROUP, "Bairro");
	wag_emu_add_participant(emu, GROUP, OWNER, "superadmin");
	wag_emu_add_participant(emu, GROUP, ME, "admin");
	wag_emu_add_participant(emu, GROUP, MEMBER, "participant");
	return emu;
}

static WagGroup *
read_roster(WagHttp *h, WagEmu *emu, const WagCreds *c)
{
	WagGroup *g = wag_group_new(GROUP, NULL);
	WagTestReply r = wag_test_call(h, c->base, wag_vendor_wawp.req_group_info(c, GROUP));
	g_autoptr(GError) err = NULL;

	g_assert_no_error(r.error);
	g_assert_true(wag_vendor_wawp.parse_group_info(r.json, g, &err));
	g_assert_no_error(err);
	wag_test_reply_clear(&r);
	return g;
}

/* Whatever the engine, the owner and this account's admin role come through:
 * a /kick is not refused as "not an admin". */
static void
test_wawp_shapes(void)
{
	static const char *const shapes[] = { "v2", "wawp", "webjs", "noweb" };
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagEmu *emu = wawp_emu();
	WagCreds c = { INST, TOKEN, NULL, wag_emu_base(emu) };

	for (guint i = 0; i < G_N_ELEMENTS(shapes); i++) {
		g_autoptr(WagGroup) g = NULL;
		wag_emu_set_participant_shape(emu, shapes[i]);
		g = read_roster(h, emu, &c);
		g_test_message("shape %s", shapes[i]);
		g_assert_cmpstr(g->owner, ==, OWNER);
		g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, OWNER))->role, ==, WAG_ROLE_OWNER);
		g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, ME))->role, ==, WAG_ROLE_ADMIN);
		g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, MEMBER))->role, ==, WAG_ROLE_MEMBER);
	}
	wag_emu_free(emu);
}

/* The session name is learnt at status time; a roster that lists this account
 * by its lid still finds it an admin. */
static void
test_wawp_me_by_lid(void)
{
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagEmu *emu = wag_emu_new("wawp", INST, TOKEN);
	WagCreds c = { INST, TOKEN, NULL, wag_emu_base(emu) };
	g_autoptr(WagInstanceInfo) info = wag_instance_info_new();
	g_autoptr(WagGroup) g = NULL;
	WagTestReply r;
	gboolean admin = FALSE;
	GHashTableIter it;
	gpointer v;

	wag_emu_set_me(emu, ME);
	wag_emu_set_me_lid(emu, ME_LID);
	wag_emu_set_session_name(emu, "wawp-84729105");
	wag_emu_add_group(emu, GROUP, "Bairro");
	wag_emu_add_participant(emu, GROUP, OWNER, "superadmin");
	wag_emu_add_participant(emu, GROUP, ME_LID, "admin");
	r = wag_test_call(h, c.base, wag_vendor_wawp.req_status(&c));
	g_assert_no_error(r.error);
	wag_vendor_read_info(&wag_vendor_wawp, r.json, info);
	wag_test_reply_clear(&r);
	g_assert_cmpstr(info->session_name, ==, "wawp-84729105");
	g_assert_cmpstr(info->me, ==, ME);

	g = read_roster(h, emu, &c);
	g_assert_null(g_hash_table_lookup(g->participants, ME)); /* listed by lid only */
	g_hash_table_iter_init(&it, g->participants);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		WagParticipant *p = v;
		if (wag_instance_info_is_me(info, p->id))
			admin = p->role != WAG_ROLE_MEMBER;
	}
	g_assert_true(admin);
	wag_emu_free(emu);
}

/* A Green API instance being created answers null: starting, retried later. */
static void
test_green_being_created(void)
{
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagEmu *emu = wag_emu_new("greenapi", "1101000001", TOKEN);
	WagCreds c = { "1101000001", TOKEN, NULL, wag_emu_base(emu) };
	g_autofree char *detail = NULL;
	WagTestReply r;

	wag_emu_fail_next(emu, "getStateInstance", 200, "null");
	r = wag_test_call(h, c.base, wag_vendor_greenapi.req_status(&c));
	g_assert_no_error(r.error);
	g_assert_cmpint(wag_vendor_greenapi.parse_status(r.status, r.json, &detail), ==, WAG_STATE_STARTING);
	g_assert_nonnull(strstr(detail, "still being created"));
	wag_test_reply_clear(&r);
	wag_emu_free(emu);
}

/* Green API lists groups only, when asked so. */
static void
test_green_groups_only(void)
{
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagEmu *emu = wag_emu_new("greenapi", "1101000001", TOKEN);
	WagCreds c = { "1101000001", TOKEN, NULL, wag_emu_base(emu) };
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify) wag_group_free);
	gboolean more = TRUE;
	WagTestReply r;

	wag_emu_add_group(emu, "120363043968066561@g.us", "Dacha");
	r = wag_test_call(h, c.base, wag_vendor_greenapi.req_groups(&c, 1));
	g_assert_no_error(r.error);
	g_assert_cmpuint(json_array_get_length(json_node_get_array(r.json)), ==, 1); /* no people */
	g_assert_true(wag_vendor_greenapi.parse_groups(r.json, found, &more, NULL));
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_false(more);
	g_assert_cmpstr(wag_emu_last(emu, "GET", "getContacts")->query, ==, "group=true");
	wag_test_reply_clear(&r);
	wag_emu_free(emu);
}

/* A name with invalid UTF-8 (a Latin-1 "ç" served raw) costs nothing but
 * that character: every group is listed. */
static void
test_invalid_utf8_name(void)
{
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagEmu *emu = wag_emu_new("zapi", INST, TOKEN);
	WagCreds c = { INST, TOKEN, NULL, wag_emu_base(emu) };
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify) wag_group_free);
	gboolean more;
	WagTestReply r;

	wag_emu_add_group(emu, "120363019502650977-group", "Vizinhan\xe7" "a");
	wag_emu_add_group(emu, "120363011111111111-group", "Bloco A");
	r = wag_test_call(h, c.base, wag_vendor_zapi.req_groups(&c, 1));
	g_assert_no_error(r.error);
	g_assert_true(wag_vendor_zapi.parse_groups(r.json, found, &more, NULL));
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(((WagGroup *) found->pdata[0])->subject, ==, "Vizinhan\xEF\xBF\xBD" "a");
	wag_test_reply_clear(&r);
	wag_emu_free(emu);
}

static void
answer(WagHttp *h, const WagVendor *v, const WagCreds *c, const WagGroup *g, WagAction action, const char *phone)
{
	const char *ids[] = { phone };
	WagTestReply r = wag_test_call(h, c->base, v->req_action(c, action, g, ids, 1, NULL));

	g_assert_no_error(r.error);
	g_assert_true(v->parse_action(action, r.json, NULL));
	wag_test_reply_clear(&r);
}

/* The emulator keeps answers to join requests as the vendor does: the
 * approved one is a participant and, like the declined one, no longer
 * pending; a phone that never asked gets the documented success and is
 * not added (neither vendor documents a refusal for it). */
static void
test_join_answers(gconstpointer data)
{
	const char *vendor = data;
	gboolean zapi = g_str_equal(vendor, "zapi");
	const WagVendor *v = zapi ? &wag_vendor_zapi : &wag_vendor_wawp;
	const char *gid = zapi ? "120363055555555555-group" : GROUP;
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagEmu *emu = wag_emu_new(vendor, INST, TOKEN);
	WagCreds c = { INST, TOKEN, NULL, wag_emu_base(emu) };
	g_autoptr(WagGroup) g = wag_group_new(gid, NULL);

	wag_emu_add_group(emu, gid, "Bairro");
	wag_emu_add_participant(emu, gid, OWNER, "superadmin");
	wag_emu_add_request(emu, gid, "5544911111111");
	wag_emu_add_request(emu, gid, "5544922222222");
	answer(h, v, &c, g, WAG_ACTION_APPROVE, "5544911111111");
	answer(h, v, &c, g, WAG_ACTION_REJECT, "5544922222222");
	answer(h, v, &c, g, WAG_ACTION_APPROVE, "5544933333333");
	g_assert_true(wag_emu_has_participant(emu, gid, "5544911111111"));
	g_assert_false(wag_emu_has_participant(emu, gid, "5544922222222"));
	g_assert_false(wag_emu_has_participant(emu, gid, "5544933333333"));
	if (!zapi) {
		g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func(g_free);
		WagTestReply r = wag_test_call(h, c.base, v->req_requests(&c, gid));
		g_assert_no_error(r.error);
		g_assert_true(v->parse_requests(r.json, pending, NULL));
		g_assert_cmpuint(pending->len, ==, 0);
		wag_test_reply_clear(&r);
	}
	/* A second approval of the same phone adds nobody twice. */
	answer(h, v, &c, g, WAG_ACTION_APPROVE, "5544911111111");
	{
		g_autoptr(WagGroup) read = wag_group_new(gid, NULL);
		WagTestReply r = wag_test_call(h, c.base, v->req_group_info(&c, gid));
		g_assert_no_error(r.error);
		g_assert_true(v->parse_group_info(r.json, read, NULL));
		g_assert_cmpuint(g_hash_table_size(read->participants), ==, 2);
		wag_test_reply_clear(&r);
	}
	wag_emu_free(emu);
}

/* Z-API's whole word on a missing or wrong Client-Token, on any call, comes
 * with what it means. */
static void
test_zapi_client_token(void)
{
	g_autoptr(WagHttp) h = wag_http_new(5);
	WagEmu *emu = wag_emu_new("zapi", INST, TOKEN);
	WagCreds c = { INST, TOKEN, "wrong-client-token", wag_emu_base(emu) };
	g_autoptr(WagGroup) g = wag_group_new("120363055555555555-group", NULL);
	const char *ids[] = { MEMBER };
	WagTestReply r;

	wag_emu_add_group(emu, g->id, "Bairro");
	wag_emu_require_client_token(emu, "right-client-token");
	r = wag_test_call(h, c.base, wag_vendor_zapi.req_action(&c, WAG_ACTION_REMOVE, g, ids, 1, NULL));
	g_assert_nonnull(r.error);
	g_assert_nonnull(strstr(r.error->message, "null not allowed"));
	g_assert_nonnull(strstr(r.error->message, "the account security token (client_token option) is missing or wrong"));
	wag_test_reply_clear(&r);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/emulated/wawp-roster-shapes", test_wawp_shapes);
	g_test_add_func("/core/emulated/wawp-me-by-lid", test_wawp_me_by_lid);
	g_test_add_func("/core/emulated/green-being-created", test_green_being_created);
	g_test_add_func("/core/emulated/green-groups-only", test_green_groups_only);
	g_test_add_func("/core/emulated/invalid-utf8-name", test_invalid_utf8_name);
	g_test_add_data_func("/core/emulated/zapi/join-answers", "zapi", test_join_answers);
	g_test_add_func("/core/emulated/zapi/client-token-hint", test_zapi_client_token);
	g_test_add_data_func("/core/emulated/wawp/join-answers", "wawp", test_join_answers);
	return g_test_run();
}
