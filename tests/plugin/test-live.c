/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Live sync: the real relay and the plugin in a headless core. Webhooks
 * posted to the relay change rosters and the buddy list; nothing is lost or
 * applied twice across disconnects and relay restarts; Green API is polled
 * at no more than one roster read a second. */
#include "fixtures.h"
#include "relay-proc.h"
#include <string.h>

#define JSON "application/json"

static SoupSession *http;

static char *
zapi_hook(const char *kind, const char *params, const char *actor)
{
	/* Sent now: a first connection takes older join requests for history
	 * (queued, not asked). Later hooks carry later times, as a vendor's do. */
	static gint64 at;
	at = MAX(at + 1, g_get_real_time() / 1000);
	return g_strdup_printf("{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"%s\","
	                       " \"phone\": \"%s\", \"participantPhone\": \"%s\", \"momment\": %" G_GINT64_FORMAT ","
	                       " \"notification\": \"%s\", \"notificationParameters\": [%s]}",
	                       FX_INSTANCE, fx_zapi.group, actor, at, kind, params);
}

static void
post_zapi(RelayProc *rp, const char *kind, const char *params, const char *actor)
{
	g_autofree char *body = zapi_hook(kind, params, actor);
	g_assert_cmpuint(relay_post(http, rp, "zapi", RP_SECRET, JSON, body, NULL), ==, 200);
}

static PurpleAccount *
live_account(WagEmu *emu, const VendorCase *vc, RelayProc *rp, const char *token)
{
	g_autofree char *url = g_strdup_printf("ws://127.0.0.1:%d", rp->port);
	return fx_account(emu, vc, FX_TOKEN, "relay_url", url, "relay_token", token, NULL);
}

static void
test_zapi_webhooks(void)
{
	const VendorCase *vc = &fx_zapi;
	RelayProc *rp = relay_proc_start(NULL);
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = live_account(emu, vc, rp, RP_CLIENT);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
	PurpleChat *node;

	wag_harness_spin(300); /* the relay connection comes up after the listing */
	post_zapi(rp, "GROUP_PARTICIPANT_ADD", "\"5544955555555\"", FX_OWNER);
	g_assert_true(wag_harness_wait_users(conv, 5, 3000));
	post_zapi(rp, "GROUP_PARTICIPANT_REMOVE", "\"" FX_MEMBER "\"", FX_OWNER);
	g_assert_true(wag_harness_wait_users(conv, 4, 3000));
	g_assert_true(wag_harness_wait_line(vc->group, FX_MEMBER " left the room (removed by " FX_OWNER ")", 1000));
	post_zapi(rp, "GROUP_PARTICIPANT_PROMOTE", "\"" FX_MEMBER2 "\"", FX_OWNER);
	for (int i = 0; i < 300 && wag_harness_flags(conv, FX_MEMBER2) != PURPLE_CBFLAGS_OP; i++)
		wag_harness_spin(10);
	g_assert_cmpint(wag_harness_flags(conv, FX_MEMBER2), ==, PURPLE_CBFLAGS_OP);
	post_zapi(rp, "GROUP_PARTICIPANT_DEMOTE", "\"" FX_MEMBER2 "\"", FX_OWNER);
	for (int i = 0; i < 300 && wag_harness_flags(conv, FX_MEMBER2) != PURPLE_CBFLAGS_NONE; i++)
		wag_harness_spin(10);
	g_assert_cmpint(wag_harness_flags(conv, FX_MEMBER2), ==, PURPLE_CBFLAGS_NONE);
	post_zapi(rp, "GROUP_PARTICIPANT_LEAVE", "\"5544955555555\"", "5544955555555");
	g_assert_true(wag_harness_wait_users(conv, 3, 3000));

	/* A join request: the prompt, /requests, and Reject = decline. */
	post_zapi(rp, "MEMBERSHIP_APPROVAL_REQUEST", "\"5544911111111\"", "5544911111111");
	g_assert_true(wag_harness_wait_prompt(3000));
	g_assert_cmpstr(wag_harness_prompt_text(), ==, "5544911111111 asks to join Bairro Vila Nova");
	wag_harness_command(conv, "requests");
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "Pending join requests (1): 5544911111111"), ==, 1);
	g_assert_true(wag_harness_answer("Reject"));
	g_assert_true(wag_harness_wait_line(vc->group, "Declined 1 of 1 join requests.", 3000));
	g_assert_cmpstr(wag_emu_last(emu, "POST", "reject-participant")->body, ==,
	                "{\"groupId\":\"120363019502650977-group\",\"phones\":[\"5544911111111\"]}");

	/* Our own kick's echo from the vendor changes nothing a second time. */
	wag_harness_command(conv, "kick " FX_MEMBER2);
	g_assert_true(wag_harness_wait_line(vc->group, "Removed 1 of 1.", 3000));
	post_zapi(rp, "GROUP_PARTICIPANT_REMOVE", "\"" FX_MEMBER2 "\"", FX_ME);
	wag_harness_spin(300);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, FX_MEMBER2 " left the room"), ==, 1);

	/* This account removed: the chat says so, commands refuse, the node stays, marked. */
	post_zapi(rp, "GROUP_PARTICIPANT_REMOVE", "\"" FX_ME "\"", FX_OWNER);
	g_assert_true(wag_harness_wait_line(vc->group, "no longer a participant", 3000));
	g_assert_null(purple_conv_chat_cb_find(chat, FX_ME));
	g_assert_cmpuint(wag_harness_count_lines(vc->group, FX_ME " left the room"), ==, 0); /* said in words, once */
	wag_harness_command(conv, "kick " FX_OWNER);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "no longer a participant of this group; nothing was done"), ==, 1);
	node = purple_blist_find_chat(account, vc->group);
	g_assert_nonnull(node);
	g_assert_cmpstr(purple_chat_get_name(node), ==, "Bairro Vila Nova (no longer a member)");
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	relay_proc_free(rp);
	wag_harness_clear_lines();
}

static void
test_wawp_webhooks(void)
{
	const VendorCase *vc = &fx_wawp;
	RelayProc *rp = relay_proc_start(NULL);
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = live_account(emu, vc, rp, RP_CLIENT);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	g_autofree char *join = g_strdup_printf("{\"event\": \"group.v2.participants\", \"instance_id\": \"%s\", \"payload\": "
		"{\"type\": \"join\", \"timestamp\": 1732300000, \"group\": {\"id\": \"%s\"}, \"participants\": "
		"[{\"id\": \"5544955555555@c.us\", \"role\": \"participant\"}]}}", FX_INSTANCE, vc->group);
	g_autofree char *promote = g_strdup_printf("{\"event\": \"group.v2.participants\", \"instance_id\": \"%s\", \"payload\": "
		"{\"chatId\": \"%s\", \"action\": \"promote\", \"participants\": {\"0\": \"5544955555555@c.us\"}, \"timestamp\": 1732300000}}",
		FX_INSTANCE, vc->group);
	g_autofree char *other = g_strdup_printf("{\"event\": \"group.v2.participants\", \"instance_id\": \"SOMEONE-ELSE\", \"payload\": "
		"{\"type\": \"leave\", \"group\": {\"id\": \"%s\"}, \"participants\": [\"%s@c.us\"]}}", vc->group, FX_MEMBER);

	wag_harness_spin(300);
	g_assert_cmpuint(relay_post(http, rp, "wawp", RP_SECRET, JSON, join, NULL), ==, 200);
	g_assert_true(wag_harness_wait_users(conv, 5, 3000));
	g_assert_cmpuint(relay_post(http, rp, "wawp", RP_SECRET, JSON, promote, NULL), ==, 200);
	for (int i = 0; i < 300 && wag_harness_flags(conv, "5544955555555") != PURPLE_CBFLAGS_OP; i++)
		wag_harness_spin(10);
	g_assert_cmpint(wag_harness_flags(conv, "5544955555555"), ==, PURPLE_CBFLAGS_OP);
	/* Another account's events on the same relay are not ours. */
	g_assert_cmpuint(relay_post(http, rp, "wawp", RP_SECRET, JSON, other, NULL), ==, 200);
	wag_harness_spin(300);
	g_assert_nonnull(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), FX_MEMBER));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	relay_proc_free(rp);
}

/* Offline while 50 events arrive: all applied on reconnect, in order, none
 * twice; then the relay restarts mid-stream and nothing is lost either. */
static void
test_offline_and_restart(void)
{
	const VendorCase *vc = &fx_zapi;
	RelayProc *rp = relay_proc_start(NULL);
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = live_account(emu, vc, rp, RP_CLIENT);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	guint reads;

	wag_harness_spin(300);
	purple_account_disconnect(account);
	/* Each webhook reports a change the vendor really made. */
	for (int i = 1; i <= 50; i++) {
		g_autofree char *phone = g_strdup_printf("55449100%05d", i);
		g_autofree char *p = g_strdup_printf("\"%s\"", phone);
		wag_emu_add_participant(emu, vc->group, phone, "member");
		post_zapi(rp, "GROUP_PARTICIPANT_ADD", p, FX_OWNER);
	}
	/* The last of them leaves again: order matters. */
	wag_emu_remove_participant(emu, vc->group, "5544910000050");
	post_zapi(rp, "GROUP_PARTICIPANT_REMOVE", "\"5544910000050\"", FX_OWNER);
	purple_account_connect(account);
	g_assert_true(wag_harness_wait_connected(account, 3000));
	conv = wag_harness_join(account, vc->group);
	g_assert_true(wag_harness_wait_users(conv, 4 + 49, 5000));
	g_assert_null(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), "5544910000050"));
	wag_harness_spin(300);
	for (int i = 1; i <= 49; i++) {
		g_autofree char *line = g_strdup_printf("55449100%05d entered the room", i);
		g_assert_cmpuint(wag_harness_count_lines(vc->group, line), <=, 1);
	}

	/* Relay restart in the middle of a stream. */
	for (int i = 51; i <= 55; i++) {
		g_autofree char *phone = g_strdup_printf("55449100%05d", i);
		g_autofree char *p = g_strdup_printf("\"%s\"", phone);
		wag_emu_add_participant(emu, vc->group, phone, "member");
		post_zapi(rp, "GROUP_PARTICIPANT_ADD", p, FX_OWNER);
	}
	g_assert_true(wag_harness_wait_users(conv, 4 + 49 + 5, 3000));
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	wag_harness_spin(200);
	relay_proc_restart(rp);
	wag_harness_spin(200);
	for (int i = 56; i <= 60; i++) {
		g_autofree char *phone = g_strdup_printf("55449100%05d", i);
		g_autofree char *p = g_strdup_printf("\"%s\"", phone);
		wag_emu_add_participant(emu, vc->group, phone, "member");
		post_zapi(rp, "GROUP_PARTICIPANT_ADD", p, FX_OWNER);
	}
	/* The plugin reconnects with backoff (1 s, then 2 s, ...). */
	g_assert_true(wag_harness_wait_users(conv, 4 + 49 + 10, 8000));

	/* A chat opened later shows the current roster without a vendor call. */
	purple_conversation_destroy(conv);
	wag_emu_add_participant(emu, vc->group, "5544966666666", "member");
	post_zapi(rp, "GROUP_PARTICIPANT_ADD", "\"5544966666666\"", FX_OWNER);
	wag_harness_spin(500);
	reads = wag_emu_count(emu, "GET", "group-metadata/" "120363019502650977");
	conv = wag_harness_join(account, vc->group);
	g_assert_true(wag_harness_wait_users(conv, 4 + 49 + 10 + 1, 2000));
	g_assert_cmpuint(wag_emu_count(emu, "GET", "group-metadata/" "120363019502650977"), ==, reads);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	relay_proc_free(rp);
	wag_harness_clear_lines();
}

static void
test_wrong_relay_token(void)
{
	const VendorCase *vc = &fx_zapi;
	RelayProc *rp = relay_proc_start(NULL);
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = live_account(emu, vc, rp, "wrong-relay-token-123456");

	g_assert_true(wag_harness_wait_connected(account, 3000));
	for (int i = 0; i < 300 && !strstr(wag_harness_debug_log(), "refused the relay_token"); i++)
		wag_harness_spin(10);
	/* Said plainly, once, and not retried forever. */
	g_assert_nonnull(strstr(wag_harness_debug_log(), "notify: WhatsApp groups: Live sync is off: The relay refused the relay_token (401)"));
	g_assert_null(strstr(wag_harness_debug_log(), "wrong-relay-token-123456"));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	relay_proc_free(rp);
}

/* Green API has no membership webhooks: open chats are re-read and diffed. */
static void
test_green_polling(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv, *conv2;
	WagEmuRequest *prev = NULL;
	GPtrArray *reqs;
	guint polls = 0;

	wag_emu_add_group(emu, "120363000000000002@g.us", "Segundo");
	wag_emu_add_participant(emu, "120363000000000002@g.us", FX_ME, "admin");
	account = fx_account(emu, vc, FX_TOKEN, "poll_seconds", "1", NULL);
	conv = fx_join_group(account, vc, vc->group, 4);
	conv2 = wag_harness_join(account, "120363000000000002@g.us");
	g_assert_true(wag_harness_wait_users(conv2, 1, 3000));

	wag_emu_add_participant(emu, vc->group, "5544955555555", "member");
	wag_emu_remove_participant(emu, vc->group, FX_MEMBER);
	wag_emu_set_role(emu, vc->group, FX_MEMBER2, "admin");
	g_assert_true(wag_harness_wait_users(conv, 4, 5000));
	for (int i = 0; i < 500 && (purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), FX_MEMBER) ||
	                            wag_harness_flags(conv, FX_MEMBER2) != PURPLE_CBFLAGS_OP); i++)
		wag_harness_spin(10);
	g_assert_nonnull(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), "5544955555555"));
	g_assert_null(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), FX_MEMBER));
	g_assert_cmpint(wag_harness_flags(conv, FX_MEMBER2), ==, PURPLE_CBFLAGS_OP);
	wag_harness_spin(2500);

	/* Never more than one getGroupData a second, across both chats. */
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len; i++) {
		WagEmuRequest *r = reqs->pdata[i];
		if (!strstr(r->path, "getGroupData"))
			continue;
		if (prev && polls > 2) /* after the two joins' own reads */
			g_assert_cmpint(r->when - prev->when, >=, 950000);
		prev = r;
		polls++;
	}
	g_test_message("%u getGroupData calls", polls);
	g_assert_cmpuint(polls, >=, 5);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	http = soup_session_new();
	g_test_add_func("/live/zapi/webhooks", test_zapi_webhooks);
	g_test_add_func("/live/wawp/webhooks", test_wawp_webhooks);
	g_test_add_func("/live/zapi/offline-50-and-relay-restart", test_offline_and_restart);
	g_test_add_func("/live/zapi/wrong-relay-token", test_wrong_relay_token);
	g_test_add_func("/live/greenapi/polling", test_green_polling);
	return g_test_run();
}
