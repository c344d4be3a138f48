/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Z-API: https://api.z-api.io/instances/INSTANCE/token/TOKEN/...
 * Quirks kept here: Client-Token header, booleans as strings, `success` vs
 * `value` flags, communities as bare numbers, no join-request listing. */
#include "wag-vendor.h"
#include "wag-vendor-admin.h"
#include "wag-messaging.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

/* The request builder lives in the admin half (wag-vendor-zapi-admin.c), below this file. */
#define zapi_request wag_zapi_request

static WagRequest *
req_status(const WagCreds *c)
{
	return zapi_request(c, "GET", "status");
}

static WagInstanceState
parse_status(guint http_status, JsonNode *body, char **detail)
{
	JsonObject *o = wag_json_obj(body);
	const char *err = wag_json_str(o, "error");

	{
		g_autofree char *text = wag_json_error_text(body);
		*detail = wag_zapi_error_text(text);
	}
	if (http_status >= 200 && http_status < 300) {
		if (!o || !wag_json_has_bool(o, "connected"))
			return WAG_STATE_UNKNOWN;
		if (wag_json_bool(o, "connected", FALSE))
			return WAG_STATE_READY;
		if (err && strstr(err, "restore"))
			return WAG_STATE_PHONE_OFFLINE;
		return WAG_STATE_NOT_AUTHORIZED;
	}
	/* Z-API documents no status code for a bad token: any client error on
	 * the status call, other than a protocol or rate error, is a refusal of
	 * the credentials, reported with Z-API's own words. */
	if (http_status >= 400 && http_status < 500 && http_status != 405 &&
	    http_status != 415 && http_status != 429)
		return WAG_STATE_BAD_CREDENTIALS;
	return WAG_STATE_UNKNOWN;
}

/* Not in the docs we rely on [U]: Z-API's device data carries the phone.
 * If it fails, the admin pre-check is skipped and Z-API's refusal is shown. */
static WagRequest *
req_me(const WagCreds *c)
{
	return zapi_request(c, "GET", "device");
}

static char *
parse_me(JsonNode *body)
{
	return wag_phone_canonical(wag_json_str(wag_json_obj(body), "phone"));
}

#define PAGE_SIZE 100

static WagRequest *
req_groups(const WagCreds *c, guint page)
{
	return zapi_request(c, "GET", "groups?page=%u&pageSize=%u", page, PAGE_SIZE);
}

static gboolean
parse_list(JsonNode *body, GPtrArray *out, gboolean *more, const char *id_key,
           gboolean communities, GError **error)
{
	JsonArray *a = body && JSON_NODE_HOLDS_ARRAY(body) ? json_node_get_array(body) : NULL;
	guint n;

	if (!a) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent a list that is not a JSON array."), wag_vendor_zapi.name);
		return FALSE;
	}
	n = json_array_get_length(a);
	for (guint i = 0; i < n; i++) {
		JsonObject *o = wag_json_obj(json_array_get_element(a, i));
		g_autofree char *id = wag_json_dup_id(o, id_key);
		WagGroup *g;

		/* An id no call could safely name is not listed at all. */
		if (!id || (!communities && !wag_json_bool(o, "isGroup", TRUE)) ||
		    !wag_vendor_check_id(&wag_vendor_zapi, id, "group", NULL))
			continue;
		g = wag_group_new(id, wag_json_str(o, "name"));
		g->is_community = communities;
		g_ptr_array_add(out, g);
	}
	/* The docs do not say how the end shows: a short page is the last one
	 * (wag_pager also stops on a page that adds nothing new). */
	*more = n >= PAGE_SIZE;
	return TRUE;
}

static gboolean
parse_groups(JsonNode *body, GPtrArray *out, gboolean *more, GError **error)
{
	return parse_list(body, out, more, "phone", FALSE, error);
}

static WagRequest *
req_communities(const WagCreds *c, guint page)
{
	return zapi_request(c, "GET", "communities?page=%u&pageSize=%u", page, PAGE_SIZE);
}

static gboolean
parse_communities(JsonNode *body, GPtrArray *out, gboolean *more, GError **error)
{
	return parse_list(body, out, more, "id", TRUE, error);
}

static WagRequest *
req_community_info(const WagCreds *c, const char *community)
{
	g_autofree char *id = wag_escape(community);
	return zapi_request(c, "GET", "communities-metadata/%s", id);
}

static gboolean
parse_community_info(JsonNode *body, WagGroup *community, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	JsonArray *subs = wag_json_arr(o, "subGroups");

	if (!o || !subs) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent community data without its groups."), wag_vendor_zapi.name);
		return FALSE;
	}
	community->is_community = TRUE;
	g_ptr_array_set_size(community->subgroups, 0);
	g_clear_pointer(&community->announcement_id, g_free);
	if (wag_json_str(o, "name")) {
		g_free(community->subject);
		community->subject = g_strdup(wag_json_str(o, "name"));
	}
	for (guint i = 0; i < json_array_get_length(subs); i++) {
		JsonObject *s = wag_json_obj(json_array_get_element(subs, i));
		const char *phone = wag_json_str(s, "phone");
		if (!phone || !wag_vendor_check_id(&wag_vendor_zapi, phone, "group", NULL))
			continue;
		g_ptr_array_add(community->subgroups, g_strdup(phone));
		if (wag_json_bool(s, "isGroupAnnouncement", FALSE) && !community->announcement_id)
			community->announcement_id = g_strdup(phone);
	}
	return TRUE;
}

static WagRequest *
req_group_info(const WagCreds *c, const char *group)
{
	g_autofree char *id = wag_escape(group);
	/* The light form skips the invite link and answers faster. */
	return zapi_request(c, "GET", "light-group-metadata/%s", id);
}

static gboolean
parse_group_info(JsonNode *body, WagGroup *g, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	JsonArray *parts = wag_json_arr(o, "participants");
	g_autofree char *community = wag_json_dup_id(o, "communityId");

	if (!o || !parts) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent group data without participants."), wag_vendor_zapi.name);
		return FALSE;
	}
	if (wag_json_str(o, "subject")) {
		g_free(g->subject);
		g->subject = g_strdup(wag_json_str(o, "subject"));
	}
	g_free(g->owner);
	g->owner = wag_phone_canonical(wag_json_str(o, "owner"));
	if (community && *community && wag_vendor_check_id(&wag_vendor_zapi, community, "community", NULL)) {
		g_free(g->community_id);
		g->community_id = g_steal_pointer(&community);
	}
	g_hash_table_remove_all(g->participants);
	for (guint i = 0; i < json_array_get_length(parts); i++) {
		JsonObject *p = wag_json_obj(json_array_get_element(parts, i));
		g_autofree char *raw = wag_json_dup_id(p, "phone");
		g_autofree char *id = wag_phone_canonical(raw);
		WagRole role = WAG_ROLE_MEMBER;
		WagParticipant *wp;

		if (!id)
			continue;
		if (wag_json_bool(p, "isSuperAdmin", FALSE) || g_strcmp0(id, g->owner) == 0)
			role = WAG_ROLE_OWNER;
		else if (wag_json_bool(p, "isAdmin", FALSE))
			role = WAG_ROLE_ADMIN;
		wp = wag_group_add_participant(g, id, role);
		if (wag_json_str(p, "name")) {
			g_free(wp->name);
			wp->name = wag_subject_for_display(wag_json_str(p, "name")); /* bounded, printable */
		}
	}
	wag_zapi_read_settings(o, g);
	g->roster_loaded = TRUE;
	return TRUE;
}

static gboolean
is_community_id(const char *id)
{
	if (!id || !*id)
		return FALSE;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isdigit(*p))
			return FALSE;
	return TRUE;
}

static void
add_strv(JsonBuilder *b, const char *member, const char *const *ids, guint n)
{
	json_builder_set_member_name(b, member);
	json_builder_begin_array(b);
	for (guint i = 0; i < n; i++)
		json_builder_add_string_value(b, ids[i]);
	json_builder_end_array(b);
}

static WagRequest *
req_action(const WagCreds *c, WagAction action, const WagGroup *target,
           const char *const *ids, guint n_ids, GError **error)
{
	static const char *const paths[] = {
		[WAG_ACTION_REMOVE] = "remove-participant",
		[WAG_ACTION_APPROVE] = "approve-participant",
		[WAG_ACTION_REJECT] = "reject-participant",
		[WAG_ACTION_LEAVE] = "leave-group",
		[WAG_ACTION_UNLINK] = "communities/unlink",
		[WAG_ACTION_ADD] = "add-participant",
		[WAG_ACTION_PROMOTE] = "add-admin",
		[WAG_ACTION_DEMOTE] = "remove-admin",
		[WAG_ACTION_LINK] = "communities/link",
	};
	JsonBuilder *b;
	WagRequest *r;

	if (!wag_vendor_check_id(&wag_vendor_zapi, target->id, target->is_community ? _("community") : _("group"), error))
		return NULL;
	for (guint i = 0; i < n_ids; i++)
		if (!wag_vendor_check_id(&wag_vendor_zapi, ids[i],
		                         action == WAG_ACTION_UNLINK || action == WAG_ACTION_LINK ? _("group") : _("participant"),
		                         error))
			return NULL;
	b = json_builder_new();
	if (action >= WAG_ACTION_LAST) {
		g_object_unref(b);
		return (wag_unsupported(&wag_vendor_zapi, error, "this"), NULL);
	}
	if (target->is_community && action != WAG_ACTION_REMOVE && action != WAG_ACTION_UNLINK &&
	    action != WAG_ACTION_LINK && action != WAG_ACTION_ADD && action != WAG_ACTION_PROMOTE &&
	    action != WAG_ACTION_DEMOTE) {
		g_object_unref(b);
		g_set_error(error, WAG_ERROR, WAG_ERROR_UNSUPPORTED,
		            _("%s: this works in a group, not in a community."), wag_vendor_zapi.name);
		return NULL;
	}
	json_builder_begin_object(b);
	if (action == WAG_ACTION_ADD) {
		/* add-participant.md: autoInvite sends the group's link privately to
		 * those WhatsApp's privacy settings do not let us add. */
		json_builder_set_member_name(b, "autoInvite");
		json_builder_add_boolean_value(b, TRUE);
	}
	json_builder_set_member_name(b, target->is_community ? "communityId" : "groupId");
	json_builder_add_string_value(b, target->id);
	if (action == WAG_ACTION_UNLINK || action == WAG_ACTION_LINK)
		add_strv(b, "groupsPhones", ids, n_ids);
	else if (action != WAG_ACTION_LEAVE)
		add_strv(b, "phones", ids, n_ids);
	json_builder_end_object(b);
	r = zapi_request(c, "POST", "%s", paths[action]);
	wag_request_set_body(r, b);
	return r;
}

static gboolean
parse_action(WagAction action, JsonNode *body, GError **error)
{
	return wag_check_flag(&wag_vendor_zapi, body, action == WAG_ACTION_UNLINK || action == WAG_ACTION_LINK ? "success" : "value",
	                      error);
}

/* Z-API ids: phones (digits), groups ("1203...-group", "5511...-1623281429"),
 * communities (digits) and "...@lid". */
static gboolean
valid_id(const char *id)
{
	for (const char *p = id; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '@' && *p != '.')
			return FALSE;
	return TRUE;
}

/* Everything Z-API sends arrives on the one "received" webhook: look at the
 * notification first, so messages cost one member lookup. */
static gboolean
normalize_webhook(JsonNode *body, GPtrArray *events, char **instance, GError **error)
{
	/* source: Z-API docs, webhooks/on-message-received.md (ADD, REMOVE, LEAVE,
	 * MEMBERSHIP_APPROVAL_REQUEST, REVOKED_MEMBERSHIP_REQUESTS); the other
	 * names are WhatsApp's own system-message kinds (the enum of them in
	 * WAProto's WebMessageInfo), which Z-API passes on: every way of joining
	 * is an addition. */
	static const struct { const char *kind; WagEventKind ev; } kinds[] = {
		{ "GROUP_PARTICIPANT_ADD", WAG_EVENT_ADDED },
		{ "GROUP_PARTICIPANT_INVITE", WAG_EVENT_ADDED },
		{ "GROUP_PARTICIPANT_ACCEPT", WAG_EVENT_ADDED },
		{ "GROUP_PARTICIPANT_ADD_REQUEST_JOIN", WAG_EVENT_ADDED },
		{ "GROUP_PARTICIPANT_LINKED_GROUP_JOIN", WAG_EVENT_ADDED },
		{ "GROUP_PARTICIPANT_JOINED_GROUP_AND_PARENT_GROUP", WAG_EVENT_ADDED },
		{ "GROUP_PARTICIPANT_REMOVE", WAG_EVENT_REMOVED },
		{ "GROUP_PARTICIPANT_LEAVE", WAG_EVENT_LEFT },
		{ "GROUP_PARTICIPANT_PROMOTE", WAG_EVENT_PROMOTED },
		{ "GROUP_PARTICIPANT_DEMOTE", WAG_EVENT_DEMOTED },
		{ "MEMBERSHIP_APPROVAL_REQUEST", WAG_EVENT_JOIN_REQUESTED },
		{ "REVOKED_MEMBERSHIP_REQUESTS", WAG_EVENT_JOIN_REVOKED },
	};
	JsonObject *o = wag_json_obj(body);
	const char *kind = wag_json_str(o, "notification");
	const char *group = wag_json_str(o, "phone");
	JsonArray *params = wag_json_arr(o, "notificationParameters");
	g_autofree char *actor = NULL;
	WagEvent *e = NULL;

	if (!o) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY, _("A Z-API webhook is a JSON object."));
		return FALSE;
	}
	*instance = g_strdup(wag_json_str(o, "instanceId"));
	if (!kind || !group || !wag_json_bool(o, "isGroup", TRUE))
		return TRUE; /* messages, receipts, presence: not ours */
	for (guint i = 0; i < G_N_ELEMENTS(kinds) && !e; i++)
		if (g_str_equal(kind, kinds[i].kind))
			e = wag_event_new(kinds[i].ev, group);
	if (!e && g_str_has_prefix(kind, "GROUP_PARTICIPANT_")) {
		/* A participant change we cannot read (a number change, a kind new
		 * to us): the roster is read again instead of guessed. */
		e = wag_event_new(WAG_EVENT_ROSTER_CHANGED, group);
		e->vendor = g_strdup("zapi");
		e->instance = g_strdup(*instance);
		e->at = wag_json_int(o, "momment", e->at);
		g_ptr_array_add(events, e);
		return TRUE;
	}
	if (!e)
		return TRUE;
	actor = wag_phone_canonical(wag_json_str(o, "participantPhone"));
	/* Z-API's envelope also carries the actor's lid (webhooks/on-message-received.md
	 * examples: "participantLid"): the fallback when no phone is given. */
	if (!actor)
		actor = wag_phone_canonical(wag_json_str(o, "participantLid"));
	for (guint i = 0; params && i < json_array_get_length(params); i++) {
		JsonNode *n = json_array_get_element(params, i);
		char *id = JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING ?
		           wag_phone_canonical(json_node_get_string(n)) : NULL;
		if (id)
			g_ptr_array_add(e->participants, id);
	}
	if (e->kind == WAG_EVENT_JOIN_REQUESTED && e->participants->len > 1) {
		/* non_admin_add names the adder and the requester; which is which is
		 * not documented: the last one is taken as the requester. */
		char *last = g_ptr_array_steal_index(e->participants, e->participants->len - 1);
		g_ptr_array_set_size(e->participants, 0);
		g_ptr_array_add(e->participants, last);
	}
	/* Who acted is who changed, when nobody else is named: one who left, asked,
	 * withdrew, or joined by a link. */
	if (!e->participants->len && actor && (e->kind == WAG_EVENT_LEFT || e->kind == WAG_EVENT_JOIN_REQUESTED ||
	                                       e->kind == WAG_EVENT_JOIN_REVOKED ||
	                                       (e->kind == WAG_EVENT_ADDED && !g_str_equal(kind, "GROUP_PARTICIPANT_ADD"))))
		g_ptr_array_add(e->participants, g_strdup(actor));
	if (!e->participants->len) {
		wag_event_free(e);
		return TRUE;
	}
	if (actor && e->kind != WAG_EVENT_LEFT && e->kind != WAG_EVENT_JOIN_REQUESTED &&
	    e->kind != WAG_EVENT_JOIN_REVOKED)
		e->actor = g_steal_pointer(&actor);
	e->vendor = g_strdup("zapi");
	e->instance = g_strdup(*instance);
	e->at = wag_json_int(o, "momment", e->at);
	g_ptr_array_add(events, e);
	return TRUE;
}

static char *webhook_id(JsonNode *body);

const WagVendor wag_vendor_zapi = {
	.id = "zapi",
	.name = "Z-API",
	/* TRANSLATORS: completes "scan the QR code in %s"; keep or adapt the preposition there. */
	.panel = N_("the Z-API panel"),
	.default_base = "https://api.z-api.io",
	.batch_max = 50,
	.has_communities = TRUE,
	.has_membership_webhooks = TRUE,
	.has_join_requests = TRUE,
	.lists_requests = FALSE,
	.page_size = PAGE_SIZE,
	.valid_id = valid_id,
	.req_status = req_status,
	.parse_status = parse_status,
	.req_me = req_me,
	.parse_me = parse_me,
	.req_groups = req_groups,
	.parse_groups = parse_groups,
	.req_communities = req_communities,
	.parse_communities = parse_communities,
	.req_community_info = req_community_info,
	.parse_community_info = parse_community_info,
	.req_group_info = req_group_info,
	.parse_group_info = parse_group_info,
	.is_community_id = is_community_id,
	.req_action = req_action,
	.parse_action = parse_action,
	.normalize_webhook = normalize_webhook,
	.messaging = &wag_messaging_zapi,
	.webhook_id = webhook_id,
	.req_edit = wag_zapi_req_edit,
	.parse_edit = wag_zapi_parse_edit,
	.req_invite_link = wag_zapi_req_invite_link,
	.parse_invite_link = wag_zapi_parse_invite_link,
};

/* Z-API names each webhook with its top-level "messageId". */
static char *
webhook_id(JsonNode *body)
{
	return wag_json_obj(body) ? wag_json_dup_id(wag_json_obj(body), "messageId") : NULL;
}
