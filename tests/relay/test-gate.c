/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The relay's HTTP front, attacked with raw bytes: exact routes (no way to
 * /events without the token), RFC 9112 framing errors answered at once,
 * secrets checked before any body byte, pipelining and keep-alive, and no
 * memory kept for refused requests. */
#include "relay-proc.h"
#include "raw-http.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define JSON "application/json"

static SoupSession *session;

static char *
zapi_remove(const char *phone)
{
	return relay_zapi_webhook("REMOVE", phone);
}

/* The template with each "@S" replaced by the webhook secret. */
static char *
fill(const char *tmpl)
{
	g_auto(GStrv) parts = g_strsplit(tmpl, "@S", -1);
	return g_strjoinv(RP_SECRET, parts);
}

static char *
post(const char *path, const char *body)
{
	return g_strdup_printf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
	                       path, strlen(body), body);
}

static char *
post_chunked(const char *path, const char *body)
{
	return g_strdup_printf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	                       "Transfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n", path, strlen(body), body);
}

/* /events and nothing under it: every variant that once reached the
 * WebSocket handler without the token is refused, with or without it. */
static void
test_events_route_exact(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *ev = zapi_remove("5544999999999");
	const char *variants[] = { "/events/x", "/events/", "/events;x", "/events%2f", "/events%2F", "http://h/events/",
	                           "http://h/events", "/events/..", "/events/.", "//events", "/Events", "/events#x",
	                           "/./events", "/x/../events", NULL };
	const char *ws = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
	                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL), ==, 200);
	for (guint i = 0; variants[i]; i++) {
		for (int with_token = 0; with_token < 2; with_token++) {
			g_autofree char *req = g_strdup_printf("GET %s?after=0 HTTP/1.1\r\nHost: x\r\n%s%s\r\n", variants[i], ws,
			                                       with_token ? "Authorization: Bearer " RP_CLIENT "\r\n" : "");
			gboolean closed;
			g_autofree char *got = raw_exchange(rp->port, req, -1, 1, &closed);
			guint status = raw_status(got, 0);
			g_test_message("%s (token: %d) -> %u", variants[i], with_token, status);
			g_assert_true(status == 400 || status == 401 || status == 404);
			g_assert_null(strstr(got, "participants"));
		}
	}
	{
		/* The route itself: without the token 401, with it 101. */
		g_autofree char *no = g_strdup_printf("GET /events?after=0 HTTP/1.1\r\nHost: x\r\n%s\r\n", ws);
		g_autofree char *yes = g_strdup_printf("GET /events?after=0 HTTP/1.1\r\nHost: x\r\n%sAuthorization: Bearer %s\r\n\r\n",
		                                       ws, RP_CLIENT);
		g_autofree char *got1 = raw_exchange(rp->port, no, -1, 1, NULL);
		g_autofree char *got2 = raw_exchange(rp->port, yes, -1, 1, NULL);
		g_assert_cmpuint(raw_status(got1, 0), ==, 401);
		g_assert_cmpuint(raw_status(got2, 0), ==, 101);
	}
	relay_proc_free(rp);
}

typedef struct {
	const char *what;
	const char *head; /* @S: the secret */
	guint status;
} Bad;

/* Each is answered at once (no body is sent) and the connection closed. */
static void
test_framing(void)
{
	RelayProc *rp = relay_proc_start("max_body_bytes=100000\n");
	static const Bad bad[] = {
		{ "negative length", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400 },
		{ "2^64-1 length", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\n", 400 },
		{ "overflowing length", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400 },
		{ "wrong secret, negative length", "POST /webhook/zapi/x@S HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400 },
		{ "length 1x", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400 },
		{ "two lengths", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", 400 },
		{ "gzip", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400 },
		{ "length and chunked", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
		{ "NUL in a header", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\n", 400 },
		{ "bare LF", "GET /healthz HTTP/1.1\nHost: x\n\n", 400 },
		{ "lone CR", "GET /healthz HTTP/1.1\rHost: x\r\n\r\n", 400 },
		{ "obs-fold", "GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400 },
		{ "no Host", "GET /healthz HTTP/1.1\r\n\r\n", 400 },
		{ "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400 },
		{ "body too large", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nContent-Length: 100001\r\n\r\n", 413 },
		{ "wrong secret before the body", "POST /webhook/zapi/not-@S HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n", 401 },
		{ "unknown vendor before the body", "POST /webhook/whatsapp/@S HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n", 404 },
		{ "unknown expectation", "POST /webhook/zapi/@S HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 2\r\n\r\n", 417 },
	};
	/* A TLS ClientHello's first bytes. */
	static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x00\x00\x00";
	g_autofree char *huge = g_strdup_printf("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %0*d\r\n\r\n", 20000, 0);

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		/* The NUL case: the template stops there; the bytes are built by hand. */
		g_autofree char *req = fill(bad[i].head);
		gsize len = strlen(req);
		gboolean closed;
		g_autofree char *got = NULL;
		if (strstr(bad[i].what, "NUL")) {
			g_autofree char *tail = g_strdup("b\r\nContent-Length: 2\r\n\r\n");
			char *full = g_strconcat(req, "#", tail, NULL);
			len = strlen(full);
			full[strlen(req)] = '\0';
			g_free(req);
			req = full;
		}
		got = raw_exchange(rp->port, req, (gssize) len, 1, &closed);
		g_test_message("%s -> %u", bad[i].what, raw_status(got, 0));
		g_assert_cmpuint(raw_status(got, 0), ==, bad[i].status);
		g_assert_nonnull(strstr(got, "\r\nConnection: close\r\n"));
	}
	{
		g_autofree char *got = raw_exchange(rp->port, hello, sizeof hello - 1, 1, NULL);
		g_assert_cmpuint(raw_status(got, 0), ==, 400);
	}
	{
		g_autofree char *got = raw_exchange(rp->port, huge, -1, 1, NULL);
		g_assert_cmpuint(raw_status(got, 0), ==, 431);
	}
	/* Nothing of it reached the store; the relay is fine. */
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_webhooks_stored_total"), ==, 0);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_rejected_total{reason=\"bad_request\"}"), >=, 13);
	relay_proc_free(rp);
}

/* The same request gets the same answer whether its body is chunked or
 * not: one HTTP parser decides. */
static void
test_paths_agree(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	const char *paths[] = { "/webhook/zapi/@S/", "/webhook/zapi/@S%20", "/webhook/%7aapi/@S", "/webhook/zapi/../zapi/@S",
	                        "/webhook/./zapi/@S", "/webhook//zapi/@S", "/webhook/zapi/@S#x", "/webhook/zapi;x/@S",
	                        "//webhook/zapi/@S", "/webhook/ZAPI/@S", "/webhook/zapi/@S/..", "/webhook/zapi/%2e%2e/@S",
	                        "/webhook/zapi/@S?", NULL };

	for (guint i = 0; paths[i]; i++) {
		g_autofree char *path = fill(paths[i]);
		g_autofree char *ev = zapi_remove("5544988888888");
		g_autofree char *a = post(path, ev);
		g_autofree char *b = post_chunked(path, ev);
		g_autofree char *got_a = raw_exchange(rp->port, a, -1, 1, NULL);
		g_autofree char *got_b = raw_exchange(rp->port, b, -1, 1, NULL);
		g_test_message("%s -> %u / %u", path, raw_status(got_a, 0), raw_status(got_b, 0));
		g_assert_cmpuint(raw_status(got_a, 0), ==, raw_status(got_b, 0));
		g_assert_cmpuint(raw_status(got_a, 0), !=, 0);
		/* Only the last one is the webhook URL. */
		g_assert_cmpuint(raw_status(got_a, 0) == 200, ==, paths[i + 1] == NULL);
	}
	relay_proc_free(rp);
}

/* Several webhooks in one write (and a GET, and a chunked one): all
 * answered, in order; then the connection is still usable. */
static void
test_pipelining(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *path = g_strdup_printf("/webhook/zapi/%s", RP_SECRET);
	GString *all = g_string_new(NULL);
	int fd = raw_connect(rp->port);
	g_autofree char *got = NULL;
	g_autofree char *more = NULL;
	gboolean closed;

	for (int i = 0; i < 4; i++) {
		g_autofree char *phone = g_strdup_printf("554491111111%d", i);
		g_autofree char *ev = zapi_remove(phone);
		g_autofree char *req = i == 2 ? post_chunked(path, ev) : post(path, ev);
		g_string_append(all, req);
	}
	g_string_append(all, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
	raw_send(fd, all->str, all->len);
	got = raw_read(fd, 5, 5000, &closed);
	g_assert_cmpuint(raw_count(got), ==, 5);
	for (guint i = 0; i < 5; i++)
		g_assert_cmpuint(raw_status(got, i), ==, 200);
	g_assert_true(g_str_has_suffix(got, "\r\n\r\nok"));
	g_assert_false(closed);
	/* Still open for more, and a refused one after good ones is answered
	 * after them. */
	raw_send(fd, all->str, all->len);
	raw_send(fd, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 34);
	more = raw_read(fd, 6, 5000, &closed);
	g_assert_cmpuint(raw_count(more), ==, 6);
	g_assert_cmpuint(raw_status(more, 4), ==, 200);
	g_assert_cmpuint(raw_status(more, 5), ==, 404);
	close(fd);
	/* The second round is the same four webhooks: stored once. */
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_webhooks_stored_total"), ==, 4);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_webhooks_duplicate_total"), ==, 4);
	g_string_free(all, TRUE);
	relay_proc_free(rp);
}

/* Every kind of request keeps the connection open for the next. */
static void
test_keep_alive(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *path = g_strdup_printf("/webhook/zapi/%s", RP_SECRET);
	g_autofree char *ev = zapi_remove("5544977777777");
	g_autofree char *ev2 = zapi_remove("5544977777778");
	g_autofree char *get_hook = g_strdup_printf("GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
	char *reqs[] = { post(path, ev), g_strdup("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
	                 g_strdup("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), g_strdup(get_hook), post(path, "{not json"),
	                 g_strdup("GET /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " RP_CLIENT "\r\n\r\n"),
	                 NULL };
	const guint want[] = { 200, 200, 200, 405, 400, 400 };
	int fd = raw_connect(rp->port);

	for (guint i = 0; reqs[i]; i++) {
		gboolean closed;
		g_autofree char *got = NULL;
		raw_send(fd, reqs[i], strlen(reqs[i]));
		got = raw_read(fd, 1, 5000, &closed);
		g_test_message("request %u -> %u", i, raw_status(got, 0));
		g_assert_cmpuint(raw_status(got, 0), ==, want[i]);
		/* /events without an upgrade is the one that closes. */
		if (i + 1 < G_N_ELEMENTS(want))
			g_assert_null(strstr(got, "Connection: close"));
		else
			g_assert_true(closed || raw_wait_closed(fd, 3000));
		g_free(reqs[i]);
	}
	close(fd);
	{
		/* A client that half-closes after its webhook still hears the
		 * commit, then the relay closes. */
		g_autofree char *req = post(path, ev2);
		g_autofree char *got = NULL;
		gboolean closed;
		fd = raw_connect(rp->port);
		raw_send(fd, req, strlen(req));
		shutdown(fd, SHUT_WR);
		got = raw_read(fd, 0, 5000, &closed);
		close(fd);
		g_assert_true(closed);
		g_assert_cmpuint(raw_count(got), ==, 1);
		g_assert_cmpuint(raw_status(got, 0), ==, 200);
	}
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_webhooks_stored_total"), ==, 2);
	relay_proc_free(rp);
}

/* Requests libsoup 3.2 would leak on (a bad length or an unknown coding,
 * with a long path) never reach it: memory stays flat. */
static void
test_refusals_leak_nothing(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *path = g_strnfill(15000, 'a');
	g_autofree char *cl = g_strdup_printf("POST /%s HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", path);
	g_autofree char *te = g_strdup_printf("POST /%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", path);
	guint64 before;

	/* warm up: allocator arenas */
	for (int i = 0; i < 200; i++) {
		g_autofree char *got = raw_exchange(rp->port, i % 2 ? cl : te, -1, 1, NULL);
	}
	before = relay_proc_rss_kb(rp);
	for (int i = 0; i < 3000; i++) {
		g_autofree char *got = raw_exchange(rp->port, i % 2 ? cl : te, -1, 1, NULL);
		g_assert_cmpuint(raw_status(got, 0), ==, 400);
	}
	relay_proc_assert_growth(rp, before, 8 * 1024);
	relay_proc_free(rp);
}

/* Wrong-secret requests holding large bodies get their 401 before the
 * body and cost the relay nothing per connection. */
static void
test_wrong_secret_bodies(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	enum { N = 200 };
	int fds[N];
	g_autofree char *head = g_strdup_printf("POST /webhook/zapi/wrong-secret-0123456789 HTTP/1.1\r\nHost: x\r\n"
	                                        "Content-Type: application/json\r\nContent-Length: 262143\r\n\r\n");
	g_autofree char *body = g_strnfill(65536, ' ');
	guint64 before = relay_proc_rss_kb(rp);

	for (int i = 0; i < N; i++) {
		gboolean closed;
		g_autofree char *got = NULL;
		fds[i] = raw_connect(rp->port);
		raw_send(fds[i], head, strlen(head));
		got = raw_read(fds[i], 1, 5000, &closed);
		g_assert_cmpuint(raw_status(got, 0), ==, 401);
		raw_send(fds[i], body, 65536);
	}
	relay_proc_assert_growth(rp, before, 16 * 1024);
	for (int i = 0; i < N; i++)
		close(fds[i]);
	relay_proc_free(rp);
}

/* A flood of refusals makes a few log lines, and the counters say how many. */
static void
test_refusal_log_rate_limited(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *log = NULL;
	guint lines = 0;

	for (int i = 0; i < 300; i++) {
		g_autofree char *got = raw_exchange(rp->port, "GET /healthz HTTP/1.1\nHost: x\n\n", -1, 1, NULL);
		g_assert_cmpuint(raw_status(got, 0), ==, 400);
	}
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_rejected_total{reason=\"bad_request\"}"), ==, 300);
	log = relay_proc_log(rp);
	for (const char *p = log; (p = strstr(p, "reason=bad_request")); p++)
		lines++;
	g_assert_cmpuint(lines, <=, 2);
	relay_proc_free(rp);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/gate/events-route-exact", test_events_route_exact);
	g_test_add_func("/relay/gate/framing", test_framing);
	g_test_add_func("/relay/gate/paths-agree", test_paths_agree);
	g_test_add_func("/relay/gate/pipelining", test_pipelining);
	g_test_add_func("/relay/gate/keep-alive", test_keep_alive);
	g_test_add_func("/relay/gate/refusals-leak-nothing", test_refusals_leak_nothing);
	g_test_add_func("/relay/gate/wrong-secret-bodies", test_wrong_secret_bodies);
	g_test_add_func("/relay/gate/refusal-log-rate-limited", test_refusal_log_rate_limited);
	return g_test_run();
}
