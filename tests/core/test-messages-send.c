/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The group conversation against the core alone, sending: text sent per
 * vendor, echoes, refusals, /delete, and the pace they share: one call at
 * a time, in the order asked, messages_per_minute apart (the session's
 * pacer, WAG_OP_MESSAGE). Gaps are measured where the vendor receives the
 * calls (the emulator's clock); no fixed sleeps. Receiving:
 * test-messages.c. */
#include "message-fixture.h"
#include "wag-json.h"
#include "wag-store.h"
#include <string.h>

static gboolean
sent_n(gpointer data)
{
	gpointer *w = data;
	return wag_emu_count(w[0], "POST", w[1]) >= GPOINTER_TO_UINT(w[2]);
}

static void
test_send(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = mf_login(emu, vc, NULL);
	gpointer w[3] = { emu, (gpointer) mf_send_path(vc), GUINT_TO_POINTER(1) };
	g_autoptr(JsonNode) body = NULL;
	JsonObject *o;
	WagEmuRequest *req;
	g_autofree char *refusal = wag_session_send_text(r->s, vc->group, "ol\xc3\xa1 <grupo>");

	g_assert_null(refusal);
	g_assert_true(sv_wait(sent_n, w, 3000));
	req = wag_emu_last(emu, "POST", mf_send_path(vc));
	body = wag_json_parse(req->body, strlen(req->body), NULL);
	o = json_node_get_object(body);
	/* What each vendor documents: Z-API {phone, message}; Green and Wawp {chatId, message}. */
	g_assert_cmpstr(json_object_get_string_member(o, vc == &fx_zapi ? "phone" : "chatId"), ==, vc->group);
	g_assert_cmpstr(json_object_get_string_member(o, "message"), ==, "ol\xc3\xa1 <grupo>");
	g_assert_false(json_object_has_member(o, "text"));

	/* The echo of our own message (its id, from_me) is not shown again;
	 * one typed on the phone is. */
	while (!wag_emu_last_sent_id(emu) || g_main_context_pending(NULL))
		g_main_context_iteration(NULL, TRUE);
	mf_say(r, vc, "ol\xc3\xa1 <grupo>", wag_emu_last_sent_id(emu), FX_ME, TRUE);
	mf_say(r, vc, "from the phone", "P1", FX_ME, TRUE);
	g_assert_true(sv_wait_line(r, " (me) @", 3000));
	g_assert_true(sv_wait_line(r, ": from the phone", 10));
	g_assert_cmpuint(sv_count(r, "<grupo>"), ==, 0);

	/* An echo faster than the vendor's reply is known by its text. */
	wag_emu_delay(emu, mf_send_path(vc), 300);
	g_free(wag_session_send_text(r->s, vc->group, "quick echo"));
	mf_say(r, vc, "quick echo", "FAST1", FX_ME, TRUE);
	mf_say(r, vc, "after the quick one", "P2", FX_ME, TRUE);
	g_assert_true(sv_wait_line(r, ": after the quick one", 3000));
	g_assert_cmpuint(sv_count(r, "quick echo"), ==, 0);
	w[2] = GUINT_TO_POINTER(2);
	g_assert_true(sv_wait(sent_n, w, 3000));
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, TRUE);
	wag_emu_delay(emu, mf_send_path(vc), 0);

	/* A refusal: the vendor's words, for the text that was not sent. */
	wag_emu_fail_next(emu, mf_send_path(vc), 400, "{\"error\": \"chatId not found\", \"message\": \"chatId not found\"}");
	g_clear_pointer(&refusal, g_free);
	refusal = wag_session_send_text(r->s, vc->group, "second");
	g_assert_null(refusal);
	g_assert_true(sv_wait_line(r, "send-failed", 3000));
	g_assert_true(sv_wait_line(r, "send-failed " , 10));
	g_assert_cmpuint(sv_count(r, ": second: "), ==, 1);
	g_assert_cmpuint(sv_count(r, "chatId not found"), ==, 1);
	for (guint i = 0; i < r->lines->len; i++)
		fx_assert_no_secret(r->lines->pdata[i]);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}


/* The same text sent twice, each echo faster than its reply: neither is
 * shown again (the first echo, known by its text, took its own text; the
 * first reply must not take the second's). */
static void
test_echo_twice(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	gpointer w[3] = { emu, (gpointer) mf_send_path(vc), GUINT_TO_POINTER(1) };
	g_autofree char *first = NULL;
	SvRec *r;

	c.messages_per_minute = 0;
	r = mf_start(&c);
	wag_emu_delay(emu, mf_send_path(vc), 300);
	g_free(wag_session_send_text(r->s, vc->group, "ok ok"));
	g_free(wag_session_send_text(r->s, vc->group, "ok ok"));
	g_assert_true(sv_wait(sent_n, w, 3000));
	first = g_strdup(wag_emu_last_sent_id(emu));
	mf_say(r, vc, "ok ok", first, FX_ME, TRUE);
	/* The second goes out once the first's reply is in. */
	w[2] = GUINT_TO_POINTER(2);
	g_assert_true(sv_wait(sent_n, w, 3000));
	g_assert_cmpstr(wag_emu_last_sent_id(emu), !=, first);
	mf_say(r, vc, "ok ok", wag_emu_last_sent_id(emu), FX_ME, TRUE);
	mf_say(r, vc, "from the phone", "P9", FX_ME, TRUE);
	g_assert_true(sv_wait_line(r, ": from the phone", 3000));
	g_assert_cmpuint(sv_count(r, "ok ok"), ==, 0);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* The sends and deletions the vendor received from its request `from`
 * on, in order of arrival. */
static GPtrArray *
outgoing(WagEmu *emu, const VendorCase *vc, guint from)
{
	GPtrArray *reqs = wag_emu_requests(emu), *out = g_ptr_array_new();

	for (guint i = from; i < reqs->len; i++) {
		WagEmuRequest *q = reqs->pdata[i];
		if ((g_str_equal(q->method, "POST") && strstr(q->path, mf_send_path(vc))) ||
		    (g_str_equal(q->method, mf_delete_method(vc)) && strstr(q->path, mf_delete_path(vc))))
			g_ptr_array_add(out, q);
	}
	return out;
}

/* Whether call names `what` (a text sent, or the id of a message deleted). */
static gboolean
carries(const WagEmuRequest *q, const char *what)
{
	return (q->body && strstr(q->body, what)) || (q->query && strstr(q->query, what));
}

/* Each of the calls carries want[i], in order, and none came less than
 * min_ms after the one before. */
static void
assert_outgoing(GPtrArray *calls, const char *const *want, gint64 min_ms)
{
	guint n = g_strv_length((char **) want);

	g_assert_cmpuint(calls->len, ==, n);
	for (guint i = 0; i < n; i++) {
		WagEmuRequest *q = calls->pdata[i];
		if (!carries(q, want[i]))
			g_error("call %u should carry %s: %s %s?%s %s", i, want[i], q->method, q->path,
			        q->query ? q->query : "", q->body ? q->body : "");
		if (i && q->when - ((WagEmuRequest *) calls->pdata[i - 1])->when < min_ms * 1000)
			g_error("calls %u and %u: %" G_GINT64_FORMAT " ms apart, under %" G_GINT64_FORMAT, i - 1, i,
			        (q->when - ((WagEmuRequest *) calls->pdata[i - 1])->when) / 1000, min_ms);
	}
}

typedef struct {
	WagEmu *emu;
	const VendorCase *vc;
	guint n, from;
} OutWait;

static gboolean
sent_out(gpointer data)
{
	OutWait *w = data;
	g_autoptr(GPtrArray) calls = outgoing(w->emu, w->vc, w->from);
	return calls->len >= w->n;
}

static SvRec *
login_paced(WagEmu *emu, const VendorCase *vc, guint per_minute)
{
	WagSessionConfig c = sv_config(emu, vc);

	c.messages_per_minute = per_minute;
	return mf_start(&c);
}

/* messages_per_minute = 300: a burst goes out 200 ms apart, in the order typed. */
static void
test_pace(void)
{
	static const char *const want[] = { "burst 1", "burst 2", "burst 3", "burst 4", NULL };
	WagEmu *emu = fx_emu(&fx_green);
	SvRec *r = login_paced(emu, &fx_green, 300);
	OutWait w = { emu, &fx_green, 4 };
	g_autoptr(GPtrArray) calls = NULL;

	for (guint i = 0; want[i]; i++)
		g_free(wag_session_send_text(r->s, fx_green.group, want[i]));
	g_assert_true(sv_wait(sent_out, &w, 5000));
	calls = outgoing(emu, &fx_green, 0);
	/* 15 ms for the arrival's jitter: the pacer measures where it sends. */
	assert_outgoing(calls, want, 185);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* Sends and deletions share one pace and one order: a text, a /delete of
 * two messages, a text, go out in that order, each 200 ms after the last. */
static void
test_pace_shared(gconstpointer data)
{
	static const char *const want[] = { "one", "S2", "S1", "two", NULL };
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_paced(emu, vc, 300);
	OutWait w = { emu, vc, 4 };
	g_autoptr(GPtrArray) calls = NULL;
	g_autofree char *refusal = NULL;

	mf_say(r, vc, "spam 1", "S1", NULL, FALSE);
	mf_say(r, vc, "spam 2", "S2", NULL, FALSE);
	g_assert_true(sv_wait_line(r, ": spam 2", 3000));
	g_free(wag_session_send_text(r->s, vc->group, "one"));
	refusal = wag_session_delete_messages(r->s, vc->group, FX_MEMBER, 2);
	g_assert_null(refusal);
	g_free(wag_session_send_text(r->s, vc->group, "two"));
	g_assert_true(sv_wait(sent_out, &w, 5000));
	g_assert_true(sv_wait_line(r, "Deleted 2 of 2 messages of " FX_MEMBER, 3000));
	calls = outgoing(emu, vc, 0);
	assert_outgoing(calls, want, 185);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

/* messages_per_minute = 0: no pace, but still one call at a time: the
 * next goes out once the vendor answered the last, so that a refusal is
 * told against the line it refuses. */
static void
test_unpaced(void)
{
	static const char *const burst[] = { "b1", "b2", "b3", "b4", "b5", NULL };
	static const char *const slow[] = { "uno", "dos", "tres", NULL };
	WagEmu *emu = fx_emu(&fx_green);
	SvRec *r = login_paced(emu, &fx_green, 0);
	OutWait w = { emu, &fx_green, 5 };
	g_autoptr(GPtrArray) calls = NULL;
	gint64 start = g_get_monotonic_time();

	/* At the default 20 a minute these would take 12 s. */
	for (guint i = 0; burst[i]; i++)
		g_free(wag_session_send_text(r->s, fx_green.group, burst[i]));
	g_assert_true(sv_wait(sent_out, &w, 1500));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 1500000);
	calls = outgoing(emu, &fx_green, 0);
	assert_outgoing(calls, burst, 0);
	g_clear_pointer(&calls, g_ptr_array_unref);

	/* Each answer takes 200 ms; the first is refused at once. */
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, TRUE);
	w.from = wag_emu_requests(emu)->len;
	wag_emu_delay(emu, mf_send_path(&fx_green), 200);
	wag_emu_fail_next(emu, mf_send_path(&fx_green), 400, "{\"message\": \"chatId not found\"}");
	for (guint i = 0; slow[i]; i++)
		g_free(wag_session_send_text(r->s, fx_green.group, slow[i]));
	w.n = 3;
	g_assert_true(sv_wait(sent_out, &w, 5000));
	g_assert_true(sv_wait_line(r, "send-failed", 3000));
	calls = outgoing(emu, &fx_green, w.from);
	assert_outgoing(calls, slow, 0);
	g_assert_cmpint(((WagEmuRequest *) calls->pdata[2])->when - ((WagEmuRequest *) calls->pdata[1])->when, >=, 195000);
	g_assert_cmpuint(sv_count(r, ": uno: "), ==, 1);
	g_assert_cmpuint(sv_count(r, "send-failed"), ==, 1);
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static gboolean
never(gpointer data)
{
	return FALSE;
}

static void
no_line_after_free(const char *line, gpointer data)
{
	if (*(gboolean *) data)
		g_error("the view was called after wag_session_free(): %s", line);
}

/* Freed with a deletion waiting in the pacer for its turn (one a minute)
 * and more of its batch and a text in the outbox: everything is freed (the
 * ASan build checks), nothing more goes out, the view hears nothing. */
static void
test_free_queued(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = login_paced(emu, vc, 1);
	OutWait w = { emu, vc, 1 };
	gboolean freed = FALSE;
	guint before;

	r->on_line = no_line_after_free;
	r->on_line_data = &freed;
	mf_say(r, vc, "spam 1", "S1", NULL, FALSE);
	mf_say(r, vc, "spam 2", "S2", NULL, FALSE);
	mf_say(r, vc, "spam 3", "S3", NULL, FALSE);
	g_assert_true(sv_wait_line(r, ": spam 3", 3000));
	g_free(wag_session_send_text(r->s, vc->group, "first"));
	g_free(wag_session_delete_messages(r->s, vc->group, FX_MEMBER, 0));
	g_free(wag_session_send_text(r->s, vc->group, "last"));
	g_assert_true(sv_wait(sent_out, &w, 3000));
	/* The first's answer read: the deletion now waits in the pacer. */
	while (!wag_emu_last_sent_id(emu) || g_main_context_pending(NULL))
		g_main_context_iteration(NULL, TRUE);
	before = wag_emu_requests(emu)->len;
	wag_session_free(r->s);
	r->s = NULL;
	freed = TRUE;
	sv_wait(never, NULL, 300);
	g_assert_cmpuint(wag_emu_requests(emu)->len, ==, before);
	freed = FALSE;
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

static void
test_delete(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	SvRec *r = mf_login(emu, vc, NULL);
	const char *method = vc == &fx_green ? "POST" : "DELETE";
	g_autofree char *refusal = NULL;
	g_autofree char *audit = NULL;
	g_autofree char *audit_path = NULL;
	WagEmuRequest *req;

	mf_say(r, vc, "spam 1", "S1", NULL, FALSE);
	mf_say(r, vc, "ok", "K1", FX_MEMBER2 "@c.us", FALSE);
	mf_say(r, vc, "spam 2", "S2", NULL, FALSE);
	mf_say(r, vc, "spam 3", "S3", NULL, FALSE);
	g_assert_true(sv_wait_line(r, ": spam 3", 3000));

	/* Nothing seen of someone: refused, no call. */
	refusal = wag_session_delete_messages(r->s, vc->group, "5511900000000", 1);
	g_assert_nonnull(refusal);
	g_assert_cmpuint(wag_emu_count(emu, method, mf_delete_path(vc)), ==, 0);

	/* The last two of FX_MEMBER: S3 and S2, never K1. */
	g_clear_pointer(&refusal, g_free);
	refusal = wag_session_delete_messages(r->s, vc->group, FX_MEMBER, 2);
	g_assert_null(refusal);
	g_assert_true(sv_wait_line(r, "Deleted 2 of 2 messages of " FX_MEMBER, 3000));
	g_assert_cmpuint(wag_emu_count(emu, method, mf_delete_path(vc)), ==, 2);
	req = wag_emu_last(emu, method, mf_delete_path(vc));
	if (vc == &fx_green) {
		g_assert_nonnull(strstr(req->body, "\"idMessage\":\"S2\""));
		g_assert_nonnull(strstr(req->body, vc->group));
	} else {
		if (vc == &fx_wawp) {
			/* The documented request line: chatId and messageId in the query. */
			g_autofree char *doc = wag_fixture_source("wawp", "messages-delete.request-wawp-doc.json");
			g_assert_nonnull(strstr(doc, "/v2/messages/delete"));
			g_assert_nonnull(strstr(req->query, "chatId="));
		}
		g_assert_nonnull(strstr(req->query, "messageId=S2"));
		if (vc == &fx_zapi)
			g_assert_nonnull(strstr(req->query, "owner=false"));
	}
	/* all: what is left of FX_MEMBER (S1), one refused by the vendor. */
	wag_emu_fail_next(emu, mf_delete_path(vc), 400, "{\"error\": \"Message by id not found\"}");
	g_clear_pointer(&refusal, g_free);
	refusal = wag_session_delete_messages(r->s, vc->group, FX_MEMBER, 0);
	g_assert_null(refusal);
	g_assert_true(sv_wait_line(r, "Deleted 0 of 1 messages", 3000));
	g_assert_true(sv_wait_line(r, "Message by id not found", 10));

	audit_path = g_build_filename(r->state_dir, "audit.log", NULL);
	wag_store_flush();
	g_assert_true(g_file_get_contents(audit_path, &audit, NULL, NULL));
	g_assert_nonnull(strstr(audit, "\"action\":\"delete-message\""));
	g_assert_nonnull(strstr(audit, "\"message_id\":\"S3\""));
	/* The members of every audit line (one writer for all actions). */
	g_assert_nonnull(strstr(audit, "\"targets\":[\"" FX_MEMBER "\"],\"reason\":null,\"message_id\":\"S3\""));
	g_assert_nonnull(strstr(audit, "\"result\":\"error\""));
	sv_free(r, FALSE);
	wag_emu_free(emu);
}


int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/messages/greenapi/pace", test_pace);
	g_test_add_func("/messages/greenapi/unpaced", test_unpaced);
	for (guint v = 0; fx_vendors[v]; v++) {
		static const struct { const char *name; GTestDataFunc fn; } t[] = {
			{ "send", test_send }, { "echo-twice", test_echo_twice }, { "delete", test_delete },
			{ "pace-shared", test_pace_shared }, { "free-queued", test_free_queued },
		};
		for (guint i = 0; i < G_N_ELEMENTS(t); i++) {
			g_autofree char *path = g_strdup_printf("/messages/%s/%s", fx_vendors[v]->vendor, t[i].name);
			g_test_add_data_func(path, fx_vendors[v], t[i].fn);
		}
	}
	return g_test_run();
}
