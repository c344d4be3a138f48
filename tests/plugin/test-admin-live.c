/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group administration events through the real relay (issue 18): a Wawp
 * group.v2.update posted to wagateway-relay is stored, streamed and applied,
 * so the chat's topic and /settings follow a change made in WhatsApp. */
#include "fixtures.h"
#include "relay-proc.h"
#include <string.h>

static void
test_group_update(void)
{
	const VendorCase *vc = &fx_wawp;
	SoupSession *http = soup_session_new();
	RelayProc *rp = relay_proc_start(NULL);
	WagEmu *emu = fx_emu(vc);
	g_autofree char *url = g_strdup_printf("ws://127.0.0.1:%d", rp->port);
	PurpleAccount *account = fx_account(emu, vc, FX_TOKEN, "relay_url", url, "relay_token", RP_CLIENT, NULL);
	PurpleConversation *conv = fx_join_group(account, vc, vc->group, 4);
	/* WAHA's documented shape (events-group.v2.update.md) with the fields
	 * group.v2.join names for the settings. */
	g_autofree char *update = g_strdup_printf("{\"event\": \"group.v2.update\", \"instance_id\": \"%s\", \"payload\": "
		"{\"group\": {\"id\": \"%s\", \"subject\": \"Renamed in WhatsApp\", \"membersCanSendMessages\": false}, "
		"\"timestamp\": 1732300000, \"_data\": {}}}", FX_INSTANCE, vc->group);

	wag_harness_spin(300); /* the relay connection comes up after the listing */
	g_assert_cmpuint(relay_post(http, rp, "wawp", RP_SECRET, "application/json", update, NULL), ==, 200);
	g_assert_true(wag_harness_wait_topic(conv, "Renamed in WhatsApp", 3000));
	/* Only the topic changed: the roster is as it was. */
	g_assert_cmpuint(g_list_length(purple_conv_chat_get_users(PURPLE_CONV_CHAT(conv))), ==, 4);
	wag_harness_command(conv, "settings");
	g_assert_true(wag_harness_wait_line(vc->group, "announce (only admins send messages): on;", 1000));
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	relay_proc_free(rp);
	g_object_unref(http);
	wag_harness_clear_lines();
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	wag_harness_init();
	g_test_add_func("/admin-live/wawp/group-update", test_group_update);
	return g_test_run();
}
