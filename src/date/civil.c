/*
 * The civil calendar as arithmetic: day numbers to and from year-month-day,
 * and the fixed-width digit patterns that dates and months are written in.
 *
 * The conversion works on a calendar whose year starts on March 1. Then the
 * leap day is the last day of its year, so where a month starts within the
 * year never depends on leap years, and the Gregorian 400-year cycle (an
 * "era" of exactly 146097 days) makes everything else closed-form.
 */
#include "date/date_internal.h"

#include <string.h>

/* Days from 0000-03-01 (day 0 of era 0) to 1970-01-01 (our day 0). */
#define DAYS_0000_03_01_TO_EPOCH 719468
#define DAYS_PER_ERA 146097 /* 400 * 365 + 97 leap days */

/*
 * Day of the March-based year on which month `mp` starts (mp 0 = March).
 * From March the month lengths run 31 30 31 30 31, 31 30 31 30 31, 31 (and
 * February last): five-month runs of 153 days, i.e. 30.6 days a month, and
 * floor((153 * mp + 2) / 5) hits every start exactly: 0, 31, 61, 92, ...
 */
static int64_t march_month_start(int64_t mp)
{
    return (153 * mp + 2) / 5;
}

int64_t date_days_from_civil(int64_t year, int month, int day)
{
    /* January and February belong to the previous March-based year. */
    int64_t y = month <= 2 ? year - 1 : year;
    int64_t era = date_floor_div(y, 400);
    int64_t year_of_era = y - era * 400; /* 0..399 */
    int64_t mp = (month + 9) % 12;       /* March 0 .. February 11 */
    int64_t day_of_year = march_month_start(mp) + day - 1;
    /* Leap days before March-year k of an era are those of calendar years
     * 1..k, which (the era starting at a multiple of 400) is k/4 - k/100. */
    int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * DAYS_PER_ERA + day_of_era - DAYS_0000_03_01_TO_EPOCH;
}

date_civil date_civil_from_days(int64_t days)
{
    int64_t z = days + DAYS_0000_03_01_TO_EPOCH;
    int64_t era = date_floor_div(z, DAYS_PER_ERA);
    int64_t day_of_era = z - era * DAYS_PER_ERA; /* 0..146096 */
    /*
     * Take out the leap days so that a plain division by 365 gives the year.
     * n / 1460 counts one per 4-year cycle (a cycle is 1461 days, so the
     * count runs slightly early, but only within the cycle's leap year,
     * where it cannot move the quotient across a year boundary); n / 36524
     * gives back the days of the century years that skip their leap day; and
     * n / 146096 is 1 only on the era's last day, the 400th year's leap day.
     * Exact for all 146097 days of an era: tests/test_date.c walks every
     * day from 0001-01-01 to 9999-12-31 against a day-by-day counter.
     */
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
                           day_of_era / 146096) /
                          365;
    int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    /* Invert march_month_start: the month whose start is the last <= day. */
    int64_t mp = (5 * day_of_year + 2) / 153;
    date_civil c;
    c.day = (int)(day_of_year - march_month_start(mp) + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = era * 400 + year_of_era + (c.month <= 2);
    return c;
}

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

const char *date_month_name(int month)
{
    return month >= 1 && month <= 12 ? month_names[month - 1] : "?";
}

ph_status date_match_digits(const char *s, size_t len, const char *const *patterns,
                          size_t count, const char *field, const char *expected,
                          size_t *which, ph_error *err)
{
    const char *pattern = NULL;
    for (size_t i = 0; i < count && pattern == NULL; i++) {
        if (strlen(patterns[i]) == len) {
            pattern = patterns[i];
            *which = i;
        }
    }
    if (pattern == NULL && len == 0)
        return ph_error_setn(err, PH_EINVAL, field, s, len, "expected %s, got an empty string",
                             expected);
    if (pattern == NULL)
        return ph_error_setn(err, PH_EINVAL, field, s, len, "expected %s", expected);
    for (size_t i = 0; i < len; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (pattern[i] == 'D' && !digit)
            return ph_error_setn(err, PH_EINVAL, field, s, len,
                                 "expected a digit at position %zu (%s)", i + 1, expected);
        if (pattern[i] != 'D' && s[i] != pattern[i])
            return ph_error_setn(err, PH_EINVAL, field, s, len,
                                 "expected '%c' at position %zu (%s)", pattern[i], i + 1,
                                 expected);
    }
    return PH_OK;
}

int date_digits_value(const char *s, size_t n)
{
    int value = 0;
    for (size_t i = 0; i < n; i++)
        value = value * 10 + (s[i] - '0');
    return value;
}
