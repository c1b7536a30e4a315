/*
 * Loan-loss provisions: a share, in basis points per category, of the
 * exposure (principal not yet due + principal due + interest due). Accrued
 * interest not yet billed and penalty are income not yet owed, so they are
 * not provisioned. One rounding, half up, per loan per day: the held
 * provision is always exactly the rounded target, so the daily changes of
 * a loan sum to its provision.
 */
#include "cob_internal.h"

#include "core/i128.h"

ph_money ph_loan_exposure(const ph_loan_state *s)
{
    if (s == NULL)
        return 0;
    i128 e = (i128)s->principal + s->principal_due + s->interest_due;
    return e > INT64_MAX ? PH_MONEY_MAX : (ph_money)e;
}

ph_status ph_cob_provision(const ph_cob_rules *r, ph_loan_category c, ph_money exposure,
                           ph_money *out, ph_error *err)
{
    if (r == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_provision: NULL argument");
    if ((unsigned)c >= PH_CATEGORY_COUNT)
        return ph_error_set(err, PH_EINVAL, "category", NULL, "expected a loan category, got %d",
                            (int)c);
    if (exposure < 0)
        return ph_error_set(err, PH_EINVAL, "exposure", NULL, "expected an exposure >= 0, got %lld fen",
                            (long long)exposure);
    /* bp <= 10000, so the result never exceeds the exposure: no overflow. */
    *out = (ph_money)i128_div_round((i128)exposure * r->provision_bp[c], 10000, PH_ROUND_HALF_UP);
    return PH_OK;
}
