/* The relay's durable event log: SQLite in WAL mode, owned by one thread.
 * Appends queued together are committed in one transaction (group commit);
 * reads are answered in queue order, so a read sees every commit queued
 * before it. Callbacks run on the main context that opened the store, in
 * the order the work was queued. */
#pragma once
#include "wag-event.h"

typedef struct _RelayStore RelayStore;

/* The outcome of one append (its events go to the committed func). */
typedef void (*RelayStoredFunc)(const GError *error, gpointer data);
/* Every committed batch, ids set, in id order, on the main context. */
typedef void (*RelayCommittedFunc)(GPtrArray *events, gpointer data);
typedef void (*RelayReadFunc)(GPtrArray *events, gboolean more, gpointer data);

RelayStore *relay_store_open(const char *path, GError **error);
void relay_store_set_committed(RelayStore *s, RelayCommittedFunc func, gpointer data);
/* Whether anyone follows the commits now; without, the committed func is
 * not called. Set it before queuing the read that starts a follower. */
void relay_store_set_listening(RelayStore *s, gboolean listening);
/* Takes events; assigns ids in order when committed. cb runs on the main context. */
void relay_store_append(RelayStore *s, GPtrArray *events, RelayStoredFunc cb, gpointer data);
/* The same, but cb runs on the store's own thread right after the commit
 * (for front ends with their own threads). */
void relay_store_append_direct(RelayStore *s, GPtrArray *events, RelayStoredFunc cb, gpointer data);
/* Events with id > after, at most limit; more = there may be further ones. */
void relay_store_read(RelayStore *s, gint64 after, guint limit, RelayReadFunc cb, gpointer data, GDestroyNotify destroy);
void relay_store_prune(RelayStore *s, gint64 received_before_ms);
gint64 relay_store_last_id(RelayStore *s);
/* Finishes queued work, then closes. */
void relay_store_close(RelayStore *s);
