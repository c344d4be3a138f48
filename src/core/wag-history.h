/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The messages /delete can name, per chat (wag-history.c).
 * Called by: wag-messages.c (what was seen, sent and deleted; /delete),
 * wag-session.c (init and stop). */
#pragma once
#include "wag-session.h"

G_BEGIN_DECLS

typedef struct {
	char *id, *from;
	gboolean from_me, deleted;
	gint64 at; /* the vendor's time, ms; 0: unknown */
} WagSeen;

/* Reads what an earlier run kept (state_dir NULL: memory only). */
void wag_history_init(WagSession *s, const char *state_dir, const char *file_key);
/* Queues the last write and frees. */
void wag_history_stop(WagSession *s);
void wag_history_remember(WagSession *s, const char *group, const char *id, const char *from, gboolean from_me,
                          gint64 at);
WagSeen *wag_history_lookup(WagSession *s, const char *group, const char *id);
void wag_history_mark_deleted(WagSession *s, const char *group, const char *id);
/* who's last n (0: all) messages not deleted, newest first (WagSeen*, owned by the history). */
GPtrArray *wag_history_pick(WagSession *s, const char *group, const char *who, guint n);
/* Queues the write of what changed, now (the debounced timer's work;
 * wag_history_stop, tests/bench/bench-history.c). */
void wag_history_save(WagSession *s);
/* Per chat, what /delete can reach. */
#define WAG_HISTORY_PER_GROUP 500

G_END_DECLS
