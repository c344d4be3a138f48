/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The group conversation in a headless libpurple core: events streamed by
 * a stand-in relay become chat lines (escaped, highlighted, the vendor's
 * time), text typed in the chat reaches each vendor's send endpoint and is
 * shown once, refusals are said, /delete and /kick --purge call the
 * vendor's delete, and the `messages` option turns it all off. */
#include "fixtures.h"
#include "fake-relay.h"
#include <string.h>

typedef struct {
	WagEmu *emu;
	FakeRelay *fr;
	PurpleAccount *account;
	PurpleConversation *conv;
	const VendorCase *vc;
	gint64 next_id;
} Conv;

static gboolean
relay_connected(gpointer data)
{
	return fake_relay_clients(data) > 0;
}

static void
conv_start(Conv *c, const VendorCase *vc, const char *mode)
{
	c->vc = vc;
	/* Event ids only grow: the plugin keeps the last one it applied. */
	c->next_id = g_get_real_time();
	c->emu = fx_emu(vc);
	c->fr = fake_relay_new();
	c->account = fx_account(c->emu, vc, FX_TOKEN, "relay_url", fake_relay_url(c->fr), "relay_token", "t",
	                        "messages", mode, "messages_per_minute", "0", NULL);
	c->conv = fx_join_group(c->account, vc, vc->group, 4);
	g_assert_true(wag_harness_wait(relay_connected, c->fr, 3000));
	wag_harness_clear_lines();
}

static void
conv_stop(Conv *c)
{
	wag_harness_remove_account(c->account);
	fake_relay_free(c->fr);
	wag_emu_free(c->emu);
}

/* One `message` event as the relay streams it. */
static void
relay_message(Conv *c, const char *id, const char *from, gboolean from_me, const char *type,
              const char *text, const char *media_url)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) n = NULL;
	g_autofree char *json = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, ++c->next_id);
	json_builder_set_member_name(b, "vendor");
	json_builder_add_string_value(b, c->vc->vendor);
	json_builder_set_member_name(b, "instance");
	json_builder_add_string_value(b, FX_INSTANCE);
	json_builder_set_member_name(b, "group");
	json_builder_add_string_value(b, c->vc->group);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, "message");
	json_builder_set_member_name(b, "message_id");
	json_builder_add_string_value(b, id);
	json_builder_set_member_name(b, "from");
	json_builder_add_string_value(b, from);
	json_builder_set_member_name(b, "from_name");
	json_builder_add_string_value(b, "Ana");
	json_builder_set_member_name(b, "from_me");
	json_builder_add_boolean_value(b, from_me);
	json_builder_set_member_name(b, "at");
	json_builder_add_int_value(b, 1732300000000);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, type);
	json_builder_set_member_name(b, "text");
	json_builder_add_string_value(b, text);
	if (media_url) {
		json_builder_set_member_name(b, "media_url");
		json_builder_add_string_value(b, media_url);
	}
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	json = json_to_string(n, FALSE);
	fake_relay_send(c->fr, json);
}

static const char *
send_path(const VendorCase *vc)
{
	return vc == &fx_zapi ? "/send-text" : vc == &fx_green ? "/sendMessage/" : "/v2/send/text";
}

typedef struct {
	WagEmu *emu;
	const char *method, *path;
	guint n;
} CallWait;

static gboolean
called(gpointer data)
{
	CallWait *w = data;
	return wag_emu_count(w->emu, w->method, w->path) >= w->n;
}

static void
test_receive(gconstpointer data)
{
	Conv c = { 0 };
	const char *g;

	conv_start(&c, data, "both");
	g = c.vc->group;
	relay_message(&c, "M1", FX_MEMBER, FALSE, "text", "<b>oi</b> & tchau", NULL);
	/* Escaped: the sender's text never becomes markup. */
	g_assert_true(wag_harness_wait_line(g, "&lt;b&gt;oi&lt;/b&gt; &amp; tchau", 3000));
	relay_message(&c, "M1", FX_MEMBER, FALSE, "text", "<b>oi</b> & tchau", NULL);
	relay_message(&c, "M2", FX_MEMBER, FALSE, "image", "foto", "https://files.example/1.jpg");
	g_assert_true(wag_harness_wait_line(g, "[image] foto https://files.example/1.jpg", 3000));
	g_assert_cmpuint(wag_harness_count_lines(g, "tchau"), ==, 1);
	relay_message(&c, "M3", FX_MEMBER, FALSE, "deleted", "", NULL);
	g_assert_true(wag_harness_wait_line(g, "deleted a message for everyone", 3000));
	relay_message(&c, "M4", FX_MEMBER, FALSE, "poll-of-the-future", "?", NULL);
	g_assert_true(wag_harness_wait_line(g, "[message of a kind this plugin does not show] ?", 3000));
	/* The sender's WhatsApp name is the participant's alias in the chat. */
	{
		PurplePluginProtocolInfo *prpl = PURPLE_PLUGIN_PROTOCOL_INFO(purple_find_prpl("prpl-wagateway"));
		g_autofree char *alias = prpl->get_cb_alias(purple_conversation_get_gc(c.conv),
		                                            purple_conv_chat_get_id(PURPLE_CONV_CHAT(c.conv)), FX_MEMBER);
		g_autofree char *unknown = prpl->get_cb_alias(purple_conversation_get_gc(c.conv),
		                                              purple_conv_chat_get_id(PURPLE_CONV_CHAT(c.conv)), FX_MEMBER2);
		g_assert_cmpstr(alias, ==, "Ana");
		g_assert_null(unknown);
	}
	conv_stop(&c);
}

static void
test_mention(void)
{
	Conv c = { 0 };

	conv_start(&c, &fx_zapi, "both");
	relay_message(&c, "M1", FX_MEMBER, FALSE, "text", "@" FX_ME " olha isso", NULL);
	relay_message(&c, "M2", FX_MEMBER, FALSE, "text", "nada para voce", NULL);
	g_assert_true(wag_harness_wait_line(fx_zapi.group, "nada para voce", 3000));
	g_assert_true(wag_harness_line_has_flag(fx_zapi.group, "olha isso", PURPLE_MESSAGE_NICK));
	g_assert_false(wag_harness_line_has_flag(fx_zapi.group, "nada para voce", PURPLE_MESSAGE_NICK));
	g_assert_true(wag_harness_line_has_flag(fx_zapi.group, "nada para voce", PURPLE_MESSAGE_RECV));
	conv_stop(&c);
}

static void
test_send(gconstpointer data)
{
	Conv c = { 0 };
	CallWait w = { 0 };
	WagEmuRequest *req;
	const char *g;

	conv_start(&c, data, "both");
	g = c.vc->group;
	/* Your own lines carry your number, not the instance id. */
	g_assert_cmpstr(purple_connection_get_display_name(purple_conversation_get_gc(c.conv)), ==, FX_ME);
	w = (CallWait) { c.emu, "POST", send_path(c.vc), 1 };
	wag_harness_say(c.conv, "hello &lt;there&gt;");
	g_assert_true(wag_harness_wait(called, &w, 3000));
	req = wag_emu_last(c.emu, "POST", send_path(c.vc));
	g_assert_nonnull(strstr(req->body, "\"message\":\"hello <there>\""));
	g_assert_true(wag_harness_wait_line(g, "hello &lt;there&gt;", 1000));
	g_assert_true(wag_harness_line_has_flag(g, "hello &lt;there&gt;", PURPLE_MESSAGE_SEND));
	/* Its echo through the relay is not shown again. */
	while (!wag_emu_last_sent_id(c.emu))
		wag_harness_spin(10);
	wag_harness_spin(50);
	relay_message(&c, wag_emu_last_sent_id(c.emu), FX_ME, TRUE, "text", "hello <there>", NULL);
	relay_message(&c, "P1", FX_ME, TRUE, "text", "typed on the phone", NULL);
	g_assert_true(wag_harness_wait_line(g, "typed on the phone", 3000));
	g_assert_cmpuint(wag_harness_count_lines(g, "hello &lt;there&gt;"), ==, 1);

	/* IRC's /me: italics on WhatsApp. */
	w.n = 2;
	wag_harness_say(c.conv, "/me waves");
	g_assert_true(wag_harness_wait(called, &w, 3000));
	req = wag_emu_last(c.emu, "POST", send_path(c.vc));
	g_assert_nonnull(strstr(req->body, "\"message\":\"_waves_\""));

	/* A mistyped command is said so, and never reaches the whole group. */
	wag_harness_say(c.conv, "/kik 5544999999999 spam");
	g_assert_true(wag_harness_wait_line(g, "&quot;/kik&quot; is not a command here; nothing was sent", 1000));
	/* On purpose: a leading space sends it as text (the space is not sent). */
	w.n = 3;
	wag_harness_say(c.conv, " /shrug");
	g_assert_true(wag_harness_wait(called, &w, 3000));
	req = wag_emu_last(c.emu, "POST", send_path(c.vc));
	g_assert_nonnull(strstr(req->body, "\"message\":\"/shrug\""));

	/* Refused: marked failed, with the vendor's words. */
	wag_emu_fail_next(c.emu, send_path(c.vc), 400, "{\"error\": \"chatId not found\", \"message\": \"chatId not found\"}");
	wag_harness_say(c.conv, "lost words");
	g_assert_true(wag_harness_wait_line(g, "Not sent: &quot;lost words&quot;", 3000));
	g_assert_true(wag_harness_wait_line(g, "chatId not found", 10));
	g_assert_cmpuint(wag_emu_count(c.emu, "POST", send_path(c.vc)), ==, 4);
	conv_stop(&c);
}

/* How many batches of relayed events the session applied (its debug log). */
static guint
applied(void)
{
	const char *p = wag_harness_debug_log();
	guint n = 0;
	while ((p = strstr(p, "live: applied"))) {
		n++;
		p++;
	}
	return n;
}

static gboolean
more_applied(gpointer data)
{
	return applied() > *(guint *) data;
}

/* bitlbee drops libpurple's highlight flag: a line mentioning the user
 * carries the nick bitlbee gave as the chat's "handle" (the IRC nick). */
static void
test_mention_irc(void)
{
	Conv c = { 0 };
	GHashTable *components = g_hash_table_new(g_str_hash, g_str_equal);
	const char *g = fx_zapi.group;
	CallWait w;

	c.vc = &fx_zapi;
	c.next_id = g_get_real_time();
	c.emu = fx_emu(&fx_zapi);
	wag_emu_set_name(c.emu, g, FX_MEMBER2, "Carla Dias");
	c.fr = fake_relay_new();
	c.account = fx_account(c.emu, &fx_zapi, FX_TOKEN, "relay_url", fake_relay_url(c.fr), "relay_token", "t",
	                       "messages_per_minute", "0", NULL);
	g_assert_true(wag_harness_wait_connected(c.account, 3000));
	g_assert_nonnull(fx_wait_chat(c.account, g));
	g_hash_table_insert(components, "group", (gpointer) g);
	g_hash_table_insert(components, "handle", "tester");
	serv_join_chat(purple_account_get_connection(c.account), components);
	g_hash_table_destroy(components);
	c.conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, g, c.account);
	g_assert_nonnull(c.conv);
	g_assert_cmpstr(purple_conv_chat_get_nick(PURPLE_CONV_CHAT(c.conv)), ==, "tester");
	g_assert_true(wag_harness_wait_users(c.conv, 4, 3000));
	g_assert_true(wag_harness_wait(relay_connected, c.fr, 3000));
	wag_harness_clear_lines();

	relay_message(&c, "M1", FX_MEMBER, FALSE, "text", "@" FX_ME " olha isso", NULL);
	g_assert_true(wag_harness_wait_line(g, "@tester olha isso", 3000));
	g_assert_true(wag_harness_line_has_flag(g, "@tester olha isso", PURPLE_MESSAGE_NICK));
	/* Typed on the phone: shown as ours, and as sent elsewhere (bitlbee shows those). */
	relay_message(&c, "P1", FX_ME, TRUE, "text", "typed on the phone", NULL);
	g_assert_true(wag_harness_wait_line(g, "typed on the phone", 3000));
	g_assert_true(wag_harness_line_has_flag(g, "typed on the phone", PURPLE_MESSAGE_REMOTE_SEND));

	/* The other way: Tab's "nick: " and "@Name" become Z-API mentions. */
	w = (CallWait) { c.emu, "POST", "/send-text", 1 };
	wag_harness_say(c.conv, "CarlaDias: bom dia");
	g_assert_true(wag_harness_wait(called, &w, 3000));
	g_assert_cmpstr(wag_emu_last(c.emu, "POST", "/send-text")->body, ==,
	                "{\"phone\":\"120363019502650977-group\",\"message\":\"@" FX_MEMBER2 " bom dia\","
	                "\"mentioned\":[\"" FX_MEMBER2 "\"]}");
	/* Shown as typed. */
	g_assert_true(wag_harness_wait_line(g, "CarlaDias: bom dia", 1000));
	conv_stop(&c);
}

/* The same when the roster lists this account by its lid (Wawp): WhatsApp
 * writes the mention "@" and the lid's number, which becomes the nick. */
static void
test_mention_irc_lid(void)
{
	Conv c = { 0 };
	GHashTable *components = g_hash_table_new(g_str_hash, g_str_equal);
	const char *g = fx_wawp.group;

	c.vc = &fx_wawp;
	c.next_id = g_get_real_time();
	c.emu = fx_emu(&fx_wawp);
	wag_emu_remove_participant(c.emu, g, FX_ME);
	wag_emu_add_participant(c.emu, g, "99887766554433@lid", "admin");
	wag_emu_set_me_lid(c.emu, "99887766554433@lid");
	c.fr = fake_relay_new();
	c.account = fx_account(c.emu, &fx_wawp, FX_TOKEN, "relay_url", fake_relay_url(c.fr), "relay_token", "t",
	                       "messages_per_minute", "0", NULL);
	g_assert_true(wag_harness_wait_connected(c.account, 3000));
	g_assert_nonnull(fx_wait_chat(c.account, g));
	g_hash_table_insert(components, "group", (gpointer) g);
	g_hash_table_insert(components, "handle", "tester");
	serv_join_chat(purple_account_get_connection(c.account), components);
	g_hash_table_destroy(components);
	c.conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, g, c.account);
	g_assert_nonnull(c.conv);
	g_assert_true(wag_harness_wait_users(c.conv, 4, 3000));
	g_assert_true(wag_harness_wait(relay_connected, c.fr, 3000));
	wag_harness_clear_lines();

	relay_message(&c, "M1", FX_MEMBER, FALSE, "text", "@99887766554433 olha isso", NULL);
	g_assert_true(wag_harness_wait_line(g, "olha isso", 3000));
	g_assert_true(wag_harness_line_has_flag(g, "@tester olha isso", PURPLE_MESSAGE_NICK));
	conv_stop(&c);
}

static void
test_option_off(void)
{
	Conv c = { 0 };
	guint applied_before;

	/* Z-API: the relay is followed for membership anyway; its messages are dropped. */
	conv_start(&c, &fx_zapi, "off");
	wag_harness_say(c.conv, "hello");
	g_assert_true(wag_harness_wait_line(fx_zapi.group, "administers", 1000));
	applied_before = applied();
	relay_message(&c, "M1", FX_MEMBER, FALSE, "text", "not shown", NULL);
	relay_message(&c, "M2", FX_MEMBER, FALSE, "text", "not shown either", NULL);
	g_assert_true(wag_harness_wait(more_applied, &applied_before, 3000));
	g_assert_cmpuint(wag_harness_count_lines(fx_zapi.group, "not shown"), ==, 0);
	g_assert_cmpuint(wag_emu_count(c.emu, "POST", send_path(&fx_zapi)), ==, 0);
	conv_stop(&c);
}

static const char *
delete_path(const VendorCase *vc)
{
	return vc == &fx_zapi ? "/messages" : vc == &fx_green ? "/deleteMessage/" : "/v2/messages/delete";
}

static void
test_delete(gconstpointer data)
{
	Conv c = { 0 };
	CallWait w;
	const char *g;

	conv_start(&c, data, "both");
	g = c.vc->group;
	w = (CallWait) { c.emu, c.vc == &fx_green ? "POST" : "DELETE", delete_path(c.vc), 2 };
	relay_message(&c, "S1", FX_MEMBER, FALSE, "text", "spam one", NULL);
	relay_message(&c, "S2", FX_MEMBER, FALSE, "text", "spam two", NULL);
	relay_message(&c, "S3", FX_MEMBER, FALSE, "text", "spam three", NULL);
	g_assert_true(wag_harness_wait_line(g, "spam three", 3000));
	wag_harness_command(c.conv, "delete " FX_MEMBER " 2");
	g_assert_true(wag_harness_wait_line(g, "Deleted 2 of 2 messages of " FX_MEMBER, 3000));
	g_assert_true(called(&w));
	/* As chat text (bitlbee), with --purge, by the name the sender's
	 * messages carry, with a reason: the rest deleted, then removed. */
	w.n = 3;
	wag_harness_say(c.conv, "/kick Ana --purge spam");
	g_assert_true(wag_harness_wait(called, &w, 3000));
	g_assert_true(wag_harness_wait_line(g, "Deleted 1 of 1 messages", 3000));
	g_assert_true(wag_harness_wait_users(c.conv, 3, 3000));
	wag_harness_command(c.conv, "delete " FX_MEMBER2);
	g_assert_true(wag_harness_wait_line(g, "No message of " FX_MEMBER2, 1000));
	conv_stop(&c);
}

int
main(int argc, char **argv)
{
	static const struct { const char *name; GTestDataFunc fn; } per_vendor[] = {
		{ "receive", test_receive }, { "send", test_send }, { "delete", test_delete },
	};

	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	for (guint v = 0; fx_vendors[v]; v++)
		for (guint i = 0; i < G_N_ELEMENTS(per_vendor); i++) {
			g_autofree char *path = g_strdup_printf("/conversation/%s/%s", fx_vendors[v]->vendor, per_vendor[i].name);
			g_test_add_data_func(path, fx_vendors[v], per_vendor[i].fn);
		}
	g_test_add_func("/conversation/zapi/mention", test_mention);
	g_test_add_func("/conversation/zapi/mention-irc-nick", test_mention_irc);
	g_test_add_func("/conversation/wawp/mention-irc-nick-lid", test_mention_irc_lid);
	g_test_add_func("/conversation/zapi/option-off", test_option_off);
	return g_test_run();
}
