/* Login (instance check), the connection's state, and its clean teardown. */
#include "wag-plugin.h"
#include "wag-error.h"
#include <string.h>

static void
conn_free(WagConn *conn)
{
	if (conn->roomlist) {
		purple_roomlist_set_in_progress(conn->roomlist, FALSE);
		purple_roomlist_unref(conn->roomlist);
	}
	wag_actions_cancel_all(conn);
	wag_live_stop(conn);
	purple_request_close_with_handle(conn->gc);
	/* No callback runs after this, so nothing can touch the freed struct. */
	wag_http_shutdown(conn->http);
	wag_http_unref(conn->http);
	wag_model_free(conn->model);
	g_hash_table_destroy(conn->chat_ids);
	g_hash_table_destroy(conn->chat_groups);
	g_free(conn->instance);
	g_free(conn->token);
	g_free(conn->client_token);
	g_free(conn->base);
	g_free(conn->me);
	g_ptr_array_free(conn->jobs, TRUE);
	g_ptr_array_free(conn->prompts, TRUE);
	g_free(conn->jobs_path);
	g_free(conn->audit_path);
	g_free(conn->live_path);
	g_queue_free_full(conn->live_queue, (GDestroyNotify) wag_event_free);
	g_queue_free_full(conn->poll_queue, g_free);
	g_free(conn);
}

void
wag_conn_send(WagConn *conn, WagRequest *req, WagHttpCallback cb, gpointer data, GDestroyNotify destroy)
{
	wag_http_send(conn->http, conn->base, req, cb, data, destroy);
}

static void
fail(WagConn *conn, PurpleConnectionError reason, const char *message)
{
	g_autofree char *safe = wag_http_redact(conn->http, message);
	purple_connection_error_reason(conn->gc, reason, safe);
}

static void
on_me(WagReply *reply, gpointer data)
{
	WagConn *conn = data;

	if (!reply->error)
		conn->me = conn->vendor->parse_me(reply->json);
	if (conn->me)
		purple_debug_info("wagateway", "this account is %s\n", conn->me);
	else
		purple_debug_info("wagateway", "%s does not tell this account's number: "
		                  "admin checks are left to the vendor\n", conn->vendor->name);
}

static void
on_status(WagReply *reply, gpointer data)
{
	WagConn *conn = data;
	const WagVendor *v = conn->vendor;
	g_autofree char *detail = NULL;
	g_autofree char *msg = NULL;
	WagInstanceState state;

	if (reply->status == 0) {
		/* Transport trouble: the host reconnects with its own backoff. */
		fail(conn, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, reply->error->message);
		return;
	}
	state = v->parse_status(reply->status, reply->json, &detail);
	if (!detail)
		detail = g_strdup(_("no reason given"));
	switch (state) {
	case WAG_STATE_READY:
		purple_connection_update_progress(conn->gc, _("Listing groups"), 2, 3);
		purple_connection_set_state(conn->gc, PURPLE_CONNECTED);
		if (v->req_me)
			wag_conn_send(conn, v->req_me(&conn->creds), on_me, conn, NULL);
		wag_blist_sync(conn);
		return;
	case WAG_STATE_BAD_CREDENTIALS:
		msg = g_strdup_printf(_("%s rejected the instance id or token (HTTP %u: %s). "
		                        "Check the username (instance id), the password (token)%s."),
		                      v->name, reply->status, detail,
		                      v->has_communities ? _(" and the client_token option") : "");
		fail(conn, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED, msg);
		return;
	case WAG_STATE_NOT_AUTHORIZED:
		msg = g_strdup_printf(_("This %s instance is not linked to WhatsApp (%s). "
		                        "Scan the QR code in %s with WhatsApp on the phone "
		                        "(Settings, Linked devices), then reconnect."),
		                      v->name, detail, _(v->panel));
		fail(conn, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED, msg);
		return;
	case WAG_STATE_PHONE_OFFLINE:
		msg = g_strdup_printf(_("The phone of this %s instance is not connected (%s). "
		                        "Open WhatsApp on the phone and check it is online; if it "
		                        "was logged out, scan the QR code again in %s."),
		                      v->name, detail, _(v->panel));
		fail(conn, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, msg);
		return;
	case WAG_STATE_STARTING:
		msg = g_strdup_printf(_("The %s instance is still starting (%s); trying again later."),
		                      v->name, detail);
		fail(conn, PURPLE_CONNECTION_ERROR_NETWORK_ERROR, msg);
		return;
	case WAG_STATE_BLOCKED:
		msg = g_strdup_printf(_("WhatsApp has blocked the account of this %s instance (%s)."),
		                      v->name, detail);
		fail(conn, PURPLE_CONNECTION_ERROR_OTHER_ERROR, msg);
		return;
	case WAG_STATE_PLAN:
		msg = g_strdup_printf(_("Your %s plan does not include this API (%s). Upgrade it in %s."),
		                      v->name, detail, _(v->panel));
		fail(conn, PURPLE_CONNECTION_ERROR_OTHER_ERROR, msg);
		return;
	case WAG_STATE_UNKNOWN:
	default:
		if (reply->error)
			fail(conn, wag_error_is_transient(reply->error) ? PURPLE_CONNECTION_ERROR_NETWORK_ERROR
			                                                : PURPLE_CONNECTION_ERROR_OTHER_ERROR,
			     reply->error->message);
		else {
			msg = g_strdup_printf(_("%s answered the status check in an unknown way (%s)."),
			                      v->name, detail);
			fail(conn, PURPLE_CONNECTION_ERROR_OTHER_ERROR, msg);
		}
		return;
	}
}

void
wag_conn_login(PurpleAccount *account)
{
	PurpleConnection *gc = purple_account_get_connection(account);
	const char *vendor_id = purple_account_get_string(account, "vendor", "zapi");
	const char *base = purple_account_get_string(account, "api_base", "");
	int timeout = purple_prefs_get_int(WAG_PREF_TIMEOUT);
	WagConn *conn;

	/* Checked per login too: a libsoup 2 plugin may be loaded after us. */
	if (wag_http_soup2_loaded()) {
		purple_connection_error_reason(gc, PURPLE_CONNECTION_ERROR_OTHER_ERROR, wag_soup2_message());
		return;
	}
	conn = g_new0(WagConn, 1);

	conn->gc = gc;
	conn->account = account;
	conn->vendor = wag_vendor_lookup(vendor_id);
	conn->model = wag_model_new();
	conn->chat_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	conn->chat_groups = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	conn->http = wag_http_new(timeout > 0 ? (guint) timeout : 30);
	conn->jobs = g_ptr_array_new_with_free_func((GDestroyNotify) wag_job_free);
	conn->prompts = wag_actions_new_prompts();
	conn->live_queue = g_queue_new();
	conn->poll_queue = g_queue_new();
	conn->removals_per_minute = MAX(0, purple_account_get_int(account, "removals_per_minute", 10));
	conn->leave_on_close = purple_account_get_bool(account, "leave_on_close", FALSE);
	conn->audit_path = g_build_filename(purple_user_dir(), "wagateway", "audit.log", NULL);
	purple_connection_set_protocol_data(gc, conn);
	gc->flags |= PURPLE_CONNECTION_NO_IMAGES | PURPLE_CONNECTION_NO_FONTSIZE | PURPLE_CONNECTION_NO_BGCOLOR;

	if (!conn->vendor) {
		g_autofree char *msg = g_strdup_printf(
			_("Unknown vendor \"%s\": set the vendor option to zapi, greenapi or wawp."), vendor_id);
		purple_connection_error_reason(gc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS, msg);
		return;
	}
	conn->instance = g_strdup(purple_account_get_username(account));
	conn->token = g_strdup(purple_connection_get_password(gc));
	conn->client_token = g_strdup(purple_account_get_string(account, "client_token", ""));
	conn->base = g_strdup(base && *base ? base : conn->vendor->default_base);
	while (g_str_has_suffix(conn->base, "/"))
		conn->base[strlen(conn->base) - 1] = '\0';
	{
		/* One file per vendor instance; the name keeps only safe characters. */
		g_autofree char *key = g_strdup_printf("%s-%s", conn->vendor->id, conn->instance);
		g_autofree char *file = NULL;
		g_strcanon(key, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "-_", '_');
		file = g_strconcat(key, ".json", NULL);
		conn->jobs_path = g_build_filename(purple_user_dir(), "wagateway", "jobs", file, NULL);
		g_free(file);
		file = g_strconcat(key, ".last", NULL);
		conn->live_path = g_build_filename(purple_user_dir(), "wagateway", "relay", file, NULL);
	}
	conn->creds = (WagCreds) { conn->instance, conn->token, conn->client_token, conn->base };
	wag_http_add_secret(conn->http, conn->token);
	wag_http_add_secret(conn->http, conn->client_token);

	if (!conn->token || !*conn->token) {
		purple_connection_error_reason(gc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
			_("The password must be the instance token from the vendor's panel."));
		return;
	}
	purple_connection_update_progress(gc, _("Checking the instance"), 1, 3);
	wag_conn_send(conn, conn->vendor->req_status(&conn->creds), on_status, conn, NULL);
}

void
wag_conn_close(PurpleConnection *gc)
{
	WagConn *conn = wag_conn(gc);
	if (!conn)
		return;
	purple_connection_set_protocol_data(gc, NULL);
	conn_free(conn);
}
