/*
 * puhui — the province runs forward (docs/loans.md#the-province-runs-forward),
 * and the book's own outcomes for a modelling sample
 * (docs/loans.md#model-samples-from-the-book). Owned by src/loan.
 *
 * The simulator plays the firms of a synthetic province (puhui gen) against
 * the loan book: each accepts its best open offer, pays what falls due as its
 * latent health allows, and stops paying when it defaults, while the close of
 * business runs every day. It reads the province's truth/ (health, the true
 * 12-month PD, default dates): the firms' behaviour, never an input to a
 * decision. Everything it does goes through the loan book's public events
 * (ph_loan_accept, ph_loan_repay, ph_loan_draw, ph_cob_through), so the
 * book's rules, the ledger and its checks are the platform's own.
 *
 * Errors follow docs/errors.md.
 */
#ifndef PUHUI_SIMULATE_H
#define PUHUI_SIMULATE_H

#include <stdint.h>

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/loan.h"
#include "puhui/money.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*ph_simulate_progress_fn)(void *user, ph_date day, int64_t done, int64_t total);

typedef struct ph_simulate_opts {
    const char *province;        /* the directory puhui gen wrote (its truth/ is read) */
    ph_month from;               /* the first month run forward */
    int32_t months;              /* 1..120 */
    uint64_t seed;               /* every draw is a pure function of the seed */
    const ph_cob_rules *rules;   /* NULL: the built-in 2023 rules */
    ph_simulate_progress_fn progress; /* may be NULL; called once a day */
    void *user;
} ph_simulate_opts;

typedef struct ph_simulate_report {
    ph_date first_day, last_day; /* the days run (bookings may start before `from`) */
    int64_t applications;        /* applications with a served, approved offer */
    int64_t accepted;            /* best offers accepted (loans booked) */
    int64_t refused;             /* offers the book refused (expired, or accepted already) */
    int64_t firms, firms_truth_default, firms_drawn_default; /* borrowers; their default source */
    int64_t payments, on_time, late, partial; /* repayments made, and how */
    int64_t draws;               /* draws on revolving lines */
    int64_t renewals;            /* loans renewed without repaying principal (无还本续贷) */
    int64_t stopped;             /* firms that stopped paying (missed for good) in the run */
    ph_cob_report cob;           /* the close of business of every day, summed */
} ph_simulate_report;

/*
 * Run the province forward: accept every application's best open offer
 * (applications dated up to the last day run; the lowest net APR, then the
 * lowest decision id), each on its offer's day or the first open day after
 * the last COB; then, day by day, each borrower pays, draws or stops paying
 * by its latent health and its default date, and the close of business runs.
 * Costs one store transaction per event and one COB per day.
 *
 * Errors: PH_EINVAL field "from" when a day of the window is closed already,
 * field "months" outside 1..120; PH_EIO / PH_EINVAL naming the truth file
 * and line that could not be read; every error of the events it runs (the
 * run stops there: the days closed so far stay closed, and running again
 * from the next month continues the book); PH_EMISUSE for NULL arguments.
 */
PH_EXTERN ph_status ph_simulate_run(ph_store *store, const ph_simulate_opts *opts,
                                    ph_simulate_report *out, ph_error *err);

/* ---- the book's mix ----------------------------------------------------------------------- */

typedef struct ph_book_mix {
    int64_t loans;               /* booked from an offer (renewals are the same credit) */
    int64_t credit_loans;        /* without a guarantor (信用贷款) */
    int64_t first_time;          /* the offer's facts said the firm never borrowed (首贷户) */
    ph_money amount, credit_amount, guaranteed; /* contract amounts (a line's limit) */
    ph_rate credit_share;        /* credit_loans / loans, 1e-8 */
} ph_book_mix;

/* The book's mix (the guarantors' compensation rate is ph_share_figures').
 * Cost: one scan of the loans, and one
 * ph_market_offer_get per loan (the first-loan fact is the offer's).
 * Errors: PH_ESCHEMA; store and market errors; PH_EMISUSE for NULL. */
PH_EXTERN ph_status ph_book_mix_get(ph_store *store, ph_book_mix *out, ph_error *err);

/* ---- the book's outcomes ------------------------------------------------------------------ */

/* One firm at one month end: whether a loan of the firm in the book (open at
 * the month end) reached `bad_dpd` days past due within the horizon after it. */
typedef struct ph_book_outcome {
    const char *uscc;            /* valid during the callback only */
    ph_month month;
    int bad;                     /* 1: reached bad_dpd within (month end, month end + horizon] */
    int bad_before;              /* 1: had already reached it on or before the month end */
    ph_date bad_on;              /* the first day it reached bad_dpd; 0 = never (as far as the book knows) */
} ph_book_outcome;
typedef int (*ph_book_outcome_fn)(const ph_book_outcome *o, void *user); /* nonzero stops */

/*
 * For every firm with a loan in the book and every month from..to: the
 * outcome above, from the book's own records: the day a loan's days past
 * due first reached bad_dpd. For bad_dpd at or below the rules' default
 * trigger (`rules`, NULL for the built-in 2023 rules: 90) that is the
 * default day (loan_state.defaulted_on, the day the loss was shared in
 * loan_share) less the difference, days past due counting one a day; for
 * any bad_dpd, a spell still unpaid counts from its oldest unpaid due date
 * (a cured spell above the trigger leaves no other record). A firm is listed for
 * a month when one of its loans was booked on or before the month end. In
 * (uscc, month) order. Errors: PH_EINVAL field "to" before from, field
 * "horizon" outside 1..120 months, field "bad_dpd" below 1; PH_ESCHEMA;
 * store errors; PH_EMISUSE for NULL arguments.
 */
PH_EXTERN ph_status ph_book_outcomes(ph_store *store, const ph_cob_rules *rules, ph_month from,
                                     ph_month to, int32_t horizon_months, int32_t bad_dpd,
                                     ph_book_outcome_fn fn, void *user, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SIMULATE_H */
