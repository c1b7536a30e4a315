/*
 * puhui — the HTTP server: `puhui serve` and any program that embeds the
 * platform's API (docs/api.md).
 *
 * One process, N worker threads. Each worker runs its own libevent
 * event_base and evhttp, holds its own store connection (and a marketplace
 * opened on first use), and accepts from the one listening socket the server
 * binds. Requests are answered synchronously inside the worker's loop, so a
 * slow request holds up only its own worker.
 *
 * Limits (each answers with a problem+json document, docs/api.md#limits):
 * a body over max_body_bytes is 413, more than max_headers header lines or
 * more than max_header_bytes of header text is 431, more than
 * max_connections open connections is 503 with Retry-After; a connection idle
 * or stalled for timeout_s seconds is closed by libevent without an answer.
 *
 * Nothing here keeps global state, except what a server must: ph_server_run
 * ignores SIGPIPE and catches SIGTERM and SIGINT while it runs (the previous
 * handlers are put back when it returns).
 */
#ifndef PUHUI_SERVER_H
#define PUHUI_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options for ph_server_new. Zero-initialise, then set what you need: every
 * zero (or NULL) member takes the default named beside it. */
typedef struct ph_server_options {
    const char *listen;          /* "HOST:PORT" (IPv4 or [IPv6]); NULL: "127.0.0.1:8080";
                                    port 0 picks a free port (see ph_server_port) */
    int threads;                 /* worker threads; 0: the number of online cores */
    const char *store_uri;       /* the database, as for ph_store_open; required */
    const char *console_dir;     /* the web console's files served at /console/; NULL: none
                                    (every /console/ path is 404) */
    const char *access_log;      /* file the access log is appended to; NULL: stderr */
    size_t max_body_bytes;       /* 0: 1 MiB (1048576) */
    int max_headers;             /* header lines per request; 0: 64 */
    size_t max_header_bytes;     /* the request line and headers together; 0: 16 KiB */
    int timeout_s;               /* read and write timeout in seconds; 0: 10 */
    int max_connections;         /* open connections, all workers together; 0: 4096 */
    const char *evidence_dir;    /* the evidence log (docs/evidence.md) whose checkpoint, verifier
                                    key and proofs the server publishes; only ever read, never
                                    locked or written (puhui serve: <db>.evidence). NULL: none
                                    (the evidence routes answer 404) */
} ph_server_options;

typedef struct ph_server ph_server;

/*
 * Create a server: check the options, bind and listen on the address, open
 * one store connection per worker (each checked to be at the current schema)
 * and open the access log. No thread runs yet. Costs one store open per
 * worker.
 *
 * Errors: PH_EMISUSE (NULL ctx, opts, out or store_uri); PH_EINVAL field
 * "listen" naming the address when it is not HOST:PORT, field "threads" etc.
 * for a negative limit; PH_EIO naming the address and the system's reason
 * when it cannot be bound ("127.0.0.1:8080: Address already in use"), or
 * naming the access log when it cannot be opened; any error of ph_store_open
 * and ph_store_require_schema; PH_ENOMEM. On error nothing is left open.
 */
PH_EXTERN ph_status ph_server_new(const ph_ctx *ctx, const ph_server_options *opts,
                                  ph_server **out, ph_error *err);

/*
 * Serve until SIGTERM, SIGINT or ph_server_stop. Starts the worker threads
 * and blocks. On stop the workers stop accepting, finish the requests they
 * are answering and flush those replies (waiting at most timeout_s seconds),
 * close idle connections and flush the access log; then this returns PH_OK.
 * A server runs once: a second call is PH_EMISUSE.
 *
 * Errors: PH_EMISUSE (NULL srv, second call); PH_ENOMEM or PH_EIO when a
 * worker thread or an event cannot be created (threads already started are
 * stopped first).
 */
PH_EXTERN ph_status ph_server_run(ph_server *srv, ph_error *err);

/* Ask a running server to stop, as SIGTERM does. Safe from any thread and
 * from a signal handler (it only write(2)s one byte to a pipe); before
 * ph_server_run, makes it return at once. Cannot fail. */
PH_EXTERN void ph_server_stop(ph_server *srv);

/* The port the server is bound to (the real one when the options said 0). */
PH_EXTERN int ph_server_port(const ph_server *srv);

/* The number of worker threads. */
PH_EXTERN int ph_server_threads(const ph_server *srv);

/* Close the socket, the stores and the log. Not while ph_server_run runs.
 * NULL is allowed. */
PH_EXTERN void ph_server_free(ph_server *srv);

#ifdef __cplusplus
}
#endif

#endif
