/* The server's life through its public API (include/puhui/server.h): the
 * errors of ph_server_new, a real request over a socket, ph_server_stop from
 * another thread, a stop that comes before the run, and the evidence log's
 * public files. */
#include "ph_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "puhui/evidence.h"
#include "puhui/server.h"

static ph_ctx *ctx;
static char *dir;
static char *db;

static int setup(void **state)
{
    (void)state;
    ph_test_env_open("server", &ctx, &dir);
    ph_store *store = ph_test_open_db(ctx, dir, "server.db");
    ph_store_free(store);
    db = ph_test_path(dir, "server.db");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(db);
    ph_test_env_close(ctx, dir);
    return 0;
}

static ph_server_options options(const char *listen)
{
    ph_server_options o;
    memset(&o, 0, sizeof o);
    o.listen = listen;
    o.threads = 2;
    o.store_uri = db;
    return o;
}

static void test_new_errors(void **state)
{
    (void)state;
    ph_server *srv = NULL;
    ph_error err;
    ph_server_options o = options("nonsense");
    ph_assert_error(ph_server_new(ctx, &o, &srv, &err), PH_EINVAL, &err, "nonsense");
    assert_string_equal(err.field, "listen");
    o = options("127.0.0.1:99999");
    ph_assert_error(ph_server_new(ctx, &o, &srv, &err), PH_EINVAL, &err, "HOST:PORT");
    o = options("127.0.0.1:0");
    o.threads = -1;
    ph_assert_error(ph_server_new(ctx, &o, &srv, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.field, "threads");
    o = options("127.0.0.1:0");
    char *missing = ph_test_path(dir, "missing.db");
    o.store_uri = missing;
    ph_assert_error(ph_server_new(ctx, &o, &srv, &err), PH_ENOTFOUND, &err, "puhui init");
    free(missing);
    assert_null(srv);
    assert_int_equal(ph_server_new(ctx, NULL, &srv, &err), PH_EMISUSE);

    /* A port in use is an error naming the address. */
    ph_server *first = NULL;
    o = options("127.0.0.1:0");
    ph_assert_ok(ph_server_new(ctx, &o, &first, &err), &err);
    assert_true(ph_server_port(first) > 0);
    char taken[32];
    snprintf(taken, sizeof taken, "127.0.0.1:%d", ph_server_port(first));
    o = options(taken);
    ph_assert_error(ph_server_new(ctx, &o, &srv, &err), PH_EIO, &err, taken);
    ph_server_free(first);
}

static void *run_server(void *arg)
{
    static ph_status result;
    ph_error err;
    result = ph_server_run(arg, &err);
    return &result;
}

/* One HTTP/1.0 request; the whole answer into buf. */
static void fetch(int port, const char *request, char *buf, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(write(fd, request, strlen(request)), (ssize_t)strlen(request));
    size_t got = 0;
    ssize_t n;
    while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(fd);
}

static void test_run_request_stop(void **state)
{
    (void)state;
    ph_server *srv = NULL;
    ph_error err;
    ph_server_options o = options("127.0.0.1:0");
    char *log = ph_test_path(dir, "access.log");
    o.access_log = log;
    ph_assert_ok(ph_server_new(ctx, &o, &srv, &err), &err);
    assert_int_equal(ph_server_threads(srv), 2);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, run_server, srv), 0);
    char answer[4096];
    fetch(ph_server_port(srv), "GET /healthz HTTP/1.0\r\nX-Request-Id: t-1\r\n\r\n", answer,
          sizeof answer);
    assert_non_null(strstr(answer, "HTTP/1.0 200") ? answer : strstr(answer, "HTTP/1.1 200"));
    assert_non_null(strstr(answer, "X-Request-Id: t-1"));
    assert_non_null(strstr(answer, "{\"status\":\"ok\"}"));
    fetch(ph_server_port(srv), "GET /v1/nothing HTTP/1.0\r\n\r\n", answer, sizeof answer);
    assert_non_null(strstr(answer, " 404 "));
    assert_non_null(strstr(answer, "application/problem+json"));

    ph_server_stop(srv); /* from another thread than the one running it */
    void *result = NULL;
    assert_int_equal(pthread_join(thread, &result), 0);
    assert_int_equal(*(ph_status *)result, PH_OK);
    assert_int_equal(ph_server_run(srv, &err), PH_EMISUSE); /* a server runs once */
    ph_server_free(srv);

    /* Both requests were logged, one line each, once the server stopped. */
    char *text = NULL;
    size_t len = 0;
    ph_assert_ok(ph_read_file(ctx, log, NULL, &text, &len, &err), &err);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    assert_int_equal(lines, 2);
    ph_free(ctx, text);
    free(log);
}

static void test_stop_before_run(void **state)
{
    (void)state;
    ph_server *srv = NULL;
    ph_error err;
    ph_server_options o = options("127.0.0.1:0");
    o.access_log = "/dev/null";
    ph_assert_ok(ph_server_new(ctx, &o, &srv, &err), &err);
    ph_server_stop(srv);
    ph_assert_ok(ph_server_run(srv, &err), &err); /* returns at once */
    ph_server_free(srv);
    ph_server_free(NULL);
}

/* The evidence log's public files: served as written, without a key, only
 * read (the log's writer keeps its lock); none yet, or no log, is a 404. */
static void test_evidence_files(void **state)
{
    (void)state;
    ph_error err;
    char *logdir = ph_test_path(dir, "server.db.evidence");
    ph_evidence_log *log = NULL;
    ph_assert_ok(ph_evidence_open(ctx, logdir, NULL, 1, &log, &err), &err);
    char *sk = ph_test_path(logdir, "log.key"), *vk = ph_test_path(logdir, "log.vkey");
    ph_assert_ok(ph_evidence_keygen(ctx, ph_evidence_origin(log), sk, vk, &err), &err);
    ph_server *srv = NULL;
    ph_server_options o = options("127.0.0.1:0");
    o.access_log = "/dev/null";
    o.evidence_dir = logdir;
    ph_assert_ok(ph_server_new(ctx, &o, &srv, &err), &err);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, run_server, srv), 0);
    char answer[4096];
    fetch(ph_server_port(srv), "GET /v1/evidence/checkpoint HTTP/1.0\r\n\r\n", answer,
          sizeof answer);
    assert_non_null(strstr(answer, " 404 "));
    assert_non_null(strstr(answer, "no signed checkpoint yet"));
    /* the writer (still holding its lock) appends and signs; the server reads the note */
    ph_assert_ok(ph_evidence_append(log, "{\"type\":\"test\"}", 15, NULL, &err), &err);
    char *note = NULL;
    ph_assert_ok(ph_evidence_checkpoint(log, sk, &note, &err), &err);
    fetch(ph_server_port(srv), "GET /v1/evidence/checkpoint HTTP/1.0\r\n\r\n", answer,
          sizeof answer);
    assert_non_null(strstr(answer, " 200 "));
    assert_non_null(strstr(answer, "Content-Type: text/plain; charset=utf-8"));
    const char *body = strstr(answer, "\r\n\r\n");
    assert_non_null(body);
    assert_string_equal(body + 4, note);
    fetch(ph_server_port(srv), "GET /v1/evidence/key HTTP/1.0\r\n\r\n", answer, sizeof answer);
    assert_non_null(strstr(answer, " 200 "));
    size_t vlen = 0;
    char *vkey = NULL;
    ph_assert_ok(ph_read_file(ctx, vk, NULL, &vkey, &vlen, &err), &err);
    body = strstr(answer, "\r\n\r\n");
    assert_non_null(body);
    assert_int_equal(strlen(body + 4), vlen);
    assert_memory_equal(body + 4, vkey, vlen);
    ph_server_stop(srv);
    assert_int_equal(pthread_join(thread, NULL), 0);
    ph_server_free(srv);
    /* a server without an evidence log says so */
    o.evidence_dir = NULL;
    ph_assert_ok(ph_server_new(ctx, &o, &srv, &err), &err);
    assert_int_equal(pthread_create(&thread, NULL, run_server, srv), 0);
    fetch(ph_server_port(srv), "GET /v1/evidence/key HTTP/1.0\r\n\r\n", answer, sizeof answer);
    assert_non_null(strstr(answer, " 404 "));
    assert_non_null(strstr(answer, "publishes no evidence log"));
    ph_server_stop(srv);
    assert_int_equal(pthread_join(thread, NULL), 0);
    ph_server_free(srv);
    ph_free(ctx, vkey);
    ph_free(ctx, note);
    ph_evidence_free(log);
    free(sk);
    free(vk);
    free(logdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_errors),
        cmocka_unit_test(test_run_request_stop),
        cmocka_unit_test(test_stop_before_run),
        cmocka_unit_test(test_evidence_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
