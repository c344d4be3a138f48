/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Green API as its docs describe it. */
#include "vendor-emu-private.h"
#include <stdlib.h>
#include <string.h>

void
emu_green(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	g_auto(GStrv) parts = g_strsplit(rec->path, "/", -1);
	g_autofree char *want_inst = g_strdup_printf("waInstance%s", emu->instance);
	const char *op;
	gboolean authorized = strcmp(emu->state, "authorized") == 0 || strcmp(emu->state, "yellowCard") == 0;

	/* "", "waInstanceX", "method", "token" */
	if (g_strv_length(parts) != 4 || strcmp(parts[1], want_inst) != 0) {
		emu_reply_raw(msg, 403, NULL);
		return;
	}
	if (strcmp(parts[3], emu->token) != 0) {
		emu_reply_raw(msg, 401, NULL);
		return;
	}
	op = parts[2];
	if (strcmp(op, "getStateInstance") == 0) {
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "stateInstance", emu->state);
		emu_reply_json(msg, 200, emu_obj_node(o));
		return;
	}
	if (strcmp(op, "getWaSettings") == 0) {
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "avatar", "");
		if (emu->me)
			json_object_set_string_member(o, "phone", emu->me);
		json_object_set_string_member(o, "stateInstance", emu->state);
		emu_reply_json(msg, 200, emu_obj_node(o));
		return;
	}
	if (!authorized) {
		emu_reply_error(msg, 400, strcmp(emu->state, "starting") == 0 ?
		            "instance in starting process try later" : "instance account not authorized");
		return;
	}
	if (strcmp(op, "getContacts") == 0) {
		/* GetContacts: "group=true" lists only groups, "group=false" only
		 * people, no parameter everything. */
		g_autoptr(GHashTable) q = rec->query ? g_uri_parse_params(rec->query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
		const char *only = q ? g_hash_table_lookup(q, "group") : NULL;
		JsonArray *a = json_array_new();
		if (g_strcmp0(only, "true") != 0) {
			JsonObject *person = json_object_new();
			json_object_set_string_member(person, "id", "79001234567@c.us");
			json_object_set_string_member(person, "name", "A person");
			json_object_set_string_member(person, "type", "user");
			json_array_add_object_element(a, person);
			/* The participants given a name (wag_emu_set_name), once each. */
			g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
			for (guint i = 0; i < emu->group_order->len; i++) {
				EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
				for (guint j = 0; j < g->parts->len; j++) {
					EmuPart *p = g->parts->pdata[j];
					if (!p->name || !g_hash_table_add(seen, p->phone))
						continue;
					g_autofree char *jid = g_strconcat(p->phone, "@c.us", NULL);
					person = json_object_new();
					json_object_set_string_member(person, "id", jid);
					json_object_set_string_member(person, "name", p->name);
					json_object_set_string_member(person, "type", "user");
					json_array_add_object_element(a, person);
				}
			}
		}
		for (guint i = 0; g_strcmp0(only, "false") != 0 && i < emu->group_order->len; i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
			JsonObject *o = json_object_new();
			json_object_set_string_member(o, "id", g->id);
			json_object_set_string_member(o, "name", g->subject);
			json_object_set_string_member(o, "type", "group");
			json_array_add_object_element(a, o);
		}
		emu_reply_json(msg, 200, emu_arr_node(a));
	} else if (emu_green_admin(emu, msg, rec, op)) {
		return;
	} else if (strcmp(op, "getGroupData") == 0 || strcmp(op, "removeGroupParticipant") == 0 ||
	           strcmp(op, "leaveGroup") == 0) {
		g_autoptr(JsonObject) o = NULL;
		EmuGroup *g;
		if (strcmp(rec->method, "POST") != 0) {
			emu_reply_raw(msg, 405, NULL);
			return;
		}
		o = emu_require_json(msg, rec, 400, "bad request data");
		if (!o)
			return;
		g = json_object_has_member(o, "groupId") ?
			g_hash_table_lookup(emu->groups, json_object_get_string_member(o, "groupId")) : NULL;
		if (strcmp(op, "getGroupData") == 0) {
			JsonObject *r;
			JsonArray *a;
			if (!g) {
				emu_reply_error(msg, 400, "bad request data");
				return;
			}
			r = json_object_new();
			a = json_array_new();
			json_object_set_string_member(r, "groupId", g->id);
			if (emu_owner_of(g)) {
				g_autofree char *owner = g_strconcat(emu_owner_of(g), "@c.us", NULL);
				json_object_set_string_member(r, "owner", owner);
			}
			json_object_set_string_member(r, "subject", g->subject);
			json_object_set_int_member(r, "creation", 1587570015);
			for (guint i = 0; i < g->parts->len; i++) {
				EmuPart *p = g->parts->pdata[i];
				JsonObject *po = json_object_new();
				g_autofree char *id = g_strconcat(p->phone, "@c.us", NULL);
				json_object_set_string_member(po, "id", id);
				json_object_set_boolean_member(po, "isAdmin", strcmp(p->role, "member") != 0);
				json_object_set_boolean_member(po, "isSuperAdmin", strcmp(p->role, "superadmin") == 0);
				json_array_add_object_element(a, po);
			}
			json_object_set_array_member(r, "participants", a);
			if (g->invite) {
				/* GetGroupData: the link, for admins (the emulated account is one). */
				g_autofree char *link = g_strconcat("https://chat.whatsapp.com/", g->invite, NULL);
				json_object_set_string_member(r, "groupInviteLink", link);
			}
			emu_reply_json(msg, 200, emu_obj_node(r));
		} else if (strcmp(op, "removeGroupParticipant") == 0) {
			const char *chat = json_object_has_member(o, "participantChatId") ?
				json_object_get_string_member(o, "participantChatId") : NULL;
			g_autofree char *ph = chat ? emu_digits_of(chat) : NULL;
			if (!g || !ph) {
				emu_reply_error(msg, 400, "bad request data");
				return;
			}
			emu_reply_flag(msg, "removeParticipant", emu_remove_part(g, ph));
		} else {
			emu_reply_flag(msg, "leaveGroup", g != NULL);
		}
	} else {
		emu_reply_raw(msg, 404, NULL);
	}
}
