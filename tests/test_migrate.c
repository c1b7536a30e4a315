/* Schema migrations (src/store/migrate.c) and the platform schema
 * (src/schema/schema.c). */
#include "ph_test.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("migrate", &fx->ctx, &fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static ph_store *open_store(fixture *fx, const char *file)
{
    char *path = ph_test_path(fx->dir, file);
    ph_store *store = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &store, &err), &err);
    free(path);
    return store;
}

static int schema_version(ph_store *store)
{
    int version = -1;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_schema_version(store, &version, &err), &err);
    return version;
}

static int table_exists(ph_store *store, const char *name)
{
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_prepare(store,
                                  "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' "
                                  "AND name = ?",
                                  &stmt, &err),
                 &err);
    ph_assert_ok(ph_stmt_bind_text(stmt, 1, name, -1, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    int exists = ph_stmt_column_int64(stmt, 0) == 1;
    ph_stmt_free(stmt);
    return exists;
}

/* --- a test schema: accounts, evolving over three versions --------------------- */

/* Version 3's data step: fill the new column from the old data. */
static ph_status fill_balance_class(ph_store *store, ph_error *err)
{
    return ph_store_exec(store,
                         "UPDATE account SET balance_class ="
                         " CASE WHEN balance_fen >= 100000 THEN 'large' ELSE 'small' END",
                         err);
}

static const ph_migration ACCOUNTS[] = {
    {1, "accounts", "CREATE TABLE account (id INTEGER PRIMARY KEY, balance_fen INTEGER NOT NULL)",
     NULL},
    {2, "account index", "CREATE INDEX account_balance ON account (balance_fen)", NULL},
    {3, "balance class", "ALTER TABLE account ADD COLUMN balance_class TEXT",
     fill_balance_class},
};

/* Trivial versions, to make a database "from the future" (one more than
 * the platform's schema has). */
static const ph_migration FUTURE[] = {
    {1, "one", "CREATE TABLE t1 (x)", NULL}, {2, "two", "CREATE TABLE t2 (x)", NULL},
    {3, "three", "CREATE TABLE t3 (x)", NULL}, {4, "four", "CREATE TABLE t4 (x)", NULL},
    {5, "five", "CREATE TABLE t5 (x)", NULL}, {6, "six", "CREATE TABLE t6 (x)", NULL},
    {7, "seven", "CREATE TABLE t7 (x)", NULL}, {8, "eight", "CREATE TABLE t8 (x)", NULL},
    {9, "nine", "CREATE TABLE t9 (x)", NULL}, {10, "ten", "CREATE TABLE t10 (x)", NULL},
    {11, "eleven", "CREATE TABLE t11 (x)", NULL}, {12, "twelve", "CREATE TABLE t12 (x)", NULL},
    {13, "thirteen", "CREATE TABLE t13 (x)", NULL}, {14, "fourteen", "CREATE TABLE t14 (x)", NULL},
    {15, "fifteen", "CREATE TABLE t15 (x)", NULL}, {16, "sixteen", "CREATE TABLE t16 (x)", NULL},
    {17, "seventeen", "CREATE TABLE t17 (x)", NULL}, {18, "eighteen", "CREATE TABLE t18 (x)", NULL},
    {19, "nineteen", "CREATE TABLE t19 (x)", NULL}, {20, "twenty", "CREATE TABLE t20 (x)", NULL},
};

static int is_utc_iso8601(const char *s)
{
    /* 2025-03-01T08:30:00Z */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof(shape) - 1)
        return 0;
    for (size_t i = 0; shape[i] != '\0'; i++) {
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return 0;
    }
    return 1;
}

static void test_fresh_database_to_latest(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "fresh.db");
    ph_error err;
    ph_error_clear(&err);
    assert_int_equal(schema_version(store), 0);
    int applied = -1;
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, -1, &applied, &err), &err);
    assert_int_equal(applied, 3);
    assert_int_equal(schema_version(store), 3);
    assert_false(ph_store_in_transaction(store));

    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(store,
                                  "SELECT version, name, applied_at FROM schema_migrations "
                                  "ORDER BY version",
                                  &stmt, &err),
                 &err);
    for (int v = 1; v <= 3; v++) {
        ph_assert_ok(ph_stmt_step(stmt, &err), &err);
        assert_int_equal(ph_stmt_column_int64(stmt, 0), v);
        assert_string_equal(ph_stmt_column_text(stmt, 1), ACCOUNTS[v - 1].name);
        const char *at = ph_stmt_column_text(stmt, 2);
        if (!is_utc_iso8601(at))
            fail_msg("applied_at '%s' is not UTC ISO 8601", at);
    }
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_stmt_free(stmt);

    /* idempotent: a second run applies nothing and writes nothing */
    applied = -1;
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, -1, &applied, &err), &err);
    assert_int_equal(applied, 0);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM schema_migrations"), 3);
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, -1, NULL, &err), &err);
    ph_store_free(store);
}

static void test_upgrade_in_place_keeps_data(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "older.db");
    ph_error err;
    ph_error_clear(&err);
    int applied = -1;
    /* an older puhui knew only version 1 */
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 1, -1, &applied, &err), &err);
    assert_int_equal(applied, 1);
    ph_test_exec(store, "INSERT INTO account VALUES (1, 250000), (2, 999), (3, 100000)");
    ph_store_free(store);

    /* the newer puhui opens it and upgrades it */
    store = open_store(fx, "older.db");
    assert_int_equal(schema_version(store), 1);
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, -1, &applied, &err), &err);
    assert_int_equal(applied, 2);
    assert_int_equal(schema_version(store), 3);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM account"), 3);
    assert_int_equal(ph_test_query_int(store, "SELECT SUM(balance_fen) FROM account"), 350999);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM account WHERE balance_class = "
                                      "'large'"),
                     2);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' "
                                      "AND name = 'account_balance'"),
                     1);
    ph_store_free(store);
}

static void test_target_versions(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "target.db");
    ph_error err;
    ph_error_clear(&err);
    int applied = -1;
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, 0, &applied, &err), &err);
    assert_int_equal(applied, 0);
    assert_false(table_exists(store, "schema_migrations"));
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, 2, &applied, &err), &err);
    assert_int_equal(applied, 2);
    assert_int_equal(schema_version(store), 2);
    assert_true(table_exists(store, "account"));
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM pragma_table_info('account') "
                                      "WHERE name = 'balance_class'"),
                     0); /* version 3 not applied */
    /* no downgrades: a lower target does nothing */
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, 1, &applied, &err), &err);
    assert_int_equal(applied, 0);
    assert_int_equal(schema_version(store), 2);

    ph_assert_error(ph_store_migrate(store, ACCOUNTS, 3, 4, &applied, &err), PH_ERANGE, &err,
                    NULL);
    assert_string_equal(err.message, "field target: expected -1 (the latest) or a version from "
                                     "0 to 3, got 4");
    ph_assert_error(ph_store_migrate(store, ACCOUNTS, 3, -2, &applied, &err), PH_ERANGE, &err,
                    "got -2");
    assert_int_equal(applied, 0); /* untouched on failure */
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 3, 3, &applied, &err), &err);
    assert_int_equal(applied, 1);
    ph_store_free(store);
}

static void test_newer_database_is_refused(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "future.db");
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_migrate(store, FUTURE, 20, -1, NULL, &err), &err);
    int applied = -7;
    ph_assert_error(ph_store_migrate(store, FUTURE, 2, -1, &applied, &err), PH_ESCHEMA, &err,
                    NULL);
    assert_string_equal(err.message, "database schema version 20 is newer than this puhui "
                                     "(knows up to 2); upgrade puhui");
    assert_int_equal(applied, -7);
    /* the same with the platform's own schema */
    ph_assert_error(ph_schema_migrate(store, -1, &applied, &err), PH_ESCHEMA, &err, NULL);
    assert_string_equal(err.message, "database schema version 20 is newer than this puhui "
                                     "(knows up to 19); upgrade puhui");
    assert_int_equal(schema_version(store), 20);
    ph_store_free(store);
}

/* --- failures leave the previous version ------------------------------------------------ */

static ph_status refuse_data(ph_store *store, ph_error *err)
{
    (void)store;
    return ph_error_set(err, PH_EINVAL, "balance_fen", "-5", "expected an amount >= 0");
}

static ph_status commit_behind_our_back(ph_store *store, ph_error *err)
{
    return ph_store_commit(store, err);
}

static void test_failed_migration_changes_nothing(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "broken.db");
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_migrate(store, ACCOUNTS, 1, -1, NULL, &err), &err);
    ph_test_exec(store, "INSERT INTO account VALUES (1, 500)");

    /* bad SQL after a good statement: the good one is rolled back too */
    const ph_migration bad_sql[] = {
        ACCOUNTS[0],
        {2, "ledger", "CREATE TABLE ledger (x); INSERT INTO account VALUES (2, 1); CREAT INDEX",
         NULL},
    };
    int applied = -1;
    ph_assert_error(ph_store_migrate(store, bad_sql, 2, -1, &applied, &err), PH_ESTORE, &err,
                    NULL);
    assert_string_equal(err.message, "migration 2 (ledger) failed: near \"CREAT\": syntax error "
                                     "(SQLite code 1) in SQL \"CREAT INDEX\"");
    assert_int_equal(applied, -1);
    assert_int_equal(schema_version(store), 1);
    assert_false(table_exists(store, "ledger"));
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM account"), 1);
    assert_false(ph_store_in_transaction(store));

    /* a failing data step: its status and message come through */
    const ph_migration bad_apply[] = {
        ACCOUNTS[0],
        {2, "ledger", "CREATE TABLE ledger (x)", refuse_data},
    };
    ph_assert_error(ph_store_migrate(store, bad_apply, 2, -1, &applied, &err), PH_EINVAL, &err,
                    NULL);
    assert_string_equal(err.message, "migration 2 (ledger) failed: field balance_fen, value "
                                     "'-5': expected an amount >= 0");
    assert_int_equal(schema_version(store), 1);
    assert_false(table_exists(store, "ledger"));

    /* a constraint violation in a data step keeps its status */
    const ph_migration dup[] = {
        ACCOUNTS[0],
        {2, "duplicate", "INSERT INTO account VALUES (1, 7)", NULL},
    };
    ph_assert_error(ph_store_migrate(store, dup, 2, -1, &applied, &err), PH_EEXISTS, &err,
                    NULL);
    assert_string_equal(err.message,
                        "migration 2 (duplicate) failed: UNIQUE constraint failed: account.id");

    /* a migration may not end its own transaction */
    const ph_migration sneaky[] = {
        ACCOUNTS[0],
        {2, "sneaky", "CREATE TABLE sneaky (x)", commit_behind_our_back},
    };
    ph_assert_error(ph_store_migrate(store, sneaky, 2, -1, &applied, &err), PH_EMISUSE, &err,
                    NULL);
    assert_string_equal(err.message, "migration 2 (sneaky) failed: ph_store_commit: not allowed "
                                     "inside a migration; ph_store_migrate commits or rolls back "
                                     "each migration itself");
    assert_int_equal(schema_version(store), 1);
    assert_false(table_exists(store, "sneaky"));
    /* the guard is lifted afterwards */
    ph_assert_ok(ph_store_begin(store, &err), &err);
    ph_assert_ok(ph_store_commit(store, &err), &err);

    /* v2 good, v3 bad: one call ends at version 2 */
    const ph_migration half[] = {
        ACCOUNTS[0],
        ACCOUNTS[1],
        {3, "broken", "ALTER TABLE nowhere ADD COLUMN x", NULL},
    };
    ph_assert_error(ph_store_migrate(store, half, 3, -1, &applied, &err), PH_ESTORE, &err,
                    "migration 3 (broken) failed: no such table: nowhere");
    assert_int_equal(schema_version(store), 2);
    ph_store_free(store);
}

static void test_commit_inside_sql_is_caught(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "commit-sql.db");
    ph_error err;
    ph_error_clear(&err);
    const char *control[] = {"CREATE TABLE early (x); COMMIT;",
                             "CREATE TABLE early (x); ROLLBACK; CREATE TABLE late (x)",
                             "CREATE TABLE early (x); END TRANSACTION"};
    /* (a statement refused at compile time is quoted from its start on) */
    const char *quoted[] = {"COMMIT;", "ROLLBACK; CREATE TABLE late (x)", "END TRANSACTION"};
    for (size_t i = 0; i < sizeof(control) / sizeof(control[0]); i++) {
        const ph_migration list[] = {{1, "ends itself", control[i], NULL}};
        ph_assert_error(ph_store_migrate(store, list, 1, -1, NULL, &err), PH_EMISUSE, &err,
                        NULL);
        char expected[256];
        snprintf(expected, sizeof(expected),
                 "migration 1 (ends itself) failed: BEGIN, COMMIT and ROLLBACK are not allowed "
                 "here; the store manages this transaction (in SQL \"%s\")",
                 quoted[i]);
        assert_string_equal(err.message, expected);
        assert_int_equal(schema_version(store), 0);
        assert_false(table_exists(store, "early"));
    }
    /* the guard is lifted afterwards: SQL transaction control works again */
    ph_test_exec(store, "BEGIN; CREATE TABLE after_guard (x); COMMIT;");
    assert_true(table_exists(store, "after_guard"));
    ph_store_free(store);
}

/* --- the list itself ----------------------------------------------------------------------- */

static void test_malformed_lists(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "lists.db");
    ph_error err;
    ph_error_clear(&err);
    const ph_migration gap[] = {
        {1, "one", "CREATE TABLE one (x)", NULL},
        {3, "three", "CREATE TABLE three (x)", NULL},
    };
    ph_assert_error(ph_store_migrate(store, gap, 2, -1, NULL, &err), PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "field version: migration list entry 1 has version 3; "
                                     "expected 2 (versions run from 1 without gaps)");
    const ph_migration from_zero[] = {{0, "zero", "CREATE TABLE zero (x)", NULL}};
    ph_assert_error(ph_store_migrate(store, from_zero, 1, -1, NULL, &err), PH_EMISUSE, &err,
                    "migration list entry 0 has version 0; expected 1");
    const ph_migration unnamed[] = {{1, "", "CREATE TABLE one (x)", NULL}};
    ph_assert_error(ph_store_migrate(store, unnamed, 1, -1, NULL, &err), PH_EMISUSE, &err,
                    "field name: migration 1 has no name");
    const ph_migration empty[] = {{1, "nothing", NULL, NULL}};
    ph_assert_error(ph_store_migrate(store, empty, 1, -1, NULL, &err), PH_EMISUSE, &err,
                    "migration 1 (nothing) has neither sql nor apply");
    ph_assert_error(ph_store_migrate(store, NULL, 2, -1, NULL, &err), PH_EMISUSE, &err,
                    "ph_store_migrate: list is NULL but count is 2");
    ph_assert_error(ph_store_migrate(NULL, gap, 1, -1, NULL, &err), PH_EMISUSE, &err,
                    "ph_store_migrate: store is NULL");
    /* nothing was touched */
    assert_int_equal(schema_version(store), 0);
    assert_false(table_exists(store, "one"));
    assert_false(table_exists(store, "schema_migrations"));

    /* an empty list is valid and does nothing on an empty database */
    int applied = -1;
    ph_assert_ok(ph_store_migrate(store, NULL, 0, -1, &applied, &err), &err);
    assert_int_equal(applied, 0);

    /* migrating inside the caller's transaction is refused */
    ph_assert_ok(ph_store_begin(store, &err), &err);
    ph_assert_error(ph_store_migrate(store, ACCOUNTS, 3, -1, NULL, &err), PH_EMISUSE, &err,
                    "runs each migration in its own transaction");
    ph_assert_ok(ph_store_rollback(store, &err), &err);

    int version = 0;
    ph_assert_error(ph_store_schema_version(store, NULL, &err), PH_EMISUSE, &err,
                    "ph_store_schema_version: store and version must not be NULL");
    ph_assert_error(ph_store_schema_version(NULL, &version, &err), PH_EMISUSE, &err, NULL);
    ph_store_free(store);
}

/* --- the platform schema --------------------------------------------------------------------- */

static void expect_exec(ph_store *store, const char *sql, ph_status status, const char *message)
{
    ph_error err;
    ph_error_clear(&err);
    ph_assert_error(ph_store_exec(store, sql, &err), status, &err, NULL);
    assert_string_equal(err.message, message);
}

/* The triggers the migrations create are the definitions the schema gives
 * for them (what `audit verify` compares a database with), and nothing is
 * given for a trigger the migrations do not create. */
static void test_trigger_definitions(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "triggers.db");
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_schema_migrate(store, -1, NULL, &err), &err);
    static const char *const names[][2] = {
        {"access_log", "access_log_no_update"},
        {"access_log", "access_log_no_delete"},
        {"access_checkpoint", "access_checkpoint_no_update"},
        {"access_checkpoint", "access_checkpoint_no_delete"},
        {"warning_alert_event", "warning_alert_event_no_update"},
        {"warning_alert_event", "warning_alert_event_no_delete"},
        {"warning_level", "warning_level_no_update"},
        {"warning_level", "warning_level_no_delete"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *definition = ph_schema_trigger_definition(names[i][1]);
        assert_non_null(definition);
        char sql[512];
        long len = 0;
        ph_assert_ok(ph_store_trigger_sql(store, names[i][0], names[i][1], sql, sizeof(sql),
                                          &len, &err),
                     &err);
        assert_string_equal(sql, definition);
    }
    assert_null(ph_schema_trigger_definition("access_log_no_insert"));
    assert_null(ph_schema_trigger_definition(NULL));
    ph_store_free(store);
}

static void test_platform_schema(void **state)
{
    fixture *fx = *state;
    ph_store *store = open_store(fx, "puhui.db");
    ph_error err;
    ph_error_clear(&err);
    assert_int_equal(ph_schema_latest(), 19);
    int applied = -1;
    /* version 1 first, with data in it, as an older puhui would have left it */
    ph_assert_ok(ph_schema_migrate(store, 1, &applied, &err), &err);
    assert_int_equal(applied, 1);
    assert_int_equal(schema_version(store), 1);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1 "
                                      "AND name = 'core registry'"),
                     1);
    assert_true(table_exists(store, "meta"));
    assert_true(table_exists(store, "institution"));
    assert_true(table_exists(store, "enterprise"));

    ph_test_exec(store, "INSERT INTO meta VALUES ('created_by', 'test');"
                   "INSERT INTO institution VALUES ('ABC', 'Agricultural Bank of China', "
                   "'state_bank');"
                   "INSERT INTO institution VALUES ('MYBANK', 'MYbank', 'digital_bank');"
                   "INSERT INTO enterprise (uscc, name, region_code, industry_section, "
                   "size_class) VALUES ('91330100MA27XYZ12A', 'Tea shop', 330102, 'F', 'micro');");
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM enterprise WHERE status = 'active' "
                                      "AND registered_on IS NULL"),
                     1);
    expect_exec(store, "INSERT INTO institution VALUES ('ABC', 'again', 'state_bank')",
                PH_EEXISTS, "UNIQUE constraint failed: institution.id");
    expect_exec(store, "INSERT INTO institution VALUES ('X', 'X', 'pawnshop')", PH_EINVAL,
                "CHECK constraint failed: kind IN ("
                "    'state_bank', 'commercial_bank', 'rural_bank', 'village_bank', "
                "'micro_lender',    'digital_bank', 'guarantor', 'government', "
                "'core_enterprise', 'regulator')");
    expect_exec(store, "INSERT INTO meta (key) VALUES ('k')", PH_EINVAL,
                "NOT NULL constraint failed: meta.value");
    expect_exec(store, "INSERT INTO enterprise (uscc, name, region_code, industry_section) "
                       "VALUES ('91330100MA27XYZ12', 'short code', 330102, 'F')",
                PH_EINVAL, "CHECK constraint failed: length(uscc) = 18");
    expect_exec(store, "INSERT INTO enterprise (uscc, name, region_code, industry_section, "
                       "size_class) VALUES ('91330100MA27XYZ12B', 'x', 330102, 'F', 'tiny')",
                PH_EINVAL,
                "CHECK constraint failed: size_class IN ('micro', 'small', 'medium', 'large')");
    expect_exec(store, "UPDATE enterprise SET status = 'closed'", PH_EINVAL,
                "CHECK constraint failed: status IN ('active', 'abnormal', 'deregistered', "
                "'revoked')");

    expect_exec(store, "INSERT INTO enterprise (uscc, name, region_code, industry_section) "
                       "VALUES ('91330100MA27XYZ12C', 'bad region', 12, 'F')",
                PH_EINVAL, "CHECK constraint failed: region_code BETWEEN 100000 AND 999999");

    /* upgrade in place to version 2: the reference data arrives, data stays */
    ph_assert_ok(ph_schema_migrate(store, 2, &applied, &err), &err);
    assert_int_equal(applied, 1);
    assert_int_equal(schema_version(store), 2);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM enterprise"), 1);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM industry_section"), 20);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM region WHERE level = 'province'"),
                     34);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM region WHERE parent_code = 370000"),
                     16);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM region r JOIN region c "
                                      "ON r.parent_code = c.code WHERE c.parent_code = 370000"),
                     136);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM region WHERE code = 370102 AND "
                                      "name_zh = '历下区' AND kind = 'district'"),
                     1);
    assert_int_equal(ph_test_query_int(store, "SELECT last_division FROM industry_section "
                                      "WHERE letter = 'C'"),
                     43);

    /* version 3 adds the data hub: a table pair per stored feed, none for truth */
    ph_assert_ok(ph_schema_migrate(store, -1, &applied, &err), &err);
    assert_int_equal(applied, 17);
    assert_int_equal(schema_version(store), 19);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM enterprise"), 1);
    size_t stored = 0;
    for (size_t i = 0; i < ph_feed_count(); i++)
        stored += (size_t)ph_schema_feed_stored(ph_feed_at(i));
    assert_int_equal(stored, 24);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM sqlite_schema WHERE "
                                              "type = 'table' AND name LIKE 'feed\\_%' ESCAPE '\\'"),
                     2 * 24);
    assert_false(table_exists(store, "feed_truth_pd"));
    assert_true(table_exists(store, "feed_vat_invoices_history"));
    /* money is fen, the key is the primary key, provenance is required */
    ph_test_exec(store, "INSERT INTO feed_vat_invoices VALUES ('91330100MA27XYZ12A', '2025-01', "
                        "1234567, 3, 0, 0, 1, 1.0, '2025-02-15', 1, 2, 42)");
    expect_exec(store, "INSERT INTO feed_vat_invoices VALUES ('91330100MA27XYZ12A', '2025-01', "
                       "1, 3, 0, 0, 1, 1.0, '2025-02-15', 1, 3, 43)",
                PH_EEXISTS, "UNIQUE constraint failed: feed_vat_invoices.uscc, "
                            "feed_vat_invoices.month");
    expect_exec(store, "INSERT INTO feed_vat_invoices (uscc, month, sales_amount_fen, "
                       "sales_invoices, purchase_amount_fen, purchase_invoices, "
                       "distinct_buyers, file_id, line, row_hash) VALUES "
                       "('91330100MA27XYZ12A', '2025-02', 1, 1, 1, 1, 1, 1, 1, 1)",
                PH_EINVAL, "NOT NULL constraint failed: feed_vat_invoices.known_on");
    /* the access log refuses edits and deletions */
    ph_test_exec(store, "INSERT INTO access_log (at, institution_id, uscc, purpose, what, "
                        "prev_hash, hash) VALUES ('2025-01-01T00:00:00Z', 'ABC', "
                        "'91330100MA27XYZ12A', 'credit', 'profile', '', 'h')");
    expect_exec(store, "UPDATE access_log SET what = 'nothing'", PH_EINVAL,
                "access_log is append-only: entries cannot be changed");
    expect_exec(store, "DELETE FROM access_log", PH_EINVAL,
                "access_log is append-only: entries cannot be deleted");
    /* version 6: a registered model is frozen but for its state, which moves
     * only along the legal transitions; events are append-only */
    ph_test_exec(store, "INSERT INTO model_registry (name, version, kind, checksum, size, "
                        "model, file, features, registered_at) VALUES ('pd', 1, 'xgboost', "
                        "printf('%064d', 0), 1, x'7b', 'm.json', '[]', '2025-01-01T00:00:00Z')");
    expect_exec(store, "UPDATE model_registry SET model = x'00'", PH_EINVAL,
                "model_registry: a registered model cannot be changed, only its state");
    expect_exec(store, "UPDATE model_registry SET state = 'retired'", PH_EINVAL,
                "model_registry: illegal state transition");
    expect_exec(store, "DELETE FROM model_registry", PH_EINVAL,
                "model_registry keeps every registered model: rows cannot be deleted");
    ph_test_exec(store, "UPDATE model_registry SET state = 'approved';"
                        "INSERT INTO model_event (model_id, at, from_state, to_state, actor, "
                        "note) VALUES (1, '2025-01-02T00:00:00Z', 'draft', 'approved', 'li', "
                        "'ok')");
    expect_exec(store, "UPDATE model_event SET actor = 'wang'", PH_EINVAL,
                "model_event is append-only: events cannot be changed");
    expect_exec(store, "DELETE FROM model_event", PH_EINVAL,
                "model_event is append-only: events cannot be deleted");
    /* version 7: a loaded policy is frozen but for its active marker, and a
     * lender's policy has at most one active version */
    ph_test_exec(store, "INSERT INTO policy (lender, name, version, checksum, size, document, "
                        "file, loaded_at, active) VALUES ('L', 'p', 1, printf('%064d', 0), 1, "
                        "x'7b', 'p.json', '2025-01-01T00:00:00Z', 1)");
    expect_exec(store, "UPDATE policy SET document = x'00'", PH_EINVAL,
                "policy: a loaded version cannot be changed, only activated");
    expect_exec(store, "DELETE FROM policy", PH_EINVAL,
                "policy keeps every loaded version: rows cannot be deleted");
    expect_exec(store, "INSERT INTO policy (lender, name, version, checksum, size, document, "
                       "file, loaded_at, active) VALUES ('L', 'p', 2, printf('%064d', 0), 1, "
                       "x'7b', 'p.json', '2025-01-01T00:00:00Z', 1)",
                PH_EEXISTS, "UNIQUE constraint failed: policy.lender, policy.name");
    ph_test_exec(store, "UPDATE policy SET active = 0");

    /* version 8: applications and decisions are immutable, an appeal is
     * decided once */
    ph_test_exec(store, "INSERT INTO application (uscc, amount_fen, term, purpose, guarantor, "
                        "asof, lpr, facts, not_asked, created_at) VALUES ('U', 100, 12, 'trade', "
                        "0, '2025-12-31', '3.00%', '{}', '[]', 'now')");
    expect_exec(store, "UPDATE application SET amount_fen = 1", PH_EINVAL,
                "application: a recorded application cannot be changed");
    ph_test_exec(store, "INSERT INTO decision (application_id, lender, policy_name, "
                        "policy_version, policy_checksum, role, served, approved, reasons, "
                        "inputs, trace, decided_at) VALUES (1, 'L', 'p', 1, 'c', 'champion', 1, "
                        "0, '[]', '{}', '{}', 'now')");
    expect_exec(store, "UPDATE decision SET approved = 1", PH_EINVAL,
                "decision: a recorded decision cannot be changed (appeal it)");
    expect_exec(store, "DELETE FROM decision", PH_EINVAL,
                "decision: recorded decisions cannot be deleted");
    ph_test_exec(store, "INSERT INTO appeal (decision_id, grounds, opened_at) VALUES (1, 'g', "
                        "'now')");
    ph_test_exec(store, "UPDATE appeal SET status = 'upheld', reviewer = 'r', reason = 'x'");
    expect_exec(store, "UPDATE appeal SET status = 'overturned'", PH_EINVAL,
                "appeal: a decided appeal cannot be changed");

    /* version 13: an API key's hash is written once, its role never
     * changes, it is revoked once and never deleted */
    ph_test_exec(store, "INSERT INTO api_key (role, tenant, hash, created_at) VALUES "
                        "('admin', '', '', 'now')");
    expect_exec(store, "INSERT INTO api_key (role, tenant, hash, created_at) VALUES "
                       "('root', '', '', 'now')",
                PH_EINVAL,
                "CHECK constraint failed: role IN ('enterprise', 'institution', 'regulator', "
                "'admin')");
    expect_exec(store, "INSERT INTO api_key (role, tenant, hash, created_at) VALUES "
                       "('admin', '', 'abc', 'now')",
                PH_EINVAL, "CHECK constraint failed: hash = '' OR length(hash) = 64");
    ph_test_exec(store, "UPDATE api_key SET hash = printf('%064d', 1)");
    expect_exec(store, "UPDATE api_key SET hash = printf('%064d', 2)", PH_EINVAL,
                "api_key: a key cannot be changed, only revoked");
    expect_exec(store, "UPDATE api_key SET role = 'enterprise'", PH_EINVAL,
                "api_key: a key cannot be changed, only revoked");
    ph_test_exec(store, "UPDATE api_key SET revoked_at = 'then'");
    expect_exec(store, "UPDATE api_key SET revoked_at = NULL", PH_EINVAL,
                "api_key: a revoked key stays revoked");
    expect_exec(store, "DELETE FROM api_key", PH_EINVAL,
                "api_key: keys cannot be deleted, only revoked");

    ph_assert_ok(ph_schema_migrate(store, -1, &applied, &err), &err);
    assert_int_equal(applied, 0);
    ph_assert_error(ph_schema_migrate(store, 20, &applied, &err), PH_ERANGE, &err,
                    "from 0 to 19, got 20");
    ph_store_free(store);
}

/* Every object of the schema, as text, in name order (rootpages left out:
 * they depend on the order tables were made, not on what they are). */
static char *schema_text(ph_store *store)
{
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_prepare(store,
                                  "SELECT type, name, tbl_name, ifnull(sql, '') FROM sqlite_schema "
                                  "WHERE name <> 'schema_migrations' ORDER BY type, name",
                                  &stmt, &err),
                 &err);
    size_t len = 0, cap = 1 << 16;
    char *text = malloc(cap);
    assert_non_null(text);
    text[0] = '\0';
    while (ph_stmt_step(stmt, &err) == PH_OK) {
        for (int c = 0; c < 4; c++) {
            const char *v = ph_stmt_column_text(stmt, c);
            size_t n = strlen(v) + 1;
            while (len + n + 1 > cap) {
                cap *= 2;
                text = realloc(text, cap);
                assert_non_null(text);
            }
            memcpy(text + len, v, n - 1);
            len += n - 1;
            text[len++] = c == 3 ? '\n' : '|';
            text[len] = '\0';
        }
    }
    ph_stmt_free(stmt);
    return text;
}

/* Version 14 makes the early-warning feeds' tables: a database that stopped
 * at 13 lacks them, gets them by upgrading, and ends with the very schema a
 * fresh database has. */
static void test_early_warning_feed_tables(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("vat_invoices")), 3);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("lenders")), 3);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("logistics_gps")), 14);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("public_opinion")), 14);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("truth_pd")), 0);
    assert_int_equal(ph_schema_feed_version(NULL), 0);

    ph_store *old = open_store(fx, "at13.db");
    int applied = -1;
    ph_assert_ok(ph_schema_migrate(old, 13, &applied, &err), &err);
    assert_int_equal(applied, 13);
    assert_true(table_exists(old, "feed_supply_chain_history"));
    assert_false(table_exists(old, "feed_logistics_gps"));
    assert_false(table_exists(old, "feed_public_opinion_history"));
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM sqlite_schema WHERE "
                                            "type = 'table' AND name LIKE 'feed\\_%' ESCAPE '\\'"),
                     2 * 19);
    ph_test_exec(old, "INSERT INTO feed_vat_invoices VALUES ('91330100MA27XYZ12A', '2025-01', "
                      "1234567, 3, 0, 0, 1, 1.0, '2025-02-15', 1, 2, 42)");
    ph_assert_ok(ph_schema_migrate(old, 14, &applied, &err), &err);
    assert_int_equal(applied, 1);
    assert_int_equal(schema_version(old), 14);
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM feed_vat_invoices"), 1);
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM schema_migrations WHERE "
                                            "version = 14 AND name = 'early-warning feeds'"),
                     1);
    assert_true(table_exists(old, "feed_logistics_gps"));
    assert_true(table_exists(old, "feed_logistics_gps_history"));
    assert_true(table_exists(old, "feed_public_opinion"));
    assert_true(table_exists(old, "feed_public_opinion_history"));
    /* a firm's trips are found without a scan, in both tables; the opinion
     * key starts with the firm */
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM sqlite_schema WHERE type = "
                                            "'index' AND name IN ('feed_logistics_gps_uscc', "
                                            "'feed_logistics_gps_history_uscc')"),
                     2);
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM sqlite_schema WHERE type = "
                                            "'index' AND tbl_name LIKE 'feed_public_opinion%' "
                                            "AND sql IS NOT NULL"),
                     1); /* the history table's key index */
    /* the catalog's columns, with the key as primary key */
    ph_test_exec(old, "INSERT INTO feed_logistics_gps VALUES ('T0000000100001', 1, "
                      "'91330100MA27XYZ12A', '2025-01-02', 'LU-A12345', 'depart', 'Y', 370102, "
                      "0, '2025-01-03', 1, 2, 7)");
    expect_exec(old, "INSERT INTO feed_logistics_gps VALUES ('T0000000100001', 1, "
                     "'91330100MA27XYZ12A', '2025-01-02', 'LU-A12345', 'stop', 'N', 370102, "
                     "12, '2025-01-03', 1, 3, 8)",
                PH_EEXISTS, "UNIQUE constraint failed: feed_logistics_gps.trip_id, "
                            "feed_logistics_gps.seq");
    ph_test_exec(old, "INSERT INTO feed_public_opinion VALUES ('91330100MA27XYZ12A', "
                      "'2025-01-02', 3, -0.4375, '2025-01-03', 1, 2, 9)");
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM feed_public_opinion WHERE "
                                            "score < -0.43 AND score > -0.44"),
                     1);

    ph_store *fresh = open_store(fx, "fresh14.db");
    ph_assert_ok(ph_schema_migrate(fresh, 14, &applied, &err), &err);
    assert_int_equal(applied, 14);
    char *a = schema_text(old), *b = schema_text(fresh);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "feed_logistics_gps_history_uscc"));
    free(a);
    free(b);
    ph_store_free(old);
    ph_store_free(fresh);
}

/* Version 16 makes the warehouse feeds' tables (issue 20): a database that
 * stopped at 15 lacks them, gets them by upgrading, and ends with the very
 * schema a fresh database has; the column names are the ones the
 * warehouse-receipt module reads. */
static void test_warehouse_feed_tables(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("warehouse_lots")), 16);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("warehouse_iot")), 16);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("commodity_prices")), 16);
    assert_int_equal(ph_schema_feed_version(ph_feed_find("truth_warehouse_anomalies")), 0);

    ph_store *old = open_store(fx, "at15.db");
    int applied = -1;
    ph_assert_ok(ph_schema_migrate(old, 15, &applied, &err), &err);
    assert_false(table_exists(old, "feed_warehouse_lots"));
    assert_false(table_exists(old, "feed_warehouse_iot_history"));
    assert_false(table_exists(old, "feed_commodity_prices"));
    assert_false(table_exists(old, "feed_truth_warehouse_anomalies"));
    ph_test_exec(old, "INSERT INTO feed_public_opinion VALUES ('91330100MA27XYZ12A', "
                      "'2025-01-02', 3, -0.4375, '2025-01-03', 1, 2, 9)");
    ph_assert_ok(ph_schema_migrate(old, 16, &applied, &err), &err);
    assert_int_equal(applied, 1);
    assert_int_equal(schema_version(old), 16);
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM feed_public_opinion"), 1);
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM schema_migrations WHERE "
                                            "version = 16 AND name = 'warehouse feeds'"),
                     1);
    static const char *const tables[] = {
        "feed_warehouse_lots", "feed_warehouse_lots_history", "feed_warehouse_iot",
        "feed_warehouse_iot_history", "feed_commodity_prices", "feed_commodity_prices_history",
    };
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        assert_true(table_exists(old, tables[i]));
    assert_false(table_exists(old, "feed_truth_warehouse_anomalies"));
    /* an owner's lots are found without a scan, in both tables */
    assert_int_equal(ph_test_query_int(old, "SELECT COUNT(*) FROM sqlite_schema WHERE type = "
                                            "'index' AND name IN ('feed_warehouse_lots_owner_uscc', "
                                            "'feed_warehouse_lots_history_owner_uscc')"),
                     2);
    /* the columns by name, as the receipt registry reads them, and the keys */
    ph_test_exec(old, "INSERT INTO feed_warehouse_lots (warehouse_id, lot, owner_uscc, commodity, "
                      "quantity_kg, stored_on, removed_on, lat, lon, geofence_m, known_on, file_id, "
                      "line, row_hash) VALUES ('WH0001', 'L00000001001', "
                      "'91330100MA27XYZ12A', 'steel', 25000, '2025-01-02', NULL, 36.651, "
                      "117.12, 500, '2025-01-03', 1, 2, 7)");
    expect_exec(old, "INSERT INTO feed_warehouse_lots (warehouse_id, lot, owner_uscc, commodity, "
                     "quantity_kg, stored_on, lat, lon, geofence_m, known_on, file_id, line, "
                     "row_hash) VALUES ('WH0001', 'L00000001001', '91330100MA27XYZ12A', "
                     "'copper', 1000, '2025-01-05', 36.651, 117.12, 500, '2025-01-06', 1, 3, 8)",
                PH_EEXISTS, "UNIQUE constraint failed: feed_warehouse_lots.warehouse_id, "
                            "feed_warehouse_lots.lot");
    ph_test_exec(old, "INSERT INTO feed_warehouse_iot (warehouse_id, lot, date, weight_kg, "
                      "temperature_c, lat, lon, known_on, file_id, line, row_hash) VALUES "
                      "('WH0001', 'L00000001001', '2025-01-02', 24980, -2.5, 36.651003, "
                      "117.120004, '2025-01-03', 2, 2, 9)");
    ph_test_exec(old, "INSERT INTO feed_commodity_prices (commodity, date, price_per_kg_fen, "
                      "known_on, file_id, line, row_hash) VALUES ('steel', '2025-01-02', 391, "
                      "'2025-01-02', 3, 2, 10)");
    assert_int_equal(ph_test_query_int(old, "SELECT price_per_kg_fen * quantity_kg FROM "
                                            "feed_commodity_prices JOIN feed_warehouse_lots "
                                            "USING (commodity)"),
                     9775000);

    ph_store *fresh = open_store(fx, "fresh16.db");
    ph_assert_ok(ph_schema_migrate(fresh, 16, &applied, &err), &err);
    assert_int_equal(applied, 16);
    char *a = schema_text(old), *b = schema_text(fresh);
    assert_string_equal(a, b);
    free(a);
    free(b);
    ph_store_free(old);
    ph_store_free(fresh);
}

/* Version 17, the claim vouchers: a part's columns never change, its status
 * moves only forward, events are append-only and a part is financed at most
 * once - the store refuses, whatever program writes. */
static void test_claim_voucher_store(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_store *store = open_store(fx, "voucher.db");
    int applied = -1;
    ph_assert_ok(ph_schema_migrate(store, 16, &applied, &err), &err);
    assert_false(table_exists(store, "voucher"));
    ph_assert_ok(ph_schema_migrate(store, 17, &applied, &err), &err);
    assert_int_equal(applied, 1);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM schema_migrations WHERE "
                                              "version = 17 AND name = 'claim vouchers'"),
                     1);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM voucher_grade_spread"), 4);
    ph_test_exec(store, "INSERT INTO institution (id, name, kind) VALUES ('BANK01', 'b', "
                        "'commercial_bank')");
    ph_test_exec(store, "INSERT INTO voucher (id, seq, root_id, issuer_uscc, face, maturity, "
                        "grade, payable_ref, holder_uscc, tier, created_on) VALUES ('V000001', "
                        "1, 'V000001', '91370100MA3C00001X', 100, '2026-06-30', 'AA', '', "
                        "'91370102MA3C00002Y', 1, '2026-01-05')");
    expect_exec(store, "UPDATE voucher SET face = 99", PH_EINVAL,
                "voucher: a part cannot be changed, only split, transferred, financed or settled");
    expect_exec(store, "UPDATE voucher SET status = 'bogus'", PH_EINVAL,
                "voucher: illegal status transition");
    ph_test_exec(store, "UPDATE voucher SET status = 'financed'");
    expect_exec(store, "UPDATE voucher SET status = 'held'", PH_EINVAL,
                "voucher: illegal status transition");
    expect_exec(store, "DELETE FROM voucher", PH_EINVAL, "voucher: parts cannot be deleted");
    ph_test_exec(store, "INSERT INTO voucher_financing (voucher_id, lender, day, rate, days, "
                        "discount, advance) VALUES ('V000001', 'BANK01', '2026-02-01', '3.80%', "
                        "149, 2, 98)");
    expect_exec(store, "INSERT INTO voucher_financing (voucher_id, lender, day, rate, days, "
                       "discount, advance) VALUES ('V000001', 'BANK01', '2026-02-02', '3.80%', "
                       "148, 2, 98)",
                PH_EEXISTS, "UNIQUE constraint failed: voucher_financing.voucher_id");
    ph_test_exec(store, "INSERT INTO voucher_event (seq, voucher_id, type, day, actor, "
                        "counterparty, amount, detail) VALUES (1, 'V000001', 'issue', "
                        "'2026-01-05', 'a', 'b', 100, '{}')");
    expect_exec(store, "UPDATE voucher_event SET amount = 1", PH_EINVAL,
                "voucher_event is append-only: events cannot be changed");
    expect_exec(store, "DELETE FROM voucher_event", PH_EINVAL,
                "voucher_event is append-only: events cannot be deleted");
    ph_store_free(store);
}

/* Version 15, the early warning's store: a rule set's bytes never change
 * and at most one set is active; an alert keeps what the engine said and
 * moves only along the legal states; what happens to it is appended. */
static void test_early_warning_store(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_store *store = open_store(fx, "warning.db");
    int applied = -1;
    ph_assert_ok(ph_schema_migrate(store, 14, &applied, &err), &err);
    assert_false(table_exists(store, "warning_rules"));
    ph_assert_ok(ph_schema_migrate(store, 15, &applied, &err), &err);
    assert_int_equal(applied, 1);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM schema_migrations WHERE "
                                              "version = 15 AND name = 'early warning'"),
                     1);
    static const char *const tables[] = {"warning_rules", "warning_run", "warning_alert",
                                         "warning_alert_event", "warning_level"};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        assert_true(table_exists(store, tables[i]));

    ph_test_exec(store, "INSERT INTO warning_rules (name, version, checksum, size, text, file, "
                        "loaded_at, active) VALUES ('brief', 1, printf('%064d', 0), 2, x'7b7d', "
                        "'r.json', 'now', 1)");
    expect_exec(store, "UPDATE warning_rules SET text = x'00'", PH_EINVAL,
                "warning_rules: a loaded version cannot be changed, only activated");
    expect_exec(store, "DELETE FROM warning_rules", PH_EINVAL,
                "warning_rules keeps every loaded version: rows cannot be deleted");
    expect_exec(store, "INSERT INTO warning_rules (name, version, checksum, size, text, file, "
                       "loaded_at, active) VALUES ('other', 1, printf('%064d', 1), 2, x'7b7d', "
                       "'o.json', 'now', 1)",
                PH_EEXISTS, "UNIQUE constraint failed: warning_rules.active");
    expect_exec(store, "INSERT INTO warning_rules (name, version, checksum, size, text, file, "
                       "loaded_at) VALUES ('brief', 1, printf('%064d', 1), 2, x'7b7d', "
                       "'o.json', 'now')",
                PH_EEXISTS, "UNIQUE constraint failed: warning_rules.name, warning_rules.version");
    ph_test_exec(store, "UPDATE warning_rules SET active = 0");

    ph_test_exec(store, "INSERT INTO warning_run (rule_set_id, mode, started_at) VALUES "
                        "(1, 'replay', 'now')");
    expect_exec(store, "INSERT INTO warning_run (rule_set_id, mode, started_at) VALUES "
                       "(1, 'batch', 'now')",
                PH_EINVAL, "CHECK constraint failed: mode IN ('replay', 'follow')");
    ph_test_exec(store, "INSERT INTO warning_alert (run_id, day, uscc, institution_id, "
                        "rule_set_id, rule, level, action, evidence, created_at, updated_at) "
                        "VALUES (1, '2025-03-01', '91330100MA27XYZ12A', 'BANK01', 1, "
                        "'inflow_drop_2w', 'red', 'freeze', '{}', 'now', 'now')");
    expect_exec(store, "INSERT INTO warning_alert (run_id, day, uscc, institution_id, "
                       "rule_set_id, rule, level, action, evidence, created_at, updated_at) "
                       "VALUES (1, '2025-03-01', '91330100MA27XYZ12A', 'BANK01', 1, "
                       "'r', 'red', 'shout', '{}', 'now', 'now')",
                PH_EINVAL,
                "CHECK constraint failed: action IN ('alert', 'inspection', 'pause_draws', "
                "'freeze')");
    expect_exec(store, "UPDATE warning_alert SET evidence = '{\"x\":1}'", PH_EINVAL,
                "warning_alert: an alert cannot be changed, only acknowledged, escalated or "
                "closed");
    expect_exec(store, "UPDATE warning_alert SET state = 'open'", PH_EINVAL,
                "warning_alert: illegal state transition");
    ph_test_exec(store, "UPDATE warning_alert SET state = 'acknowledged', updated_at = 'later'");
    expect_exec(store, "UPDATE warning_alert SET state = 'open'", PH_EINVAL,
                "warning_alert: illegal state transition");
    ph_test_exec(store, "UPDATE warning_alert SET state = 'escalated'");
    ph_test_exec(store, "UPDATE warning_alert SET state = 'closed'");
    expect_exec(store, "UPDATE warning_alert SET state = 'escalated'", PH_EINVAL,
                "warning_alert: illegal state transition");
    expect_exec(store, "DELETE FROM warning_alert", PH_EINVAL,
                "warning_alert: alerts cannot be deleted, only closed");

    ph_test_exec(store, "INSERT INTO warning_alert_event (alert_id, at, event, by_whom, "
                        "reason) VALUES (1, 'now', 'ack', 'Li Wei', '')");
    ph_test_exec(store, "INSERT INTO warning_alert_event (alert_id, at, event, by_whom, "
                        "reason, loan_id) VALUES (1, 'now', 'freeze', 'puhui watch', 'r', 7)");
    expect_exec(store, "INSERT INTO warning_alert_event (alert_id, at, event, by_whom, reason) "
                       "VALUES (1, 'now', 'close', 'Li Wei', '')",
                PH_EINVAL, "CHECK constraint failed: event <> 'close' OR reason <> ''");
    expect_exec(store, "INSERT INTO warning_alert_event (alert_id, at, event, by_whom, reason) "
                       "VALUES (1, 'now', 'pause', 'puhui watch', 'r')",
                PH_EINVAL,
                "CHECK constraint failed: (event IN ('freeze', 'pause', 'resume')) = (loan_id "
                "IS NOT NULL)");
    expect_exec(store, "UPDATE warning_alert_event SET by_whom = 'Wang'", PH_EINVAL,
                "warning_alert_event is append-only: events cannot be changed");
    expect_exec(store, "DELETE FROM warning_alert_event", PH_EINVAL,
                "warning_alert_event is append-only: events cannot be deleted");

    ph_test_exec(store, "INSERT INTO warning_level (run_id, day, uscc, level, previous, rule, "
                        "evidence) VALUES (1, '2025-03-01', '91330100MA27XYZ12A', 'red', "
                        "'green', 'inflow_drop_2w', '{}')");
    expect_exec(store, "INSERT INTO warning_level (run_id, day, uscc, level, previous, rule, "
                       "evidence) VALUES (1, '2025-03-01', '91330100MA27XYZ12A', 'red', "
                       "'yellow', 'x', '{}')",
                PH_EEXISTS,
                "UNIQUE constraint failed: warning_level.run_id, warning_level.uscc, "
                "warning_level.day, warning_level.level");
    expect_exec(store, "UPDATE warning_level SET level = 'green'", PH_EINVAL,
                "warning_level is append-only: colours cannot be changed");
    expect_exec(store, "DELETE FROM warning_level", PH_EINVAL,
                "warning_level is append-only: colours cannot be deleted");
    ph_store_free(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_database_to_latest),
        cmocka_unit_test(test_upgrade_in_place_keeps_data),
        cmocka_unit_test(test_target_versions),
        cmocka_unit_test(test_newer_database_is_refused),
        cmocka_unit_test(test_failed_migration_changes_nothing),
        cmocka_unit_test(test_commit_inside_sql_is_caught),
        cmocka_unit_test(test_malformed_lists),
        cmocka_unit_test(test_platform_schema),
        cmocka_unit_test(test_trigger_definitions),
        cmocka_unit_test(test_early_warning_store),
        cmocka_unit_test(test_claim_voucher_store),
        cmocka_unit_test(test_early_warning_feed_tables),
        cmocka_unit_test(test_warehouse_feed_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
