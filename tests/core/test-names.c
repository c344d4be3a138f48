/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Issue 17 item 8 in the core: Wawp's participants take their names from the
 * instance's contacts (read page by page, bounded, never failing the login),
 * and a roster read again keeps the names messages gave. No libpurple. */
#include "session-view.h"
#include "wag-message.h"
#include <string.h>

typedef struct {
	SvRec *r;
	const char *group, *who, *name;
} NameWait;

static const char *
name_of(SvRec *r, const char *group, const char *who)
{
	WagGroup *g = wag_model_lookup(wag_session_get_model(r->s), group);
	WagParticipant *p = g ? g_hash_table_lookup(g->participants, who) : NULL;
	return p ? p->name : NULL;
}

static gboolean
has_name(gpointer data)
{
	NameWait *w = data;
	return g_strcmp0(name_of(w->r, w->group, w->who), w->name) == 0;
}

static gboolean
knows_name(gpointer data)
{
	NameWait *w = data;
	return g_strcmp0(wag_session_get_name(w->r->s, w->who), w->name) == 0;
}

typedef struct {
	WagEmu *emu;
	guint n;
} CallWait;

static gboolean
contacts_called(gpointer data)
{
	CallWait *w = data;
	return wag_emu_count(w->emu, "GET", "/v2/contacts/all") >= w->n;
}

/* Both documented id shapes: WAHA's string, Wawp's page's {_serialized}. */
static void
test_roster_names(gconstpointer shape)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	NameWait w = { NULL, vc->group, FX_MEMBER2, "Carla Dias" };
	WagEmuRequest *req;

	wag_emu_set_participant_shape(emu, shape);
	wag_emu_set_name(emu, vc->group, FX_OWNER, "Ana Souza");
	wag_emu_set_name(emu, vc->group, FX_MEMBER2, "Carla Dias");
	w.r = r = sv_login(emu, vc);
	g_assert_true(sv_open(r, vc->group, 3000));
	g_assert_true(sv_wait(has_name, &w, 5000));
	g_assert_cmpstr(name_of(r, vc->group, FX_OWNER), ==, "Ana Souza");
	g_assert_null(name_of(r, vc->group, FX_MEMBER));
	/* The account's own entry (isMe) and the group's (isGroup) name nobody. */
	g_assert_null(name_of(r, vc->group, FX_ME));
	g_assert_null(wag_session_get_name(r->s, FX_ME));
	g_assert_cmpstr(wag_session_get_name(r->s, "5521987654321"), ==, "Uma pessoa");
	/* One short page: one call. */
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/v2/contacts/all"), ==, 1);
	req = wag_emu_last(emu, "GET", "/v2/contacts/all");
	g_assert_nonnull(strstr(req->query, "limit=1000"));
	g_assert_nonnull(strstr(req->query, "offset=0"));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* 1500 contacts sorted before the participants: a full page, then a short
 * one, which ends the read; the names on the second page arrive. */
static void
test_paged(void)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	NameWait w = { NULL, vc->group, FX_MEMBER2, "Carla Dias" };
	WagEmuRequest *req;

	wag_emu_add_contacts(emu, 1500);
	wag_emu_set_name(emu, vc->group, FX_MEMBER2, "Carla Dias");
	w.r = r = sv_login(emu, vc);
	g_assert_true(sv_open(r, vc->group, 3000));
	g_assert_true(sv_wait(has_name, &w, 5000));
	/* Names are taken once the read ended: no call after this one. */
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/v2/contacts/all"), ==, 2);
	req = wag_emu_last(emu, "GET", "/v2/contacts/all");
	g_assert_nonnull(strstr(req->query, "offset=1000"));
	g_assert_cmpstr(wag_session_get_name(r->s, "5500000000000"), ==, "Contato 0");
	g_assert_cmpstr(wag_session_get_name(r->s, "5500000001499"), ==, "Contato 1499");
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A vendor that ignores offset answers a full first page forever: the read
 * stops at the cap and keeps what it read. */
static void
test_cap(void)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	NameWait w = { NULL, vc->group, "5500000000005", "Contato 5" };

	wag_emu_add_contacts(emu, 1200);
	wag_emu_ignore_page(emu, TRUE);
	w.r = r = sv_login(emu, vc);
	g_assert_true(sv_wait(knows_name, &w, 30000));
	g_assert_cmpuint(wag_emu_count(emu, "GET", "/v2/contacts/all"), ==, WAG_CONTACTS_MAX_PAGES);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Names are a nicety: a contacts call that fails or answers garbage leaves
 * the numbers, and the login, as they were. */
static void
test_failure(void)
{
	static const struct {
		guint status;
		const char *body;
	} cases[] = {
		{ 404, "{\"status\": 404, \"message\": \"Not Found\", \"error\": \"not_found\"}" },
		{ 500, "{\"status\": 500, \"message\": \"Internal Server Error\"}" },
		{ 200, "<html>not json</html>" },
		{ 200, "{\"contacts\": \"elsewhere\"}" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const VendorCase *vc = &fx_wawp;
		WagEmu *emu = fx_emu(vc);
		CallWait cw = { emu, 1 };
		SvRec *r;

		wag_emu_set_name(emu, vc->group, FX_MEMBER2, "Carla Dias");
		wag_emu_fail_next(emu, "/v2/contacts/all", cases[i].status, cases[i].body);
		r = sv_login(emu, vc);
		g_assert_true(sv_wait(contacts_called, &cw, 5000));
		g_assert_true(sv_open(r, vc->group, 3000));
		g_assert_null(r->failure);
		g_assert_true(r->connected);
		g_assert_cmpint(sv_role(r, vc->group, FX_MEMBER2), ==, WAG_ROLE_MEMBER);
		g_assert_null(name_of(r, vc->group, FX_MEMBER2));
		g_assert_cmpuint(wag_emu_count(emu, "GET", "/v2/contacts/all"), ==, 1); /* not asked again */
		sv_free(r, FALSE);
		wag_emu_free(emu);
	}
}

static void
message_from(SvRec *r, const char *group, const char *id, const char *who, const char *name)
{
	WagEvent *e = wag_event_new(WAG_EVENT_MESSAGE, group);
	e->message = wag_message_new(WAG_MSG_TEXT);
	e->message->message_id = g_strdup(id);
	e->message->from = g_strdup(who);
	e->message->from_name = g_strdup(name);
	e->message->text = g_strdup("oi");
	wag_session_push_event(r->s, e);
}

/* /refresh reads the roster again, which comes back without names: who a
 * message named keeps that name, who the contacts named keeps theirs. */
static void
test_refresh_keeps_names(void)
{
	const VendorCase *vc = &fx_wawp;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;
	NameWait w = { NULL, vc->group, FX_OWNER, "Ana Souza" };
	g_autofree char *roster = g_strdup_printf("roster %s", vc->group);
	guint reads;

	wag_emu_set_name(emu, vc->group, FX_OWNER, "Ana Souza");
	c.messages = "both";
	w.r = r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	g_assert_true(sv_wait(has_name, &w, 5000)); /* the contacts were read */
	message_from(r, vc->group, "M1", FX_MEMBER2, "Bruno Lima");
	message_from(r, vc->group, "M2", FX_OWNER, "Ana (celular)");
	w.who = FX_MEMBER2;
	w.name = "Bruno Lima";
	g_assert_true(sv_wait(has_name, &w, 3000));
	g_assert_true(sv_wait_line(r, " " FX_OWNER " @", 3000)); /* the second message was shown */

	reads = wag_emu_count(emu, "GET", vc->info_path);
	sv_clear(r);
	wag_session_load_roster(r->s, vc->group);
	g_assert_true(sv_wait_line(r, roster, 3000));
	g_assert_cmpuint(wag_emu_count(emu, "GET", vc->info_path), ==, reads + 1);
	g_assert_cmpstr(name_of(r, vc->group, FX_MEMBER2), ==, "Bruno Lima");
	g_assert_cmpstr(name_of(r, vc->group, FX_OWNER), ==, "Ana Souza");
	g_assert_null(name_of(r, vc->group, FX_MEMBER));
	/* The lines' names are the user list's. */
	g_assert_cmpstr(wag_session_get_name(r->s, FX_OWNER), ==, "Ana Souza");
	g_assert_cmpstr(wag_session_get_name(r->s, FX_MEMBER2), ==, "Bruno Lima");
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/names/wawp/roster-names-from-contacts/id-string", "v2", test_roster_names);
	g_test_add_data_func("/names/wawp/roster-names-from-contacts/id-object", "webjs", test_roster_names);
	g_test_add_func("/names/wawp/contacts-paged-until-short-page", test_paged);
	g_test_add_func("/names/wawp/contacts-stop-at-cap", test_cap);
	g_test_add_func("/names/wawp/contacts-failure-keeps-login", test_failure);
	g_test_add_func("/names/wawp/refresh-keeps-message-and-contact-names", test_refresh_keeps_names);
	return g_test_run();
}
