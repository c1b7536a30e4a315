/*
 * Lender policies inside: the loaded form shared by the loader
 * (policy_load.c), the evaluator (policy_eval.c) and the trace writer
 * (policy_trace.c).
 *
 * The environment is one array of ph_value slots; slot i is the symbol i
 * of `sym` (the expr symbol table), so formulas read the environment
 * directly and a table step gathers its inputs through precomputed slots.
 */
#ifndef PH_DECIDE_POLICY_INTERNAL_H
#define PH_DECIDE_POLICY_INTERNAL_H

#include "puhui/expr.h"
#include "puhui/policy.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>

/* The product constants come first in the environment, in this order. */
enum { POL_N_CONSTANTS = 5 };

typedef struct pol_step {
    ph_policy_step_kind kind;
    char *name;              /* table or formula name (owned) */
    const ph_dtable *table;  /* table steps: borrowed from policy->tables */
    size_t *in_slots;        /* table steps: environment slot of each table input */
    size_t out_slot;         /* TABLE: slot of output 0 (outputs are consecutive);
                                FORMULA: the formula's slot */
    ph_expr *expr;           /* FORMULA */
    size_t *rule_read;       /* KNOCKOUT/ELIGIBILITY: n_rules + 1 offsets into
                                policy->read_names / read_inputs */
} pol_step;

/* purposes, industries, regions, size_classes (policy_market.c) */
#define POL_APPETITE_LISTS 4

struct ph_policy {
    const ph_ctx *ctx;
    char *lender, *name;
    int64_t version;
    ph_policy_product product; /* name and repayment owned */
    ph_dtable_set *tables;
    ph_expr_symbols *sym;

    char **value_names;        /* n_values, owned */
    ph_value_kind *value_kinds;
    size_t n_values, cap_values;
    ph_value constants[POL_N_CONSTANTS];
    size_t n_inputs;           /* inputs are slots POL_N_CONSTANTS .. + n_inputs */

    pol_step *steps;
    size_t n_steps;

    /* For every knock-out and eligibility rule, the inputs its cells test. */
    const char **read_names;   /* borrowed from the tables */
    size_t *read_inputs;       /* table input index */
    size_t n_read, cap_read;

    size_t max_reasons;        /* all knock-out/eligibility rules + 3 own codes */
    size_t max_table_inputs;
    size_t limit_slot, rate_slot;

    /* The marketplace members (policy_market.c); NULL when absent. */
    char *model;
    char **appetite_lists[POL_APPETITE_LISTS]; /* NULL-terminated; NULL: any */
    size_t appetite_counts[POL_APPETITE_LISTS];

    /* The "reasons" member (policy_words.c): a sentence per rule code. */
    char **word_codes, **word_texts; /* n_words each, owned */
    size_t n_words;
    /* feeds[0][v] / feeds[1][v]: the limit / the rate is computed from
     * environment slot v (policy_words.c); n_values each, owned. */
    uint8_t *feeds[2];
};

struct ph_policy_run {
    const ph_policy *policy;
    ph_value *env;                /* n_values */
    ph_value *scratch;            /* max_table_inputs: one table's inputs */
    ph_value *read_values;        /* n_read */
    ph_dtable_result **results;   /* per step, NULL for formulas */
    ph_policy_reason *reasons;    /* max_reasons */
    ph_policy_outcome outcome;
    int has_outcome;              /* the last evaluation succeeded */
};

/* policy_market.c: the "model" and "appetite" members. */
ph_status pol_read_market(ph_policy *p, const json_t *root, ph_error *err);
void pol_free_market(ph_policy *p);

/* policy_words.c: the "reasons" member; read after the flow, whose rule
 * codes it is checked against. */
ph_status pol_read_words(ph_policy *p, const json_t *root, ph_error *err);
void pol_free_words(ph_policy *p);
ph_status pol_mark_sources(ph_policy *p, ph_error *err);

#endif
