/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-job.h"
#include "wag-json.h"

static void
failure_free(gpointer p)
{
	WagJobFailure *f = p;
	g_free(f->id);
	g_free(f->cause);
	g_free(f);
}

static WagJob *
job_alloc(void)
{
	WagJob *job = g_new0(WagJob, 1);
	job->remaining = g_ptr_array_new_with_free_func(g_free);
	job->done = g_ptr_array_new_with_free_func(g_free);
	job->failed = g_ptr_array_new_with_free_func(failure_free);
	return job;
}

WagJob *
wag_job_new(WagAction action, const char *group, gboolean community, const char *reason, GPtrArray *ids)
{
	WagJob *job = job_alloc();
	static guint serial;

	job->created = g_get_real_time() / 1000;
	job->id = g_strdup_printf("%" G_GINT64_FORMAT "-%u", job->created, ++serial);
	job->action = action;
	job->group = g_strdup(group);
	job->community = community;
	job->reason = reason && *reason ? g_strdup(reason) : NULL;
	for (guint i = 0; i < ids->len; i++)
		g_ptr_array_add(job->remaining, g_strdup(ids->pdata[i]));
	job->total = ids->len;
	return job;
}

void
wag_job_free(WagJob *job)
{
	if (!job)
		return;
	g_free(job->id);
	g_free(job->group);
	g_free(job->reason);
	g_ptr_array_free(job->remaining, TRUE);
	g_ptr_array_free(job->done, TRUE);
	g_ptr_array_free(job->failed, TRUE);
	g_free(job);
}

void
wag_job_fail(WagJob *job, const char *id, const char *cause)
{
	WagJobFailure *f = g_new0(WagJobFailure, 1);
	guint idx;

	f->id = g_strdup(id);
	f->cause = g_strdup(cause);
	g_ptr_array_add(job->failed, f);
	if (g_ptr_array_find_with_equal_func(job->remaining, id, g_str_equal, &idx))
		g_ptr_array_remove_index(job->remaining, idx);
}

void
wag_job_complete(WagJob *job, guint n)
{
	for (guint i = 0; i < n && job->remaining->len; i++)
		g_ptr_array_add(job->done, g_ptr_array_steal_index(job->remaining, 0));
}

static void
add_strs(JsonBuilder *b, const char *name, GPtrArray *a)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; i < a->len; i++)
		json_builder_add_string_value(b, a->pdata[i]);
	json_builder_end_array(b);
}

JsonNode *
wag_jobs_to_json(GPtrArray *jobs)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *root;

	json_builder_begin_array(b);
	for (guint j = 0; j < jobs->len; j++) {
		WagJob *job = jobs->pdata[j];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, job->id);
		json_builder_set_member_name(b, "action");
		json_builder_add_string_value(b, wag_vendor_action_name(job->action));
		json_builder_set_member_name(b, "group");
		json_builder_add_string_value(b, job->group);
		json_builder_set_member_name(b, "community");
		json_builder_add_boolean_value(b, job->community);
		if (job->reason) {
			json_builder_set_member_name(b, "reason");
			json_builder_add_string_value(b, job->reason);
		}
		json_builder_set_member_name(b, "total");
		json_builder_add_int_value(b, job->total);
		json_builder_set_member_name(b, "created");
		json_builder_add_int_value(b, job->created);
		if (job->paused_until || job->pauses) {
			json_builder_set_member_name(b, "paused_until");
			json_builder_add_int_value(b, job->paused_until);
			json_builder_set_member_name(b, "pauses");
			json_builder_add_int_value(b, job->pauses);
		}
		add_strs(b, "remaining", job->remaining);
		add_strs(b, "done", job->done);
		json_builder_set_member_name(b, "failed");
		json_builder_begin_array(b);
		for (guint i = 0; i < job->failed->len; i++) {
			WagJobFailure *f = job->failed->pdata[i];
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "id");
			json_builder_add_string_value(b, f->id);
			json_builder_set_member_name(b, "cause");
			json_builder_add_string_value(b, f->cause);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	g_object_unref(b);
	return root;
}

static void
read_strs(JsonObject *o, const char *name, GPtrArray *out)
{
	JsonArray *a = wag_json_arr(o, name);
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			g_ptr_array_add(out, g_strdup(json_node_get_string(n)));
	}
}

GPtrArray *
wag_jobs_from_json(JsonNode *node)
{
	GPtrArray *jobs = g_ptr_array_new_with_free_func((GDestroyNotify) wag_job_free);
	JsonArray *a = node && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;

	for (guint j = 0; a && j < json_array_get_length(a); j++) {
		JsonObject *o = wag_json_obj(json_array_get_element(a, j));
		const char *action = wag_json_str(o, "action");
		JsonArray *failed = wag_json_arr(o, "failed");
		WagJob *job;
		guint act = WAG_ACTION_LAST;

		for (guint k = 0; action && k < WAG_ACTION_LAST; k++)
			if (g_str_equal(action, wag_vendor_action_name(k)))
				act = k;
		if (!wag_json_str(o, "id") || !wag_json_str(o, "group") || act == WAG_ACTION_LAST)
			continue;
		job = job_alloc();
		job->id = g_strdup(wag_json_str(o, "id"));
		job->action = act;
		job->group = g_strdup(wag_json_str(o, "group"));
		job->community = wag_json_bool(o, "community", FALSE);
		job->reason = g_strdup(wag_json_str(o, "reason"));
		job->total = (guint) wag_json_int(o, "total", 0);
		job->created = wag_json_int(o, "created", 0);
		job->paused_until = wag_json_int(o, "paused_until", 0);
		job->pauses = (guint) CLAMP(wag_json_int(o, "pauses", 0), 0, 32);
		read_strs(o, "remaining", job->remaining);
		read_strs(o, "done", job->done);
		for (guint i = 0; failed && i < json_array_get_length(failed); i++) {
			JsonObject *f = wag_json_obj(json_array_get_element(failed, i));
			if (wag_json_str(f, "id"))
				wag_job_fail(job, wag_json_str(f, "id"), wag_json_str(f, "cause") ? wag_json_str(f, "cause") : "");
		}
		g_ptr_array_add(jobs, job);
	}
	return jobs;
}

guint
wag_job_batch_size(guint batch_max, guint per_minute)
{
	guint n;

	if (batch_max == 0)
		batch_max = 1;
	if (per_minute == 0)
		return batch_max;
	n = per_minute / 60;
	return MAX(1, MIN(batch_max, n));
}

guint
wag_job_pause_ms(guint n, guint per_minute)
{
	return per_minute == 0 ? 0 : (guint) ((guint64) n * 60000 / per_minute);
}
