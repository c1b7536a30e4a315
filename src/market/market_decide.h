/*
 * One decision of one policy version on one application (decide.c), as the
 * market stores it (record.c) and quotes it (apply.c).
 */
#ifndef PH_MARKET_DECIDE_H
#define PH_MARKET_DECIDE_H

#include "market_internal.h"

/* A decline gets at least this many reasons when the model can give them. */
#define MARKET_MIN_REASONS 3

/* A reason as the decision holds it: both strings malloc'd, whole. */
typedef struct market_reason {
    char *code, *text;
} market_reason;

typedef struct market_decision {
    const market_lender *lender;
    const market_side *side;
    int challenger;          /* 1: the challenger version's decision */
    int served;              /* 1: the decision the firm was given */
    double score, pd;        /* NaN without a model */
    int approved;
    int has_limit, has_rate;
    ph_money limit;
    ph_rate rate;
    ph_money offer;          /* approved: min(requested, limit) */
    ph_subsidy_result subsidy;
    ph_loan_cost cost;
    size_t n_reasons;
    market_reason reasons[PH_QUOTE_MAX_REASONS]; /* freed by market_decision_clear */
    char *inputs, *trace, *reasons_json; /* JSON text, malloc'd (free()) */
    int64_t id;              /* its row once recorded */
    size_t quote;            /* the index of its lender's quote in the result */
} market_decision;

/* Score, evaluate, explain and price; the JSON texts are filled. */
ph_status market_decide(const ph_market *m, market_side *side, const ph_application *app,
                        const market_facts *f, ph_rate lpr, market_decision *d, ph_error *err);
void market_decision_clear(market_decision *d);
/* The run's trace JSON (ph_policy_trace_write_json) as text, malloc'd. */
ph_status market_trace_json(const ph_policy *policy, const ph_policy_run *run, char **out,
                            ph_error *err);

/* record.c: store the application and its decisions in one transaction. */
ph_status market_record(ph_market *m, const ph_application *app, ph_date asof, ph_rate lpr,
                        const char *facts_json, const char *not_asked_json,
                        market_decision *decisions, size_t n, int64_t *application_id,
                        ph_error *err);

#endif
