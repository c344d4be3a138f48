/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Listing the instance's groups and communities into the buddy list and the
 * room list. Nodes are added or moved, never deleted: the user may have made
 * them. At 2,000 groups two things matter: finding a group's node must not
 * walk the list (an index by group id, kept in sync through libpurple's
 * node signals), and placing them all must not hold the host's main loop
 * (slices of a few milliseconds). */
#include "wag-blist.h"

/* A slice ends after this long; the rest waits for the next iteration. */
#define SLICE_US 3000

struct _WagBlist {
	WagConn *conn;
	GHashTable *nodes;        /* group id -> PurpleChat* of this account */
	GPtrArray *placing;       /* group ids still to place (owned), or NULL */
	guint cursor;             /* next index in placing */
	guint idle;               /* the next slice */
	GHashTable *folders;      /* name -> PurpleGroup*, valid during one slice */
	gboolean again;           /* the model changed while placing: start over */
	guint slices;             /* of the current placement, for the debug log */
	gint64 started;
	PurpleRoomlist *roomlist; /* waiting for the listing, or NULL */
};

/* Where we last put a node: if it is elsewhere now, the user moved it. */
#define WAG_BLIST_PLACED "wagateway-placed-in"
/* The name we last gave it: if it differs now, the user renamed it. */
#define WAG_BLIST_NAMED "wagateway-named"

/* ---- the index ---- */

static const char *
node_group_id(WagBlist *b, PurpleBlistNode *node)
{
	PurpleChat *chat;

	if (!PURPLE_BLIST_NODE_IS_CHAT(node))
		return NULL;
	chat = PURPLE_CHAT(node);
	if (purple_chat_get_account(chat) != purple_connection_get_account(b->conn->gc))
		return NULL;
	return g_hash_table_lookup(purple_chat_get_components(chat), WAG_CHAT_KEY);
}

static void
on_node_added(PurpleBlistNode *node, gpointer data)
{
	WagBlist *b = data;
	const char *id = node_group_id(b, node);

	/* The first node for an id wins, as purple_blist_find_chat() would. */
	if (id && !g_hash_table_contains(b->nodes, id))
		g_hash_table_insert(b->nodes, g_strdup(id), node);
}

static void
on_node_removed(PurpleBlistNode *node, gpointer data)
{
	WagBlist *b = data;
	const char *id = node_group_id(b, node);
	PurpleChat *other;

	if (!id || g_hash_table_lookup(b->nodes, id) != node)
		return;
	g_hash_table_remove(b->nodes, id);
	/* The node is out of the tree already; another one for the same group
	 * may remain (rare: the user deleted one of two). */
	other = purple_blist_find_chat(purple_connection_get_account(b->conn->gc), id);
	if (other && PURPLE_BLIST_NODE(other) != node)
		g_hash_table_insert(b->nodes, g_strdup(id), other);
}

WagBlist *
wag_blist_new(WagConn *conn)
{
	WagBlist *b = g_new0(WagBlist, 1);

	b->conn = conn;
	b->nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	b->folders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* One walk at login; afterwards the signals keep the index. */
	for (PurpleBlistNode *n = purple_blist_get_root(); n; n = purple_blist_node_next(n, FALSE))
		on_node_added(n, b);
	purple_signal_connect(purple_blist_get_handle(), "blist-node-added", b,
	                      PURPLE_CALLBACK(on_node_added), b);
	purple_signal_connect(purple_blist_get_handle(), "blist-node-removed", b,
	                      PURPLE_CALLBACK(on_node_removed), b);
	return b;
}

void
wag_blist_free(WagBlist *b)
{
	if (!b)
		return;
	purple_signals_disconnect_by_handle(b);
	if (b->idle)
		g_source_remove(b->idle);
	if (b->roomlist) {
		purple_roomlist_set_in_progress(b->roomlist, FALSE);
		purple_roomlist_unref(b->roomlist);
	}
	if (b->placing)
		g_ptr_array_unref(b->placing);
	g_hash_table_destroy(b->nodes);
	g_hash_table_destroy(b->folders);
	g_free(b);
}

PurpleChat *
wag_blist_find(WagConn *conn, const char *group)
{
	return g_hash_table_lookup(conn->blist->nodes, group);
}

/* ---- placing ---- */

/* The plain groups' folder keeps the name it was first made with: a name
 * that followed the language would move every chat into a new folder when
 * the user switches language. */
#define WAG_BLIST_FOLDER "wagateway-folder"

static const char *
plain_group_name(WagConn *conn)
{
	const char *name = purple_account_get_string(purple_connection_get_account(conn->gc), WAG_BLIST_FOLDER, NULL);

	if (name && *name)
		return name;
	purple_account_set_string(purple_connection_get_account(conn->gc), WAG_BLIST_FOLDER, _("WhatsApp Groups"));
	return purple_account_get_string(purple_connection_get_account(conn->gc), WAG_BLIST_FOLDER, NULL);
}

/* purple_find_group() compares every folder's name with a case-folding
 * collation: remembered for the length of one slice (nothing can delete a
 * folder in the middle of one). */
static PurpleGroup *
blist_group(WagBlist *b, const char *name)
{
	PurpleGroup *g = g_hash_table_lookup(b->folders, name);

	if (g)
		return g;
	g = purple_find_group(name);
	if (!g) {
		g = purple_group_new(name);
		purple_blist_add_group(g, NULL);
	}
	g_hash_table_insert(b->folders, g_strdup(name), g);
	return g;
}

/* The name a node gets from us: the subject, marked once we are out. */
static char *
node_name(const WagGroup *g)
{
	/* Valid UTF-8, no control characters, cut at WhatsApp's 100. */
	g_autofree char *shown = wag_subject_for_display(g->subject);
	const char *subject = shown ? shown : g->id;
	return g->left ? g_strdup_printf(_("%s (no longer a member)"), subject) : g_strdup(subject);
}

static void
place_chat(WagConn *conn, const WagGroup *g, PurpleGroup *target)
{
	PurpleChat *chat = wag_blist_find(conn, g->id);
	g_autofree char *alias = node_name(g);
	PurpleBlistNode *node;
	const char *placed;

	if (!chat) {
		GHashTable *components = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		g_hash_table_insert(components, g_strdup(WAG_CHAT_KEY), g_strdup(g->id));
		chat = purple_chat_new(purple_connection_get_account(conn->gc), alias, components);
		node = PURPLE_BLIST_NODE(chat);
		purple_blist_node_set_bool(node, WAG_BLIST_AUTO, TRUE);
		purple_blist_add_chat(chat, target, NULL); /* indexed by on_node_added() */
		purple_blist_node_set_string(node, WAG_BLIST_PLACED, purple_group_get_name(target));
		purple_blist_node_set_string(node, WAG_BLIST_NAMED, alias);
		return;
	}
	/* Only nodes we made follow the vendor; the user's own stay as they are. */
	node = PURPLE_BLIST_NODE(chat);
	if (!purple_blist_node_get_bool(node, WAG_BLIST_AUTO))
		return;
	placed = purple_blist_node_get_string(node, WAG_BLIST_PLACED);
	if (purple_chat_get_group(chat) != target &&
	    g_strcmp0(placed, purple_group_get_name(purple_chat_get_group(chat))) == 0) {
		purple_blist_add_chat(chat, target, NULL);
		purple_blist_node_set_string(node, WAG_BLIST_PLACED, purple_group_get_name(target));
	}
	/* A name the user gave wins over the subject. */
	if (g_strcmp0(chat->alias, alias) != 0 &&
	    g_strcmp0(chat->alias, purple_blist_node_get_string(node, WAG_BLIST_NAMED)) == 0) {
		purple_blist_alias_chat(chat, alias);
		purple_blist_node_set_string(node, WAG_BLIST_NAMED, alias);
	}
}

static void
place_one(WagConn *conn, WagModel *model, const char *id)
{
	WagGroup *g = wag_model_lookup(model, id);
	WagGroup *c;

	if (!g || g->is_announcement)
		return; /* its roster is the community chat's */
	c = g->is_community ? g : wag_model_lookup(model, g->community_id);
	if (c) {
		g_autofree char *shown = wag_subject_for_display(c->subject);
		place_chat(conn, g, blist_group(conn->blist, shown ? shown : c->id));
	}
	else
		place_chat(conn, g, blist_group(conn->blist, plain_group_name(conn)));
}

/* One slice; FALSE when everything is placed. */
static gboolean
place_slice(WagConn *conn)
{
	WagBlist *b = conn->blist;
	WagModel *model = wag_session_get_model(conn->session);
	gint64 end = g_get_monotonic_time() + SLICE_US;

	g_hash_table_remove_all(b->folders);
	while (b->cursor < b->placing->len) {
		place_one(conn, model, b->placing->pdata[b->cursor++]);
		if (g_get_monotonic_time() >= end) {
			g_hash_table_remove_all(b->folders);
			b->slices++;
			return TRUE;
		}
	}
	g_hash_table_remove_all(b->folders);
	purple_debug_info("wagateway", "buddy list: placed %u groups in %u slices, %" G_GINT64_FORMAT " ms\n",
	                  b->placing->len, b->slices + 1, (g_get_monotonic_time() - b->started) / 1000);
	g_clear_pointer(&b->placing, g_ptr_array_unref);
	return FALSE;
}

/* The picture to place: every group, in the model's order. */
static void
take_picture(WagConn *conn)
{
	WagBlist *b = conn->blist;
	g_autoptr(GPtrArray) groups = wag_model_sorted(wag_session_get_model(conn->session));

	if (b->placing)
		g_ptr_array_unref(b->placing);
	b->placing = g_ptr_array_new_full(groups->len, g_free);
	for (guint i = 0; i < groups->len; i++)
		g_ptr_array_add(b->placing, g_strdup(((WagGroup *) groups->pdata[i])->id));
	b->cursor = 0;
	b->again = FALSE;
}

static gboolean
place_more(gpointer data)
{
	WagConn *conn = data;

	if (conn->blist->again)
		take_picture(conn);
	if (place_slice(conn))
		return G_SOURCE_CONTINUE;
	conn->blist->idle = 0;
	return G_SOURCE_REMOVE;
}

static void
place_all(WagConn *conn)
{
	WagBlist *b = conn->blist;

	/* A burst of changes (a link event each) costs one picture: the
	 * placement under way starts over at its next slice. */
	if (b->idle) {
		b->again = TRUE;
		return;
	}
	take_picture(conn);
	b->slices = 0;
	b->started = g_get_monotonic_time();
	/* The first slice now: a small account is placed before this returns. */
	if (place_slice(conn))
		b->idle = g_idle_add(place_more, conn);
}

void
wag_blist_mark_left(WagConn *conn, const WagGroup *g)
{
	PurpleChat *chat = wag_blist_find(conn, g->id);
	PurpleBlistNode *node = chat ? PURPLE_BLIST_NODE(chat) : NULL;
	g_autofree char *alias = NULL;

	if (!node)
		return;
	purple_blist_node_set_bool(node, "wagateway-left", TRUE);
	/* Only a name we gave is changed; the user's own name stays. */
	if (!purple_blist_node_get_bool(node, WAG_BLIST_AUTO) ||
	    g_strcmp0(chat->alias, purple_blist_node_get_string(node, WAG_BLIST_NAMED)) != 0)
		return;
	alias = node_name(g);
	purple_blist_alias_chat(chat, alias);
	purple_blist_node_set_string(node, WAG_BLIST_NAMED, alias);
}

/* ---- the room list ---- */

static void
roomlist_fill(WagConn *conn, PurpleRoomlist *list)
{
	WagModel *model = wag_session_get_model(conn->session);
	g_autoptr(GPtrArray) groups = wag_model_sorted(model);

	for (guint i = 0; i < groups->len; i++) {
		WagGroup *g = groups->pdata[i];
		WagGroup *c = wag_model_lookup(model, g->community_id);
		PurpleRoomlistRoom *room;
		g_autofree char *shown = NULL;
		g_autofree char *community = NULL;

		if (g->is_announcement)
			continue;
		shown = wag_subject_for_display(g->subject);
		community = c ? wag_subject_for_display(c->subject) : NULL;
		room = purple_roomlist_room_new(PURPLE_ROOMLIST_ROOMTYPE_ROOM, shown ? shown : g->id, NULL);
		purple_roomlist_room_add_field(list, room, g->id);
		purple_roomlist_room_add_field(list, room, g->is_community ? _("Community") : _("Group"));
		purple_roomlist_room_add_field(list, room, c ? (community ? community : c->id) : "");
		purple_roomlist_room_add_field(list, room, shown ? shown : "");
		purple_roomlist_room_add(list, room);
	}
	purple_roomlist_set_in_progress(list, FALSE);
}

void
wag_blist_groups_changed(WagConn *conn, gboolean complete)
{
	WagBlist *b = conn->blist;

	place_all(conn);
	if (complete && b->roomlist) {
		roomlist_fill(conn, b->roomlist);
		purple_roomlist_unref(b->roomlist);
		b->roomlist = NULL;
	}
}

PurpleRoomlist *
wag_roomlist_get_list(PurpleConnection *gc)
{
	WagConn *conn = wag_conn(gc);
	PurpleRoomlist *list = purple_roomlist_new(purple_connection_get_account(gc));
	GList *fields = NULL;

	fields = g_list_append(fields, purple_roomlist_field_new(PURPLE_ROOMLIST_FIELD_STRING, "", WAG_CHAT_KEY, TRUE));
	fields = g_list_append(fields, purple_roomlist_field_new(PURPLE_ROOMLIST_FIELD_STRING, _("Type"), "type", FALSE));
	fields = g_list_append(fields, purple_roomlist_field_new(PURPLE_ROOMLIST_FIELD_STRING, _("Community"), "community", FALSE));
	/* bitlbee's `chat list` prints a title (roomlist_room_serialize: the id,
	 * which `chat add ACCOUNT !N` then joins) and the field named "topic",
	 * hidden or not: the subject. Hidden, so Pidgin shows it once. */
	fields = g_list_append(fields, purple_roomlist_field_new(PURPLE_ROOMLIST_FIELD_STRING, "", "topic", TRUE));
	purple_roomlist_set_fields(list, fields);
	if (wag_session_is_synced(conn->session)) {
		roomlist_fill(conn, list);
	} else {
		purple_roomlist_set_in_progress(list, TRUE);
		if (conn->blist->roomlist)
			purple_roomlist_unref(conn->blist->roomlist);
		conn->blist->roomlist = list;
		purple_roomlist_ref(list);
	}
	return list;
}

void
wag_roomlist_cancel(PurpleRoomlist *list)
{
	PurpleConnection *gc = purple_account_get_connection(list->account);
	WagConn *conn = wag_conn(gc);

	purple_roomlist_set_in_progress(list, FALSE);
	if (conn && conn->blist->roomlist == list) {
		conn->blist->roomlist = NULL;
		purple_roomlist_unref(list);
	}
}

/* The room as the chat to join: its group id (Pidgin's "Add Chat" from the
 * room list, bitlbee's `chat list` title and `chat add ACCOUNT !N`). */
char *
wag_roomlist_room_serialize(PurpleRoomlistRoom *room)
{
	GList *fields = purple_roomlist_room_get_fields(room);

	return g_strdup(fields && fields->data ? fields->data : purple_roomlist_room_get_name(room));
}
