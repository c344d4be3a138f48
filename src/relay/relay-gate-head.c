/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "relay-gate-head.h"
#include <string.h>

#define MAX_FIELDS 100

static const char *const reason_names[] = {
	[GATE_OK] = "ok",
	[GATE_BAD_REQUEST] = "bad_request",
	[GATE_HEAD_TOO_LARGE] = "headers_too_large",
	[GATE_BODY_TOO_LARGE] = "too_large",
	[GATE_NOT_FOUND] = "not_found",
	[GATE_UNKNOWN_VENDOR] = "unknown_vendor",
	[GATE_BAD_SECRET] = "bad_secret",
	[GATE_BAD_TOKEN] = "bad_token",
	[GATE_EXPECTATION] = "expectation_failed",
};

const char *
relay_gate_reason_name(RelayGateReason reason)
{
	return reason_names[reason];
}

static void
refuse(RelayGateVerdict *v, RelayGateReason reason, guint status)
{
	v->result = GATE_REFUSE;
	v->reason = reason;
	v->status = status;
}

/* RFC 9110 5.6.2 token characters. */
static gboolean
is_tchar(guchar c)
{
	return g_ascii_isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* What a path may hold: unreserved characters and '/'. Everything else
 * (%-escapes, ';', ':', '@', ...) is a path the relay does not serve, so
 * libsoup's view of a path can never differ from the gate's. */
static gboolean
is_path_char(guchar c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

static gboolean
equal_ci(const char *a, gsize la, const char *b)
{
	return la == strlen(b) && g_ascii_strncasecmp(a, b, la) == 0;
}

static gboolean
segment_is(const char *p, gsize n, const char *s)
{
	return n == strlen(s) && memcmp(p, s, n) == 0;
}

typedef struct {
	const char *name, *value;
	gsize name_len, value_len;
} Field;

/* The route, from the path alone (no query). */
static void
route(const char *path, gsize n, const char *auth, gsize auth_len, gboolean upgrade, const RelayGateRules *rules,
      RelayGateVerdict *v)
{
	const char *seg[4];
	gsize seglen[4];
	guint nseg = 0;

	for (gsize i = 0; i < n; i++)
		if (!is_path_char((guchar) path[i]))
			return refuse(v, GATE_NOT_FOUND, 404);
	/* Segments: "/a/b" -> a, b; empty, "." and ".." segments are not served. */
	for (gsize i = 1, start = 1; i <= n; i++) {
		if (i < n && path[i] != '/')
			continue;
		if (nseg == G_N_ELEMENTS(seg))
			return refuse(v, GATE_NOT_FOUND, 404);
		seg[nseg] = path + start;
		seglen[nseg] = i - start;
		if (!seglen[nseg] || segment_is(seg[nseg], seglen[nseg], ".") || segment_is(seg[nseg], seglen[nseg], ".."))
			return refuse(v, GATE_NOT_FOUND, 404);
		nseg++;
		start = i + 1;
	}
	if (nseg == 1 && segment_is(seg[0], seglen[0], "healthz")) {
		v->route = GATE_ROUTE_HEALTHZ;
	} else if (nseg == 1 && segment_is(seg[0], seglen[0], "metrics")) {
		v->route = GATE_ROUTE_METRICS;
	} else if (nseg == 1 && segment_is(seg[0], seglen[0], "events")) {
		v->route = GATE_ROUTE_EVENTS;
		if (!auth || auth_len <= 7 || g_ascii_strncasecmp(auth, "Bearer ", 7) != 0 ||
		    !rules->token_ok(auth + 7, auth_len - 7, rules->data))
			return refuse(v, GATE_BAD_TOKEN, 401);
		if (upgrade)
			v->body = GATE_BODY_UPGRADE;
	} else if (nseg == 3 && segment_is(seg[0], seglen[0], "webhook")) {
		gboolean known = FALSE;
		for (guint i = 0; rules->vendors[i]; i++)
			known |= segment_is(seg[1], seglen[1], rules->vendors[i]);
		if (!known)
			return refuse(v, GATE_UNKNOWN_VENDOR, 404);
		if (!rules->secret_ok(seg[2], seglen[2], rules->data))
			return refuse(v, GATE_BAD_SECRET, 401);
		v->route = GATE_ROUTE_WEBHOOK;
	} else {
		return refuse(v, GATE_NOT_FOUND, 404);
	}
}

/* A decimal Content-Length: digits only, no sign, no overflow. */
static gboolean
parse_length(const char *p, gsize n, guint64 *out)
{
	guint64 v = 0;
	if (!n || n > 18)
		return FALSE;
	for (gsize i = 0; i < n; i++) {
		if (!g_ascii_isdigit(p[i]))
			return FALSE;
		v = v * 10 + (guint64) (p[i] - '0');
	}
	*out = v;
	return TRUE;
}

static gboolean
host_ok(const char *p, gsize n)
{
	if (!n)
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isalnum(p[i]) && !strchr(".-_:[]", p[i]))
			return FALSE;
	return TRUE;
}

void
relay_gate_parse(const char *buf, gsize len, const RelayGateRules *rules, RelayGateVerdict *v)
{
	const char *p = buf, *end, *line_end = NULL, *sp1, *sp2, *target;
	gsize start = 0, lines = 0, target_len, path_len;
	Field f[MAX_FIELDS];
	guint nf = 0, n_cl = 0, n_te = 0, n_host = 0;
	const char *auth = NULL, *te = NULL;
	gsize auth_len = 0, te_len = 0;
	gboolean upgrade = FALSE, http10;
	guint64 length = 0;

	memset(v, 0, sizeof *v);
	/* Empty lines before a request line are allowed (RFC 9112 2.2), CRLF only. */
	while (start + 1 < len && buf[start] == '\r' && buf[start + 1] == '\n' && start < 8)
		start += 2;
	/* Every byte seen so far is checked now: garbage (a TLS hello, binary)
	 * is refused at once, not after max_head bytes. */
	for (gsize i = start; i < len; i++) {
		guchar c = (guchar) buf[i];
		if (i - start >= rules->max_head)
			return refuse(v, GATE_HEAD_TOO_LARGE, 431);
		if (c == '\r') {
			if (i + 1 < len && buf[i + 1] != '\n')
				return refuse(v, GATE_BAD_REQUEST, 400); /* lone CR */
		} else if (c == '\n') {
			if (i == start || buf[i - 1] != '\r')
				return refuse(v, GATE_BAD_REQUEST, 400); /* bare LF */
			if (line_end && i - 1 == (gsize) (line_end - buf) + 2) {
				v->head_len = i + 1;
				break;
			}
			line_end = buf + i - 1;
			if (++lines > MAX_FIELDS + 1)
				return refuse(v, GATE_HEAD_TOO_LARGE, 431);
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return refuse(v, GATE_BAD_REQUEST, 400); /* NUL and other controls */
		}
	}
	if (!v->head_len) {
		v->result = GATE_MORE;
		return;
	}
	end = buf + v->head_len - 2; /* the empty line's CRLF */

	/* request-line = method SP request-target SP HTTP-version CRLF */
	p = buf + start;
	line_end = memchr(p, '\r', end - p);
	sp1 = memchr(p, ' ', line_end - p);
	if (!sp1 || sp1 == p)
		return refuse(v, GATE_BAD_REQUEST, 400);
	for (const char *q = p; q < sp1; q++)
		if (!is_tchar((guchar) *q))
			return refuse(v, GATE_BAD_REQUEST, 400);
	target = sp1 + 1;
	sp2 = memchr(target, ' ', line_end - target);
	if (!sp2 || sp2 == target || line_end - sp2 != 9)
		return refuse(v, GATE_BAD_REQUEST, 400);
	if (memcmp(sp2 + 1, "HTTP/1.1", 8) == 0)
		http10 = FALSE;
	else if (memcmp(sp2 + 1, "HTTP/1.0", 8) == 0)
		http10 = TRUE;
	else
		return refuse(v, GATE_BAD_REQUEST, 400);
	target_len = sp2 - target;
	for (gsize i = 0; i < target_len; i++)
		if ((guchar) target[i] <= 0x20 || (guchar) target[i] >= 0x7f || target[i] == '#' || target[i] == '\t')
			return refuse(v, GATE_BAD_REQUEST, 400);
	/* origin-form only: the relay is no proxy (absolute-form, '*' and
	 * authority-form are refused). */
	if (target[0] != '/')
		return refuse(v, GATE_BAD_REQUEST, 400);

	/* field-line = field-name ":" OWS field-value OWS CRLF */
	for (p = line_end + 2; p < end; p = line_end + 2) {
		const char *colon;
		Field *fl = &f[nf];
		line_end = memchr(p, '\r', end - p);
		if (*p == ' ' || *p == '\t')
			return refuse(v, GATE_BAD_REQUEST, 400); /* obs-fold */
		colon = memchr(p, ':', line_end - p);
		if (!colon || colon == p)
			return refuse(v, GATE_BAD_REQUEST, 400);
		for (const char *q = p; q < colon; q++)
			if (!is_tchar((guchar) *q))
				return refuse(v, GATE_BAD_REQUEST, 400);
		fl->name = p;
		fl->name_len = colon - p;
		fl->value = colon + 1;
		while (fl->value < line_end && (*fl->value == ' ' || *fl->value == '\t'))
			fl->value++;
		fl->value_len = line_end - fl->value;
		while (fl->value_len && (fl->value[fl->value_len - 1] == ' ' || fl->value[fl->value_len - 1] == '\t'))
			fl->value_len--;
		nf++;
	}
	for (guint i = 0; i < nf; i++) {
		const Field *fl = &f[i];
		if (equal_ci(fl->name, fl->name_len, "Content-Length")) {
			/* Duplicates are refused even when equal: libsoup would join them. */
			if (n_cl++ || !parse_length(fl->value, fl->value_len, &length))
				return refuse(v, GATE_BAD_REQUEST, 400);
		} else if (equal_ci(fl->name, fl->name_len, "Transfer-Encoding")) {
			n_te++;
			te = fl->value;
			te_len = fl->value_len;
		} else if (equal_ci(fl->name, fl->name_len, "Host")) {
			if (n_host++ || !host_ok(fl->value, fl->value_len))
				return refuse(v, GATE_BAD_REQUEST, 400);
		} else if (equal_ci(fl->name, fl->name_len, "Expect")) {
			if (!equal_ci(fl->value, fl->value_len, "100-continue"))
				return refuse(v, GATE_EXPECTATION, 417);
		} else if (equal_ci(fl->name, fl->name_len, "Authorization")) {
			if (auth)
				return refuse(v, GATE_BAD_REQUEST, 400);
			auth = fl->value;
			auth_len = fl->value_len;
		} else if (equal_ci(fl->name, fl->name_len, "Upgrade")) {
			upgrade = TRUE;
		}
	}
	if (!http10 && !n_host)
		return refuse(v, GATE_BAD_REQUEST, 400);
	/* Only "chunked", once, never with a Content-Length (RFC 9112 6.1, 6.3). */
	if (n_te && (n_te > 1 || n_cl || http10 || !equal_ci(te, te_len, "chunked")))
		return refuse(v, GATE_BAD_REQUEST, 400);
	if (n_te)
		v->body = GATE_BODY_CHUNKED;
	else if (n_cl && length)
		v->body = GATE_BODY_LENGTH;
	v->length = length;

	path_len = target_len;
	for (gsize i = 0; i < target_len; i++)
		if (target[i] == '?') {
			path_len = i;
			break;
		}
	route(target, path_len, auth, auth_len, upgrade, rules, v);
	if (v->result == GATE_REFUSE)
		return;
	if (v->body == GATE_BODY_UPGRADE && (n_cl || n_te))
		return refuse(v, GATE_BAD_REQUEST, 400);
	if (length > rules->max_body)
		return refuse(v, GATE_BODY_TOO_LARGE, 413);
	v->result = GATE_PASS;
}

enum { CH_SIZE, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF, CH_TRAILER, CH_TRAILER_LINE, CH_TRAILER_LF, CH_END_LF };

RelayChunksResult
relay_chunks_feed(RelayChunks *c, const char *buf, gsize len, guint64 max_body, gsize *used)
{
	gsize i = 0;

	while (i < len) {
		guchar ch = (guchar) buf[i];
		switch (c->state) {
		case CH_SIZE:
			if (g_ascii_isxdigit(ch) && c->line < 15) {
				c->size = c->size * 16 + (guint64) g_ascii_xdigit_value(ch);
				c->line++;
			} else if (c->line && (ch == ';' || ch == ' ' || ch == '\t')) {
				c->state = CH_EXT;
			} else if (c->line && ch == '\r') {
				c->state = CH_SIZE_LF;
			} else {
				return CHUNKS_BAD;
			}
			i++;
			break;
		case CH_EXT:
			if (ch == '\r')
				c->state = CH_SIZE_LF;
			else if ((ch < 0x20 && ch != '\t') || ch == 0x7f || ++c->line > 4096)
				return CHUNKS_BAD;
			i++;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				return CHUNKS_BAD;
			i++;
			c->line = 0;
			c->total += c->size;
			if (c->total > max_body)
				return CHUNKS_TOO_LARGE;
			c->state = c->size ? CH_DATA : CH_TRAILER;
			break;
		case CH_DATA: {
			gsize n = (gsize) MIN((guint64) (len - i), c->size);
			i += n;
			c->size -= n;
			if (!c->size)
				c->state = CH_DATA_CR;
			break;
		}
		case CH_DATA_CR:
			if (ch != '\r')
				return CHUNKS_BAD;
			c->state = CH_DATA_LF;
			i++;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				return CHUNKS_BAD;
			c->state = CH_SIZE;
			i++;
			break;
		case CH_TRAILER: /* start of a trailer line, or the final CRLF */
			c->state = ch == '\r' ? CH_END_LF : CH_TRAILER_LINE;
			c->line = 0;
			if (ch != '\r' && (ch < 0x20 || ch == 0x7f))
				return CHUNKS_BAD;
			i++;
			break;
		case CH_TRAILER_LINE:
			if (ch == '\r')
				c->state = CH_TRAILER_LF;
			else if ((ch < 0x20 && ch != '\t') || ch == 0x7f || ++c->line > 8192)
				return CHUNKS_BAD;
			i++;
			break;
		case CH_TRAILER_LF:
			if (ch != '\n')
				return CHUNKS_BAD;
			c->state = CH_TRAILER;
			i++;
			break;
		case CH_END_LF:
			if (ch != '\n')
				return CHUNKS_BAD;
			*used = i + 1;
			return CHUNKS_DONE;
		}
	}
	*used = i;
	return CHUNKS_MORE;
}
