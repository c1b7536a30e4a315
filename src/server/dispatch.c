/*
 * One request, from arrival to reply: the limits, the request id, routing,
 * the key and the authz row, the query and the body, the handler, the
 * answer (JSON or a problem document), then one access-log line and the
 * metrics. Runs in the worker that accepted the connection.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "server/srv.h"

#include "puhui/apikey.h"

/* Lines are written out when the buffer holds this much (and every tick). */
#define LOG_FLUSH_BYTES 32768


/* What one request did, for its reply, its log line and the metrics. */
typedef struct request {
    srv_worker *w;
    struct evhttp_request *req;
    int64_t t0_ns;
    char id[80];
    const char *method;
    const char *path;
    size_t route;               /* srv->n_routes when unmatched */
    int status;
    size_t bytes;
    srv_identity who;
    const char *refused;        /* a refusal's reason, or NULL */
    const char *authorization;  /* the headers read, found in check_limits' one pass */
    const char *client_id;
    int n_authorization;        /* more than one is refused */
    size_t n_headers, header_bytes;
    char refused_buf[160];
} request;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
    switch (cmd) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_PATCH: return "PATCH";
    case EVHTTP_REQ_TRACE: return "TRACE";
    case EVHTTP_REQ_CONNECT: return "CONNECT";
    default: return "OTHER";
    }
}

/* ---- the access log ----------------------------------------------------------------------- */

static int log_reserve(srv_worker *w, size_t more)
{
    if (w->log_len + more <= w->log_cap)
        return 1;
    size_t cap = w->log_cap ? w->log_cap : 65536;
    while (cap < w->log_len + more)
        cap *= 2;
    char *grown = realloc(w->log_buf, cap);
    if (!grown)
        return 0;
    w->log_buf = grown;
    w->log_cap = cap;
    return 1;
}

static void log_raw(srv_worker *w, const char *s, size_t n)
{
    if (log_reserve(w, n)) {
        memcpy(w->log_buf + w->log_len, s, n);
        w->log_len += n;
    }
}

/* A JSON string: quotes, backslashes, control bytes and bytes over 0x7e
 * escaped; runs of plain bytes copied at once. */
static void log_string(srv_worker *w, const char *s)
{
    log_raw(w, "\"", 1);
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (; *p; p++) {
        if (*p != '"' && *p != '\\' && *p >= 0x20 && *p <= 0x7e)
            continue;
        log_raw(w, (const char *)run, (size_t)(p - run));
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            log_raw(w, esc, 2);
        } else {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            log_raw(w, esc, 6);
        }
        run = p + 1;
    }
    log_raw(w, (const char *)run, (size_t)(p - run));
    log_raw(w, "\"", 1);
}

/* A string known to need no escaping (generated or checked request ids,
 * method names, route patterns, role names). */
static void log_plain(srv_worker *w, const char *s)
{
    log_raw(w, "\"", 1);
    log_raw(w, s, strlen(s));
    log_raw(w, "\"", 1);
}

static void log_uint(srv_worker *w, uint64_t v)
{
    char digits[24];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    log_raw(w, digits + n, sizeof digits - n);
}

void srv_access_log_flush(srv_worker *w)
{
    size_t done = 0;
    while (done < w->log_len) {
        ssize_t n = write(w->srv->log_fd, w->log_buf + done, w->log_len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the log is gone (disk full, closed pipe): drop, never block requests */
        done += (size_t)n;
    }
    w->log_len = 0;
}

static void access_log(request *rq, uint64_t dur_us)
{
    srv_worker *w = rq->w;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != w->log_second) { /* gmtime_r takes glibc's time-zone lock: once a second */
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        snprintf(w->log_stamp, sizeof w->log_stamp, "%04d-%02d-%02dT%02d:%02d:%02d",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        w->log_second = ts.tv_sec;
    }
    /* Hand-formatted: snprintf was a tenth of a /healthz request's CPU. */
    char ms[4] = {(char)('0' + ts.tv_nsec / 100000000), (char)('0' + ts.tv_nsec / 10000000 % 10),
                  (char)('0' + ts.tv_nsec / 1000000 % 10), '\0'};
    log_raw(w, "{\"ts\":\"", 7);
    log_raw(w, w->log_stamp, strlen(w->log_stamp));
    log_raw(w, ".", 1);
    log_raw(w, ms, 3);
    log_raw(w, "Z\",\"request_id\":", 16);
    log_plain(w, rq->id); /* ours, or a client's checked by srv_request_id_ok */
    log_raw(w, ",\"method\":", 10);
    log_plain(w, rq->method);
    log_raw(w, ",\"path\":", 8);
    log_string(w, rq->path);
    log_raw(w, ",\"route\":", 9);
    if (rq->route < w->srv->n_routes)
        log_plain(w, w->srv->routes[rq->route]->pattern);
    else
        log_raw(w, "null", 4);
    log_raw(w, ",\"status\":", 10);
    log_uint(w, (uint64_t)rq->status);
    log_raw(w, ",\"bytes\":", 9);
    log_uint(w, rq->bytes);
    log_raw(w, ",\"dur_us\":", 10);
    log_uint(w, dur_us);
    log_raw(w, ",\"role\":", 8);
    log_plain(w, srv_role_name(rq->who.role));
    log_raw(w, ",\"tenant\":", 10);
    log_string(w, rq->who.tenant);
    log_raw(w, ",\"key_id\":", 10);
    log_uint(w, rq->who.key_id > 0 ? (uint64_t)rq->who.key_id : 0);
    if (rq->refused) {
        log_raw(w, ",\"refused\":", 11);
        log_string(w, rq->refused);
    }
    log_raw(w, "}\n", 2);
    if (w->log_len >= LOG_FLUSH_BYTES)
        srv_access_log_flush(w);
}

/* ---- replies -------------------------------------------------------------------------------- */

/* The connection slot of a request's connection, or NULL. */
static srv_conn *conn_of(srv_worker *w, struct evhttp_connection *conn)
{
    evutil_socket_t fd = conn ? bufferevent_getfd(evhttp_connection_get_bufferevent(conn)) : -1;
    if (fd < 0 || (size_t)fd >= w->n_conns || w->conns[fd].conn != conn)
        return NULL;
    return &w->conns[fd];
}

int srv_drain_done(const srv_worker *w)
{
    int64_t now = srv_now_ms();
    return now >= w->drain_deadline_ms || (w->pending == 0 && now >= w->drain_quiet_ms);
}

/* The reply has been written out. A connection that fails first never gets
 * here: connection_closed takes its replies off w->pending instead. */
static void reply_done(struct evhttp_request *req, void *arg)
{
    srv_worker *w = arg;
    srv_conn *c = conn_of(w, evhttp_request_get_connection(req));
    if (c && c->pending > 0)
        c->pending--;
    if (w->pending > 0)
        w->pending--;
    if (w->draining && srv_drain_done(w))
        event_base_loopexit(w->base, NULL);
}

static void send_body(request *rq, int status, const char *type, const char *data, size_t len)
{
    struct evkeyvalq *out = evhttp_request_get_output_headers(rq->req);
    evhttp_add_header(out, "Content-Type", type);
    evhttp_add_header(out, "X-Request-Id", rq->id);
    if (rq->w->draining)
        evhttp_add_header(out, "Connection", "close");
    /* HEAD: the headers a GET would send, its Content-Length included, and
     * no body (libevent 2.1 writes whatever the output buffer holds, and adds
     * Content-Length only to answers that carry a body). */
    if (evhttp_request_get_command(rq->req) == EVHTTP_REQ_HEAD) {
        char length[24];
        snprintf(length, sizeof length, "%zu", len);
        evhttp_add_header(out, "Content-Length", length);
    } else {
        evbuffer_add(evhttp_request_get_output_buffer(rq->req), data, len);
    }
    rq->status = status;
    rq->bytes = len;
    srv_conn *c = conn_of(rq->w, evhttp_request_get_connection(rq->req));
    if (c) { /* always, as count_connection ran first; else the drain's deadline ends it */
        c->pending++;
        rq->w->pending++;
        evhttp_request_set_on_complete_cb(rq->req, reply_done, rq->w);
    }
    evhttp_send_reply(rq->req, status, srv_reason(status), NULL);
}

static void send_json(request *rq, int status, const char *type, json_t *doc)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    if (!text) {
        static const char fallback[] = "{\"type\":\"urn:puhui:problem:internal\","
                                       "\"title\":\"Internal error\",\"status\":500}";
        send_body(rq, 500, "application/problem+json", fallback, sizeof fallback - 1);
    } else {
        send_body(rq, status, type, text, strlen(text));
    }
    free(text);
}

/* Answer with a problem document; http 0 takes the status from err->code. */
static void send_problem(request *rq, int http, const char *slug, const char *title,
                         const ph_error *err)
{
    if (http == 0)
        http = srv_http_status(err->code);
    if (http >= 500 && http != 503)
        ph_log(rq->w->srv->ctx, PH_LOG_ERROR, "request %s %s %s: %s", rq->id, rq->method,
               rq->path, err->message);
    struct evkeyvalq *out = evhttp_request_get_output_headers(rq->req);
    if (http == 503)
        evhttp_add_header(out, "Retry-After", "1");
    json_t *doc = srv_problem(http, slug, title, err, rq->path, rq->id);
    send_json(rq, http, "application/problem+json", doc);
    json_decref(doc);
}

static void refuse(request *rq, srv_refusal why, const char *reason)
{
    srv_metrics_refusal(&rq->w->metrics, why);
    rq->refused = reason ? reason : srv_refusal_name(why);
}

/* ---- counting connections ------------------------------------------------------------------
 * libevent 2.1 has no hook on a new server connection, so a connection is
 * counted at its first request (remembered by its fd) and uncounted by the
 * close callback set then, which also takes its unwritten replies off the
 * worker's pending count (libevent calls no on-complete callback for the
 * replies of a connection that fails). A connection that never sends a
 * request is not counted; libevent closes it after the timeout. */

static int conn_reserve(srv_worker *w, int fd)
{
    if (fd < 0)
        return 0;
    if ((size_t)fd < w->n_conns)
        return 1;
    size_t n = (size_t)fd * 2 + 64;
    srv_conn *grown = realloc(w->conns, n * sizeof *grown);
    if (!grown)
        return 0;
    memset(grown + w->n_conns, 0, (n - w->n_conns) * sizeof *grown);
    w->conns = grown;
    w->n_conns = n;
    return 1;
}

static void connection_closed(struct evhttp_connection *conn, void *arg)
{
    srv_worker *w = arg;
    srv_conn *c = conn_of(w, conn);
    if (!c)
        return;
    w->pending -= c->pending;
    if (w->pending < 0)
        w->pending = 0;
    memset(c, 0, sizeof *c);
    atomic_fetch_sub_explicit(&w->srv->connections, 1, memory_order_relaxed);
    if (w->draining && srv_drain_done(w))
        event_base_loopexit(w->base, NULL);
}

static void count_connection(srv_worker *w, struct evhttp_request *req)
{
    struct evhttp_connection *conn = evhttp_request_get_connection(req);
    evutil_socket_t fd = conn ? bufferevent_getfd(evhttp_connection_get_bufferevent(conn)) : -1;
    if (!conn_reserve(w, fd) || w->conns[fd].conn == conn)
        return;
    w->conns[fd].conn = conn;
    w->conns[fd].pending = 0;
    atomic_fetch_add_explicit(&w->srv->connections, 1, memory_order_relaxed);
    evhttp_connection_set_closecb(conn, connection_closed, w);
}

/* ---- the checks before the handler ---------------------------------------------------------- */

/* One pass over the headers: their count and bytes for the limits, and the
 * two that the request reads later (evhttp_find_header would walk them
 * again, once for each). */
static void scan_headers(request *rq)
{
    struct evkeyvalq *in = evhttp_request_get_input_headers(rq->req);
    size_t count = 0, bytes = strlen(evhttp_request_get_uri(rq->req)) + strlen(rq->method) + 11;
    for (struct evkeyval *h = in->tqh_first; h; h = h->next.tqe_next) {
        size_t klen = strlen(h->key);
        count++;
        bytes += klen + strlen(h->value) + 4;
        if (klen == 13 && strcasecmp(h->key, "Authorization") == 0) {
            if (!rq->authorization)
                rq->authorization = h->value;
            rq->n_authorization++;
        }
        else if (klen == 12 && !rq->client_id && strcasecmp(h->key, "X-Request-Id") == 0)
            rq->client_id = h->value;
    }
    rq->n_headers = count;
    rq->header_bytes = bytes;
}

/* 0 when within the limits; else the problem has been sent. */
static int check_limits(request *rq)
{
    ph_server *srv = rq->w->srv;
    const ph_server_options *o = &srv->opts;
    ph_error err;
    if (atomic_load_explicit(&srv->connections, memory_order_relaxed) > o->max_connections) {
        char value[24];
        snprintf(value, sizeof value, "%d", o->max_connections);
        ph_error_set(&err, PH_EBUSY, "connections", NULL,
                     "the server has more than %d open connections; try again shortly",
                     o->max_connections);
        refuse(rq, SRV_REFUSE_CONNECTIONS, NULL);
        evhttp_add_header(evhttp_request_get_output_headers(rq->req), "Connection", "close");
        send_problem(rq, 503, "too-many-connections", "Too many connections", &err);
        return 1;
    }
    size_t count = rq->n_headers, bytes = rq->header_bytes;
    if (count > (size_t)o->max_headers || bytes > o->max_header_bytes) {
        char value[24];
        if (count > (size_t)o->max_headers) {
            snprintf(value, sizeof value, "%zu", count);
            ph_error_set(&err, PH_ERANGE, "headers", value, "at most %d header lines",
                         o->max_headers);
        } else {
            snprintf(value, sizeof value, "%zu", bytes);
            ph_error_set(&err, PH_ERANGE, "headers", value,
                         "at most %zu bytes of request line and headers", o->max_header_bytes);
        }
        refuse(rq, SRV_REFUSE_HEADERS, NULL);
        send_problem(rq, 431, "headers-too-large", "Request header fields too large", &err);
        return 1;
    }
    size_t body = evbuffer_get_length(evhttp_request_get_input_buffer(rq->req));
    if (body > o->max_body_bytes) {
        char value[24];
        snprintf(value, sizeof value, "%zu", body);
        ph_error_set(&err, PH_ERANGE, "body", value, "a body of at most %zu bytes",
                     o->max_body_bytes);
        refuse(rq, SRV_REFUSE_BODY, NULL);
        send_problem(rq, 413, "body-too-large", "Content too large", &err);
        return 1;
    }
    return 0;
}

/* The caller's identity from "Authorization: Bearer KEY". PH_EDENIED (401)
 * for a missing, malformed, unknown or revoked key; a store error as is. */
static ph_status authenticate(request *rq, ph_error *err)
{
    const char *auth = rq->authorization;
    if (!auth)
        return ph_error_set(err, PH_EDENIED, "Authorization", NULL,
                            "this route needs an API key: send Authorization: Bearer <key>");
    if (strncasecmp(auth, "Bearer ", 7) != 0)
        return ph_error_set(err, PH_EDENIED, "Authorization", NULL,
                            "expected Authorization: Bearer <key>");
    if (rq->n_authorization > 1)
        return ph_error_set(err, PH_EDENIED, "Authorization", NULL,
                            "expected one Authorization header, got %d", rq->n_authorization);
    const char *key = auth + 7;
    while (*key == ' ')
        key++;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return ph_error_set(err, PH_EDENIED, "Authorization", NULL,
                                "the API key is malformed, unknown or revoked");
    ph_apikey_info info;
    ph_error kerr;
    ph_status st =
        ph_apikey_authenticator_check(rq->w->auth, key, strlen(key), &info, &kerr);
    if (st == PH_EDENIED)
        return ph_error_set(err, PH_EDENIED, "Authorization", NULL,
                            "the API key is malformed, unknown or revoked");
    if (st != PH_OK) {
        *err = kerr;
        return st;
    }
    rq->who.role = (srv_role)info.role;
    snprintf(rq->who.tenant, sizeof rq->who.tenant, "%s", info.tenant);
    rq->who.key_id = info.id;
    snprintf(rq->who.label, sizeof rq->who.label, "%s", info.label);
    return PH_OK;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decode [from, end) into *to (NUL-terminated, advanced past it).
 * 0 for a '%' without two hex digits after it, or an escaped NUL. */
static int decode_part(const char *from, const char *end, char **to)
{
    char *out = *to;
    for (const char *p = from; p < end; p++) {
        if (*p != '%') {
            *out++ = *p;
            continue;
        }
        if (end - p < 3 || hex_value(p[1]) < 0 || hex_value(p[2]) < 0)
            return 0;
        char c = (char)(hex_value(p[1]) * 16 + hex_value(p[2]));
        if (c == '\0')
            return 0;
        *out++ = c;
        p += 2;
    }
    *out++ = '\0';
    *to = out;
    return 1;
}

/*
 * The query's name=value pairs, percent-decoded into call->query (the
 * strings in *store, malloc'd). Strict, so that a client never gets an
 * answer for a parameter other than the one it sent: a bad escape ("%zz"),
 * an escaped NUL ("%00"), an empty name or a repeated name is a 400 naming
 * the parameter. '+' is kept as is. An empty pair ("a=1&&b=2") is skipped.
 */
static ph_status parse_query(request *rq, char **store, srv_call *call, ph_error *err)
{
    const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(rq->req));
    if (!query || !*query)
        return PH_OK;
    size_t len = strlen(query);
    char *out = malloc(2 * len + 2);
    if (!out)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the query");
    *store = out;
    for (const char *p = query; *p;) {
        const char *amp = strchr(p, '&');
        const char *end = amp ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        const char *name_end = eq ? eq : end;
        if (end == p) {
            p = amp ? amp + 1 : end;
            continue;
        }
        char raw[128];
        snprintf(raw, sizeof raw, "%.*s", (int)(end - p), p);
        char *name = out;
        if (name_end == p || !decode_part(p, name_end, &out) || !*name)
            return ph_error_set(err, PH_EINVAL, "query", raw,
                                "name=value pairs, each name percent-encoded (%%XX, not %%00)");
        char *value = out;
        if (!decode_part(eq ? eq + 1 : end, end, &out))
            return ph_error_set(err, PH_EINVAL, name, raw,
                                "a value percent-encoded as %%XX with two hex digits, and no "
                                "%%00");
        for (size_t i = 0; i < call->n_query; i++)
            if (strcmp(call->query[i].name, name) == 0)
                return ph_error_set(err, PH_EINVAL, name, raw,
                                    "the parameter '%s' once (it is repeated)", name);
        if (call->n_query == SRV_MAX_QUERY)
            return ph_error_set(err, PH_EINVAL, "query", query, "at most %d query parameters",
                                SRV_MAX_QUERY);
        call->query[call->n_query].name = name;
        call->query[call->n_query].value = value;
        call->n_query++;
        p = amp ? amp + 1 : end;
    }
    return PH_OK;
}

static ph_status parse_body(request *rq, srv_call *call, char **text, ph_error *err)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(rq->req);
    size_t len = evbuffer_get_length(in);
    call->body_text = "";
    if (len == 0)
        return PH_OK;
    *text = malloc(len + 1);
    if (!*text)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the body");
    evbuffer_copyout(in, *text, len);
    (*text)[len] = '\0';
    call->body_text = *text;
    call->body_len = len;
    if (strcmp(rq->method, "POST") != 0)
        return PH_OK;
    json_t *doc = NULL;
    ph_status st = srv_parse_body(*text, len, &doc, err);
    if (st != PH_OK)
        return st;
    call->body = doc;
    return PH_OK;
}

/* ---- the request ------------------------------------------------------------------------------ */

static void run_route(request *rq)
{
    srv_worker *w = rq->w;
    ph_server *srv = w->srv;
    ph_error err;
    err.code = PH_OK; /* every other member is written by ph_error_set before use */
    char params_buf[2048], allow[64];
    srv_call call;
    memset(&call, 0, sizeof call);
    srv_match m = srv_route_find(srv->routes, srv->n_routes, rq->method, rq->path, &rq->route,
                                 params_buf, sizeof params_buf, call.params, &call.n_params,
                                 allow, sizeof allow);
    if (m == SRV_MATCH_NO_PATH) {
        ph_error_set(&err, PH_ENOTFOUND, "path", rq->path, "no such resource: %s", rq->path);
        send_problem(rq, 404, "not-found", "Not found", &err);
        return;
    }
    if (m == SRV_MATCH_NO_METHOD) {
        refuse(rq, SRV_REFUSE_METHOD, NULL);
        evhttp_add_header(evhttp_request_get_output_headers(rq->req), "Allow", allow);
        ph_error_set(&err, PH_EINVAL, "method", rq->method, "%s allows %s", rq->path, allow);
        send_problem(rq, 405, "method-not-allowed", "Method not allowed", &err);
        return;
    }
    const srv_route *route = srv->routes[rq->route];
    if (route->resource) {
        ph_status st = authenticate(rq, &err);
        if (st == PH_EDENIED) {
            refuse(rq, SRV_REFUSE_UNAUTHENTICATED, NULL);
            evhttp_add_header(evhttp_request_get_output_headers(rq->req), "WWW-Authenticate",
                              "Bearer realm=\"puhui\"");
            send_problem(rq, 401, "unauthenticated", "Unauthenticated", &err);
            return;
        }
        if (st != PH_OK) {
            srv_metrics_store_error(&w->metrics);
            send_problem(rq, 0, NULL, NULL, &err);
            return;
        }
        call.scope = srv_authz_scope(rq->who.role, route->resource, route->action);
        if (call.scope == SRV_SCOPE_NONE) {
            const char *role = srv_role_name(rq->who.role);
            snprintf(rq->refused_buf, sizeof rq->refused_buf, "no %s %s for role %s",
                     route->resource, route->action, role);
            refuse(rq, SRV_REFUSE_FORBIDDEN, rq->refused_buf);
            ph_error_set(&err, PH_EDENIED, "role", role, "%s %s key may not %s %s",
                         role[0] && strchr("aeiou", role[0]) ? "an" : "a", role, route->action,
                         route->resource);
            send_problem(rq, 403, "forbidden", "Forbidden", &err);
            return;
        }
    }

    char *query_text = NULL;
    char *body_text = NULL;
    call.worker = w;
    call.ctx = srv->ctx;
    call.who = &rq->who;
    call.method = rq->method;
    call.path = rq->path;
    call.route = route->pattern;
    ph_status st = parse_query(rq, &query_text, &call, &err);
    if (st == PH_OK)
        st = parse_body(rq, &call, &body_text, &err);
    if (st == PH_OK) {
        st = route->handler(&call, &err);
        for (size_t i = 0; i < call.n_outcomes && i < 8; i++)
            srv_metrics_outcome(&w->metrics, call.lender_outcome[i]);
        if (call.refused[0]) {
            snprintf(rq->refused_buf, sizeof rq->refused_buf, "%s", call.refused);
            refuse(rq, SRV_REFUSE_TENANT, rq->refused_buf);
        }
    }
    if (st != PH_OK) {
        if (st == PH_ESTORE || st == PH_EBUSY)
            srv_metrics_store_error(&w->metrics);
        if (err.code != st)
            ph_error_set(&err, st, NULL, NULL, "%s", ph_status_name(st));
        send_problem(rq, call.error_http, call.error_slug, call.error_title, &err);
    } else if (w->reply_data) {
        send_body(rq, call.status ? call.status : 200, w->reply_type, w->reply_data,
                  w->reply_len);
    } else if (call.raw_json) {
        send_body(rq, call.status ? call.status : 200, "application/json; charset=utf-8",
                  call.raw_json, call.raw_len);
    } else {
        send_json(rq, call.status ? call.status : 200, "application/json; charset=utf-8",
                  call.result ? call.result : json_null());
    }
    srv_worker_reply(w, NULL, NULL, 0, 0);
    json_decref(call.result);
    ph_free(srv->ctx, call.raw_json);
    json_decref(call.body);
    free(body_text);
    free(query_text);
}

static char *put_uint(char *at, uint64_t v)
{
    char digits[24];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(at, digits + n, sizeof digits - n);
    return at + (sizeof digits - n);
}

/* "<boot id>-<worker>-<sequence>" (at most 8 + 1 + 20 + 1 + 20 chars). */
static void make_request_id(char id[80], const char *boot, uint64_t worker, uint64_t seq)
{
    size_t blen = strlen(boot);
    memcpy(id, boot, blen);
    char *at = id + blen;
    *at++ = '-';
    at = put_uint(at, worker);
    *at++ = '-';
    at = put_uint(at, seq);
    *at = '\0';
}

void srv_dispatch(struct evhttp_request *req, void *arg)
{
    srv_worker *w = arg;
    ph_server *srv = w->srv;
    atomic_fetch_add_explicit(&srv->in_flight, 1, memory_order_relaxed);
    request rq;
    memset(&rq, 0, sizeof rq);
    rq.w = w;
    rq.req = req;
    rq.t0_ns = now_ns();
    rq.route = srv->n_routes;
    rq.method = method_name(evhttp_request_get_command(req));
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    rq.path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (!rq.path || !*rq.path)
        rq.path = "/";
    scan_headers(&rq);
    if (srv_request_id_ok(rq.client_id))
        snprintf(rq.id, sizeof rq.id, "%s", rq.client_id);
    else
        make_request_id(rq.id, srv->boot_id, (uint64_t)w->index, ++w->seq);

    count_connection(w, req);
    if (!check_limits(&rq))
        run_route(&rq);

    uint64_t dur_us = (uint64_t)((now_ns() - rq.t0_ns) / 1000);
    int method = strcmp(rq.method, "GET") == 0    ? SRV_METHOD_GET
                 : strcmp(rq.method, "POST") == 0 ? SRV_METHOD_POST
                                                  : SRV_METHOD_OTHER;
    srv_metrics_request(&w->metrics, rq.route, method, rq.status, dur_us);
    access_log(&rq, dur_us);
    atomic_fetch_sub_explicit(&srv->in_flight, 1, memory_order_relaxed);
}
