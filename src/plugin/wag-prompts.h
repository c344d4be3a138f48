/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Request dialogs: asking whether to leave, and join requests. Only
 * purple_request_ok_cancel and purple_request_action: bitlbee answers
 * those (it cannot answer yes/no or field requests).
 * Called by: wag-account.c (when the session asks). Calls: the session's
 * verbs with the answer, wag-chat.c to attach a dialog to its chat. */
#pragma once
#include "wag-conn.h"

WagPrompts *wag_prompts_new(void);
/* Closes what is still open; no answer arrives afterwards. */
void wag_prompts_free(WagConn *conn);

void wag_prompts_leave(WagConn *conn, const char *group, gboolean closing);
void wag_prompts_join(WagConn *conn, const char *group, const char *who);
/* /invitelink reset: OK/Cancel first (the old link stops working). */
void wag_prompts_reset_link(WagConn *conn, const char *group);
