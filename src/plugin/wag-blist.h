/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The buddy list and the room list.
 * Called by: plugin.c (room list prpl ops), wag-account.c (when the session
 * reports groups changed or a group left). Calls: libpurple only, and reads
 * the session's model. */
#pragma once
#include "wag-conn.h"

WagBlist *wag_blist_new(WagConn *conn);
void wag_blist_free(WagBlist *blist);

/* Places every listed group under its community (or the plain groups'
 * folder), a bounded slice per main-loop iteration. complete: the login's
 * listing is done (a waiting room list is filled). */
void wag_blist_groups_changed(WagConn *conn, gboolean complete);
/* Marks g's node as no longer ours to use. */
void wag_blist_mark_left(WagConn *conn, const WagGroup *g);
/* The node of group, in O(1), or NULL. */
PurpleChat *wag_blist_find(WagConn *conn, const char *group);

/* prpl ops */
PurpleRoomlist *wag_roomlist_get_list(PurpleConnection *gc);
void wag_roomlist_cancel(PurpleRoomlist *list);
char *wag_roomlist_room_serialize(PurpleRoomlistRoom *room);
