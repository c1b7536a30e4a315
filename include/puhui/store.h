/*
 * puhui — the store layer: all persistence goes through here.
 *
 * A store is opened from a URI and served by a backend (SQLite today:
 * a plain path or "sqlite:PATH"; PostgreSQL later) behind one interface, so
 * callers never see which database they talk to. SQL uses `?` placeholders;
 * values are always bound, never spliced into SQL text.
 *
 * A store handle is used by one thread at a time; open one per thread.
 */
#ifndef PUHUI_STORE_H
#define PUHUI_STORE_H

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ph_store ph_store;
typedef struct ph_stmt ph_stmt;

typedef struct ph_store_options {
    int busy_timeout_ms; /* wait this long for a lock; 0 means 5000 */
    int read_only;       /* open without write access */
    int must_exist;      /* fail with PH_ENOTFOUND instead of creating the database */
} ph_store_options;

/* Open (creating if allowed) the store at `uri`. `options` may be NULL.
 * The context must outlive the store. */
PH_EXTERN ph_status ph_store_open(const ph_ctx *ctx, const char *uri,
                                  const ph_store_options *options, ph_store **out,
                                  ph_error *err);
/* Close the store, finalising nothing for the caller: free statements first.
 * An open transaction is rolled back. NULL is allowed. */
PH_EXTERN void ph_store_free(ph_store *store);

/* "sqlite" for the embedded backend. */
PH_EXTERN const char *ph_store_backend_name(const ph_store *store);
/* The path or URI the store was opened with. */
PH_EXTERN const char *ph_store_uri(const ph_store *store);

/* Run SQL that takes no parameters (DDL, pragmas); several statements allowed. */
PH_EXTERN ph_status ph_store_exec(ph_store *store, const char *sql, ph_error *err);

/* Transactions. Every multi-row change runs inside one. Nesting is a misuse
 * (PH_EMISUSE). ph_store_rollback with no open transaction does nothing. */
PH_EXTERN ph_status ph_store_begin(ph_store *store, ph_error *err);
PH_EXTERN ph_status ph_store_commit(ph_store *store, ph_error *err);
PH_EXTERN ph_status ph_store_rollback(ph_store *store, ph_error *err);
PH_EXTERN int ph_store_in_transaction(const ph_store *store);

/* Prepared statements. Parameter and column indexes: parameters are 1-based,
 * columns 0-based (as in SQLite). */
PH_EXTERN ph_status ph_store_prepare(ph_store *store, const char *sql, ph_stmt **out,
                                     ph_error *err);
PH_EXTERN ph_status ph_stmt_bind_int64(ph_stmt *stmt, int index, int64_t value, ph_error *err);
PH_EXTERN ph_status ph_stmt_bind_double(ph_stmt *stmt, int index, double value, ph_error *err);
/* `len` < 0: `value` is NUL-terminated. The text is copied. */
PH_EXTERN ph_status ph_stmt_bind_text(ph_stmt *stmt, int index, const char *value, long len,
                                      ph_error *err);
PH_EXTERN ph_status ph_stmt_bind_null(ph_stmt *stmt, int index, ph_error *err);
/* PH_OK when a row is ready to read, PH_DONE when the statement has finished. */
PH_EXTERN ph_status ph_stmt_step(ph_stmt *stmt, ph_error *err);
/* Make the statement ready to run again; bindings are kept until rebound. */
PH_EXTERN ph_status ph_stmt_reset(ph_stmt *stmt, ph_error *err);
PH_EXTERN int ph_stmt_column_count(ph_stmt *stmt);
PH_EXTERN const char *ph_stmt_column_name(ph_stmt *stmt, int col);
PH_EXTERN int ph_stmt_column_is_null(ph_stmt *stmt, int col);
PH_EXTERN int64_t ph_stmt_column_int64(ph_stmt *stmt, int col);
PH_EXTERN double ph_stmt_column_double(ph_stmt *stmt, int col);
/* NULL for SQL NULL; valid until the next step, reset or free. */
PH_EXTERN const char *ph_stmt_column_text(ph_stmt *stmt, int col);
/* Rows changed by the last completed INSERT, UPDATE or DELETE on this store. */
PH_EXTERN int64_t ph_store_changes(ph_store *store);
PH_EXTERN void ph_stmt_free(ph_stmt *stmt);

/* --- Schema migrations --------------------------------------------------
 * A migration moves the schema from version-1 to version. Its SQL runs, then
 * its optional `apply` function (for data steps), inside one transaction
 * together with the record in the schema_migrations table: a migration is
 * applied whole or not at all. Versions start at 1 and have no gaps. */
typedef struct ph_migration {
    int version;
    const char *name;
    const char *sql; /* may be NULL */
    ph_status (*apply)(ph_store *store, ph_error *err); /* may be NULL */
} ph_migration;

/* Current schema version: 0 for an empty database. */
PH_EXTERN ph_status ph_store_schema_version(ph_store *store, int *version, ph_error *err);

/* Apply the migrations of `list` above the current version up to `target`
 * (-1: the last of the list). A database whose version is above the list's
 * last fails with PH_ESCHEMA. `applied` (may be NULL) receives how many ran. */
PH_EXTERN ph_status ph_store_migrate(ph_store *store, const ph_migration *list, size_t count,
                                     int target, int *applied, ph_error *err);

/* --- Introspection, for `puhui info` and operators --------------------- */
typedef struct ph_table_info {
    const char *name;
    int64_t rows;
} ph_table_info;

typedef ph_status (*ph_table_fn)(void *user, const ph_table_info *table, ph_error *err);

/* Call `fn` for every user table, in name order, with its row count. */
PH_EXTERN ph_status ph_store_each_table(ph_store *store, ph_table_fn fn, void *user,
                                        ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_STORE_H */
