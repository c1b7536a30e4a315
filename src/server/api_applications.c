/*
 * Applications, decisions and appeals over HTTP (docs/api.md; the
 * marketplace itself is market.h, docs/domain.md#decisions-and-the-marketplace).
 *
 * Tenancy: a firm's key acts for its own USCC only; a body naming another
 * USCC is refused with 403 (PH_EDENIED, field "uscc"), since it is the
 * caller's own claim and reveals nothing. A firm sees the decisions that
 * answered it (served), an institution the decisions its own policies took
 * (shadow outcomes of a challenger included) and the applications it
 * decided. A row of another tenant answers exactly as a missing one
 * (srv_refuse: 404, "no decision 42"), so existence is not leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_query.h"
#include "puhui/market.h"

/* ---- JSON of the stored rows ------------------------------------------------------------ */

/* The short form, in lists and inside an application. */
static json_t *decision_summary(const ph_market_decision *d)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:b, s:b, s:o, s:o, s:o, s:s}",
                     "decision_id", (json_int_t)d->id, "application_id",
                     (json_int_t)d->application_id, "uscc", d->uscc, "lender", d->lender,
                     "policy", d->policy, "policy_version", (json_int_t)d->policy_version,
                     "served", d->served, "approved", d->approved, "amount",
                     d->approved ? srv_json_money(d->amount) : json_null(), "rate",
                     d->approved && d->has_rate ? srv_json_rate(d->rate) : json_null(), "asof",
                     srv_json_date(d->asof), "decided_at", d->decided_at);
}

static json_t *appeal_json(const ph_appeal *a)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
                     "appeal_id", (json_int_t)a->id, "decision_id", (json_int_t)a->decision_id,
                     "application_id", (json_int_t)a->application_id, "uscc", a->uscc, "lender",
                     a->lender, "status", a->status, "grounds", a->grounds, "opened_at",
                     a->opened_at, "reviewer", srv_json_text_or_null(a->reviewer), "reason",
                     srv_json_text_or_null(a->reason), "decided_at",
                     srv_json_text_or_null(a->decided_at), "limit",
                     a->has_override ? srv_json_money(a->limit) : json_null(), "rate",
                     a->has_override ? srv_json_rate(a->rate) : json_null());
}

/* ---- ownership --------------------------------------------------------------------------- */

/* A firm owns the decisions that answered it; an institution the ones its
 * policies took. */
static int owns_decision(const srv_call *call, const ph_market_decision *d)
{
    if (call->who != NULL && call->who->role == SRV_ROLE_ENTERPRISE && !d->served)
        return 0;
    return srv_owns(call, d->uscc, d->lender);
}

/* A decision read for a handler: the detail, kept in JSON, and whether the
 * caller owns it. */
typedef struct decision_read {
    const srv_call *call;
    int owned;
    int with_detail;
    json_t *detail;
    char lender[128];
} decision_read;

static json_t *decision_detail(const ph_market_decision *d)
{
    json_t *reasons = json_array();
    for (size_t i = 0; reasons != NULL && i < d->n_reasons; i++)
        if (json_array_append_new(reasons, json_pack("{s:s, s:s}", "code", d->reasons[i].code,
                                                     "text", d->reasons[i].text)) != 0) {
            json_decref(reasons);
            reasons = NULL;
        }
    if (reasons == NULL)
        return NULL;
    int has_model = d->model[0] != '\0';
    return json_pack(
        "{s:I, s:I, s:s, s:s, s:s, s:I, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
        "s:o, s:o, s:o, s:s, s:n}",
        "decision_id", (json_int_t)d->id, "application_id", (json_int_t)d->application_id,
        "uscc", d->uscc, "lender", d->lender, "policy", d->policy, "policy_version",
        (json_int_t)d->policy_version, "served", d->served, "approved", d->approved, "limit",
        d->has_limit ? srv_json_money(d->limit) : json_null(), "amount",
        d->approved ? srv_json_money(d->amount) : json_null(), "rate",
        d->has_rate ? srv_json_rate(d->rate) : json_null(), "apr",
        d->approved ? srv_json_rate(d->apr) : json_null(), "net_apr",
        d->approved ? srv_json_rate(d->net_apr) : json_null(), "score",
        srv_json_number_or_null(d->score), "pd", srv_json_number_or_null(d->pd), "model",
        has_model ? json_string(d->model) : json_null(), "model_version",
        srv_json_int_or_null(has_model, d->model_version), "reasons", reasons, "asof",
        srv_json_date(d->asof), "decided_at", d->decided_at, "appeal");
}

static ph_status keep_decision(void *user, const ph_market_decision *d, ph_error *err)
{
    decision_read *r = user;
    r->owned = owns_decision(r->call, d);
    snprintf(r->lender, sizeof(r->lender), "%s", d->lender);
    if (r->owned && r->with_detail) {
        r->detail = decision_detail(d);
        if (r->detail == NULL)
            return srv_nomem(err);
    }
    return PH_OK;
}

/* Read decision path parameter 0 for the caller: PH_ENOTFOUND (refused) when
 * it is another tenant's. */
static ph_status read_owned_decision(srv_call *call, int with_detail, int64_t *id,
                                     decision_read *r, ph_error *err)
{
    memset(r, 0, sizeof(*r));
    r->call = call;
    r->with_detail = with_detail;
    ph_status st = srv_path_id(call, 0, "decision", id, err);
    if (st == PH_OK)
        st = ph_market_decision_get(srv_store(call), *id, keep_decision, r, err);
    if (st == PH_OK && !r->owned) 
        st = srv_refuse_id(call, err, "decision", *id);
    if (st != PH_OK) {
        json_decref(r->detail);
        r->detail = NULL;
    }
    return st;
}

/* ---- POST /v1/applications ------------------------------------------------------------------ */

static const char *const APPLICATION_MEMBERS[] = {"uscc",    "amount", "term",      "purpose",
                                                   "asof",    "guarantor", NULL};

/*
 * The result's JSON text, followed in the same allocation by the
 * "LENDER:outcome" strings call->lender_outcome points to, so that they live
 * as long as the answer the core sends and frees (raw_len counts the JSON
 * only).
 */
static ph_status answer_result(srv_call *call, const ph_market_result *r, ph_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL)
        return srv_nomem(err);
    ph_status st = ph_market_result_write_json(r, mem, err);
    if (fclose(mem) != 0 && st == PH_OK)
        st = srv_nomem(err);
    if (st != PH_OK) {
        free(text);
        return st;
    }
    size_t n = ph_market_result_quote_count(r);
    if (n > sizeof(call->lender_outcome) / sizeof(call->lender_outcome[0]))
        n = sizeof(call->lender_outcome) / sizeof(call->lender_outcome[0]);
    size_t extra = 0;
    for (size_t i = 0; i < n; i++) {
        const ph_quote *q = ph_market_result_quote(r, i);
        extra += strlen(q->lender) + 1 + strlen(ph_quote_status_name(q->status)) + 1;
    }
    char *buf = ph_malloc(call->ctx, len + 1 + extra);
    if (buf == NULL) {
        free(text);
        return srv_nomem(err);
    }
    memcpy(buf, text, len + 1);
    free(text);
    char *p = buf + len + 1;
    for (size_t i = 0; i < n; i++) {
        const ph_quote *q = ph_market_result_quote(r, i);
        int w = sprintf(p, "%s:%s", q->lender, ph_quote_status_name(q->status));
        call->lender_outcome[i] = p;
        p += w + 1;
    }
    call->n_outcomes = n;
    call->raw_json = buf;
    call->raw_len = len;
    call->status = 201;
    return PH_OK;
}

static ph_status application_create(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    ph_application app;
    memset(&app, 0, sizeof(app));
    const char *uscc = call->who->tenant, *asof = NULL;
    int guarantor = 0;
    ph_status st = srv_body_check(call, APPLICATION_MEMBERS, err);
    if (st == PH_OK)
        st = srv_body_string(call, "uscc", 0, &uscc, err);
    if (st == PH_OK && strcmp(uscc, call->who->tenant) != 0) {
        snprintf(call->refused, sizeof(call->refused), "uscc %.40s is not the key's firm", uscc);
        return ph_error_set(err, PH_EDENIED, "uscc", uscc,
                            "an enterprise key applies for its own firm only (%s)",
                            call->who->tenant);
    }
    if (st == PH_OK)
        st = srv_body_money(call, "amount", 1, &app.amount, err);
    if (st == PH_OK)
        st = srv_body_int(call, "term", 1, &app.term, err);
    if (st == PH_OK)
        st = srv_body_string(call, "purpose", 1, &app.purpose, err);
    if (st == PH_OK)
        st = srv_body_string(call, "asof", 0, &asof, err);
    if (st == PH_OK && asof != NULL) {
        st = ph_date_parse(asof, strlen(asof), &app.asof, err);
        if (st != PH_OK)
            ph_error_set_field(err, "asof");
    }
    if (st == PH_OK)
        st = srv_body_bool(call, "guarantor", 0, &guarantor, err);
    if (st != PH_OK)
        return st;
    app.uscc = uscc;
    app.guarantor = guarantor;
    st = ph_application_check(&app, err);
    ph_market *market = NULL;
    if (st == PH_OK)
        st = srv_worker_market(call->worker, &market, err);
    ph_market_result *r = NULL;
    if (st == PH_OK)
        st = ph_market_apply(market, &app, &r, err);
    if (st == PH_OK)
        st = answer_result(call, r, err);
    ph_market_result_free(r);
    return st;
}

/* ---- GET /v1/applications/{id} ------------------------------------------------------------- */

typedef struct application_read {
    json_t *doc;
    char uscc[32];
} application_read;

static ph_status keep_application(void *user, const ph_market_application *a, ph_error *err)
{
    application_read *r = user;
    snprintf(r->uscc, sizeof(r->uscc), "%s", a->uscc);
    r->doc = json_pack("{s:I, s:s, s:o, s:o, s:I, s:s, s:b}", "application_id",
                       (json_int_t)a->id, "uscc", a->uscc, "asof", srv_json_date(a->asof),
                       "amount", srv_json_money(a->amount), "term", (json_int_t)a->term,
                       "purpose", a->purpose, "guarantor", a->guarantor);
    return r->doc ? PH_OK : srv_nomem(err);
}

static ph_status append_summary(void *user, const ph_market_decision *d, ph_error *err)
{
    json_t *o = decision_summary(d);
    if (o == NULL || json_array_append_new(user, o) != 0)
        return srv_nomem(err);
    return PH_OK;
}

static ph_status application_get(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    ph_store *store = srv_store(call);
    int64_t id = 0;
    application_read r = {0};
    ph_status st = srv_path_id(call, 0, "application", &id, err);
    if (st == PH_OK)
        st = ph_market_application_get(store, id, keep_application, &r, err);
    if (st != PH_OK)
        return st;
    /* a firm sees the decisions that answered it; an institution its own */
    ph_market_decision_filter f;
    memset(&f, 0, sizeof(f));
    f.application_id = id;
    int firm = call->who->role == SRV_ROLE_ENTERPRISE;
    if (firm)
        f.served_only = 1;
    else if (call->scope != SRV_SCOPE_ALL)
        f.lender = call->who->tenant;
    json_t *decisions = json_array();
    st = decisions ? ph_market_decisions_list(store, &f, append_summary, decisions, err)
                   : srv_nomem(err);
    int owned = firm ? srv_owns(call, r.uscc, NULL)
                     : call->scope == SRV_SCOPE_ALL || json_array_size(decisions) > 0;
    if (st == PH_OK && !owned) 
        st = srv_refuse_id(call, err, "application", id);
    if (st == PH_OK && json_object_set_new(r.doc, "decisions", decisions) == 0) {
        call->result = r.doc;
        return PH_OK;
    }
    if (st == PH_OK) {
        json_decref(r.doc);
        return srv_nomem(err);
    }
    json_decref(decisions);
    json_decref(r.doc);
    return st;
}

/* ---- GET /v1/decisions ----------------------------------------------------------------------- */

typedef struct page {
    json_t *items;
    int64_t last;
} page;

static ph_status append_page(void *user, const ph_market_decision *d, ph_error *err)
{
    page *p = user;
    p->last = d->id;
    return append_summary(p->items, d, err);
}

/* The query parameters decisions_list takes. */
static const char *const DECISIONS_LIST_QUERY[] = {"approved", "from", "to", "limit", "after",
                                                   NULL};

static ph_status decisions_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, DECISIONS_LIST_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    ph_market_decision_filter f;
    memset(&f, 0, sizeof(f));
    int approved = -1;
    ph_status st = srv_query_flag(call, "approved", &approved, err);
    if (st == PH_OK)
        st = srv_query_date(call, "from", &f.from, err);
    if (st == PH_OK)
        st = srv_query_date(call, "to", &f.to, err);
    if (st == PH_OK)
        st = srv_query_page(call, &f.limit, &f.after, err);
    if (st != PH_OK)
        return st;
    f.outcome = approved < 0 ? PH_DECISIONS_ANY
                             : approved ? PH_DECISIONS_APPROVED : PH_DECISIONS_DECLINED;
    if (call->who->role == SRV_ROLE_ENTERPRISE) {
        f.uscc = call->who->tenant;
        f.served_only = 1;
    } else if (call->scope != SRV_SCOPE_ALL) {
        f.lender = call->who->tenant;
    }
    page p = {json_array(), 0};
    if (p.items == NULL)
        return srv_nomem(err);
    st = ph_market_decisions_list(srv_store(call), &f, append_page, &p, err);
    return srv_answer_list(call, st, p.items,
                           srv_page_next(json_array_size(p.items), f.limit, p.last), err);
}

/* ---- GET /v1/decisions/{id} ------------------------------------------------------------------ */

/* The latest appeal of the decision (a second may follow a decided first). */
static ph_status keep_last_appeal(void *user, const ph_appeal *a, ph_error *err)
{
    json_t **slot = user;
    json_t *o = appeal_json(a);
    if (o == NULL)
        return srv_nomem(err);
    json_decref(*slot);
    *slot = o;
    return PH_OK;
}

static ph_status decision_get(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    decision_read r;
    ph_status st = read_owned_decision(call, 1, &id, &r, err);
    if (st != PH_OK)
        return st;
    json_t *appeal = NULL;
    st = ph_appeal_list(srv_store(call), id, keep_last_appeal, &appeal, err);
    if (st == PH_OK) {
        /* set_new takes the reference whether it succeeds or not */
        int rc = json_object_set_new(r.detail, "appeal", appeal ? appeal : json_null());
        appeal = NULL;
        if (rc != 0)
            st = srv_nomem(err);
    }
    json_decref(appeal);
    if (st != PH_OK) {
        json_decref(r.detail);
        return st;
    }
    call->result = r.detail;
    return PH_OK;
}

/* ---- GET /v1/decisions/{id}/trace --------------------------------------------------------- */

static ph_status decision_trace(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    decision_read r;
    ph_status st = read_owned_decision(call, 0, &id, &r, err);
    ph_store *store = srv_store(call);
    char *trace = NULL;
    if (st == PH_OK)
        st = ph_market_decision_trace(store, id, &trace, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    if (ctx == call->ctx) {
        call->raw_json = trace;
    } else { /* raw_json belongs to the call's context */
        call->raw_json = ph_strdup(call->ctx, trace);
        ph_free(ctx, trace);
        if (call->raw_json == NULL)
            return srv_nomem(err);
    }
    call->raw_len = strlen(call->raw_json);
    return PH_OK;
}

/* ---- POST /v1/decisions/{id}/replay ---------------------------------------------------------- */

static ph_status decision_replay(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    decision_read r;
    ph_status st = srv_body_empty(call, err);
    if (st == PH_OK)
        st = read_owned_decision(call, 0, &id, &r, err);
    ph_replay_report rep;
    if (st == PH_OK)
        st = ph_market_replay(srv_store(call), id, &rep, err);
    if (st != PH_OK)
        return st;
    call->result = json_pack("{s:I, s:b, s:I, s:s}", "decision_id", (json_int_t)rep.decision_id,
                             "identical", rep.identical, "trace_bytes",
                             (json_int_t)rep.trace_bytes, "difference", rep.difference);
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- appeals --------------------------------------------------------------------------------- */

static ph_status keep_appeal(void *user, const ph_appeal *a, ph_error *err)
{
    json_t **slot = user;
    *slot = appeal_json(a);
    return *slot ? PH_OK : srv_nomem(err);
}

static ph_status answer_appeal(srv_call *call, int64_t appeal_id, int status, ph_error *err)
{
    json_t *o = NULL;
    ph_status st = ph_appeal_get(srv_store(call), appeal_id, keep_appeal, &o, err);
    if (st != PH_OK)
        return st;
    call->result = o;
    call->status = status;
    return PH_OK;
}

static const char *const APPEAL_MEMBERS[] = {"grounds", NULL};

static ph_status appeal_create(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0, appeal_id = 0;
    decision_read r;
    const char *grounds = NULL;
    ph_status st = srv_body_check(call, APPEAL_MEMBERS, err);
    if (st == PH_OK)
        st = srv_body_string(call, "grounds", 1, &grounds, err);
    if (st == PH_OK)
        st = read_owned_decision(call, 0, &id, &r, err);
    if (st == PH_OK)
        st = ph_appeal_open(srv_store(call), id, grounds, &appeal_id, err);
    if (st == PH_OK)
        st = answer_appeal(call, appeal_id, 201, err);
    return st;
}

typedef struct appeal_page {
    const srv_call *call;
    const char *status; /* NULL: any */
    int64_t after, limit;
    json_t *items;
    int64_t last;
} appeal_page;

static ph_status append_appeal(void *user, const ph_appeal *a, ph_error *err)
{
    appeal_page *p = user;
    if (a->id <= p->after || (p->status != NULL && strcmp(a->status, p->status) != 0) ||
        !srv_owns(p->call, a->uscc, a->lender))
        return PH_OK;
    if ((int64_t)json_array_size(p->items) >= p->limit)
        return PH_DONE; /* the page is full: stop the walk */
    json_t *o = appeal_json(a);
    if (o == NULL || json_array_append_new(p->items, o) != 0)
        return srv_nomem(err);
    p->last = a->id;
    return PH_OK;
}

/* The query parameters appeals_list takes. */
static const char *const APPEALS_LIST_QUERY[] = {"status", "limit", "after", NULL};

static ph_status appeals_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, APPEALS_LIST_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    appeal_page p = {call, srv_query(call, "status"), 0, 0, NULL, 0};
    if (p.status != NULL && strcmp(p.status, "open") != 0 && strcmp(p.status, "upheld") != 0 &&
        strcmp(p.status, "overturned") != 0)
        return ph_error_set(err, PH_EINVAL, "status", p.status,
                            "expected open, upheld or overturned");
    ph_status st = srv_query_page(call, &p.limit, &p.after, err);
    if (st != PH_OK)
        return st;
    p.items = json_array();
    if (p.items == NULL)
        return srv_nomem(err);
    /* oldest first: a review queue; appeals are few beside decisions */
    st = ph_appeal_list(srv_store(call), 0, append_appeal, &p, err);
    return srv_answer_list(call, st, p.items,
                           srv_page_next(json_array_size(p.items), p.limit, p.last), err);
}

static const char *const DECIDE_MEMBERS[] = {"outcome", "reviewer", "reason", "limit", "rate",
                                             NULL};

/* The appeal library names the members themselves, without the value sent. */
static const srv_member_map DECIDE_MAP[] = {
    {"outcome", 0, "outcome", 0}, {"reviewer", 0, "reviewer", 0}, {"reason", 0, "reason", 0},
    {"limit", 0, "limit", 0},     {"rate", 0, "rate", 0},         {NULL, 0, NULL, 0},
};

typedef struct appeal_owner {
    const srv_call *call;
    int owned;
} appeal_owner;

static ph_status check_appeal_owner(void *user, const ph_appeal *a, ph_error *err)
{
    (void)err;
    appeal_owner *o = user;
    o->owned = srv_owns(o->call, a->uscc, a->lender);
    return PH_OK;
}

static ph_status appeal_decide(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    const char *outcome = NULL, *reviewer = NULL, *reason = NULL, *rate_text = NULL;
    ph_money limit = 0;
    ph_rate rate = 0;
    ph_appeal_outcome how = PH_APPEAL_UPHOLD;
    ph_status st = srv_path_id(call, 0, "appeal", &id, err);
    if (st == PH_OK)
        st = srv_body_check(call, DECIDE_MEMBERS, err);
    if (st == PH_OK)
        st = srv_body_string(call, "outcome", 1, &outcome, err);
    if (st == PH_OK) {
        if (strcmp(outcome, "overturn") == 0)
            how = PH_APPEAL_OVERTURN;
        else if (strcmp(outcome, "uphold") != 0)
            st = ph_error_set(err, PH_EINVAL, "outcome", outcome, "expected uphold or overturn");
    }
    if (st == PH_OK)
        st = srv_body_string(call, "reviewer", 1, &reviewer, err);
    if (st == PH_OK)
        st = srv_body_string(call, "reason", 1, &reason, err);
    if (st == PH_OK)
        st = srv_body_money(call, "limit", 0, &limit, err);
    if (st == PH_OK)
        st = srv_body_string(call, "rate", 0, &rate_text, err);
    if (st == PH_OK && rate_text != NULL) {
        st = ph_rate_parse(rate_text, strlen(rate_text), &rate, err);
        if (st != PH_OK)
            ph_error_set_field(err, "rate");
    }
    appeal_owner o = {call, 0};
    if (st == PH_OK)
        st = ph_appeal_get(srv_store(call), id, check_appeal_owner, &o, err);
    if (st == PH_OK && !o.owned) 
        st = srv_refuse_id(call, err, "appeal", id);
    if (st == PH_OK)
        st = srv_name_member(call,
                             ph_appeal_decide(srv_store(call), id, how, reviewer, reason, limit,
                                              rate, err),
                             DECIDE_MAP, err);
    if (st == PH_OK)
        st = answer_appeal(call, id, 200, err);
    return st;
}

const srv_route srv_routes_applications[] = {
    {"POST", "/v1/applications", "application", "create", application_create},
    {"GET", "/v1/applications/{id}", "application", "read", application_get},
    {"GET", "/v1/decisions", "decision", "read", decisions_list},
    {"GET", "/v1/decisions/{id}", "decision", "read", decision_get},
    {"GET", "/v1/decisions/{id}/trace", "decision", "read", decision_trace},
    {"POST", "/v1/decisions/{id}/replay", "decision", "replay", decision_replay},
    {"POST", "/v1/decisions/{id}/appeals", "appeal", "create", appeal_create},
    {"GET", "/v1/appeals", "appeal", "read", appeals_list},
    {"POST", "/v1/appeals/{id}/decision", "appeal", "decide", appeal_decide},
    {NULL, NULL, NULL, NULL, NULL},
};
