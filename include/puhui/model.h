/*
 * puhui — risk models: load, score, explain.
 *
 * One opaque ph_model stands for any model the platform runs:
 *   - a scorecard (trained by puhui, or any PMML 4.4 Scorecard);
 *   - an XGBoost JSON model with objective binary:logistic;
 *   - a LightGBM text model with objective binary.
 * ph_model_load_file tells them apart by content.
 *
 * Every model predicts the probability that the case is BAD (target 1), and
 * a scorecard also gives its points. An XGBoost model may carry a
 * calibration (calibration.h; the attribute
 * learner.attributes.puhui_calibration): its probability of bad is then the
 * calibrated one, everywhere a probability is given (ph_model_predict,
 * _threads, _row, _matrix); margins, contributions and reasons stay on the
 * uncalibrated margin. Inputs are matched to the model's
 * features by NAME (ph_model_bind), never by position.
 *
 * Explanations are additive contributions per feature:
 *   - tree models: exact TreeSHAP values in log-odds, weighted by node cover
 *     as XGBoost's pred_contribs; the last entry is the bias (the expected
 *     margin), and the entries sum (in double) to the leaves summed in
 *     double: for LightGBM that is the margin, for XGBoost the margin before
 *     its float32 rounding (see ph_model_margin_matrix), within ~1e-6;
 *   - scorecards: the points each characteristic scored; the last entry is
 *     the initial score; the entries sum to the score.
 * Reason codes (ph_model_reasons) rank the ADVERSE contributions: for trees
 * the positive SHAP values (towards bad), for scorecards the points below the
 * characteristic's baseline (reasonCodeAlgorithm pointsBelow).
 *
 * A loaded model is immutable and may be used by several threads at once.
 */
#ifndef PUHUI_MODEL_H
#define PUHUI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/calibration.h"
#include "puhui/common.h"
#include "puhui/dataset.h"
#include "puhui/scorecard.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ph_model ph_model;

typedef enum ph_model_kind {
    PH_MODEL_SCORECARD = 1,
    PH_MODEL_XGBOOST = 2,
    PH_MODEL_LIGHTGBM = 3
} ph_model_kind;

/* "scorecard", "xgboost", "lightgbm". */
PH_EXTERN const char *ph_model_kind_name(ph_model_kind kind);

/*
 * Load a model file: PMML (starts with '<'), XGBoost JSON (starts with '{')
 * or LightGBM text (starts with "tree"). Errors name the file, where in it
 * (line, or JSON path such as learner.gradient_booster.model.trees[3]) and
 * what was expected: truncated JSON, an unknown objective, a node pointing
 * outside its tree, a scorecard attribute gap, a malformed
 * learner.attributes.puhui_calibration (named, with what
 * ph_calibration_from_json found wrong in it).
 */
PH_EXTERN ph_status ph_model_load_file(const ph_ctx *ctx, const char *path, ph_model **out,
                                       ph_error *err);
PH_EXTERN ph_status ph_model_load_memory(const ph_ctx *ctx, const char *data, size_t len,
                                         const char *source, ph_model **out, ph_error *err);

/*
 * A model that scores with `sc` (copied; the caller keeps `sc`). Its
 * features are the characteristics in order, each named after the field it
 * reads (a name may repeat when two characteristics read one field), so
 * contributions and reasons line up with characteristics. PH_EINVAL for a
 * characteristic without a field. The model's source is sc->name
 * ("<memory>" when it has none).
 */
PH_EXTERN ph_status ph_model_from_scorecard(const ph_ctx *ctx, const ph_scorecard *sc,
                                            ph_model **out, ph_error *err);

PH_EXTERN void ph_model_free(ph_model *model);

PH_EXTERN ph_model_kind ph_model_kind_of(const ph_model *model);
/* Where the model came from (path or source name). */
PH_EXTERN const char *ph_model_source(const ph_model *model);
PH_EXTERN size_t ph_model_feature_count(const ph_model *model);
PH_EXTERN const char *ph_model_feature_name(const ph_model *model, size_t index);
/* 1 when the feature is categorical (scorecard characteristics only). */
PH_EXTERN int ph_model_feature_categorical(const ph_model *model, size_t index);
/* 1 when the model gives points (a scorecard). */
PH_EXTERN int ph_model_has_points(const ph_model *model);
/* The scorecard behind a scorecard model, or NULL. Owned by the model. */
PH_EXTERN const ph_scorecard *ph_model_scorecard(const ph_model *model);
/* Trees in a tree model (0 for a scorecard). */
PH_EXTERN size_t ph_model_tree_count(const ph_model *model);
/* The calibration the model applies to its probability of bad, or NULL when
 * it has none (always NULL for scorecards and LightGBM models). Owned by
 * the model. */
PH_EXTERN const ph_calibration *ph_model_calibration(const ph_model *model);

/* ---- scoring a dataset ------------------------------------------------ */

/* The model's features bound to the columns of a dataset. */
typedef struct ph_model_input ph_model_input;

/*
 * Bind `model` to `ds` by feature name. Errors: PH_ENOTFOUND naming the
 * first feature the dataset lacks ("feature 'x' is missing from input
 * FILE"); PH_EINVAL when a tree feature, or a numeric scorecard
 * characteristic, is categorical in the data. A categorical characteristic
 * may be bound to a numeric column: a level then matches a number when the
 * level reads as that number ("1", "1.0" and "01" all match 1). Both the
 * model and the dataset must outlive the binding.
 */
PH_EXTERN ph_status ph_model_bind(const ph_model *model, const ph_dataset *ds,
                                  ph_model_input **out, ph_error *err);
PH_EXTERN void ph_model_input_free(ph_model_input *in);

/*
 * Score rows [first, first + count): pd[i] the probability of bad; points[i]
 * (may be NULL) the score for a scorecard, NaN for other models. Errors:
 * PH_EMISUSE for NULL arguments or rows outside the dataset; PH_EINVAL
 * naming the row's line for a value no scorecard attribute covers;
 * PH_ENOMEM. On any error pd and points are left untouched (a tree model
 * allocates its scratch before it scores the first row).
 */
PH_EXTERN ph_status ph_model_predict(const ph_model_input *in, size_t first, size_t count,
                                     double *pd, double *points, ph_error *err);

/* The most threads ph_model_predict_threads uses. */
#define PH_MODEL_MAX_THREADS 32

/*
 * ph_model_predict over `threads` threads (the calling one and threads - 1
 * more; 0 means 1; at most PH_MODEL_MAX_THREADS): the rows are cut into
 * contiguous shares, at least 1,024 rows each (fewer threads for fewer
 * rows), each scored by one ph_model_predict. Every value is the one a
 * single thread gives, bit for bit, whatever the thread count. A thread that
 * cannot be started has its share scored on the calling thread. Errors as
 * ph_model_predict's, the first in row order; PH_EMISUSE also for threads
 * above PH_MODEL_MAX_THREADS. On an error the values of rows before it may be
 * written. Cost: as ph_model_predict, divided among the threads; the
 * context's allocator is called from every thread (common.h).
 */
PH_EXTERN ph_status ph_model_predict_threads(const ph_model_input *in, size_t first,
                                             size_t count, int threads, double *pd,
                                             double *points, ph_error *err);

/*
 * The additive contributions of one row: out has feature_count + 1 entries
 * (see the file comment for the units and the last entry).
 */
PH_EXTERN ph_status ph_model_contributions(const ph_model_input *in, size_t row, double *out,
                                           ph_error *err);

/* One adverse reason. */
typedef struct ph_reason {
    size_t feature;      /* model feature index */
    const char *name;    /* feature name (owned by the model) */
    const char *code;    /* reason code: the scorecard's, or the feature name (owned
                          * by the model, whole) */
    char value[64];      /* the row's value as text ("" when missing) */
    double impact;       /* log-odds towards bad (trees) or points below (scorecards) */
    char text[256];      /* a sentence: from the feature catalogue when it knows the
                          * feature ("payment inflow down 42% over the last 3 months") */
} ph_reason;

/*
 * The top `k` adverse reasons of one row, largest impact first; *n gets how
 * many there are (only contributions above zero count, so it may be < k).
 * PH_ERANGE (field "feature") when a reason's sentence does not fit in its
 * 255 bytes, which only a feature name of hundreds of bytes can cause: a
 * sentence is never cut.
 */
PH_EXTERN ph_status ph_model_reasons(const ph_model_input *in, size_t row, size_t k,
                                     ph_reason *out, size_t *n, ph_error *err);

/* ---- scoring one row without a dataset ------------------------------------ */

/*
 * Score one row given as x[ph_model_feature_count(model)]: one double per
 * model feature, in the model's feature order (ph_model_feature_name), NaN
 * for a missing value. *pd gets the probability of bad and *points (points
 * may be NULL) the score of a scorecard, NaN for other models: exactly what
 * ph_model_predict gives for the same values in a dataset. A categorical
 * scorecard characteristic matches a level that reads as the number, as
 * when bound to a numeric column ("2", "2.0" and "02" match 2.0); a tree
 * model compares the value as a float32, as its batch scorer does.
 * Scorecards allocate nothing (the decision engine's path); tree models
 * allocate their scratch through the model's ctx.
 * Errors: PH_EMISUSE for a NULL model, x or pd; PH_EINVAL for a value no
 * scorecard attribute covers, naming the field, the value and the
 * characteristic (there is no file or line); PH_ENOMEM (trees). On error
 * pd and points are untouched.
 */
PH_EXTERN ph_status ph_model_predict_row(const ph_model *model, const double *x, double *pd,
                                         double *points, ph_error *err);

/*
 * The top `k` adverse reasons of the row x (laid out as for
 * ph_model_predict_row), as ph_model_reasons gives them for the same values
 * in a dataset: same features, codes, impacts and sentences. The value
 * text is the double in the feature catalogue's formatting when the feature
 * is a catalogue feature (ph_feature_format: "0.125000"), else every digit
 * ("0.125"); "" when missing. Scorecards allocate nothing; tree models
 * allocate the TreeSHAP scratch through the model's ctx. Errors as
 * ph_model_predict_row's (PH_EMISUSE also for a NULL n, or a NULL out when
 * k > 0; PH_ERANGE for a tree deeper than TreeSHAP handles). On error out
 * and *n are untouched.
 */
PH_EXTERN ph_status ph_model_reasons_row(const ph_model *model, const double *x, size_t k,
                                         ph_reason *out, size_t *n, ph_error *err);

/* ---- the fast path for tree models -------------------------------------- */

/*
 * Tree models only: score `rows` rows of a row-major float32 matrix whose
 * columns are the model's features in the model's order (NaN = missing),
 * writing the probability of bad: 1 / (1 + exp(-margin)) of the margin
 * ph_model_margin_matrix gives, calibrated when the model carries a
 * calibration (ph_model_calibration). This is the batch scorer the benchmark
 * measures; ph_model_predict uses it. Errors as ph_model_margin_matrix's.
 */
PH_EXTERN ph_status ph_model_predict_matrix(const ph_model *model, const float *x, size_t rows,
                                            double *pd, ph_error *err);

/*
 * Tree models only: margins (log-odds, base score included) of `rows` rows
 * of a matrix laid out as for ph_model_predict_matrix. Each model sums as
 * its own library's predictor does, so margins equal that library's to the
 * bit: XGBoost in float32, starting from the base score turned into a
 * margin as -logf(1/p - 1) and adding each leaf as a float; LightGBM in
 * double. PH_EMISUSE for a scorecard model or a NULL x / margin when rows
 * > 0; PH_ENOMEM (nothing written).
 */
PH_EXTERN ph_status ph_model_margin_matrix(const ph_model *model, const float *x, size_t rows,
                                           double *margin, ph_error *err);

/*
 * Tree models only: TreeSHAP contributions for `rows` rows; out is row-major
 * with feature_count + 1 columns, the last the bias, as XGBoost's
 * pred_contribs (computed in double). PH_EMISUSE for a scorecard model or a
 * NULL x / out when rows > 0; PH_ERANGE for a tree deeper than TreeSHAP's
 * 1024 levels; PH_ENOMEM. Nothing is written on error.
 */
PH_EXTERN ph_status ph_model_contributions_matrix(const ph_model *model, const float *x,
                                                  size_t rows, double *out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_MODEL_H */
