/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "world.h"
#include <string.h>

const VendorCase fx_zapi = { "zapi", "120363019502650977-group", "120363011111111111-group",
                             "98372465382764532938", "120363099999999999-group", "not connected",
                             "group-metadata", "remove-participant" };
const VendorCase fx_green = { "greenapi", "120363043968066561@g.us", NULL, NULL, NULL, "notAuthorized",
                              "getGroupData", "removeGroupParticipant" };
const VendorCase fx_wawp = { "wawp", "120363055555555555@g.us", NULL, NULL, NULL, "SCAN_QR_CODE",
                             "/participants", "/participants/remove" };
const VendorCase *const fx_vendors[] = { &fx_zapi, &fx_green, &fx_wawp, NULL };

WagEmu *
fx_emu(const VendorCase *vc)
{
	WagEmu *emu = wag_emu_new(vc->vendor, FX_INSTANCE, FX_TOKEN);

	wag_emu_set_me(emu, FX_ME);
	wag_emu_add_group(emu, vc->group, "Bairro Vila Nova");
	wag_emu_add_participant(emu, vc->group, FX_OWNER, "superadmin");
	wag_emu_add_participant(emu, vc->group, FX_ME, "admin");
	wag_emu_add_participant(emu, vc->group, FX_MEMBER, "member");
	wag_emu_add_participant(emu, vc->group, FX_MEMBER2, "member");
	if (vc->community) {
		wag_emu_require_client_token(emu, FX_CLIENT_TOKEN);
		wag_emu_add_community(emu, vc->community, "Condominio Solar", vc->announce);
		wag_emu_add_participant(emu, vc->announce, FX_OWNER, "superadmin");
		wag_emu_add_participant(emu, vc->announce, "5521900000001", "member");
		wag_emu_add_participant(emu, vc->announce, "5521900000002", "member");
		wag_emu_add_participant(emu, vc->announce, FX_ME, "admin");
		wag_emu_add_group(emu, vc->linked, "Solar Bloco A");
		wag_emu_link(emu, vc->community, vc->linked);
		wag_emu_add_participant(emu, vc->linked, "5521900000001", "admin");
	}
	return emu;
}


void
fx_assert_no_secret(const char *text)
{
	g_assert_null(strstr(text, FX_TOKEN));
	g_assert_null(strstr(text, FX_CLIENT_TOKEN));
}
