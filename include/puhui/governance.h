/*
 * puhui — model governance: performance and stability metrics, the
 * regulator's model report, and the model registry with its approval state
 * (brief §10: every decision model is registered and reviewed for
 * transparency, stability and non-discrimination; Hunan sets AUC >= 0.85 for
 * scenario models).
 *
 * Conventions of the metrics (docs/governance.md has the formulas):
 *   - pd[i] is the predicted probability that case i is BAD, in [0, 1];
 *     bad[i] is the observed outcome, 1 = bad, 0 = good.
 *   - A NaN PD is an error naming its index ("pd[3]"); so is a PD outside
 *     [0, 1] (PH_ERANGE) and an outcome other than 0 or 1.
 *   - An empty input is PH_EINVAL (field "n"). AUC, Gini and KS need both
 *     classes: a target with one class is PH_EINVAL naming the metric
 *     ("AUC is undefined when every case is good").
 *   - Functions that sort allocate scratch memory through `ctx`, and take
 *     O(n log n) time; the others allocate nothing.
 */
#ifndef PUHUI_GOVERNANCE_H
#define PUHUI_GOVERNANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "puhui/common.h"
#include "puhui/dataset.h"
#include "puhui/model.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- metrics of a binary classifier ----------------------------------- */

/*
 * AUC: the probability that a random bad case has a higher PD than a random
 * good one, ties counting one half (the Mann-Whitney statistic, as
 * scikit-learn's roc_auc_score). 0.5 is chance, 1 perfect.
 */
PH_EXTERN ph_status ph_metric_auc(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                                  size_t n, double *auc, ph_error *err);

/*
 * KS: the largest gap between the cumulative distributions of PD among
 * goods and among bads, max over cut-offs t of |F_good(t) - F_bad(t)| where
 * F(t) is the share with PD <= t (equivalently max |TPR - FPR| over the ROC
 * curve's thresholds). Tied PDs are one cut-off: a tie block is never split.
 * *at (may be NULL) receives the smallest cut-off t that reaches the maximum.
 */
PH_EXTERN ph_status ph_metric_ks(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                                 size_t n, double *ks, double *at, ph_error *err);

/* Brier score: the mean of (pd - bad)^2; 0 is perfect. Needs no sort and
 * accepts a target with one class. */
PH_EXTERN ph_status ph_metric_brier(const double *pd, const uint8_t *bad, size_t n,
                                    double *brier, ph_error *err);

/* The headline numbers of a binary classifier on one sample. */
typedef struct ph_binary_metrics {
    size_t n, bads;
    double bad_rate; /* bads / n */
    double auc;
    double gini;     /* 2 * auc - 1 (the accuracy ratio) */
    double ks;
    double ks_at;    /* the cut-off where KS is reached */
    double brier;
} ph_binary_metrics;

/* All of ph_binary_metrics with one sort. Same errors as ph_metric_auc. */
PH_EXTERN ph_status ph_metric_binary(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                                     size_t n, ph_binary_metrics *out, ph_error *err);

/* ---- calibration by decile ---------------------------------------------- */

#define PH_DECILES 10

/* One group of the calibration table. Empty groups have count 0 and NaN
 * means and rates. */
typedef struct ph_calibration_bin {
    size_t count, bads;
    double pd_min, pd_max; /* the PDs of the group */
    double mean_pd;        /* mean predicted PD */
    double bad_rate;       /* observed: bads / count */
} ph_calibration_bin;

/*
 * Calibration: rows sorted by PD ascending (group 1 holds the lowest PDs)
 * and cut into PH_DECILES groups by rank: the tie block of equal PDs whose
 * first sorted position is p (0-based) goes wholly to group
 * floor(PH_DECILES * p / n). Without ties each group has n/10 rows (sizes
 * differing by at most one); equal PDs never straddle two groups, so the
 * table does not depend on the order of the rows, and groups can be empty
 * (a scorecard with few distinct scores, or n < 10). A target with one
 * class is fine here.
 */
PH_EXTERN ph_status ph_metric_calibration(const ph_ctx *ctx, const double *pd,
                                          const uint8_t *bad, size_t n,
                                          ph_calibration_bin out[PH_DECILES], ph_error *err);

/*
 * The PD cut-off that approves `approval_rate` (in (0, 1]) of the sample
 * when a case is approved when PD <= cut-off: the k-th smallest PD with
 * k = ceil(approval_rate * n). Tied PDs are approved together, so the
 * realised rate can exceed the one asked for.
 */
PH_EXTERN ph_status ph_metric_cutoff_for_approval(const ph_ctx *ctx, const double *pd, size_t n,
                                                  double approval_rate, double *cutoff,
                                                  ph_error *err);

/* ---- stability: PSI and CSI ------------------------------------------- */

/*
 * The share used for a bin that holds no case in one of the samples: the
 * logarithm in the PSI is undefined at 0, so an empty bin's share is raised
 * to this floor (a common convention; it caps one empty bin's contribution
 * at about share * ln(share / 0.0001)).
 */
#define PH_PSI_EPSILON 1e-4

/* The ten decile bins of a baseline and one bin for missing values. */
#define PH_PSI_MAX_BINS (PH_DECILES + 1)

typedef struct ph_psi_bin {
    /* Values v with lower < v <= upper fall in the bin; the first bin has
     * lower -INFINITY, the last upper +INFINITY. The missing bin (NaN
     * values) has both NaN and comes last. */
    double lower, upper;
    size_t base_count, cur_count;
    double base_share, cur_share; /* count / sample size, before the floor */
    double contribution;          /* (cur - base) * ln(cur / base), floored shares */
} ph_psi_bin;

typedef struct ph_psi {
    double psi; /* the sum of the contributions */
    size_t n_bins;
    ph_psi_bin bins[PH_PSI_MAX_BINS];
} ph_psi;

/*
 * PSI = sum over bins of (c_i - b_i) * ln(c_i / b_i), b_i and c_i the
 * baseline's and the current sample's shares of bin i (floored at
 * PH_PSI_EPSILON). Bins come from the baseline's deciles: edge k (k = 1..9)
 * is the ceil(k * m / 10)-th smallest of the baseline's m non-missing
 * values; repeated edges are merged, so a variable with few distinct values
 * has fewer bins. NaN values of either sample go to a missing bin, added
 * when either sample has one. Reading: < 0.1 stable, 0.1-0.25 watch, > 0.25
 * shifted.
 * Errors: PH_EINVAL when a sample is empty or the baseline has no
 * non-missing value.
 */
PH_EXTERN ph_status ph_metric_psi(const ph_ctx *ctx, const double *baseline, size_t n_baseline,
                                  const double *current, size_t n_current, ph_psi *out,
                                  ph_error *err);

/* The PSI formula on counts per bin (k bins; both totals must be > 0). */
PH_EXTERN ph_status ph_metric_psi_counts(const size_t *baseline, const size_t *current,
                                         size_t k, double *psi, ph_error *err);

/*
 * CSI of a characteristic whose values ARE its bins (a scorecard's
 * attribute points, a category code): each distinct value of either sample
 * is one bin (NaN one more), and the PSI formula applies. *bins (may be
 * NULL) receives how many there were.
 */
PH_EXTERN ph_status ph_metric_csi_discrete(const ph_ctx *ctx, const double *baseline,
                                           size_t n_baseline, const double *current,
                                           size_t n_current, double *csi, size_t *bins,
                                           ph_error *err);

/* ---- fairness by segment ---------------------------------------------- */

/*
 * The four-fifths rule, as a SCREENING signal: a segment whose approval rate
 * (or AUC) is below 0.8 times the best segment's is flagged for review. A
 * flag is not a finding of discrimination (segments differ in risk for
 * legitimate reasons, and small segments are noisy); it says where a
 * reviewer should look.
 */
#define PH_FOUR_FIFTHS 0.8

typedef struct ph_fairness_group {
    size_t count, bads, approved;
    double bad_rate;        /* bads / count */
    double approval_rate;   /* share with PD <= cut-off */
    double auc;             /* NaN unless the group has both classes */
    double approval_ratio;  /* approval_rate / the largest group approval rate */
    double auc_ratio;       /* auc / the largest group AUC */
    int approval_flag;      /* approval_ratio < PH_FOUR_FIFTHS */
    int auc_flag;           /* auc_ratio < PH_FOUR_FIFTHS */
} ph_fairness_group;

/*
 * Fairness of a model across the segments of one variable (region,
 * industry, owner gender...). group[i] is row i's segment, 0..n_groups-1;
 * out has n_groups entries. A case is approved when pd <= cutoff. An empty
 * group has count 0, NaN rates and ratios and no flags; a ratio is NaN when
 * the largest rate (or AUC) is 0 or undefined, and then nothing is flagged.
 * Errors: as ph_metric_brier for pd and bad; PH_EINVAL for a group code out
 * of range (naming its index) or a cut-off outside [0, 1].
 */
PH_EXTERN ph_status ph_metric_fairness(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                                       const uint32_t *group, size_t n, size_t n_groups,
                                       double cutoff, ph_fairness_group *out, ph_error *err);

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

/* ---- the model registry -------------------------------------------------- */

/*
 * Every model used for decisions is registered: its exact bytes, their
 * BLAKE2b-256 checksum, its features, a summary of the data it was trained
 * on and its metrics at registration. A registered model starts as a draft;
 * a reviewer approves or rejects it; an approved model is retired when it is
 * replaced. Every transition is an event (who, when, why) in an append-only
 * table. Only an approved model can be loaded for decisions
 * (ph_registry_load_approved), and only if its bytes still hash to the
 * recorded checksum.
 *
 * Needs a store at schema version 6 or later (PH_ESCHEMA otherwise: run
 * `puhui init`); functions run their own transaction, so none may be open.
 * Timestamps are UTC ISO 8601 to the second.
 */
typedef enum ph_model_state {
    PH_MODEL_DRAFT = 0,
    PH_MODEL_APPROVED = 1,
    PH_MODEL_REJECTED = 2,
    PH_MODEL_RETIRED = 3
} ph_model_state;

/* "draft", "approved", "rejected", "retired"; NULL for anything else. */
PH_EXTERN const char *ph_model_state_name(ph_model_state state);
/* Parse a state name (exact, lower case). PH_EINVAL naming the four. */
PH_EXTERN ph_status ph_model_state_parse(const char *name, ph_model_state *out, ph_error *err);

#define PH_REGISTRY_CHECKSUM_HEX PH_CHECKSUM_HEX /* 64 hex digits and the NUL */

/* A registered model as read back. Strings are NUL-terminated; JSON fields
 * are JSON texts (training and metrics NULL when not given). */
typedef struct ph_registry_entry {
    const ph_ctx *ctx;        /* the store's: the entry's memory is from it */
    int64_t id;
    const char *name;
    int64_t version;
    ph_model_kind kind;
    char checksum[PH_REGISTRY_CHECKSUM_HEX];
    size_t size;              /* bytes of the model file */
    const char *file;         /* the file name it was registered from */
    const char *features;     /* JSON array of the feature names */
    const char *training;     /* JSON object or NULL */
    const char *metrics;      /* JSON object or NULL */
    ph_model_state state;
    const char *registered_at;
    const char *state_at;     /* the last transition's time (registered_at for a draft) */
    const char *state_by;     /* its actor, "" for a draft */
    const char *state_note;   /* its note, "" for a draft */
} ph_registry_entry;

/* What to register. */
typedef struct ph_registry_spec {
    const char *path;          /* the model file (required) */
    const char *name;          /* the model's name (required): letters, digits, . _ - */
    int64_t version;           /* 0: one more than the name's latest version */
    /* The training sample, for the summary (NULL: none). Its source file is
     * hashed when it is a readable file; target (and bad_label) give the bad
     * rate. */
    const ph_dataset *training;
    const char *target;
    const char *bad_label;
    const char *metrics_json;  /* a JSON object (e.g. ph_model_report_metrics_json), or NULL */
} ph_registry_spec;

/*
 * Register a model file as a draft. The file is read once; those bytes are
 * loaded (ph_model_load_memory: the kind and features come from the model
 * itself, and a file that does not load is refused), hashed and stored.
 * *out (may be NULL) receives the entry; free it with ph_registry_entry_free.
 * Errors: PH_EIO (the file); the loader's errors; PH_EINVAL for a bad name,
 * a version < 0, metrics that are not a JSON object; the training target's
 * errors (ph_dataset_binary_target: PH_ENOTFOUND for a missing column,
 * PH_EINVAL for a value that is not an outcome); PH_EEXISTS when the name
 * already has that version ("model pd already has version 2 (registered
 * versions are never replaced; the next free one is 3)"); PH_ESCHEMA.
 */
PH_EXTERN ph_status ph_registry_register(ph_store *store, const ph_registry_spec *spec,
                                         ph_registry_entry **out, ph_error *err);

/*
 * Move model NAME version VERSION to `to`. Legal transitions: draft ->
 * approved, draft -> rejected, approved -> retired; anything else is
 * PH_EINVAL naming both states ("cannot go from rejected to approved").
 * `actor` (who decides) is required for every transition, and `note` (why)
 * for approval and rejection. Errors: PH_ENOTFOUND for an unknown model or
 * version; PH_EINVAL as above; PH_ESCHEMA.
 */
PH_EXTERN ph_status ph_registry_set_state(ph_store *store, const char *name, int64_t version,
                                          ph_model_state to, const char *actor,
                                          const char *note, ph_error *err);

/* Read one entry (version 0: the name's latest version). PH_ENOTFOUND when
 * there is none. Free with ph_registry_entry_free. */
PH_EXTERN ph_status ph_registry_get(ph_store *store, const char *name, int64_t version,
                                    ph_registry_entry **out, ph_error *err);
PH_EXTERN void ph_registry_entry_free(ph_registry_entry *entry);

/* Called per entry; the entry is valid during the call only. A status other
 * than PH_OK stops the walk and is returned. */
typedef ph_status (*ph_registry_fn)(void *user, const ph_registry_entry *entry, ph_error *err);

/* Every entry (of `name`, or all when NULL), by name then version. */
PH_EXTERN ph_status ph_registry_list(ph_store *store, const char *name, ph_registry_fn fn,
                                     void *user, ph_error *err);

/* One transition, as ph_registry_events reports it. */
typedef struct ph_registry_event {
    int64_t seq;
    const char *at, *from, *to, *actor, *note;
} ph_registry_event;

typedef ph_status (*ph_registry_event_fn)(void *user, const ph_registry_event *event,
                                          ph_error *err);

/* The transitions of NAME VERSION (1 or more), oldest first. PH_ENOTFOUND
 * when there is no such model; PH_EMISUSE for version 0 or a NULL fn. */
PH_EXTERN ph_status ph_registry_events(ph_store *store, const char *name, int64_t version,
                                       ph_registry_event_fn fn, void *user, ph_error *err);

/*
 * Load a model for decisions: NAME at VERSION, or with version 0 the latest
 * APPROVED version. Refused with PH_EDENIED when that version is not
 * approved ("model NAME version 2 is a draft: an unapproved model cannot be
 * used for decisions") or when the name has no approved version; PH_ENOTFOUND
 * when the name (or version) was never registered. The stored bytes are
 * hashed first: a mismatch with the recorded checksum is PH_ESTORE (the row
 * was altered) and nothing is loaded. The model's source
 * (ph_model_source) is "registry:NAME@VERSION".
 */
PH_EXTERN ph_status ph_registry_load_approved(ph_store *store, const char *name,
                                              int64_t version, ph_model **out, ph_error *err);

/*
 * Load NAME at VERSION (>= 1) to replay decisions it took: approved or
 * retired (a retired model's past decisions must still replay), never a
 * draft or rejected one (PH_EDENIED). Checksum checked as above.
 */
PH_EXTERN ph_status ph_registry_load_decided(ph_store *store, const char *name,
                                             int64_t version, ph_model **out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_GOVERNANCE_H */
