/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Closing the account while work is under way: the session is freed in the
 * middle of each kind of work that outlives one call (a message in the
 * outbox, an admin edit, the polls of open chats, the contacts read, the
 * join-request queue, the notification queue, the pacer's queues, the
 * listing's retry timer, a job's pause), and nothing may run afterwards: no view slot (checked
 * here), no timer or callback touching the freed struct (checked by the
 * ASan build: meson setup build-asan -Db_sanitize=address,undefined). */
#include "session-view.h"
#include "wag-store.h"
#include <string.h>

static gboolean freed;

static void
no_line_after_free(const char *line, gpointer data)
{
	if (freed)
		g_error("the view was called after wag_session_free(): %s", line);
}

static SvRec *
login_with(WagSessionConfig *c)
{
	SvRec *r = sv_start(c, NULL);

	freed = FALSE;
	r->on_line = no_line_after_free;
	g_assert_true(sv_wait_listed(r, 5000));
	while (!wag_session_get_me(r->s))
		g_main_context_iteration(NULL, TRUE);
	return r;
}

static SvRec *
login(WagEmu *emu, const VendorCase *vc)
{
	WagSessionConfig c = sv_config(emu, vc);
	return login_with(&c);
}

typedef struct {
	WagEmu *emu;
	const char *method;
	const char *match;
	guint n;
} Seen;

static gboolean
seen(gpointer data)
{
	Seen *w = data;
	return wag_emu_count(w->emu, w->method, w->match) >= w->n;
}

static gboolean
wait_request(WagEmu *emu, const char *method, const char *match, guint n)
{
	Seen w = { emu, method, match, n };
	return sv_wait(seen, &w, 5000);
}

static gboolean
never(gpointer data)
{
	return FALSE;
}

/* Frees the session now, then lets every timer it could have left behind
 * come due (the longest here is a job's or the listing's first backoff,
 * about 1.25 s; the notification pause is 1 s). A test of absence has to
 * wait that long: nothing may happen in it. */
static void
free_and_drain(SvRec *r)
{
	wag_session_free(r->s);
	r->s = NULL;
	freed = TRUE;
	sv_wait(never, NULL, 1600);
	freed = FALSE;
	sv_free(r, FALSE);
}

static const char *
send_path(const VendorCase *vc)
{
	return vc == &fx_zapi ? "/send-text" : vc == &fx_green ? "/sendMessage/" : "/v2/send/text";
}

/* The outbox: one send hangs at the vendor, two more wait their turn. */
static void
test_outbox(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;

	c.messages = "both";
	c.messages_per_minute = 60;
	r = login_with(&c);
	wag_emu_hang(emu, send_path(vc));
	for (int i = 0; i < 3; i++)
		g_free(wag_session_send_text(r->s, vc->group, "hello"));
	g_assert_true(wait_request(emu, "POST", send_path(vc), 1));
	free_and_drain(r);
	wag_emu_free(emu);
}

/* An admin edit in flight. */
static void
test_admin_edit(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	const char *path = vc == &fx_zapi ? "update-group-name" : vc == &fx_green ? "updateGroupName" : "/subject";
	WagEdit edit = { .kind = WAG_EDIT_SUBJECT, .text = "New subject" };
	SvRec *r = login(emu, vc);

	g_assert_true(sv_open(r, vc->group, 3000));
	wag_emu_hang(emu, path);
	wag_session_edit(r->s, vc->group, &edit);
	g_assert_true(wait_request(emu, NULL, path, 1));
	free_and_drain(r);
	wag_emu_free(emu);
}

/* Green API's contacts: freed while the read waits in the pacer for the
 * listing's rate limit, and again while the read is at the vendor. */
static void
test_contacts(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	WagSessionConfig c = sv_config(emu, &fx_green);
	SvRec *r = sv_start(&c, NULL);
	guint before;

	freed = FALSE;
	r->on_line = no_line_after_free;
	g_assert_true(sv_wait_listed(r, 5000));
	free_and_drain(r);
	before = wag_emu_count(emu, "GET", "getContacts");
	r = login(emu, &fx_green);
	wag_emu_hang(emu, "getContacts");
	/* the listing's read, then the contacts' */
	g_assert_true(wait_request(emu, "GET", "getContacts", before + 2));
	free_and_drain(r);
	wag_emu_free(emu);
}

/* Wawp's contacts, read page by page: freed while a page is at the vendor
 * (the pages read so far are freed with it). */
static void
test_wawp_contacts(void)
{
	WagEmu *emu = fx_emu(&fx_wawp);
	SvRec *r;

	wag_emu_add_contacts(emu, 1500);
	wag_emu_hang(emu, "/v2/contacts/all");
	r = login(emu, &fx_wawp);
	g_assert_true(wait_request(emu, "GET", "/v2/contacts/all", 1));
	free_and_drain(r);
	wag_emu_free(emu);
}

static void
requests_listed(WagSession *s, const char *group, const GError *error, gpointer data)
{
	g_error("a requests listing answered after wag_session_free()");
}

static void
count_drop(gpointer data)
{
	(*(guint *) data)++;
}

/* Join requests queued to be asked at the next idle, one still in the
 * live queue. */
static void
test_requests(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login(emu, vc);
	guint dropped = 0;

	g_assert_true(sv_open(r, vc->group, 3000));
	for (int i = 0; i < 3; i++) {
		WagEvent *e = wag_event_new(WAG_EVENT_JOIN_REQUESTED, vc->group);
		g_ptr_array_add(e->participants, g_strdup_printf("554491111111%d", i));
		wag_session_push_event(r->s, e);
	}
	free_and_drain(r);
	wag_emu_free(emu);
	/* A listing of requests at the vendor (WAHA lists them). */
	emu = fx_emu(&fx_wawp);
	r = login(emu, &fx_wawp);
	wag_emu_hang(emu, "join-requests");
	wag_session_list_requests(r->s, fx_wawp.group, requests_listed, &dropped, count_drop);
	g_assert_true(wait_request(emu, "GET", "join-requests", 1));
	free_and_drain(r);
	g_assert_cmpuint(dropped, ==, 1); /* the front end's data is given back, once */
	wag_emu_free(emu);
}

#define STATE_CHANGED "{\"typeWebhook\": \"stateInstanceChanged\", \"stateInstance\": \"authorized\"}"

/* Green API's notification queue, without a relay: freed while a read is
 * held by the vendor, and while it pauses after an error. */
static void
test_notifications(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	SvRec *r;

	wag_emu_green_notify(emu, STATE_CHANGED); /* the emulator's getSettings: no webhook URL */
	wag_emu_hang(emu, "/receiveNotification/");
	r = login(emu, &fx_green);
	g_assert_true(wait_request(emu, "GET", "/receiveNotification/", 1));
	free_and_drain(r);
	wag_emu_free(emu);

	emu = fx_emu(&fx_green);
	wag_emu_green_notify(emu, STATE_CHANGED);
	wag_emu_fail_times(emu, "/receiveNotification/", 100, 500, "{\"error\": \"Internal Server Error\"}");
	r = login(emu, &fx_green);
	g_assert_true(wait_request(emu, "GET", "/receiveNotification/", 1));
	free_and_drain(r);
	wag_emu_free(emu);
}

/* Reads waiting in the pacer (Green API: one getGroupData a second). */
static void
test_pacer(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	SvRec *r = login(emu, &fx_green);

	for (int i = 0; i < 4; i++) {
		g_autofree char *id = g_strdup_printf("12036302%010d@g.us", i);
		wag_emu_add_group(emu, id, "more");
		wag_session_load_roster(r->s, id);
	}
	wag_session_load_roster(r->s, fx_green.group);
	free_and_drain(r);
	wag_emu_free(emu);
}

/* Green API's polls of the open chats, freed while the next waits in the
 * pacer: nothing more is read, nothing is told. */
static void
test_polls(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	WagSessionConfig c = sv_config(emu, &fx_green);
	SvRec *r;

	c.poll_seconds = 1;
	r = login_with(&c);
	wag_session_open_group(r->s, fx_green.group);
	for (int i = 0; i < 2; i++) {
		g_autofree char *id = g_strdup_printf("12036302%010d@g.us", i);
		wag_emu_add_group(emu, id, "more");
		wag_emu_add_participant(emu, id, FX_ME, "admin");
		wag_session_open_group(r->s, id);
	}
	/* The three opens and two polls: the next is a second away at least. */
	g_assert_true(wait_request(emu, "POST", "getGroupData", 5));
	free_and_drain(r);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "getGroupData"), ==, 5);
	wag_emu_free(emu);
}

/* The listing failed and waits to be asked again. */
static void
test_listing_retry(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;

	wag_emu_fail_next(emu, "/groups", 500, "{\"error\": \"Internal Server Error\"}");
	wag_emu_fail_next(emu, "/communities", 500, "{\"error\": \"Internal Server Error\"}");
	r = sv_start(&c, NULL);
	freed = FALSE;
	r->on_line = no_line_after_free;
	g_assert_true(sv_wait_line(r, "Could not list the groups", 5000));
	free_and_drain(r);
	wag_emu_free(emu);
}

/* A job paused by the vendor's rate limit (its retry timer armed), and a
 * job's call in flight. */
static void
test_job_pause(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) two = g_ptr_array_new_with_free_func(g_free);
	SvRec *r;

	wag_emu_add_participant(emu, vc->group, "5544900000001", "member");
	wag_emu_add_participant(emu, vc->group, "5544900000002", "member");
	r = login(emu, vc);
	g_assert_true(sv_open(r, vc->group, 3000));
	g_ptr_array_add(one, g_strdup("5544900000001"));
	wag_emu_fail_next(emu, vc->remove_path, 429, "{\"error\": \"Too Many Requests\"}");
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, one, NULL);
	g_assert_true(sv_wait_line(r, "Trying again in", 3000));
	free_and_drain(r);

	r = login(emu, vc);
	g_assert_true(sv_open(r, vc->group, 3000));
	g_ptr_array_add(two, g_strdup("5544900000002"));
	wag_emu_hang(emu, vc->remove_path);
	wag_session_start_job(r->s, WAG_ACTION_REMOVE, vc->group, two, NULL);
	g_assert_true(wait_request(emu, "POST", vc->remove_path, 1));
	free_and_drain(r);
	wag_emu_free(emu);
}

/* A relay that cannot be reached: its client waits to try again. */
static void
test_relay_retry(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;

	c.relay_url = "ws://127.0.0.1:9/events"; /* discard: nothing listens */
	c.relay_token = "relay-secret";
	r = login_with(&c);
	g_assert_true(sv_wait_line(r, "relay down", 5000));
	free_and_drain(r);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (const VendorCase *const *v = fx_vendors; *v; v++) {
		g_autofree char *outbox = g_strdup_printf("/teardown/%s/outbox", (*v)->vendor);
		g_autofree char *edit = g_strdup_printf("/teardown/%s/admin-edit", (*v)->vendor);
		g_autofree char *job = g_strdup_printf("/teardown/%s/job-pause", (*v)->vendor);
		g_test_add_data_func(outbox, *v, test_outbox);
		g_test_add_data_func(edit, *v, test_admin_edit);
		g_test_add_data_func(job, *v, test_job_pause);
	}
	g_test_add_func("/teardown/greenapi/contacts", test_contacts);
	g_test_add_func("/teardown/wawp/contacts", test_wawp_contacts);
	g_test_add_func("/teardown/zapi/requests", test_requests);
	g_test_add_func("/teardown/greenapi/notifications", test_notifications);
	g_test_add_func("/teardown/greenapi/pacer", test_pacer);
	g_test_add_func("/teardown/greenapi/polls", test_polls);
	g_test_add_func("/teardown/zapi/listing-retry", test_listing_retry);
	g_test_add_func("/teardown/zapi/relay-retry", test_relay_retry);
	return g_test_run();
}
