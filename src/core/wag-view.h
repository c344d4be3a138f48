/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The types a front end and the session share: the configuration a
 * session is made from, the errors it fails with, and the view table it
 * reports through. Declarations only (and the error quark in wag-view.c):
 * every file of the session may include this without looking up. */
#pragma once
#include <gio/gio.h>
#include "wag-event.h"
#include "wag-model.h"

G_BEGIN_DECLS

typedef struct _WagSession WagSession;

/* ---- Configuration: plain data, copied by wag_session_new() ---- */

typedef struct {
	const char *vendor;        /* "zapi", "greenapi", "wawp" */
	const char *instance;
	const char *token;
	const char *client_token;  /* Z-API account security token; may be NULL or "" */
	const char *api_base;      /* NULL or "": the vendor's default */
	const char *relay_url;     /* NULL or "": no live sync through the relay */
	const char *relay_token;
	guint removals_per_minute; /* 0: no limit */
	guint poll_seconds;        /* vendors without membership webhooks; 0: never */
	gboolean leave_on_close;   /* closing a chat asks whether to leave */
	guint request_timeout;     /* seconds per vendor call */
	const char *state_dir;     /* holds jobs/, relay/ and audit.log */
	guint max_pages;           /* pages of a listing before it stops (told); 0: 200 */
	guint storm_pause_ms;      /* a bulk job's first pause in a 5xx storm; 0: 60 s */
	/* Group administration (issue 18): people added a minute; 0: the
	 * default, WAG_ADDS_PER_MINUTE (adding strangers in bulk is what gets
	 * numbers banned, so there is no "no limit"). */
	guint adds_per_minute;
	const char *messages;      /* "both" (NULL), "read" or "off" */
	guint messages_per_minute; /* outgoing messages and deletions; 0: no limit */
} WagSessionConfig;

#define WAG_ADDS_PER_MINUTE 10

/* ---- Errors given to WagView.failed ---- */

#define WAG_SESSION_ERROR (wag_session_error_quark())
GQuark wag_session_error_quark(void);

typedef enum {
	WAG_SESSION_ERROR_TRANSIENT,   /* network, vendor down, instance starting: reconnect later */
	WAG_SESSION_ERROR_SETTINGS,    /* the configuration cannot work: fix it first */
	WAG_SESSION_ERROR_CREDENTIALS, /* token rejected, or the QR code must be scanned */
	WAG_SESSION_ERROR_FATAL,       /* anything else a retry cannot fix */
} WagSessionErrorCode;

/* ---- The view: how the session tells the front end what happened ----
 * Installed once at wag_session_new(); every slot must be set. `ui` is the
 * front end's pointer given with the table. No slot may free the session;
 * after `failed` the front end frees it when it is ready (not from inside). */

/* Where a notice for a group goes. */
typedef enum {
	WAG_NOTICE_ERROR = 1 << 0,     /* an error rather than information */
	WAG_NOTICE_CHAT_ONLY = 1 << 1, /* only worth saying in the group's open chat */
} WagNoticeFlags;

typedef struct {
	/* Login advanced to step of steps; text is for the user. */
	void (*progress)(gpointer ui, const char *text, guint step, guint steps);
	/* The instance is ready: the account is usable; the listing follows. */
	void (*connected)(gpointer ui);
	/* The session cannot go on. error is in WAG_SESSION_ERROR (its code says
	 * whether a reconnect can help); its message is safe to show. */
	void (*failed)(gpointer ui, const GError *error);
	/* Groups or communities were listed, linked or unlinked: place them
	 * (wag_session_get_model()). complete: the login's listing is done. */
	void (*groups_changed)(gpointer ui, gboolean complete);
	/* What is known of group's roster and subject changed (error NULL: show
	 * it; the roster may still be unknown), or reading it failed (error's
	 * message is the line to show). */
	void (*roster_loaded)(gpointer ui, const char *group, const GError *error);
	/* e was applied to the model (g is its group): mirror it, nothing more. */
	void (*membership_changed)(gpointer ui, const WagGroup *g, const WagEvent *e);
	/* This account is no longer a participant of g. */
	void (*group_left)(gpointer ui, const WagGroup *g);
	/* Something to say about group: job progress, results, failures. */
	void (*group_notice)(gpointer ui, const char *group, const char *text, WagNoticeFlags flags);
	/* Something to say about the account as a whole. */
	void (*account_notice)(gpointer ui, const char *headline, const char *text, gboolean error);
	/* Ask whether to leave group; answer with wag_session_leave(). closing:
	 * the user closed its chat (leave_on_close). */
	void (*ask_leave)(gpointer ui, const char *group, gboolean closing);
	/* who asks to join group; answer with wag_session_start_job(APPROVE or REJECT). */
	void (*join_request)(gpointer ui, const char *group, const char *who);
	/* A job saved by an earlier connection resumes in group: show its chat,
	 * where it reports, as when the user opens it (wag_session_open_group). */
	void (*show_group)(gpointer ui, const char *group);
	/* Group administration (issue 18): group's subject or settings changed
	 * (a command of ours, or an event): show the subject as the topic. The
	 * roster did not change. */
	void (*group_info_changed)(gpointer ui, const char *group);
	/* A group message to show (e->kind == WAG_EVENT_MESSAGE, e->message set;
	 * e->at is the vendor's time). mentions_me: it names this account.
	 * May be NULL (a front end without a conversation). */
	void (*message)(gpointer ui, const WagEvent *e, gboolean mentions_me);
	/* text, queued with wag_session_send_text(), was refused; error's message
	 * is the vendor's words. May be NULL. */
	void (*message_failed)(gpointer ui, const char *group, const char *text, const GError *error);
	/* The relay's state changed (not each retry): live says whether
	 * events flow; text is the line to show. May be NULL in a view. */
	void (*relay_changed)(gpointer ui, gboolean live, const char *text);
} WagView;

G_END_DECLS
