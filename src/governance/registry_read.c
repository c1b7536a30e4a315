/*
 * The model registry, reading and deciding: entries, events, state
 * transitions, and loading an approved model for decisions.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/record.h"
#include "governance/governance_internal.h"

static ph_status state_of(const char *text, ph_model_state *state)
{
    return ph_model_state_parse(text ? text : "", state, NULL);
}

static ph_model_kind kind_of(const char *text)
{
    static const ph_model_kind kinds[] = {PH_MODEL_SCORECARD, PH_MODEL_XGBOOST,
                                          PH_MODEL_LIGHTGBM};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (text && strcmp(text, ph_model_kind_name(kinds[i])) == 0)
            return kinds[i];
    return (ph_model_kind)0;
}

/* The columns of an entry, with its last event (if any), in the order
 * read_entry expects. */
#define ENTRY_SELECT                                                                         \
    "SELECT m.id, m.name, m.version, m.kind, m.checksum, m.size, m.file, m.features, "      \
    "m.training, m.metrics, m.state, m.registered_at, "                                     \
    "coalesce(e.at, m.registered_at), coalesce(e.actor, ''), coalesce(e.note, '') "         \
    "FROM model_registry m LEFT JOIN model_event e ON e.seq = "                            \
    "(SELECT max(seq) FROM model_event WHERE model_id = m.id) "

static const char *text_at(ph_stmt *stmt, int col)
{
    const char *s = ph_stmt_column_text(stmt, col);
    return s ? s : "";
}

/* The row as an entry whose strings point into the statement (valid until
 * the next step). */
static void read_entry(ph_stmt *stmt, ph_registry_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->id = ph_stmt_column_int64(stmt, 0);
    e->name = text_at(stmt, 1);
    e->version = ph_stmt_column_int64(stmt, 2);
    e->kind = kind_of(ph_stmt_column_text(stmt, 3));
    snprintf(e->checksum, sizeof(e->checksum), "%s", text_at(stmt, 4));
    e->size = (size_t)ph_stmt_column_int64(stmt, 5);
    e->file = text_at(stmt, 6);
    e->features = text_at(stmt, 7);
    e->training = ph_stmt_column_text(stmt, 8);
    e->metrics = ph_stmt_column_text(stmt, 9);
    (void)state_of(ph_stmt_column_text(stmt, 10), &e->state);
    e->registered_at = text_at(stmt, 11);
    e->state_at = text_at(stmt, 12);
    e->state_by = text_at(stmt, 13);
    e->state_note = text_at(stmt, 14);
}

/* A deep copy in one allocation: the strings follow the struct. */
static ph_registry_entry *copy_entry(const ph_ctx *ctx, const ph_registry_entry *e)
{
    static const size_t strings[] = {
        offsetof(ph_registry_entry, name),       offsetof(ph_registry_entry, file),
        offsetof(ph_registry_entry, features),   offsetof(ph_registry_entry, training),
        offsetof(ph_registry_entry, metrics),    offsetof(ph_registry_entry, registered_at),
        offsetof(ph_registry_entry, state_at),   offsetof(ph_registry_entry, state_by),
        offsetof(ph_registry_entry, state_note)};
    ph_registry_entry *copy =
        record_copy(ctx, e, sizeof(*e), strings, sizeof(strings) / sizeof(strings[0]));
    if (copy != NULL)
        copy->ctx = ctx;
    return copy;
}

void ph_registry_entry_free(ph_registry_entry *entry)
{
    if (entry != NULL)
        ph_free(entry->ctx, entry);
}

static void version_text(char *buf, size_t size, int64_t version)
{
    snprintf(buf, size, "%lld", (long long)version);
}

/* Prepare the entry of NAME VERSION (0: the latest version). */
static ph_status select_entry(ph_store *store, const char *name, int64_t version,
                              ph_stmt **out, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    ENTRY_SELECT "WHERE m.name = ?1 AND (?2 = 0 OR m.version = ?2) "
                                                 "ORDER BY m.version DESC LIMIT 1",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, version, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE) {
        char v[24];
        version_text(v, sizeof(v), version);
        st = version ? ph_error_set(err, PH_ENOTFOUND, "model", name,
                                    "no version %s of this model is registered (see `puhui "
                                    "model list`)",
                                    v)
                     : ph_error_set(err, PH_ENOTFOUND, "model", name,
                                    "no model of this name is registered (see `puhui model "
                                    "list`)");
    }
    if (st != PH_OK) {
        ph_stmt_free(stmt);
        return st;
    }
    *out = stmt;
    return PH_OK;
}

static ph_status check_args(ph_store *store, const char *name, int64_t version,
                            const char *function, ph_error *err)
{
    if (store == NULL || name == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: store and name must not be NULL",
                            function);
    if (version < 0) {
        char v[24];
        version_text(v, sizeof(v), version);
        return ph_error_set(err, PH_EINVAL, "version", v,
                            "expected a version of 1 or more (0: the latest)");
    }
    return ph_store_require_schema(store, GOV_REGISTRY_SCHEMA, "the model registry", err);
}

ph_status ph_registry_get(ph_store *store, const char *name, int64_t version,
                          ph_registry_entry **out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_registry_get: out is NULL");
    ph_status st = check_args(store, name, version, "ph_registry_get", err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = select_entry(store, name, version, &stmt, err);
    if (st != PH_OK)
        return st;
    ph_registry_entry e;
    read_entry(stmt, &e);
    ph_registry_entry *copy = copy_entry(ph_store_ctx(store), &e);
    ph_stmt_free(stmt);
    if (copy == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a registry entry");
    *out = copy;
    return PH_OK;
}

ph_status ph_registry_list(ph_store *store, const char *name, ph_registry_fn fn, void *user,
                           ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_registry_list: store and fn must not be NULL");
    ph_status st = ph_store_require_schema(store, GOV_REGISTRY_SCHEMA, "the model registry", err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              ENTRY_SELECT "WHERE ?1 IS NULL OR m.name = ?1 "
                                           "ORDER BY m.name, m.version",
                              &stmt, err);
    if (st == PH_OK)
        st = name ? ph_stmt_bind_text(stmt, 1, name, -1, err) : ph_stmt_bind_null(stmt, 1, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_registry_entry e;
        read_entry(stmt, &e);
        e.ctx = ph_store_ctx(store);
        st = fn(user, &e, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_registry_events(ph_store *store, const char *name, int64_t version,
                             ph_registry_event_fn fn, void *user, ph_error *err)
{
    if (fn == NULL || version == 0)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_registry_events: fn must not be NULL and version not 0");
    ph_status st = check_args(store, name, version, "ph_registry_events", err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = select_entry(store, name, version, &stmt, err);
    int64_t id = st == PH_OK ? ph_stmt_column_int64(stmt, 0) : 0;
    ph_stmt_free(stmt);
    stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT seq, at, from_state, to_state, actor, note FROM model_event "
                              "WHERE model_id = ? ORDER BY seq",
                              &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, id, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_registry_event ev = {ph_stmt_column_int64(stmt, 0), text_at(stmt, 1), text_at(stmt, 2),
                                text_at(stmt, 3), text_at(stmt, 4), text_at(stmt, 5)};
        st = fn(user, &ev, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* ---- transitions ---------------------------------------------------------------- */

static const struct {
    ph_model_state from, to;
    int needs_note;
} TRANSITIONS[] = {
    {PH_MODEL_DRAFT, PH_MODEL_APPROVED, 1},
    {PH_MODEL_DRAFT, PH_MODEL_REJECTED, 1},
    {PH_MODEL_APPROVED, PH_MODEL_RETIRED, 0},
};

/* The rule for from -> to, or -1 when the move is illegal. */
static int find_transition(ph_model_state from, ph_model_state to)
{
    for (size_t i = 0; i < sizeof(TRANSITIONS) / sizeof(TRANSITIONS[0]); i++)
        if (TRANSITIONS[i].from == from && TRANSITIONS[i].to == to)
            return (int)i;
    return -1;
}

static ph_status record_transition(ph_store *store, int64_t id, ph_model_state from,
                                   ph_model_state to, const char *actor, const char *note,
                                   ph_error *err)
{
    char at[PH_UTC_MAX];
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), at, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "UPDATE model_registry SET state = ? WHERE id = ?", &stmt,
                              err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, ph_model_state_name(to), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    stmt = NULL;
    if (st != PH_DONE)
        return st;
    st = ph_store_prepare(store,
                          "INSERT INTO model_event (model_id, at, from_state, to_state, actor, "
                          "note) VALUES (?, ?, ?, ?, ?, ?)",
                          &stmt, err);
    const char *texts[] = {at, ph_model_state_name(from), ph_model_state_name(to), actor, note};
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, id, err);
    for (int i = 0; st == PH_OK && i < 5; i++)
        st = ph_stmt_bind_text(stmt, 2 + i, texts[i], -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

static int blank(const char *s)
{
    if (s == NULL)
        return 1;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return *s == '\0';
}

/* Inside the transaction: read the current state, check the move, record it. */
static ph_status transition(ph_store *store, const char *name, int64_t version,
                            ph_model_state to, const char *actor, const char *note,
                            ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = select_entry(store, name, version, &stmt, err);
    if (st != PH_OK)
        return st;
    ph_registry_entry e;
    read_entry(stmt, &e);
    int64_t id = e.id;
    ph_model_state from = e.state;
    ph_stmt_free(stmt);
    int rule = find_transition(from, to);
    char v[24];
    version_text(v, sizeof(v), version);
    if (rule < 0)
        return ph_error_set(err, PH_EINVAL, "state", ph_model_state_name(to),
                            "model %s version %s cannot go from %s to %s (allowed: draft to "
                            "approved or rejected, approved to retired)",
                            name, v, ph_model_state_name(from), ph_model_state_name(to));
    if (TRANSITIONS[rule].needs_note && blank(note))
        return ph_error_set(err, PH_EINVAL, "note", NULL,
                            "a move from %s to %s needs a note saying why (the review's "
                            "conclusion)",
                            ph_model_state_name(from), ph_model_state_name(to));
    return record_transition(store, id, from, to, actor, note ? note : "", err);
}

ph_status ph_registry_set_state(ph_store *store, const char *name, int64_t version,
                                ph_model_state to, const char *actor, const char *note,
                                ph_error *err)
{
    ph_status st = check_args(store, name, version, "ph_registry_set_state", err);
    if (st != PH_OK)
        return st;
    if (version == 0)
        return ph_error_set(err, PH_EINVAL, "version", "0",
                            "expected the version to decide on (1 or more)");
    if (ph_model_state_name(to) == NULL) {
        char value[16];
        snprintf(value, sizeof(value), "%d", (int)to);
        return ph_error_set(err, PH_EINVAL, "state", value,
                            "expected draft, approved, rejected or retired");
    }
    if (blank(actor))
        return ph_error_set(err, PH_EINVAL, "actor", NULL,
                            "every decision on a model needs the person who takes it");
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = transition(store, name, version, to, actor, note, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        (void)ph_store_rollback(store, NULL);
    return st;
}

/* ---- loading for decisions ------------------------------------------------------- */

/* Find the version to load: the one asked for, or the latest approved. */
static ph_status approved_version(ph_store *store, const char *name, int64_t version,
                                  int64_t *out, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = select_entry(store, name, version, &stmt, err);
    if (st != PH_OK)
        return st;
    ph_registry_entry e;
    read_entry(stmt, &e);
    char v[24];
    version_text(v, sizeof(v), e.version);
    if (version != 0 && e.state != PH_MODEL_APPROVED)
        st = ph_error_set(err, PH_EDENIED, "model", name,
                          "model %s version %s is %s: an unapproved model cannot be used for "
                          "decisions",
                          name, v, ph_model_state_name(e.state));
    ph_model_state latest_state = e.state;
    ph_stmt_free(stmt);
    if (st != PH_OK || version != 0) {
        if (st == PH_OK)
            *out = version;
        return st;
    }
    st = ph_store_prepare(store,
                          "SELECT max(version) FROM model_registry WHERE name = ? AND "
                          "state = 'approved'",
                          &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK && ph_stmt_column_is_null(stmt, 0))
        st = ph_error_set(err, PH_EDENIED, "model", name,
                          "model %s has no approved version (the latest, version %s, is %s): "
                          "an unapproved model cannot be used for decisions",
                          name, v, ph_model_state_name(latest_state));
    else if (st == PH_OK)
        *out = ph_stmt_column_int64(stmt, 0);
    ph_stmt_free(stmt);
    return st;
}

/* Read the bytes, check them against the checksum, load them. */
static ph_status load_checked(ph_store *store, const char *name, int64_t version,
                              int retired_too, ph_model **out, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    retired_too
                                        ? "SELECT model, checksum FROM model_registry WHERE "
                                          "name = ? AND version = ? AND state IN ('approved', "
                                          "'retired')"
                                        : "SELECT model, checksum FROM model_registry WHERE "
                                          "name = ? AND version = ? AND state = 'approved'",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, version, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    char v[24], source[128];
    version_text(v, sizeof(v), version);
    if (st == PH_DONE) /* it changed state since approved_version looked */
        st = ph_error_set(err, PH_EDENIED, "model", name,
                          retired_too ? "model %s version %s was never approved: it cannot have "
                                        "taken a decision"
                                      : "model %s version %s is no longer approved",
                          name, v);
    if (st != PH_OK) {
        ph_stmt_free(stmt);
        return st;
    }
    size_t len = 0;
    const void *data = ph_stmt_column_blob(stmt, 0, &len);
    char actual[PH_CHECKSUM_HEX];
    ph_checksum_hex(data, len, actual);
    const char *recorded = text_at(stmt, 1);
    snprintf(source, sizeof(source), "registry:%s@%s", name, v);
    if (strcmp(actual, recorded) != 0)
        st = ph_error_set(err, PH_ESTORE, "model", source,
                          "the stored model bytes hash to %s but the registry records %s: the "
                          "row was altered; it will not be used",
                          actual, recorded);
    else
        st = ph_model_load_memory(ph_store_ctx(store), data, len, source, out, err);
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_registry_load_approved(ph_store *store, const char *name, int64_t version,
                                    ph_model **out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_registry_load_approved: out is NULL");
    ph_status st = check_args(store, name, version, "ph_registry_load_approved", err);
    if (st != PH_OK)
        return st;
    /* the bytes are read with `state = 'approved'` again, so a model retired
     * between the two reads is not loaded */
    int64_t chosen = 0;
    st = approved_version(store, name, version, &chosen, err);
    if (st == PH_OK)
        st = load_checked(store, name, chosen, 0, out, err);
    return st;
}

ph_status ph_registry_load_decided(ph_store *store, const char *name, int64_t version,
                                   ph_model **out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_registry_load_decided: out is NULL");
    ph_status st = check_args(store, name, version, "ph_registry_load_decided", err);
    if (st == PH_OK && version < 1)
        st = ph_error_set(err, PH_EINVAL, "version", NULL, "expected a version >= 1");
    if (st == PH_OK)
        st = load_checked(store, name, version, 1, out, err);
    return st;
}
