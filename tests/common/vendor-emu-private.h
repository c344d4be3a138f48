/* The emulator's state, shared by its files (not for tests). */
#pragma once
#include "vendor-emu.h"

typedef struct _EmuMisbehaviour EmuMisbehaviour;

typedef struct {
	char *phone;
	char *role;
} EmuPart;

typedef struct {
	char *id, *subject, *community;
	gboolean announcement;
	GPtrArray *parts;    /* EmuPart* */
	GPtrArray *requests; /* char* phones */
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
};


/* vendor-emu-misbehave.c */
EmuMisbehaviour *emu_misbehaviour_new(void);
void emu_misbehaviour_free(EmuMisbehaviour *bad);
/* Before the vendor's handler: TRUE when it answered the call itself. */
gboolean emu_misbehave_before(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);
/* After it: may turn the reply into a slow or endless one. */
void emu_misbehave_after(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec);
