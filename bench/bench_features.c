/*
 * bench_features — how fast the feature store computes features.
 *
 *   bench_features [--enterprises N] [--months M] [--dir DIR] [--singles K]
 *                  [--refresh-only]
 *
 * Builds (once) a database of N enterprises (default 100,000) over M months
 * (default 24, from 2024-01, seed 1) in DIR (default $TMPDIR or /tmp, then
 * puhui-bench-features-N-M): `puhui gen` output ingested with ph_ingest
 * (known_on = each row's date + lag; reference files known on the last
 * month's end). An existing DIR/puhui.db is reused, so later runs time only
 * the features. --months 13 is enough for every 12-month window at the last
 * month end and about halves the rows: the way to a 1M-firm database.
 * Then it times, each with wall and CPU seconds (all threads) and the
 * phase's own peak resident memory:
 *   - the peer-median refresh of the last month end (ph_features_refresh),
 *     first, so its memory is not mixed with a larger phase's;
 *   - the monthly panel: features of every firm at each of the M month ends
 *     (one batch; the demanding case: N x M rows);
 *   - one as-of date (the last month end), with how many registered firms
 *     are not yet known on it (a firm registered on the date itself is
 *     known the day after: the registration feed's lag);
 *   - ph_features_for on K firms (default 200) with payment data, mean and
 *     worst time per firm;
 * and the process's peak resident memory. --refresh-only stops after the
 * refresh (for 1M firms, where the panel is the large part). Always exits 0
 * when it could run.
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

/* A phase's own peak resident memory: the kernel's high-water mark (VmHWM)
 * is reset to the current resident size before the phase (clear_refs 5)
 * and read after it. -1 when /proc does not allow it. */
static int peak_reset(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL)
        return -1;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static long peak_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return kb < 0 ? -1 : kb / 1024;
}

/* A phase measured: wall and CPU seconds and its peak memory. */
typedef struct phase {
    bench_clock start;
    int peak_known;
    double wall, cpu;
    long peak;
} phase;

static void phase_start(phase *p)
{
    p->peak_known = peak_reset() == 0;
    p->start = bench_clock_now();
}

static void phase_stop(phase *p)
{
    bench_clock now = bench_clock_now();
    p->wall = now.wall - p->start.wall;
    p->cpu = now.cpu - p->start.cpu;
    p->peak = p->peak_known ? peak_mb() : bench_peak_rss_mb();
}

/* "W s wall, C s CPU, peak RSS P MB" (the process's peak when the phase's
 * own is not available). */
static void phase_print(const phase *p)
{
    printf("%.2f s wall, %.2f s CPU, peak RSS %ld MB%s", p->wall, p->cpu, p->peak,
           p->peak_known ? "" : " (the process's)");
}

/* Registered firms, and those not yet known on `asof` (their first
 * registration row's known_on is later). */
static void registered(ph_store *store, ph_date asof, uint64_t *total, uint64_t *later)
{
    char day[PH_DATE_FORMAT_MAX];
    ph_stmt *stmt = NULL;
    ph_error err;
    *total = *later = 0;
    if (ph_date_format(asof, day, sizeof(day), &err) != PH_OK ||
        ph_store_prepare(store, "SELECT count(*), sum(k > ?1) FROM (SELECT min(known_on) AS k "
                                "FROM feed_registration GROUP BY uscc)", &stmt, &err) != PH_OK)
        return;
    if (ph_stmt_bind_text(stmt, 1, day, -1, &err) == PH_OK && ph_stmt_step(stmt, &err) == PH_OK) {
        *total = (uint64_t)ph_stmt_column_int64(stmt, 0);
        *later = (uint64_t)ph_stmt_column_int64(stmt, 1);
    }
    ph_stmt_free(stmt);
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
    long long firms = 100000, singles = 200, months = 24;
    const char *dir = NULL;
    int refresh_only = 0;
    const char *usage = "usage: bench_features [--enterprises N] [--months M] [--dir DIR] "
                        "[--singles K] [--refresh-only]\n";
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(option, "--refresh-only") == 0) {
            refresh_only = 1;
            continue;
        }
        if (value == NULL) {
            fprintf(stderr, "%s", usage);
            return 2;
        }
        i++;
        int bad = 0;
        if (strcmp(option, "--enterprises") == 0)
            bad = bench_number("bench_features", option, value, 1, 100000000, &firms);
        else if (strcmp(option, "--months") == 0)
            bad = bench_number("bench_features", option, value, 1, 120, &months);
        else if (strcmp(option, "--singles") == 0)
            bad = bench_number("bench_features", option, value, 0, 1000000, &singles);
        else if (strcmp(option, "--dir") == 0)
            dir = value;
        else
            bad = fprintf(stderr, "%s", usage) > 0;
        if (bad)
            return 2;
    }
    char dir_buf[4096], db[4200];
    if (dir == NULL) {
        snprintf(dir_buf, sizeof(dir_buf), "%s/puhui-bench-features-%lld-%lld",
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
    phase refresh, all_months, one_date;
    phase_start(&refresh);
    ph_status st = ph_features_refresh(store, &asof[months - 1], 1, &opts, &err);
    phase_stop(&refresh);
    if (st != PH_OK) {
        free(asof);
        ph_store_free(store);
        ph_ctx_free(ctx);
        return fail("refresh", &err);
    }
    printf("peer-median refresh of the last month end (%lld firms, %lld months): ", firms,
           months);
    phase_print(&refresh);
    printf("\n");
    if (refresh_only) {
        printf("peak RSS %ld MB\n", bench_peak_rss_mb());
        free(asof);
        ph_store_free(store);
        ph_ctx_free(ctx);
        return 0;
    }
    phase_start(&all_months);
    st = ph_features_batch(store, asof, (size_t)months, &opts, count_row, &panel, &err);
    phase_stop(&all_months);
    phase_start(&one_date);
    if (st == PH_OK)
        st = ph_features_batch(store, &asof[months - 1], 1, &opts, count_row, &single, &err);
    phase_stop(&one_date);
    if (st != PH_OK) {
        free(asof);
        ph_store_free(store);
        ph_ctx_free(ctx);
        return fail("batch", &err);
    }
    printf("panel: %" PRIu64 " firm-months x %d features (%.0f rows/s wall, %.0f per "
           "CPU-second), %.1f%% missing: ",
           panel.rows, PH_FEATURE_COUNT, panel.rows / all_months.wall, panel.rows / all_months.cpu,
           100.0 * panel.missing / (panel.rows ? panel.rows * PH_FEATURE_COUNT : 1));
    phase_print(&all_months);
    printf("\n");
    uint64_t n_registered, later;
    char day[PH_DATE_FORMAT_MAX] = "";
    (void)ph_date_format(asof[months - 1], day, sizeof(day), NULL);
    registered(store, asof[months - 1], &n_registered, &later);
    printf("one as-of date: %" PRIu64 " firms known on %s (of %" PRIu64 " registered; %" PRIu64
           " known only later, registered too close to the date): ",
           single.rows, day, n_registered, later);
    phase_print(&one_date);
    printf("\n");

    /* single-firm reads: firms with payments, spread over the key range */
    ph_stmt *stmt = NULL;
    double total = 0.0, worst = 0.0;
    uint64_t done = 0;
    if (ph_store_prepare(store, "SELECT uscc FROM feed_payments_daily GROUP BY uscc "
                                "ORDER BY uscc", &stmt, &err) == PH_OK) {
        char (*codes)[19] = malloc(singles * sizeof(*codes) + 1);
        uint64_t seen = 0, n = 0;
        while (ph_stmt_step(stmt, &err) == PH_OK && n < (uint64_t)singles)
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
