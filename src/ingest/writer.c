/*
 * Applying a batch to the database: one transaction per batch, holding its
 * rows, its quarantine entries and the file's progress, so a crash loses a
 * whole batch or nothing.
 *
 * New rows go in by a multi-row INSERT ... ON CONFLICT DO NOTHING (the fast
 * path: most rows of a first load are new, and one statement for many rows
 * saves most of the per-statement cost); only when some of them were not
 * inserted are their keys looked up, to tell "unchanged" (same row_hash)
 * from a correction. When a whole group conflicts (a re-ingest), the writer
 * switches to looking up first, and back when new keys dominate again.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "puhui/enterprise.h"
#include "puhui/schema.h"

#include "ingest/ingest_internal.h"

/* Rows per multi-row INSERT. */
#define GROUP 128

typedef enum write_mode { INSERT_FIRST, LOOKUP_FIRST } write_mode;

/* A table that registration or reference rows also keep up to date. */
typedef ph_status (*registry_fn)(struct ing_writer *w, const ing_batch *b, const ing_row *row,
                                 ph_error *err);

struct ing_writer {
    ph_store *store;
    const ph_feed *feed;
    int64_t file_id;
    const char *path;
    ph_date run_known_on;
    ing_limits limits;
    ph_stmt *insert_one, *insert_group, *lookup, *to_history, *update, *quarantine, *progress,
        *heartbeat, *registry;
    registry_fn registry_apply;
    int key[8];
    size_t nkey;
    int is_key[64];
    write_mode mode;
    ph_date cached_date;
    char cached_text[PH_DATE_FORMAT_MAX];
};

/* --- SQL text ---------------------------------------------------------------------- */

static void sql_column(ing_text *t, const ph_feed_column *col, ph_status *st, ph_error *err)
{
    char name[96];
    if (*st == PH_OK)
        *st = ph_schema_feed_column(col, name, sizeof(name), err);
    ing_text_add(t, name, st, err);
}

static void sql_columns(ing_text *t, const ph_feed *feed, ph_status *st, ph_error *err)
{
    for (size_t i = 0; i < feed->column_count; i++) {
        if (i > 0)
            ing_text_add(t, ", ", st, err);
        sql_column(t, &feed->columns[i], st, err);
    }
    ing_text_add(t, ", known_on, file_id, line, row_hash", st, err);
}

static void sql_tuple(ing_text *t, size_t n, ph_status *st, ph_error *err)
{
    ing_text_add(t, "(", st, err);
    for (size_t i = 0; i < n; i++)
        ing_text_add(t, i ? ", ?" : "?", st, err);
    ing_text_add(t, ")", st, err);
}

static void sql_key_match(ing_writer *w, ing_text *t, ph_status *st, ph_error *err)
{
    ing_text_add(t, " WHERE ", st, err);
    for (size_t k = 0; k < w->nkey; k++) {
        if (k > 0)
            ing_text_add(t, " AND ", st, err);
        sql_column(t, &w->feed->columns[w->key[k]], st, err);
        ing_text_add(t, " = ?", st, err);
    }
}

static ph_status prepare(ing_writer *w, ing_text *t, ph_stmt **out, ph_status st, ph_error *err)
{
    if (st == PH_OK)
        st = ph_store_prepare(w->store, t->data, out, err);
    t->len = 0;
    return st;
}

static ph_status prepare_inserts(ing_writer *w, const char *table, ing_text *t, ph_error *err)
{
    size_t n = w->feed->column_count + 4;
    ph_status st = PH_OK;
    for (int many = 0; many <= 1; many++) {
        ing_text_add(t, "INSERT INTO ", &st, err);
        ing_text_add(t, table, &st, err);
        ing_text_add(t, " (", &st, err);
        sql_columns(t, w->feed, &st, err);
        ing_text_add(t, ") VALUES ", &st, err);
        for (int r = 0; r < (many ? GROUP : 1); r++) {
            if (r > 0)
                ing_text_add(t, ", ", &st, err);
            sql_tuple(t, n, &st, err);
        }
        ing_text_add(t, " ON CONFLICT DO NOTHING", &st, err);
        st = prepare(w, t, many ? &w->insert_group : &w->insert_one, st, err);
    }
    return st;
}

static ph_status prepare_lookups(ing_writer *w, const char *table, const char *history,
                                 ing_text *t, ph_error *err)
{
    ph_status st = PH_OK;
    ing_text_add(t, "SELECT row_hash, file_id, line FROM ", &st, err);
    ing_text_add(t, table, &st, err);
    sql_key_match(w, t, &st, err);
    st = prepare(w, t, &w->lookup, st, err);

    ing_text_add(t, "INSERT INTO ", &st, err);
    ing_text_add(t, history, &st, err);
    ing_text_add(t, " (", &st, err);
    sql_columns(t, w->feed, &st, err);
    ing_text_add(t, ", superseded_on, superseded_by) SELECT ", &st, err);
    sql_columns(t, w->feed, &st, err);
    ing_text_add(t, ", ?, ? FROM ", &st, err);
    ing_text_add(t, table, &st, err);
    sql_key_match(w, t, &st, err);
    st = prepare(w, t, &w->to_history, st, err);

    /* every column is set (keys to themselves), then the key to match */
    ing_text_add(t, "UPDATE ", &st, err);
    ing_text_add(t, table, &st, err);
    ing_text_add(t, " SET ", &st, err);
    for (size_t i = 0; i < w->feed->column_count; i++) {
        sql_column(t, &w->feed->columns[i], &st, err);
        ing_text_add(t, " = ?, ", &st, err);
    }
    ing_text_add(t, "known_on = ?, file_id = ?, line = ?, row_hash = ?", &st, err);
    sql_key_match(w, t, &st, err);
    return prepare(w, t, &w->update, st, err);
}

/* --- the registries: enterprise and institution ------------------------------------ */

static const ing_value *column_value(const ing_writer *w, const ing_batch *b, const ing_row *row,
                                     const char *name)
{
    return &b->values[row->first + (size_t)ph_feed_column_index(w->feed, name)];
}

static ph_status bind_value(ph_stmt *s, int index, const ing_batch *b, const ing_value *v,
                            ph_error *err)
{
    switch ((ing_kind)v->kind) {
    case ING_INT: return ph_stmt_bind_int64(s, index, v->u.i, err);
    case ING_REAL: return ph_stmt_bind_double(s, index, v->u.d, err);
    case ING_TEXT: /* the batch outlives the step: no copy */
        return ph_stmt_bind_text_static(s, index, b->text + v->u.off, (long)v->len, err);
    case ING_NULL: break;
    }
    return ph_stmt_bind_null(s, index, err);
}

static ph_status step_done(ph_stmt *s, ph_error *err)
{
    ph_status st = ph_stmt_step(s, err);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status registry_enterprise(ing_writer *w, const ing_batch *b, const ing_row *row,
                                     ph_error *err)
{
    static const char *const direct[] = {"uscc", "name", "region_code"};
    ph_stmt *s = w->registry;
    ph_status st = PH_OK;
    for (int i = 0; i < 3 && st == PH_OK; i++)
        st = bind_value(s, i + 1, b, column_value(w, b, row, direct[i]), err);
    const ing_value *industry = column_value(w, b, row, "industry_code");
    const char *code = b->text + industry->u.off; /* checked: letter and 2 digits */
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, code, 1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 5, (code[1] - '0') * 10 + (code[2] - '0'), err);
    static const char *const rest[] = {"size_class", "registered_on", "status"};
    for (int i = 0; i < 3 && st == PH_OK; i++)
        st = bind_value(s, i + 6, b, column_value(w, b, row, rest[i]), err);
    return st == PH_OK ? step_done(s, err) : st;
}

/* The institution kind of each lender type (reference/lenders.csv). */
static const struct {
    const char *type;
    const char *kind;
} lender_kinds[] = {
    {"state_bank", "state_bank"},
    {"joint_stock_bank", "commercial_bank"},
    {"city_commercial_bank", "commercial_bank"},
    {"rural_commercial_bank", "rural_bank"},
    {"village_bank", "village_bank"},
    {"micro_lender", "micro_lender"},
    {"digital_bank", "digital_bank"},
};

/* The reference feeds that are institutions: their id column and kind
 * (NULL: from the lender type). */
static const struct {
    const char *feed;
    const char *id_column;
    const char *kind;
} institution_feeds[] = {
    {"lenders", "lender_id", NULL},
    {"guarantors", "guarantor_id", "guarantor"},
    {"core_enterprises", "uscc", "core_enterprise"},
};

static ph_status registry_institution(ing_writer *w, const ing_batch *b, const ing_row *row,
                                      ph_error *err)
{
    const char *id_column = NULL, *kind = NULL;
    for (size_t i = 0; i < sizeof(institution_feeds) / sizeof(institution_feeds[0]); i++)
        if (strcmp(institution_feeds[i].feed, w->feed->name) == 0) {
            id_column = institution_feeds[i].id_column;
            kind = institution_feeds[i].kind;
        }
    if (kind == NULL) {
        const ing_value *type = column_value(w, b, row, "type");
        for (size_t i = 0; i < sizeof(lender_kinds) / sizeof(lender_kinds[0]); i++)
            if (strlen(lender_kinds[i].type) == type->len &&
                memcmp(lender_kinds[i].type, b->text + type->u.off, type->len) == 0)
                kind = lender_kinds[i].kind;
    }
    if (kind == NULL)
        return ph_error_set(err, PH_EINVAL, "type", NULL, "no institution kind for this lender type");
    ph_stmt *s = w->registry;
    ph_status st = bind_value(s, 1, b, column_value(w, b, row, id_column), err);
    if (st == PH_OK)
        st = bind_value(s, 2, b, column_value(w, b, row, "name"), err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, kind, -1, err);
    return st == PH_OK ? step_done(s, err) : st;
}

static ph_status prepare_registry(ing_writer *w, ph_error *err)
{
    if (strcmp(w->feed->name, "registration") == 0) {
        w->registry_apply = registry_enterprise;
        return ph_enterprise_upsert_prepare(w->store, &w->registry, err);
    }
    for (size_t i = 0; i < sizeof(institution_feeds) / sizeof(institution_feeds[0]); i++)
        if (strcmp(institution_feeds[i].feed, w->feed->name) == 0) {
            w->registry_apply = registry_institution;
            return ph_institution_upsert_prepare(w->store, &w->registry, err);
        }
    return PH_OK;
}

/* --- set up ------------------------------------------------------------------------- */

void ing_writer_free(ing_writer *w)
{
    if (w == NULL)
        return;
    ph_stmt_free(w->insert_one);
    ph_stmt_free(w->insert_group);
    ph_stmt_free(w->lookup);
    ph_stmt_free(w->to_history);
    ph_stmt_free(w->update);
    ph_stmt_free(w->quarantine);
    ph_stmt_free(w->progress);
    ph_stmt_free(w->heartbeat);
    ph_stmt_free(w->registry);
    ph_free(ph_store_ctx(w->store), w);
}

ph_status ing_writer_new(ph_store *store, const ph_feed *feed, int64_t file_id, const char *path,
                         ph_date run_known_on, const ing_limits *limits, ing_writer **out,
                         ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ing_writer *w = ph_calloc(ctx, 1, sizeof(*w));
    if (w == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    w->store = store;
    w->feed = feed;
    w->file_id = file_id;
    w->path = path;
    w->run_known_on = run_known_on;
    w->limits = *limits;
    w->cached_date = PH_DATE_MIN;
    const char *p = feed->key;
    while (*p != '\0' && w->nkey < 8) {
        size_t n = strcspn(p, ",");
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)(n < 63 ? n : 63), p);
        w->key[w->nkey] = ph_feed_column_index(feed, name);
        if (w->key[w->nkey] >= 0 && w->key[w->nkey] < 64)
            w->is_key[w->key[w->nkey]] = 1;
        w->nkey++;
        p += n + (p[n] == ',');
    }
    char table[96], history[96];
    ing_text t = {ctx, NULL, 0, 0};
    ph_status st = ph_schema_feed_table(feed, 0, table, sizeof(table), err);
    if (st == PH_OK)
        st = ph_schema_feed_table(feed, 1, history, sizeof(history), err);
    if (st == PH_OK)
        st = prepare_inserts(w, table, &t, err);
    if (st == PH_OK)
        st = prepare_lookups(w, table, history, &t, err);
    ing_text_free(&t);
    /* A line already quarantined for the same reason and content is not
     * added again: re-ingesting a file must not grow the quarantine. */
    if (st == PH_OK)
        st = ph_store_prepare(
            store,
            "INSERT INTO quarantine (file_id, feed, path, line, field, value, reason, detail, raw, "
            "field_number) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE NOT EXISTS (SELECT 1 FROM quarantine "
            "WHERE path = ?3 AND line = ?4 AND reason = ?7 AND field IS ?5 AND value IS ?6 AND "
            "raw IS ?9)",
            &w->quarantine, err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "UPDATE ingest_file SET rows_read = ?, accepted = ?, unchanged = ?, "
                              "superseded = ?, rejected = ? WHERE id = ?",
                              &w->progress, err);
    /* The lease's heartbeat (lease.c), for every file this run still holds:
     * the files waiting behind this one are alive too. */
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "UPDATE ingest_file SET lease_heartbeat = ?1 WHERE state = 'running' "
                              "AND run_id = (SELECT run_id FROM ingest_file WHERE id = ?2)",
                              &w->heartbeat, err);
    if (st == PH_OK)
        st = prepare_registry(w, err);
    if (st != PH_OK) {
        ing_writer_free(w);
        return st;
    }
    *out = w;
    return PH_OK;
}

/* --- rows ---------------------------------------------------------------------------- */

/* 'YYYY-MM-DD' of a known_on date, remembered for the next row (rows of
 * one date often follow each other); digits written directly, because a
 * printf per row shows in the profile. */
static const char *date_text(ing_writer *w, ph_date d)
{
    if (d == w->cached_date)
        return w->cached_text;
    int y, m, day;
    char *t = w->cached_text;
    if (ph_date_to_ymd(d, &y, &m, &day, NULL) != PH_OK || y < 0 || y > 9999) {
        t[0] = '\0';
    } else {
        const int parts[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -1, m / 10, m % 10,
                             -1, day / 10, day % 10};
        for (int i = 0; i < 10; i++)
            t[i] = parts[i] < 0 ? '-' : (char)('0' + parts[i]);
        t[10] = '\0';
    }
    w->cached_date = d;
    return t;
}

static ph_date known_on(const ing_writer *w, const ing_row *row, int correction)
{
    if (!row->has_time)
        return w->run_known_on;
    if (correction && row->known_on < w->run_known_on)
        return w->run_known_on; /* a correction is known when it arrives */
    return row->known_on;
}

/* Bind the row's columns and provenance from parameter `base` + 1 on. */
static ph_status bind_row(ing_writer *w, ph_stmt *s, int base, const ing_batch *b,
                          const ing_row *row, ph_date known, ph_error *err)
{
    size_t n = w->feed->column_count;
    const ing_value *v = &b->values[row->first];
    ph_status st = PH_OK;
    for (size_t i = 0; i < n && st == PH_OK; i++)
        st = bind_value(s, base + (int)i + 1, b, &v[i], err);
    int p = base + (int)n;
    /* copied: date_text's buffer is rewritten by the next row of a group */
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, p + 1, date_text(w, known), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, p + 2, w->file_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, p + 3, (int64_t)row->line, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, p + 4, row->hash, err);
    return st;
}

static ph_status bind_key(ing_writer *w, ph_stmt *s, int base, const ing_batch *b,
                          const ing_row *row, ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t k = 0; k < w->nkey && st == PH_OK; k++)
        st = bind_value(s, base + (int)k + 1, b, &b->values[row->first + (size_t)w->key[k]], err);
    return st;
}

static ph_status registry(ing_writer *w, const ing_batch *b, const ing_row *row, ph_error *err)
{
    return w->registry_apply ? w->registry_apply(w, b, row, err) : PH_OK;
}

/* The key exists: unchanged, or a correction that supersedes the stored version. */
static ph_status supersede(ing_writer *w, const ing_batch *b, const ing_row *row,
                           ph_ingest_counts *counts, ph_error *err)
{
    ph_date known = known_on(w, row, 1);
    ph_status st = ph_stmt_bind_text(w->to_history, 1, date_text(w, known), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(w->to_history, 2, w->file_id, err);
    if (st == PH_OK)
        st = bind_key(w, w->to_history, 2, b, row, err);
    if (st == PH_OK)
        st = step_done(w->to_history, err);
    if (st == PH_OK)
        st = bind_row(w, w->update, 0, b, row, known, err);
    if (st == PH_OK)
        st = bind_key(w, w->update, (int)w->feed->column_count + 4, b, row, err);
    if (st == PH_OK)
        st = step_done(w->update, err);
    if (st == PH_OK)
        st = registry(w, b, row, err);
    if (st == PH_OK)
        counts->superseded++;
    return st;
}

/* Look the key up: *found 0 when absent; otherwise the row is resolved
 * (inserted by this file just now, unchanged, or superseded). */
static ph_status resolve(ing_writer *w, const ing_batch *b, const ing_row *row, int *found,
                         ph_ingest_counts *counts, ph_error *err)
{
    ph_status st = bind_key(w, w->lookup, 0, b, row, err);
    if (st == PH_OK)
        st = ph_stmt_step(w->lookup, err);
    if (st == PH_DONE) {
        *found = 0;
        return PH_OK;
    }
    if (st != PH_OK)
        return st;
    *found = 1;
    int64_t hash = ph_stmt_column_int64(w->lookup, 0);
    int64_t file_id = ph_stmt_column_int64(w->lookup, 1);
    int64_t line = ph_stmt_column_int64(w->lookup, 2);
    st = ph_stmt_reset(w->lookup, err);
    if (st != PH_OK)
        return st;
    if (file_id == w->file_id && line == (int64_t)row->line) {
        counts->accepted++; /* the group insert just wrote it */
        return registry(w, b, row, err);
    }
    if (hash == row->hash) {
        counts->unchanged++;
        return PH_OK;
    }
    return supersede(w, b, row, counts, err);
}

static ph_status insert_one(ing_writer *w, const ing_batch *b, const ing_row *row,
                            ph_ingest_counts *counts, ph_error *err)
{
    ph_status st = bind_row(w, w->insert_one, 0, b, row, known_on(w, row, 0), err);
    if (st == PH_OK)
        st = step_done(w->insert_one, err);
    if (st != PH_OK)
        return st;
    if (ph_store_changes(w->store) == 1) {
        counts->accepted++;
        return registry(w, b, row, err);
    }
    int found = 0;
    st = resolve(w, b, row, &found, counts, err);
    if (st == PH_OK && !found)
        st = ph_error_set(err, PH_ESTORE, NULL, NULL,
                          "a row of %s was neither inserted nor found by its key", w->feed->name);
    return st;
}

/* GROUP rows from rows[0] by one statement. */
static ph_status insert_group(ing_writer *w, const ing_batch *b, const ing_row *rows,
                              ph_ingest_counts *counts, ph_error *err)
{
    int per_row = (int)w->feed->column_count + 4;
    ph_status st = PH_OK;
    for (int r = 0; r < GROUP && st == PH_OK; r++)
        st = bind_row(w, w->insert_group, r * per_row, b, &rows[r], known_on(w, &rows[r], 0), err);
    if (st == PH_OK)
        st = step_done(w->insert_group, err);
    if (st != PH_OK)
        return st;
    int64_t inserted = ph_store_changes(w->store);
    if (inserted == GROUP) {
        counts->accepted += GROUP;
        for (int r = 0; r < GROUP && st == PH_OK && w->registry_apply; r++)
            st = registry(w, b, &rows[r], err);
        return st;
    }
    if (inserted == 0)
        w->mode = LOOKUP_FIRST; /* a re-ingest: look up before inserting */
    for (int r = 0; r < GROUP && st == PH_OK; r++) {
        int found = 0;
        st = resolve(w, b, &rows[r], &found, counts, err);
        if (st == PH_OK && !found)
            st = ph_error_set(err, PH_ESTORE, NULL, NULL,
                              "a row of %s was neither inserted nor found by its key",
                              w->feed->name);
    }
    return st;
}

/* GROUP rows (or the rest) looked up first; back to inserting first when
 * most of them are new. */
static ph_status lookup_group(ing_writer *w, const ing_batch *b, const ing_row *rows, size_t n,
                              ph_ingest_counts *counts, ph_error *err)
{
    size_t absent = 0;
    ph_status st = PH_OK;
    for (size_t r = 0; r < n && st == PH_OK; r++) {
        int found = 0;
        st = resolve(w, b, &rows[r], &found, counts, err);
        if (st == PH_OK && !found) {
            absent++;
            st = insert_one(w, b, &rows[r], counts, err);
        }
    }
    if (absent * 2 > n)
        w->mode = INSERT_FIRST;
    return st;
}

static ph_status write_rows(ing_writer *w, const ing_batch *b, ph_ingest_counts *counts,
                            ph_error *err)
{
    size_t i = 0;
    ph_status st = PH_OK;
    while (i < b->row_count && st == PH_OK) {
        size_t left = b->row_count - i;
        size_t n = left < GROUP ? left : GROUP;
        if (w->mode == LOOKUP_FIRST) {
            st = lookup_group(w, b, &b->rows[i], n, counts, err);
        } else if (n == GROUP) {
            st = insert_group(w, b, &b->rows[i], counts, err);
        } else {
            for (size_t r = 0; r < n && st == PH_OK; r++)
                st = insert_one(w, b, &b->rows[i + r], counts, err);
        }
        i += n;
    }
    return st;
}

static ph_status bind_opt_text(ph_stmt *s, int index, const ing_batch *b, size_t off,
                               ph_error *err)
{
    if (off == ING_NO_TEXT)
        return ph_stmt_bind_null(s, index, err);
    return ph_stmt_bind_text(s, index, b->text + off, -1, err);
}

static ph_status write_rejects(ing_writer *w, const ing_batch *b, ph_ingest_counts *counts,
                               ph_error *err)
{
    ph_stmt *s = w->quarantine;
    ph_status st = PH_OK;
    for (size_t i = 0; i < b->reject_count && st == PH_OK; i++) {
        const ing_reject *r = &b->rejects[i];
        st = ph_stmt_bind_int64(s, 1, w->file_id, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 2, w->feed->name, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 3, w->path, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 4, (int64_t)r->line, err);
        if (st == PH_OK)
            st = bind_opt_text(s, 5, b, r->field, err);
        if (st == PH_OK)
            st = bind_opt_text(s, 6, b, r->value, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 7, ph_reject_reason_name(r->reason), -1, err);
        if (st == PH_OK)
            st = bind_opt_text(s, 8, b, r->detail, err);
        if (st == PH_OK)
            st = bind_opt_text(s, 9, b, r->raw, err);
        if (st == PH_OK)
            st = r->field_number > 0 ? ph_stmt_bind_int64(s, 10, r->field_number, err)
                                     : ph_stmt_bind_null(s, 10, err);
        if (st == PH_OK)
            st = step_done(s, err);
        if (st == PH_OK)
            counts->rejected++;
    }
    return st;
}

static ph_status write_progress(ing_writer *w, const ph_ingest_counts *c, ph_error *err)
{
    const uint64_t values[] = {c->rows, c->accepted, c->unchanged, c->superseded, c->rejected};
    ph_status st = PH_OK;
    for (int i = 0; i < 5 && st == PH_OK; i++)
        st = ph_stmt_bind_int64(w->progress, i + 1, (int64_t)values[i], err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(w->progress, 6, w->file_id, err);
    if (st == PH_OK)
        st = step_done(w->progress, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(w->heartbeat, 1, (int64_t)time(NULL), err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(w->heartbeat, 2, w->file_id, err);
    return st == PH_OK ? step_done(w->heartbeat, err) : st;
}

ph_status ing_writer_apply(ing_writer *w, const ing_batch *b, ph_ingest_counts *counts,
                           int *refused, ph_error *err)
{
    ph_ingest_counts next = *counts;
    next.rows += b->records;
    /* Each record the reader reports is one row or one quarantine entry,
     * never more: a file cannot add more entries than it has records. */
    if (b->reject_count > b->records)
        return ph_error_set(err, PH_ESTORE, NULL, NULL,
                            "%s: a batch of %llu records carries %zu quarantine entries", w->path,
                            (unsigned long long)b->records, b->reject_count);
    /* Past a limit the batch is not written at all (the caller takes back
     * the file's earlier batches). */
    next.rejected += b->reject_count;
    ph_status st = ing_limits_check(&w->limits, w->path, &next, b->last, err);
    next.rejected -= b->reject_count;
    if (st != PH_OK) {
        *refused = 1;
        return st;
    }
    st = ph_store_begin(w->store, err);
    if (st == PH_OK)
        st = write_rejects(w, b, &next, err);
    if (st == PH_OK)
        st = write_rows(w, b, &next, err);
    if (st == PH_OK)
        st = write_progress(w, &next, err);
    if (st == PH_OK)
        st = ph_store_commit(w->store, err);
    if (st != PH_OK) {
        ph_store_rollback(w->store, NULL);
        return st;
    }
    *counts = next;
    return PH_OK;
}
