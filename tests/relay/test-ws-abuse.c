/* Followers that lie: one acking everything while reading nothing gets no
 * more than its socket takes (libsoup would queue the whole backlog in the
 * relay's memory otherwise). */
#include "relay-proc.h"
#include "raw-http.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define JSON "application/json"

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

typedef struct {
	int done, ok;
} Posts;

static void
on_posted(GObject *source, GAsyncResult *res, gpointer data)
{
	Posts *p = data;
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), res);
	g_autoptr(GBytes) b = soup_session_send_and_read_finish(SOUP_SESSION(source), res, NULL);
	p->done++;
	p->ok += b && soup_message_get_status(msg) == 200;
}

static void
post_many(RelayProc *rp, guint n)
{
	g_autoptr(SoupSession) s = soup_session_new_with_options("max-conns-per-host", 16, NULL);
	g_autofree char *url = g_strdup_printf("%s/webhook/zapi/%s", rp->base, RP_SECRET);
	Posts p = { 0 };

	for (guint i = 0; i < n; i++) {
		/* Big events (1,000 participants each): the backlog outgrows the
		 * kernel's socket buffers by far. */
		g_autoptr(GString) phones = g_string_new(NULL);
		g_autofree char *ev = NULL;
		for (guint j = 0; j < 1000; j++)
			g_string_append_printf(phones, "%s55449%04u%04u", j ? "\", \"" : "", i, j);
		ev = relay_zapi_webhook("ADD", phones->str);
		g_autoptr(GBytes) b = g_bytes_new(ev, strlen(ev));
		g_autoptr(SoupMessage) msg = soup_message_new("POST", url);
		soup_message_set_request_body_from_bytes(msg, JSON, b);
		soup_session_send_and_read_async(s, msg, G_PRIORITY_DEFAULT, NULL, on_posted, &p);
	}
	while (p.done < (int) n)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpint(p.ok, ==, (int) n);
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

int
main(int argc, char **argv)
{
	int rc;
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/ws/ack-flood", test_ack_flood);
	rc = g_test_run();
	g_object_unref(session);
	return rc;
}
