/*
 * Exact 128-bit helpers shared inside the library by the modules that do
 * money arithmetic (money, rate). Not part of the public API: these symbols
 * are hidden by -fvisibility=hidden.
 */
#ifndef PH_MONEY_INTERNAL_H
#define PH_MONEY_INTERNAL_H

#include "puhui/money.h"

__extension__ typedef __int128 ph_i128;
__extension__ typedef unsigned __int128 ph_u128;

/* Magnitude of x as unsigned; defined for every value, the minimum included. */
static inline ph_u128 ph_i128_abs(ph_i128 x)
{
    return x < 0 ? (ph_u128)0 - (ph_u128)x : (ph_u128)x;
}

/* The magnitude of a 64-bit value, INT64_MIN included. */
static inline uint64_t ph_i64_abs(int64_t x)
{
    return x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
}

/*
 * n / d rounded by `rounding` (a mode checked by ph_rounding_check).
 * Defined for every n and every d != 0 but INT128_MIN / -1, the one quotient
 * that does not fit; no caller can form it, since every numerator is a
 * product of 64-bit values, overflow-checked when there are three.
 * (With |d| >= 2 the quotient is below 2^126, so rounding it one unit
 * further cannot overflow; with |d| == 1 there is no remainder.)
 */
ph_i128 ph_i128_div_round(ph_i128 n, ph_i128 d, ph_rounding rounding);

/* PH_OK for a rounding mode inside the enum, else PH_EINVAL (field "rounding"). */
ph_status ph_rounding_check(ph_rounding rounding, ph_error *err);

/* Store v in *out and return 1 if it fits in int64, else return 0. */
static inline int ph_i128_to_i64(ph_i128 v, int64_t *out)
{
    if (v < INT64_MIN || v > INT64_MAX)
        return 0;
    *out = (int64_t)v;
    return 1;
}

/* Name a byte for an error message: "'x'", "space" or "byte 0xNN". Writes
 * into buf (16 bytes suffice) and returns it. Defined in money.c. */
const char *ph_describe_byte(unsigned char c, char *buf, size_t size);

#endif /* PH_MONEY_INTERNAL_H */
