/*
 * Private to src/gbdt: the parameter table and the design matrix.
 */
#ifndef PUHUI_GBDT_INTERNAL_H
#define PUHUI_GBDT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/gbdt.h"

/* One hyper-parameter: its JSON name (and another accepted name), where it
 * sits in ph_gbdt_params, whether it is a whole number, its range. */
typedef struct gbdt_param_def {
    const char *name;
    const char *alias;
    size_t offset;
    int integer;
    double min, max;
} gbdt_param_def;

extern const gbdt_param_def gbdt_param_table[];
extern const size_t gbdt_param_count;

double gbdt_param_get(const ph_gbdt_params *p, const gbdt_param_def *def);
void gbdt_param_put(ph_gbdt_params *p, const gbdt_param_def *def, double v);

/* The training data as XGBoost reads it: rows x n_features floats, row by
 * row, NaN = missing; the label; which rows are the validation slice. */
typedef struct gbdt_design {
    const ph_ctx *ctx;
    size_t rows, n_features;
    float *x;
    uint8_t *y;
    uint8_t *is_valid;
    ph_gbdt_feature *features;
    char *split;
} gbdt_design;

ph_status gbdt_design_build(const ph_ctx *ctx, const ph_dataset *ds, const ph_gbdt_options *opts,
                            gbdt_design *out, ph_error *err);
void gbdt_design_free(gbdt_design *d);
void gbdt_features_free(const ph_ctx *ctx, ph_gbdt_feature *f, size_t n);

/* splitmix64: the seeded stream of the random slice and the search. */
uint64_t gbdt_random_next(uint64_t *state);
/* Uniform in [0, 1). */
double gbdt_random_unit(uint64_t *state);

#endif /* PUHUI_GBDT_INTERNAL_H */
