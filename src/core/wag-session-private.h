/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Inside the session: the struct and the calls between its files. Only
 * wag-session.c (and its verbs' second file, wag-admin.c), wag-sync.c,
 * wag-runner.c (and wag-adds.c), wag-listing.c and wag-apply.c include this. Each field is written by the file named above it.
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
#include "wag-session.h"
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
	GPtrArray *job_in_flight; /* the ids of the call in flight (for the audit log) */
	gpointer job_call;        /* that call's data, to ask the pacer whether it went out */

	/* wag-sync.c */
	gboolean live_started;
	WagRelayClient *relay;
	GQueue *live_queue;      /* WagEvent* received, not applied yet */
	guint live_idle;
	gint64 live_applied;     /* last event id applied, saved at live_path */
	guint poll_timer;
	GQueue *poll_queue;      /* group ids to re-read, in turn */
	gboolean poll_busy;      /* one read is in the pacer or at the vendor */
	GHashTable *polling;     /* the ids in poll_queue or being read */

	/* wag-apply.c */
	GHashTable *newest;      /* "group\nperson" -> gint64*: newest vendor time applied */

	/* wag-session.c: what the status and "me" replies said of this account
	 * (Wawp's session name, the phone, the lids); never NULL */
	WagInstanceInfo *info;
	guint storm_pause_ms;    /* a bulk job's first pause in a 5xx storm */

	/* wag-pacer.c: the one pacer of the session's vendor calls */
	gint64 pace_last[WAG_OP_LAST];   /* monotonic µs of the last call of each op */
	GQueue *pace_queue[WAG_OP_LAST]; /* calls waiting for their op's spacing */
	guint pace_timer[WAG_OP_LAST];
	GPtrArray *pace_later;           /* calls waiting for a backoff */

	/* wag-listing.c (issue 15) */
	WagPager *pager[2];      /* the login's paging: groups, communities */
	guint max_pages;         /* from the configuration (wag-session.c) */
	guint listing_timer;     /* a failed listing, asked again */
	guint listing_backoff;   /* ms before the next try: 1 s doubling to 5 min */
	gboolean listing_told;   /* the user heard the listing failed; tell when it works */
	/* Group administration (issue 18). wag-session.c: */
	guint adds_per_minute;
	/* wag-adds.c: finished adds to check against the roster read again (AddCheck*) */
	GPtrArray *add_checks;
	/* wag-messages.c */
	WagMessagesMode messages_mode;
	guint messages_per_minute; /* sends and deletions (the pacer's WAG_OP_MESSAGE); 0: no limit */
	GHashTable *history;     /* group id -> the last messages seen there (wag-history.c) */
	char *history_path;      /* where they are kept between runs */
	guint history_save;      /* a write waiting (debounced): changes not on disk yet */
	guint history_entries;   /* messages kept in all chats together */
	GQueue *outbox;          /* sends and deletions waiting for their turn */
	gboolean out_busy;       /* one of them is in the pacer or at the vendor */
	GPtrArray *echo_texts;   /* "group\ntext" sent, whose echo has not come back */
	GHashTable *sent_ids;    /* ids of messages we sent, echo not seen yet */
	GHashTable *names;       /* canonical id -> the WhatsApp name its messages carry */

	/* wag-notify.c */
	gboolean notify_on;      /* the vendor's notification queue is read */
	void (*notify_deliver)(WagSession *s, WagEvent *e); /* takes e */
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
	gboolean contacts_asked;  /* read once per login, paced with the listing */
};

/* wag-pacer.c: every vendor call of the session (takes req). op's calls are
 * spaced by wag_vendor_min_spacing_ms(), WAG_OP_MESSAGE's also by the
 * account's messages_per_minute; WAG_OP_LAST: not limited. */
void wag_pacer_send(WagSession *s, WagOp op, WagRequest *req, WagHttpCallback cb, gpointer data,
                    GDestroyNotify destroy);
/* The same after delay_ms (a backoff), then paced like the others. */
void wag_pacer_send_later(WagSession *s, WagOp op, guint delay_ms, WagRequest *req, WagHttpCallback cb,
                          gpointer data, GDestroyNotify destroy);
/* Whether a call with this data still waits here (it has not gone out). */
gboolean wag_pacer_holds(WagSession *s, gconstpointer data);
/* Drops what waits (its data destroyed, no callback). */
void wag_pacer_stop(WagSession *s);

/* Every vendor call of the session: the session's base URL, its
 * cancellable, through the pacer. Prefer wag_session_call_op(), which
 * names the operation so the vendor's rate limit for it is kept. */
static inline void
wag_session_call(WagSession *s, WagRequest *req, WagHttpCallback cb, gpointer data, GDestroyNotify destroy)
{
	wag_pacer_send(s, WAG_OP_LAST, req, cb, data, destroy);
}

static inline void
wag_session_call_op(WagSession *s, WagOp op, WagRequest *req, WagHttpCallback cb, gpointer data,
                    GDestroyNotify destroy)
{
	wag_pacer_send(s, op, req, cb, data, destroy);
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
/* wag-audit.c: one line of the audit log (a job's call, or a single admin call). */
/* result: NULL = "error" when error is set, else "ok". */
void wag_runner_audit(WagSession *s, const char *group, const char *action, const char *const *ids, guint n,
                      const char *reason, const char *result, const GError *error);
/* The line of one message deleted for everyone (wag-messages.c). */
void wag_runner_audit_delete(WagSession *s, const char *group, const char *from, const char *message_id,
                             const GError *error);
/* A roster the runner may wait for was read (or could not be): a WagRosterFunc. */
void wag_runner_roster_ready(WagSession *s, const char *group, gboolean loaded);

/* wag-adds.c: once an add job is over, read the roster again and say who
 * is in the group and who WhatsApp refused (done: the ids the vendor took). */
void wag_adds_check(WagSession *s, const char *group, GPtrArray *done);
void wag_adds_stop(WagSession *s);

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

/* wag-messages.c: the conversation (sync hands it the message events). */
void wag_messages_init(WagSession *s, const char *mode, guint per_minute);
void wag_messages_stop(WagSession *s);
void wag_messages_receive(WagSession *s, const WagEvent *e);

/* wag-notify.c: without a relay, read the vendor's notification queue
 * (Green API) into the live queue, when no webhook URL takes it. */
void wag_notify_start(WagSession *s, void (*deliver)(WagSession *s, WagEvent *e));
void wag_notify_stop(WagSession *s);
/* wag-sync.c: the answers were read (wag_requests_load): apply what waited. */
void wag_sync_resume_apply(WagSession *s);

/* wag-contacts.c */
void wag_contacts_start(WagSession *s);
void wag_contacts_stop(WagSession *s);
gboolean wag_contacts_fill(WagSession *s, WagGroup *g);
/* The name known for id: its contacts' name, else the one its messages
 * carry (roster names, where the vendor gives them, come first). */
const char *wag_contacts_name(WagSession *s, const char *id);

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
