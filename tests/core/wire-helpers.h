/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Helpers shared by the issue-15 session tests (test-wire*.c). */
#pragma once
#include "session-view.h"

static inline SvRec *
wire_login(WagEmu *emu, const VendorCase *vc, const WagSessionConfig *config)
{
	WagSessionConfig c = config ? *config : sv_config(emu, vc);
	SvRec *r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	return r;
}
