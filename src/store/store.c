/*
 * The store front end: argument checks, statement and transaction state,
 * and dispatch to the backend chosen by the URI. Nothing here knows SQL
 * dialects or database error codes; that is the backend's job (backend.h).
 */
#include "store/backend.h"
#include "store/store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define PH_STORE_DEFAULT_BUSY_TIMEOUT_MS 5000

/* Where a statement is in its life: binding is allowed only when it is not
 * in the middle of returning rows. */
typedef enum stmt_state {
    STMT_READY, /* prepared or reset: bind, then step */
    STMT_ROW,   /* the last step returned a row */
    STMT_DONE   /* the last step finished or failed */
} stmt_state;

struct ph_store {
    const ph_ctx *ctx;
    const ph_backend *backend;
    ph_backend_conn *conn;
    char *uri;
    int in_txn;     /* kept in step with backend->in_transaction */
    int guarded;    /* the transaction belongs to ph_store_migrate */
    int in_unit;    /* the open transaction is a unit (ph_store_begin_unit) */
    int unit_depth; /* savepoints open inside the unit */
    store_prepare_hook prepare_hook; /* tests only (store_internal.h) */
    void *prepare_hook_user;
    ph_stmt *stmts; /* live statements, so that ph_store_free can find leftovers */
};

struct ph_stmt {
    ph_store *store;
    ph_backend_stmt *impl;
    stmt_state state;
    int param_count;
    int column_count;
    ph_stmt *prev;
    ph_stmt *next;
};

/* --- choosing the backend ------------------------------------------------ */

/* URI prefixes we recognise. A backend of NULL is a scheme we know about but
 * that is not built in; `why_not` is then the message for the operator. */
typedef struct store_scheme {
    const char *prefix;
    const ph_backend *backend;
    const char *why_not;
} store_scheme;

static const store_scheme SCHEMES[] = {
    {"sqlite:", &ph_sqlite_backend, NULL},
    {"postgresql://", NULL,
     "the PostgreSQL backend is not built into this puhui; use a SQLite path"},
    {"postgres://", NULL,
     "the PostgreSQL backend is not built into this puhui; use a SQLite path"},
};

/* Length of a leading "scheme://" (RFC 3986 scheme syntax), else 0. */
static size_t uri_scheme_len(const char *uri)
{
    size_t i = 0;
    if (!isalpha((unsigned char)uri[0]))
        return 0;
    while (isalnum((unsigned char)uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.')
        i++;
    return strncmp(uri + i, "://", 3) == 0 ? i : 0;
}

/*
 * Split `uri` into a backend and the backend's location. A plain path is a
 * SQLite database. Credentials may sit in a network URI, so errors name only
 * the scheme, never the whole URI.
 */
static ph_status pick_backend(const char *uri, const ph_backend **backend, const char **location,
                              ph_error *err)
{
    for (size_t i = 0; i < sizeof(SCHEMES) / sizeof(SCHEMES[0]); i++) {
        size_t len = strlen(SCHEMES[i].prefix);
        if (strncasecmp(uri, SCHEMES[i].prefix, len) != 0)
            continue;
        if (SCHEMES[i].backend == NULL)
            return ph_error_set(err, PH_EINVAL, "uri", NULL, "%s", SCHEMES[i].why_not);
        *backend = SCHEMES[i].backend;
        *location = uri + len;
        return PH_OK;
    }
    size_t scheme = uri_scheme_len(uri);
    if (scheme > 0)
        return ph_error_setn(err, PH_EINVAL, "uri", uri, scheme,
                             "unknown store scheme; expected a SQLite path or sqlite:PATH");
    *backend = &ph_sqlite_backend;
    *location = uri;
    return PH_OK;
}

/* --- opening and closing ------------------------------------------------- */

ph_status ph_store_open(const ph_ctx *ctx, const char *uri, const ph_store_options *options,
                        ph_store **out, ph_error *err)
{
    if (ctx == NULL || uri == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_open: ctx, uri and out must not be NULL");
    ph_store_options opts = {0, 0, 0};
    if (options != NULL)
        opts = *options;
    if (opts.busy_timeout_ms < 0)
        return ph_error_set(err, PH_EINVAL, "busy_timeout_ms", NULL,
                            "expected milliseconds >= 0 (0 means %d), got %d",
                            PH_STORE_DEFAULT_BUSY_TIMEOUT_MS, opts.busy_timeout_ms);

    const ph_backend *backend = NULL;
    const char *location = NULL;
    ph_status st = pick_backend(uri, &backend, &location, err);
    if (st != PH_OK)
        return st;
    if (location[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "uri", uri,
                            "expected a database path after the scheme, got nothing");

    ph_store *store = ph_calloc(ctx, 1, sizeof(*store));
    char *uri_copy = ph_strdup(ctx, uri);
    if (store == NULL || uri_copy == NULL) {
        ph_free(ctx, store);
        ph_free(ctx, uri_copy);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening the store");
    }
    ph_backend_open_args args = {
        .ctx = ctx,
        .location = location,
        .busy_timeout_ms = opts.busy_timeout_ms > 0 ? opts.busy_timeout_ms
                                                    : PH_STORE_DEFAULT_BUSY_TIMEOUT_MS,
        .read_only = opts.read_only != 0,
        .must_exist = opts.must_exist != 0,
    };
    st = backend->open(&args, &store->conn, err);
    if (st != PH_OK) {
        ph_free(ctx, store);
        ph_free(ctx, uri_copy);
        return st;
    }
    store->ctx = ctx;
    store->backend = backend;
    store->uri = uri_copy;
    *out = store;
    return PH_OK;
}

void ph_store_free(ph_store *store)
{
    if (store == NULL)
        return;
    if (store->stmts != NULL) {
        size_t left = 0;
        for (ph_stmt *s = store->stmts; s != NULL; s = s->next)
            left++;
        ph_log(store->ctx, PH_LOG_WARN,
               "store %s closed with %zu statement(s) still open; freeing them "
               "(free statements before their store)",
               store->uri, left);
        while (store->stmts != NULL)
            ph_stmt_free(store->stmts);
    }
    if (store->backend->in_transaction(store->conn)) {
        ph_error err;
        ph_error_clear(&err);
        if (store->backend->rollback(store->conn, &err) != PH_OK)
            ph_log(store->ctx, PH_LOG_WARN, "rolling back on close: %s", err.message);
    }
    store->backend->close(store->conn);
    const ph_ctx *ctx = store->ctx;
    ph_free(ctx, store->uri);
    ph_free(ctx, store);
}

const char *ph_store_backend_name(const ph_store *store)
{
    return store != NULL ? store->backend->name : NULL;
}

const char *ph_store_uri(const ph_store *store)
{
    return store != NULL ? store->uri : NULL;
}

const ph_ctx *ph_store_ctx(const ph_store *store)
{
    return store != NULL ? store->ctx : NULL;
}

/* --- SQL and transactions ------------------------------------------------ */

static ph_status refuse_guarded(const char *fn, ph_error *err)
{
    return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                        "%s: not allowed inside a migration; ph_store_migrate commits or "
                        "rolls back each migration itself",
                        fn);
}

void store_guard_transaction(ph_store *store, int on)
{
    store->backend->guard_transaction(store->conn, on);
    store->guarded = on != 0;
}

/* After anything that may open or end a transaction, ask the backend. A
 * transaction the database ended on its own ends the unit with it. */
static void sync_transaction(ph_store *store)
{
    store->in_txn = store->backend->in_transaction(store->conn) != 0;
    if (!store->in_txn) {
        store->in_unit = 0;
        store->unit_depth = 0;
    }
}

/* Savepoint SQL inside a unit: "SAVEPOINT ph_unit_2" and the like, the
 * same text in SQLite and PostgreSQL. */
static ph_status unit_savepoint(ph_store *store, const char *verb, int depth, ph_error *err)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "%s ph_unit_%d", verb, depth);
    ph_status st = store->backend->exec(store->conn, sql, err);
    sync_transaction(store);
    return st;
}

ph_status ph_store_exec(ph_store *store, const char *sql, ph_error *err)
{
    if (store == NULL || sql == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_exec: store and sql must not be NULL");
    ph_status st = store->backend->exec(store->conn, sql, err);
    sync_transaction(store);
    return st;
}

ph_status ph_store_begin(ph_store *store, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_store_begin: store is NULL");
    if (store->guarded)
        return refuse_guarded("ph_store_begin", err);
    if (store->in_txn && store->in_unit) {
        ph_status st = unit_savepoint(store, "SAVEPOINT", store->unit_depth + 1, err);
        if (st == PH_OK)
            store->unit_depth++;
        return st;
    }
    if (store->in_txn)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_begin: a transaction is already open and transactions "
                            "do not nest; commit or roll back the open one first");
    ph_status st = store->backend->begin(store->conn, err);
    sync_transaction(store);
    return st;
}

ph_status ph_store_begin_unit(ph_store *store, ph_error *err)
{
    ph_status st = ph_store_begin(store, err);
    if (st == PH_OK && store->unit_depth == 0 && !store->in_unit) {
        store->in_unit = 1;
        return PH_OK;
    }
    if (st == PH_OK) {
        /* a unit inside a unit would end early at its caller's commit */
        (void)ph_store_rollback(store, NULL);
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_begin_unit: a unit is already open; units do not nest");
    }
    return st;
}

ph_status ph_store_commit(ph_store *store, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_store_commit: store is NULL");
    if (store->guarded)
        return refuse_guarded("ph_store_commit", err);
    if (!store->in_txn)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_commit: no transaction is open");
    if (store->in_unit && store->unit_depth > 0) {
        ph_status st = unit_savepoint(store, "RELEASE SAVEPOINT", store->unit_depth, err);
        if (st == PH_OK)
            store->unit_depth--;
        return st;
    }
    ph_status st = store->backend->commit(store->conn, err);
    sync_transaction(store);
    return st;
}

ph_status ph_store_rollback(ph_store *store, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_store_rollback: store is NULL");
    if (store->guarded)
        return refuse_guarded("ph_store_rollback", err);
    if (!store->in_txn)
        return PH_OK;
    if (store->in_unit && store->unit_depth > 0) {
        /* undo the savepoint's work, then drop it: the unit goes on */
        ph_status st = unit_savepoint(store, "ROLLBACK TO SAVEPOINT", store->unit_depth, err);
        if (st == PH_OK)
            st = unit_savepoint(store, "RELEASE SAVEPOINT", store->unit_depth, err);
        if (st == PH_OK)
            store->unit_depth--;
        return st;
    }
    ph_status st = store->backend->rollback(store->conn, err);
    sync_transaction(store);
    return st;
}

ph_status ph_store_end_unit(ph_store *store, int commit, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_store_end_unit: store is NULL");
    if (store->guarded)
        return refuse_guarded("ph_store_end_unit", err);
    if (!store->in_txn) /* never opened, or the database abandoned it */
        return commit ? ph_error_set(err, PH_EMISUSE, NULL, NULL,
                                     "ph_store_end_unit: no unit is open (a statement error "
                                     "may have ended it); nothing was committed")
                      : PH_OK;
    if (!store->in_unit)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_end_unit: the open transaction is not a unit; end it "
                            "with ph_store_commit or ph_store_rollback");
    ph_status st = PH_OK;
    if (commit && store->unit_depth > 0)
        st = ph_error_set(err, PH_EMISUSE, NULL, NULL,
                          "ph_store_end_unit: %d nested transaction%s still open; the unit "
                          "was rolled back",
                          store->unit_depth, store->unit_depth == 1 ? " is" : "s are");
    else if (commit)
        st = store->backend->commit(store->conn, err);
    sync_transaction(store);
    if (!store->in_txn) /* committed, or ended by the failed commit */
        return st;
    /* Roll back the whole unit, its savepoints with it, whatever the depth
     * (a failed commit included): on return no transaction is open. */
    ph_status rb = store->backend->rollback(store->conn, st == PH_OK ? err : NULL);
    sync_transaction(store);
    return st != PH_OK ? st : rb;
}

ph_status ph_store_begin_read(ph_store *store, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_store_begin_read: store is NULL");
    if (store->guarded)
        return refuse_guarded("ph_store_begin_read", err);
    if (store->in_txn)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_begin_read: a transaction is already open; a read "
                            "transaction does not nest, not even in a unit");
    ph_status st = store->backend->begin_read(store->conn, err);
    sync_transaction(store);
    return st;
}

int ph_store_in_transaction(const ph_store *store)
{
    return store != NULL && store->in_txn;
}

void store_set_prepare_hook(ph_store *store, store_prepare_hook hook, void *user)
{
    store->prepare_hook = hook;
    store->prepare_hook_user = user;
}

size_t store_cached_statements(const ph_store *store)
{
    return store != NULL ? store->backend->cached_statements(store->conn) : 0;
}

int64_t ph_store_changes(ph_store *store)
{
    return store != NULL ? store->backend->changes(store->conn) : 0;
}

/* --- statements ------------------------------------------------------------ */

ph_status ph_store_prepare(ph_store *store, const char *sql, ph_stmt **out, ph_error *err)
{
    if (store == NULL || sql == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_prepare: store, sql and out must not be NULL");
    if (store->prepare_hook != NULL)
        store->prepare_hook(store->prepare_hook_user, sql);
    ph_stmt *stmt = ph_calloc(store->ctx, 1, sizeof(*stmt));
    if (stmt == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory preparing a statement");
    ph_status st = store->backend->prepare(store->conn, sql, &stmt->impl, err);
    if (st != PH_OK) {
        ph_free(store->ctx, stmt);
        return st;
    }
    stmt->store = store;
    stmt->state = STMT_READY;
    stmt->param_count = store->backend->param_count(stmt->impl);
    stmt->column_count = store->backend->column_count(stmt->impl);
    stmt->next = store->stmts;
    if (store->stmts != NULL)
        store->stmts->prev = stmt;
    store->stmts = stmt;
    *out = stmt;
    return PH_OK;
}

void ph_stmt_free(ph_stmt *stmt)
{
    if (stmt == NULL)
        return;
    ph_store *store = stmt->store;
    if (stmt->prev != NULL)
        stmt->prev->next = stmt->next;
    else
        store->stmts = stmt->next;
    if (stmt->next != NULL)
        stmt->next->prev = stmt->prev;
    store->backend->finalize(stmt->impl);
    ph_free(store->ctx, stmt);
}

/*
 * Common checks before a bind. A finished statement is reset first, so the
 * usual loop "bind, step, bind, step" needs no explicit reset; a statement
 * with a row pending is a misuse, because rebinding would silently abandon
 * the rows not yet read.
 */
static ph_status check_bind(ph_stmt *stmt, int index, const char *fn, ph_error *err)
{
    if (stmt == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: stmt is NULL", fn);
    if (stmt->state == STMT_ROW)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "%s: the statement has a row pending; call ph_stmt_reset before "
                            "binding new values",
                            fn);
    if (index < 1 || index > stmt->param_count)
        return ph_error_set(err, PH_ERANGE, "index", NULL,
                            "%s: expected a parameter index from 1 to %d, got %d", fn,
                            stmt->param_count, index);
    if (stmt->state == STMT_DONE) {
        ph_status st = ph_stmt_reset(stmt, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

ph_status ph_stmt_bind_int64(ph_stmt *stmt, int index, int64_t value, ph_error *err)
{
    ph_status st = check_bind(stmt, index, "ph_stmt_bind_int64", err);
    if (st != PH_OK)
        return st;
    return stmt->store->backend->bind_int64(stmt->impl, index, value, err);
}

ph_status ph_stmt_bind_double(ph_stmt *stmt, int index, double value, ph_error *err)
{
    ph_status st = check_bind(stmt, index, "ph_stmt_bind_double", err);
    if (st != PH_OK)
        return st;
    return stmt->store->backend->bind_double(stmt->impl, index, value, err);
}

/* The checks both text bindings share; *bytes receives the length. */
static ph_status check_bind_text(ph_stmt *stmt, int index, const char *value, long len,
                                 const char *function, size_t *bytes, ph_error *err)
{
    ph_status st = check_bind(stmt, index, function, err);
    if (st != PH_OK)
        return st;
    if (value == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "%s: value is NULL (bind SQL NULL with ph_stmt_bind_null)",
                            function);
    *bytes = len < 0 ? strlen(value) : (size_t)len;
    return PH_OK;
}

ph_status ph_stmt_bind_text(ph_stmt *stmt, int index, const char *value, long len,
                            ph_error *err)
{
    size_t bytes = 0;
    ph_status st = check_bind_text(stmt, index, value, len, "ph_stmt_bind_text", &bytes, err);
    if (st != PH_OK)
        return st;
    return stmt->store->backend->bind_text(stmt->impl, index, value, bytes, err);
}

ph_status ph_stmt_bind_text_static(ph_stmt *stmt, int index, const char *value, long len,
                                   ph_error *err)
{
    size_t bytes = 0;
    ph_status st = check_bind_text(stmt, index, value, len, "ph_stmt_bind_text_static", &bytes,
                                   err);
    if (st != PH_OK)
        return st;
    return stmt->store->backend->bind_text_static(stmt->impl, index, value, bytes, err);
}

ph_status ph_stmt_bind_blob(ph_stmt *stmt, int index, const void *value, size_t len,
                            ph_error *err)
{
    ph_status st = check_bind(stmt, index, "ph_stmt_bind_blob", err);
    if (st != PH_OK)
        return st;
    if (value == NULL && len > 0)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_stmt_bind_blob: value is NULL with %zu bytes (bind SQL NULL "
                            "with ph_stmt_bind_null)",
                            len);
    return stmt->store->backend->bind_blob(stmt->impl, index, value, len, err);
}

ph_status ph_stmt_bind_null(ph_stmt *stmt, int index, ph_error *err)
{
    ph_status st = check_bind(stmt, index, "ph_stmt_bind_null", err);
    if (st != PH_OK)
        return st;
    return stmt->store->backend->bind_null(stmt->impl, index, err);
}

ph_status ph_stmt_step(ph_stmt *stmt, ph_error *err)
{
    if (stmt == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_stmt_step: stmt is NULL");
    ph_status st = stmt->store->backend->step(stmt->impl, err);
    stmt->state = st == PH_OK ? STMT_ROW : STMT_DONE;
    /* A step may compile the statement again for a schema changed since
     * it was prepared (a cached statement outlives migrations), and
     * `SELECT *` then has other columns. */
    if (st == PH_OK)
        stmt->column_count = stmt->store->backend->column_count(stmt->impl);
    sync_transaction(stmt->store);
    return st;
}

ph_status ph_stmt_reset(ph_stmt *stmt, ph_error *err)
{
    if (stmt == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_stmt_reset: stmt is NULL");
    ph_status st = stmt->store->backend->reset(stmt->impl, err);
    stmt->state = STMT_READY;
    return st;
}

ph_status ph_stmt_step_id(ph_stmt *stmt, int64_t *id, ph_error *err)
{
    if (stmt == NULL || id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_stmt_step_id: stmt and id must not be NULL");
    ph_status st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        return ph_error_set(err, PH_ESTORE, NULL, NULL,
                            "expected the insert to return the new row's id "
                            "(INSERT ... RETURNING id)");
    if (st != PH_OK)
        return st;
    int64_t value = ph_stmt_column_int64(stmt, 0);
    st = ph_stmt_reset(stmt, err);
    if (st == PH_OK)
        *id = value;
    return st;
}

int ph_stmt_column_count(ph_stmt *stmt)
{
    return stmt != NULL ? stmt->column_count : 0;
}

const char *ph_stmt_column_name(ph_stmt *stmt, int col)
{
    if (stmt == NULL || col < 0 || col >= stmt->column_count)
        return NULL;
    return stmt->store->backend->column_name(stmt->impl, col);
}

/* Values can be read only from a row that is there. */
static int column_readable(const ph_stmt *stmt, int col)
{
    return stmt != NULL && stmt->state == STMT_ROW && col >= 0 && col < stmt->column_count;
}

int ph_stmt_column_is_null(ph_stmt *stmt, int col)
{
    if (!column_readable(stmt, col))
        return 1;
    return stmt->store->backend->column_is_null(stmt->impl, col);
}

int64_t ph_stmt_column_int64(ph_stmt *stmt, int col)
{
    if (!column_readable(stmt, col))
        return 0;
    return stmt->store->backend->column_int64(stmt->impl, col);
}

double ph_stmt_column_double(ph_stmt *stmt, int col)
{
    if (!column_readable(stmt, col))
        return 0.0;
    return stmt->store->backend->column_double(stmt->impl, col);
}

const char *ph_stmt_column_text(ph_stmt *stmt, int col)
{
    if (!column_readable(stmt, col))
        return NULL;
    return stmt->store->backend->column_text(stmt->impl, col);
}

const void *ph_stmt_column_blob(ph_stmt *stmt, int col, size_t *len)
{
    size_t bytes = 0;
    const void *data = column_readable(stmt, col)
                           ? stmt->store->backend->column_blob(stmt->impl, col, &bytes)
                           : NULL;
    if (len != NULL)
        *len = bytes;
    return data;
}

size_t ph_stmt_column_bytes(ph_stmt *stmt, int col)
{
    if (!column_readable(stmt, col))
        return 0;
    return stmt->store->backend->column_bytes(stmt->impl, col);
}

/* --- introspection --------------------------------------------------------- */

ph_status ph_store_each_table(ph_store *store, ph_table_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_each_table: store and fn must not be NULL");
    /* Collect the names first: the callback may then run any SQL it likes,
     * even change the schema, without disturbing the walk. */
    char **names = NULL;
    size_t count = 0;
    ph_status st = store->backend->list_tables(store->conn, &names, &count, err);
    if (st != PH_OK)
        return st;
    for (size_t i = 0; i < count && st == PH_OK; i++) {
        ph_table_info info = {names[i], 0};
        st = store->backend->count_rows(store->conn, names[i], &info.rows, err);
        if (st == PH_OK)
            st = fn(user, &info, err);
    }
    store->backend->free_tables(store->conn, names, count);
    return st;
}

ph_status store_has_table(ph_store *store, const char *table, int *exists, ph_error *err)
{
    if (store == NULL || table == NULL || exists == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "store_has_table: store, table and exists must not be NULL");
    return store->backend->has_table(store->conn, table, exists, err);
}

ph_status ph_store_has_trigger(ph_store *store, const char *table, const char *trigger,
                               int *exists, ph_error *err)
{
    if (store == NULL || table == NULL || trigger == NULL || exists == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_has_trigger: store, table, trigger and exists must not "
                            "be NULL");
    return store->backend->has_trigger(store->conn, table, trigger, exists, err);
}

ph_status ph_store_trigger_sql(ph_store *store, const char *table, const char *trigger,
                               char *out, size_t size, long *len, ph_error *err)
{
    if (store == NULL || table == NULL || trigger == NULL || out == NULL || size == 0 ||
        len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_store_trigger_sql: store, table, trigger, out and len must "
                            "not be NULL, and size not 0");
    return store->backend->trigger_sql(store->conn, table, trigger, out, size, len, err);
}
