/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The audit log (state_dir/audit.log): one JSON line per vendor call that
 * changes a group or its people, whatever started it (a job's call, an
 * administration edit, a message deleted for everyone), with its result.
 * Errors are redacted: no token reaches the file. */
#include "wag-session-private.h"
#include "wag-store.h"

/* One writer for every line of the audit log, whatever the action, so
 * that every line has the same members. message_id: a deleted message's. */
static void
audit_line(WagSession *s, const char *group, const char *action, const char *const *ids, guint n,
           const char *reason, const char *message_id, const char *result, const GError *error)
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
	json_builder_add_string_value(b, s->instance);
	json_builder_set_member_name(b, "vendor");
	json_builder_add_string_value(b, s->vendor->id);
	json_builder_set_member_name(b, "group");
	json_builder_add_string_value(b, group);
	json_builder_set_member_name(b, "action");
	json_builder_add_string_value(b, action);
	json_builder_set_member_name(b, "targets");
	json_builder_begin_array(b);
	for (guint i = 0; i < n; i++)
		json_builder_add_string_value(b, ids[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "reason");
	if (reason)
		json_builder_add_string_value(b, reason);
	else
		json_builder_add_null_value(b);
	if (message_id) {
		json_builder_set_member_name(b, "message_id");
		json_builder_add_string_value(b, message_id);
	}
	json_builder_set_member_name(b, "result");
	json_builder_add_string_value(b, result ? result : error ? "error" : "ok");
	if (error) {
		g_autofree char *safe = wag_http_redact(s->http, error->message);
		json_builder_set_member_name(b, "error");
		json_builder_add_string_value(b, safe);
	}
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	line = json_to_string(root, FALSE);
	wag_store_append(s->audit_path, line);
}

void
wag_runner_audit(WagSession *s, const char *group, const char *action, const char *const *ids, guint n,
                 const char *reason, const char *result, const GError *error)
{
	audit_line(s, group, action, ids, n, reason, NULL, result, error);
}

void
wag_runner_audit_delete(WagSession *s, const char *group, const char *from, const char *message_id,
                        const GError *error)
{
	const char *targets[] = { from ? from : "" };

	audit_line(s, group, "delete-message", targets, 1, NULL, message_id, NULL, error);
}
