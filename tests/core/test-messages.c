/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The group conversation against the core alone, receiving: each vendor's
 * documented message webhooks -> `message` events -> the lines a front end
 * shows (through the recording view), shown once, mentions, the `messages`
 * option, Green API's notification queue. Sending, pacing and /delete:
 * test-messages-send.c. No libpurple, no fixed sleeps. How the documented
 * private-chat examples are made group messages: message-fixture.h. */
#include "message-fixture.h"
#include "wag-json.h"
#include <string.h>

/* The one event a documented webhook gives, made a group message. */
static WagEvent *
one_event(const VendorCase *vc, const char *name)
{
	g_autoptr(JsonNode) n = mf_group_fixture(vc, name);
	g_autoptr(GPtrArray) events = mf_normalize(vc, n);

	g_assert_cmpuint(events->len, ==, 1);
	g_assert_cmpint(((WagEvent *) events->pdata[0])->kind, ==, WAG_EVENT_MESSAGE);
	return g_ptr_array_steal_index(events, 0);
}

static char *
line_of(const WagEvent *e)
{
	return wag_message_line(e->message);
}

static void
test_zapi_webhooks(void)
{
	const VendorCase *vc = &fx_zapi;
	g_autoptr(WagEvent) text = one_event(vc, "webhook-text.json");
	g_autoptr(WagEvent) image = NULL, reaction = NULL;
	g_autoptr(JsonNode) n = NULL;
	g_autoptr(GPtrArray) none = NULL;
	g_autofree char *l = NULL;

	g_assert_cmpstr(text->group, ==, vc->group);
	g_assert_cmpstr(text->message->from, ==, FX_MEMBER);
	g_assert_cmpstr(text->message->from_name, ==, "name");
	g_assert_cmpstr(text->message->message_id, ==, "A20DA9C0183A2D35A260F53F5D2B9244");
	g_assert_cmpint(text->at, ==, 1632228638000);
	g_assert_false(text->message->from_me);
	l = line_of(text);
	g_assert_cmpstr(l, ==, "test");
	g_clear_pointer(&l, g_free);

	/* The docs' image has an empty caption: the line is the label and the link. */
	image = one_event(vc, "webhook-image.json");
	g_assert_cmpint(image->message->type, ==, WAG_MSG_IMAGE);
	l = line_of(image);
	g_assert_cmpstr(l, ==, "[image] https://");
	g_clear_pointer(&l, g_free);

	reaction = one_event(vc, "webhook-reaction.json");
	g_assert_cmpint(reaction->message->type, ==, WAG_MSG_REACTION);
	g_assert_cmpstr(reaction->message->quoted_id, ==, "3EB0796DC6B777C0C7CD");
	l = line_of(reaction);
	g_assert_cmpstr(l, ==, "reacted \xe2\x9d\xa4\xef\xb8\x8f");

	/* The private-chat original and membership notifications are no messages. */
	n = wag_fixture_json("zapi", "webhook-text.json");
	none = mf_normalize(vc, n);
	g_assert_cmpuint(none->len, ==, 0);
	g_clear_pointer(&n, json_node_unref);
	g_clear_pointer(&none, g_ptr_array_unref);
	n = wag_fixture_json("zapi", "webhook-MEMBERSHIP_APPROVAL_REQUEST-invite_link.json");
	none = mf_normalize(vc, n);
	g_assert_cmpuint(none->len, ==, 0);
}

static void
test_green_webhooks(void)
{
	const VendorCase *vc = &fx_green;
	g_autoptr(WagEvent) text = one_event(vc, "webhook-incomingMessageReceived-textMessage.json");
	g_autoptr(WagEvent) image = one_event(vc, "webhook-incomingMessageReceived-imageMessage.json");
	g_autoptr(WagEvent) deleted = one_event(vc, "webhook-incomingMessageReceived-deletedMessage.json");
	g_autoptr(WagEvent) reaction = one_event(vc, "webhook-incomingMessageReceived-reactionMessage.json");
	g_autoptr(WagEvent) quoted = one_event(vc, "webhook-incomingMessageReceived-quotedMessage.json");
	g_autoptr(WagEvent) out = one_event(vc, "webhook-outgoingMessageReceived-deletedMessage.json");
	g_autoptr(JsonNode) n = wag_fixture_json("greenapi", "webhook-incomingMessageReceived-textMessage.json");
	g_autoptr(GPtrArray) none = mf_normalize(vc, n);
	g_autofree char *l1 = line_of(text), *l2 = line_of(image), *l3 = line_of(deleted), *l4 = line_of(reaction);

	g_assert_cmpstr(text->group, ==, vc->group);
	g_assert_cmpstr(text->message->from, ==, FX_MEMBER);
	g_assert_cmpstr(text->message->from_name, ==, MEMBER_NAME);
	g_assert_cmpint(text->at, ==, 1588091580000);
	g_assert_cmpstr(l1, ==, "I use Green-API to send this message to you!");
	g_assert_cmpstr(l2, ==, "[image] Image https://api.green-api.com/waInstance1234/downloadFile/19136A974392FA8CF584D70DD0E1AEDF");
	g_assert_cmpint(deleted->message->type, ==, WAG_MSG_DELETED);
	g_assert_cmpstr(deleted->message->quoted_id, ==, "84514217EF972039FC3F68A53C196306");
	g_assert_cmpstr(l3, ==, "deleted a message for everyone");
	g_assert_cmpstr(l4, ==, "reacted \xf0\x9f\x91\x8d");
	g_assert_cmpstr(reaction->message->quoted_id, ==, "A16014FAC9F5382E7B9CEEFEF1FFEB6F");
	g_assert_nonnull(quoted->message->quoted_id);
	g_assert_true(out->message->from_me);
	g_assert_false(text->message->from_me);
	g_assert_cmpuint(none->len, ==, 0); /* the private original */
}

static void
test_wawp_webhooks(void)
{
	const VendorCase *vc = &fx_wawp;
	g_autoptr(WagEvent) text = one_event(vc, "webhook-message.json");
	g_autoptr(WagEvent) any = one_event(vc, "webhook-message.any.json");
	g_autoptr(WagEvent) media = one_event(vc, "webhook-message-media-caption.json");
	g_autoptr(WagEvent) wawp = one_event(vc, "webhook-message-wawp-doc-shape.json");
	g_autoptr(WagEvent) reaction = one_event(vc, "webhook-message.reaction.json");
	g_autoptr(WagEvent) revoked = one_event(vc, "webhook-message.revoked.json");
	g_autoptr(JsonNode) n = wag_fixture_json("wawp", "webhook-message.revoked.json");
	g_autoptr(GPtrArray) none = mf_normalize(vc, n);
	g_autofree char *l1 = line_of(text), *l2 = line_of(media), *l3 = line_of(wawp), *l4 = line_of(revoked);

	g_assert_cmpstr(text->group, ==, vc->group);
	g_assert_cmpstr(text->message->from, ==, FX_MEMBER);
	g_assert_true(text->message->from_me); /* the docs' example is fromMe */
	g_assert_cmpint(text->at, ==, 1667561485000);
	g_assert_cmpstr(l1, ==, "Hi there!");
	g_assert_cmpint(any->kind, ==, WAG_EVENT_MESSAGE);
	g_assert_cmpstr(l2, ==, "[image] Check this out (caption for the media)! "
	                "http://localhost:3000/api/files/true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.jpg");
	g_assert_cmpstr(l3, ==, "[audio] Hello, world! https://api.wawp.net/api/files/example.oga");
	g_assert_cmpstr(wawp->message->quoted_id, ==, "AAAAAAAAAAAAAAAAAAAA");
	g_assert_cmpint(reaction->message->type, ==, WAG_MSG_REACTION);
	g_assert_cmpstr(reaction->message->text, ==, "\xf0\x9f\x99\x8f");
	g_assert_cmpstr(reaction->message->quoted_id, ==, "true_79111111@c.us_11111111111111111111111111111111");
	g_assert_cmpint(revoked->message->type, ==, WAG_MSG_DELETED);
	g_assert_cmpstr(revoked->message->quoted_id, ==, "some-id-here");
	g_assert_cmpstr(l4, ==, "deleted a message for everyone");
	/* The docs' revoked example names no chat: skipped, not guessed. */
	g_assert_cmpuint(none->len, ==, 0);
}

/* The event as the relay streams it, and back. */
static void
test_schema(void)
{
	g_autoptr(WagEvent) e = one_event(&fx_green, "webhook-incomingMessageReceived-imageMessage.json");
	g_autoptr(JsonNode) n = NULL;
	g_autoptr(WagEvent) back = NULL;
	g_autofree char *json = NULL;

	e->id = 7;
	n = wag_event_to_json(e);
	json = json_to_string(n, FALSE);
	g_assert_nonnull(strstr(json, "\"kind\":\"message\""));
	g_assert_nonnull(strstr(json, "\"type\":\"image\""));
	g_assert_nonnull(strstr(json, "\"message_id\":\"F7AEC1B7086ECDC7E6E45923F5EDB825\""));
	back = wag_event_from_json(n, NULL);
	g_assert_nonnull(back);
	g_assert_cmpint(back->kind, ==, WAG_EVENT_MESSAGE);
	g_assert_cmpstr(back->message->text, ==, "Image");
	g_assert_cmpstr(back->message->from, ==, FX_MEMBER);
	g_assert_cmpstr(back->message->media_url, ==, e->message->media_url);
	g_assert_cmpint(back->at, ==, e->at);
}

/* Hostile text: invalid UTF-8 replaced, huge text cut, unknown types a line. */
static void
test_bad_text(void)
{
	g_autoptr(WagMessage) m = wag_message_new(WAG_MSG_TEXT);
	g_autofree char *l = NULL;
	GString *huge = g_string_new(NULL);

	m->text = g_strdup("caf\xe9 <b>bold</b>");
	l = wag_message_line(m);
	g_assert_true(g_utf8_validate(l, -1, NULL));
	g_assert_true(g_str_has_prefix(l, "caf\xef\xbf\xbd"));
	g_assert_nonnull(strstr(l, "<b>bold</b>")); /* plain text: the front end escapes it */
	g_clear_pointer(&l, g_free);
	for (guint i = 0; i < 100000; i++)
		g_string_append_c(huge, 'x');
	g_free(m->text);
	m->text = g_string_free(huge, FALSE);
	l = wag_message_line(m);
	g_assert_cmpuint(g_utf8_strlen(l, -1), ==, WAG_MESSAGE_MAX_CHARS + 3);
	g_assert_true(g_str_has_suffix(l, "xxx..."));
	g_clear_pointer(&l, g_free);
	m->type = WAG_MSG_OTHER;
	g_clear_pointer(&m->text, g_free);
	l = wag_message_line(m);
	g_assert_cmpstr(l, ==, "[message of a kind this plugin does not show]");
}

/* ---- the session ---- */

static void
test_receive(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = mf_login(emu, vc, NULL);
	g_autofree char *want = NULL;

	mf_say(r, vc, "bom dia", "M1", NULL, FALSE);
	want = g_strdup_printf("message %s %s @", vc->group, FX_MEMBER);
	g_assert_true(sv_wait_line(r, want, 3000));
	g_assert_true(sv_wait_line(r, ": bom dia", 10));
	/* The same message again (message and message.any, a replay): once. */
	mf_say(r, vc, "bom dia", "M1", NULL, FALSE);
	mf_say(r, vc, "@" FX_ME " veja", "M2", NULL, FALSE);
	g_assert_true(sv_wait_line(r, "!mention: @" FX_ME " veja", 3000));
	g_assert_cmpuint(sv_count(r, ": bom dia"), ==, 1);
	/* Another member's name does not highlight. */
	mf_say(r, vc, "@" FX_MEMBER2 " oi", "M3", NULL, FALSE);
	g_assert_true(sv_wait_line(r, FX_MEMBER2 " oi", 3000));
	g_assert_cmpuint(sv_count(r, "!mention"), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A roster listing this account by its lid: WhatsApp writes a mention of
 * it as "@" and the lid's number, and that mentions the user. */
static void
test_mention_by_lid(void)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;

	wag_emu_remove_participant(emu, vc->group, FX_ME);
	wag_emu_add_participant(emu, vc->group, "99887766554433@lid", "admin");
	wag_emu_set_me_lid(emu, "99887766554433@lid");
	r = mf_login(emu, vc, NULL);
	g_assert_true(sv_open(r, vc->group, 5000));
	g_assert_cmpstr(wag_session_me_in(r->s, vc->group), ==, "99887766554433@lid");
	mf_say(r, vc, "@99887766554433 veja", "L1", NULL, FALSE);
	g_assert_true(sv_wait_line(r, "!mention: @99887766554433 veja", 3000));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
test_mode_off(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = mf_login(emu, vc, "off");
	g_autofree char *refusal = wag_session_send_text(r->s, vc->group, "hello");

	g_assert_cmpint(wag_session_messages_mode(r->s), ==, WAG_MESSAGES_OFF);
	g_assert_nonnull(refusal);
	g_assert_nonnull(strstr(refusal, "administers"));
	mf_say(r, vc, "bom dia", "M1", NULL, FALSE);
	mf_say(r, vc, "the marker", "M2", NULL, FALSE);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(sv_count(r, "message "), ==, 0);
	sv_free(r, FALSE);

	/* read: shown, never sent. */
	r = mf_login(emu, vc, "read");
	g_clear_pointer(&refusal, g_free);
	refusal = wag_session_send_text(r->s, vc->group, "hello");
	g_assert_nonnull(refusal);
	mf_say(r, vc, "bom dia", "M1", NULL, FALSE);
	g_assert_true(sv_wait_line(r, ": bom dia", 3000));
	g_assert_cmpuint(wag_emu_count(emu, "POST", vc == &fx_zapi ? "send-text" : vc == &fx_green ? "sendMessage" : "send/text"), ==, 0);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static gboolean
queue_drained(gpointer data)
{
	return wag_emu_green_queued(data) == 0;
}

/* Green API without a relay: the notification queue is read (the docs'
 * receiveNotification example, made a group message), shown, deleted. */
static void
test_green_notifications(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	g_autoptr(JsonNode) n = wag_fixture_json("greenapi", "receiveNotification.reply.json");
	JsonObject *body = json_object_get_object_member(json_node_get_object(n), "body");
	JsonObject *sd = json_object_get_object_member(body, "senderData");
	g_autoptr(JsonNode) bn = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *json = NULL;
	guint reads;
	SvRec *r;

	json_object_set_string_member(sd, "chatId", fx_green.group);
	json_object_set_string_member(sd, "sender", FX_MEMBER "@c.us");
	json_node_set_object(bn, body);
	json = json_to_string(bn, FALSE);
	wag_emu_green_notify(emu, json);
	wag_emu_green_notify(emu, "{\"typeWebhook\": \"stateInstanceChanged\", \"stateInstance\": \"authorized\"}");
	r = mf_login(emu, &fx_green, NULL);
	g_assert_true(sv_wait_line(r, ": I use Green-API to send this message to you!", 5000));
	g_assert_true(sv_wait(queue_drained, emu, 5000));
	g_assert_cmpuint(wag_emu_count(emu, "DELETE", "/deleteNotification/"), ==, 2);
	g_assert_cmpuint(sv_count(r, "message "), ==, 1);
	sv_free(r, FALSE);
	/* messages=off: the queue is left alone. */
	wag_emu_green_notify(emu, json);
	reads = wag_emu_count(emu, "GET", "/receiveNotification/");
	r = mf_login(emu, &fx_green, "off");
	sv_free(r, FALSE);
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/receiveNotification/"), ==, reads);
	g_assert_cmpuint(wag_emu_green_queued(emu), ==, 1);
	wag_emu_free(emu);
}
int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/messages/zapi/webhooks", test_zapi_webhooks);
	g_test_add_func("/messages/greenapi/webhooks", test_green_webhooks);
	g_test_add_func("/messages/wawp/webhooks", test_wawp_webhooks);
	g_test_add_func("/messages/schema", test_schema);
	g_test_add_func("/messages/bad-text", test_bad_text);
	g_test_add_func("/messages/wawp/mention-by-lid", test_mention_by_lid);
	g_test_add_func("/messages/greenapi/notifications", test_green_notifications);
	for (guint v = 0; fx_vendors[v]; v++) {
		static const struct { const char *name; GTestDataFunc fn; } t[] = {
			{ "receive", test_receive }, { "option", test_mode_off },
		};
		for (guint i = 0; i < G_N_ELEMENTS(t); i++) {
			g_autofree char *path = g_strdup_printf("/messages/%s/%s", fx_vendors[v]->vendor, t[i].name);
			g_test_add_data_func(path, fx_vendors[v], t[i].fn);
		}
	}
	return g_test_run();
}
