/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* After an add (issue 18): the vendor accepting a call is not everyone
 * being in the group. WhatsApp refuses people whose privacy settings do not
 * let strangers add them; Z-API (autoInvite) sends those a private invite
 * instead. The roster read again after the job says who is in and who is
 * not. Called by wag-runner.c when an add job finishes; calls the listing. */
#include "wag-session-private.h"
#include "wag-i18n.h"

typedef struct {
	char *group;
	GPtrArray *ids;
} AddCheck;

static void
add_check_free(gpointer data)
{
	AddCheck *a = data;
	g_free(a->group);
	g_ptr_array_unref(a->ids);
	g_free(a);
}

static void
join_ids(GString *text, GPtrArray *ids)
{
	for (guint i = 0; i < ids->len; i++)
		g_string_append_printf(text, "%s%s", i ? ", " : "", (char *) ids->pdata[i]);
}

/* The roster read after an add says who is in: the others were refused by
 * WhatsApp (privacy settings) and, on Z-API (autoInvite), sent an invite. */
static void
on_adds_roster(WagSession *s, const char *group, gboolean loaded)
{
	WagGroup *g = wag_model_lookup(s->model, group);

	for (guint i = 0; i < s->add_checks->len; i++) {
		AddCheck *a = s->add_checks->pdata[i];
		g_autoptr(GPtrArray) in = g_ptr_array_new();
		g_autoptr(GPtrArray) out = g_ptr_array_new();
		GString *text;

		if (g_strcmp0(a->group, group) != 0)
			continue;
		if (!loaded || !g || !g->roster_loaded) {
			g_ptr_array_remove_index(s->add_checks, i--);
			continue;
		}
		for (guint k = 0; k < a->ids->len; k++)
			g_ptr_array_add(g_hash_table_contains(g->participants, a->ids->pdata[k]) ? in : out,
			                a->ids->pdata[k]);
		text = g_string_new(NULL);
		if (in->len) {
			g_string_append(text, _("In the group now: "));
			join_ids(text, in);
			g_string_append(text, ".");
		}
		if (out->len) {
			if (text->len)
				g_string_append_c(text, ' ');
			g_string_append(text, s->vendor == &wag_vendor_zapi
				? _("WhatsApp did not let these be added (their privacy settings); Z-API sent each a private "
				    "invite to the group instead: ")
				: _("Not in the group: WhatsApp did not let these be added (their privacy settings): "));
			join_ids(text, out);
			g_string_append(text, ".");
		}
		s->view->group_notice(s->ui, group, text->str, out->len > 0 ? WAG_NOTICE_ERROR : 0);
		g_string_free(text, TRUE);
		g_ptr_array_remove_index(s->add_checks, i--);
	}
}

void
wag_adds_check(WagSession *s, const char *group, GPtrArray *done)
{
	AddCheck *a = g_new0(AddCheck, 1);

	a->group = g_strdup(group);
	a->ids = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < done->len; i++)
		g_ptr_array_add(a->ids, g_strdup(done->pdata[i]));
	if (!s->add_checks)
		s->add_checks = g_ptr_array_new_with_free_func(add_check_free);
	g_ptr_array_add(s->add_checks, a);
	wag_roster_load(s, group, on_adds_roster);
}

void
wag_adds_stop(WagSession *s)
{
	g_clear_pointer(&s->add_checks, g_ptr_array_unref);
}
