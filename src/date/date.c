/*
 * Calendar dates: validation with reasons, ISO 8601 text, and day and month
 * arithmetic. A date is a day number (see date.h); the civil conversions are
 * in civil.c.
 */
#include "date/date_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define FIELD "date"
#define RANGE_TEXT "0001-01-01 to 9999-12-31"

static const int month_lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

int ph_is_leap_year(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int ph_days_in_month(int year, int month)
{
    if (month < 1 || month > 12)
        return 0;
    return month_lengths[month - 1] + (month == 2 && ph_is_leap_year(year));
}

int ph_date_is_valid(ph_date d)
{
    return d >= PH_DATE_MIN && d <= PH_DATE_MAX;
}

ph_weekday ph_date_weekday(ph_date d)
{
    /* Day 0, 1970-01-01, was a Thursday (ISO day 4). */
    return (ph_weekday)(date_floor_mod((int64_t)d + 3, 7) + 1);
}

int ph_date_is_end_of_month(ph_date d)
{
    if (!ph_date_is_valid(d))
        return 0;
    date_civil c = date_civil_from_days(d);
    return c.day == ph_days_in_month((int)c.year, c.month);
}

/* --- Validation ------------------------------------------------------------------ */

/*
 * Check year-month-day, reporting the problem against `value` (the text as
 * the caller gave it), or when value is NULL against "YYYY-MM-DD" made from
 * the numbers, only on failure: this runs for every date built. The year is
 * checked first: a bad year is out of range rather than impossible.
 */
static ph_status check_ymd(int year, int month, int day, const char *value, size_t value_len,
                           ph_error *err)
{
    int year_ok = year >= PH_DATE_YEAR_MIN && year <= PH_DATE_YEAR_MAX;
    int length = ph_days_in_month(year, month); /* 0 for a bad month */
    if (year_ok && day >= 1 && day <= length)
        return PH_OK;

    char made[48];
    if (value == NULL) {
        value = made;
        value_len = (size_t)snprintf(made, sizeof(made), "%04d-%02d-%02d", year, month, day);
    }
    if (!year_ok)
        return ph_error_setn(err, PH_ERANGE, FIELD, value, value_len,
                             "year %d is out of range: expected 1 to 9999", year);
    if (length == 0)
        return ph_error_setn(err, PH_EINVAL, FIELD, value, value_len,
                             "month %d does not exist: expected 1 to 12", month);
    if (day < 1)
        return ph_error_setn(err, PH_EINVAL, FIELD, value, value_len,
                             "day %d does not exist: days start at 1", day);
    return ph_error_setn(err, PH_EINVAL, FIELD, value, value_len,
                         "day %d does not exist: %s %d has %d days", day, date_month_name(month),
                         year, length);
}

/* "day number N" for errors about a ph_date outside the valid range. */
static ph_status out_of_range(ph_error *err, ph_date d)
{
    char value[32];
    snprintf(value, sizeof(value), "%" PRId32, d);
    return ph_error_set(err, PH_ERANGE, FIELD, value,
                        "day number %" PRId32 " is not a date from " RANGE_TEXT
                        " (day numbers %" PRId32 " to %" PRId32 ")",
                        d, PH_DATE_MIN, PH_DATE_MAX);
}

ph_status ph_date_from_ymd(int year, int month, int day, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_date_from_ymd: out is NULL");
    ph_status st = check_ymd(year, month, day, NULL, 0, err);
    if (st != PH_OK)
        return st;
    *out = (ph_date)date_days_from_civil(year, month, day);
    return PH_OK;
}

ph_status ph_date_to_ymd(ph_date d, int *year, int *month, int *day, ph_error *err)
{
    if (!ph_date_is_valid(d))
        return out_of_range(err, d);
    date_civil c = date_civil_from_days(d);
    if (year != NULL)
        *year = (int)c.year;
    if (month != NULL)
        *month = c.month;
    if (day != NULL)
        *day = c.day;
    return PH_OK;
}

/* --- Text ------------------------------------------------------------------------ */

static const char *const date_patterns[] = {"DDDD-DD-DD", "DDDDDDDD"};
/* Where month and day start in each pattern (the year is always first). */
static const size_t month_at[] = {5, 4};
static const size_t day_at[] = {8, 6};

ph_status ph_date_parse(const char *s, size_t len, ph_date *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_date_parse: %s is NULL",
                            s == NULL ? "s" : "out");
    size_t which = 0;
    ph_status st = date_match_digits(s, len, date_patterns, 2, FIELD,
                                   "a date as YYYY-MM-DD or YYYYMMDD", &which, err);
    if (st != PH_OK)
        return st;
    int year = date_digits_value(s, 4);
    int month = date_digits_value(s + month_at[which], 2);
    int day = date_digits_value(s + day_at[which], 2);
    st = check_ymd(year, month, day, s, len, err);
    if (st != PH_OK)
        return st;
    *out = (ph_date)date_days_from_civil(year, month, day);
    return PH_OK;
}

ph_status ph_date_format(ph_date d, char *buf, size_t size, ph_error *err)
{
    if (buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_date_format: buf is NULL");
    if (!ph_date_is_valid(d))
        return out_of_range(err, d);
    if (size < PH_DATE_FORMAT_MAX)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_date_format: buffer of %zu bytes is too small, need %d", size,
                            PH_DATE_FORMAT_MAX);
    date_civil c = date_civil_from_days(d);
    char text[48];
    snprintf(text, sizeof(text), "%04d-%02d-%02d", (int)c.year, c.month, c.day);
    memcpy(buf, text, PH_DATE_FORMAT_MAX);
    return PH_OK;
}

/* --- Arithmetic ------------------------------------------------------------------- */

/* The date as text when valid, else its day number: for error values. */
static const char *date_text(ph_date d, char *buf, size_t size)
{
    if (ph_date_format(d, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "day %" PRId32, d);
    return buf;
}

static ph_status result_out_of_range(ph_error *err, ph_date d, int64_t n, const char *unit)
{
    char date[32], value[96];
    snprintf(value, sizeof(value), "%s %s %" PRIu64 " %s", date_text(d, date, sizeof(date)),
             n < 0 ? "-" : "+", n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n, unit);
    return ph_error_set(err, PH_ERANGE, FIELD, value,
                        "the result is outside " RANGE_TEXT);
}

ph_status ph_date_add_days(ph_date d, int64_t days, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_date_add_days: out is NULL");
    if (!ph_date_is_valid(d))
        return out_of_range(err, d);
    int64_t result;
    if (__builtin_add_overflow((int64_t)d, days, &result) || result < PH_DATE_MIN ||
        result > PH_DATE_MAX)
        return result_out_of_range(err, d, days, "days");
    *out = (ph_date)result;
    return PH_OK;
}

int64_t ph_date_diff_days(ph_date from, ph_date to)
{
    return (int64_t)to - (int64_t)from;
}

ph_status ph_date_add_months(ph_date d, int64_t months, ph_eom_rule rule, ph_date *out,
                             ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_date_add_months: out is NULL");
    if (rule != PH_EOM_CLAMP && rule != PH_EOM_STICKY)
        return ph_error_set(err, PH_EINVAL, "eom_rule", NULL,
                            "expected PH_EOM_CLAMP or PH_EOM_STICKY, got %d", (int)rule);
    if (!ph_date_is_valid(d))
        return out_of_range(err, d);
    date_civil c = date_civil_from_days(d);
    int64_t target;
    if (__builtin_add_overflow(c.year * 12 + (c.month - 1), months, &target))
        return result_out_of_range(err, d, months, "months");
    int64_t year = date_floor_div(target, 12);
    int month = (int)(target - year * 12) + 1;
    if (year < PH_DATE_YEAR_MIN || year > PH_DATE_YEAR_MAX)
        return result_out_of_range(err, d, months, "months");

    int length = ph_days_in_month((int)year, month);
    int day = c.day < length ? c.day : length;
    if (rule == PH_EOM_STICKY && c.day == ph_days_in_month((int)c.year, c.month))
        day = length;
    *out = (ph_date)date_days_from_civil(year, month, day);
    return PH_OK;
}

ph_status ph_date_start_of_month(ph_date d, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_date_start_of_month: out is NULL");
    if (!ph_date_is_valid(d))
        return out_of_range(err, d);
    date_civil c = date_civil_from_days(d);
    *out = d - (c.day - 1);
    return PH_OK;
}

ph_status ph_date_end_of_month(ph_date d, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_date_end_of_month: out is NULL");
    if (!ph_date_is_valid(d))
        return out_of_range(err, d);
    date_civil c = date_civil_from_days(d);
    *out = d + (ph_days_in_month((int)c.year, c.month) - c.day);
    return PH_OK;
}
