/*
 * A calibration: made by fitting or read back, applied to a raw probability
 * (include/puhui/calibration.h). The fitters are in calibration_fit.c, the
 * stored form in calibration_json.c.
 */
#include "puhui/calibration.h"

#include <math.h>
#include <stdio.h>

#include "calibration_internal.h"

const char *ph_calibration_method_name(ph_calibration_method method)
{
    switch (method) {
    case PH_CALIBRATION_PLATT: return "platt";
    case PH_CALIBRATION_ISOTONIC: return "isotonic";
    }
    return "unknown";
}

ph_status calibration_alloc(const ph_ctx *ctx, ph_calibration_method method, size_t n_knots,
                            ph_calibration **out, ph_error *err)
{
    ph_calibration *c = ph_calloc(ctx, 1, sizeof(*c));
    if (c && n_knots) {
        c->x = ph_calloc(ctx, n_knots, sizeof(double));
        c->y = ph_calloc(ctx, n_knots, sizeof(double));
    }
    if (!c || (n_knots && (!c->x || !c->y))) {
        if (c) {
            ph_free(ctx, c->x);
            ph_free(ctx, c->y);
        }
        ph_free(ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a calibration");
    }
    c->ctx = ctx;
    c->method = method;
    c->n_knots = n_knots;
    *out = c;
    return PH_OK;
}

void ph_calibration_free(ph_calibration *c)
{
    if (!c)
        return;
    ph_free(c->ctx, c->x);
    ph_free(c->ctx, c->y);
    ph_free(c->ctx, c);
}

ph_calibration_method ph_calibration_method_of(const ph_calibration *c)
{
    return c ? c->method : 0;
}

/* Every input is checked before any work: a bad row is named, not averaged in. */
static ph_status check_cases(const double *p, const uint8_t *bad, size_t n, ph_error *err)
{
    if (n == 0)
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "no cases to fit a calibration on: the validation slice is empty");
    size_t n_bad = 0;
    for (size_t i = 0; i < n; i++) {
        char field[PH_ERROR_FIELD_MAX], value[32];
        if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
            snprintf(field, sizeof(field), "p_raw[%zu]", i);
            snprintf(value, sizeof(value), "%.17g", p[i]);
            return ph_error_set(err, PH_EINVAL, field, value,
                                "row %zu: expected a raw probability in [0, 1]", i);
        }
        if (bad[i] > 1) {
            snprintf(field, sizeof(field), "bad[%zu]", i);
            snprintf(value, sizeof(value), "%u", (unsigned)bad[i]);
            return ph_error_set(err, PH_EINVAL, field, value,
                                "row %zu: expected 1 (bad) or 0 (good)", i);
        }
        n_bad += bad[i];
    }
    if (n_bad == 0 || n_bad == n)
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "all %zu cases are %s: a calibration needs both bad and good cases",
                            n, n_bad ? "bad" : "good");
    return PH_OK;
}

ph_status ph_calibration_fit(const ph_ctx *ctx, ph_calibration_method method,
                             const double *p_raw, const uint8_t *bad, size_t n,
                             ph_calibration **out, ph_error *err)
{
    if (!ctx || !out || (n && (!p_raw || !bad)))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_calibration_fit: NULL argument");
    if (method != PH_CALIBRATION_PLATT && method != PH_CALIBRATION_ISOTONIC)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_calibration_fit: unknown method %d", (int)method);
    ph_status st = check_cases(p_raw, bad, n, err);
    if (st != PH_OK)
        return st;
    if (method == PH_CALIBRATION_PLATT)
        return calibration_fit_platt(ctx, p_raw, bad, n, out, err);
    return calibration_fit_isotonic(ctx, p_raw, bad, n, out, err);
}

/* ---- applying ------------------------------------------------------------ */

double calibration_platt_input(double p)
{
    const double lo = 1e-15, hi = 1.0 - 1e-15;
    return p < lo ? lo : p > hi ? hi : p;
}

static double clamp_probability(double p)
{
    return p < PH_CALIBRATION_P_MIN ? PH_CALIBRATION_P_MIN
         : p > PH_CALIBRATION_P_MAX ? PH_CALIBRATION_P_MAX : p;
}

/* Linear between the knots around p, the end values outside them. */
static double isotonic_at(const ph_calibration *c, double p)
{
    const double *x = c->x, *y = c->y;
    size_t k = c->n_knots;
    if (p <= x[0])
        return y[0];
    if (p >= x[k - 1])
        return y[k - 1];
    size_t lo = 0, hi = k - 1; /* x[lo] < p < x[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] <= p)
            lo = mid;
        else
            hi = mid;
    }
    double v = y[lo] + (y[hi] - y[lo]) * ((p - x[lo]) / (x[hi] - x[lo]));
    /* y[lo] + (y[hi] - y[lo]) can round one ulp above y[hi]: held at y[hi],
     * so the function never decreases across a knot. */
    return v > y[hi] ? y[hi] : v;
}

double ph_calibration_apply(const ph_calibration *c, double p_raw)
{
    if (!c || isnan(p_raw))
        return NAN;
    double p = p_raw < 0.0 ? 0.0 : p_raw > 1.0 ? 1.0 : p_raw;
    if (c->method == PH_CALIBRATION_PLATT) {
        double q = calibration_platt_input(p);
        double z = c->a * log(q / (1.0 - q)) + c->b;
        return clamp_probability(1.0 / (1.0 + exp(-z)));
    }
    return clamp_probability(isotonic_at(c, p));
}
