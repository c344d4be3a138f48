/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Wawp (on WAHA): https://api.wawp.net/v2/... Credentials go both in the
 * query and in JSON bodies (the docs disagree on which one counts). Group
 * listing, leave and join requests are WAHA paths Wawp does not document:
 * a 404 there means the instance does not offer it. */
#include "wag-vendor.h"
#include "wag-vendor-admin.h"
#include "wag-messaging.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

/* The request builder and the 403 reading live in the admin half
 * (wag-vendor-wawp-admin.c), below this file. */
#define wawp_request wag_wawp_request
#define action_error wag_wawp_action_error

static WagRequest *
req_status(const WagCreds *c)
{
	return wawp_request(c, "GET", NULL, "session/info", NULL);
}

/* source: WAHA docs, "Session Status": STOPPED - session is stopped; FAILED -
 * "either authorization is required again or device has been disconnected";
 * also PASSKEY_REQUIRED and PASSKEY_CONFIRMATION_REQUIRED. */
static WagInstanceState
parse_status(guint http_status, JsonNode *body, char **detail)
{
	const char *status = wag_json_str(wag_json_obj(body), "status");

	if (http_status >= 200 && http_status < 300) {
		*detail = g_strdup(status);
		if (!status)
			return WAG_STATE_UNKNOWN;
		if (strcmp(status, "WORKING") == 0)
			return WAG_STATE_READY;
		/* FAILED: the device was unlinked; only a new QR scan brings it back.
		 * PASSKEY_*: the link waits for the user at the phone as well. */
		if (strcmp(status, "SCAN_QR_CODE") == 0 || strcmp(status, "FAILED") == 0 ||
		    g_str_has_prefix(status, "PASSKEY_"))
			return WAG_STATE_NOT_AUTHORIZED;
		if (strcmp(status, "STARTING") == 0)
			return WAG_STATE_STARTING;
		if (strcmp(status, "STOPPED") == 0)
			return WAG_STATE_STOPPED;
		return WAG_STATE_UNKNOWN;
	}
	*detail = wag_json_error_text(body);
	if (http_status == 403 && *detail && strstr(*detail, "subscription_required"))
		return WAG_STATE_PLAN;
	if (http_status == 401 || http_status == 403 || http_status == 404)
		return WAG_STATE_BAD_CREDENTIALS;
	return WAG_STATE_UNKNOWN;
}

static WagRequest *
req_groups(const WagCreds *c, guint page)
{
	return wawp_request(c, "GET", NULL, "groups", NULL);
}

/* WAHA writes ids as strings or as {"_serialized": "..."}. */
static const char *
waha_id(JsonNode *n)
{
	JsonObject *o;
	if (!n)
		return NULL;
	if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
		return json_node_get_string(n);
	o = wag_json_obj(n);
	return wag_json_str(o, "_serialized");
}

/* The session info names the account: {"me": {"id": "...@c.us"}}. */
static char *
parse_me(JsonNode *body)
{
	JsonObject *o = wag_json_obj(body);
	JsonObject *me = o && json_object_has_member(o, "me") ? wag_json_obj(json_object_get_member(o, "me")) : NULL;
	return me && json_object_has_member(me, "id") ? wag_phone_canonical(waha_id(json_object_get_member(me, "id"))) : NULL;
}

/* {"name": "wawp-84729105", "status", "me": {"id", "lid"?, "pushName"}}: the
 * name is what webhooks carry in `session`. WAHA's MeInfo documents only id
 * and pushName; a lid (or an id that is a lid) is taken when present. */
static void
parse_info(JsonNode *body, WagInstanceInfo *info)
{
	JsonObject *o = wag_json_obj(body);
	JsonObject *me = o && json_object_has_member(o, "me") ? wag_json_obj(json_object_get_member(o, "me")) : NULL;
	const char *name = wag_json_str(o, "name");
	const char *keys[] = { "id", "lid" };

	if (name && *name) {
		g_free(info->session_name);
		info->session_name = g_strdup(name);
	}
	for (guint i = 0; me && i < G_N_ELEMENTS(keys); i++) {
		char *id = json_object_has_member(me, keys[i]) ? wag_phone_canonical(waha_id(json_object_get_member(me, keys[i]))) : NULL;
		if (!id)
			continue;
		if (wag_phone_is_lid(id) && !g_ptr_array_find_with_equal_func(info->me_lids, id, g_str_equal, NULL)) {
			g_ptr_array_add(info->me_lids, id);
		} else if (!wag_phone_is_lid(id)) {
			g_free(info->me);
			info->me = id;
		} else {
			g_free(id);
		}
	}
}

static void
add_group(GPtrArray *out, const char *fallback_id, JsonObject *o)
{
	const char *id = o && json_object_has_member(o, "id") ? waha_id(json_object_get_member(o, "id")) : NULL;
	const char *subject = wag_json_str(o, "subject");

	if (!subject)
		subject = wag_json_str(o, "name");
	if (!id)
		id = fallback_id;
	/* An id no call could safely name is not listed at all. */
	if (id && g_str_has_suffix(id, "@g.us") && wag_vendor_check_id(&wag_vendor_wawp, id, "group", NULL))
		g_ptr_array_add(out, wag_group_new(id, subject));
}

static gboolean
parse_groups(JsonNode *body, GPtrArray *out, gboolean *more, GError **error)
{
	*more = FALSE;
	if (body && JSON_NODE_HOLDS_ARRAY(body)) {
		JsonArray *a = json_node_get_array(body);
		for (guint i = 0; i < json_array_get_length(a); i++)
			add_group(out, NULL, wag_json_obj(json_array_get_element(a, i)));
		return TRUE;
	}
	if (body && JSON_NODE_HOLDS_OBJECT(body)) {
		/* Some engines answer a map keyed by group id. */
		JsonObjectIter it;
		const char *key;
		JsonNode *val;
		json_object_iter_init(&it, json_node_get_object(body));
		while (json_object_iter_next(&it, &key, &val))
			add_group(out, key, wag_json_obj(val));
		return TRUE;
	}
	g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
	            _("%s sent a group list in an unknown shape."), wag_vendor_wawp.name);
	return FALSE;
}

static WagRequest *
req_group_info(const WagCreds *c, const char *group)
{
	return wawp_request(c, "GET", group, "/participants", NULL);
}

/* The participant's role, in whichever spelling the engine uses:
 * v2 `role` ("superadmin" | "admin" | "participant" | "left"), NOWEB `admin`
 * ("superadmin" | "admin" | null), or the booleans `isSuperAdmin`/`isAdmin`
 * of Wawp's own page and of WEBJS. Returns FALSE for a participant who left. */
static gboolean
participant_role(JsonObject *p, WagRole *out)
{
	const char *role = wag_json_str(p, "role");
	const char *admin = wag_json_str(p, "admin");

	if (g_strcmp0(role, "left") == 0)
		return FALSE;
	if (g_strcmp0(role, "superadmin") == 0 || g_strcmp0(admin, "superadmin") == 0 ||
	    wag_json_bool(p, "isSuperAdmin", FALSE))
		*out = WAG_ROLE_OWNER;
	else if (g_strcmp0(role, "admin") == 0 || g_strcmp0(admin, "admin") == 0 ||
	         wag_json_bool(p, "isAdmin", FALSE))
		*out = WAG_ROLE_ADMIN;
	else
		*out = WAG_ROLE_MEMBER;
	return TRUE;
}

static gboolean
parse_group_info(JsonNode *body, WagGroup *g, GError **error)
{
	JsonArray *a = body && JSON_NODE_HOLDS_ARRAY(body) ? json_node_get_array(body) : NULL;

	/* Some engines wrap the list: {"participants": [...]}. */
	if (!a)
		a = wag_json_arr(wag_json_obj(body), "participants");
	if (!a) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent participants in an unknown shape."), wag_vendor_wawp.name);
		return FALSE;
	}
	g_hash_table_remove_all(g->participants);
	g_clear_pointer(&g->owner, g_free);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *p = wag_json_obj(json_array_get_element(a, i));
		const char *raw = p ? waha_id(json_object_get_member(p, "id")) : NULL;
		g_autofree char *id = NULL;
		WagRole r;

		/* A lid with a known phone number is shown as the phone. */
		if (raw && g_str_has_suffix(raw, "@lid") && wag_json_str(p, "pn"))
			raw = wag_json_str(p, "pn");
		id = wag_phone_canonical(raw);
		if (!id || !participant_role(p, &r))
			continue;
		/* The creator (super admin) is the owner. */
		if (r == WAG_ROLE_OWNER && !g->owner)
			g->owner = g_strdup(id);
		wag_group_add_participant(g, id, r);
	}
	g->roster_loaded = TRUE;
	return TRUE;
}

/* Contacts per page: the most /v2/contacts/all gives in one call. */
#define CONTACTS_PAGE 1000

/* /v2/contacts/all (api.wawp.net/en/docs/v2/contacts/all), paged by
 * limit/offset; sorted by id, which stays put between pages. */
static WagRequest *
req_contacts(const WagCreds *c, guint page)
{
	WagRequest *r = wawp_request(c, "GET", NULL, "contacts/all", NULL);
	char *path = g_strdup_printf("%s&limit=%u&offset=%u&sortBy=id&sortOrder=asc", r->path, CONTACTS_PAGE,
	                             (page ? page - 1 : 0) * CONTACTS_PAGE);
	g_free(r->path);
	r->path = path;
	return r;
}

static const char *
present(const char *text)
{
	for (const char *p = text; p && *p; p++)
		if (!g_ascii_isspace(*p))
			return text;
	return NULL;
}

/* WAHA's contacts (tests/fixtures/wawp/contacts-all.reply-waha.json: id a
 * string) or Wawp's page (contacts.reply-wawp-doc-shape.json: id an object
 * with _serialized). The name the person chose (pushname) comes first, as
 * for Green API and as messages carry it; else the address-book name.
 * Groups, the account itself and entries without a usable id or name are
 * skipped. */
static gboolean
parse_contacts(JsonNode *body, GHashTable *names, gboolean *more, GError **error)
{
	JsonArray *a = body && JSON_NODE_HOLDS_ARRAY(body) ? json_node_get_array(body) : NULL;

	*more = FALSE;
	if (!a) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent a contact list that is not a JSON array."), wag_vendor_wawp.name);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(a) && g_hash_table_size(names) < WAG_CONTACTS_MAX_NAMES; i++) {
		JsonObject *o = wag_json_obj(json_array_get_element(a, i));
		const char *name = present(wag_json_str(o, "pushname"));
		char *id;

		if (!name)
			name = present(wag_json_str(o, "name"));
		if (!name || wag_json_bool(o, "isMe", FALSE) || wag_json_bool(o, "isGroup", FALSE))
			continue;
		/* Lids stay lids: rosters name people by lid when no phone is known. */
		id = wag_phone_canonical(waha_id(json_object_get_member(o, "id")));
		if (id)
			g_hash_table_replace(names, id, wag_subject_for_display(name));
	}
	*more = json_array_get_length(a) >= CONTACTS_PAGE;
	return TRUE;
}

static gboolean
is_community_id(const char *id)
{
	return FALSE;
}

static JsonBuilder *
participants_body(const char *const *ids, guint n)
{
	JsonBuilder *b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "participants");
	json_builder_begin_array(b);
	for (guint i = 0; i < n; i++) {
		g_autofree char *id = wag_phone_is_lid(ids[i]) ? g_strdup(ids[i]) : g_strconcat(ids[i], "@c.us", NULL);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, id);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return b;
}

static WagRequest *
req_action(const WagCreds *c, WagAction action, const WagGroup *target,
           const char *const *ids, guint n_ids, GError **error)
{
	JsonBuilder *b;
	WagRequest *r;

	if (!wag_vendor_check_id(&wag_vendor_wawp, target->id, _("group"), error))
		return NULL;
	for (guint i = 0; i < n_ids; i++)
		if (!wag_vendor_check_id(&wag_vendor_wawp, ids[i], _("participant"), error))
			return NULL;
	switch (action) {
	case WAG_ACTION_REMOVE:
		r = wawp_request(c, "POST", target->id, "/participants/remove", participants_body(ids, n_ids));
		break;
	case WAG_ACTION_APPROVE:
		r = wawp_request(c, "POST", target->id, "/participants/join-requests/approve",
		                 participants_body(ids, n_ids));
		break;
	case WAG_ACTION_REJECT:
		r = wawp_request(c, "POST", target->id, "/participants/join-requests/reject",
		                 participants_body(ids, n_ids));
		break;
	case WAG_ACTION_LEAVE:
		b = json_builder_new();
		json_builder_begin_object(b);
		r = wawp_request(c, "POST", target->id, "/leave", b);
		break;
	/* Wawp docs (api.wawp.net/en/docs/v2/groups/{id}/...), WAHA groups how-to. */
	case WAG_ACTION_ADD:
		r = wawp_request(c, "POST", target->id, "/participants/add", participants_body(ids, n_ids));
		break;
	case WAG_ACTION_PROMOTE:
		r = wawp_request(c, "POST", target->id, "/admin/promote", participants_body(ids, n_ids));
		break;
	case WAG_ACTION_DEMOTE:
		r = wawp_request(c, "POST", target->id, "/admin/demote", participants_body(ids, n_ids));
		break;
	default:
		wag_unsupported(&wag_vendor_wawp, error, _("communities"));
		return NULL;
	}
	r->classify = action_error;
	return r;
}

static gboolean
parse_action(WagAction action, JsonNode *body, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	g_autofree char *why = NULL;

	/* WAHA engines answer various 2xx bodies: only an explicit "ok": false fails. */
	if (!o || !wag_json_has_bool(o, "ok") || wag_json_bool(o, "ok", TRUE))
		return TRUE;
	why = wag_json_error_text(body);
	g_set_error(error, WAG_ERROR, WAG_ERROR_REFUSED, _("%s refused the request: %s"),
	            wag_vendor_wawp.name, why ? why : "ok: false");
	return FALSE;
}

static WagRequest *
req_requests(const WagCreds *c, const char *group)
{
	return wawp_request(c, "GET", group, "/participants/join-requests", NULL);
}

static gboolean
parse_requests(JsonNode *body, GPtrArray *out_ids, GError **error)
{
	JsonArray *a = body && JSON_NODE_HOLDS_ARRAY(body) ? json_node_get_array(body) : NULL;

	if (!a) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent join requests in an unknown shape."), wag_vendor_wawp.name);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		JsonObject *o = wag_json_obj(n);
		const char *raw = o ? wag_json_str(o, "pn") : waha_id(n);
		char *id;

		if (!raw && o)
			raw = json_object_has_member(o, "requesterId") ? waha_id(json_object_get_member(o, "requesterId"))
			                                               : waha_id(json_object_get_member(o, "id"));
		id = wag_phone_canonical(raw);
		if (id)
			g_ptr_array_add(out_ids, id);
	}
	return TRUE;
}

/* Participants come as [{"id"}], ["..."] or {"0": "..."}; all are accepted. */
static void
add_ids(JsonNode *n, WagEvent *e)
{
	if (!n)
		return;
	if (JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *item = json_array_get_element(a, i);
			JsonObject *po = wag_json_obj(item);
			const char *raw = po ? (wag_json_str(po, "pn") ? wag_json_str(po, "pn")
			                        : waha_id(json_object_get_member(po, "id"))) : waha_id(item);
			char *id = wag_phone_canonical(raw);
			if (id)
				g_ptr_array_add(e->participants, id);
		}
	} else if (JSON_NODE_HOLDS_OBJECT(n)) {
		JsonObjectIter it;
		const char *key;
		JsonNode *val;
		json_object_iter_init(&it, json_node_get_object(n));
		while (json_object_iter_next(&it, &key, &val)) {
			char *id = wag_phone_canonical(waha_id(val));
			if (id)
				g_ptr_array_add(e->participants, id);
		}
	}
}

static gboolean
normalize_webhook(JsonNode *body, GPtrArray *events, char **instance, GError **error)
{
	static const struct { const char *word; WagEventKind ev; } kinds[] = {
		{ "join", WAG_EVENT_ADDED }, { "add", WAG_EVENT_ADDED },
		{ "leave", WAG_EVENT_LEFT }, { "remove", WAG_EVENT_LEFT }, /* WAHA cannot tell them apart */
		{ "promote", WAG_EVENT_PROMOTED }, { "demote", WAG_EVENT_DEMOTED },
		{ "created", WAG_EVENT_JOIN_REQUESTED },
		{ "revoked", WAG_EVENT_JOIN_REVOKED }, { "rejected", WAG_EVENT_JOIN_REVOKED },
	};
	JsonObject *o = wag_json_obj(body);
	const char *event = wag_json_str(o, "event");
	JsonObject *p = o && json_object_has_member(o, "payload") ? wag_json_obj(json_object_get_member(o, "payload")) : NULL;
	JsonObject *grp = p && json_object_has_member(p, "group") ? wag_json_obj(json_object_get_member(p, "group")) : NULL;
	const char *type, *group;
	gboolean request;
	WagEvent *e = NULL;

	if (!o) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY, _("A Wawp webhook is a JSON object."));
		return FALSE;
	}
	/* Documented envelopes name the session (its name, from /v2/session/info),
	 * not the instance id: that is the instance the event is for. */
	*instance = g_strdup(wag_json_str(o, "session") ? wag_json_str(o, "session") : wag_json_str(o, "instance_id"));
	if (g_strcmp0(event, "group.v2.update") == 0 && p) {
		/* WAHA: payload.group {id, subject...}; Wawp's own page: payload {chatId, subject...}. */
		guint before = events->len;
		group = grp && json_object_has_member(grp, "id") ? waha_id(json_object_get_member(grp, "id"))
		        : wag_json_str(p, "chatId");
		if (group)
			wag_wawp_group_update(p, grp ? grp : p, group, events);
		for (guint i = before; i < events->len; i++) {
			WagEvent *u = events->pdata[i];
			u->vendor = g_strdup("wawp");
			u->instance = g_strdup(*instance);
			u->at = wag_json_int(p, "timestamp", u->at / 1000) * 1000;
		}
		return TRUE;
	}
	if (!event || !p || !g_str_has_prefix(event, "group.") || !strstr(event, "participants"))
		return TRUE;
	request = g_str_has_suffix(event, "join-request");
	type = wag_json_str(p, request ? "action" : "type");
	if (!type)
		type = wag_json_str(p, "action");
	group = grp && json_object_has_member(grp, "id") ? waha_id(json_object_get_member(grp, "id")) : NULL;
	if (!group)
		group = wag_json_str(p, "chatId");
	for (guint i = 0; type && group && i < G_N_ELEMENTS(kinds) && !e; i++)
		if (g_str_equal(type, kinds[i].word) &&
		    request == (kinds[i].ev == WAG_EVENT_JOIN_REQUESTED || kinds[i].ev == WAG_EVENT_JOIN_REVOKED))
			e = wag_event_new(kinds[i].ev, group);
	if (!e)
		return TRUE;
	if (request) {
		char *id = wag_phone_canonical(wag_json_str(p, "requesterPn") ? wag_json_str(p, "requesterPn")
		                               : json_object_has_member(p, "requesterId") ? waha_id(json_object_get_member(p, "requesterId")) : NULL);
		if (id)
			g_ptr_array_add(e->participants, id);
	} else {
		add_ids(json_object_get_member(p, "participants"), e);
	}
	if (!e->participants->len) {
		wag_event_free(e);
		return TRUE;
	}
	e->vendor = g_strdup("wawp");
	e->instance = g_strdup(*instance);
	e->at = wag_json_int(p, "timestamp", e->at / 1000) * 1000;
	g_ptr_array_add(events, e);
	return TRUE;
}

static char *webhook_id(JsonNode *body);

const WagVendor wag_vendor_wawp = {
	.id = "wawp",
	.name = "Wawp",
	/* TRANSLATORS: completes "scan the QR code in %s"; keep or adapt the preposition there. */
	.panel = N_("the Wawp dashboard"),
	.default_base = "https://api.wawp.net",
	.batch_max = 50,
	.has_communities = FALSE,
	.has_membership_webhooks = TRUE,
	.has_join_requests = TRUE,
	.lists_requests = TRUE,
	.req_status = req_status,
	.parse_status = parse_status,
	.req_me = req_status,
	.parse_me = parse_me,
	.parse_info = parse_info,
	.valid_id = wag_id_is_jid_or_digits, /* chat ids (user@server) or a phone's digits */
	.req_groups = req_groups,
	.parse_groups = parse_groups,
	.req_group_info = req_group_info,
	.parse_group_info = parse_group_info,
	.is_community_id = is_community_id,
	.req_action = req_action,
	.parse_action = parse_action,
	.req_requests = req_requests,
	.parse_requests = parse_requests,
	.normalize_webhook = normalize_webhook,
	.messaging = &wag_messaging_wawp,
	.webhook_id = webhook_id,
	.req_edit = wag_wawp_req_edit,
	.parse_edit = wag_wawp_parse_edit,
	.req_invite_link = wag_wawp_req_invite_link,
	.parse_invite_link = wag_wawp_parse_invite_link,
	.req_contacts = req_contacts,
	.parse_contacts = parse_contacts,
};

/* WAHA/Wawp names each webhook with its top-level "id". */
static char *
webhook_id(JsonNode *body)
{
	return wag_json_obj(body) ? wag_json_dup_id(wag_json_obj(body), "id") : NULL;
}
