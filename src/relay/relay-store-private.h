/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The store's insides, shared by its two halves: relay-store.c (the
 * thread, its queue and the replies to the main context) and
 * relay-store-db.c (the SQLite schema, statements and retention). Every
 * relay_store_db_* function but open runs on the store thread only. */
#pragma once
#include "relay-store.h"
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/types.h>

typedef enum { OP_APPEND, OP_READ, OP_PRUNE, OP_CHECK, OP_QUIT } OpKind;

typedef struct {
	OpKind kind;
	GPtrArray *events;
	RelayStoredFunc stored;
	RelayReadFunc read;
	gpointer data;
	GDestroyNotify destroy;
	gint64 after; /* OP_READ: ids above it; OP_PRUNE: the events' and dedupe keys' cut */
	gint64 messages_before; /* OP_PRUNE: the message events' cut */
	guint limit;
	gboolean more;
	gboolean duplicate;
	const char *tenant; /* interned */
	char *dedupe;
	gboolean live_messages; /* its message events are streamed, never written */
	GError *error;
} Op;

struct _RelayStore {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *insert, *seen, *mark; /* prepared once: every batch uses them */
	char *path;
	dev_t dev;
	ino_t ino;
	atomic_bool gone, failed;
	GThread *thread;
	GAsyncQueue *queue;
	GMainContext *context;
	gint64 last_id; /* written by the thread, read under the queue's order */
	RelayCommittedFunc committed;
	gpointer committed_data;
	atomic_bool listening;
};

gboolean relay_store_db_open(RelayStore *s, const char *path, GError **error);
void relay_store_db_close(RelayStore *s);
gboolean relay_store_db_still_there(RelayStore *s);
void relay_store_db_commit(RelayStore *s, GPtrArray *ops, GError **error);
void relay_store_db_read(RelayStore *s, Op *op);
void relay_store_db_prune(RelayStore *s, gint64 received_before_ms, gint64 messages_before_ms);
