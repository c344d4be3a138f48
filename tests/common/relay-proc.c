/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "relay-proc.h"
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <string.h>
#include <unistd.h>

static void
spin(guint ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) ms * 1000;
	while (g_get_monotonic_time() < end)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
}

char *
relay_proc_log(RelayProc *rp)
{
	char *text = NULL;
	if (!g_file_get_contents(rp->log, &text, NULL, NULL))
		return g_strdup("");
	return text;
}

/* A relay never outlives its test, even one killed by a timeout. */
static void
die_with_parent(gpointer data)
{
	RelayProc *rp = data;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (rp->nofile) {
		struct rlimit rl = { rp->nofile, rp->nofile };
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rp->fsize) {
		struct rlimit rl = { rp->fsize, rp->fsize };
		setrlimit(RLIMIT_FSIZE, &rl);
	}
}

static void
launch(RelayProc *rp)
{
	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_autofree char *conf = g_build_filename(rp->dir, "relay.conf", NULL);
	g_autoptr(GError) err = NULL;
	const char *bin = g_getenv("WAG_RELAY");

	g_assert_nonnull(bin);
	g_unlink(rp->log);
	g_subprocess_launcher_set_stderr_file_path(l, rp->log);
	if (rp->notify_socket)
		g_subprocess_launcher_setenv(l, "NOTIFY_SOCKET", rp->notify_socket, TRUE);
	else
		g_subprocess_launcher_unsetenv(l, "NOTIFY_SOCKET");
	g_subprocess_launcher_set_child_setup(l, die_with_parent, rp, NULL);
	g_autofree char *listen = g_strdup_printf("127.0.0.1:%d", rp->port); /* a restart keeps its port */
	rp->proc = g_subprocess_launcher_spawn(l, &err, bin, "--config", conf, "--listen", listen,
	                                       "--db", rp->db, NULL);
	g_assert_no_error(err);
	rp->port = 0;
	for (int i = 0; i < 500 && !rp->port; i++) {
		g_autofree char *log = relay_proc_log(rp);
		const char *at = strstr(log, "addr=127.0.0.1:");
		if (at)
			rp->port = atoi(at + strlen("addr=127.0.0.1:"));
		else
			g_usleep(10000);
	}
	g_assert_cmpint(rp->port, >, 0);
	g_free(rp->base);
	rp->base = g_strdup_printf("http://127.0.0.1:%d", rp->port);
}

RelayProc *
relay_proc_start_conf(const char *config, guint nofile)
{
	RelayProc *rp = g_new0(RelayProc, 1);
	g_autofree char *conf = NULL;

	rp->dir = g_dir_make_tmp("wagrelay-XXXXXX", NULL);
	rp->db = g_build_filename(rp->dir, "state", "events.db", NULL);
	rp->log = g_build_filename(rp->dir, "relay.log", NULL);
	rp->nofile = nofile;
	conf = g_build_filename(rp->dir, "relay.conf", NULL);
	g_assert_true(g_file_set_contents(conf, config, -1, NULL));
	launch(rp);
	return rp;
}

RelayProc *
relay_proc_start(const char *extra)
{
	g_autofree char *text = g_strdup_printf("[relay]\nwebhook_secret=%s\nclient_token=%s\n%s", RP_SECRET, RP_CLIENT,
	                                        extra ? extra : "");
	return relay_proc_start_conf(text, 0);
}

static char *
proc_file(RelayProc *rp, const char *name)
{
	g_autofree char *path = g_strdup_printf("/proc/%s/%s", g_subprocess_get_identifier(rp->proc), name);
	char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

guint64
relay_proc_rss_kb(RelayProc *rp)
{
	g_autofree char *status = proc_file(rp, "status");
	const char *at = strstr(status, "VmRSS:");
	g_assert_nonnull(at);
	return g_ascii_strtoull(at + 6, NULL, 10);
}

void
relay_proc_assert_growth(RelayProc *rp, guint64 before, guint64 limit_kb)
{
	guint64 after = relay_proc_rss_kb(rp);
	g_test_message("relay RSS %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT " kB", before, after);
#if defined(__SANITIZE_ADDRESS__)
	g_test_message("(not compared: AddressSanitizer build)");
#else
	g_assert_cmpuint(after, <, before + limit_kb);
#endif
}

guint64
relay_proc_cpu_ms(RelayProc *rp)
{
	g_autofree char *stat = proc_file(rp, "stat");
	g_auto(GStrv) f = g_strsplit(strrchr(stat, ')') + 2, " ", -1);
	/* fields 14 and 15 (utime, stime) are 11 and 12 after the name */
	return (g_ascii_strtoull(f[11], NULL, 10) + g_ascii_strtoull(f[12], NULL, 10)) * 1000 / (guint64) sysconf(_SC_CLK_TCK);
}

gboolean
relay_proc_wait_log(RelayProc *rp, const char *text, guint timeout_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
	do {
		g_autofree char *log = relay_proc_log(rp);
		if (strstr(log, text))
			return TRUE;
		spin(10);
	} while (g_get_monotonic_time() < end);
	return FALSE;
}

void
relay_proc_restart(RelayProc *rp)
{
	g_clear_object(&rp->proc);
	launch(rp);
}

void
relay_proc_kill9(RelayProc *rp)
{
	g_subprocess_send_signal(rp->proc, SIGKILL);
	g_subprocess_wait(rp->proc, NULL, NULL);
}

int
relay_proc_stop(RelayProc *rp)
{
	if (!rp->proc)
		return -1;
	if (g_subprocess_get_identifier(rp->proc)) /* still running */
		g_subprocess_send_signal(rp->proc, SIGTERM);
	g_subprocess_wait(rp->proc, NULL, NULL);
	return g_subprocess_get_if_exited(rp->proc) ? g_subprocess_get_exit_status(rp->proc) : -1;
}

void
relay_proc_free(RelayProc *rp)
{
	if (rp->proc && g_subprocess_get_identifier(rp->proc))
		relay_proc_stop(rp);
	g_clear_object(&rp->proc);
	/* What the relay left: its database, log and config. */
	for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++) {
		g_autofree char *f = g_strconcat(rp->db, *suffix, NULL);
		g_unlink(f);
	}
	{
		g_autofree char *state = g_path_get_dirname(rp->db);
		g_autofree char *conf = g_build_filename(rp->dir, "relay.conf", NULL);
		g_rmdir(state);
		g_unlink(conf);
		g_unlink(rp->log);
		g_rmdir(rp->dir);
	}
	g_free(rp->dir);
	g_free(rp->db);
	g_free(rp->log);
	g_free(rp->base);
	g_free(rp->notify_socket);
	g_free(rp);
}

guint
relay_post(SoupSession *s, RelayProc *rp, const char *vendor, const char *secret, const char *content_type,
           const char *body, const char *hmac)
{
	g_autofree char *url = g_strdup_printf("%s/webhook/%s/%s", rp->base, vendor, secret);
	g_autoptr(SoupMessage) msg = soup_message_new("POST", url);
	g_autoptr(GBytes) b = g_bytes_new(body, strlen(body));
	g_autoptr(GBytes) reply = NULL;

	soup_message_set_request_body_from_bytes(msg, content_type, b);
	if (hmac)
		soup_message_headers_replace(soup_message_get_request_headers(msg), "X-Webhook-Hmac", hmac);
	reply = soup_session_send_and_read(s, msg, NULL, NULL);
	return soup_message_get_status(msg);
}

char *
relay_get(SoupSession *s, RelayProc *rp, const char *path, guint *status)
{
	g_autofree char *url = g_strconcat(rp->base, path, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new("GET", url);
	g_autoptr(GBytes) reply = soup_session_send_and_read(s, msg, NULL, NULL);

	*status = soup_message_get_status(msg);
	return reply ? g_strndup(g_bytes_get_data(reply, NULL), g_bytes_get_size(reply)) : g_strdup("");
}

char *
relay_zapi_webhook(const char *kind, const char *phone)
{
	return g_strdup_printf("{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"3C5A\","
	                       " \"phone\": \"120363019502650977-group\", \"participantPhone\": \"5511999999999\","
	                       " \"momment\": 1732300000000, \"notification\": \"GROUP_PARTICIPANT_%s\","
	                       " \"notificationParameters\": [\"%s\"]}", kind, phone);
}

gint64
relay_frame_id(const char *frame)
{
	const char *at = strstr(frame, "\"id\":");
	g_assert_nonnull(at);
	return g_ascii_strtoll(at + 5, NULL, 10);
}

guint64
relay_metric(SoupSession *s, RelayProc *rp, const char *name)
{
	guint status;
	g_autofree char *m = relay_get(s, rp, "/metrics", &status);
	g_autofree char *line = g_strdup_printf("\n%s ", name);
	const char *at = strstr(m, line);

	g_assert_cmpuint(status, ==, 200);
	g_assert_nonnull(at);
	return g_ascii_strtoull(at + strlen(line), NULL, 10);
}

static void
on_frame(SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
	RelayClient *c = data;
	g_ptr_array_add(c->frames, g_strndup(g_bytes_get_data(message, NULL), g_bytes_get_size(message)));
}

static void
on_connected(GObject *source, GAsyncResult *res, gpointer data)
{
	RelayClient *c = data;
	c->ws = soup_session_websocket_connect_finish(SOUP_SESSION(source), res, &c->error);
	if (c->ws)
		g_signal_connect(c->ws, "message", G_CALLBACK(on_frame), c);
	c->done = TRUE;
}

RelayClient *
relay_client_connect(SoupSession *s, RelayProc *rp, const char *token, gint64 after)
{
	RelayClient *c = g_new0(RelayClient, 1);
	g_autofree char *url = g_strdup_printf("ws://127.0.0.1:%d/events?after=%" G_GINT64_FORMAT, rp->port, after);
	SoupMessage *msg = soup_message_new("GET", url);
	g_autofree char *auth = g_strdup_printf("Bearer %s", token);

	c->frames = g_ptr_array_new_with_free_func(g_free);
	soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization", auth);
	soup_session_websocket_connect_async(s, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected, c);
	for (int i = 0; i < 3000 && !c->done; i++)
		spin(1);
	c->status = soup_message_get_status(msg);
	g_object_unref(msg);
	return c;
}

gboolean
relay_client_wait(RelayClient *c, guint frames, guint timeout_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
	while (c->frames->len < frames && g_get_monotonic_time() < end)
		spin(2);
	return c->frames->len >= frames;
}

void
relay_client_free(RelayClient *c)
{
	if (c->ws) {
		if (soup_websocket_connection_get_state(c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
			soup_websocket_connection_close(c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
		g_object_unref(c->ws);
	}
	g_clear_error(&c->error);
	g_ptr_array_free(c->frames, TRUE);
	g_free(c);
}
