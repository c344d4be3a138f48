/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-vendor.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include <string.h>

/* Adding a vendor: one file, one line here. */
static const WagVendor *const vendors[] = {
	&wag_vendor_zapi,
	&wag_vendor_greenapi,
	&wag_vendor_wawp,
	NULL
};

const WagVendor *const *
wag_vendors(void)
{
	return vendors;
}

const WagVendor *
wag_vendor_lookup(const char *id)
{
	for (guint i = 0; vendors[i]; i++)
		if (g_strcmp0(vendors[i]->id, id) == 0)
			return vendors[i];
	return NULL;
}

const char *
wag_vendor_action_name(WagAction action)
{
	static const char *const names[] = { "remove", "approve", "reject", "leave", "unlink",
	                                        "add", "promote", "demote", "link" };
	G_STATIC_ASSERT(G_N_ELEMENTS(names) == WAG_ACTION_LAST);
	return action < WAG_ACTION_LAST ? names[action] : "?";
}

WagRequest *
wag_request_new(const WagVendor *v, const char *method, char *path_take)
{
	WagRequest *r = g_new0(WagRequest, 1);
	r->vendor_name = v->name;
	r->method = g_strdup(method);
	r->path = path_take;
	r->headers = g_ptr_array_new_with_free_func(g_free);
	return r;
}

void
wag_request_set_body(WagRequest *r, JsonBuilder *b_take)
{
	if (r->body)
		json_node_unref(r->body);
	r->body = json_builder_get_root(b_take);
	g_object_unref(b_take);
	/* An unfinished builder yields no root: a vendor-file bug, never input. */
	g_return_if_fail(r->body != NULL);
}

void
wag_request_add_header(WagRequest *r, const char *name, const char *value)
{
	g_ptr_array_add(r->headers, g_strdup(name));
	g_ptr_array_add(r->headers, g_strdup(value));
}

void
wag_request_free(WagRequest *r)
{
	if (!r)
		return;
	g_free(r->method);
	g_free(r->path);
	if (r->body)
		json_node_unref(r->body);
	g_ptr_array_free(r->headers, TRUE);
	g_free(r);
}

char *
wag_escape(const char *segment)
{
	/* A "." or ".." segment is removed by URI normalisation even when written
	 * %2E, and the call would climb to another endpoint: callers refuse such
	 * ids first (wag_vendor_check_id); should one slip through, it goes out
	 * as a literal id no vendor has. */
	if (g_strcmp0(segment, ".") == 0)
		return g_strdup("%252E");
	if (g_strcmp0(segment, "..") == 0)
		return g_strdup("%252E%252E");
	return g_uri_escape_string(segment ? segment : "", NULL, FALSE);
}

gboolean
wag_unsupported(const WagVendor *v, GError **error, const char *what)
{
	/* Translators: "Green API has no API for communities." */
	g_set_error(error, WAG_ERROR, WAG_ERROR_UNSUPPORTED, _("%s has no API for %s."), v->name, what);
	return FALSE;
}

gboolean
wag_check_flag(const WagVendor *v, JsonNode *body, const char *flag, GError **error)
{
	JsonObject *o = wag_json_obj(body);
	g_autofree char *why = NULL;

	if (o && wag_json_has_bool(o, flag) && wag_json_bool(o, flag, FALSE))
		return TRUE;
	why = wag_json_error_text(body);
	if (o && wag_json_has_bool(o, flag))
		g_set_error(error, WAG_ERROR, WAG_ERROR_REFUSED,
		            why ? _("%s refused the request: %s") : _("%s refused the request (it answered \"%s\": false)."),
		            v->name, why ? why : flag);
	else
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent a reply without the expected \"%s\" field."), v->name, flag);
	return FALSE;
}
