/*
 * Daily accrual, a stand-in so the COB engine builds and is tested before
 * the schedule branch lands (that branch owns the real implementation and
 * this file is dropped at merge). It follows the contract of
 * include/puhui/schedule.h exactly:
 *   accrued to date = closed + round_half_up(balance_days * rate / (basis * 1e8))
 *   delta           = accrued to date - posted
 */
#include "puhui/schedule.h"

#include "core/i128.h"

/* The open segment's interest, rounded half up once. */
static ph_status open_interest(const ph_accrual *a, ph_rate rate, ph_daycount dc, ph_money *out,
                               ph_error *err)
{
    int64_t basis = ph_daycount_basis(dc);
    if (basis == 0)
        return ph_error_set(err, PH_EINVAL, "daycount", NULL, "expected ACT/360 or ACT/365");
    i128 q = i128_div_round((i128)a->balance_days * rate, (i128)basis * PH_RATE_ONE,
                            PH_ROUND_HALF_UP);
    int64_t v;
    if (!i128_to_i64(q, &v) || (a->closed > 0 && v > PH_MONEY_MAX - a->closed))
        return ph_error_set(err, PH_ERANGE, "interest", NULL, "accrued interest overflows");
    *out = v;
    return PH_OK;
}

ph_status ph_accrual_day(ph_accrual *a, ph_money balance, ph_rate rate, ph_daycount dc,
                         ph_money *delta, ph_error *err)
{
    if (a == NULL || delta == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_accrual_day: NULL argument");
    ph_accrual next = *a;
    if (__builtin_add_overflow(next.balance_days, balance, &next.balance_days))
        return ph_error_set(err, PH_ERANGE, "balance_days", NULL, "fen-days overflow");
    ph_money open = 0;
    ph_status st = open_interest(&next, rate, dc, &open, err);
    if (st != PH_OK)
        return st;
    ph_money to_date = next.closed + open;
    *delta = to_date - next.posted;
    next.posted = to_date;
    *a = next;
    return PH_OK;
}

ph_status ph_accrual_close_segment(ph_accrual *a, ph_rate rate, ph_daycount dc, ph_error *err)
{
    if (a == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_accrual_close_segment: NULL argument");
    ph_money open = 0;
    ph_status st = open_interest(a, rate, dc, &open, err);
    if (st != PH_OK)
        return st;
    a->closed += open;
    a->balance_days = 0;
    return PH_OK;
}

ph_money ph_accrual_period_end(ph_accrual *a)
{
    if (a == NULL)
        return 0;
    ph_money interest = a->posted;
    a->closed = 0;
    a->balance_days = 0;
    a->posted = 0;
    return interest;
}
