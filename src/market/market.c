/*
 * Opening the marketplace: every lender's active policy (the champion), its
 * challenger if one is routed, the approved models they name (each loaded
 * once however many policies share it) and the subsidy programme in force.
 * Everything that could fail per application is checked here instead.
 */
#include "market_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/registry.h"
#include "puhui/policy_store.h"

/* The model NAME[@V] from the cache, loading it (approved only) on first use. */
static ph_status model_for(ph_market *m, const char *ref, market_model **out, ph_error *err)
{
    char name[96];
    int64_t version;
    ph_status st = market_model_ref(ref, name, sizeof(name), &version, err);
    if (st != PH_OK)
        return st;
    for (size_t i = 0; i < m->n_models; i++)
        if (strcmp(m->models[i].ref, ref) == 0) {
            *out = &m->models[i];
            return PH_OK;
        }
    market_model *grown = ph_realloc(m->ctx, m->models, (m->n_models + 1) * sizeof(*grown));
    if (grown == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening the market");
    m->models = grown;
    market_model *mm = &m->models[m->n_models];
    memset(mm, 0, sizeof(*mm));
    st = ph_registry_load_approved(m->store, name, version, &mm->model, err);
    if (st != PH_OK)
        return st;
    m->n_models++;
    snprintf(mm->ref, sizeof(mm->ref), "%s", ref);
    snprintf(mm->name, sizeof(mm->name), "%s", name);
    /* the version that loaded: the source is "registry:NAME@VERSION" */
    const char *at = strrchr(ph_model_source(mm->model), '@');
    mm->version = at ? strtoll(at + 1, NULL, 10) : version;
    *out = mm;
    return PH_OK;
}

/* Load LENDER / NAME at VERSION into one side (champion or challenger). */
static ph_status open_side(ph_market *m, const char *lender, const char *name, int64_t version,
                           market_side *side, ph_error *err)
{
    ph_policy_entry *entry = NULL;
    ph_status st = ph_policy_store_get(m->store, lender, name, version, &side->policy, &entry,
                                       err);
    if (st != PH_OK)
        return st;
    snprintf(side->checksum, sizeof(side->checksum), "%s", entry->checksum);
    side->id = entry->id;
    ph_policy_entry_free(entry);
    market_model *mm = NULL;
    const char *ref = ph_policy_model(side->policy);
    if (ref != NULL)
        st = model_for(m, ref, &mm, err);
    if (st == PH_OK)
        st = market_bind(m->ctx, side->policy, mm ? mm->model : NULL, mm ? mm->name : NULL,
                         mm ? mm->version : 0, &side->bind, err);
    if (st == PH_OK)
        side->bound = 1;
    if (st == PH_OK)
        st = ph_policy_run_new(side->policy, &side->run, err);
    if (st == PH_OK)
        side->upfront_fee_value = ph_policy_value_index(side->policy, "upfront_fee");
    const char *repayment = st == PH_OK ? ph_policy_product_of(side->policy)->repayment : "";
    if (st == PH_OK)
        st = ph_repayment_parse(repayment, strlen(repayment), &side->repayment, err);
    return st;
}

static void free_side(const ph_ctx *ctx, market_side *side)
{
    ph_policy_run_free(side->run);
    if (side->bound)
        market_binding_free(ctx, &side->bind);
    ph_policy_free(side->policy);
}

static ph_status read_challenger(ph_market *m, market_lender *l, const char *lender,
                                 const char *name, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(m->store, "SELECT version, share_bp FROM policy_challenger "
                                              "WHERE lender = ? AND name = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    int64_t version = 0;
    if (st == PH_OK) {
        version = ph_stmt_column_int64(stmt, 0);
        l->share_bp = ph_stmt_column_int64(stmt, 1);
    }
    ph_stmt_free(stmt);
    if (st == PH_DONE)
        return PH_OK;
    if (st == PH_OK) {
        st = open_side(m, lender, name, version, &l->challenger, err);
        l->has_challenger = st == PH_OK;
    }
    return st;
}

static ph_status add_lender(ph_market *m, const char *lender, const char *name,
                            int64_t version, ph_error *err)
{
    market_lender *grown = ph_realloc(m->ctx, m->lenders, (m->n + 1) * sizeof(*grown));
    if (grown == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening the market");
    m->lenders = grown;
    market_lender *l = &m->lenders[m->n++];
    memset(l, 0, sizeof(*l));
    l->id = ph_strdup(m->ctx, lender);
    if (l->id == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening the market");
    ph_error why;
    ph_error_clear(&why);
    ph_status st = market_institution_name(m->store, lender, &l->name, &why);
    if (st == PH_OK)
        st = open_side(m, lender, name, version, &l->champion, &why);
    if (st == PH_OK)
        st = read_challenger(m, l, lender, name, &why);
    if (st == PH_ENOMEM) {
        if (err != NULL)
            *err = why;
        return st;
    }
    if (st != PH_OK) {
        /* this lender cannot quote; the others still can */
        snprintf(l->broken, sizeof(l->broken), "%s", why.message[0] ? why.message
                                                                     : ph_status_name(st));
        l->has_challenger = 0;
    }
    return PH_OK;
}

/* Collect the active (lender, name, version) first: the walk's statement
 * must be finished before the policy store runs its own transactions.
 * The strings are the lender's and the policy's own, whatever their length. */
typedef struct active_row {
    char *lender, *name;
    int64_t version;
} active_row;

typedef struct active_rows {
    const ph_ctx *ctx;
    active_row *rows;
    size_t n;
} active_rows;

static ph_status collect_active(void *user, const ph_policy_entry *e, ph_error *err)
{
    active_rows *a = user;
    active_row *grown = ph_realloc(a->ctx, a->rows, (a->n + 1) * sizeof(*grown));
    if (grown == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening the market");
    a->rows = grown;
    active_row *r = &grown[a->n++];
    r->lender = ph_strdup(a->ctx, e->lender);
    r->name = ph_strdup(a->ctx, e->name);
    r->version = e->version;
    if (r->lender == NULL || r->name == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening the market");
    return PH_OK;
}

static void free_active(active_rows *a)
{
    for (size_t i = 0; i < a->n; i++) {
        ph_free(a->ctx, a->rows[i].lender);
        ph_free(a->ctx, a->rows[i].name);
    }
    ph_free(a->ctx, a->rows);
}

/* The newest subsidy programme, if any. */
static ph_status read_programme(ph_market *m, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(m->store, "SELECT id, document, file FROM subsidy_programme "
                                              "ORDER BY id DESC LIMIT 1", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK) {
        size_t len = 0;
        const void *doc = ph_stmt_column_blob(stmt, 1, &len);
        m->programme_id = ph_stmt_column_int64(stmt, 0);
        st = ph_subsidy_programme_load_text(m->ctx, doc ? doc : "", len,
                                            ph_stmt_column_text(stmt, 2), &m->programme, err);
    } else if (st == PH_DONE) {
        st = PH_OK;
    }
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_market_open(ph_store *store, ph_market **out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_open: NULL argument");
    ph_status st = market_check_schema(store, err);
    if (st != PH_OK)
        return st;
    ph_market *m = ph_calloc(ph_store_ctx(store), 1, sizeof(*m));
    if (m == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening the market");
    m->store = store;
    m->ctx = ph_store_ctx(store);
    m->loan_balance_fact = (size_t)ph_market_fact_index("loan_balance");
    active_rows active = {m->ctx, NULL, 0};
    st = market_facts_stored_need(m->stored_need, err);
    if (st == PH_OK)
        st = ph_policy_store_list_active(store, collect_active, &active, err);
    for (size_t i = 0; st == PH_OK && i < active.n; i++)
        st = add_lender(m, active.rows[i].lender, active.rows[i].name, active.rows[i].version,
                        err);
    free_active(&active);
    if (st == PH_OK)
        st = read_programme(m, err);
    if (st != PH_OK) {
        ph_market_free(m);
        return st;
    }
    *out = m;
    return PH_OK;
}

void ph_market_free(ph_market *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free_side(m->ctx, &m->lenders[i].champion);
        free_side(m->ctx, &m->lenders[i].challenger); /* also a half-opened one */
        ph_free(m->ctx, m->lenders[i].id);
        ph_free(m->ctx, m->lenders[i].name);
    }
    for (size_t i = 0; i < m->n_models; i++)
        ph_model_free(m->models[i].model);
    ph_free(m->ctx, m->models);
    ph_free(m->ctx, m->lenders);
    ph_subsidy_programme_free(m->programme);
    ph_free(m->ctx, m);
}

size_t ph_market_lender_count(const ph_market *m)
{
    return m ? m->n : 0;
}

const char *ph_market_lender_id(const ph_market *m, size_t i)
{
    return m && i < m->n ? m->lenders[i].id : NULL;
}

const char *ph_market_lender_error(const ph_market *m, size_t i)
{
    return m && i < m->n ? m->lenders[i].broken : NULL;
}
