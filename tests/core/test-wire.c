/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Issue 15, at the session's level: what the vendor says of the account
 * (Wawp's session name, lids, stopped sessions), one pacer per session,
 * listings that page and retry, ids checked before any call (bulk jobs:
 * test-wire-jobs.c). A recording view and the vendor emulator; every wait
 * is for a condition (timestamps are the emulator's). */
#include "session-view.h"
#include "wire-helpers.h"
#include "relay-proc.h"
#include "vendor-fixture.h"
#include "wag-check.h"
#include "wag-store.h"
#include <string.h>

#define JSON "application/json"
#define WAWP_SESSION "wawp-84729105"

typedef struct {
	SvRec *r;
	const char *group, *id;
	int role;
} RoleWait;

static gboolean
role_is(gpointer data)
{
	RoleWait *w = data;
	return sv_role(w->r, w->group, w->id) == w->role;
}

/* ---- item 2: Wawp webhooks name the session ---- */

/* The documented group.v2.participants envelope (WAHA docs), retargeted to
 * the world's group, one joining participant, and the session named. */
static char *
wawp_join(const char *session, const char *group, const char *phone)
{
	g_autoptr(JsonNode) root = wag_fixture_json("wawp", "webhook-group.v2.participants.json");
	JsonObject *o = json_node_get_object(root);
	JsonObject *payload = json_object_get_object_member(o, "payload");
	JsonObject *p = json_array_get_object_element(json_object_get_array_member(payload, "participants"), 0);
	g_autofree char *jid = g_strdup_printf("%s@c.us", phone);

	json_object_set_string_member(o, "session", session);
	json_object_set_string_member(json_object_get_object_member(payload, "group"), "id", group);
	json_object_set_string_member(p, "id", jid);
	json_object_set_int_member(payload, "timestamp", g_get_real_time() / G_USEC_PER_SEC);
	return json_to_string(root, FALSE);
}

static void
test_wawp_session_name(void)
{
	const VendorCase *vc = &fx_wawp;
	RelayProc *rp = relay_proc_start(NULL);
	g_autoptr(SoupSession) http = soup_session_new();
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autofree char *url = g_strdup_printf("ws://127.0.0.1:%d", rp->port);
	g_autofree char *other = wawp_join("wawp-11111111", vc->group, "5544966666661");
	g_autofree char *ours = wawp_join(WAWP_SESSION, vc->group, "5544966666662");
	RoleWait w;
	SvRec *r;

	wag_emu_set_session_name(emu, WAWP_SESSION);
	c.relay_url = url;
	c.relay_token = RP_CLIENT;
	r = wire_login(emu, vc, &c);
	g_assert_cmpstr(wag_session_get_info(r->s)->session_name, ==, WAWP_SESSION);
	g_assert_true(sv_open(r, vc->group, 3000));
	/* Another session's event first: the relay hands them over in order,
	 * so once ours is applied, the other one was seen and dropped. */
	g_assert_cmpuint(relay_post(http, rp, "wawp", RP_SECRET, JSON, other, NULL), ==, 200);
	g_assert_cmpuint(relay_post(http, rp, "wawp", RP_SECRET, JSON, ours, NULL), ==, 200);
	w = (RoleWait) { r, vc->group, "5544966666662", WAG_ROLE_MEMBER };
	g_assert_true(sv_wait(role_is, &w, 5000));
	g_assert_cmpint(sv_role(r, vc->group, "5544966666661"), ==, -1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
	relay_proc_free(rp);
}

/* ---- item 3 and 4: states that need the user, states that need time ---- */

static void
test_states(void)
{
	WagEmu *emu = fx_emu(&fx_wawp);
	WagSessionConfig c = sv_config(emu, &fx_wawp);
	SvRec *r;

	/* STOPPED: started again only in the dashboard; no reconnect storm. */
	wag_emu_set_state(emu, "STOPPED");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_line(r, "failed", 3000));
	g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_SETTINGS);
	g_assert_nonnull(strstr(r->failure->message, "The Wawp session is stopped (STOPPED). Start it in"));
	sv_free(r, FALSE);
	/* FAILED and PASSKEY_*: the device must be linked again, at the phone. */
	for (guint i = 0; i < 2; i++) {
		wag_emu_set_state(emu, i ? "PASSKEY_REQUIRED" : "FAILED");
		r = sv_start(&c, NULL);
		g_assert_true(sv_wait_line(r, "failed", 3000));
		g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_CREDENTIALS);
		g_assert_nonnull(strstr(r->failure->message, "QR code"));
		g_assert_null(strstr(r->failure->message, "phone of this"));
		sv_free(r, FALSE);
	}
	wag_emu_free(emu);

	/* Green API answering null: the instance is being created; reconnect later. */
	emu = fx_emu(&fx_green);
	c = sv_config(emu, &fx_green);
	wag_emu_fail_next(emu, "getStateInstance", 200, "null");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_line(r, "failed", 3000));
	g_assert_error(r->failure, WAG_SESSION_ERROR, WAG_SESSION_ERROR_TRANSIENT);
	g_assert_nonnull(strstr(r->failure->message, "still starting"));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* ---- item 5: a change the vendor does not describe re-reads the roster ---- */

static void
test_roster_changed(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = wire_login(emu, vc, NULL);
	g_autoptr(GPtrArray) events = g_ptr_array_new();
	g_autoptr(JsonNode) body = NULL;
	g_autofree char *text = NULL;
	g_autofree char *instance = NULL;
	guint reads;
	RoleWait w = { r, vc->group, "5544955555555", WAG_ROLE_MEMBER };

	g_assert_true(sv_open(r, vc->group, 3000));
	reads = wag_emu_count(emu, "GET", vc->info_path);
	/* The vendor changed the roster (a number change) and says only that. */
	wag_emu_add_participant(emu, vc->group, "5544955555555", "member");
	text = g_strdup_printf("{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"%s\","
	                       " \"phone\": \"%s\", \"participantPhone\": \"%s\", \"momment\": 1732300000000,"
	                       " \"notification\": \"GROUP_PARTICIPANT_CHANGE_NUMBER\","
	                       " \"notificationParameters\": [\"5544955555555\"]}", FX_INSTANCE, vc->group, FX_MEMBER);
	body = json_from_string(text, NULL);
	g_assert_true(wag_vendor_zapi.normalize_webhook(body, events, &instance, NULL));
	g_assert_cmpuint(events->len, ==, 1);
	g_assert_cmpint(((WagEvent *) events->pdata[0])->kind, ==, WAG_EVENT_ROSTER_CHANGED);
	wag_session_push_event(r->s, events->pdata[0]);
	g_ptr_array_set_size(events, 0);
	g_assert_true(sv_wait(role_is, &w, 3000));
	g_assert_cmpuint(wag_emu_count(emu, "GET", vc->info_path), ==, reads + 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* ---- item 9: the admin pre-check knows this account by its lid ---- */

static void
test_admin_by_lid(void)
{
	const VendorCase *vc = &fx_wawp;
	const char *group = "120363077777777777@g.us";
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	WagCheck check;
	g_autoptr(GPtrArray) who = g_ptr_array_new_with_free_func(g_free);

	wag_emu_set_me_lid(emu, "99887766554433@lid");
	wag_emu_add_group(emu, group, "Lista por lid");
	wag_emu_add_participant(emu, group, FX_OWNER, "superadmin");
	wag_emu_add_participant(emu, group, "99887766554433@lid", "admin");
	wag_emu_add_participant(emu, group, FX_MEMBER, "member");
	r = wire_login(emu, vc, NULL);
	g_assert_true(sv_open(r, group, 3000));
	g_assert_true(wag_session_is_me(r->s, "99887766554433@lid"));
	g_assert_cmpstr(wag_session_me_in(r->s, group), ==, "99887766554433@lid");
	g_assert_cmpstr(wag_session_me_in(r->s, vc->group), ==, FX_ME);
	g_ptr_array_add(who, g_strdup(FX_MEMBER));
	wag_check_init(&check);
	g_assert_true(wag_check_kick(&check, wag_model_lookup(wag_session_get_model(r->s), group),
	                             wag_session_me_in(r->s, group), who, NULL));
	g_assert_cmpuint(check.lines->len, ==, 0);
	wag_check_clear(&check);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* ---- item 6: one pacer per session ---- */

typedef struct {
	WagEmu *emu;
	const char *method, *match;
	guint n;
} CallWait;

static gboolean
called(gpointer data)
{
	CallWait *w = data;
	return wag_emu_count(w->emu, w->method, w->match) >= w->n;
}

/* The emulator's receive times of the calls matching `match`: each at
 * least min_ms after the one before. Returns how many there were. */
static guint
assert_spaced(WagEmu *emu, const char *match, gint64 min_ms)
{
	GPtrArray *reqs = wag_emu_requests(emu);
	WagEmuRequest *prev = NULL;
	guint n = 0;

	for (guint i = 0; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		if (!strstr(q->path, match))
			continue;
		if (prev && q->when - prev->when < min_ms * 1000)
			g_error("%s calls %u and %u: %" G_GINT64_FORMAT " ms apart, under %" G_GINT64_FORMAT,
			        match, n - 1, n, (q->when - prev->when) / 1000, min_ms);
		prev = q;
		n++;
	}
	return n;
}

/* Green API allows getGroupData once a second: a chat opened, a /refresh
 * of another, an @lid re-read and a poll, asked together, go out one a
 * second, in one queue. */
static void
test_green_pacer(void)
{
	const VendorCase *vc = &fx_green;
	const char *other = "120363043968000002@g.us";
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	CallWait w = { emu, "POST", "getGroupData", 4 };
	WagEvent *e;
	SvRec *r;

	wag_emu_add_group(emu, other, "Outro grupo");
	wag_emu_add_participant(emu, other, FX_ME, "admin");
	c.poll_seconds = 1;
	r = wire_login(emu, vc, &c);
	g_assert_true(sv_open(r, vc->group, 3000));              /* chat open */
	wag_session_load_roster(r->s, other);                    /* /refresh */
	e = wag_event_new(WAG_EVENT_ADDED, vc->group);           /* an @lid we cannot place */
	g_ptr_array_add(e->participants, g_strdup("77665544332211@lid"));
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait(called, &w, 8000));                /* and the poll */
	g_assert_cmpuint(assert_spaced(emu, "getGroupData", 1000 - 15), >=, 4);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

#define POLLED_CHATS 4

/* The getGroupData calls the emulator received for group, from its request `from` on. */
static guint
reads_of(WagEmu *emu, const char *group, guint from)
{
	GPtrArray *reqs = wag_emu_requests(emu);
	guint n = 0;

	for (guint i = from; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		n += strstr(q->path, "getGroupData") && q->body && strstr(q->body, group);
	}
	return n;
}

typedef struct {
	WagEmu *emu;
	char **groups;
	guint n;
} ReadsWait;

static gboolean
each_read(gpointer data)
{
	ReadsWait *w = data;

	for (guint i = 0; w->groups[i]; i++)
		if (reads_of(w->emu, w->groups[i], 0) < w->n)
			return FALSE;
	return TRUE;
}

/* Green API's polls go through the pacer, one at a time: every open chat
 * is read again in turn, no two getGroupData calls less than a second
 * apart, and a /refresh of another chat waits behind one poll at most, not
 * behind every open chat's. */
static void
test_green_polls_in_turn(void)
{
	const VendorCase *vc = &fx_green;
	const char *other = "120363043968000099@g.us";
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_auto(GStrv) open = g_new0(char *, POLLED_CHATS + 1);
	g_autofree char *loaded = g_strdup_printf("roster %s", other);
	ReadsWait w = { emu, open, 3 }; /* the open's read and two polls */
	GPtrArray *reqs;
	guint before, ahead = 0;
	SvRec *r;

	wag_emu_add_group(emu, other, "Outro grupo");
	wag_emu_add_participant(emu, other, FX_ME, "admin");
	for (guint i = 0; i < POLLED_CHATS; i++) {
		open[i] = i ? g_strdup_printf("1203630439680001%02u@g.us", i) : g_strdup(vc->group);
		if (i) {
			wag_emu_add_group(emu, open[i], "Grupo");
			wag_emu_add_participant(emu, open[i], FX_ME, "admin");
		}
	}
	c.poll_seconds = 1;
	r = wire_login(emu, vc, &c);
	for (guint i = 0; i < POLLED_CHATS; i++)
		wag_session_open_group(r->s, open[i]);
	g_assert_true(sv_wait(each_read, &w, 20000));

	before = wag_emu_requests(emu)->len;
	wag_session_load_roster(r->s, other);
	g_assert_true(sv_wait_line(r, loaded, 5000));
	reqs = wag_emu_requests(emu);
	for (guint i = before; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		if (!strstr(q->path, "getGroupData"))
			continue;
		if (q->body && strstr(q->body, other))
			break;
		ahead++;
	}
	g_assert_cmpuint(ahead, <=, 1);
	g_assert_cmpuint(reads_of(emu, other, before), ==, 1);
	g_assert_cmpuint(assert_spaced(emu, "getGroupData", 1000 - 15), >=, 3 * POLLED_CHATS + 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A 429 on a roster read is read again later, not shown as a failure. */
static void
test_roster_429(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = wire_login(emu, vc, NULL);
	g_autofree char *loaded = g_strdup_printf("roster %s", vc->group);

	wag_emu_fail_next(emu, "getGroupData", 429, "");
	wag_session_open_group(r->s, vc->group);
	g_assert_true(sv_wait_line(r, loaded, 5000));
	g_assert_cmpuint(sv_count(r, "roster-error"), ==, 0);
	g_assert_cmpuint(assert_spaced(emu, "getGroupData", 1000 - 15), ==, 2);
	g_assert_cmpint(sv_role(r, vc->group, FX_MEMBER), ==, WAG_ROLE_MEMBER);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* ---- item 8 and the listing's retries ---- */

/* A Z-API that ignores `page` costs two calls, not 200; a real cap reached
 * is told to the user. */
static void
test_paging(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;
	guint before;

	for (int i = 0; i < 250; i++) {
		g_autofree char *id = g_strdup_printf("1203630195%08d-group", i);
		wag_emu_add_group(emu, id, "Grupo");
	}
	wag_emu_ignore_page(emu, TRUE);
	r = wire_login(emu, vc, &c);
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/groups"), ==, 2);
	g_assert_cmpuint(sv_count(r, "incomplete"), ==, 0);
	sv_free(r, FALSE);

	wag_emu_ignore_page(emu, FALSE);
	before = wag_emu_count(emu, "GET", "/groups");
	c.max_pages = 2;
	r = wire_login(emu, vc, &c);
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/groups") - before, ==, 2);
	g_assert_cmpuint(sv_count(r, "account-notice The group list may be incomplete: Z-API listed more than 2 pages"), ==, 1);
	g_assert_cmpuint(g_hash_table_size(wag_session_get_model(r->s)->groups), >=, 200);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A failed listing is asked again, 1 s then 2 s later (and a quarter more
 * at most), told once, and told again when it works. */
static void
test_listing_retried(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	GPtrArray *reqs;
	gint64 at[3];
	guint n = 0;

	wag_emu_fail_times(emu, "/groups", 2, 503, "{\"error\": \"Service Unavailable\"}");
	r = wire_login(emu, vc, NULL);
	g_assert_null(wag_model_lookup(wag_session_get_model(r->s), vc->group));
	g_assert_true(sv_wait_line(r, "account-notice The groups are listed", 8000));
	g_assert_cmpuint(sv_count(r, "account-error Could not list the groups"), ==, 1);
	g_assert_nonnull(wag_model_lookup(wag_session_get_model(r->s), vc->group));
	g_assert_cmpuint(sv_count(r, "groups-listed"), ==, 2); /* the login's, then the complete one */
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len && n < 3; i++)
		if (strstr(((WagEmuRequest *) reqs->pdata[i])->path, "/groups"))
			at[n++] = ((WagEmuRequest *) reqs->pdata[i])->when;
	g_assert_cmpuint(n, ==, 3);
	g_assert_cmpint((at[1] - at[0]) / 1000, >=, 1000);
	g_assert_cmpint((at[1] - at[0]) / 1000, <, 1250 + 1500);
	g_assert_cmpint((at[2] - at[1]) / 1000, >=, 2000);
	g_assert_cmpint((at[2] - at[1]) / 1000, <, 2500 + 1500);
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/groups"), ==, 3);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* ---- ids from outside are checked before any call ---- */

static void
requests_refused(WagSession *s, const char *group, const GError *error, gpointer data)
{
	*(char **) data = g_strdup(error ? error->message : "listed");
}

static void
test_ids_checked(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *requests = NULL;
	guint calls;
	SvRec *r;

	c.removals_per_minute = 0;
	r = wire_login(emu, vc, &c);
	g_assert_true(sv_open(r, vc->group, 3000));
	calls = wag_emu_requests(emu)->len;
	/* ".." would make /groups/../participants/remove a different call. */
	wag_session_open_group(r->s, "..");
	wag_session_load_roster(r->s, "../" "120363019502650977-group");
	wag_session_list_requests(r->s, "a?b", requests_refused, &requests, NULL);
	g_ptr_array_add(who, g_strdup(FX_MEMBER));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, ".", who, NULL);
	g_assert_cmpuint(sv_count(r, "roster-error ..: Z-API: \"..\" is not a valid group id."), ==, 1);
	g_assert_cmpuint(sv_count(r, "is not a valid group id."), ==, 3);
	g_assert_cmpstr(requests, ==, "Z-API: \"a?b\" is not a valid group id.");
	g_assert_cmpuint(wag_emu_requests(emu)->len, ==, calls);
	/* One bad phone among good ones: refused, the others go on. */
	g_ptr_array_add(who, g_strdup("5544/../1"));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Removed 1 of 1.", 3000));
	g_assert_cmpuint(sv_count(r, "Z-API: \"5544/../1\" is not a valid participant id."), ==, 1);
	g_assert_false(wag_emu_has_participant(emu, vc->group, FX_MEMBER));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wire/wawp/session-name-relay", test_wawp_session_name);
	g_test_add_func("/wire/states-stopped-failed-null", test_states);
	g_test_add_func("/wire/zapi/roster-changed-rereads", test_roster_changed);
	g_test_add_func("/wire/wawp/admin-by-lid", test_admin_by_lid);
	g_test_add_func("/wire/greenapi/one-pacer", test_green_pacer);
	g_test_add_func("/wire/greenapi/polls-in-turn", test_green_polls_in_turn);
	g_test_add_func("/wire/greenapi/roster-429-retried", test_roster_429);
	g_test_add_func("/wire/zapi/paging-stops-and-tells", test_paging);
	g_test_add_func("/wire/zapi/listing-retried", test_listing_retried);
	g_test_add_func("/wire/zapi/ids-checked-before-calls", test_ids_checked);
	return g_test_run();
}
