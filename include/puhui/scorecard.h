/*
 * puhui — scorecards: the data of one, training one, and PMML.
 *
 * A scorecard is a list of characteristics (one per input variable), each a
 * list of attributes: a predicate on the variable's value and the points it
 * scores. The score is the initial score plus, for each characteristic, the
 * points of the FIRST attribute whose predicate holds (PMML 4.4 Scorecard
 * semantics). A value that matches no attribute is an error, never 0 points.
 *
 * A scorecard is opaque (its layout may change); it is made by training
 * (ph_scorecard_train) or read from PMML (ph_scorecard_read_pmml), written
 * as PMML (ph_scorecard_write_pmml), scored through ph_model_from_scorecard
 * (puhui/model.h) and read through the accessors below. Its characteristics
 * and attributes are plain structs it owns; all its memory is released by
 * ph_scorecard_free.
 *
 * Scale: with has_scale, the score maps to odds of good:bad as
 *     odds = base_odds * 2^((score - base_points) / pdo)
 * and the probability of default is PD = 1 / (1 + odds). Training sets it
 * from its options (defaults 600 points at 50:1, 20 points to double the
 * odds); a scorecard read from PMML has it when it carries puhui's
 * extension, and otherwise gives points only.
 */
#ifndef PUHUI_SCORECARD_H
#define PUHUI_SCORECARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "puhui/common.h"
#include "puhui/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ph_sc_match {
    PH_SC_ANY = 0,     /* <True/>: matches every value, missing included */
    PH_SC_MISSING = 1, /* isMissing */
    PH_SC_RANGE = 2,   /* numeric interval, see low/high */
    PH_SC_IN = 3       /* categorical: the value is one of `levels` */
} ph_sc_match;

typedef struct ph_sc_attribute {
    ph_sc_match match;
    /* PH_SC_RANGE: low < x (or <= with low_inclusive) and x < high (or <=);
     * -INFINITY / INFINITY for an open end. A missing value never matches. */
    double low, high;
    int low_inclusive, high_inclusive;
    /* PH_SC_IN: the texts that match; a missing value never matches. */
    char **levels;
    size_t n_levels;
    double partial_score;   /* points */
    char *reason_code;      /* NULL: the characteristic's */
    /* Training statistics; 0 for an imported scorecard. */
    uint64_t count, bads;
    double woe;
} ph_sc_attribute;

typedef struct ph_sc_characteristic {
    char *name;             /* characteristic name */
    char *field;            /* the input variable it reads */
    int categorical;        /* 1: the field is categorical (PH_SC_IN attributes) */
    char *reason_code;      /* may be NULL when every attribute has one */
    double baseline_score;  /* reference points for reason codes */
    ph_sc_attribute *attributes;
    size_t n_attributes;
    /* Training statistics; 0 for an imported scorecard. */
    double iv, coefficient;
} ph_sc_characteristic;

typedef enum ph_sc_reason_algorithm {
    PH_SC_POINTS_BELOW = 0, /* adverse = baseline - partial score (the default) */
    PH_SC_POINTS_ABOVE = 1  /* adverse = partial score - baseline */
} ph_sc_reason_algorithm;

/* A scorecard: opaque; read it through the accessors below. */
typedef struct ph_scorecard ph_scorecard;

/* An empty scorecard (no characteristics) owned by `ctx`. */
PH_EXTERN ph_status ph_scorecard_new(const ph_ctx *ctx, ph_scorecard **out, ph_error *err);
PH_EXTERN void ph_scorecard_free(ph_scorecard *sc);

/* A deep copy of `src` owned by `ctx`. */
PH_EXTERN ph_status ph_scorecard_copy(const ph_ctx *ctx, const ph_scorecard *src,
                                      ph_scorecard **out, ph_error *err);

/* The probability of default for `score` (needs has_scale; else NaN). */
PH_EXTERN double ph_scorecard_pd(const ph_scorecard *sc, double score);

/* ---- reading a scorecard (each O(1), none fails; sc must not be NULL) -- */

/* The model name ("scorecard" by default), as written to PMML. */
PH_EXTERN const char *ph_scorecard_name(const ph_scorecard *sc);
/* The points every case starts from. */
PH_EXTERN double ph_scorecard_initial_score(const ph_scorecard *sc);
/* The characteristics, in scoring order, as one array of *count elements
 * owned by the scorecard (NULL when there are none). */
PH_EXTERN const ph_sc_characteristic *ph_scorecard_characteristics(const ph_scorecard *sc,
                                                                   size_t *count);
/* 1 when reasons are given (PMML useReasonCodes), else 0. */
PH_EXTERN int ph_scorecard_uses_reason_codes(const ph_scorecard *sc);
/* How a characteristic's adverse points are measured from its baseline. */
PH_EXTERN ph_sc_reason_algorithm ph_scorecard_reason_algorithm(const ph_scorecard *sc);
/* 1 and the scale (each out may be NULL) when points map to odds, else 0
 * and the outs untouched. */
PH_EXTERN int ph_scorecard_scale(const ph_scorecard *sc, double *base_points, double *base_odds,
                                 double *pdo);
/* The training summary (0 / NULL for an imported scorecard): rows, bad
 * rows, the target column and the regression's intercept; each out may be
 * NULL. */
PH_EXTERN void ph_scorecard_training(const ph_scorecard *sc, uint64_t *rows, uint64_t *bads,
                                     const char **target, double *intercept);

/* ---- training --------------------------------------------------------- */

#define PH_SC_TRAIN_OPTIONS_VERSION 1

typedef enum ph_sc_direction {
    PH_SC_DIRECTION_AUTO = 0,       /* detected per variable */
    PH_SC_DIRECTION_INCREASING = 1, /* bad rate rises with the value */
    PH_SC_DIRECTION_DECREASING = 2
} ph_sc_direction;

/*
 * Training options. Call ph_sc_train_options_init first (it sets the
 * defaults in brackets), then set the target and what else you need.
 *
 * Training, step by step:
 *   1. Target: column `target` read by ph_dataset_binary_target(bad_label),
 *      1 = bad, 0 = good; both classes must be present. Every other column
 *      not in `exclude` is a candidate variable, numeric or categorical as
 *      the dataset says (choose kinds when reading, ph_dataset_options).
 *   2. Binning. Numeric: `fine_bins` classes at quantiles of the values
 *      that are neither missing nor special; adjacent classes merged until
 *      the bad rate is strictly monotone in the variable's direction
 *      (detected from the sign of the correlation of class rank and bad, or
 *      given in `directions`) unless `monotone` (or the variable's entry in
 *      `monotone_by_variable`) is off, then bins below `min_bin_share` of the rows
 *      merged into the neighbour with the closer bad rate. Missing values and
 *      each special value present have bins of their own. Categorical:
 *      levels sorted by bad rate, equal rates merged, small groups merged the
 *      same way.
 *   3. WOE = ln((goods + 0.5)/G / ((bads + 0.5)/B)) per bin (higher is
 *      safer), IV = sum (goods/G - bads/B) * WOE.
 *   4. Selection: a variable with one bin, or IV < min_iv, is dropped; of
 *      two WOE columns with |Pearson r| > max_correlation the lower-IV one;
 *      then, while the largest VIF > max_vif, that variable. With
 *      assess_dropped, each dropped variable (but one-bin ones) is then
 *      tried once in the final model: ph_scorecard_dropped says what it
 *      would have added to the (training) AUC, so a floor set too high shows.
 *   5. Logistic regression of GOOD on the WOE columns (IRLS with Cholesky),
 *      ridge penalty l2 * rows / 2 * |coef|^2 (not on the intercept). A
 *      variable that works the way its WOE says gets a positive coefficient;
 *      with drop_wrong_sign, a variable with a coefficient <= 0 (the weakest
 *      such by IV) is dropped and the rest refitted, until none is left.
 *   6. Scale: factor = pdo / ln 2, offset = base_points - factor *
 *      ln(base_odds). Score = offset + factor * ln(odds good:bad) =
 *      initial_score + sum of partial scores, with initial_score = offset +
 *      factor * intercept and partial score = factor * coefficient * WOE of
 *      the bin. Higher is safer; ph_scorecard_pd inverts it exactly (unless
 *      round_points rounds the points).
 *
 * Attributes of a numeric characteristic, in order (the first match wins):
 * each special value present as a RANGE [v, v]; the ranges [low, high)
 * from -INFINITY to INFINITY (no gap); MISSING. Of a categorical one: an IN
 * per group of levels; MISSING; ANY (a level not seen in training). A
 * MISSING or ANY attribute that no training row reached scores the points of
 * the variable's riskiest bin: a firm without data must not look safe.
 * Characteristics are named after their field, which is also their reason
 * code (stable across retraining); baseline_score is the characteristic's
 * highest points, with reasons "points below" that baseline.
 */
typedef struct ph_sc_train_options {
    unsigned int version;          /* PH_SC_TRAIN_OPTIONS_VERSION */
    const char *target;            /* target column (required) */
    const char *bad_label;         /* see ph_dataset_binary_target; NULL: 1/bad/yes... */
    const char *const *exclude;    /* columns not to use (the id, leaks); NULL-terminated;
                                      each must exist */
    const char *const *directions; /* "name=increasing|decreasing" for numeric columns;
                                      NULL-terminated */
    const double *special_values;  /* numeric codes given their own bin (e.g. -999); <= 64 */
    size_t n_special_values;
    size_t fine_bins;              /* fine classes before merging, 2..1000 (20) */
    double min_bin_share;          /* smallest coarse bin, share of rows, 0..0.5 (0.05) */
    double min_iv;                 /* IV floor for selection (0.02) */
    double max_correlation;        /* |r| between WOE columns above this drops the weaker,
                                      (0, 1] (0.7) */
    double max_vif;                /* drop while the largest VIF exceeds this, > 1 (5) */
    double l2;                     /* ridge penalty per training row (1e-4): the penalty
                                      is l2 * rows / 2 * |coef|^2 */
    size_t max_iterations;         /* IRLS iterations, 1..10000 (50) */
    double tolerance;              /* convergence: largest coefficient change (1e-8) */
    double base_points, base_odds, pdo; /* 600 points at odds 50:1, 20 to double (600, 50, 20) */
    const char *name;              /* model name written to PMML ("scorecard") */
    int drop_wrong_sign;           /* 1: drop variables with a coefficient <= 0 and refit (1) */
    int round_points;              /* 1: round partial and initial scores to whole points
                                      (0: exact doubles, the PD is then exact) */
    int monotone;                  /* 1: merge numeric fine classes until the bad rate is
                                      monotone (step 2); 0: keep the quantile classes, only
                                      small bins merged (1) */
    const char *const *monotone_by_variable; /* "name=on|off" for numeric columns, over
                                      `monotone`; NULL-terminated */
    int assess_dropped;            /* 1: refit once per dropped variable (all but one-bin
                                      drops) with it added, for ph_scorecard_dropped (1) */
    /* Called on the calling thread as the work advances (may be NULL):
     * steps_done of steps_total, where the steps are the candidates' binning
     * (one each), then the fit and each dropped variable's trial fit. */
    void (*progress)(void *user, uint64_t steps_done, uint64_t steps_total);
    void *progress_user;
} ph_sc_train_options;

/* Why training left a candidate variable out. */
typedef enum ph_sc_drop_reason {
    PH_SC_DROP_ONE_BIN = 1,     /* a single bin after binning: no information */
    PH_SC_DROP_IV = 2,          /* IV below min_iv */
    PH_SC_DROP_CORRELATION = 3, /* |r| above max_correlation with a stronger variable */
    PH_SC_DROP_VIF = 4,         /* VIF above max_vif */
    PH_SC_DROP_SIGN = 5         /* coefficient against its WOE (drop_wrong_sign) */
} ph_sc_drop_reason;

/* A candidate variable training left out, and what it would have added. */
typedef struct ph_sc_dropped {
    char *field;                /* the column */
    ph_sc_drop_reason reason;
    char *why;                  /* the decision in words, as in the training log */
    double iv;                  /* of its bins as binned */
    /* With assess_dropped, from one refit of the final model with this
     * variable added (binning and selection unchanged): the training AUC
     * with it minus the model's, and its coefficient there (<= 0: against
     * its WOE). NaN when not assessed (a one-bin drop, or assess_dropped 0).
     * The AUC is measured on the training rows: there is no validation split,
     * so a small gain is an upper bound on what it adds out of sample. */
    double auc_gain, trial_coefficient;
} ph_sc_dropped;

/* The word for a drop reason: "one_bin", "iv", "correlation", "vif", "sign"
 * ("?" for anything else). */
PH_EXTERN const char *ph_sc_drop_reason_name(ph_sc_drop_reason reason);

/* The variables training dropped, in dataset order, as one array of *count
 * elements owned by the scorecard (NULL and 0 for an imported scorecard or
 * when none was dropped; not carried by PMML). O(1). */
PH_EXTERN const ph_sc_dropped *ph_scorecard_dropped(const ph_scorecard *sc, size_t *count);

/* The final model's training AUC and KS (each out may be NULL); 0 and the
 * outs untouched for an imported scorecard. O(1). */
PH_EXTERN int ph_scorecard_training_fit(const ph_scorecard *sc, double *auc, double *ks);

/* Set every option to its default (target NULL: the caller must set it). */
PH_EXTERN void ph_sc_train_options_init(ph_sc_train_options *opts);

/*
 * Train a scorecard on `ds` (see the steps above). On success *out is a
 * scaled scorecard (has_scale) with training statistics filled in: per
 * attribute count, bads and WOE; per characteristic IV and coefficient;
 * train_rows, train_bads, target and intercept.
 *
 * Errors, each naming the option or column and the value:
 *   PH_EMISUSE  NULL ctx, ds, opts or out; opts->version unknown
 *   PH_EINVAL   an option out of range (named); no rows; one class only in
 *               the target (with the counts); a bad target value (line);
 *               a malformed direction or monotone_by_variable entry (named:
 *               NAME=on|off, a numeric candidate); no variable reaching the IV floor
 *               (names the floor and the best variable's IV); the fit not
 *               converging within max_iterations (names the count) or a
 *               singular Hessian (collinear or separating WOE columns)
 *   PH_ENOTFOUND  the target, an excluded, a directed or a monotone_by_variable
 *               column not in ds
 *   PH_ENOMEM
 * `log` (may be NULL) receives the human-readable training log: every
 * variable's bins and IV, each selection decision and why (with the AUC a
 * dropped variable would have added), the
 * coefficients, iterations, training AUC and KS, then the scorecard's
 * summary (ph_scorecard_write_summary).
 *
 * Cost: one sort per numeric column, a few passes over rows x variables,
 * and with assess_dropped a short fit per dropped variable (warm-started;
 * about 0.17 CPU s each at 300,000 rows). One thread: 300,000 rows x 16
 * variables take 0.7 CPU s, 1.7 with the trials of its six dropped variables
 * (bench/bench_scorecard_train.c).
 */
PH_EXTERN ph_status ph_scorecard_train(const ph_ctx *ctx, const ph_dataset *ds,
                                       const ph_sc_train_options *opts, ph_scorecard **out,
                                       FILE *log, ph_error *err);

/* ---- PMML 4.4 ----------------------------------------------------------- */

/*
 * Write `sc` as a PMML 4.4 document with a Scorecard model (docs/pmml.md).
 * The bytes depend only on `sc` (no timestamp; numbers in their shortest
 * round-trip form), so identical scorecards give identical files. Any PMML
 * consumer gets the score, three reason codes and, with has_scale, the PD
 * (an Output expression); the scale and training statistics also sit in
 * puhui <Extension>s. Everything is checked before anything is written:
 * PH_EINVAL (naming the characteristic) for a scorecard PMML cannot hold:
 * no characteristics, one without field or attributes, an empty range, a
 * range on a categorical characteristic or levels on a numeric one, a
 * missing reason code while use_reason_codes, text XML cannot carry.
 * PH_EIO when the stream fails.
 */
PH_EXTERN ph_status ph_scorecard_write_pmml(const ph_scorecard *sc, FILE *out, ph_error *err);

/*
 * Read a PMML 4.x Scorecard from memory (any producer's; docs/pmml.md lists
 * what is understood). `source` (may be NULL) names the document in errors.
 * On success *out is a new scorecard owned by `ctx`; has_scale is set only
 * when the document carries puhui's scale extension. A predicate that is
 * more than one interval or level set (an "or", notEqual, isNotIn) becomes
 * consecutive attributes with the same points, which scores the same.
 * Writing then reading gives back an equal scorecard, except that an
 * infinite end of a range always reads back as exclusive.
 * Errors (PH_EINVAL, message "SOURCE:LINE: ..." naming the element):
 * malformed XML (with its column), a DOCTYPE (refused: no entity is ever
 * expanded or fetched), not PMML 4.x, a model other than a Scorecard, a
 * field not in the DataDictionary, a missing partialScore or reasonCode, an
 * unsupported predicate, and an attribute gap: for a numeric characteristic
 * the first interval no attribute covers, "Characteristic 'age': no
 * attribute covers values in [25, 30)" (for an integer field only whole
 * numbers must be covered). PH_ERANGE for a document over 2 GiB.
 */
PH_EXTERN ph_status ph_scorecard_read_pmml(const ph_ctx *ctx, const char *data, size_t len,
                                           const char *source, ph_scorecard **out,
                                           ph_error *err);

/*
 * Write the human-readable summary of a scorecard: name, scale and initial
 * score; per characteristic its IV, coefficient, baseline and reason code,
 * then one line per attribute with the training count, bad rate and WOE
 * (when the scorecard was trained here), the points and the predicate in
 * words ("[12, 24)", "= -999", "missing", "in {a, b}", "any other value").
 * Errors: PH_EMISUSE for NULL arguments, PH_EIO when writing fails.
 */
PH_EXTERN ph_status ph_scorecard_write_summary(const ph_scorecard *sc, FILE *out,
                                               ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SCORECARD_H */
