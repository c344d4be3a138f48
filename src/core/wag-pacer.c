/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The session's one pacer: every vendor call goes through it, and two
 * calls of one operation are never closer than the vendor's documented
 * limit for it (wag_vendor_min_spacing_ms: Green API allows getGroupData
 * once a second per instance, whether it reads a chat being opened, a
 * /refresh, an @lid re-read or a poll), nor, for sends and deletions
 * (WAG_OP_MESSAGE), than the account's messages_per_minute allows. Calls
 * wait in one queue per operation, in the order they were asked for;
 * backoffs wait here too, so that freeing the session ends every timer. */
#include "wag-session-private.h"

typedef struct {
	WagSession *s;
	WagOp op;
	WagRequest *req;
	WagHttpCallback cb;
	gpointer data;
	GDestroyNotify destroy;
	guint later; /* a backoff's timer */
} Paced;

static void
paced_drop(Paced *p)
{
	/* Never sent: the request is ours to free, the caller's data too. */
	wag_request_free(p->req);
	if (p->destroy)
		p->destroy(p->data);
	g_free(p);
}

static void
paced_send(Paced *p)
{
	WagSession *s = p->s;

	if (p->op < WAG_OP_LAST)
		s->pace_last[p->op] = g_get_monotonic_time();
	wag_http_send(s->http, s->base, p->req, p->cb, p->data, p->destroy);
	g_free(p);
}

static guint
spacing(WagSession *s, WagOp op)
{
	guint ms = s->vendor && op < WAG_OP_LAST ? wag_vendor_min_spacing_ms(s->vendor, op) : 0;

	/* WhatsApp bans numbers that blast: the account's own pace for sends
	 * and deletions, a user option (0: none), on top of the vendor's. */
	if (op == WAG_OP_MESSAGE && s->messages_per_minute)
		ms = MAX(ms, 60000 / s->messages_per_minute);
	return ms;
}

/* ms until op may be sent again (0: now). */
static guint
wait_ms(WagSession *s, WagOp op)
{
	gint64 next = s->pace_last[op] + (gint64) spacing(s, op) * 1000;
	gint64 now = g_get_monotonic_time();

	return !s->pace_last[op] || now >= next ? 0 : (guint) ((next - now + 999) / 1000);
}

static gboolean on_pace(gpointer data);

static void
arm(WagSession *s, WagOp op)
{
	if (!s->pace_timer[op] && !g_queue_is_empty(s->pace_queue[op]))
		s->pace_timer[op] = g_timeout_add_full(G_PRIORITY_DEFAULT, MAX(wait_ms(s, op), 1), on_pace,
		                                      g_queue_peek_head(s->pace_queue[op]), NULL);
}

static gboolean
on_pace(gpointer data)
{
	Paced *head = data;
	WagSession *s = head->s;
	WagOp op = head->op;

	s->pace_timer[op] = 0;
	if (wait_ms(s, op) == 0)
		paced_send(g_queue_pop_head(s->pace_queue[op]));
	arm(s, op);
	return G_SOURCE_REMOVE;
}

void
wag_pacer_send(WagSession *s, WagOp op, WagRequest *req, WagHttpCallback cb, gpointer data, GDestroyNotify destroy)
{
	Paced *p = g_new0(Paced, 1);

	p->s = s;
	p->op = op;
	p->req = req;
	p->cb = cb;
	p->data = data;
	p->destroy = destroy;
	if (!spacing(s, op)) {
		paced_send(p);
		return;
	}
	if (!s->pace_queue[op])
		s->pace_queue[op] = g_queue_new();
	if (g_queue_is_empty(s->pace_queue[op]) && wait_ms(s, op) == 0) {
		paced_send(p);
		return;
	}
	g_queue_push_tail(s->pace_queue[op], p);
	arm(s, op);
}

static gboolean
on_later(gpointer data)
{
	Paced *p = data;
	WagSession *s = p->s;

	g_ptr_array_remove_fast(s->pace_later, p);
	p->later = 0;
	wag_pacer_send(s, p->op, p->req, p->cb, p->data, p->destroy);
	g_free(p);
	return G_SOURCE_REMOVE;
}

void
wag_pacer_send_later(WagSession *s, WagOp op, guint delay_ms, WagRequest *req, WagHttpCallback cb,
                     gpointer data, GDestroyNotify destroy)
{
	Paced *p = g_new0(Paced, 1);

	p->s = s;
	p->op = op;
	p->req = req;
	p->cb = cb;
	p->data = data;
	p->destroy = destroy;
	if (!s->pace_later)
		s->pace_later = g_ptr_array_new();
	g_ptr_array_add(s->pace_later, p);
	p->later = g_timeout_add_full(G_PRIORITY_DEFAULT, delay_ms, on_later, p, NULL);
}

gboolean
wag_pacer_holds(WagSession *s, gconstpointer data)
{
	for (guint op = 0; op < WAG_OP_LAST; op++)
		for (GList *l = s->pace_queue[op] ? s->pace_queue[op]->head : NULL; l; l = l->next)
			if (((Paced *) l->data)->data == data)
				return TRUE;
	for (guint i = 0; s->pace_later && i < s->pace_later->len; i++)
		if (((Paced *) s->pace_later->pdata[i])->data == data)
			return TRUE;
	return FALSE;
}

void
wag_pacer_stop(WagSession *s)
{
	for (guint op = 0; op < WAG_OP_LAST; op++) {
		if (s->pace_timer[op])
			g_source_remove(s->pace_timer[op]);
		s->pace_timer[op] = 0;
		if (s->pace_queue[op])
			g_queue_free_full(s->pace_queue[op], (GDestroyNotify) paced_drop);
		s->pace_queue[op] = NULL;
	}
	for (guint i = 0; s->pace_later && i < s->pace_later->len; i++) {
		Paced *p = s->pace_later->pdata[i];
		g_source_remove(p->later);
		paced_drop(p);
	}
	g_clear_pointer(&s->pace_later, g_ptr_array_unref);
}
