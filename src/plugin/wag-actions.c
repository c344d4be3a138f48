/* Admin actions run as jobs, one call at a time per account: dripped at
 * removals_per_minute, retried with backoff on 429/5xx/timeouts, written to
 * disk after every call (so a disconnect or restart resumes them) and to
 * the audit log. */
#include "wag-plugin.h"
#include "wag-error.h"
#include "wag-json.h"
#include "wag-store.h"
#include <string.h>

#define MAX_RETRIES 3

static void run_next(WagConn *conn);

static WagJob *
current(WagConn *conn)
{
	return conn->jobs->len ? conn->jobs->pdata[0] : NULL;
}

/* Into the conversation when it is open, else a notification. */
static void
report(WagConn *conn, const char *group, const char *text, gboolean error)
{
	PurpleConversation *conv = wag_chat_find(conn, group);

	if (conv && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
		wag_chat_write(conv, text, error);
	else
		purple_notify_message(conn->gc, error ? PURPLE_NOTIFY_MSG_ERROR : PURPLE_NOTIFY_MSG_INFO,
		                      _("WhatsApp groups"), group, text, NULL, NULL);
}

static void
persist(WagConn *conn)
{
	g_autoptr(JsonNode) node = NULL;
	g_autofree char *text = NULL;

	if (!conn->jobs->len) {
		wag_store_replace(conn->jobs_path, NULL);
		return;
	}
	node = wag_jobs_to_json(conn->jobs);
	text = json_to_string(node, TRUE);
	wag_store_replace(conn->jobs_path, text);
}

static void
audit(WagConn *conn, const WagJob *job, const char *const *ids, guint n, const GError *error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *when = g_date_time_format_iso8601(now);
	g_autoptr(JsonNode) root = NULL;
	g_autofree char *line = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "time");
	json_builder_add_string_value(b, when);
	json_builder_set_member_name(b, "account");
	json_builder_add_string_value(b, conn->instance);
	json_builder_set_member_name(b, "vendor");
	json_builder_add_string_value(b, conn->vendor->id);
	json_builder_set_member_name(b, "group");
	json_builder_add_string_value(b, job->group);
	json_builder_set_member_name(b, "action");
	json_builder_add_string_value(b, wag_vendor_action_name(job->action));
	json_builder_set_member_name(b, "targets");
	json_builder_begin_array(b);
	for (guint i = 0; i < n; i++)
		json_builder_add_string_value(b, ids[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "reason");
	if (job->reason)
		json_builder_add_string_value(b, job->reason);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "result");
	json_builder_add_string_value(b, error ? "error" : "ok");
	if (error) {
		g_autofree char *safe = wag_http_redact(conn->http, error->message);
		json_builder_set_member_name(b, "error");
		json_builder_add_string_value(b, safe);
	}
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	line = json_to_string(root, FALSE);
	wag_store_append(conn->audit_path, line);
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
	default: return g_strdup_printf(_("Done %u of %u."), done, total);
	}
}

static void
finish(WagConn *conn, WagJob *job)
{
	GString *s = g_string_new(NULL);
	gboolean bad = job->failed->len > 0;

	if (job->action == WAG_ACTION_LEAVE)
		g_string_append(s, bad ? _("Could not leave the group: ") : _("You left the group."));
	else {
		g_autofree char *head = counted(job->action, job->done->len, job->total);
		g_string_append(s, head);
	}
	for (guint i = 0; i < job->failed->len; i++) {
		WagJobFailure *f = job->failed->pdata[i];
		if (job->action == WAG_ACTION_LEAVE)
			g_string_append(s, f->cause);
		else
			/* Translators: one failure in a summary: " Not done: 5544…: Z-API: …" */
			g_string_append_printf(s, _(" Not done: %s: %s"), f->id, f->cause);
	}
	report(conn, job->group, s->str, bad);
	g_string_free(s, TRUE);
	g_ptr_array_remove_index(conn->jobs, 0);
	persist(conn);
}

static gboolean
resume_timer(gpointer data)
{
	WagConn *conn = data;
	conn->job_timer = 0;
	run_next(conn);
	return G_SOURCE_REMOVE;
}

static void
later(WagConn *conn, guint ms)
{
	/* Default priority, not idle: a busy host loop must not starve a queued action. */
	conn->job_timer = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, resume_timer, conn, NULL);
}

/* What a confirmed call means for the model and the host. */
static void
apply_success(WagConn *conn, WagJob *job, const char *const *ids, guint n)
{
	WagGroup *g = wag_model_lookup(conn->model, job->group);
	WagEventKind kind;
	g_autoptr(WagEvent) e = NULL;

	switch (job->action) {
	case WAG_ACTION_REMOVE: kind = WAG_EVENT_REMOVED; break;
	case WAG_ACTION_APPROVE: kind = WAG_EVENT_ADDED; break;
	case WAG_ACTION_REJECT: kind = WAG_EVENT_JOIN_REVOKED; break;
	case WAG_ACTION_UNLINK: kind = WAG_EVENT_UNLINKED; break;
	default:
		if (g)
			g->left = TRUE;
		if (conn->me) {
			e = wag_event_new(WAG_EVENT_LEFT, job->group);
			g_ptr_array_add(e->participants, g_strdup(conn->me));
			wag_events_apply(conn, e);
		}
		return;
	}
	e = wag_event_new(kind, job->group);
	e->actor = g_strdup(conn->me);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(e->participants, g_strdup(ids[i]));
	wag_events_apply(conn, e);
	/* Removed from a community means removed from its groups too. */
	if (job->action == WAG_ACTION_REMOVE && g && g->is_community)
		for (guint i = 0; i < g->subgroups->len; i++) {
			g_free(e->group);
			e->group = g_strdup(g->subgroups->pdata[i]);
			wag_events_apply(conn, e);
		}
}

typedef struct {
	WagConn *conn;
	guint n;
} CallCtx;

static void
on_action(WagReply *reply, gpointer data)
{
	CallCtx *ctx = data;
	WagConn *conn = ctx->conn;
	WagJob *job = current(conn);
	g_autoptr(GError) err = NULL;
	g_autofree char **ids = NULL;
	guint n = MIN(ctx->n, job->remaining->len);

	conn->job_busy = FALSE;
	if (reply->error)
		err = g_error_copy(reply->error);
	else
		conn->vendor->parse_action(job->action, reply->json, &err);

	if (err && wag_error_is_transient(err) && conn->job_retries < MAX_RETRIES) {
		guint delay = 1000u << conn->job_retries;
		g_autofree char *safe = wag_http_redact(conn->http, err->message);
		g_autofree char *msg = g_strdup_printf(_("%s Trying again in %u s."), safe, delay / 1000);
		conn->job_retries++;
		report(conn, job->group, msg, TRUE);
		later(conn, delay);
		return;
	}
	conn->job_retries = 0;
	ids = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++)
		ids[i] = job->remaining->pdata[i];
	audit(conn, job, (const char *const *) ids, n, err);
	if (err) {
		g_autofree char *safe = wag_http_redact(conn->http, err->message);
		g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i < n; i++)
			g_ptr_array_add(copy, g_strdup(ids[i]));
		for (guint i = 0; i < copy->len; i++)
			wag_job_fail(job, copy->pdata[i], safe);
	} else {
		apply_success(conn, job, (const char *const *) ids, n);
		wag_job_complete(job, n);
		if (job->action == WAG_ACTION_LEAVE)
			g_ptr_array_set_size(job->remaining, 0);
	}
	persist(conn);
	if (!job->remaining->len) {
		finish(conn, job);
		later(conn, 0);
		return;
	}
	if (job->total > 1) {
		g_autofree char *progress = counted(job->action, job->done->len, job->total);
		report(conn, job->group, progress, FALSE);
	}
	later(conn, job->action == WAG_ACTION_REMOVE ? wag_job_pause_ms(n, conn->removals_per_minute) : 0);
}

/* After a restart the roster may have changed: ids that are gone already
 * count as done rather than being sent again. */
static void
drop_already_gone(WagConn *conn, WagJob *job)
{
	WagGroup *g = wag_model_lookup(conn->model, job->group);
	guint gone = 0;

	if (job->action != WAG_ACTION_REMOVE || !g || !g->roster_loaded)
		return;
	for (guint i = 0; i < job->remaining->len;) {
		if (!g_hash_table_contains(g->participants, job->remaining->pdata[i])) {
			g_ptr_array_add(job->done, g_ptr_array_steal_index(job->remaining, i));
			gone++;
		} else {
			i++;
		}
	}
	if (gone)
		purple_debug_info("wagateway", "resumed job %s: %u already gone\n", job->id, gone);
}

static void
run_next(WagConn *conn)
{
	WagJob *job = current(conn);
	g_autoptr(WagGroup) fallback = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree const char **ids = NULL;
	WagGroup *target;
	WagRequest *req;
	CallCtx *ctx;
	guint n;

	if (!job || conn->job_busy || conn->job_timer)
		return;
	if (job->resumed) {
		WagGroup *g = wag_model_lookup(conn->model, job->group);
		if (!g || !g->roster_loaded) {
			if (!job->roster_asked) {
				job->roster_asked = TRUE;
				wag_chat_open(conn, job->group, FALSE);
			}
			return; /* wag_actions_roster_ready() comes back here */
		}
		job->resumed = FALSE;
		drop_already_gone(conn, job);
		if (!job->remaining->len) {
			finish(conn, job);
			later(conn, 0);
			return;
		} else {
			g_autofree char *msg = g_strdup_printf(_("Resuming after reconnect: %u of %u still to do."),
			                                       job->remaining->len, job->total);
			report(conn, job->group, msg, FALSE);
		}
	}
	switch (job->action) {
	case WAG_ACTION_REMOVE:
		n = wag_job_batch_size(conn->vendor->batch_max, conn->removals_per_minute);
		break;
	case WAG_ACTION_APPROVE:
	case WAG_ACTION_REJECT:
		n = MAX(conn->vendor->batch_max, 1);
		break;
	default:
		n = job->remaining->len; /* leave: none; unlink: all groups in one call */
		break;
	}
	n = MIN(n, job->remaining->len);
	target = wag_model_lookup(conn->model, job->group);
	if (!target) {
		target = fallback = wag_group_new(job->group, NULL);
		fallback->is_community = job->community;
	}
	ids = g_new0(const char *, n + 1);
	for (guint i = 0; i < n; i++)
		ids[i] = job->remaining->pdata[i];
	req = conn->vendor->req_action(&conn->creds, job->action, target, ids, n, &err);
	if (!req) {
		g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i < job->remaining->len; i++)
			g_ptr_array_add(all, g_strdup(job->remaining->pdata[i]));
		for (guint i = 0; i < all->len; i++)
			wag_job_fail(job, all->pdata[i], err->message);
		finish(conn, job);
		later(conn, 0);
		return;
	}
	ctx = g_new0(CallCtx, 1);
	ctx->conn = conn;
	ctx->n = n;
	conn->job_busy = TRUE;
	wag_conn_send(conn, req, on_action, ctx, g_free);
}

void
wag_actions_start(WagConn *conn, WagAction action, const char *group, GPtrArray *ids, const char *reason)
{
	WagGroup *g = wag_model_lookup(conn->model, group);
	WagJob *job = wag_job_new(action, group, g && g->is_community, reason, ids);

	if (action == WAG_ACTION_LEAVE) {
		g_ptr_array_add(job->remaining, g_strdup(group));
		job->total = 1;
	}
	g_ptr_array_add(conn->jobs, job);
	persist(conn);
	if (conn->jobs->len > 1) {
		guint ahead = conn->jobs->len - 1;
		g_autofree char *msg = g_strdup_printf(
			g_dngettext(GETTEXT_PACKAGE, "Queued behind %u other action of this account.",
			            "Queued behind %u other actions of this account.", ahead), ahead);
		report(conn, group, msg, FALSE);
	}
	run_next(conn);
}

void
wag_actions_roster_ready(WagConn *conn, const char *group, gboolean loaded)
{
	WagJob *job = current(conn);

	if (!job || !job->resumed || g_strcmp0(job->group, group) != 0)
		return;
	if (!loaded) {
		/* Without a roster the vendor decides; say what could not be checked. */
		job->resumed = FALSE;
		purple_debug_warning("wagateway", "resuming job %s without a roster\n", job->id);
	}
	run_next(conn);
}

static void
on_jobs_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = wag_store_load_finish(res, &err);
	WagConn *conn;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GPtrArray) jobs = NULL;

	if (!text) {
		/* Cancelled means the connection is gone: do not touch it. */
		if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
		    !g_error_matches(err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
			purple_debug_warning("wagateway", "cannot read pending actions: %s\n", err->message);
		return;
	}
	conn = data;
	node = wag_json_parse(text, strlen(text), NULL);
	jobs = wag_jobs_from_json(node);
	for (guint i = 0; i < jobs->len; i++) {
		WagJob *job = jobs->pdata[i];
		job->resumed = TRUE;
		g_ptr_array_add(conn->jobs, g_ptr_array_steal_index(jobs, i--));
	}
	if (conn->jobs->len)
		purple_debug_info("wagateway", "%u pending action(s) to resume\n", conn->jobs->len);
	run_next(conn);
}

void
wag_actions_resume(WagConn *conn)
{
	/* Queued behind the writes of an earlier connection of this account. */
	wag_store_load(conn->jobs_path, wag_http_get_cancellable(conn->http), on_jobs_loaded, conn);
}

void
wag_actions_cancel_all(WagConn *conn)
{
	if (conn->job_timer)
		g_source_remove(conn->job_timer);
	conn->job_timer = 0;
}

/* ---- prompts ---- */

typedef struct {
	WagConn *conn;
	char *group;
	char *who;
} Prompt;

static void
prompt_done(Prompt *p)
{
	g_ptr_array_remove(p->conn->prompts, p);
}

static void
prompt_free(gpointer data)
{
	Prompt *p = data;
	g_free(p->group);
	g_free(p->who);
	g_free(p);
}

static Prompt *
prompt_new(WagConn *conn, const char *group, const char *who)
{
	Prompt *p = g_new0(Prompt, 1);
	p->conn = conn;
	p->group = g_strdup(group);
	p->who = g_strdup(who);
	g_ptr_array_add(conn->prompts, p);
	return p;
}

static void
single(WagConn *conn, WagAction action, const char *group, const char *who)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	if (who)
		g_ptr_array_add(ids, g_strdup(who));
	wag_actions_start(conn, action, group, ids, NULL);
}

static void
leave_ok(Prompt *p, int action)
{
	single(p->conn, WAG_ACTION_LEAVE, p->group, NULL);
	prompt_done(p);
}

static void
prompt_cancel(Prompt *p, int action)
{
	prompt_done(p);
}

void
wag_actions_confirm_leave(WagConn *conn, const char *group, gboolean closing)
{
	WagGroup *g = wag_model_lookup(conn->model, group);
	const char *name = g && g->subject ? g->subject : group;
	g_autofree char *primary = g_strdup_printf(closing ? _("Also leave the WhatsApp group %s?")
	                                                   : _("Leave the WhatsApp group %s?"), name);
	Prompt *p = prompt_new(conn, group, NULL);

	/* ok/cancel, not yes/no: bitlbee can answer it. Cancel is the default. */
	purple_request_ok_cancel(conn->gc, _("Leave group"), primary,
	                         _("You stop being a participant; an admin must add you back."),
	                         1, conn->account, NULL, closing ? NULL : wag_chat_find(conn, group), p,
	                         G_CALLBACK(leave_ok), G_CALLBACK(prompt_cancel));
}

static void
join_accept(Prompt *p, int action)
{
	single(p->conn, WAG_ACTION_APPROVE, p->group, p->who);
	prompt_done(p);
}

static void
join_reject(Prompt *p, int action)
{
	single(p->conn, WAG_ACTION_REJECT, p->group, p->who);
	prompt_done(p);
}

/* bitlbee answers a prompt by finding the English "Accept"/"Reject" in its
 * button captions: a translated caption would leave the user no answer. */
static const char *
caption(const char *msgid)
{
	return g_strcmp0(purple_core_get_ui(), "BitlBee") == 0 ? msgid : _(msgid);
}

void
wag_actions_prompt_join(WagConn *conn, const char *group, const char *who)
{
	WagGroup *g = wag_model_lookup(conn->model, group);
	g_autofree char *primary = g_strdup_printf(_("%s asks to join %s"), who,
	                                           g && g->subject ? g->subject : group);
	Prompt *p = prompt_new(conn, group, who);

	purple_request_action(conn->gc, _("Join request"), primary, NULL, 0, conn->account, who,
	                      wag_chat_find(conn, group), p, 2,
	                      caption(N_("_Accept")), G_CALLBACK(join_accept),
	                      caption(N_("_Reject")), G_CALLBACK(join_reject));
}

GPtrArray *
wag_actions_new_prompts(void)
{
	return g_ptr_array_new_with_free_func(prompt_free);
}
