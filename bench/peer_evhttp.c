/*
 * The benchmark's peer: a bare libevent evhttp server, one thread, that
 * answers every request with the same status, content type and body as
 * puhui's GET /healthz. bench/bench_http.sh runs it beside `puhui serve` in
 * the same run, so the ratio measures what puhui adds to evhttp (routing,
 * request ids, the access log, metrics) and nothing else.
 *
 *   peer_evhttp PORT BODY
 *
 * It prints "listening on PORT" once bound and stops on SIGTERM or SIGINT.
 */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct peer {
    const char *body;
    size_t len;
} peer;

static void answer(struct evhttp_request *req, void *arg)
{
    const peer *p = arg;
    struct evbuffer *out = evhttp_request_get_output_buffer(req);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      "application/json; charset=utf-8");
    evbuffer_add_reference(out, p->body, p->len, NULL, NULL);
    evhttp_send_reply(req, 200, "OK", NULL);
}

static void stop(evutil_socket_t sig, short events, void *arg)
{
    (void)sig;
    (void)events;
    event_base_loopbreak(arg);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: peer_evhttp PORT BODY\n");
        return 2;
    }
    peer p = {argv[2], strlen(argv[2])};
    struct event_base *base = event_base_new();
    struct evhttp *http = base ? evhttp_new(base) : NULL;
    if (http == NULL || evhttp_bind_socket(http, "127.0.0.1", (ev_uint16_t)atoi(argv[1])) != 0) {
        fprintf(stderr, "peer_evhttp: cannot listen on 127.0.0.1:%s\n", argv[1]);
        return 1;
    }
    evhttp_set_gencb(http, answer, &p);
    struct event *term = evsignal_new(base, SIGTERM, stop, base);
    struct event *intr = evsignal_new(base, SIGINT, stop, base);
    event_add(term, NULL);
    event_add(intr, NULL);
    printf("listening on %s\n", argv[1]);
    fflush(stdout);
    event_base_dispatch(base);
    event_free(term);
    event_free(intr);
    evhttp_free(http);
    event_base_free(base);
    return 0;
}
