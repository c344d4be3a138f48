/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Chats: one per group or community, keyed by the vendor's id.
 * Called by: plugin.c (prpl ops), wag-account.c (mirroring what the session
 * reports), wag-commands.c and wag-prompts.c (finding and writing chats).
 * Calls: the session's verbs, libpurple. */
#pragma once
#include "wag-conn.h"

WagChats *wag_chats_new(void);
void wag_chats_free(WagChats *chats);

/* prpl ops */
GList *wag_chat_info(PurpleConnection *gc);
GHashTable *wag_chat_info_defaults(PurpleConnection *gc, const char *name);
char *wag_get_chat_name(GHashTable *components);
void wag_chat_join(PurpleConnection *gc, GHashTable *components);
void wag_chat_leave(PurpleConnection *gc, int id);

const char *wag_chat_group_of(WagConn *conn, int id);
/* The group's conversation, even one left (after a reconnect), or NULL. */
PurpleConversation *wag_chat_find(WagConn *conn, const char *group);
/* The group's conversation if it is open and joined, else NULL. */
PurpleConversation *wag_chat_find_open(WagConn *conn, const char *group);
/* The nick the user gave for the group's chat (bitlbee: the IRC nick), or NULL. */
const char *wag_chat_nick(WagConn *conn, const char *group);
/* A system line: through write_chat, the one bitlbee shows. */
void wag_chat_write(PurpleConversation *conv, const char *text, gboolean error);
/* Opens the chat unless it is open, and asks the session for the roster. */
void wag_chat_open(WagConn *conn, const char *group);
/* Shows the subject and, once known, the roster. */
void wag_chat_show_roster(WagConn *conn, const char *group);
/* The subject as the topic, the roster untouched (no part/join churn in bitlbee). */
void wag_chat_show_topic(WagConn *conn, const char *group);
/* Mirrors an applied membership event in the open chat (nothing else). */
void wag_chat_mirror(WagConn *conn, const WagGroup *g, const WagEvent *e);
/* This account is out of g: the open chat says so. */
void wag_chat_mark_left(WagConn *conn, const WagGroup *g);
/* A system line in every open chat of this account. */
void wag_chat_write_all(WagConn *conn, const char *text, gboolean error);
