/*
 * A loss shared, a loan written off, a recovery returned
 * (docs/loans.md#risk-sharing): the rules of riskshare.h applied to the book.
 *
 * At default (the trigger of the schemes: 90 days past due, or a write-off)
 * the principal outstanding is split by the loan's scheme; every partner's
 * part is claimed from it (guarantors 1221, government 1223) or paid out of
 * the pool's fund (2901), and the loan is written down by those parts; the
 * bank's own part stays on the book, classified and provisioned, until it
 * is recovered or written off. A recovery after compensation flows back in
 * the loss's own shares (ph_share_recovery).
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const PARTY_ACCOUNT[PH_PARTY_COUNT] = {
    NULL, ACC_GUARANTOR_RECEIVABLE, ACC_GUARANTOR_RECEIVABLE, ACC_GOVERNMENT_RECEIVABLE,
    ACC_POOL_FUND};

static const char *party_id(const loan_share_view *v, int p)
{
    switch (p) {
    case PH_PARTY_GUARANTOR:
        return v->guarantor;
    case PH_PARTY_REGUARANTOR:
        return "reguarantor";
    case PH_PARTY_GOVERNMENT:
        return "government";
    case PH_PARTY_POOL:
        return v->pool;
    default:
        return "";
    }
}

static ph_status insert_share(ph_store *store, const loan_share_view *v, ph_date day,
                              ph_money loss, const ph_share_split *split, ph_error *err)
{
    ph_stmt *ins = NULL;
    char on[16];
    ph_status st = ph_date_format(day, on, sizeof(on), err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "INSERT INTO loan_share (loan_id, on_date, scheme, loss_fen, "
                              "bank_fen, guarantor_fen, reguarantor_fen, government_fen, "
                              "pool_fen, guarantor, pool, recovered_fen) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                              &ins, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(ins, 1, v->loan_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(ins, 2, on, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(ins, 3, v->scheme, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(ins, 4, loss, err);
    for (int p = 0; st == PH_OK && p < PH_PARTY_COUNT; p++)
        st = ph_stmt_bind_int64(ins, 5 + p, split->part[p], err);
    if (st == PH_OK)
        st = v->guarantor[0] ? ph_stmt_bind_text(ins, 10, v->guarantor, -1, err)
                             : ph_stmt_bind_null(ins, 10, err);
    if (st == PH_OK)
        st = v->pool[0] ? ph_stmt_bind_text(ins, 11, v->pool, -1, err)
                        : ph_stmt_bind_null(ins, 11, err);
    if (st == PH_OK && (st = ph_stmt_step(ins, err)) == PH_DONE)
        st = PH_OK;
    ph_stmt_free(ins);
    return st;
}

ph_status loan_share_default(ph_store *store, const ph_share_schemes *schemes,
                             const loan_share_view *v, ph_loan_state *s, ph_money *pool_balance,
                             ph_date day, loan_post_fn post, void *sink, ph_money *shared,
                             ph_error *err)
{
    ph_money loss = s->principal + s->principal_due;
    const ph_share_scheme *scheme = ph_share_schemes_find(schemes, v->scheme);
    *shared = 0;
    if (scheme == NULL || loss <= 0)
        return PH_OK; /* a bank-only book or nothing left: nothing to share */
    ph_share_split split;
    ph_money none = 0;
    ph_status st = ph_share_loss(scheme, loss, v->pool[0] ? v->pool_bp : 0,
                                 pool_balance != NULL ? pool_balance : &none, &split, err);
    for (int p = PH_PARTY_GUARANTOR; st == PH_OK && p < PH_PARTY_COUNT; p++) {
        ph_money part = split.part[p];
        /* Overdue principal is written down first, then the rest. */
        ph_money from_due = part < s->principal_due ? part : s->principal_due;
        const char *who = party_id(v, p);
        if (from_due > 0)
            st = post(sink, PARTY_ACCOUNT[p], ACC_PRINCIPAL_OVERDUE, from_due, who, NULL, err);
        if (st == PH_OK && part - from_due > 0)
            st = post(sink, PARTY_ACCOUNT[p], ACC_PRINCIPAL, part - from_due, who, NULL, err);
        s->principal_due -= from_due;
        s->principal -= part - from_due;
        *shared += part;
    }
    if (st == PH_OK)
        st = insert_share(store, v, day, loss, &split, err);
    return st;
}

/* ---- pools' balances from the ledger ------------------------------------------------------ */

typedef struct pool_sum {
    const char *pool;
    ph_money balance;
} pool_sum;

static int add_pool(const ph_ledger_balance *b, void *user)
{
    pool_sum *p = user;
    if (strcmp(b->account, ACC_POOL_FUND) == 0 && b->party != NULL &&
        strcmp(b->party, p->pool) == 0)
        p->balance -= b->balance; /* a liability: its credit balance */
    return 0;
}

ph_status loan_pool_balance(ph_store *store, const char *pool, ph_date on, ph_money *out,
                            ph_error *err)
{
    pool_sum p = {pool, 0};
    ph_status st = ph_ledger_trial_balance(store, on, add_pool, &p, err);
    if (st == PH_OK)
        *out = p.balance;
    return st;
}
