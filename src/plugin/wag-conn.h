/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The libpurple 2 front end's state for one PurpleConnection. Every plugin
 * file includes this; each field is written by the one file named above it
 * (the others only read, or call that file). */
#pragma once
#include <purple.h>
#include "wag-session.h"
#include "wag-i18n.h"

#define WAG_PRPL_ID "prpl-wagateway"
#define WAG_PREFS_ROOT "/plugins/prpl/wagateway"
#define WAG_PREF_TIMEOUT WAG_PREFS_ROOT "/request_timeout"
#define WAG_CHAT_KEY "group"
/* The name bitlbee fills with the user's IRC nick (it does so for a chat
 * entry of this name, as for IRC's and XMPP's). */
#define WAG_CHAT_NICK_KEY "handle"
#define WAG_BLIST_AUTO "wagateway-auto"

typedef struct _WagChats WagChats;
typedef struct _WagBlist WagBlist;
typedef struct _WagPrompts WagPrompts;

typedef struct {
	/* wag-account.c */
	PurpleConnection *gc;
	WagSession *session;
	/* wag-chat.c: chat ids <-> group ids */
	WagChats *chats;
	/* wag-blist.c: buddy-list node index, placement, the waiting room list */
	WagBlist *blist;
	/* wag-prompts.c: open request dialogs */
	WagPrompts *prompts;
} WagConn;

static inline WagConn *
wag_conn(PurpleConnection *gc)
{
	return gc ? purple_connection_get_protocol_data(gc) : NULL;
}

/* Your own lines in Pidgin and Finch carry your number, not the instance
 * id: chats take the connection's display name as your nick. Called when
 * the number may have become known (groups listed, a chat joined). */
static inline void
wag_conn_show_me(WagConn *conn)
{
	const char *me = wag_session_get_me(conn->session);

	if (me && g_strcmp0(purple_connection_get_display_name(conn->gc), me) != 0)
		purple_connection_set_display_name(conn->gc, me);
}

/* The session's model of group (NULL when it knows no such group). */
static inline WagGroup *
wag_conn_group(WagConn *conn, const char *group)
{
	return wag_model_lookup(wag_session_get_model(conn->session), group);
}
