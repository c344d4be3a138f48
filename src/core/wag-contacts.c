/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* People's names for vendors whose rosters carry none (Green API): the
 * instance's contacts are read once per login, and every roster (read
 * before or after them) takes the names it lacks. */
#include "wag-session-private.h"
#include <string.h>

/* Gives g's nameless participants their contact names; TRUE if any changed. */
gboolean
wag_contacts_fill(WagSession *s, WagGroup *g)
{
	GHashTableIter it;
	WagParticipant *p;
	gboolean changed = FALSE;

	if (!s->contact_names || !g)
		return FALSE;
	g_hash_table_iter_init(&it, g->participants);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *) &p)) {
		const char *name = g_hash_table_lookup(s->contact_names, p->id);
		if (name && !p->name) {
			p->name = g_strdup(name);
			changed = TRUE;
		}
	}
	return changed;
}

static void
on_contacts(WagReply *reply, gpointer data)
{
	WagSession *s = data;
	g_autoptr(GError) err = NULL;
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter it;
	WagGroup *g;

	/* Names are a nicety: without them the numbers still work. */
	if (reply->error || !s->vendor->parse_contacts(reply->json, names, &err)) {
		g_message("no contact names: %s", reply->error ? reply->error->message : err->message);
		return;
	}
	s->contact_names = g_steal_pointer(&names);
	g_hash_table_iter_init(&it, s->model->groups);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *) &g))
		if (g->roster_loaded && wag_contacts_fill(s, g))
			s->view->roster_loaded(s->ui, g->id, NULL);
}

/* After the listing. Green API's listing is the same method (GetContacts),
 * which it allows once a second per instance: the read is paced as one of
 * the listing's calls (WAG_OP_GROUPS), so that neither it nor a listing
 * asked again after it is refused (429). */
void
wag_contacts_start(WagSession *s)
{
	if (!s->vendor->req_contacts || !s->vendor->parse_contacts || s->contacts_asked || s->contact_names)
		return;
	s->contacts_asked = TRUE;
	wag_session_call_op(s, WAG_OP_GROUPS, s->vendor->req_contacts(&s->creds), on_contacts, s, NULL);
}

void
wag_contacts_stop(WagSession *s)
{
	g_clear_pointer(&s->contact_names, g_hash_table_unref);
}
