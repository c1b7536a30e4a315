/*
 * Inside a ph_calibration (include/puhui/calibration.h): what the fitters
 * and the JSON reader build, and what ph_calibration_apply reads.
 */
#ifndef PH_CALIBRATION_INTERNAL_H
#define PH_CALIBRATION_INTERNAL_H

#include "puhui/calibration.h"

struct ph_calibration {
    const ph_ctx *ctx;
    ph_calibration_method method;
    double a, b;      /* Platt: logistic(a * logit(p) + b) */
    size_t n_knots;   /* isotonic: knots x strictly increasing, y non-decreasing */
    double *x, *y;
};

/* An empty calibration of `method` with room for n_knots knots (none for
 * Platt). */
ph_status calibration_alloc(const ph_ctx *ctx, ph_calibration_method method, size_t n_knots,
                            ph_calibration **out, ph_error *err);

/* The fitters (calibration_fit.c), inputs already checked: both classes
 * present, every p in [0, 1], every flag 0 or 1. */
ph_status calibration_fit_platt(const ph_ctx *ctx, const double *p, const uint8_t *bad,
                                size_t n, ph_calibration **out, ph_error *err);
ph_status calibration_fit_isotonic(const ph_ctx *ctx, const double *p, const uint8_t *bad,
                                   size_t n, ph_calibration **out, ph_error *err);

/* The raw probability Platt takes the logit of: inside [1e-15, 1 - 1e-15],
 * so the logit is finite. The fitter and apply share it. */
double calibration_platt_input(double p);

#endif /* PH_CALIBRATION_INTERNAL_H */
