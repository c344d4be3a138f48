/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The store's SQLite side: schema and migrations, the prepared statements,
 * a batch's transaction, reads and retention. Runs on the store thread. */
#include "relay-store-private.h"
#include "wag-json.h"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define PAGE_BYTES (1 << 20)

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
gboolean
relay_store_db_still_there(RelayStore *s)
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

/* Writes a batch of appends in one transaction: ids given, duplicates
 * emptied; on error nothing is kept and every id is 0 again. */
void
relay_store_db_commit(RelayStore *s, GPtrArray *ops, GError **error)
{
	sqlite3_stmt *st = s->insert;
	GError *err = NULL;
	gint64 now = g_get_real_time() / 1000;
	gint64 id = s->last_id;
	g_autoptr(GString) parts = g_string_sized_new(64);

	if (!relay_store_db_still_there(s)) {
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
	if (err)
		g_propagate_error(error, err);
}

/* Fills op->events and op->more from the log; the caller replies. */
void
relay_store_db_read(RelayStore *s, Op *op)
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
}

static void
delete_before(RelayStore *s, const char *sql, gint64 received_before_ms)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, received_before_ms);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
}

/* Retention: events and dedupe keys received before the cut; message
 * events by their own (shorter) cut. */
void
relay_store_db_prune(RelayStore *s, gint64 received_before_ms, gint64 messages_before_ms)
{
	delete_before(s, "DELETE FROM events WHERE received < ?", received_before_ms);
	delete_before(s, "DELETE FROM seen WHERE received < ?", received_before_ms);
	delete_before(s, "DELETE FROM events WHERE kind = 'message' AND received < ?", messages_before_ms);
}

/* Finalizes the statements and closes the database (NULL-safe). */
void
relay_store_db_close(RelayStore *s)
{
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->seen);
	sqlite3_finalize(s->mark);
	sqlite3_close(s->db);
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

/* Opens (creates, migrates) the database at path and prepares the
 * statements every batch uses; on failure the caller frees s. */
gboolean
relay_store_db_open(RelayStore *s, const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;

	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "cannot open database %s: %s", path,
		            s->db ? sqlite3_errmsg(s->db) : g_strerror(errno));
		return FALSE;
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
		return FALSE;
	}
	if (sqlite3_prepare_v2(s->db, "BEGIN IMMEDIATE", -1, &s->begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "COMMIT", -1, &s->commit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO events (id, received, vendor, instance, grp, kind, participants, actor, at, tenant, message)"
	                       " VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &s->insert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO seen (key, received) VALUES (?,?)", -1, &s->seen, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('high_water', ?)", -1, &s->mark, NULL) != SQLITE_OK ||
	    stat(path, &st) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot use database %s: %s", path, sqlite3_errmsg(s->db));
		return FALSE;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	/* Above every id handed out before (kept through retention), and above
	 * the clock, so a deleted or restored file cannot give old ids again. */
	s->last_id = MAX(query_int(s->db, "SELECT COALESCE(MAX(id), 0) FROM events"),
	                 query_int(s->db, "SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = 'high_water'"));
	s->last_id = MAX(s->last_id, g_get_real_time());
	return TRUE;
}
