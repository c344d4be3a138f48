/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group administration verbs that change the group itself (issue 18):
 * subject, description, settings, invite link. Each is one vendor call,
 * checked first (wag-check.c, and the vendor's table for a missing API, so
 * that a refusal makes no call), audited, and told through
 * view->group_notice. A verbs file beside wag-session.c: it calls the
 * runner (audit), the listing and the apply path, never the other way. */
#include "wag-session.h"
#include "wag-session-private.h"
#include "wag-check.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include <string.h>

static const char *const setting_words[WAG_SETTING_LAST] = { "announce", "locked", "approval", "add" };

static const char *
edit_action(const WagEdit *edit)
{
	switch (edit->kind) {
	case WAG_EDIT_SUBJECT: return "subject";
	case WAG_EDIT_DESCRIPTION: return "description";
	default: return "settings";
	}
}

/* A group the model does not know is still named to the vendor. */
static WagGroup *
target_of(WagSession *s, const char *group, WagGroup **fallback)
{
	WagGroup *g = wag_model_lookup(s->model, group);
	if (g)
		return g;
	return *fallback = wag_group_new(group, NULL);
}

/* The refusal (NULL: none) when the vendor file cannot build the request;
 * the request, built and never sent by a check, is the one a verb sends. */
static char *
unbuilt(WagRequest *req, const GError *err)
{
	g_autofree char *sentence = NULL;

	if (req)
		return NULL;
	sentence = wag_error_sentence(err->message);
	return g_strdup_printf(_("%s Nothing was done."), sentence);
}

static char *
no_api(void)
{
	return g_strdup(_("This vendor has no API for this; nothing was done."));
}

/* Checked against the model, then built: the refusal, or NULL and *req. */
static char *
edit_request(WagSession *s, const char *group, const WagEdit *edit, WagRequest **req)
{
	WagGroup *g = wag_model_lookup(s->model, group);
	g_autoptr(WagGroup) fallback = NULL;
	g_autoptr(GError) err = NULL;
	char *refusal;

	if (!s->vendor || !s->vendor->req_edit)
		return no_api();
	refusal = wag_check_edit(s->vendor, g, s->me, edit);
	if (refusal)
		return refusal;
	/* Building the request asks the vendor file what it can do. */
	*req = s->vendor->req_edit(&s->creds, target_of(s, group, &fallback), edit, &err);
	return unbuilt(*req, err);
}

char *
wag_session_check_edit(WagSession *s, const char *group, const WagEdit *edit)
{
	g_autoptr(WagRequest) req = NULL;

	return edit_request(s, group, edit, &req);
}

typedef struct {
	WagSession *s;
	char *group;
	WagEdit edit;
	char *text;
	gboolean reset;
} AdminCall;

static void
admin_call_free(gpointer data)
{
	AdminCall *a = data;
	g_free(a->group);
	g_free(a->text);
	g_free(a);
}

static void
say(WagSession *s, const char *group, const char *text, gboolean error)
{
	s->view->group_notice(s->ui, group, text, error ? WAG_NOTICE_ERROR : 0);
}

static void
say_failure(WagSession *s, const char *group, const GError *err)
{
	g_autofree char *safe = wag_http_redact(s->http, err->message);
	/* Translators: "Not done: Z-API refused the request: ..." */
	g_autofree char *line = g_strdup_printf(_("Not done: %s"), safe);
	say(s, group, line, TRUE);
}

static void
on_edit(WagReply *reply, gpointer data)
{
	AdminCall *a = data;
	WagSession *s = a->s;
	g_autoptr(GError) err = reply->error ? g_error_copy(reply->error) : NULL;
	const char *targets[] = { a->edit.kind == WAG_EDIT_SETTING ? setting_words[a->edit.setting] : a->text };
	WagGroup *g;

	if (!err)
		s->vendor->parse_edit(&a->edit, reply->json, &err);
	wag_runner_audit(s, a->group, edit_action(&a->edit), targets, targets[0] ? 1 : 0, NULL, NULL, err);
	if (err) {
		say_failure(s, a->group, err);
		return;
	}
	g = wag_listing_group(s, a->group);
	switch (a->edit.kind) {
	case WAG_EDIT_SUBJECT:
		g_free(g->subject);
		g->subject = g_strdup(a->text);
		{
			g_autofree char *line = g_strdup_printf(_("The group's subject is now \"%s\"."), g->subject);
			say(s, a->group, line, FALSE);
		}
		s->view->group_info_changed(s->ui, a->group);
		s->view->groups_changed(s->ui, FALSE);
		break;
	case WAG_EDIT_DESCRIPTION:
		g_free(g->description);
		g->description = g_strdup(a->text);
		say(s, a->group, _("The group's description was changed."), FALSE);
		break;
	default: {
		g_autofree char *now = NULL;
		g->settings[a->edit.setting] = a->edit.on;
		now = wag_session_describe_settings(s, a->group);
		say(s, a->group, now, FALSE);
		break;
	}
	}
}

void
wag_session_edit(WagSession *s, const char *group, const WagEdit *edit)
{
	WagRequest *req = NULL;
	g_autofree char *refusal = edit_request(s, group, edit, &req);
	AdminCall *a;

	if (refusal) {
		say(s, group, refusal, TRUE);
		return;
	}
	a = g_new0(AdminCall, 1);
	a->s = s;
	a->group = g_strdup(group);
	a->edit = *edit;
	a->text = g_strdup(edit->text);
	a->edit.text = a->text;
	wag_session_call_op(s, WAG_OP_ACTION, req, on_edit, a, admin_call_free);
}

static char *
link_request(WagSession *s, const char *group, gboolean reset, WagRequest **req)
{
	WagGroup *g = wag_model_lookup(s->model, group);
	g_autoptr(WagGroup) fallback = NULL;
	g_autoptr(GError) err = NULL;
	char *refusal;

	if (!s->vendor || !s->vendor->req_invite_link)
		return no_api();
	refusal = wag_check_invite_link(s->vendor, g, s->me, reset);
	if (refusal)
		return refusal;
	*req = s->vendor->req_invite_link(&s->creds, target_of(s, group, &fallback), reset, &err);
	return unbuilt(*req, err);
}

char *
wag_session_check_invite_link(WagSession *s, const char *group, gboolean reset)
{
	g_autoptr(WagRequest) req = NULL;

	return link_request(s, group, reset, &req);
}

static void
on_link(WagReply *reply, gpointer data)
{
	AdminCall *a = data;
	WagSession *s = a->s;
	g_autoptr(GError) err = reply->error ? g_error_copy(reply->error) : NULL;
	g_autofree char *link = NULL;

	if (!err)
		link = s->vendor->parse_invite_link(reply->json, &err);
	/* Only a reset changes anything: reading the link is not audited. */
	if (a->reset)
		wag_runner_audit(s, a->group, "invitelink-reset", NULL, 0, NULL, NULL, err);
	if (err) {
		say_failure(s, a->group, err);
		return;
	}
	{
		g_autofree char *line = g_strdup_printf(a->reset ? _("The old invite link no longer works. The new one: %s")
		                                                 : _("Invite link: %s"), link);
		say(s, a->group, line, FALSE);
	}
}

void
wag_session_invite_link(WagSession *s, const char *group, gboolean reset)
{
	WagRequest *req = NULL;
	g_autofree char *refusal = link_request(s, group, reset, &req);
	AdminCall *a;

	if (refusal) {
		say(s, group, refusal, TRUE);
		return;
	}
	a = g_new0(AdminCall, 1);
	a->s = s;
	a->group = g_strdup(group);
	a->reset = reset;
	wag_session_call_op(s, reset ? WAG_OP_ACTION : WAG_OP_GROUP_INFO, req, on_link, a, admin_call_free);
}

/* "on", "off", "admins", "all" are the words /settings takes: kept as typed. */
static const char *
on_off(gint8 v)
{
	return v < 0 ? _("(not known)") : v ? "on" : "off";
}

char *
wag_session_describe_settings(WagSession *s, const char *group)
{
	WagGroup *g = wag_model_lookup(s->model, group);
	gint8 none[WAG_SETTING_LAST] = { -1, -1, -1, -1 };
	const gint8 *v = g ? g->settings : none;

	/* Translators: the words before ":" are /settings arguments; keep them. */
	return g_strdup_printf(_("Settings: announce (only admins send messages): %s; locked (only admins edit "
	                         "the group's info): %s; approval (admins approve who joins): %s; add: %s."),
	                       on_off(v[WAG_SETTING_ANNOUNCE]), on_off(v[WAG_SETTING_LOCKED]),
	                       on_off(v[WAG_SETTING_APPROVAL]),
	                       v[WAG_SETTING_ADMINS_ADD] < 0 ? _("(not known)")
	                       : v[WAG_SETTING_ADMINS_ADD] ? "admins" : "all");
}
