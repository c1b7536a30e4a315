/*
 * puhui — loan pricing: the firm's cost of a loan offer.
 *
 * The repayment schedule in whole fen (equal instalments, equal principal,
 * or interest-only with the principal at the end), its totals, and the
 * annualised rate of the cash flows (APR, 年化利率) before and after an
 * interest subsidy and a first-loan award (include/puhui/subsidy.h), so
 * offers can be compared on what the firm really pays (docs/subsidies.md).
 * The marketplace prices every approval with it; the loan book's schedules
 * build on it.
 *
 * Floating point touches one thing only: the search for the internal rate
 * of return behind the APR, an estimate computed from cash flows that are
 * themselves exact integer fen. No balance, interest or total is a float.
 *
 * No function here allocates or keeps state; all are safe to call from any
 * number of threads at once.
 */
#ifndef PUHUI_PRICING_H
#define PUHUI_PRICING_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/money.h"
#include "puhui/rate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ph_repayment {
    PH_REPAY_EQUAL_INSTALLMENT = 0, /* "equal_installment": one payment every month (等额本息) */
    PH_REPAY_EQUAL_PRINCIPAL = 1,   /* "equal_principal": equal principal plus interest (等额本金) */
    PH_REPAY_INTEREST_ONLY = 2      /* "interest_only": interest monthly, principal at the end */
} ph_repayment;

/* Parse a repayment name from s[0..len) (exactly as ph_repayment_name
 * spells it). PH_EINVAL (field "repayment", the value shown) naming the
 * three; PH_EMISUSE for NULL s or out. *out is written only on success.
 * Cost: at most three short comparisons; does not allocate. */
PH_EXTERN ph_status ph_repayment_parse(const char *s, size_t len, ph_repayment *out,
                                       ph_error *err);

/* "equal_installment", "equal_principal", "interest_only" (static
 * strings); NULL outside the enum. Never fails; constant time. */
PH_EXTERN const char *ph_repayment_name(ph_repayment repayment);

#define PH_LOAN_MAX_TERM_MONTHS 360

typedef struct ph_loan_terms {
    ph_money amount;      /* principal disbursed, fen, > 0 */
    int64_t term_months;  /* 1 .. PH_LOAN_MAX_TERM_MONTHS, one payment a month */
    ph_repayment repayment;
    ph_rate rate;         /* annual, all-in as quoted, 0 .. 100% */
    ph_money upfront_fee; /* fen paid by the firm at disbursement, 0 <= fee < amount */
    ph_rate subsidy_rate; /* annual rate subsidised, 0 .. rate (ph_subsidy_apply) */
    ph_money award;       /* fen paid to the firm at disbursement, >= 0 */
} ph_loan_terms;

typedef struct ph_loan_cost {
    ph_money total_interest; /* sum of the monthly interest charged */
    ph_money total_subsidy;  /* sum of the monthly subsidy */
    ph_money upfront_fee;    /* as in the terms */
    ph_money award;          /* as in the terms */
    ph_money net_cost;       /* total_interest + upfront_fee - total_subsidy - award */
    ph_money first_payment;  /* what the firm pays in month 1: instalment less subsidy */
    ph_money max_payment;    /* the largest monthly payment by the firm, net of subsidy */
    ph_rate apr;             /* 12 x monthly IRR of the gross flows (amount - fee, payments) */
    ph_rate net_apr;         /* the same for the firm's flows net of subsidy and award */
} ph_loan_cost;

/*
 * The schedule and cost of a loan, month by month:
 * - interest of month k = balance x rate / 12, rounded half-up to the fen;
 * - subsidy of month k = balance x subsidy_rate / 12, rounded DOWN to the
 *   fen, paid monthly and lowering the firm's payment;
 * - equal instalments: the whole-fen payment whose schedule leaves the
 *   smallest remainder (120,000 yuan, 12 months, 6%: 10,327.97); the last
 *   payment is the remaining balance plus its interest, so the principal
 *   repaid sums exactly to the amount;
 * - equal principal: amount / term a month, the leftover fen one each to
 *   the first months, plus the interest;
 * - interest only: the interest each month, the principal with the last.
 *
 * apr is 12 x the monthly internal rate of return (the PBoC annualised-rate
 * convention, 年化利率) of the cash flows: +(amount - upfront_fee) at month
 * 0, -payment at month k. net_apr uses +(amount - upfront_fee + award) and
 * -(payment - subsidy). For a loan paid monthly without fees apr equals the
 * quoted rate (up to the fen rounding of the interest). The IRR is found by
 * Newton's method in double precision from the quoted rate (bracketed by
 * bisection when that does not settle) — an estimate of a rate, never a
 * balance — and returned rounded to the nearest 1e-8; it may be negative
 * when subsidy and award exceed the interest and fee. Without subsidy and
 * award net_apr is apr, found once.
 *
 * Errors (field named, value shown): PH_EINVAL for amount <= 0,
 * term_months outside 1..360, an unknown repayment, rate outside
 * [0, 100%], upfront_fee outside [0, amount), subsidy_rate outside
 * [0, rate], award < 0, amount - upfront_fee + award beyond ph_money
 * (field "award"); PH_ERANGE when a payment or total does not fit in
 * ph_money or an APR not in ph_rate; PH_EMISUSE for NULL arguments.
 * *out is written only on success.
 *
 * Cost: does not allocate (the schedule is walked on the fly, the cash
 * flows kept on the stack, about 6 KB); O(term_months) for the schedule,
 * times a few walks for the level payment of equal instalments (started
 * from the annuity formula, then stepping over whole fen), plus two to
 * six Newton passes over the flows for each IRR. bench/bench_decide.c
 * measures it ("pricing alone": ph_loan_cost_compute by itself, and with
 * ph_subsidy_apply as the marketplace prices an approval): about 0.5 to
 * 1.5 microseconds for a 3- to 38-month loan.
 */
PH_EXTERN ph_status ph_loan_cost_compute(const ph_loan_terms *terms, ph_loan_cost *out,
                                         ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_PRICING_H */
