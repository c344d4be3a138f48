/* Chats: one per group or community, keyed by the vendor's id. Joining shows
 * the chat at once and fills the roster when the vendor answers. */
#include "wag-plugin.h"
#include "wag-error.h"

GList *
wag_chat_info(PurpleConnection *gc)
{
	struct proto_chat_entry *pce = g_new0(struct proto_chat_entry, 1);
	pce->label = _("_Group or community id:");
	pce->identifier = WAG_CHAT_KEY;
	pce->required = TRUE;
	return g_list_append(NULL, pce);
}

GHashTable *
wag_chat_info_defaults(PurpleConnection *gc, const char *name)
{
	GHashTable *defaults = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	if (name)
		g_hash_table_insert(defaults, WAG_CHAT_KEY, g_strdup(name));
	return defaults;
}

char *
wag_get_chat_name(GHashTable *components)
{
	return g_strdup(g_hash_table_lookup(components, WAG_CHAT_KEY));
}

static int
chat_id_for(WagConn *conn, const char *group)
{
	gpointer id;

	if (g_hash_table_lookup_extended(conn->chat_ids, group, NULL, &id))
		return GPOINTER_TO_INT(id);
	id = GINT_TO_POINTER(++conn->next_chat_id);
	g_hash_table_insert(conn->chat_ids, g_strdup(group), id);
	g_hash_table_insert(conn->chat_groups, id, g_strdup(group));
	return GPOINTER_TO_INT(id);
}

const char *
wag_chat_group_of(WagConn *conn, int id)
{
	return g_hash_table_lookup(conn->chat_groups, GINT_TO_POINTER(id));
}

PurpleConversation *
wag_chat_find(WagConn *conn, const char *group)
{
	gpointer id;
	if (!g_hash_table_lookup_extended(conn->chat_ids, group, NULL, &id))
		return NULL;
	return purple_find_chat(conn->gc, GPOINTER_TO_INT(id));
}

void
wag_chat_write(PurpleConversation *conv, const char *text, gboolean error)
{
	g_autofree char *html = g_markup_escape_text(text, -1);
	PurpleMessageFlags flags = PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NO_LINKIFY;

	if (error)
		flags |= PURPLE_MESSAGE_ERROR;
	/* Through write_chat, not write_conv: bitlbee shows only the former
	 * (as a line from "wagateway"); Pidgin shows system lines unnamed. */
	purple_conv_chat_write(PURPLE_CONV_CHAT(conv), "wagateway", html, flags, time(NULL));
}

PurpleConvChatBuddyFlags
wag_chat_role_flags(WagRole role)
{
	switch (role) {
	case WAG_ROLE_OWNER: return PURPLE_CBFLAGS_FOUNDER;
	case WAG_ROLE_ADMIN: return PURPLE_CBFLAGS_OP;
	default: return PURPLE_CBFLAGS_NONE;
	}
}

void
wag_chat_show_roster(WagConn *conn, const char *group)
{
	PurpleConversation *conv = wag_chat_find(conn, group);
	WagGroup *g = wag_model_lookup(conn->model, group);
	g_autoptr(GPtrArray) people = NULL;
	GList *users = NULL, *flags = NULL;
	PurpleConvChat *chat;

	if (!conv || !g)
		return;
	chat = PURPLE_CONV_CHAT(conv);
	if (g->subject)
		purple_conv_chat_set_topic(chat, NULL, g->subject);
	if (!g->roster_loaded)
		return;
	people = wag_group_sorted_participants(g);
	for (guint i = people->len; i > 0; i--) {
		WagParticipant *p = people->pdata[i - 1];
		users = g_list_prepend(users, p->id);
		flags = g_list_prepend(flags, GINT_TO_POINTER(wag_chat_role_flags(p->role)));
	}
	purple_conv_chat_clear_users(chat);
	purple_conv_chat_add_users(chat, users, NULL, flags, FALSE);
	g_list_free(users);
	g_list_free(flags);
	if (g->left)
		wag_chat_write(conv, _("This account is no longer a participant of this group."), TRUE);
}

typedef struct {
	WagConn *conn;
	char *group;     /* the chat */
	char *reading;   /* the group whose data this request reads */
} RosterStep;

static void
roster_step_free(gpointer data)
{
	RosterStep *step = data;
	g_free(step->group);
	g_free(step->reading);
	g_free(step);
}

static RosterStep *
roster_step(WagConn *conn, const char *group, const char *reading)
{
	RosterStep *step = g_new0(RosterStep, 1);
	step->conn = conn;
	step->group = g_strdup(group);
	step->reading = g_strdup(reading);
	return step;
}

static void
roster_failed(WagConn *conn, const char *group, const GError *error)
{
	PurpleConversation *conv = wag_chat_find(conn, group);
	g_autofree char *safe = wag_http_redact(conn->http, error->message);
	g_autofree char *msg = g_strdup_printf(_("Could not load the participants: %s"), safe);

	purple_debug_warning("wagateway", "%s\n", msg);
	if (conv)
		wag_chat_write(conv, msg, TRUE);
	wag_actions_roster_ready(conn, group, FALSE);
}

static WagGroup *
model_group(WagConn *conn, const char *id)
{
	WagGroup *g = wag_model_lookup(conn->model, id);
	return g ? g : wag_model_take(conn->model, wag_group_new(id, NULL));
}

static void
on_group_info(WagReply *reply, gpointer data)
{
	RosterStep *step = data;
	WagConn *conn = step->conn;
	WagGroup *g = model_group(conn, step->reading);
	g_autoptr(GError) err = NULL;

	if (reply->error || !conn->vendor->parse_group_info(reply->json, g, &err)) {
		roster_failed(conn, step->group, reply->error ? reply->error : err);
		return;
	}
	if (g_strcmp0(step->group, step->reading) != 0) {
		/* A community's members are those of its announcement group. */
		WagGroup *c = model_group(conn, step->group);
		GHashTableIter it;
		gpointer v;

		g_hash_table_remove_all(c->participants);
		g_hash_table_iter_init(&it, g->participants);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			WagParticipant *p = v;
			wag_group_add_participant(c, p->id, p->role);
		}
		g_free(c->owner);
		c->owner = g_strdup(g->owner);
		c->roster_loaded = TRUE;
	}
	wag_chat_show_roster(conn, step->group);
	wag_actions_roster_ready(conn, step->group, TRUE);
}

static void
on_community_info(WagReply *reply, gpointer data)
{
	RosterStep *step = data;
	WagConn *conn = step->conn;
	WagGroup *c = model_group(conn, step->group);
	g_autoptr(GError) err = NULL;

	if (reply->error || !conn->vendor->parse_community_info(reply->json, c, &err)) {
		roster_failed(conn, step->group, reply->error ? reply->error : err);
		return;
	}
	wag_model_relink(conn->model, c);
	wag_blist_place_all(conn);
	wag_chat_show_roster(conn, step->group); /* the topic */
	if (!c->announcement_id) {
		PurpleConversation *conv = wag_chat_find(conn, step->group);
		if (conv)
			wag_chat_write(conv, _("This community has no announcement group, so its members cannot be listed."), TRUE);
		return;
	}
	wag_conn_send(conn, conn->vendor->req_group_info(&conn->creds, c->announcement_id),
	              on_group_info, roster_step(conn, step->group, c->announcement_id), roster_step_free);
}

void
wag_chat_load_roster(WagConn *conn, const char *group)
{
	const WagVendor *v = conn->vendor;

	if (v->has_communities && v->is_community_id(group))
		wag_conn_send(conn, v->req_community_info(&conn->creds, group),
		              on_community_info, roster_step(conn, group, group), roster_step_free);
	else
		wag_conn_send(conn, v->req_group_info(&conn->creds, group),
		              on_group_info, roster_step(conn, group, group), roster_step_free);
}

void
wag_chat_open(WagConn *conn, const char *group, gboolean reload)
{
	int id = chat_id_for(conn, group);
	WagGroup *g = wag_model_lookup(conn->model, group);
	PurpleConversation *conv = purple_find_chat(conn->gc, id);

	/* A chat from before a reconnect is still there, marked left: rejoin it. */
	if (conv && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
		return;
	serv_got_joined_chat(conn->gc, id, group);
	/* Usable at once; the roster follows when the vendor answers. */
	wag_chat_show_roster(conn, group);
	if (reload || !g || !g->roster_loaded)
		wag_chat_load_roster(conn, group);
	else
		wag_actions_roster_ready(conn, group, TRUE);
}

void
wag_chat_join(PurpleConnection *gc, GHashTable *components)
{
	WagConn *conn = wag_conn(gc);
	const char *group = g_hash_table_lookup(components, WAG_CHAT_KEY);
	PurpleConversation *conv;

	if (!conn || !group || !*group) {
		purple_notify_error(gc, _("WhatsApp groups"), _("No group id given"),
		                    _("Give the group or community id exactly as the vendor writes it."));
		return;
	}
	conv = wag_chat_find(conn, group);
	if (conv && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv))) {
		purple_conversation_present(conv);
		return;
	}
	/* Without live sync the cache may be older than the group: re-read it.
	 * With it, the model is current and opening costs no vendor call. */
	wag_chat_open(conn, group, !(conn->relay || conn->poll_timer));
}

void
wag_chat_leave(PurpleConnection *gc, int id)
{
	WagConn *conn = wag_conn(gc);
	const char *group = conn ? wag_chat_group_of(conn, id) : NULL;
	WagGroup *g = group ? wag_model_lookup(conn->model, group) : NULL;

	/* Closing the window never leaves the WhatsApp group by itself; with
	 * leave_on_close the user is asked first. */
	if (conn && conn->leave_on_close && group && !(g && (g->is_community || g->left)))
		wag_actions_confirm_leave(conn, group, TRUE);
	serv_got_chat_left(gc, id);
}

int
wag_chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags)
{
	WagConn *conn = wag_conn(gc);
	const char *group = conn ? wag_chat_group_of(conn, id) : NULL;
	PurpleConversation *conv = group ? wag_chat_find(conn, group) : NULL;

	/* Bridges (bitlbee) send "/kick ..." as text: run it as the command. */
	if (conv && wag_cmds_run_text(conv, message))
		return 0;
	if (conv)
		wag_chat_write(conv, _("This account administers the group; it does not send messages. "
		                       "Type /help for the commands."), TRUE);
	return 0;
}
