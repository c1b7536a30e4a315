/*
 * Fitting a calibration: Platt's logistic on the raw log-odds, and the
 * isotonic step function by pool-adjacent-violators.
 */
#include <math.h>
#include <stdlib.h>

#include "calibration_internal.h"

/* ---- Platt ----------------------------------------------------------------- */

/* log(1 + exp(z)) without overflow. */
static double softplus(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

/* The smoothed cross-entropy of (a, b), and (when g is not NULL) its
 * gradient g[2] and Hessian h[3] (aa, ab, bb). */
static double platt_loss(const double *f, const double *t, size_t n, double a, double b,
                         double *g, double *h)
{
    double loss = 0.0;
    if (g) {
        g[0] = g[1] = 0.0;
        h[0] = h[1] = h[2] = 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        double z = a * f[i] + b;
        loss += t[i] * softplus(-z) + (1.0 - t[i]) * softplus(z);
        if (g) {
            double q = 1.0 / (1.0 + exp(-z)), d = q - t[i], w = q * (1.0 - q);
            g[0] += d * f[i];
            g[1] += d;
            h[0] += w * f[i] * f[i];
            h[1] += w * f[i];
            h[2] += w;
        }
    }
    return loss;
}

/*
 * Newton's method with a backtracking line search (Lin, Lin and Weng's
 * "A note on Platt's probabilistic outputs", 2007). The loss is convex; a
 * tiny ridge keeps the Hessian invertible when every raw probability is the
 * same (then a stays 0 and b is the smoothed log-odds of bad). It stops when
 * the gradient is negligible, when a Newton step could gain less than the
 * loss can resolve, or when a step no longer lowers the loss.
 */
ph_status calibration_fit_platt(const ph_ctx *ctx, const double *p, const uint8_t *bad,
                                size_t n, ph_calibration **out, ph_error *err)
{
    double *f = ph_malloc(ctx, 2 * n * sizeof(double));
    if (!f)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory fitting a calibration");
    double *t = f + n;
    size_t n_bad = 0;
    for (size_t i = 0; i < n; i++)
        n_bad += bad[i];
    double n_good = (double)(n - n_bad), n_pos = (double)n_bad;
    double t_bad = (n_pos + 1.0) / (n_pos + 2.0), t_good = 1.0 / (n_good + 2.0);
    for (size_t i = 0; i < n; i++) {
        double q = calibration_platt_input(p[i]);
        f[i] = log(q / (1.0 - q));
        t[i] = bad[i] ? t_bad : t_good;
    }
    const double ridge = 1e-12, tolerance = 1e-12 * (double)n;
    double a = 0.0, b = log((n_pos + 1.0) / (n_good + 1.0)), g[2], h[3];
    double loss = platt_loss(f, t, n, a, b, g, h);
    for (int iter = 0; iter < 100; iter++) {
        if (fabs(g[0]) + fabs(g[1]) < tolerance)
            break;
        double haa = h[0] + ridge, hab = h[1], hbb = h[2] + ridge;
        double det = haa * hbb - hab * hab;
        double da = -(hbb * g[0] - hab * g[1]) / det;
        double db = -(haa * g[1] - hab * g[0]) / det;
        double slope = g[0] * da + g[1] * db, step = 1.0, next = loss;
        /* The Newton decrement: what a full step would gain at most. Once
         * it is below what the loss (a sum of n terms) can resolve, the
         * fit is done: further steps only chase rounding. */
        if (-slope < 1e-15 * (1.0 + fabs(loss)))
            break;
        while (step >= 1e-10) {
            next = platt_loss(f, t, n, a + step * da, b + step * db, NULL, NULL);
            if (next <= loss + 1e-4 * step * slope)
                break;
            step /= 2.0;
        }
        if (step < 1e-10 || !isfinite(next))
            break;
        a += step * da;
        b += step * db;
        loss = platt_loss(f, t, n, a, b, g, h);
    }
    ph_free(ctx, f);
    /* a <= 0 would rank the cases backwards or all alike: the model does
     * not order this slice's risk, and no calibration mends that */
    if (!(a > 0.0))
        return ph_error_set(err, PH_EINVAL, "p_raw", NULL,
                            "the fitted Platt slope is %g: expected above 0 (higher raw "
                            "probabilities riskier); the model does not rank this sample",
                            a);
    ph_status st = calibration_alloc(ctx, PH_CALIBRATION_PLATT, 0, out, err);
    if (st == PH_OK) {
        (*out)->a = a;
        (*out)->b = b;
    }
    return st;
}

/* ---- isotonic -------------------------------------------------------------- */

typedef struct iso_case {
    double p;
    uint8_t bad;
} iso_case;

/* A block of pooled cases: its bad count over its weight is its value. */
typedef struct iso_block {
    double bads, weight;
    double x_lo, x_hi;
} iso_block;

static int by_p(const void *l, const void *r)
{
    double a = ((const iso_case *)l)->p, b = ((const iso_case *)r)->p;
    return (a > b) - (a < b);
}

/* Is block l's value at least r's? Compared as cross products of counts,
 * exact while the counts stay below 2^53: no division decides a merge. */
static int violates(const iso_block *l, const iso_block *r)
{
    return l->bads * r->weight >= r->bads * l->weight;
}

/*
 * Pool-adjacent-violators: cases sorted by raw probability, equal ones
 * pooled into one block; each new block is merged with the one before it
 * while that one's value is not below its own, so the stack of blocks is
 * always strictly increasing. Equal values are merged too: the step
 * function is the same, with fewer knots.
 */
ph_status calibration_fit_isotonic(const ph_ctx *ctx, const double *p, const uint8_t *bad,
                                   size_t n, ph_calibration **out, ph_error *err)
{
    iso_case *cases = ph_malloc(ctx, n * sizeof(*cases));
    iso_block *blocks = ph_malloc(ctx, n * sizeof(*blocks));
    if (!cases || !blocks) {
        ph_free(ctx, cases);
        ph_free(ctx, blocks);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory fitting a calibration");
    }
    for (size_t i = 0; i < n; i++) {
        cases[i].p = p[i];
        cases[i].bad = bad[i];
    }
    qsort(cases, n, sizeof(*cases), by_p);
    size_t top = 0, knots = 0; /* blocks[0 .. top) */
    for (size_t i = 0; i < n;) {
        iso_block next = {0.0, 0.0, cases[i].p, cases[i].p};
        for (; i < n && cases[i].p == next.x_lo; i++) {
            next.bads += cases[i].bad;
            next.weight += 1.0;
        }
        while (top > 0 && violates(&blocks[top - 1], &next)) {
            const iso_block *prev = &blocks[--top];
            next.bads += prev->bads;
            next.weight += prev->weight;
            next.x_lo = prev->x_lo;
        }
        blocks[top++] = next;
    }
    for (size_t k = 0; k < top; k++)
        knots += blocks[k].x_hi > blocks[k].x_lo ? 2 : 1;
    ph_status st = calibration_alloc(ctx, PH_CALIBRATION_ISOTONIC, knots, out, err);
    if (st == PH_OK) {
        size_t j = 0;
        for (size_t k = 0; k < top; k++) {
            double value = blocks[k].bads / blocks[k].weight;
            (*out)->x[j] = blocks[k].x_lo;
            (*out)->y[j++] = value;
            if (blocks[k].x_hi > blocks[k].x_lo) {
                (*out)->x[j] = blocks[k].x_hi;
                (*out)->y[j++] = value;
            }
        }
    }
    ph_free(ctx, cases);
    ph_free(ctx, blocks);
    return st;
}
