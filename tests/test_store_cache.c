/* The SQLite backend's per-connection statement cache (src/store/sqlite.c):
 * a freed statement is reset, unbound and reused by the next prepare of the
 * same SQL; statements in use are never shared; the cache is bounded; a
 * cached statement holds no read transaction and survives migrations. */
#include "ph_test.h"

#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    char *path;
    ph_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_error err;
    ph_error_clear(&err);
    assert_int_equal(ph_ctx_new(NULL, &f->ctx, &err), PH_OK);
    f->dir = ph_test_tmpdir("store_cache");
    f->path = ph_test_path(f->dir, "cache.db");
    ph_assert_ok(ph_store_open(f->ctx, f->path, NULL, &f->store, &err), &err);
    ph_test_exec(f->store, "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)");
    ph_test_exec(f->store, "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL)");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_store_free(f->store);
    ph_ctx_free(f->ctx);
    ph_test_rmtree(f->dir);
    free(f->path);
    free(f->dir);
    free(f);
    return 0;
}

static ph_stmt *prepare(ph_store *store, const char *sql)
{
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_prepare(store, sql, &stmt, &err), &err);
    return stmt;
}

static const char ROWS_SQL[] = "SELECT id, x, ?1 IS NULL AS unbound FROM t ORDER BY id";

/* A statement freed with a row pending and a value bound comes back from
 * the cache reset (first row again) and unbound (?1 is NULL), with its
 * column names and NULLs as before. */
static void test_hit_is_reset_and_unbound(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_error_clear(&err);
    assert_int_equal(store_cached_statements(f->store), 0);

    ph_stmt *stmt = prepare(f->store, ROWS_SQL);
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, "bound", -1, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 2);
    assert_int_equal(ph_stmt_column_int64(stmt, 2), 0);
    ph_stmt_free(stmt); /* a row still pending */
    assert_int_equal(store_cached_statements(f->store), 1);

    stmt = prepare(f->store, ROWS_SQL);
    assert_int_equal(store_cached_statements(f->store), 0); /* taken: a hit */
    assert_int_equal(ph_stmt_column_count(stmt), 3);
    assert_string_equal(ph_stmt_column_name(stmt, 2), "unbound");
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 1);
    assert_int_equal(ph_stmt_column_int64(stmt, 2), 1);
    assert_string_equal(ph_stmt_column_text(stmt, 1), "one");
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_true(ph_stmt_column_is_null(stmt, 1));
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    /* stepping after the end runs it again, as an uncached one does */
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 1);
    ph_stmt_free(stmt);

    /* the same SQL with other spacing is another statement */
    stmt = prepare(f->store, "SELECT id, x, ?1 IS NULL AS unbound FROM t ORDER BY id ");
    assert_int_equal(store_cached_statements(f->store), 1);
    ph_stmt_free(stmt);
    assert_int_equal(store_cached_statements(f->store), 2);

    /* writes are cached too, and a cached insert runs again */
    for (int i = 0; i < 2; i++) {
        stmt = prepare(f->store, "INSERT INTO t (x) VALUES (?) RETURNING id");
        ph_assert_ok(ph_stmt_bind_text(stmt, 1, "new", -1, &err), &err);
        int64_t id = 0;
        ph_assert_ok(ph_stmt_step_id(stmt, &id, &err), &err);
        assert_int_equal(id, 4 + i);
        ph_stmt_free(stmt);
    }
    assert_int_equal(store_cached_statements(f->store), 3);

    /* DDL and transaction control are not cached */
    stmt = prepare(f->store, "CREATE TABLE u (y INTEGER)");
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_stmt_free(stmt);
    stmt = prepare(f->store, "BEGIN");
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_stmt_free(stmt);
    ph_assert_ok(ph_store_rollback(f->store, &err), &err);
    assert_int_equal(store_cached_statements(f->store), 3);
}

/* Two uses of the same SQL at once on one connection get two statements,
 * each with its own position and bindings. */
static void test_same_sql_twice_at_once(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_error_clear(&err);
    const char *sql = "SELECT id, ?1 FROM t WHERE id >= ?2 ORDER BY id";
    ph_stmt *outer = prepare(f->store, sql);
    ph_stmt_free(outer);
    outer = prepare(f->store, sql); /* from the cache */
    ph_assert_ok(ph_stmt_bind_text(outer, 1, "outer", -1, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(outer, 2, 1, &err), &err);
    ph_assert_ok(ph_stmt_step(outer, &err), &err);

    ph_stmt *inner = prepare(f->store, sql); /* the cache is empty: a fresh one */
    assert_ptr_not_equal(inner, outer);
    ph_assert_ok(ph_stmt_bind_text(inner, 1, "inner", -1, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(inner, 2, 3, &err), &err);
    ph_assert_ok(ph_stmt_step(inner, &err), &err);
    assert_int_equal(ph_stmt_column_int64(inner, 0), 3);
    assert_string_equal(ph_stmt_column_text(inner, 1), "inner");

    ph_assert_ok(ph_stmt_step(outer, &err), &err); /* the outer goes on undisturbed */
    assert_int_equal(ph_stmt_column_int64(outer, 0), 2);
    assert_string_equal(ph_stmt_column_text(outer, 1), "outer");

    ph_stmt_free(inner);
    assert_int_equal(store_cached_statements(f->store), 1);
    /* the outer still runs while its twin waits in the cache */
    ph_assert_ok(ph_stmt_step(outer, &err), &err);
    assert_int_equal(ph_stmt_column_int64(outer, 0), 3);
    ph_stmt_free(outer);
    assert_int_equal(store_cached_statements(f->store), 2);

    /* both come back out, one each */
    outer = prepare(f->store, sql);
    inner = prepare(f->store, sql);
    assert_int_equal(store_cached_statements(f->store), 0);
    ph_stmt_free(outer);
    ph_stmt_free(inner);
}

/* The cache holds at most 64 statements and drops the one returned
 * longest ago. */
static void test_eviction(void **state)
{
    fixture *f = *state;
    char sql[64];
    for (int i = 0; i < 80; i++) {
        snprintf(sql, sizeof(sql), "SELECT %d FROM t", i);
        ph_stmt_free(prepare(f->store, sql));
        if (i == 40) { /* touch the first one again: now it is recent */
            ph_stmt_free(prepare(f->store, "SELECT 0 FROM t"));
        }
    }
    assert_int_equal(store_cached_statements(f->store), 64);
    /* 1..16 (returned longest ago) were dropped; 0 was kept by its touch */
    ph_stmt *stmt = prepare(f->store, "SELECT 1 FROM t");
    assert_int_equal(store_cached_statements(f->store), 64); /* a miss */
    ph_stmt_free(stmt);
    stmt = prepare(f->store, "SELECT 0 FROM t");
    assert_int_equal(store_cached_statements(f->store), 63); /* a hit */
    ph_stmt_free(stmt);
    stmt = prepare(f->store, "SELECT 79 FROM t");
    assert_int_equal(store_cached_statements(f->store), 63); /* a hit */
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 79);
    ph_stmt_free(stmt);
}

/* A cached statement holds no read transaction: a WAL checkpoint TRUNCATE
 * from another connection succeeds while it waits in the cache, even when
 * it was freed in the middle of its rows. */
static void test_cached_statement_blocks_no_checkpoint(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_store_options quick = {.busy_timeout_ms = 50};
    ph_store *other = NULL;
    ph_assert_ok(ph_store_open(f->ctx, f->path, &quick, &other, &err), &err);
    ph_test_exec(other, "INSERT INTO t (x) VALUES ('from the other')");

    ph_stmt *stmt = prepare(f->store, "SELECT id FROM t ORDER BY id");
    ph_assert_ok(ph_stmt_step(stmt, &err), &err); /* reading: a snapshot is held */
    ph_stmt_free(stmt);
    assert_int_equal(store_cached_statements(f->store), 1);
    assert_false(ph_store_in_transaction(f->store));

    ph_test_exec(other, "INSERT INTO t (x) VALUES ('later')");
    ph_stmt *ckpt = prepare(other, "PRAGMA wal_checkpoint(TRUNCATE)");
    ph_assert_ok(ph_stmt_step(ckpt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(ckpt, 0), 0); /* not blocked by a reader */
    assert_int_equal(ph_stmt_column_int64(ckpt, 1), 0); /* the log is empty */
    ph_stmt_free(ckpt);
    ph_store_free(other);

    /* and the cached statement reads the new rows */
    stmt = prepare(f->store, "SELECT id FROM t ORDER BY id");
    assert_int_equal(store_cached_statements(f->store), 0);
    int rows = 0;
    while (ph_stmt_step(stmt, &err) == PH_OK)
        rows++;
    assert_int_equal(rows, 5);
    ph_stmt_free(stmt);
}

static const ph_migration MIGRATIONS[] = {
    {1, "table", "CREATE TABLE m (id INTEGER PRIMARY KEY, a TEXT)", NULL},
    {2, "column b", "ALTER TABLE m ADD COLUMN b TEXT; CREATE INDEX m_a ON m (a)", NULL},
};

/* A statement cached before a migration works after it: SQLite compiles it
 * again for the new schema, and `SELECT *` shows the new column. */
static void test_cached_statement_survives_migration(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_migrate(f->store, MIGRATIONS, 2, 1, NULL, &err), &err);
    ph_test_exec(f->store, "INSERT INTO m (a) VALUES ('x')");
    ph_stmt *named = prepare(f->store, "SELECT a FROM m WHERE a = ?");
    ph_stmt *star = prepare(f->store, "SELECT * FROM m");
    assert_int_equal(ph_stmt_column_count(star), 2);
    ph_stmt_free(named);
    ph_stmt_free(star); /* (the migrations' own statements are cached too) */

    ph_assert_ok(ph_store_migrate(f->store, MIGRATIONS, 2, -1, NULL, &err), &err);
    ph_test_exec(f->store, "UPDATE m SET b = 'y'");

    size_t cached = store_cached_statements(f->store);
    named = prepare(f->store, "SELECT a FROM m WHERE a = ?");
    assert_int_equal(store_cached_statements(f->store), cached - 1); /* a hit */
    ph_assert_ok(ph_stmt_bind_text(named, 1, "x", -1, &err), &err);
    ph_assert_ok(ph_stmt_step(named, &err), &err);
    assert_string_equal(ph_stmt_column_text(named, 0), "x");
    ph_stmt_free(named);

    star = prepare(f->store, "SELECT * FROM m");
    assert_int_equal(store_cached_statements(f->store), cached - 1); /* a hit */
    ph_assert_ok(ph_stmt_step(star, &err), &err);
    assert_int_equal(ph_stmt_column_count(star), 3);
    assert_string_equal(ph_stmt_column_name(star, 2), "b");
    assert_string_equal(ph_stmt_column_text(star, 2), "y");
    ph_stmt_free(star);
}

/* Closing a store with statements in its cache finalises them (ASan's leak
 * check sees the rest); a fresh store has an empty cache. */
static void test_free_with_cached_statements(void **state)
{
    fixture *f = *state;
    char sql[64];
    for (int i = 0; i < 10; i++) {
        snprintf(sql, sizeof(sql), "SELECT x FROM t WHERE id = %d", i);
        ph_stmt_free(prepare(f->store, sql));
    }
    ph_stmt *open_one = prepare(f->store, ROWS_SQL); /* and one left open */
    (void)open_one;
    assert_int_equal(store_cached_statements(f->store), 10);
    ph_store_free(f->store);
    f->store = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_open(f->ctx, f->path, NULL, &f->store, &err), &err);
    assert_int_equal(store_cached_statements(f->store), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hit_is_reset_and_unbound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_sql_twice_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cached_statement_blocks_no_checkpoint, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cached_statement_survives_migration, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_free_with_cached_statements, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
