/*
 * Fairness by segment: for each value of a variable such as region,
 * industry or owner gender, the bad rate, the approval rate at a cut-off
 * and the AUC within the segment, each compared with the best segment by
 * the four-fifths rule (a screening signal, see metrics.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "governance/governance_internal.h"

/* The statistics of one segment's cases (sorted by PD, contiguous). */
static void segment_stats(const gov_case *c, size_t n, double cutoff, ph_fairness_group *g)
{
    memset(g, 0, sizeof(*g));
    g->auc = g->approval_ratio = g->auc_ratio = NAN;
    g->count = n;
    if (n == 0) {
        g->bad_rate = g->approval_rate = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        g->bads += c[i].bad;
        g->approved += c[i].pd <= cutoff;
    }
    g->bad_rate = (double)g->bads / (double)n;
    g->approval_rate = (double)g->approved / (double)n;
    if (g->bads > 0 && g->bads < n)
        gov_sweep(c, n, g->bads, &g->auc, NULL, NULL);
}

/* The largest finite value of a field over the groups, NaN when none. */
static double best_of(const ph_fairness_group *g, size_t n, size_t offset)
{
    double best = NAN;
    for (size_t i = 0; i < n; i++) {
        double v = *(const double *)((const char *)&g[i] + offset);
        if (!isnan(v) && (isnan(best) || v > best))
            best = v;
    }
    return best;
}

/* value / best, NaN when either is undefined or best is 0. */
static double ratio(double value, double best)
{
    if (isnan(value) || isnan(best) || best <= 0.0)
        return NAN;
    return value / best;
}

static ph_status check_groups(const uint32_t *group, size_t n, size_t n_groups, ph_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (group[i] < n_groups)
            continue;
        char field[48], value[16];
        snprintf(field, sizeof(field), "group[%zu]", i);
        snprintf(value, sizeof(value), "%u", (unsigned)group[i]);
        return ph_error_set(err, PH_EINVAL, field, value, "expected a segment code below %zu",
                            n_groups);
    }
    return PH_OK;
}

static ph_status check_fairness_inputs(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                                       const uint32_t *group, size_t n, size_t n_groups,
                                       double cutoff, const ph_fairness_group *out,
                                       ph_error *err)
{
    if (ctx == NULL || (n > 0 && (pd == NULL || bad == NULL || group == NULL)) ||
        (n_groups > 0 && out == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_metric_fairness: NULL argument");
    if (!(cutoff >= 0.0 && cutoff <= 1.0)) {
        char value[32];
        snprintf(value, sizeof(value), "%g", cutoff);
        return ph_error_set(err, PH_EINVAL, "cutoff", value,
                            "expected a PD cut-off in [0, 1]");
    }
    ph_status st = gov_check_size(n, err);
    if (st == PH_OK)
        st = gov_check_pd(pd, n, err);
    if (st == PH_OK)
        st = gov_check_bad(bad, n, err);
    if (st == PH_OK)
        st = check_groups(group, n, n_groups, err);
    return st;
}

ph_status ph_metric_fairness(const ph_ctx *ctx, const double *pd, const uint8_t *bad,
                             const uint32_t *group, size_t n, size_t n_groups, double cutoff,
                             ph_fairness_group *out, ph_error *err)
{
    ph_status st = check_fairness_inputs(ctx, pd, bad, group, n, n_groups, cutoff, out, err);
    gov_case *c = NULL;
    if (st == PH_OK)
        st = gov_sort_cases(ctx, pd, bad, group, n, &c, err);
    if (st != PH_OK)
        return st;
    /* sorted by group first: each group's cases are one run, in PD order */
    size_t i = 0;
    for (size_t g = 0; g < n_groups; g++) {
        size_t start = i;
        while (i < n && c[i].group == g)
            i++;
        segment_stats(c + start, i - start, cutoff, &out[g]);
    }
    ph_free(ctx, c);
    double best_approval = best_of(out, n_groups, offsetof(ph_fairness_group, approval_rate));
    double best_auc = best_of(out, n_groups, offsetof(ph_fairness_group, auc));
    for (size_t g = 0; g < n_groups; g++) {
        out[g].approval_ratio = ratio(out[g].approval_rate, best_approval);
        out[g].auc_ratio = ratio(out[g].auc, best_auc);
        /* NaN compares false: an undefined ratio is never flagged */
        out[g].approval_flag = out[g].approval_ratio < PH_FOUR_FIFTHS;
        out[g].auc_flag = out[g].auc_ratio < PH_FOUR_FIFTHS;
    }
    return PH_OK;
}
