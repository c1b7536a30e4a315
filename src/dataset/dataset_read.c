/*
 * Reading a CSV into a dataset in one pass (the rules are in dataset.h).
 *
 * Every column whose kind is not forced starts numeric. Its first value
 * that is neither a number nor a missing token turns it categorical from
 * that row on. The rows before that held numbers whose texts must become
 * levels, in order of first appearance; so when one of them held a number
 * (not only missing values), the column is marked, and after the pass one
 * partial re-read of the file, up to the last marked row, gives those rows
 * their texts and renumbers the levels. A text column that shows text in its
 * first row, or only after missing values (the usual cases), costs nothing
 * more. The file's text is never held in memory: only the columns.
 *
 * Rows are not counted in advance: every column grows by doubling and is
 * trimmed to the row count at the end.
 */
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "puhui/csv.h"
#include "puhui/dataset.h"

#include "core/float_parse.h"
#include "dataset/dataset_internal.h"

enum { KIND_AUTO = 0, KIND_FORCE_NUMERIC, KIND_FORCE_CATEGORICAL, KIND_SKIP };

enum { FIRST_CAPACITY = 4096, PROGRESS_EVERY = 16384 };

typedef struct field_plan {
    int force;      /* KIND_* */
    int column;     /* the dataset column, or -1 when skipped */
    int saw_number; /* the column, still numeric, has held a number */
    size_t redo;    /* rows 0..redo-1 are re-read as text (0: none) */
} field_plan;

typedef struct reading {
    const ph_ctx *ctx;
    const char *path;
    const ph_dataset_options *opts;
    ph_dataset *ds;
    ph_csv_reader *csv;
    field_plan *fields;
    size_t n_fields;
    size_t capacity; /* rows allocated in every column and in ds->lines */
    uint64_t file_bytes;
    int regular; /* the input is a regular file: it can be read again */
} reading;

/* The missing tokens: "", NA, N/A, NaN, nan, null, NULL, None. All but the
 * empty field start with N or n and have at most 4 bytes, which rules out
 * almost every cell with one comparison. */
static const char *const missing_tokens[] = {"NA", "N/A", "NaN", "nan", "null", "NULL", "None"};

static int is_missing_token(const char *s, size_t len)
{
    if (len == 0)
        return 1;
    if (len > 4 || (s[0] != 'N' && s[0] != 'n'))
        return 0;
    for (size_t i = 0; i < sizeof(missing_tokens) / sizeof(missing_tokens[0]); i++) {
        if (strlen(missing_tokens[i]) == len && memcmp(missing_tokens[i], s, len) == 0)
            return 1;
    }
    return 0;
}

static ph_status apply_names(reading *rd, const char *const *names, int kind, const char *option,
                             ph_error *err)
{
    for (size_t i = 0; names && names[i]; i++) {
        int at = ph_csv_column(rd->csv, names[i]);
        if (at < 0)
            return ph_error_set(err, PH_EINVAL, option, names[i],
                                "expected a column of %s, which has no column of this name",
                                ph_csv_source(rd->csv));
        rd->fields[at].force = kind;
    }
    return PH_OK;
}

static int listed(const char *const *names, const char *name)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* The plan of every field and the dataset's columns, from the header. */
static ph_status start(reading *rd, ph_error *err)
{
    rd->n_fields = ph_csv_header_count(rd->csv);
    rd->fields = ph_calloc(rd->ctx, rd->n_fields ? rd->n_fields : 1, sizeof(field_plan));
    if (!rd->fields)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s", rd->path);
    ph_status st = PH_OK;
    if (rd->opts) {
        st = apply_names(rd, rd->opts->numeric, KIND_FORCE_NUMERIC, "numeric", err);
        if (st == PH_OK)
            st = apply_names(rd, rd->opts->categorical, KIND_FORCE_CATEGORICAL, "categorical",
                             err);
        if (st == PH_OK)
            st = apply_names(rd, rd->opts->skip, KIND_SKIP, "skip", err);
        for (size_t f = 0; st == PH_OK && rd->opts->only && f < rd->n_fields; f++)
            if (!listed(rd->opts->only, ph_csv_header_name(rd->csv, f)))
                rd->fields[f].force = KIND_SKIP;
    }
    rd->capacity = FIRST_CAPACITY;
    if (st == PH_OK)
        st = dataset_alloc(rd->ctx, rd->path, rd->capacity, &rd->ds, err);
    if (st == PH_OK && !(rd->ds->lines = ph_malloc(rd->ctx, rd->capacity * sizeof(uint64_t))))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s", rd->path);
    for (size_t f = 0; st == PH_OK && f < rd->n_fields; f++) {
        field_plan *fp = &rd->fields[f];
        fp->column = -1;
        if (fp->force == KIND_SKIP)
            continue;
        ds_column *c;
        ph_column_kind kind = fp->force == KIND_FORCE_CATEGORICAL ? PH_COLUMN_CATEGORICAL
                                                                  : PH_COLUMN_NUMERIC;
        st = dataset_add_column(rd->ds, ph_csv_header_name(rd->csv, f), kind, &c, err);
        fp->column = (int)rd->ds->n_cols - 1;
    }
    if (rd->ds)
        rd->ds->rows = 0;
    return st;
}

/* Double the room of every column and of the lines. */
static ph_status grow(reading *rd, ph_error *err)
{
    ph_dataset *ds = rd->ds;
    size_t cap = rd->capacity * 2;
    uint64_t *lines = ph_realloc(rd->ctx, ds->lines, cap * sizeof(*lines));
    if (!lines)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s", rd->path);
    ds->lines = lines;
    for (size_t i = 0; i < ds->n_cols; i++) {
        ds_column *c = &ds->cols[i];
        void *p = c->values ? ph_realloc(rd->ctx, c->values, cap * sizeof(double))
                            : ph_realloc(rd->ctx, c->codes, cap * sizeof(uint32_t));
        if (!p)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s",
                                rd->path);
        if (c->values)
            c->values = p;
        else
            c->codes = p;
    }
    rd->capacity = cap;
    return PH_OK;
}

/* Column `c`, numeric so far, turns categorical at `row`: earlier rows are
 * missing for now, and re-read later when one of them held a number. */
static ph_status turn_categorical(reading *rd, field_plan *fp, ds_column *c, size_t row,
                                  ph_error *err)
{
    uint32_t *codes = ph_malloc(rd->ctx, rd->capacity * sizeof(uint32_t));
    if (!codes)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s", rd->path);
    for (size_t r = 0; r < row; r++)
        codes[r] = PH_DATASET_MISSING;
    ph_free(rd->ctx, c->values);
    c->values = NULL;
    c->codes = codes;
    c->kind = PH_COLUMN_CATEGORICAL;
    if (fp->saw_number)
        fp->redo = row;
    return PH_OK;
}

static ph_status fill_field(reading *rd, field_plan *fp, size_t f, size_t row, ph_error *err)
{
    ds_column *c = &rd->ds->cols[fp->column];
    const char *s;
    size_t len;
    ph_csv_field(rd->csv, f, &s, &len, NULL);
    if (c->kind == PH_COLUMN_NUMERIC) {
        if (float_parse(s, len, &c->values[row])) {
            fp->saw_number = 1;
            return PH_OK;
        }
        if (is_missing_token(s, len)) {
            c->values[row] = NAN;
            return PH_OK;
        }
        if (fp->force == KIND_FORCE_NUMERIC) {
            ph_error_setn(err, PH_EINVAL, c->name, s, len,
                          "expected a number (the column is numeric) or a missing value");
            ph_csv_locate_error(rd->csv, f, err);
            return PH_EINVAL;
        }
        if (fp->saw_number && !rd->regular) {
            /* The rows before need their texts again, and a pipe cannot be
             * read twice. */
            ph_error_setn(err, PH_EINVAL, c->name, s, len,
                          "expected a number, as in the rows above, or the column named as "
                          "categorical: text after numbers needs the input read twice, "
                          "and this input is not a regular file");
            ph_csv_locate_error(rd->csv, f, err);
            return PH_EINVAL;
        }
        ph_status st = turn_categorical(rd, fp, c, row, err);
        if (st != PH_OK)
            return st;
    }
    if (is_missing_token(s, len)) {
        c->codes[row] = PH_DATASET_MISSING;
        return PH_OK;
    }
    return dataset_level_code(rd->ctx, c, s, len, &c->codes[row], err);
}

static void report_progress(const reading *rd)
{
    if (rd->opts && rd->opts->progress)
        rd->opts->progress(rd->opts->progress_user, ph_csv_bytes_consumed(rd->csv),
                           rd->file_bytes);
}

/* The one pass over the records. */
static ph_status read_rows(reading *rd, ph_error *err)
{
    ph_dataset *ds = rd->ds;
    ph_status st;
    while ((st = ph_csv_next(rd->csv, err)) == PH_OK) {
        size_t row = ds->rows;
        if (row == rd->capacity && (st = grow(rd, err)) != PH_OK)
            return st;
        ds->lines[row] = ph_csv_line(rd->csv);
        for (size_t f = 0; f < rd->n_fields; f++) {
            field_plan *fp = &rd->fields[f];
            if (fp->column >= 0 && (st = fill_field(rd, fp, f, row, err)) != PH_OK)
                return st;
        }
        ds->rows = row + 1;
        if (ds->rows % PROGRESS_EVERY == 0)
            report_progress(rd);
    }
    report_progress(rd);
    return st == PH_DONE ? PH_OK : st;
}

/* Renumber rows redo.. of column `c` (codes of its levels so far) into
 * `fresh`, which already holds the levels of rows 0..redo-1. */
static ph_status renumber_rest(reading *rd, ds_column *c, ds_column *fresh, size_t redo,
                               ph_error *err)
{
    uint32_t *to = ph_malloc(rd->ctx, (c->n_levels ? c->n_levels : 1) * sizeof(uint32_t));
    if (!to)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s", rd->path);
    for (size_t i = 0; i < c->n_levels; i++)
        to[i] = PH_DATASET_MISSING;
    ph_status st = PH_OK;
    for (size_t r = redo; st == PH_OK && r < rd->ds->rows; r++) {
        uint32_t old = c->codes[r];
        if (old == PH_DATASET_MISSING)
            continue;
        if (to[old] == PH_DATASET_MISSING)
            st = dataset_level_code(rd->ctx, fresh, c->levels[old], strlen(c->levels[old]),
                                    &to[old], err);
        c->codes[r] = to[old];
    }
    ph_free(rd->ctx, to);
    return st;
}

/* The partial re-read (see the top of this file). */
static ph_status reread_texts(reading *rd, ph_error *err)
{
    size_t upto = 0;
    for (size_t f = 0; f < rd->n_fields; f++)
        upto = rd->fields[f].redo > upto ? rd->fields[f].redo : upto;
    if (upto == 0)
        return PH_OK;
    ds_column *fresh = ph_calloc(rd->ctx, rd->n_fields, sizeof(ds_column));
    if (!fresh)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s", rd->path);
    ph_dataset *ds = rd->ds;
    ph_csv_reader *csv;
    ph_status st = ph_csv_open_file(rd->ctx, rd->path, NULL, &csv, err);
    for (size_t row = 0; st == PH_OK && row < upto; row++) {
        if ((st = ph_csv_next(csv, err)) != PH_OK) {
            if (st == PH_DONE)
                st = ph_error_set(err, PH_EIO, NULL, rd->path, "the file changed while being read");
            break;
        }
        for (size_t f = 0; st == PH_OK && f < rd->n_fields; f++) {
            if (row >= rd->fields[f].redo)
                continue;
            ds_column *c = &ds->cols[rd->fields[f].column];
            const char *s;
            size_t len;
            ph_csv_field(csv, f, &s, &len, NULL);
            fresh[f].name = c->name; /* for its errors; not owned */
            if (is_missing_token(s, len))
                c->codes[row] = PH_DATASET_MISSING;
            else
                st = dataset_level_code(rd->ctx, &fresh[f], s, len, &c->codes[row], err);
        }
    }
    ph_csv_free(csv);
    for (size_t f = 0; f < rd->n_fields; f++) {
        if (!rd->fields[f].redo)
            continue;
        ds_column *c = &ds->cols[rd->fields[f].column];
        if (st == PH_OK)
            st = renumber_rest(rd, c, &fresh[f], rd->fields[f].redo, err);
        fresh[f].name = NULL;
        if (st != PH_OK) {
            dataset_column_clear(rd->ctx, &fresh[f]);
            continue;
        }
        /* The column keeps its name and codes and takes the new levels. */
        for (size_t i = 0; i < c->n_levels; i++)
            ph_free(rd->ctx, c->levels[i]);
        ph_free(rd->ctx, c->levels);
        ph_free(rd->ctx, c->index.slots);
        c->levels = fresh[f].levels;
        c->n_levels = fresh[f].n_levels;
        c->cap_levels = fresh[f].cap_levels;
        c->index = fresh[f].index;
    }
    ph_free(rd->ctx, fresh);
    return st;
}

/* Give back the room beyond the last row (a failed shrink keeps the room). */
static void trim(reading *rd)
{
    ph_dataset *ds = rd->ds;
    size_t n = ds->rows ? ds->rows : 1;
    if (n == rd->capacity)
        return;
    uint64_t *lines = ph_realloc(rd->ctx, ds->lines, n * sizeof(*lines));
    if (lines)
        ds->lines = lines;
    for (size_t i = 0; i < ds->n_cols; i++) {
        ds_column *c = &ds->cols[i];
        if (c->values) {
            double *v = ph_realloc(rd->ctx, c->values, n * sizeof(double));
            c->values = v ? v : c->values;
        } else {
            uint32_t *k = ph_realloc(rd->ctx, c->codes, n * sizeof(uint32_t));
            c->codes = k ? k : c->codes;
        }
    }
}

ph_status ph_dataset_read_csv(const ph_ctx *ctx, const char *path,
                              const ph_dataset_options *opts, ph_dataset **out, ph_error *err)
{
    if (!ctx || !path || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dataset_read_csv: NULL argument");
    reading rd = {.ctx = ctx, .path = path, .opts = opts};
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
        rd.file_bytes = (uint64_t)sb.st_size;
        rd.regular = 1;
    }
    ph_status st = ph_csv_open_file(ctx, path, NULL, &rd.csv, err);
    if (st == PH_OK)
        st = start(&rd, err);
    if (st == PH_OK)
        st = read_rows(&rd, err);
    ph_csv_free(rd.csv);
    if (st == PH_OK)
        st = reread_texts(&rd, err);
    ph_free(ctx, rd.fields);
    if (st != PH_OK) {
        ph_dataset_free(rd.ds);
        return st;
    }
    trim(&rd);
    *out = rd.ds;
    return PH_OK;
}
