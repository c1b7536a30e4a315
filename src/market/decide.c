/*
 * Deciding one application under one policy version: score, evaluate,
 * explain, and price an approval into an offer net of subsidies. The result
 * is a market_decision, which record.c stores and apply.c turns into the
 * lender's quote.
 */
#include "market_decide.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reasons ----------------------------------------------------------------------------- */

/* "tax_grade = D, court_enforcement = true", then the catalogue's sentence
 * for the first feature read (its missing sentence when it is null), written
 * whole to `out`. */
/* The values a reason read, "name = value, ...". */
static void read_values_text(const ph_policy_reason *r, FILE *out)
{
    for (size_t i = 0; i < r->n_read; i++) {
        char value[MARKET_TEXT_MAX + 16]; /* a fact's text or a decimal: always fits */
        if (ph_value_format(&r->read_values[i], value, sizeof(value), NULL) != PH_OK)
            snprintf(value, sizeof(value), "?");
        fprintf(out, "%s%s = %s", i ? ", " : "", r->read_names[i], value);
    }
}

/* The feature catalogue's sentence on the first value a reason read, when
 * that value is a catalogue feature's; 0 when it is not. */
static int catalogue_sentence(const ph_policy_reason *r, char *sentence, size_t size)
{
    int f = r->n_read > 0 ? ph_feature_index(r->read_names[0]) : -1;
    const ph_value *v = r->n_read > 0 ? &r->read_values[0] : NULL;
    if (f < 0 || (v->kind != PH_VALUE_DECIMAL && v->kind != PH_VALUE_NULL))
        return 0;
    double x = v->kind == PH_VALUE_DECIMAL ? ph_decimal_to_double(v->as.decimal)
                                           : ph_feature_missing();
    return ph_feature_reason((size_t)f, x, sentence, size, NULL) == PH_OK;
}

/* What a firm reads for a policy reason. With the policy's own sentence for
 * the code: the sentence, then the catalogue's sentence on the data behind
 * it, or else the values it read in brackets ("the term asked for is outside
 * ... (term_in_range = false)"). Without one: the values, then the
 * catalogue's sentence. */
static void policy_reason_text(const ph_policy *policy, const ph_policy_reason *r, FILE *out)
{
    const char *words = ph_policy_reason_words(policy, r->code);
    if (r->n_read == 0) {
        const char *text = words ? words : ph_policy_own_reason_text(r->code, NULL);
        fputs(text ? text : "", out);
        return;
    }
    char sentence[256]; /* always suffices (features.h) */
    int has_sentence = catalogue_sentence(r, sentence, sizeof(sentence));
    if (words != NULL) {
        fputs(words, out);
        if (has_sentence) {
            fprintf(out, ": %s", sentence);
        } else {
            fputs(" (", out);
            read_values_text(r, out);
            fputc(')', out);
        }
        return;
    }
    read_values_text(r, out);
    if (has_sentence)
        fprintf(out, ": %s", sentence);
}

/* Whether `feed` (n bytes) is one of the feeds of `list` ("a, b"). */
static int feed_listed(const char *list, const char *feed, size_t n)
{
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ", ");
        if (len == n && memcmp(p, feed, n) == 0)
            return 1;
        p += len;
        p += strspn(p, ", ");
    }
    return 0;
}

/* Whether market facts `a` and `b` are read from a feed in common: with
 * both missing, the same data is missing. */
static int same_feed(const char *a, const char *b)
{
    long ia = ph_market_fact_index(a), ib = ph_market_fact_index(b);
    const char *sa = ia >= 0 ? ph_market_fact_sources((size_t)ia) : NULL;
    const char *sb = ib >= 0 ? ph_market_fact_sources((size_t)ib) : NULL;
    for (const char *p = sa; p && sb && *p;) {
        size_t len = strcspn(p, ", ");
        if (len > 0 && feed_listed(sb, p, len))
            return 1;
        p += len;
        p += strspn(p, ", ");
    }
    return 0;
}

/* Whether missing value `name`, read by a reason, explains why `target`
 * ("limit" or "rate") could not be computed: the target is computed from
 * it, or from another value that is missing too and comes from the same
 * feed ("no data on days with incoming payments" explains a limit sized on
 * the average inflow). */
static int explains_target(const ph_policy *policy, const ph_policy_outcome *o,
                           const char *name, const char *target)
{
    if (ph_policy_feeds(policy, name, target))
        return 1;
    for (size_t v = 0; v < ph_policy_value_count(policy); v++) {
        const char *other = ph_policy_value_name(policy, v);
        if (o->values[v].kind == PH_VALUE_NULL && ph_policy_feeds(policy, other, target) &&
            same_feed(name, other))
            return 1;
    }
    return 0;
}

/* Whether a reason of the outcome read a missing (null) value that explains
 * why `target` could not be computed. */
static int missing_explains(const ph_policy *policy, const ph_policy_outcome *o,
                            const char *target)
{
    for (size_t i = 0; i < o->n_reasons; i++) {
        const ph_policy_reason *r = &o->reasons[i];
        for (size_t k = 0; k < r->n_read; k++)
            if (r->read_values[k].kind == PH_VALUE_NULL &&
                explains_target(policy, o, r->read_names[k], target))
                return 1;
    }
    return 0;
}

/* Whether `r` is the outcome's own consequence code (LIMIT_MISSING,
 * RATE_MISSING) and a reason naming the missing data behind it is listed. */
static int explained_consequence(const ph_policy *policy, const ph_policy_outcome *o,
                                 const ph_policy_reason *r)
{
    int consequence = 0;
    if (ph_policy_own_reason_text(r->code, &consequence) == NULL || !consequence)
        return 0;
    const char *target = strcmp(r->code, "RATE_MISSING") == 0 ? "rate" : "limit";
    return missing_explains(policy, o, target);
}

/* Add a reason: the code (after `prefix`) and the text, both held whole.
 * The text is what a firm reads for policy_reason (of `policy`) when it is not NULL,
 * else `text`. */
static ph_status add_reason(market_decision *d, const char *prefix, const char *code,
                            const ph_policy *policy, const ph_policy_reason *policy_reason,
                            const char *text, ph_error *err)
{
    if (d->n_reasons >= PH_QUOTE_MAX_REASONS)
        return PH_OK; /* a quote shows the first PH_QUOTE_MAX_REASONS */
    market_reason *q = &d->reasons[d->n_reasons];
    char *words = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&words, &n);
    if (mem != NULL) {
        if (policy_reason != NULL)
            policy_reason_text(policy, policy_reason, mem);
        else
            fprintf(mem, "%s", text ? text : "");
        if (fclose(mem) != 0) {
            free(words);
            words = NULL;
        }
    }
    size_t len = strlen(prefix) + strlen(code) + 1;
    char *full = words != NULL ? malloc(len) : NULL;
    if (full == NULL) {
        free(words);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a reason");
    }
    snprintf(full, len, "%s%s", prefix, code);
    q->code = full;
    q->text = words;
    d->n_reasons++;
    return PH_OK;
}

/* Whether `feature` is read by one of the policy reasons listed. */
static int policy_reads(const ph_policy_outcome *o, const char *feature)
{
    for (size_t i = 0; i < o->n_reasons; i++)
        for (size_t k = 0; k < o->reasons[i].n_read; k++)
            if (strcmp(o->reasons[i].read_names[k], feature) == 0)
                return 1;
    return 0;
}

/* The policy's reasons, then the model's adverse reasons until there are at
 * least three distinct ones (docs/domain.md#credit-assessment: a decline gets
 * three concrete reasons). A consequence of missing data (LIMIT_MISSING,
 * RATE_MISSING) is left out when a reason reads a missing value the limit
 * or rate is computed from, or one of the same feed as such a missing value
 * (it stays in the trace); a model reason on a feature a policy reason
 * already reads would say the same thing twice, so it is skipped too. */
static ph_status explain(market_side *side, const ph_policy_outcome *o, market_decision *d,
                         ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < o->n_reasons; i++) {
        if (explained_consequence(side->policy, o, &o->reasons[i]))
            continue;
        st = add_reason(d, "", o->reasons[i].code, side->policy, &o->reasons[i], NULL,
                        err);
    }
    if (st != PH_OK || d->n_reasons >= MARKET_MIN_REASONS || side->bind.model == NULL)
        return st;
    ph_reason model_reasons[PH_QUOTE_MAX_REASONS];
    size_t n = 0;
    st = ph_model_reasons_row(side->bind.model, side->bind.x, PH_QUOTE_MAX_REASONS,
                              model_reasons, &n, err);
    for (size_t i = 0; st == PH_OK && i < n && d->n_reasons < MARKET_MIN_REASONS; i++)
        if (!policy_reads(o, model_reasons[i].name))
            st = add_reason(d, "MODEL:", model_reasons[i].code, NULL, NULL,
                            model_reasons[i].text, err);
    return st;
}

/* ---- JSON of a decision -------------------------------------------------------------------- */

ph_status market_trace_json(const ph_policy *policy, const ph_policy_run *run, char **out,
                            ph_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a trace");
    ph_status st = ph_policy_trace_write_json(policy, run, mem, err);
    if (fclose(mem) != 0 && st == PH_OK)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a trace");
    if (st != PH_OK) {
        free(buf);
        return st;
    }
    *out = buf; /* malloc'd by open_memstream: freed with free() */
    return PH_OK;
}

static ph_status reasons_json(const market_decision *d, char **out, ph_error *err)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < d->n_reasons; i++) {
        json_t *o = json_pack("{s:s, s:s}", "code", d->reasons[i].code, "text",
                              d->reasons[i].text);
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    *out = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
    json_decref(arr);
    return *out ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for reasons");
}

/* ---- pricing an approval ---------------------------------------------------------------------- */

static ph_money fact_money(const market_facts *f, size_t fact)
{
    ph_money fen = 0;
    double yuan = market_fact_number(f, fact); /* a feature fact: NaN when null */
    if (f->v[fact].kind != PH_VALUE_DECIMAL || ph_money_from_yuan_double(yuan, &fen, NULL) != PH_OK)
        fen = 0;
    return fen < 0 ? 0 : fen;
}

static int fact_true(const market_facts *f, size_t fact)
{
    return f->v[fact].kind == PH_VALUE_BOOL && f->v[fact].as.boolean;
}

/* The policy's optional "upfront_fee" value (yuan), charged at drawdown. */
static ph_money upfront_fee(const market_side *side, const ph_policy_outcome *o)
{
    long i = side->upfront_fee_value;
    ph_money fen = 0;
    if (i >= 0 && o->values[i].kind == PH_VALUE_DECIMAL &&
        ph_decimal_to_money(o->values[i].as.decimal, PH_ROUND_HALF_UP, &fen, NULL) != PH_OK)
        fen = 0;
    return fen < 0 ? 0 : fen;
}

static ph_status price(const ph_market *m, market_side *side, const ph_application *app,
                       const market_facts *f, ph_rate lpr, const ph_policy_outcome *o,
                       market_decision *d, ph_error *err)
{
    d->offer = app->amount < o->limit ? app->amount : o->limit;
    memset(&d->subsidy, 0, sizeof(d->subsidy));
    ph_status st = PH_OK;
    if (m->programme != NULL) {
        ph_subsidy_firm firm = {0};
        firm.existing_credit = fact_money(f, m->loan_balance_fact);
        firm.size_class = f->v[FACT_SIZE_CLASS].kind == PH_VALUE_TEXT ? f->text[FACT_SIZE_CLASS]
                                                                      : NULL;
        firm.green = fact_true(f, FACT_GREEN);
        firm.tech = fact_true(f, FACT_TECH);
        firm.first_loan = fact_true(f, FACT_FIRST_LOAN);
        st = ph_subsidy_apply(m->programme, &firm, d->offer, o->rate, lpr, &d->subsidy, err);
    }
    if (st != PH_OK)
        return st;
    ph_loan_terms terms = {0};
    terms.amount = d->offer;
    terms.term_months = app->term;
    terms.repayment = side->repayment;
    terms.rate = o->rate;
    terms.upfront_fee = upfront_fee(side, o);
    terms.subsidy_rate = d->subsidy.subsidy_rate;
    terms.award = d->subsidy.award_to_enterprise ? d->subsidy.first_loan_award : 0;
    return ph_loan_cost_compute(&terms, &d->cost, err);
}

/* ---- one decision ------------------------------------------------------------------------------ */

ph_status market_decide(const ph_market *m, market_side *side, const ph_application *app,
                        const market_facts *f, ph_rate lpr, market_decision *d, ph_error *err)
{
    ph_status st = market_score(&side->bind, f, &d->score, &d->pd, err);
    if (st != PH_OK)
        return st;
    market_fill_inputs(&side->bind, f, d->score, d->pd);
    ph_policy_outcome o;
    st = ph_policy_eval(side->policy, side->run, side->bind.inputs, &o, err);
    if (st != PH_OK)
        return st;
    d->approved = o.approved;
    d->has_limit = o.has_limit;
    d->limit = o.limit;
    d->has_rate = o.has_rate;
    d->rate = o.rate;
    if (o.approved)
        st = price(m, side, app, f, lpr, &o, d, err);
    else
        st = explain(side, &o, d, err);
    if (st == PH_OK)
        st = market_trace_json(side->policy, side->run, &d->trace, err);
    if (st == PH_OK)
        st = market_inputs_to_json(side->policy, side->bind.inputs, &d->inputs, err);
    if (st == PH_OK)
        st = reasons_json(d, &d->reasons_json, err);
    return st;
}

void market_decision_clear(market_decision *d)
{
    for (size_t i = 0; i < d->n_reasons; i++) {
        free(d->reasons[i].code);
        free(d->reasons[i].text);
    }
    d->n_reasons = 0;
    free(d->trace);
    free(d->inputs);
    free(d->reasons_json);
    d->trace = d->inputs = d->reasons_json = NULL;
}
