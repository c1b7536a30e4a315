/*
 * Importing a book (ph_loan_import): chunks of PH_LOAN_IMPORT_CHUNK loans,
 * one transaction and one ledger entry each; the same rows imported twice
 * add nothing; a bad row is refused naming its index, field and value, and
 * its chunk stores nothing while the chunks before it stay; every check on
 * a row has a case here.
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

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_test_env_open("loan_import", &f->ctx, &f->dir);
    f->store = ph_test_open_db(f->ctx, f->dir, "book.db");
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

static int64_t count(ph_store *s, const char *sql)
{
    return ph_test_query_int(s, sql);
}

static void ledger_sound(ph_store *s)
{
    ph_ledger_verify_result v;
    ph_error err;
    ph_assert_ok(ph_ledger_verify(s, &v, &err), &err);
    assert_int_equal(v.bad_entry, 0);
}

/* 12,000 loans: two chunks, two transactions, two entries; the ledger is
 * sound and its loan principal is what was disbursed. */
static void test_import_chunks(void **state)
{
    fixture *f = *state;
    char *texts;
    size_t n = PH_LOAN_IMPORT_CHUNK + 2000;
    ph_loan_import_row *rows = ph_test_loan_rows(n, 1, day("2026-01-05"), "A", &texts);
    ph_loan_import_report rep;
    ph_error err;
    ph_assert_ok(ph_loan_import(f->store, rows, n, &rep, &err), &err);
    assert_int_equal(rep.imported, (int64_t)n);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(rep.chunks, 2);
    assert_int_equal(rep.entries, 2);
    assert_int_equal(rep.first_id, 1);
    assert_int_equal(rep.last_id, (int64_t)n);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan WHERE decision_id IS NULL "
                                     "AND reference IS NOT NULL"),
                     (int64_t)n);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan_state"), (int64_t)n);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan_event WHERE kind = 'book'"),
                     (int64_t)n);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM journal_entry"), 2);
    ph_money principal = 0;
    for (size_t i = 0; i < n; i++)
        principal += strcmp(rows[i].method, "revolving") ? rows[i].amount : 0;
    assert_int_equal(rep.disbursed, principal);
    assert_int_equal(count(f->store, "SELECT SUM(debit) - SUM(credit) FROM journal_line "
                                     "WHERE account = '1301'"),
                     principal);
    assert_int_equal(count(f->store, "SELECT SUM(credit) FROM journal_line WHERE account = '1001'"),
                     principal);
    /* every loan's schedule: as many rows as its term */
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan l WHERE (SELECT COUNT(*) FROM "
                                     "loan_schedule s WHERE s.loan_id = l.id) != l.term"),
                     0);
    ledger_sound(f->store);

    /* The same file again adds nothing. */
    ph_assert_ok(ph_loan_import(f->store, rows, n, &rep, &err), &err);
    assert_int_equal(rep.imported, 0);
    assert_int_equal(rep.skipped, (int64_t)n);
    assert_int_equal(rep.entries, 0);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan"), (int64_t)n);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM journal_entry"), 2);
    ledger_sound(f->store);
    ph_test_loan_rows_free(rows, texts);
}

/* A bad row in the second chunk: the first chunk stays, nothing of the
 * second is stored, the error names the row; fixed, the rest goes in. */
static void test_bad_row_stops_its_chunk(void **state)
{
    fixture *f = *state;
    char *texts;
    size_t n = PH_LOAN_IMPORT_CHUNK + 500, bad = PH_LOAN_IMPORT_CHUNK + 7;
    ph_loan_import_row *rows = ph_test_loan_rows(n, 2, day("2026-01-05"), "B", &texts);
    ph_money good = rows[bad].amount;
    rows[bad].amount = 0;
    ph_loan_import_report rep;
    ph_error err;
    ph_assert_error(ph_loan_import(f->store, rows, n, &rep, &err), PH_EINVAL, &err,
                    "expected an amount of more than 0 yuan");
    assert_string_equal(err.field, "rows[10007].amount");
    assert_string_equal(err.value, "0.00");
    assert_int_equal(rep.bad_row, bad);
    assert_int_equal(rep.imported, PH_LOAN_IMPORT_CHUNK);
    assert_int_equal(rep.chunks, 1);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan"), PH_LOAN_IMPORT_CHUNK);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan_schedule WHERE loan_id > 10000"),
                     0);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM journal_entry"), 1);
    ledger_sound(f->store);

    rows[bad].amount = good;
    ph_assert_ok(ph_loan_import(f->store, rows, n, &rep, &err), &err);
    assert_int_equal(rep.imported, 500);
    assert_int_equal(rep.skipped, PH_LOAN_IMPORT_CHUNK);
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan"), (int64_t)n);
    ledger_sound(f->store);
    ph_test_loan_rows_free(rows, texts);
}

/* A reference used twice in one call: the second row is skipped. */
static void test_reference_twice_in_one_call(void **state)
{
    fixture *f = *state;
    char *texts;
    ph_loan_import_row *rows = ph_test_loan_rows(3, 3, day("2026-01-05"), "C", &texts);
    rows[2].reference = rows[0].reference;
    ph_loan_import_report rep;
    ph_error err;
    ph_assert_ok(ph_loan_import(f->store, rows, 3, &rep, &err), &err);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(rep.skipped, 1);
    ph_test_loan_rows_free(rows, texts);
}

/* Every check, one bad row each, in a chunk of three: nothing stored, the
 * field and the expectation named. */
typedef struct bad_case {
    const char *field;
    const char *needle;
    void (*spoil)(ph_loan_import_row *r);
} bad_case;

static void no_reference(ph_loan_import_row *r) { r->reference = ""; }
static void long_reference(ph_loan_import_row *r)
{
    r->reference = "0123456789012345678901234567890123456789012345678901234567890123456789";
}
static void bad_uscc(ph_loan_import_row *r) { r->uscc = "91370102MA3C00000X"; }
static void no_lender(ph_loan_import_row *r) { r->lender = NULL; }
static void long_product(ph_loan_import_row *r)
{
    r->product = "a product name that is longer than the ledger's sixty-four bytes of text";
}
static void bad_method(ph_loan_import_row *r) { r->method = "balloon"; }
static void negative_amount(ph_loan_import_row *r) { r->amount = -5; }
static void high_rate(ph_loan_import_row *r) { r->rate = PH_RATE_ONE + 1; }
static void zero_term(ph_loan_import_row *r) { r->term = 0; }
static void long_term(ph_loan_import_row *r) { r->term = 361; }
static void bad_day(ph_loan_import_row *r) { r->booked_on = -800000; }
static void unknown_pool(ph_loan_import_row *r)
{
    r->pool = "POOL-X";
    r->pool_bp = 3000;
}
static void bp_without_pool(ph_loan_import_row *r) { r->pool_bp = 3000; }
static void fee_without_guarantor(ph_loan_import_row *r)
{
    r->guarantor = NULL;
    r->guarantee_fee = 1000000;
}
static void subsidy_over_rate(ph_loan_import_row *r) { r->subsidy_rate = r->rate + 1; }
static void unknown_scheme(ph_loan_import_row *r) { r->scheme = "5:5"; }
static void seasonal_without_harvest(ph_loan_import_row *r) { r->method = "seasonal"; }

static const bad_case BAD_CASES[] = {
    {"rows[1].reference", "(it is required)", no_reference},
    {"rows[1].reference", "at most 64 bytes", long_reference},
    {"rows[1].uscc", "valid 18-character", bad_uscc},
    {"rows[1].lender", "(it is required)", no_lender},
    {"rows[1].product", "at most 64 bytes", long_product},
    {"rows[1].method", "equal_installment, equal_principal", bad_method},
    {"rows[1].amount", "more than 0", negative_amount},
    {"rows[1].rate", "from 0% to 100%", high_rate},
    {"rows[1].term", "1 to 360 months", zero_term},
    {"rows[1].term", "1 to 360 months", long_term},
    {"rows[1].booked_on", "a day of the calendar", bad_day},
    {"rows[1].pool", "a compensation pool the book holds", unknown_pool},
    {"rows[1].pool_bp", "0 without a pool", bp_without_pool},
    {"rows[1].guarantee_fee", "without a guarantor", fee_without_guarantor},
    {"rows[1].subsidy_rate", "to the loan's rate", subsidy_over_rate},
    {"rows[1].scheme", "risk-sharing scheme", unknown_scheme},
    {"rows[1].method", "a method the servicing product \"default\" can schedule", seasonal_without_harvest},
};

static void test_every_check(void **state)
{
    fixture *f = *state;
    for (size_t k = 0; k < sizeof(BAD_CASES) / sizeof(BAD_CASES[0]); k++) {
        char *texts;
        ph_loan_import_row *rows = ph_test_loan_rows(3, 4, day("2026-01-05"), "D", &texts);
        BAD_CASES[k].spoil(&rows[1]);
        ph_loan_import_report rep;
        ph_error err;
        ph_assert_error(ph_loan_import(f->store, rows, 3, &rep, &err), PH_EINVAL, &err,
                        BAD_CASES[k].needle);
        assert_string_equal(err.field, BAD_CASES[k].field);
        assert_int_equal(rep.bad_row, 1);
        assert_int_equal(rep.imported, 0);
        assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan"), 0);
        assert_int_equal(count(f->store, "SELECT COUNT(*) FROM journal_entry"), 0);
        ph_test_loan_rows_free(rows, texts);
    }
}

/* A day already closed cannot take an imported loan. */
static void test_booked_before_last_cob(void **state)
{
    fixture *f = *state;
    char *texts;
    ph_loan_import_row *rows = ph_test_loan_rows(2, 5, day("2026-01-05"), "E", &texts);
    ph_loan_import_report rep;
    ph_error err;
    ph_assert_ok(ph_loan_import(f->store, rows, 1, &rep, &err), &err);
    ph_assert_ok(ph_cob_through(f->store, day("2026-01-10"), NULL, NULL, NULL, NULL, &err), &err);
    ph_assert_error(ph_loan_import(f->store, rows + 1, 1, &rep, &err), PH_EINVAL, &err,
                    "a day after the last close of business, 2026-01-10");
    assert_string_equal(err.field, "rows[0].booked_on");
    assert_string_equal(err.value, "2026-01-05");
    assert_int_equal(count(f->store, "SELECT COUNT(*) FROM loan"), 1);
    ph_test_loan_rows_free(rows, texts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_row_stops_its_chunk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reference_twice_in_one_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_booked_before_last_cob, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
