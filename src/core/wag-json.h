/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Tolerant readers for vendor JSON: Z-API writes booleans as "false" at times. */
#pragma once
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *wag_json_str(JsonObject *o, const char *member);
/* Numbers become strings too (Green API phones, Z-API community ids). */
char *wag_json_dup_id(JsonObject *o, const char *member);
gboolean wag_json_bool(JsonObject *o, const char *member, gboolean fallback);
gboolean wag_json_has_bool(JsonObject *o, const char *member);
/* Numbers, or strings of digits; anything else gives fallback. */
gint64 wag_json_int(JsonObject *o, const char *member, gint64 fallback);
JsonObject *wag_json_obj(JsonNode *node);
JsonArray *wag_json_arr(JsonObject *o, const char *member);
/* The human text in an error body: error, message, description, invokeStatus.description. */
char *wag_json_error_text(JsonNode *body);
/* Deeper nesting is refused: no stack to exhaust with a hostile body. */
#define WAG_JSON_MAX_DEPTH 64
/* Strict JSON (wag-json-parse.c). Empty input gives NULL without an error. */
JsonNode *wag_json_parse(const char *data, gsize len, GError **error);

G_END_DECLS
