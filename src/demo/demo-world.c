/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The sample world: a neighbourhood's WhatsApp groups, a condominium's
 * community (Z-API only: the other vendors have none), one pending join
 * request, and the words that tell a user what to type. */
#include "demo.h"
#include <stdio.h>
#include <string.h>

typedef struct {
	const char *phone, *name;
} Person;

/* The names the vendor shows (Z-API's group-metadata participants[].name,
 * served by the emulator; the other vendors' rosters carry none), also
 * printed in the banner so that every vendor's demo says who is who. */
static const Person people[] = {
	{ DEMO_ME, "you (this instance)" },
	{ "5511999999999", "Ana Paula Souza" },
	{ "5511977776666", "Marcos Vinícius Oliveira" },
	{ DEMO_KICK, "João Pedro Santos" },
	{ "5544977777777", "Maria Fernanda Lima" },
	{ "5521988887777", "Carlos Eduardo Pereira" },
	{ "5531999998888", "Juliana Costa Ribeiro" },
	{ "5521900000001", "Rafael Almeida" },
	{ "5521900000002", "Beatriz Carvalho" },
	{ "5585988776655", "Francisco das Chagas Silva" },
	{ DEMO_REQUESTER, "Roberto Nascimento" },
};

typedef struct {
	const char *phone, *role; /* the emulator's roles: superadmin (owner), admin, member */
} Seat;

typedef enum { PLAIN, ANNOUNCEMENTS, LINKED } Kind;

typedef struct {
	const char *digits, *subject;
	Kind kind;
	Seat seats[7]; /* up to the first NULL phone */
} Group;

#define COMMUNITY_ID "98372465382764532938"
#define COMMUNITY_NAME "Condomínio Solar"

/* The first group is the one the README opens, kicks in and gets a join request for. */
static const Group groups[] = {
	{ "120363019502650977", "Bairro Vila Nova", PLAIN,
	  { { "5511999999999", "superadmin" }, { DEMO_ME, "admin" }, { "5511977776666", "admin" },
	    { DEMO_KICK, "member" }, { "5544977777777", "member" }, { "5521988887777", "member" } } },
	{ "120363041234567890", "Futebol de Quinta", PLAIN,
	  { { DEMO_ME, "superadmin" }, { "5521988887777", "admin" }, { DEMO_KICK, "member" },
	    { "5521900000001", "member" }, { "5585988776655", "member" } } },
	{ "120363058765432109", "Feira Orgânica da Praça", PLAIN,
	  { { "5531999998888", "superadmin" }, { DEMO_ME, "admin" }, { "5544977777777", "member" },
	    { "5521900000002", "member" } } },
	{ "120363099999999999", COMMUNITY_NAME, ANNOUNCEMENTS,
	  { { "5511999999999", "superadmin" }, { DEMO_ME, "admin" }, { "5521900000001", "member" },
	    { "5521900000002", "member" }, { "5585988776655", "member" }, { "5531999998888", "member" } } },
	{ "120363011111111111", "Solar Bloco A", LINKED,
	  { { "5521900000001", "superadmin" }, { DEMO_ME, "admin" }, { "5521900000002", "member" } } },
	{ "120363022222222222", "Solar Bloco B", LINKED,
	  { { "5511999999999", "superadmin" }, { DEMO_ME, "admin" }, { "5585988776655", "member" },
	    { "5531999998888", "member" } } },
};

static gboolean
is_zapi(const DemoWorld *w)
{
	return g_str_equal(w->vendor->id, "zapi");
}

/* Each vendor writes group ids its own way. */
static char *
group_id(const DemoWorld *w, const Group *g)
{
	return g_strconcat(g->digits, is_zapi(w) ? "-group" : "@g.us", NULL);
}

const char *
demo_world_name(const char *phone)
{
	for (guint i = 0; i < G_N_ELEMENTS(people); i++)
		if (g_str_equal(people[i].phone, phone))
			return people[i].name;
	return "";
}

WagEmu *
demo_world_seed(DemoWorld *w)
{
	WagEmu *emu = wag_emu_new(w->vendor->id, DEMO_INSTANCE, DEMO_TOKEN);

	wag_emu_set_me(emu, DEMO_ME);
	/* Green API: the demo's instance has no webhook URL, so the plugin reads
	 * its notification queue (empty until a line is typed in the terminal). */
	if (g_str_equal(w->vendor->id, "greenapi"))
		wag_emu_green_open_queue(emu);
	if (is_zapi(w))
		wag_emu_require_client_token(emu, DEMO_CLIENT_TOKEN);
	for (guint i = 0; i < G_N_ELEMENTS(groups); i++) {
		const Group *g = &groups[i];
		g_autofree char *id = NULL;

		if (g->kind != PLAIN && !w->vendor->has_communities)
			continue;
		id = group_id(w, g);
		if (g->kind == ANNOUNCEMENTS)
			wag_emu_add_community(emu, COMMUNITY_ID, COMMUNITY_NAME, id);
		else
			wag_emu_add_group(emu, id, g->subject);
		if (g->kind == LINKED)
			wag_emu_link(emu, COMMUNITY_ID, id);
		for (guint j = 0; j < G_N_ELEMENTS(g->seats) && g->seats[j].phone; j++) {
			wag_emu_add_participant(emu, id, g->seats[j].phone, g->seats[j].role);
			/* Z-API shows them in its rosters, Green API and Wawp in their contacts. */
			if (!g_str_equal(g->seats[j].phone, DEMO_ME))
				wag_emu_set_name(emu, id, g->seats[j].phone, demo_world_name(g->seats[j].phone));
		}
	}
	w->first_group = group_id(w, &groups[0]);
	if (w->vendor->has_join_requests)
		wag_emu_add_request(emu, w->first_group, DEMO_REQUESTER);
	return emu;
}

void
demo_world_clear(DemoWorld *w)
{
	g_clear_pointer(&w->first_group, g_free);
}

/* printf pads by bytes; names with accents need padding by characters. */
static void
padded(const char *text, guint width)
{
	glong n = g_utf8_strlen(text, -1);
	fputs(text, stdout);
	for (; n < (glong) width; n++)
		putchar(' ');
}

static const char *
role_words(const char *role)
{
	return g_str_equal(role, "superadmin") ? "owner" : g_str_equal(role, "admin") ? "admin" : "member";
}

void
demo_world_print(const DemoWorld *w, guint port)
{
	g_autofree char *base = g_strdup_printf("http://127.0.0.1:%u", port);
	g_autofree char *relay = g_strdup_printf("ws://127.0.0.1:%u", port);
	gboolean live = w->vendor->has_join_requests;
	const Group *first = &groups[0];

	printf("wagateway-demo %s: an emulated %s with sample WhatsApp groups, on this computer only.\n"
	       "It stores nothing and calls nothing outside. Ctrl+C ends it.\n\n", WAG_VERSION, w->vendor->name);

	printf("Pidgin: Accounts > Manage Accounts > Add. Finch: Alt+A, Accounts, Add.\n");
	printf("  Protocol:  WhatsApp (API gateway)\n");
	printf("  Username:  %s   (the instance id)\n", DEMO_INSTANCE);
	printf("  Password:  %s   (the instance token)\n", DEMO_TOKEN);
	printf("  Vendor:    %s\n", w->vendor->name);
	if (is_zapi(w))
		printf("  Z-API account security token (Client-Token):  %s\n", DEMO_CLIENT_TOKEN);
	printf("  API base URL:  %s\n", base);
	if (live) {
		printf("  Relay URL:     %s\n", relay);
		printf("  Relay token:   %s\n", DEMO_RELAY_TOKEN);
	}

	printf("\nbitlbee: type these lines in &bitlbee, one at a time:\n");
	printf("  account add wagateway %s %s\n", DEMO_INSTANCE, DEMO_TOKEN);
	printf("  account wagateway set vendor %s\n", w->vendor->id);
	if (is_zapi(w))
		printf("  account wagateway set client_token %s\n", DEMO_CLIENT_TOKEN);
	printf("  account wagateway set api_base %s\n", base);
	if (live) {
		printf("  account wagateway set relay_url %s\n", relay);
		printf("  account wagateway set relay_token %s\n", DEMO_RELAY_TOKEN);
	}
	printf("  account wagateway on\n");
	printf("  chat list wagateway\n");
	printf("  chat add wagateway %s #vilanova\n", w->first_group);
	printf("  /join #vilanova\n");

	printf("\nThe groups (you are %s, an admin in each):\n", DEMO_ME);
	for (guint i = 0; i < G_N_ELEMENTS(groups); i++) {
		g_autofree char *id = NULL;
		if (groups[i].kind != PLAIN && !w->vendor->has_communities)
			continue;
		id = group_id(w, &groups[i]);
		printf("  ");
		padded(groups[i].subject, 26);
		/* The community's chat is added by the community's own id; its
		 * announcement group has no chat of its own. */
		if (groups[i].kind == ANNOUNCEMENTS)
			printf("%-24s   (the community; its announcement group %s is inside it)\n", COMMUNITY_ID, id);
		else
			printf("%s%s\n", id, groups[i].kind == LINKED ? "   (in the community " COMMUNITY_NAME ")" : "");
	}

	printf("\nWho is who in %s:\n", first->subject);
	for (guint j = 0; j < G_N_ELEMENTS(first->seats) && first->seats[j].phone; j++) {
		printf("  %s  ", first->seats[j].phone);
		padded(demo_world_name(first->seats[j].phone), 28);
		printf("%s\n", role_words(first->seats[j].role));
	}

	printf("\nTry in %s: /kick %s spam links   (bitlbee: /kick _%s spam links)\n",
	       first->subject, DEMO_KICK, DEMO_KICK);
	if (live)
		printf("A few seconds after your client connects, %s (%s) asks to join %s:\n"
		       "Pidgin and Finch show a dialog; bitlbee asks in &bitlbee (answer yes or no).\n",
		       DEMO_REQUESTER, demo_world_name(DEMO_REQUESTER), first->subject);
	printf("Type a line here and press Enter: %s (%s) says it in %s.\n"
	       "Write @%s in it to see a message that mentions you.\n",
	       demo_world_name(DEMO_TALKER), DEMO_TALKER, first->subject, DEMO_ME);
	printf("\nThe calls your client makes appear below.\n\n");
	fflush(stdout);
}
