/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What writing the /delete history costs the main loop (not a test: it
 * prints, it does not judge): wag_history_save(), the work the debounced
 * timer does on the main loop before the writer thread takes the text,
 * with the most chats the session keeps (5,000) holding the most messages
 * it keeps in all (100,000: 20 each), and with 5,000 chats of 500 typed
 * in (of which it keeps the 200 most recently active).
 * Run: build/tests/bench/bench-history */
#include "wag-history.h"
#include "wag-session-private.h"
#include "wag-store.h"
#include <glib/gstdio.h>

#define GROUPS 5000
#define ROUNDS 20

static int
cmp_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
	return x < y ? -1 : x > y;
}

static void
measure(guint per_group)
{
	WagSession *s = g_new0(WagSession, 1);
	g_autofree char *dir = g_dir_make_tmp("wag-bench-history-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "x.seen", NULL);
	gint64 now = g_get_real_time() / 1000, took[ROUNDS];

	wag_history_init(s, NULL, NULL);
	s->history_path = g_strdup(file);
	for (guint g = 0; g < GROUPS; g++) {
		g_autofree char *group = g_strdup_printf("1203630%011u@g.us", g);
		for (guint i = 0; i < per_group; i++) {
			g_autofree char *id = g_strdup_printf("3EB0%08X%012u", g, i);
			wag_history_remember(s, group, id, "5511999999999", FALSE, now - (per_group - i) * 1000 - g);
		}
	}
	for (guint r = 0; r < ROUNDS; r++) {
		gint64 t0;
		t0 = g_get_monotonic_time();
		wag_history_save(s);
		took[r] = g_get_monotonic_time() - t0;
		wag_store_flush();
	}
	qsort(took, ROUNDS, sizeof took[0], cmp_gint64);
	g_print("wag_history_save, %u chats x %u messages typed in (%u chats, %u messages kept): median %.2f ms, "
	        "max %.2f ms (%u rounds)\n", GROUPS, per_group, g_hash_table_size(s->history), s->history_entries,
	        took[ROUNDS / 2] / 1000.0, took[ROUNDS - 1] / 1000.0, ROUNDS);
	wag_history_stop(s);
	g_free(s);
	g_unlink(file);
	g_rmdir(dir);
}

int
main(void)
{
	measure(20);
	measure(500);
	return 0;
}
