/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-prompts.h"
#include "wag-chat.h"
#include "wag-ui.h"

struct _WagPrompts {
	GPtrArray *open; /* Prompt*, freed at close */
};

typedef struct {
	WagConn *conn;
	char *group;
	char *who;
} Prompt;

static void
prompt_free(gpointer data)
{
	Prompt *p = data;
	g_free(p->group);
	g_free(p->who);
	g_free(p);
}

WagPrompts *
wag_prompts_new(void)
{
	WagPrompts *prompts = g_new0(WagPrompts, 1);
	prompts->open = g_ptr_array_new_with_free_func(prompt_free);
	return prompts;
}

void
wag_prompts_free(WagConn *conn)
{
	if (!conn->prompts)
		return;
	purple_request_close_with_handle(conn->gc);
	g_ptr_array_free(conn->prompts->open, TRUE);
	g_free(conn->prompts);
	conn->prompts = NULL;
}

static void
prompt_done(Prompt *p)
{
	g_ptr_array_remove(p->conn->prompts->open, p);
}

static Prompt *
prompt_new(WagConn *conn, const char *group, const char *who)
{
	Prompt *p = g_new0(Prompt, 1);
	p->conn = conn;
	p->group = g_strdup(group);
	p->who = g_strdup(who);
	g_ptr_array_add(conn->prompts->open, p);
	return p;
}

static void
single(WagConn *conn, WagAction action, const char *group, const char *who)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(ids, g_strdup(who));
	wag_session_start_job(conn->session, action, group, ids, NULL);
}

static void
leave_ok(Prompt *p, int action)
{
	wag_session_leave(p->conn->session, p->group);
	prompt_done(p);
}

static void
prompt_cancel(Prompt *p, int action)
{
	prompt_done(p);
}

#define caption wag_ui_caption

void
wag_prompts_leave(WagConn *conn, const char *group, gboolean closing)
{
	WagGroup *g = wag_conn_group(conn, group);
	g_autofree char *shown = g ? wag_subject_for_display(g->subject) : NULL;
	const char *name = shown ? shown : group;
	g_autofree char *primary = g_strdup_printf(closing ? _("Also leave the WhatsApp group %s?")
	                                                   : _("Leave the WhatsApp group %s?"), name);
	Prompt *p = prompt_new(conn, group, NULL);

	/* ok/cancel, not yes/no: bitlbee can answer it. Cancel is the default. */
	/* Not purple_request_ok_cancel(): that macro's _("_Cancel") looks in
	 * this plugin's catalog, where libpurple's captions were missing. */
	purple_request_action(conn->gc, _("Leave group"), primary,
	                      _("You stop being a participant; an admin must add you back."),
	                      1, purple_connection_get_account(conn->gc), NULL,
	                      closing ? NULL : wag_chat_find(conn, group), p, 2,
	                      caption(N_("_OK")), G_CALLBACK(leave_ok),
	                      caption(N_("_Cancel")), G_CALLBACK(prompt_cancel));
}

static void
join_accept(Prompt *p, int action)
{
	single(p->conn, WAG_ACTION_APPROVE, p->group, p->who);
	prompt_done(p);
}

static void
join_reject(Prompt *p, int action)
{
	single(p->conn, WAG_ACTION_REJECT, p->group, p->who);
	prompt_done(p);
}

void
wag_prompts_join(WagConn *conn, const char *group, const char *who)
{
	WagGroup *g = wag_conn_group(conn, group);
	g_autofree char *shown = g ? wag_subject_for_display(g->subject) : NULL;
	g_autofree char *primary = g_strdup_printf(_("%s asks to join %s"), who, shown ? shown : group);
	Prompt *p = prompt_new(conn, group, who);

	/* A secondary text always: bitlbee prints all three, NULL as "(null)". */
	purple_request_action(conn->gc, _("Join request"), primary,
	                      _("Accept adds them to the group; Reject declines. /requests lists the pending requests."),
	                      0, purple_connection_get_account(conn->gc), who,
	                      wag_chat_find(conn, group), p, 2,
	                      caption(N_("_Accept")), G_CALLBACK(join_accept),
	                      caption(N_("_Reject")), G_CALLBACK(join_reject));
}

static void
reset_link_ok(Prompt *p, int action)
{
	wag_session_invite_link(p->conn->session, p->group, TRUE);
	prompt_done(p);
}

void
wag_prompts_reset_link(WagConn *conn, const char *group)
{
	WagGroup *g = wag_conn_group(conn, group);
	g_autofree char *primary = g_strdup_printf(_("Reset the invite link of %s?"), g && g->subject ? g->subject : group);
	Prompt *p = prompt_new(conn, group, NULL);

	/* ok/cancel as for leaving: bitlbee can answer it. Cancel is the default. */
	purple_request_action(conn->gc, _("Reset invite link"), primary,
	                      _("The current link stops working for everyone who has it; a new one is made."),
	                      1, purple_connection_get_account(conn->gc), NULL, wag_chat_find(conn, group), p, 2,
	                      caption(N_("_OK")), G_CALLBACK(reset_link_ok),
	                      caption(N_("_Cancel")), G_CALLBACK(prompt_cancel));
}
