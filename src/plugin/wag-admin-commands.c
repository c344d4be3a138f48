/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Each command is parse -> check (wag-check.c, through the session for
 * the vendor's missing APIs) -> session verb, as in wag-commands.c: every
 * refusal is said before any vendor call. */
#include "wag-admin-commands.h"
#include "wag-chat.h"
#include "wag-check.h"
#include "wag-names.h"
#include "wag-phone.h"
#include "wag-prompts.h"
#include <string.h>

static void
tell(PurpleConversation *conv, WagCheck *check)
{
	for (guint i = 0; i < check->lines->len; i++)
		wag_chat_write(conv, check->lines->pdata[i], TRUE);
}

typedef gboolean (*PeopleCheck)(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid);

static void
people(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg, WagAction action,
       PeopleCheck check_fn, const char *usage, const char *note)
{
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) invalid = NULL;
	g_autofree char *error = NULL;
	/* Participants by name or nick as well as by phone (/op Ana Souza). */
	g_autofree char *targets = wag_names_rewrite_targets(wag_conn_group(conn, group), arg, &error);
	WagCheck check;
	gboolean go;

	if (error) {
		wag_chat_write(conv, error, TRUE);
		return;
	}
	wag_phone_parse_targets(targets, &ids, &invalid, NULL);
	if (!ids->len && !invalid->len) {
		wag_chat_write(conv, usage, TRUE);
		return;
	}
	wag_check_init(&check);
	go = check_fn(&check, wag_conn_group(conn, group), wag_session_me_in(conn->session, group), ids, invalid);
	tell(conv, &check);
	if (go)
		wag_session_start_job(conn->session, action, group, check.ok, note);
	wag_check_clear(&check);
}

void
wag_admin_cmd_add(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	people(conn, conv, group, arg, WAG_ACTION_ADD, wag_check_add, _("Usage: /add PHONE[,PHONE...]"), NULL);
}

void
wag_admin_cmd_op(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	people(conn, conv, group, arg, WAG_ACTION_PROMOTE, wag_check_promote, _("Usage: /op PHONE[,PHONE...]"), NULL);
}

void
wag_admin_cmd_deop(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	people(conn, conv, group, arg, WAG_ACTION_DEMOTE, wag_check_demote, _("Usage: /deop PHONE[,PHONE...]"), NULL);
}

static void
edit(WagConn *conn, PurpleConversation *conv, const char *group, const WagEdit *e)
{
	char *refusal = wag_session_check_edit(conn->session, group, e);

	if (refusal) {
		wag_chat_write(conv, refusal, TRUE);
		g_free(refusal);
		return;
	}
	wag_session_edit(conn->session, group, e);
}

void
wag_admin_cmd_topic(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	g_autofree char *text = g_strstrip(g_strdup(arg ? arg : ""));
	WagEdit e = { WAG_EDIT_SUBJECT, text };
	WagGroup *g = wag_conn_group(conn, group);

	if (!*text) {
		g_autofree char *line = g_strdup_printf(_("Subject: %s"), g && g->subject ? g->subject : "");
		wag_chat_write(conv, line, FALSE);
		return;
	}
	edit(conn, conv, group, &e);
}

void
wag_admin_cmd_description(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	g_autofree char *text = g_strstrip(g_strdup(arg ? arg : ""));
	WagEdit e = { WAG_EDIT_DESCRIPTION, text };
	WagGroup *g = wag_conn_group(conn, group);

	if (!*text) {
		g_autofree char *line = g_strdup_printf(_("Description: %s"),
		                                        g && g->description ? g->description : _("(not known)"));
		wag_chat_write(conv, line, FALSE);
		wag_chat_write(conv, _("Usage: /description TEXT"), FALSE);
		return;
	}
	edit(conn, conv, group, &e);
}

void
wag_admin_cmd_settings(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	static const struct { const char *word, *on, *off; WagSetting setting; } words[] = {
		{ "announce", "on", "off", WAG_SETTING_ANNOUNCE },
		{ "locked", "on", "off", WAG_SETTING_LOCKED },
		{ "approval", "on", "off", WAG_SETTING_APPROVAL },
		{ "add", "admins", "all", WAG_SETTING_ADMINS_ADD },
	};
	g_autofree char *text = g_strstrip(g_strdup(arg ? arg : ""));
	g_auto(GStrv) w = g_strsplit_set(text, " \t", -1);
	guint n = 0;

	/* Words only: the empty pieces between blanks are dropped. */
	for (guint i = 0; w[i]; i++) {
		char *word = w[i];
		w[i] = NULL;
		if (*word)
			w[n++] = word;
		else
			g_free(word);
	}
	if (n == 0) {
		g_autofree char *now = wag_session_describe_settings(conn->session, group);
		wag_chat_write(conv, now, FALSE);
		return;
	}
	for (guint i = 0; n == 2 && i < G_N_ELEMENTS(words); i++) {
		if (g_ascii_strcasecmp(w[0], words[i].word) != 0)
			continue;
		if (g_ascii_strcasecmp(w[1], words[i].on) == 0 || g_ascii_strcasecmp(w[1], words[i].off) == 0) {
			WagEdit e = { WAG_EDIT_SETTING, NULL, words[i].setting, g_ascii_strcasecmp(w[1], words[i].on) == 0 };
			edit(conn, conv, group, &e);
			return;
		}
	}
	wag_chat_write(conv, _("Usage: /settings [announce on|off | locked on|off | approval on|off | add admins|all]"),
	               TRUE);
}

void
wag_admin_cmd_invitelink(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	g_autofree char *word = g_strstrip(g_strdup(arg ? arg : ""));
	gboolean reset = g_ascii_strcasecmp(word, "reset") == 0;
	char *refusal;

	if (*word && !reset) {
		wag_chat_write(conv, _("Usage: /invitelink [reset]"), TRUE);
		return;
	}
	refusal = wag_session_check_invite_link(conn->session, group, reset);
	if (refusal) {
		wag_chat_write(conv, refusal, TRUE);
		g_free(refusal);
	} else if (reset) {
		wag_prompts_reset_link(conn, group); /* the answer calls wag_session_invite_link */
	} else {
		wag_session_invite_link(conn->session, group, FALSE);
	}
}

void
wag_admin_cmd_link(WagConn *conn, PurpleConversation *conv, const char *group, const char *arg)
{
	g_auto(GStrv) pieces = g_strsplit(arg ? arg : "", ",", -1);
	WagCheck check;
	gboolean go;

	for (char **p = pieces; *p; p++) {
		g_autofree char *unknown = NULL;
		WagGroup *named;
		g_strstrip(*p);
		/* A group by its name, as the buddy list shows it, or by its id. */
		named = **p ? wag_model_resolve_group(wag_session_get_model(conn->session), *p, &unknown) : NULL;
		if (named) {
			g_free(*p);
			*p = g_strdup(named->id);
		}
	}
	wag_check_init(&check);
	go = wag_check_link(&check, wag_session_get_vendor(conn->session), wag_conn_group(conn, group),
	                    wag_session_me_in(conn->session, group), (const char *const *) pieces,
	                    wag_session_get_model(conn->session));
	tell(conv, &check);
	if (go)
		wag_session_start_job(conn->session, WAG_ACTION_LINK, group, check.ok, NULL);
	wag_check_clear(&check);
}

void
wag_admin_chat_invite(PurpleConnection *gc, int id, const char *message, const char *who)
{
	WagConn *conn = wag_conn(gc);
	const char *group = conn ? wag_chat_group_of(conn, id) : NULL;
	PurpleConversation *conv = group ? wag_chat_find(conn, group) : NULL;

	/* The invitation's message has no place in WhatsApp: it is kept as the
	 * audit line's reason. */
	if (conv)
		people(conn, conv, group, who, WAG_ACTION_ADD, wag_check_add, _("Usage: /add PHONE[,PHONE...]"),
		       message && *message ? message : NULL);
}

void
wag_admin_set_chat_topic(PurpleConnection *gc, int id, const char *topic)
{
	WagConn *conn = wag_conn(gc);
	const char *group = conn ? wag_chat_group_of(conn, id) : NULL;
	PurpleConversation *conv = group ? wag_chat_find(conn, group) : NULL;
	g_autofree char *text = g_strstrip(g_strdup(topic ? topic : ""));
	WagEdit e = { WAG_EDIT_SUBJECT, text };
	WagGroup *g;

	if (!conv)
		return;
	edit(conn, conv, group, &e);
	/* A refused topic edit must not stay shown as if it had worked. */
	g = wag_conn_group(conn, group);
	if (g && g->subject)
		purple_conv_chat_set_topic(PURPLE_CONV_CHAT(conv), NULL, g->subject);
}
