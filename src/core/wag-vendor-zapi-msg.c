/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Z-API group messages. Sources (Z-API/z-api-docs@7021b82):
 * webhooks/on-message-received.md (ReceivedCallback: isGroup, phone = the
 * chat, participantPhone = the sender in a group, fromMe, momment in ms,
 * text.message, image/video/document caption and URL, reaction.value and
 * referencedMessage; the notification REVOKE), message/send-message-text.md
 * (POST send-text {phone, message} -> {zaapId, messageId}),
 * message/delete-message.md (DELETE messages?messageId=&phone=&owner=). */
#include "wag-messaging.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

static WagRequest *
zapi_msg_request(const WagCreds *c, const char *method, char *tail_take)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	g_autofree char *tail = tail_take;
	WagRequest *r = wag_request_new(&wag_vendor_zapi, method,
	                                g_strdup_printf("/instances/%s/token/%s/%s", inst, tok, tail));
	if (c->client_token && *c->client_token)
		wag_request_add_header(r, "Client-Token", c->client_token);
	return r;
}

static JsonObject *
sub(JsonObject *o, const char *name)
{
	return o && json_object_has_member(o, name) ? wag_json_obj(json_object_get_member(o, name)) : NULL;
}

/* The media members of a ReceivedCallback: which object, its type, the URL member. */
static const struct {
	const char *member, *url;
	WagMessageType type;
} media[] = {
	{ "image", "imageUrl", WAG_MSG_IMAGE },
	{ "video", "videoUrl", WAG_MSG_VIDEO },
	{ "audio", "audioUrl", WAG_MSG_AUDIO },
	{ "document", "documentUrl", WAG_MSG_DOCUMENT },
	{ "sticker", "stickerUrl", WAG_MSG_STICKER },
	{ "location", "url", WAG_MSG_LOCATION },
	{ "contact", NULL, WAG_MSG_CONTACT },
	{ "poll", NULL, WAG_MSG_POLL },
};

static gboolean
normalize(JsonNode *body, GPtrArray *events, char **instance)
{
	JsonObject *o = wag_json_obj(body);
	const char *group, *notification, *sender;
	JsonObject *part;
	WagEvent *e;
	WagMessage *m;

	if (!o)
		return FALSE;
	*instance = g_strdup(wag_json_str(o, "instanceId"));
	group = wag_json_str(o, "phone");
	notification = wag_json_str(o, "notification");
	if (g_strcmp0(wag_json_str(o, "type"), "ReceivedCallback") != 0 || !group ||
	    !wag_json_bool(o, "isGroup", FALSE))
		return TRUE;
	/* Membership notifications travel in the same callback: not messages. */
	if (notification && strcmp(notification, "REVOKE") != 0)
		return TRUE;
	e = wag_message_event_new(group, WAG_MSG_OTHER);
	m = e->message;
	m->message_id = g_strdup(wag_json_str(o, "messageId"));
	m->from_me = wag_json_bool(o, "fromMe", FALSE);
	sender = wag_json_str(o, "participantPhone");
	if (!sender)
		sender = wag_json_str(o, "participantLid");
	m->from = sender ? wag_phone_canonical(sender) : NULL;
	m->from_name = g_strdup(wag_json_str(o, "senderName"));
	m->quoted_id = g_strdup(wag_json_str(o, "referenceMessageId"));
	e->at = wag_json_int(o, "momment", e->at);
	if (notification) {
		m->type = WAG_MSG_DELETED;
	} else if ((part = sub(o, "text"))) {
		m->type = WAG_MSG_TEXT;
		m->text = g_strdup(wag_json_str(part, "message"));
	} else if ((part = sub(o, "reaction"))) {
		JsonObject *ref = sub(part, "referencedMessage");
		m->type = WAG_MSG_REACTION;
		m->text = g_strdup(wag_json_str(part, "value"));
		g_free(m->quoted_id);
		m->quoted_id = g_strdup(wag_json_str(ref, "messageId"));
	} else {
		for (guint i = 0; i < G_N_ELEMENTS(media); i++) {
			if (!(part = sub(o, media[i].member)))
				continue;
			m->type = media[i].type;
			m->text = g_strdup(wag_json_str(part, "caption"));
			if (!m->text)
				m->text = g_strdup(wag_json_str(part, m->type == WAG_MSG_POLL ? "question" :
				                                      m->type == WAG_MSG_CONTACT ? "displayName" : "fileName"));
			if (media[i].url)
				m->media_url = g_strdup(wag_json_str(part, media[i].url));
			break;
		}
	}
	wag_message_scan_mentions(m);
	g_ptr_array_add(events, e);
	return TRUE;
}

static WagRequest *
req_send_text(const WagCreds *c, const char *group, const char *text, const GPtrArray *mentions)
{
	WagRequest *r = zapi_msg_request(c, "POST", g_strdup("send-text"));
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "phone");
	json_builder_add_string_value(b, group);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, text);
	/* Z-API's "Mention member": the numbers, the text carrying "@number". */
	if (mentions && mentions->len) {
		json_builder_set_member_name(b, "mentioned");
		json_builder_begin_array(b);
		for (guint i = 0; i < mentions->len; i++)
			json_builder_add_string_value(b, mentions->pdata[i]);
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
	wag_request_set_body(r, b);
	return r;
}

static char *
parse_sent(JsonNode *body)
{
	return g_strdup(wag_json_str(wag_json_obj(body), "messageId"));
}

static WagRequest *
req_delete(const WagCreds *c, const char *group, const char *message_id, const char *from,
           gboolean from_me, GError **error)
{
	g_autofree char *id = wag_escape(message_id);
	g_autofree char *chat = wag_escape(group);

	/* owner: whether the message is the instance's own. */
	return zapi_msg_request(c, "DELETE", g_strdup_printf("messages?messageId=%s&phone=%s&owner=%s",
	                                                     id, chat, from_me ? "true" : "false"));
}

const WagMessaging wag_messaging_zapi = {
	.normalize = normalize,
	.req_send_text = req_send_text,
	.parse_sent = parse_sent,
	.req_delete = req_delete,
};
