/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* wag-emu: the vendor emulator as a process, for tests that drive real hosts
 * (bitlbee, Finch, Pidgin). Serves the shared fixture (fixtures.c) for one
 * vendor; prints "port=N" once listening; GET /__requests lists what it got.
 *   wag-emu VENDOR [names]   (names: participants carry the vendor's names) */
#include "fixtures.h"
#include <stdio.h>

int
main(int argc, char **argv)
{
	const VendorCase *vc = NULL;
	GMainLoop *loop;
	WagEmu *emu;

	for (guint i = 0; fx_vendors[i]; i++)
		if (argc > 1 && g_str_equal(argv[1], fx_vendors[i]->vendor))
			vc = fx_vendors[i];
	if (!vc) {
		g_printerr("usage: wag-emu zapi|greenapi|wawp\n");
		return 2;
	}
	emu = fx_emu(vc);
	wag_emu_add_request(emu, vc->group, "5544911111111");
	if (argc > 2 && g_str_equal(argv[2], "names")) {
		wag_emu_set_name(emu, vc->group, FX_OWNER, "Ana Souza");
		wag_emu_set_name(emu, vc->group, FX_MEMBER2, "Carla Dias");
	}
	printf("port=%s\n", strrchr(wag_emu_base(emu), ':') + 1);
	fflush(stdout);
	loop = g_main_loop_new(NULL, FALSE);
	g_main_loop_run(loop);
	return 0;
}
