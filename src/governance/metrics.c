/*
 * Discrimination and calibration of a binary classifier: AUC, KS, Gini,
 * Brier, calibration by decile, and the cut-off for an approval rate.
 *
 * Everything that depends on the order of the PDs works on one sorted copy
 * of the cases and walks it tie block by tie block (equal PDs together), so
 * ties are handled the same way everywhere: they count one half in the AUC,
 * are one cut-off in the KS, and are never split between deciles.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "governance/governance_internal.h"

ph_status gov_check_size(size_t n, ph_error *err)
{
    if (n == 0)
        return ph_error_set(err, PH_EINVAL, "n", "0", "expected at least one case, got none");
    return PH_OK;
}

ph_status gov_check_pd(const double *pd, size_t n, ph_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (pd[i] >= 0.0 && pd[i] <= 1.0)
            continue;
        char field[48], value[32];
        snprintf(field, sizeof(field), "pd[%zu]", i);
        if (isnan(pd[i]))
            return ph_error_set(err, PH_EINVAL, field, "nan",
                                "expected a probability of default in [0, 1], got NaN (no "
                                "prediction)");
        snprintf(value, sizeof(value), "%.17g", pd[i]);
        return ph_error_set(err, PH_ERANGE, field, value,
                            "expected a probability of default in [0, 1]");
    }
    return PH_OK;
}

ph_status gov_check_bad(const uint8_t *bad, size_t n, ph_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (bad[i] <= 1)
            continue;
        char field[48], value[8];
        snprintf(field, sizeof(field), "bad[%zu]", i);
        snprintf(value, sizeof(value), "%u", (unsigned)bad[i]);
        return ph_error_set(err, PH_EINVAL, field, value,
                            "expected an outcome of 1 (bad) or 0 (good)");
    }
    return PH_OK;
}

ph_status gov_one_class(const char *metric, size_t n, size_t bads, ph_error *err)
{
    if (bads > 0 && bads < n)
        return PH_OK;
    return ph_error_set(err, PH_EINVAL, "bad", NULL,
                        "%s is undefined when every case is %s (%zu cases, no %s case): it "
                        "needs both bad and good cases",
                        metric, bads ? "bad" : "good", n, bads ? "good" : "bad");
}

static int compare_cases(const void *a, const void *b)
{
    const gov_case *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->pd != y->pd)
        return x->pd < y->pd ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

ph_status gov_sort_cases(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                         const uint32_t *group, size_t n, gov_case **out, ph_error *err)
{
    gov_case *c = ph_calloc(ctx, n, sizeof(*c));
    if (c == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory sorting %zu cases", n);
    for (size_t i = 0; i < n; i++) {
        c[i].pd = pd[i];
        c[i].index = i;
        c[i].group = group ? group[i] : 0;
        c[i].bad = bad ? bad[i] : 0;
    }
    qsort(c, n, sizeof(*c), compare_cases);
    *out = c;
    return PH_OK;
}

int gov_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    int xn = isnan(x), yn = isnan(y);
    if (xn || yn)
        return xn - yn;
    return (x > y) - (x < y);
}

/* The end of the tie block that starts at i. */
static size_t block_end(const gov_case *c, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && c[j].pd == c[i].pd)
        j++;
    return j;
}

/*
 * One pass up the sorted cases. AUC: each bad case beats the goods below
 * its tie block and ties with half of those in it, so the numerator is
 * sum over blocks of bads_in_block * (goods_below + goods_in_block / 2); all
 * terms are multiples of 1/2 well below 2^53, so the sum is exact. KS: the
 * gap between the cumulative shares of goods and bads after each block.
 */
void gov_sweep(const gov_case *c, size_t n, size_t bads, double *auc, double *ks,
               double *ks_at)
{
    size_t goods = n - bads, goods_below = 0, bads_below = 0;
    double wins = 0.0, best = -1.0, best_at = NAN;
    for (size_t i = 0; i < n;) {
        size_t j = block_end(c, n, i), block_bads = 0;
        for (size_t k = i; k < j; k++)
            block_bads += c[k].bad;
        size_t block_goods = (j - i) - block_bads;
        wins += (double)block_bads * ((double)goods_below + 0.5 * (double)block_goods);
        goods_below += block_goods;
        bads_below += block_bads;
        double gap = fabs((double)goods_below / (double)goods - (double)bads_below / (double)bads);
        if (gap > best) {
            best = gap;
            best_at = c[i].pd;
        }
        i = j;
    }
    *auc = wins / ((double)bads * (double)goods);
    if (ks)
        *ks = best;
    if (ks_at)
        *ks_at = best_at;
}

static size_t count_bads(const uint8_t *bad, size_t n)
{
    size_t bads = 0;
    for (size_t i = 0; i < n; i++)
        bads += bad[i];
    return bads;
}

static ph_status check_inputs(const char *function, const double *pd, const uint8_t *bad,
                              size_t n, const void *out, ph_error *err)
{
    if ((n > 0 && (pd == NULL || bad == NULL)) || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: NULL argument", function);
    ph_status st = gov_check_size(n, err);
    if (st == PH_OK)
        st = gov_check_pd(pd, n, err);
    if (st == PH_OK)
        st = gov_check_bad(bad, n, err);
    return st;
}

/* Check, count, sort and sweep: the common part of AUC, KS and the summary. */
static ph_status ranked(const ph_ctx *ctx, const char *function, const char *metric,
                        const double *pd, const uint8_t *bad, size_t n, const void *out,
                        double *auc, double *ks, double *ks_at, ph_error *err)
{
    if (ctx == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: NULL argument", function);
    ph_status st = check_inputs(function, pd, bad, n, out, err);
    size_t bads = st == PH_OK ? count_bads(bad, n) : 0;
    if (st == PH_OK)
        st = gov_one_class(metric, n, bads, err);
    gov_case *c = NULL;
    if (st == PH_OK)
        st = gov_sort_cases(ctx, pd, bad, NULL, n, &c, err);
    if (st == PH_OK)
        gov_sweep(c, n, bads, auc, ks, ks_at);
    ph_free(ctx, c);
    return st;
}

ph_status ph_metric_auc(const ph_ctx *ctx, const double *pd, const uint8_t *bad, size_t n,
                        double *auc, ph_error *err)
{
    double a = 0.0;
    ph_status st = ranked(ctx, "ph_metric_auc", "AUC", pd, bad, n, auc, &a, NULL, NULL, err);
    if (st == PH_OK)
        *auc = a;
    return st;
}

ph_status ph_metric_ks(const ph_ctx *ctx, const double *pd, const uint8_t *bad, size_t n,
                       double *ks, double *at, ph_error *err)
{
    double a = 0.0, k = 0.0, t = 0.0;
    ph_status st = ranked(ctx, "ph_metric_ks", "KS", pd, bad, n, ks, &a, &k, &t, err);
    if (st == PH_OK) {
        *ks = k;
        if (at)
            *at = t;
    }
    return st;
}

static double brier_of(const double *pd, const uint8_t *bad, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = pd[i] - (double)bad[i];
        sum += d * d;
    }
    return sum / (double)n;
}

ph_status ph_metric_brier(const double *pd, const uint8_t *bad, size_t n, double *brier,
                          ph_error *err)
{
    ph_status st = check_inputs("ph_metric_brier", pd, bad, n, brier, err);
    if (st == PH_OK)
        *brier = brier_of(pd, bad, n);
    return st;
}

ph_status ph_metric_binary(const ph_ctx *ctx, const double *pd, const uint8_t *bad, size_t n,
                           ph_binary_metrics *out, ph_error *err)
{
    ph_binary_metrics m;
    memset(&m, 0, sizeof(m));
    ph_status st = ranked(ctx, "ph_metric_binary", "AUC", pd, bad, n, out, &m.auc, &m.ks,
                          &m.ks_at, err);
    if (st != PH_OK)
        return st;
    m.n = n;
    m.bads = count_bads(bad, n);
    m.bad_rate = (double)m.bads / (double)n;
    m.gini = 2.0 * m.auc - 1.0;
    m.brier = brier_of(pd, bad, n);
    *out = m;
    return PH_OK;
}

/* ---- calibration ----------------------------------------------------------- */

static void bin_add(ph_calibration_bin *b, const gov_case *c, double *pd_sum)
{
    if (b->count == 0 || c->pd < b->pd_min)
        b->pd_min = c->pd;
    if (b->count == 0 || c->pd > b->pd_max)
        b->pd_max = c->pd;
    b->count++;
    b->bads += c->bad;
    *pd_sum += c->pd;
}

ph_status ph_metric_calibration(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                                size_t n, ph_calibration_bin out[PH_DECILES], ph_error *err)
{
    if (ctx == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_metric_calibration: NULL argument");
    ph_status st = check_inputs("ph_metric_calibration", pd, bad, n, out, err);
    if (st == PH_OK && n > SIZE_MAX / PH_DECILES)
        st = ph_error_set(err, PH_ERANGE, "n", NULL, "too many cases for decile arithmetic");
    gov_case *c = NULL;
    if (st == PH_OK)
        st = gov_sort_cases(ctx, pd, bad, NULL, n, &c, err);
    if (st != PH_OK)
        return st;
    ph_calibration_bin bins[PH_DECILES];
    double sums[PH_DECILES] = {0};
    memset(bins, 0, sizeof(bins));
    for (size_t i = 0; i < n;) {
        size_t j = block_end(c, n, i);
        size_t g = i * PH_DECILES / n; /* the block goes where it starts */
        for (size_t k = i; k < j; k++)
            bin_add(&bins[g], &c[k], &sums[g]);
        i = j;
    }
    ph_free(ctx, c);
    for (size_t g = 0; g < PH_DECILES; g++) {
        if (bins[g].count == 0) {
            bins[g].pd_min = bins[g].pd_max = bins[g].mean_pd = bins[g].bad_rate = NAN;
            continue;
        }
        bins[g].mean_pd = sums[g] / (double)bins[g].count;
        bins[g].bad_rate = (double)bins[g].bads / (double)bins[g].count;
    }
    memcpy(out, bins, sizeof(bins));
    return PH_OK;
}

ph_status ph_metric_cutoff_for_approval(const ph_ctx *ctx, const double *pd, size_t n,
                                        double approval_rate, double *cutoff, ph_error *err)
{
    if (ctx == NULL || (pd == NULL && n > 0) || cutoff == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_metric_cutoff_for_approval: NULL argument");
    if (!(approval_rate > 0.0 && approval_rate <= 1.0)) {
        char value[32];
        snprintf(value, sizeof(value), "%g", approval_rate);
        return ph_error_set(err, PH_EINVAL, "approval_rate", value,
                            "expected a share of the sample in (0, 1]");
    }
    ph_status st = gov_check_size(n, err);
    if (st == PH_OK)
        st = gov_check_pd(pd, n, err);
    if (st != PH_OK)
        return st;
    double *sorted = ph_malloc(ctx, n * sizeof(double));
    if (sorted == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory sorting %zu PDs", n);
    memcpy(sorted, pd, n * sizeof(double));
    qsort(sorted, n, sizeof(double), gov_compare_doubles);
    /* the tolerance keeps 0.7 * 20 = 13.999...98 or 14.000...02 at 14 */
    double k = ceil(approval_rate * (double)n - 1e-9);
    size_t index = k < 1.0 ? 0 : k >= (double)n ? n - 1 : (size_t)k - 1;
    *cutoff = sorted[index];
    ph_free(ctx, sorted);
    return PH_OK;
}
