/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* A vendor that misbehaves on demand: replies trickled a byte at a time,
 * endless replies produced only as fast as the client reads them, and runs
 * of failures (5xx storms). */
#include "vendor-emu-private.h"
#include <string.h>

typedef struct {
	char *match;
	guint interval_ms;
} Trickle;

typedef struct {
	char *match;
	gsize bytes;
} Huge;

typedef struct {
	char *match;
	guint left, status;
	char *body;
} Storm;

struct _EmuMisbehaviour {
	GPtrArray *trickles; /* Trickle* */
	GPtrArray *huges;    /* Huge* */
	GPtrArray *storms;   /* Storm* */
	GPtrArray *live;     /* Stream*: replies still being written */
	gsize huge_sent;
};

/* One reply being written slowly or endlessly. */
typedef struct {
	EmuMisbehaviour *bad;
	SoupServerMessage *msg;
	GBytes *data;      /* trickle: what is left to send */
	gsize off;
	gsize left;        /* huge: bytes still to produce */
	guint timer;
	gulong finished_id, disconnected_id, chunk_id;
	gboolean done;
} Stream;

static void
trickle_free(gpointer p)
{
	Trickle *t = p;
	g_free(t->match);
	g_free(t);
}

static void
huge_free(gpointer p)
{
	Huge *h = p;
	g_free(h->match);
	g_free(h);
}

static void
storm_free(gpointer p)
{
	Storm *s = p;
	g_free(s->match);
	g_free(s->body);
	g_free(s);
}

static void
stream_stop(Stream *st)
{
	if (st->timer)
		g_source_remove(st->timer);
	st->timer = 0;
	if (st->finished_id)
		g_signal_handler_disconnect(st->msg, st->finished_id);
	if (st->chunk_id)
		g_signal_handler_disconnect(st->msg, st->chunk_id);
	if (st->disconnected_id)
		g_signal_handler_disconnect(st->msg, st->disconnected_id);
	st->finished_id = st->chunk_id = st->disconnected_id = 0;
}

static void
stream_free(gpointer p)
{
	Stream *st = p;
	stream_stop(st);
	if (!st->done)
		soup_server_message_unpause(st->msg); /* let the server drop it */
	g_clear_pointer(&st->data, g_bytes_unref);
	g_object_unref(st->msg);
	g_free(st);
}

EmuMisbehaviour *
emu_misbehaviour_new(void)
{
	EmuMisbehaviour *bad = g_new0(EmuMisbehaviour, 1);
	bad->trickles = g_ptr_array_new_with_free_func(trickle_free);
	bad->huges = g_ptr_array_new_with_free_func(huge_free);
	bad->storms = g_ptr_array_new_with_free_func(storm_free);
	bad->live = g_ptr_array_new_with_free_func(stream_free);
	return bad;
}

void
emu_misbehaviour_free(EmuMisbehaviour *bad)
{
	g_ptr_array_free(bad->live, TRUE);
	g_ptr_array_free(bad->trickles, TRUE);
	g_ptr_array_free(bad->huges, TRUE);
	g_ptr_array_free(bad->storms, TRUE);
	g_free(bad);
}

static void
on_finished(SoupServerMessage *msg, gpointer data)
{
	Stream *st = data;
	st->done = TRUE;
	stream_stop(st);
}

static Stream *
stream_new(EmuMisbehaviour *bad, SoupServerMessage *msg)
{
	Stream *st = g_new0(Stream, 1);
	st->bad = bad;
	st->msg = g_object_ref(msg);
	st->finished_id = g_signal_connect(msg, "finished", G_CALLBACK(on_finished), st);
	st->disconnected_id = g_signal_connect(msg, "disconnected", G_CALLBACK(on_finished), st);
	soup_message_headers_set_encoding(soup_server_message_get_response_headers(msg), SOUP_ENCODING_CHUNKED);
	g_ptr_array_add(bad->live, st);
	return st;
}

static gboolean
trickle_step(gpointer data)
{
	Stream *st = data;
	gsize len;
	const char *bytes = g_bytes_get_data(st->data, &len);
	SoupMessageBody *body = soup_server_message_get_response_body(st->msg);

	if (st->off < len) {
		soup_message_body_append(body, SOUP_MEMORY_COPY, bytes + st->off, 1);
		st->off++;
	}
	if (st->off >= len) {
		soup_message_body_complete(body);
		st->timer = 0;
	}
	soup_server_message_unpause(st->msg);
	return st->timer ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* An endless-looking JSON array of strings: valid, and as long as asked. */
static void
huge_step(SoupServerMessage *msg, SoupMessageBody *chunk_unused, gpointer data)
{
	Stream *st = data;
	SoupMessageBody *body = soup_server_message_get_response_body(msg);
	gsize n = MIN(st->left, 65536);
	char *chunk;

	if (st->left == 0) {
		if (!st->done)
			soup_message_body_complete(body);
		return;
	}
	chunk = g_malloc(n);
	memset(chunk, 'x', n);
	if (st->bad->huge_sent == 0)
		chunk[0] = '[', chunk[1] = '"';
	if (n == st->left) {
		/* The end: close the string and the array. */
		chunk[n - 2] = '"';
		chunk[n - 1] = ']';
	}
	st->left -= n;
	st->bad->huge_sent += n;
	soup_message_body_append_take(body, (guchar *) chunk, n);
	soup_server_message_unpause(msg);
}

static gboolean
matches(const char *match, WagEmuRequest *rec)
{
	return strstr(rec->path, match) != NULL;
}

gboolean
emu_misbehave_before(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	EmuMisbehaviour *bad = emu->bad;

	for (guint i = 0; i < bad->storms->len; i++) {
		Storm *s = bad->storms->pdata[i];
		if (!s->left || !matches(s->match, rec))
			continue;
		s->left--;
		soup_server_message_set_status(msg, s->status, NULL);
		if (s->body)
			soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, s->body, strlen(s->body));
		return TRUE;
	}
	for (guint i = 0; i < bad->huges->len; i++) {
		Huge *h = bad->huges->pdata[i];
		Stream *st;
		if (!matches(h->match, rec))
			continue;
		soup_server_message_set_status(msg, 200, NULL);
		soup_message_headers_set_content_type(soup_server_message_get_response_headers(msg), "application/json", NULL);
		bad->huge_sent = 0;
		st = stream_new(bad, msg);
		st->left = MAX(h->bytes, 4);
		st->chunk_id = g_signal_connect(msg, "wrote-chunk", G_CALLBACK(huge_step), st);
		huge_step(msg, NULL, st);
		return TRUE;
	}
	return FALSE;
}

void
emu_misbehave_after(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	EmuMisbehaviour *bad = emu->bad;

	for (guint i = 0; i < bad->trickles->len; i++) {
		Trickle *t = bad->trickles->pdata[i];
		SoupMessageBody *body;
		Stream *st;
		if (!matches(t->match, rec))
			continue;
		body = soup_server_message_get_response_body(msg);
		st = stream_new(bad, msg);
		st->data = soup_message_body_flatten(body);
		soup_message_body_truncate(body);
		soup_server_message_pause(msg);
		st->timer = g_timeout_add(t->interval_ms, trickle_step, st);
		return;
	}
}

void
wag_emu_trickle(WagEmu *emu, const char *match, guint interval_ms)
{
	Trickle *t = g_new0(Trickle, 1);
	t->match = g_strdup(match);
	t->interval_ms = MAX(interval_ms, 1);
	g_ptr_array_add(emu->bad->trickles, t);
}

void
wag_emu_huge_reply(WagEmu *emu, const char *match, gsize bytes)
{
	Huge *h = g_new0(Huge, 1);
	h->match = g_strdup(match);
	h->bytes = bytes;
	g_ptr_array_add(emu->bad->huges, h);
}

gsize
wag_emu_huge_sent(WagEmu *emu)
{
	return emu->bad->huge_sent;
}

void
wag_emu_fail_times(WagEmu *emu, const char *match, guint times, guint status, const char *body)
{
	Storm *s = g_new0(Storm, 1);
	s->match = g_strdup(match);
	s->left = times;
	s->status = status;
	s->body = g_strdup(body);
	g_ptr_array_add(emu->bad->storms, s);
}
