/*
 * puhui — the loan book's schedules, daily accrual, repayment allocation.
 *
 * A schedule is the list of instalments a loan owes: due dates one calendar
 * month apart from the drawdown day, the principal due on each, and the
 * interest of each period counted by ACTUAL days (ACT/360 by default,
 * ACT/365 when the product says so) on the balance outstanding, rounded
 * half-up to the fen once per period. The daily accrual reaches exactly the
 * same fen on the due date, so the ledger's accrued interest and the bill
 * never differ (docs/loans.md, "Schedules" and "Accrual"; the rules of
 * docs/domain.md#loans).
 *
 * Everything is integer: products of money, rate and days are exact in 128
 * bits and rounded once, by the rule named. Nothing here allocates or keeps
 * state beyond what the caller passes in; every function is safe to call
 * from any number of threads on different data. The per-day functions
 * (ph_accrual_day, ph_penalty_day) are O(1) and a few nanoseconds: the
 * close-of-business engine calls them once per loan per day.
 *
 * Conventions: money ph_money (int64 fen), rates ph_rate (1e-8; 3.85% is
 * 3850000), dates ph_date (days since 1970). Every fallible function
 * returns ph_status, takes `ph_error *err` last (may be NULL) and writes its
 * outputs only on success.
 */
#ifndef PUHUI_SCHEDULE_H
#define PUHUI_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/rate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- repayment methods ------------------------------------------------------------ */

typedef enum ph_schedule_method {
    PH_METHOD_EQUAL_INSTALLMENT = 0, /* "equal_installment" 等额本息 */
    PH_METHOD_EQUAL_PRINCIPAL = 1,   /* "equal_principal" 等额本金 */
    PH_METHOD_INTEREST_ONLY = 2,     /* "interest_only": interest monthly, principal bullet at the end */
    PH_METHOD_SEASONAL = 3,          /* "seasonal": interest monthly, principal in the harvest months only */
    PH_METHOD_REVOLVING = 4          /* "revolving": interest monthly on the daily balance, principal at maturity */
} ph_schedule_method;

#define PH_SCHEDULE_METHOD_COUNT 5

/* Parse a method name from s[0..len) (need not be NUL-terminated), exactly
 * as ph_schedule_method_name spells it. Errors: PH_EINVAL (field "method",
 * the value shown) naming the five; PH_EMISUSE for NULL s or out. *out is
 * written only on success. Cost: at most five short comparisons. */
PH_EXTERN ph_status ph_schedule_method_parse(const char *s, size_t len, ph_schedule_method *out,
                                             ph_error *err);

/* "equal_installment", "equal_principal", "interest_only", "seasonal",
 * "revolving" (static strings); NULL outside the enum. Never fails. */
PH_EXTERN const char *ph_schedule_method_name(ph_schedule_method m);

/* ---- schedules ------------------------------------------------------------------------ */

/* The longest term, in months (30 years), as for offers (pricing.h). */
#define PH_SCHEDULE_MAX_TERM 360

typedef struct ph_schedule_terms {
    ph_money principal;        /* the balance the schedule repays, > 0 */
    ph_date anchor;            /* the drawdown day: due date k = anchor + k months, PH_EOM_CLAMP
                                  anchored to the ORIGINAL day (31 Jan +1 = 28/29 Feb, +2 = 31 Mar) */
    int32_t first_k;           /* first instalment number to build (1 for a new loan; later after a rebuild) */
    int32_t term_months;       /* last instalment number (the maturity), 1..360 */
    ph_date period_start;      /* interest of instalment first_k runs from here (the anchor for a new loan,
                                  the prepayment / repricing day after a rebuild) */
    ph_schedule_method method;
    ph_rate rate;              /* annual, 0 .. 100% */
    ph_daycount daycount;      /* ACT/360 default; ACT/365 */
    uint16_t harvest_months;   /* seasonal: bit (m-1) set = principal due in calendar month m; ignored otherwise */
    /* Added after the first draft (zero = none, so `{0}`-initialised terms keep their meaning): */
    ph_money accrued_before;   /* interest of instalment first_k's period already accrued before period_start
                                  and still to be billed with it (the closed segments of a ph_accrual at a
                                  mid-period rebuild); added to instalment first_k's interest, so that the
                                  instalment equals ph_accrual_period_end. >= 0 */
} ph_schedule_terms;

typedef struct ph_instalment {
    int32_t k;                 /* 1-based */
    ph_date due_on;
    ph_date period_start;      /* interest runs [period_start, due_on) */
    ph_money principal;        /* due on due_on */
    ph_money interest;         /* = round_half_up(balance_before * rate * days / basis) — the SAME value daily
                                  accrual reaches at due_on (see ph_accrual below); plus accrued_before for
                                  instalment first_k */
    ph_money balance_after;    /* principal outstanding after this instalment */
} ph_instalment;

/*
 * Build instalments first_k..term_months into out[0..cap); *n = how many
 * (term_months - first_k + 1).
 *
 * Due dates: due(k) = anchor + k months by PH_EOM_CLAMP, always from the
 * anchor (the ORIGINAL day), never from the previous due date, so a loan
 * drawn on 31 January is due 28 (29) February, 31 March, 30 April, 31 May.
 * Instalment first_k's interest runs from period_start, every later one's
 * from the previous due date; interest = balance before the instalment x
 * rate x actual days / 360 (365), rounded half-up to the fen, once.
 *
 * Principal by method:
 * - equal_installment: the level payment L is the whole-fen payment of the
 *   annuity at rate / 12 over the n = term_months - first_k + 1 months: of
 *   all whole-fen payments, the one that leaves the smallest last-month
 *   adjustment when month k charges round_half_up(balance x rate / 12)
 *   (ties: the smaller payment; a payment that would make the last one
 *   negative is never chosen) — the payment an offer quotes (pricing.h).
 *   Each instalment's principal is then L - interest-by-actual-days, at
 *   least 0 (a 31-day month at a high rate never grows the balance) and at
 *   most the balance; the LAST instalment takes the whole remaining balance,
 *   absorbing every fen of residue (FINERACT-1540). So the principals sum
 *   exactly to `principal`, and the last payment differs from L by a few
 *   fen (or more when months are long and rates high).
 * - equal_principal: ph_money_split(principal, n): principal / n each, the
 *   leftover fen one each to the first instalments.
 * - interest_only and revolving: 0, and the whole balance with the last.
 *   (Revolving: the schedule shows the interest the CURRENT balance would
 *   cost; draws and repayments change it day by day through ph_accrual.)
 * - seasonal: ph_money_split(principal, h) over the h instalments first_k..
 *   term_months whose due date falls in a harvest month (bit m-1 of
 *   harvest_months for calendar month m); the last instalment takes what
 *   remains (all of it when no due date left falls in a harvest month, 0
 *   when the last harvest instalment came before the maturity).
 *
 * A rebuild (partial prepayment, LPR repricing) keeps anchor and
 * term_months, and sets first_k to the current instalment, period_start to
 * the day of the change, principal to the new balance, rate to the new
 * rate and accrued_before to the interest accrued before that day and not
 * yet billed: same term, smaller instalments. A renewal is a new schedule
 * (anchor = the renewal day, first_k = 1).
 *
 * Errors, nothing written: PH_EINVAL naming the field ("principal" <= 0;
 * "term_months" outside 1..360; "first_k" outside 1..term_months;
 * "method", "daycount" outside their enums; "rate" outside 0..100%;
 * "harvest_months" for seasonal with no month set or a bit above 12;
 * "period_start" before due(first_k - 1) (the anchor for first_k 1) or
 * after due(first_k); "accrued_before" < 0); PH_ERANGE (field "anchor")
 * when a due date falls outside 0001..9999; PH_EMISUSE for NULL t, out or
 * n, or cap smaller than the instalments to build (field "cap").
 *
 * Cost: O(n) with one 128-bit division per instalment; equal instalments add
 * two to four walks of n months for the level payment (started from the
 * annuity formula in double precision, then settled by stepping whole fen,
 * so the result never depends on the double). Does not allocate.
 */
PH_EXTERN ph_status ph_schedule_build(const ph_schedule_terms *t, ph_instalment *out, size_t cap,
                                      size_t *n, ph_error *err);

/* The due date of instalment k: anchor + k months (PH_EOM_CLAMP, from the
 * original day); k = 0 is the anchor itself. Errors: PH_EINVAL (field "k")
 * for k outside 0..360; PH_ERANGE (field "date") outside 0001..9999;
 * PH_EMISUSE for NULL out. Constant time. */
PH_EXTERN ph_status ph_schedule_due_date(ph_date anchor, int32_t k, ph_date *out, ph_error *err);

/* ---- daily accrual -------------------------------------------------------------------------- */

/*
 * Daily accrual that lands exactly on the schedule's rounded interest:
 * state per loan, no allocation. Interest accrued up to (not including) day
 * d of a period = closed + round_half_up(balance_days x rate / basis), where
 * balance_days sums the balance of each day of the OPEN segment, and
 * `closed` holds the earlier segments of the period, each rounded once.
 *
 * A segment is a run of days at one rate and one balance. The caller closes
 * it (ph_accrual_close_segment, with the rate it ran at) BEFORE a change of
 * rate or of balance within a period: the rate because balance_days does
 * not remember it, the balance so that each segment is rounded once, as the
 * rebuilt schedule rounds the rest of the period (ph_schedule_terms.
 * accrued_before carries the closed part). With the balance constant over a
 * period, the accrual after the period's last day equals the instalment's
 * interest to the fen. Zero-initialise a new ph_accrual.
 */
typedef struct ph_accrual {
    ph_money closed;           /* fen from closed segments of this period (each rounded once) */
    int64_t balance_days;      /* sum of balance * days in the open segment (fen-days) */
    ph_money posted;           /* fen already posted to the ledger for this period */
} ph_accrual;

/*
 * Add one day at `balance` (>= 0) and `rate` (annual, 0..100%, the open
 * segment's rate); *delta = the fen to post today (accrued to date minus
 * posted; may be 0, never negative while the segment's rate is kept), and
 * posted is advanced by it. Call it for each day from the period's start to
 * the day before its due date.
 *
 * Errors, *a and *delta untouched: PH_EINVAL (field "balance", "rate" or
 * "daycount") for a negative balance, a rate outside 0..100% or a day count
 * outside the enum; PH_ERANGE (field "balance_days") when the fen-days no
 * longer fit in int64 (a balance of 10^16 fen for 900 days); PH_EMISUSE for
 * NULL a or delta.
 *
 * Cost: O(1), a multiply and a 64-bit division when balance_days x rate fits
 * in 64 bits (a balance up to about 10^9 yuan for a month), else one 128-bit
 * division; no allocation.
 */
PH_EXTERN ph_status ph_accrual_day(ph_accrual *a, ph_money balance, ph_rate rate, ph_daycount dc,
                                   ph_money *delta, ph_error *err);

/*
 * Close the open segment (before a rate change / balance change mid-period):
 * closed += round_half_up(balance_days x rate / basis), balance_days = 0.
 * `rate` is the rate the segment RAN at (the old rate at a repricing).
 * Closing an empty segment changes nothing. After closing, posted still
 * equals the accrued interest (the rounding of the open part is unchanged),
 * so no posting is due. Errors as ph_accrual_day ("rate", "daycount";
 * PH_ERANGE field "closed" on overflow; PH_EMISUSE for NULL a). O(1).
 */
PH_EXTERN ph_status ph_accrual_close_segment(ph_accrual *a, ph_rate rate, ph_daycount dc,
                                             ph_error *err);

/*
 * At the due date: the period's interest (= posted after the last day, which
 * is what the instalment bills), and reset *a for the next period (all
 * zero). Call it after ph_accrual_day for the day before the due date; the
 * open segment must then be either empty or already posted (ph_accrual_day
 * keeps posted = closed + round(open)), so nothing is lost. A prepayment
 * that settles the interest accrued so far ends the period early the same
 * way (then rebuild with accrued_before = 0). Never fails; O(1).
 */
PH_EXTERN ph_money ph_accrual_period_end(ph_accrual *a);

/* The interest accrued so far in the period (closed + the open segment
 * rounded half-up at `rate`) without changing *a: what a payoff quote
 * today owes. Errors as ph_accrual_close_segment, plus PH_EMISUSE for NULL
 * out. O(1). */
PH_EXTERN ph_status ph_accrual_accrued(const ph_accrual *a, ph_rate rate, ph_daycount dc,
                                       ph_money *out, ph_error *err);

/*
 * Penalty interest on overdue amounts (罚息): one day's penalty on `overdue`
 * (principal and interest past due, >= 0) at `penalty_rate` (annual), using a
 * SECOND ph_accrual kept beside the interest one. It is ph_accrual_day on the
 * overdue amount: the penalty to date is the exact sum of overdue fen-days x
 * rate / basis rounded half-up once, so a change of the overdue amount needs
 * no closing (the sum is exact); close the segment (ph_accrual_close_segment
 * at the old rate) only when the penalty rate changes. End the "period"
 * (ph_accrual_period_end) when the penalty accrued so far is billed or paid.
 * Errors and cost as ph_accrual_day (field "overdue" for a negative amount).
 */
PH_EXTERN ph_status ph_penalty_day(ph_accrual *a, ph_money overdue, ph_rate penalty_rate,
                                   ph_daycount dc, ph_money *delta, ph_error *err);

/* ---- repayment allocation ------------------------------------------------------------------- */

/* Repayment allocation, per product, as data: an order over the buckets. */
typedef enum ph_bucket {
    PH_BUCKET_PENALTY = 0,
    PH_BUCKET_FEE,
    PH_BUCKET_INTEREST,
    PH_BUCKET_PRINCIPAL,
    PH_BUCKET_COUNT
} ph_bucket;

/* "penalty", "fee", "interest", "principal"; NULL outside the enum. */
PH_EXTERN const char *ph_bucket_name(ph_bucket b);

typedef struct ph_allocation_order {
    ph_bucket order[PH_BUCKET_COUNT];
} ph_allocation_order;

/* The usual order, penalty, fee, interest, principal (what a court would
 * apply when a contract is silent: costs and interest before principal).
 * Never fails. */
PH_EXTERN ph_allocation_order ph_allocation_order_default(void);

/*
 * Parse "penalty,fee,interest,principal" from s[0..len): the four bucket
 * names separated by commas (spaces around a name are ignored), every bucket
 * exactly once. Errors (field "allocation_order"): PH_EINVAL naming the word
 * for an unknown name (value the word, the four names listed) or a repeated
 * one, naming the missing bucket(s) when fewer than four are given, and for
 * an empty word ("interest,,principal"); PH_EMISUSE for NULL s or out. *out
 * is written only on success. Cost: one pass over s.
 */
PH_EXTERN ph_status ph_allocation_order_parse(const char *s, size_t len, ph_allocation_order *out,
                                              ph_error *err);

/* Write the order as ph_allocation_order_parse reads it (at most 34 bytes
 * with the NUL). PH_EINVAL (field "allocation_order") for an order that is
 * not a permutation; PH_EMISUSE for NULL o or buf, or size < 40. */
PH_EXTERN ph_status ph_allocation_order_format(const ph_allocation_order *o, char *buf,
                                               size_t size, ph_error *err);

/*
 * Split `amount` over owed[PH_BUCKET_COUNT] (each >= 0) in order: each
 * bucket in turn is paid min(what is left, owed) until the amount is spent;
 * paid[] (indexed by bucket, like owed) sums with *excess to amount;
 * *excess = what is left when everything owed is paid (the caller refuses
 * it or treats it as a prepayment).
 *
 * Errors, nothing written: PH_EINVAL for amount <= 0 (field "amount": a
 * repayment of zero is refused, not recorded), a negative owed (field
 * "owed.<bucket>"), an order that is not a permutation of the buckets
 * (field "allocation_order"); PH_ERANGE (field "owed") when the owed sum
 * overflows; PH_EMISUSE for NULL o, owed, paid or excess.
 * Cost: four steps; no allocation.
 */
PH_EXTERN ph_status ph_allocate_payment(const ph_allocation_order *o, ph_money amount,
                                        const ph_money owed[PH_BUCKET_COUNT],
                                        ph_money paid[PH_BUCKET_COUNT], ph_money *excess,
                                        ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SCHEDULE_H */
