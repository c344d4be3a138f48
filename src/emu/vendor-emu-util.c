/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Replies and state helpers shared by the emulated vendors. */
#include "vendor-emu-private.h"
#include <stdlib.h>
#include <string.h>

/* ---- replies ---- */

void
emu_reply_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	g_autofree char *text = json_to_string(node, FALSE);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, text, strlen(text));
	json_node_unref(node);
}

void
emu_reply_raw(SoupServerMessage *msg, guint status, const char *body)
{
	soup_server_message_set_status(msg, status, NULL);
	if (body)
		soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, body, strlen(body));
}

JsonNode *
emu_obj_node(JsonObject *o)
{
	JsonNode *n = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(n, o);
	return n;
}

JsonNode *
emu_arr_node(JsonArray *a)
{
	JsonNode *n = json_node_new(JSON_NODE_ARRAY);
	json_node_take_array(n, a);
	return n;
}

void
emu_reply_flag(SoupServerMessage *msg, const char *flag, gboolean value)
{
	JsonObject *o = json_object_new();
	json_object_set_boolean_member(o, flag, value);
	emu_reply_json(msg, 200, emu_obj_node(o));
}

void
emu_reply_error(SoupServerMessage *msg, guint status, const char *text)
{
	JsonObject *o = json_object_new();
	json_object_set_string_member(o, "error", text);
	emu_reply_json(msg, status, emu_obj_node(o));
}

/* ---- state helpers ---- */

EmuPart *
emu_find_part(EmuGroup *g, const char *phone)
{
	for (guint i = 0; g && i < g->parts->len; i++) {
		EmuPart *p = g->parts->pdata[i];
		if (strcmp(p->phone, phone) == 0)
			return p;
	}
	return NULL;
}

gboolean
emu_remove_part(EmuGroup *g, const char *phone)
{
	EmuPart *p = emu_find_part(g, phone);
	return p && g_ptr_array_remove(g->parts, p);
}

gboolean
emu_take_request(EmuGroup *g, const char *phone)
{
	guint idx;
	if (!g || !g_ptr_array_find_with_equal_func(g->requests, phone, g_str_equal, &idx))
		return FALSE;
	g_ptr_array_remove_index(g->requests, idx);
	return TRUE;
}

/* digits from "5511...@c.us" or "5511..." */
char *
emu_digits_of(const char *id)
{
	const char *at = strchr(id, '@');
	return at && strcmp(at, "@lid") != 0 ? g_strndup(id, at - id) : g_strdup(id);
}

JsonObject *
emu_parse_body(SoupServerMessage *msg, WagEmuRequest *rec)
{
	JsonParser *p;
	JsonObject *o = NULL;

	if (!rec->body)
		return NULL;
	p = json_parser_new();
	if (json_parser_load_from_data(p, rec->body, -1, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
		o = json_object_ref(json_node_get_object(json_parser_get_root(p)));
	g_object_unref(p);
	return o;
}

/* POSTs need JSON with its content type, as the vendors enforce. */
JsonObject *
emu_require_json(SoupServerMessage *msg, WagEmuRequest *rec, guint bad_status, const char *bad_text)
{
	JsonObject *o;
	if (!rec->content_type || !g_str_has_prefix(rec->content_type, "application/json")) {
		emu_reply_error(msg, 415, "Unsupported Media Type");
		return NULL;
	}
	o = emu_parse_body(msg, rec);
	if (!o)
		emu_reply_error(msg, bad_status, bad_text);
	return o;
}

const char *
emu_owner_of(EmuGroup *g)
{
	for (guint i = 0; i < g->parts->len; i++) {
		EmuPart *p = g->parts->pdata[i];
		if (strcmp(p->role, "superadmin") == 0)
			return p->phone;
	}
	return NULL;
}
