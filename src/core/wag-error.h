/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Classified failures of vendor calls, with messages a user can act on. */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define WAG_ERROR (wag_error_quark())
GQuark wag_error_quark(void);

typedef enum {
	WAG_ERROR_METHOD,       /* 405 */
	WAG_ERROR_CONTENT_TYPE, /* 415 */
	WAG_ERROR_BAD_REQUEST,  /* 400, 422 */
	WAG_ERROR_UNAUTHORIZED, /* 401, 403 */
	WAG_ERROR_NOT_FOUND,    /* 404 */
	WAG_ERROR_RATE_LIMITED, /* 429 */
	WAG_ERROR_QUOTA,        /* 466 */
	WAG_ERROR_SERVER,       /* 5xx */
	WAG_ERROR_TIMEOUT,
	WAG_ERROR_NETWORK,
	WAG_ERROR_BAD_REPLY,    /* not JSON, or not the documented shape */
	WAG_ERROR_REFUSED,      /* 2xx with a false flag */
	WAG_ERROR_UNSUPPORTED,  /* the vendor has no API for this */
	WAG_ERROR_OTHER,        /* any other HTTP status */
	WAG_ERROR_NOT_ADMIN,    /* the vendor says this account is not an admin of the group */
	WAG_ERROR_TOO_LARGE,    /* the reply is over the client's size cap */
} WagErrorCode;

/* Builds the error for a non-2xx reply; vendor_text may be NULL. */
GError *wag_error_from_status(const char *vendor, guint status, const char *vendor_text);

/* Whether retrying the same call later can succeed (429, 5xx, timeout, network). */
gboolean wag_error_is_transient(const GError *error);

/* Vendor text as shown to users: at most max_chars characters (invalid
 * UTF-8 replaced), cut with "..." when longer. NULL gives NULL. */
char *wag_error_cap_text(const char *text, gsize max_chars);
/* text as a sentence (a full stop added unless it ends with one), so that
 * the next sentence does not run into a vendor's words. */
char *wag_error_sentence(const char *text);
#define WAG_ERROR_TEXT_MAX 300

G_END_DECLS
