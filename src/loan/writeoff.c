/*
 * Writing a loan off and recovering after compensation
 * (docs/loans.md#write-off-and-recovery).
 *
 * A write-off first shares the loss by the scheme when the loan had not yet
 * defaulted and the schemes count a write-off as a default; then what is
 * left of the principal is charged to the provision held and, beyond it, to
 * credit losses, and the interest, penalty and fee still owed are reversed
 * out of the income (and the guarantor's fee payable) they were booked to.
 * A recovery is cash from the firm after compensation: it flows back in the
 * loss's own shares, so each partner's claim shrinks (or the pool's fund
 * refills) and the bank's own part reduces the loan, or, once written off,
 * comes back as a recovery of credit losses.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

static ph_status evt_post(void *user, const char *dr, const char *cr, ph_money amount,
                          const char *dr_party, const char *cr_party, ph_error *err)
{
    loan_evt *e = user;
    (void)err;
    loan_lines_move(&e->lines, &e->c, dr, cr, amount, dr_party, cr_party);
    return PH_OK;
}

static ph_status has_share(ph_store *store, int64_t id, int *found, ph_share_split *split,
                           ph_money *recovered, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT bank_fen, guarantor_fen, reguarantor_fen, "
                                    "government_fen, pool_fen, recovered_fen FROM loan_share "
                                    "WHERE loan_id = ?",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    *found = st == PH_OK;
    if (st == PH_OK) {
        for (int p = 0; p < PH_PARTY_COUNT; p++)
            split->part[p] = ph_stmt_column_int64(s, p);
        *recovered = ph_stmt_column_int64(s, 5);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_loan_write_off(ph_store *store, int64_t loan_id, ph_date on, const char *reason,
                           ph_money *written_off, ph_error *err)
{
    loan_evt e;
    ph_status st = loan_event_open(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_share_schemes *schemes = NULL;
    int shared_before = 0;
    ph_share_split split;
    ph_money recovered = 0;
    st = has_share(store, loan_id, &shared_before, &split, &recovered, err);
    if (st == PH_OK)
        st = ph_share_schemes_default(ctx, &schemes, err);
    ph_loan_state *s = &e.r.s;
    if (st == PH_OK && !shared_before && ph_share_schemes_default_on_write_off(schemes)) {
        ph_money pool = 0, shared = 0;
        if (e.c.pool[0])
            st = loan_pool_balance(store, e.c.pool, on, &pool, err);
        loan_share_view v = {e.c.id, e.c.scheme, e.c.guarantor, e.c.pool, e.c.pool_bp};
        if (st == PH_OK)
            st = loan_share_default(store, schemes, &v, s, e.c.pool[0] ? &pool : NULL, on,
                                    evt_post, &e, &shared, err);
    }
    ph_share_schemes_free(schemes);
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    const loan_contract *c = &e.c;
    ph_money exposure = s->principal + s->principal_due;
    ph_money from_provision = s->provision < exposure ? s->provision : exposure;
    /* The principal left: the provision first, credit losses beyond it. */
    loan_lines_move(&e.lines, c, ACC_PROVISION, ACC_PRINCIPAL_OVERDUE,
                    from_provision < s->principal_due ? from_provision : s->principal_due, NULL,
                    NULL);
    ph_money rest_due = s->principal_due - (from_provision < s->principal_due ? from_provision
                                                                               : s->principal_due);
    ph_money rest_provision =
        from_provision - (from_provision < s->principal_due ? from_provision : s->principal_due);
    loan_lines_move(&e.lines, c, ACC_PROVISION, ACC_PRINCIPAL, rest_provision, NULL, NULL);
    loan_lines_move(&e.lines, c, ACC_CREDIT_LOSS, ACC_PRINCIPAL_OVERDUE, rest_due, NULL, NULL);
    loan_lines_move(&e.lines, c, ACC_CREDIT_LOSS, ACC_PRINCIPAL, s->principal - rest_provision,
                    NULL, NULL);
    /* A provision held beyond the exposure is released. */
    loan_lines_move(&e.lines, c, ACC_PROVISION, ACC_PROVISION_EXPENSE,
                    s->provision - from_provision, NULL, NULL);
    /* Income never received is reversed. */
    loan_lines_move(&e.lines, c, ACC_INTEREST_INCOME, ACC_INTEREST_RECEIVABLE,
                    s->interest_receivable, NULL, NULL);
    loan_lines_move(&e.lines, c, ACC_INTEREST_INCOME, ACC_INTEREST_DUE, s->interest_due, NULL,
                    NULL);
    loan_lines_move(&e.lines, c, ACC_PENALTY_INCOME, ACC_PENALTY, s->penalty, NULL, NULL);
    loan_lines_move(&e.lines, c, ACC_FEE_PAYABLE, ACC_FEE, e.r.fee_receivable, c->guarantor,
                    NULL);
    if (written_off != NULL)
        *written_off = exposure;
    s->principal = s->principal_due = s->interest_receivable = s->interest_due = 0;
    s->penalty = s->provision = 0;
    e.r.fee_receivable = 0;
    s->flags |= PH_LOAN_WRITTEN_OFF;
    e.r.status = LOAN_WRITTEN_OFF;
    char v[PH_MONEY_FORMAT_MAX], detail[320];
    ph_money_format(exposure, PH_MONEY_GROUPING, v, sizeof(v), NULL);
    snprintf(detail, sizeof(detail), "written off %s of principal: %s", v,
             reason != NULL && reason[0] ? reason : "no reason given");
    return loan_event_close(&e, "write_off", exposure, detail, err);
}

/* A recovery comes on a loan that is active (defaulted) or written off. */
static ph_status open_any(ph_store *store, int64_t id, ph_date on, loan_evt *e, ph_error *err)
{
    ph_status st = loan_event_open(store, id, on, e, err);
    if (st != PH_EINVAL || err == NULL || strcmp(err->field, "loan") != 0)
        return st;
    /* loan_event_open refuses a loan that is not active; a written-off one
     * may still recover: open it by hand. */
    ph_error_clear(err);
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    memset(e, 0, sizeof(*e));
    e->store = store;
    e->on = on;
    st = loan_contract_read(store, id, &e->c, err);
    if (st == PH_OK)
        st = loan_row_read(store, id, &e->r, err);
    if (st == PH_OK)
        st = loan_check_day(store, &e->r, on, err);
    if (st == PH_OK && e->r.status != LOAN_WRITTEN_OFF)
        st = ph_error_set(err, PH_EINVAL, "loan", loan_status_name(e->r.status),
                          "a recovery comes on a defaulted or written-off loan");
    if (st != PH_OK)
        ph_store_rollback(store, NULL);
    return st;
}

ph_status ph_loan_recover(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                          ph_share_split *parts, ph_error *err)
{
    if (amount <= 0) {
        char v[PH_MONEY_FORMAT_MAX];
        ph_money_format(amount, 0, v, sizeof(v), NULL);
        return ph_error_set(err, PH_EINVAL, "amount", v, "expected a recovery of more than 0");
    }
    loan_evt e;
    ph_status st = open_any(store, loan_id, on, &e, err);
    if (st != PH_OK)
        return st;
    int found = 0;
    ph_share_split loss, part;
    ph_money recovered = 0;
    st = has_share(store, loan_id, &found, &loss, &recovered, err);
    if (st == PH_OK && !found)
        st = ph_error_set(err, PH_EINVAL, "loan", e.c.scheme,
                          "no loss was shared on this loan: a repayment, not a recovery");
    ph_money total = 0;
    for (int p = 0; p < PH_PARTY_COUNT; p++)
        total += loss.part[p];
    if (st == PH_OK && amount > total - recovered) {
        char v[PH_MONEY_FORMAT_MAX], left[PH_MONEY_FORMAT_MAX];
        ph_money_format(amount, PH_MONEY_GROUPING, v, sizeof(v), NULL);
        ph_money_format(total - recovered, PH_MONEY_GROUPING, left, sizeof(left), NULL);
        st = ph_error_set(err, PH_EINVAL, "amount", v,
                          "more than the loss not yet recovered, %s (beyond it, the money is "
                          "the firm's)",
                          left);
    }
    if (st == PH_OK)
        st = ph_share_recovery(&loss, recovered, amount, &part, err);
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    const loan_contract *c = &e.c;
    static const char *const account[PH_PARTY_COUNT] = {
        NULL, ACC_GUARANTOR_RECEIVABLE, ACC_GUARANTOR_RECEIVABLE, ACC_GOVERNMENT_RECEIVABLE,
        ACC_POOL_FUND};
    const char *who[PH_PARTY_COUNT] = {"", c->guarantor, "reguarantor", "government", c->pool};
    for (int p = PH_PARTY_GUARANTOR; p < PH_PARTY_COUNT; p++)
        loan_lines_move(&e.lines, c, ACC_CASH, account[p], part.part[p], c->uscc, who[p]);
    /* The bank's part: the loan on the book, or credit losses recovered. */
    ph_money bank = part.part[PH_PARTY_BANK];
    ph_loan_state *s = &e.r.s;
    if (e.r.status == LOAN_WRITTEN_OFF) {
        loan_lines_move(&e.lines, c, ACC_CASH, ACC_CREDIT_LOSS, bank, c->uscc, NULL);
    } else {
        ph_money from_due = bank < s->principal_due ? bank : s->principal_due;
        ph_money from_principal = bank - from_due < s->principal ? bank - from_due : s->principal;
        loan_lines_move(&e.lines, c, ACC_CASH, ACC_PRINCIPAL_OVERDUE, from_due, c->uscc, NULL);
        loan_lines_move(&e.lines, c, ACC_CASH, ACC_PRINCIPAL, from_principal, c->uscc, NULL);
        loan_lines_move(&e.lines, c, ACC_CASH, ACC_CREDIT_LOSS, bank - from_due - from_principal,
                        c->uscc, NULL);
        s->principal_due -= from_due;
        s->principal -= from_principal;
    }
    ph_stmt *u = NULL;
    st = ph_store_prepare(store,
                          "UPDATE loan_share SET recovered_fen = recovered_fen + ? WHERE "
                          "loan_id = ?",
                          &u, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(u, 1, amount, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(u, 2, loan_id, err);
    if (st == PH_OK && (st = ph_stmt_step(u, err)) == PH_DONE)
        st = PH_OK;
    ph_stmt_free(u);
    if (st != PH_OK)
        return loan_event_fail(&e, st);
    char v[PH_MONEY_FORMAT_MAX], detail[96];
    ph_money_format(amount, PH_MONEY_GROUPING, v, sizeof(v), NULL);
    snprintf(detail, sizeof(detail), "recovered %s after compensation", v);
    st = loan_event_close(&e, "recover", amount, detail, err);
    if (st == PH_OK && parts != NULL)
        *parts = part;
    return st;
}
