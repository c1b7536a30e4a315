/*
 * Daily accrual, rebuilds and repayment allocation (include/puhui/schedule.h),
 * hand-checked: the accrual lands on the schedule's fen (never the sum of
 * daily roundings), a rate change in the middle of a period (LPR
 * repricing), a partial prepayment mid-period and ON the due date, penalty
 * interest, and repayments of zero and of more than is owed
 * (the Fineract failure classes), with every bad input.
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

static ph_money day(ph_accrual *a, ph_money balance, ph_rate rate, ph_daycount dc)
{
    ph_money delta = -1;
    ph_error err;
    ph_assert_ok(ph_accrual_day(a, balance, rate, dc, &delta, &err), &err);
    assert_true(delta >= 0);
    return delta;
}

static ph_schedule_terms terms(ph_money principal, ph_date anchor, int32_t months,
                               ph_schedule_method method, ph_rate rate)
{
    ph_schedule_terms t = {0};
    t.principal = principal;
    t.anchor = anchor;
    t.first_k = 1;
    t.term_months = months;
    t.period_start = anchor;
    t.method = method;
    t.rate = rate;
    return t;
}

static size_t build(const ph_schedule_terms *t, ph_instalment *out)
{
    size_t n = 0;
    ph_error err;
    ph_assert_ok(ph_schedule_build(t, out, PH_SCHEDULE_MAX_TERM, &n, &err), &err);
    return n;
}

/*
 * 10,000.00 yuan at 3.85% ACT/360: a day is 1,000,000 x 0.0385 / 360 =
 * 106.944 fen. Accrued to date, rounded once: 107, 214, 321, 428, 535,
 * 642, 749, 856, 963 (962.5 rounds up), 1069 (1,069.44): the deltas are 107
 * nine times, then 106. After the 30 days of April 2025, 3,208.33 -> 3,208 =
 * the schedule's interest; rounding each day would have billed 30 x 107 =
 * 3,210.
 */
static void test_accrual_lands_on_schedule(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t =
        terms(1000000, ymd(2025, 4, 1), 2, PH_METHOD_INTEREST_ONLY, 3850000);
    build(&t, s);
    assert_int_equal(s[0].interest, 3208);
    ph_accrual a = {0};
    static const ph_money first[10] = {107, 107, 107, 107, 107, 107, 107, 107, 107, 106};
    for (int i = 0; i < 10; i++)
        assert_int_equal(day(&a, 1000000, 3850000, PH_DAYCOUNT_ACT_360), first[i]);
    assert_int_equal(a.posted, 1069);
    for (int i = 10; i < 30; i++)
        day(&a, 1000000, 3850000, PH_DAYCOUNT_ACT_360);
    ph_money accrued;
    ph_error err;
    ph_assert_ok(ph_accrual_accrued(&a, 3850000, PH_DAYCOUNT_ACT_360, &accrued, &err), &err);
    assert_int_equal(accrued, 3208);
    assert_int_equal(ph_accrual_period_end(&a), 3208);
    assert_int_equal(ph_accrual_period_end(&a), 0); /* reset */
    assert_int_equal(a.closed + a.balance_days + a.posted, 0);
}

/*
 * LPR repricing in the middle of a period. 10,000.00 yuan interest-only from
 * 2025-01-01 at 3.85% ACT/360; on 2025-01-21 (20 days in) the rate becomes
 * 3.45%. The old segment closes: 1,000,000 x 0.0385 x 20/360 = 2,138.89 ->
 * 2139. The rebuild (first_k 1 from the 21st, accrued_before 2139) bills
 * 2139 + 1,000,000 x 0.0345 x 11/360 (1,054.17 -> 1054) = 3193 on 1 Feb, and
 * 1,000,000 x 0.0345 x 28/360 = 2,683.33 -> 2683 on 1 Mar. The daily
 * accrual reaches exactly 3193.
 */
static void test_rate_change_mid_period(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t =
        terms(1000000, ymd(2025, 1, 1), 3, PH_METHOD_INTEREST_ONLY, 3850000);
    build(&t, s);
    ph_accrual a = {0};
    for (int i = 0; i < 20; i++)
        day(&a, 1000000, 3850000, PH_DAYCOUNT_ACT_360);
    ph_error err;
    ph_assert_ok(ph_accrual_close_segment(&a, 3850000, PH_DAYCOUNT_ACT_360, &err), &err);
    assert_int_equal(a.closed, 2139);
    assert_int_equal(a.posted, 2139); /* closing posts nothing new */
    t.rate = 3450000;
    t.period_start = ymd(2025, 1, 21);
    t.accrued_before = a.closed;
    assert_int_equal(build(&t, s), 3);
    assert_int_equal(s[0].period_start, ymd(2025, 1, 21));
    assert_int_equal(s[0].interest, 3193);
    assert_int_equal(s[1].interest, 2683);
    for (int i = 20; i < 31; i++)
        day(&a, 1000000, 3450000, PH_DAYCOUNT_ACT_360);
    assert_int_equal(ph_accrual_period_end(&a), 3193);
    /* Closing an empty segment changes nothing. */
    ph_assert_ok(ph_accrual_close_segment(&a, 3450000, PH_DAYCOUNT_ACT_360, &err), &err);
    assert_int_equal(a.closed, 0);
}

/*
 * Prepayment ON the due date. 12,000.00 yuan equal principal over 3 months
 * at 6% ACT/360 from 2025-01-15. On 15 Feb instalment 1 is billed (4,000.00
 * and 62.00 of interest: 1,200,000 x 0.06 x 31/360 = 6,200), then 4,000.00
 * more is prepaid: balance 4,000.00, rebuilt from k 2 with period_start
 * 15 Feb and nothing accrued before: 2,000.00 a month,
 *   400,000 x 0.06 x 28/360 = 1,866.67 -> 1867 on 15 Mar,
 *   200,000 x 0.06 x 31/360 = 1,033.33 -> 1033 on 15 Apr.
 * Same term, smaller instalments.
 */
static void test_prepayment_on_due_date(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(1200000, ymd(2025, 1, 15), 3, PH_METHOD_EQUAL_PRINCIPAL,
                                6 * PH_RATE_PERCENT);
    build(&t, s);
    ph_accrual a = {0};
    for (int i = 0; i < 31; i++)
        day(&a, 1200000, t.rate, PH_DAYCOUNT_ACT_360);
    assert_int_equal(ph_accrual_period_end(&a), s[0].interest);
    assert_int_equal(s[0].interest, 6200);
    ph_money balance = 1200000 - s[0].principal - 400000;
    ph_error err;
    ph_assert_ok(ph_accrual_close_segment(&a, t.rate, PH_DAYCOUNT_ACT_360, &err), &err);
    t.principal = balance;
    t.first_k = 2;
    t.period_start = ymd(2025, 2, 15);
    t.accrued_before = a.closed; /* 0: the period just began */
    assert_int_equal(build(&t, s), 2);
    assert_int_equal(s[0].k, 2);
    assert_int_equal(s[0].principal, 200000);
    assert_int_equal(s[0].interest, 1867);
    assert_int_equal(s[1].principal, 200000);
    assert_int_equal(s[1].interest, 1033);
    for (int i = 0; i < 28; i++)
        day(&a, balance, t.rate, PH_DAYCOUNT_ACT_360);
    assert_int_equal(ph_accrual_period_end(&a), 1867);
}

/*
 * A partial prepayment in the middle of a period. 120,000.00 yuan equal
 * instalments over 12 months at 6% ACT/360 from 2025-01-15; on 2025-02-05
 * (21 days in) the balance falls to 60,000.00. The first segment closes at
 * 12,000,000 x 0.06 x 21/360 = 42,000 fen exactly; the rebuild on 6,000,000
 * from the 5th (10 days to 15 Feb: 6,000,000 x 0.06 x 10/360 = 10,000) bills
 * 42,000 + 10,000 = 52,000 on 15 Feb, and the accrual reaches the same. Same
 * 12 instalments, the level payment on half the balance within a fen or two
 * of half the old one (10,327.97).
 */
static void test_partial_prepayment_mid_period(void **state)
{
    (void)state;
    ph_instalment s[PH_SCHEDULE_MAX_TERM];
    ph_schedule_terms t = terms(12000000, ymd(2025, 1, 15), 12, PH_METHOD_EQUAL_INSTALLMENT,
                                6 * PH_RATE_PERCENT);
    build(&t, s);
    const ph_money old_level = s[0].principal + s[0].interest;
    ph_accrual a = {0};
    for (int i = 0; i < 21; i++)
        day(&a, 12000000, t.rate, PH_DAYCOUNT_ACT_360);
    ph_error err;
    ph_assert_ok(ph_accrual_close_segment(&a, t.rate, PH_DAYCOUNT_ACT_360, &err), &err);
    assert_int_equal(a.closed, 42000);
    t.principal = 6000000;
    t.period_start = ymd(2025, 2, 5);
    t.accrued_before = a.closed;
    assert_int_equal(build(&t, s), 12);
    assert_int_equal(s[0].interest, 52000);
    /* principal = level - the instalment's own interest (10,000). */
    ph_money level = s[0].principal + 10000;
    assert_true(level * 2 >= old_level - 2 && level * 2 <= old_level + 2);
    assert_int_equal(s[1].principal + s[1].interest, level);
    for (int i = 0; i < 10; i++)
        day(&a, 6000000, t.rate, PH_DAYCOUNT_ACT_360);
    assert_int_equal(ph_accrual_period_end(&a), 52000);
}

/*
 * Penalty interest: a second ph_accrual fed the overdue amount. 500.00 yuan
 * overdue for 3 days then 1,000.00 for 2 days at 18% ACT/360 (0.05% a day):
 * 50,000 x 3 + 100,000 x 2 = 350,000 fen-days x 0.18 / 360 = 175.00.
 * Deltas: 25, 25, 25, 50, 50.
 */
static void test_penalty(void **state)
{
    (void)state;
    ph_accrual p = {0};
    ph_money got[5];
    ph_error err;
    for (int i = 0; i < 5; i++)
        ph_assert_ok(ph_penalty_day(&p, i < 3 ? 50000 : 100000, 18 * PH_RATE_PERCENT,
                                    PH_DAYCOUNT_ACT_360, &got[i], &err),
                     &err);
    assert_int_equal(got[0], 25);
    assert_int_equal(got[3], 50);
    assert_int_equal(ph_accrual_period_end(&p), 175);
    ph_money d = 9;
    ph_assert_error(ph_penalty_day(&p, -1, 18 * PH_RATE_PERCENT, PH_DAYCOUNT_ACT_360, &d, &err),
                    PH_EINVAL, &err, "field overdue");
    ph_assert_error(ph_penalty_day(&p, 1, -1, PH_DAYCOUNT_ACT_360, &d, &err), PH_EINVAL, &err,
                    "field penalty_rate");
    assert_int_equal(d, 9);
}

static void test_accrual_errors(void **state)
{
    (void)state;
    ph_accrual a = {5, 100, 5};
    const ph_accrual before = a;
    ph_money d = 42;
    ph_error err;
    ph_assert_error(ph_accrual_day(&a, -1, 3850000, PH_DAYCOUNT_ACT_360, &d, &err), PH_EINVAL,
                    &err, "field balance");
    ph_assert_error(ph_accrual_day(&a, 1, PH_RATE_ONE + 1, PH_DAYCOUNT_ACT_360, &d, &err),
                    PH_EINVAL, &err, "field rate");
    ph_assert_error(ph_accrual_day(&a, 1, 3850000, (ph_daycount)7, &d, &err), PH_EINVAL, &err,
                    "field daycount");
    ph_assert_error(ph_accrual_day(NULL, 1, 3850000, PH_DAYCOUNT_ACT_360, &d, &err), PH_EMISUSE,
                    &err, "NULL");
    ph_assert_error(ph_accrual_day(&a, 1, 3850000, PH_DAYCOUNT_ACT_360, NULL, &err), PH_EMISUSE,
                    &err, "NULL");
    a.balance_days = INT64_MAX - 10;
    ph_assert_error(ph_accrual_day(&a, 11, 0, PH_DAYCOUNT_ACT_360, &d, &err), PH_ERANGE, &err,
                    "field balance_days");
    a = before;
    ph_assert_error(ph_accrual_close_segment(&a, -5, PH_DAYCOUNT_ACT_360, &err), PH_EINVAL, &err,
                    "field rate");
    ph_assert_error(ph_accrual_close_segment(NULL, 5, PH_DAYCOUNT_ACT_360, &err), PH_EMISUSE,
                    &err, "NULL");
    ph_assert_error(ph_accrual_accrued(&a, 5, PH_DAYCOUNT_ACT_360, NULL, &err), PH_EMISUSE, &err,
                    "NULL");
    assert_memory_equal(&a, &before, sizeof a);
    assert_int_equal(d, 42);
    assert_int_equal(ph_accrual_period_end(NULL), 0);
    /* A huge balance takes the 128-bit path and still rounds once:
     * 10^15 fen x 100% x 1/360 = 2,777,777,777,777.78 -> ...778. */
    ph_accrual big = {0};
    ph_assert_ok(ph_accrual_day(&big, INT64_C(1000000000000000), PH_RATE_ONE,
                                PH_DAYCOUNT_ACT_360, &d, &err),
                 &err);
    assert_int_equal(d, INT64_C(2777777777778));
}

/* ---- allocation ---------------------------------------------------------------------- */

static void test_allocation_order_parse(void **state)
{
    (void)state;
    ph_allocation_order o;
    ph_error err;
    const char *text = " interest , penalty,principal,fee";
    ph_assert_ok(ph_allocation_order_parse(text, strlen(text), &o, &err), &err);
    assert_int_equal(o.order[0], PH_BUCKET_INTEREST);
    assert_int_equal(o.order[1], PH_BUCKET_PENALTY);
    assert_int_equal(o.order[2], PH_BUCKET_PRINCIPAL);
    assert_int_equal(o.order[3], PH_BUCKET_FEE);
    char buf[40];
    ph_assert_ok(ph_allocation_order_format(&o, buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "interest,penalty,principal,fee");
    ph_allocation_order d = ph_allocation_order_default();
    ph_assert_ok(ph_allocation_order_format(&d, buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "penalty,fee,interest,principal");

    const ph_allocation_order keep = o;
#define BAD(s, needle)                                                                  \
    ph_assert_error(ph_allocation_order_parse((s), strlen(s), &o, &err), PH_EINVAL, &err, \
                    (needle))
    BAD("penalty,fee,intrest,principal",
        "field allocation_order, value 'intrest': unknown bucket; expected penalty, fee, "
        "interest and principal, each once");
    BAD("penalty,fee,interest,interest", "value 'interest': bucket named twice");
    BAD("penalty,interest", "missing fee, principal");
    BAD("penalty,,interest,fee,principal", "empty bucket name at character 9");
    BAD("", "empty bucket name");
    BAD("penalty,fee,interest,principal,", "empty bucket name");
#undef BAD
    ph_assert_error(ph_allocation_order_parse(NULL, 0, &o, &err), PH_EMISUSE, &err, "NULL");
    assert_memory_equal(&o, &keep, sizeof o);
    ph_allocation_order bad = {{PH_BUCKET_FEE, PH_BUCKET_FEE, PH_BUCKET_INTEREST,
                                PH_BUCKET_PRINCIPAL}};
    ph_assert_error(ph_allocation_order_format(&bad, buf, sizeof buf, &err), PH_EINVAL, &err,
                    "every bucket exactly once");
    ph_assert_error(ph_allocation_order_format(&o, buf, 39, &err), PH_EMISUSE, &err, "40");
    assert_string_equal(ph_bucket_name(PH_BUCKET_PRINCIPAL), "principal");
    assert_null(ph_bucket_name(PH_BUCKET_COUNT));
}

/*
 * Owed: penalty 50, fee 0, interest 300, principal 1,000 (fen); order
 * interest, penalty, principal, fee. 330 pays interest 300 and penalty 30;
 * 2,000 pays everything (1,350) and leaves 650 over; 1,350 exactly, nothing
 * over. Zero and negative repayments are refused, nothing written.
 */
static void test_allocate_payment(void **state)
{
    (void)state;
    ph_allocation_order o;
    ph_error err;
    const char *text = "interest,penalty,principal,fee";
    ph_assert_ok(ph_allocation_order_parse(text, strlen(text), &o, &err), &err);
    const ph_money owed[PH_BUCKET_COUNT] = {50, 0, 300, 1000};
    ph_money paid[PH_BUCKET_COUNT], excess;

    ph_assert_ok(ph_allocate_payment(&o, 330, owed, paid, &excess, &err), &err);
    assert_int_equal(paid[PH_BUCKET_INTEREST], 300);
    assert_int_equal(paid[PH_BUCKET_PENALTY], 30);
    assert_int_equal(paid[PH_BUCKET_PRINCIPAL], 0);
    assert_int_equal(paid[PH_BUCKET_FEE], 0);
    assert_int_equal(excess, 0);

    ph_assert_ok(ph_allocate_payment(&o, 2000, owed, paid, &excess, &err), &err);
    for (int b = 0; b < PH_BUCKET_COUNT; b++)
        assert_int_equal(paid[b], owed[b]);
    assert_int_equal(excess, 650);

    ph_assert_ok(ph_allocate_payment(&o, 1350, owed, paid, &excess, &err), &err);
    assert_int_equal(paid[PH_BUCKET_PRINCIPAL], 1000);
    assert_int_equal(excess, 0);

    /* The default order pays the penalty first. */
    ph_allocation_order d = ph_allocation_order_default();
    ph_assert_ok(ph_allocate_payment(&d, 100, owed, paid, &excess, &err), &err);
    assert_int_equal(paid[PH_BUCKET_PENALTY], 50);
    assert_int_equal(paid[PH_BUCKET_INTEREST], 50);

    /* Nothing owed at all: the whole amount is excess. */
    const ph_money none[PH_BUCKET_COUNT] = {0, 0, 0, 0};
    ph_assert_ok(ph_allocate_payment(&d, 7, none, paid, &excess, &err), &err);
    assert_int_equal(excess, 7);

    ph_money keep[PH_BUCKET_COUNT] = {-9, -9, -9, -9}, kx = -9;
    ph_assert_error(ph_allocate_payment(&o, 0, owed, keep, &kx, &err), PH_EINVAL, &err,
                    "field amount: expected a repayment > 0 fen, got 0");
    ph_assert_error(ph_allocate_payment(&o, -100, owed, keep, &kx, &err), PH_EINVAL, &err,
                    "field amount");
    const ph_money negative[PH_BUCKET_COUNT] = {0, 0, -1, 0};
    ph_assert_error(ph_allocate_payment(&o, 10, negative, keep, &kx, &err), PH_EINVAL, &err,
                    "field owed.interest");
    const ph_money huge[PH_BUCKET_COUNT] = {INT64_MAX, 1, 0, 0};
    ph_assert_error(ph_allocate_payment(&o, 10, huge, keep, &kx, &err), PH_ERANGE, &err,
                    "field owed");
    ph_allocation_order bad = {{PH_BUCKET_FEE, PH_BUCKET_FEE, PH_BUCKET_FEE, PH_BUCKET_FEE}};
    ph_assert_error(ph_allocate_payment(&bad, 10, owed, keep, &kx, &err), PH_EINVAL, &err,
                    "field allocation_order");
    ph_assert_error(ph_allocate_payment(&o, 10, owed, NULL, &kx, &err), PH_EMISUSE, &err,
                    "NULL");
    for (int b = 0; b < PH_BUCKET_COUNT; b++)
        assert_int_equal(keep[b], -9);
    assert_int_equal(kx, -9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accrual_lands_on_schedule),
        cmocka_unit_test(test_rate_change_mid_period),
        cmocka_unit_test(test_prepayment_on_due_date),
        cmocka_unit_test(test_partial_prepayment_mid_period),
        cmocka_unit_test(test_penalty),
        cmocka_unit_test(test_accrual_errors),
        cmocka_unit_test(test_allocation_order_parse),
        cmocka_unit_test(test_allocate_payment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
