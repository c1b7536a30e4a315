/* Helpers shared by the files of the governance module (src/governance). */
#ifndef PH_GOVERNANCE_INTERNAL_H
#define PH_GOVERNANCE_INTERNAL_H

#include <stdio.h>

#include "puhui/metrics.h"
#include "puhui/model_report.h"
#include "puhui/registry.h"

/* One case, for sorting: by group, then PD, then input order (so that every
 * sort is deterministic whatever qsort does with equal keys). */
typedef struct gov_case {
    double pd;
    size_t index;
    uint32_t group;
    uint8_t bad;
} gov_case;

/* PH_EINVAL (field "n") for an empty sample. */
ph_status gov_check_size(size_t n, ph_error *err);

/* Every pd[i] a number in [0, 1]: NaN is PH_EINVAL, out of range PH_ERANGE,
 * both naming "pd[i]". */
ph_status gov_check_pd(const double *pd, size_t n, ph_error *err);

/* Every bad[i] 0 or 1 (PH_EINVAL naming "bad[i]"). */
ph_status gov_check_bad(const uint8_t *bad, size_t n, ph_error *err);

/* The cases sorted (group may be NULL: all in group 0). Inputs are checked
 * already. The array is allocated with ctx. */
ph_status gov_sort_cases(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                         const uint32_t *group, size_t n, gov_case **out, ph_error *err);

/* AUC and KS of cases sorted by PD, with `bads` of the n bad and at least
 * one of each class. */
void gov_sweep(const gov_case *c, size_t n, size_t bads, double *auc, double *ks,
               double *ks_at);

/* PH_EINVAL naming `metric` when a sample has only one class. */
ph_status gov_one_class(const char *metric, size_t n, size_t bads, ph_error *err);

/* qsort comparator of doubles, NaN last. */
int gov_compare_doubles(const void *a, const void *b);

/* One bin's PSI term, shares floored at PH_PSI_EPSILON. */
double gov_psi_term(double base_share, double cur_share);

/* ---- the model report's inputs from a model (report.c) ---- */

/* Everything ph_model_report_run allocates to build a ph_report_scores. */
typedef struct gov_run_state {
    const ph_ctx *ctx;
    ph_report_scores scores;
    double *pd, *baseline_pd;
    uint8_t *bad;
    ph_report_segment_input *segments;
    ph_report_csi_input *csi;
    double *csi_values; /* features x (rows + baseline rows) */
} gov_run_state;

/* Score ds (and opts->baseline) with the model, read the target and the
 * segments into s (zeroed first); ph_model_report_run's errors. Free s with
 * gov_run_state_free whatever the status. */
ph_status gov_report_prepare(gov_run_state *s, const ph_model *model, const ph_dataset *ds,
                             const ph_report_options *opts, ph_error *err);

void gov_run_state_free(gov_run_state *s);

/* One report as a JSON object (report_write.c; the document
 * ph_model_report_write_json writes). NULL when out of memory. */
struct json_t *gov_report_json(const ph_model_report *r);

/* ---- a small aligned text table (text_table.c) ---- */

#define GOV_TABLE_MAX_COLUMNS 10
#define GOV_CELL_MAX 96

typedef struct gov_table {
    const ph_ctx *ctx;
    size_t columns, rows, cap;
    const int *right;               /* per column: right-aligned (numbers) */
    char (*cells)[GOV_TABLE_MAX_COLUMNS][GOV_CELL_MAX];
    int failed;                     /* out of memory: set, and later rows dropped */
} gov_table;

/* Append a row of t->columns cells (copied, cut at GOV_CELL_MAX - 1 bytes). */
void gov_table_add(gov_table *t, const char *const *cells);

/* Print with two spaces of indent and two between columns; row 0 is the
 * header. No trailing blanks after a left-aligned last column. */
void gov_table_print(const gov_table *t, FILE *out);

/* The schema version that has the model registry. */
#define GOV_REGISTRY_SCHEMA 6

/* PH_ESCHEMA (run `puhui init`) unless the store has the registry tables. */



#endif
