/*
 * puhui — calibration of a model's probability of bad.
 *
 * A gradient-boosted model ranks well but its raw probability need not be a
 * probability: boosting with early stopping, class weights or a sample that
 * over-represents defaults all shift it. A calibration, fitted on the
 * validation slice (cases the trees never saw), maps the raw probability to
 * one that matches the observed bad rate. Two methods:
 *
 *   - PH_CALIBRATION_PLATT: p = 1 / (1 + exp(-(a * logit(p_raw) + b))), a
 *     logistic regression on the raw log-odds, fitted by Newton's method on
 *     Platt's smoothed targets (a bad case counts as (N+ + 1) / (N+ + 2), a
 *     good one as 1 / (N- + 2), so a small slice does not give 0 or 1).
 *     a = 1, b = 0 is the identity.
 *   - PH_CALIBRATION_ISOTONIC: the non-decreasing step function closest in
 *     squared error to the bad flags (pool-adjacent-violators on the cases
 *     sorted by raw probability; cases with the same raw probability are
 *     pooled first, so they always get one value). It is stored as knots
 *     (x, y): each block of pooled cases gives a knot at its lowest and its
 *     highest raw probability, both at the block's bad rate. Applying it
 *     interpolates linearly between knots and holds the end values outside
 *     them.
 *
 * Every calibrated probability is clamped to [0.0003, 1 - 1e-6]. The floor
 * is the 0.03% that Basel sets under the PD of a corporate or SME exposure:
 * an isotonic block with no bads among its cases would otherwise give its
 * firms a PD near 0, which pricing and expected loss would take at its
 * word. Never 1 exactly either, so a log-odds of it is finite. A raw probability is read clamped
 * to [0, 1] and, for Platt, to [1e-15, 1 - 1e-15] before its logit.
 *
 * Stored form (ph_calibration_to_json): compact JSON,
 *   {"method":"platt","a":A,"b":B}
 *   {"method":"isotonic","x":[...],"y":[...]}
 * with every number written with 17 significant digits, so it reads back to
 * the same bits. An XGBoost JSON model carries it as the string attribute
 * learner.attributes.puhui_calibration (docs/tree_models.md).
 *
 * A calibration is immutable once made and may be used by several threads.
 */
#ifndef PUHUI_CALIBRATION_H
#define PUHUI_CALIBRATION_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ph_calibration ph_calibration;

typedef enum ph_calibration_method {
    PH_CALIBRATION_PLATT = 1,
    PH_CALIBRATION_ISOTONIC = 2
} ph_calibration_method;

/* The smallest and largest probability a calibration gives. */
#define PH_CALIBRATION_P_MIN 0.0003
#define PH_CALIBRATION_P_MAX (1.0 - 1e-6)

/* "platt", "isotonic" ("unknown" for anything else). */
PH_EXTERN const char *ph_calibration_method_name(ph_calibration_method method);

/*
 * Fit a calibration of `method` to n cases: p_raw[i] the model's raw
 * probability of bad, bad[i] 1 for a bad case, 0 for a good one. The
 * calibration allocates through ctx, which must outlive it.
 * Cost: Platt O(n) per Newton step (at most 100 steps, usually under 10),
 * n doubles of scratch; isotonic O(n log n) (a sort) and O(n) memory.
 * Errors: PH_EMISUSE for a NULL ctx / out, NULL arrays when n > 0, or an
 * unknown method; PH_EINVAL for n == 0, for cases of a single class (both
 * bad and good cases are needed), for a raw probability that is NaN or
 * outside [0, 1] (field "p_raw[i]", i the 0-based row, and its value), and
 * for a flag other than 0 or 1 (field "bad[i]"); PH_ENOMEM. *out is written
 * only on success.
 */
PH_EXTERN ph_status ph_calibration_fit(const ph_ctx *ctx, ph_calibration_method method,
                                       const double *p_raw, const uint8_t *bad, size_t n,
                                       ph_calibration **out, ph_error *err);

PH_EXTERN void ph_calibration_free(ph_calibration *c);

PH_EXTERN ph_calibration_method ph_calibration_method_of(const ph_calibration *c);

/*
 * The calibrated probability of a raw one, in [PH_CALIBRATION_P_MIN,
 * PH_CALIBRATION_P_MAX]; NaN for a NaN p_raw or a NULL c. Allocates
 * nothing. Cost: O(1) for Platt, O(log knots) for isotonic.
 */
PH_EXTERN double ph_calibration_apply(const ph_calibration *c, double p_raw);

/*
 * The stored form (see the file comment) as a NUL-terminated string in
 * *out, allocated with the ctx `c` was made with: free it with
 * ph_free(that ctx, *out). Cost: O(knots). Errors: PH_EMISUSE for NULL
 * arguments; PH_ENOMEM. *out is written only on success.
 */
PH_EXTERN ph_status ph_calibration_to_json(const ph_calibration *c, char **out, ph_error *err);

/*
 * Read the stored form from `len` bytes of `text` (need not be
 * NUL-terminated). Errors, PH_EINVAL, name where: the line and column of
 * malformed JSON; otherwise the member ("method", "a", "x[3]") and its
 * value, and what was expected: an object with "method" "platt" (and finite
 * numbers "a" and "b") or "isotonic" (and arrays "x" and "y" of equal,
 * non-zero length; x strictly increasing in [0, 1]; y non-decreasing in
 * [0, 1]); any other member is refused, so a misspelt one is not silently
 * ignored. PH_EMISUSE for NULL arguments; PH_ENOMEM. Cost: O(len).
 */
PH_EXTERN ph_status ph_calibration_from_json(const ph_ctx *ctx, const char *text, size_t len,
                                             ph_calibration **out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_CALIBRATION_H */
