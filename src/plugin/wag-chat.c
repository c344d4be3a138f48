/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Chats: one per group or community, keyed by the vendor's id. Joining shows
 * the chat at once and fills the roster when the session has it. This file
 * only mirrors: every decision is the session's. */
#include "wag-chat.h"
#include "wag-names.h"
#include "wag-ui.h"
#include <string.h>

struct _WagChats {
	GHashTable *ids;    /* group id -> GINT_TO_POINTER(purple chat id) */
	GHashTable *groups; /* purple chat id -> group id (owned) */
	int next_id;
	/* group id -> the conversation's name when the user joined by title:
	 * bitlbee finds its channel by the name it asked for. */
	GHashTable *conv_names;
	/* group id -> the user's nick in it (bitlbee: the IRC nick), when given. */
	GHashTable *nicks;
};

WagChats *
wag_chats_new(void)
{
	WagChats *chats = g_new0(WagChats, 1);
	chats->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	chats->groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	chats->conv_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	chats->nicks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return chats;
}

void
wag_chats_free(WagChats *chats)
{
	if (!chats)
		return;
	g_hash_table_destroy(chats->ids);
	g_hash_table_destroy(chats->groups);
	g_hash_table_destroy(chats->conv_names);
	g_hash_table_destroy(chats->nicks);
	g_free(chats);
}

GList *
wag_chat_info(PurpleConnection *gc)
{
	struct proto_chat_entry *pce = g_new0(struct proto_chat_entry, 1);
	GList *list;
	pce->label = wag_ui_caption(N_("_Group or community id:"));
	pce->identifier = WAG_CHAT_KEY;
	pce->required = TRUE;
	list = g_list_append(NULL, pce);
	/* Optional: the name the chat shows for you. bitlbee fills it with the
	 * IRC nick, which a line mentioning you then carries (IRC highlights). */
	pce = g_new0(struct proto_chat_entry, 1);
	pce->label = wag_ui_caption(N_("_Your nick in the chat (optional):"));
	pce->identifier = WAG_CHAT_NICK_KEY;
	return g_list_append(list, pce);
}

GHashTable *
wag_chat_info_defaults(PurpleConnection *gc, const char *name)
{
	GHashTable *defaults = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	if (name)
		g_hash_table_insert(defaults, WAG_CHAT_KEY, g_strdup(name));
	return defaults;
}

const char *
wag_chat_nick(WagConn *conn, const char *group)
{
	return g_hash_table_lookup(conn->chats->nicks, group);
}

char *
wag_get_chat_name(GHashTable *components)
{
	return g_strdup(g_hash_table_lookup(components, WAG_CHAT_KEY));
}

static int
chat_id_for(WagConn *conn, const char *group)
{
	WagChats *chats = conn->chats;
	gpointer id;

	if (g_hash_table_lookup_extended(chats->ids, group, NULL, &id))
		return GPOINTER_TO_INT(id);
	id = GINT_TO_POINTER(++chats->next_id);
	g_hash_table_insert(chats->ids, g_strdup(group), id);
	g_hash_table_insert(chats->groups, id, g_strdup(group));
	return GPOINTER_TO_INT(id);
}

const char *
wag_chat_group_of(WagConn *conn, int id)
{
	return g_hash_table_lookup(conn->chats->groups, GINT_TO_POINTER(id));
}

PurpleConversation *
wag_chat_find(WagConn *conn, const char *group)
{
	gpointer id;
	if (!g_hash_table_lookup_extended(conn->chats->ids, group, NULL, &id))
		return NULL;
	return purple_find_chat(conn->gc, GPOINTER_TO_INT(id));
}

PurpleConversation *
wag_chat_find_open(WagConn *conn, const char *group)
{
	PurpleConversation *conv = wag_chat_find(conn, group);
	return conv && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)) ? conv : NULL;
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

/* The vendor's name for a participant: the chat buddy's alias (Pidgin's
 * and Finch's user lists and lines); in bitlbee, which shows chat members
 * by handle only, a buddy's server alias is what becomes the IRC real name
 * (WHOIS) and %full_name in nick_format (its purple.c prplcb_blist_update
 * -> imcb_rename_buddy). */
#define WAG_PEOPLE_FOLDER "WhatsApp people"

static void
show_name(PurpleConversation *conv, const WagParticipant *p)
{
	PurpleConvChatBuddy *cb = purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), p->id);
	PurpleConversationUiOps *ops = purple_conversation_get_ui_ops(conv);
	PurpleConnection *gc = purple_conversation_get_gc(conv);
	PurpleAccount *account = purple_conversation_get_account(conv);

	if (!p->name || !*p->name || !cb)
		return;
	if (g_strcmp0(purple_core_get_ui(), "BitlBee") == 0) {
		PurpleBuddy *b = purple_find_buddy(account, p->id);
		if (!b) {
			PurpleGroup *folder = purple_find_group(WAG_PEOPLE_FOLDER);
			if (!folder) {
				folder = purple_group_new(WAG_PEOPLE_FOLDER);
				purple_blist_add_group(folder, NULL);
			}
			b = purple_buddy_new(account, p->id, NULL);
			purple_blist_add_buddy(b, NULL, folder, NULL);
		}
		if (g_strcmp0(purple_buddy_get_server_alias(b), p->name) != 0)
			serv_got_alias(gc, p->id, p->name);
	}
	if (g_strcmp0(cb->alias, p->name) == 0)
		return;
	g_free(cb->alias);
	cb->alias = g_strdup(p->name);
	g_free(cb->alias_key);
	cb->alias_key = g_utf8_collate_key(p->name, -1);
	if (ops && ops->chat_update_user)
		ops->chat_update_user(conv, p->id);
}

/* Owner = founder, admin = operator. */
static PurpleConvChatBuddyFlags
role_flags(WagRole role)
{
	switch (role) {
	case WAG_ROLE_OWNER: return PURPLE_CBFLAGS_FOUNDER;
	case WAG_ROLE_ADMIN: return PURPLE_CBFLAGS_OP;
	default: return PURPLE_CBFLAGS_NONE;
	}
}

static void
remove_absent(PurpleConvChat *chat, const WagGroup *g)
{
	GList *gone = NULL;

	for (GList *l = purple_conv_chat_get_users(chat); l; l = l->next) {
		const char *name = purple_conv_chat_cb_get_name(l->data);
		if (!g_hash_table_contains(g->participants, name))
			gone = g_list_prepend(gone, g_strdup(name));
	}
	if (gone)
		purple_conv_chat_remove_users(chat, gone, NULL);
	g_list_free_full(gone, g_free);
}

/* Once per chat, when its roster is first shown: how many, and who runs it
 * (IRC users see no ~/@ in bitlbee: its purple module drops the flags). */
static void
summarize(PurpleConversation *conv, WagGroup *g, guint count)
{
	g_autofree char *admins = NULL;
	g_autofree char *line = NULL;

	if (purple_conversation_get_data(conv, "wagateway-summarized"))
		return;
	purple_conversation_set_data(conv, "wagateway-summarized", GINT_TO_POINTER(1));
	admins = wag_group_admins_line(g);
	line = g_strdup_printf(g_dngettext(GETTEXT_PACKAGE, "%u participant. %s", "%u participants. %s", count),
	                       count, admins);
	wag_chat_write(conv, line, FALSE);
}

void
wag_chat_show_roster(WagConn *conn, const char *group)
{
	PurpleConversation *conv = wag_chat_find(conn, group);
	WagGroup *g = wag_conn_group(conn, group);
	g_autoptr(GPtrArray) people = NULL;
	GList *users = NULL, *flags = NULL;
	PurpleConvChat *chat;

	if (!conv || !g)
		return;
	chat = PURPLE_CONV_CHAT(conv);
	if (g->subject) {
		g_autofree char *shown = wag_subject_for_display(g->subject);
		purple_conv_chat_set_topic(chat, NULL, shown);
	}
	if (!g->roster_loaded)
		return;
	people = wag_group_sorted_participants(g);
	/* Only the differences: a re-read must not make everyone PART and
	 * JOIN again (bitlbee, Finch's user list). */
	remove_absent(chat, g);
	for (guint i = people->len; i > 0; i--) {
		WagParticipant *p = people->pdata[i - 1];
		if (purple_conv_chat_find_user(chat, p->id)) {
			purple_conv_chat_user_set_flags(chat, p->id, role_flags(p->role));
			continue;
		}
		users = g_list_prepend(users, p->id);
		flags = g_list_prepend(flags, GINT_TO_POINTER(role_flags(p->role)));
	}
	if (users)
		purple_conv_chat_add_users(chat, users, NULL, flags, FALSE);
	g_list_free(users);
	g_list_free(flags);
	for (guint i = 0; i < people->len; i++)
		show_name(conv, people->pdata[i]);
	summarize(conv, g, people->len);
	if (g->left)
		wag_chat_write(conv, _("This account is no longer a participant of this group."), TRUE);
}

/* TRUE when the chat was (re)joined now. */
static gboolean
join(WagConn *conn, const char *group)
{
	int id = chat_id_for(conn, group);
	PurpleConversation *conv = purple_find_chat(conn->gc, id);
	const char *name = g_hash_table_lookup(conn->chats->conv_names, group);
	const char *nick = g_hash_table_lookup(conn->chats->nicks, group);

	/* A chat from before a reconnect is still there, marked left: rejoin it. */
	if (conv && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
		return FALSE;
	wag_conn_show_me(conn);
	conv = serv_got_joined_chat(conn->gc, id, name ? name : group);
	if (nick && conv)
		purple_conv_chat_set_nick(PURPLE_CONV_CHAT(conv), nick);
	/* Usable at once; the roster follows when the vendor answers. */
	wag_chat_show_roster(conn, group);
	return TRUE;
}

void
wag_chat_open(WagConn *conn, const char *group)
{
	if (join(conn, group))
		wag_session_open_group(conn->session, group);
}

/* What was typed (an id, or a title: bitlbee's `chat add` passes the room
 * list's title) as the group id; NULL after telling the user why. An id
 * with spaces is never sent to the vendor. */
static const char *
resolve_group(WagConn *conn, GHashTable *components, const char *typed)
{
	WagModel *model = wag_session_get_model(conn->session);
	g_autofree char *error = NULL;
	WagGroup *g = wag_model_resolve_group(model, typed, &error);

	if (g)
		return g->id;
	/* An id the listing did not give (not done yet, or cut at its page
	 * limit) may still be right: the vendor says. A title is never sent. */
	if (typed && *typed && !strpbrk(typed, " \t"))
		return typed;
	purple_notify_error(conn->gc, _("WhatsApp groups"), _("No such group"), error);
	purple_serv_got_join_chat_failed(conn->gc, components);
	return NULL;
}

void
wag_chat_join(PurpleConnection *gc, GHashTable *components)
{
	WagConn *conn = wag_conn(gc);
	const char *group = g_hash_table_lookup(components, WAG_CHAT_KEY);
	const char *typed, *nick;
	PurpleConversation *conv;

	if (!conn || !group || !*group) {
		purple_notify_error(gc, _("WhatsApp groups"), _("No group id given"),
		                    _("Give the group or community id exactly as the vendor writes it."));
		return;
	}
	typed = group;
	group = resolve_group(conn, components, group);
	if (!group)
		return;
	nick = g_hash_table_lookup(components, WAG_CHAT_NICK_KEY);
	if (nick && *nick)
		g_hash_table_replace(conn->chats->nicks, g_strdup(group), g_strdup(nick));
	conv = wag_chat_find_open(conn, group);
	if (conv) {
		purple_conversation_present(conv);
		return;
	}
	if (strcmp(typed, group) != 0 && !wag_chat_find(conn, group))
		g_hash_table_replace(conn->chats->conv_names, g_strdup(group), g_strdup(typed));
	wag_chat_open(conn, group);
}

void
wag_chat_leave(PurpleConnection *gc, int id)
{
	WagConn *conn = wag_conn(gc);
	const char *group = conn ? wag_chat_group_of(conn, id) : NULL;

	if (group)
		wag_session_close_group(conn->session, group);
	serv_got_chat_left(gc, id);
}

static PurpleConvChatBuddyFlags
flags_for(const WagGroup *g, const char *id)
{
	WagParticipant *p = g_hash_table_lookup(g->participants, id);
	return p ? role_flags(p->role) : PURPLE_CBFLAGS_NONE;
}

/* This account's own departure is said in words (wag_chat_mark_left, or
 * "You left the group."), not as a roster line naming it by number:
 * libpurple writes "ID left the room" unless a chat-buddy-leaving handler
 * answers that it is quiet. */
static const char *quiet_leaver;

static gboolean
on_buddy_leaving(PurpleConversation *conv, const char *user, const char *reason, gpointer data)
{
	return quiet_leaver && g_strcmp0(user, quiet_leaver) == 0;
}

static void
remove_quietly(WagConn *conn, PurpleConvChat *chat, const char *id)
{
	static gboolean hooked;

	/* The plugin's handle: libpurple drops the handler if it is unloaded. */
	if (!hooked)
		purple_signal_connect(purple_conversations_get_handle(), "chat-buddy-leaving",
		                      purple_connection_get_prpl(conn->gc), PURPLE_CALLBACK(on_buddy_leaving), NULL);
	hooked = TRUE;
	quiet_leaver = id;
	purple_conv_chat_remove_user(chat, id, NULL);
	quiet_leaver = NULL;
}

void
wag_chat_mirror(WagConn *conn, const WagGroup *g, const WagEvent *e)
{
	PurpleConversation *conv = wag_chat_find_open(conn, g->id);
	PurpleConvChat *chat = conv ? PURPLE_CONV_CHAT(conv) : NULL;
	const char *me = wag_session_get_me(conn->session);

	if (!chat)
		return;
	for (guint i = 0; i < e->participants->len; i++) {
		const char *id = e->participants->pdata[i];
		gboolean present = purple_conv_chat_find_user(chat, id);
		g_autofree char *line = NULL;

		switch (e->kind) {
		case WAG_EVENT_ADDED:
			if (!present) {
				WagParticipant *p = g_hash_table_lookup(g->participants, id);
				purple_conv_chat_add_user(chat, id, NULL, flags_for(g, id), TRUE);
				if (p)
					show_name(conv, p);
			}
			break;
		case WAG_EVENT_REMOVED:
		case WAG_EVENT_LEFT:
			if (!present)
				break;
			if (me && g_strcmp0(id, me) == 0) {
				remove_quietly(conn, chat, id);
				break;
			}
			/* libpurple words it "ID left the room (REASON)"; bitlbee makes it a PART. */
			if (e->kind == WAG_EVENT_LEFT)
				line = g_strdup(_("left the group"));
			else if (e->actor)
				line = g_strdup_printf(_("removed by %s"), e->actor);
			else
				line = g_strdup(_("removed"));
			purple_conv_chat_remove_user(chat, id, line);
			break;
		case WAG_EVENT_PROMOTED:
		case WAG_EVENT_DEMOTED:
			if (present)
				purple_conv_chat_user_set_flags(chat, id, flags_for(g, id));
			break;
		default:
			break;
		}
	}
}

void
wag_chat_mark_left(WagConn *conn, const WagGroup *g)
{
	PurpleConversation *conv = wag_chat_find_open(conn, g->id);

	/* After our own /leave the job's "You left the group." is the one line. */
	if (conv && !g->left_by_us)
		wag_chat_write(conv, _("This account is no longer a participant of this group; "
		                       "its commands are refused."), TRUE);
}

void
wag_chat_show_topic(WagConn *conn, const char *group)
{
	PurpleConversation *conv = wag_chat_find_open(conn, group);
	WagGroup *g = wag_conn_group(conn, group);

	if (conv && g && g->subject)
		purple_conv_chat_set_topic(PURPLE_CONV_CHAT(conv), NULL, g->subject);
}

void
wag_chat_write_all(WagConn *conn, const char *text, gboolean error)
{
	GHashTableIter it;
	gpointer group;

	g_hash_table_iter_init(&it, conn->chats->ids);
	while (g_hash_table_iter_next(&it, &group, NULL)) {
		PurpleConversation *conv = wag_chat_find_open(conn, group);
		if (conv)
			wag_chat_write(conv, text, error);
	}
}
