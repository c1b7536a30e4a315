/* Exact decimals and values (src/decide/decimal.c, value.c). */
#include "ph_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SENTINEL INT64_C(0x5a5a5a5a5a5a5a5a)
#define RANGE "-92233720368.54775808 to 92233720368.54775807"
#define EXAMPLE "expected a decimal such as -1,200,000.5, 3.85% or 85bp"

static void test_parse_accepts(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        ph_decimal value;
    } cases[] = {
        {"0", 0},
        {"-0", 0},
        {"1", PH_DECIMAL_ONE},
        {"+12", 12 * PH_DECIMAL_ONE},
        {"-12", -12 * PH_DECIMAL_ONE},
        {"1,200,000.5", INT64_C(120000050000000)},
        {"0.0385", 3850000},
        {"3.85%", 3850000},
        {"85bp", 850000},
        {"-85bp", -850000},
        {"0.5bp", 5000},
        {"0.000001%", 1},
        {"0.0001bp", 1},
        {"0.00000001", 1},
        {"1.500000000000", 150000000}, /* trailing zeros are exact */
        {"007.10", 710000000},
        {"100%", PH_DECIMAL_ONE},
        {"92233720368.54775807", INT64_MAX},
        {"92,233,720,368.54775807", INT64_MAX},
        {"-92233720368.54775808", INT64_MIN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_decimal out = SENTINEL;
        ph_error err;
        ph_error_clear(&err);
        ph_assert_ok(ph_decimal_parse(cases[i].text, strlen(cases[i].text), &out, &err), &err);
        if (out != cases[i].value)
            fail_msg("'%s' parsed as %lld, expected %lld", cases[i].text, (long long)out,
                     (long long)cases[i].value);
    }
    /* Only len bytes are read. */
    ph_decimal out = 0;
    ph_assert_ok(ph_decimal_parse("12.5%xyz", 5, &out, NULL), NULL);
    assert_int_equal(out, 12500000);
}

static void test_parse_rejects(void **state)
{
    (void)state;
#define GROUPING                                                                          \
    "misplaced thousands separator: expected 1 to 3 digits, then groups of exactly 3, as " \
    "in 1,234,567.89"
    static const struct {
        const char *text;
        ph_status code;
        const char *message;
    } cases[] = {
        {"", PH_EINVAL, "field decimal: " EXAMPLE ", got an empty string"},
        {"abc", PH_EINVAL, "field decimal, value 'abc': unexpected 'a' at position 1; " EXAMPLE},
        {"1e5", PH_EINVAL, "field decimal, value '1e5': unexpected 'e' at position 2; " EXAMPLE},
        {"3.85 %", PH_EINVAL,
         "field decimal, value '3.85 %': unexpected space at position 5; " EXAMPLE},
        {"3%%", PH_EINVAL, "field decimal, value '3%%': unexpected '%' at position 3; " EXAMPLE},
        {"85b", PH_EINVAL, "field decimal, value '85b': unexpected 'b' at position 3; " EXAMPLE},
        {"--1", PH_EINVAL, "field decimal, value '--1': expected at most one sign"},
        {"-", PH_EINVAL, "field decimal, value '-': expected digits after the sign"},
        {"%", PH_EINVAL, "field decimal, value '%': unexpected '%' at position 1; " EXAMPLE},
        {".5", PH_EINVAL, "field decimal, value '.5': expected a digit before the decimal point"},
        {"1.", PH_EINVAL, "field decimal, value '1.': expected digits after the decimal point"},
        {"1.%", PH_EINVAL, "field decimal, value '1.%': expected digits after the decimal point"},
        {"1,23,456", PH_EINVAL, "field decimal, value '1,23,456': " GROUPING},
        {"1234,567", PH_EINVAL, "field decimal, value '1234,567': " GROUPING},
        {",123", PH_EINVAL, "field decimal, value ',123': " GROUPING},
        {"1,234,", PH_EINVAL, "field decimal, value '1,234,': " GROUPING},
        {"1,2345", PH_EINVAL, "field decimal, value '1,2345': " GROUPING},
        {"1.2,3", PH_EINVAL, "field decimal, value '1.2,3': unexpected ',' at position 4; " EXAMPLE},
        {"0.000000001", PH_ERANGE,
         "field decimal, value '0.000000001': expected at most 8 decimal places (as a plain "
         "number), got 9; a decimal is never rounded silently"},
        {"0.0000001%", PH_ERANGE,
         "field decimal, value '0.0000001%': expected at most 8 decimal places (as a plain "
         "number), got 9; a decimal is never rounded silently"},
        {"0.00001bp", PH_ERANGE,
         "field decimal, value '0.00001bp': expected at most 8 decimal places (as a plain "
         "number), got 9; a decimal is never rounded silently"},
        {"92233720368.54775808", PH_ERANGE,
         "field decimal, value '92233720368.54775808': expected a decimal from " RANGE},
        {"-92233720368.54775809", PH_ERANGE,
         "field decimal, value '-92233720368.54775809': expected a decimal from " RANGE},
        {"99999999999999999999999999999999999999999", PH_ERANGE,
         "field decimal, value '99999999999999999999999999999999999999999': expected a "
         "decimal from " RANGE},
        /* Malformed beats too large. */
        {"99999999999999999999999999x", PH_EINVAL,
         "field decimal, value '99999999999999999999999999x': unexpected 'x' at position 27; "
         EXAMPLE},
    };
#undef GROUPING
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_decimal out = SENTINEL;
        ph_error err;
        ph_error_clear(&err);
        ph_status st = ph_decimal_parse(cases[i].text, strlen(cases[i].text), &out, &err);
        ph_assert_error(st, cases[i].code, &err, NULL);
        if (strcmp(err.message, cases[i].message) != 0)
            fail_msg("'%s': message\n  %s\nexpected\n  %s", cases[i].text, err.message,
                     cases[i].message);
        assert_true(out == SENTINEL);
        assert_int_equal(ph_decimal_parse(cases[i].text, strlen(cases[i].text), &out, NULL),
                         cases[i].code);
    }
    ph_error err;
    ph_assert_error(ph_decimal_parse(NULL, 0, NULL, &err), PH_EMISUSE, &err,
                    "ph_decimal_parse: s is NULL");
}

static void test_format(void **state)
{
    (void)state;
    static const struct {
        ph_decimal value;
        const char *text;
    } cases[] = {
        {0, "0"},
        {PH_DECIMAL_ONE, "1"},
        {-12 * PH_DECIMAL_ONE, "-12"},
        {3850000, "0.0385"},
        {-1, "-0.00000001"},
        {INT64_C(120000050000000), "1200000.5"},
        {INT64_MAX, "92233720368.54775807"},
        {INT64_MIN, "-92233720368.54775808"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[PH_DECIMAL_FORMAT_MAX];
        ph_assert_ok(ph_decimal_format(cases[i].value, buf, sizeof(buf), NULL), NULL);
        assert_string_equal(buf, cases[i].text);
        /* Round trip. */
        ph_decimal back = SENTINEL;
        ph_assert_ok(ph_decimal_parse(buf, strlen(buf), &back, NULL), NULL);
        assert_true(back == cases[i].value);
    }
    char small[6] = "xxxxx";
    ph_error err;
    ph_assert_error(ph_decimal_format(3850000, small, sizeof(small), &err), PH_EMISUSE, &err,
                    "buffer of 6 bytes is too small, need 7");
    assert_string_equal(small, "xxxxx");
    char exact[7];
    ph_assert_ok(ph_decimal_format(3850000, exact, sizeof(exact), NULL), NULL);
    assert_string_equal(exact, "0.0385");
}

static ph_decimal dec(const char *text)
{
    ph_decimal d = 0;
    ph_error err;
    ph_assert_ok(ph_decimal_parse(text, strlen(text), &d, &err), &err);
    return d;
}

static void test_add_sub(void **state)
{
    (void)state;
    ph_decimal out = SENTINEL;
    ph_assert_ok(ph_decimal_add(dec("0.1"), dec("0.2"), &out, NULL), NULL);
    assert_true(out == dec("0.3"));
    ph_assert_ok(ph_decimal_sub(dec("3.85%"), dec("85bp"), &out, NULL), NULL);
    assert_true(out == dec("0.03"));
    ph_assert_ok(ph_decimal_add(INT64_MAX, 0, &out, NULL), NULL);
    assert_true(out == INT64_MAX);
    ph_assert_ok(ph_decimal_sub(INT64_MIN + 1, 1, &out, NULL), NULL);
    assert_true(out == INT64_MIN);

    ph_error err;
    out = SENTINEL;
    ph_assert_error(ph_decimal_add(INT64_MAX, 1, &out, &err), PH_ERANGE, &err, NULL);
    assert_string_equal(err.message,
                        "field decimal, value '92233720368.54775807 + 0.00000001': the sum "
                        "does not fit in a decimal (" RANGE ")");
    ph_assert_error(ph_decimal_sub(INT64_MIN, 1, &out, &err), PH_ERANGE, &err, NULL);
    assert_string_equal(err.message,
                        "field decimal, value '-92233720368.54775808 - 0.00000001': the "
                        "difference does not fit in a decimal (" RANGE ")");
    assert_true(out == SENTINEL);
    ph_assert_error(ph_decimal_add(1, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_decimal_add: out is NULL");
}

static void test_mul_div_rounding(void **state)
{
    (void)state;
    /* Exact products. */
    ph_decimal out = SENTINEL;
    ph_assert_ok(ph_decimal_mul(dec("5"), dec("12345.67"), PH_ROUND_HALF_EVEN, &out, NULL),
                 NULL);
    assert_true(out == dec("61728.35"));
    ph_assert_ok(ph_decimal_mul(dec("4"), dec("3.00%"), PH_ROUND_HALF_EVEN, &out, NULL), NULL);
    assert_true(out == dec("0.12"));
    ph_assert_ok(ph_decimal_mul(dec("-1.5"), dec("-1.5"), PH_ROUND_HALF_UP, &out, NULL), NULL);
    assert_true(out == dec("2.25"));

    /* A tie in the 9th place: 0.00000005 * 0.5 = 0.000000025 and its negative;
     * then a non-tie 0.00000001 / 3. */
    static const struct {
        ph_rounding mode;
        int64_t tie_pos, tie_neg, odd_tie, third, neg_third;
    } modes[] = {
        /*                    2.5 units  -2.5   1.5 (0.00000003*0.5)  1/3  -1/3 */
        {PH_ROUND_HALF_UP, 3, -3, 2, 0, 0},
        {PH_ROUND_HALF_EVEN, 2, -2, 2, 0, 0},
        {PH_ROUND_DOWN, 2, -2, 1, 0, 0},
        {PH_ROUND_UP, 3, -3, 2, 1, -1},
        {PH_ROUND_FLOOR, 2, -3, 1, 0, -1},
        {PH_ROUND_CEILING, 3, -2, 2, 1, 0},
    };
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        ph_rounding r = modes[i].mode;
        ph_assert_ok(ph_decimal_mul(5, dec("0.5"), r, &out, NULL), NULL);
        assert_int_equal(out, modes[i].tie_pos);
        ph_assert_ok(ph_decimal_mul(-5, dec("0.5"), r, &out, NULL), NULL);
        assert_int_equal(out, modes[i].tie_neg);
        ph_assert_ok(ph_decimal_mul(3, dec("0.5"), r, &out, NULL), NULL);
        assert_int_equal(out, modes[i].odd_tie);
        ph_assert_ok(ph_decimal_div(1, dec("3"), r, &out, NULL), NULL);
        assert_int_equal(out, modes[i].third);
        ph_assert_ok(ph_decimal_div(-1, dec("3"), r, &out, NULL), NULL);
        assert_int_equal(out, modes[i].neg_third);
    }
    ph_assert_ok(ph_decimal_div(dec("2"), dec("3"), PH_ROUND_HALF_UP, &out, NULL), NULL);
    assert_true(out == dec("0.66666667"));
    ph_assert_ok(ph_decimal_div(dec("2"), dec("3"), PH_ROUND_DOWN, &out, NULL), NULL);
    assert_true(out == dec("0.66666666"));
    ph_assert_ok(ph_decimal_div(dec("-1"), dec("8"), PH_ROUND_HALF_EVEN, &out, NULL), NULL);
    assert_true(out == dec("-0.125"));

    /* The edges: the largest product and quotient that fit, then one past. */
    ph_assert_ok(ph_decimal_mul(INT64_MAX, PH_DECIMAL_ONE, PH_ROUND_DOWN, &out, NULL), NULL);
    assert_true(out == INT64_MAX);
    ph_assert_ok(ph_decimal_mul(INT64_MIN, PH_DECIMAL_ONE, PH_ROUND_DOWN, &out, NULL), NULL);
    assert_true(out == INT64_MIN);
    ph_assert_ok(ph_decimal_div(INT64_MIN, PH_DECIMAL_ONE, PH_ROUND_DOWN, &out, NULL), NULL);
    assert_true(out == INT64_MIN);
    ph_error err;
    out = SENTINEL;
    ph_assert_error(ph_decimal_mul(INT64_MIN, -PH_DECIMAL_ONE, PH_ROUND_DOWN, &out, &err),
                    PH_ERANGE, &err, NULL);
    assert_string_equal(err.message,
                        "field decimal, value '-92233720368.54775808 * -1': the product does "
                        "not fit in a decimal (" RANGE ")");
    ph_assert_error(ph_decimal_div(INT64_MAX, dec("0.5"), PH_ROUND_DOWN, &out, &err),
                    PH_ERANGE, &err, NULL);
    assert_string_equal(err.message,
                        "field decimal, value '92233720368.54775807 / 0.5': the quotient does "
                        "not fit in a decimal (" RANGE ")");
    ph_assert_error(ph_decimal_div(dec("1.5"), 0, PH_ROUND_DOWN, &out, &err), PH_EINVAL, &err,
                    NULL);
    assert_string_equal(err.message, "field decimal, value '1.5 / 0': division by zero");
    ph_assert_error(ph_decimal_mul(1, 1, (ph_rounding)42, &out, &err), PH_EINVAL, &err,
                    "field rounding");
    assert_true(out == SENTINEL);
}

static void test_round(void **state)
{
    (void)state;
    ph_decimal out = SENTINEL;
    ph_assert_ok(ph_decimal_round(dec("2.345"), 2, PH_ROUND_HALF_UP, &out, NULL), NULL);
    assert_true(out == dec("2.35"));
    ph_assert_ok(ph_decimal_round(dec("2.345"), 2, PH_ROUND_HALF_EVEN, &out, NULL), NULL);
    assert_true(out == dec("2.34"));
    ph_assert_ok(ph_decimal_round(dec("-2.345"), 2, PH_ROUND_HALF_UP, &out, NULL), NULL);
    assert_true(out == dec("-2.35"));
    ph_assert_ok(ph_decimal_round(dec("-2.5"), 0, PH_ROUND_HALF_EVEN, &out, NULL), NULL);
    assert_true(out == dec("-2"));
    ph_assert_ok(ph_decimal_round(dec("-2.1"), 0, PH_ROUND_FLOOR, &out, NULL), NULL);
    assert_true(out == dec("-3"));
    ph_assert_ok(ph_decimal_round(dec("-2.9"), 0, PH_ROUND_CEILING, &out, NULL), NULL);
    assert_true(out == dec("-2"));
    ph_assert_ok(ph_decimal_round(dec("1.23456789"), 8, PH_ROUND_UP, &out, NULL), NULL);
    assert_true(out == dec("1.23456789"));
    ph_assert_ok(ph_decimal_round(INT64_MAX, 0, PH_ROUND_DOWN, &out, NULL), NULL);
    assert_true(out == dec("92233720368"));

    ph_error err;
    out = SENTINEL;
    ph_assert_error(ph_decimal_round(INT64_MAX, 0, PH_ROUND_UP, &out, &err), PH_ERANGE, &err,
                    NULL);
    assert_string_equal(err.message,
                        "field decimal, value '92233720368.54775807': rounded to 0 places it "
                        "does not fit in a decimal (" RANGE ")");
    ph_assert_error(ph_decimal_round(1, 9, PH_ROUND_UP, &out, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field places: expected 0 to 8 decimal places, got 9");
    ph_assert_error(ph_decimal_round(1, -1, PH_ROUND_UP, &out, &err), PH_EINVAL, &err,
                    "got -1");
    assert_true(out == SENTINEL);
}

static void test_double_and_money(void **state)
{
    (void)state;
    ph_decimal out = SENTINEL;
    ph_assert_ok(ph_decimal_from_double(0.0385, &out, NULL), NULL);
    assert_int_equal(out, 3850000);
    ph_assert_ok(ph_decimal_from_double(-12345.67, &out, NULL), NULL);
    assert_true(out == dec("-12345.67"));
    ph_assert_ok(ph_decimal_from_double(1e-9, &out, NULL), NULL);
    assert_int_equal(out, 0);
    ph_assert_ok(ph_decimal_from_double(6e-9, &out, NULL), NULL);
    assert_int_equal(out, 1);
    /* 2^-27 is 0.0000000074505...: the nearest unit of 1e-8 is 1. */
    ph_assert_ok(ph_decimal_from_double(ldexp(1.0, -27), &out, NULL), NULL);
    assert_int_equal(out, 1);
    ph_assert_ok(ph_decimal_from_double(1e-300, &out, NULL), NULL);
    assert_int_equal(out, 0);
    ph_assert_ok(ph_decimal_from_double(92233720368.0, &out, NULL), NULL);
    assert_true(out == dec("92233720368"));
    assert_true(ph_decimal_to_double(dec("0.0385")) == 0.0385);
    assert_true(ph_decimal_to_double(dec("-12345.67")) == -12345.67);
    assert_true(ph_decimal_to_double(INT64_MIN) == -92233720368.54775808);

    ph_error err;
    out = SENTINEL;
    ph_assert_error(ph_decimal_from_double(NAN, &out, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field decimal, value 'NaN': expected a number (map a "
                                     "missing value to null first)");
    ph_assert_error(ph_decimal_from_double(1e11, &out, &err), PH_ERANGE, &err, NULL);
    assert_string_equal(err.message,
                        "field decimal, value '100000000000': expected a decimal from " RANGE);
    ph_assert_error(ph_decimal_from_double(-INFINITY, &out, &err), PH_ERANGE, &err,
                    "value '-inf'");
    assert_true(out == SENTINEL);

    /* Money: 1 fen is 1e6 units; back to fen with a named rounding. */
    ph_assert_ok(ph_decimal_from_money(1234567, &out, NULL), NULL);
    assert_true(out == dec("12345.67"));
    ph_assert_ok(ph_decimal_from_money(INT64_C(9223372036854), &out, NULL), NULL);
    assert_true(out == dec("92233720368.54"));
    ph_assert_error(ph_decimal_from_money(INT64_C(9223372036855), &out, &err), PH_ERANGE, &err,
                    NULL);
    assert_string_equal(err.message,
                        "field amount, value '92233720368.55': expected an amount from " RANGE
                        " to convert to a decimal");
    ph_money fen = SENTINEL;
    ph_assert_ok(ph_decimal_to_money(dec("61728.355"), PH_ROUND_HALF_UP, &fen, NULL), NULL);
    assert_int_equal(fen, 6172836);
    ph_assert_ok(ph_decimal_to_money(dec("61728.345"), PH_ROUND_HALF_EVEN, &fen, NULL), NULL);
    assert_int_equal(fen, 6172834);
    ph_assert_ok(ph_decimal_to_money(dec("-0.005"), PH_ROUND_HALF_UP, &fen, NULL), NULL);
    assert_int_equal(fen, -1);
    ph_assert_ok(ph_decimal_to_money(INT64_MIN, PH_ROUND_FLOOR, &fen, NULL), NULL);
    assert_int_equal(fen, INT64_C(-9223372036855));
    ph_assert_error(ph_decimal_to_money(1, (ph_rounding)-1, &fen, &err), PH_EINVAL, &err,
                    "field rounding");
}

static void test_values(void **state)
{
    (void)state;
    ph_value n = ph_value_null(), t = ph_value_bool(7), f = ph_value_bool(0);
    ph_value d = ph_value_decimal(3850000), d2 = ph_value_decimal(3850001);
    ph_value a = ph_value_text("abc"), ab = ph_value_text("ab"), b = ph_value_text("b");
    assert_string_equal(ph_value_kind_name(PH_VALUE_NULL), "null");
    assert_string_equal(ph_value_kind_name(PH_VALUE_BOOL), "bool");
    assert_string_equal(ph_value_kind_name(PH_VALUE_DECIMAL), "decimal");
    assert_string_equal(ph_value_kind_name(PH_VALUE_TEXT), "text");
    assert_string_equal(ph_value_kind_name((ph_value_kind)9), "unknown");
    assert_int_equal(t.as.boolean, 1);

    assert_true(ph_value_equal(&n, &n));
    assert_true(ph_value_equal(&t, &t));
    assert_false(ph_value_equal(&t, &f));
    assert_false(ph_value_equal(&d, &d2));
    ph_value a2 = ph_value_text("abc");
    assert_true(ph_value_equal(&a, &a2));
    assert_false(ph_value_equal(&a, &ab));
    assert_false(ph_value_equal(&n, &f));

    int cmp = 99;
    ph_assert_ok(ph_value_compare(&d, &d2, &cmp, NULL), NULL);
    assert_int_equal(cmp, -1);
    ph_assert_ok(ph_value_compare(&a, &ab, &cmp, NULL), NULL);
    assert_int_equal(cmp, 1);
    ph_assert_ok(ph_value_compare(&a, &b, &cmp, NULL), NULL);
    assert_int_equal(cmp, -1);
    ph_assert_ok(ph_value_compare(&f, &t, &cmp, NULL), NULL);
    assert_int_equal(cmp, -1);
    ph_assert_ok(ph_value_compare(&a, &a2, &cmp, NULL), NULL);
    assert_int_equal(cmp, 0);

    ph_error err;
    cmp = 99;
    ph_assert_error(ph_value_compare(&n, &d, &cmp, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field value: cannot order null and decimal: expected two "
                                     "values of the same kind, neither null");
    ph_assert_error(ph_value_compare(&a, &d, &cmp, &err), PH_EINVAL, &err,
                    "cannot order text and decimal");
    assert_int_equal(cmp, 99);

    char buf[32];
    ph_assert_ok(ph_value_format(&n, buf, sizeof(buf), NULL), NULL);
    assert_string_equal(buf, "null");
    ph_assert_ok(ph_value_format(&t, buf, sizeof(buf), NULL), NULL);
    assert_string_equal(buf, "true");
    ph_assert_ok(ph_value_format(&d, buf, sizeof(buf), NULL), NULL);
    assert_string_equal(buf, "0.0385");
    ph_value partial = {PH_VALUE_TEXT, {.text = {"abcdef", 3}}};
    ph_assert_ok(ph_value_format(&partial, buf, sizeof(buf), NULL), NULL);
    assert_string_equal(buf, "abc");
    ph_assert_error(ph_value_format(&d, buf, 6, &err), PH_EMISUSE, &err,
                    "buffer of 6 bytes is too small, need 7");
    ph_assert_error(ph_value_format(&partial, buf, 3, &err), PH_EMISUSE, &err, "need 4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts),   cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_format),          cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_mul_div_rounding), cmocka_unit_test(test_round),
        cmocka_unit_test(test_double_and_money), cmocka_unit_test(test_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
