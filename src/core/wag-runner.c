/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* Admin actions run as jobs, one call at a time per account: dripped at
 * removals_per_minute, retried with backoff on 429/5xx/timeouts, written to
 * disk after every call (so a disconnect or restart resumes them) and to
 * the audit log. What happens is told through view->group_notice; what a
 * confirmed call changes goes through the one apply path. */
#include "wag-session-private.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include "wag-store.h"
#include <string.h>

/* A vendor failing this many calls in a row (429, 5xx, timeouts) is in a
 * storm: the job pauses (storm_pause_ms, doubling, at most an hour) instead
 * of hammering it or giving its phones up. */
#define STORM_CALLS 5
#define STORM_PAUSE_MAX_MS (60u * 60 * 1000)
/* A summary names at most this many phones, then "and N more". */
#define SUMMARY_NAMES 20

static void run_next(WagSession *s);

static WagJob *
current(WagSession *s)
{
	return s->jobs->len ? s->jobs->pdata[0] : NULL;
}

static void
report(WagSession *s, const char *group, const char *text, gboolean error)
{
	s->view->group_notice(s->ui, group, text, error ? WAG_NOTICE_ERROR : 0);
}

static void
persist(WagSession *s)
{
	g_autoptr(JsonNode) node = NULL;
	g_autofree char *text = NULL;

	if (!s->jobs->len) {
		wag_store_replace(s->jobs_path, NULL);
		return;
	}
	node = wag_jobs_to_json(s->jobs);
	text = json_to_string(node, TRUE);
	wag_store_replace(s->jobs_path, text);
}

/* result: "ok", "error", "unknown" (the call may have reached the vendor,
 * no answer came: a timeout, a cut connection, the session closed) or
 * "already_gone" (found out of the group on resume: not sent again). */
static void
audit(WagSession *s, const WagJob *job, const char *const *ids, guint n, const char *result, const GError *error)
{
	wag_runner_audit(s, job->group, wag_vendor_action_name(job->action), ids, n, job->reason, result, error);
}

static char *
counted(WagAction action, guint done, guint total)
{
	switch (action) {
	/* Translators: "Removed 3 of 10." */
	case WAG_ACTION_REMOVE: return g_strdup_printf(_("Removed %u of %u."), done, total);
	case WAG_ACTION_APPROVE: return g_strdup_printf(_("Approved %u of %u join requests."), done, total);
	case WAG_ACTION_REJECT: return g_strdup_printf(_("Declined %u of %u join requests."), done, total);
	case WAG_ACTION_UNLINK: return g_strdup_printf(_("Unlinked %u of %u groups from the community."), done, total);
	case WAG_ACTION_ADD: return g_strdup_printf(_("Added %u of %u."), done, total);
	case WAG_ACTION_PROMOTE: return g_strdup_printf(_("Made %u of %u admins."), done, total);
	case WAG_ACTION_DEMOTE: return g_strdup_printf(_("Took admin rights from %u of %u."), done, total);
	case WAG_ACTION_LINK: return g_strdup_printf(_("Linked %u of %u groups to the community."), done, total);
	default: return g_strdup_printf(_("Done %u of %u."), done, total);
	}
}

/* The failures, one sentence per cause, naming at most SUMMARY_NAMES
 * phones in all (a 500-phone kick made a 98 KB line). */
static void
append_failures(GString *text, GPtrArray *failed)
{
	g_autoptr(GHashTable) said = g_hash_table_new(g_str_hash, g_str_equal);
	guint named = 0;

	for (guint i = 0; i < failed->len; i++) {
		WagJobFailure *f = failed->pdata[i];
		g_autoptr(GString) who = g_string_new(NULL);
		guint more = 0;

		if (!g_hash_table_add(said, f->cause))
			continue;
		for (guint j = i; j < failed->len; j++) {
			WagJobFailure *o = failed->pdata[j];
			if (!g_str_equal(o->cause, f->cause))
				continue;
			if (named < SUMMARY_NAMES) {
				g_string_append_printf(who, "%s%s", who->len ? ", " : "", o->id);
				named++;
			} else {
				more++;
			}
		}
		/* Translators: after the phones named in a summary: "5544…, 5544… and 480 more" */
		if (more && who->len)
			g_string_append_printf(who, _(" and %u more"), more);
		else if (more)
			g_string_append_printf(who, _("%u more"), more);
		/* Translators: one failure in a summary: " Not done: 5544…: Z-API: …" */
		g_string_append_printf(text, _(" Not done: %s: %s"), who->str, f->cause);
	}
}

static void
finish(WagSession *s, WagJob *job)
{
	GString *text = g_string_new(NULL);
	gboolean bad = job->failed->len > 0;

	if (job->action == WAG_ACTION_LEAVE)
		g_string_append(text, bad ? _("Could not leave the group: ") : _("You left the group."));
	else {
		g_autofree char *head = counted(job->action, job->done->len, job->total);
		g_string_append(text, head);
	}
	if (job->action == WAG_ACTION_LEAVE)
		for (guint i = 0; i < job->failed->len; i++)
			g_string_append(text, ((WagJobFailure *) job->failed->pdata[i])->cause);
	else
		append_failures(text, job->failed);
	report(s, job->group, text->str, bad);
	g_string_free(text, TRUE);
	if (job->action == WAG_ACTION_ADD && job->done->len)
		wag_adds_check(s, job->group, job->done);
	g_ptr_array_remove_index(s->jobs, 0);
	persist(s);
}

static gboolean
resume_timer(gpointer data)
{
	WagSession *s = data;
	s->job_timer = 0;
	run_next(s);
	return G_SOURCE_REMOVE;
}

static void
later(WagSession *s, guint ms)
{
	/* Default priority, not idle: a busy host loop must not starve a queued action. */
	s->job_timer = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, resume_timer, s, NULL);
}

/* What a confirmed call means for the model, through the one apply path. */
static void
apply_success(WagSession *s, WagJob *job, const char *const *ids, guint n)
{
	WagGroup *g = wag_model_lookup(s->model, job->group);
	WagEventKind kind;
	g_autoptr(WagEvent) e = NULL;

	switch (job->action) {
	case WAG_ACTION_REMOVE: kind = WAG_EVENT_REMOVED; break;
	case WAG_ACTION_APPROVE: kind = WAG_EVENT_ADDED; break;
	case WAG_ACTION_REJECT: kind = WAG_EVENT_JOIN_REVOKED; break;
	case WAG_ACTION_UNLINK: kind = WAG_EVENT_UNLINKED; break;
	case WAG_ACTION_PROMOTE: kind = WAG_EVENT_PROMOTED; break;
	case WAG_ACTION_DEMOTE: kind = WAG_EVENT_DEMOTED; break;
	case WAG_ACTION_LINK: kind = WAG_EVENT_LINKED; break;
	case WAG_ACTION_ADD:
		/* Accepted is not added: WhatsApp may refuse someone (privacy) or
		 * the vendor invite them instead; the roster read at the end says. */
		return;
	default:
		if (g)
			g->left = g->left_by_us = TRUE;
		if (s->me) {
			e = wag_event_new(WAG_EVENT_LEFT, job->group);
			g_ptr_array_add(e->participants, g_strdup(s->me));
			wag_apply(s, e, FALSE);
		}
		return;
	}
	e = wag_event_new(kind, job->group);
	e->actor = g_strdup(s->me);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(e->participants, g_strdup(ids[i]));
	wag_apply(s, e, FALSE);
	/* Removed from a community means removed from its groups too. */
	if (job->action == WAG_ACTION_REMOVE && g && g->is_community)
		for (guint i = 0; i < g->subgroups->len; i++) {
			g_free(e->group);
			e->group = g_strdup(g->subgroups->pdata[i]);
			wag_apply(s, e, FALSE);
		}
}

typedef struct {
	WagSession *s;
	guint n;
} CallCtx;

static const char *
audit_result(const GError *err)
{
	if (!err)
		return "ok";
	/* No answer: the vendor may have done it or not. */
	if (g_error_matches(err, WAG_ERROR, WAG_ERROR_TIMEOUT) || g_error_matches(err, WAG_ERROR, WAG_ERROR_NETWORK))
		return "unknown";
	return "error";
}

/* STORM_CALLS failed in a row: wait (saved, so a restart waits too), say
 * so once, then carry on by itself. */
static void
storm_pause(WagSession *s, WagJob *job, const GError *err)
{
	guint64 pause = MIN((guint64) s->storm_pause_ms << MIN(job->pauses, 16), STORM_PAUSE_MAX_MS);

	job->pauses++;
	job->failures_in_row = 0;
	s->job_retries = 0;
	job->paused_until = g_get_real_time() / 1000 + (gint64) pause;
	persist(s);
	if (job->pauses == 1) {
		g_autofree char *safe = wag_http_redact(s->http, err->message);
		g_autofree char *msg = g_strdup_printf(
			_("%u calls in a row failed (%s). The job is paused and carries on by itself in %u s; "
			  "%u of %u still to do."),
			STORM_CALLS, safe, (guint) (pause / 1000), job->remaining->len, job->total);
		report(s, job->group, msg, TRUE);
	} else {
		g_message("job %s: still failing, paused again for %u s", job->id, (guint) (pause / 1000));
	}
	later(s, (guint) pause);
}

static void
on_action(WagReply *reply, gpointer data)
{
	CallCtx *ctx = data;
	WagSession *s = ctx->s;
	WagJob *job = current(s);
	g_autoptr(GError) err = NULL;
	g_autofree char **ids = NULL;
	guint n = MIN(ctx->n, job->remaining->len);

	s->job_busy = FALSE;
	s->job_call = NULL;
	g_clear_pointer(&s->job_in_flight, g_ptr_array_unref);
	if (reply->error)
		err = g_error_copy(reply->error);
	else
		s->vendor->parse_action(job->action, reply->json, &err);

	ids = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++)
		ids[i] = job->remaining->pdata[i];
	/* Every call that may have reached the vendor, retried ones too. */
	audit(s, job, (const char *const *) ids, n, audit_result(err), err);
	if (err && wag_error_is_transient(err)) {
		guint delay = 1000u << MIN(s->job_retries, 5);
		g_autofree char *safe = NULL;
		g_autofree char *sentence = NULL;
		g_autofree char *msg = NULL;

		if (++job->failures_in_row >= STORM_CALLS) {
			storm_pause(s, job, err);
			return;
		}
		safe = wag_http_redact(s->http, err->message);
		sentence = wag_error_sentence(safe); /* the vendor's words often end without one */
		msg = g_strdup_printf(_("%s Trying again in %u s."), sentence, delay / 1000);
		s->job_retries++;
		report(s, job->group, msg, TRUE);
		later(s, delay);
		return;
	}
	s->job_retries = 0;
	job->failures_in_row = 0;
	if (job->pauses && !err) {
		job->pauses = 0;
		report(s, job->group, _("The vendor answers again; the job carries on."), FALSE);
	}
	if (err) {
		g_autofree char *safe = wag_http_redact(s->http, err->message);
		g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func(g_free);
		/* Not an admin: no other call of this job can work either. */
		guint upto = g_error_matches(err, WAG_ERROR, WAG_ERROR_NOT_ADMIN) ? job->remaining->len : n;
		for (guint i = 0; i < upto; i++)
			g_ptr_array_add(copy, g_strdup(job->remaining->pdata[i]));
		for (guint i = 0; i < copy->len; i++)
			wag_job_fail(job, copy->pdata[i], safe);
	} else {
		apply_success(s, job, (const char *const *) ids, n);
		wag_job_complete(job, n);
		if (job->action == WAG_ACTION_LEAVE)
			g_ptr_array_set_size(job->remaining, 0);
	}
	persist(s);
	if (!job->remaining->len) {
		finish(s, job);
		later(s, 0);
		return;
	}
	if (job->total > 1) {
		g_autofree char *progress = counted(job->action, job->done->len, job->total);
		report(s, job->group, progress, FALSE);
	}
	/* Promote and demote touch only people in the group: no drip, only the
	 * vendor's documented rate (Green API: membership calls 10 a second). */
	later(s, job->action == WAG_ACTION_REMOVE ? wag_job_pause_ms(n, s->removals_per_minute)
	         : job->action == WAG_ACTION_ADD ? wag_job_pause_ms(n, s->adds_per_minute)
	         : job->action == WAG_ACTION_PROMOTE || job->action == WAG_ACTION_DEMOTE
	           ? wag_vendor_min_spacing_ms(s->vendor, WAG_OP_ACTION) : 0);
}

/* Whether the roster shows id's part of job done already (by us before a
 * restart, or by someone else). */
static gboolean
already_done(const WagJob *job, WagGroup *g, const char *id)
{
	WagParticipant *p = g_hash_table_lookup(g->participants, id);

	switch (job->action) {
	case WAG_ACTION_REMOVE: return !p;
	case WAG_ACTION_ADD: return p != NULL;
	case WAG_ACTION_PROMOTE: return p && p->role != WAG_ROLE_MEMBER;
	case WAG_ACTION_DEMOTE: return p && p->role == WAG_ROLE_MEMBER;
	default: return FALSE;
	}
}

/* After a restart the roster may have changed: ids that are gone already
 * (added, promoted, demoted already) count as done rather than being sent
 * again. */
static void
drop_already_gone(WagSession *s, WagJob *job)
{
	WagGroup *g = wag_model_lookup(s->model, job->group);
	g_autoptr(GPtrArray) gone = g_ptr_array_new();

	if (!g || !g->roster_loaded)
		return;
	for (guint i = 0; i < job->remaining->len;) {
		if (already_done(job, g, job->remaining->pdata[i])) {
			char *id = g_ptr_array_steal_index(job->remaining, i);
			g_ptr_array_add(job->done, id);
			g_ptr_array_add(gone, id);
		} else {
			i++;
		}
	}
	if (gone->len) {
		/* A call cut off by the last disconnect may have done it: say so in the log. */
		audit(s, job, (const char *const *) gone->pdata, gone->len, "already_gone", NULL);
		persist(s);
		g_info("resumed job %s: %u already gone", job->id, gone->len);
	}
}

/* How many ids the next call of job carries. */
static guint
batch_for(WagSession *s, WagJob *job)
{
	guint n;

	switch (job->action) {
	case WAG_ACTION_REMOVE:
		n = wag_job_batch_size(s->vendor->batch_max, s->removals_per_minute);
		break;
	case WAG_ACTION_ADD:
		n = wag_job_batch_size(s->vendor->batch_max, s->adds_per_minute);
		break;
	case WAG_ACTION_APPROVE:
	case WAG_ACTION_REJECT:
	case WAG_ACTION_PROMOTE:
	case WAG_ACTION_DEMOTE:
		n = MAX(s->vendor->batch_max, 1);
		break;
	default:
		n = job->remaining->len; /* leave: none; unlink: all groups in one call */
		break;
	}
	return MIN(n, job->remaining->len);
}

static void
run_next(WagSession *s)
{
	WagJob *job = current(s);
	g_autoptr(WagGroup) fallback = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree const char **ids = NULL;
	WagGroup *target;
	WagRequest *req;
	CallCtx *ctx;
	guint n;

	if (!job || s->job_busy || s->job_timer)
		return;
	if (job->resumed) {
		WagGroup *g = wag_model_lookup(s->model, job->group);
		if (!g || !g->roster_loaded) {
			if (!job->roster_asked) {
				job->roster_asked = TRUE;
				s->view->show_group(s->ui, job->group);
				wag_roster_load(s, job->group, wag_runner_roster_ready);
			}
			return; /* wag_runner_roster_ready() comes back here */
		}
		job->resumed = FALSE;
		drop_already_gone(s, job);
		if (!job->remaining->len) {
			finish(s, job);
			later(s, 0);
			return;
		} else {
			g_autofree char *msg = g_strdup_printf(_("Resuming after reconnect: %u of %u still to do."),
			                                       job->remaining->len, job->total);
			gint64 wait = job->paused_until - g_get_real_time() / 1000;
			report(s, job->group, msg, FALSE);
			if (wait > 0) {
				g_autofree char *paused = g_strdup_printf(
					_("The job is still paused after calls kept failing; it carries on in %u s."),
					(guint) ((wait + 999) / 1000));
				report(s, job->group, paused, FALSE);
			}
		}
	}
	if (job->paused_until) {
		gint64 now = g_get_real_time() / 1000;
		if (job->paused_until > now) {
			later(s, (guint) MIN(job->paused_until - now, (gint64) STORM_PAUSE_MAX_MS));
			return;
		}
		job->paused_until = 0;
	}
	n = batch_for(s, job);
	target = wag_model_lookup(s->model, job->group);
	if (!target) {
		target = fallback = wag_group_new(job->group, NULL);
		fallback->is_community = job->community;
	}
	ids = g_new0(const char *, n + 1);
	for (guint i = 0; i < n; i++)
		ids[i] = job->remaining->pdata[i];
	req = s->vendor->req_action(&s->creds, job->action, target, ids, n, &err);
	if (!req) {
		g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i < job->remaining->len; i++)
			g_ptr_array_add(all, g_strdup(job->remaining->pdata[i]));
		for (guint i = 0; i < all->len; i++)
			wag_job_fail(job, all->pdata[i], err->message);
		finish(s, job);
		later(s, 0);
		return;
	}
	ctx = g_new0(CallCtx, 1);
	ctx->s = s;
	ctx->n = n;
	s->job_busy = TRUE;
	s->job_call = ctx;
	s->job_in_flight = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(s->job_in_flight, g_strdup(ids[i]));
	wag_session_call_op(s, WAG_OP_ACTION, req, on_action, ctx, g_free);
}

void
wag_runner_start(WagSession *s, WagAction action, const char *group, GPtrArray *ids, const char *reason)
{
	WagGroup *g = wag_model_lookup(s->model, group);
	g_autoptr(GPtrArray) none = ids ? NULL : g_ptr_array_new();
	WagJob *job = wag_job_new(action, group, g && g->is_community, reason, ids ? ids : none);

	if (action == WAG_ACTION_LEAVE) {
		g_ptr_array_add(job->remaining, g_strdup(group));
		job->total = 1;
	}
	g_ptr_array_add(s->jobs, job);
	persist(s);
	if (s->jobs->len > 1) {
		guint ahead = s->jobs->len - 1;
		g_autofree char *msg = g_strdup_printf(
			g_dngettext(GETTEXT_PACKAGE, "Queued behind %u other action of this account.",
			            "Queued behind %u other actions of this account.", ahead), ahead);
		report(s, group, msg, FALSE);
	}
	run_next(s);
}

void
wag_runner_roster_ready(WagSession *s, const char *group, gboolean loaded)
{
	WagJob *job = current(s);

	if (!job || !job->resumed || g_strcmp0(job->group, group) != 0)
		return;
	if (!loaded) {
		/* Without a roster the vendor decides; say what could not be checked. */
		job->resumed = FALSE;
		g_message("resuming job %s without a roster", job->id);
	}
	run_next(s);
}

static void
on_jobs_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = wag_store_load_finish(res, &err);
	WagSession *s;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GPtrArray) jobs = NULL;

	if (!text) {
		/* Cancelled means the session is gone: do not touch it. */
		if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
		    !g_error_matches(err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
			g_message("cannot read pending actions: %s", err->message);
		return;
	}
	s = data;
	node = wag_json_parse(text, strlen(text), NULL);
	jobs = wag_jobs_from_json(node);
	for (guint i = 0; i < jobs->len; i++) {
		WagJob *job = jobs->pdata[i];
		job->resumed = TRUE;
		g_ptr_array_add(s->jobs, g_ptr_array_steal_index(jobs, i--));
	}
	if (s->jobs->len)
		g_info("%u pending action(s) to resume", s->jobs->len);
	run_next(s);
}

void
wag_runner_init(WagSession *s)
{
	s->jobs = g_ptr_array_new_with_free_func((GDestroyNotify) wag_job_free);
}

void
wag_runner_resume(WagSession *s)
{
	/* Queued behind the writes of an earlier connection of this account. */
	wag_store_load(s->jobs_path, wag_http_get_cancellable(s->http), on_jobs_loaded, s);
}

void
wag_runner_stop(WagSession *s)
{
	WagJob *job = s->jobs ? current(s) : NULL;

	/* The call in flight is cut off: it may have reached the vendor (one
	 * still waiting in the pacer has not). */
	if (s->job_busy && job && s->job_in_flight && !wag_pacer_holds(s, s->job_call))
		audit(s, job, (const char *const *) s->job_in_flight->pdata, s->job_in_flight->len, "unknown", NULL);
	g_clear_pointer(&s->job_in_flight, g_ptr_array_unref);
	if (s->job_timer)
		g_source_remove(s->job_timer);
	s->job_timer = 0;
	g_clear_pointer(&s->jobs, g_ptr_array_unref);
	wag_adds_stop(s);
}
