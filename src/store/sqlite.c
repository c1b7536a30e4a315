/*
 * The SQLite backend: the store interface (backend.h) on the SQLite C API.
 *
 * Every connection is set up the same way (configure()):
 *   - journal_mode=WAL: readers never block the writer nor the writer the
 *     readers, and a commit is one append to the write-ahead log;
 *   - synchronous=NORMAL: see the note at configure() for what it promises;
 *   - foreign_keys=ON: SQLite leaves them off unless asked, per connection;
 *   - a busy timeout, so that a short lock held by another process is waited
 *     for instead of failing at once;
 *   - extended result codes, to tell a UNIQUE violation from a CHECK one.
 *
 * SQLite's own memory is managed by SQLite (configuring its allocator is
 * process-wide state, which the library does not touch).
 */
#include "store/backend.h"

#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#if SQLITE_VERSION_NUMBER < 3037000
#error "puhui needs SQLite 3.37 or newer (sqlite3_changes64, SQLITE_OPEN_EXRESCODE)"
#endif

/* How much of a failing statement's SQL an error message quotes. */
#define SQL_EXCERPT_MAX 60

/* Statements kept per connection for reuse (see "the statement cache"
 * below); compiling SQL was ~40% of a decision's instructions. */
#define STMT_CACHE_CAPACITY 64

/* One idle compiled statement, reset and unbound, keyed by its SQL text. */
typedef struct cache_entry {
    uint64_t hash;      /* of the SQL text */
    uint64_t last_used; /* the connection's clock when it was returned */
    ph_backend_stmt *stmt;
} cache_entry;

struct ph_backend_conn {
    const ph_ctx *ctx;
    sqlite3 *db;
    char *path;
    int busy_timeout_ms;
    cache_entry cache[STMT_CACHE_CAPACITY];
    size_t cached;  /* entries in use at the front of cache[] */
    sqlite3_stmt *has_object; /* sqlite_has_object's query, compiled once: every
                                 schema check runs it (ph_store_require_schema) */
    uint64_t clock; /* counts returns, for least-recently-used eviction */
};

struct ph_backend_stmt {
    ph_backend_conn *conn;
    sqlite3_stmt *stmt;
    uint64_t hash;  /* of the SQL text, when cacheable */
    int cacheable;  /* goes back to the cache when freed */
    int failed; /* the last step failed: reset will repeat that error, not a new one */
};

/* --- errors ----------------------------------------------------------------- */

/* SQLite result codes to statuses. Extended codes are looked up first, then
 * the primary code; anything not listed is PH_ESTORE. */
static const struct sqlite_status_map {
    int code;
    ph_status status;
} STATUS_MAP[] = {
    {SQLITE_CONSTRAINT_UNIQUE, PH_EEXISTS},
    {SQLITE_CONSTRAINT_PRIMARYKEY, PH_EEXISTS},
    {SQLITE_CONSTRAINT_ROWID, PH_EEXISTS},
    {SQLITE_CONSTRAINT_CHECK, PH_EINVAL},
    {SQLITE_CONSTRAINT_NOTNULL, PH_EINVAL},
    {SQLITE_CONSTRAINT_FOREIGNKEY, PH_EINVAL},
    {SQLITE_CONSTRAINT_TRIGGER, PH_EINVAL},  /* RAISE(ABORT, ...) rejected the row */
    {SQLITE_CONSTRAINT_DATATYPE, PH_EINVAL}, /* STRICT table, wrong type */
    {SQLITE_CONSTRAINT, PH_EINVAL},
    {SQLITE_BUSY, PH_EBUSY},
    {SQLITE_LOCKED, PH_EBUSY},
    {SQLITE_CANTOPEN, PH_EIO},
    {SQLITE_NOMEM, PH_ENOMEM},
    {SQLITE_TOOBIG, PH_ERANGE},
    {SQLITE_RANGE, PH_ERANGE},
    {SQLITE_MISUSE, PH_EMISUSE},
    {SQLITE_NOTADB, PH_EINVAL}, /* the operator pointed us at some other file */
    {SQLITE_AUTH, PH_EMISUSE},  /* refused by guard_transaction's authorizer */
};

static ph_status status_of(int code)
{
    const size_t n = sizeof(STATUS_MAP) / sizeof(STATUS_MAP[0]);
    for (size_t i = 0; i < n; i++)
        if (STATUS_MAP[i].code == code)
            return STATUS_MAP[i].status;
    for (size_t i = 0; i < n; i++)
        if (STATUS_MAP[i].code == (code & 0xff))
            return STATUS_MAP[i].status;
    return PH_ESTORE;
}

/*
 * The first SQL_EXCERPT_MAX bytes of `sql` on one line: whitespace runs
 * become one space, a multi-byte UTF-8 character is never cut, and "..."
 * shows that more followed.
 */
static void sql_excerpt(char *out, size_t size, const char *sql)
{
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)sql;
    const size_t limit = size - 4 < SQL_EXCERPT_MAX ? size - 4 : SQL_EXCERPT_MAX;
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    while (*s != '\0') {
        if (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
            while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
                s++;
            if (*s == '\0')
                break;
            if (n + 1 > limit)
                goto truncated;
            out[n++] = ' ';
            continue;
        }
        size_t len = 1;
        while ((s[len] & 0xc0) == 0x80)
            len++;
        if (n + len > limit)
            goto truncated;
        memcpy(out + n, s, len);
        n += len;
        s += len;
    }
    out[n] = '\0';
    return;
truncated:
    if (n > 0 && out[n - 1] == ' ')
        n--;
    memcpy(out + n, "...", 4);
}

/*
 * Fill `err` from the connection's last error. `rc` is what the failing call
 * returned; `sql` (may be NULL) is the statement it ran. Constraint messages
 * are SQLite's own ("UNIQUE constraint failed: institution.id"), which name
 * the constraint; other failures also quote the SQL.
 */
static ph_status fail(ph_backend_conn *conn, int rc, const char *sql, ph_error *err)
{
    int extended = sqlite3_extended_errcode(conn->db);
    if ((extended & 0xff) == (rc & 0xff))
        rc = extended;
    ph_status status = status_of(rc);
    const char *message = sqlite3_errmsg(conn->db);
    char excerpt[SQL_EXCERPT_MAX + 4] = "";
    if (sql != NULL)
        sql_excerpt(excerpt, sizeof(excerpt), sql);

    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return ph_error_set(err, status, NULL, NULL, "%s", message);
    if ((rc & 0xff) == SQLITE_AUTH)
        return ph_error_set(err, status, NULL, NULL,
                            "BEGIN, COMMIT and ROLLBACK are not allowed here; the store "
                            "manages this transaction (in SQL \"%s\")",
                            excerpt);
    if (status == PH_EBUSY)
        return ph_error_set(err, status, NULL, NULL,
                            "%s: another connection holds the lock (waited up to %d ms) "
                            "(in SQL \"%s\")",
                            message, conn->busy_timeout_ms, excerpt);
    if (sql == NULL)
        return ph_error_set(err, status, NULL, NULL, "%s (SQLite code %d)", message, rc);
    return ph_error_set(err, status, NULL, NULL, "%s (SQLite code %d) in SQL \"%s\"", message,
                        rc, excerpt);
}

/* --- running SQL -------------------------------------------------------------- */

static ph_status sqlite_exec(ph_backend_conn *conn, const char *sql, ph_error *err)
{
    const char *rest = sql;
    while (*rest != '\0') {
        sqlite3_stmt *stmt = NULL;
        const char *tail = NULL;
        int rc = sqlite3_prepare_v2(conn->db, rest, -1, &stmt, &tail);
        if (rc != SQLITE_OK)
            return fail(conn, rc, rest, err);
        if (stmt == NULL) { /* an empty statement: ";" or a comment */
            if (tail == NULL || tail <= rest)
                break;
            rest = tail;
            continue;
        }
        do
            rc = sqlite3_step(stmt);
        while (rc == SQLITE_ROW);
        ph_status st = rc == SQLITE_DONE ? PH_OK : fail(conn, rc, sqlite3_sql(stmt), err);
        sqlite3_finalize(stmt);
        if (st != PH_OK)
            return st;
        rest = tail;
    }
    return PH_OK;
}

/* Run a statement that returns one text value into `out`, with up to two
 * text parameters bound (NULL: none); *len (may be NULL) receives the
 * value's length in bytes, or -1 when there is no row. */
static ph_status query_text_bound(ph_backend_conn *conn, const char *sql, const char *param1,
                                  const char *param2, char *out, size_t size, long *len,
                                  ph_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(conn->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return fail(conn, rc, sql, err);
    if (param1 != NULL)
        rc = sqlite3_bind_text(stmt, 1, param1, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK && param2 != NULL)
        rc = sqlite3_bind_text(stmt, 2, param2, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    ph_status st = PH_OK;
    long bytes = -1;
    if (rc == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(stmt, 0);
        snprintf(out, size, "%s", text != NULL ? text : "");
        bytes = (long)sqlite3_column_bytes(stmt, 0);
    } else if (rc == SQLITE_DONE) {
        out[0] = '\0';
    } else {
        st = fail(conn, rc, sql, err);
    }
    sqlite3_finalize(stmt);
    if (st == PH_OK && len != NULL)
        *len = bytes;
    return st;
}

/* Run a statement that returns one text value (a pragma) into `out`. */
static ph_status query_text(ph_backend_conn *conn, const char *sql, char *out, size_t size,
                            ph_error *err)
{
    return query_text_bound(conn, sql, NULL, NULL, out, size, NULL, err);
}

/* --- connection ------------------------------------------------------------- */

static void cache_clear(ph_backend_conn *conn);

static void close_conn(ph_backend_conn *conn)
{
    /* close_v2 cannot fail for want of finalised statements: store.c
     * finalises every statement before it closes, and the cache goes here. */
    cache_clear(conn);
    sqlite3_finalize(conn->has_object);
    sqlite3_close_v2(conn->db);
    ph_free(conn->ctx, conn->path);
    ph_free(conn->ctx, conn);
}

static ph_status open_failed(const ph_backend_open_args *args, sqlite3 *db, int rc,
                             ph_error *err)
{
    int sys = db != NULL ? sqlite3_system_errno(db) : 0;
    if (rc == SQLITE_NOMEM || db == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening %s",
                            args->location);
    /* Without the create flag a missing file is the operator's to fix. */
    if ((rc & 0xff) == SQLITE_CANTOPEN && sys == ENOENT && (args->must_exist || args->read_only))
        return ph_error_set(err, PH_ENOTFOUND, NULL, NULL,
                            "no database at %s; run `puhui init` first", args->location);
    char reason[128];
    if (sys == 0 || strerror_r(sys, reason, sizeof(reason)) != 0)
        snprintf(reason, sizeof(reason), "%s", sqlite3_errmsg(db));
    if ((rc & 0xff) == SQLITE_CANTOPEN)
        return ph_error_set(err, PH_EIO, NULL, NULL, "cannot open the database %s: %s",
                            args->location, reason);
    return ph_error_set(err, status_of(rc), NULL, NULL, "cannot open the database %s: %s",
                        args->location, reason);
}

/*
 * Durability. With WAL, synchronous=NORMAL makes SQLite fsync the log only
 * at checkpoints, not at every commit. A commit still writes its frames to
 * the log before returning, so the moment COMMIT returns the transaction is
 * in the operating system's hands: a process that crashes or is killed
 * afterwards (tests/test_store_crash.c kills writers with SIGKILL) loses
 * nothing committed, and an uncommitted transaction leaves no trace. What
 * NORMAL gives up is the last transactions before a power failure or kernel
 * crash: those may be rolled back on restart, but the database stays
 * consistent (never half a transaction, never corruption). FULL would close
 * that window at the price of an fsync per commit; for batch imports and
 * scoring runs that can be replayed, NORMAL is the better trade.
 */
static ph_status configure(ph_backend_conn *conn, int read_only, ph_error *err)
{
    char value[32];
    /* Reading the header first tells a foreign file from a database. */
    ph_status st = query_text(conn, "PRAGMA schema_version", value, sizeof(value), err);
    if (st == PH_EINVAL) /* SQLITE_NOTADB, the only EINVAL a pragma can give */
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "%s is not a SQLite database; expected a file made by `puhui init`",
                            conn->path);
    if (st != PH_OK)
        return st;
    if (!read_only) {
        /* The journal mode is stored in the database file; a read-only
         * connection uses whatever mode the writers chose. */
        st = query_text(conn, "PRAGMA journal_mode = WAL", value, sizeof(value), err);
        if (st != PH_OK)
            return st;
        if (strcmp(value, "wal") != 0 && strcmp(value, "memory") != 0)
            ph_log(conn->ctx, PH_LOG_WARN,
                   "%s: SQLite kept journal mode '%s' instead of WAL (is it on a network "
                   "file system?); readers will block writers",
                   conn->path, value);
    }
    return sqlite_exec(conn, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", err);
}

static ph_status sqlite_open(const ph_backend_open_args *args, ph_backend_conn **out,
                             ph_error *err)
{
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (args->read_only)
        flags |= SQLITE_OPEN_READONLY;
    else
        flags |= SQLITE_OPEN_READWRITE | (args->must_exist ? 0 : SQLITE_OPEN_CREATE);

    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(args->location, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        ph_status st = open_failed(args, db, rc, err);
        sqlite3_close_v2(db);
        return st;
    }
    ph_backend_conn *conn = ph_calloc(args->ctx, 1, sizeof(*conn));
    char *path = ph_strdup(args->ctx, args->location);
    if (conn == NULL || path == NULL) {
        sqlite3_close_v2(db);
        ph_free(args->ctx, conn);
        ph_free(args->ctx, path);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening %s",
                            args->location);
    }
    conn->ctx = args->ctx;
    conn->db = db;
    conn->path = path;
    conn->busy_timeout_ms = args->busy_timeout_ms;
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, args->busy_timeout_ms);

    ph_status st = PH_OK;
    /* SQLite quietly opens a write-protected file read-only; say so now
     * rather than at the first write. */
    if (!args->read_only && sqlite3_db_readonly(db, "main") == 1)
        st = ph_error_set(err, PH_EIO, NULL, NULL,
                          "cannot open the database %s for writing: the file is "
                          "write-protected; fix its permissions or open it read-only",
                          args->location);
    if (st == PH_OK)
        st = configure(conn, args->read_only, err);
    if (st != PH_OK) {
        close_conn(conn);
        return st;
    }
    *out = conn;
    return PH_OK;
}

static ph_status sqlite_begin(ph_backend_conn *conn, ph_error *err)
{
    /* A writer takes the write lock at BEGIN: waiting for it happens here,
     * under the busy timeout, instead of failing half-way through the
     * transaction when a read lock cannot be upgraded. A read-only store
     * only wants a consistent snapshot. */
    return sqlite_exec(conn, sqlite3_db_readonly(conn->db, "main") == 1 ? "BEGIN"
                                                                        : "BEGIN IMMEDIATE",
                       err);
}

/* Deferred: no lock until the first read, which is made here (any read
 * fixes the snapshot in WAL mode), so the snapshot is that of the begin. */
static ph_status sqlite_begin_read(ph_backend_conn *conn, ph_error *err)
{
    char ignored[32];
    ph_status st = sqlite_exec(conn, "BEGIN DEFERRED", err);
    if (st == PH_OK)
        st = query_text(conn, "SELECT count(*) FROM sqlite_schema", ignored, sizeof(ignored),
                        err);
    if (st != PH_OK && !sqlite3_get_autocommit(conn->db))
        (void)sqlite_exec(conn, "ROLLBACK", NULL);
    return st;
}

static ph_status sqlite_commit(ph_backend_conn *conn, ph_error *err)
{
    return sqlite_exec(conn, "COMMIT", err);
}

static ph_status sqlite_rollback(ph_backend_conn *conn, ph_error *err)
{
    return sqlite_exec(conn, "ROLLBACK", err);
}

static int sqlite_in_transaction(const ph_backend_conn *conn)
{
    return !sqlite3_get_autocommit(conn->db);
}

static int64_t sqlite_changes(ph_backend_conn *conn)
{
    return (int64_t)sqlite3_changes64(conn->db);
}

/* The authorizer runs when SQL is compiled, so refused transaction control
 * never starts to execute. */
static int deny_transaction_control(void *user, int action, const char *a, const char *b,
                                    const char *c, const char *d)
{
    (void)user;
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    return action == SQLITE_TRANSACTION ? SQLITE_DENY : SQLITE_OK;
}

static void sqlite_guard_transaction(ph_backend_conn *conn, int on)
{
    sqlite3_set_authorizer(conn->db, on ? deny_transaction_control : NULL, NULL);
}

/* --- statements ------------------------------------------------------------- */

/* Skip whitespace, semicolons and SQL comments; what is left is more SQL. */
static const char *skip_filler(const char *s)
{
    for (;;) {
        if (*s == ';' || *s == ' ' || (*s >= '\t' && *s <= '\r')) {
            s++;
        } else if (s[0] == '-' && s[1] == '-') {
            while (*s != '\0' && *s != '\n')
                s++;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *end = strstr(s + 2, "*/");
            s = end != NULL ? end + 2 : s + strlen(s);
        } else {
            return s;
        }
    }
}

/*
 * The statement cache. ph_stmt_free of a cacheable statement does not
 * finalise it: it is reset (which ends its read of the database, so it
 * holds no read transaction and blocks no checkpoint), its bindings are
 * cleared, and it waits in its connection's cache, keyed by its SQL text;
 * the next prepare of the same text takes it from there instead of
 * compiling again. A statement in use is not in the cache, so two uses of
 * the same SQL at once on one connection get two statements. The cache
 * holds at most STMT_CACHE_CAPACITY statements; a full cache drops the one
 * returned longest ago. Schema changes need nothing here: SQLite compiles a
 * statement again at its next step when the schema changed under it.
 *
 * Cached: single statements that read or change rows (SELECT, INSERT,
 * UPDATE, DELETE, REPLACE, WITH, VALUES). Not cached: DDL, pragmas and
 * transaction control -- rare, and the migration guard's authorizer must
 * see BEGIN/COMMIT/ROLLBACK compiled every time.
 */
static const char *const CACHEABLE_VERBS[] = {"SELECT", "INSERT", "UPDATE", "DELETE",
                                              "REPLACE", "WITH", "VALUES"};

static int is_cacheable(const char *sql)
{
    const char *s = skip_filler(sql);
    for (size_t i = 0; i < sizeof(CACHEABLE_VERBS) / sizeof(CACHEABLE_VERBS[0]); i++) {
        size_t n = strlen(CACHEABLE_VERBS[i]);
        if (strncasecmp(s, CACHEABLE_VERBS[i], n) == 0 &&
            !(isalnum((unsigned char)s[n]) || s[n] == '_'))
            return 1;
    }
    return 0;
}

/* FNV-1a over the SQL text: a cheap first filter before strcmp. */
static uint64_t sql_hash(const char *sql)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)sql; *p != '\0'; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

static void stmt_destroy(ph_backend_stmt *stmt)
{
    sqlite3_finalize(stmt->stmt);
    ph_free(stmt->conn->ctx, stmt);
}

/* Take an idle statement for `sql` out of the cache; NULL when none. */
static ph_backend_stmt *cache_take(ph_backend_conn *conn, const char *sql, uint64_t hash)
{
    for (size_t i = 0; i < conn->cached; i++) {
        cache_entry *e = &conn->cache[i];
        if (e->hash != hash || strcmp(sqlite3_sql(e->stmt->stmt), sql) != 0)
            continue;
        ph_backend_stmt *stmt = e->stmt;
        *e = conn->cache[--conn->cached];
        return stmt;
    }
    return NULL;
}

/* Put a statement that is done with into the cache, reset and unbound; a
 * full cache drops its least recently returned statement. */
static void cache_put(ph_backend_conn *conn, ph_backend_stmt *stmt)
{
    /* After a failed step, reset repeats that error; the statement is
     * reset all the same. */
    sqlite3_reset(stmt->stmt);
    sqlite3_clear_bindings(stmt->stmt);
    stmt->failed = 0;
    cache_entry *slot = NULL;
    if (conn->cached < STMT_CACHE_CAPACITY) {
        slot = &conn->cache[conn->cached++];
    } else {
        slot = &conn->cache[0];
        for (size_t i = 1; i < conn->cached; i++)
            if (conn->cache[i].last_used < slot->last_used)
                slot = &conn->cache[i];
        stmt_destroy(slot->stmt);
    }
    slot->hash = stmt->hash;
    slot->last_used = ++conn->clock;
    slot->stmt = stmt;
}

static size_t sqlite_cached_statements(const ph_backend_conn *conn)
{
    return conn->cached;
}

static void cache_clear(ph_backend_conn *conn)
{
    for (size_t i = 0; i < conn->cached; i++)
        stmt_destroy(conn->cache[i].stmt);
    conn->cached = 0;
}

static ph_status sqlite_prepare(ph_backend_conn *conn, const char *sql, ph_backend_stmt **out,
                                ph_error *err)
{
    int cacheable = is_cacheable(sql);
    uint64_t hash = cacheable ? sql_hash(sql) : 0;
    if (cacheable) {
        ph_backend_stmt *hit = cache_take(conn, sql, hash);
        if (hit != NULL) {
            *out = hit;
            return PH_OK;
        }
    }
    sqlite3_stmt *raw = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(conn->db, sql, -1, cacheable ? SQLITE_PREPARE_PERSISTENT : 0,
                                &raw, &tail);
    if (rc != SQLITE_OK)
        return fail(conn, rc, sql, err);
    char excerpt[SQL_EXCERPT_MAX + 4];
    if (raw == NULL)
        return ph_error_set(err, PH_EINVAL, "sql", NULL,
                            "expected one SQL statement, got none");
    if (tail != NULL && *skip_filler(tail) != '\0') {
        sqlite3_finalize(raw);
        sql_excerpt(excerpt, sizeof(excerpt), skip_filler(tail));
        return ph_error_set(err, PH_EINVAL, "sql", NULL,
                            "expected one SQL statement, got more from \"%s\"; run several "
                            "with ph_store_exec",
                            excerpt);
    }
    ph_backend_stmt *stmt = ph_calloc(conn->ctx, 1, sizeof(*stmt));
    if (stmt == NULL) {
        sqlite3_finalize(raw);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory preparing a statement");
    }
    stmt->conn = conn;
    stmt->stmt = raw;
    stmt->hash = hash;
    stmt->cacheable = cacheable;
    *out = stmt;
    return PH_OK;
}

static int sqlite_param_count(ph_backend_stmt *stmt)
{
    return sqlite3_bind_parameter_count(stmt->stmt);
}

static ph_status bound(ph_backend_stmt *stmt, int rc, ph_error *err)
{
    return rc == SQLITE_OK ? PH_OK : fail(stmt->conn, rc, sqlite3_sql(stmt->stmt), err);
}

static ph_status sqlite_bind_int64(ph_backend_stmt *stmt, int index, int64_t value,
                                   ph_error *err)
{
    return bound(stmt, sqlite3_bind_int64(stmt->stmt, index, (sqlite3_int64)value), err);
}

static ph_status sqlite_bind_double(ph_backend_stmt *stmt, int index, double value,
                                    ph_error *err)
{
    return bound(stmt, sqlite3_bind_double(stmt->stmt, index, value), err);
}

static ph_status sqlite_bind_text(ph_backend_stmt *stmt, int index, const char *value,
                                  size_t len, ph_error *err)
{
    /* SQLITE_TRANSIENT: SQLite copies the text, so the caller's buffer may
     * go away before the statement runs. */
    return bound(stmt,
                 sqlite3_bind_text64(stmt->stmt, index, value, (sqlite3_uint64)len,
                                     SQLITE_TRANSIENT, SQLITE_UTF8),
                 err);
}

static ph_status sqlite_bind_text_static(ph_backend_stmt *stmt, int index, const char *value,
                                         size_t len, ph_error *err)
{
    /* SQLITE_STATIC: SQLite reads the caller's bytes when the statement
     * runs; the caller keeps them alive (store.h). */
    return bound(stmt,
                 sqlite3_bind_text64(stmt->stmt, index, value, (sqlite3_uint64)len,
                                     SQLITE_STATIC, SQLITE_UTF8),
                 err);
}

static ph_status sqlite_bind_null(ph_backend_stmt *stmt, int index, ph_error *err)
{
    return bound(stmt, sqlite3_bind_null(stmt->stmt, index), err);
}

static ph_status sqlite_bind_blob(ph_backend_stmt *stmt, int index, const void *value,
                                  size_t len, ph_error *err)
{
    /* A zero-length blob is bound as zeroblob(0): SQLite reads a NULL
     * pointer in bind_blob as SQL NULL, which an empty value is not. */
    if (len == 0)
        return bound(stmt, sqlite3_bind_zeroblob(stmt->stmt, index, 0), err);
    return bound(stmt,
                 sqlite3_bind_blob64(stmt->stmt, index, value, (sqlite3_uint64)len,
                                     SQLITE_TRANSIENT),
                 err);
}

static ph_status sqlite_step(ph_backend_stmt *stmt, ph_error *err)
{
    int rc = sqlite3_step(stmt->stmt);
    if (rc == SQLITE_ROW)
        return PH_OK;
    if (rc == SQLITE_DONE)
        return PH_DONE;
    stmt->failed = 1;
    return fail(stmt->conn, rc, sqlite3_sql(stmt->stmt), err);
}

static ph_status sqlite_reset(ph_backend_stmt *stmt, ph_error *err)
{
    int rc = sqlite3_reset(stmt->stmt);
    int failed_before = stmt->failed;
    stmt->failed = 0;
    /* After a failed step, sqlite3_reset reports that failure again; it
     * has been reported already and the statement is reset regardless. */
    if (rc == SQLITE_OK || failed_before)
        return PH_OK;
    return fail(stmt->conn, rc, sqlite3_sql(stmt->stmt), err);
}

static int sqlite_column_count(ph_backend_stmt *stmt)
{
    return sqlite3_column_count(stmt->stmt);
}

static const char *sqlite_column_name(ph_backend_stmt *stmt, int col)
{
    return sqlite3_column_name(stmt->stmt, col);
}

static int sqlite_column_is_null(ph_backend_stmt *stmt, int col)
{
    return sqlite3_column_type(stmt->stmt, col) == SQLITE_NULL;
}

static int64_t sqlite_column_int64(ph_backend_stmt *stmt, int col)
{
    return (int64_t)sqlite3_column_int64(stmt->stmt, col);
}

static double sqlite_column_double(ph_backend_stmt *stmt, int col)
{
    return sqlite3_column_double(stmt->stmt, col);
}

static const char *sqlite_column_text(ph_backend_stmt *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt->stmt, col);
}

static const void *sqlite_column_blob(ph_backend_stmt *stmt, int col, size_t *len)
{
    /* blob first, then bytes: the order SQLite documents for a stable pointer */
    const void *data = sqlite3_column_blob(stmt->stmt, col);
    *len = data ? (size_t)sqlite3_column_bytes(stmt->stmt, col) : 0;
    return data;
}

static size_t sqlite_column_bytes(ph_backend_stmt *stmt, int col)
{
    return (size_t)sqlite3_column_bytes(stmt->stmt, col);
}

/* Cacheable statements go back to their connection's cache (above). */
static void sqlite_finalize(ph_backend_stmt *stmt)
{
    if (stmt->cacheable)
        cache_put(stmt->conn, stmt);
    else
        stmt_destroy(stmt);
}

/* --- schema introspection ------------------------------------------------------ */

static void sqlite_free_tables(ph_backend_conn *conn, char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        ph_free(conn->ctx, names[i]);
    ph_free(conn->ctx, names);
}

/* Names starting with "sqlite_" are SQLite's own (sqlite_sequence,
 * sqlite_stat1); SQLite refuses to let users create such tables. */
static const char LIST_TABLES_SQL[] =
    "SELECT name FROM sqlite_schema WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";

static ph_status sqlite_list_tables(ph_backend_conn *conn, char ***names_out, size_t *count_out,
                                    ph_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(conn->db, LIST_TABLES_SQL, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return fail(conn, rc, LIST_TABLES_SQL, err);
    char **names = NULL;
    size_t count = 0, capacity = 0;
    ph_status st = PH_OK;
    while (st == PH_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (count == capacity) {
            size_t grown = capacity == 0 ? 16 : capacity * 2;
            char **bigger = NULL;
            if (grown <= SIZE_MAX / sizeof(*names))
                bigger = ph_realloc(conn->ctx, names, grown * sizeof(*names));
            if (bigger == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory listing tables");
                break;
            }
            names = bigger;
            capacity = grown;
        }
        names[count] = ph_strdup(conn->ctx, (const char *)sqlite3_column_text(stmt, 0));
        if (names[count] == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory listing tables");
        else
            count++;
    }
    if (st == PH_OK && rc != SQLITE_DONE)
        st = fail(conn, rc, LIST_TABLES_SQL, err);
    sqlite3_finalize(stmt);
    if (st != PH_OK) {
        sqlite_free_tables(conn, names, count);
        return st;
    }
    *names_out = names;
    *count_out = count;
    return PH_OK;
}

/* Is there a schema object of `type` named `name` (on table `table`, when
 * not NULL)? */
static ph_status sqlite_has_object(ph_backend_conn *conn, const char *type, const char *name,
                                   const char *table, int *exists, ph_error *err)
{
    static const char sql[] = "SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ? "
                              "AND (?3 IS NULL OR tbl_name = ?3)";
    int rc = SQLITE_OK;
    if (conn->has_object == NULL)
        rc = sqlite3_prepare_v2(conn->db, sql, -1, &conn->has_object, NULL);
    if (rc != SQLITE_OK)
        return fail(conn, rc, sql, err);
    sqlite3_stmt *stmt = conn->has_object;
    rc = sqlite3_bind_text(stmt, 1, type, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = table ? sqlite3_bind_text(stmt, 3, table, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(stmt, 3);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    ph_status st = PH_OK;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        *exists = rc == SQLITE_ROW;
    else
        st = fail(conn, rc, sql, err);
    /* ready for the next check, holding no read of the schema open */
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
}

static ph_status sqlite_has_table(ph_backend_conn *conn, const char *table, int *exists,
                                  ph_error *err)
{
    return sqlite_has_object(conn, "table", table, NULL, exists, err);
}

static ph_status sqlite_has_trigger(ph_backend_conn *conn, const char *table,
                                    const char *trigger, int *exists, ph_error *err)
{
    return sqlite_has_object(conn, "trigger", trigger, table, exists, err);
}

static ph_status sqlite_trigger_sql(ph_backend_conn *conn, const char *table,
                                    const char *trigger, char *out, size_t size, long *len,
                                    ph_error *err)
{
    static const char sql[] = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' "
                              "AND name = ? AND tbl_name = ?";
    return query_text_bound(conn, sql, trigger, table, out, size, len, err);
}

/*
 * A table name cannot be a bound parameter, so it goes into the SQL text;
 * quoted as an identifier ("..." with every embedded quote doubled) it can
 * never end the identifier early, whatever the name holds.
 */
static ph_status sqlite_count_rows(ph_backend_conn *conn, const char *table, int64_t *rows,
                                   ph_error *err)
{
    static const char prefix[] = "SELECT COUNT(*) FROM \"";
    size_t len = strlen(table), size;
    if (__builtin_mul_overflow(len, 2, &size) ||
        __builtin_add_overflow(size, sizeof(prefix) + 2, &size))
        return ph_error_set(err, PH_ERANGE, "table", NULL, "table name too long");
    char *sql = ph_malloc(conn->ctx, size);
    if (sql == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory counting rows");
    char *p = sql;
    memcpy(p, prefix, sizeof(prefix) - 1);
    p += sizeof(prefix) - 1;
    for (size_t i = 0; i < len; i++) {
        if (table[i] == '"')
            *p++ = '"';
        *p++ = table[i];
    }
    memcpy(p, "\"", 2);

    sqlite3_stmt *stmt = NULL;
    ph_status st = PH_OK;
    int rc = sqlite3_prepare_v2(conn->db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *rows = (int64_t)sqlite3_column_int64(stmt, 0);
    else
        st = fail(conn, rc, sql, err);
    sqlite3_finalize(stmt);
    ph_free(conn->ctx, sql);
    return st;
}

const char *ph_store_sqlite_version(void)
{
    return sqlite3_libversion();
}

const ph_backend ph_sqlite_backend = {
    .name = "sqlite",
    .open = sqlite_open,
    .close = close_conn,
    .exec = sqlite_exec,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .in_transaction = sqlite_in_transaction,
    .begin_read = sqlite_begin_read,
    .changes = sqlite_changes,
    .guard_transaction = sqlite_guard_transaction,
    .prepare = sqlite_prepare,
    .param_count = sqlite_param_count,
    .bind_int64 = sqlite_bind_int64,
    .bind_double = sqlite_bind_double,
    .bind_text = sqlite_bind_text,
    .bind_text_static = sqlite_bind_text_static,
    .bind_null = sqlite_bind_null,
    .bind_blob = sqlite_bind_blob,
    .step = sqlite_step,
    .reset = sqlite_reset,
    .column_count = sqlite_column_count,
    .column_name = sqlite_column_name,
    .column_is_null = sqlite_column_is_null,
    .column_int64 = sqlite_column_int64,
    .column_double = sqlite_column_double,
    .column_text = sqlite_column_text,
    .column_blob = sqlite_column_blob,
    .column_bytes = sqlite_column_bytes,
    .finalize = sqlite_finalize,
    .cached_statements = sqlite_cached_statements,
    .list_tables = sqlite_list_tables,
    .free_tables = sqlite_free_tables,
    .has_table = sqlite_has_table,
    .has_trigger = sqlite_has_trigger,
    .trigger_sql = sqlite_trigger_sql,
    .count_rows = sqlite_count_rows,
};
