/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The store thread hands every answer back to the main thread: a read's
 * callback and its destroy notify (which drops a follower, and with it a
 * SoupWebsocketConnection) never run on the store thread, even while the
 * main loop is between two iterations and its context is free to take.
 * They did (g_main_context_invoke_full() lets any thread acquire a free
 * default context), and a follower closing meanwhile was freed twice. */
#include "relay-store.h"
#include <glib/gstdio.h>

typedef struct {
	GThread *main;
	gint wrong;   /* atomic: callbacks or destroys run elsewhere */
	gint called;  /* atomic */
	gint destroyed;
} Seen;

static void
on_read(GPtrArray *events, gboolean more, gpointer data)
{
	Seen *s = data;
	if (g_thread_self() != s->main)
		g_atomic_int_inc(&s->wrong);
	g_atomic_int_inc(&s->called);
}

static void
on_destroy(gpointer data)
{
	Seen *s = data;
	if (g_thread_self() != s->main)
		g_atomic_int_inc(&s->wrong);
	g_atomic_int_inc(&s->destroyed);
}

static void
test_answers_on_main_thread(void)
{
	g_autofree char *dir = g_dir_make_tmp("relay-store-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "relay.db", NULL);
	g_autoptr(GError) err = NULL;
	RelayStore *store = relay_store_open(path, &err);
	Seen s = { g_thread_self(), 0, 0, 0 };
	enum { N = 50 };

	g_assert_no_error(err);
	for (guint i = 0; i < N; i++) {
		gint64 until;
		/* The main thread does not iterate while the store answers: the
		 * default context is free. The answer must wait for it. */
		relay_store_read(store, g_intern_static_string("a"), 0, 10, on_read, &s, on_destroy);
		until = g_get_monotonic_time() + 20 * G_TIME_SPAN_MILLISECOND;
		while (g_get_monotonic_time() < until && !g_atomic_int_get(&s.wrong))
			g_thread_yield();
		while (g_atomic_int_get(&s.destroyed) < (gint) i + 1)
			g_main_context_iteration(NULL, TRUE);
		g_assert_cmpint(g_atomic_int_get(&s.wrong), ==, 0);
	}
	g_assert_cmpint(s.called, ==, N);
	relay_store_close(store);
	g_unlink(path);
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/relay/store/answers-on-main-thread", test_answers_on_main_thread);
	return g_test_run();
}
