/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What each vendor offers for group messages: reading its message webhooks
 * into `message` events, sending text, deleting for everyone. One table
 * per vendor (wag-vendor-*-msg.c), reached through WagVendor.messaging. */
#pragma once
#include "wag-vendor.h"

G_BEGIN_DECLS

struct _WagMessaging {
	/* A webhook body: appends the `message` events it carries (group chats
	 * only) and names the instance. FALSE only when the body is not this
	 * vendor's at all; anything it does not understand is skipped. */
	gboolean (*normalize)(JsonNode *body, GPtrArray *events, char **instance);
	/* Sends text to the group chat; mentions: canonical phones named in
	 * text as "@PHONE" (empty: none), dropped by a vendor that documents
	 * no way to send them. */
	WagRequest *(*req_send_text)(const WagCreds *c, const char *group, const char *text,
	                             const GPtrArray *mentions);
	/* The sent message's id from the reply (NULL when the vendor tells none). */
	char *(*parse_sent)(JsonNode *body);
	/* Deletes message_id (sent by `from`, canonical; from_me: ours) for
	 * everyone; NULL and WAG_ERROR_UNSUPPORTED when the vendor cannot. */
	WagRequest *(*req_delete)(const WagCreds *c, const char *group, const char *message_id,
	                          const char *from, gboolean from_me, GError **error);

	/* A notification queue read over HTTP instead of webhooks (Green API);
	 * all NULL for the others. req_settings' reply says through
	 * parse_webhook_set whether a webhook URL takes the notifications. */
	WagRequest *(*req_settings)(const WagCreds *c);
	gboolean (*parse_webhook_set)(JsonNode *body);
	WagRequest *(*req_receive)(const WagCreds *c, guint timeout_s);
	/* The notification's receipt id and its webhook body (borrowed); FALSE: the queue is empty. */
	gboolean (*parse_receive)(JsonNode *body, gint64 *receipt, JsonNode **webhook);
	WagRequest *(*req_ack)(const WagCreds *c, gint64 receipt);
};

extern const WagMessaging wag_messaging_zapi;
extern const WagMessaging wag_messaging_greenapi;
extern const WagMessaging wag_messaging_wawp;

/* Runs v's normalizer (none: nothing appended, TRUE). */
gboolean wag_messaging_normalize(const WagVendor *v, JsonNode *body, GPtrArray *events, char **instance);

/* Helpers for the vendor files: a message event for group, and the
 * canonical sender. */
WagEvent *wag_message_event_new(const char *group, WagMessageType type);

G_END_DECLS
