/*
 * The one exact rounding division every money and rate computation ends
 * with, and the check of a rounding mode before it (i128.h).
 */
#include "core/i128.h"

ph_status rounding_check(ph_rounding rounding, ph_error *err)
{
    if ((unsigned)rounding <= (unsigned)PH_ROUND_CEILING)
        return PH_OK;
    return ph_error_set(err, PH_EINVAL, "rounding", NULL,
                        "expected a rounding mode from PH_ROUND_HALF_UP to PH_ROUND_CEILING, "
                        "got %d",
                        (int)rounding);
}

i128 i128_div_round(i128 n, i128 d, ph_rounding rounding)
{
    i128 q = n / d; /* C truncates toward zero */
    i128 rem = n % d;
    if (rem == 0)
        return q;

    int negative = (n < 0) != (d < 0);
    i128 away = negative ? -1 : 1; /* one unit further from zero */
    /* The exact quotient lies between q and q + away; compare the distances
     * to each without forming 2 * rem, which could overflow. */
    u128 to_q = i128_abs(rem);
    u128 to_away = i128_abs(d) - to_q;

    switch (rounding) {
    case PH_ROUND_DOWN: return q;
    case PH_ROUND_UP: return q + away;
    case PH_ROUND_FLOOR: return negative ? q - 1 : q;
    case PH_ROUND_CEILING: return negative ? q : q + 1;
    case PH_ROUND_HALF_UP: return to_q >= to_away ? q + away : q;
    case PH_ROUND_HALF_EVEN:
        if (to_q != to_away)
            return to_q > to_away ? q + away : q;
        return q % 2 != 0 ? q + away : q;
    }
    return q; /* unreachable for a checked mode */
}
