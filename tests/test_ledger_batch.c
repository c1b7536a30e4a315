/*
 * The close of business's bulk path (ph_ledger_batch_*) on a real SQLite
 * file: 100,000 loans in one entry, the same tables as ph_ledger_post would
 * write, refusals that leave the batch usable, the caller's transaction, and
 * a count of allocations showing that adding lines does not allocate per line.
 */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/ledger.h"

/* A counting allocator: the library's allocations go through the context. */
typedef struct counter {
    long allocations;
} counter;

static void *count_malloc(void *user, size_t size)
{
    ((counter *)user)->allocations++;
    return malloc(size);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    ((counter *)user)->allocations++;
    return realloc(ptr, size);
}

static void count_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
    counter count;
    ph_allocator allocator;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->allocator = (ph_allocator){count_malloc, count_realloc, count_free, &fx->count};
    ph_ctx_options options;
    memset(&options, 0, sizeof(options));
    options.allocator = &fx->allocator;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&options, &fx->ctx, &err), &err);
    fx->dir = ph_test_tmpdir("ledger_batch");
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "p.db");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static ph_date day(const char *iso)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(iso, strlen(iso), &d, &err), &err);
    return d;
}

static const char *const PRODUCTS[] = {"micro", "agri", "revolving"};

/* Loan i's accrual (Dr 1311 / Cr 6011) and provision (Dr 6701 / Cr 1231). */
static void loan_lines(int64_t loan, ph_ledger_line out[4])
{
    const char *product = PRODUCTS[loan % 3];
    ph_money interest = 100 + loan % 997, provision = 1 + loan % 13;
    out[0] = (ph_ledger_line){"1311", loan, product, "", interest, 0};
    out[1] = (ph_ledger_line){"6011", loan, product, "", 0, interest};
    out[2] = (ph_ledger_line){"6701", 0, product, "", provision, 0};
    out[3] = (ph_ledger_line){"1231", loan, product, "", 0, provision};
}

typedef struct tb {
    ph_money sum;
    int rows;
} tb;

static int add_balance(const ph_ledger_balance *b, void *user)
{
    tb *t = user;
    t->sum += b->balance;
    t->rows++;
    return 0;
}

static void test_batch_of_100k_loans(void **state)
{
    fixture *fx = *state;
    enum { LOANS = 100000 };
    ph_ledger_batch *b = NULL;
    ph_error err;
    ph_assert_ok(ph_ledger_batch_new(fx->store, day("2026-03-31"), "cob", "close of business",
                                     &b, &err),
                 &err);
    /* warm up past the first row array, then count: doubling only */
    ph_ledger_line lines[4];
    char product[16];
    long before = 0;
    ph_money interest_total = 0;
    for (int64_t loan = 1; loan <= LOANS; loan++) {
        if (loan == 2000)
            before = fx->count.allocations;
        loan_lines(loan, lines);
        /* the product text in a buffer the caller reuses: the batch must
         * compare texts, not pointers */
        snprintf(product, sizeof(product), "%s", lines[0].product);
        for (int k = 0; k < 4; k++) {
            lines[k].product = product;
            ph_assert_ok(ph_ledger_batch_add(b, &lines[k], &err), &err);
        }
        interest_total += lines[0].debit;
    }
    long during = fx->count.allocations - before;
    /* 2 rows a loan: 200,000 rows, the array doubling from 4,096: 6 reallocs */
    assert_true(during <= 8);
    assert_int_equal(ph_ledger_batch_count(b), 4 * LOANS);
    int64_t id = 0;
    ph_assert_ok(ph_ledger_batch_commit(b, &id, &err), &err);
    ph_ledger_batch_free(b);
    assert_int_equal(id, 1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM ledger_subledger"),
                     2 * LOANS);
    /* 4 accounts x 3 products */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_line"), 12);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT SUM(debit) FROM journal_line WHERE account = '1311'"),
                     interest_total);
    tb t = {0, 0};
    ph_assert_ok(ph_ledger_trial_balance(fx->store, day("2026-03-31"), add_balance, &t, &err),
                 &err);
    assert_int_equal(t.sum, 0);
    assert_int_equal(t.rows, 12);
    ph_money m = 0;
    ph_assert_ok(ph_ledger_loan_balance(fx->store, 4242, "1311", day("2026-03-31"), &m, &err),
                 &err);
    assert_int_equal(m, 100 + 4242 % 997);
    ph_assert_ok(ph_ledger_loan_balance(fx->store, 4242, "1231", day("2026-03-31"), &m, &err),
                 &err);
    assert_int_equal(m, -(1 + 4242 % 13));
    ph_ledger_verify_result r;
    ph_assert_ok(ph_ledger_verify(fx->store, &r, &err), &err);
    assert_int_equal(r.entries, 1);
    assert_int_equal(r.subledger_rows, 2 * LOANS);
    /* a second batch chains after the first and continues the row ids */
    ph_assert_ok(ph_ledger_batch_new(fx->store, day("2026-04-01"), "cob", "", &b, &err), &err);
    loan_lines(5, lines);
    for (int k = 0; k < 4; k++)
        ph_assert_ok(ph_ledger_batch_add(b, &lines[k], &err), &err);
    ph_assert_ok(ph_ledger_batch_commit(b, &id, &err), &err);
    ph_ledger_batch_free(b);
    assert_int_equal(id, 2);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT first_sub FROM journal_entry WHERE id = 2"),
                     2 * LOANS + 1);
    ph_assert_ok(ph_ledger_verify(fx->store, &r, &err), &err);
    assert_int_equal(r.entries, 2);
}

/* The batch and ph_ledger_post write the same rows and the same hash for
 * the same lines. */
static void test_batch_equals_post(void **state)
{
    fixture *fx = *state;
    ph_ledger_line lines[8];
    loan_lines(1, lines);
    loan_lines(2, lines + 4);
    ph_error err;
    ph_assert_ok(ph_ledger_post(fx->store, day("2026-03-31"), "cob", "m", lines, 8, NULL, &err),
                 &err);
    ph_ledger_batch *b = NULL;
    ph_assert_ok(ph_ledger_batch_new(fx->store, day("2026-03-31"), "cob", "m", &b, &err), &err);
    for (int k = 0; k < 8; k++)
        ph_assert_ok(ph_ledger_batch_add(b, &lines[k], &err), &err);
    ph_assert_ok(ph_ledger_batch_commit(b, NULL, &err), &err);
    ph_ledger_batch_free(b);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM journal_line a JOIN journal_line b "
                                       "ON a.entry_id = 1 AND b.entry_id = 2 AND "
                                       "a.line_no = b.line_no AND a.account = b.account AND "
                                       "a.product = b.product AND a.debit = b.debit AND "
                                       "a.credit = b.credit"),
                     ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM journal_line WHERE entry_id = 1"));
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM ledger_subledger a JOIN "
                                       "ledger_subledger b ON a.entry_id = 1 AND b.entry_id = 2 "
                                       "AND b.id = a.id + 4 AND a.loan_id = b.loan_id AND "
                                       "a.account = b.account AND a.debit = b.debit"),
                     4);
}

static void test_refused_line_leaves_batch_usable(void **state)
{
    fixture *fx = *state;
    ph_ledger_batch *b = NULL;
    ph_error err;
    ph_assert_ok(ph_ledger_batch_new(fx->store, day("2026-03-31"), "cob", NULL, &b, &err), &err);
    ph_ledger_line lines[4];
    loan_lines(1, lines);
    ph_assert_ok(ph_ledger_batch_add(b, &lines[0], &err), &err);
    ph_ledger_line bad = {"1311", 0, "micro", "", 5, 0};
    ph_assert_error(ph_ledger_batch_add(b, &bad, &err), PH_EINVAL, &err,
                    "field lines[1].loan_id, value '0'");
    bad = (ph_ledger_line){"1311", 3, "micro", "", 5, 5};
    ph_assert_error(ph_ledger_batch_add(b, &bad, &err), PH_EINVAL, &err, "lines[1].debit");
    bad = (ph_ledger_line){"1311", 3, "micro", "", INT64_MAX, 0};
    ph_assert_error(ph_ledger_batch_add(b, &bad, &err), PH_ERANGE, &err, NULL);
    /* unbalanced: refused, nothing written, and it can still be completed */
    ph_assert_error(ph_ledger_batch_commit(b, NULL, &err), PH_EINVAL, &err, "must balance");
    ph_assert_ok(ph_ledger_batch_add(b, &lines[1], &err), &err);
    assert_int_equal(ph_ledger_batch_count(b), 2);
    int64_t id = 0;
    ph_assert_ok(ph_ledger_batch_commit(b, &id, &err), &err);
    assert_int_equal(id, 1);
    ph_assert_error(ph_ledger_batch_commit(b, &id, &err), PH_EMISUSE, &err, "committed already");
    ph_ledger_batch_free(b);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM ledger_subledger"), 1);
    ph_assert_error(ph_ledger_batch_new(fx->store, day("2026-03-31"), "COB", NULL, &b, &err),
                    PH_EINVAL, &err, "field event, value 'COB'");
}

static void test_empty_batch_writes_nothing(void **state)
{
    fixture *fx = *state;
    ph_ledger_batch *b = NULL;
    ph_error err;
    ph_assert_ok(ph_ledger_batch_new(fx->store, day("2026-03-31"), "cob", NULL, &b, &err), &err);
    int64_t id = -1;
    ph_assert_ok(ph_ledger_batch_commit(b, &id, &err), &err);
    ph_ledger_batch_free(b);
    assert_int_equal(id, 0);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_entry"), 0);
}

/* In the caller's transaction: its rollback takes the entry back, and the
 * next entry is number 1 again (nothing was ever committed). */
static void test_batch_joins_callers_transaction(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_assert_ok(ph_store_begin(fx->store, &err), &err);
    ph_ledger_batch *b = NULL;
    ph_assert_ok(ph_ledger_batch_new(fx->store, day("2026-03-31"), "cob", NULL, &b, &err), &err);
    ph_ledger_line lines[4];
    for (int64_t loan = 1; loan <= 100; loan++) {
        loan_lines(loan, lines);
        for (int k = 0; k < 4; k++)
            ph_assert_ok(ph_ledger_batch_add(b, &lines[k], &err), &err);
    }
    ph_assert_ok(ph_ledger_batch_commit(b, NULL, &err), &err);
    ph_ledger_batch_free(b);
    assert_true(ph_store_in_transaction(fx->store));
    ph_assert_ok(ph_store_rollback(fx->store, &err), &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM ledger_subledger"), 0);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM journal_entry"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_batch_of_100k_loans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_equals_post, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_line_leaves_batch_usable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_batch_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_joins_callers_transaction, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
