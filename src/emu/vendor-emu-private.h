/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The emulator's state, shared by its files (not for tests). */
#pragma once
#include "vendor-emu.h"

typedef struct _EmuMisbehaviour EmuMisbehaviour;

typedef struct {
	char *phone;
	char *role;
	char *name; /* the contact's name the vendor shows, or NULL */
} EmuPart;

typedef struct {
	char *id, *subject, *community;
	gboolean announcement;
	GPtrArray *parts;    /* EmuPart* */
	GPtrArray *requests; /* char* phones */
	/* Group administration (vendor-emu-admin.c) */
	char *description;
	int settings[4];     /* announce, locked, approval, admins add: 1, 0, -1 unset */
	char *invite;        /* invite code */
	GPtrArray *invited;  /* phones sent an invite instead of being added (Z-API autoInvite) */
} EmuGroup;

typedef struct {
	char *id, *name, *announcement;
} EmuCommunity;

typedef struct {
	char *match;
	guint status;
	char *body;
} EmuFailure;

struct _WagEmu {
	char *vendor, *instance, *token, *client_token, *state, *base, *me;
	SoupServer *server;
	GHashTable *groups;      /* id -> EmuGroup */
	GPtrArray *group_order;  /* ids, insertion order */
	GHashTable *communities; /* id -> EmuCommunity */
	GPtrArray *community_order;
	GPtrArray *failures;     /* EmuFailure* */
	GPtrArray *hangs;        /* char* */
	GPtrArray *hung;         /* SoupServerMessage* kept paused */
	GHashTable *delays;      /* match -> ms */
	GPtrArray *requests;     /* WagEmuRequest* */
	EmuMisbehaviour *bad;    /* vendor-emu-misbehave.c */
	GPtrArray *delayed;      /* Delayed* answers still waiting */
	char *session_name;      /* Wawp session/info name */
	char *participant_shape; /* Wawp participants: "v2", "wawp", "webjs", "noweb" */
	char *me_lid;            /* Wawp me.lid, or NULL */
	gboolean ignore_page;    /* Z-API listings answer page 1 whatever is asked */
	guint extra_contacts;    /* Wawp: people in the contacts beside the named participants */
	GHashTable *privacy;     /* phones WhatsApp does not let anyone add */
};


/* vendor-emu-misbehave.c */
EmuMisbehaviour *emu_misbehaviour_new(void);
void emu_misbehaviour_free(EmuMisbehaviour *bad);
/* Before the vendor's handler: TRUE when it answered the call itself. */
gboolean emu_misbehave_before(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);
/* After it: may turn the reply into a slow or endless one. */
void emu_misbehave_after(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);

/* vendor-emu-util.c */
void emu_reply_json(SoupServerMessage *msg, guint status, JsonNode *node);
void emu_reply_raw(SoupServerMessage *msg, guint status, const char *body);
JsonNode *emu_obj_node(JsonObject *o);
JsonNode *emu_arr_node(JsonArray *a);
void emu_reply_flag(SoupServerMessage *msg, const char *flag, gboolean value);
void emu_reply_error(SoupServerMessage *msg, guint status, const char *text);
EmuPart *emu_find_part(EmuGroup *g, const char *phone);
gboolean emu_remove_part(EmuGroup *g, const char *phone);
gboolean emu_take_request(EmuGroup *g, const char *phone);
char *emu_digits_of(const char *id);
const char *emu_owner_of(EmuGroup *g); /* the superadmin's phone, or NULL */
JsonObject *emu_parse_body(SoupServerMessage *msg, WagEmuRequest *rec);
JsonObject *emu_require_json(SoupServerMessage *msg, WagEmuRequest *rec, guint bad_status, const char *bad_text);

/* One file per vendor. */
void emu_zapi(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);
void emu_green(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);
void emu_wawp(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);
/* vendor-emu-admin.c: group administration; TRUE when the call was theirs. */
void emu_admin_group_init(EmuGroup *g);
void emu_admin_group_clear(EmuGroup *g);
gboolean emu_zapi_admin(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, const char *op);
void emu_zapi_metadata_settings(EmuGroup *g, JsonObject *o);
gboolean emu_green_admin(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, const char *op);
gboolean emu_wawp_admin(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, EmuGroup *g, const char *tail);

/* vendor-emu-messages.c: sending and deleting group messages; FALSE when
 * the call is not one of those. */
gboolean emu_messages(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);
