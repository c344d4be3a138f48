/* One path for every membership change, whatever its source (our own
 * command's success, a relayed webhook, a poll diff): the event goes into
 * the model, then the front end mirrors it through the view. */
#include "wag-session-private.h"

gboolean
wag_apply(WagSession *s, const WagEvent *e)
{
	WagGroup *g;
	gboolean out;

	if (!wag_model_apply(s->model, e))
		return FALSE; /* an echo, or news of nothing we know */
	if (e->kind == WAG_EVENT_LINKED || e->kind == WAG_EVENT_UNLINKED) {
		s->view->groups_changed(s->ui, FALSE);
		return TRUE;
	}
	g = wag_model_lookup(s->model, e->group);
	out = (e->kind == WAG_EVENT_REMOVED || e->kind == WAG_EVENT_LEFT) && s->me &&
	      g_ptr_array_find_with_equal_func(e->participants, s->me, g_str_equal, NULL);
	if (out)
		g->left = TRUE; /* commands refuse from now on */
	s->view->membership_changed(s->ui, g, e);
	if (out)
		s->view->group_left(s->ui, g);
	if (e->kind == WAG_EVENT_JOIN_REQUESTED)
		for (guint i = 0; i < e->participants->len; i++)
			s->view->join_request(s->ui, e->group, e->participants->pdata[i]);
	return TRUE;
}
