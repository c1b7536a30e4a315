/*
 * Stability: the population stability index (PSI) of a score and the
 * characteristic stability index (CSI) of a model's inputs, between a
 * baseline (the development sample) and a current sample.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "governance/governance_internal.h"

double gov_psi_term(double base_share, double cur_share)
{
    double b = base_share > PH_PSI_EPSILON ? base_share : PH_PSI_EPSILON;
    double c = cur_share > PH_PSI_EPSILON ? cur_share : PH_PSI_EPSILON;
    return (c - b) * log(c / b);
}

ph_status ph_metric_psi_counts(const size_t *baseline, const size_t *current, size_t k,
                               double *psi, ph_error *err)
{
    if ((k > 0 && (baseline == NULL || current == NULL)) || psi == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_metric_psi_counts: NULL argument");
    size_t nb = 0, nc = 0;
    for (size_t i = 0; i < k; i++) {
        if (__builtin_add_overflow(nb, baseline[i], &nb) ||
            __builtin_add_overflow(nc, current[i], &nc))
            return ph_error_set(err, PH_ERANGE, "counts", NULL, "the counts overflow their sum");
    }
    if (nb == 0 || nc == 0)
        return ph_error_set(err, PH_EINVAL, nb == 0 ? "baseline" : "current", "0",
                            "expected at least one case in the sample, got none");
    double sum = 0.0;
    for (size_t i = 0; i < k; i++)
        sum += gov_psi_term((double)baseline[i] / (double)nb, (double)current[i] / (double)nc);
    *psi = sum;
    return PH_OK;
}

static ph_status check_samples(const char *function, const double *baseline, size_t n_baseline,
                               const double *current, size_t n_current, ph_error *err)
{
    if ((n_baseline > 0 && baseline == NULL) || (n_current > 0 && current == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: NULL argument", function);
    if (n_baseline == 0 || n_current == 0)
        return ph_error_set(err, PH_EINVAL, n_baseline == 0 ? "baseline" : "current", "0",
                            "expected at least one case in the sample, got none");
    return PH_OK;
}

/* The decile edges of the sorted non-missing baseline values s[0..m-1]: the
 * upper edges of every bin but the last, increasing, without repeats and
 * below the maximum (a bin above the maximum would always be empty). */
static size_t decile_edges(const double *s, size_t m, double edges[PH_DECILES - 1])
{
    size_t count = 0;
    for (size_t k = 1; k < PH_DECILES; k++) {
        double e = s[(k * m + PH_DECILES - 1) / PH_DECILES - 1]; /* ceil(k m / 10)-th */
        if (e < s[m - 1] && (count == 0 || e > edges[count - 1]))
            edges[count++] = e;
    }
    return count;
}

/* The bin of v: the first whose upper edge is >= v; NaN goes to `missing`. */
static size_t bin_of(double v, const double *edges, size_t n_edges, size_t missing)
{
    if (isnan(v))
        return missing;
    size_t lo = 0, hi = n_edges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (edges[mid] >= v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int any_nan(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(v[i]))
            return 1;
    return 0;
}

/* Fill the bins' bounds, counts, shares and contributions. */
static void fill_psi(ph_psi *p, const double *edges, size_t n_edges, const double *baseline,
                     size_t n_baseline, const double *current, size_t n_current)
{
    size_t missing = p->n_bins - 1; /* meaningful only when the last bin is the missing one */
    size_t numeric_bins = n_edges + 1;
    for (size_t i = 0; i < p->n_bins; i++) {
        ph_psi_bin *b = &p->bins[i];
        if (i >= numeric_bins) {
            b->lower = b->upper = NAN;
            continue;
        }
        b->lower = i == 0 ? -INFINITY : edges[i - 1];
        b->upper = i == n_edges ? INFINITY : edges[i];
    }
    for (size_t i = 0; i < n_baseline; i++)
        p->bins[bin_of(baseline[i], edges, n_edges, missing)].base_count++;
    for (size_t i = 0; i < n_current; i++)
        p->bins[bin_of(current[i], edges, n_edges, missing)].cur_count++;
    p->psi = 0.0;
    for (size_t i = 0; i < p->n_bins; i++) {
        ph_psi_bin *b = &p->bins[i];
        b->base_share = (double)b->base_count / (double)n_baseline;
        b->cur_share = (double)b->cur_count / (double)n_current;
        b->contribution = gov_psi_term(b->base_share, b->cur_share);
        p->psi += b->contribution;
    }
}

ph_status ph_metric_psi(const ph_ctx *ctx, const double *baseline, size_t n_baseline,
                        const double *current, size_t n_current, ph_psi *out, ph_error *err)
{
    if (ctx == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_metric_psi: NULL argument");
    ph_status st = check_samples("ph_metric_psi", baseline, n_baseline, current, n_current, err);
    if (st != PH_OK)
        return st;
    if (n_baseline > SIZE_MAX / PH_DECILES)
        return ph_error_set(err, PH_ERANGE, "baseline", NULL,
                            "too many cases for decile arithmetic");
    double *sorted = ph_malloc(ctx, n_baseline * sizeof(double));
    if (sorted == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory sorting the baseline");
    memcpy(sorted, baseline, n_baseline * sizeof(double));
    qsort(sorted, n_baseline, sizeof(double), gov_compare_doubles);
    size_t m = n_baseline;
    while (m > 0 && isnan(sorted[m - 1]))
        m--;
    if (m == 0) {
        ph_free(ctx, sorted);
        return ph_error_set(err, PH_EINVAL, "baseline", NULL,
                            "expected at least one non-missing value to take deciles of; "
                            "all %zu are missing",
                            n_baseline);
    }
    double edges[PH_DECILES - 1];
    size_t n_edges = decile_edges(sorted, m, edges);
    ph_free(ctx, sorted);
    ph_psi p;
    memset(&p, 0, sizeof(p));
    p.n_bins = n_edges + 1;
    if (m < n_baseline || any_nan(current, n_current))
        p.n_bins++;
    fill_psi(&p, edges, n_edges, baseline, n_baseline, current, n_current);
    *out = p;
    return PH_OK;
}

/* A sorted copy of v (NaN last). */
static double *sorted_copy(const ph_ctx *ctx, const double *v, size_t n)
{
    double *s = ph_malloc(ctx, n * sizeof(double));
    if (s != NULL) {
        memcpy(s, v, n * sizeof(double));
        qsort(s, n, sizeof(double), gov_compare_doubles);
    }
    return s;
}

static int same_value(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* How many of s[*i..] equal v (advancing *i past them). */
static size_t take_run(const double *s, size_t n, size_t *i, double v)
{
    size_t start = *i;
    while (*i < n && same_value(s[*i], v))
        (*i)++;
    return *i - start;
}

ph_status ph_metric_csi_discrete(const ph_ctx *ctx, const double *baseline, size_t n_baseline,
                                 const double *current, size_t n_current, double *csi,
                                 size_t *bins, ph_error *err)
{
    if (ctx == NULL || csi == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_metric_csi_discrete: NULL argument");
    ph_status st = check_samples("ph_metric_csi_discrete", baseline, n_baseline, current,
                                 n_current, err);
    if (st != PH_OK)
        return st;
    double *b = sorted_copy(ctx, baseline, n_baseline);
    double *c = sorted_copy(ctx, current, n_current);
    if (b == NULL || c == NULL) {
        ph_free(ctx, b);
        ph_free(ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory sorting the samples");
    }
    /* Merge the two sorted lists value by value: each distinct value is a bin. */
    size_t i = 0, j = 0, count = 0;
    double sum = 0.0;
    while (i < n_baseline || j < n_current) {
        double v;
        if (j >= n_current || (i < n_baseline && gov_compare_doubles(&b[i], &c[j]) <= 0))
            v = b[i];
        else
            v = c[j];
        size_t in_b = take_run(b, n_baseline, &i, v);
        size_t in_c = take_run(c, n_current, &j, v);
        sum += gov_psi_term((double)in_b / (double)n_baseline, (double)in_c / (double)n_current);
        count++;
    }
    ph_free(ctx, b);
    ph_free(ctx, c);
    *csi = sum;
    if (bins)
        *bins = count;
    return PH_OK;
}
