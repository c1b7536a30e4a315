/* Rates, day counts and interest (src/rate). */
#include "ph_test.h"

#include <string.h>

#define SENTINEL INT64_C(0x5a5a5a5a5a5a5a5a)
#define RATE_RANGE "-9223372036854.775808% to 9223372036854.775807%"

static ph_error fresh_error(void)
{
    ph_error err;
    ph_error_clear(&err);
    return err;
}

/* --- Parsing ------------------------------------------------------------------ */

static void test_parse_accepts(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        ph_rate rate;
    } cases[] = {
        {"3.85%", 3850000},
        {"385bp", 3850000},
        {"38.5bp", 385000},
        {"0.0385", 3850000},
        {"3%", 3000000},
        {"0%", 0},
        {"-0.5%", -500000},
        {"+1.25%", 1250000},
        {"100%", PH_RATE_ONE},
        {"1", PH_RATE_ONE},
        {"0385bp", 3850000},
        {"385BP", 3850000},
        {"385Bp", 3850000},
        {"-50bp", -500000},
        {"3.85\xef\xbc\x85", 3850000}, /* full-width percent sign */
        {"0.00000001", 1},             /* the finest step, in each form */
        {"0.000001%", 1},
        {"0.0001bp", 1},
        {"92233720368.54775807", PH_RATE_MAX},
        {"-92233720368.54775808", PH_RATE_MIN},
        {"9223372036854.775807%", PH_RATE_MAX},
        {"-9223372036854.775808%", PH_RATE_MIN},
        {"922337203685477.5807bp", PH_RATE_MAX},
        {"-922337203685477.5808bp", PH_RATE_MIN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_rate out = SENTINEL;
        ph_error err = fresh_error();
        ph_assert_ok(ph_rate_parse(cases[i].text, strlen(cases[i].text), &out, &err), &err);
        if (out != cases[i].rate)
            fail_msg("'%s' parsed as %lld, expected %lld", cases[i].text, (long long)out,
                     (long long)cases[i].rate);
    }
    ph_rate out = 0;
    ph_error err = fresh_error();
    ph_assert_ok(ph_rate_parse("3.85%xyz", 5, &out, &err), &err); /* only len bytes */
    assert_int_equal(out, 3850000);
}

#define EX "expected a rate such as 3.85%, 385bp or 0.0385"

static const struct {
    const char *text;
    ph_status code;
    const char *message;
} bad_rates[] = {
    {"", PH_EINVAL, "field rate: " EX ", got an empty string"},
    {"%", PH_EINVAL, "field rate, value '%': expected a number before '%'"},
    {"bp", PH_EINVAL, "field rate, value 'bp': expected a number before 'bp'"},
    {"\xef\xbc\x85", PH_EINVAL,
     "field rate, value '\xef\xbc\x85': expected a number before '\xef\xbc\x85'"},
    {"-%", PH_EINVAL, "field rate, value '-%': expected digits after the sign"},
    {"-", PH_EINVAL, "field rate, value '-': expected digits after the sign"},
    {"--1%", PH_EINVAL, "field rate, value '--1%': expected at most one sign"},
    {"+-1", PH_EINVAL, "field rate, value '+-1': expected at most one sign"},
    {".5%", PH_EINVAL, "field rate, value '.5%': expected a digit before the decimal point"},
    {"3.%", PH_EINVAL, "field rate, value '3.%': expected a digit after the decimal point"},
    {"3.", PH_EINVAL, "field rate, value '3.': expected a digit after the decimal point"},
    {"3.x%", PH_EINVAL, "field rate, value '3.x%': unexpected 'x' at position 3; " EX},
    {"3.1234567%", PH_EINVAL,
     "field rate, value '3.1234567%': expected at most 6 decimal places for a percentage "
     "(rates are exact to 1e-8), got 7"},
    {"1.23456bp", PH_EINVAL,
     "field rate, value '1.23456bp': expected at most 4 decimal places for basis points "
     "(rates are exact to 1e-8), got 5"},
    {"0.123456789", PH_EINVAL,
     "field rate, value '0.123456789': expected at most 8 decimal places for a fraction "
     "(rates are exact to 1e-8), got 9"},
    {"3.85 %", PH_EINVAL, "field rate, value '3.85 %': unexpected space at position 5; " EX},
    {" 3.85%", PH_EINVAL, "field rate, value ' 3.85%': unexpected space at position 1; " EX},
    {"3.85%%", PH_EINVAL, "field rate, value '3.85%%': unexpected '%' at position 5; " EX},
    {"3,85%", PH_EINVAL, "field rate, value '3,85%': unexpected ',' at position 2; " EX},
    {"1e-2", PH_EINVAL, "field rate, value '1e-2': unexpected 'e' at position 2; " EX},
    {"3.85pct", PH_EINVAL, "field rate, value '3.85pct': unexpected 'p' at position 5; " EX},
    {"385b", PH_EINVAL, "field rate, value '385b': unexpected 'b' at position 4; " EX},
    {"abc", PH_EINVAL, "field rate, value 'abc': unexpected 'a' at position 1; " EX},
    {"92233720368.54775808", PH_ERANGE,
     "field rate, value '92233720368.54775808': expected a rate from " RATE_RANGE},
    {"9223372036854.775808%", PH_ERANGE,
     "field rate, value '9223372036854.775808%': expected a rate from " RATE_RANGE},
    {"-922337203685477.5809bp", PH_ERANGE,
     "field rate, value '-922337203685477.5809bp': expected a rate from " RATE_RANGE},
    {"99999999999999999999bp", PH_ERANGE,
     "field rate, value '99999999999999999999bp': expected a rate from " RATE_RANGE},
    /* Malformed beats too large. */
    {"99999999999999999999x%", PH_EINVAL,
     "field rate, value '99999999999999999999x%': unexpected 'x' at position 21; " EX},
};

static void test_parse_rejects(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_rates) / sizeof(bad_rates[0]); i++) {
        ph_rate out = SENTINEL;
        ph_error err = fresh_error();
        ph_status st = ph_rate_parse(bad_rates[i].text, strlen(bad_rates[i].text), &out, &err);
        ph_assert_error(st, bad_rates[i].code, &err, NULL);
        assert_string_equal(err.message, bad_rates[i].message);
        assert_true(out == SENTINEL);
    }
    ph_rate out;
    ph_error err = fresh_error();
    ph_assert_error(ph_rate_parse(NULL, 0, &out, &err), PH_EMISUSE, &err,
                    "ph_rate_parse: s is NULL");
    ph_assert_error(ph_rate_parse("1%", 2, NULL, &err), PH_EMISUSE, &err,
                    "ph_rate_parse: out is NULL");
}

static void test_parse_percent(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        ph_rate rate;
    } good[] = {
        {"3.85", 3850000}, {"3.85%", 3850000}, {"3", 3000000},
        {"-0.25", -250000}, {"3.85\xef\xbc\x85", 3850000}, {"0.000001", 1},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ph_rate out = SENTINEL;
        ph_error err = fresh_error();
        ph_assert_ok(ph_rate_parse_percent(good[i].text, strlen(good[i].text), &out, &err), &err);
        assert_true(out == good[i].rate);
    }
    static const struct {
        const char *text;
        ph_status code;
        const char *message;
    } bad[] = {
        {"", PH_EINVAL, "field rate: expected a percentage such as 3.85, got an empty string"},
        {"385bp", PH_EINVAL,
         "field rate, value '385bp': unexpected 'b' at position 4; expected a percentage such as "
         "3.85"},
        {"3.1234567", PH_EINVAL,
         "field rate, value '3.1234567': expected at most 6 decimal places for a percentage "
         "(rates are exact to 1e-8), got 7"},
        {"%", PH_EINVAL, "field rate, value '%': expected a number before '%'"},
        {"9223372036854.775808", PH_ERANGE,
         "field rate, value '9223372036854.775808': expected a rate from " RATE_RANGE},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ph_rate out = SENTINEL;
        ph_error err = fresh_error();
        ph_status st = ph_rate_parse_percent(bad[i].text, strlen(bad[i].text), &out, &err);
        ph_assert_error(st, bad[i].code, &err, NULL);
        assert_string_equal(err.message, bad[i].message);
        assert_true(out == SENTINEL);
    }
    ph_error err = fresh_error();
    ph_assert_error(ph_rate_parse_percent("1", 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_rate_parse_percent: out is NULL");
}

/* --- Formatting ---------------------------------------------------------------- */

static void test_format(void **state)
{
    (void)state;
    static const struct {
        ph_rate rate;
        const char *percent;
        const char *bp;
    } cases[] = {
        {3850000, "3.85%", "385bp"},
        {385000, "0.385%", "38.5bp"},
        {3000000, "3.00%", "300bp"},
        {3862500, "3.8625%", "386.25bp"},
        {-500000, "-0.50%", "-50bp"},
        {1, "0.000001%", "0.0001bp"},
        {-1, "-0.000001%", "-0.0001bp"},
        {0, "0.00%", "0bp"},
        {PH_RATE_ONE, "100.00%", "10000bp"},
        {-120001, "-0.120001%", "-12.0001bp"},
        {PH_RATE_MAX, "9223372036854.775807%", "922337203685477.5807bp"},
        {PH_RATE_MIN, "-9223372036854.775808%", "-922337203685477.5808bp"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[PH_RATE_FORMAT_MAX];
        ph_error err = fresh_error();
        ph_rate back = SENTINEL;
        ph_assert_ok(ph_rate_format_percent(cases[i].rate, buf, sizeof(buf), &err), &err);
        assert_string_equal(buf, cases[i].percent);
        ph_assert_ok(ph_rate_parse(buf, strlen(buf), &back, &err), &err);
        assert_true(back == cases[i].rate);
        ph_assert_ok(ph_rate_format_bp(cases[i].rate, buf, sizeof(buf), &err), &err);
        assert_string_equal(buf, cases[i].bp);
        back = SENTINEL;
        ph_assert_ok(ph_rate_parse(buf, strlen(buf), &back, &err), &err);
        assert_true(back == cases[i].rate);
    }
}

static void test_format_errors(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'X', sizeof(buf));
    ph_error err = fresh_error();
    /* "3.85%" needs 6 bytes. */
    ph_status st = ph_rate_format_percent(3850000, buf, 5, &err);
    ph_assert_error(st, PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message,
                        "value '3.85%': ph_rate_format_percent: buffer of 5 bytes is too small, "
                        "need 6");
    for (size_t i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 'X');
    ph_assert_ok(ph_rate_format_percent(3850000, buf, 6, &err), &err);
    assert_string_equal(buf, "3.85%");
    st = ph_rate_format_bp(3850000, buf, 5, &err);
    ph_assert_error(st, PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message,
                        "value '385bp': ph_rate_format_bp: buffer of 5 bytes is too small, need 6");
    ph_assert_error(ph_rate_format_percent(1, NULL, 8, &err), PH_EMISUSE, &err,
                    "ph_rate_format_percent: buf is NULL");
    ph_assert_error(ph_rate_format_bp(1, NULL, 8, &err), PH_EMISUSE, &err,
                    "ph_rate_format_bp: buf is NULL");
}

/* --- Arithmetic --------------------------------------------------------------------- */

static void test_arithmetic(void **state)
{
    (void)state;
    ph_rate out = SENTINEL;
    ph_error err = fresh_error();
    ph_assert_ok(ph_rate_add(3850000, 500000, &out, &err), &err);
    assert_int_equal(out, 4350000);
    ph_assert_ok(ph_rate_sub(3850000, 4350000, &out, &err), &err);
    assert_int_equal(out, -500000);
    ph_assert_ok(ph_rate_mul(3850000, 50000000, PH_ROUND_HALF_UP, &out, &err), &err);
    assert_int_equal(out, 1925000); /* 3.85% * 50% */
    /* 3.85% * 33.333333% = 1.28333332...%: rounds to 1.283333% */
    ph_assert_ok(ph_rate_mul(3850000, 33333333, PH_ROUND_HALF_UP, &out, &err), &err);
    assert_int_equal(out, 1283333);
    ph_assert_ok(ph_rate_mul(3850000, 33333333, PH_ROUND_UP, &out, &err), &err);
    assert_int_equal(out, 1283334);
    ph_assert_ok(ph_rate_mul(-5, 50000000, PH_ROUND_HALF_EVEN, &out, &err), &err);
    assert_int_equal(out, -2); /* -2.5 units */
    ph_assert_ok(ph_rate_mul(-5, 50000000, PH_ROUND_HALF_UP, &out, &err), &err);
    assert_int_equal(out, -3);
    ph_assert_ok(ph_rate_mul_int(300000, 12, &out, &err), &err);
    assert_int_equal(out, 3600000); /* 0.3% a month, 3.6% a year */

    out = SENTINEL;
    ph_status st = ph_rate_add(PH_RATE_MAX, 1, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field rate, value '9223372036854.775807% + 0.000001%': the "
                                     "sum does not fit in a rate (" RATE_RANGE ")");
    st = ph_rate_sub(PH_RATE_MIN, 1, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field rate, value '-9223372036854.775808% - 0.000001%': "
                                     "the difference does not fit in a rate (" RATE_RANGE ")");
    st = ph_rate_mul(PH_RATE_MAX, 2 * PH_RATE_ONE, PH_ROUND_DOWN, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field rate, value '9223372036854.775807% * 200.00%': the "
                                     "product does not fit in a rate (" RATE_RANGE ")");
    st = ph_rate_mul_int(PH_RATE_MAX, 2, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field rate, value '9223372036854.775807% * 2': the product "
                                     "does not fit in a rate (" RATE_RANGE ")");
    assert_true(out == SENTINEL);
    ph_assert_error(ph_rate_mul(1, 1, (ph_rounding)6, &out, &err), PH_EINVAL, &err,
                    "field rounding: expected a rounding mode from PH_ROUND_HALF_UP to "
                    "PH_ROUND_CEILING, got 6");
    ph_assert_error(ph_rate_add(1, 1, NULL, &err), PH_EMISUSE, &err, "ph_rate_add: out is NULL");
    ph_assert_error(ph_rate_sub(1, 1, NULL, &err), PH_EMISUSE, &err, "ph_rate_sub: out is NULL");
    ph_assert_error(ph_rate_mul(1, 1, PH_ROUND_UP, NULL, &err), PH_EMISUSE, &err,
                    "ph_rate_mul: out is NULL");
    ph_assert_error(ph_rate_mul_int(1, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_rate_mul_int: out is NULL");
}

static void test_money_mul_rate(void **state)
{
    (void)state;
    ph_money out = SENTINEL;
    ph_error err = fresh_error();
    /* A 0.5% fee on a 1,000,000.00 loan. */
    ph_assert_ok(ph_money_mul_rate(100000000, 500000, PH_ROUND_HALF_UP, &out, &err), &err);
    assert_int_equal(out, 500000);
    /* 123.45 * 3.85% = 4.752825 yuan */
    ph_assert_ok(ph_money_mul_rate(12345, 3850000, PH_ROUND_HALF_UP, &out, &err), &err);
    assert_int_equal(out, 475);
    ph_assert_ok(ph_money_mul_rate(12345, 3850000, PH_ROUND_UP, &out, &err), &err);
    assert_int_equal(out, 476);
    ph_assert_ok(ph_money_mul_rate(-12345, 3850000, PH_ROUND_FLOOR, &out, &err), &err);
    assert_int_equal(out, -476);
    ph_assert_ok(ph_money_mul_rate(PH_MONEY_MIN, PH_RATE_ONE, PH_ROUND_DOWN, &out, &err), &err);
    assert_true(out == PH_MONEY_MIN);

    out = SENTINEL;
    ph_status st = ph_money_mul_rate(PH_MONEY_MAX, 2 * PH_RATE_ONE, PH_ROUND_DOWN, &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field amount, value '92233720368547758.07 * 200.00%': the "
                                     "product does not fit in an amount");
    assert_true(out == SENTINEL);
    ph_assert_error(ph_money_mul_rate(1, 1, (ph_rounding)7, &out, &err), PH_EINVAL, &err,
                    "got 7");
    ph_assert_error(ph_money_mul_rate(1, 1, PH_ROUND_UP, NULL, &err), PH_EMISUSE, &err,
                    "ph_money_mul_rate: out is NULL");
}

/* --- Day counts and interest ------------------------------------------------------- */

static void test_daycount(void **state)
{
    (void)state;
    assert_int_equal(ph_daycount_basis(PH_DAYCOUNT_ACT_360), 360);
    assert_int_equal(ph_daycount_basis(PH_DAYCOUNT_ACT_365), 365);
    assert_int_equal(ph_daycount_basis((ph_daycount)5), 0);
    assert_string_equal(ph_daycount_name(PH_DAYCOUNT_ACT_360), "ACT/360");
    assert_string_equal(ph_daycount_name(PH_DAYCOUNT_ACT_365), "ACT/365");
    assert_null(ph_daycount_name((ph_daycount)5));
    assert_int_equal(PH_DAYCOUNT_ACT_360, 0); /* the RMB convention is the default */

    ph_daycount dc = PH_DAYCOUNT_ACT_365;
    ph_error err = fresh_error();
    ph_assert_ok(ph_daycount_parse("ACT/360", 7, &dc, &err), &err);
    assert_int_equal(dc, PH_DAYCOUNT_ACT_360);
    ph_assert_ok(ph_daycount_parse("act/365", 7, &dc, &err), &err);
    assert_int_equal(dc, PH_DAYCOUNT_ACT_365);

    static const struct {
        const char *text;
        const char *message;
    } bad[] = {
        {"ACT/364", "field daycount, value 'ACT/364': expected ACT/360 or ACT/365"},
        {"ACT/36", "field daycount, value 'ACT/36': expected ACT/360 or ACT/365"},
        {"ACT/3600", "field daycount, value 'ACT/3600': expected ACT/360 or ACT/365"},
        {"30/360", "field daycount, value '30/360': expected ACT/360 or ACT/365"},
        {"", "field daycount: expected ACT/360 or ACT/365"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        dc = PH_DAYCOUNT_ACT_365;
        ph_status st = ph_daycount_parse(bad[i].text, strlen(bad[i].text), &dc, &err);
        ph_assert_error(st, PH_EINVAL, &err, NULL);
        assert_string_equal(err.message, bad[i].message);
        assert_int_equal(dc, PH_DAYCOUNT_ACT_365);
    }
    ph_assert_error(ph_daycount_parse(NULL, 0, &dc, &err), PH_EMISUSE, &err,
                    "ph_daycount_parse: s is NULL");
    ph_assert_error(ph_daycount_parse("ACT/360", 7, NULL, &err), PH_EMISUSE, &err,
                    "ph_daycount_parse: out is NULL");
}

static ph_money interest(ph_money principal, ph_rate annual, int64_t days, ph_daycount dc,
                         ph_rounding rounding)
{
    ph_money out = SENTINEL;
    ph_error err = fresh_error();
    ph_assert_ok(ph_interest(principal, annual, days, dc, rounding, &out, &err), &err);
    return out;
}

static void test_interest_values(void **state)
{
    (void)state;
    /* 100,000.00 at 3.85% for 30 days, ACT/360: 100000 * 0.0385 * 30 / 360
     * = 320.8333... yuan. */
    assert_int_equal(interest(10000000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP),
                     32083);
    assert_int_equal(interest(10000000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_UP), 32084);
    /* ACT/365: 316.43835... */
    assert_int_equal(interest(10000000, 3850000, 30, PH_DAYCOUNT_ACT_365, PH_ROUND_HALF_UP),
                     31644);
    assert_int_equal(interest(10000000, 3850000, 30, PH_DAYCOUNT_ACT_365, PH_ROUND_DOWN), 31643);
    /* A year of 360 days at ACT/360 is the annual rate exactly. */
    assert_int_equal(interest(10000000, 3850000, 360, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP),
                     385000);

    /* 120.00 at 3.85% for 30 days = 0.385 yuan: a tie at 38.5 fen, where
     * half-up and half-even differ. */
    assert_int_equal(interest(12000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP), 39);
    assert_int_equal(interest(12000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_EVEN), 38);
    assert_int_equal(interest(-12000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP), -39);
    assert_int_equal(interest(-12000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_EVEN),
                     -38);
    assert_int_equal(interest(-12000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_FLOOR), -39);
    assert_int_equal(interest(-12000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_CEILING), -38);
    /* 360.00 the same way is 115.5 fen: the even neighbour is above. */
    assert_int_equal(interest(36000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_EVEN), 116);
    assert_int_equal(interest(36000, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP), 116);
    /* 9.00 at 10% for 10 days = 2.5 fen. */
    assert_int_equal(interest(900, 10000000, 10, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP), 3);
    assert_int_equal(interest(900, 10000000, 10, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_EVEN), 2);

    /* Rounded once: thirty separately rounded days would give 320.70. */
    assert_int_equal(interest(10000000, 3850000, 1, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP), 1069);
    assert_int_equal(interest(0, 3850000, 30, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP), 0);
    assert_int_equal(interest(10000000, 3850000, 0, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP), 0);
    assert_int_equal(interest(10000000, -500000, 360, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP),
                     -50000);
    /* The largest principal at 100% for 360 days fits exactly; the
     * intermediate is far beyond 64 bits. */
    assert_true(interest(PH_MONEY_MAX, PH_RATE_ONE, 360, PH_DAYCOUNT_ACT_360, PH_ROUND_DOWN) ==
                PH_MONEY_MAX);
}

static void test_interest_errors(void **state)
{
    (void)state;
    ph_money out = SENTINEL;
    ph_error err = fresh_error();
    ph_status st = ph_interest(10000, 3850000, -1, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP, &out,
                               &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field days, value '-1': expected a number of days >= 0");
    st = ph_interest(10000, 3850000, 30, (ph_daycount)7, PH_ROUND_HALF_UP, &out, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field daycount: expected PH_DAYCOUNT_ACT_360 or "
                                     "PH_DAYCOUNT_ACT_365, got 7");
    ph_assert_error(ph_interest(10000, 3850000, 30, PH_DAYCOUNT_ACT_360, (ph_rounding)99, &out,
                                &err),
                    PH_EINVAL, &err, "field rounding: expected a rounding mode");
    st = ph_interest(PH_MONEY_MAX, PH_RATE_ONE, 361, PH_DAYCOUNT_ACT_360, PH_ROUND_DOWN, &out,
                     &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field interest, value '92233720368547758.07 at 100.00% for "
                                     "361 days ACT/360': the interest does not fit in an amount");
    /* Past even 128 bits: principal * rate * days overflows the intermediate. */
    st = ph_interest(PH_MONEY_MAX, PH_RATE_MAX, INT64_MAX, PH_DAYCOUNT_ACT_365, PH_ROUND_DOWN,
                     &out, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message,
                        "field interest, value '92233720368547758.07 at 9223372036854.775807% "
                        "for 9223372036854775807 days ACT/365': the interest does not fit in an "
                        "amount");
    assert_true(out == SENTINEL);
    ph_assert_error(ph_interest(1, 1, 1, PH_DAYCOUNT_ACT_360, PH_ROUND_UP, NULL, &err),
                    PH_EMISUSE, &err, "ph_interest: out is NULL");
}

/* From the drawdown day up to, not including, the end day. */
static void test_interest_days(void **state)
{
    (void)state;
    ph_error err = fresh_error();
    ph_date jan1, jan31, mar1, leap_feb28;
    ph_assert_ok(ph_date_from_ymd(2025, 1, 1, &jan1, &err), &err);
    ph_assert_ok(ph_date_from_ymd(2025, 1, 31, &jan31, &err), &err);
    ph_assert_ok(ph_date_from_ymd(2024, 3, 1, &mar1, &err), &err);
    ph_assert_ok(ph_date_from_ymd(2024, 2, 28, &leap_feb28, &err), &err);
    int64_t days = SENTINEL;
    ph_assert_ok(ph_interest_days(jan1, jan31, &days, &err), &err);
    assert_int_equal(days, 30); /* Jan 1 counted, Jan 31 not */
    ph_assert_ok(ph_interest_days(jan1, jan1, &days, &err), &err);
    assert_int_equal(days, 0); /* drawn and repaid the same day */
    ph_assert_ok(ph_interest_days(leap_feb28, mar1, &days, &err), &err);
    assert_int_equal(days, 2); /* Feb 28 and Feb 29 */
    ph_assert_ok(ph_interest_days(PH_DATE_MIN, PH_DATE_MAX, &days, &err), &err);
    assert_int_equal(days, (int64_t)PH_DATE_MAX - PH_DATE_MIN);

    days = SENTINEL;
    ph_assert_error(ph_interest_days(jan31, jan1, &days, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field to, value '2025-01-01': expected the end day on or "
                                     "after the drawdown day");
    assert_string_equal(err.field, "to");
    ph_assert_error(ph_interest_days(jan1, jan1 - 1, &days, &err), PH_EINVAL, &err, NULL);
    ph_assert_error(ph_interest_days(PH_DATE_MIN - 1, jan1, &days, &err), PH_ERANGE, &err,
                    "field from, value '-719163': expected a date from 0001-01-01 to 9999-12-31");
    ph_assert_error(ph_interest_days(jan1, PH_DATE_MAX + 1, &days, &err), PH_ERANGE, &err,
                    "field to, value '2932897'");
    assert_true(days == SENTINEL);
    ph_assert_error(ph_interest_days(jan1, jan31, NULL, &err), PH_EMISUSE, &err,
                    "ph_interest_days: out is NULL");
}

static void test_daily_rate(void **state)
{
    (void)state;
    ph_rate daily = SENTINEL;
    ph_error err = fresh_error();
    ph_assert_ok(ph_daily_rate(3850000, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP, &daily, &err),
                 &err);
    assert_int_equal(daily, 10694);
    char buf[PH_RATE_FORMAT_MAX];
    ph_assert_ok(ph_rate_format_percent(daily, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "0.010694%");
    ph_assert_ok(ph_daily_rate(3850000, PH_DAYCOUNT_ACT_365, PH_ROUND_HALF_UP, &daily, &err),
                 &err);
    assert_int_equal(daily, 10548); /* 10547.9452... */
    ph_assert_ok(ph_daily_rate(3850000, PH_DAYCOUNT_ACT_365, PH_ROUND_DOWN, &daily, &err), &err);
    assert_int_equal(daily, 10547);
    ph_assert_ok(ph_daily_rate(PH_RATE_MIN, PH_DAYCOUNT_ACT_360, PH_ROUND_FLOOR, &daily, &err),
                 &err);
    assert_true(daily == PH_RATE_MIN / 360 - 1);

    daily = SENTINEL;
    ph_assert_error(ph_daily_rate(1, (ph_daycount)2, PH_ROUND_UP, &daily, &err), PH_EINVAL, &err,
                    "field daycount: expected PH_DAYCOUNT_ACT_360 or PH_DAYCOUNT_ACT_365, got 2");
    ph_assert_error(ph_daily_rate(1, PH_DAYCOUNT_ACT_360, (ph_rounding)6, &daily, &err),
                    PH_EINVAL, &err, "field rounding");
    assert_true(daily == SENTINEL);
    ph_assert_error(ph_daily_rate(1, PH_DAYCOUNT_ACT_360, PH_ROUND_UP, NULL, &err), PH_EMISUSE,
                    &err, "ph_daily_rate: out is NULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_percent),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_money_mul_rate),
        cmocka_unit_test(test_daycount),
        cmocka_unit_test(test_interest_values),
        cmocka_unit_test(test_interest_errors),
        cmocka_unit_test(test_interest_days),
        cmocka_unit_test(test_daily_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
