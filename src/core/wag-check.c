/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-check.h"
#include "wag-i18n.h"
#include <string.h>

void
wag_check_init(WagCheck *c)
{
	c->ok = g_ptr_array_new_with_free_func(g_free);
	c->lines = g_ptr_array_new_with_free_func(g_free);
}

void
wag_check_clear(WagCheck *c)
{
	g_clear_pointer(&c->ok, g_ptr_array_unref);
	g_clear_pointer(&c->lines, g_ptr_array_unref);
}

static void
say(WagCheck *c, char *line_take)
{
	if (line_take)
		g_ptr_array_add(c->lines, line_take);
}

char *
wag_check_usable(const WagGroup *g, const char *me, gboolean need_admin)
{
	WagParticipant *p;

	if (g && g->left)
		return g_strdup(_("This account is no longer a participant of this group; nothing was done."));
	if (!g || !g->roster_loaded)
		return g_strdup(_("The participants are still loading; nothing was done. Try again in a moment, or /refresh."));
	if (!need_admin || !me)
		return NULL; /* the vendor cannot tell us who we are: it will refuse if need be */
	p = g_hash_table_lookup(g->participants, me);
	if (!p)
		return g_strdup_printf(_("This account (%s) is not a participant of this group; nothing was done."), me);
	if (p->role == WAG_ROLE_MEMBER)
		return g_strdup(_("This account is not an admin of this group, and WhatsApp lets only admins do this; nothing was done."));
	return NULL;
}

char *
wag_check_join_requests(const WagVendor *v, const WagGroup *g)
{
	if (!v->has_join_requests)
		return g_strdup_printf(_("%s has no API for join requests; nothing was done."), v->name);
	if (g && g->is_community)
		return g_strdup(_("Join requests belong to a community's groups: use this in the group's chat."));
	return NULL;
}

char *
wag_check_leave(const WagGroup *g)
{
	if (g && g->is_community)
		return g_strdup(_("A community is left group by group: use /leave in each group's chat."));
	if (g && g->left)
		return g_strdup(_("This account is no longer a participant of this group; nothing was done."));
	return NULL;
}

static void
report_invalid(WagCheck *c, GPtrArray *invalid)
{
	for (guint i = 0; invalid && i < invalid->len; i++)
		say(c, g_strdup_printf(_("\"%s\" is not a phone number; skipped."), (char *) invalid->pdata[i]));
}

gboolean
wag_check_kick(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid)
{
	char *refusal = wag_check_usable(g, me, TRUE);

	if (refusal) {
		say(c, refusal);
		return FALSE;
	}
	report_invalid(c, invalid);
	for (guint i = 0; i < ids->len; i++) {
		const char *id = ids->pdata[i];
		WagParticipant *p = g_hash_table_lookup(g->participants, id);

		if (me && g_str_equal(id, me))
			say(c, g_strdup_printf(_("%s is this account: use /leave to leave the group; skipped."), id));
		else if (!p)
			say(c, g_strdup_printf(_("%s is not a participant of this group; skipped."), id));
		else if (p->role == WAG_ROLE_OWNER)
			say(c, g_strdup_printf(_("%s created the group and cannot be removed; skipped."), id));
		else
			g_ptr_array_add(c->ok, g_strdup(id));
	}
	return c->ok->len > 0;
}

gboolean
wag_check_decide_requests(WagCheck *c, const WagVendor *v, const WagGroup *g, const char *me,
                          GPtrArray *ids, GPtrArray *invalid)
{
	char *refusal = wag_check_join_requests(v, g);

	if (!refusal)
		refusal = wag_check_usable(g, me, TRUE);
	if (refusal) {
		say(c, refusal);
		return FALSE;
	}
	report_invalid(c, invalid);
	for (guint i = 0; i < ids->len; i++) {
		if (g_hash_table_contains(g->participants, ids->pdata[i]))
			say(c, g_strdup_printf(_("%s is already a participant; skipped."), (char *) ids->pdata[i]));
		else
			g_ptr_array_add(c->ok, g_strdup(ids->pdata[i]));
	}
	return c->ok->len > 0;
}

static gboolean
listed(GPtrArray *a, const char *id)
{
	return g_ptr_array_find_with_equal_func(a, id, g_str_equal, NULL);
}

/* /link and /unlink: a vendor with communities, in a community's chat. */
static gboolean
in_community(WagCheck *c, const WagVendor *v, const WagGroup *g, const char *wrong_chat)
{
	if (!v->has_communities) {
		say(c, g_strdup_printf(_("%s has no API for communities; nothing was done."), v->name));
		return FALSE;
	}
	if (!g || !g->is_community) {
		say(c, g_strdup(wrong_chat));
		return FALSE;
	}
	return TRUE;
}

/* /link and /unlink after the groups were sorted: some given, some left,
 * and this account an admin of the community. */
static gboolean
chosen(WagCheck *c, guint given, const char *usage, const WagGroup *g, const char *me)
{
	char *refusal;

	if (!given) {
		say(c, g_strdup(usage));
		return FALSE;
	}
	if (!c->ok->len)
		return FALSE;
	refusal = wag_check_usable(g, me, TRUE);
	if (refusal) {
		say(c, refusal);
		return FALSE;
	}
	return TRUE;
}

gboolean
wag_check_unlink(WagCheck *c, const WagVendor *v, const WagGroup *g, const char *me,
                 const char *const *groups)
{
	guint ordinary = 0, given = 0;

	if (!in_community(c, v, g, _("/unlink works in a community's chat; this is a group.")))
		return FALSE;
	for (const char *const *p = groups; p && *p; p++) {
		if (!**p)
			continue;
		given++;
		if (g_strcmp0(*p, g->announcement_id) == 0)
			say(c, g_strdup_printf(_("%s is the community's announcement group and cannot be unlinked; skipped."), *p));
		else if (!listed(g->subgroups, *p))
			say(c, g_strdup_printf(_("%s is not linked to this community; skipped."), *p));
		else if (!listed(c->ok, *p))
			g_ptr_array_add(c->ok, g_strdup(*p));
	}
	if (!chosen(c, given, _("Usage: /unlink GROUP[,GROUP...]"), g, me))
		return FALSE;
	for (guint i = 0; i < g->subgroups->len; i++)
		ordinary += g_strcmp0(g->subgroups->pdata[i], g->announcement_id) != 0;
	if (ordinary <= c->ok->len) {
		say(c, g_strdup(_("A community must keep at least one linked group besides its announcement group: "
		                  "unlinking these would leave none, so nothing was done.")));
		return FALSE;
	}
	return TRUE;
}

/* ---- Group administration (issue 18) ---- */

gboolean
wag_check_add(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid)
{
	/* "add: all" lets every participant add; unknown means admins only. */
	char *refusal = wag_check_usable(g, me, !g || g->settings[WAG_SETTING_ADMINS_ADD] != 0);

	if (refusal) {
		say(c, refusal);
		return FALSE;
	}
	report_invalid(c, invalid);
	for (guint i = 0; i < ids->len; i++) {
		const char *id = ids->pdata[i];
		if (g_hash_table_contains(g->participants, id))
			say(c, g_strdup_printf(_("%s is already a participant; skipped."), id));
		else if (!listed(c->ok, id))
			g_ptr_array_add(c->ok, g_strdup(id));
	}
	return c->ok->len > 0;
}

static gboolean
check_role(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid, gboolean promote)
{
	char *refusal = wag_check_usable(g, me, TRUE);

	if (refusal) {
		say(c, refusal);
		return FALSE;
	}
	report_invalid(c, invalid);
	for (guint i = 0; i < ids->len; i++) {
		const char *id = ids->pdata[i];
		WagParticipant *p = g_hash_table_lookup(g->participants, id);

		if (!p)
			say(c, g_strdup_printf(_("%s is not a participant of this group; skipped."), id));
		else if (!promote && p->role == WAG_ROLE_OWNER)
			say(c, g_strdup_printf(_("%s created the group and cannot be demoted; skipped."), id));
		else if (promote && p->role != WAG_ROLE_MEMBER)
			say(c, g_strdup_printf(_("%s is already an admin; skipped."), id));
		else if (!promote && p->role == WAG_ROLE_MEMBER)
			say(c, g_strdup_printf(_("%s is not an admin; skipped."), id));
		else if (!listed(c->ok, id))
			g_ptr_array_add(c->ok, g_strdup(id));
	}
	return c->ok->len > 0;
}

gboolean
wag_check_promote(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid)
{
	return check_role(c, g, me, ids, invalid, TRUE);
}

gboolean
wag_check_demote(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid)
{
	return check_role(c, g, me, ids, invalid, FALSE);
}

gboolean
wag_check_link(WagCheck *c, const WagVendor *v, const WagGroup *g, const char *me,
               const char *const *groups, WagModel *model)
{
	guint given = 0;

	if (!in_community(c, v, g, _("/link works in a community's chat; this is a group.")))
		return FALSE;
	for (const char *const *p = groups; p && *p; p++) {
		WagGroup *sub;

		if (!**p)
			continue;
		given++;
		sub = wag_model_lookup(model, *p);
		if (listed(g->subgroups, *p) || (sub && g_strcmp0(sub->community_id, g->id) == 0))
			say(c, g_strdup_printf(_("%s is already linked to this community; skipped."), *p));
		else if (sub && sub->is_community)
			say(c, g_strdup_printf(_("%s is a community, not a group; skipped."), *p));
		else if (sub && sub->community_id)
			say(c, g_strdup_printf(_("%s is linked to another community; unlink it there first; skipped."), *p));
		else if (!listed(c->ok, *p))
			g_ptr_array_add(c->ok, g_strdup(*p));
	}
	return chosen(c, given, _("Usage: /link GROUP[,GROUP...]"), g, me);
}

char *
wag_check_edit(const WagVendor *v, const WagGroup *g, const char *me, const WagEdit *edit)
{
	/* A group that is not "locked" lets every participant edit its subject
	 * and description; settings are for admins. */
	gboolean need_admin = edit->kind == WAG_EDIT_SETTING || !g || g->settings[WAG_SETTING_LOCKED] != 0;

	if (g && g->is_community && v->has_communities)
		return g_strdup(_("This works in a group's chat, not in a community's."));
	if (edit->kind == WAG_EDIT_SUBJECT && (!edit->text || !*edit->text))
		return g_strdup(_("Usage: /topic TEXT (a group's subject cannot be empty)"));
	if (edit->kind == WAG_EDIT_SUBJECT && g_utf8_strlen(edit->text, -1) > WAG_SUBJECT_MAX)
		return g_strdup_printf(_("WhatsApp allows at most %u characters in a subject; nothing was done."),
		                       (guint) WAG_SUBJECT_MAX);
	if (edit->kind == WAG_EDIT_DESCRIPTION && edit->text && g_utf8_strlen(edit->text, -1) > WAG_DESCRIPTION_MAX)
		return g_strdup_printf(_("WhatsApp allows at most %u characters in a description; nothing was done."),
		                       (guint) WAG_DESCRIPTION_MAX);
	if (edit->kind != WAG_EDIT_SETTING && edit->text && !g_utf8_validate(edit->text, -1, NULL))
		return g_strdup(_("The text is not valid UTF-8; nothing was done."));
	if (edit->kind == WAG_EDIT_SETTING && g && g->settings[edit->setting] == (gint8) edit->on)
		return g_strdup(_("The group has that setting already; nothing was done."));
	return wag_check_usable(g, me, need_admin);
}

char *
wag_check_invite_link(const WagVendor *v, const WagGroup *g, const char *me, gboolean reset)
{
	if (g && g->is_community && v->has_communities)
		return g_strdup(_("This works in a group's chat, not in a community's."));
	return wag_check_usable(g, me, TRUE);
}

/* ---- the join-request queue ---- */

gboolean
wag_check_requested(WagCheck *c, const WagGroup *g, GPtrArray *ids)
{
	g_autoptr(GPtrArray) asked = g_ptr_array_new_with_free_func(g_free);

	/* Approving someone who never asked would report a success that did
	 * nothing (or add a stranger): only the queue is answered. */
	for (guint i = 0; i < ids->len; i++) {
		if (g && listed(g->pending, ids->pdata[i]))
			g_ptr_array_add(asked, g_strdup(ids->pdata[i]));
		else
			say(c, g_strdup_printf(_("%s has no pending join request here (/requests shows the queue); "
			                         "nothing was sent."), (char *) ids->pdata[i]));
	}
	g_ptr_array_set_size(ids, 0);
	for (guint i = 0; i < asked->len; i++)
		g_ptr_array_add(ids, g_strdup(asked->pdata[i]));
	return ids->len > 0;
}
