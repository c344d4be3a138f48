/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The HTTP client against the emulated vendor: classification of every
 * documented failure, redaction of tokens, and shutdown with calls in flight. */
#include "vendor-emu.h"
#include "wag-error.h"
#include "wag-http.h"
#include <string.h>
#include <sys/resource.h>

#define TOKEN "s3cr3t-tok/en+1"
#define CLIENT "cl13nt-tok3n"

static GString *logged;

static void
capture(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	g_string_append_printf(logged, "%s\n", message);
}

typedef struct {
	gboolean done;
	guint status;
	GError *error;
	char *json;
} Result;

static void
on_reply(WagReply *reply, gpointer data)
{
	Result *r = data;
	r->done = TRUE;
	r->status = reply->status;
	r->error = reply->error ? g_error_copy(reply->error) : NULL;
	r->json = reply->json ? json_to_string(reply->json, FALSE) : NULL;
}

static void
wait_for(Result *r, guint ms)
{
	gint64 end = g_get_monotonic_time() + ms * 1000;
	while (!r->done && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
}

static WagHttp *
client(guint timeout)
{
	WagHttp *h = wag_http_new(timeout);
	wag_http_add_secret(h, TOKEN);
	wag_http_add_secret(h, CLIENT);
	return h;
}

static Result
call(WagHttp *h, WagEmu *emu, WagRequest *req)
{
	Result r = { 0 };
	wag_http_send(h, wag_emu_base(emu), req, on_reply, &r, NULL);
	wait_for(&r, 5000);
	g_assert_true(r.done);
	return r;
}

static void
result_clear(Result *r)
{
	g_clear_error(&r->error);
	g_clear_pointer(&r->json, g_free);
}

static void
test_status_classes(void)
{
	static const struct { guint status; const char *body; WagErrorCode code; const char *words; } cases[] = {
		{ 405, "{\"error\": \"Method Not Allowed\"}", WAG_ERROR_METHOD, "wrong HTTP method (405)" },
		{ 415, "{\"error\": \"Unsupported Media Type\"}", WAG_ERROR_CONTENT_TYPE, "missing content type (415)" },
		{ 400, "{\"message\": \"bad request data\"}", WAG_ERROR_BAD_REQUEST, "bad request data (400)" },
		{ 401, NULL, WAG_ERROR_UNAUTHORIZED, "not authorized" },
		{ 403, "{\"error\": \"[IP request] not allowed\"}", WAG_ERROR_UNAUTHORIZED, "[IP request] not allowed" },
		{ 404, "Not Found", WAG_ERROR_NOT_FOUND, "(404): Not Found" },
		{ 429, "{\"message\": \"Too Many Requests\"}", WAG_ERROR_RATE_LIMITED, "rate limited" },
		{ 466, "{\"invokeStatus\": {\"method\": \"removeGroupParticipant\", \"used\": 3, \"total\": 3,"
		       " \"status\": \"QUOTE_EXCEEDED\", \"description\": \"Monthly quota has been exceeded\"}}",
		  WAG_ERROR_QUOTA, "quota exhausted for this instance's plan (466): Monthly quota has been exceeded" },
		{ 502, "<html>Bad Gateway</html>", WAG_ERROR_SERVER, "down or failing" },
	};
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, CLIENT, wag_emu_base(emu) };

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		Result r;
		wag_emu_fail_next(emu, "/status", cases[i].status, cases[i].body);
		r = call(h, emu, wag_vendor_zapi.req_status(&creds));
		g_assert_cmpuint(r.status, ==, cases[i].status);
		g_assert_error(r.error, WAG_ERROR, (gint) cases[i].code);
		g_test_message("%u: %s", cases[i].status, r.error->message);
		g_assert_nonnull(strstr(r.error->message, cases[i].words));
		g_assert_true(g_str_has_prefix(r.error->message, "Z-API: "));
		result_clear(&r);
	}
	wag_emu_free(emu);
}

static void
test_not_json(void)
{
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	Result r;

	wag_emu_fail_next(emu, "/status", 200, "<html>captive portal</html>");
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_BAD_REPLY);
	g_assert_nonnull(strstr(r.error->message, "not JSON"));
	result_clear(&r);

	/* The real emulator answers JSON and the parse succeeds. */
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_no_error(r.error);
	g_assert_nonnull(strstr(r.json, "\"connected\":true"));
	result_clear(&r);
	wag_emu_free(emu);
}

static void
test_timeout(void)
{
	g_autoptr(WagHttp) h = client(1);
	WagEmu *emu = wag_emu_new("greenapi", "1101", TOKEN);
	WagCreds creds = { "1101", TOKEN, NULL, wag_emu_base(emu) };
	Result r;

	wag_emu_hang(emu, "getStateInstance");
	r = call(h, emu, wag_vendor_greenapi.req_status(&creds));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_TIMEOUT);
	g_assert_nonnull(strstr(r.error->message, "timeout"));
	g_assert_true(wag_error_is_transient(r.error));
	result_clear(&r);
	wag_emu_free(emu);
}

static void
test_unreachable_and_invalid(void)
{
	g_autoptr(WagHttp) h = client(2);
	WagCreds creds = { "INST", TOKEN, NULL, "http://127.0.0.1:1" };
	Result r = { 0 };

	wag_http_send(h, creds.base, wag_vendor_zapi.req_status(&creds), on_reply, &r, NULL);
	wait_for(&r, 5000);
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_NETWORK);
	result_clear(&r);

	memset(&r, 0, sizeof r);
	creds.base = "not a url " TOKEN;
	wag_http_send(h, creds.base, wag_vendor_zapi.req_status(&creds), on_reply, &r, NULL);
	g_assert_false(r.done); /* reported later, never from inside send */
	wait_for(&r, 1000);
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_NETWORK);
	g_assert_null(strstr(r.error->message, TOKEN));
	g_assert_nonnull(strstr(r.error->message, "***"));
	result_clear(&r);
}

static void
test_redaction(void)
{
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, CLIENT, wag_emu_base(emu) };
	g_autofree char *escaped = g_uri_escape_string(TOKEN, NULL, FALSE);
	guint id = g_log_set_handler("wagateway", G_LOG_LEVEL_MASK, capture, NULL);
	Result r;

	/* A vendor that echoes the token back in its error must not leak it either. */
	wag_emu_fail_next(emu, "/status", 400, "{\"error\": \"token " TOKEN " is invalid\"}");
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_nonnull(r.error);
	g_assert_null(strstr(r.error->message, TOKEN));
	g_assert_nonnull(strstr(r.error->message, "token *** is invalid"));
	result_clear(&r);
	g_log_remove_handler("wagateway", id);

	/* The vendor did receive the real token, escaped in the path, and the Client-Token. */
	g_assert_true(strstr(wag_emu_last(emu, "GET", "/status")->path, TOKEN) ||
	              strstr(wag_emu_last(emu, "GET", "/status")->path, escaped));
	g_assert_cmpstr(wag_emu_last(emu, "GET", "/status")->client_token, ==, CLIENT);
	/* ... but nothing we logged shows either. */
	g_assert_nonnull(strstr(logged->str, "/instances/INST/token/***/status"));
	g_assert_null(strstr(logged->str, TOKEN));
	g_assert_null(strstr(logged->str, escaped));
	g_assert_null(strstr(logged->str, CLIENT));
	wag_emu_free(emu);
}

static int destroyed;

static void
count_destroy(gpointer data)
{
	destroyed++;
}

static void
must_not_run(WagReply *reply, gpointer data)
{
	g_assert_not_reached();
}

static void
test_shutdown_in_flight(void)
{
	WagHttp *h = client(5);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	gint64 end;

	destroyed = 0;
	wag_emu_delay(emu, "/status", 200);
	for (int i = 0; i < 20; i++)
		wag_http_send(h, creds.base, wag_vendor_zapi.req_status(&creds), must_not_run, NULL, count_destroy);
	g_assert_cmpuint(wag_http_in_flight(h), ==, 20);
	/* Let some reach the vendor, then shut down and drop our reference, as close does. */
	end = g_get_monotonic_time() + 100 * 1000;
	while (g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, FALSE);
	wag_http_shutdown(h);
	wag_http_unref(h);
	/* Requests sent after shutdown are dropped too. */
	end = g_get_monotonic_time() + 500 * 1000;
	while (g_get_monotonic_time() < end && destroyed < 20)
		g_main_context_iteration(NULL, FALSE);
	g_assert_cmpint(destroyed, ==, 20);
	wag_emu_free(emu);
}

/* Loopback never goes through a proxy (auto-discovery stalled local calls
 * by 5 s at a time in bitlbee); remote hosts keep the system's settings. */
/* request_timeout bounds the whole call: a vendor trickling one byte every
 * 300 ms never goes silent long enough for an idle timeout, yet the call
 * ends after 2 s. */
static void
test_trickle(void)
{
	g_autoptr(WagHttp) h = client(2);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	gint64 start = g_get_monotonic_time();
	Result r;

	wag_emu_trickle(emu, "/status", 300);
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_TIMEOUT);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 3500 * 1000);
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 1900 * 1000);
	result_clear(&r);
	wag_emu_free(emu);
}

static glong
peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* A 50 MB reply: refused at the 8 MB cap, nothing parsed, and read no
 * further than the cap (the rest is never produced by the emulator, which
 * writes only as fast as the client reads). */
static void
test_huge_reply(void)
{
	g_autoptr(WagHttp) h = client(30);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	glong before = peak_rss_kb();
	Result r;

	g_assert_cmpuint(wag_http_get_max_reply(h), ==, 8 * 1024 * 1024);
	wag_emu_huge_reply(emu, "/groups", 50 * 1024 * 1024);
	r = call(h, emu, wag_vendor_zapi.req_groups(&creds, 1));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_TOO_LARGE);
	g_assert_cmpuint(r.status, ==, 0); /* nothing read: no status to interpret */
	g_test_message("%s", r.error->message);
	g_assert_nonnull(strstr(r.error->message, "larger than 8.4"));
	g_assert_null(r.json);
	g_assert_cmpuint(wag_emu_huge_sent(emu), <, 16 * 1024 * 1024);
	g_test_message("peak RSS grew by %ld kB", peak_rss_kb() - before);
#ifndef __SANITIZE_ADDRESS__
	/* (ASan's quarantine keeps freed chunks: only the bytes read count there.) */
	g_assert_cmpint(peak_rss_kb() - before, <, 32 * 1024);
#endif
	result_clear(&r);
	wag_emu_free(emu);
}

/* The cap is the client's: a small one refuses a small reply, announced
 * (Content-Length) or not (chunked); a reply under it is read in full. */
static void
test_reply_cap(void)
{
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	g_autofree char *pad = g_strnfill(2000, 'a');
	g_autofree char *big = g_strdup_printf("[\"%s\"]", pad);
	Result r;

	wag_http_set_max_reply(h, 1000);
	wag_emu_fail_next(emu, "/groups", 200, big);
	r = call(h, emu, wag_vendor_zapi.req_groups(&creds, 1));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_TOO_LARGE);
	result_clear(&r);
	wag_emu_huge_reply(emu, "/communities", 3000);
	r = call(h, emu, wag_vendor_zapi.req_communities(&creds, 1));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_TOO_LARGE);
	result_clear(&r);
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_no_error(r.error);
	result_clear(&r);
	wag_http_set_max_reply(h, 0);
	g_assert_cmpuint(wag_http_get_max_reply(h), ==, WAG_HTTP_MAX_REPLY_DEFAULT);
	wag_emu_free(emu);
}

/* A 1 MB error text reaches the user as at most 300 characters and "...". */
static void
test_long_error_text(void)
{
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	g_autofree char *words = g_strnfill(1024 * 1024, 'e');
	g_autofree char *body = g_strdup_printf("{\"error\": \"%s\"}", words);
	Result r;

	wag_emu_fail_next(emu, "/status", 400, body);
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_BAD_REQUEST);
	g_assert_cmpuint(strlen(r.error->message), <, 400);
	g_assert_true(g_str_has_suffix(r.error->message, "eee..."));
	result_clear(&r);
	/* Not JSON at all: the same cap. */
	wag_emu_fail_next(emu, "/status", 500, words);
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_SERVER);
	g_assert_cmpuint(strlen(r.error->message), <, 400);
	result_clear(&r);
	wag_emu_free(emu);
}

/* A 2xx carrying only the vendor's complaint is a refusal in its words. */
static void
test_ok_with_error(void)
{
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("zapi", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	Result r;

	/* source: Z-API docs (README of z-api-docs, "Erros"): bodies such as
	 * {"error": "Instance not found"} and {"error": "[IP request] not allowed"} */
	wag_emu_fail_next(emu, "/groups", 200, "{\"error\": \"Instance not found\"}");
	r = call(h, emu, wag_vendor_zapi.req_groups(&creds, 1));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_REFUSED);
	g_assert_nonnull(strstr(r.error->message, "Instance not found"));
	result_clear(&r);
	wag_emu_fail_next(emu, "/groups", 200, "{\"message\": \"You are not connected.\"}");
	r = call(h, emu, wag_vendor_zapi.req_groups(&creds, 1));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_REFUSED);
	g_assert_nonnull(strstr(r.error->message, "You are not connected."));
	result_clear(&r);
	/* A status reply with its own fields is not a refusal. */
	r = call(h, emu, wag_vendor_zapi.req_status(&creds));
	g_assert_no_error(r.error);
	result_clear(&r);
	wag_emu_free(emu);
}

/* Wawp: a 403 on a group action is "not an admin", unless it is the plan's. */
static void
test_wawp_forbidden(void)
{
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("wawp", "INST", TOKEN);
	WagCreds creds = { "INST", TOKEN, NULL, wag_emu_base(emu) };
	const char *ids[] = { "5544999999999" };
	g_autoptr(WagGroup) g = wag_group_new("120363043968066561@g.us", NULL);
	Result r;

	wag_emu_add_group(emu, g->id, "Vizinhos");
	/* Wawp error bodies: {"status", "message", "error"} (Wawp docs, errors). */
	wag_emu_fail_next(emu, "/participants/remove", 403,
	                  "{\"status\": 403, \"message\": \"Forbidden\", \"error\": \"forbidden\"}");
	r = call(h, emu, wag_vendor_wawp.req_action(&creds, WAG_ACTION_REMOVE, g, ids, 1, NULL));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_NOT_ADMIN);
	g_assert_nonnull(strstr(r.error->message, "not an admin"));
	result_clear(&r);
	wag_emu_fail_next(emu, "/participants/remove", 403,
	                  "{\"status\": 403, \"message\": \"Upgrade your plan\", \"error\": \"subscription_required\"}");
	r = call(h, emu, wag_vendor_wawp.req_action(&creds, WAG_ACTION_REMOVE, g, ids, 1, NULL));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_UNAUTHORIZED);
	result_clear(&r);
	/* The status call keeps its own reading of 403 (credentials or plan). */
	wag_emu_fail_next(emu, "session/info", 403, "{\"status\": 403, \"message\": \"x\", \"error\": \"forbidden\"}");
	r = call(h, emu, wag_vendor_wawp.req_status(&creds));
	g_assert_error(r.error, WAG_ERROR, WAG_ERROR_UNAUTHORIZED);
	result_clear(&r);
	wag_emu_free(emu);
}

/* Green API answers 429 when a method's per-second limit is passed: retried later. */
static void
test_rate_limited(void)
{
	g_autoptr(WagHttp) h = client(5);
	WagEmu *emu = wag_emu_new("greenapi", "1101", TOKEN);
	WagCreds creds = { "1101", TOKEN, NULL, wag_emu_base(emu) };
	Result r;

	wag_emu_fail_times(emu, "getGroupData", 2, 429, NULL);
	for (guint i = 0; i < 2; i++) {
		r = call(h, emu, wag_vendor_greenapi.req_group_info(&creds, "120363043968066561@g.us"));
		g_assert_error(r.error, WAG_ERROR, WAG_ERROR_RATE_LIMITED);
		g_assert_true(wag_error_is_transient(r.error));
		result_clear(&r);
	}
	g_assert_cmpuint(wag_vendor_min_spacing_ms(&wag_vendor_greenapi, WAG_OP_GROUP_INFO), ==, 1000);
	wag_emu_free(emu);
}

static void
test_loopback(void)
{
	g_assert_true(wag_http_is_loopback("http://127.0.0.1:8719/webhook"));
	g_assert_true(wag_http_is_loopback("http://127.3.4.5/"));
	g_assert_true(wag_http_is_loopback("ws://localhost:8719"));
	g_assert_true(wag_http_is_loopback("http://[::1]:8719/"));
	g_assert_false(wag_http_is_loopback("https://api.z-api.io/instances"));
	g_assert_false(wag_http_is_loopback("https://10.0.0.1/"));
	g_assert_false(wag_http_is_loopback("not a url"));
	g_assert_false(wag_http_is_loopback(NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	logged = g_string_new(NULL);
	g_test_add_func("/core/http/loopback-is-direct", test_loopback);
	g_test_add_func("/core/http/status-classes", test_status_classes);
	g_test_add_func("/core/http/not-json", test_not_json);
	g_test_add_func("/core/http/timeout", test_timeout);
	g_test_add_func("/core/http/unreachable-and-invalid", test_unreachable_and_invalid);
	g_test_add_func("/core/http/redaction", test_redaction);
	g_test_add_func("/core/http/shutdown-in-flight", test_shutdown_in_flight);
	g_test_add_func("/core/http/whole-call-timeout", test_trickle);
	g_test_add_func("/core/http/huge-reply", test_huge_reply);
	g_test_add_func("/core/http/reply-cap", test_reply_cap);
	g_test_add_func("/core/http/long-error-text", test_long_error_text);
	g_test_add_func("/core/http/ok-with-error", test_ok_with_error);
	g_test_add_func("/core/http/wawp-forbidden", test_wawp_forbidden);
	g_test_add_func("/core/http/rate-limited", test_rate_limited);
	return g_test_run();
}
