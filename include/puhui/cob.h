/* CONTRACT COPY (replaced at merge) */
#ifndef PUHUI_COB_H
#define PUHUI_COB_H
#include <stddef.h>
#include <stdint.h>
#include "puhui/common.h"
#include "puhui/schedule.h"

typedef enum ph_loan_category { PH_CATEGORY_NORMAL = 0, PH_CATEGORY_SPECIAL_MENTION, PH_CATEGORY_SUBSTANDARD,
                                PH_CATEGORY_DOUBTFUL, PH_CATEGORY_LOSS, PH_CATEGORY_COUNT } ph_loan_category;
const char *ph_loan_category_name(ph_loan_category c); /* "normal","special_mention","substandard","doubtful","loss" */

/* The rules as data (JSON, defaults built in = the 2023 rules of docs/domain.md#loans):
   {"categories": [{"category":"special_mention","min_dpd":1}, {"category":"substandard","min_dpd":91},
                   {"category":"doubtful","min_dpd":271}, {"category":"loss","min_dpd":361}],
    "restructured_floor": "special_mention", "observation_days": 365, "observation_periods": 2,
    "provision_bp": {"normal":100, "special_mention":200, "substandard":2500, "doubtful":5000, "loss":10000}}
   Loaded with located errors (file, line, column, member, value, expected). */
typedef struct ph_cob_rules ph_cob_rules;
ph_status ph_cob_rules_default(const ph_ctx *ctx, ph_cob_rules **out, ph_error *err);
ph_status ph_cob_rules_load_file(const ph_ctx *ctx, const char *path, ph_cob_rules **out, ph_error *err);
void ph_cob_rules_free(ph_cob_rules *r);

/* One loan's servicing state: plain data the lead persists (table loan_state) and the engine updates in place. */
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
    int32_t next_k;             /* next instalment to bill (index into the caller's schedule); */
    int32_t n_instalments;
    const ph_instalment *schedule; /* the caller's array, not owned */
    uint32_t flags;             /* PH_LOAN_FROZEN, PH_LOAN_DEFAULTED, PH_LOAN_CLOSED, PH_LOAN_WRITTEN_OFF ... */
} ph_loan_state;

enum { PH_LOAN_FROZEN = 1u, PH_LOAN_DEFAULTED = 2u, PH_LOAN_CLOSED = 4u, PH_LOAN_WRITTEN_OFF = 8u };
/* What one day did to one loan: the lead turns it into ledger lines. */
typedef struct ph_cob_delta {
    ph_money interest_accrued;  /* Dr 1311 / Cr 6011 */
    ph_money penalty_accrued;   /* Dr 1313 / Cr 6012 */
    ph_money principal_billed;  /* Dr 1302 / Cr 1301 */
    ph_money interest_billed;   /* Dr 1312 / Cr 1311 */
    ph_money provision_change;  /* > 0: Dr 6701 / Cr 1231; < 0 the reverse */
    ph_loan_category from, to;
    int defaulted_today;        /* crossed the default trigger (rules: "default_dpd": 90 default) today */
} ph_cob_delta;

/* Run one day `d` for one loan: accrue on the day's balance, bill the instalment due on d (principal and the
   period's interest), count DPD (from oldest_unpaid_due), classify by the rules (restructuring floor,
   no upgrade of an NPL during the observation period), provision = round_half_up(exposure * bp / 10000) with
   exposure = principal + principal_due + interest_due; *delta says what changed. No allocation; O(1). */
ph_status ph_cob_day(const ph_cob_rules *r, ph_loan_state *s, ph_date d, ph_cob_delta *delta, ph_error *err);
/* Batch over n loans (the benchmark's loop; the lead's persisted COB calls it per chunk). */
ph_status ph_cob_run(const ph_cob_rules *r, ph_loan_state *s, size_t n, ph_date d, ph_cob_delta *deltas,
                     ph_error *err);

#endif
