/*
 * Lender policies in the store (policy_store.h): loading a policy file's
 * exact bytes once per version, choosing the active version, and reading a
 * version back after re-checking its checksum.
 */
#include "puhui/policy_store.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/record.h"

#define POLICY_SCHEMA 7
#define CHECKSUM_PREFIX 12 /* hex digits of a checksum shown in messages */

/* ---- small helpers ------------------------------------------------------------- */

/* The last path component: the store records where a policy came from
 * without the loading machine's directories. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void version_text(char *buf, size_t size, int64_t version)
{
    snprintf(buf, size, "%lld", (long long)version);
}

static const char *text_at(ph_stmt *stmt, int col)
{
    const char *s = ph_stmt_column_text(stmt, col);
    return s ? s : "";
}

/* Finish a transaction: commit on success, roll back otherwise. */
static ph_status finish(ph_store *store, ph_status st, ph_error *err)
{
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        (void)ph_store_rollback(store, NULL);
    return st;
}

/* ---- entries ------------------------------------------------------------------- */

/* The columns of an entry, in the order read_entry expects. */
#define ENTRY_SELECT                                                                         \
    "SELECT id, lender, name, version, checksum, size, file, loaded_at, active FROM policy "

/* The row as an entry whose strings point into the statement. */
static void read_entry(ph_stmt *stmt, const ph_ctx *ctx, ph_policy_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->ctx = ctx;
    e->id = ph_stmt_column_int64(stmt, 0);
    e->lender = text_at(stmt, 1);
    e->name = text_at(stmt, 2);
    e->version = ph_stmt_column_int64(stmt, 3);
    snprintf(e->checksum, sizeof(e->checksum), "%s", text_at(stmt, 4));
    e->size = (size_t)ph_stmt_column_int64(stmt, 5);
    e->file = text_at(stmt, 6);
    e->loaded_at = text_at(stmt, 7);
    e->active = ph_stmt_column_int64(stmt, 8) != 0;
}

/* A deep copy in one allocation: the strings follow the struct. */
static ph_policy_entry *copy_entry(const ph_policy_entry *e)
{
    static const size_t strings[] = {
        offsetof(ph_policy_entry, lender), offsetof(ph_policy_entry, name),
        offsetof(ph_policy_entry, file), offsetof(ph_policy_entry, loaded_at)};
    return record_copy(e->ctx, e, sizeof(*e), strings, sizeof(strings) / sizeof(strings[0]));
}

void ph_policy_entry_free(ph_policy_entry *entry)
{
    if (entry != NULL)
        ph_free(entry->ctx, entry);
}

/* Prepare SQL, whose parameters ?1, ?2 and ?3 are a policy's key: LENDER,
 * NAME and VERSION. */
static ph_status prepare_key(ph_store *store, const char *sql, const char *lender,
                             const char *name, int64_t version, ph_stmt **out, ph_error *err)
{
    ph_status st = ph_store_prepare(store, sql, out, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(*out, 1, lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(*out, 2, name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(*out, 3, version, err);
    return st;
}

/* Prepare and step the row of LENDER / NAME at VERSION (0: the active one),
 * selecting `columns`. PH_ENOTFOUND when there is none. */
static ph_status select_row(ph_store *store, const char *columns, const char *lender,
                            const char *name, int64_t version, ph_stmt **out, ph_error *err)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "%sWHERE lender = ?1 AND name = ?2 AND "
             "((?3 = 0 AND active = 1) OR version = ?3)",
             columns);
    ph_stmt *stmt = NULL;
    ph_status st = prepare_key(store, sql, lender, name, version, &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE) {
        char v[24];
        version_text(v, sizeof(v), version);
        st = version ? ph_error_set(err, PH_ENOTFOUND, "version", v,
                                    "policy %s / %s has no version %s loaded (see `puhui "
                                    "policy list`)",
                                    lender, name, v)
                     : ph_error_set(err, PH_ENOTFOUND, "policy", name,
                                    "lender %s has no active version of policy %s (see `puhui "
                                    "policy list` and `puhui policy activate`)",
                                    lender, name);
    }
    if (st != PH_OK) {
        ph_stmt_free(stmt);
        return st;
    }
    *out = stmt;
    return PH_OK;
}

static ph_status check_args(ph_store *store, const char *lender, const char *name,
                            int64_t version, int64_t min_version, const char *function,
                            ph_error *err)
{
    if (store == NULL || lender == NULL || name == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "%s: store, lender and name must not be NULL", function);
    if (version < min_version) {
        char v[24];
        version_text(v, sizeof(v), version);
        return ph_error_set(err, PH_EINVAL, "version", v,
                            min_version ? "expected a version of 1 or more"
                                        : "expected a version of 1 or more (0: the active one)");
    }
    return ph_store_require_schema(store, POLICY_SCHEMA, "the policy store", err);
}

/* ---- activating ---------------------------------------------------------------- */

/* Inside the transaction: the version must exist; the active marker moves
 * to it (the old one is cleared first: at most one may be set). */
static ph_status move_active(ph_store *store, const char *lender, const char *name,
                             int64_t version, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = select_row(store, ENTRY_SELECT, lender, name, version, &stmt, err);
    ph_stmt_free(stmt);
    static const char *const updates[] = {
        "UPDATE policy SET active = 0 WHERE lender = ?1 AND name = ?2 AND active = 1 "
        "AND version <> ?3",
        "UPDATE policy SET active = 1 WHERE lender = ?1 AND name = ?2 AND version = ?3 "
        "AND active = 0",
    };
    for (size_t i = 0; st == PH_OK && i < sizeof(updates) / sizeof(updates[0]); i++) {
        stmt = NULL;
        st = prepare_key(store, updates[i], lender, name, version, &stmt, err);
        if (st == PH_OK)
            st = ph_stmt_step(stmt, err);
        if (st == PH_DONE)
            st = PH_OK;
        ph_stmt_free(stmt);
    }
    return st;
}

ph_status ph_policy_store_activate(ph_store *store, const char *lender, const char *name,
                                   int64_t version, ph_error *err)
{
    ph_status st = check_args(store, lender, name, version, 1, "ph_policy_store_activate", err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    return finish(store, move_active(store, lender, name, version, err), err);
}

/* ---- loading ------------------------------------------------------------------- */

/* What load inserts, gathered before the transaction. */
typedef struct new_row {
    char *data;
    size_t len;
    char checksum[PH_CHECKSUM_HEX];
    const char *lender, *name, *file;
    int64_t version;
    char at[PH_UTC_MAX];
} new_row;

/* Inside the transaction: the checksum already stored for the version, or
 * "" when the version is new. */
static ph_status stored_checksum(ph_store *store, const new_row *row,
                                 char out[PH_CHECKSUM_HEX], ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_error local;
    ph_error_clear(&local);
    out[0] = '\0';
    /* a local error: "not found" is the normal case here, not a message */
    ph_status st = select_row(store, "SELECT checksum FROM policy ", row->lender, row->name,
                              row->version, &stmt, &local);
    if (st == PH_ENOTFOUND)
        return PH_OK;
    if (st != PH_OK) {
        if (err != NULL)
            *err = local;
        return st;
    }
    snprintf(out, PH_CHECKSUM_HEX, "%s", text_at(stmt, 0));
    ph_stmt_free(stmt);
    return PH_OK;
}

static ph_status insert_row(ph_store *store, const new_row *row, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO policy (lender, name, version, checksum, size, "
                                    "document, file, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, row->lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, row->name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 3, row->version, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 4, row->checksum, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 5, (int64_t)row->len, err);
    if (st == PH_OK)
        st = ph_stmt_bind_blob(stmt, 6, row->data, row->len, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 7, row->file, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 8, row->at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* Inside the transaction: store the row unless the same bytes are there;
 * *stored tells which. */
static ph_status store_row(ph_store *store, const new_row *row, int *stored, ph_error *err)
{
    char existing[PH_CHECKSUM_HEX];
    ph_status st = stored_checksum(store, row, existing, err);
    if (st != PH_OK)
        return st;
    if (existing[0] == '\0') {
        *stored = 1;
        return insert_row(store, row, err);
    }
    *stored = 0;
    if (strcmp(existing, row->checksum) == 0)
        return PH_OK;
    char v[24];
    version_text(v, sizeof(v), row->version);
    return ph_error_set(err, PH_EEXISTS, "version", v,
                        "policy %s / %s version %s is already loaded with checksum %.*s..., "
                        "this file's is %.*s... (a loaded version never changes, so that "
                        "decisions can be replayed: give the new rules a new version)",
                        row->lender, row->name, v, CHECKSUM_PREFIX, existing, CHECKSUM_PREFIX,
                        row->checksum);
}

/* Validate, hash and store row->data (row->file names it); the part shared
 * by the file and the text loaders. `expect_lender` (NULL: any) is checked
 * before anything is stored. */
static ph_status load_bytes(ph_store *store, new_row *row, const char *source,
                            const char *expect_lender, int activate, ph_policy_entry **out,
                            ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_policy *policy = NULL;
    ph_status st = ph_policy_load_text(ctx, row->data, row->len, source, &policy, err);
    if (st == PH_OK) {
        row->lender = ph_policy_lender(policy);
        row->name = ph_policy_name(policy);
        row->version = ph_policy_version(policy);
        ph_checksum_hex(row->data, row->len, row->checksum);
        st = ph_ctx_utc_now(ctx, row->at, err);
    }
    if (st == PH_OK && expect_lender != NULL && strcmp(row->lender, expect_lender) != 0)
        st = ph_error_set(err, PH_EDENIED, "lender", row->lender,
                          "the policy's lender must be %s, who loads it", expect_lender);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    int stored = 0;
    if (st == PH_OK) {
        st = store_row(store, row, &stored, err);
        if (st == PH_OK && activate)
            st = move_active(store, row->lender, row->name, row->version, err);
        st = finish(store, st, err);
    }
    if (st == PH_OK && out != NULL) {
        st = ph_policy_store_get(store, row->lender, row->name, row->version, NULL, out, err);
        if (st == PH_OK)
            (*out)->stored = stored;
    }
    ph_policy_free(policy);
    return st;
}

ph_status ph_policy_store_load(ph_store *store, const char *path, int activate,
                               ph_policy_entry **out, ph_error *err)
{
    if (store == NULL || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_store_load: store and path must not be NULL");
    ph_status st = ph_store_require_schema(store, POLICY_SCHEMA, "the policy store", err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    new_row row;
    memset(&row, 0, sizeof(row));
    row.file = base_name(path);
    st = ph_read_file(ctx, path, "policy file", &row.data, &row.len, err);
    if (st == PH_OK)
        st = load_bytes(store, &row, path, NULL, activate, out, err);
    ph_free(ctx, row.data);
    return st;
}

ph_status ph_policy_store_load_text(ph_store *store, const char *text, size_t len,
                                    const char *source, const char *expect_lender, int activate,
                                    ph_policy_entry **out, ph_error *err)
{
    if (store == NULL || text == NULL || source == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_store_load_text: store, text and source must not be NULL");
    ph_status st = ph_store_require_schema(store, POLICY_SCHEMA, "the policy store", err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    new_row row;
    memset(&row, 0, sizeof(row));
    row.file = base_name(source);
    /* The store keeps its own copy: the caller's text need not be NUL-terminated
     * nor outlive the call. */
    row.data = ph_malloc(ctx, len + 1);
    if (row.data == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the policy");
    memcpy(row.data, text, len);
    row.data[len] = '\0';
    row.len = len;
    st = load_bytes(store, &row, source, expect_lender, activate, out, err);
    ph_free(ctx, row.data);
    return st;
}

/* ---- reading ------------------------------------------------------------------- */

/* The document of the selected row, checked against its checksum and its
 * own lender, name and version, parsed. */
static ph_status parse_checked(ph_store *store, ph_stmt *stmt, const ph_policy_entry *e,
                               ph_policy **out, ph_error *err)
{
    size_t len = 0;
    const void *data = ph_stmt_column_blob(stmt, 9, &len);
    char actual[PH_CHECKSUM_HEX], v[24], source[512];
    ph_checksum_hex(data, len, actual);
    version_text(v, sizeof(v), e->version);
    snprintf(source, sizeof(source), "policy:%s/%s@%s", e->lender, e->name, v);
    if (strcmp(actual, e->checksum) != 0)
        return ph_error_set(err, PH_ESTORE, "policy", source,
                            "the stored document hashes to %s but the store records %s: the "
                            "row was altered; it will not be used",
                            actual, e->checksum);
    ph_policy *p = NULL;
    ph_status st = ph_policy_load_text(ph_store_ctx(store), data ? data : "", len, source, &p,
                                       err);
    if (st != PH_OK)
        return st;
    if (strcmp(ph_policy_lender(p), e->lender) != 0 || strcmp(ph_policy_name(p), e->name) != 0 ||
        ph_policy_version(p) != e->version) {
        ph_policy_free(p);
        return ph_error_set(err, PH_ESTORE, "policy", source,
                            "the stored document names another lender, name or version than "
                            "its row: the row was altered; it will not be used");
    }
    *out = p;
    return PH_OK;
}

ph_status ph_policy_store_get(ph_store *store, const char *lender, const char *name,
                              int64_t version, ph_policy **policy, ph_policy_entry **entry,
                              ph_error *err)
{
    if (policy == NULL && entry == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_store_get: policy and entry are both NULL");
    ph_status st = check_args(store, lender, name, version, 0, "ph_policy_store_get", err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = select_row(store,
                        "SELECT id, lender, name, version, checksum, size, file, loaded_at, "
                        "active, document FROM policy ",
                        lender, name, version, &stmt, err);
    if (st != PH_OK)
        return st;
    ph_policy_entry e;
    read_entry(stmt, ph_store_ctx(store), &e);
    ph_policy *p = NULL;
    ph_policy_entry *copy = NULL;
    if (policy != NULL)
        st = parse_checked(store, stmt, &e, &p, err);
    if (st == PH_OK && entry != NULL && (copy = copy_entry(&e)) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a policy entry");
    ph_stmt_free(stmt);
    if (st != PH_OK) {
        ph_policy_free(p);
        return st;
    }
    if (policy != NULL)
        *policy = p;
    if (entry != NULL)
        *entry = copy;
    return PH_OK;
}

/* Walk the entries `sql` selects, calling fn; with by_lender, ?1 is the
 * lender or NULL. */
static ph_status walk(ph_store *store, const char *sql, int by_lender, const char *lender,
                      ph_policy_store_fn fn, void *user, ph_error *err)
{
    ph_status st = ph_store_require_schema(store, POLICY_SCHEMA, "the policy store", err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, sql, &stmt, err);
    if (st == PH_OK && by_lender)
        st = lender ? ph_stmt_bind_text(stmt, 1, lender, -1, err)
                    : ph_stmt_bind_null(stmt, 1, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_policy_entry e;
        read_entry(stmt, ph_store_ctx(store), &e);
        st = fn(user, &e, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_policy_store_list(ph_store *store, const char *lender, ph_policy_store_fn fn,
                               void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_store_list: store and fn must not be NULL");
    return walk(store,
                ENTRY_SELECT "WHERE ?1 IS NULL OR lender = ?1 ORDER BY lender, name, version",
                1, lender, fn, user, err);
}

ph_status ph_policy_store_list_active(ph_store *store, ph_policy_store_fn fn, void *user,
                                      ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_store_list_active: store and fn must not be NULL");
    return walk(store, ENTRY_SELECT "WHERE active = 1 ORDER BY lender, name", 0, NULL, fn, user, err);
}
