/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Webhook normalizers on the vendors' documented payloads, every participant
 * event kind of each vendor, the noise they also send, and garbage. */
#include "wag-vendor.h"
#include "wag-json.h"
#include <string.h>

typedef struct {
	const WagVendor *vendor;
	const char *body;
	const char *json; /* expected events, as the relay streams them, or "" for none */
} Case;

static char *
normalize(const WagVendor *v, const char *body, gboolean *ok, char **instance)
{
	g_autoptr(JsonNode) n = wag_json_parse(body, strlen(body), NULL);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	GString *out = g_string_new(NULL);

	*ok = v->normalize_webhook(n, events, instance, NULL);
	for (guint i = 0; i < events->len; i++) {
		g_autoptr(JsonNode) e = wag_event_to_json(events->pdata[i]);
		g_autofree char *s = json_to_string(e, FALSE);
		g_string_append_printf(out, "%s%s", i ? "\n" : "", s);
	}
	return g_string_free(out, FALSE);
}

/* source: Z-API docs, webhooks/on-message-received.md (the envelope; the same
 * examples are tests/fixtures/zapi/webhook-*.json, read by test-fixtures). */
#define ZAPI_NOTIF(kind, params, extra) \
	"{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"3C5A\", \"phone\": \"120363019502650977-group\"," \
	" \"participantPhone\": \"5511999999999\", \"momment\": 1732300000000, \"notification\": \"" kind "\"," \
	" \"notificationParameters\": " params extra "}"
#define EV(kind, parts, actor) \
	"{\"vendor\":\"zapi\",\"instance\":\"3C5A\",\"group\":\"120363019502650977-group\",\"kind\":\"" kind "\"," \
	"\"participants\":" parts actor ",\"at\":1732300000000}"

static const Case cases[] = {
	/* Z-API */
	{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_ADD", "[\"5544999999999\"]", ""),
	  EV("participant_added", "[\"5544999999999\"]", ",\"actor\":\"5511999999999\"") },
	{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_REMOVE", "[\"5544999999999@c.us\", \"5544988888888\"]", ""),
	  EV("participant_removed", "[\"5544999999999\",\"5544988888888\"]", ",\"actor\":\"5511999999999\"") },
	{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_LEAVE", "[\"5544999999999\"]", ""),
	  EV("participant_left", "[\"5544999999999\"]", "") },
	{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_PROMOTE", "[\"231977733331234@lid\"]", ""),
	  EV("participant_promoted", "[\"231977733331234@lid\"]", ",\"actor\":\"5511999999999\"") },
	{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_DEMOTE", "[\"5544999999999\"]", ""),
	  EV("participant_demoted", "[\"5544999999999\"]", ",\"actor\":\"5511999999999\"") },
	{ &wag_vendor_zapi, ZAPI_NOTIF("MEMBERSHIP_APPROVAL_REQUEST", "[\"5544911111111\"]", ", \"requestMethod\": \"invite_link\""),
	  EV("join_requested", "[\"5544911111111\"]", "") },
	/* non_admin_add: two numbers, the last taken as the requester */
	{ &wag_vendor_zapi, ZAPI_NOTIF("MEMBERSHIP_APPROVAL_REQUEST", "[\"5544900000000\", \"5544922222222\"]", ", \"requestMethod\": \"non_admin_add\""),
	  EV("join_requested", "[\"5544922222222\"]", "") },
	{ &wag_vendor_zapi, ZAPI_NOTIF("REVOKED_MEMBERSHIP_REQUESTS", "[\"5544911111111\"]", ""),
	  EV("join_request_revoked", "[\"5544911111111\"]", "") },
	/* Z-API sends every message to the same webhook: noise, no event */
	{ &wag_vendor_zapi, "{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"3C5A\", \"phone\": \"120363019502650977-group\","
	  " \"text\": {\"message\": \"bom dia\"}, \"momment\": 1732300000000}", "" },
	{ &wag_vendor_zapi, "{\"type\": \"MessageStatusCallback\", \"status\": \"READ\", \"ids\": [\"999\"], \"instanceId\": \"3C5A\"}", "" },
	{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_CREATE", "[\"5544999999999\"]", ""), "" },

	/* Green API: no membership webhooks at all (source: Green API docs,
	 * IncomingMessageReceived; tests/fixtures/greenapi/webhook-*.json) */
	{ &wag_vendor_greenapi, "{\"typeWebhook\": \"incomingMessageReceived\", \"instanceData\": {\"idInstance\": 1101000001,"
	  " \"wid\": \"79001234567@c.us\", \"typeInstance\": \"whatsapp\"}, \"timestamp\": 1588091580,"
	  " \"senderData\": {\"chatId\": \"120363043968066561@g.us\"}}", "" },

	/* Wawp / WAHA: both documented shapes (source: waha-docs "Groups" >
	 * group.v2.participants and Wawp's webhook pages; tests/fixtures/wawp/webhook-*.json) */
	{ &wag_vendor_wawp, "{\"event\": \"group.v2.participants\", \"session\": \"default\", \"payload\": {\"type\": \"join\","
	  " \"timestamp\": 1732300000, \"group\": {\"id\": \"120363043968066561@g.us\"},"
	  " \"participants\": [{\"id\": \"5544999999999@c.us\", \"role\": \"participant\"}]}}",
	  "{\"vendor\":\"wawp\",\"instance\":\"default\",\"group\":\"120363043968066561@g.us\",\"kind\":\"participant_added\","
	  "\"participants\":[\"5544999999999\"],\"at\":1732300000000}" },
	{ &wag_vendor_wawp, "{\"event\": \"group.v2.participants\", \"session\": \"default\", \"payload\": {\"type\": \"leave\","
	  " \"timestamp\": 1732300000, \"group\": {\"id\": \"120363043968066561@g.us\"},"
	  " \"participants\": [{\"id\": \"99887766554433@lid\", \"pn\": \"5544988888888@c.us\", \"role\": \"left\"}]}}",
	  "{\"vendor\":\"wawp\",\"instance\":\"default\",\"group\":\"120363043968066561@g.us\",\"kind\":\"participant_left\","
	  "\"participants\":[\"5544988888888\"],\"at\":1732300000000}" },
	{ &wag_vendor_wawp, "{\"event\": \"group.v2.participants\", \"instance_id\": \"INST9\", \"payload\": {\"chatId\": \"120363043968066561@g.us\","
	  " \"action\": \"promote\", \"participants\": {\"0\": \"5544999999999@c.us\"}, \"timestamp\": 1732300000}}",
	  "{\"vendor\":\"wawp\",\"instance\":\"INST9\",\"group\":\"120363043968066561@g.us\",\"kind\":\"participant_promoted\","
	  "\"participants\":[\"5544999999999\"],\"at\":1732300000000}" },
	{ &wag_vendor_wawp, "{\"event\": \"group.v2.participants\", \"session\": \"default\", \"payload\": {\"type\": \"demote\","
	  " \"timestamp\": 1732300000, \"group\": {\"id\": \"120363043968066561@g.us\"}, \"participants\": [\"5544999999999@c.us\"]}}",
	  "{\"vendor\":\"wawp\",\"instance\":\"default\",\"group\":\"120363043968066561@g.us\",\"kind\":\"participant_demoted\","
	  "\"participants\":[\"5544999999999\"],\"at\":1732300000000}" },
	{ &wag_vendor_wawp, "{\"event\": \"group.v2.participants.join-request\", \"session\": \"default\", \"payload\": {"
	  " \"group\": {\"id\": \"120363043968066561@g.us\"}, \"action\": \"created\", \"requesterId\": \"12345678901234@lid\","
	  " \"requesterPn\": \"5544911111111@c.us\", \"requestMethod\": \"invite_link\", \"timestamp\": 1732300000}}",
	  "{\"vendor\":\"wawp\",\"instance\":\"default\",\"group\":\"120363043968066561@g.us\",\"kind\":\"join_requested\","
	  "\"participants\":[\"5544911111111\"],\"at\":1732300000000}" },
	{ &wag_vendor_wawp, "{\"event\": \"group.v2.participants.join-request\", \"session\": \"default\", \"payload\": {"
	  " \"group\": {\"id\": \"120363043968066561@g.us\"}, \"action\": \"revoked\", \"requesterId\": \"5544911111111@c.us\","
	  " \"timestamp\": 1732300000}}",
	  "{\"vendor\":\"wawp\",\"instance\":\"default\",\"group\":\"120363043968066561@g.us\",\"kind\":\"join_request_revoked\","
	  "\"participants\":[\"5544911111111\"],\"at\":1732300000000}" },
	{ &wag_vendor_wawp, "{\"event\": \"message\", \"session\": \"default\", \"payload\": {\"body\": \"oi\"}}", "" },
};

static void
test_documented(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gboolean ok = FALSE;
		g_autofree char *instance = NULL;
		g_autofree char *got = normalize(cases[i].vendor, cases[i].body, &ok, &instance);
		g_test_message("case %u (%s)", i, cases[i].vendor->id);
		g_assert_true(ok);
		g_assert_cmpstr(got, ==, cases[i].json);
	}
}

static void
test_instance(void)
{
	gboolean ok;
	g_autofree char *a = NULL, *b = NULL, *c = NULL;
	g_free(normalize(&wag_vendor_zapi, cases[0].body, &ok, &a));
	g_free(normalize(&wag_vendor_greenapi, cases[11].body, &ok, &b));
	g_free(normalize(&wag_vendor_wawp, cases[14].body, &ok, &c));
	g_assert_cmpstr(a, ==, "3C5A");
	g_assert_cmpstr(b, ==, "1101000001");
	g_assert_cmpstr(c, ==, "INST9");
}

static void
test_garbage(void)
{
	static const char *const bodies[] = {
		"[]", "42", "\"x\"", "null", "true",
		"{\"notification\": \"GROUP_PARTICIPANT_ADD\"}",
		"{\"notification\": \"GROUP_PARTICIPANT_ADD\", \"phone\": \"g\", \"notificationParameters\": \"x\"}",
		"{\"notification\": \"GROUP_PARTICIPANT_ADD\", \"phone\": \"g\", \"notificationParameters\": [1, null, {}, []], \"momment\": \"soon\"}",
		"{\"notification\": 7, \"phone\": [], \"isGroup\": \"maybe\"}",
		"{\"event\": \"group.v2.participants\", \"payload\": []}",
		"{\"event\": \"group.v2.participants\", \"payload\": {\"type\": \"join\", \"group\": {\"id\": 5}, \"participants\": [[]]}}",
		"{\"event\": \"group.v2.participants\", \"payload\": {\"type\": \"join\", \"chatId\": \"g@g.us\", \"participants\": 3, \"timestamp\": {}}}",
		"{\"event\": \"group.v2.participants.join-request\", \"payload\": {\"action\": \"created\", \"group\": {\"id\": {\"_serialized\": 1}}}}",
		"{\"instanceData\": [], \"typeWebhook\": 1}",
	};
	for (guint v = 0; wag_vendors()[v]; v++)
		for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
			gboolean ok;
			g_autofree char *instance = NULL;
			g_autofree char *got = normalize(wag_vendors()[v], bodies[i], &ok, &instance);
			/* Never an event from garbage; non-objects are refused. */
			g_assert_cmpstr(got, ==, "");
			if (bodies[i][0] != '{')
				g_assert_false(ok);
		}
}

/* Every way of joining is an addition; a participant notification we cannot
 * read makes the roster be read again. source for the names: WhatsApp's
 * message stub types (WAProto WebMessageInfo.StubType: GROUP_PARTICIPANT_INVITE,
 * _ACCEPT, _LINKED_GROUP_JOIN, _JOINED_GROUP_AND_PARENT_GROUP, _CHANGE_NUMBER),
 * in Z-API's documented envelope (webhooks/on-message-received.md). */
static void
test_zapi_joins(void)
{
	static const Case joins[] = {
		{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_INVITE", "[\"5544999999999\"]", ""),
		  EV("participant_added", "[\"5544999999999\"]", ",\"actor\":\"5511999999999\"") },
		/* joined by a link: nobody named but the one who joined */
		{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_INVITE", "[]", ""),
		  EV("participant_added", "[\"5511999999999\"]", ",\"actor\":\"5511999999999\"") },
		{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_ACCEPT", "[\"5544999999999\"]", ""),
		  EV("participant_added", "[\"5544999999999\"]", ",\"actor\":\"5511999999999\"") },
		{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_LINKED_GROUP_JOIN", "[\"5544999999999\"]", ""),
		  EV("participant_added", "[\"5544999999999\"]", ",\"actor\":\"5511999999999\"") },
		{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_JOINED_GROUP_AND_PARENT_GROUP", "[\"5544999999999\"]", ""),
		  EV("participant_added", "[\"5544999999999\"]", ",\"actor\":\"5511999999999\"") },
		{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_CHANGE_NUMBER", "[\"5544999999999\", \"5544988888888\"]", ""),
		  EV("roster_changed", "[]", "") },
		{ &wag_vendor_zapi, ZAPI_NOTIF("GROUP_PARTICIPANT_SOMETHING_NEW", "[]", ""),
		  EV("roster_changed", "[]", "") },
		/* left, named by its lid only */
		{ &wag_vendor_zapi, "{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"3C5A\","
		  " \"phone\": \"120363019502650977-group\", \"participantPhone\": null, \"participantLid\": \"99999999999999@lid\","
		  " \"momment\": 1732300000000, \"notification\": \"GROUP_PARTICIPANT_LEAVE\", \"notificationParameters\": []}",
		  EV("participant_left", "[\"99999999999999@lid\"]", "") },
	};
	WagModel *m = wag_model_new();
	WagGroup *g = wag_model_take(m, wag_group_new("120363019502650977-group", "Grupo"));

	for (guint i = 0; i < G_N_ELEMENTS(joins); i++) {
		gboolean ok = FALSE;
		g_autofree char *instance = NULL;
		g_autofree char *got = normalize(joins[i].vendor, joins[i].body, &ok, &instance);
		g_test_message("join case %u", i);
		g_assert_true(ok);
		g_assert_cmpstr(got, ==, joins[i].json);
	}
	/* Applied, roster_changed marks the roster stale, once. */
	{
		g_autoptr(JsonNode) n = wag_json_parse(joins[5].json, strlen(joins[5].json), NULL);
		g_autoptr(WagEvent) e = wag_event_from_json(n, NULL);
		g_assert_nonnull(e);
		g_assert_cmpint(e->kind, ==, WAG_EVENT_ROSTER_CHANGED);
		g->roster_loaded = TRUE;
		g_assert_true(wag_model_apply(m, e));
		g_assert_false(g->roster_loaded);
		g_assert_false(wag_model_apply(m, e));
	}
	wag_model_free(m);
}

/* A Wawp webhook is for the session it names (its name, as /v2/session/info
 * gives it), even when an instance_id comes along. */
static void
test_wawp_session(void)
{
	/* source: Wawp webhooks page, group.v2.participants envelope: {"event",
	 * "session": "wawp-84729105", "payload": {"type": "join", "group": {"id"},
	 * "participants": [{"id", "role"}], "timestamp"}} */
	static const char *const bodies[] = {
		"{\"event\": \"group.v2.participants\", \"session\": \"wawp-84729105\", \"payload\": {\"type\": \"join\","
		" \"timestamp\": 1732300000, \"group\": {\"id\": \"120363043968066561@g.us\"},"
		" \"participants\": [{\"id\": \"5544999999999@c.us\", \"role\": \"participant\"}]}}",
		"{\"event\": \"group.v2.participants\", \"session\": \"wawp-84729105\", \"instance_id\": \"INST9\","
		" \"payload\": {\"type\": \"leave\", \"group\": {\"id\": \"120363043968066561@g.us\"},"
		" \"participants\": [{\"id\": \"5544999999999@c.us\", \"role\": \"left\"}]}}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		gboolean ok = FALSE;
		g_autofree char *instance = NULL;
		g_autofree char *got = normalize(&wag_vendor_wawp, bodies[i], &ok, &instance);
		g_assert_true(ok);
		g_assert_cmpstr(instance, ==, "wawp-84729105");
		g_assert_nonnull(strstr(got, "\"instance\":\"wawp-84729105\""));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/webhooks/documented", test_documented);
	g_test_add_func("/core/webhooks/instance", test_instance);
	g_test_add_func("/core/webhooks/garbage", test_garbage);
	g_test_add_func("/core/webhooks/zapi-joins", test_zapi_joins);
	g_test_add_func("/core/webhooks/wawp-session", test_wawp_session);
	return g_test_run();
}
