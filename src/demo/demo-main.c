/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* wagateway-demo [--vendor zapi|greenapi|wawp] [--port N]: try the plugin
 * without a vendor account. See wagateway-demo(1). */
#include "demo.h"
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_PORT 8780

/* A line typed in the demo's terminal: a group message to the plugin. */
static gboolean
typed(GIOChannel *in, GIOCondition cond, gpointer front)
{
	g_autofree char *line = NULL;
	GIOStatus status = g_io_channel_read_line(in, &line, NULL, NULL, NULL);

	if (status == G_IO_STATUS_EOF || status == G_IO_STATUS_ERROR)
		return G_SOURCE_REMOVE; /* no terminal (a service, a pipe closed) */
	if (line && *g_strstrip(line) && g_utf8_validate(line, -1, NULL))
		demo_front_say(front, line);
	return G_SOURCE_CONTINUE;
}

static gboolean
quit(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	g_autofree char *vendor = NULL;
	gint port = DEFAULT_PORT;
	gboolean version = FALSE;
	GOptionEntry entries[] = {
		{ "vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, "The vendor to play: zapi (default), greenapi or wawp", "VENDOR" },
		{ "port", 0, 0, G_OPTION_ARG_INT, &port, "The port on 127.0.0.1 (default 8780; 0: any free port)", "PORT" },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) err = NULL;
	DemoWorld world = { 0 };
	GMainLoop *loop;
	WagEmu *emu;
	DemoFront *front;

	g_option_context_set_summary(ctx, "An emulated WhatsApp API vendor with sample groups on 127.0.0.1, to try "
	                                  "purple-wagateway without a vendor account. It stores nothing and calls "
	                                  "nothing outside this computer.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		g_printerr("wagateway-demo: %s (try --help)\n", err->message);
		return 2;
	}
	if (version) {
		printf("wagateway-demo %s\n", WAG_VERSION);
		return 0;
	}
	world.vendor = wag_vendor_lookup(vendor ? vendor : "zapi");
	if (!world.vendor || argc > 1) {
		g_printerr("wagateway-demo: the vendor is zapi, greenapi or wawp (try --help)\n");
		return 2;
	}
	if (port < 0 || port > 65535) {
		g_printerr("wagateway-demo: --port takes 0 to 65535\n");
		return 2;
	}

	emu = demo_world_seed(&world);
	front = demo_front_new(emu, &world, (guint) port, &err);
	if (!front) {
		g_printerr("wagateway-demo: cannot listen on 127.0.0.1:%d: %s\n"
		           "Another program uses that port: pick another with --port, or --port 0 for any free one.\n",
		           port, err->message);
		wag_emu_free(emu);
		demo_world_clear(&world);
		return 1;
	}
	demo_world_print(&world, demo_front_port(front));

	{
		GIOChannel *in = g_io_channel_unix_new(0);
		g_io_add_watch(in, G_IO_IN | G_IO_HUP | G_IO_ERR, typed, front);
		g_io_channel_unref(in);
	}
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGINT, quit, loop);
	g_unix_signal_add(SIGTERM, quit, loop);
	g_main_loop_run(loop);

	demo_front_free(front);
	wag_emu_free(emu);
	demo_world_clear(&world);
	g_main_loop_unref(loop);
	return 0;
}
