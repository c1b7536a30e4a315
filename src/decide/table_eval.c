/*
 * Evaluating a compiled decision table: scan the rules, record every match
 * in the trace, then resolve the hit policy. Nothing here allocates; the
 * result was sized for the table by ph_dtable_result_new.
 */
#include "table_internal.h"

#include <stdio.h>
#include <string.h>

ph_status ph_dtable_result_new(const ph_ctx *ctx, const ph_dtable *t, ph_dtable_result **out,
                               ph_error *err)
{
    if (ctx == NULL || t == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dtable_result_new: NULL argument");
    size_t rules = t->n_rules ? t->n_rules : 1;
    size_t rows = t->hit == PH_HIT_COLLECT && t->agg == PH_AGG_NONE ? rules : 1;
    size_t values = rows * (t->n_outputs ? t->n_outputs : 1);
    size_t words = (rules + 63) / 64;
    ph_dtable_result *res = ph_calloc(ctx, 1, sizeof(*res));
    if (res != NULL) {
        res->matches = ph_calloc(ctx, rules, sizeof(size_t));
        res->outputs = ph_calloc(ctx, values, sizeof(ph_value));
        res->trace = ph_calloc(ctx, words, sizeof(uint64_t));
        res->trace_words = words;
        res->rule_capacity = rules;
        res->value_capacity = values;
    }
    if (res == NULL || res->matches == NULL || res->outputs == NULL || res->trace == NULL) {
        ph_dtable_result_free(ctx, res);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    *out = res;
    return PH_OK;
}

void ph_dtable_result_free(const ph_ctx *ctx, ph_dtable_result *res)
{
    if (res == NULL)
        return;
    ph_free(ctx, res->matches);
    ph_free(ctx, res->outputs);
    ph_free(ctx, res->trace);
    ph_free(ctx, res);
}

int ph_dtable_result_rule_matched(const ph_dtable_result *res, size_t rule)
{
    if (res == NULL || rule / 64 >= res->trace_words)
        return 0;
    return (int)((res->trace[rule / 64] >> (rule % 64)) & 1u);
}

/* ---- matching ------------------------------------------------------------- */

static int rule_matches(const ph_dtable *t, const dt_rule *rule, const ph_value *inputs)
{
    const dt_cell *cell = &t->cells[rule->first_cell];
    for (uint32_t k = 0; k < rule->n_cells; k++, cell++) {
        const ph_value *v = &inputs[cell->input];
        if (v->kind == PH_VALUE_NULL) {
            /* A missing value passes only "null" (and "-", never stored). */
            if (cell->op != DT_NULL || cell->negate)
                return 0;
        } else if (!dt_cell_match(cell, v)) {
            return 0;
        }
    }
    return 1;
}

static ph_status check_inputs(const ph_dtable *t, const ph_value *inputs, ph_error *err)
{
    for (size_t i = 0; i < t->n_inputs; i++) {
        ph_value_kind kind = inputs[i].kind;
        if (kind != PH_VALUE_NULL && kind != t->inputs[i].kind)
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "table '%s', input %zu (%s): expected %s or null, got %s",
                                t->name, i + 1, t->inputs[i].name,
                                ph_value_kind_name(t->inputs[i].kind),
                                (unsigned)kind <= PH_VALUE_TEXT ? ph_value_kind_name(kind)
                                                                : "an unknown kind");
    }
    return PH_OK;
}

/* ---- resolving the hit policy -------------------------------------------- */

static const ph_value *rule_values(const ph_dtable *t, size_t rule)
{
    return &t->values[rule * t->n_outputs];
}

/* Is rule a's priority above rule b's? Outputs in order, each by its list. */
static int ranks_above(const ph_dtable *t, size_t a, size_t b)
{
    const uint32_t *ra = &t->ranks[a * t->n_outputs], *rb = &t->ranks[b * t->n_outputs];
    for (size_t i = 0; i < t->n_outputs; i++)
        if (ra[i] != rb[i])
            return ra[i] < rb[i];
    return 0; /* equal: the earlier rule stays */
}

static ph_status any_conflict(const ph_dtable *t, size_t a, size_t b, ph_error *err)
{
    const ph_value *va = rule_values(t, a), *vb = rule_values(t, b);
    size_t i = 0;
    while (i < t->n_outputs && ph_value_equal(&va[i], &vb[i]))
        i++;
    if (i == t->n_outputs)
        return PH_OK;
    char sa[PH_DECIMAL_FORMAT_MAX + 100], sb[PH_DECIMAL_FORMAT_MAX + 100];
    dt_value_text(&va[i], sa, sizeof(sa));
    dt_value_text(&vb[i], sb, sizeof(sb));
    return ph_error_set(err, PH_EINVAL, NULL, NULL,
                        "table '%s' (ANY): rules %zu and %zu match with different outputs "
                        "(output %zu (%s): %s vs %s)",
                        t->name, a + 1, b + 1, i + 1, t->outputs[i].name, sa, sb);
}

static void set_nulls(ph_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = ph_value_null();
}

static ph_status aggregate(const ph_dtable *t, ph_dtable_result *res, ph_error *err)
{
    res->output_rows = 1;
    for (size_t i = 0; i < t->n_outputs; i++) {
        ph_value acc = ph_value_null();
        if (t->agg == PH_AGG_COUNT) {
            acc = ph_value_decimal((ph_decimal)res->match_count * PH_DECIMAL_ONE);
        } else {
            for (size_t k = 0; k < res->match_count; k++) {
                ph_decimal d = rule_values(t, res->matches[k])[i].as.decimal;
                if (acc.kind == PH_VALUE_NULL) {
                    acc = ph_value_decimal(d);
                } else if (t->agg == PH_AGG_SUM) {
                    ph_status st = ph_decimal_add(acc.as.decimal, d, &acc.as.decimal, err);
                    if (st != PH_OK)
                        return ph_error_set(err, st, NULL, NULL,
                                            "table '%s' (COLLECT SUM): output %zu (%s): the sum "
                                            "leaves the decimal range",
                                            t->name, i + 1, t->outputs[i].name);
                } else if ((t->agg == PH_AGG_MIN) == (d < acc.as.decimal)) {
                    acc.as.decimal = d;
                }
            }
        }
        res->outputs[i] = acc;
    }
    return PH_OK;
}

/* Pick the outputs for the hit policy once the matches are known. */
static ph_status resolve(const ph_dtable *t, ph_dtable_result *res, ph_error *err)
{
    size_t n_out = t->n_outputs;
    if (t->hit == PH_HIT_COLLECT) {
        if (t->agg != PH_AGG_NONE) {
            res->matched = res->match_count > 0;
            return aggregate(t, res, err);
        }
        for (size_t k = 0; k < res->match_count; k++)
            memcpy(&res->outputs[k * n_out], rule_values(t, res->matches[k]),
                   n_out * sizeof(ph_value));
        res->output_rows = res->match_count;
        res->matched = res->match_count > 0;
        return PH_OK;
    }
    res->output_rows = 1;
    if (res->match_count == 0) {
        set_nulls(res->outputs, n_out);
        return PH_OK;
    }
    if (t->hit == PH_HIT_ANY)
        for (size_t k = 1; k < res->match_count; k++) {
            ph_status st = any_conflict(t, res->matches[0], res->matches[k], err);
            if (st != PH_OK)
                return st;
        }
    if (t->hit == PH_HIT_PRIORITY) {
        size_t best = res->matches[0];
        for (size_t k = 1; k < res->match_count; k++)
            if (ranks_above(t, res->matches[k], best))
                best = res->matches[k];
        res->matches[0] = best;
        res->match_count = 1;
    }
    memcpy(res->outputs, rule_values(t, res->matches[0]), n_out * sizeof(ph_value));
    res->matched = 1;
    return PH_OK;
}

/* Does `res` have room for every rule and output of `t`? */
static int result_fits(const ph_dtable *t, const ph_dtable_result *res)
{
    size_t rows = t->hit == PH_HIT_COLLECT && t->agg == PH_AGG_NONE ? t->n_rules : 1;
    return res->matches != NULL && res->outputs != NULL && res->trace != NULL &&
           res->rule_capacity >= t->n_rules && res->trace_words >= (t->n_rules + 63) / 64 &&
           res->value_capacity >= rows * t->n_outputs;
}

ph_status ph_dtable_eval(const ph_dtable *t, const ph_value *inputs, ph_dtable_result *res,
                         ph_error *err)
{
    if (t == NULL || res == NULL || (t->n_inputs && inputs == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dtable_eval: NULL argument");
    if (!result_fits(t, res))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_dtable_eval: the result is too small for table '%s' (make it "
                            "with ph_dtable_result_new for this table)",
                            t->name);
    res->matched = 0;
    res->match_count = 0;
    res->output_rows = 0;
    res->rules_evaluated = 0;
    memset(res->trace, 0, res->trace_words * sizeof(uint64_t));
    ph_status st = check_inputs(t, inputs, err);
    if (st != PH_OK)
        return st;

    for (size_t r = 0; r < t->n_rules; r++) {
        res->rules_evaluated = r + 1;
        if (!rule_matches(t, &t->rules[r], inputs))
            continue;
        res->trace[r / 64] |= UINT64_C(1) << (r % 64);
        res->matches[res->match_count++] = r;
        if (t->hit == PH_HIT_FIRST)
            break;
        if (t->hit == PH_HIT_UNIQUE && res->match_count == 2) {
            res->match_count = 0;
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "table '%s' (UNIQUE): rules %zu and %zu both match; a UNIQUE "
                                "table allows one match",
                                t->name, res->matches[0] + 1, r + 1);
        }
    }
    st = resolve(t, res, err);
    if (st != PH_OK) {
        res->matched = 0;
        res->match_count = 0;
        res->output_rows = 0;
    }
    return st;
}
