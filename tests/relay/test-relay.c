/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The real relay binary: every bad input's status code, events streamed in
 * order with resume, several clients, and no accepted webhook lost to kill -9. */
#include "relay-proc.h"
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#define JSON "application/json"

static SoupSession *session;

static char *
zapi_remove(const char *phone)
{
	return relay_zapi_webhook("REMOVE", phone);
}

static const char *WAWP_JOIN =
	"{\"event\": \"group.v2.participants\", \"session\": \"default\", \"payload\": {\"type\": \"join\","
	" \"timestamp\": 1732300000, \"group\": {\"id\": \"120363043968066561@g.us\"},"
	" \"participants\": [{\"id\": \"5544999999999@c.us\", \"role\": \"participant\"}]}}";

static void
test_status_codes(void)
{
	RelayProc *rp = relay_proc_start("max_body_bytes=4096\n");
	g_autofree char *ev = zapi_remove("5544999999999");
	g_autofree char *big = g_strnfill(5000, ' ');
	g_autofree char *metrics = NULL;
	guint status;
	g_autofree char *health = NULL;

	g_assert_cmpuint(relay_post(session, rp, "zapi", "wrong-secret", JSON, ev, NULL), ==, 401);
	g_assert_cmpuint(relay_post(session, rp, "whatsapp", RP_SECRET, JSON, ev, NULL), ==, 404);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, "{not json", NULL), ==, 400);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, "[1,2,3]", NULL), ==, 400);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, "", NULL), ==, 400);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, "text/plain", ev, NULL), ==, 415);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, big, NULL), ==, 413);
	/* Noise from the vendor: accepted and counted, not stored. */
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON,
	                            "{\"type\": \"ReceivedCallback\", \"text\": {\"message\": \"oi\"}}", NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "greenapi", RP_SECRET, JSON,
	                            "{\"typeWebhook\": \"incomingMessageReceived\", \"instanceData\": {\"idInstance\": 1101}}", NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL), ==, 200);
	{
		g_autofree char *url = g_strdup_printf("%s/webhook/zapi/%s", rp->base, RP_SECRET);
		g_autoptr(SoupMessage) msg = soup_message_new("GET", url);
		g_autoptr(GBytes) b = soup_session_send_and_read(session, msg, NULL, NULL);
		g_assert_cmpuint(soup_message_get_status(msg), ==, 405);
	}
	/* The relay never dies on input. */
	health = relay_get(session, rp, "/healthz", &status);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpstr(health, ==, "ok");
	metrics = relay_get(session, rp, "/metrics", &status);
	g_assert_cmpuint(status, ==, 200);
	g_assert_nonnull(strstr(metrics, "wagateway_relay_webhooks_stored_total 1\n"));
	g_assert_nonnull(strstr(metrics, "wagateway_relay_webhooks_ignored_total 2\n"));
	g_assert_nonnull(strstr(metrics, "wagateway_relay_rejected_total{reason=\"bad_secret\"} 1\n"));
	g_assert_nonnull(strstr(metrics, "wagateway_relay_rejected_total{reason=\"too_large\"} 1\n"));
	g_assert_nonnull(strstr(metrics, "wagateway_relay_webhooks_received_total{vendor=\"zapi\"}"));
	{
		/* Logs never carry the secrets. */
		g_autofree char *log = relay_proc_log(rp);
		g_assert_null(strstr(log, RP_SECRET));
		g_assert_null(strstr(log, RP_CLIENT));
	}
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	relay_proc_free(rp);
}

static void
test_hmac_and_instances(void)
{
	RelayProc *rp = relay_proc_start("wawp_hmac_key=hmac-key-1234\ninstances=3C5A;default;\n");
	g_autofree char *good = g_compute_hmac_for_string(G_CHECKSUM_SHA512, (const guchar *) "hmac-key-1234", 13, WAWP_JOIN, -1);
	g_autofree char *good256 = g_compute_hmac_for_string(G_CHECKSUM_SHA256, (const guchar *) "hmac-key-1234", 13, WAWP_JOIN, -1);
	g_autofree char *other = NULL;

	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, NULL), ==, 401);
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, "00ff"), ==, 401);
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, good), ==, 200);
	/* Wawp's SDK signs with SHA-256 (wawp-sdk-python wawp_sdk/resources/webhooks.py). */
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, good256), ==, 200);
	good256[0] = good256[0] == '0' ? '1' : '0';
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, good256), ==, 401);
	/* A webhook naming an instance not in the list is refused. */
	other = zapi_remove("5544999999999");
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, other, NULL), ==, 200);
	{
		g_autofree char *foreign = g_strdup(other);
		char *at = strstr(foreign, "3C5A");
		memcpy(at, "9999", 4);
		g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, foreign, NULL), ==, 403);
	}
	relay_proc_free(rp);
}

static void
test_stream_and_resume(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	RelayClient *c, *c2, *bad;
	gint64 base;

	for (int i = 1; i <= 5; i++) {
		g_autofree char *phone = g_strdup_printf("554490000000%d", i);
		g_autofree char *ev = zapi_remove(phone);
		g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL), ==, 200);
	}
	bad = relay_client_connect(session, rp, "not-the-token", 0);
	g_assert_null(bad->ws);
	g_assert_cmpuint(bad->status, ==, 401);
	relay_client_free(bad);

	/* Backlog in id order (ids run on from the first), then live ones. */
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_nonnull(c->ws);
	g_assert_true(relay_client_wait(c, 5, 3000));
	base = relay_frame_id(c->frames->pdata[0]) - 1;
	for (guint i = 0; i < 5; i++) {
		g_autofree char *want = g_strdup_printf("{\"id\":%" G_GINT64_FORMAT ",\"vendor\":\"zapi\",\"instance\":\"3C5A\","
			"\"group\":\"120363019502650977-group\",\"kind\":\"participant_removed\",\"participants\":[\"554490000000%u\"],"
			"\"actor\":\"5511999999999\",\"at\":1732300000000}", base + i + 1, i + 1);
		g_assert_cmpstr(c->frames->pdata[i], ==, want);
	}
	{
		g_autofree char *ack = g_strdup_printf("{\"ack\": %" G_GINT64_FORMAT "}", base + 5);
		soup_websocket_connection_send_text(c->ws, ack);
	}
	c2 = relay_client_connect(session, rp, RP_CLIENT, base + 3); /* resume after the third */
	g_assert_true(relay_client_wait(c2, 2, 3000));
	g_assert_cmpint(relay_frame_id(c2->frames->pdata[0]), ==, base + 4);
	g_assert_true(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, NULL) == 200);
	g_assert_true(relay_client_wait(c, 6, 3000));
	g_assert_true(relay_client_wait(c2, 3, 3000));
	g_assert_cmpint(relay_frame_id(c->frames->pdata[5]), ==, base + 6);
	g_assert_nonnull(strstr(c->frames->pdata[5], "\"vendor\":\"wawp\""));
	g_assert_cmpstr(c->frames->pdata[5], ==, c2->frames->pdata[2]);
	/* Nothing twice. */
	g_usleep(200000);
	g_assert_true(relay_client_wait(c, 6, 10));
	g_assert_cmpuint(c->frames->len, ==, 6);
	g_assert_cmpuint(c2->frames->len, ==, 3);
	relay_client_free(c);
	relay_client_free(c2);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	{
		g_autofree char *log = relay_proc_log(rp);
		g_assert_nonnull(strstr(log, "msg=\"stopped\""));
	}
	relay_proc_free(rp);
}

typedef struct {
	int sent, done;
	GHashTable *accepted; /* phones whose webhook got 200 */
} Flood;

typedef struct {
	Flood *flood;
	char *phone;
	SoupMessage *msg;
} Post;

static void
on_posted(GObject *source, GAsyncResult *res, gpointer data)
{
	Post *p = data;
	g_autoptr(GBytes) b = soup_session_send_and_read_finish(SOUP_SESSION(source), res, NULL);
	if (b && soup_message_get_status(p->msg) == 200)
		g_hash_table_add(p->flood->accepted, g_steal_pointer(&p->phone));
	p->flood->done++;
	g_free(p->phone);
	g_object_unref(p->msg);
	g_free(p);
}

/* While webhooks pour in, kill -9; every one that got a 200 is there after restart. */
static void
test_crash_loses_nothing(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autoptr(SoupSession) s = soup_session_new_with_options("max-conns-per-host", 16, "timeout", 5, NULL);
	Flood f = { 0, 0, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
	g_autofree char *url = g_strdup_printf("%s/webhook/zapi/%s", rp->base, RP_SECRET);
	RelayClient *c;
	guint found = 0;

	for (int i = 0; i < 400; i++) {
		Post *p = g_new0(Post, 1);
		g_autofree char *ev = NULL;
		g_autoptr(GBytes) b = NULL;
		p->flood = &f;
		p->phone = g_strdup_printf("55449%08d", i);
		ev = zapi_remove(p->phone);
		b = g_bytes_new(ev, strlen(ev));
		p->msg = soup_message_new("POST", url);
		soup_message_set_request_body_from_bytes(p->msg, JSON, b);
		soup_session_send_and_read_async(s, p->msg, G_PRIORITY_DEFAULT, NULL, on_posted, p);
	}
	while (g_hash_table_size(f.accepted) < 120)
		g_main_context_iteration(NULL, TRUE);
	relay_proc_kill9(rp);
	while (f.done < 400)
		g_main_context_iteration(NULL, TRUE);
	g_test_message("%u of 400 accepted before kill -9", g_hash_table_size(f.accepted));
	g_assert_cmpuint(g_hash_table_size(f.accepted), <, 400);

	relay_proc_restart(rp);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_nonnull(c->ws);
	relay_client_wait(c, g_hash_table_size(f.accepted), 5000);
	for (guint i = 0; i < c->frames->len; i++) {
		const char *at = strstr(c->frames->pdata[i], "\"participants\":[\"");
		g_autofree char *phone = at ? g_strndup(at + 17, 13) : NULL;
		found += phone && g_hash_table_contains(f.accepted, phone);
	}
	g_assert_cmpuint(found, ==, g_hash_table_size(f.accepted));
	relay_client_free(c);
	g_hash_table_destroy(f.accepted);
	relay_proc_free(rp);
}

static void
test_bad_db_path(void)
{
	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autofree char *dir = g_dir_make_tmp("wagrelay-XXXXXX", NULL);
	g_autofree char *conf = g_build_filename(dir, "r.conf", NULL);
	g_autofree char *text = g_strdup_printf("[relay]\nwebhook_secret=%s\nclient_token=%s\n", RP_SECRET, RP_CLIENT);
	g_autoptr(GSubprocess) p = NULL;
	g_autofree char *err = NULL;

	g_assert_true(g_file_set_contents(conf, text, -1, NULL));
	p = g_subprocess_launcher_spawn(l, NULL, g_getenv("WAG_RELAY"), "--config", conf, "--listen", "127.0.0.1:0",
	                                "--db", "/proc/no/such/dir/events.db", NULL);
	g_assert_true(g_subprocess_communicate_utf8(p, NULL, NULL, NULL, &err, NULL));
	g_assert_cmpint(g_subprocess_get_exit_status(p), ==, 1);
	g_assert_nonnull(strstr(err, "cannot open database /proc/no/such/dir/events.db"));

	/* Without secrets it refuses to start, saying why. */
	g_assert_true(g_file_set_contents(conf, "[relay]\n", -1, NULL));
	g_clear_object(&p);
	g_clear_pointer(&err, g_free);
	p = g_subprocess_launcher_spawn(l, NULL, g_getenv("WAG_RELAY"), "--config", conf, NULL);
	g_assert_true(g_subprocess_communicate_utf8(p, NULL, NULL, NULL, &err, NULL));
	g_assert_cmpint(g_subprocess_get_exit_status(p), ==, 2);
	g_assert_nonnull(strstr(err, "webhook_secret and client_token must be set"));

	/* Nor with the example configuration's placeholders, which anyone can read. */
	g_assert_true(g_file_set_contents(conf, "[relay]\nwebhook_secret=CHANGE-ME-openssl-rand-hex-24\n"
	                                        "client_token=CHANGE-ME-openssl-rand-hex-24\n", -1, NULL));
	g_clear_object(&p);
	g_clear_pointer(&err, g_free);
	p = g_subprocess_launcher_spawn(l, NULL, g_getenv("WAG_RELAY"), "--config", conf, "--listen", "127.0.0.1:0",
	                                "--db", "/proc/no/such/dir/events.db", NULL);
	g_assert_true(g_subprocess_communicate_utf8(p, NULL, NULL, NULL, &err, NULL));
	g_assert_cmpint(g_subprocess_get_exit_status(p), ==, 2);
	g_assert_nonnull(strstr(err, "CHANGE-ME placeholders"));
}

static void
test_db_private(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	GStatBuf st;
	g_autofree char *ev = zapi_remove("5544999999999");

	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL), ==, 200);
	g_assert_cmpint(g_stat(rp->db, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	relay_proc_free(rp);
}

#define SECRET_A "tenant-a-secret-0123456789"
#define TOKEN_A "tenant-a-token-0123456789"
#define SECRET_B "tenant-b-secret-0123456789"
#define TOKEN_B "tenant-b-token-0123456789"

static char *
zapi_for(const char *instance, const char *phone)
{
	g_autofree char *ev = zapi_remove(phone);
	char *at = strstr(ev, "\"3C5A\"");
	return g_strdup_printf("%.*s\"%s\"%s", (int) (at - ev), ev, instance, at + 6);
}

/* Two tenants on one relay: each reads only its own events, and neither
 * can post for the other's instances with its own secret. */
static void
test_tenants(void)
{
	RelayProc *rp = relay_proc_start_conf("[relay]\n"
	                                      "[tenant:alice]\ntoken=" TOKEN_A "\nwebhook_secret=" SECRET_A "\ninstances=INST-A;\n"
	                                      "[tenant:bob]\ntoken=" TOKEN_B "\nwebhook_secret=" SECRET_B "\ninstances=INST-B;wawp-84729105;\nmessages=true\n", 0);
	g_autofree char *a1 = zapi_for("INST-A", "5544911110001");
	g_autofree char *b1 = zapi_for("INST-B", "5544922220001");
	RelayClient *ca, *cb, *none;

	g_assert_cmpuint(relay_post(session, rp, "zapi", SECRET_A, JSON, a1, NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "zapi", SECRET_B, JSON, b1, NULL), ==, 200);
	/* Forgery: a tenant's secret for the other's instance. */
	g_assert_cmpuint(relay_post(session, rp, "zapi", SECRET_A, JSON, b1, NULL), ==, 403);
	g_assert_cmpuint(relay_post(session, rp, "zapi", SECRET_B, JSON, a1, NULL), ==, 403);
	/* Wawp names its session, which the tenant lists. */
	{
		g_autofree char *w = g_strdup_printf("{\"event\": \"group.v2.participants\", \"session\": \"wawp-84729105\", "
		                                     "\"payload\": {\"type\": \"join\", \"timestamp\": 1732300000, \"group\": "
		                                     "{\"id\": \"120363043968066561@g.us\"}, \"participants\": "
		                                     "[{\"id\": \"5544933330001@c.us\"}]}}");
		g_assert_cmpuint(relay_post(session, rp, "wawp", SECRET_B, JSON, w, NULL), ==, 200);
		g_assert_cmpuint(relay_post(session, rp, "wawp", SECRET_A, JSON, w, NULL), ==, 403);
	}
	/* The old global shorthand is off: there is no default tenant. */
	none = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_null(none->ws);
	g_assert_cmpuint(none->status, ==, 401);
	relay_client_free(none);

	ca = relay_client_connect(session, rp, TOKEN_A, 0);
	cb = relay_client_connect(session, rp, TOKEN_B, 0);
	g_assert_true(relay_client_wait(ca, 1, 3000));
	g_assert_true(relay_client_wait(cb, 2, 3000));
	/* Live ones too. */
	{
		g_autofree char *a2 = zapi_for("INST-A", "5544911110002");
		g_assert_cmpuint(relay_post(session, rp, "zapi", SECRET_A, JSON, a2, NULL), ==, 200);
	}
	g_assert_true(relay_client_wait(ca, 2, 3000));
	g_usleep(200000);
	relay_client_wait(cb, 3, 10);
	g_assert_cmpuint(ca->frames->len, ==, 2);
	g_assert_cmpuint(cb->frames->len, ==, 2);
	for (guint i = 0; i < 2; i++) {
		g_assert_nonnull(strstr(ca->frames->pdata[i], "\"instance\":\"INST-A\""));
		g_assert_null(strstr(cb->frames->pdata[i], "INST-A"));
	}
	g_assert_nonnull(strstr(cb->frames->pdata[0], "\"instance\":\"INST-B\""));
	g_assert_nonnull(strstr(cb->frames->pdata[1], "\"instance\":\"wawp-84729105\""));
	relay_client_free(ca);
	relay_client_free(cb);
	relay_proc_free(rp);
}

/* Ids only go up: after retention deleted every event and a restart, and
 * after the database file itself was deleted. */
static void
test_ids_never_go_back(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *e1 = zapi_remove("5544900000001");
	g_autofree char *e2 = zapi_remove("5544900000002");
	g_autofree char *e3 = zapi_remove("5544900000003");
	gint64 first, second;
	RelayClient *c;
	sqlite3 *db;

	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, e1, NULL), ==, 200);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 1, 3000));
	first = relay_frame_id(c->frames->pdata[0]);
	relay_client_free(c);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	/* What retention does to old events. */
	g_assert_cmpint(sqlite3_open(rp->db, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, "DELETE FROM events", NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close(db);
	relay_proc_restart(rp);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, e2, NULL), ==, 200);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 1, 3000));
	second = relay_frame_id(c->frames->pdata[0]);
	relay_client_free(c);
	g_assert_cmpint(second, >, first);
	/* The file gone altogether. */
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	g_assert_cmpint(g_unlink(rp->db), ==, 0);
	relay_proc_restart(rp);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, e3, NULL), ==, 200);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 1, 3000));
	g_assert_cmpint(relay_frame_id(c->frames->pdata[0]), >, second);
	relay_client_free(c);
	relay_proc_free(rp);
}

/* A database removed under the running relay: it stops taking webhooks
 * (503) and says it is unhealthy, instead of writing into a deleted file. */
static void
test_db_removed(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *e1 = zapi_remove("5544900000001");
	g_autofree char *e2 = zapi_remove("5544900000002");
	g_autofree char *wal = g_strconcat(rp->db, "-wal", NULL);
	g_autofree char *health = NULL;
	guint status;

	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, e1, NULL), ==, 200);
	health = relay_get(session, rp, "/healthz", &status);
	g_assert_cmpuint(status, ==, 200);
	g_assert_cmpint(g_unlink(rp->db), ==, 0);
	g_unlink(wal);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, e2, NULL), ==, 503);
	g_free(health);
	health = relay_get(session, rp, "/healthz", &status);
	g_assert_cmpuint(status, ==, 503);
	g_assert_true(relay_proc_wait_log(rp, "removed or replaced", 1000));
	relay_proc_free(rp);
}

/* Commits that fail (the disk is full: here, a file size limit on the
 * WAL) are answered 503 and /healthz says so; the relay keeps trying. */
static void
test_commit_failure(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *health = NULL;
	guint status = 200, last = 200;

	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	rp->fsize = 256 * 1024;
	relay_proc_restart(rp);
	for (guint i = 0; i < 5000 && last == 200; i++) {
		g_autofree char *phone = g_strdup_printf("55449%08u", i);
		g_autofree char *ev = zapi_remove(phone);
		last = relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL);
	}
	g_assert_cmpuint(last, ==, 503);
	health = relay_get(session, rp, "/healthz", &status);
	g_assert_cmpuint(status, ==, 503);
	g_assert_true(relay_proc_wait_log(rp, "store failed", 1000));
	relay_proc_free(rp);
}

/* A vendor's retry (same id) or a replay (same bytes) is stored once. */
static void
test_duplicates(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *ev = zapi_remove("5544900000001");
#define WITH_ID(momment) "{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"3C5A\"," \
	" \"messageId\": \"3EB0A1\", \"phone\": \"120363019502650977-group\", \"participantPhone\": \"5511999999999\"," \
	" \"momment\": " momment ", \"notification\": \"GROUP_PARTICIPANT_ADD\", \"notificationParameters\": [\"5544900000009\"]}"
	const char *retry1 = WITH_ID("1732300000000");
	const char *retry2 = WITH_ID("1732300000999");
	RelayClient *c;

	for (int i = 0; i < 3; i++)
		g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, retry1, NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, retry2, NULL), ==, 200);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 2, 3000));
	g_usleep(200000);
	relay_client_wait(c, 3, 10);
	g_assert_cmpuint(c->frames->len, ==, 2);
	g_assert_cmpuint(relay_metric(session, rp, "wagateway_relay_webhooks_duplicate_total"), ==, 3);
	relay_client_free(c);
	relay_proc_free(rp);
}

static guint
get_status(RelayProc *rp, const char *path, const char *header, const char *value)
{
	g_autofree char *url = g_strconcat(rp->base, path, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new("GET", url);
	g_autoptr(GBytes) b = NULL;
	if (header)
		soup_message_headers_replace(soup_message_get_request_headers(msg), header, value);
	b = soup_session_send_and_read(session, msg, NULL, NULL);
	return soup_message_get_status(msg);
}

/* /metrics: without metrics_token only for direct loopback clients (not
 * through a proxy); with it, only with the token. */
static void
test_metrics_access(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	RelayProc *rp2 = relay_proc_start("metrics_token=metrics-token-0123456789\n");

	g_assert_cmpuint(get_status(rp, "/metrics", NULL, NULL), ==, 200);
	g_assert_cmpuint(get_status(rp, "/metrics", "X-Forwarded-For", "203.0.113.9"), ==, 403);
	g_assert_cmpuint(get_status(rp, "/metrics", "Forwarded", "for=203.0.113.9"), ==, 403);
	g_assert_cmpuint(get_status(rp, "/metrics", "X-Real-IP", "203.0.113.9"), ==, 403);
	g_assert_cmpuint(get_status(rp2, "/metrics", NULL, NULL), ==, 403);
	g_assert_cmpuint(get_status(rp2, "/metrics", "Authorization", "Bearer wrong"), ==, 403);
	g_assert_cmpuint(get_status(rp2, "/metrics", "Authorization", "Bearer metrics-token-0123456789"), ==, 200);
	relay_proc_free(rp);
	relay_proc_free(rp2);
}

/* Under systemd (Type=notify): READY=1 once it listens, WATCHDOG=1 while
 * it runs, STOPPING=1 on SIGTERM. */
static void
test_sd_notify(void)
{
	g_autofree char *dir = g_dir_make_tmp("wagnotify-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "notify", NULL);
	g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
	g_autoptr(GSocket) sock = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, 0, NULL);
	g_autoptr(GString) got = g_string_new(NULL);
	RelayProc *rp;
	gint64 end;

	if (g_strcmp0(g_getenv("WAG_RELAY_SYSTEMD"), "1") != 0) {
		g_test_skip("built without libsystemd");
		return;
	}
	g_assert_true(g_socket_bind(sock, addr, FALSE, NULL));
	g_socket_set_timeout(sock, 1);
	rp = relay_proc_start_conf("[relay]\nwebhook_secret=" RP_SECRET "\nclient_token=" RP_CLIENT "\n", 0);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0); /* started without the socket: restart with it */
	rp->notify_socket = g_strdup(path);
	relay_proc_restart(rp);
	end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (!strstr(got->str, "WATCHDOG=1") && g_get_monotonic_time() < end) {
		char buf[256];
		gssize n = g_socket_receive(sock, buf, sizeof buf, NULL, NULL);
		if (n > 0)
			g_string_append_len(got, buf, n), g_string_append_c(got, '\n');
	}
	g_assert_nonnull(strstr(got->str, "READY=1"));
	g_assert_nonnull(strstr(got->str, "WATCHDOG=1"));
	g_assert_true(strstr(got->str, "READY=1") < strstr(got->str, "WATCHDOG=1"));
	g_subprocess_send_signal(rp->proc, SIGTERM);
	end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (!strstr(got->str, "STOPPING=1") && g_get_monotonic_time() < end) {
		char buf[256];
		gssize n = g_socket_receive(sock, buf, sizeof buf, NULL, NULL);
		if (n > 0)
			g_string_append_len(got, buf, n), g_string_append_c(got, '\n');
	}
	g_assert_nonnull(strstr(got->str, "STOPPING=1"));
	relay_proc_free(rp);
	g_unlink(path);
	g_rmdir(dir);
}

/* Keys of the retired ingest threads still load (said once in the log). */
static void
test_retired_keys(void)
{
	RelayProc *rp = relay_proc_start("ingest_threads=2\ningest_io_uring=false\n");
	g_autofree char *ev = zapi_remove("5544900000001");
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL), ==, 200);
	g_assert_true(relay_proc_wait_log(rp, "key=ingest_threads", 1000));
	g_assert_true(relay_proc_wait_log(rp, "key=ingest_io_uring", 1000));
	relay_proc_free(rp);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/status-codes", test_status_codes);
	g_test_add_func("/relay/hmac-and-instances", test_hmac_and_instances);
	g_test_add_func("/relay/stream-and-resume", test_stream_and_resume);
	g_test_add_func("/relay/kill-9-loses-nothing", test_crash_loses_nothing);
	g_test_add_func("/relay/bad-db-path", test_bad_db_path);
	g_test_add_func("/relay/db-private", test_db_private);
	g_test_add_func("/relay/tenants", test_tenants);
	g_test_add_func("/relay/ids-never-go-back", test_ids_never_go_back);
	g_test_add_func("/relay/db-removed", test_db_removed);
	g_test_add_func("/relay/duplicates", test_duplicates);
	g_test_add_func("/relay/commit-failure", test_commit_failure);
	g_test_add_func("/relay/metrics-access", test_metrics_access);
	g_test_add_func("/relay/retired-keys", test_retired_keys);
	g_test_add_func("/relay/sd-notify", test_sd_notify);
	return g_test_run();
}
