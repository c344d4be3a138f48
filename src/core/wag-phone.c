/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-phone.h"
#include <string.h>

gboolean
wag_phone_is_lid(const char *canonical)
{
	return canonical && g_str_has_suffix(canonical, "@lid");
}

char *
wag_phone_canonical(const char *input)
{
	g_autofree char *s = NULL;
	GString *digits;
	const char *at;

	if (!input)
		return NULL;
	s = g_strstrip(g_strdup(input));
	if (g_str_has_suffix(s, "@lid")) {
		for (const char *p = s; *p != '@'; p++)
			if (!g_ascii_isalnum(*p))
				return NULL;
		return *s == '@' ? NULL : g_strdup(s);
	}
	at = strchr(s, '@');
	if (at && strcmp(at, "@c.us") != 0 && strcmp(at, "@s.whatsapp.net") != 0)
		return NULL;
	digits = g_string_new(NULL);
	for (const char *p = s; *p && p != at; p++) {
		if (g_ascii_isdigit(*p))
			g_string_append_c(digits, *p);
		else if (!strchr(" +-().", *p)) {
			g_string_free(digits, TRUE);
			return NULL;
		}
	}
	/* E.164 allows at most 15 digits; fewer than 7 is no phone either. */
	if (digits->len < 7 || digits->len > 15) {
		g_string_free(digits, TRUE);
		return NULL;
	}
	return g_string_free(digits, FALSE);
}

GPtrArray *
wag_phone_split(const char *list, GPtrArray **invalid)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = g_strsplit(list ? list : "", ",", -1);

	if (invalid)
		*invalid = g_ptr_array_new_with_free_func(g_free);
	for (char **p = parts; *p; p++) {
		char *c;
		g_strstrip(*p);
		if (!**p)
			continue;
		c = wag_phone_canonical(*p);
		if (!c) {
			if (invalid)
				g_ptr_array_add(*invalid, g_strdup(*p));
			continue;
		}
		if (!g_ptr_array_find_with_equal_func(out, c, g_str_equal, NULL))
			g_ptr_array_add(out, c);
		else
			g_free(c);
	}
	return out;
}

/* ---- targets typed in a command ---- */

static gboolean
phone_token(const char *t)
{
	gboolean digit = FALSE;

	if (g_str_has_suffix(t, "@c.us") || g_str_has_suffix(t, "@s.whatsapp.net") ||
	    g_str_has_suffix(t, "@lid") || g_str_has_suffix(t, "@c.us,") || g_str_has_suffix(t, "@lid,"))
		return TRUE;
	for (const char *p = t; *p; p++) {
		if (g_ascii_isdigit(*p))
			digit = TRUE;
		else if (!strchr("+-().,_", *p))
			return FALSE;
	}
	return digit || strcmp(t, ",") == 0;
}

static void
add_piece(const char *piece, GPtrArray *ids, GPtrArray *invalid)
{
	const char *p = piece;
	char *c;

	while (*p == '_') /* bitlbee prefixes nicks that start with a digit */
		p++;
	c = wag_phone_canonical(p);
	if (!c) {
		/* "5544999999999 5544988888888": several phones without commas. */
		g_auto(GStrv) words = g_strsplit_set(p, " \t", -1);
		g_autoptr(GPtrArray) each = g_ptr_array_new_with_free_func(g_free);
		for (char **w = words; *w; w++) {
			char *wc;
			if (!**w)
				continue;
			wc = wag_phone_canonical(*w + strspn(*w, "_"));
			if (!wc) {
				g_ptr_array_add(invalid, g_strdup(piece));
				return;
			}
			g_ptr_array_add(each, wc);
		}
		for (guint i = 0; i < each->len; i++)
			g_ptr_array_add(ids, g_strdup(each->pdata[i]));
		return;
	}
	if (!g_ptr_array_find_with_equal_func(ids, c, g_str_equal, NULL))
		g_ptr_array_add(ids, c);
	else
		g_free(c);
}

void
wag_phone_parse_targets(const char *text, GPtrArray **ids, GPtrArray **invalid, char **reason)
{
	g_auto(GStrv) words = g_strsplit_set(text ? text : "", " \t", -1);
	GString *phones = g_string_new(NULL);
	char **w = words;
	g_auto(GStrv) pieces = NULL;

	*ids = g_ptr_array_new_with_free_func(g_free);
	*invalid = g_ptr_array_new_with_free_func(g_free);
	for (; *w; w++) {
		if (!**w)
			continue;
		/* The first word is a target whatever it looks like, so typos are reported. */
		if (phones->len && !phone_token(*w))
			break;
		g_string_append_printf(phones, "%s ", *w);
	}
	if (reason) {
		GString *r = g_string_new(NULL);
		for (; *w; w++)
			if (**w)
				g_string_append_printf(r, r->len ? " %s" : "%s", *w);
		*reason = g_string_free(r, r->len == 0);
	}
	pieces = g_strsplit(phones->str, ",", -1);
	for (char **p = pieces; *p; p++) {
		g_strstrip(*p);
		if (**p)
			add_piece(*p, *ids, *invalid);
	}
	g_string_free(phones, TRUE);
}
