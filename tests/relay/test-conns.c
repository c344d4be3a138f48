/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Every connection ends, whatever state it is in: a chunked body with
 * broken chunk syntax ends its connection (freed, uncounted); a request
 * trickling its body under idle_timeout is cut at body_timeout; and when
 * max_connections is reached, idle kept-alive connections make room; one
 * address cannot hold more than max_connections_per_ip. */
#include "relay-proc.h"
#include "raw-http.h"
#include <string.h>
#include <unistd.h>

static SoupSession *session;

/* Each broken chunk size is answered or not, but the connection is closed,
 * and they leave the connection count (which was the attack: 4,100 of them
 * held max_connections forever). */
static void
test_broken_chunks_close(void)
{
	RelayProc *rp = relay_proc_start("max_connections=4\nheader_timeout=1\nidle_timeout=30\n");
	static const char *const sizes[] = {
		"ffffffffffffffff\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "0x2\r\n{}\r\n0\r\n\r\n",
		"10000000000000002\r\n{}\r\n0\r\n\r\n", "2\n{}\r\n0\r\n\r\n", "2\r\n{}0\r\n\r\n",
	};
	g_autofree char *health = NULL;
	guint status = 0;

	for (guint round = 0; round < 2; round++)
		for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
			g_autofree char *req = g_strdup_printf("GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n%s",
			                                       sizes[i]);
			int fd = raw_connect(rp->port);
			raw_send(fd, req, strlen(req));
			g_assert_true(raw_wait_closed(fd, 5000));
			close(fd);
		}
	/* 12 broken requests through a limit of 4: all gone. */
	health = relay_get(session, rp, "/healthz", &status);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_connections_open"), <=, 1);
	relay_proc_free(rp);
}

/* A body sent a byte at a time, each well within idle_timeout, is cut at
 * body_timeout; no secret is needed to try, so this is what bounds it. */
static void
test_whole_request_deadline(void)
{
	RelayProc *rp = relay_proc_start("header_timeout=5\nidle_timeout=30\nbody_timeout=2\n");
	const char *head = "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
	int fd = raw_connect(rp->port);
	gint64 start = g_get_monotonic_time();
	gboolean closed = FALSE;

	raw_send(fd, head, strlen(head));
	for (guint i = 0; i < 100 && !closed; i++) {
		raw_send(fd, "x", 1);
		closed = raw_wait_closed(fd, 100);
	}
	g_assert_true(closed);
	g_test_message("slow body closed after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time() - start) / 1000);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	close(fd);
	relay_proc_free(rp);
}

/* Full of idle kept-alive connections: a new one is served, the longest
 * idle is closed. */
static void
test_idle_make_room(void)
{
	RelayProc *rp = relay_proc_start("max_connections=3\nidle_timeout=60\n");
	const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	int fds[3], extra;
	g_autofree char *got = NULL;

	for (int i = 0; i < 3; i++) {
		g_autofree char *a = NULL;
		fds[i] = raw_connect(rp->port);
		raw_send(fds[i], req, strlen(req));
		a = raw_read(fds[i], 1, 3000, NULL);
		g_assert_cmpuint(raw_status(a, 0), ==, 200);
	}
	/* libsoup comes back for the next head a moment after its answer;
	 * only then is a connection known idle: poll for that. */
	for (guint i = 0; i < 200; i++) {
		extra = raw_connect(rp->port);
		raw_send(extra, req, strlen(req));
		g_free(got);
		got = raw_read(extra, 1, 3000, NULL);
		if (raw_status(got, 0) == 200)
			break;
		close(extra);
		extra = -1;
		g_usleep(10000);
	}
	g_assert_cmpuint(raw_status(got, 0), ==, 200);
	g_assert_true(raw_wait_closed(fds[0], 3000));
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	close(extra);
	relay_proc_free(rp);
}

/* One address holds at most max_connections_per_ip: the next is refused,
 * and served again once one of its connections is gone. */
static void
test_per_ip_limit(void)
{
	RelayProc *rp = relay_proc_start("max_connections_per_ip=3\nmax_connections=100\n");
	const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	int fds[3];
	guint status = 0;

	for (int i = 0; i < 3; i++)
		fds[i] = raw_connect(rp->port);
	{
		g_autofree char *got = raw_exchange(rp->port, req, -1, 1, NULL);
		g_assert_cmpuint(raw_status(got, 0), ==, 503);
	}
	close(fds[0]);
	for (guint i = 0; i < 200 && status != 200; i++) {
		g_autofree char *got = raw_exchange(rp->port, req, -1, 1, NULL);
		status = raw_status(got, 0);
		if (status != 200)
			g_usleep(10000);
	}
	g_assert_cmpuint(status, ==, 200);
	close(fds[1]);
	close(fds[2]);
	relay_proc_free(rp);
}

int
main(int argc, char **argv)
{
	int rc;
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/conns/broken-chunks-close", test_broken_chunks_close);
	g_test_add_func("/relay/conns/whole-request-deadline", test_whole_request_deadline);
	g_test_add_func("/relay/conns/idle-make-room", test_idle_make_room);
	g_test_add_func("/relay/conns/per-ip-limit", test_per_ip_limit);
	rc = g_test_run();
	g_object_unref(session);
	return rc;
}
