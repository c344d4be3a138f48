/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-ui.h"

/* bitlbee answers a prompt by finding the English "Accept"/"Reject" in its
 * button captions: a translated caption would leave the user no answer.
 * Only Pidgin (UI id "gtk-gaim") turns "_A" into a mnemonic; Finch and
 * bitlbee would print the underscore. */
const char *
wag_ui_caption(const char *msgid)
{
	const char *ui = purple_core_get_ui();
	const char *text = g_strcmp0(ui, "BitlBee") == 0 ? msgid : _(msgid);
	char *plain;
	const char *kept;

	if (g_strcmp0(ui, "gtk-gaim") == 0)
		return text;
	/* Interned: callers keep the caption (a chat-entry label) for good. */
	plain = purple_text_strip_mnemonic(text);
	kept = g_intern_string(plain);
	g_free(plain);
	return kept;
}
