/*
 * puhui — calendar dates and months.
 *
 * A date is a count of days since 1970-01-01 in the proleptic Gregorian
 * calendar (today's leap-year rules applied to every year), so comparing and
 * subtracting dates is integer arithmetic. Valid dates run from 0001-01-01
 * to 9999-12-31; anything that would produce a date outside that range is
 * PH_ERANGE. A month is year * 12 + (month - 1), so months too compare,
 * subtract and iterate as integers:
 *
 *     for (ph_month m = first; m <= last; m = ph_month_next(m)) ...
 *
 * There are no time zones here: a date is a calendar day, not an instant.
 */
#ifndef PUHUI_DATE_H
#define PUHUI_DATE_H

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Days since 1970-01-01 (which is 0); negative before it. */
typedef int32_t ph_date;

#define PH_DATE_MIN INT32_C(-719162) /* 0001-01-01 */
#define PH_DATE_MAX INT32_C(2932896) /* 9999-12-31 */
#define PH_DATE_YEAR_MIN 1
#define PH_DATE_YEAR_MAX 9999

/* Buffer size for ph_date_format: "YYYY-MM-DD" and the NUL. */
#define PH_DATE_FORMAT_MAX 11

/* ISO 8601 day numbers. */
typedef enum ph_weekday {
    PH_MONDAY = 1,
    PH_TUESDAY,
    PH_WEDNESDAY,
    PH_THURSDAY,
    PH_FRIDAY,
    PH_SATURDAY,
    PH_SUNDAY
} ph_weekday;

/* What adding months does to a day that the target month lacks. */
typedef enum ph_eom_rule {
    /* Keep the day of month, clamped to the target month's length:
     * Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year); Feb 28 + 1 = Mar 28. */
    PH_EOM_CLAMP = 0,
    /* As CLAMP, except that a date on the last day of its month lands on the
     * last day of the target month: Feb 28 2023 + 1 month = Mar 31; Apr 30 +
     * 1 = May 31. For schedules anchored at month ends. */
    PH_EOM_STICKY
} ph_eom_rule;

/* --- Calendar facts (total functions: defined for every argument) -------- */

/* True if d lies in 0001-01-01 .. 9999-12-31. */
PH_EXTERN int ph_date_is_valid(ph_date d);

/* Gregorian rule: divisible by 4, except centuries not divisible by 400
 * (1900 is not a leap year, 2000 and 2024 are). Any year. */
PH_EXTERN int ph_is_leap_year(int year);

/* 28..31 for months 1..12 of `year` (any year); 0 for any other month. */
PH_EXTERN int ph_days_in_month(int year, int month);

/* Day of the week; defined for every value of d (1970-01-01 is a Thursday). */
PH_EXTERN ph_weekday ph_date_weekday(ph_date d);

/* True if d is the last day of its month (valid dates; false otherwise). */
PH_EXTERN int ph_date_is_end_of_month(ph_date d);

/* --- Dates -------------------------------------------------------------------- */

/*
 * The date year-month-day. Errors (field "date", value "YYYY-MM-DD" as
 * given): PH_ERANGE for a year outside 1..9999; PH_EINVAL for a month
 * outside 1..12 or a day the month lacks, saying why ("day 29 does not
 * exist: February 2023 has 28 days"); PH_EMISUSE for NULL out.
 */
PH_EXTERN ph_status ph_date_from_ymd(int year, int month, int day, ph_date *out,
                                     ph_error *err);

/* Split d into year, month (1..12), day (1..31). Any of the three outputs may
 * be NULL. PH_ERANGE (field "date") if d is not a valid date; nothing is
 * written then. */
PH_EXTERN ph_status ph_date_to_ymd(ph_date d, int *year, int *month, int *day, ph_error *err);

/*
 * Parse an ISO 8601 calendar date from s[0..len): extended "2024-03-15" or
 * basic "20240315", exactly those characters, nothing before or after.
 * Errors (field "date", value the input): PH_EINVAL for any other text
 * (naming the position of the first wrong character when the length
 * matches) and for impossible dates as in ph_date_from_ymd; PH_ERANGE for
 * year 0000; PH_EMISUSE for NULL s or out.
 */
PH_EXTERN ph_status ph_date_parse(const char *s, size_t len, ph_date *out, ph_error *err);

/* Write "YYYY-MM-DD" and a NUL to buf. PH_ERANGE if d is not a valid date;
 * PH_EMISUSE for NULL buf or size < PH_DATE_FORMAT_MAX (buf untouched). */
PH_EXTERN ph_status ph_date_format(ph_date d, char *buf, size_t size, ph_error *err);

/* d + days (days may be negative). PH_ERANGE (field "date") if d or the
 * result is not a valid date. */
PH_EXTERN ph_status ph_date_add_days(ph_date d, int64_t days, ph_date *out, ph_error *err);

/* to - from in days: positive when `to` is later. Exact for every value. */
PH_EXTERN int64_t ph_date_diff_days(ph_date from, ph_date to);

/*
 * d moved by `months` calendar months (may be negative), the day of month
 * kept as `rule` says. PH_ERANGE (field "date") if d or the result is not a
 * valid date; PH_EINVAL (field "eom_rule") for a rule outside the enum.
 */
PH_EXTERN ph_status ph_date_add_months(ph_date d, int64_t months, ph_eom_rule rule,
                                       ph_date *out, ph_error *err);

/* First and last day of d's month. PH_ERANGE if d is not a valid date. */
PH_EXTERN ph_status ph_date_start_of_month(ph_date d, ph_date *out, ph_error *err);
PH_EXTERN ph_status ph_date_end_of_month(ph_date d, ph_date *out, ph_error *err);

/* --- Months -------------------------------------------------------------------- */

/* year * 12 + (month - 1): 2024-03 is 24290. */
typedef int32_t ph_month;

#define PH_MONTH_MIN INT32_C(12)     /* 0001-01 */
#define PH_MONTH_MAX INT32_C(119999) /* 9999-12 */

/* Buffer size for ph_month_format: "YYYY-MM" and the NUL. */
#define PH_MONTH_FORMAT_MAX 8

/* True if m lies in 0001-01 .. 9999-12. */
PH_EXTERN int ph_month_is_valid(ph_month m);

/* The month of year-month. PH_ERANGE (field "month") for a year outside
 * 1..9999, PH_EINVAL for a month outside 1..12, PH_EMISUSE for NULL out. */
PH_EXTERN ph_status ph_month_from_ym(int year, int month, ph_month *out, ph_error *err);

/* Split m into year and month (1..12); either output may be NULL.
 * PH_ERANGE (field "month") if m is not a valid month. */
PH_EXTERN ph_status ph_month_to_ym(ph_month m, int *year, int *month, ph_error *err);

/* The month containing d. Total: for an invalid d the result is an invalid
 * month, never undefined behaviour. */
PH_EXTERN ph_month ph_month_of(ph_date d);

/* m + 1 and m - 1, for loops; they saturate at the ends of int32 instead of
 * wrapping. ph_month_next(PH_MONTH_MAX) is PH_MONTH_MAX + 1, past the end. */
PH_EXTERN ph_month ph_month_next(ph_month m);
PH_EXTERN ph_month ph_month_prev(ph_month m);

/* m + n months. PH_ERANGE (field "month") if m or the result is invalid. */
PH_EXTERN ph_status ph_month_add(ph_month m, int64_t n, ph_month *out, ph_error *err);

/* First and last day of m. PH_ERANGE (field "month") if m is invalid. */
PH_EXTERN ph_status ph_month_first_day(ph_month m, ph_date *out, ph_error *err);
PH_EXTERN ph_status ph_month_last_day(ph_month m, ph_date *out, ph_error *err);

/* Parse "YYYY-MM" from s[0..len), strictly. Errors (field "month", value the
 * input): PH_EINVAL for other text or a month outside 1..12, PH_ERANGE for
 * year 0000, PH_EMISUSE for NULL s or out. ("YYYYMM" is not accepted: ISO
 * 8601 forbids it, as it reads like a YYMMDD date.) */
PH_EXTERN ph_status ph_month_parse(const char *s, size_t len, ph_month *out, ph_error *err);

/* Write "YYYY-MM" and a NUL. PH_ERANGE if m is invalid; PH_EMISUSE for NULL
 * buf or size < PH_MONTH_FORMAT_MAX. */
PH_EXTERN ph_status ph_month_format(ph_month m, char *buf, size_t size, ph_error *err);

/*
 * Whole months from `from` to `to`: the largest n >= 0 such that
 * from + n months (PH_EOM_CLAMP) is not after `to`; negated, with the roles
 * mirrored, when `to` is earlier. Jan 15 -> Mar 14 is 1; Jan 15 -> Mar 15
 * is 2; Jan 31 -> Feb 28 2023 is 1 (Jan 31 + 1 month is Feb 28).
 * Total: defined for every pair of values.
 */
PH_EXTERN int32_t ph_months_between(ph_date from, ph_date to);

/* Today by the context's clock (ph_ctx_now): the calendar day in the
 * process's local time zone (run the platform with TZ=Asia/Shanghai). A NULL
 * ctx reads the system clock. Costs one clock call and one localtime_r.
 * Errors: PH_ERANGE (field "clock") when the clock gives no usable date;
 * PH_EMISUSE for NULL out. The one way the library gets "today". */
PH_EXTERN ph_status ph_ctx_today(const ph_ctx *ctx, ph_date *out, ph_error *err);

/* The calendar day of an instant (seconds since 1970, as ph_ctx_now gives)
 * in the local time zone: ph_ctx_today for one clock reading that is also
 * used for a timestamp (ph_utc_format), so both name the same instant.
 * Errors as ph_ctx_today. */
PH_EXTERN ph_status ph_date_of_instant(int64_t seconds, ph_date *out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_DATE_H */
