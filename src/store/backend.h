/*
 * The store's backend interface (private to src/store).
 *
 * store.c owns everything a caller can get wrong: NULL arguments, index
 * ranges, statement state, transaction nesting. A backend is only the
 * database-specific part: it receives arguments that are already valid and
 * turns its native errors into ph_status codes and messages that name what
 * failed. Adding PostgreSQL means writing one more `ph_backend` and one row
 * in store.c's scheme table; no caller changes.
 *
 * Conventions for every function below: `err` may be NULL; on failure the
 * backend fills it; output parameters are written only on success.
 */
#ifndef PH_STORE_BACKEND_H
#define PH_STORE_BACKEND_H

#include "puhui/store.h"

#include <stddef.h>
#include <stdint.h>

/* A backend's connection and statement; each backend defines its own. */
typedef struct ph_backend_conn ph_backend_conn;
typedef struct ph_backend_stmt ph_backend_stmt;

/* What ph_store_open hands the backend, already validated. */
typedef struct ph_backend_open_args {
    const ph_ctx *ctx;   /* for allocations and logging; outlives the conn */
    const char *location; /* the backend-specific part of the URI (SQLite: a path) */
    int busy_timeout_ms;  /* > 0: the default is already applied */
    int read_only;
    int must_exist;
} ph_backend_open_args;

typedef struct ph_backend {
    const char *name; /* "sqlite" */

    /* --- connection ---------------------------------------------------- */
    ph_status (*open)(const ph_backend_open_args *args, ph_backend_conn **out, ph_error *err);
    void (*close)(ph_backend_conn *conn); /* never NULL here */
    /* Run SQL without parameters; several statements allowed; rows are
     * discarded. */
    ph_status (*exec)(ph_backend_conn *conn, const char *sql, ph_error *err);
    ph_status (*begin)(ph_backend_conn *conn, ph_error *err);
    ph_status (*commit)(ph_backend_conn *conn, ph_error *err);
    ph_status (*rollback)(ph_backend_conn *conn, ph_error *err);
    /* The truth about the connection: is a transaction open right now? The
     * database may end one on its own (an error that forces a rollback), or
     * SQL run through exec may have opened or closed one. */
    int (*in_transaction)(const ph_backend_conn *conn);
    /* A read-only transaction whose snapshot is fixed before it returns
     * (ph_store_begin_read). */
    ph_status (*begin_read)(ph_backend_conn *conn, ph_error *err);
    int64_t (*changes)(ph_backend_conn *conn);
    /* While `on`, SQL that begins, commits or rolls back a transaction is
     * refused (PH_EMISUSE) before it runs, so that code running inside a
     * transaction the store manages (a migration) cannot end it early.
     * Cannot fail: switching it is local to the connection. */
    void (*guard_transaction)(ph_backend_conn *conn, int on);

    /* --- statements ---------------------------------------------------- */
    /* Exactly one statement; anything but whitespace or comments after it
     * is PH_EINVAL. */
    ph_status (*prepare)(ph_backend_conn *conn, const char *sql, ph_backend_stmt **out,
                         ph_error *err);
    int (*param_count)(ph_backend_stmt *stmt);
    ph_status (*bind_int64)(ph_backend_stmt *stmt, int index, int64_t value, ph_error *err);
    ph_status (*bind_double)(ph_backend_stmt *stmt, int index, double value, ph_error *err);
    /* `value` holds `len` bytes (not necessarily NUL-terminated); copied. */
    ph_status (*bind_text)(ph_backend_stmt *stmt, int index, const char *value, size_t len,
                           ph_error *err);
    /* The same, not copied: `value` stays valid until the statement is next
     * stepped to completion, reset, rebound or finalised. */
    ph_status (*bind_text_static)(ph_backend_stmt *stmt, int index, const char *value,
                                  size_t len, ph_error *err);
    ph_status (*bind_null)(ph_backend_stmt *stmt, int index, ph_error *err);
    /* `len` bytes of binary data (any byte, NUL included); copied. */
    ph_status (*bind_blob)(ph_backend_stmt *stmt, int index, const void *value, size_t len,
                           ph_error *err);
    /* PH_OK: a row is ready; PH_DONE: finished; < 0: failed. */
    ph_status (*step)(ph_backend_stmt *stmt, ph_error *err);
    ph_status (*reset)(ph_backend_stmt *stmt, ph_error *err);
    int (*column_count)(ph_backend_stmt *stmt);
    /* Column accessors: `col` is in range and a row is ready. */
    const char *(*column_name)(ph_backend_stmt *stmt, int col);
    int (*column_is_null)(ph_backend_stmt *stmt, int col);
    int64_t (*column_int64)(ph_backend_stmt *stmt, int col);
    double (*column_double)(ph_backend_stmt *stmt, int col);
    const char *(*column_text)(ph_backend_stmt *stmt, int col);
    /* The bytes of a value read as binary, *len their count (NULL for a
     * zero-length value or SQL NULL, *len 0). */
    const void *(*column_blob)(ph_backend_stmt *stmt, int col, size_t *len);
    /* The length in bytes of the value as last read by column_text or
     * column_blob (text may hold NUL bytes); 0 for SQL NULL. */
    size_t (*column_bytes)(ph_backend_stmt *stmt, int col);
    /* Done with the statement: finalise it, or (a backend with a statement
     * cache) reset it, clear its bindings and keep it for the next prepare
     * of the same SQL. Never NULL here. */
    void (*finalize)(ph_backend_stmt *stmt);
    /* Idle statements kept for reuse on this connection (tests). */
    size_t (*cached_statements)(const ph_backend_conn *conn);

    /* --- schema introspection ------------------------------------------ */
    /* The user tables (not the backend's own bookkeeping tables), sorted by
     * name in byte order. The array and names are released with
     * free_tables. An empty database gives *names == NULL, *count == 0. */
    ph_status (*list_tables)(ph_backend_conn *conn, char ***names, size_t *count,
                             ph_error *err);
    void (*free_tables)(ph_backend_conn *conn, char **names, size_t count);
    ph_status (*has_table)(ph_backend_conn *conn, const char *table, int *exists,
                           ph_error *err);
    /* Does trigger `trigger` exist on table `table`? */
    ph_status (*has_trigger)(ph_backend_conn *conn, const char *table, const char *trigger,
                             int *exists, ph_error *err);
    /* The stored definition of trigger `trigger` on `table` (as
     * ph_store_trigger_sql). */
    ph_status (*trigger_sql)(ph_backend_conn *conn, const char *table, const char *trigger,
                             char *out, size_t size, long *len, ph_error *err);
    /* Rows in `table`, a name from list_tables; the backend quotes it. */
    ph_status (*count_rows)(ph_backend_conn *conn, const char *table, int64_t *rows,
                            ph_error *err);
} ph_backend;

/* The backends compiled into this library. */
extern const ph_backend ph_sqlite_backend;

#endif /* PH_STORE_BACKEND_H */
