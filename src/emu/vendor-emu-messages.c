/* Group messages as the vendors' docs describe sending and deleting them:
 * Z-API POST send-text -> {zaapId, messageId}, DELETE messages?... -> 204;
 * Green API POST sendMessage -> {idMessage}, POST deleteMessage -> 200 and an
 * empty body; Wawp POST /v2/send/text {chatId, message}, DELETE
 * /v2/messages/delete?chatId=&messageId= (no reply bodies documented: WAHA's
 * message object with an id, and {}). */
#include "vendor-emu-private.h"
#include <string.h>

static guint sent_counter;

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
		return FALSE;
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
