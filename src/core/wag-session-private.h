/* Inside the session: the struct and the calls between its files. Only
 * wag-session.c, wag-sync.c, wag-runner.c, wag-listing.c and wag-apply.c
 * include this. Each field is written by the file named above it.
 *
 * The files call downward only, in this order:
 *   wag-session.c  (life cycle, login order, verbs)
 *     -> wag-sync.c    (relay, polling)
 *     -> wag-runner.c  (jobs, pacing, audit)
 *     -> wag-listing.c (listing, rosters)
 *     -> wag-apply.c   (the one apply path)
 * What a lower file has to tell a higher one comes back through a
 * completion callback given as an argument; what the front end has to
 * know goes through the view table. */
#pragma once
#include "wag-http.h"
#include "wag-job.h"
#include "wag-relay-client.h"
#include "wag-vendor.h"
#include "wag-view.h"

G_BEGIN_DECLS

/* The login order, one step after the other (login_step() in wag-session.c). */
typedef enum {
	WAG_LOGIN_CONFIG,   /* check the configuration, ask the instance's state */
	WAG_LOGIN_STATUS,   /* the state is READY: connected, ask who we are, list */
	WAG_LOGIN_LISTING,  /* waiting for groups, communities and their links */
	WAG_LOGIN_LISTED,   /* listed: resume saved jobs, start live sync */
	WAG_LOGIN_DONE,     /* logged in, or failed */
} WagLoginStep;

typedef void (*WagDoneFunc)(WagSession *s);
typedef void (*WagRosterFunc)(WagSession *s, const char *group, gboolean loaded);

struct _WagSession {
	/* wag-session.c */
	const WagView *view;
	gpointer ui;
	const WagVendor *vendor;
	char *vendor_id, *instance, *token, *client_token, *base;
	char *relay_url, *relay_token;
	WagCreds creds;
	guint removals_per_minute, poll_seconds;
	gboolean leave_on_close;
	char *jobs_path, *audit_path, *live_path;
	WagHttp *http;
	WagModel *model;
	char *me;
	WagLoginStep login_step;
	GHashTable *open_groups; /* group ids whose chats the front end shows */

	/* wag-listing.c */
	gboolean synced;
	WagDoneFunc listing_done; /* until the login's listing is over */
	guint listing_chains;    /* page chains (groups, communities) not over yet */
	gboolean listing_failed; /* one of them failed: said once, no community reads */
	GQueue *community_queue; /* community ids still to read at login */
	guint community_busy;    /* community reads in flight */
	GHashTable *roster_reading; /* group ids whose roster read is in flight */

	/* wag-runner.c */
	GPtrArray *jobs;         /* WagJob*: the first one runs */
	gboolean job_busy;       /* a call of the first job is in flight */
	guint job_timer;         /* drip pause or retry backoff */
	guint job_retries;

	/* wag-sync.c */
	gboolean live_started;
	WagRelayClient *relay;
	GQueue *live_queue;      /* WagEvent* received, not applied yet */
	guint live_idle;
	gint64 live_applied;     /* last event id applied, saved at live_path */
	guint poll_timer, poll_pacer;
	GQueue *poll_queue;      /* group ids to re-read, one a second */
	GHashTable *polling;     /* the ids in poll_queue */

	/* wag-apply.c */
	GHashTable *newest;      /* "group\nperson" -> gint64*: newest vendor time applied */

	/* wag-sync.c: the relay state last told the view (-1: none yet) */
	int relay_told;

	/* wag-requests.c: the join-request queue */
	char *req_path;           /* answered requests, one per line */
	GHashTable *req_answered; /* "group\tperson" -> gint64*: time of the request answered or revoked */
	GHashTable *req_seen;     /* "group\tperson" -> gint64*: time of a request still pending */
	GPtrArray *req_asks;      /* "group\tperson" to ask at the next idle */
	guint req_idle;
	gint64 req_history_before; /* first relay connection: older requests are history (0: none) */
	gboolean req_loaded;      /* req_answered was read: events may be applied */

	/* wag-contacts.c */
	GHashTable *contact_names; /* canonical id -> name (vendors whose rosters have none), or NULL */
	guint contacts_timer;     /* the contacts read waits for the listing's rate limit */
};

/* Every vendor call of the session: the session's base URL, its cancellable. */
static inline void
wag_session_call(WagSession *s, WagRequest *req, WagHttpCallback cb, gpointer data, GDestroyNotify destroy)
{
	wag_http_send(s->http, s->base, req, cb, data, destroy);
}

/* wag-listing.c */
/* The login's listing (groups, communities, their links); done runs once
 * it is over, whether it worked or not (failures were told to the view). */
void wag_listing_start(WagSession *s, WagDoneFunc done);
void wag_listing_stop(WagSession *s);
/* Reads group's roster (a community's: its announcement group's); done
 * (may be NULL) runs when it was read or could not be. While a read of
 * group is in flight, another ask is answered by that one (the done of the
 * first asker runs). */
void wag_roster_load(WagSession *s, const char *group, WagRosterFunc done);
/* The model's group, created if unknown. */
WagGroup *wag_listing_group(WagSession *s, const char *id);

/* wag-runner.c */
void wag_runner_init(WagSession *s);
void wag_runner_start(WagSession *s, WagAction action, const char *group, GPtrArray *ids, const char *reason);
void wag_runner_resume(WagSession *s);
void wag_runner_stop(WagSession *s);
/* A roster the runner may wait for was read (or could not be): a WagRosterFunc. */
void wag_runner_roster_ready(WagSession *s, const char *group, gboolean loaded);

/* wag-sync.c */
void wag_sync_init(WagSession *s);
void wag_sync_start(WagSession *s);
void wag_sync_stop(WagSession *s);
/* Queues e (taken) for the sliced apply. */
void wag_sync_queue(WagSession *s, WagEvent *e);

/* wag-apply.c: the one path for membership changes. FALSE: nothing changed.
 * vendor_time: e->at is the vendor's clock (live sync), so an event older
 * than one already applied for the same person and group is ignored. */
gboolean wag_apply(WagSession *s, const WagEvent *e, gboolean vendor_time);
void wag_apply_stop(WagSession *s);

/* wag-sync.c: the answers were read (wag_requests_load): apply what waited. */
void wag_sync_resume_apply(WagSession *s);

/* wag-contacts.c */
void wag_contacts_start(WagSession *s);
void wag_contacts_stop(WagSession *s);
gboolean wag_contacts_fill(WagSession *s, WagGroup *g);

/* wag-requests.c */
void wag_requests_init(WagSession *s, const char *state_dir, const char *file_key);
void wag_requests_stop(WagSession *s);
/* Reads the answered requests, then calls then (never after free). */
void wag_requests_load(WagSession *s, void (*then)(WagSession *s));
/* Before applying e: e, a copy without requests answered already, or NULL. */
const WagEvent *wag_requests_filter(WagSession *s, const WagEvent *e, WagEvent **copy);
/* After applying e: ask (or summarize) new requests, remember answers. */
void wag_requests_applied(WagSession *s, const WagEvent *e, gboolean vendor_time);
gint wag_requests_cmp_time(gconstpointer a, gconstpointer b);

G_END_DECLS
