/*
 * Storing an application and every decision taken on it, in one
 * transaction: either the firm's application is on record with all its
 * lenders' decisions, or nothing is.
 */
#include "market_decide.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static ph_status bind_double_or_null(ph_stmt *s, int i, double x, ph_error *err)
{
    return isnan(x) ? ph_stmt_bind_null(s, i, err) : ph_stmt_bind_double(s, i, x, err);
}

static ph_status bind_int_or_null(ph_stmt *s, int i, int present, int64_t v, ph_error *err)
{
    return present ? ph_stmt_bind_int64(s, i, v, err) : ph_stmt_bind_null(s, i, err);
}

static ph_status insert_application(ph_market *m, const ph_application *app, ph_date asof,
                                   ph_rate lpr, const char *facts, const char *not_asked,
                                   const char *now, int64_t *id, ph_error *err)
{
    char rate[PH_RATE_FORMAT_MAX], day[PH_DATE_FORMAT_MAX];
    ph_status st = ph_rate_format_percent(lpr, rate, sizeof(rate), err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(m->store,
                              "INSERT INTO application (uscc, amount_fen, term, purpose, "
                              "guarantor, asof, lpr, subsidy_programme_id, facts, not_asked, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "RETURNING id",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, app->uscc, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, app->amount, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 3, app->term, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, app->purpose, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 5, app->guarantor, err);
    if (st == PH_OK)
        st = ph_date_format(asof, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 6, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 7, rate, -1, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, 8, m->programme != NULL, m->programme_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 9, facts, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 10, not_asked, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 11, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(s, id, err);
    ph_stmt_free(s);
    return st;
}

static ph_status insert_decision(ph_market *m, int64_t application_id, market_decision *d,
                                 const char *now, ph_error *err)
{
    const market_side *side = d->side;
    const ph_policy *p = side->policy;
    int priced = d->approved;
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        m->store,
        "INSERT INTO decision (application_id, lender, policy_name, policy_version, "
        "policy_checksum, role, served, model, model_version, score, pd, approved, limit_fen, "
        "rate, offer_fen, subsidy_rate, award_fen, apr, net_apr, reasons, inputs, trace, "
        "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        &s, err);
    int i = 1;
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, application_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, ph_policy_lender(p), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, ph_policy_name(p), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, ph_policy_version(p), err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, side->checksum, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, d->challenger ? "challenger" : "champion", -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, d->served, err);
    if (st == PH_OK)
        st = side->bind.model ? ph_stmt_bind_text(s, i++, side->bind.model_name, -1, err)
                              : ph_stmt_bind_null(s, i++, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, side->bind.model != NULL, side->bind.model_version, err);
    if (st == PH_OK)
        st = bind_double_or_null(s, i++, d->score, err);
    if (st == PH_OK)
        st = bind_double_or_null(s, i++, d->pd, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, d->approved, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, d->has_limit, d->limit, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, d->has_rate, d->rate, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, priced, d->offer, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, priced, d->subsidy.subsidy_rate, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, priced,
                              d->subsidy.award_to_enterprise ? d->subsidy.first_loan_award : 0,
                              err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, priced, d->cost.apr, err);
    if (st == PH_OK)
        st = bind_int_or_null(s, i++, priced, d->cost.net_apr, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, d->reasons_json, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, d->inputs, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, d->trace, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(s, &d->id, err);
    ph_stmt_free(s);
    return st;
}

ph_status market_record(ph_market *m, const ph_application *app, ph_date asof, ph_rate lpr,
                        const char *facts_json, const char *not_asked_json,
                        market_decision *decisions, size_t n, int64_t *application_id,
                        ph_error *err)
{
    char now[PH_UTC_MAX];
    ph_status st = ph_ctx_utc_now(m->ctx, now, err);
    if (st == PH_OK)
        st = ph_store_begin(m->store, err);
    if (st != PH_OK)
        return st;
    int64_t id = 0;
    st = insert_application(m, app, asof, lpr, facts_json, not_asked_json, now, &id, err);
    for (size_t i = 0; st == PH_OK && i < n; i++)
        st = insert_decision(m, id, &decisions[i], now, err);
    st = market_finish(m->store, st, err);
    if (st != PH_OK) {
        for (size_t i = 0; i < n; i++)
            decisions[i].id = 0;
        return st;
    }
    *application_id = id;
    return PH_OK;
}
