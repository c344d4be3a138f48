/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Listing the instance's groups and communities at login, and reading
 * rosters. Results go into the model; the front end hears of them through
 * view->groups_changed and view->roster_loaded. */
#include "wag-session-private.h"
#include "wag-error.h"
#include "wag-i18n.h"

#define LISTING_BACKOFF_FIRST_MS 1000
#define LISTING_BACKOFF_MAX_MS (5 * 60 * 1000)
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
	if (!s->listing_failed && s->listing_told) {
		/* Said once when it failed, and once now that it worked. */
		s->listing_told = FALSE;
		s->listing_backoff = 0;
		s->view->account_notice(s->ui, _("The groups are listed"),
		                        _("Listing the groups works again; the buddy list is complete."), FALSE);
		if (!done)
			s->view->groups_changed(s->ui, TRUE);
	}
	if (done)
		done(s);
}

static void
report(WagSession *s, const GError *error)
{
	g_autofree char *safe = wag_http_redact(s->http, error->message);

	if (s->listing_told) {
		g_message("listing the groups failed again: %s", safe);
		return;
	}
	s->listing_told = TRUE;
	s->view->account_notice(s->ui, _("Could not list the groups"), safe, TRUE);
}

static gboolean
on_listing_retry(gpointer data)
{
	WagSession *s = data;

	s->listing_timer = 0;
	wag_listing_start(s, NULL);
	return G_SOURCE_REMOVE;
}

/* A failed listing is asked again until it works or the account closes:
 * 1 s, doubling to 5 min, with up to a quarter more at random so that
 * accounts failing together do not retry together. */
static void
retry_listing(WagSession *s)
{
	guint delay;

	s->listing_backoff = s->listing_backoff ? MIN(s->listing_backoff * 2, LISTING_BACKOFF_MAX_MS)
	                                        : LISTING_BACKOFF_FIRST_MS;
	delay = s->listing_backoff + g_random_int_range(0, s->listing_backoff / 4 + 1);
	g_info("listing the groups again in %u ms", delay);
	s->listing_timer = g_timeout_add_full(G_PRIORITY_DEFAULT, delay, on_listing_retry, s, NULL);
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
		wag_session_call_op(s, WAG_OP_COMMUNITY_INFO, s->vendor->req_community_info(&s->creds, step->id),
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
	if (s->listing_failed)
		retry_listing(s);
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
	g_autofree char *warning = NULL;
	WagPager *pager = s->pager[step->communities];
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
	/* The pager drops what an earlier page listed and says when to stop. */
	more = wag_pager_next(pager, found, 0, more && !s->listing_failed, &warning);
	for (guint i = 0; i < found->len; i++)
		wag_model_take(s->model, found->pdata[i]);
	if (warning)
		s->view->account_notice(s->ui, _("The group list may be incomplete"), warning, FALSE);
	if (more)
		list_page(s, step->communities, wag_pager_page(pager));
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
	wag_session_call_op(s, communities ? WAG_OP_COMMUNITIES : WAG_OP_GROUPS,
	                    communities ? s->vendor->req_communities(&s->creds, page)
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
	for (guint i = 0; i < G_N_ELEMENTS(s->pager); i++) {
		wag_pager_free(s->pager[i]);
		s->pager[i] = wag_pager_new(s->vendor, s->max_pages);
	}
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
	if (s->listing_timer)
		g_source_remove(s->listing_timer);
	s->listing_timer = 0;
	for (guint i = 0; i < G_N_ELEMENTS(s->pager); i++)
		g_clear_pointer(&s->pager[i], wag_pager_free);
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
	guint retries;   /* after a 429 */
} RosterStep;

/* A 429 on a roster read (Green API: getGroupData once a second) is tried
 * again after 1, 2, 4 s, paced like every other call. */
#define ROSTER_RETRIES 3

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

static void on_group_info(WagReply *reply, gpointer data);
static void on_community_info(WagReply *reply, gpointer data);

/* TRUE: the read was rate limited and is asked again later. */
static gboolean
retry_later(RosterStep *step, const GError *error)
{
	WagSession *s = step->s;
	gboolean community = g_strcmp0(step->group, step->reading) == 0 && s->vendor->has_communities &&
	                     s->vendor->is_community_id(step->group);
	RosterStep *again;

	if (!g_error_matches(error, WAG_ERROR, WAG_ERROR_RATE_LIMITED) || step->retries >= ROSTER_RETRIES)
		return FALSE;
	again = roster_step(s, step->group, step->reading, step->done);
	again->retries = step->retries + 1;
	g_info("roster read of %s rate limited: again in %u s", step->reading, 1u << step->retries);
	if (community)
		wag_pacer_send_later(s, WAG_OP_COMMUNITY_INFO, 1000u << step->retries,
		                     s->vendor->req_community_info(&s->creds, step->reading),
		                     on_community_info, again, roster_step_free);
	else
		wag_pacer_send_later(s, WAG_OP_GROUP_INFO, 1000u << step->retries,
		                     s->vendor->req_group_info(&s->creds, step->reading),
		                     on_group_info, again, roster_step_free);
	return TRUE;
}

static void
on_group_info(WagReply *reply, gpointer data)
{
	RosterStep *step = data;
	WagSession *s = step->s;
	WagGroup *g = wag_listing_group(s, step->reading);
	g_autoptr(GError) err = NULL;

	if (reply->error && retry_later(step, reply->error))
		return;
	if (reply->error || !s->vendor->parse_group_info(reply->json, g, &err)) {
		roster_failed(step, reply->error ? reply->error : err);
		return;
	}
	wag_contacts_fill(s, g);
	if (g_strcmp0(step->group, step->reading) != 0) {
		/* A community's members are those of its announcement group, with their names. */
		WagGroup *c = wag_listing_group(s, step->group);
		GHashTableIter it;
		gpointer v;

		g_hash_table_remove_all(c->participants);
		g_hash_table_iter_init(&it, g->participants);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			WagParticipant *p = v;
			WagParticipant *copy = wag_group_add_participant(c, p->id, p->role);
			if (p->name && !copy->name)
				copy->name = g_strdup(p->name);
		}
		g_free(c->owner);
		c->owner = g_strdup(g->owner);
		c->roster_loaded = TRUE;
	}
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

	if (reply->error && retry_later(step, reply->error))
		return;
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
	wag_session_call_op(s, WAG_OP_GROUP_INFO, s->vendor->req_group_info(&s->creds, c->announcement_id),
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
		wag_session_call_op(s, WAG_OP_COMMUNITY_INFO, v->req_community_info(&s->creds, group),
		                 on_community_info, roster_step(s, group, group, done), roster_step_free);
	else
		wag_session_call_op(s, WAG_OP_GROUP_INFO, v->req_group_info(&s->creds, group),
		                 on_group_info, roster_step(s, group, group, done), roster_step_free);
}
