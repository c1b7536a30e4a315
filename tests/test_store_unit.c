/*
 * ph_store_begin_unit: one transaction in which code that runs its own
 * transactions nests as savepoints, on a real SQLite file.
 */
#include <stdlib.h>

#include "ph_test.h"

typedef struct unit_fx {
    ph_ctx *ctx;
    char *dir;
    ph_store *store;
} unit_fx;

static int setup(void **state)
{
    unit_fx *f = calloc(1, sizeof(*f));
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &f->ctx, &err), &err);
    f->dir = ph_test_tmpdir("store_unit");
    char *path = ph_test_path(f->dir, "unit.db");
    ph_assert_ok(ph_store_open(f->ctx, path, NULL, &f->store, &err), &err);
    free(path);
    ph_test_exec(f->store, "CREATE TABLE t (x INTEGER)");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    unit_fx *f = *state;
    ph_store_free(f->store);
    ph_test_rmtree(f->dir);
    free(f->dir);
    ph_ctx_free(f->ctx);
    free(f);
    return 0;
}

static int64_t rows(unit_fx *f)
{
    return ph_test_query_int(f->store, "SELECT count(*) FROM t");
}

static void test_nested_work_commits_with_the_unit(void **state)
{
    unit_fx *f = *state;
    ph_error err;
    ph_assert_ok(ph_store_begin_unit(f->store, &err), &err);
    /* a nested transaction that fails: only its own work is undone */
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (1)");
    ph_assert_ok(ph_store_rollback(f->store, &err), &err);
    assert_true(ph_store_in_transaction(f->store));
    assert_int_equal(rows(f), 0);
    /* one that succeeds: kept for the unit */
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (2)");
    ph_assert_ok(ph_store_begin(f->store, &err), &err); /* deeper still */
    ph_test_exec(f->store, "INSERT INTO t VALUES (3)");
    ph_assert_ok(ph_store_commit(f->store, &err), &err);
    ph_assert_ok(ph_store_commit(f->store, &err), &err);
    assert_true(ph_store_in_transaction(f->store));
    ph_assert_ok(ph_store_commit(f->store, &err), &err); /* the unit's own */
    assert_false(ph_store_in_transaction(f->store));
    assert_int_equal(rows(f), 2);
    /* after the unit, transactions do not nest again */
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    assert_int_equal(ph_store_begin(f->store, &err), PH_EMISUSE);
    ph_assert_ok(ph_store_rollback(f->store, &err), &err);
}

static void test_unit_rollback_undoes_nested_commits(void **state)
{
    unit_fx *f = *state;
    ph_error err;
    ph_assert_ok(ph_store_begin_unit(f->store, &err), &err);
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (1)");
    ph_assert_ok(ph_store_commit(f->store, &err), &err);
    ph_assert_ok(ph_store_rollback(f->store, &err), &err);
    assert_false(ph_store_in_transaction(f->store));
    assert_int_equal(rows(f), 0);
}

static void test_units_do_not_nest(void **state)
{
    unit_fx *f = *state;
    ph_error err;
    ph_assert_ok(ph_store_begin_unit(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (1)");
    ph_assert_error(ph_store_begin_unit(f->store, &err), PH_EMISUSE, &err, "units do not nest");
    ph_assert_ok(ph_store_commit(f->store, &err), &err); /* the outer unit is intact */
    assert_int_equal(rows(f), 1);
    /* nor does a unit open inside a plain transaction */
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    assert_int_equal(ph_store_begin_unit(f->store, &err), PH_EMISUSE);
    ph_assert_ok(ph_store_rollback(f->store, &err), &err);
}

/* An error while a nested transaction is still open (its begin without a
 * commit or rollback): ending the unit undoes everything and leaves no
 * transaction open, where ph_store_rollback would undo only the savepoint. */
static void test_end_unit_rolls_back_whatever_the_depth(void **state)
{
    unit_fx *f = *state;
    ph_error err;
    ph_assert_ok(ph_store_begin_unit(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (1)");
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (2)");
    ph_assert_ok(ph_store_begin(f->store, &err), &err); /* two deep, the error raised here */
    ph_test_exec(f->store, "INSERT INTO t VALUES (3)");
    ph_assert_ok(ph_store_end_unit(f->store, 0, &err), &err);
    assert_false(ph_store_in_transaction(f->store));
    assert_int_equal(rows(f), 0);
    /* the store is usable again: a plain transaction does not nest */
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    assert_int_equal(ph_store_begin(f->store, &err), PH_EMISUSE);
    ph_assert_ok(ph_store_rollback(f->store, &err), &err);
    /* rolling back with nothing open does nothing */
    ph_assert_ok(ph_store_end_unit(f->store, 0, &err), &err);
}

/* Committing with a nested transaction still open is a bug in the caller:
 * PH_EMISUSE, and the whole unit rolled back, not half of it committed. */
static void test_end_unit_commit_needs_depth_zero(void **state)
{
    unit_fx *f = *state;
    ph_error err;
    ph_assert_ok(ph_store_begin_unit(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (1)");
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (2)");
    ph_assert_error(ph_store_end_unit(f->store, 1, &err), PH_EMISUSE, &err,
                    "1 nested transaction is still open");
    assert_false(ph_store_in_transaction(f->store));
    assert_int_equal(rows(f), 0);
    /* at depth 0 it commits */
    ph_assert_ok(ph_store_begin_unit(f->store, &err), &err);
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    ph_test_exec(f->store, "INSERT INTO t VALUES (4)");
    ph_assert_ok(ph_store_commit(f->store, &err), &err);
    ph_assert_ok(ph_store_end_unit(f->store, 1, &err), &err);
    assert_false(ph_store_in_transaction(f->store));
    assert_int_equal(rows(f), 1);
    /* nothing to commit, or not a unit: misuse, and a plain transaction is left alone */
    ph_assert_error(ph_store_end_unit(f->store, 1, &err), PH_EMISUSE, &err, "no unit is open");
    ph_assert_ok(ph_store_begin(f->store, &err), &err);
    ph_assert_error(ph_store_end_unit(f->store, 0, &err), PH_EMISUSE, &err, "not a unit");
    assert_true(ph_store_in_transaction(f->store));
    ph_assert_ok(ph_store_rollback(f->store, &err), &err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nested_work_commits_with_the_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_rollback_undoes_nested_commits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_units_do_not_nest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_unit_rolls_back_whatever_the_depth, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_end_unit_commit_needs_depth_zero, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
