/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Group messages through the real relay: each vendor's message webhook
 * becomes a streamed `message` event; messages have their own retention
 * (message_retention_days, default 2); a tenant with messages=false gets
 * them live and the relay writes none of them; a message webhook it does
 * not understand is answered 200, never 5xx. */
#include "relay-proc.h"
#include "vendor-fixture.h"
#include <sqlite3.h>
#include <string.h>

#define JSON "application/json"
#define SECRET_A "whsec-a-000111222333444555"
#define TOKEN_A "tok-a-000111222333444555666"
#define SECRET_B "whsec-b-999888777666555444"
#define TOKEN_B "tok-b-999888777666555444333"

static SoupSession *session;

/* A Z-API group text (the docs' text example, made a group message with
 * the documented group fields isGroup, phone, participantPhone). */
static char *
zapi_text(const char *instance, const char *id, const char *text)
{
	return g_strdup_printf("{\"type\": \"ReceivedCallback\", \"isGroup\": true, \"instanceId\": \"%s\","
	                       " \"messageId\": \"%s\", \"phone\": \"120363019502650977-group\","
	                       " \"participantPhone\": \"5544999999999\", \"senderName\": \"Ana\", \"fromMe\": false,"
	                       " \"momment\": 1632228638000, \"status\": \"RECEIVED\", \"text\": {\"message\": \"%s\"}}",
	                       instance, id, text);
}

/* Moves every stored event's arrival days back (the relay stopped). */
static void
age_events(RelayProc *rp, int days)
{
	sqlite3 *db;
	g_autofree char *sql = g_strdup_printf("UPDATE events SET received = received - %d * 86400000", days);

	g_assert_cmpint(sqlite3_open(rp->db, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close(db);
}

static gint64
count_rows(RelayProc *rp, const char *where)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	g_autofree char *sql = g_strdup_printf("SELECT COUNT(*) FROM events WHERE %s", where);
	gint64 n = -1;

	g_assert_cmpint(sqlite3_open(rp->db, &db), ==, SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
test_each_vendor(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *z = zapi_text("3C5A", "A20DA9C0183A2D35A260F53F5D2B9244", "bom dia <b>");
	/* Green API's text example (senderData made the group's, as its field table says). */
	g_autofree char *g = g_strdup("{\"typeWebhook\": \"incomingMessageReceived\", \"instanceData\": {\"idInstance\": 1234,"
		" \"wid\": \"11001234567@c.us\", \"typeInstance\": \"whatsapp\"}, \"timestamp\": 1588091580,"
		" \"idMessage\": \"F7AEC1B7086ECDC7E6E45923F5EDB825\", \"senderData\": {\"chatId\": \"120363043968066561@g.us\","
		" \"sender\": \"79001234568@c.us\", \"chatName\": \"Green API\", \"senderName\": \"Green API\"},"
		" \"messageData\": {\"typeMessage\": \"textMessage\", \"textMessageData\": {\"textMessage\": \"ola\"}}}");
	/* WAHA's message example, from = the group, participant = the sender. */
	g_autofree char *w = g_strdup("{\"event\": \"message\", \"session\": \"default\", \"payload\": {"
		"\"id\": \"false_120363055555555555@g.us_AAAA\", \"timestamp\": 1667561485, \"from\": \"120363055555555555@g.us\","
		" \"participant\": \"5544977777777@c.us\", \"fromMe\": false, \"body\": \"Hi there!\", \"hasMedia\": false}}");
	RelayClient *c;

	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, z, NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "greenapi", RP_SECRET, JSON, g, NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON, w, NULL), ==, 200);
	/* Not understood (an unknown message type, no text): 200, never 5xx. */
	g_assert_cmpuint(relay_post(session, rp, "greenapi", RP_SECRET, JSON,
		"{\"typeWebhook\": \"incomingMessageReceived\", \"senderData\": {\"chatId\": \"1@g.us\"},"
		" \"messageData\": {\"typeMessage\": \"hologramMessage\"}}", NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "wawp", RP_SECRET, JSON,
		"{\"event\": \"message.revoked\", \"session\": \"default\", \"payload\": {}}", NULL), ==, 200);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 4, 3000));
	g_assert_nonnull(strstr(c->frames->pdata[0], "\"kind\":\"message\""));
	g_assert_nonnull(strstr(c->frames->pdata[0], "\"text\":\"bom dia <b>\""));
	g_assert_nonnull(strstr(c->frames->pdata[0], "\"from\":\"5544999999999\""));
	g_assert_nonnull(strstr(c->frames->pdata[0], "\"from_name\":\"Ana\""));
	g_assert_nonnull(strstr(c->frames->pdata[1], "\"group\":\"120363043968066561@g.us\""));
	g_assert_nonnull(strstr(c->frames->pdata[1], "\"text\":\"ola\""));
	g_assert_nonnull(strstr(c->frames->pdata[2], "\"text\":\"Hi there!\""));
	g_assert_nonnull(strstr(c->frames->pdata[3], "\"type\":\"other\""));
	relay_client_free(c);
	/* A vendor's retry of the same message is stored once. */
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, z, NULL), ==, 200);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0); /* the database is the relay's alone while it runs */
	g_assert_cmpint(count_rows(rp, "kind = 'message'"), ==, 4);
	relay_proc_free(rp);
}

/* Messages go after message_retention_days; participant events stay for
 * retention_days. */
static void
test_retention(void)
{
	RelayProc *rp = relay_proc_start(NULL);
	g_autofree char *m = zapi_text("3C5A", "MSG-OLD", "old words");
	g_autofree char *p = relay_zapi_webhook("REMOVE", "5544911110001");
	RelayClient *c;

	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, m, NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, p, NULL), ==, 200);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	/* Three days pass for both (the default retentions: 2 for messages, 7 for the rest). */
	age_events(rp, 3);
	relay_proc_restart(rp);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 1, 3000));
	g_assert_nonnull(strstr(c->frames->pdata[0], "participant_removed"));
	relay_client_free(c);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	g_assert_cmpint(count_rows(rp, "kind = 'message'"), ==, 0);
	g_assert_cmpint(count_rows(rp, "kind = 'participant_removed'"), ==, 1);
	relay_proc_free(rp);

	/* message_retention_days = 5 keeps them. */
	rp = relay_proc_start("message_retention_days=5\n");
	g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, m, NULL), ==, 200);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	age_events(rp, 3);
	relay_proc_restart(rp);
	c = relay_client_connect(session, rp, RP_CLIENT, 0);
	g_assert_true(relay_client_wait(c, 1, 3000));
	g_assert_nonnull(strstr(c->frames->pdata[0], "old words"));
	relay_client_free(c);
	relay_proc_free(rp);
}

/* messages=false: streamed to the tenant's followers, never written; the
 * other tenant's messages are stored. */
static void
test_live_only(void)
{
	RelayProc *rp = relay_proc_start_conf("[relay]\n"
		"[tenant:alice]\ntoken=" TOKEN_A "\nwebhook_secret=" SECRET_A "\ninstances=INST-A;\nmessages=false\n"
		"[tenant:bob]\ntoken=" TOKEN_B "\nwebhook_secret=" SECRET_B "\ninstances=INST-B;\n", 0);
	g_autofree char *a = zapi_text("INST-A", "MA1", "secret words of alice");
	g_autofree char *b = zapi_text("INST-B", "MB1", "words of bob");
	g_autofree char *dbtext = NULL;
	gsize len = 0;
	RelayClient *live, *late, *cb;

	live = relay_client_connect(session, rp, TOKEN_A, 0);
	g_assert_nonnull(live->ws);
	g_assert_cmpuint(relay_post(session, rp, "zapi", SECRET_A, JSON, a, NULL), ==, 200);
	g_assert_cmpuint(relay_post(session, rp, "zapi", SECRET_B, JSON, b, NULL), ==, 200);
	g_assert_true(relay_client_wait(live, 1, 3000));
	g_assert_nonnull(strstr(live->frames->pdata[0], "secret words of alice"));
	g_assert_cmpint(relay_frame_id(live->frames->pdata[0]), >, 0);
	cb = relay_client_connect(session, rp, TOKEN_B, 0);
	g_assert_true(relay_client_wait(cb, 1, 3000));
	g_assert_nonnull(strstr(cb->frames->pdata[0], "words of bob"));
	/* A follower arriving later finds nothing of alice's: it was never kept. */
	late = relay_client_connect(session, rp, TOKEN_A, 0);
	g_assert_nonnull(late->ws);
	g_assert_cmpint(relay_proc_stop(rp), ==, 0);
	g_assert_cmpint(count_rows(rp, "tenant = 'alice'"), ==, 0);
	g_assert_cmpint(count_rows(rp, "tenant = 'bob' AND kind = 'message'"), ==, 1);
	g_assert_true(g_file_get_contents(rp->db, &dbtext, &len, NULL));
	g_assert_null(g_strstr_len(dbtext, len, "secret words of alice"));
	g_assert_cmpuint(late->frames->len, ==, 0);
	relay_client_free(live);
	relay_client_free(late);
	relay_client_free(cb);
	relay_proc_free(rp);
}

static guint
post_auth(RelayProc *rp, const char *body, const char *authorization)
{
	g_autofree char *url = g_strdup_printf("%s/webhook/greenapi/%s", rp->base, RP_SECRET);
	g_autoptr(SoupMessage) msg = soup_message_new("POST", url);
	g_autoptr(GBytes) b = g_bytes_new(body, strlen(body));
	g_autoptr(GBytes) reply = NULL;

	soup_message_set_request_body_from_bytes(msg, JSON, b);
	if (authorization)
		soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization", authorization);
	reply = soup_session_send_and_read(session, msg, NULL, NULL);
	return soup_message_get_status(msg);
}

/* greenapi_webhook_token: Green API's webhookUrlToken must come in
 * Authorization (what follows the scheme word, as Green API's own
 * integration library reads it; token from the docs' setSettings example). */
static void
test_green_token(void)
{
	RelayProc *rp = relay_proc_start("greenapi_webhook_token=dscnsdiuafkascndjhsalbcvatsvcbasn23rfregvfdg54tds\n");
	g_autofree char *fixture = wag_fixture_text("greenapi", "setSettings.request-webhook-token.json");
	const char *body = "{\"typeWebhook\": \"incomingMessageReceived\", \"instanceData\": {\"idInstance\": 1234},"
		" \"timestamp\": 1588091580, \"idMessage\": \"G1\", \"senderData\": {\"chatId\": \"120363043968066561@g.us\","
		" \"sender\": \"79001234568@c.us\"}, \"messageData\": {\"typeMessage\": \"textMessage\","
		" \"textMessageData\": {\"textMessage\": \"ola\"}}}";

	g_assert_nonnull(strstr(fixture, "dscnsdiuafkascndjhsalbcvatsvcbasn23rfregvfdg54tds"));
	g_assert_cmpuint(post_auth(rp, body, NULL), ==, 401);
	g_assert_cmpuint(post_auth(rp, body, "Bearer wrong-token"), ==, 401);
	g_assert_cmpuint(post_auth(rp, body, "Bearer dscnsdiuafkascndjhsalbcvatsvcbasn23rfregvfdg54tds"), ==, 200);
	/* Other vendors are not asked for it. */
	{
		g_autofree char *z = zapi_text("3C5A", "Z1", "oi");
		g_assert_cmpuint(relay_post(session, rp, "zapi", RP_SECRET, JSON, z, NULL), ==, 200);
	}
	relay_proc_free(rp);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	session = soup_session_new();
	g_test_add_func("/relay/messages/each-vendor", test_each_vendor);
	g_test_add_func("/relay/messages/retention", test_retention);
	g_test_add_func("/relay/messages/live-only", test_live_only);
	g_test_add_func("/relay/messages/greenapi-webhook-token", test_green_token);
	return g_test_run();
}
