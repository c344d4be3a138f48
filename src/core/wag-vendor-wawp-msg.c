/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Wawp (WAHA-shaped events) group messages. Sources: devlikeapro/waha-docs
 * how-to/receive-messages (events message, message.any, message.reaction,
 * message.revoked: payload id, from, to, participant, fromMe, body, hasMedia,
 * media.url/mimetype, replyTo.id, timestamp in seconds; revoked carries
 * before/after); api.wawp.net "Incoming Message" (the same payload inside
 * Wawp's envelope); Wawp's SDK send_text (POST /v2/send/text {chatId,
 * message}: Wawp's field is `message`, WAHA's own API says `text`);
 * api.wawp.net/en/docs/v2/messages/delete (DELETE /v2/messages/delete with
 * chatId and messageId in the query). */
#include "wag-messaging.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

static WagRequest *
wawp_msg_request(const WagCreds *c, const char *method, const char *path, const char *query)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	return wag_request_new(&wag_vendor_wawp, method,
		g_strdup_printf("/v2/%s?%s%sinstance_id=%s&access_token=%s", path, query ? query : "",
		                query ? "&" : "", inst, tok));
}

static JsonObject *
sub(JsonObject *o, const char *name)
{
	return o && json_object_has_member(o, name) ? wag_json_obj(json_object_get_member(o, name)) : NULL;
}

/* WEBJS writes ids as objects with _serialized; others as strings. */
static const char *
id_of(JsonObject *o, const char *member)
{
	const char *s = wag_json_str(o, member);
	return s ? s : wag_json_str(sub(o, member), "_serialized");
}

static const char *
group_of(JsonObject *p)
{
	const char *from = id_of(p, "from"), *to = id_of(p, "to");
	if (from && g_str_has_suffix(from, "@g.us"))
		return from;
	if (to && g_str_has_suffix(to, "@g.us"))
		return to;
	return NULL;
}

static WagMessageType
media_type(const char *mime)
{
	if (!mime)
		return WAG_MSG_DOCUMENT;
	if (g_str_has_prefix(mime, "image/webp"))
		return WAG_MSG_STICKER;
	if (g_str_has_prefix(mime, "image/"))
		return WAG_MSG_IMAGE;
	if (g_str_has_prefix(mime, "video/"))
		return WAG_MSG_VIDEO;
	if (g_str_has_prefix(mime, "audio/"))
		return WAG_MSG_AUDIO;
	return WAG_MSG_DOCUMENT;
}

static gboolean
normalize(JsonNode *body, GPtrArray *events, char **instance)
{
	JsonObject *o = wag_json_obj(body);
	const char *event = wag_json_str(o, "event");
	JsonObject *p = sub(o, "payload");
	const char *group, *sender;
	JsonObject *part;
	WagEvent *e;
	WagMessage *m;

	if (!o)
		return FALSE;
	*instance = g_strdup(wag_json_str(o, "session") ? wag_json_str(o, "session") : wag_json_str(o, "instance_id"));
	if (!event || !p || (strcmp(event, "message") != 0 && strcmp(event, "message.any") != 0 &&
	                     strcmp(event, "message.reaction") != 0 && strcmp(event, "message.revoked") != 0))
		return TRUE;
	if (strcmp(event, "message.revoked") == 0) {
		/* The ids are in before/after; the chat in them or in the payload. */
		JsonObject *before = sub(p, "before"), *after = sub(p, "after");
		group = group_of(p);
		if (!group)
			group = before ? group_of(before) : NULL;
		if (!group)
			group = after ? group_of(after) : NULL;
		if (!group) {
			g_debug("wawp: a message.revoked without a group chat id: skipped");
			return TRUE;
		}
		e = wag_message_event_new(group, WAG_MSG_DELETED);
		m = e->message;
		part = before ? before : after;
		m->quoted_id = g_strdup(id_of(part, "id"));
		m->message_id = after ? g_strdup(id_of(after, "id")) : NULL;
		sender = id_of(part, "participant") ? id_of(part, "participant") : wag_json_str(p, "revokedBy");
		m->from = sender ? wag_phone_canonical(sender) : NULL;
		m->from_me = wag_json_bool(part, "fromMe", FALSE);
		g_ptr_array_add(events, e);
		return TRUE;
	}
	if (!(group = group_of(p)))
		return TRUE; /* a private chat */
	e = wag_message_event_new(group, WAG_MSG_TEXT);
	m = e->message;
	m->message_id = g_strdup(id_of(p, "id"));
	m->from_me = wag_json_bool(p, "fromMe", FALSE);
	sender = id_of(p, "participant") ? id_of(p, "participant") : id_of(p, "author");
	m->from = sender ? wag_phone_canonical(sender) : NULL;
	m->from_name = g_strdup(wag_json_str(sub(p, "_data"), "notifyName"));
	/* WAHA: seconds (with a fraction for reactions); Wawp's envelope: ms at the top. */
	if (json_object_has_member(p, "timestamp")) {
		JsonNode *t = json_object_get_member(p, "timestamp");
		if (JSON_NODE_HOLDS_VALUE(t) && (json_node_get_value_type(t) == G_TYPE_DOUBLE ||
		                                 json_node_get_value_type(t) == G_TYPE_INT64))
			e->at = (gint64) (json_node_get_double(t) * 1000);
	}
	if ((part = sub(p, "reaction"))) {
		m->type = WAG_MSG_REACTION;
		m->text = g_strdup(wag_json_str(part, "text"));
		m->quoted_id = g_strdup(wag_json_str(part, "messageId"));
	} else {
		m->text = g_strdup(wag_json_str(p, "body"));
		m->quoted_id = g_strdup(id_of(sub(p, "replyTo"), "id"));
		if (wag_json_bool(p, "hasMedia", FALSE)) {
			part = sub(p, "media");
			m->type = media_type(wag_json_str(part, "mimetype"));
			m->media_url = g_strdup(wag_json_str(part, "url"));
		} else if (sub(p, "location")) {
			m->type = WAG_MSG_LOCATION;
		}
	}
	wag_message_scan_mentions(m);
	g_ptr_array_add(events, e);
	return TRUE;
}

static WagRequest *
req_send_text(const WagCreds *c, const char *group, const char *text, const GPtrArray *mentions)
{
	WagRequest *r = wawp_msg_request(c, "POST", "send/text", NULL);
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "chatId");
	json_builder_add_string_value(b, group);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, text);
	/* Wawp's page lists no mention field; WAHA's sendText, which Wawp
	 * fronts, takes "mentions" as chat ids. Sent only with a mention. */
	if (mentions && mentions->len) {
		json_builder_set_member_name(b, "mentions");
		json_builder_begin_array(b);
		for (guint i = 0; i < mentions->len; i++) {
			const char *id = mentions->pdata[i];
			/* A participant the roster lists by lid is a chat id already. */
			g_autofree char *jid = strchr(id, '@') ? g_strdup(id) : g_strdup_printf("%s@c.us", id);
			json_builder_add_string_value(b, jid);
		}
		json_builder_end_array(b);
	}
	json_builder_set_member_name(b, "instance_id");
	json_builder_add_string_value(b, c->instance);
	json_builder_set_member_name(b, "access_token");
	json_builder_add_string_value(b, c->token);
	json_builder_end_object(b);
	wag_request_set_body(r, b);
	return r;
}

/* No reply is documented: WAHA answers the engine's message, whose id is a
 * string, an object with _serialized, or key.id (NOWEB). */
static char *
parse_sent(JsonNode *body)
{
	JsonObject *o = wag_json_obj(body);
	const char *id = id_of(o, "id");
	if (!id)
		id = wag_json_str(sub(o, "key"), "id");
	if (!id)
		id = wag_json_str(o, "messageId");
	return g_strdup(id);
}

static WagRequest *
req_delete(const WagCreds *c, const char *group, const char *message_id, const char *from,
           gboolean from_me, GError **error)
{
	g_autofree char *chat = wag_escape(group);
	g_autofree char *id = wag_escape(message_id);
	g_autofree char *query = g_strdup_printf("chatId=%s&messageId=%s", chat, id);
	return wawp_msg_request(c, "DELETE", "messages/delete", query);
}

const WagMessaging wag_messaging_wawp = {
	.normalize = normalize,
	.req_send_text = req_send_text,
	.parse_sent = parse_sent,
	.req_delete = req_delete,
};
