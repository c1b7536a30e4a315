/*
 * The model registry (registry.h): registering a model file's exact bytes
 * as a draft, the approval state machine with its append-only events, and
 * loading an approved model for decisions after re-checking its checksum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "governance/governance_internal.h"

/* ---- states ------------------------------------------------------------------ */

static const char *const STATE_NAMES[] = {"draft", "approved", "rejected", "retired"};

const char *ph_model_state_name(ph_model_state state)
{
    if ((unsigned)state >= sizeof(STATE_NAMES) / sizeof(STATE_NAMES[0]))
        return NULL;
    return STATE_NAMES[state];
}

ph_status ph_model_state_parse(const char *name, ph_model_state *out, ph_error *err)
{
    if (name == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_state_parse: NULL argument");
    for (size_t i = 0; i < sizeof(STATE_NAMES) / sizeof(STATE_NAMES[0]); i++) {
        if (strcmp(name, STATE_NAMES[i]) == 0) {
            *out = (ph_model_state)i;
            return PH_OK;
        }
    }
    return ph_error_set(err, PH_EINVAL, "state", name,
                        "expected draft, approved, rejected or retired");
}

/* ---- small helpers ------------------------------------------------------------- */

static ph_status abort_with(ph_store *store, ph_status st)
{
    (void)ph_store_rollback(store, NULL);
    return st;
}

/* A model name: 1-64 of letters, digits, '.', '_', '-', starting with a
 * letter or digit, so that "NAME@VERSION" and file names built from it are
 * unambiguous. */
static ph_status check_name(const char *name, ph_error *err)
{
    size_t len = strlen(name);
    int ok = len > 0 && len <= 64;
    for (size_t i = 0; ok && i < len; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        ok = alnum || (i > 0 && (c == '.' || c == '_' || c == '-'));
    }
    if (!ok)
        return ph_error_set(err, PH_EINVAL, "name", name,
                            "expected 1 to 64 letters, digits, '.', '_' or '-', starting with "
                            "a letter or digit");
    return PH_OK;
}

/* The last path component: the registry records where a model came from
 * without the registering machine's directories. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- registering ------------------------------------------------------------ */

static char *dump_json(const ph_ctx *ctx, json_t *value)
{
    /* reals with 15 digits, as the report's JSON */
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                               JSON_REAL_PRECISION(15))
                       : NULL;
    json_decref(value);
    char *copy = text ? ph_strdup(ctx, text) : NULL;
    free(text);
    return copy;
}

static char *features_json(const ph_ctx *ctx, const ph_model *model)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < ph_model_feature_count(model); i++)
        json_array_append_new(a, json_string(ph_model_feature_name(model, i)));
    return dump_json(ctx, a);
}

/* The training summary: the data's file and checksum (null when it is not a
 * readable file), rows, columns, and the bad rate when a target is named. */
static ph_status training_json(const ph_ctx *ctx, const ph_registry_spec *spec, char **out,
                               ph_error *err)
{
    const ph_dataset *ds = spec->training;
    size_t rows = ph_dataset_rows(ds);
    json_t *cols = json_array();
    for (size_t i = 0; cols && i < ph_dataset_columns(ds); i++)
        json_array_append_new(cols, json_string(ph_dataset_column_name(ds, i)));
    json_t *checksum = json_null();
    char *data = NULL;
    size_t len = 0;
    if (ph_read_file(ctx, ph_dataset_source(ds), "training data", &data, &len, NULL) == PH_OK) {
        char hex[PH_CHECKSUM_HEX];
        ph_checksum_hex(data, len, hex);
        json_decref(checksum);
        checksum = json_string(hex);
        ph_free(ctx, data);
    }
    json_t *bad_rate = json_null(), *target = json_null();
    if (spec->target != NULL) {
        uint8_t *bad = ph_calloc(ctx, rows ? rows : 1, 1);
        if (bad == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the target");
        ph_status st = ph_dataset_binary_target(ds, spec->target, spec->bad_label, bad, err);
        size_t bads = 0;
        for (size_t i = 0; st == PH_OK && i < rows; i++)
            bads += bad[i];
        ph_free(ctx, bad);
        if (st != PH_OK) {
            json_decref(cols);
            json_decref(checksum);
            return st;
        }
        bad_rate = rows ? json_real((double)bads / (double)rows) : json_null();
        target = json_string(spec->target);
    }
    json_t *doc = json_pack("{s:s, s:o, s:I, s:o, s:o, s:o}", "file",
                            base_name(ph_dataset_source(ds)), "checksum", checksum, "rows",
                            (json_int_t)rows, "target", target, "bad_rate", bad_rate, "columns",
                            cols);
    *out = dump_json(ctx, doc);
    return *out ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for JSON");
}

/* The metrics as given, checked to be one JSON object and stored compact. */
static ph_status metrics_text(const ph_ctx *ctx, const char *given, char **out, ph_error *err)
{
    json_error_t jerr;
    json_t *v = json_loads(given, 0, &jerr);
    if (v == NULL || !json_is_object(v)) {
        json_decref(v);
        return ph_error_set(err, PH_EINVAL, "metrics", given, "expected a JSON object%s%s",
                            v == NULL ? ": " : "", v == NULL ? jerr.text : "");
    }
    *out = dump_json(ctx, v);
    return *out ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for JSON");
}

/* The version to register: the one given (which must be free) or the next. */
static ph_status choose_version(ph_store *store, const char *name, int64_t given,
                                int64_t *version, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT coalesce(max(version), 0), "
                                    "sum(version = ?2) FROM model_registry WHERE name = ?1",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, given, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    int64_t latest = st == PH_OK ? ph_stmt_column_int64(stmt, 0) : 0;
    int taken = st == PH_OK && ph_stmt_column_int64(stmt, 1) > 0;
    ph_stmt_free(stmt);
    if (st != PH_OK)
        return st;
    if (given > 0 && taken) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)given);
        return ph_error_set(err, PH_EEXISTS, "version", value,
                            "model %s already has version %s (registered versions are never "
                            "replaced; the next free one is %lld)",
                            name, value, (long long)latest + 1);
    }
    if (given == 0 && latest == INT64_MAX)
        return ph_error_set(err, PH_ERANGE, "version", NULL, "model %s has no version left",
                            name);
    *version = given > 0 ? given : latest + 1;
    return PH_OK;
}

/* What register inserts, gathered before the transaction. */
typedef struct new_row {
    const char *name, *file, *kind;
    char *data;
    size_t len;
    char checksum[PH_CHECKSUM_HEX];
    char *features, *training, *metrics;
    char at[PH_UTC_MAX];
} new_row;

static ph_status bind_texts(ph_stmt *stmt, int first, const char *const *texts, int count,
                            ph_error *err)
{
    ph_status st = PH_OK;
    for (int i = 0; st == PH_OK && i < count; i++)
        st = texts[i] ? ph_stmt_bind_text(stmt, first + i, texts[i], -1, err)
                      : ph_stmt_bind_null(stmt, first + i, err);
    return st;
}

static ph_status insert_row(ph_store *store, const new_row *row, int64_t version,
                            ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        store,
        "INSERT INTO model_registry (name, version, kind, checksum, size, model, file, "
        "features, training, metrics, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &stmt, err);
    const char *head[] = {row->kind, row->checksum};
    const char *tail[] = {row->file, row->features, row->training, row->metrics, row->at};
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, row->name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, version, err);
    if (st == PH_OK)
        st = bind_texts(stmt, 3, head, 2, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 5, (int64_t)row->len, err);
    if (st == PH_OK)
        st = ph_stmt_bind_blob(stmt, 6, row->data, row->len, err);
    if (st == PH_OK)
        st = bind_texts(stmt, 7, tail, 5, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* Read, load (to validate, and for the kind and features), hash. */
static ph_status gather(const ph_ctx *ctx, const ph_registry_spec *spec, new_row *row,
                        ph_error *err)
{
    ph_status st = ph_read_file(ctx, spec->path, NULL, &row->data, &row->len, err);
    ph_model *model = NULL;
    if (st == PH_OK)
        st = ph_model_load_memory(ctx, row->data, row->len, spec->path, &model, err);
    if (st != PH_OK)
        return st;
    row->name = spec->name;
    row->file = base_name(spec->path);
    row->kind = ph_model_kind_name(ph_model_kind_of(model));
    ph_checksum_hex(row->data, row->len, row->checksum);
    row->features = features_json(ctx, model);
    ph_model_free(model);
    if (row->features == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for JSON");
    if (spec->training != NULL)
        st = training_json(ctx, spec, &row->training, err);
    if (st == PH_OK && spec->metrics_json != NULL)
        st = metrics_text(ctx, spec->metrics_json, &row->metrics, err);
    if (st == PH_OK)
        st = ph_ctx_utc_now(ctx, row->at, err);
    return st;
}

static ph_status check_spec(ph_store *store, const ph_registry_spec *spec, ph_error *err)
{
    if (store == NULL || spec == NULL || spec->path == NULL || spec->name == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_registry_register: store, spec, spec->path and spec->name "
                            "must not be NULL");
    if (spec->version < 0) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)spec->version);
        return ph_error_set(err, PH_EINVAL, "version", value,
                            "expected a version of 1 or more, or 0 for the next");
    }
    ph_status st = check_name(spec->name, err);
    if (st == PH_OK)
        st = ph_store_require_schema(store, GOV_REGISTRY_SCHEMA, "the model registry", err);
    return st;
}

ph_status ph_registry_register(ph_store *store, const ph_registry_spec *spec,
                               ph_registry_entry **out, ph_error *err)
{
    ph_status st = check_spec(store, spec, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    new_row row;
    memset(&row, 0, sizeof(row));
    st = gather(ctx, spec, &row, err);
    int64_t version = 0;
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st == PH_OK) {
        st = choose_version(store, spec->name, spec->version, &version, err);
        if (st == PH_OK)
            st = insert_row(store, &row, version, err);
        if (st == PH_OK)
            st = ph_store_commit(store, err);
        if (st != PH_OK)
            abort_with(store, st);
    }
    ph_free(ctx, row.data);
    ph_free(ctx, row.features);
    ph_free(ctx, row.training);
    ph_free(ctx, row.metrics);
    if (st == PH_OK && out != NULL)
        st = ph_registry_get(store, spec->name, version, out, err);
    return st;
}
