/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* libFuzzer target: the relay gate's request-head parser and chunked-body
 * follower, on arbitrary bytes. Never crashes; a verdict depends on the
 * head alone (the same head with other bytes after it, or cut right after
 * it, gets the same one); what passes is well framed; a chunked body read
 * in pieces ends where it ends read at once. */
#include "relay-gate-head.h"
#include <stdint.h>
#include <string.h>

static const char *const vendors[] = { "zapi", "greenapi", "wawp", NULL };

static gboolean
secret_ok(const char *s, gsize n, gpointer data)
{
	return n == 6 && memcmp(s, "SECRET", 6) == 0;
}

static gboolean
token_ok(const char *s, gsize n, gpointer data)
{
	return n == 5 && memcmp(s, "TOKEN", 5) == 0;
}

static const RelayGateRules rules = { 2048, 100000, vendors, secret_ok, token_ok, NULL };

static void
check_chunks(const char *body, gsize len)
{
	RelayChunks whole = { 0 }, parts = { 0 };
	gsize used_whole = 0, at = 0;
	RelayChunksResult a = relay_chunks_feed(&whole, body, len, 100000, &used_whole), b = CHUNKS_MORE;

	/* The same bytes a few at a time. */
	while (at < len && b == CHUNKS_MORE) {
		gsize step = 1 + (at * 7 + 3) % 5, used = 0;
		step = MIN(step, len - at);
		b = relay_chunks_feed(&parts, body + at, step, 100000, &used);
		g_assert(used <= step);
		at += used;
	}
	g_assert(a == b);
	if (a == CHUNKS_DONE)
		g_assert(at == used_whole);
	g_assert(used_whole <= len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *) data;
	RelayGateVerdict v, again;

	relay_gate_parse(buf, size, &rules, &v);
	switch (v.result) {
	case GATE_MORE:
		/* Nothing seen so far was wrong, and no head is complete. */
		g_assert(size < rules.max_head + 8);
		break;
	case GATE_REFUSE:
		g_assert(v.status >= 400 && v.status < 600);
		g_assert(relay_gate_reason_name(v.reason) != NULL);
		break;
	case GATE_PASS:
		g_assert(v.head_len >= 4 && v.head_len <= size);
		g_assert(memcmp(buf + v.head_len - 4, "\r\n\r\n", 4) == 0);
		g_assert(!memchr(buf, 0, v.head_len));
		g_assert(v.length <= rules.max_body);
		g_assert(v.body != GATE_BODY_LENGTH || v.length > 0);
		g_assert(v.route != GATE_ROUTE_OTHER);
		/* Cut right after the head: the same verdict. */
		relay_gate_parse(buf, v.head_len, &rules, &again);
		g_assert(again.result == GATE_PASS && again.head_len == v.head_len && again.body == v.body &&
		         again.length == v.length && again.route == v.route);
		if (v.body == GATE_BODY_CHUNKED)
			check_chunks(buf + v.head_len, size - v.head_len);
		break;
	}
	/* Any input is also a chunked body to follow. */
	check_chunks(buf, size);
	return 0;
}
