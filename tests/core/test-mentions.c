/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Mentions typed in a group chat: "@Name", "@nick", "@PHONE" and IRC's
 * leading "nick: " become WhatsApp mentions ("@PHONE" in the text, the
 * phones beside it) in each vendor's documented form: Z-API "mentioned"
 * numbers, WAHA's "mentions" chat ids for Wawp, and none for Green API,
 * whose sendMessage documents no such field. */
#include "message-fixture.h"
#include "wag-names.h"
#include "wag-json.h"
#include <string.h>

static WagGroup *
roster(WagModel *m)
{
	WagGroup *g = wag_model_take(m, wag_group_new("120363019502650977-group", "Bairro Vila Nova"));
	WagParticipant *p;

	p = wag_group_add_participant(g, "5511999999999", WAG_ROLE_OWNER);
	p->name = g_strdup("Ana Souza");
	p = wag_group_add_participant(g, "5544977777777", WAG_ROLE_MEMBER);
	p->name = g_strdup("Carla Dias");
	wag_group_add_participant(g, "5544999999999", WAG_ROLE_MEMBER);
	g->roster_loaded = TRUE;
	return g;
}

/* The text sent and its mentions, joined by spaces. */
static void
assert_mentions(WagGroup *g, const char *typed, const char *sent, const char *ids)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *text = wag_names_mentions(g, typed, found);
	g_autofree char *joined = NULL;

	g_ptr_array_add(found, NULL);
	joined = g_strjoinv(" ", (char **) found->pdata);
	g_assert_cmpstr(text, ==, sent);
	g_assert_cmpstr(joined, ==, ids);
}

static void
test_rewrite(void)
{
	WagModel *m = wag_model_new();
	WagGroup *g = roster(m);
	WagGroup *unknown = wag_model_take(m, wag_group_new("1203630222-group", "Solar"));
	g_autoptr(GString) many = g_string_new(NULL);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *text = NULL;

	/* A name as typed, as a nick writes it (bitlbee's %full_name), a phone. */
	assert_mentions(g, "@Ana_Souza veja isso", "@5511999999999 veja isso", "5511999999999");
	assert_mentions(g, "oi @CarlaDias e @5544999999999!", "oi @5544977777777 e @5544999999999!",
	                "5544977777777 5544999999999");
	assert_mentions(g, "(@+55 11 99999-9999)", "(@+55 11 99999-9999)", "");
	assert_mentions(g, "(@+5511999999999) ok", "(@5511999999999) ok", "5511999999999");
	/* IRC's address, as Tab completes it: the nick, or a name. */
	assert_mentions(g, "_5544999999999: bom dia", "@5544999999999 bom dia", "5544999999999");
	assert_mentions(g, "CarlaDias, tudo bem? @Ana_Souza", "@5544977777777 tudo bem? @5511999999999",
	                "5544977777777 5511999999999");
	/* Pidgin's Tab completes a name with spaces. */
	assert_mentions(g, "Carla Dias: bom dia", "@5544977777777 bom dia", "5544977777777");
	assert_mentions(g, "Nota importante: amanha", "Nota importante: amanha", "");
	assert_mentions(unknown, "11 98888-7777, ligue", "11 98888-7777, ligue", "");
	/* Twice the same person: one mention. */
	assert_mentions(g, "@Ana_Souza @5511999999999", "@5511999999999 @5511999999999", "5511999999999");
	/* Not a mention: an e-mail address, nobody by that name, a word before ':'. */
	assert_mentions(g, "escreva para ana@example.com", "escreva para ana@example.com", "");
	assert_mentions(g, "@Bia oi", "@Bia oi", "");
	assert_mentions(g, "Nota: amanha tem reuniao", "Nota: amanha tem reuniao", "");
	assert_mentions(g, "email@5511999999999", "email@5511999999999", "");
	/* A phone that is no participant is no mention. */
	assert_mentions(g, "@5511977776666 oi", "@5511977776666 oi", "");
	/* Roster not read yet: phones are mentioned (the vendor decides), names cannot be. */
	assert_mentions(unknown, "@Ana oi @5511977776666", "@Ana oi @5511977776666", "5511977776666");
	assert_mentions(NULL, "@5511977776666", "@5511977776666", "5511977776666");
	/* Two people with one name: refused silently, as text. */
	wag_group_add_participant(g, "5521900000001", WAG_ROLE_MEMBER)->name = g_strdup("carla dias");
	assert_mentions(g, "@CarlaDias oi", "@CarlaDias oi", "");

	/* WhatsApp's formatting around a mention stays (bitlbee's "/me hugs
	 * @Ana" is sent as "_hugs @Ana_"), and so does closing punctuation. */
	assert_mentions(g, "_abraca @Ana_Souza_", "_abraca @5511999999999_", "5511999999999");
	assert_mentions(g, "*@AnaSouza* ~@5544999999999~", "*@5511999999999* ~@5544999999999~",
	                "5511999999999 5544999999999");
	assert_mentions(g, "\xc2\xab@Ana_Souza\xc2\xbb ok\xe2\x80\xa6 @Ana_Souza\xe2\x80\xa6",
	                "\xc2\xab@5511999999999\xc2\xbb ok\xe2\x80\xa6 @5511999999999\xe2\x80\xa6", "5511999999999");
	/* Still no mention inside an address, with or without formatting. */
	assert_mentions(g, "ana_@example.com https://Ana_Souza@host/", "ana_@example.com https://Ana_Souza@host/", "");

	/* A first name only one participant has, and without its accents. */
	wag_group_add_participant(g, "5521911112222", WAG_ROLE_MEMBER)->name = g_strdup("Jo\xc3\xa3o Pedro");
	assert_mentions(g, "oi @Joao e @Ana", "oi @5521911112222 e @5511999999999", "5521911112222 5511999999999");

	/* Bounded whatever is typed. */
	for (guint i = 0; i < 200; i++)
		g_string_append_printf(many, "@55119%08u ", i);
	text = wag_names_mentions(NULL, many->str, ids);
	g_assert_cmpuint(ids->len, ==, WAG_NAMES_MAX_MENTIONS);
	g_assert_cmpstr(text, ==, many->str);
	wag_model_free(m);
}

/* A participant the roster lists by lid (no phone known) is mentioned as
 * WhatsApp writes it, "@" and the lid's number; the mention itself names
 * the lid: Wawp (WAHA) takes it as the chat id it is, Z-API where a phone
 * goes, as its lids go everywhere else. */
static void
test_lid(void)
{
	WagModel *m = wag_model_new();
	WagGroup *g = roster(m);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	WagCreds creds = { .instance = "wawp-84729105", .token = "tok", .base = "http://127.0.0.1:1" };
	g_autoptr(WagRequest) wawp = NULL, zapi = NULL;
	JsonArray *a;

	wag_group_add_participant(g, "123456789012345@lid", WAG_ROLE_MEMBER)->name = g_strdup("Dora Lima");
	assert_mentions(g, "@DoraLima veja", "@123456789012345 veja", "123456789012345@lid");
	assert_mentions(g, "DoraLima: veja", "@123456789012345 veja", "123456789012345@lid");
	g_free(wag_names_mentions(g, "@DoraLima @Ana_Souza", ids));
	wawp = wag_vendor_lookup("wawp")->messaging->req_send_text(&creds, "120363@g.us", "@123456789012345", ids);
	a = json_object_get_array_member(json_node_get_object(wawp->body), "mentions");
	g_assert_cmpuint(json_array_get_length(a), ==, 2);
	g_assert_cmpstr(json_array_get_string_element(a, 0), ==, "123456789012345@lid");
	g_assert_cmpstr(json_array_get_string_element(a, 1), ==, "5511999999999@c.us");
	zapi = wag_vendor_lookup("zapi")->messaging->req_send_text(&creds, "120363-group", "@123456789012345", ids);
	a = json_object_get_array_member(json_node_get_object(zapi->body), "mentioned");
	g_assert_cmpstr(json_array_get_string_element(a, 0), ==, "123456789012345@lid");
	wag_model_free(m);
}

/* A pasted text full of "@" in a big group: the roster is read once per
 * message, not once per "@" (5,000 took 5 s of the main loop before). */
static void
test_many_at(void)
{
	WagModel *m = wag_model_new();
	WagGroup *g = wag_model_take(m, wag_group_new("120363019502650977-group", "Grande"));
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *sent = NULL;
	gint64 start;

	for (guint i = 0; i < 1024; i++) {
		g_autofree char *id = g_strdup_printf("55449%08u", i);
		wag_group_add_participant(g, id, WAG_ROLE_MEMBER)->name = g_strdup_printf("Participante N\xc3\xbamero %u", i);
	}
	g->roster_loaded = TRUE;
	for (guint i = 0; i < 5000; i++)
		g_string_append(text, "@fulano ");
	g_string_append(text, "@ParticipanteN\xc3\xbamero7");
	start = g_get_monotonic_time();
	sent = wag_names_mentions(g, text->str, ids);
	g_test_message("5,000 \"@\" in a group of 1,024: %.1f ms", (g_get_monotonic_time() - start) / 1000.0);
	g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
	g_assert_true(g_str_has_suffix(sent, " @5544900000007"));
	g_assert_cmpuint(ids->len, ==, 1);
	wag_model_free(m);
}

static gboolean
sent_n(gpointer data)
{
	gpointer *w = data;
	return wag_emu_count(w[0], "POST", w[1]) >= GPOINTER_TO_UINT(w[2]);
}

static JsonObject *
last_body(WagEmu *emu, const VendorCase *vc, guint n, JsonNode **keep)
{
	gpointer w[3] = { emu, (gpointer) mf_send_path(vc), GUINT_TO_POINTER(n) };
	WagEmuRequest *req;

	g_assert_true(sv_wait(sent_n, w, 5000));
	req = wag_emu_last(emu, "POST", mf_send_path(vc));
	*keep = wag_json_parse(req->body, strlen(req->body), NULL);
	g_assert_nonnull(*keep);
	return json_node_get_object(*keep);
}

static void
test_send(gconstpointer data)
{
	const VendorCase *vc = data;
	WagEmu *emu = fx_emu(vc);
	WagSessionConfig c = sv_config(emu, vc);
	g_autoptr(JsonNode) plain = NULL, mention = NULL;
	g_autoptr(JsonNode) doc = NULL;
	JsonObject *o;
	SvRec *r;

	c.messages_per_minute = 0;
	r = sv_start(&c, NULL);
	g_assert_true(sv_wait_listed(r, 5000));
	g_assert_true(sv_open(r, vc->group, 5000));

	/* Without a mention, the documented plain body. */
	g_assert_null(wag_session_send_text(r->s, vc->group, "bom dia"));
	o = last_body(emu, vc, 1, &plain);
	g_assert_false(json_object_has_member(o, "mentioned"));
	g_assert_false(json_object_has_member(o, "mentions"));

	g_assert_null(wag_session_send_text(r->s, vc->group, "_" FX_MEMBER ": veja @" FX_MEMBER2));
	o = last_body(emu, vc, 2, &mention);
	/* The text always carries "@PHONE": WhatsApp shows it as the name. */
	g_assert_cmpstr(json_object_get_string_member(o, "message"), ==, "@" FX_MEMBER " veja @" FX_MEMBER2);
	if (vc == &fx_zapi) {
		/* As Z-API's "Mention member" page: numbers beside the text. */
		JsonArray *a = json_object_get_array_member(o, "mentioned");
		doc = wag_fixture_json("zapi", "send-text-mention.request.json");
		g_assert_true(json_object_has_member(json_node_get_object(doc), "mentioned"));
		g_assert_cmpuint(json_array_get_length(a), ==, 2);
		g_assert_cmpstr(json_array_get_string_element(a, 0), ==, FX_MEMBER);
		g_assert_cmpstr(json_array_get_string_element(a, 1), ==, FX_MEMBER2);
	} else if (vc == &fx_wawp) {
		/* As WAHA's "Mention contact": chat ids. */
		JsonArray *a = json_object_get_array_member(o, "mentions");
		JsonArray *d;
		doc = wag_fixture_json("wawp", "send-text-mentions.request-waha.json");
		d = json_object_get_array_member(json_node_get_object(doc), "mentions");
		g_assert_true(g_str_has_suffix(json_array_get_string_element(d, 0), "@c.us"));
		g_assert_cmpuint(json_array_get_length(a), ==, 2);
		g_assert_cmpstr(json_array_get_string_element(a, 0), ==, FX_MEMBER "@c.us");
		g_assert_cmpstr(json_array_get_string_element(a, 1), ==, FX_MEMBER2 "@c.us");
	} else {
		/* Green API documents no mention field: none is invented. */
		g_assert_false(json_object_has_member(o, "mentioned"));
		g_assert_false(json_object_has_member(o, "mentions"));
	}
	sv_free(r, FALSE);
	wag_emu_free(emu);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mentions/rewrite", test_rewrite);
	g_test_add_func("/mentions/lid", test_lid);
	g_test_add_func("/mentions/many-at", test_many_at);
	for (guint v = 0; fx_vendors[v]; v++) {
		g_autofree char *path = g_strdup_printf("/mentions/%s/send", fx_vendors[v]->vendor);
		g_test_add_data_func(path, fx_vendors[v], test_send);
	}
	return g_test_run();
}
