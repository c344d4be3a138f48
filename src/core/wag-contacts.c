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

static gboolean
read_contacts(gpointer data)
{
	WagSession *s = data;

	s->contacts_timer = 0;
	wag_session_call(s, s->vendor->req_contacts(&s->creds), on_contacts, s, NULL);
	return G_SOURCE_REMOVE;
}

/* After the listing: Green API's listing is the same method (GetContacts),
 * which it allows once a second per instance; a second call at once would
 * be refused (429). */
void
wag_contacts_start(WagSession *s)
{
	if (s->vendor->req_contacts && s->vendor->parse_contacts && !s->contacts_timer && !s->contact_names)
		s->contacts_timer = g_timeout_add(wag_vendor_min_spacing_ms(s->vendor, WAG_OP_GROUPS) + 100,
		                                  read_contacts, s);
}

void
wag_contacts_stop(WagSession *s)
{
	if (s->contacts_timer)
		g_source_remove(s->contacts_timer);
	s->contacts_timer = 0;
	g_clear_pointer(&s->contact_names, g_hash_table_unref);
}
