/*
 * Lender policies: reading the JSON document. The decision tables are read
 * by the table loader (located errors for free); this file reads the rest
 * and wires the flow: every table input and formula variable is resolved to
 * an environment slot once, here, so evaluation only copies values.
 *
 * Everything that could be a typo is an error: an unknown member, a name
 * not defined yet, a table or formula the flow never runs. A lender's
 * analyst gets the file, the step and what was expected.
 */
#include "policy_internal.h"

#include "expr_internal.h"
#include "members.h"
#include "table_internal.h"

#include "json/json_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const TOP_MEMBERS[] = {"lender", "name", "version", "product", "inputs",
                                          "tables", "formulas", "flow", "model",
                                          "appetite", "reasons", NULL};
static const char *const PRODUCT_MEMBERS[] = {"name", "min_amount", "max_amount", "min_term",
                                              "max_term", "repayment", "guarantee_fee", NULL};
static const char *const INPUT_MEMBERS[] = {"name", "kind", NULL};
static const char *const FORMULA_MEMBERS[] = {"name", "expr", NULL};
/* Flow step keys, indexed by ph_policy_step_kind. */
static const char *const STEP_KEYS[] = {"knockout", "eligibility", "table", "formula", NULL};

static const char *const CONSTANT_NAMES[POL_N_CONSTANTS] = {
    "product_min_amount", "product_max_amount", "product_min_term", "product_max_term",
    "product_guarantee_fee"};

static ph_status fail(ph_error *err, ph_status code, const char *fmt, ...) PH_PRINTF(3, 4);

static ph_status fail(ph_error *err, ph_status code, const char *fmt, ...)
{
    char detail[PH_ERROR_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return ph_error_set(err, code, NULL, NULL, "%s", detail);
}

const char *ph_policy_step_kind_name(ph_policy_step_kind kind)
{
    return (unsigned)kind < 4 ? STEP_KEYS[kind] : "?";
}

static char *dup_string(const ph_ctx *ctx, const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = ph_malloc(ctx, n);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

static void join(char *buf, size_t size, const char *const *names)
{
    buf[0] = '\0';
    for (size_t k = 0; names[k]; k++) {
        strncat(buf, k ? ", " : "", size - strlen(buf) - 1);
        strncat(buf, names[k], size - strlen(buf) - 1);
    }
}

/* ---- the environment --------------------------------------------------------- */

/* Define a named value; `who` says what defines it, for the duplicate error. */
static ph_status define(ph_policy *p, const char *name, ph_value_kind kind, const char *who,
                        size_t *slot, ph_error *err)
{
    size_t old;
    ph_value_kind old_kind;
    if (expr_symbols_find(p->sym, name, strlen(name), &old, &old_kind) == PH_OK)
        return fail(err, PH_EINVAL, "%s: '%s' is defined already (value %zu of the "
                    "environment)", who, name, old + 1);
    if (p->n_values == p->cap_values) {
        size_t cap = p->cap_values ? p->cap_values * 2 : 16;
        char **names = ph_realloc(p->ctx, p->value_names, cap * sizeof(*names));
        if (names == NULL)
            return fail(err, PH_ENOMEM, "out of memory");
        p->value_names = names;
        ph_value_kind *kinds = ph_realloc(p->ctx, p->value_kinds, cap * sizeof(*kinds));
        if (kinds == NULL)
            return fail(err, PH_ENOMEM, "out of memory");
        p->value_kinds = kinds;
        p->cap_values = cap;
    }
    char *copy = dup_string(p->ctx, name);
    if (copy == NULL)
        return fail(err, PH_ENOMEM, "out of memory");
    ph_status st = ph_expr_symbols_add(p->sym, name, kind, slot, err);
    if (st != PH_OK) {
        ph_free(p->ctx, copy);
        char detail[PH_ERROR_DETAIL_MAX];
        snprintf(detail, sizeof(detail), "%s", err ? err->detail : "");
        return fail(err, st, "%s: %s", who, detail);
    }
    p->value_names[p->n_values] = copy;
    p->value_kinds[p->n_values++] = kind;
    return PH_OK;
}

static ph_status read_kind(const json_t *j, const char *where, ph_value_kind *out, ph_error *err)
{
    static const char *const names[] = {"decimal", "text", "bool"};
    static const ph_value_kind kinds[] = {PH_VALUE_DECIMAL, PH_VALUE_TEXT, PH_VALUE_BOOL};
    for (size_t i = 0; json_is_string(j) && i < 3; i++)
        if (strcmp(json_string_value(j), names[i]) == 0) {
            *out = kinds[i];
            return PH_OK;
        }
    return fail(err, PH_EINVAL, "%s: kind: expected \"decimal\", \"text\" or \"bool\"", where);
}

/* ---- header and product ---------------------------------------------------------- */

static ph_status read_header(ph_policy *p, const json_t *root, ph_error *err)
{
    const char *lender = NULL, *name = NULL;
    ph_status st = pjson_get_string(root, "", "lender", &lender, err);
    if (st == PH_OK)
        st = pjson_get_string(root, "", "name", &name, err);
    if (st == PH_OK)
        st = pjson_get_int(root, "", "version", &p->version, err);
    if (st != PH_OK)
        return st;
    if (p->version < 1)
        return fail(err, PH_EINVAL, "version: expected a whole number >= 1, got %lld",
                    (long long)p->version);
    p->lender = dup_string(p->ctx, lender);
    p->name = dup_string(p->ctx, name);
    return p->lender && p->name ? PH_OK : fail(err, PH_ENOMEM, "out of memory");
}

static ph_status read_product(ph_policy *p, const json_t *root, ph_error *err)
{
    json_t *prod = NULL;
    const char *name = NULL, *repayment = NULL;
    ph_policy_product *pr = &p->product;
    ph_status st = pjson_get_object(root, "", "product", &prod, err);
    if (st == PH_OK)
        st = decide_check_members(prod, PRODUCT_MEMBERS, "product", err);
    if (st == PH_OK)
        st = pjson_get_string(prod, "product", "name", &name, err);
    if (st == PH_OK)
        st = pjson_get_money(prod, "product", "min_amount", &pr->min_amount, err);
    if (st == PH_OK)
        st = pjson_get_money(prod, "product", "max_amount", &pr->max_amount, err);
    if (st == PH_OK)
        st = pjson_get_int(prod, "product", "min_term", &pr->min_term, err);
    if (st == PH_OK)
        st = pjson_get_int(prod, "product", "max_term", &pr->max_term, err);
    if (st == PH_OK)
        st = pjson_get_string(prod, "product", "repayment", &repayment, err);
    if (st == PH_OK && json_object_get(prod, "guarantee_fee") != NULL) {
        st = pjson_get_rate(prod, "product", "guarantee_fee", &pr->guarantee_fee, err);
        pr->has_guarantee_fee = 1;
    }
    if (st != PH_OK)
        return st;
    if (pr->min_amount <= 0 || pr->min_amount > pr->max_amount)
        return fail(err, PH_EINVAL, "product: expected 0 < min_amount <= max_amount");
    if (pr->min_term < 1 || pr->min_term > pr->max_term || pr->max_term > 600)
        return fail(err, PH_EINVAL, "product: expected 1 <= min_term <= max_term <= 600 "
                    "(months), got %lld and %lld", (long long)pr->min_term,
                    (long long)pr->max_term);
    pr->name = dup_string(p->ctx, name);
    pr->repayment = dup_string(p->ctx, repayment);
    if (pr->name == NULL || pr->repayment == NULL)
        return fail(err, PH_ENOMEM, "out of memory");
    /* Money and rates convert exactly: a fen is 1e6 units, a rate is the unit. */
    ph_decimal v[POL_N_CONSTANTS] = {0};
    st = ph_decimal_from_money(pr->min_amount, &v[0], err);
    if (st == PH_OK)
        st = ph_decimal_from_money(pr->max_amount, &v[1], err);
    if (st != PH_OK)
        return st;
    v[2] = pr->min_term * PH_DECIMAL_ONE;
    v[3] = pr->max_term * PH_DECIMAL_ONE;
    for (size_t i = 0; i < POL_N_CONSTANTS; i++) {
        size_t slot;
        p->constants[i] = ph_value_decimal(v[i]);
        st = define(p, CONSTANT_NAMES[i], PH_VALUE_DECIMAL, "product", &slot, err);
        if (st != PH_OK)
            return st;
    }
    p->constants[4] = pr->has_guarantee_fee ? ph_value_decimal(pr->guarantee_fee)
                                            : ph_value_null();
    return PH_OK;
}

static ph_status read_inputs(ph_policy *p, const json_t *root, ph_error *err)
{
    json_t *arr = NULL;
    ph_status st = pjson_get_array(root, "", "inputs", &arr, err);
    for (size_t i = 0; st == PH_OK && i < json_array_size(arr); i++) {
        const json_t *in = json_array_get(arr, i);
        const json_t *name = json_object_get(in, "name");
        char where[160];
        snprintf(where, sizeof(where), "input %zu", i + 1);
        if (!json_is_object(in) || !json_is_string(name))
            return fail(err, PH_EINVAL, "%s: expected an object {\"name\", \"kind\"}", where);
        snprintf(where, sizeof(where), "input %zu (%.64s)", i + 1, json_string_value(name));
        ph_value_kind kind = PH_VALUE_NULL;
        size_t slot;
        st = decide_check_members(in, INPUT_MEMBERS, where, err);
        if (st == PH_OK)
            st = read_kind(json_object_get(in, "kind"), where, &kind, err);
        if (st == PH_OK)
            st = define(p, json_string_value(name), kind, where, &slot, err);
        if (st == PH_OK)
            p->n_inputs++;
    }
    return st;
}

/* ---- flow steps ---------------------------------------------------------------------- */

/* Resolve each table input to an environment slot of an agreeing kind. */
static ph_status wire_inputs(ph_policy *p, pol_step *s, const char *where, ph_error *err)
{
    const ph_dtable *t = s->table;
    size_t n = ph_dtable_input_count(t);
    s->in_slots = ph_calloc(p->ctx, n ? n : 1, sizeof(*s->in_slots));
    if (s->in_slots == NULL)
        return fail(err, PH_ENOMEM, "out of memory");
    if (n > p->max_table_inputs)
        p->max_table_inputs = n;
    for (size_t i = 0; i < n; i++) {
        const char *name = ph_dtable_input_name(t, i);
        ph_value_kind want = ph_dtable_input_kind(t, i), have;
        if (expr_symbols_find(p->sym, name, strlen(name), &s->in_slots[i], &have) != PH_OK) {
            char hint[PH_ERROR_DETAIL_MAX / 2];
            expr_symbols_near(p->sym, name, strlen(name), hint, sizeof(hint));
            return fail(err, PH_EINVAL, "%s: input '%s' is not defined by the policy inputs "
                        "or an earlier step%s", where, name, hint);
        }
        if (have != PH_VALUE_NULL && have != want)
            return fail(err, PH_EINVAL, "%s: input '%s' is %s in the table but %s in the "
                        "environment", where, name, ph_value_kind_name(want),
                        ph_value_kind_name(have));
    }
    return PH_OK;
}

/* Knock-out and eligibility tables: every match is a reason, so every rule
 * needs one; record which inputs each rule tests (the data behind it). */
static ph_status wire_reasons(ph_policy *p, pol_step *s, const char *where, ph_error *err)
{
    const ph_dtable *t = s->table;
    if (t->hit != PH_HIT_COLLECT || t->agg != PH_AGG_NONE)
        return fail(err, PH_EINVAL, "%s: expected a COLLECT table without aggregation (every "
                    "matching rule is a reason), got %s%s%s", where,
                    ph_hit_policy_name(t->hit), t->agg ? " " : "",
                    t->agg ? ph_aggregation_name(t->agg) : "");
    s->rule_read = ph_calloc(p->ctx, t->n_rules + 1, sizeof(*s->rule_read));
    if (s->rule_read == NULL)
        return fail(err, PH_ENOMEM, "out of memory");
    for (size_t r = 0; r < t->n_rules; r++) {
        const dt_rule *rule = &t->rules[r];
        if (rule->reason == NULL || rule->reason[0] == '\0')
            return fail(err, PH_EINVAL, "%s, rule %zu: expected a \"reason\" code (a decline "
                        "must say why)", where, r + 1);
        s->rule_read[r] = p->n_read;
        if (p->n_read + rule->n_cells > p->cap_read) {
            size_t cap = (p->cap_read + rule->n_cells) * 2;
            const char **names = ph_realloc(p->ctx, p->read_names, cap * sizeof(*names));
            if (names == NULL)
                return fail(err, PH_ENOMEM, "out of memory");
            p->read_names = names;
            size_t *inputs = ph_realloc(p->ctx, p->read_inputs, cap * sizeof(*inputs));
            if (inputs == NULL)
                return fail(err, PH_ENOMEM, "out of memory");
            p->read_inputs = inputs;
            p->cap_read = cap;
        }
        for (uint32_t c = 0; c < rule->n_cells; c++) {
            uint32_t input = t->cells[rule->first_cell + c].input;
            p->read_names[p->n_read] = t->inputs[input].name;
            p->read_inputs[p->n_read++] = input;
        }
    }
    s->rule_read[t->n_rules] = p->n_read;
    p->max_reasons += t->n_rules;
    return PH_OK;
}

static ph_status wire_outputs(ph_policy *p, pol_step *s, const char *where, ph_error *err)
{
    const ph_dtable *t = s->table;
    if (t->hit == PH_HIT_COLLECT && t->agg == PH_AGG_NONE)
        return fail(err, PH_EINVAL, "%s: expected a table with one row of outputs (COLLECT "
                    "without aggregation gives several: use it as a knockout or eligibility "
                    "step, or aggregate)", where);
    for (size_t i = 0; i < t->n_outputs; i++) {
        size_t slot;
        ph_status st = define(p, t->outputs[i].name, t->outputs[i].kind, where, &slot, err);
        if (st != PH_OK)
            return st;
        if (i == 0)
            s->out_slot = slot;
    }
    return PH_OK;
}

/* The first formula named `name` and its position in `formulas`; NULL and
 * the array's size when there is none (so *index is always set). */
static const json_t *find_formula(const json_t *formulas, const char *name, size_t *index)
{
    for (size_t i = 0; i < json_array_size(formulas); i++) {
        const json_t *f = json_array_get(formulas, i);
        const json_t *n = json_object_get(f, "name");
        if (json_is_string(n) && strcmp(json_string_value(n), name) == 0) {
            *index = i;
            return f;
        }
    }
    *index = json_array_size(formulas);
    return NULL;
}

static ph_status wire_formula(ph_policy *p, pol_step *s, const json_t *formulas,
                              const char *source, const char *where, ph_error *err)
{
    size_t index;
    const json_t *f = find_formula(formulas, s->name, &index);
    if (f == NULL)
        return fail(err, PH_EINVAL, "%s: no formula of that name in \"formulas\"", where);
    char at[PH_ERROR_SOURCE_MAX];
    snprintf(at, sizeof(at), "%s: formula '%s'", source, s->name);
    ph_status st = ph_expr_compile(p->sym, json_string_value(json_object_get(f, "expr")), at,
                                   &s->expr, err);
    if (st != PH_OK)
        return st;
    return define(p, s->name, ph_expr_result_kind(s->expr), where, &s->out_slot, err);
}

static ph_status check_formulas(const json_t *formulas, ph_error *err)
{
    for (size_t i = 0; i < json_array_size(formulas); i++) {
        const json_t *f = json_array_get(formulas, i);
        char where[160];
        snprintf(where, sizeof(where), "formula %zu", i + 1);
        if (!json_is_object(f) || !json_is_string(json_object_get(f, "name")) ||
            !json_is_string(json_object_get(f, "expr")))
            return fail(err, PH_EINVAL, "%s: expected an object {\"name\": \"...\", \"expr\": "
                        "\"...\"}", where);
        ph_status st = decide_check_members(f, FORMULA_MEMBERS, where, err);
        if (st != PH_OK)
            return st;
        size_t first;
        find_formula(formulas, json_string_value(json_object_get(f, "name")), &first);
        if (first != i)
            return fail(err, PH_EINVAL, "formula '%s' is defined twice (formulas %zu and %zu)",
                        json_string_value(json_object_get(f, "name")), first + 1, i + 1);
    }
    return PH_OK;
}

/* Read flow entry i: {"KIND": "NAME"}, exactly one member. */
static ph_status read_step_head(const ph_ctx *ctx, const json_t *j, size_t i, pol_step *s,
                                ph_error *err)
{
    const char *key = NULL;
    const json_t *value = NULL;
    if (json_is_object(j) && json_object_size(j) == 1) {
        void *it = json_object_iter((json_t *)j);
        key = json_object_iter_key(it);
        value = json_object_iter_value(it);
    }
    char keys[120];
    join(keys, sizeof(keys), STEP_KEYS);
    size_t k = 0;
    while (key && STEP_KEYS[k] && strcmp(STEP_KEYS[k], key) != 0)
        k++;
    if (key == NULL || !json_is_string(value))
        return fail(err, PH_EINVAL, "flow step %zu: expected an object with one member, one "
                    "of %s, naming a table or formula", i + 1, keys);
    if (STEP_KEYS[k] == NULL)
        return fail(err, PH_EINVAL, "flow step %zu: unknown step '%.64s' (expected %s)", i + 1,
                    key, keys);
    s->kind = (ph_policy_step_kind)k;
    s->name = dup_string(ctx, json_string_value(value));
    return s->name ? PH_OK : fail(err, PH_ENOMEM, "out of memory");
}

static ph_status read_flow(ph_policy *p, const json_t *root, const char *source, ph_error *err)
{
    json_t *flow = NULL, *formulas = NULL;
    ph_status st = pjson_get_array(root, "", "flow", &flow, err);
    if (st == PH_OK)
        st = pjson_get_array(root, "", "formulas", &formulas, err);
    if (st == PH_OK)
        st = check_formulas(formulas, err);
    if (st != PH_OK)
        return st;
    size_t n = json_array_size(flow);
    p->steps = ph_calloc(p->ctx, n ? n : 1, sizeof(*p->steps));
    if (p->steps == NULL)
        return fail(err, PH_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        pol_step *s = &p->steps[i];
        st = read_step_head(p->ctx, json_array_get(flow, i), i, s, err);
        if (st != PH_OK)
            return st;
        p->n_steps++;
        char where[200];
        snprintf(where, sizeof(where), "flow step %zu (%s '%.64s')", i + 1,
                 ph_policy_step_kind_name(s->kind), s->name);
        for (size_t k = 0; k < i; k++)
            if ((p->steps[k].kind == PH_POLICY_STEP_FORMULA) ==
                    (s->kind == PH_POLICY_STEP_FORMULA) &&
                strcmp(p->steps[k].name, s->name) == 0)
                return fail(err, PH_EINVAL, "%s: already run by flow step %zu", where, k + 1);
        if (s->kind == PH_POLICY_STEP_FORMULA) {
            st = wire_formula(p, s, formulas, source, where, err);
        } else {
            s->table = ph_dtable_set_find(p->tables, s->name);
            if (s->table == NULL)
                return fail(err, PH_EINVAL, "%s: no table of that name in \"tables\"", where);
            st = wire_inputs(p, s, where, err);
            if (st == PH_OK && s->kind == PH_POLICY_STEP_TABLE)
                st = wire_outputs(p, s, where, err);
            else if (st == PH_OK)
                st = wire_reasons(p, s, where, err);
        }
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* The flow must run every table and formula and define limit and rate. */
static ph_status check_complete(ph_policy *p, const json_t *root, ph_error *err)
{
    for (size_t i = 0; i < ph_dtable_set_count(p->tables); i++) {
        const char *name = ph_dtable_name(ph_dtable_set_at(p->tables, i));
        size_t k = 0;
        while (k < p->n_steps && (p->steps[k].kind == PH_POLICY_STEP_FORMULA ||
                                  strcmp(p->steps[k].name, name) != 0))
            k++;
        if (k == p->n_steps)
            return fail(err, PH_EINVAL, "table '%s' is not run by the flow", name);
    }
    const json_t *formulas = json_object_get(root, "formulas");
    for (size_t i = 0; i < json_array_size(formulas); i++) {
        const char *name = json_string_value(json_object_get(json_array_get(formulas, i), "name"));
        size_t k = 0;
        while (k < p->n_steps && (p->steps[k].kind != PH_POLICY_STEP_FORMULA ||
                                  strcmp(p->steps[k].name, name) != 0))
            k++;
        if (k == p->n_steps)
            return fail(err, PH_EINVAL, "formula '%s' is not run by the flow", name);
    }
    static const char *const required[] = {"limit", "rate"};
    size_t *slots[] = {&p->limit_slot, &p->rate_slot};
    for (size_t i = 0; i < 2; i++) {
        ph_value_kind kind;
        if (expr_symbols_find(p->sym, required[i], strlen(required[i]), slots[i], &kind) !=
            PH_OK)
            return fail(err, PH_EINVAL, "flow: expected a step defining '%s'", required[i]);
        if (kind != PH_VALUE_DECIMAL && kind != PH_VALUE_NULL)
            return fail(err, PH_EINVAL, "flow: '%s' must be a decimal, got %s", required[i],
                        ph_value_kind_name(kind));
    }
    p->max_reasons += 3;
    return PH_OK;
}

/* ---- the document ----------------------------------------------------------------------- */

static ph_status read_policy(ph_policy *p, const json_t *root, const char *source,
                             ph_error *err)
{
    if (!json_is_object(root))
        return fail(err, PH_EINVAL, "expected a JSON object (a policy document)");
    ph_status st = decide_check_members(root, TOP_MEMBERS, "", err);
    if (st == PH_OK)
        st = read_header(p, root, err);
    if (st == PH_OK)
        st = pol_read_market(p, root, err);
    if (st == PH_OK)
        st = ph_expr_symbols_new(p->ctx, &p->sym, err);
    if (st == PH_OK)
        st = read_product(p, root, err);
    if (st == PH_OK)
        st = read_inputs(p, root, err);
    if (st == PH_OK) /* the tables from the same parsed document, not a re-parse */
        st = dt_set_from_json(p->ctx, root, source, &p->tables, err);
    if (st == PH_OK)
        st = read_flow(p, root, source, err);
    if (st == PH_OK)
        st = check_complete(p, root, err);
    if (st == PH_OK)
        st = pol_mark_sources(p, err);
    if (st == PH_OK)
        st = pol_read_words(p, root, err);
    return st;
}

static ph_status load_json(const ph_ctx *ctx, json_t *root, const char *source,
                           ph_policy **out, ph_error *err)
{
    ph_policy *p = ph_calloc(ctx, 1, sizeof(*p));
    if (p == NULL) {
        json_decref(root);
        return fail(err, PH_ENOMEM, "out of memory");
    }
    p->ctx = ctx;
    ph_status st = read_policy(p, root, source, err);
    json_decref(root);
    if (st != PH_OK) {
        /* Errors from the table loader and formula compiler are located already. */
        if (err != NULL && err->source[0] == '\0')
            ph_error_locate(err, source, 0, 0);
        ph_policy_free(p);
        return st;
    }
    *out = p;
    return PH_OK;
}

ph_status ph_policy_load_file(const ph_ctx *ctx, const char *path, ph_policy **out,
                              ph_error *err)
{
    if (ctx == NULL || path == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_policy_load_file: NULL argument");
    json_t *root;
    ph_status st = pjson_load_file(path, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, path, out, err);
}

ph_status ph_policy_load_text(const ph_ctx *ctx, const char *text, size_t len,
                              const char *source, ph_policy **out, ph_error *err)
{
    if (ctx == NULL || text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_policy_load_text: NULL argument");
    if (source == NULL)
        source = "policy";
    json_t *root;
    ph_status st = pjson_load_text(text, len, source, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, source, out, err);
}

void ph_policy_free(ph_policy *p)
{
    if (p == NULL)
        return;
    const ph_ctx *ctx = p->ctx;
    pol_free_market(p);
    pol_free_words(p);
    for (size_t i = 0; i < p->n_steps; i++) {
        ph_free(ctx, p->steps[i].name);
        ph_free(ctx, p->steps[i].in_slots);
        ph_free(ctx, p->steps[i].rule_read);
        ph_expr_free(p->steps[i].expr);
    }
    ph_free(ctx, p->steps);
    for (size_t i = 0; i < p->n_values; i++)
        ph_free(ctx, p->value_names[i]);
    ph_free(ctx, p->value_names);
    ph_free(ctx, p->value_kinds);
    ph_free(ctx, p->read_names);
    ph_free(ctx, p->read_inputs);
    ph_free(ctx, p->lender);
    ph_free(ctx, p->name);
    ph_free(ctx, (char *)p->product.name);
    ph_free(ctx, (char *)p->product.repayment);
    ph_dtable_set_free(p->tables);
    ph_expr_symbols_free(p->sym);
    ph_free(ctx, p);
}
