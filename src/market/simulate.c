/*
 * Simulating a policy version over stored applications: what would have
 * happened had this version decided them. Each application's stored facts
 * are run through the version (and the model it names), and the outcome is
 * compared with the decision the firm was served. Nothing is stored.
 */
#include "market_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "puhui/registry.h"
#include "puhui/policy_store.h"

/* A loaded version ready to evaluate. */
typedef struct sim_policy {
    ph_policy *policy;
    ph_model *model;
    ph_policy_run *run;
    market_binding bind;
    int bound;
} sim_policy;

static ph_status sim_open(ph_store *store, const char *lender, const char *name,
                          int64_t version, sim_policy *s, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    memset(s, 0, sizeof(*s));
    ph_status st = ph_policy_store_get(store, lender, name, version, &s->policy, NULL, err);
    char model[96] = "";
    int64_t model_version = 0;
    const char *ref = st == PH_OK ? ph_policy_model(s->policy) : NULL;
    if (ref != NULL) {
        st = market_model_ref(ref, model, sizeof(model), &model_version, err);
        if (st == PH_OK)
            st = ph_registry_load_approved(store, model, model_version, &s->model, err);
    }
    if (st == PH_OK)
        st = market_bind(ctx, s->policy, s->model, model, model_version, &s->bind, err);
    s->bound = st == PH_OK;
    if (st == PH_OK)
        st = ph_policy_run_new(s->policy, &s->run, err);
    return st;
}

static void sim_close(const ph_ctx *ctx, sim_policy *s)
{
    ph_policy_run_free(s->run);
    if (s->bound)
        market_binding_free(ctx, &s->bind);
    ph_model_free(s->model);
    ph_policy_free(s->policy);
}

/* PD x LGD x amount in fen, rounded once (a projection, not a balance). */
static ph_money expected_loss(double pd, ph_rate lgd, ph_money amount)
{
    if (isnan(pd) || amount <= 0)
        return 0;
    return (ph_money)llround(pd * ((double)lgd / (double)PH_RATE_ONE) * (double)amount);
}

typedef struct sim_row {
    int64_t application_id, decision_id;
    char uscc[24];
    ph_money requested;
    int approved;
    ph_money offer, limit;
    ph_rate rate;
    double pd;
} sim_row;

static void read_row(ph_stmt *stmt, sim_row *r)
{
    r->application_id = ph_stmt_column_int64(stmt, 0);
    r->decision_id = ph_stmt_column_int64(stmt, 1);
    snprintf(r->uscc, sizeof(r->uscc), "%s", ph_stmt_column_text(stmt, 2));
    r->requested = ph_stmt_column_int64(stmt, 3);
    r->approved = (int)ph_stmt_column_int64(stmt, 4);
    r->offer = ph_stmt_column_int64(stmt, 5);
    r->limit = ph_stmt_column_int64(stmt, 6);
    r->rate = ph_stmt_column_int64(stmt, 7);
    r->pd = ph_stmt_column_is_null(stmt, 8) ? NAN : ph_stmt_column_double(stmt, 8);
}

/* Evaluate one stored application under the simulated version and add it up. */
static ph_status simulate_row(sim_policy *s, const sim_row *row, const char *facts_json,
                              market_facts *facts, ph_rate lgd, ph_simulation *out,
                              ph_simulation_fn fn, void *user, ph_error *err)
{
    ph_status st = market_facts_from_json(facts_json, facts, err);
    double score = NAN, pd = NAN;
    if (st == PH_OK)
        st = market_score(&s->bind, facts, &score, &pd, err);
    ph_policy_outcome o;
    if (st == PH_OK) {
        market_fill_inputs(&s->bind, facts, score, pd);
        st = ph_policy_eval(s->policy, s->run, s->bind.inputs, &o, err);
    }
    if (st != PH_OK)
        return st;
    ph_money new_offer = o.approved ? (row->requested < o.limit ? row->requested : o.limit) : 0;
    out->applications++;
    out->old_approved += row->approved;
    out->new_approved += o.approved;
    out->old_offered += row->approved ? row->offer : 0;
    out->new_offered += new_offer;
    out->old_expected_loss += row->approved ? expected_loss(row->pd, lgd, row->offer) : 0;
    out->new_expected_loss += expected_loss(pd, lgd, new_offer);
    int changed = o.approved != row->approved ||
                  (o.approved && (o.limit != row->limit || o.rate != row->rate));
    if (!changed)
        return PH_OK;
    out->changed++;
    if (fn == NULL)
        return PH_OK;
    ph_simulated_change c;
    memset(&c, 0, sizeof(c));
    c.application_id = row->application_id;
    c.decision_id = row->decision_id;
    c.uscc = row->uscc;
    c.old_approved = row->approved;
    c.new_approved = o.approved;
    c.old_limit = row->approved ? row->limit : 0;
    c.new_limit = o.approved ? o.limit : 0;
    c.old_rate = row->approved ? row->rate : 0;
    c.new_rate = o.approved ? o.rate : 0;
    c.new_reason = !o.approved && o.n_reasons > 0 ? o.reasons[0].code : "";
    return fn(user, &c, err);
}

ph_status ph_market_simulate(ph_store *store, const char *lender, const char *name,
                             int64_t version, ph_date from, ph_date to, ph_rate lgd,
                             ph_simulation_fn fn, void *user, ph_simulation *out,
                             ph_error *err)
{
    if (store == NULL || lender == NULL || name == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_simulate: NULL argument");
    if (lgd <= 0 || lgd > PH_RATE_ONE)
        return ph_error_set(err, PH_EINVAL, "lgd", NULL,
                            "expected a loss given default above 0 and at most 100%%");
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_status st = market_check_schema(store, err);
    sim_policy s;
    memset(&s, 0, sizeof(s));
    if (st == PH_OK)
        st = sim_open(store, lender, name, version, &s, err);
    market_facts *facts = ph_malloc(ctx, sizeof(*facts));
    if (st == PH_OK && facts == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(
            store,
            "SELECT a.id, d.id, a.uscc, a.amount_fen, d.approved, coalesce(d.offer_fen, 0), "
            "coalesce(d.limit_fen, 0), coalesce(d.rate, 0), d.pd, a.facts FROM decision d "
            "JOIN application a ON a.id = d.application_id WHERE d.served = 1 AND "
            "d.lender = ?1 AND d.policy_name = ?2 AND a.asof BETWEEN ?3 AND ?4 ORDER BY a.id",
            &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, name, -1, err);
    if (st == PH_OK)
        st = market_bind_period(stmt, 3, from, to, err);
    ph_simulation sum;
    memset(&sum, 0, sizeof(sum));
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        sim_row row;
        read_row(stmt, &row);
        st = simulate_row(&s, &row, ph_stmt_column_text(stmt, 9), facts, lgd, &sum, fn, user,
                          err);
    }
    ph_stmt_free(stmt);
    ph_free(ctx, facts);
    sim_close(ctx, &s);
    if (st != PH_DONE)
        return st;
    *out = sum;
    return PH_OK;
}
