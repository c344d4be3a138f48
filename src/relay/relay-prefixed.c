/* An input stream that gives back bytes already read from a socket before
 * reading on from it. The ingest threads read requests off the socket once
 * (no peek-then-read); a connection they hand to libsoup carries what they
 * read of the next request in front of its socket stream. Pollable, since
 * libsoup reads its connections without blocking. */
#include "relay-prefixed.h"
#include <string.h>

typedef struct {
	GInputStream parent;
	GInputStream *base; /* pollable */
	GBytes *prefix;
	gsize offset;
} RelayPrefixed;

typedef GInputStreamClass RelayPrefixedClass;

static void relay_prefixed_pollable_init(GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE(RelayPrefixed, relay_prefixed, G_TYPE_INPUT_STREAM,
                        G_IMPLEMENT_INTERFACE(G_TYPE_POLLABLE_INPUT_STREAM, relay_prefixed_pollable_init))

#define RELAY_PREFIXED(o) (G_TYPE_CHECK_INSTANCE_CAST((o), relay_prefixed_get_type(), RelayPrefixed))

static gsize
left(RelayPrefixed *s)
{
	return s->prefix ? g_bytes_get_size(s->prefix) - s->offset : 0;
}

static gssize
take_prefix(RelayPrefixed *s, void *buffer, gsize count)
{
	gsize n = MIN(count, left(s));
	memcpy(buffer, (const char *) g_bytes_get_data(s->prefix, NULL) + s->offset, n);
	s->offset += n;
	if (!left(s))
		g_clear_pointer(&s->prefix, g_bytes_unref);
	return (gssize) n;
}

static gssize
prefixed_read(GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable, GError **error)
{
	RelayPrefixed *s = RELAY_PREFIXED(stream);
	if (left(s))
		return take_prefix(s, buffer, count);
	return g_input_stream_read(s->base, buffer, count, cancellable, error);
}

static gboolean
prefixed_close(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	return g_input_stream_close(RELAY_PREFIXED(stream)->base, cancellable, error);
}

static gboolean
prefixed_can_poll(GPollableInputStream *stream)
{
	return TRUE;
}

static gboolean
prefixed_is_readable(GPollableInputStream *stream)
{
	RelayPrefixed *s = RELAY_PREFIXED(stream);
	return left(s) || g_pollable_input_stream_is_readable(G_POLLABLE_INPUT_STREAM(s->base));
}

static GSource *
prefixed_create_source(GPollableInputStream *stream, GCancellable *cancellable)
{
	RelayPrefixed *s = RELAY_PREFIXED(stream);
	g_autoptr(GSource) child = NULL;

	if (left(s)) {
		/* Readable now: a source that fires at once. */
		child = g_timeout_source_new(0);
		g_source_set_dummy_callback(child);
	} else {
		child = g_pollable_input_stream_create_source(G_POLLABLE_INPUT_STREAM(s->base), cancellable);
	}
	return g_pollable_source_new_full(stream, child, cancellable);
}

static gssize
prefixed_read_nonblocking(GPollableInputStream *stream, void *buffer, gsize count, GError **error)
{
	RelayPrefixed *s = RELAY_PREFIXED(stream);
	if (left(s))
		return take_prefix(s, buffer, count);
	return g_pollable_input_stream_read_nonblocking(G_POLLABLE_INPUT_STREAM(s->base), buffer, count, NULL, error);
}

static void
relay_prefixed_finalize(GObject *object)
{
	RelayPrefixed *s = RELAY_PREFIXED(object);
	g_clear_pointer(&s->prefix, g_bytes_unref);
	g_object_unref(s->base);
	G_OBJECT_CLASS(relay_prefixed_parent_class)->finalize(object);
}

static void
relay_prefixed_init(RelayPrefixed *s)
{
}

static void
relay_prefixed_class_init(RelayPrefixedClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = relay_prefixed_finalize;
	klass->read_fn = prefixed_read;
	klass->close_fn = prefixed_close;
}

static void
relay_prefixed_pollable_init(GPollableInputStreamInterface *iface)
{
	iface->can_poll = prefixed_can_poll;
	iface->is_readable = prefixed_is_readable;
	iface->create_source = prefixed_create_source;
	iface->read_nonblocking = prefixed_read_nonblocking;
}

GIOStream *
relay_prefixed_stream_new(GSocketConnection *conn, GBytes *prefix)
{
	RelayPrefixed *in;
	GIOStream *io;

	if (!prefix || !g_bytes_get_size(prefix))
		return G_IO_STREAM(g_object_ref(conn));
	in = g_object_new(relay_prefixed_get_type(), NULL);
	in->base = g_object_ref(g_io_stream_get_input_stream(G_IO_STREAM(conn)));
	in->prefix = g_bytes_ref(prefix);
	io = g_simple_io_stream_new(G_INPUT_STREAM(in), g_io_stream_get_output_stream(G_IO_STREAM(conn)));
	g_object_unref(in);
	/* The connection owns the socket: it lives as long as its streams are used. */
	g_object_set_data_full(G_OBJECT(io), "relay-connection", g_object_ref(conn), g_object_unref);
	return io;
}
