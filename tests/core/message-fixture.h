/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What the two message tests share (test-messages.c: receiving;
 * test-messages-send.c: sending, pacing, /delete): each vendor's documented
 * message webhooks made group messages, and a session that receives them. */
#pragma once
#include "session-view.h"
#include "vendor-fixture.h"
#include "wag-messaging.h"

G_BEGIN_DECLS

#define MEMBER_NAME "Ana"

/* n's object, or its member's. */
JsonObject *mf_obj(JsonNode *n, const char *member);
/* A documented example made a message of vc->group from FX_MEMBER.
 *
 * Z-API and Green API document only private-chat examples of their message
 * webhooks (tests/fixtures/README.md); the tests take those examples and
 * make them group messages with the fields the same pages document for
 * groups: Z-API isGroup true, phone = the group, participantPhone = the
 * sender (webhooks/on-message-received.md); Green API senderData.chatId =
 * the ...@g.us group, sender = the member (the "Incoming messages" field
 * table). WAHA's examples are private chats too; for a group, from is the
 * group and participant the sender (receive-messages, chat-id notes). */
JsonNode *mf_group_fixture(const VendorCase *vc, const char *name);
/* The events the vendor's normalizer makes of n (asserted to parse). */
GPtrArray *mf_normalize(const VendorCase *vc, JsonNode *n);
/* A session started with c, listed, its own number known. */
SvRec *mf_start(const WagSessionConfig *c);
/* The same for vc's account with messages = mode (NULL: the default). */
SvRec *mf_login(WagEmu *emu, const VendorCase *vc, const char *mode);
/* A text message in vc->group, pushed as the vendor's webhook would bring it. */
void mf_say(SvRec *r, const VendorCase *vc, const char *text, const char *id, const char *from, gboolean from_me);
/* Where each vendor's send-text call goes. */
const char *mf_send_path(const VendorCase *vc);
/* Where, and with which method, each vendor's delete-for-everyone goes. */
const char *mf_delete_path(const VendorCase *vc);
const char *mf_delete_method(const VendorCase *vc);

G_END_DECLS
