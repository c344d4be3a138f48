/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group administration (issue 18) at the session level: every action
 * against each emulated vendor with its documented request and reply, the
 * vendors' failure shapes, refusals that make no call, pacing, audit lines.
 * No libpurple, no fixed sleeps. */
#include "session-view.h"
#include "wag-check.h"
#include "wag-store.h"
#include "vendor-fixture.h"
#include <string.h>

#define NEW1 "5511977770001"
#define NEW2 "5511977770002"
#define PRIVATE "5511977770009" /* WhatsApp's privacy settings refuse adding this one */

static SvRec *
login_with(WagEmu *emu, const VendorCase *vc, guint adds_per_minute)
{
	WagSessionConfig c = sv_config(emu, vc);
	SvRec *r;

	c.adds_per_minute = adds_per_minute;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 3000));
	return r;
}

static GPtrArray *
ids(const char *first, ...)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	va_list ap;
	va_start(ap, first);
	for (const char *id = first; id; id = va_arg(ap, const char *))
		g_ptr_array_add(a, g_strdup(id));
	va_end(ap);
	return a;
}

static char *
audit_of(SvRec *r)
{
	g_autofree char *path = g_build_filename(r->state_dir, "audit.log", NULL);
	char *text = NULL;
	wag_store_flush();
	g_file_get_contents(path, &text, NULL, NULL);
	return text ? text : g_strdup("");
}

static const char *
path_of(const VendorCase *vc, const char *zapi, const char *green, const char *wawp)
{
	return vc == &fx_zapi ? zapi : vc == &fx_green ? green : wawp;
}

/* /add: who was added, who was invited instead (Z-API autoInvite), who
 * WhatsApp refused; the documented request per vendor; an audit line. */
static void
test_add(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_with(emu, vc, 600);
	g_autoptr(GPtrArray) who = ids(NEW1, PRIVATE, NULL);
	const char *path = path_of(vc, "add-participant", "addGroupParticipant", "/participants/add");
	WagEmuRequest *req;
	g_autofree char *audit = NULL;

	wag_emu_refuse_add(emu, PRIVATE);
	wag_session_start_job(r->s, WAG_ACTION_ADD, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "In the group now: " NEW1 ".", 5000));
	g_assert_true(wag_emu_has_participant(emu, vc->group, NEW1));
	g_assert_false(wag_emu_has_participant(emu, vc->group, PRIVATE));
	req = wag_emu_last(emu, "POST", path);
	g_assert_nonnull(req);
	if (vc == &fx_zapi) {
		/* add-participant.request.json: autoInvite, groupId, phones; one call */
		g_assert_cmpuint(wag_emu_count(emu, "POST", path), ==, 1);
		g_assert_nonnull(strstr(req->body, "\"autoInvite\":true"));
		g_assert_nonnull(strstr(req->body, "\"phones\":[\"" NEW1 "\",\"" PRIVATE "\"]"));
		g_assert_true(wag_emu_was_invited(emu, vc->group, PRIVATE));
		g_assert_true(sv_wait_line(r, "Z-API sent each a private invite to the group instead: " PRIVATE ".", 100));
	} else if (vc == &fx_green) {
		/* one participantChatId per call; the refused one answers addParticipant false */
		g_assert_cmpuint(wag_emu_count(emu, "POST", path), ==, 2);
		g_assert_nonnull(strstr(req->body, "\"participantChatId\":\"" PRIVATE "@c.us\""));
		g_assert_true(sv_count(r, "Added 1 of 2. Not done: " PRIVATE ": Green API could not add them") == 1);
	} else {
		g_assert_nonnull(strstr(req->body, "\"participants\":[{\"id\":\"" NEW1 "@c.us\"},{\"id\":\"" PRIVATE "@c.us\"}]"));
		g_assert_true(sv_wait_line(r, "Not in the group: WhatsApp did not let these be added (their privacy settings): "
		                           PRIVATE ".", 100));
	}
	g_assert_cmpint(sv_role(r, vc->group, NEW1), ==, WAG_ROLE_MEMBER);
	audit = audit_of(r);
	g_assert_nonnull(strstr(audit, "\"action\":\"add\""));
	g_assert_nonnull(strstr(audit, NEW1));
	fx_assert_no_secret(audit);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Adds are paced at adds_per_minute: 120 a minute is one call every 500 ms
 * on a vendor that takes one person per call. */
static void
test_add_pacing(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	SvRec *r = login_with(emu, &fx_green, 120);
	g_autoptr(GPtrArray) who = ids(NEW1, NEW2, NULL);
	GPtrArray *reqs;
	gint64 first = 0, second = 0;

	wag_session_start_job(r->s, WAG_ACTION_ADD, fx_green.group, who, NULL);
	g_assert_true(sv_wait_line(r, "Added 1 of 2.", 3000));
	g_assert_true(sv_wait_line(r, "Added 2 of 2.", 3000));
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		if (strstr(q->path, "addGroupParticipant"))
			*(first ? &second : &first) = q->when;
	}
	g_assert_cmpint(second - first, >=, 450 * 1000);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Promote/demote have no drip pacing, but keep Green API's documented
 * 10 membership calls a second. */
static void
test_op_spacing(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	SvRec *r = login_with(emu, &fx_green, 0);
	g_autoptr(GPtrArray) who = ids(FX_MEMBER, FX_MEMBER2, NULL);
	GPtrArray *reqs;
	gint64 first = 0, second = 0;

	wag_session_start_job(r->s, WAG_ACTION_PROMOTE, fx_green.group, who, NULL);
	g_assert_true(sv_wait_line(r, "Made 2 of 2 admins.", 3000));
	reqs = wag_emu_requests(emu);
	for (guint i = 0; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		if (strstr(q->path, "setGroupAdmin"))
			*(first ? &second : &first) = q->when;
	}
	g_assert_cmpint(second - first, >=, 95 * 1000);
	g_assert_cmpint(second - first, <, 2000 * 1000); /* not the 6 s drip of adds and removals */
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* An add interrupted by the end of the session resumes in the next one;
 * people already in the group by then are not added again. */
static void
test_add_resume(void)
{
	WagEmu *emu = fx_emu(&fx_green);
	WagSessionConfig c = sv_config(emu, &fx_green);
	g_autoptr(GPtrArray) who = ids(NEW1, NEW2, "5511977770003", NULL);
	g_autofree char *state = NULL;
	SvRec *r;

	c.adds_per_minute = 60; /* one a second, one per call */
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, fx_green.group, 3000));
	wag_session_start_job(r->s, WAG_ACTION_ADD, fx_green.group, who, NULL);
	g_assert_true(sv_wait_line(r, "Added 1 of 3.", 3000));
	state = g_strdup(r->state_dir);
	sv_free(r, TRUE);
	g_assert_cmpuint(wag_emu_count(emu, "POST", "addGroupParticipant"), ==, 1);
	/* Meanwhile someone else added the second one. */
	wag_emu_add_participant(emu, fx_green.group, NEW2, "member");

	r = sv_start(&c, state);
	g_assert_true(sv_wait_line(r, "Resuming after reconnect: 1 of 3 still to do.", 5000));
	g_assert_true(sv_wait_line(r, "Added 3 of 3.", 5000));
	g_assert_cmpuint(wag_emu_count(emu, "POST", "addGroupParticipant"), ==, 2);
	g_assert_nonnull(strstr(wag_emu_last(emu, "POST", "addGroupParticipant")->body, "5511977770003@c.us"));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* The roster flag changes at once; the later webhook is an echo. */
static void
test_op_deop(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_with(emu, vc, 0);
	g_autoptr(GPtrArray) who = ids(FX_MEMBER, NULL);
	WagEvent *echo;
	const char *op_path = path_of(vc, "add-admin", "setGroupAdmin", "/admin/promote");
	const char *deop_path = path_of(vc, "remove-admin", "removeAdmin", "/admin/demote");

	wag_session_start_job(r->s, WAG_ACTION_PROMOTE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Made 1 of 1 admins.", 3000));
	g_assert_cmpstr(wag_emu_role(emu, vc->group, FX_MEMBER), ==, "admin");
	g_assert_cmpint(sv_role(r, vc->group, FX_MEMBER), ==, WAG_ROLE_ADMIN);
	g_assert_cmpuint(sv_count(r, "membership participant_promoted"), ==, 1);
	g_assert_nonnull(strstr(wag_emu_last(emu, "POST", op_path)->body, FX_MEMBER));
	/* The vendor's webhook for the same change arrives later: nothing new. */
	echo = wag_event_new(WAG_EVENT_PROMOTED, vc->group);
	g_ptr_array_add(echo->participants, g_strdup(FX_MEMBER));
	wag_session_push_event(r->s, echo);
	g_assert_cmpuint(sv_count(r, "membership participant_promoted"), ==, 1);

	wag_session_start_job(r->s, WAG_ACTION_DEMOTE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Took admin rights from 1 of 1.", 3000));
	g_assert_cmpstr(wag_emu_role(emu, vc->group, FX_MEMBER), ==, "member");
	g_assert_cmpint(sv_role(r, vc->group, FX_MEMBER), ==, WAG_ROLE_MEMBER);
	g_assert_cmpuint(wag_emu_count(emu, "POST", deop_path), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* HTTP 200 with a false flag, and a 4xx: said, audited, not retried. */
static void
test_failures(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_with(emu, vc, 0);
	g_autoptr(GPtrArray) who = ids(FX_MEMBER, NULL);
	const char *op_path = path_of(vc, "add-admin", "setGroupAdmin", "/admin/promote");
	const char *false_body = path_of(vc, "{\"value\": false}", "{\"setGroupAdmin\": false}", "{\"ok\": false}");
	g_autofree char *audit = NULL;
	WagEdit subject = { WAG_EDIT_SUBJECT, "Novo nome" };

	wag_emu_fail_next(emu, op_path, 200, false_body);
	wag_session_start_job(r->s, WAG_ACTION_PROMOTE, vc->group, who, NULL);
	g_assert_true(sv_wait_line(r, "Made 0 of 1 admins. Not done: " FX_MEMBER ": ", 3000));
	g_assert_true(sv_wait_line(r, "refused the request", 10));
	g_assert_cmpint(sv_role(r, vc->group, FX_MEMBER), ==, WAG_ROLE_MEMBER);
	g_assert_cmpuint(wag_emu_count(emu, "POST", op_path), ==, 1);

	wag_emu_fail_next(emu, path_of(vc, "update-group-name", "updateGroupName", "/subject"), 400,
	                  "{\"error\": \"Bad Request\"}");
	sv_clear(r);
	wag_session_edit(r->s, vc->group, &subject);
	g_assert_true(sv_wait_line(r, "Not done: ", 3000));
	g_assert_cmpstr(wag_emu_subject(emu, vc->group), ==, "Bairro Vila Nova");
	audit = audit_of(r);
	g_assert_nonnull(strstr(audit, "\"action\":\"promote\""));
	g_assert_nonnull(strstr(audit, "\"action\":\"subject\",\"targets\":[\"Novo nome\"],\"reason\":null,\"result\":\"error\""));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* /topic: the documented call; the model, the view and the audit follow. */
static void
test_subject(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_with(emu, vc, 0);
	WagEdit edit = { WAG_EDIT_SUBJECT, "Vila Nova — avisos" };
	WagEmuRequest *req;
	g_autofree char *audit = NULL;

	sv_clear(r);
	wag_session_edit(r->s, vc->group, &edit);
	g_assert_true(sv_wait_line(r, "The group's subject is now \"Vila Nova — avisos\".", 3000));
	g_assert_cmpstr(wag_emu_subject(emu, vc->group), ==, "Vila Nova — avisos");
	g_assert_cmpstr(wag_model_lookup(wag_session_get_model(r->s), vc->group)->subject, ==, "Vila Nova — avisos");
	g_assert_cmpuint(sv_count(r, "group-info " ), ==, 1);
	g_assert_cmpuint(sv_count(r, "roster "), ==, 0); /* the roster is not shown again */
	req = wag_emu_last(emu, vc == &fx_wawp ? "PUT" : "POST",
	                   path_of(vc, "update-group-name", "updateGroupName", "/subject"));
	g_assert_nonnull(req);
	g_assert_nonnull(strstr(req->body, vc == &fx_wawp ? "\"subject\":" : "\"groupName\":"));
	audit = audit_of(r);
	g_assert_nonnull(strstr(audit, "\"action\":\"subject\""));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* /description; Green API has no API for it: said, and no call made. */
static void
test_description(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_with(emu, vc, 0);
	WagEdit edit = { WAG_EDIT_DESCRIPTION, "Regras: sem spam." };
	guint calls = wag_emu_requests(emu)->len;

	wag_session_edit(r->s, vc->group, &edit);
	if (vc == &fx_green) {
		g_assert_true(sv_wait_line(r, "Green API has no API for the group description. Nothing was done.", 10));
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, calls);
	} else {
		g_assert_true(sv_wait_line(r, "The group's description was changed.", 3000));
		g_assert_cmpstr(wag_emu_description(emu, vc->group), ==, "Regras: sem spam.");
		g_assert_nonnull(strstr(wag_emu_last(emu, vc == &fx_zapi ? "POST" : "PUT",
		                                     path_of(vc, "update-group-description", NULL, "/description"))->body,
		                        vc == &fx_zapi ? "\"groupDescription\":\"Regras: sem spam.\""
		                                       : "\"description\":\"Regras: sem spam.\""));
	}
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
set(SvRec *r, const char *group, WagSetting which, gboolean on)
{
	WagEdit edit = { WAG_EDIT_SETTING, NULL, which, on };
	wag_session_edit(r->s, group, &edit);
}

/* /settings: Z-API wants all four flags at once (an unknown one is refused
 * until it is set), Wawp has two, Green API none. */
static void
test_settings(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	guint calls;

	if (vc == &fx_zapi) {
		wag_emu_set_setting(emu, vc->group, "announce", FALSE);
		wag_emu_set_setting(emu, vc->group, "locked", FALSE);
	}
	r = login_with(emu, vc, 0);
	calls = wag_emu_requests(emu)->len;
	if (vc == &fx_green) {
		set(r, vc->group, WAG_SETTING_ANNOUNCE, TRUE);
		g_assert_true(sv_wait_line(r, "Green API has no API for group settings. Nothing was done.", 10));
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, calls);
	} else if (vc == &fx_zapi) {
		g_autofree char *shown = wag_session_describe_settings(r->s, vc->group);
		g_assert_cmpstr(shown, ==, "Settings: announce (only admins send messages): off; locked (only admins edit "
		                "the group's info): off; approval (admins approve who joins): off; add: (not known).");
		set(r, vc->group, WAG_SETTING_ANNOUNCE, TRUE);
		g_assert_true(sv_wait_line(r, "\"adminOnlyAddMember\" is not known", 10));
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, calls);
		set(r, vc->group, WAG_SETTING_ADMINS_ADD, FALSE);
		g_assert_true(sv_wait_line(r, "add: all.", 3000));
		set(r, vc->group, WAG_SETTING_ANNOUNCE, TRUE);
		g_assert_true(sv_wait_line(r, "announce (only admins send messages): on", 3000));
		g_assert_cmpstr(wag_emu_last(emu, "POST", "update-group-settings")->body, ==,
		                "{\"phone\":\"120363019502650977-group\",\"adminOnlyMessage\":true,\"adminOnlySettings\":false,"
		                "\"requireAdminApproval\":false,\"adminOnlyAddMember\":false}");
		g_assert_cmpint(wag_emu_setting(emu, vc->group, "announce"), ==, 1);
	} else {
		set(r, vc->group, WAG_SETTING_LOCKED, TRUE);
		g_assert_true(sv_wait_line(r, "locked (only admins edit the group's info): on", 3000));
		g_assert_cmpint(wag_emu_setting(emu, vc->group, "locked"), ==, 1);
		g_assert_nonnull(strstr(wag_emu_last(emu, "PUT", "/settings/security/info-admin-only")->body,
		                        "\"adminsOnly\":true"));
		calls = wag_emu_requests(emu)->len;
		set(r, vc->group, WAG_SETTING_APPROVAL, TRUE);
		g_assert_true(sv_wait_line(r, "Wawp has no API for membership approval. Nothing was done.", 10));
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, calls);
	}
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* /invitelink and /invitelink reset (Green API: shown, never reset). */
static void
test_invite_link(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_with(emu, vc, 0);
	guint calls;

	wag_session_invite_link(r->s, vc->group, FALSE);
	g_assert_true(sv_wait_line(r, "Invite link: https://chat.whatsapp.com/C1adgkdEGki7554BWDdMkd", 3000));
	calls = wag_emu_requests(emu)->len;
	wag_session_invite_link(r->s, vc->group, TRUE);
	if (vc == &fx_green) {
		g_assert_true(sv_wait_line(r, "Green API has no API for resetting the invite link. Nothing was done.", 10));
		g_assert_cmpuint(wag_emu_requests(emu)->len, ==, calls);
	} else {
		g_autofree char *line = NULL;
		g_assert_true(sv_wait_line(r, "The old invite link no longer works. The new one: https://chat.whatsapp.com/", 3000));
		line = g_strconcat("https://chat.whatsapp.com/", wag_emu_invite_code(emu, vc->group), NULL);
		g_assert_true(sv_wait_line(r, line, 10));
		g_assert_cmpstr(wag_emu_invite_code(emu, vc->group), !=, "C1adgkdEGki7554BWDdMkd");
		g_assert_nonnull(wag_emu_last(emu, "POST", path_of(vc, "redefine-invitation-link/", NULL, "/invite-code/revoke")));
	}
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* A vendor's odd invite-link replies: never shown as a link. */
static void
test_invite_link_replies(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	SvRec *r = login_with(emu, &fx_zapi, 0);
	g_autofree char *huge = g_strnfill(300, 'x');
	g_autofree char *body = g_strdup_printf("{\"invitationLink\": \"https://chat.whatsapp.com/%s\"}", huge);

	wag_emu_fail_next(emu, "group-invitation-link", 200, "{\"invitationLink\": \"javascript:alert(1)\"}");
	wag_session_invite_link(r->s, fx_zapi.group, FALSE);
	g_assert_true(sv_wait_line(r, "Not done: Z-API sent a reply without the expected \"invitationLink\" field.", 3000));
	sv_clear(r);
	wag_emu_fail_next(emu, "group-invitation-link", 200, body);
	wag_session_invite_link(r->s, fx_zapi.group, FALSE);
	g_assert_true(sv_wait_line(r, "Not done: ", 3000));
	g_assert_cmpuint(sv_count(r, huge), ==, 0);
	sv_free(r, FALSE);
	wag_emu_free(emu);

	emu = fx_emu(&fx_green);
	r = login_with(emu, &fx_green, 0);
	/* GetGroupData: an empty link for an account that is not an admin. */
	wag_emu_fail_next(emu, "getGroupData", 200, "{\"groupId\": \"x\", \"groupInviteLink\": \"\"}");
	wag_session_invite_link(r->s, fx_green.group, FALSE);
	g_assert_true(sv_wait_line(r, "Not done: Green API gives the invite link to admins only, and sent none.", 3000));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* /link in a community: communities/link, the model moves the group. */
static void
test_link(void)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu = fx_emu(vc);
	SvRec *r;
	g_autoptr(GPtrArray) groups = ids(vc->group, NULL);
	WagModel *m;

	r = login_with(emu, vc, 0);
	g_assert_true(sv_open(r, vc->community, 3000));
	m = wag_session_get_model(r->s);
	g_assert_null(wag_model_lookup(m, vc->group)->community_id);
	wag_session_start_job(r->s, WAG_ACTION_LINK, vc->community, groups, NULL);
	g_assert_true(sv_wait_line(r, "Linked 1 of 1 groups to the community.", 3000));
	g_assert_cmpstr(wag_model_lookup(m, vc->group)->community_id, ==, vc->community);
	g_assert_cmpuint(sv_count(r, "groups-changed"), >=, 1);
	g_assert_cmpstr(wag_emu_last(emu, "POST", "communities/link")->body, ==,
	                "{\"communityId\":\"98372465382764532938\",\"groupsPhones\":[\"120363019502650977-group\"]}");
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* The pre-flight checks refuse before any call (pure functions). */
static void
test_checks(void)
{
	WagGroup *g = wag_group_new("g-1", "G");
	WagGroup *c = wag_group_new("c-1", "C");
	WagModel *m = wag_model_new();
	g_autoptr(GPtrArray) one = ids(FX_OWNER, FX_MEMBER, NULL);
	g_autoptr(GPtrArray) add = ids(FX_MEMBER, NEW1, NEW1, NULL);
	const char *const linked[] = { "g-1", "c-1", "g-new", NULL };
	WagEdit long_subject = { WAG_EDIT_SUBJECT, NULL };
	WagEdit same = { WAG_EDIT_SETTING, NULL, WAG_SETTING_ANNOUNCE, FALSE };
	g_autofree char *text = g_strnfill(101, 'x');
	WagCheck k;
	char *why;

	g->roster_loaded = TRUE;
	wag_group_add_participant(g, FX_OWNER, WAG_ROLE_OWNER);
	wag_group_add_participant(g, FX_ME, WAG_ROLE_ADMIN);
	wag_group_add_participant(g, FX_MEMBER, WAG_ROLE_MEMBER);
	c->is_community = TRUE;
	c->roster_loaded = TRUE;
	wag_group_add_participant(c, FX_ME, WAG_ROLE_ADMIN);
	g = wag_model_take(m, g);
	c = wag_model_take(m, c);
	wag_model_link(m, "g-1", "c-1");

	wag_check_init(&k);
	g_assert_false(wag_check_demote(&k, g, FX_ME, one, NULL));
	g_assert_cmpstr(k.lines->pdata[0], ==, FX_OWNER " created the group and cannot be demoted; skipped.");
	g_assert_cmpstr(k.lines->pdata[1], ==, FX_MEMBER " is not an admin; skipped.");
	wag_check_clear(&k);
	wag_check_init(&k);
	g_assert_true(wag_check_add(&k, g, FX_ME, add, NULL));
	g_assert_cmpstr(k.lines->pdata[0], ==, FX_MEMBER " is already a participant; skipped.");
	g_assert_cmpuint(k.ok->len, ==, 1);
	wag_check_clear(&k);
	/* Not an admin: refused outright. */
	wag_check_init(&k);
	g_assert_false(wag_check_promote(&k, g, FX_MEMBER, one, NULL));
	g_assert_nonnull(strstr(k.lines->pdata[0], "not an admin of this group"));
	wag_check_clear(&k);
	wag_check_init(&k);
	g_assert_true(wag_check_link(&k, &wag_vendor_zapi, c, FX_ME, linked, m));
	g_assert_cmpstr(k.lines->pdata[0], ==, "g-1 is already linked to this community; skipped.");
	g_assert_cmpstr(k.lines->pdata[1], ==, "c-1 is a community, not a group; skipped.");
	g_assert_cmpstr(k.ok->pdata[0], ==, "g-new");
	wag_check_clear(&k);
	wag_check_init(&k);
	g_assert_false(wag_check_link(&k, &wag_vendor_greenapi, c, FX_ME, linked, m));
	g_assert_cmpstr(k.lines->pdata[0], ==, "Green API has no API for communities; nothing was done.");
	wag_check_clear(&k);

	long_subject.text = text;
	why = wag_check_edit(&wag_vendor_zapi, g, FX_ME, &long_subject);
	g_assert_cmpstr(why, ==, "WhatsApp allows at most 100 characters in a subject; nothing was done.");
	g_free(why);
	g->settings[WAG_SETTING_ANNOUNCE] = 0;
	why = wag_check_edit(&wag_vendor_zapi, g, FX_ME, &same);
	g_assert_cmpstr(why, ==, "The group has that setting already; nothing was done.");
	g_free(why);
	wag_model_free(m);
}

/* group.v2.update (WAHA's and Wawp's documented shapes) becomes
 * subject_changed; the session applies it so that the topic follows, and
 * settings events keep /settings true. */
static void
test_update_events(void)
{
	static const char *const files[] = { "webhook-group.v2.update.json", "webhook-group.v2.update-wawp-doc-shape.json" };
	static const char *const subjects[] = { "New Work Group Name", "New Group Name" };
	WagEmu *emu = fx_emu(&fx_wawp);
	SvRec *r = login_with(emu, &fx_wawp, 0);
	WagEvent *e;
	g_autoptr(JsonNode) round = NULL;
	g_autoptr(WagEvent) back = NULL;
	g_autofree char *shown = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(JsonNode) n = wag_fixture_json("wawp", files[i]);
		g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
		g_autofree char *instance = NULL;
		g_assert_true(wag_vendor_wawp.normalize_webhook(n, events, &instance, NULL));
		g_assert_cmpuint(events->len, ==, 1);
		e = events->pdata[0];
		g_assert_cmpstr(wag_event_kind_name(e->kind), ==, "subject_changed");
		g_assert_cmpstr(e->participants->pdata[0], ==, subjects[i]);
		g_assert_cmpstr(e->instance, ==, "default");
	}
	/* Through the relay's schema and back. */
	e = wag_event_new(WAG_EVENT_SETTINGS_CHANGED, fx_wawp.group);
	wag_event_add_setting(e, WAG_SETTING_ANNOUNCE, TRUE);
	round = wag_event_to_json(e);
	back = wag_event_from_json(round, NULL);
	g_assert_cmpuint(back->participants->len, ==, 1);
	g_assert_cmpstr(back->participants->pdata[0], ==, "announce=on");
	sv_clear(r);
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait_line(r, "group-info ", 3000));
	shown = wag_session_describe_settings(r->s, fx_wawp.group);
	g_assert_nonnull(strstr(shown, "announce (only admins send messages): on;"));

	sv_clear(r);
	e = wag_event_new(WAG_EVENT_SUBJECT_CHANGED, fx_wawp.group);
	g_ptr_array_add(e->participants, g_strdup("Renamed in WhatsApp"));
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait_line(r, "groups-changed", 3000));
	g_assert_cmpstr(wag_model_lookup(wag_session_get_model(r->s), fx_wawp.group)->subject, ==, "Renamed in WhatsApp");
	g_assert_cmpuint(sv_count(r, "group-info "), ==, 1);
	/* The same again is an echo: nothing to show. */
	e = wag_event_new(WAG_EVENT_SUBJECT_CHANGED, fx_wawp.group);
	g_ptr_array_add(e->participants, g_strdup("Renamed in WhatsApp"));
	wag_session_push_event(r->s, e);
	/* A marker event after it: once it is applied, the echo was too. */
	e = wag_event_new(WAG_EVENT_PROMOTED, fx_wawp.group);
	g_ptr_array_add(e->participants, g_strdup(FX_MEMBER));
	wag_session_push_event(r->s, e);
	g_assert_true(sv_wait_line(r, "membership participant_promoted", 3000));
	g_assert_cmpuint(sv_count(r, "group-info "), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint v = 0; fx_vendors[v]; v++) {
		static const struct { const char *name; GTestDataFunc fn; } cases[] = {
			{ "add", test_add }, { "op-deop", test_op_deop }, { "failures", test_failures },
			{ "subject", test_subject }, { "description", test_description },
			{ "settings", test_settings }, { "invitelink", test_invite_link },
		};
		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autofree char *p = g_strdup_printf("/admin/%s/%s", fx_vendors[v]->vendor, cases[i].name);
			g_test_add_data_func(p, fx_vendors[v], cases[i].fn);
		}
	}
	g_test_add_func("/admin/greenapi/add-pacing", test_add_pacing);
	g_test_add_func("/admin/greenapi/add-resume", test_add_resume);
	g_test_add_func("/admin/greenapi/op-spacing", test_op_spacing);
	g_test_add_func("/admin/zapi/link", test_link);
	g_test_add_func("/admin/invitelink-replies", test_invite_link_replies);
	g_test_add_func("/admin/checks", test_checks);
	g_test_add_func("/admin/wawp/update-events", test_update_events);
	return g_test_run();
}
