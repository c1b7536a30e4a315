/*
 * bench_features — how fast the feature store computes features.
 *
 *   bench_features [--enterprises N] [--months M] [--dir DIR] [--singles K]
 *
 * Builds (once) a database of N enterprises (default 100,000) over M months
 * (default 24, from 2024-01, seed 1) in DIR (default $TMPDIR or /tmp, then
 * puhui-bench-features-N): `puhui gen` output ingested with ph_ingest
 * (known_on = each row's date + lag; reference files known on the last
 * month's end). An existing DIR/puhui.db is reused, so later runs time only
 * the features.
 * Then it times:
 *   - the monthly panel: features of every firm at each of the M month ends
 *     (one batch; the demanding case: N x M rows);
 *   - one as-of date (the last month end);
 *   - the peer-median refresh of that date (ph_features_refresh);
 *   - ph_features_for on K firms (default 200) with payment data, mean and
 *     worst time per firm;
 * and the process's peak resident memory. Always exits 0 when it could run.
 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

typedef struct tally {
    uint64_t rows;
    uint64_t missing;
} tally;

static ph_status count_row(void *user, const char *uscc, ph_date asof, const double *values,
                           ph_error *err)
{
    (void)uscc;
    (void)asof;
    (void)err;
    tally *t = user;
    t->rows++;
    for (size_t i = 0; i < PH_FEATURE_COUNT; i++)
        t->missing += ph_feature_is_missing(values[i]);
    return PH_OK;
}

static int fail(const char *what, const ph_error *err)
{
    fprintf(stderr, "bench_features: %s: %s\n", what, err->message);
    return 1;
}

static int build(const ph_ctx *ctx, const char *dir, const char *db, uint64_t firms, int months)
{
    ph_error err;
    char province[4200];
    if (snprintf(province, sizeof(province), "%s/province", dir) >= (int)sizeof(province))
        return fprintf(stderr, "bench_features: --dir is too long\n"), 1;
    ph_gen_options opts;
    ph_gen_options_init(&opts);
    opts.enterprises = firms;
    opts.months = months;
    opts.out_dir = province;
    opts.force = 1;
    double t0 = bench_now_seconds();
    if (ph_gen_run(ctx, &opts, NULL, &err) != PH_OK)
        return fail("gen", &err);
    double t1 = bench_now_seconds();
    char tmp[4400];
    if (snprintf(tmp, sizeof(tmp), "%s.part", db) >= (int)sizeof(tmp))
        return fprintf(stderr, "bench_features: --dir is too long\n"), 1;
    remove(tmp);
    ph_store *store = NULL;
    ph_ingest *ing = NULL;
    ph_date snapshot;
    char known_on[PH_DATE_FORMAT_MAX];
    ph_month last = opts.start + months - 1;
    uint64_t rows = 0;
    ph_status st = ph_store_open(ctx, tmp, NULL, &store, &err);
    if (st == PH_OK)
        st = ph_schema_migrate(store, -1, NULL, &err);
    if (st == PH_OK)
        st = ph_month_last_day(last, &snapshot, &err);
    if (st == PH_OK)
        st = ph_date_format(snapshot, known_on, sizeof(known_on), &err);
    if (st == PH_OK) {
        ph_ingest_options io;
        ph_ingest_options_init(&io);
        io.known_on = known_on;
        st = ph_ingest_new(store, &io, &ing, &err);
    }
    if (st == PH_OK) {
        const char *paths[] = {province};
        st = ph_ingest_paths(ing, paths, 1, &err);
    }
    for (size_t i = 0; st == PH_OK && i < ph_ingest_result_count(ing); i++)
        rows += ph_ingest_result_at(ing, i)->counts.accepted;
    ph_ingest_free(ing);
    ph_store_free(store);
    if (st != PH_OK)
        return fail("load", &err);
    if (rename(tmp, db) != 0) {
        fprintf(stderr, "bench_features: %s: %s\n", db, strerror(errno));
        return 1;
    }
    printf("built %s: gen %.1f s, ingested %" PRIu64 " rows in %.1f s\n", db, t1 - t0, rows,
           bench_now_seconds() - t1);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t firms = 100000, singles = 200;
    int months = 24;
    const char *dir = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--enterprises") == 0)
            firms = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--months") == 0)
            months = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
        else if (strcmp(argv[i], "--singles") == 0)
            singles = strtoull(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_features [--enterprises N] [--months M] [--dir DIR] "
                            "[--singles K]\n");
            return 2;
        }
    }
    if (firms == 0 || months < 1 || months > 120) {
        fprintf(stderr, "bench_features: bad --enterprises or --months\n");
        return 2;
    }
    char dir_buf[4096], db[4200];
    if (dir == NULL) {
        snprintf(dir_buf, sizeof(dir_buf), "%s/puhui-bench-features-%" PRIu64 "-%d",
                 bench_tmp_base(), firms, months);
        dir = dir_buf;
    }
    mkdir(dir, 0777);
    if (snprintf(db, sizeof(db), "%s/puhui.db", dir) >= (int)sizeof(db)) {
        fprintf(stderr, "bench_features: --dir is too long\n");
        return 2;
    }

    ph_ctx *ctx = NULL;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return fail("context", &err);
    struct stat sb;
    if (stat(db, &sb) != 0 && build(ctx, dir, db, firms, months) != 0) {
        ph_ctx_free(ctx);
        return 1;
    }

    ph_store *store = NULL;
    if (ph_store_open(ctx, db, NULL, &store, &err) != PH_OK) {
        ph_ctx_free(ctx);
        return fail("open", &err);
    }
    ph_month start = 2024 * 12;
    ph_date *asof = malloc((size_t)months * sizeof(*asof));
    for (int m = 0; m < months; m++)
        ph_month_last_day(start + m, &asof[m], NULL);

    ph_features_options opts = {0};
    tally panel = {0, 0}, single = {0, 0};
    double t0 = bench_now_seconds();
    ph_status st = ph_features_batch(store, asof, (size_t)months, &opts, count_row, &panel, &err);
    double t1 = bench_now_seconds();
    if (st == PH_OK)
        st = ph_features_batch(store, &asof[months - 1], 1, &opts, count_row, &single, &err);
    double t2 = bench_now_seconds();
    if (st == PH_OK)
        st = ph_features_refresh(store, &asof[months - 1], 1, &opts, &err);
    double t3 = bench_now_seconds();
    if (st != PH_OK) {
        ph_store_free(store);
        ph_ctx_free(ctx);
        return fail("batch", &err);
    }
    printf("panel: %" PRIu64 " firm-months x %d features in %.2f s (%.0f rows/s), %.1f%% "
           "missing\n",
           panel.rows, PH_FEATURE_COUNT, t1 - t0, panel.rows / (t1 - t0),
           100.0 * panel.missing / (panel.rows ? panel.rows * PH_FEATURE_COUNT : 1));
    printf("one as-of date: %" PRIu64 " firms in %.2f s\n", single.rows, t2 - t1);
    printf("peer-median refresh of that date: %.2f s\n", t3 - t2);

    /* single-firm reads: firms with payments, spread over the key range */
    ph_stmt *stmt = NULL;
    double total = 0.0, worst = 0.0;
    uint64_t done = 0;
    if (ph_store_prepare(store, "SELECT uscc FROM feed_payments_daily GROUP BY uscc "
                                "ORDER BY uscc", &stmt, &err) == PH_OK) {
        char (*codes)[19] = malloc(singles * sizeof(*codes) + 1);
        uint64_t seen = 0, n = 0;
        while (ph_stmt_step(stmt, &err) == PH_OK && n < singles)
            if (seen++ % 37 == 0)
                memcpy(codes[n++], ph_stmt_column_text(stmt, 0), 19);
        ph_stmt_free(stmt);
        double values[PH_FEATURE_COUNT];
        for (uint64_t i = 0; i < n; i++) {
            double a = bench_now_seconds();
            if (ph_features_for(store, codes[i], asof[months - 1], values, NULL, &err) != PH_OK)
                break;
            double dt = bench_now_seconds() - a;
            total += dt;
            worst = dt > worst ? dt : worst;
            done++;
        }
        free(codes);
    }
    if (done)
        printf("single firm: %" PRIu64 " reads, mean %.3f ms, worst %.3f ms\n", done,
               1000.0 * total / done, 1000.0 * worst);
    printf("peak RSS %ld MB\n", bench_peak_rss_mb());
    free(asof);
    ph_store_free(store);
    ph_ctx_free(ctx);
    return 0;
}
