/*
 * Inside a ph_model: what the loaders build and the scorers read.
 *
 * Tree models (XGBoost, LightGBM) load into one forest form, so scoring,
 * TreeSHAP and reasons are written once. Scorecards keep their ph_scorecard.
 */
#ifndef PH_MODEL_INTERNAL_H
#define PH_MODEL_INTERNAL_H

#include <math.h>
#include <stdint.h>

#include "puhui/calibration.h"
#include "puhui/model.h"

/* How a split treats a missing value (NaN). */
enum {
    MODEL_MISSING_DEFAULT = 0, /* NaN takes the default direction (XGBoost; LightGBM NaN) */
    MODEL_MISSING_AS_ZERO = 1, /* NaN is read as 0.0 and compared (LightGBM None) */
    MODEL_MISSING_ZERO = 2     /* 0.0 and NaN take the default direction (LightGBM Zero) */
};

/*
 * One tree, node 0 the root, as parallel arrays. A leaf has left[i] < 0.
 * The comparison is the forest's: XGBoost sends x left when x < threshold
 * (x and threshold float32), LightGBM when x <= threshold (double).
 */
typedef struct model_tree {
    uint32_t n_nodes;
    int32_t *left, *right;
    uint32_t *feature;
    double *threshold;     /* XGBoost's float32 threshold held exactly as a double */
    uint8_t *default_left; /* where the missing value goes */
    uint8_t *missing;      /* MODEL_MISSING_* per node */
    double *value;         /* leaf value, margin units (0 for inner nodes) */
    double *cover;         /* node cover (XGBoost sum_hessian; LightGBM count): SHAP weights */
    uint32_t max_depth;
} model_tree;

typedef struct model_forest {
    size_t n_trees;
    model_tree *trees;
    double base_margin; /* added to every margin: XGBoost logit(base_score) */
    int split_le;       /* 0: x < threshold (XGBoost); 1: x <= threshold (LightGBM) */
    int sum_float;      /* 1: the margin is summed in float32, base first, then tree by
                         * tree, as XGBoost's predictor does; 0: in double (LightGBM) */
    void *compiled;     /* forest_predict.c's fast layout (model_forest_compile) */
} model_forest;

struct ph_model {
    const ph_ctx *ctx;
    ph_model_kind kind;
    char *source;
    size_t n_features;
    char **feature_names;
    uint8_t *feature_categorical;
    model_forest *forest;   /* tree models */
    ph_scorecard *scorecard; /* scorecards */
    ph_calibration *calibration; /* tree models: applied to the probability, NULL if none */
    /* Tree models: one_hot[i] is the first feature of the one-hot column
     * feature i belongs to ("segment=farm", "segment=shop": both the first),
     * so that reasons speak of the column; i itself for other features.
     * NULL when the model has no one-hot features. */
    size_t *one_hot;
    char **one_hot_names; /* n_features; "COL" at each column's first feature, else NULL */
};

struct ph_model_input {
    const ph_model *model;
    const ph_dataset *ds;
    int *column; /* per model feature: the dataset column */
};

/* Does value x go left at node `n`? The one definition every tree reader uses. */
static inline int model_goes_left(const model_forest *f, const model_tree *t, uint32_t n,
                                  double x)
{
    if (isnan(x)) {
        if (t->missing[n] != MODEL_MISSING_AS_ZERO)
            return t->default_left[n];
        x = 0.0;
    } else if (t->missing[n] == MODEL_MISSING_ZERO && x == 0.0) {
        return t->default_left[n];
    }
    return f->split_le ? x <= t->threshold[n] : x < t->threshold[n];
}

/* Allocate an empty model of `kind` named after `source`. */
ph_status model_alloc(const ph_ctx *ctx, ph_model_kind kind, const char *source,
                      ph_model **out, ph_error *err);

/* Allocate the arrays of a tree of n nodes (zeroed). */
ph_status model_tree_alloc(const ph_ctx *ctx, model_tree *t, uint32_t n_nodes, ph_error *err);
void model_forest_free(const ph_ctx *ctx, model_forest *f);

/*
 * Check that tree t's children (each already inside the tree) make a tree
 * from node 0: no node is reached twice, so no cycle and no shared node.
 * Nodes never reached are allowed (XGBoost keeps deleted nodes). Sets
 * t->max_depth and returns 1; returns 0 with the node whose child was
 * reached twice in *parent and *side (0 left, 1 right); -1 out of memory.
 */
int model_tree_shape(const ph_ctx *ctx, model_tree *t, uint32_t *parent, int *side);

/* What a loader accepts at most (each refused with an error naming the
 * limit); the LightGBM loader's are model_lightgbm_limits, documented in
 * docs/tree_models.md. */
typedef struct model_limits {
    size_t file_bytes; /* the text */
    size_t trees;
    size_t features;
    uint32_t leaves;   /* per tree */
    uint32_t depth;    /* levels of splits in a tree */
    double margin;     /* the sum over the trees of each one's largest |leaf value| */
} model_limits;

extern const model_limits model_lightgbm_limits;

/* Loaders by format. `data` need not be NUL-terminated. */
ph_status model_load_xgboost(const ph_ctx *ctx, const char *data, size_t len,
                             const char *source, ph_model **out, ph_error *err);
ph_status model_load_lightgbm(const ph_ctx *ctx, const char *data, size_t len,
                              const char *source, ph_model **out, ph_error *err);

/* Forest scoring (src/model/forest_predict.c). The loaders call
 * model_forest_compile last, to lay the trees out for the batch scorer;
 * model_forest_free releases that layout with model_forest_compiled_free. */
ph_status model_forest_compile(const ph_ctx *ctx, ph_model *m, ph_error *err);
void model_forest_compiled_free(const ph_ctx *ctx, void *compiled);
ph_status model_forest_margin(const ph_model *m, const float *x, size_t rows, double *margin,
                              ph_error *err);
/* The same without allocating, for callers that must not fail half-way:
 * `workspace` holds model_forest_workspace_size(m) bytes (0 when the forest
 * is not compiled: use model_forest_margin then). */
size_t model_forest_workspace_size(const ph_model *m);
void model_forest_margin_ws(const ph_model *m, const float *x, size_t rows, double *margin,
                            void *workspace);

/* TreeSHAP (src/model/treeshap.c): one row of n_features floats into
 * out[n_features + 1]. `scratch` is from model_treeshap_scratch_size, sized
 * by the trees' max_depth (so the loaders must set it: model_tree_shape), and
 * 0 when a tree is deeper than MODEL_TREESHAP_MAX_DEPTH (the walk recurses
 * once per level and its scratch grows with the square of the depth). */
#define MODEL_TREESHAP_MAX_DEPTH 1024
size_t model_treeshap_scratch_size(const ph_model *m);
void model_treeshap_row(const ph_model *m, const float *x, double *out, void *scratch);

/* The probability of bad for a margin (log-odds): every tree scorer's last step. */
/* A scorecard's characteristic i, and how many it has (scorecard.h keeps
 * the scorecard opaque; its characteristics are one array). */
static inline const ph_sc_characteristic *model_sc_char(const ph_scorecard *sc, size_t i)
{
    return &ph_scorecard_characteristics(sc, NULL)[i];
}

static inline size_t model_sc_count(const ph_scorecard *sc)
{
    size_t n = 0;
    (void)ph_scorecard_characteristics(sc, &n);
    return n;
}

static inline double model_logistic(double margin) { return 1.0 / (1.0 + exp(-margin)); }

/* A tree model's probability of bad for a margin: the logistic, then the
 * model's calibration when it carries one. Every tree pd goes through it;
 * margins, contributions and reasons never do. */
static inline double model_forest_pd(const ph_model *m, double margin)
{
    double p = model_logistic(margin);
    return m->calibration ? ph_calibration_apply(m->calibration, p) : p;
}

/*
 * One row to score or explain: a row of a bound dataset (`in`, `row`), or
 * one double per model feature (`x`, NaN = missing) when `in` is NULL. The
 * scorecard matcher and the reasons read values only through it, so the
 * dataset path and the single-row path share every rule.
 */
typedef struct model_row {
    const ph_model *model;
    const ph_model_input *in; /* NULL: the row is x */
    size_t row;
    const double *x;
} model_row;

static inline model_row model_row_of_dataset(const ph_model_input *in, size_t row)
{
    model_row r = {in->model, in, row, NULL};
    return r;
}

static inline model_row model_row_of_vector(const ph_model *m, const double *x)
{
    model_row r = {m, NULL, 0, x};
    return r;
}

/* Scorecard scoring (src/model/scorecard_score.c), allocating nothing.
 * model_scorecard_row: the points of a row, and (each may be NULL) the
 * points and the index of the attribute of every characteristic; on error
 * nothing is written. model_scorecard_match: the attribute characteristic
 * i scores for the row. Errors: PH_EINVAL for a value no attribute covers,
 * naming the field, value and characteristic (and the data file's line for
 * a dataset row). */
/* A number as the shortest of %.15g / %.17g that reads back as the same
 * double (as ph_dataset_cell_text writes one); 32 bytes suffice. */
void model_number_text(double x, char *buf, size_t size);
ph_status model_scorecard_row(const model_row *r, double *points, double *partial,
                              size_t *attribute, ph_error *err);
ph_status model_scorecard_match(const model_row *r, size_t i, size_t *attribute,
                                ph_error *err);

/* Reasons (src/model/reasons.c) of a row: ph_model_reasons' contract,
 * arguments already checked. Scorecards allocate nothing; tree models
 * allocate their TreeSHAP scratch through the model's ctx. */
ph_status model_reasons(const model_row *r, size_t k, ph_reason *out, size_t *n,
                        ph_error *err);

#endif /* PH_MODEL_INTERNAL_H */
