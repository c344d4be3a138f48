/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Scale figures (not a test: it prints, it does not judge). The plugin in a
 * headless libpurple core, against the vendor emulator running on a thread
 * of its own (so that its work is not counted as ours), with 2,000 plain
 * groups, 100 communities of 10 linked groups each, and one group of 1,024
 * participants. A 1 ms timeout on the main loop measures the longest stall:
 * the longest gap between two of its ticks, per phase.
 * Run: tests/bench/scale.sh [BUILD_DIR] */
#include "fixtures.h"
#include <stdio.h>
#include <string.h>

#define PLAIN 2000
#define COMMUNITIES 100
#define LINKED 10
#define ROSTER 1024
#define NODES (PLAIN + COMMUNITIES * LINKED + COMMUNITIES) /* announcement groups have none */

/* ---- the emulator's thread ---- */

static GMainContext *emu_ctx;
static GMainLoop *emu_loop;
static WagEmu *emu;
static char *emu_base;
static GMutex emu_lock;
static GCond emu_cond;

static char *
plain_id(guint i)
{
	return g_strdup_printf("1203630%011u-group", i);
}

static char *
community_id(guint c)
{
	return g_strdup_printf("98372465%012u", c);
}

static char *
linked_id(guint c, guint k)
{
	return g_strdup_printf("1203632%011u-group", c * LINKED + k);
}

static void
build_world(void)
{
	wag_emu_require_client_token(emu, FX_CLIENT_TOKEN);
	wag_emu_set_me(emu, FX_ME);
	for (guint i = 0; i < PLAIN; i++) {
		g_autofree char *id = plain_id(i);
		g_autofree char *subject = g_strdup_printf("Grupo %04u", i);
		wag_emu_add_group(emu, id, subject);
	}
	for (guint c = 0; c < COMMUNITIES; c++) {
		g_autofree char *id = community_id(c);
		g_autofree char *name = g_strdup_printf("Comunidade %03u", c);
		g_autofree char *announce = g_strdup_printf("1203631%011u-group", c);
		wag_emu_add_community(emu, id, name, announce);
		wag_emu_add_participant(emu, announce, FX_OWNER, "superadmin");
		wag_emu_add_participant(emu, announce, FX_ME, "admin");
		wag_emu_add_participant(emu, announce, FX_MEMBER, "member");
		wag_emu_add_participant(emu, announce, FX_MEMBER2, "member");
		for (guint k = 0; k < LINKED; k++) {
			g_autofree char *gid = linked_id(c, k);
			g_autofree char *subject = g_strdup_printf("Comunidade %03u Bloco %02u", c, k);
			wag_emu_add_group(emu, gid, subject);
			wag_emu_link(emu, id, gid);
		}
	}
	{
		g_autofree char *big = plain_id(0);
		wag_emu_add_participant(emu, big, FX_OWNER, "superadmin");
		wag_emu_add_participant(emu, big, FX_ME, "admin");
		for (guint i = 2; i < ROSTER; i++) {
			char phone[32];
			g_snprintf(phone, sizeof phone, "55449%08u", i);
			wag_emu_add_participant(emu, big, phone, "member");
		}
	}
}

static gpointer
emu_thread(gpointer data)
{
	emu_ctx = g_main_context_new();
	g_main_context_push_thread_default(emu_ctx);
	emu = wag_emu_new("zapi", FX_INSTANCE, FX_TOKEN);
	build_world();
	emu_loop = g_main_loop_new(emu_ctx, FALSE);
	g_mutex_lock(&emu_lock);
	emu_base = g_strdup(wag_emu_base(emu));
	g_cond_signal(&emu_cond);
	g_mutex_unlock(&emu_lock);
	g_main_loop_run(emu_loop);
	return NULL;
}

typedef struct {
	gboolean done;
	guint calls;
} CallCount;

static gboolean
count_on_emu_thread(gpointer data)
{
	CallCount *c = data;
	g_mutex_lock(&emu_lock);
	c->calls = wag_emu_requests(emu)->len;
	c->done = TRUE;
	g_cond_signal(&emu_cond);
	g_mutex_unlock(&emu_lock);
	return G_SOURCE_REMOVE;
}

/* How many calls the emulator has answered, asked on its own thread. */
static guint
emu_calls(void)
{
	CallCount c = { FALSE, 0 };
	g_main_context_invoke(emu_ctx, count_on_emu_thread, &c);
	g_mutex_lock(&emu_lock);
	while (!c.done)
		g_cond_wait(&emu_cond, &emu_lock);
	g_mutex_unlock(&emu_lock);
	return c.calls;
}

/* ---- the probe ---- */

static gint64 last_tick, longest;

static gboolean
probe(gpointer data)
{
	gint64 now = g_get_monotonic_time();
	if (last_tick && now - last_tick > longest)
		longest = now - last_tick;
	last_tick = now;
	return G_SOURCE_CONTINUE;
}

static void
phase_start(void)
{
	longest = 0;
	last_tick = g_get_monotonic_time();
}

static gboolean
wait_for(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms)
{
	gint64 end = g_get_monotonic_time() + (gint64) timeout_ms * 1000;
	while (!cond(data)) {
		if (g_get_monotonic_time() > end)
			return FALSE;
		g_main_context_iteration(NULL, TRUE); /* the probe wakes it every ms */
	}
	return TRUE;
}

static gboolean
never(gpointer data)
{
	return FALSE;
}

/* ---- what the plugin shows ---- */

static PurpleAccount *account;
static guint nodes_added;

static void
on_node_added(PurpleBlistNode *node, gpointer data)
{
	if (PURPLE_BLIST_NODE_IS_CHAT(node) && purple_chat_get_account(PURPLE_CHAT(node)) == account)
		nodes_added++;
}

typedef struct {
	const char *needle;
	guint before;
} LogWait;

static guint
log_count(const char *needle)
{
	guint n = 0;
	for (const char *p = wag_harness_debug_log(); (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static gboolean
log_grew(gpointer data)
{
	LogWait *w = data;
	return log_count(w->needle) > w->before;
}

static gboolean
all_nodes(gpointer data)
{
	return nodes_added >= NODES && purple_account_is_connected(account);
}

typedef struct {
	PurpleConversation *conv;
	guint n;
} UsersWait;

static gboolean
has_users(gpointer data)
{
	UsersWait *w = data;
	return g_list_length(purple_conv_chat_get_users(PURPLE_CONV_CHAT(w->conv))) >= w->n;
}

static long
rss_kb(void)
{
	g_autofree char *status = NULL;
	const char *p;

	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL) || !(p = strstr(status, "VmRSS:")))
		return -1;
	return strtol(p + 6, NULL, 10);
}

static void
report(const char *phase, gint64 started, const char *extra)
{
	g_print("%-46s %7.0f ms   longest stall %6.2f ms%s%s\n", phase,
	        (g_get_monotonic_time() - started) / 1000.0, longest / 1000.0, extra ? "   " : "", extra ? extra : "");
}

int
main(int argc, char **argv)
{
	LogWait placed = { "buddy list: placed" };
	g_autofree char *community = community_id(0);
	g_autofree char *unlinked = linked_id(0, 0);
	g_autofree char *big = plain_id(0);
	g_autofree char *calls = NULL;
	PurpleConversation *cc, *conv;
	UsersWait uw;
	gint64 t;
	guint before;

	g_setenv("G_MESSAGES_DEBUG", "", TRUE);
	wag_harness_init();
	g_thread_new("emulator", emu_thread, NULL);
	g_mutex_lock(&emu_lock);
	while (!emu_base)
		g_cond_wait(&emu_cond, &emu_lock);
	g_mutex_unlock(&emu_lock);
	purple_signal_connect(purple_blist_get_handle(), "blist-node-added", &nodes_added,
	                      PURPLE_CALLBACK(on_node_added), NULL);
	g_timeout_add(1, probe, NULL);

	g_print("world: %u plain groups, %u communities x %u linked groups (+%u announcement groups), "
	        "a %u-member roster; Z-API emulator on loopback, on its own thread\n",
	        PLAIN, COMMUNITIES, LINKED, COMMUNITIES, ROSTER);

	/* 1. Login with an empty buddy list, until every node is there. */
	phase_start();
	t = g_get_monotonic_time();
	account = wag_harness_account(emu_base, "zapi", FX_INSTANCE, FX_TOKEN, "client_token", FX_CLIENT_TOKEN, NULL);
	if (!wait_for(all_nodes, NULL, 60000))
		g_printerr("warning: only %u of %u nodes after 60 s\n", nodes_added, NODES);
	before = emu_calls();
	calls = g_strdup_printf("%u vendor calls, %u nodes", before, nodes_added);
	report("login, empty buddy list -> list complete", t, calls);

	/* 2. Quiet: libpurple writes blist.xml a few seconds after changes. */
	phase_start();
	t = g_get_monotonic_time();
	wait_for(never, NULL, 6000);
	report("6 s idle after login (libpurple saves blist)", t, NULL);

	/* 3. Login again: every node exists and is only checked. */
	purple_account_disconnect(account);
	phase_start();
	t = g_get_monotonic_time();
	placed.before = log_count(placed.needle);
	purple_account_connect(account);
	if (!wait_for(log_grew, &placed, 60000))
		g_printerr("warning: the second login never finished placing\n");
	g_free(calls);
	calls = g_strdup_printf("%u vendor calls", emu_calls() - before);
	report("login again, nodes exist -> list complete", t, calls);

	/* 4. Opening a community chat re-reads its links and re-places the list. */
	phase_start();
	t = g_get_monotonic_time();
	placed.before = log_count(placed.needle);
	cc = wag_harness_join(account, community);
	uw = (UsersWait) { cc, 4 };
	if (!wait_for(has_users, &uw, 10000) || !wait_for(log_grew, &placed, 10000))
		g_printerr("warning: the community chat did not load\n");
	report("community chat open -> roster and list", t, NULL);

	/* 5. Unlinking a group moves it in the buddy list. */
	phase_start();
	t = g_get_monotonic_time();
	placed.before = log_count(placed.needle);
	{
		g_autofree char *cmd = g_strdup_printf("unlink %s", unlinked);
		wag_harness_command(cc, cmd);
	}
	if (!wag_harness_wait_line(community, "Unlinked 1 of 1", 10000) || !wait_for(log_grew, &placed, 10000))
		g_printerr("warning: the unlink did not finish\n");
	report("unlink -> list re-placed", t, NULL);

	/* 6. A 1,024-member roster. */
	phase_start();
	t = g_get_monotonic_time();
	conv = wag_harness_join(account, big);
	uw = (UsersWait) { conv, ROSTER };
	if (!wait_for(has_users, &uw, 10000))
		g_printerr("warning: the roster did not load\n");
	report("1,024-member roster -> shown", t, NULL);

	g_print("RSS %.1f MB (libpurple, the plugin, the emulator and its world)\n", rss_kb() / 1024.0);
	return 0;
}
