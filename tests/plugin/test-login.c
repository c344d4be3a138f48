/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The plugin inside a real headless libpurple core, against the emulated
 * vendors: login, buddy list, room list, rosters, and every failure path. */
#include "fixtures.h"
#include <string.h>


static PurpleAccount *
account_for(WagEmu *emu, const VendorCase *vc, const char *token)
{
	return fx_account(emu, vc, token, NULL);
}

static void
test_login_and_roster(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = account_for(emu, vc, FX_TOKEN);
	PurpleConversation *conv;
	PurpleChat *chat;
	WagEmuRequest *status;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	status = wag_emu_last(emu, "GET", vc->community ? "/status" :
	                      strcmp(vc->vendor, "greenapi") == 0 ? "getStateInstance" : "session/info");
	g_assert_nonnull(status);
	if (vc->community)
		g_assert_cmpstr(status->client_token, ==, FX_CLIENT_TOKEN);
	/* The plain group lands in the account's groups list, with its subject. */
	chat = fx_wait_chat(account, vc->group);
	g_assert_nonnull(chat);
	g_assert_cmpstr(purple_chat_get_name(chat), ==, "Bairro Vila Nova");
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(chat)), ==, "WhatsApp Groups");

	if (vc->community) {
		/* A community is a buddy-list group named after it, holding itself and its linked groups. */
		PurpleChat *c = fx_wait_chat(account, vc->community);
		PurpleChat *linked = fx_wait_chat(account, vc->linked);
		g_assert_nonnull(c);
		g_assert_nonnull(linked);
		g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(c)), ==, "Condominio Solar");
		g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(linked)), ==, "Condominio Solar");
		/* The announcement group is the community chat itself, not a separate node. */
		g_assert_null(purple_blist_find_chat(account, vc->announce));
	}

	conv = wag_harness_join(account, vc->group);
	/* Usable before the roster arrives: the conversation exists right away. */
	g_assert_true(wag_harness_wait_users(conv, 4, 3000));
	g_assert_cmpint(wag_harness_flags(conv, "5511999999999"), ==, PURPLE_CBFLAGS_FOUNDER);
	g_assert_cmpint(wag_harness_flags(conv, "5511988888888"), ==, PURPLE_CBFLAGS_OP);
	g_assert_cmpint(wag_harness_flags(conv, "5544999999999"), ==, PURPLE_CBFLAGS_NONE);
	g_assert_cmpstr(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(conv)), ==, "Bairro Vila Nova");

	if (vc->community) {
		/* The community chat lists the announcement group's members. */
		PurpleConversation *cc = wag_harness_join(account, vc->community);
		g_assert_true(wag_harness_wait_users(cc, 4, 3000));
		g_assert_cmpint(wag_harness_flags(cc, "5511999999999"), ==, PURPLE_CBFLAGS_FOUNDER);
		g_assert_cmpstr(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(cc)), ==, "Condominio Solar");
	}

	/* Closing the chat window never calls the vendor's leave. */
	purple_conversation_destroy(conv);
	wag_harness_spin(50);
	g_assert_cmpuint(wag_emu_count(emu, NULL, "leave"), ==, 0);

	fx_assert_no_secret(wag_harness_debug_log());
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static gboolean
roomlist_done(gpointer data)
{
	return !purple_roomlist_get_in_progress(data);
}

static void
test_roomlist(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = account_for(emu, vc, FX_TOKEN);
	PurpleRoomlist *list;
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

	g_assert_true(wag_harness_wait_connected(account, 3000));
	list = purple_roomlist_get_list(purple_account_get_connection(account));
	g_assert_nonnull(list);
	g_assert_true(wag_harness_wait(roomlist_done, list, 3000));
	for (GList *r = list->rooms; r; r = r->next) {
		PurpleRoomlistRoom *room = r->data;
		g_hash_table_add(seen, room->fields->data); /* the hidden "group" field */
	}
	g_assert_true(g_hash_table_contains(seen, vc->group));
	if (vc->community) {
		g_assert_true(g_hash_table_contains(seen, vc->community));
		g_assert_true(g_hash_table_contains(seen, vc->linked));
		g_assert_cmpuint(g_hash_table_size(seen), ==, 3);
	} else {
		g_assert_cmpuint(g_hash_table_size(seen), ==, 1);
	}
	g_hash_table_destroy(seen);
	purple_roomlist_unref(list);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
test_wrong_token(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = account_for(emu, vc, "wrong-token-xyz");
	PurpleConnectionError reason = 0;
	const char *desc = wag_harness_wait_error(account, &reason, 3000);

	g_assert_nonnull(desc);
	g_assert_cmpint(reason, ==, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
	g_assert_nonnull(strstr(desc, "rejected the instance id or token"));
	g_assert_null(strstr(desc, "wrong-token-xyz"));
	g_assert_null(strstr(wag_harness_debug_log(), "wrong-token-xyz"));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
test_not_linked(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConnectionError reason = 0;
	const char *desc;

	wag_emu_set_state(emu, vc->bad_state);
	account = account_for(emu, vc, FX_TOKEN);
	desc = wag_harness_wait_error(account, &reason, 3000);
	g_assert_nonnull(desc);
	/* Fatal: retrying cannot help until someone scans the QR code. */
	g_assert_true(purple_connection_error_is_fatal(reason));
	g_assert_nonnull(strstr(desc, "QR code"));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
test_vendor_500(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConnectionError reason = 0;
	const char *desc;

	wag_emu_fail_next(emu, "/", 500, "{\"error\": \"Internal Server Error\"}");
	account = account_for(emu, vc, FX_TOKEN);
	desc = wag_harness_wait_error(account, &reason, 3000);
	g_assert_nonnull(desc);
	/* Transient: the host may reconnect (with its own backoff). */
	g_assert_cmpint(reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
	g_assert_nonnull(strstr(desc, "(500)"));
	g_assert_nonnull(strstr(desc, "down or failing"));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
test_timeout(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConnectionError reason = 0;
	const char *desc;

	wag_emu_hang(emu, "/");
	account = account_for(emu, vc, FX_TOKEN);
	desc = wag_harness_wait_error(account, &reason, 8000);
	g_assert_nonnull(desc);
	g_assert_cmpint(reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
	g_assert_nonnull(strstr(desc, "timeout"));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
test_roster_error_in_chat(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = account_for(emu, vc, FX_TOKEN);
	PurpleConversation *conv;
	const char *info_path = vc->info_path;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	fx_wait_chat(account, vc->group);
	/* (a 429 is read again later, tests/core/test-wire.c: a 5xx is shown) */
	wag_emu_fail_next(emu, info_path, 500, "{\"error\": \"Internal Server Error\"}");
	conv = wag_harness_join(account, vc->group);
	wag_harness_spin(300);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "down or failing"), ==, 1);
	g_assert_cmpuint(g_list_length(purple_conv_chat_get_users(PURPLE_CONV_CHAT(conv))), ==, 0);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
test_close_in_flight(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = account_for(emu, vc, FX_TOKEN);
	const char *info_path = vc->info_path;
	guint some = vc == &fx_green ? 2 : 4; /* Green API's roster reads are paced, one a second */
	guint before;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	fx_wait_chat(account, vc->group);
	wag_emu_delay(emu, info_path, 300);
	before = wag_emu_count(emu, NULL, info_path);
	for (int i = 0; i < 20; i++) {
		g_autofree char *id = g_strdup_printf("%s-%d", vc->group, i);
		wag_harness_join(account, id);
	}
	/* libsoup sends a few at once and queues the rest: pull the plug while
	 * some wait on the vendor and others wait in the queue. */
	for (int i = 0; i < 300 && wag_emu_count(emu, NULL, info_path) < before + some; i++)
		wag_harness_spin(10);
	g_assert_cmpuint(wag_emu_count(emu, NULL, info_path), >=, before + some);
	g_assert_cmpuint(wag_emu_count(emu, NULL, info_path), <, before + 20);
	purple_account_disconnect(account);
	g_assert_false(purple_account_is_connected(account));
	/* The answers arrive after the connection is gone: nothing may touch it. */
	wag_harness_spin(600);
	/* Cancelled means cancelled: the queued ones never went out. */
	g_assert_cmpuint(wag_emu_count(emu, NULL, info_path), <, before + 20);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
relogin(PurpleAccount *account)
{
	purple_account_disconnect(account);
	wag_harness_spin(20);
	purple_account_connect(account);
	g_assert_true(wag_harness_wait_connected(account, 3000));
	wag_harness_spin(300); /* the listing follows the login */
}

/* The buddy list follows the vendor, but never over the user's own changes. */
static void
test_blist_follows_vendor(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = account_for(emu, vc, FX_TOKEN);
	PurpleGroup *mine = purple_group_new("Mine");
	PurpleChat *group_chat, *linked;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	group_chat = fx_wait_chat(account, vc->group);
	linked = fx_wait_chat(account, vc->linked);
	g_assert_nonnull(group_chat);
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(linked)), ==, "Condominio Solar");

	/* The user moves one node and renames it. */
	purple_blist_add_group(mine, NULL);
	purple_blist_add_chat(group_chat, mine, NULL);
	purple_blist_alias_chat(group_chat, "Vila Nova (mine)");

	/* The vendor unlinks the linked group from its community. */
	wag_emu_link(emu, NULL, vc->linked);
	relogin(account);

	group_chat = purple_blist_find_chat(account, vc->group);
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(group_chat)), ==, "Mine");
	g_assert_cmpstr(purple_chat_get_name(group_chat), ==, "Vila Nova (mine)");
	linked = purple_blist_find_chat(account, vc->linked);
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(linked)), ==, "WhatsApp Groups");

	/* And a node the user made for a group stays where the user put it. */
	wag_emu_link(emu, vc->community, vc->linked);
	purple_blist_node_set_bool(PURPLE_BLIST_NODE(linked), "wagateway-auto", FALSE);
	relogin(account);
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(linked)), ==, "WhatsApp Groups");
	/* Nothing was ever deleted. */
	g_assert_nonnull(purple_blist_find_chat(account, vc->community));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

/* The plugin finds a group's node through an index, not by walking the
 * list: a node the user deletes must leave the index with it. */
static void
test_blist_node_deleted(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = account_for(emu, vc, FX_TOKEN);
	PurpleChat *node;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	node = fx_wait_chat(account, vc->group);
	g_assert_nonnull(node);
	purple_blist_remove_chat(node);
	g_assert_null(purple_blist_find_chat(account, vc->group));
	/* Opening the community re-places every group: the deleted one comes back. */
	wag_harness_join(account, vc->community);
	node = fx_wait_chat(account, vc->group);
	g_assert_nonnull(node);
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(node)), ==, "WhatsApp Groups");
	g_assert_cmpstr(purple_chat_get_name(node), ==, "Bairro Vila Nova");
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
add_vendor_tests(const VendorCase *vc)
{
	static const struct { const char *name; GTestDataFunc fn; } tests[] = {
		{ "login-and-roster", test_login_and_roster },
		{ "roomlist", test_roomlist },
		{ "wrong-token", test_wrong_token },
		{ "not-linked", test_not_linked },
		{ "vendor-500", test_vendor_500 },
		{ "timeout", test_timeout },
		{ "roster-error-in-chat", test_roster_error_in_chat },
		{ "close-with-20-in-flight", test_close_in_flight },
	};
	for (guint i = 0; i < G_N_ELEMENTS(tests); i++) {
		g_autofree char *path = g_strdup_printf("/plugin/%s/%s", vc->vendor, tests[i].name);
		g_test_add_data_func(path, vc, tests[i].fn);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	add_vendor_tests(&fx_zapi);
	add_vendor_tests(&fx_green);
	add_vendor_tests(&fx_wawp);
	g_test_add_func("/plugin/zapi/blist-follows-vendor", test_blist_follows_vendor);
	g_test_add_func("/plugin/zapi/blist-node-deleted", test_blist_node_deleted);
	return g_test_run();
}
