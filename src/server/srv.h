/*
 * The HTTP core's private declarations: the server and its workers, routing,
 * problems, metrics and the access log (server.c, dispatch.c, routes.c,
 * problem.c, metrics.c). Endpoint handlers see only api.h.
 */
#ifndef PUHUI_SERVER_SRV_H
#define PUHUI_SERVER_SRV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "puhui/server.h"
#include "server/api.h"

struct event_base;
struct evhttp;
struct evconnlistener;
struct event;
struct evhttp_connection;

/* ---- metrics (metrics.c): one set per worker, summed at scrape ---------------------------- */

enum { SRV_METHOD_GET, SRV_METHOD_POST, SRV_METHOD_OTHER, SRV_METHOD_COUNT };
/* The statuses counted one by one; any other lands in the last slot ("other"). */
#define SRV_STATUS_COUNT 17
#define SRV_BUCKETS 13
#define SRV_OUTCOMES_MAX 64

typedef enum srv_refusal {
    SRV_REFUSE_UNAUTHENTICATED, /* no key, or a bad one: 401 */
    SRV_REFUSE_FORBIDDEN,       /* no authz row: 403 */
    SRV_REFUSE_TENANT,          /* another tenant's row (srv_refuse): 404 */
    SRV_REFUSE_BODY,            /* body over the limit: 413 */
    SRV_REFUSE_HEADERS,         /* too many headers or header bytes: 431 */
    SRV_REFUSE_CONNECTIONS,     /* over max connections: 503 */
    SRV_REFUSE_METHOD,          /* a method no route of the path has: 405 */
    SRV_REFUSE_COUNT
} srv_refusal;

typedef struct srv_outcome_count {
    char key[56]; /* "L001:offer" */
    _Atomic uint64_t n;
} srv_outcome_count;

/* Written only by the owning worker (plain load + store, no lock prefix);
 * read by whichever worker answers /metrics. */
typedef struct srv_metrics {
    size_t n_routes;                    /* known routes; index n_routes is "unmatched" */
    _Atomic uint64_t *requests;         /* [(n_routes+1) * SRV_METHOD_COUNT * SRV_STATUS_COUNT] */
    _Atomic uint64_t *buckets;          /* [(n_routes+1) * (SRV_BUCKETS+1)], not cumulative */
    _Atomic uint64_t *sum_us;           /* [n_routes+1] */
    _Atomic uint64_t store_errors;
    _Atomic uint64_t refusals[SRV_REFUSE_COUNT];
    srv_outcome_count outcomes[SRV_OUTCOMES_MAX];
    _Atomic size_t n_outcomes;
} srv_metrics;

ph_status srv_metrics_init(srv_metrics *m, const ph_ctx *ctx, size_t n_routes, ph_error *err);
void srv_metrics_free(srv_metrics *m, const ph_ctx *ctx);
void srv_metrics_request(srv_metrics *m, size_t route, int method, int status, uint64_t dur_us);
void srv_metrics_refusal(srv_metrics *m, srv_refusal why);
void srv_metrics_store_error(srv_metrics *m);
void srv_metrics_outcome(srv_metrics *m, const char *lender_outcome);
const char *srv_refusal_name(srv_refusal why);
/* The Prometheus text (format 0.0.4) of all workers' metrics, malloc'd. */
char *srv_metrics_render(const ph_server *srv, size_t *len);

/* ---- the server and its workers (server.c) ------------------------------------------------ */

/* One connection of a worker, found by its fd. */
typedef struct srv_conn {
    struct evhttp_connection *conn; /* counted in srv->connections; NULL when free */
    long pending;                   /* its replies not yet written out (in w->pending) */
} srv_conn;

struct srv_worker {
    ph_server *srv;
    int index;
    ph_store *store;
    struct ph_apikey_authenticator *auth; /* the key check's statement, kept */
    ph_market *market;
    unsigned market_generation;
    struct event_base *base;
    struct evhttp *http;
    struct evconnlistener *listener;
    struct event *stop_event;   /* reads stop_pipe: the control thread writes a byte */
    int stop_pipe[2];           /* per worker, so no libevent lock is ever needed */
    struct event *tick_event;   /* flushes the access log; checks the drain deadline */
    struct event *accept_event; /* re-enables the listener after a pause (EMFILE) */
    int64_t accept_error_ms;    /* the last accept failure: one log line per episode */
    pthread_t thread;
    int thread_started;
    int draining;
    int64_t drain_deadline_ms;  /* give up on replies still being written */
    int64_t drain_quiet_ms;     /* until then, requests already sent are still read */
    long pending;               /* replies sent but not yet written out */
    uint64_t seq;               /* request ids */
    struct srv_conn *conns;     /* by fd: the connections counted in srv->connections */
    size_t n_conns;
    srv_metrics metrics;
    char *log_buf;              /* the access log lines not yet written */
    size_t log_len, log_cap;
    int64_t log_second;         /* the second log_stamp shows */
    char log_stamp[64];         /* "2026-12-07T17:51:13" */
    /* A non-JSON answer of a public route (metrics, console files): */
    const char *reply_type;
    char *reply_data;
    size_t reply_len;
    int reply_owned;
};

struct ph_server {
    const ph_ctx *ctx;
    ph_server_options opts;     /* the defaults applied; strings point into the copies below */
    char *listen, *store_uri, *console_dir, *access_log, *evidence_dir;
    int fd;                     /* the listening socket, shared by the workers */
    int port;
    int n_workers;
    srv_worker *workers;
    const srv_route **routes;   /* every route, the tables of routes.c flattened */
    size_t n_routes;
    _Atomic unsigned policy_generation;
    _Atomic int connections;
    _Atomic int in_flight;
    int log_fd;
    int log_owned;
    int stop_pipe[2];
    int ran;
    char boot_id[9];            /* 8 hex digits: request ids of this process */
};

int64_t srv_now_ms(void);

/* A public route's answer that is not JSON: `data`, taken over (free()d after
 * the reply) when `owned`, else static. */
void srv_worker_reply(srv_worker *w, const char *content_type, char *data, size_t len, int owned);

/* The OpenAPI document, embedded at build time from docs/openapi.json. */
extern const char srv_openapi_json[];
extern const size_t srv_openapi_json_len;

/* ---- routing (routes.c) --------------------------------------------------------------------- */

/* Every route of every table, in order, into a malloc'd array. */
ph_status srv_routes_collect(const ph_ctx *ctx, const srv_route ***out, size_t *count,
                             ph_error *err);

/*
 * Match `path` against `pattern`: literal segments compare exactly, "{name}"
 * takes one non-empty segment (percent-decoded into `buf`), and a last
 * segment "{*}" takes the rest of the path, slashes included (possibly empty).
 * Returns 1 on a match with params[0..*n) pointing into buf; 0 otherwise
 * (also when buf is too small or a parameter does not decode).
 */
int srv_pattern_match(const char *pattern, const char *path, char *buf, size_t size,
                      const char **params, size_t *n);

/* The dispatcher's verdict on a method and path. */
typedef enum srv_match { SRV_MATCH_OK, SRV_MATCH_NO_PATH, SRV_MATCH_NO_METHOD } srv_match;

/* Find the route of method + path among `routes`. On OK: *index and the
 * params. On NO_METHOD: `allow` holds "GET, HEAD, POST" (the methods the path has,
 * HEAD wherever GET is).
 * HEAD matches a GET route. */
srv_match srv_route_find(const srv_route *const *routes, size_t count, const char *method,
                         const char *path, size_t *index, char *buf, size_t size,
                         const char **params, size_t *n, char *allow, size_t allow_size);

/* The content type of a static file, by its name's extension. */
const char *srv_content_type(const char *name);

/* ---- problems and request ids (problem.c) ----------------------------------------------------- */

/* The HTTP status of an error status (400, 404, 409, 403, 503 or 500). */
int srv_http_status(ph_status status);
/* The reason phrase of an HTTP status ("Not Found"). */
const char *srv_reason(int http_status);

/*
 * The RFC 9457 problem document (docs/api.md#errors). `http_status` 0 takes
 * the status from err->code; `slug` and `title` NULL take them from the
 * status. For a 5xx other than 503 the detail is generic and the error's
 * parts are left out (the caller logs the full message).
 */
json_t *srv_problem(int http_status, const char *slug, const char *title, const ph_error *err,
                    const char *instance, const char *request_id);

/* A POST body: a JSON object (duplicate members refused). Malformed JSON is
 * PH_EINVAL field "body" located at its line and column ("body:1:9"); any
 * other JSON value is PH_EINVAL "a JSON object". */
ph_status srv_parse_body(const char *text, size_t len, json_t **out, ph_error *err);

/* Whether a client's X-Request-Id is sane: 1..64 chars of [A-Za-z0-9._-]. */
int srv_request_id_ok(const char *id);

/* ---- the request callback (dispatch.c) ---------------------------------------------------------- */

struct evhttp_request;
void srv_dispatch(struct evhttp_request *req, void *worker);
/* Write the worker's buffered access log lines (whole lines, one write(2)). */
void srv_access_log_flush(srv_worker *w);
/* Whether a draining worker may stop now (no reply left, the quiet time over). */
int srv_drain_done(const srv_worker *w);

/* ---- public routes (routes.c) ----------------------------------------------------------------------- */

extern const srv_route srv_routes_public[];

#endif
