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

#include "core/i128.h"

/* ---- one event's frame: read, check the day, post, write ---------------------------------- */


/* A repayment whose reference is stored already was applied before (a
 * batch run again): PH_EEXISTS naming the loan, day and amount it paid. */
static ph_status reference_unused(ph_store *store, const char *reference, ph_error *err)
{
    if (reference == NULL)
        return PH_OK;
    size_t len = strlen(reference);
    if (len == 0 || len > PH_LOAN_REFERENCE_MAX)
        return ph_error_set(err, PH_EINVAL, "reference", reference,
                            "expected a reference of 1 to %d bytes", PH_LOAN_REFERENCE_MAX);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT loan_id, on_date, amount_fen FROM loan_event "
                                    "WHERE reference = ?",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, reference, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK) {
        char paid[PH_MONEY_FORMAT_MAX];
        if (ph_money_format(ph_stmt_column_int64(s, 2), 0, paid, sizeof(paid), NULL) != PH_OK)
            snprintf(paid, sizeof(paid), "?");
        st = ph_error_set(err, PH_EEXISTS, "reference", reference,
                          "applied already: loan %lld repaid %s yuan on %s",
                          (long long)ph_stmt_column_int64(s, 0), paid, ph_stmt_column_text(s, 1));
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status loan_event_open_ref(ph_store *store, int64_t id, ph_date on, const char *reference,
                             loan_evt *e, ph_error *err)
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
    e->reference = reference;
    /* First, so that a batch run again after the day was closed still
     * learns that the repayment is in, rather than that the day is shut. */
    st = reference_unused(store, reference, err);
    if (st == PH_OK)
        st = loan_contract_read(store, id, &e->c, err);
    if (st == PH_OK)
        st = loan_row_read(store, id, &e->r, err);
    if (st == PH_OK)
        st = loan_check_day(store, &e->r, on, err);
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

ph_status loan_event_open(ph_store *store, int64_t id, ph_date on, loan_evt *e, ph_error *err)
{
    return loan_event_open_ref(store, id, on, NULL, e, err);
}

/* Post the lines, write the state and the event, commit; roll back on error. */
ph_status loan_event_close(loan_evt *e, const char *kind, ph_money amount, const char *detail,
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
        st = loan_event_add(e->store, e->c.id, e->on, kind, amount, detail, entry, e->reference,
                            err);
    if (st == PH_OK)
        st = ph_store_commit(e->store, err);
    if (st != PH_OK)
        ph_store_rollback(e->store, NULL);
    return st;
}

ph_status loan_event_fail(loan_evt *e, ph_status st)
{
    ph_store_rollback(e->store, NULL);
    return st;
}

/* The loan's id as an error's value. */
static const char *loan_id_text(loan_evt *e)
{
    snprintf(e->id_text, sizeof(e->id_text), "%lld", (long long)e->c.id);
    return e->id_text;
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

/* ---- billed instalments: oldest first ----------------------------------------------------- */

/* Apply paid interest and principal to the billed instalments, oldest
 * first, and set the oldest unpaid due date (0 when all are paid). */
static ph_status pay_dues(loan_evt *e, ph_money interest, ph_money principal, ph_error *err)
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
    typedef struct paid_due {
        int64_t k;
        ph_money principal, interest;
    } paid_due;
    const ph_ctx *ctx = ph_store_ctx(e->store);
    paid_due *paid = NULL;
    size_t n = 0, cap = 0;
    e->r.s.oldest_unpaid_due = 0;
    while (st == PH_OK && (st = ph_stmt_step(q, err)) == PH_OK) {
        ph_money owe_p = ph_stmt_column_int64(q, 2), owe_i = ph_stmt_column_int64(q, 3);
        ph_money take_i = interest < owe_i ? interest : owe_i;
        ph_money take_p = principal < owe_p ? principal : owe_p;
        interest -= take_i;
        principal -= take_p;
        if (take_i > 0 || take_p > 0) {
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                paid_due *grown = ph_realloc(ctx, paid, cap * sizeof(*grown));
                if (grown == NULL) {
                    st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                    break;
                }
                paid = grown;
            }
            paid[n++] = (paid_due){ph_stmt_column_int64(q, 0), take_p, take_i};
        }
        if ((take_i < owe_i || take_p < owe_p) && e->r.s.oldest_unpaid_due == 0) {
            const char *t = ph_stmt_column_text(q, 1);
            st = ph_date_parse(t, strlen(t), &e->r.s.oldest_unpaid_due, err);
        }
    }
    if (st == PH_DONE)
        st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        st = ph_stmt_bind_int64(u, 1, paid[i].principal, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(u, 2, paid[i].interest, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(u, 3, e->c.id, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(u, 4, paid[i].k, err);
        if (st == PH_OK && (st = ph_stmt_step(u, err)) == PH_DONE)
            st = ph_stmt_reset(u, err);
    }
    ph_free(ctx, paid);
    ph_stmt_free(q);
    ph_stmt_free(u);
    return st;
}

/* Pay what is owed by the product's order. *rest is what is left over. */
static ph_status pay_owed(loan_evt *e, ph_money amount, ph_loan_payment *p, ph_money *rest,
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

static void close_if_repaid(loan_evt *e, ph_loan_payment *p)
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

/* ---- an instalment due today, before the day's COB ------------------------------------------ */

/* A repayment or prepayment on a due date, before that day's close of
 * business, first bills the instalment due today (ph_cob_bill), as COB
 * would, so the firm pays what it owes today; that day's COB then finds
 * nothing more to bill. */
static ph_status bill_due_today(loan_evt *e, ph_error *err)
{
    ph_loan_state *s = &e->r.s;
    ph_instalment row;
    ph_status st = loan_schedule_row(e->store, e->c.id, e->r.schedule_version, s->next_k + 1,
                                     &row, err);
    if (st == PH_DONE)
        return PH_OK;
    if (st != PH_OK || row.due_on > e->on)
        return st;
    ph_instalment window[2];
    int32_t n = 0, billed_before = s->next_k;
    window[n++] = row;
    if (row.k < e->c.term) {
        memset(&window[n], 0, sizeof(window[n]));
        window[n].due_on = INT32_MAX;
        n++;
    }
    s->schedule = window;
    s->n_instalments = n;
    s->next_k = 0;
    ph_cob_delta x;
    memset(&x, 0, sizeof(x));
    st = ph_cob_bill(s, e->on, &x, err);
    s->next_k = billed_before + (st == PH_OK ? x.instalments_billed : 0);
    s->schedule = NULL;
    s->n_instalments = 0;
    if (st != PH_OK || x.instalments_billed == 0)
        return st;
    const loan_contract *c = &e->c;
    loan_lines_move(&e->lines, c, ACC_PRINCIPAL_OVERDUE, ACC_PRINCIPAL, x.principal_billed, NULL,
                    NULL);
    loan_lines_move(&e->lines, c, ACC_INTEREST_DUE, ACC_INTEREST_RECEIVABLE, x.interest_billed,
                    NULL, NULL);
    ph_money subsidy = loan_subsidy_of(x.interest_billed, c->subsidy_rate, s->rate);
    /* The line keeps a pointer to its party until the entry is posted at the
     * event's close: the text must outlive this function. */
    snprintf(e->programme, sizeof(e->programme), "subsidy:%lld",
             (long long)c->subsidy_programme_id);
    loan_lines_move(&e->lines, c, ACC_SUBSIDY_RECEIVABLE, ACC_CASH, subsidy, e->programme,
                    c->uscc);
    return loan_due_add(e->store, c->id, row.k, e->on, x.principal_billed, x.interest_billed,
                        err);
}

/* ---- draw --------------------------------------------------------------------------------- */

ph_status ph_loan_draw(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                       ph_error *err)
{
    if (amount <= 0)
        return bad_amount(amount, "expected a draw of more than 0", err);
    loan_evt e;
    ph_status st = loan_event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    char a[PH_MONEY_FORMAT_MAX], b[PH_MONEY_FORMAT_MAX], v[PH_MONEY_FORMAT_MAX];
    fmt_money(amount, v, sizeof(v));
    ph_money used = e.r.s.principal + e.r.s.principal_due;
    if (e.c.method != PH_METHOD_REVOLVING)
        st = ph_error_set(err, PH_EINVAL, "loan", loan_id_text(&e),
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
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    /* The engine closes the interest segment at the next COB: it sees the
     * balance differ from the open segment's (docs/loans.md#accrual). */
    e.r.s.principal += amount;
    loan_lines_move(&e.lines, &e.c, ACC_PRINCIPAL, ACC_CASH, amount, NULL, e.c.uscc);
    char detail[64];
    snprintf(detail, sizeof(detail), "draw %s", v);
    return loan_event_close(&e, "draw", amount, detail, err);
}

/* ---- repay -------------------------------------------------------------------------------- */

ph_status ph_loan_repay(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                        ph_loan_payment *out, ph_error *err)
{
    return ph_loan_repay_ref(store, loan_id, on, amount, NULL, out, err);
}

ph_status ph_loan_repay_ref(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                            const char *reference, ph_loan_payment *out, ph_error *err)
{
    if (amount <= 0)
        return bad_amount(amount, "expected a repayment of more than 0", err);
    loan_evt e;
    ph_status st = loan_event_open_ref(store, loan_id, on, reference, &e, err);
    if (st != PH_OK)
        return st;
    st = bill_due_today(&e, err);
    ph_loan_payment p;
    memset(&p, 0, sizeof(p));
    ph_money rest = 0;
    if (st == PH_OK)
        st = pay_owed(&e, amount, &p, &rest, err);
    if (st == PH_OK && rest > 0) {
        /* A line takes the rest as principal (随借随还); a term loan refuses it. */
        if (e.c.method == PH_METHOD_REVOLVING && rest <= e.r.s.principal) {
            e.r.s.principal -= rest;
            p.prepaid_principal = rest;
            loan_lines_move(&e.lines, &e.c, ACC_CASH, ACC_PRINCIPAL, rest, e.c.uscc, NULL);
        } else {
            char v[PH_MONEY_FORMAT_MAX], due[PH_MONEY_FORMAT_MAX], most[PH_MONEY_FORMAT_MAX];
            fmt_money(amount, v, sizeof(v));
            fmt_money(amount - rest, due, sizeof(due));
            fmt_money(amount - rest + e.r.s.principal, most, sizeof(most));
            if (e.c.method == PH_METHOD_REVOLVING)
                st = ph_error_set(err, PH_EINVAL, "amount", v,
                                  "more than is owed: at most %s (%s due today and the drawn "
                                  "principal)",
                                  most, due);
            else
                st = ph_error_set(err, PH_EINVAL, "amount", v,
                                  "more than is owed: %s is due today; to repay principal early, "
                                  "prepay (puhui loan prepay)",
                                  due);        }
    }
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    close_if_repaid(&e, &p);
    char v[PH_MONEY_FORMAT_MAX], detail[96];
    fmt_money(amount, v, sizeof(v));
    snprintf(detail, sizeof(detail), "repay %s%s", v, p.closed ? ", loan repaid" : "");
    st = loan_event_close(&e, "repay", amount, detail, err);
    if (st == PH_OK && out != NULL)
        *out = p;
    return st;
}

/* ---- prepay ------------------------------------------------------------------------------- */

/* The period ends early: the interest accrued so far is billed now, and the
 * rebuilt schedule's first instalment runs from today. */
static void bill_accrued(loan_evt *e)
{
    (void)ph_accrual_period_end(&e->r.s.accrual);
    e->r.s.accrual_balance = 0;
    e->r.s.accrual_rate = 0;
    ph_money billed = e->r.s.interest_receivable;
    e->r.s.interest_receivable = 0;
    e->r.s.interest_due += billed;
    loan_lines_move(&e->lines, &e->c, ACC_INTEREST_DUE, ACC_INTEREST_RECEIVABLE, billed, NULL,
                    NULL);
}

static ph_status rebuild(loan_evt *e, ph_error *err)
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
    return ph_loan_prepay_ref(store, loan_id, on, amount, full, NULL, out, err);
}

ph_status ph_loan_payment_by_ref(ph_store *store, const char *reference,
                                 ph_loan_ref_payment *out, int *found, ph_error *err)
{
    if (store == NULL || reference == NULL || out == NULL || found == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_payment_by_ref: NULL argument");
    memset(out, 0, sizeof(*out));
    *found = 0;
    ph_stmt *s = NULL;
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT e.loan_id, e.on_date, e.kind, e.amount_fen, l.status FROM "
                              "loan_event e JOIN loan_state l ON l.loan_id = e.loan_id "
                              "WHERE e.reference = ?",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, reference, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK) {
        const char *t = ph_stmt_column_text(s, 1);
        out->loan_id = ph_stmt_column_int64(s, 0);
        st = ph_date_parse(t ? t : "", t ? strlen(t) : 0, &out->on, err);
        t = ph_stmt_column_text(s, 2);
        snprintf(out->kind, sizeof(out->kind), "%s", t ? t : "");
        out->amount = ph_stmt_column_int64(s, 3);
        t = ph_stmt_column_text(s, 4);
        out->closed = t != NULL && strcmp(t, "closed") == 0;
        *found = st == PH_OK;
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_loan_prepay_ref(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                             int full, const char *reference, ph_loan_payment *out,
                             ph_error *err)
{
    if (!full && amount <= 0)
        return bad_amount(amount, "expected a prepayment of more than 0 (or --full)", err);
    loan_evt e;
    ph_status st = loan_event_open_ref(store, loan_id, on, reference, &e, err);
    if (st != PH_OK)
        return st;
    if (e.c.method == PH_METHOD_REVOLVING)
        return loan_event_fail(&e, ph_error_set(err, PH_EINVAL, "loan", loan_id_text(&e),
                                           "a revolving line is repaid at any time with "
                                           "puhui loan repay; it has no schedule to prepay"));
    st = bill_due_today(&e, err);
    if (st != PH_OK)
        return loan_event_fail(&e, st);
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
        return loan_event_fail(&e, ph_error_set(err, PH_EINVAL, "amount", v,
                                           "more than is owed: %s repays the loan in full", m));
    }
    if (amount <= due) {
        fmt_money(due, m, sizeof(m));
        return loan_event_fail(&e, ph_error_set(err, PH_EINVAL, "amount", v,
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
        return loan_event_fail(&e, st);
    close_if_repaid(&e, &p);
    char detail[96];
    snprintf(detail, sizeof(detail), "prepay %s%s", v, p.closed ? ", loan repaid" : "");
    st = loan_event_close(&e, "prepay", amount, detail, err);
    if (st == PH_OK && out != NULL)
        *out = p;
    return st;
}

/* ---- freeze ------------------------------------------------------------------------------- */

ph_status ph_loan_freeze(ph_store *store, int64_t loan_id, ph_date on, int frozen,
                         const char *reason, ph_error *err)
{
    loan_evt e;
    ph_status st = loan_event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    int is = (e.r.s.flags & PH_LOAN_FROZEN) != 0;
    if (e.c.method != PH_METHOD_REVOLVING)
        st = ph_error_set(err, PH_EINVAL, "loan", loan_id_text(&e),
                          "only a revolving line can be frozen");
    else if (is == (frozen != 0))
        st = ph_error_set(err, PH_EINVAL, "loan", NULL, "the line is %s already",
                          is ? "frozen" : "not frozen");
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    if (frozen)
        e.r.s.flags |= PH_LOAN_FROZEN;
    else
        e.r.s.flags &= ~(uint32_t)PH_LOAN_FROZEN;
    char detail[256];
    snprintf(detail, sizeof(detail), "%s: %s", frozen ? "frozen" : "unfrozen",
             reason != NULL && reason[0] ? reason : "no reason given");
    return loan_event_close(&e, frozen ? "freeze" : "unfreeze", 0, detail, err);
}

/* ---- reprice ------------------------------------------------------------------------------ */

ph_status ph_loan_reprice(ph_store *store, int64_t loan_id, ph_date on, ph_rate rate,
                          ph_error *err)
{
    if (rate < 0 || rate > 100 * PH_RATE_PERCENT) {
        char v[32];
        snprintf(v, sizeof(v), "%lld", (long long)rate);
        return ph_error_set(err, PH_EINVAL, "rate", v, "expected 0 to 100%%");
    }
    loan_evt e;
    ph_status st = loan_event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    /* On a due date, the instalment due today is billed first, at the rate
     * that ran (as a repayment would): the rebuild starts after it. */
    st = bill_due_today(&e, err);
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    ph_loan_state *s = &e.r.s;
    ph_rate old = s->rate;
    /* The open segment closes at the old rate; the rebuilt instalment's
     * interest carries what accrued before today (FINERACT's repricing
     * failure class, docs/loans.md#accrual). */
    st = ph_accrual_close_segment(&s->accrual, old, s->daycount, err);
    s->accrual_balance = 0;
    s->accrual_rate = 0;
    /* The penalty keeps its markup over the rate: in proportion, or, from a
     * rate of 0, the same gap. */
    ph_rate markup = s->penalty_rate - old;
    if (st == PH_OK && old > 0) {
        i128 num = (i128)(s->penalty_rate - old) * rate;
        int64_t m = 0;
        if (!i128_to_i64(i128_div_round(num, (i128)old, PH_ROUND_HALF_UP), &m))
            st = ph_error_set(err, PH_ERANGE, "rate", NULL, "the penalty rate overflows");
        markup = m;
    }
    if (st == PH_OK) {
        s->rate = rate;
        s->penalty_rate = rate + markup;
    }
    if (st == PH_OK && s->principal > 0 && e.c.method != PH_METHOD_REVOLVING) {
        ph_instalment rows[PH_LOAN_MAX_TERM_MONTHS];
        size_t n = 0;
        ph_schedule_terms t = {0};
        t.principal = s->principal;
        t.anchor = e.c.booked_on;
        t.first_k = s->next_k + 1;
        t.term_months = (int32_t)e.c.term;
        t.period_start = on;
        t.method = e.c.method;
        t.rate = rate;
        t.daycount = e.c.daycount;
        t.harvest_months = e.c.harvest_months;
        t.accrued_before = s->accrual.closed;
        st = ph_schedule_build(&t, rows, PH_LOAN_MAX_TERM_MONTHS, &n, err);
        if (st == PH_OK)
            st = loan_schedule_write(store, e.c.id, e.r.schedule_version + 1, rows, n, err);
        if (st == PH_OK)
            e.r.schedule_version++;
    }
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    char a[32], b[32], detail[96];
    ph_rate_format_percent(old, a, sizeof(a), NULL);
    ph_rate_format_percent(rate, b, sizeof(b), NULL);
    snprintf(detail, sizeof(detail), "repriced from %s to %s", a, b);
    return loan_event_close(&e, "reprice", 0, detail, err);
}
