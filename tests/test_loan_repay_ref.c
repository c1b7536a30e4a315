/*
 * Repayments with an external reference (ph_loan_repay_ref): stored UNIQUE
 * with the event, so a batch run again applies each repayment once; a
 * reference seen before is reported as applied, even after its day was
 * closed; ph_loan_repay (no reference) is unchanged.
 */
#include "support/ph_loan_test.h"
#include "support/ph_test.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    ph_store *store;
} fixture;

static ph_date day(const char *iso)
{
    ph_date d;
    ph_error err;
    ph_assert_ok(ph_date_parse(iso, strlen(iso), &d, &err), &err);
    return d;
}

/* One equal-instalment loan of 120,000.00 yuan booked 2026-01-05, its first
 * instalment billed by COB through 2026-02-05. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_test_env_open("loan_repay_ref", &f->ctx, &f->dir);
    f->store = ph_test_open_db(f->ctx, f->dir, "book.db");
    char *texts;
    ph_loan_import_row *rows = ph_test_loan_rows(1, 7, day("2026-01-05"), "R", &texts);
    rows[0].method = "equal_installment";
    rows[0].amount = 12000000;
    rows[0].term = 12;
    ph_error err;
    ph_assert_ok(ph_loan_import(f->store, rows, 1, NULL, &err), &err);
    ph_test_loan_rows_free(rows, texts);
    ph_assert_ok(ph_cob_through(f->store, day("2026-02-05"), NULL, NULL, NULL, NULL, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_store_free(f->store);
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

static ph_money cash(ph_store *s)
{
    return ph_test_query_int(s, "SELECT COALESCE(SUM(debit) - SUM(credit), 0) FROM journal_line "
                                "WHERE account = '1001'");
}

static void test_reference_applies_once(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_money before = cash(f->store);
    ph_assert_ok(ph_loan_repay_ref(f->store, 1, day("2026-02-06"), 100000, "PAY-1", NULL, &err),
                 &err);
    assert_int_equal(cash(f->store), before + 100000);
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM loan_event WHERE "
                                                 "reference = 'PAY-1' AND kind = 'repay'"),
                     1);
    /* again: refused as applied, naming what it paid; nothing stored */
    ph_assert_error(ph_loan_repay_ref(f->store, 1, day("2026-02-06"), 100000, "PAY-1", NULL, &err),
                    PH_EEXISTS, &err, "applied already: loan 1 repaid 1000.00 yuan on 2026-02-06");
    assert_string_equal(err.field, "reference");
    assert_int_equal(cash(f->store), before + 100000);
    /* after the day is closed it is still "applied", not "day closed" */
    ph_assert_ok(ph_cob_through(f->store, day("2026-02-08"), NULL, NULL, NULL, NULL, &err), &err);
    ph_assert_error(ph_loan_repay_ref(f->store, 1, day("2026-02-06"), 100000, "PAY-1", NULL, &err),
                    PH_EEXISTS, &err, "applied already");
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM loan_event WHERE "
                                                 "kind = 'repay'"),
                     1);
}

static void test_without_reference_unchanged(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_money before = cash(f->store);
    ph_assert_ok(ph_loan_repay(f->store, 1, day("2026-02-06"), 1000, NULL, &err), &err);
    ph_assert_ok(ph_loan_repay(f->store, 1, day("2026-02-06"), 1000, NULL, &err), &err);
    assert_int_equal(cash(f->store), before + 2000);
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM loan_event WHERE "
                                                 "kind = 'repay' AND reference IS NULL"),
                     2);
}

static void test_bad_reference(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_assert_error(ph_loan_repay_ref(f->store, 1, day("2026-02-06"), 1000, "", NULL, &err),
                    PH_EINVAL, &err, "expected a reference of 1 to 64 bytes");
    /* a refused repayment keeps its reference free */
    ph_assert_error(ph_loan_repay_ref(f->store, 1, day("2026-02-06"), 99999999, "PAY-2", NULL,
                                      &err),
                    PH_EINVAL, &err, "more than is owed");
    ph_assert_ok(ph_loan_repay_ref(f->store, 1, day("2026-02-06"), 1000, "PAY-2", NULL, &err),
                 &err);
}

/* A prepayment under a reference is applied once too, and a caller that
 * crashed can read what a reference paid (ph_loan_payment_by_ref). */
static void test_prepay_reference(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_loan_ref_payment p;
    int found = 1;
    ph_assert_ok(ph_loan_payment_by_ref(f->store, "PRE-1", &p, &found, &err), &err);
    assert_int_equal(found, 0);
    ph_money before = cash(f->store);
    ph_assert_ok(ph_loan_prepay_ref(f->store, 1, day("2026-02-06"), 0, 1, "PRE-1", NULL, &err),
                 &err);
    ph_money paid = cash(f->store) - before;
    assert_true(paid > 11000000);
    ph_assert_error(ph_loan_prepay_ref(f->store, 1, day("2026-02-06"), 0, 1, "PRE-1", NULL, &err),
                    PH_EEXISTS, &err, "applied already: loan 1 repaid");
    ph_assert_ok(ph_loan_payment_by_ref(f->store, "PRE-1", &p, &found, &err), &err);
    assert_int_equal(found, 1);
    assert_int_equal(p.loan_id, 1);
    assert_int_equal(p.on, day("2026-02-06"));
    assert_string_equal(p.kind, "prepay");
    assert_int_equal(p.amount, paid);
    assert_int_equal(p.closed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reference_applies_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_reference_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepay_reference, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
