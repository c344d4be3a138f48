/* One path for every membership change, whatever its source: the event goes
 * into the model, then the host mirrors it (roster, flags, buddy list). */
#include "wag-plugin.h"

static PurpleConvChatBuddyFlags
flags_for(WagGroup *g, const char *id)
{
	WagParticipant *p = g_hash_table_lookup(g->participants, id);
	return p ? wag_chat_role_flags(p->role) : PURPLE_CBFLAGS_NONE;
}

static void
mirror(WagConn *conn, WagGroup *g, const WagEvent *e)
{
	PurpleConversation *conv = wag_chat_find(conn, g->id);
	PurpleConvChat *chat = conv ? PURPLE_CONV_CHAT(conv) : NULL;

	if (!chat || purple_conv_chat_has_left(chat))
		return;
	for (guint i = 0; i < e->participants->len; i++) {
		const char *id = e->participants->pdata[i];
		gboolean present = purple_conv_chat_find_user(chat, id);
		g_autofree char *line = NULL;

		switch (e->kind) {
		case WAG_EVENT_ADDED:
			if (!present)
				purple_conv_chat_add_user(chat, id, NULL, flags_for(g, id), TRUE);
			break;
		case WAG_EVENT_REMOVED:
		case WAG_EVENT_LEFT:
			if (!present)
				break;
			/* libpurple words it "ID left the room (REASON)"; bitlbee makes it a PART. */
			if (e->kind == WAG_EVENT_LEFT)
				line = g_strdup(_("left the group"));
			else if (e->actor)
				line = g_strdup_printf(_("removed by %s"), e->actor);
			else
				line = g_strdup(_("removed"));
			purple_conv_chat_remove_user(chat, id, line);
			if (conn->me && g_str_equal(id, conn->me))
				wag_chat_write(conv, _("This account is no longer a participant of this group; "
				                       "its commands are refused."), TRUE);
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

gboolean
wag_events_apply(WagConn *conn, const WagEvent *e)
{
	WagGroup *g;

	if (!wag_model_apply(conn->model, e))
		return FALSE; /* an echo, or news of nothing we know */
	if (e->kind == WAG_EVENT_LINKED || e->kind == WAG_EVENT_UNLINKED) {
		wag_blist_place_all(conn);
		return TRUE;
	}
	g = wag_model_lookup(conn->model, e->group);
	if ((e->kind == WAG_EVENT_REMOVED || e->kind == WAG_EVENT_LEFT) && conn->me &&
	    g_ptr_array_find_with_equal_func(e->participants, conn->me, g_str_equal, NULL)) {
		/* We are out: commands refuse, the node stays but says so. */
		g->left = TRUE;
		wag_blist_mark_left(conn, g);
	}
	mirror(conn, g, e);
	if (e->kind == WAG_EVENT_JOIN_REQUESTED)
		for (guint i = 0; i < e->participants->len; i++)
			wag_actions_prompt_join(conn, e->group, e->participants->pdata[i]);
	return TRUE;
}
