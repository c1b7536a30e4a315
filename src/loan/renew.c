/*
 * Renewal without repaying principal (无还本续贷, docs/loans.md#renewal):
 * the outstanding principal moves to a new loan with a new term, under the
 * product's renewal rule (data). A renewal of a loan past due is a
 * restructuring (docs/domain.md#loans): the new loan is flagged, starts an
 * observation period, and keeps the old loan's category when that was
 * worse, so a renewal cannot hide arrears.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

static ph_status count_renewals(ph_store *store, int64_t id, int64_t *out, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, "SELECT renewal_of FROM loan WHERE id = ?", &s, err);
    int64_t n = 0;
    while (st == PH_OK && id != 0 && n < 1000) {
        st = ph_stmt_bind_int64(s, 1, id, err);
        if (st == PH_OK)
            st = ph_stmt_step(s, err);
        id = st == PH_OK && !ph_stmt_column_is_null(s, 0) ? ph_stmt_column_int64(s, 0) : 0;
        if (st == PH_OK && id != 0)
            n++;
        if (st == PH_OK || st == PH_DONE)
            st = ph_stmt_reset(s, err);
    }
    ph_stmt_free(s);
    *out = n;
    return st;
}

static ph_status check_rule(ph_store *store, const loan_contract *c, const loan_row *r,
                            ph_date on, int *restructuring, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    char v[PH_MONEY_FORMAT_MAX];
    ph_money owed = r->s.interest_due + r->s.interest_receivable + r->s.penalty +
                    r->fee_receivable;
    if (owed > 0) {
        ph_money_format(owed, PH_MONEY_GROUPING, v, sizeof(v), NULL);
        return ph_error_set(err, PH_EINVAL, "renewal", v,
                            "interest, penalty and fees must be paid before a renewal: %s is "
                            "accrued or due (pay it with puhui loan prepay)",
                            v);
    }
    loan_products ps = {0};
    ph_status st = loan_products_current(store, &ps, err);
    if (st != PH_OK)
        return st;
    const loan_product *p = loan_product_find(&ps, c->product);
    renewal_facts f = {0};
    f.dpd = r->s.dpd;
    f.months_on_book = ph_months_between(c->booked_on, on);
    f.principal = r->s.principal + r->s.principal_due;
    f.category = ph_loan_category_name(r->s.category);
    st = count_renewals(store, c->id, &f.renewals, err);
    int allowed = 0;
    if (st == PH_OK)
        st = loan_renewal_allowed(ctx, p, &f, &allowed, err);
    if (st == PH_OK && !allowed)
        st = ph_error_set(err, PH_EINVAL, "renewal", p->renewal[0] ? p->renewal : "none",
                          "the product's renewal rule does not hold (dpd %lld, %lld months on "
                          "book, %lld renewals before)",
                          (long long)f.dpd, (long long)f.months_on_book, (long long)f.renewals);
    loan_products_release(ctx, &ps);
    *restructuring = r->s.dpd > 0 || r->s.principal_due > 0;
    return st;
}

ph_status ph_loan_renew(ph_store *store, int64_t loan_id, ph_date on, int64_t term_months,
                        int64_t *new_id, ph_error *err)
{
    if (store == NULL || new_id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_renew: NULL argument");
    if (term_months < 1 || term_months > PH_LOAN_MAX_TERM_MONTHS) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)term_months);
        return ph_error_set(err, PH_EINVAL, "term", v, "expected 1 to %d months",
                            PH_LOAN_MAX_TERM_MONTHS);
    }
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    loan_contract old, c;
    loan_row r;
    st = loan_contract_read(store, loan_id, &old, err);
    if (st == PH_OK)
        st = loan_row_read(store, loan_id, &r, err);
    if (st == PH_OK)
        st = loan_check_day(store, &r, on, err);
    if (st == PH_OK && (r.status != LOAN_ACTIVE || old.method == PH_METHOD_REVOLVING))
        st = ph_error_set(err, PH_EINVAL, "loan", loan_status_name(r.status),
                          "only an active term loan can be renewed");
    int restructuring = 0;
    if (st == PH_OK)
        st = check_rule(store, &old, &r, on, &restructuring, err);
    ph_money principal = r.s.principal + r.s.principal_due;
    c = old;
    c.decision_id = 0;
    c.renewal_of = old.id;
    c.reference[0] = '\0'; /* an import's reference names the original loan only */
    c.amount = principal;
    c.rate = r.s.rate;
    c.term = term_months;
    c.booked_on = on;
    c.restructured = restructuring;
    if (st == PH_OK)
        st = ph_date_add_months(on, term_months, PH_EOM_CLAMP, &c.maturity_on, err);
    ph_instalment rows[PH_LOAN_MAX_TERM_MONTHS];
    size_t n = 0;
    if (st == PH_OK) {
        ph_schedule_terms t = {0};
        t.principal = principal;
        t.anchor = on;
        t.first_k = 1;
        t.term_months = (int32_t)term_months;
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
    /* The principal and its provision move from the old loan to the new. */
    loan_lines l = {0};
    if (principal > 0) {
        l.line[l.n++] = (ph_ledger_line){ACC_PRINCIPAL, c.id, c.product, "", principal, 0};
        if (r.s.principal > 0)
            l.line[l.n++] = (ph_ledger_line){ACC_PRINCIPAL, old.id, old.product, "", 0,
                                             r.s.principal};
        if (r.s.principal_due > 0)
            l.line[l.n++] = (ph_ledger_line){ACC_PRINCIPAL_OVERDUE, old.id, old.product, "", 0,
                                             r.s.principal_due};
    }
    if (r.s.provision > 0) {
        l.line[l.n++] = (ph_ledger_line){ACC_PROVISION, old.id, old.product, "", r.s.provision, 0};
        l.line[l.n++] = (ph_ledger_line){ACC_PROVISION, c.id, c.product, "", 0, r.s.provision};
    }
    int64_t entry = 0;
    char memo[128];
    snprintf(memo, sizeof(memo), "loan %lld renewed as loan %lld%s", (long long)old.id,
             (long long)c.id, restructuring ? " (a restructuring: it was past due)" : "");
    if (st == PH_OK && l.n > 0)
        st = ph_ledger_post(store, on, "renew", memo, l.line, l.n, &entry, err);
    loan_row nr = r;
    memset(&nr.s.accrual, 0, sizeof(nr.s.accrual));
    memset(&nr.s.penalty_accrual, 0, sizeof(nr.s.penalty_accrual));
    memset(&nr.fee_accrual, 0, sizeof(nr.fee_accrual));
    nr.s.loan_id = c.id;
    nr.s.principal = principal;
    nr.s.principal_due = 0;
    nr.s.oldest_unpaid_due = 0;
    nr.s.dpd = 0;
    nr.s.next_k = 0;
    nr.s.n_instalments = (int32_t)n;
    nr.schedule_version = 1;
    nr.last_event_on = on;
    nr.defaulted_on = 0;
    if (restructuring) {
        nr.s.restructured_on = on;
        if (nr.s.category < PH_CATEGORY_SPECIAL_MENTION)
            nr.s.category = PH_CATEGORY_SPECIAL_MENTION;
    }
    if (st == PH_OK)
        st = loan_row_insert(store, &nr, err);
    r.status = LOAN_RENEWED;
    r.s.flags |= PH_LOAN_CLOSED;
    r.s.principal = r.s.principal_due = 0;
    r.s.provision = 0;
    r.s.oldest_unpaid_due = 0;
    r.last_event_on = on;
    if (st == PH_OK)
        st = loan_row_update(store, &r, err);
    if (st == PH_OK)
        st = loan_event_add(store, old.id, on, "renewed", principal, memo, entry, NULL, err);
    if (st == PH_OK)
        st = loan_event_add(store, c.id, on, restructuring ? "restructure" : "renewal", principal,
                            memo, entry, NULL, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK) {
        ph_store_rollback(store, NULL);
        return st;
    }
    *new_id = c.id;
    return PH_OK;
}
