/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 the purple-wagateway authors */
#include "wag-http.h"
#include "wag-error.h"
#include "wag-i18n.h"
#include "wag-json.h"
#include <libsoup/soup.h>
#include <dlfcn.h>
#include <string.h>

struct _WagHttp {
	gint ref;
	SoupSession *session;   /* remote hosts: the system's proxy settings */
	SoupSession *direct;    /* loopback: never a proxy; made on first use */
	GCancellable *cancellable;
	GPtrArray *secrets;
	guint timeout;
	guint in_flight;
	gsize max_reply;
	gboolean shut_down;
};

typedef struct {
	WagHttp *http;
	SoupMessage *msg;
	char *vendor_name;
	char *redacted_url;
	WagHttpCallback cb;
	gpointer user_data;
	GDestroyNotify destroy;
	WagRequestClassify classify;
	GCancellable *cancellable; /* this call's: the deadline cancels it alone */
	gulong parent_handler;     /* forwards the connection's cancellation */
	guint deadline;            /* source bounding the whole call */
	gboolean timed_out;
	GInputStream *stream;
	GByteArray *body;
} Pending;

#define READ_CHUNK 65536

gboolean
wag_http_is_loopback(const char *url)
{
	g_autoptr(GUri) uri = url ? g_uri_parse(url, G_URI_FLAGS_NONE, NULL) : NULL;
	const char *host = uri ? g_uri_get_host(uri) : NULL;
	g_autoptr(GInetAddress) addr = NULL;

	if (!host)
		return FALSE;
	if (g_ascii_strcasecmp(host, "localhost") == 0)
		return TRUE;
	addr = g_inet_address_new_from_string(host);
	return addr && g_inet_address_get_is_loopback(addr);
}

SoupSession *
wag_http_session_for(const char *url, const char *first_property, ...)
{
	SoupSession *s;
	va_list ap;

	va_start(ap, first_property);
	s = SOUP_SESSION(g_object_new_valist(SOUP_TYPE_SESSION, first_property, ap));
	va_end(ap);
	if (wag_http_is_loopback(url)) {
		g_autoptr(GProxyResolver) none = g_simple_proxy_resolver_new(NULL, NULL);
		soup_session_set_proxy_resolver(s, none);
	}
	return s;
}

WagHttp *
wag_http_new(guint timeout_seconds)
{
	WagHttp *h = g_new0(WagHttp, 1);
	h->ref = 1;
	h->timeout = timeout_seconds;
	h->max_reply = WAG_HTTP_MAX_REPLY_DEFAULT;
	/* Four calls in flight per account (libsoup's default is two); the
	 * session bounds itself at that (wag-listing.c). */
	h->session = soup_session_new_with_options(
		"timeout", timeout_seconds,
		"max-conns-per-host", 4,
		"user-agent", "purple-wagateway/" WAG_VERSION,
		NULL);
	h->cancellable = g_cancellable_new();
	h->secrets = g_ptr_array_new_with_free_func(g_free);
	return h;
}

WagHttp *
wag_http_ref(WagHttp *h)
{
	g_atomic_int_inc(&h->ref);
	return h;
}

void
wag_http_unref(WagHttp *h)
{
	if (!h || !g_atomic_int_dec_and_test(&h->ref))
		return;
	g_object_unref(h->session);
	g_clear_object(&h->direct);
	g_object_unref(h->cancellable);
	g_ptr_array_free(h->secrets, TRUE);
	g_free(h);
}

void
wag_http_add_secret(WagHttp *h, const char *secret)
{
	if (!secret || strlen(secret) < 4)
		return; /* redacting "a" would mangle every line and hide nothing */
	g_ptr_array_add(h->secrets, g_strdup(secret));
	/* The URL carries the escaped form. */
	g_ptr_array_add(h->secrets, g_uri_escape_string(secret, NULL, FALSE));
}

char *
wag_http_redact(WagHttp *h, const char *text)
{
	GString *s = g_string_new(text);
	for (guint i = 0; i < h->secrets->len; i++)
		g_string_replace(s, h->secrets->pdata[i], "***", 0);
	return g_string_free(s, FALSE);
}

void
wag_http_set_max_reply(WagHttp *h, gsize bytes)
{
	h->max_reply = bytes ? bytes : WAG_HTTP_MAX_REPLY_DEFAULT;
}

gsize
wag_http_get_max_reply(WagHttp *h)
{
	return h->max_reply;
}

GCancellable *
wag_http_get_cancellable(WagHttp *h)
{
	return h->cancellable;
}

guint
wag_http_in_flight(WagHttp *h)
{
	return h->in_flight;
}

void
wag_http_shutdown(WagHttp *h)
{
	h->shut_down = TRUE;
	g_cancellable_cancel(h->cancellable);
}

static void
pending_free(Pending *p)
{
	if (p->destroy)
		p->destroy(p->user_data);
	if (p->deadline)
		g_source_remove(p->deadline);
	g_cancellable_disconnect(p->http->cancellable, p->parent_handler);
	g_clear_object(&p->cancellable);
	g_clear_object(&p->stream);
	if (p->body)
		g_byte_array_unref(p->body);
	p->http->in_flight--;
	wag_http_unref(p->http);
	g_clear_object(&p->msg);
	g_free(p->vendor_name);
	g_free(p->redacted_url);
	g_free(p);
}

static GError *
transport_error(Pending *p, GError *err)
{
	WagHttp *h = p->http;
	g_autofree char *msg = wag_http_redact(h, err->message);

	if (p->timed_out || g_error_matches(err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		return g_error_new(WAG_ERROR, WAG_ERROR_TIMEOUT,
		                   _("%s: no answer within %u seconds (timeout)."), p->vendor_name, h->timeout);
	return g_error_new(WAG_ERROR, WAG_ERROR_NETWORK, _("%s: cannot reach the service: %s"),
	                   p->vendor_name, msg);
}

/* A 2xx whose body is nothing but the vendor's complaint ({"error": "..."},
 * or a lone {"message": "..."}): a refusal, in the vendor's words. */
static char *
refusal_words(JsonNode *json)
{
	static const char *const wordy[] = { "error", "message", "status", "statusCode", "code", "description" };
	JsonObject *o = wag_json_obj(json);
	const char *err = wag_json_str(o, "error");
	JsonObjectIter it;
	const char *key;

	if (!o)
		return NULL;
	if (json_object_get_size(o) == 1 && wag_json_str(o, "message") && *wag_json_str(o, "message"))
		return wag_json_error_text(json);
	if (!err || !*err)
		return NULL;
	json_object_iter_init(&it, o);
	while (json_object_iter_next(&it, &key, NULL))
		if (!g_strv_contains(wordy, key))
			return NULL;
	return wag_json_error_text(json);
}

/* Delivers the reply (or err) and frees p; body may be NULL. */
static void
finish(Pending *p, GError *err, GByteArray *body)
{
	WagHttp *h = p->http;
	WagReply reply = { 0 };
	const char *data_ = body ? (const char *) body->data : NULL;
	gsize len = body ? body->len : 0;

	/* Shut down: the owner is gone, its callback must not run. */
	if (h->shut_down || (!p->timed_out && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))) {
		g_debug("%s %s: cancelled", soup_message_get_method(p->msg), p->redacted_url);
		pending_free(p);
		return;
	}
	if (err && err->domain == WAG_ERROR) {
		/* Over the cap: no reply was read, as if none had come (status 0). */
		reply.error = g_error_copy(err);
		g_debug("%s %s: %s", soup_message_get_method(p->msg), p->redacted_url, reply.error->message);
	} else if (err) {
		reply.error = transport_error(p, err);
		g_debug("%s %s: %s", soup_message_get_method(p->msg), p->redacted_url, reply.error->message);
	} else {
		g_autoptr(GError) perr = NULL;

		reply.status = soup_message_get_status(p->msg);
		g_debug("%s %s: %u (%" G_GSIZE_FORMAT " bytes)", soup_message_get_method(p->msg),
		        p->redacted_url, reply.status, len);
		if (len)
			reply.json = wag_json_parse(data_, len, &perr);
		if (!SOUP_STATUS_IS_SUCCESSFUL(reply.status)) {
			g_autofree char *text = wag_json_error_text(reply.json);
			g_autofree char *safe = NULL;
			if (!text && !reply.json && len && g_utf8_validate(data_, MIN(len, 1024), NULL)) {
				g_autofree char *raw = g_strndup(data_, MIN(len, 1024));
				text = wag_error_cap_text(g_strstrip(raw), WAG_ERROR_TEXT_MAX);
			}
			safe = text ? wag_http_redact(h, text) : NULL;
			if (p->classify)
				reply.error = p->classify(reply.status, safe);
			if (!reply.error)
				reply.error = wag_error_from_status(p->vendor_name, reply.status, safe);
		} else if (!reply.json) {
			reply.error = g_error_new(WAG_ERROR, WAG_ERROR_BAD_REPLY,
			                          _("%s sent a reply that is not JSON (HTTP %u)."),
			                          p->vendor_name, reply.status);
		} else {
			g_autofree char *words = refusal_words(reply.json);
			if (words) {
				g_autofree char *safe = wag_http_redact(h, words);
				reply.error = g_error_new(WAG_ERROR, WAG_ERROR_REFUSED, _("%s refused the request: %s"),
				                          p->vendor_name, safe);
			}
		}
	}
	p->cb(&reply, p->user_data);
	g_clear_error(&reply.error);
	if (reply.json)
		json_node_unref(reply.json);
	pending_free(p);
}

static GError *
too_large(Pending *p)
{
	g_autofree char *cap = g_format_size(p->http->max_reply);
	return g_error_new(WAG_ERROR, WAG_ERROR_TOO_LARGE,
	                   _("%s sent a reply larger than %s; it was not read."), p->vendor_name, cap);
}

static void
on_chunk(GObject *source, GAsyncResult *res, gpointer data)
{
	Pending *p = data;
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &err);
	gsize n = chunk ? g_bytes_get_size(chunk) : 0;

	if (!chunk) {
		finish(p, err, NULL);
		return;
	}
	if (n == 0) {
		g_autoptr(GByteArray) body = g_steal_pointer(&p->body);
		finish(p, NULL, body);
		return;
	}
	if (p->body->len + n > p->http->max_reply) {
		/* Stop reading: what is left stays in the socket, and is dropped with it. */
		g_autoptr(GError) big = too_large(p);
		finish(p, big, NULL);
		return;
	}
	g_byte_array_append(p->body, g_bytes_get_data(chunk, NULL), n);
	g_input_stream_read_bytes_async(p->stream, READ_CHUNK, G_PRIORITY_DEFAULT, p->cancellable, on_chunk, p);
}

static void
on_sent(GObject *source, GAsyncResult *res, gpointer data)
{
	Pending *p = data;
	g_autoptr(GError) err = NULL;
	SoupMessageHeaders *rh;
	goffset announced;

	p->stream = soup_session_send_finish(SOUP_SESSION(source), res, &err);
	if (!p->stream) {
		finish(p, err, NULL);
		return;
	}
	rh = soup_message_get_response_headers(p->msg);
	announced = soup_message_headers_get_encoding(rh) == SOUP_ENCODING_CONTENT_LENGTH ?
	            soup_message_headers_get_content_length(rh) : -1;
	if (announced > 0 && (guint64) announced > p->http->max_reply) {
		g_autoptr(GError) big = too_large(p);
		finish(p, big, NULL);
		return;
	}
	p->body = g_byte_array_sized_new(announced > 0 ? (guint) announced : READ_CHUNK);
	g_input_stream_read_bytes_async(p->stream, READ_CHUNK, G_PRIORITY_DEFAULT, p->cancellable, on_chunk, p);
}

/* request_timeout bounds the whole call, however slowly the bytes come. */
static gboolean
on_deadline(gpointer data)
{
	Pending *p = data;
	p->deadline = 0;
	p->timed_out = TRUE;
	g_cancellable_cancel(p->cancellable);
	return G_SOURCE_REMOVE;
}

static void
on_parent_cancelled(GCancellable *parent, gpointer data)
{
	g_cancellable_cancel(G_CANCELLABLE(data));
}

static void
fail_soon(WagHttp *h, WagHttpCallback cb, gpointer user_data, GDestroyNotify destroy, GError *error);

void
wag_http_send(WagHttp *h, const char *base, WagRequest *req, WagHttpCallback cb, gpointer user_data,
              GDestroyNotify destroy)
{
	g_autofree char *url = g_strconcat(base, req->path, NULL);
	SoupSession *session = h->session;
	SoupMessage *msg;
	Pending *p;

	msg = h->shut_down ? NULL : soup_message_new(req->method, url);
	if (!msg) {
		if (h->shut_down) {
			if (destroy)
				destroy(user_data);
		} else {
			g_autofree char *safe = wag_http_redact(h, url);
			fail_soon(h, cb, user_data, destroy, g_error_new(WAG_ERROR, WAG_ERROR_NETWORK,
			          _("%s: invalid address %s (check the api_base option)."), req->vendor_name, safe));
		}
		wag_request_free(req);
		return;
	}
	for (guint i = 0; i + 1 < req->headers->len; i += 2)
		soup_message_headers_replace(soup_message_get_request_headers(msg),
		                             req->headers->pdata[i], req->headers->pdata[i + 1]);
	if (req->body) {
		gsize len;
		char *json = json_to_string(req->body, FALSE);
		len = strlen(json);
		g_autoptr(GBytes) b = g_bytes_new_take(json, len);
		soup_message_set_request_body_from_bytes(msg, "application/json", b);
	}
	p = g_new0(Pending, 1);
	p->http = wag_http_ref(h);
	p->msg = msg;
	p->vendor_name = g_strdup(req->vendor_name);
	p->redacted_url = wag_http_redact(h, url);
	p->cb = cb;
	p->user_data = user_data;
	p->destroy = destroy;
	p->classify = req->classify;
	p->cancellable = g_cancellable_new();
	p->parent_handler = g_cancellable_connect(h->cancellable, G_CALLBACK(on_parent_cancelled),
	                                          p->cancellable, NULL);
	if (h->timeout)
		p->deadline = g_timeout_add(h->timeout * 1000, on_deadline, p);
	h->in_flight++;
	g_debug("%s %s", req->method, p->redacted_url);
	if (wag_http_is_loopback(url)) {
		if (!h->direct)
			h->direct = wag_http_session_for(url, "timeout", h->timeout, "max-conns-per-host", 4,
			                                 "user-agent", "purple-wagateway/" WAG_VERSION, NULL);
		session = h->direct;
	}
	soup_session_send_async(session, msg, G_PRIORITY_DEFAULT, p->cancellable, on_sent, p);
	wag_request_free(req);
}

/* Errors found before sending are still reported asynchronously, so callers
 * see one code path and never re-enter themselves. */
typedef struct {
	WagHttp *http;
	WagHttpCallback cb;
	gpointer user_data;
	GDestroyNotify destroy;
	GError *error;
} Failure;

static gboolean
fail_idle(gpointer data)
{
	Failure *f = data;
	if (!f->http->shut_down) {
		WagReply reply = { 0, NULL, f->error };
		f->cb(&reply, f->user_data);
	}
	g_error_free(f->error);
	if (f->destroy)
		f->destroy(f->user_data);
	f->http->in_flight--;
	wag_http_unref(f->http);
	g_free(f);
	return G_SOURCE_REMOVE;
}

static void
fail_soon(WagHttp *h, WagHttpCallback cb, gpointer user_data, GDestroyNotify destroy, GError *error)
{
	Failure *f = g_new0(Failure, 1);
	f->http = wag_http_ref(h);
	f->cb = cb;
	f->user_data = user_data;
	f->destroy = destroy;
	f->error = error;
	h->in_flight++;
	g_idle_add(fail_idle, f);
}

/* Hosts load plugins RTLD_LOCAL, so a libsoup 2 pulled in by another plugin
 * slips past libsoup 3's own check; the clash comes later, when both register
 * "SoupSession", and takes the whole host down. Asking the dynamic loader
 * (without loading anything) finds it in any scope. */
gboolean
wag_http_soup2_loaded(void)
{
	void *h = dlopen("libsoup-2.4.so.1", RTLD_LAZY | RTLD_NOLOAD);
	if (!h)
		return FALSE;
	dlclose(h);
	return TRUE;
}
