/*
 * puhui — the store layer: all persistence goes through here.
 *
 * A store is opened from a URI and served by a backend (SQLite today:
 * a plain path or "sqlite:PATH"; PostgreSQL later) behind one interface, so
 * callers never see which database they talk to. SQL uses `?` placeholders;
 * values are always bound, never spliced into SQL text.
 *
 * A store handle is used by one thread at a time; open one per thread.
 *
 * Errors from the database are mapped to statuses: a lock held past the
 * busy timeout is PH_EBUSY; a UNIQUE or PRIMARY KEY violation PH_EEXISTS; a
 * CHECK, NOT NULL or FOREIGN KEY violation PH_EINVAL (the message is the
 * database's, naming the constraint: "UNIQUE constraint failed: t.id");
 * other failures PH_ESTORE, with the database's message and the start of the
 * SQL that failed.
 *
 * SQLite specifics: every connection runs in WAL mode with foreign keys on
 * and synchronous=NORMAL. A commit that returned survives the process being
 * killed at any later moment; after a power failure or an OS crash the last
 * commits may be rolled back, but the database stays consistent (never half
 * a transaction).
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

/*
 * Open (creating if allowed) the store at `uri`. `options` may be NULL.
 * The context must outlive the store.
 *
 * `uri`: "sqlite:PATH" or a plain PATH (":memory:" for a private in-memory
 * database); the scheme is matched ignoring case. "postgresql://..." and
 * "postgres://..." are recognised but not built in (PH_EINVAL saying so);
 * any other "scheme://" is PH_EINVAL. Error messages name the scheme only,
 * never the rest of a URI, which may hold credentials.
 *
 * Errors: PH_EMISUSE (NULL ctx, uri or out); PH_EINVAL (bad URI, negative
 * busy_timeout_ms, a file that is not a database); PH_ENOTFOUND "no database
 * at PATH; run `puhui init` first" when must_exist or read_only is set and
 * the file is missing; PH_EIO naming the path and the system's reason when
 * the file cannot be opened; PH_EBUSY when setting the database up needs a
 * lock that another connection holds past the timeout.
 */
PH_EXTERN ph_status ph_store_open(const ph_ctx *ctx, const char *uri,
                                  const ph_store_options *options, ph_store **out,
                                  ph_error *err);
/* Close the store. Free its statements first: statements still open are a
 * caller bug, and are freed here (with a warning logged), so they must not be
 * used afterwards. An open transaction is rolled back. NULL is allowed. */
PH_EXTERN void ph_store_free(ph_store *store);

/* "sqlite" for the embedded backend. */
PH_EXTERN const char *ph_store_backend_name(const ph_store *store);
/* The version of the SQLite library the embedded backend runs on ("3.40.1"),
 * for `puhui version` and bug reports; callers never include sqlite3.h. */
PH_EXTERN const char *ph_store_sqlite_version(void);

/* The path or URI the store was opened with. */
PH_EXTERN const char *ph_store_uri(const ph_store *store);

/* The context the store was opened with (NULL for a NULL store), so that
 * code given only a store allocates and logs through the caller's context. */
PH_EXTERN const ph_ctx *ph_store_ctx(const ph_store *store);

/* Run SQL that takes no parameters (DDL, pragmas); several statements allowed. */
PH_EXTERN ph_status ph_store_exec(ph_store *store, const char *sql, ph_error *err);

/*
 * Transactions. Every multi-row change runs inside one. Nesting is a misuse
 * (PH_EMISUSE), except inside a unit (ph_store_begin_unit, below), as is a
 * commit with no open transaction.
 * ph_store_rollback with no open transaction does nothing, so after any
 * failure inside a transaction (a failed commit included) calling it is
 * always right.
 *
 * ph_store_begin takes the write lock at once (SQLite: BEGIN IMMEDIATE), so
 * a writer waits for another writer here, under the busy timeout, and gets
 * PH_EBUSY here rather than half-way through its work. On a read-only store
 * it opens a read transaction: a consistent snapshot.
 *
 * ph_store_in_transaction reflects the database's own state: a statement
 * error that makes the database abandon the transaction ends it here too.
 */
PH_EXTERN ph_status ph_store_begin(ph_store *store, ph_error *err);
PH_EXTERN ph_status ph_store_commit(ph_store *store, ph_error *err);

/*
 * A unit of work: one transaction whose reads all see one snapshot of the
 * database and whose writes commit together, even when the code it calls
 * runs transactions of its own. It opens like ph_store_begin (SQLite:
 * BEGIN IMMEDIATE, so no other connection commits until the unit ends, and
 * the unit's reads see the state as of its start; a backend without such a
 * lock must begin it at snapshot isolation, PostgreSQL REPEATABLE READ).
 * Inside it, ph_store_begin, ph_store_commit and ph_store_rollback nest as
 * savepoints (SAVEPOINT, RELEASE, ROLLBACK TO): a nested rollback undoes
 * only the nested work, a nested commit keeps it for the unit. The unit
 * ends with ph_store_end_unit (below), which ends it whatever the nesting,
 * or with the ph_store_commit or ph_store_rollback that matches it; a
 * statement error that makes the database abandon the transaction ends it
 * too.
 *
 * Cost: one transaction for the whole unit instead of one per nested
 * begin, so one commit (fsync) at the end; other writers wait for the
 * write lock while it is open.
 *
 * Errors: as ph_store_begin (PH_EBUSY when another writer keeps the lock
 * past the busy timeout); PH_EMISUSE when a transaction is already open
 * (units do not nest) or inside a migration.
 */
PH_EXTERN ph_status ph_store_begin_unit(ph_store *store, ph_error *err);

/*
 * End the unit, whatever the nesting: `commit` nonzero commits it, zero
 * rolls it back with every savepoint still open in it. Unlike
 * ph_store_commit and ph_store_rollback, which inside a unit end only the
 * innermost savepoint, it never leaves the unit's transaction open:
 * whatever it returns, no transaction is open afterwards (unless the
 * database refuses even the rollback, PH_ESTORE). Calling it with commit 0
 * after any failure is always right, as ph_store_rollback is for a plain
 * transaction.
 *
 * Cost: one COMMIT (fsync) or one ROLLBACK.
 *
 * Errors: PH_EMISUSE when store is NULL, inside a migration, when the open
 * transaction is not a unit (then it is left as it is), when commit is
 * asked with no unit open (the database may have abandoned it after a
 * statement error), or when commit is asked while a nested transaction is
 * still open in the unit (a begin without its commit or rollback: a bug
 * in the caller) -- then the whole unit is rolled back; PH_EBUSY or
 * PH_ESTORE when the commit fails -- then too the unit is rolled back and
 * nothing of it is written. With commit 0 and no transaction open it
 * does nothing and returns PH_OK.
 */
PH_EXTERN ph_status ph_store_end_unit(ph_store *store, int commit, ph_error *err);
PH_EXTERN ph_status ph_store_rollback(ph_store *store, ph_error *err);
PH_EXTERN int ph_store_in_transaction(const ph_store *store);

/*
 * A read transaction: every statement until the matching ph_store_commit
 * or ph_store_rollback reads one snapshot of the database, whatever other
 * connections commit meanwhile, and takes no write lock (writers go on).
 * SQLite: a deferred BEGIN followed by a read of the schema, which fixes
 * the snapshot at once (a deferred BEGIN alone would take it at the first
 * read); with WAL, writers are never blocked by it. PostgreSQL: BEGIN
 * ISOLATION LEVEL REPEATABLE READ READ ONLY (its snapshot is taken at the
 * first statement, which the same read provides). Writing inside it is an
 * error of the database (SQLite: it tries to upgrade, PH_EBUSY when another
 * writer committed since the snapshot).
 *
 * For multi-statement checks that must not mix two states (the access
 * log's verification). Cost: one round trip and no fsync.
 *
 * Errors: PH_EMISUSE for a NULL store, inside a migration, or when a
 * transaction is already open (it does not nest, not even in a unit);
 * store errors.
 */
PH_EXTERN ph_status ph_store_begin_read(ph_store *store, ph_error *err);

/*
 * Prepared statements. Parameter and column indexes: parameters are 1-based,
 * columns 0-based (as in SQLite).
 *
 * ph_store_prepare compiles exactly one statement (a trailing ";" or comment
 * is fine); none, or more than one, is PH_EINVAL. Free it with ph_stmt_free
 * before freeing the store.
 *
 * Cost: the SQLite backend keeps up to 64 idle statements per store (per
 * connection), keyed by their exact SQL text. ph_stmt_free of a statement
 * that reads or changes rows (SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH,
 * VALUES) resets it -- so it holds no read transaction and blocks no
 * checkpoint -- clears its bindings and keeps it; the next ph_store_prepare
 * of the same text on the same store takes it instead of compiling the SQL
 * again (a hash, a string compare; compiling was ~40% of a decision). Callers
 * see no difference: a statement from the cache is ready, with no value
 * bound. A statement in use is never handed out twice: a nested use of the
 * same SQL gets a statement of its own. The least recently freed is
 * finalised when the cache is full; ph_store_free finalises the rest. DDL,
 * pragmas and BEGIN/COMMIT/ROLLBACK are compiled every time. After a schema
 * change SQLite compiles a cached statement again at its next step, so a
 * schema error (a dropped table) then comes from the step rather than the
 * prepare, and `SELECT *` counts its columns as of that step.
 */
PH_EXTERN ph_status ph_store_prepare(ph_store *store, const char *sql, ph_stmt **out,
                                     ph_error *err);
/*
 * Binding. A parameter index outside 1..(number of parameters) is PH_ERANGE.
 * A statement that has finished (PH_DONE or an error) is reset first, so
 * "bind, step, bind, step" needs no explicit reset; binding while a row is
 * pending is PH_EMISUSE (call ph_stmt_reset first).
 */
PH_EXTERN ph_status ph_stmt_bind_int64(ph_stmt *stmt, int index, int64_t value, ph_error *err);
PH_EXTERN ph_status ph_stmt_bind_double(ph_stmt *stmt, int index, double value, ph_error *err);
/* `len` < 0: `value` is NUL-terminated; otherwise `len` bytes. The text is
 * copied, and should be UTF-8. `value` NULL is PH_EMISUSE: bind SQL NULL with
 * ph_stmt_bind_null. */
PH_EXTERN ph_status ph_stmt_bind_text(ph_stmt *stmt, int index, const char *value, long len,
                                      ph_error *err);
/* As ph_stmt_bind_text, but the text is NOT copied: the statement keeps a
 * pointer to `value`, so the bytes must stay valid and unchanged until the
 * statement is next stepped to completion, reset, rebound or freed. For bulk
 * loads whose buffers outlive the step (a copy per value shows in the
 * profile); when in doubt, use ph_stmt_bind_text. Same errors. */
PH_EXTERN ph_status ph_stmt_bind_text_static(ph_stmt *stmt, int index, const char *value,
                                             long len, ph_error *err);
PH_EXTERN ph_status ph_stmt_bind_null(ph_stmt *stmt, int index, ph_error *err);
/* Bind `len` bytes of binary data (any byte, NUL included; copied). A value
 * of zero bytes is an empty blob, not SQL NULL; `value` NULL with len > 0
 * is PH_EMISUSE. */
PH_EXTERN ph_status ph_stmt_bind_blob(ph_stmt *stmt, int index, const void *value, size_t len,
                                      ph_error *err);
/* PH_OK when a row is ready to read, PH_DONE when the statement has finished.
 * Stepping a finished statement runs it again. */
PH_EXTERN ph_status ph_stmt_step(ph_stmt *stmt, ph_error *err);
/* Make the statement ready to run again; bindings are kept until rebound. */
PH_EXTERN ph_status ph_stmt_reset(ph_stmt *stmt, ph_error *err);
/*
 * The one way to learn a new row's id: run a prepared and bound
 * `INSERT ... RETURNING id` (portable to PostgreSQL; never `SELECT max(id)`
 * afterwards, never the backend's last-insert id) and give the id from its
 * first column; the statement is then reset, complete and ready to run
 * again. *id is written only on success. Errors: the step's; PH_ESTORE when
 * the statement returns no row ("expected the insert to return the new
 * row's id"); PH_EMISUSE for NULL stmt or id.
 */
PH_EXTERN ph_status ph_stmt_step_id(ph_stmt *stmt, int64_t *id, ph_error *err);
/*
 * Reading the current row. Columns can be counted and named as soon as the
 * statement is prepared (and again after a step: a `SELECT *` compiled again
 * for a changed schema may have more); values can be read only while a row is ready
 * (the last step returned PH_OK). Out of range, or with no row ready, the
 * readers give: is_null 1, int64 0, double 0.0, text NULL, name NULL.
 * Read a value as the type it was stored with; other reads convert the way
 * the backend does.
 */
PH_EXTERN int ph_stmt_column_count(ph_stmt *stmt);
PH_EXTERN const char *ph_stmt_column_name(ph_stmt *stmt, int col);
PH_EXTERN int ph_stmt_column_is_null(ph_stmt *stmt, int col);
PH_EXTERN int64_t ph_stmt_column_int64(ph_stmt *stmt, int col);
PH_EXTERN double ph_stmt_column_double(ph_stmt *stmt, int col);
/* UTF-8, NUL-terminated; NULL for SQL NULL. Valid until the next step, reset
 * or free, or another read of the same column as another type. */
PH_EXTERN const char *ph_stmt_column_text(ph_stmt *stmt, int col);
/* The bytes of a value read as binary; *len (may be NULL) receives their
 * count. NULL with *len 0 for an empty value, SQL NULL, or no row ready.
 * Valid as ph_stmt_column_text's result is. */
PH_EXTERN const void *ph_stmt_column_blob(ph_stmt *stmt, int col, size_t *len);
/* The length in bytes of the value as last read with ph_stmt_column_text or
 * ph_stmt_column_blob: call it after that read. Text may hold NUL bytes, so
 * code that must see every stored byte (a hash over a value) takes this
 * length, not strlen. 0 for SQL NULL, out of range, or no row ready. O(1). */
PH_EXTERN size_t ph_stmt_column_bytes(ph_stmt *stmt, int col);
/* Rows changed by the last completed INSERT, UPDATE or DELETE on this store. */
PH_EXTERN int64_t ph_store_changes(ph_store *store);
/* Done with the statement: it must not be used afterwards. The SQLite
 * backend resets it and keeps it for the next prepare of the same SQL
 * (above) or finalises it. NULL is allowed. */
PH_EXTERN void ph_stmt_free(ph_stmt *stmt);

/* --- Schema migrations --------------------------------------------------
 * A migration moves the schema from version-1 to version. Its SQL runs, then
 * its optional `apply` function (for data steps), inside one transaction
 * together with the record in the schema_migrations table: a migration is
 * applied whole or not at all. Versions start at 1 and have no gaps.
 *
 * schema_migrations(version INTEGER PRIMARY KEY, name TEXT NOT NULL,
 * applied_at TEXT NOT NULL), applied_at in UTC ISO 8601
 * ("2025-03-01T08:30:00Z"); it is created by the first migration.
 * While a migration runs, its SQL and apply function cannot begin, commit
 * or roll back (ph_store_begin/commit/rollback and SQL BEGIN, COMMIT,
 * ROLLBACK are refused with PH_EMISUSE), so it cannot end its transaction
 * early; the migration then fails as a whole. */
typedef struct ph_migration {
    int version;
    const char *name;
    const char *sql; /* may be NULL */
    ph_status (*apply)(ph_store *store, ph_error *err); /* may be NULL */
} ph_migration;

/* Current schema version: 0 for an empty database. */
PH_EXTERN ph_status ph_store_schema_version(ph_store *store, int *version, ph_error *err);

/* One applied migration, as recorded in schema_migrations. */
typedef struct ph_migration_record {
    int version;
    const char *name;
    const char *applied_at; /* UTC ISO 8601 */
} ph_migration_record;

typedef ph_status (*ph_migration_fn)(void *user, const ph_migration_record *m, ph_error *err);

/*
 * Call `fn` for every applied migration, in version order (none for an
 * empty database). The strings are valid during the call only. A status
 * other than PH_OK from fn stops the walk and is returned.
 * Errors: PH_EMISUSE for a NULL store or fn; store errors.
 */
PH_EXTERN ph_status ph_store_migration_each(ph_store *store, ph_migration_fn fn, void *user,
                                            ph_error *err);

/*
 * The one check a module makes before it touches its tables: the database
 * must be at schema version `version` or later. `what` names the module
 * ("the model registry"). Errors: PH_ESCHEMA, field "schema_version":
 * "the model registry needs schema version 6 or later, the database has 5;
 * run `puhui init`"; ph_store_schema_version's errors. Costs one query.
 */
PH_EXTERN ph_status ph_store_require_schema(ph_store *store, int version, const char *what,
                                            ph_error *err);

/*
 * Apply the migrations of `list` above the current version up to `target`
 * (-1: the last of the list). A database whose version is above the list's
 * last fails with PH_ESCHEMA ("database schema version 5 is newer than this
 * puhui (knows up to 2); upgrade puhui"). `applied` (may be NULL) receives
 * how many ran (0 when already at or past target; there are no downgrades);
 * it is written only on success.
 *
 * Errors: PH_EMISUSE for a NULL store, a malformed list (versions not
 * 1..count in order, a missing name, neither sql nor apply) or an open
 * transaction; PH_ERANGE for a target outside -1..count. When a migration
 * fails, the database stays at the version before it, earlier migrations of
 * this call stay applied, and the error keeps the failure's status with the
 * message "migration N (NAME) failed: ...".
 *
 * Safe against another process migrating at the same time: the version is
 * read again inside each migration's transaction.
 */
PH_EXTERN ph_status ph_store_migrate(ph_store *store, const ph_migration *list, size_t count,
                                     int target, int *applied, ph_error *err);

/* --- Introspection, for `puhui info` and operators --------------------- */
typedef struct ph_table_info {
    const char *name;
    int64_t rows;
} ph_table_info;

typedef ph_status (*ph_table_fn)(void *user, const ph_table_info *table, ph_error *err);

/*
 * Call `fn` for every user table, in name order (byte order), with its row
 * count. User tables include schema_migrations but not the backend's own
 * (SQLite's sqlite_*). `table->name` is valid during the call only. The
 * callback may run SQL on the store. If it returns anything but PH_OK, the
 * walk stops and that status is returned.
 */
PH_EXTERN ph_status ph_store_each_table(ph_store *store, ph_table_fn fn, void *user,
                                        ph_error *err);

/*
 * Does trigger `trigger` exist on table `table`? *exists receives 1 or 0.
 * For checks that a protection the schema put in place is still there
 * (the access log's append-only triggers). Errors: PH_EMISUSE for a NULL
 * argument; store errors.
 */
PH_EXTERN ph_status ph_store_has_trigger(ph_store *store, const char *table,
                                         const char *trigger, int *exists, ph_error *err);

/*
 * The definition of trigger `trigger` on table `table` as the database
 * stores it (SQLite: the CREATE TRIGGER text as it was run, without the
 * final ';'), into `out` of `size` bytes, cut to fit. *len receives the
 * full length in bytes (-1 when there is no such trigger, out then "").
 * So a check can tell a trigger still doing what the schema made it do
 * from one of the same name with another body. Errors: PH_EMISUSE for a
 * NULL argument or a size of 0; store errors.
 */
PH_EXTERN ph_status ph_store_trigger_sql(ph_store *store, const char *table,
                                         const char *trigger, char *out, size_t size,
                                         long *len, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_STORE_H */
