/*
 * Calendar months (year * 12 + month - 1): text, arithmetic, their first and
 * last days, and whole months between two dates.
 */
#include "date/date_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define FIELD "month"
#define RANGE_TEXT "0001-01 to 9999-12"

int ph_month_is_valid(ph_month m)
{
    return m >= PH_MONTH_MIN && m <= PH_MONTH_MAX;
}

static ph_status out_of_range(ph_error *err, ph_month m)
{
    char value[32];
    snprintf(value, sizeof(value), "%" PRId32, m);
    return ph_error_set(err, PH_ERANGE, FIELD, value,
                        "month number %" PRId32 " is not a month from " RANGE_TEXT
                        " (month numbers %" PRId32 " to %" PRId32 ")",
                        m, PH_MONTH_MIN, PH_MONTH_MAX);
}

/* As check_ymd in date.c: `value` NULL means "YYYY-MM" from the numbers. */
static ph_status check_ym(int year, int month, const char *value, size_t value_len,
                          ph_error *err)
{
    int year_ok = year >= PH_DATE_YEAR_MIN && year <= PH_DATE_YEAR_MAX;
    if (year_ok && month >= 1 && month <= 12)
        return PH_OK;
    char made[32];
    if (value == NULL) {
        value = made;
        value_len = (size_t)snprintf(made, sizeof(made), "%04d-%02d", year, month);
    }
    if (!year_ok)
        return ph_error_setn(err, PH_ERANGE, FIELD, value, value_len,
                             "year %d is out of range: expected 1 to 9999", year);
    return ph_error_setn(err, PH_EINVAL, FIELD, value, value_len,
                         "month %d does not exist: expected 1 to 12", month);
}

ph_status ph_month_from_ym(int year, int month, ph_month *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_month_from_ym: out is NULL");
    ph_status st = check_ym(year, month, NULL, 0, err);
    if (st != PH_OK)
        return st;
    *out = year * 12 + (month - 1);
    return PH_OK;
}

ph_status ph_month_to_ym(ph_month m, int *year, int *month, ph_error *err)
{
    if (!ph_month_is_valid(m))
        return out_of_range(err, m);
    if (year != NULL)
        *year = m / 12;
    if (month != NULL)
        *month = m % 12 + 1;
    return PH_OK;
}

ph_month ph_month_of(ph_date d)
{
    date_civil c = date_civil_from_days(d);
    /* |year| stays below 6 million for any int32 day number: fits. */
    return (ph_month)(c.year * 12 + (c.month - 1));
}

ph_month ph_month_next(ph_month m)
{
    return m < INT32_MAX ? m + 1 : m;
}

ph_month ph_month_prev(ph_month m)
{
    return m > INT32_MIN ? m - 1 : m;
}

ph_status ph_month_add(ph_month m, int64_t n, ph_month *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_month_add: out is NULL");
    if (!ph_month_is_valid(m))
        return out_of_range(err, m);
    int64_t result;
    if (__builtin_add_overflow((int64_t)m, n, &result) || result < PH_MONTH_MIN ||
        result > PH_MONTH_MAX) {
        char month[16], value[64];
        ph_month_format(m, month, sizeof(month), NULL);
        snprintf(value, sizeof(value), "%s %s %" PRIu64 " months", month, n < 0 ? "-" : "+",
                 n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n);
        return ph_error_set(err, PH_ERANGE, FIELD, value, "the result is outside " RANGE_TEXT);
    }
    *out = (ph_month)result;
    return PH_OK;
}

ph_status ph_month_first_day(ph_month m, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_month_first_day: out is NULL");
    if (!ph_month_is_valid(m))
        return out_of_range(err, m);
    *out = (ph_date)date_days_from_civil(m / 12, m % 12 + 1, 1);
    return PH_OK;
}

ph_status ph_month_last_day(ph_month m, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_month_last_day: out is NULL");
    if (!ph_month_is_valid(m))
        return out_of_range(err, m);
    int year = m / 12, month = m % 12 + 1;
    *out = (ph_date)date_days_from_civil(year, month, ph_days_in_month(year, month));
    return PH_OK;
}

static const char *const month_patterns[] = {"DDDD-DD"};

ph_status ph_month_parse(const char *s, size_t len, ph_month *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_month_parse: %s is NULL",
                            s == NULL ? "s" : "out");
    size_t which;
    ph_status st = date_match_digits(s, len, month_patterns, 1, FIELD, "a month as YYYY-MM",
                                   &which, err);
    if (st != PH_OK)
        return st;
    int year = date_digits_value(s, 4);
    int month = date_digits_value(s + 5, 2);
    st = check_ym(year, month, s, len, err);
    if (st != PH_OK)
        return st;
    *out = year * 12 + (month - 1);
    return PH_OK;
}

ph_status ph_month_format(ph_month m, char *buf, size_t size, ph_error *err)
{
    if (buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_month_format: buf is NULL");
    if (!ph_month_is_valid(m))
        return out_of_range(err, m);
    if (size < PH_MONTH_FORMAT_MAX)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_month_format: buffer of %zu bytes is too small, need %d", size,
                            PH_MONTH_FORMAT_MAX);
    char text[32];
    snprintf(text, sizeof(text), "%04d-%02d", (int)(m / 12), (int)(m % 12 + 1));
    memcpy(buf, text, PH_MONTH_FORMAT_MAX);
    return PH_OK;
}

int32_t ph_months_between(ph_date from, ph_date to)
{
    date_civil a = date_civil_from_days(from);
    date_civil b = date_civil_from_days(to);
    int64_t n = (b.year * 12 + b.month) - (a.year * 12 + a.month);
    /* `from` moved n months lands in to's month, on its own day clamped to
     * that month's length; one month fewer is whole if it lands past `to`
     * (or, going backwards, before it). */
    int length = ph_days_in_month((int)b.year, b.month);
    int landing = a.day < length ? a.day : length;
    if (n > 0 && landing > b.day)
        n--;
    else if (n < 0 && landing < b.day)
        n++;
    return (int32_t)n;
}
