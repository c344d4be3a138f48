/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* An in-process SoupServer playing Z-API, Green API or Wawp as their public
 * docs describe them, errors included. Shared by every test. */
#pragma once
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _WagEmu WagEmu;

typedef struct {
	char *method;
	char *path;     /* tokens included: tests check what the vendor saw */
	char *query;    /* or NULL */
	char *body;     /* or NULL */
	char *content_type;
	char *client_token; /* Client-Token header, or NULL */
	gint64 when;        /* monotonic µs */
} WagEmuRequest;

/* vendor: "zapi", "greenapi" or "wawp". Listens on 127.0.0.1, ephemeral port. */
WagEmu *wag_emu_new(const char *vendor, const char *instance, const char *token);
void wag_emu_free(WagEmu *emu);
const char *wag_emu_base(WagEmu *emu);
/* Z-API: when set, every call must carry this Client-Token. */
void wag_emu_require_client_token(WagEmu *emu, const char *client_token);
/* The instance state as the vendor words it: Z-API "connected" | "not connected"
 * | "restore"; Green API stateInstance; Wawp session status. */
void wag_emu_set_state(WagEmu *emu, const char *state);
/* The instance's own phone (digits); NULL makes its endpoint fail with 404. */
void wag_emu_set_me(WagEmu *emu, const char *phone);

/* ids in the vendor's own form; phones as digits (rendered per vendor).
 * Subjects are served byte for byte: invalid UTF-8 in them goes out as is. */
void wag_emu_add_group(WagEmu *emu, const char *id, const char *subject);
/* role: "member", "admin" or "superadmin" (the creator, also the owner). */
void wag_emu_add_participant(WagEmu *emu, const char *group, const char *phone, const char *role);
void wag_emu_add_request(WagEmu *emu, const char *group, const char *phone);
/* Z-API communities: the announcement group is created and linked. */
void wag_emu_add_community(WagEmu *emu, const char *id, const char *name, const char *announcement_group);
void wag_emu_link(WagEmu *emu, const char *community, const char *group);
gboolean wag_emu_has_participant(WagEmu *emu, const char *group, const char *phone);
void wag_emu_remove_participant(WagEmu *emu, const char *group, const char *phone);
void wag_emu_set_role(WagEmu *emu, const char *group, const char *phone, const char *role);

/* The next call whose path contains `match` gets this reply instead. */
void wag_emu_fail_next(WagEmu *emu, const char *match, guint status, const char *body);
/* Calls whose path contains `match` are never answered. */
void wag_emu_hang(WagEmu *emu, const char *match);
/* Answers to calls whose path contains `match` wait this long (ms). */
void wag_emu_delay(WagEmu *emu, const char *match, guint ms);

GPtrArray *wag_emu_requests(WagEmu *emu); /* of WagEmuRequest* */
/* How many calls had this method and a path containing `match`. */
guint wag_emu_count(WagEmu *emu, const char *method, const char *match);
/* The last such call, or NULL. */
WagEmuRequest *wag_emu_last(WagEmu *emu, const char *method, const char *match);

/* ---- documented variants (the default stays as above) ---- */
/* Z-API: listings answer page 1 whatever `page` asks (a vendor that ignores it). */
void wag_emu_ignore_page(WagEmu *emu, gboolean ignore);
/* Wawp: the session's name in /v2/session/info (default "default"). */
void wag_emu_set_session_name(WagEmu *emu, const char *name);
/* Wawp: the account's lid in /v2/session/info `me` (default none). */
void wag_emu_set_me_lid(WagEmu *emu, const char *lid);
/* Wawp participants: "v2" {id, role} (default), "wawp" {id, isAdmin,
 * isSuperAdmin}, "webjs" {id: {_serialized}, isAdmin, isSuperAdmin} or
 * "noweb" {id, admin: "admin" | "superadmin" | null}. A participant added
 * with an "...@lid" id is listed by it. */
void wag_emu_set_participant_shape(WagEmu *emu, const char *shape);

/* ---- misbehaviour (vendor-emu-misbehave.c) ---- */
/* Replies to calls whose path contains `match` are sent one byte every interval_ms. */
void wag_emu_trickle(WagEmu *emu, const char *match, guint interval_ms);
/* Calls whose path contains `match` get a 200 JSON array of `bytes` bytes,
 * produced only as fast as the client reads it. */
void wag_emu_huge_reply(WagEmu *emu, const char *match, gsize bytes);
/* Bytes of the last huge reply handed to the server so far. */
gsize wag_emu_huge_sent(WagEmu *emu);
/* The next `times` calls whose path contains `match` get status and body (a 5xx storm). */
void wag_emu_fail_times(WagEmu *emu, const char *match, guint times, guint status, const char *body);

/* ---- group administration (vendor-emu-admin.c) ---- */
/* WhatsApp's privacy settings of phone refuse being added to groups: Z-API
 * (autoInvite) sends an invite instead, Green API answers false, Wawp
 * answers ok without adding. */
void wag_emu_refuse_add(WagEmu *emu, const char *phone);
/* Whether phone was sent an invite to group instead of being added. */
gboolean wag_emu_was_invited(WagEmu *emu, const char *group, const char *phone);
const char *wag_emu_subject(WagEmu *emu, const char *group);
const char *wag_emu_description(WagEmu *emu, const char *group);
/* setting: "announce", "locked", "approval", "add" (admins only); 1, 0, -1 unset. */
int wag_emu_setting(WagEmu *emu, const char *group, const char *setting);
void wag_emu_set_setting(WagEmu *emu, const char *group, const char *setting, gboolean on);
/* The group's current invite code (a reset makes a new one). */
const char *wag_emu_invite_code(WagEmu *emu, const char *group);
/* The role of phone in group ("member", "admin", "superadmin"), or NULL. */
const char *wag_emu_role(WagEmu *emu, const char *group, const char *phone);
/* ---- group messages (vendor-emu-messages.c) ---- */
/* The id the last accepted send was given, or NULL. */
const char *wag_emu_last_sent_id(WagEmu *emu);
/* Green API: queues a notification (a webhook body) for receiveNotification;
 * from the first one on, getSettings answers with no webhook URL. */
void wag_emu_green_notify(WagEmu *emu, const char *webhook_json);
/* Green API: the queue exists (getSettings: no webhook URL), empty for now. */
void wag_emu_green_open_queue(WagEmu *emu);
/* Notifications not deleted yet. */
guint wag_emu_green_queued(WagEmu *emu);
/* ---- names (issue 17) ---- */
/* The participant's name as the vendor shows it: Z-API's group-metadata
 * participants[].name (tests/fixtures/zapi/group-metadata.reply.json);
 * Green API's getContacts people (tests/fixtures/greenapi/getContacts.reply.json);
 * Wawp's /v2/contacts/all pushname (tests/fixtures/wawp/contacts-all.reply-waha.json). */
void wag_emu_set_name(WagEmu *emu, const char *group, const char *phone, const char *name);
/* Wawp: n more people in /v2/contacts/all ("Contato N", ids 55000NNNNNNNN@c.us,
 * sorted before the fixtures' phones), to make its listing run to several pages. */
void wag_emu_add_contacts(WagEmu *emu, guint n);

G_END_DECLS
