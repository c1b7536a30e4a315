/* Order financing (src/trade/order.c): the 80% cap with the numbers, one
 * advance per order, the advance booked in the loan book, payments only to
 * whitelisted suppliers (a refusal refused AND recorded), the buyer's
 * payment repaying the loan with its interest first and the rest to the
 * seller; every event with an evidence leaf. */
#include "trade_fixture.h"

#include "puhui/cob.h"
#include "puhui/loan.h"
#include "puhui/order.h"

static void confirm(fixture *fx, const char *id, ph_money amount)
{
    ph_error err;
    ph_order o = {id, BUYER, SELLER, amount, day_of("2026-03-01"), day_of("2026-05-30")};
    ph_assert_ok(ph_order_confirm(fx->store, &o, NULL, &err), &err);
}

static void test_confirm_and_cap(void **state)
{
    fixture *fx = *state;
    ph_error err;
    confirm(fx, "PO1", 100000000); /* 1,000,000.00 yuan */
    ph_order dup = {"PO1", BUYER, SELLER, 5, day_of("2026-03-01"), day_of("2026-05-30")};
    ph_assert_error(ph_order_confirm(fx->store, &dup, NULL, &err), PH_EEXISTS, &err, "exists");
    ph_order bad = {"PO2", BUYER, SELLER, 5, day_of("2026-03-01"), day_of("2026-03-01")};
    ph_assert_error(ph_order_confirm(fx->store, &bad, NULL, &err), PH_EINVAL, &err,
                    "expected a due day after the confirmation day 2026-03-01");
    ph_order unknown = {"PO3", "91330100MA0000009X", SELLER, 5, day_of("2026-03-01"),
                        day_of("2026-04-01")};
    ph_assert_error(ph_order_confirm(fx->store, &unknown, NULL, &err), PH_EINVAL, &err,
                    "expected a registered firm or a core enterprise");
    /* a core enterprise confirms orders too; a lender does not buy */
    ph_test_exec(fx->store, "INSERT INTO institution (id, name, kind) VALUES "
                            "('91330100MA0000010C', 'Core', 'core_enterprise')");
    ph_order by_core = {"PO4", "91330100MA0000010C", SELLER, 5, day_of("2026-03-01"),
                        day_of("2026-04-01")};
    ph_assert_ok(ph_order_confirm(fx->store, &by_core, NULL, &err), &err);
    ph_order by_bank = {"PO5", BANK, SELLER, 5, day_of("2026-03-01"), day_of("2026-04-01")};
    ph_assert_error(ph_order_confirm(fx->store, &by_bank, NULL, &err), PH_EINVAL, &err,
                    "expected a registered firm or a core enterprise");

    /* above the cap: refused with the numbers, nothing booked */
    ph_assert_error(ph_order_advance(fx->store, "PO1", BANK, day_of("2026-03-02"), 80000001,
                                     4 * PH_RATE_PERCENT, NULL, NULL, &err),
                    PH_EINVAL, &err,
                    "800,000.01 yuan is 80.00% of order PO1's 1,000,000.00 yuan; expected at "
                    "most 80.00%: 800,000.00 yuan");
    ph_assert_error(ph_order_advance(fx->store, "PO1", BANK, day_of("2026-03-02"), 90000000,
                                     4 * PH_RATE_PERCENT, NULL, NULL, &err),
                    PH_EINVAL, &err, "is 90.00% of order PO1");
    ph_assert_error(ph_order_advance(fx->store, "PO1", "GOV", day_of("2026-03-02"), 1,
                                     4 * PH_RATE_PERCENT, NULL, NULL, &err),
                    PH_EINVAL, &err, "expected a lender");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM loan"), 0);

    /* exactly 80%: booked in the loan book, to the seller */
    int64_t loan = 0;
    ph_assert_ok(ph_order_advance(fx->store, "PO1", BANK, day_of("2026-03-02"), 80000000,
                                  4 * PH_RATE_PERCENT, NULL, &loan, &err),
                 &err);
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(fx->store, loan, &info, &err), &err);
    assert_string_equal(info.uscc, SELLER);
    assert_string_equal(info.lender, BANK);
    assert_int_equal(info.amount, 80000000);
    ph_loan_info_free(fx->ctx, &info);
    /* a second advance of the same order */
    ph_assert_error(ph_order_advance(fx->store, "PO1", BANK2, day_of("2026-03-02"), 100, 0, NULL,
                                     NULL, &err),
                    PH_EEXISTS, &err, "expected an order not yet financed");
}

static void test_whitelist_payments_and_settle(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_evidence_log *log = NULL;
    char *dir = ph_test_path(fx->dir, "evidence");
    ph_assert_ok(ph_evidence_open(fx->ctx, dir, "puhui.test/evidence", 1, &log, &err), &err);
    ph_order o = {"PO1", BUYER, SELLER, 100000000, day_of("2026-03-01"), day_of("2026-05-30")};
    ph_assert_ok(ph_order_confirm(fx->store, &o, log, &err), &err);
    int64_t loan = 0;
    ph_assert_ok(ph_order_advance(fx->store, "PO1", BANK, day_of("2026-03-02"), 80000000,
                                  4 * PH_RATE_PERCENT, log, &loan, &err),
                 &err);

    /* the seller's supplier in the chain: paid */
    ph_assert_ok(ph_order_pay(fx->store, "PO1", SUPPLIER, day_of("2026-03-02"), 30000000, log,
                              &err),
                 &err);
    /* anyone else: refused, and the refusal recorded */
    ph_assert_error(ph_order_pay(fx->store, "PO1", STRANGER, day_of("2026-03-02"), 1000000, log,
                                 &err),
                    PH_EDENIED, &err, "refused, and the refusal recorded");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM order_event WHERE type "
                                                  "= 'pay_refused' AND counterparty = '" STRANGER
                                                  "' AND amount = 1000000 AND leaf_index IS NOT "
                                                  "NULL"),
                     1);
    /* added to the whitelist explicitly: then paid */
    int ok = 1;
    ph_assert_ok(ph_order_whitelisted(fx->store, SELLER, STRANGER, &ok, &err), &err);
    assert_int_equal(ok, 0);
    ph_assert_ok(ph_order_whitelist_add(fx->store, SELLER, STRANGER, day_of("2026-03-03"), log,
                                        &err),
                 &err);
    ph_assert_ok(ph_order_pay(fx->store, "PO1", STRANGER, day_of("2026-03-03"), 1000000, log,
                              &err),
                 &err);
    /* more than is left of the advance (800,000 - 310,000 = 490,000) */
    ph_assert_error(ph_order_pay(fx->store, "PO1", SUPPLIER, day_of("2026-03-03"), 49000001, log,
                                 &err),
                    PH_EINVAL, &err, "at most the 490,000.00 yuan left");

    /* the buyer pays the whole order at the due day: the loan (principal + interest) first */
    ph_assert_ok(ph_cob_through(fx->store, day_of("2026-05-29"), NULL, NULL, NULL, NULL, &err),
                 &err);
    ph_order_settlement s;
    ph_assert_ok(ph_order_settle(fx->store, "PO1", day_of("2026-05-30"), 100000000, log, &s,
                                 &err),
                 &err);
    assert_int_equal(s.loan_closed, 1);
    assert_true(s.to_lender > 80000000);              /* interest on top of the principal */
    assert_true(s.to_lender < 80000000 + 1000000);    /* 4% for ~3 months: < 10,000 yuan */
    assert_int_equal(s.to_lender + s.to_seller, 100000000);
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(fx->store, loan, &info, &err), &err);
    assert_string_not_equal(info.status, "active");
    ph_loan_info_free(fx->ctx, &info);
    ph_assert_error(ph_order_settle(fx->store, "PO1", day_of("2026-05-30"), 5, log, NULL, &err),
                    PH_EINVAL, &err, "the buyer has paid it");

    /* every event has its leaf; the events' leaves rebuild from the rows */
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM order_event WHERE leaf_index IS "
                                       "NULL"),
                     0);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM order_event"),
                     (int64_t)ph_evidence_size(log));
    /* ...and the order's history proves against the log: every event of PO1
     * (the whitelist addition is the seller's, not the order's) */
    size_t proved = 0;
    uint64_t size = ph_evidence_size(log);
    ph_assert_ok(ph_order_prove(fx->store, log, "PO1", size, NULL, &proved, &err), &err);
    assert_int_equal((int64_t)proved,
                     ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM order_event WHERE subject = 'PO1'"));
    assert_true(proved >= 7);
    ph_assert_error(ph_order_prove(fx->store, log, "PO9", size, NULL, &proved, &err),
                    PH_ENOTFOUND, &err, "no events of this order to prove");
    ph_evidence_free(log);
    free(dir);
}

/* The order's rows against what its logged events give: an amount, a status
 * or a paid-out edited in the store, or an event deleted, is PH_EVERIFY
 * naming the order and the column; two payments alike in every field are
 * two different leaves. */
static void test_prove_catches_edited_state(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_evidence_log *log = NULL;
    char *dir = ph_test_path(fx->dir, "evidence");
    ph_assert_ok(ph_evidence_open(fx->ctx, dir, "puhui.test/evidence", 1, &log, &err), &err);
    ph_order o = {"PO1", BUYER, SELLER, 100000000, day_of("2026-03-01"), day_of("2026-05-30")};
    ph_assert_ok(ph_order_confirm(fx->store, &o, log, &err), &err);
    ph_assert_ok(ph_order_advance(fx->store, "PO1", BANK, day_of("2026-03-02"), 80000000,
                                  4 * PH_RATE_PERCENT, log, NULL, &err),
                 &err);
    ph_assert_ok(ph_order_pay(fx->store, "PO1", SUPPLIER, day_of("2026-03-02"), 100000, log,
                              &err),
                 &err);
    ph_assert_ok(ph_order_pay(fx->store, "PO1", SUPPLIER, day_of("2026-03-02"), 100000, log,
                              &err),
                 &err);
    const uint8_t *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    ph_assert_ok(ph_evidence_leaf_data(log, 2, &a, &alen, &err), &err);
    ph_assert_ok(ph_evidence_leaf_data(log, 3, &b, &blen, &err), &err);
    assert_true(alen != blen || memcmp(a, b, alen) != 0);
    uint8_t ha[PH_EVIDENCE_HASH], hb[PH_EVIDENCE_HASH];
    ph_assert_ok(ph_evidence_leaf_hash(log, 2, ha, &err), &err);
    ph_assert_ok(ph_evidence_leaf_hash(log, 3, hb, &err), &err);
    assert_memory_not_equal(ha, hb, PH_EVIDENCE_HASH);
    size_t proved = 0;
    ph_assert_ok(ph_order_prove(fx->store, log, "PO1", 4, NULL, &proved, &err), &err);
    assert_int_equal(proved, 4);

    ph_test_exec(fx->store, "UPDATE trade_order SET amount = 200000000");
    ph_assert_error(ph_order_prove(fx->store, log, "PO1", 4, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "order PO1: amount is 2,000,000.00 in the store but the logged events give "
                    "1,000,000.00");
    ph_test_exec(fx->store, "UPDATE trade_order SET amount = 100000000, status = 'paid'");
    ph_assert_error(ph_order_prove(fx->store, log, "PO1", 4, NULL, &proved, &err), PH_EVERIFY,
                    &err, "order PO1: status is paid in the store but the logged events give "
                          "financed");
    ph_test_exec(fx->store, "UPDATE trade_order SET status = 'financed';"
                            "UPDATE order_advance SET loan_id = loan_id + 7");
    ph_assert_error(ph_order_prove(fx->store, log, "PO1", 4, NULL, &proved, &err), PH_EVERIFY,
                    &err, "order PO1: advance loan_id is");
    ph_test_exec(fx->store, "UPDATE order_advance SET loan_id = loan_id - 7");
    ph_assert_ok(ph_order_prove(fx->store, log, "PO1", 4, NULL, &proved, &err), &err);
    /* a payment's event deleted: paid_out no longer follows from the events */
    ph_test_exec(fx->store, "DROP TRIGGER order_event_no_delete;"
                            "DELETE FROM order_event WHERE seq = (SELECT max(seq) FROM "
                            "order_event)");
    ph_assert_error(ph_order_prove(fx->store, log, "PO1", 4, NULL, &proved, &err), PH_EVERIFY,
                    &err,
                    "order PO1: advance paid_out is 2,000.00 in the store but the logged events "
                    "give 1,000.00");
    ph_evidence_free(log);
    free(dir);
}

static void test_refusal_edited(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_evidence_log *log = NULL;
    char *dir = ph_test_path(fx->dir, "evidence");
    ph_assert_ok(ph_evidence_open(fx->ctx, dir, "puhui.test/evidence", 1, &log, &err), &err);
    ph_order o = {"PO1", BUYER, SELLER, 100000000, day_of("2026-03-01"), day_of("2026-05-30")};
    ph_assert_ok(ph_order_confirm(fx->store, &o, log, &err), &err);
    ph_assert_ok(ph_order_advance(fx->store, "PO1", BANK, day_of("2026-03-02"), 80000000,
                                  4 * PH_RATE_PERCENT, log, NULL, &err),
                 &err);
    ph_assert_error(ph_order_pay(fx->store, "PO1", STRANGER, day_of("2026-03-02"), 1000000, log,
                                 &err),
                    PH_EDENIED, &err, NULL);
    uint64_t size = ph_evidence_size(log);
    size_t proved = 0;
    /* the recorded refusal edited away: the proof fails naming it */
    ph_test_exec(fx->store, "DROP TRIGGER order_event_no_update;"
                            "UPDATE order_event SET counterparty = '" SUPPLIER "' WHERE type = "
                            "'pay_refused'");
    ph_assert_error(ph_order_prove(fx->store, log, "PO1", size, NULL, &proved, &err), PH_EVERIFY,
                    &err, "(pay_refused of order PO1) is leaf");
    ph_evidence_free(log);
    free(dir);
}

static void test_partial_payment(void **state)
{
    fixture *fx = *state;
    ph_error err;
    confirm(fx, "PO7", 10000000);
    ph_assert_ok(ph_order_advance(fx->store, "PO7", BANK, day_of("2026-03-01"), 8000000,
                                  5 * PH_RATE_PERCENT, NULL, NULL, &err),
                 &err);
    ph_assert_ok(ph_cob_through(fx->store, day_of("2026-03-31"), NULL, NULL, NULL, NULL, &err),
                 &err);
    /* the buyer pays less than the loan: all to the lender, nothing to the seller */
    ph_order_settlement s;
    ph_assert_ok(ph_order_settle(fx->store, "PO7", day_of("2026-04-01"), 5000000, NULL, &s,
                                 &err),
                 &err);
    assert_int_equal(s.to_lender, 5000000);
    assert_int_equal(s.to_seller, 0);
    assert_int_equal(s.loan_closed, 0);
    /* the order is not paid by a part of it: it stays open, the advance too */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM trade_order WHERE id = "
                                                  "'PO7' AND status = 'financed'"),
                     1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM order_advance WHERE "
                                                  "order_id = 'PO7' AND status = 'open'"),
                     1);
    /* more than the order still owes: refused with the numbers */
    ph_assert_error(ph_order_settle(fx->store, "PO7", day_of("2026-04-01"), 5000001, NULL, &s,
                                    &err),
                    PH_EINVAL, &err,
                    "expected at most the 50,000.00 yuan order PO7 still owes (50,000.00 yuan "
                    "of its 100,000.00 paid)");
    /* the rest: the loan repaid in full (principal and interest), the rest to the seller,
     * and the order paid */
    ph_assert_ok(ph_order_settle(fx->store, "PO7", day_of("2026-04-01"), 5000000, NULL, &s,
                                 &err),
                 &err);
    assert_int_equal(s.loan_closed, 1);
    assert_true(s.to_lender > 3000000);
    assert_true(s.to_lender < 3000000 + 100000);
    assert_int_equal(s.to_lender + s.to_seller, 5000000);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM trade_order WHERE id = "
                                                  "'PO7' AND status = 'paid'"),
                     1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM order_advance WHERE "
                                                  "order_id = 'PO7' AND status = 'repaid'"),
                     1);
    ph_assert_error(ph_order_settle(fx->store, "PO7", day_of("2026-04-03"), 1, NULL, &s, &err),
                    PH_EINVAL, &err, "the buyer has paid it");
}

/* A crash between the loan's repayment (its own transaction) and the
 * order's events: simulated by a trigger that makes the order's
 * transaction fail. The money moved, no order event says so. The retry -
 * on the next day - finds the repayment under the order's reference and
 * records it (on the day it was paid) instead of paying again or failing
 * forever. */
static void test_settle_retry_after_crash(void **state)
{
    fixture *fx = *state;
    ph_error err;
    confirm(fx, "PO9", 10000000);
    int64_t loan = 0;
    ph_assert_ok(ph_order_advance(fx->store, "PO9", BANK, day_of("2026-03-01"), 8000000,
                                  5 * PH_RATE_PERCENT, NULL, &loan, &err),
                 &err);
    ph_assert_ok(ph_cob_through(fx->store, day_of("2026-03-31"), NULL, NULL, NULL, NULL, &err),
                 &err);
    ph_test_exec(fx->store, "CREATE TRIGGER crash BEFORE INSERT ON order_event "
                            "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;");
    ph_order_settlement s;
    ph_assert_error(ph_order_settle(fx->store, "PO9", day_of("2026-04-01"), 10000000, NULL, &s,
                                    &err),
                    PH_EINVAL, &err, "simulated crash");
    /* the loan is repaid, the order knows nothing of it */
    ph_loan_info info;
    ph_assert_ok(ph_loan_get(fx->store, loan, &info, &err), &err);
    assert_string_equal(info.status, "closed");
    ph_loan_info_free(fx->ctx, &info);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM order_event WHERE type "
                                                  "IN ('repay', 'remit')"),
                     0);
    ph_test_exec(fx->store, "DROP TRIGGER crash");
    ph_assert_ok(ph_order_settle(fx->store, "PO9", day_of("2026-04-02"), 10000000, NULL, &s,
                                 &err),
                 &err);
    assert_int_equal(s.loan_closed, 1);
    assert_true(s.to_lender > 8000000);
    assert_int_equal(s.to_lender + s.to_seller, 10000000);
    /* repaid once; the events dated the day the money moved */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM loan_event WHERE kind IN "
                                                  "('repay', 'prepay')"),
                     1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM order_event WHERE type "
                                                  "IN ('repay', 'remit') AND on_day = "
                                                  "'2026-04-01'"),
                     2);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM trade_order WHERE id = "
                                                  "'PO9' AND status = 'paid'"),
                     1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM order_advance WHERE "
                                                  "order_id = 'PO9' AND status = 'repaid'"),
                     1);
}

/* An order the buyer has paid (no advance was taken) is closed: an advance
 * booked against it could never be repaid from the buyer's payment, and
 * would reopen the order for a second settlement. */
static void test_no_advance_after_paid(void **state)
{
    fixture *fx = *state;
    ph_error err;
    confirm(fx, "PO8", 10000000);
    ph_order_settlement s;
    ph_assert_ok(ph_order_settle(fx->store, "PO8", day_of("2026-03-05"), 10000000, NULL, &s,
                                 &err),
                 &err);
    assert_int_equal(s.to_seller, 10000000);
    ph_assert_error(ph_order_advance(fx->store, "PO8", BANK, day_of("2026-03-06"), 8000000,
                                     5 * PH_RATE_PERCENT, NULL, NULL, &err),
                    PH_EINVAL, &err, "paid");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM loan"), 0);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM trade_order WHERE id = 'PO8' AND "
                                       "status = 'paid'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_confirm_and_cap, trade_setup, trade_teardown),
        cmocka_unit_test_setup_teardown(test_whitelist_payments_and_settle, trade_setup,
                                        trade_teardown),
        cmocka_unit_test_setup_teardown(test_partial_payment, trade_setup, trade_teardown),
        cmocka_unit_test_setup_teardown(test_settle_retry_after_crash, trade_setup,
                                        trade_teardown),
        cmocka_unit_test_setup_teardown(test_prove_catches_edited_state, trade_setup,
                                        trade_teardown),
        cmocka_unit_test_setup_teardown(test_refusal_edited, trade_setup, trade_teardown),
        cmocka_unit_test_setup_teardown(test_no_advance_after_paid, trade_setup, trade_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
