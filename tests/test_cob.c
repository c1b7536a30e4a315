/*
 * The in-memory COB engine, hand-checked: billing on due dates at month
 * ends (29 February, 31 March), the period's interest equal to the
 * schedule's, DPD from the oldest unpaid due date, every category boundary
 * (90/91, 270/271, 360/361), the default trigger firing once, grace days
 * and penalty rounding, accrual segments closed on a balance change, the
 * restructuring floor and the observation period, provisions, skipped
 * loans, and the errors that leave a loan untouched.
 *
 * Figures: 3.60% ACT/360 on 10,000.00 yuan is exactly 1.00 yuan a day
 * (1,000,000 fen * 0.036 / 360 = 100 fen), so interest is counted in days.
 */
#include "support/ph_test.h"

#include "puhui/cob.h"

#include <stdlib.h>
#include <string.h>

#define RATE_3_6 3600000     /* 3.60% */
#define PENALTY_5_4 5400000  /* 5.40% = 3.60% + 50% */

static ph_date ymd(int y, int m, int d)
{
    ph_date out;
    ph_error err;
    ph_assert_ok(ph_date_from_ymd(y, m, d, &out, &err), &err);
    return out;
}

typedef struct fixture {
    ph_ctx *ctx;
    ph_cob_rules *rules;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &f->ctx, &err), &err);
    ph_assert_ok(ph_cob_rules_default(f->ctx, &f->rules, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_cob_rules_free(f->rules);
    ph_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* 10,000.00 yuan drawn on 2024-01-31, repaid in three monthly instalments
 * on the month ends of a leap year. */
static const ph_instalment MONTH_END_SCHEDULE[3] = {
    {1, 19782 /* 2024-02-29 */, 19753, 300000, 2900, 700000},
    {2, 19813 /* 2024-03-31 */, 19782, 300000, 2170, 400000},
    {3, 19843 /* 2024-04-30 */, 19813, 400000, 1200, 0},
};

static ph_loan_state month_end_loan(void)
{
    ph_loan_state s;
    memset(&s, 0, sizeof(s));
    s.loan_id = 7;
    s.rate = RATE_3_6;
    s.penalty_rate = PENALTY_5_4;
    s.principal = 1000000;
    s.schedule = MONTH_END_SCHEDULE;
    s.n_instalments = 3;
    return s;
}

static void run_day(const ph_cob_rules *r, ph_loan_state *s, ph_date d, ph_cob_delta *dl)
{
    ph_error err;
    ph_assert_ok(ph_cob_day(r, s, d, dl, &err), &err);
}

/* Run days from..to (inclusive); return the interest accrued over them. */
static ph_money run_days(const ph_cob_rules *r, ph_loan_state *s, ph_date from, ph_date to)
{
    ph_money sum = 0;
    for (ph_date d = from; d <= to; d++) {
        ph_cob_delta dl;
        run_day(r, s, d, &dl);
        sum += dl.interest_accrued;
    }
    return sum;
}

static void test_schedule_dates(void **state)
{
    (void)state;
    assert_int_equal(MONTH_END_SCHEDULE[0].due_on, ymd(2024, 2, 29));
    assert_int_equal(MONTH_END_SCHEDULE[1].due_on, ymd(2024, 3, 31));
    assert_int_equal(MONTH_END_SCHEDULE[2].due_on, ymd(2024, 4, 30));
    assert_int_equal(MONTH_END_SCHEDULE[0].period_start, ymd(2024, 1, 31));
}

/* Paid as agreed: each due date bills the instalment's principal and
 * exactly the schedule's interest, the day is 0 DPD, and the loan closes
 * out at maturity with nothing left. */
static void test_billing_on_month_ends(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    /* 31 Jan .. 28 Feb: 29 days at 1.00 yuan. */
    assert_int_equal(run_days(f->rules, &s, ymd(2024, 1, 31), ymd(2024, 2, 28)), 2900);
    assert_int_equal(s.interest_receivable, 2900);
    assert_int_equal(s.next_k, 0);

    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 2, 29), &dl);
    assert_int_equal(dl.instalments_billed, 1);
    assert_int_equal(dl.principal_billed, 300000);
    assert_int_equal(dl.interest_billed, MONTH_END_SCHEDULE[0].interest);
    assert_int_equal(dl.interest_accrued, 70); /* 29 Feb, first day of period 2, on 7,000.00 */
    assert_int_equal(s.principal, 700000);
    assert_int_equal(s.principal_due, 300000);
    assert_int_equal(s.interest_due, 2900);
    assert_int_equal(s.interest_receivable, 70);
    assert_int_equal(s.oldest_unpaid_due, ymd(2024, 2, 29));
    assert_int_equal(s.dpd, 0); /* the due date itself is not overdue */
    assert_int_equal(dl.to, PH_CATEGORY_NORMAL);
    assert_int_equal(s.next_k, 1);

    /* The firm pays on the due date (the servicing code's job). */
    s.principal_due = 0;
    s.interest_due = 0;
    /* 1 Mar .. 30 Mar: 30 more days at 0.70 yuan: 31 days in all = 21.70. */
    assert_int_equal(run_days(f->rules, &s, ymd(2024, 3, 1), ymd(2024, 3, 30)), 2100);
    assert_int_equal(s.oldest_unpaid_due, 0);
    assert_int_equal(s.dpd, 0);
    run_day(f->rules, &s, ymd(2024, 3, 31), &dl);
    assert_int_equal(dl.interest_billed, MONTH_END_SCHEDULE[1].interest);
    assert_int_equal(dl.principal_billed, 300000);
    s.principal_due = 0;
    s.interest_due = 0;
    run_days(f->rules, &s, ymd(2024, 4, 1), ymd(2024, 4, 29));
    run_day(f->rules, &s, ymd(2024, 4, 30), &dl);
    assert_int_equal(dl.principal_billed, 400000);
    assert_int_equal(dl.interest_billed, MONTH_END_SCHEDULE[2].interest);
    assert_int_equal(dl.interest_accrued, 0);
    assert_int_equal(s.principal, 0);
    assert_int_equal(s.next_k, 3);
}

/* Unpaid: 1 DPD the day after the due date, special mention, penalty on
 * principal + interest due from day 1 (no grace), rounded once per segment:
 * 3,029.00 yuan at 5.40% / 360 is 45.435 fen a day, so day 1 posts 45
 * and day 2 posts 46 (round(90.87) - 45). */
static void test_dpd_and_penalty(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    run_days(f->rules, &s, ymd(2024, 1, 31), ymd(2024, 2, 29));
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 3, 1), &dl);
    assert_int_equal(s.dpd, 1);
    assert_int_equal(dl.from, PH_CATEGORY_NORMAL);
    assert_int_equal(dl.to, PH_CATEGORY_SPECIAL_MENTION);
    assert_int_equal(dl.penalty_accrued, 45);
    run_day(f->rules, &s, ymd(2024, 3, 2), &dl);
    assert_int_equal(s.dpd, 2);
    assert_int_equal(dl.penalty_accrued, 46);
    assert_int_equal(s.penalty, 91);

    /* A partial payment of the interest changes the overdue amount: the
     * penalty segment closes and a new one starts at 3,000.00 (45 fen/day). */
    s.interest_due = 0;
    run_day(f->rules, &s, ymd(2024, 3, 3), &dl);
    assert_int_equal(dl.penalty_accrued, 45);
    assert_int_equal(s.dpd, 3); /* still counted from 29 Feb: principal unpaid */
}

/* The second instalment falls due while the first is still unpaid: DPD
 * keeps counting from the OLDEST unpaid due date. */
static void test_dpd_from_oldest(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    run_days(f->rules, &s, ymd(2024, 1, 31), ymd(2024, 3, 31));
    assert_int_equal(s.principal_due, 600000);
    assert_int_equal(s.oldest_unpaid_due, ymd(2024, 2, 29));
    assert_int_equal(s.dpd, 31);
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 4, 1), &dl);
    assert_int_equal(s.dpd, 32);
}

/* No penalty while at most grace_days overdue; from the day after, one
 * day's penalty a day (the grace days are not charged afterwards). */
static void test_grace_days(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    s.grace_days = 3;
    run_days(f->rules, &s, ymd(2024, 1, 31), ymd(2024, 2, 29));
    ph_cob_delta dl;
    for (int day = 1; day <= 3; day++) {
        run_day(f->rules, &s, ymd(2024, 2, 29) + day, &dl);
        assert_int_equal(s.dpd, day);
        assert_int_equal(dl.penalty_accrued, 0);
    }
    run_day(f->rules, &s, ymd(2024, 3, 4), &dl);
    assert_int_equal(s.dpd, 4);
    assert_int_equal(dl.penalty_accrued, 45);
    assert_int_equal(s.penalty, 45);
}

/* A loan overdue since `due` and run on due + dpd alone. */
static ph_loan_state overdue_loan(ph_date due)
{
    ph_loan_state s;
    memset(&s, 0, sizeof(s));
    s.loan_id = 9;
    s.rate = RATE_3_6;
    s.principal = 700000;
    s.principal_due = 300000;
    s.oldest_unpaid_due = due;
    return s;
}

static ph_loan_category category_at(const ph_cob_rules *r, int dpd)
{
    ph_date due = ymd(2025, 1, 15);
    ph_loan_state s = overdue_loan(due);
    ph_cob_delta dl;
    run_day(r, &s, due + dpd, &dl);
    assert_int_equal(s.dpd, dpd);
    return s.category;
}

static void test_category_boundaries(void **state)
{
    fixture *f = *state;
    assert_int_equal(category_at(f->rules, 0), PH_CATEGORY_NORMAL);
    assert_int_equal(category_at(f->rules, 1), PH_CATEGORY_SPECIAL_MENTION);
    assert_int_equal(category_at(f->rules, 90), PH_CATEGORY_SPECIAL_MENTION);
    assert_int_equal(category_at(f->rules, 91), PH_CATEGORY_SUBSTANDARD);
    assert_int_equal(category_at(f->rules, 270), PH_CATEGORY_SUBSTANDARD);
    assert_int_equal(category_at(f->rules, 271), PH_CATEGORY_DOUBTFUL);
    assert_int_equal(category_at(f->rules, 360), PH_CATEGORY_DOUBTFUL);
    assert_int_equal(category_at(f->rules, 361), PH_CATEGORY_LOSS);
    assert_int_equal(category_at(f->rules, 5000), PH_CATEGORY_LOSS);
}

/* dpd >= 90 fires the default once; npl_since marks the first NPL day. */
static void test_default_once_and_npl_since(void **state)
{
    fixture *f = *state;
    ph_date due = ymd(2025, 1, 15);
    ph_loan_state s = overdue_loan(due);
    ph_cob_delta dl;
    run_day(f->rules, &s, due + 89, &dl);
    assert_int_equal(dl.defaulted_today, 0);
    assert_false(s.flags & PH_LOAN_DEFAULTED);
    run_day(f->rules, &s, due + 90, &dl);
    assert_int_equal(dl.defaulted_today, 1);
    assert_true(s.flags & PH_LOAN_DEFAULTED);
    assert_int_equal(s.npl_since, 0);
    run_day(f->rules, &s, due + 91, &dl);
    assert_int_equal(dl.defaulted_today, 0);
    assert_int_equal(dl.to, PH_CATEGORY_SUBSTANDARD);
    assert_int_equal(s.npl_since, due + 91);
    run_day(f->rules, &s, due + 92, &dl);
    assert_int_equal(s.npl_since, due + 91);
    /* Arrears paid, not restructured: back to normal, the spell ends. */
    s.principal_due = 0;
    run_day(f->rules, &s, due + 93, &dl);
    assert_int_equal(dl.from, PH_CATEGORY_SUBSTANDARD);
    assert_int_equal(dl.to, PH_CATEGORY_NORMAL);
    assert_int_equal(s.npl_since, 0);
    assert_int_equal(s.oldest_unpaid_due, 0);
    assert_true(s.flags & PH_LOAN_DEFAULTED); /* a default stays a default */
}

/* Provisions: 1% of 10,029.00 yuan exposure when normal, 2% once special
 * mention; the change is posted, and the held amount is the target. */
static void test_provisions(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 1, 31), &dl);
    assert_int_equal(dl.provision_change, 10000); /* 1% of 10,000.00 */
    run_days(f->rules, &s, ymd(2024, 2, 1), ymd(2024, 2, 29));
    assert_int_equal(ph_loan_exposure(&s), 1002900);
    assert_int_equal(s.provision, 10029);
    run_day(f->rules, &s, ymd(2024, 3, 1), &dl);
    assert_int_equal(s.provision, 20058);
    assert_int_equal(dl.provision_change, 10029);

    /* Half up: 0.5 fen rounds to 1, 0.49 to 0. */
    ph_money p;
    ph_error err;
    ph_assert_ok(ph_cob_provision(f->rules, PH_CATEGORY_NORMAL, 50, &p, &err), &err);
    assert_int_equal(p, 1);
    ph_assert_ok(ph_cob_provision(f->rules, PH_CATEGORY_NORMAL, 49, &p, &err), &err);
    assert_int_equal(p, 0);
    ph_assert_ok(ph_cob_provision(f->rules, PH_CATEGORY_LOSS, 123457, &p, &err), &err);
    assert_int_equal(p, 123457);
    ph_assert_ok(ph_cob_provision(f->rules, PH_CATEGORY_SUBSTANDARD, 10, &p, &err), &err);
    assert_int_equal(p, 3); /* 2.5 -> 3 */
    ph_assert_error(ph_cob_provision(f->rules, PH_CATEGORY_NORMAL, -1, &p, &err), PH_EINVAL, &err,
                    "exposure");
}

/* A restructured loan with no arrears is at least special mention during
 * the observation period (one year AND two repayment periods), and may be
 * normal after it. */
static const ph_instalment YEARLY[4] = {
    {1, 20089 /* 2025-01-01 */, 19723, 0, 0, 1000000},
    {2, 20454 /* 2026-01-01 */, 20089, 0, 0, 1000000},
    {3, 20819 /* 2027-01-01 */, 20454, 0, 0, 1000000},
    {4, 21184 /* 2028-01-01 */, 20819, 1000000, 0, 0},
};

static void test_restructuring_floor(void **state)
{
    fixture *f = *state;
    assert_int_equal(YEARLY[1].due_on, ymd(2026, 1, 1));
    ph_loan_state s;
    memset(&s, 0, sizeof(s));
    s.loan_id = 11;
    s.rate = RATE_3_6;
    s.principal = 1000000;
    s.schedule = YEARLY;
    s.n_instalments = 4;
    s.restructured_on = ymd(2024, 12, 1);
    s.next_k = 1; /* 2025-01-01 billed (and paid): one period after the restructuring */
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 12, 20), &dl);
    assert_int_equal(dl.to, PH_CATEGORY_SPECIAL_MENTION);
    assert_int_equal(s.provision, 20000); /* 2% */

    /* A year has passed but only one period: still in observation. */
    ph_loan_state t = s;
    t.last_cob = 0;
    run_day(f->rules, &t, ymd(2025, 12, 15), &dl);
    assert_int_equal(dl.to, PH_CATEGORY_SPECIAL_MENTION);

    /* The second period billed (2026-01-01) and paid: observation over. */
    t.last_cob = 0;
    t.next_k = 2;
    run_day(f->rules, &t, ymd(2026, 1, 5), &dl);
    assert_int_equal(dl.to, PH_CATEGORY_NORMAL);

    /* More than a year, two instalments billed, but only one of them due
     * after the restructuring: still in observation. */
    t = s;
    t.last_cob = 0;
    t.restructured_on = ymd(2025, 6, 1);
    t.next_k = 2; /* 2025-01-01 (before) and 2026-01-01 (after) billed and paid */
    run_day(f->rules, &t, ymd(2026, 7, 1), &dl);
    assert_int_equal(dl.to, PH_CATEGORY_SPECIAL_MENTION);

    /* Two periods but not a year: still in observation. */
    t = month_end_loan();
    t.restructured_on = ymd(2024, 1, 31);
    t.principal = 400000;
    t.next_k = 2; /* 29 Feb and 31 Mar billed and paid */
    run_day(f->rules, &t, ymd(2024, 4, 1), &dl);
    assert_int_equal(dl.to, PH_CATEGORY_SPECIAL_MENTION);
}

/* A restructured NPL is not upgraded during observation even with no
 * arrears; after it, its DPD decides. */
static void test_no_upgrade_during_observation(void **state)
{
    fixture *f = *state;
    ph_loan_state s;
    memset(&s, 0, sizeof(s));
    s.loan_id = 12;
    s.rate = RATE_3_6;
    s.principal = 1000000;
    s.schedule = YEARLY;
    s.n_instalments = 4;
    s.category = PH_CATEGORY_DOUBTFUL;
    s.npl_since = ymd(2024, 6, 1);
    s.restructured_on = ymd(2024, 12, 1);
    s.next_k = 1;
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 12, 2), &dl);
    assert_int_equal(dl.from, PH_CATEGORY_DOUBTFUL);
    assert_int_equal(dl.to, PH_CATEGORY_DOUBTFUL);
    assert_int_equal(s.npl_since, ymd(2024, 6, 1));
    assert_int_equal(s.provision, 500000); /* 50% */

    /* It may get worse during observation. */
    ph_loan_state t = s;
    t.last_cob = 0;
    t.principal_due = 100;
    t.oldest_unpaid_due = ymd(2024, 1, 1);
    run_day(f->rules, &t, ymd(2025, 1, 2), &dl);
    assert_int_equal(dl.to, PH_CATEGORY_LOSS);

    /* After a year and two periods: normal again. */
    s.last_cob = 0;
    s.next_k = 2;
    run_day(f->rules, &s, ymd(2026, 1, 2), &dl);
    assert_int_equal(dl.to, PH_CATEGORY_NORMAL);
    assert_int_equal(s.npl_since, 0);
    assert_int_equal(s.provision, 10000);
    assert_int_equal(dl.provision_change, 10000 - 500000);
}

/* A revolving line: a draw mid-period closes the accrual segment, so each
 * balance is rounded once: 10,040.00 yuan for a day is 100.4 fen (100),
 * 20,040.00 for a day 200.4 (200): 300 fen, not round(300.8) = 301. The
 * maturity bills the whole balance although the schedule says 0. */
static const ph_instalment REVOLVING[2] = {
    {1, 20120 /* 2025-02-01 */, 20089, 0, 0, 0},
    {2, 20148 /* 2025-03-01 */, 20120, 0, 0, 0},
};

static void test_revolving_segments(void **state)
{
    fixture *f = *state;
    ph_loan_state s;
    memset(&s, 0, sizeof(s));
    s.loan_id = 13;
    s.rate = RATE_3_6;
    s.principal = 1004000;
    s.schedule = REVOLVING;
    s.n_instalments = 2;
    s.flags = PH_LOAN_FROZEN; /* frozen: no draws, COB as usual */
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2025, 1, 1), &dl);
    assert_int_equal(dl.interest_accrued, 100);
    s.principal = 2004000; /* a draw (the servicing code's job) */
    run_day(f->rules, &s, ymd(2025, 1, 2), &dl);
    assert_int_equal(dl.interest_accrued, 200);
    assert_int_equal(s.interest_receivable, 300);
    run_days(f->rules, &s, ymd(2025, 1, 3), ymd(2025, 1, 31));
    run_day(f->rules, &s, ymd(2025, 2, 1), &dl);
    assert_int_equal(dl.principal_billed, 0);
    /* 29 days at 20,040.00 = 29 * 200.4 = 5811.6 -> 5812, plus 300. */
    assert_int_equal(dl.interest_billed, 300 + 5812);
    s.interest_due = 0;
    run_days(f->rules, &s, ymd(2025, 2, 2), ymd(2025, 2, 28));
    run_day(f->rules, &s, ymd(2025, 3, 1), &dl);
    assert_int_equal(dl.principal_billed, 2004000);
    assert_int_equal(s.principal, 0);
    assert_int_equal(dl.interest_billed, 5611); /* 28 days * 200.4 = 5611.2 */
}

/* ph_cob_bill on the due date before a repayment, then the COB of the
 * same day bills nothing more. */
static void test_bill_before_repayment(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    run_days(f->rules, &s, ymd(2024, 1, 31), ymd(2024, 2, 28));
    ph_cob_delta bill_dl;
    memset(&bill_dl, 0, sizeof(bill_dl));
    ph_error err;
    ph_assert_ok(ph_cob_bill(&s, ymd(2024, 2, 29), &bill_dl, &err), &err);
    ph_assert_ok(ph_cob_bill(&s, ymd(2024, 2, 29), &bill_dl, &err), &err); /* idempotent */
    assert_int_equal(bill_dl.instalments_billed, 1);
    assert_int_equal(bill_dl.principal_billed, 300000);
    assert_int_equal(bill_dl.interest_billed, 2900);
    s.principal_due = 0; /* paid on the due date */
    s.interest_due = 0;
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 2, 29), &dl);
    assert_int_equal(dl.instalments_billed, 0);
    assert_int_equal(dl.interest_accrued, 70);
    assert_int_equal(s.oldest_unpaid_due, 0);
    run_day(f->rules, &s, ymd(2024, 3, 1), &dl);
    assert_int_equal(s.dpd, 0);
    assert_int_equal(dl.to, PH_CATEGORY_NORMAL);
}

static void test_skipped_loans(void **state)
{
    fixture *f = *state;
    uint32_t flags[2] = {PH_LOAN_CLOSED, PH_LOAN_WRITTEN_OFF};
    for (int i = 0; i < 2; i++) {
        ph_loan_state s = overdue_loan(ymd(2025, 1, 1));
        s.flags = flags[i];
        s.category = PH_CATEGORY_LOSS;
        ph_loan_state before = s;
        ph_cob_delta dl;
        run_day(f->rules, &s, ymd(2025, 6, 1), &dl);
        assert_memory_equal(&s, &before, sizeof(s));
        assert_int_equal(dl.skipped, 1);
        assert_int_equal(dl.interest_accrued, 0);
        assert_int_equal(dl.provision_change, 0);
        assert_int_equal(dl.from, PH_CATEGORY_LOSS);
        assert_int_equal(dl.to, PH_CATEGORY_LOSS);
    }
}

/* Every refusal leaves the loan exactly as it was. */
static void test_errors_leave_state(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    run_days(f->rules, &s, ymd(2024, 1, 31), ymd(2024, 2, 10));
    ph_loan_state before = s;
    ph_cob_delta dl;
    ph_error err;
    ph_assert_error(ph_cob_day(f->rules, &s, ymd(2024, 2, 10), &dl, &err), PH_EINVAL, &err,
                    "loan 7: COB already ran through 2024-02-10");
    assert_string_equal(err.field, "date");
    ph_assert_error(ph_cob_day(f->rules, &s, ymd(2024, 2, 12), &dl, &err), PH_EINVAL, &err,
                    "COB last ran on 2024-02-10");
    assert_memory_equal(&s, &before, sizeof(s));

    s.principal = -5;
    ph_assert_error(ph_cob_day(f->rules, &s, ymd(2024, 2, 11), &dl, &err), PH_EINVAL, &err,
                    "expected principal >= 0, got -5");
    s.principal = before.principal;
    s.next_k = 4;
    ph_assert_error(ph_cob_day(f->rules, &s, ymd(2024, 2, 11), &dl, &err), PH_EINVAL, &err,
                    "next_k");
    s.next_k = 0;
    s.principal_due = 10; /* due but no due date */
    ph_assert_error(ph_cob_day(f->rules, &s, ymd(2024, 2, 11), &dl, &err), PH_EINVAL, &err,
                    "oldest_unpaid_due");
    s.principal_due = 0;
    s.daycount = (ph_daycount)7;
    ph_assert_error(ph_cob_day(f->rules, &s, ymd(2024, 2, 11), &dl, &err), PH_EINVAL, &err,
                    "daycount");
    s.daycount = PH_DAYCOUNT_ACT_360;
    assert_memory_equal(&s, &before, sizeof(s));
    ph_assert_error(ph_cob_day(NULL, &s, ymd(2024, 2, 11), &dl, &err), PH_EMISUSE, &err, NULL);
}

/* The batch runs each loan; on an error it names the loan and its index. */
static void test_run_batch(void **state)
{
    fixture *f = *state;
    ph_loan_state book[3] = {month_end_loan(), overdue_loan(ymd(2024, 1, 1)), month_end_loan()};
    book[2].loan_id = 8;
    ph_cob_delta deltas[3];
    ph_error err;
    ph_assert_ok(ph_cob_run(f->rules, book, 3, ymd(2024, 1, 31), deltas, &err), &err);
    assert_int_equal(deltas[0].interest_accrued, 100);
    assert_int_equal(deltas[1].to, PH_CATEGORY_SPECIAL_MENTION);
    assert_int_equal(book[1].dpd, 30);
    book[2].last_cob = ymd(2024, 2, 5);
    ph_assert_error(ph_cob_run(f->rules, book, 3, ymd(2024, 2, 1), deltas, &err), PH_EINVAL, &err,
                    "loan 8: COB already ran through 2024-02-05; a day runs once (index 2 of the batch)");
    assert_int_equal(book[0].last_cob, ymd(2024, 2, 1));
    ph_assert_ok(ph_cob_run(f->rules, NULL, 0, ymd(2024, 2, 1), NULL, &err), &err);
}

/* ACT/365: 3.65% on 10,000.00 is 1.00 yuan a day. */
static void test_act365(void **state)
{
    fixture *f = *state;
    ph_loan_state s = month_end_loan();
    s.rate = 3650000;
    s.daycount = PH_DAYCOUNT_ACT_365;
    ph_cob_delta dl;
    run_day(f->rules, &s, ymd(2024, 1, 31), &dl);
    assert_int_equal(dl.interest_accrued, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_dates),
        cmocka_unit_test_setup_teardown(test_billing_on_month_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dpd_and_penalty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dpd_from_oldest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grace_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_category_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_once_and_npl_since, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restructuring_floor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_upgrade_during_observation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revolving_segments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bill_before_repayment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skipped_loans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_leave_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_act365, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
