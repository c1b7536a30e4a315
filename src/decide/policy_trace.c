/*
 * Lender policies: the decision trace as JSON, for the decision log and for
 * replay. It holds everything an auditor needs to redo the decision with
 * the same policy version: the inputs and every value computed (as
 * exact decimal strings, never through a double), the rules each table
 * matched, and the reasons with the data behind them.
 */
#include "policy_internal.h"

#include "table_internal.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

/* A value as JSON: decimals as exact strings ("0.052"), texts as strings,
 * bools and null as themselves. NULL on failure (bad UTF-8 or no memory). */
static json_t *value_json(const ph_value *v)
{
    char buf[PH_DECIMAL_FORMAT_MAX];
    switch (v->kind) {
    case PH_VALUE_BOOL: return json_boolean(v->as.boolean);
    case PH_VALUE_TEXT: return json_stringn(v->as.text.ptr, v->as.text.len);
    case PH_VALUE_DECIMAL:
        if (ph_decimal_format(v->as.decimal, buf, sizeof(buf), NULL) != PH_OK)
            return NULL;
        return json_string(buf);
    case PH_VALUE_NULL: break;
    }
    return json_null();
}

/* obj[key] = value, taking the reference; returns 0 on failure. */
static int put(json_t *obj, const char *key, json_t *value)
{
    return value != NULL && json_object_set_new(obj, key, value) == 0;
}

static int append(json_t *arr, json_t *value)
{
    return value != NULL && json_array_append_new(arr, value) == 0;
}

static json_t *reason_json(const ph_policy_reason *r)
{
    json_t *o = json_object(), *read = json_object();
    int ok = o != NULL && read != NULL && put(o, "code", json_string(r->code));
    if (ok && r->table != NULL) {
        ok = put(o, "kind", json_string(ph_policy_step_kind_name(r->kind))) &&
             put(o, "step", json_integer((json_int_t)r->step + 1)) &&
             put(o, "table", json_string(r->table)) &&
             put(o, "rule", json_integer((json_int_t)r->rule + 1));
        for (size_t i = 0; ok && i < r->n_read; i++)
            ok = put(read, r->read_names[i], value_json(&r->read_values[i]));
        if (ok)
            ok = put(o, "read", read); /* o owns read now, even on failure */
        else
            json_decref(read);
        read = NULL;
    }
    json_decref(read);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *step_json(const ph_policy *p, const ph_policy_run *run, size_t i)
{
    const pol_step *s = &p->steps[i];
    json_t *o = json_object();
    int ok = o != NULL && put(o, "kind", json_string(ph_policy_step_kind_name(s->kind))) &&
             put(o, "name", json_string(s->name));
    if (ok && s->kind == PH_POLICY_STEP_FORMULA) {
        ok = put(o, "value", value_json(&run->env[s->out_slot]));
    } else if (ok) {
        const ph_dtable_result *res = run->results[i];
        json_t *matched = json_array();
        ok = put(o, "matched", matched);
        for (size_t r = 0; ok && r < s->table->n_rules; r++)
            if (ph_dtable_result_rule_matched(res, r))
                ok = append(matched, json_integer((json_int_t)r + 1));
        if (ok && s->kind == PH_POLICY_STEP_TABLE) {
            json_t *outputs = json_object();
            ok = put(o, "outputs", outputs);
            for (size_t k = 0; ok && k < s->table->n_outputs; k++)
                ok = put(outputs, s->table->outputs[k].name, value_json(&run->env[s->out_slot + k]));
        }
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *trace_json(const ph_policy *p, const ph_policy_run *run)
{
    const ph_policy_outcome *oc = &run->outcome;
    json_t *doc = json_object();
    if (doc == NULL)
        return NULL;
    /* put() hands each container to doc at once (jansson frees it if that
     * fails), so on failure freeing doc frees everything. */
    json_t *policy = json_object(), *reasons = json_array(), *values = json_object(),
           *steps = json_array();
    int ok = put(doc, "policy", policy);
    ok = put(doc, "approved", json_boolean(oc->approved)) && ok;
    ph_value limit = ph_value_null(), rate = ph_value_null();
    ph_decimal d = 0;
    if (oc->has_limit && ph_decimal_from_money(oc->limit, &d, NULL) == PH_OK)
        limit = ph_value_decimal(d);
    if (oc->has_rate)
        rate = ph_value_decimal(oc->rate);
    ok = put(doc, "limit", value_json(&limit)) && ok;
    ok = put(doc, "rate", value_json(&rate)) && ok;
    ok = put(doc, "reasons", reasons) && ok;
    ok = put(doc, "values", values) && ok;
    ok = put(doc, "steps", steps) && ok;
    ok = ok && put(policy, "lender", json_string(p->lender)) &&
         put(policy, "name", json_string(p->name)) &&
         put(policy, "version", json_integer(p->version));
    for (size_t i = 0; ok && i < oc->n_reasons; i++)
        ok = append(reasons, reason_json(&oc->reasons[i]));
    for (size_t i = 0; ok && i < p->n_values; i++)
        ok = put(values, p->value_names[i], value_json(&run->env[i]));
    for (size_t i = 0; ok && i < p->n_steps; i++)
        ok = append(steps, step_json(p, run, i));
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

ph_status ph_policy_trace_write_json(const ph_policy *p, const ph_policy_run *run, FILE *out,
                                     ph_error *err)
{
    if (p == NULL || run == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_trace_write_json: NULL argument");
    if (run->policy != p || !run->has_outcome)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_policy_trace_write_json: expected a run of this policy after a "
                            "successful ph_policy_eval");
    json_t *doc = trace_json(p, run);
    if (doc == NULL)
        return ph_error_set(err, PH_EINVAL, "trace", NULL,
                            "cannot build the trace: out of memory or a text input that is "
                            "not UTF-8");
    errno = 0;
    int rc = json_dumpf(doc, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (rc != 0 || fputc('\n', out) == EOF || ferror(out))
        return ph_error_set(err, PH_EIO, "trace", NULL, "cannot write the trace: %s",
                            errno ? strerror(errno) : "write error");
    return PH_OK;
}
