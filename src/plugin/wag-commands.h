/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The chat commands: parse what was typed, check it (wag-check.h), hand it
 * to the session. Called by: plugin.c (registration, the chat_send prpl op).
 * Calls: the session's verbs, wag-check.h, wag-prompts.c, wag-chat.c. */
#pragma once
#include "wag-conn.h"

void wag_commands_register(void);
void wag_commands_unregister(void);
/* prpl chat_send: bridges (bitlbee) send "/kick ..." as chat text. */
int wag_commands_chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags);
