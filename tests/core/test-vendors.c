/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Each vendor's exact requests, and its documented replies and errors
 * (examples from the vendors' public docs, as recorded in the README). */
#include "wag-vendor.h"
#include "wag-error.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

static const WagCreds zcreds = { "3C5A9F", "TOKEN1", "CLIENT1", "https://api.z-api.io" };
static const WagCreds gcreds = { "1101000001", "d75b3a66374942c5b3c019c698abc2067e151558acbd412345", NULL, "https://7105.api.greenapi.com" };
static const WagCreds wcreds = { "INST9", "ACC/9+x", NULL, "https://api.wawp.net" };

static JsonNode *
parse(const char *json)
{
	JsonNode *n = wag_json_parse(json, strlen(json), NULL);
	g_assert_nonnull(n);
	return n;
}

static char *
body_of(WagRequest *r)
{
	return r->body ? json_to_string(r->body, FALSE) : g_strdup("");
}

static const char *
header(WagRequest *r, const char *name)
{
	for (guint i = 0; i + 1 < r->headers->len; i += 2)
		if (g_ascii_strcasecmp(r->headers->pdata[i], name) == 0)
			return r->headers->pdata[i + 1];
	return NULL;
}

static void
assert_request(WagRequest *r, const char *method, const char *path, const char *body)
{
	g_autofree char *b = body_of(r);
	g_assert_cmpstr(r->method, ==, method);
	g_assert_cmpstr(r->path, ==, path);
	g_assert_cmpstr(b, ==, body);
	wag_request_free(r);
}

/* The vendor v reads a status reply (code, json or NULL) as expect. */
#define STATUS(code, json, expect) do { \
	g_autoptr(JsonNode) sn = (json) ? parse(json) : NULL; \
	g_assert_cmpint(v->parse_status(code, sn, &detail), ==, expect); \
	g_clear_pointer(&detail, g_free); } while (0)

static WagGroup *
group(const char *id, gboolean community)
{
	WagGroup *g = wag_group_new(id, NULL);
	g->is_community = community;
	return g;
}

/* ---- Z-API ---- */

static void
test_zapi_requests(void)
{
	const WagVendor *v = &wag_vendor_zapi;
	const char *phones[] = { "5544999999999", "5544988888888" };
	const char *groups[] = { "120363019502650977-group" };
	g_autoptr(WagGroup) g = group("120363019502650977-group", FALSE);
	g_autoptr(WagGroup) c = group("98372465382764532938", TRUE);
	WagRequest *r = v->req_status(&zcreds);

	g_assert_cmpstr(header(r, "Client-Token"), ==, "CLIENT1");
	assert_request(r, "GET", "/instances/3C5A9F/token/TOKEN1/status", "");
	assert_request(v->req_groups(&zcreds, 2), "GET", "/instances/3C5A9F/token/TOKEN1/groups?page=2&pageSize=100", "");
	assert_request(v->req_communities(&zcreds, 1), "GET", "/instances/3C5A9F/token/TOKEN1/communities?page=1&pageSize=100", "");
	assert_request(v->req_community_info(&zcreds, c->id), "GET",
	               "/instances/3C5A9F/token/TOKEN1/communities-metadata/98372465382764532938", "");
	assert_request(v->req_group_info(&zcreds, g->id), "GET",
	               "/instances/3C5A9F/token/TOKEN1/light-group-metadata/120363019502650977-group", "");
	r = v->req_action(&zcreds, WAG_ACTION_REMOVE, g, phones, 2, NULL);
	g_assert_cmpstr(header(r, "Client-Token"), ==, "CLIENT1");
	assert_request(r, "POST", "/instances/3C5A9F/token/TOKEN1/remove-participant",
	               "{\"groupId\":\"120363019502650977-group\",\"phones\":[\"5544999999999\",\"5544988888888\"]}");
	assert_request(v->req_action(&zcreds, WAG_ACTION_REMOVE, c, phones, 1, NULL), "POST",
	               "/instances/3C5A9F/token/TOKEN1/remove-participant",
	               "{\"communityId\":\"98372465382764532938\",\"phones\":[\"5544999999999\"]}");
	assert_request(v->req_action(&zcreds, WAG_ACTION_REJECT, g, phones, 1, NULL), "POST",
	               "/instances/3C5A9F/token/TOKEN1/reject-participant",
	               "{\"groupId\":\"120363019502650977-group\",\"phones\":[\"5544999999999\"]}");
	assert_request(v->req_action(&zcreds, WAG_ACTION_APPROVE, g, phones, 1, NULL), "POST",
	               "/instances/3C5A9F/token/TOKEN1/approve-participant",
	               "{\"groupId\":\"120363019502650977-group\",\"phones\":[\"5544999999999\"]}");
	assert_request(v->req_action(&zcreds, WAG_ACTION_LEAVE, g, NULL, 0, NULL), "POST",
	               "/instances/3C5A9F/token/TOKEN1/leave-group", "{\"groupId\":\"120363019502650977-group\"}");
	assert_request(v->req_action(&zcreds, WAG_ACTION_UNLINK, c, groups, 1, NULL), "POST",
	               "/instances/3C5A9F/token/TOKEN1/communities/unlink",
	               "{\"communityId\":\"98372465382764532938\",\"groupsPhones\":[\"120363019502650977-group\"]}");
	g_assert_true(v->is_community_id("98372465382764532938"));
	g_assert_false(v->is_community_id("5511999999999-1623281429"));
	g_assert_false(v->is_community_id("120363019502650977-group"));
	g_assert_false(v->lists_requests);
}

static void
test_zapi_replies(void)
{
	const WagVendor *v = &wag_vendor_zapi;
	g_autoptr(WagGroup) g = group("120363019502650977-group", FALSE);
	g_autoptr(WagGroup) c = group("98372465382764532938", TRUE);
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify) wag_group_free);
	g_autoptr(GError) err = NULL;
	g_autoptr(JsonNode) n = NULL;
	char *detail = NULL;
	gboolean more;

	STATUS(200, "{\"connected\": true, \"error\": \"\", \"smartphoneConnected\": true}", WAG_STATE_READY);
	STATUS(200, "{\"connected\": \"false\", \"error\": \"You are not connected.\", \"smartphoneConnected\": false}", WAG_STATE_NOT_AUTHORIZED);
	STATUS(200, "{\"connected\": false, \"error\": \"You need to restore the session.\"}", WAG_STATE_PHONE_OFFLINE);
	STATUS(400, "{\"error\": \"null not allowed\"}", WAG_STATE_BAD_CREDENTIALS);
	STATUS(405, "{\"error\": \"Method Not Allowed\"}", WAG_STATE_UNKNOWN);
	STATUS(500, "{\"error\": \"boom\"}", WAG_STATE_UNKNOWN);

	n = parse("[{\"isGroup\": true, \"name\": \"Grupo\", \"phone\": \"120363019502650977-group\"},"
	          " {\"isGroup\": false, \"name\": \"Ana\", \"phone\": \"5511999999999\"}]");
	g_assert_true(v->parse_groups(n, found, &more, &err));
	g_assert_false(more); /* a page shorter than pageSize is the last */
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_cmpstr(((WagGroup *) found->pdata[0])->subject, ==, "Grupo");
	g_clear_pointer(&n, json_node_unref);
	n = parse("[]");
	g_assert_true(v->parse_groups(n, found, &more, &err));
	g_assert_false(more);
	g_clear_pointer(&n, json_node_unref);

	/* Ids come as strings; a number that fits is taken as its digits. */
	n = parse("[{\"name\": \"Condominio\", \"id\": \"98372465382764532938\"}, {\"name\": \"B\", \"id\": 1234567890123}]");
	g_ptr_array_set_size(found, 0);
	g_assert_true(v->parse_communities(n, found, &more, &err));
	g_assert_cmpstr(((WagGroup *) found->pdata[0])->id, ==, "98372465382764532938");
	g_assert_cmpstr(((WagGroup *) found->pdata[1])->id, ==, "1234567890123");
	g_assert_true(((WagGroup *) found->pdata[0])->is_community);
	g_clear_pointer(&n, json_node_unref);

	/* Variants beyond the docs' example (test-fixtures reads that one): booleans
	 * as strings (Z-API docs, group-invitation-metadata.md types isAdmin and
	 * isSuperAdmin as string) and a lid in place of a phone. */
	n = parse("{\"phone\": \"120363019502650977-group\", \"owner\": \"5511999999999\", \"subject\": \"Grupo\","
	          " \"communityId\": null, \"requireAdminApproval\": true, \"participants\": ["
	          " {\"phone\": \"5511999999999\", \"isAdmin\": \"true\", \"isSuperAdmin\": \"true\"},"
	          " {\"phone\": \"5511988888888\", \"isAdmin\": true, \"isSuperAdmin\": false, \"name\": \"Bia\"},"
	          " {\"phone\": \"231977733331234@lid\", \"isAdmin\": \"false\", \"isSuperAdmin\": false}]}");
	g_assert_true(v->parse_group_info(n, g, &err));
	g_assert_true(g->roster_loaded);
	g_assert_cmpstr(g->subject, ==, "Grupo");
	g_assert_cmpstr(g->owner, ==, "5511999999999");
	g_assert_null(g->community_id);
	g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, "5511999999999"))->role, ==, WAG_ROLE_OWNER);
	g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, "5511988888888"))->role, ==, WAG_ROLE_ADMIN);
	g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, "231977733331234@lid"))->role, ==, WAG_ROLE_MEMBER);
	g_clear_pointer(&n, json_node_unref);

	/* HTTP 200 with a false flag is a failure; "false" as a string too. */
	n = parse("{\"value\": true}");
	g_assert_true(v->parse_action(WAG_ACTION_REMOVE, n, NULL));
	g_clear_pointer(&n, json_node_unref);
	n = parse("{\"value\": \"false\"}");
	g_assert_false(v->parse_action(WAG_ACTION_REMOVE, n, &err));
	g_assert_error(err, WAG_ERROR, WAG_ERROR_REFUSED);
	g_clear_error(&err);
	g_clear_pointer(&n, json_node_unref);
	/* unlink answers `success`, not `value` */
	n = parse("{\"success\": true}");
	g_assert_true(v->parse_action(WAG_ACTION_UNLINK, n, NULL));
	g_assert_false(v->parse_action(WAG_ACTION_REMOVE, n, &err));
	g_assert_error(err, WAG_ERROR, WAG_ERROR_BAD_REPLY);
	g_clear_error(&err);
}

/* ---- Green API ---- */

static void
test_green_requests(void)
{
	const WagVendor *v = &wag_vendor_greenapi;
	const char *one[] = { "79001234568" };
	const char *two[] = { "79001234568", "79001234569" };
	g_autoptr(WagGroup) g = group("120363043968066561@g.us", FALSE);
	g_autoptr(GError) err = NULL;
	WagRequest *r = v->req_status(&gcreds);

	g_assert_null(header(r, "Client-Token")); /* no auth header at all */
	assert_request(r, "GET", "/waInstance1101000001/getStateInstance/d75b3a66374942c5b3c019c698abc2067e151558acbd412345", "");
	assert_request(v->req_groups(&gcreds, 1), "GET",
	               /* source: Green API GetContacts: "group=true" lists only groups */
	               "/waInstance1101000001/getContacts/d75b3a66374942c5b3c019c698abc2067e151558acbd412345?group=true", "");
	assert_request(v->req_group_info(&gcreds, g->id), "POST",
	               "/waInstance1101000001/getGroupData/d75b3a66374942c5b3c019c698abc2067e151558acbd412345",
	               "{\"groupId\":\"120363043968066561@g.us\"}");
	assert_request(v->req_action(&gcreds, WAG_ACTION_REMOVE, g, one, 1, NULL), "POST",
	               "/waInstance1101000001/removeGroupParticipant/d75b3a66374942c5b3c019c698abc2067e151558acbd412345",
	               "{\"groupId\":\"120363043968066561@g.us\",\"participantChatId\":\"79001234568@c.us\"}");
	assert_request(v->req_action(&gcreds, WAG_ACTION_LEAVE, g, NULL, 0, NULL), "POST",
	               "/waInstance1101000001/leaveGroup/d75b3a66374942c5b3c019c698abc2067e151558acbd412345",
	               "{\"groupId\":\"120363043968066561@g.us\"}");
	g_assert_cmpuint(v->batch_max, ==, 1);
	g_assert_null(v->req_action(&gcreds, WAG_ACTION_REMOVE, g, two, 2, &err));
	g_clear_error(&err);
	/* No join requests, no communities: say so, build nothing. */
	g_assert_null(v->req_action(&gcreds, WAG_ACTION_REJECT, g, one, 1, &err));
	g_assert_error(err, WAG_ERROR, WAG_ERROR_UNSUPPORTED);
	g_assert_nonnull(strstr(err->message, "Green API has no API for join requests"));
	g_clear_error(&err);
	g_assert_null(v->req_action(&gcreds, WAG_ACTION_UNLINK, g, one, 1, &err));
	g_assert_error(err, WAG_ERROR, WAG_ERROR_UNSUPPORTED);
	g_assert_false(v->has_communities);
	g_assert_null(v->req_communities);
	g_assert_null(v->req_requests);
}

static void
test_green_replies(void)
{
	const WagVendor *v = &wag_vendor_greenapi;
	g_autoptr(GError) err = NULL;
	g_autoptr(JsonNode) n = NULL;
	char *detail = NULL;

	STATUS(200, "{\"stateInstance\": \"authorized\"}", WAG_STATE_READY);
	/* source: Green API, "Creating and configuring an instance": "If the
	 * getStateInstance method response body is null, it means the instance is
	 * still being created": starting (a network-class failure, retried later). */
	STATUS(200, "null", WAG_STATE_STARTING);
	STATUS(200, NULL, WAG_STATE_STARTING);
	STATUS(200, "{}", WAG_STATE_STARTING);
	STATUS(200, "{\"stateInstance\": \"somethingNew\"}", WAG_STATE_UNKNOWN);
	/* Each documented stateInstance: test-fixtures (greenapi/getStateInstance.reply-*.json).
	 * source for the errors below: Green API docs, "Standard errors" (400 texts, 401, 403). */
	STATUS(401, NULL, WAG_STATE_BAD_CREDENTIALS);
	STATUS(403, NULL, WAG_STATE_BAD_CREDENTIALS);
	STATUS(400, "{\"message\": \"instance in starting process try later\"}", WAG_STATE_STARTING);
	STATUS(400, "{\"message\": \"instance account not authorized\"}", WAG_STATE_NOT_AUTHORIZED);
	STATUS(400, "{\"message\": \"instance is starting or not authorized\"}", WAG_STATE_NOT_AUTHORIZED);
	STATUS(502, NULL, WAG_STATE_UNKNOWN);

	n = parse("{\"removeParticipant\": true}");
	g_assert_true(v->parse_action(WAG_ACTION_REMOVE, n, NULL));
	g_clear_pointer(&n, json_node_unref);
	/* source: Green API RemoveGroupParticipant: removeParticipant false when the
	 * participant is not in the group */
	n = parse("{\"removeParticipant\": false}");
	g_assert_false(v->parse_action(WAG_ACTION_REMOVE, n, &err));
	g_assert_error(err, WAG_ERROR, WAG_ERROR_REFUSED);
	g_assert_nonnull(strstr(err->message, "not a member"));
	g_clear_error(&err);
	g_clear_pointer(&n, json_node_unref);
	n = parse("{\"leaveGroup\": true}");
	g_assert_true(v->parse_action(WAG_ACTION_LEAVE, n, NULL));
	g_clear_pointer(&n, json_node_unref);
	n = parse("{\"removeAdmin\": true}"); /* also seen for leaveGroup */
	g_assert_true(v->parse_action(WAG_ACTION_LEAVE, n, NULL));
}

/* ---- Wawp ---- */

static void
test_wawp_requests(void)
{
	const WagVendor *v = &wag_vendor_wawp;
	const char *phones[] = { "5511999999999", "123456789012345@lid" };
	g_autoptr(WagGroup) g = group("120363043968066561@g.us", FALSE);
	g_autoptr(GError) err = NULL;
	const char *q = "?instance_id=INST9&access_token=ACC%2F9%2Bx";
	g_autofree char *p = NULL;

	p = g_strconcat("/v2/session/info", q, NULL);
	assert_request(v->req_status(&wcreds), "GET", p, "");
	g_free(p);
	p = g_strconcat("/v2/groups", q, NULL);
	assert_request(v->req_groups(&wcreds, 1), "GET", p, "");
	g_free(p);
	p = g_strconcat("/v2/groups/120363043968066561%40g.us/participants", q, NULL);
	assert_request(v->req_group_info(&wcreds, g->id), "GET", p, "");
	g_free(p);
	/* Credentials in the query and in the body: the docs disagree on which counts. */
	p = g_strconcat("/v2/groups/120363043968066561%40g.us/participants/remove", q, NULL);
	assert_request(v->req_action(&wcreds, WAG_ACTION_REMOVE, g, phones, 2, NULL), "POST", p,
	               "{\"participants\":[{\"id\":\"5511999999999@c.us\"},{\"id\":\"123456789012345@lid\"}],"
	               "\"instance_id\":\"INST9\",\"access_token\":\"ACC/9+x\"}");
	g_free(p);
	p = g_strconcat("/v2/groups/120363043968066561%40g.us/participants/join-requests/reject", q, NULL);
	assert_request(v->req_action(&wcreds, WAG_ACTION_REJECT, g, phones, 1, NULL), "POST", p,
	               "{\"participants\":[{\"id\":\"5511999999999@c.us\"}],\"instance_id\":\"INST9\",\"access_token\":\"ACC/9+x\"}");
	g_free(p);
	p = g_strconcat("/v2/groups/120363043968066561%40g.us/leave", q, NULL);
	assert_request(v->req_action(&wcreds, WAG_ACTION_LEAVE, g, NULL, 0, NULL), "POST", p,
	               "{\"instance_id\":\"INST9\",\"access_token\":\"ACC/9+x\"}");
	g_assert_null(v->req_action(&wcreds, WAG_ACTION_UNLINK, g, phones, 1, &err));
	g_assert_error(err, WAG_ERROR, WAG_ERROR_UNSUPPORTED);
	g_assert_nonnull(strstr(err->message, "Wawp has no API for communities"));
}

static void
test_wawp_replies(void)
{
	const WagVendor *v = &wag_vendor_wawp;
	g_autoptr(WagGroup) g = group("120363043968066561@g.us", FALSE);
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify) wag_group_free);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autoptr(JsonNode) n = NULL;
	char *detail = NULL;
	gboolean more;

	STATUS(200, "{\"status\": \"WORKING\", \"me\": {\"id\": \"5511@c.us\"}}", WAG_STATE_READY);
	STATUS(200, "{\"status\": \"SCAN_QR_CODE\"}", WAG_STATE_NOT_AUTHORIZED);
	STATUS(200, "{\"status\": \"STARTING\"}", WAG_STATE_STARTING);
	/* source: WAHA docs, content/docs/how-to/sessions/index.md, "Session Status":
	 * STOPPED "session is stopped"; FAILED "authorization is required again or
	 * device has been disconnected". */
	STATUS(200, "{\"status\": \"STOPPED\"}", WAG_STATE_STOPPED);
	STATUS(200, "{\"status\": \"FAILED\"}", WAG_STATE_NOT_AUTHORIZED);
	STATUS(200, "{\"status\": \"PASSKEY_REQUIRED\"}", WAG_STATE_NOT_AUTHORIZED);
	STATUS(401, "{\"status\": 401, \"message\": \"Invalid token\", \"error\": \"unauthorized\"}", WAG_STATE_BAD_CREDENTIALS);
	STATUS(403, "{\"status\": 403, \"message\": \"Upgrade\", \"error\": \"subscription_required\"}", WAG_STATE_PLAN);

	/* Both shapes WAHA engines use for the group list. */
	n = parse("[{\"id\": \"120363043968066561@g.us\", \"subject\": \"Vizinhos\"}]");
	g_assert_true(v->parse_groups(n, found, &more, &err));
	g_clear_pointer(&n, json_node_unref);
	n = parse("{\"120363000000000001@g.us\": {\"id\": {\"_serialized\": \"120363000000000001@g.us\"}, \"name\": \"Outro\"}}");
	g_assert_true(v->parse_groups(n, found, &more, &err));
	g_assert_cmpuint(found->len, ==, 2);
	g_assert_cmpstr(((WagGroup *) found->pdata[1])->subject, ==, "Outro");
	g_clear_pointer(&n, json_node_unref);

	n = parse("[{\"id\": \"5511999999999@c.us\", \"role\": \"superadmin\"},"
	          " {\"id\": \"99887766554433@lid\", \"pn\": \"5511988888888@c.us\", \"role\": \"admin\"},"
	          " {\"id\": \"5544999999999@c.us\", \"role\": \"participant\"},"
	          " {\"id\": \"5544900000000@c.us\", \"role\": \"left\"}]");
	g_assert_true(v->parse_group_info(n, g, &err));
	g_assert_cmpuint(g_hash_table_size(g->participants), ==, 3);
	g_assert_cmpstr(g->owner, ==, "5511999999999");
	g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, "5511988888888"))->role, ==, WAG_ROLE_ADMIN);
	g_clear_pointer(&n, json_node_unref);

	/* 2xx without "ok": false is success, whatever the engine's body. */
	n = parse("{\"ok\": true}");
	g_assert_true(v->parse_action(WAG_ACTION_REMOVE, n, NULL));
	g_clear_pointer(&n, json_node_unref);
	n = parse("[]");
	g_assert_true(v->parse_action(WAG_ACTION_REMOVE, n, NULL));
	g_clear_pointer(&n, json_node_unref);
	n = parse("{\"ok\": false, \"message\": \"not admin\"}");
	g_assert_false(v->parse_action(WAG_ACTION_REMOVE, n, &err));
	g_assert_nonnull(strstr(err->message, "not admin"));
	g_clear_error(&err);
	g_clear_pointer(&n, json_node_unref);

	n = parse("[{\"requesterId\": \"5544911111111@c.us\"}, \"5544922222222@c.us\", {\"id\": \"1234567890123@lid\", \"pn\": \"5544933333333@c.us\"}]");
	g_assert_true(v->parse_requests(n, ids, &err));
	g_assert_cmpuint(ids->len, ==, 3);
	g_assert_cmpstr(ids->pdata[0], ==, "5544911111111");
	g_assert_cmpstr(ids->pdata[2], ==, "5544933333333");
}

static void
test_registry(void)
{
	const WagVendor *const *all = wag_vendors();
	guint n = 0;

	for (; all[n]; n++) {
		/* Every vendor can do what login needs. */
		g_assert_nonnull(all[n]->req_status);
		g_assert_nonnull(all[n]->parse_status);
		g_assert_nonnull(all[n]->req_groups);
		g_assert_nonnull(all[n]->req_group_info);
		g_assert_nonnull(all[n]->req_action);
		g_assert_true(all[n]->has_communities == (all[n]->req_communities != NULL));
		g_assert_true(wag_vendor_lookup(all[n]->id) == all[n]);
	}
	g_assert_cmpuint(n, ==, 3);
	g_assert_null(wag_vendor_lookup("whatsapp-web"));
}

static void
test_phones(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "+55 11 99999-9999", "5511999999999" },
		{ "5511999999999", "5511999999999" },
		{ "5511999999999@c.us", "5511999999999" },
		{ "5511999999999@s.whatsapp.net", "5511999999999" },
		{ " (55) 11 99999.9999 ", "5511999999999" },
		{ "231977733331234@lid", "231977733331234@lid" },
		{ "120363019502650977@g.us", NULL },
		{ "abc", NULL },
		{ "123", NULL },
		{ "1234567890123456", NULL },
		{ "@lid", NULL },
	};
	g_autoptr(GPtrArray) invalid = NULL;
	g_autoptr(GPtrArray) ok = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *c = wag_phone_canonical(cases[i].in);
		g_assert_cmpstr(c, ==, cases[i].out);
	}
	ok = wag_phone_split("+55 11 99999-9999, 5511999999999@c.us,nope,, 5544988888888", &invalid);
	g_assert_cmpuint(ok->len, ==, 2); /* duplicates folded */
	g_assert_cmpuint(invalid->len, ==, 1);
	g_assert_cmpstr(invalid->pdata[0], ==, "nope");
}

static void
test_errors(void)
{
	static const struct { guint status; WagErrorCode code; const char *words; gboolean transient; } cases[] = {
		{ 405, WAG_ERROR_METHOD, "wrong HTTP method (405)", FALSE },
		{ 415, WAG_ERROR_CONTENT_TYPE, "missing content type (415)", FALSE },
		{ 400, WAG_ERROR_BAD_REQUEST, "bad request data (400)", FALSE },
		{ 401, WAG_ERROR_UNAUTHORIZED, "not authorized", FALSE },
		{ 403, WAG_ERROR_UNAUTHORIZED, "not authorized", FALSE },
		{ 404, WAG_ERROR_NOT_FOUND, "not found (", FALSE },
		{ 429, WAG_ERROR_RATE_LIMITED, "rate limited", TRUE },
		{ 466, WAG_ERROR_QUOTA, "quota exhausted", FALSE },
		{ 502, WAG_ERROR_SERVER, "down or failing", TRUE },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) e = wag_error_from_status("Z-API", cases[i].status, "why");
		g_assert_error(e, WAG_ERROR, (gint) cases[i].code);
		g_assert_nonnull(strstr(e->message, cases[i].words));
		g_assert_true(g_str_has_prefix(e->message, "Z-API: "));
		g_assert_true(g_str_has_suffix(e->message, ": why"));
		g_assert_cmpint(wag_error_is_transient(e), ==, cases[i].transient);
	}
}

static void
test_error_text(void)
{
	static const struct { const char *json, *text; } cases[] = {
		{ "{\"error\": \"Invalid phone\"}", "Invalid phone" },
		{ "{\"message\": \"instance account not authorized\"}", "instance account not authorized" },
		{ "{\"invokeStatus\": {\"method\": \"removeGroupParticipant\", \"used\": 100, \"total\": 100,"
		  " \"status\": \"QUOTE_EXCEEDED\", \"description\": \"Monthly quota has been exceeded\"}}",
		  "Monthly quota has been exceeded" },
		{ "{\"status\": 422, \"message\": \"Session status is not as expected\", \"error\": \"\"}",
		  "Session status is not as expected" },
		{ "[1,2]", NULL },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) n = parse(cases[i].json);
		g_autofree char *t = wag_json_error_text(n);
		g_assert_cmpstr(t, ==, cases[i].text);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/zapi/requests", test_zapi_requests);
	g_test_add_func("/core/zapi/replies", test_zapi_replies);
	g_test_add_func("/core/greenapi/requests", test_green_requests);
	g_test_add_func("/core/greenapi/replies", test_green_replies);
	g_test_add_func("/core/wawp/requests", test_wawp_requests);
	g_test_add_func("/core/wawp/replies", test_wawp_replies);
	g_test_add_func("/core/vendors/registry", test_registry);
	g_test_add_func("/core/phones", test_phones);
	g_test_add_func("/core/errors/classification", test_errors);
	g_test_add_func("/core/errors/vendor-text", test_error_text);
	return g_test_run();
}
