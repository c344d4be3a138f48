/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The real wagateway-relay binary, started by a test on an ephemeral
 * loopback port with a temporary database. */
#pragma once
#include <gio/gio.h>
#include <libsoup/soup.h>

#define RP_SECRET "whsec-6f1d2c3b4a5e6f708192"
#define RP_CLIENT "client-9a8b7c6d5e4f3a2b1c0d"

typedef struct {
	char *dir;      /* temp dir: config, db, log */
	char *db;
	char *log;
	char *extra;    /* more [relay] lines */
	int port;
	char *base;     /* http://127.0.0.1:PORT */
	GSubprocess *proc;
	guint nofile;   /* RLIMIT_NOFILE for the relay; 0: inherited */
	guint64 fsize;  /* RLIMIT_FSIZE (bytes); 0: inherited */
	char *notify_socket; /* NOTIFY_SOCKET for the relay (sd_notify), or NULL */
} RelayProc;

RelayProc *relay_proc_start(const char *extra_config);
/* The whole configuration file given (e.g. tenants), and a file limit. */
RelayProc *relay_proc_start_conf(const char *config, guint nofile);
/* The relay's resident memory (kB) and CPU time used so far (ms). */
guint64 relay_proc_rss_kb(RelayProc *rp);
/* Asserts the relay grew by less than limit_kb since before; not under
 * AddressSanitizer, whose quarantine keeps freed memory resident. */
void relay_proc_assert_growth(RelayProc *rp, guint64 before, guint64 limit_kb);
guint64 relay_proc_cpu_ms(RelayProc *rp);
/* Waits (at most timeout_ms) for text to appear in the log. */
gboolean relay_proc_wait_log(RelayProc *rp, const char *text, guint timeout_ms);
/* Starts it again on the same database and port. */
void relay_proc_restart(RelayProc *rp);
void relay_proc_kill9(RelayProc *rp);
/* SIGTERM; returns the exit status. */
int relay_proc_stop(RelayProc *rp);
void relay_proc_free(RelayProc *rp);
char *relay_proc_log(RelayProc *rp);

/* POST body to /webhook/VENDOR/SECRET; returns the HTTP status. */
guint relay_post(SoupSession *s, RelayProc *rp, const char *vendor, const char *secret,
                 const char *content_type, const char *body, const char *hmac);
char *relay_get(SoupSession *s, RelayProc *rp, const char *path, guint *status);
/* A Z-API participant webhook (instance 3C5A; kind: REMOVE, ADD...) for phone. */
char *relay_zapi_webhook(const char *kind, const char *phone);
/* The "id" of an event frame. */
gint64 relay_frame_id(const char *frame);
/* One value from /metrics (the line "NAME VALUE"). */
guint64 relay_metric(SoupSession *s, RelayProc *rp, const char *name);

/* A WebSocket client of /events. */
typedef struct {
	SoupWebsocketConnection *ws;
	GPtrArray *frames; /* char* texts */
	GError *error;
	gboolean done;
	guint status;      /* HTTP status when the upgrade was refused */
} RelayClient;

RelayClient *relay_client_connect(SoupSession *s, RelayProc *rp, const char *token, gint64 after);
gboolean relay_client_wait(RelayClient *c, guint frames, guint timeout_ms);
void relay_client_free(RelayClient *c);
