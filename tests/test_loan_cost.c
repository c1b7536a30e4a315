/*
 * The firm's cost of an offer: schedules checked by hand (and against an
 * independent exact computation with Python's fractions, see the values'
 * comments), APR equal to the rate for a loan without fees, the effect of
 * a fee, a subsidy and an award, and every bad input.
 */
#include "support/ph_test.h"

#include "puhui/pricing.h"

#include <stdlib.h>
#include <string.h>

#define YUAN(x) ((ph_money)(x) * 100)
#define PCT(x) ((ph_rate)(x) * PH_RATE_PERCENT)

static ph_loan_terms terms(ph_money amount, int64_t months, ph_repayment kind, ph_rate rate)
{
    ph_loan_terms t = {amount, months, kind, rate, 0, 0, 0};
    return t;
}

static ph_loan_cost cost_of(const ph_loan_terms *t)
{
    ph_loan_cost c;
    ph_error err;
    ph_assert_ok(ph_loan_cost_compute(t, &c, &err), &err);
    return c;
}

static void test_repayment_names(void **state)
{
    (void)state;
    static const char *const names[] = {"equal_installment", "equal_principal", "interest_only"};
    for (int i = 0; i < 3; i++) {
        ph_repayment r = (ph_repayment)99;
        ph_error err;
        assert_string_equal(ph_repayment_name((ph_repayment)i), names[i]);
        ph_assert_ok(ph_repayment_parse(names[i], strlen(names[i]), &r, &err), &err);
        assert_int_equal(r, i);
    }
    assert_null(ph_repayment_name((ph_repayment)3));
    ph_repayment r = PH_REPAY_INTEREST_ONLY;
    ph_error err;
    ph_assert_error(ph_repayment_parse("bullet", 6, &r, &err), PH_EINVAL, &err,
                    "field repayment, value 'bullet': expected equal_installment, "
                    "equal_principal or interest_only");
    /* A prefix is not the name. */
    ph_assert_error(ph_repayment_parse("equal_principal", 5, &r, &err), PH_EINVAL, &err,
                    "value 'equal'");
    assert_int_equal(r, PH_REPAY_INTEREST_ONLY);
    ph_assert_error(ph_repayment_parse(NULL, 0, &r, &err), PH_EMISUSE, &err,
                    "ph_repayment_parse: the input string is NULL");
}

/*
 * 120,000 yuan over 12 months at 6%: r = 0.5% a month, payment
 * 120000 x 0.005 / (1 - 1.005^-12) = 10,327.97 (10,327.9719...). Month 1:
 * interest 600.00, principal 9,727.97. With interest rounded each month the
 * last payment is 10,327.99; interest totals 3,935.66 (11 x 10,327.97 +
 * 10,327.99 - 120,000).
 */
static void test_equal_installment(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(120000), 12, PH_REPAY_EQUAL_INSTALLMENT, PCT(6));
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.first_payment, 1032797);
    assert_int_equal(c.max_payment, 1032799);
    assert_int_equal(c.total_interest, 393566);
    assert_int_equal(c.total_interest, 11 * 1032797 + 1032799 - YUAN(120000));
    assert_int_equal(c.total_subsidy, 0);
    assert_int_equal(c.net_cost, 393566);
    /* 12 x IRR is the nominal rate up to the fen rounding: 6.00000102%. */
    assert_true(llabs(c.apr - PCT(6)) <= 100);
    assert_int_equal(c.apr, 6000001);
    assert_int_equal(c.net_apr, c.apr);
}

/* 1,000,000 yuan over 30 years at 4.9% (a mortgage-like sanity check):
 * payment 5,307.27, last 5,305.19, interest 910,615.12. */
static void test_equal_installment_360(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(1000000), 360, PH_REPAY_EQUAL_INSTALLMENT, 4900000);
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.first_payment, 530727);
    assert_int_equal(c.max_payment, 530727);
    assert_int_equal(c.total_interest, 91061512);
    assert_int_equal(c.apr, 4900000);
}

/* At 0% the payments split the amount; the last takes the leftover fen. */
static void test_equal_installment_zero_rate(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(100), 3, PH_REPAY_EQUAL_INSTALLMENT, 0);
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.first_payment, 3333);
    assert_int_equal(c.max_payment, 3334);
    assert_int_equal(c.total_interest, 0);
    assert_int_equal(c.apr, 0);
    /* 7 fen over 12 months: no payment may be negative, so 0 a month and
     * the 7 fen at the end (a level 1 fen would end in -4 fen). */
    t = terms(7, 12, PH_REPAY_EQUAL_INSTALLMENT, 0);
    c = cost_of(&t);
    assert_int_equal(c.first_payment, 0);
    assert_int_equal(c.max_payment, 7);
}

/* 120,000 over 12 months at 6%: principal 10,000 a month, interest 600.00,
 * 550.00, ..., 50.00: 3,900.00 in all. */
static void test_equal_principal(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(120000), 12, PH_REPAY_EQUAL_PRINCIPAL, PCT(6));
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.first_payment, YUAN(10600));
    assert_int_equal(c.max_payment, YUAN(10600));
    assert_int_equal(c.total_interest, YUAN(3900));
    assert_int_equal(c.apr, PCT(6));
    /* 100.00 yuan over 3 months at 3.85%: principal 33.34, 33.33, 33.33;
     * interest 32.08 -> 0.32, 21.38 -> 0.21, 10.69 -> 0.11 (fen, half-up). */
    t = terms(YUAN(100), 3, PH_REPAY_EQUAL_PRINCIPAL, 3850000);
    c = cost_of(&t);
    assert_int_equal(c.first_payment, 3366);
    assert_int_equal(c.max_payment, 3366);
    assert_int_equal(c.total_interest, 64);
}

/* Interest 600.00 a month, principal with the 12th payment. */
static void test_interest_only(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(120000), 12, PH_REPAY_INTEREST_ONLY, PCT(6));
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.first_payment, YUAN(600));
    assert_int_equal(c.max_payment, YUAN(120600));
    assert_int_equal(c.total_interest, YUAN(7200));
    assert_int_equal(c.apr, PCT(6));
    /* One month: the whole loan and its interest at once. */
    t = terms(YUAN(10000), 1, PH_REPAY_EQUAL_INSTALLMENT, PCT(12));
    c = cost_of(&t);
    assert_int_equal(c.first_payment, YUAN(10100));
    assert_int_equal(c.total_interest, YUAN(100));
    assert_int_equal(c.apr, PCT(12));
}

/*
 * The fee that makes the equal-instalment loan above cost 12% a year: the
 * payments' present value at 1% a month is 116,242.12, so a fee of
 * 3,757.88 (120,000 - 116,242.12) doubles the APR from 6% to 12%.
 */
static void test_upfront_fee(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(120000), 12, PH_REPAY_EQUAL_INSTALLMENT, PCT(6));
    t.upfront_fee = 375788;
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.total_interest, 393566);
    assert_int_equal(c.upfront_fee, 375788);
    assert_int_equal(c.net_cost, 393566 + 375788);
    assert_int_equal(c.apr, PCT(12)); /* 12.000000004% */
    assert_int_equal(c.net_apr, PCT(12));
}

/* A 3% subsidy on a 6% interest-only loan: the firm pays 300.00 a month. */
static void test_subsidy(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(120000), 12, PH_REPAY_INTEREST_ONLY, PCT(6));
    t.subsidy_rate = PCT(3);
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.total_interest, YUAN(7200));
    assert_int_equal(c.total_subsidy, YUAN(3600));
    assert_int_equal(c.net_cost, YUAN(3600));
    assert_int_equal(c.first_payment, YUAN(300));
    assert_int_equal(c.max_payment, YUAN(120300));
    assert_int_equal(c.apr, PCT(6));
    assert_int_equal(c.net_apr, PCT(3));

    /* On the instalment loan the subsidy follows the falling balance:
     * 1,967.78 in all (month 1: 300.00), net APR 3.00007642%. */
    t = terms(YUAN(120000), 12, PH_REPAY_EQUAL_INSTALLMENT, PCT(6));
    t.subsidy_rate = PCT(3);
    c = cost_of(&t);
    assert_int_equal(c.total_subsidy, 196778);
    assert_int_equal(c.first_payment, 1032797 - YUAN(300));
    assert_int_equal(c.max_payment, 1030230);
    assert_int_equal(c.net_cost, 393566 - 196778);
    assert_int_equal(c.apr, 6000001);
    assert_int_equal(c.net_apr, 3000076);

    /* Interest rounds half-up, the subsidy down: 1,001.00 x 6% / 12 =
     * 5.005 -> 5.01; 1,002.00 x 3% / 12 = 2.505 -> 2.50. */
    t = terms(100100, 1, PH_REPAY_INTEREST_ONLY, PCT(6));
    c = cost_of(&t);
    assert_int_equal(c.total_interest, 501);
    t = terms(100200, 1, PH_REPAY_INTEREST_ONLY, PCT(6));
    t.subsidy_rate = PCT(3);
    c = cost_of(&t);
    assert_int_equal(c.total_interest, 501);
    assert_int_equal(c.total_subsidy, 250);
    assert_int_equal(c.first_payment, 100200 + 501 - 250);
}

/* An award at disbursement lowers the firm's cost and its net APR, which
 * goes negative when subsidy and award exceed the interest. */
static void test_award(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(120000), 12, PH_REPAY_EQUAL_INSTALLMENT, PCT(6));
    t.award = YUAN(1000);
    ph_loan_cost c = cost_of(&t);
    assert_int_equal(c.award, YUAN(1000));
    assert_int_equal(c.net_cost, 393566 - YUAN(1000));
    assert_int_equal(c.apr, 6000001);
    assert_int_equal(c.net_apr, 4448892);

    /* Fully subsidised, plus 1,200.00: the firm receives 121,200 and
     * repays 120,000 a year later: 12 x ((120000/121200)^(1/12) - 1). */
    t = terms(YUAN(120000), 12, PH_REPAY_INTEREST_ONLY, PCT(6));
    t.subsidy_rate = PCT(6);
    t.award = YUAN(1200);
    c = cost_of(&t);
    assert_int_equal(c.first_payment, 0);
    assert_int_equal(c.net_cost, -YUAN(1200));
    assert_int_equal(c.net_apr, -994621);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    ph_loan_terms good = terms(YUAN(120000), 12, PH_REPAY_EQUAL_INSTALLMENT, PCT(6));
    ph_loan_cost c;
    memset(&c, 0x5a, sizeof(c));
    ph_error err;
    ph_loan_terms t = good;
    t.amount = 0;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field amount, value '0.00': expected an amount > 0");
    t = good;
    t.term_months = 0;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field term_months, value '0': expected 1 to 360 months");
    t.term_months = 361;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field term_months, value '361'");
    t = good;
    t.repayment = (ph_repayment)7;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field repayment, value '7': expected equal_installment");
    t = good;
    t.rate = PCT(101);
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field rate, value '101.00%': expected an annual rate in [0, 100%]");
    t.rate = -1;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field rate, value '-0.000001%'");
    t = good;
    t.upfront_fee = YUAN(120000);
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field upfront_fee, value '120,000.00': expected a fee >= 0 and below the "
                    "amount");
    t.upfront_fee = -1;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field upfront_fee, value '-0.01'");
    t = good;
    t.subsidy_rate = PCT(6) + 1;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field subsidy_rate, value '6.000001%': expected a rate >= 0 and at most the "
                    "loan's rate");
    t.subsidy_rate = -1;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err, "field subsidy_rate");
    t = good;
    t.award = -1;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field award, value '-0.01': expected an award >= 0");
    t = good;
    t.amount = PH_MONEY_MAX;
    t.award = 1;
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_EINVAL, &err,
                    "field award, value '0.01': expected an award that keeps amount + award in "
                    "range");
    /* Interest on the largest amount overflows the totals. */
    t = terms(PH_MONEY_MAX, 360, PH_REPAY_INTEREST_ONLY, PCT(100));
    ph_assert_error(ph_loan_cost_compute(&t, &c, &err), PH_ERANGE, &err, "field ");
    ph_assert_error(ph_loan_cost_compute(NULL, &c, &err), PH_EMISUSE, &err,
                    "ph_loan_cost_compute: NULL argument");
    ph_assert_error(ph_loan_cost_compute(&good, NULL, &err), PH_EMISUSE, &err, NULL);
    assert_int_equal(c.total_interest, 0x5a5a5a5a5a5a5a5a); /* untouched */
}

/* The largest amount at the highest rate over the longest term still
 * computes (the level-payment search stays inside 128 bits). */
static void test_extremes(void **state)
{
    (void)state;
    ph_loan_terms t = terms(YUAN(1000000000), 360, PH_REPAY_EQUAL_INSTALLMENT, PCT(100));
    ph_loan_cost c = cost_of(&t);
    assert_true(llabs(c.apr - PCT(100)) <= 100);
    /* 100% a year is 8.33% a month: each payment is barely above the
     * interest on the whole amount (83,333,333.33 yuan). */
    assert_in_range(c.first_payment, 8333333333, 8333333335);
    /* 92 billion yuan: about 30 times the amount is repaid, still in
     * range. At 100% over 30 years one fen more a month grows to 3.9e13
     * fen by the end, so the last payment absorbs up to ~1e-3 of the
     * amount and the interest is only near 29 x the amount. */
    t = terms(PH_MONEY_MAX / 1000, 360, PH_REPAY_EQUAL_INSTALLMENT, PCT(100));
    c = cost_of(&t);
    assert_true(llabs(c.apr - PCT(100)) <= 100);
    const ph_money a = PH_MONEY_MAX / 1000;
    assert_in_range(c.total_interest, 29 * a - a / 1000, 29 * a + a / 1000);
    assert_true(c.max_payment == c.first_payment); /* the last payment is smaller */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repayment_names),
        cmocka_unit_test(test_equal_installment),
        cmocka_unit_test(test_equal_installment_360),
        cmocka_unit_test(test_equal_installment_zero_rate),
        cmocka_unit_test(test_equal_principal),
        cmocka_unit_test(test_interest_only),
        cmocka_unit_test(test_upfront_fee),
        cmocka_unit_test(test_subsidy),
        cmocka_unit_test(test_award),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
