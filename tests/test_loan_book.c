/*
 * The loan book end to end on a small database: an offer from a real
 * marketplace decision is accepted once, serviced and closed day by day,
 * and after every step each loan's state equals its sub-ledger, account by
 * account, the trial balance is zero and the ledger verifies. Bad events
 * store nothing.
 */
#include "features_fixture.h"

#include "puhui/ledger.h"
#include "puhui/loan.h"

typedef struct bk {
    fx f;
    int64_t decision;
} bk;

static int setup(void **state)
{
    bk *b = calloc(1, sizeof(*b));
    void *inner = NULL;
    fx_setup(&inner);
    b->f = *(fx *)inner;
    free(inner);
    fx *f = &b->f;
    fx_add_borrower(f->store, FIRM_A, "A");
    sqlf(f->store, "INSERT INTO institution VALUES ('%s', 'City Bank', 'commercial_bank')",
         FX_LENDER);
    fx_set_lpr(f->store);
    fx_load_policy(f, "policy.json", FX_POLICY, 1);
    ph_error err;
    ph_date asof = day("2025-12-31");
    ph_assert_ok(ph_features_refresh(f->store, &asof, 1, NULL, &err), &err);
    fx_grant(f, FIRM_A, FX_LENDER, "registration,payments_daily", "2025-12-01", "2026-11-30");
    ph_market *m = NULL;
    ph_assert_ok(ph_market_open(f->store, &m, &err), &err);
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 12000000, 12); /* 120,000.00 yuan over 12 months */
    ph_assert_ok(ph_market_apply(m, &a, &r, &err), &err);
    b->decision = fx_quote_of(r, FX_LENDER)->decision_id;
    assert_true(b->decision > 0);
    ph_market_result_free(r);
    ph_market_free(m);
    *state = b;
    return 0;
}

static int teardown(void **state)
{
    bk *b = *state;
    fx *f = malloc(sizeof(*f));
    *f = b->f;
    void *inner = f;
    fx_teardown(&inner);
    free(b);
    return 0;
}

static int64_t count(bk *b, const char *table)
{
    char sql[80];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    return ph_test_query_int(b->f.store, sql);
}

/* The sub-ledger of every loan-level account equals the loan's state. */
static void assert_state_is_ledger(bk *b, int64_t loan, ph_date on)
{
    ph_error err;
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(b->f.store, loan, &info, &err), &err);
    const ph_loan_state *s = &info.state;
    struct {
        const char *account;
        ph_money expected;
    } rows[] = {{"1301", s->principal},           {"1302", s->principal_due},
                {"1311", s->interest_receivable}, {"1312", s->interest_due},
                {"1313", s->penalty},             {"1314", info.fee_receivable},
                {"1231", -s->provision}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        ph_money got = 0;
        ph_assert_ok(ph_ledger_loan_balance(b->f.store, loan, rows[i].account, on, &got, &err),
                     &err);
        if (got != rows[i].expected)
            fail_msg("loan %lld account %s: ledger %lld, state %lld", (long long)loan,
                     rows[i].account, (long long)got, (long long)rows[i].expected);
    }
    ph_loan_info_free(b->f.ctx, &info);
    ph_ledger_verify_result v;
    ph_assert_ok(ph_ledger_verify(b->f.store, &v, &err), &err);
}

static void test_accept_once_copies_the_terms(void **state)
{
    bk *b = *state;
    ph_error err;
    int64_t id = 0;
    ph_assert_ok(ph_loan_accept(b->f.store, b->decision, NULL, &id, &err), &err);
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    assert_int_equal(info.amount, 12000000);
    assert_int_equal(info.rate, 4200000); /* LPR 3.00% + 1.20% */
    assert_int_equal(info.term, 12);
    assert_string_equal(info.method, "equal_installment");
    assert_int_equal(info.penalty_rate, 6300000); /* +50% */
    assert_int_equal(info.booked_on, day("2025-12-31"));
    assert_int_equal(info.state.principal, 12000000);
    ph_loan_info_free(b->f.ctx, &info);
    assert_state_is_ledger(b, id, day("2025-12-31"));

    /* a second acceptance is refused by the store and stores nothing */
    int64_t entries = count(b, "journal_entry"), loans = count(b, "loan");
    int64_t again = 0;
    ph_assert_error(ph_loan_accept(b->f.store, b->decision, NULL, &again, &err), PH_EEXISTS, &err,
                    "the offer was accepted already: loan 1");
    assert_int_equal(count(b, "journal_entry"), entries);
    assert_int_equal(count(b, "loan"), loans);
    /* the contract cannot be changed behind the library's back */
    ph_assert_error(ph_store_exec(b->f.store, "UPDATE loan SET rate = 1", &err), PH_EINVAL, &err,
                    "a contract cannot be changed");
}

static void test_expired_offer_is_refused(void **state)
{
    bk *b = *state;
    ph_error err;
    ph_loan_accept_opts o = {day("2026-01-30"), 0}; /* open 2025-12-31 .. 2026-01-29 */
    int64_t id = 0;
    ph_assert_error(ph_loan_accept(b->f.store, b->decision, &o, &id, &err), PH_EINVAL, &err,
                    "expired: it was open 2025-12-31 to 2026-01-29");
    assert_int_equal(count(b, "loan"), 0);
    assert_int_equal(count(b, "journal_entry"), 0);
}

static void test_a_year_of_servicing_keeps_state_and_ledger_equal(void **state)
{
    bk *b = *state;
    ph_error err;
    int64_t id = 0;
    ph_assert_ok(ph_loan_accept(b->f.store, b->decision, NULL, &id, &err), &err);
    ph_cob_report r;
    /* January: paid on the due date, before that day's COB */
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-01-30"), NULL, NULL, NULL, &r, &err), &err);
    assert_int_equal(r.days, 31);
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    ph_money accrued = info.state.interest_receivable;
    ph_loan_info_free(b->f.ctx, &info);
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-01-30"), NULL, NULL, NULL, &r, &err), &err);
    assert_int_equal(r.days, 0); /* a closed day never runs again */
    assert_state_is_ledger(b, id, day("2026-01-30"));
    ph_loan_payment p;
    /* 2026-01-31 is the first due date (the booking day plus a month) */
    ph_assert_ok(ph_loan_repay(b->f.store, id, day("2026-01-31"), 1021000, &p, &err), &err);
    assert_true(p.paid[PH_BUCKET_INTEREST] >= accrued);
    assert_state_is_ledger(b, id, day("2026-01-31"));
    /* then three months unpaid: special mention, penalty after the grace days */
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-04-15"), NULL, NULL, NULL, &r, &err), &err);
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    assert_int_equal(info.state.category, PH_CATEGORY_SPECIAL_MENTION);
    assert_true(info.state.dpd > 40);
    assert_true(info.state.penalty > 0);
    ph_loan_info_free(b->f.ctx, &info);
    assert_state_is_ledger(b, id, day("2026-04-15"));
    /* bad events store nothing */
    int64_t entries = count(b, "journal_entry");
    ph_assert_error(ph_loan_repay(b->f.store, id, day("2026-04-16"), 0, NULL, &err), PH_EINVAL,
                    &err, "expected a repayment of more than 0");
    ph_assert_error(ph_loan_repay(b->f.store, id, day("2026-04-10"), 100, NULL, &err), PH_EINVAL,
                    &err, "the days before it are closed");
    ph_assert_error(ph_loan_repay(b->f.store, 99, day("2026-04-16"), 100, NULL, &err),
                    PH_ENOTFOUND, &err, "no loan with that id");
    ph_assert_error(ph_loan_draw(b->f.store, id, day("2026-04-16"), 100, &err), PH_EINVAL, &err,
                    "only a revolving line is drawn");
    ph_assert_error(ph_loan_repay(b->f.store, id, day("2026-04-16"), 1000000000, NULL, &err),
                    PH_EINVAL, &err, "more than is owed");
    assert_int_equal(count(b, "journal_entry"), entries);
    /* everything repaid: closed, provision released, nothing left on the book */
    ph_assert_ok(ph_loan_prepay(b->f.store, id, day("2026-04-16"), 0, 1, &p, &err), &err);
    assert_true(p.closed);
    assert_state_is_ledger(b, id, day("2026-04-16"));
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    assert_string_equal(info.status, "closed");
    assert_int_equal(info.state.provision, 0);
    ph_loan_info_free(b->f.ctx, &info);
    ph_book_summary s;
    ph_assert_ok(ph_book_summary_get(b->f.store, &s, &err), &err);
    assert_int_equal(s.loans, 0);
    assert_int_equal(s.closed, 1);
}

static int second_interest(const ph_instalment *row, void *user)
{
    if (row->k == 2)
        *(ph_money *)user = row->interest;
    return 0;
}

/* An LPR repricing mid-period: the instalment billed equals the rebuilt
 * schedule's, which carries the interest accrued at the old rate. */
static void test_reprice_mid_period_bills_the_rebuilt_schedule(void **state)
{
    bk *b = *state;
    ph_error err;
    int64_t id = 0;
    ph_assert_ok(ph_loan_accept(b->f.store, b->decision, NULL, &id, &err), &err);
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-01-30"), NULL, NULL, NULL, NULL, &err),
                 &err);
    ph_assert_ok(ph_loan_repay(b->f.store, id, day("2026-01-31"), 1021000, NULL, &err), &err);
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-02-09"), NULL, NULL, NULL, NULL, &err),
                 &err);
    ph_money before = 0;
    ph_assert_ok(ph_loan_schedule(b->f.store, id, second_interest, &before, &err), &err);
    ph_assert_ok(ph_loan_reprice(b->f.store, id, day("2026-02-10"), 3850000, &err), &err);
    ph_money after = 0;
    ph_assert_ok(ph_loan_schedule(b->f.store, id, second_interest, &after, &err), &err);
    assert_true(after < before); /* 3.85% from the 10th, not 4.20% */
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-02-28"), NULL, NULL, NULL, NULL, &err),
                 &err);
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    assert_int_equal(info.state.interest_due, after);
    assert_int_equal(info.rate, 3850000);
    assert_int_equal(info.penalty_rate, 5775000); /* the 50% markup kept */
    ph_loan_info_free(b->f.ctx, &info);
    assert_state_is_ledger(b, id, day("2026-02-28"));
}

static int first_principal(const ph_instalment *row, void *user)
{
    if (row->k == 1)
        *(ph_money *)user = row->principal;
    return 0;
}

/* A repricing on a due date bills that day's instalment first, as
 * scheduled at the rate that ran; only the instalments after it change. */
static void test_reprice_on_a_due_date_bills_the_day_as_scheduled(void **state)
{
    bk *b = *state;
    ph_error err;
    int64_t id = 0;
    ph_assert_ok(ph_loan_accept(b->f.store, b->decision, NULL, &id, &err), &err);
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-01-30"), NULL, NULL, NULL, NULL, &err),
                 &err);
    ph_money scheduled = 0;
    ph_assert_ok(ph_loan_schedule(b->f.store, id, first_principal, &scheduled, &err), &err);
    ph_assert_ok(ph_loan_reprice(b->f.store, id, day("2026-01-31"), 3850000, &err), &err);
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    assert_int_equal(info.state.principal_due, scheduled);
    ph_loan_info_free(b->f.ctx, &info);
    ph_assert_ok(ph_cob_through(b->f.store, day("2026-01-31"), NULL, NULL, NULL, NULL, &err),
                 &err);
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    assert_int_equal(info.state.principal_due, scheduled); /* nothing billed twice */
    ph_loan_info_free(b->f.ctx, &info);
    assert_state_is_ledger(b, id, day("2026-01-31"));
    /* repriced twice, from whatever rate: no division by the contract's */
    ph_assert_ok(ph_loan_reprice(b->f.store, id, day("2026-02-01"), 0, &err), &err);
    ph_assert_ok(ph_loan_reprice(b->f.store, id, day("2026-02-01"), 3000000, &err), &err);
    ph_assert_ok(ph_loan_get(b->f.store, id, &info, &err), &err);
    assert_int_equal(info.penalty_rate, 3000000 + 0); /* from 0%, the gap (0) is kept */
    ph_loan_info_free(b->f.ctx, &info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accept_once_copies_the_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_offer_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_year_of_servicing_keeps_state_and_ledger_equal,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_reprice_mid_period_bills_the_rebuilt_schedule,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_reprice_on_a_due_date_bills_the_day_as_scheduled,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
