/*
 * The loan book's schedules (include/puhui/schedule.h): one hand-checked
 * case per method, the due dates at month ends and in leap years, and the
 * Fineract failure classes: the last instalment absorbs the residue
 * (FINERACT-1540), days in year ACT/360 vs ACT/365 (FINERACT-2359), 31
 * January plus one month and 29 February, and every bad term.
 * (Accrual, repricing, prepayment and allocation: test_schedule_accrual.c.)
 *
 * Every figure is worked out in the comment above its assertion.
 */
#include "support/ph_test.h"

#include "puhui/schedule.h"

#include <string.h>

static ph_date ymd(int y, int m, int d)
{
    ph_date out;
    ph_error err;
    ph_assert_ok(ph_date_from_ymd(y, m, d, &out, &err), &err);
    return out;
}

static ph_schedule_terms terms(ph_money principal, ph_date anchor, int32_t months,
                               ph_schedule_method method, ph_rate rate, ph_daycount dc)
{
    ph_schedule_terms t = {0};
    t.principal = principal;
    t.anchor = anchor;
    t.first_k = 1;
    t.term_months = months;
    t.period_start = anchor;
    t.method = method;
    t.rate = rate;
    t.daycount = dc;
    return t;
}

static size_t build(const ph_schedule_terms *t, ph_instalment *out)
{
    size_t n = 0;
    ph_error err;
    ph_assert_ok(ph_schedule_build(t, out, PH_SCHEDULE_MAX_TERM, &n, &err), &err);
    return n;
}

static void assert_inst(const ph_instalment *i, int k, ph_date due, ph_date start,
                        ph_money principal, ph_money interest, ph_money after)
{
    assert_int_equal(i->k, k);
    assert_int_equal(i->due_on, due);
    assert_int_equal(i->period_start, start);
    assert_int_equal(i->principal, principal);
    assert_int_equal(i->interest, interest);
    assert_int_equal(i->balance_after, after);
}

static void test_method_names(void **state)
{
    (void)state;
    static const char *const names[] = {"equal_installment", "equal_principal", "interest_only",
                                        "seasonal", "revolving"};
    for (int i = 0; i < 5; i++) {
        ph_schedule_method m = (ph_schedule_method)99;
        ph_error err;
        assert_string_equal(ph_schedule_method_name((ph_schedule_method)i), names[i]);
        ph_assert_ok(ph_schedule_method_parse(names[i], strlen(names[i]), &m, &err), &err);
        assert_int_equal(m, i);
    }
    assert_null(ph_schedule_method_name((ph_schedule_method)5));
    ph_schedule_method m = PH_METHOD_SEASONAL;
    ph_error err;
    ph_assert_error(ph_schedule_method_parse("bullet", 6, &m, &err), PH_EINVAL, &err,
                    "field method, value 'bullet': expected equal_installment");
    ph_assert_error(ph_schedule_method_parse("seasonal", 4, &m, &err), PH_EINVAL, &err,
                    "value 'seas'");
    assert_int_equal(m, PH_METHOD_SEASONAL); /* untouched */
    ph_assert_error(ph_schedule_method_parse(NULL, 0, &m, &err), PH_EMISUSE, &err, "NULL");
}

/*
 * Equal principal, 12,000.00 yuan over 3 months at 6% ACT/360 from
 * 2025-01-15: 4,000.00 a month. Periods of 31, 28 and 31 days:
 *   1,200,000 x 0.06 x 31/360 = 6,200.00 fen exactly         -> 6200
 *     800,000 x 0.06 x 28/360 = 3,733.33                      -> 3733
 *     400,000 x 0.06 x 31/360 = 2,066.67                      -> 2067
 */
static void test_equal_principal(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(1200000, ymd(2025, 1, 15), 3, PH_METHOD_EQUAL_PRINCIPAL,
                                6 * PH_RATE_PERCENT, PH_DAYCOUNT_ACT_360);
    assert_int_equal(build(&t, s), 3);
    assert_inst(&s[0], 1, ymd(2025, 2, 15), ymd(2025, 1, 15), 400000, 6200, 800000);
    assert_inst(&s[1], 2, ymd(2025, 3, 15), ymd(2025, 2, 15), 400000, 3733, 400000);
    assert_inst(&s[2], 3, ymd(2025, 4, 15), ymd(2025, 3, 15), 400000, 2067, 0);
}

/*
 * Equal instalments, 120,000 yuan over 12 months at 6% ACT/360 from
 * 2025-01-15. The level payment is the annuity at 0.5% a month,
 * 120000 x 0.005 / (1 - 1.005^-12) = 10,327.9719 -> 10,327.97 (the offer's
 * payment, pricing.h). Then by actual days:
 *   month 1 (31 days): 12,000,000 x 0.06 x 31/360 = 62,000.00 -> 62000;
 *     principal 1,032,797 - 62,000 = 970,797; balance 11,029,203
 *   month 2 (28 days): 11,029,203 x 0.06 x 28/360 = 51,469.614 -> 51470;
 *     principal 1,032,797 - 51,470 = 981,327; balance 10,047,876
 * The principals sum to the amount exactly; the last takes what is left.
 */
static void test_equal_installment(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(12000000, ymd(2025, 1, 15), 12, PH_METHOD_EQUAL_INSTALLMENT,
                                6 * PH_RATE_PERCENT, PH_DAYCOUNT_ACT_360);
    assert_int_equal(build(&t, s), 12);
    assert_inst(&s[0], 1, ymd(2025, 2, 15), ymd(2025, 1, 15), 970797, 62000, 11029203);
    assert_inst(&s[1], 2, ymd(2025, 3, 15), ymd(2025, 2, 15), 981327, 51470, 10047876);
    ph_money sum = 0;
    for (int i = 0; i < 11; i++) {
        assert_int_equal(s[i].principal + s[i].interest, 1032797); /* level */
        sum += s[i].principal;
    }
    assert_int_equal(s[11].principal, s[10].balance_after); /* the rest */
    assert_int_equal(sum + s[11].principal, 12000000);
    assert_int_equal(s[11].balance_after, 0);
    assert_int_equal(s[11].due_on, ymd(2026, 1, 15));
}

/*
 * FINERACT-1540, the last instalment absorbs the residue. 100.00 yuan over
 * 3 months at 0%: equal principal splits 10,000 fen as 3,334 + 3,333 +
 * 3,333 (the leftover fen to the first); equal instalments pay the level
 * 3,333 (10,000 / 3 = 3,333.33; 3,334 would leave the last month
 * 10,000 - 2 x 3,334 = 3,332, two fen short, against one fen over for 3,333), and
 * the last takes 10,000 - 2 x 3,333 = 3,334. Nothing is lost or created.
 */
static void test_last_absorbs_residue(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t =
        terms(10000, ymd(2025, 3, 1), 3, PH_METHOD_EQUAL_PRINCIPAL, 0, PH_DAYCOUNT_ACT_360);
    assert_int_equal(build(&t, s), 3);
    assert_int_equal(s[0].principal, 3334);
    assert_int_equal(s[1].principal, 3333);
    assert_int_equal(s[2].principal, 3333);
    t.method = PH_METHOD_EQUAL_INSTALLMENT;
    assert_int_equal(build(&t, s), 3);
    assert_int_equal(s[0].principal, 3333);
    assert_int_equal(s[1].principal, 3333);
    assert_int_equal(s[2].principal, 3334);
    assert_int_equal(s[2].balance_after, 0);
    /* One fen over 12 months: nothing due until the last. */
    t = terms(1, ymd(2025, 3, 1), 12, PH_METHOD_EQUAL_INSTALLMENT, 6 * PH_RATE_PERCENT,
              PH_DAYCOUNT_ACT_360);
    assert_int_equal(build(&t, s), 12);
    for (int i = 0; i < 11; i++)
        assert_int_equal(s[i].principal, 0);
    assert_int_equal(s[11].principal, 1);
}

/*
 * Interest only at 4.35% ACT/365 on 10,000.00 yuan drawn on 29 February
 * 2024. Due 29 Mar (29 days), 29 Apr (31), 29 May (30):
 *   1,000,000 x 0.0435 x 29/365 = 3,456.16 -> 3456
 *   1,000,000 x 0.0435 x 31/365 = 3,694.52 -> 3695
 *   1,000,000 x 0.0435 x 30/365 = 3,575.34 -> 3575
 * and the principal with the last.
 */
static void test_interest_only_leap_day(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(1000000, ymd(2024, 2, 29), 3, PH_METHOD_INTEREST_ONLY,
                                4350000, PH_DAYCOUNT_ACT_365);
    assert_int_equal(build(&t, s), 3);
    assert_inst(&s[0], 1, ymd(2024, 3, 29), ymd(2024, 2, 29), 0, 3456, 1000000);
    assert_inst(&s[1], 2, ymd(2024, 4, 29), ymd(2024, 3, 29), 0, 3695, 1000000);
    assert_inst(&s[2], 3, ymd(2024, 5, 29), ymd(2024, 4, 29), 1000000, 3575, 0);
    /* Twelve months on: 28 February 2025, the day clamped, not 1 March. */
    t.term_months = 12;
    assert_int_equal(build(&t, s), 12);
    assert_int_equal(s[11].due_on, ymd(2025, 2, 28));
}

/*
 * 31 January plus one month. Anchored to the ORIGINAL day: 2025-01-31 is due
 * 28 Feb, 31 Mar, 30 Apr, 31 May (never 28 Mar, 28 Apr as stepping from the
 * previous due date would give); in 2024, 29 Feb. The periods are 28, 31,
 * 30 and 31 days. Revolving: principal 0 until maturity.
 */
static void test_month_ends(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(3600000, ymd(2025, 1, 31), 4, PH_METHOD_REVOLVING,
                                36 * PH_RATE_PERCENT / 10, PH_DAYCOUNT_ACT_360);
    assert_int_equal(build(&t, s), 4);
    /* 3,600,000 x 0.036 / 360 = 360 fen a day, exactly. */
    assert_inst(&s[0], 1, ymd(2025, 2, 28), ymd(2025, 1, 31), 0, 28 * 360, 3600000);
    assert_inst(&s[1], 2, ymd(2025, 3, 31), ymd(2025, 2, 28), 0, 31 * 360, 3600000);
    assert_inst(&s[2], 3, ymd(2025, 4, 30), ymd(2025, 3, 31), 0, 30 * 360, 3600000);
    assert_inst(&s[3], 4, ymd(2025, 5, 31), ymd(2025, 4, 30), 3600000, 31 * 360, 0);
    t.anchor = t.period_start = ymd(2024, 1, 31);
    assert_int_equal(build(&t, s), 4);
    assert_int_equal(s[0].due_on, ymd(2024, 2, 29));
    assert_int_equal(s[0].interest, 29 * 360);
    assert_int_equal(s[1].due_on, ymd(2024, 3, 31));
    ph_date d;
    ph_error err;
    ph_assert_ok(ph_schedule_due_date(ymd(2025, 1, 31), 0, &d, &err), &err);
    assert_int_equal(d, ymd(2025, 1, 31));
    ph_assert_ok(ph_schedule_due_date(ymd(2025, 1, 31), 13, &d, &err), &err);
    assert_int_equal(d, ymd(2026, 2, 28));
    ph_assert_error(ph_schedule_due_date(ymd(2025, 1, 31), 361, &d, &err), PH_EINVAL, &err,
                    "field k");
}

/*
 * FINERACT-2359, days in year. One month of 31 days on 10,000.00 yuan at
 * 3.65%: ACT/365 is 1,000,000 x 0.0365 x 31/365 = 3,100.00 exactly; ACT/360
 * is 3,143.06 -> 3143. In a leap year ACT/365 still divides by 365: the 29
 * days of February 2024 give 2,900.00, not 29/366 of a year (2,892.08).
 */
static void test_days_in_year(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(1000000, ymd(2025, 1, 1), 1, PH_METHOD_INTEREST_ONLY, 3650000,
                                PH_DAYCOUNT_ACT_365);
    build(&t, s);
    assert_int_equal(s[0].interest, 3100);
    t.daycount = PH_DAYCOUNT_ACT_360;
    build(&t, s);
    assert_int_equal(s[0].interest, 3143);
    t = terms(1000000, ymd(2024, 2, 1), 1, PH_METHOD_INTEREST_ONLY, 3650000, PH_DAYCOUNT_ACT_365);
    build(&t, s);
    assert_int_equal(s[0].interest, 2900);
}

/*
 * Seasonal, 12,000.00 yuan over 12 months from 2025-01-10 at 3.6% ACT/360,
 * harvest in September and October (bits 8 and 9): 6,000.00 due on
 * 2025-09-10 (k 8) and 2025-10-10 (k 9), nothing after. Interest month 1
 * (31 days): 1,200,000 x 0.036 x 31/360 = 3,720; month 9 (30 days) on
 * 600,000: 1,800; month 10 on 0: 0.
 */
static void test_seasonal(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(1200000, ymd(2025, 1, 10), 12, PH_METHOD_SEASONAL, 3600000,
                                PH_DAYCOUNT_ACT_360);
    t.harvest_months = (1u << 8) | (1u << 9);
    assert_int_equal(build(&t, s), 12);
    for (int i = 0; i < 12; i++)
        assert_int_equal(s[i].principal, i == 7 || i == 8 ? 600000 : 0);
    assert_int_equal(s[0].interest, 3720);
    assert_inst(&s[8], 9, ymd(2025, 10, 10), ymd(2025, 9, 10), 600000, 1800, 0);
    assert_int_equal(s[9].interest, 0);
    /* No harvest month left among the due dates: all at maturity. */
    t.term_months = 3; /* Feb, Mar, Apr */
    assert_int_equal(build(&t, s), 3);
    assert_int_equal(s[0].principal + s[1].principal, 0);
    assert_int_equal(s[2].principal, 1200000);
}

/* A 30-year loan at 24%: a 31-day month's interest exceeds the level
 * payment; the principal is then 0, never negative, and the balance never
 * grows. */
static void test_long_month_high_rate(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(100000000, ymd(2025, 1, 1), 360, PH_METHOD_EQUAL_INSTALLMENT,
                                24 * PH_RATE_PERCENT, PH_DAYCOUNT_ACT_360);
    assert_int_equal(build(&t, s), 360);
    /* January's 31 days: 100,000,000 x 0.24 x 31/360 = 2,066,666.67 fen, over
     * the level payment of about 2,001,600. */
    assert_int_equal(s[0].interest, 2066667);
    assert_int_equal(s[0].principal, 0);
    ph_money prev = t.principal, sum = 0;
    for (int i = 0; i < 360; i++) {
        assert_true(s[i].principal >= 0);
        assert_true(s[i].balance_after <= prev);
        prev = s[i].balance_after;
        sum += s[i].principal;
    }
    assert_int_equal(sum, t.principal);
}

static void test_bad_terms(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    size_t n = 77;
    ph_error err;
    const ph_schedule_terms good = terms(1000000, ymd(2025, 1, 15), 12,
                                         PH_METHOD_EQUAL_INSTALLMENT, 3850000,
                                         PH_DAYCOUNT_ACT_360);
    ph_schedule_terms t = good;
    t.principal = 0;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err, "field principal");
    t = good;
    t.term_months = 361;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err,
                    "field term_months");
    t = good;
    t.first_k = 13;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err, "field first_k");
    t = good;
    t.method = (ph_schedule_method)5;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err, "field method");
    t = good;
    t.rate = -1;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err, "field rate");
    t.rate = PH_RATE_ONE + 1;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err, "field rate");
    t = good;
    t.daycount = (ph_daycount)2;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err, "field daycount");
    t = good;
    t.method = PH_METHOD_SEASONAL;
    t.harvest_months = 0;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err,
                    "field harvest_months");
    t.harvest_months = 0x1000;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err,
                    "field harvest_months");
    t = good;
    t.accrued_before = -1;
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err,
                    "field accrued_before");
    /* period_start outside [due(first_k - 1), due(first_k)]. */
    t = good;
    t.period_start = ymd(2025, 1, 14);
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err,
                    "field period_start, value '2025-01-14': instalment 1's interest must start "
                    "between 2025-01-15 (due date 0) and 2025-02-15");
    t.first_k = 3;
    t.period_start = ymd(2025, 4, 16);
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_EINVAL, &err,
                    "field period_start");
    t = good;
    t.anchor = t.period_start = ymd(9999, 6, 1);
    ph_assert_error(ph_schedule_build(&t, s, 360, &n, &err), PH_ERANGE, &err, "field anchor");
    t = good;
    ph_assert_error(ph_schedule_build(&t, s, 11, &n, &err), PH_EMISUSE, &err, "field cap");
    ph_assert_error(ph_schedule_build(NULL, s, 360, &n, &err), PH_EMISUSE, &err, "NULL");
    ph_assert_error(ph_schedule_build(&t, NULL, 360, &n, &err), PH_EMISUSE, &err, "NULL");
    ph_assert_error(ph_schedule_build(&t, s, 360, NULL, &err), PH_EMISUSE, &err, "NULL");
    assert_int_equal(n, 77); /* untouched by every failure */
    /* err may be NULL. */
    t.principal = -5;
    assert_int_equal(ph_schedule_build(&t, s, 360, &n, NULL), PH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_method_names),
        cmocka_unit_test(test_equal_principal),
        cmocka_unit_test(test_equal_installment),
        cmocka_unit_test(test_last_absorbs_residue),
        cmocka_unit_test(test_interest_only_leap_day),
        cmocka_unit_test(test_month_ends),
        cmocka_unit_test(test_days_in_year),
        cmocka_unit_test(test_seasonal),
        cmocka_unit_test(test_long_month_high_rate),
        cmocka_unit_test(test_bad_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
