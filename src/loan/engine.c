/*
 * The in-memory COB engine: one business day for one loan (ph_cob_day) and
 * for an array of loans (ph_cob_run). The order of the steps and every
 * convention are documented on ph_cob_day in include/puhui/cob.h and in
 * docs/loans.md, "Close of business".
 *
 * Invariants kept here:
 *   - a day works on a copy of the state and stores it only when every step
 *     succeeded, so an error leaves the loan exactly as it was;
 *   - every fen of interest accrued goes to interest_receivable and is billed
 *     whole, so receivable + due + income paid always equals the accrual;
 *   - each accrual segment (a constant balance at a constant rate) is
 *     rounded once, so a period's interest equals the schedule's rounded
 *     interest when nothing changed during the period;
 *   - the provision held equals the rounded target after every day, so its
 *     daily changes sum to it.
 * No allocation, no floating point; O(1) per loan-day plus one step per
 * instalment billed.
 */
#include "cob_internal.h"

#include <stdio.h>
#include <string.h>

#define LOAN_FMT "loan %lld: "
#define LOAN_ARG(s) (long long)(s)->loan_id

static ph_status add_money(const ph_loan_state *s, const char *field, ph_money *to, ph_money add,
                           ph_error *err)
{
    if (__builtin_add_overflow(*to, add, to))
        return ph_error_set(err, PH_ERANGE, field, NULL, LOAN_FMT "%s overflows", LOAN_ARG(s),
                            field);
    return PH_OK;
}

/* The amounts and indices a day relies on; checked before anything moves. */
static ph_status check_state(const ph_loan_state *s, ph_error *err)
{
    static const struct {
        const char *field;
        size_t offset;
    } AMOUNTS[] = {
        {"principal", offsetof(ph_loan_state, principal)},
        {"principal_due", offsetof(ph_loan_state, principal_due)},
        {"interest_receivable", offsetof(ph_loan_state, interest_receivable)},
        {"interest_due", offsetof(ph_loan_state, interest_due)},
        {"penalty", offsetof(ph_loan_state, penalty)},
        {"provision", offsetof(ph_loan_state, provision)},
        {"rate", offsetof(ph_loan_state, rate)},
        {"penalty_rate", offsetof(ph_loan_state, penalty_rate)},
    };
    for (size_t i = 0; i < sizeof(AMOUNTS) / sizeof(AMOUNTS[0]); i++) {
        int64_t v;
        memcpy(&v, (const char *)s + AMOUNTS[i].offset, sizeof(v));
        if (v < 0)
            return ph_error_set(err, PH_EINVAL, AMOUNTS[i].field, NULL,
                                LOAN_FMT "expected %s >= 0, got %lld", LOAN_ARG(s),
                                AMOUNTS[i].field, (long long)v);
    }
    if (s->n_instalments < 0 || s->next_k < 0 || s->next_k > s->n_instalments)
        return ph_error_set(err, PH_EINVAL, "next_k", NULL,
                            LOAN_FMT "expected next_k in 0..n_instalments (%d), got %d",
                            LOAN_ARG(s), (int)s->n_instalments, (int)s->next_k);
    if (s->n_instalments > 0 && s->schedule == NULL)
        return ph_error_set(err, PH_EMISUSE, "schedule", NULL,
                            LOAN_FMT "n_instalments %d but no schedule", LOAN_ARG(s),
                            (int)s->n_instalments);
    if ((unsigned)s->category >= PH_CATEGORY_COUNT)
        return ph_error_set(err, PH_EINVAL, "category", NULL, LOAN_FMT "unknown category %d",
                            LOAN_ARG(s), (int)s->category);
    if (s->grace_days < 0)
        return ph_error_set(err, PH_EINVAL, "grace_days", NULL,
                            LOAN_FMT "expected grace_days >= 0, got %d", LOAN_ARG(s),
                            (int)s->grace_days);
    return PH_OK;
}

/* The date: each loan runs every day once, in order, from its first COB. */
static ph_status check_day(const ph_loan_state *s, ph_date d, ph_error *err)
{
    if (s->last_cob == 0 || d == s->last_cob + 1)
        return PH_OK;
    char day[PH_DATE_FORMAT_MAX] = "?", last[PH_DATE_FORMAT_MAX] = "?";
    ph_date_format(d, day, sizeof(day), NULL);
    ph_date_format(s->last_cob, last, sizeof(last), NULL);
    if (d <= s->last_cob)
        return ph_error_set(err, PH_EINVAL, "date", day,
                            LOAN_FMT "COB already ran through %s; a day runs once", LOAN_ARG(s),
                            last);
    return ph_error_set(err, PH_EINVAL, "date", day,
                        LOAN_FMT "COB last ran on %s; run every day in order (expected the day "
                        "after it)", LOAN_ARG(s), last);
}

/* Step 1 on the copy t. */
static ph_status bill(ph_loan_state *t, ph_date d, ph_cob_delta *dl, ph_error *err)
{
    while (t->next_k < t->n_instalments && t->schedule[t->next_k].due_on <= d) {
        const ph_instalment *in = &t->schedule[t->next_k];
        if (in->principal < 0)
            return ph_error_set(err, PH_EINVAL, "schedule.principal", NULL,
                                LOAN_FMT "instalment %d has a negative principal", LOAN_ARG(t),
                                (int)in->k);
        /* The last instalment takes whatever principal is left (a revolving
         * line's balance, a residue); no instalment bills more than is left. */
        int last = t->next_k == t->n_instalments - 1;
        ph_money p = last || in->principal > t->principal ? t->principal : in->principal;
        ph_money i = t->interest_receivable;
        ph_status st = add_money(t, "principal_due", &t->principal_due, p, err);
        if (st == PH_OK)
            st = add_money(t, "interest_due", &t->interest_due, i, err);
        if (st == PH_OK)
            st = add_money(t, "principal_billed", &dl->principal_billed, p, err);
        if (st == PH_OK)
            st = add_money(t, "interest_billed", &dl->interest_billed, i, err);
        if (st != PH_OK)
            return st;
        t->principal -= p;
        t->interest_receivable = 0;
        /* The period's accrual ends: its interest is what was posted day by
         * day, now billed as interest_receivable (less any paid early). */
        ph_accrual_period_end(&t->accrual);
        t->accrual_balance = 0;
        t->accrual_rate = 0;
        if (t->oldest_unpaid_due == 0 && t->principal_due + t->interest_due > 0)
            t->oldest_unpaid_due = in->due_on;
        dl->instalments_billed++;
        t->next_k++;
    }
    return PH_OK;
}

/* Steps 2 and 4: one day of a running accrual at `base` and `rate`, closing
 * the open segment first when either differs from the segment's. */
static ph_status accrue(ph_loan_state *t, ph_accrual *a, ph_money *seg_base, ph_rate *seg_rate,
                        ph_money base, ph_rate rate, ph_money *delta, ph_error *err)
{
    ph_error local;
    ph_status st = PH_OK;
    if (a->balance_days != 0 && (base != *seg_base || rate != *seg_rate))
        st = ph_accrual_close_segment(a, *seg_rate, t->daycount, &local);
    *delta = 0;
    if (st == PH_OK && base > 0)
        st = ph_accrual_day(a, base, rate, t->daycount, delta, &local);
    if (st != PH_OK)
        return ph_error_set(err, st, local.field, local.value, LOAN_FMT "%s", LOAN_ARG(t),
                            local.detail);
    *seg_base = base;
    *seg_rate = rate;
    return PH_OK;
}

ph_status ph_cob_bill(ph_loan_state *s, ph_date d, ph_cob_delta *delta, ph_error *err)
{
    if (s == NULL || delta == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_bill: NULL argument");
    ph_status st = check_state(s, err);
    if (st != PH_OK)
        return st;
    ph_loan_state t = *s;
    ph_cob_delta dl = *delta;
    st = bill(&t, d, &dl, err);
    if (st != PH_OK)
        return st;
    *s = t;
    *delta = dl;
    return PH_OK;
}

ph_status ph_cob_day(const ph_cob_rules *r, ph_loan_state *s, ph_date d, ph_cob_delta *delta,
                     ph_error *err)
{
    if (r == NULL || s == NULL || delta == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_day: NULL argument");
    ph_cob_delta dl;
    memset(&dl, 0, sizeof(dl));
    dl.from = dl.to = s->category;
    if (s->flags & (PH_LOAN_CLOSED | PH_LOAN_WRITTEN_OFF)) {
        dl.skipped = 1;
        *delta = dl;
        return PH_OK;
    }
    ph_status st = check_state(s, err);
    if (st == PH_OK)
        st = check_day(s, d, err);
    if (st != PH_OK)
        return st;

    ph_loan_state t = *s;
    /* 1. Billing. */
    st = bill(&t, d, &dl, err);
    /* 2. The day's contract interest on the principal not yet due. */
    ph_money interest = 0;
    if (st == PH_OK)
        st = accrue(&t, &t.accrual, &t.accrual_balance, &t.accrual_rate, t.principal, t.rate,
                    &interest, err);
    if (st == PH_OK)
        st = add_money(&t, "interest_receivable", &t.interest_receivable, interest, err);
    if (st != PH_OK)
        return st;
    dl.interest_accrued = interest;

    /* 3. Days past due, from the oldest unpaid due date. */
    ph_money overdue;
    if (__builtin_add_overflow(t.principal_due, t.interest_due, &overdue))
        return ph_error_set(err, PH_ERANGE, "interest_due", NULL, LOAN_FMT "amount due overflows",
                            LOAN_ARG(&t));
    if (overdue == 0) {
        t.oldest_unpaid_due = 0;
        t.dpd = 0;
    } else if (t.oldest_unpaid_due == 0 || t.oldest_unpaid_due > d) {
        char text[PH_DATE_FORMAT_MAX] = "0";
        if (t.oldest_unpaid_due != 0)
            ph_date_format(t.oldest_unpaid_due, text, sizeof(text), NULL);
        return ph_error_set(err, PH_EINVAL, "oldest_unpaid_due", text,
                            LOAN_FMT "amounts are due, so expected the due date of the oldest "
                            "unpaid one, on or before the COB day",
                            LOAN_ARG(&t));
    } else {
        t.dpd = (int32_t)(d - t.oldest_unpaid_due);
    }

    /* 4. Penalty on the overdue amounts, only past the grace days. */
    ph_money penalty_base = t.dpd > t.grace_days ? overdue : 0, penalty = 0;
    st = accrue(&t, &t.penalty_accrual, &t.penalty_base, &t.penalty_base_rate, penalty_base,
                t.penalty_rate, &penalty, err);
    if (st == PH_OK)
        st = add_money(&t, "penalty", &t.penalty, penalty, err);
    if (st != PH_OK)
        return st;
    if (penalty_base == 0)
        memset(&t.penalty_accrual, 0, sizeof(t.penalty_accrual)); /* all posted: start afresh */
    dl.penalty_accrued = penalty;

    /* 5. The default trigger fires once. */
    if (!(t.flags & PH_LOAN_DEFAULTED) && t.dpd >= r->default_dpd) {
        t.flags |= PH_LOAN_DEFAULTED;
        dl.defaulted_today = 1;
    }

    /* 6. Classification. */
    t.category = cob_classify(r, &t, d);
    dl.to = t.category;
    if (!ph_loan_category_is_npl(t.category))
        t.npl_since = 0;
    else if (t.npl_since == 0)
        t.npl_since = d;

    /* 7. Provision: the held amount becomes the rounded target. */
    ph_money exposure, target;
    if (__builtin_add_overflow(t.principal, overdue, &exposure))
        return ph_error_set(err, PH_ERANGE, "principal", NULL, LOAN_FMT "exposure overflows",
                            LOAN_ARG(&t));
    st = ph_cob_provision(r, t.category, exposure, &target, err);
    if (st != PH_OK)
        return st;
    dl.provision_change = target - t.provision;
    t.provision = target;

    t.last_cob = d;
    *s = t;
    *delta = dl;
    return PH_OK;
}

ph_status ph_cob_run(const ph_cob_rules *r, ph_loan_state *s, size_t n, ph_date d,
                     ph_cob_delta *deltas, ph_error *err)
{
    if (r == NULL || (n > 0 && (s == NULL || deltas == NULL)))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_run: NULL argument");
    for (size_t i = 0; i < n; i++) {
        ph_status st = ph_cob_day(r, &s[i], d, &deltas[i], err);
        if (st != PH_OK) {
            if (err != NULL) {
                /* Copies: ph_error_set clears the record it fills. */
                char field[PH_ERROR_FIELD_MAX], value[PH_ERROR_VALUE_MAX];
                char detail[PH_ERROR_DETAIL_MAX];
                memcpy(field, err->field, sizeof(field));
                memcpy(value, err->value, sizeof(value));
                memcpy(detail, err->detail, sizeof(detail));
                ph_error_set(err, st, field[0] ? field : NULL, value[0] ? value : NULL,
                             "%.400s (index %zu of the batch)", detail, i);
            }
            return st;
        }
    }
    return PH_OK;
}
