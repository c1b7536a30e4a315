/*
 * The loan book's rows: the contract (written once), the state (one row per
 * loan, rewritten by every event and COB), schedules by version, billed
 * instalments and the event log. Dates are ISO text at this boundary only.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/i128.h"

const char *loan_status_name(loan_status s)
{
    static const char *const names[] = {"active", "closed", "renewed", "written_off"};
    return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

static loan_status status_parse(const char *s)
{
    for (int i = LOAN_ACTIVE; i <= LOAN_WRITTEN_OFF; i++)
        if (strcmp(s, loan_status_name((loan_status)i)) == 0)
            return (loan_status)i;
    return LOAN_ACTIVE;
}

/* ---- dates and optional text at the boundary ---------------------------------------------- */

static ph_status bind_date(ph_stmt *s, int i, ph_date d, ph_error *err)
{
    if (d == 0)
        return ph_stmt_bind_null(s, i, err);
    char buf[16];
    ph_status st = ph_date_format(d, buf, sizeof(buf), err);
    return st == PH_OK ? ph_stmt_bind_text(s, i, buf, -1, err) : st;
}

static ph_status bind_opt_text(ph_stmt *s, int i, const char *t, ph_error *err)
{
    return t[0] == '\0' ? ph_stmt_bind_null(s, i, err) : ph_stmt_bind_text(s, i, t, -1, err);
}

static ph_status column_date(ph_stmt *s, int col, ph_date *out, ph_error *err)
{
    if (ph_stmt_column_is_null(s, col)) {
        *out = 0;
        return PH_OK;
    }
    const char *t = ph_stmt_column_text(s, col);
    return ph_date_parse(t, strlen(t), out, err);
}

static ph_status column_copy(ph_stmt *s, int col, char *dst, size_t size, ph_error *err)
{
    const char *t = ph_stmt_column_is_null(s, col) ? "" : ph_stmt_column_text(s, col);
    if (strlen(t) >= size)
        return ph_error_set(err, PH_ESTORE, "loan", t, "stored text longer than %zu bytes",
                            size - 1);
    snprintf(dst, size, "%s", t);
    return PH_OK;
}

static ph_status step_done(ph_stmt *s, ph_error *err)
{
    ph_status st = ph_stmt_step(s, err);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status not_found(int64_t id, ph_error *err)
{
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)id);
    return ph_error_set(err, PH_ENOTFOUND, "loan", v, "no loan with that id");
}

/* ---- the contract ------------------------------------------------------------------------- */

ph_status loan_contract_insert(ph_store *store, const loan_contract *c, int64_t *id, ph_error *err)
{
    ph_stmt *s = NULL;
    char at[PH_UTC_MAX];
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), at, err);
    if (st == PH_OK)
        st = ph_store_prepare(
            store,
            "INSERT INTO loan (decision_id, renewal_of, uscc, lender, product, product_version, "
            "method, amount_fen, rate, term, daycount, penalty_rate, grace_days, allocation, "
            "harvest_months, guarantor, guarantee_fee, scheme, pool, pool_bp, "
            "subsidy_programme_id, subsidy_rate, award_fen, restructured, booked_on, maturity_on, "
            "booked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?) RETURNING id",
            &s, err);
    int i = 1;
    if (st == PH_OK)
        st = c->decision_id ? ph_stmt_bind_int64(s, i, c->decision_id, err)
                            : ph_stmt_bind_null(s, i, err);
    i++;
    if (st == PH_OK)
        st = c->renewal_of ? ph_stmt_bind_int64(s, i, c->renewal_of, err)
                           : ph_stmt_bind_null(s, i, err);
    i++;
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, c->uscc, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, c->lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, c->product, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->product_version, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, ph_schedule_method_name(c->method), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->amount, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->rate, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->term, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, ph_daycount_name(c->daycount), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->penalty_rate, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->grace_days, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, c->allocation_text, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->harvest_months, err);
    if (st == PH_OK)
        st = bind_opt_text(s, i++, c->guarantor, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->guarantee_fee, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, c->scheme, -1, err);
    if (st == PH_OK)
        st = bind_opt_text(s, i++, c->pool, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->pool_bp, err);
    if (st == PH_OK)
        st = c->subsidy_programme_id ? ph_stmt_bind_int64(s, i, c->subsidy_programme_id, err)
                                     : ph_stmt_bind_null(s, i, err);
    i++;
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->subsidy_rate, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->award, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, c->restructured, err);
    if (st == PH_OK)
        st = bind_date(s, i++, c->booked_on, err);
    if (st == PH_OK)
        st = bind_date(s, i++, c->maturity_on, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, i++, at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(s, id, err);
    ph_stmt_free(s);
    return st;
}

ph_status loan_contract_read(ph_store *store, int64_t id, loan_contract *c, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT decision_id, renewal_of, uscc, lender, product, product_version, method, "
        "amount_fen, rate, term, daycount, penalty_rate, grace_days, allocation, harvest_months, "
        "guarantor, guarantee_fee, scheme, pool, pool_bp, subsidy_programme_id, subsidy_rate, "
        "award_fen, restructured, booked_on, maturity_on FROM loan WHERE id = ?",
        &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = not_found(id, err);
    if (st == PH_OK) {
        memset(c, 0, sizeof(*c));
        c->id = id;
        c->decision_id = ph_stmt_column_int64(s, 0);
        c->renewal_of = ph_stmt_column_int64(s, 1);
        c->product_version = ph_stmt_column_int64(s, 5);
        c->amount = ph_stmt_column_int64(s, 7);
        c->rate = ph_stmt_column_int64(s, 8);
        c->term = ph_stmt_column_int64(s, 9);
        c->penalty_rate = ph_stmt_column_int64(s, 11);
        c->grace_days = (int32_t)ph_stmt_column_int64(s, 12);
        c->harvest_months = (uint16_t)ph_stmt_column_int64(s, 14);
        c->guarantee_fee = ph_stmt_column_int64(s, 16);
        c->pool_bp = (int32_t)ph_stmt_column_int64(s, 19);
        c->subsidy_programme_id = ph_stmt_column_int64(s, 20);
        c->subsidy_rate = ph_stmt_column_int64(s, 21);
        c->award = ph_stmt_column_int64(s, 22);
        c->restructured = (int)ph_stmt_column_int64(s, 23);
        st = column_copy(s, 2, c->uscc, sizeof(c->uscc), err);
    }
    if (st == PH_OK)
        st = column_copy(s, 3, c->lender, sizeof(c->lender), err);
    if (st == PH_OK)
        st = column_copy(s, 4, c->product, sizeof(c->product), err);
    if (st == PH_OK) {
        const char *m = ph_stmt_column_text(s, 6);
        st = ph_schedule_method_parse(m, strlen(m), &c->method, err);
    }
    if (st == PH_OK) {
        const char *d = ph_stmt_column_text(s, 10);
        st = ph_daycount_parse(d, strlen(d), &c->daycount, err);
    }
    if (st == PH_OK)
        st = column_copy(s, 13, c->allocation_text, sizeof(c->allocation_text), err);
    if (st == PH_OK)
        st = ph_allocation_order_parse(c->allocation_text, strlen(c->allocation_text),
                                       &c->allocation, err);
    if (st == PH_OK)
        st = column_copy(s, 15, c->guarantor, sizeof(c->guarantor), err);
    if (st == PH_OK)
        st = column_copy(s, 17, c->scheme, sizeof(c->scheme), err);
    if (st == PH_OK)
        st = column_copy(s, 18, c->pool, sizeof(c->pool), err);
    if (st == PH_OK)
        st = column_date(s, 24, &c->booked_on, err);
    if (st == PH_OK)
        st = column_date(s, 25, &c->maturity_on, err);
    ph_stmt_free(s);
    return st;
}

/* ---- the state ---------------------------------------------------------------------------- */

const char LOAN_ROW_COLUMNS[] =
    "loan_id, status, flags, rate, principal, principal_due, interest_receivable, interest_due, "
    "penalty, fee_receivable, acc_closed, acc_balance_days, acc_posted, pen_closed, "
    "pen_balance_days, pen_posted, fee_closed, fee_balance_days, fee_posted, oldest_unpaid_due, "
    "dpd, category, restructured_on, npl_since, provision, schedule_version, next_k, "
    "defaulted_on, last_event_on, last_cob, acc_balance, acc_rate, pen_base, pen_rate, "
    "penalty_rate";
enum { ROW_COLUMN_COUNT = 35 };

/* Bind the row's values from index `first`, in LOAN_ROW_COLUMNS order less
 * loan_id (which the caller binds where its statement wants it). */
static ph_status bind_row(ph_stmt *s, int first, const loan_row *r, ph_error *err)
{
    const ph_loan_state *x = &r->s;
    const int64_t ints[] = {
        (int64_t)x->flags, x->rate, x->principal, x->principal_due, x->interest_receivable,
        x->interest_due, x->penalty, r->fee_receivable, x->accrual.closed,
        x->accrual.balance_days, x->accrual.posted, x->penalty_accrual.closed,
        x->penalty_accrual.balance_days, x->penalty_accrual.posted, r->fee_accrual.closed,
        r->fee_accrual.balance_days, r->fee_accrual.posted};
    int i = first;
    ph_status st = ph_stmt_bind_text_static(s, i++, loan_status_name(r->status), -1, err);
    for (size_t k = 0; st == PH_OK && k < sizeof(ints) / sizeof(ints[0]); k++)
        st = ph_stmt_bind_int64(s, i++, ints[k], err);
    if (st == PH_OK)
        st = bind_date(s, i++, x->oldest_unpaid_due, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, x->dpd, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, (int64_t)x->category, err);
    if (st == PH_OK)
        st = bind_date(s, i++, x->restructured_on, err);
    if (st == PH_OK)
        st = bind_date(s, i++, x->npl_since, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, x->provision, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, r->schedule_version, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, i++, x->next_k, err);
    if (st == PH_OK)
        st = bind_date(s, i++, r->defaulted_on, err);
    if (st == PH_OK)
        st = bind_date(s, i++, r->last_event_on, err);
    if (st == PH_OK)
        st = bind_date(s, i++, x->last_cob, err);
    const int64_t open[] = {x->accrual_balance, x->accrual_rate, x->penalty_base,
                            x->penalty_base_rate, x->penalty_rate};
    for (size_t k = 0; st == PH_OK && k < sizeof(open) / sizeof(open[0]); k++)
        st = ph_stmt_bind_int64(s, i++, open[k], err);
    return st;
}

ph_status loan_row_insert(ph_store *store, const loan_row *r, ph_error *err)
{
    ph_stmt *s = NULL;
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO loan_state (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
             "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             LOAN_ROW_COLUMNS);
    ph_status st = ph_store_prepare(store, sql, &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, r->s.loan_id, err);
    if (st == PH_OK)
        st = bind_row(s, 2, r, err);
    if (st == PH_OK)
        st = step_done(s, err);
    ph_stmt_free(s);
    return st;
}

ph_status loan_row_update_prepare(ph_store *store, ph_stmt **out, ph_error *err)
{
    return ph_store_prepare(
        store,
        "UPDATE loan_state SET status = ?, flags = ?, rate = ?, principal = ?, principal_due = ?, "
        "interest_receivable = ?, interest_due = ?, penalty = ?, fee_receivable = ?, "
        "acc_closed = ?, acc_balance_days = ?, acc_posted = ?, pen_closed = ?, "
        "pen_balance_days = ?, pen_posted = ?, fee_closed = ?, fee_balance_days = ?, "
        "fee_posted = ?, oldest_unpaid_due = ?, dpd = ?, category = ?, restructured_on = ?, "
        "npl_since = ?, provision = ?, schedule_version = ?, next_k = ?, defaulted_on = ?, "
        "last_event_on = ?, last_cob = ?, acc_balance = ?, acc_rate = ?, pen_base = ?, "
        "pen_rate = ?, penalty_rate = ? WHERE loan_id = ?",
        out, err);
}

ph_status loan_row_update_step(ph_stmt *s, const loan_row *r, ph_error *err)
{
    ph_status st = bind_row(s, 1, r, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, ROW_COLUMN_COUNT, r->s.loan_id, err);
    if (st == PH_OK)
        st = step_done(s, err);
    if (st == PH_OK)
        st = ph_stmt_reset(s, err);
    return st;
}

ph_status loan_row_update(ph_store *store, const loan_row *r, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = loan_row_update_prepare(store, &s, err);
    if (st == PH_OK)
        st = loan_row_update_step(s, r, err);
    ph_stmt_free(s);
    return st;
}

ph_status loan_row_from_stmt(ph_stmt *s, int c, loan_row *r, ph_error *err)
{
    memset(r, 0, sizeof(*r));
    ph_loan_state *x = &r->s;
    x->loan_id = ph_stmt_column_int64(s, c + 0);
    r->status = status_parse(ph_stmt_column_text(s, c + 1));
    x->flags = (uint32_t)ph_stmt_column_int64(s, c + 2);
    x->rate = ph_stmt_column_int64(s, c + 3);
    x->principal = ph_stmt_column_int64(s, c + 4);
    x->principal_due = ph_stmt_column_int64(s, c + 5);
    x->interest_receivable = ph_stmt_column_int64(s, c + 6);
    x->interest_due = ph_stmt_column_int64(s, c + 7);
    x->penalty = ph_stmt_column_int64(s, c + 8);
    r->fee_receivable = ph_stmt_column_int64(s, c + 9);
    x->accrual.closed = ph_stmt_column_int64(s, c + 10);
    x->accrual.balance_days = ph_stmt_column_int64(s, c + 11);
    x->accrual.posted = ph_stmt_column_int64(s, c + 12);
    x->penalty_accrual.closed = ph_stmt_column_int64(s, c + 13);
    x->penalty_accrual.balance_days = ph_stmt_column_int64(s, c + 14);
    x->penalty_accrual.posted = ph_stmt_column_int64(s, c + 15);
    r->fee_accrual.closed = ph_stmt_column_int64(s, c + 16);
    r->fee_accrual.balance_days = ph_stmt_column_int64(s, c + 17);
    r->fee_accrual.posted = ph_stmt_column_int64(s, c + 18);
    ph_status st = column_date(s, c + 19, &x->oldest_unpaid_due, err);
    x->dpd = (int32_t)ph_stmt_column_int64(s, c + 20);
    x->category = (ph_loan_category)ph_stmt_column_int64(s, c + 21);
    if (st == PH_OK)
        st = column_date(s, c + 22, &x->restructured_on, err);
    if (st == PH_OK)
        st = column_date(s, c + 23, &x->npl_since, err);
    x->provision = ph_stmt_column_int64(s, c + 24);
    r->schedule_version = ph_stmt_column_int64(s, c + 25);
    x->next_k = (int32_t)ph_stmt_column_int64(s, c + 26);
    if (st == PH_OK)
        st = column_date(s, c + 27, &r->defaulted_on, err);
    if (st == PH_OK)
        st = column_date(s, c + 28, &r->last_event_on, err);
    if (st == PH_OK)
        st = column_date(s, c + 29, &x->last_cob, err);
    x->accrual_balance = ph_stmt_column_int64(s, c + 30);
    x->accrual_rate = ph_stmt_column_int64(s, c + 31);
    x->penalty_base = ph_stmt_column_int64(s, c + 32);
    x->penalty_base_rate = ph_stmt_column_int64(s, c + 33);
    x->penalty_rate = ph_stmt_column_int64(s, c + 34);
    return st;
}

ph_status loan_row_read(ph_store *store, int64_t id, loan_row *r, ph_error *err)
{
    ph_stmt *s = NULL;
    char sql[1024];
    snprintf(sql, sizeof(sql), "SELECT %s FROM loan_state WHERE loan_id = ?", LOAN_ROW_COLUMNS);
    ph_status st = ph_store_prepare(store, sql, &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = not_found(id, err);
    if (st == PH_OK)
        st = loan_row_from_stmt(s, 0, r, err);
    ph_stmt_free(s);
    return st;
}

/* ---- schedules, events, days -------------------------------------------------------------- */

ph_status loan_schedule_write(ph_store *store, int64_t loan_id, int64_t version,
                              const ph_instalment *rows, size_t n, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO loan_schedule (loan_id, version, k, due_on, "
                                    "period_start, principal, interest, balance_after) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    &s, err);
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        st = ph_stmt_bind_int64(s, 1, loan_id, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 2, version, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 3, rows[i].k, err);
        if (st == PH_OK)
            st = bind_date(s, 4, rows[i].due_on, err);
        if (st == PH_OK)
            st = bind_date(s, 5, rows[i].period_start, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 6, rows[i].principal, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 7, rows[i].interest, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 8, rows[i].balance_after, err);
        if (st == PH_OK)
            st = step_done(s, err);
        if (st == PH_OK)
            st = ph_stmt_reset(s, err);
    }
    ph_stmt_free(s);
    return st;
}

ph_status loan_schedule_row(ph_store *store, int64_t loan_id, int64_t version, int32_t k,
                            ph_instalment *out, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT due_on, period_start, principal, interest, "
                                    "balance_after FROM loan_schedule WHERE loan_id = ? AND "
                                    "version = ? AND k = ?",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, loan_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, version, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 3, k, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK) {
        out->k = k;
        st = column_date(s, 0, &out->due_on, err);
        if (st == PH_OK)
            st = column_date(s, 1, &out->period_start, err);
        out->principal = ph_stmt_column_int64(s, 2);
        out->interest = ph_stmt_column_int64(s, 3);
        out->balance_after = ph_stmt_column_int64(s, 4);
    }
    ph_stmt_free(s);
    return st;
}

ph_status loan_event_add(ph_store *store, int64_t loan_id, ph_date on, const char *kind,
                         ph_money amount, const char *detail, int64_t entry_id, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO loan_event (loan_id, on_date, kind, amount_fen, "
                                    "detail, entry_id) VALUES (?, ?, ?, ?, ?, ?)",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, loan_id, err);
    if (st == PH_OK)
        st = bind_date(s, 2, on, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, kind, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 4, amount, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 5, detail, -1, err);
    if (st == PH_OK)
        st = entry_id ? ph_stmt_bind_int64(s, 6, entry_id, err) : ph_stmt_bind_null(s, 6, err);
    if (st == PH_OK)
        st = step_done(s, err);
    ph_stmt_free(s);
    return st;
}

ph_status loan_last_cob(ph_store *store, ph_date *out, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, "SELECT MAX(on_date) FROM cob_day", &s, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK)
        st = column_date(s, 0, out, err);
    ph_stmt_free(s);
    return st;
}

ph_status loan_open_day(ph_store *store, ph_date *out, ph_error *err)
{
    ph_date last = 0;
    ph_status st = loan_last_cob(store, &last, err);
    if (st != PH_OK || last != 0) {
        *out = last + (st == PH_OK);
        return st;
    }
    ph_stmt *s = NULL;
    st = ph_store_prepare(store, "SELECT MIN(booked_on) FROM loan", &s, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK)
        st = column_date(s, 0, out, err);
    ph_stmt_free(s);
    return st;
}

/* Every event happens on the open business day: the day after the last
 * close of business (before the first, the book's first booking day). A
 * later day would let the event change balances that the days before it,
 * not yet closed, have still to accrue on; an earlier one would change a
 * closed day. Booking (r NULL) may also come on a later day: COB starts a
 * loan on its booking day. */
ph_status loan_check_day(ph_store *store, const loan_row *r, ph_date on, ph_error *err)
{
    ph_date open = 0;
    ph_status st = loan_open_day(store, &open, err);
    if (st != PH_OK || open == 0)
        return st;
    char day[16], limit[16];
    if (ph_date_format(on, day, sizeof(day), NULL) != PH_OK)
        snprintf(day, sizeof(day), "?");
    if (ph_date_format(open, limit, sizeof(limit), NULL) != PH_OK)
        snprintf(limit, sizeof(limit), "?");
    if (r == NULL && on < open)
        return ph_error_set(err, PH_EINVAL, "on", day,
                            "expected the open business day %s or later: the days before it are "
                            "closed",
                            limit);
    if (r != NULL && on != open)
        return ph_error_set(err, PH_EINVAL, "on", day,
                            on < open ? "expected the open business day %s: the days before it "
                                        "are closed"
                                      : "expected the open business day %s: close the days "
                                        "before %s first (puhui cob --through)",
                            limit, day);
    return PH_OK;
}

ph_status ph_cob_open_day(ph_store *store, ph_date *out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_open_day: NULL argument");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    return st == PH_OK ? loan_open_day(store, out, err) : st;
}

ph_status ph_cob_last_day(ph_store *store, ph_date *out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_last_day: NULL argument");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    return st == PH_OK ? loan_last_cob(store, out, err) : st;
}

ph_money loan_subsidy_of(ph_money interest, ph_rate subsidy_rate, ph_rate rate)
{
    if (subsidy_rate <= 0 || rate <= 0 || interest <= 0)
        return 0;
    int64_t fen = 0;
    return i128_to_i64(i128_div_round((i128)interest * subsidy_rate, (i128)rate, PH_ROUND_DOWN),
                       &fen)
               ? fen
               : 0;
}

ph_status loan_due_add(ph_store *store, int64_t loan_id, int32_t k, ph_date due_on,
                       ph_money principal, ph_money interest, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO loan_due (loan_id, k, due_on, principal, "
                                    "interest, paid_principal, paid_interest) "
                                    "VALUES (?, ?, ?, ?, ?, 0, 0)",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, loan_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, k, err);
    if (st == PH_OK)
        st = bind_date(s, 3, due_on, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 4, principal, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 5, interest, err);
    if (st == PH_OK)
        st = step_done(s, err);
    ph_stmt_free(s);
    return st;
}

void loan_owed(const loan_row *r, ph_money owed[PH_BUCKET_COUNT])
{
    owed[PH_BUCKET_PENALTY] = r->s.penalty;
    owed[PH_BUCKET_FEE] = r->fee_receivable;
    owed[PH_BUCKET_INTEREST] = r->s.interest_due;
    owed[PH_BUCKET_PRINCIPAL] = r->s.principal_due;
}

/* ---- ledger lines ------------------------------------------------------------------------- */

/* Loan-level accounts (docs/ledger.md): the 13xx loan accounts and the
 * provision held against the loan. */
static int loan_level(const char *account)
{
    return strncmp(account, "13", 2) == 0 || strcmp(account, ACC_PROVISION) == 0;
}

static void add_line(loan_lines *l, const loan_contract *c, const char *account, ph_money debit,
                     ph_money credit, const char *party)
{
    if (l->n >= LOAN_LINES_MAX)
        return; /* callers build at most a dozen lines; the ledger refuses an unbalanced rest */
    ph_ledger_line *x = &l->line[l->n++];
    x->account = account;
    x->loan_id = loan_level(account) ? c->id : 0;
    x->product = c->product;
    x->party = party != NULL ? party : "";
    x->debit = debit;
    x->credit = credit;
}

void loan_lines_move(loan_lines *l, const loan_contract *c, const char *debit, const char *credit,
                     ph_money amount, const char *debit_party, const char *credit_party)
{
    if (amount == 0)
        return;
    if (amount < 0) {
        loan_lines_move(l, c, credit, debit, -amount, credit_party, debit_party);
        return;
    }
    add_line(l, c, debit, amount, 0, debit_party);
    add_line(l, c, credit, 0, amount, credit_party);
}
