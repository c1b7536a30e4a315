/*
 * puhui — scorecards: the data of one, training one, and PMML.
 *
 * A scorecard is a list of characteristics (one per input variable), each a
 * list of attributes: a predicate on the variable's value and the points it
 * scores. The score is the initial score plus, for each characteristic, the
 * points of the FIRST attribute whose predicate holds (PMML 4.4 Scorecard
 * semantics). A value that matches no attribute is an error, never 0 points.
 *
 * The struct below is transparent on purpose: it is the exchange format
 * between training (ph_scorecard_train), PMML (ph_scorecard_read_pmml,
 * ph_scorecard_write_pmml) and scoring (ph_model_from_scorecard in
 * puhui/model.h). All its memory belongs to the scorecard and is released by
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

typedef struct ph_scorecard {
    const ph_ctx *ctx;
    char *name;
    double initial_score;
    int use_reason_codes;
    ph_sc_reason_algorithm reason_algorithm;
    ph_sc_characteristic *characteristics;
    size_t n_characteristics;
    int has_scale;
    double base_points, base_odds, pdo;
    /* Training summary (0 / NULL when imported): rows, bads, the target
     * column's name, the intercept of the regression. */
    uint64_t train_rows, train_bads;
    char *target;
    double intercept;
} ph_scorecard;

/* An empty scorecard (no characteristics) owned by `ctx`. */
PH_EXTERN ph_status ph_scorecard_new(const ph_ctx *ctx, ph_scorecard **out, ph_error *err);
PH_EXTERN void ph_scorecard_free(ph_scorecard *sc);

/* A deep copy of `src` owned by `ctx`. */
PH_EXTERN ph_status ph_scorecard_copy(const ph_ctx *ctx, const ph_scorecard *src,
                                      ph_scorecard **out, ph_error *err);

/* The probability of default for `score` (needs has_scale; else NaN). */
PH_EXTERN double ph_scorecard_pd(const ph_scorecard *sc, double score);

/* ---- training --------------------------------------------------------- */

#define PH_SC_TRAIN_OPTIONS_VERSION 1

typedef enum ph_sc_direction {
    PH_SC_DIRECTION_AUTO = 0,       /* detected per variable */
    PH_SC_DIRECTION_INCREASING = 1, /* bad rate rises with the value */
    PH_SC_DIRECTION_DECREASING = 2
} ph_sc_direction;

typedef struct ph_sc_train_options {
    unsigned int version;          /* PH_SC_TRAIN_OPTIONS_VERSION */
    const char *target;            /* target column (required) */
    const char *bad_label;         /* see ph_dataset_binary_target; NULL: 1/bad/yes... */
    const char *const *exclude;    /* columns not to use (the id, leaks); NULL-terminated */
    const char *const *directions; /* "name=increasing|decreasing" overrides; NULL-terminated */
    const double *special_values;  /* numeric codes given their own bin (e.g. -999) */
    size_t n_special_values;
    size_t fine_bins;              /* fine classes before merging (20) */
    double min_bin_share;          /* smallest coarse bin, share of rows (0.05) */
    double min_iv;                 /* IV floor for selection (0.02) */
    double max_correlation;        /* |r| between WOE columns above this drops the weaker (0.7) */
    double max_vif;                /* drop while the largest VIF exceeds this (5) */
    double l2;                     /* ridge penalty on coefficients, not the intercept (1e-4 * rows... see docs) */
    size_t max_iterations;         /* IRLS iterations (50) */
    double tolerance;              /* convergence on the largest coefficient change (1e-8) */
    double base_points, base_odds, pdo; /* 600, 50, 20 */
    const char *name;              /* model name written to PMML ("scorecard") */
} ph_sc_train_options;

PH_EXTERN void ph_sc_train_options_init(ph_sc_train_options *opts);

/*
 * Train a scorecard on `ds`. On success *out is a scaled scorecard with
 * training statistics filled in. Errors name the column and what is wrong:
 * no usable variable, one class only in the target, no convergence.
 * `log` (may be NULL) receives the human-readable summary (bins, WOE, IV,
 * selection decisions, coefficients, fit statistics).
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

/* Write the human-readable summary of a scorecard (characteristics,
 * attributes, points, training statistics when present). */
PH_EXTERN ph_status ph_scorecard_write_summary(const ph_scorecard *sc, FILE *out,
                                               ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SCORECARD_H */
