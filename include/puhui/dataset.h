/*
 * puhui — a table of modelling data held by column.
 *
 * Scorecard training, model scoring and model reports all read the same
 * thing: a CSV with a header, one row per case, one column per variable. A
 * ph_dataset holds it in memory by column, each column either numeric
 * (double, NaN where the value is missing) or categorical (a code per row
 * into the column's list of distinct texts, in order of first appearance).
 *
 * Type detection: a column is numeric when every value that is not missing
 * reads as a finite decimal number (the whole field, no spaces: an optional
 * sign, digits with an optional point, an optional exponent; no hexadecimal,
 * "inf" or "nan"); otherwise it is categorical. Options can force either kind per
 * column; a value that does not read as a number in a column forced numeric
 * is an error naming the file, line, column and value.
 *
 * Missing values: the empty field and the tokens NA, N/A, NaN, nan, null,
 * NULL and None. In a numeric column a missing value is NaN; in a categorical
 * one its code is PH_DATASET_MISSING.
 *
 * Programs can also build a dataset column by column (ph_dataset_new and the
 * ph_dataset_add_* functions), which is how tests and benchmarks make one.
 *
 * A dataset is immutable once built and may be read by several threads.
 */
#ifndef PUHUI_DATASET_H
#define PUHUI_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ph_dataset ph_dataset;

typedef enum ph_column_kind {
    PH_COLUMN_NUMERIC = 0,
    PH_COLUMN_CATEGORICAL = 1
} ph_column_kind;

/* The code of a missing value in a categorical column. */
#define PH_DATASET_MISSING UINT32_MAX

typedef struct ph_dataset_options {
    /* Column names forced categorical (e.g. an id such as "00123" that must
     * keep its leading zeros) or numeric; NULL-terminated lists or NULL. A
     * name that is not in the header is an error. */
    const char *const *categorical;
    const char *const *numeric;
    /* Columns to leave out entirely (never parsed); NULL-terminated or NULL. */
    const char *const *skip;
    /* When not NULL, the only columns to read (NULL-terminated): every other
     * column is left out as if skipped. A name the header lacks is not an
     * error here (a scorer reports the features it misses by name). */
    const char *const *only;
    /* Called on the reading thread every 16,384 rows and once at the end
     * with the bytes read so far and the file's size (0 when unknown, e.g. a
     * pipe); NULL for none. */
    void (*progress)(void *user, uint64_t bytes_done, uint64_t bytes_total);
    void *progress_user;
} ph_dataset_options;

/*
 * Read a CSV file with a header, in one pass. `opts` may be NULL. Numbers
 * are read with the same bits as strtod gives (a fast exact path for up to
 * 19 significant digits and powers of ten up to 22, strtod itself beyond);
 * a field of 128 bytes or more, or one strtod reports out of range, is text.
 * Cost: O(file size); memory is the columns (8 bytes a numeric cell, 4 a
 * categorical one, plus the levels), up to twice that while reading, never
 * the file's text. When a column not forced categorical first shows text
 * after rows holding numbers, the file is read a second time up to that row
 * to give those rows their texts; that needs a regular file, so
 * from a pipe such a column is an error naming it and its line (force it with
 * `categorical`). Errors: PH_EIO (the
 * file), PH_EINVAL (malformed CSV, a duplicate or unknown column name in the
 * options, a non-number in a forced-numeric column: file:line, field, value),
 * PH_ENOMEM. An input with a header and no rows is a valid empty dataset.
 */
PH_EXTERN ph_status ph_dataset_read_csv(const ph_ctx *ctx, const char *path,
                                        const ph_dataset_options *opts, ph_dataset **out,
                                        ph_error *err);

/* An empty dataset of `rows` rows, to be filled with ph_dataset_add_*. */
PH_EXTERN ph_status ph_dataset_new(const ph_ctx *ctx, size_t rows, ph_dataset **out,
                                   ph_error *err);

/* Add a numeric column (values copied; NaN = missing). PH_EEXISTS for a
 * duplicate name. */
PH_EXTERN ph_status ph_dataset_add_numeric(ph_dataset *ds, const char *name,
                                           const double *values, ph_error *err);

/* Add a categorical column from texts (copied; NULL = missing). */
PH_EXTERN ph_status ph_dataset_add_categorical(ph_dataset *ds, const char *name,
                                               const char *const *values, ph_error *err);

PH_EXTERN void ph_dataset_free(ph_dataset *ds);

/*
 * A new dataset holding rows rows[0..n-1] of `ds`, in that order (a row may
 * appear more than once). Columns keep their names, kinds and levels (the
 * same codes, including levels no chosen row uses); each row keeps the line
 * it came from. The copy is owned by `ds`'s context and freed with
 * ph_dataset_free. Errors: PH_ERANGE for a row index >= ph_dataset_rows(ds)
 * (naming the index), PH_ENOMEM, PH_EMISUSE for NULL arguments.
 */
PH_EXTERN ph_status ph_dataset_subset(const ph_dataset *ds, const size_t *rows, size_t n,
                                      ph_dataset **out, ph_error *err);

PH_EXTERN const ph_ctx *ph_dataset_ctx(const ph_dataset *ds);
PH_EXTERN size_t ph_dataset_rows(const ph_dataset *ds);
PH_EXTERN size_t ph_dataset_columns(const ph_dataset *ds);
/* Where the data came from: the path, or "<memory>". */
PH_EXTERN const char *ph_dataset_source(const ph_dataset *ds);
PH_EXTERN const char *ph_dataset_column_name(const ph_dataset *ds, size_t column);
/* Index of the column named `name`, or -1. */
PH_EXTERN int ph_dataset_column_index(const ph_dataset *ds, const char *name);
PH_EXTERN ph_column_kind ph_dataset_column_kind(const ph_dataset *ds, size_t column);

/* The physical line in the source file a row came from (1-based; the header
 * is line 1), or row + 1 for a built dataset. For error messages. */
PH_EXTERN uint64_t ph_dataset_row_line(const ph_dataset *ds, size_t row);

/* A numeric column's values (rows entries, NaN = missing); NULL when the
 * column is categorical. */
PH_EXTERN const double *ph_dataset_numeric(const ph_dataset *ds, size_t column);

/* A categorical column's codes (rows entries); NULL when numeric. */
PH_EXTERN const uint32_t *ph_dataset_codes(const ph_dataset *ds, size_t column);
PH_EXTERN size_t ph_dataset_level_count(const ph_dataset *ds, size_t column);
/* The text of level `code`, or NULL when out of range. */
PH_EXTERN const char *ph_dataset_level(const ph_dataset *ds, size_t column, uint32_t code);

/*
 * The value of one cell as text into `buf`: a numeric value with up to 17
 * significant digits ("%.17g" shortest form that reads back the same), a
 * level's text, or "" when missing. PH_EMISUSE when `size` is too small.
 */
PH_EXTERN ph_status ph_dataset_cell_text(const ph_dataset *ds, size_t column, size_t row,
                                         char *buf, size_t size, ph_error *err);

/*
 * Read column `name` as a binary target, 1 = bad, 0 = good. A numeric column
 * must hold only 0 and 1. A categorical column is read through `bad_label`
 * (the text meaning bad; the other text is good): with bad_label NULL the
 * texts "1", "bad", "yes", "true", "default" mean bad and "0", "good", "no",
 * "false" mean good. Missing or other values are an error naming the line
 * and value. `out` has ph_dataset_rows() entries.
 */
PH_EXTERN ph_status ph_dataset_binary_target(const ph_dataset *ds, const char *name,
                                             const char *bad_label, uint8_t *out,
                                             ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_DATASET_H */
