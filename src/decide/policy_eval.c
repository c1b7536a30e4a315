/*
 * Lender policies: evaluating the flow, and reading a loaded policy.
 *
 * One evaluation copies the product constants and the inputs into the
 * environment, then runs every step in order: a table gathers its inputs
 * from their slots and writes its outputs to theirs, a formula evaluates
 * straight over the environment. Knock-out and eligibility matches become
 * reasons. Everything is written into the run, made once: no allocation.
 */
#include "policy_internal.h"

#include "table_internal.h"

#include <string.h>

/* ---- reading a policy ------------------------------------------------------------ */

const char *ph_policy_lender(const ph_policy *p)
{
    return p ? p->lender : NULL;
}

const char *ph_policy_name(const ph_policy *p)
{
    return p ? p->name : NULL;
}

int64_t ph_policy_version(const ph_policy *p)
{
    return p ? p->version : 0;
}

const ph_policy_product *ph_policy_product_of(const ph_policy *p)
{
    return p ? &p->product : NULL;
}

size_t ph_policy_input_count(const ph_policy *p)
{
    return p ? p->n_inputs : 0;
}

const char *ph_policy_input_name(const ph_policy *p, size_t i)
{
    return p && i < p->n_inputs ? p->value_names[POL_N_CONSTANTS + i] : NULL;
}

ph_value_kind ph_policy_input_kind(const ph_policy *p, size_t i)
{
    return p && i < p->n_inputs ? p->value_kinds[POL_N_CONSTANTS + i] : PH_VALUE_NULL;
}

long ph_policy_input_index(const ph_policy *p, const char *name)
{
    for (size_t i = 0; p && name && i < p->n_inputs; i++)
        if (strcmp(p->value_names[POL_N_CONSTANTS + i], name) == 0)
            return (long)i;
    return -1;
}

size_t ph_policy_value_count(const ph_policy *p)
{
    return p ? p->n_values : 0;
}

const char *ph_policy_value_name(const ph_policy *p, size_t i)
{
    return p && i < p->n_values ? p->value_names[i] : NULL;
}

long ph_policy_value_index(const ph_policy *p, const char *name)
{
    for (size_t i = 0; p && name && i < p->n_values; i++)
        if (strcmp(p->value_names[i], name) == 0)
            return (long)i;
    return -1;
}

size_t ph_policy_step_count(const ph_policy *p)
{
    return p ? p->n_steps : 0;
}

ph_policy_step_kind ph_policy_step_kind_at(const ph_policy *p, size_t step)
{
    return p && step < p->n_steps ? p->steps[step].kind : PH_POLICY_STEP_FORMULA;
}

const char *ph_policy_step_name(const ph_policy *p, size_t step)
{
    return p && step < p->n_steps ? p->steps[step].name : NULL;
}

const ph_dtable *ph_policy_step_table(const ph_policy *p, size_t step)
{
    return p && step < p->n_steps ? p->steps[step].table : NULL;
}

/* ---- the run ------------------------------------------------------------------------ */

ph_status ph_policy_run_new(const ph_policy *p, ph_policy_run **out, ph_error *err)
{
    if (p == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_policy_run_new: NULL argument");
    const ph_ctx *ctx = p->ctx;
    ph_policy_run *run = ph_calloc(ctx, 1, sizeof(*run));
    if (run == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    run->policy = p;
    run->env = ph_calloc(ctx, p->n_values, sizeof(*run->env));
    run->scratch = ph_calloc(ctx, p->max_table_inputs + 1, sizeof(*run->scratch));
    run->read_values = ph_calloc(ctx, p->n_read + 1, sizeof(*run->read_values));
    run->results = ph_calloc(ctx, p->n_steps + 1, sizeof(*run->results));
    run->reasons = ph_calloc(ctx, p->max_reasons, sizeof(*run->reasons));
    ph_status st = run->env && run->scratch && run->read_values && run->results && run->reasons
                       ? PH_OK
                       : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; st == PH_OK && i < p->n_steps; i++)
        if (p->steps[i].table != NULL)
            st = ph_dtable_result_new(ctx, p->steps[i].table, &run->results[i], err);
    if (st != PH_OK) {
        ph_policy_run_free(run);
        return st;
    }
    *out = run;
    return PH_OK;
}

void ph_policy_run_free(ph_policy_run *run)
{
    if (run == NULL)
        return;
    const ph_ctx *ctx = run->policy->ctx;
    for (size_t i = 0; run->results && i < run->policy->n_steps; i++)
        ph_dtable_result_free(ctx, run->results[i]);
    ph_free(ctx, run->results);
    ph_free(ctx, run->env);
    ph_free(ctx, run->scratch);
    ph_free(ctx, run->read_values);
    ph_free(ctx, run->reasons);
    ph_free(ctx, run);
}

const ph_dtable_result *ph_policy_run_table_result(const ph_policy_run *run, size_t step)
{
    return run && step < run->policy->n_steps ? run->results[step] : NULL;
}

/* ---- evaluating ----------------------------------------------------------------------- */

static ph_status check_inputs(const ph_policy *p, const ph_value *inputs, ph_error *err)
{
    for (size_t i = 0; i < p->n_inputs; i++) {
        ph_value_kind want = p->value_kinds[POL_N_CONSTANTS + i];
        if (inputs[i].kind != PH_VALUE_NULL && inputs[i].kind != want)
            return ph_error_set(err, PH_EINVAL, p->value_names[POL_N_CONSTANTS + i], NULL,
                                "input %zu (%s): expected %s or null, got %s", i + 1,
                                p->value_names[POL_N_CONSTANTS + i], ph_value_kind_name(want),
                                ph_value_kind_name(inputs[i].kind));
    }
    return PH_OK;
}

static void add_reason(ph_policy_run *run, ph_policy_reason r)
{
    run->reasons[run->outcome.n_reasons++] = r;
}

/* Every match of a knock-out or eligibility table is a reason, carrying the
 * values its rule tested. */
static void collect_reasons(ph_policy_run *run, size_t step)
{
    const ph_policy *p = run->policy;
    const pol_step *s = &p->steps[step];
    const ph_dtable_result *res = run->results[step];
    for (size_t m = 0; m < res->match_count; m++) {
        size_t rule = res->matches[m];
        size_t first = s->rule_read[rule], last = s->rule_read[rule + 1];
        for (size_t k = first; k < last; k++)
            run->read_values[k] = run->scratch[p->read_inputs[k]];
        add_reason(run, (ph_policy_reason){
                            .code = s->table->rules[rule].reason,
                            .kind = s->kind,
                            .step = step,
                            .table = s->name,
                            .rule = rule,
                            .n_read = last - first,
                            .read_names = p->read_names + first,
                            .read_values = run->read_values + first,
                        });
    }
}

static ph_status run_step(ph_policy_run *run, size_t step, ph_error *err)
{
    const ph_policy *p = run->policy;
    const pol_step *s = &p->steps[step];
    if (s->kind == PH_POLICY_STEP_FORMULA)
        return ph_expr_eval(s->expr, run->env, &run->env[s->out_slot], err);
    size_t n_in = s->table->n_inputs;
    for (size_t i = 0; i < n_in; i++)
        run->scratch[i] = run->env[s->in_slots[i]];
    ph_dtable_result *res = run->results[step];
    ph_status st = ph_dtable_eval(s->table, run->scratch, res, err);
    if (st != PH_OK)
        return st;
    if (s->kind == PH_POLICY_STEP_TABLE) {
        size_t n_out = s->table->n_outputs;
        for (size_t i = 0; i < n_out; i++)
            run->env[s->out_slot + i] = res->output_rows ? res->outputs[i] : ph_value_null();
    } else {
        collect_reasons(run, step);
    }
    return PH_OK;
}

/* The outcome's own codes: data, so the market, the docs and the golden
 * test of reason sentences read one table. */
static const struct {
    const char *code, *text;
    int consequence; /* of missing data, which another reason may explain */
} OWN_REASONS[] = {
    {"LIMIT_MISSING", "no limit could be computed: the data it needs is missing", 1},
    {"LIMIT_NOT_POSITIVE", "the computed limit is zero or below", 0},
    {"RATE_MISSING", "no rate could be computed: the data it needs is missing", 1},
};

const char *ph_policy_own_reason_text(const char *code, int *consequence)
{
    for (size_t i = 0; code != NULL && i < sizeof(OWN_REASONS) / sizeof(OWN_REASONS[0]); i++)
        if (strcmp(code, OWN_REASONS[i].code) == 0) {
            if (consequence != NULL)
                *consequence = OWN_REASONS[i].consequence;
            return OWN_REASONS[i].text;
        }
    if (consequence != NULL)
        *consequence = 0;
    return NULL;
}

static ph_policy_reason own_reason(const char *code)
{
    return (ph_policy_reason){.code = code, .kind = PH_POLICY_STEP_FORMULA};
}

/* The limit rounds down to the fen, the rate is taken as is; a missing or
 * non-positive one is a reason to decline. */
static ph_status settle(ph_policy_run *run, ph_error *err)
{
    const ph_policy *p = run->policy;
    ph_policy_outcome *o = &run->outcome;
    const ph_value *limit = &run->env[p->limit_slot], *rate = &run->env[p->rate_slot];
    if ((limit->kind != PH_VALUE_NULL && limit->kind != PH_VALUE_DECIMAL) ||
        (rate->kind != PH_VALUE_NULL && rate->kind != PH_VALUE_DECIMAL))
        return ph_error_set(err, PH_EINVAL, limit->kind == PH_VALUE_DECIMAL ? "rate" : "limit",
                            NULL, "expected a decimal or null, got %s",
                            ph_value_kind_name(limit->kind == PH_VALUE_DECIMAL ? rate->kind
                                                                               : limit->kind));
    if (limit->kind == PH_VALUE_NULL) {
        add_reason(run, own_reason("LIMIT_MISSING"));
    } else {
        ph_status st = ph_decimal_to_money(limit->as.decimal, PH_ROUND_FLOOR, &o->limit, err);
        if (st != PH_OK)
            return st;
        o->has_limit = 1;
        if (o->limit <= 0)
            add_reason(run, own_reason("LIMIT_NOT_POSITIVE"));
    }
    if (rate->kind == PH_VALUE_NULL) {
        add_reason(run, own_reason("RATE_MISSING"));
    } else {
        o->has_rate = 1;
        o->rate = rate->as.decimal;
    }
    o->approved = o->n_reasons == 0;
    return PH_OK;
}

ph_status ph_policy_eval(const ph_policy *p, ph_policy_run *run, const ph_value *inputs,
                         ph_policy_outcome *out, ph_error *err)
{
    if (p == NULL || run == NULL || out == NULL || (inputs == NULL && p->n_inputs > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_policy_eval: NULL argument");
    if (run->policy != p)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_eval: the run was made for another policy");
    run->has_outcome = 0;
    ph_status st = check_inputs(p, inputs, err);
    if (st != PH_OK)
        return st;
    memcpy(run->env, p->constants, sizeof(p->constants));
    if (p->n_inputs > 0)
        memcpy(run->env + POL_N_CONSTANTS, inputs, p->n_inputs * sizeof(*inputs));
    for (size_t i = POL_N_CONSTANTS + p->n_inputs; i < p->n_values; i++)
        run->env[i] = ph_value_null();
    run->outcome = (ph_policy_outcome){.reasons = run->reasons,
                                       .n_values = p->n_values,
                                       .values = run->env};
    for (size_t i = 0; i < p->n_steps; i++) {
        st = run_step(run, i, err);
        if (st != PH_OK)
            return st;
    }
    st = settle(run, err);
    if (st != PH_OK)
        return st;
    run->has_outcome = 1;
    *out = run->outcome;
    return PH_OK;
}
