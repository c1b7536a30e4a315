/*
 * Binding a policy and its model to the facts, once, when the market opens:
 * every policy input and model feature becomes a fact index, so deciding an
 * application only copies values. A name that is not a fact, or a fact of
 * another kind, is an error naming the policy and the input, found before
 * any application is decided rather than halfway through one.
 */
#include "market_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ph_status market_model_ref(const char *ref, char *name, size_t size, int64_t *version,
                           ph_error *err)
{
    const char *at = strchr(ref, '@');
    size_t len = at ? (size_t)(at - ref) : strlen(ref);
    *version = 0;
    if (len == 0)
        return ph_error_set(err, PH_EINVAL, "model", ref, "expected NAME or NAME@VERSION");
    if (len >= size)
        return ph_error_set(err, PH_ERANGE, "model", ref,
                            "expected a model name of at most %zu bytes, found %zu", size - 1,
                            len);
    memcpy(name, ref, len);
    name[len] = '\0';
    if (at != NULL) {
        char *end;
        long long v = strtoll(at + 1, &end, 10);
        if (at[1] == '\0' || *end != '\0' || v < 1)
            return ph_error_set(err, PH_EINVAL, "model", ref,
                                "expected a version >= 1 after '@'");
        *version = v;
    }
    return PH_OK;
}

static void policy_label(const ph_policy *p, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s@%lld", ph_policy_lender(p), ph_policy_name(p),
             (long long)ph_policy_version(p));
}

/* Add the feeds a fact comes from to the binding's source set. */
static ph_status add_sources(market_binding *b, long fact, ph_error *err)
{
    ph_source_set sources = 0;
    ph_status st = market_fact_source_set((size_t)fact, &sources, err);
    b->sources |= sources;
    return st;
}

static ph_status bind_inputs(market_binding *b, const ph_policy *p, ph_error *err)
{
    char label[256];
    policy_label(p, label, sizeof(label));
    for (size_t i = 0; i < ph_policy_input_count(p); i++) {
        const char *name = ph_policy_input_name(p, i);
        ph_value_kind kind = ph_policy_input_kind(p, i);
        long fact = ph_market_fact_index(name);
        int model_output = strcmp(name, "score") == 0 || strcmp(name, "pd") == 0;
        if (model_output) {
            if (b->model == NULL)
                return ph_error_set(err, PH_EINVAL, "policy", label,
                                    "input '%s' is a model output, but the policy names no "
                                    "\"model\"", name);
            if (kind != PH_VALUE_DECIMAL)
                return ph_error_set(err, PH_EINVAL, "policy", label,
                                    "input '%s' is %s, but the model's %s is a decimal", name,
                                    ph_value_kind_name(kind), name);
            b->input_fact[i] = name[0] == 's' ? BIND_SCORE : BIND_PD;
            continue;
        }
        if (fact < 0)
            return ph_error_set(err, PH_EINVAL, "policy", label,
                                "input '%s' is not a fact the platform provides (see `puhui "
                                "market facts`), nor score or pd", name);
        if (ph_market_fact_kind((size_t)fact) != kind)
            return ph_error_set(err, PH_EINVAL, "policy", label,
                                "input '%s' is %s, but the platform's fact '%s' is %s", name,
                                ph_value_kind_name(kind), name,
                                ph_value_kind_name(ph_market_fact_kind((size_t)fact)));
        b->input_fact[i] = fact;
        ph_status st = add_sources(b, fact, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

static ph_status bind_features(market_binding *b, ph_error *err)
{
    for (size_t j = 0; j < ph_model_feature_count(b->model); j++) {
        const char *name = ph_model_feature_name(b->model, j);
        long fact = ph_market_fact_index(name);
        if (fact < 0 || ph_market_fact_kind((size_t)fact) == PH_VALUE_TEXT)
            return ph_error_set(err, PH_EINVAL, "model", b->model_name,
                                "feature '%s' is not a numeric fact the platform provides",
                                name);
        b->feature_fact[j] = fact;
        ph_status st = add_sources(b, fact, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

ph_status market_bind(const ph_ctx *ctx, const ph_policy *policy, const ph_model *model,
                      const char *model_name, int64_t model_version, market_binding *out,
                      ph_error *err)
{
    market_binding *b = out;
    memset(b, 0, sizeof(*b));
    b->policy = policy;
    b->model = model;
    b->model_version = model_version;
    snprintf(b->model_name, sizeof(b->model_name), "%s", model_name ? model_name : "");
    size_t ni = ph_policy_input_count(policy), nf = model ? ph_model_feature_count(model) : 0;
    b->input_fact = ph_calloc(ctx, ni + 1, sizeof(long));
    b->inputs = ph_calloc(ctx, ni + 1, sizeof(ph_value));
    b->feature_fact = ph_calloc(ctx, nf + 1, sizeof(long));
    b->x = ph_calloc(ctx, nf + 1, sizeof(double));
    ph_status st = PH_OK;
    if (!b->input_fact || !b->inputs || !b->feature_fact || !b->x)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory binding a policy");
    if (st == PH_OK)
        st = bind_inputs(b, policy, err);
    if (st == PH_OK && model != NULL)
        st = bind_features(b, err);
    if (st != PH_OK)
        market_binding_free(ctx, b);
    return st;
}

void market_binding_free(const ph_ctx *ctx, market_binding *b)
{
    if (b == NULL)
        return;
    ph_free(ctx, b->input_fact);
    ph_free(ctx, b->inputs);
    ph_free(ctx, b->feature_fact);
    ph_free(ctx, b->x);
    b->input_fact = b->feature_fact = NULL;
    b->inputs = NULL;
    b->x = NULL;
}

ph_status market_score(market_binding *b, const market_facts *f, double *score, double *pd,
                       ph_error *err)
{
    if (b->model == NULL) {
        *score = *pd = NAN;
        return PH_OK;
    }
    for (size_t j = 0; j < ph_model_feature_count(b->model); j++)
        b->x[j] = market_fact_number(f, (size_t)b->feature_fact[j]);
    return ph_model_predict_row(b->model, b->x, pd, score, err);
}

/* A model output as a decimal input: the score to 2 places, the PD to 8
 * (the decimal's own precision), so the policy compares exact numbers. */
static ph_value model_value(double x, int places)
{
    ph_decimal d;
    if (isnan(x) || ph_decimal_from_double(x, &d, NULL) != PH_OK ||
        ph_decimal_round(d, places, PH_ROUND_HALF_EVEN, &d, NULL) != PH_OK)
        return ph_value_null();
    return ph_value_decimal(d);
}

void market_fill_inputs(market_binding *b, const market_facts *f, double score, double pd)
{
    for (size_t i = 0; i < ph_policy_input_count(b->policy); i++) {
        long fact = b->input_fact[i];
        if (fact == BIND_SCORE)
            b->inputs[i] = model_value(score, 2);
        else if (fact == BIND_PD)
            b->inputs[i] = model_value(pd, 8);
        else
            b->inputs[i] = f->v[fact];
    }
}
