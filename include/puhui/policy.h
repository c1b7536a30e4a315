/*
 * puhui — lender policies: knock-outs, eligibility, limit and price as one
 * versioned JSON document (issue 6; docs/policies.md is the guide).
 *
 * A policy extends the decision-table document (dtable.h) with the lender,
 * a name and version, the product, the inputs it reads, formulas (expr.h)
 * and a flow: the steps run in order over one environment of named values.
 *
 *   {"lender": "...", "name": "...", "version": 3,
 *    "product": {"name": "...", "min_amount": "50,000", "max_amount": "3,000,000",
 *                "min_term": 3, "max_term": 36, "repayment": "equal_installment",
 *                "guarantee_fee": "0.85%"},
 *    "inputs":   [{"name": "score", "kind": "decimal"}, ...],
 *    "tables":   [TABLE, ...],
 *    "formulas": [{"name": "limit", "expr": "min(...)"}, ...],
 *    "flow":     [{"knockout": "knockouts"}, {"eligibility": "eligibility"},
 *                 {"table": "risk_grade"}, {"formula": "limit"}, ...],
 *    "model":    "province_pd",                       (optional, see below)
 *    "appetite": {"purposes": [...], "industries": [...], ...}}   (optional)
 *
 * The environment starts with the product constants (product_min_amount,
 * product_max_amount, product_min_term, product_max_term as decimals,
 * product_guarantee_fee as a decimal or null) and the inputs. A "table" step
 * reads its inputs from the environment by name and adds its outputs; a
 * "formula" step adds its value under the formula's name. A "knockout" or
 * "eligibility" step is a COLLECT table without aggregation whose every
 * rule carries a reason code: each matching rule is a reason to decline.
 * The flow must define "limit" and "rate" (decimals: yuan and a rate as a
 * fraction, 0.0385 = 3.85%).
 *
 * Loading checks everything it can: unknown members anywhere, a table
 * input that is not defined by an earlier step or has another kind, a
 * formula using a name defined later, a name defined twice, a table or
 * formula not used by the flow or used twice. Evaluation allocates nothing:
 * it writes into a ph_policy_run made once per thread.
 */
#ifndef PUHUI_POLICY_H
#define PUHUI_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "puhui/common.h"
#include "puhui/dtable.h"
#include "puhui/money.h"
#include "puhui/rate.h"
#include "puhui/value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ph_policy ph_policy;
typedef struct ph_policy_run ph_policy_run;

typedef enum ph_policy_step_kind {
    PH_POLICY_STEP_KNOCKOUT = 0,
    PH_POLICY_STEP_ELIGIBILITY = 1,
    PH_POLICY_STEP_TABLE = 2,
    PH_POLICY_STEP_FORMULA = 3
} ph_policy_step_kind;

/* "knockout", "eligibility", "table", "formula" ("?" outside the enum). */
PH_EXTERN const char *ph_policy_step_kind_name(ph_policy_step_kind kind);

/* The product a policy prices. Amounts in fen, terms in months. */
typedef struct ph_policy_product {
    const char *name;
    ph_money min_amount, max_amount;
    int64_t min_term, max_term;
    const char *repayment;
    int has_guarantee_fee;
    ph_rate guarantee_fee; /* 1e-8 units, 0.85% = 850000 */
} ph_policy_product;

/*
 * Load the policy at `path`. Errors name the file, then the part:
 *   "policy.json: table 'knockouts', rule 3, cell 2 (tax_grade): expected ..."
 *   "policy.json: flow step 3 (table 'spread'): input 'grade' is decimal in
 *    the table but text in the environment"
 *   "policy.json: formula 'limit': field expression, value '...': unknown
 *    variable 'dscr_cap' at column 40 ..."
 *   "policy.json: unknown member 'lendr' (expected lender, name, ...)"
 * PH_EIO when the file cannot be read, PH_EINVAL for bad JSON or a bad
 * policy, PH_ERANGE for an amount out of range, PH_ENOMEM, PH_EMISUSE for
 * NULL arguments. *out is written only on success; free with ph_policy_free.
 */
PH_EXTERN ph_status ph_policy_load_file(const ph_ctx *ctx, const char *path, ph_policy **out,
                                        ph_error *err);

/* The same from text[0..len); `source` names it in errors (NULL: "policy"). */
PH_EXTERN ph_status ph_policy_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                        const char *source, ph_policy **out, ph_error *err);

PH_EXTERN void ph_policy_free(ph_policy *p);

/* ---- reading a policy (strings are owned by the policy) -------------------------- */

PH_EXTERN const char *ph_policy_lender(const ph_policy *p);
PH_EXTERN const char *ph_policy_name(const ph_policy *p);
PH_EXTERN int64_t ph_policy_version(const ph_policy *p);
/* The product; NULL when p is NULL. */
PH_EXTERN const ph_policy_product *ph_policy_product_of(const ph_policy *p);

/* The inputs the caller supplies to ph_policy_eval, in declaration order. */
PH_EXTERN size_t ph_policy_input_count(const ph_policy *p);
/* NULL / PH_VALUE_NULL when i is out of range. */
PH_EXTERN const char *ph_policy_input_name(const ph_policy *p, size_t i);
PH_EXTERN ph_value_kind ph_policy_input_kind(const ph_policy *p, size_t i);
/* Index of the input named `name`, or -1. */
PH_EXTERN long ph_policy_input_index(const ph_policy *p, const char *name);

/* Every named value of the environment (product constants, inputs, step
 * outputs) in order of definition; ph_policy_outcome.values follows it. */
PH_EXTERN size_t ph_policy_value_count(const ph_policy *p);
PH_EXTERN const char *ph_policy_value_name(const ph_policy *p, size_t i);
/* Index of the value named `name`, or -1. */
PH_EXTERN long ph_policy_value_index(const ph_policy *p, const char *name);

PH_EXTERN size_t ph_policy_step_count(const ph_policy *p);
PH_EXTERN ph_policy_step_kind ph_policy_step_kind_at(const ph_policy *p, size_t step);
/* The table or formula name of a step; NULL when out of range. */
PH_EXTERN const char *ph_policy_step_name(const ph_policy *p, size_t step);
/* The table of a table, knockout or eligibility step, else NULL. */
PH_EXTERN const ph_dtable *ph_policy_step_table(const ph_policy *p, size_t step);

/* ---- the marketplace members --------------------------------------------------- */

/* The registered model whose outputs the policy reads as its "score" and
 * "pd" inputs: the document's "model" member, "NAME" or "NAME@VERSION";
 * NULL when it has none. */
PH_EXTERN const char *ph_policy_model(const ph_policy *p);

/*
 * Whether an application fits the policy's "appetite" member: its purpose
 * and size class exactly one of the listed ones, its GB/T 4754 industry code
 * ("C13") and GB/T 2260 region code ("370102") starting with one of the
 * listed prefixes; a list the document leaves out takes anything. Returns 1
 * or 0; on 0 `why` (may be NULL) gets the first mismatch in words:
 * "industry K70 is outside the lender's appetite (C, F, G)", cut to
 * why_size (ph_policy_appetite_explain gives it whole). A NULL value fits
 * only a list that is left out.
 */
PH_EXTERN int ph_policy_appetite_matches(const ph_policy *p, const char *purpose,
                                         const char *industry_code, const char *region_code,
                                         const char *size_class, char *why, size_t why_size);

/* As ph_policy_appetite_matches, writing the first mismatch in words to
 * `why` (may be NULL) whole, with the full list, however long. No
 * allocation; the stream's own errors are its own to report. */
PH_EXTERN int ph_policy_appetite_explain(const ph_policy *p, const char *purpose,
                                         const char *industry_code, const char *region_code,
                                         const char *size_class, FILE *why);

/* ---- evaluating ---------------------------------------------------------------------- */

/*
 * One reason to decline. `code` is the rule's reason code, or one of the
 * outcome's own codes (table NULL, rule 0, no values read):
 *   "LIMIT_MISSING"       the limit came out null (missing data)
 *   "LIMIT_NOT_POSITIVE"  the limit is zero or negative
 *   "RATE_MISSING"        the rate came out null
 * `read_names`/`read_values` are the inputs the rule tests (its cells other
 * than "-") and their values in this evaluation: the data behind the reason.
 */
typedef struct ph_policy_reason {
    const char *code;
    ph_policy_step_kind kind; /* PH_POLICY_STEP_KNOCKOUT or _ELIGIBILITY; _FORMULA for
                                 the outcome's own codes */
    size_t step;              /* 0-based flow step */
    const char *table;        /* table name, NULL for the outcome's own codes */
    size_t rule;              /* 0-based rule of the table */
    size_t n_read;
    const char *const *read_names;
    const ph_value *read_values;
} ph_policy_reason;

/*
 * The sentence a firm reads for one of the outcome's own codes (above):
 * "LIMIT_MISSING" -> "no limit could be computed: the data it needs is
 * missing"; NULL for any other code. A consequence code (`*consequence`
 * set to 1 when not NULL: LIMIT_MISSING, RATE_MISSING) is not a reason of
 * its own when a reason reading missing data explains it; the market lists
 * it only when nothing else does, and keeps it in the trace either way.
 * Static text; no allocation.
 */
PH_EXTERN const char *ph_policy_own_reason_text(const char *code, int *consequence);

/*
 * The sentence the policy gives a firm for one of its rule codes (the
 * document's "reasons" member, docs/policies.md#reasons), or NULL when it
 * gives none. Borrowed from the policy; no allocation; linear in the number
 * of sentences.
 */
PH_EXTERN const char *ph_policy_reason_words(const ph_policy *p, const char *code);

/*
 * 1 when `target` ("limit" or "rate") is computed from the value `name`,
 * directly or through other formulas and tables (or is `name` itself); 0
 * otherwise, and for an unknown name or target. A missing limit is a
 * consequence of missing data only when a value it is computed from was
 * missing. Worked out once at load; a lookup of the name.
 */
PH_EXTERN int ph_policy_feeds(const ph_policy *p, const char *name, const char *target);

/*
 * The outcome of one evaluation; every pointer points into the run and is
 * valid until the run's next evaluation or its free.
 *   approved    1 when no knock-out or eligibility rule matched, the limit
 *               is present and > 0 and the rate is present; else 0 and
 *               n_reasons > 0.
 *   limit       the "limit" value rounded DOWN to the fen (a limit never
 *               rounds up); 0 when has_limit is 0 (null).
 *   rate        the "rate" value as a ph_rate (the same 1e-8 unit, exact);
 *               0 when has_rate is 0.
 *   values      every environment value, indexed like ph_policy_value_name.
 */
typedef struct ph_policy_outcome {
    int approved;
    size_t n_reasons;
    const ph_policy_reason *reasons;
    int has_limit;
    ph_money limit;
    int has_rate;
    ph_rate rate;
    size_t n_values;
    const ph_value *values;
} ph_policy_outcome;

/* The workspace of evaluations of `p` on one thread: environment, table
 * results, reasons. It borrows p, which must outlive it. */
PH_EXTERN ph_status ph_policy_run_new(const ph_policy *p, ph_policy_run **out, ph_error *err);
PH_EXTERN void ph_policy_run_free(ph_policy_run *run);

/*
 * Evaluate `p` on inputs[0..ph_policy_input_count) (by input index; each
 * null or of the input's kind; a text borrowed for as long as the outcome
 * is read). All steps run, also after a knock-out, so the trace is whole.
 * A null input is missing data: table cells other than "-", "" and "null"
 * do not match it and formulas propagate it, so a policy that does not
 * handle it explicitly ends with a null limit or rate, which is a decline
 * (LIMIT_MISSING / RATE_MISSING), never an approval.
 * Errors: PH_EMISUSE for NULL arguments or a run made for another policy;
 * PH_EINVAL for an input of the wrong kind ("input 3 (score): expected
 * decimal or null, got text"), a table or formula failing at run time (its
 * own message, e.g. a UNIQUE table with two matches, division by zero), a
 * limit or rate that is not a decimal; PH_ERANGE for overflow. *out is
 * written only on success; the run keeps the trace up to a failure.
 */
PH_EXTERN ph_status ph_policy_eval(const ph_policy *p, ph_policy_run *run,
                                   const ph_value *inputs, ph_policy_outcome *out,
                                   ph_error *err);

/* The trace of step `step` in the run's last evaluation: the table result
 * (matched rules as a bitset, outputs) of a table step, NULL for formulas
 * (their value is in outcome.values). */
PH_EXTERN const ph_dtable_result *ph_policy_run_table_result(const ph_policy_run *run,
                                                             size_t step);

/*
 * Write the last evaluation of `run` as one JSON object: the policy
 * (lender, name, version), approved, limit (yuan text) and rate, the
 * reasons with the values they read, every value by name, and per step the
 * matched rules (1-based) and outputs or the formula's value. Decimals are
 * strings ("0.0385"), so no double touches them. PH_EIO on a write error.
 */
PH_EXTERN ph_status ph_policy_trace_write_json(const ph_policy *p, const ph_policy_run *run,
                                               FILE *out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_POLICY_H */
