/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* One logged-in vendor instance: the domain of the project, without any
 * front end. A session is made from plain configuration data, owns the
 * vendor client, HTTP, the model, the job queue, live sync and polling, and
 * tells its front end what happened through one table of function pointers
 * (WagView). The front end (the libpurple 2 plugin, a test, a benchmark, a
 * future libpurple 3 protocol) implements the view and calls the verbs.
 *
 * Who calls what:
 *   front end -> wag_session_*()       (this header: life cycle, reading, verbs)
 *   session   -> WagView slots         (wag-view.h, with the configuration)
 *   session   -> completion callbacks given as arguments to a verb
 * Nothing in the core calls a front-end function by name. */
#pragma once
#include <gio/gio.h>
#include "wag-job.h"
#include "wag-vendor.h"
#include "wag-view.h"

G_BEGIN_DECLS

/* ---- Life cycle ---- */

/* Copies config; nothing starts yet. */
WagSession *wag_session_new(const WagSessionConfig *config, const WagView *view, gpointer ui);
/* The login order (wag-session.c, login_step()): checks the
 * configuration, the instance, lists groups and communities, resumes saved
 * jobs, starts live sync. Failures arrive through view->failed. */
void wag_session_start(WagSession *s);
/* Cancels everything: no view slot and no callback runs afterwards. */
void wag_session_free(WagSession *s);

/* ---- What the front end may read ---- */

const WagVendor *wag_session_get_vendor(WagSession *s); /* NULL: unknown vendor */
WagModel *wag_session_get_model(WagSession *s);
/* This account's canonical id, or NULL when the vendor cannot tell. */
const char *wag_session_get_me(WagSession *s);
/* The login's listing is complete. */
gboolean wag_session_is_synced(WagSession *s);
/* Live sync keeps the model current (relay followed, or rosters polled). */
gboolean wag_session_is_live(WagSession *s);

/* ---- Verbs ---- */

/* The front end shows group's chat: the roster is read unless the model is
 * known current; result through view->roster_loaded. */
void wag_session_open_group(WagSession *s, const char *group);
/* The front end closed group's chat: asks view->ask_leave if configured. */
void wag_session_close_group(WagSession *s, const char *group);
/* Re-reads group's roster from the vendor. */
void wag_session_load_roster(WagSession *s, const char *group);
/* Queues an admin action; runs one call at a time, paced, resumable.
 * ids: canonical ids (group ids for UNLINK); none for LEAVE. */
void wag_session_start_job(WagSession *s, WagAction action, const char *group,
                           GPtrArray *ids, const char *reason);
void wag_session_leave(WagSession *s, const char *group);
/* Asks the user (view->ask_leave) whether to leave group, unless it cannot
 * be left; returns the refusal to show, or NULL. */
char *wag_session_propose_leave(WagSession *s, const char *group);

typedef void (*WagRequestsFunc)(WagSession *s, const char *group, const GError *error, gpointer data);
/* Reads group's pending join requests into the model (g->pending) and
 * calls done; never after wag_session_free(). destroy (may be NULL) frees
 * data once done ran, or when the session is freed before the answer. */
void wag_session_list_requests(WagSession *s, const char *group, WagRequestsFunc done, gpointer data,
                               GDestroyNotify destroy);

/* Applies an event as if it came from live sync (tests, benchmarks, and
 * front ends that receive events some other way). Takes e. */
void wag_session_push_event(WagSession *s, WagEvent *e);

/* ---- This account, as the vendor describes it (issue 15) ---- */

/* What the status and "me" replies said: Wawp's session name (what its
 * webhooks carry in `session`), the phone, the lids. Never NULL. */
const WagInstanceInfo *wag_session_get_info(WagSession *s);
/* Whether a roster id (canonical: phone or "...@lid") is this account. */
gboolean wag_session_is_me(WagSession *s, const char *id);
/* The id under which group's roster lists this account (its lid when the
 * roster names it so), for the admin pre-checks; else the phone, or NULL. */
const char *wag_session_me_in(WagSession *s, const char *group);
/* ---- Group administration (issue 18; wag-admin.c) ----
 * Adding, promoting, demoting and linking are jobs: wag_session_start_job()
 * with WAG_ACTION_ADD (paced at adds_per_minute), PROMOTE, DEMOTE, LINK.
 * The calls below change the group itself, one call each, audited. */

/* Why group's subject, description or setting cannot be changed now,
 * "<Vendor> has no API for ..." included (NULL: it can). Makes no call. */
char *wag_session_check_edit(WagSession *s, const char *group, const WagEdit *edit);
/* Makes the change after the same checks; the result goes to
 * view->group_notice; a success updates the model (and, for the subject,
 * calls view->group_info_changed so the topic follows, and
 * view->groups_changed for the buddy list). */
void wag_session_edit(WagSession *s, const char *group, const WagEdit *edit);
/* The same for showing (reset FALSE) or revoking and showing anew (reset
 * TRUE) group's invite link: the link goes to view->group_notice. */
char *wag_session_check_invite_link(WagSession *s, const char *group, gboolean reset);
void wag_session_invite_link(WagSession *s, const char *group, gboolean reset);
/* group's settings as the model knows them, for /settings (one line). */
char *wag_session_describe_settings(WagSession *s, const char *group);
/* ---- Conversation (wag-messages.c) ---- */

typedef enum {
	WAG_MESSAGES_BOTH, /* read and send (the account option `messages`, default) */
	WAG_MESSAGES_READ, /* show messages, send none */
	WAG_MESSAGES_OFF,  /* the admin-only plugin: neither */
} WagMessagesMode;

WagMessagesMode wag_session_messages_mode(WagSession *s);
/* Queues text for group's chat (paced); returns the refusal to show, or
 * NULL. A vendor's refusal comes later through view->message_failed. */
char *wag_session_send_text(WagSession *s, const char *group, const char *text);
/* The line for e (a message that view->message said mentions this
 * account) addressed to nick: WhatsApp's "@NUMBER" of this account
 * becomes "@nick", or the line is "nick: ..." when only the vendor's
 * mention list named it. For hosts that cannot highlight otherwise
 * (bitlbee: IRC clients highlight lines carrying the nick). */
char *wag_session_addressed_line(WagSession *s, const WagEvent *e, const char *nick);
/* Deletes for everyone who's last n (0: all) messages known in group
 * (wag-history.c); returns the refusal to show, or NULL. Each call is audited; the
 * summary comes through view->group_notice. */
char *wag_session_delete_messages(WagSession *s, const char *group, const char *who, guint n);
/* The name known for who: its contacts' name, else the WhatsApp name its
 * messages carry; or NULL. */
const char *wag_session_get_name(WagSession *s, const char *who);

G_END_DECLS
