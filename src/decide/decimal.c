/*
 * Exact decimals: a signed count of 1e-8 (see value.h). Parsing and
 * formatting are exact; sums are checked; products and quotients are formed
 * exactly in 128 bits and rounded once, with the mode the caller names.
 */
#include "puhui/value.h"

#include "core/escape.h"
#include "core/i128.h"
#include "core/number.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FIELD "decimal"
#define EXAMPLE "a decimal such as -1,200,000.5, 3.85% or 85bp"
#define RANGE_TEXT "-92233720368.54775808 to 92233720368.54775807"
#define FEN_UNITS INT64_C(1000000) /* 1 fen = 0.01 = 1e6 units of 1e-8 */

static const int64_t pow10_table[] = {
    INT64_C(1),      INT64_C(10),      INT64_C(100),      INT64_C(1000),     INT64_C(10000),
    INT64_C(100000), INT64_C(1000000), INT64_C(10000000), INT64_C(100000000),
};

/* ---- parsing ------------------------------------------------------------- */

static ph_status unexpected(ph_error *err, const char *s, size_t len, size_t pos)
{
    char what[16];
    return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                         "unexpected %s at position %zu; expected %s",
                         describe_byte((unsigned char)s[pos], what, sizeof(what)), pos + 1,
                         EXAMPLE);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The digits collect in 128 bits; past 30 significant digits the value is
 * beyond any decimal, so further digits only mark it too large (the syntax
 * is still checked to the end: malformed is reported before too large).
 */
struct digits {
    u128 value;
    int too_large;
};

static void push_digit(struct digits *acc, char c)
{
    if (acc->value > (u128)UINT64_MAX * 1000u * 1000u * 1000u) {
        acc->too_large = 1;
        return;
    }
    acc->value = acc->value * 10u + (u128)(c - '0');
}

/* Integer part with optional thousands commas: 1 to 3 digits, then groups
 * of exactly 3. Returns the index after it, or 0 after filling err. */
static size_t parse_integer(const char *s, size_t len, size_t i, struct digits *acc,
                            ph_error *err)
{
    size_t first = i, group = 0;
    int grouped = 0;
    while (i < len && (is_digit(s[i]) || s[i] == ',')) {
        if (s[i] == ',') {
            if ((!grouped && (group == 0 || group > 3)) || (grouped && group != 3))
                break;
            grouped = 1;
            group = 0;
        } else {
            push_digit(acc, s[i]);
            group++;
        }
        i++;
    }
    /* A comma that ended the loop, or a last group not of 3: misplaced. */
    if ((i < len && s[i] == ',') || (grouped && group != 3)) {
        ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                      "misplaced thousands separator: expected 1 to 3 digits, then groups of "
                      "exactly 3, as in 1,234,567.89");
        return 0;
    }
    if (i == first) {
        if (i < len && s[i] == '.')
            ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                          "expected a digit before the decimal point");
        else if (i == len)
            ph_error_setn(err, PH_EINVAL, FIELD, s, len, "expected digits after the sign");
        else
            unexpected(err, s, len, i);
        return 0;
    }
    return i;
}

ph_status ph_decimal_parse(const char *s, size_t len, ph_decimal *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_decimal_parse: %s is NULL",
                            s == NULL ? "s" : "out");
    int negative;
    size_t i = number_start(s, len, len, FIELD, EXAMPLE, &negative, err);
    if (i == (size_t)-1)
        return PH_EINVAL;

    struct digits acc = {0, 0};
    i = parse_integer(s, len, i, &acc, err);
    if (i == 0)
        return err != NULL ? err->code : PH_EINVAL;

    /* Fraction: trailing zeros are exact, so they do not count as places. */
    int places = 0, pending_zeros = 0;
    if (i < len && s[i] == '.') {
        i++;
        if (i == len || !is_digit(s[i]))
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                                 "expected digits after the decimal point");
        for (; i < len && is_digit(s[i]); i++) {
            if (s[i] == '0') {
                pending_zeros++;
                continue;
            }
            for (; pending_zeros > 0; pending_zeros--, places++)
                push_digit(&acc, '0');
            push_digit(&acc, s[i]);
            places++;
        }
    }

    int shift = 0; /* "%" moves the point 2 places, "bp" 4 */
    if (i < len && s[i] == '%') {
        shift = 2;
        i++;
    } else if (i + 1 < len && s[i] == 'b' && s[i + 1] == 'p') {
        shift = 4;
        i += 2;
    }
    if (i < len)
        return unexpected(err, s, len, i);

    if (places + shift > PH_DECIMAL_PLACES)
        return ph_error_setn(err, PH_ERANGE, FIELD, s, len,
                             "expected at most 8 decimal places (as a plain number), got %d; "
                             "a decimal is never rounded silently",
                             places + shift);
    u128 magnitude = acc.value * (u128)pow10_table[PH_DECIMAL_PLACES - places - shift];
    u128 limit = negative ? (u128)INT64_MAX + 1u : (u128)INT64_MAX;
    if (acc.too_large || magnitude > limit)
        return ph_error_setn(err, PH_ERANGE, FIELD, s, len,
                             "expected a decimal from " RANGE_TEXT);
    *out = negative ? (ph_decimal)((u128)0 - magnitude) : (ph_decimal)magnitude;
    return PH_OK;
}

/* ---- formatting ---------------------------------------------------------- */

/* Shortest exact text into buf (PH_DECIMAL_FORMAT_MAX bytes); its length. */
static size_t format_into(ph_decimal d, char *buf)
{
    uint64_t magnitude = i64_abs(d);
    uint64_t whole = magnitude / (uint64_t)PH_DECIMAL_ONE;
    uint64_t fraction = magnitude % (uint64_t)PH_DECIMAL_ONE;
    int n = snprintf(buf, PH_DECIMAL_FORMAT_MAX, "%s%llu", d < 0 ? "-" : "",
                     (unsigned long long)whole);
    if (fraction != 0) {
        int places = PH_DECIMAL_PLACES;
        while (fraction % 10u == 0) {
            fraction /= 10u;
            places--;
        }
        n += snprintf(buf + n, (size_t)(PH_DECIMAL_FORMAT_MAX - n), ".%0*llu", places,
                      (unsigned long long)fraction);
    }
    return (size_t)n;
}

ph_status ph_decimal_format(ph_decimal d, char *buf, size_t size, ph_error *err)
{
    if (buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_decimal_format: buf is NULL");
    char text[PH_DECIMAL_FORMAT_MAX];
    size_t len = format_into(d, text);
    if (len + 1 > size)
        return ph_error_set(err, PH_EMISUSE, "buffer", text,
                            "ph_decimal_format: buffer of %zu bytes is too small, need %zu",
                            size, len + 1);
    memcpy(buf, text, len + 1);
    return PH_OK;
}

/* ---- arithmetic ---------------------------------------------------------- */

static ph_status null_out(ph_error *err, const char *function)
{
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: out is NULL", function);
}

/* "a OP b" as text, for the value of an error. */
static const char *describe(char *buf, size_t size, ph_decimal a, const char *op,
                            ph_decimal b)
{
    char a_text[PH_DECIMAL_FORMAT_MAX], b_text[PH_DECIMAL_FORMAT_MAX];
    format_into(a, a_text);
    format_into(b, b_text);
    snprintf(buf, size, "%s %s %s", a_text, op, b_text);
    return buf;
}

static ph_status overflow(ph_error *err, ph_decimal a, const char *op, ph_decimal b,
                          const char *what)
{
    char text[2 * PH_DECIMAL_FORMAT_MAX + 8];
    return ph_error_set(err, PH_ERANGE, FIELD, describe(text, sizeof(text), a, op, b),
                        "%s does not fit in a decimal (" RANGE_TEXT ")", what);
}

ph_status ph_decimal_add(ph_decimal a, ph_decimal b, ph_decimal *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_add");
    ph_decimal sum;
    if (__builtin_add_overflow(a, b, &sum))
        return overflow(err, a, "+", b, "the sum");
    *out = sum;
    return PH_OK;
}

ph_status ph_decimal_sub(ph_decimal a, ph_decimal b, ph_decimal *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_sub");
    ph_decimal difference;
    if (__builtin_sub_overflow(a, b, &difference))
        return overflow(err, a, "-", b, "the difference");
    *out = difference;
    return PH_OK;
}

/* |a * b| < 2^126, so the exact product always fits 128 bits. */
ph_status ph_decimal_mul(ph_decimal a, ph_decimal b, ph_rounding rounding, ph_decimal *out,
                         ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_mul");
    if (rounding_check(rounding, err) != PH_OK)
        return PH_EINVAL;
    i128 product = i128_div_round((i128)a * b, PH_DECIMAL_ONE, rounding);
    if (!i128_to_i64(product, out))
        return overflow(err, a, "*", b, "the product");
    return PH_OK;
}

/* |a * 1e8| < 2^90: the scaled dividend always fits 128 bits. */
ph_status ph_decimal_div(ph_decimal a, ph_decimal b, ph_rounding rounding, ph_decimal *out,
                         ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_div");
    if (rounding_check(rounding, err) != PH_OK)
        return PH_EINVAL;
    if (b == 0) {
        char text[2 * PH_DECIMAL_FORMAT_MAX + 8];
        return ph_error_set(err, PH_EINVAL, FIELD, describe(text, sizeof(text), a, "/", b),
                            "division by zero");
    }
    i128 quotient = i128_div_round((i128)a * PH_DECIMAL_ONE, b, rounding);
    if (!i128_to_i64(quotient, out))
        return overflow(err, a, "/", b, "the quotient");
    return PH_OK;
}

ph_status ph_decimal_round(ph_decimal d, int places, ph_rounding rounding, ph_decimal *out,
                           ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_round");
    if (rounding_check(rounding, err) != PH_OK)
        return PH_EINVAL;
    if (places < 0 || places > PH_DECIMAL_PLACES)
        return ph_error_set(err, PH_EINVAL, "places", NULL,
                            "expected 0 to 8 decimal places, got %d", places);
    i128 unit = pow10_table[PH_DECIMAL_PLACES - places];
    i128 rounded = i128_div_round(d, unit, rounding) * unit;
    if (!i128_to_i64(rounded, out)) {
        char text[PH_DECIMAL_FORMAT_MAX];
        format_into(d, text);
        return ph_error_set(err, PH_ERANGE, FIELD, text,
                            "rounded to %d places it does not fit in a decimal (" RANGE_TEXT
                            ")",
                            places);
    }
    return PH_OK;
}

/* ---- conversions --------------------------------------------------------- */

/*
 * The double's exact value is m * 2^e with |m| < 2^53. Scaled by 1e8 it is
 * m * 1e8 * 2^e: for e < 0 an exact 128-bit division by 2^-e, rounded
 * half-even once (so 0.0385, stored as 0.038499999999999999811..., is
 * 0.0385 exactly); for e >= 0 the value is whole.
 */
ph_status ph_decimal_from_double(double x, ph_decimal *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_from_double");
    if (isnan(x))
        return ph_error_set(err, PH_EINVAL, FIELD, "NaN",
                            "expected a number (map a missing value to null first)");
    if (!(fabs(x) < 92233720369.0)) {
        char text[64];
        snprintf(text, sizeof(text), "%.17g", x);
        return ph_error_set(err, PH_ERANGE, FIELD, text, "expected a decimal from " RANGE_TEXT);
    }
    int exponent;
    double fraction = frexp(x, &exponent);
    int64_t mantissa = (int64_t)ldexp(fraction, 53); /* exact: 53 significant bits */
    int e = exponent - 53;
    i128 scaled = (i128)mantissa * PH_DECIMAL_ONE;
    i128 value;
    if (e >= 0)
        value = scaled << e; /* |x| < 2^37, so e <= 0 in practice; kept for clarity */
    else if (e > -120)
        value = i128_div_round(scaled, (i128)1 << -e, PH_ROUND_HALF_EVEN);
    else
        value = 0; /* |x * 1e8| < 2^80 / 2^120: far below half a unit */
    if (!i128_to_i64(value, out)) {
        char text[64];
        snprintf(text, sizeof(text), "%.17g", x);
        return ph_error_set(err, PH_ERANGE, FIELD, text, "expected a decimal from " RANGE_TEXT);
    }
    return PH_OK;
}

double ph_decimal_to_double(ph_decimal d)
{
    /* Whole and fraction apart: each converts exactly (|whole| < 2^37),
     * where (double)d alone would lose bits above 2^53. */
    int64_t whole = d / PH_DECIMAL_ONE;
    int64_t fraction = d % PH_DECIMAL_ONE;
    return (double)whole + (double)fraction / (double)PH_DECIMAL_ONE;
}

ph_status ph_decimal_from_money(ph_money fen, ph_decimal *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_from_money");
    ph_decimal d;
    if (__builtin_mul_overflow(fen, FEN_UNITS, &d)) {
        char text[PH_MONEY_FORMAT_MAX];
        ph_money_format(fen, 0, text, sizeof(text), NULL);
        return ph_error_set(err, PH_ERANGE, "amount", text,
                            "expected an amount from " RANGE_TEXT " to convert to a decimal");
    }
    *out = d;
    return PH_OK;
}

ph_status ph_decimal_to_money(ph_decimal d, ph_rounding rounding, ph_money *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_decimal_to_money");
    if (rounding_check(rounding, err) != PH_OK)
        return PH_EINVAL;
    *out = (ph_money)i128_div_round(d, FEN_UNITS, rounding);
    return PH_OK;
}
