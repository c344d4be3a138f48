/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "relay-store.h"
#include "wag-json.h"
#include <sqlite3.h>
#include <errno.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/stat.h>

#define BATCH_MAX 512
#define PAGE_BYTES (1 << 20)

typedef enum { OP_APPEND, OP_READ, OP_PRUNE, OP_CHECK, OP_QUIT, OP_PRUNE_MESSAGES } OpKind;

typedef struct {
	OpKind kind;
	GPtrArray *events;
	RelayStoredFunc stored;
	RelayReadFunc read;
	gpointer data;
	GDestroyNotify destroy;
	gint64 after;
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

static gboolean
exec(sqlite3 *db, const char *sql, GError **error)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return TRUE;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	return FALSE;
}

/* A JSON array of strings, written directly: this runs for every stored
 * event inside the commit, where a JsonBuilder's objects cost too much. */
static void
participants_json(GString *out, const WagEvent *e)
{
	g_string_truncate(out, 0);
	g_string_append_c(out, '[');
	for (guint i = 0; i < e->participants->len; i++) {
		const char *p = e->participants->pdata[i];
		if (i)
			g_string_append_c(out, ',');
		g_string_append_c(out, '"');
		for (; *p; p++) {
			guchar ch = (guchar) *p;
			if (ch == '"' || ch == '\\')
				g_string_append_printf(out, "\\%c", ch);
			else if (ch < 0x20)
				g_string_append_printf(out, "\\u%04x", ch);
			else
				g_string_append_c(out, (char) ch);
		}
		g_string_append_c(out, '"');
	}
	g_string_append_c(out, ']');
}

/* A message event's own members (wag-message.h) as JSON, for its column. */
static char *
message_json(const WagEvent *e)
{
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) n = NULL;

	if (!e->message)
		return NULL;
	b = json_builder_new();
	json_builder_begin_object(b);
	wag_message_build_members(e->message, b);
	json_builder_end_object(b);
	n = json_builder_get_root(b);
	return json_to_string(n, FALSE);
}

static gboolean
step(RelayStore *s, sqlite3_stmt *st, GError **error)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return TRUE;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sqlite3_sql(st), sqlite3_errmsg(s->db));
	return FALSE;
}

/* The file at the path is still the one opened: a database removed or
 * replaced under the relay would take its commits into a deleted file and
 * give ids again after a restart. */
static gboolean
still_there(RelayStore *s)
{
	struct stat st;
	if (atomic_load(&s->gone))
		return FALSE;
	if (stat(s->path, &st) != 0 || st.st_dev != s->dev || st.st_ino != s->ino) {
		atomic_store(&s->gone, TRUE);
		g_printerr("level=error msg=\"the database file was removed or replaced; refusing to store\" db=%s\n", s->path);
		return FALSE;
	}
	return TRUE;
}

static void
commit_batch(RelayStore *s, GPtrArray *ops)
{
	sqlite3_stmt *st = s->insert;
	GError *err = NULL;
	gint64 now = g_get_real_time() / 1000;
	gint64 id = s->last_id;
	g_autoptr(GString) parts = g_string_sized_new(64);

	if (!still_there(s)) {
		g_set_error(&err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the database file was removed or replaced");
		goto out;
	}
	if (!step(s, s->begin, &err))
		goto out;
	for (guint i = 0; i < ops->len && !err; i++) {
		Op *op = ops->pdata[i];
		sqlite3_bind_text(s->seen, 1, op->dedupe, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->seen, 2, now);
		if (!step(s, s->seen, &err))
			break;
		/* Seen before (a vendor's retry, a replay): stored once. */
		op->duplicate = sqlite3_changes(s->db) == 0;
		for (guint j = 0; j < op->events->len && !err && !op->duplicate; j++) {
			WagEvent *e = op->events->pdata[j];
			g_autofree char *msg = NULL;
			if (op->live_messages && e->kind == WAG_EVENT_MESSAGE) {
				/* The tenant keeps no message text on disk: an id, no row. */
				e->id = ++id;
				continue;
			}
			msg = message_json(e);
			participants_json(parts, e);
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, ++id);
			sqlite3_bind_int64(st, 2, now);
			sqlite3_bind_text(st, 3, e->vendor, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, e->instance, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, e->group, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6, wag_event_kind_name(e->kind), -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 7, parts->str, (int) parts->len, SQLITE_STATIC);
			sqlite3_bind_text(st, 8, e->actor, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 9, e->at);
			sqlite3_bind_text(st, 10, op->tenant, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 11, msg, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(st) != SQLITE_DONE)
				g_set_error(&err, G_IO_ERROR, G_IO_ERROR_FAILED, "insert: %s", sqlite3_errmsg(s->db));
			e->id = id;
		}
		if (op->duplicate)
			g_ptr_array_set_size(op->events, 0);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_clear_bindings(s->seen);
	if (!err && id != s->last_id) {
		sqlite3_bind_int64(s->mark, 1, id);
		step(s, s->mark, &err);
	}
	if (err || !step(s, s->commit, &err)) {
		exec(s->db, "ROLLBACK", NULL);
		for (guint i = 0; i < ops->len; i++) {
			Op *op = ops->pdata[i];
			for (guint j = 0; j < op->events->len; j++)
				((WagEvent *) op->events->pdata[j])->id = 0;
		}
	} else {
		s->last_id = id;
	}
out:
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

static void
do_read(RelayStore *s, Op *op)
{
	sqlite3_stmt *st = NULL;
	gsize bytes = 0;
	gboolean full = FALSE;

	op->events = g_ptr_array_new_with_free_func((GDestroyNotify) wag_event_free);
	if (sqlite3_prepare_v2(s->db, "SELECT id, vendor, instance, grp, kind, participants, actor, at, message FROM events"
	                       " WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, op->tenant, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, op->after);
		sqlite3_bind_int(st, 3, (int) op->limit);
		/* A page is bounded in bytes too: 500 events of a quarter MB each
		 * would be 128 MB per follower. */
		while (!full && sqlite3_step(st) == SQLITE_ROW) {
			WagEventKind kind;
			const char *parts = (const char *) sqlite3_column_text(st, 5);
			WagEvent *e;
			g_autoptr(JsonNode) pn = NULL;

			if (!wag_event_kind_from_name((const char *) sqlite3_column_text(st, 4), &kind))
				continue;
			e = wag_event_new(kind, (const char *) sqlite3_column_text(st, 3));
			e->id = sqlite3_column_int64(st, 0);
			e->vendor = g_strdup((const char *) sqlite3_column_text(st, 1));
			e->instance = g_strdup((const char *) sqlite3_column_text(st, 2));
			e->actor = g_strdup((const char *) sqlite3_column_text(st, 6));
			e->at = sqlite3_column_int64(st, 7);
			if (kind == WAG_EVENT_MESSAGE) {
				const char *m = (const char *) sqlite3_column_text(st, 8);
				g_autoptr(JsonNode) mn = m ? wag_json_parse(m, strlen(m), NULL) : NULL;
				JsonObject *mo = wag_json_obj(mn);
				if (!mo) {
					wag_event_free(e);
					continue;
				}
				e->message = wag_message_from_object(mo);
			}
			bytes += (gsize) sqlite3_column_bytes(st, 5) + (gsize) sqlite3_column_bytes(st, 8);
			full = bytes >= PAGE_BYTES;
			pn = parts ? wag_json_parse(parts, strlen(parts), NULL) : NULL;
			if (pn && JSON_NODE_HOLDS_ARRAY(pn)) {
				JsonArray *a = json_node_get_array(pn);
				for (guint i = 0; i < json_array_get_length(a); i++)
					g_ptr_array_add(e->participants, g_strdup(json_array_get_string_element(a, i)));
			}
			g_ptr_array_add(op->events, e);
		}
	}
	sqlite3_finalize(st);
	op->more = full || op->events->len >= op->limit;
	reply(s, op);
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
			do_read(s, op);
			break;
		case OP_PRUNE: {
			sqlite3_stmt *st = NULL;
			if (sqlite3_prepare_v2(s->db, "DELETE FROM events WHERE received < ?", -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_int64(st, 1, op->after);
				sqlite3_step(st);
			}
			sqlite3_finalize(st);
			st = NULL;
			if (sqlite3_prepare_v2(s->db, "DELETE FROM seen WHERE received < ?", -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_int64(st, 1, op->after);
				sqlite3_step(st);
			}
			sqlite3_finalize(st);
			op_free(op);
			break;
		}
		case OP_PRUNE_MESSAGES: {
			sqlite3_stmt *st = NULL;
			if (sqlite3_prepare_v2(s->db, "DELETE FROM events WHERE kind = 'message' AND received < ?",
			                       -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_int64(st, 1, op->after);
				sqlite3_step(st);
			}
			sqlite3_finalize(st);
			op_free(op);
			break;
		}
		case OP_CHECK:
			still_there(s);
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
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->seen);
	sqlite3_finalize(s->mark);
	sqlite3_close(s->db);
	g_free(s->path);
	g_free(s);
}

static gint64
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	gint64 v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

RelayStore *
relay_store_open(const char *path, GError **error)
{
	RelayStore *s = g_new0(RelayStore, 1);
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;

	s->path = g_strdup(path);
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "cannot open database %s: %s", path,
		            s->db ? sqlite3_errmsg(s->db) : g_strerror(errno));
		store_free(s);
		return NULL;
	}
	/* WAL + FULL: a commit is on disk (fsync'd) when COMMIT returns. */
	/* Exclusive first: the only process using the file then keeps the WAL
	 * index in its own memory and takes no file locks per transaction. */
	if (!exec(s->db, "PRAGMA locking_mode=EXCLUSIVE", error) ||
	    !exec(s->db, "PRAGMA journal_mode=WAL", error) || !exec(s->db, "PRAGMA synchronous=FULL", error) ||
	    !exec(s->db, "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, received INTEGER NOT NULL,"
	          " vendor TEXT, instance TEXT, grp TEXT NOT NULL, kind TEXT NOT NULL, participants TEXT NOT NULL,"
	          " actor TEXT, at INTEGER, tenant TEXT NOT NULL DEFAULT 'default')", error) ||
	    /* Databases from before tenants: their events are the shorthand tenant's. */
	    (query_int(s->db, "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'tenant'") == 0 &&
	     !exec(s->db, "ALTER TABLE events ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default'", error)) ||
	    /* Group messages (their members as JSON); NULL for participant events. */
	    (query_int(s->db, "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'message'") == 0 &&
	     !exec(s->db, "ALTER TABLE events ADD COLUMN message TEXT", error)) ||
	    !exec(s->db, "CREATE INDEX IF NOT EXISTS events_received ON events (received)", error) ||
	    !exec(s->db, "CREATE INDEX IF NOT EXISTS events_tenant ON events (tenant, id)", error) ||
	    !exec(s->db, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)", error) ||
	    !exec(s->db, "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, received INTEGER NOT NULL)", error) ||
	    !exec(s->db, "CREATE INDEX IF NOT EXISTS seen_received ON seen (received)", error)) {
		g_prefix_error(error, "cannot use database %s: ", path);
		store_free(s);
		return NULL;
	}
	if (sqlite3_prepare_v2(s->db, "BEGIN IMMEDIATE", -1, &s->begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "COMMIT", -1, &s->commit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO events (id, received, vendor, instance, grp, kind, participants, actor, at, tenant, message)"
	                       " VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &s->insert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO seen (key, received) VALUES (?,?)", -1, &s->seen, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('high_water', ?)", -1, &s->mark, NULL) != SQLITE_OK ||
	    stat(path, &st) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot use database %s: %s", path, sqlite3_errmsg(s->db));
		store_free(s);
		return NULL;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	/* Above every id handed out before (kept through retention), and above
	 * the clock, so a deleted or restored file cannot give old ids again. */
	s->last_id = MAX(query_int(s->db, "SELECT COALESCE(MAX(id), 0) FROM events"),
	                 query_int(s->db, "SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = 'high_water'"));
	s->last_id = MAX(s->last_id, g_get_real_time());
	s->context = g_main_context_ref_thread_default();
	s->queue = g_async_queue_new();
	s->thread = g_thread_new("relay-store", store_thread, s);
	return s;
}

void
relay_store_append_full(RelayStore *s, const char *tenant, const char *dedupe, GPtrArray *events,
                        gboolean store_messages, RelayStoredFunc cb, gpointer data)
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
relay_store_append(RelayStore *s, const char *tenant, const char *dedupe, GPtrArray *events, RelayStoredFunc cb,
                   gpointer data)
{
	relay_store_append_full(s, tenant, dedupe, events, TRUE, cb, data);
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
relay_store_prune(RelayStore *s, gint64 received_before_ms)
{
	Op *op = g_new0(Op, 1);
	op->kind = OP_PRUNE;
	op->after = received_before_ms;
	g_async_queue_push(s->queue, op);
}

void
relay_store_prune_messages(RelayStore *s, gint64 received_before_ms)
{
	Op *op = g_new0(Op, 1);
	op->kind = OP_PRUNE_MESSAGES;
	op->after = received_before_ms;
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
