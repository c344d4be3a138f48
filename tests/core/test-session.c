/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The domain, against the core alone: a WagSession driven by a recording
 * view and the in-process vendor emulator. No libpurple, no fixed sleeps:
 * every wait is for a condition, with a timeout. */
#include "session-view.h"
#include "wag-check.h"
#include "wag-store.h"
#include <string.h>

#define login sv_login
#define read_state sv_read_state
#define ids sv_ids

static void
test_login_and_listing(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc);
	WagModel *m = wag_session_get_model(r->s);
	WagGroup *g = wag_model_lookup(m, vc->group);

	/* The order a front end sees: progress, connected, then the complete listing. */
	g_assert_cmpstr(r->lines->pdata[0], ==, "progress 1/3: Checking the instance");
	g_assert_cmpstr(r->lines->pdata[1], ==, "progress 2/3: Listing groups");
	g_assert_cmpstr(r->lines->pdata[2], ==, "connected");
	g_assert_true(wag_session_is_synced(r->s));
	g_assert_nonnull(g);
	g_assert_cmpstr(g->subject, ==, "Bairro Vila Nova");
	g_assert_false(g->roster_loaded);
	if (vc->community) {
		WagGroup *c = wag_model_lookup(m, vc->community);
		g_assert_true(c->is_community);
		g_assert_cmpstr(wag_model_lookup(m, vc->linked)->community_id, ==, vc->community);
		g_assert_true(wag_model_lookup(m, vc->announce)->is_announcement);
	}
	/* The roster is read when a front end shows the group. */
	g_assert_true(sv_open(r, vc->group, 3000));
	g_assert_cmpint(sv_role(r, vc->group, FX_OWNER), ==, WAG_ROLE_OWNER);
	g_assert_cmpint(sv_role(r, vc->group, FX_ME), ==, WAG_ROLE_ADMIN);
	g_assert_cmpint(sv_role(r, vc->group, FX_MEMBER), ==, WAG_ROLE_MEMBER);
	g_assert_cmpstr(wag_session_get_me(r->s), ==, FX_ME);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
test_login_failures(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;

	c.token = "wrong-token-xyz";
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_line(r, "failed", 3000));
	g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_CREDENTIALS);
	g_assert_nonnull(strstr(r->failure->message, "rejected the instance id or token"));
	g_assert_null(strstr(r->failure->message, "wrong-token-xyz"));
	g_assert_false(r->connected);
	sv_free(r, FALSE);

	/* Z-API's "null not allowed" is all it says about a missing or wrong
	 * Client-Token: its words stay and what they mean is said. */
	if (vc->community) {
		c = sv_config(emu, vc);
		c.client_token = "wrong-client-token";
		wag_emu_require_client_token(emu, FX_CLIENT_TOKEN);
		r = sv_start(&c, NULL);
		g_assert_true(sv_wait_line(r, "failed", 3000));
		g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_CREDENTIALS);
		g_assert_nonnull(strstr(r->failure->message, "null not allowed"));
		g_assert_nonnull(strstr(r->failure->message,
		                        "the account security token (client_token option) is missing or wrong"));
		sv_free(r, FALSE);
		wag_emu_require_client_token(emu, NULL);
	}

	/* Not linked: only scanning the QR code helps. */
	c = sv_config(emu, vc);
	wag_emu_set_state(emu, vc->bad_state);
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_line(r, "failed", 3000));
	g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_CREDENTIALS);
	g_assert_nonnull(strstr(r->failure->message, "QR code"));
	sv_free(r, FALSE);

	/* A 500: transient, a reconnect may help. */
	wag_emu_set_state(emu, vc == &fx_zapi ? "connected" : vc == &fx_green ? "authorized" : "WORKING");
	wag_emu_fail_next(emu, "/", 500, "{\"error\": \"Internal Server Error\"}");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_line(r, "failed", 3000));
	g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_TRANSIENT);
	g_assert_nonnull(strstr(r->failure->message, "down or failing"));
	sv_free(r, FALSE);

	/* Settings that cannot work fail before any call. */
	{
		guint calls = wag_emu_requests(emu)->len;
		c.vendor = "whatsapp-cloud";
		r = sv_start(&c, NULL);
		g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_SETTINGS);
		sv_free(r, FALSE);
		c = sv_config(emu, vc);
		c.token = "";
		r = sv_start(&c, NULL);
		g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_SETTINGS);
		sv_free(r, FALSE);
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, calls);
	}
	wag_emu_free(emu);
}

static void
test_events(gconstpointer data)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc);
	WagEvent *e;

	g_assert_true(sv_open(r, vc->group, 3000));
	e = wag_event_new(WAG_EVENT_ADDED, vc->group);
	g_ptr_array_add(e->participants, g_strdup("5544955555555"));
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait_line(r, "membership participant_added " "120363019502650977-group: 5544955555555", 2000));
	g_assert_cmpint(sv_role(r, vc->group, "5544955555555"), ==, WAG_ROLE_MEMBER);

	/* An echo changes nothing and tells nothing. */
	e = wag_event_new(WAG_EVENT_ADDED, vc->group);
	g_ptr_array_add(e->participants, g_strdup("5544955555555"));
	wag_session_push_event(r->s, e);
	e = wag_event_new(WAG_EVENT_JOIN_REQUESTED, vc->group);
	g_ptr_array_add(e->participants, g_strdup("5544911111111"));
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait_line(r, "join-request " "120363019502650977-group: 5544911111111", 2000));
	g_assert_cmpuint(sv_count(r, "membership participant_added"), ==, 1);

	/* A community link: the front end is told to place the groups again. */
	e = wag_event_new(WAG_EVENT_UNLINKED, vc->community);
	g_ptr_array_add(e->participants, g_strdup(vc->linked));
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait_line(r, "groups-changed", 2000));
	g_assert_null(wag_model_lookup(wag_session_get_model(r->s), vc->linked)->community_id);

	/* This account removed: the group is left, and commands refuse. */
	e = wag_event_new(WAG_EVENT_REMOVED, vc->group);
	g_ptr_array_add(e->participants, g_strdup(FX_ME));
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait_line(r, "group-left " "120363019502650977-group", 2000));
	{
		g_autofree char *refusal = wag_check_usable(wag_model_lookup(wag_session_get_model(r->s), vc->group),
		                                            FX_ME, TRUE);
		g_assert_nonnull(strstr(refusal, "no longer a participant"));
	}
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
test_leave(gconstpointer data)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;
	char *refusal;

	c.leave_on_close = TRUE;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	/* Asking is the front end's; the session only says when to. */
	g_assert_null(wag_session_propose_leave(r->s, vc->group));
	g_assert_cmpuint(sv_count(r, "ask-leave " "120363055555555555@g.us"), ==, 1);
	wag_session_close_group(r->s, vc->group);
	g_assert_cmpuint(sv_count(r, "(closing)"), ==, 1);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "leave"), ==, 0);
	wag_session_leave(r->s, vc->group);
	g_assert_true(sv_wait_line(r, "You left the group.", 3000));
	g_assert_cmpuint(sv_count(r, "group-left " "120363055555555555@g.us"), ==, 1);
	refusal = wag_session_propose_leave(r->s, vc->group);
	g_assert_nonnull(strstr(refusal, "no longer a participant"));
	g_free(refusal);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static gboolean
polled_twice(gpointer data)
{
	return wag_emu_count(data, "GET", "getGroupData") + wag_emu_count(data, "POST", "getGroupData") >= 3;
}

/* Green API has no membership webhooks: shown groups are re-read and the
 * difference becomes events; at most one read a second. */
static void
test_green_polling(gconstpointer data)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;
	GPtrArray *reqs;
	WagEmuRequest *prev = NULL;

	c.poll_seconds = 1;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	g_assert_true(wag_session_is_live(r->s));
	wag_emu_add_participant(emu, vc->group, "5544955555555", "member");
	wag_emu_remove_participant(emu, vc->group, FX_MEMBER);
	wag_emu_set_role(emu, vc->group, FX_MEMBER2, "admin");
	g_assert_true(sv_wait_line(r, "membership participant_added " "120363043968066561@g.us: 5544955555555", 5000));
	g_assert_true(sv_wait_line(r, "membership participant_left " "120363043968066561@g.us: " FX_MEMBER, 2000));
	g_assert_true(sv_wait_line(r, "membership participant_promoted " "120363043968066561@g.us: " FX_MEMBER2, 2000));
	g_assert_true(sv_wait(polled_twice, emu, 5000));
	reqs = wag_emu_requests(emu);
	for (guint i = 0, n = 0; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		if (!strstr(q->path, "getGroupData"))
			continue;
		if (prev && n++ > 0) /* after the open's own read: the polls */
			g_assert_cmpint(q->when - prev->when, >=, 950000);
		prev = q;
	}
	/* A group no longer shown is no longer read. */
	wag_session_close_group(r->s, vc->group);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
requests_done(WagSession *s, const char *group, const GError *error, gpointer data)
{
	*(int *) data = error ? -1 : 1;
}

static gboolean
flag_set(gpointer data)
{
	return *(int *) data != 0;
}

static void
test_list_requests(gconstpointer data)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	int done = 0;
	WagGroup *g;

	wag_emu_add_request(emu, vc->group, "5544911111111");
	wag_emu_add_request(emu, vc->group, "5544922222222");
	r = login(emu, vc);
	wag_session_list_requests(r->s, vc->group, requests_done, &done, NULL);
	g_assert_true(sv_wait(flag_set, &done, 3000));
	g_assert_cmpint(done, ==, 1);
	g = wag_model_lookup(wag_session_get_model(r->s), vc->group);
	g_assert_cmpuint(g->pending->len, ==, 2);
	g_assert_cmpstr(g->pending->pdata[0], ==, "5544911111111");
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
push(SvRec *r, WagEventKind kind, const char *group, gint64 at, const char *first, ...)
{
	WagEvent *e = wag_event_new(kind, group);
	va_list ap;

	e->at = at;
	va_start(ap, first);
	for (const char *id = first; id; id = va_arg(ap, const char *))
		g_ptr_array_add(e->participants, g_strdup(id));
	va_end(ap);
	wag_session_push_event(r->s, e);
}

typedef struct {
	SvRec *r;
	char marker[32];
} Drain;

static gboolean
marker_seen(gpointer data)
{
	Drain *d = data;
	return sv_count(d->r, d->marker) > 0;
}

/* Applies what was pushed so far: a marker event (a join request from a
 * new phone each time) goes last through the same queue. */
static void
drain(SvRec *r, const char *group)
{
	static guint n;
	Drain d = { r };

	g_snprintf(d.marker, sizeof d.marker, "55449990%05u", ++n);
	push(r, WAG_EVENT_JOIN_REQUESTED, group, 9000000 + n, d.marker, NULL);
	g_assert_true(sv_wait(marker_seen, &d, 2000));
}

/* Webhooks come out of order (retries, replays): news older, by the
 * vendor's clock, than news already applied for that person in that group
 * does not move the roster back. */
static void
test_event_age(gconstpointer data)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc);
	const char *x = "5544955555555", *y = "5544966666666";

	g_assert_true(sv_open(r, vc->group, 3000));
	push(r, WAG_EVENT_ADDED, vc->group, 2000, x, NULL);
	push(r, WAG_EVENT_REMOVED, vc->group, 1000, x, NULL); /* sent before the add */
	drain(r, vc->group);
	g_assert_cmpint(sv_role(r, vc->group, x), ==, WAG_ROLE_MEMBER);

	push(r, WAG_EVENT_REMOVED, vc->group, 3000, x, NULL);
	push(r, WAG_EVENT_ADDED, vc->group, 2500, x, NULL);
	drain(r, vc->group);
	g_assert_cmpint(sv_role(r, vc->group, x), ==, -1);

	/* Per person: in one event the stale part is dropped, the rest applied. */
	push(r, WAG_EVENT_ADDED, vc->group, 2800, x, y, NULL);
	drain(r, vc->group);
	g_assert_cmpint(sv_role(r, vc->group, x), ==, -1);
	g_assert_cmpint(sv_role(r, vc->group, y), ==, WAG_ROLE_MEMBER);

	/* Per group: the same person elsewhere has a clock of its own; the same
	 * time is not older. */
	push(r, WAG_EVENT_PROMOTED, vc->group, 2800, y, NULL);
	drain(r, vc->group);
	g_assert_cmpint(sv_role(r, vc->group, y), ==, WAG_ROLE_ADMIN);
	push(r, WAG_EVENT_ADDED, vc->linked, 100, x, NULL);
	drain(r, vc->group);
	g_assert_cmpuint(sv_count(r, "membership participant_added " "120363011111111111-group: " "5544955555555"), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* One roster read per group at a time: asking again while one is in
 * flight costs no second call. */
static void
test_one_roster_read(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc);
	guint before = wag_emu_count(emu, NULL, vc->info_path);
	g_autofree char *needle = g_strdup_printf("roster %s", vc->group);

	wag_emu_delay(emu, vc->info_path, 200);
	wag_session_open_group(r->s, vc->group);
	wag_session_load_roster(r->s, vc->group);
	wag_session_open_group(r->s, vc->group);
	g_assert_true(sv_wait_line(r, needle, 3000));
	g_assert_cmpuint(wag_emu_count(emu, NULL, vc->info_path), ==, before + 1);
	/* Once answered, a new ask reads again. */
	sv_clear(r);
	wag_session_load_roster(r->s, vc->group);
	g_assert_true(sv_wait_line(r, needle, 3000));
	g_assert_cmpuint(wag_emu_count(emu, NULL, vc->info_path), ==, before + 2);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

typedef struct {
	WagEmu *emu;
	const char *match;
	guint n;
} CallWait;

static gboolean
called(gpointer data)
{
	CallWait *w = data;
	return wag_emu_count(w->emu, "GET", w->match) >= w->n;
}

/* Groups and communities are listed side by side, not one after the
 * other: the communities are asked for while the groups' answer waits. */
static void
test_listing_side_by_side(gconstpointer data)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	CallWait w = { emu, "/communities", 1 };
	SvRec *r;

	wag_emu_hang(emu, "/groups");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait(called, &w, 5000));
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/groups"), ==, 1);
	g_assert_false(r->listed);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A failed listing is said once, and the login still ends (the chats the
 * user knows stay usable). */
static void
test_listing_fails(gconstpointer data)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;

	wag_emu_fail_next(emu, "/groups", 500, "{\"error\": \"Internal Server Error\"}");
	wag_emu_fail_next(emu, "/communities", 500, "{\"error\": \"Internal Server Error\"}");
	r = login(emu, vc);
	g_assert_true(r->connected);
	g_assert_cmpuint(sv_count(r, "account-error Could not list the groups: Z-API: the vendor's service is down"), ==, 1);
	g_assert_cmpuint(wag_emu_count(emu, "GET", "communities-metadata"), ==, 0);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* The listing's community reads are independent: four at a time, never
 * more (the vendors rate-limit per instance). */
static void
test_listing_concurrency(gconstpointer data)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	CallWait w = { emu, "communities-metadata", 4 };
	SvRec *r;

	for (int i = 1; i <= 9; i++) {
		g_autofree char *id = g_strdup_printf("9837246538276453%04d", i);
		g_autofree char *name = g_strdup_printf("Comunidade %d", i);
		g_autofree char *announce = g_strdup_printf("12036309999999%04d-group", i);
		wag_emu_add_community(emu, id, name, announce);
	}
	/* Unanswered: whatever is in flight stays in flight. */
	wag_emu_hang(emu, "communities-metadata");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait(called, &w, 5000));
	/* Everything that can happen now has happened: still four. */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(wag_emu_count(emu, "GET", "communities-metadata"), ==, 4);
	g_assert_false(r->listed);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
add(const char *path, gconstpointer data, GTestDataFunc fn)
{
	g_test_add_data_func(path, data, fn);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint v = 0; fx_vendors[v]; v++) {
		g_autofree char *a = g_strdup_printf("/session/%s/login-and-listing", fx_vendors[v]->vendor);
		g_autofree char *b = g_strdup_printf("/session/%s/login-failures", fx_vendors[v]->vendor);
		g_autofree char *k = g_strdup_printf("/session/%s/one-roster-read-at-a-time", fx_vendors[v]->vendor);
		add(a, fx_vendors[v], test_login_and_listing);
		add(b, fx_vendors[v], test_login_failures);
		add(k, fx_vendors[v], test_one_roster_read);
	}
	add("/session/zapi/listing-4-in-flight", NULL, test_listing_concurrency);
	add("/session/zapi/listing-side-by-side", NULL, test_listing_side_by_side);
	add("/session/zapi/listing-fails", NULL, test_listing_fails);
	add("/session/zapi/events", NULL, test_events);
	add("/session/zapi/event-age", NULL, test_event_age);
	add("/session/wawp/leave", NULL, test_leave);
	add("/session/wawp/list-requests", NULL, test_list_requests);
	add("/session/greenapi/polling", NULL, test_green_polling);
	return g_test_run();
}
