/*
 * puhui — close of business (COB) for the loan book, in memory: daily
 * accrual, billing of instalments, days past due, the five-category
 * classification (五级分类, the 2023 rules) and provisions.
 *
 * These functions are pure: they read and update plain loan states that
 * the caller holds (the loan store persists them, the benchmark keeps them
 * in an array) and say what changed in a ph_cob_delta, which the caller
 * turns into ledger lines. They never touch a database, never allocate on
 * the per-day path, and use no floating point. See docs/loans.md, "Close of
 * business" and "Classification and provisions", and
 * docs/domain.md#loans for the rules.
 *
 * One COB day `d` for one loan, in this order (each step documented on
 * ph_cob_day):
 *   1. bill every instalment due on or before d not yet billed;
 *   2. accrue day d's contract interest on the principal not yet due;
 *   3. count days past due: dpd = d - oldest_unpaid_due;
 *   4. accrue day d's penalty on the overdue amounts once dpd > grace_days;
 *   5. the default trigger (dpd >= default_dpd, once);
 *   6. classify; 7. provision.
 */
#ifndef PUHUI_COB_H
#define PUHUI_COB_H

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/rate.h"
#include "puhui/schedule.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- Categories ----------------------------------------------------------------- */

/* Worse categories have larger values: "at least special mention" is
 * category >= PH_CATEGORY_SPECIAL_MENTION. Substandard and worse are
 * non-performing (NPL). */
typedef enum ph_loan_category {
    PH_CATEGORY_NORMAL = 0,      /* 正常 */
    PH_CATEGORY_SPECIAL_MENTION, /* 关注 */
    PH_CATEGORY_SUBSTANDARD,     /* 次级 */
    PH_CATEGORY_DOUBTFUL,        /* 可疑 */
    PH_CATEGORY_LOSS,            /* 损失 */
    PH_CATEGORY_COUNT
} ph_loan_category;

/* "normal", "special_mention", "substandard", "doubtful", "loss"; NULL for a
 * value outside the enum. */
PH_EXTERN const char *ph_loan_category_name(ph_loan_category c);

/* Parse a name returned by ph_loan_category_name from s[0..len) (exact,
 * lower case). Errors: PH_EINVAL (field "category", the text as value) for
 * anything else; PH_EMISUSE for NULL s or out. */
PH_EXTERN ph_status ph_loan_category_parse(const char *s, size_t len, ph_loan_category *out,
                                           ph_error *err);

/* True for substandard, doubtful and loss. */
PH_EXTERN int ph_loan_category_is_npl(ph_loan_category c);

/* --- Rules ------------------------------------------------------------------------- */

/*
 * The classification and provisioning rules, as data. JSON (every member
 * optional; an absent one keeps the default):
 *   {"categories": [{"category":"special_mention","min_dpd":1},
 *                   {"category":"substandard","min_dpd":91},
 *                   {"category":"doubtful","min_dpd":271},
 *                   {"category":"loss","min_dpd":361}],
 *    "restructured_floor": "special_mention", "observation_days": 365,
 *    "observation_periods": 2, "default_dpd": 90,
 *    "provision_bp": {"normal":100, "special_mention":200, "substandard":2500,
 *                     "doubtful":5000, "loss":10000}}
 * The built-in defaults are exactly this document (the 2023 rules of
 * docs/domain.md#loans). "categories", when present, lists
 * special_mention, substandard, doubtful and loss once each (in any order),
 * with min_dpd (0..36500) strictly increasing in that order from at least 1
 * (normal is dpd 0). provision_bp: 0..10000 each,
 * every category named at most once (absent ones keep the default).
 * observation_days 0..3650, observation_periods 0..120, default_dpd
 * 1..3650. Unknown members are errors.
 */
typedef struct ph_cob_rules ph_cob_rules;

/* The built-in rules. Errors: PH_ENOMEM; PH_EMISUSE for NULL ctx or out. */
PH_EXTERN ph_status ph_cob_rules_default(const ph_ctx *ctx, ph_cob_rules **out, ph_error *err);

/*
 * Read rules from a JSON file. Errors: PH_EIO when the file cannot be read;
 * PH_EINVAL for bad JSON (with file, line and column) and for a bad member
 * (with file, the member's path as field, the value, and what was expected,
 * e.g. field "categories[1].min_dpd", value "80": "expected more than
 * categories[0].min_dpd (90)"); PH_ENOMEM; PH_EMISUSE for NULL arguments.
 * *out is written only on success. Cost: one parse of the file.
 */
PH_EXTERN ph_status ph_cob_rules_load_file(const ph_ctx *ctx, const char *path,
                                           ph_cob_rules **out, ph_error *err);

/* As ph_cob_rules_load_file, from text; `source` names it in errors. */
PH_EXTERN ph_status ph_cob_rules_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                           const char *source, ph_cob_rules **out,
                                           ph_error *err);

/* NULL is allowed. */
PH_EXTERN void ph_cob_rules_free(ph_cob_rules *r);

/* Accessors (for reports and the docs); r must not be NULL. */
PH_EXTERN int32_t ph_cob_rules_min_dpd(const ph_cob_rules *r, ph_loan_category c); /* normal: 0 */
PH_EXTERN int32_t ph_cob_rules_provision_bp(const ph_cob_rules *r, ph_loan_category c);
PH_EXTERN int32_t ph_cob_rules_default_dpd(const ph_cob_rules *r);

/* --- Loan state ------------------------------------------------------------------- */

#define PH_LOAN_FROZEN 0x1u      /* a revolving line frozen: no draws (COB runs as usual) */
#define PH_LOAN_DEFAULTED 0x2u   /* the default trigger fired (set once by ph_cob_day) */
#define PH_LOAN_CLOSED 0x4u      /* repaid: ph_cob_day skips it */
#define PH_LOAN_WRITTEN_OFF 0x8u /* written off: ph_cob_day skips it */

/* One loan's servicing state: plain data the lead persists (table loan_state) and the engine updates in place.
   A new loan's state is zero except the contract fields, the principal and the schedule. */
typedef struct ph_loan_state {
    int64_t loan_id;
    ph_rate rate;               /* contract annual rate now */
    ph_rate penalty_rate;       /* annual rate on overdue principal + interest */
    ph_daycount daycount;
    int32_t grace_days;         /* no penalty while an amount is at most this many days overdue */
    ph_money principal;         /* outstanding, not yet due */
    ph_money principal_due;     /* billed, unpaid */
    ph_money interest_receivable; /* accrued this period, not yet billed */
    ph_money interest_due;      /* billed, unpaid */
    ph_money penalty;           /* accrued, unpaid */
    ph_accrual accrual;         /* the period's interest accrual (schedule.h) */
    ph_accrual penalty_accrual;
    ph_date oldest_unpaid_due;  /* due date of the oldest unpaid amount; 0 = nothing overdue */
    int32_t dpd;                /* days past due today */
    ph_loan_category category;
    ph_date restructured_on;    /* 0 = never; a restructuring starts an observation period */
    ph_date npl_since;          /* first day classified substandard or worse in the current spell; 0 = none */
    ph_money provision;         /* held */
    int32_t next_k;             /* next instalment to bill: a 0-based INDEX into schedule[0..n_instalments)
                                   (not the instalment number k); n_instalments = all billed */
    int32_t n_instalments;
    const ph_instalment *schedule; /* the caller's array, not owned, sorted by due_on */
    uint32_t flags;             /* PH_LOAN_FROZEN, PH_LOAN_DEFAULTED, PH_LOAN_CLOSED, PH_LOAN_WRITTEN_OFF */
    /* --- added by the engine (zero for a new loan) --- */
    ph_date last_cob;           /* the last day ph_cob_day ran for this loan; 0 = never. The next run must
                                   be last_cob + 1 (no day twice, none skipped) */
    ph_money accrual_balance;   /* the balance of accrual's open segment */
    ph_rate accrual_rate;       /* the rate of accrual's open segment */
    ph_money penalty_base;      /* the overdue amount of penalty_accrual's open segment */
    ph_rate penalty_base_rate;  /* the penalty rate of that segment */
} ph_loan_state;

/* What one day did to one loan: the lead turns it into ledger lines. */
typedef struct ph_cob_delta {
    ph_money interest_accrued;  /* Dr 1311 / Cr 6011 */
    ph_money penalty_accrued;   /* Dr 1313 / Cr 6012 */
    ph_money principal_billed;  /* Dr 1302 / Cr 1301 */
    ph_money interest_billed;   /* Dr 1312 / Cr 1311 */
    ph_money provision_change;  /* > 0: Dr 6701 / Cr 1231; < 0 the reverse */
    ph_loan_category from, to;
    int defaulted_today;        /* crossed the default trigger (rules: "default_dpd": 90 default) today */
    /* --- added --- */
    int32_t instalments_billed; /* how many instalments were billed (0 or 1 on a normal day) */
    int skipped;                /* 1: the loan is closed or written off and nothing was done */
} ph_cob_delta;

/* principal + principal_due + interest_due: what provisions are a share of. */
PH_EXTERN ph_money ph_loan_exposure(const ph_loan_state *s);

/*
 * The category the rules give loan `s` on day d, from s->dpd, its
 * restructuring and its category so far (s->category): the category of the
 * highest min_dpd <= dpd; during the observation period of a restructuring
 * (see ph_cob_day) at least the restructured_floor, and never better than
 * s->category when that is non-performing. Errors: PH_EMISUSE for NULL.
 * Cost: O(1), no allocation.
 */
PH_EXTERN ph_status ph_cob_classify(const ph_cob_rules *r, const ph_loan_state *s, ph_date d,
                                    ph_loan_category *out, ph_error *err);

/*
 * The provision a category requires: round_half_up(exposure * bp / 10000).
 * Errors: PH_EINVAL (field "exposure") for a negative exposure, (field
 * "category") for one outside the enum; PH_EMISUSE for NULL. O(1).
 */
PH_EXTERN ph_status ph_cob_provision(const ph_cob_rules *r, ph_loan_category c, ph_money exposure,
                                     ph_money *out, ph_error *err);

/*
 * Bill every instalment due on or before d not yet billed (step 1 of
 * ph_cob_day, alone), for a repayment made on a due date before that day's
 * COB: the instalment is then owed as principal_due / interest_due, and the
 * COB of d finds nothing more to bill. Idempotent. The amounts are ADDED to
 * *delta's principal_billed, interest_billed and instalments_billed (so the
 * caller may pass the delta it later gives ph_cob_day, or a zeroed one).
 * Errors as ph_cob_day; on error nothing changes.
 */
PH_EXTERN ph_status ph_cob_bill(ph_loan_state *s, ph_date d, ph_cob_delta *delta, ph_error *err);

/*
 * Run one day `d` for one loan. Steps, in order:
 *  1. Billing: while schedule[next_k].due_on <= d: principal_billed =
 *     min(schedule principal, principal) — the whole principal for the last
 *     instalment, so a revolving line's maturity bills its balance — moves
 *     from principal to principal_due; the period's interest accrual ends
 *     (ph_accrual_period_end) and the whole interest_receivable moves to
 *     interest_due. If something is owed and nothing was overdue,
 *     oldest_unpaid_due = that instalment's due_on.
 *  2. Interest: one day (day d, the first day of a new period after a
 *     billing) on the principal not yet due at s->rate. The open segment is
 *     closed first when the balance or the rate differs from the segment's
 *     (a draw, a prepayment, a repricing), so each segment is rounded once.
 *  3. DPD: when principal_due + interest_due is 0, oldest_unpaid_due is
 *     cleared and dpd = 0; otherwise dpd = d - oldest_unpaid_due (the due
 *     date itself is 0 DPD, the day after an unpaid due date is 1 DPD).
 *  4. Penalty: when dpd > grace_days, one day on principal_due +
 *     interest_due at penalty_rate through penalty_accrual (a running
 *     accrual, its segment closed when the overdue amount or the rate
 *     changes); nothing for the grace days themselves.
 *  5. Default: the first day dpd >= the rules' default_dpd sets
 *     PH_LOAN_DEFAULTED and defaulted_today = 1; never again.
 *  6. Classification (ph_cob_classify); npl_since is set on the first NPL
 *     day of a spell and cleared when the loan leaves NPL.
 *  7. Provision: target = ph_cob_provision(category, exposure);
 *     provision_change = target - provision.
 * A loan flagged PH_LOAN_CLOSED or PH_LOAN_WRITTEN_OFF is skipped: the
 * delta is zero but for from = to = its category and skipped = 1.
 *
 * Errors (s and *delta untouched): PH_EINVAL (field "date", the loan named)
 * when d <= last_cob (already run) or d > last_cob + 1 (a day skipped);
 * PH_EINVAL for a negative amount in the state (field named) or a
 * next_k outside 0..n_instalments; PH_ERANGE when an amount overflows;
 * PH_EMISUSE for NULL r, s or delta, or a NULL schedule with
 * n_instalments > 0. Cost: O(1) per day (plus one step per instalment
 * billed), no allocation.
 */
PH_EXTERN ph_status ph_cob_day(const ph_cob_rules *r, ph_loan_state *s, ph_date d,
                               ph_cob_delta *delta, ph_error *err);

/*
 * ph_cob_day for s[0..n), deltas[i] for s[i] (the benchmark's loop; the
 * persisted COB calls it per chunk). On an error it stops: loans before the
 * failing one have been run and their deltas written, the failing loan and
 * the rest are untouched, and the error's detail names the loan id and its
 * index — a caller that persists treats the whole chunk as failed and
 * reloads it. Errors as ph_cob_day; PH_EMISUSE for NULL arrays with n > 0.
 */
PH_EXTERN ph_status ph_cob_run(const ph_cob_rules *r, ph_loan_state *s, size_t n, ph_date d,
                               ph_cob_delta *deltas, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_COB_H */
