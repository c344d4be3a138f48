/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* A bulk admin action (several phones), kept on disk until it is finished so
 * that a disconnect or a restart loses nothing. */
#pragma once
#include <json-glib/json-glib.h>
#include "wag-vendor.h"

G_BEGIN_DECLS

typedef struct {
	char *id;
	char *cause;
} WagJobFailure;

typedef struct {
	char *id;
	WagAction action;
	char *group;
	gboolean community;
	char *reason;       /* may be NULL */
	GPtrArray *remaining; /* ids not confirmed yet, in order */
	GPtrArray *done;    /* ids the vendor confirmed */
	GPtrArray *failed;  /* WagJobFailure* */
	guint total;
	gint64 created;     /* ms since the epoch */
	/* Runtime only, not saved: */
	gboolean resumed;      /* loaded from disk; check the roster first */
	gboolean roster_asked;
	/* A vendor failing call after call (saved): */
	gint64 paused_until;   /* ms since the epoch; 0: not paused */
	guint pauses;          /* pauses since the last call that worked */
	/* Runtime only: */
	guint failures_in_row; /* calls failed with a transient error, in a row */
} WagJob;

WagJob *wag_job_new(WagAction action, const char *group, gboolean community,
                    const char *reason, GPtrArray *ids);
void wag_job_free(WagJob *job);
void wag_job_fail(WagJob *job, const char *id, const char *cause);
/* Moves the first n remaining ids to done. */
void wag_job_complete(WagJob *job, guint n);
JsonNode *wag_jobs_to_json(GPtrArray *jobs);
/* Skips entries it cannot read. */
GPtrArray *wag_jobs_from_json(JsonNode *node);

/* Drip pacing: how many ids one call carries, and the pause after a call of
 * n ids, so that at most per_minute ids go out a minute (0 = no limit).
 * Above 60 a minute calls are batched to one a second where the vendor allows. */
guint wag_job_batch_size(guint batch_max, guint per_minute);
guint wag_job_pause_ms(guint n, guint per_minute);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WagJob, wag_job_free)

G_END_DECLS
