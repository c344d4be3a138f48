/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Another plugin brings libsoup 2 into the host (loaded RTLD_LOCAL, as
 * libpurple loads plugins) and uses it. Logging in must then refuse with a
 * clear message: creating a libsoup 3 session would clash with libsoup 2's
 * GTypes and take the host down. Built without libsoup 3 in its own global
 * scope, like a real host. */
#include "purple-harness.h"
#include <dlfcn.h>
#include <string.h>

static void
test_refuses_beside_soup2(void)
{
	void *soup2 = dlopen("libsoup-2.4.so.1", RTLD_NOW | RTLD_LOCAL);
	gpointer (*session_new)(void);
	PurpleAccount *account;
	PurpleConnectionError reason = 0;
	const char *err;

	if (!soup2) {
		g_test_skip("libsoup 2 (libsoup2.4-1) is not installed");
		return;
	}
	/* What the other plugin does: its SoupSession type now exists. */
	session_new = (gpointer (*)(void)) dlsym(soup2, "soup_session_new");
	g_assert_nonnull(session_new);
	g_assert_nonnull(session_new());
	g_assert_cmpuint(g_type_from_name("SoupSession"), !=, 0);

	account = wag_harness_account("http://127.0.0.1:9", "zapi", "3C5A9F0E1B2D", "tok-8d1f2a9e77c4", NULL);
	err = wag_harness_wait_error(account, &reason, 3000);
	g_assert_nonnull(err);
	g_assert_nonnull(strstr(err, "libsoup 2"));
	g_assert_cmpint(reason, ==, PURPLE_CONNECTION_ERROR_OTHER_ERROR);
	/* A fatal reason: the host does not retry it in a loop. */
	g_assert_true(purple_connection_error_is_fatal(reason));
	wag_harness_remove_account(account);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	g_test_add_func("/plugin/soup2/refuses-with-a-message", test_refuses_beside_soup2);
	return g_test_run();
}
