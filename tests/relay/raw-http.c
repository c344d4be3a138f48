/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "raw-http.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
raw_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(connect(fd, (struct sockaddr *) &a, sizeof a), ==, 0);
	return fd;
}

void
raw_send(int fd, const char *bytes, gsize len)
{
	while (len) {
		ssize_t n = send(fd, bytes, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the relay may close early: what it answered is what counts */
		bytes += n;
		len -= (gsize) n;
	}
}

/* Complete responses at the front of text. */
static guint
complete(const char *text, gsize len)
{
	guint n = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *head_end = g_strstr_len(p, end - p, "\r\n\r\n");
		const char *cl;
		gsize body = 0;
		if (!head_end)
			break;
		cl = g_strstr_len(p, head_end - p, "Content-Length: ");
		if (cl)
			body = g_ascii_strtoull(cl + 16, NULL, 10);
		if ((gsize) (end - head_end - 4) < body)
			break;
		p = head_end + 4 + body;
		n++;
	}
	return n;
}

guint
raw_count(const char *text)
{
	return complete(text, strlen(text));
}

char *
raw_read(int fd, guint n, guint timeout_ms, gboolean *closed)
{
	GString *got = g_string_new(NULL);
	gint64 end = g_get_monotonic_time() + (gint64) timeout_ms * 1000;

	if (closed)
		*closed = FALSE;
	while (complete(got->str, got->len) < n || !n) {
		struct pollfd p = { fd, POLLIN, 0 };
		gint64 left = (end - g_get_monotonic_time()) / 1000;
		char buf[16384];
		ssize_t r;
		if (left <= 0 || poll(&p, 1, (int) left) <= 0)
			break;
		r = recv(fd, buf, sizeof buf, 0);
		if (r <= 0) {
			if (closed)
				*closed = TRUE;
			break;
		}
		g_string_append_len(got, buf, r);
	}
	return g_string_free(got, FALSE);
}

char *
raw_exchange(int port, const char *bytes, gssize len, guint n, gboolean *closed)
{
	int fd = raw_connect(port);
	char *got;
	raw_send(fd, bytes, len < 0 ? strlen(bytes) : (gsize) len);
	got = raw_read(fd, n, 5000, closed);
	close(fd);
	return got;
}

guint
raw_status(const char *text, guint i)
{
	const char *p = text;
	for (guint k = 0; p && k <= i; k++) {
		p = strstr(p, "HTTP/1.1 ");
		if (p && k < i)
			p++;
	}
	return p ? (guint) g_ascii_strtoull(p + 9, NULL, 10) : 0;
}

gboolean
raw_wait_closed(int fd, guint timeout_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		gint64 left = (end - g_get_monotonic_time()) / 1000;
		char buf[65536];
		if (left <= 0 || poll(&p, 1, (int) left) <= 0)
			return FALSE;
		if (recv(fd, buf, sizeof buf, 0) <= 0)
			return TRUE;
	}
}
