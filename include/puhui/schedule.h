/* CONTRACT COPY (replaced at merge) */
#ifndef PUHUI_SCHEDULE_H
#define PUHUI_SCHEDULE_H
#include <stddef.h>
#include <stdint.h>
#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/rate.h"

typedef enum ph_schedule_method {
    PH_METHOD_EQUAL_INSTALLMENT = 0, /* "equal_installment" 等额本息 */
    PH_METHOD_EQUAL_PRINCIPAL = 1,   /* "equal_principal" 等额本金 */
    PH_METHOD_INTEREST_ONLY = 2,     /* "interest_only": interest monthly, principal bullet at the end */
    PH_METHOD_SEASONAL = 3,          /* "seasonal": interest monthly, principal in the harvest months only */
    PH_METHOD_REVOLVING = 4          /* "revolving": interest monthly on the daily balance, principal at maturity */
} ph_schedule_method;
ph_status ph_schedule_method_parse(const char *s, size_t len, ph_schedule_method *out, ph_error *err);
const char *ph_schedule_method_name(ph_schedule_method m);

typedef struct ph_schedule_terms {
    ph_money principal;        /* the balance the schedule repays, > 0 */
    ph_date anchor;            /* the drawdown day: due date k = anchor + k months, end-of-month rule
                                  PH_EOM_... anchored to the ORIGINAL day (31 Jan +1 = 28/29 Feb, +2 = 31 Mar) */
    int32_t first_k;           /* first instalment number to build (1 for a new loan; later after a rebuild) */
    int32_t term_months;       /* last instalment number (the maturity), 1..360 */
    ph_date period_start;      /* interest of instalment first_k runs from here (the anchor for a new loan,
                                  the prepayment / repricing day after a rebuild) */
    ph_schedule_method method;
    ph_rate rate;              /* annual */
    ph_daycount daycount;      /* ACT/360 default; ACT/365 */
    uint16_t harvest_months;   /* seasonal: bit (m-1) set = principal due in calendar month m; ignored otherwise */
} ph_schedule_terms;

typedef struct ph_instalment {
    int32_t k;                 /* 1-based */
    ph_date due_on;
    ph_date period_start;      /* interest runs [period_start, due_on) */
    ph_money principal;        /* due on due_on */
    ph_money interest;         /* = round_half_up(balance_before * rate * days / basis) — the SAME value daily
                                  accrual reaches at due_on (see ph_accrual below) */
    ph_money balance_after;    /* principal outstanding after this instalment */
} ph_instalment;

/* Build instalments first_k..term_months into out[cap]; *n = how many. Equal instalment: the level payment from
   the annuity at rate/12 (whole fen), interest by actual days, principal = payment - interest, the LAST instalment
   takes the whole remaining balance (absorbs residue, FINERACT-1540). Equal principal: split with ph_money_split.
   Revolving: principal 0 except at maturity (the whole balance). PH_EINVAL naming the field for bad terms. */
ph_status ph_schedule_build(const ph_schedule_terms *t, ph_instalment *out, size_t cap, size_t *n, ph_error *err);

/* Daily accrual that lands exactly on the schedule's rounded interest: state per loan, no allocation.
   Interest accrued up to (not including) day d of a period = round_half_up(sum(balance_i * days_i) * rate / basis)
   over the period's balance segments; a rate or balance change closes a segment. */
typedef struct ph_accrual {
    ph_money closed;           /* fen from closed segments of this period (each rounded once) */
    int64_t balance_days;      /* sum of balance * days in the open segment (fen-days) */
    ph_money posted;           /* fen already posted to the ledger for this period */
} ph_accrual;
/* Add one day at `balance` and `rate`; *delta = the fen to post today (accrued_to_date - posted). */
ph_status ph_accrual_day(ph_accrual *a, ph_money balance, ph_rate rate, ph_daycount dc, ph_money *delta,
                         ph_error *err);
/* Close the open segment (before a rate change / balance change mid-period): closed += round(open). */
ph_status ph_accrual_close_segment(ph_accrual *a, ph_rate rate, ph_daycount dc, ph_error *err);
/* At the due date: the period's interest (= posted after the last day), and reset for the next period. */
ph_money ph_accrual_period_end(ph_accrual *a);

/* Repayment allocation, per product, as data: an order over the buckets. */
typedef enum ph_bucket { PH_BUCKET_PENALTY = 0, PH_BUCKET_FEE, PH_BUCKET_INTEREST, PH_BUCKET_PRINCIPAL,
                         PH_BUCKET_COUNT } ph_bucket;
typedef struct ph_allocation_order { ph_bucket order[PH_BUCKET_COUNT]; } ph_allocation_order;
ph_status ph_allocation_order_parse(const char *s, size_t len, ph_allocation_order *out, ph_error *err);
           /* "penalty,fee,interest,principal" — every bucket exactly once, else PH_EINVAL naming the word */
/* Split `amount` over owed[PH_BUCKET_COUNT] (each >= 0) in order; paid[] sums to amount; *excess = what is left
   when everything owed is paid (the caller refuses or treats it as prepayment). amount <= 0 is PH_EINVAL. */
ph_status ph_allocate_payment(const ph_allocation_order *o, ph_money amount, const ph_money owed[PH_BUCKET_COUNT],
                              ph_money paid[PH_BUCKET_COUNT], ph_money *excess, ph_error *err);

/* Penalty interest on overdue amounts: one day's penalty on `overdue` at `penalty_rate` (annual) — use a second
   ph_accrual (closed each day it changes) or a plain daily ph_interest; document which. */

#endif
