/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "http-call.h"

static void
on_reply(WagReply *reply, gpointer data)
{
	WagTestReply *r = data;
	r->done = TRUE;
	r->status = reply->status;
	r->json = reply->json ? json_node_ref(reply->json) : NULL;
	r->error = reply->error ? g_error_copy(reply->error) : NULL;
}

WagTestReply
wag_test_call(WagHttp *h, const char *base, WagRequest *req)
{
	WagTestReply r = { 0 };
	gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	wag_http_send(h, base, req, on_reply, &r, NULL);
	while (!r.done && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(r.done);
	return r;
}

void
wag_test_reply_clear(WagTestReply *r)
{
	g_clear_pointer(&r->json, json_node_unref);
	g_clear_error(&r->error);
}
