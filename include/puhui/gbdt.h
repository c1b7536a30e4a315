/*
 * puhui — gradient-boosted trees trained on libxgboost (a challenger model).
 *
 * This header belongs to its own library, puhui_gbdt (link -lpuhui_gbdt
 * -lxgboost), so that libpuhui, which scores XGBoost JSON with its own
 * predictor, never depends on libxgboost. The tree learner is XGBoost's;
 * this module prepares the design matrix, the constraints, the validation
 * slice, early stopping and the parameter search (docs/models.md).
 *
 * Design: every column but the target, the excluded ones and the time
 * column is a feature, in file order. A numeric column is used as it is
 * (NaN = missing). A categorical column is one-hot encoded: one feature per
 * level, in order of first appearance, named "COL=LEVEL", 1 for rows with
 * that level and 0 otherwise; a missing value is missing (NaN) in each of
 * them; levels past the cap (max_levels) get no feature of their own (their
 * rows read 0 in all of the column's features).
 *
 * Monotone constraints: from the feature catalogue (features.h) by name,
 * PH_DIRECTION_HIGHER_WORSE +1 (more never lowers the PD of bad = 1),
 * PH_DIRECTION_HIGHER_BETTER -1, neutral or not in the catalogue 0; then
 * the overrides.
 *
 * Validation slice (never trained on): with a time column, the rows whose
 * time is >= valid_from (the latest time value when valid_from is NULL);
 * text times compare as text (ISO dates YYYY-MM-DD order as text), numeric
 * times as numbers. Without one, a seeded random 20% of rows.
 */
#ifndef PUHUI_GBDT_H
#define PUHUI_GBDT_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/calibration.h"
#include "puhui/common.h"
#include "puhui/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hyper-parameters. ph_gbdt_params_default gives the safe defaults. */
typedef struct ph_gbdt_params {
    int max_depth;                /* 4 */
    double eta;                   /* 0.05 */
    int num_round;                /* 1000: the upper bound; early stopping ends sooner */
    double min_child_weight;      /* 5 */
    double subsample;             /* 0.8 */
    double colsample_bytree;      /* 0.8 */
    double lambda;                /* 1 */
    double alpha;                 /* 0 */
    double gamma;                 /* 0 */
    int max_bin;                  /* 256 */
    int early_stopping_rounds;    /* 50 */
    int seed;                     /* 1: XGBoost's, the random split's and the search's */
} ph_gbdt_params;

PH_EXTERN void ph_gbdt_params_default(ph_gbdt_params *params);

/*
 * Read parameters from a JSON object in `path` over `params` (members not
 * given keep their value). Keys: the field names above, "n_estimators" as
 * another name for num_round and "learning_rate" for eta. Errors: PH_EIO
 * (the file), PH_EINVAL naming the file and line for malformed JSON, for an
 * unknown key (naming it and listing the allowed ones), for a value of the
 * wrong type or outside its range (naming the key, the value and the range).
 * On error `params` is unchanged.
 */
PH_EXTERN ph_status ph_gbdt_params_read(const char *path, ph_gbdt_params *params,
                                        ph_error *err);

typedef struct ph_gbdt_options {
    const char *target;              /* required: 0/1 (bad = 1), see ph_dataset_binary_target */
    const char *const *exclude;      /* columns not used (the id among them); NULL-terminated or NULL */
    /* Monotone overrides, "COL=+1", "COL=-1" or "COL=0" (NULL-terminated or
     * NULL), applied over the catalogue's; monotone_off = 1 starts from 0
     * for every feature instead of the catalogue. */
    const char *const *monotone;
    int monotone_off;
    const char *time_column;         /* NULL: random validation slice */
    const char *valid_from;          /* NULL: the latest time value */
    ph_gbdt_params params;
    unsigned search;                 /* > 1: random search over that many candidates */
    int threads;                     /* XGBoost's nthread; 0 = all cores */
    size_t max_levels;               /* one-hot cap per categorical column; 0 = 50 */
    /* 1 (the default): after early stopping, train the chosen parameters
     * again on every row, the validation slice included, for the best
     * round count scaled by all rows / training rows, and save that model;
     * 0: save the held-out model itself. */
    int refit;
    /* The calibration fitted on the held-out model's validation PDs and
     * stored with the saved model (learner.attributes.puhui_calibration,
     * docs/tree_models.md), so that its PD is a probability:
     * PH_CALIBRATION_PLATT (the default) or _ISOTONIC; 0 for none. */
    ph_calibration_method calibration;
    /* Called after every boosting round with rounds done and the bound over
     * all candidates; NULL for none. */
    void (*progress)(void *user, uint64_t done, uint64_t total);
    void *progress_user;
} ph_gbdt_options;

/* Options with the default parameters, 50 levels, monotone from the
 * catalogue, refit on every row, Platt calibration. */
PH_EXTERN void ph_gbdt_options_init(ph_gbdt_options *opts);

/* One feature of the design matrix and its constraint. */
typedef struct ph_gbdt_feature {
    char *name;           /* "COL" or "COL=LEVEL" */
    int monotone;         /* +1, -1 or 0 */
    const char *why;      /* "catalogue", "--monotone", "one-hot", "none" */
} ph_gbdt_feature;

/* One candidate of a search (or the one training without a search). */
typedef struct ph_gbdt_candidate {
    ph_gbdt_params params;
    int best_iteration;   /* 0-based round with the best validation AUC */
    int rounds;           /* rounds run before stopping */
    double valid_auc;     /* XGBoost's validation AUC at best_iteration */
} ph_gbdt_candidate;

typedef struct ph_gbdt_result {
    size_t rows_train, rows_valid;
    size_t bad_train, bad_valid;
    char *split;                     /* how the validation slice was made, one line */
    size_t n_features;
    ph_gbdt_feature *features;
    size_t n_candidates;
    ph_gbdt_candidate *candidates;
    size_t chosen;                   /* index of the candidate kept */
    /* AUCs of the held-out model, cut to its best round (ph_metric_auc);
     * valid_auc is the out-of-time estimate, also when the saved model is
     * the refit, which has seen the validation slice. The same slice chose
     * the round (and, with a search, the candidate), so it leans a little
     * optimistic: judge a model on a later period (model report). */
    double train_auc, valid_auc;
    int refit_rounds;                /* rounds of the refit on every row; 0: none */
    /* The calibration stored (its JSON, owned), NULL for none; the Brier
     * score of the validation slice before and after it (in sample: the
     * calibration was fitted on those rows). */
    char *calibration;
    double brier_raw, brier_calibrated;
    char *model_json;                /* the XGBoost JSON of the saved model */
    size_t model_json_len;
    const ph_ctx *ctx;
} ph_gbdt_result;

/*
 * Train binary:logistic boosted trees on `ds`, keeping the round with the
 * best validation AUC (the model is cut to it). Cost: XGBoost's, about
 * rows x features x rounds x candidates; memory: the design matrix as float
 * (4 bytes a cell) plus XGBoost's histograms. Errors (PH_EINVAL unless
 * said, each naming the dataset's file and the column, line or value):
 * a target that is not 0/1 or is missing; a constant target (in the
 * training or the validation slice); no features; a feature missing on
 * every row; a monotone override that is malformed, names no feature or
 * gives one column two signs; a time column that is not in the data or is
 * missing on a row; a valid_from that leaves no validation or no training
 * rows; an XGBoost failure (its message); PH_ENOMEM.
 */
PH_EXTERN ph_status ph_gbdt_train(const ph_ctx *ctx, const ph_dataset *ds,
                                  const ph_gbdt_options *opts, ph_gbdt_result **out,
                                  ph_error *err);

/* Write the model's JSON to `path` (through a temporary file renamed into
 * place). PH_EIO naming the path. */
PH_EXTERN ph_status ph_gbdt_write_model(const ph_gbdt_result *res, const char *path,
                                        ph_error *err);

PH_EXTERN void ph_gbdt_result_free(ph_gbdt_result *res);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_GBDT_H */
