/*
 * The fast, exactly rounding decimal reader (see float_parse.h).
 */
#include "core/float_parse.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 10^0 .. 10^22: every one an exact double (10^22 < 2^53 * 2^22 and its
 * factor 5^22 < 2^53), which is what makes one multiply exact-then-rounded. */
static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define TWO_POW_53 ((uint64_t)1 << 53)
#define MAX_SIGNIFICANT 19 /* 10^19 - 1 < 2^64 */
#define EXPONENT_CAP 100000 /* beyond this only 0 or overflow can result */

/* The slow path: strtod on a NUL-terminated copy, with the same refusals. */
static int parse_with_strtod(const char *s, size_t len, double *out)
{
    char buf[FLOAT_PARSE_MAX_LEN];
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    int saved = errno;
    errno = 0;
    double v = strtod(buf, &end);
    int range = errno == ERANGE;
    errno = saved;
    if (end != buf + len || range || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* Parse the decimal grammar of float_parse.h. Returns 0 on a syntax error;
 * otherwise 1 with the significand w of the first MAX_SIGNIFICANT
 * significant digits, the power of ten p such that the value is w * 10^p
 * when `inexact` is 0, and `inexact` set when a nonzero digit was dropped
 * or the exponent was capped. */
static int scan_decimal(const char *s, size_t len, int *negative, uint64_t *w_out,
                        long *p_out, int *inexact)
{
    size_t i = 0;
    *negative = 0;
    *inexact = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        *negative = s[i++] == '-';
    uint64_t w = 0;
    int significant = 0; /* digits gathered in w, leading zeros not counted */
    long dropped = 0;    /* integer digits not gathered: each one a power of ten */
    long fraction = 0;   /* fraction digits gathered: each one a negative power */
    size_t digits = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (significant < MAX_SIGNIFICANT) {
            w = w * 10 + d;
            significant += w != 0;
        } else {
            dropped++;
            *inexact |= d != 0;
        }
    }
    if (i < len && s[i] == '.') {
        i++;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            unsigned d = (unsigned)(s[i] - '0');
            if (significant < MAX_SIGNIFICANT) {
                w = w * 10 + d;
                significant += w != 0;
                fraction++;
            } else {
                *inexact |= d != 0;
            }
        }
    }
    if (digits == 0)
        return 0;
    long exponent = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int exp_negative = 0;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            exp_negative = s[i++] == '-';
        size_t start = i;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (exponent < EXPONENT_CAP)
                exponent = exponent * 10 + (s[i] - '0');
            else
                *inexact = 1;
        }
        if (i == start)
            return 0;
        if (exp_negative)
            exponent = -exponent;
    }
    if (i != len)
        return 0;
    *w_out = w;
    *p_out = exponent + dropped - fraction;
    return 1;
}

/* The common case first: at most MAX_SIGNIFICANT digits in all, so w
 * cannot overflow and no digit needs a test of its own. Returns 1 (w, p set;
 * exact), 0 on a syntax error, -1 when there are more digits (the careful
 * scan_decimal then reads it). */
static int scan_short(const char *s, size_t len, int *negative, uint64_t *w_out, long *p_out)
{
    size_t i = 0;
    *negative = 0;
    if (s[0] == '+' || s[0] == '-')
        *negative = s[i++] == '-';
    uint64_t w = 0;
    size_t start = i;
    for (; i < len && (unsigned)(s[i] - '0') < 10; i++)
        w = w * 10 + (unsigned)(s[i] - '0');
    size_t digits = i - start, fraction = 0;
    if (i < len && s[i] == '.') {
        size_t point = ++i;
        for (; i < len && (unsigned)(s[i] - '0') < 10; i++)
            w = w * 10 + (unsigned)(s[i] - '0');
        fraction = i - point;
        digits += fraction;
    }
    if (digits == 0)
        return 0;
    if (digits > MAX_SIGNIFICANT)
        return -1;
    long exponent = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int exp_negative = 0;
        if (++i < len && (s[i] == '+' || s[i] == '-'))
            exp_negative = s[i++] == '-';
        size_t first = i;
        for (; i < len && (unsigned)(s[i] - '0') < 10; i++) {
            if (exponent >= EXPONENT_CAP)
                return -1;
            exponent = exponent * 10 + (s[i] - '0');
        }
        if (i == first)
            return 0;
        if (exp_negative)
            exponent = -exponent;
    }
    if (i != len)
        return 0;
    *w_out = w;
    *p_out = exponent - (long)fraction;
    return 1;
}

int float_parse(const char *s, size_t len, double *out)
{
    if (len == 0 || len >= FLOAT_PARSE_MAX_LEN)
        return 0;
    int negative, inexact = 0;
    uint64_t w;
    long p;
    int got = scan_short(s, len, &negative, &w, &p);
    if (got == 0)
        return 0;
    if (got < 0 && !scan_decimal(s, len, &negative, &w, &p, &inexact))
        return 0;
#if FLT_EVAL_METHOD == 0
    if (!inexact && w <= TWO_POW_53) {
        double v;
        if (w == 0) {
            v = 0.0;
        } else if (p >= 0 && p <= 22) {
            v = (double)w * exact_pow10[p];
        } else if (p < 0 && p >= -22) {
            v = (double)w / exact_pow10[-p];
        } else if (p > 22 && p <= 22 + 15) {
            /* w * 10^(p-22) may still be an exact integer within 2^53. */
            uint64_t scaled = w;
            for (long k = 22; k < p && scaled <= TWO_POW_53; k++)
                scaled *= 10;
            if (scaled > TWO_POW_53)
                return parse_with_strtod(s, len, out);
            v = (double)scaled * exact_pow10[22];
        } else {
            return parse_with_strtod(s, len, out);
        }
        *out = negative ? -v : v;
        return 1;
    }
#endif
    return parse_with_strtod(s, len, out);
}
