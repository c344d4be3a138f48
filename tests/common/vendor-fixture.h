/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The vendors' own examples, as copied into tests/fixtures/VENDOR/NAME:
 * leading "#" lines are comments (the first names the source), the rest is
 * the body. The directory is WAG_FIXTURES_DIR from the environment, else
 * the one meson configured. */
#pragma once
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The body, comments stripped; aborts the test when the file is missing. */
char *wag_fixture_text(const char *vendor, const char *name);
/* The body parsed by the project's reader (NULL for an empty body). */
JsonNode *wag_fixture_json(const char *vendor, const char *name);
/* The "# source:" line's text, for test messages. */
char *wag_fixture_source(const char *vendor, const char *name);
/* Every fixture file name of a vendor starting with prefix, sorted. */
GPtrArray *wag_fixture_list(const char *vendor, const char *prefix);

G_END_DECLS
