/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Pre-flight checks: every refusal of an admin action is decided here from
 * the cached model, before any vendor call. Pure functions: they read
 * their arguments and return what to tell the user, nothing else. */
#pragma once
#include "wag-model.h"
#include "wag-vendor.h"

G_BEGIN_DECLS

/* What a check lets through and what it has to say. */
typedef struct {
	GPtrArray *ok;    /* ids that pass (char*) */
	GPtrArray *lines; /* refusals to show, in order (char*) */
} WagCheck;

void wag_check_init(WagCheck *c);
void wag_check_clear(WagCheck *c);

/* Why this account may not act on g now (NULL: it may). g may be NULL;
 * me NULL means the vendor cannot tell who we are, so it decides. */
char *wag_check_usable(const WagGroup *g, const char *me, gboolean need_admin);
/* Why join requests cannot be handled in g (NULL: they can). */
char *wag_check_join_requests(const WagVendor *v, const WagGroup *g);
/* Why this account cannot leave g (NULL: it can). */
char *wag_check_leave(const WagGroup *g);

/* Each fills c and returns TRUE when a job should start with c->ok.
 * invalid: pieces that were not phone numbers (may be NULL). */
gboolean wag_check_kick(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid);
gboolean wag_check_decide_requests(WagCheck *c, const WagVendor *v, const WagGroup *g, const char *me,
                                   GPtrArray *ids, GPtrArray *invalid);
/* groups: what the user typed, split at commas. */
gboolean wag_check_unlink(WagCheck *c, const WagVendor *v, const WagGroup *g, const char *me,
                          const char *const *groups);

/* ---- Group administration (issue 18) ---- */
/* /add: people already in g are skipped; only admins add unless g lets
 * everyone (settings "add all"). */
gboolean wag_check_add(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid);
/* /op, /deop: only participants; the creator is never demoted. */
gboolean wag_check_promote(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid);
gboolean wag_check_demote(WagCheck *c, const WagGroup *g, const char *me, GPtrArray *ids, GPtrArray *invalid);
/* /link in a community's chat: groups not linked to it yet. model: to
 * recognise communities and groups linked elsewhere. */
gboolean wag_check_link(WagCheck *c, const WagVendor *v, const WagGroup *g, const char *me,
                        const char *const *groups, WagModel *model);
/* /topic, /description, /settings X, /invitelink: why it cannot be done
 * (NULL: it can). Subjects and descriptions are checked for length. */
char *wag_check_edit(const WagVendor *v, const WagGroup *g, const char *me, const WagEdit *edit);
char *wag_check_invite_link(const WagVendor *v, const WagGroup *g, const char *me, gboolean reset);
/* WhatsApp's limit for a group description. */
#define WAG_DESCRIPTION_MAX 2048
/* Keeps in ids (owned strings) only those in g's join-request queue;
 * says why each other one is left out. Call it when the queue is known
 * (read from the vendor, or kept from the relay's webhooks). */
gboolean wag_check_requested(WagCheck *c, const WagGroup *g, GPtrArray *ids);

G_END_DECLS
