/*
 * The COB engine against independent arithmetic on random loans:
 *   - a term loan paid as agreed bills, on each due date, exactly
 *     ph_interest(balance, rate, days) rounded half up — the schedule's
 *     interest — whatever the amount, rate, day count and month lengths;
 *   - a revolving line with random draws and repayments bills, each month,
 *     the sum over its constant-balance segments of each segment's interest
 *     rounded once;
 *   - every day: the held provision is the rounded target of the day's
 *     category, and the provision changes sum to it; interest accrued sums
 *     to interest billed plus what is still receivable.
 */
#include "support/ph_test.h"

#include "puhui/cob.h"

#include <stdlib.h>
#include <string.h>

#define LOANS 1500
#define TERM 12

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static ph_money interest(ph_money balance, ph_rate rate, int64_t days, ph_daycount dc)
{
    ph_money out;
    ph_error err;
    ph_assert_ok(ph_interest(balance, rate, days, dc, PH_ROUND_HALF_UP, &out, &err), &err);
    return out;
}

static void check_provision(const ph_cob_rules *r, const ph_loan_state *s, ph_money provisions)
{
    ph_money target;
    ph_error err;
    ph_assert_ok(ph_cob_provision(r, s->category, ph_loan_exposure(s), &target, &err), &err);
    assert_int_equal(s->provision, target);
    assert_int_equal(provisions, target);
}

static void test_term_loans_bill_the_schedule_interest(void **state)
{
    (void)state;
    ph_ctx *ctx;
    ph_cob_rules *r;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_assert_ok(ph_cob_rules_default(ctx, &r, &err), &err);
    uint64_t seed = 0x243F6A8885A308D3ull;
    for (int n = 0; n < LOANS; n++) {
        ph_date anchor;
        int day = 1 + (int)(next_random(&seed) % 31);
        if (ph_date_from_ymd(2023 + (int)(next_random(&seed) % 3), 1, day > 28 ? 28 : day,
                             &anchor, &err) != PH_OK)
            fail();
        ph_instalment sched[TERM];
        ph_money principal = 100000 + (ph_money)(next_random(&seed) % 500000000);
        ph_rate rate = 1000000 + (ph_rate)(next_random(&seed) % 20000000);
        ph_daycount dc = next_random(&seed) % 2 ? PH_DAYCOUNT_ACT_365 : PH_DAYCOUNT_ACT_360;
        ph_money parts[TERM];
        ph_assert_ok(ph_money_split(principal, TERM, parts, &err), &err);
        ph_money balance = principal;
        ph_date prev = anchor;
        for (int k = 0; k < TERM; k++) {
            ph_date due;
            ph_assert_ok(ph_date_add_months(anchor, k + 1, PH_EOM_STICKY, &due, &err), &err);
            sched[k] = (ph_instalment){k + 1, due, prev, parts[k],
                                       interest(balance, rate, due - prev, dc), balance - parts[k]};
            balance -= parts[k];
            prev = due;
        }
        ph_loan_state s;
        memset(&s, 0, sizeof(s));
        s.loan_id = n + 1;
        s.rate = rate;
        s.penalty_rate = rate + rate / 2;
        s.daycount = dc;
        s.principal = principal;
        s.schedule = sched;
        s.n_instalments = TERM;
        ph_money accrued = 0, billed = 0, provisions = 0;
        for (ph_date d = anchor; d <= sched[TERM - 1].due_on; d++) {
            ph_cob_delta dl;
            ph_assert_ok(ph_cob_day(r, &s, d, &dl, &err), &err);
            accrued += dl.interest_accrued;
            provisions += dl.provision_change;
            check_provision(r, &s, provisions);
            if (dl.instalments_billed) {
                const ph_instalment *in = &sched[s.next_k - 1];
                assert_int_equal(in->due_on, d);
                assert_int_equal(dl.interest_billed, in->interest);
                assert_int_equal(dl.principal_billed, in->principal);
                billed += dl.interest_billed;
                s.principal_due = 0; /* paid on the due date */
                s.interest_due = 0;
            }
            assert_int_equal(accrued, billed + s.interest_receivable);
            assert_int_equal(s.dpd, 0);
        }
        assert_int_equal(s.principal, 0);
    }
    ph_cob_rules_free(r);
    ph_ctx_free(ctx);
}

/* A line with a monthly "schedule" (principal 0 until maturity) and a
 * random draw or repayment on some days; the expected interest of each
 * month is recomputed segment by segment. Some months are left unpaid, so
 * penalty, DPD and the categories move too. */
static void test_revolving_segments_random(void **state)
{
    (void)state;
    ph_ctx *ctx;
    ph_cob_rules *r;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_assert_ok(ph_cob_rules_default(ctx, &r, &err), &err);
    uint64_t seed = 0x13198A2E03707344ull;
    for (int n = 0; n < LOANS / 3; n++) {
        ph_date anchor = 19800 + (ph_date)(next_random(&seed) % 700);
        ph_instalment sched[TERM];
        ph_date prev = anchor;
        for (int k = 0; k < TERM; k++) {
            ph_date due;
            ph_assert_ok(ph_date_add_months(anchor, k + 1, PH_EOM_CLAMP, &due, &err), &err);
            sched[k] = (ph_instalment){k + 1, due, prev, 0, 0, 0};
            prev = due;
        }
        ph_loan_state s;
        memset(&s, 0, sizeof(s));
        s.loan_id = n + 1;
        s.rate = 1000000 + (ph_rate)(next_random(&seed) % 20000000);
        s.penalty_rate = s.rate + s.rate / 2;
        s.principal = 1 + (ph_money)(next_random(&seed) % 100000000);
        s.schedule = sched;
        s.n_instalments = TERM;
        int pays = next_random(&seed) % 4 != 0;
        /* The period's expected interest: closed segments + the open one. */
        ph_money expect_closed = 0, seg_balance = s.principal, provisions = 0;
        int64_t seg_days = 0;
        for (ph_date d = anchor; d <= sched[TERM - 1].due_on; d++) {
            if (d != anchor && next_random(&seed) % 5 == 0 && s.principal > 0) {
                /* a draw or a repayment of principal not yet due */
                ph_money change = (ph_money)(next_random(&seed) % 10000000) - 5000000;
                s.principal = s.principal + change > 0 ? s.principal + change : 1;
            }
            ph_cob_delta dl;
            ph_assert_ok(ph_cob_day(r, &s, d, &dl, &err), &err);
            provisions += dl.provision_change;
            check_provision(r, &s, provisions);
            if (dl.instalments_billed) {
                ph_money expected = expect_closed + interest(seg_balance, s.rate, seg_days,
                                                             PH_DAYCOUNT_ACT_360);
                assert_int_equal(dl.interest_billed, expected);
                expect_closed = 0;
                seg_days = 0;
                if (pays) {
                    s.principal_due = 0;
                    s.interest_due = 0;
                }
            }
            /* Day d accrues on the principal after billing. */
            if (seg_days > 0 && s.principal != seg_balance) {
                expect_closed += interest(seg_balance, s.rate, seg_days, PH_DAYCOUNT_ACT_360);
                seg_days = 0;
            }
            seg_balance = s.principal;
            if (s.principal > 0)
                seg_days++;
            if (!pays && s.oldest_unpaid_due != 0)
                assert_int_equal(s.dpd, d - s.oldest_unpaid_due);
        }
        assert_int_equal(s.principal, 0);
        if (!pays)
            assert_true(s.penalty > 0);
    }
    ph_cob_rules_free(r);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_term_loans_bill_the_schedule_interest),
        cmocka_unit_test(test_revolving_segments_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
