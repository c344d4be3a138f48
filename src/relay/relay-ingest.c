#define _GNU_SOURCE /* accept4, SO_REUSEPORT */
#include "relay-ingest.h"
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef WAG_HAVE_LIBURING
#include <liburing.h>
#endif

#define HEADERS_MAX 16384
#define BUF_START 4096

typedef struct _Worker Worker;

typedef struct {
	Worker *w;
	int fd;
	char *buf;      /* read, not yet answered: the next request(s) */
	gsize len, cap;
	gboolean more;  /* the last read filled the buffer: the socket may hold more */
	GString *out;   /* response bytes not sent yet */
	gsize out_off;
	gboolean busy;  /* its webhook is at the store: read nothing more */
	gboolean input; /* bytes arrived while busy */
	gboolean hup;   /* the peer left or half-closed */
	gboolean want_out;
	gboolean close_after;
	gboolean closed;
	gboolean gone;  /* dropped at shutdown while busy: freed when the store answers */
	/* While busy: the webhook's events (also the store's), and the link
	 * that hands c back to its worker. Both live here, so that the worker
	 * allocates and frees them: frees from the store's thread cost the
	 * allocator more than the rest of the webhook's memory together. */
	GPtrArray *events;
	GList done_link;
	gboolean stored_ok;
} Conn;

#define OK_RESPONSE "HTTP/1.1 200 OK\r\nServer: wagateway-relay\r\n" \
	"Content-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nok"
#define OK_LEN (sizeof OK_RESPONSE - 1)
/* The most 200s sent in one io_uring submission. */
#define RING_ENTRIES 256

struct _Worker {
	RelayIngest *in;
	int ep, listen_fd, wake;
	GThread *thread;
	GMutex lock;        /* guards done */
	GQueue done;        /* Conn* (done_link), pushed by the store thread */
	GHashTable *conns;  /* every open Conn */
	GPtrArray *dead;    /* closed this round, freed after it */
#ifdef WAG_HAVE_LIBURING
	struct io_uring ring;
	gboolean ring_ok;
#endif
};

struct _RelayIngest {
	const RelayConfig *cfg;
	RelayStats *stats;
	RelayStore *store;
	RelayHandoffFunc handoff;
	gpointer handoff_data;
	GMainContext *context;
	guint16 port;
	guint n;
	Worker *workers;
	atomic_bool quit;
};

typedef struct {
	RelayIngest *in;
	int fd;
	GBytes *prefix;
} Handoff;

static void
conn_free(Conn *c)
{
	if (c->events)
		g_ptr_array_unref(c->events);
	if (c->out)
		g_string_free(c->out, TRUE);
	g_free(c->buf);
	g_free(c);
}

static void
conn_close(Conn *c)
{
	if (c->closed)
		return;
	c->closed = TRUE;
	epoll_ctl(c->w->ep, EPOLL_CTL_DEL, c->fd, NULL);
	g_hash_table_remove(c->w->conns, c);
	if (c->busy) {
		/* Only at shutdown: the store still holds c, which it hands back
		 * to relay_ingest_free. */
		c->gone = TRUE;
		return;
	}
	close(c->fd);
	g_ptr_array_add(c->w->dead, c);
}

static void
handoff_free(gpointer data)
{
	Handoff *h = data;
	g_bytes_unref(h->prefix);
	g_free(h);
}

static gboolean
handoff_main(gpointer data)
{
	Handoff *h = data;
	g_autoptr(GSocket) s = g_socket_new_from_fd(h->fd, NULL);

	if (s)
		h->in->handoff(s, h->prefix, h->in->handoff_data);
	else
		close(h->fd);
	return G_SOURCE_REMOVE;
}

/* At a request boundary: libsoup gets the socket and what was read of the
 * next request, and carries on as if it had accepted the connection. */
static void
conn_handoff(Conn *c)
{
	Handoff *h = g_new0(Handoff, 1);

	epoll_ctl(c->w->ep, EPOLL_CTL_DEL, c->fd, NULL);
	g_hash_table_remove(c->w->conns, c);
	h->in = c->w->in;
	h->fd = c->fd;
	h->prefix = g_bytes_new(c->buf, c->len);
	c->closed = TRUE;
	g_ptr_array_add(c->w->dead, c);
	g_main_context_invoke_full(h->in->context, G_PRIORITY_DEFAULT, handoff_main, h, handoff_free);
}

static void
flush(Conn *c)
{
	while (c->out_off < c->out->len) {
		ssize_t n = send(c->fd, c->out->str + c->out_off, c->out->len - c->out_off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				conn_close(c);
			} else if (!c->want_out) {
				/* Asked for only now: an EPOLLOUT watch would wake the
				 * worker on every ACK. */
				struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c };
				c->want_out = TRUE;
				epoll_ctl(c->w->ep, EPOLL_CTL_MOD, c->fd, &ev);
			}
			return;
		}
		c->out_off += (gsize) n;
	}
	g_string_truncate(c->out, 0);
	c->out_off = 0;
	if (c->want_out) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = c };
		c->want_out = FALSE;
		epoll_ctl(c->w->ep, EPOLL_CTL_MOD, c->fd, &ev);
	}
	if (c->close_after)
		conn_close(c);
}

static const char *
status_phrase(guint status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 431: return "Request Header Fields Too Large";
	default: return "Service Unavailable";
	}
}

static void
respond(Conn *c, guint status, const char *text)
{
	if (!c->out)
		c->out = g_string_sized_new(160);
	g_string_append_printf(c->out, "HTTP/1.1 %u %s\r\nServer: wagateway-relay\r\n"
	                       "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n%s\r\n%s",
	                       status, status_phrase(status), strlen(text),
	                       c->close_after ? "Connection: close\r\n" : "", text);
	flush(c);
}

/* The answer to nearly every webhook: a constant, no formatting. */
static void
respond_ok(Conn *c)
{
	if (c->close_after) {
		respond(c, 200, "ok");
		return;
	}
	if (!c->out)
		c->out = g_string_sized_new(160);
	g_string_append_len(c->out, OK_RESPONSE, OK_LEN);
	flush(c);
}

typedef struct {
	char method[16];
	char *path;          /* without the query */
	char *content_type;  /* media type, lower case */
	char *hmac;
	gsize header_len;
	gint64 content_length; /* -1: none */
	gboolean unusual;      /* chunked, Expect, odd framing: libsoup's job */
	gboolean close;
} Request;

static void
request_clear(Request *q)
{
	g_free(q->path);
	g_free(q->content_type);
	g_free(q->hmac);
}

static gboolean
header_is(const char *line, gsize name_len, const char *name)
{
	return strlen(name) == name_len && g_ascii_strncasecmp(line, name, name_len) == 0;
}

/* Parses the request line and headers of buf[0, end) (end: after the blank line). */
static gboolean
parse_head(const char *buf, gsize end, Request *q)
{
	const char *p = buf, *eol = memchr(p, '\r', end);
	const char *sp1, *sp2, *query;
	gboolean http10, keep_alive = FALSE;

	if (!eol)
		return FALSE;
	sp1 = memchr(p, ' ', eol - p);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', eol - sp1 - 1) : NULL;
	if (!sp1 || !sp2 || (gsize) (sp1 - p) >= sizeof q->method)
		return FALSE;
	memcpy(q->method, p, sp1 - p);
	q->method[sp1 - p] = '\0';
	query = memchr(sp1 + 1, '?', sp2 - sp1 - 1);
	q->path = g_strndup(sp1 + 1, (query ? query : sp2) - sp1 - 1);
	if (eol - sp2 - 1 != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0 || (sp2[8] != '0' && sp2[8] != '1'))
		return FALSE;
	http10 = sp2[8] == '0';
	q->content_length = -1;
	q->header_len = end;

	for (p = eol + 2; p < buf + end - 2; p = eol + 2) {
		const char *colon, *v, *ve;
		gsize name_len;

		eol = memchr(p, '\r', buf + end - p);
		if (!eol || eol[1] != '\n')
			return FALSE;
		colon = memchr(p, ':', eol - p);
		if (!colon)
			return FALSE;
		name_len = colon - p;
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		for (ve = eol; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			;
		if (header_is(p, name_len, "Content-Length")) {
			guint64 n;
			g_autofree char *s = g_strndup(v, ve - v);
			if (q->content_length >= 0 || !g_ascii_string_to_unsigned(s, 10, 0, G_MAXINT64, &n, NULL))
				q->unusual = TRUE;
			else
				q->content_length = (gint64) n;
		} else if (header_is(p, name_len, "Transfer-Encoding") || header_is(p, name_len, "Expect")) {
			q->unusual = TRUE;
		} else if (header_is(p, name_len, "Content-Type")) {
			const char *semi = memchr(v, ';', ve - v);
			const char *te = semi ? semi : ve;
			while (te > v && (te[-1] == ' ' || te[-1] == '\t'))
				te--;
			g_free(q->content_type);
			q->content_type = g_ascii_strdown(v, te - v);
		} else if (header_is(p, name_len, RELAY_HMAC_HEADER)) {
			g_free(q->hmac);
			q->hmac = g_strndup(v, ve - v);
		} else if (header_is(p, name_len, "Connection")) {
			g_autofree char *s = g_ascii_strdown(v, ve - v);
			if (strstr(s, "close"))
				q->close = TRUE;
			if (strstr(s, "keep-alive"))
				keep_alive = TRUE;
		}
	}
	if (http10 && !keep_alive)
		q->close = TRUE;
	return TRUE;
}

static void
on_stored(const GError *error, gpointer data)
{
	Conn *c = data;
	Worker *w = c->w;
	guint64 one = 1;
	gboolean wake;

	/* The store's thread, the commit on disk (or failed). The answer is
	 * the worker's: the store goes on to the next commit at once. One
	 * wake-up per worker per commit: a queue that was not empty has one
	 * pending already. */
	c->stored_ok = error == NULL;
	relay_webhook_stored(w->in->stats, error);
	g_mutex_lock(&w->lock);
	wake = g_queue_is_empty(&w->done);
	c->done_link.data = c;
	g_queue_push_tail_link(&w->done, &c->done_link);
	g_mutex_unlock(&w->lock);
	if (wake && write(w->wake, &one, sizeof one) < 0)
		relay_log("error", "msg=\"cannot wake an ingest worker\" error=\"%s\"", g_strerror(errno));
}

static void
grow(Conn *c, gsize size)
{
	c->cap = size;
	c->buf = g_realloc(c->buf, c->cap);
}

/* Appends what the socket holds to c->buf. FALSE: nothing more for now
 * (or the connection closed). */
static gboolean
fill(Conn *c)
{
	for (;;) {
		gsize room = c->cap - c->len;
		ssize_t n = recv(c->fd, c->buf + c->len, room, 0);

		if (n > 0) {
			c->len += (gsize) n;
			c->more = (gsize) n == room;
			return TRUE;
		}
		c->more = FALSE;
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			conn_close(c);
		return FALSE;
	}
}

/* Takes the requests waiting on c, one at a time, until one goes to the
 * store, the socket is drained, or the connection is handed off or closed. */
static void
process(Conn *c)
{
	RelayIngest *in = c->w->in;

	while (!c->busy && !c->closed && (!c->out || c->out->len == 0)) {
		Request q = { 0 };
		const char *end = c->len ? g_strstr_len(c->buf, c->len, "\r\n\r\n") : NULL;
		gsize total;
		GPtrArray *events = NULL;
		RelayReject reason;
		RelayWebhook wh;
		guint status;

		if (!end) {
			if (c->len == c->cap) {
				if (c->cap >= HEADERS_MAX) {
					c->close_after = TRUE;
					relay_reject(in->stats, REJECT_HEADERS_TOO_LARGE, 431);
					respond(c, 431, relay_reject_name(REJECT_HEADERS_TOO_LARGE));
					return;
				}
				grow(c, MIN(c->cap * 2, HEADERS_MAX));
			}
			if (!fill(c))
				return;
			continue;
		}
		if (!parse_head(c->buf, end - c->buf + 4, &q) || q.unusual || q.content_length < 0 ||
		    strcmp(q.method, "POST") != 0 || !g_str_has_prefix(q.path, "/webhook/")) {
			request_clear(&q);
			conn_handoff(c);
			return;
		}
		c->close_after = q.close;
		if ((gsize) q.content_length > in->cfg->max_body) {
			/* Refused by its declared length, without waiting for the body. */
			request_clear(&q);
			c->close_after = TRUE;
			relay_reject(in->stats, REJECT_TOO_LARGE, 413);
			respond(c, 413, relay_reject_name(REJECT_TOO_LARGE));
			return;
		}
		total = q.header_len + (gsize) q.content_length;
		if (c->len < total) {
			request_clear(&q);
			if (total > c->cap)
				grow(c, total);
			if (!fill(c))
				return; /* the rest of the body is on its way */
			continue;
		}
		wh = (RelayWebhook) { q.method, q.path, q.content_type, q.hmac, c->buf + q.header_len, (gsize) q.content_length };
		status = relay_webhook_decide(in->cfg, in->stats, &wh, &events, &reason);
		request_clear(&q);
		/* Keep what follows (a pipelined request) at the front. */
		c->len -= total;
		memmove(c->buf, c->buf + total, c->len);
		/* Bytes held, or a socket not drained, raise no new edge later. */
		c->input = c->len > 0 || c->more;
		if (status == 200 && events->len) {
			c->busy = TRUE;
			c->events = g_ptr_array_ref(events);
			relay_store_append_direct(in->store, events, on_stored, c);
		} else {
			if (events)
				g_ptr_array_unref(events);
			respond(c, status, status == 200 ? "ignored" : relay_reject_name(reason));
		}
	}
}

/* After its answer: requests that arrived while c waited raised no new edge. */
static void
answered(Conn *c)
{
	if (c->input && !c->closed)
		process(c);
	c->input = FALSE;
}

#ifdef WAG_HAVE_LIBURING
/* The 200s of one commit in one system call. Sent one by one, each send
 * woke the client, which took the CPU from this thread for one answer
 * before the next could go (2 context switches per webhook). */
static void
answer_batch(Worker *w, Conn **conns, guint n)
{
	guint submitted = 0, reaped = 0;
	gboolean seen[RING_ENTRIES] = { FALSE };

	for (guint i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);
		/* Nonblocking: a full socket gives EAGAIN at once, never a wait. */
		io_uring_prep_send(sqe, conns[i]->fd, OK_RESPONSE, OK_LEN, MSG_NOSIGNAL | MSG_DONTWAIT);
		io_uring_sqe_set_data64(sqe, i);
	}
	while (submitted < n) {
		int r = io_uring_submit(&w->ring);
		if (r > 0)
			submitted += (guint) r;
		else if (r != -EINTR)
			break;
	}
	while (reaped < submitted) {
		struct io_uring_cqe *cqe;
		Conn *c;
		int res, r = io_uring_wait_cqe(&w->ring, &cqe);

		if (r == -EINTR)
			continue;
		if (r < 0)
			break;
		c = conns[io_uring_cqe_get_data64(cqe)];
		seen[io_uring_cqe_get_data64(cqe)] = TRUE;
		res = cqe->res;
		io_uring_cqe_seen(&w->ring, cqe);
		reaped++;
		if (res == (int) OK_LEN)
			continue;
		if (res < 0 && res != -EAGAIN) {
			conn_close(c);
			continue;
		}
		/* The rest goes the ordinary way, which waits for room. */
		if (!c->out)
			c->out = g_string_sized_new(160);
		g_string_append_len(c->out, OK_RESPONSE + MAX(res, 0), OK_LEN - MAX(res, 0));
		flush(c);
	}
	if (reaped < n) {
		/* Whether these were sent is unknown: the ring goes first (nothing
		 * queued in it may reach a reused descriptor), then their
		 * connections, so no client gets a second answer or none. */
		relay_log("error", "msg=\"io_uring failed, answering one by one from now on\" unanswered=%u", n - reaped);
		io_uring_queue_exit(&w->ring);
		w->ring_ok = FALSE;
		for (guint i = 0; i < n; i++)
			if (!seen[i])
				conn_close(conns[i]);
	}
	for (guint i = 0; i < n; i++)
		answered(conns[i]);
}
#endif

/* Takes back the connections whose webhooks the store has finished. */
static void
completions(Worker *w)
{
	GQueue done = G_QUEUE_INIT;
	GList *l;
#ifdef WAG_HAVE_LIBURING
	Conn *batch[RING_ENTRIES];
	guint n = 0;
#endif

	g_mutex_lock(&w->lock);
	done = w->done;
	g_queue_init(&w->done);
	g_mutex_unlock(&w->lock);
	while ((l = g_queue_pop_head_link(&done))) {
		Conn *c = l->data;
		gboolean ok = c->stored_ok;

		g_clear_pointer(&c->events, g_ptr_array_unref);
		c->busy = FALSE;
		if (c->gone) {
			close(c->fd);
			g_ptr_array_add(w->dead, c);
			continue;
		}
		/* Only now does the vendor hear; a peer that half-closed while
		 * waiting still gets its answer, then the close. */
		if (c->hup)
			c->close_after = TRUE;
#ifdef WAG_HAVE_LIBURING
		if (ok && w->ring_ok && !c->close_after && (!c->out || !c->out->len)) {
			batch[n++] = c;
			if (n == RING_ENTRIES) {
				answer_batch(w, batch, n);
				n = 0;
			}
			continue;
		}
#endif
		if (ok)
			respond_ok(c);
		else
			respond(c, 503, "store failed");
		answered(c);
	}
#ifdef WAG_HAVE_LIBURING
	if (n)
		answer_batch(w, batch, n);
#endif
}

static void
accept_all(Worker *w)
{
	for (;;) {
		int one = 1;
		int fd = accept4(w->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET };
		Conn *c;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		c = g_new0(Conn, 1);
		c->w = w;
		c->fd = fd;
		c->cap = BUF_START;
		c->buf = g_malloc(c->cap);
		ev.data.ptr = c;
		g_hash_table_add(w->conns, c);
		if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			conn_close(c);
	}
}

static void
conn_event(Conn *c, guint32 events)
{
	if (c->closed)
		return;
	/* Edge-triggered: a half-close that came with the request is seen
	 * once, here, and must outlive the request's trip to the store. */
	if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP))
		c->hup = TRUE;
	if (c->busy) {
		/* The store holds c: closing waits for its answer. */
		if (events & EPOLLIN)
			c->input = TRUE;
		return;
	}
	if ((events & EPOLLOUT) && c->out && c->out->len)
		flush(c);
	if (!c->closed)
		process(c);
}

static gpointer
worker_main(gpointer data)
{
	Worker *w = data;
	struct epoll_event evs[64];

	while (!atomic_load(&w->in->quit)) {
		int n = epoll_wait(w->ep, evs, G_N_ELEMENTS(evs), -1);
		if (n < 0 && errno != EINTR)
			break;
		/* The wake-up is consumed before the queue is taken: the store
		 * wakes only on an empty queue, so a completion pushed after the
		 * take must find the counter reset and raise it again. */
		for (int i = 0; i < n; i++) {
			guint64 count;
			if (evs[i].data.ptr == &w->wake && read(w->wake, &count, sizeof count) < 0 && errno != EAGAIN)
				relay_log("error", "msg=\"ingest wake-up failed\" error=\"%s\"", g_strerror(errno));
		}
		/* Finished webhooks first: a client's next request may be among
		 * these events. */
		completions(w);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == &w->listen_fd)
				accept_all(w);
			else if (evs[i].data.ptr != &w->wake)
				conn_event(evs[i].data.ptr, evs[i].events);
		}
		g_ptr_array_set_size(w->dead, 0);
	}
	return NULL;
}

static int
bind_socket(GSocketAddress *addr, gboolean share, GError **error)
{
	struct sockaddr_storage ss;
	int one = 1;
	int fd;

	if (!g_socket_address_to_native(addr, &ss, sizeof ss, error))
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    (share && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) ||
	    bind(fd, (struct sockaddr *) &ss, g_socket_address_get_native_size(addr)) < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s", g_strerror(e));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

RelayIngest *
relay_ingest_start(const RelayConfig *cfg, RelayStats *stats, RelayStore *store, GInetSocketAddress *address,
                   RelayHandoffFunc handoff, gpointer data, GError **error)
{
	RelayIngest *in = g_new0(RelayIngest, 1);
	guint16 port = g_inet_socket_address_get_port(address);
	GInetAddress *ip = g_inet_socket_address_get_address(address);
	int probe;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	/* A socket that does not share the port first: a second relay on the
	 * same port fails here instead of silently splitting the webhooks. */
	probe = bind_socket(G_SOCKET_ADDRESS(address), FALSE, error);
	if (probe < 0) {
		g_free(in);
		return NULL;
	}
	if (getsockname(probe, (struct sockaddr *) &ss, &len) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *) &ss)->sin6_port
		                                      : ((struct sockaddr_in *) &ss)->sin_port);
	close(probe);

	in->cfg = cfg;
	in->stats = stats;
	in->store = store;
	in->handoff = handoff;
	in->handoff_data = data;
	in->context = g_main_context_ref_thread_default();
	in->port = port;
	in->n = cfg->ingest_threads ? cfg->ingest_threads : CLAMP(g_get_num_processors(), 1, 4);
	in->workers = g_new0(Worker, in->n);
	for (guint i = 0; i < in->n; i++) {
		Worker *w = &in->workers[i];
		w->in = in;
		w->listen_fd = w->wake = w->ep = -1;
		g_mutex_init(&w->lock);
		g_queue_init(&w->done);
		w->conns = g_hash_table_new(NULL, NULL);
		w->dead = g_ptr_array_new_with_free_func((GDestroyNotify) conn_free);
	}
	for (guint i = 0; i < in->n; i++) {
		Worker *w = &in->workers[i];
		g_autoptr(GSocketAddress) a = g_inet_socket_address_new(ip, port);
		struct epoll_event lev = { .events = EPOLLIN, .data.ptr = &w->listen_fd };
		struct epoll_event wev = { .events = EPOLLIN, .data.ptr = &w->wake };

		w->listen_fd = bind_socket(a, TRUE, error);
		if (w->listen_fd < 0)
			goto fail;
		w->ep = epoll_create1(EPOLL_CLOEXEC);
		w->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (listen(w->listen_fd, 1024) < 0 || w->ep < 0 || w->wake < 0 ||
		    epoll_ctl(w->ep, EPOLL_CTL_ADD, w->listen_fd, &lev) < 0 ||
		    epoll_ctl(w->ep, EPOLL_CTL_ADD, w->wake, &wev) < 0) {
			int e = errno;
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s", g_strerror(e));
			goto fail;
		}
	}
#ifdef WAG_HAVE_LIBURING
	/* Refused by some sandboxes (seccomp), or by a low RLIMIT_MEMLOCK on
	 * kernels before 5.12: then every worker uses send(), so the log's
	 * answers= holds for all of them. */
	for (guint i = 0; i < in->n && !cfg->no_io_uring; i++) {
		int r = io_uring_queue_init(RING_ENTRIES, &in->workers[i].ring, 0);
		in->workers[i].ring_ok = r == 0;
		if (r < 0) {
			relay_log("info", "msg=\"io_uring unavailable, answering one by one\" error=\"%s\"", g_strerror(-r));
			for (guint j = 0; j < i; j++) {
				io_uring_queue_exit(&in->workers[j].ring);
				in->workers[j].ring_ok = FALSE;
			}
			break;
		}
	}
#endif
	for (guint i = 0; i < in->n; i++)
		in->workers[i].thread = g_thread_new("relay-ingest", worker_main, &in->workers[i]);
	return in;

fail:
	relay_ingest_stop(in);
	relay_ingest_free(in);
	return NULL;
}

guint16
relay_ingest_port(RelayIngest *in)
{
	return in->port;
}

const char *
relay_ingest_answers(RelayIngest *in)
{
#ifdef WAG_HAVE_LIBURING
	if (in->workers[0].ring_ok)
		return "io_uring";
#endif
	return "send";
}

void
relay_ingest_stop(RelayIngest *in)
{
	atomic_store(&in->quit, TRUE);
	for (guint i = 0; i < in->n; i++) {
		Worker *w = &in->workers[i];
		guint64 one = 1;
		if (w->thread) {
			if (write(w->wake, &one, sizeof one) < 0)
				relay_log("error", "msg=\"cannot stop an ingest worker\" error=\"%s\"", g_strerror(errno));
			g_thread_join(w->thread);
			w->thread = NULL;
		}
		if (w->listen_fd >= 0)
			close(w->listen_fd);
		w->listen_fd = -1;
		if (w->conns) {
			GHashTableIter it;
			gpointer c;
			g_autoptr(GPtrArray) open = g_ptr_array_new();
			g_hash_table_iter_init(&it, w->conns);
			while (g_hash_table_iter_next(&it, &c, NULL))
				g_ptr_array_add(open, c);
			for (guint j = 0; j < open->len; j++)
				conn_close(open->pdata[j]);
			g_ptr_array_set_size(w->dead, 0);
		}
	}
}

void
relay_ingest_free(RelayIngest *in)
{
	for (guint i = 0; i < in->n; i++) {
		Worker *w = &in->workers[i];
		GList *l;
		/* The store is closed: every webhook it held has come back here. */
		while ((l = g_queue_pop_head_link(&w->done))) {
			Conn *c = l->data;
			close(c->fd);
			conn_free(c);
		}
		if (w->ep >= 0)
			close(w->ep);
		if (w->wake >= 0)
			close(w->wake);
#ifdef WAG_HAVE_LIBURING
		if (w->ring_ok)
			io_uring_queue_exit(&w->ring);
#endif
		if (w->conns)
			g_hash_table_unref(w->conns);
		if (w->dead)
			g_ptr_array_unref(w->dead);
		g_mutex_clear(&w->lock);
	}
	g_free(in->workers);
	g_main_context_unref(in->context);
	g_free(in);
}
