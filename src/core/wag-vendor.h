/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* One interface, one file per vendor. Nothing outside a vendor's file knows
 * its paths, payloads or quirks; callers ask the table what it can do. */
#pragma once
#include <json-glib/json-glib.h>
#include "wag-model.h"
#include "wag-event.h"

G_BEGIN_DECLS

typedef struct {
	const char *instance;
	const char *token;
	const char *client_token; /* Z-API account security token; may be NULL */
	const char *base;         /* effective base URL, no trailing slash */
} WagCreds;

/* Reads a non-2xx reply of one call in the vendor's own terms; NULL leaves
 * it to the generic classification (wag_error_from_status). */
typedef GError *(*WagRequestClassify)(guint http_status, const char *vendor_text);

typedef struct {
	const char *vendor_name; /* for messages */
	char *method;
	char *path;       /* appended to the base; escaped; may carry a query */
	JsonNode *body;   /* NULL: no body */
	GPtrArray *headers; /* name, value, name, value... */
	WagRequestClassify classify; /* may be NULL */
} WagRequest;

typedef enum {
	WAG_STATE_READY,
	WAG_STATE_BAD_CREDENTIALS, /* instance id or token rejected */
	WAG_STATE_PHONE_OFFLINE,   /* phone not connected / sleeping */
	WAG_STATE_NOT_AUTHORIZED,  /* needs the QR code scanned */
	WAG_STATE_STARTING,
	WAG_STATE_BLOCKED,
	WAG_STATE_PLAN,            /* the vendor's plan does not include the API */
	WAG_STATE_UNKNOWN,         /* see the GError */
	WAG_STATE_STOPPED,         /* the session must be started in the vendor's dashboard */
} WagInstanceState;

/* The calls a vendor's rate limits tell apart (see min_spacing_ms). */
typedef enum {
	WAG_OP_STATUS,
	WAG_OP_ME,
	WAG_OP_GROUPS,
	WAG_OP_COMMUNITIES,
	WAG_OP_COMMUNITY_INFO,
	WAG_OP_GROUP_INFO,
	WAG_OP_ACTION,
	WAG_OP_REQUESTS,
	WAG_OP_MESSAGE,  /* a text sent or a message deleted: also the account's messages_per_minute */
	WAG_OP_LAST
} WagOp;

/* What the status (and "me") replies say of the account itself. */
typedef struct {
	char *session_name; /* Wawp: the session's name, which webhooks carry in `session` */
	char *me;           /* this account's phone, canonical; NULL when unknown */
	GPtrArray *me_lids; /* this account's "...@lid" ids, when the vendor tells them */
} WagInstanceInfo;

typedef enum {
	WAG_ACTION_REMOVE,
	WAG_ACTION_APPROVE,
	WAG_ACTION_REJECT,
	WAG_ACTION_LEAVE,
	WAG_ACTION_UNLINK,
	/* Group administration (issue 18): ids are people, or group ids for LINK. */
	WAG_ACTION_ADD,
	WAG_ACTION_PROMOTE,
	WAG_ACTION_DEMOTE,
	WAG_ACTION_LINK,
	WAG_ACTION_LAST
} WagAction;

/* A change to a group's own data (issue 18): its subject, description or
 * one setting. */
typedef enum {
	WAG_EDIT_SUBJECT,
	WAG_EDIT_DESCRIPTION,
	WAG_EDIT_SETTING,
} WagEditKind;

typedef struct {
	WagEditKind kind;
	const char *text;   /* SUBJECT, DESCRIPTION */
	WagSetting setting; /* SETTING */
	gboolean on;        /* SETTING */
} WagEdit;

typedef struct _WagVendor WagVendor;
typedef struct _WagMessaging WagMessaging; /* wag-messaging.h */
struct _WagVendor {
	const char *id;           /* the `vendor` account option value */
	const char *name;         /* shown to users */
	const char *panel;        /* where the user fixes the instance, for hints */
	const char *default_base;
	guint batch_max;          /* ids per membership call (1 = one call each) */
	gboolean has_communities;
	gboolean has_join_requests; /* can approve/reject join requests */
	gboolean lists_requests;  /* has an endpoint listing pending join requests */
	gboolean has_membership_webhooks; /* else rosters are polled (poll_seconds) */
	guint page_size;          /* groups per listing page; 0 = not paged */
	/* Per instance, the least time between two calls of one operation the
	 * vendor allows (its documented rate limits); 0 = no documented limit. */
	guint min_spacing_ms[WAG_OP_LAST];

	WagRequest *(*req_status)(const WagCreds *c);
	/* Reads the status reply whatever its HTTP status; detail gets the vendor's words. */
	WagInstanceState (*parse_status)(guint http_status, JsonNode *body, char **detail);

	/* Our own number, for the "not an admin" pre-check; NULL result = unknown. */
	WagRequest *(*req_me)(const WagCreds *c);
	char *(*parse_me)(JsonNode *body);
	/* Reads a status or "me" reply into info (session name, phone, lids);
	 * NULL: only parse_me's phone. Use wag_vendor_read_info(). */
	void (*parse_info)(JsonNode *body, WagInstanceInfo *info);
	/* Whether a group, community or people id can be sent to this vendor
	 * (beyond the generic checks of wag_vendor_check_id). May be NULL. */
	gboolean (*valid_id)(const char *id);

	WagRequest *(*req_groups)(const WagCreds *c, guint page);
	/* Appends WagGroup*; *more asks for the next page. */
	gboolean (*parse_groups)(JsonNode *body, GPtrArray *out, gboolean *more, GError **error);
	WagRequest *(*req_communities)(const WagCreds *c, guint page);
	gboolean (*parse_communities)(JsonNode *body, GPtrArray *out, gboolean *more, GError **error);
	WagRequest *(*req_community_info)(const WagCreds *c, const char *community);
	gboolean (*parse_community_info)(JsonNode *body, WagGroup *community, GError **error);
	WagRequest *(*req_group_info)(const WagCreds *c, const char *group);
	/* Fills subject, owner, community and the roster (roster_loaded). */
	gboolean (*parse_group_info)(JsonNode *body, WagGroup *group, GError **error);

	/* Whether the chat id names a community rather than a group. */
	gboolean (*is_community_id)(const char *id);

	/* ids: canonical people ids (or group ids for UNLINK). Returns NULL and
	 * WAG_ERROR_UNSUPPORTED when the vendor has no API for it. */
	WagRequest *(*req_action)(const WagCreds *c, WagAction action, const WagGroup *target,
	                          const char *const *ids, guint n_ids, GError **error);
	gboolean (*parse_action)(WagAction action, JsonNode *body, GError **error);
	WagRequest *(*req_requests)(const WagCreds *c, const char *group);
	gboolean (*parse_requests)(JsonNode *body, GPtrArray *out_ids, GError **error);

	/* A webhook body: appends the participant events it carries (none for
	 * messages, receipts and other noise) and names the instance it is for.
	 * FALSE only when the body is not a webhook of this vendor at all. */
	gboolean (*normalize_webhook)(JsonNode *body, GPtrArray *events, char **instance, GError **error);
	/* Group messages: read, send, delete (wag-messaging.h). */
	const WagMessaging *messaging;
	/* The vendor's own id of a webhook (the relay stores a webhook once per
	 * id), or NULL when it has none. */
	char *(*webhook_id)(JsonNode *body);

	/* ---- Group administration (issue 18; wag-vendor-*-admin.c) ---- */
	/* Changes g's subject, description or one setting (g's other settings,
	 * when the vendor wants them all in one call). NULL with
	 * WAG_ERROR_UNSUPPORTED: "<Vendor> has no API for ...". */
	WagRequest *(*req_edit)(const WagCreds *c, const WagGroup *g, const WagEdit *edit, GError **error);
	gboolean (*parse_edit)(const WagEdit *edit, JsonNode *body, GError **error);
	/* g's invite link; reset: revoke it, and the reply names the new one. */
	WagRequest *(*req_invite_link)(const WagCreds *c, const WagGroup *g, gboolean reset, GError **error);
	char *(*parse_invite_link)(JsonNode *body, GError **error);

	/* People's names for vendors whose rosters carry none (Green API
	 * getContacts, Wawp /v2/contacts/all); both NULL otherwise. page counts
	 * from 1. parse_contacts adds to names: canonical id -> name (owned
	 * strings, shown as they are), skipping entries it cannot read, and sets
	 * *more when another page may follow (the core reads at most
	 * WAG_CONTACTS_MAX_PAGES). */
	WagRequest *(*req_contacts)(const WagCreds *c, guint page);
	gboolean (*parse_contacts)(JsonNode *body, GHashTable *names, gboolean *more, GError **error);
};

const WagVendor *wag_vendor_lookup(const char *id);
const WagVendor *const *wag_vendors(void); /* NULL-terminated */
const char *wag_vendor_action_name(WagAction action);

/* Refuses, before any call, an id that would change the request's path or
 * that the vendor never uses: empty, "." or "..", slashes, backslashes,
 * '?', '#', '%', whitespace or control characters, over 128 bytes, or what
 * the vendor's own valid_id rejects. what names it in the message. */
gboolean wag_vendor_check_id(const WagVendor *v, const char *id, const char *what, GError **error);
/* A valid_id for vendors speaking WhatsApp chat ids: user@server, or the
 * canonical digits of a phone. */
gboolean wag_id_is_jid_or_digits(const char *id);

WagInstanceInfo *wag_instance_info_new(void);
void wag_instance_info_free(WagInstanceInfo *info);
/* Adds what a status or "me" reply says to info (fields already set stay
 * unless the reply names them). */
void wag_vendor_read_info(const WagVendor *v, JsonNode *body, WagInstanceInfo *info);
/* Whether a roster id (canonical) is this account: its phone or one of its lids. */
gboolean wag_is_me(const char *id, const char *my_phone, const char *const *my_lids);
gboolean wag_instance_info_is_me(const WagInstanceInfo *info, const char *id);
/* The id g's roster lists this account by (its phone, or a lid), or me. */
const char *wag_instance_info_me_in(const WagInstanceInfo *info, const char *me, WagGroup *g);
/* The text telling the user what to do about a state, for the states the
 * plugin's own messages do not cover (WAG_STATE_STOPPED); NULL otherwise. */
char *wag_instance_state_message(const WagVendor *v, WagInstanceState state, const char *detail);
/* Paging a listing (wag-vendor-pager.c): request wag_pager_page(), parse
 * it into groups (appended from index first), then ask wag_pager_next()
 * whether to request another page. It stops when the vendor says the list
 * ended, at a page shorter than the vendor's page_size, at a page adding no
 * new id (a vendor ignoring `page`), or after max_pages (0 = the default),
 * which sets *warning to a message for the user. Groups an earlier page
 * listed are taken out of groups and freed. */
typedef struct _WagPager WagPager;
#define WAG_PAGER_MAX_PAGES 200
/* Contacts pages read at most (a vendor that always says "more"). */
#define WAG_CONTACTS_MAX_PAGES 20
/* Names kept at most from the contacts (a hostile vendor). */
#define WAG_CONTACTS_MAX_NAMES 50000
WagPager *wag_pager_new(const WagVendor *v, guint max_pages);
void wag_pager_free(WagPager *p);
guint wag_pager_page(const WagPager *p);
gboolean wag_pager_next(WagPager *p, GPtrArray *groups, guint first, gboolean vendor_more, char **warning);

/* Minimum spacing between two calls of op on one instance (0 = none). */
guint wag_vendor_min_spacing_ms(const WagVendor *v, WagOp op);

/* Helpers for the vendor files. */
WagRequest *wag_request_new(const WagVendor *v, const char *method, char *path_take);
void wag_request_set_body(WagRequest *r, JsonBuilder *b_take);
void wag_request_add_header(WagRequest *r, const char *name, const char *value);
void wag_request_free(WagRequest *r);
char *wag_escape(const char *segment);
gboolean wag_unsupported(const WagVendor *v, GError **error, const char *what);
/* Common false-flag check: the body is an object whose `flag` is true. */
gboolean wag_check_flag(const WagVendor *v, JsonNode *body, const char *flag, GError **error);

extern const WagVendor wag_vendor_zapi;
extern const WagVendor wag_vendor_greenapi;
extern const WagVendor wag_vendor_wawp;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagRequest, wag_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagInstanceInfo, wag_instance_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagPager, wag_pager_free)

G_END_DECLS
