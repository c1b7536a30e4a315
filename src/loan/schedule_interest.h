/*
 * The one interest formula of the loan book, shared by the schedule and the
 * daily accrual so that both round the same product the same way:
 * round_half_up(fen_days x rate / (basis x 1e8)), exact, for fen_days >= 0
 * and rate in 0..PH_RATE_ONE. Private to src/loan/.
 */
#ifndef PH_LOAN_SCHEDULE_INTEREST_H
#define PH_LOAN_SCHEDULE_INTEREST_H

#include "core/i128.h"
#include "puhui/rate.h"

/* 360 or 365 x PH_RATE_ONE: the denominator of a day's interest. */
static inline int64_t loan_interest_den(ph_daycount dc)
{
    return (dc == PH_DAYCOUNT_ACT_365 ? 365 : 360) * PH_RATE_ONE;
}

/*
 * fen_days x rate / den rounded half-up, both operands >= 0. The common
 * case stays in 64 bits (the COB engine calls this once per loan per day,
 * and a 128-bit division costs tens of nanoseconds); the result is the same
 * whenever the product plus half the denominator fits, checked by an
 * overflowing multiply rather than a division.
 */
static inline i128 loan_interest_round(i128 fen_days, ph_rate rate, int64_t den)
{
    int64_t num;
    if (fen_days <= INT64_MAX && !__builtin_mul_overflow((int64_t)fen_days, rate, &num) &&
        num <= INT64_MAX - den / 2)
        return (num + den / 2) / den;
    return (fen_days * rate + den / 2) / den;
}

#endif /* PH_LOAN_SCHEDULE_INTEREST_H */
