/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The session's life cycle and the login order, in one step function. */
#include "wag-session.h"
#include "wag-session-private.h"
#include "wag-history.h"
#include "wag-check.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include <stdarg.h>
#include <string.h>

static void login_step(WagSession *s);

static char *
dup_or_empty(const char *s)
{
	return g_strdup(s ? s : "");
}

WagSession *
wag_session_new(const WagSessionConfig *config, const WagView *view, gpointer ui)
{
	WagSession *s = g_new0(WagSession, 1);
	g_autofree char *key = NULL;
	g_autofree char *file = NULL;

	s->view = view;
	s->ui = ui;
	s->vendor_id = g_strdup(config->vendor ? config->vendor : "zapi");
	s->vendor = wag_vendor_lookup(s->vendor_id);
	s->instance = dup_or_empty(config->instance);
	s->token = dup_or_empty(config->token);
	s->client_token = dup_or_empty(config->client_token);
	s->relay_url = dup_or_empty(config->relay_url);
	s->relay_token = dup_or_empty(config->relay_token);
	s->base = g_strdup(config->api_base && *config->api_base ? config->api_base
	                   : s->vendor ? s->vendor->default_base : "");
	while (g_str_has_suffix(s->base, "/"))
		s->base[strlen(s->base) - 1] = '\0';
	s->creds = (WagCreds) { s->instance, s->token, s->client_token, s->base };
	s->removals_per_minute = config->removals_per_minute;
	s->adds_per_minute = config->adds_per_minute ? config->adds_per_minute : WAG_ADDS_PER_MINUTE;
	s->poll_seconds = config->poll_seconds;
	s->leave_on_close = config->leave_on_close;
	s->max_pages = config->max_pages;
	s->storm_pause_ms = config->storm_pause_ms ? config->storm_pause_ms : 60000;
	s->http = wag_http_new(config->request_timeout ? config->request_timeout : 30);
	wag_http_add_secret(s->http, s->token);
	wag_http_add_secret(s->http, s->client_token);
	wag_http_add_secret(s->http, s->relay_token);
	s->model = wag_model_new();
	s->open_groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->info = wag_instance_info_new();

	/* One file per vendor instance; the name keeps only safe characters. */
	key = g_strdup_printf("%s-%s", s->vendor_id, s->instance);
	g_strcanon(key, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "-_", '_');
	file = g_strconcat(key, ".json", NULL);
	s->jobs_path = g_build_filename(config->state_dir, "jobs", file, NULL);
	g_free(file);
	file = g_strconcat(key, ".last", NULL);
	s->live_path = g_build_filename(config->state_dir, "relay", file, NULL);
	s->audit_path = g_build_filename(config->state_dir, "audit.log", NULL);

	wag_runner_init(s);
	wag_sync_init(s);
	wag_messages_init(s, config->messages, config->messages_per_minute);
	wag_history_init(s, config->state_dir, key);
	wag_requests_init(s, config->state_dir, key);
	return s;
}

void
wag_session_free(WagSession *s)
{
	if (!s)
		return;
	wag_runner_stop(s);
	wag_sync_stop(s);
	wag_requests_stop(s);
	wag_contacts_stop(s);
	wag_listing_stop(s);
	wag_apply_stop(s);
	wag_pacer_stop(s);
	wag_messages_stop(s);
	wag_history_stop(s);
	/* No callback runs after this, so nothing can touch the freed struct. */
	wag_http_shutdown(s->http);
	wag_http_unref(s->http);
	wag_model_free(s->model);
	g_hash_table_destroy(s->open_groups);
	g_free(s->vendor_id);
	g_free(s->instance);
	g_free(s->token);
	g_free(s->client_token);
	g_free(s->base);
	g_free(s->relay_url);
	g_free(s->relay_token);
	g_free(s->me);
	wag_instance_info_free(s->info);
	g_free(s->jobs_path);
	g_free(s->audit_path);
	g_free(s->live_path);
	g_free(s);
}

static void
fail(WagSession *s, WagSessionErrorCode code, const char *message)
{
	g_autofree char *safe = wag_http_redact(s->http, message);
	g_autoptr(GError) error = g_error_new_literal(WAG_SESSION_ERROR, code, safe);

	s->login_step = WAG_LOGIN_DONE;
	s->view->failed(s->ui, error);
}

/* ---- the login order ---- */

/* A status or "me" reply: what it says of this account is kept. */
static void
read_info(WagSession *s, WagReply *reply)
{
	if (reply->error || !reply->json)
		return;
	wag_vendor_read_info(s->vendor, reply->json, s->info);
	if (s->info->me && g_strcmp0(s->info->me, s->me) != 0) {
		g_free(s->me);
		s->me = g_strdup(s->info->me);
	}
	if (s->info->session_name)
		g_info("%s session name: %s", s->vendor->name, s->info->session_name);
}

static void
on_me(WagReply *reply, gpointer data)
{
	WagSession *s = data;

	read_info(s, reply);
	if (s->me)
		g_info("this account is %s", s->me);
	else
		g_info("%s does not tell this account's number: admin checks are left to the vendor", s->vendor->name);
}

/* The instance's state decides the login: READY goes on, the rest fail with
 * the class of error that says whether reconnecting can help. */
static void
on_status(WagReply *reply, gpointer data)
{
	WagSession *s = data;
	const WagVendor *v = s->vendor;
	g_autofree char *detail = NULL;
	g_autofree char *msg = NULL;
	WagInstanceState state;

	if (reply->status == 0) {
		/* Transport trouble: the host reconnects with its own backoff. */
		fail(s, WAG_SESSION_ERROR_TRANSIENT, reply->error->message);
		return;
	}
	/* A 404 without the vendor's JSON is some other web server: the
	 * address is wrong, not the token (no reason to distrust it). */
	if (reply->status == 404 && (!reply->json || !JSON_NODE_HOLDS_OBJECT(reply->json))) {
		g_autofree char *base = wag_http_redact(s->http, s->base);
		msg = g_strdup_printf(_("%s answered 404 Not Found: it does not look like the API of %s. "
		                        "Check the api_base option (empty: the vendor's default)."), base, v->name);
		fail(s, WAG_SESSION_ERROR_SETTINGS, msg);
		return;
	}
	state = v->parse_status(reply->status, reply->json, &detail);
	if (!detail)
		detail = g_strdup(_("no reason given"));
	switch (state) {
	case WAG_STATE_READY:
		read_info(s, reply);
		s->login_step = WAG_LOGIN_STATUS;
		login_step(s);
		return;
	case WAG_STATE_BAD_CREDENTIALS:
		msg = g_strdup_printf(_("%s rejected the instance id or token (HTTP %u: %s). "
		                        "Check the username (instance id), the password (token)%s."),
		                      v->name, reply->status, detail,
		                      v->has_communities ? _(" and the client_token option") : "");
		fail(s, WAG_SESSION_ERROR_CREDENTIALS, msg);
		return;
	case WAG_STATE_NOT_AUTHORIZED:
		msg = g_strdup_printf(_("This %s instance is not linked to WhatsApp (%s). "
		                        "Scan the QR code in %s with WhatsApp on the phone "
		                        "(Settings, Linked devices), then reconnect."),
		                      v->name, detail, _(v->panel));
		fail(s, WAG_SESSION_ERROR_CREDENTIALS, msg);
		return;
	case WAG_STATE_PHONE_OFFLINE:
		msg = g_strdup_printf(_("The phone of this %s instance is not connected (%s). "
		                        "Open WhatsApp on the phone and check it is online; if it "
		                        "was logged out, scan the QR code again in %s."),
		                      v->name, detail, _(v->panel));
		fail(s, WAG_SESSION_ERROR_TRANSIENT, msg);
		return;
	case WAG_STATE_STARTING:
		msg = g_strdup_printf(_("The %s instance is still starting (%s); trying again later."),
		                      v->name, detail);
		fail(s, WAG_SESSION_ERROR_TRANSIENT, msg);
		return;
	case WAG_STATE_BLOCKED:
		msg = g_strdup_printf(_("WhatsApp has blocked the account of this %s instance (%s)."),
		                      v->name, detail);
		fail(s, WAG_SESSION_ERROR_FATAL, msg);
		return;
	case WAG_STATE_PLAN:
		msg = g_strdup_printf(_("Your %s plan does not include this API (%s). Upgrade it in %s."),
		                      v->name, detail, _(v->panel));
		fail(s, WAG_SESSION_ERROR_FATAL, msg);
		return;
	case WAG_STATE_STOPPED:
		/* Only the user can start it again (in the dashboard): reconnecting
		 * on a timer would only ask the same question again and again. */
		msg = wag_instance_state_message(v, state, detail);
		fail(s, WAG_SESSION_ERROR_SETTINGS, msg);
		return;
	case WAG_STATE_UNKNOWN:
	default:
		if (reply->error)
			fail(s, wag_error_is_transient(reply->error) ? WAG_SESSION_ERROR_TRANSIENT
			                                             : WAG_SESSION_ERROR_FATAL,
			     reply->error->message);
		else {
			msg = g_strdup_printf(_("%s answered the status check in an unknown way (%s)."),
			                      v->name, detail);
			fail(s, WAG_SESSION_ERROR_FATAL, msg);
		}
		return;
	}
}

static void
on_listed(WagSession *s)
{
	s->login_step = WAG_LOGIN_LISTED;
	login_step(s);
}

/* Each step starts one thing and returns; what it started comes back here
 * with login_step moved on (slack-libpurple's login step, in spirit). */
static void
login_step(WagSession *s)
{
	switch (s->login_step) {
	case WAG_LOGIN_CONFIG:
		if (!s->vendor) {
			g_autofree char *msg = g_strdup_printf(
				_("Unknown vendor \"%s\": set the vendor option to zapi, greenapi or wawp."), s->vendor_id);
			fail(s, WAG_SESSION_ERROR_SETTINGS, msg);
			return;
		}
		if (!*s->token) {
			fail(s, WAG_SESSION_ERROR_SETTINGS, _("The password must be the instance token from the vendor's panel."));
			return;
		}
		if (!g_str_has_prefix(s->base, "http://") && !g_str_has_prefix(s->base, "https://")) {
			g_autofree char *base = wag_http_redact(s->http, s->base);
			g_autofree char *msg = g_strdup_printf(
				_("The api_base option must start with http:// or https:// (it is \"%s\")."), base);
			fail(s, WAG_SESSION_ERROR_SETTINGS, msg);
			return;
		}
		/* Read while the vendor is asked; live events wait for it. */
		wag_requests_load(s, wag_sync_resume_apply);
		s->view->progress(s->ui, _("Checking the instance"), 1, 3);
		wag_session_call_op(s, WAG_OP_STATUS, s->vendor->req_status(&s->creds), on_status, s, NULL);
		return; /* on_status() moves to WAG_LOGIN_STATUS */
	case WAG_LOGIN_STATUS:
		s->view->progress(s->ui, _("Listing groups"), 2, 3);
		s->view->connected(s->ui);
		if (s->vendor->req_me)
			wag_session_call_op(s, WAG_OP_ME, s->vendor->req_me(&s->creds), on_me, s, NULL);
		s->login_step = WAG_LOGIN_LISTING;
		wag_listing_start(s, on_listed);
		return; /* the listing moves to WAG_LOGIN_LISTED, even when it failed */
	case WAG_LOGIN_LISTED:
		s->login_step = WAG_LOGIN_DONE;
		s->view->groups_changed(s->ui, TRUE);
		wag_contacts_start(s);
		/* Actions a disconnect or restart interrupted carry on now. */
		wag_runner_resume(s);
		wag_sync_start(s);
		return;
	case WAG_LOGIN_LISTING:
	case WAG_LOGIN_DONE:
		return;
	}
}

void
wag_session_start(WagSession *s)
{
	s->login_step = WAG_LOGIN_CONFIG;
	login_step(s);
}

/* ---- reading ---- */

const WagVendor *
wag_session_get_vendor(WagSession *s)
{
	return s->vendor;
}

WagModel *
wag_session_get_model(WagSession *s)
{
	return s->model;
}

const char *
wag_session_get_me(WagSession *s)
{
	return s->me;
}

gboolean
wag_session_is_synced(WagSession *s)
{
	return s->synced;
}

gboolean
wag_session_is_live(WagSession *s)
{
	return s->relay || s->poll_timer;
}

/* ---- verbs ---- */

/* An id from outside (a chat the user joined, a command, a saved job) that
 * would change the request's path, or that the vendor never uses, is
 * refused before any call; the message names it (capped). */
static gboolean
id_ok(WagSession *s, const char *id, const char *what, GError **shown)
{
	g_autoptr(GError) err = NULL;

	if (!s->vendor || wag_vendor_check_id(s->vendor, id, what, &err))
		return TRUE;
	g_set_error_literal(shown, WAG_SESSION_ERROR, WAG_SESSION_ERROR_FATAL, err->message);
	return FALSE;
}

static gboolean
group_ok(WagSession *s, const char *group, GError **shown)
{
	gboolean community = s->vendor && s->vendor->has_communities && group && s->vendor->is_community_id(group);
	return id_ok(s, group, community ? _("community") : _("group"), shown);
}

/* For the roster verbs: a refused id is told as the roster's failure. */
static gboolean
roster_id_ok(WagSession *s, const char *group)
{
	g_autoptr(GError) shown = NULL;

	if (group_ok(s, group, &shown))
		return TRUE;
	s->view->roster_loaded(s->ui, group ? group : "", shown);
	return FALSE;
}

void
wag_session_open_group(WagSession *s, const char *group)
{
	WagGroup *g;

	if (!roster_id_ok(s, group))
		return;
	g = wag_model_lookup(s->model, group);
	g_hash_table_add(s->open_groups, g_strdup(group));
	/* Without live sync the cache may be older than the group: re-read it.
	 * With it, the model is current and opening costs no vendor call. */
	if (!wag_session_is_live(s) || !g || !g->roster_loaded)
		wag_roster_load(s, group, wag_runner_roster_ready);
	else
		wag_runner_roster_ready(s, group, TRUE);
}

void
wag_session_close_group(WagSession *s, const char *group)
{
	WagGroup *g = wag_model_lookup(s->model, group);

	g_hash_table_remove(s->open_groups, group);
	/* Closing the window never leaves the WhatsApp group by itself; with
	 * leave_on_close the user is asked first. */
	if (s->leave_on_close && !(g && (g->is_community || g->left)))
		s->view->ask_leave(s->ui, group, TRUE);
}

void
wag_session_load_roster(WagSession *s, const char *group)
{
	if (!roster_id_ok(s, group))
		return;
	wag_roster_load(s, group, wag_runner_roster_ready);
}

void
wag_session_start_job(WagSession *s, WagAction action, const char *group, GPtrArray *ids, const char *reason)
{
	g_autoptr(GError) shown = NULL;
	g_autoptr(GPtrArray) ok = NULL;

	if (!group_ok(s, group, &shown)) {
		s->view->group_notice(s->ui, group ? group : "", shown->message, WAG_NOTICE_ERROR);
		return;
	}
	if (ids) {
		ok = g_ptr_array_new();
		for (guint i = 0; i < ids->len; i++) {
			g_clear_error(&shown);
			if (id_ok(s, ids->pdata[i], action == WAG_ACTION_UNLINK || action == WAG_ACTION_LINK ? _("group") : _("participant"), &shown))
				g_ptr_array_add(ok, ids->pdata[i]);
			else
				s->view->group_notice(s->ui, group, shown->message, WAG_NOTICE_ERROR);
		}
		if (!ok->len)
			return;
	}
	wag_runner_start(s, action, group, ok, reason);
}

void
wag_session_leave(WagSession *s, const char *group)
{
	wag_session_start_job(s, WAG_ACTION_LEAVE, group, NULL, NULL);
}

char *
wag_session_propose_leave(WagSession *s, const char *group)
{
	char *refusal = wag_check_leave(wag_model_lookup(s->model, group));

	if (!refusal)
		s->view->ask_leave(s->ui, group, FALSE);
	return refusal;
}

typedef struct {
	WagSession *s;
	char *group;
	WagRequestsFunc done;
	gpointer data;
	GDestroyNotify destroy;
} RequestsCtx;

static void
requests_ctx_free(gpointer data)
{
	RequestsCtx *r = data;
	/* After done, or instead of it when the session was freed first. */
	if (r->destroy)
		r->destroy(r->data);
	g_free(r->group);
	g_free(r);
}

static void
on_requests(WagReply *reply, gpointer data)
{
	RequestsCtx *r = data;
	WagSession *s = r->s;
	WagGroup *g = wag_listing_group(s, r->group);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;

	if (reply->error || !s->vendor->parse_requests(reply->json, ids, &err)) {
		g_autofree char *safe = wag_http_redact(s->http, (reply->error ? reply->error : err)->message);
		g_autoptr(GError) shown = g_error_new(WAG_SESSION_ERROR, WAG_SESSION_ERROR_FATAL,
		                                      _("Could not list the join requests: %s"), safe);
		r->done(s, r->group, shown, r->data);
		return;
	}
	g_ptr_array_set_size(g->pending, 0);
	for (guint i = 0; i < ids->len; i++)
		g_ptr_array_add(g->pending, g_strdup(ids->pdata[i]));
	r->done(s, r->group, NULL, r->data);
}

void
wag_session_list_requests(WagSession *s, const char *group, WagRequestsFunc done, gpointer data,
                          GDestroyNotify destroy)
{
	RequestsCtx *r;
	g_autoptr(GError) shown = NULL;

	if (!group_ok(s, group, &shown)) {
		done(s, group, shown, data);
		if (destroy)
			destroy(data);
		return;
	}
	r = g_new0(RequestsCtx, 1);
	r->s = s;
	r->group = g_strdup(group);
	r->done = done;
	r->data = data;
	r->destroy = destroy;
	wag_listing_group(s, group);
	wag_session_call_op(s, WAG_OP_REQUESTS, s->vendor->req_requests(&s->creds, group), on_requests, r, requests_ctx_free);
}

void
wag_session_push_event(WagSession *s, WagEvent *e)
{
	wag_sync_queue(s, e);
}

/* ---- this account (issue 15) ---- */

const WagInstanceInfo *
wag_session_get_info(WagSession *s)
{
	return s->info;
}

gboolean
wag_session_is_me(WagSession *s, const char *id)
{
	return id && (wag_instance_info_is_me(s->info, id) || (s->me && g_strcmp0(id, s->me) == 0));
}

const char *
wag_session_me_in(WagSession *s, const char *group)
{
	return wag_instance_info_me_in(s->info, s->me, group ? wag_model_lookup(s->model, group) : NULL);
}
