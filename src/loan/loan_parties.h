/* Risk-sharing parties read from the reference feeds (parties.c). */
#ifndef PH_LOAN_PARTIES_H
#define PH_LOAN_PARTIES_H

#include "loan_internal.h"

/* The guarantor serving the firm's city, else the re-guarantor ("" when the
 * store holds none); and the re-guarantor. */
ph_status loan_pick_guarantor(ph_store *store, int32_t region, char *id, size_t size,
                              char *reguarantor, size_t rsize, ph_error *err);

/* The eligible pool paying the largest share of a bank's loss ("" and 0
 * when none), with its capital. */
ph_status loan_pick_pool(ph_store *store, int32_t region, const char *industry, int first_loan,
                         char *id, size_t size, int32_t *bp, ph_money *capital, ph_error *err);

/* The pool's money enters the ledger once, the first time a loan names it
 * (Dr cash / Cr risk_pool_fund, party the pool). */
ph_status loan_pool_seed(ph_store *store, const char *pool, ph_money capital, ph_date on,
                         ph_error *err);

#endif
