/*
 * What the book itself knows about its borrowers
 * (docs/loans.md#model-samples-from-the-book): the mix of the book (credit
 * loans, first-time borrowers) and, per
 * firm and month, whether a loan went bad within a horizon — the outcome a
 * modelling sample is labelled with, from the platform's own records rather
 * than the generator's truth.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

#include "puhui/market.h"
#include "puhui/simulate.h"

static ph_rate share_of(ph_money part, ph_money whole)
{
    if (whole <= 0)
        return 0;
    /* 1e-8 fixed point, rounded half up; part <= whole keeps it in range */
    __extension__ typedef __int128 wide;
    wide q = (wide)part * 100000000 * 2 / whole;
    return (ph_rate)((q + 1) / 2);
}

ph_status ph_book_mix_get(ph_store *store, ph_book_mix *out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_book_mix_get: NULL argument");
    ph_book_mix m;
    memset(&m, 0, sizeof(m));
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT decision_id, amount_fen, guarantor IS NULL FROM loan "
                              "WHERE renewal_of IS NULL ORDER BY id",
                              &s, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_money amount = ph_stmt_column_int64(s, 1);
        int credit = (int)ph_stmt_column_int64(s, 2);
        m.loans++;
        m.amount += amount;
        if (credit) {
            m.credit_loans++;
            m.credit_amount += amount;
        } else {
            m.guaranteed += amount;
        }
        if (!ph_stmt_column_is_null(s, 0)) {
            ph_market_offer o;
            st = ph_market_offer_get(store, ph_stmt_column_int64(s, 0), &o, err);
            if (st == PH_OK && o.first_loan)
                m.first_time++;
        }
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    if (st != PH_OK)
        return st;
    m.credit_share = share_of(m.credit_loans, m.loans);
    *out = m;
    return PH_OK;
}

/* ---- outcomes -------------------------------------------------------------------------------- */

static ph_status column_day(ph_stmt *s, int col, ph_date *out, ph_error *err)
{
    *out = 0;
    if (ph_stmt_column_is_null(s, col))
        return PH_OK;
    const char *t = ph_stmt_column_text(s, col);
    return ph_date_parse(t, strlen(t), out, err);
}

/* The first day this loan reached bad_dpd, 0 when the book shows none. */
static ph_status loan_bad_on(ph_stmt *s, int32_t bad_dpd, int32_t trigger, ph_date *out,
                             ph_error *err)
{
    ph_date defaulted = 0, shared = 0, oldest = 0, last_cob = 0;
    ph_status st = column_day(s, 2, &defaulted, err);
    if (st == PH_OK)
        st = column_day(s, 3, &shared, err);
    if (st == PH_OK)
        st = column_day(s, 4, &oldest, err);
    if (st == PH_OK)
        st = column_day(s, 5, &last_cob, err);
    if (st != PH_OK)
        return st;
    ph_date best = 0;
    if (defaulted == 0)
        defaulted = shared;
    /* days past due count one a day within a spell: the default day less the
     * difference is the day it reached bad_dpd */
    if (defaulted != 0 && trigger > 0 && bad_dpd <= trigger)
        best = defaulted - (trigger - bad_dpd);
    if (oldest != 0 && last_cob != 0 && last_cob - oldest >= bad_dpd) {
        ph_date d = oldest + bad_dpd;
        if (best == 0 || d < best)
            best = d;
    }
    *out = best;
    return PH_OK;
}

typedef struct firm_span {
    char uscc[19];
    ph_date first_booked, bad_on;
} firm_span;

static ph_status emit_firm(const firm_span *f, ph_month from, ph_month to, int32_t horizon,
                           ph_book_outcome_fn fn, void *user, int *stop, ph_error *err)
{
    for (ph_month m = from; m <= to && !*stop; m = ph_month_next(m)) {
        ph_date end = 0, h_end = 0;
        ph_month hm = 0;
        ph_status st = ph_month_last_day(m, &end, err);
        if (st == PH_OK)
            st = ph_month_add(m, horizon, &hm, err);
        if (st == PH_OK)
            st = ph_month_last_day(hm, &h_end, err);
        if (st != PH_OK)
            return st;
        if (f->first_booked > end)
            continue;
        ph_book_outcome o;
        o.uscc = f->uscc;
        o.month = m;
        o.bad_on = f->bad_on;
        o.bad_before = f->bad_on != 0 && f->bad_on <= end;
        o.bad = f->bad_on != 0 && f->bad_on > end && f->bad_on <= h_end;
        if (fn(&o, user) != 0)
            *stop = 1;
    }
    return PH_OK;
}

ph_status ph_book_outcomes(ph_store *store, const ph_cob_rules *rules, ph_month from, ph_month to,
                           int32_t horizon_months, int32_t bad_dpd, ph_book_outcome_fn fn,
                           void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_book_outcomes: NULL argument");
    char v[24];
    if (!ph_month_is_valid(from) || !ph_month_is_valid(to) || to < from) {
        ph_month_format(to, v, sizeof(v), NULL);
        return ph_error_set(err, PH_EINVAL, "to", v, "expected a month on or after from");
    }
    if (horizon_months < 1 || horizon_months > 120) {
        snprintf(v, sizeof(v), "%d", (int)horizon_months);
        return ph_error_set(err, PH_EINVAL, "horizon", v, "expected 1 to 120 months");
    }
    if (bad_dpd < 1) {
        snprintf(v, sizeof(v), "%d", (int)bad_dpd);
        return ph_error_set(err, PH_EINVAL, "bad_dpd", v, "expected 1 or more days past due");
    }
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    if (st != PH_OK)
        return st;
    int32_t trigger = 0;
    if (rules != NULL) {
        trigger = ph_cob_rules_default_dpd(rules);
    } else {
        ph_cob_rules *r = NULL;
        st = ph_cob_rules_default(ph_store_ctx(store), &r, err);
        if (st != PH_OK)
            return st;
        trigger = ph_cob_rules_default_dpd(r);
        ph_cob_rules_free(r);
    }
    ph_stmt *s = NULL;
    st = ph_store_prepare(store,
                          "SELECT l.uscc, l.booked_on, s.defaulted_on, sh.on_date, "
                          "s.oldest_unpaid_due, s.last_cob FROM loan l "
                          "JOIN loan_state s ON s.loan_id = l.id "
                          "LEFT JOIN loan_share sh ON sh.loan_id = l.id ORDER BY l.uscc, l.id",
                          &s, err);
    firm_span f;
    memset(&f, 0, sizeof(f));
    int stop = 0;
    while (st == PH_OK && !stop && (st = ph_stmt_step(s, err)) == PH_OK) {
        const char *uscc = ph_stmt_column_text(s, 0);
        if (f.uscc[0] != '\0' && strcmp(f.uscc, uscc) != 0) {
            st = emit_firm(&f, from, to, horizon_months, fn, user, &stop, err);
            memset(&f, 0, sizeof(f));
        }
        ph_date booked = 0, bad = 0;
        if (st == PH_OK)
            st = column_day(s, 1, &booked, err);
        if (st == PH_OK)
            st = loan_bad_on(s, bad_dpd, trigger, &bad, err);
        if (st != PH_OK)
            break;
        snprintf(f.uscc, sizeof(f.uscc), "%s", uscc);
        if (f.first_booked == 0 || booked < f.first_booked)
            f.first_booked = booked;
        if (bad != 0 && (f.bad_on == 0 || bad < f.bad_on))
            f.bad_on = bad;
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    if (st == PH_OK && !stop && f.uscc[0] != '\0')
        st = emit_firm(&f, from, to, horizon_months, fn, user, &stop, err);
    return st;
}
