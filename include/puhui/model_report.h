/*
 * puhui — the regulator's model report: a model's discrimination,
 * calibration, stability and fairness on a data set, as text or JSON
 * (docs/governance.md; every decision model is reviewed for transparency,
 * stability and non-discrimination, docs/domain.md#supervision). The
 * metrics it is made of are in metrics.h.
 */
#ifndef PUHUI_MODEL_REPORT_H
#define PUHUI_MODEL_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "puhui/common.h"
#include "puhui/dataset.h"
#include "puhui/metrics.h"
#include "puhui/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the model report ---------------------------------------------------- */

/* The default approval rate from which the cut-off is derived. */
#define PH_REPORT_DEFAULT_APPROVAL 0.70

typedef struct ph_report_options {
    const char *target;            /* the target column (required) */
    const char *bad_label;         /* see ph_dataset_binary_target; NULL: 1/bad/yes... */
    const char *const *segments;   /* fairness columns, NULL-terminated; NULL: none */
    const ph_dataset *baseline;    /* the development sample, for PSI and CSI; NULL: none */
    /* The cut-off for approval rates: a PD in (0, 1] approves PD <= cutoff.
     * 0 (the zero value): derived from approval_rate, the PD at which that
     * share of the sample is approved (ph_metric_cutoff_for_approval), so
     * that the fairness tables compare segments at a realistic policy. */
    double cutoff;
    double approval_rate;          /* in (0, 1]; 0: PH_REPORT_DEFAULT_APPROVAL */
} ph_report_options;

/* CSI of one model feature. */
typedef struct ph_report_csi {
    char *feature;
    /* "attribute points": a scorecard characteristic, binned by the points
     * each row scored (rows with equal partial points matched the same
     * attribute, or attributes worth the same, which then count as one bin);
     * "deciles": a tree model's feature, binned by the baseline's deciles and
     * a missing bin, as ph_metric_psi. */
    const char *basis;
    size_t bins;
    double csi;
} ph_report_csi;

/* One segment value in a fairness table. */
typedef struct ph_report_segment {
    char *value; /* the text of the value; "(missing)" for missing */
    ph_fairness_group stats;
} ph_report_segment;

typedef struct ph_report_fairness {
    char *column;
    size_t n_segments;
    ph_report_segment *segments; /* in order of value: numbers numerically, texts as read */
    size_t flagged;              /* segments with a flag */
} ph_report_fairness;

/*
 * A model report. Read-only for callers; every field belongs to the report
 * and is released by ph_model_report_free.
 */
typedef struct ph_model_report {
    const ph_ctx *ctx;
    char *model;         /* ph_model_source */
    char *model_kind;    /* "scorecard", "xgboost", "lightgbm" */
    char *data;          /* the scored sample's source */
    char *target;
    ph_binary_metrics metrics;
    double cutoff;               /* used for approval rates */
    int cutoff_derived;          /* 1: derived from cutoff_approval_rate */
    double cutoff_approval_rate; /* the rate asked for when derived, else 0 */
    double approval_rate;        /* realised on the sample at the cut-off */
    ph_calibration_bin deciles[PH_DECILES];
    /* Stability against the baseline (has_baseline 0: no baseline given). */
    int has_baseline;
    char *baseline;      /* the baseline's source */
    size_t baseline_rows;
    ph_psi psi;          /* PSI of the PD */
    size_t n_csi;
    ph_report_csi *csi;  /* one per model feature, in the model's order */
    size_t n_fairness;
    ph_report_fairness *fairness; /* one per segment column, in the order given */
} ph_model_report;

/*
 * The inputs of a report as arrays, for a report on scores computed
 * elsewhere (and what ph_model_report_run builds from a model and datasets).
 * Segment codes are 0..n_values-1 into `values`; CSI inputs are per feature.
 */
typedef struct ph_report_segment_input {
    const char *column;
    const uint32_t *codes;      /* rows entries */
    const char *const *values;  /* n_values texts */
    size_t n_values;
} ph_report_segment_input;

typedef struct ph_report_csi_input {
    const char *feature;
    int discrete;               /* 1: ph_metric_csi_discrete ("attribute points");
                                 * 0: ph_metric_psi bins ("deciles") */
    const double *baseline;     /* baseline_rows entries */
    const double *current;      /* rows entries */
} ph_report_csi_input;

typedef struct ph_report_scores {
    const char *model, *model_kind, *data, *target; /* names for the report */
    size_t rows;
    const double *pd;           /* rows entries */
    const uint8_t *bad;         /* rows entries */
    const ph_report_segment_input *segments;
    size_t n_segments;
    /* Stability: baseline_pd NULL for none. */
    const char *baseline;
    size_t baseline_rows;
    const double *baseline_pd;
    const ph_report_csi_input *csi;
    size_t n_csi;
} ph_report_scores;

/*
 * Assemble a report from arrays. opts->cutoff and opts->approval_rate apply;
 * the other options are the dataset path's (ignored here). Errors: those of
 * the metrics (a NaN PD, one class, an empty sample) and PH_EINVAL for a
 * cut-off or approval rate out of range.
 */
PH_EXTERN ph_status ph_model_report_from_scores(const ph_ctx *ctx, const ph_report_scores *in,
                                                const ph_report_options *opts,
                                                ph_model_report **out, ph_error *err);

/*
 * Score `ds` with `model` (ph_model_bind and ph_model_predict), read the
 * target and the segment columns, score the baseline when given, and
 * assemble the report. CSI: for a scorecard, each characteristic's points
 * per row from ph_model_contributions (so it bins by attribute points); for
 * a tree model, each feature's values in decile bins of the baseline plus a
 * missing bin. Segment columns may be numeric (each distinct number a
 * segment) or categorical; a missing value is the segment "(missing)".
 * Errors: PH_ENOTFOUND for a target or segment column the data lacks (or a
 * model feature: ph_model_bind's error); the target's errors
 * (ph_dataset_binary_target); scoring errors; the metrics' errors.
 */
PH_EXTERN ph_status ph_model_report_run(const ph_model *model, const ph_dataset *ds,
                                        const ph_report_options *opts,
                                        ph_model_report **out, ph_error *err);

/*
 * The same report of PDs read from a numeric column of `ds` rather than a
 * model's: a bureau's PD, or the synthetic province's true PD (the ceiling
 * any model can reach, docs/province.md). Stability is the PSI of the same
 * column in opts->baseline (no CSI: there are no features). Errors: as
 * ph_model_report_run's, and PH_ENOTFOUND / PH_EINVAL for a column that is
 * absent, text, missing on a row or outside [0, 1] (naming the line).
 */
PH_EXTERN ph_status ph_model_report_column(const ph_dataset *ds, const char *column,
                                           const ph_report_options *opts,
                                           ph_model_report **out, ph_error *err);

/* The report as text: aligned tables a reviewer can read, AUC, KS, Gini and
 * Brier with 4 decimals. PH_EIO when writing fails. */
PH_EXTERN ph_status ph_model_report_write_text(const ph_model_report *report, FILE *out,
                                               ph_error *err);

/* The report as one JSON document (docs/governance.md lists its keys).
 * Non-finite numbers (an undefined AUC) are written as null. */
PH_EXTERN ph_status ph_model_report_write_json(const ph_model_report *report, FILE *out,
                                               ph_error *err);

/* The registration metrics of a report as a JSON object text
 * {"auc":..,"ks":..,"gini":..,"brier":..,"psi":..|null,"rows":..,"bad_rate":..},
 * allocated with the report's context (free with ph_free). */
PH_EXTERN ph_status ph_model_report_metrics_json(const ph_model_report *report, char **out,
                                                 ph_error *err);

PH_EXTERN void ph_model_report_free(ph_model_report *report);

/* ---- champion and challenger ---------------------------------------------- */

/*
 * Governance side by side: a champion (the model in use) and a challenger
 * scored on the same rows of the same out-of-time sample, each binding its
 * own features from the one dataset (docs/governance.md#champion-and-challenger).
 * Promoting the challenger still goes through the registry's approval gate
 * (registry.h); the comparison only informs that decision.
 */

/* The approval rates of the swap sets when none are given. */
#define PH_SWAP_DEFAULT_RATES {0.50, 0.70, 0.90}
#define PH_SWAP_DEFAULT_RATE_COUNT 3

/* The four cells of a swap set, in this order. */
typedef enum ph_swap_cell_kind {
    PH_SWAP_BOTH_APPROVE,
    PH_SWAP_CHAMPION_ONLY,   /* the champion approves, the challenger declines */
    PH_SWAP_CHALLENGER_ONLY, /* the challenger approves, the champion declines */
    PH_SWAP_BOTH_DECLINE,
    PH_SWAP_CELLS
} ph_swap_cell_kind;

typedef struct ph_swap_cell {
    size_t count, bads;
    double bad_rate; /* bads / count; NaN for an empty cell */
} ph_swap_cell;

/*
 * One swap set: at an approval rate each model approves its best share of
 * the rows, k = ceil(rate * n), by the cut-off of its k-th lowest PD (rows of
 * equal PD go together, so the table does not depend on row order), and the
 * rows fall in the 2x2 table of who approves them.
 */
typedef struct ph_swap_set {
    double approval_rate;       /* as asked */
    size_t approved;            /* k: the rows the rate asks for */
    /* Each model approves the rows with PD <= the PD of its k-th best row
     * (its cut-off): rows of equal PD go together, so a model approves k
     * rows, or a few more when PDs tie at its cut-off. */
    double champion_cutoff, challenger_cutoff;
    size_t champion_approved, challenger_approved;
    ph_swap_cell cells[PH_SWAP_CELLS];
    double champion_bad_rate;   /* among the champion's approved */
    double challenger_bad_rate; /* among the challenger's approved */
} ph_swap_set;

/* "both approve", "champion only", "challenger only", "both decline";
 * NULL out of range. */
PH_EXTERN const char *ph_swap_cell_name(ph_swap_cell_kind kind);

/*
 * The swap sets of two models' PDs on the same n rows, one per rate (each
 * in (0, 1]) into out[0..n_rates-1]. Cost: two sorts, O(n log n + n *
 * n_rates) time, about 4n words of scratch through ctx.
 * Errors: PH_EMISUSE for a NULL argument; PH_EINVAL for n = 0, no rates, a
 * rate outside (0, 1] (field "approval_rate"), a NaN PD or an outcome other
 * than 0/1; PH_ERANGE for a PD outside [0, 1] (both naming the index);
 * PH_ENOMEM.
 */
PH_EXTERN ph_status ph_swap_sets(const ph_ctx *ctx, const double *champion_pd,
                                 const double *challenger_pd, const uint8_t *bad, size_t n,
                                 const double *rates, size_t n_rates, ph_swap_set *out,
                                 ph_error *err);

/* Two AUCs on the same rows and the DeLong standard error of their
 * difference (DeLong, DeLong and Clarke-Pearson 1988), which counts the
 * correlation of two models scored on the same cases. */
typedef struct ph_auc_comparison {
    double champion, challenger; /* as ph_metric_auc */
    double difference;           /* challenger - champion */
    double se;                   /* NaN with fewer than 2 bads or 2 goods */
    double z;                    /* difference / se; NaN when se is 0 or NaN */
    double p_value;              /* two-sided, normal approximation; NaN with z */
} ph_auc_comparison;

/* Cost: six sorts, O(n log n), about 7n words of scratch through ctx.
 * Errors: those of ph_metric_auc (one class, empty, NaN or out-of-range PD). */
PH_EXTERN ph_status ph_metric_auc_delong(const ph_ctx *ctx, const double *champion_pd,
                                         const double *challenger_pd, const uint8_t *bad,
                                         size_t n, ph_auc_comparison *out, ph_error *err);

/* A comparison. Read-only for callers; released by ph_model_comparison_free. */
typedef struct ph_model_comparison {
    const ph_ctx *ctx;
    ph_model_report *champion, *challenger; /* each a full report on the same rows */
    ph_auc_comparison auc;
    size_t n_swaps;
    ph_swap_set *swaps;
} ph_model_comparison;

/*
 * Score `ds` with both models and build both reports (opts applies to each:
 * target, segments, baseline, and the cut-off rule, so that with a derived
 * cut-off each model is judged at its own PD for the same approval rate),
 * the AUC difference and the swap sets at `rates` (NULL: the defaults,
 * PH_SWAP_DEFAULT_RATES). Cost: each model's ph_model_report_run, plus
 * ph_metric_auc_delong and ph_swap_sets.
 * Errors: those of ph_model_report_run (naming which model failed to bind:
 * a feature the data lacks) and of ph_swap_sets.
 */
PH_EXTERN ph_status ph_model_compare_run(const ph_model *champion, const ph_model *challenger,
                                         const ph_dataset *ds, const ph_report_options *opts,
                                         const double *rates, size_t n_rates,
                                         ph_model_comparison **out, ph_error *err);

/* Side by side as text: the metrics with their difference, calibration by
 * decile and fairness for both, the swap sets, and how to promote the
 * challenger through the registry. PH_EIO when writing fails. */
PH_EXTERN ph_status ph_model_comparison_write_text(const ph_model_comparison *c, FILE *out,
                                                   ph_error *err);

/* As one JSON document (docs/governance.md lists its keys). */
PH_EXTERN ph_status ph_model_comparison_write_json(const ph_model_comparison *c, FILE *out,
                                                   ph_error *err);

PH_EXTERN void ph_model_comparison_free(ph_model_comparison *c);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_MODEL_REPORT_H */
