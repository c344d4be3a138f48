/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The store thread, its queue, and the replies to the main context; the
 * SQLite side is relay-store-db.c. */
#include "relay-store-private.h"

#define BATCH_MAX 512

typedef struct {
	RelayStore *store;
	GPtrArray *events;
	GPtrArray *tenants;
} Committed;

static void
op_free(Op *op)
{
	if (op->events)
		g_ptr_array_unref(op->events);
	if (op->destroy)
		op->destroy(op->data);
	g_clear_error(&op->error);
	g_free(op->dedupe);
	g_free(op);
}

static gboolean
deliver(gpointer data)
{
	Op *op = data;
	if (op->kind == OP_APPEND && op->stored)
		op->stored(op->error, op->duplicate, op->data);
	else if (op->kind == OP_READ && op->read)
		op->read(op->events, op->more, op->data);
	return G_SOURCE_REMOVE;
}

/* Runs func, then destroy, on the main thread, never here. Not
 * g_main_context_invoke_full(): when the main loop is between two
 * iterations it lets this thread acquire the context and run both itself,
 * so a follower's callback and its last unref (a SoupWebsocketConnection)
 * ran on the store thread, racing the main thread. Same priority for all:
 * the main context runs them in queue order. */
static void
to_main(RelayStore *s, GSourceFunc func, gpointer data, GDestroyNotify destroy)
{
	GSource *src = g_idle_source_new();
	g_source_set_priority(src, G_PRIORITY_DEFAULT);
	g_source_set_callback(src, func, data, destroy);
	g_source_attach(src, s->context);
	g_source_unref(src);
}

static void
reply(RelayStore *s, Op *op)
{
	to_main(s, deliver, op, (GDestroyNotify) op_free);
}

static gboolean
deliver_committed(gpointer data)
{
	Committed *c = data;
	if (c->store->committed)
		c->store->committed(c->events, c->tenants, c->store->committed_data);
	return G_SOURCE_REMOVE;
}

static void
committed_free(gpointer data)
{
	Committed *c = data;
	g_ptr_array_unref(c->events);
	g_ptr_array_unref(c->tenants);
	g_free(c);
}

static void
commit_batch(RelayStore *s, GPtrArray *ops)
{
	GError *err = NULL;

	relay_store_db_commit(s, ops, &err);
	atomic_store(&s->failed, err != NULL);
	if (!err && !atomic_load(&s->listening)) {
		/* Nobody follows: no need to wake the main context for them. */
		for (guint i = 0; i < ops->len; i++)
			reply(s, ops->pdata[i]);
	} else if (!err) {
		/* The events move to one notification, queued behind the replies. */
		Committed *c = g_new0(Committed, 1);
		c->store = s;
		c->events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
		c->tenants = g_ptr_array_new();
		for (guint i = 0; i < ops->len; i++) {
			Op *op = ops->pdata[i];
			GPtrArray *evs = op->events;
			for (guint j = 0; j < evs->len; j++) {
				g_ptr_array_add(c->events, evs->pdata[j]);
				g_ptr_array_add(c->tenants, (gpointer) op->tenant);
			}
			g_ptr_array_set_free_func(evs, NULL);
			g_ptr_array_set_size(evs, 0);
		}
		for (guint i = 0; i < ops->len; i++)
			reply(s, ops->pdata[i]);
		to_main(s, deliver_committed, c, committed_free);
	} else {
		for (guint i = 0; i < ops->len; i++) {
			Op *op = ops->pdata[i];
			op->error = g_error_copy(err);
			reply(s, op);
		}
	}
	g_clear_error(&err);
	g_ptr_array_set_size(ops, 0);
}

static gpointer
store_thread(gpointer data)
{
	RelayStore *s = data;
	g_autoptr(GPtrArray) batch = g_ptr_array_new();

	for (;;) {
		Op *op = g_async_queue_pop(s->queue);

		/* Group commit: every append already waiting joins this transaction. */
		while (op && op->kind == OP_APPEND && batch->len < BATCH_MAX) {
			g_ptr_array_add(batch, op);
			op = g_async_queue_try_pop(s->queue);
		}
		if (batch->len)
			commit_batch(s, batch);
		if (!op)
			continue;
		switch (op->kind) {
		case OP_READ:
			relay_store_db_read(s, op);
			reply(s, op);
			break;
		case OP_PRUNE:
			relay_store_db_prune(s, op->after, op->messages_before);
			op_free(op);
			break;
		case OP_CHECK:
			relay_store_db_still_there(s);
			op_free(op);
			break;
		case OP_APPEND: /* the batch was full */
			g_ptr_array_add(batch, op);
			break;
		case OP_QUIT:
			op_free(op);
			return NULL;
		}
	}
}

static void
store_free(RelayStore *s)
{
	relay_store_db_close(s);
	g_free(s->path);
	g_free(s);
}

RelayStore *
relay_store_open(const char *path, GError **error)
{
	RelayStore *s = g_new0(RelayStore, 1);

	s->path = g_strdup(path);
	if (!relay_store_db_open(s, path, error)) {
		store_free(s);
		return NULL;
	}
	s->context = g_main_context_ref_thread_default();
	s->queue = g_async_queue_new();
	s->thread = g_thread_new("relay-store", store_thread, s);
	return s;
}

void
relay_store_append(RelayStore *s, const char *tenant, const char *dedupe, GPtrArray *events, gboolean store_messages,
                   RelayStoredFunc cb, gpointer data)
{
	Op *op = g_new0(Op, 1);
	op->kind = OP_APPEND;
	op->tenant = tenant;
	op->dedupe = g_strdup(dedupe);
	op->events = events;
	op->live_messages = !store_messages;
	op->stored = cb;
	op->data = data;
	g_async_queue_push(s->queue, op);
}

void
relay_store_set_committed(RelayStore *s, RelayCommittedFunc func, gpointer data)
{
	s->committed = func;
	s->committed_data = data;
}

void
relay_store_set_listening(RelayStore *s, gboolean listening)
{
	atomic_store(&s->listening, listening);
}

void
relay_store_read(RelayStore *s, const char *tenant, gint64 after, guint limit, RelayReadFunc cb, gpointer data,
                 GDestroyNotify destroy)
{
	Op *op = g_new0(Op, 1);
	op->kind = OP_READ;
	op->tenant = tenant;
	op->after = after;
	op->limit = limit;
	op->read = cb;
	op->data = data;
	op->destroy = destroy;
	g_async_queue_push(s->queue, op);
}

void
relay_store_prune(RelayStore *s, gint64 received_before_ms, gint64 messages_before_ms)
{
	Op *op = g_new0(Op, 1);
	op->kind = OP_PRUNE;
	op->after = received_before_ms;
	op->messages_before = messages_before_ms;
	g_async_queue_push(s->queue, op);
}

void
relay_store_check(RelayStore *s)
{
	Op *op = g_new0(Op, 1);
	op->kind = OP_CHECK;
	g_async_queue_push(s->queue, op);
}

gboolean
relay_store_healthy(RelayStore *s)
{
	return !atomic_load(&s->gone) && !atomic_load(&s->failed);
}

gboolean
relay_store_usable(RelayStore *s)
{
	return !atomic_load(&s->gone);
}

gint64
relay_store_last_id(RelayStore *s)
{
	return s->last_id;
}

void
relay_store_close(RelayStore *s)
{
	Op *op = g_new0(Op, 1);
	op->kind = OP_QUIT;
	g_async_queue_push(s->queue, op);
	g_thread_join(s->thread);
	g_async_queue_unref(s->queue);
	g_main_context_unref(s->context);
	store_free(s);
}
