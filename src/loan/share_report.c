/*
 * The risk-sharing figures a supervisor reads (docs/loans.md#risk-sharing):
 * per guarantor, what it guarantees against its capital (leverage, 放大倍数)
 * and what it has paid against what matured (代偿率); per pool, what is left
 * of its capital in the ledger. The guarantors come from the reference feed
 * the data hub holds, the amounts from the loan book, the pools' balances
 * from the ledger (account 2901 by party), never from a copy.
 */
#include "loan_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Outstanding, compensated and matured for one guarantor, from the book. */
static const char GUARANTOR_SQL[] =
    "SELECT g.guarantor_id, g.name, g.capital_fen, g.leverage_cap,"
    " (SELECT COALESCE(SUM(s.principal + s.principal_due), 0) FROM loan l"
    "   JOIN loan_state s ON s.loan_id = l.id"
    "   WHERE l.guarantor = g.guarantor_id AND s.status = 'active'),"
    " (SELECT COALESCE(SUM(x.guarantor_fen), 0) FROM loan_share x"
    "   WHERE x.guarantor = g.guarantor_id),"
    " (SELECT COALESCE(SUM(l.amount_fen), 0) FROM loan l JOIN loan_state s ON s.loan_id = l.id"
    "   WHERE l.guarantor = g.guarantor_id AND (s.status <> 'active' OR s.defaulted_on IS NOT NULL"
    "   OR l.maturity_on <= COALESCE((SELECT MAX(last_cob) FROM loan_state), '')))"
    " FROM feed_guarantors g ORDER BY g.guarantor_id";

static ph_status guarantors(ph_store *store, ph_share_guarantor_fn fn, void *user, int *stop,
                            ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, GUARANTOR_SQL, &s, err);
    while (st == PH_OK && !*stop && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_share_guarantor_figures g;
        memset(&g, 0, sizeof(g));
        g.guarantor = ph_stmt_column_text(s, 0);
        g.name = ph_stmt_column_text(s, 1);
        g.capital = ph_stmt_column_int64(s, 2);
        /* the cap is a parameter of the feed (a multiple), not a balance */
        g.leverage_cap = (ph_rate)llround(ph_stmt_column_double(s, 3) * (double)PH_RATE_ONE);
        g.outstanding = ph_stmt_column_int64(s, 4);
        g.compensated = ph_stmt_column_int64(s, 5);
        g.matured = ph_stmt_column_int64(s, 6);
        if (g.capital > 0)
            st = ph_share_leverage(g.outstanding, g.capital, g.leverage_cap, &g.leverage,
                                   &g.within_cap, err);
        else
            g.within_cap = g.outstanding == 0;
        if (st == PH_OK && g.matured < g.compensated)
            g.matured = g.compensated; /* a loss shared before maturity matured it */
        if (st == PH_OK)
            st = ph_share_compensation_rate(g.compensated, g.matured, &g.compensation_rate, err);
        if (st == PH_OK && fn != NULL)
            *stop = fn(&g, user);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* The pools' balances, summed over products: the trial balance is by
 * (account, product, party). */
typedef struct pool_sum {
    const ph_ctx *ctx;
    char (*name)[64];
    ph_money *balance;
    size_t n, cap;
    int failed;
} pool_sum;

static int pool_visit(const ph_ledger_balance *b, void *user)
{
    pool_sum *w = user;
    if (strcmp(b->account, ACC_POOL_FUND) != 0 || b->party == NULL || b->party[0] == '\0')
        return 0;
    size_t i = 0;
    while (i < w->n && strcmp(w->name[i], b->party) != 0)
        i++;
    if (i == w->n) {
        if (w->n == w->cap) {
            size_t cap = w->cap ? 2 * w->cap : 8;
            char(*names)[64] = ph_realloc(w->ctx, w->name, cap * sizeof(*names));
            if (names != NULL)
                w->name = names;
            ph_money *bal = names ? ph_realloc(w->ctx, w->balance, cap * sizeof(*bal)) : NULL;
            if (bal == NULL) {
                w->failed = 1;
                return 1;
            }
            w->balance = bal;
            w->cap = cap;
        }
        snprintf(w->name[w->n], sizeof(w->name[0]), "%s", b->party);
        w->balance[w->n++] = 0;
    }
    w->balance[i] -= b->balance; /* a credit balance: what the pool holds */
    return 0;
}

static ph_status pools(ph_store *store, ph_share_pool_fn fn, void *user, int *stop,
                       ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    pool_sum w = {ctx, NULL, NULL, 0, 0, 0};
    /* every posting, whatever its day: the pools' balances now */
    ph_status st = ph_ledger_trial_balance(store, 2932896 /* 9999-12-31 */, pool_visit, &w, err);
    if (st == PH_OK && w.failed)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "SELECT pool, capital_fen FROM risk_pool ORDER BY pool", &s,
                              err);
    while (st == PH_OK && !*stop && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_share_pool_figures p = {ph_stmt_column_text(s, 0), ph_stmt_column_int64(s, 1), 0, 0};
        for (size_t i = 0; i < w.n; i++)
            if (strcmp(w.name[i], p.pool) == 0)
                p.balance = w.balance[i];
        p.paid_out = p.capital - p.balance;
        if (fn != NULL)
            *stop = fn(&p, user);
    }
    ph_stmt_free(s);
    ph_free(ctx, w.name);
    ph_free(ctx, w.balance);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_share_figures(ph_store *store, ph_share_guarantor_fn guarantor_fn,
                           ph_share_pool_fn pool_fn, void *user, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_share_figures: NULL argument");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    int stop = 0;
    if (st == PH_OK)
        st = guarantors(store, guarantor_fn, user, &stop, err);
    if (st == PH_OK && !stop)
        st = pools(store, pool_fn, user, &stop, err);
    return st;
}
