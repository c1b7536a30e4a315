/*
 * Replaying a stored decision: the stored facts, the stored policy version
 * (its checksum must be the one the decision recorded) and the model version
 * that scored it, run again; the score, PD, outcome and the whole trace must
 * come out identical, byte for byte.
 */
#include "market_decide.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/registry.h"
#include "puhui/policy_store.h"

/* The stored decision, copied out of the statement. */
typedef struct stored_decision {
    char *lender, *name, *model; /* ph_malloc'd, whole; model NULL without one */
    char checksum[65];
    int64_t version, model_version;
    int has_model;
    double score, pd;
    int approved, has_limit, has_rate;
    int64_t limit, rate;
    char *trace, *facts; /* ph_malloc'd */
} stored_decision;

static double column_or_nan(ph_stmt *stmt, int col)
{
    return ph_stmt_column_is_null(stmt, col) ? NAN : ph_stmt_column_double(stmt, col);
}

static ph_status read_decision(ph_store *store, int64_t id, stored_decision *d, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT d.lender, d.policy_name, d.policy_version, d.policy_checksum, d.model, "
        "d.model_version, d.score, d.pd, d.approved, d.limit_fen, d.rate, d.trace, a.facts "
        "FROM decision d JOIN application a ON a.id = d.application_id WHERE d.id = ?",
        &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)id);
        st = ph_error_set(err, PH_ENOTFOUND, "decision", v, "no decision with that id");
    }
    if (st == PH_OK) {
        d->lender = ph_strdup(ctx, ph_stmt_column_text(stmt, 0));
        d->name = ph_strdup(ctx, ph_stmt_column_text(stmt, 1));
        d->version = ph_stmt_column_int64(stmt, 2);
        snprintf(d->checksum, sizeof(d->checksum), "%s", ph_stmt_column_text(stmt, 3));
        d->has_model = !ph_stmt_column_is_null(stmt, 4);
        if (d->has_model)
            d->model = ph_strdup(ctx, ph_stmt_column_text(stmt, 4));
        d->model_version = ph_stmt_column_int64(stmt, 5);
        d->score = column_or_nan(stmt, 6);
        d->pd = column_or_nan(stmt, 7);
        d->approved = (int)ph_stmt_column_int64(stmt, 8);
        d->has_limit = !ph_stmt_column_is_null(stmt, 9);
        d->limit = ph_stmt_column_int64(stmt, 9);
        d->has_rate = !ph_stmt_column_is_null(stmt, 10);
        d->rate = ph_stmt_column_int64(stmt, 10);
        d->trace = ph_strdup(ctx, ph_stmt_column_text(stmt, 11));
        d->facts = ph_strdup(ctx, ph_stmt_column_text(stmt, 12));
        if (d->trace == NULL || d->facts == NULL || d->lender == NULL || d->name == NULL ||
            (d->has_model && d->model == NULL))
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    ph_stmt_free(stmt);
    return st;
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof(a)) == 0;
}

/* Compare what the replay produced with what was stored. */
static void compare(const stored_decision *d, double score, double pd,
                    const ph_policy_outcome *o, const char *trace, ph_replay_report *r)
{
    r->trace_bytes = strlen(trace);
    if (!same_double(score, d->score))
        snprintf(r->difference, sizeof(r->difference), "score %.17g, stored %.17g", score,
                 d->score);
    else if (!same_double(pd, d->pd))
        snprintf(r->difference, sizeof(r->difference), "pd %.17g, stored %.17g", pd, d->pd);
    else if (o->approved != d->approved || o->has_limit != d->has_limit ||
             (o->has_limit && o->limit != d->limit) || o->has_rate != d->has_rate ||
             (o->has_rate && o->rate != d->rate))
        snprintf(r->difference, sizeof(r->difference),
                 "outcome approved %d limit %lld rate %lld, stored approved %d limit %lld "
                 "rate %lld",
                 o->approved, (long long)o->limit, (long long)o->rate, d->approved,
                 (long long)d->limit, (long long)d->rate);
    else if (strcmp(trace, d->trace) != 0) {
        size_t i = 0;
        while (trace[i] && trace[i] == d->trace[i])
            i++;
        snprintf(r->difference, sizeof(r->difference),
                 "the trace differs from byte %zu: \"%.40s\" against the stored \"%.40s\"", i,
                 trace + i, d->trace + i);
    }
    r->identical = r->difference[0] == '\0';
}

/* Load the policy and model, bind, score, evaluate, compare. */
static ph_status rerun(ph_store *store, const stored_decision *d, ph_replay_report *r,
                       ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_policy *policy = NULL;
    ph_policy_entry *entry = NULL;
    ph_model *model = NULL;
    ph_policy_run *run = NULL;
    market_binding bind;
    int bound = 0;
    market_facts *facts = ph_malloc(ctx, sizeof(*facts));
    char *trace = NULL;
    ph_status st = facts ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = ph_policy_store_get(store, d->lender, d->name, d->version, &policy, &entry, err);
    if (st == PH_OK && strcmp(entry->checksum, d->checksum) != 0)
        st = ph_error_set(err, PH_ESTORE, "policy", d->name,
                          "version %lld is stored with checksum %.12s but the decision "
                          "recorded %.12s",
                          (long long)d->version, entry->checksum, d->checksum);
    if (st == PH_OK && d->has_model)
        st = ph_registry_load_decided(store, d->model, d->model_version, &model, err);
    if (st == PH_OK)
        st = market_bind(ctx, policy, model, d->model, d->model_version, &bind, err);
    bound = st == PH_OK;
    if (st == PH_OK)
        st = market_facts_from_json(d->facts, facts, err);
    double score = NAN, pd = NAN;
    if (st == PH_OK)
        st = market_score(&bind, facts, &score, &pd, err);
    ph_policy_outcome o;
    if (st == PH_OK) {
        market_fill_inputs(&bind, facts, score, pd);
        st = ph_policy_run_new(policy, &run, err);
    }
    if (st == PH_OK)
        st = ph_policy_eval(policy, run, bind.inputs, &o, err);
    if (st == PH_OK)
        st = market_trace_json(policy, run, &trace, err);
    if (st == PH_OK)
        compare(d, score, pd, &o, trace, r);
    free(trace);
    ph_policy_run_free(run);
    if (bound)
        market_binding_free(ctx, &bind);
    ph_model_free(model);
    ph_policy_entry_free(entry);
    ph_policy_free(policy);
    ph_free(ctx, facts);
    return st;
}

ph_status ph_market_replay(ph_store *store, int64_t decision_id, ph_replay_report *out,
                           ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_replay: NULL argument");
    ph_status st = market_check_schema(store, err);
    if (st != PH_OK)
        return st;
    stored_decision d;
    memset(&d, 0, sizeof(d));
    ph_replay_report r;
    memset(&r, 0, sizeof(r));
    r.decision_id = decision_id;
    st = read_decision(store, decision_id, &d, err);
    if (st == PH_OK)
        st = rerun(store, &d, &r, err);
    char *owned[] = {d.trace, d.facts, d.lender, d.name, d.model};
    for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
        ph_free(ph_store_ctx(store), owned[i]);
    if (st == PH_OK)
        *out = r;
    return st;
}

ph_status ph_market_decision_trace(ph_store *store, int64_t decision_id, char **out,
                                   ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_decision_trace: NULL store or out");
    *out = NULL;
    ph_status st = market_check_schema(store, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "SELECT trace FROM decision WHERE id = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, decision_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "decision", NULL, "no decision %lld",
                          (long long)decision_id);
    if (st == PH_OK) {
        *out = ph_strdup(ph_store_ctx(store), ph_stmt_column_text(stmt, 0));
        if (*out == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a trace");
    }
    ph_stmt_free(stmt);
    return st;
}
