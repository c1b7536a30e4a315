/*
 * Exact 128-bit arithmetic for the modules that compute with fixed-point
 * integers (money, rate, the policy decimals, the feed checks, USCC
 * generation, the market view): the types, magnitudes, the one rounding
 * division every money and rate computation ends with, and narrowing back
 * to 64 bits. Private to the library (hidden by -fvisibility=hidden).
 */
#ifndef PH_CORE_I128_H
#define PH_CORE_I128_H

#include <stdint.h>

#include "puhui/common.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* Magnitude of x as unsigned; defined for every value, the minimum included. */
static inline u128 i128_abs(i128 x)
{
    return x < 0 ? (u128)0 - (u128)x : (u128)x;
}

/* The magnitude of a 64-bit value, INT64_MIN included. */
static inline uint64_t i64_abs(int64_t x)
{
    return x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
}

/*
 * n / d rounded by `rounding` (a mode checked by rounding_check).
 * Defined for every n and every d != 0 but INT128_MIN / -1, the one quotient
 * that does not fit; no caller can form it, since every numerator is a
 * product of 64-bit values, overflow-checked when there are three.
 * (With |d| >= 2 the quotient is below 2^126, so rounding it one unit
 * further cannot overflow; with |d| == 1 there is no remainder.)
 */
i128 i128_div_round(i128 n, i128 d, ph_rounding rounding);

/* PH_OK for a rounding mode inside the enum, else PH_EINVAL (field "rounding"). */
ph_status rounding_check(ph_rounding rounding, ph_error *err);

/* Store v in *out and return 1 if it fits in int64, else return 0. */
static inline int i128_to_i64(i128 v, int64_t *out)
{
    if (v < INT64_MIN || v > INT64_MAX)
        return 0;
    *out = (int64_t)v;
    return 1;
}

#endif /* PH_CORE_I128_H */
