/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group messages as the vendors' docs describe sending and deleting them:
 * Z-API POST send-text -> {zaapId, messageId}, DELETE messages?... -> 204;
 * Green API POST sendMessage -> {idMessage}, POST deleteMessage -> 200 and an
 * empty body; Wawp POST /v2/send/text {chatId, message}, DELETE
 * /v2/messages/delete?chatId=&messageId= (no reply bodies documented: WAHA's
 * message object with an id, and {}). */
#include "vendor-emu-private.h"
#include <string.h>

static guint sent_counter;

static void
queue_free(GQueue *q)
{
	g_queue_free_full(q, g_free);
}

static gboolean
authorized(WagEmu *emu, WagEmuRequest *rec)
{
	return strstr(rec->path, emu->token) || (rec->query && strstr(rec->query, emu->token));
}

static char *
next_id(void)
{
	return g_strdup_printf("EMU%08X", ++sent_counter);
}

/* Green API's notification queue, once a test queued something. */
static gboolean
emu_notifications(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	GQueue *q = g_object_get_data(G_OBJECT(emu->server), "notifications");
	gint64 *next = g_object_get_data(G_OBJECT(emu->server), "next-receipt");

	if (!q || strcmp(emu->vendor, "greenapi") != 0 || !authorized(emu, rec))
		return FALSE;
	if (strstr(rec->path, "/getSettings/")) {
		emu_reply_raw(msg, 200, "{\"wid\": \"11001234567@c.us\", \"webhookUrl\": \"\", \"webhookUrlToken\": \"\"}");
		return TRUE;
	}
	if (strstr(rec->path, "/receiveNotification/")) {
		const char *body = g_queue_peek_head(q);
		g_autofree char *reply = body ? g_strdup_printf("{\"receiptId\": %" G_GINT64_FORMAT ", \"body\": %s}", *next, body) : NULL;
		emu_reply_raw(msg, 200, reply ? reply : "null");
		return TRUE;
	}
	if (strstr(rec->path, "/deleteNotification/")) {
		g_autofree char *want = g_strdup_printf("/%" G_GINT64_FORMAT, *next);
		gboolean ok = g_str_has_suffix(rec->path, want) && !g_queue_is_empty(q);
		if (ok) {
			g_free(g_queue_pop_head(q));
			(*next)++;
		}
		emu_reply_raw(msg, 200, ok ? "{\"result\": true}" : "{\"result\": false}");
		return TRUE;
	}
	return FALSE;
}

void
wag_emu_green_open_queue(WagEmu *emu)
{
	gint64 *next;

	if (g_object_get_data(G_OBJECT(emu->server), "notifications"))
		return;
	next = g_new(gint64, 1);
	*next = 1234567;
	g_object_set_data_full(G_OBJECT(emu->server), "notifications", g_queue_new(), (GDestroyNotify) queue_free);
	g_object_set_data_full(G_OBJECT(emu->server), "next-receipt", next, g_free);
}

void
wag_emu_green_notify(WagEmu *emu, const char *webhook_json)
{
	wag_emu_green_open_queue(emu);
	g_queue_push_tail(g_object_get_data(G_OBJECT(emu->server), "notifications"), g_strdup(webhook_json));
}

guint
wag_emu_green_queued(WagEmu *emu)
{
	GQueue *q = g_object_get_data(G_OBJECT(emu->server), "notifications");
	return q ? q->length : 0;
}

gboolean
emu_messages(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	const char *method = rec->method;
	JsonObject *o = json_object_new();
	g_autofree char *id = NULL;
	gboolean zapi = strcmp(emu->vendor, "zapi") == 0, green = strcmp(emu->vendor, "greenapi") == 0;
	gboolean send = zapi ? g_str_has_suffix(rec->path, "/send-text") :
	                green ? strstr(rec->path, "/sendMessage/") != NULL : g_str_has_suffix(rec->path, "/v2/send/text");
	gboolean del = zapi ? g_str_has_suffix(rec->path, "/messages") :
	               green ? strstr(rec->path, "/deleteMessage/") != NULL : g_str_has_suffix(rec->path, "/v2/messages/delete");

	if (!send && !del) {
		json_object_unref(o);
		return emu_notifications(emu, msg, rec);
	}
	if (!authorized(emu, rec)) {
		json_object_unref(o);
		emu_reply_error(msg, 401, "Unauthorized");
		return TRUE;
	}
	if (send) {
		g_autoptr(JsonObject) body = emu_require_json(msg, rec, 400, "Bad Request");
		const char *text_member = "message";
		if (!body) {
			json_object_unref(o);
			return TRUE;
		}
		if (strcmp(method, "POST") != 0 || !json_object_has_member(body, text_member) ||
		    !json_object_has_member(body, zapi ? "phone" : "chatId")) {
			json_object_unref(o);
			emu_reply_error(msg, 400, "Validation failed");
			return TRUE;
		}
		id = next_id();
		g_object_set_data_full(G_OBJECT(emu->server), "last-sent-id", g_strdup(id), g_free);
		if (zapi) {
			json_object_set_string_member(o, "zaapId", "3999984263738042930CD6ECDE9VDWSA");
			json_object_set_string_member(o, "messageId", id);
		} else if (green) {
			json_object_set_string_member(o, "idMessage", id);
		} else {
			json_object_set_string_member(o, "id", id);
		}
		emu_reply_json(msg, 200, emu_obj_node(o));
		return TRUE;
	}
	json_object_unref(o);
	if (strcmp(method, zapi || !green ? "DELETE" : "POST") != 0) {
		emu_reply_error(msg, 405, "Method Not Allowed");
		return TRUE;
	}
	if (zapi)
		soup_server_message_set_status(msg, 204, NULL);
	else if (green)
		emu_reply_raw(msg, 200, "");
	else
		emu_reply_raw(msg, 200, "{}");
	return TRUE;
}

const char *
wag_emu_last_sent_id(WagEmu *emu)
{
	return g_object_get_data(G_OBJECT(emu->server), "last-sent-id");
}
