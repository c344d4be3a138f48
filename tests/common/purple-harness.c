/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "purple-harness.h"
#include <string.h>

static GString *debug_log;
static GPtrArray *lines;
static GHashTable *errors; /* account -> description */
static GHashTable *error_reasons;

/* ---- event loop on GLib, as nullclient does ---- */

typedef struct {
	PurpleInputFunction function;
	guint result;
	gpointer data;
} IoClosure;

#define READ_COND (G_IO_IN | G_IO_HUP | G_IO_ERR)
#define WRITE_COND (G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL)

static gboolean
io_invoke(GIOChannel *source, GIOCondition condition, gpointer data)
{
	IoClosure *closure = data;
	PurpleInputCondition cond = 0;
	if (condition & READ_COND)
		cond |= PURPLE_INPUT_READ;
	if (condition & WRITE_COND)
		cond |= PURPLE_INPUT_WRITE;
	closure->function(closure->data, g_io_channel_unix_get_fd(source), cond);
	return TRUE;
}

static guint
input_add(gint fd, PurpleInputCondition condition, PurpleInputFunction function, gpointer data)
{
	IoClosure *closure = g_new0(IoClosure, 1);
	GIOChannel *channel;
	GIOCondition cond = 0;

	closure->function = function;
	closure->data = data;
	if (condition & PURPLE_INPUT_READ)
		cond |= READ_COND;
	if (condition & PURPLE_INPUT_WRITE)
		cond |= WRITE_COND;
	channel = g_io_channel_unix_new(fd);
	closure->result = g_io_add_watch_full(channel, G_PRIORITY_DEFAULT, cond, io_invoke, closure, g_free);
	g_io_channel_unref(channel);
	return closure->result;
}

static PurpleEventLoopUiOps loop_ops = {
	g_timeout_add, g_source_remove, input_add, g_source_remove, NULL, g_timeout_add_seconds,
	NULL, NULL, NULL
};

/* ---- captured output ---- */

static void
debug_print(PurpleDebugLevel level, const char *category, const char *arg_s)
{
	g_string_append_printf(debug_log, "%s: %s", category ? category : "", arg_s);
	if (g_getenv("WAG_TEST_DEBUG"))
		g_printerr("%s: %s", category ? category : "", arg_s);
}

static gboolean
debug_enabled(PurpleDebugLevel level, const char *category)
{
	return TRUE;
}

static PurpleDebugUiOps debug_ops = { debug_print, debug_enabled, NULL, NULL, NULL, NULL };

static void
line_free(gpointer p)
{
	WagSeenLine *l = p;
	g_free(l->conv);
	g_free(l->text);
	g_free(l);
}

static void
write_conv(PurpleConversation *conv, const char *name, const char *alias, const char *message,
           PurpleMessageFlags flags, time_t mtime)
{
	WagSeenLine *l = g_new0(WagSeenLine, 1);
	l->conv = g_strdup(purple_conversation_get_name(conv));
	l->text = g_strdup(message);
	l->flags = flags;
	g_ptr_array_add(lines, l);
	if (g_getenv("WAG_TEST_VERBOSE"))
		g_printerr("[%s] %s\n", l->conv, message);
}

static PurpleConversationUiOps conv_ops = { .write_conv = write_conv };

static void
on_connection_error(PurpleConnection *gc, PurpleConnectionError reason, const char *desc, gpointer data)
{
	PurpleAccount *account = purple_connection_get_account(gc);
	g_hash_table_replace(errors, account, g_strdup(desc));
	g_hash_table_replace(error_reasons, account, GINT_TO_POINTER(reason));
}

static gpointer
notify_message(PurpleNotifyMsgType type, const char *title, const char *primary, const char *secondary)
{
	g_string_append_printf(debug_log, "notify: %s: %s: %s\n", title, primary, secondary ? secondary : "");
	return NULL;
}

static PurpleNotifyUiOps notify_ops = { .notify_message = notify_message };

typedef struct {
	char *primary;
	GPtrArray *captions;
	GString *buttons; /* the captions as given, "|" between */
	GPtrArray *callbacks;
	gpointer user_data;
} Prompt;

static GPtrArray *prompts;

static void
prompt_free(gpointer p)
{
	Prompt *r = p;
	g_free(r->primary);
	g_ptr_array_free(r->captions, TRUE);
	g_string_free(r->buttons, TRUE);
	g_ptr_array_free(r->callbacks, TRUE);
	g_free(r);
}

static void *
request_action(const char *title, const char *primary, const char *secondary, int default_action,
               PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data,
               size_t action_count, va_list actions)
{
	Prompt *r = g_new0(Prompt, 1);
	r->primary = g_strdup(primary);
	r->captions = g_ptr_array_new_with_free_func(g_free);
	r->callbacks = g_ptr_array_new();
	r->buttons = g_string_new(NULL);
	r->user_data = user_data;
	for (size_t i = 0; i < action_count; i++) {
		const char *caption = va_arg(actions, const char *);
		GCallback cb = va_arg(actions, GCallback);
		g_ptr_array_add(r->captions, purple_text_strip_mnemonic(caption));
		g_string_append_printf(r->buttons, "%s%s", i ? "|" : "", caption);
		g_ptr_array_add(r->callbacks, cb);
	}
	g_ptr_array_add(prompts, r);
	return r;
}

static void
close_request(PurpleRequestType type, void *ui_handle)
{
	g_ptr_array_remove(prompts, ui_handle);
}

static PurpleRequestUiOps request_ops = { .request_action = request_action, .close_request = close_request };

guint
wag_harness_prompts(void)
{
	return prompts->len;
}

static gboolean
has_prompt(gpointer data)
{
	return prompts->len > 0;
}

gboolean
wag_harness_wait_prompt(guint timeout_ms)
{
	return wag_harness_wait(has_prompt, NULL, timeout_ms);
}

const char *
wag_harness_prompt_text(void)
{
	return prompts->len ? ((Prompt *) prompts->pdata[prompts->len - 1])->primary : NULL;
}

const char *
wag_harness_prompt_buttons(void)
{
	return prompts->len ? ((Prompt *) prompts->pdata[prompts->len - 1])->buttons->str : NULL;
}

gboolean
wag_harness_answer(const char *caption)
{
	Prompt *r;

	if (!prompts->len)
		return FALSE;
	r = prompts->pdata[prompts->len - 1];
	for (guint i = 0; i < r->captions->len; i++)
		if (strstr(r->captions->pdata[i], caption)) {
			((PurpleRequestActionCb) r->callbacks->pdata[i])(r->user_data, i);
			/* As a UI does after running the callback. */
			purple_request_close(PURPLE_REQUEST_ACTION, r);
			return TRUE;
		}
	return FALSE;
}

void
wag_harness_command(PurpleConversation *conv, const char *cmdline)
{
	char *error = NULL;
	g_autofree char *escaped = g_markup_escape_text(cmdline, -1);
	PurpleCmdStatus st = purple_cmd_do_command(conv, cmdline, escaped, &error);
	if (st != PURPLE_CMD_STATUS_OK)
		g_error("command \"%s\" was not run (status %d, %s)", cmdline, st, error ? error : "");
	g_free(error);
}

void
wag_harness_say(PurpleConversation *conv, const char *text)
{
	purple_conv_chat_send(PURPLE_CONV_CHAT(conv), text);
}

typedef struct {
	const char *conv, *needle;
} LineWait;

static gboolean
has_line(gpointer data)
{
	LineWait *w = data;
	return wag_harness_count_lines(w->conv, w->needle) > 0;
}

gboolean
wag_harness_wait_line(const char *conv, const char *needle, guint timeout_ms)
{
	LineWait w = { conv, needle };
	return wag_harness_wait(has_line, &w, timeout_ms);
}

void
wag_harness_clear_lines(void)
{
	g_ptr_array_set_size(lines, 0);
}

void
wag_harness_init(void)
{
	g_autofree char *dir = g_dir_make_tmp("wagtest-XXXXXX", NULL);
	const char *plugindir = g_getenv("WAG_PLUGIN_DIR");

	g_assert_nonnull(dir);
	g_assert_nonnull(plugindir);
	debug_log = g_string_new(NULL);
	lines = g_ptr_array_new_with_free_func(line_free);
	prompts = g_ptr_array_new_with_free_func(prompt_free);
	errors = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	error_reasons = g_hash_table_new(g_direct_hash, g_direct_equal);

	purple_util_set_user_dir(dir);
	purple_debug_set_ui_ops(&debug_ops);
	purple_eventloop_set_ui_ops(&loop_ops);
	purple_conversations_set_ui_ops(&conv_ops);
	purple_notify_set_ui_ops(&notify_ops);
	purple_request_set_ui_ops(&request_ops);
	purple_plugins_add_search_path(plugindir);
	g_assert_true(purple_core_init("wagtest"));
	purple_set_blist(purple_blist_new());
	purple_blist_load();
	purple_prefs_load();
	purple_plugins_load_saved("/wagtest/plugins/loaded");
	g_assert_nonnull(purple_find_prpl("prpl-wagateway"));
	purple_signal_connect(purple_connections_get_handle(), "connection-error", debug_log,
	                      PURPLE_CALLBACK(on_connection_error), NULL);
	/* Tests of timeouts must not wait the default 30 s. */
	purple_prefs_set_int("/plugins/prpl/wagateway/request_timeout", 2);
}

const char *
wag_harness_debug_log(void)
{
	return debug_log->str;
}

guint
wag_harness_count_lines(const char *conv, const char *needle)
{
	guint n = 0;
	for (guint i = 0; i < lines->len; i++) {
		WagSeenLine *l = lines->pdata[i];
		n += (!conv || strcmp(l->conv, conv) == 0) && strstr(l->text, needle) != NULL;
	}
	return n;
}

gboolean
wag_harness_line_has_flag(const char *conv, const char *needle, PurpleMessageFlags flag)
{
	for (guint i = 0; i < lines->len; i++) {
		WagSeenLine *l = lines->pdata[i];
		if ((!conv || strcmp(l->conv, conv) == 0) && strstr(l->text, needle) && (l->flags & flag))
			return TRUE;
	}
	return FALSE;
}

void
wag_harness_set_option(PurpleAccount *account, const char *key, const char *value)
{
	if (strcmp(key, "removals_per_minute") == 0 || strcmp(key, "poll_seconds") == 0 ||
	    strcmp(key, "messages_per_minute") == 0)
		purple_account_set_int(account, key, atoi(value));
	else if (strcmp(key, "leave_on_close") == 0)
		purple_account_set_bool(account, key, strcmp(value, "true") == 0);
	else
		purple_account_set_string(account, key, value);
}

PurpleAccount *
wag_harness_account(const char *api_base, const char *vendor, const char *instance, const char *token, ...)
{
	PurpleAccount *account = purple_account_new(instance, "prpl-wagateway");
	const char *key;
	va_list ap;

	purple_account_set_password(account, token);
	purple_account_set_remember_password(account, TRUE);
	purple_account_set_string(account, "vendor", vendor);
	purple_account_set_string(account, "api_base", api_base);
	va_start(ap, token);
	while ((key = va_arg(ap, const char *)))
		wag_harness_set_option(account, key, va_arg(ap, const char *));
	va_end(ap);
	purple_accounts_add(account);
	g_hash_table_remove(errors, account);
	purple_account_set_enabled(account, "wagtest", TRUE);
	return account;
}

static gboolean
no_connection(gpointer data)
{
	return purple_account_get_connection(data) == NULL;
}

void
wag_harness_remove_account(PurpleAccount *account)
{
	/* A connection error disconnects from an idle callback: let it run
	 * before the account goes, as a UI would. */
	if (g_hash_table_contains(errors, account))
		wag_harness_wait(no_connection, account, 2000);
	g_hash_table_remove(errors, account);
	g_hash_table_remove(error_reasons, account);
	purple_account_set_enabled(account, "wagtest", FALSE);
	purple_accounts_delete(account);
	wag_harness_spin(20);
}

gboolean
wag_harness_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
	while (!cond(data)) {
		if (g_get_monotonic_time() > end)
			return FALSE;
		g_main_context_iteration(NULL, FALSE) || (g_usleep(1000), TRUE);
	}
	return TRUE;
}

static gboolean
never(gpointer data)
{
	return FALSE;
}

void
wag_harness_spin(guint ms)
{
	wag_harness_wait(never, NULL, ms);
}

static gboolean
is_connected(gpointer data)
{
	return purple_account_is_connected(data) || g_hash_table_contains(errors, data);
}

gboolean
wag_harness_wait_connected(PurpleAccount *account, guint timeout_ms)
{
	wag_harness_wait(is_connected, account, timeout_ms);
	if (g_hash_table_contains(errors, account))
		g_test_message("connection error: %s", (char *) g_hash_table_lookup(errors, account));
	return purple_account_is_connected(account);
}

static gboolean
has_error(gpointer data)
{
	return g_hash_table_contains(errors, data);
}

const char *
wag_harness_wait_error(PurpleAccount *account, PurpleConnectionError *reason, guint timeout_ms)
{
	if (!wag_harness_wait(has_error, account, timeout_ms))
		return NULL;
	if (reason)
		*reason = GPOINTER_TO_INT(g_hash_table_lookup(error_reasons, account));
	return g_hash_table_lookup(errors, account);
}

PurpleConversation *
wag_harness_join(PurpleAccount *account, const char *group)
{
	PurpleConnection *gc = purple_account_get_connection(account);
	GHashTable *components = g_hash_table_new(g_str_hash, g_str_equal);
	PurpleConversation *conv;

	g_hash_table_insert(components, "group", (gpointer) group);
	serv_join_chat(gc, components);
	g_hash_table_destroy(components);
	conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, group, account);
	g_assert_nonnull(conv);
	return conv;
}

typedef struct {
	PurpleConversation *conv;
	guint n;
} UsersWait;

static gboolean
has_users(gpointer data)
{
	UsersWait *w = data;
	return g_list_length(purple_conv_chat_get_users(PURPLE_CONV_CHAT(w->conv))) == w->n;
}

gboolean
wag_harness_wait_users(PurpleConversation *conv, guint n, guint timeout_ms)
{
	UsersWait w = { conv, n };
	return wag_harness_wait(has_users, &w, timeout_ms);
}

PurpleConvChatBuddyFlags
wag_harness_flags(PurpleConversation *conv, const char *who)
{
	PurpleConvChatBuddy *cb = purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), who);
	g_assert_nonnull(cb);
	return purple_conv_chat_user_get_flags(PURPLE_CONV_CHAT(conv), who);
}

typedef struct {
	PurpleConversation *conv;
	const char *topic;
} TopicWait;

static gboolean
topic_is(gpointer data)
{
	TopicWait *w = data;
	return g_strcmp0(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(w->conv)), w->topic) == 0;
}

gboolean
wag_harness_wait_topic(PurpleConversation *conv, const char *topic, guint timeout_ms)
{
	TopicWait w = { conv, topic };
	return wag_harness_wait(topic_is, &w, timeout_ms);
}
