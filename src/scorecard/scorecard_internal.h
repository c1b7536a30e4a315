/* Shared between the files of the scorecard module. */
#ifndef PH_SCORECARD_INTERNAL_H
#define PH_SCORECARD_INTERNAL_H

#include "puhui/scorecard.h"

/* The scorecard (opaque in puhui/scorecard.h). Tests that build one by hand
 * include this header. */
struct ph_scorecard {
    const ph_ctx *ctx;
    char *name;
    double initial_score;
    int use_reason_codes;
    ph_sc_reason_algorithm reason_algorithm;
    ph_sc_characteristic *characteristics;
    size_t n_characteristics;
    int has_scale;
    double base_points, base_odds, pdo;
    /* Training summary (0 / NULL when imported): rows, bads, the target
     * column's name, the intercept of the regression. */
    uint64_t train_rows, train_bads;
    char *target;
    double intercept;
    double train_auc, train_ks;
    /* The variables training dropped (training only; not in PMML). */
    ph_sc_dropped *dropped;
    size_t n_dropped;
};

/* Release what a characteristic holds and zero it. */
void sc_characteristic_clear(const ph_ctx *ctx, ph_sc_characteristic *c);

#endif /* PH_SCORECARD_INTERNAL_H */
