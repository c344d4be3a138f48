/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group administration as the vendors document it (issue 18): adding
 * (with WhatsApp's privacy refusals), promoting, demoting, subject,
 * description, settings, invite links. Sources are the fixtures' (see
 * tests/fixtures/README.md): Z-API group pages, Green API AddGroupParticipant,
 * SetGroupAdmin, RemoveAdmin, UpdateGroupName, GetGroupData, WAHA's groups
 * how-to. */
#include "vendor-emu-private.h"
#include <string.h>

static const char *const setting_names[4] = { "announce", "locked", "approval", "add" };
/* Z-API's names for them (update-group-settings.md). */
static const char *const zapi_names[4] = { "adminOnlyMessage", "adminOnlySettings", "requireAdminApproval",
                                           "adminOnlyAddMember" };

void
emu_admin_group_init(EmuGroup *g)
{
	for (guint i = 0; i < 4; i++)
		g->settings[i] = -1;
	/* The docs' own example code (get-invitation-link.md). */
	g->invite = g_strdup("C1adgkdEGki7554BWDdMkd");
	g->invited = g_ptr_array_new_with_free_func(g_free);
}

void
emu_admin_group_clear(EmuGroup *g)
{
	g_free(g->description);
	g_free(g->invite);
	g_ptr_array_free(g->invited, TRUE);
}

static EmuGroup *
group_of(WagEmu *emu, const char *group)
{
	EmuGroup *g = g_hash_table_lookup(emu->groups, group);
	g_assert(g);
	return g;
}

static int
setting_index(const char *setting)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(setting, setting_names[i]) == 0)
			return i;
	g_assert_not_reached();
}

void
wag_emu_refuse_add(WagEmu *emu, const char *phone)
{
	g_hash_table_add(emu->privacy, g_strdup(phone));
}

gboolean
wag_emu_was_invited(WagEmu *emu, const char *group, const char *phone)
{
	return g_ptr_array_find_with_equal_func(group_of(emu, group)->invited, phone, g_str_equal, NULL);
}

const char *
wag_emu_subject(WagEmu *emu, const char *group)
{
	return group_of(emu, group)->subject;
}

const char *
wag_emu_description(WagEmu *emu, const char *group)
{
	return group_of(emu, group)->description;
}

int
wag_emu_setting(WagEmu *emu, const char *group, const char *setting)
{
	return group_of(emu, group)->settings[setting_index(setting)];
}

void
wag_emu_set_setting(WagEmu *emu, const char *group, const char *setting, gboolean on)
{
	group_of(emu, group)->settings[setting_index(setting)] = on;
}

const char *
wag_emu_invite_code(WagEmu *emu, const char *group)
{
	return group_of(emu, group)->invite;
}

const char *
wag_emu_role(WagEmu *emu, const char *group, const char *phone)
{
	EmuPart *p = emu_find_part(group_of(emu, group), phone);
	return p ? p->role : NULL;
}

/* Adds phone, unless WhatsApp's privacy settings refuse: FALSE then. */
static gboolean
add_part(WagEmu *emu, EmuGroup *g, const char *phone, const char *member_word)
{
	EmuPart *p;

	if (g_hash_table_contains(emu->privacy, phone))
		return FALSE;
	if (emu_find_part(g, phone))
		return TRUE;
	p = g_new0(EmuPart, 1);
	p->phone = g_strdup(phone);
	p->role = g_strdup(member_word);
	g_ptr_array_add(g->parts, p);
	emu_take_request(g, phone);
	return TRUE;
}

/* Promote (admin) or demote (member); the creator stays. */
static gboolean
set_admin(EmuGroup *g, const char *phone, gboolean admin, const char *member_word)
{
	EmuPart *p = emu_find_part(g, phone);

	if (!p || strcmp(p->role, "superadmin") == 0)
		return FALSE;
	g_free(p->role);
	p->role = g_strdup(admin ? "admin" : member_word);
	return TRUE;
}

static void
new_invite(EmuGroup *g)
{
	static guint serial;
	g_free(g->invite);
	g->invite = g_strdup_printf("Reset%uAbCdEfGhIjKlMnOp", ++serial);
}

void
emu_zapi_metadata_settings(EmuGroup *g, JsonObject *o)
{
	/* group-metadata.md names three of the four (no adminOnlyAddMember). */
	for (guint i = 0; i < 3; i++)
		if (g->settings[i] >= 0)
			json_object_set_boolean_member(o, zapi_names[i], g->settings[i]);
}

static void
zapi_invite_reply(SoupServerMessage *msg, EmuGroup *g, gboolean with_phone)
{
	JsonObject *o = json_object_new();
	g_autofree char *link = g_strconcat("https://chat.whatsapp.com/", g->invite, NULL);
	if (with_phone)
		json_object_set_string_member(o, "phone", g->id);
	json_object_set_string_member(o, "invitationLink", link);
	emu_reply_json(msg, 200, emu_obj_node(o));
}

gboolean
emu_zapi_admin(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, const char *op)
{
	static const char *const posts[] = { "add-participant", "add-admin", "remove-admin", "update-group-name",
	                                     "update-group-description", "update-group-settings" };
	g_autoptr(JsonObject) o = NULL;
	gboolean post = FALSE;
	const char *gid;
	EmuGroup *g;

	if (g_str_has_prefix(op, "group-invitation-link/") || g_str_has_prefix(op, "redefine-invitation-link/")) {
		gboolean reset = op[0] == 'r';
		if (strcmp(rec->method, reset ? "POST" : "GET") != 0) {
			emu_reply_error(msg, 405, "Method Not Allowed");
			return TRUE;
		}
		g = g_hash_table_lookup(emu->groups, strchr(op, '/') + 1);
		if (!g) {
			emu_reply_error(msg, 404, "Group not found");
			return TRUE;
		}
		if (reset)
			new_invite(g);
		zapi_invite_reply(msg, g, !reset);
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(posts); i++)
		post |= strcmp(op, posts[i]) == 0;
	if (!post)
		return FALSE;
	if (strcmp(rec->method, "POST") != 0) {
		emu_reply_error(msg, 405, "Method Not Allowed");
		return TRUE;
	}
	o = emu_require_json(msg, rec, 400, "null not allowed");
	if (!o)
		return TRUE;
	/* update-group-settings names the group "phone"; the others "groupId". */
	gid = json_object_has_member(o, "groupId") ? json_object_get_string_member(o, "groupId")
	      : json_object_has_member(o, "phone") ? json_object_get_string_member(o, "phone") : NULL;
	g = gid ? g_hash_table_lookup(emu->groups, gid) : NULL;
	if (!g && json_object_has_member(o, "communityId")) {
		EmuCommunity *c = g_hash_table_lookup(emu->communities, json_object_get_string_member(o, "communityId"));
		g = c ? g_hash_table_lookup(emu->groups, c->announcement) : NULL;
	}
	if (!g) {
		emu_reply_flag(msg, "value", FALSE);
		return TRUE;
	}
	if (strcmp(op, "update-group-name") == 0 || strcmp(op, "update-group-description") == 0) {
		const char *member = op[13] == 'n' ? "groupName" : "groupDescription";
		if (!json_object_has_member(o, member)) {
			emu_reply_error(msg, 400, "null not allowed");
			return TRUE;
		}
		if (op[13] == 'n') {
			g_free(g->subject);
			g->subject = g_strdup(json_object_get_string_member(o, member));
		} else {
			g_free(g->description);
			g->description = g_strdup(json_object_get_string_member(o, member));
		}
	} else if (strcmp(op, "update-group-settings") == 0) {
		for (guint i = 0; i < 4; i++)
			if (!json_object_has_member(o, zapi_names[i])) {
				/* all four are Required */
				emu_reply_error(msg, 400, "null not allowed");
				return TRUE;
			}
		for (guint i = 0; i < 4; i++)
			g->settings[i] = json_object_get_boolean_member(o, zapi_names[i]);
	} else {
		JsonArray *phones = json_object_has_member(o, "phones") ? json_object_get_array_member(o, "phones") : NULL;
		if (!phones) {
			emu_reply_error(msg, 400, "null not allowed");
			return TRUE;
		}
		for (guint i = 0; i < json_array_get_length(phones); i++) {
			const char *ph = json_array_get_string_element(phones, i);
			if (strcmp(op, "add-participant") == 0) {
				if (!add_part(emu, g, ph, "member") && json_object_get_boolean_member_with_default(o, "autoInvite", FALSE))
					g_ptr_array_add(g->invited, g_strdup(ph));
			} else {
				set_admin(g, ph, strcmp(op, "add-admin") == 0, "member");
			}
		}
	}
	emu_reply_flag(msg, "value", TRUE);
	return TRUE;
}

gboolean
emu_green_admin(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, const char *op)
{
	g_autoptr(JsonObject) o = NULL;
	const char *chat;
	g_autofree char *ph = NULL;
	EmuGroup *g;

	if (strcmp(op, "addGroupParticipant") != 0 && strcmp(op, "setGroupAdmin") != 0 &&
	    strcmp(op, "removeAdmin") != 0 && strcmp(op, "updateGroupName") != 0)
		return FALSE;
	if (strcmp(rec->method, "POST") != 0) {
		emu_reply_raw(msg, 405, NULL);
		return TRUE;
	}
	o = emu_require_json(msg, rec, 400, "bad request data");
	if (!o)
		return TRUE;
	g = json_object_has_member(o, "groupId") ?
		g_hash_table_lookup(emu->groups, json_object_get_string_member(o, "groupId")) : NULL;
	if (strcmp(op, "updateGroupName") == 0) {
		/* v3 page: 200 {"updateGroupName": false} for a wrong group */
		if (g && json_object_has_member(o, "groupName")) {
			g_free(g->subject);
			g->subject = g_strdup(json_object_get_string_member(o, "groupName"));
		}
		emu_reply_flag(msg, op, g != NULL);
		return TRUE;
	}
	chat = json_object_has_member(o, "participantChatId") ? json_object_get_string_member(o, "participantChatId") : NULL;
	ph = chat ? emu_digits_of(chat) : NULL;
	if (!g || !ph) {
		emu_reply_error(msg, 400, "bad request data");
		return TRUE;
	}
	if (strcmp(op, "addGroupParticipant") == 0)
		/* false, still 200: a member already, or refused (privacy, not in the phone book) */
		emu_reply_flag(msg, "addParticipant", !emu_find_part(g, ph) && add_part(emu, g, ph, "member"));
	else
		emu_reply_flag(msg, op, set_admin(g, ph, op[0] == 's', "member"));
	return TRUE;
}

gboolean
emu_wawp_admin(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, EmuGroup *g, const char *tail)
{
	g_autoptr(JsonObject) body = emu_parse_body(msg, rec);
	JsonObject *o;

	if (strcmp(tail, "/invite-code") == 0 && strcmp(rec->method, "GET") == 0) {
		/* WAHA answers the code itself (groups how-to, "Get invite code") */
		JsonNode *n = json_node_new(JSON_NODE_VALUE);
		json_node_set_string(n, g->invite);
		emu_reply_json(msg, 200, n);
		return TRUE;
	}
	if (strcmp(tail, "/invite-code/revoke") == 0 && strcmp(rec->method, "POST") == 0) {
		JsonNode *n = json_node_new(JSON_NODE_VALUE);
		new_invite(g);
		json_node_set_string(n, g->invite);
		emu_reply_json(msg, 200, n);
		return TRUE;
	}
	if (strcmp(rec->method, "PUT") == 0) {
		JsonNode *n = json_node_new(JSON_NODE_VALUE);
		if (!body) {
			json_node_unref(n);
			emu_reply_error(msg, 400, "Invalid JSON body");
			return TRUE;
		}
		if (strcmp(tail, "/subject") == 0 && json_object_has_member(body, "subject")) {
			g_free(g->subject);
			g->subject = g_strdup(json_object_get_string_member(body, "subject"));
		} else if (strcmp(tail, "/description") == 0 && json_object_has_member(body, "description")) {
			g_free(g->description);
			g->description = g_strdup(json_object_get_string_member(body, "description"));
		} else if (g_str_has_prefix(tail, "/settings/security/") && json_object_has_member(body, "adminsOnly")) {
			g->settings[strstr(tail, "messages") ? 0 : 1] = json_object_get_boolean_member(body, "adminsOnly");
		} else {
			json_node_unref(n);
			emu_reply_error(msg, 404, "Not Found");
			return TRUE;
		}
		/* "Returns true if ... properly updated" */
		json_node_set_boolean(n, TRUE);
		emu_reply_json(msg, 200, n);
		return TRUE;
	}
	if (strcmp(rec->method, "POST") != 0 || !body ||
	    (strcmp(tail, "/participants/add") != 0 && strcmp(tail, "/admin/promote") != 0 &&
	     strcmp(tail, "/admin/demote") != 0))
		return FALSE;
	{
		JsonArray *a = json_object_has_member(body, "participants") ?
			json_object_get_array_member(body, "participants") : NULL;
		if (!a) {
			emu_reply_error(msg, 400, "participants is required");
			return TRUE;
		}
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonObject *e = json_array_get_object_element(a, i);
			g_autofree char *ph = e && json_object_has_member(e, "id") ?
				emu_digits_of(json_object_get_string_member(e, "id")) : NULL;
			if (!ph)
				continue;
			if (g_str_has_suffix(tail, "/add"))
				add_part(emu, g, ph, "member");
			else
				set_admin(g, ph, g_str_has_suffix(tail, "/promote"), "member");
		}
	}
	o = json_object_new();
	json_object_set_boolean_member(o, "ok", TRUE);
	emu_reply_json(msg, 200, emu_obj_node(o));
	return TRUE;
}
