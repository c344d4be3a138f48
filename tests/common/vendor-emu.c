#include "vendor-emu-private.h"
#include <string.h>

static void
part_free(gpointer p)
{
	EmuPart *e = p;
	g_free(e->phone);
	g_free(e->role);
	g_free(e);
}

static void
group_free(gpointer p)
{
	EmuGroup *g = p;
	g_free(g->id);
	g_free(g->subject);
	g_free(g->community);
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

/* ---- replies ---- */

static void
reply_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	g_autofree char *text = json_to_string(node, FALSE);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, text, strlen(text));
	json_node_unref(node);
}

static void
reply_raw(SoupServerMessage *msg, guint status, const char *body)
{
	soup_server_message_set_status(msg, status, NULL);
	if (body)
		soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, body, strlen(body));
}

static JsonNode *
obj_node(JsonObject *o)
{
	JsonNode *n = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(n, o);
	return n;
}

static JsonNode *
arr_node(JsonArray *a)
{
	JsonNode *n = json_node_new(JSON_NODE_ARRAY);
	json_node_take_array(n, a);
	return n;
}

static void
reply_flag(SoupServerMessage *msg, const char *flag, gboolean value)
{
	JsonObject *o = json_object_new();
	json_object_set_boolean_member(o, flag, value);
	reply_json(msg, 200, obj_node(o));
}

static void
reply_error(SoupServerMessage *msg, guint status, const char *text)
{
	JsonObject *o = json_object_new();
	json_object_set_string_member(o, "error", text);
	reply_json(msg, status, obj_node(o));
}

/* ---- state helpers ---- */

static EmuPart *
find_part(EmuGroup *g, const char *phone)
{
	for (guint i = 0; g && i < g->parts->len; i++) {
		EmuPart *p = g->parts->pdata[i];
		if (strcmp(p->phone, phone) == 0)
			return p;
	}
	return NULL;
}

static gboolean
remove_part(EmuGroup *g, const char *phone)
{
	EmuPart *p = find_part(g, phone);
	return p && g_ptr_array_remove(g->parts, p);
}

static gboolean
take_request(EmuGroup *g, const char *phone)
{
	guint idx;
	if (!g || !g_ptr_array_find_with_equal_func(g->requests, phone, g_str_equal, &idx))
		return FALSE;
	g_ptr_array_remove_index(g->requests, idx);
	return TRUE;
}

/* digits from "5511...@c.us" or "5511..." */
static char *
digits_of(const char *id)
{
	const char *at = strchr(id, '@');
	return at && strcmp(at, "@lid") != 0 ? g_strndup(id, at - id) : g_strdup(id);
}

static JsonObject *
parse_body(SoupServerMessage *msg, WagEmuRequest *rec)
{
	JsonParser *p;
	JsonObject *o = NULL;

	if (!rec->body)
		return NULL;
	p = json_parser_new();
	if (json_parser_load_from_data(p, rec->body, -1, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
		o = json_object_ref(json_node_get_object(json_parser_get_root(p)));
	g_object_unref(p);
	return o;
}

/* POSTs need JSON with its content type, as the vendors enforce. */
static JsonObject *
require_json(SoupServerMessage *msg, WagEmuRequest *rec, guint bad_status, const char *bad_text)
{
	JsonObject *o;
	if (!rec->content_type || !g_str_has_prefix(rec->content_type, "application/json")) {
		reply_error(msg, 415, "Unsupported Media Type");
		return NULL;
	}
	o = parse_body(msg, rec);
	if (!o)
		reply_error(msg, bad_status, bad_text);
	return o;
}

/* ---- Z-API ---- */

static JsonArray *
zapi_participants(EmuGroup *g)
{
	JsonArray *a = json_array_new();
	for (guint i = 0; i < g->parts->len; i++) {
		EmuPart *p = g->parts->pdata[i];
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "phone", p->phone);
		/* Z-API writes some booleans as strings. */
		json_object_set_string_member(o, "isAdmin", strcmp(p->role, "member") ? "true" : "false");
		json_object_set_boolean_member(o, "isSuperAdmin", strcmp(p->role, "superadmin") == 0);
		json_array_add_object_element(a, o);
	}
	return a;
}

static const char *
owner_of(EmuGroup *g)
{
	for (guint i = 0; i < g->parts->len; i++) {
		EmuPart *p = g->parts->pdata[i];
		if (strcmp(p->role, "superadmin") == 0)
			return p->phone;
	}
	return NULL;
}

static void
zapi_phones_action(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec, const char *what)
{
	g_autoptr(JsonObject) o = require_json(msg, rec, 400, "Invalid body");
	const char *gid;
	JsonArray *phones;
	EmuGroup *g;

	if (!o)
		return;
	gid = json_object_has_member(o, "groupId") ? json_object_get_string_member(o, "groupId") : NULL;
	phones = json_object_has_member(o, "phones") ? json_object_get_array_member(o, "phones") : NULL;
	if (!gid && strcmp(what, "remove") == 0 && json_object_has_member(o, "communityId")) {
		EmuCommunity *c = g_hash_table_lookup(emu->communities, json_object_get_string_member(o, "communityId"));
		gid = c ? c->announcement : NULL;
		if (!c) {
			reply_flag(msg, "value", FALSE);
			return;
		}
	}
	g = gid ? g_hash_table_lookup(emu->groups, gid) : NULL;
	if (!phones || !gid) {
		reply_error(msg, 400, "null not allowed");
		return;
	}
	if (!g) {
		reply_flag(msg, "value", FALSE);
		return;
	}
	for (guint i = 0; i < json_array_get_length(phones); i++) {
		const char *ph = json_array_get_string_element(phones, i);
		if (!ph || !g_ascii_isdigit(*ph)) {
			reply_error(msg, 400, "Invalid phone");
			return;
		}
	}
	for (guint i = 0; i < json_array_get_length(phones); i++) {
		const char *ph = json_array_get_string_element(phones, i);
		if (strcmp(what, "remove") == 0) {
			remove_part(g, ph);
			/* community removal: out of every linked group too */
			if (g->announcement) {
				GHashTableIter it;
				gpointer v;
				g_hash_table_iter_init(&it, emu->groups);
				while (g_hash_table_iter_next(&it, NULL, &v))
					if (g_strcmp0(((EmuGroup *) v)->community, g->community) == 0)
						remove_part(v, ph);
			}
		} else if (take_request(g, ph) && strcmp(what, "approve") == 0) {
			EmuPart *p = g_new0(EmuPart, 1);
			p->phone = g_strdup(ph);
			p->role = g_strdup("member");
			g_ptr_array_add(g->parts, p);
		}
	}
	reply_flag(msg, "value", TRUE);
}

static void
zapi(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	g_autofree char *prefix = g_strdup_printf("/instances/%s/token/", emu->instance);
	const char *rest, *op;
	const char *method = rec->method;

	if (!g_str_has_prefix(rec->path, prefix)) {
		reply_error(msg, 404, "Instance not found");
		return;
	}
	rest = rec->path + strlen(prefix);
	if (!g_str_has_prefix(rest, emu->token) || rest[strlen(emu->token)] != '/') {
		/* Z-API documents no status code for a bad token: this is our guess. */
		reply_error(msg, 400, "Instance not found");
		return;
	}
	op = rest + strlen(emu->token) + 1;
	if (emu->client_token && g_strcmp0(rec->client_token, emu->client_token) != 0) {
		reply_error(msg, 400, "null not allowed");
		return;
	}
#define WANT(m) if (strcmp(method, m) != 0) { reply_error(msg, 405, "Method Not Allowed"); return; }
	if (strcmp(op, "status") == 0) {
		JsonObject *o = json_object_new();
		WANT("GET");
		gboolean ok = strcmp(emu->state, "connected") == 0;
		json_object_set_boolean_member(o, "connected", ok);
		json_object_set_string_member(o, "error", ok ? "" : strcmp(emu->state, "restore") == 0 ?
		                              "You need to restore the session." : "You are not connected.");
		json_object_set_boolean_member(o, "smartphoneConnected", ok);
		reply_json(msg, 200, obj_node(o));
	} else if (strcmp(op, "device") == 0) {
		JsonObject *o;
		WANT("GET");
		if (!emu->me) {
			reply_error(msg, 404, "Not Found");
			return;
		}
		o = json_object_new();
		json_object_set_string_member(o, "phone", emu->me);
		json_object_set_string_member(o, "name", "Administração");
		reply_json(msg, 200, obj_node(o));
	} else if (strcmp(op, "groups") == 0 || strcmp(op, "communities") == 0) {
		gboolean groups = strcmp(op, "groups") == 0;
		GPtrArray *order = groups ? emu->group_order : emu->community_order;
		GUri *uri = soup_server_message_get_uri(msg);
		g_autoptr(GHashTable) q = g_uri_parse_params(g_uri_get_query(uri) ? g_uri_get_query(uri) : "", -1, "&", G_URI_PARAMS_NONE, NULL);
		guint page = q && g_hash_table_lookup(q, "page") && !emu->ignore_page ?
		             atoi(g_hash_table_lookup(q, "page")) : 1;
		guint size = q && g_hash_table_lookup(q, "pageSize") ? atoi(g_hash_table_lookup(q, "pageSize")) : 100;
		JsonArray *a = json_array_new();
		WANT("GET");
		for (guint i = (page - 1) * size; page >= 1 && i < order->len && i < page * size; i++) {
			JsonObject *o = json_object_new();
			if (groups) {
				EmuGroup *g = g_hash_table_lookup(emu->groups, order->pdata[i]);
				json_object_set_boolean_member(o, "isGroup", TRUE);
				json_object_set_string_member(o, "name", g->subject);
				json_object_set_string_member(o, "phone", g->id);
				json_object_set_string_member(o, "unread", "0");
			} else {
				EmuCommunity *c = g_hash_table_lookup(emu->communities, order->pdata[i]);
				json_object_set_string_member(o, "name", c->name);
				json_object_set_string_member(o, "id", c->id);
			}
			json_array_add_object_element(a, o);
		}
		reply_json(msg, 200, arr_node(a));
	} else if (g_str_has_prefix(op, "communities-metadata/")) {
		EmuCommunity *c = g_hash_table_lookup(emu->communities, op + strlen("communities-metadata/"));
		JsonObject *o;
		JsonArray *subs;
		WANT("GET");
		if (!c) {
			reply_error(msg, 404, "Community not found");
			return;
		}
		o = json_object_new();
		subs = json_array_new();
		json_object_set_string_member(o, "name", c->name);
		json_object_set_string_member(o, "id", c->id);
		json_object_set_string_member(o, "description", "");
		for (guint i = 0; i < emu->group_order->len; i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
			JsonObject *s;
			if (g_strcmp0(g->community, c->id) != 0)
				continue;
			s = json_object_new();
			json_object_set_string_member(s, "name", g->subject);
			json_object_set_string_member(s, "phone", g->id);
			json_object_set_boolean_member(s, "isGroupAnnouncement", g->announcement);
			json_array_add_object_element(subs, s);
		}
		json_object_set_array_member(o, "subGroups", subs);
		reply_json(msg, 200, obj_node(o));
	} else if (g_str_has_prefix(op, "light-group-metadata/") || g_str_has_prefix(op, "group-metadata/")) {
		EmuGroup *g = g_hash_table_lookup(emu->groups, strchr(op, '/') + 1);
		JsonObject *o;
		WANT("GET");
		if (!g) {
			reply_error(msg, 404, "Group not found");
			return;
		}
		o = json_object_new();
		json_object_set_string_member(o, "phone", g->id);
		json_object_set_string_member(o, "owner", owner_of(g) ? owner_of(g) : "");
		json_object_set_string_member(o, "subject", g->subject);
		if (g->community)
			json_object_set_string_member(o, "communityId", g->community);
		else
			json_object_set_null_member(o, "communityId");
		json_object_set_boolean_member(o, "requireAdminApproval", g->requests->len > 0);
		json_object_set_array_member(o, "participants", zapi_participants(g));
		reply_json(msg, 200, obj_node(o));
	} else if (strcmp(op, "remove-participant") == 0) {
		WANT("POST");
		zapi_phones_action(emu, msg, rec, "remove");
	} else if (strcmp(op, "approve-participant") == 0) {
		WANT("POST");
		zapi_phones_action(emu, msg, rec, "approve");
	} else if (strcmp(op, "reject-participant") == 0) {
		WANT("POST");
		zapi_phones_action(emu, msg, rec, "reject");
	} else if (strcmp(op, "leave-group") == 0) {
		g_autoptr(JsonObject) o = NULL;
		WANT("POST");
		o = require_json(msg, rec, 400, "null not allowed");
		if (o)
			reply_flag(msg, "value", json_object_has_member(o, "groupId") &&
			           g_hash_table_contains(emu->groups, json_object_get_string_member(o, "groupId")));
	} else if (strcmp(op, "communities/unlink") == 0 || strcmp(op, "communities/link") == 0) {
		g_autoptr(JsonObject) o = NULL;
		EmuCommunity *c;
		JsonArray *a;
		WANT("POST");
		o = require_json(msg, rec, 400, "null not allowed");
		if (!o)
			return;
		c = json_object_has_member(o, "communityId") ?
			g_hash_table_lookup(emu->communities, json_object_get_string_member(o, "communityId")) : NULL;
		a = json_object_has_member(o, "groupsPhones") ? json_object_get_array_member(o, "groupsPhones") : NULL;
		if (!c || !a) {
			reply_flag(msg, "success", FALSE);
			return;
		}
		for (guint i = 0; i < json_array_get_length(a); i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, json_array_get_string_element(a, i));
			if (!g)
				continue;
			g_free(g->community);
			g->community = strcmp(op, "communities/link") == 0 ? g_strdup(c->id) : NULL;
		}
		reply_flag(msg, "success", TRUE);
	} else {
		reply_error(msg, 404, "Not Found");
	}
#undef WANT
}

/* ---- Green API ---- */

static void
green(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	g_auto(GStrv) parts = g_strsplit(rec->path, "/", -1);
	g_autofree char *want_inst = g_strdup_printf("waInstance%s", emu->instance);
	const char *op;
	gboolean authorized = strcmp(emu->state, "authorized") == 0 || strcmp(emu->state, "yellowCard") == 0;

	/* "", "waInstanceX", "method", "token" */
	if (g_strv_length(parts) != 4 || strcmp(parts[1], want_inst) != 0) {
		reply_raw(msg, 403, NULL);
		return;
	}
	if (strcmp(parts[3], emu->token) != 0) {
		reply_raw(msg, 401, NULL);
		return;
	}
	op = parts[2];
	if (strcmp(op, "getStateInstance") == 0) {
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "stateInstance", emu->state);
		reply_json(msg, 200, obj_node(o));
		return;
	}
	if (strcmp(op, "getWaSettings") == 0) {
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "avatar", "");
		if (emu->me)
			json_object_set_string_member(o, "phone", emu->me);
		json_object_set_string_member(o, "stateInstance", emu->state);
		reply_json(msg, 200, obj_node(o));
		return;
	}
	if (!authorized) {
		reply_error(msg, 400, strcmp(emu->state, "starting") == 0 ?
		            "instance in starting process try later" : "instance account not authorized");
		return;
	}
	if (strcmp(op, "getContacts") == 0) {
		JsonArray *a = json_array_new();
		JsonObject *person = json_object_new();
		json_object_set_string_member(person, "id", "79001234567@c.us");
		json_object_set_string_member(person, "name", "A person");
		json_object_set_string_member(person, "type", "user");
		json_array_add_object_element(a, person);
		for (guint i = 0; i < emu->group_order->len; i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
			JsonObject *o = json_object_new();
			json_object_set_string_member(o, "id", g->id);
			json_object_set_string_member(o, "name", g->subject);
			json_object_set_string_member(o, "type", "group");
			json_array_add_object_element(a, o);
		}
		reply_json(msg, 200, arr_node(a));
	} else if (strcmp(op, "getGroupData") == 0 || strcmp(op, "removeGroupParticipant") == 0 ||
	           strcmp(op, "leaveGroup") == 0) {
		g_autoptr(JsonObject) o = NULL;
		EmuGroup *g;
		if (strcmp(rec->method, "POST") != 0) {
			reply_raw(msg, 405, NULL);
			return;
		}
		o = require_json(msg, rec, 400, "bad request data");
		if (!o)
			return;
		g = json_object_has_member(o, "groupId") ?
			g_hash_table_lookup(emu->groups, json_object_get_string_member(o, "groupId")) : NULL;
		if (strcmp(op, "getGroupData") == 0) {
			JsonObject *r;
			JsonArray *a;
			if (!g) {
				reply_error(msg, 400, "bad request data");
				return;
			}
			r = json_object_new();
			a = json_array_new();
			json_object_set_string_member(r, "groupId", g->id);
			if (owner_of(g)) {
				g_autofree char *owner = g_strconcat(owner_of(g), "@c.us", NULL);
				json_object_set_string_member(r, "owner", owner);
			}
			json_object_set_string_member(r, "subject", g->subject);
			json_object_set_int_member(r, "creation", 1587570015);
			for (guint i = 0; i < g->parts->len; i++) {
				EmuPart *p = g->parts->pdata[i];
				JsonObject *po = json_object_new();
				g_autofree char *id = g_strconcat(p->phone, "@c.us", NULL);
				json_object_set_string_member(po, "id", id);
				json_object_set_boolean_member(po, "isAdmin", strcmp(p->role, "member") != 0);
				json_object_set_boolean_member(po, "isSuperAdmin", strcmp(p->role, "superadmin") == 0);
				json_array_add_object_element(a, po);
			}
			json_object_set_array_member(r, "participants", a);
			reply_json(msg, 200, obj_node(r));
		} else if (strcmp(op, "removeGroupParticipant") == 0) {
			const char *chat = json_object_has_member(o, "participantChatId") ?
				json_object_get_string_member(o, "participantChatId") : NULL;
			g_autofree char *ph = chat ? digits_of(chat) : NULL;
			if (!g || !ph) {
				reply_error(msg, 400, "bad request data");
				return;
			}
			reply_flag(msg, "removeParticipant", remove_part(g, ph));
		} else {
			reply_flag(msg, "leaveGroup", g != NULL);
		}
	} else {
		reply_raw(msg, 404, NULL);
	}
}

/* ---- Wawp (WAHA) ---- */

static void
wawp_error(SoupServerMessage *msg, guint status, const char *error, const char *message)
{
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, "status", status);
	json_object_set_string_member(o, "message", message);
	json_object_set_string_member(o, "error", error);
	reply_json(msg, status, obj_node(o));
}

/* One roster entry in the shape the test asked for (each documented). */
static void
wawp_participant(WagEmu *emu, JsonObject *o, const char *id, const char *role)
{
	const char *shape = emu->participant_shape;
	gboolean super = strcmp(role, "superadmin") == 0;
	gboolean admin = super || strcmp(role, "admin") == 0;

	if (strcmp(shape, "webjs") == 0) {
		/* whatsapp-web.js GroupParticipant: id is a ContactId. */
		JsonObject *cid = json_object_new();
		g_autofree char *user = g_strndup(id, strchr(id, '@') - id);
		json_object_set_string_member(cid, "server", strchr(id, '@') + 1);
		json_object_set_string_member(cid, "user", user);
		json_object_set_string_member(cid, "_serialized", id);
		json_object_set_object_member(o, "id", cid);
	} else {
		json_object_set_string_member(o, "id", id);
	}
	if (strcmp(shape, "wawp") == 0 || strcmp(shape, "webjs") == 0) {
		/* Wawp's page: every participant carries isAdmin and isSuperAdmin. */
		json_object_set_boolean_member(o, "isAdmin", admin);
		json_object_set_boolean_member(o, "isSuperAdmin", super);
	} else if (strcmp(shape, "noweb") == 0) {
		/* Baileys: admin is "admin", "superadmin" or null. */
		if (admin)
			json_object_set_string_member(o, "admin", super ? "superadmin" : "admin");
		else
			json_object_set_null_member(o, "admin");
	} else {
		json_object_set_string_member(o, "role", role);
	}
}

static void
wawp(WagEmu *emu, SoupServerMessage *msg, WagEmuRequest *rec)
{
	g_autoptr(GHashTable) q = rec->query ? g_uri_parse_params(rec->query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
	const char *inst = q ? g_hash_table_lookup(q, "instance_id") : NULL;
	const char *tok = q ? g_hash_table_lookup(q, "access_token") : NULL;
	g_autoptr(JsonObject) body = parse_body(msg, rec);
	const char *p;

	if (!inst && body && json_object_has_member(body, "instance_id"))
		inst = json_object_get_string_member(body, "instance_id");
	if (!tok && body && json_object_has_member(body, "access_token"))
		tok = json_object_get_string_member(body, "access_token");
	if (!g_str_has_prefix(rec->path, "/v2/")) {
		wawp_error(msg, 404, "not_found", "Not Found");
		return;
	}
	if (g_strcmp0(inst, emu->instance) != 0 || g_strcmp0(tok, emu->token) != 0) {
		wawp_error(msg, 401, "unauthorized", "Invalid instance_id or access_token");
		return;
	}
	p = rec->path + 4;
	if (strcmp(p, "session/info") == 0) {
		JsonObject *o = json_object_new();
		JsonObject *me = json_object_new();
		json_object_set_string_member(o, "name", emu->session_name);
		json_object_set_string_member(o, "status", emu->state);
		if (emu->me) {
			g_autofree char *id = g_strconcat(emu->me, "@c.us", NULL);
			json_object_set_string_member(me, "id", id);
			if (emu->me_lid)
				json_object_set_string_member(me, "lid", emu->me_lid);
			json_object_set_object_member(o, "me", me);
		} else {
			json_object_unref(me);
		}
		reply_json(msg, 200, obj_node(o));
		return;
	}
	if (strcmp(emu->state, "WORKING") != 0) {
		wawp_error(msg, 422, "unprocessable", "Session status is not as expected");
		return;
	}
	if (strcmp(p, "groups") == 0) {
		JsonArray *a = json_array_new();
		for (guint i = 0; i < emu->group_order->len; i++) {
			EmuGroup *g = g_hash_table_lookup(emu->groups, emu->group_order->pdata[i]);
			JsonObject *o = json_object_new();
			json_object_set_string_member(o, "id", g->id);
			json_object_set_string_member(o, "subject", g->subject);
			json_array_add_object_element(a, o);
		}
		reply_json(msg, 200, arr_node(a));
	} else if (g_str_has_prefix(p, "groups/")) {
		const char *gid_start = p + strlen("groups/");
		const char *slash = strchr(gid_start, '/');
		g_autofree char *gid = slash ? g_strndup(gid_start, slash - gid_start) : g_strdup(gid_start);
		const char *tail = slash ? slash : "";
		EmuGroup *g = g_hash_table_lookup(emu->groups, gid);

		if (!g) {
			wawp_error(msg, 404, "not_found", "Group not found");
			return;
		}
		if (strcmp(tail, "/participants") == 0 || strcmp(tail, "/participants/join-requests") == 0) {
			JsonArray *a = json_array_new();
			gboolean reqs = strcmp(tail, "/participants") != 0;
			GPtrArray *src = reqs ? g->requests : g->parts;
			for (guint i = 0; i < src->len; i++) {
				JsonObject *o = json_object_new();
				const char *ph = reqs ? src->pdata[i] : ((EmuPart *) src->pdata[i])->phone;
				g_autofree char *id = strchr(ph, '@') ? g_strdup(ph) : g_strconcat(ph, "@c.us", NULL);
				if (reqs)
					json_object_set_string_member(o, "id", id);
				else
					wawp_participant(emu, o, id, ((EmuPart *) src->pdata[i])->role);
				json_array_add_object_element(a, o);
			}
			reply_json(msg, 200, arr_node(a));
		} else if (strcmp(rec->method, "POST") != 0) {
			wawp_error(msg, 405, "method_not_allowed", "Method Not Allowed");
		} else if (!body) {
			if (!rec->content_type || !g_str_has_prefix(rec->content_type, "application/json"))
				wawp_error(msg, 415, "unsupported_media_type", "Unsupported Media Type");
			else
				wawp_error(msg, 400, "bad_request", "Invalid JSON body");
		} else if (strcmp(tail, "/leave") == 0) {
			JsonObject *o = json_object_new();
			json_object_set_boolean_member(o, "ok", TRUE);
			reply_json(msg, 200, obj_node(o));
		} else if (strcmp(tail, "/participants/remove") == 0 ||
		           strcmp(tail, "/participants/join-requests/approve") == 0 ||
		           strcmp(tail, "/participants/join-requests/reject") == 0) {
			JsonArray *a = json_object_has_member(body, "participants") ?
				json_object_get_array_member(body, "participants") : NULL;
			JsonObject *o;
			if (!a) {
				wawp_error(msg, 400, "bad_request", "participants is required");
				return;
			}
			for (guint i = 0; i < json_array_get_length(a); i++) {
				JsonObject *e = json_array_get_object_element(a, i);
				g_autofree char *ph = e && json_object_has_member(e, "id") ?
					digits_of(json_object_get_string_member(e, "id")) : NULL;
				if (!ph)
					continue;
				if (g_str_has_suffix(tail, "/remove"))
					remove_part(g, ph);
				else if (take_request(g, ph) && g_str_has_suffix(tail, "/approve")) {
					EmuPart *np = g_new0(EmuPart, 1);
					np->phone = g_strdup(ph);
					np->role = g_strdup("participant");
					g_ptr_array_add(g->parts, np);
				}
			}
			o = json_object_new();
			json_object_set_boolean_member(o, "ok", TRUE);
			reply_json(msg, 200, obj_node(o));
		} else {
			wawp_error(msg, 404, "not_found", "Not Found");
		}
	} else {
		wawp_error(msg, 404, "not_found", "Not Found");
	}
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
		reply_json(msg, 200, arr_node(a));
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
			reply_raw(msg, f->status, f->body);
			g_ptr_array_remove_index(emu->failures, i);
			emu_misbehave_after(emu, msg, rec);
			return;
		}
	}
	if (emu_misbehave_before(emu, msg, rec))
		return;
	if (strcmp(emu->vendor, "zapi") == 0)
		zapi(emu, msg, rec);
	else if (strcmp(emu->vendor, "greenapi") == 0)
		green(emu, msg, rec);
	else
		wawp(emu, msg, rec);
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
	return find_part(g_hash_table_lookup(emu->groups, group), phone) != NULL;
}

void
wag_emu_remove_participant(WagEmu *emu, const char *group, const char *phone)
{
	g_assert_true(remove_part(g_hash_table_lookup(emu->groups, group), phone));
}

void
wag_emu_set_role(WagEmu *emu, const char *group, const char *phone, const char *role)
{
	EmuPart *p = find_part(g_hash_table_lookup(emu->groups, group), phone);
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
