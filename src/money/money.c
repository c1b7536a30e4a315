/*
 * Money as text: the strict decimal parser and the formatter, plus the
 * whole-yuan conversions. Amounts are exact counts of fen; see money.h.
 */
#include "puhui/money.h"

#include "core/escape.h"
#include "core/i128.h"
#include "core/number.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FIELD "amount"
#define EXAMPLE "an amount such as 12345.67 or 12,345.67"
#define RANGE_TEXT "-92233720368547758.08 to 92233720368547758.07"

static ph_status unexpected(ph_error *err, const char *s, size_t len, size_t pos)
{
    char what[16];
    return ph_error_setn(err, PH_EINVAL, FIELD, s, len, "unexpected %s at position %zu; expected %s",
                        describe_byte((unsigned char)s[pos], what, sizeof(what)), pos + 1,
                        EXAMPLE);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The digits accumulate as a negative number so that the most negative
 * amount, whose magnitude exceeds INT64_MAX by one, parses too; a positive
 * amount is negated at the end. Overflow is remembered, not reported, until
 * the whole text is known to be well-formed: a malformed value is reported
 * as malformed, whatever its size.
 */
struct accumulator {
    int64_t value; /* <= 0 */
    int overflow;
};

static void push_digit(struct accumulator *acc, char c)
{
    if (acc->overflow)
        return;
    if (__builtin_mul_overflow(acc->value, 10, &acc->value) ||
        __builtin_sub_overflow(acc->value, c - '0', &acc->value))
        acc->overflow = 1;
}

ph_status ph_money_parse(const char *s, size_t len, ph_money *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_parse: %s is NULL",
                            s == NULL ? "s" : "out");
    int negative;
    size_t i = number_start(s, len, len, FIELD, EXAMPLE, &negative, err);
    if (i == (size_t)-1)
        return PH_EINVAL;

    /* Integer part, with optional thousands grouping. */
    struct accumulator acc = {0, 0};
    size_t digits = 0, group = 0;
    int grouped = 0, bad_grouping = 0;
    for (; i < len; i++) {
        if (is_digit(s[i])) {
            push_digit(&acc, s[i]);
            digits++;
            group++;
        } else if (s[i] == ',') {
            /* The first group has 1 to 3 digits, every later one exactly 3. */
            if (group == 0 || group > 3 || (grouped && group != 3))
                bad_grouping = 1;
            grouped = 1;
            group = 0;
        } else {
            break;
        }
    }
    if (digits == 0) {
        if (i < len && s[i] == '.')
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                                "expected a digit before the decimal point");
        if (i == len && grouped == 0)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len, "expected digits after the sign");
    }
    if (bad_grouping || (grouped && group != 3))
        return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                            "misplaced thousands separator: expected 1 to 3 digits, then "
                            "groups of exactly 3, as in 1,234,567.89");

    /* Fraction: one or two digits after the point. */
    size_t fraction = 0;
    if (i < len && s[i] == '.') {
        for (i++; i < len && is_digit(s[i]); i++) {
            if (fraction < 2)
                push_digit(&acc, s[i]);
            fraction++;
        }
        if (fraction == 0 && i == len)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                                "expected 1 or 2 digits after the decimal point");
        if (fraction > 2)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                                "expected at most 2 decimal places (whole fen), got %zu",
                                fraction);
    }
    if (i < len)
        return unexpected(err, s, len, i);

    for (; fraction < 2; fraction++)
        push_digit(&acc, '0');
    if (!negative && !acc.overflow) {
        if (acc.value == INT64_MIN)
            acc.overflow = 1;
        else
            acc.value = -acc.value;
    }
    if (acc.overflow)
        return ph_error_setn(err, PH_ERANGE, FIELD, s, len, "expected an amount from " RANGE_TEXT);
    *out = acc.value;
    return PH_OK;
}

/* Write the text of m into tmp (at least PH_MONEY_FORMAT_MAX bytes), right
 * to left; returns where it starts. */
static char *format_backwards(ph_money m, int grouping, char *tmp, size_t size)
{
    char *p = tmp + size;
    uint64_t magnitude = i64_abs(m);
    *--p = '\0';
    *--p = (char)('0' + magnitude % 10);
    magnitude /= 10;
    *--p = (char)('0' + magnitude % 10);
    magnitude /= 10;
    *--p = '.';
    int written = 0;
    do {
        if (grouping && written > 0 && written % 3 == 0)
            *--p = ',';
        *--p = (char)('0' + magnitude % 10);
        magnitude /= 10;
        written++;
    } while (magnitude > 0);
    if (m < 0)
        *--p = '-';
    return p;
}

ph_status ph_money_format(ph_money m, unsigned flags, char *buf, size_t size, ph_error *err)
{
    if (buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_format: buf is NULL");
    if ((flags & ~PH_MONEY_GROUPING) != 0)
        return ph_error_set(err, PH_EINVAL, "flags", NULL,
                            "expected PH_MONEY_GROUPING or 0, got 0x%x", flags);
    char tmp[PH_MONEY_FORMAT_MAX];
    const char *text = format_backwards(m, (flags & PH_MONEY_GROUPING) != 0, tmp, sizeof(tmp));
    size_t need = strlen(text) + 1;
    if (size < need)
        return ph_error_set(err, PH_EMISUSE, NULL, text,
                            "ph_money_format: buffer of %zu bytes is too small, need %zu",
                            size, need);
    memcpy(buf, text, need);
    return PH_OK;
}

ph_status ph_money_from_yuan(int64_t yuan, ph_money *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_from_yuan: out is NULL");
    ph_money fen;
    if (__builtin_mul_overflow(yuan, PH_FEN_PER_YUAN, &fen)) {
        char value[32];
        snprintf(value, sizeof(value), "%" PRId64, yuan);
        return ph_error_set(err, PH_ERANGE, FIELD, value,
                            "expected whole yuan from -92233720368547758 to "
                            "92233720368547758");
    }
    *out = fen;
    return PH_OK;
}

/* 1e-8 yuan: the resolution a feature value is taken at before it is
 * rounded to the fen, that of a policy decimal. */
#define UNITS_PER_YUAN INT64_C(100000000)
#define UNITS_PER_FEN (UNITS_PER_YUAN / PH_FEN_PER_YUAN)

ph_status ph_money_from_yuan_double(double yuan, ph_money *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_from_yuan_double: out is NULL");
    char value[32];
    if (isnan(yuan))
        return ph_error_set(err, PH_EINVAL, FIELD, "NaN",
                            "expected a number of yuan (map a missing value to null first)");
    if (!(fabs(yuan) < 9.3e16)) { /* beyond it, fen cannot fit: refused before any cast */
        snprintf(value, sizeof(value), "%.17g", yuan);
        return ph_error_set(err, PH_ERANGE, FIELD, value,
                            "expected yuan from -92233720368547758.07 to 92233720368547758.07");
    }
    /* yuan = mantissa * 2^e exactly, |mantissa| < 2^53; in 1e-8 yuan that is
     * mantissa * 1e8 * 2^e (< 2^80 * 2^4), divided exactly by 2^-e when e < 0. */
    int exponent;
    double fraction = frexp(yuan, &exponent);
    int64_t mantissa = (int64_t)ldexp(fraction, 53);
    int e = exponent - 53;
    i128 units = (i128)mantissa * UNITS_PER_YUAN;
    if (e >= 0)
        units *= (i128)1 << e;
    else
        units = e > -120 ? i128_div_round(units, (i128)1 << -e, PH_ROUND_HALF_EVEN) : 0;
    ph_money fen;
    if (!i128_to_i64(i128_div_round(units, UNITS_PER_FEN, PH_ROUND_HALF_EVEN), &fen)) {
        snprintf(value, sizeof(value), "%.17g", yuan);
        return ph_error_set(err, PH_ERANGE, FIELD, value,
                            "expected yuan from -92233720368547758.07 to 92233720368547758.07");
    }
    *out = fen;
    return PH_OK;
}

ph_status ph_money_to_yuan(ph_money m, ph_rounding rounding, int64_t *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_to_yuan: out is NULL");
    ph_status st = rounding_check(rounding, err);
    if (st != PH_OK)
        return st;
    *out = (int64_t)i128_div_round(m, PH_FEN_PER_YUAN, rounding);
    return PH_OK;
}
