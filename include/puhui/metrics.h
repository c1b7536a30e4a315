/*
 * puhui — metrics of a binary classifier: AUC, KS, Gini, Brier, calibration
 * by decile, the cut-off for an approval rate, stability (PSI and CSI) and
 * fairness by segment; what the model report (model_report.h) and a
 * model's review are made of (docs/governance.md, docs/domain.md#supervision;
 * a province may set a floor for scenario models, such as AUC >= 0.85:
 * docs/domain.md#calibration-figures).
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
#ifndef PUHUI_METRICS_H
#define PUHUI_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"

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

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_METRICS_H */
