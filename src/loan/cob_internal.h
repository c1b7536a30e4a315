/*
 * The COB engine's private parts: the rules as the engine reads them.
 */
#ifndef PH_LOAN_COB_INTERNAL_H
#define PH_LOAN_COB_INTERNAL_H

#include "puhui/cob.h"

struct ph_cob_rules {
    const ph_ctx *ctx;
    /* min_dpd[c]: the least DPD classified c; min_dpd[NORMAL] is 0 and the
     * others strictly increase with the category. */
    int32_t min_dpd[PH_CATEGORY_COUNT];
    int32_t provision_bp[PH_CATEGORY_COUNT]; /* 0..10000 */
    ph_loan_category restructured_floor;
    int32_t observation_days;
    int32_t observation_periods;
    int32_t default_dpd;
};

/* The built-in rules (the 2023 rules), for ph_cob_rules_default and as the
 * starting point of a loaded document. */
void cob_rules_set_defaults(ph_cob_rules *r);

/* The category DPD alone gives (no restructuring, no history). */
ph_loan_category cob_category_for_dpd(const ph_cob_rules *r, int32_t dpd);

/* ph_cob_classify without argument checks: the engine's hot path. */
ph_loan_category cob_classify(const ph_cob_rules *r, const ph_loan_state *s, ph_date d);

#endif /* PH_LOAN_COB_INTERNAL_H */
