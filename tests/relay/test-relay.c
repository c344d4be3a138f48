/* The real relay binary: every bad input's status code, events streamed in
 * order with resume, several clients, and no accepted webhook lost to kill -9. */
#include "relay-proc.h"
#include <glib/gstdio.h>
#include <string.h>

#define JSON "application/json"

static SoupSession *session;

static char *
zapi_remove(const char *phone)
{
	return g_strdup_printf("{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"3C5A\","
	                       " \"phone\": \"120363019502650977-group\", \"participantPhone\": \"5511999999999\","
	                       " \"momment\": 1732300000000, \"notification\": \"GROUP_PARTICIPANT_REMOVE\","
	                       " \"notificationParameters\": [\"%s\"]}", phone);
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
	g_assert_nonnull(strstr(metrics, "wagateway_relay_webhooks_rejected_total{reason=\"bad_secret\"} 1\n"));
	g_assert_nonnull(strstr(metrics, "wagateway_relay_webhooks_rejected_total{reason=\"too_large\"} 1\n"));
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

/* A plain TCP connection to the relay, reads timing out after 5 s. */
static GSocketConnection *
raw_connect(RelayProc *rp)
{
	g_autoptr(GSocketClient) client = g_socket_client_new();
	GSocketConnection *conn = g_socket_client_connect_to_host(client, "127.0.0.1", (guint16) rp->port, NULL, NULL);

	g_assert_nonnull(conn);
	g_socket_set_timeout(g_socket_connection_get_socket(conn), 5);
	return conn;
}

/* Sends pieces, each its own segment, on one connection and reads until
 * `responses` answers have come (or 5 s pass). */
static char *
raw_exchange(RelayProc *rp, const char *const *pieces, guint responses)
{
	g_autoptr(GSocketConnection) conn = raw_connect(rp);
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(conn));
	GString *got = g_string_new(NULL);
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	for (guint i = 0; pieces[i]; i++) {
		g_assert_true(g_output_stream_write_all(out, pieces[i], strlen(pieces[i]), NULL, NULL, NULL));
		g_usleep(20000); /* each piece its own segment */
	}
	while (g_get_monotonic_time() < end) {
		char buf[4096];
		guint seen = 0;
		const char *p = got->str;
		gssize n;
		while ((p = strstr(p, "HTTP/1.1 "))) {
			seen++;
			p++;
		}
		if (seen >= responses && g_str_has_suffix(got->str, responses ? "ok" : ""))
			break;
		n = g_input_stream_read(in, buf, sizeof buf, NULL, NULL);
		if (n <= 0)
			break;
		g_string_append_len(got, buf, n);
	}
	return g_string_free(got, FALSE);
}

/* Sends one request and half-closes at once, as some HTTP clients do;
 * returns everything read until the relay closes. */
static char *
half_closed_exchange(RelayProc *rp, const char *request)
{
	g_autoptr(GSocketConnection) conn = raw_connect(rp);
	GSocket *sock = g_socket_connection_get_socket(conn);
	GString *got = g_string_new(NULL);
	char buf[4096];
	gssize n;

	g_assert_true(g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(conn)), request, strlen(request),
	                                        NULL, NULL, NULL));
	g_assert_true(g_socket_shutdown(sock, FALSE, TRUE, NULL));
	while ((n = g_socket_receive(sock, buf, sizeof buf, NULL, NULL)) > 0)
		g_string_append_len(got, buf, n);
	g_assert_cmpint(n, ==, 0); /* closed by the relay, not timed out */
	return g_string_free(got, FALSE);
}

/* n answers "200 OK" with the body "ok", in a row, and nothing after. */
static void
assert_ok_answers(const char *got, guint n)
{
	const char *p = got;
	for (guint i = 0; i < n; i++) {
		p = strstr(p, "HTTP/1.1 200 OK\r\n");
		g_assert_nonnull(p);
		p = strstr(p, "\r\n\r\nok");
		g_assert_nonnull(p);
		p += 6;
	}
	g_assert_cmpstr(p, ==, "");
}

/* How the workers say they send their 200s; a relay built with io_uring
 * that cannot use it says why. */
static void
assert_answers(RelayProc *rp, gboolean io_uring_off)
{
	g_autofree char *log = relay_proc_log(rp);
	gboolean built = g_strcmp0(g_getenv("WAG_RELAY_IO_URING"), "1") == 0;

	if (io_uring_off || !built) {
		g_assert_nonnull(strstr(log, " answers=send"));
	} else if (!strstr(log, " answers=io_uring")) {
		g_assert_nonnull(strstr(log, " answers=send"));
		g_assert_nonnull(strstr(log, "msg=\"io_uring unavailable, answering one by one\" error="));
	}
	g_test_message("answers: %s", strstr(log, " answers=io_uring") ? "io_uring" : "send");
}

/* Raw bytes, as vendors' HTTP clients may send them: pipelined webhooks, a
 * head split in pieces, then a request for libsoup on the same connection;
 * a chunked webhook; a webhook and a GET in one segment; a half-close.
 * Run with each way of sending the 200s (io_uring batches, send()). */
static void
test_raw_http(gconstpointer data)
{
	gboolean io_uring_off = GPOINTER_TO_INT(data);
	RelayProc *rp = relay_proc_start(io_uring_off ? "ingest_io_uring=false\n" : NULL);
	g_autofree char *ev1 = zapi_remove("5544911111111");
	g_autofree char *ev2 = zapi_remove("5544922222222");
	g_autofree char *ev3 = zapi_remove("5544933333333");
	g_autofree char *post1 = g_strdup_printf("POST /webhook/zapi/%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	                                         "Content-Length: %zu\r\n\r\n%s", RP_SECRET, strlen(ev1), ev1);
	g_autofree char *post2 = g_strdup_printf("POST /webhook/zapi/%s?src=panel HTTP/1.1\r\nHost: x\r\n"
	                                         "content-type: Application/JSON; charset=utf-8\r\ncontent-length: %zu\r\n\r\n%s",
	                                         RP_SECRET, strlen(ev2), ev2);
	g_autofree char *pipelined = g_strconcat(post1, post2, NULL);
	g_autofree char *head3 = g_strdup_printf("POST /webhook/zapi/%s HTTP/1.1\r\nHost: x\r\nContent-", RP_SECRET);
	g_autofree char *rest3 = g_strdup_printf("Length: %zu\r\n\r\n", strlen(ev3));
	const char *health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *pieces[] = { pipelined, head3, rest3, ev3, health, NULL };
	g_autofree char *chunked = NULL;
	g_autofree char *got = raw_exchange(rp, pieces, 4);
	g_autofree char *got2 = NULL;
	g_autofree char *metrics = NULL;
	guint status;

	/* Four answers, in order: three stored webhooks, then libsoup's /healthz. */
	assert_ok_answers(got, 4);

	/* Chunked: not the fast path's business, and still stored. */
	chunked = g_strdup_printf("POST /webhook/zapi/%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	                          "Transfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n", RP_SECRET, strlen(ev1), ev1);
	{
		const char *one[] = { chunked, NULL };
		got2 = raw_exchange(rp, one, 1);
	}
	g_assert_true(g_str_has_prefix(got2, "HTTP/1.1 200 OK\r\n"));

	/* A webhook and a GET in one segment: the GET reaches libsoup with the
	 * bytes the fast path had already read of it. (libsoup itself answers
	 * no pipelined request after its first.) */
	{
		g_autofree char *mixed = g_strconcat(post1, health, NULL);
		const char *one[] = { mixed, NULL };
		g_autofree char *got3 = raw_exchange(rp, one, 2);
		assert_ok_answers(got3, 2);
	}

	/* Half-closed right after its webhook: the client still hears the
	 * commit, then the relay closes. */
	{
		g_autofree char *got4 = half_closed_exchange(rp, post1);
		g_assert_true(g_str_has_prefix(got4, "HTTP/1.1 200 OK\r\n"));
		g_assert_nonnull(strstr(got4, "\r\nConnection: close\r\n"));
		g_assert_true(g_str_has_suffix(got4, "\r\n\r\nok"));
	}

	metrics = relay_get(session, rp, "/metrics", &status);
	g_assert_nonnull(strstr(metrics, "wagateway_relay_webhooks_stored_total 6\n"));
	assert_answers(rp, io_uring_off);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	relay_proc_free(rp);
}

static void
test_hmac_and_instances(void)
{
	RelayProc *rp = relay_proc_start("wawp_hmac_key=hmac-key-1234\ninstances=3C5A;default;\n");
	g_autofree char *good = g_compute_hmac_for_string(G_CHECKSUM_SHA512, (const guchar *) "hmac-key-1234", 13, WAWP_JOIN, -1);
	g_autofree char *other = NULL;

	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, NULL), ==, 401);
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, "00ff"), ==, 401);
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, good), ==, 200);
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

	for (int i = 1; i <= 5; i++) {
		g_autofree char *phone = g_strdup_printf("554490000000%d", i);
		g_autofree char *ev = zapi_remove(phone);
		g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, ev, NULL), ==, 200);
	}
	bad = relay_client_connect(session, rp, "not-the-token", 0);
	g_assert_null(bad->ws);
	g_assert_cmpuint(bad->status, ==, 401);
	relay_client_free(bad);

	/* Backlog in id order, then live ones. */
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_nonnull(c->ws);
	g_assert_true(relay_client_wait(c, 5, 3000));
	for (guint i = 0; i < 5; i++) {
		g_autofree char *want = g_strdup_printf("{\"id\":%u,\"vendor\":\"zapi\",\"instance\":\"3C5A\","
			"\"group\":\"120363019502650977-group\",\"kind\":\"participant_removed\",\"participants\":[\"554490000000%u\"],"
			"\"actor\":\"5511999999999\",\"at\":1732300000000}", i + 1, i + 1);
		g_assert_cmpstr(c->frames->pdata[i], ==, want);
	}
	soup_websocket_connection_send_text(c->ws, "{\"ack\": 5}");
	c2 = relay_client_connect(session, rp, RP_CLIENT, 3); /* resume after 3 */
	g_assert_true(relay_client_wait(c2, 2, 3000));
	g_assert_nonnull(strstr(c2->frames->pdata[0], "\"id\":4,"));
	g_assert_true(relay_post(session, rp, "wawp", RP_SECRET, JSON, WAWP_JOIN, NULL) == 200);
	g_assert_true(relay_client_wait(c, 6, 3000));
	g_assert_true(relay_client_wait(c2, 3, 3000));
	g_assert_nonnull(strstr(c->frames->pdata[5], "\"id\":6,\"vendor\":\"wawp\""));
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/status-codes", test_status_codes);
	g_test_add_data_func("/relay/raw-http", GINT_TO_POINTER(FALSE), test_raw_http);
	g_test_add_data_func("/relay/raw-http-without-io-uring", GINT_TO_POINTER(TRUE), test_raw_http);
	g_test_add_func("/relay/hmac-and-instances", test_hmac_and_instances);
	g_test_add_func("/relay/stream-and-resume", test_stream_and_resume);
	g_test_add_func("/relay/kill-9-loses-nothing", test_crash_loses_nothing);
	g_test_add_func("/relay/bad-db-path", test_bad_db_path);
	g_test_add_func("/relay/db-private", test_db_private);
	return g_test_run();
}
