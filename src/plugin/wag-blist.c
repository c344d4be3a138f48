/* Listing the instance's groups and communities into the buddy list and the
 * room list. Nodes are added or moved, never deleted: the user may have made them. */
#include "wag-plugin.h"
#include "wag-error.h"

#define MAX_PAGES 200

typedef struct {
	WagConn *conn;
	gboolean communities;
	guint page;
} ListStep;

typedef struct {
	WagConn *conn;
	GPtrArray *queue; /* community ids still to read; shared, refcounted */
} CommunityStep;

static void
community_step_free(gpointer data)
{
	CommunityStep *step = data;
	g_ptr_array_unref(step->queue);
	g_free(step);
}

static void list_page(WagConn *conn, gboolean communities, guint page);
static void next_community(WagConn *conn, GPtrArray *queue);

static const char *
plain_group_name(void)
{
	return _("WhatsApp Groups");
}

static PurpleGroup *
blist_group(const char *name)
{
	PurpleGroup *g = purple_find_group(name);
	if (!g) {
		g = purple_group_new(name);
		purple_blist_add_group(g, NULL);
	}
	return g;
}

/* The name a node gets from us: the subject, marked once we are out. */
static char *
node_name(WagGroup *g)
{
	const char *subject = g->subject ? g->subject : g->id;
	return g->left ? g_strdup_printf(_("%s (no longer a member)"), subject) : g_strdup(subject);
}

/* Where we last put a node: if it is elsewhere now, the user moved it. */
#define WAG_BLIST_PLACED "wagateway-placed-in"
/* The name we last gave it: if it differs now, the user renamed it. */
#define WAG_BLIST_NAMED "wagateway-named"

static void
place_chat(WagConn *conn, WagGroup *g, PurpleGroup *target)
{
	PurpleChat *chat = purple_blist_find_chat(conn->account, g->id);
	g_autofree char *alias = node_name(g);
	PurpleBlistNode *node;
	const char *placed;

	if (!chat) {
		GHashTable *components = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		g_hash_table_insert(components, g_strdup(WAG_CHAT_KEY), g_strdup(g->id));
		chat = purple_chat_new(conn->account, alias, components);
		node = PURPLE_BLIST_NODE(chat);
		purple_blist_node_set_bool(node, WAG_BLIST_AUTO, TRUE);
		purple_blist_add_chat(chat, target, NULL);
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

void
wag_blist_mark_left(WagConn *conn, WagGroup *g)
{
	PurpleChat *chat = purple_blist_find_chat(conn->account, g->id);
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

static void
roomlist_fill(WagConn *conn, PurpleRoomlist *list)
{
	g_autoptr(GPtrArray) groups = wag_model_sorted(conn->model);

	for (guint i = 0; i < groups->len; i++) {
		WagGroup *g = groups->pdata[i];
		WagGroup *c = wag_model_lookup(conn->model, g->community_id);
		PurpleRoomlistRoom *room;

		if (g->is_announcement)
			continue;
		room = purple_roomlist_room_new(PURPLE_ROOMLIST_ROOMTYPE_ROOM, g->subject ? g->subject : g->id, NULL);
		purple_roomlist_room_add_field(list, room, g->id);
		purple_roomlist_room_add_field(list, room, g->is_community ? _("Community") : _("Group"));
		purple_roomlist_room_add_field(list, room, c ? (c->subject ? c->subject : c->id) : "");
		purple_roomlist_room_add(list, room);
	}
	purple_roomlist_set_in_progress(list, FALSE);
}

void
wag_blist_place_all(WagConn *conn)
{
	g_autoptr(GPtrArray) groups = wag_model_sorted(conn->model);
	PurpleGroup *plain = NULL;

	for (guint i = 0; i < groups->len; i++) {
		WagGroup *g = groups->pdata[i];
		WagGroup *c;

		if (g->is_announcement)
			continue; /* its roster is the community chat's */
		c = g->is_community ? g : wag_model_lookup(conn->model, g->community_id);
		if (c)
			place_chat(conn, g, blist_group(c->subject ? c->subject : c->id));
		else
			place_chat(conn, g, plain ? plain : (plain = blist_group(plain_group_name())));
	}
}

static void
sync_done(WagConn *conn)
{
	wag_blist_place_all(conn);
	conn->synced = TRUE;
	purple_debug_info("wagateway", "%u groups and communities listed\n",
	                  g_hash_table_size(conn->model->groups));
	/* Actions a disconnect or restart interrupted carry on now. */
	wag_actions_resume(conn);
	wag_live_start(conn);
	if (conn->roomlist) {
		roomlist_fill(conn, conn->roomlist);
		purple_roomlist_unref(conn->roomlist);
		conn->roomlist = NULL;
	}
}

static void
report(WagConn *conn, const GError *error)
{
	g_autofree char *safe = wag_http_redact(conn->http, error->message);
	purple_notify_error(conn->gc, _("WhatsApp groups"), _("Could not list the groups"), safe);
}

static void
on_community(WagReply *reply, gpointer data)
{
	CommunityStep *step = data;
	WagConn *conn = step->conn;
	const char *id = g_ptr_array_index(step->queue, step->queue->len - 1);
	WagGroup *c = wag_model_lookup(conn->model, id);
	g_autoptr(GError) err = NULL;

	if (!reply->error && c && conn->vendor->parse_community_info(reply->json, c, &err)) {
		wag_model_relink(conn->model, c);
	} else {
		report(conn, reply->error ? reply->error : err);
	}
	g_ptr_array_remove_index(step->queue, step->queue->len - 1);
	next_community(conn, step->queue);
}

static void
next_community(WagConn *conn, GPtrArray *queue)
{
	CommunityStep *step;

	if (!queue->len) {
		sync_done(conn);
		return;
	}
	/* One at a time: the vendors rate-limit per instance. */
	step = g_new0(CommunityStep, 1);
	step->conn = conn;
	step->queue = g_ptr_array_ref(queue);
	wag_conn_send(conn, conn->vendor->req_community_info(&conn->creds, queue->pdata[queue->len - 1]),
	              on_community, step, community_step_free);
}

static void
read_communities(WagConn *conn)
{
	g_autoptr(GPtrArray) queue = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) groups = wag_model_sorted(conn->model);

	for (guint i = groups->len; i > 0; i--) {
		WagGroup *g = groups->pdata[i - 1];
		if (g->is_community)
			g_ptr_array_add(queue, g_strdup(g->id));
	}
	next_community(conn, queue);
}

static void
on_list(WagReply *reply, gpointer data)
{
	ListStep *step = data;
	WagConn *conn = step->conn;
	const WagVendor *v = conn->vendor;
	g_autoptr(GPtrArray) found = g_ptr_array_new();
	g_autoptr(GError) err = NULL;
	gboolean more = FALSE;
	gboolean ok;

	if (reply->error) {
		report(conn, reply->error);
		sync_done(conn);
		return;
	}
	ok = step->communities ? v->parse_communities(reply->json, found, &more, &err)
	                       : v->parse_groups(reply->json, found, &more, &err);
	if (!ok) {
		report(conn, err);
		sync_done(conn);
		return;
	}
	for (guint i = 0; i < found->len; i++)
		wag_model_take(conn->model, found->pdata[i]);
	if (more && step->page < MAX_PAGES)
		list_page(conn, step->communities, step->page + 1);
	else if (!step->communities && v->req_communities)
		list_page(conn, TRUE, 1);
	else if (v->req_community_info)
		read_communities(conn);
	else
		sync_done(conn);
}

static void
list_page(WagConn *conn, gboolean communities, guint page)
{
	ListStep *step = g_new0(ListStep, 1);
	step->conn = conn;
	step->communities = communities;
	step->page = page;
	wag_conn_send(conn, communities ? conn->vendor->req_communities(&conn->creds, page)
	                                : conn->vendor->req_groups(&conn->creds, page),
	              on_list, step, g_free);
}

void
wag_blist_sync(WagConn *conn)
{
	conn->synced = FALSE;
	list_page(conn, FALSE, 1);
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
	purple_roomlist_set_fields(list, fields);
	if (conn->synced) {
		roomlist_fill(conn, list);
	} else {
		purple_roomlist_set_in_progress(list, TRUE);
		if (conn->roomlist)
			purple_roomlist_unref(conn->roomlist);
		conn->roomlist = list;
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
	if (conn && conn->roomlist == list) {
		conn->roomlist = NULL;
		purple_roomlist_unref(list);
	}
}
