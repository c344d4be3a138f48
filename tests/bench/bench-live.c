/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Live-sync figures (not a test: it prints, it does not judge).
 * 1. Webhook POST to the relay -> roster change in the plugin: latency
 *    p50/p99 at 1,000 events/s, in a 1,024-member group.
 * 2. The plugin's cost per applied event in that group, against libpurple's
 *    own purple_conv_chat_remove_user for the same users in the same
 *    conversation.
 * Run: tests/bench/live.sh [BUILD_DIR] */
#include "fixtures.h"
#include "relay-proc.h"
#include "wag-http.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MEMBERS 1024
#define EVENTS 3000

/* The vendor is another process: webhooks are posted from a thread of their
 * own, one a millisecond (1,000 events/s), so that the plugin's main loop
 * only does the plugin's work. */
static GMutex sent_lock;
static GHashTable *sent_at;   /* phone -> gint64*, under sent_lock */
static GArray *latencies;     /* gint64 µs */
static RelayProc *rp;
static int next_event;

static void
on_joined(PurpleConversation *conv, const char *name, PurpleConvChatBuddyFlags flags, gboolean new_arrival, gpointer data)
{
	gint64 now = g_get_monotonic_time();
	gint64 *t;

	g_mutex_lock(&sent_lock);
	t = g_hash_table_lookup(sent_at, name);
	if (t) {
		gint64 d = now - *t;
		g_array_append_val(latencies, d);
		g_hash_table_remove(sent_at, name);
	}
	g_mutex_unlock(&sent_lock);
}

/* The poster: keep-alive connections and plain sockets, the way a vendor's
 * HTTP client sends (an HTTP library in this process would be measured too). */
#define POSTER_CONNS 16

static gint in_flight;
static GArray *post_lat;

typedef struct {
	int fd;
	gint64 sent_at; /* 0: idle */
	GString *in;
} PosterConn;

static int
poster_connect(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((guint16) rp->port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	g_assert_cmpint(connect(fd, (struct sockaddr *) &a, sizeof a), ==, 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static void
post_add(PosterConn *c, const char *phone)
{
	g_autofree char *body = g_strdup_printf("{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"%s\","
		" \"phone\": \"%s\", \"participantPhone\": \"%s\", \"momment\": 1732300000000,"
		" \"notification\": \"GROUP_PARTICIPANT_ADD\", \"notificationParameters\": [\"%s\"]}",
		FX_INSTANCE, fx_zapi.group, FX_OWNER, phone);
	g_autofree char *req = g_strdup_printf("POST /webhook/zapi/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", RP_SECRET, strlen(body), body);
	gint64 *t = g_new(gint64, 1);

	g_atomic_int_inc(&in_flight);
	g_mutex_lock(&sent_lock);
	*t = g_get_monotonic_time();
	g_hash_table_insert(sent_at, g_strdup(phone), t);
	g_mutex_unlock(&sent_lock);
	c->sent_at = *t;
	g_assert_cmpint(send(c->fd, req, strlen(req), MSG_NOSIGNAL), ==, (gssize) strlen(req));
}

static gpointer
poster_thread(gpointer data)
{
	PosterConn conns[POSTER_CONNS];
	gint64 start = g_get_monotonic_time();

	for (int i = 0; i < POSTER_CONNS; i++)
		conns[i] = (PosterConn) { poster_connect(), 0, g_string_new(NULL) };
	while (g_atomic_int_get(&next_event) < EVENTS || g_atomic_int_get(&in_flight) > 0) {
		struct pollfd pfd[POSTER_CONNS];
		gint64 now = g_get_monotonic_time();
		gint64 due = (now - start) / 1000 + 1; /* 1,000 a second, caught up if late */
		int wait_ms;

		while (g_atomic_int_get(&next_event) < EVENTS && next_event < due) {
			char phone[32];
			int i;
			for (i = 0; i < POSTER_CONNS && conns[i].sent_at; i++)
				;
			if (i == POSTER_CONNS)
				break; /* all busy: the next free one takes it */
			g_snprintf(phone, sizeof phone, "55449300%05d", next_event);
			post_add(&conns[i], phone);
			g_atomic_int_inc(&next_event);
		}
		for (int i = 0; i < POSTER_CONNS; i++)
			pfd[i] = (struct pollfd) { conns[i].fd, POLLIN, 0 };
		wait_ms = next_event < EVENTS ? 1 : 100;
		if (poll(pfd, POSTER_CONNS, wait_ms) <= 0)
			continue;
		for (int i = 0; i < POSTER_CONNS; i++) {
			char buf[4096];
			gssize n;
			if (!(pfd[i].revents & POLLIN))
				continue;
			n = recv(conns[i].fd, buf, sizeof buf, 0);
			if (n <= 0)
				continue;
			g_string_append_len(conns[i].in, buf, n);
			/* Each answer ends with its two-byte body ("ok"). */
			if (g_str_has_suffix(conns[i].in->str, "\r\n\r\nok")) {
				gint64 d = g_get_monotonic_time() - conns[i].sent_at;
				g_array_append_val(post_lat, d);
				g_string_truncate(conns[i].in, 0);
				conns[i].sent_at = 0;
				g_atomic_int_add(&in_flight, -1);
			}
		}
	}
	for (int i = 0; i < POSTER_CONNS; i++) {
		close(conns[i].fd);
		g_string_free(conns[i].in, TRUE);
	}
	return NULL;
}

/* Posts the removals from another thread while the main loop is held, so
 * they reach the plugin as one burst. */
static gpointer
burst_thread(gpointer data)
{
	g_autoptr(SoupSession) s = wag_http_session_for(rp->base, "timeout", 30, NULL);
	g_autofree char *url = g_strdup_printf("%s/webhook/zapi/%s", rp->base, RP_SECRET);

	for (int i = 0; i < EVENTS; i++) {
		g_autofree char *body = g_strdup_printf("{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"%s\","
			" \"phone\": \"%s\", \"participantPhone\": \"%s\", \"momment\": 1732300000000,"
			" \"notification\": \"GROUP_PARTICIPANT_REMOVE\", \"notificationParameters\": [\"55449300%05d\"]}",
			FX_INSTANCE, fx_zapi.group, FX_OWNER, i);
		g_autoptr(GBytes) b = g_bytes_new(body, strlen(body));
		g_autoptr(SoupMessage) msg = soup_message_new("POST", url);
		g_autoptr(GBytes) reply = NULL;
		soup_message_set_request_body_from_bytes(msg, "application/json", b);
		reply = soup_session_send_and_read(s, msg, NULL, NULL);
	}
	return NULL;
}

static gboolean
burst_applied(gpointer data)
{
	return g_list_length(purple_conv_chat_get_users(PURPLE_CONV_CHAT(data))) <= MEMBERS;
}

static gint
cmp64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
	return x < y ? -1 : x > y;
}

static gboolean
all_seen(gpointer data)
{
	gboolean done;
	g_mutex_lock(&sent_lock);
	done = g_atomic_int_get(&next_event) >= EVENTS && g_hash_table_size(sent_at) == 0;
	g_mutex_unlock(&sent_lock);
	return done;
}

/* Sums "live: applied N events in X us" from the debug log after offset. */
static guint batches;

static void
applied_cost(gsize from, guint64 *events, guint64 *us)
{
	const char *p = wag_harness_debug_log() + from;
	*events = *us = 0;
	batches = 0;
	while ((p = strstr(p, "live: applied "))) {
		unsigned long n, t;
		if (sscanf(p, "live: applied %lu events in %lu us", &n, &t) == 2) {
			*events += n;
			*us += t;
			batches++;
		}
		p++;
	}
}

/* Adds the burst's users to chat, then times their removal one by one. */
static gint64
time_removals(PurpleConvChat *chat)
{
	gint64 t0;

	for (int i = 0; i < EVENTS; i++) {
		char phone[32];
		g_snprintf(phone, sizeof phone, "55449300%05d", i);
		purple_conv_chat_add_user(chat, phone, NULL, PURPLE_CBFLAGS_NONE, FALSE);
	}
	t0 = g_get_monotonic_time();
	for (int i = 0; i < EVENTS; i++) {
		char phone[32];
		g_snprintf(phone, sizeof phone, "55449300%05d", i);
		purple_conv_chat_remove_user(chat, phone, "removed by " FX_OWNER);
	}
	return g_get_monotonic_time() - t0;
}

int
main(int argc, char **argv)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu;
	PurpleAccount *account;
	PurpleConversation *conv, *ref;
	g_autofree char *url = NULL;
	guint64 applied, us;
	gsize log_from;
	gint64 libpurple_us, fresh_us;
	GList *users = NULL, *flags = NULL;
	GThread *poster;

	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	sent_at = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	latencies = g_array_new(FALSE, FALSE, sizeof(gint64));
	post_lat = g_array_new(FALSE, FALSE, sizeof(gint64));
	rp = relay_proc_start(NULL);
	emu = fx_emu(vc);
	for (int i = 0; i < MEMBERS - 4; i++) {
		char phone[32];
		g_snprintf(phone, sizeof phone, "55449200%05d", i);
		wag_emu_add_participant(emu, vc->group, phone, "member");
	}
	url = g_strdup_printf("ws://127.0.0.1:%d", rp->port);
	account = fx_account(emu, vc, FX_TOKEN, "relay_url", url, "relay_token", RP_CLIENT, NULL);
	conv = fx_join_group(account, vc, vc->group, MEMBERS);
	wag_harness_spin(500);
	purple_signal_connect(purple_conversations_get_handle(), "chat-buddy-joined", sent_at,
	                      PURPLE_CALLBACK(on_joined), NULL);

	/* 1. latency at 1,000 events/s */
	log_from = strlen(wag_harness_debug_log());
	poster = g_thread_new("poster", poster_thread, NULL);
	if (!wag_harness_wait(all_seen, NULL, 60000))
		g_printerr("warning: %u events never reached the roster\n", g_hash_table_size(sent_at));
	g_thread_join(poster);
	g_array_sort(latencies, cmp64);
	g_array_sort(post_lat, cmp64);
	applied_cost(log_from, &applied, &us);
	g_print("events: %d webhooks at 1000/s into a %d-member group (relay on loopback, fsync'd)\n", EVENTS, MEMBERS);
	g_print("webhook POST -> roster change: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%u measured)\n",
	        g_array_index(latencies, gint64, latencies->len / 2) / 1000.0,
	        g_array_index(latencies, gint64, latencies->len * 99 / 100) / 1000.0,
	        g_array_index(latencies, gint64, latencies->len - 1) / 1000.0, latencies->len);
	g_print("  of which POST -> 200 (the relay's durable commit): p50 %.2f ms, p99 %.2f ms\n",
	        g_array_index(post_lat, gint64, post_lat->len / 2) / 1000.0,
	        g_array_index(post_lat, gint64, post_lat->len * 99 / 100) / 1000.0);

	g_print("  arriving one at a time: %" G_GUINT64_FORMAT " events applied in %" G_GUINT64_FORMAT " us, "
	        "%.2f us each (a batch of one: ack and saved id included)\n", applied, us, (double) us / MAX(applied, 1));

	/* 2. cost per applied event in a burst (applied 200 per main-loop iteration) */
	g_thread_join(g_thread_new("burst", burst_thread, NULL));
	log_from = strlen(wag_harness_debug_log());
	if (!wag_harness_wait(burst_applied, conv, 60000))
		g_printerr("warning: the burst was not applied in full\n");
	applied_cost(log_from, &applied, &us);
	g_print("burst: %" G_GUINT64_FORMAT " removals applied in %" G_GUINT64_FORMAT " us: %.2f us per event "
	        "(model + roster + line; %u batches)\n", applied, us, (double) us / MAX(applied, 1), batches);
	/* libpurple's own cost for the same removals: the same users re-added to
	 * the same conversation (same sizes, same list behind it), then removed
	 * in the same order with the same reason. */
	libpurple_us = time_removals(PURPLE_CONV_CHAT(conv));
	/* And in a new conversation of the same size, for scale: its user list
	 * is fresh in memory, which makes libpurple's list walk much cheaper. */
	ref = purple_conversation_new(PURPLE_CONV_TYPE_CHAT, account, "bench-reference");
	for (GList *l = purple_conv_chat_get_users(PURPLE_CONV_CHAT(conv)); l; l = l->next) {
		users = g_list_prepend(users, (gpointer) purple_conv_chat_cb_get_name(l->data));
		flags = g_list_prepend(flags, GINT_TO_POINTER(0));
	}
	purple_conv_chat_add_users(PURPLE_CONV_CHAT(ref), users, NULL, flags, FALSE);
	fresh_us = time_removals(PURPLE_CONV_CHAT(ref));
	g_print("libpurple purple_conv_chat_remove_user, same users, same conversation, same sizes: %.2f us per user\n",
	        (double) libpurple_us / EVENTS);
	g_print("  (in a new conversation of the same size: %.2f us per user)\n", (double) fresh_us / EVENTS);
	g_print("ratio plugin/libpurple: %.2f\n", ((double) us / MAX(applied, 1)) / ((double) libpurple_us / EVENTS));
	g_list_free(users);
	g_list_free(flags);
	relay_proc_free(rp);
	return 0;
}
