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
