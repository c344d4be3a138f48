/* The relay's front door: worker threads, each with its own listening
 * socket on the one port (SO_REUSEPORT), that take webhooks themselves and
 * hand every other connection (WebSocket /events, /healthz, /metrics, and
 * anything unusual, such as chunked bodies) to libsoup on the main context,
 * together with what they already read of it. A webhook's 200 is sent by
 * its worker once the store has committed it: the store's thread touches no
 * socket and goes straight on to the next commit. */
#pragma once
#include "relay.h"
#include "relay-store.h"
#include <gio/gio.h>

typedef struct _RelayIngest RelayIngest;

/* Runs on the main context with a connected socket, at a request boundary;
 * prefix: what was read from it already (the start of the next request). */
typedef void (*RelayHandoffFunc)(GSocket *socket, GBytes *prefix, gpointer data);

RelayIngest *relay_ingest_start(const RelayConfig *cfg, RelayStats *stats, RelayStore *store,
                                GInetSocketAddress *address, RelayHandoffFunc handoff, gpointer data,
                                GError **error);
/* The port actually bound (for port 0). */
guint16 relay_ingest_port(RelayIngest *in);
/* How the workers send the 200s of a commit: "io_uring" (one system call
 * for all of them) or "send" (one each). */
const char *relay_ingest_answers(RelayIngest *in);
/* Stops the workers; webhooks still at the store keep their memory until
 * relay_ingest_free, which must follow relay_store_close. */
void relay_ingest_stop(RelayIngest *in);
void relay_ingest_free(RelayIngest *in);
