/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Issue 17 in the core: settings errors that say what is wrong, and names
 * and titles resolved to ids. No libpurple. */
#include "session-view.h"
#include "relay-proc.h"
#include "wag-names.h"
#include "wag-store.h"
#include <libsoup/soup.h>
#include <string.h>

static gboolean
failed(gpointer data)
{
	return ((SvRec *) data)->failure != NULL;
}

static void
html_404(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	static const char page[] = "<html><body><h1>404 Not Found</h1></body></html>";
	soup_server_message_set_status(msg, 404, NULL);
	soup_server_message_set_response(msg, "text/html", SOUP_MEMORY_STATIC, page, sizeof page - 1);
}

/* Some web server that is not the vendor: a settings error, not the token. */
static void
test_api_base_404(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	g_autoptr(SoupServer) server = soup_server_new(NULL, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GSList) uris = NULL;
	g_autofree char *base = NULL;
	WagSessionConfig c = sv_config(emu, &fx_zapi);
	SvRec *r;

	soup_server_add_handler(server, NULL, html_404, NULL, NULL);
	g_assert_true(soup_server_listen_local(server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
	uris = soup_server_get_uris(server);
	base = g_uri_to_string(uris->data);
	g_slist_free_full(g_steal_pointer(&uris), (GDestroyNotify) g_uri_unref);
	c.api_base = base;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait(failed, r, 5000));
	g_assert_cmpint(r->failure->code, ==, WAG_SESSION_ERROR_SETTINGS);
	g_assert_nonnull(strstr(r->failure->message, "does not look like the API of Z-API"));
	g_assert_null(strstr(r->failure->message, "rejected the instance id or token"));
	fx_assert_no_secret(r->failure->message);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* No scheme: said at once, no call made. */
static void
test_api_base_scheme(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	WagSessionConfig c = sv_config(emu, &fx_zapi);
	SvRec *r;

	c.api_base = "api.z-api.io";
	r = sv_start(&c, NULL);
	g_assert_nonnull(r->failure);
	g_assert_cmpint(r->failure->code, ==, WAG_SESSION_ERROR_SETTINGS);
	g_assert_nonnull(strstr(r->failure->message, "must start with http:// or https://"));
	g_assert_cmpuint(wag_emu_requests(emu)->len, ==, 0);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
test_resolve(void)
{
	WagModel *m = wag_model_new();
	WagGroup *a = wag_model_take(m, wag_group_new("120363019502650977-group", "Bairro Vila Nova"));
	WagGroup *twin1 = wag_model_take(m, wag_group_new("1203630111-group", "Solar"));
	g_autofree char *error = NULL;
	WagParticipant *p;

	wag_model_take(m, wag_group_new("1203630222-group", "solar"));
	g_assert_true(wag_model_resolve_group(m, "120363019502650977-group", &error) == a);
	g_assert_true(wag_model_resolve_group(m, "BAIRRO vila nova", &error) == a);
	g_assert_null(wag_model_resolve_group(m, "Solar", &error));
	g_assert_nonnull(strstr(error, "2 groups are called \"Solar\""));
	g_clear_pointer(&error, g_free);
	g_assert_null(wag_model_resolve_group(m, "Nada Aqui", &error));
	g_assert_nonnull(strstr(error, "No group or community"));
	g_clear_pointer(&error, g_free);
	(void) twin1;

	p = wag_group_add_participant(a, "5511999999999", WAG_ROLE_OWNER);
	p->name = g_strdup("Ana Souza");
	wag_group_add_participant(a, "5511988888888", WAG_ROLE_ADMIN);
	a->roster_loaded = TRUE;
	/* By phone, nick, name (as typed or as a nick writes it). */
	g_assert_true(wag_group_resolve_person(a, "+55 11 99999-9999", &error) == p);
	g_assert_true(wag_group_resolve_person(a, "_5511999999999", &error) == p);
	g_assert_true(wag_group_resolve_person(a, "ana souza", &error) == p);
	g_assert_true(wag_group_resolve_person(a, "Ana_Souza", &error) == p);
	g_assert_true(wag_group_resolve_person(a, "AnaSouza", &error) == p); /* nick_format %full_name */
	g_assert_null(wag_group_resolve_person(a, "Bia", &error));
	g_assert_nonnull(strstr(error, "No participant called \"Bia\""));
	g_clear_pointer(&error, g_free);
	/* A first name only one participant has; accents as typed or not; a
	 * nick bitlbee suffixed with '_' (taken by another account). */
	g_assert_true(wag_group_resolve_person(a, "ana", &error) == p);
	g_assert_true(wag_group_resolve_person(a, "_5511999999999_", &error) == p);
	{
		WagParticipant *joao = wag_group_add_participant(a, "5521911112222", WAG_ROLE_MEMBER);
		WagParticipant *ana = wag_group_add_participant(a, "5521933334444", WAG_ROLE_MEMBER);
		joao->name = g_strdup("Jo\xc3\xa3o Pedro Santos");
		g_assert_true(wag_group_resolve_person(a, "JoaoPedroSantos", &error) == joao);
		g_assert_true(wag_group_resolve_person(a, "joao pedro", &error) == joao);
		/* A whole name beats another's first name; two first names: ask. */
		ana->name = g_strdup("Ana");
		g_assert_true(wag_group_resolve_person(a, "Ana", &error) == ana);
		g_free(ana->name);
		ana->name = g_strdup("Ana Lima");
		g_assert_null(wag_group_resolve_person(a, "Ana", &error));
		g_assert_nonnull(strstr(error, "2 participants are called \"Ana\""));
		g_clear_pointer(&error, g_free);
		g_hash_table_remove(a->participants, "5521911112222");
		g_hash_table_remove(a->participants, "5521933334444");
	}
	{
		g_autofree char *t = NULL;
		t = wag_names_rewrite_targets(a, "Ana Souza spam links", &error);
		g_assert_cmpstr(t, ==, "5511999999999 spam links");
		g_free(t);
		t = wag_names_rewrite_targets(a, "_Ana_Souza, +55 11 98888-8888 flood", &error);
		g_assert_cmpstr(t, ==, "5511999999999, +55 11 98888-8888 flood");
		g_free(t);
		/* Nobody by that name: left as typed (refused later as no phone). */
		t = wag_names_rewrite_targets(a, "Bia spam", &error);
		g_assert_cmpstr(t, ==, "Bia spam");
		g_assert_null(error);
		g_free(t);
		/* Two people with one name: refused, not guessed. */
		p = wag_group_add_participant(a, "5544977777777", WAG_ROLE_MEMBER);
		p->name = g_strdup("ana souza");
		t = wag_names_rewrite_targets(a, "Ana Souza spam", &error);
		g_assert_null(t);
		g_assert_nonnull(strstr(error, "2 participants are called \"Ana Souza\""));
		g_clear_pointer(&error, g_free);
		g_hash_table_remove(a->participants, "5544977777777");
	}
	error = wag_group_admins_line(a);
	g_assert_cmpstr(error, ==, "Owner: Ana Souza (5511999999999). Admins: 5511988888888.");
	wag_model_free(m);
}

static guint retries;

static GLogWriterOutput
count_retries(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
	for (gsize i = 0; i < n; i++)
		if (g_strcmp0(fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
		    strstr(fields[i].value, "trying again in"))
			retries++;
	return g_log_writer_default(level, fields, n, data);
}

static gboolean
retried_twice(gpointer data)
{
	return retries >= 2;
}

/* The relay's state is said when it changes: not on every retry. */
static void
test_relay_state_changes(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *url = g_strdup_printf("ws://127.0.0.1:%d", rp->port);
	WagSessionConfig c = sv_config(emu, &fx_zapi);
	SvRec *r;

	c.relay_url = url;
	c.relay_token = RP_CLIENT;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_line(r, "relay live: Live sync: following wagateway-relay.", 5000));
	relay_proc_kill9(rp);
	g_assert_true(sv_wait_line(r, "relay down: The relay is not reachable", 5000));
	retries = 0;
	g_assert_true(sv_wait(retried_twice, NULL, 10000));
	g_assert_cmpuint(sv_count(r, "relay down"), ==, 1);
	relay_proc_restart(rp);
	sv_clear(r);
	g_assert_true(sv_wait_line(r, "relay live", 20000));
	g_assert_cmpuint(sv_count(r, "relay down"), ==, 0);
	sv_free(r, FALSE);
	relay_proc_stop(rp);
	relay_proc_free(rp);
	wag_emu_free(emu);
}

static gboolean
wag_requests_test_pending(gpointer data)
{
	return ((WagGroup *) data)->pending->len == 1;
}

static void
push(SvRec *r, WagEventKind kind, const char *who, gint64 at)
{
	WagEvent *e = wag_event_new(kind, fx_zapi.group);

	g_ptr_array_add(e->participants, g_strdup(who));
	e->at = at;
	wag_session_push_event(r->s, e);
}

static gboolean
idle_done(gpointer data)
{
	gboolean *done = data;
	*done = TRUE;
	return G_SOURCE_REMOVE;
}

static gboolean
is_true(gpointer data)
{
	return *(gboolean *) data;
}

/* Lets queued idles (the sliced apply, the questions) run. */
static void
settle(void)
{
	for (int i = 0; i < 3; i++) {
		gboolean done = FALSE;
		g_idle_add_full(G_PRIORITY_LOW, idle_done, &done, NULL);
		sv_wait(is_true, &done, 2000);
	}
}

/* Asked once while pending; an answer is remembered across connections. */
static void
test_requests_queue(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	WagSessionConfig c = sv_config(emu, &fx_zapi);
	SvRec *r = sv_start(&c, NULL);
	g_autofree char *dir = g_strdup(r->state_dir);

	g_assert_true(sv_wait_listed(r, 5000));
	push(r, WAG_EVENT_JOIN_REQUESTED, "5544911111111", 1000);
	g_assert_true(sv_wait_line(r, "join-request " "120363019502650977-group: 5544911111111", 2000));
	/* The same request again (a replay): not asked twice. */
	push(r, WAG_EVENT_JOIN_REQUESTED, "5544911111111", 1000);
	settle();
	g_assert_cmpuint(sv_count(r, "join-request"), ==, 1);
	/* Declined elsewhere: out of the queue, remembered. */
	push(r, WAG_EVENT_JOIN_REVOKED, "5544911111111", 2000);
	settle();
	g_assert_cmpuint(wag_model_lookup(wag_session_get_model(r->s), fx_zapi.group)->pending->len, ==, 0);
	sv_free(r, TRUE);
	wag_store_flush();

	/* Next connection: the relay replays the old request; it is not asked, nor queued. */
	r = sv_start(&c, dir);
	g_assert_true(sv_wait_listed(r, 5000));
	push(r, WAG_EVENT_JOIN_REQUESTED, "5544911111111", 1000);
	settle();
	g_assert_cmpuint(sv_count(r, "join-request"), ==, 0);
	g_assert_cmpuint(wag_model_lookup(wag_session_get_model(r->s), fx_zapi.group)->pending->len, ==, 0);
	/* A new request from the same person is a new question. */
	push(r, WAG_EVENT_JOIN_REQUESTED, "5544911111111", 3000);
	g_assert_true(sv_wait_line(r, "join-request", 2000));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Many at once: one line naming /requests, no questions. */
static void
test_requests_summary(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	WagSessionConfig c = sv_config(emu, &fx_zapi);
	SvRec *r = sv_start(&c, NULL);

	g_assert_true(sv_wait_listed(r, 5000));
	for (int i = 0; i < 12; i++) {
		g_autofree char *who = g_strdup_printf("55449111111%02d", i);
		push(r, WAG_EVENT_JOIN_REQUESTED, who, 1000 + i);
	}
	g_assert_true(sv_wait_line(r, "account-notice Join requests: 12 new join requests: Bairro Vila Nova (12). "
	                              "Type /requests", 2000));
	g_assert_cmpuint(sv_count(r, "join-request"), ==, 0);
	g_assert_cmpuint(wag_model_lookup(wag_session_get_model(r->s), fx_zapi.group)->pending->len, ==, 12);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A first connection to the relay receives its history: queued, not asked. */
static void
test_requests_history(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	RelayProc *rp = relay_proc_start(NULL);
	g_autoptr(SoupSession) http = soup_session_new();
	g_autofree char *url = g_strdup_printf("ws://127.0.0.1:%d", rp->port);
	g_autofree char *old = g_strdup_printf(
		"{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"%s\", \"phone\": \"%s\","
		" \"participantPhone\": \"5544911111111\", \"momment\": 1732300000000,"
		" \"notification\": \"MEMBERSHIP_APPROVAL_REQUEST\", \"notificationParameters\": [\"5544911111111\"]}",
		FX_INSTANCE, fx_zapi.group);
	g_autofree char *fresh = g_strdup_printf(
		"{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"%s\", \"phone\": \"%s\","
		" \"participantPhone\": \"5544922222222\", \"momment\": %" G_GINT64_FORMAT ","
		" \"notification\": \"MEMBERSHIP_APPROVAL_REQUEST\", \"notificationParameters\": [\"5544922222222\"]}",
		FX_INSTANCE, fx_zapi.group, g_get_real_time() / 1000 + 60000);
	WagSessionConfig c = sv_config(emu, &fx_zapi);
	SvRec *r;
	WagGroup *g;

	g_assert_cmpuint(relay_post(http, rp, "zapi", RP_SECRET, "application/json", old, NULL), ==, 200);
	c.relay_url = url;
	c.relay_token = RP_CLIENT;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_line(r, "relay live", 5000));
	g = wag_model_lookup(wag_session_get_model(r->s), fx_zapi.group);
	g_assert_true(sv_wait(wag_requests_test_pending, g, 5000));
	settle();
	g_assert_cmpuint(sv_count(r, "join-request"), ==, 0);
	g_assert_cmpuint(relay_post(http, rp, "zapi", RP_SECRET, "application/json", fresh, NULL), ==, 200);
	g_assert_true(sv_wait_line(r, "join-request 120363019502650977-group: 5544922222222", 5000));
	g_assert_cmpuint(sv_count(r, "join-request"), ==, 1);
	sv_free(r, FALSE);
	relay_proc_stop(rp);
	relay_proc_free(rp);
	wag_emu_free(emu);
}

/* Vendors whose rosters carry no names: a sender's WhatsApp name becomes
 * the participant's, so that the chat's user list and /kick NAME know the
 * person the messages named; a roster's own name is never replaced. */
static void
test_sender_names_the_participant(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;
	WagGroup *g;
	WagParticipant *p;
	g_autofree char *error = NULL;
	g_autofree char *targets = NULL;

	c.messages = "both";
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	g = wag_model_lookup(wag_session_get_model(r->s), vc->group);
	p = g_hash_table_lookup(g->participants, FX_MEMBER2);
	g_assert_nonnull(p);
	g_assert_null(p->name);
	((WagParticipant *) g_hash_table_lookup(g->participants, FX_MEMBER))->name = g_strdup("Ana do roster");
	for (guint i = 0; i < 2; i++) {
		WagEvent *e = wag_event_new(WAG_EVENT_MESSAGE, vc->group);
		e->message = wag_message_new(WAG_MSG_TEXT);
		e->message->message_id = g_strdup_printf("M%u", i);
		e->message->from = g_strdup(i ? FX_MEMBER : FX_MEMBER2);
		e->message->from_name = g_strdup(i ? "Ana" : "Bruno Lima");
		e->message->text = g_strdup("oi");
		wag_session_push_event(r->s, e);
	}
	sv_clear(r);
	g_assert_true(sv_wait_line(r, " " FX_MEMBER " @", 3000)); /* the second message was shown */
	g_assert_cmpstr(p->name, ==, "Bruno Lima");
	g_assert_cmpstr(((WagParticipant *) g_hash_table_lookup(g->participants, FX_MEMBER))->name, ==, "Ana do roster");
	{
		g_autofree char *shown = g_strdup_printf("roster %s", vc->group);
		g_assert_cmpuint(sv_count(r, shown), ==, 1); /* the user list learns the name */
	}
	targets = wag_names_rewrite_targets(g, "Bruno Lima --purge spam", &error);
	g_assert_null(error);
	g_assert_cmpstr(targets, ==, FX_MEMBER2 " --purge spam");
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
push_at(SvRec *r, WagEventKind kind, const char *group, gint64 at, const char *what)
{
	WagEvent *e = wag_event_new(kind, group);
	e->at = at;
	g_ptr_array_add(e->participants, g_strdup(what));
	wag_session_push_event(r->s, e);
}

/* Webhooks arrive out of order: an older subject or setting arriving after
 * a newer one does not undo it; a newer one still applies. */
static void
test_late_group_changes(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r = sv_start(&c, NULL);
	WagGroup *g;

	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	push_at(r, WAG_EVENT_SUBJECT_CHANGED, vc->group, 2000, "Newer");
	push_at(r, WAG_EVENT_SUBJECT_CHANGED, vc->group, 1000, "Older");
	push_at(r, WAG_EVENT_SETTINGS_CHANGED, vc->group, 2000, "announce=on");
	push_at(r, WAG_EVENT_SETTINGS_CHANGED, vc->group, 1000, "announce=off");
	push_at(r, WAG_EVENT_SETTINGS_CHANGED, vc->group, 1500, "locked=on"); /* another setting: its own time */
	push_at(r, WAG_EVENT_PROMOTED, vc->group, 2000, FX_MEMBER); /* a marker: applied last */
	g_assert_true(sv_wait_line(r, "membership participant_promoted", 3000));
	g = wag_model_lookup(wag_session_get_model(r->s), vc->group);
	g_assert_cmpstr(g->subject, ==, "Newer");
	g_assert_cmpint(g->settings[WAG_SETTING_ANNOUNCE], ==, 1);
	g_assert_cmpint(g->settings[WAG_SETTING_LOCKED], ==, 1);
	push_at(r, WAG_EVENT_SUBJECT_CHANGED, vc->group, 3000, "Newest");
	push_at(r, WAG_EVENT_DEMOTED, vc->group, 3000, FX_MEMBER);
	g_assert_true(sv_wait_line(r, "membership participant_demoted", 3000));
	g_assert_cmpstr(g->subject, ==, "Newest");
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

typedef struct {
	SvRec *r;
	const char *group, *who;
} NameWait;

static gboolean
has_name(gpointer data)
{
	NameWait *w = data;
	WagGroup *g = wag_model_lookup(wag_session_get_model(w->r->s), w->group);
	WagParticipant *p = g ? g_hash_table_lookup(g->participants, w->who) : NULL;
	return p && p->name;
}

/* Green API's polled rosters: someone who comes back in takes the name its
 * contacts give, as in a roster read. */
static void
test_polled_names(void)
{
	const VendorCase *vc = &fx_green;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	NameWait w = { NULL, vc->group, "5544955555555" };
	g_autofree char *added = g_strdup_printf("membership participant_added %s: 5544955555555", vc->group);
	g_autofree char *left = g_strdup_printf("membership participant_left %s: 5544955555555", vc->group);
	WagParticipant *p;

	wag_emu_add_participant(emu, vc->group, "5544955555555", "member");
	wag_emu_set_name(emu, vc->group, "5544955555555", "Nova Pessoa");
	c.poll_seconds = 1;
	w.r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(w.r, 5000));
	g_assert_true(sv_open(w.r, vc->group, 3000));
	g_assert_true(sv_wait(has_name, &w, 5000)); /* the contacts were read */
	wag_emu_remove_participant(emu, vc->group, "5544955555555");
	g_assert_true(sv_wait_line(w.r, left, 5000));
	wag_emu_add_participant(emu, vc->group, "5544955555555", "member");
	g_assert_true(sv_wait_line(w.r, added, 5000));
	p = g_hash_table_lookup(wag_model_lookup(wag_session_get_model(w.r->s), vc->group)->participants, "5544955555555");
	g_assert_nonnull(p);
	g_assert_cmpstr(p->name, ==, "Nova Pessoa");
	sv_free(w.r, FALSE);
	wag_emu_free(emu);
}

static gboolean
has_member(gpointer data)
{
	NameWait *w = data;
	WagGroup *g = wag_model_lookup(wag_session_get_model(w->r->s), w->group);
	return g && g->roster_loaded && g_hash_table_contains(g->participants, w->who);
}

/* A community's members are its announcement group's: their names too. */
static void
test_community_names(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;
	WagParticipant *p;

	wag_emu_set_name(emu, vc->announce, "5521900000001", "Dona Rosa");
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->community, 3000));
	{
		NameWait w = { r, vc->community, FX_ME };
		g_assert_true(sv_wait(has_member, &w, 3000)); /* the announcement group was read */
	}
	p = g_hash_table_lookup(wag_model_lookup(wag_session_get_model(r->s), vc->community)->participants, "5521900000001");
	g_assert_nonnull(p);
	g_assert_cmpstr(p->name, ==, "Dona Rosa");
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/users/api-base-404-is-a-settings-error", test_api_base_404);
	g_test_add_func("/users/api-base-without-scheme", test_api_base_scheme);
	g_test_add_func("/users/resolve-titles-and-names", test_resolve);
	g_test_add_func("/users/sender-names-the-participant", test_sender_names_the_participant);
	g_test_add_func("/users/late-subject-or-setting-does-not-undo", test_late_group_changes);
	g_test_add_func("/users/greenapi/polled-roster-keeps-contact-names", test_polled_names);
	g_test_add_func("/users/zapi/community-members-keep-names", test_community_names);
	g_test_add_func("/users/relay-state-said-on-change", test_relay_state_changes);
	g_test_add_func("/users/requests-asked-once-answers-remembered", test_requests_queue);
	g_test_add_func("/users/requests-many-become-one-line", test_requests_summary);
	g_test_add_func("/users/requests-history-is-queued-not-asked", test_requests_history);
	g_log_set_writer_func(count_retries, NULL, NULL);
	return g_test_run();
}
