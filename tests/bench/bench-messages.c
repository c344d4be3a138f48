/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group-message figures (not a test: it prints, it does not judge).
 * 1,000 `message` events a second streamed into an open chat of 1,024
 * members: latency event sent -> line written in the conversation
 * (p50/p99), the longest main-loop stall, and the plugin's cost per shown
 * message against libpurple's own purple_conv_chat_write() of the same
 * lines. The events come from a stand-in relay (tests/common/fake-relay.c)
 * running on a thread of its own: wagateway-relay does not make `message`
 * events yet, so the relay's own share (webhook -> event) is not in these
 * figures. Run: tests/bench/live.sh [BUILD_DIR] */
#include "fixtures.h"
#include "fake-relay.h"
#include <stdlib.h>
#include <string.h>

#define MEMBERS 1024
#define EVENTS 3000

static GMainContext *relay_ctx;
static FakeRelay *fr;
static gint64 sent_at[EVENTS];
static GArray *latencies;
static guint seen;
static gint64 last_tick, longest_stall;

static gpointer
relay_thread(gpointer data)
{
	GMainLoop *loop;

	g_main_context_push_thread_default(relay_ctx);
	fr = fake_relay_new();
	loop = g_main_loop_new(relay_ctx, FALSE);
	g_main_loop_run(loop);
	return NULL;
}

static gboolean
send_now(gpointer data)
{
	fake_relay_send(fr, data);
	return G_SOURCE_REMOVE;
}

static gboolean burst; /* phase 2: as fast as possible, message ids B2-... */

static gpointer
sender_thread(gpointer data)
{
	gint64 base = g_get_real_time(), start = g_get_monotonic_time();

	for (int i = 0; i < EVENTS; i++) {
		char *json = g_strdup_printf("{\"id\": %" G_GINT64_FORMAT ", \"vendor\": \"zapi\", \"instance\": \"%s\","
			" \"group\": \"%s\", \"kind\": \"message\", \"message_id\": \"B%d-%d\", \"from\": \"55449200%05d\","
			" \"from_name\": \"Member %d\", \"from_me\": false, \"at\": 1732300000000, \"type\": \"text\","
			" \"text\": \"bench %d: a line of ordinary length for a group conversation\", \"mentions\": []}",
			base + i, FX_INSTANCE, fx_zapi.group, burst, i, i % (MEMBERS - 4), i, i);
		gint64 due = start + (gint64) i * 1000;
		while (!burst && g_get_monotonic_time() < due)
			g_usleep(MAX(due - g_get_monotonic_time(), 50));
		/* Read after the event arrives: the hand-over to the relay's context orders it. */
		sent_at[i] = g_get_monotonic_time();
		g_main_context_invoke_full(relay_ctx, G_PRIORITY_DEFAULT, send_now, json, g_free);
	}
	return NULL;
}

static void
on_wrote(PurpleAccount *account, const char *who, const char *message, PurpleConversation *conv,
         PurpleMessageFlags flags, gpointer data)
{
	const char *p = strstr(message, "bench ");
	gint64 now = g_get_monotonic_time();
	int i;

	if (!p)
		return;
	i = atoi(p + 6);
	if (i >= 0 && i < EVENTS) {
		gint64 d = now - sent_at[i];
		g_array_append_val(latencies, d);
		seen++;
	}
}

static gboolean
tick(gpointer data)
{
	gint64 now = g_get_monotonic_time();
	if (last_tick && now - last_tick > longest_stall)
		longest_stall = now - last_tick;
	last_tick = now;
	return G_SOURCE_CONTINUE;
}

static gboolean
all_seen(gpointer data)
{
	return seen >= EVENTS;
}

static gboolean
relay_up(gpointer data)
{
	return fr && fake_relay_clients(fr) > 0;
}

static int
cmp64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
	return x < y ? -1 : x > y;
}

/* Sums "live: applied N events in X us" from the session's debug lines
 * written after from: the whole apply path, the plugin's lines included. */
static void
applied_cost(gsize from, guint64 *events, guint64 *us)
{
	const char *p = wag_harness_debug_log() + from;
	*events = *us = 0;
	while ((p = strstr(p, "live: applied "))) {
		guint64 n = g_ascii_strtoull(p + 14, (char **) &p, 10);
		const char *in = strstr(p, " in ");
		*events += n;
		*us += g_ascii_strtoull(in + 4, (char **) &p, 10);
	}
}

int
main(int argc, char **argv)
{
	const VendorCase *vc = &fx_zapi;
	WagEmu *emu;
	PurpleAccount *account;
	PurpleConversation *conv;
	PurpleConvChat *chat;
	guint64 applied, us;
	gsize log_from;
	gint64 t0, libpurple_us;
	guint ticker;
	GThread *sender;

	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	latencies = g_array_new(FALSE, FALSE, sizeof(gint64));
	relay_ctx = g_main_context_new();
	g_thread_new("relay", relay_thread, NULL);
	while (!g_atomic_pointer_get(&fr))
		g_usleep(1000);
	emu = fx_emu(vc);
	for (int i = 0; i < MEMBERS - 4; i++) {
		char phone[32];
		g_snprintf(phone, sizeof phone, "55449200%05d", i);
		wag_emu_add_participant(emu, vc->group, phone, "member");
	}
	account = fx_account(emu, vc, FX_TOKEN, "relay_url", fake_relay_url(fr), "relay_token", "t",
	                     "messages_per_minute", "0", NULL);
	conv = fx_join_group(account, vc, vc->group, MEMBERS);
	chat = PURPLE_CONV_CHAT(conv);
	if (!wag_harness_wait(relay_up, NULL, 5000))
		g_error("the plugin did not follow the stand-in relay");
	purple_signal_connect(purple_conversations_get_handle(), "wrote-chat-msg", latencies,
	                      PURPLE_CALLBACK(on_wrote), NULL);

	log_from = strlen(wag_harness_debug_log());
	ticker = g_timeout_add(1, tick, NULL);
	sender = g_thread_new("sender", sender_thread, NULL);
	if (!wag_harness_wait(all_seen, NULL, 60000))
		g_printerr("warning: %u of %d messages shown\n", seen, EVENTS);
	g_thread_join(sender);
	g_source_remove(ticker);
	applied_cost(log_from, &applied, &us);
	g_array_sort(latencies, cmp64);
	g_print("messages: %d at 1000/s into an open %d-member chat (stand-in relay on its own thread)\n", EVENTS, MEMBERS);
	g_print("event sent -> line in the conversation: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%u measured)\n",
	        g_array_index(latencies, gint64, latencies->len / 2) / 1000.0,
	        g_array_index(latencies, gint64, latencies->len * 99 / 100) / 1000.0,
	        g_array_index(latencies, gint64, latencies->len - 1) / 1000.0, latencies->len);
	g_print("longest main-loop stall (1 ms ticker): %.2f ms\n", longest_stall / 1000.0);
	g_print("plugin: %" G_GUINT64_FORMAT " messages applied in %" G_GUINT64_FORMAT " us: %.2f us per shown message "
	        "(session + escaping + serv_got_chat_in, ack and saved id included)\n", applied, us,
	        (double) us / MAX(applied, 1));

	/* 2. a burst: sent while the main loop is held, applied 200 per iteration. */
	burst = TRUE;
	seen = 0;
	g_array_set_size(latencies, 0);
	g_thread_join(g_thread_new("burst", sender_thread, NULL));
	g_usleep(500000); /* the stand-in relay's thread writes them all to the socket meanwhile */
	log_from = strlen(wag_harness_debug_log());
	if (!wag_harness_wait(all_seen, NULL, 60000))
		g_printerr("warning: %u of %d burst messages shown\n", seen, EVENTS);
	applied_cost(log_from, &applied, &us);
	g_print("burst: %" G_GUINT64_FORMAT " messages applied in %" G_GUINT64_FORMAT " us: %.2f us per shown message\n",
	        applied, us, (double) us / MAX(applied, 1));

	/* libpurple's own cost of writing the same lines in the same chat. */
	t0 = g_get_monotonic_time();
	for (int i = 0; i < EVENTS; i++) {
		char who[32], text[128];
		g_snprintf(who, sizeof who, "55449200%05d", i % (MEMBERS - 4));
		g_snprintf(text, sizeof text, "bench-ref %d: a line of ordinary length for a group conversation", i);
		purple_conv_chat_write(chat, who, text, PURPLE_MESSAGE_RECV, time(NULL));
	}
	libpurple_us = g_get_monotonic_time() - t0;
	g_print("libpurple purple_conv_chat_write, same lines, same chat: %.2f us per line\n", (double) libpurple_us / EVENTS);
	g_print("ratio plugin (burst)/libpurple: %.2f\n", ((double) us / MAX(applied, 1)) / ((double) libpurple_us / EVENTS));
	return 0;
}
