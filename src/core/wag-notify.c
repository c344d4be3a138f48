/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Green API without a relay: its notification queue read over HTTP
 * (receiveNotification, then deleteNotification once the notification is
 * queued here), only when no webhook URL takes the notifications (Green
 * API then keeps none for HTTP; an URL set means another consumer). Each
 * notification is a webhook body: its messages go to the live queue as
 * if the relay had sent them. */
#include "wag-session-private.h"
#include "wag-messaging.h"

/* receiveTimeout: the vendor holds an empty answer this long (seconds). */
#define RECEIVE_TIMEOUT_S 5
/* After an empty answer or an error: never a tight loop, whatever the server does. */
#define PAUSE_MS 1000

static void on_receive(WagReply *reply, gpointer data);

/* The pause is a backoff: it waits in the session's pacer, which ends it
 * with the session. */
static void
pause_then_receive(WagSession *s)
{
	if (s->notify_on)
		wag_pacer_send_later(s, WAG_OP_LAST, PAUSE_MS,
		                     s->vendor->messaging->req_receive(&s->creds, RECEIVE_TIMEOUT_S), on_receive, s, NULL);
}

static void
receive(WagSession *s)
{
	if (s->notify_on)
		wag_session_call(s, s->vendor->messaging->req_receive(&s->creds, RECEIVE_TIMEOUT_S), on_receive, s, NULL);
}

static void
on_ack(WagReply *reply, gpointer data)
{
	WagSession *s = data;
	if (reply->error)
		g_message("%s: deleteNotification: %s", s->vendor->name, reply->error->message);
	receive(s);
}

static void
on_receive(WagReply *reply, gpointer data)
{
	WagSession *s = data;
	const WagMessaging *m = s->vendor->messaging;
	g_autoptr(GPtrArray) events = NULL;
	g_autofree char *instance = NULL;
	JsonNode *webhook = NULL;
	gint64 receipt = 0;

	if (!s->notify_on)
		return;
	if (reply->error) {
		g_message("%s: receiveNotification: %s", s->vendor->name, reply->error->message);
		pause_then_receive(s);
		return;
	}
	if (!m->parse_receive(reply->json, &receipt, &webhook)) {
		pause_then_receive(s);
		return;
	}
	events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	wag_messaging_normalize(s->vendor, webhook, events, &instance);
	for (guint i = 0; i < events->len; i++)
		s->notify_deliver(s, g_ptr_array_steal_index(events, i--));
	/* Taken: the vendor may drop it now (it is in the live queue). */
	wag_session_call(s, m->req_ack(&s->creds, receipt), on_ack, s, NULL);
}

static void
on_settings(WagReply *reply, gpointer data)
{
	WagSession *s = data;

	if (reply->error) {
		g_info("%s: the settings could not be read (%s): its notification queue is not read",
		       s->vendor->name, reply->error->message);
		return;
	}
	if (s->vendor->messaging->parse_webhook_set(reply->json)) {
		g_info("%s sends notifications to a webhook URL: set relay_url to see messages here", s->vendor->name);
		return;
	}
	g_info("%s: reading its notification queue for messages", s->vendor->name);
	s->notify_on = TRUE;
	receive(s);
}

void
wag_notify_start(WagSession *s, void (*deliver)(WagSession *s, WagEvent *e))
{
	const WagMessaging *m = s->vendor ? s->vendor->messaging : NULL;

	if (!m || !m->req_settings || s->notify_on)
		return;
	s->notify_deliver = deliver;
	wag_session_call(s, m->req_settings(&s->creds), on_settings, s, NULL);
}

void
wag_notify_stop(WagSession *s)
{
	/* A pause still in the pacer ends with it (wag_pacer_stop). */
	s->notify_on = FALSE;
}
