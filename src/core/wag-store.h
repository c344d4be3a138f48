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

G_END_DECLS
