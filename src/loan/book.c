/*
 * Booking (docs/loans.md#booking): a firm accepts one offer. The contract's
 * terms are copied from the decision and the servicing product in force,
 * the parties that share a loss are named, the schedule is built and a term
 * loan is disbursed, all in one transaction: a refused acceptance stores
 * nothing.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

#include "loan_parties.h"
#include "puhui/enterprise.h"
#include "puhui/market.h"

static ph_status refuse(ph_error *err, const char *field, int64_t value, const char *why)
{
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)value);
    return ph_error_set(err, PH_EINVAL, field, v, "%s", why);
}

/* Judge the offer: approved, served, still open on `on`, not accepted. */
static ph_status judge_offer(ph_store *store, const ph_market_offer *o, const loan_product *p,
                             ph_date on, ph_error *err)
{
    if (!o->approved)
        return refuse(err, "decision", o->decision_id,
                      "the lender declined this application: there is no offer to accept");
    if (!o->served)
        return refuse(err, "decision", o->decision_id,
                      "a shadow decision (the policy version that did not answer the firm) "
                      "cannot be accepted");
    if (o->amount <= 0)
        return refuse(err, "decision", o->decision_id, "the decision offers no amount");
    char day[16], first[16], last[16];
    ph_date until = 0;
    ph_status st = ph_date_add_days(o->asof, p->offer_valid_days - 1, &until, err);
    if (st != PH_OK)
        return st;
    ph_date_format(on, day, sizeof(day), NULL);
    ph_date_format(o->asof, first, sizeof(first), NULL);
    ph_date_format(until, last, sizeof(last), NULL);
    if (on < o->asof)
        return ph_error_set(err, PH_EINVAL, "on", day,
                            "expected the offer's day %s or later", first);
    if (on > until)
        return ph_error_set(err, PH_EINVAL, "on", day,
                            "the offer of decision %lld expired: it was open %s to %s "
                            "(%d days, servicing product \"%s\")",
                            (long long)o->decision_id, first, last, (int)p->offer_valid_days,
                            p->name);
    ph_stmt *s = NULL;
    st = ph_store_prepare(store, "SELECT id FROM loan WHERE decision_id = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, o->decision_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)o->decision_id);
        st = ph_error_set(err, PH_EEXISTS, "decision", v,
                          "the offer was accepted already: loan %lld",
                          (long long)ph_stmt_column_int64(s, 0));
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status fill_contract(ph_store *store, const ph_market_offer *o, const loan_products *ps,
                               const loan_product *p, ph_date on, ph_money amount,
                               loan_contract *c, ph_money *pool_capital, ph_error *err)
{
    memset(c, 0, sizeof(*c));
    c->decision_id = o->decision_id;
    snprintf(c->uscc, sizeof(c->uscc), "%s", o->uscc);
    snprintf(c->lender, sizeof(c->lender), "%s", o->lender);
    snprintf(c->product, sizeof(c->product), "%s", o->product);
    c->product_version = ps->version;
    ph_status st = PH_OK;
    if (p->has_method)
        c->method = p->method;
    else
        st = ph_schedule_method_parse(o->repayment, strlen(o->repayment), &c->method, err);
    c->amount = amount;
    c->rate = o->rate;
    c->term = o->term;
    c->daycount = p->daycount;
    c->grace_days = p->grace_days;
    c->allocation = p->allocation;
    snprintf(c->allocation_text, sizeof(c->allocation_text), "%s", p->allocation_text);
    c->harvest_months = p->harvest_months;
    c->guarantee_fee = o->guarantee_fee;
    c->subsidy_programme_id = o->subsidy_programme_id;
    c->subsidy_rate = o->subsidy_rate;
    c->award = o->award;
    c->booked_on = on;
    ph_rate markup = 0;
    if (st == PH_OK)
        st = ph_rate_mul(o->rate, p->penalty_markup, PH_ROUND_HALF_UP, &markup, err);
    if (st == PH_OK)
        st = ph_rate_add(o->rate, markup, &c->penalty_rate, err);
    if (st == PH_OK)
        st = ph_date_add_months(on, c->term, PH_EOM_CLAMP, &c->maturity_on, err);
    snprintf(c->scheme, sizeof(c->scheme), "%s", o->guarantor ? p->scheme_with : p->scheme_without);
    ph_registration reg;
    if (st == PH_OK)
        st = ph_registration_asof(store, o->uscc, o->asof, &reg, err);
    char reguarantor[64];
    if (st == PH_OK && o->guarantor)
        st = loan_pick_guarantor(store, reg.region_code, c->guarantor, sizeof(c->guarantor),
                                 reguarantor, sizeof(reguarantor), err);
    char section[2] = {reg.industry_code[0], '\0'};
    if (st == PH_OK)
        st = loan_pick_pool(store, reg.region_code, section, o->first_loan, c->pool,
                            sizeof(c->pool), &c->pool_bp, pool_capital, err);
    return st;
}

static ph_status disburse(ph_store *store, const loan_contract *c, ph_date on, int64_t *entry,
                          ph_error *err)
{
    loan_lines l = {0};
    if (c->method != PH_METHOD_REVOLVING)
        loan_lines_move(&l, c, ACC_PRINCIPAL, ACC_CASH, c->amount, NULL, c->uscc);
    char programme[24] = "";
    if (c->subsidy_programme_id)
        snprintf(programme, sizeof(programme), "subsidy:%lld", (long long)c->subsidy_programme_id);
    /* The first-loan award is paid to the firm now; the programme owes it. */
    loan_lines_move(&l, c, ACC_SUBSIDY_RECEIVABLE, ACC_CASH, c->award, programme, c->uscc);
    *entry = 0;
    if (l.n == 0)
        return PH_OK;
    char memo[96];
    snprintf(memo, sizeof(memo), "loan %lld booked from decision %lld", (long long)c->id,
             (long long)c->decision_id);
    return ph_ledger_post(store, on, "disburse", memo, l.line, l.n, entry, err);
}

static ph_status book(ph_store *store, const ph_market_offer *o, const ph_loan_accept_opts *opts,
                      int64_t *loan_id, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    loan_products ps = {0};
    ph_status st = loan_products_current(store, &ps, err);
    if (st != PH_OK)
        return st;
    const loan_product *p = loan_product_find(&ps, o->product);
    ph_date on = opts != NULL && opts->on != 0 ? opts->on : o->asof;
    ph_money amount = opts != NULL && opts->amount != 0 ? opts->amount : o->amount;
    /* The offer first: a declined decision has no amount, and the firm must
     * read that it was declined, not that the amount is wrong. */
    st = judge_offer(store, o, p, on, err);
    if (st == PH_OK && (amount <= 0 || amount > o->amount)) {
        char v[32], most[PH_MONEY_FORMAT_MAX];
        ph_money_format(amount, 0, v, sizeof(v), NULL);
        ph_money_format(o->amount, 0, most, sizeof(most), NULL);
        st = ph_error_set(err, PH_EINVAL, "amount", v, "expected more than 0 and at most the offer, %s",
                          most);
    }
    if (st == PH_OK)
        st = loan_check_day(store, NULL, on, err);
    loan_contract c;
    ph_money pool_capital = 0;
    if (st == PH_OK)
        st = fill_contract(store, o, &ps, p, on, amount, &c, &pool_capital, err);
    ph_instalment rows[PH_LOAN_MAX_TERM_MONTHS];
    size_t n = 0;
    if (st == PH_OK) {
        ph_schedule_terms t = {0};
        t.principal = c.amount;
        t.anchor = on;
        t.first_k = 1;
        t.term_months = (int32_t)c.term;
        t.period_start = on;
        t.method = c.method;
        t.rate = c.rate;
        t.daycount = c.daycount;
        t.harvest_months = c.harvest_months;
        st = ph_schedule_build(&t, rows, PH_LOAN_MAX_TERM_MONTHS, &n, err);
    }
    if (st == PH_OK)
        st = loan_contract_insert(store, &c, &c.id, err);
    if (st == PH_OK)
        st = loan_schedule_write(store, c.id, 1, rows, n, err);
    if (st == PH_OK && c.pool[0] != '\0')
        st = loan_pool_seed(store, c.pool, pool_capital, on, err);
    int64_t entry = 0;
    if (st == PH_OK)
        st = disburse(store, &c, on, &entry, err);
    if (st == PH_OK) {
        loan_row r;
        memset(&r, 0, sizeof(r));
        r.s.loan_id = c.id;
        r.s.rate = c.rate;
        r.s.penalty_rate = c.penalty_rate;
        r.s.daycount = c.daycount;
        r.s.grace_days = c.grace_days;
        r.s.principal = c.method == PH_METHOD_REVOLVING ? 0 : c.amount;
        r.s.next_k = 0;
        r.s.n_instalments = (int32_t)n;
        r.status = LOAN_ACTIVE;
        r.schedule_version = 1;
        r.last_event_on = on;
        st = loan_row_insert(store, &r, err);
    }
    if (st == PH_OK) {
        char detail[128];
        snprintf(detail, sizeof(detail), "decision %lld, %s, %lld months",
                 (long long)c.decision_id, ph_schedule_method_name(c.method), (long long)c.term);
        st = loan_event_add(store, c.id, on, "book", c.amount, detail, entry, err);
    }
    loan_products_release(ctx, &ps);
    if (st == PH_OK)
        *loan_id = c.id;
    return st;
}

ph_status ph_loan_accept(ph_store *store, int64_t decision_id, const ph_loan_accept_opts *opts,
                         int64_t *loan_id, ph_error *err)
{
    if (store == NULL || loan_id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_accept: NULL argument");
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_loan_accept runs its own transaction");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    ph_market_offer o;
    if (st == PH_OK)
        st = ph_market_offer_get(store, decision_id, &o, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    int64_t id = 0;
    st = book(store, &o, opts, &id, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK) {
        ph_store_rollback(store, NULL);
        return st;
    }
    *loan_id = id;
    return PH_OK;
}
