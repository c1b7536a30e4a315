/*
 * bench_voucher — claim-voucher operations end to end through the store.
 *
 *   bench_voucher [--ops N] [--batch B] [--evidence] [--keep DIR]
 *
 * A fresh SQLite database with one core enterprise, a supply chain three
 * tiers deep, a lender and the LPR. Then rounds of six operations through
 * the public API (voucher.h), each with every check it makes in production:
 *   issue V (tier 1), split V in two, transfer part A to tier 2, transfer
 *   that on to tier 3, finance part B at the lender, settle the tree at
 *   maturity (both current parts paid)
 * until N operations (default 120,000) have run. Operations are batched:
 * B of them (default 1,000; 1 = one transaction per operation) share one
 * unit of work (ph_store_begin_unit), so one commit; with --evidence every
 * event is also appended to an evidence log, committed (fdatasync) once per
 * batch before the store. Prints operations, wall and CPU seconds, the
 * rate per wall and per CPU second, and peak memory. The target (issue 20)
 * is 20,000 operations per second. Scratch files go to $TMPDIR (or
 * /tmp)/bench_voucher-PID, removed afterwards, or to --keep DIR.
 */
#include "bench_util.h"
#include "puhui/market.h"
#include "puhui/puhui.h"

#include <string.h>

static int fail(const char *what, const ph_error *err)
{
    fprintf(stderr, "bench_voucher: %s: %s\n", what, err->message);
    return 1;
}

static const char CORE[] = "91370100MA3C000001";
static const char *const TIER[] = {"91370102MA3C000011", "91370102MA3C000012",
                                   "91370102MA3C000013"};

static ph_status world(ph_store *s, ph_error *err)
{
    char sql[4096];
    snprintf(sql, sizeof(sql),
             "INSERT INTO institution (id, name, kind) VALUES ('%s', 'core', 'core_enterprise'),"
             "('BANK01', 'bank', 'commercial_bank');"
             "INSERT INTO feed_core_enterprises (uscc, name, industry_code, region_code, rating, "
             "annual_procurement_fen, known_on, file_id, line, row_hash) VALUES ('%s', 'core', "
             "'C34', 370100, 'AAA', 1, '2025-01-01', 1, 1, 0);"
             "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES "
             "('%s', 't1', 370102, 'C'), ('%s', 't2', 370102, 'C'), ('%s', 't3', 370102, 'C');"
             "INSERT INTO feed_supply_chain (chain_id, core_uscc, tier, supplier_uscc, "
             "buyer_uscc, since, annual_volume_fen, known_on, file_id, line, row_hash) VALUES "
             "('SC1', '%s', 1, '%s', '%s', '2020-01-01', 1, '2025-01-01', 1, 1, 0),"
             "('SC1', '%s', 2, '%s', '%s', '2020-01-01', 1, '2025-01-01', 1, 2, 0),"
             "('SC1', '%s', 3, '%s', '%s', '2020-01-01', 1, '2025-01-01', 1, 3, 0);",
             CORE, CORE, TIER[0], TIER[1], TIER[2], CORE, TIER[0], CORE, CORE, TIER[1], TIER[0],
             CORE, TIER[2], TIER[1]);
    ph_status st = ph_store_exec(s, sql, err);
    ph_rate lpr = 310 * PH_RATE_BP;
    ph_date from = 0;
    if (st == PH_OK)
        st = ph_date_parse("2025-01-01", 10, &from, err);
    if (st == PH_OK)
        st = ph_market_set_lpr(s, from, lpr, err);
    return st;
}

/* One round: six operations. */
static ph_status round_ops(ph_store *s, ph_evidence_log *log, ph_date on, ph_date due,
                           ph_error *err)
{
    ph_voucher_issue_args a = {.issuer = CORE, .to = TIER[0], .face = 100000000, .on = on,
                               .maturity = due, .payable_ref = "AP"};
    char id[PH_VOUCHER_ID_MAX], parts[2][PH_VOUCHER_ID_MAX], t2[PH_VOUCHER_ID_MAX],
        t3[PH_VOUCHER_ID_MAX];
    ph_money amounts[2] = {60000000, 40000000};
    ph_status st = ph_voucher_issue(s, log, &a, id, err);
    if (st == PH_OK)
        st = ph_voucher_split(s, log, id, TIER[0], on, amounts, 2, parts, err);
    if (st == PH_OK)
        st = ph_voucher_transfer(s, log, parts[0], TIER[0], TIER[1], on, 0, t2, err);
    if (st == PH_OK)
        st = ph_voucher_transfer(s, log, t2, TIER[1], TIER[2], on, 0, t3, err);
    if (st == PH_OK)
        st = ph_voucher_finance(s, log, parts[1], TIER[0], "BANK01", on, NULL, err);
    if (st == PH_OK)
        st = ph_voucher_settle(s, log, id, due, NULL, NULL, err);
    return st;
}

int main(int argc, char **argv)
{
    long long ops = 120000, batch = 1000;
    int evidence = 0;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc) {
            if (bench_number("bench_voucher", "--ops", argv[++i], 6, 100000000, &ops) != 0)
                return 2;
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            if (bench_number("bench_voucher", "--batch", argv[++i], 1, 1000000, &batch) != 0)
                return 2;
        } else if (strcmp(argv[i], "--evidence") == 0)
            evidence = 1;
        else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else {
            fprintf(stderr, "usage: bench_voucher [--ops N] [--batch B] [--evidence] "
                            "[--keep DIR]\n");
            return 2;
        }
    }
    char dir[1024], db[1100], logdir[1100];
    bench_scratch_dir("bench_voucher", keep, dir, sizeof(dir));
    mkdir(dir, 0700);
    snprintf(db, sizeof(db), "%s/v.db", dir);
    snprintf(logdir, sizeof(logdir), "%s/v.db.evidence", dir);
    ph_ctx *ctx = NULL;
    ph_store *s = NULL;
    ph_evidence_log *log = NULL;
    ph_error err;
    ph_status st = ph_ctx_new(NULL, &ctx, &err);
    if (st == PH_OK)
        st = ph_store_open(ctx, db, NULL, &s, &err);
    if (st == PH_OK)
        st = ph_schema_migrate(s, -1, NULL, &err);
    if (st == PH_OK)
        st = world(s, &err);
    if (st == PH_OK && evidence)
        st = ph_evidence_open(ctx, logdir, "bench.local/evidence", 1, &log, &err);
    if (st != PH_OK)
        return fail("setup", &err);
    ph_date on = 0, due = 0;
    (void)ph_date_parse("2025-03-01", 10, &on, NULL);
    (void)ph_date_parse("2025-06-01", 10, &due, NULL);

    long long rounds = ops / 6, done = 0;
    long long per_unit = batch / 6 > 0 ? batch / 6 : 1;
    int unit_open = 0;
    bench_clock t0 = bench_clock_now();
    for (long long r = 0; st == PH_OK && r < rounds; r++) {
        if (batch > 1 && !unit_open) {
            st = ph_store_begin_unit(s, &err);
            unit_open = st == PH_OK;
        }
        if (st == PH_OK)
            st = round_ops(s, log, on, due, &err);
        done += 6;
        if (st == PH_OK && unit_open && ((r + 1) % per_unit == 0 || r + 1 == rounds)) {
            if (log != NULL)
                st = ph_evidence_commit(log, &err);
            if (st == PH_OK)
                st = ph_store_end_unit(s, 1, &err);
            unit_open = 0;
        }
    }
    bench_clock t1 = bench_clock_now();
    if (st != PH_OK)
        return fail("operations", &err);
    double wall = t1.wall - t0.wall, cpu = t1.cpu - t0.cpu;
    printf("bench_voucher: %lld operations (%lld rounds of issue, split, transfer x2, finance, "
           "settle), %lld per transaction%s\n",
           done, rounds, batch > 1 ? per_unit * 6 : 1,
           log ? ", every event appended to the evidence log (one fdatasync per batch)" : "");
    printf("  wall %.3f s, CPU %.3f s: %.0f ops/s wall, %.0f ops per CPU second\n", wall, cpu,
           (double)done / wall, (double)done / cpu);
    if (log != NULL)
        printf("  evidence log: %llu leaves\n", (unsigned long long)ph_evidence_size(log));
    printf("  peak memory %ld MB; target 20,000 ops/s: %s\n", bench_peak_rss_mb(),
           (double)done / wall >= 20000 ? "met" : "NOT met");
    ph_evidence_free(log);
    ph_store_free(s);
    ph_ctx_free(ctx);
    if (keep == NULL)
        bench_rmtree(dir);
    return 0;
}
