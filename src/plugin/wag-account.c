/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The account: the session's configuration comes from the PurpleAccount,
 * and what the session reports is shown through libpurple. The view table
 * is installed once per login, like libpurple's own UiOps. */
#include "wag-account.h"
#include "wag-blist.h"
#include "wag-chat.h"
#include "wag-conversation.h"
#include "wag-http.h"
#include "wag-names.h"
#include "wag-prompts.h"

const char *
wag_soup2_message(void)
{
	return _("Another plugin in this program uses libsoup 2, which cannot share a process "
	         "with the libsoup 3 this plugin needs (the program would crash). Remove or "
	         "disable that plugin and restart, or use this account from another client.");
}

/* The one place where the session's errors become libpurple's. */
static PurpleConnectionError
connection_error(const GError *error)
{
	switch (error->code) {
	case WAG_SESSION_ERROR_TRANSIENT: return PURPLE_CONNECTION_ERROR_NETWORK_ERROR;
	case WAG_SESSION_ERROR_SETTINGS: return PURPLE_CONNECTION_ERROR_INVALID_SETTINGS;
	case WAG_SESSION_ERROR_CREDENTIALS: return PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED;
	default: return PURPLE_CONNECTION_ERROR_OTHER_ERROR;
	}
}

/* ---- the view ---- */

static void
on_progress(gpointer ui, const char *text, guint step, guint steps)
{
	WagConn *conn = ui;
	purple_connection_update_progress(conn->gc, text, step, steps);
}

static void
on_connected(gpointer ui)
{
	WagConn *conn = ui;
	purple_connection_set_state(conn->gc, PURPLE_CONNECTED);
}

static void
on_failed(gpointer ui, const GError *error)
{
	WagConn *conn = ui;
	/* libpurple closes the connection later (wag_account_close). */
	purple_connection_error_reason(conn->gc, connection_error(error), error->message);
}

static void
on_groups_changed(gpointer ui, gboolean complete)
{
	wag_conn_show_me(ui);
	wag_blist_groups_changed(ui, complete);
}

static void
on_roster_loaded(gpointer ui, const char *group, const GError *error)
{
	WagConn *conn = ui;
	PurpleConversation *conv;

	if (!error) {
		wag_chat_show_roster(conn, group);
		return;
	}
	conv = wag_chat_find(conn, group);
	if (conv)
		wag_chat_write(conv, error->message, TRUE);
}

static void
on_membership_changed(gpointer ui, const WagGroup *g, const WagEvent *e)
{
	wag_chat_mirror(ui, g, e);
}

static void
on_group_left(gpointer ui, const WagGroup *g)
{
	wag_blist_mark_left(ui, g);
	wag_chat_mark_left(ui, g);
}

/* Into the conversation when it is open, else a notification. */
static void
on_group_notice(gpointer ui, const char *group, const char *text, WagNoticeFlags flags)
{
	WagConn *conn = ui;
	PurpleConversation *conv = wag_chat_find_open(conn, group);
	gboolean error = (flags & WAG_NOTICE_ERROR) != 0;
	WagGroup *g = wag_conn_group(conn, group);

	if (conv)
		wag_chat_write(conv, text, error);
	else if (!(flags & WAG_NOTICE_CHAT_ONLY))
		purple_notify_message(conn->gc, error ? PURPLE_NOTIFY_MSG_ERROR : PURPLE_NOTIFY_MSG_INFO,
		                      _("WhatsApp groups"), g ? wag_group_title(g) : group, text, NULL, NULL);
}

static void
on_account_notice(gpointer ui, const char *headline, const char *text, gboolean error)
{
	WagConn *conn = ui;
	purple_notify_message(conn->gc, error ? PURPLE_NOTIFY_MSG_ERROR : PURPLE_NOTIFY_MSG_INFO,
	                      _("WhatsApp groups"), headline, text, NULL, NULL);
}

static void
on_ask_leave(gpointer ui, const char *group, gboolean closing)
{
	wag_prompts_leave(ui, group, closing);
}

static void
on_join_request(gpointer ui, const char *group, const char *who)
{
	wag_prompts_join(ui, group, who);
}

static void
on_show_group(gpointer ui, const char *group)
{
	wag_chat_open(ui, group);
}

static void
on_group_info_changed(gpointer ui, const char *group)
{
	wag_chat_show_topic(ui, group);
}

static void
on_message(gpointer ui, const WagEvent *e, gboolean mentions_me)
{
	wag_conversation_show(ui, e, mentions_me);
}

static void
on_message_failed(gpointer ui, const char *group, const char *text, const GError *error)
{
	wag_conversation_failed(ui, group, text, error);
}

/* bitlbee shows a connection notice as one line in &bitlbee (Pidgin and
 * Finch show none); the open chats get it too. */
static void
on_relay_changed(gpointer ui, gboolean live, const char *text)
{
	WagConn *conn = ui;

	purple_connection_notice(conn->gc, text);
	wag_chat_write_all(conn, text, !live);
}

static const WagView view = {
	.progress = on_progress,
	.connected = on_connected,
	.failed = on_failed,
	.groups_changed = on_groups_changed,
	.roster_loaded = on_roster_loaded,
	.membership_changed = on_membership_changed,
	.group_left = on_group_left,
	.group_notice = on_group_notice,
	.account_notice = on_account_notice,
	.ask_leave = on_ask_leave,
	.join_request = on_join_request,
	.show_group = on_show_group,
	.group_info_changed = on_group_info_changed,
	.message = on_message,
	.message_failed = on_message_failed,
	.relay_changed = on_relay_changed,
};

/* ---- login and close ---- */

void
wag_account_login(PurpleAccount *account)
{
	PurpleConnection *gc = purple_account_get_connection(account);
	g_autofree char *state_dir = g_build_filename(purple_user_dir(), "wagateway", NULL);
	int timeout = purple_prefs_get_int(WAG_PREF_TIMEOUT);
	WagSessionConfig config = {
		.vendor = purple_account_get_string(account, "vendor", "zapi"),
		.instance = purple_account_get_username(account),
		.token = purple_connection_get_password(gc),
		.client_token = purple_account_get_string(account, "client_token", ""),
		.api_base = purple_account_get_string(account, "api_base", ""),
		.relay_url = purple_account_get_string(account, "relay_url", ""),
		.relay_token = purple_account_get_string(account, "relay_token", ""),
		.removals_per_minute = MAX(0, purple_account_get_int(account, "removals_per_minute", 10)),
		.poll_seconds = MAX(0, purple_account_get_int(account, "poll_seconds", 60)),
		.leave_on_close = purple_account_get_bool(account, "leave_on_close", FALSE),
		.request_timeout = timeout > 0 ? (guint) timeout : 30,
		.state_dir = state_dir,
		.adds_per_minute = MAX(0, purple_account_get_int(account, "adds_per_minute", WAG_ADDS_PER_MINUTE)),
		.messages = purple_account_get_string(account, "messages", "both"),
		.messages_per_minute = MAX(0, purple_account_get_int(account, "messages_per_minute", 20)),
	};
	WagConn *conn;

	/* Checked per login too: a libsoup 2 plugin may be loaded after us. */
	if (wag_http_soup2_loaded()) {
		purple_connection_error_reason(gc, PURPLE_CONNECTION_ERROR_OTHER_ERROR, wag_soup2_message());
		return;
	}
	conn = g_new0(WagConn, 1);
	conn->gc = gc;
	conn->chats = wag_chats_new();
	conn->prompts = wag_prompts_new();
	conn->session = wag_session_new(&config, &view, conn);
	conn->blist = wag_blist_new(conn);
	purple_connection_set_protocol_data(gc, conn);
	gc->flags |= PURPLE_CONNECTION_NO_IMAGES | PURPLE_CONNECTION_NO_FONTSIZE | PURPLE_CONNECTION_NO_BGCOLOR;
	wag_session_start(conn->session);
}

void
wag_account_close(PurpleConnection *gc)
{
	WagConn *conn = wag_conn(gc);

	if (!conn)
		return;
	purple_connection_set_protocol_data(gc, NULL);
	wag_blist_free(conn->blist);
	wag_prompts_free(conn);
	/* No view slot runs after this. */
	wag_session_free(conn->session);
	wag_chats_free(conn->chats);
	g_free(conn);
}
