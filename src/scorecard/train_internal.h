/*
 * Scorecard training, shared between its steps:
 *
 *   binning.c / grouping.c  fine classes, then coarse bins (numeric: monotone
 *                           merging; categorical: levels grouped by bad rate)
 *   sort.c                  radix sort of a column's values
 *   woe.c                   WOE and IV of the bins, the WOE design matrix
 *   select.c                IV floor, correlation, VIF
 *   cholesky.c              the small dense solver behind VIF and IRLS
 *   irls.c                  penalised logistic regression (Newton / IRLS)
 *   fit.c                   the model's fit; the trial fits of dropped variables
 *   fitstats.c              training AUC and KS
 *   assemble.c              bins + coefficients -> ph_scorecard attributes
 *   train.c                 options, orchestration, the training log
 *   summary.c               ph_scorecard_write_summary
 *   trainlog.c              the training log
 *
 * Conventions: WOE = ln(share of goods / share of bads), so a higher WOE is
 * a safer bin. The regression is fitted on "good" (1 - bad), so a variable
 * that works the way its WOE says gets a POSITIVE coefficient and points rise
 * with safety.
 */
#ifndef PH_SCORECARD_TRAIN_INTERNAL_H
#define PH_SCORECARD_TRAIN_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "puhui/scorecard.h"
#include "scorecard/scorecard_internal.h"

/* Added to the goods and the bads of every bin before taking the WOE, so a
 * bin with no goods or no bads gets a finite WOE. */
#define SC_WOE_SMOOTHING 0.5

typedef enum sc_bin_kind {
    SC_BIN_RANGE = 0,   /* numeric [low, high) */
    SC_BIN_SPECIAL = 1, /* numeric == low (a special value such as -999) */
    SC_BIN_MISSING = 2, /* missing value */
    SC_BIN_LEVELS = 3,  /* categorical: one of `codes` */
    SC_BIN_OTHER = 4    /* categorical: a level not seen in training */
} sc_bin_kind;

typedef struct sc_bin {
    sc_bin_kind kind;
    double low, high;
    uint32_t *codes;    /* SC_BIN_LEVELS: dataset level codes */
    size_t n_codes;
    uint64_t count, bads;
    double woe;
} sc_bin;

/* Why a variable left the model (SC_KEPT while in it); the same numbers as
 * the public ph_sc_drop_reason. */
typedef enum sc_fate {
    SC_KEPT = 0,
    SC_DROP_ONE_BIN = PH_SC_DROP_ONE_BIN, /* a single bin after binning: no information */
    SC_DROP_IV = PH_SC_DROP_IV,           /* below the IV floor */
    SC_DROP_CORRELATION = PH_SC_DROP_CORRELATION,
    SC_DROP_VIF = PH_SC_DROP_VIF,
    SC_DROP_SIGN = PH_SC_DROP_SIGN        /* coefficient against its WOE */
} sc_fate;

typedef struct sc_var {
    size_t column;           /* in the dataset */
    const char *name;        /* the dataset's column name (not owned) */
    int categorical;
    ph_sc_direction direction;  /* numeric: as used (never AUTO after binning) */
    int direction_given;     /* 1: from opts->directions */
    int monotone;            /* numeric: 1 to merge classes until the bad rate is monotone */
    sc_bin *bins;
    size_t n_bins;
    uint16_t *row_bin;       /* bin of each training row */
    double iv;
    sc_fate fate;
    char why[192];           /* the decision in words, for the log */
    double coefficient;      /* on WOE, in the "good" regression */
    /* A dropped variable tried in the final model (NaN: not tried): the
     * training AUC gained and its coefficient there. */
    double auc_gain, trial_coefficient;
} sc_var;

/* What binning needs besides the column. */
typedef struct sc_bin_params {
    const uint8_t *bad;      /* target per row */
    size_t rows;
    size_t fine_bins;
    uint64_t min_count;      /* smallest coarse bin, rows */
    const double *special_values;
    size_t n_special_values;
} sc_bin_params;

/* One run of adjacent fine classes (numeric) or sorted levels (categorical)
 * merged into a coarse bin: atoms first..last. */
typedef struct sc_run {
    size_t first, last;
    uint64_t count, bads;
} sc_run;

/* ---- binning ---- */

/* Numeric binning of var->column: specials, ranges, missing; fills bins,
 * row_bin and (when AUTO) the direction; merges to a monotone bad rate only
 * when var->monotone. */
ph_status sc_bin_numeric(const ph_ctx *ctx, const ph_dataset *ds, const sc_bin_params *p,
                         sc_var *var, ph_error *err);

/* Categorical grouping: level groups sorted by bad rate, missing, other. */
ph_status sc_bin_categorical(const ph_ctx *ctx, const ph_dataset *ds, const sc_bin_params *p,
                             sc_var *var, ph_error *err);

/* Merge runs[0..*n) in place so bad rates strictly rise (increasing = 1) or
 * fall along the sequence (pool adjacent violators). */
void sc_runs_make_monotone(sc_run *runs, size_t *n, int increasing);

/* Merge runs smaller than min_count into the neighbour with the closer bad
 * rate, smallest first, until every run is big enough or one is left. */
void sc_runs_enforce_min_count(sc_run *runs, size_t *n, uint64_t min_count);

void sc_var_clear(const ph_ctx *ctx, sc_var *var);

/* Sort n finite doubles ascending, with two scratch arrays of n keys. */
void sc_sort_doubles(double *values, size_t n, uint64_t *keys, uint64_t *tmp);

/* ---- WOE ---- */

/* Fill each bin's WOE and the variable's IV from the bins' counts. Empty
 * missing / other bins take the riskiest (lowest) WOE of the variable. */
void sc_woe_compute(sc_var *var, uint64_t goods, uint64_t bads);

/* A row-major rows x k matrix of the WOE of vars[cols[j]] for each row. */
ph_status sc_woe_matrix(const ph_ctx *ctx, const sc_var *vars, const size_t *cols, size_t k,
                        size_t rows, double **out, ph_error *err);

/* ---- Cholesky (n x n, row-major, symmetric positive definite) ---- */

/* Factor a = L L' in place (lower triangle). Returns 0 when a pivot falls
 * below `tiny` times the largest diagonal entry (not positive definite). */
int sc_cholesky_factor(double *a, size_t n, double tiny);
/* Solve L L' x = b in place, with a factored by sc_cholesky_factor. */
void sc_cholesky_solve(const double *l, size_t n, double *b);

/* ---- selection ---- */

typedef struct sc_select_params {
    double min_iv, max_correlation, max_vif;
} sc_select_params;

/* Apply the IV floor, the correlation filter and the VIF filter to the
 * candidates (fate SC_KEPT), recording each decision in var->fate/why. */
ph_status sc_select(const ph_ctx *ctx, sc_var *vars, size_t n_vars, size_t rows,
                    const sc_select_params *p, ph_error *err);

/* ---- regression ---- */

typedef struct sc_fit {
    const double *start; /* NULL: from the base rate; else k + 1 values, intercept
                            first (a warm start near the answer saves iterations) */
    double intercept;
    double *coef;        /* k, caller-allocated */
    size_t iterations;
    double log_likelihood;
} sc_fit;

/* Fit logit P(good) = intercept + x . coef on the rows x k matrix x (WOE),
 * penalty l2/2 * |coef|^2 (not on the intercept). */
ph_status sc_irls(const ph_ctx *ctx, const double *x, size_t rows, size_t k,
                  const uint8_t *bad, double l2, size_t max_iterations, double tolerance,
                  const char *const *names, sc_fit *fit, ph_error *err);

/* The fit of a model and its training AUC and KS. */
typedef struct sc_fit_result {
    sc_fit fit;
    double auc, ks;
} sc_fit_result;

/* Fit the kept variables (fate SC_KEPT), with drop_wrong_sign dropping the
 * weakest wrong-signed one and refitting until none is left; sets each kept
 * variable's coefficient. res->fit.coef is NULL on return. */
ph_status sc_fit_model(const ph_ctx *ctx, const ph_sc_train_options *o, sc_var *vars,
                       size_t n_vars, size_t rows, const uint8_t *bad, double l2,
                       sc_fit_result *res, ph_error *err);

/* With o->assess_dropped, refit `model` once with each dropped variable but
 * one-bin ones added (warm start, loose tolerance): its auc_gain and
 * trial_coefficient. Reports progress; fails only when out of memory. */
ph_status sc_assess_dropped(const ph_ctx *ctx, const ph_sc_train_options *o, sc_var *vars,
                            size_t n_vars, size_t rows, const uint8_t *bad, double l2,
                            const sc_fit_result *model, ph_error *err);

/* The progress callback, when there is one: steps are the candidates'
 * binning (n_vars), then the fit and one trial per assessed drop. */
static inline void sc_report_progress(const ph_sc_train_options *o, uint64_t done,
                                      uint64_t total)
{
    if (o->progress)
        o->progress(o->progress_user, done, total);
}

/* Rank AUC (ties averaged) and KS of `score` (higher = safer) against bad. */
ph_status sc_auc_ks(const ph_ctx *ctx, const double *score, const uint8_t *bad, size_t rows,
                    double *auc, double *ks, ph_error *err);

/* ---- the scorecard ---- */

typedef struct sc_scale {
    double factor, offset;
    int round_points;
} sc_scale;

/* Build the characteristics of `sc` from the kept variables. */
ph_status sc_assemble(const ph_ctx *ctx, const ph_dataset *ds, const sc_var *vars,
                      size_t n_vars, const sc_scale *scale, ph_scorecard *sc, ph_error *err);

/* An attribute's predicate in words: "[1.5, 7)", "= -999", "missing",
 * "in {a, b}", "any other value". */
void sc_attribute_print(FILE *out, const ph_sc_attribute *a);

/* A number as the shortest text that reads back the same (at most 17
 * significant digits), "-inf" / "inf" for the open ends. */
void sc_number_text(double v, char *buf, size_t size);

/* ---- the training log ---- */

typedef struct sc_train_report {
    const ph_sc_train_options *opts;
    const sc_var *vars;
    size_t n_vars;
    size_t rows;
    uint64_t bads, min_count;
    double l2;               /* the penalty as applied (opts->l2 * rows) */
    size_t iterations;
    double log_likelihood, auc, ks;
} sc_train_report;

/* Binning, selection decisions, the fit and the scorecard's summary. */
ph_status sc_write_training_log(FILE *out, const sc_train_report *r, const ph_scorecard *sc,
                                ph_error *err);

#endif /* PH_SCORECARD_TRAIN_INTERNAL_H */
