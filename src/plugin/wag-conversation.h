/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The group conversation in libpurple: messages shown in the open chat,
 * text typed there sent through the session, the senders' names.
 * Called by: wag-account.c (the view's message slots), wag-commands.c
 * (chat text that is not a command), plugin.c (get_cb_alias).
 * Calls: the session's verbs, wag-chat.c, libpurple. */
#pragma once
#include "wag-conn.h"

/* Shows a group message in its chat, when the chat is open. */
void wag_conversation_show(WagConn *conn, const WagEvent *e, gboolean mentions_me);
/* A message typed in group's chat was refused by the vendor. */
void wag_conversation_failed(WagConn *conn, const char *group, const char *text, const GError *error);
/* Text typed in conv (HTML, as libpurple gives it): sent and shown once. */
void wag_conversation_send(WagConn *conn, PurpleConversation *conv, const char *group, const char *html);
/* prpl get_cb_alias: the sender's WhatsApp name. */
char *wag_conversation_alias(PurpleConnection *gc, int id, const char *who);
/* The line shown for a message, as HTML libpurple can show: escaped, cut,
 * valid UTF-8 (exposed for the tests). */
char *wag_conversation_html(const WagMessage *m);
