/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Z-API group administration (issue 18): subject, description, settings,
 * invite link. Sources (Z-API/z-api-docs@7021b82, group/): update-group-name,
 * update-group-description, update-group-settings, get-invitation-link,
 * redefine-invitation-link; the fixtures in tests/fixtures/zapi/ quote them. */
#include "wag-vendor-admin.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include <stdarg.h>
#include <string.h>

/* The vendor's table is reached through the registry, so that this file
 * stays below wag-vendor-zapi.c (which includes it through the table). */
static const WagVendor *
zapi(void)
{
	return wag_vendor_lookup("zapi");
}

/* Z-API's whole answer to a missing or wrong Client-Token is "null not
 * allowed" (security/client-token.md): its words are kept, and what they
 * mean is said next to them. */
char *
wag_zapi_error_text(const char *vendor_text)
{
	if (vendor_text && strstr(vendor_text, "null not allowed"))
		return g_strdup_printf(_("%s; the account security token (client_token option) is missing or wrong"),
		                       vendor_text);
	return g_strdup(vendor_text);
}

static GError *
zapi_classify(guint http_status, const char *vendor_text)
{
	g_autofree char *text = wag_zapi_error_text(vendor_text);
	return wag_error_from_status("Z-API", http_status, text);
}

WagRequest *
wag_zapi_request(const WagCreds *c, const char *method, const char *fmt, ...)
{
	g_autofree char *inst = wag_escape(c->instance);
	g_autofree char *tok = wag_escape(c->token);
	g_autofree char *tail = NULL;
	WagRequest *r;
	va_list ap;

	va_start(ap, fmt);
	tail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	r = wag_request_new(zapi(), method,
	                    g_strdup_printf("/instances/%s/token/%s/%s", inst, tok, tail));
	if (c->client_token && *c->client_token)
		wag_request_add_header(r, "Client-Token", c->client_token);
	r->classify = zapi_classify;
	return r;
}

/* update-group-settings.md names, in WagSetting order. */
static const char *const setting_names[WAG_SETTING_LAST] = {
	"adminOnlyMessage", "adminOnlySettings", "requireAdminApproval", "adminOnlyAddMember",
};

void
wag_zapi_read_settings(JsonObject *o, WagGroup *g)
{
	/* group-metadata.md carries three of the four (not adminOnlyAddMember);
	 * booleans may arrive as strings, which wag_json_bool reads. */
	for (guint i = 0; i < WAG_SETTING_LAST; i++)
		if (o && json_object_has_member(o, setting_names[i]))
			g->settings[i] = wag_json_bool(o, setting_names[i], FALSE) ? 1 : 0;
}

WagRequest *
wag_zapi_req_edit(const WagCreds *c, const WagGroup *g, const WagEdit *edit, GError **error)
{
	g_autoptr(JsonBuilder) b = NULL;
	WagRequest *r;
	const char *path;

	if (!wag_vendor_check_id(zapi(), g->id, _("group"), error))
		return NULL;
	if (g->is_community) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_UNSUPPORTED,
		            _("%s: this works in a group, not in a community."), zapi()->name);
		return NULL;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	switch (edit->kind) {
	case WAG_EDIT_SUBJECT:
	case WAG_EDIT_DESCRIPTION:
		json_builder_set_member_name(b, "groupId");
		json_builder_add_string_value(b, g->id);
		json_builder_set_member_name(b, edit->kind == WAG_EDIT_SUBJECT ? "groupName" : "groupDescription");
		json_builder_add_string_value(b, edit->text);
		path = edit->kind == WAG_EDIT_SUBJECT ? "update-group-name" : "update-group-description";
		break;
	default:
		/* All four flags are required in one call: an unknown one would be
		 * changed blindly, so it is refused instead. */
		json_builder_set_member_name(b, "phone");
		json_builder_add_string_value(b, g->id);
		for (guint i = 0; i < WAG_SETTING_LAST; i++) {
			gint8 v = i == edit->setting ? edit->on : g->settings[i];
			if (v < 0) {
				g_set_error(error, WAG_ERROR, WAG_ERROR_UNSUPPORTED,
				            _("%s changes all four settings in one call, and the current value of \"%s\" "
				              "is not known (its group data does not say it); set that one first."),
				            zapi()->name, setting_names[i]);
				return NULL;
			}
			json_builder_set_member_name(b, setting_names[i]);
			json_builder_add_boolean_value(b, v);
		}
		path = "update-group-settings";
		break;
	}
	json_builder_end_object(b);
	r = wag_zapi_request(c, "POST", "%s", path);
	wag_request_set_body(r, g_steal_pointer(&b));
	return r;
}

gboolean
wag_zapi_parse_edit(const WagEdit *edit, JsonNode *body, GError **error)
{
	return wag_check_flag(zapi(), body, "value", error);
}

WagRequest *
wag_zapi_req_invite_link(const WagCreds *c, const WagGroup *g, gboolean reset, GError **error)
{
	g_autofree char *gid = NULL;
	g_autofree char *tail = NULL;

	if (!wag_vendor_check_id(zapi(), g->id, _("group"), error))
		return NULL;
	gid = wag_escape(g->id);
	tail = g_strconcat(reset ? "redefine-invitation-link/" : "group-invitation-link/", gid, NULL);
	return wag_zapi_request(c, reset ? "POST" : "GET", "%s", tail);
}

char *
wag_zapi_parse_invite_link(JsonNode *body, GError **error)
{
	const char *link = wag_json_str(wag_json_obj(body), "invitationLink");

	/* A link is short; anything else from the vendor is not shown. */
	if (!link || !g_str_has_prefix(link, "https://") || strlen(link) > 200) {
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REPLY,
		            _("%s sent a reply without the expected \"%s\" field."), zapi()->name, "invitationLink");
		return NULL;
	}
	return g_strdup(link);
}
