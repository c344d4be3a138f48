/* Glue between libpurple and the core. One WagConn per PurpleConnection. */
#pragma once
#include <purple.h>
#include "wag-http.h"
#include "wag-model.h"
#include "wag-vendor.h"
#include "wag-i18n.h"

#define WAG_PRPL_ID "prpl-wagateway"
#define WAG_PREFS_ROOT "/plugins/prpl/wagateway"
#define WAG_PREF_TIMEOUT WAG_PREFS_ROOT "/request_timeout"
#define WAG_CHAT_KEY "group"
#define WAG_BLIST_AUTO "wagateway-auto"

typedef struct {
	PurpleConnection *gc;
	PurpleAccount *account;
	const WagVendor *vendor;
	WagCreds creds;          /* strings owned below */
	char *instance, *token, *client_token, *base;
	WagHttp *http;
	WagModel *model;
	GHashTable *chat_ids;    /* group id -> GINT_TO_POINTER(purple chat id) */
	GHashTable *chat_groups; /* purple chat id -> group id (owned) */
	int next_chat_id;
	gboolean synced;         /* groups and communities listed */
	PurpleRoomlist *roomlist; /* waiting for the listing, or NULL */
} WagConn;

static inline WagConn *
wag_conn(PurpleConnection *gc)
{
	return gc ? purple_connection_get_protocol_data(gc) : NULL;
}

/* wag-conn.c */
void wag_conn_login(PurpleAccount *account);
void wag_conn_close(PurpleConnection *gc);
void wag_conn_send(WagConn *conn, WagRequest *req, WagHttpCallback cb, gpointer data, GDestroyNotify destroy);

/* wag-blist.c */
void wag_blist_sync(WagConn *conn);
PurpleRoomlist *wag_roomlist_get_list(PurpleConnection *gc);
void wag_roomlist_cancel(PurpleRoomlist *list);

/* wag-chat.c */
GList *wag_chat_info(PurpleConnection *gc);
GHashTable *wag_chat_info_defaults(PurpleConnection *gc, const char *name);
char *wag_get_chat_name(GHashTable *components);
void wag_chat_join(PurpleConnection *gc, GHashTable *components);
void wag_chat_leave(PurpleConnection *gc, int id);
int wag_chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags);
const char *wag_chat_group_of(WagConn *conn, int id);
PurpleConversation *wag_chat_find(WagConn *conn, const char *group);
void wag_chat_write(PurpleConversation *conv, const char *text, gboolean error);
void wag_chat_load_roster(WagConn *conn, const char *group);
void wag_chat_show_roster(WagConn *conn, const char *group);
