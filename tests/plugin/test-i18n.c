/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The plugin speaks the user's language: run under LANGUAGE=pt_BR (see
 * meson.build) with the catalogs just built, and read what a Z-API user in
 * Brazil reads. */
#include "fixtures.h"
#include <libintl.h>
#include <locale.h>
#include <string.h>

static void
test_portuguese(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	PurpleAccount *bad = fx_account(emu, &fx_zapi, "wrong-token-xyz", NULL);
	PurpleAccount *account;
	PurpleConversation *conv;
	const char *desc = wag_harness_wait_error(bad, NULL, 3000);

	/* A connection error, as the account window shows it. */
	g_assert_nonnull(desc);
	g_assert_nonnull(strstr(desc, "Z-API recusou o id da instância ou o token"));
	wag_harness_remove_account(bad);

	/* Refusals and results in the conversation. */
	account = fx_account(emu, &fx_zapi, FX_TOKEN, NULL);
	conv = fx_join_group(account, &fx_zapi, fx_zapi.group, 4);
	wag_harness_command(conv, "kick 5500000000000");
	g_assert_true(wag_harness_wait_line(fx_zapi.group,
		"5500000000000 não é participante deste grupo; ignorado.", 2000));
	wag_harness_command(conv, "kick " FX_MEMBER);
	g_assert_true(wag_harness_wait_line(fx_zapi.group, "Removidos 1 de 1.", 3000));
	/* The English text is not shown beside it. */
	g_assert_cmpuint(wag_harness_count_lines(fx_zapi.group, "Removed 1 of 1."), ==, 0);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

/* The plain groups' folder keeps the name it was first made with: here an
 * account first used in English, now in Portuguese. */
static void
test_folder_keeps_its_name(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	PurpleAccount *account = wag_harness_account(wag_emu_base(emu), "zapi", FX_INSTANCE, FX_TOKEN,
	                                             "client_token", FX_CLIENT_TOKEN,
	                                             "wagateway-folder", "WhatsApp Groups", NULL);
	PurpleChat *chat;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	chat = fx_wait_chat(account, fx_zapi.group);
	g_assert_nonnull(chat);
	g_assert_cmpstr(purple_group_get_name(purple_chat_get_group(chat)), ==, "WhatsApp Groups");
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

/* The leave dialog's buttons in the user's language (bitlbee keeps English). */
static void
test_leave_buttons(void)
{
	WagEmu *emu = fx_emu(&fx_zapi);
	PurpleAccount *account = fx_account(emu, &fx_zapi, FX_TOKEN, NULL);
	PurpleConversation *conv = fx_join_group(account, &fx_zapi, fx_zapi.group, 4);

	wag_harness_command(conv, "leave");
	g_assert_cmpuint(wag_harness_prompts(), ==, 1);
	g_assert_true(wag_harness_answer("Cancelar"));
	g_assert_cmpuint(wag_emu_count(emu, "POST", "leave"), ==, 0);
	wag_harness_remove_account(account);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	const char *catalogs = g_getenv("WAG_LOCALEDIR");

	setlocale(LC_ALL, "");
	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	/* After the plugin bound its installed catalogs: use the built ones. */
	g_assert_nonnull(catalogs);
	bindtextdomain(GETTEXT_PACKAGE, catalogs);
	g_test_add_func("/plugin/i18n/pt_BR", test_portuguese);
	g_test_add_func("/plugin/i18n/folder-keeps-its-name", test_folder_keeps_its_name);
	g_test_add_func("/plugin/i18n/leave-buttons", test_leave_buttons);
	return g_test_run();
}
