/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "vendor-fixture.h"
#include "wag-json.h"
#include <string.h>

static char *
path_of(const char *vendor, const char *name)
{
	const char *dir = g_getenv("WAG_FIXTURES_DIR");
	return g_build_filename(dir && *dir ? dir : WAG_FIXTURES_DIR, vendor, name, NULL);
}

static char *
read_file(const char *vendor, const char *name)
{
	g_autofree char *path = path_of(vendor, name);
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("fixture %s: %s", path, error->message);
	return text;
}

char *
wag_fixture_text(const char *vendor, const char *name)
{
	g_autofree char *text = read_file(vendor, name);
	const char *p = text;

	/* Comments are whole lines at the top. */
	while (*p == '#') {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	return g_strdup(p);
}

JsonNode *
wag_fixture_json(const char *vendor, const char *name)
{
	g_autofree char *body = wag_fixture_text(vendor, name);
	g_autoptr(GError) error = NULL;
	JsonNode *n = wag_json_parse(body, strlen(body), &error);

	if (error)
		g_error("fixture %s/%s is not JSON: %s", vendor, name, error->message);
	return n;
}

char *
wag_fixture_source(const char *vendor, const char *name)
{
	g_autofree char *text = read_file(vendor, name);
	const char *nl;

	if (!g_str_has_prefix(text, "# source: "))
		g_error("fixture %s/%s does not name its source", vendor, name);
	nl = strchr(text, '\n');
	return g_strndup(text + 10, nl ? (gsize) (nl - text - 10) : strlen(text + 10));
}

GPtrArray *
wag_fixture_list(const char *vendor, const char *prefix)
{
	const char *env = g_getenv("WAG_FIXTURES_DIR");
	g_autofree char *dir = g_build_filename(env && *env ? env : WAG_FIXTURES_DIR, vendor, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)))
		if (g_str_has_prefix(name, prefix) && g_str_has_suffix(name, ".json"))
			g_ptr_array_add(out, g_strdup(name));
	g_ptr_array_sort(out, (GCompareFunc) g_strcmp0);
	return out;
}
