/*
 * puhui — decision tables: lender policies as data (issue 6).
 *
 * A decision table maps inputs to outputs by rules. Each rule has one cell
 * per input (a "unary test" the input must pass) and one value per output,
 * plus an optional reason code. The hit policy says what happens when
 * several rules match (DMN's single- and multiple-hit policies):
 *
 *   FIRST     the first matching rule, in rule order; scanning stops there.
 *   UNIQUE    at most one rule may match; two matches are an error.
 *   PRIORITY  the match whose outputs rank highest in the outputs' priority
 *             lists (first value = highest); ties go to the earlier rule.
 *   ANY       several may match if their outputs are equal; differing
 *             outputs are an error.
 *   COLLECT   every match, in rule order; with an aggregation, one value
 *             per output: SUM (exact), MIN, MAX over decimal outputs, or
 *             COUNT, the number of matches.
 *
 * Input cells (docs/decision_tables.md has the full grammar):
 *
 *   "" or "-"          anything, a missing (null) input included
 *   600  "A"  true     equal to the literal
 *   < 600   <= 0.3   > 5%   >= 85bp       comparisons (decimal inputs)
 *   != "D"   != 600   != true             not equal
 *   [600..700)  (0..1]  [5..)  (..0]      ranges: [ ] closed, ( ) open,
 *                                         a missing end is unbounded
 *   "A", "B", "C"   1, 2, 3   < 0, > 100   a list: any item may match
 *   not("D", "E")   not([1..5])            none of the items matches
 *   null   not(null)                       missing / present
 *
 * Decimals are read by ph_decimal_parse, so "5%", "85bp" and "1,200,000"
 * work. A comma directly between digits is a thousands separator; separate
 * list items with a comma and a space ("1, 2, 3"); "1,2,3" is an error, not
 * a guess. A missing (null) input matches only "", "-" and "null" (so
 * != "D" does not match a missing tax grade: a policy says explicitly what
 * to do with missing data). Text inputs take equality, != and lists of
 * texts; bool inputs take true, false and != ; comparisons and ranges need
 * a decimal input.
 *
 * Tables are compiled when built or loaded: each cell becomes closed integer
 * bounds (decimals are whole counts of 1e-8, so "> 600" is ">= 600.00000001"),
 * a sorted array for lists of numbers, or length-checked byte compares for
 * texts. Evaluation allocates nothing and writes into a result the caller
 * allocated once per table (ph_dtable_result_new). A table is immutable
 * after loading and may be evaluated by several threads, each with its own
 * result.
 */
#ifndef PUHUI_DTABLE_H
#define PUHUI_DTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ph_hit_policy {
    PH_HIT_FIRST = 0,
    PH_HIT_UNIQUE = 1,
    PH_HIT_PRIORITY = 2,
    PH_HIT_ANY = 3,
    PH_HIT_COLLECT = 4
} ph_hit_policy;

typedef enum ph_aggregation {
    PH_AGG_NONE = 0,
    PH_AGG_SUM = 1,
    PH_AGG_MIN = 2,
    PH_AGG_MAX = 3,
    PH_AGG_COUNT = 4
} ph_aggregation;

/* "FIRST", ...; "NONE", "SUM", ... ("?" for a value outside the enum). */
PH_EXTERN const char *ph_hit_policy_name(ph_hit_policy hit);
PH_EXTERN const char *ph_aggregation_name(ph_aggregation agg);

typedef struct ph_dtable ph_dtable;

/*
 * An input or output column. `kind` is PH_VALUE_DECIMAL, PH_VALUE_TEXT or
 * PH_VALUE_BOOL. `priority` (outputs of a PRIORITY table only, may be NULL
 * elsewhere) lists the output's values from highest to lowest priority;
 * every rule's value for that output must be one of them.
 */
typedef struct ph_dtable_column {
    const char *name;
    ph_value_kind kind;
    const ph_value *priority;
    size_t priority_count;
} ph_dtable_column;

/* ---- building a table ------------------------------------------------------ */

/*
 * Start an empty table. Names, texts and priority values are copied.
 * Errors (PH_EINVAL, message "table 'NAME': ..."): empty name, an
 * aggregation with a policy other than COLLECT, SUM/MIN/MAX with an output
 * that is not decimal, PRIORITY without any output priority list, a
 * priority value of the wrong kind or listed twice, a duplicate column
 * name, a kind that is not decimal/text/bool. PH_EMISUSE for NULL
 * arguments. Free with ph_dtable_free.
 */
PH_EXTERN ph_status ph_dtable_new(const ph_ctx *ctx, const char *name, ph_hit_policy hit,
                                  ph_aggregation agg, const ph_dtable_column *inputs,
                                  size_t n_inputs, const ph_dtable_column *outputs,
                                  size_t n_outputs, ph_dtable **out, ph_error *err);

/*
 * Append a rule: `cells` holds one unary test per input (NULL counts as
 * "-"), `outputs` one value per output (may be NULL when the table has no
 * outputs), `reason` an optional reason code (NULL for none). Everything is
 * copied. Errors (PH_EINVAL) name the table, the 1-based rule number, the
 * cell or output (1-based, with its column name) and what was expected,
 * e.g. "table 'knockouts', rule 3, cell 2 (tax_grade): expected a unary
 * test such as '< 600', '[1..5)', '"A","B"' or '-', got '<<3'". The table
 * is unchanged on error.
 */
PH_EXTERN ph_status ph_dtable_add_rule(ph_dtable *t, const char *const *cells,
                                       const ph_value *outputs, const char *reason,
                                       ph_error *err);

PH_EXTERN void ph_dtable_free(ph_dtable *t);

/* ---- reading a table --------------------------------------------------------- */

PH_EXTERN const char *ph_dtable_name(const ph_dtable *t);
PH_EXTERN ph_hit_policy ph_dtable_hit_policy(const ph_dtable *t);
PH_EXTERN ph_aggregation ph_dtable_aggregation(const ph_dtable *t);
PH_EXTERN size_t ph_dtable_input_count(const ph_dtable *t);
PH_EXTERN size_t ph_dtable_output_count(const ph_dtable *t);
PH_EXTERN size_t ph_dtable_rule_count(const ph_dtable *t);
/* Column i (0-based); NULL when out of range. */
PH_EXTERN const char *ph_dtable_input_name(const ph_dtable *t, size_t i);
PH_EXTERN ph_value_kind ph_dtable_input_kind(const ph_dtable *t, size_t i);
PH_EXTERN const char *ph_dtable_output_name(const ph_dtable *t, size_t i);
/* Index of the input named `name`, or -1. */
PH_EXTERN long ph_dtable_input_index(const ph_dtable *t, const char *name);
/* Reason code of rule i (0-based); NULL when it has none or i is out of range. */
PH_EXTERN const char *ph_dtable_rule_reason(const ph_dtable *t, size_t rule);

/* ---- evaluating ---------------------------------------------------------------- */

/*
 * The result of one evaluation, sized for one table by
 * ph_dtable_result_new. Read the fields; do not resize the arrays.
 *
 *   matched        1 if any rule matched (for UNIQUE/ANY/PRIORITY/FIRST: the
 *                  chosen rule exists), else 0.
 *   match_count    entries in `matches`: 0 or 1 for FIRST and PRIORITY
 *                  (the chosen rule), every matching rule for UNIQUE, ANY
 *                  and COLLECT.
 *   matches        0-based rule indexes in rule order (capacity: the rules).
 *   output_rows    rows in `outputs`, each ph_dtable_output_count values:
 *                  1 for FIRST, UNIQUE, PRIORITY, ANY and aggregations
 *                  (null values when nothing matched; COUNT gives 0, SUM,
 *                  MIN and MAX give null over no match); match_count for
 *                  COLLECT without aggregation (row k is rule matches[k]).
 *   outputs        row-major values; texts borrow from the table.
 *   rules_evaluated  rules tested, in order: rules 0..rules_evaluated-1.
 *                  FIRST stops at its first match; the others test all.
 *   trace          bitset of the rules that matched: bit r%64 of word r/64
 *                  (ph_dtable_result_rule_matched reads it).
 *   trace_words    words in `trace`.
 *   rule_capacity, value_capacity   sizes of `matches` and `outputs`, set
 *                  by ph_dtable_result_new and checked by ph_dtable_eval.
 */
typedef struct ph_dtable_result {
    int matched;
    size_t match_count;
    size_t *matches;
    size_t output_rows;
    ph_value *outputs;
    size_t rules_evaluated;
    uint64_t *trace;
    size_t trace_words;
    size_t rule_capacity;
    size_t value_capacity;
} ph_dtable_result;

/* A result sized for `t` (valid for any table with at most as many rules and
 * outputs, but meant for this one). Free with ph_dtable_result_free. */
PH_EXTERN ph_status ph_dtable_result_new(const ph_ctx *ctx, const ph_dtable *t,
                                         ph_dtable_result **out, ph_error *err);
PH_EXTERN void ph_dtable_result_free(const ph_ctx *ctx, ph_dtable_result *res);

/* 1 if rule `rule` (0-based) matched in the last evaluation, else 0. */
PH_EXTERN int ph_dtable_result_rule_matched(const ph_dtable_result *res, size_t rule);

/*
 * Evaluate `t` on `inputs` (one value per input, in column order; each
 * null or of the input's kind). Allocates nothing.
 *
 * Errors: PH_EMISUSE for NULL arguments or a result too small for the
 * table; PH_EINVAL for an input of the wrong kind ("table 'T', input 2
 * (tax_grade): expected text or null, got decimal"), a UNIQUE table with
 * two matches ("table 'T' (UNIQUE): rules 2 and 5 both match"), an ANY
 * table whose matches disagree ("table 'T' (ANY): rules 1 and 3 match with
 * different outputs (output 1 (decision): 'approve' vs 'refer')");
 * PH_ERANGE when a SUM leaves the decimal range. On any error the result
 * says "no match" (matched 0, no matches, no output rows) but keeps the
 * trace of the rules evaluated up to the failure, for the decision log.
 */
PH_EXTERN ph_status ph_dtable_eval(const ph_dtable *t, const ph_value *inputs,
                                   ph_dtable_result *res, ph_error *err);

/* ---- policy documents: several tables in one JSON file ------------------------ */

/*
 * A JSON document {"tables": [TABLE, ...]} where TABLE is
 *
 *   {"name": "knockouts", "hit_policy": "COLLECT", "aggregation": "COUNT",
 *    "inputs":  [{"name": "tax_grade", "kind": "text"}, ...],
 *    "outputs": [{"name": "decision", "kind": "text",
 *                 "priority": ["decline", "refer", "approve"]}, ...],
 *    "rules":   [{"when": ["-", "\"D\""], "then": ["decline"],
 *                 "reason": "TAX_GRADE_D"}, ...]}
 *
 * "aggregation" and "priority" are optional, "reason" too. hit_policy and
 * aggregation are case-insensitive. A cell is a string (a unary test), an
 * integer or true/false (equality). An output value is read by the output's
 * kind: decimal from a string ("0.85%", "1,000") or an integer (JSON reals
 * are refused: they went through a double), text from a string, bool from
 * true/false; JSON null is a null value (except under SUM/MIN/MAX). Members
 * other than these are errors, so a misspelt key is caught.
 * Other top-level members are ignored (a policy holds more than tables).
 */
typedef struct ph_dtable_set ph_dtable_set;

/*
 * Load every table of the document at `path`. Errors name the file, the
 * table, the rule (1-based), the cell or output (1-based, with its name)
 * and what was expected: "policy.json: table 'knockouts', rule 3, cell 2
 * (tax_grade): expected a unary test ..., got '<<3'". Also: unknown hit
 * policy (listing the valid ones), aggregation without COLLECT, a cell
 * count that differs from the inputs, a PRIORITY value not in its list, SUM
 * over a text output, duplicate table names, a literal that does not fit
 * the input's kind. PH_EIO when the file cannot be read, PH_EINVAL for bad
 * JSON or a bad definition.
 */
PH_EXTERN ph_status ph_dtable_set_load_file(const ph_ctx *ctx, const char *path,
                                            ph_dtable_set **out, ph_error *err);

/* The same from text; `source` names it in errors (NULL: "policy"). */
PH_EXTERN ph_status ph_dtable_set_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                            const char *source, ph_dtable_set **out,
                                            ph_error *err);

/* The table named `name`, or NULL. Borrowed from the set. */
PH_EXTERN const ph_dtable *ph_dtable_set_find(const ph_dtable_set *set, const char *name);
PH_EXTERN size_t ph_dtable_set_count(const ph_dtable_set *set);
/* Table i in document order, or NULL. */
PH_EXTERN const ph_dtable *ph_dtable_set_at(const ph_dtable_set *set, size_t i);
PH_EXTERN void ph_dtable_set_free(ph_dtable_set *set);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_DTABLE_H */
