/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
/* The event schema, applying events to the model (once, idempotently), and
 * bulk jobs: their disk form and their drip pacing. */
#include "wag-event.h"
#include "wag-job.h"
#include "wag-json.h"
#include <string.h>

static WagModel *
small_model(void)
{
	WagModel *m = wag_model_new();
	WagGroup *g = wag_model_take(m, wag_group_new("120363019502650977-group", "Vila"));
	WagGroup *c = wag_model_take(m, wag_group_new("98372465382764532938", "Solar"));

	c->is_community = TRUE;
	wag_group_add_participant(g, "5511999999999", WAG_ROLE_OWNER);
	wag_group_add_participant(g, "5544999999999", WAG_ROLE_MEMBER);
	g->roster_loaded = TRUE;
	return m;
}

static WagEvent *
event(WagEventKind kind, const char *group, const char *who)
{
	WagEvent *e = wag_event_new(kind, group);
	g_ptr_array_add(e->participants, g_strdup(who));
	return e;
}

static void
test_schema_roundtrip(void)
{
	const char *json = "{\"id\": 42, \"vendor\": \"zapi\", \"instance\": \"3C5A\", \"group\": \"120363019502650977-group\","
	                   " \"kind\": \"participant_removed\", \"participants\": [\"5544999999999\"],"
	                   " \"actor\": \"5511999999999\", \"at\": 1732300000000}";
	g_autoptr(JsonNode) n = wag_json_parse(json, strlen(json), NULL);
	g_autoptr(WagEvent) e = wag_event_from_json(n, NULL);
	g_autoptr(JsonNode) back = NULL;
	g_autofree char *text = NULL;

	g_assert_nonnull(e);
	g_assert_cmpint(e->id, ==, 42);
	g_assert_cmpint(e->kind, ==, WAG_EVENT_REMOVED);
	g_assert_cmpstr(e->actor, ==, "5511999999999");
	g_assert_cmpint(e->at, ==, 1732300000000);
	back = wag_event_to_json(e);
	text = json_to_string(back, FALSE);
	g_assert_cmpstr(text, ==, "{\"id\":42,\"vendor\":\"zapi\",\"instance\":\"3C5A\",\"group\":\"120363019502650977-group\","
	                "\"kind\":\"participant_removed\",\"participants\":[\"5544999999999\"],\"actor\":\"5511999999999\","
	                "\"at\":1732300000000}");
	for (guint k = 0; k < WAG_EVENT_LAST; k++) {
		WagEventKind out;
		g_assert_true(wag_event_kind_from_name(wag_event_kind_name(k), &out));
		g_assert_cmpint(out, ==, k);
	}
}

static void
test_schema_garbage(void)
{
	static const char *const bad[] = {
		"[]", "{}", "{\"group\": \"g\", \"kind\": \"participant_exploded\", \"participants\": []}",
		"{\"group\": \"g\", \"kind\": \"participant_added\"}", "{\"kind\": \"participant_added\", \"participants\": []}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(JsonNode) n = wag_json_parse(bad[i], strlen(bad[i]), NULL);
		g_autoptr(GError) err = NULL;
		g_assert_null(wag_event_from_json(n, &err));
		g_assert_nonnull(err);
	}
}

static void
test_apply_once(void)
{
	WagModel *m = small_model();
	WagGroup *g = wag_model_lookup(m, "120363019502650977-group");
	g_autoptr(WagEvent) add = event(WAG_EVENT_ADDED, g->id, "5544988888888");
	g_autoptr(WagEvent) promote = event(WAG_EVENT_PROMOTED, g->id, "5544988888888");
	g_autoptr(WagEvent) demote_owner = event(WAG_EVENT_DEMOTED, g->id, "5511999999999");
	g_autoptr(WagEvent) remove = event(WAG_EVENT_REMOVED, g->id, "5544999999999");
	g_autoptr(WagEvent) unknown = event(WAG_EVENT_ADDED, "nope-group", "5544988888888");

	g_assert_true(wag_model_apply(m, add));
	g_assert_false(wag_model_apply(m, add)); /* an echo changes nothing */
	g_assert_true(wag_model_apply(m, promote));
	g_assert_cmpint(((WagParticipant *) g_hash_table_lookup(g->participants, "5544988888888"))->role, ==, WAG_ROLE_ADMIN);
	g_assert_false(wag_model_apply(m, demote_owner)); /* the owner stays the owner */
	g_assert_true(wag_model_apply(m, remove));
	g_assert_false(wag_model_apply(m, remove));
	g_assert_false(wag_model_apply(m, unknown));
	g_assert_cmpuint(g_hash_table_size(g->participants), ==, 2);
	wag_model_free(m);
}

static void
test_apply_requests_and_links(void)
{
	WagModel *m = small_model();
	WagGroup *g = wag_model_lookup(m, "120363019502650977-group");
	WagGroup *c = wag_model_lookup(m, "98372465382764532938");
	g_autoptr(WagEvent) req = event(WAG_EVENT_JOIN_REQUESTED, g->id, "5544911111111");
	g_autoptr(WagEvent) req2 = event(WAG_EVENT_JOIN_REQUESTED, g->id, "5544922222222");
	g_autoptr(WagEvent) revoke = event(WAG_EVENT_JOIN_REVOKED, g->id, "5544911111111");
	g_autoptr(WagEvent) approved = event(WAG_EVENT_ADDED, g->id, "5544922222222");
	g_autoptr(WagEvent) link = event(WAG_EVENT_LINKED, c->id, g->id);
	g_autoptr(WagEvent) unlink = event(WAG_EVENT_UNLINKED, c->id, g->id);

	g_assert_true(wag_model_apply(m, req));
	g_assert_false(wag_model_apply(m, req));
	g_assert_true(wag_model_apply(m, req2));
	g_assert_cmpuint(g->pending->len, ==, 2);
	g_assert_true(wag_model_apply(m, revoke));
	g_assert_true(wag_model_apply(m, approved)); /* joining ends the request */
	g_assert_cmpuint(g->pending->len, ==, 0);

	g_assert_true(wag_model_apply(m, link));
	g_assert_cmpstr(g->community_id, ==, c->id);
	g_assert_cmpuint(c->subgroups->len, ==, 1);
	g_assert_false(wag_model_apply(m, link));
	g_assert_true(wag_model_apply(m, unlink));
	g_assert_null(g->community_id);
	g_assert_cmpuint(c->subgroups->len, ==, 0);
	wag_model_free(m);
}

static void
test_relink(void)
{
	WagModel *m = small_model();
	WagGroup *c = wag_model_lookup(m, "98372465382764532938");
	WagGroup *g = wag_model_lookup(m, "120363019502650977-group");

	g_ptr_array_add(c->subgroups, g_strdup("120363099999999999-group"));
	g_ptr_array_add(c->subgroups, g_strdup(g->id));
	c->announcement_id = g_strdup("120363099999999999-group");
	wag_model_relink(m, c);
	g_assert_cmpstr(g->community_id, ==, c->id);
	g_assert_true(wag_model_lookup(m, "120363099999999999-group")->is_announcement);
	/* Read again without g: g is no longer linked, and nothing is listed twice. */
	g_ptr_array_set_size(c->subgroups, 0);
	g_ptr_array_add(c->subgroups, g_strdup("120363099999999999-group"));
	wag_model_relink(m, c);
	g_assert_null(g->community_id);
	g_assert_cmpuint(c->subgroups->len, ==, 1);
	wag_model_free(m);
}

static void
test_job_roundtrip(void)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func((GDestroyNotify) wag_job_free);
	g_autoptr(GPtrArray) back = NULL;
	g_autoptr(JsonNode) node = NULL;
	WagJob *job, *j2;

	for (int i = 0; i < 5; i++)
		g_ptr_array_add(ids, g_strdup_printf("554490000000%d", i));
	job = wag_job_new(WAG_ACTION_REMOVE, "120363019502650977-group", FALSE, "spam", ids);
	wag_job_complete(job, 2);
	wag_job_fail(job, "5544900000002", "Z-API: bad request data (400): Invalid phone");
	g_ptr_array_add(jobs, job);
	node = wag_jobs_to_json(jobs);
	back = wag_jobs_from_json(node);
	g_assert_cmpuint(back->len, ==, 1);
	j2 = back->pdata[0];
	g_assert_cmpstr(j2->id, ==, job->id);
	g_assert_cmpint(j2->action, ==, WAG_ACTION_REMOVE);
	g_assert_cmpstr(j2->reason, ==, "spam");
	g_assert_cmpuint(j2->total, ==, 5);
	g_assert_cmpuint(j2->done->len, ==, 2);
	g_assert_cmpuint(j2->remaining->len, ==, 2);
	g_assert_cmpstr(j2->remaining->pdata[0], ==, "5544900000003");
	g_assert_cmpuint(j2->failed->len, ==, 1);
	g_assert_cmpstr(((WagJobFailure *) j2->failed->pdata[0])->cause, ==, "Z-API: bad request data (400): Invalid phone");
	/* A damaged file loses the damaged entries only. */
	{
		const char *text = "[{\"id\": \"x\", \"action\": \"explode\", \"group\": \"g\"}, {\"id\": \"y\", \"action\": \"leave\", \"group\": \"g\"}, 7]";
		g_autoptr(JsonNode) n = wag_json_parse(text, strlen(text), NULL);
		g_autoptr(GPtrArray) some = wag_jobs_from_json(n);
		g_assert_cmpuint(some->len, ==, 1);
		g_assert_cmpint(((WagJob *) some->pdata[0])->action, ==, WAG_ACTION_LEAVE);
	}
}

static void
test_pacing(void)
{
	/* The default 10 a minute: one phone every 6 s whatever the vendor. */
	g_assert_cmpuint(wag_job_batch_size(50, 10), ==, 1);
	g_assert_cmpuint(wag_job_pause_ms(1, 10), ==, 6000);
	/* 600 a minute: Z-API batches 10 a second; Green API one per 100 ms. */
	g_assert_cmpuint(wag_job_batch_size(50, 600), ==, 10);
	g_assert_cmpuint(wag_job_pause_ms(10, 600), ==, 1000);
	g_assert_cmpuint(wag_job_batch_size(1, 600), ==, 1);
	g_assert_cmpuint(wag_job_pause_ms(1, 600), ==, 100);
	/* No limit: the vendor's largest batch, no pause. */
	g_assert_cmpuint(wag_job_batch_size(50, 0), ==, 50);
	g_assert_cmpuint(wag_job_pause_ms(50, 0), ==, 0);
	/* Never more than a minute's worth in any minute. */
	for (guint rate = 1; rate <= 1200; rate += 7)
		for (guint max = 1; max <= 60; max += 11) {
			guint n = wag_job_batch_size(max, rate);
			g_assert_cmpuint(n, >=, 1);
			g_assert_cmpuint(n, <=, max);
			g_assert_cmpuint((guint64) n * 60000 / MAX(wag_job_pause_ms(n, rate), 1), <=, (guint64) rate * 1000 + 1000);
		}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/event/schema-roundtrip", test_schema_roundtrip);
	g_test_add_func("/core/event/schema-garbage", test_schema_garbage);
	g_test_add_func("/core/model/apply-once", test_apply_once);
	g_test_add_func("/core/model/requests-and-links", test_apply_requests_and_links);
	g_test_add_func("/core/model/relink", test_relink);
	g_test_add_func("/core/job/roundtrip", test_job_roundtrip);
	g_test_add_func("/core/job/pacing", test_pacing);
	return g_test_run();
}
