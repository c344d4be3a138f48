/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What users meet first (issue 17): the room list's ids, joining by title,
 * the admins, the commands' help typed as text, a refresh that changes only
 * what changed, and join-request answers kept to the queue. */
#include "fixtures.h"
#include "relay-proc.h"
#include <string.h>

/* bitlbee's `chat list` prints each room's serialized name and its "topic"
 * field; `chat add ACCOUNT !N` joins the serialized name. */
static void
test_room_list(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurplePluginProtocolInfo *info;
	PurpleRoomlist *list;
	gboolean seen = FALSE;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	g_assert_nonnull(fx_wait_chat(account, vc->group));
	info = PURPLE_PLUGIN_PROTOCOL_INFO(purple_find_prpl("prpl-wagateway"));
	g_assert_nonnull(info->roomlist_room_serialize);
	list = purple_roomlist_get_list(purple_account_get_connection(account));
	g_assert_nonnull(list);
	for (GList *r = list->rooms; r; r = r->next) {
		PurpleRoomlistRoom *room = r->data;
		g_autofree char *title = info->roomlist_room_serialize(room);
		guint topic = 0, i = 0;

		for (GList *f = list->fields; f; f = f->next, i++)
			if (g_strcmp0(((PurpleRoomlistField *) f->data)->name, "topic") == 0)
				topic = i;
		g_assert_cmpuint(topic, >, 0);
		if (g_strcmp0(title, vc->group) == 0) {
			seen = TRUE;
			g_assert_cmpstr(g_list_nth_data(purple_roomlist_room_get_fields(room), topic), ==, "Bairro Vila Nova");
		}
	}
	g_assert_true(seen);
	purple_roomlist_unref(list);
	fx_finish(account, emu);
}

static void
test_join_by_title(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConnection *gc;
	GHashTable *components = g_hash_table_new(g_str_hash, g_str_equal);
	PurpleConversation *conv;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	g_assert_nonnull(fx_wait_chat(account, vc->group));
	gc = purple_account_get_connection(account);
	/* The title, in another case, opens the group by its id. */
	g_hash_table_insert(components, "group", "bairro vila nova");
	serv_join_chat(gc, components);
	/* Named as asked (bitlbee finds its channel by that name), the group's by id. */
	conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, "bairro vila nova", account);
	g_assert_nonnull(conv);
	g_assert_true(wag_harness_wait_users(conv, 4, 3000));
	g_assert_cmpuint(wag_emu_count(emu, "GET", "group-metadata/120363019502650977-group"), >=, 1);
	wag_harness_say(conv, "/admins");
	g_assert_true(wag_harness_wait_line("bairro vila nova", "Owner: " FX_OWNER ". Admins: " FX_ME ".", 2000));
	/* A title nobody has is refused here: nothing with a space reaches the vendor. */
	g_hash_table_insert(components, "group", "Condominio Inexistente");
	serv_join_chat(gc, components);
	g_assert_null(purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, "Condominio Inexistente", account));
	for (guint i = 0; i < wag_emu_requests(emu)->len; i++) {
		WagEmuRequest *r = wag_emu_requests(emu)->pdata[i];
		g_assert_null(strstr(r->path, "Inexistente"));
	}
	g_hash_table_destroy(components);
	fx_finish(account, emu);
}

/* Typed as chat text, as bitlbee sends it. */
static void
test_help_and_admins(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	/* The join's summary names who runs the group. */
	g_assert_true(wag_harness_wait_line(vc->group, "4 participants. Owner: " FX_OWNER ". Admins: " FX_ME ".", 3000));
	wag_harness_say(conv, "/help");
	g_assert_true(wag_harness_wait_line(vc->group, "/kick PHONE[,PHONE...] [reason]", 2000));
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "/admins"), >=, 1);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "Type /help"), ==, 0);
	wag_harness_say(conv, "//help approve");
	g_assert_true(wag_harness_wait_line(vc->group, "/approve PHONE[,PHONE...]: approve", 2000));
	wag_harness_say(conv, "/admins");
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "Owner: " FX_OWNER ". Admins: " FX_ME "."), ==, 2);
	fx_finish(account, emu);
}

static guint joined, left;

static void
on_joined(PurpleConversation *conv, const char *name, PurpleConvChatBuddyFlags flags, gboolean new_arrival)
{
	joined++;
}

static void
on_left(PurpleConversation *conv, const char *name, const char *reason)
{
	left++;
}

static gboolean
has_newcomer(gpointer conv)
{
	return purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), "5544966666666") &&
	       !purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), FX_MEMBER2);
}

static void
test_refresh_differences(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	static int handle;

	purple_signal_connect(purple_conversations_get_handle(), "chat-buddy-joined", &handle,
	                      PURPLE_CALLBACK(on_joined), NULL);
	purple_signal_connect(purple_conversations_get_handle(), "chat-buddy-left", &handle,
	                      PURPLE_CALLBACK(on_left), NULL);
	joined = left = 0;
	wag_emu_add_participant(emu, vc->group, "5544966666666", "member");
	wag_emu_remove_participant(emu, vc->group, FX_MEMBER2);
	wag_harness_command(conv, "refresh");
	g_assert_true(wag_harness_wait(has_newcomer, conv, 3000));
	/* One joined, one left: the unchanged three did not move. */
	g_assert_cmpuint(joined, ==, 1);
	g_assert_cmpuint(left, ==, 1);
	g_assert_false(purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), FX_MEMBER2));
	purple_signals_disconnect_by_handle(&handle);
	fx_finish(account, emu);
}

/* Wawp lists its queue: an answer for someone not in it is refused before any call. */
static void
test_approve_not_pending(void)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv;

	wag_emu_add_request(emu, vc->group, "5544911111111");
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	conv = fx_join_group(account, vc, vc->group, 4);
	wag_harness_command(conv, "approve 5544933333333");
	g_assert_true(wag_harness_wait_line(vc->group, "5544933333333 has no pending join request here", 3000));
	g_assert_cmpuint(wag_emu_count(emu, "POST", "join-requests/approve"), ==, 0);
	wag_harness_command(conv, "approve 5544911111111");
	g_assert_true(wag_harness_wait_line(vc->group, "Approved 1 of 1 join requests.", 3000));
	fx_finish(account, emu);
}


static gboolean notified(gpointer needle);

/* Z-API cannot list the queue, but with the relay its webhooks keep it:
 * an answer for someone who never asked is refused before any call. */
static void
test_approve_not_pending_live(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *url = g_strdup_printf("ws://127.0.0.1:%d", rp->port);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, "relay_url", url, "relay_token", RP_CLIENT, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	g_assert_true(wag_harness_wait(notified, "following the relay from event", 5000));
	wag_harness_command(conv, "approve 5544933333333");
	g_assert_true(wag_harness_wait_line(vc->group, "5544933333333 has no pending join request here", 2000));
	g_assert_cmpuint(wag_emu_count(emu, "POST", "approve-participant"), ==, 0);
	g_assert_cmpuint(wag_harness_count_lines(vc->group, "entered"), ==, 0);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	relay_proc_stop(rp);
	relay_proc_free(rp);
	wag_harness_clear_lines();
}

/* The vendor's names: the user list's alias, and commands take them. */
static void
test_names(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv;
	PurpleConvChatBuddy *cb;

	wag_emu_set_name(emu, vc->group, FX_MEMBER, "Carla Dias");
	wag_emu_set_name(emu, vc->group, FX_OWNER, "Ana Souza");
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	conv = fx_join_group(account, vc, vc->group, 4);
	cb = purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), FX_MEMBER);
	g_assert_nonnull(cb);
	g_assert_cmpstr(cb->alias, ==, "Carla Dias");
	g_assert_true(wag_harness_wait_line(vc->group, "Owner: Ana Souza (" FX_OWNER ").", 2000));
	wag_harness_say(conv, "/kick carla dias spam links");
	g_assert_true(wag_harness_wait_line(vc->group, "Removed 1 of 1.", 3000));
	g_assert_cmpstr(wag_emu_last(emu, "POST", "remove-participant")->body, ==,
	                "{\"groupId\":\"120363019502650977-group\",\"phones\":[\"" FX_MEMBER "\"]}");
	wag_harness_say(conv, "/kick Nobody Here");
	g_assert_true(wag_harness_wait_line(vc->group, "is not a phone number", 2000));
	g_assert_cmpuint(wag_emu_count(emu, "POST", "remove-participant"), ==, 1);
	/* Every command that names participants takes the name: /op by a first
	 * name only one participant has, /delete by a nick bitlbee suffixed. */
	wag_harness_say(conv, "/op ana");
	g_assert_true(wag_harness_wait_line(vc->group, "is already an admin", 3000) ||
	              wag_harness_wait_line(vc->group, "created the group", 10));
	g_assert_cmpuint(wag_emu_count(emu, "POST", "add-admin"), ==, 0);
	wag_harness_say(conv, "/delete _" FX_OWNER "_ all");
	g_assert_true(wag_harness_wait_line(vc->group, "No message of " FX_OWNER, 2000));
	fx_finish(account, emu);
}

static gboolean
notified(gpointer needle)
{
	return strstr(wag_harness_debug_log(), needle) != NULL;
}

static gboolean
aliased(gpointer conv)
{
	PurpleConvChatBuddy *cb = purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), FX_MEMBER);
	return cb && g_strcmp0(cb->alias, "Carla Dias") == 0;
}

/* Green API's rosters carry no names: its contacts do. */
static void
test_green_names(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account;
	PurpleConversation *conv;

	wag_emu_set_name(emu, vc->group, FX_MEMBER, "Carla Dias");
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	conv = fx_join_group(account, vc, vc->group, 4);
	g_assert_true(wag_harness_wait(aliased, conv, 3000));
	g_assert_cmpuint(wag_emu_count(emu, "GET", "getContacts"), ==, 2); /* groups, then people */
	fx_finish(account, emu);
}

/* A result that arrives after its chat was closed is a notice titled with
 * the group's name, not its id. */
static void
test_notice_title(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);

	wag_emu_delay(emu, "remove-participant", 300);
	wag_harness_command(conv, "kick " FX_MEMBER);
	purple_conversation_destroy(conv);
	g_assert_true(wag_harness_wait(notified, "notify: WhatsApp groups: Bairro Vila Nova: Removed 1 of 1.", 3000));
	g_assert_false(notified("notify: WhatsApp groups: " "120363019502650977-group: Removed"));
	fx_finish(account, emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	g_test_add_func("/users/zapi/room-list-ids", test_room_list);
	g_test_add_func("/users/zapi/join-by-title", test_join_by_title);
	g_test_add_func("/users/zapi/help-and-admins-as-text", test_help_and_admins);
	g_test_add_func("/users/zapi/refresh-changes-only-differences", test_refresh_differences);
	g_test_add_func("/users/wawp/approve-only-pending", test_approve_not_pending);
	g_test_add_func("/users/zapi/names", test_names);
	g_test_add_func("/users/zapi/approve-only-pending-with-relay", test_approve_not_pending_live);
	g_test_add_func("/users/greenapi/names-from-contacts", test_green_names);
	g_test_add_func("/users/zapi/notice-titled-with-the-group-name", test_notice_title);
	return g_test_run();
}
