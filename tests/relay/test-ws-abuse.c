/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Followers that lie or misbehave: one acking everything while reading
 * nothing gets no more than its socket takes (libsoup would queue the whole
 * backlog in the relay's memory otherwise); a bad after= is refused, a big
 * frame ends the connection in order, and churning followers do not flood the log. */
#include "relay-proc.h"
#include "raw-http.h"
#include "post-many.h"
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>


static SoupSession *session;

static const char *const upgrade = "GET /events?after=0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Authorization: Bearer " RP_CLIENT "\r\n\r\n";

/* A masked client text frame (RFC 6455 5.3), short payloads only. */
static void
ws_send_text(int fd, const char *text)
{
	guint8 frame[4 + 2 + 126];
	gsize n = strlen(text);
	g_assert_cmpuint(n, <, 126);
	frame[0] = 0x81;
	frame[1] = 0x80 | (guint8) n;
	memcpy(frame + 2, "\x11\x22\x33\x44", 4);
	for (gsize i = 0; i < n; i++)
		frame[6 + i] = (guint8) text[i] ^ frame[2 + i % 4];
	raw_send(fd, (const char *) frame, 6 + n);
}

/* Big events (1,000 participants each): the backlog outgrows the
 * kernel's socket buffers by far. */
static char *
big_add(guint i, gpointer data)
{
	g_autoptr(GString) phones = g_string_new(NULL);
	for (guint j = 0; j < 1000; j++)
		g_string_append_printf(phones, "%s55449%04u%04u", j ? "\", \"" : "", i, j);
	return relay_zapi_webhook("ADD", phones->str);
}

static void
post_many(RelayProc *rp, guint n)
{
	g_assert_cmpuint(post_many_zapi(rp, n, big_add, NULL), ==, n);
}

static void
test_ack_flood(void)
{
	RelayProc *rp = relay_proc_start("ws_max_queue_bytes=16777216\nws_stall_seconds=60\n");
	enum { EVENTS = 800 };
	int fd = raw_connect(rp->port), rcvbuf = 4096;
	guint64 before, delivered = 0;
	g_autofree char *got = NULL;

	post_many(rp, EVENTS);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	raw_send(fd, upgrade, strlen(upgrade));
	got = raw_read(fd, 1, 3000, NULL);
	g_assert_true(g_str_has_prefix(got, "HTTP/1.1 101 "));
	before = relay_proc_rss_kb(rp);
	/* Acks for everything, twice as often as a page is read, reading
	 * nothing: before, the whole backlog went to libsoup within this. */
	for (guint i = 0; i < 100 && delivered < EVENTS; i++) {
		ws_send_text(fd, "{\"ack\": 9223372036854775807}");
		g_usleep(20000);
		delivered = relay_metric(session, rp, "wagateway_relay_events_delivered_total");
	}
	g_test_message("handed to libsoup: %" G_GUINT64_FORMAT " of %d", delivered, EVENTS);
	g_assert_cmpuint(delivered, <, EVENTS / 2);
	relay_proc_assert_growth(rp, before, 16 * 1024);
	close(fd);
	relay_proc_free(rp);
}

/* after= is an id: anything else is refused before the upgrade. */
static void
test_bad_after(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	static const char *const bad[] = { "abc", "-1", "12345678901234567890123", "9223372036854775808", "", "5x", "+5" };

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *req = g_strdup_printf("GET /events?after=%s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
		                                       "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
		                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
		                                       "Authorization: Bearer " RP_CLIENT "\r\n\r\n", bad[i]);
		g_autofree char *got = raw_exchange(rp->port, req, -1, 1, NULL);
		g_assert_cmpuint(raw_status(got, 0), ==, 400);
	}
	{
		/* The largest id is one. */
		int fd = raw_connect(rp->port);
		g_autofree char *req = g_strdup_printf("GET /events?after=9223372036854775807 HTTP/1.1\r\nHost: x\r\n"
		                                       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
		                                       "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
		                                       "Authorization: Bearer " RP_CLIENT "\r\n\r\n");
		g_autofree char *got = NULL;
		raw_send(fd, req, strlen(req));
		got = raw_read(fd, 1, 3000, NULL);
		g_assert_true(g_str_has_prefix(got, "HTTP/1.1 101 "));
		close(fd);
	}
	relay_proc_free(rp);
}

/* The 101 says "Connection: Upgrade" only; /healthz takes GET and HEAD. */
static void
test_headers_and_methods(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	int fd = raw_connect(rp->port);
	g_autofree char *got = NULL;
	g_autofree char *post = NULL;
	const char *end;

	raw_send(fd, upgrade, strlen(upgrade));
	got = raw_read(fd, 1, 3000, NULL);
	g_assert_true(g_str_has_prefix(got, "HTTP/1.1 101 "));
	end = strstr(got, "\r\n\r\n");
	g_assert_nonnull(end);
	g_assert_null(g_strstr_len(got, end - got, "close"));
	close(fd);
	post = raw_exchange(rp->port, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", -1, 1, NULL);
	g_assert_cmpuint(raw_status(post, 0), ==, 405);
	relay_proc_free(rp);
}

/* A frame over 64 kB (an ack is a few bytes) ends the connection, in
 * order: libsoup 3.2 closes on a frame too big without a close frame (its
 * error path), and the relay reads the rest away first, so the client sees
 * the end, not a reset. */
static void
test_big_frame(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	int fd = raw_connect(rp->port);
	gsize n = 100000;
	g_autofree guint8 *frame = g_malloc0(14 + n);
	g_autofree char *got = NULL;
	gssize r = -1;

	raw_send(fd, upgrade, strlen(upgrade));
	got = raw_read(fd, 1, 3000, NULL);
	g_assert_true(g_str_has_prefix(got, "HTTP/1.1 101 "));
	frame[0] = 0x81;
	frame[1] = 0x80 | 127;
	for (int i = 0; i < 8; i++)
		frame[2 + i] = (guint8) (n >> (8 * (7 - i)));
	memset(frame + 14, ' ', n); /* mask 0 */
	raw_send(fd, (const char *) frame, 14 + n);
	for (guint i = 0; i < 100 && r != 0; i++) {
		char buf[4096];
		struct timeval tv = { 0, 50000 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		r = recv(fd, buf, sizeof buf, 0);
		if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			g_error("read: %s", g_strerror(errno));
	}
	g_assert_cmpint(r, ==, 0);
	close(fd);
	relay_proc_free(rp);
}

/* A follower churning in a loop: the log takes a bounded number of lines. */
static void
test_churn_log(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *log = NULL;
	guint lines = 0;

	for (guint i = 0; i < 60; i++) {
		int fd = raw_connect(rp->port);
		g_autofree char *got = NULL;
		raw_send(fd, upgrade, strlen(upgrade));
		got = raw_read(fd, 1, 3000, NULL);
		g_assert_true(g_str_has_prefix(got, "HTTP/1.1 101 "));
		close(fd);
	}
	/* The last close reached the relay once no follower is left. */
	for (guint i = 0; i < 300 && relay_metric(session, rp, "wagateway_relay_clients_connected") != 0; i++)
		g_usleep(10000);
	log = relay_proc_log(rp);
	for (const char *p = log; (p = strstr(p, "msg=\"client ")); p++)
		lines++;
	g_test_message("log lines for 60 connects and closes: %u", lines);
	g_assert_cmpuint(lines, <=, 20);
	relay_proc_free(rp);
}

int
main(int argc, char **argv)
{
	int rc;
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/ws/ack-flood", test_ack_flood);
	g_test_add_func("/relay/ws/bad-after", test_bad_after);
	g_test_add_func("/relay/ws/headers-and-methods", test_headers_and_methods);
	g_test_add_func("/relay/ws/big-frame", test_big_frame);
	g_test_add_func("/relay/ws/churn-log", test_churn_log);
	rc = g_test_run();
	g_object_unref(session);
	return rc;
}
