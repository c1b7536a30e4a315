/*
 * Schema migrations: move a database from the version it has to the version
 * a list of migrations describes, one migration per transaction.
 *
 * The version lives in the schema_migrations table, one row per applied
 * migration; the highest row is the version. Because the row is written in
 * the same transaction as the migration's changes, the version can never
 * claim a migration that is not there, nor miss one that is.
 *
 * Everything here goes through the store API (plus the module's
 * has_table and transaction-guard helpers), so it works on any backend whose
 * SQL understands CREATE TABLE IF NOT EXISTS and MAX().
 */
#include "store/store_internal.h"

#include <limits.h>

static const char MIGRATIONS_TABLE[] = "schema_migrations";

/* applied_at is UTC in ISO 8601 ("2025-03-01T08:30:00Z"): sortable as text
 * and unambiguous whatever the server's time zone. */
static const char CREATE_MIGRATIONS_SQL[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

static const char RECORD_MIGRATION_SQL[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

ph_status ph_store_schema_version(ph_store *store, int *version, ph_error *err)
{
    if (store == NULL || version == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_schema_version: store and version must not be NULL");
    int exists = 0;
    ph_status st = store_has_table(store, MIGRATIONS_TABLE, &exists, err);
    if (st != PH_OK)
        return st;
    if (!exists) {
        *version = 0;
        return PH_OK;
    }
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, "SELECT MAX(version) FROM schema_migrations", &stmt, err);
    if (st != PH_OK)
        return st;
    st = ph_stmt_step(stmt, err);
    int64_t found = 0;
    if (st == PH_OK) {
        found = ph_stmt_column_int64(stmt, 0); /* NULL (no rows) reads as 0 */
        if (found < 0 || found > INT_MAX)
            st = ph_error_set(err, PH_ESTORE, "schema_migrations.version", NULL,
                              "expected a version from 1 to %d, got %lld", INT_MAX,
                              (long long)found);
    } else if (st == PH_DONE) {
        st = PH_OK; /* an aggregate always gives a row; be safe anyway */
    }
    ph_stmt_free(stmt);
    if (st != PH_OK)
        return st;
    *version = (int)found;
    return PH_OK;
}

ph_status ph_store_migration_each(ph_store *store, ph_migration_fn fn, void *user,
                                  ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_migration_each: store and fn must not be NULL");
    int exists = 0;
    ph_status st = store_has_table(store, MIGRATIONS_TABLE, &exists, err);
    if (st != PH_OK || !exists)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store,
                          "SELECT version, name, applied_at FROM schema_migrations "
                          "ORDER BY version",
                          &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_migration_record m = {(int)ph_stmt_column_int64(stmt, 0), ph_stmt_column_text(stmt, 1),
                                 ph_stmt_column_text(stmt, 2)};
        st = fn(user, &m, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* The list must be versions 1..n in order, each with a name and something
 * to do: a mistake here is the programmer's, found before touching data. */
static ph_status check_list(const ph_migration *list, size_t count, ph_error *err)
{
    if (count > 0 && list == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_migrate: list is NULL but count is %zu", count);
    if (count > (size_t)INT_MAX)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_migrate: count %zu is more than %d migrations", count,
                            INT_MAX);
    for (size_t i = 0; i < count; i++) {
        const ph_migration *m = &list[i];
        if (m->version < 0 || (size_t)m->version != i + 1)
            return ph_error_set(err, PH_EMISUSE, "version", NULL,
                                "migration list entry %zu has version %d; expected %zu "
                                "(versions run from 1 without gaps)",
                                i, m->version, i + 1);
        if (m->name == NULL || m->name[0] == '\0')
            return ph_error_set(err, PH_EMISUSE, "name", NULL,
                                "migration %d has no name", m->version);
        if (m->sql == NULL && m->apply == NULL)
            return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                                "migration %d (%s) has neither sql nor apply", m->version,
                                m->name);
    }
    return PH_OK;
}

ph_status ph_store_require_schema(ph_store *store, int version, const char *what,
                                  ph_error *err)
{
    int have = 0;
    ph_status st = ph_store_schema_version(store, &have, err);
    if (st == PH_OK && have < version)
        st = ph_error_set(err, PH_ESCHEMA, "schema_version", NULL,
                          "%s needs schema version %d or later, the database has %d; run "
                          "`puhui init`",
                          what, version, have);
    return st;
}

static ph_status newer_schema(int version, int last, ph_error *err)
{
    return ph_error_set(err, PH_ESCHEMA, NULL, NULL,
                        "database schema version %d is newer than this puhui (knows up to %d); "
                        "upgrade puhui",
                        version, last);
}

static ph_status record_migration(ph_store *store, const ph_migration *m, ph_error *err)
{
    char applied_at[PH_UTC_MAX];
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), applied_at, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, RECORD_MIGRATION_SQL, &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, m->version, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, m->name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, applied_at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* The body of one migration, inside its transaction. */
static ph_status run_body(ph_store *store, const ph_migration *m, ph_error *err)
{
    ph_status st = ph_store_exec(store, CREATE_MIGRATIONS_SQL, err);
    if (st == PH_OK && m->sql != NULL)
        st = ph_store_exec(store, m->sql, err);
    if (st == PH_OK && m->apply != NULL)
        st = m->apply(store, err);
    if (st == PH_OK)
        st = record_migration(store, m, err);
    return st;
}

/*
 * Apply the next migration, if the database (read again inside the
 * transaction, in case another process migrated meanwhile) still needs one
 * below `target`. *ran is 1 when one was applied, 0 when there is nothing
 * left to do.
 */
static ph_status migrate_next(ph_store *store, const ph_migration *list, int last, int target,
                              int *ran, ph_error *err)
{
    ph_status st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    int version = 0;
    st = ph_store_schema_version(store, &version, err);
    if (st == PH_OK && version > last)
        st = newer_schema(version, last, err);
    if (st != PH_OK || version >= target) {
        ph_store_rollback(store, NULL);
        *ran = 0;
        return st;
    }
    const ph_migration *m = &list[version]; /* moves the schema to version + 1 */
    ph_error inner;
    ph_error_clear(&inner);
    /* The guard keeps the migration from ending the transaction early: what
     * it did would be committed without its record, or lost. */
    store_guard_transaction(store, 1);
    st = run_body(store, m, &inner);
    store_guard_transaction(store, 0);
    if (st == PH_OK)
        st = ph_store_commit(store, &inner);
    if (st != PH_OK) {
        ph_store_rollback(store, NULL);
        return ph_error_set(err, st, NULL, NULL, "migration %d (%s) failed: %s", m->version,
                            m->name, inner.message);
    }
    *ran = 1;
    return PH_OK;
}

ph_status ph_store_migrate(ph_store *store, const ph_migration *list, size_t count, int target,
                           int *applied, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_store_migrate: store is NULL");
    ph_status st = check_list(list, count, err);
    if (st != PH_OK)
        return st;
    const int last = (int)count;
    if (target == -1)
        target = last;
    if (target < 0 || target > last)
        return ph_error_set(err, PH_ERANGE, "target", NULL,
                            "expected -1 (the latest) or a version from 0 to %d, got %d", last,
                            target);
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_migrate runs each migration in its own transaction; "
                            "commit or roll back the open one first");

    /* Check outside any transaction first, so that an up-to-date database
     * (the usual case) costs no write lock. */
    int version = 0;
    st = ph_store_schema_version(store, &version, err);
    if (st != PH_OK)
        return st;
    if (version > last)
        return newer_schema(version, last, err);

    int count_applied = 0;
    int ran = version < target;
    while (ran) {
        st = migrate_next(store, list, last, target, &ran, err);
        if (st != PH_OK)
            return st;
        count_applied += ran;
    }
    if (applied != NULL)
        *applied = count_applied;
    return PH_OK;
}
