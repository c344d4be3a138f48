/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The prpl table and the plugin's life cycle; everything else lives one
 * file per concern, each importing only files on lower floors:
 *   plugin.c
 *   wag-account.c (the session's view)   wag-commands.c
 *   wag-prompts.c
 *   wag-chat.c                            wag-blist.c
 * and all of them the core (wag-session.h). */
#include "wag-account.h"
#include "wag-admin-commands.h"
#include "wag-blist.h"
#include "wag-chat.h"
#include "wag-commands.h"
#include "wag-conversation.h"
#include "wag-http.h"
#include "wag-store.h"

static PurplePlugin *wag_plugin_handle;
static guint wag_log_handler;

static const char *
wag_list_icon(PurpleAccount *account, PurpleBuddy *buddy)
{
	return "wagateway";
}

static GList *
wag_status_types(PurpleAccount *account)
{
	GList *types = NULL;
	types = g_list_append(types, purple_status_type_new(PURPLE_STATUS_AVAILABLE, NULL, NULL, TRUE));
	types = g_list_append(types, purple_status_type_new(PURPLE_STATUS_OFFLINE, NULL, NULL, TRUE));
	return types;
}

/* Core messages use g_log; route them into libpurple's debug window. */
static void
wag_log_to_purple(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	PurpleDebugLevel l = PURPLE_DEBUG_INFO;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		l = PURPLE_DEBUG_ERROR;
	else if (level & G_LOG_LEVEL_WARNING)
		l = PURPLE_DEBUG_WARNING;
	else if (level & G_LOG_LEVEL_DEBUG)
		l = PURPLE_DEBUG_MISC;
	purple_debug(l, "wagateway", "%s\n", message);
}

static gboolean
wag_load(PurplePlugin *plugin)
{
	wag_plugin_handle = plugin;
	/* Keep the protocol listed so that logging in says why it cannot work. */
	if (wag_http_soup2_loaded())
		purple_debug_error("wagateway", "%s\n", wag_soup2_message());
	wag_log_handler = g_log_set_handler(G_LOG_DOMAIN,
		G_LOG_LEVEL_MASK & ~(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL), wag_log_to_purple, NULL);
	wag_commands_register();
	return TRUE;
}

static gboolean
wag_unload(PurplePlugin *plugin)
{
	wag_commands_unregister();
	/* The writer thread runs this module's code: let queued writes land
	 * before the module can be unmapped (unload only, never on a live chat). */
	wag_store_flush();
	if (wag_log_handler)
		g_log_remove_handler(G_LOG_DOMAIN, wag_log_handler);
	wag_log_handler = 0;
	return TRUE;
}

static PurplePluginProtocolInfo wag_prpl_info = {
	.options = OPT_PROTO_UNIQUE_CHATNAME,
	.icon_spec = NO_BUDDY_ICONS,
	.list_icon = wag_list_icon,
	.status_types = wag_status_types,
	.chat_info = wag_chat_info,
	.chat_info_defaults = wag_chat_info_defaults,
	.login = wag_account_login,
	.close = wag_account_close,
	.join_chat = wag_chat_join,
	.get_chat_name = wag_get_chat_name,
	.chat_leave = wag_chat_leave,
	.chat_send = wag_commands_chat_send,
	.chat_invite = wag_admin_chat_invite,
	.set_chat_topic = wag_admin_set_chat_topic,
	.roomlist_get_list = wag_roomlist_get_list,
	.roomlist_cancel = wag_roomlist_cancel,
	.get_cb_alias = wag_conversation_alias,
	.roomlist_room_serialize = wag_roomlist_room_serialize,
	.struct_size = sizeof(PurplePluginProtocolInfo),
};

static PurplePluginInfo wag_plugin_info = {
	.magic = PURPLE_PLUGIN_MAGIC,
	.major_version = PURPLE_MAJOR_VERSION,
	.minor_version = PURPLE_MINOR_VERSION,
	.type = PURPLE_PLUGIN_PROTOCOL,
	.priority = PURPLE_PRIORITY_DEFAULT,
	.id = WAG_PRPL_ID,
	.name = "WhatsApp (API gateway)",
	.version = WAG_VERSION,
	.summary = N_("Administer WhatsApp groups through Z-API, Green API or Wawp"),
	.description = N_("Kick, decline, approve, leave and unlink in WhatsApp groups and "
	                  "communities through a hosted WhatsApp HTTP API, with rosters kept "
	                  "in sync by the wagateway-relay webhook listener."),
	.author = "purple-wagateway developers",
	.homepage = "https://github.com/purple-wagateway/purple-wagateway",
	.load = wag_load,
	.unload = wag_unload,
	.extra_info = &wag_prpl_info,
};

static GList *
vendor_choices(void)
{
	GList *l = NULL;
	const WagVendor *const *v = wag_vendors();
	for (guint i = 0; v[i]; i++) {
		PurpleKeyValuePair *kv = g_new0(PurpleKeyValuePair, 1);
		kv->key = g_strdup(v[i]->name);
		kv->value = g_strdup(v[i]->id);
		l = g_list_append(l, kv);
	}
	return l;
}

/* The `messages` option: both (the default, first), read, off. */
static GList *
message_choices(void)
{
	static const char *const ids[] = { "both", "read", "off" };
	const char *names[] = { _("Read and send"), _("Read only"), _("Off (administration only)") };
	GList *l = NULL;
	for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
		PurpleKeyValuePair *kv = g_new0(PurpleKeyValuePair, 1);
		kv->key = g_strdup(names[i]);
		kv->value = g_strdup(ids[i]);
		l = g_list_append(l, kv);
	}
	return l;
}

static void
wag_init(PurplePlugin *plugin)
{
	GList *opts = NULL;
	PurpleAccountOption *o;

	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	wag_plugin_info.summary = _(wag_plugin_info.summary);
	wag_plugin_info.description = _(wag_plugin_info.description);

	/* The option keys are the contract (SPEC.md); bitlbee shows them as-is. */
	opts = g_list_append(opts, purple_account_option_list_new(_("Vendor"), "vendor", vendor_choices()));
	o = purple_account_option_string_new(_("Z-API account security token (Client-Token)"), "client_token", "");
	purple_account_option_set_masked(o, TRUE);
	opts = g_list_append(opts, o);
	opts = g_list_append(opts, purple_account_option_string_new(_("API base URL (empty: vendor default)"), "api_base", ""));
	opts = g_list_append(opts, purple_account_option_string_new(_("Relay URL (ws:// or wss://)"), "relay_url", ""));
	o = purple_account_option_string_new(_("Relay token"), "relay_token", "");
	purple_account_option_set_masked(o, TRUE);
	opts = g_list_append(opts, o);
	opts = g_list_append(opts, purple_account_option_int_new(_("Removals per minute (0: no limit)"), "removals_per_minute", 10));
	opts = g_list_append(opts, purple_account_option_bool_new(_("Closing a chat asks whether to leave the group"), "leave_on_close", FALSE));
	opts = g_list_append(opts, purple_account_option_int_new(_("People added per minute"), "adds_per_minute", WAG_ADDS_PER_MINUTE));
	opts = g_list_append(opts, purple_account_option_int_new(_("Roster poll interval in seconds (Green API; 0: never)"), "poll_seconds", 60));
	opts = g_list_append(opts, purple_account_option_list_new(_("Group messages"), "messages", message_choices()));
	opts = g_list_append(opts, purple_account_option_int_new(_("Messages sent or deleted per minute (0: no limit)"), "messages_per_minute", 20));
	wag_prpl_info.protocol_options = opts;

	purple_prefs_add_none("/plugins/prpl");
	purple_prefs_add_none(WAG_PREFS_ROOT);
	purple_prefs_add_int(WAG_PREF_TIMEOUT, 30);
}

PURPLE_INIT_PLUGIN(wagateway, wag_init, wag_plugin_info)
