/*
 * puhui — rates: exact fixed-point rates, day counts and simple interest.
 *
 * A rate is a signed 64-bit count of 1e-8 (one millionth of a percent):
 * PH_RATE_ONE (100000000) is 1, i.e. 100%; 3.85% is 3850000; 1bp is 10000.
 * There is no floating point: text is parsed exactly (more precision than
 * 1e-8 is an error, never truncated), every overflow is PH_ERANGE, and each
 * product of money and a rate is computed exactly in 128 bits and rounded
 * once, by the rule the caller names.
 *
 * This header depends on money.h (amounts and rounding modes); money.h does
 * not depend on it.
 */
#ifndef PUHUI_RATE_H
#define PUHUI_RATE_H

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A signed count of 1e-8. */
typedef int64_t ph_rate;

#define PH_RATE_ONE INT64_C(100000000) /* 1 = 100% */
#define PH_RATE_PERCENT INT64_C(1000000) /* 1% */
#define PH_RATE_BP INT64_C(10000)        /* 1 basis point = 0.01% */
#define PH_RATE_MAX INT64_MAX
#define PH_RATE_MIN INT64_MIN

/* Buffer size that always fits the output of the ph_rate_format_* functions,
 * the terminating NUL included. */
#define PH_RATE_FORMAT_MAX 32

/* --- Text ------------------------------------------------------------------ */

/*
 * Parse a rate from s[0..len) (need not be NUL-terminated). Three forms,
 * each with an optional single leading '+' or '-':
 *   "3.85%"  a percentage (up to 6 decimal places); the full-width '％'
 *            (U+FF05, as typed by Chinese input methods) is accepted too;
 *   "385bp"  basis points, also "38.5bp" (up to 4 decimal places; "bp" in
 *            any letter case);
 *   "0.0385" a plain decimal fraction (up to 8 decimal places).
 * Digits are required on both sides of a decimal point ("3.%", ".5%" are
 * errors); no spaces, no exponents, no grouping.
 *
 * Errors (field "rate", value the input): PH_EINVAL for the empty string,
 * any malformed text, and more decimal places than 1e-8 resolves (the
 * message says how many the form allows); PH_ERANGE when the rate does not
 * fit in ph_rate; PH_EMISUSE for NULL s or out. `*out` is written only on
 * success.
 */
PH_EXTERN ph_status ph_rate_parse(const char *s, size_t len, ph_rate *out, ph_error *err);

/*
 * Parse a bare number meaning percent: "3.85" is 3.85%. A trailing '%' or
 * '％' is allowed ("3.85%"); basis points are not. Otherwise as ph_rate_parse
 * (at most 6 decimal places; same errors).
 */
PH_EXTERN ph_status ph_rate_parse_percent(const char *s, size_t len, ph_rate *out,
                                          ph_error *err);

/*
 * Format as a percentage with trailing zeros trimmed but at least two
 * decimals: "3.85%", "3.00%", "3.8625%", "-0.50%", "0.000001%".
 * Errors: PH_EMISUSE for NULL buf or a buffer too small (buf untouched).
 */
PH_EXTERN ph_status ph_rate_format_percent(ph_rate rate, char *buf, size_t size,
                                           ph_error *err);

/* Format in basis points, trailing zeros and a bare point trimmed: "385bp",
 * "38.5bp", "0bp", "-12.0001bp". Errors as ph_rate_format_percent. */
PH_EXTERN ph_status ph_rate_format_bp(ph_rate rate, char *buf, size_t size, ph_error *err);

/* --- Arithmetic ---------------------------------------------------------------
 * PH_ERANGE (field "rate") when the exact result does not fit in ph_rate,
 * PH_EMISUSE for NULL out, PH_EINVAL for a rounding outside the enum. */

/* a + b. */
PH_EXTERN ph_status ph_rate_add(ph_rate a, ph_rate b, ph_rate *out, ph_error *err);

/* a - b. */
PH_EXTERN ph_status ph_rate_sub(ph_rate a, ph_rate b, ph_rate *out, ph_error *err);

/* a * b (e.g. a rate times a discount factor), rounded to 1e-8. */
PH_EXTERN ph_status ph_rate_mul(ph_rate a, ph_rate b, ph_rounding rounding, ph_rate *out,
                                ph_error *err);

/* rate * n (e.g. a monthly rate times 12). */
PH_EXTERN ph_status ph_rate_mul_int(ph_rate rate, int64_t n, ph_rate *out, ph_error *err);

/* m * rate, exact in 128 bits, rounded once to the fen (e.g. a fee of 0.5%
 * of a loan). PH_ERANGE (field "amount") when the result does not fit. */
PH_EXTERN ph_status ph_money_mul_rate(ph_money m, ph_rate rate, ph_rounding rounding,
                                      ph_money *out, ph_error *err);

/* --- Day counts and interest --------------------------------------------------- */

/*
 * How many days a year has when an annual rate is turned into interest.
 * ACT/360 is zero, the default: Chinese banks quote the daily rate as the
 * annual rate / 360 (日利率 = 年利率 / 360).
 */
typedef enum ph_daycount {
    PH_DAYCOUNT_ACT_360 = 0, /* actual days / 360 */
    PH_DAYCOUNT_ACT_365      /* actual days / 365 */
} ph_daycount;

/* 360 or 365; 0 for a value outside the enum. */
PH_EXTERN int64_t ph_daycount_basis(ph_daycount dc);

/* "ACT/360" or "ACT/365"; NULL for a value outside the enum. */
PH_EXTERN const char *ph_daycount_name(ph_daycount dc);

/* Parse "ACT/360" or "ACT/365" from s[0..len), ignoring ASCII case.
 * PH_EINVAL (field "daycount") for anything else; PH_EMISUSE for NULL s/out. */
PH_EXTERN ph_status ph_daycount_parse(const char *s, size_t len, ph_daycount *out,
                                      ph_error *err);

/*
 * Simple interest: principal * annual * days / basis(dc), computed exactly
 * in 128 bits and rounded once, at the end, to the fen. Example: 100,000.00
 * at 3.85% for 30 days ACT/360 is 320.8333... which rounds to 320.83.
 *
 * days >= 0 (PH_EINVAL, field "days", otherwise); a negative principal or
 * rate gives a negative interest. Errors: PH_EINVAL (field "daycount" or
 * "rounding") for values outside their enums; PH_ERANGE (field "interest")
 * when the result does not fit in ph_money; PH_EMISUSE for NULL out.
 */
PH_EXTERN ph_status ph_interest(ph_money principal, ph_rate annual, int64_t days,
                                ph_daycount dc, ph_rounding rounding, ph_money *out,
                                ph_error *err);

/*
 * The days of interest of a loan drawn on `drawdown` and repaid (or
 * counted) up to `end`: interest accrues from the drawdown day up to, not
 * including, the end day, so the result is end - drawdown. A loan drawn
 * and repaid the same day accrues 0 days; 2025-01-01 to 2025-01-31 is 30.
 * The days to give ph_interest.
 *
 * Errors: PH_EINVAL (field "to", the end date shown) when end comes before
 * drawdown; PH_ERANGE (field "from" or "to") for a date outside
 * 0001-01-01 .. 9999-12-31; PH_EMISUSE for NULL out. *out is written only
 * on success. Cost: constant time; does not allocate.
 */
PH_EXTERN ph_status ph_interest_days(ph_date drawdown, ph_date end, int64_t *out,
                                     ph_error *err);

/*
 * The daily rate annual / basis(dc), rounded to 1e-8, for display only
 * (3.85% ACT/360 is 0.010694%): ph_interest does not round the daily rate,
 * so its results are exact. Errors as ph_interest.
 */
PH_EXTERN ph_status ph_daily_rate(ph_rate annual, ph_daycount dc, ph_rounding rounding,
                                  ph_rate *out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_RATE_H */
