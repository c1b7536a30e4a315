/*
 * Variable selection, in the order credit modellers apply it:
 *
 *   1. a variable left with a single bin carries no information;
 *   2. IV below the floor: too weak to keep;
 *   3. correlation: of two WOE columns with |Pearson r| above the limit the
 *      one with the lower IV goes (taken strongest first, so a variable is
 *      only compared with the ones already kept);
 *   4. VIF: while the largest variance inflation factor among the kept ones
 *      exceeds the limit, the variable with it goes. VIF_j is the j-th
 *      diagonal entry of the inverse correlation matrix.
 *
 * Every decision is written into the variable (fate, why) for the log.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train_internal.h"

static size_t nonempty_bins(const sc_var *v)
{
    size_t n = 0;
    for (size_t b = 0; b < v->n_bins; b++)
        n += v->bins[b].count > 0;
    return n;
}

static void floor_filter(sc_var *vars, size_t n_vars, double min_iv)
{
    for (size_t i = 0; i < n_vars; i++) {
        sc_var *v = &vars[i];
        if (v->fate != SC_KEPT)
            continue;
        if (nonempty_bins(v) < 2) {
            v->fate = SC_DROP_ONE_BIN;
            snprintf(v->why, sizeof(v->why), "a single bin after binning");
        } else if (v->iv < min_iv) {
            v->fate = SC_DROP_IV;
            snprintf(v->why, sizeof(v->why), "IV %.4f below the floor %.4g", v->iv, min_iv);
        }
    }
}

/* Candidates (fate SC_KEPT) by IV, strongest first; ties by column order. */
static size_t ranked_candidates(const sc_var *vars, size_t n_vars, size_t *order)
{
    size_t k = 0;
    for (size_t i = 0; i < n_vars; i++) {
        if (vars[i].fate != SC_KEPT)
            continue;
        size_t at = k++;
        while (at > 0 && vars[order[at - 1]].iv < vars[i].iv) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = i;
    }
    return k;
}

/* The k x k Pearson correlation matrix of the columns of x (rows x k). */
static ph_status correlations(const ph_ctx *ctx, const double *x, size_t rows, size_t k,
                              double *corr, ph_error *err)
{
    double *mean = ph_calloc(ctx, k, sizeof(double));
    if (!mean)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for correlations");
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < k; j++)
            mean[j] += x[r * k + j];
    }
    for (size_t j = 0; j < k; j++)
        mean[j] /= (double)rows;
    memset(corr, 0, k * k * sizeof(double));
    for (size_t r = 0; r < rows; r++) {
        const double *row = &x[r * k];
        for (size_t i = 0; i < k; i++) {
            double di = row[i] - mean[i];
            for (size_t j = 0; j <= i; j++)
                corr[i * k + j] += di * (row[j] - mean[j]);
        }
    }
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < i; j++) {
            double d = sqrt(corr[i * k + i] * corr[j * k + j]);
            corr[i * k + j] = corr[j * k + i] = d > 0 ? corr[i * k + j] / d : 0.0;
        }
    }
    for (size_t i = 0; i < k; i++)
        corr[i * k + i] = 1.0;
    ph_free(ctx, mean);
    return PH_OK;
}

/* Among ranked candidates 0..k-1, drop each one too correlated with a
 * stronger one still kept. */
static void correlation_filter(sc_var *vars, const size_t *order, size_t k, const double *corr,
                               double max_correlation)
{
    for (size_t j = 1; j < k; j++) {
        for (size_t i = 0; i < j; i++) {
            sc_var *strong = &vars[order[i]], *weak = &vars[order[j]];
            double r = corr[j * k + i];
            if (strong->fate != SC_KEPT || !(fabs(r) > max_correlation))
                continue;
            weak->fate = SC_DROP_CORRELATION;
            snprintf(weak->why, sizeof(weak->why), "|r| %.3f with %s (IV %.4f >= %.4f)",
                     fabs(r), strong->name, strong->iv, weak->iv);
            break;
        }
    }
}

/* VIF of each of the m kept columns `keep` (indices into the ranked k):
 * the diagonal of the inverse of their correlation matrix. Returns 0 when
 * the matrix is singular (exact collinearity: every VIF is infinite). */
static int vifs(const double *corr, size_t k, const size_t *keep, size_t m, double *work,
                double *unit, double *vif)
{
    for (size_t a = 0; a < m; a++) {
        for (size_t b = 0; b < m; b++)
            work[a * m + b] = corr[keep[a] * k + keep[b]];
    }
    if (!sc_cholesky_factor(work, m, 1e-12))
        return 0;
    for (size_t a = 0; a < m; a++) {
        memset(unit, 0, m * sizeof(double));
        unit[a] = 1.0;
        sc_cholesky_solve(work, m, unit);
        vif[a] = unit[a];
    }
    return 1;
}

static void vif_filter(sc_var *vars, const size_t *order, size_t k, const double *corr,
                       double max_vif, size_t *keep, double *work, double *unit, double *vif)
{
    for (;;) {
        size_t m = 0;
        for (size_t j = 0; j < k; j++) {
            if (vars[order[j]].fate == SC_KEPT)
                keep[m++] = j;
        }
        if (m < 2)
            return;
        size_t worst = m - 1; /* the weakest, when VIFs are infinite */
        int finite = vifs(corr, k, keep, m, work, unit, vif);
        if (finite) {
            for (size_t a = 0; a < m; a++) {
                if (vif[a] > vif[worst])
                    worst = a;
            }
            if (!(vif[worst] > max_vif))
                return;
        }
        sc_var *v = &vars[order[keep[worst]]];
        v->fate = SC_DROP_VIF;
        if (finite)
            snprintf(v->why, sizeof(v->why), "VIF %.2f above %.4g", vif[worst], max_vif);
        else
            snprintf(v->why, sizeof(v->why),
                     "VIF infinite: collinear with the others, the weakest of them");
    }
}

ph_status sc_select(const ph_ctx *ctx, sc_var *vars, size_t n_vars, size_t rows,
                    const sc_select_params *p, ph_error *err)
{
    floor_filter(vars, n_vars, p->min_iv);
    size_t *order = ph_malloc(ctx, (n_vars ? n_vars : 1) * sizeof(size_t));
    if (!order)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory selecting variables");
    size_t k = ranked_candidates(vars, n_vars, order);
    if (k < 2) {
        ph_free(ctx, order);
        return PH_OK;
    }
    double *x = NULL;
    ph_status st = sc_woe_matrix(ctx, vars, order, k, rows, &x, err);
    double *corr = ph_malloc(ctx, k * k * sizeof(double));
    double *work = ph_malloc(ctx, k * k * sizeof(double));
    double *vec = ph_malloc(ctx, 2 * k * sizeof(double));
    size_t *keep = ph_malloc(ctx, k * sizeof(size_t));
    if (st == PH_OK && (!corr || !work || !vec || !keep))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory selecting variables");
    if (st == PH_OK)
        st = correlations(ctx, x, rows, k, corr, err);
    if (st == PH_OK) {
        correlation_filter(vars, order, k, corr, p->max_correlation);
        vif_filter(vars, order, k, corr, p->max_vif, keep, work, vec, vec + k);
    }
    ph_free(ctx, x);
    ph_free(ctx, corr);
    ph_free(ctx, work);
    ph_free(ctx, vec);
    ph_free(ctx, keep);
    ph_free(ctx, order);
    return st;
}
