/*
 * Rule sets in the store (monitor.h), as lender policies are stored
 * (src/decide/policy_store.c): a version's exact bytes once, with their
 * checksum, never changed; one active set at most; a version read back is
 * hashed again before it is used.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "monitor/watch_internal.h"

#define CHECKSUM_PREFIX 12 /* hex digits of a checksum shown in messages */
#define BUILT_IN_FILE "(built-in default)"

/* ---- small helpers ------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static const char *text_at(ph_stmt *stmt, int col)
{
    const char *s = ph_stmt_column_text(stmt, col);
    return s ? s : "";
}

static ph_status finish(ph_store *store, ph_status st, ph_error *err)
{
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        (void)ph_store_rollback(store, NULL);
    return st;
}

static ph_status require(ph_store *store, ph_error *err)
{
    return ph_store_require_schema(store, WATCH_SCHEMA, "the early warning", err);
}

/* ---- entries ------------------------------------------------------------------------- */

#define ENTRY_COLUMNS "id, name, version, checksum, size, file, loaded_at, active"

static void read_entry(ph_stmt *stmt, const ph_ctx *ctx, ph_monitor_rules_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->ctx = ctx;
    e->id = ph_stmt_column_int64(stmt, 0);
    e->name = text_at(stmt, 1);
    e->version = ph_stmt_column_int64(stmt, 2);
    snprintf(e->checksum, sizeof(e->checksum), "%s", text_at(stmt, 3));
    e->size = (size_t)ph_stmt_column_int64(stmt, 4);
    e->file = text_at(stmt, 5);
    e->loaded_at = text_at(stmt, 6);
    e->active = ph_stmt_column_int64(stmt, 7) != 0;
}

static ph_monitor_rules_entry *copy_entry(const ph_monitor_rules_entry *e)
{
    static const size_t strings[] = {offsetof(ph_monitor_rules_entry, name),
                                     offsetof(ph_monitor_rules_entry, file),
                                     offsetof(ph_monitor_rules_entry, loaded_at)};
    return record_copy(e->ctx, e, sizeof(*e), strings, sizeof(strings) / sizeof(strings[0]));
}

void ph_monitor_rules_entry_free(ph_monitor_rules_entry *entry)
{
    if (entry != NULL)
        ph_free(entry->ctx, entry);
}

/*
 * Select the row of NAME at VERSION (name NULL: the one row with that
 * version; version 0: the active row), with `columns`; *out is stepped to
 * it. PH_ENOTFOUND when there is none; PH_EINVAL when NAME is NULL and
 * several sets have the version.
 */
static ph_status select_row(ph_store *store, const char *columns, const char *name,
                            int64_t version, ph_stmt **out, ph_error *err)
{
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)version);
    ph_stmt *stmt = NULL;
    ph_status st = PH_OK;
    if (name == NULL && version != 0) {
        /* "version N" must name one set */
        st = ph_store_prepare(store,
                              "SELECT count(*), min(name), max(name) FROM warning_rules "
                              "WHERE version = ?",
                              &stmt, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 1, version, err);
        if (st == PH_OK)
            st = ph_stmt_step(stmt, err);
        if (st == PH_OK && ph_stmt_column_int64(stmt, 0) > 1)
            st = ph_error_set(err, PH_EINVAL, "version", v,
                              "%lld rule sets have a version %s (%s ... %s): name one with "
                              "--name",
                              (long long)ph_stmt_column_int64(stmt, 0), v, text_at(stmt, 1),
                              text_at(stmt, 2));
        ph_stmt_free(stmt);
        stmt = NULL;
        if (st != PH_OK)
            return st;
    }
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT %s FROM warning_rules WHERE (?1 IS NULL OR name = ?1) AND "
             "((?2 = 0 AND active = 1) OR version = ?2)",
             columns);
    st = ph_store_prepare(store, sql, &stmt, err);
    if (st == PH_OK)
        st = name ? ph_stmt_bind_text(stmt, 1, name, -1, err) : ph_stmt_bind_null(stmt, 1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, version, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE) {
        if (version == 0)
            st = ph_error_set(err, PH_ENOTFOUND, "rules", name,
                              "no rule set is active (the built-in default runs; see `puhui "
                              "warning rules list` and `puhui warning rules load FILE "
                              "--activate`)");
        else
            st = ph_error_set(err, PH_ENOTFOUND, "version", v,
                              "rule set %s has no version %s loaded (see `puhui warning rules "
                              "list`)",
                              name ? name : "(any name)", v);
    }
    if (st != PH_OK) {
        ph_stmt_free(stmt);
        return st;
    }
    *out = stmt;
    return PH_OK;
}

/* ---- activating ---------------------------------------------------------------------- */

static ph_status move_active(ph_store *store, int64_t id, ph_error *err)
{
    static const char *const updates[] = {
        "UPDATE warning_rules SET active = 0 WHERE active = 1 AND id <> ?",
        "UPDATE warning_rules SET active = 1 WHERE active = 0 AND id = ?",
    };
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < 2; i++) {
        ph_stmt *stmt = NULL;
        st = ph_store_prepare(store, updates[i], &stmt, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 1, id, err);
        if (st == PH_OK)
            st = ph_stmt_step(stmt, err);
        if (st == PH_DONE)
            st = PH_OK;
        ph_stmt_free(stmt);
    }
    return st;
}

ph_status ph_monitor_rules_activate(ph_store *store, const char *name, int64_t version,
                                    ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_rules_activate: store must not be NULL");
    if (version < 1) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)version);
        return ph_error_set(err, PH_EINVAL, "version", v, "expected a version of 1 or more");
    }
    ph_status st = require(store, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = select_row(store, ENTRY_COLUMNS, name, version, &stmt, err);
    int64_t id = st == PH_OK ? ph_stmt_column_int64(stmt, 0) : 0;
    ph_stmt_free(stmt);
    if (st == PH_OK)
        st = move_active(store, id, err);
    return finish(store, st, err);
}

/* ---- loading ------------------------------------------------------------------------- */

typedef struct new_row {
    const char *data;
    size_t len;
    const char *file;
    char checksum[PH_CHECKSUM_HEX];
    const char *name;
    int64_t version;
    char at[PH_UTC_MAX];
} new_row;

static ph_status insert_row(ph_store *store, const new_row *row, int64_t *id, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO warning_rules (name, version, checksum, size, "
                                    "text, file, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                    "RETURNING id",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, row->name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, row->version, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, row->checksum, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 4, (int64_t)row->len, err);
    if (st == PH_OK)
        st = ph_stmt_bind_blob(stmt, 5, row->data, row->len, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 6, row->file, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 7, row->at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(stmt, id, err);
    ph_stmt_free(stmt);
    return st;
}

/* Inside the transaction: store the row unless the same bytes are there. */
static ph_status store_row(ph_store *store, const new_row *row, int64_t *id, int *stored,
                           ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_error local;
    ph_error_clear(&local);
    ph_status st = select_row(store, "id, checksum", row->name, row->version, &stmt, &local);
    if (st == PH_ENOTFOUND) {
        *stored = 1;
        return insert_row(store, row, id, err);
    }
    if (st != PH_OK) {
        if (err != NULL)
            *err = local;
        return st;
    }
    *stored = 0;
    *id = ph_stmt_column_int64(stmt, 0);
    char existing[PH_CHECKSUM_HEX];
    snprintf(existing, sizeof(existing), "%s", text_at(stmt, 1));
    ph_stmt_free(stmt);
    if (strcmp(existing, row->checksum) == 0)
        return PH_OK;
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)row->version);
    return ph_error_set(err, PH_EEXISTS, "version", v,
                        "rule set %s version %s is already loaded with checksum %.*s..., this "
                        "file's is %.*s... (a loaded version never changes, so that its alerts "
                        "can be explained: give the new rules a new version)",
                        row->name, v, CHECKSUM_PREFIX, existing, CHECKSUM_PREFIX,
                        row->checksum);
}

/* The row of rule set `id` read by `sql` (one '?' for the id), stepped to it:
 * PH_ENOTFOUND (field "id") when there is none. *stmt is set either way. */
static ph_status step_to_id(ph_store *store, const char *sql, int64_t id, ph_stmt **stmt,
                            ph_error *err)
{
    *stmt = NULL;
    ph_status st = ph_store_prepare(store, sql, stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(*stmt, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(*stmt, err);
    if (st == PH_DONE) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)id);
        st = ph_error_set(err, PH_ENOTFOUND, "id", v, "no rule set is stored with this id");
    }
    return st;
}

static ph_status get_by_id(ph_store *store, int64_t id, ph_monitor_rules_entry **out,
                           ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = step_to_id(store, "SELECT " ENTRY_COLUMNS " FROM warning_rules WHERE id = ?",
                              id, &stmt, err);
    if (st == PH_OK) {
        ph_monitor_rules_entry e;
        read_entry(stmt, ph_store_ctx(store), &e);
        if ((*out = copy_entry(&e)) == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a rule set entry");
    }
    ph_stmt_free(stmt);
    return st;
}

static ph_status load_bytes(ph_store *store, new_row *row, const char *source, int activate,
                            ph_warn_rules **compiled, ph_monitor_rules_entry **out,
                            ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_warn_rules *rules = NULL;
    ph_status st = ph_warn_rules_load(ctx, row->data, row->len, source, &rules, err);
    if (st == PH_OK) {
        row->name = ph_warn_rules_name(rules);
        row->version = ph_warn_rules_version(rules);
        ph_checksum_hex(row->data, row->len, row->checksum);
        st = ph_ctx_utc_now(ctx, row->at, err);
    }
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    int stored = 0;
    int64_t id = 0;
    if (st == PH_OK) {
        st = store_row(store, row, &id, &stored, err);
        if (st == PH_OK && activate)
            st = move_active(store, id, err);
        st = finish(store, st, err);
    }
    if (st == PH_OK && out != NULL) {
        st = get_by_id(store, id, out, err);
        if (st == PH_OK)
            (*out)->stored = stored;
    }
    if (st == PH_OK && compiled != NULL)
        *compiled = rules;
    else
        ph_warn_rules_free(rules);
    return st;
}

static ph_status load_text(ph_store *store, const char *text, size_t len, const char *source,
                           const char *file, int activate, ph_warn_rules **compiled,
                           ph_monitor_rules_entry **out, ph_error *err)
{
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "loading a rule set runs its own transaction");
    ph_status st = require(store, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    new_row row;
    memset(&row, 0, sizeof(row));
    char *copy = ph_malloc(ctx, len + 1);
    if (copy == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the rule set");
    memcpy(copy, text, len);
    copy[len] = '\0';
    row.data = copy;
    row.len = len;
    row.file = file;
    st = load_bytes(store, &row, source, activate, compiled, out, err);
    ph_free(ctx, copy);
    return st;
}

ph_status ph_monitor_rules_load(ph_store *store, const char *path, int activate,
                                ph_monitor_rules_entry **out, ph_error *err)
{
    if (store == NULL || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_rules_load: store and path must not be NULL");
    ph_status st = require(store, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    char *data = NULL;
    size_t len = 0;
    st = ph_read_file(ctx, path, "rule-set file", &data, &len, err);
    if (st == PH_OK)
        st = load_text(store, data, len, path, base_name(path), activate, NULL, out, err);
    ph_free(ctx, data);
    return st;
}

ph_status ph_monitor_rules_load_text(ph_store *store, const char *text, size_t len,
                                     const char *source, int activate,
                                     ph_monitor_rules_entry **out, ph_error *err)
{
    if (store == NULL || text == NULL || source == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_rules_load_text: store, text and source must not be "
                            "NULL");
    return load_text(store, text, len, source, base_name(source), activate, NULL, out, err);
}

/* ---- reading ------------------------------------------------------------------------- */

/* The bytes of the selected row (column `col`) checked against the entry's
 * checksum. */
static ph_status checked_bytes(ph_stmt *stmt, int col, const ph_monitor_rules_entry *e,
                               const char *source, const void **data, size_t *len,
                               ph_error *err)
{
    *data = ph_stmt_column_blob(stmt, col, len);
    char actual[PH_CHECKSUM_HEX];
    ph_checksum_hex(*data, *len, actual);
    if (strcmp(actual, e->checksum) != 0)
        return ph_error_set(err, PH_ESTORE, "rules", source,
                            "the stored document hashes to %s but the store records %s: the row "
                            "was altered; it will not be used",
                            actual, e->checksum);
    return PH_OK;
}

ph_status ph_monitor_rules_get(ph_store *store, const char *name, int64_t version,
                               ph_warn_rules **rules, ph_monitor_rules_entry **entry,
                               ph_error *err)
{
    if (store == NULL || (rules == NULL && entry == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_rules_get: store is NULL, or rules and entry both are");
    if (version < 0) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)version);
        return ph_error_set(err, PH_EINVAL, "version", v,
                            "expected a version of 1 or more (0: the active set)");
    }
    ph_status st = require(store, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = select_row(store, ENTRY_COLUMNS ", text", name, version, &stmt, err);
    if (st != PH_OK)
        return st;
    ph_monitor_rules_entry e;
    read_entry(stmt, ph_store_ctx(store), &e);
    char source[512];
    snprintf(source, sizeof(source), "warning_rules:%s@%lld", e.name, (long long)e.version);
    ph_warn_rules *r = NULL;
    ph_monitor_rules_entry *copy = NULL;
    if (rules != NULL) {
        const void *data = NULL;
        size_t len = 0;
        st = checked_bytes(stmt, 8, &e, source, &data, &len, err);
        if (st == PH_OK)
            st = ph_warn_rules_load(ph_store_ctx(store), data ? data : "", len, source, &r, err);
        if (st == PH_OK && (strcmp(ph_warn_rules_name(r), e.name) != 0 ||
                            ph_warn_rules_version(r) != e.version))
            st = ph_error_set(err, PH_ESTORE, "rules", source,
                              "the stored document names another name or version than its "
                              "row: the row was altered; it will not be used");
    }
    if (st == PH_OK && entry != NULL && (copy = copy_entry(&e)) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a rule set entry");
    ph_stmt_free(stmt);
    if (st != PH_OK) {
        ph_warn_rules_free(r);
        return st;
    }
    if (rules != NULL)
        *rules = r;
    if (entry != NULL)
        *entry = copy;
    return PH_OK;
}

ph_status ph_monitor_rules_get_id(ph_store *store, int64_t id, ph_warn_rules **rules,
                                  ph_monitor_rules_entry **entry, ph_error *err)
{
    if (store == NULL || (rules == NULL && entry == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_rules_get_id: store is NULL, or rules and entry both "
                            "are");
    ph_monitor_rules_entry *e = NULL;
    ph_status st = require(store, err);
    if (st == PH_OK)
        st = get_by_id(store, id, &e, err);
    /* by name and version: the checks and the compile of ph_monitor_rules_get */
    if (st == PH_OK)
        st = ph_monitor_rules_get(store, e->name, e->version, rules, entry, err);
    ph_monitor_rules_entry_free(e);
    return st;
}

ph_status ph_monitor_rules_text(ph_store *store, int64_t id, char **text, size_t *len,
                                ph_error *err)
{
    if (store == NULL || text == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_rules_text: store, text and len must not be NULL");
    ph_status st = require(store, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = step_to_id(store, "SELECT " ENTRY_COLUMNS ", text FROM warning_rules WHERE id = ?",
                        id, &stmt, err);
    if (st == PH_OK) {
        ph_monitor_rules_entry e;
        read_entry(stmt, ph_store_ctx(store), &e);
        const void *data = NULL;
        size_t n = 0;
        st = checked_bytes(stmt, 8, &e, e.name, &data, &n, err);
        char *copy = st == PH_OK ? ph_malloc(ph_store_ctx(store), n + 1) : NULL;
        if (st == PH_OK && copy == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the rule set");
        if (st == PH_OK) {
            if (n > 0)
                memcpy(copy, data, n);
            copy[n] = '\0';
            *text = copy;
            *len = n;
        }
    }
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_monitor_rules_list(ph_store *store, ph_monitor_rules_fn fn, void *user,
                                ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_rules_list: store and fn must not be NULL");
    ph_status st = require(store, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT " ENTRY_COLUMNS " FROM warning_rules ORDER BY name, version",
                              &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_monitor_rules_entry e;
        read_entry(stmt, ph_store_ctx(store), &e);
        st = fn(user, &e, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* ---- the set a run uses -------------------------------------------------------------- */

ph_status watch_rules_for_run(ph_store *store, const char *path, ph_warn_rules **rules,
                              ph_monitor_rules_entry **entry, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    if (path != NULL) {
        char *data = NULL;
        size_t len = 0;
        ph_status st = ph_read_file(ctx, path, "rule-set file", &data, &len, err);
        if (st == PH_OK)
            st = load_text(store, data, len, path, base_name(path), 0, rules, entry, err);
        ph_free(ctx, data);
        return st;
    }
    ph_error local;
    ph_error_clear(&local);
    ph_status st = ph_monitor_rules_get(store, NULL, 0, rules, entry, &local);
    if (st != PH_ENOTFOUND) {
        if (st != PH_OK && err != NULL)
            *err = local;
        return st;
    }
    const char *text = ph_warn_rules_default_text();
    return load_text(store, text, strlen(text), BUILT_IN_FILE, BUILT_IN_FILE, 0, rules, entry,
                     err);
}
