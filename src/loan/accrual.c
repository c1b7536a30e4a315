/*
 * Daily accrual of interest and penalty (include/puhui/schedule.h).
 *
 * The invariant: after each ph_accrual_day, posted = closed + round_half_up
 * (balance_days x rate / basis), the interest accrued to date, so the sum of
 * the day's deltas over a period is the period's interest rounded ONCE per
 * segment, never a sum of daily roundings (which drifts by up to half a fen
 * a day). At a constant balance and rate that is exactly the schedule's
 * instalment interest (the same loan_interest_round over balance x days).
 *
 * This is the close-of-business hot path: no allocation, no 128-bit
 * division in the common case, the checks a handful of compares.
 */
#include "puhui/schedule.h"

#include "loan/schedule_interest.h"

static ph_status check_rate(ph_rate rate, ph_daycount dc, const char *field, ph_error *err)
{
    if (rate < 0 || rate > PH_RATE_ONE)
        return ph_error_set(err, PH_EINVAL, field, NULL,
                            "expected an annual rate 0..100%% (0..%lld in 1e-8), got %lld",
                            (long long)PH_RATE_ONE, (long long)rate);
    if ((unsigned)dc > (unsigned)PH_DAYCOUNT_ACT_365)
        return ph_error_set(err, PH_EINVAL, "daycount", NULL,
                            "expected ACT/360 or ACT/365, got %d", (int)dc);
    return PH_OK;
}

/* closed + the open segment rounded, or PH_ERANGE when it overflows. */
static ph_status accrued(const ph_accrual *a, int64_t balance_days, ph_rate rate,
                         ph_daycount dc, ph_money *out, ph_error *err)
{
    i128 open = loan_interest_round(balance_days, rate, loan_interest_den(dc));
    i128 total = (i128)a->closed + open;
    if (total > INT64_MAX)
        return ph_error_set(err, PH_ERANGE, "closed", NULL,
                            "the interest accrued does not fit in int64 fen");
    *out = (ph_money)total;
    return PH_OK;
}

static ph_status day(ph_accrual *a, ph_money balance, ph_rate rate, ph_daycount dc,
                     ph_money *delta, const char *balance_field, const char *rate_field,
                     ph_error *err)
{
    if (a == NULL || delta == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_accrual_day: %s is NULL",
                            a == NULL ? "the accrual" : "delta");
    if (balance < 0)
        return ph_error_set(err, PH_EINVAL, balance_field, NULL,
                            "expected a balance >= 0 fen, got %lld", (long long)balance);
    ph_status st = check_rate(rate, dc, rate_field, err);
    if (st != PH_OK)
        return st;
    int64_t balance_days;
    if (__builtin_add_overflow(a->balance_days, balance, &balance_days) || balance_days < 0)
        return ph_error_set(err, PH_ERANGE, "balance_days", NULL,
                            "the period's fen-days no longer fit in int64: close the segment "
                            "or end the period");
    ph_money to_date = 0; /* set by accrued() on success; gcc -O3 cannot tell */
    st = accrued(a, balance_days, rate, dc, &to_date, err);
    if (st != PH_OK)
        return st;
    a->balance_days = balance_days;
    *delta = to_date - a->posted;
    a->posted = to_date;
    return PH_OK;
}

ph_status ph_accrual_day(ph_accrual *a, ph_money balance, ph_rate rate, ph_daycount dc,
                         ph_money *delta, ph_error *err)
{
    return day(a, balance, rate, dc, delta, "balance", "rate", err);
}

ph_status ph_penalty_day(ph_accrual *a, ph_money overdue, ph_rate penalty_rate, ph_daycount dc,
                         ph_money *delta, ph_error *err)
{
    return day(a, overdue, penalty_rate, dc, delta, "overdue", "penalty_rate", err);
}

ph_status ph_accrual_close_segment(ph_accrual *a, ph_rate rate, ph_daycount dc, ph_error *err)
{
    if (a == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_accrual_close_segment: the accrual is NULL");
    ph_status st = check_rate(rate, dc, "rate", err);
    if (st != PH_OK)
        return st;
    ph_money closed = 0; /* likewise */
    st = accrued(a, a->balance_days, rate, dc, &closed, err);
    if (st != PH_OK)
        return st;
    a->closed = closed;
    a->balance_days = 0;
    return PH_OK;
}

ph_status ph_accrual_accrued(const ph_accrual *a, ph_rate rate, ph_daycount dc, ph_money *out,
                             ph_error *err)
{
    if (a == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_accrual_accrued: %s is NULL",
                            a == NULL ? "the accrual" : "out");
    ph_status st = check_rate(rate, dc, "rate", err);
    if (st != PH_OK)
        return st;
    return accrued(a, a->balance_days, rate, dc, out, err);
}

ph_money ph_accrual_period_end(ph_accrual *a)
{
    if (a == NULL)
        return 0;
    ph_money interest = a->posted;
    *a = (ph_accrual){0, 0, 0};
    return interest;
}
