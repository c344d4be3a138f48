/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The message event's payload: JSON in and out, and the line shown for it. */
#include "wag-message.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

static const char *const type_names[] = {
	"text", "image", "video", "audio", "document", "sticker", "location",
	"contact", "poll", "reaction", "deleted", "other",
};
G_STATIC_ASSERT(G_N_ELEMENTS(type_names) == WAG_MSG_LAST);

/* Mentions kept per message: a hostile body cannot make the list grow without bound. */
#define MAX_MENTIONS 64

const char *
wag_message_type_name(WagMessageType type)
{
	return type < WAG_MSG_LAST ? type_names[type] : "other";
}

WagMessageType
wag_message_type_from_name(const char *name)
{
	for (guint i = 0; name && i < WAG_MSG_LAST; i++)
		if (strcmp(name, type_names[i]) == 0)
			return i;
	return WAG_MSG_OTHER;
}

WagMessage *
wag_message_new(WagMessageType type)
{
	WagMessage *m = g_new0(WagMessage, 1);
	m->type = type;
	m->mentions = g_ptr_array_new_with_free_func(g_free);
	return m;
}

void
wag_message_free(WagMessage *m)
{
	if (!m)
		return;
	g_free(m->message_id);
	g_free(m->from);
	g_free(m->from_name);
	g_free(m->text);
	g_free(m->quoted_id);
	g_free(m->media_url);
	g_ptr_array_free(m->mentions, TRUE);
	g_free(m);
}

static void
member(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	if (value)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

void
wag_message_build_members(const WagMessage *m, JsonBuilder *b)
{
	member(b, "message_id", m->message_id);
	member(b, "from", m->from);
	member(b, "from_name", m->from_name);
	json_builder_set_member_name(b, "from_me");
	json_builder_add_boolean_value(b, m->from_me);
	member(b, "type", wag_message_type_name(m->type));
	member(b, "text", m->text);
	member(b, "quoted_id", m->quoted_id);
	if (m->media_url)
		member(b, "media_url", m->media_url);
	json_builder_set_member_name(b, "mentions");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->mentions->len; i++)
		json_builder_add_string_value(b, m->mentions->pdata[i]);
	json_builder_end_array(b);
}

WagMessage *
wag_message_from_object(JsonObject *o)
{
	WagMessage *m = wag_message_new(wag_message_type_from_name(wag_json_str(o, "type")));
	JsonArray *mentions = wag_json_arr(o, "mentions");

	m->message_id = g_strdup(wag_json_str(o, "message_id"));
	m->from = g_strdup(wag_json_str(o, "from"));
	m->from_name = g_strdup(wag_json_str(o, "from_name"));
	m->from_me = wag_json_bool(o, "from_me", FALSE);
	m->text = g_strdup(wag_json_str(o, "text"));
	m->quoted_id = g_strdup(wag_json_str(o, "quoted_id"));
	m->media_url = g_strdup(wag_json_str(o, "media_url"));
	for (guint i = 0; mentions && i < json_array_get_length(mentions) && i < MAX_MENTIONS; i++) {
		JsonNode *n = json_array_get_element(mentions, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			g_ptr_array_add(m->mentions, g_strdup(json_node_get_string(n)));
	}
	return m;
}

char *
wag_message_clean_text(const char *text, guint max_chars)
{
	g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
	glong n = g_utf8_strlen(valid, -1);

	if (max_chars && n > (glong) max_chars) {
		const char *end = g_utf8_offset_to_pointer(valid, max_chars);
		g_autofree char *head = g_strndup(valid, end - valid);
		return g_strconcat(head, "...", NULL);
	}
	return g_steal_pointer(&valid);
}

void
wag_message_scan_mentions(WagMessage *m)
{
	const char *p = m->text;

	while (p && (p = strchr(p, '@')) && m->mentions->len < MAX_MENTIONS) {
		const char *start = ++p;
		while (g_ascii_isdigit(*p))
			p++;
		/* Phones have 8 to 15 digits (E.164); shorter is an ordinary "@12". */
		if (p - start >= 8 && p - start <= 15) {
			char *id = g_strndup(start, p - start);
			if (!g_ptr_array_find_with_equal_func(m->mentions, id, g_str_equal, NULL))
				g_ptr_array_add(m->mentions, id);
			else
				g_free(id);
		}
	}
}

static const char *
media_label(WagMessageType type)
{
	switch (type) {
	case WAG_MSG_IMAGE: return _("[image]");
	case WAG_MSG_VIDEO: return _("[video]");
	case WAG_MSG_AUDIO: return _("[audio]");
	case WAG_MSG_DOCUMENT: return _("[document]");
	case WAG_MSG_STICKER: return _("[sticker]");
	case WAG_MSG_LOCATION: return _("[location]");
	case WAG_MSG_CONTACT: return _("[contact]");
	case WAG_MSG_POLL: return _("[poll]");
	default: return _("[message of a kind this plugin does not show]");
	}
}

char *
wag_message_line(const WagMessage *m)
{
	g_autofree char *text = m->text && *m->text ? wag_message_clean_text(m->text, WAG_MESSAGE_MAX_CHARS) : NULL;
	GString *line;

	switch (m->type) {
	case WAG_MSG_TEXT:
		return g_strdup(text ? text : "");
	case WAG_MSG_REACTION:
		/* An empty reaction is the sender taking theirs back (WAHA docs). */
		return text ? g_strdup_printf(_("reacted %s"), text) : g_strdup(_("removed a reaction"));
	case WAG_MSG_DELETED:
		return g_strdup(_("deleted a message for everyone"));
	default:
		break;
	}
	line = g_string_new(media_label(m->type));
	if (text)
		g_string_append_printf(line, " %s", text);
	if (m->media_url && *m->media_url) {
		g_autofree char *url = wag_message_clean_text(m->media_url, 2048);
		g_string_append_printf(line, " %s", url);
	}
	return g_string_free(line, FALSE);
}
