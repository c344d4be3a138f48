/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The chat commands, driven as Pidgin (commands) and bitlbee (chat text)
 * drive them, asserting what the vendor received and what the user saw. */
#include "fixtures.h"
#include <string.h>

static const char *
expected_remove_body(const VendorCase *vc, const char *phone)
{
	static char buf[512];
	if (vc == &fx_zapi)
		g_snprintf(buf, sizeof buf, "{\"groupId\":\"%s\",\"phones\":[\"%s\"]}", vc->group, phone);
	else if (vc == &fx_green)
		g_snprintf(buf, sizeof buf, "{\"groupId\":\"%s\",\"participantChatId\":\"%s@c.us\"}", vc->group, phone);
	else
		g_snprintf(buf, sizeof buf, "{\"participants\":[{\"id\":\"%s@c.us\"}],\"instance_id\":\"%s\",\"access_token\":\"%s\"}",
		           phone, FX_INSTANCE, FX_TOKEN);
	return buf;
}

typedef struct {
	const char *path;
	const char *needle; /* NULL: wait for the file to be gone */
} FileWait;

static gboolean
file_state(gpointer data)
{
	FileWait *w = data;
	g_autofree char *text = NULL;

	if (!w->needle)
		return !g_file_test(w->path, G_FILE_TEST_EXISTS);
	return g_file_get_contents(w->path, &text, NULL, NULL) && strstr(text, w->needle);
}

/* The plugin writes on its own thread: wait for what should land. */
static char *
wait_file(const char *path, const char *needle)
{
	FileWait w = { path, needle };
	char *text = NULL;

	wag_harness_wait(file_state, &w, 3000);
	if (!needle || !g_file_get_contents(path, &text, NULL, NULL))
		return g_strdup("");
	return text;
}

static char *
read_audit(const char *needle)
{
	g_autofree char *path = g_build_filename(purple_user_dir(), "wagateway", "audit.log", NULL);
	return wait_file(path, needle);
}

static guint
removes(WagEmu *emu, const VendorCase *vc)
{
	return wag_emu_count(emu, "POST", vc->remove_path);
}

static void
test_kick(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	WagEmuRequest *r;
	g_autofree char *audit = NULL;

	/* Any common spelling of the phone, then a reason. */
	wag_harness_command(conv, "kick +55 44 99999-9999 spamming links");
	g_assert_true(wag_harness_wait_line(vc->group, "Removed 1 of 1.", 3000));
	g_assert_cmpuint(removes(emu, vc), ==, 1);
	r = wag_emu_last(emu, "POST", vc->remove_path);
	g_assert_cmpstr(r->body, ==, expected_remove_body(vc, FX_MEMBER));
	g_assert_cmpstr(r->content_type, ==, "application/json");
	if (vc == &fx_zapi)
		g_assert_cmpstr(r->client_token, ==, FX_CLIENT_TOKEN);
	/* The vendor removed them, and the roster shows it at once. */
	g_assert_false(wag_emu_has_participant(emu, vc->group, FX_MEMBER));
	g_assert_null(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), FX_MEMBER));
	g_assert_cmpuint(g_list_length(purple_conv_chat_get_users(PURPLE_CONV_CHAT(conv))), ==, 3);

	audit = read_audit(vc->group);
	g_assert_nonnull(strstr(audit, "\"action\":\"remove\",\"targets\":[\"" FX_MEMBER "\"],\"reason\":\"spamming links\",\"result\":\"ok\""));
	g_assert_nonnull(strstr(audit, vc->group));
	fx_assert_no_secret(audit);
	fx_assert_no_secret(wag_harness_debug_log());
	fx_finish(account, emu);
}

/* bitlbee sends "/kick ..." as chat text, and IRC KICK arrives as the
 * "kick WHO REASON" command (purple_conversation_do_command). */
static void
test_kick_from_bridge(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	/* messages=off: the administering-only plugin (the default now also talks). */
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, "messages", "off", NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	wag_harness_say(conv, "/kick " FX_MEMBER);
	g_assert_true(wag_harness_wait_line(vc->group, "Removed 1 of 1.", 3000));
	purple_conversation_do_command(conv, "kick " FX_MEMBER2 " ", NULL, NULL);
	g_assert_true(wag_harness_wait_users(conv, 2, 3000));
	g_assert_cmpuint(removes(emu, vc), ==, 2);
	/* Plain text is not a WhatsApp message here: the user is told, nothing is sent. */
	wag_harness_say(conv, "hello everyone");
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "does not send messages"), ==, 1);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "send"), ==, 0);
	fx_finish(account, emu);
}

static void
test_kick_refusals(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	wag_harness_command(conv, "kick 5500000000000");
	wag_harness_command(conv, "kick " FX_OWNER);
	wag_harness_command(conv, "kick " FX_ME);
	wag_harness_command(conv, "kick hello");
	wag_harness_command(conv, "kick");
	wag_harness_spin(100);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "5500000000000 is not a participant"), ==, 1);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, FX_OWNER " created the group and cannot be removed"), ==, 1);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "use /leave"), ==, 1);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "is not a phone number"), ==, 1);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "Usage: /kick"), ==, 1);
	/* Refusals never reach the vendor. */
	g_assert_cmpuint(removes(emu, vc), ==, 0);
	/* A mixed list: the refused are named, the rest removed. */
	wag_harness_command(conv, "kick " FX_OWNER "," FX_MEMBER);
	g_assert_true(wag_harness_wait_line(vc->group, "Removed 1 of 1.", 3000));
	g_assert_true(wag_emu_has_participant(emu, vc->group, FX_OWNER));
	fx_finish(account, emu);
}

static void
test_not_admin(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv;

	wag_emu_set_me(emu, FX_MEMBER); /* this account is a plain member here */
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	conv = fx_join_group(account, vc, vc->group, 4);
	wag_harness_spin(100);
	wag_harness_command(conv, "kick " FX_MEMBER2);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "not an admin of this group"), ==, 1);
	g_assert_cmpuint(removes(emu, vc), ==, 0);
	fx_finish(account, emu);
}

static void
test_join_requests(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv;

	wag_emu_add_request(emu, vc->group, "5544911111111");
	wag_emu_add_request(emu, vc->group, "5544922222222");
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	conv = fx_join_group(account, vc, vc->group, 4);

	if (vc == &fx_green) {
		wag_harness_command(conv, "decline 5544911111111");
		wag_harness_command(conv, "approve 5544911111111");
		wag_harness_command(conv, "requests");
		g_assert_cmpuint(wag_harness_count_lines(vc->group, "Green API has no API for join requests"), ==, 3);
		g_assert_cmpuint(wag_emu_count(emu, "POST", "Participant"), ==, 0);
		fx_finish(account, emu);
		return;
	}
	wag_harness_command(conv, "requests");
	if (vc == &fx_wawp)
		g_assert_true(wag_harness_wait_line(vc->group, "Pending join requests (2): 5544911111111 5544922222222", 3000));
	else
		g_assert_cmpuint(wag_harness_count_lines(vc->group, "Z-API has no API to list them"), ==, 1);

	wag_harness_command(conv, "decline 5544911111111");
	g_assert_true(wag_harness_wait_line(vc->group, "Declined 1 of 1 join requests.", 3000));
	wag_harness_command(conv, "approve 5544922222222");
	g_assert_true(wag_harness_wait_line(vc->group, "Approved 1 of 1 join requests.", 3000));
	if (vc == &fx_zapi) {
		g_assert_cmpstr(wag_emu_last(emu, "POST", "reject-participant")->body, ==,
		                "{\"groupId\":\"120363019502650977-group\",\"phones\":[\"5544911111111\"]}");
		g_assert_cmpstr(wag_emu_last(emu, "POST", "approve-participant")->body, ==,
		                "{\"groupId\":\"120363019502650977-group\",\"phones\":[\"5544922222222\"]}");
	} else {
		g_assert_nonnull(strstr(wag_emu_last(emu, "POST", "join-requests/reject")->body,
		                        "\"participants\":[{\"id\":\"5544911111111@c.us\"}]"));
		g_assert_nonnull(wag_emu_last(emu, "POST", "join-requests/approve"));
	}
	/* The approved one is a participant now, in the vendor and in the roster. */
	g_assert_true(wag_emu_has_participant(emu, vc->group, "5544922222222"));
	g_assert_nonnull(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), "5544922222222"));
	g_assert_false(wag_emu_has_participant(emu, vc->group, "5544911111111"));
	/* The vendor keeps the answers: a re-read still has the approved one,
	 * and neither is pending any more. */
	wag_harness_clear_lines();
	/* Someone new in the vendor's roster shows when the re-read has landed. */
	wag_emu_add_participant(emu, vc->group, "5544966666666", "member");
	wag_harness_command(conv, "refresh");
	g_assert_true(wag_harness_wait_users(conv, 6, 3000));
	g_assert_nonnull(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), "5544966666666"));
	g_assert_nonnull(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), "5544922222222"));
	g_assert_null(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), "5544911111111"));
	if (vc == &fx_wawp) {
		wag_harness_command(conv, "requests");
		g_assert_true(wag_harness_wait_line(vc->group, "No pending join requests", 3000));
	}
	fx_finish(account, emu);
}

static void
test_leave(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	wag_harness_command(conv, "leave");
	g_assert_true(wag_harness_wait_prompt(1000));
	g_assert_cmpstr(wag_harness_prompt_text(), ==, "Leave the WhatsApp group Bairro Vila Nova?");
	/* This UI ("wagtest") is not Pidgin: it would print a mnemonic's
	 * underscore as Finch does, so the captions come without one. */
	g_assert_cmpstr(wag_harness_prompt_buttons(), ==, "OK|Cancel");
	{
		PurplePluginProtocolInfo *prpl = PURPLE_PLUGIN_PROTOCOL_INFO(purple_find_prpl("prpl-wagateway"));
		GList *entries = prpl->chat_info(purple_account_get_connection(account));
		g_assert_cmpstr(((struct proto_chat_entry *) entries->data)->label, ==, "Group or community id:");
		g_list_free_full(entries, g_free);
	}
	g_assert_true(wag_harness_answer("Cancel"));
	wag_harness_spin(100);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "eave"), ==, 0);

	wag_harness_command(conv, "leave");
	g_assert_true(wag_harness_wait_prompt(1000));
	wag_harness_clear_lines(); /* the roster's summary names us as an admin */
	g_assert_true(wag_harness_answer("OK"));
	g_assert_true(wag_harness_wait_line(vc->group, "You left the group.", 3000));
	g_assert_cmpuint(wag_emu_count(emu, "POST", "eave"), ==, 1);
	/* One line for one action: no roster line naming us by number, no second notice. */
	g_assert_null(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), FX_ME));
	g_assert_cmpuint(wag_harness_count_lines(vc->group, FX_ME), ==, 0);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "no longer a participant"), ==, 0);
	if (vc == &fx_zapi)
		g_assert_cmpstr(wag_emu_last(emu, "POST", "leave-group")->body, ==, "{\"groupId\":\"120363019502650977-group\"}");
	/* Nothing more can be done in a group we left. */
	wag_harness_command(conv, "kick " FX_MEMBER);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "no longer a participant"), >=, 1);
	g_assert_cmpuint(removes(emu, vc), ==, 0);
	fx_finish(account, emu);
}

static void
test_close_window(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	/* Default: closing the window (IRC /part) never leaves, and asks nothing. */
	purple_conversation_destroy(conv);
	wag_harness_spin(100);
	g_assert_cmpuint(wag_harness_prompts(), ==, 0);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "leave-group"), ==, 0);
	wag_harness_remove_account(account);

	/* leave_on_close: asks; Cancel keeps the membership, OK leaves. */
	account = fx_account(emu, vc, FX_TOKEN, "leave_on_close", "true", NULL);
	conv = fx_join_group(account, vc, vc->group, 4);
	purple_conversation_destroy(conv);
	g_assert_true(wag_harness_wait_prompt(1000));
	g_assert_cmpstr(wag_harness_prompt_text(), ==, "Also leave the WhatsApp group Bairro Vila Nova?");
	g_assert_true(wag_harness_answer("Cancel"));
	conv = fx_join_group(account, vc, vc->group, 4);
	purple_conversation_destroy(conv);
	g_assert_true(wag_harness_wait_prompt(1000));
	g_assert_true(wag_harness_answer("OK"));
	for (int i = 0; i < 100 && !wag_emu_count(emu, "POST", "leave-group"); i++)
		wag_harness_spin(10);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "leave-group"), ==, 1);
	/* The chat is closed, so the outcome is a notification. */
	wag_harness_spin(100);
	g_assert_nonnull(strstr(wag_harness_debug_log(), "You left the group."));
	fx_finish(account, emu);
}

static void
test_community(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *cc, *conv;
	PurpleChat *node;

	account = fx_account(emu, vc, FX_TOKEN, NULL);
	cc = fx_join_group(account, vc, vc->community, 4);
	/* The community's last ordinary group cannot be unlinked: refused, no call. */
	wag_harness_command(cc, "unlink " "120363011111111111-group");
	g_assert_cmpuint(wag_harness_count_lines(vc->community, "at least one linked group"), ==, 1);
	wag_harness_command(cc, "unlink " "120363099999999999-group");
	g_assert_cmpuint(wag_harness_count_lines(vc->community, "announcement group and cannot be unlinked"), ==, 1);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "communities/unlink"), ==, 0);

	/* Kick in a community chat uses the community form. */
	wag_harness_command(cc, "kick 5521900000001");
	g_assert_true(wag_harness_wait_line(vc->community, "Removed 1 of 1.", 3000));
	g_assert_cmpstr(wag_emu_last(emu, "POST", "remove-participant")->body, ==,
	                "{\"communityId\":\"98372465382764532938\",\"phones\":[\"5521900000001\"]}");
	g_assert_null(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(cc), "5521900000001"));
	wag_harness_remove_account(account);

	/* With a second linked group, one can go; the buddy list follows. */
	wag_emu_add_group(emu, "120363022222222222-group", "Solar Bloco B");
	wag_emu_link(emu, vc->community, "120363022222222222-group");
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	g_assert_nonnull(fx_wait_chat(account, "120363022222222222-group"));
	cc = fx_join_group(account, vc, vc->community, 3);
	wag_harness_command(cc, "unlink 120363011111111111-group");
	g_assert_true(wag_harness_wait_line(vc->community, "Unlinked 1 of 1 groups from the community.", 3000));
	g_assert_cmpstr(wag_emu_last(emu, "POST", "communities/unlink")->body, ==,
	                "{\"communityId\":\"98372465382764532938\",\"groupsPhones\":[\"120363011111111111-group\"]}");
	node = purple_blist_find_chat(account, "120363011111111111-group");
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(node)), ==, "WhatsApp Groups");

	/* /unlink in a group chat, and a group command in a community chat. */
	conv = fx_join_group(account, vc, vc->group, 4);
	wag_harness_command(conv, "unlink 120363022222222222-group");
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "works in a community"), ==, 1);
	wag_harness_command(cc, "decline 5544911111111");
	g_assert_cmpuint(wag_harness_count_lines(vc->community, "belong to a community"), ==, 1);
	fx_finish(account, emu);
}

static void
test_no_communities(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	g_autofree char *words = g_strdup_printf("%s has no API for communities", vc == &fx_green ? "Green API" : "Wawp");

	wag_harness_command(conv, "unlink 120363011111111111@g.us");
	g_assert_cmpuint(wag_harness_count_lines(vc->group, words), ==, 1);
	fx_finish(account, emu);
}

/* Vendor errors become readable lines; 4xx is final, 429 and 5xx are retried. */
static void
test_errors(gconstpointer data)
{
	const VendorCase *vc = data;
	static const struct { guint status; const char *body; const char *words; } finals[] = {
		{ 405, "{\"error\": \"Method Not Allowed\"}", "wrong HTTP method (405)" },
		{ 415, "{\"error\": \"Unsupported Media Type\"}", "missing content type (415)" },
		{ 400, "{\"error\": \"Invalid phone\"}", "bad request data (400): Invalid phone" },
	};
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv;
	char phone[32];

	for (int i = 1; i <= 5; i++) {
		g_snprintf(phone, sizeof phone, "554490000000%d", i);
		wag_emu_add_participant(emu, vc->group, phone, "member");
	}
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	conv = fx_join_group(account, vc, vc->group, 9);
	for (guint i = 0; i < G_N_ELEMENTS(finals); i++) {
		guint before = removes(emu, vc);
		g_snprintf(phone, sizeof phone, "554490000000%u", i + 1);
		wag_emu_fail_next(emu, vc->remove_path, finals[i].status, finals[i].body);
		{
			g_autofree char *line = g_strdup_printf("kick %s", phone);
			wag_harness_command(conv, line);
		}
		g_assert_true(wag_harness_wait_line(vc->group, finals[i].words, 3000));
		g_assert_true(wag_harness_wait_line(vc->group, "Removed 0 of 1.", 3000));
		g_assert_cmpuint(removes(emu, vc), ==, before + 1); /* not retried */
		g_assert_nonnull(purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), phone));
	}
	wag_harness_clear_lines();
	wag_emu_fail_next(emu, vc->remove_path, 429, "{\"error\": \"Too Many Requests\"}");
	wag_harness_command(conv, "kick 5544900000004");
	g_assert_true(wag_harness_wait_line(vc->group, "rate limited", 3000));
	g_assert_true(wag_harness_wait_line(vc->group, "Trying again in 1 s", 3000));
	g_assert_true(wag_harness_wait_line(vc->group, "Removed 1 of 1.", 4000));
	g_assert_false(wag_emu_has_participant(emu, vc->group, "5544900000004"));

	wag_harness_clear_lines();
	wag_emu_fail_next(emu, vc->remove_path, 500, "{\"error\": \"Internal Server Error\"}");
	wag_emu_fail_next(emu, vc->remove_path, 502, "<html>Bad Gateway</html>");
	wag_harness_command(conv, "kick 5544900000005");
	g_assert_true(wag_harness_wait_line(vc->group, "down or failing", 3000));
	g_assert_true(wag_harness_wait_line(vc->group, "Removed 1 of 1.", 6000));
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "Trying again"), ==, 2);
	fx_finish(account, emu);
}

typedef struct {
	WagEmu *emu;
	const VendorCase *vc;
	guint n;
} CountWait;

static gboolean
removes_reached(gpointer data)
{
	CountWait *w = data;
	return removes(w->emu, w->vc) >= w->n;
}

/* 25 phones at a fast test rate; the connection drops in the middle; the
 * rest is done after reconnecting, and nothing is lost or left undone. */
static void
test_bulk_resume(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv;
	GString *cmd = g_string_new("kick ");
	g_autofree char *jobs = NULL;
	g_autofree char *audit = NULL;
	CountWait w = { emu, vc, 0 };
	guint sent;

	for (int i = 1; i <= 25; i++) {
		char phone[32];
		g_snprintf(phone, sizeof phone, "55449000%05d", i);
		wag_emu_add_participant(emu, vc->group, phone, "member");
		g_string_append_printf(cmd, "%s%s", i > 1 ? "," : "", phone);
	}
	g_string_append(cmd, " cleanup");
	/* 600 a minute: Green API one phone each 100 ms; Z-API and Wawp
	 * batches of 10 each second. */
	account = fx_account(emu, vc, FX_TOKEN, "removals_per_minute", "600", NULL);
	conv = fx_join_group(account, vc, vc->group, 29);
	wag_harness_command(conv, cmd->str);
	g_string_free(cmd, TRUE);

	w.n = vc == &fx_green ? 8 : 1;
	g_assert_true(wag_harness_wait(removes_reached, &w, 5000));
	wag_harness_spin(50);
	g_assert_true(wag_harness_wait_line(vc->group, vc == &fx_green ? "Removed 3 of 25." : "Removed 10 of 25.", 2000));
	purple_account_disconnect(account);
	sent = removes(emu, vc);
	g_assert_cmpuint(sent, <, vc == &fx_green ? 25 : 3);

	/* The pending rest is on disk, and nothing is sent while offline. */
	{
		g_autofree char *name = g_strdup_printf("%s-%s.json", vc->vendor, FX_INSTANCE);
		g_autofree char *file = g_build_filename(purple_user_dir(), "wagateway", "jobs", name, NULL);
		jobs = wait_file(file, "\"action\" : \"remove\"");
		g_assert_nonnull(strstr(jobs, "\"action\" : \"remove\""));
		g_assert_nonnull(strstr(jobs, "5544900000025"));
		wag_harness_spin(400);
		g_assert_cmpuint(removes(emu, vc), ==, sent);

		purple_account_connect(account);
		g_assert_true(wag_harness_wait_connected(account, 3000));
		g_assert_true(wag_harness_wait_line(vc->group, "Resuming after reconnect", 5000));
		g_assert_true(wag_harness_wait_line(vc->group, "Removed 25 of 25.", 10000));
		for (int i = 1; i <= 25; i++) {
			char phone[32];
			g_snprintf(phone, sizeof phone, "55449000%05d", i);
			g_assert_false(wag_emu_has_participant(emu, vc->group, phone));
		}
		if (vc != &fx_green)
			g_assert_cmpuint(removes(emu, vc), ==, 3); /* 10 + 10 + 5 */
		g_free(wait_file(file, NULL));
		g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS)); /* done: nothing pending */
	}
	audit = read_audit("\"reason\":\"cleanup\"");
	g_assert_nonnull(strstr(audit, "\"reason\":\"cleanup\""));
	fx_finish(account, emu);
}

static void
test_refresh(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	wag_emu_add_participant(emu, vc->group, "5544966666666", "admin");
	wag_harness_command(conv, "refresh");
	g_assert_true(wag_harness_wait_users(conv, 5, 3000));
	g_assert_cmpint(wag_harness_flags(conv, "5544966666666"), ==, PURPLE_CBFLAGS_OP);
	fx_finish(account, emu);
}

int
main(int argc, char **argv)
{
	static const struct { const char *name; GTestDataFunc fn; gboolean zapi_only; } per_vendor[] = {
		{ "kick", test_kick },
		{ "kick-from-bridge", test_kick_from_bridge },
		/* The decisions behind these are the core's, tested for every
		 * vendor in tests/core (test-check.c, test-session.c); here, once,
		 * what the chat shows of them. */
		{ "kick-refusals", test_kick_refusals, TRUE },
		{ "not-admin", test_not_admin, TRUE },
		{ "join-requests", test_join_requests },
		{ "leave", test_leave },
		{ "errors", test_errors, TRUE },
		{ "bulk-25-disconnect-resume", test_bulk_resume, TRUE },
	};

	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	for (guint v = 0; fx_vendors[v]; v++)
		for (guint i = 0; i < G_N_ELEMENTS(per_vendor); i++) {
			g_autofree char *path = NULL;
			if (per_vendor[i].zapi_only && fx_vendors[v] != &fx_zapi)
				continue;
			path = g_strdup_printf("/commands/%s/%s", fx_vendors[v]->vendor, per_vendor[i].name);
			g_test_add_data_func(path, fx_vendors[v], per_vendor[i].fn);
		}
	g_test_add_func("/commands/zapi/close-window", test_close_window);
	g_test_add_func("/commands/zapi/community", test_community);
	g_test_add_data_func("/commands/greenapi/no-communities", &fx_green, test_no_communities);
	g_test_add_data_func("/commands/wawp/no-communities", &fx_wawp, test_no_communities);
	g_test_add_func("/commands/greenapi/refresh", test_refresh);
	return g_test_run();
}
