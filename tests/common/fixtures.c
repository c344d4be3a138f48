/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "fixtures.h"
#include <string.h>

PurpleAccount *
fx_account(WagEmu *emu, const VendorCase *vc, const char *token, ...)
{
	PurpleAccount *account = wag_harness_account(wag_emu_base(emu), vc->vendor, FX_INSTANCE, token,
	                                             "client_token", vc->community ? FX_CLIENT_TOKEN : "", NULL);
	const char *key;
	va_list ap;

	/* Extra options apply from the next connection on: set them, then reconnect. */
	va_start(ap, token);
	key = va_arg(ap, const char *);
	if (key) {
		purple_account_disconnect(account);
		for (; key; key = va_arg(ap, const char *))
			wag_harness_set_option(account, key, va_arg(ap, const char *));
		purple_account_connect(account);
	}
	va_end(ap);
	return account;
}

typedef struct {
	PurpleAccount *account;
	const char *id;
} ChatWait;

static gboolean
chat_in_blist(gpointer data)
{
	ChatWait *w = data;
	return purple_blist_find_chat(w->account, w->id) != NULL;
}

PurpleChat *
fx_wait_chat(PurpleAccount *account, const char *id)
{
	ChatWait w = { account, id };
	wag_harness_wait(chat_in_blist, &w, 3000);
	return purple_blist_find_chat(account, id);
}

PurpleConversation *
fx_join_group(PurpleAccount *account, const VendorCase *vc, const char *group, guint users)
{
	PurpleConversation *conv;

	g_assert_true(wag_harness_wait_connected(account, 3000));
	g_assert_nonnull(fx_wait_chat(account, vc->group));
	conv = wag_harness_join(account, group);
	g_assert_true(wag_harness_wait_users(conv, users, 3000));
	return conv;
}

void
fx_finish(PurpleAccount *account, WagEmu *emu)
{
	wag_harness_remove_account(account);
	wag_emu_free(emu);
	wag_harness_clear_lines();
}
