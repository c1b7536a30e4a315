/* Money: parsing, formatting, rounding and exact arithmetic (src/money). */
#include "ph_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SENTINEL INT64_C(0x5a5a5a5a5a5a5a5a)
#define RANGE "(-92233720368547758.08 to 92233720368547758.07)"

/* --- Parsing ------------------------------------------------------------------ */

static void test_parse_accepts(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        ph_money fen;
    } cases[] = {
        {"12345.67", 1234567},
        {"12,345.67", 1234567},
        {"-12.5", -1250},
        {"12", 1200},
        {"0.05", 5},
        {"+12", 1200},
        {"-0", 0},
        {"-0.00", 0},
        {"007", 700},
        {"0.5", 50},
        {"-0.01", -1},
        {"999", 99900},
        {"1,000", 100000},
        {"1,234,567.89", 123456789},
        {"-1,234,567", -123456700},
        {"92233720368547758.07", PH_MONEY_MAX},
        {"92,233,720,368,547,758.07", PH_MONEY_MAX},
        {"-92233720368547758.08", PH_MONEY_MIN},
        {"-92,233,720,368,547,758.08", PH_MONEY_MIN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_money out = SENTINEL;
        ph_error err;
        ph_error_clear(&err);
        ph_assert_ok(ph_money_parse(cases[i].text, strlen(cases[i].text), &out, &err), &err);
        if (out != cases[i].fen)
            fail_msg("'%s' parsed as %lld, expected %lld", cases[i].text, (long long)out,
                     (long long)cases[i].fen);
    }
}

static void test_parse_uses_only_len_bytes(void **state)
{
    (void)state;
    ph_money out = 0;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_money_parse("12.34xyz", 5, &out, &err), &err);
    assert_int_equal(out, 1234);
}

static void test_parse_rejects(void **state)
{
    (void)state;
#define EXAMPLE "expected an amount such as 12345.67 or 12,345.67"
#define GROUPING                                                                          \
    "misplaced thousands separator: expected 1 to 3 digits, then groups of exactly 3, as " \
    "in 1,234,567.89"
    static const struct {
        const char *text;
        size_t len; /* 0: strlen(text) */
        ph_status code;
        const char *message;
    } cases[] = {
        {"", 0, PH_EINVAL, "field amount: " EXAMPLE ", got an empty string"},
        {" 12", 0, PH_EINVAL, "field amount, value ' 12': unexpected space at position 1; " EXAMPLE},
        {"12 ", 0, PH_EINVAL, "field amount, value '12 ': unexpected space at position 3; " EXAMPLE},
        {"1 234", 0, PH_EINVAL,
         "field amount, value '1 234': unexpected space at position 2; " EXAMPLE},
        {"1.005", 0, PH_EINVAL,
         "field amount, value '1.005': expected at most 2 decimal places (whole fen), got 3"},
        {"1.0000", 0, PH_EINVAL,
         "field amount, value '1.0000': expected at most 2 decimal places (whole fen), got 4"},
        {"1.", 0, PH_EINVAL,
         "field amount, value '1.': expected 1 or 2 digits after the decimal point"},
        {".5", 0, PH_EINVAL, "field amount, value '.5': expected a digit before the decimal point"},
        {"-.5", 0, PH_EINVAL,
         "field amount, value '-.5': expected a digit before the decimal point"},
        {"12a", 0, PH_EINVAL, "field amount, value '12a': unexpected 'a' at position 3; " EXAMPLE},
        {"abc", 0, PH_EINVAL, "field amount, value 'abc': unexpected 'a' at position 1; " EXAMPLE},
        {"1e5", 0, PH_EINVAL, "field amount, value '1e5': unexpected 'e' at position 2; " EXAMPLE},
        {"\xef\xbc\x91\xef\xbc\x92", 0, PH_EINVAL,
         "field amount, value '\xef\xbc\x91\xef\xbc\x92': unexpected byte 0xef at position 1; "
         EXAMPLE},
        {"12\0", 3, PH_EINVAL,
         "field amount, value '12\\x00': unexpected byte 0x00 at position 3; " EXAMPLE},
        {"--1", 0, PH_EINVAL, "field amount, value '--1': expected at most one sign"},
        {"+-1", 0, PH_EINVAL, "field amount, value '+-1': expected at most one sign"},
        {"-", 0, PH_EINVAL, "field amount, value '-': expected digits after the sign"},
        {"+", 0, PH_EINVAL, "field amount, value '+': expected digits after the sign"},
        {"1-", 0, PH_EINVAL, "field amount, value '1-': unexpected '-' at position 2; " EXAMPLE},
        {"1,23,456", 0, PH_EINVAL, "field amount, value '1,23,456': " GROUPING},
        {"1234,567", 0, PH_EINVAL, "field amount, value '1234,567': " GROUPING},
        {",123", 0, PH_EINVAL, "field amount, value ',123': " GROUPING},
        {",", 0, PH_EINVAL, "field amount, value ',': " GROUPING},
        {"1,234,", 0, PH_EINVAL, "field amount, value '1,234,': " GROUPING},
        {"1,2345", 0, PH_EINVAL, "field amount, value '1,2345': " GROUPING},
        {"1,,234", 0, PH_EINVAL, "field amount, value '1,,234': " GROUPING},
        {"1,234.5,6", 0, PH_EINVAL,
         "field amount, value '1,234.5,6': unexpected ',' at position 8; " EXAMPLE},
        {"1.2.3", 0, PH_EINVAL, "field amount, value '1.2.3': unexpected '.' at position 4; " EXAMPLE},
        {"1.x", 0, PH_EINVAL, "field amount, value '1.x': unexpected 'x' at position 3; " EXAMPLE},
        {"92233720368547758.08", 0, PH_ERANGE,
         "field amount, value '92233720368547758.08': expected an amount from "
         "-92233720368547758.08 to 92233720368547758.07"},
        {"-92233720368547758.09", 0, PH_ERANGE,
         "field amount, value '-92233720368547758.09': expected an amount from "
         "-92233720368547758.08 to 92233720368547758.07"},
        {"99999999999999999999999", 0, PH_ERANGE,
         "field amount, value '99999999999999999999999': expected an amount from "
         "-92233720368547758.08 to 92233720368547758.07"},
        {"1,000,000,000,000,000,000", 0, PH_ERANGE,
         "field amount, value '1,000,000,000,000,000,000': expected an amount from "
         "-92233720368547758.08 to 92233720368547758.07"},
        /* Malformed beats too large: the syntax is reported first. */
        {"99999999999999999999999x", 0, PH_EINVAL,
         "field amount, value '99999999999999999999999x': unexpected 'x' at position 24; "
         EXAMPLE},
    };
#undef EXAMPLE
#undef GROUPING
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        ph_money out = SENTINEL;
        ph_error err;
        ph_error_clear(&err);
        ph_status st = ph_money_parse(cases[i].text, len, &out, &err);
        ph_assert_error(st, cases[i].code, &err, NULL);
        assert_string_equal(err.message, cases[i].message);
        assert_string_equal(err.field, "amount");
        assert_true(out == SENTINEL); /* untouched on failure */
        /* A NULL error record is allowed and changes nothing but the report. */
        assert_int_equal(ph_money_parse(cases[i].text, len, &out, NULL), cases[i].code);
    }
}

static void test_parse_misuse(void **state)
{
    (void)state;
    ph_money out;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_error(ph_money_parse(NULL, 1, &out, &err), PH_EMISUSE, &err,
                    "ph_money_parse: s is NULL");
    ph_assert_error(ph_money_parse("1", 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_parse: out is NULL");
}

/* --- Formatting ---------------------------------------------------------------- */

static void test_format(void **state)
{
    (void)state;
    static const struct {
        ph_money fen;
        unsigned flags;
        const char *text;
    } cases[] = {
        {1234567, 0, "12345.67"},
        {1234567, PH_MONEY_GROUPING, "12,345.67"},
        {-5, 0, "-0.05"},
        {-5, PH_MONEY_GROUPING, "-0.05"},
        {0, 0, "0.00"},
        {100, 0, "1.00"},
        {99999, PH_MONEY_GROUPING, "999.99"},
        {100000, PH_MONEY_GROUPING, "1,000.00"},
        {-100000, PH_MONEY_GROUPING, "-1,000.00"},
        {123456789, PH_MONEY_GROUPING, "1,234,567.89"},
        {PH_MONEY_MAX, 0, "92233720368547758.07"},
        {PH_MONEY_MAX, PH_MONEY_GROUPING, "92,233,720,368,547,758.07"},
        {PH_MONEY_MIN, 0, "-92233720368547758.08"},
        {PH_MONEY_MIN, PH_MONEY_GROUPING, "-92,233,720,368,547,758.08"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[PH_MONEY_FORMAT_MAX];
        ph_error err;
        ph_error_clear(&err);
        ph_assert_ok(ph_money_format(cases[i].fen, cases[i].flags, buf, sizeof(buf), &err), &err);
        assert_string_equal(buf, cases[i].text);
        /* and back */
        ph_money back = SENTINEL;
        ph_assert_ok(ph_money_parse(buf, strlen(buf), &back, &err), &err);
        assert_true(back == cases[i].fen);
    }
}

static void test_format_buffer_size(void **state)
{
    (void)state;
    char buf[16];
    ph_error err;
    ph_error_clear(&err);
    memset(buf, 'X', sizeof(buf));
    /* "12,345.67" needs 10 bytes with the NUL: 9 is an error, buf untouched. */
    ph_status st = ph_money_format(1234567, PH_MONEY_GROUPING, buf, 9, &err);
    ph_assert_error(st, PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "value '12,345.67': ph_money_format: buffer of 9 bytes is "
                                     "too small, need 10");
    for (size_t i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 'X');
    ph_assert_ok(ph_money_format(1234567, PH_MONEY_GROUPING, buf, 10, &err), &err);
    assert_string_equal(buf, "12,345.67");
    ph_assert_error(ph_money_format(0, 0, buf, 0, &err), PH_EMISUSE, &err,
                    "buffer of 0 bytes is too small, need 5");

    ph_assert_error(ph_money_format(0, 0, NULL, 10, &err), PH_EMISUSE, &err,
                    "ph_money_format: buf is NULL");
    st = ph_money_format(0, 0x2, buf, sizeof(buf), &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field flags: expected PH_MONEY_GROUPING or 0, got 0x2");
}

/* Every amount near the edges and across the digit-group boundaries
 * survives a format/parse round trip in both styles. */
static void test_format_parse_round_trip(void **state)
{
    (void)state;
    ph_money values[] = {0, 1, 9, 10, 99, 100, 999, 1000, 99999, 100000, 100001,
                         999999999, 100000000000, PH_MONEY_MAX, PH_MONEY_MAX - 1,
                         PH_MONEY_MIN, PH_MONEY_MIN + 1};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        for (int sign = -1; sign <= 1; sign += 2) {
            ph_money m = values[i];
            if (sign < 0 && m != PH_MONEY_MIN)
                m = -m;
            for (unsigned flags = 0; flags <= PH_MONEY_GROUPING; flags++) {
                char buf[PH_MONEY_FORMAT_MAX];
                ph_money back = SENTINEL;
                ph_error err;
                ph_error_clear(&err);
                ph_assert_ok(ph_money_format(m, flags, buf, sizeof(buf), &err), &err);
                ph_assert_ok(ph_money_parse(buf, strlen(buf), &back, &err), &err);
                assert_true(back == m);
            }
        }
    }
}

/* --- Rounding modes ------------------------------------------------------------- */

static void test_rounding_names(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        ph_rounding mode;
    } cases[] = {
        {"half-up", PH_ROUND_HALF_UP}, {"half-even", PH_ROUND_HALF_EVEN},
        {"down", PH_ROUND_DOWN},       {"up", PH_ROUND_UP},
        {"floor", PH_ROUND_FLOOR},     {"ceiling", PH_ROUND_CEILING},
        {"HALF_EVEN", PH_ROUND_HALF_EVEN}, {"Half-Up", PH_ROUND_HALF_UP},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_rounding mode = (ph_rounding)-1;
        ph_error err;
        ph_error_clear(&err);
        ph_assert_ok(ph_rounding_parse(cases[i].text, strlen(cases[i].text), &mode, &err), &err);
        assert_int_equal(mode, cases[i].mode);
    }
    assert_string_equal(ph_rounding_name(PH_ROUND_HALF_EVEN), "half-even");
    assert_string_equal(ph_rounding_name(PH_ROUND_CEILING), "ceiling");
    assert_null(ph_rounding_name((ph_rounding)42));
    assert_int_equal(PH_ROUND_HALF_UP, 0); /* the default of zeroed options */

    ph_rounding mode = PH_ROUND_FLOOR;
    ph_error err;
    ph_error_clear(&err);
    ph_status st = ph_rounding_parse("nearest", 7, &mode, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field rounding, value 'nearest': expected one of half-up, "
                                     "half-even, down, up, floor, ceiling");
    ph_assert_error(ph_rounding_parse("half-u", 6, &mode, &err), PH_EINVAL, &err, "'half-u'");
    ph_assert_error(ph_rounding_parse("half-upx", 8, &mode, &err), PH_EINVAL, &err, "'half-upx'");
    assert_int_equal(mode, PH_ROUND_FLOOR);
    ph_assert_error(ph_rounding_parse(NULL, 0, &mode, &err), PH_EMISUSE, &err, "s is NULL");
    ph_assert_error(ph_rounding_parse("up", 2, NULL, &err), PH_EMISUSE, &err, "out is NULL");
}

/* --- Arithmetic --------------------------------------------------------------------- */

static void test_add_sub_mul(void **state)
{
    (void)state;
    ph_money out = SENTINEL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_money_add(1234567, -67, &out, &err), &err);
    assert_int_equal(out, 1234500);
    ph_assert_ok(ph_money_sub(5, 10, &out, &err), &err);
    assert_int_equal(out, -5);
    ph_assert_ok(ph_money_mul_int(12345, 3, &out, &err), &err);
    assert_int_equal(out, 37035);
    ph_assert_ok(ph_money_add(PH_MONEY_MAX, PH_MONEY_MIN, &out, &err), &err);
    assert_int_equal(out, -1);

    out = SENTINEL;
    ph_status st = ph_money_add(PH_MONEY_MAX, 1, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field amount, value '92233720368547758.07 + 0.01': the sum "
                                     "does not fit in an amount " RANGE);
    st = ph_money_sub(PH_MONEY_MIN, 1, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field amount, value '-92233720368547758.08 - 0.01': the "
                                     "difference does not fit in an amount " RANGE);
    st = ph_money_mul_int(PH_MONEY_MAX, 2, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field amount, value '92233720368547758.07 * 2': the product "
                                     "does not fit in an amount " RANGE);
    ph_assert_error(ph_money_mul_int(PH_MONEY_MIN, -1, &out, &err), PH_ERANGE, &err,
                    "'-92233720368547758.08 * -1'");
    assert_true(out == SENTINEL);

    ph_assert_error(ph_money_add(1, 1, NULL, &err), PH_EMISUSE, &err, "ph_money_add: out is NULL");
    ph_assert_error(ph_money_sub(1, 1, NULL, &err), PH_EMISUSE, &err, "ph_money_sub: out is NULL");
    ph_assert_error(ph_money_mul_int(1, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_mul_int: out is NULL");
}

/* Every rounding mode on values just below, at and above the half, with
 * both signs and a negative denominator. */
static void test_muldiv_rounding(void **state)
{
    (void)state;
    static const ph_rounding modes[] = {PH_ROUND_HALF_UP, PH_ROUND_HALF_EVEN, PH_ROUND_DOWN,
                                        PH_ROUND_UP,      PH_ROUND_FLOOR,     PH_ROUND_CEILING};
    static const struct {
        ph_money m;
        int64_t num, den;
        ph_money expect[6]; /* in the order of modes[] */
    } cases[] = {
        {25, 1, 10, {3, 2, 2, 3, 2, 3}},        /*  2.5 */
        {-25, 1, 10, {-3, -2, -2, -3, -3, -2}}, /* -2.5 */
        {25, 1, -10, {-3, -2, -2, -3, -3, -2}}, /* -2.5 by the denominator's sign */
        {-25, -1, -10, {-3, -2, -2, -3, -3, -2}},
        {35, 1, 10, {4, 4, 3, 4, 3, 4}},        /*  3.5: half-even goes up */
        {-35, 1, 10, {-4, -4, -3, -4, -4, -3}},
        {26, 1, 10, {3, 3, 2, 3, 2, 3}},        /*  2.6 */
        {24, 1, 10, {2, 2, 2, 3, 2, 3}},        /*  2.4 */
        {-24, 1, 10, {-2, -2, -2, -3, -3, -2}}, /* -2.4 */
        {-26, 1, 10, {-3, -3, -2, -3, -3, -2}}, /* -2.6 */
        {20, 1, 10, {2, 2, 2, 2, 2, 2}},        /* exact */
        {1, 1, 3, {0, 0, 0, 1, 0, 1}},          /* 0.333 */
        {-1, 1, 3, {0, 0, 0, -1, -1, 0}},
        {5, 1, 10, {1, 0, 0, 1, 0, 1}},         /* 0.5: half-even to 0 */
        {100000, 3, 7, {42857, 42857, 42857, 42858, 42857, 42858}},
        /* Exact through 128 bits: the intermediate is far past 64. */
        {PH_MONEY_MAX, PH_MONEY_MAX, PH_MONEY_MAX,
         {PH_MONEY_MAX, PH_MONEY_MAX, PH_MONEY_MAX, PH_MONEY_MAX, PH_MONEY_MAX, PH_MONEY_MAX}},
        {PH_MONEY_MIN, PH_MONEY_MAX, PH_MONEY_MAX,
         {PH_MONEY_MIN, PH_MONEY_MIN, PH_MONEY_MIN, PH_MONEY_MIN, PH_MONEY_MIN, PH_MONEY_MIN}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (size_t k = 0; k < 6; k++) {
            ph_money out = SENTINEL;
            ph_error err;
            ph_error_clear(&err);
            ph_assert_ok(ph_money_muldiv(cases[i].m, cases[i].num, cases[i].den, modes[k], &out,
                                         &err),
                         &err);
            if (out != cases[i].expect[k])
                fail_msg("%lld * %lld / %lld rounded %s gave %lld, expected %lld",
                         (long long)cases[i].m, (long long)cases[i].num, (long long)cases[i].den,
                         ph_rounding_name(modes[k]), (long long)out,
                         (long long)cases[i].expect[k]);
        }
    }
}

static void test_muldiv_errors(void **state)
{
    (void)state;
    ph_money out = SENTINEL;
    ph_error err;
    ph_error_clear(&err);
    ph_status st = ph_money_muldiv(100, 1, 0, PH_ROUND_HALF_UP, &out, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field denominator, value '1.00 * 1 / 0': division by zero");

    st = ph_money_muldiv(PH_MONEY_MAX, 3, 2, PH_ROUND_HALF_UP, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field amount, value '92233720368547758.07 * 3 / 2': the "
                                     "result does not fit in an amount " RANGE);
    ph_assert_error(ph_money_muldiv(PH_MONEY_MIN, -1, 1, PH_ROUND_DOWN, &out, &err), PH_ERANGE,
                    &err, "the result does not fit");

    /* 4294967297 * 4294967295 / 2 = PH_MONEY_MAX + 0.5: only the rounding
     * decides whether it fits. */
    ph_assert_ok(ph_money_muldiv(4294967297, 4294967295, 2, PH_ROUND_DOWN, &out, &err), &err);
    assert_true(out == PH_MONEY_MAX);
    out = SENTINEL;
    ph_assert_error(ph_money_muldiv(4294967297, 4294967295, 2, PH_ROUND_HALF_UP, &out, &err),
                    PH_ERANGE, &err, "does not fit");
    assert_true(out == SENTINEL);

    st = ph_money_muldiv(1, 1, 1, (ph_rounding)42, &out, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field rounding: expected a rounding mode from "
                                     "PH_ROUND_HALF_UP to PH_ROUND_CEILING, got 42");
    ph_assert_error(ph_money_muldiv(1, 1, 1, (ph_rounding)-1, &out, &err), PH_EINVAL, &err,
                    "got -1");
    ph_assert_error(ph_money_muldiv(1, 1, 1, PH_ROUND_UP, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_muldiv: out is NULL");
    assert_true(out == SENTINEL);
}

static void test_div_int(void **state)
{
    (void)state;
    ph_money out = SENTINEL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_money_div_int(1000, 3, PH_ROUND_HALF_UP, &out, &err), &err);
    assert_int_equal(out, 333);
    ph_assert_ok(ph_money_div_int(1000, 3, PH_ROUND_UP, &out, &err), &err);
    assert_int_equal(out, 334);
    ph_assert_ok(ph_money_div_int(-1000, 3, PH_ROUND_FLOOR, &out, &err), &err);
    assert_int_equal(out, -334);
    ph_assert_ok(ph_money_div_int(1050, 100, PH_ROUND_HALF_EVEN, &out, &err), &err);
    assert_int_equal(out, 10);
    ph_assert_ok(ph_money_div_int(PH_MONEY_MIN, 1, PH_ROUND_HALF_EVEN, &out, &err), &err);
    assert_true(out == PH_MONEY_MIN);

    out = SENTINEL;
    ph_status st = ph_money_div_int(1000, 0, PH_ROUND_HALF_UP, &out, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field denominator, value '10.00 / 0': division by zero");
    st = ph_money_div_int(PH_MONEY_MIN, -1, PH_ROUND_HALF_UP, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field amount, value '-92233720368547758.08 / -1': the "
                                     "quotient does not fit in an amount " RANGE);
    ph_assert_error(ph_money_div_int(1, 1, (ph_rounding)6, &out, &err), PH_EINVAL, &err,
                    "field rounding: expected a rounding mode");
    ph_assert_error(ph_money_div_int(1, 1, PH_ROUND_UP, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_div_int: out is NULL");
    assert_true(out == SENTINEL);
}

static ph_money sum_of(const ph_money *parts, size_t n)
{
    ph_money total = 0;
    for (size_t i = 0; i < n; i++)
        assert_false(__builtin_add_overflow(total, parts[i], &total));
    return total;
}

static void test_split(void **state)
{
    (void)state;
    ph_money parts[5];
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_money_split(1000, 3, parts, &err), &err);
    assert_int_equal(parts[0], 334);
    assert_int_equal(parts[1], 333);
    assert_int_equal(parts[2], 333);
    ph_assert_ok(ph_money_split(-1000, 3, parts, &err), &err);
    assert_int_equal(parts[0], -334);
    assert_int_equal(parts[1], -333);
    assert_int_equal(parts[2], -333);
    ph_assert_ok(ph_money_split(2, 5, parts, &err), &err);
    assert_int_equal(parts[0], 1);
    assert_int_equal(parts[1], 1);
    assert_int_equal(parts[2], 0);
    assert_int_equal(parts[4], 0);
    ph_assert_ok(ph_money_split(PH_MONEY_MIN, 2, parts, &err), &err);
    assert_true(parts[0] == PH_MONEY_MIN / 2 && parts[1] == PH_MONEY_MIN / 2);
    ph_assert_ok(ph_money_split(PH_MONEY_MAX, 5, parts, &err), &err);
    assert_true(sum_of(parts, 5) == PH_MONEY_MAX);
    assert_true(parts[0] == PH_MONEY_MAX / 5 + 1 && parts[1] == PH_MONEY_MAX / 5 + 1 &&
                parts[2] == PH_MONEY_MAX / 5);
    ph_assert_ok(ph_money_split(7, 1, parts, &err), &err);
    assert_int_equal(parts[0], 7);

    parts[0] = SENTINEL;
    ph_status st = ph_money_split(100, 0, parts, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field parts, value '0': expected at least one part");
    assert_true(parts[0] == SENTINEL);
    ph_assert_error(ph_money_split(100, 2, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_split: parts is NULL");
}

static void check_allocation(ph_money total, const int64_t *weights, size_t n,
                             const ph_money *expect)
{
    ph_money parts[8];
    ph_error err;
    ph_error_clear(&err);
    assert_true(n <= 8);
    ph_assert_ok(ph_money_allocate(total, weights, n, parts, &err), &err);
    for (size_t i = 0; i < n; i++)
        if (parts[i] != expect[i])
            fail_msg("allocating %lld: part %zu is %lld, expected %lld", (long long)total, i,
                     (long long)parts[i], (long long)expect[i]);
}

static void test_allocate_examples(void **state)
{
    (void)state;
    /* Risk sharing "4321": bank 40%, guarantor 30%, government fund 20%,
     * insurer 10%. The fen that does not divide goes to the largest share. */
    check_allocation(10001, (const int64_t[]){40, 30, 20, 10}, 4,
                     (const ph_money[]){4001, 3000, 2000, 1000});
    check_allocation(10000, (const int64_t[]){4, 3, 2, 1}, 4,
                     (const ph_money[]){4000, 3000, 2000, 1000});
    check_allocation(10009, (const int64_t[]){4, 3, 2, 1}, 4,
                     (const ph_money[]){4003, 3003, 2002, 1001});
    check_allocation(-10001, (const int64_t[]){40, 30, 20, 10}, 4,
                     (const ph_money[]){-4001, -3000, -2000, -1000});
    check_allocation(100, (const int64_t[]){1, 1, 1}, 3, (const ph_money[]){34, 33, 33});
    check_allocation(-100, (const int64_t[]){1, 1, 1}, 3, (const ph_money[]){-34, -33, -33});
    check_allocation(101, (const int64_t[]){0, 1, 0, 1}, 4, (const ph_money[]){0, 51, 0, 50});
    check_allocation(1, (const int64_t[]){1, 1}, 2, (const ph_money[]){1, 0});
    /* Remainders 3, 3, 3, 3, 2 (in sevenths): the two leftover fen go to the
     * largest, ties to the lower index. */
    check_allocation(10, (const int64_t[]){1, 1, 1, 1, 3}, 5,
                     (const ph_money[]){2, 2, 1, 1, 4});
    /* Largest remainder is last: 7 by 2:3:5 is 1.4, 2.1, 3.5. */
    check_allocation(7, (const int64_t[]){2, 3, 5}, 3, (const ph_money[]){1, 2, 4});
    check_allocation(0, (const int64_t[]){2, 3}, 2, (const ph_money[]){0, 0});
    check_allocation(PH_MONEY_MIN, (const int64_t[]){1}, 1, (const ph_money[]){PH_MONEY_MIN});
    check_allocation(PH_MONEY_MIN, (const int64_t[]){1, 1}, 2,
                     (const ph_money[]){PH_MONEY_MIN / 2, PH_MONEY_MIN / 2});
    check_allocation(PH_MONEY_MAX, (const int64_t[]){PH_MONEY_MAX - 1, 1}, 2,
                     (const ph_money[]){PH_MONEY_MAX - 1, 1});
}

static void test_allocate_errors(void **state)
{
    (void)state;
    ph_money parts[3] = {SENTINEL, SENTINEL, SENTINEL};
    ph_error err;
    ph_error_clear(&err);
    ph_status st = ph_money_allocate(100, (const int64_t[]){1, -1, 1}, 3, parts, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "field weights, value '-1': weights[1] is negative; expected every "
                        "weight >= 0");
    st = ph_money_allocate(100, (const int64_t[]){0, 0}, 2, parts, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "field weights: the weights sum to 0; expected at least one weight > 0");
    st = ph_money_allocate(100, (const int64_t[]){1}, 0, parts, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field weights: expected at least one weight");
    st = ph_money_allocate(100, (const int64_t[]){INT64_MAX, 1}, 2, parts, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field weights, value '1': the sum of the weights overflows "
                                     "64 bits at weights[1]");
    for (size_t i = 0; i < 3; i++)
        assert_true(parts[i] == SENTINEL);
    ph_assert_error(ph_money_allocate(1, NULL, 1, parts, &err), PH_EMISUSE, &err,
                    "ph_money_allocate: weights is NULL");
    ph_assert_error(ph_money_allocate(1, (const int64_t[]){1}, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_allocate: parts is NULL");
}

/* A deterministic generator, so a failure reproduces. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * The obvious largest-remainder method, for comparison: exact shares as
 * 128-bit fractions, then leftover fen handed out by repeatedly picking the
 * largest unserved remainder (lowest index first).
 */
__extension__ typedef __int128 i128;

static void reference_allocate(ph_money total, const int64_t *w, size_t n, ph_money *parts)
{
    i128 sum = 0, magnitude = total < 0 ? -(i128)total : (i128)total, given = 0;
    i128 rem[16];
    int served[16] = {0};
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    for (size_t i = 0; i < n; i++) {
        i128 share = magnitude * w[i] / sum;
        rem[i] = magnitude * w[i] % sum;
        parts[i] = (ph_money)share;
        given += share;
    }
    for (i128 left = magnitude - given; left > 0; left--) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!served[i] && (best == n || rem[i] > rem[best]))
                best = i;
        served[best] = 1;
        parts[best]++;
    }
    if (total < 0)
        for (size_t i = 0; i < n; i++)
            parts[i] = (ph_money)(-(i128)parts[i]);
}

static void test_allocate_matches_reference(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (int round = 0; round < 20000; round++) {
        size_t n = 1 + next_random(&seed) % 16;
        int64_t weights[16];
        int any = 0;
        /* Mix small weights (many ties) and large ones (wide remainders). */
        int64_t weight_limit = round % 2 ? 10 : INT64_C(1) << 58;
        for (size_t i = 0; i < n; i++) {
            weights[i] = (int64_t)(next_random(&seed) % (uint64_t)weight_limit);
            any |= weights[i] != 0;
        }
        if (!any)
            weights[0] = 1;
        ph_money total;
        switch (round % 3) {
        case 0: total = (ph_money)(next_random(&seed) % 100000) - 50000; break;
        case 1: total = (ph_money)next_random(&seed); break; /* any 64-bit value */
        default: total = round % 2 ? PH_MONEY_MIN : PH_MONEY_MAX; break;
        }
        ph_money got[16], want[16];
        ph_error err;
        ph_error_clear(&err);
        ph_assert_ok(ph_money_allocate(total, weights, n, got, &err), &err);
        reference_allocate(total, weights, n, want);
        for (size_t i = 0; i < n; i++)
            if (got[i] != want[i])
                fail_msg("round %d: part %zu is %lld, reference %lld", round, i,
                         (long long)got[i], (long long)want[i]);
        assert_true(sum_of(got, n) == total);
    }
}

/* --- Whole yuan ------------------------------------------------------------------- */

static void test_yuan(void **state)
{
    (void)state;
    ph_money fen = SENTINEL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_money_from_yuan(123, &fen, &err), &err);
    assert_int_equal(fen, 12300);
    ph_assert_ok(ph_money_from_yuan(-5, &fen, &err), &err);
    assert_int_equal(fen, -500);
    ph_assert_ok(ph_money_from_yuan(INT64_C(92233720368547758), &fen, &err), &err);
    assert_true(fen == INT64_C(9223372036854775800));
    fen = SENTINEL;
    ph_status st = ph_money_from_yuan(INT64_C(92233720368547759), &fen, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field amount, value '92233720368547759': expected whole "
                                     "yuan from -92233720368547758 to 92233720368547758");
    ph_assert_error(ph_money_from_yuan(INT64_MIN, &fen, &err), PH_ERANGE, &err,
                    "value '-9223372036854775808'");
    assert_true(fen == SENTINEL);
    ph_assert_error(ph_money_from_yuan(1, NULL, &err), PH_EMISUSE, &err, "out is NULL");

    int64_t yuan = 0;
    ph_assert_ok(ph_money_to_yuan(12350, PH_ROUND_HALF_UP, &yuan, &err), &err);
    assert_int_equal(yuan, 124);
    ph_assert_ok(ph_money_to_yuan(12250, PH_ROUND_HALF_EVEN, &yuan, &err), &err);
    assert_int_equal(yuan, 122);
    ph_assert_ok(ph_money_to_yuan(12250, PH_ROUND_HALF_UP, &yuan, &err), &err);
    assert_int_equal(yuan, 123);
    ph_assert_ok(ph_money_to_yuan(-150, PH_ROUND_HALF_UP, &yuan, &err), &err);
    assert_int_equal(yuan, -2);
    ph_assert_ok(ph_money_to_yuan(-199, PH_ROUND_DOWN, &yuan, &err), &err);
    assert_int_equal(yuan, -1);
    ph_assert_ok(ph_money_to_yuan(PH_MONEY_MIN, PH_ROUND_FLOOR, &yuan, &err), &err);
    assert_true(yuan == INT64_C(-92233720368547759));
    ph_assert_error(ph_money_to_yuan(1, (ph_rounding)9, &yuan, &err), PH_EINVAL, &err,
                    "field rounding: expected a rounding mode from PH_ROUND_HALF_UP to "
                    "PH_ROUND_CEILING, got 9");
    ph_assert_error(ph_money_to_yuan(1, PH_ROUND_UP, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_to_yuan: out is NULL");
}

static void expect_fen(double yuan, ph_money fen)
{
    ph_error err;
    ph_money out = SENTINEL;
    ph_assert_ok(ph_money_from_yuan_double(yuan, &out, &err), &err);
    if (out != fen)
        fail_msg("%.17g yuan: expected %lld fen, got %lld", yuan, (long long)fen,
                 (long long)out);
}

/* A feature value in yuan to fen: at 1e-8 yuan first, then half to even. */
static void test_yuan_double(void **state)
{
    (void)state;
    expect_fen(0, 0);
    expect_fen(123.45, 12345);
    expect_fen(-123.45, -12345);
    expect_fen(1234567.5, 123456750);
    expect_fen(0.005, 0);     /* a tie: to even (llround(0.005 * 100) gave 1) */
    expect_fen(0.015, 2);     /* stored as 0.01499999999999999944...: a tie at 1e-8 */
    expect_fen(2.675, 268);   /* stored as 2.67499999999999982...: llround gave 267 */
    expect_fen(-0.005, 0);
    expect_fen(-0.025, -2);
    expect_fen(0.0050001, 1); /* above the tie */
    expect_fen(0.004999999, 0);
    expect_fen(1e-9, 0);
    expect_fen(4.9e-324, 0);  /* the smallest double */
    expect_fen(1e15, INT64_C(100000000000000000));
    expect_fen(9.2e16, INT64_C(9200000000000000000));

    ph_error err;
    ph_money out = SENTINEL;
    ph_assert_error(ph_money_from_yuan_double(NAN, &out, &err), PH_EINVAL, &err,
                    "field amount, value 'NaN': expected a number of yuan");
    ph_assert_error(ph_money_from_yuan_double(9.25e16, &out, &err), PH_ERANGE, &err,
                    "field amount, value '92500000000000000': expected yuan from "
                    "-92233720368547758.07 to 92233720368547758.07");
    ph_assert_error(ph_money_from_yuan_double(-1e17, &out, &err), PH_ERANGE, &err,
                    "value '-1e+17'");
    ph_assert_error(ph_money_from_yuan_double(INFINITY, &out, &err), PH_ERANGE, &err,
                    "value 'inf'");
    assert_true(out == SENTINEL);
    ph_assert_error(ph_money_from_yuan_double(1.0, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_from_yuan_double: out is NULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_parse_uses_only_len_bytes),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_misuse),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_buffer_size),
        cmocka_unit_test(test_format_parse_round_trip),
        cmocka_unit_test(test_rounding_names),
        cmocka_unit_test(test_add_sub_mul),
        cmocka_unit_test(test_muldiv_rounding),
        cmocka_unit_test(test_muldiv_errors),
        cmocka_unit_test(test_div_int),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_allocate_examples),
        cmocka_unit_test(test_allocate_errors),
        cmocka_unit_test(test_allocate_matches_reference),
        cmocka_unit_test(test_yuan),
        cmocka_unit_test(test_yuan_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
