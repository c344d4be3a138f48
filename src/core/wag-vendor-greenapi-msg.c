/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Green API group messages. Sources (green-api.com docs, "Incoming
 * message"/"Outgoing message" notification formats, SendMessage,
 * DeleteMessage): typeWebhook incomingMessageReceived,
 * outgoingMessageReceived (sent from the phone) and
 * outgoingAPIMessageReceived (sent through the API, i.e. by us);
 * senderData.chatId is the chat (...@g.us for a group), sender the member;
 * timestamp in seconds; messageData.typeMessage with textMessageData,
 * extendedTextMessageData, fileMessageData (caption, downloadUrl),
 * quotedMessage.stanzaId, deletedMessageData.stanzaId. Sending:
 * POST sendMessage {chatId, message} -> {idMessage}; deleting:
 * POST deleteMessage {chatId, idMessage} (empty body, 200). */
#include "wag-messaging.h"
#include "wag-json.h"
#include "wag-phone.h"
#include <string.h>

static WagRequest *
green_msg_request(const WagCreds *c, const char *api_method, JsonBuilder *body)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	WagRequest *r = wag_request_new(&wag_vendor_greenapi, "POST",
		g_strdup_printf("/waInstance%s/%s/%s", inst, api_method, tok));
	wag_request_set_body(r, body);
	return r;
}

static JsonObject *
sub(JsonObject *o, const char *name)
{
	return o && json_object_has_member(o, name) ? wag_json_obj(json_object_get_member(o, name)) : NULL;
}

static const struct {
	const char *type;
	WagMessageType kind;
} types[] = {
	{ "textMessage", WAG_MSG_TEXT },
	{ "extendedTextMessage", WAG_MSG_TEXT },
	{ "quotedMessage", WAG_MSG_TEXT },
	{ "imageMessage", WAG_MSG_IMAGE },
	{ "videoMessage", WAG_MSG_VIDEO },
	{ "audioMessage", WAG_MSG_AUDIO },
	{ "documentMessage", WAG_MSG_DOCUMENT },
	{ "stickerMessage", WAG_MSG_STICKER },
	{ "locationMessage", WAG_MSG_LOCATION },
	{ "contactMessage", WAG_MSG_CONTACT },
	{ "pollMessage", WAG_MSG_POLL },
	{ "reactionMessage", WAG_MSG_REACTION },
	{ "deletedMessage", WAG_MSG_DELETED },
};

static gboolean
normalize(JsonNode *body, GPtrArray *events, char **instance)
{
	JsonObject *o = wag_json_obj(body);
	const char *hook = wag_json_str(o, "typeWebhook");
	JsonObject *sender = sub(o, "senderData");
	JsonObject *data = sub(o, "messageData");
	const char *chat = wag_json_str(sender, "chatId");
	const char *type = wag_json_str(data, "typeMessage");
	JsonObject *part;
	WagEvent *e;
	WagMessage *m;

	if (!o)
		return FALSE;
	*instance = wag_json_dup_id(sub(o, "instanceData"), "idInstance");
	if (!hook || (strcmp(hook, "incomingMessageReceived") != 0 && strcmp(hook, "outgoingMessageReceived") != 0 &&
	              strcmp(hook, "outgoingAPIMessageReceived") != 0))
		return TRUE;
	if (!chat || !g_str_has_suffix(chat, "@g.us"))
		return TRUE; /* private chats are not this plugin's */
	e = wag_message_event_new(chat, WAG_MSG_OTHER);
	m = e->message;
	for (guint i = 0; type && i < G_N_ELEMENTS(types); i++)
		if (strcmp(type, types[i].type) == 0)
			m->type = types[i].kind;
	m->message_id = g_strdup(wag_json_str(o, "idMessage"));
	m->from_me = !g_str_has_prefix(hook, "incoming");
	m->from = wag_json_str(sender, "sender") ? wag_phone_canonical(wag_json_str(sender, "sender")) : NULL;
	m->from_name = g_strdup(wag_json_str(sender, "senderName"));
	e->at = wag_json_int(o, "timestamp", e->at / 1000) * 1000;
	if ((part = sub(data, "textMessageData")))
		m->text = g_strdup(wag_json_str(part, "textMessage"));
	else if ((part = sub(data, "extendedTextMessageData")))
		m->text = g_strdup(wag_json_str(part, "text"));
	else if ((part = sub(data, "fileMessageData"))) {
		m->text = g_strdup(wag_json_str(part, "caption"));
		m->media_url = g_strdup(wag_json_str(part, "downloadUrl"));
	} else if ((part = sub(data, "pollMessageData")))
		m->text = g_strdup(wag_json_str(part, "name"));
	else if ((part = sub(data, "contactMessageData")))
		m->text = g_strdup(wag_json_str(part, "displayName"));
	else if ((part = sub(data, "locationMessageData")))
		m->text = g_strdup(wag_json_str(part, "nameLocation"));
	if ((part = sub(data, "deletedMessageData")))
		m->quoted_id = g_strdup(wag_json_str(part, "stanzaId"));
	else if ((part = sub(data, "quotedMessage")))
		m->quoted_id = g_strdup(wag_json_str(part, "stanzaId"));
	wag_message_scan_mentions(m);
	g_ptr_array_add(events, e);
	return TRUE;
}

static WagRequest *
req_send_text(const WagCreds *c, const char *group, const char *text, const GPtrArray *mentions)
{
	/* sendMessage documents no mention field: "@number" stays text, which
	 * WhatsApp shows but does not notify. */
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "chatId");
	json_builder_add_string_value(b, group);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, text);
	json_builder_end_object(b);
	return green_msg_request(c, "sendMessage", b);
}

static char *
parse_sent(JsonNode *body)
{
	return g_strdup(wag_json_str(wag_json_obj(body), "idMessage"));
}

static WagRequest *
req_delete(const WagCreds *c, const char *group, const char *message_id, const char *from,
           gboolean from_me, GError **error)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "chatId");
	json_builder_add_string_value(b, group);
	json_builder_set_member_name(b, "idMessage");
	json_builder_add_string_value(b, message_id);
	json_builder_end_object(b);
	return green_msg_request(c, "deleteMessage", b);
}

/* source: Green API docs, GetSettings (webhookUrl), ReceiveNotification
 * (GET receiveNotification/TOKEN?receiveTimeout=N -> {receiptId, body} or
 * null; body is the webhook), DeleteNotification (DELETE
 * deleteNotification/TOKEN/RECEIPT -> {result}). */
static WagRequest *
req_settings(const WagCreds *c)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	return wag_request_new(&wag_vendor_greenapi, "GET", g_strdup_printf("/waInstance%s/getSettings/%s", inst, tok));
}

static gboolean
parse_webhook_set(JsonNode *body)
{
	const char *url = wag_json_str(wag_json_obj(body), "webhookUrl");
	return url && *url;
}

static WagRequest *
req_receive(const WagCreds *c, guint timeout_s)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	return wag_request_new(&wag_vendor_greenapi, "GET",
		g_strdup_printf("/waInstance%s/receiveNotification/%s?receiveTimeout=%u", inst, tok, timeout_s));
}

static gboolean
parse_receive(JsonNode *body, gint64 *receipt, JsonNode **webhook)
{
	JsonObject *o = wag_json_obj(body);

	if (!o || !json_object_has_member(o, "body"))
		return FALSE;
	*receipt = wag_json_int(o, "receiptId", 0);
	*webhook = json_object_get_member(o, "body");
	return *receipt > 0;
}

static WagRequest *
req_ack(const WagCreds *c, gint64 receipt)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	return wag_request_new(&wag_vendor_greenapi, "DELETE",
		g_strdup_printf("/waInstance%s/deleteNotification/%s/%" G_GINT64_FORMAT, inst, tok, receipt));
}

const WagMessaging wag_messaging_greenapi = {
	.normalize = normalize,
	.req_send_text = req_send_text,
	.parse_sent = parse_sent,
	.req_delete = req_delete,
	.req_settings = req_settings,
	.parse_webhook_set = parse_webhook_set,
	.req_receive = req_receive,
	.parse_receive = parse_receive,
	.req_ack = req_ack,
};
