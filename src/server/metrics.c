/*
 * Prometheus metrics (text format 0.0.4). Each worker counts into its own
 * srv_metrics, written only by that worker with plain relaxed load + store
 * (no lock, no read-modify-write), and /metrics sums the workers' counters
 * as it renders. Nothing global: the metrics hang off the server.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv.h"

static const int counted_statuses[SRV_STATUS_COUNT - 1] = {
    200, 201, 204, 301, 304, 400, 401, 403, 404, 405, 409, 413, 431, 500, 503, 502,
};

/* Upper bounds of the latency buckets, in microseconds and as printed. */
static const uint64_t bucket_us[SRV_BUCKETS] = {500,   1000,   2500,   5000,    10000,
                                                25000, 50000,  100000, 250000, 500000,
                                                1000000, 2500000, 5000000};
static const char *const bucket_le[SRV_BUCKETS] = {"0.0005", "0.001", "0.0025", "0.005",
                                                   "0.01",   "0.025", "0.05",   "0.1",
                                                   "0.25",   "0.5",   "1",      "2.5",
                                                   "5"};
static const char *const method_names[SRV_METHOD_COUNT] = {"GET", "POST", "other"};
static const char *const refusal_names[SRV_REFUSE_COUNT] = {
    "unauthenticated", "forbidden", "tenant", "body_too_large", "too_many_headers",
    "too_many_connections", "method_not_allowed"};

const char *srv_refusal_name(srv_refusal why)
{
    return why < SRV_REFUSE_COUNT ? refusal_names[why] : "unknown";
}

static void bump(_Atomic uint64_t *c, uint64_t by)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + by,
                          memory_order_relaxed);
}

static uint64_t get(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

ph_status srv_metrics_init(srv_metrics *m, const ph_ctx *ctx, size_t n_routes, ph_error *err)
{
    memset(m, 0, sizeof *m);
    m->n_routes = n_routes;
    size_t rows = n_routes + 1;
    m->requests = ph_calloc(ctx, rows * SRV_METHOD_COUNT * SRV_STATUS_COUNT, sizeof *m->requests);
    m->buckets = ph_calloc(ctx, rows * (SRV_BUCKETS + 1), sizeof *m->buckets);
    m->sum_us = ph_calloc(ctx, rows, sizeof *m->sum_us);
    if (!m->requests || !m->buckets || !m->sum_us) {
        srv_metrics_free(m, ctx);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the metrics");
    }
    return PH_OK;
}

void srv_metrics_free(srv_metrics *m, const ph_ctx *ctx)
{
    ph_free(ctx, m->requests);
    ph_free(ctx, m->buckets);
    ph_free(ctx, m->sum_us);
    m->requests = m->buckets = m->sum_us = NULL;
}

static size_t status_slot(int status)
{
    for (size_t i = 0; i < SRV_STATUS_COUNT - 1; i++)
        if (counted_statuses[i] == status)
            return i;
    return SRV_STATUS_COUNT - 1;
}

void srv_metrics_request(srv_metrics *m, size_t route, int method, int status, uint64_t dur_us)
{
    if (route > m->n_routes)
        route = m->n_routes;
    bump(&m->requests[(route * SRV_METHOD_COUNT + (size_t)method) * SRV_STATUS_COUNT +
                      status_slot(status)],
         1);
    size_t b = 0;
    while (b < SRV_BUCKETS && dur_us > bucket_us[b])
        b++;
    bump(&m->buckets[route * (SRV_BUCKETS + 1) + b], 1);
    bump(&m->sum_us[route], dur_us);
}

void srv_metrics_refusal(srv_metrics *m, srv_refusal why)
{
    if (why < SRV_REFUSE_COUNT)
        bump(&m->refusals[why], 1);
}

void srv_metrics_store_error(srv_metrics *m)
{
    bump(&m->store_errors, 1);
}

void srv_metrics_outcome(srv_metrics *m, const char *lender_outcome)
{
    if (!lender_outcome || !lender_outcome[0])
        return;
    size_t n = atomic_load_explicit(&m->n_outcomes, memory_order_relaxed);
    for (size_t i = 0; i < n; i++)
        if (strcmp(m->outcomes[i].key, lender_outcome) == 0) {
            bump(&m->outcomes[i].n, 1);
            return;
        }
    if (n == SRV_OUTCOMES_MAX)
        return; /* a bounded label set: more lenders than this are not counted apart */
    snprintf(m->outcomes[n].key, sizeof m->outcomes[n].key, "%s", lender_outcome);
    atomic_store_explicit(&m->outcomes[n].n, 1, memory_order_relaxed);
    atomic_store_explicit(&m->n_outcomes, n + 1, memory_order_release);
}

/* ---- rendering ---------------------------------------------------------------------------- */

typedef struct text {
    char *buf;
    size_t len, cap;
    int failed;
} text;

static void put(text *t, const char *fmt, ...) PH_PRINTF(2, 3);

static void put(text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap * 2 + (size_t)n + 1;
        char *grown = realloc(t->buf, cap);
        if (!grown) {
            t->failed = 1;
            return;
        }
        t->buf = grown;
        t->cap = cap;
    }
}

/* A label value: route patterns and lender ids hold no quote or backslash,
 * but escape them anyway, as the format asks. */
static void put_label(text *t, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\')
            put(t, "\\%c", *p);
        else if (*p == '\n')
            put(t, "\\n");
        else
            put(t, "%c", *p);
    }
}

static const char *route_name(const ph_server *srv, size_t r)
{
    return r < srv->n_routes ? srv->routes[r]->pattern : "unmatched";
}

char *srv_metrics_render(const ph_server *srv, size_t *len)
{
    text t = {malloc(16384), 0, 16384, 0};
    if (!t.buf)
        return NULL;
    size_t rows = srv->n_routes + 1;

    put(&t, "# HELP puhui_http_requests_total HTTP requests answered, by route, method and "
            "status.\n# TYPE puhui_http_requests_total counter\n");
    for (size_t r = 0; r < rows; r++)
        for (size_t m = 0; m < SRV_METHOD_COUNT; m++)
            for (size_t s = 0; s < SRV_STATUS_COUNT; s++) {
                uint64_t n = 0;
                size_t at = (r * SRV_METHOD_COUNT + m) * SRV_STATUS_COUNT + s;
                for (int w = 0; w < srv->n_workers; w++)
                    n += get(&srv->workers[w].metrics.requests[at]);
                if (!n)
                    continue;
                put(&t, "puhui_http_requests_total{route=\"");
                put_label(&t, route_name(srv, r));
                if (s < SRV_STATUS_COUNT - 1)
                    put(&t, "\",method=\"%s\",status=\"%d\"} %llu\n", method_names[m],
                        counted_statuses[s], (unsigned long long)n);
                else
                    put(&t, "\",method=\"%s\",status=\"other\"} %llu\n", method_names[m],
                        (unsigned long long)n);
            }

    put(&t, "# HELP puhui_http_request_duration_seconds Time from the request's arrival to "
            "its reply, by route.\n# TYPE puhui_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r < rows; r++) {
        uint64_t counts[SRV_BUCKETS + 1] = {0}, sum = 0, total = 0;
        for (int w = 0; w < srv->n_workers; w++) {
            for (size_t b = 0; b <= SRV_BUCKETS; b++)
                counts[b] += get(&srv->workers[w].metrics.buckets[r * (SRV_BUCKETS + 1) + b]);
            sum += get(&srv->workers[w].metrics.sum_us[r]);
        }
        for (size_t b = 0; b <= SRV_BUCKETS; b++)
            total += counts[b];
        if (!total)
            continue;
        uint64_t cumulative = 0;
        for (size_t b = 0; b <= SRV_BUCKETS; b++) {
            cumulative += counts[b];
            put(&t, "puhui_http_request_duration_seconds_bucket{route=\"");
            put_label(&t, route_name(srv, r));
            put(&t, "\",le=\"%s\"} %llu\n", b < SRV_BUCKETS ? bucket_le[b] : "+Inf",
                (unsigned long long)cumulative);
        }
        put(&t, "puhui_http_request_duration_seconds_sum{route=\"");
        put_label(&t, route_name(srv, r));
        put(&t, "\"} %.6f\n", (double)sum / 1e6);
        put(&t, "puhui_http_request_duration_seconds_count{route=\"");
        put_label(&t, route_name(srv, r));
        put(&t, "\"} %llu\n", (unsigned long long)total);
    }

    put(&t, "# HELP puhui_http_in_flight Requests being answered now.\n"
            "# TYPE puhui_http_in_flight gauge\npuhui_http_in_flight %d\n",
        atomic_load_explicit(&((ph_server *)srv)->in_flight, memory_order_relaxed));
    put(&t, "# HELP puhui_http_connections Open connections.\n"
            "# TYPE puhui_http_connections gauge\npuhui_http_connections %d\n",
        atomic_load_explicit(&((ph_server *)srv)->connections, memory_order_relaxed));

    put(&t, "# HELP puhui_decisions_total Decisions made over HTTP, by lender and outcome.\n"
            "# TYPE puhui_decisions_total counter\n");
    /* Merge the workers' lists: a key seen first in worker w is summed over w.. */
    for (int w = 0; w < srv->n_workers; w++) {
        srv_metrics *m = &srv->workers[w].metrics;
        size_t n = atomic_load_explicit(&m->n_outcomes, memory_order_acquire);
        for (size_t i = 0; i < n; i++) {
            const char *key = m->outcomes[i].key;
            int seen = 0;
            for (int v = 0; v < w && !seen; v++) {
                srv_metrics *o = &srv->workers[v].metrics;
                size_t on = atomic_load_explicit(&o->n_outcomes, memory_order_acquire);
                for (size_t j = 0; j < on && !seen; j++)
                    seen = strcmp(o->outcomes[j].key, key) == 0;
            }
            if (seen)
                continue;
            uint64_t total = 0;
            for (int v = w; v < srv->n_workers; v++) {
                srv_metrics *o = &srv->workers[v].metrics;
                size_t on = atomic_load_explicit(&o->n_outcomes, memory_order_acquire);
                for (size_t j = 0; j < on; j++)
                    if (strcmp(o->outcomes[j].key, key) == 0)
                        total += get(&o->outcomes[j].n);
            }
            const char *colon = strrchr(key, ':');
            size_t llen = colon ? (size_t)(colon - key) : strlen(key);
            char lender[sizeof m->outcomes[i].key];
            snprintf(lender, sizeof lender, "%.*s", (int)llen, key);
            put(&t, "puhui_decisions_total{lender=\"");
            put_label(&t, lender);
            put(&t, "\",outcome=\"");
            put_label(&t, colon ? colon + 1 : "");
            put(&t, "\"} %llu\n", (unsigned long long)total);
        }
    }

    uint64_t store_errors = 0;
    for (int w = 0; w < srv->n_workers; w++)
        store_errors += get(&srv->workers[w].metrics.store_errors);
    put(&t, "# HELP puhui_store_errors_total Requests that failed in the store.\n"
            "# TYPE puhui_store_errors_total counter\npuhui_store_errors_total %llu\n",
        (unsigned long long)store_errors);

    put(&t, "# HELP puhui_http_refusals_total Requests refused, by reason.\n"
            "# TYPE puhui_http_refusals_total counter\n");
    for (size_t why = 0; why < SRV_REFUSE_COUNT; why++) {
        uint64_t n = 0;
        for (int w = 0; w < srv->n_workers; w++)
            n += get(&srv->workers[w].metrics.refusals[why]);
        put(&t, "puhui_http_refusals_total{reason=\"%s\"} %llu\n", refusal_names[why],
            (unsigned long long)n);
    }
    if (t.failed) {
        free(t.buf);
        return NULL;
    }
    *len = t.len;
    return t.buf;
}
