/* The store layer on SQLite (src/store): opening, SQL, statements,
 * transactions, error mapping, locking and introspection. */
#include "ph_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Per-program fixture: a temporary directory and a context whose log is
 * captured, so that warnings can be asserted. */
typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    int log_calls;
    char last_log[512];
} fixture;

static void capture_log(void *user, ph_log_level level, const char *message)
{
    fixture *fx = user;
    (void)level;
    fx->log_calls++;
    snprintf(fx->last_log, sizeof(fx->last_log), "%s", message);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->dir = ph_test_tmpdir("store");
    ph_ctx_options opts = {.log = capture_log, .log_user = fx, .log_level = PH_LOG_WARN};
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_ctx_new(&opts, &fx->ctx, &err), &err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_ctx_free(fx->ctx);
    ph_test_rmtree(fx->dir);
    free(fx->dir);
    free(fx);
    return 0;
}

static ph_store *open_store(fixture *fx, const char *file, const ph_store_options *opts)
{
    char *path = ph_test_path(fx->dir, file);
    ph_store *store = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_open(fx->ctx, path, opts, &store, &err), &err);
    free(path);
    return store;
}

/* The single text a query returns, copied into `out`. */
static void query_text(ph_store *store, const char *sql, char *out, size_t size)
{
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_prepare(store, sql, &stmt, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    const char *text = ph_stmt_column_text(stmt, 0);
    assert_non_null(text);
    snprintf(out, size, "%s", text);
    ph_stmt_free(stmt);
}

/* --- opening ----------------------------------------------------------------- */

static void test_open_creates_and_configures(void **state)
{
    fixture *fx = *state;
    char *path = ph_test_path(fx->dir, "created.db");
    ph_store *store = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &store, &err), &err);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_string_equal(ph_store_backend_name(store), "sqlite");
    assert_string_equal(ph_store_uri(store), path);

    char mode[32];
    query_text(store, "PRAGMA journal_mode", mode, sizeof(mode));
    assert_string_equal(mode, "wal");
    assert_int_equal(ph_test_query_int(store, "PRAGMA foreign_keys"), 1);
    assert_int_equal(ph_test_query_int(store, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(ph_test_query_int(store, "PRAGMA busy_timeout"), 5000);
    ph_store_free(store);

    /* "sqlite:" prefix (any case) and an explicit busy timeout */
    size_t len = strlen(path) + 8;
    char *uri = malloc(len);
    assert_non_null(uri);
    snprintf(uri, len, "SQLite:%s", path);
    ph_store_options opts = {.busy_timeout_ms = 250};
    ph_assert_ok(ph_store_open(fx->ctx, uri, &opts, &store, &err), &err);
    assert_string_equal(ph_store_uri(store), uri);
    assert_int_equal(ph_test_query_int(store, "PRAGMA busy_timeout"), 250);
    ph_store_free(store);
    free(uri);
    free(path);

    assert_null(ph_store_backend_name(NULL));
    assert_null(ph_store_uri(NULL));
    ph_store_free(NULL);
}

static void test_open_must_exist(void **state)
{
    fixture *fx = *state;
    char *path = ph_test_path(fx->dir, "absent.db");
    ph_store_options opts = {.must_exist = 1};
    ph_store *store = NULL;
    ph_error err;
    ph_error_clear(&err);
    char expected[1024];
    snprintf(expected, sizeof(expected), "no database at %s; run `puhui init` first", path);
    ph_assert_error(ph_store_open(fx->ctx, path, &opts, &store, &err), PH_ENOTFOUND, &err,
                    NULL);
    assert_string_equal(err.message, expected);
    assert_null(store);
    assert_int_not_equal(access(path, F_OK), 0); /* nothing was created */

    ph_store_free(open_store(fx, "absent.db", NULL)); /* `puhui init` */
    ph_assert_ok(ph_store_open(fx->ctx, path, &opts, &store, &err), &err);
    ph_store_free(store);
    free(path);
}

static void test_open_errors(void **state)
{
    fixture *fx = *state;
    ph_store *store = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_error(ph_store_open(NULL, "x.db", NULL, &store, &err), PH_EMISUSE, &err,
                    "ph_store_open: ctx, uri and out must not be NULL");
    ph_assert_error(ph_store_open(fx->ctx, NULL, NULL, &store, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_store_open(fx->ctx, "x.db", NULL, NULL, &err), PH_EMISUSE, &err, NULL);

    ph_assert_error(ph_store_open(fx->ctx, "", NULL, &store, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "field uri: expected a database path after the scheme, got nothing");
    ph_assert_error(ph_store_open(fx->ctx, "sqlite:", NULL, &store, &err), PH_EINVAL, &err,
                    "field uri, value 'sqlite:': expected a database path");

    ph_store_options negative = {.busy_timeout_ms = -1};
    ph_assert_error(ph_store_open(fx->ctx, "x.db", &negative, &store, &err), PH_EINVAL, &err,
                    NULL);
    assert_string_equal(err.message,
                        "field busy_timeout_ms: expected milliseconds >= 0 (0 means 5000), got -1");

    /* PostgreSQL is recognised but not built in; the URI's password is not
     * repeated in the message. */
    const char *pg[] = {"postgresql://puhui:s3cret@db.example/puhui",
                        "postgres://puhui:s3cret@db.example/puhui",
                        "PostgreSQL://localhost/puhui"};
    for (size_t i = 0; i < sizeof(pg) / sizeof(pg[0]); i++) {
        ph_assert_error(ph_store_open(fx->ctx, pg[i], NULL, &store, &err), PH_EINVAL, &err,
                        NULL);
        assert_string_equal(err.message, "field uri: the PostgreSQL backend is not built into "
                                         "this puhui; use a SQLite path");
    }
    ph_assert_error(ph_store_open(fx->ctx, "mysql://root:s3cret@h/db", NULL, &store, &err),
                    PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field uri, value 'mysql': unknown store scheme; expected "
                                     "a SQLite path or sqlite:PATH");
    assert_null(strstr(err.message, "s3cret"));

    /* a directory that does not exist: an I/O error naming the path */
    char *bad = ph_test_path(fx->dir, "no/such/dir/x.db");
    char expected[1024];
    snprintf(expected, sizeof(expected),
             "cannot open the database %s: No such file or directory", bad);
    ph_assert_error(ph_store_open(fx->ctx, bad, NULL, &store, &err), PH_EIO, &err, NULL);
    assert_string_equal(err.message, expected);
    free(bad);

    /* a file that is not a database */
    char *junk = ph_test_path(fx->dir, "junk.db");
    ph_test_write_file(junk, "loan_id,amount\n1,100.00\n this is CSV, not SQLite, padded out "
                             "past the 100-byte SQLite header............\n");
    snprintf(expected, sizeof(expected),
             "%s is not a SQLite database; expected a file made by `puhui init`", junk);
    ph_assert_error(ph_store_open(fx->ctx, junk, NULL, &store, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, expected);
    free(junk);
    assert_null(store);
}

static void test_open_read_only(void **state)
{
    fixture *fx = *state;
    ph_store *rw = open_store(fx, "ro.db", NULL);
    ph_test_exec(rw, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (41), (1);");
    ph_store_free(rw);

    ph_store_options opts = {.read_only = 1};
    ph_store *ro = open_store(fx, "ro.db", &opts);
    assert_int_equal(ph_test_query_int(ro, "SELECT SUM(x) FROM t"), 42);
    ph_error err;
    ph_error_clear(&err);
    ph_assert_error(ph_store_exec(ro, "INSERT INTO t VALUES (1)", &err), PH_ESTORE, &err,
                    "attempt to write a readonly database");
    /* a read transaction is allowed and is a snapshot */
    ph_assert_ok(ph_store_begin(ro, &err), &err);
    assert_true(ph_store_in_transaction(ro));
    assert_int_equal(ph_test_query_int(ro, "SELECT COUNT(*) FROM t"), 2);
    ph_assert_ok(ph_store_commit(ro, &err), &err);
    ph_store_free(ro);

    /* read-only never creates */
    char *path = ph_test_path(fx->dir, "ro-absent.db");
    ph_assert_error(ph_store_open(fx->ctx, path, &opts, &ro, &err), PH_ENOTFOUND, &err,
                    "; run `puhui init` first");
    assert_int_not_equal(access(path, F_OK), 0);
    free(path);
}

static void test_memory_database(void **state)
{
    fixture *fx = *state;
    ph_store *store = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_open(fx->ctx, ":memory:", NULL, &store, &err), &err);
    ph_test_exec(store, "CREATE TABLE t (x); INSERT INTO t VALUES (7);");
    assert_int_equal(ph_test_query_int(store, "SELECT x FROM t"), 7);
    ph_store_free(store);
}

/* A new row's id comes from the insert itself (RETURNING), even when a row
 * with a larger id exists already, where `SELECT max(id)` would be wrong. */
static void test_step_id(void **state)
{
    fixture *fx = *state;
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(fx->ctx, ":memory:", NULL, &store, &err), &err);
    ph_test_exec(store, "CREATE TABLE t (id INTEGER PRIMARY KEY, x); INSERT INTO t VALUES (9, 0);");
    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(store, "INSERT INTO t (id, x) VALUES (?, 1) RETURNING id",
                                  &stmt, &err),
                 &err);
    int64_t id = 0;
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, 4, &err), &err);
    ph_assert_ok(ph_stmt_step_id(stmt, &id, &err), &err);
    assert_int_equal(id, 4);
    /* reset: ready to run again */
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, 5, &err), &err);
    ph_assert_ok(ph_stmt_step_id(stmt, &id, &err), &err);
    assert_int_equal(id, 5);
    ph_stmt_free(stmt);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM t"), 3);
    /* an insert without RETURNING gives no id, and *id is left alone */
    ph_assert_ok(ph_store_prepare(store, "INSERT INTO t (x) VALUES (2)", &stmt, &err), &err);
    ph_assert_error(ph_stmt_step_id(stmt, &id, &err), PH_ESTORE, &err,
                    "expected the insert to return the new row's id (INSERT ... RETURNING id)");
    assert_int_equal(id, 5);
    ph_assert_error(ph_stmt_step_id(stmt, NULL, &err), PH_EMISUSE, &err, NULL);
    ph_stmt_free(stmt);
    ph_store_free(store);
}

/* --- exec ----------------------------------------------------------------------- */

static void test_exec(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "exec.db", NULL);
    ph_error err;
    ph_error_clear(&err);
    /* several statements, comments, empty statements, a pragma's rows ignored */
    ph_test_exec(store, "-- set up\n"
                   "CREATE TABLE a (x INTEGER);;\n"
                   "/* two rows */ INSERT INTO a VALUES (1), (2);\n"
                   "PRAGMA user_version = 3;\n"
                   "PRAGMA journal_mode;\n"
                   "  ");
    ph_test_exec(store, "");
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM a"), 2);
    assert_int_equal(ph_test_query_int(store, "PRAGMA user_version"), 3);

    ph_assert_error(ph_store_exec(store, "CREAT TABLE b (x)", &err), PH_ESTORE, &err, NULL);
    assert_string_equal(err.message,
                        "near \"CREAT\": syntax error (SQLite code 1) in SQL \"CREAT TABLE b (x)\"");

    /* the failing statement of several is the one quoted; whitespace is
     * folded and a long statement is cut at 60 bytes with "..." */
    ph_assert_error(ph_store_exec(store,
                                  "INSERT INTO a VALUES (3);\n"
                                  "SELECT x,\n       x + 1,\n       x + 2\n  FROM no_such_table "
                                  "WHERE x > 0 AND x < 100 ORDER BY x",
                                  &err),
                    PH_ESTORE, &err, NULL);
    assert_string_equal(err.message, "no such table: no_such_table (SQLite code 1) in SQL "
                                     "\"SELECT x, x + 1, x + 2 FROM no_such_table WHERE x > 0 "
                                     "AND x...\"");
    /* statements before the failing one have run (no implicit transaction) */
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM a"), 3);

    ph_assert_error(ph_store_exec(NULL, "SELECT 1", &err), PH_EMISUSE, &err,
                    "ph_store_exec: store and sql must not be NULL");
    ph_assert_error(ph_store_exec(store, NULL, &err), PH_EMISUSE, &err, NULL);
    /* err may be NULL */
    assert_int_equal(ph_store_exec(store, "CREAT", NULL), PH_ESTORE);
    ph_store_free(store);
}

/* --- statements ------------------------------------------------------------------ */

static void test_statement_every_type(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "types.db", NULL);
    ph_test_exec(store, "CREATE TABLE v (i INTEGER, r REAL, t TEXT, n TEXT)");
    ph_error err;
    ph_error_clear(&err);
    ph_stmt *ins = NULL;
    ph_assert_ok(ph_store_prepare(store, "INSERT INTO v (i, r, t, n) VALUES (?, ?, ?, ?);",
                                  &ins, &err),
                 &err);
    const int64_t ints[] = {INT64_MIN, -1, 0, 1, INT64_MAX};
    for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++) {
        /* bind, step, bind, step: a finished statement is reset by the bind */
        char text[32];
        snprintf(text, sizeof(text), "row %zu and tail", k);
        ph_assert_ok(ph_stmt_bind_int64(ins, 1, ints[k], &err), &err);
        ph_assert_ok(ph_stmt_bind_double(ins, 2, 0.1 * (double)k - 1e300, &err), &err);
        ph_assert_ok(ph_stmt_bind_text(ins, 3, text, 5, &err), &err); /* "row N" only */
        ph_assert_ok(ph_stmt_bind_null(ins, 4, &err), &err);
        assert_int_equal(ph_stmt_step(ins, &err), PH_DONE);
        assert_int_equal(ph_store_changes(store), 1);
    }
    ph_stmt_free(ins);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM v"), 5);

    ph_stmt *sel = NULL;
    ph_assert_ok(ph_store_prepare(store, "SELECT i, r, t, n AS absent FROM v ORDER BY rowid",
                                  &sel, &err),
                 &err);
    assert_int_equal(ph_stmt_column_count(sel), 4);
    assert_string_equal(ph_stmt_column_name(sel, 0), "i");
    assert_string_equal(ph_stmt_column_name(sel, 3), "absent");
    assert_null(ph_stmt_column_name(sel, 4));
    assert_null(ph_stmt_column_name(sel, -1));
    for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++) {
        ph_assert_ok(ph_stmt_step(sel, &err), &err);
        char text[32];
        snprintf(text, sizeof(text), "row %zu", k);
        assert_true(ph_stmt_column_int64(sel, 0) == ints[k]);
        assert_true(ph_stmt_column_double(sel, 1) == 0.1 * (double)k - 1e300);
        assert_string_equal(ph_stmt_column_text(sel, 2), text);
        assert_false(ph_stmt_column_is_null(sel, 2));
        assert_true(ph_stmt_column_is_null(sel, 3));
        assert_null(ph_stmt_column_text(sel, 3));
        assert_int_equal(ph_stmt_column_int64(sel, 3), 0);
    }
    assert_int_equal(ph_stmt_step(sel, &err), PH_DONE);
    /* stepping a finished statement runs it again */
    ph_assert_ok(ph_stmt_step(sel, &err), &err);
    assert_true(ph_stmt_column_int64(sel, 0) == INT64_MIN);
    ph_assert_ok(ph_stmt_reset(sel, &err), &err);
    ph_assert_ok(ph_stmt_step(sel, &err), &err);
    assert_true(ph_stmt_column_int64(sel, 0) == INT64_MIN);
    ph_stmt_free(sel);

    /* UPDATE changes */
    ph_test_exec(store, "UPDATE v SET n = 'x' WHERE i >= 0");
    assert_int_equal(ph_store_changes(store), 3);
    assert_int_equal(ph_store_changes(NULL), 0);
    ph_store_free(store);
}

static void test_bindings_are_kept_across_reset(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "keep.db", NULL);
    ph_error err;
    ph_error_clear(&err);
    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(store, "SELECT ? + ?", &stmt, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, 40, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 2, 2, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 42);
    ph_assert_ok(ph_stmt_reset(stmt, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 2, 3, &err), &err); /* only the second */
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 43);
    ph_stmt_free(stmt);
    ph_store_free(store);
}

/* The static binding reads the caller's bytes when the statement runs, not
 * when it is bound: a change in between shows, where ph_stmt_bind_text's
 * copy does not. */
static void test_bind_text_static(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "static.db", NULL);
    ph_test_exec(store, "CREATE TABLE s (a TEXT, b TEXT)");
    ph_error err;
    ph_error_clear(&err);
    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(store, "INSERT INTO s VALUES (?, ?)", &stmt, &err), &err);
    char copied[] = "before", shared[] = "before and tail";
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, copied, -1, &err), &err);
    ph_assert_ok(ph_stmt_bind_text_static(stmt, 2, shared, 6, &err), &err); /* "before" */
    memcpy(copied, "after!", 6);
    memcpy(shared, "after!", 6);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    /* NUL-terminated length, and a second row through the same statement */
    ph_assert_ok(ph_stmt_bind_text_static(stmt, 1, "whole", -1, &err), &err);
    ph_assert_ok(ph_stmt_bind_text_static(stmt, 2, "", 0, &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);

    ph_assert_error(ph_stmt_bind_text_static(stmt, 3, "a", -1, &err), PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field index: ph_stmt_bind_text_static: expected a "
                                     "parameter index from 1 to 2, got 3");
    ph_assert_error(ph_stmt_bind_text_static(stmt, 1, NULL, 0, &err), PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "ph_stmt_bind_text_static: value is NULL (bind SQL NULL "
                                     "with ph_stmt_bind_null)");
    ph_assert_error(ph_stmt_bind_text_static(NULL, 1, "a", -1, &err), PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "ph_stmt_bind_text_static: stmt is NULL");
    ph_stmt_free(stmt);

    ph_assert_ok(ph_store_prepare(store, "SELECT a || '|' || b FROM s ORDER BY rowid", &stmt,
                                  &err),
                 &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_string_equal(ph_stmt_column_text(stmt, 0), "before|after!");
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_string_equal(ph_stmt_column_text(stmt, 0), "whole|");
    /* a row is pending */
    ph_stmt_free(stmt);
    ph_assert_ok(ph_store_prepare(store, "SELECT ?", &stmt, &err), &err);
    ph_assert_ok(ph_stmt_bind_text_static(stmt, 1, "x", 1, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_string_equal(ph_stmt_column_text(stmt, 0), "x");
    ph_assert_error(ph_stmt_bind_text_static(stmt, 1, "y", 1, &err), PH_EMISUSE, &err,
                    "ph_stmt_bind_text_static: the statement has a row pending");
    ph_stmt_free(stmt);
    ph_store_free(store);
}

/* Blobs keep every byte, NUL included; an empty blob is not SQL NULL. */
static void test_blob_round_trip(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "blob.db", NULL);
    ph_test_exec(store, "CREATE TABLE b (k INTEGER PRIMARY KEY, v BLOB)");
    ph_error err;
    ph_error_clear(&err);
    ph_stmt *stmt = NULL;
    static const unsigned char bytes[] = {0x00, 0xff, 'a', 0x00, 0x80, '\n'};
    ph_assert_ok(ph_store_prepare(store, "INSERT INTO b VALUES (?, ?)", &stmt, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, 1, &err), &err);
    ph_assert_ok(ph_stmt_bind_blob(stmt, 2, bytes, sizeof(bytes), &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, 2, &err), &err);
    ph_assert_ok(ph_stmt_bind_blob(stmt, 2, NULL, 0, &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_assert_error(ph_stmt_bind_blob(stmt, 2, NULL, 3, &err), PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "ph_stmt_bind_blob: value is NULL with 3 bytes (bind SQL "
                                     "NULL with ph_stmt_bind_null)");
    ph_assert_error(ph_stmt_bind_blob(stmt, 3, bytes, 1, &err), PH_ERANGE, &err,
                    "ph_stmt_bind_blob: expected a parameter index from 1 to 2, got 3");
    ph_stmt_free(stmt);

    ph_assert_ok(ph_store_prepare(store, "SELECT v, typeof(v), length(v) FROM b ORDER BY k",
                                  &stmt, &err),
                 &err);
    size_t len = 99;
    assert_null(ph_stmt_column_blob(stmt, 0, &len)); /* no row yet */
    assert_int_equal(len, 0);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    const void *got = ph_stmt_column_blob(stmt, 0, &len);
    assert_int_equal(len, sizeof(bytes));
    assert_memory_equal(got, bytes, sizeof(bytes));
    assert_string_equal(ph_stmt_column_text(stmt, 1), "blob");
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    len = 99;
    assert_null(ph_stmt_column_blob(stmt, 0, &len));
    assert_int_equal(len, 0);
    assert_string_equal(ph_stmt_column_text(stmt, 1), "blob"); /* empty, not NULL */
    assert_int_equal(ph_stmt_column_int64(stmt, 2), 0);
    assert_null(ph_stmt_column_blob(stmt, 7, NULL));
    ph_stmt_free(stmt);
    ph_store_free(store);
}

static void test_utf8_round_trip(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "utf8.db", NULL);
    ph_test_exec(store, "CREATE TABLE e (name TEXT)");
    /* 普惠金融·小微企业 (10 characters, 30 bytes) and an astral-plane one */
    const char *name = "\xe6\x99\xae\xe6\x83\xa0\xe9\x87\x91\xe8\x9e\x8d\xc2\xb7"
                       "\xe5\xb0\x8f\xe5\xbe\xae\xe4\xbc\x81\xe4\xb8\x9a\xf0\xa0\x80\x80";
    ph_error err;
    ph_error_clear(&err);
    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(store, "INSERT INTO e VALUES (?)", &stmt, &err), &err);
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, name, -1, &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_stmt_free(stmt);

    ph_assert_ok(ph_store_prepare(store, "SELECT name, length(name), substr(name, 1, 2) FROM e "
                                         "WHERE name = ?",
                                  &stmt, &err),
                 &err);
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, name, (long)strlen(name), &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_string_equal(ph_stmt_column_text(stmt, 0), name);
    assert_int_equal(ph_stmt_column_int64(stmt, 1), 10); /* characters, not bytes */
    assert_string_equal(ph_stmt_column_text(stmt, 2), "\xe6\x99\xae\xe6\x83\xa0"); /* 普惠 */
    ph_stmt_free(stmt);
    ph_store_free(store);
}

static void test_statement_misuse(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "misuse.db", NULL);
    ph_test_exec(store, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);");
    ph_error err;
    ph_error_clear(&err);
    ph_stmt *stmt = NULL;

    ph_assert_error(ph_store_prepare(store, "  -- nothing here\n", &stmt, &err), PH_EINVAL,
                    &err, NULL);
    assert_string_equal(err.message, "field sql: expected one SQL statement, got none");
    ph_assert_error(ph_store_prepare(store, "SELECT 1; SELECT\n  2", &stmt, &err), PH_EINVAL,
                    &err, NULL);
    assert_string_equal(err.message, "field sql: expected one SQL statement, got more from "
                                     "\"SELECT 2\"; run several with ph_store_exec");
    assert_null(stmt);
    ph_assert_error(ph_store_prepare(store, "SELECT * FROM missing", &stmt, &err), PH_ESTORE,
                    &err, "no such table: missing (SQLite code 1) in SQL \"SELECT * FROM "
                          "missing\"");
    ph_assert_error(ph_store_prepare(NULL, "SELECT 1", &stmt, &err), PH_EMISUSE, &err,
                    "ph_store_prepare: store, sql and out must not be NULL");
    ph_assert_ok(ph_store_prepare(store, "SELECT 1 -- a trailing comment\n;", &stmt, &err),
                 &err);
    ph_stmt_free(stmt);

    ph_assert_ok(ph_store_prepare(store, "SELECT x FROM t WHERE x >= ? ORDER BY x", &stmt,
                                  &err),
                 &err);
    /* no row yet: readers give their defaults */
    assert_true(ph_stmt_column_is_null(stmt, 0));
    assert_null(ph_stmt_column_text(stmt, 0));
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 0);
    assert_true(ph_stmt_column_double(stmt, 0) == 0.0);

    ph_assert_error(ph_stmt_bind_int64(stmt, 0, 1, &err), PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field index: ph_stmt_bind_int64: expected a parameter "
                                     "index from 1 to 1, got 0");
    ph_assert_error(ph_stmt_bind_text(stmt, 2, "a", -1, &err), PH_ERANGE, &err,
                    "expected a parameter index from 1 to 1, got 2");
    ph_assert_error(ph_stmt_bind_text(stmt, 1, NULL, 0, &err), PH_EMISUSE, &err,
                    "ph_stmt_bind_text: value is NULL (bind SQL NULL with ph_stmt_bind_null)");
    ph_assert_error(ph_stmt_bind_double(NULL, 1, 1.0, &err), PH_EMISUSE, &err,
                    "ph_stmt_bind_double: stmt is NULL");
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, 1, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 1);
    assert_int_equal(ph_stmt_column_int64(stmt, 1), 0); /* out of range */
    assert_true(ph_stmt_column_is_null(stmt, -1));

    /* a row is pending: rebinding would silently drop the rest */
    ph_assert_error(ph_stmt_bind_null(stmt, 1, &err), PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "ph_stmt_bind_null: the statement has a row pending; "
                                     "call ph_stmt_reset before binding new values");
    ph_assert_ok(ph_stmt_reset(stmt, &err), &err);
    ph_assert_ok(ph_stmt_bind_int64(stmt, 1, 2, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_int_equal(ph_stmt_column_int64(stmt, 0), 2);
    ph_stmt_free(stmt);

    ph_assert_error(ph_stmt_step(NULL, &err), PH_EMISUSE, &err, "ph_stmt_step: stmt is NULL");
    ph_assert_error(ph_stmt_reset(NULL, &err), PH_EMISUSE, &err, "ph_stmt_reset: stmt is NULL");
    assert_int_equal(ph_stmt_column_count(NULL), 0);
    assert_null(ph_stmt_column_text(NULL, 0));
    ph_stmt_free(NULL);
    ph_store_free(store);
}

/* Freeing a store with statements still open frees them and says so. */
static void test_free_store_with_open_statement(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "leftover.db", NULL);
    ph_error err;
    ph_error_clear(&err);
    ph_stmt *a = NULL, *b = NULL, *c = NULL;
    ph_assert_ok(ph_store_prepare(store, "SELECT 1", &a, &err), &err);
    ph_assert_ok(ph_store_prepare(store, "SELECT 2", &b, &err), &err);
    ph_assert_ok(ph_store_prepare(store, "SELECT 3", &c, &err), &err);
    ph_stmt_free(b); /* unlink from the middle of the list */
    ph_assert_ok(ph_stmt_step(a, &err), &err);
    fx->log_calls = 0;
    ph_store_free(store); /* ASan's leak check proves a and c were freed */
    assert_int_equal(fx->log_calls, 1);
    assert_non_null(strstr(fx->last_log, "closed with 2 statement(s) still open"));
}

/* --- transactions ------------------------------------------------------------------- */

static void test_transactions(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "txn.db", NULL);
    ph_test_exec(store, "CREATE TABLE t (x INTEGER)");
    ph_error err;
    ph_error_clear(&err);

    assert_false(ph_store_in_transaction(store));
    ph_assert_ok(ph_store_begin(store, &err), &err);
    assert_true(ph_store_in_transaction(store));
    ph_test_exec(store, "INSERT INTO t VALUES (1)");
    ph_assert_error(ph_store_begin(store, &err), PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "ph_store_begin: a transaction is already open and "
                                     "transactions do not nest; commit or roll back the open "
                                     "one first");
    assert_true(ph_store_in_transaction(store)); /* the misuse changed nothing */
    ph_assert_ok(ph_store_commit(store, &err), &err);
    assert_false(ph_store_in_transaction(store));
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM t"), 1);

    ph_assert_ok(ph_store_begin(store, &err), &err);
    ph_test_exec(store, "INSERT INTO t VALUES (2); INSERT INTO t VALUES (3);");
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM t"), 3);
    ph_assert_ok(ph_store_rollback(store, &err), &err);
    assert_false(ph_store_in_transaction(store));
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM t"), 1);

    ph_assert_error(ph_store_commit(store, &err), PH_EMISUSE, &err,
                    "ph_store_commit: no transaction is open");
    ph_assert_ok(ph_store_rollback(store, &err), &err); /* nothing open: nothing done */
    ph_assert_error(ph_store_begin(NULL, &err), PH_EMISUSE, &err, "store is NULL");
    ph_assert_error(ph_store_commit(NULL, &err), PH_EMISUSE, &err, "store is NULL");
    ph_assert_error(ph_store_rollback(NULL, &err), PH_EMISUSE, &err, "store is NULL");
    assert_false(ph_store_in_transaction(NULL));

    /* the flag follows the database even when SQL opens the transaction */
    ph_test_exec(store, "BEGIN");
    assert_true(ph_store_in_transaction(store));
    ph_assert_error(ph_store_begin(store, &err), PH_EMISUSE, &err, "do not nest");
    ph_test_exec(store, "INSERT INTO t VALUES (4)");
    ph_assert_ok(ph_store_rollback(store, &err), &err);
    assert_false(ph_store_in_transaction(store));

    /* closing with a transaction open rolls it back */
    ph_assert_ok(ph_store_begin(store, &err), &err);
    ph_test_exec(store, "INSERT INTO t VALUES (5)");
    ph_store_free(store);
    store = open_store(fx, "txn.db", NULL);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM t"), 1);
    assert_int_equal(ph_test_query_int(store, "SELECT x FROM t"), 1);
    ph_store_free(store);
}

/* --- constraints ---------------------------------------------------------------------- */

static void test_constraint_violations(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "constraints.db", NULL);
    ph_test_exec(store, "CREATE TABLE lender (id TEXT PRIMARY KEY, name TEXT NOT NULL);"
                   "CREATE TABLE loan (id INTEGER PRIMARY KEY,"
                   "  lender_id TEXT NOT NULL REFERENCES lender(id),"
                   "  contract TEXT UNIQUE,"
                   "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0));"
                   "INSERT INTO lender VALUES ('ABC', 'Agricultural Bank');"
                   "INSERT INTO loan VALUES (1, 'ABC', 'C-001', 100000);");
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_begin(store, &err), &err);
    const struct {
        const char *sql;
        ph_status status;
        const char *message;
    } cases[] = {
        {"INSERT INTO lender VALUES ('ABC', 'again')", PH_EEXISTS,
         "UNIQUE constraint failed: lender.id"},
        {"INSERT INTO loan VALUES (1, 'ABC', 'C-002', 5)", PH_EEXISTS,
         "UNIQUE constraint failed: loan.id"},
        {"INSERT INTO loan VALUES (2, 'ABC', 'C-001', 5)", PH_EEXISTS,
         "UNIQUE constraint failed: loan.contract"},
        {"INSERT INTO loan VALUES (2, 'ABC', 'C-002', 0)", PH_EINVAL,
         "CHECK constraint failed: amount_fen > 0"},
        {"INSERT INTO lender VALUES ('ICBC', NULL)", PH_EINVAL,
         "NOT NULL constraint failed: lender.name"},
        {"INSERT INTO loan VALUES (2, 'NOPE', 'C-002', 5)", PH_EINVAL,
         "FOREIGN KEY constraint failed"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_assert_error(ph_store_exec(store, cases[i].sql, &err), cases[i].status, &err, NULL);
        assert_string_equal(err.message, cases[i].message);
        /* a failed statement does not end the transaction */
        assert_true(ph_store_in_transaction(store));
    }
    /* the same through a prepared statement with bound values */
    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(store, "INSERT INTO lender VALUES (?, ?)", &stmt, &err), &err);
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, "ABC", -1, &err), &err);
    ph_assert_ok(ph_stmt_bind_text(stmt, 2, "dup", -1, &err), &err);
    ph_assert_error(ph_stmt_step(stmt, &err), PH_EEXISTS, &err,
                    "UNIQUE constraint failed: lender.id");
    /* after a failure the statement can be rebound and run again */
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, "CCB", -1, &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_assert_ok(ph_stmt_reset(stmt, &err), &err);
    ph_stmt_free(stmt);
    ph_assert_ok(ph_store_commit(store, &err), &err);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM lender"), 2);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM loan"), 1);
    ph_store_free(store);
}

/* --- locking ------------------------------------------------------------------------------ */

static void test_busy(void **state)
{
    fixture *fx = *state;
    ph_store *writer = open_store(fx, "busy.db", NULL);
    ph_test_exec(writer, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);");
    ph_store_options quick = {.busy_timeout_ms = 30};
    ph_store *other = open_store(fx, "busy.db", &quick);
    ph_error err;
    ph_error_clear(&err);

    ph_assert_ok(ph_store_begin(writer, &err), &err);
    ph_test_exec(writer, "INSERT INTO t VALUES (2)");

    ph_assert_error(ph_store_exec(other, "INSERT INTO t VALUES (3)", &err), PH_EBUSY, &err,
                    NULL);
    assert_string_equal(err.message, "database is locked: another connection holds the lock "
                                     "(waited up to 30 ms) (in SQL \"INSERT INTO t VALUES (3)\")");
    ph_assert_error(ph_store_begin(other, &err), PH_EBUSY, &err,
                    "(in SQL \"BEGIN IMMEDIATE\")");
    assert_false(ph_store_in_transaction(other));
    /* WAL: the reader is not blocked, and sees only what was committed */
    assert_int_equal(ph_test_query_int(other, "SELECT COUNT(*) FROM t"), 1);

    ph_assert_ok(ph_store_commit(writer, &err), &err);
    ph_test_exec(other, "INSERT INTO t VALUES (3)");
    assert_int_equal(ph_test_query_int(writer, "SELECT SUM(x) FROM t"), 6);
    ph_store_free(other);
    ph_store_free(writer);
}

/* --- introspection ---------------------------------------------------------------------------- */

typedef struct table_list {
    char names[8][64];
    int64_t rows[8];
    int count;
    int stop_after; /* 0: never */
} table_list;

static ph_status collect_table(void *user, const ph_table_info *table, ph_error *err)
{
    table_list *list = user;
    assert_true(list->count < 8);
    snprintf(list->names[list->count], sizeof(list->names[0]), "%s", table->name);
    list->rows[list->count] = table->rows;
    list->count++;
    if (list->stop_after != 0 && list->count == list->stop_after)
        return ph_error_set(err, PH_ERANGE, "table", table->name, "enough tables");
    return PH_OK;
}

static void test_each_table(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "tables.db", NULL);
    ph_test_exec(store, "CREATE TABLE loan (id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER);"
                   "CREATE TABLE \"We\"\"ird; DROP TABLE loan; --\" (x);"
                   "CREATE TABLE \"\xe4\xbc\x81\xe4\xb8\x9a\" (x);" /* 企业 */
                   "CREATE TABLE Bank (x);"
                   "CREATE VIEW loan_view AS SELECT * FROM loan;"
                   "CREATE INDEX loan_a ON loan (a);"
                   "INSERT INTO loan (a) VALUES (1), (2), (3);"
                   "INSERT INTO \"We\"\"ird; DROP TABLE loan; --\" VALUES (1), (2);"
                   "INSERT INTO \"\xe4\xbc\x81\xe4\xb8\x9a\" VALUES ('x');");
    ph_error err;
    ph_error_clear(&err);
    table_list list;
    memset(&list, 0, sizeof(list));
    ph_assert_ok(ph_store_each_table(store, collect_table, &list, &err), &err);
    /* byte order; no view, no index, no sqlite_sequence */
    assert_int_equal(list.count, 4);
    assert_string_equal(list.names[0], "Bank");
    assert_int_equal(list.rows[0], 0);
    assert_string_equal(list.names[1], "We\"ird; DROP TABLE loan; --");
    assert_int_equal(list.rows[1], 2);
    assert_string_equal(list.names[2], "loan");
    assert_int_equal(list.rows[2], 3);
    assert_string_equal(list.names[3], "\xe4\xbc\x81\xe4\xb8\x9a");
    assert_int_equal(list.rows[3], 1);

    /* a callback error stops the walk and comes back as it was */
    memset(&list, 0, sizeof(list));
    list.stop_after = 2;
    ph_assert_error(ph_store_each_table(store, collect_table, &list, &err), PH_ERANGE, &err,
                    "enough tables");
    assert_int_equal(list.count, 2);
    ph_assert_error(ph_store_each_table(store, NULL, &list, &err), PH_EMISUSE, &err,
                    "ph_store_each_table: store and fn must not be NULL");

    /* an empty database has no tables */
    ph_store *empty = open_store(fx, "no-tables.db", NULL);
    memset(&list, 0, sizeof(list));
    ph_assert_ok(ph_store_each_table(empty, collect_table, &list, &err), &err);
    assert_int_equal(list.count, 0);
    ph_store_free(empty);
    ph_store_free(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_and_configures),
        cmocka_unit_test(test_open_must_exist),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_open_read_only),
        cmocka_unit_test(test_memory_database),
        cmocka_unit_test(test_exec),
        cmocka_unit_test(test_step_id),
        cmocka_unit_test(test_statement_every_type),
        cmocka_unit_test(test_bindings_are_kept_across_reset),
        cmocka_unit_test(test_bind_text_static),
        cmocka_unit_test(test_blob_round_trip),
        cmocka_unit_test(test_utf8_round_trip),
        cmocka_unit_test(test_statement_misuse),
        cmocka_unit_test(test_free_store_with_open_statement),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_constraint_violations),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_each_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
