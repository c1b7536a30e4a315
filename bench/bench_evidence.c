/*
 * bench_evidence [--leaves N] [--batch B] [--proofs P] [--dir DIR]
 *
 * The evidence log's two targets (issue 20): durable appends (leaves per
 * second, with ph_evidence_commit - four fdatasyncs - after every batch of
 * B leaves; wall and CPU seconds side by side) and proof generation at N
 * leaves (inclusion and consistency, mean and p99 in microseconds, each
 * proof timed alone, every 64th one verified outside the timing).
 * Leaves are ~100-byte canonical JSON events, as the modules append.
 * Defaults: N = 1,000,000, B = 5,000, P = 100,000. DIR keeps the log
 * (removed otherwise).
 */
#include "bench_util.h"

#include <inttypes.h>
#include <string.h>

#include "puhui/puhui.h"

#define H PH_EVIDENCE_HASH

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64*: fixed seed, the same indices on every run */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *us, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += us[i];
    qsort(us, n, sizeof(*us), cmp_double);
    printf("%-12s %zu proofs: mean %.2f us, p50 %.2f us, p99 %.2f us, max %.1f us\n", what, n,
           sum / (double)n, us[n / 2], us[(size_t)((double)n * 0.99)], us[n - 1]);
}

static int die(const char *what, const ph_error *err)
{
    fprintf(stderr, "bench_evidence: %s: %s\n", what, err->message);
    return 1;
}

int main(int argc, char **argv)
{
    long long leaves = 1000000, batch = 5000, proofs = 100000;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : "";
        long long *target = strcmp(opt, "--leaves") == 0   ? &leaves
                            : strcmp(opt, "--batch") == 0  ? &batch
                            : strcmp(opt, "--proofs") == 0 ? &proofs
                                                           : NULL;
        if (target != NULL) {
            if (bench_number("bench_evidence", opt, val, 1, 1LL << 40, target) != 0)
                return 2;
            i++;
        } else if (strcmp(opt, "--dir") == 0 && i + 1 < argc) {
            keep = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_evidence [--leaves N] [--batch B] [--proofs P] "
                            "[--dir DIR]\n");
            return 2;
        }
    }
    char dir[1024];
    bench_scratch_dir("bench_evidence", keep, dir, sizeof(dir));
    ph_ctx *ctx = NULL;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return die("context", &err);
    ph_evidence_log *log = NULL;
    if (ph_evidence_open(ctx, dir, "bench.local/evidence", 1, &log, &err) != PH_OK)
        return die("open", &err);
    uint64_t start = ph_evidence_size(log);

    /* ---- durable appends ---- */
    char leaf[256];
    size_t bytes = 0;
    long long commits = 0;
    bench_clock t0 = bench_clock_now();
    for (long long i = 0; i < leaves; i++) {
        int n = snprintf(leaf, sizeof(leaf),
                         "{\"type\":\"voucher.transfer\",\"id\":\"V%09lld\",\"on\":\"2026-03-01\","
                         "\"from\":\"91370102MA%08lld\",\"amounts\":[\"%lld.%02lld\"]}",
                         i, i % 100000000, 1000 + i % 900000, i % 100);
        bytes += (size_t)n;
        if (ph_evidence_append(log, leaf, (size_t)n, NULL, &err) != PH_OK)
            return die("append", &err);
        if ((i + 1) % batch == 0 || i + 1 == leaves) {
            if (ph_evidence_commit(log, &err) != PH_OK)
                return die("commit", &err);
            commits++;
        }
    }
    bench_clock t1 = bench_clock_now();
    double wall = t1.wall - t0.wall, cpu = t1.cpu - t0.cpu;
    printf("append: %lld leaves (%.0f bytes each) in %lld commits of %lld: %.2f s wall, %.2f s "
           "CPU -> %.0f leaves/s durable (%.0f per CPU second)\n",
           leaves, (double)bytes / (double)leaves, commits, batch, wall, cpu,
           (double)leaves / wall, (double)leaves / cpu);

    /* ---- proofs at the full size ---- */
    uint64_t size = ph_evidence_size(log);
    uint8_t root[H], path[PH_EVIDENCE_MAX_PATH][H], lh[H];
    if (ph_evidence_root(log, size, root, &err) != PH_OK)
        return die("root", &err);
    double *us = malloc((size_t)proofs * sizeof(double));
    if (us == NULL)
        return 1;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    size_t path_total = 0;
    for (long long i = 0; i < proofs; i++) {
        uint64_t index = rng_next(&seed) % size;
        size_t n = 0;
        double a = bench_now_seconds();
        if (ph_evidence_prove_inclusion(log, index, size, path, &n, &err) != PH_OK)
            return die("inclusion", &err);
        us[i] = (bench_now_seconds() - a) * 1e6;
        path_total += n;
        if (i % 64 == 0) {
            if (ph_evidence_leaf_hash(log, index, lh, &err) != PH_OK ||
                ph_merkle_verify_inclusion(index, size, lh, (const uint8_t(*)[H])path, n, root,
                                           &err) != PH_OK)
                return die("verify inclusion", &err);
        }
    }
    printf("tree of %" PRIu64 " leaves (%" PRIu64 " appended before this run); inclusion "
           "paths of %.1f hashes on average\n",
           size, start, (double)path_total / (double)proofs);
    report("inclusion", us, (size_t)proofs);
    path_total = 0;
    for (long long i = 0; i < proofs; i++) {
        uint64_t m = 1 + rng_next(&seed) % size;
        size_t n = 0;
        double a = bench_now_seconds();
        if (ph_evidence_prove_consistency(log, m, size, path, &n, &err) != PH_OK)
            return die("consistency", &err);
        us[i] = (bench_now_seconds() - a) * 1e6;
        path_total += n;
        if (i % 64 == 0) {
            uint8_t old[H];
            if (ph_evidence_root(log, m, old, &err) != PH_OK ||
                ph_merkle_verify_consistency(m, size, old, root, (const uint8_t(*)[H])path, n,
                                             &err) != PH_OK)
                return die("verify consistency", &err);
        }
    }
    report("consistency", us, (size_t)proofs);
    printf("consistency paths of %.1f hashes on average; peak RSS %ld MB\n",
           (double)path_total / (double)proofs, bench_peak_rss_mb());
    free(us);
    ph_evidence_free(log);
    ph_ctx_free(ctx);
    if (keep == NULL)
        bench_rmtree(dir);
    return 0;
}
