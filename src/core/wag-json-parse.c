/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* A strict JSON (RFC 8259) reader that builds json-glib nodes directly.
 *
 * Every webhook the relay takes is parsed here, and JsonParser's scanner
 * was a fifth of the relay's CPU per webhook (tests/bench/relay-ingest.sh).
 * The tree is json-glib's own, so every reader of it stays as it was.
 * Strict, but for one thing JsonParser let through and a sloppy vendor
 * may well send: raw control characters inside strings are kept. Nesting
 * deeper than WAG_JSON_MAX_DEPTH is refused. A NUL (escaped or raw) becomes
 * U+FFFD, since the tree holds C strings; so does each invalid UTF-8
 * sequence inside a string (JsonParser refused the whole document: one bad
 * name in a vendor's list emptied it); integers beyond 64 bits become
 * doubles (JsonParser wrapped them around). */
#include "wag-json.h"
#include <errno.h>
#include <string.h>

typedef struct {
	const char *start, *p, *end;
	guint depth;
	GString *text; /* scratch for strings and numbers */
	GError **error;
} Reader;

static JsonNode *read_value(Reader *r);

static void
fail(Reader *r, const char *what)
{
	if (r->error && !*r->error)
		g_set_error(r->error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
		            "invalid JSON at byte %" G_GSIZE_FORMAT ": %s", (gsize) (r->p - r->start), what);
}

static void
skip_ws(Reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

static int
hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int d = g_ascii_xdigit_value(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* r->p is on the opening quote; the decoded text replaces r->text. */
static gboolean
read_string(Reader *r)
{
	g_string_truncate(r->text, 0);
	r->p++;
	for (;;) {
		const char *run = r->p;
		int u;

		while (r->p < r->end && *r->p != '"' && *r->p != '\\' && *r->p != '\0')
			r->p++;
		if (G_LIKELY(g_utf8_validate_len(run, r->p - run, NULL))) {
			g_string_append_len(r->text, run, r->p - run);
		} else {
			/* One bad name must not cost the whole reply. */
			g_autofree char *valid = g_utf8_make_valid(run, r->p - run);
			g_string_append(r->text, valid);
		}
		if (r->p >= r->end) {
			fail(r, "unterminated string");
			return FALSE;
		}
		if (*r->p == '"') {
			r->p++;
			return TRUE;
		}
		if (*r->p == '\0') {
			r->p++;
			g_string_append_unichar(r->text, 0xFFFD);
			continue;
		}
		if (r->end - r->p < 2) {
			fail(r, "unterminated string");
			return FALSE;
		}
		r->p += 2;
		switch (r->p[-1]) {
		case '"': g_string_append_c(r->text, '"'); continue;
		case '\\': g_string_append_c(r->text, '\\'); continue;
		case '/': g_string_append_c(r->text, '/'); continue;
		case 'b': g_string_append_c(r->text, '\b'); continue;
		case 'f': g_string_append_c(r->text, '\f'); continue;
		case 'n': g_string_append_c(r->text, '\n'); continue;
		case 'r': g_string_append_c(r->text, '\r'); continue;
		case 't': g_string_append_c(r->text, '\t'); continue;
		case 'u': break;
		default:
			r->p--;
			fail(r, "unknown escape");
			return FALSE;
		}
		u = r->end - r->p >= 4 ? hex4(r->p) : -1;
		if (u < 0) {
			fail(r, "bad \\u escape");
			return FALSE;
		}
		r->p += 4;
		if (u >= 0xD800 && u <= 0xDBFF) {
			/* A high surrogate must be followed by its low half. */
			int lo = r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u' ? hex4(r->p + 2) : -1;
			if (lo < 0xDC00 || lo > 0xDFFF) {
				fail(r, "lone surrogate");
				return FALSE;
			}
			r->p += 6;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			fail(r, "lone surrogate");
			return FALSE;
		} else if (u == 0) {
			u = 0xFFFD;
		}
		g_string_append_unichar(r->text, (gunichar) u);
	}
}

/* Consumes c when it comes next. */
static gboolean
next_is(Reader *r, char c)
{
	if (r->p >= r->end || *r->p != c)
		return FALSE;
	r->p++;
	return TRUE;
}

static gboolean
digits(Reader *r)
{
	const char *from = r->p;
	while (r->p < r->end && g_ascii_isdigit(*r->p))
		r->p++;
	return r->p > from;
}

static JsonNode *
read_number(Reader *r)
{
	const char *from = r->p;
	gboolean integer = TRUE;

	if (*r->p == '-')
		r->p++;
	if (!next_is(r, '0') && (r->p >= r->end || *r->p < '1' || *r->p > '9' || !digits(r)))
		goto bad;
	if (next_is(r, '.')) {
		integer = FALSE;
		if (!digits(r))
			goto bad;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		integer = FALSE;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!digits(r))
			goto bad;
	}
	/* The input need not end in a NUL: the converters get a copy. */
	g_string_truncate(r->text, 0);
	g_string_append_len(r->text, from, r->p - from);
	if (integer) {
		gint64 v;
		errno = 0;
		v = g_ascii_strtoll(r->text->str, NULL, 10);
		if (errno == 0)
			return json_node_init_int(json_node_alloc(), v);
	}
	/* Fractions, exponents and integers beyond 64 bits. */
	return json_node_init_double(json_node_alloc(), g_ascii_strtod(r->text->str, NULL));
bad:
	fail(r, "bad number");
	return NULL;
}

static gboolean
literal(Reader *r, const char *word)
{
	gsize n = strlen(word);
	if ((gsize) (r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return FALSE;
	r->p += n;
	return TRUE;
}

static JsonNode *
read_object(Reader *r)
{
	JsonObject *o = json_object_new();
	JsonNode *node = json_node_init_object(json_node_alloc(), o);

	json_object_unref(o);
	r->p++;
	skip_ws(r);
	if (next_is(r, '}'))
		return node;
	for (;;) {
		char small[64];
		g_autofree char *big = NULL;
		const char *name;
		JsonNode *value;

		if (r->p >= r->end || *r->p != '"') {
			fail(r, "expected a member name");
			break;
		}
		if (!read_string(r))
			break;
		/* The value's strings reuse r->text: the name moves out first. */
		if (r->text->len < sizeof small)
			name = memcpy(small, r->text->str, r->text->len + 1);
		else
			name = big = g_strndup(r->text->str, r->text->len);
		skip_ws(r);
		if (!next_is(r, ':')) {
			fail(r, "expected ':'");
			break;
		}
		if (!(value = read_value(r)))
			break;
		/* A repeated name: the last one counts, as with JsonParser. */
		json_object_set_member(o, name, value);
		skip_ws(r);
		if (next_is(r, ',')) {
			skip_ws(r);
			continue;
		}
		if (next_is(r, '}'))
			return node;
		fail(r, "expected ',' or '}'");
		break;
	}
	json_node_unref(node);
	return NULL;
}

static JsonNode *
read_array(Reader *r)
{
	JsonArray *a = json_array_new();
	JsonNode *node = json_node_init_array(json_node_alloc(), a);

	json_array_unref(a);
	r->p++;
	skip_ws(r);
	if (next_is(r, ']'))
		return node;
	for (;;) {
		JsonNode *value = read_value(r);
		if (!value)
			break;
		json_array_add_element(a, value);
		skip_ws(r);
		if (next_is(r, ','))
			continue;
		if (next_is(r, ']'))
			return node;
		fail(r, "expected ',' or ']'");
		break;
	}
	json_node_unref(node);
	return NULL;
}

static JsonNode *
read_value(Reader *r)
{
	JsonNode *node = NULL;

	skip_ws(r);
	if (r->p >= r->end) {
		fail(r, "unexpected end");
		return NULL;
	}
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->depth > WAG_JSON_MAX_DEPTH) {
			fail(r, "nested too deeply");
			return NULL;
		}
		node = *r->p == '{' ? read_object(r) : read_array(r);
		r->depth--;
		return node;
	case '"':
		return read_string(r) ? json_node_init_string(json_node_alloc(), r->text->str) : NULL;
	case 't':
		if (literal(r, "true"))
			return json_node_init_boolean(json_node_alloc(), TRUE);
		break;
	case 'f':
		if (literal(r, "false"))
			return json_node_init_boolean(json_node_alloc(), FALSE);
		break;
	case 'n':
		if (literal(r, "null"))
			return json_node_init_null(json_node_alloc());
		break;
	default:
		if (*r->p == '-' || g_ascii_isdigit(*r->p))
			return read_number(r);
		break;
	}
	fail(r, "unexpected character");
	return NULL;
}

JsonNode *
wag_json_parse(const char *data, gsize len, GError **error)
{
	Reader r = { data, data, data + len, 0, NULL, error };
	JsonNode *root;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r.p += 3;
	skip_ws(&r);
	if (r.p == r.end)
		return NULL; /* empty input: no document, and no error either */
	r.text = g_string_sized_new(64);
	root = read_value(&r);
	skip_ws(&r);
	if (root && r.p != r.end) {
		fail(&r, "trailing data");
		g_clear_pointer(&root, json_node_unref);
	}
	g_string_free(r.text, TRUE);
	return root;
}
