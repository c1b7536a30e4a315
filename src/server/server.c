/*
 * The server's life: options, the listening socket, the workers (each an
 * event_base + evhttp + store connection), running until a stop, and the
 * graceful drain (docs/api.md#shutdown).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <sodium.h>

#include "puhui/apikey.h"
#include "puhui/market.h"
#include "puhui/schema.h"
#include "server/srv.h"

/* How often a worker writes out its access log lines, and checks its drain. */
#define TICK_MS 250
/* After a stop, how long a worker still reads and answers requests on its
 * open connections: those already in the socket buffers, or on their way. */
#define DRAIN_QUIET_MS 200
/* How long a worker stops accepting when it runs out of file descriptors. */
#define ACCEPT_PAUSE_MS 100

int64_t srv_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- api.h: the worker's store and market ------------------------------------------------ */

ph_store *srv_worker_store(srv_worker *w)
{
    return w->store;
}

const char *srv_worker_evidence_dir(srv_worker *w)
{
    return w->srv->evidence_dir;
}

ph_status srv_worker_market(srv_worker *w, ph_market **out, ph_error *err)
{
    unsigned generation = atomic_load(&w->srv->policy_generation);
    if (w->market && w->market_generation != generation) {
        ph_market_free(w->market);
        w->market = NULL;
    }
    if (!w->market) {
        ph_status st = ph_market_open(w->store, &w->market, err);
        if (st != PH_OK)
            return st;
        w->market_generation = generation;
    }
    *out = w->market;
    return PH_OK;
}

void srv_worker_policies_changed(srv_worker *w)
{
    atomic_fetch_add(&w->srv->policy_generation, 1);
}

void srv_worker_reply(srv_worker *w, const char *content_type, char *data, size_t len, int owned)
{
    if (w->reply_owned)
        free(w->reply_data);
    w->reply_type = content_type;
    w->reply_data = data;
    w->reply_len = len;
    w->reply_owned = owned;
}

/* ---- options and the socket ----------------------------------------------------------------- */

static ph_status copy_string(const ph_ctx *ctx, const char *from, char **to, ph_error *err)
{
    *to = NULL;
    if (!from)
        return PH_OK;
    *to = ph_strdup(ctx, from);
    return *to ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

static ph_status apply_defaults(ph_server *srv, const ph_server_options *in, ph_error *err)
{
    ph_server_options *o = &srv->opts;
    *o = *in;
    if (in->threads < 0 || in->max_headers < 0 || in->timeout_s < 0 || in->max_connections < 0) {
        const char *field = in->threads < 0       ? "threads"
                            : in->max_headers < 0 ? "max_headers"
                            : in->timeout_s < 0   ? "timeout_s"
                                                  : "max_connections";
        return ph_error_set(err, PH_EINVAL, field, NULL, "must be 0 (the default) or more");
    }
    if (!o->threads) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = cores > 0 ? (int)cores : 1;
    }
    if (o->threads > 256)
        return ph_error_set(err, PH_ERANGE, "threads", NULL, "at most 256 worker threads");
    if (!o->max_body_bytes)
        o->max_body_bytes = 1024 * 1024;
    if (!o->max_headers)
        o->max_headers = 64;
    if (!o->max_header_bytes)
        o->max_header_bytes = 16 * 1024;
    if (!o->timeout_s)
        o->timeout_s = 10;
    if (!o->max_connections)
        o->max_connections = 4096;
    ph_status st;
    if ((st = copy_string(srv->ctx, in->listen ? in->listen : "127.0.0.1:8080", &srv->listen,
                          err)) != PH_OK ||
        (st = copy_string(srv->ctx, in->store_uri, &srv->store_uri, err)) != PH_OK ||
        (st = copy_string(srv->ctx, in->console_dir, &srv->console_dir, err)) != PH_OK ||
        (st = copy_string(srv->ctx, in->access_log, &srv->access_log, err)) != PH_OK ||
        (st = copy_string(srv->ctx, in->evidence_dir, &srv->evidence_dir, err)) != PH_OK)
        return st;
    o->listen = srv->listen;
    o->store_uri = srv->store_uri;
    o->console_dir = srv->console_dir;
    o->access_log = srv->access_log;
    o->evidence_dir = srv->evidence_dir;
    return PH_OK;
}

/* "HOST:PORT" or "[V6]:PORT" into host and port. */
static ph_status split_address(const char *addr, char *host, size_t size, char *port,
                               size_t psize, ph_error *err)
{
    const char *colon = strrchr(addr, ':');
    const char *h = addr;
    size_t hlen = colon ? (size_t)(colon - addr) : 0;
    if (hlen >= 2 && addr[0] == '[' && addr[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    const char *p = colon ? colon + 1 : "";
    size_t plen = strlen(p);
    int digits = plen > 0 && plen <= 5 && strspn(p, "0123456789") == plen;
    if (!colon || hlen == 0 || hlen >= size || !digits || atoi(p) > 65535)
        return ph_error_set(err, PH_EINVAL, "listen", addr,
                            "expected HOST:PORT (127.0.0.1:8080, [::1]:8080; port 0 picks a "
                            "free port)");
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    snprintf(port, psize, "%s", p);
    return PH_OK;
}

/*
 * One listening socket, shared: every worker's evconnlistener watches the
 * same fd. Measured against one SO_REUSEPORT socket per worker (2 threads,
 * wrk -t2 -c50 on /healthz, this 2-core machine under load): 26.8 and 30.3 us
 * of CPU per request shared, 27.3 and 28.1 with SO_REUSEPORT: no difference
 * beyond the noise, since keep-alive makes accepts rare. The shared socket
 * wins on correctness: with SO_REUSEPORT a second server started by the same
 * user on the same port would bind without error and take half the traffic.
 */
static ph_status bind_socket(ph_server *srv, ph_error *err)
{
    char host[256], port[8];
    ph_status st = split_address(srv->listen, host, sizeof host, port, sizeof port, err);
    if (st != PH_OK)
        return st;
    struct addrinfo hints = {0}, *list = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0)
        return ph_error_set(err, PH_EINVAL, "listen", srv->listen, "cannot resolve the host: %s",
                            gai_strerror(rc));
    int saved = 0;
    for (struct addrinfo *a = list; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                        a->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 1024) == 0) {
            srv->fd = fd;
            break;
        }
        saved = errno;
        close(fd);
    }
    freeaddrinfo(list);
    if (srv->fd < 0)
        return ph_error_set(err, PH_EIO, "listen", srv->listen, "cannot listen on %s: %s",
                            srv->listen, strerror(saved));
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (getsockname(srv->fd, (struct sockaddr *)&ss, &sl) == 0) {
        char service[16];
        if (getnameinfo((struct sockaddr *)&ss, sl, NULL, 0, service, sizeof service,
                        NI_NUMERICSERV) == 0)
            srv->port = atoi(service);
    }
    return PH_OK;
}

/* ---- workers --------------------------------------------------------------------------------- */

static void worker_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    srv_worker *w = arg;
    srv_access_log_flush(w);
    if (w->draining && srv_drain_done(w))
        event_base_loopexit(w->base, NULL);
}

static void worker_stop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    srv_worker *w = arg;
    if (w->draining)
        return;
    w->draining = 1;
    w->drain_quiet_ms = srv_now_ms() + DRAIN_QUIET_MS;
    w->drain_deadline_ms = srv_now_ms() + (int64_t)w->srv->opts.timeout_s * 1000;
    if (w->listener)
        evconnlistener_disable(w->listener);
    /* The loop runs on: requests already on open connections are answered
     * (with Connection: close) until the quiet time is over and every reply
     * is written out, or the deadline comes (worker_tick, reply_done). */
}

/* ---- accepting: a pause when the process is out of file descriptors ------------------------ */

static void accept_resume(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    srv_worker *w = arg;
    if (!w->draining)
        evconnlistener_enable(w->listener);
}

static int find_worker(const struct event_base *base, const struct event *ev, void *arg)
{
    (void)base;
    if (event_get_callback(ev) != worker_tick)
        return 0;
    *(srv_worker **)arg = event_get_callback_arg(ev);
    return 1;
}

/* accept(2) failed with an error that is not "try again". Out of file
 * descriptors (EMFILE, ENFILE) or memory, the pending connection stays in
 * the backlog and the socket stays readable: without a pause the loop would
 * spin on it. Logged once per episode (no failure for a second ends one). */
static void accept_failed(struct evconnlistener *listener, void *arg)
{
    /* `arg` is evhttp's (evhttp_bind_listener set the listener's argument):
     * the worker is found by its tick event, always pending on its base. */
    (void)arg;
    srv_worker *w = NULL;
    event_base_foreach_event(evconnlistener_get_base(listener), find_worker, &w);
    if (!w) { /* cannot happen; still, never spin */
        evconnlistener_disable(listener);
        return;
    }
    int e = EVUTIL_SOCKET_ERROR();
    int64_t now = srv_now_ms();
    if (now - w->accept_error_ms > 1000 || w->accept_error_ms == 0)
        ph_log(w->srv->ctx, PH_LOG_WARN,
               "worker %d: cannot accept connections: %s; pausing %d ms at a time until it can",
               w->index, strerror(e), ACCEPT_PAUSE_MS);
    w->accept_error_ms = now;
    evconnlistener_disable(listener);
    struct timeval pause = {0, ACCEPT_PAUSE_MS * 1000};
    event_add(w->accept_event, &pause);
}

/* ---- NUL bytes: made visible ----------------------------------------------------------------- */

/*
 * Called as bytes arrive in a connection's input buffer, before libevent
 * parses them. libevent 2.1 keeps the request line and headers as C strings,
 * cut at a NUL, so "Authorization: Bearer KEY\0junk" would read as the key
 * alone. A NUL byte is never valid in a request to this server (not in a
 * request line or header, RFC 9110 5.5; not in JSON; bodies are JSON), so
 * each one is turned into 0x01 in place: a control byte that the key check,
 * the router and the JSON parser all refuse (docs/api.md#limits). Costs a
 * memchr over the new bytes, no copy.
 */
static void nul_scan(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    (void)arg;
    size_t len = evbuffer_get_length(buf);
    size_t added = info->n_added < len ? info->n_added : len;
    struct evbuffer_ptr at;
    if (added == 0 || evbuffer_ptr_set(buf, &at, len - added, EVBUFFER_PTR_SET) != 0)
        return;
    for (;;) {
        at = evbuffer_search(buf, "", 1, &at);
        if (at.pos < 0)
            return;
        struct evbuffer_iovec v;
        if (evbuffer_peek(buf, 1, &at, &v, 1) < 1 || v.iov_len < 1)
            return;
        *(char *)v.iov_base = '\x01';
        if (evbuffer_ptr_set(buf, &at, 1, EVBUFFER_PTR_ADD) != 0)
            return;
    }
}

/* A new connection's bufferevent: libevent's own kind, with nul_scan on its input. */
static struct bufferevent *new_connection_bev(struct event_base *base, void *arg)
{
    (void)arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (bev && !evbuffer_add_cb(bufferevent_get_input(bev), nul_scan, NULL)) {
        bufferevent_free(bev);
        return NULL;
    }
    return bev;
}

/* A non-blocking close-on-exec pipe. */
static int make_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

static ph_status worker_init(ph_server *srv, srv_worker *w, int index, ph_error *err)
{
    w->srv = srv;
    w->index = index;
    w->stop_pipe[0] = w->stop_pipe[1] = -1;
    if (make_pipe(w->stop_pipe) != 0)
        return ph_error_set(err, PH_EIO, NULL, NULL, "cannot make a pipe: %s", strerror(errno));
    ph_store_options so = {0};
    so.must_exist = 1;
    ph_status st = ph_store_open(srv->ctx, srv->store_uri, &so, &w->store, err);
    if (st == PH_OK)
        st = ph_store_require_schema(w->store, ph_schema_latest(), "puhui serve", err);
    if (st == PH_OK)
        st = ph_apikey_authenticator_new(w->store, &w->auth, err);
    if (st == PH_OK)
        st = srv_metrics_init(&w->metrics, srv->ctx, srv->n_routes, err);
    if (st != PH_OK)
        return st;
    w->base = event_base_new();
    w->http = w->base ? evhttp_new(w->base) : NULL;
    if (!w->http)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot create an event loop");
    const ph_server_options *o = &srv->opts;
    evhttp_set_gencb(w->http, srv_dispatch, w);
    /* Every method libevent knows reaches the dispatcher, which answers a
     * 405 problem with Allow; a method libevent does not know ("FOO") is
     * answered by libevent 2.1 itself with a plain 501 (docs/api.md#errors). */
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                            EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH |
                                            EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT);
    evhttp_set_bevcb(w->http, new_connection_bev, w);
    /* libevent's own caps sit above ours (twice), so a request a little over
     * our limit reaches the callback and gets a problem document; one far over
     * gets libevent's plain answer (docs/api.md#limits). */
    evhttp_set_max_body_size(w->http, (ev_ssize_t)(o->max_body_bytes * 2));
    evhttp_set_max_headers_size(w->http, (ev_ssize_t)(o->max_header_bytes * 2));
    evhttp_set_timeout(w->http, o->timeout_s);
    struct evconnlistener *listener =
        evconnlistener_new(w->base, NULL, NULL, 0, -1, (evutil_socket_t)srv->fd);
    if (!listener || !evhttp_bind_listener(w->http, listener)) {
        if (listener)
            evconnlistener_free(listener);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot listen in worker %d", index);
    }
    w->listener = listener;
    evconnlistener_set_error_cb(listener, accept_failed);
    w->accept_event = evtimer_new(w->base, accept_resume, w);
    w->stop_event = event_new(w->base, w->stop_pipe[0], EV_READ, worker_stop, w);
    w->tick_event = event_new(w->base, -1, EV_PERSIST, worker_tick, w);
    struct timeval tick = {0, TICK_MS * 1000};
    if (!w->stop_event || !w->tick_event || !w->accept_event ||
        event_add(w->tick_event, &tick) != 0 || event_add(w->stop_event, NULL) != 0)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot create the worker's events");
    return PH_OK;
}

static void worker_free(ph_server *srv, srv_worker *w)
{
    if (w->tick_event)
        event_free(w->tick_event);
    if (w->stop_event)
        event_free(w->stop_event);
    if (w->accept_event)
        event_free(w->accept_event);
    if (w->http)
        evhttp_free(w->http); /* frees the listener, not the shared socket */
    if (w->base)
        event_base_free(w->base);
    srv_access_log_flush(w);
    free(w->log_buf);
    free(w->conns);
    if (w->reply_owned)
        free(w->reply_data);
    ph_market_free(w->market);
    ph_apikey_authenticator_free(w->auth);
    ph_store_free(w->store);
    srv_metrics_free(&w->metrics, srv->ctx);
    for (int i = 0; i < 2; i++)
        if (w->stop_pipe[i] >= 0)
            close(w->stop_pipe[i]);
}

static void *worker_main(void *arg)
{
    srv_worker *w = arg;
    event_base_dispatch(w->base);
    srv_access_log_flush(w);
    return NULL;
}

/* ---- the server -------------------------------------------------------------------------------- */

ph_status ph_server_new(const ph_ctx *ctx, const ph_server_options *opts, ph_server **out,
                        ph_error *err)
{
    if (!ctx || !opts || !out || !opts->store_uri)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_server_new needs a context, options with a store URI and an "
                            "output");
    /* No evthread_use_pthreads(): each worker's event_base is touched by its
     * own thread only (the stop arrives through the worker's pipe), so
     * libevent needs no locks; they cost about 600 instructions of a
     * /healthz request under callgrind (docs/api.md#speed). */
    if (sodium_init() < 0)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot initialise libsodium");
    ph_server *srv = ph_calloc(ctx, 1, sizeof *srv);
    if (!srv)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    srv->ctx = ctx;
    srv->fd = -1;
    srv->log_fd = -1;
    srv->stop_pipe[0] = srv->stop_pipe[1] = -1;
    uint32_t boot = randombytes_random();
    snprintf(srv->boot_id, sizeof srv->boot_id, "%08x", (unsigned)boot);
    ph_status st = apply_defaults(srv, opts, err);
    if (st == PH_OK)
        st = srv_routes_collect(ctx, &srv->routes, &srv->n_routes, err);
    if (st == PH_OK && make_pipe(srv->stop_pipe) != 0)
        st = ph_error_set(err, PH_EIO, NULL, NULL, "cannot make a pipe: %s", strerror(errno));
    if (st == PH_OK && srv->access_log) {
        srv->log_fd = open(srv->access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (srv->log_fd < 0)
            st = ph_error_set(err, PH_EIO, "access_log", srv->access_log,
                              "cannot open the access log: %s", strerror(errno));
        srv->log_owned = 1;
    } else {
        srv->log_fd = STDERR_FILENO;
    }
    if (st == PH_OK)
        st = bind_socket(srv, err);
    if (st == PH_OK) {
        srv->workers = ph_calloc(ctx, (size_t)srv->opts.threads, sizeof *srv->workers);
        if (!srv->workers)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    for (int i = 0; st == PH_OK && i < srv->opts.threads; i++) {
        srv->n_workers = i + 1;
        st = worker_init(srv, &srv->workers[i], i, err);
    }
    if (st != PH_OK) {
        ph_server_free(srv);
        return st;
    }
    *out = srv;
    return PH_OK;
}

int ph_server_port(const ph_server *srv)
{
    return srv ? srv->port : 0;
}

int ph_server_threads(const ph_server *srv)
{
    return srv ? srv->n_workers : 0;
}

void ph_server_stop(ph_server *srv)
{
    if (srv && srv->stop_pipe[1] >= 0) {
        ssize_t rc = write(srv->stop_pipe[1], "x", 1);
        (void)rc; /* a full pipe already holds a stop */
    }
}

static void control_stop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(arg);
}

ph_status ph_server_run(ph_server *srv, ph_error *err)
{
    if (!srv || srv->ran)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_server_run runs a server once");
    srv->ran = 1;
    struct event_base *control = event_base_new();
    struct event *on_pipe = NULL, *on_term = NULL, *on_int = NULL;
    if (control) {
        on_pipe = event_new(control, srv->stop_pipe[0], EV_READ, control_stop, control);
        on_term = evsignal_new(control, SIGTERM, control_stop, control);
        on_int = evsignal_new(control, SIGINT, control_stop, control);
    }
    if (!on_pipe || !on_term || !on_int || event_add(on_pipe, NULL) || event_add(on_term, NULL) ||
        event_add(on_int, NULL)) {
        if (on_pipe)
            event_free(on_pipe);
        if (on_term)
            event_free(on_term);
        if (on_int)
            event_free(on_int);
        if (control)
            event_base_free(control);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot set up the signal handlers");
    }
    struct sigaction ignore = {0}, old_pipe;
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_pipe);

    /* The workers never take SIGTERM or SIGINT: the control loop here does. */
    sigset_t block, old_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old_mask);
    ph_status st = PH_OK;
    for (int i = 0; i < srv->n_workers; i++) {
        srv_worker *w = &srv->workers[i];
        int rc = pthread_create(&w->thread, NULL, worker_main, w);
        if (rc != 0) {
            st = ph_error_set(err, PH_ENOMEM, "threads", NULL,
                              "cannot start worker thread %d: %s", i, strerror(rc));
            break;
        }
        w->thread_started = 1;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);

    if (st == PH_OK)
        event_base_dispatch(control);
    for (int i = 0; i < srv->n_workers; i++)
        if (srv->workers[i].thread_started) {
            ssize_t rc = write(srv->workers[i].stop_pipe[1], "x", 1);
            (void)rc; /* a full pipe already holds a stop */
        }
    for (int i = 0; i < srv->n_workers; i++)
        if (srv->workers[i].thread_started) {
            pthread_join(srv->workers[i].thread, NULL);
            srv->workers[i].thread_started = 0;
        }
    event_free(on_pipe);
    event_free(on_term);
    event_free(on_int);
    event_base_free(control);
    sigaction(SIGPIPE, &old_pipe, NULL);
    return st;
}

void ph_server_free(ph_server *srv)
{
    if (!srv)
        return;
    const ph_ctx *ctx = srv->ctx;
    for (int i = 0; i < srv->n_workers; i++)
        worker_free(srv, &srv->workers[i]);
    ph_free(ctx, srv->workers);
    ph_free(ctx, (void *)srv->routes);
    if (srv->fd >= 0)
        close(srv->fd);
    if (srv->log_owned && srv->log_fd >= 0)
        close(srv->log_fd);
    for (int i = 0; i < 2; i++)
        if (srv->stop_pipe[i] >= 0)
            close(srv->stop_pipe[i]);
    ph_free(ctx, srv->listen);
    ph_free(ctx, srv->store_uri);
    ph_free(ctx, srv->console_dir);
    ph_free(ctx, srv->access_log);
    ph_free(ctx, srv->evidence_dir);
    ph_free(ctx, srv);
}
