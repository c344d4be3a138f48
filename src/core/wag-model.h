/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* What we know of the instance's groups and communities. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	WAG_ROLE_MEMBER,
	WAG_ROLE_ADMIN,
	WAG_ROLE_OWNER, /* creator / super admin: never removed */
} WagRole;

typedef struct {
	char *id;   /* canonical (wag_phone_canonical) */
	char *name; /* may be NULL */
	WagRole role;
} WagParticipant;

/* A group's settings (WhatsApp's names: announce, restrict, membership
 * approval, member add mode), as /settings shows and changes them. */
typedef enum {
	WAG_SETTING_ANNOUNCE, /* only admins send messages */
	WAG_SETTING_LOCKED,   /* only admins edit the subject, description, picture */
	WAG_SETTING_APPROVAL, /* admins approve who joins */
	WAG_SETTING_ADMINS_ADD, /* only admins add participants */
	WAG_SETTING_LAST
} WagSetting;

typedef struct {
	char *id;            /* exactly as the vendor writes it */
	char *subject;
	char *owner;         /* canonical, may be NULL */
	char *community_id;  /* the community this group is linked to, or NULL */
	gboolean is_community;
	gboolean is_announcement;
	gboolean roster_loaded;
	gboolean left;       /* this account is no longer a participant */
	gboolean left_by_us; /* ... through its own /leave (the job says so itself) */
	GHashTable *participants; /* canonical id -> WagParticipant */
	GPtrArray *subgroups;     /* communities: group ids, announcement group included */
	char *announcement_id;    /* communities: the group that holds every member */
	GPtrArray *pending;       /* canonical ids asking to join */
	/* Group administration (issue 18). */
	char *description;        /* NULL: unknown */
	gint8 settings[WAG_SETTING_LAST]; /* 1 on, 0 off, -1 unknown */
} WagGroup;

WagGroup *wag_group_new(const char *id, const char *subject);
void wag_group_free(WagGroup *g);
WagParticipant *wag_group_add_participant(WagGroup *g, const char *canonical_id, WagRole role);
/* A subject as shown to the user: WhatsApp allows 100 characters (Green API
 * CreateGroup: groupName, "maximum length 100 characters"), so a longer one
 * from a broken or hostile vendor is cut there with "…"; control characters
 * become spaces and invalid UTF-8 U+FFFD. NULL gives NULL. */
#define WAG_SUBJECT_MAX 100
char *wag_subject_for_display(const char *subject);
/* Participants sorted by id, for stable output. */
GPtrArray *wag_group_sorted_participants(WagGroup *g);

typedef struct {
	GHashTable *groups; /* id -> WagGroup (groups and communities) */
	GHashTable *sort_keys; /* id -> collation key of the subject it was made from (wag_model_sorted) */
} WagModel;

WagModel *wag_model_new(void);
void wag_model_free(WagModel *m);
WagGroup *wag_model_lookup(WagModel *m, const char *id);
/* Takes g; merges into an existing entry with the same id (keeps a loaded roster). */
WagGroup *wag_model_take(WagModel *m, WagGroup *g);
/* Links group to community (both known or created); NULL community unlinks. */
void wag_model_link(WagModel *m, const char *group_id, const char *community_id);
/* After community->subgroups was read afresh: links those groups to it,
 * unlinks the ones that claimed it but are no longer listed, and marks the
 * announcement group. */
void wag_model_relink(WagModel *m, WagGroup *community);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagGroup, wag_group_free)

G_END_DECLS

G_BEGIN_DECLS
/* Groups and communities sorted by subject, then id (stable listings). */
GPtrArray *wag_model_sorted(WagModel *m);
G_END_DECLS
