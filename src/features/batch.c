/*
 * The feature store's two entry points: a batch over every firm and one or
 * more as-of dates, and one firm at one date.
 *
 * The batch reads the tables once (load.c), then makes two passes over the
 * firms: the first computes the values peers are compared on, from which
 * the medians of every peer group and date are built (peer.c); the second
 * computes every feature and hands it to the caller, block by block, in uscc
 * order. Both passes split the firms between threads. A refresh is the first
 * pass alone, its medians stored; the single-firm read only reads them.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/uscc.h"

#include "features/features_internal.h"

#define MAX_ASOF 4096
#define MAX_THREADS 8
#define BLOCK_FIRMS 1024

static int cmp_date(const void *a, const void *b)
{
    ph_date x = *(const ph_date *)a, y = *(const ph_date *)b;
    return (x > y) - (x < y);
}

/* Sorted copy of the dates, each checked. */
static ph_status sorted_dates(const ph_ctx *ctx, const ph_date *asof, size_t count,
                              ph_date **out, ph_error *err)
{
    ph_date lo, hi;
    (void)ph_date_from_ymd(1949, 1, 1, &lo, NULL);
    (void)ph_date_from_ymd(2089, 12, 31, &hi, NULL);
    ph_date *d = ph_malloc(ctx, count * sizeof(*d));
    if (d == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    memcpy(d, asof, count * sizeof(*d));
    qsort(d, count, sizeof(*d), cmp_date);
    for (size_t i = 0; i < count; i++) {
        char text[PH_DATE_FORMAT_MAX] = "";
        int out_of_range = d[i] < lo || d[i] > hi;
        if (out_of_range || (i > 0 && d[i] == d[i - 1])) {
            (void)ph_date_format(d[i], text, sizeof(text), NULL);
            ph_free(ctx, d);
            return ph_error_set(err, PH_EINVAL, "asof", text,
                                out_of_range ? "expected a date from 1949-01-01 to 2089-12-31"
                                             : "expected each as-of date once, got it twice");
        }
    }
    *out = d;
    return PH_OK;
}

/* --- Running a function over firm ranges on several threads ------------------ */

typedef struct fs_pass {
    const fs_data *data;
    const fs_peer_table *peers; /* NULL in the first pass */
    double *out;                /* pass 1: peer inputs; pass 2: values */
    size_t first;               /* the block's first firm (pass 2) */
    atomic_size_t *done;        /* pass 1: firms done by every thread */
} fs_pass;

typedef struct fs_range {
    const fs_pass *pass;
    size_t from, to;
    int calling_thread; /* the one range run on the caller's thread */
} fs_range;

/* Pass 1 reports its progress every this many firms of the caller's range. */
#define PROGRESS_FIRMS 256

static void *pass_one(void *arg)
{
    const fs_range *r = arg;
    const fs_data *data = r->pass->data;
    double values[FI_COUNT];
    for (size_t f = r->from; f < r->to; f++) {
        for (size_t j = 0; j < data->nasof; j++) {
            double *in = r->pass->out + (f * data->nasof + j) * FS_PEER_INPUTS;
            if (fs_registration(data, f, j) == NULL) {
                for (int k = 0; k < FS_PEER_INPUTS; k++)
                    in[k] = NAN;
                continue;
            }
            fs_compute(data, f, j, NULL, values);
            fs_peer_inputs(values, in);
        }
        /* Counted by every thread, reported by the caller's alone. */
        size_t done = atomic_fetch_add_explicit(r->pass->done, 1, memory_order_relaxed) + 1;
        if (r->calling_thread && (f - r->from) % PROGRESS_FIRMS == PROGRESS_FIRMS - 1)
            fs_progress(data, PH_FEATURES_STAGE_PEERS, done, data->nfirms);
    }
    return NULL;
}

static void *pass_two(void *arg)
{
    const fs_range *r = arg;
    const fs_data *data = r->pass->data;
    for (size_t f = r->from; f < r->to; f++)
        for (size_t j = 0; j < data->nasof; j++) {
            if (fs_registration(data, f, j) == NULL)
                continue;
            fs_peers peers;
            fs_peer_lookup(r->pass->peers, data, f, j, &peers);
            fs_compute(data, f, j, &peers,
                       r->pass->out + ((f - r->pass->first) * data->nasof + j) * FI_COUNT);
        }
    return NULL;
}

static void run_ranges(void *(*fn)(void *), const fs_pass *pass, size_t from, size_t to,
                       int threads)
{
    fs_range ranges[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    size_t n = to - from, per = (n + (size_t)threads - 1) / (size_t)threads;
    for (int t = 0; t < threads; t++) {
        size_t a = from + per * (size_t)t, b = a + per;
        ranges[t].pass = pass;
        ranges[t].from = a < to ? a : to;
        ranges[t].to = b < to ? b : to;
        ranges[t].calling_thread = t == 0;
        if (t > 0)
            started[t] = pthread_create(&tid[t], NULL, fn, &ranges[t]) == 0;
    }
    fn(&ranges[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fn(&ranges[t]); /* no thread: do its share here */
    }
}

/* --- The batch --------------------------------------------------------------------- */

static ph_status deliver(const fs_data *data, const fs_peer_table *peers, int threads,
                         ph_features_fn fn, void *user, ph_error *err)
{
    double *block = ph_malloc(data->ctx, BLOCK_FIRMS * data->nasof * FI_COUNT * sizeof(*block));
    if (block == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for feature values");
    ph_status st = PH_OK;
    fs_progress(data, PH_FEATURES_STAGE_FIRMS, 0, data->nfirms);
    for (size_t first = 0; st == PH_OK && first < data->nfirms; first += BLOCK_FIRMS) {
        size_t last = first + BLOCK_FIRMS < data->nfirms ? first + BLOCK_FIRMS : data->nfirms;
        fs_pass pass = {data, peers, block, first, NULL};
        run_ranges(pass_two, &pass, first, last, threads);
        for (size_t f = first; st == PH_OK && f < last; f++)
            for (size_t j = 0; st == PH_OK && j < data->nasof; j++)
                if (fs_registration(data, f, j) != NULL)
                    st = fn(user, data->uscc[f], data->asof[j],
                            block + ((f - first) * data->nasof + j) * FI_COUNT, err);
        if (st == PH_OK)
            fs_progress(data, PH_FEATURES_STAGE_FIRMS, last, data->nfirms);
    }
    ph_free(data->ctx, block);
    return st;
}

static ph_status run_batch(ph_store *store, fs_data *data, int threads, int store_peers,
                           ph_features_fn fn, void *user, ph_error *err)
{
    ph_status st = fs_load(store, NULL, threads, data, err);
    if (st != PH_OK)
        return st;
    double *inputs = ph_malloc(data->ctx, (data->nfirms * data->nasof + 1) * FS_PEER_INPUTS *
                                              sizeof(*inputs));
    if (inputs == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for peer inputs");
    atomic_size_t done;
    atomic_init(&done, 0);
    fs_pass pass = {data, NULL, inputs, 0, &done};
    fs_progress(data, PH_FEATURES_STAGE_PEERS, 0, data->nfirms);
    run_ranges(pass_one, &pass, 0, data->nfirms, threads);
    fs_progress(data, PH_FEATURES_STAGE_PEERS, data->nfirms, data->nfirms);
    fs_peer_table *peers = NULL;
    st = fs_peer_build(data, inputs, &peers, err);
    ph_free(data->ctx, inputs);
    if (st == PH_OK && store_peers)
        st = fs_peer_store(store, data, peers, err);
    if (st == PH_OK && fn != NULL)
        st = deliver(data, peers, threads, fn, user, err);
    fs_peer_table_free(data->ctx, peers);
    return st;
}

/* A batch (fn) or a refresh (store_peers, fn NULL): `caller` names the
 * public function in a misuse message. */
static ph_status batch_or_refresh(const char *caller, ph_store *store, const ph_date *asof,
                                  size_t count, const ph_features_options *options,
                                  int store_peers, ph_features_fn fn, void *user, ph_error *err)
{
    if (store == NULL || asof == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "%s: store and asof must not be NULL", caller);
    if (count == 0 || count > MAX_ASOF)
        return ph_error_set(err, PH_EMISUSE, "count", NULL,
                            "expected 1 to %d as-of dates, got %zu", MAX_ASOF, count);
    ph_features_options defaults = {0};
    if (options == NULL)
        options = &defaults;
    int threads = options->threads <= 0 ? 2 : options->threads;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    ph_status st = ph_store_require_schema(store, FS_SCHEMA_VERSION, "the feature store", err);
    if (st != PH_OK)
        return st;
    fs_data data;
    memset(&data, 0, sizeof(data));
    data.ctx = ph_store_ctx(store);
    data.nasof = count;
    data.progress = options->progress;
    data.progress_user = options->progress_user;
    st = sorted_dates(data.ctx, asof, count, &data.asof, err);
    if (st != PH_OK)
        return st;
    st = fs_data_prepare(&data, err);
    if (st == PH_OK)
        st = run_batch(store, &data, threads, store_peers, fn, user, err);
    fs_data_free(&data);
    ph_free(data.ctx, data.end);
    ph_free(data.ctx, data.asof);
    return st;
}

ph_status ph_features_batch(ph_store *store, const ph_date *asof, size_t count,
                            const ph_features_options *options, ph_features_fn fn, void *user,
                            ph_error *err)
{
    return batch_or_refresh("ph_features_batch", store, asof, count, options, 0, fn, user, err);
}

ph_status ph_features_refresh(ph_store *store, const ph_date *asof, size_t count,
                              const ph_features_options *options, ph_error *err)
{
    return batch_or_refresh("ph_features_refresh", store, asof, count, options, 1, NULL, NULL,
                            err);
}

/* --- One firm ----------------------------------------------------------------------- */

static ph_status one_firm(ph_store *store, fs_data *data, const char *uscc, double *values,
                          ph_date *peers_asof, ph_error *err)
{
    ph_status st = fs_load(store, uscc, 1, data, err);
    if (st != PH_OK)
        return st;
    const fs_rec *reg = data->nfirms == 1 ? fs_registration(data, 0, 0) : NULL;
    if (reg == NULL) {
        char date[PH_DATE_FORMAT_MAX] = "";
        (void)ph_date_format(data->asof[0], date, sizeof(date), NULL);
        return ph_error_set(err, PH_ENOTFOUND, "uscc", uscc,
                            "no registration of this enterprise is known on %s", date);
    }
    fs_peers peers;
    ph_date used;
    st = fs_peer_read(store, reg, data->asof[0], &peers, &used, err);
    if (st != PH_OK)
        return st;
    double v[FI_COUNT];
    fs_compute(data, 0, 0, &peers, v);
    memcpy(values, v, sizeof(v));
    if (peers_asof != NULL)
        *peers_asof = used;
    return PH_OK;
}

ph_status ph_features_for(ph_store *store, const char *uscc, ph_date asof, double *values,
                          ph_date *peers_asof, ph_error *err)
{
    if (store == NULL || uscc == NULL || values == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_features_for: store, uscc and values must not be NULL");
    ph_status st = ph_uscc_validate(uscc, strlen(uscc), err);
    if (st != PH_OK) {
        ph_error_set_field(err, "uscc");
        return st;
    }
    st = ph_store_require_schema(store, FS_SCHEMA_VERSION, "the feature store", err);
    if (st != PH_OK)
        return st;
    fs_data data;
    memset(&data, 0, sizeof(data));
    data.ctx = ph_store_ctx(store);
    data.nasof = 1;
    st = sorted_dates(data.ctx, &asof, 1, &data.asof, err);
    if (st != PH_OK)
        return st;
    st = fs_data_prepare(&data, err);
    if (st == PH_OK)
        st = one_firm(store, &data, uscc, values, peers_asof, err);
    fs_data_free(&data);
    ph_free(data.ctx, data.end);
    ph_free(data.ctx, data.asof);
    return st;
}
