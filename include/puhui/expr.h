/*
 * puhui — policy expressions: small, pure formulas over exact decimals.
 *
 * Lender policies (issue 6) hold their limits, prices and conditions as
 * text, e.g.
 *
 *     min(product_cap, 5 * avg_inflow_12m * volatility_coeff, dscr_cap)
 *     lpr + spread - if green then 20bp else 0
 *     industry in ["C13", "C14"] and months_trading between 6 and 120
 *
 * An expression is compiled once against a symbol table (the variables the
 * caller provides, each with a kind and a slot index) and evaluated many
 * times against an array of ph_value slots. Evaluation does not allocate,
 * does no I/O and reads no global state; it is safe from many threads on
 * the same compiled expression. docs/policy_expressions.md is the guide.
 *
 * Syntax (lowest precedence first; all binary operators are left
 * associative, comparisons do not chain):
 *
 *   if C then A else B        (else extends as far right as possible)
 *   a or b
 *   a and b
 *   not a
 *   a = b  a != b  a < b  a <= b  a > b  a >= b
 *   x in [a, b, ...]   x between lo and hi   (inclusive)
 *   a + b  a - b
 *   a * b  a / b
 *   -a
 *   literals, names, f(...), ( ... )
 *
 * Literals: decimals as ph_decimal_parse reads them but without thousands
 * commas (a comma separates arguments): 12, 0.5, 3.85%, 85bp; "text" in
 * double quotes (no escapes: a text literal cannot hold '"'); true, false,
 * null. Names: [a-z_][a-z0-9_.]* that are not keywords (and or not in
 * between if then else true false null). Spaces, tabs and newlines separate
 * tokens; a column is the 1-based byte offset in the text.
 *
 * Arithmetic is exact: + and - are checked (overflow is an error), * and /
 * are exact then rounded half-even to 8 places.
 *
 * Functions: min(a, b, ...), max(a, b, ...), abs(x), round(x, places)
 * (half-up), round_half_even(x, places), floor(x), ceil(x), is_null(x),
 * coalesce(a, b, ...). `places` must be a whole number 0..8.
 *
 * Null (a missing value) propagates: arithmetic, comparison, in, between,
 * min, max, abs, round, floor and ceil with a null operand yield null (so
 * "x = null" is null: use is_null(x)). `x in [...]` is true when x equals
 * an item, else null when an item is null, else false. `and` and `or` are
 * three-valued: false and null = false, true or null = true, otherwise
 * null if either side is null. `not null` is null. `if` takes the else
 * branch when its condition is false or null. coalesce yields its first
 * non-null argument (null when all are). Evaluation short-circuits: the
 * right side of `and`/`or` and the branch not taken are not evaluated (so
 * their run-time errors do not happen).
 *
 * Kinds: each variable is declared with a kind (PH_VALUE_NULL declares
 * "any kind"). An operator applied to a kind it does not take (text + 1,
 * not 5, a decimal compared with a text) is a compile error when the kinds
 * are known, else an evaluation error; both name the expression and the
 * column of the operator.
 *
 * Errors (PH_EINVAL unless said) use field "expression", the expression
 * text as the value, the caller's `source` as the location and the column
 * in both the detail and err->column:
 *   "policy.json: table limits, row 3, cell 2: field expression, value
 *    'min(a, b': expected ')' at column 9, got end of text"
 */
#ifndef PUHUI_EXPR_H
#define PUHUI_EXPR_H

#include <stddef.h>

#include "puhui/common.h"
#include "puhui/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The variables an expression may read. Built by the caller, then shared
 * read-only by any number of compilations. */
typedef struct ph_expr_symbols ph_expr_symbols;

/* A compiled expression. Immutable: evaluate it from any thread. */
typedef struct ph_expr ph_expr;

/* Limits: longer texts and deeper nesting are compile errors. */
#define PH_EXPR_TEXT_MAX 65536 /* bytes of expression text */
#define PH_EXPR_STACK_MAX 64   /* values live at once during evaluation */
#define PH_EXPR_NAME_MAX 64    /* bytes of a variable name */

/* An empty symbol table. PH_ENOMEM, PH_EMISUSE for NULL out. */
PH_EXTERN ph_status ph_expr_symbols_new(const ph_ctx *ctx, ph_expr_symbols **out,
                                        ph_error *err);
PH_EXTERN void ph_expr_symbols_free(ph_expr_symbols *sym);

/*
 * Declare variable `name` ([a-z_][a-z0-9_.]*, at most PH_EXPR_NAME_MAX bytes,
 * not a keyword or a function name) of `kind` (PH_VALUE_NULL: any kind; a
 * slot may always hold null). *slot receives its index in the slot array
 * that ph_expr_eval reads: 0, 1, 2, ... in the order of declaration.
 * Errors: PH_EINVAL (field "variable") for a bad name or kind, PH_EEXISTS
 * for a name declared already, PH_ENOMEM.
 */
PH_EXTERN ph_status ph_expr_symbols_add(ph_expr_symbols *sym, const char *name,
                                        ph_value_kind kind, size_t *slot, ph_error *err);

/* Number of variables declared: the slot array ph_expr_eval reads must
 * hold at least this many values (for expressions compiled after them). */
PH_EXTERN size_t ph_expr_symbols_count(const ph_expr_symbols *sym);

/*
 * Compile `text` (NUL-terminated) against `sym`. `source` says where the
 * text came from, for error messages ("policy.json: table limits, row 3,
 * cell 2"; NULL for none); both are copied, so the caller may free them.
 * The expression uses sym's context and does not keep sym.
 * Errors (PH_EINVAL, see above): syntax ("expected ')' at column 14, got
 * ','"), an unknown variable (naming close names declared), an unknown
 * function or a wrong number of arguments, a kind mismatch, a literal out
 * of range (PH_ERANGE), nesting beyond PH_EXPR_STACK_MAX values or a text
 * beyond PH_EXPR_TEXT_MAX bytes; PH_ENOMEM; PH_EMISUSE for NULL arguments.
 */
PH_EXTERN ph_status ph_expr_compile(const ph_expr_symbols *sym, const char *text,
                                    const char *source, ph_expr **out, ph_error *err);

/*
 * Evaluate `e` with variables read from slots[0..n) (n at least the
 * number of symbols when compiled; slots may be NULL when the expression
 * reads no variable). A text result borrows from the expression or the
 * slots. Does not allocate. Errors (field "expression", the source and
 * column of the operator): PH_EINVAL for a kind the operator does not take,
 * a variable holding a kind other than declared, division by zero or bad
 * round places; PH_ERANGE for overflow. *out is written only on success.
 */
PH_EXTERN ph_status ph_expr_eval(const ph_expr *e, const ph_value *slots, ph_value *out,
                                 ph_error *err);

/* The kind of a non-null result when known at compile time, else
 * PH_VALUE_NULL (a result may be null whatever this says). */
PH_EXTERN ph_value_kind ph_expr_result_kind(const ph_expr *e);

/* The expression's text as compiled (owned by e). */
PH_EXTERN const char *ph_expr_text(const ph_expr *e);

PH_EXTERN void ph_expr_free(ph_expr *e);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_EXPR_H */
