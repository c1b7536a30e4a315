/*
 * puhui — money: exact amounts in fen.
 *
 * An amount is a signed 64-bit count of fen (分, 0.01 yuan). There is no
 * floating point anywhere in this module: parsing, formatting and arithmetic
 * are exact, every overflow is an error (PH_ERANGE), and whenever a result
 * falls between two fen the caller names the rounding rule.
 *
 * Interest and other products with a rate live in rate.h (which includes
 * this header), so money does not depend on rates.
 */
#ifndef PUHUI_MONEY_H
#define PUHUI_MONEY_H

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A signed count of fen. 12345.67 yuan is 1234567. */
typedef int64_t ph_money;

#define PH_MONEY_MAX INT64_MAX /*  92233720368547758.07 yuan */
#define PH_MONEY_MIN INT64_MIN /* -92233720368547758.08 yuan */
#define PH_FEN_PER_YUAN 100

/* Buffer size that always fits ph_money_format's output, with grouping and
 * the terminating NUL ("-92,233,720,368,547,758.08" is 26 characters). */
#define PH_MONEY_FORMAT_MAX 32

/* Stable lower-case name of a rounding mode ("half-up", "half-even", "down",
 * "up", "floor", "ceiling"), or NULL for a value outside the enum. */
PH_EXTERN const char *ph_rounding_name(ph_rounding rounding);

/* Parse a rounding mode name as returned by ph_rounding_name, ignoring ASCII
 * case; "_" is accepted for "-" ("HALF_EVEN"). The text is s[0..len).
 * Errors: PH_EINVAL (field "rounding") for an unknown name, PH_EMISUSE for
 * NULL s or out. */
PH_EXTERN ph_status ph_rounding_parse(const char *s, size_t len, ph_rounding *out,
                                      ph_error *err);

/* --- Text ------------------------------------------------------------------ */

/*
 * Parse a decimal amount in yuan from s[0..len) (need not be NUL-terminated).
 *
 * Accepted: an optional single sign ('+' or '-'), digits, optionally grouped
 * in thousands with ',' (a first group of 1 to 3 digits, then groups of
 * exactly 3: "12,345.67"; "1,23,456" is rejected), then optionally '.' and
 * one or two fraction digits. Leading zeros are allowed ("007" is 7 yuan).
 * Examples: "12345.67", "12,345.67", "-12.5" (-1250 fen), "+12", "0.05".
 *
 * Rejected with PH_EINVAL (field "amount", value the input): the empty string,
 * spaces or any other character, more than one sign, more than 2 decimal
 * places ("1.005" is an error, never truncated), a bare point ("1." and ".5"
 * are both rejected: the digits on each side are required), misplaced
 * grouping. PH_ERANGE when the amount does not fit in ph_money.
 * PH_EMISUSE for NULL s or out. `*out` is written only on success.
 */
PH_EXTERN ph_status ph_money_parse(const char *s, size_t len, ph_money *out, ph_error *err);

/* Flags for ph_money_format. */
#define PH_MONEY_GROUPING 0x1u /* thousands separators: "12,345.67" */

/*
 * Format `m` as yuan with exactly two decimals: "12345.67", "-0.05", "0.00";
 * with PH_MONEY_GROUPING "12,345.67". Writes a NUL-terminated string to buf.
 * PH_MONEY_FORMAT_MAX bytes always suffice. Errors: PH_EMISUSE for NULL buf
 * or a buffer too small (buf is left untouched), PH_EINVAL (field "flags")
 * for unknown flags. The output is accepted by ph_money_parse.
 */
PH_EXTERN ph_status ph_money_format(ph_money m, unsigned flags, char *buf, size_t size,
                                    ph_error *err);

/* --- Whole yuan -------------------------------------------------------------- */

/* `yuan` whole yuan in fen. PH_ERANGE if yuan * 100 overflows. */
PH_EXTERN ph_status ph_money_from_yuan(int64_t yuan, ph_money *out, ph_error *err);

/*
 * A value in yuan held as a double — a feature value such as a loan
 * balance or an average monthly inflow — in whole fen. The one conversion
 * for feature values, used wherever one becomes an amount (the market's
 * facts, the subsidy's existing credit, the sentences that explain a
 * feature), so a value never rounds two ways.
 *
 * The double's exact binary value is first taken to the nearest 1e-8 yuan
 * (ties to even), as a policy decimal takes it (ph_decimal_from_double):
 * 0.005 is stored as 0.00500000000000000010..., and is meant as 0.005.
 * That is then rounded to the fen HALF TO EVEN: 0.005 -> 0.00, 0.015 ->
 * 0.02, -0.005 -> -0.00. Half to even because these are statistics about a
 * firm (averages, peer figures), rounded in bulk, where half-up would bias
 * every tie the same way; amounts paid are computed in fen throughout and
 * never pass through here.
 *
 * Errors: PH_EINVAL (field "amount") for NaN; PH_ERANGE (field "amount",
 * the value shown) when the result does not fit in ph_money (infinities
 * included); PH_EMISUSE for NULL out. *out is written only on success.
 * Cost: a few integer operations; does not allocate.
 */
PH_EXTERN ph_status ph_money_from_yuan_double(double yuan, ph_money *out, ph_error *err);

/* `m` in whole yuan, rounded by `rounding`. Never overflows.
 * PH_EINVAL for a rounding value outside the enum. */
PH_EXTERN ph_status ph_money_to_yuan(ph_money m, ph_rounding rounding, int64_t *out,
                                     ph_error *err);

/* --- Arithmetic ---------------------------------------------------------------
 * All of these return PH_ERANGE (field "amount", the value showing the
 * operation) when the exact result does not fit in ph_money, PH_EMISUSE when
 * out is NULL, and PH_EINVAL for a rounding value outside the enum. */

/* a + b. */
PH_EXTERN ph_status ph_money_add(ph_money a, ph_money b, ph_money *out, ph_error *err);

/* a - b. */
PH_EXTERN ph_status ph_money_sub(ph_money a, ph_money b, ph_money *out, ph_error *err);

/* m * count (an amount times a number of items or periods). */
PH_EXTERN ph_status ph_money_mul_int(ph_money m, int64_t count, ph_money *out, ph_error *err);

/*
 * m * num / den, computed exactly with a 128-bit intermediate and rounded
 * once by `rounding`. PH_EINVAL (field "denominator") when den is 0.
 */
PH_EXTERN ph_status ph_money_muldiv(ph_money m, int64_t num, int64_t den,
                                    ph_rounding rounding, ph_money *out, ph_error *err);

/*
 * m / n rounded by `rounding`: one share of an even split. The n shares of
 * this size need not add up to m; use ph_money_split or ph_money_allocate
 * when they must. PH_EINVAL (field "denominator") when n is 0.
 */
PH_EXTERN ph_status ph_money_div_int(ph_money m, int64_t n, ph_rounding rounding,
                                     ph_money *out, ph_error *err);

/*
 * Split `total` into n parts as equal as possible that add up exactly to
 * total: each part is total / n truncated, and the |total % n| leftover fen
 * go one each to the first parts (10.00 in 3 parts: 3.34, 3.33, 3.33).
 * `parts` must hold n amounts. PH_EINVAL when n is 0; PH_EMISUSE for NULL
 * parts. `parts` is written only on success.
 */
PH_EXTERN ph_status ph_money_split(ph_money total, size_t n, ph_money *parts, ph_error *err);

/*
 * Split `total` by `weights` so that the parts add up exactly to total
 * (largest-remainder method). Part i is first total * weights[i] / sum
 * truncated toward zero; the fen left over go one each to the parts with
 * the largest remainders, ties to the lower index. A weight of 0 gets 0.
 * Every part has the sign of total. Example (risk sharing "4321"): 100.01
 * by {40, 30, 20, 10} gives 40.01, 30.00, 20.00, 10.00.
 *
 * weights and parts each hold n values; the weights are >= 0 and their sum
 * must be > 0 and fit in int64. Errors: PH_EINVAL (field "weights") for n 0,
 * a negative weight or a zero sum; PH_ERANGE when the sum overflows;
 * PH_EMISUSE for NULL arrays. `parts` is written only on success.
 * Runs in O(64 n) time without allocating.
 */
PH_EXTERN ph_status ph_money_allocate(ph_money total, const int64_t *weights, size_t n,
                                      ph_money *parts, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_MONEY_H */
