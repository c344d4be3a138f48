/* The chat commands. Every refusal is decided here from the cached roster,
 * before any vendor call; what passes becomes a job in wag-actions.c. */
#include "wag-plugin.h"
#include "wag-error.h"
#include "wag-phone.h"
#include <string.h>

typedef struct {
	const char *name;
	const char *args;
	PurpleCmdFunc func;
	const char *help;
} WagCmd;

static GSList *registered;

/* ---- parsing ---- */

static gboolean
phone_token(const char *t)
{
	gboolean digit = FALSE;

	if (g_str_has_suffix(t, "@c.us") || g_str_has_suffix(t, "@s.whatsapp.net") ||
	    g_str_has_suffix(t, "@lid") || g_str_has_suffix(t, "@c.us,") || g_str_has_suffix(t, "@lid,"))
		return TRUE;
	for (const char *p = t; *p; p++) {
		if (g_ascii_isdigit(*p))
			digit = TRUE;
		else if (!strchr("+-().,_", *p))
			return FALSE;
	}
	return digit || strcmp(t, ",") == 0;
}

static void
add_piece(const char *piece, GPtrArray *ids, GPtrArray *invalid)
{
	const char *p = piece;
	char *c;

	while (*p == '_') /* bitlbee prefixes nicks that start with a digit */
		p++;
	c = wag_phone_canonical(p);
	if (!c) {
		/* "5544999999999 5544988888888": several phones without commas. */
		g_auto(GStrv) words = g_strsplit_set(p, " \t", -1);
		g_autoptr(GPtrArray) each = g_ptr_array_new_with_free_func(g_free);
		for (char **w = words; *w; w++) {
			char *wc;
			if (!**w)
				continue;
			wc = wag_phone_canonical(*w + strspn(*w, "_"));
			if (!wc) {
				g_ptr_array_add(invalid, g_strdup(piece));
				return;
			}
			g_ptr_array_add(each, wc);
		}
		for (guint i = 0; i < each->len; i++)
			g_ptr_array_add(ids, g_strdup(each->pdata[i]));
		return;
	}
	if (!g_ptr_array_find_with_equal_func(ids, c, g_str_equal, NULL))
		g_ptr_array_add(ids, c);
	else
		g_free(c);
}

/* "PHONE[,PHONE...] [reason]": phones may be written with spaces
 * ("+55 11 99999-9999"); the first word that is not part of a phone starts
 * the reason. */
static void
parse_targets(const char *text, GPtrArray **ids, GPtrArray **invalid, char **reason)
{
	g_auto(GStrv) words = g_strsplit_set(text ? text : "", " \t", -1);
	GString *phones = g_string_new(NULL);
	char **w = words;
	g_auto(GStrv) pieces = NULL;

	*ids = g_ptr_array_new_with_free_func(g_free);
	*invalid = g_ptr_array_new_with_free_func(g_free);
	for (; *w; w++) {
		if (!**w)
			continue;
		/* The first word is a target whatever it looks like, so typos are reported. */
		if (phones->len && !phone_token(*w))
			break;
		g_string_append_printf(phones, "%s ", *w);
	}
	if (reason) {
		GString *r = g_string_new(NULL);
		for (; *w; w++)
			if (**w)
				g_string_append_printf(r, r->len ? " %s" : "%s", *w);
		*reason = g_string_free(r, r->len == 0);
	}
	pieces = g_strsplit(phones->str, ",", -1);
	for (char **p = pieces; *p; p++) {
		g_strstrip(*p);
		if (**p)
			add_piece(*p, *ids, *invalid);
	}
	g_string_free(phones, TRUE);
}

/* ---- pre-flight ---- */

typedef struct {
	WagConn *conn;
	PurpleConversation *conv;
	const char *group;
	WagGroup *g;
} Ctx;

static gboolean
ctx_init(Ctx *c, PurpleConversation *conv)
{
	c->conv = conv;
	c->conn = wag_conn(purple_conversation_get_gc(conv));
	c->group = purple_conversation_get_name(conv);
	c->g = c->conn ? wag_model_lookup(c->conn->model, c->group) : NULL;
	return c->conn != NULL;
}

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

/* The group as far as this account may act on it. */
static gboolean
usable(Ctx *c, gboolean need_admin)
{
	WagParticipant *me;

	if (c->g && c->g->left) {
		say(c, TRUE, _("This account is no longer a participant of this group; nothing was done."));
		return FALSE;
	}
	if (!c->g || !c->g->roster_loaded) {
		say(c, TRUE, _("The participants are still loading; nothing was done. Try again in a moment, or /refresh."));
		return FALSE;
	}
	if (!need_admin || !c->conn->me)
		return TRUE; /* the vendor cannot tell us who we are: it will refuse if need be */
	me = g_hash_table_lookup(c->g->participants, c->conn->me);
	if (!me) {
		say(c, TRUE, _("This account (%s) is not a participant of this group; nothing was done."), c->conn->me);
		return FALSE;
	}
	if (me->role == WAG_ROLE_MEMBER) {
		say(c, TRUE, _("This account is not an admin of this group, and WhatsApp lets only admins do this; nothing was done."));
		return FALSE;
	}
	return TRUE;
}

static void
report_invalid(Ctx *c, GPtrArray *invalid)
{
	for (guint i = 0; i < invalid->len; i++)
		say(c, TRUE, _("\"%s\" is not a phone number; skipped."), (char *) invalid->pdata[i]);
}

/* ---- commands ---- */

static PurpleCmdRet
cmd_kick(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	Ctx c;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) invalid = NULL;
	g_autoptr(GPtrArray) ok = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *reason = NULL;

	if (!ctx_init(&c, conv))
		return PURPLE_CMD_RET_FAILED;
	parse_targets(args && args[0] ? args[0] : NULL, &ids, &invalid, &reason);
	if (!ids->len && !invalid->len) {
		say(&c, TRUE, _("Usage: /kick PHONE[,PHONE...] [reason]"));
		return PURPLE_CMD_RET_OK;
	}
	if (!usable(&c, TRUE))
		return PURPLE_CMD_RET_OK;
	report_invalid(&c, invalid);
	for (guint i = 0; i < ids->len; i++) {
		const char *id = ids->pdata[i];
		WagParticipant *p = g_hash_table_lookup(c.g->participants, id);

		if (c.conn->me && g_str_equal(id, c.conn->me))
			say(&c, TRUE, _("%s is this account: use /leave to leave the group; skipped."), id);
		else if (!p)
			say(&c, TRUE, _("%s is not a participant of this group; skipped."), id);
		else if (p->role == WAG_ROLE_OWNER)
			say(&c, TRUE, _("%s created the group and cannot be removed; skipped."), id);
		else
			g_ptr_array_add(ok, g_strdup(id));
	}
	if (ok->len)
		wag_actions_start(c.conn, WAG_ACTION_REMOVE, c.group, ok, reason);
	return PURPLE_CMD_RET_OK;
}

static gboolean
join_requests_possible(Ctx *c)
{
	if (!c->conn->vendor->has_join_requests) {
		say(c, TRUE, _("%s has no API for join requests; nothing was done."), c->conn->vendor->name);
		return FALSE;
	}
	if (c->g && c->g->is_community) {
		say(c, TRUE, _("Join requests belong to a community's groups: use this in the group's chat."));
		return FALSE;
	}
	return TRUE;
}

static PurpleCmdRet
requests_decide(PurpleConversation *conv, gchar **args, WagAction action)
{
	Ctx c;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) invalid = NULL;
	g_autoptr(GPtrArray) ok = g_ptr_array_new_with_free_func(g_free);

	if (!ctx_init(&c, conv))
		return PURPLE_CMD_RET_FAILED;
	parse_targets(args && args[0] ? args[0] : NULL, &ids, &invalid, NULL);
	if (!ids->len && !invalid->len) {
		say(&c, TRUE, action == WAG_ACTION_APPROVE ? _("Usage: /approve PHONE[,PHONE...]")
		                                           : _("Usage: /decline PHONE[,PHONE...]"));
		return PURPLE_CMD_RET_OK;
	}
	if (!join_requests_possible(&c) || !usable(&c, TRUE))
		return PURPLE_CMD_RET_OK;
	report_invalid(&c, invalid);
	for (guint i = 0; i < ids->len; i++) {
		if (g_hash_table_contains(c.g->participants, ids->pdata[i]))
			say(&c, TRUE, _("%s is already a participant; skipped."), (char *) ids->pdata[i]);
		else
			g_ptr_array_add(ok, g_strdup(ids->pdata[i]));
	}
	if (ok->len)
		wag_actions_start(c.conn, action, c.group, ok, NULL);
	return PURPLE_CMD_RET_OK;
}

static PurpleCmdRet
cmd_decline(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	return requests_decide(conv, args, WAG_ACTION_REJECT);
}

static PurpleCmdRet
cmd_approve(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	return requests_decide(conv, args, WAG_ACTION_APPROVE);
}

static void
show_pending(Ctx *c, gboolean from_webhooks)
{
	GString *s;

	if (!c->g || !c->g->pending->len) {
		say(c, FALSE, from_webhooks ?
		    _("No pending join requests known. %s has no API to list them: this list is kept from its "
		      "webhooks, which reach the plugin through wagateway-relay (relay_url).") :
		    _("No pending join requests."), c->conn->vendor->name);
		return;
	}
	s = g_string_new(NULL);
	g_string_printf(s, _("Pending join requests (%u):"), c->g->pending->len);
	for (guint i = 0; i < c->g->pending->len; i++)
		g_string_append_printf(s, " %s", (char *) c->g->pending->pdata[i]);
	wag_chat_write(c->conv, s->str, FALSE);
	g_string_free(s, TRUE);
}

typedef struct {
	WagConn *conn;
	char *group;
} ListCtx;

static void
list_ctx_free(gpointer data)
{
	ListCtx *l = data;
	g_free(l->group);
	g_free(l);
}

static void
on_requests(WagReply *reply, gpointer data)
{
	ListCtx *l = data;
	Ctx c = { l->conn, wag_chat_find(l->conn, l->group), l->group, wag_model_lookup(l->conn->model, l->group) };
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;

	if (!c.conv || !c.g)
		return;
	if (reply->error || !l->conn->vendor->parse_requests(reply->json, ids, &err)) {
		g_autofree char *safe = wag_http_redact(l->conn->http, (reply->error ? reply->error : err)->message);
		say(&c, TRUE, _("Could not list the join requests: %s"), safe);
		return;
	}
	g_ptr_array_set_size(c.g->pending, 0);
	for (guint i = 0; i < ids->len; i++)
		g_ptr_array_add(c.g->pending, g_strdup(ids->pdata[i]));
	show_pending(&c, FALSE);
}

static PurpleCmdRet
cmd_requests(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	Ctx c;
	ListCtx *l;

	if (!ctx_init(&c, conv))
		return PURPLE_CMD_RET_FAILED;
	if (!join_requests_possible(&c))
		return PURPLE_CMD_RET_OK;
	if (!c.conn->vendor->lists_requests) {
		show_pending(&c, TRUE);
		return PURPLE_CMD_RET_OK;
	}
	l = g_new0(ListCtx, 1);
	l->conn = c.conn;
	l->group = g_strdup(c.group);
	if (!c.g)
		c.g = wag_model_take(c.conn->model, wag_group_new(c.group, NULL));
	wag_conn_send(c.conn, c.conn->vendor->req_requests(&c.conn->creds, c.group), on_requests, l, list_ctx_free);
	return PURPLE_CMD_RET_OK;
}

static PurpleCmdRet
cmd_leave(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	Ctx c;

	if (!ctx_init(&c, conv))
		return PURPLE_CMD_RET_FAILED;
	if (c.g && c.g->is_community) {
		say(&c, TRUE, _("A community is left group by group: use /leave in each group's chat."));
		return PURPLE_CMD_RET_OK;
	}
	if (c.g && c.g->left) {
		say(&c, TRUE, _("This account is no longer a participant of this group; nothing was done."));
		return PURPLE_CMD_RET_OK;
	}
	wag_actions_confirm_leave(c.conn, c.group, FALSE);
	return PURPLE_CMD_RET_OK;
}

static PurpleCmdRet
cmd_unlink(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	Ctx c;
	g_auto(GStrv) pieces = NULL;
	g_autoptr(GPtrArray) ok = g_ptr_array_new_with_free_func(g_free);
	guint ordinary = 0, given = 0;

	if (!ctx_init(&c, conv))
		return PURPLE_CMD_RET_FAILED;
	if (!c.conn->vendor->has_communities) {
		say(&c, TRUE, _("%s has no API for communities; nothing was done."), c.conn->vendor->name);
		return PURPLE_CMD_RET_OK;
	}
	if (!c.g || !c.g->is_community) {
		say(&c, TRUE, _("/unlink works in a community's chat; this is a group."));
		return PURPLE_CMD_RET_OK;
	}
	pieces = g_strsplit(args && args[0] ? args[0] : "", ",", -1);
	for (char **p = pieces; *p; p++) {
		g_strstrip(*p);
		if (!**p)
			continue;
		given++;
		if (g_strcmp0(*p, c.g->announcement_id) == 0)
			say(&c, TRUE, _("%s is the community's announcement group and cannot be unlinked; skipped."), *p);
		else if (!g_ptr_array_find_with_equal_func(c.g->subgroups, *p, g_str_equal, NULL))
			say(&c, TRUE, _("%s is not linked to this community; skipped."), *p);
		else if (!g_ptr_array_find_with_equal_func(ok, *p, g_str_equal, NULL))
			g_ptr_array_add(ok, g_strdup(*p));
	}
	if (!given) {
		say(&c, TRUE, _("Usage: /unlink GROUP[,GROUP...]"));
		return PURPLE_CMD_RET_OK;
	}
	if (!ok->len || !usable(&c, TRUE))
		return PURPLE_CMD_RET_OK;
	for (guint i = 0; i < c.g->subgroups->len; i++)
		ordinary += g_strcmp0(c.g->subgroups->pdata[i], c.g->announcement_id) != 0;
	if (ordinary <= ok->len) {
		say(&c, TRUE, _("A community must keep at least one linked group besides its announcement group: "
		                "unlinking these would leave none, so nothing was done."));
		return PURPLE_CMD_RET_OK;
	}
	wag_actions_start(c.conn, WAG_ACTION_UNLINK, c.group, ok, NULL);
	return PURPLE_CMD_RET_OK;
}

static PurpleCmdRet
cmd_refresh(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error, void *data)
{
	Ctx c;

	if (!ctx_init(&c, conv))
		return PURPLE_CMD_RET_FAILED;
	say(&c, FALSE, _("Reloading the participants."));
	wag_chat_load_roster(c.conn, c.group);
	if (c.conn->vendor->lists_requests && !(c.g && c.g->is_community))
		cmd_requests(conv, cmd, args, error, data);
	return PURPLE_CMD_RET_OK;
}

static const WagCmd commands[] = {
	{ "kick", "s", cmd_kick, N_("kick PHONE[,PHONE...] [reason]: remove participants from this group or community.") },
	{ "decline", "s", cmd_decline, N_("decline PHONE[,PHONE...]: reject pending join requests.") },
	{ "approve", "s", cmd_approve, N_("approve PHONE[,PHONE...]: approve pending join requests.") },
	{ "requests", "", cmd_requests, N_("requests: list pending join requests.") },
	{ "leave", "", cmd_leave, N_("leave: leave this WhatsApp group (asks first).") },
	{ "unlink", "s", cmd_unlink, N_("unlink GROUP[,GROUP...]: unlink groups from this community.") },
	{ "refresh", "", cmd_refresh, N_("refresh: reload the participants (and join requests) from the vendor.") },
};

void
wag_cmds_register(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		PurpleCmdId id = purple_cmd_register(commands[i].name, commands[i].args, PURPLE_CMD_P_PRPL,
			PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_PRPL_ONLY | PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS,
			WAG_PRPL_ID, commands[i].func, _(commands[i].help), NULL);
		registered = g_slist_prepend(registered, GUINT_TO_POINTER(id));
	}
}

void
wag_cmds_unregister(void)
{
	for (GSList *l = registered; l; l = l->next)
		purple_cmd_unregister(GPOINTER_TO_UINT(l->data));
	g_slist_free(registered);
	registered = NULL;
}

gboolean
wag_cmds_run_text(PurpleConversation *conv, const char *message)
{
	g_autofree char *plain = purple_markup_strip_html(message);
	g_autofree char *err = NULL;
	const char *text = plain;
	size_t len;

	while (g_ascii_isspace(*text))
		text++;
	if (*text != '/')
		return FALSE;
	text++;
	len = strcspn(text, " \t");
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strlen(commands[i].name) == len && g_ascii_strncasecmp(text, commands[i].name, len) == 0) {
			g_autofree char *escaped = g_markup_escape_text(text, -1);
			purple_cmd_do_command(conv, text, escaped, &err);
			return TRUE;
		}
	return FALSE;
}
