/*
 * The dataset's representation, shared by its construction (dataset.c) and
 * the CSV reader (dataset_read.c). Private to src/dataset.
 */
#ifndef PH_DATASET_INTERNAL_H
#define PH_DATASET_INTERNAL_H

#include "puhui/dataset.h"

typedef struct level_index {
    uint32_t *slots;   /* code + 1, 0 = empty */
    size_t capacity;   /* power of two */
} level_index;

typedef struct column {
    char *name;
    ph_column_kind kind;
    double *values;     /* numeric */
    uint32_t *codes;    /* categorical */
    char **levels;
    size_t n_levels, cap_levels;
    level_index index;
} ds_column;

struct ph_dataset {
    const ph_ctx *ctx;
    char *source;
    size_t rows;
    ds_column *cols;
    size_t n_cols;
    uint64_t *lines;    /* NULL for built datasets */
};

/* A new dataset of `rows` rows with no columns; *out NULL on failure. */
ph_status dataset_alloc(const ph_ctx *ctx, const char *source, size_t rows, ph_dataset **out,
                        ph_error *err);

/* Append an empty column named `name` of `kind` with room for ds->rows rows
 * (at least one). PH_EEXISTS for a duplicate name, PH_ENOMEM. */
ph_status dataset_add_column(ph_dataset *ds, const char *name, ph_column_kind kind,
                             ds_column **out, ph_error *err);

/* The code of text s[0..len) in column `c`, adding it as a new level if
 * unseen (levels keep the order of first appearance). O(1) expected.
 * PH_ERANGE (too many levels), PH_ENOMEM. */
ph_status dataset_level_code(const ph_ctx *ctx, ds_column *c, const char *s, size_t len,
                             uint32_t *code, ph_error *err);

/* Free what column `c` holds (not `c` itself). */
void dataset_column_clear(const ph_ctx *ctx, ds_column *c);

#endif
