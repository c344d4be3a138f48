/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "post-many.h"
#include <string.h>

typedef struct {
	int done, ok;
} Posts;

static void
on_posted(GObject *source, GAsyncResult *res, gpointer data)
{
	Posts *p = data;
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), res);
	g_autoptr(GBytes) b = soup_session_send_and_read_finish(SOUP_SESSION(source), res, NULL);
	p->done++;
	p->ok += b && soup_message_get_status(msg) == 200;
}

guint
post_many_zapi(RelayProc *rp, guint n, PostBodyFunc body, gpointer data)
{
	g_autoptr(SoupSession) s = soup_session_new_with_options("max-conns-per-host", 16, NULL);
	g_autofree char *url = g_strdup_printf("%s/webhook/zapi/%s", rp->base, RP_SECRET);
	Posts p = { 0 };

	for (guint i = 0; i < n; i++) {
		char *ev = body(i, data);
		g_autoptr(GBytes) b = g_bytes_new_take(ev, strlen(ev));
		g_autoptr(SoupMessage) msg = soup_message_new("POST", url);
		soup_message_set_request_body_from_bytes(msg, "application/json", b);
		soup_session_send_and_read_async(s, msg, G_PRIORITY_DEFAULT, NULL, on_posted, &p);
	}
	while (p.done < (int) n)
		g_main_context_iteration(NULL, TRUE);
	return (guint) p.ok;
}
