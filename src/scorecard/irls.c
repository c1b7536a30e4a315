/*
 * Penalised logistic regression by Newton's method (IRLS):
 *
 *   minimise  sum_r [softplus(eta_r) - good_r * eta_r] + l2/2 * |coef|^2
 *   eta_r = intercept + x_r . coef,  P(good | x_r) = 1 / (1 + e^-eta_r)
 *
 * Each pass over the rows gives the objective, its gradient and the
 * Hessian X'WX + l2 I at the current coefficients; the Newton step solves
 * the Hessian by Cholesky. A step that raises the objective is halved (rare
 * on WOE columns, but it keeps a bad start from diverging). Convergence is
 * the largest coefficient change below the tolerance.
 *
 * Fitting "good" rather than "bad" makes the coefficients positive for
 * variables that work the way their WOE (ln good/bad) says.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "train_internal.h"

/* The most halvings of one Newton step before it is taken as it is. */
#define MAX_HALVINGS 30

typedef struct irls_state {
    double *beta;  /* p = k + 1: intercept first */
    double *grad;  /* gradient of the log-likelihood minus the penalty */
    double *hess;  /* p x p */
    double *z;     /* scratch: one row with its leading 1 */
    double objective;
} irls_state;

static double softplus(double eta)
{
    return eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
}

/* One pass: objective, gradient and Hessian at s->beta. */
static void evaluate(const double *x, size_t rows, size_t k, const uint8_t *bad, double l2,
                     irls_state *s)
{
    size_t p = k + 1;
    double *z = s->z;
    memset(s->grad, 0, p * sizeof(double));
    memset(s->hess, 0, p * p * sizeof(double));
    double obj = 0.0;
    z[0] = 1.0;
    for (size_t r = 0; r < rows; r++) {
        const double *row = &x[r * k];
        double eta = s->beta[0];
        for (size_t j = 0; j < k; j++) {
            z[j + 1] = row[j];
            eta += s->beta[j + 1] * row[j];
        }
        double good = bad[r] ? 0.0 : 1.0;
        double prob = 1.0 / (1.0 + exp(-eta));
        double resid = good - prob, w = prob * (1.0 - prob);
        obj += softplus(eta) - good * eta;
        for (size_t a = 0; a < p; a++) {
            double wa = w * z[a];
            s->grad[a] += resid * z[a];
            double *h = &s->hess[a * p];
            for (size_t b = 0; b <= a; b++)
                h[b] += wa * z[b];
        }
    }
    for (size_t j = 1; j < p; j++) {
        obj += 0.5 * l2 * s->beta[j] * s->beta[j];
        s->grad[j] -= l2 * s->beta[j];
        s->hess[j * p + j] += l2;
    }
    for (size_t a = 0; a < p; a++) {
        for (size_t b = a + 1; b < p; b++)
            s->hess[a * p + b] = s->hess[b * p + a];
    }
    s->objective = obj;
}

ph_status sc_irls(const ph_ctx *ctx, const double *x, size_t rows, size_t k,
                  const uint8_t *bad, double l2, size_t max_iterations, double tolerance,
                  const char *const *names, sc_fit *fit, ph_error *err)
{
    size_t p = k + 1;
    double *mem = ph_calloc(ctx, 6 * p + 3 * p * p, sizeof(double));
    if (!mem)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory fitting the regression");
    double *z = mem, *step = mem + p, *l = mem + 2 * p; /* l: p x p Cholesky factor */
    double *a = l + p * p, *b = a + 2 * p + p * p;
    irls_state cur = {a, a + p, a + 2 * p, z, 0}, next = {b, b + p, b + 2 * p, z, 0};
    uint64_t bads = 0;
    for (size_t r = 0; r < rows; r++)
        bads += bad[r];
    if (fit->start)
        memcpy(cur.beta, fit->start, p * sizeof(double));
    else
        cur.beta[0] = log((double)(rows - bads) / (double)bads);
    evaluate(x, rows, k, bad, l2, &cur);
    ph_status st = PH_OK;
    double change = INFINITY;
    size_t it, widest = 0;
    for (it = 1; it <= max_iterations; it++) {
        memcpy(l, cur.hess, p * p * sizeof(double));
        if (!sc_cholesky_factor(l, p, 1e-13)) {
            st = ph_error_set(err, PH_EINVAL, "l2", NULL,
                              "the Hessian is singular at iteration %zu: the WOE columns are "
                              "collinear or separate the target; raise l2",
                              it);
            break;
        }
        memcpy(step, cur.grad, p * sizeof(double));
        sc_cholesky_solve(l, p, step);
        double scale = 1.0;
        for (int h = 0; h <= MAX_HALVINGS; h++, scale *= 0.5) {
            for (size_t j = 0; j < p; j++)
                next.beta[j] = cur.beta[j] + scale * step[j];
            evaluate(x, rows, k, bad, l2, &next);
            if (next.objective <= cur.objective + 1e-12 * fabs(cur.objective))
                break;
        }
        change = 0.0;
        for (size_t j = 0; j < p; j++) {
            double d = fabs(next.beta[j] - cur.beta[j]);
            if (d > change) {
                change = d;
                widest = j;
            }
        }
        irls_state t = cur;
        cur = next;
        next = t;
        if (!isfinite(cur.objective) || !isfinite(change)) {
            st = ph_error_set(err, PH_EINVAL, "l2", NULL,
                              "the fit diverged at iteration %zu (non-finite coefficients)",
                              it);
            break;
        }
        if (change < tolerance)
            break;
    }
    if (st == PH_OK && it > max_iterations) {
        char value[32];
        snprintf(value, sizeof(value), "%zu", max_iterations);
        st = ph_error_set(err, PH_EINVAL, "max_iterations", value,
                          "the fit did not converge within %zu iterations: the largest "
                          "coefficient change (%s) was still %.3g, above the tolerance %.3g",
                          max_iterations, widest ? names[widest - 1] : "intercept", change,
                          tolerance);
    }
    if (st == PH_OK) {
        fit->intercept = cur.beta[0];
        for (size_t j = 0; j < k; j++)
            fit->coef[j] = cur.beta[j + 1];
        fit->iterations = it;
        fit->log_likelihood = -cur.objective;
    }
    ph_free(ctx, mem);
    return st;
}
