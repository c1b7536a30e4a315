/*
 * bench_ingest — how fast `puhui ingest` loads a province, end to end.
 *
 *   bench_ingest [--enterprises N] [--months M] [--threads 1|2] [--batch-rows B] [--keep DIR]
 *
 * Generates a clean province with ph_gen_run (default 20,000 enterprises x
 * 24 months, about 7 million rows, 300 MB of feeds), then ingests its
 * directory into a fresh database (checksums verified, every field
 * checked, rows committed: CSV file to committed SQLite rows) and prints
 * rows, seconds and rows/s; then ingests it again (every row unchanged) and
 * prints the same for that pass, each followed by the time of a full WAL
 * checkpoint (copying the log into the database, which SQLite otherwise
 * does later). Generation is not timed. The province and
 * the database go to a fresh directory under $TMPDIR (or /tmp), removed
 * afterwards, or with --keep to DIR (left in place).
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

/* One pass: ingest `dir` into the store; prints and returns rows/s. */
static int pass(ph_store *store, const char *dir, const char *label, int threads, size_t batch)
{
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = "2026-01-31";
    opts.threads = threads;
    opts.batch_rows = batch;
    ph_ingest *ing = NULL;
    ph_error err;
    double t0 = bench_now_seconds();
    ph_status st = ph_ingest_new(store, &opts, &ing, &err);
    if (st == PH_OK)
        st = ph_ingest_paths(ing, (const char *const[]){dir}, 1, &err);
    double seconds = bench_now_seconds() - t0;
    if (st != PH_OK) {
        fprintf(stderr, "bench_ingest: %s\n", err.message);
        ph_ingest_free(ing);
        return -1;
    }
    ph_ingest_counts total = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < ph_ingest_result_count(ing); i++) {
        const ph_ingest_counts *c = &ph_ingest_result_at(ing, i)->counts;
        total.rows += c->rows;
        total.accepted += c->accepted;
        total.unchanged += c->unchanged;
        total.rejected += c->rejected;
    }
    ph_ingest_free(ing);
    printf("%-9s %10llu rows %8.2f s %10.0f rows/s  (accepted %llu, unchanged %llu, rejected "
           "%llu)\n",
           label, (unsigned long long)total.rows, seconds, (double)total.rows / seconds,
           (unsigned long long)total.accepted, (unsigned long long)total.unchanged,
           (unsigned long long)total.rejected);
    /* The rows are committed (in the write-ahead log); copying the log back
     * into the database is SQLite's housekeeping, shown apart. */
    t0 = bench_now_seconds();
    st = ph_store_exec(store, "PRAGMA wal_checkpoint(TRUNCATE)", &err);
    double checkpoint = bench_now_seconds() - t0;
    if (st != PH_OK) {
        fprintf(stderr, "bench_ingest: %s\n", err.message);
        return -1;
    }
    printf("%-9s then a full WAL checkpoint: %.2f s (%.0f rows/s including it)\n", "",
           checkpoint, (double)total.rows / (seconds + checkpoint));
    return 0;
}

int main(int argc, char **argv)
{
    long long enterprises = 20000, months = 24, threads = 2, batch = 0;
    const char *keep = NULL;
    for (int i = 1; i < argc; i += 2) { /* each option and its value */
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        int bad = 0;
        if (strcmp(argv[i], "--enterprises") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 20000000, &enterprises);
        else if (strcmp(argv[i], "--months") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 120, &months);
        else if (strcmp(argv[i], "--threads") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 2, &threads);
        else if (strcmp(argv[i], "--batch-rows") == 0)
            bad = bench_number("bench_ingest", argv[i], v, 1, 100000000, &batch);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = v;
        else {
            fprintf(stderr, "usage: bench_ingest [--enterprises N] [--months M] [--threads 1|2] "
                            "[--batch-rows B] [--keep DIR]\n");
            return 2;
        }
        if (bad)
            return 2;
    }
    char dir[512];
    bench_scratch_dir("bench_ingest", keep, dir, sizeof(dir));
    char province[600], db[600];
    snprintf(province, sizeof(province), "%s/province", dir);
    snprintf(db, sizeof(db), "%s/hub.db", dir);
    mkdir(dir, 0700);

    ph_ctx *ctx = NULL;
    ph_error err;
    ph_store *store = NULL;
    ph_gen_options gen;
    ph_gen_options_init(&gen);
    gen.enterprises = (uint64_t)enterprises;
    gen.months = (int)months;
    gen.out_dir = province;
    gen.force = 1;
    int code = 0;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_gen_run(ctx, &gen, NULL, &err) != PH_OK ||
        ph_store_open(ctx, db, NULL, &store, &err) != PH_OK ||
        ph_schema_migrate(store, -1, NULL, &err) != PH_OK) {
        fprintf(stderr, "bench_ingest: %s\n", err.message);
        code = 1;
    } else {
        printf("bench_ingest: %lld enterprises x %lld months, %lld thread(s)\n", enterprises,
               months, threads);
        if (pass(store, province, "first", (int)threads, (size_t)batch) != 0 ||
            pass(store, province, "again", (int)threads, (size_t)batch) != 0)
            code = 1;
    }
    ph_store_free(store);
    ph_ctx_free(ctx);
    if (keep == NULL)
        bench_rmtree(dir);
    return code;
}
