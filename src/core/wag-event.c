/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-event.h"
#include "wag-error.h"
#include "wag-json.h"
#include "wag-i18n.h"
#include <string.h>

static const char *const kind_names[] = {
	"participant_added", "participant_removed", "participant_left",
	"participant_promoted", "participant_demoted", "join_requested",
	"join_request_revoked", "group_linked", "group_unlinked", "roster_changed",
	"subject_changed", "group_settings_changed",
	"message",
};
/* The settings' names in events (docs/relay.md, "Event schema"). */
static const char *const setting_names[WAG_SETTING_LAST] = { "announce", "locked", "approval", "admins_add" };
G_STATIC_ASSERT(G_N_ELEMENTS(kind_names) == WAG_EVENT_LAST);

const char *
wag_event_kind_name(WagEventKind kind)
{
	return kind < WAG_EVENT_LAST ? kind_names[kind] : NULL;
}

gboolean
wag_event_kind_from_name(const char *name, WagEventKind *out)
{
	for (guint i = 0; name && i < WAG_EVENT_LAST; i++)
		if (g_str_equal(name, kind_names[i])) {
			*out = i;
			return TRUE;
		}
	return FALSE;
}

WagEvent *
wag_event_new(WagEventKind kind, const char *group)
{
	WagEvent *e = g_new0(WagEvent, 1);
	e->kind = kind;
	e->group = g_strdup(group);
	e->participants = g_ptr_array_new_with_free_func(g_free);
	e->at = g_get_real_time() / 1000;
	return e;
}

void
wag_event_free(WagEvent *e)
{
	if (!e)
		return;
	g_free(e->vendor);
	g_free(e->instance);
	g_free(e->group);
	g_free(e->actor);
	g_ptr_array_free(e->participants, TRUE);
	wag_message_free(e->message);
	g_free(e);
}

JsonNode *
wag_event_to_json(const WagEvent *e)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *root;

	json_builder_begin_object(b);
	if (e->id) {
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, e->id);
	}
	if (e->vendor) {
		json_builder_set_member_name(b, "vendor");
		json_builder_add_string_value(b, e->vendor);
	}
	if (e->instance) {
		json_builder_set_member_name(b, "instance");
		json_builder_add_string_value(b, e->instance);
	}
	json_builder_set_member_name(b, "group");
	json_builder_add_string_value(b, e->group);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, wag_event_kind_name(e->kind));
	json_builder_set_member_name(b, "participants");
	json_builder_begin_array(b);
	for (guint i = 0; i < e->participants->len; i++)
		json_builder_add_string_value(b, e->participants->pdata[i]);
	json_builder_end_array(b);
	if (e->actor) {
		json_builder_set_member_name(b, "actor");
		json_builder_add_string_value(b, e->actor);
	}
	json_builder_set_member_name(b, "at");
	json_builder_add_int_value(b, e->at);

	if (e->message)
		wag_message_build_members(e->message, b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	g_object_unref(b);
	return root;
}

WagEvent *
wag_event_from_json(JsonNode *node, GError **error)
{
	JsonObject *o = wag_json_obj(node);
	JsonArray *parts = wag_json_arr(o, "participants");
	const char *group = wag_json_str(o, "group");
	WagEventKind kind;
	WagEvent *e;

	if (!o || !group || !wag_event_kind_from_name(wag_json_str(o, "kind"), &kind) ||
	    (!parts && kind != WAG_EVENT_MESSAGE)) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("An event without a group, a known kind or participants."));
		return NULL;
	}
	e = wag_event_new(kind, group);
	e->id = wag_json_int(o, "id", 0);
	e->vendor = g_strdup(wag_json_str(o, "vendor"));
	e->instance = g_strdup(wag_json_str(o, "instance"));
	e->actor = g_strdup(wag_json_str(o, "actor"));

	e->at = wag_json_int(o, "at", e->at);
	if (kind == WAG_EVENT_MESSAGE)
		e->message = wag_message_from_object(o);
	for (guint i = 0; parts && i < json_array_get_length(parts); i++) {
		JsonNode *n = json_array_get_element(parts, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			g_ptr_array_add(e->participants, g_strdup(json_node_get_string(n)));
	}
	return e;
}

static gboolean
pending_remove(WagGroup *g, const char *id)
{
	guint idx;
	if (!g_ptr_array_find_with_equal_func(g->pending, id, g_str_equal, &idx))
		return FALSE;
	g_ptr_array_remove_index(g->pending, idx);
	return TRUE;
}

gboolean
wag_model_apply(WagModel *m, const WagEvent *e)
{
	WagGroup *g = wag_model_lookup(m, e->group);
	gboolean changed = FALSE;

	if (e->kind == WAG_EVENT_SUBJECT_CHANGED || e->kind == WAG_EVENT_SETTINGS_CHANGED) {
		const char *subject = e->participants->len ? e->participants->pdata[0] : NULL;
		if (!g)
			return FALSE;
		if (e->kind == WAG_EVENT_SUBJECT_CHANGED) {
			if (!subject || !*subject || g_strcmp0(g->subject, subject) == 0)
				return FALSE;
			g_free(g->subject);
			g->subject = g_strdup(subject);
			return TRUE;
		}
		for (guint i = 0; i < e->participants->len; i++) {
			WagSetting which;
			gboolean on;
			if (wag_event_parse_setting(e->participants->pdata[i], &which, &on) && g->settings[which] != on) {
				g->settings[which] = on;
				changed = TRUE;
			}
		}
		return changed;
	}
	if (e->kind == WAG_EVENT_LINKED || e->kind == WAG_EVENT_UNLINKED) {
		for (guint i = 0; i < e->participants->len; i++) {
			const char *gid = e->participants->pdata[i];
			WagGroup *sub = wag_model_lookup(m, gid);
			gboolean linked = sub && g_strcmp0(sub->community_id, e->group) == 0;
			if (e->kind == WAG_EVENT_LINKED && !linked) {
				wag_model_link(m, gid, e->group);
				changed = TRUE;
			} else if (e->kind == WAG_EVENT_UNLINKED && linked) {
				wag_model_link(m, gid, NULL);
				changed = TRUE;
			}
		}
		return changed;
	}
	if (!g)
		return FALSE;
	if (e->kind == WAG_EVENT_ROSTER_CHANGED) {
		/* Stale: the next read of the roster replaces it. */
		changed = g->roster_loaded;
		g->roster_loaded = FALSE;
		return changed;
	}
	for (guint i = 0; i < e->participants->len; i++) {
		const char *id = e->participants->pdata[i];
		WagParticipant *p = g_hash_table_lookup(g->participants, id);

		switch (e->kind) {
		case WAG_EVENT_ADDED:
			changed |= pending_remove(g, id);
			if (!p) {
				wag_group_add_participant(g, id, WAG_ROLE_MEMBER);
				changed = TRUE;
			}
			break;
		case WAG_EVENT_REMOVED:
		case WAG_EVENT_LEFT:
			changed |= g_hash_table_remove(g->participants, id);
			break;
		case WAG_EVENT_PROMOTED:
			if (p && p->role == WAG_ROLE_MEMBER) {
				p->role = WAG_ROLE_ADMIN;
				changed = TRUE;
			}
			break;
		case WAG_EVENT_DEMOTED:
			if (p && p->role == WAG_ROLE_ADMIN) {
				p->role = WAG_ROLE_MEMBER;
				changed = TRUE;
			}
			break;
		case WAG_EVENT_JOIN_REQUESTED:
			if (!p && !g_ptr_array_find_with_equal_func(g->pending, id, g_str_equal, NULL)) {
				g_ptr_array_add(g->pending, g_strdup(id));
				changed = TRUE;
			}
			break;
		case WAG_EVENT_JOIN_REVOKED:
			changed |= pending_remove(g, id);
			break;
		default:
			break;
		}
	}
	return changed;
}

void
wag_event_add_setting(WagEvent *e, WagSetting setting, gboolean on)
{
	g_ptr_array_add(e->participants, g_strdup_printf("%s=%s", setting_names[setting], on ? "on" : "off"));
}

gboolean
wag_event_parse_setting(const char *text, WagSetting *setting, gboolean *on)
{
	const char *eq = text ? strchr(text, '=') : NULL;

	for (guint i = 0; eq && i < WAG_SETTING_LAST; i++)
		if (strlen(setting_names[i]) == (gsize) (eq - text) && strncmp(text, setting_names[i], eq - text) == 0 &&
		    (g_str_equal(eq + 1, "on") || g_str_equal(eq + 1, "off"))) {
			*setting = i;
			*on = g_str_equal(eq + 1, "on");
			return TRUE;
		}
	return FALSE;
}
