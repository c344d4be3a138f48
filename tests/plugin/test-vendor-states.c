/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What libpurple shows of issue 15's vendor states and names: a stopped
 * Wawp session is a settings error (no reconnect storm), and a subject
 * WhatsApp would not allow is shown valid and cut. */
#include "fixtures.h"
#include <string.h>

static void
test_wawp_stopped(void)
{
	WagEmu *emu = fx_emu(&fx_wawp);
	PurpleAccount *account;
	PurpleConnectionError reason = 0;
	const char *desc;

	wag_emu_set_state(emu, "STOPPED");
	account = fx_account(emu, &fx_wawp, FX_TOKEN, NULL);
	desc = wag_harness_wait_error(account, &reason, 3000);
	g_assert_nonnull(desc);
	/* Fatal to libpurple: only starting the session in the dashboard helps. */
	g_assert_cmpint(reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
	g_assert_true(purple_connection_error_is_fatal(reason));
	g_assert_nonnull(strstr(desc, "The Wawp session is stopped (STOPPED). Start it in"));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

static void
test_subject_shown(void)
{
	const VendorCase *vc = &fx_zapi;
	const char *group = "120363088888888888-group";
	WagEmu *emu = fx_emu(vc);
	GString *subject = g_string_new("Avisos\ndo ");
	PurpleAccount *account;
	PurpleChat *node;
	const char *name;

	while (subject->len < 300)
		g_string_append(subject, "condomínio ");
	g_string_append(subject, "\xff");
	wag_emu_add_group(emu, group, subject->str);
	account = fx_account(emu, vc, FX_TOKEN, NULL);
	g_assert_true(wag_harness_wait_connected(account, 3000));
	node = fx_wait_chat(account, group);
	g_assert_nonnull(node);
	name = purple_chat_get_name(node);
	g_assert_true(g_utf8_validate(name, -1, NULL));
	g_assert_null(strchr(name, '\n'));
	g_assert_true(g_str_has_prefix(name, "Avisos do condomínio"));
	g_assert_true(g_str_has_suffix(name, "\u2026"));
	g_assert_cmpuint(g_utf8_strlen(name, -1), ==, 101);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	g_string_free(subject, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	g_test_add_func("/plugin/wawp/stopped-is-settings", test_wawp_stopped);
	g_test_add_func("/plugin/zapi/subject-shown-valid-and-cut", test_subject_shown);
	return g_test_run();
}
