/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The same small world for every plugin test: one group per vendor (and for
 * Z-API a community with a linked group), played by the vendor emulator. */
#pragma once
#include "purple-harness.h"
#include "world.h"

PurpleAccount *fx_account(WagEmu *emu, const VendorCase *vc, const char *token, ...) G_GNUC_NULL_TERMINATED;
/* Waits for the chat node to appear in the buddy list. */
PurpleChat *fx_wait_chat(PurpleAccount *account, const char *id);
/* Logs in and joins vc->group with its roster loaded. */
PurpleConversation *fx_join_group(PurpleAccount *account, const VendorCase *vc, const char *group, guint users);
/* The end of a test: the account removed, the emulator freed, the lines forgotten. */
void fx_finish(PurpleAccount *account, WagEmu *emu);
