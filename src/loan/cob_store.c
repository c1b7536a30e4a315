/*
 * Close of business on the store (docs/loans.md#close-of-business): each
 * day, in one transaction, every active loan is read, moved one day by the
 * in-memory engine (engine.c: accrual, billing, days past due, category,
 * provision), and what changed is written back: the states, the billed
 * instalments, a loss shared on default, and one ledger entry whose
 * general-ledger lines are summed by account and product while every
 * loan-level line goes to the sub-ledger. The day's row in cob_day is
 * written in the same transaction, so a killed run leaves the day unclosed
 * and the next run closes it again from the same state: the ledger comes
 * out byte for byte the same.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/i128.h"

/* Strings many loans share (products, guarantors, pools), kept once. */
typedef struct intern {
    char **items;
    size_t n, cap;
} intern;

static const char *intern_get(const ph_ctx *ctx, intern *t, const char *s)
{
    for (size_t i = t->n; i-- > 0;)
        if (strcmp(t->items[i], s) == 0)
            return t->items[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **grown = ph_realloc(ctx, t->items, cap * sizeof(*grown));
        if (grown == NULL)
            return NULL;
        t->items = grown;
        t->cap = cap;
    }
    char *copy = ph_strdup(ctx, s);
    if (copy == NULL)
        return NULL;
    t->items[t->n++] = copy;
    return copy;
}

static void intern_free(const ph_ctx *ctx, intern *t)
{
    for (size_t i = 0; i < t->n; i++)
        ph_free(ctx, t->items[i]);
    ph_free(ctx, t->items);
}

/* One loan as COB holds it for a day. */
typedef struct cob_loan {
    loan_row row;
    const char *product, *guarantor, *pool, *scheme;
    char uscc[19];
    ph_schedule_method method;
    ph_rate guarantee_fee, subsidy_rate;
    int64_t subsidy_programme_id;
    int32_t pool_bp;
    int64_t term;                 /* the contract's instalments */
    ph_instalment due;            /* the instalment due today (k 0 when none) */
} cob_loan;

typedef struct cob_day_ctx {
    ph_store *store;
    const ph_ctx *ctx;
    const ph_cob_rules *rules;
    const ph_share_schemes *schemes;
    ph_date day;
    cob_loan *loans;
    size_t n, cap;
    intern strings;
    ph_cob_report *report;
    ph_ledger_batch *batch;
    ph_stmt *due_insert;
    ph_cob_progress_fn progress;
    void *user;
} cob_day_ctx;

static ph_status nomem(ph_error *err)
{
    return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

/* ---- reading the day's book ---------------------------------------------------------------- */

static ph_status load_loans(cob_day_ctx *d, ph_error *err)
{
    char sql[2048];
    snprintf(sql, sizeof(sql),
             "SELECT l.product, l.guarantor, l.pool, l.scheme, l.uscc, l.method, "
             "l.guarantee_fee, l.subsidy_rate, l.subsidy_programme_id, l.pool_bp, l.daycount, "
             "l.penalty_rate, l.grace_days, l.term, x.* FROM (SELECT %s FROM loan_state "
             "WHERE status = 'active') x JOIN loan l ON l.id = x.loan_id WHERE l.booked_on <= ? "
             "ORDER BY x.loan_id",
             LOAN_ROW_COLUMNS);
    ph_stmt *s = NULL;
    char day[16];
    ph_status st = ph_date_format(d->day, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_store_prepare(d->store, sql, &s, err);
    /* A loan booked on a later day starts then. */
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, day, -1, err);
    d->n = 0;
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        if (d->n == d->cap) {
            size_t cap = d->cap ? 2 * d->cap : 1024;
            cob_loan *grown = ph_realloc(d->ctx, d->loans, cap * sizeof(*grown));
            if (grown == NULL) {
                st = nomem(err);
                break;
            }
            d->loans = grown;
            d->cap = cap;
        }
        cob_loan *l = &d->loans[d->n];
        memset(l, 0, sizeof(*l));
        l->product = intern_get(d->ctx, &d->strings, ph_stmt_column_text(s, 0));
        l->guarantor = intern_get(d->ctx, &d->strings,
                                  ph_stmt_column_is_null(s, 1) ? "" : ph_stmt_column_text(s, 1));
        l->pool = intern_get(d->ctx, &d->strings,
                             ph_stmt_column_is_null(s, 2) ? "" : ph_stmt_column_text(s, 2));
        l->scheme = intern_get(d->ctx, &d->strings, ph_stmt_column_text(s, 3));
        if (l->product == NULL || l->guarantor == NULL || l->pool == NULL || l->scheme == NULL) {
            st = nomem(err);
            break;
        }
        snprintf(l->uscc, sizeof(l->uscc), "%s", ph_stmt_column_text(s, 4));
        const char *m = ph_stmt_column_text(s, 5);
        st = ph_schedule_method_parse(m, strlen(m), &l->method, err);
        l->guarantee_fee = ph_stmt_column_int64(s, 6);
        l->subsidy_rate = ph_stmt_column_int64(s, 7);
        l->subsidy_programme_id = ph_stmt_column_int64(s, 8);
        l->pool_bp = (int32_t)ph_stmt_column_int64(s, 9);
        if (st == PH_OK)
            st = loan_row_from_stmt(s, 14, &l->row, err);
        if (st == PH_OK) {
            const char *dc = ph_stmt_column_text(s, 10);
            st = ph_daycount_parse(dc, strlen(dc), &l->row.s.daycount, err);
            l->row.s.grace_days = (int32_t)ph_stmt_column_int64(s, 12);
            l->term = ph_stmt_column_int64(s, 13);
        }
        d->n++;
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* The instalments due today: one indexed read of the schedules by due date,
 * matched to the loans (both in loan order). */
static ph_status load_dues(cob_day_ctx *d, ph_error *err)
{
    ph_stmt *s = NULL;
    char day[16];
    ph_status st = ph_date_format(d->day, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_store_prepare(d->store,
                              "SELECT c.loan_id, c.version, c.k, c.period_start, c.principal, "
                              "c.interest, c.balance_after FROM loan_schedule c "
                              "WHERE c.due_on = ? ORDER BY c.loan_id, c.version",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, day, -1, err);
    size_t i = 0;
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        int64_t id = ph_stmt_column_int64(s, 0);
        while (i < d->n && d->loans[i].row.s.loan_id < id)
            i++;
        if (i == d->n)
            break;
        cob_loan *l = &d->loans[i];
        if (l->row.s.loan_id != id || ph_stmt_column_int64(s, 1) != l->row.schedule_version ||
            ph_stmt_column_int64(s, 2) != l->row.s.next_k + 1)
            continue;
        ph_instalment *x = &l->due;
        x->k = l->row.s.next_k + 1;
        x->due_on = d->day;
        const char *ps = ph_stmt_column_text(s, 3);
        st = ph_date_parse(ps, strlen(ps), &x->period_start, err);
        x->principal = ph_stmt_column_int64(s, 4);
        x->interest = ph_stmt_column_int64(s, 5);
        x->balance_after = ph_stmt_column_int64(s, 6);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* ---- one loan's day into ledger lines ------------------------------------------------------ */

static ph_status add(cob_day_ctx *d, const cob_loan *l, const char *account, ph_money debit,
                     ph_money credit, const char *party, ph_error *err)
{
    int loan_level = strncmp(account, "13", 2) == 0 || strcmp(account, ACC_PROVISION) == 0;
    ph_ledger_line x = {account, loan_level ? l->row.s.loan_id : 0, l->product,
                        party != NULL ? party : "", debit, credit};
    return ph_ledger_batch_add(d->batch, &x, err);
}

static ph_status move(cob_day_ctx *d, const cob_loan *l, const char *dr, const char *cr,
                      ph_money amount, const char *dr_party, const char *cr_party, ph_error *err)
{
    if (amount == 0)
        return PH_OK;
    if (amount < 0)
        return move(d, l, cr, dr, -amount, cr_party, dr_party, err);
    ph_status st = add(d, l, dr, amount, 0, dr_party, err);
    return st == PH_OK ? add(d, l, cr, 0, amount, cr_party, err) : st;
}

static ph_status bill(cob_day_ctx *d, cob_loan *l, const ph_cob_delta *x, ph_error *err)
{
    ph_status st = PH_OK;
    if (x->principal_billed == 0 && x->interest_billed == 0)
        return PH_OK;
    st = ph_stmt_bind_int64(d->due_insert, 1, l->row.s.loan_id, err);
    char day[16];
    if (st == PH_OK)
        st = ph_date_format(d->day, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(d->due_insert, 2, l->due.k, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(d->due_insert, 3, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(d->due_insert, 4, x->principal_billed, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(d->due_insert, 5, x->interest_billed, err);
    if (st == PH_OK && (st = ph_stmt_step(d->due_insert, err)) == PH_DONE)
        st = ph_stmt_reset(d->due_insert, err);
    ph_money subsidy = loan_subsidy_of(x->interest_billed, l->subsidy_rate, l->row.s.rate);
    if (st == PH_OK && subsidy > 0) {
        char programme[24];
        snprintf(programme, sizeof(programme), "subsidy:%lld", (long long)l->subsidy_programme_id);
        st = move(d, l, ACC_SUBSIDY_RECEIVABLE, ACC_CASH, subsidy, programme, l->uscc, err);
        d->report->subsidy += subsidy;
    }
    return st;
}

/* A loan crossing the default trigger shares its loss by its scheme. */
typedef struct cob_sink {
    cob_day_ctx *d;
    const cob_loan *l;
} cob_sink;

static ph_status cob_post(void *user, const char *dr, const char *cr, ph_money amount,
                          const char *dr_party, const char *cr_party, ph_error *err)
{
    cob_sink *k = user;
    return move(k->d, k->l, dr, cr, amount, dr_party, cr_party, err);
}

static ph_status share(cob_day_ctx *d, cob_loan *l, ph_money *pool_balance, ph_error *err)
{
    loan_share_view v = {l->row.s.loan_id, l->scheme, l->guarantor, l->pool, l->pool_bp};
    cob_sink k = {d, l};
    ph_money shared = 0;
    ph_status st = loan_share_default(d->store, d->schemes, &v, &l->row.s, pool_balance, d->day,
                                      cob_post, &k, &shared, err);
    d->report->defaulted += shared;
    return st;
}

static ph_status post_delta(cob_day_ctx *d, cob_loan *l, const ph_cob_delta *x, ph_error *err)
{
    ph_status st = move(d, l, ACC_INTEREST_RECEIVABLE, ACC_INTEREST_INCOME, x->interest_accrued,
                        NULL, NULL, err);
    if (st == PH_OK)
        st = move(d, l, ACC_PENALTY, ACC_PENALTY_INCOME, x->penalty_accrued, NULL, NULL, err);
    if (st == PH_OK)
        st = move(d, l, ACC_PRINCIPAL_OVERDUE, ACC_PRINCIPAL, x->principal_billed, NULL, NULL,
                  err);
    if (st == PH_OK)
        st = move(d, l, ACC_INTEREST_DUE, ACC_INTEREST_RECEIVABLE, x->interest_billed, NULL, NULL,
                  err);
    if (st == PH_OK)
        st = move(d, l, ACC_PROVISION_EXPENSE, ACC_PROVISION, x->provision_change, NULL, NULL,
                  err);
    if (st == PH_OK)
        st = bill(d, l, x, err);
    d->report->interest += x->interest_accrued;
    d->report->penalty += x->penalty_accrued;
    d->report->provision_change += x->provision_change;
    return st;
}

/* The guarantee fee accrues daily on the principal outstanding, owed by the
 * firm and payable to the guarantor. */
static ph_status accrue_fee(cob_day_ctx *d, cob_loan *l, ph_error *err)
{
    if (l->guarantee_fee <= 0)
        return PH_OK;
    ph_money exposure = l->row.s.principal + l->row.s.principal_due, fee = 0;
    ph_status st = ph_accrual_day(&l->row.fee_accrual, exposure, l->guarantee_fee,
                                  PH_DAYCOUNT_ACT_360, &fee, err);
    if (st == PH_OK && fee != 0) {
        l->row.fee_receivable += fee;
        d->report->fees += fee;
        st = move(d, l, ACC_FEE, ACC_FEE_PAYABLE, fee, NULL, l->guarantor, err);
    }
    return st;
}

/* ---- the pools' balances: the ledger's ---------------------------------------------------- */

typedef struct pool_balance {
    const char *pool;
    ph_money balance;
} pool_balance;

typedef struct pool_walk {
    pool_balance *items;
    size_t n, cap;
    const ph_ctx *ctx;
    intern *strings;
    int failed;
} pool_walk;

static int pool_visit(const ph_ledger_balance *b, void *user)
{
    pool_walk *w = user;
    if (strcmp(b->account, ACC_POOL_FUND) != 0 || b->party == NULL || b->party[0] == '\0')
        return 0;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->items[i].pool, b->party) == 0) {
            w->items[i].balance += -b->balance; /* a liability: credit balance */
            return 0;
        }
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 8;
        pool_balance *g = ph_realloc(w->ctx, w->items, cap * sizeof(*g));
        if (g == NULL) {
            w->failed = 1;
            return 1;
        }
        w->items = g;
        w->cap = cap;
    }
    const char *name = intern_get(w->ctx, w->strings, b->party);
    if (name == NULL) {
        w->failed = 1;
        return 1;
    }
    w->items[w->n++] = (pool_balance){name, -b->balance};
    return 0;
}

static ph_money *pool_slot(pool_walk *w, const char *pool)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->items[i].pool == pool || strcmp(w->items[i].pool, pool) == 0)
            return &w->items[i].balance;
    return NULL;
}

/* ---- one day ------------------------------------------------------------------------------ */

static ph_status write_day(cob_day_ctx *d, int64_t entry, ph_error *err)
{
    ph_stmt *s = NULL;
    char day[16];
    ph_status st = ph_date_format(d->day, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_store_prepare(d->store,
                              "INSERT INTO cob_day (on_date, loans, entry_id) VALUES (?, ?, ?)",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, (int64_t)d->n, err);
    if (st == PH_OK)
        st = entry ? ph_stmt_bind_int64(s, 3, entry, err) : ph_stmt_bind_null(s, 3, err);
    if (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_DONE)
        st = PH_OK;
    ph_stmt_free(s);
    return st;
}

static ph_status run_loans(cob_day_ctx *d, pool_walk *pools, ph_error *err)
{
    ph_stmt *upd = NULL;
    ph_status st = loan_row_update_prepare(d->store, &upd, err);
    for (size_t i = 0; st == PH_OK && i < d->n; i++) {
        cob_loan *l = &d->loans[i];
        ph_loan_state *s = &l->row.s;
        /* The engine reads a window of the schedule: today's instalment (when
         * one is due) and, unless it is the last, a sentinel that is never
         * due, so the engine does not take it for the last instalment. */
        ph_instalment window[2];
        int32_t n = 0, billed_before = s->next_k;
        if (l->due.k != 0)
            window[n++] = l->due;
        if (l->due.k == 0 || l->due.k < l->term) {
            memset(&window[n], 0, sizeof(window[n]));
            window[n].due_on = INT32_MAX;
            n++;
        }
        s->schedule = window;
        s->n_instalments = n;
        s->next_k = 0;
        ph_cob_delta x;
        st = accrue_fee(d, l, err);
        if (st == PH_OK)
            st = ph_cob_day(d->rules, s, d->day, &x, err);
        if (st == PH_OK)
            st = post_delta(d, l, &x, err);
        if (st == PH_OK && x.defaulted_today) {
            l->row.defaulted_on = d->day;
            d->report->defaults++;
            st = share(d, l, l->pool[0] ? pool_slot(pools, l->pool) : NULL, err);
        }
        s->next_k = billed_before + (st == PH_OK ? x.instalments_billed : 0);
        s->schedule = NULL;
        s->n_instalments = 0;
        if (st == PH_OK)
            st = loan_row_update_step(upd, &l->row, err);
        if (d->progress != NULL && (i % 65536 == 0 || i + 1 == d->n))
            d->progress(d->user, d->day, (int64_t)i + 1, (int64_t)d->n);
    }
    ph_stmt_free(upd);
    d->report->loan_days += (int64_t)d->n;
    return st;
}

static ph_status close_day(cob_day_ctx *d, ph_error *err)
{
    ph_status st = ph_store_begin(d->store, err);
    if (st != PH_OK)
        return st;
    st = load_loans(d, err);
    if (st == PH_OK)
        st = load_dues(d, err);
    pool_walk pools = {0};
    pools.ctx = d->ctx;
    pools.strings = &d->strings;
    if (st == PH_OK)
        st = ph_ledger_trial_balance(d->store, d->day, pool_visit, &pools, err);
    if (st == PH_OK && pools.failed)
        st = nomem(err);
    char memo[64], day[16];
    ph_date_format(d->day, day, sizeof(day), NULL);
    snprintf(memo, sizeof(memo), "close of business %s", day);
    if (st == PH_OK)
        st = ph_ledger_batch_new(d->store, d->day, "cob", memo, &d->batch, err);
    if (st == PH_OK)
        st = ph_store_prepare(d->store,
                              "INSERT INTO loan_due (loan_id, k, due_on, principal, interest, "
                              "paid_principal, paid_interest) VALUES (?, ?, ?, ?, ?, 0, 0)",
                              &d->due_insert, err);
    if (st == PH_OK)
        st = run_loans(d, &pools, err);
    int64_t entry = 0;
    if (st == PH_OK)
        st = ph_ledger_batch_commit(d->batch, &entry, err);
    if (st == PH_OK && entry != 0)
        d->report->entries++;
    if (st == PH_OK)
        st = write_day(d, entry, err);
    ph_ledger_batch_free(d->batch);
    d->batch = NULL;
    ph_stmt_free(d->due_insert);
    d->due_insert = NULL;
    ph_free(d->ctx, pools.items);
    if (st == PH_OK)
        st = ph_store_commit(d->store, err);
    if (st != PH_OK)
        ph_store_rollback(d->store, NULL);
    return st;
}

static ph_status first_day(ph_store *store, ph_date *out, ph_error *err)
{
    ph_date last = 0;
    ph_status st = loan_last_cob(store, &last, err);
    if (st != PH_OK)
        return st;
    if (last != 0)
        return ph_date_add_days(last, 1, out, err);
    ph_stmt *s = NULL;
    st = ph_store_prepare(store, "SELECT MIN(booked_on) FROM loan", &s, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    *out = 0;
    if (st == PH_OK && !ph_stmt_column_is_null(s, 0)) {
        const char *t = ph_stmt_column_text(s, 0);
        st = ph_date_parse(t, strlen(t), out, err);
    }
    ph_stmt_free(s);
    return st;
}

ph_status ph_cob_through(ph_store *store, ph_date through, const ph_cob_rules *rules,
                         ph_cob_progress_fn progress, void *user, ph_cob_report *out,
                         ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_through: NULL store");
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "COB runs its own transactions");
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    ph_cob_rules *own_rules = NULL;
    ph_share_schemes *schemes = NULL;
    if (st == PH_OK && rules == NULL && (st = ph_cob_rules_default(ctx, &own_rules, err)) == PH_OK)
        rules = own_rules;
    if (st == PH_OK)
        st = ph_share_schemes_default(ctx, &schemes, err);
    ph_cob_report report;
    memset(&report, 0, sizeof(report));
    ph_date day = 0;
    if (st == PH_OK)
        st = first_day(store, &day, err);
    report.from = day;
    report.to = day - 1;
    cob_day_ctx d;
    memset(&d, 0, sizeof(d));
    d.store = store;
    d.ctx = ctx;
    d.rules = rules;
    d.schemes = schemes;
    d.report = &report;
    d.progress = progress;
    d.user = user;
    while (st == PH_OK && day != 0 && day <= through) {
        d.day = day;
        st = close_day(&d, err);
        if (st == PH_OK) {
            report.to = day;
            report.days++;
            day++;
        }
    }
    ph_free(ctx, d.loans);
    intern_free(ctx, &d.strings);
    ph_share_schemes_free(schemes);
    ph_cob_rules_free(own_rules);
    if (out != NULL)
        *out = report;
    return st;
}
