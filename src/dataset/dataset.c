/*
 * The column table for modelling (see include/puhui/dataset.h).
 *
 * A CSV is read once (dataset_read.c): every column whose kind is not forced
 * starts numeric and turns categorical at its first value that is neither a
 * number nor a missing token. Numbers are read by core/float_parse.h (the
 * same bits as strtod, without its cost on ordinary data).
 */
#include "puhui/dataset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/csv.h"

#include "dataset/dataset_internal.h"

static uint64_t hash_text(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static ph_status index_grow(const ph_ctx *ctx, ds_column *c, ph_error *err)
{
    size_t cap = c->index.capacity ? c->index.capacity * 2 : 64;
    uint32_t *slots = ph_calloc(ctx, cap, sizeof(*slots));
    if (!slots)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for column levels");
    for (size_t code = 0; code < c->n_levels; code++) {
        const char *t = c->levels[code];
        size_t at = (size_t)hash_text(t, strlen(t)) & (cap - 1);
        while (slots[at])
            at = (at + 1) & (cap - 1);
        slots[at] = (uint32_t)code + 1;
    }
    ph_free(ctx, c->index.slots);
    c->index.slots = slots;
    c->index.capacity = cap;
    return PH_OK;
}

/* The code of text `s` in column `c`, adding it as a new level if unseen. */
ph_status dataset_level_code(const ph_ctx *ctx, ds_column *c, const char *s, size_t len,
                            uint32_t *code, ph_error *err)
{
    if ((c->n_levels + 1) * 2 > c->index.capacity && index_grow(ctx, c, err) != PH_OK)
        return PH_ENOMEM;
    size_t mask = c->index.capacity - 1;
    size_t at = (size_t)hash_text(s, len) & mask;
    while (c->index.slots[at]) {
        const char *t = c->levels[c->index.slots[at] - 1];
        if (strlen(t) == len && memcmp(t, s, len) == 0) {
            *code = c->index.slots[at] - 1;
            return PH_OK;
        }
        at = (at + 1) & mask;
    }
    if (c->n_levels >= UINT32_MAX - 1)
        return ph_error_set(err, PH_ERANGE, c->name, NULL, "too many distinct values");
    if (c->n_levels == c->cap_levels) {
        size_t cap = c->cap_levels ? c->cap_levels * 2 : 16;
        char **levels = ph_realloc(ctx, c->levels, cap * sizeof(*levels));
        if (!levels)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for column levels");
        c->levels = levels;
        c->cap_levels = cap;
    }
    char *copy = ph_malloc(ctx, len + 1);
    if (!copy)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for column levels");
    memcpy(copy, s, len);
    copy[len] = '\0';
    c->levels[c->n_levels] = copy;
    c->index.slots[at] = (uint32_t)c->n_levels + 1;
    *code = (uint32_t)c->n_levels++;
    return PH_OK;
}

void dataset_column_clear(const ph_ctx *ctx, ds_column *c)
{
    ph_free(ctx, c->name);
    ph_free(ctx, c->values);
    ph_free(ctx, c->codes);
    for (size_t i = 0; i < c->n_levels; i++)
        ph_free(ctx, c->levels[i]);
    ph_free(ctx, c->levels);
    ph_free(ctx, c->index.slots);
}

void ph_dataset_free(ph_dataset *ds)
{
    if (!ds)
        return;
    const ph_ctx *ctx = ds->ctx;
    for (size_t i = 0; i < ds->n_cols; i++)
        dataset_column_clear(ctx, &ds->cols[i]);
    ph_free(ctx, ds->cols);
    ph_free(ctx, ds->lines);
    ph_free(ctx, ds->source);
    ph_free(ctx, ds);
}

ph_status dataset_alloc(const ph_ctx *ctx, const char *source, size_t rows,
                               ph_dataset **out, ph_error *err)
{
    ph_dataset *ds = ph_calloc(ctx, 1, sizeof(*ds));
    if (!ds || !(ds->source = ph_strdup(ctx, source))) {
        ph_free(ctx, ds);
        *out = NULL; /* set on every path: callers need not trust the status alone */
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a dataset");
    }
    ds->ctx = ctx;
    ds->rows = rows;
    *out = ds;
    return PH_OK;
}

ph_status ph_dataset_new(const ph_ctx *ctx, size_t rows, ph_dataset **out, ph_error *err)
{
    if (!ctx || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dataset_new needs ctx and out");
    return dataset_alloc(ctx, "<memory>", rows, out, err);
}

/* Append an empty column named `name` of `kind`, with its arrays allocated. */
ph_status dataset_add_column(ph_dataset *ds, const char *name, ph_column_kind kind,
                            ds_column **out, ph_error *err)
{
    if (ph_dataset_column_index(ds, name) >= 0)
        return ph_error_set(err, PH_EEXISTS, "column", name, "a column of this name exists");
    ds_column *cols = ph_realloc(ds->ctx, ds->cols, (ds->n_cols + 1) * sizeof(*cols));
    if (!cols)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a column");
    ds->cols = cols;
    ds_column *c = &cols[ds->n_cols];
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    size_t n = ds->rows ? ds->rows : 1;
    c->name = ph_strdup(ds->ctx, name);
    if (kind == PH_COLUMN_NUMERIC)
        c->values = ph_malloc(ds->ctx, n * sizeof(double));
    else
        c->codes = ph_malloc(ds->ctx, n * sizeof(uint32_t));
    if (!c->name || (!c->values && !c->codes)) {
        dataset_column_clear(ds->ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a column");
    }
    ds->n_cols++;
    *out = c;
    return PH_OK;
}

ph_status ph_dataset_add_numeric(ph_dataset *ds, const char *name, const double *values,
                                 ph_error *err)
{
    if (!ds || !name || (!values && ds->rows))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dataset_add_numeric: NULL argument");
    ds_column *c;
    ph_status st = dataset_add_column(ds, name, PH_COLUMN_NUMERIC, &c, err);
    if (st == PH_OK && ds->rows)
        memcpy(c->values, values, ds->rows * sizeof(double));
    return st;
}

ph_status ph_dataset_add_categorical(ph_dataset *ds, const char *name,
                                     const char *const *values, ph_error *err)
{
    if (!ds || !name || (!values && ds->rows))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_dataset_add_categorical: NULL argument");
    ds_column *c;
    ph_status st = dataset_add_column(ds, name, PH_COLUMN_CATEGORICAL, &c, err);
    for (size_t r = 0; st == PH_OK && r < ds->rows; r++) {
        if (!values[r])
            c->codes[r] = PH_DATASET_MISSING;
        else
            st = dataset_level_code(ds->ctx, c, values[r], strlen(values[r]), &c->codes[r], err);
    }
    if (st != PH_OK && c && ph_dataset_column_index(ds, name) >= 0) {
        dataset_column_clear(ds->ctx, &ds->cols[--ds->n_cols]);
    }
    return st;
}

/* ---- access ----------------------------------------------------------- */

const ph_ctx *ph_dataset_ctx(const ph_dataset *ds) { return ds ? ds->ctx : NULL; }
size_t ph_dataset_rows(const ph_dataset *ds) { return ds ? ds->rows : 0; }
size_t ph_dataset_columns(const ph_dataset *ds) { return ds ? ds->n_cols : 0; }
const char *ph_dataset_source(const ph_dataset *ds) { return ds ? ds->source : NULL; }

const char *ph_dataset_column_name(const ph_dataset *ds, size_t column)
{
    return ds && column < ds->n_cols ? ds->cols[column].name : NULL;
}

int ph_dataset_column_index(const ph_dataset *ds, const char *name)
{
    for (size_t i = 0; ds && name && i < ds->n_cols; i++) {
        if (strcmp(ds->cols[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

ph_column_kind ph_dataset_column_kind(const ph_dataset *ds, size_t column)
{
    return ds && column < ds->n_cols ? ds->cols[column].kind : PH_COLUMN_NUMERIC;
}

uint64_t ph_dataset_row_line(const ph_dataset *ds, size_t row)
{
    if (!ds)
        return 0;
    return ds->lines && row < ds->rows ? ds->lines[row] : (uint64_t)row + 1;
}

const double *ph_dataset_numeric(const ph_dataset *ds, size_t column)
{
    return ds && column < ds->n_cols ? ds->cols[column].values : NULL;
}

const uint32_t *ph_dataset_codes(const ph_dataset *ds, size_t column)
{
    return ds && column < ds->n_cols ? ds->cols[column].codes : NULL;
}

size_t ph_dataset_level_count(const ph_dataset *ds, size_t column)
{
    return ds && column < ds->n_cols ? ds->cols[column].n_levels : 0;
}

const char *ph_dataset_level(const ph_dataset *ds, size_t column, uint32_t code)
{
    if (!ds || column >= ds->n_cols || code >= ds->cols[column].n_levels)
        return NULL;
    return ds->cols[column].levels[code];
}

ph_status ph_dataset_cell_text(const ph_dataset *ds, size_t column, size_t row, char *buf,
                               size_t size, ph_error *err)
{
    if (!ds || !buf || column >= ds->n_cols || row >= ds->rows)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dataset_cell_text: bad argument");
    const ds_column *c = &ds->cols[column];
    char tmp[64];
    const char *text = "";
    if (c->kind == PH_COLUMN_NUMERIC) {
        double v = c->values[row];
        if (!isnan(v)) {
            /* The shortest of %.15g/%.17g that reads back as the same double. */
            snprintf(tmp, sizeof(tmp), "%.15g", v);
            if (strtod(tmp, NULL) != v)
                snprintf(tmp, sizeof(tmp), "%.17g", v);
            text = tmp;
        }
    } else if (c->codes[row] != PH_DATASET_MISSING) {
        text = c->levels[c->codes[row]];
    }
    if (strlen(text) >= size)
        return ph_error_set(err, PH_EMISUSE, c->name, NULL, "buffer too small for the value");
    strcpy(buf, text);
    return PH_OK;
}

/* ---- targets ---------------------------------------------------------- */

static const char *const bad_words[] = {"1", "bad", "yes", "true", "default"};
static const char *const good_words[] = {"0", "good", "no", "false"};

static int word_in(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, words[i]) == 0)
            return 1;
    }
    return 0;
}

static ph_status target_error(const ph_dataset *ds, const char *name, size_t row,
                              const char *value, const char *expected, ph_error *err)
{
    ph_error_set(err, PH_EINVAL, name, value, "expected %s", expected);
    ph_error_locate(err, ds->source, ph_dataset_row_line(ds, row), 0);
    return PH_EINVAL;
}

ph_status ph_dataset_binary_target(const ph_dataset *ds, const char *name,
                                   const char *bad_label, uint8_t *out, ph_error *err)
{
    if (!ds || !name || (!out && ds->rows))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_dataset_binary_target: NULL argument");
    int col = ph_dataset_column_index(ds, name);
    if (col < 0)
        return ph_error_set(err, PH_ENOTFOUND, "target", name,
                            "expected a column of %s, which has no column of this name",
                            ds->source);
    const ds_column *c = &ds->cols[col];
    char num[64];
    for (size_t r = 0; r < ds->rows; r++) {
        if (c->kind == PH_COLUMN_NUMERIC) {
            double v = c->values[r];
            if (v == 0.0 || v == 1.0) {
                out[r] = (uint8_t)v;
                continue;
            }
            if (isnan(v))
                return target_error(ds, name, r, "", "a target of 1 (bad) or 0 (good)", err);
            snprintf(num, sizeof(num), "%.17g", v);
            return target_error(ds, name, r, num, "a target of 1 (bad) or 0 (good)", err);
        }
        if (c->codes[r] == PH_DATASET_MISSING)
            return target_error(ds, name, r, "", "a target value, not a missing one", err);
        const char *s = c->levels[c->codes[r]];
        if (bad_label) {
            out[r] = strcmp(s, bad_label) == 0;
            /* With a bad label, the column must have exactly two levels. */
            if (c->n_levels > 2)
                return target_error(ds, name, r, s,
                                    "two values in the target column (bad and good)", err);
        } else if (word_in(s, bad_words, sizeof(bad_words) / sizeof(bad_words[0]))) {
            out[r] = 1;
        } else if (word_in(s, good_words, sizeof(good_words) / sizeof(good_words[0]))) {
            out[r] = 0;
        } else {
            return target_error(ds, name, r, s,
                                "1/bad/yes/true/default for bad or 0/good/no/false for good "
                                "(or name the bad value)",
                                err);
        }
    }
    return PH_OK;
}

/* ---- subsets ---------------------------------------------------------- */

/* Copy column `src` into `dst` keeping only `rows`; the levels are copied
 * whole so codes mean the same in both datasets. */
static ph_status copy_column_rows(const ph_ctx *ctx, const ds_column *src, const size_t *rows,
                                  size_t n, ds_column *dst, ph_error *err)
{
    size_t alloc = n ? n : 1;
    dst->kind = src->kind;
    dst->name = ph_strdup(ctx, src->name);
    if (src->kind == PH_COLUMN_NUMERIC)
        dst->values = ph_malloc(ctx, alloc * sizeof(double));
    else
        dst->codes = ph_malloc(ctx, alloc * sizeof(uint32_t));
    if (src->n_levels)
        dst->levels = ph_calloc(ctx, src->n_levels, sizeof(char *));
    if (!dst->name || (!dst->values && !dst->codes) || (src->n_levels && !dst->levels))
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a dataset subset");
    dst->cap_levels = src->n_levels;
    for (size_t i = 0; i < src->n_levels; i++) {
        if (!(dst->levels[i] = ph_strdup(ctx, src->levels[i])))
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a dataset subset");
        dst->n_levels = i + 1;
    }
    for (size_t r = 0; r < n; r++) {
        if (dst->values)
            dst->values[r] = src->values[rows[r]];
        else
            dst->codes[r] = src->codes[rows[r]];
    }
    return PH_OK;
}

ph_status ph_dataset_subset(const ph_dataset *ds, const size_t *rows, size_t n,
                            ph_dataset **out, ph_error *err)
{
    if (!ds || (!rows && n) || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dataset_subset: NULL argument");
    for (size_t r = 0; r < n; r++) {
        if (rows[r] >= ds->rows) {
            char value[32];
            snprintf(value, sizeof(value), "%zu", rows[r]);
            return ph_error_set(err, PH_ERANGE, "rows", value,
                                "expected a row index below %zu (the rows of %s)", ds->rows,
                                ds->source);
        }
    }
    ph_dataset *sub;
    ph_status st = dataset_alloc(ds->ctx, ds->source, n, &sub, err);
    if (st != PH_OK)
        return st;
    sub->lines = ph_malloc(ds->ctx, (n ? n : 1) * sizeof(uint64_t));
    sub->cols = ph_calloc(ds->ctx, ds->n_cols ? ds->n_cols : 1, sizeof(ds_column));
    if (!sub->lines || !sub->cols)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a dataset subset");
    for (size_t r = 0; st == PH_OK && r < n; r++)
        sub->lines[r] = ph_dataset_row_line(ds, rows[r]);
    for (size_t c = 0; st == PH_OK && c < ds->n_cols; c++) {
        sub->n_cols = c + 1; /* so a half-copied column is released too */
        st = copy_column_rows(ds->ctx, &ds->cols[c], rows, n, &sub->cols[c], err);
    }
    if (st != PH_OK) {
        ph_dataset_free(sub);
        return st;
    }
    *out = sub;
    return PH_OK;
}
