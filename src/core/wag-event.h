/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The participant-update event (SPEC "Event schema"): every membership change,
 * whatever its source (our own command, a relayed webhook, a poll diff),
 * becomes one of these and is applied by one code path. */
#pragma once
#include <json-glib/json-glib.h>
#include "wag-model.h"
#include "wag-message.h"

G_BEGIN_DECLS

typedef enum {
	WAG_EVENT_ADDED,
	WAG_EVENT_REMOVED,
	WAG_EVENT_LEFT,
	WAG_EVENT_PROMOTED,
	WAG_EVENT_DEMOTED,
	WAG_EVENT_JOIN_REQUESTED,
	WAG_EVENT_JOIN_REVOKED,
	WAG_EVENT_LINKED,
	WAG_EVENT_UNLINKED,
	/* The vendor reported a membership change it does not describe: the
	 * group's roster must be read again. No participants; roster_loaded is
	 * cleared when it is applied. */
	WAG_EVENT_ROSTER_CHANGED,
	/* Group administration (issue 18). What changed travels in
	 * `participants`, so that the relay stores and streams it as any other
	 * event: SUBJECT_CHANGED holds the new subject; SETTINGS_CHANGED holds
	 * "NAME=on" or "NAME=off" per setting named (wag_event_add_setting). */
	WAG_EVENT_SUBJECT_CHANGED,
	WAG_EVENT_SETTINGS_CHANGED,
	/* A group message (wag-message.h): no participants; `message` is set. */
	WAG_EVENT_MESSAGE,
	WAG_EVENT_LAST
} WagEventKind;

typedef struct {
	gint64 id;          /* relay id; 0 for local events */
	char *vendor;
	char *instance;
	char *group;        /* the community for LINKED/UNLINKED */
	WagEventKind kind;
	GPtrArray *participants; /* canonical ids, or group ids for LINKED/UNLINKED */
	char *actor;        /* may be NULL */
	gint64 at;          /* ms since the epoch */
	WagMessage *message; /* WAG_EVENT_MESSAGE only */
} WagEvent;

WagEvent *wag_event_new(WagEventKind kind, const char *group);
void wag_event_free(WagEvent *e);
const char *wag_event_kind_name(WagEventKind kind);
gboolean wag_event_kind_from_name(const char *name, WagEventKind *out);
JsonNode *wag_event_to_json(const WagEvent *e);
WagEvent *wag_event_from_json(JsonNode *node, GError **error);

/* SETTINGS_CHANGED: names setting's new value ("announce=on"); reads one
 * back (FALSE: not a setting). Names: announce, locked, approval, admins_add. */
void wag_event_add_setting(WagEvent *e, WagSetting setting, gboolean on);
gboolean wag_event_parse_setting(const char *text, WagSetting *setting, gboolean *on);

/* Applies e to the model. Returns FALSE when it changed nothing (an echo of
 * something already applied, or a group we do not know). */
gboolean wag_model_apply(WagModel *m, const WagEvent *e);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagEvent, wag_event_free)

G_END_DECLS
