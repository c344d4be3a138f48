/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The relay's durable event log: SQLite in WAL mode, owned by one thread.
 * Appends queued together are committed in one transaction (group commit);
 * reads are answered in queue order, so a read sees every commit queued
 * before it. Callbacks run on the main context that opened the store, in
 * the order the work was queued.
 *
 * Ids never go back: the highest id handed out is kept in the database
 * (it outlives retention), and a database opened again starts above the
 * current time in microseconds, so even a deleted or restored file gives
 * no id twice. A file removed or replaced under a running relay is noticed
 * (before each commit and every few seconds) and the store refuses to go on. */
#pragma once
#include "wag-event.h"

typedef struct _RelayStore RelayStore;

/* The outcome of one append: duplicate = the webhook was stored before. */
typedef void (*RelayStoredFunc)(const GError *error, gboolean duplicate, gpointer data);
/* Every committed batch, ids set, in id order, on the main context;
 * tenants[i] (interned) owns events[i]. */
typedef void (*RelayCommittedFunc)(GPtrArray *events, GPtrArray *tenants, gpointer data);
typedef void (*RelayReadFunc)(GPtrArray *events, gboolean more, gpointer data);

RelayStore *relay_store_open(const char *path, GError **error);
void relay_store_set_committed(RelayStore *s, RelayCommittedFunc func, gpointer data);
/* Whether anyone follows the commits now; without, the committed func is
 * not called. Set it before queuing the read that starts a follower. */
void relay_store_set_listening(RelayStore *s, gboolean listening);
/* Takes events; assigns ids in order when committed. tenant is interned;
 * dedupe names the webhook (stored once per key within the retention).
 * store_messages FALSE: the message events get ids and are streamed to
 * followers but never written (a tenant keeping no message text on disk). */
void relay_store_append(RelayStore *s, const char *tenant, const char *dedupe, GPtrArray *events,
                        gboolean store_messages, RelayStoredFunc cb, gpointer data);
/* The tenant's events with id > after, at most limit; more = there may be further ones. */
void relay_store_read(RelayStore *s, const char *tenant, gint64 after, guint limit, RelayReadFunc cb, gpointer data,
                      GDestroyNotify destroy);
/* Deletes the events and dedupe keys received before received_before_ms,
 * and the message events received before messages_before_ms (their own
 * retention). */
void relay_store_prune(RelayStore *s, gint64 received_before_ms, gint64 messages_before_ms);
/* Queues a check that the database file is still the one opened. */
void relay_store_check(RelayStore *s);
/* FALSE when the last commit failed or the database file is gone. */
gboolean relay_store_healthy(RelayStore *s);
/* FALSE once the database file is gone: nothing can be stored any more
 * (a failed commit, e.g. a full disk, may pass; the next one is tried). */
gboolean relay_store_usable(RelayStore *s);
gint64 relay_store_last_id(RelayStore *s);
/* Finishes queued work, then closes. */
void relay_store_close(RelayStore *s);
