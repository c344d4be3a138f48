/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* A recording WagView: drives a WagSession with no front end at all and
 * writes down, one line each, what the session told it. For the core's
 * tests and benchmarks (no libpurple). */
#pragma once
#include "wag-session.h"
#include "world.h"

typedef struct {
	WagSession *s;
	GPtrArray *lines;   /* char*: "notice GROUP: text", "roster GROUP", ... (see session-view.c) */
	char *state_dir;    /* a fresh temporary folder, removed by sv_free() unless kept */
	gboolean connected;
	gboolean listed;    /* groups_changed(complete) was seen */
	GError *failure;    /* what failed() said, or NULL */
	guint groups_changed;
	/* Optional hook: called for every line written. */
	void (*on_line)(const char *line, gpointer data);
	gpointer on_line_data;
} SvRec;

/* The configuration every test starts from: the world's instance and tokens. */
WagSessionConfig sv_config(WagEmu *emu, const VendorCase *vc);
/* Makes and starts a session; state_dir: NULL for a fresh one. */
SvRec *sv_start(const WagSessionConfig *config, const char *state_dir);
/* Frees the session; the state folder stays when keep_state. */
void sv_free(SvRec *r, gboolean keep_state);

/* Runs the default main context until cond(data) or timeout_ms; returns cond's value. */
gboolean sv_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms);
/* Until a line containing needle was written. */
gboolean sv_wait_line(SvRec *r, const char *needle, guint timeout_ms);
/* Starts a session against emu as vc's account and waits for its listing. */
SvRec *sv_login(WagEmu *emu, const VendorCase *vc);
/* A file under the session's state directory, read whole ("" when absent). */
char *sv_read_state(SvRec *r, const char *name);
/* A NULL-terminated list of ids as an owned GPtrArray of strings. */
GPtrArray *sv_ids(const char *first, ...);
gboolean sv_wait_listed(SvRec *r, guint timeout_ms);
guint sv_count(SvRec *r, const char *needle);
/* Forgets the lines so far. */
void sv_clear(SvRec *r);
/* Loads group's roster and waits for it. */
gboolean sv_open(SvRec *r, const char *group, guint timeout_ms);
/* The participant's role in the model, or -1 when absent. */
int sv_role(SvRec *r, const char *group, const char *id);
