/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Green API group administration (issue 18). Sources (the Green API docs
 * pages named in tests/fixtures/greenapi/): AddGroupParticipant,
 * SetGroupAdmin, RemoveAdmin, UpdateGroupName, GetGroupData
 * (groupInviteLink). No settings, description or link-reset API. */
#include "wag-vendor-admin.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

static const WagVendor *
green(void)
{
	return wag_vendor_lookup("greenapi");
}

WagRequest *
wag_greenapi_request(const WagCreds *c, const char *method, const char *api_method, JsonBuilder *body)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	WagRequest *r = wag_request_new(green(), method,
		g_strdup_printf("/waInstance%s/%s/%s", inst, api_method, tok));
	if (body)
		wag_request_set_body(r, body);
	return r;
}

JsonBuilder *
wag_greenapi_group_body(const char *group)
{
	JsonBuilder *b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "groupId");
	json_builder_add_string_value(b, group);
	return b;
}

/* The method and the reply's flag per action. */
static const char *
method_of(WagAction action, const char **flag)
{
	switch (action) {
	case WAG_ACTION_ADD: *flag = "addParticipant"; return "addGroupParticipant";
	case WAG_ACTION_PROMOTE: *flag = "setGroupAdmin"; return "setGroupAdmin";
	default: *flag = "removeAdmin"; return "removeAdmin";
	}
}

WagRequest *
wag_greenapi_admin_request(const WagCreds *c, WagAction action, const WagGroup *target,
                           const char *const *ids, guint n_ids, GError **error)
{
	g_autofree char *chat_id = NULL;
	const char *flag;
	JsonBuilder *b;

	if (n_ids != 1) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_UNSUPPORTED,
		            _("%s changes one participant per call."), green()->name);
		return NULL;
	}
	chat_id = wag_phone_is_lid(ids[0]) ? g_strdup(ids[0]) : g_strconcat(ids[0], "@c.us", NULL);
	b = wag_greenapi_group_body(target->id);
	json_builder_set_member_name(b, "participantChatId");
	json_builder_add_string_value(b, chat_id);
	json_builder_end_object(b);
	return wag_greenapi_request(c, "POST", method_of(action, &flag), b);
}

gboolean
wag_greenapi_admin_parse(WagAction action, JsonNode *body, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	const char *flag;

	method_of(action, &flag);
	if (action == WAG_ACTION_ADD && o && wag_json_has_bool(o, flag) && !wag_json_bool(o, flag, TRUE)) {
		/* AddGroupParticipant page: false when the number is not in the
		 * phone book, its privacy settings refuse, or it is a member already. */
		g_set_error(error, WAG_ERROR, WAG_ERROR_REFUSED,
		            _("%s could not add them (WhatsApp's privacy settings, or the number is not in "
		              "the phone's contacts)."), green()->name);
		return FALSE;
	}
	return wag_check_flag(green(), body, flag, error);
}

WagRequest *
wag_greenapi_req_edit(const WagCreds *c, const WagGroup *g, const WagEdit *edit, GError **error)
{
	JsonBuilder *b;

	if (edit->kind == WAG_EDIT_DESCRIPTION)
		return (wag_unsupported(green(), error, _("the group description")), NULL);
	if (edit->kind == WAG_EDIT_SETTING)
		return (wag_unsupported(green(), error, _("group settings")), NULL);
	if (!wag_vendor_check_id(green(), g->id, _("group"), error))
		return NULL;
	b = wag_greenapi_group_body(g->id);
	json_builder_set_member_name(b, "groupName");
	json_builder_add_string_value(b, edit->text);
	json_builder_end_object(b);
	return wag_greenapi_request(c, "POST", "updateGroupName", b);
}

gboolean
wag_greenapi_parse_edit(const WagEdit *edit, JsonNode *body, GError **error)
{
	return wag_check_flag(green(), body, "updateGroupName", error);
}

WagRequest *
wag_greenapi_req_invite_link(const WagCreds *c, const WagGroup *g, gboolean reset, GError **error)
{
	JsonBuilder *b;

	if (reset)
		return (wag_unsupported(green(), error, _("resetting the invite link")), NULL);
	if (!wag_vendor_check_id(green(), g->id, _("group"), error))
		return NULL;
	b = wag_greenapi_group_body(g->id);
	json_builder_end_object(b);
	return wag_greenapi_request(c, "POST", "getGroupData", b);
}

char *
wag_greenapi_parse_invite_link(JsonNode *body, GError **error)
{
	const char *link = wag_json_str(wag_json_obj(body), "groupInviteLink");

	/* GetGroupData page: empty when this account is neither admin nor owner. */
	if (!link || !*link) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_NOT_ADMIN,
		            _("%s gives the invite link to admins only, and sent none."), green()->name);
		return NULL;
	}
	if (strlen(link) > 200 || !g_str_has_prefix(link, "https://")) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent an invite link that is not one."), green()->name);
		return NULL;
	}
	return g_strdup(link);
}
