/*
 * Loans and the portfolio over HTTP (docs/api.md#loans): a firm accepts an
 * offer, draws and repays; a firm or a lender reads its loans, schedules and
 * statements; a lender reads its book by category, the regulator the
 * market's book with each lender's colour. The loan book
 * (include/puhui/loan.h) does the work; servicing events happen on the open
 * business day, as `puhui loan` does.
 *
 * Tenancy: a loan belongs to its firm (USCC) and its lender. Another
 * tenant's loan answers exactly as a missing one ("no loan with that id",
 * 404) and the call is marked refused for the access log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_query.h"
#include "puhui/enterprise.h"
#include "puhui/ledger.h"
#include "puhui/loan.h"
#include "puhui/market.h"

/* ---- a loan as JSON ------------------------------------------------------------------- */

static json_t *loan_json(const ph_loan_info *l)
{
    const ph_loan_state *s = &l->state;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "loan_id", json_integer(l->id));
    json_object_set_new(o, "decision_id",
                        l->decision_id ? json_integer(l->decision_id) : json_null());
    json_object_set_new(o, "renewal_of", l->renewal_of ? json_integer(l->renewal_of) : json_null());
    json_object_set_new(o, "uscc", json_string(l->uscc));
    json_object_set_new(o, "lender", json_string(l->lender));
    json_object_set_new(o, "product", json_string(l->product));
    json_object_set_new(o, "amount", srv_json_money(l->amount));
    json_object_set_new(o, "rate", srv_json_rate(l->rate));
    json_object_set_new(o, "current_rate", srv_json_rate(s->rate));
    json_object_set_new(o, "penalty_rate", srv_json_rate(l->penalty_rate));
    json_object_set_new(o, "term", json_integer(l->term));
    json_object_set_new(o, "repayment", json_string(l->method));
    json_object_set_new(o, "status", json_string(l->status));
    json_object_set_new(o, "category", json_string(ph_loan_category_name(s->category)));
    json_object_set_new(o, "principal_outstanding",
                        srv_json_money(s->principal + s->principal_due));
    json_object_set_new(o, "principal_due", srv_json_money(s->principal_due));
    json_object_set_new(o, "interest_accrued", srv_json_money(s->interest_receivable));
    json_object_set_new(o, "interest_due", srv_json_money(s->interest_due));
    json_object_set_new(o, "penalty", srv_json_money(s->penalty));
    json_object_set_new(o, "fee_due", srv_json_money(l->fee_receivable));
    json_object_set_new(o, "provision", srv_json_money(s->provision));
    json_object_set_new(o, "overdue_days", json_integer(s->dpd));
    json_object_set_new(o, "frozen", json_boolean((s->flags & PH_LOAN_FROZEN) != 0));
    json_object_set_new(o, "restructured", json_boolean(l->restructured));
    json_object_set_new(o, "scheme", json_string(l->scheme));
    json_object_set_new(o, "guarantor", l->guarantor[0] ? json_string(l->guarantor) : json_null());
    json_object_set_new(o, "guarantee_fee", srv_json_rate(l->guarantee_fee));
    json_object_set_new(o, "subsidy_rate", srv_json_rate(l->subsidy_rate));
    json_object_set_new(o, "opened", srv_json_date(l->booked_on));
    json_object_set_new(o, "matures", srv_json_date(l->maturity_on));
    json_object_set_new(o, "last_event_on", srv_json_date(l->last_event_on));
    return o;
}

/* Read loan `id` for the caller: another tenant's loan is refused as if it
 * did not exist, with the library's own words for a missing loan. */
static ph_status owned_loan(srv_call *call, int64_t id, ph_loan_info *out, ph_error *err)
{
    ph_status st = ph_loan_get(srv_store(call), id, out, err);
    if (st != PH_OK)
        return st;
    if (srv_owns(call, out->uscc, out->lender))
        return PH_OK;
    ph_loan_info_free(call->ctx, out);
    /* the library's words for a missing loan */
    return srv_refuse(call, err, "loan", srv_id_string(id).s, "no loan with that id");
}

/* Path parameter 0 as a loan of the caller's; `info` NULL: only checked. */
static ph_status path_loan(srv_call *call, int64_t *id, ph_loan_info *info, ph_error *err)
{
    ph_loan_info own;
    ph_status st = srv_path_id(call, 0, "loan", id, err);
    if (st == PH_OK)
        st = owned_loan(call, *id, info ? info : &own, err);
    if (st == PH_OK && info == NULL)
        ph_loan_info_free(call->ctx, &own);
    return st;
}

/* The loan as the answer. */
static ph_status answer_loan(srv_call *call, int64_t id, ph_error *err)
{
    ph_loan_info info;
    ph_status st = ph_loan_get(srv_store(call), id, &info, err);
    if (st != PH_OK)
        return st;
    call->result = loan_json(&info);
    ph_loan_info_free(call->ctx, &info);
    return call->result ? PH_OK : srv_nomem(err);
}

/* The open business day: every servicing event happens on it. */
static ph_status open_day(srv_call *call, ph_date *out, ph_error *err)
{
    ph_status st = ph_cob_open_day(srv_store(call), out, err);
    if (st == PH_OK && *out == 0)
        st = ph_error_set(err, PH_EINVAL, "loan", NULL, "the book is empty: there is no open day");
    return st;
}

/* ---- POST /v1/loans --------------------------------------------------------------------- */

static ph_status loan_accept(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    static const char *const allowed[] = {"decision_id", "amount", NULL};
    int64_t decision = 0;
    ph_money amount = 0;
    ph_status st = srv_body_check(call, allowed, err);
    if (st == PH_OK)
        st = srv_body_int(call, "decision_id", 1, &decision, err);
    if (st == PH_OK && decision <= 0)
        st = ph_error_set(err, PH_EINVAL, "decision_id", srv_id_string(decision).s,
                          "expected a decision id, 1 or more");
    if (st == PH_OK)
        st = srv_body_money(call, "amount", 0, &amount, err);
    if (st == PH_OK && call->body && json_object_get(call->body, "amount") && amount <= 0)
        st = ph_error_set(err, PH_EINVAL, "amount",
                          json_string_value(json_object_get(call->body, "amount")),
                          "expected more than 0 and at most the offer");
    ph_store *store = srv_store(call);
    ph_market_offer offer;
    memset(&offer, 0, sizeof(offer));
    if (st == PH_OK)
        st = ph_market_offer_get(store, decision, &offer, err);
    /* Another firm's decision, or a shadow (a challenger's decision that was
     * not served): the firm was never given it, so it answers as a missing
     * one, in the words of ph_market_offer_get. */
    if (st == PH_OK && (!srv_owns(call, offer.uscc, NULL) || !offer.served)) {
        st = srv_refuse(call, err, "decision", srv_id_string(decision).s,
                        "no decision with that id");
        if (srv_owns(call, offer.uscc, NULL)) /* the access log says which refusal */
            snprintf(call->refused, sizeof(call->refused), "decision %s is a shadow",
                     srv_id_string(decision).s);
        return st;
    }
    /* Booked on the open business day, or on the offer's own day when the
     * book has not reached it yet (the library judges the offer's validity). */
    ph_date open = 0;
    if (st == PH_OK)
        st = ph_cob_open_day(store, &open, err);
    ph_loan_accept_opts opts = {0};
    opts.amount = amount;
    opts.on = open > offer.asof ? open : 0;
    int64_t id = 0;
    if (st == PH_OK)
        st = ph_loan_accept(store, decision, &opts, &id, err);
    if (st == PH_OK)
        st = answer_loan(call, id, err);
    if (st == PH_OK)
        call->status = 201;
    return st;
}

/* ---- GET /v1/loans ---------------------------------------------------------------------- */

typedef struct loan_page {
    int64_t after;
    int64_t limit;
    int64_t taken;
    int64_t next;   /* the last id of a full page when more follow; 0 otherwise */
    int more;
    json_t *items;
    int failed;
} loan_page;

static int page_loan(const ph_loan_info *info, void *user)
{
    loan_page *p = user;
    if (p->taken == p->limit) {
        p->more = 1;
        return 1;
    }
    json_t *o = loan_json(info);
    if (o == NULL || json_array_append_new(p->items, o) != 0) {
        p->failed = 1;
        return 1;
    }
    p->taken++;
    p->next = info->id;
    return 0;
}

/* The query parameters loan_list takes. */
static const char *const LOAN_LIST_QUERY[] = {"limit", "after", NULL};

static ph_status loan_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, LOAN_LIST_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    loan_page p;
    memset(&p, 0, sizeof(p));
    ph_status st = srv_query_page(call, &p.limit, &p.after, err);
    if (st != PH_OK)
        return st;
    /* An enterprise sees its own loans, an institution its book; a scope
     * over all rows (none in the table today) would see every loan. */
    const char *uscc = NULL, *lender = NULL;
    if (call->scope != SRV_SCOPE_ALL) {
        if (call->who->role == SRV_ROLE_ENTERPRISE)
            uscc = call->who->tenant;
        else if (call->who->role == SRV_ROLE_INSTITUTION)
            lender = call->who->tenant;
        else
            return ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                                "loans are read by their firm or their lender");
    }
    p.items = json_array();
    if (p.items == NULL)
        return srv_nomem(err);
    /* one more than the page: whether a next page exists */
    st = ph_loan_list_page(srv_store(call), uscc, lender, p.after, p.limit + 1, page_loan, &p,
                           err);
    if (st == PH_OK && p.failed)
        st = srv_nomem(err);
    return srv_answer_list(call, st, p.items, p.more ? p.next : 0, err);
}

/* ---- GET /v1/loans/{id} ----------------------------------------------------------------- */

static ph_status loan_show(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    ph_loan_info info;
    ph_status st = path_loan(call, &id, &info, err);
    if (st != PH_OK)
        return st;
    call->result = loan_json(&info);
    ph_loan_info_free(call->ctx, &info);
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- GET /v1/loans/{id}/schedule --------------------------------------------------------- */

static int add_instalment(const ph_instalment *row, void *user)
{
    json_t *o = json_object();
    if (o == NULL)
        return 1;
    json_object_set_new(o, "k", json_integer(row->k));
    json_object_set_new(o, "due_on", srv_json_date(row->due_on));
    json_object_set_new(o, "period_start", srv_json_date(row->period_start));
    json_object_set_new(o, "principal", srv_json_money(row->principal));
    json_object_set_new(o, "interest", srv_json_money(row->interest));
    json_object_set_new(o, "balance_after", srv_json_money(row->balance_after));
    return json_array_append_new(user, o) != 0;
}

static ph_status loan_schedule(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    ph_status st = path_loan(call, &id, NULL, err);
    if (st != PH_OK)
        return st;
    json_t *items = json_array();
    if (items == NULL)
        return srv_nomem(err);
    st = ph_loan_schedule(srv_store(call), id, add_instalment, items, err);
    if (st == PH_OK) {
        call->result = json_pack("{s:I, s:o}", "loan_id", (json_int_t)id, "items", items);
        return call->result ? PH_OK : srv_nomem(err);
    }
    json_decref(items);
    return st;
}

/* ---- GET /v1/loans/{id}/statement -------------------------------------------------------- */

static int add_statement_line(const ph_ledger_statement_line *l, void *user)
{
    json_t *o = json_object();
    if (o == NULL)
        return 1;
    json_object_set_new(o, "entry_id", json_integer(l->entry_id));
    json_object_set_new(o, "date", srv_json_date(l->value_date));
    json_object_set_new(o, "event", json_string(l->event ? l->event : ""));
    json_object_set_new(o, "memo", json_string(l->memo ? l->memo : ""));
    json_object_set_new(o, "account", json_string(l->account ? l->account : ""));
    const ph_ledger_account *a = l->account ? ph_ledger_account_find(l->account) : NULL;
    json_object_set_new(o, "account_name", json_string(a ? a->name : ""));
    json_object_set_new(o, "debit", srv_json_money(l->debit));
    json_object_set_new(o, "credit", srv_json_money(l->credit));
    return json_array_append_new(user, o) != 0;
}

/* The query parameters loan_statement takes. */
static const char *const LOAN_STATEMENT_QUERY[] = {"from", "to", NULL};

static ph_status loan_statement(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, LOAN_STATEMENT_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    ph_loan_info info;
    ph_status st = path_loan(call, &id, &info, err);
    if (st != PH_OK)
        return st;
    /* By default the loan's whole life up to the open business day. */
    ph_date from = info.booked_on, to = 0;
    ph_loan_info_free(call->ctx, &info);
    st = ph_cob_open_day(srv_store(call), &to, err);
    if (st == PH_OK && to < from)
        to = from;
    if (st == PH_OK)
        st = srv_query_date(call, "from", &from, err);
    if (st == PH_OK)
        st = srv_query_date(call, "to", &to, err);
    json_t *items = st == PH_OK ? json_array() : NULL;
    if (st == PH_OK && items == NULL)
        st = srv_nomem(err);
    if (st == PH_OK)
        st = ph_ledger_loan_statement(srv_store(call), id, from, to, add_statement_line, items,
                                      err);
    if (st != PH_OK) {
        json_decref(items);
        return st;
    }
    call->result = json_pack("{s:I, s:o, s:o, s:o}", "loan_id", (json_int_t)id, "from",
                             srv_json_date(from), "to", srv_json_date(to), "items", items);
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- POST /v1/loans/{id}/draws ------------------------------------------------------------ */

/*
 * A draw's or a repayment's arguments, checked in the order the client reads
 * them back: the loan id, the body (amount; reference when asked for), the
 * loan being the caller's, and the open business day the event happens on.
 */
static ph_status servicing_args(srv_call *call, const char *const *allowed, int64_t *id,
                                ph_money *amount, const char **reference, ph_date *on,
                                ph_error *err)
{
    ph_status st = srv_path_id(call, 0, "loan", id, err);
    if (st == PH_OK)
        st = srv_body_check(call, allowed, err);
    if (st == PH_OK)
        st = srv_body_money(call, "amount", 1, amount, err);
    if (st == PH_OK && reference != NULL)
        st = srv_body_string(call, "reference", 0, reference, err);
    ph_loan_info info;
    if (st == PH_OK)
        st = owned_loan(call, *id, &info, err);
    if (st != PH_OK)
        return st;
    ph_loan_info_free(call->ctx, &info);
    return open_day(call, on, err);
}

/* The loan library echoes an amount formatted its own way ("1,000.00"); the
 * problem echoes the client's text. */
static const srv_member_map SERVICING_MAP[] = {
    {"amount", 0, "amount", 0},
    {"reference", 0, "reference", 0},
    {NULL, 0, NULL, 0},
};

static ph_status loan_draw(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    static const char *const allowed[] = {"amount", NULL};
    int64_t id = 0;
    ph_money amount = 0;
    ph_date on = 0;
    ph_status st = servicing_args(call, allowed, &id, &amount, NULL, &on, err);
    if (st == PH_OK)
        st = srv_name_member(call, ph_loan_draw(srv_store(call), id, on, amount, err),
                             SERVICING_MAP, err);
    if (st == PH_OK)
        st = answer_loan(call, id, err);
    return st;
}

/* ---- POST /v1/loans/{id}/repayments -------------------------------------------------------- */

static json_t *payment_json(const ph_loan_payment *p)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "penalty",
                     srv_json_money(p->paid[PH_BUCKET_PENALTY]), "fee",
                     srv_json_money(p->paid[PH_BUCKET_FEE]), "interest",
                     srv_json_money(p->paid[PH_BUCKET_INTEREST]), "principal",
                     srv_json_money(p->paid[PH_BUCKET_PRINCIPAL]), "principal_before_due",
                     srv_json_money(p->prepaid_principal));
}

static ph_status loan_repay(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    static const char *const allowed[] = {"amount", "reference", NULL};
    int64_t id = 0;
    ph_money amount = 0;
    const char *reference = NULL;
    ph_date on = 0;
    ph_loan_payment paid;
    memset(&paid, 0, sizeof(paid));
    ph_status st = servicing_args(call, allowed, &id, &amount, &reference, &on, err);
    if (st == PH_OK)
        st = srv_name_member(
            call, ph_loan_repay_ref(srv_store(call), id, on, amount, reference, &paid, err),
            SERVICING_MAP, err);
    if (st == PH_OK)
        st = answer_loan(call, id, err);
    if (st != PH_OK)
        return st;
    json_t *loan = call->result;
    call->result = json_pack("{s:o, s:b, s:o, s:o}", "allocated", payment_json(&paid), "closed",
                             paid.closed, "on", srv_json_date(on), "loan", loan);
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- GET /v1/portfolio ---------------------------------------------------------------------- */

/*
 * A lender's colour on the supervisor's board, from its NPL ratio, as data:
 * the first row whose bound the ratio is below. Green below 3% (the better
 * provinces run 1.0%-2.9%), yellow below 5%, red from 5% (weak counties run
 * 5.6%): docs/domain.md#calibration-figures, docs/domain.md#supervision.
 */
typedef struct npl_colour {
    ph_rate below; /* NPL ratio, 1e-8 */
    const char *colour;
} npl_colour;

static const npl_colour NPL_COLOURS[] = {
    {3000000, "green"},   /* < 3% */
    {5000000, "yellow"},  /* < 5% */
    {PH_RATE_MAX, "red"}, /* the rest */
};

static const char *colour_of(ph_rate npl_ratio)
{
    for (size_t i = 0; i < sizeof(NPL_COLOURS) / sizeof(NPL_COLOURS[0]); i++)
        if (npl_ratio < NPL_COLOURS[i].below)
            return NPL_COLOURS[i].colour;
    return "red";
}

static json_t *summary_json(const ph_book_summary *b)
{
    json_t *cats = json_array();
    for (int c = 0; cats != NULL && c < PH_CATEGORY_COUNT; c++)
        json_array_append_new(
            cats, json_pack("{s:s, s:I, s:o, s:o}", "category",
                            ph_loan_category_name((ph_loan_category)c), "loans",
                            (json_int_t)b->category[c].loans, "exposure",
                            srv_json_money(b->category[c].exposure), "provision",
                            srv_json_money(b->category[c].provision)));
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "loans", (json_int_t)b->loans,
                     "closed", (json_int_t)b->closed, "exposure", srv_json_money(b->exposure),
                     "npl", srv_json_money(b->npl), "npl_ratio", srv_json_rate(b->npl_ratio),
                     "provision", srv_json_money(b->provision), "coverage",
                     srv_json_rate(b->coverage), "categories", cats);
}

typedef struct lender_rows {
    srv_call *call;
    json_t *rows;
    ph_status st;
    ph_error *err;
} lender_rows;

static int add_lender(const char *lender, const ph_book_summary *b, void *user)
{
    lender_rows *r = user;
    char *name = NULL;
    ph_error why;
    ph_error_clear(&why);
    /* an institution that is not registered is shown by its id */
    if (ph_institution_name(srv_store(r->call), lender, &name, &why) != PH_OK)
        name = NULL;
    json_t *row = json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:s}", "lender", lender,
                            "lender_name", name ? name : lender, "loans", (json_int_t)b->loans,
                            "exposure", srv_json_money(b->exposure), "npl",
                            srv_json_money(b->npl), "npl_ratio", srv_json_rate(b->npl_ratio),
                            "coverage", srv_json_rate(b->coverage), "colour",
                            colour_of(b->npl_ratio));
    ph_free(r->call->ctx, name);
    if (row == NULL || json_array_append_new(r->rows, row) != 0) {
        r->st = srv_nomem(r->err);
        return 1;
    }
    return 0;
}

static ph_status portfolio(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    ph_store *store = srv_store(call);
    ph_book_summary b;
    ph_date last = 0;
    ph_status st = ph_cob_last_day(store, &last, err);
    int own = call->scope == SRV_SCOPE_OWN;
    if (st == PH_OK && own && call->who->role != SRV_ROLE_INSTITUTION)
        return ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                            "a portfolio is a lender's");
    if (st == PH_OK)
        st = own ? ph_book_summary_lender(store, call->who->tenant, &b, err)
                 : ph_book_summary_get(store, &b, err);
    if (st != PH_OK)
        return st;
    json_t *o = summary_json(&b);
    if (o == NULL)
        return srv_nomem(err);
    json_object_set_new(o, "asof", srv_json_date(last));
    json_object_set_new(o, "view", json_string(own ? "own" : "aggregate"));
    if (own) {
        json_object_set_new(o, "lender", json_string(call->who->tenant));
    } else {
        lender_rows r = {call, json_array(), PH_OK, err};
        if (r.rows == NULL) {
            json_decref(o);
            return srv_nomem(err);
        }
        st = ph_book_lenders(store, add_lender, &r, err);
        if (st == PH_OK)
            st = r.st;
        json_object_set_new(o, "lenders", r.rows);
        if (st == PH_OK) {
            json_t *bands = json_array();
            for (size_t i = 0; i < sizeof(NPL_COLOURS) / sizeof(NPL_COLOURS[0]); i++)
                json_array_append_new(
                    bands,
                    json_pack("{s:s, s:o}", "colour", NPL_COLOURS[i].colour, "npl_ratio_below",
                              NPL_COLOURS[i].below == PH_RATE_MAX
                                  ? json_null()
                                  : srv_json_rate(NPL_COLOURS[i].below)));
            json_object_set_new(o, "colours", bands);
        }
    }
    if (st != PH_OK) {
        json_decref(o);
        return st;
    }
    call->result = o;
    return PH_OK;
}

const srv_route srv_routes_loans[] = {
    {"POST", "/v1/loans", "loan", "create", loan_accept},
    {"GET", "/v1/loans", "loan", "read", loan_list},
    {"GET", "/v1/loans/{id}", "loan", "read", loan_show},
    {"GET", "/v1/loans/{id}/schedule", "loan", "read", loan_schedule},
    {"GET", "/v1/loans/{id}/statement", "loan", "read", loan_statement},
    {"POST", "/v1/loans/{id}/draws", "loan", "draw", loan_draw},
    {"POST", "/v1/loans/{id}/repayments", "loan", "repay", loan_repay},
    {"GET", "/v1/portfolio", "portfolio", "read", portfolio},
    {NULL, NULL, NULL, NULL, NULL},
};
