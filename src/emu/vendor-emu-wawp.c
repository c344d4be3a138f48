/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Wawp (on WAHA) as its docs describe it. */
#include "vendor-emu-private.h"
#include <stdlib.h>
#include <string.h>

static void
wawp_error(SoupServerMessage *msg, guint status, const char *error, const char *message)
{
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, "status", status);
	json_object_set_string_member(o, "message", message);
	json_object_set_string_member(o, "error", error);
	emu_reply_json(msg, status, emu_obj_node(o));
}

/* o's id: a string, or with the "webjs" shape whatsapp-web.js's ContactId
 * {server, user, _serialized} (Wawp's pages read id._serialized). */
static void
wawp_set_id(WagEmu *emu, JsonObject *o, const char *id)
{
	JsonObject *cid;
	g_autofree char *user = NULL;

	if (strcmp(emu->participant_shape, "webjs") != 0) {
		json_object_set_string_member(o, "id", id);
		return;
	}
	cid = json_object_new();
	user = g_strndup(id, strchr(id, '@') - id);
	json_object_set_string_member(cid, "server", strchr(id, '@') + 1);
	json_object_set_string_member(cid, "user", user);
	json_object_set_string_member(cid, "_serialized", id);
	json_object_set_object_member(o, "id", cid);
}

/* One roster entry in the shape the test asked for (each documented). */
static void
wawp_participant(WagEmu *emu, JsonObject *o, const char *id, const char *role)
{
	const char *shape = emu->participant_shape;
	gboolean super = strcmp(role, "superadmin") == 0;
	gboolean admin = super || strcmp(role, "admin") == 0;

	wawp_set_id(emu, o, id);
	if (strcmp(shape, "wawp") == 0 || strcmp(shape, "webjs") == 0) {
		/* Wawp's page: every participant carries isAdmin and isSuperAdmin. */
		json_object_set_boolean_member(o, "isAdmin", admin);
		json_object_set_boolean_member(o, "isSuperAdmin", super);
	} else if (strcmp(shape, "noweb") == 0) {
		/* Baileys: admin is "admin", "superadmin" or null. */
		if (admin)
			json_object_set_string_member(o, "admin", super ? "superadmin" : "admin");
		else
			json_object_set_null_member(o, "admin");
	} else {
		json_object_set_string_member(o, "role", role);
	}
}

/* One /v2/contacts/all entry: WAHA's shape (tests/fixtures/wawp/
 * contacts-all.reply-waha.json, id a string), or with the "webjs"
 * participant shape Wawp's page's (id an object with _serialized). */
static JsonObject *
wawp_contact(WagEmu *emu, const char *id, const char *pushname)
{
	JsonObject *o = json_object_new();
	g_autofree char *user = g_strndup(id, strchr(id, '@') - id);
	gboolean me = emu->me && g_str_equal(user, emu->me);
	gboolean group = g_str_has_suffix(id, "@g.us");

	wawp_set_id(emu, o, id);
	json_object_set_string_member(o, "number", user);
	/* Nobody's number is saved in this account's address book. */
	json_object_set_null_member(o, "name");
	if (pushname)
		json_object_set_string_member(o, "pushname", pushname);
	else
		json_object_set_null_member(o, "pushname");
	json_object_set_boolean_member(o, "isMe", me);
	json_object_set_boolean_member(o, "isGroup", group);
	json_object_set_boolean_member(o, "isWAContact", !group);
	json_object_set_boolean_member(o, "isMyContact", FALSE);
	json_object_set_boolean_member(o, "isBlocked", FALSE);
	return o;
}

static gint
by_id(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* The account, a person in no group, the participants given a name
 * (wag_emu_set_name), the extra contacts and the groups, sorted by id and
 * paged by limit/offset (offset ignored with wag_emu_ignore_page). */
static void
wawp_contacts(WagEmu *emu, SoupServerMessage *msg, GHashTable *q)
{
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GPtrArray) ids = NULL;
	const char *limit = q ? g_hash_table_lookup(q, "limit") : NULL;
	const char *offset = q ? g_hash_table_lookup(q, "offset") : NULL;
	guint64 first = offset && !emu->ignore_page ? g_ascii_strtoull(offset, NULL, 10) : 0;
	guint64 count = limit ? g_ascii_strtoull(limit, NULL, 10) : G_MAXUINT64;
	JsonArray *a = json_array_new();
	GHashTableIter it;
	gpointer key;

	if (emu->me)
		g_hash_table_insert(names, g_strconcat(emu->me, "@c.us", NULL), g_strdup("Eu mesmo"));
	g_hash_table_insert(names, g_strdup("5521987654321@c.us"), g_strdup("Uma pessoa"));
	for (guint i = 0; i < emu->group_order->len; i++) {
		EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
		g_hash_table_insert(names, g_strdup(g->id), g_strdup(g->subject));
		for (guint j = 0; j < g->parts->len; j++) {
			EmuPart *p = g->parts->pdata[j];
			if (p->name)
				g_hash_table_insert(names, strchr(p->phone, '@') ? g_strdup(p->phone) : g_strconcat(p->phone, "@c.us", NULL),
				                    g_strdup(p->name));
		}
	}
	for (guint i = 0; i < emu->extra_contacts; i++)
		g_hash_table_insert(names, g_strdup_printf("55000%08u@c.us", i), g_strdup_printf("Contato %u", i));
	ids = g_ptr_array_new();
	g_hash_table_iter_init(&it, names);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_ptr_array_add(ids, key);
	g_ptr_array_sort(ids, by_id);
	for (guint64 i = first; i < ids->len && i - first < count; i++)
		json_array_add_object_element(a, wawp_contact(emu, ids->pdata[i], g_hash_table_lookup(names, ids->pdata[i])));
	emu_reply_json(msg, 200, emu_arr_node(a));
}

void
emu_wawp(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	g_autoptr(GHashTable) q = rec->query ? g_uri_parse_params(rec->query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
	const char *inst = q ? g_hash_table_lookup(q, "instance_id") : NULL;
	const char *tok = q ? g_hash_table_lookup(q, "access_token") : NULL;
	g_autoptr(JsonObject) body = emu_parse_body(msg, rec);
	const char *p;

	if (!inst && body && json_object_has_member(body, "instance_id"))
		inst = json_object_get_string_member(body, "instance_id");
	if (!tok && body && json_object_has_member(body, "access_token"))
		tok = json_object_get_string_member(body, "access_token");
	if (!g_str_has_prefix(rec->path, "/v2/")) {
		wawp_error(msg, 404, "not_found", "Not Found");
		return;
	}
	if (g_strcmp0(inst, emu->instance) != 0 || g_strcmp0(tok, emu->token) != 0) {
		wawp_error(msg, 401, "unauthorized", "Invalid instance_id or access_token");
		return;
	}
	p = rec->path + 4;
	if (strcmp(p, "session/info") == 0) {
		JsonObject *o = json_object_new();
		JsonObject *me = json_object_new();
		json_object_set_string_member(o, "name", emu->session_name);
		json_object_set_string_member(o, "status", emu->state);
		if (emu->me) {
			g_autofree char *id = g_strconcat(emu->me, "@c.us", NULL);
			json_object_set_string_member(me, "id", id);
			if (emu->me_lid)
				json_object_set_string_member(me, "lid", emu->me_lid);
			json_object_set_object_member(o, "me", me);
		} else {
			json_object_unref(me);
		}
		emu_reply_json(msg, 200, emu_obj_node(o));
		return;
	}
	if (strcmp(emu->state, "WORKING") != 0) {
		wawp_error(msg, 422, "unprocessable", "Session status is not as expected");
		return;
	}
	if (strcmp(p, "contacts/all") == 0) {
		wawp_contacts(emu, msg, q);
	} else if (strcmp(p, "groups") == 0) {
		JsonArray *a = json_array_new();
		for (guint i = 0; i < emu->group_order->len; i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
			JsonObject *o = json_object_new();
			json_object_set_string_member(o, "id", g->id);
			json_object_set_string_member(o, "subject", g->subject);
			json_array_add_object_element(a, o);
		}
		emu_reply_json(msg, 200, emu_arr_node(a));
	} else if (g_str_has_prefix(p, "groups/")) {
		const char *gid_start = p + strlen("groups/");
		const char *slash = strchr(gid_start, '/');
		g_autofree char *gid = slash ? g_strndup(gid_start, slash - gid_start) : g_strdup(gid_start);
		const char *tail = slash ? slash : "";
		EmuGroup *g = g_hash_table_lookup(emu->groups, gid);

		if (!g) {
			wawp_error(msg, 404, "not_found", "Group not found");
			return;
		}
		if (emu_wawp_admin(emu, msg, rec, g, tail))
			return;
		if (strcmp(tail, "/participants") == 0 || strcmp(tail, "/participants/join-requests") == 0) {
			JsonArray *a = json_array_new();
			gboolean reqs = strcmp(tail, "/participants") != 0;
			GPtrArray *src = reqs ? g->requests : g->parts;
			for (guint i = 0; i < src->len; i++) {
				JsonObject *o = json_object_new();
				const char *ph = reqs ? src->pdata[i] : ((EmuPart *) src->pdata[i])->phone;
				g_autofree char *id = strchr(ph, '@') ? g_strdup(ph) : g_strconcat(ph, "@c.us", NULL);
				if (reqs)
					json_object_set_string_member(o, "id", id);
				else
					wawp_participant(emu, o, id, ((EmuPart *) src->pdata[i])->role);
				json_array_add_object_element(a, o);
			}
			emu_reply_json(msg, 200, emu_arr_node(a));
		} else if (strcmp(rec->method, "POST") != 0) {
			wawp_error(msg, 405, "method_not_allowed", "Method Not Allowed");
		} else if (!body) {
			if (!rec->content_type || !g_str_has_prefix(rec->content_type, "application/json"))
				wawp_error(msg, 415, "unsupported_media_type", "Unsupported Media Type");
			else
				wawp_error(msg, 400, "bad_request", "Invalid JSON body");
		} else if (strcmp(tail, "/leave") == 0) {
			JsonObject *o = json_object_new();
			json_object_set_boolean_member(o, "ok", TRUE);
			emu_reply_json(msg, 200, emu_obj_node(o));
		} else if (strcmp(tail, "/participants/remove") == 0 ||
		           strcmp(tail, "/participants/join-requests/approve") == 0 ||
		           strcmp(tail, "/participants/join-requests/reject") == 0) {
			JsonArray *a = json_object_has_member(body, "participants") ?
				json_object_get_array_member(body, "participants") : NULL;
			JsonObject *o;
			if (!a) {
				wawp_error(msg, 400, "bad_request", "participants is required");
				return;
			}
			for (guint i = 0; i < json_array_get_length(a); i++) {
				JsonObject *e = json_array_get_object_element(a, i);
				g_autofree char *ph = e && json_object_has_member(e, "id") ?
					emu_digits_of(json_object_get_string_member(e, "id")) : NULL;
				if (!ph)
					continue;
				if (g_str_has_suffix(tail, "/remove"))
					emu_remove_part(g, ph);
				else if (emu_take_request(g, ph) && g_str_has_suffix(tail, "/approve")) {
					EmuPart *np = g_new0(EmuPart, 1);
					np->phone = g_strdup(ph);
					np->role = g_strdup("participant");
					g_ptr_array_add(g->parts, np);
				}
			}
			o = json_object_new();
			json_object_set_boolean_member(o, "ok", TRUE);
			emu_reply_json(msg, 200, emu_obj_node(o));
		} else {
			wawp_error(msg, 404, "not_found", "Not Found");
		}
	} else {
		wawp_error(msg, 404, "not_found", "Not Found");
	}
}
