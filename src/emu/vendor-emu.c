/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "vendor-emu-private.h"
#include <string.h>

static void
part_free(gpointer p)
{
	EmuPart *e = p;
	g_free(e->phone);
	g_free(e->role);
	g_free(e->name);
	g_free(e);
}

static void
group_free(gpointer p)
{
	EmuGroup *g = p;
	g_free(g->id);
	g_free(g->subject);
	g_free(g->community);
	emu_admin_group_clear(g);
	g_ptr_array_free(g->parts, TRUE);
	g_ptr_array_free(g->requests, TRUE);
	g_free(g);
}

static void
community_free(gpointer p)
{
	EmuCommunity *c = p;
	g_free(c->id);
	g_free(c->name);
	g_free(c->announcement);
	g_free(c);
}

static void
failure_free(gpointer p)
{
	EmuFailure *f = p;
	g_free(f->match);
	g_free(f->body);
	g_free(f);
}

static void
request_free(gpointer p)
{
	WagEmuRequest *r = p;
	g_free(r->method);
	g_free(r->path);
	g_free(r->query);
	g_free(r->body);
	g_free(r->content_type);
	g_free(r->client_token);
	g_free(r);
}

/* ---- server ---- */

typedef struct {
	WagEmu *emu;
	SoupServerMessage *msg;
	SoupServer *server;
	guint source;
} Delayed;

static void
delayed_free(Delayed *d)
{
	g_ptr_array_remove_fast(d->emu->delayed, d);
	soup_server_message_unpause(d->msg);
	g_object_unref(d->msg);
	g_object_unref(d->server);
	g_free(d);
}

static gboolean
unpause_later(gpointer data)
{
	Delayed *d = data;
	d->source = 0;
	delayed_free(d);
	return G_SOURCE_REMOVE;
}

static void
handler(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	WagEmu *emu = data;
	WagEmuRequest *rec = g_new0(WagEmuRequest, 1);
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	GUri *uri = soup_server_message_get_uri(msg);
	gpointer delay = NULL;

	if (g_str_equal(g_uri_get_path(soup_server_message_get_uri(msg)), "/__requests")) {
		/* For tests driving a real host in another process: what we received. */
		JsonArray *a = json_array_new();
		g_free(rec);
		for (guint i = 0; i < emu->requests->len; i++) {
			WagEmuRequest *r = emu->requests->pdata[i];
			JsonObject *o = json_object_new();
			json_object_set_string_member(o, "method", r->method);
			json_object_set_string_member(o, "path", r->path);
			json_object_set_string_member(o, "body", r->body ? r->body : "");
			json_object_set_string_member(o, "client_token", r->client_token ? r->client_token : "");
			json_array_add_object_element(a, o);
		}
		emu_reply_json(msg, 200, emu_arr_node(a));
		return;
	}
	rec->method = g_strdup(soup_server_message_get_method(msg));
	rec->path = g_strdup(g_uri_get_path(uri));
	rec->query = g_strdup(g_uri_get_query(uri));
	if (body && body->length)
		rec->body = g_strndup(body->data, body->length);
	rec->content_type = g_strdup(soup_message_headers_get_one(h, "Content-Type"));
	rec->client_token = g_strdup(soup_message_headers_get_one(h, "Client-Token"));
	rec->when = g_get_monotonic_time();
	g_ptr_array_add(emu->requests, rec);

	for (guint i = 0; i < emu->hangs->len; i++)
		if (strstr(rec->path, emu->hangs->pdata[i])) {
			soup_server_message_pause(msg);
			g_ptr_array_add(emu->hung, g_object_ref(msg));
			return;
		}
	for (guint i = 0; i < emu->failures->len; i++) {
		EmuFailure *f = emu->failures->pdata[i];
		if (strstr(rec->path, f->match)) {
			emu_reply_raw(msg, f->status, f->body);
			g_ptr_array_remove_index(emu->failures, i);
			emu_misbehave_after(emu, msg, rec);
			return;
		}
	}
	if (emu_misbehave_before(emu, msg, rec))
		return;
	if (emu_messages(emu, msg, rec))
		;
	else if (strcmp(emu->vendor, "zapi") == 0)
		emu_zapi(emu, msg, rec);
	else if (strcmp(emu->vendor, "greenapi") == 0)
		emu_green(emu, msg, rec);
	else
		emu_wawp(emu, msg, rec);
	emu_misbehave_after(emu, msg, rec);

	{
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, emu->delays);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (strstr(rec->path, k))
				delay = v;
	}
	if (delay) {
		Delayed *d = g_new0(Delayed, 1);
		d->emu = emu;
		d->msg = g_object_ref(msg);
		d->server = g_object_ref(server);
		soup_server_message_pause(msg);
		/* Kept, so that freeing the emulator ends it (no timer outlives it). */
		d->source = g_timeout_add(GPOINTER_TO_UINT(delay), unpause_later, d);
		g_ptr_array_add(emu->delayed, d);
	}
}

WagEmu *
wag_emu_new(const char *vendor, const char *instance, const char *token)
{
	WagEmu *emu = g_new0(WagEmu, 1);
	g_autoptr(GError) err = NULL;
	GSList *uris;

	emu->vendor = g_strdup(vendor);
	emu->instance = g_strdup(instance);
	emu->token = g_strdup(token);
	emu->state = g_strdup(strcmp(vendor, "zapi") == 0 ? "connected" :
	                      strcmp(vendor, "greenapi") == 0 ? "authorized" : "WORKING");
	emu->groups = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, group_free);
	emu->group_order = g_ptr_array_new();
	emu->communities = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, community_free);
	emu->community_order = g_ptr_array_new();
	emu->failures = g_ptr_array_new_with_free_func(failure_free);
	emu->hangs = g_ptr_array_new_with_free_func(g_free);
	emu->hung = g_ptr_array_new_with_free_func(g_object_unref);
	emu->delays = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	emu->requests = g_ptr_array_new_with_free_func(request_free);
	emu->bad = emu_misbehaviour_new();
	emu->delayed = g_ptr_array_new();
	emu->session_name = g_strdup("default");
	emu->participant_shape = g_strdup("v2");
	emu->privacy = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	emu->server = soup_server_new("server-header", "wag-emu", NULL);
	soup_server_add_handler(emu->server, NULL, handler, emu, NULL);
	if (!soup_server_listen_local(emu->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &err))
		g_error("emulator cannot listen: %s", err->message);
	uris = soup_server_get_uris(emu->server);
	emu->base = g_strdup_printf("http://127.0.0.1:%d", g_uri_get_port(uris->data));
	g_slist_free_full(uris, (GDestroyNotify) g_uri_unref);
	return emu;
}

void
wag_emu_free(WagEmu *emu)
{
	if (!emu)
		return;
	for (guint i = 0; i < emu->hung->len; i++)
		soup_server_message_unpause(emu->hung->pdata[i]);
	emu_misbehaviour_free(emu->bad);
	g_hash_table_destroy(emu->privacy);
	while (emu->delayed->len) {
		Delayed *d = emu->delayed->pdata[0];
		g_source_remove(d->source);
		delayed_free(d);
	}
	g_ptr_array_free(emu->delayed, TRUE);
	soup_server_disconnect(emu->server);
	g_object_unref(emu->server);
	g_free(emu->session_name);
	g_free(emu->participant_shape);
	g_free(emu->me_lid);
	g_ptr_array_free(emu->hung, TRUE);
	g_hash_table_destroy(emu->groups);
	g_ptr_array_free(emu->group_order, TRUE);
	g_hash_table_destroy(emu->communities);
	g_ptr_array_free(emu->community_order, TRUE);
	g_ptr_array_free(emu->failures, TRUE);
	g_ptr_array_free(emu->hangs, TRUE);
	g_hash_table_destroy(emu->delays);
	g_ptr_array_free(emu->requests, TRUE);
	g_free(emu->vendor);
	g_free(emu->instance);
	g_free(emu->token);
	g_free(emu->client_token);
	g_free(emu->state);
	g_free(emu->base);
	g_free(emu->me);
	g_free(emu);
}

const char *
wag_emu_base(WagEmu *emu)
{
	return emu->base;
}

void
wag_emu_require_client_token(WagEmu *emu, const char *client_token)
{
	g_free(emu->client_token);
	emu->client_token = g_strdup(client_token);
}

void
wag_emu_set_state(WagEmu *emu, const char *state)
{
	g_free(emu->state);
	emu->state = g_strdup(state);
}

void
wag_emu_set_me(WagEmu *emu, const char *phone)
{
	g_free(emu->me);
	emu->me = g_strdup(phone);
}

void
wag_emu_add_group(WagEmu *emu, const char *id, const char *subject)
{
	EmuGroup *g = g_new0(EmuGroup, 1);
	g->id = g_strdup(id);
	g->subject = g_strdup(subject);
	g->parts = g_ptr_array_new_with_free_func(part_free);
	g->requests = g_ptr_array_new_with_free_func(g_free);
	emu_admin_group_init(g);
	g_hash_table_insert(emu->groups, g->id, g);
	g_ptr_array_add(emu->group_order, g->id);
}

void
wag_emu_add_participant(WagEmu *emu, const char *group, const char *phone, const char *role)
{
	EmuGroup *g = g_hash_table_lookup(emu->groups, group);
	EmuPart *p = g_new0(EmuPart, 1);
	g_assert_nonnull(g);
	p->phone = g_strdup(phone);
	p->role = g_strdup(role);
	g_ptr_array_add(g->parts, p);
}

void
wag_emu_add_request(WagEmu *emu, const char *group, const char *phone)
{
	EmuGroup *g = g_hash_table_lookup(emu->groups, group);
	g_assert_nonnull(g);
	g_ptr_array_add(g->requests, g_strdup(phone));
}

void
wag_emu_add_community(WagEmu *emu, const char *id, const char *name, const char *announcement_group)
{
	EmuCommunity *c = g_new0(EmuCommunity, 1);
	EmuGroup *g;
	c->id = g_strdup(id);
	c->name = g_strdup(name);
	c->announcement = g_strdup(announcement_group);
	g_hash_table_insert(emu->communities, c->id, c);
	g_ptr_array_add(emu->community_order, c->id);
	wag_emu_add_group(emu, announcement_group, name);
	g = g_hash_table_lookup(emu->groups, announcement_group);
	g->announcement = TRUE;
	g->community = g_strdup(id);
}

void
wag_emu_link(WagEmu *emu, const char *community, const char *group)
{
	EmuGroup *g = g_hash_table_lookup(emu->groups, group);
	g_assert_nonnull(g);
	g_free(g->community);
	g->community = g_strdup(community);
}

gboolean
wag_emu_has_participant(WagEmu *emu, const char *group, const char *phone)
{
	return emu_find_part(g_hash_table_lookup(emu->groups, group), phone) != NULL;
}

void
wag_emu_remove_participant(WagEmu *emu, const char *group, const char *phone)
{
	g_assert_true(emu_remove_part(g_hash_table_lookup(emu->groups, group), phone));
}

void
wag_emu_set_role(WagEmu *emu, const char *group, const char *phone, const char *role)
{
	EmuPart *p = emu_find_part(g_hash_table_lookup(emu->groups, group), phone);
	g_assert_nonnull(p);
	g_free(p->role);
	p->role = g_strdup(role);
}

void
wag_emu_fail_next(WagEmu *emu, const char *match, guint status, const char *body)
{
	EmuFailure *f = g_new0(EmuFailure, 1);
	f->match = g_strdup(match);
	f->status = status;
	f->body = g_strdup(body);
	g_ptr_array_add(emu->failures, f);
}

void
wag_emu_hang(WagEmu *emu, const char *match)
{
	g_ptr_array_add(emu->hangs, g_strdup(match));
}

void
wag_emu_delay(WagEmu *emu, const char *match, guint ms)
{
	g_hash_table_replace(emu->delays, g_strdup(match), GUINT_TO_POINTER(ms));
}

GPtrArray *
wag_emu_requests(WagEmu *emu)
{
	return emu->requests;
}

static gboolean
matches(WagEmuRequest *r, const char *method, const char *match)
{
	return (!method || strcmp(r->method, method) == 0) && strstr(r->path, match);
}

guint
wag_emu_count(WagEmu *emu, const char *method, const char *match)
{
	guint n = 0;
	for (guint i = 0; i < emu->requests->len; i++)
		n += matches(emu->requests->pdata[i], method, match);
	return n;
}

WagEmuRequest *
wag_emu_last(WagEmu *emu, const char *method, const char *match)
{
	for (guint i = emu->requests->len; i > 0; i--)
		if (matches(emu->requests->pdata[i - 1], method, match))
			return emu->requests->pdata[i - 1];
	return NULL;
}

void
wag_emu_ignore_page(WagEmu *emu, gboolean ignore)
{
	emu->ignore_page = ignore;
}

void
wag_emu_set_session_name(WagEmu *emu, const char *name)
{
	g_free(emu->session_name);
	emu->session_name = g_strdup(name);
}

void
wag_emu_set_me_lid(WagEmu *emu, const char *lid)
{
	g_free(emu->me_lid);
	emu->me_lid = g_strdup(lid);
}

void
wag_emu_set_participant_shape(WagEmu *emu, const char *shape)
{
	g_free(emu->participant_shape);
	emu->participant_shape = g_strdup(shape);
}

void
wag_emu_add_contacts(WagEmu *emu, guint n)
{
	emu->extra_contacts += n;
}

void
wag_emu_set_name(WagEmu *emu, const char *group, const char *phone, const char *name)
{
	EmuPart *p = emu_find_part(g_hash_table_lookup(emu->groups, group), phone);
	g_assert_nonnull(p);
	g_free(p->name);
	p->name = g_strdup(name);
}
