/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "fake-relay.h"
#include <libsoup/soup.h>

struct _FakeRelay {
	SoupServer *server;
	GPtrArray *clients; /* SoupWebsocketConnection* */
	char *url;
};

static void
on_closed(SoupWebsocketConnection *ws, gpointer data)
{
	FakeRelay *fr = data;
	g_ptr_array_remove(fr->clients, ws);
}

static void
on_ws(SoupServer *server, SoupServerMessage *msg, const char *path, SoupWebsocketConnection *ws, gpointer data)
{
	FakeRelay *fr = data;
	g_ptr_array_add(fr->clients, g_object_ref(ws));
	g_signal_connect(ws, "closed", G_CALLBACK(on_closed), fr);
}

FakeRelay *
fake_relay_new(void)
{
	FakeRelay *fr = g_new0(FakeRelay, 1);
	GSList *uris;

	fr->clients = g_ptr_array_new_with_free_func(g_object_unref);
	fr->server = soup_server_new(NULL, NULL);
	soup_server_add_websocket_handler(fr->server, "/events", NULL, NULL, on_ws, fr, NULL);
	g_assert_true(soup_server_listen_local(fr->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
	uris = soup_server_get_uris(fr->server);
	fr->url = g_strdup_printf("ws://127.0.0.1:%d", g_uri_get_port(uris->data));
	g_slist_free_full(uris, (GDestroyNotify) g_uri_unref);
	return fr;
}

void
fake_relay_free(FakeRelay *fr)
{
	for (guint i = 0; i < fr->clients->len; i++)
		g_signal_handlers_disconnect_by_data(fr->clients->pdata[i], fr);
	g_ptr_array_free(fr->clients, TRUE);
	soup_server_disconnect(fr->server);
	g_object_unref(fr->server);
	g_free(fr->url);
	g_free(fr);
}

const char *
fake_relay_url(FakeRelay *fr)
{
	return fr->url;
}

guint
fake_relay_clients(FakeRelay *fr)
{
	return fr->clients->len;
}

void
fake_relay_send(FakeRelay *fr, const char *json)
{
	for (guint i = 0; i < fr->clients->len; i++)
		soup_websocket_connection_send_text(fr->clients->pdata[i], json);
}
