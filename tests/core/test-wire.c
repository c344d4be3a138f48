/* Issue 15, at the session's level: what the vendor says of the account
 * (Wawp's session name, lids, stopped sessions), one pacer per session,
 * listings that page and retry, bulk jobs through a 5xx storm, and an
 * audit log that misses no call. A recording view and the vendor
 * emulator; every wait is for a condition (timestamps are the emulator's). */
#include "session-view.h"
#include "relay-proc.h"
#include "vendor-fixture.h"
#include "wag-check.h"
#include "wag-store.h"
#include <string.h>

#define JSON "application/json"
#define WAWP_SESSION "wawp-84729105"

static SvRec *
login_with(WagEmu *emu, const VendorCase *vc, const WagSessionConfig *config)
{
	WagSessionConfig c = config ? *config : sv_config(emu, vc);
	SvRec *r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	return r;
}

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
	r = login_with(emu, vc, &c);
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
	SvRec *r = login_with(emu, vc, NULL);
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
	r = login_with(emu, vc, NULL);
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
	r = login_with(emu, vc, &c);
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

/* A 429 on a roster read is read again later, not shown as a failure. */
static void
test_roster_429(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_with(emu, vc, NULL);
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
	r = login_with(emu, vc, &c);
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/groups"), ==, 2);
	g_assert_cmpuint(sv_count(r, "incomplete"), ==, 0);
	sv_free(r, FALSE);

	wag_emu_ignore_page(emu, FALSE);
	before = wag_emu_count(emu, "GET", "/groups");
	c.max_pages = 2;
	r = login_with(emu, vc, &c);
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
	r = login_with(emu, vc, NULL);
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

/* ---- bulk jobs: storms, summaries, refusals ---- */

static GPtrArray *
phones(WagEmu *emu, const char *group, guint n, guint base)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		g_autofree char *phone = g_strdup_printf("55449%08u", base + i);
		if (emu)
			wag_emu_add_participant(emu, group, phone, "member");
		g_ptr_array_add(a, g_steal_pointer(&phone));
	}
	return a;
}

static char *
state_file(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	char *text = NULL;
	wag_store_flush();
	g_file_get_contents(path, &text, NULL, NULL);
	return text ? text : g_strdup("");
}

/* A 5xx storm: after 5 failed calls in a row the job pauses (said once),
 * the pause survives a restart, and then the job carries on by itself. */
static void
test_storm_pause(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 12, 1);
	g_autofree char *file = g_strdup_printf("jobs/%s-%s.json", vc->vendor, FX_INSTANCE);
	g_autofree char *jobs = NULL;
	g_autofree char *state = NULL;
	GPtrArray *reqs;
	gint64 fifth = 0, sixth = 0;
	guint n = 0;
	SvRec *r;

	c.storm_pause_ms = 2000;
	c.removals_per_minute = 0; /* Green API: one phone a call, 10 a second at most */
	wag_emu_fail_times(emu, vc->remove_path, 5, 502, "<html>Bad Gateway</html>");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, "storm");
	g_assert_true(sv_wait_line(r, "The job is paused", 25000));
	g_assert_cmpuint(sv_count(r, "Trying again"), ==, 4);
	g_assert_cmpuint(sv_count(r, "5 calls in a row failed"), ==, 1);
	g_assert_cmpuint(sv_count(r, "Not done"), ==, 0);
	jobs = state_file(r->state_dir, file);
	g_assert_nonnull(strstr(jobs, "\"paused_until\""));
	state = g_strdup(r->state_dir);
	sv_free(r, TRUE);

	/* A restart keeps the pause, then goes on; the storm is over. */
	r = sv_start(&c, state);
	g_assert_true(sv_wait_line(r, "Removed 12 of 12.", 20000));
	g_assert_cmpuint(sv_count(r, "calls in a row failed"), ==, 0);
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len; i++)
		if (strstr(((WagEmuRequest *) reqs->pdata[i])->path, vc->remove_path) && ++n >= 5) {
			if (n == 5)
				fifth = ((WagEmuRequest *) reqs->pdata[i])->when;
			else if (n == 6)
				sixth = ((WagEmuRequest *) reqs->pdata[i])->when;
		}
	g_assert_cmpint((sixth - fifth) / 1000, >=, 2000);
	for (guint i = 0; i < who->len; i++)
		g_assert_false(wag_emu_has_participant(emu, vc->group, who->pdata[i]));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A 500-phone kick that fails: the summary names 20 phones, then "and 480 more". */
static void
test_summary_cap(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 500, 1);
	WagSessionConfig c = sv_config(emu, vc);
	const char *summary = NULL;
	SvRec *r;

	c.removals_per_minute = 0; /* batches of 50, no drip */
	r = login_with(emu, vc, &c);

	g_assert_true(sv_open(r, vc->group, 3000));
	wag_emu_fail_times(emu, vc->remove_path, 10, 400, "{\"error\": \"Invalid phone\"}");
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Removed 0 of 500. Not done", 10000));
	for (guint i = 0; i < r->lines->len; i++)
		if (strstr(r->lines->pdata[i], "Removed 0 of 500. Not done"))
			summary = r->lines->pdata[i];
	g_assert_nonnull(strstr(summary, (char *) who->pdata[19]));
	g_assert_null(strstr(summary, (char *) who->pdata[20]));
	g_assert_nonnull(strstr(summary, " and 480 more: Z-API: bad request data (400): Invalid phone"));
	g_assert_cmpuint(strlen(summary), <, 600);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Wawp's 403: this account is not an admin; the job stops at once, said plainly. */
static void
test_not_admin(void)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 3, 1);
	SvRec *r;

	c.removals_per_minute = 60; /* one phone a call */
	r = login_with(emu, vc, &c);
	g_assert_true(sv_open(r, vc->group, 3000));
	wag_emu_fail_next(emu, vc->remove_path, 403, "{\"status\": 403, \"message\": \"Forbidden\", \"error\": \"forbidden\"}");
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Removed 0 of 3.", 5000));
	g_assert_cmpuint(sv_count(r, "error " "120363055555555555@g.us: Removed 0 of 3. Not done: 5544900000001, 5544900000002, "
	                         "5544900000003: Wawp: this account is not an admin of the group (403)"), ==, 1);
	g_assert_cmpuint(wag_emu_count(emu, "POST", vc->remove_path), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* ---- the audit log misses no call ---- */

typedef struct {
	SvRec *r;
	WagEmu *emu;
	const char *path;
	guint calls;
} CycleWait;

static gboolean
cycle_done(gpointer data)
{
	CycleWait *w = data;
	return wag_emu_count(w->emu, "POST", w->path) >= w->calls || sv_count(w->r, "Removed 60 of 60.") > 0;
}

/* The phone a Green API removal call named ("participantChatId": "…@c.us"). */
static char *
removal_phone(const WagEmuRequest *q)
{
	g_autoptr(JsonNode) body = json_from_string(q->body, NULL);
	const char *chat = json_object_get_string_member(json_node_get_object(body), "participantChatId");
	return g_strndup(chat, strcspn(chat, "@"));
}

/* Many quick closes and reopens in the middle of a 60-phone kick, against
 * one vendor: every phone the vendor received a removal call for has an
 * audit line with a result, and every phone of the job ends removed (ok),
 * found gone on resume (already_gone) or reported not done. */
static void
test_audit_cycles(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(GPtrArray) who = phones(emu, vc->group, 60, 1);
	g_autoptr(GHashTable) results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) lines = NULL;
	g_autofree char *state = NULL;
	g_autofree char *audit = NULL;
	GPtrArray *reqs;
	guint unknown = 0, gone = 0;
	SvRec *r;

	c.removals_per_minute = 0;
	/* Answers take a while: a close often cuts a call the vendor already did. */
	wag_emu_delay(emu, vc->remove_path, 40);
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, who, "cycles");
	for (guint cycle = 0; cycle < 25; cycle++) {
		CycleWait w = { r, emu, vc->remove_path, wag_emu_count(emu, "POST", vc->remove_path) + 1 + cycle % 3 };
		g_assert_true(sv_wait(cycle_done, &w, 8000));
		if (sv_count(r, "Removed 60 of 60."))
			break;
		g_free(state);
		state = g_strdup(r->state_dir);
		sv_free(r, TRUE);
		r = sv_start(&c, state);
	}
	g_assert_true(sv_wait_line(r, "Removed 60 of 60.", 20000));
	g_assert_cmpuint(sv_count(r, "Not done"), ==, 0);
	audit = state_file(r->state_dir, "audit.log");
	sv_free(r, FALSE);

	/* phone -> the results of its audit lines, in order */
	lines = g_strsplit(audit, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_autoptr(JsonNode) node = json_from_string(lines[i], NULL);
		JsonObject *o;
		JsonArray *targets;
		const char *result;
		if (!node)
			continue;
		o = json_node_get_object(node);
		targets = json_object_get_array_member(o, "targets");
		result = json_object_get_string_member(o, "result");
		unknown += g_str_equal(result, "unknown");
		gone += g_str_equal(result, "already_gone");
		for (guint j = 0; j < json_array_get_length(targets); j++) {
			const char *phone = json_array_get_string_element(targets, j);
			const char *was = g_hash_table_lookup(results, phone);
			g_hash_table_insert(results, g_strdup(phone), g_strconcat(was ? was : "", result, " ", NULL));
		}
	}
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		g_autofree char *phone = NULL;
		if (!strstr(q->path, vc->remove_path))
			continue;
		phone = removal_phone(q);
		if (!g_hash_table_contains(results, phone))
			g_error("the vendor received a removal of %s; the audit log has no line for it", phone);
	}
	for (guint i = 0; i < who->len; i++) {
		const char *said = g_hash_table_lookup(results, who->pdata[i]);
		g_assert_false(wag_emu_has_participant(emu, vc->group, who->pdata[i]));
		if (!said || !(strstr(said, "ok ") || strstr(said, "already_gone ")))
			g_error("%s: removed, but the audit log says only \"%s\"", (char *) who->pdata[i], said ? said : "");
	}
	/* The cycles did cut calls off, and the resumes found their phones gone. */
	g_assert_cmpuint(unknown, >, 0);
	g_assert_cmpuint(gone, >, 0);
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
	r = login_with(emu, vc, &c);
	g_assert_true(sv_open(r, vc->group, 3000));
	calls = wag_emu_requests(emu)->len;
	/* ".." would make /groups/../participants/remove a different call. */
	wag_session_open_group(r->s, "..");
	wag_session_load_roster(r->s, "../" "120363019502650977-group");
	wag_session_list_requests(r->s, "a?b", requests_refused, &requests);
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
	g_test_add_func("/wire/greenapi/roster-429-retried", test_roster_429);
	g_test_add_func("/wire/zapi/paging-stops-and-tells", test_paging);
	g_test_add_func("/wire/zapi/listing-retried", test_listing_retried);
	g_test_add_func("/wire/greenapi/storm-pause-persisted", test_storm_pause);
	g_test_add_func("/wire/zapi/summary-500-phones", test_summary_cap);
	g_test_add_func("/wire/wawp/not-admin-stops-job", test_not_admin);
	g_test_add_func("/wire/greenapi/audit-close-reopen-cycles", test_audit_cycles);
	g_test_add_func("/wire/zapi/ids-checked-before-calls", test_ids_checked);
	return g_test_run();
}
