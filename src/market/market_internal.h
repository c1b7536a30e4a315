/*
 * Inside the marketplace: the facts of one application, how a policy's
 * inputs and a model's features are bound to them, and the rows stored.
 */
#ifndef PH_MARKET_INTERNAL_H
#define PH_MARKET_INTERNAL_H

#include <jansson.h>

#include "puhui/access.h"
#include "puhui/features.h"
#include "puhui/market.h"
#include "puhui/model.h"
#include "puhui/policy.h"

#define MARKET_SCHEMA 8

/* The facts that are not catalogue features, in this order; the catalogue
 * features follow them (fact MARKET_BASE_FACTS + i is feature i). */
enum {
    FACT_AMOUNT, FACT_TERM, FACT_PURPOSE, FACT_GUARANTOR, FACT_MONTH, FACT_LPR,
    FACT_BUSINESS_STATUS, FACT_INDUSTRY_SECTION, FACT_INDUSTRY_CODE, FACT_REGION_CODE,
    FACT_SIZE_CLASS, FACT_ENTITY_TYPE, FACT_TAX_GRADE, FACT_COURT_ENFORCEMENT,
    FACT_FRAUD_FLAG, FACT_AVG_INFLOW_12M, FACT_ANNUAL_DEBT_SERVICE, FACT_GREEN, FACT_TECH,
    FACT_FIRST_LOAN,
    MARKET_BASE_FACTS
};
#define MARKET_FACTS (MARKET_BASE_FACTS + PH_FEATURE_COUNT)
#define MARKET_TEXT_MAX 48

/* Everything the platform knows about one application. Text values point
 * into `text`, so a facts struct is copied with market_facts_copy only. */
typedef struct market_facts {
    ph_value v[MARKET_FACTS];
    char text[MARKET_FACTS][MARKET_TEXT_MAX];
} market_facts;

/* Binding input/feature slots to facts: >= 0 a fact index, or one of these. */
enum { BIND_SCORE = -1, BIND_PD = -2 };

/* A policy bound to the facts, with its model. */
typedef struct market_binding {
    const ph_policy *policy;
    long *input_fact;           /* per policy input: fact index or BIND_* */
    const ph_model *model;      /* NULL when the policy reads no score/pd */
    char model_name[96];
    int64_t model_version;
    long *feature_fact;         /* per model feature: fact index */
    double *x;                  /* scratch: one row of model features */
    ph_value *inputs;           /* scratch: the policy's inputs */
    ph_source_set sources;      /* the feeds the policy and model read */
} market_binding;

/* A model the market loaded once, shared by the policies naming it. */
typedef struct market_model {
    char ref[128];  /* as the policy names it: "NAME" or "NAME@V" */
    char name[96];
    int64_t version; /* the version that loaded */
    ph_model *model;
} market_model;

/* One policy version ready to decide: champion or challenger. */
typedef struct market_side {
    ph_policy *policy;
    int64_t id;              /* its row in the policy table */
    char checksum[65];
    ph_policy_run *run;
    market_binding bind;
    int bound;
    ph_repayment repayment;
    long upfront_fee_value;  /* the policy's optional "upfront_fee" value, or -1 */
} market_side;

typedef struct market_lender {
    char *id;                /* the institution id, whole (the market's allocation) */
    char *name;              /* its registered name, else the id (owned) */
    market_side champion, challenger;
    int has_challenger;
    char broken[PH_ERROR_MESSAGE_MAX]; /* why the policy cannot run; "" when it can */
    int64_t share_bp;        /* of applications the challenger serves */
} market_lender;

struct ph_market {
    ph_store *store;
    const ph_ctx *ctx;
    market_lender *lenders;
    size_t n;
    market_model *models;
    size_t n_models;
    ph_subsidy_programme *programme; /* NULL: none in force */
    int64_t programme_id;
    size_t loan_balance_fact; /* the firm's existing credit, for the subsidy tier */
    ph_source_set stored_need[MARKET_FACTS]; /* market_facts_stored_need */
};

/* The answer to one application (market.h): the quotes and every string
 * they point to are the result's, allocated with ctx. */
struct ph_market_result {
    const ph_ctx *ctx;
    int64_t application_id;
    ph_date asof;
    ph_rate lpr;
    size_t n_quotes;
    ph_quote *quotes;   /* offers by net APR, then declines, then lenders not asked */
    size_t n_offers;
};

/* facts.c: an application's facts in two steps, so that no feed is read
 * before a lender's consent to it is checked. First the registration on
 * asof (PH_ENOTFOUND field "enterprise" when the firm was not registered by
 * then), which the appetite match needs, and the application's own facts;
 * the features and the facts derived from them are null. */
ph_status market_facts_gather_registration(ph_store *store, const ph_application *app,
                                           ph_date asof, ph_rate lpr, market_facts *out,
                                           ph_error *err);
/* Then, once a lender that reads the firm's feeds has its consent: the
 * catalogue features point in time and the facts derived from them. */
ph_status market_facts_gather_features(ph_store *store, const char *uscc, ph_date asof,
                                       market_facts *f, ph_error *err);
/* *out is malloc'd (free()). */
/* The feeds fact `fact` is read from (its catalogue sources). */
ph_status market_fact_source_set(size_t fact, ph_source_set *out, ph_error *err);
/* Per fact, the feeds a consent must cover for the fact to be stored with
 * an application: its sources, or none for the platform's own facts (the
 * appetite's registration, the subsidy's tests). Computed once per market. */
ph_status market_facts_stored_need(ph_source_set need[MARKET_FACTS], ph_error *err);
/* Nulls every fact whose `need` is not all within `granted`, so that the
 * stored facts hold only what some consented lender may see. */
void market_facts_withhold(market_facts *f, const ph_source_set need[MARKET_FACTS],
                           ph_source_set granted);
ph_status market_facts_to_json(const market_facts *f, char **out, ph_error *err);
ph_status market_facts_from_json(const char *json, market_facts *out, ph_error *err);
void market_facts_set_text(market_facts *f, size_t fact, const char *s);
/* A fact's value as a double for a model (NaN when null or not a decimal). */
double market_fact_number(const market_facts *f, size_t fact);

/* bind.c */
ph_status market_bind(const ph_ctx *ctx, const ph_policy *policy, const ph_model *model,
                      const char *model_name, int64_t model_version, market_binding *out,
                      ph_error *err);
void market_binding_free(const ph_ctx *ctx, market_binding *b);
/* Score the facts with the binding's model (score/pd NaN without one). */
ph_status market_score(market_binding *b, const market_facts *f, double *score, double *pd,
                       ph_error *err);
/* Fill b->inputs from the facts and the model outputs. */
void market_fill_inputs(market_binding *b, const market_facts *f, double score, double pd);
/* Split "NAME@V" into name and version (0 = latest approved). */
ph_status market_model_ref(const char *ref, char *name, size_t size, int64_t *version,
                           ph_error *err);

/* facts.c: a policy's inputs as one JSON object by name (decimals as
 * strings); *out is malloc'd (free()). */
ph_status market_inputs_to_json(const ph_policy *p, const ph_value *inputs, char **out,
                                ph_error *err);
/* One value as JSON (decimals as strings), NULL when out of memory. */
json_t *market_value_json(const ph_value *v);

/* market_store.c */
ph_status market_check_schema(ph_store *store, ph_error *err);
/* Start a write to the market's tables: the UTC time it is recorded at
 * into now, then the transaction (ended by market_finish). */
ph_status market_begin_write(ph_store *store, char now[PH_UTC_MAX], ph_error *err);
/* End a transaction: commit on success, else roll back; returns the status. */
ph_status market_finish(ph_store *store, ph_status st, ph_error *err);
/* End a unit (ph_store_begin_unit) whatever savepoints are still open in it:
 * commit on success (PH_EMISUSE and roll back when one is open), else roll
 * back all of it; returns the status. */
ph_status market_finish_unit(ph_store *store, ph_status st, ph_error *err);
/* Bind the period [from, to] (0: open ended) as ISO dates to parameters
 * `first` and first + 1 of `stmt`. */
ph_status market_bind_period(ph_stmt *stmt, int first, ph_date from, ph_date to,
                             ph_error *err);
/* The institution's registered name, or its id when it has none, whole
 * into *out (ph_free with the store's context); a failed read (out of
 * memory, the store) is returned, not taken for "none". */
ph_status market_institution_name(ph_store *store, const char *id, char **out, ph_error *err);

#endif
