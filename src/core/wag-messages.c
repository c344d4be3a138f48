/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The group conversation inside the session: messages received (shown
 * once, our own echoes dropped, the last ones kept per chat so that
 * /delete can name them), text sent and messages deleted for everyone,
 * in the order asked, one vendor call at a time, paced by the session's
 * pacer (WAG_OP_MESSAGE: messages_per_minute). */
#include "wag-session-private.h"
#include "wag-messaging.h"
#include "wag-names.h"
#include "wag-history.h"
#include "wag-phone.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include <string.h>

/* Echo texts waiting: bounded whatever a relay sends. */
#define ECHO_TEXTS_MAX 200
/* Names kept (a hostile stream of senders cannot grow it without bound). */
#define NAMES_MAX 20000
/* Ids of messages we sent whose echo has not come back yet. */
#define SENT_IDS_MAX 1000

typedef struct {
	guint refs;
	char *group, *who;
	guint total, ok;
	GString *errors;
} DeleteBatch;

typedef struct {
	WagSession *s;
	char *group;
	char *text;          /* a send; NULL for a delete */
	GPtrArray *mentions; /* a send's, canonical phones */
	char *message_id;    /* a delete */
	char *from;
	gboolean from_me;
	DeleteBatch *batch;
} Outgoing;

static void
batch_unref(DeleteBatch *b)
{
	if (!b || --b->refs)
		return;
	g_free(b->group);
	g_free(b->who);
	g_string_free(b->errors, TRUE);
	g_free(b);
}

static void
outgoing_free(gpointer p)
{
	Outgoing *o = p;
	g_free(o->group);
	g_free(o->text);
	if (o->mentions)
		g_ptr_array_unref(o->mentions);
	g_free(o->message_id);
	g_free(o->from);
	batch_unref(o->batch);
	g_free(o);
}

void
wag_messages_init(WagSession *s, const char *mode, guint per_minute)
{
	s->messages_mode = g_strcmp0(mode, "off") == 0 ? WAG_MESSAGES_OFF :
	                   g_strcmp0(mode, "read") == 0 ? WAG_MESSAGES_READ : WAG_MESSAGES_BOTH;
	s->messages_per_minute = per_minute;
	s->outbox = g_queue_new();
	s->echo_texts = g_ptr_array_new_with_free_func(g_free);
	s->sent_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void
wag_messages_stop(WagSession *s)
{
	/* The call handed to the pacer is the pacer's to drop (wag_pacer_stop). */
	if (s->outbox)
		g_queue_free_full(s->outbox, outgoing_free);
	s->outbox = NULL;
	g_clear_pointer(&s->echo_texts, g_ptr_array_unref);
	g_clear_pointer(&s->sent_ids, g_hash_table_destroy);
	g_clear_pointer(&s->names, g_hash_table_destroy);
}

const char *
wag_session_get_name(WagSession *s, const char *who)
{
	/* One name per person, as the user list shows it. */
	return wag_contacts_name(s, who);
}

static char *
echo_key(const char *group, const char *text)
{
	return g_strconcat(group, "\n", text ? text : "", NULL);
}

static void
add_echo_text(WagSession *s, const char *group, const char *text)
{
	if (s->echo_texts->len >= ECHO_TEXTS_MAX)
		g_ptr_array_remove_index(s->echo_texts, 0);
	g_ptr_array_add(s->echo_texts, echo_key(group, text));
}

static gboolean
take_echo_text(WagSession *s, const char *group, const char *text)
{
	g_autofree char *key = echo_key(group, text);
	guint i;

	if (!g_ptr_array_find_with_equal_func(s->echo_texts, key, g_str_equal, &i))
		return FALSE;
	g_ptr_array_remove_index(s->echo_texts, i);
	return TRUE;
}

/* A from_me message that is the echo of one we sent: shown already. */
static gboolean
is_our_echo(WagSession *s, const char *group, const WagMessage *m)
{
	if (m->message_id && g_hash_table_remove(s->sent_ids, m->message_id))
		return TRUE;
	return m->type == WAG_MSG_TEXT && take_echo_text(s, group, m->text);
}

/* Named in the event's mentions, or "@PHONE" in its text (a sender of
 * events that left the list out). A lid is written "@" and its number, as
 * WhatsApp writes it (and as the mentions read from the text name it). */
static gboolean
mentions(const WagMessage *m, const char *me)
{
	g_autofree char *number = g_strndup(me, strcspn(me, "@"));
	g_autofree char *at = wag_names_at(me);
	const char *p = m->text;

	if (g_ptr_array_find_with_equal_func(m->mentions, me, g_str_equal, NULL) ||
	    (wag_phone_is_lid(me) && g_ptr_array_find_with_equal_func(m->mentions, number, g_str_equal, NULL)))
		return TRUE;
	while (p && (p = strstr(p, at))) {
		p += strlen(at);
		if (!g_ascii_isdigit(*p))
			return TRUE;
	}
	return FALSE;
}

/* A sender's WhatsApp name is also the participant's while the roster has
 * none (vendors without names in rosters): the chat's user list, /kick NAME
 * and the messages' senders then name people alike. */
static void
name_participant(WagSession *s, const char *group, const char *who)
{
	WagGroup *g = wag_model_lookup(s->model, group);
	WagParticipant *p = g ? g_hash_table_lookup(g->participants, who) : NULL;

	if (!p || p->name)
		return;
	p->name = g_strdup(g_hash_table_lookup(s->names, who));
	if (g->roster_loaded)
		s->view->roster_loaded(s->ui, group, NULL);
}

void
wag_messages_receive(WagSession *s, const WagEvent *e)
{
	const WagMessage *m = e->message;
	gboolean mentions_me;
	const char *me_in;

	if (!m || s->messages_mode == WAG_MESSAGES_OFF)
		return;
	/* message and message.any both carry it; a relay replay too. */
	if (m->message_id && wag_history_lookup(s, e->group, m->message_id)) {
		g_debug("message %s in %s already shown", m->message_id, e->group);
		return;
	}
	if (m->type == WAG_MSG_DELETED && m->quoted_id) {
		wag_history_mark_deleted(s, e->group, m->quoted_id);
	}
	if (m->from_me && is_our_echo(s, e->group, m)) {
		wag_history_remember(s, e->group, m->message_id, m->from ? m->from : s->me, TRUE, e->at);
		return;
	}
	if (m->type != WAG_MSG_DELETED)
		wag_history_remember(s, e->group, m->message_id, m->from, m->from_me, e->at);
	if (m->from && m->from_name && *m->from_name && !m->from_me) {
		if (g_hash_table_size(s->names) >= NAMES_MAX)
			g_hash_table_remove_all(s->names);
		g_hash_table_replace(s->names, g_strdup(m->from), wag_message_clean_text(m->from_name, 64));
		name_participant(s, e->group, m->from);
	}
	me_in = wag_instance_info_me_in(s->info, s->me, wag_model_lookup(s->model, e->group));
	/* A roster listing this account by its lid mentions it by the lid. */
	mentions_me = !m->from_me && ((s->me && mentions(m, s->me)) ||
	                              (me_in && g_strcmp0(me_in, s->me) != 0 && mentions(m, me_in)));
	if (s->view->message)
		s->view->message(s->ui, e, mentions_me);
}

char *
wag_session_addressed_line(WagSession *s, const WagEvent *e, const char *nick)
{
	g_autofree char *line = wag_message_line(e->message);
	const char *ids[] = { s->me, wag_instance_info_me_in(s->info, s->me, wag_model_lookup(s->model, e->group)) };

	for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
		g_autofree char *at = ids[i] ? wag_names_at(ids[i]) : NULL;
		g_auto(GStrv) parts = at ? g_strsplit(line, at, -1) : NULL;
		g_autofree char *mine = NULL;

		if (!parts || g_strv_length(parts) < 2)
			continue;
		mine = g_strconcat("@", nick, NULL);
		return g_strjoinv(mine, parts);
	}
	return g_strdup_printf("%s: %s", nick, line);
}

/* ---- outgoing: one call at a time, paced by the pacer ---- */

static void pump(WagSession *s);

static void
delete_done(WagSession *s, Outgoing *o, const GError *error)
{
	DeleteBatch *b = o->batch;
	g_autofree char *summary = NULL;

	wag_runner_audit_delete(s, o->group, o->from, o->message_id, error);
	if (error) {
		g_autofree char *safe = wag_http_redact(s->http, error->message);
		if (b->errors->len < 1024)
			g_string_append_printf(b->errors, "%s%s", b->errors->len ? "; " : "", safe);
	} else {
		b->ok++;
		wag_history_mark_deleted(s, o->group, o->message_id);
	}
	if (b->refs > 1)
		return; /* more of this batch queued */
	if (b->errors->len)
		summary = g_strdup_printf(_("Deleted %u of %u messages of %s for everyone; the vendor refused the rest: %s"),
		                          b->ok, b->total, b->who, b->errors->str);
	else
		summary = g_strdup_printf(_("Deleted %u of %u messages of %s for everyone."), b->ok, b->total, b->who);
	s->view->group_notice(s->ui, o->group, summary, b->errors->len ? WAG_NOTICE_ERROR : 0);
}

static void
send_done(WagSession *s, Outgoing *o, WagReply *reply)
{
	g_autofree char *id = NULL;

	if (reply->error) {
		g_autofree char *safe = wag_http_redact(s->http, reply->error->message);
		g_autoptr(GError) err = g_error_new_literal(WAG_SESSION_ERROR, WAG_SESSION_ERROR_FATAL, safe);
		take_echo_text(s, o->group, o->text);
		if (s->view->message_failed)
			s->view->message_failed(s->ui, o->group, o->text, err);
		return;
	}
	id = s->vendor->messaging->parse_sent(reply->json);
	/* Without an id its echo is known by its text only (kept from the send). */
	if (!id)
		return;
	/* Its echo came first and took its own text: taking one now would
	 * take the next identical line's, shown again when its echo beats
	 * its reply too. */
	if (wag_history_lookup(s, o->group, id))
		return;
	take_echo_text(s, o->group, o->text);
	if (g_hash_table_size(s->sent_ids) >= SENT_IDS_MAX)
		g_hash_table_remove_all(s->sent_ids);
	wag_history_remember(s, o->group, id, s->me, TRUE, g_get_real_time() / 1000);
	g_hash_table_add(s->sent_ids, g_steal_pointer(&id));
}

static void
on_outgoing(WagReply *reply, gpointer data)
{
	Outgoing *o = data;
	WagSession *s = o->s;

	s->out_busy = FALSE;
	if (o->text)
		send_done(s, o, reply);
	else
		/* Z-API answers 204 and Green API 200 with no body: the status is the answer. */
		delete_done(s, o, reply->status >= 200 && reply->status < 300 ? NULL : reply->error);
	pump(s);
}

static void
pump(WagSession *s)
{
	const WagMessaging *msg = s->vendor->messaging;
	g_autoptr(GError) err = NULL;
	WagRequest *req;
	Outgoing *o;

	/* One at a time: a refusal is told against the line it refuses. */
	if (s->out_busy || g_queue_is_empty(s->outbox))
		return;
	o = g_queue_pop_head(s->outbox);
	req = o->text ? msg->req_send_text(&s->creds, o->group, o->text, o->mentions)
	              : msg->req_delete(&s->creds, o->group, o->message_id, o->from, o->from_me, &err);
	if (!req) {
		/* Unreachable for the vendors we have: refused before queueing. */
		delete_done(s, o, err);
		outgoing_free(o);
		pump(s);
		return;
	}
	/* Busy from here, while it waits in the pacer too, until its reply.
	 * Sends and deletions share one pace (WAG_OP_MESSAGE). */
	s->out_busy = TRUE;
	wag_session_call_op(s, WAG_OP_MESSAGE, req, on_outgoing, o, outgoing_free);
}

WagMessagesMode
wag_session_messages_mode(WagSession *s)
{
	return s->messages_mode;
}

char *
wag_session_send_text(WagSession *s, const char *group, const char *text)
{
	g_autofree char *valid = NULL;
	Outgoing *o;

	if (s->messages_mode != WAG_MESSAGES_BOTH)
		return g_strdup(_("This account administers the group; it does not send messages "
		                  "(account option \"messages\"). Type /help for the commands."));
	if (!s->vendor || !s->vendor->messaging || !s->vendor->messaging->req_send_text)
		return g_strdup(_("This vendor cannot send messages."));
	if (!text || !*text)
		return NULL;
	o = g_new0(Outgoing, 1);
	o->s = s;
	o->group = g_strdup(group);
	valid = g_utf8_make_valid(text, -1);
	o->mentions = g_ptr_array_new_with_free_func(g_free);
	o->text = wag_names_mentions(wag_model_lookup(s->model, group), valid, o->mentions);
	/* Its echo (webhook from_me) may come back before the reply: know it by text. */
	add_echo_text(s, group, o->text);
	g_queue_push_tail(s->outbox, o);
	pump(s);
	return NULL;
}

char *
wag_session_delete_messages(WagSession *s, const char *group, const char *who, guint n)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(WagRequest) probe = NULL;
	GPtrArray *picked;
	DeleteBatch *b;

	if (!s->vendor || !s->vendor->messaging || !s->vendor->messaging->req_delete ||
	    !(probe = s->vendor->messaging->req_delete(&s->creds, group, "probe", who, FALSE, &err))) {
		return g_strdup_printf(_("%s cannot delete messages for everyone; nothing was deleted."),
		                       s->vendor ? s->vendor->name : "?");
	}
	picked = wag_history_pick(s, group, who, n);
	if (!picked->len) {
		g_ptr_array_free(picked, TRUE);
		return g_strdup_printf(_("No message of %s is known in this chat (the last %u of each "
		                         "chat are remembered, for three days)."),
		                       who, WAG_HISTORY_PER_GROUP);
	}
	b = g_new0(DeleteBatch, 1);
	b->group = g_strdup(group);
	b->who = g_strdup(who);
	b->errors = g_string_new(NULL);
	b->total = picked->len;
	for (guint i = 0; i < picked->len; i++) {
		WagSeen *x = picked->pdata[i];
		Outgoing *o = g_new0(Outgoing, 1);
		o->s = s;
		o->group = g_strdup(group);
		o->message_id = g_strdup(x->id);
		o->from = g_strdup(x->from);
		o->from_me = x->from_me;
		o->batch = b;
		b->refs++;
		g_queue_push_tail(s->outbox, o);
	}
	g_ptr_array_free(picked, TRUE);
	pump(s);
	return NULL;
}
