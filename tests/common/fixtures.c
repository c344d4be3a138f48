#include "fixtures.h"
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
fx_assert_no_secret(const char *text)
{
	g_assert_null(strstr(text, FX_TOKEN));
	g_assert_null(strstr(text, FX_CLIENT_TOKEN));
}
