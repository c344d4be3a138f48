/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "message-fixture.h"
#include <string.h>

JsonObject *
mf_obj(JsonNode *n, const char *member)
{
	JsonObject *o = json_node_get_object(n);
	return member ? json_object_get_object_member(o, member) : o;
}

JsonNode *
mf_group_fixture(const VendorCase *vc, const char *name)
{
	JsonNode *n = wag_fixture_json(vc->vendor, name);
	JsonObject *o = mf_obj(n, NULL);

	if (strcmp(vc->vendor, "zapi") == 0) {
		json_object_set_boolean_member(o, "isGroup", TRUE);
		json_object_set_string_member(o, "phone", vc->group);
		json_object_set_string_member(o, "participantPhone", FX_MEMBER);
		json_object_set_string_member(o, "instanceId", FX_INSTANCE);
	} else if (strcmp(vc->vendor, "greenapi") == 0) {
		JsonObject *sd = mf_obj(n, "senderData");
		json_object_set_string_member(sd, "chatId", vc->group);
		json_object_set_string_member(sd, "sender", FX_MEMBER "@c.us");
		json_object_set_string_member(sd, "senderName", MEMBER_NAME);
	} else {
		JsonObject *p = mf_obj(n, "payload");
		if (json_object_has_member(p, "before"))
			p = json_object_get_object_member(p, "before");
		json_object_set_string_member(p, "from", vc->group);
		json_object_set_string_member(p, "participant", FX_MEMBER "@c.us");
	}
	return n;
}

GPtrArray *
mf_normalize(const VendorCase *vc, JsonNode *n)
{
	GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	g_autofree char *instance = NULL;

	g_assert_true(wag_messaging_normalize(wag_vendor_lookup(vc->vendor), n, events, &instance));
	return events;
}

SvRec *
mf_start(const WagSessionConfig *c)
{
	SvRec *r = sv_start(c, NULL);

	g_assert_true(sv_wait_listed(r, 5000));
	/* "me" is asked beside the listing: wait for it too. */
	while (!wag_session_get_me(r->s))
		g_main_context_iteration(NULL, TRUE);
	return r;
}

SvRec *
mf_login(WagEmu *emu, const VendorCase *vc, const char *mode)
{
	WagSessionConfig c = sv_config(emu, vc);

	c.messages = mode;
	return mf_start(&c);
}

/* The text fixture of each vendor and where its text and id live. */
static const char *
text_fixture(const VendorCase *vc)
{
	return strcmp(vc->vendor, "zapi") == 0 ? "webhook-text.json" :
	       strcmp(vc->vendor, "greenapi") == 0 ? "webhook-incomingMessageReceived-textMessage.json" :
	       "webhook-message.json";
}

typedef struct {
	const char *text, *id, *from;
	gboolean from_me;
} Edit;

static void
edit_text(JsonNode *n, const Edit *ed)
{
	JsonObject *o = mf_obj(n, NULL);

	if (json_object_has_member(o, "isGroup")) {
		json_object_set_string_member(mf_obj(n, "text"), "message", ed->text);
		json_object_set_string_member(o, "messageId", ed->id);
		json_object_set_boolean_member(o, "fromMe", ed->from_me);
		if (ed->from)
			json_object_set_string_member(o, "participantPhone", ed->from);
	} else if (json_object_has_member(o, "typeWebhook")) {
		json_object_set_string_member(json_object_get_object_member(mf_obj(n, "messageData"), "textMessageData"),
		                              "textMessage", ed->text);
		json_object_set_string_member(o, "idMessage", ed->id);
		json_object_set_string_member(o, "typeWebhook", ed->from_me ? "outgoingMessageReceived" : "incomingMessageReceived");
		if (ed->from)
			json_object_set_string_member(mf_obj(n, "senderData"), "sender", ed->from);
	} else {
		JsonObject *p = mf_obj(n, "payload");
		json_object_set_string_member(p, "body", ed->text);
		json_object_set_string_member(p, "id", ed->id);
		json_object_set_boolean_member(p, "fromMe", ed->from_me);
		if (ed->from)
			json_object_set_string_member(p, "participant", ed->from);
	}
}

void
mf_say(SvRec *r, const VendorCase *vc, const char *text, const char *id, const char *from, gboolean from_me)
{
	Edit ed = { text, id, from, from_me };
	g_autoptr(JsonNode) n = mf_group_fixture(vc, text_fixture(vc));
	g_autoptr(GPtrArray) events = NULL;

	edit_text(n, &ed);
	events = mf_normalize(vc, n);
	for (guint i = 0; i < events->len; i++)
		wag_session_push_event(r->s, g_ptr_array_steal_index(events, i--));
}

const char *
mf_send_path(const VendorCase *vc)
{
	return vc == &fx_zapi ? "/send-text" : vc == &fx_green ? "/sendMessage/" : "/v2/send/text";
}

const char *
mf_delete_path(const VendorCase *vc)
{
	return vc == &fx_zapi ? "/messages" : vc == &fx_green ? "/deleteMessage/" : "/v2/messages/delete";
}

const char *
mf_delete_method(const VendorCase *vc)
{
	return vc == &fx_green ? "POST" : "DELETE";
}
