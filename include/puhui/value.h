/*
 * puhui — exact decimals and the values that policies compute with.
 *
 * Lender policies (issue 6) compare, add and multiply money, rates, ratios
 * and scores. None of that may touch a binary float: a limit of 5 x the
 * average monthly inflow must come out to the fen, a rate cap of 4 x LPR to
 * the basis point. So policies compute with ph_decimal, a signed decimal
 * held as an integer count of 1e-8: the unit of ph_rate (3.85% is 3850000,
 * the same integer as the ph_rate), and money converts exactly (1 fen is
 * 1e6 units). The range is +-92,233,720,368.54775807; every operation that
 * would leave it is an error (PH_ERANGE), never a wrap.
 *
 * Products and quotients are exact to 1e-8 and then rounded once with the
 * rounding mode named at the call (ph_rounding from money.h). Features come
 * from the feature store as doubles; ph_decimal_from_double rounds them
 * half-even to 8 places (NaN is missing, i.e. a null value).
 *
 * ph_value is what an expression or a decision table reads and yields: null
 * (missing), a boolean, a decimal or a text. A text value borrows its bytes
 * (from the policy document or the input), so values are cheap to copy.
 */
#ifndef PUHUI_VALUE_H
#define PUHUI_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/money.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t ph_decimal;

#define PH_DECIMAL_ONE INT64_C(100000000) /* 1 */
#define PH_DECIMAL_PLACES 8
#define PH_DECIMAL_FORMAT_MAX 40

/*
 * Parse a decimal from s[0..len): optional sign, digits with optional
 * thousands commas in the integer part ("1,200,000.5"), up to 8 decimals;
 * a trailing "%" divides by 100 ("3.85%" is 0.0385) and "bp" by 10,000
 * ("85bp" is 0.0085), exactly. Errors: PH_EINVAL (field "decimal") naming
 * the text and what was expected, PH_ERANGE beyond the range or beyond 8
 * decimals once scaled (more decimals are not rounded silently).
 */
PH_EXTERN ph_status ph_decimal_parse(const char *s, size_t len, ph_decimal *out, ph_error *err);

/* Shortest exact text: "0.0385", "-12", "1200000.5" (no exponent, no
 * thousands separators). PH_EMISUSE when `size` is too small
 * (PH_DECIMAL_FORMAT_MAX always suffices). */
PH_EXTERN ph_status ph_decimal_format(ph_decimal d, char *buf, size_t size, ph_error *err);

/* Checked arithmetic. */
PH_EXTERN ph_status ph_decimal_add(ph_decimal a, ph_decimal b, ph_decimal *out, ph_error *err);
PH_EXTERN ph_status ph_decimal_sub(ph_decimal a, ph_decimal b, ph_decimal *out, ph_error *err);
/* a * b and a / b, exact then rounded to 1e-8 with `rounding`; division by
 * zero is PH_EINVAL. */
PH_EXTERN ph_status ph_decimal_mul(ph_decimal a, ph_decimal b, ph_rounding rounding,
                                   ph_decimal *out, ph_error *err);
PH_EXTERN ph_status ph_decimal_div(ph_decimal a, ph_decimal b, ph_rounding rounding,
                                   ph_decimal *out, ph_error *err);
/* Round to `places` decimals (0..8) with `rounding`: round(2.345, 2). */
PH_EXTERN ph_status ph_decimal_round(ph_decimal d, int places, ph_rounding rounding,
                                     ph_decimal *out, ph_error *err);

/* Conversions. A double is rounded half-even to 8 places; NaN or out of
 * range is an error (callers map NaN to a null value first). */
PH_EXTERN ph_status ph_decimal_from_double(double x, ph_decimal *out, ph_error *err);
PH_EXTERN double ph_decimal_to_double(ph_decimal d);
PH_EXTERN ph_status ph_decimal_from_money(ph_money fen, ph_decimal *out, ph_error *err);
/* To fen with `rounding` (1e-8 yuan is below a fen). */
PH_EXTERN ph_status ph_decimal_to_money(ph_decimal d, ph_rounding rounding, ph_money *out,
                                        ph_error *err);

/* ---- values --------------------------------------------------------------- */

typedef enum ph_value_kind {
    PH_VALUE_NULL = 0, /* missing */
    PH_VALUE_BOOL = 1,
    PH_VALUE_DECIMAL = 2,
    PH_VALUE_TEXT = 3
} ph_value_kind;

typedef struct ph_value {
    ph_value_kind kind;
    union {
        int boolean;
        ph_decimal decimal;
        struct {
            const char *ptr; /* borrowed; not NUL-terminated necessarily */
            size_t len;
        } text;
    } as;
} ph_value;

PH_EXTERN ph_value ph_value_null(void);
PH_EXTERN ph_value ph_value_bool(int b);
PH_EXTERN ph_value ph_value_decimal(ph_decimal d);
/* Borrows s (NUL-terminated) */
PH_EXTERN ph_value ph_value_text(const char *s);

/* "null", "bool", "decimal", "text". */
PH_EXTERN const char *ph_value_kind_name(ph_value_kind kind);

/* Equal kind and value (texts byte for byte). */
PH_EXTERN int ph_value_equal(const ph_value *a, const ph_value *b);

/*
 * Order two values of the same kind: *cmp < 0, 0, > 0. Decimals by value,
 * texts byte-wise, false < true. Null or different kinds: PH_EINVAL naming
 * both kinds (a policy comparing a missing value must say what to do with it).
 */
PH_EXTERN ph_status ph_value_compare(const ph_value *a, const ph_value *b, int *cmp,
                                     ph_error *err);

/* Text of a value for traces and messages: "null", "true", "0.0385", the
 * text itself. PH_EMISUSE when `size` is too small. */
PH_EXTERN ph_status ph_value_format(const ph_value *v, char *buf, size_t size, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_VALUE_H */
