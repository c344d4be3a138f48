/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Disk writes on one background thread, in order: the main loop never waits
 * on the disk. Files are created 0600 with their folders (0700). */
#pragma once
#include <gio/gio.h>

G_BEGIN_DECLS

/* Appends line and a newline. */
void wag_store_append(const char *path, const char *line);
/* Replaces the file atomically (temp file + rename); NULL contents deletes it. */
void wag_store_replace(const char *path, const char *contents);
/* Blocks until every queued write is on disk: for unload and tests only. */
void wag_store_flush(void);
/* Reads the file on the writer thread, after every write queued before it,
 * and calls back on the caller's main context. Finish with
 * wag_store_load_finish(): the contents, or NULL with an error (a missing
 * file is G_IO_ERROR_NOT_FOUND). */
void wag_store_load(const char *path, GCancellable *cancellable, GAsyncReadyCallback cb, gpointer data);
char *wag_store_load_finish(GAsyncResult *res, GError **error);

G_END_DECLS
