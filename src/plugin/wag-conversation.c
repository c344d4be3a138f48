/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group messages in libpurple chats. Every decision (what to show, echoes,
 * pacing, the `messages` option) is the session's; this file renders. */
#include "wag-conversation.h"
#include "wag-chat.h"
#include <string.h>

char *
wag_conversation_html(const WagMessage *m)
{
	g_autofree char *line = wag_message_line(m);

	/* Message text is the sender's, never markup: "<b>" stays "<b>" on screen. */
	return g_markup_escape_text(line, -1);
}

static const char *
our_nick(PurpleConversation *conv)
{
	const char *nick = purple_conv_chat_get_nick(PURPLE_CONV_CHAT(conv));
	return nick ? nick : purple_account_get_username(purple_conversation_get_account(conv));
}

void
wag_conversation_show(WagConn *conn, const WagEvent *e, gboolean mentions_me)
{
	PurpleConversation *conv = wag_chat_find_open(conn, e->group);
	const WagMessage *m = e->message;
	const char *nick = conv ? wag_chat_nick(conn, e->group) : NULL;
	g_autofree char *html = NULL;
	PurpleMessageFlags flags;
	const char *who;

	if (!conv || !m)
		return;
	/* bitlbee drops libpurple's highlight flag: the line carries the nick
	 * bitlbee gave the chat (its "handle"), which IRC clients highlight. */
	if (mentions_me && nick) {
		g_autofree char *line = wag_session_addressed_line(conn->session, e, nick);
		html = g_markup_escape_text(line, -1);
	} else {
		html = wag_conversation_html(m);
	}
	if (m->from_me) {
		who = our_nick(conv);
		/* Said from the phone or another client (our own echoes were
		 * dropped by the session): bitlbee shows only such "sent" lines. */
		flags = PURPLE_MESSAGE_SEND | PURPLE_MESSAGE_REMOTE_SEND;
	} else {
		who = m->from ? m->from : "?";
		flags = PURPLE_MESSAGE_RECV;
	}
	if (mentions_me)
		flags |= PURPLE_MESSAGE_NICK;
	/* The vendor's time, not ours: a relay catching up shows when it was said. */
	serv_got_chat_in(conn->gc, purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)), who, flags, html,
	                 e->at > 0 ? (time_t) (e->at / 1000) : time(NULL));
}

void
wag_conversation_failed(WagConn *conn, const char *group, const char *text, const GError *error)
{
	PurpleConversation *conv = wag_chat_find_open(conn, group);
	g_autofree char *shown = NULL;
	g_autofree char *line = NULL;

	if (!conv)
		return;
	shown = wag_message_clean_text(text, 200);
	line = g_strdup_printf(_("Not sent: \"%s\": %s"), shown, error->message);
	wag_chat_write(conv, line, TRUE);
}

void
wag_conversation_send(WagConn *conn, PurpleConversation *conv, const char *group, const char *html)
{
	g_autofree char *plain = purple_markup_strip_html(html);
	g_autofree char *refusal = NULL;
	g_autofree char *text = NULL;
	g_autofree char *shown = NULL;
	const char *body = plain;

	if (!plain || !*plain)
		return;
	/* IRC's /me (bitlbee) and Pidgin's arrive as "/me ...": WhatsApp has no
	 * action, italics say the same. */
	if (g_str_has_prefix(plain, "/me ")) {
		body = plain + 4;
		text = g_strdup_printf("_%s_", body);
	} else {
		text = g_strdup(plain);
	}
	refusal = wag_session_send_text(conn->session, group, text);
	if (refusal) {
		wag_chat_write(conv, refusal, TRUE);
		return;
	}
	/* Shown once, now; its echo from the vendor is dropped by the session. */
	shown = g_markup_escape_text(plain, -1);
	serv_got_chat_in(conn->gc, purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)), our_nick(conv),
	                 PURPLE_MESSAGE_SEND, shown, time(NULL));
}

char *
wag_conversation_alias(PurpleConnection *gc, int id, const char *who)
{
	WagConn *conn = wag_conn(gc);
	return conn ? g_strdup(wag_session_get_name(conn->session, who)) : NULL;
}
