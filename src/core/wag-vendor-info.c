/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Vendor-independent helpers around the table: id checks before any call,
 * what the vendor says of the account itself, and its rate limits. */
#include "wag-vendor.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-phone.h"
#include <string.h>

#define ID_MAX 128

gboolean
wag_vendor_check_id(const WagVendor *v, const char *id, const char *what, GError **error)
{
	gboolean ok = id && *id && strlen(id) <= ID_MAX && strcmp(id, ".") != 0 && strcmp(id, "..") != 0 &&
	              g_utf8_validate(id, -1, NULL);

	/* A path segment, a query or an escape: any of them would send the call
	 * somewhere else than the one group or person named. */
	for (const char *p = id; ok && *p; p++)
		if ((guchar) *p < 0x20 || *p == 0x7f || strchr("/\\?#% \t", *p))
			ok = FALSE;
	if (ok && v->valid_id)
		ok = v->valid_id(id);
	if (!ok) {
		g_autofree char *shown = g_strescape(id ? id : "", NULL);
		g_autofree char *capped = wag_error_cap_text(shown, 60);
		/* Translators: "Z-API: "../x" is not a valid group id." */
		g_set_error(error, WAG_ERROR, WAG_ERROR_BAD_REQUEST, _("%s: \"%s\" is not a valid %s id."),
		            v->name, capped, what);
	}
	return ok;
}

gboolean
wag_id_is_jid_or_digits(const char *id)
{
	const char *at = strchr(id, '@');
	if (!at) {
		for (const char *p = id; *p; p++)
			if (!g_ascii_isdigit(*p))
				return FALSE;
		return TRUE;
	}
	return at != id && at[1] && !strchr(at + 1, '@');
}

WagInstanceInfo *
wag_instance_info_new(void)
{
	WagInstanceInfo *info = g_new0(WagInstanceInfo, 1);
	info->me_lids = g_ptr_array_new_with_free_func(g_free);
	return info;
}

void
wag_instance_info_free(WagInstanceInfo *info)
{
	if (!info)
		return;
	g_free(info->session_name);
	g_free(info->me);
	g_ptr_array_free(info->me_lids, TRUE);
	g_free(info);
}

void
wag_vendor_read_info(const WagVendor *v, JsonNode *body, WagInstanceInfo *info)
{
	char *me;

	if (!body)
		return;
	if (v->parse_info) {
		v->parse_info(body, info);
		return;
	}
	me = v->parse_me ? v->parse_me(body) : NULL;
	if (me) {
		g_free(info->me);
		info->me = me;
	}
}

gboolean
wag_is_me(const char *id, const char *my_phone, const char *const *my_lids)
{
	g_autofree char *canon = wag_phone_canonical(id);

	if (!canon)
		return FALSE;
	if (my_phone && g_strcmp0(canon, my_phone) == 0)
		return TRUE;
	for (guint i = 0; my_lids && my_lids[i]; i++)
		if (g_strcmp0(canon, my_lids[i]) == 0)
			return TRUE;
	return FALSE;
}

gboolean
wag_instance_info_is_me(const WagInstanceInfo *info, const char *id)
{
	if (!info)
		return FALSE;
	for (guint i = 0; i < info->me_lids->len; i++)
		if (wag_is_me(id, NULL, (const char *const[]) { info->me_lids->pdata[i], NULL }))
			return TRUE;
	return wag_is_me(id, info->me, NULL);
}

const char *
wag_instance_info_me_in(const WagInstanceInfo *info, const char *me, WagGroup *g)
{
	GHashTableIter it;
	gpointer k;

	/* A roster may list this account by its lid rather than its phone. */
	if (g && !(me && g_hash_table_contains(g->participants, me))) {
		g_hash_table_iter_init(&it, g->participants);
		while (g_hash_table_iter_next(&it, &k, NULL))
			if (wag_instance_info_is_me(info, k))
				return k;
	}
	return me;
}

char *
wag_instance_state_message(const WagVendor *v, WagInstanceState state, const char *detail)
{
	if (state != WAG_STATE_STOPPED)
		return NULL;
	/* Translators: "The Wawp session is stopped (STOPPED). Start it in the Wawp dashboard, then reconnect." */
	return g_strdup_printf(_("The %s session is stopped (%s). Start it in %s, then reconnect."),
	                       v->name, detail ? detail : "STOPPED", _(v->panel));
}

guint
wag_vendor_min_spacing_ms(const WagVendor *v, WagOp op)
{
	return op < WAG_OP_LAST ? v->min_spacing_ms[op] : 0;
}
