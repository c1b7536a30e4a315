/* Calendar dates and months (src/date). */
#include "ph_test.h"

#include <stdio.h>
#include <string.h>

#define SENTINEL_DATE ((ph_date)0x5a5a5a5a)
#define DATE_RANGE "the result is outside 0001-01-01 to 9999-12-31"

static ph_error fresh_error(void)
{
    ph_error err;
    ph_error_clear(&err);
    return err;
}

static ph_date ymd(int year, int month, int day)
{
    ph_date d = SENTINEL_DATE;
    ph_error err = fresh_error();
    ph_assert_ok(ph_date_from_ymd(year, month, day, &d, &err), &err);
    return d;
}

/* The date as text, for readable assertions. */
static const char *text(ph_date d, char *buf)
{
    ph_error err = fresh_error();
    ph_assert_ok(ph_date_format(d, buf, PH_DATE_FORMAT_MAX, &err), &err);
    return buf;
}

/* --- Calendar facts -------------------------------------------------------------- */

static void test_leap_years_and_month_lengths(void **state)
{
    (void)state;
    assert_false(ph_is_leap_year(1900)); /* century, not divisible by 400 */
    assert_true(ph_is_leap_year(2000));  /* divisible by 400 */
    assert_true(ph_is_leap_year(2024));
    assert_false(ph_is_leap_year(2023));
    assert_false(ph_is_leap_year(2100));
    assert_true(ph_is_leap_year(2400));
    assert_true(ph_is_leap_year(4));
    assert_false(ph_is_leap_year(1));
    assert_true(ph_is_leap_year(0)); /* proleptic: year 0 is divisible by 400 */

    assert_int_equal(ph_days_in_month(2023, 2), 28);
    assert_int_equal(ph_days_in_month(2024, 2), 29);
    assert_int_equal(ph_days_in_month(1900, 2), 28);
    assert_int_equal(ph_days_in_month(2000, 2), 29);
    assert_int_equal(ph_days_in_month(2024, 4), 30);
    assert_int_equal(ph_days_in_month(2024, 12), 31);
    assert_int_equal(ph_days_in_month(2024, 0), 0);
    assert_int_equal(ph_days_in_month(2024, 13), 0);
}

static void test_known_day_numbers_and_weekdays(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        ph_date days;
        ph_weekday weekday;
    } cases[] = {
        {1970, 1, 1, 0, PH_THURSDAY},
        {1969, 12, 31, -1, PH_WEDNESDAY},
        {2000, 1, 1, 10957, PH_SATURDAY},
        {2024, 2, 29, 19782, PH_THURSDAY},
        {2024, 3, 15, 19797, PH_FRIDAY},
        {1949, 10, 1, -7397, PH_SATURDAY},
        {2008, 8, 8, 14099, PH_FRIDAY},
        {1, 1, 1, PH_DATE_MIN, PH_MONDAY},
        {9999, 12, 31, PH_DATE_MAX, PH_FRIDAY},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_date d = ymd(cases[i].y, cases[i].m, cases[i].d);
        assert_int_equal(d, cases[i].days);
        assert_int_equal(ph_date_weekday(d), cases[i].weekday);
    }
    assert_int_equal(ph_date_diff_days(PH_DATE_MIN, PH_DATE_MAX), 3652058);
    /* Total over every int32: no overflow, always a day of the week. */
    assert_true(ph_date_weekday(INT32_MIN) >= PH_MONDAY && ph_date_weekday(INT32_MIN) <= PH_SUNDAY);
    assert_true(ph_date_weekday(INT32_MAX) >= PH_MONDAY && ph_date_weekday(INT32_MAX) <= PH_SUNDAY);
    assert_int_equal(ph_date_weekday(-7), PH_THURSDAY);
}

/*
 * Every day from 0001-01-01 to 9999-12-31, against a counter that knows
 * nothing but month lengths and the leap rule: conversions both ways, text
 * both ways, the weekday cycle, months and month ends.
 */
static void test_every_day_round_trips(void **state)
{
    (void)state;
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 1, m = 1, d = 1;
    ph_weekday expected_weekday = PH_MONDAY;
    ph_error err = fresh_error();
    for (int64_t day = PH_DATE_MIN; day <= PH_DATE_MAX; day++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int length = lengths[m - 1] + (m == 2 && leap);

        ph_date from = SENTINEL_DATE;
        if (ph_date_from_ymd(y, m, d, &from, &err) != PH_OK || from != day)
            fail_msg("%04d-%02d-%02d: got day %d, expected %lld (%s)", y, m, d, (int)from,
                     (long long)day, err.message);
        int yy = 0, mm = 0, dd = 0;
        if (ph_date_to_ymd((ph_date)day, &yy, &mm, &dd, &err) != PH_OK || yy != y || mm != m ||
            dd != d)
            fail_msg("day %lld: got %04d-%02d-%02d, expected %04d-%02d-%02d", (long long)day, yy,
                     mm, dd, y, m, d);

        char buf[PH_DATE_FORMAT_MAX], want[48];
        snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
        ph_assert_ok(ph_date_format((ph_date)day, buf, sizeof(buf), &err), &err);
        if (strcmp(buf, want) != 0)
            fail_msg("day %lld formats as %s, expected %s", (long long)day, buf, want);
        ph_date parsed = SENTINEL_DATE;
        ph_assert_ok(ph_date_parse(buf, 10, &parsed, &err), &err);
        assert_int_equal(parsed, day);

        if (ph_date_weekday((ph_date)day) != expected_weekday)
            fail_msg("%s: weekday %d, expected %d", want, ph_date_weekday((ph_date)day),
                     expected_weekday);
        assert_int_equal(ph_month_of((ph_date)day), y * 12 + m - 1);
        assert_int_equal(ph_date_is_end_of_month((ph_date)day), d == length);

        expected_weekday = expected_weekday == PH_SUNDAY ? PH_MONDAY : expected_weekday + 1;
        if (++d > length) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 10000); /* the walk ended right after 9999-12-31 */
    assert_false(ph_date_is_end_of_month(PH_DATE_MAX + 1));
}

/* --- Construction and validation ------------------------------------------------- */

static void test_from_ymd_rejects(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        ph_status code;
        const char *message;
    } cases[] = {
        {2023, 2, 29, PH_EINVAL,
         "field date, value '2023-02-29': day 29 does not exist: February 2023 has 28 days"},
        {2024, 4, 31, PH_EINVAL,
         "field date, value '2024-04-31': day 31 does not exist: April 2024 has 30 days"},
        {1900, 2, 29, PH_EINVAL,
         "field date, value '1900-02-29': day 29 does not exist: February 1900 has 28 days"},
        {2024, 2, 30, PH_EINVAL,
         "field date, value '2024-02-30': day 30 does not exist: February 2024 has 29 days"},
        {2024, 13, 1, PH_EINVAL,
         "field date, value '2024-13-01': month 13 does not exist: expected 1 to 12"},
        {2024, 0, 1, PH_EINVAL,
         "field date, value '2024-00-01': month 0 does not exist: expected 1 to 12"},
        {2024, 1, 0, PH_EINVAL,
         "field date, value '2024-01-00': day 0 does not exist: days start at 1"},
        {2024, 1, -1, PH_EINVAL,
         "field date, value '2024-01--1': day -1 does not exist: days start at 1"},
        {0, 1, 1, PH_ERANGE,
         "field date, value '0000-01-01': year 0 is out of range: expected 1 to 9999"},
        {10000, 1, 1, PH_ERANGE,
         "field date, value '10000-01-01': year 10000 is out of range: expected 1 to 9999"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_date d = SENTINEL_DATE;
        ph_error err = fresh_error();
        ph_status st = ph_date_from_ymd(cases[i].y, cases[i].m, cases[i].d, &d, &err);
        ph_assert_error(st, cases[i].code, &err, NULL);
        assert_string_equal(err.message, cases[i].message);
        assert_int_equal(d, SENTINEL_DATE);
    }
    ph_date d;
    ph_error err = fresh_error();
    ph_assert_ok(ph_date_from_ymd(2000, 2, 29, &d, &err), &err);
    ph_assert_error(ph_date_from_ymd(2000, 1, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_date_from_ymd: out is NULL");
}

static void test_to_ymd(void **state)
{
    (void)state;
    int year = -1, month = -1, day = -1;
    ph_error err = fresh_error();
    ph_assert_ok(ph_date_to_ymd(19782, &year, NULL, &day, &err), &err);
    assert_int_equal(year, 2024);
    assert_int_equal(month, -1); /* NULL parts are skipped */
    assert_int_equal(day, 29);
    year = -1;
    ph_status st = ph_date_to_ymd(PH_DATE_MAX + 1, &year, &month, &day, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field date, value '2932897': day number 2932897 is not a "
                                     "date from 0001-01-01 to 9999-12-31 (day numbers -719162 to "
                                     "2932896)");
    ph_assert_error(ph_date_to_ymd(PH_DATE_MIN - 1, &year, &month, &day, &err), PH_ERANGE, &err,
                    "day number -719163 is not a date");
    assert_int_equal(year, -1);
    assert_true(ph_date_is_valid(PH_DATE_MIN) && ph_date_is_valid(PH_DATE_MAX));
    assert_false(ph_date_is_valid(PH_DATE_MIN - 1) || ph_date_is_valid(PH_DATE_MAX + 1));
}

/* --- Text -------------------------------------------------------------------------- */

static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        ph_date days;
    } good[] = {
        {"2024-03-15", 19797}, {"20240315", 19797},          {"1970-01-01", 0},
        {"0001-01-01", PH_DATE_MIN}, {"9999-12-31", PH_DATE_MAX}, {"2000-02-29", 11016},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ph_date d = SENTINEL_DATE;
        ph_error err = fresh_error();
        ph_assert_ok(ph_date_parse(good[i].text, strlen(good[i].text), &d, &err), &err);
        assert_int_equal(d, good[i].days);
    }
    ph_date d = SENTINEL_DATE;
    ph_error err = fresh_error();
    ph_assert_ok(ph_date_parse("2024-03-15T10:00", 10, &d, &err), &err); /* only len bytes */
    assert_int_equal(d, 19797);
}

static void test_parse_rejects(void **state)
{
    (void)state;
#define SHAPE "a date as YYYY-MM-DD or YYYYMMDD"
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        ph_status code;
        const char *message;
    } cases[] = {
        {"", 0, PH_EINVAL, "field date: expected " SHAPE ", got an empty string"},
        {"2024-3-15", 0, PH_EINVAL, "field date, value '2024-3-15': expected " SHAPE},
        {"2024-03-15 ", 0, PH_EINVAL, "field date, value '2024-03-15 ': expected " SHAPE},
        {" 2024-03-15", 0, PH_EINVAL, "field date, value ' 2024-03-15': expected " SHAPE},
        {"2024-03-15T00:00", 0, PH_EINVAL, "field date, value '2024-03-15T00:00': expected " SHAPE},
        {"24-03-15", 0, PH_EINVAL,
         "field date, value '24-03-15': expected a digit at position 3 (" SHAPE ")"},
        {"2024/03/15", 0, PH_EINVAL,
         "field date, value '2024/03/15': expected '-' at position 5 (" SHAPE ")"},
        {"2024-03/15", 0, PH_EINVAL,
         "field date, value '2024-03/15': expected '-' at position 8 (" SHAPE ")"},
        {"2024-03-1x", 0, PH_EINVAL,
         "field date, value '2024-03-1x': expected a digit at position 10 (" SHAPE ")"},
        {"2024-0a-15", 0, PH_EINVAL,
         "field date, value '2024-0a-15': expected a digit at position 7 (" SHAPE ")"},
        {"+024-03-15", 0, PH_EINVAL,
         "field date, value '+024-03-15': expected a digit at position 1 (" SHAPE ")"},
        {"2024031x", 0, PH_EINVAL,
         "field date, value '2024031x': expected a digit at position 8 (" SHAPE ")"},
        {"2024-1-015", 0, PH_EINVAL,
         "field date, value '2024-1-015': expected a digit at position 7 (" SHAPE ")"},
        {"2024-03\0-15", 10, PH_EINVAL,
         "field date, value '2024-03\\x00-1': expected '-' at position 8 (" SHAPE ")"},
        {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-01", 0, PH_EINVAL,
         "field date, value '\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-01': "
         "expected " SHAPE},
        {"2024-02-30", 0, PH_EINVAL,
         "field date, value '2024-02-30': day 30 does not exist: February 2024 has 29 days"},
        {"20230229", 0, PH_EINVAL,
         "field date, value '20230229': day 29 does not exist: February 2023 has 28 days"},
        {"2024-06-31", 0, PH_EINVAL,
         "field date, value '2024-06-31': day 31 does not exist: June 2024 has 30 days"},
        {"2024-13-01", 0, PH_EINVAL,
         "field date, value '2024-13-01': month 13 does not exist: expected 1 to 12"},
        {"2024-00-10", 0, PH_EINVAL,
         "field date, value '2024-00-10': month 0 does not exist: expected 1 to 12"},
        {"2024-01-00", 0, PH_EINVAL,
         "field date, value '2024-01-00': day 0 does not exist: days start at 1"},
        {"0000-01-01", 0, PH_ERANGE,
         "field date, value '0000-01-01': year 0 is out of range: expected 1 to 9999"},
        {"00001231", 0, PH_ERANGE,
         "field date, value '00001231': year 0 is out of range: expected 1 to 9999"},
    };
#undef SHAPE
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        ph_date d = SENTINEL_DATE;
        ph_error err = fresh_error();
        ph_status st = ph_date_parse(cases[i].text, len, &d, &err);
        ph_assert_error(st, cases[i].code, &err, NULL);
        assert_string_equal(err.message, cases[i].message);
        assert_int_equal(d, SENTINEL_DATE);
    }
    ph_date d;
    ph_error err = fresh_error();
    ph_assert_error(ph_date_parse(NULL, 0, &d, &err), PH_EMISUSE, &err,
                    "ph_date_parse: s is NULL");
    ph_assert_error(ph_date_parse("2024-01-01", 10, NULL, &err), PH_EMISUSE, &err,
                    "ph_date_parse: out is NULL");
}

static void test_format_errors(void **state)
{
    (void)state;
    char buf[PH_DATE_FORMAT_MAX];
    memset(buf, 'X', sizeof(buf));
    ph_error err = fresh_error();
    ph_status st = ph_date_format(0, buf, PH_DATE_FORMAT_MAX - 1, &err);
    ph_assert_error(st, PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "ph_date_format: buffer of 10 bytes is too small, need 11");
    for (size_t i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 'X');
    ph_assert_error(ph_date_format(PH_DATE_MAX + 1, buf, sizeof(buf), &err), PH_ERANGE, &err,
                    "field date, value '2932897': day number 2932897 is not a date");
    ph_assert_error(ph_date_format(0, NULL, 11, &err), PH_EMISUSE, &err,
                    "ph_date_format: buf is NULL");
    ph_assert_ok(ph_date_format(0, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "1970-01-01");
}

/* --- Arithmetic ------------------------------------------------------------------- */

static void test_add_and_diff_days(void **state)
{
    (void)state;
    char buf[PH_DATE_FORMAT_MAX];
    ph_date d = SENTINEL_DATE;
    ph_error err = fresh_error();
    ph_assert_ok(ph_date_add_days(ymd(2024, 2, 28), 1, &d, &err), &err);
    assert_string_equal(text(d, buf), "2024-02-29");
    ph_assert_ok(ph_date_add_days(ymd(2024, 2, 28), 2, &d, &err), &err);
    assert_string_equal(text(d, buf), "2024-03-01");
    ph_assert_ok(ph_date_add_days(ymd(2023, 3, 1), -1, &d, &err), &err);
    assert_string_equal(text(d, buf), "2023-02-28");
    ph_assert_ok(ph_date_add_days(PH_DATE_MIN, 3652058, &d, &err), &err);
    assert_int_equal(d, PH_DATE_MAX);

    assert_int_equal(ph_date_diff_days(ymd(2024, 2, 1), ymd(2024, 3, 1)), 29);
    assert_int_equal(ph_date_diff_days(ymd(2023, 3, 1), ymd(2023, 2, 1)), -28);
    assert_int_equal(ph_date_diff_days(INT32_MIN, INT32_MAX), UINT32_MAX);

    static const struct {
        ph_date from;
        int64_t days;
        const char *message;
    } bad[] = {
        {PH_DATE_MAX, 1, "field date, value '9999-12-31 + 1 days': " DATE_RANGE},
        {PH_DATE_MIN, -1, "field date, value '0001-01-01 - 1 days': " DATE_RANGE},
        {0, INT64_MAX, "field date, value '1970-01-01 + 9223372036854775807 days': " DATE_RANGE},
        {1, INT64_MIN, "field date, value '1970-01-02 - 9223372036854775808 days': " DATE_RANGE},
        {PH_DATE_MAX + 1, -1,
         "field date, value '2932897': day number 2932897 is not a date from 0001-01-01 to "
         "9999-12-31 (day numbers -719162 to 2932896)"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        d = SENTINEL_DATE;
        ph_status st = ph_date_add_days(bad[i].from, bad[i].days, &d, &err);
        ph_assert_error(st, PH_ERANGE, &err, NULL);
        assert_string_equal(err.message, bad[i].message);
        assert_int_equal(d, SENTINEL_DATE);
    }
    ph_assert_error(ph_date_add_days(0, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_date_add_days: out is NULL");
}

static void test_add_months(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        int64_t months;
        ph_eom_rule rule;
        const char *expect;
    } cases[] = {
        {2024, 1, 31, 1, PH_EOM_CLAMP, "2024-02-29"},
        {2023, 1, 31, 1, PH_EOM_CLAMP, "2023-02-28"},
        {2023, 2, 28, 1, PH_EOM_CLAMP, "2023-03-28"},
        {2023, 2, 28, 1, PH_EOM_STICKY, "2023-03-31"},
        {2024, 2, 28, 1, PH_EOM_STICKY, "2024-03-28"}, /* not a month end in 2024 */
        {2024, 2, 29, 1, PH_EOM_STICKY, "2024-03-31"},
        {2024, 2, 29, 12, PH_EOM_CLAMP, "2025-02-28"},
        {2024, 2, 29, 12, PH_EOM_STICKY, "2025-02-28"},
        {2024, 4, 30, 1, PH_EOM_CLAMP, "2024-05-30"},
        {2024, 4, 30, 1, PH_EOM_STICKY, "2024-05-31"},
        {2024, 4, 30, 0, PH_EOM_STICKY, "2024-04-30"},
        {2024, 5, 31, -3, PH_EOM_STICKY, "2024-02-29"},
        {2024, 3, 31, -1, PH_EOM_CLAMP, "2024-02-29"},
        {2024, 1, 15, -1, PH_EOM_CLAMP, "2023-12-15"},
        {2024, 1, 31, 13, PH_EOM_CLAMP, "2025-02-28"},
        {2024, 1, 31, -13, PH_EOM_CLAMP, "2022-12-31"},
        {2024, 8, 15, 120, PH_EOM_STICKY, "2034-08-15"},
        {1, 1, 1, 119987, PH_EOM_CLAMP, "9999-12-01"},
        {9999, 12, 31, -119987, PH_EOM_STICKY, "0001-01-31"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_date d = SENTINEL_DATE;
        ph_error err = fresh_error();
        char buf[PH_DATE_FORMAT_MAX];
        ph_assert_ok(ph_date_add_months(ymd(cases[i].y, cases[i].m, cases[i].d), cases[i].months,
                                        cases[i].rule, &d, &err),
                     &err);
        if (strcmp(text(d, buf), cases[i].expect) != 0)
            fail_msg("%04d-%02d-%02d %+lld months (rule %d): got %s, expected %s", cases[i].y,
                     cases[i].m, cases[i].d, (long long)cases[i].months, (int)cases[i].rule, buf,
                     cases[i].expect);
    }

    static const struct {
        ph_date from;
        int64_t months;
        ph_eom_rule rule;
        ph_status code;
        const char *message;
    } bad[] = {
        {PH_DATE_MAX, 1, PH_EOM_CLAMP, PH_ERANGE,
         "field date, value '9999-12-31 + 1 months': " DATE_RANGE},
        {PH_DATE_MIN + 14, -1, PH_EOM_STICKY, PH_ERANGE,
         "field date, value '0001-01-15 - 1 months': " DATE_RANGE},
        {0, INT64_MAX, PH_EOM_CLAMP, PH_ERANGE,
         "field date, value '1970-01-01 + 9223372036854775807 months': " DATE_RANGE},
        {0, INT64_MIN, PH_EOM_CLAMP, PH_ERANGE,
         "field date, value '1970-01-01 - 9223372036854775808 months': " DATE_RANGE},
        {PH_DATE_MIN - 1, 1, PH_EOM_CLAMP, PH_ERANGE,
         "field date, value '-719163': day number -719163 is not a date from 0001-01-01 to "
         "9999-12-31 (day numbers -719162 to 2932896)"},
        {0, 1, (ph_eom_rule)5, PH_EINVAL,
         "field eom_rule: expected PH_EOM_CLAMP or PH_EOM_STICKY, got 5"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ph_date d = SENTINEL_DATE;
        ph_error err = fresh_error();
        ph_status st = ph_date_add_months(bad[i].from, bad[i].months, bad[i].rule, &d, &err);
        ph_assert_error(st, bad[i].code, &err, NULL);
        assert_string_equal(err.message, bad[i].message);
        assert_int_equal(d, SENTINEL_DATE);
    }
    ph_error err = fresh_error();
    ph_assert_error(ph_date_add_months(0, 1, PH_EOM_CLAMP, NULL, &err), PH_EMISUSE, &err,
                    "ph_date_add_months: out is NULL");
}

static void test_month_boundaries_of_dates(void **state)
{
    (void)state;
    char buf[PH_DATE_FORMAT_MAX];
    ph_date d = SENTINEL_DATE;
    ph_error err = fresh_error();
    ph_assert_ok(ph_date_start_of_month(ymd(2024, 2, 10), &d, &err), &err);
    assert_string_equal(text(d, buf), "2024-02-01");
    ph_assert_ok(ph_date_end_of_month(ymd(2024, 2, 10), &d, &err), &err);
    assert_string_equal(text(d, buf), "2024-02-29");
    ph_assert_ok(ph_date_end_of_month(ymd(2023, 2, 10), &d, &err), &err);
    assert_string_equal(text(d, buf), "2023-02-28");
    ph_assert_ok(ph_date_end_of_month(PH_DATE_MAX, &d, &err), &err);
    assert_int_equal(d, PH_DATE_MAX);
    ph_assert_ok(ph_date_start_of_month(PH_DATE_MIN, &d, &err), &err);
    assert_int_equal(d, PH_DATE_MIN);
    assert_true(ph_date_is_end_of_month(ymd(2024, 4, 30)));
    assert_false(ph_date_is_end_of_month(ymd(2024, 2, 28)));

    d = SENTINEL_DATE;
    ph_assert_error(ph_date_start_of_month(PH_DATE_MAX + 1, &d, &err), PH_ERANGE, &err,
                    "day number 2932897 is not a date");
    ph_assert_error(ph_date_end_of_month(PH_DATE_MIN - 1, &d, &err), PH_ERANGE, &err,
                    "day number -719163 is not a date");
    assert_int_equal(d, SENTINEL_DATE);
    ph_assert_error(ph_date_start_of_month(0, NULL, &err), PH_EMISUSE, &err,
                    "ph_date_start_of_month: out is NULL");
    ph_assert_error(ph_date_end_of_month(0, NULL, &err), PH_EMISUSE, &err,
                    "ph_date_end_of_month: out is NULL");
}

/* --- Months ----------------------------------------------------------------------- */

static void test_month_values(void **state)
{
    (void)state;
    ph_month m = 0;
    ph_error err = fresh_error();
    ph_assert_ok(ph_month_from_ym(2024, 3, &m, &err), &err);
    assert_int_equal(m, 24290);
    assert_int_equal(ph_month_of(ymd(2024, 3, 15)), 24290);
    int year = 0, month = 0;
    ph_assert_ok(ph_month_to_ym(m, &year, &month, &err), &err);
    assert_int_equal(year, 2024);
    assert_int_equal(month, 3);
    ph_assert_ok(ph_month_to_ym(PH_MONTH_MIN, &year, NULL, &err), &err);
    assert_int_equal(year, 1);

    char buf[PH_MONTH_FORMAT_MAX];
    ph_assert_ok(ph_month_format(m, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "2024-03");
    ph_assert_ok(ph_month_format(PH_MONTH_MIN, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "0001-01");
    ph_assert_ok(ph_month_format(PH_MONTH_MAX, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "9999-12");

    char day[PH_DATE_FORMAT_MAX];
    ph_date d = SENTINEL_DATE;
    ph_assert_ok(ph_month_parse("2024-02", 7, &m, &err), &err);
    ph_assert_ok(ph_month_first_day(m, &d, &err), &err);
    assert_string_equal(text(d, day), "2024-02-01");
    ph_assert_ok(ph_month_last_day(m, &d, &err), &err);
    assert_string_equal(text(d, day), "2024-02-29");
    ph_assert_ok(ph_month_last_day(PH_MONTH_MAX, &d, &err), &err);
    assert_int_equal(d, PH_DATE_MAX);
    ph_assert_ok(ph_month_first_day(PH_MONTH_MIN, &d, &err), &err);
    assert_int_equal(d, PH_DATE_MIN);

    ph_assert_ok(ph_month_add(ph_month_of(ymd(2024, 11, 1)), 3, &m, &err), &err);
    ph_assert_ok(ph_month_format(m, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "2025-02");
    ph_assert_ok(ph_month_add(m, -24, &m, &err), &err);
    ph_assert_ok(ph_month_format(m, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "2023-02");
}

static void test_month_iteration(void **state)
{
    (void)state;
    ph_month first, last;
    ph_error err = fresh_error();
    ph_assert_ok(ph_month_parse("2023-11", 7, &first, &err), &err);
    ph_assert_ok(ph_month_parse("2024-02", 7, &last, &err), &err);
    char seen[64] = "";
    int count = 0;
    for (ph_month m = first; m <= last; m = ph_month_next(m)) {
        char buf[PH_MONTH_FORMAT_MAX];
        ph_assert_ok(ph_month_format(m, buf, sizeof(buf), &err), &err);
        strcat(seen, buf);
        strcat(seen, " ");
        count++;
    }
    assert_int_equal(count, 4);
    assert_string_equal(seen, "2023-11 2023-12 2024-01 2024-02 ");
    assert_int_equal(ph_month_prev(first), first - 1);
    assert_int_equal(ph_month_next(PH_MONTH_MAX), PH_MONTH_MAX + 1);
    assert_false(ph_month_is_valid(ph_month_next(PH_MONTH_MAX)));
    assert_int_equal(ph_month_next(INT32_MAX), INT32_MAX); /* saturates, never wraps */
    assert_int_equal(ph_month_prev(INT32_MIN), INT32_MIN);
    /* Total even far outside the calendar (UBSan checks the arithmetic). */
    assert_true(ph_month_of(INT32_MIN) < PH_MONTH_MIN);
    assert_true(ph_month_of(INT32_MAX) > PH_MONTH_MAX);
}

static void test_month_errors(void **state)
{
    (void)state;
#define SHAPE "a month as YYYY-MM"
    static const struct {
        const char *text;
        ph_status code;
        const char *message;
    } bad[] = {
        {"", PH_EINVAL, "field month: expected " SHAPE ", got an empty string"},
        {"2024-3", PH_EINVAL, "field month, value '2024-3': expected " SHAPE},
        {"202403", PH_EINVAL, "field month, value '202403': expected " SHAPE},
        {"2024-03-01", PH_EINVAL, "field month, value '2024-03-01': expected " SHAPE},
        {"2024/03", PH_EINVAL, "field month, value '2024/03': expected '-' at position 5 (" SHAPE ")"},
        {"2024-0x", PH_EINVAL,
         "field month, value '2024-0x': expected a digit at position 7 (" SHAPE ")"},
        {"2024-13", PH_EINVAL,
         "field month, value '2024-13': month 13 does not exist: expected 1 to 12"},
        {"2024-00", PH_EINVAL,
         "field month, value '2024-00': month 0 does not exist: expected 1 to 12"},
        {"0000-01", PH_ERANGE,
         "field month, value '0000-01': year 0 is out of range: expected 1 to 9999"},
    };
#undef SHAPE
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ph_month m = 777;
        ph_error err = fresh_error();
        ph_status st = ph_month_parse(bad[i].text, strlen(bad[i].text), &m, &err);
        ph_assert_error(st, bad[i].code, &err, NULL);
        assert_string_equal(err.message, bad[i].message);
        assert_int_equal(m, 777);
    }

    ph_month m = 777;
    ph_error err = fresh_error();
    ph_status st = ph_month_from_ym(2024, 13, &m, &err);
    ph_assert_error(st, PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "field month, value '2024-13': month 13 does not exist: expected 1 to 12");
    st = ph_month_from_ym(10000, 1, &m, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message,
                        "field month, value '10000-01': year 10000 is out of range: expected 1 to "
                        "9999");
    assert_int_equal(m, 777);

#define NOT_A_MONTH                                                                     \
    "field month, value '11': month number 11 is not a month from 0001-01 to 9999-12 " \
    "(month numbers 12 to 119999)"
    char buf[PH_MONTH_FORMAT_MAX];
    ph_date d = SENTINEL_DATE;
    int year = -1;
    st = ph_month_format(PH_MONTH_MIN - 1, buf, sizeof(buf), &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, NOT_A_MONTH);
    ph_assert_error(ph_month_to_ym(PH_MONTH_MIN - 1, &year, NULL, &err), PH_ERANGE, &err,
                    NOT_A_MONTH);
    ph_assert_error(ph_month_first_day(PH_MONTH_MIN - 1, &d, &err), PH_ERANGE, &err, NOT_A_MONTH);
    ph_assert_error(ph_month_last_day(PH_MONTH_MAX + 1, &d, &err), PH_ERANGE, &err,
                    "month number 120000 is not a month");
    ph_assert_error(ph_month_add(PH_MONTH_MIN - 1, 1, &m, &err), PH_ERANGE, &err, NOT_A_MONTH);
#undef NOT_A_MONTH
    assert_int_equal(year, -1);
    assert_int_equal(d, SENTINEL_DATE);
    st = ph_month_add(PH_MONTH_MAX, 1, &m, &err);
    ph_assert_error(st, PH_ERANGE, &err, NULL);
    assert_string_equal(err.message, "field month, value '9999-12 + 1 months': the result is "
                                     "outside 0001-01 to 9999-12");
    ph_assert_error(ph_month_add(PH_MONTH_MIN, INT64_MIN, &m, &err), PH_ERANGE, &err,
                    "value '0001-01 - 9223372036854775808 months'");
    assert_int_equal(m, 777);

    memset(buf, 'X', sizeof(buf));
    st = ph_month_format(24290, buf, 7, &err);
    ph_assert_error(st, PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message, "ph_month_format: buffer of 7 bytes is too small, need 8");
    assert_int_equal(buf[0], 'X');
    ph_assert_error(ph_month_format(24290, NULL, 8, &err), PH_EMISUSE, &err, "buf is NULL");
    ph_assert_error(ph_month_parse(NULL, 0, &m, &err), PH_EMISUSE, &err,
                    "ph_month_parse: s is NULL");
    ph_assert_error(ph_month_parse("2024-01", 7, NULL, &err), PH_EMISUSE, &err,
                    "ph_month_parse: out is NULL");
    ph_assert_error(ph_month_from_ym(2024, 1, NULL, &err), PH_EMISUSE, &err, "out is NULL");
    ph_assert_error(ph_month_add(24290, 1, NULL, &err), PH_EMISUSE, &err, "out is NULL");
    ph_assert_error(ph_month_first_day(24290, NULL, &err), PH_EMISUSE, &err, "out is NULL");
    ph_assert_error(ph_month_last_day(24290, NULL, &err), PH_EMISUSE, &err, "out is NULL");
}

static void test_months_between(void **state)
{
    (void)state;
    static const struct {
        int y1, m1, d1, y2, m2, d2;
        int32_t months;
    } cases[] = {
        {2024, 1, 15, 2024, 3, 14, 1},  {2024, 1, 15, 2024, 3, 15, 2},
        {2023, 1, 31, 2023, 2, 28, 1},  {2023, 1, 31, 2023, 2, 27, 0},
        {2024, 1, 31, 2024, 2, 28, 0},  {2024, 1, 31, 2024, 2, 29, 1},
        {2024, 2, 29, 2025, 2, 28, 12}, {2024, 1, 15, 2024, 1, 15, 0},
        {2024, 1, 15, 2024, 1, 20, 0},  {2024, 1, 20, 2024, 1, 15, 0},
        {2024, 3, 14, 2024, 1, 15, -1}, {2024, 3, 15, 2024, 1, 15, -2},
        {2023, 3, 31, 2023, 2, 28, -1}, {2023, 3, 30, 2023, 2, 28, -1},
        {2023, 3, 28, 2023, 2, 28, -1}, {2023, 3, 27, 2023, 2, 28, 0},
        {2024, 3, 15, 2034, 3, 15, 120}, {1, 1, 1, 9999, 12, 31, 119987},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int32_t n = ph_months_between(ymd(cases[i].y1, cases[i].m1, cases[i].d1),
                                      ymd(cases[i].y2, cases[i].m2, cases[i].d2));
        if (n != cases[i].months)
            fail_msg("%04d-%02d-%02d to %04d-%02d-%02d: %d months, expected %d", cases[i].y1,
                     cases[i].m1, cases[i].d1, cases[i].y2, cases[i].m2, cases[i].d2, (int)n,
                     (int)cases[i].months);
    }
    /* Total over every pair of int32 values (UBSan checks the arithmetic). */
    assert_true(ph_months_between(INT32_MIN, INT32_MAX) > 0);
    assert_true(ph_months_between(INT32_MAX, INT32_MIN) < 0);
}

/* months_between agrees with its definition through ph_date_add_months:
 * n whole months means from + n months is not past `to`, from + (n + 1) is. */
static void test_months_between_matches_add_months(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252u;
    ph_error err = fresh_error();
    for (int i = 0; i < 20000; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        ph_date from = (ph_date)(ymd(2020, 1, 1) + (int64_t)(seed % 1500));
        ph_date to = (ph_date)(ymd(2020, 1, 1) + (int64_t)((seed >> 20) % 1500));
        int32_t n = ph_months_between(from, to);
        int32_t sign = to >= from ? 1 : -1;
        ph_date at, past;
        ph_assert_ok(ph_date_add_months(from, n, PH_EOM_CLAMP, &at, &err), &err);
        ph_assert_ok(ph_date_add_months(from, n + sign, PH_EOM_CLAMP, &past, &err), &err);
        if (sign > 0 ? !(at <= to && past > to) : !(at >= to && past < to)) {
            char a[PH_DATE_FORMAT_MAX], b[PH_DATE_FORMAT_MAX];
            fail_msg("%s to %s: %d whole months is wrong", text(from, a), text(to, b), (int)n);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years_and_month_lengths),
        cmocka_unit_test(test_known_day_numbers_and_weekdays),
        cmocka_unit_test(test_every_day_round_trips),
        cmocka_unit_test(test_from_ymd_rejects),
        cmocka_unit_test(test_to_ymd),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_add_and_diff_days),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_month_boundaries_of_dates),
        cmocka_unit_test(test_month_values),
        cmocka_unit_test(test_month_iteration),
        cmocka_unit_test(test_month_errors),
        cmocka_unit_test(test_months_between),
        cmocka_unit_test(test_months_between_matches_add_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
