/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* When to ask a vendor for the next page of a listing. The docs say little
 * (Z-API: page and pageSize, nothing on how the end shows), and a vendor
 * that ignores `page` answers page 1 forever: stop at a short page, at a
 * page that adds no new id, or at the cap, which is reported. */
#include "wag-vendor.h"
#include "wag-i18n.h"

struct _WagPager {
	const WagVendor *vendor;
	guint page, max_pages;
	GHashTable *seen; /* ids listed so far */
};

WagPager *
wag_pager_new(const WagVendor *v, guint max_pages)
{
	WagPager *p = g_new0(WagPager, 1);
	p->vendor = v;
	p->page = 1;
	p->max_pages = max_pages ? max_pages : WAG_PAGER_MAX_PAGES;
	p->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return p;
}

void
wag_pager_free(WagPager *p)
{
	if (!p)
		return;
	g_hash_table_destroy(p->seen);
	g_free(p);
}

guint
wag_pager_page(const WagPager *p)
{
	return p->page;
}

gboolean
wag_pager_next(WagPager *p, GPtrArray *groups, guint first, gboolean vendor_more, char **warning)
{
	guint listed = groups->len > first ? groups->len - first : 0;
	guint fresh = 0;

	if (warning)
		*warning = NULL;
	/* Drop what an earlier page already listed: a page repeated by a vendor
	 * that ignores `page` adds nothing twice. */
	for (guint i = first; i < groups->len;) {
		WagGroup *g = groups->pdata[i];
		if (g_hash_table_contains(p->seen, g->id)) {
			wag_group_free(g_ptr_array_steal_index(groups, i));
			continue;
		}
		g_hash_table_add(p->seen, g_strdup(g->id));
		fresh++;
		i++;
	}
	if (!vendor_more || !fresh || (p->vendor->page_size && listed < p->vendor->page_size))
		return FALSE;
	if (p->page >= p->max_pages) {
		if (warning)
			*warning = g_strdup_printf(_("%s listed more than %u pages of groups; the list stops there and may be incomplete."),
			                           p->vendor->name, p->max_pages);
		return FALSE;
	}
	p->page++;
	return TRUE;
}
