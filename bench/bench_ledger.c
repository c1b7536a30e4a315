/*
 * bench_ledger — the close of business's ledger postings into SQLite.
 *
 *   bench_ledger [--loans N] [--days D] [--keep DIR]
 *
 * For each of D days (default 1), one ledger batch (ph_ledger_batch_*) of
 * N loans (default 1,000,000), each with two loan-level lines and their
 * counterparts, as a close of business posts them: the day's interest
 * accrual (Dr 1311 per loan / Cr 6011) and its provision change (Dr 6701 /
 * Cr 1231 per loan), over three products. That is 4 lines added and 2
 * sub-ledger rows written a loan: 2,000,000 rows a day for the default.
 * The batch is committed in one transaction on a fresh database (WAL,
 * synchronous=NORMAL, as puhui's store runs), then the ledger is verified.
 *
 * Prints, per day: the time to add the lines, to commit (hash + inserts +
 * COMMIT), and sub-ledger rows per second of add+commit, each with wall and
 * CPU seconds (user+sys: the machine may be shared); then the WAL
 * checkpoint, the verification and peak memory. Run it with --loans 100000
 * beside the default to see the growth. Scratch files go to $TMPDIR (or
 * /tmp)/bench_ledger-PID, removed afterwards, or to --keep DIR.
 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <string.h>

static const char *const PRODUCTS[] = {"micro", "agri", "revolving"};

static int fail(const char *what, const ph_error *err)
{
    fprintf(stderr, "bench_ledger: %s: %s\n", what, err->message);
    return 1;
}

static void report(const char *what, bench_clock a, bench_clock b, double rows)
{
    double wall = b.wall - a.wall, cpu = b.cpu - a.cpu;
    printf("  %-22s %8.3f s wall %8.3f s cpu", what, wall, cpu);
    if (rows > 0)
        printf("   %12.0f rows/s wall %12.0f rows/s cpu", rows / wall, rows / cpu);
    printf("\n");
}

static int post_day(ph_store *store, ph_date d, long long loans)
{
    ph_error err;
    ph_ledger_batch *b = NULL;
    bench_clock t0 = bench_clock_now();
    if (ph_ledger_batch_new(store, d, "cob", "close of business", &b, &err) != PH_OK)
        return fail("batch", &err);
    for (long long loan = 1; loan <= loans; loan++) {
        const char *product = PRODUCTS[loan % 3];
        ph_money interest = 100 + loan % 997, provision = 1 + loan % 13;
        ph_ledger_line lines[4] = {
            {"1311", loan, product, "", interest, 0},
            {"6011", 0, product, "", 0, interest},
            {"6701", 0, product, "", provision, 0},
            {"1231", loan, product, "", 0, provision},
        };
        for (int k = 0; k < 4; k++)
            if (ph_ledger_batch_add(b, &lines[k], &err) != PH_OK)
                return fail("add", &err);
    }
    bench_clock t1 = bench_clock_now();
    int64_t id = 0;
    if (ph_store_begin(store, &err) != PH_OK)
        return fail("begin", &err);
    if (ph_ledger_batch_commit(b, &id, &err) != PH_OK)
        return fail("commit", &err);
    if (ph_store_commit(store, &err) != PH_OK)
        return fail("commit", &err);
    bench_clock t2 = bench_clock_now();
    ph_ledger_batch_free(b);
    double rows = 2.0 * (double)loans;
    printf("entry %lld: %lld loans, %.0f lines added, %.0f sub-ledger rows\n", (long long)id,
           loans, 4.0 * (double)loans, rows);
    report("add lines", t0, t1, 0);
    report("commit (hash+insert)", t1, t2, rows);
    report("add + commit", t0, t2, rows);
    return 0;
}

int main(int argc, char **argv)
{
    long long loans = 1000000, days = 1;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--loans") == 0 && i + 1 < argc) {
            if (bench_number("bench_ledger", "--loans", argv[++i], 1, 100000000, &loans) != 0)
                return 2;
        } else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc) {
            if (bench_number("bench_ledger", "--days", argv[++i], 1, 365, &days) != 0)
                return 2;
        } else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc) {
            keep = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_ledger [--loans N] [--days D] [--keep DIR]\n");
            return 2;
        }
    }
    char dir[512], db[600];
    bench_scratch_dir("bench_ledger", keep, dir, sizeof(dir));
    mkdir(dir, 0700);
    snprintf(db, sizeof(db), "%s/ledger.db", dir);
    remove(db);
    ph_ctx *ctx = NULL;
    ph_store *store = NULL;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_store_open(ctx, db, NULL, &store, &err) != PH_OK ||
        ph_schema_migrate(store, -1, NULL, &err) != PH_OK)
        return fail("open", &err);
    printf("bench_ledger: %lld loans x %lld day(s), SQLite %s, %s\n", loans, days,
           ph_store_sqlite_version(), db);
    ph_date d = 0;
    ph_date_parse("2026-03-01", 10, &d, NULL);
    int rc = 0;
    for (long long k = 0; rc == 0 && k < days; k++)
        rc = post_day(store, d + (ph_date)k, loans);
    if (rc == 0) {
        bench_clock t0 = bench_clock_now();
        if (ph_store_exec(store, "PRAGMA wal_checkpoint(TRUNCATE)", &err) != PH_OK)
            rc = fail("checkpoint", &err);
        bench_clock t1 = bench_clock_now();
        report("wal checkpoint", t0, t1, 0);
        ph_ledger_verify_result r;
        if (rc == 0 && ph_ledger_verify(store, &r, &err) != PH_OK)
            rc = fail("verify", &err);
        bench_clock t2 = bench_clock_now();
        if (rc == 0) {
            report("verify", t1, t2, (double)r.subledger_rows);
            printf("  verified %lld entries, %lld lines, %lld sub-ledger rows; head %s\n",
                   (long long)r.entries, (long long)r.lines, (long long)r.subledger_rows, r.head);
        }
    }
    struct stat sb;
    if (stat(db, &sb) == 0)
        printf("  database %.1f MB, peak memory %ld MB\n", (double)sb.st_size / 1e6,
               bench_peak_rss_mb());
    ph_store_free(store);
    ph_ctx_free(ctx);
    if (keep == NULL)
        bench_rmtree(dir);
    return rc;
}
