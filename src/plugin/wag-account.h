/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Login and close of a PurpleConnection: makes the session from the
 * account's settings and is its view (wag-session.h's WagView).
 * Called by: plugin.c (prpl ops). Calls: the session, and wag-chat.c,
 * wag-blist.c and wag-prompts.c to show what the session reports. */
#pragma once
#include "wag-conn.h"

void wag_account_login(PurpleAccount *account);
void wag_account_close(PurpleConnection *gc);
/* Why this process cannot run the plugin (libsoup 2 is loaded). */
const char *wag_soup2_message(void);
