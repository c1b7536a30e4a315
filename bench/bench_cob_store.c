/*
 * bench_cob_store — close of business persisted to SQLite, one day at a time.
 *
 *   bench_cob_store [--loans N] [--keep DIR]
 *
 * Builds a mixed book of N loans (default 1,000,000: equal instalment,
 * equal principal, interest only and revolving, a quarter guaranteed with a
 * fee, a fifth subsidised) with ph_loan_import: 1/30 of them booked on
 * 2026-01-02 and closed through 2026-01-31 (so that their first instalment
 * falls due on 2026-02-02), the rest booked on 2026-02-01. Then it times
 * ph_cob_through for ONE day twice:
 *   2026-02-01  every loan accrues, is aged, classified and provisioned
 *               (per-loan state, GL postings summarised by account and
 *               product, per-loan sub-ledger) — no instalment falls due;
 *   2026-02-02  the same, and ~1/30 of the loans bill an instalment.
 * Prints wall and CPU seconds (user+sys) for the import and each day, the
 * loans per second, and peak memory. Run it with --loans 100000 beside the
 * default to see the growth. Scratch files go to $TMPDIR (or
 * /tmp)/bench_cob_store-PID, removed afterwards, or to --keep DIR.
 */
#include "bench_util.h"
#include "puhui/loan.h"
#include "puhui/puhui.h"

#include <string.h>

static int fail(const char *what, const ph_error *err)
{
    fprintf(stderr, "bench_cob_store: %s: %s\n", what, err->message);
    return 1;
}

static void report(const char *what, bench_clock a, bench_clock b, double loans)
{
    double wall = b.wall - a.wall, cpu = b.cpu - a.cpu;
    printf("  %-34s %8.3f s wall %8.3f s cpu", what, wall, cpu);
    if (loans > 0)
        printf("   %10.0f loans/s wall %10.0f loans/s cpu", loans / wall, loans / cpu);
    printf("\n");
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

enum { BLOCK = 100000, FIRMS = 50000 };

typedef struct book {
    ph_loan_import_row *rows;
    char (*refs)[32];
    char (*usccs)[PH_USCC_LEN + 1];
    uint64_t x;
} book;

/* Rows first..first+n of the book, booked on `on`. */
static int make_rows(book *b, long long first, size_t n, ph_date on)
{
    static const char *const methods[] = {"equal_installment", "equal_principal",
                                          "interest_only", "revolving"};
    static const char *const products[] = {"micro", "agri", "green"};
    for (size_t i = 0; i < n; i++) {
        long long id = first + (long long)i;
        ph_loan_import_row *r = &b->rows[i];
        memset(r, 0, sizeof(*r));
        snprintf(b->refs[i], sizeof(b->refs[i]), "BENCH-%lld", id);
        r->reference = b->refs[i];
        r->uscc = b->usccs[id % FIRMS];
        r->lender = (id & 1) ? "BANK01" : "BANK02";
        r->product = products[id % 3];
        r->method = methods[next(&b->x) % 4];
        r->amount = (ph_money)(1000000 + next(&b->x) % 99000000);
        r->rate = (ph_rate)(3000000 + next(&b->x) % 9000000);
        r->term = 3 + (int64_t)(next(&b->x) % 34);
        r->booked_on = on;
        if (next(&b->x) % 4 == 0) {
            r->guarantor = "G-370100";
            r->guarantee_fee = 1000000;
        }
        if (next(&b->x) % 5 == 0)
            r->subsidy_rate = r->rate / 2;
    }
    return 0;
}

static int import(ph_store *store, book *b, long long first, long long count, ph_date on)
{
    ph_error err;
    for (long long done = 0; done < count; done += BLOCK) {
        size_t n = (size_t)(count - done < BLOCK ? count - done : BLOCK);
        make_rows(b, first + done, n, on);
        ph_loan_import_report rep;
        if (ph_loan_import(store, b->rows, n, &rep, &err) != PH_OK)
            return fail("import", &err);
    }
    return 0;
}

static int cob_day(ph_store *store, const char *iso, double loans)
{
    ph_date d = 0;
    ph_error err;
    ph_date_parse(iso, strlen(iso), &d, NULL);
    ph_cob_report rep;
    bench_clock t0 = bench_clock_now();
    if (ph_cob_through(store, d, NULL, NULL, NULL, &rep, &err) != PH_OK)
        return fail("cob", &err);
    bench_clock t1 = bench_clock_now();
    char what[64];
    snprintf(what, sizeof(what), "COB %s (%lld loans)", iso, (long long)rep.loan_days);
    report(what, t0, t1, loans);
    return 0;
}

int main(int argc, char **argv)
{
    long long loans = 1000000;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--loans") == 0 && i + 1 < argc) {
            if (bench_number("bench_cob_store", "--loans", argv[++i], 30, 50000000, &loans) != 0)
                return 2;
        } else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc) {
            keep = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_cob_store [--loans N] [--keep DIR]\n");
            return 2;
        }
    }
    char dir[512], db[600];
    bench_scratch_dir("bench_cob_store", keep, dir, sizeof(dir));
    mkdir(dir, 0700);
    snprintf(db, sizeof(db), "%s/book.db", dir);
    remove(db);
    ph_ctx *ctx = NULL;
    ph_store *store = NULL;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_store_open(ctx, db, NULL, &store, &err) != PH_OK ||
        ph_schema_migrate(store, -1, NULL, &err) != PH_OK)
        return fail("open", &err);
    printf("bench_cob_store: %lld loans, SQLite %s, %s\n", loans, ph_store_sqlite_version(), db);

    book b = {malloc(BLOCK * sizeof(ph_loan_import_row)), malloc(BLOCK * sizeof(*b.refs)),
              malloc(FIRMS * sizeof(*b.usccs)), 88172645463325252ULL};
    if (b.rows == NULL || b.refs == NULL || b.usccs == NULL)
        return 1;
    for (int k = 0; k < FIRMS; k++)
        if (ph_uscc_generate('9', '1', 370102, (uint64_t)k + 1, b.usccs[k], &err) != PH_OK)
            return fail("uscc", &err);

    ph_date jan2 = 0, jan31 = 0, feb1 = 0;
    ph_date_parse("2026-01-02", 10, &jan2, NULL);
    ph_date_parse("2026-01-31", 10, &jan31, NULL);
    ph_date_parse("2026-02-01", 10, &feb1, NULL);
    long long early = loans / 30;
    int rc = 0;
    bench_clock t0 = bench_clock_now();
    rc = import(store, &b, 0, early, jan2);
    bench_clock t1 = bench_clock_now();
    if (rc == 0)
        report("import 1/30 (2026-01-02)", t0, t1, (double)early);
    ph_cob_report warm;
    if (rc == 0 && ph_cob_through(store, jan31, NULL, NULL, NULL, &warm, &err) != PH_OK)
        rc = fail("cob", &err);
    bench_clock t2 = bench_clock_now();
    if (rc == 0)
        report("COB 2026-01-02..31 for the 1/30", t1, t2, (double)warm.loan_days);
    if (rc == 0)
        rc = import(store, &b, early, loans - early, feb1);
    bench_clock t3 = bench_clock_now();
    if (rc == 0)
        report("import 29/30 (2026-02-01)", t2, t3, (double)(loans - early));
    if (rc == 0 && ph_store_exec(store, "PRAGMA wal_checkpoint(TRUNCATE)", &err) != PH_OK)
        rc = fail("checkpoint", &err);
    if (rc == 0)
        rc = cob_day(store, "2026-02-01", (double)loans);
    if (rc == 0)
        rc = cob_day(store, "2026-02-02", (double)loans);
    if (rc == 0) {
        ph_ledger_verify_result r;
        bench_clock v0 = bench_clock_now();
        if (ph_ledger_verify(store, &r, &err) != PH_OK)
            rc = fail("verify", &err);
        bench_clock v1 = bench_clock_now();
        if (rc == 0) {
            report("ledger verify", v0, v1, 0);
            printf("  %lld entries, %lld lines, %lld sub-ledger rows\n", (long long)r.entries,
                   (long long)r.lines, (long long)r.subledger_rows);
        }
    }
    struct stat sb;
    if (stat(db, &sb) == 0)
        printf("  database %.1f MB, peak memory %ld MB\n", (double)sb.st_size / 1e6,
               bench_peak_rss_mb());
    free(b.rows);
    free(b.refs);
    free(b.usccs);
    ph_store_free(store);
    ph_ctx_free(ctx);
    if (keep == NULL)
        bench_rmtree(dir);
    return rc;
}
