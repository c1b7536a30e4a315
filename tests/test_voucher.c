/* Claim vouchers (src/voucher, voucher.h): issue, split, transfer, finance,
 * settle with every rule refused in words; the discount's exact rounding;
 * the lineage whose leaves sum to the face, also after random operations;
 * two processes racing to finance one part (exactly one wins); the
 * canonical bytes of an event's evidence leaf. */
#include "ph_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "puhui/market.h"
#include "puhui/uscc.h"
#include "puhui/voucher.h"

/* A chain: CORE buys from T[0] (tier 1), T[0] from T[1], ... T[6] from T[7];
 * OUT is registered but supplies nobody. */
#define TIERS 8

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
    char core[PH_USCC_LEN + 1];
    char t[TIERS][PH_USCC_LEN + 1];
    char out[PH_USCC_LEN + 1];
} fixture;

static ph_date day(const char *text)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(text, strlen(text), &d, &err), &err);
    return d;
}

static void sqlf(ph_store *s, const char *fmt, ...) PH_PRINTF(2, 3);
static void sqlf(ph_store *s, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    ph_test_exec(s, sql);
}

static void add_world(fixture *fx)
{
    ph_error err;
    ph_assert_ok(ph_uscc_generate('9', '1', 370100, 900, fx->core, &err), &err);
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 999, fx->out, &err), &err);
    sqlf(fx->store,
         "INSERT INTO institution (id, name, kind) VALUES ('%s', '山东重工', 'core_enterprise'),"
         "('BANK01', '齐鲁银行', 'commercial_bank'), ('GOV01', '财政局', 'government');"
         "INSERT INTO feed_core_enterprises (uscc, name, industry_code, region_code, rating, "
         "annual_procurement_fen, known_on, file_id, line, row_hash) VALUES ('%s', '山东重工', "
         "'C34', 370100, 'AA', 100000000000, '2025-01-01', 1, 1, 0);"
         "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES ('%s', '局外', "
         "370102, 'C')",
         fx->core, fx->core, fx->out);
    for (int i = 0; i < TIERS; i++) {
        ph_assert_ok(ph_uscc_generate('9', '1', 370102, 10 + i, fx->t[i], &err), &err);
        sqlf(fx->store,
             "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES ('%s', "
             "'供应商%d', 370102, 'C');"
             "INSERT INTO feed_supply_chain (chain_id, core_uscc, tier, supplier_uscc, "
             "buyer_uscc, since, annual_volume_fen, known_on, file_id, line, row_hash) VALUES "
             "('SC0001', '%s', %d, '%s', '%s', '2020-01-01', 100000000, '2025-01-01', 1, %d, 0)",
             fx->t[i], i, fx->core, i + 1 > 7 ? 7 : i + 1, fx->t[i], i == 0 ? fx->core : fx->t[i - 1],
             i + 2);
    }
    ph_rate lpr = 0;
    ph_assert_ok(ph_rate_parse_percent("3.10", 4, &lpr, &err), &err);
    ph_assert_ok(ph_market_set_lpr(fx->store, day("2025-01-01"), lpr, &err), &err);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("voucher", &fx->ctx, &fx->dir);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "p.db");
    add_world(fx);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static void issue(fixture *fx, ph_money face, const char *on, const char *maturity,
                  char id[PH_VOUCHER_ID_MAX])
{
    ph_error err;
    ph_voucher_issue_args a = {.issuer = fx->core, .to = fx->t[0], .face = face, .on = day(on),
                               .maturity = day(maturity), .payable_ref = "AP-2025-\"001\""};
    ph_assert_ok(ph_voucher_issue(fx->store, NULL, &a, id, &err), &err);
}

/* ---- issue ---------------------------------------------------------------------------------- */

static void test_issue(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX];
    issue(fx, 100000000, "2025-03-01", "2025-09-01", id);
    assert_string_equal(id, "V000001");
    ph_voucher v;
    ph_assert_ok(ph_voucher_get(fx->store, id, &v, &err), &err);
    assert_string_equal(v.root_id, "V000001");
    assert_string_equal(v.parent_id, "");
    assert_string_equal(v.issuer, fx->core);
    assert_string_equal(v.holder, fx->t[0]);
    assert_string_equal(v.grade, "AA");
    assert_string_equal(v.payable_ref, "AP-2025-\"001\"");
    assert_int_equal(v.face, 100000000);
    assert_int_equal(v.tier, 1);
    assert_int_equal(v.status, PH_VOUCHER_HELD);
    assert_int_equal(v.maturity, day("2025-09-01"));

    ph_voucher_issue_args a = {.issuer = fx->core, .to = fx->t[0], .face = 100,
                               .on = day("2025-03-01"), .maturity = day("2025-09-01")};
    a.face = 0;
    ph_assert_error(ph_voucher_issue(fx->store, NULL, &a, id, &err), PH_EINVAL, &err,
                    "field amount, value '0.00': expected an amount above 0.00 yuan");
    a.face = 100;
    a.maturity = a.on;
    ph_assert_error(ph_voucher_issue(fx->store, NULL, &a, id, &err), PH_EINVAL, &err,
                    "field maturity, value '2025-03-01': expected a maturity after the issue "
                    "date 2025-03-01");
    a.maturity = day("2025-09-01");
    a.issuer = "BANK01";
    ph_assert_error(ph_voucher_issue(fx->store, NULL, &a, id, &err), PH_EINVAL, &err,
                    "this institution is a commercial_bank; only a core enterprise issues");
    a.issuer = fx->t[1];
    ph_assert_error(ph_voucher_issue(fx->store, NULL, &a, id, &err), PH_ENOTFOUND, &err,
                    "not a core enterprise");
    a.issuer = fx->core;
    a.to = "91370102MA00000000";
    ph_assert_error(ph_voucher_issue(fx->store, NULL, &a, id, &err), PH_ENOTFOUND, &err,
                    "not a registered firm");
    /* tier 2 does not sell to the core itself */
    a.to = fx->t[1];
    ph_assert_error(ph_voucher_issue(fx->store, NULL, &a, id, &err), PH_EINVAL, &err,
                    "this firm does not supply");
    /* nothing of the refused issues was stored */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM voucher"), 1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM voucher_event"), 1);
    /* a core enterprise without a rating */
    sqlf(fx->store, "INSERT INTO institution (id, name, kind) VALUES ('91370100MA3C0000X1', "
                    "'无评级', 'core_enterprise')");
    a.issuer = "91370100MA3C0000X1";
    a.to = fx->t[0];
    ph_assert_error(ph_voucher_issue(fx->store, NULL, &a, id, &err), PH_ENOTFOUND, &err,
                    "has no rating in feed_core_enterprises");
}

/* ---- split and transfer --------------------------------------------------------------------------- */

static void test_split(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char root[PH_VOUCHER_ID_MAX], ids[3][PH_VOUCHER_ID_MAX];
    issue(fx, 100000000, "2025-03-01", "2025-09-01", root);
    ph_money bad[] = {30000000, 69999900};
    ph_assert_error(ph_voucher_split(fx->store, NULL, root, fx->t[0], day("2025-03-02"), bad, 2,
                                     ids, &err),
                    PH_EINVAL, &err,
                    "field parts, value '999,999.00': parts sum to 999,999.00 yuan but voucher "
                    "V000001 is 1,000,000.00; the parts of a split must sum exactly to it");
    ph_money zero[] = {100000000, 0};
    ph_assert_error(ph_voucher_split(fx->store, NULL, root, fx->t[0], day("2025-03-02"), zero, 2,
                                     ids, &err),
                    PH_EINVAL, &err, "part 2: expected an amount above 0.00 yuan");
    ph_money one[] = {100000000};
    ph_assert_error(ph_voucher_split(fx->store, NULL, root, fx->t[0], day("2025-03-02"), one, 1,
                                     ids, &err),
                    PH_EINVAL, &err, "expected 2 to 100 parts");
    ph_money parts[] = {30000000, 50000000, 20000000};
    ph_assert_error(ph_voucher_split(fx->store, NULL, root, fx->t[1], day("2025-03-02"), parts,
                                     3, ids, &err),
                    PH_EINVAL, &err, "only its holder can split it");
    ph_assert_error(ph_voucher_split(fx->store, NULL, root, fx->t[0], day("2025-02-28"), parts,
                                     3, ids, &err),
                    PH_EINVAL, &err, "was created on 2025-03-01; it cannot be split before");
    ph_assert_error(ph_voucher_split(fx->store, NULL, root, fx->t[0], day("2025-09-02"), parts,
                                     3, ids, &err),
                    PH_EINVAL, &err, "matured on 2025-09-01");
    ph_assert_ok(ph_voucher_split(fx->store, NULL, root, fx->t[0], day("2025-03-02"), parts, 3,
                                  ids, &err),
                 &err);
    assert_string_equal(ids[0], "V000002");
    assert_string_equal(ids[2], "V000004");
    ph_voucher v;
    ph_assert_ok(ph_voucher_get(fx->store, ids[1], &v, &err), &err);
    assert_int_equal(v.face, 50000000);
    assert_string_equal(v.parent_id, root);
    assert_string_equal(v.root_id, root);
    assert_int_equal(v.tier, 1);
    assert_string_equal(v.holder, fx->t[0]);
    ph_assert_ok(ph_voucher_get(fx->store, root, &v, &err), &err);
    assert_int_equal(v.status, PH_VOUCHER_SPLIT);
    ph_assert_error(ph_voucher_split(fx->store, NULL, root, fx->t[0], day("2025-03-03"), parts,
                                     3, ids, &err),
                    PH_EINVAL, &err, "it was split; act on its parts");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT sum(face) FROM voucher WHERE status "
                                                  "= 'held'"),
                     100000000);
}

static void test_transfer(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX], next[PH_VOUCHER_ID_MAX];
    issue(fx, 5000000, "2025-03-01", "2025-09-01", id);
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, id, fx->t[0], fx->out,
                                        day("2025-03-02"), 0, next, &err),
                    PH_EINVAL, &err, "this firm does not supply");
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, id, fx->t[0], fx->t[2],
                                        day("2025-03-02"), 0, next, &err),
                    PH_EINVAL, &err, "a voucher passes only to a firm in the holder's supply chain");
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, id, fx->t[1], fx->t[1],
                                        day("2025-03-02"), 0, next, &err),
                    PH_EINVAL, &err, "only its holder can transfer it");
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, id, fx->t[0], fx->t[1],
                                        day("2025-03-02"), 8, next, &err),
                    PH_ERANGE, &err, "field max_tier, value '8': expected 1 to 7");
    /* down the chain, tier after tier, up to the maximum asked for (3) */
    for (int i = 1; i <= 2; i++) {
        ph_assert_ok(ph_voucher_transfer(fx->store, NULL, id, fx->t[i - 1], fx->t[i],
                                         day("2025-03-02"), 3, next, &err),
                     &err);
        ph_voucher v;
        ph_assert_ok(ph_voucher_get(fx->store, next, &v, &err), &err);
        assert_int_equal(v.tier, i + 1);
        assert_string_equal(v.holder, fx->t[i]);
        assert_string_equal(v.parent_id, id);
        assert_int_equal(v.face, 5000000);
        strcpy(id, next);
    }
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, id, fx->t[2], fx->t[3],
                                        day("2025-03-03"), 3, next, &err),
                    PH_EINVAL, &err,
                    "field tier, value '4': voucher V000003 is at tier 3; a transfer would take "
                    "it to tier 4, past the maximum of 3");
    /* the default maximum is the hard cap, 7 */
    for (int i = 3; i <= 6; i++) {
        ph_assert_ok(ph_voucher_transfer(fx->store, NULL, id, fx->t[i - 1], fx->t[i],
                                         day("2025-03-03"), 0, next, &err),
                     &err);
        strcpy(id, next);
    }
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, id, fx->t[6], fx->t[7],
                                        day("2025-03-03"), 0, next, &err),
                    PH_EINVAL, &err, "past the maximum of 7");
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, "V999999", fx->t[6], fx->t[7],
                                        day("2025-03-03"), 0, next, &err),
                    PH_ENOTFOUND, &err, "field voucher, value 'V999999': no such voucher");
}

/* ---- finance ---------------------------------------------------------------------------------- */

static void test_finance(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX], ids[2][PH_VOUCHER_ID_MAX], next[PH_VOUCHER_ID_MAX];
    issue(fx, 100000000, "2025-03-01", "2025-06-01", id);
    ph_money parts[] = {66666667, 33333333};
    ph_assert_ok(ph_voucher_split(fx->store, NULL, id, fx->t[0], day("2025-03-01"), parts, 2,
                                  ids, &err),
                 &err);
    ph_voucher v;
    ph_assert_error(ph_voucher_finance(fx->store, NULL, ids[0], fx->t[0], "GOV01",
                                       day("2025-03-01"), &v, &err),
                    PH_EINVAL, &err, "this institution is a government");
    ph_assert_error(ph_voucher_finance(fx->store, NULL, ids[0], fx->t[0], "NOBANK",
                                       day("2025-03-01"), &v, &err),
                    PH_ENOTFOUND, &err, "field lender, value 'NOBANK': no such institution");
    ph_assert_error(ph_voucher_finance(fx->store, NULL, ids[0], fx->t[0], "BANK01",
                                       day("2025-06-02"), &v, &err),
                    PH_EINVAL, &err,
                    "field on, value '2025-06-02': voucher V000002 matured on 2025-06-01; after "
                    "maturity it can only be settled (cannot finance it)");
    ph_assert_ok(ph_voucher_finance(fx->store, NULL, ids[1], fx->t[0], "BANK01",
                                    day("2025-05-25"), &v, &err),
                 &err);
    /* 333,333.33 x 3.90% x 7 / 360 = 252.777775 yuan: half up to 252.78 */
    assert_int_equal(v.days, 7);
    assert_int_equal(v.rate, 390 * PH_RATE_BP);
    assert_int_equal(v.discount, 25278);
    assert_int_equal(v.advance, 33333333 - 25278);
    ph_assert_ok(ph_voucher_get(fx->store, ids[1], &v, &err), &err);
    assert_int_equal(v.status, PH_VOUCHER_FINANCED);
    assert_string_equal(v.lender, "BANK01");
    assert_int_equal(v.discount + v.advance, v.face);
    /* once only */
    ph_assert_error(ph_voucher_finance(fx->store, NULL, ids[1], fx->t[0], "BANK01",
                                       day("2025-05-26"), &v, &err),
                    PH_EEXISTS, &err, "cannot finance voucher V000003: it is financed");
    /* a financed part is neither split nor passed on */
    ph_assert_error(ph_voucher_transfer(fx->store, NULL, ids[1], fx->t[0], fx->t[1],
                                        day("2025-05-26"), 0, next, &err),
                    PH_EINVAL, &err, "it is financed already, at BANK01; a part is financed at most once");
    /* a spread is data: AA at 1.00% from now on */
    ph_rate spread = 0;
    ph_assert_ok(ph_voucher_spread(fx->store, "AA", &spread, &err), &err);
    assert_int_equal(spread, 80 * PH_RATE_BP);
    ph_assert_ok(ph_voucher_set_spread(fx->store, "AA", 100 * PH_RATE_BP, &err), &err);
    ph_assert_ok(ph_voucher_finance(fx->store, NULL, ids[0], fx->t[0], "BANK01",
                                    day("2025-03-01"), &v, &err),
                 &err);
    /* 666,666.67 x 4.10% x 92 / 360 = 6,985.1852... yuan -> 6,985.19 */
    assert_int_equal(v.days, 92);
    assert_int_equal(v.discount, 698519);
    ph_assert_error(ph_voucher_set_spread(fx->store, "BBB", 0, &err), PH_EINVAL, &err,
                    "expected AAA, AA+, AA or AA-");
}

/* Two processes finance the same part at the same moment: the store lets
 * exactly one through; the other is told the part is financed already. */
static void test_finance_race(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX];
    issue(fx, 100000000, "2025-03-01", "2025-06-01", id);
    char *path = ph_test_path(fx->dir, "p.db");
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            ph_ctx *ctx = NULL;
            ph_store *store = NULL;
            char c;
            close(go[1]);
            if (ph_ctx_new(NULL, &ctx, NULL) != PH_OK ||
                ph_store_open(ctx, path, NULL, &store, NULL) != PH_OK)
                _exit(3);
            if (read(go[0], &c, 1) != 0) /* wait for the pipe to close: both start together */
                _exit(4);
            ph_error e;
            ph_status st = ph_voucher_finance(store, NULL, id, fx->t[0], "BANK01",
                                              day("2025-03-02"), NULL, &e);
            if (st == PH_EEXISTS && strstr(e.message, "financed") == NULL)
                st = PH_ESTORE;
            ph_store_free(store);
            ph_ctx_free(ctx);
            _exit(st == PH_OK ? 0 : st == PH_EEXISTS ? 1 : 2);
        }
    }
    close(go[0]);
    close(go[1]);
    int codes[2];
    for (int k = 0; k < 2; k++) {
        int status = 0;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status));
        codes[k] = WEXITSTATUS(status);
    }
    assert_int_equal(codes[0] + codes[1], 1); /* one 0 (won), one 1 (PH_EEXISTS) */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM voucher_financing"), 1);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM voucher_event WHERE type = 'finance'"),
                     1);
    (void)err;
    free(path);
}

/* ---- settle ---------------------------------------------------------------------------------- */

typedef struct late_rows {
    int n;
    ph_voucher_settlement s[8];
} late_rows;

static ph_status take_late(void *user, const ph_voucher_settlement *s, ph_error *err)
{
    (void)err;
    late_rows *r = user;
    if (r->n < 8)
        r->s[r->n] = *s;
    r->n++;
    return PH_OK;
}

static void test_settle(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX], ids[2][PH_VOUCHER_ID_MAX], next[PH_VOUCHER_ID_MAX];
    issue(fx, 100000000, "2025-03-01", "2025-06-01", id);
    ph_money parts[] = {60000000, 40000000};
    ph_assert_ok(ph_voucher_split(fx->store, NULL, id, fx->t[0], day("2025-03-01"), parts, 2,
                                  ids, &err),
                 &err);
    ph_assert_ok(ph_voucher_transfer(fx->store, NULL, ids[0], fx->t[0], fx->t[1],
                                     day("2025-03-05"), 0, next, &err),
                 &err);
    ph_assert_ok(ph_voucher_finance(fx->store, NULL, ids[1], fx->t[0], "BANK01",
                                    day("2025-04-01"), NULL, &err),
                 &err);
    size_t n = 0;
    ph_money paid = 0;
    ph_assert_error(ph_voucher_settle(fx->store, NULL, id, day("2025-05-31"), &n, &paid, &err),
                    PH_EINVAL, &err,
                    "field on, value '2025-05-31': voucher V000001 matures on 2025-06-01; the "
                    "issuer settles at or after maturity");
    /* any part names its tree */
    ph_assert_ok(ph_voucher_settle(fx->store, NULL, next, day("2025-06-04"), &n, &paid, &err),
                 &err);
    assert_int_equal(n, 2);
    assert_int_equal(paid, 100000000);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM voucher_settlement "
                                                  "WHERE paid_to = 'BANK01' AND amount = "
                                                  "40000000 AND days_late = 3"),
                     1);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM voucher_settlement WHERE paid_to = '%s' AND amount = 60000000",
             fx->t[1]);
    assert_int_equal(ph_test_query_int(fx->store, sql), 1);
    ph_assert_error(ph_voucher_settle(fx->store, NULL, id, day("2025-06-05"), &n, &paid, &err),
                    PH_EINVAL, &err, "voucher V000001 is settled already");
    late_rows r = {0};
    ph_assert_ok(ph_voucher_late_settlements(fx->store, day("2025-06-01"), day("2025-06-30"),
                                             take_late, &r, &err),
                 &err);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.s[0].days_late, 3);
    assert_string_equal(r.s[0].issuer, fx->core);
    assert_int_equal(r.s[0].maturity, day("2025-06-01"));
    r.n = 0;
    ph_assert_ok(ph_voucher_late_settlements(fx->store, day("2025-06-05"), day("2025-06-30"),
                                             take_late, &r, &err),
                 &err);
    assert_int_equal(r.n, 0);
    /* on time is not late */
    issue(fx, 100, "2025-03-01", "2025-06-01", id);
    ph_assert_ok(ph_voucher_settle(fx->store, NULL, id, day("2025-06-01"), &n, &paid, &err),
                 &err);
    r.n = 0;
    ph_assert_ok(ph_voucher_late_settlements(fx->store, day("2025-06-01"), day("2025-06-01"),
                                             take_late, &r, &err),
                 &err);
    assert_int_equal(r.n, 0);
}

/* ---- lineage and the invariant ----------------------------------------------------------------- */

typedef struct walk {
    int n;
    char ids[64][PH_VOUCHER_ID_MAX];
    int depth[64];
    ph_money leaves;
    int current;
} walk;

static ph_status take(void *user, const ph_voucher *v, int depth, ph_error *err)
{
    (void)err;
    walk *w = user;
    if (w->n < 64) {
        strcpy(w->ids[w->n], v->id);
        w->depth[w->n] = depth;
    }
    w->n++;
    if (v->status == PH_VOUCHER_HELD || v->status == PH_VOUCHER_FINANCED ||
        v->status == PH_VOUCHER_SETTLED) {
        w->leaves += v->face;
        w->current++;
    }
    return PH_OK;
}

static void test_lineage(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX], a[2][PH_VOUCHER_ID_MAX], b[PH_VOUCHER_ID_MAX],
        c[2][PH_VOUCHER_ID_MAX];
    issue(fx, 100000000, "2025-03-01", "2025-09-01", id);          /* V1 */
    ph_money p1[] = {70000000, 30000000};                          /* V2, V3 */
    ph_assert_ok(ph_voucher_split(fx->store, NULL, id, fx->t[0], day("2025-03-02"), p1, 2, a,
                                  &err),
                 &err);
    ph_assert_ok(ph_voucher_transfer(fx->store, NULL, a[0], fx->t[0], fx->t[1],
                                     day("2025-03-03"), 0, b, &err),
                 &err);                                            /* V4 under V2 */
    ph_money p2[] = {50000000, 20000000};                          /* V5, V6 under V4 */
    ph_assert_ok(ph_voucher_split(fx->store, NULL, b, fx->t[1], day("2025-03-04"), p2, 2, c,
                                  &err),
                 &err);
    walk w = {0};
    ph_assert_ok(ph_voucher_lineage(fx->store, c[1], take, &w, &err), &err);
    assert_int_equal(w.n, 6);
    const char *order[] = {"V000001", "V000002", "V000004", "V000005", "V000006", "V000003"};
    const int depth[] = {0, 1, 2, 3, 3, 1};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(w.ids[i], order[i]);
        assert_int_equal(w.depth[i], depth[i]);
    }
    assert_int_equal(w.current, 3);
    assert_int_equal(w.leaves, 100000000);
}

/* A tiny deterministic generator (the test must fail the same way twice). */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

typedef struct leaves {
    int n;
    ph_voucher v[512];
} leaves;

static ph_status take_leaf(void *user, const ph_voucher *v, ph_error *err)
{
    (void)err;
    leaves *l = user;
    if (l->n < 512)
        l->v[l->n++] = *v;
    return PH_OK;
}

/* Random issue, split, transfer, finance over three trees: after every
 * operation (refused or not) the current parts of each tree sum to its face
 * and the lineage visits every part once. */
static void test_random_ops_keep_the_sum(void **state)
{
    fixture *fx = *state;
    ph_error err;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    char roots[3][PH_VOUCHER_ID_MAX];
    const ph_money faces[3] = {100000000, 777777, 123456789};
    for (int r = 0; r < 3; r++)
        issue(fx, faces[r], "2025-03-01", "2025-12-31", roots[r]);
    int refused = 0, done = 0;
    for (int op = 0; op < 300; op++) {
        leaves l = {0};
        ph_voucher_filter f = {.current_only = 1};
        ph_assert_ok(ph_voucher_list(fx->store, &f, take_leaf, &l, &err), &err);
        assert_true(l.n > 0);
        const ph_voucher *v = &l.v[next_rand(&seed) % (uint64_t)l.n];
        ph_date on = day("2025-03-01") + (ph_date)(op / 2);
        ph_status st;
        switch (next_rand(&seed) % 3) {
        case 0: {
            size_t n = 2 + next_rand(&seed) % 3;
            ph_money parts[4];
            ph_money left = v->face;
            for (size_t i = 0; i + 1 < n; i++) {
                parts[i] = left > 1 ? 1 + (ph_money)(next_rand(&seed) % (uint64_t)(left / 2 + 1))
                                    : 1;
                left -= parts[i];
            }
            parts[n - 1] = left; /* may be <= 0: then refused */
            if (next_rand(&seed) % 5 == 0)
                parts[0] += 1; /* the sum is off by one fen: refused */
            st = ph_voucher_split(fx->store, NULL, v->id, v->holder, on, parts, n, NULL, &err);
            break;
        }
        case 1: {
            int tier = v->tier; /* holder at tier k is t[k-1]; its supplier is t[k] */
            const char *to = next_rand(&seed) % 6 == 0 ? fx->out : fx->t[tier < TIERS ? tier : 0];
            st = ph_voucher_transfer(fx->store, NULL, v->id, v->holder, to, on, 0, NULL, &err);
            break;
        }
        default:
            st = ph_voucher_finance(fx->store, NULL, v->id, v->holder, "BANK01", on, NULL, &err);
            break;
        }
        if (st == PH_OK)
            done++;
        else {
            assert_true(st == PH_EINVAL || st == PH_EEXISTS);
            refused++;
        }
        for (int r = 0; r < 3; r++) {
            walk w = {0};
            ph_assert_ok(ph_voucher_lineage(fx->store, roots[r], take, &w, &err), &err);
            assert_int_equal(w.leaves, faces[r]);
            char sql[128];
            snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM voucher WHERE root_id = '%s'",
                     roots[r]);
            assert_int_equal(w.n, ph_test_query_int(fx->store, sql));
        }
    }
    assert_true(done > 50);
    assert_true(refused > 10);
    /* every event is in the append-only log of the tree */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM voucher_event"),
                     3 + done);
}

/* ---- the evidence leaf -------------------------------------------------------------------------- */

typedef struct events {
    int n;
    ph_voucher_event e[16];
    char detail[16][512];
} events;

static ph_status take_event(void *user, const ph_voucher_event *e, ph_error *err)
{
    (void)err;
    events *x = user;
    if (x->n < 16) {
        x->e[x->n] = *e;
        snprintf(x->detail[x->n], sizeof(x->detail[0]), "%s", e->detail);
        x->e[x->n].detail = x->detail[x->n];
        x->n++;
    }
    return PH_OK;
}

static void test_event_leaf(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX], ids[2][PH_VOUCHER_ID_MAX];
    issue(fx, 100000000, "2025-03-01", "2025-09-01", id);
    ph_money parts[] = {30000000, 70000000};
    ph_assert_ok(ph_voucher_split(fx->store, NULL, id, fx->t[0], day("2025-03-02"), parts, 2,
                                  ids, &err),
                 &err);
    events x = {0};
    ph_assert_ok(ph_voucher_events(fx->store, ids[1], take_event, &x, &err), &err);
    assert_int_equal(x.n, 2);
    assert_int_equal(x.e[0].leaf_index, -1); /* recorded without a log */
    char *leaf = NULL;
    size_t len = 0;
    ph_assert_ok(ph_voucher_event_leaf(fx->ctx, &x.e[1], &leaf, &len, &err), &err);
    char want[512];
    snprintf(want, sizeof(want),
             "{\"type\":\"voucher.split\",\"seq\":2,\"id\":\"V000001\",\"on\":\"2025-03-02\","
             "\"actor\":\"%s\",\"counterparty\":\"%s\",\"amount\":\"1000000.00\","
             "\"detail\":{\"parts\":[\"V000002\",\"V000003\"],\"amounts\":[\"300000.00\","
             "\"700000.00\"]}}",
             fx->t[0], fx->t[0]);
    assert_string_equal(leaf, want);
    assert_int_equal(len, strlen(want));
    ph_free(fx->ctx, leaf);
    ph_assert_ok(ph_voucher_event_leaf(fx->ctx, &x.e[0], &leaf, &len, &err), &err);
    /* the payable reference's quotes are escaped: the leaf stays one JSON value */
    assert_non_null(strstr(leaf, "\"payable_ref\":\"AP-2025-\\\"001\\\"\""));
    ph_free(fx->ctx, leaf);
}

/* ---- evidence: leaves, proof, tampering ---------------------------------------------------------- */

static ph_evidence_log *open_log(fixture *fx)
{
    ph_error err;
    ph_evidence_log *log = NULL;
    char *dir = ph_test_path(fx->dir, "p.db.evidence");
    ph_assert_ok(ph_evidence_open(fx->ctx, dir, "puhui.test/evidence", 1, &log, &err), &err);
    free(dir);
    return log;
}

/* Every event of a tree is a leaf of the log whose bytes are the row's
 * canonical bytes; the tree proves against the log. Then someone with
 * write access to the database drops the append-only trigger and edits
 * one event: the leaf recomputed from the row no longer matches the log,
 * and its inclusion proof against the tree's root fails. */
static void test_evidence_and_tamper(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_evidence_log *log = open_log(fx);
    char id[PH_VOUCHER_ID_MAX], ids[2][PH_VOUCHER_ID_MAX], next[PH_VOUCHER_ID_MAX];
    ph_voucher_issue_args a = {.issuer = fx->core, .to = fx->t[0], .face = 100000000,
                               .on = day("2025-03-01"), .maturity = day("2025-06-01")};
    ph_assert_ok(ph_voucher_issue(fx->store, log, &a, id, &err), &err);
    ph_money parts[] = {60000000, 40000000};
    ph_assert_ok(ph_voucher_split(fx->store, log, id, fx->t[0], day("2025-03-02"), parts, 2, ids,
                                  &err),
                 &err);
    ph_assert_ok(ph_voucher_transfer(fx->store, log, ids[0], fx->t[0], fx->t[1],
                                     day("2025-03-03"), 0, next, &err),
                 &err);
    /* a batch: three operations in the caller's unit, one log commit */
    ph_assert_ok(ph_store_begin_unit(fx->store, &err), &err);
    ph_assert_ok(ph_voucher_finance(fx->store, log, ids[1], fx->t[0], "BANK01",
                                    day("2025-03-04"), NULL, &err),
                 &err);
    ph_assert_error(ph_voucher_finance(fx->store, log, ids[1], fx->t[0], "BANK01",
                                       day("2025-03-04"), NULL, &err),
                    PH_EEXISTS, &err, "financed");
    ph_assert_ok(ph_evidence_commit(log, &err), &err);
    ph_assert_ok(ph_store_end_unit(fx->store, 1, &err), &err);
    assert_int_equal(ph_evidence_size(log), 4);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM voucher_event WHERE "
                                                  "leaf_index = seq - 1"),
                     4);
    /* the log holds exactly the bytes the rows give */
    events x = {0};
    ph_assert_ok(ph_voucher_events(fx->store, id, take_event, &x, &err), &err);
    assert_int_equal(x.n, 4);
    for (int i = 0; i < x.n; i++) {
        char *leaf = NULL;
        size_t len = 0;
        const uint8_t *data = NULL;
        size_t dlen = 0;
        ph_assert_ok(ph_voucher_event_leaf(fx->ctx, &x.e[i], &leaf, &len, &err), &err);
        ph_assert_ok(ph_evidence_leaf_data(log, (uint64_t)x.e[i].leaf_index, &data, &dlen, &err),
                     &err);
        assert_int_equal(dlen, len);
        assert_memory_equal(data, leaf, len);
        ph_free(fx->ctx, leaf);
    }
    size_t proved = 0;
    ph_assert_ok(ph_voucher_prove(fx->store, log, next, 4, NULL, &proved, &err), &err);
    assert_int_equal(proved, 4);
    ph_assert_error(ph_voucher_prove(fx->store, log, next, 3, NULL, &proved, &err), PH_EINVAL,
                    &err, "past the checkpoint's 3 leaves");

    /* the tampering */
    ph_test_exec(fx->store, "DROP TRIGGER voucher_event_no_update");
    ph_test_exec(fx->store, "UPDATE voucher_event SET amount = amount + 100 WHERE type = "
                            "'transfer'");
    ph_assert_error(ph_voucher_prove(fx->store, log, id, 4, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "event 3 (transfer of voucher V000002) is leaf 2, but the stored row no "
                    "longer gives the leaf the evidence log holds");
    /* and the proof of the recomputed leaf against the tree's root fails */
    memset(&x, 0, sizeof(x));
    ph_assert_ok(ph_voucher_events(fx->store, id, take_event, &x, &err), &err);
    char *leaf = NULL;
    size_t len = 0;
    ph_assert_ok(ph_voucher_event_leaf(fx->ctx, &x.e[2], &leaf, &len, &err), &err);
    uint8_t hash[PH_EVIDENCE_HASH], root[PH_EVIDENCE_HASH];
    uint8_t path[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
    size_t n = 0;
    ph_merkle_leaf_hash(leaf, len, hash);
    ph_free(fx->ctx, leaf);
    ph_assert_ok(ph_evidence_root(log, 4, root, &err), &err);
    ph_assert_ok(ph_evidence_prove_inclusion(log, 2, 4, path, &n, &err), &err);
    ph_assert_error(ph_merkle_verify_inclusion(2, 4, hash, (const uint8_t(*)[PH_EVIDENCE_HASH])path,
                                               n, root, &err),
                    PH_EVERIFY, &err, NULL);
    ph_evidence_free(log);
}

static void test_prove_needs_logged_events(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char id[PH_VOUCHER_ID_MAX];
    issue(fx, 100, "2025-03-01", "2025-06-01", id); /* no log */
    ph_evidence_log *log = open_log(fx);
    ph_voucher_issue_args a = {.issuer = fx->core, .to = fx->t[0], .face = 100,
                               .on = day("2025-03-01"), .maturity = day("2025-06-01")};
    char other[PH_VOUCHER_ID_MAX];
    ph_assert_ok(ph_voucher_issue(fx->store, log, &a, other, &err), &err);
    size_t proved = 0;
    ph_assert_error(ph_voucher_prove(fx->store, log, id, 1, NULL, &proved, &err), PH_EINVAL, &err,
                    "event 1 (issue of voucher V000001) was recorded without an evidence log");
    ph_assert_ok(ph_voucher_prove(fx->store, log, other, 1, NULL, &proved, &err), &err);
    assert_int_equal(proved, 1);
    ph_assert_error(ph_voucher_prove(fx->store, log, other, 2, NULL, &proved, &err), PH_EINVAL,
                    &err, "expected 1 to the log's 1 leaves");
    ph_evidence_free(log);
}

/* The proof must cover the parts' state, not only the event rows: someone
 * with the database moves a current part to another firm (dropping the
 * frozen trigger). Every event row is untouched, so every claimed leaf still
 * matches - yet the store now says another firm holds the part, and the
 * settlement would pay it. The proof of the voucher's history must fail. */
static void test_prove_catches_edited_part(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_evidence_log *log = open_log(fx);
    char id[PH_VOUCHER_ID_MAX], next[PH_VOUCHER_ID_MAX];
    ph_voucher_issue_args a = {.issuer = fx->core, .to = fx->t[0], .face = 100000000,
                               .on = day("2025-03-01"), .maturity = day("2025-06-01")};
    ph_assert_ok(ph_voucher_issue(fx->store, log, &a, id, &err), &err);
    ph_assert_ok(ph_voucher_transfer(fx->store, log, id, fx->t[0], fx->t[1], day("2025-03-03"), 0,
                                     next, &err),
                 &err);
    size_t proved = 0;
    ph_assert_ok(ph_voucher_prove(fx->store, log, next, 2, NULL, &proved, &err), &err);
    sqlf(fx->store, "DROP TRIGGER voucher_frozen; UPDATE voucher SET holder_uscc = '%s' WHERE "
                    "id = '%s'",
         fx->out, next);
    char want[256];
    snprintf(want, sizeof(want),
             "part V000002: holder_uscc is %s in the store but the logged events give %s",
             fx->out, fx->t[1]);
    ph_assert_error(ph_voucher_prove(fx->store, log, next, 2, NULL, &proved, &err), PH_EVERIFY,
                    &err, want);
    ph_evidence_free(log);
}

/* A whole tree (split, transfer, finance, settle) proves, its state
 * included. Then rows the events do not account for: a deleted finance
 * event leaves a part financed with no event saying so; a deleted settle
 * event a settled part; a financing edited; a part row added with no event
 * creating it. Each is PH_EVERIFY naming the part and the column. */
static void test_prove_catches_deleted_event(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_evidence_log *log = open_log(fx);
    char id[PH_VOUCHER_ID_MAX], ids[2][PH_VOUCHER_ID_MAX], next[PH_VOUCHER_ID_MAX];
    ph_voucher_issue_args a = {.issuer = fx->core, .to = fx->t[0], .face = 100000000,
                               .on = day("2025-03-01"), .maturity = day("2025-06-01"),
                               .payable_ref = "AP-\"7\""};
    ph_assert_ok(ph_voucher_issue(fx->store, log, &a, id, &err), &err);
    ph_money parts[] = {60000000, 40000000};
    ph_assert_ok(ph_voucher_split(fx->store, log, id, fx->t[0], day("2025-03-02"), parts, 2, ids,
                                  &err),
                 &err);
    ph_assert_ok(ph_voucher_transfer(fx->store, log, ids[0], fx->t[0], fx->t[1],
                                     day("2025-03-03"), 0, next, &err),
                 &err);
    ph_assert_ok(ph_voucher_finance(fx->store, log, ids[1], fx->t[0], "BANK01",
                                    day("2025-03-04"), NULL, &err),
                 &err);
    size_t n = 0, proved = 0;
    ph_money paid = 0;
    ph_assert_ok(ph_voucher_settle(fx->store, log, id, day("2025-06-03"), &n, &paid, &err), &err);
    ph_assert_ok(ph_voucher_prove(fx->store, log, next, 6, NULL, &proved, &err), &err);
    assert_int_equal(proved, 6);

    /* the settlement of V000003 paid someone else */
    ph_test_exec(fx->store, "DROP TRIGGER voucher_settlement_no_update");
    ph_test_exec(fx->store, "UPDATE voucher_settlement SET paid_to = 'BANK02' WHERE voucher_id = "
                            "'V000003'");
    ph_assert_error(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "part V000003: settlement paid_to is BANK02 in the store but the logged "
                    "events give BANK01");
    ph_test_exec(fx->store, "UPDATE voucher_settlement SET paid_to = 'BANK01' WHERE voucher_id = "
                            "'V000003'");
    ph_assert_ok(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), &err);

    /* the financing's advance raised */
    ph_test_exec(fx->store, "DROP TRIGGER voucher_financing_no_update");
    ph_test_exec(fx->store, "UPDATE voucher_financing SET advance = advance + 1");
    ph_assert_error(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), PH_EVERIFY,
                    &err, "part V000003: financing advance is");
    ph_test_exec(fx->store, "UPDATE voucher_financing SET advance = advance - 1");

    /* the settle events deleted: the parts are settled with no event saying so */
    ph_test_exec(fx->store, "DROP TRIGGER voucher_event_no_delete");
    ph_test_exec(fx->store, "DELETE FROM voucher_event WHERE type = 'settle'");
    ph_assert_error(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "part V000003: status is settled in the store but the logged events give "
                    "financed");
    /* and the finance event too: financed with no finance event */
    ph_test_exec(fx->store, "DROP TRIGGER voucher_status;"
                            "DROP TRIGGER voucher_settlement_no_delete;"
                            "DROP TRIGGER voucher_financing_no_delete");
    ph_test_exec(fx->store, "UPDATE voucher SET status = 'financed' WHERE id = 'V000003';"
                            "UPDATE voucher SET status = 'held' WHERE id = 'V000004';"
                            "DELETE FROM voucher_settlement");
    ph_assert_ok(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), &err);
    ph_test_exec(fx->store, "DELETE FROM voucher_event WHERE type = 'finance'");
    ph_assert_error(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "part V000003: status is financed in the store but the logged events give "
                    "held");

    /* a part nobody created */
    ph_test_exec(fx->store, "UPDATE voucher SET status = 'held' WHERE id = 'V000003';"
                            "DELETE FROM voucher_financing");
    ph_assert_ok(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), &err);
    sqlf(fx->store,
         "INSERT INTO voucher (id, seq, root_id, parent_id, issuer_uscc, face, maturity, grade, "
         "payable_ref, holder_uscc, tier, status, created_on) SELECT 'V000099', 99, root_id, "
         "id, issuer_uscc, face, maturity, grade, payable_ref, '%s', tier + 1, 'held', "
         "created_on FROM voucher WHERE id = 'V000004'",
         fx->out);
    ph_assert_error(ph_voucher_prove(fx->store, log, id, 6, NULL, &proved, &err), PH_EVERIFY,
                    &err, "part V000099: the store holds it");
    ph_evidence_free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_issue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finance_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lineage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_ops_keep_the_sum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_leaf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence_and_tamper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prove_needs_logged_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prove_catches_edited_part, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prove_catches_deleted_event, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
