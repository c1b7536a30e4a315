/*
 * Calendar arithmetic shared by the files of the date module.
 */
#ifndef PH_DATE_INTERNAL_H
#define PH_DATE_INTERNAL_H

#include "puhui/date.h"

/* A civil (year, month, day). The year is wide so that every int32 day
 * number converts without overflow. */
typedef struct {
    int64_t year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
} date_civil;

/* Day number of a civil date; exact for any year whose day number fits
 * in int64, without validating month or day. */
int64_t date_days_from_civil(int64_t year, int month, int day);

/* Civil date of any day number (int32 and far beyond). */
date_civil date_civil_from_days(int64_t days);

/* floor(a / b) and the matching non-negative remainder, for b > 0. */
static inline int64_t date_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

static inline int64_t date_floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

/* English month name, 1..12 ("February"). */
const char *date_month_name(int month);

/*
 * Match s[0..len) against fixed-width patterns in which 'D' stands for an
 * ASCII digit and any other character for itself ("DDDD-DD-DD"). Sets
 * *which to the index of the matched pattern. On a mismatch fills err
 * (PH_EINVAL, `field`, value the input) with the first wrong position and
 * `expected` ("a date as YYYY-MM-DD or YYYYMMDD").
 */
ph_status date_match_digits(const char *s, size_t len, const char *const *patterns,
                          size_t count, const char *field, const char *expected,
                          size_t *which, ph_error *err);

/* The value of the n ASCII digits at s. */
int date_digits_value(const char *s, size_t n);

#endif /* PH_DATE_INTERNAL_H */
