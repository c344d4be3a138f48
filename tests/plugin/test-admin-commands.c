/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group administration from the hosts (issue 18): the prpl ops Pidgin and
 * bitlbee call (chat_invite, set_chat_topic), the new commands, roster
 * flags, the OK/Cancel before an invite link reset, and /help. */
#include "fixtures.h"
#include <string.h>

#define NEW1 "5511977770001"

static PurplePluginProtocolInfo *
prpl_of(PurpleAccount *account)
{
	PurplePlugin *prpl = purple_find_prpl(purple_account_get_protocol_id(account));
	return PURPLE_PLUGIN_PROTOCOL_INFO(prpl);
}

static gboolean
audit_has(gpointer data)
{
	const char *needle = data;
	g_autofree char *path = g_build_filename(purple_user_dir(), "wagateway", "audit.log", NULL);
	g_autofree char *text = NULL;
	/* The plugin writes on its own thread: wait for the line to land. */
	return g_file_get_contents(path, &text, NULL, NULL) && strstr(text, needle);
}

/* Pidgin's "Invite..." and bitlbee's IRC /invite reach chat_invite; topic
 * editing (Pidgin) and IRC /topic reach set_chat_topic. */
static void
test_invite_and_topic(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	PurpleConnection *gc = purple_account_get_connection(account);
	int id = purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv));

	serv_chat_invite(gc, id, "Please join my chat", NEW1);
	g_assert_true(wag_harness_wait_line(vc->group, "In the group now: " NEW1 ".", 5000));
	g_assert_true(wag_emu_has_participant(emu, vc->group, NEW1));
	g_assert_true(wag_harness_wait_users(conv, 5, 3000));
	/* The invitation's message is the audit line's reason. */
	g_assert_true(wag_harness_wait(audit_has, (gpointer) "\"action\":\"add\",\"targets\":[\"" NEW1
	                               "\"],\"reason\":\"Please join my chat\"", 3000));
	/* Inviting a participant is refused, no call. */
	serv_chat_invite(gc, id, NULL, FX_MEMBER);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, FX_MEMBER " is already a participant; skipped."), ==, 1);

	prpl_of(account)->set_chat_topic(gc, id, "Vila Nova — avisos");
	g_assert_true(wag_harness_wait_topic(conv, "Vila Nova — avisos", 3000));
	g_assert_cmpstr(wag_emu_subject(emu, vc->group), ==, "Vila Nova — avisos");
	fx_finish(account, emu);
}

/* /op and /deop: the chat's flags change at once; the creator stays. */
static void
test_op_deop(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
	guint before = wag_emu_requests(emu)->len;

	wag_harness_command(conv, "deop " FX_OWNER);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, FX_OWNER " created the group and cannot be demoted; skipped."), ==, 1);
	g_assert_cmpuint(wag_emu_requests(emu)->len, ==, before);

	wag_harness_command(conv, "op " FX_MEMBER);
	g_assert_true(wag_harness_wait_line(vc->group, "Made 1 of 1 admins.", 3000));
	g_assert_cmpint(purple_conv_chat_user_get_flags(chat, FX_MEMBER), ==, PURPLE_CBFLAGS_OP);
	wag_harness_say(conv, "/deop " FX_MEMBER); /* bitlbee: as chat text */
	g_assert_true(wag_harness_wait_line(vc->group, "Took admin rights from 1 of 1.", 3000));
	g_assert_cmpint(purple_conv_chat_user_get_flags(chat, FX_MEMBER), ==, PURPLE_CBFLAGS_NONE);
	fx_finish(account, emu);
}

/* /settings, /invitelink (reset asks first, Cancel does nothing), /description. */
static void
test_settings_and_link(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	guint before;

	wag_harness_command(conv, "settings");
	g_assert_true(wag_harness_wait_line(vc->group, "Settings: announce (only admins send messages): ", 1000));
	wag_harness_command(conv, "settings announce maybe");
	g_assert_true(wag_harness_wait_line(vc->group, "Usage: /settings", 1000));

	wag_harness_command(conv, "invitelink");
	g_assert_true(wag_harness_wait_line(vc->group, "Invite link: https://chat.whatsapp.com/C1adgkdEGki7554BWDdMkd", 3000));
	before = wag_emu_requests(emu)->len;
	wag_harness_command(conv, "invitelink reset");
	if (vc == &fx_green) {
		g_assert_true(wag_harness_wait_line(vc->group, "Green API has no API for resetting the invite link.", 1000));
		g_assert_cmpuint(wag_harness_prompts(), ==, 0);
		wag_harness_command(conv, "description Regras");
		g_assert_true(wag_harness_wait_line(vc->group, "Green API has no API for the group description.", 1000));
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, before);
	} else {
		g_assert_true(wag_harness_wait_prompt(1000));
		g_assert_cmpstr(wag_harness_prompt_text(), ==, "Reset the invite link of Bairro Vila Nova?");
		g_assert_true(wag_harness_answer("Cancel"));
		wag_harness_spin(50);
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, before);
		wag_harness_command(conv, "invitelink reset");
		g_assert_true(wag_harness_wait_prompt(1000));
		g_assert_true(wag_harness_answer("OK"));
		g_assert_true(wag_harness_wait_line(vc->group, "The old invite link no longer works. The new one: ", 3000));
		g_assert_cmpstr(wag_emu_invite_code(emu, vc->group), !=, "C1adgkdEGki7554BWDdMkd");
	}
	fx_finish(account, emu);
}

typedef struct {
	PurpleAccount *account;
	const char *chat, *group;
} NodeWait;

static gboolean
node_in(gpointer data)
{
	NodeWait *w = data;
	PurpleChat *node = purple_blist_find_chat(w->account, w->chat);
	return node && g_strcmp0(purple_group_get_name(purple_chat_get_group(node)), w->group) == 0;
}

/* /link in a community chat: communities/link, and the buddy list moves the group. */
static void
test_link(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *cc, *conv;
	NodeWait before = { account, vc->group, "WhatsApp Groups" };
	NodeWait after = { account, vc->group, "Condominio Solar" };

	g_assert_nonnull(fx_wait_chat(account, vc->group));
	g_assert_true(wag_harness_wait(node_in, &before, 3000));
	conv = fx_join_group(account, vc, vc->group, 4);
	wag_harness_command(conv, "link " "120363011111111111-group");
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "/link works in a community"), ==, 1);
	cc = fx_join_group(account, vc, vc->community, 4);
	wag_harness_command(cc, "link 120363011111111111-group");
	g_assert_cmpuint(wag_harness_count_lines(vc->community, "is already linked to this community; skipped."), ==, 1);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "communities/link"), ==, 0);
	wag_harness_command(cc, "link " "120363019502650977-group");
	g_assert_true(wag_harness_wait_line(vc->community, "Linked 1 of 1 groups to the community.", 3000));
	g_assert_cmpstr(wag_emu_last(emu, "POST", "communities/link")->body, ==,
	                "{\"communityId\":\"98372465382764532938\",\"groupsPhones\":[\"120363019502650977-group\"]}");
	g_assert_true(wag_harness_wait(node_in, &after, 3000));
	fx_finish(account, emu);
}

typedef struct {
	guint joined, left;
} RosterMoves;

static void
on_joined(PurpleConversation *conv, const char *name, PurpleConvChatBuddyFlags flags, gboolean new_arrival,
          RosterMoves *m)
{
	m->joined++;
}

static void
on_left(PurpleConversation *conv, const char *name, const char *reason, RosterMoves *m)
{
	m->left++;
}

static gboolean
member_gone(gpointer conv)
{
	return !purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), FX_MEMBER);
}

/* Every roster change in the chat (after /add, a /refresh) is a difference:
 * bitlbee turns each chat-buddy join and leave into an IRC JOIN or PART. */
static void
test_roster_diff(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	RosterMoves m = { 0, 0 };
	void *handle = purple_conversations_get_handle();

	purple_signal_connect(handle, "chat-buddy-joined", &m, PURPLE_CALLBACK(on_joined), &m);
	purple_signal_connect(handle, "chat-buddy-left", &m, PURPLE_CALLBACK(on_left), &m);
	wag_harness_command(conv, "add " NEW1);
	g_assert_true(wag_harness_wait_line(vc->group, "In the group now: " NEW1 ".", 5000));
	g_assert_true(wag_harness_wait_users(conv, 5, 3000));
	/* The vendor changes two people behind our back; the re-read shows those two. */
	wag_emu_add_participant(emu, vc->group, "5544966666666", "member");
	wag_emu_remove_participant(emu, vc->group, FX_MEMBER);
	wag_harness_command(conv, "refresh");
	g_assert_true(wag_harness_wait(member_gone, conv, 3000));
	g_assert_true(purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), "5544966666666"));
	g_assert_true(purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), NEW1));
	g_assert_cmpuint(m.joined, ==, 2); /* NEW1, then 5544966666666 */
	g_assert_cmpuint(m.left, ==, 1);   /* FX_MEMBER */
	purple_signals_disconnect_by_handle(&m);
	fx_finish(account, emu);
}

/* /help names every new command with its syntax. */
static void
test_help(void)
{
	static const char *const names[] = { "add", "op", "deop", "topic", "description", "settings", "invitelink", "link" };
	WagEmu *emu = fx_emu(&fx_zapi);
	PurpleAccount *account = fx_account(emu, &fx_zapi, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, &fx_zapi, fx_zapi.group, 4);
	GList *all = purple_cmd_help(conv, NULL);
	GList *one;

	/* Each line of /help is "NAME SYNTAX: what it does". */
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		gboolean found = FALSE;
		for (GList *l = all; l && !found; l = l->next)
			found = g_str_has_prefix(l->data, names[i]) && strchr(" :", ((char *) l->data)[strlen(names[i])]);
		g_assert_true(found);
	}
	one = purple_cmd_help(conv, "settings");
	g_assert_nonnull(one);
	g_assert_nonnull(strstr(one->data, "settings [announce on|off | locked on|off | approval on|off | add admins|all]"));
	g_list_free(all);
	g_list_free(one);
	fx_finish(account, emu);
}

int
main(int argc, char **argv)
{
	static const struct { const char *name; GTestDataFunc fn; } per_vendor[] = {
		{ "invite-and-topic", test_invite_and_topic },
		{ "op-deop", test_op_deop },
		{ "settings-and-invitelink", test_settings_and_link },
		{ "roster-diff", test_roster_diff },
	};

	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	for (guint v = 0; fx_vendors[v]; v++)
		for (guint i = 0; i < G_N_ELEMENTS(per_vendor); i++) {
			g_autofree char *path = g_strdup_printf("/admin-commands/%s/%s", fx_vendors[v]->vendor, per_vendor[i].name);
			g_test_add_data_func(path, fx_vendors[v], per_vendor[i].fn);
		}
	g_test_add_func("/admin-commands/zapi/help", test_help);
	g_test_add_func("/admin-commands/zapi/link", test_link);
	return g_test_run();
}
