/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Each command is parse -> check -> session verb. Every refusal comes from
 * the core's pre-flight checks, before any vendor call. */
#include "wag-commands.h"
#include "wag-admin-commands.h"
#include "wag-chat.h"
#include "wag-conversation.h"
#include "wag-check.h"
#include "wag-names.h"
#include "wag-phone.h"
#include "wag-prompts.h"
#include <string.h>

/* What every command works on: the chat it was typed in. */
typedef struct {
	WagConn *conn;
	WagSession *s;
	PurpleConversation *conv;
	const char *group;
	WagGroup *g;
	const char *arg; /* the whole argument text, or NULL */
} Ctx;

typedef void (*WagCmdFunc)(Ctx *c);

typedef struct {
	const char *name;
	const char *args;
	WagCmdFunc func;
	const char *help;
} WagCmd;

static GSList *registered;

static void
say(Ctx *c, gboolean error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
say(Ctx *c, gboolean error, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	wag_chat_write(c->conv, text, error);
}

/* Shows the check's refusals; TRUE when the job may start. */
static gboolean
told(Ctx *c, WagCheck *check, gboolean go)
{
	for (guint i = 0; i < check->lines->len; i++)
		wag_chat_write(c->conv, check->lines->pdata[i], TRUE);
	return go;
}

static void
refuse(Ctx *c, char *refusal_take)
{
	wag_chat_write(c->conv, refusal_take, TRUE);
	g_free(refusal_take);
}

/* Deletes who's last n (0: all) messages seen in the chat; refusals said. */
static void
purge(Ctx *c, const char *who, guint n)
{
	g_autofree char *refusal = wag_session_delete_messages(c->s, c->group, who, n);
	if (refusal)
		wag_chat_write(c->conv, refusal, TRUE);
}

/* Takes "--purge" out of the arguments; TRUE when it was there. */
static gboolean
take_purge(const char *arg, char **rest)
{
	g_auto(GStrv) words = g_strsplit(arg ? arg : "", " ", -1);
	GString *out = g_string_new(NULL);
	gboolean found = FALSE;

	for (guint i = 0; words[i]; i++) {
		if (strcmp(words[i], "--purge") == 0) {
			found = TRUE;
			continue;
		}
		g_string_append_printf(out, "%s%s", out->len ? " " : "", words[i]);
	}
	*rest = g_string_free(out, FALSE);
	return found;
}

static void
cmd_delete(Ctx *c)
{
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) invalid = NULL;
	g_autofree char *targets = g_strstrip(g_strdup(c->arg ? c->arg : ""));
	g_autofree char *extra = NULL;
	g_autofree char *error = NULL;
	g_autofree char *who = NULL;
	char *last = strrchr(targets, ' ');
	guint64 n = 1;

	/* The count is the last word: "all" or a short number (a phone may
	 * itself be written with spaces, so it is taken off first). */
	if (last && (g_ascii_strcasecmp(last + 1, "all") == 0 ||
	             (strlen(last + 1) <= 4 && g_ascii_string_to_unsigned(last + 1, 10, 1, 9999, &n, NULL)))) {
		if (g_ascii_strcasecmp(last + 1, "all") == 0)
			n = 0;
		*last = '\0';
	}
	/* The participant by name or nick as well as by phone. */
	who = wag_names_rewrite_targets(c->g, targets, &error);
	if (error) {
		say(c, TRUE, "%s", error);
		return;
	}
	wag_phone_parse_targets(who, &ids, &invalid, &extra);
	if (!ids->len || invalid->len || extra) {
		say(c, TRUE, _("Usage: /delete PHONE [N|all]"));
		return;
	}
	for (guint i = 0; i < ids->len; i++)
		purge(c, ids->pdata[i], (guint) n);
}

static void
cmd_kick(Ctx *c)
{
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) invalid = NULL;
	g_autofree char *reason = NULL;
	g_autofree char *rest = NULL;
	gboolean purging = take_purge(c->arg, &rest);
	WagCheck check;

	g_autofree char *error = NULL;
	g_autofree char *arg = wag_names_rewrite_targets(c->g, rest, &error);

	if (error) {
		say(c, TRUE, "%s", error);
		return;
	}
	wag_phone_parse_targets(arg, &ids, &invalid, &reason);
	if (!ids->len && !invalid->len) {
		say(c, TRUE, _("Usage: /kick PHONE[,PHONE...] [reason]"));
		return;
	}
	wag_check_init(&check);
	if (told(c, &check, wag_check_kick(&check, c->g, wag_session_me_in(c->s, c->group), ids, invalid))) {
		/* Their messages first: deleting needs them seen, not present. */
		for (guint i = 0; purging && i < check.ok->len; i++)
			purge(c, check.ok->pdata[i], 0);
		wag_session_start_job(c->s, WAG_ACTION_REMOVE, c->group, check.ok, reason);
	}
	wag_check_clear(&check);
}

/* An /approve or /decline waiting for the queue to be read. */
typedef struct {
	WagConn *conn;
	WagAction action;
	GPtrArray *ids;
	GPtrArray *invalid;
} Decision;

static void
decision_free(Decision *d)
{
	g_ptr_array_unref(d->ids);
	g_ptr_array_unref(d->invalid);
	g_free(d);
}

/* queue_known: g->pending is the vendor's queue (read now, or kept from the
 * relay's webhooks); then only requests in it are answered. */
static void
decide_now(WagConn *conn, PurpleConversation *conv, const char *group, WagAction action,
           GPtrArray *ids, GPtrArray *invalid, gboolean queue_known)
{
	WagSession *s = conn->session;
	WagGroup *g = wag_model_lookup(wag_session_get_model(s), group);
	WagCheck check;
	gboolean go;

	wag_check_init(&check);
	go = wag_check_decide_requests(&check, wag_session_get_vendor(s), g, wag_session_me_in(s, group), ids, invalid);
	if (go && queue_known)
		go = wag_check_requested(&check, g, check.ok);
	for (guint i = 0; i < check.lines->len; i++)
		wag_chat_write(conv, check.lines->pdata[i], TRUE);
	if (go)
		wag_session_start_job(s, action, group, check.ok, NULL);
	wag_check_clear(&check);
}

static void
on_queue_read(WagSession *s, const char *group, const GError *error, gpointer data)
{
	Decision *d = data;
	PurpleConversation *conv = wag_chat_find(d->conn, group);

	if (conv && error)
		wag_chat_write(conv, error->message, TRUE);
	else if (conv)
		decide_now(d->conn, conv, group, d->action, d->ids, d->invalid, TRUE);
}

static void
decide(Ctx *c, WagAction action)
{
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) invalid = NULL;
	const WagVendor *v = wag_session_get_vendor(c->s);
	g_autofree char *error = NULL;
	g_autofree char *arg = wag_names_rewrite_targets(c->g, c->arg, &error);

	if (error) {
		say(c, TRUE, "%s", error);
		return;
	}
	wag_phone_parse_targets(arg, &ids, &invalid, NULL);
	if (!ids->len && !invalid->len) {
		say(c, TRUE, "%s", action == WAG_ACTION_APPROVE ? _("Usage: /approve PHONE[,PHONE...]")
		                                                : _("Usage: /decline PHONE[,PHONE...]"));
		return;
	}
	if (v->lists_requests && v->has_join_requests && c->g && !c->g->is_community && ids->len) {
		Decision *d = g_new0(Decision, 1);
		d->conn = c->conn;
		d->action = action;
		d->ids = g_steal_pointer(&ids);
		d->invalid = g_steal_pointer(&invalid);
		wag_session_list_requests(c->s, c->group, on_queue_read, d, (GDestroyNotify) decision_free);
		return;
	}
	decide_now(c->conn, c->conv, c->group, action, ids, invalid, wag_session_is_live(c->s));
}

static void
cmd_decline(Ctx *c)
{
	decide(c, WAG_ACTION_REJECT);
}

static void
cmd_approve(Ctx *c)
{
	decide(c, WAG_ACTION_APPROVE);
}

static void
show_pending(PurpleConversation *conv, const WagGroup *g, const WagVendor *v, gboolean from_webhooks)
{
	GString *s;
	g_autofree char *none = NULL;

	if (!g || !g->pending->len) {
		none = from_webhooks ?
			g_strdup_printf(_("No pending join requests known. %s has no API to list them: this list is kept from its "
			                  "webhooks, which reach the plugin through wagateway-relay (relay_url)."), v->name) :
			g_strdup(_("No pending join requests."));
		wag_chat_write(conv, none, FALSE);
		return;
	}
	s = g_string_new(NULL);
	g_string_printf(s, _("Pending join requests (%u):"), g->pending->len);
	for (guint i = 0; i < g->pending->len; i++)
		g_string_append_printf(s, " %s", (char *) g->pending->pdata[i]);
	wag_chat_write(conv, s->str, FALSE);
	g_string_free(s, TRUE);
}

static void
on_requests(WagSession *s, const char *group, const GError *error, gpointer data)
{
	WagConn *conn = data;
	PurpleConversation *conv = wag_chat_find(conn, group);

	if (!conv)
		return;
	if (error)
		wag_chat_write(conv, error->message, TRUE);
	else
		show_pending(conv, wag_model_lookup(wag_session_get_model(s), group), wag_session_get_vendor(s), FALSE);
}

static void
cmd_requests(Ctx *c)
{
	const WagVendor *v = wag_session_get_vendor(c->s);
	char *refusal = wag_check_join_requests(v, c->g);

	if (refusal)
		refuse(c, refusal);
	else if (!v->lists_requests)
		show_pending(c->conv, c->g, v, TRUE);
	else
		wag_session_list_requests(c->s, c->group, on_requests, c->conn, NULL);
}

static void
cmd_leave(Ctx *c)
{
	char *refusal = wag_session_propose_leave(c->s, c->group);

	if (refusal)
		refuse(c, refusal);
}

static void
cmd_unlink(Ctx *c)
{
	g_auto(GStrv) pieces = g_strsplit(c->arg ? c->arg : "", ",", -1);
	WagCheck check;

	for (char **p = pieces; *p; p++)
		g_strstrip(*p);
	wag_check_init(&check);
	if (told(c, &check, wag_check_unlink(&check, wag_session_get_vendor(c->s), c->g,
	                                     wag_session_me_in(c->s, c->group), (const char *const *) pieces)))
		wag_session_start_job(c->s, WAG_ACTION_UNLINK, c->group, check.ok, NULL);
	wag_check_clear(&check);
}

static void
cmd_refresh(Ctx *c)
{
	say(c, FALSE, _("Reloading the participants."));
	wag_session_load_roster(c->s, c->group);
	if (wag_session_get_vendor(c->s)->lists_requests && !(c->g && c->g->is_community))
		cmd_requests(c);
}

/* Group administration (issue 18): wag-admin-commands.c. */
#define ADMIN_CMD(name) \
	static void cmd_##name(Ctx *c) { wag_admin_cmd_##name(c->conn, c->conv, c->group, c->arg); }
ADMIN_CMD(add)
ADMIN_CMD(op)
ADMIN_CMD(deop)
ADMIN_CMD(topic)
ADMIN_CMD(description)
ADMIN_CMD(settings)
ADMIN_CMD(invitelink)
ADMIN_CMD(link)
static void
cmd_admins(Ctx *c)
{
	g_autofree char *line = wag_group_admins_line(c->g);

	say(c, FALSE, "%s", line);
}

static void cmd_help(Ctx *c);

static const WagCmd commands[] = {
	{ "kick", "s", cmd_kick, N_("kick PHONE[,PHONE...] [reason]: remove participants from this group or community.") },
	{ "delete", "s", cmd_delete, N_("delete PHONE [N|all]: delete for everyone that participant's last N (default 1) messages seen in this chat.") },
	{ "decline", "s", cmd_decline, N_("decline PHONE[,PHONE...]: reject pending join requests.") },
	{ "approve", "s", cmd_approve, N_("approve PHONE[,PHONE...]: approve pending join requests.") },
	{ "requests", "", cmd_requests, N_("requests: list pending join requests.") },
	{ "leave", "", cmd_leave, N_("leave: leave this WhatsApp group (asks first).") },
	{ "unlink", "s", cmd_unlink, N_("unlink GROUP[,GROUP...]: unlink groups from this community.") },
	{ "refresh", "", cmd_refresh, N_("refresh: reload the participants (and join requests) from the vendor.") },
	{ "add", "s", cmd_add, N_("add PHONE[,PHONE...]: add people to this group (paced; those WhatsApp refuses are named).") },
	{ "op", "s", cmd_op, N_("op PHONE[,PHONE...]: make participants admins.") },
	{ "deop", "s", cmd_deop, N_("deop PHONE[,PHONE...]: take admin rights away (never from the creator).") },
	{ "topic", "s", cmd_topic, N_("topic [TEXT]: show or change the group's subject.") },
	{ "description", "s", cmd_description, N_("description TEXT: change the group's description.") },
	{ "settings", "s", cmd_settings,
	  N_("settings [announce on|off | locked on|off | approval on|off | add admins|all]: show or change the group's settings.") },
	{ "invitelink", "s", cmd_invitelink, N_("invitelink [reset]: show the group's invite link, or revoke it and make a new one (asks first).") },
	{ "link", "s", cmd_link, N_("link GROUP[,GROUP...]: link groups to this community.") },
	{ "admins", "", cmd_admins, N_("admins: list the owner and the admins (IRC shows no ~ or @ for them).") },
	{ "help", "s", cmd_help, N_("help [COMMAND]: list the commands, or say how to use one.") },
};

/* Also typed as channel text: bitlbee passes "/help" to its own help, and
 * its users have only this one (sent as "//help" or "/say /help"). */
static void
cmd_help(Ctx *c)
{
	const char *want = c->arg;

	while (want && (*want == '/' || g_ascii_isspace(*want)))
		want++;
	if (want && *want) {
		for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
			if (g_ascii_strcasecmp(want, commands[i].name) == 0) {
				say(c, FALSE, "/%s", _(commands[i].help));
				return;
			}
		say(c, TRUE, _("No command /%s. /help lists them."), want);
		return;
	}
	say(c, FALSE, "%s", _("Commands (typed in this chat; on IRC send them as text: //help or /say /help):"));
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
		say(c, FALSE, "/%s", _(commands[i].help));
}

/* libpurple's entry for every command: the table row is the data. */
static PurpleCmdRet
dispatch(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	const WagCmd *command = data;
	Ctx c = { 0 };

	c.conv = conv;
	c.conn = wag_conn(purple_conversation_get_gc(conv));
	if (!c.conn)
		return PURPLE_CMD_RET_FAILED;
	c.s = c.conn->session;
	/* The chat's group id: its name is a title when joined by one. */
	c.group = wag_chat_group_of(c.conn, purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)));
	if (!c.group)
		c.group = purple_conversation_get_name(conv);
	c.g = wag_model_lookup(wag_session_get_model(c.s), c.group);
	c.arg = args && args[0] ? args[0] : NULL;
	command->func(&c);
	return PURPLE_CMD_RET_OK;
}

void
wag_commands_register(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		PurpleCmdId id = purple_cmd_register(commands[i].name, commands[i].args, PURPLE_CMD_P_PRPL,
			PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_PRPL_ONLY | PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS,
			WAG_PRPL_ID, dispatch, _(commands[i].help), (gpointer) &commands[i]);
		registered = g_slist_prepend(registered, GUINT_TO_POINTER(id));
	}
}

void
wag_commands_unregister(void)
{
	for (GSList *l = registered; l; l = l->next)
		purple_cmd_unregister(GPOINTER_TO_UINT(l->data));
	g_slist_free(registered);
	registered = NULL;
}

/* Chat text that is a command: "/command ..." runs one of ours ("//help"
 * too: a client that did not take "//" as its escape arrives so). A
 * "/word" naming none (a mistyped "/kik 5544... spam") is refused: as text
 * it would reach everyone in the group. Text, and FALSE, when a space
 * before the '/' says so (" /shrug"), for /me, and for what is no word
 * ("/r/brasil"). */
static gboolean
run_text(PurpleConversation *conv, const char *message)
{
	g_autofree char *plain = purple_markup_strip_html(message);
	g_autofree char *err = NULL;
	g_autofree char *word = NULL;
	g_autofree char *line = NULL;
	const char *text = plain;
	gboolean spaced = g_ascii_isspace(*text);
	size_t len;

	while (g_ascii_isspace(*text))
		text++;
	if (*text != '/')
		return FALSE;
	while (*text == '/')
		text++;
	len = strcspn(text, " \t");
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strlen(commands[i].name) == len && g_ascii_strncasecmp(text, commands[i].name, len) == 0) {
			g_autofree char *escaped = g_markup_escape_text(text, -1);
			purple_cmd_do_command(conv, text, escaped, &err);
			return TRUE;
		}
	for (size_t i = 0; i < len; i++)
		if (!g_ascii_isalpha(text[i]))
			return FALSE;
	if (spaced || !len || (len == 2 && g_ascii_strncasecmp(text, "me", 2) == 0))
		return FALSE;
	word = g_strndup(text, len);
	line = g_strdup_printf(_("\"/%s\" is not a command here; nothing was sent to the group. "
	                         "Type /help for the commands, or start the line with a space "
	                         "to send it as text."), word);
	wag_chat_write(conv, line, TRUE);
	return TRUE;
}

int
wag_commands_chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags)
{
	WagConn *conn = wag_conn(gc);
	const char *group = conn ? wag_chat_group_of(conn, id) : NULL;
	PurpleConversation *conv = group ? wag_chat_find(conn, group) : NULL;

	if (conv && run_text(conv, message))
		return 0;
	/* " /shrug": the space only said "this is text"; it is not sent. */
	if (conv)
		wag_conversation_send(conn, conv, group, message[0] == ' ' && message[1] == '/' ? message + 1 : message);
	return 0;
}
