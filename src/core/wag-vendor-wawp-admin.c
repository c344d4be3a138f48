/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Wawp (WAHA paths) group administration (issue 18). Source:
 * devlikeapro/waha-docs@1a6f1c4 content/docs/how-to/groups/index.md
 * ("Set group subject", "Set group description", "Security - ...", "Invite
 * code") and events-group.v2.update.md; Wawp serves the same under
 * /v2/groups/{id}/. WAHA documents no membership-approval or add-mode API. */
#include "wag-vendor-admin.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include <string.h>

static const WagVendor *
wawp(void)
{
	return wag_vendor_lookup("wawp");
}

WagRequest *
wag_wawp_request(const WagCreds *c, const char *method, const char *group, const char *tail, JsonBuilder *body)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	g_autofree char *gid = group ? wag_escape(group) : NULL;
	WagRequest *r = wag_request_new(wawp(), method,
		g_strdup_printf("/v2/%s%s%s?instance_id=%s&access_token=%s",
		                gid ? "groups/" : "", gid ? gid : "", tail, inst, tok));

	if (body) {
		json_builder_set_member_name(body, "instance_id");
		json_builder_add_string_value(body, c->instance);
		json_builder_set_member_name(body, "access_token");
		json_builder_add_string_value(body, c->token);
		json_builder_end_object(body);
		wag_request_set_body(r, body);
	}
	return r;
}

/* A 403 on a group action is WhatsApp refusing a non-admin, unless it is the
 * plan's subscription_required (Wawp's error words, seed 003). */
GError *
wag_wawp_action_error(guint http_status, const char *vendor_text)
{
	if (http_status != 403 || (vendor_text && strstr(vendor_text, "subscription_required")))
		return NULL;
	if (vendor_text && *vendor_text)
		return g_error_new(WAG_ERROR, WAG_ERROR_NOT_ADMIN,
		                   _("%s: this account is not an admin of the group (%u): %s"),
		                   wawp()->name, http_status, vendor_text);
	return g_error_new(WAG_ERROR, WAG_ERROR_NOT_ADMIN, _("%s: this account is not an admin of the group (%u)"),
	                   wawp()->name, http_status);
}

WagRequest *
wag_wawp_req_edit(const WagCreds *c, const WagGroup *g, const WagEdit *edit, GError **error)
{
	JsonBuilder *b;
	const char *tail;
	WagRequest *r;

	if (!wag_vendor_check_id(wawp(), g->id, _("group"), error))
		return NULL;
	b = json_builder_new();
	json_builder_begin_object(b);
	switch (edit->kind) {
	case WAG_EDIT_SUBJECT:
	case WAG_EDIT_DESCRIPTION:
		json_builder_set_member_name(b, edit->kind == WAG_EDIT_SUBJECT ? "subject" : "description");
		json_builder_add_string_value(b, edit->text);
		tail = edit->kind == WAG_EDIT_SUBJECT ? "/subject" : "/description";
		break;
	default:
		if (edit->setting != WAG_SETTING_ANNOUNCE && edit->setting != WAG_SETTING_LOCKED) {
			g_object_unref(b);
			wag_unsupported(wawp(), error, edit->setting == WAG_SETTING_APPROVAL ?
			                _("membership approval") : _("who may add participants"));
			return NULL;
		}
		json_builder_set_member_name(b, "adminsOnly");
		json_builder_add_boolean_value(b, edit->on);
		tail = edit->setting == WAG_SETTING_ANNOUNCE ? "/settings/security/messages-admin-only"
		                                             : "/settings/security/info-admin-only";
		break;
	}
	r = wag_wawp_request(c, "PUT", g->id, tail, b);
	r->classify = wag_wawp_action_error;
	return r;
}

gboolean
wag_wawp_parse_edit(const WagEdit *edit, JsonNode *body, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	g_autofree char *why = NULL;

	/* "Returns true if ... properly updated. This can return false if the
	 * user does not have the necessary permissions." */
	if (body && JSON_NODE_HOLDS_VALUE(body) && json_node_get_value_type(body) == G_TYPE_BOOLEAN &&
	    !json_node_get_boolean(body)) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_NOT_ADMIN,
		            _("%s refused the change (this account may not have the permission)."), wawp()->name);
		return FALSE;
	}
	if (!o || !wag_json_has_bool(o, "ok") || wag_json_bool(o, "ok", TRUE))
		return TRUE;
	why = wag_json_error_text(body);
	g_set_error(error, WAG_ERROR, WAG_ERROR_REFUSED, _("%s refused the request: %s"),
	            wawp()->name, why ? why : "ok: false");
	return FALSE;
}

WagRequest *
wag_wawp_req_invite_link(const WagCreds *c, const WagGroup *g, gboolean reset, GError **error)
{
	WagRequest *r;

	if (!wag_vendor_check_id(wawp(), g->id, _("group"), error))
		return NULL;
	if (reset) {
		JsonBuilder *b = json_builder_new();
		json_builder_begin_object(b);
		r = wag_wawp_request(c, "POST", g->id, "/invite-code/revoke", b);
	} else {
		r = wag_wawp_request(c, "GET", g->id, "/invite-code", NULL);
	}
	r->classify = wag_wawp_action_error;
	return r;
}

/* WAHA answers the code (a JSON string, or an object naming it); the link
 * is https://chat.whatsapp.com/{inviteCode}. */
char *
wag_wawp_parse_invite_link(JsonNode *body, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	const char *code = NULL;

	if (body && JSON_NODE_HOLDS_VALUE(body) && json_node_get_value_type(body) == G_TYPE_STRING)
		code = json_node_get_string(body);
	else if (o)
		code = wag_json_str(o, "inviteCode") ? wag_json_str(o, "inviteCode") : wag_json_str(o, "code");
	if (!code || !*code || strlen(code) > 200) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent a reply without the expected \"%s\" field."), wawp()->name, "inviteCode");
		return NULL;
	}
	if (g_str_has_prefix(code, "https://"))
		return g_strdup(code);
	for (const char *p = code; *p; p++)
		if (!g_ascii_isalnum(*p)) {
			g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY, _("%s sent an invite code that is not one."),
			            wawp()->name);
			return NULL;
		}
	return g_strconcat("https://chat.whatsapp.com/", code, NULL);
}

/* group.v2.update (events-group.v2.update.md): "group information with
 * updates field (may contain all fields in some engines)", named as in
 * group.v2.join: subject, membersCanSendMessages, membersCanAddNewMember,
 * newMembersApprovalRequired. */
void
wag_wawp_group_update(JsonObject *payload, JsonObject *group, const char *group_id, GPtrArray *events)
{
	static const struct { const char *member; WagSetting setting; gboolean inverted; } flags[] = {
		{ "membersCanSendMessages", WAG_SETTING_ANNOUNCE, TRUE },
		{ "membersCanAddNewMember", WAG_SETTING_ADMINS_ADD, TRUE },
		{ "newMembersApprovalRequired", WAG_SETTING_APPROVAL, FALSE },
	};
	const char *subject = wag_json_str(group, "subject");
	WagEvent *set = NULL;

	if (subject && *subject) {
		WagEvent *e = wag_event_new(WAG_EVENT_SUBJECT_CHANGED, group_id);
		g_ptr_array_add(e->participants, g_strdup(subject));
		g_ptr_array_add(events, e);
	}
	for (guint i = 0; i < G_N_ELEMENTS(flags); i++) {
		if (!wag_json_has_bool(group, flags[i].member))
			continue;
		if (!set)
			set = wag_event_new(WAG_EVENT_SETTINGS_CHANGED, group_id);
		wag_event_add_setting(set, flags[i].setting,
		                      wag_json_bool(group, flags[i].member, FALSE) != flags[i].inverted);
	}
	if (set)
		g_ptr_array_add(events, set);
}
