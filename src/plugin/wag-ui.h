/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What differs between the hosts that show this plugin's words.
 * Called by: every adapter that shows a caption or label. Calls: libpurple. */
#pragma once
#include "wag-conn.h"

/* A caption or label with a mnemonic ("_Accept"), as this UI shows it:
 * Pidgin keeps the underscore, Finch and bitlbee get none, bitlbee in English. */
const char *wag_ui_caption(const char *msgid);
