/*
 * The fast decimal reader (src/core/float_parse.h) gives the same bits as
 * strtod for every number it accepts, and accepts exactly what the dataset
 * accepted when it called strtod on every cell: edge cases around the fast
 * path's bounds (2^53, 10^22), subnormals, long mantissas, signs and
 * exponents, then a few hundred thousand seeded random decimals.
 */
#include "ph_test.h"

#include "core/float_parse.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference: strtod on the whole text, finite, no ERANGE, and only the
 * characters of a decimal number (what dataset.c checked before). */
static int reference(const char *s, double *out)
{
    size_t len = strlen(s);
    if (len == 0 || len >= FLOAT_PARSE_MAX_LEN)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!strchr("0123456789.+-eE", s[i]))
            return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len || errno == ERANGE || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* Fails with the text when float_parse and the reference differ. */
static void check_same(const char *s)
{
    double want = 0, got = 0;
    int ok_want = reference(s, &want);
    int ok_got = float_parse(s, strlen(s), &got);
    if (ok_want != ok_got)
        fail_msg("'%s': float_parse %s, strtod %s", s, ok_got ? "accepts" : "refuses",
                 ok_want ? "accepts" : "refuses");
    if (ok_want && memcmp(&want, &got, sizeof(double)) != 0)
        fail_msg("'%s': float_parse %.17g (%a), strtod %.17g (%a)", s, got, got, want, want);
}

static void test_edge_cases_match_strtod_bit_for_bit(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0", "-0", "+0", "0.0", "-0.0", "0e0", "-0e-999", "0e999999999999", "00000",
        "1", "-1", "+1", ".5", "5.", "-.5", "+5.", "1.5e3", "1.5E-3", "1e+3", "12.5",
        "9007199254740992", "9007199254740993", "9007199254740991", "-9007199254740993",
        "9007199254740994", "9007199254740995", "18014398509481985",
        "1e22", "1e23", "-1e22", "1e-22", "1e-23", "9e22", "9007199254740992e22",
        "9007199254740991e-22", "123456789e30", "1e37", "3e37", "1e38", "900719925474099e23",
        "0.1", "0.2", "0.3", "0.7", "1.1", "2.675", "0.000001", "1e-7",
        "1.7976931348623157e308", "1.7976931348623159e308", "1.8e308", "1e309", "-1e400",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "5e-324",
        "2e-324", "1e-400", "-1e-400",
        "12345678901234567890", "1234567890123456789", "9999999999999999999",
        "99999999999999999999", "0.12345678901234567890123", "123456789012345678901234567890",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "7.2057594037927933e16", "0.000000000000000000000000000001",
        "00000000000000000000000000000001.5", "1000000000000000000000000",
        "1e0000000000000000000000000000000001",
        /* refused, by both */
        "", " ", " 1", "1 ", "1.5x", "x1.5", "+", "-", ".", "+.", "e5", ".e5", "1e", "1e+",
        "1e-", "--1", "+-1", "1..2", "1.2.3", "1e5.5", "1e5e5", "1-2", "0x10", "0x1p3",
        "inf", "-inf", "Infinity", "nan", "NaN", "-nan", "1,5", "1_000", "\t1",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_same(cases[i]);
}

static void test_length_limit_and_not_nul_terminated(void **state)
{
    (void)state;
    char buf[FLOAT_PARSE_MAX_LEN + 8];
    memset(buf, '1', sizeof(buf));
    double v = 0;
    /* Under the limit: read; at it: text, as before (strtod never saw it). */
    assert_int_equal(float_parse(buf, FLOAT_PARSE_MAX_LEN - 1, &v), 1);
    assert_int_equal(float_parse(buf, FLOAT_PARSE_MAX_LEN, &v), 0);
    /* The length bounds the number: what follows is not read. */
    memcpy(buf, "2.5e1x", 6);
    assert_int_equal(float_parse(buf, 5, &v), 1);
    assert_true(v == 25.0);
    assert_int_equal(float_parse(buf, 6, &v), 0);
}

/* xorshift64*: seeded, the same cases every run. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* A random decimal of the kinds data files hold, and some they should not:
 * 1..25 digits, a point anywhere or none, an exponent from -340 to 320 or
 * none, a sign or none. */
static void random_decimal(uint64_t *seed, char *out, size_t size)
{
    size_t n = 0;
    uint64_t r = next_random(seed);
    if (r % 4 == 0)
        out[n++] = r % 8 == 0 ? '-' : '+';
    size_t digits = 1 + (size_t)(next_random(seed) % 25);
    size_t point = (size_t)(next_random(seed) % (digits + 2));
    for (size_t i = 0; i < digits; i++) {
        if (i == point)
            out[n++] = '.';
        /* Runs of 9s and 0s hit the rounding boundaries. */
        uint64_t k = next_random(seed) % 12;
        out[n++] = (char)(k < 10 ? '0' + k : k == 10 ? '9' : '0');
    }
    r = next_random(seed);
    if (r % 3 == 0) {
        long e = (long)(next_random(seed) % 661) - 340;
        if (r % 2)
            e = (long)(next_random(seed) % 61) - 30; /* near the fast path's bounds */
        n += (size_t)snprintf(out + n, size - n, "e%ld", e);
    }
    out[n] = '\0';
}

static void test_random_decimals_match_strtod(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    char text[64];
    for (int i = 0; i < 300000; i++) {
        random_decimal(&seed, text, sizeof(text));
        check_same(text);
    }
}

/* Every integer around 2^53 and every power of ten the fast path touches,
 * with mantissas on both sides of its bound. */
static void test_fast_path_bounds(void **state)
{
    (void)state;
    char text[64];
    for (uint64_t w = ((uint64_t)1 << 53) - 50; w <= ((uint64_t)1 << 53) + 50; w++) {
        for (int p = -40; p <= 40; p++) {
            snprintf(text, sizeof(text), "%llue%d", (unsigned long long)w, p);
            check_same(text);
        }
    }
    for (uint64_t w = 1; w < 100000; w = w * 7 + 3) {
        for (int p = -330; p <= 310; p++) {
            snprintf(text, sizeof(text), "%llue%d", (unsigned long long)w, p);
            check_same(text);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cases_match_strtod_bit_for_bit),
        cmocka_unit_test(test_length_limit_and_not_nul_terminated),
        cmocka_unit_test(test_random_decimals_match_strtod),
        cmocka_unit_test(test_fast_path_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
