/*
 * puhui — repayment schedules, daily accrual and repayment allocation.
 *
 * CONTRACT COPY for the COB engine (issue 17): the declarations of
 * docs design section 1, types and prototypes only. The "schedule" branch
 * owns this header and replaces it at merge.
 */
#ifndef PUHUI_SCHEDULE_H
#define PUHUI_SCHEDULE_H

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/rate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ph_schedule_method {
    PH_METHOD_EQUAL_INSTALLMENT = 0, /* "equal_installment" 等额本息 */
    PH_METHOD_EQUAL_PRINCIPAL = 1,   /* "equal_principal" 等额本金 */
    PH_METHOD_INTEREST_ONLY = 2,     /* "interest_only": interest monthly, principal bullet at the end */
    PH_METHOD_SEASONAL = 3,          /* "seasonal": interest monthly, principal in the harvest months only */
    PH_METHOD_REVOLVING = 4          /* "revolving": interest monthly on the daily balance, principal at maturity */
} ph_schedule_method;
PH_EXTERN ph_status ph_schedule_method_parse(const char *s, size_t len, ph_schedule_method *out,
                                             ph_error *err);
PH_EXTERN const char *ph_schedule_method_name(ph_schedule_method m);

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

PH_EXTERN ph_status ph_schedule_build(const ph_schedule_terms *t, ph_instalment *out, size_t cap,
                                      size_t *n, ph_error *err);

typedef struct ph_accrual {
    ph_money closed;           /* fen from closed segments of this period (each rounded once) */
    int64_t balance_days;      /* sum of balance * days in the open segment (fen-days) */
    ph_money posted;           /* fen already posted to the ledger for this period */
} ph_accrual;
PH_EXTERN ph_status ph_accrual_day(ph_accrual *a, ph_money balance, ph_rate rate, ph_daycount dc,
                                   ph_money *delta, ph_error *err);
PH_EXTERN ph_status ph_accrual_close_segment(ph_accrual *a, ph_rate rate, ph_daycount dc,
                                             ph_error *err);
PH_EXTERN ph_money ph_accrual_period_end(ph_accrual *a);

typedef enum ph_bucket { PH_BUCKET_PENALTY = 0, PH_BUCKET_FEE, PH_BUCKET_INTEREST, PH_BUCKET_PRINCIPAL,
                         PH_BUCKET_COUNT } ph_bucket;
typedef struct ph_allocation_order { ph_bucket order[PH_BUCKET_COUNT]; } ph_allocation_order;
PH_EXTERN ph_status ph_allocation_order_parse(const char *s, size_t len, ph_allocation_order *out,
                                              ph_error *err);
PH_EXTERN ph_status ph_allocate_payment(const ph_allocation_order *o, ph_money amount,
                                        const ph_money owed[PH_BUCKET_COUNT],
                                        ph_money paid[PH_BUCKET_COUNT], ph_money *excess,
                                        ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_SCHEDULE_H */
