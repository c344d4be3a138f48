/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Z-API as its docs describe it. */
#include "vendor-emu-private.h"
#include <stdlib.h>
#include <string.h>

static JsonArray *
zapi_participants(EmuGroup *g)
{
	JsonArray *a = json_array_new();
	for (guint i = 0; i < g->parts->len; i++) {
		EmuPart *p = g->parts->pdata[i];
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "phone", p->phone);
		/* Z-API writes some booleans as strings. */
		json_object_set_string_member(o, "isAdmin", strcmp(p->role, "member") ? "true" : "false");
		json_object_set_boolean_member(o, "isSuperAdmin", strcmp(p->role, "superadmin") == 0);
		if (p->name)
			json_object_set_string_member(o, "name", p->name);
		json_array_add_object_element(a, o);
	}
	return a;
}

static void
zapi_phones_action(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, const char *what)
{
	g_autoptr(JsonObject) o = emu_require_json(msg, rec, 400, "Invalid body");
	const char *gid;
	JsonArray *phones;
	EmuGroup *g;

	if (!o)
		return;
	gid = json_object_has_member(o, "groupId") ? json_object_get_string_member(o, "groupId") : NULL;
	phones = json_object_has_member(o, "phones") ? json_object_get_array_member(o, "phones") : NULL;
	if (!gid && strcmp(what, "remove") == 0 && json_object_has_member(o, "communityId")) {
		EmuCommunity *c = g_hash_table_lookup(emu->communities, json_object_get_string_member(o, "communityId"));
		gid = c ? c->announcement : NULL;
		if (!c) {
			emu_reply_flag(msg, "value", FALSE);
			return;
		}
	}
	g = gid ? g_hash_table_lookup(emu->groups, gid) : NULL;
	if (!phones || !gid) {
		emu_reply_error(msg, 400, "null not allowed");
		return;
	}
	if (!g) {
		emu_reply_flag(msg, "value", FALSE);
		return;
	}
	for (guint i = 0; i < json_array_get_length(phones); i++) {
		const char *ph = json_array_get_string_element(phones, i);
		if (!ph || !g_ascii_isdigit(*ph)) {
			emu_reply_error(msg, 400, "Invalid phone");
			return;
		}
	}
	for (guint i = 0; i < json_array_get_length(phones); i++) {
		const char *ph = json_array_get_string_element(phones, i);
		if (strcmp(what, "remove") == 0) {
			emu_remove_part(g, ph);
			/* community removal: out of every linked group too */
			if (g->announcement) {
				GHashTableIter it;
				gpointer v;
				g_hash_table_iter_init(&it, emu->groups);
				while (g_hash_table_iter_next(&it, NULL, &v))
					if (g_strcmp0(((EmuGroup *) v)->community, g->community) == 0)
						emu_remove_part(v, ph);
			}
		} else if (emu_take_request(g, ph) && strcmp(what, "approve") == 0) {
			EmuPart *p = g_new0(EmuPart, 1);
			p->phone = g_strdup(ph);
			p->role = g_strdup("member");
			g_ptr_array_add(g->parts, p);
		}
	}
	emu_reply_flag(msg, "value", TRUE);
}

void
emu_zapi(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	g_autofree char *prefix = g_strdup_printf("/instances/%s/token/", emu->instance);
	const char *rest, *op;
	const char *method = rec->method;

	if (!g_str_has_prefix(rec->path, prefix)) {
		emu_reply_error(msg, 404, "Instance not found");
		return;
	}
	rest = rec->path + strlen(prefix);
	if (!g_str_has_prefix(rest, emu->token) || rest[strlen(emu->token)] != '/') {
		/* Z-API documents no status code for a bad token: this is our guess. */
		emu_reply_error(msg, 400, "Instance not found");
		return;
	}
	op = rest + strlen(emu->token) + 1;
	if (emu->client_token && g_strcmp0(rec->client_token, emu->client_token) != 0) {
		emu_reply_error(msg, 400, "null not allowed");
		return;
	}
#define WANT(m) if (strcmp(method, m) != 0) { emu_reply_error(msg, 405, "Method Not Allowed"); return; }
	if (emu_zapi_admin(emu, msg, rec, op))
		return;
	if (strcmp(op, "status") == 0) {
		JsonObject *o = json_object_new();
		WANT("GET");
		gboolean ok = strcmp(emu->state, "connected") == 0;
		json_object_set_boolean_member(o, "connected", ok);
		json_object_set_string_member(o, "error", ok ? "" : strcmp(emu->state, "restore") == 0 ?
		                              "You need to restore the session." : "You are not connected.");
		json_object_set_boolean_member(o, "smartphoneConnected", ok);
		emu_reply_json(msg, 200, emu_obj_node(o));
	} else if (strcmp(op, "device") == 0) {
		JsonObject *o;
		WANT("GET");
		if (!emu->me) {
			emu_reply_error(msg, 404, "Not Found");
			return;
		}
		o = json_object_new();
		json_object_set_string_member(o, "phone", emu->me);
		json_object_set_string_member(o, "name", "Administração");
		emu_reply_json(msg, 200, emu_obj_node(o));
	} else if (strcmp(op, "groups") == 0 || strcmp(op, "communities") == 0) {
		gboolean groups = strcmp(op, "groups") == 0;
		GPtrArray *order = groups ? emu->group_order : emu->community_order;
		GUri *uri = soup_server_message_get_uri(msg);
		g_autoptr(GHashTable) q = g_uri_parse_params(g_uri_get_query(uri) ? g_uri_get_query(uri) : "", -1, "&", G_URI_PARAMS_NONE, NULL);
		guint page = q && g_hash_table_lookup(q, "page") && !emu->ignore_page ?
		             atoi(g_hash_table_lookup(q, "page")) : 1;
		guint size = q && g_hash_table_lookup(q, "pageSize") ? atoi(g_hash_table_lookup(q, "pageSize")) : 100;
		JsonArray *a = json_array_new();
		WANT("GET");
		for (guint i = (page - 1) * size; page >= 1 && i < order->len && i < page * size; i++) {
			JsonObject *o = json_object_new();
			if (groups) {
				EmuGroup *g = g_hash_table_lookup(emu->groups, order->pdata[i]);
				json_object_set_boolean_member(o, "isGroup", TRUE);
				json_object_set_string_member(o, "name", g->subject);
				json_object_set_string_member(o, "phone", g->id);
				json_object_set_string_member(o, "unread", "0");
			} else {
				EmuCommunity *c = g_hash_table_lookup(emu->communities, order->pdata[i]);
				json_object_set_string_member(o, "name", c->name);
				json_object_set_string_member(o, "id", c->id);
			}
			json_array_add_object_element(a, o);
		}
		emu_reply_json(msg, 200, emu_arr_node(a));
	} else if (g_str_has_prefix(op, "communities-metadata/")) {
		EmuCommunity *c = g_hash_table_lookup(emu->communities, op + strlen("communities-metadata/"));
		JsonObject *o;
		JsonArray *subs;
		WANT("GET");
		if (!c) {
			emu_reply_error(msg, 404, "Community not found");
			return;
		}
		o = json_object_new();
		subs = json_array_new();
		json_object_set_string_member(o, "name", c->name);
		json_object_set_string_member(o, "id", c->id);
		json_object_set_string_member(o, "description", "");
		for (guint i = 0; i < emu->group_order->len; i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
			JsonObject *s;
			if (g_strcmp0(g->community, c->id) != 0)
				continue;
			s = json_object_new();
			json_object_set_string_member(s, "name", g->subject);
			json_object_set_string_member(s, "phone", g->id);
			json_object_set_boolean_member(s, "isGroupAnnouncement", g->announcement);
			json_array_add_object_element(subs, s);
		}
		json_object_set_array_member(o, "subGroups", subs);
		emu_reply_json(msg, 200, emu_obj_node(o));
	} else if (g_str_has_prefix(op, "light-group-metadata/") || g_str_has_prefix(op, "group-metadata/")) {
		EmuGroup *g = g_hash_table_lookup(emu->groups, strchr(op, '/') + 1);
		JsonObject *o;
		WANT("GET");
		if (!g) {
			emu_reply_error(msg, 404, "Group not found");
			return;
		}
		o = json_object_new();
		json_object_set_string_member(o, "phone", g->id);
		json_object_set_string_member(o, "owner", emu_owner_of(g) ? emu_owner_of(g) : "");
		json_object_set_string_member(o, "subject", g->subject);
		if (g->community)
			json_object_set_string_member(o, "communityId", g->community);
		else
			json_object_set_null_member(o, "communityId");
		json_object_set_boolean_member(o, "requireAdminApproval", g->requests->len > 0);
		emu_zapi_metadata_settings(g, o);
		json_object_set_array_member(o, "participants", zapi_participants(g));
		emu_reply_json(msg, 200, emu_obj_node(o));
	} else if (strcmp(op, "remove-participant") == 0) {
		WANT("POST");
		zapi_phones_action(emu, msg, rec, "remove");
	} else if (strcmp(op, "approve-participant") == 0) {
		WANT("POST");
		zapi_phones_action(emu, msg, rec, "approve");
	} else if (strcmp(op, "reject-participant") == 0) {
		WANT("POST");
		zapi_phones_action(emu, msg, rec, "reject");
	} else if (strcmp(op, "leave-group") == 0) {
		g_autoptr(JsonObject) o = NULL;
		WANT("POST");
		o = emu_require_json(msg, rec, 400, "null not allowed");
		if (o)
			emu_reply_flag(msg, "value", json_object_has_member(o, "groupId") &&
			           g_hash_table_contains(emu->groups, json_object_get_string_member(o, "groupId")));
	} else if (strcmp(op, "communities/unlink") == 0 || strcmp(op, "communities/link") == 0) {
		g_autoptr(JsonObject) o = NULL;
		EmuCommunity *c;
		JsonArray *a;
		WANT("POST");
		o = emu_require_json(msg, rec, 400, "null not allowed");
		if (!o)
			return;
		c = json_object_has_member(o, "communityId") ?
			g_hash_table_lookup(emu->communities, json_object_get_string_member(o, "communityId")) : NULL;
		a = json_object_has_member(o, "groupsPhones") ? json_object_get_array_member(o, "groupsPhones") : NULL;
		if (!c || !a) {
			emu_reply_flag(msg, "success", FALSE);
			return;
		}
		for (guint i = 0; i < json_array_get_length(a); i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, json_array_get_string_element(a, i));
			if (!g)
				continue;
			g_free(g->community);
			g->community = strcmp(op, "communities/link") == 0 ? g_strdup(c->id) : NULL;
		}
		emu_reply_flag(msg, "success", TRUE);
	} else {
		emu_reply_error(msg, 404, "Not Found");
	}
#undef WANT
}
