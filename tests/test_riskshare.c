/*
 * Risk sharing: losses and recoveries split by hand-checked cases (the
 * arithmetic is in each test's comment), a pool that pays 30% and one that
 * runs out mid-loss, splits of 1 fen and of odd amounts, recoveries in
 * several steps, a guarantor's leverage and compensation rate, and every bad
 * input. tests/reference/share_reference.py checks 10,000 random cases.
 */
#include "support/ph_test.h"

#include <string.h>

#define YUAN(x) ((ph_money)(x) * 100)

/* The schemes under test, made once per test. */
static ph_ctx *ctx;
static ph_share_schemes *schemes;

static int setup(void **state)
{
    (void)state;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        return -1;
    return ph_share_schemes_default(ctx, &schemes, &err) == PH_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ph_share_schemes_free(schemes);
    ph_ctx_free(ctx);
    return 0;
}

static const ph_share_scheme *scheme(const char *name)
{
    const ph_share_scheme *s = ph_share_schemes_find(schemes, name);
    assert_non_null(s);
    return s;
}

/* Split without a pool; checks the parts sum to the loss. */
static ph_share_split split(const char *name, ph_money loss)
{
    ph_share_split out;
    ph_error err;
    ph_assert_ok(ph_share_loss(scheme(name), loss, 0, NULL, &out, &err), &err);
    ph_money total;
    ph_assert_ok(ph_share_split_total(&out, &total, &err), &err);
    assert_int_equal(total, loss);
    return out;
}

static void assert_parts(const ph_share_split *s, ph_money bank, ph_money guarantor,
                         ph_money reguarantor, ph_money government, ph_money pool)
{
    assert_int_equal(s->part[PH_PARTY_BANK], bank);
    assert_int_equal(s->part[PH_PARTY_GUARANTOR], guarantor);
    assert_int_equal(s->part[PH_PARTY_REGUARANTOR], reguarantor);
    assert_int_equal(s->part[PH_PARTY_GOVERNMENT], government);
    assert_int_equal(s->part[PH_PARTY_POOL], pool);
}

static void test_party_names(void **state)
{
    (void)state;
    static const char *const names[] = {"bank", "guarantor", "reguarantor", "government", "pool"};
    for (int i = 0; i < PH_PARTY_COUNT; i++) {
        ph_share_party p = PH_PARTY_COUNT;
        ph_error err;
        assert_string_equal(ph_share_party_name((ph_share_party)i), names[i]);
        ph_assert_ok(ph_share_party_parse(names[i], strlen(names[i]), &p, &err), &err);
        assert_int_equal(p, i);
    }
    assert_string_equal(ph_share_party_name(PH_PARTY_COUNT), "unknown");
    ph_share_party p = PH_PARTY_POOL;
    ph_error err;
    ph_assert_error(ph_share_party_parse("guarantor", 5, &p, &err), PH_EINVAL, &err,
                    "field party, value 'guara': expected bank, guarantor, reguarantor, "
                    "government or pool");
    assert_int_equal(p, PH_PARTY_POOL);
}

static void test_default_schemes(void **state)
{
    (void)state;
    ph_share_schemes *none = NULL;
    ph_error err;
    ph_assert_error(ph_share_schemes_default(NULL, &none, &err), PH_EMISUSE, &err, NULL);
    assert_null(none);
    assert_int_equal(ph_share_schemes_count(schemes), 3);
    assert_string_equal(ph_share_scheme_name(ph_share_schemes_at(schemes, 0)),
                        "bank_guarantor_2_8");
    assert_string_equal(ph_share_scheme_name(ph_share_schemes_at(schemes, 1)), "4321");
    assert_string_equal(ph_share_scheme_name(ph_share_schemes_at(schemes, 2)), "bank_only");
    assert_null(ph_share_schemes_at(schemes, 3));
    const ph_share_scheme *s = scheme("4321");
    assert_int_equal(ph_share_scheme_bp(s, PH_PARTY_GUARANTOR), 4000);
    assert_int_equal(ph_share_scheme_bp(s, PH_PARTY_REGUARANTOR), 3000);
    assert_int_equal(ph_share_scheme_bp(s, PH_PARTY_BANK), 2000);
    assert_int_equal(ph_share_scheme_bp(s, PH_PARTY_GOVERNMENT), 1000);
    assert_int_equal(ph_share_scheme_bp(s, PH_PARTY_POOL), 0);
    assert_null(ph_share_schemes_find(schemes, "4322"));
    assert_null(ph_share_schemes_find(schemes, NULL));
    assert_int_equal(ph_share_schemes_default_dpd(schemes), 90);
    assert_true(ph_share_schemes_default_on_write_off(schemes));
    /* The trigger: 90 days past due (not 89), or a write-off. */
    assert_false(ph_share_is_default(schemes, 89, 0));
    assert_true(ph_share_is_default(schemes, 90, 0));
    assert_true(ph_share_is_default(schemes, 0, 1));
    assert_false(ph_share_is_default(NULL, 400, 1));
}

/* 2:8 — 1,000,000.00 yuan: the guarantor 800,000.00, the bank 200,000.00.
 * 12,345.67 yuan = 1,234,567 fen: guarantor floor(987,653.6) = 987,653,
 * the bank the rest, 246,914 (its exact share is 246,913.4). */
static void test_bank_guarantor_2_8(void **state)
{
    (void)state;
    ph_share_split s = split("bank_guarantor_2_8", YUAN(1000000));
    assert_parts(&s, YUAN(200000), YUAN(800000), 0, 0, 0);
    s = split("bank_guarantor_2_8", 1234567);
    assert_parts(&s, 246914, 987653, 0, 0, 0);
}

/* 4321 — 10,000.01 yuan = 1,000,001 fen: guarantor floor(400,000.4),
 * re-guarantor floor(300,000.3), government floor(100,000.1), the bank the
 * rest, 200,001. 999,999 fen: 399,999 (.6), 299,999 (.7), 99,999 (.9), the
 * bank 200,002 — 2.2 fen over its exact 199,999.8, the most rounding down
 * three parties can leave it (under 3 fen). */
static void test_4321(void **state)
{
    (void)state;
    ph_share_split s = split("4321", YUAN(1000000));
    assert_parts(&s, YUAN(200000), YUAN(400000), YUAN(300000), YUAN(100000), 0);
    s = split("4321", 1000001);
    assert_parts(&s, 200001, 400000, 300000, 100000, 0);
    s = split("4321", 999999);
    assert_parts(&s, 200002, 399999, 299999, 99999, 0);
}

/* One fen is the bank's in every scheme (every other part rounds down to 0);
 * 7 fen by 4321: floor(2.8) = 2, floor(2.1) = 2, floor(0.7) = 0, bank 3;
 * a zero loss splits into zeros. */
static void test_one_fen_and_odd_amounts(void **state)
{
    (void)state;
    static const char *const names[] = {"bank_guarantor_2_8", "4321", "bank_only"};
    for (int i = 0; i < 3; i++) {
        ph_share_split s = split(names[i], 1);
        assert_parts(&s, 1, 0, 0, 0, 0);
    }
    ph_share_split s = split("4321", 7);
    assert_parts(&s, 3, 2, 2, 0, 0);
    s = split("bank_guarantor_2_8", 3); /* guarantor floor(2.4) = 2 */
    assert_parts(&s, 1, 2, 0, 0, 0);
    s = split("4321", 0);
    assert_parts(&s, 0, 0, 0, 0, 0);
    /* The largest loss there is: no overflow, still exact. */
    s = split("4321", PH_MONEY_MAX);
    ph_money total;
    ph_assert_ok(ph_share_split_total(&s, &total, NULL), NULL);
    assert_int_equal(total, PH_MONEY_MAX);
    assert_int_equal(s.part[PH_PARTY_GUARANTOR], PH_MONEY_MAX / 10 * 4 + (PH_MONEY_MAX % 10) * 4 / 10);
}

/* A 30% pool (Shandong) under 2:8 on 10,000.00 yuan: the bank's part
 * 2,000.00, the pool pays 600.00 of it, the bank keeps 1,400.00; the pool's
 * balance 100,000.00 -> 99,400.00. Under 4321 on 999,999 fen: the bank's
 * 200,002, the pool floor(60,000.6) = 60,000, the bank 140,002. */
static void test_pool_30_percent(void **state)
{
    (void)state;
    ph_money balance = YUAN(100000);
    ph_share_split s;
    ph_error err;
    ph_assert_ok(ph_share_loss(scheme("bank_guarantor_2_8"), YUAN(10000), 3000, &balance, &s, &err),
                 &err);
    assert_parts(&s, YUAN(1400), YUAN(8000), 0, 0, YUAN(600));
    assert_int_equal(balance, YUAN(99400));
    ph_assert_ok(ph_share_loss(scheme("4321"), 999999, 3000, &balance, &s, &err), &err);
    assert_parts(&s, 140002, 399999, 299999, 99999, 60000);
    assert_int_equal(balance, YUAN(99400) - 60000);
}

/* A pool with 250.00 yuan left owes 600.00 on a 10,000.00 loss: it pays the
 * 250.00 it has, the bank keeps 1,750.00, the balance is 0; the next loss
 * finds it empty and the bank keeps its whole 20%. */
static void test_pool_runs_out_mid_loss(void **state)
{
    (void)state;
    ph_money balance = YUAN(250);
    ph_share_split s;
    ph_error err;
    ph_assert_ok(ph_share_loss(scheme("bank_guarantor_2_8"), YUAN(10000), 3000, &balance, &s, &err),
                 &err);
    assert_parts(&s, YUAN(1750), YUAN(8000), 0, 0, YUAN(250));
    assert_int_equal(balance, 0);
    ph_assert_ok(ph_share_loss(scheme("bank_guarantor_2_8"), YUAN(10000), 3000, &balance, &s, &err),
                 &err);
    assert_parts(&s, YUAN(2000), YUAN(8000), 0, 0, 0);
    assert_int_equal(balance, 0);
    /* A 50% pool on bank_only, 1 fen short of the whole want. */
    balance = 4999;
    ph_assert_ok(ph_share_loss(scheme("bank_only"), 10000, 5000, &balance, &s, &err), &err);
    assert_parts(&s, 5001, 0, 0, 0, 4999);
    assert_int_equal(balance, 0);
}

static void assert_recovery(const ph_share_split *loss, ph_money so_far, ph_money recovery,
                            ph_money bank, ph_money guarantor, ph_money reguarantor,
                            ph_money government, ph_money pool)
{
    ph_share_split r;
    ph_error err;
    ph_assert_ok(ph_share_recovery(loss, so_far, recovery, &r, &err), &err);
    assert_parts(&r, bank, guarantor, reguarantor, government, pool);
}

/*
 * 4321 with a 30% pool on 10,000.00 yuan: guarantor 400,000, re-guarantor
 * 300,000, government 100,000, pool 60,000, bank 140,000 fen. A recovery of
 * 1,000.00 (10%) flows back 10% to each: 40,000, 30,000, 10,000, 6,000,
 * 14,000. One more fen (R = 100,001): guarantor floor(40,000.4) = 40,000;
 * re-guarantor floor(60,001 x 300,000 / 600,000) = 30,000; government
 * floor(30,001 / 3) = 10,000; pool floor(20,001 x 0.3) = 6,000: the fen is
 * the bank's. The remaining 899,999 bring every party to what it paid.
 */
static void test_recovery_in_shares(void **state)
{
    (void)state;
    ph_money balance = YUAN(1000000);
    ph_share_split loss;
    ph_error err;
    ph_assert_ok(ph_share_loss(scheme("4321"), YUAN(10000), 3000, &balance, &loss, &err), &err);
    assert_parts(&loss, 140000, 400000, 300000, 100000, 60000);
    assert_recovery(&loss, 0, 100000, 14000, 40000, 30000, 10000, 6000);
    assert_recovery(&loss, 100000, 1, 1, 0, 0, 0, 0);
    assert_recovery(&loss, 100001, 899999, 125999, 360000, 270000, 90000, 54000);
    /* The same total in one step gives the same shares as in several. */
    assert_recovery(&loss, 0, 1000000, 140000, 400000, 300000, 100000, 60000);
}

/* 2:8 on 1,234,567 fen (bank 246,914, guarantor 987,653) recovered 1 fen at a
 * time for the first 10 fen: guarantor floor(R x 987,653 / 1,234,567) rises
 * at R = 2, 3, 4, 6, 7, 8, 9 but not at 5 or 10, where the share (0.79999968)
 * stays just under a whole fen — each fen goes to one party, and nobody's
 * running total ever falls. */
static void test_recovery_fen_by_fen(void **state)
{
    (void)state;
    ph_share_split loss = split("bank_guarantor_2_8", 1234567);
    ph_money got[PH_PARTY_COUNT] = {0};
    static const ph_money guarantor_after[] = {0, 1, 2, 3, 3, 4, 5, 6, 7, 7};
    for (ph_money r = 0; r < 10; r++) {
        ph_share_split step;
        ph_error err;
        ph_assert_ok(ph_share_recovery(&loss, r, 1, &step, &err), &err);
        ph_money sum = 0;
        for (int p = 0; p < PH_PARTY_COUNT; p++) {
            assert_true(step.part[p] >= 0);
            got[p] += step.part[p];
            sum += step.part[p];
        }
        assert_int_equal(sum, 1);
        assert_int_equal(got[PH_PARTY_GUARANTOR], guarantor_after[r]);
    }
}

/* A scheme with equal shares and no bank share: the rest goes to the first
 * of the largest (guarantor before re-guarantor): 3 fen -> re-guarantor
 * floor(1.5) = 1, guarantor 2. */
static void test_residue_without_bank(void **state)
{
    (void)state;
    static const char text[] =
        "{\"schemes\": [{\"name\": \"halves\", \"shares\": {\"reguarantor\": 5000, "
        "\"guarantor\": 5000}}]}";
    ph_share_schemes *s = NULL;
    ph_error err;
    ph_assert_ok(ph_share_schemes_load_text(ctx, text, strlen(text), NULL, &s, &err), &err);
    ph_share_split out;
    ph_assert_ok(ph_share_loss(ph_share_schemes_find(s, "halves"), 3, 0, NULL, &out, &err), &err);
    assert_parts(&out, 0, 2, 1, 0, 0);
    ph_share_schemes_free(s);
}

static void test_bad_loss_input(void **state)
{
    (void)state;
    ph_share_split out;
    memset(&out, 0x55, sizeof(out));
    ph_money balance = 100;
    ph_error err;
    const ph_share_scheme *s = scheme("4321");
    ph_assert_error(ph_share_loss(s, -1, 0, NULL, &out, &err), PH_EINVAL, &err,
                    "field loss, value '-1': expected a loss in fen >= 0");
    ph_assert_error(ph_share_loss(s, 100, 10001, &balance, &out, &err), PH_EINVAL, &err,
                    "field pool_bp, value '10001'");
    ph_assert_error(ph_share_loss(s, 100, -1, &balance, &out, &err), PH_EINVAL, &err,
                    "field pool_bp, value '-1'");
    balance = -5;
    ph_assert_error(ph_share_loss(s, 100, 3000, &balance, &out, &err), PH_EINVAL, &err,
                    "field pool_balance, value '-5'");
    ph_assert_error(ph_share_loss(s, 100, 3000, NULL, &out, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_share_loss(NULL, 100, 0, NULL, &out, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_share_loss(s, 100, 0, NULL, NULL, &err), PH_EMISUSE, &err, NULL);
    assert_int_equal(balance, -5);
    assert_int_equal(out.part[0], 0x5555555555555555);
}

static void test_bad_recovery_input(void **state)
{
    (void)state;
    ph_share_split loss = split("bank_guarantor_2_8", 1000), out;
    memset(&out, 0x55, sizeof(out));
    ph_error err;
    ph_assert_error(ph_share_recovery(&loss, 0, 0, &out, &err), PH_EINVAL, &err,
                    "field recovery, value '0': expected a recovery > 0");
    ph_assert_error(ph_share_recovery(&loss, 900, 101, &out, &err), PH_EINVAL, &err,
                    "field recovery, value '101': expected a recovery > 0 and at most the 100 fen");
    ph_assert_error(ph_share_recovery(&loss, -1, 1, &out, &err), PH_EINVAL, &err,
                    "field recovered_so_far, value '-1'");
    ph_assert_error(ph_share_recovery(&loss, 1001, 1, &out, &err), PH_EINVAL, &err,
                    "field recovered_so_far, value '1001'");
    ph_share_split bad = loss;
    bad.part[PH_PARTY_POOL] = -1;
    ph_assert_error(ph_share_recovery(&bad, 0, 1, &out, &err), PH_EINVAL, &err,
                    "the pool's is negative");
    memset(&bad, 0, sizeof(bad));
    ph_assert_error(ph_share_recovery(&bad, 0, 1, &out, &err), PH_EINVAL, &err,
                    "expected a loss > 0");
    bad.part[0] = PH_MONEY_MAX;
    bad.part[1] = 1;
    ph_assert_error(ph_share_recovery(&bad, 0, 1, &out, &err), PH_EINVAL, &err, "64 bits");
    ph_assert_error(ph_share_recovery(NULL, 0, 1, &out, &err), PH_EMISUSE, &err, NULL);
    assert_int_equal(out.part[0], 0x5555555555555555);
}

/* Leverage: 32,000,000.00 yuan guaranteed on 10,000,000.00 of capital is 3.2x;
 * exactly at a 10x cap is within it, one fen more is not (though the ratio,
 * rounded to 1e-8, still reads 10x). 1 fen on 3 fen of capital 0.33333333x,
 * 2 fen 0.66666667x (half up). */
static void test_leverage(void **state)
{
    (void)state;
    ph_rate lev = -1;
    int within = -1;
    ph_error err;
    ph_assert_ok(ph_share_leverage(YUAN(32000000), YUAN(10000000), 10 * PH_RATE_ONE, &lev, &within,
                                   &err),
                 &err);
    assert_int_equal(lev, 320000000);
    assert_int_equal(within, 1);
    ph_assert_ok(ph_share_leverage(YUAN(100000000), YUAN(10000000), 10 * PH_RATE_ONE, &lev, &within,
                                   &err),
                 &err);
    assert_int_equal(lev, 10 * PH_RATE_ONE);
    assert_int_equal(within, 1);
    ph_assert_ok(ph_share_leverage(YUAN(100000000) + 1, YUAN(10000000), 10 * PH_RATE_ONE, &lev,
                                   &within, &err),
                 &err);
    assert_int_equal(lev, 10 * PH_RATE_ONE);
    assert_int_equal(within, 0);
    ph_assert_ok(ph_share_leverage(1, 3, PH_RATE_ONE, &lev, NULL, &err), &err);
    assert_int_equal(lev, 33333333);
    ph_assert_ok(ph_share_leverage(2, 3, PH_RATE_ONE, &lev, NULL, &err), &err);
    assert_int_equal(lev, 66666667);
    lev = 7;
    ph_assert_error(ph_share_leverage(1, 0, PH_RATE_ONE, &lev, NULL, &err), PH_EINVAL, &err,
                    "field capital, value '0': expected capital in fen > 0");
    ph_assert_error(ph_share_leverage(-1, 1, PH_RATE_ONE, &lev, NULL, &err), PH_EINVAL, &err,
                    "field outstanding, value '-1'");
    ph_assert_error(ph_share_leverage(1, 1, -1, &lev, NULL, &err), PH_EINVAL, &err,
                    "field cap, value '-1'");
    ph_assert_error(ph_share_leverage(PH_MONEY_MAX, 1, PH_RATE_ONE, &lev, NULL, &err), PH_ERANGE,
                    &err, "does not fit");
    assert_int_equal(lev, 7);
}

/* Compensation rate: 2,000.00 paid on 100,000.00 matured is 2%; 1 on 3 is
 * 33333333 (1e-8); nothing on nothing is 0; something on nothing is an error. */
static void test_compensation_rate(void **state)
{
    (void)state;
    ph_rate r = -1;
    ph_error err;
    ph_assert_ok(ph_share_compensation_rate(YUAN(2000), YUAN(100000), &r, &err), &err);
    assert_int_equal(r, 2 * PH_RATE_PERCENT);
    ph_assert_ok(ph_share_compensation_rate(1, 3, &r, &err), &err);
    assert_int_equal(r, 33333333);
    ph_assert_ok(ph_share_compensation_rate(0, 0, &r, &err), &err);
    assert_int_equal(r, 0);
    r = 9;
    ph_assert_error(ph_share_compensation_rate(1, 0, &r, &err), PH_EINVAL, &err,
                    "field matured, value '0': expected guarantees matured > 0");
    ph_assert_error(ph_share_compensation_rate(-1, 5, &r, &err), PH_EINVAL, &err,
                    "field compensated, value '-1'");
    ph_assert_error(ph_share_compensation_rate(1, -5, &r, &err), PH_EINVAL, &err,
                    "field matured, value '-5'");
    ph_assert_error(ph_share_compensation_rate(1, 1, NULL, &err), PH_EMISUSE, &err, NULL);
    assert_int_equal(r, 9);
}

static void test_pool_eligibility(void **state)
{
    (void)state;
    static const char *const names[] = {"all", "first_loan", "ip_loan", "agriculture"};
    for (int i = 0; i < PH_POOL_ELIGIBLE_COUNT; i++) {
        ph_share_pool_eligible e = PH_POOL_ELIGIBLE_COUNT;
        ph_error err;
        assert_string_equal(ph_share_pool_eligible_name((ph_share_pool_eligible)i), names[i]);
        ph_assert_ok(ph_share_pool_eligible_parse(names[i], strlen(names[i]), &e, &err), &err);
        assert_int_equal(e, i);
    }
    assert_string_equal(ph_share_pool_eligible_name(PH_POOL_ELIGIBLE_COUNT), "unknown");
    ph_share_pool_eligible e = PH_POOL_ALL;
    ph_error err;
    ph_assert_error(ph_share_pool_eligible_parse("farm", 4, &e, &err), PH_EINVAL, &err,
                    "field eligible, value 'farm': expected all, first_loan, ip_loan or "
                    "agriculture");
    assert_int_equal(e, PH_POOL_ALL);
    /* A first loan that is also agricultural: covered by all, first_loan and
     * agriculture pools, not by an IP pool. */
    assert_true(ph_share_pool_covers(PH_POOL_ALL, 0, 0, 0));
    assert_true(ph_share_pool_covers(PH_POOL_FIRST_LOAN, 1, 0, 1));
    assert_false(ph_share_pool_covers(PH_POOL_IP_LOAN, 1, 0, 1));
    assert_true(ph_share_pool_covers(PH_POOL_AGRICULTURE, 1, 0, 1));
    assert_false(ph_share_pool_covers(PH_POOL_FIRST_LOAN, 0, 1, 1));
    assert_false(ph_share_pool_covers(PH_POOL_ELIGIBLE_COUNT, 1, 1, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_party_names),
        cmocka_unit_test(test_default_schemes),
        cmocka_unit_test(test_bank_guarantor_2_8),
        cmocka_unit_test(test_4321),
        cmocka_unit_test(test_one_fen_and_odd_amounts),
        cmocka_unit_test(test_pool_30_percent),
        cmocka_unit_test(test_pool_runs_out_mid_loss),
        cmocka_unit_test(test_recovery_in_shares),
        cmocka_unit_test(test_recovery_fen_by_fen),
        cmocka_unit_test(test_residue_without_bank),
        cmocka_unit_test(test_bad_loss_input),
        cmocka_unit_test(test_bad_recovery_input),
        cmocka_unit_test(test_leverage),
        cmocka_unit_test(test_compensation_rate),
        cmocka_unit_test(test_pool_eligibility),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
