#pragma once
#include <gio/gio.h>

/* The connection's streams, with prefix (bytes already read from its socket)
 * read first. Without a prefix: the connection itself, with a new ref. */
GIOStream *relay_prefixed_stream_new(GSocketConnection *conn, GBytes *prefix);
