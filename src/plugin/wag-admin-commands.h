/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group administration from the hosts (issue 18): the /add, /op, /deop,
 * /topic, /description, /settings, /invitelink and /link commands, and the
 * prpl ops that reach the same verbs: chat_invite (Pidgin's "Invite...",
 * IRC /invite in bitlbee) and set_chat_topic (Pidgin's topic editing, IRC
 * /topic). Called by: wag-commands.c (its table rows), plugin.c (the prpl
 * ops). Calls: the session's verbs, wag-check.h, wag-prompts.c, wag-chat.c. */
#pragma once
#include "wag-conn.h"

/* Each runs one command typed in conv (the chat of group); arg may be NULL. */
void wag_admin_cmd_add(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);
void wag_admin_cmd_op(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);
void wag_admin_cmd_deop(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);
void wag_admin_cmd_topic(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);
void wag_admin_cmd_description(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);
void wag_admin_cmd_settings(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);
void wag_admin_cmd_invitelink(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);
void wag_admin_cmd_link(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg);

/* prpl chat_invite: who is the invitee (a phone); message goes to the audit log. */
void wag_admin_chat_invite(PurpleConnection *gc, int id, const char *message, const char *who);
/* prpl set_chat_topic. */
void wag_admin_set_chat_topic(PurpleConnection *gc, int id, const char *topic);
