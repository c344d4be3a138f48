/* Glue between libpurple and the core. One WagConn per PurpleConnection. */
#pragma once
#include <purple.h>
#include "wag-event.h"
#include "wag-http.h"
#include "wag-job.h"
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
	char *me;                /* this account's canonical id, or NULL if the vendor cannot tell */
	guint removals_per_minute;
	gboolean leave_on_close;
	GPtrArray *jobs;         /* WagJob*: the first one runs */
	gboolean job_busy;       /* a call of the first job is in flight */
	guint job_timer;         /* drip pause or retry backoff */
	guint job_retries;
	GPtrArray *prompts;      /* open requests, freed at close */
	char *jobs_path;         /* <user dir>/wagateway/jobs/VENDOR-INSTANCE.json */
	char *audit_path;        /* <user dir>/wagateway/audit.log */
	/* live sync (wag-live.c) */
	gboolean live_started;
	struct _WagRelayClient *relay;
	GQueue *live_queue;      /* WagEvent* received, not applied yet */
	guint live_idle;
	gint64 live_applied;     /* last event id applied, saved at live_path */
	char *live_path;         /* <user dir>/wagateway/relay/VENDOR-INSTANCE.last */
	guint poll_timer, poll_pacer;
	GQueue *poll_queue;      /* group ids to re-read, one a second */
} WagConn;

static inline WagConn *
wag_conn(PurpleConnection *gc)
{
	return gc ? purple_connection_get_protocol_data(gc) : NULL;
}

/* plugin.c: why this process cannot run the plugin (libsoup 2 is loaded). */
const char *wag_soup2_message(void);

/* wag-conn.c */
void wag_conn_login(PurpleAccount *account);
void wag_conn_close(PurpleConnection *gc);
void wag_conn_send(WagConn *conn, WagRequest *req, WagHttpCallback cb, gpointer data, GDestroyNotify destroy);

/* wag-blist.c */
void wag_blist_sync(WagConn *conn);
void wag_blist_place_all(WagConn *conn);
void wag_blist_mark_left(WagConn *conn, WagGroup *g);
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
/* Owner = founder, admin = operator. */
PurpleConvChatBuddyFlags wag_chat_role_flags(WagRole role);
/* Opens the chat unless it is open; reads the roster if asked or unknown. */
void wag_chat_open(WagConn *conn, const char *group, gboolean reload);

/* wag-events.c: the one path for membership changes. FALSE: nothing changed. */
gboolean wag_events_apply(WagConn *conn, const WagEvent *e);

/* wag-live.c */
void wag_live_start(WagConn *conn);
void wag_live_stop(WagConn *conn);

/* wag-cmds.c */
void wag_cmds_register(void);
void wag_cmds_unregister(void);
/* Runs "/command ..." typed as chat text (bridges); FALSE if it names none of ours. */
gboolean wag_cmds_run_text(PurpleConversation *conv, const char *message);

/* wag-actions.c */
void wag_actions_start(WagConn *conn, WagAction action, const char *group, GPtrArray *ids, const char *reason);
void wag_actions_resume(WagConn *conn);
void wag_actions_roster_ready(WagConn *conn, const char *group, gboolean loaded);
void wag_actions_cancel_all(WagConn *conn);
void wag_actions_confirm_leave(WagConn *conn, const char *group, gboolean closing);
void wag_actions_prompt_join(WagConn *conn, const char *group, const char *who);
GPtrArray *wag_actions_new_prompts(void);
