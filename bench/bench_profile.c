/*
 * bench_profile — how long one institution's profile read takes.
 *
 *   bench_profile [--enterprises N] [--months M] [--reads R] [--keep DIR]
 *
 * Generates a province with ph_gen_run (default 20,000 enterprises x 24
 * months from 2024-01), ingests it with ph_ingest (which also fills the
 * enterprise and institution registries), has R firms (default 1,000)
 * grant the first lender a credit consent over all credit sources, stores
 * the peer medians of the as-of date (the window's last day) once with
 * ph_features_batch, then times, over those R firms:
 *   - ph_profile_read: the consent check, the access-log append (a
 *     committed write), the features and the scores;
 *   - ph_features_for alone, for comparison;
 * printing mean, median, p99 and max milliseconds per call. The target of
 * the data hub (issue 4) is a profile read under 5 ms. Setting up is not
 * timed. The province and the database go to a fresh directory under
 * $TMPDIR (or /tmp), removed afterwards, or with --keep to DIR (left in
 * place).
 *
 * This is a measurement, so it always exits 0 when it could run.
 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts ms[] and prints its mean, median, p99 (nearest rank) and max. */
static void report(const char *label, double *ms, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += ms[i];
    qsort(ms, n, sizeof(*ms), compare_double);
    double median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2.0;
    size_t rank99 = (n * 99 + 99) / 100; /* ceil(0.99 n), 1-based */
    printf("%-16s %6zu calls  mean %7.3f ms  median %7.3f ms  p99 %7.3f ms  max %7.3f ms\n",
           label, n, sum / (double)n, median, ms[rank99 - 1], ms[n - 1]);
}

static ph_status count_row(void *user, const char *uscc, ph_date asof, const double *values,
                           ph_error *err)
{
    (void)uscc;
    (void)asof;
    (void)values;
    (void)err;
    (*(size_t *)user)++;
    return PH_OK;
}

/* Ingest the province with the window's last day as known_on. */
static ph_status ingest(ph_store *store, const char *province, ph_date asof, ph_error *err)
{
    char known_on[PH_DATE_FORMAT_MAX];
    ph_status st = ph_date_format(asof, known_on, sizeof(known_on), err);
    if (st != PH_OK)
        return st;
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = known_on;
    ph_ingest *ing = NULL;
    st = ph_ingest_new(store, &opts, &ing, err);
    if (st == PH_OK)
        st = ph_ingest_paths(ing, (const char *const[]){province}, 1, err);
    ph_ingest_free(ing);
    return st;
}

/* Up to `want` registered firms known by asof, spread over the key range,
 * into codes[]; *got receives how many. */
static ph_status pick_firms(ph_store *store, ph_date asof, size_t want, char (*codes)[19],
                            size_t *got, ph_error *err)
{
    char day[PH_DATE_FORMAT_MAX];
    ph_stmt *stmt = NULL;
    ph_status st = ph_date_format(asof, day, sizeof(day), err);
    int64_t total = 0;
    if (st == PH_OK)
        st = ph_store_prepare(store, "SELECT COUNT(*) FROM feed_registration "
                                     "WHERE known_on <= ?1", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, day, -1, err);
    if (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK)
        total = ph_stmt_column_int64(stmt, 0);
    ph_stmt_free(stmt);
    stmt = NULL;
    if (st != PH_OK)
        return st;
    uint64_t stride = total > (int64_t)want ? (uint64_t)total / want : 1, seen = 0;
    size_t n = 0;
    st = ph_store_prepare(store, "SELECT uscc FROM feed_registration WHERE known_on <= ?1 "
                                 "ORDER BY uscc", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, day, -1, err);
    while (st == PH_OK && n < want && (st = ph_stmt_step(stmt, err)) == PH_OK)
        if (seen++ % stride == 0)
            memcpy(codes[n++], ph_stmt_column_text(stmt, 0), 19);
    ph_stmt_free(stmt);
    if (st == PH_OK || st == PH_DONE) {
        *got = n;
        return PH_OK;
    }
    return st;
}

/* The first lender of the registry (lenders come from reference/lenders.csv). */
/* The first institution (by id) that lends: not a guarantor, government
 * body, core enterprise or regulator. */
typedef struct lender_pick {
    char *id;
    size_t size;
    int found;
} lender_pick;

static ph_status pick_lender(void *user, const char *id, const char *name, const char *kind,
                             ph_error *err)
{
    (void)name;
    (void)err;
    static const char *const NOT_LENDERS[] = {"guarantor", "government", "core_enterprise",
                                              "regulator"};
    lender_pick *pick = user;
    for (size_t i = 0; i < sizeof(NOT_LENDERS) / sizeof(NOT_LENDERS[0]); i++)
        if (strcmp(kind, NOT_LENDERS[i]) == 0)
            return PH_OK;
    if (!pick->found)
        snprintf(pick->id, pick->size, "%s", id);
    pick->found = 1;
    return PH_OK;
}

static ph_status first_lender(ph_store *store, char *id, size_t size, ph_error *err)
{
    lender_pick pick = {id, size, 0};
    ph_status st = ph_institution_each(store, pick_lender, &pick, err);
    if (st == PH_OK && !pick.found)
        st = ph_error_set(err, PH_ENOTFOUND, "institution", NULL,
                          "expected at least one lender in table institution");
    return st;
}

/* Consent is judged on the day of the read (docs/consent.md), so the
 * grants run from today, whatever day the features are read as of. */
static ph_status grant_all(ph_store *store, const char *lender, char (*codes)[19], size_t n,
                           ph_error *err)
{
    ph_consent_terms terms;
    memset(&terms, 0, sizeof(terms));
    terms.institution_id = lender;
    terms.purpose = PH_PURPOSE_CREDIT;
    ph_status st = ph_ctx_today(ph_store_ctx(store), &terms.granted_on, err);
    terms.expires_on = terms.granted_on + 300;
    if (st == PH_OK)
        st = ph_source_set_parse("all", PH_PURPOSE_CREDIT, &terms.sources, err);
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        int64_t id;
        terms.uscc = codes[i];
        st = ph_consent_grant(store, &terms, &id, err);
    }
    return st;
}

static int run(const ph_ctx *ctx, const char *province, const char *db, ph_month last,
               size_t reads)
{
    ph_error err;
    ph_store *store = NULL;
    ph_date asof = 0;
    char lender[64];
    char (*codes)[19] = malloc(reads * sizeof(*codes));
    double *ms = malloc(reads * sizeof(*ms));
    size_t n = 0, firms = 0;
    ph_features_options fo = {0};
    ph_status st = codes && ms ? PH_OK : PH_ENOMEM;
    if (st == PH_OK)
        st = ph_month_last_day(last, &asof, &err);
    if (st == PH_OK)
        st = ph_store_open(ctx, db, NULL, &store, &err);
    if (st == PH_OK)
        st = ph_schema_migrate(store, -1, NULL, &err);
    if (st == PH_OK)
        st = ingest(store, province, asof, &err);
    if (st == PH_OK)
        st = pick_firms(store, asof, reads, codes, &n, &err);
    if (st == PH_OK)
        st = first_lender(store, lender, sizeof(lender), &err);
    if (st == PH_OK)
        st = grant_all(store, lender, codes, n, &err);
    if (st == PH_OK)
        st = ph_features_refresh(store, &asof, 1, &fo, &err);
    if (st == PH_OK)
        st = ph_features_batch(store, &asof, 1, &fo, count_row, &firms, &err);
    if (st == PH_OK && n > 0) {
        printf("bench_profile: %zu firms' features as of the last day, peers stored; "
               "%zu firms consented to %s\n", firms, n, lender);
        ph_profile_request req = {.institution_id = lender, .purpose = PH_PURPOSE_CREDIT, .asof = asof};
        for (size_t i = 0; st == PH_OK && i < n; i++) {
            ph_profile *profile = NULL;
            req.uscc = codes[i];
            double t0 = bench_now_seconds();
            st = ph_profile_read(store, &req, &profile, &err);
            ph_profile_free(profile);
            ms[i] = 1000.0 * (bench_now_seconds() - t0);
        }
        if (st == PH_OK)
            report("ph_profile_read", ms, n);
        double values[PH_FEATURE_COUNT];
        for (size_t i = 0; st == PH_OK && i < n; i++) {
            double t0 = bench_now_seconds();
            st = ph_features_for(store, codes[i], asof, values, NULL, &err);
            ms[i] = 1000.0 * (bench_now_seconds() - t0);
        }
        if (st == PH_OK)
            report("ph_features_for", ms, n);
    }
    if (st != PH_OK)
        fprintf(stderr, "bench_profile: %s\n", st == PH_ENOMEM ? "out of memory" : err.message);
    ph_store_free(store);
    free(codes);
    free(ms);
    return st == PH_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    long long enterprises = 20000, months = 24, reads = 1000;
    const char *keep = NULL;
    for (int i = 1; i < argc; i += 2) { /* each option and its value */
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        int bad = 0;
        if (strcmp(argv[i], "--enterprises") == 0)
            bad = bench_number("bench_profile", argv[i], v, 1, 20000000, &enterprises);
        else if (strcmp(argv[i], "--months") == 0)
            bad = bench_number("bench_profile", argv[i], v, 1, 120, &months);
        else if (strcmp(argv[i], "--reads") == 0)
            bad = bench_number("bench_profile", argv[i], v, 1, 1000000, &reads);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = v;
        else {
            fprintf(stderr, "usage: bench_profile [--enterprises N] [--months M] [--reads R] "
                            "[--keep DIR]\n");
            return 2;
        }
        if (bad)
            return 2;
    }
    char dir[512];
    bench_scratch_dir("bench_profile", keep, dir, sizeof(dir));
    char province[600], db[600];
    snprintf(province, sizeof(province), "%s/province", dir);
    snprintf(db, sizeof(db), "%s/hub.db", dir);
    mkdir(dir, 0700);
    remove(db); /* a kept directory from an earlier run: start afresh */

    ph_ctx *ctx = NULL;
    ph_error err;
    ph_gen_options gen;
    ph_gen_options_init(&gen);
    gen.enterprises = (uint64_t)enterprises;
    gen.months = (int)months;
    gen.out_dir = province;
    gen.force = 1;
    int code = 0;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_gen_run(ctx, &gen, NULL, &err) != PH_OK) {
        fprintf(stderr, "bench_profile: %s\n", err.message);
        code = 1;
    } else {
        code = run(ctx, province, db, gen.start + (ph_month)months - 1, (size_t)reads);
    }
    ph_ctx_free(ctx);
    if (keep == NULL)
        bench_rmtree(dir);
    return code;
}
