/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Bounded resources: slow and idle connections are closed, connections
 * beyond the limit refused, running out of file descriptors pauses
 * accepting instead of spinning, a follower that does not keep up is
 * closed (and one that does gets everything), and SIGTERM says goodbye. */
#include "relay-proc.h"
#include "raw-http.h"
#include "post-many.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>


static SoupSession *session;

static char *
zapi_add(guint i)
{
	g_autofree char *phone = g_strdup_printf("55449%08u", i);
	return relay_zapi_webhook("ADD", phone);
}

/* A head sent a byte at a time is cut off by header_timeout; a kept-alive
 * connection left idle by idle_timeout; one that never sends a byte by
 * header_timeout too. */
static void
test_timeouts(void)
{
	RelayProc *rp = relay_proc_start("header_timeout=1\nidle_timeout=2\n");
	const char *head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
	int slow = raw_connect(rp->port), idle = raw_connect(rp->port), silent = raw_connect(rp->port);
	gint64 start = g_get_monotonic_time();
	gboolean closed = FALSE;
	g_autofree char *got = NULL;

	raw_send(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 34);
	got = raw_read(idle, 1, 3000, NULL);
	g_assert_cmpuint(raw_status(got, 0), ==, 200);
	for (guint i = 0; head[i] && !closed; i++) {
		raw_send(slow, head + i, 1);
		closed = raw_wait_closed(slow, 100);
	}
	g_assert_true(closed);
	g_test_message("slow head closed after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time() - start) / 1000);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
	g_assert_true(raw_wait_closed(silent, 3000));
	g_assert_true(raw_wait_closed(idle, 4000));
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_rejected_total{reason=\"header_timeout\"}"), ==, 2);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_rejected_total{reason=\"idle_timeout\"}"), ==, 1);
	close(slow);
	close(idle);
	close(silent);
	relay_proc_free(rp);
}

static void
test_max_connections(void)
{
	RelayProc *rp = relay_proc_start("max_connections=4\n");
	int fds[4], extra;
	g_autofree char *got = NULL;
	g_autofree char *health = NULL;
	guint status = 0;

	for (int i = 0; i < 4; i++)
		fds[i] = raw_connect(rp->port);
	extra = raw_connect(rp->port);
	got = raw_read(extra, 1, 3000, NULL);
	g_assert_cmpuint(raw_status(got, 0), ==, 503);
	g_assert_true(raw_wait_closed(extra, 3000));
	close(extra);
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	/* Room again once they are gone. */
	for (int i = 0; i < 100 && status != 200; i++) {
		g_free(health);
		health = relay_get(session, rp, "/healthz", &status);
	}
	g_assert_cmpuint(status, ==, 200);
	relay_proc_free(rp);
}

/* Out of file descriptors: accepting pauses (said once), no CPU is burnt
 * meanwhile, and the relay serves again once descriptors are free. */
static void
test_emfile(void)
{
	RelayProc *rp = relay_proc_start_conf("[relay]\nwebhook_secret=" RP_SECRET "\nclient_token=" RP_CLIENT "\n", 48);
	enum { N = 80 };
	int fds[N];
	guint64 cpu;
	g_autofree char *health = NULL;
	g_autofree char *log = NULL;
	guint status = 0;

	for (int i = 0; i < N; i++)
		fds[i] = raw_connect(rp->port); /* the kernel's backlog takes what the relay cannot */
	g_assert_true(relay_proc_wait_log(rp, "out of file descriptors", 3000));
	cpu = relay_proc_cpu_ms(rp);
	g_usleep(G_USEC_PER_SEC);
	g_test_message("CPU in 1 s while out of descriptors: %" G_GUINT64_FORMAT " ms", relay_proc_cpu_ms(rp) - cpu);
	g_assert_cmpuint(relay_proc_cpu_ms(rp) - cpu, <, 200);
	for (int i = 0; i < N; i++)
		close(fds[i]);
	for (int i = 0; i < 100 && status != 200; i++) {
		g_free(health);
		health = relay_get(session, rp, "/healthz", &status);
	}
	g_assert_cmpuint(status, ==, 200);
	log = relay_proc_log(rp);
	g_assert_true(strstr(log, "out of file descriptors") == g_strrstr(log, "out of file descriptors"));
	relay_proc_free(rp);
}

static char *
add_from(guint i, gpointer from)
{
	return zapi_add(GPOINTER_TO_UINT(from) + i);
}

static void
post_many(RelayProc *rp, guint from, guint n)
{
	g_assert_cmpuint(post_many_zapi(rp, n, add_from, GUINT_TO_POINTER(from)), ==, n);
}

/* A follower that never reads is closed once it is behind for
 * ws_stall_seconds, and the relay's memory stays bounded meanwhile; one
 * that reads and acks gets every event, past the window, in order. */
static void
test_slow_follower(void)
{
	RelayProc *rp = relay_proc_start("ws_max_queue_bytes=16384\nws_stall_seconds=2\n");
	int fd = raw_connect(rp->port);
	const char *upgrade = "GET /events?after=0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	                      "Authorization: Bearer " RP_CLIENT "\r\n\r\n";
	int rcvbuf = 4096;
	RelayClient *c;
	guint64 before;
	gint64 last = 0;
	guint acked = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	raw_send(fd, upgrade, strlen(upgrade));
	{
		g_autofree char *got = raw_read(fd, 1, 3000, NULL);
		g_assert_cmpuint(raw_status(got, 0), ==, 101);
	}
	before = relay_proc_rss_kb(rp);
	post_many(rp, 0, 600);
	/* It reads nothing: closed with a reason after ~2 s. */
	for (int i = 0; i < 500 && relay_metric(session, rp, "wagateway_relay_clients_dropped_total") == 0; i++)
		g_usleep(20000);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_clients_dropped_total"), ==, 1);
	relay_proc_assert_growth(rp, before, 16 * 1024);
	g_assert_true(raw_wait_closed(fd, 10000));
	close(fd);

	/* One that acks what it applied gets all 600, past the 16 kB window. */
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_nonnull(c->ws);
	for (int i = 0; i < 1000 && c->frames->len < 600; i++) {
		relay_client_wait(c, acked + 1, 20);
		if (c->frames->len > acked) {
			g_autofree char *ack = g_strdup_printf("{\"ack\": %" G_GINT64_FORMAT "}",
			                                       relay_frame_id(c->frames->pdata[c->frames->len - 1]));
			acked = c->frames->len;
			soup_websocket_connection_send_text(c->ws, ack);
		}
	}
	g_assert_cmpuint(c->frames->len, ==, 600);
	for (guint i = 0; i < c->frames->len; i++) {
		g_assert_cmpint(relay_frame_id(c->frames->pdata[i]), >, last);
		last = relay_frame_id(c->frames->pdata[i]);
	}
	relay_client_free(c);
	relay_proc_free(rp);
}

/* Followers that vanish (reset) while events flow: no send on a closed
 * WebSocket (the tests run the relay with fatal criticals). */
static void
test_followers_reset(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	const char *upgrade = "GET /events?after=0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	                      "Authorization: Bearer " RP_CLIENT "\r\n\r\n";
	guint status;
	g_autofree char *health = NULL;
	g_autofree char *log = NULL;

	for (int round = 0; round < 3; round++) {
		int fds[5];
		for (int i = 0; i < 5; i++) {
			g_autofree char *got = NULL;
			fds[i] = raw_connect(rp->port);
			raw_send(fds[i], upgrade, strlen(upgrade));
			got = raw_read(fds[i], 1, 3000, NULL);
			g_assert_cmpuint(raw_status(got, 0), ==, 101);
		}
		post_many(rp, round * 100, 50);
		for (int i = 0; i < 5; i++) {
			struct linger lg = { 1, 0 };
			setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
			close(fds[i]); /* RST */
		}
		post_many(rp, round * 100 + 50, 50);
	}
	health = relay_get(session, rp, "/healthz", &status);
	g_assert_cmpuint(status, ==, 200);
	log = relay_proc_log(rp);
	g_assert_null(strstr(log, "CRITICAL"));
	relay_proc_free(rp);
}

/* Many followers catching up at once: each gets the whole backlog in
 * order, while the relay holds only a few backlog pages (up to 1 MB each)
 * in memory at a time, not one per follower. */
static void
test_many_followers_catch_up(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	const char *upgrade = "GET /events?after=0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	                      "Authorization: Bearer " RP_CLIENT "\r\n\r\n";
	int fds[40];
	RelayClient *c;
	gint64 last = 0;
	guint64 want;

	post_many(rp, 0, 1200); /* three pages of 500 */
	/* Forty upgrades at once: the relay starts forty catch-ups together. */
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++)
		fds[i] = raw_connect(rp->port);
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++)
		raw_send(fds[i], upgrade, strlen(upgrade));
	want = 1200 * G_N_ELEMENTS(fds);
	for (int round = 0; round < 2000 && relay_metric(session, rp, "wagateway_relay_events_delivered_total") < want;
	     round++)
		for (guint i = 0; i < G_N_ELEMENTS(fds); i++)
			g_free(raw_read(fds[i], 0, 1, NULL));
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_events_delivered_total"), ==, want);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_backlog_reads_peak"), >=, 1);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_backlog_reads_peak"), <=, 4);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_backlog_reads_waiting"), ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++)
		close(fds[i]);
	/* Waiting a turn changes nobody's order. */
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 1200, 20000));
	for (guint k = 0; k < c->frames->len; k++) {
		g_assert_cmpint(relay_frame_id(c->frames->pdata[k]), >, last);
		last = relay_frame_id(c->frames->pdata[k]);
	}
	relay_client_free(c);
	relay_proc_free(rp);
}

static void
on_closed(SoupWebsocketConnection *ws, gpointer data)
{
	*(gboolean *) data = TRUE;
}

/* SIGTERM: followers get 1001 going away, then the relay exits 0. */
static void
test_sigterm_goes_away(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	RelayClient *c = relay_client_connect(session, rp, RP_CLIENT, 0);
	gboolean closed = FALSE;

	g_assert_nonnull(c->ws);
	g_signal_connect(c->ws, "closed", G_CALLBACK(on_closed), &closed);
	g_subprocess_send_signal(rp->proc, SIGTERM);
	for (int i = 0; i < 500 && !closed; i++)
		g_main_context_iteration(NULL, FALSE), g_usleep(10000);
	g_assert_true(closed);
	g_assert_cmpuint(soup_websocket_connection_get_close_code(c->ws), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	relay_client_free(c);
	relay_proc_free(rp);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/limits/timeouts", test_timeouts);
	g_test_add_func("/relay/limits/max-connections", test_max_connections);
	g_test_add_func("/relay/limits/emfile", test_emfile);
	g_test_add_func("/relay/limits/slow-follower", test_slow_follower);
	g_test_add_func("/relay/limits/followers-reset", test_followers_reset);
	g_test_add_func("/relay/limits/many-followers-catch-up", test_many_followers_catch_up);
	g_test_add_func("/relay/limits/sigterm-goes-away", test_sigterm_goes_away);
	return g_test_run();
}
