/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* People's names for vendors whose rosters carry none (Green API, Wawp):
 * the instance's contacts are read once per login (Wawp's page by page),
 * and every roster (read before or after them) takes the names it lacks,
 * from the contacts or else from the person's messages. */
#include "wag-session-private.h"
#include <string.h>

const char *
wag_contacts_name(WagSession *s, const char *id)
{
	const char *name = NULL;

	if (!id)
		return NULL;
	if (s->contact_names)
		name = g_hash_table_lookup(s->contact_names, id);
	/* A roster read again (/refresh, a webhook naming someone unknown)
	 * comes back without names: who a message named keeps the name. */
	if (!name && s->names)
		name = g_hash_table_lookup(s->names, id);
	return name;
}

/* Gives g's nameless participants the names known for them; TRUE if any changed. */
gboolean
wag_contacts_fill(WagSession *s, WagGroup *g)
{
	GHashTableIter it;
	WagParticipant *p;
	gboolean changed = FALSE;

	if (!g || (!s->contact_names && !s->names))
		return FALSE;
	g_hash_table_iter_init(&it, g->participants);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *) &p)) {
		const char *name = p->name ? NULL : wag_contacts_name(s, p->id);
		if (name) {
			p->name = g_strdup(name);
			changed = TRUE;
		}
	}
	return changed;
}

static void on_contacts_page(WagReply *reply, gpointer data);

typedef struct {
	WagSession *s;
	GHashTable *names; /* the pages read so far */
	guint page;
} ContactsRead;

static void
contacts_read_free(gpointer data)
{
	ContactsRead *r = data;
	g_clear_pointer(&r->names, g_hash_table_unref);
	g_free(r);
}

static void
contacts_read(WagSession *s, guint page, GHashTable *names_take)
{
	ContactsRead *r = g_new0(ContactsRead, 1);

	r->s = s;
	r->page = page;
	r->names = names_take;
	wag_session_call_op(s, WAG_OP_GROUPS, s->vendor->req_contacts(&s->creds, page), on_contacts_page, r,
	                    contacts_read_free);
}

static void
on_contacts_page(WagReply *reply, gpointer data)
{
	ContactsRead *r = data;
	WagSession *s = r->s;
	g_autoptr(GError) err = NULL;
	gboolean more = FALSE;
	GHashTableIter it;
	WagGroup *g;

	/* Names are a nicety: without them (or with the pages read before a
	 * failure) the numbers still work. */
	if (reply->error || !s->vendor->parse_contacts(reply->json, r->names, &more, &err)) {
		g_message("no contact names from page %u: %s", r->page, reply->error ? reply->error->message : err->message);
		more = FALSE;
	} else if (more && r->page >= WAG_CONTACTS_MAX_PAGES) {
		g_message("contact names: stopped after %u pages", r->page);
		more = FALSE;
	}
	if (more && g_hash_table_size(r->names) < WAG_CONTACTS_MAX_NAMES) {
		contacts_read(s, r->page + 1, g_steal_pointer(&r->names));
		return;
	}
	if (!g_hash_table_size(r->names))
		return;
	s->contact_names = g_steal_pointer(&r->names);
	g_hash_table_iter_init(&it, s->model->groups);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *) &g))
		if (g->roster_loaded && wag_contacts_fill(s, g))
			s->view->roster_loaded(s->ui, g->id, NULL);
}

/* After the listing. Green API's listing is the same method (GetContacts),
 * which it allows once a second per instance: each page is paced as one of
 * the listing's calls (WAG_OP_GROUPS), so that neither it nor a listing
 * asked again after it is refused (429). */
void
wag_contacts_start(WagSession *s)
{
	if (!s->vendor->req_contacts || !s->vendor->parse_contacts || s->contacts_asked || s->contact_names)
		return;
	s->contacts_asked = TRUE;
	contacts_read(s, 1, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free));
}

void
wag_contacts_stop(WagSession *s)
{
	g_clear_pointer(&s->contact_names, g_hash_table_unref);
}
