/*
 * Servicing events (docs/loans.md#servicing): draws on a line, repayments by
 * the product's allocation order, prepayments that rebuild the schedule,
 * renewals without repaying principal, and freezing a line. Each event is
 * one transaction: the state, the billed instalments, the event and its
 * balanced ledger entry are stored together or not at all.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- one event's frame: read, check the day, post, write ---------------------------------- */

typedef struct event {
    ph_store *store;
    loan_contract c;
    loan_row r;
    ph_date on;
    loan_lines lines;
} event;

static ph_status event_open(ph_store *store, int64_t id, ph_date on, event *e, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "loan event: NULL store");
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "loan events run their own transaction");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    memset(e, 0, sizeof(*e));
    e->store = store;
    e->on = on;
    st = loan_contract_read(store, id, &e->c, err);
    if (st == PH_OK)
        st = loan_row_read(store, id, &e->r, err);
    if (st == PH_OK) {
        /* The contract's terms the state row does not keep: without them a
         * segment closed by the event would be priced at a zero penalty
         * rate, and the penalty already posted would be taken back. */
        e->r.s.penalty_rate = e->c.penalty_rate;
        e->r.s.daycount = e->c.daycount;
        e->r.s.grace_days = e->c.grace_days;
        st = loan_check_day(store, &e->r, on, err);
    }
    if (st == PH_OK && e->r.status != LOAN_ACTIVE) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)id);
        st = ph_error_set(err, PH_EINVAL, "loan", v, "the loan is %s: no event can change it",
                          loan_status_name(e->r.status));
    }
    if (st != PH_OK)
        ph_store_rollback(store, NULL);
    return st;
}

/* Post the lines, write the state and the event, commit; roll back on error. */
static ph_status event_close(event *e, const char *kind, ph_money amount, const char *detail,
                             ph_error *err)
{
    int64_t entry = 0;
    ph_status st = PH_OK;
    char memo[160];
    snprintf(memo, sizeof(memo), "loan %lld: %s", (long long)e->c.id, detail);
    if (e->lines.n > 0)
        st = ph_ledger_post(e->store, e->on, kind, memo, e->lines.line, e->lines.n, &entry, err);
    e->r.last_event_on = e->on;
    if (st == PH_OK)
        st = loan_row_update(e->store, &e->r, err);
    if (st == PH_OK)
        st = loan_event_add(e->store, e->c.id, e->on, kind, amount, detail, entry, err);
    if (st == PH_OK)
        st = ph_store_commit(e->store, err);
    if (st != PH_OK)
        ph_store_rollback(e->store, NULL);
    return st;
}

static ph_status event_fail(event *e, ph_status st)
{
    ph_store_rollback(e->store, NULL);
    return st;
}

static ph_status bad_amount(ph_money amount, const char *why, ph_error *err)
{
    char v[PH_MONEY_FORMAT_MAX];
    ph_money_format(amount, 0, v, sizeof(v), NULL);
    return ph_error_set(err, PH_EINVAL, "amount", v, "%s", why);
}

static void fmt_money(ph_money m, char *buf, size_t size)
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

/* A balance changes today: the open accrual segments close at the rates
 * that ran until now, so that no day is counted at the new balance twice. */
static ph_status close_segments(event *e, ph_error *err)
{
    ph_status st = ph_accrual_close_segment(&e->r.s.accrual, e->r.s.rate, e->r.s.daycount, err);
    if (st == PH_OK)
        st = ph_accrual_close_segment(&e->r.s.penalty_accrual, e->r.s.penalty_rate,
                                      e->r.s.daycount, err);
    if (st == PH_OK)
        st = ph_accrual_close_segment(&e->r.fee_accrual, e->c.guarantee_fee, PH_DAYCOUNT_ACT_360,
                                      err);
    return st;
}

/* ---- billed instalments: oldest first ----------------------------------------------------- */

/* Apply paid interest and principal to the billed instalments, oldest
 * first, and set the oldest unpaid due date (0 when all are paid). */
static ph_status pay_dues(event *e, ph_money interest, ph_money principal, ph_error *err)
{
    ph_stmt *q = NULL, *u = NULL;
    ph_status st = ph_store_prepare(e->store,
                                    "SELECT k, due_on, principal - paid_principal, "
                                    "interest - paid_interest FROM loan_due WHERE loan_id = ? "
                                    "AND (paid_principal < principal OR paid_interest < interest) "
                                    "ORDER BY k",
                                    &q, err);
    if (st == PH_OK)
        st = ph_store_prepare(e->store,
                              "UPDATE loan_due SET paid_principal = paid_principal + ?, "
                              "paid_interest = paid_interest + ? WHERE loan_id = ? AND k = ?",
                              &u, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 1, e->c.id, err);
    /* Collect first (the walk's statement stays open), then update. */
    int64_t ks[64];
    ph_money pp[64], pi[64];
    size_t n = 0;
    e->r.s.oldest_unpaid_due = 0;
    while (st == PH_OK && (st = ph_stmt_step(q, err)) == PH_OK) {
        ph_money owe_p = ph_stmt_column_int64(q, 2), owe_i = ph_stmt_column_int64(q, 3);
        ph_money take_i = interest < owe_i ? interest : owe_i;
        ph_money take_p = principal < owe_p ? principal : owe_p;
        interest -= take_i;
        principal -= take_p;
        if ((take_i > 0 || take_p > 0) && n < 64) {
            ks[n] = ph_stmt_column_int64(q, 0);
            pp[n] = take_p;
            pi[n] = take_i;
            n++;
        }
        if ((take_i < owe_i || take_p < owe_p) && e->r.s.oldest_unpaid_due == 0) {
            const char *t = ph_stmt_column_text(q, 1);
            st = ph_date_parse(t, strlen(t), &e->r.s.oldest_unpaid_due, err);
        }
    }
    if (st == PH_DONE)
        st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        st = ph_stmt_bind_int64(u, 1, pp[i], err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(u, 2, pi[i], err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(u, 3, e->c.id, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(u, 4, ks[i], err);
        if (st == PH_OK && (st = ph_stmt_step(u, err)) == PH_DONE)
            st = ph_stmt_reset(u, err);
    }
    ph_stmt_free(q);
    ph_stmt_free(u);
    return st;
}

/* Pay what is owed by the product's order. *rest is what is left over. */
static ph_status pay_owed(event *e, ph_money amount, ph_loan_payment *p, ph_money *rest,
                          ph_error *err)
{
    ph_money owed[PH_BUCKET_COUNT];
    loan_owed(&e->r, owed);
    ph_money total = 0;
    for (int b = 0; b < PH_BUCKET_COUNT; b++)
        total += owed[b];
    if (total == 0) {
        *rest = amount;
        return PH_OK;
    }
    ph_status st = ph_allocate_payment(&e->c.allocation, amount, owed, p->paid, rest, err);
    if (st != PH_OK)
        return st;
    /* Penalty accrues on what is overdue: that base changes now. */
    st = close_segments(e, err);
    if (st != PH_OK)
        return st;
    ph_loan_state *s = &e->r.s;
    s->penalty -= p->paid[PH_BUCKET_PENALTY];
    e->r.fee_receivable -= p->paid[PH_BUCKET_FEE];
    s->interest_due -= p->paid[PH_BUCKET_INTEREST];
    s->principal_due -= p->paid[PH_BUCKET_PRINCIPAL];
    const loan_contract *c = &e->c;
    loan_lines_move(&e->lines, c, ACC_CASH, ACC_PENALTY, p->paid[PH_BUCKET_PENALTY], c->uscc, NULL);
    loan_lines_move(&e->lines, c, ACC_CASH, ACC_FEE, p->paid[PH_BUCKET_FEE], c->uscc, NULL);
    loan_lines_move(&e->lines, c, ACC_CASH, ACC_INTEREST_DUE, p->paid[PH_BUCKET_INTEREST], c->uscc,
                    NULL);
    loan_lines_move(&e->lines, c, ACC_CASH, ACC_PRINCIPAL_OVERDUE, p->paid[PH_BUCKET_PRINCIPAL],
                    c->uscc, NULL);
    return pay_dues(e, p->paid[PH_BUCKET_INTEREST], p->paid[PH_BUCKET_PRINCIPAL], err);
}

static void close_if_repaid(event *e, ph_loan_payment *p)
{
    const ph_loan_state *s = &e->r.s;
    int nothing_left = s->principal == 0 && s->principal_due == 0 && s->interest_due == 0 &&
                       s->interest_receivable == 0 && s->penalty == 0 && e->r.fee_receivable == 0;
    /* A line stays open until its maturity: it may be drawn again. */
    if (nothing_left && (e->c.method != PH_METHOD_REVOLVING || e->on >= e->c.maturity_on)) {
        e->r.status = LOAN_CLOSED;
        e->r.s.flags |= PH_LOAN_CLOSED;
        /* The provision held against a repaid loan is released. */
        loan_lines_move(&e->lines, &e->c, ACC_PROVISION, ACC_PROVISION_EXPENSE, e->r.s.provision,
                        NULL, NULL);
        e->r.s.provision = 0;
        e->r.s.category = PH_CATEGORY_NORMAL;
        p->closed = 1;
    }
}

/* ---- draw --------------------------------------------------------------------------------- */

ph_status ph_loan_draw(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                       ph_error *err)
{
    if (amount <= 0)
        return bad_amount(amount, "expected a draw of more than 0", err);
    event e;
    ph_status st = event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    char a[PH_MONEY_FORMAT_MAX], b[PH_MONEY_FORMAT_MAX], v[PH_MONEY_FORMAT_MAX];
    fmt_money(amount, v, sizeof(v));
    ph_money used = e.r.s.principal + e.r.s.principal_due;
    if (e.c.method != PH_METHOD_REVOLVING)
        st = ph_error_set(err, PH_EINVAL, "loan", e.c.product,
                          "a %s loan was disbursed when booked: only a revolving line is drawn",
                          ph_schedule_method_name(e.c.method));
    else if (e.r.s.flags & PH_LOAN_FROZEN)
        st = ph_error_set(err, PH_EINVAL, "amount", v,
                          "the line is frozen: no draw until it is unfrozen");
    else if (on >= e.c.maturity_on)
        st = ph_error_set(err, PH_EINVAL, "on", NULL, "the line has matured: no more draws");
    else if (amount > e.c.amount - used) {
        fmt_money(e.c.amount, a, sizeof(a));
        fmt_money(e.c.amount - used, b, sizeof(b));
        st = ph_error_set(err, PH_EINVAL, "amount", v,
                          "over the limit: the line is %s, %s is available", a, b);
    }
    if (st == PH_OK)
        st = close_segments(&e, err);
    if (st != PH_OK)
        return event_fail(&e, st);
    e.r.s.principal += amount;
    loan_lines_move(&e.lines, &e.c, ACC_PRINCIPAL, ACC_CASH, amount, NULL, e.c.uscc);
    char detail[64];
    snprintf(detail, sizeof(detail), "draw %s", v);
    return event_close(&e, "draw", amount, detail, err);
}

/* ---- repay -------------------------------------------------------------------------------- */

ph_status ph_loan_repay(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                        ph_loan_payment *out, ph_error *err)
{
    if (amount <= 0)
        return bad_amount(amount, "expected a repayment of more than 0", err);
    event e;
    ph_status st = event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    ph_loan_payment p;
    memset(&p, 0, sizeof(p));
    ph_money rest = 0;
    st = pay_owed(&e, amount, &p, &rest, err);
    if (st == PH_OK && rest > 0) {
        /* A line takes the rest as principal (随借随还); a term loan refuses it. */
        if (e.c.method == PH_METHOD_REVOLVING && rest <= e.r.s.principal) {
            st = close_segments(&e, err);
            e.r.s.principal -= rest;
            p.prepaid_principal = rest;
            loan_lines_move(&e.lines, &e.c, ACC_CASH, ACC_PRINCIPAL, rest, e.c.uscc, NULL);
        } else {
            char v[PH_MONEY_FORMAT_MAX], due[PH_MONEY_FORMAT_MAX];
            fmt_money(amount, v, sizeof(v));
            fmt_money(amount - rest, due, sizeof(due));
            st = ph_error_set(err, PH_EINVAL, "amount", v,
                              "more than is owed: %s is due today%s", due,
                              e.c.method == PH_METHOD_REVOLVING
                                  ? " with the drawn principal"
                                  : "; to repay principal early, prepay (puhui loan prepay)");
        }
    }
    if (st != PH_OK)
        return event_fail(&e, st);
    close_if_repaid(&e, &p);
    char v[PH_MONEY_FORMAT_MAX], detail[96];
    fmt_money(amount, v, sizeof(v));
    snprintf(detail, sizeof(detail), "repay %s%s", v, p.closed ? ", loan repaid" : "");
    st = event_close(&e, "repay", amount, detail, err);
    if (st == PH_OK && out != NULL)
        *out = p;
    return st;
}

/* ---- prepay ------------------------------------------------------------------------------- */

/* The period ends early: the interest accrued so far is billed now, and the
 * rebuilt schedule's first instalment runs from today. */
static void bill_accrued(event *e)
{
    ph_money accrued = ph_accrual_period_end(&e->r.s.accrual);
    (void)accrued;
    ph_money billed = e->r.s.interest_receivable;
    e->r.s.interest_receivable = 0;
    e->r.s.interest_due += billed;
    loan_lines_move(&e->lines, &e->c, ACC_INTEREST_DUE, ACC_INTEREST_RECEIVABLE, billed, NULL,
                    NULL);
}

static ph_status rebuild(event *e, ph_error *err)
{
    ph_instalment rows[PH_LOAN_MAX_TERM_MONTHS];
    size_t n = 0;
    ph_schedule_terms t = {0};
    t.principal = e->r.s.principal;
    t.anchor = e->c.booked_on;
    t.first_k = e->r.s.next_k + 1; /* next_k counts the instalments billed */
    t.term_months = (int32_t)e->c.term;
    t.period_start = e->on;
    t.method = e->c.method;
    t.rate = e->r.s.rate;
    t.daycount = e->c.daycount;
    t.harvest_months = e->c.harvest_months;
    ph_status st = ph_schedule_build(&t, rows, PH_LOAN_MAX_TERM_MONTHS, &n, err);
    if (st == PH_OK)
        st = loan_schedule_write(e->store, e->c.id, e->r.schedule_version + 1, rows, n, err);
    if (st == PH_OK)
        e->r.schedule_version++;
    return st;
}

ph_status ph_loan_prepay(ph_store *store, int64_t loan_id, ph_date on, ph_money amount, int full,
                         ph_loan_payment *out, ph_error *err)
{
    if (!full && amount <= 0)
        return bad_amount(amount, "expected a prepayment of more than 0 (or --full)", err);
    event e;
    ph_status st = event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    if (e.c.method == PH_METHOD_REVOLVING)
        return event_fail(&e, ph_error_set(err, PH_EINVAL, "loan", e.c.product,
                                           "a revolving line is repaid at any time with "
                                           "puhui loan repay; it has no schedule to prepay"));
    st = close_segments(&e, err);
    if (st != PH_OK)
        return event_fail(&e, st);
    bill_accrued(&e);
    ph_money owed[PH_BUCKET_COUNT];
    loan_owed(&e.r, owed);
    ph_money due = 0;
    for (int b = 0; b < PH_BUCKET_COUNT; b++)
        due += owed[b];
    ph_money everything = due + e.r.s.principal;
    if (full)
        amount = everything;
    char v[PH_MONEY_FORMAT_MAX], m[PH_MONEY_FORMAT_MAX];
    fmt_money(amount, v, sizeof(v));
    if (amount > everything) {
        fmt_money(everything, m, sizeof(m));
        return event_fail(&e, ph_error_set(err, PH_EINVAL, "amount", v,
                                           "more than is owed: %s repays the loan in full", m));
    }
    if (amount <= due) {
        fmt_money(due, m, sizeof(m));
        return event_fail(&e, ph_error_set(err, PH_EINVAL, "amount", v,
                                           "a prepayment first pays the %s due and accrued; "
                                           "expected more than that (or puhui loan repay)",
                                           m));
    }
    ph_loan_payment p;
    memset(&p, 0, sizeof(p));
    ph_money rest = 0;
    st = pay_owed(&e, amount, &p, &rest, err);
    if (st == PH_OK) {
        e.r.s.principal -= rest;
        p.prepaid_principal = rest;
        loan_lines_move(&e.lines, &e.c, ACC_CASH, ACC_PRINCIPAL, rest, e.c.uscc, NULL);
        if (e.r.s.principal > 0)
            st = rebuild(&e, err);
    }
    if (st != PH_OK)
        return event_fail(&e, st);
    close_if_repaid(&e, &p);
    char detail[96];
    snprintf(detail, sizeof(detail), "prepay %s%s", v, p.closed ? ", loan repaid" : "");
    st = event_close(&e, "prepay", amount, detail, err);
    if (st == PH_OK && out != NULL)
        *out = p;
    return st;
}

/* ---- freeze ------------------------------------------------------------------------------- */

ph_status ph_loan_freeze(ph_store *store, int64_t loan_id, ph_date on, int frozen,
                         const char *reason, ph_error *err)
{
    event e;
    ph_status st = event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    int is = (e.r.s.flags & PH_LOAN_FROZEN) != 0;
    if (e.c.method != PH_METHOD_REVOLVING)
        st = ph_error_set(err, PH_EINVAL, "loan", e.c.product,
                          "only a revolving line can be frozen");
    else if (is == (frozen != 0))
        st = ph_error_set(err, PH_EINVAL, "loan", NULL, "the line is %s already",
                          is ? "frozen" : "not frozen");
    if (st != PH_OK)
        return event_fail(&e, st);
    if (frozen)
        e.r.s.flags |= PH_LOAN_FROZEN;
    else
        e.r.s.flags &= ~(uint32_t)PH_LOAN_FROZEN;
    char detail[256];
    snprintf(detail, sizeof(detail), "%s: %s", frozen ? "frozen" : "unfrozen",
             reason != NULL && reason[0] ? reason : "no reason given");
    return event_close(&e, frozen ? "freeze" : "unfreeze", 0, detail, err);
}
