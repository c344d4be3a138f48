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
	return g_test_run();
}
