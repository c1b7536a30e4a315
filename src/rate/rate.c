/*
 * Rates as text (percent, basis points, plain fractions) and checked rate
 * arithmetic. A rate is an exact count of 1e-8; see rate.h.
 */
#include "puhui/rate.h"

#include "core/escape.h"
#include "core/i128.h"
#include "core/number.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define FIELD "rate"
/* Used inside printf formats, hence the doubled percent signs. */
#define RANGE_TEXT "-9223372036854.775808%% to 9223372036854.775807%%"

/* The units a rate can be written in, and how many decimal places 1e-8
 * resolves in each: a unit is 10^decimals of 1e-8 (1% is 10^6 of them), so
 * its last decimal place is exactly 1e-8. */
typedef enum { UNIT_FRACTION, UNIT_PERCENT, UNIT_BP } rate_unit;

static const struct {
    const char *noun;
    int decimals;
} units[] = {
    [UNIT_FRACTION] = {"a fraction", 8},
    [UNIT_PERCENT] = {"a percentage", 6},
    [UNIT_BP] = {"basis points", 4},
};

/* Suffixes that name the unit. Letters match in any ASCII case. */
static const struct {
    const char *text;
    rate_unit unit;
} suffixes[] = {
    {"%", UNIT_PERCENT},
    {"\xef\xbc\x85", UNIT_PERCENT}, /* '％' FULLWIDTH PERCENT SIGN */
    {"bp", UNIT_BP},
};

#define SUFFIX_COUNT (sizeof(suffixes) / sizeof(suffixes[0]))

static const uint64_t powers_of_ten[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
                                         10000000, 100000000};

/* What a caller of the parser accepts. */
typedef struct {
    const char *example;  /* for messages: "a rate such as ..." */
    rate_unit bare_unit;  /* the unit of a number without suffix */
    int allow_bp;         /* whether the "bp" suffix is accepted */
} rate_syntax;

static const rate_syntax any_rate = {"a rate such as 3.85%, 385bp or 0.0385", UNIT_FRACTION,
                                     1};
static const rate_syntax percent_only = {"a percentage such as 3.85", UNIT_PERCENT, 0};

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does s[0..len) end in `suffix` (ASCII case ignored)? */
static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    if (n > len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(s[len - n + i]) != suffix[i])
            return 0;
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Accumulate digits as a negative number (so the minimum parses), noting
 * overflow without stopping: malformed text is reported first. */
static void push_digit(int64_t *acc, int *overflow, char c)
{
    if (*overflow)
        return;
    if (__builtin_mul_overflow(*acc, 10, acc) || __builtin_sub_overflow(*acc, c - '0', acc))
        *overflow = 1;
}

/*
 * Parse the number in s[0..end), written in `unit`; s[0..len) is the whole
 * input, shown in errors (positions are 1-based in the whole input).
 */
static ph_status parse_number(const char *s, size_t len, size_t end, rate_unit unit,
                              const rate_syntax *syntax, ph_rate *out, ph_error *err)
{
    int negative;
    size_t i = number_start(s, len, end, FIELD, syntax->example, &negative, err);
    if (i == (size_t)-1)
        return PH_EINVAL;

    int64_t acc = 0;
    int overflow = 0;
    size_t digits = 0;
    for (; i < end && is_digit(s[i]); i++, digits++)
        push_digit(&acc, &overflow, s[i]);
    if (digits == 0) {
        if (i < end && s[i] == '.')
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                              "expected a digit before the decimal point");
        if (i == end && i > 0)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len, "expected digits after the sign");
        if (i == end)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len, "expected a number before '%.*s'",
                              (int)(len - end), s + end);
    }

    int decimals = units[unit].decimals;
    size_t fraction = 0;
    if (i < end && s[i] == '.') {
        for (i++; i < end && is_digit(s[i]); i++, fraction++)
            if (fraction < (size_t)decimals)
                push_digit(&acc, &overflow, s[i]);
        if (fraction == 0 && i == end)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                              "expected a digit after the decimal point");
        if (fraction > (size_t)decimals)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                              "expected at most %d decimal places for %s (rates are exact "
                              "to 1e-8), got %zu",
                              decimals, units[unit].noun, fraction);
    }
    if (i < end) {
        char what[16];
        return ph_error_setn(err, PH_EINVAL, FIELD, s, len, "unexpected %s at position %zu; expected %s",
                          describe_byte((unsigned char)s[i], what, sizeof(what)), i + 1,
                          syntax->example);
    }

    /* Padded to `decimals` places, the digits count units of 1e-8: that is
     * what the unit's decimals were chosen for. */
    for (; fraction < (size_t)decimals; fraction++)
        push_digit(&acc, &overflow, '0');
    if (!negative && !overflow) {
        if (acc == INT64_MIN)
            overflow = 1;
        else
            acc = -acc;
    }
    if (overflow)
        return ph_error_setn(err, PH_ERANGE, FIELD, s, len,
                          "expected a rate from " RANGE_TEXT);
    *out = acc;
    return PH_OK;
}

static ph_status parse_rate(const char *s, size_t len, const rate_syntax *syntax,
                            const char *function, ph_rate *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: %s is NULL", function,
                            s == NULL ? "s" : "out");
    /* an empty input falls through to parse_number, which says so */
    rate_unit unit = syntax->bare_unit;
    size_t end = len;
    for (size_t i = 0; i < SUFFIX_COUNT; i++) {
        if (suffixes[i].unit == UNIT_BP && !syntax->allow_bp)
            continue;
        if (ends_with(s, len, suffixes[i].text)) {
            unit = suffixes[i].unit;
            end = len - strlen(suffixes[i].text);
            break;
        }
    }
    return parse_number(s, len, end, unit, syntax, out, err);
}

ph_status ph_rate_parse(const char *s, size_t len, ph_rate *out, ph_error *err)
{
    return parse_rate(s, len, &any_rate, "ph_rate_parse", out, err);
}

ph_status ph_rate_parse_percent(const char *s, size_t len, ph_rate *out, ph_error *err)
{
    return parse_rate(s, len, &percent_only, "ph_rate_parse_percent", out, err);
}

/*
 * Write rate in `unit` with trailing zeros trimmed down to `min_decimals`
 * (a bare point is dropped), followed by `suffix`.
 */
static ph_status format_in_unit(ph_rate rate, rate_unit unit, int min_decimals,
                                const char *suffix, const char *function, char *buf,
                                size_t size, ph_error *err)
{
    if (buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: buf is NULL", function);
    int decimals = units[unit].decimals;
    uint64_t magnitude = i64_abs(rate);
    uint64_t one = powers_of_ten[decimals]; /* the unit, in 1e-8 */

    /* Digits written by hand, not by snprintf: the marketplace formats two
     * rates into the subsidy sentence of every offer it prices. */
    char fraction[16];
    uint64_t frac = magnitude % one;
    for (int i = decimals - 1; i >= 0; i--, frac /= 10)
        fraction[i] = (char)('0' + frac % 10);
    int keep = decimals;
    while (keep > min_decimals && fraction[keep - 1] == '0')
        keep--;

    char text[64], whole[24];
    size_t n = 0, nw = 0;
    if (rate < 0)
        text[n++] = '-';
    uint64_t w = magnitude / one;
    do {
        whole[nw++] = (char)('0' + w % 10);
        w /= 10;
    } while (w > 0);
    while (nw > 0)
        text[n++] = whole[--nw];
    if (keep > 0) {
        text[n++] = '.';
        memcpy(text + n, fraction, (size_t)keep);
        n += (size_t)keep;
    }
    size_t suffix_len = strlen(suffix);
    memcpy(text + n, suffix, suffix_len + 1);
    size_t need = n + suffix_len + 1;
    if (size < need)
        return ph_error_set(err, PH_EMISUSE, NULL, text,
                            "%s: buffer of %zu bytes is too small, need %zu", function, size,
                            need);
    memcpy(buf, text, need);
    return PH_OK;
}

ph_status ph_rate_format_percent(ph_rate rate, char *buf, size_t size, ph_error *err)
{
    return format_in_unit(rate, UNIT_PERCENT, 2, "%", "ph_rate_format_percent", buf, size,
                          err);
}

ph_status ph_rate_format_bp(ph_rate rate, char *buf, size_t size, ph_error *err)
{
    return format_in_unit(rate, UNIT_BP, 0, "bp", "ph_rate_format_bp", buf, size, err);
}

/* --- Arithmetic ---------------------------------------------------------------- */

/* "3.85% + 1.00%", for the value of an overflow error. */
static const char *describe(char *buf, size_t size, ph_rate a, const char *op,
                            const char *rest)
{
    char a_text[PH_RATE_FORMAT_MAX];
    ph_rate_format_percent(a, a_text, sizeof(a_text), NULL);
    snprintf(buf, size, "%s %s %s", a_text, op, rest);
    return buf;
}

static ph_status overflow(ph_error *err, const char *operation, const char *what)
{
    return ph_error_set(err, PH_ERANGE, FIELD, operation,
                        "%s does not fit in a rate (" RANGE_TEXT ")", what);
}

static ph_status null_out(ph_error *err, const char *function)
{
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: out is NULL", function);
}

ph_status ph_rate_add(ph_rate a, ph_rate b, ph_rate *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_rate_add");
    ph_rate sum;
    if (__builtin_add_overflow(a, b, &sum)) {
        char b_text[PH_RATE_FORMAT_MAX], op[96];
        ph_rate_format_percent(b, b_text, sizeof(b_text), NULL);
        return overflow(err, describe(op, sizeof(op), a, "+", b_text), "the sum");
    }
    *out = sum;
    return PH_OK;
}

ph_status ph_rate_sub(ph_rate a, ph_rate b, ph_rate *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_rate_sub");
    ph_rate difference;
    if (__builtin_sub_overflow(a, b, &difference)) {
        char b_text[PH_RATE_FORMAT_MAX], op[96];
        ph_rate_format_percent(b, b_text, sizeof(b_text), NULL);
        return overflow(err, describe(op, sizeof(op), a, "-", b_text), "the difference");
    }
    *out = difference;
    return PH_OK;
}

ph_status ph_rate_mul(ph_rate a, ph_rate b, ph_rounding rounding, ph_rate *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_rate_mul");
    ph_status st = rounding_check(rounding, err);
    if (st != PH_OK)
        return st;
    i128 exact = i128_div_round((i128)a * b, PH_RATE_ONE, rounding);
    if (!i128_to_i64(exact, out)) {
        char b_text[PH_RATE_FORMAT_MAX], op[96];
        ph_rate_format_percent(b, b_text, sizeof(b_text), NULL);
        return overflow(err, describe(op, sizeof(op), a, "*", b_text), "the product");
    }
    return PH_OK;
}

ph_status ph_rate_mul_int(ph_rate rate, int64_t n, ph_rate *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_rate_mul_int");
    ph_rate product;
    if (__builtin_mul_overflow(rate, n, &product)) {
        char n_text[32], op[96];
        snprintf(n_text, sizeof(n_text), "%" PRId64, n);
        return overflow(err, describe(op, sizeof(op), rate, "*", n_text), "the product");
    }
    *out = product;
    return PH_OK;
}
