/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-error.h"
#include "wag-i18n.h"
#include <string.h>

G_DEFINE_QUARK(wag-error-quark, wag_error)

static WagErrorCode
code_for_status(guint status)
{
	switch (status) {
	case 400: case 422: return WAG_ERROR_BAD_REQUEST;
	case 401: case 403: return WAG_ERROR_UNAUTHORIZED;
	case 404: return WAG_ERROR_NOT_FOUND;
	case 405: return WAG_ERROR_METHOD;
	case 415: return WAG_ERROR_CONTENT_TYPE;
	case 429: return WAG_ERROR_RATE_LIMITED;
	case 466: return WAG_ERROR_QUOTA;
	default: return status >= 500 && status < 600 ? WAG_ERROR_SERVER : WAG_ERROR_OTHER;
	}
}

char *
wag_error_cap_text(const char *text, gsize max_chars)
{
	g_autofree char *valid = NULL;
	const char *cut;

	if (!text)
		return NULL;
	valid = g_utf8_make_valid(text, -1);
	if (g_utf8_strlen(valid, -1) <= (glong) max_chars)
		return g_steal_pointer(&valid);
	cut = g_utf8_offset_to_pointer(valid, (glong) max_chars);
	valid[cut - valid] = '\0';
	return g_strconcat(valid, "...", NULL);
}

GError *
wag_error_from_status(const char *vendor, guint status, const char *vendor_text_in)
{
	WagErrorCode code = code_for_status(status);
	/* A hostile or broken vendor can put megabytes in its error field. */
	g_autofree char *vendor_text = wag_error_cap_text(vendor_text_in, WAG_ERROR_TEXT_MAX);
	const char *cause;

	switch (code) {
	case WAG_ERROR_BAD_REQUEST: cause = _("bad request data"); break;
	case WAG_ERROR_UNAUTHORIZED: cause = _("not authorized (check the instance id and tokens)"); break;
	case WAG_ERROR_NOT_FOUND: cause = _("not found (this instance or plan may not offer it)"); break;
	case WAG_ERROR_METHOD: cause = _("wrong HTTP method"); break;
	case WAG_ERROR_CONTENT_TYPE: cause = _("missing content type"); break;
	case WAG_ERROR_RATE_LIMITED: cause = _("rate limited, too many requests; try again later"); break;
	case WAG_ERROR_QUOTA: cause = _("quota exhausted for this instance's plan"); break;
	case WAG_ERROR_SERVER: cause = _("the vendor's service is down or failing; try again later"); break;
	default: cause = _("unexpected reply"); break;
	}
	if (vendor_text && *vendor_text)
		/* Translators: "Z-API: bad request data (400): Invalid phone" */
		return g_error_new(WAG_ERROR, code, _("%s: %s (%u): %s"), vendor, cause, status, vendor_text);
	return g_error_new(WAG_ERROR, code, _("%s: %s (%u)"), vendor, cause, status);
}

gboolean
wag_error_is_transient(const GError *error)
{
	if (!error || error->domain != WAG_ERROR)
		return FALSE;
	switch (error->code) {
	case WAG_ERROR_RATE_LIMITED: case WAG_ERROR_SERVER:
	case WAG_ERROR_TIMEOUT: case WAG_ERROR_NETWORK:
		return TRUE;
	default:
		return FALSE;
	}
}

char *
wag_error_sentence(const char *text)
{
	gsize n = text ? strlen(text) : 0;

	if (!n || strchr(".!?", text[n - 1]))
		return g_strdup(text ? text : "");
	return g_strconcat(text, ".", NULL);
}
