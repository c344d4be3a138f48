/* Listing the instance's groups and communities at login, and reading
 * rosters. Results go into the model; the front end hears of them through
 * view->groups_changed and view->roster_loaded. */
#include "wag-session-private.h"
#include "wag-error.h"
#include "wag-i18n.h"

#define MAX_PAGES 200
/* Community reads are independent: a few at once, not one after the other
 * (100 communities were 100 round trips in a row), but bounded, because
 * the vendors rate-limit per instance. */
#define COMMUNITY_READS_IN_FLIGHT 4

WagGroup *
wag_listing_group(WagSession *s, const char *id)
{
	WagGroup *g = wag_model_lookup(s->model, id);
	return g ? g : wag_model_take(s->model, wag_group_new(id, NULL));
}

/* ---- the login's listing ---- */

typedef struct {
	WagSession *s;
	gboolean communities;
	guint page;
} ListStep;

typedef struct {
	WagSession *s;
	char *id;
} CommunityStep;

static void list_page(WagSession *s, gboolean communities, guint page);
static void next_communities(WagSession *s);

static void
community_step_free(gpointer data)
{
	CommunityStep *step = data;
	g_free(step->id);
	g_free(step);
}

/* The listing's completion, kept until it runs. */
static WagDoneFunc listing_done(WagSession *s, WagDoneFunc set);

static void
listed(WagSession *s)
{
	WagDoneFunc done = listing_done(s, NULL);

	s->synced = TRUE;
	g_info("%u groups and communities listed", g_hash_table_size(s->model->groups));
	if (done)
		done(s);
}

static void
report(WagSession *s, const GError *error)
{
	g_autofree char *safe = wag_http_redact(s->http, error->message);
	s->view->account_notice(s->ui, _("Could not list the groups"), safe, TRUE);
}

static void
on_community(WagReply *reply, gpointer data)
{
	CommunityStep *step = data;
	WagSession *s = step->s;
	WagGroup *c = wag_model_lookup(s->model, step->id);
	g_autoptr(GError) err = NULL;

	s->community_busy--;
	if (!reply->error && c && s->vendor->parse_community_info(reply->json, c, &err))
		wag_model_relink(s->model, c);
	else if (reply->error || err)
		report(s, reply->error ? reply->error : err);
	next_communities(s);
}

static void
next_communities(WagSession *s)
{
	while (s->community_busy < COMMUNITY_READS_IN_FLIGHT && !g_queue_is_empty(s->community_queue)) {
		CommunityStep *step = g_new0(CommunityStep, 1);
		step->s = s;
		step->id = g_queue_pop_head(s->community_queue);
		s->community_busy++;
		wag_session_call(s, s->vendor->req_community_info(&s->creds, step->id),
		                 on_community, step, community_step_free);
	}
	if (!s->community_busy && g_queue_is_empty(s->community_queue))
		listed(s);
}

static void
read_communities(WagSession *s)
{
	g_autoptr(GPtrArray) groups = wag_model_sorted(s->model);

	/* The last in subject order first, as one at a time always did. */
	for (guint i = groups->len; i > 0; i--) {
		WagGroup *g = groups->pdata[i - 1];
		if (g->is_community)
			g_queue_push_tail(s->community_queue, g_strdup(g->id));
	}
	next_communities(s);
}

/* One of the two page chains (groups, communities) is over. */
static void
chain_done(WagSession *s, const GError *error)
{
	if (error && !s->listing_failed) {
		s->listing_failed = TRUE;
		report(s, error); /* once, even when both chains fail alike */
	}
	if (--s->listing_chains)
		return;
	if (!s->listing_failed && s->vendor->req_community_info)
		read_communities(s);
	else
		listed(s);
}

static void
on_list(WagReply *reply, gpointer data)
{
	ListStep *step = data;
	WagSession *s = step->s;
	const WagVendor *v = s->vendor;
	g_autoptr(GPtrArray) found = g_ptr_array_new();
	g_autoptr(GError) err = NULL;
	gboolean more = FALSE;
	gboolean ok;

	if (reply->error) {
		chain_done(s, reply->error);
		return;
	}
	ok = step->communities ? v->parse_communities(reply->json, found, &more, &err)
	                       : v->parse_groups(reply->json, found, &more, &err);
	if (!ok) {
		chain_done(s, err);
		return;
	}
	for (guint i = 0; i < found->len; i++)
		wag_model_take(s->model, found->pdata[i]);
	if (more && step->page < MAX_PAGES && !s->listing_failed)
		list_page(s, step->communities, step->page + 1);
	else
		chain_done(s, NULL);
}

static void
list_page(WagSession *s, gboolean communities, guint page)
{
	ListStep *step = g_new0(ListStep, 1);
	step->s = s;
	step->communities = communities;
	step->page = page;
	wag_session_call(s, communities ? s->vendor->req_communities(&s->creds, page)
	                                : s->vendor->req_groups(&s->creds, page),
	                 on_list, step, g_free);
}

static WagDoneFunc
listing_done(WagSession *s, WagDoneFunc set)
{
	WagDoneFunc was = s->listing_done;
	s->listing_done = set;
	return was;
}

void
wag_listing_start(WagSession *s, WagDoneFunc done)
{
	s->synced = FALSE;
	s->listing_done = done;
	s->listing_failed = FALSE;
	if (!s->community_queue)
		s->community_queue = g_queue_new();
	/* Groups and communities are listed side by side: two chains of pages. */
	s->listing_chains = s->vendor->req_communities ? 2 : 1;
	list_page(s, FALSE, 1);
	if (s->vendor->req_communities)
		list_page(s, TRUE, 1);
}

void
wag_listing_stop(WagSession *s)
{
	g_clear_pointer(&s->roster_reading, g_hash_table_unref);
	if (s->community_queue)
		g_queue_free_full(s->community_queue, g_free);
	s->community_queue = NULL;
}

/* ---- rosters ---- */

typedef struct {
	WagSession *s;
	char *group;     /* the chat */
	char *reading;   /* the group whose data this request reads */
	WagRosterFunc done;
} RosterStep;

static void
roster_step_free(gpointer data)
{
	RosterStep *step = data;
	g_free(step->group);
	g_free(step->reading);
	g_free(step);
}

static RosterStep *
roster_step(WagSession *s, const char *group, const char *reading, WagRosterFunc done)
{
	RosterStep *step = g_new0(RosterStep, 1);
	step->s = s;
	step->done = done;
	step->group = g_strdup(group);
	step->reading = g_strdup(reading);
	return step;
}

static void
roster_done(RosterStep *step, gboolean loaded)
{
	g_hash_table_remove(step->s->roster_reading, step->group);
	if (step->done)
		step->done(step->s, step->group, loaded);
}

static void
roster_failed(RosterStep *step, const GError *error)
{
	WagSession *s = step->s;
	const char *group = step->group;
	g_autofree char *safe = wag_http_redact(s->http, error->message);
	g_autoptr(GError) shown = g_error_new(WAG_SESSION_ERROR, wag_error_is_transient(error)
	                                      ? WAG_SESSION_ERROR_TRANSIENT : WAG_SESSION_ERROR_FATAL,
	                                      _("Could not load the participants: %s"), safe);

	g_message("%s", shown->message);
	s->view->roster_loaded(s->ui, group, shown);
	roster_done(step, FALSE);
}

static void
on_group_info(WagReply *reply, gpointer data)
{
	RosterStep *step = data;
	WagSession *s = step->s;
	WagGroup *g = wag_listing_group(s, step->reading);
	g_autoptr(GError) err = NULL;

	if (reply->error || !s->vendor->parse_group_info(reply->json, g, &err)) {
		roster_failed(step, reply->error ? reply->error : err);
		return;
	}
	if (g_strcmp0(step->group, step->reading) != 0) {
		/* A community's members are those of its announcement group. */
		WagGroup *c = wag_listing_group(s, step->group);
		GHashTableIter it;
		gpointer v;

		g_hash_table_remove_all(c->participants);
		g_hash_table_iter_init(&it, g->participants);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			WagParticipant *p = v;
			wag_group_add_participant(c, p->id, p->role);
		}
		g_free(c->owner);
		c->owner = g_strdup(g->owner);
		c->roster_loaded = TRUE;
	}
	wag_contacts_fill(s, g);
	s->view->roster_loaded(s->ui, step->group, NULL);
	roster_done(step, TRUE);
}

static void
on_community_info(WagReply *reply, gpointer data)
{
	RosterStep *step = data;
	WagSession *s = step->s;
	WagGroup *c = wag_listing_group(s, step->group);
	g_autoptr(GError) err = NULL;

	if (reply->error || !s->vendor->parse_community_info(reply->json, c, &err)) {
		roster_failed(step, reply->error ? reply->error : err);
		return;
	}
	wag_model_relink(s->model, c);
	s->view->groups_changed(s->ui, FALSE);
	s->view->roster_loaded(s->ui, step->group, NULL); /* the subject, at once */
	if (!c->announcement_id) {
		s->view->group_notice(s->ui, step->group,
		                      _("This community has no announcement group, so its members cannot be listed."),
		                      WAG_NOTICE_ERROR | WAG_NOTICE_CHAT_ONLY);
		roster_done(step, FALSE);
		return;
	}
	wag_session_call(s, s->vendor->req_group_info(&s->creds, c->announcement_id),
	                 on_group_info, roster_step(s, step->group, c->announcement_id, step->done), roster_step_free);
}

void
wag_roster_load(WagSession *s, const char *group, WagRosterFunc done)
{
	const WagVendor *v = s->vendor;

	/* One read per group at a time: a read in flight answers the later
	 * askers too (a chat opened while a resumed job waits for the same
	 * roster, a burst of events naming unknown @lid ids). */
	if (!s->roster_reading)
		s->roster_reading = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (g_hash_table_contains(s->roster_reading, group))
		return;
	g_hash_table_add(s->roster_reading, g_strdup(group));

	if (v->has_communities && v->is_community_id(group))
		wag_session_call(s, v->req_community_info(&s->creds, group),
		                 on_community_info, roster_step(s, group, group, done), roster_step_free);
	else
		wag_session_call(s, v->req_group_info(&s->creds, group),
		                 on_group_info, roster_step(s, group, group, done), roster_step_free);
}
