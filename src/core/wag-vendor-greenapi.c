/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Green API: API_URL/waInstanceINSTANCE/method/TOKEN. The API_URL is per
 * instance (api_base option). No communities, no join requests, one
 * participant per removal, and no membership webhooks (rosters are polled). */
#include "wag-vendor.h"
#include "wag-vendor-admin.h"
#include "wag-messaging.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

/* The request builders live in the admin half (wag-vendor-greenapi-admin.c), below this file. */
#define green_request wag_greenapi_request
#define group_body wag_greenapi_group_body

static WagRequest *
req_status(const WagCreds *c)
{
	return green_request(c, "GET", "getStateInstance", NULL);
}

static WagInstanceState
parse_status(guint http_status, JsonNode *body, char **detail)
{
	static const struct { const char *state; WagInstanceState s; } map[] = {
		{ "authorized", WAG_STATE_READY },
		{ "yellowCard", WAG_STATE_READY }, /* restricted for spam, still usable */
		{ "notAuthorized", WAG_STATE_NOT_AUTHORIZED },
		{ "blocked", WAG_STATE_BLOCKED },
		{ "sleepMode", WAG_STATE_PHONE_OFFLINE },
		{ "starting", WAG_STATE_STARTING },
	};
	const char *state = wag_json_str(wag_json_obj(body), "stateInstance");

	*detail = wag_json_error_text(body);
	/* source: Green API, "Creating and configuring an instance": "If the
	 * getStateInstance method response body is null, it means the instance
	 * is still being created" (up to 5 minutes): come back later. */
	if (http_status >= 200 && http_status < 300 && !state && !*detail &&
	    (!body || JSON_NODE_HOLDS_NULL(body) || (JSON_NODE_HOLDS_OBJECT(body) &&
	                                             json_object_get_size(json_node_get_object(body)) == 0))) {
		*detail = g_strdup(_("the instance is still being created"));
		return WAG_STATE_STARTING;
	}
	if (http_status >= 200 && http_status < 300) {
		for (guint i = 0; state && i < G_N_ELEMENTS(map); i++)
			if (strcmp(state, map[i].state) == 0) {
				if (!*detail)
					*detail = g_strdup(state);
				return map[i].s;
			}
		return WAG_STATE_UNKNOWN;
	}
	if (http_status == 401 || http_status == 403)
		return WAG_STATE_BAD_CREDENTIALS;
	if (http_status == 400 && *detail) {
		if (strstr(*detail, "starting"))
			return strstr(*detail, "not authorized") ? WAG_STATE_NOT_AUTHORIZED : WAG_STATE_STARTING;
		if (strstr(*detail, "not authorized"))
			return WAG_STATE_NOT_AUTHORIZED;
	}
	return WAG_STATE_UNKNOWN;
}

/* Not in the docs we rely on [U]: getWaSettings reports the account's phone.
 * If it fails, the admin pre-check is skipped and Green API's refusal is shown. */
static WagRequest *
req_me(const WagCreds *c)
{
	return green_request(c, "GET", "getWaSettings", NULL);
}

static char *
parse_me(JsonNode *body)
{
	return wag_phone_canonical(wag_json_str(wag_json_obj(body), "phone"));
}

/* source: Green API GetContacts (docs/api/service/GetContacts): URL parameter
 * `group`: "group=true" lists only groups. Older servers may ignore it, so
 * the reply is still filtered on type == "group". */
/* source: Green API GetWaSettings: {"phone", "stateInstance", "deviceId"}; the
 * newer page adds "chatId", the account's lid (empty while not authorized). */
static void
parse_info(JsonNode *body, WagInstanceInfo *info)
{
	JsonObject *o = wag_json_obj(body);
	char *phone = wag_phone_canonical(wag_json_str(o, "phone"));
	char *lid = wag_phone_canonical(wag_json_str(o, "chatId"));

	if (phone) {
		g_free(info->me);
		info->me = phone;
	}
	if (lid && wag_phone_is_lid(lid) && !g_ptr_array_find_with_equal_func(info->me_lids, lid, g_str_equal, NULL))
		g_ptr_array_add(info->me_lids, lid);
	else
		g_free(lid);
}

static WagRequest *
req_groups(const WagCreds *c, guint page)
{
	WagRequest *r = green_request(c, "GET", "getContacts", NULL);
	char *path = g_strconcat(r->path, "?group=true", NULL);
	g_free(r->path);
	r->path = path;
	return r;
}

static gboolean
parse_groups(JsonNode *body, GPtrArray *out, gboolean *more, GError **error)
{
	JsonArray *a = body && JSON_NODE_HOLDS_ARRAY(body) ? json_node_get_array(body) : NULL;

	*more = FALSE;
	if (!a) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent a contact list that is not a JSON array."), wag_vendor_greenapi.name);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *o = wag_json_obj(json_array_get_element(a, i));
		const char *id = wag_json_str(o, "id");
		/* An id no call could safely name is not listed at all. */
		if (id && g_strcmp0(wag_json_str(o, "type"), "group") == 0 &&
		    wag_vendor_check_id(&wag_vendor_greenapi, id, "group", NULL))
			g_ptr_array_add(out, wag_group_new(id, wag_json_str(o, "name")));
	}
	return TRUE;
}

/* GetContacts with group=false: the people, with the names WhatsApp shows
 * (tests/fixtures/greenapi/getContacts.reply.json). */
static WagRequest *
req_contacts(const WagCreds *c, guint page)
{
	WagRequest *r = green_request(c, "GET", "getContacts", NULL);
	char *path = g_strconcat(r->path, "?group=false", NULL);
	g_free(r->path);
	r->path = path;
	return r;
}

static gboolean
parse_contacts(JsonNode *body, GHashTable *names, gboolean *more, GError **error)
{
	JsonArray *a = body && JSON_NODE_HOLDS_ARRAY(body) ? json_node_get_array(body) : NULL;

	*more = FALSE; /* one reply lists them all */
	if (!a) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent a contact list that is not a JSON array."), wag_vendor_greenapi.name);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(a) && g_hash_table_size(names) < WAG_CONTACTS_MAX_NAMES; i++) {
		JsonObject *o = wag_json_obj(json_array_get_element(a, i));
		const char *name = wag_json_str(o, "name");
		char *id;

		if (!name || !*name || g_strcmp0(wag_json_str(o, "type"), "user") != 0)
			continue;
		id = wag_phone_canonical(wag_json_str(o, "id"));
		if (id)
			g_hash_table_replace(names, id, wag_subject_for_display(name));
	}
	return TRUE;
}

static WagRequest *
req_group_info(const WagCreds *c, const char *group)
{
	JsonBuilder *b = group_body(group);
	json_builder_end_object(b);
	return green_request(c, "POST", "getGroupData", b);
}

static gboolean
parse_group_info(JsonNode *body, WagGroup *g, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	JsonArray *parts = wag_json_arr(o, "participants");

	if (!o || !parts) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent group data without participants."), wag_vendor_greenapi.name);
		return FALSE;
	}
	if (wag_json_str(o, "subject")) {
		g_free(g->subject);
		g->subject = g_strdup(wag_json_str(o, "subject"));
	}
	g_free(g->owner);
	g->owner = wag_phone_canonical(wag_json_str(o, "owner"));
	g_hash_table_remove_all(g->participants);
	for (guint i = 0; i < json_array_get_length(parts); i++) {
		JsonObject *p = wag_json_obj(json_array_get_element(parts, i));
		g_autofree char *id = wag_phone_canonical(wag_json_str(p, "id"));
		WagRole role = WAG_ROLE_MEMBER;

		if (!id)
			continue;
		if (wag_json_bool(p, "isSuperAdmin", FALSE) || g_strcmp0(id, g->owner) == 0)
			role = WAG_ROLE_OWNER;
		else if (wag_json_bool(p, "isAdmin", FALSE))
			role = WAG_ROLE_ADMIN;
		wag_group_add_participant(g, id, role);
	}
	g->roster_loaded = TRUE;
	return TRUE;
}

static gboolean
is_community_id(const char *id)
{
	return FALSE;
}

static WagRequest *
req_action(const WagCreds *c, WagAction action, const WagGroup *target,
           const char *const *ids, guint n_ids, GError **error)
{
	JsonBuilder *b;

	if (!wag_vendor_check_id(&wag_vendor_greenapi, target->id, _("group"), error))
		return NULL;
	for (guint i = 0; i < n_ids; i++)
		if (!wag_vendor_check_id(&wag_vendor_greenapi, ids[i], _("participant"), error))
			return NULL;
	switch (action) {
	case WAG_ACTION_REMOVE:
		if (n_ids != 1) {
			g_set_error(error, WAG_ERROR, WAG_ERROR_UNSUPPORTED,
			            _("%s removes one participant per call."), wag_vendor_greenapi.name);
			return NULL;
		}
		b = group_body(target->id);
		json_builder_set_member_name(b, "participantChatId");
		{
			g_autofree char *chat_id = wag_phone_is_lid(ids[0]) ? g_strdup(ids[0])
			                                                    : g_strconcat(ids[0], "@c.us", NULL);
			json_builder_add_string_value(b, chat_id);
		}
		json_builder_end_object(b);
		return green_request(c, "POST", "removeGroupParticipant", b);
	case WAG_ACTION_ADD:
	case WAG_ACTION_PROMOTE:
	case WAG_ACTION_DEMOTE:
		return wag_greenapi_admin_request(c, action, target, ids, n_ids, error);
	case WAG_ACTION_LEAVE:
		b = group_body(target->id);
		json_builder_end_object(b);
		return green_request(c, "POST", "leaveGroup", b);
	case WAG_ACTION_APPROVE:
	case WAG_ACTION_REJECT:
		wag_unsupported(&wag_vendor_greenapi, error, _("join requests"));
		return NULL;
	default:
		wag_unsupported(&wag_vendor_greenapi, error, _("communities"));
		return NULL;
	}
}

static gboolean
parse_action(WagAction action, JsonNode *body, GError **error)
{
	JsonObject *o = wag_json_obj(body);

	if (action == WAG_ACTION_ADD || action == WAG_ACTION_PROMOTE || action == WAG_ACTION_DEMOTE)
		return wag_greenapi_admin_parse(action, body, error);
	if (action == WAG_ACTION_LEAVE && o && !wag_json_has_bool(o, "leaveGroup") &&
	    wag_json_has_bool(o, "removeAdmin"))
		return wag_check_flag(&wag_vendor_greenapi, body, "removeAdmin", error);
	if (action == WAG_ACTION_REMOVE && o && wag_json_has_bool(o, "removeParticipant") &&
	    !wag_json_bool(o, "removeParticipant", FALSE)) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_REFUSED,
		            _("%s did not remove the participant (not a member of the group?)."),
		            wag_vendor_greenapi.name);
		return FALSE;
	}
	return wag_check_flag(&wag_vendor_greenapi, body,
	                      action == WAG_ACTION_LEAVE ? "leaveGroup" : "removeParticipant", error);
}

/* Green API sends no membership webhooks at all: every one is noise here,
 * counted by the relay. Rosters are kept in sync by polling instead. */
static gboolean
normalize_webhook(JsonNode *body, GPtrArray *events, char **instance, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	JsonObject *data = o && json_object_has_member(o, "instanceData") ?
		wag_json_obj(json_object_get_member(o, "instanceData")) : NULL;

	if (!o) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY, _("A Green API webhook is a JSON object."));
		return FALSE;
	}
	*instance = wag_json_dup_id(data, "idInstance");
	return TRUE;
}

static char *webhook_id(JsonNode *body);

const WagVendor wag_vendor_greenapi = {
	.id = "greenapi",
	.name = "Green API",
	/* TRANSLATORS: completes "scan the QR code in %s"; keep or adapt the preposition there. */
	.panel = N_("the Green API console"),
	.default_base = "https://api.green-api.com",
	.batch_max = 1,
	.has_communities = FALSE,
	.has_membership_webhooks = FALSE,
	.has_join_requests = FALSE,
	.lists_requests = FALSE,
	/* source: Green API, "Request rate limiting" (docs/api/ratelimiter): per
	 * instance, GetStateInstance, GetContacts and GetGroupData 1 per second,
	 * GetWaSettings 1 per second, RemoveGroupParticipant and LeaveGroup 10 per
	 * second; more gives 429. */
	.min_spacing_ms = {
		[WAG_OP_STATUS] = 1000, [WAG_OP_ME] = 1000, [WAG_OP_GROUPS] = 1000,
		[WAG_OP_GROUP_INFO] = 1000, [WAG_OP_ACTION] = 100,
	},
	.valid_id = wag_id_is_jid_or_digits, /* chat ids (user@server) or a phone's digits */
	.req_status = req_status,
	.parse_status = parse_status,
	.req_me = req_me,
	.parse_me = parse_me,
	.parse_info = parse_info,
	.req_groups = req_groups,
	.parse_groups = parse_groups,
	.req_group_info = req_group_info,
	.parse_group_info = parse_group_info,
	.is_community_id = is_community_id,
	.req_action = req_action,
	.parse_action = parse_action,
	.normalize_webhook = normalize_webhook,
	.messaging = &wag_messaging_greenapi,
	.webhook_id = webhook_id,
	.req_edit = wag_greenapi_req_edit,
	.parse_edit = wag_greenapi_parse_edit,
	.req_invite_link = wag_greenapi_req_invite_link,
	.parse_invite_link = wag_greenapi_parse_invite_link,
	.req_contacts = req_contacts,
	.parse_contacts = parse_contacts,
};

/* Green API names each webhook with its top-level "idMessage". */
static char *
webhook_id(JsonNode *body)
{
	return wag_json_obj(body) ? wag_json_dup_id(wag_json_obj(body), "idMessage") : NULL;
}
