/*
 * The loan module's private parts: servicing products, the contract and
 * state rows as the store holds them, and the ledger accounts the events
 * post to (docs/loans.md, docs/ledger.md).
 */
#ifndef PH_LOAN_INTERNAL_H
#define PH_LOAN_INTERNAL_H

#include "puhui/ledger.h"
#include "puhui/loan.h"
#include "puhui/pricing.h"

/* ---- servicing products (product.c) -------------------------------------------------------- */

#define LOAN_NAME_MAX 256

typedef struct loan_product {
    char name[LOAN_NAME_MAX];
    ph_rate penalty_markup;          /* penalty rate = rate x (1 + markup) */
    ph_allocation_order allocation;
    char allocation_text[64];
    int32_t grace_days;
    ph_daycount daycount;
    int32_t offer_valid_days;
    int has_method;
    ph_schedule_method method;
    uint16_t harvest_months;
    char scheme_with[64], scheme_without[64];
    char renewal[1024];              /* an expression; "" = renewals not offered */
} loan_product;

typedef struct loan_products {
    int64_t version;                 /* 0 = the built-in default */
    size_t count;
    loan_product *items;
} loan_products;

ph_status loan_products_parse(const ph_ctx *ctx, const char *text, size_t len, const char *source,
                              loan_products *out, ph_error *err);
ph_status loan_products_current(ph_store *store, loan_products *out, ph_error *err);
void loan_products_release(const ph_ctx *ctx, loan_products *p);
/* The product named `name`, else "default" (always present). */
const loan_product *loan_product_find(const loan_products *p, const char *name);

typedef struct renewal_facts {
    int64_t dpd, months_on_book, renewals;
    ph_money principal;
    const char *category;
} renewal_facts;
/* *allowed = 1 when the product's renewal rule holds. */
ph_status loan_renewal_allowed(const ph_ctx *ctx, const loan_product *p, const renewal_facts *f,
                               int *allowed, ph_error *err);

/* ---- the contract and its state (loan_store.c) --------------------------------------------- */

typedef struct loan_contract {
    int64_t id, decision_id, renewal_of, product_version, subsidy_programme_id;
    char uscc[19], lender[LOAN_NAME_MAX], product[LOAN_NAME_MAX];
    char scheme[64], guarantor[64], pool[64];
    ph_schedule_method method;
    ph_money amount, award;
    ph_rate rate, penalty_rate, guarantee_fee, subsidy_rate;
    int64_t term;
    ph_daycount daycount;
    int32_t grace_days, pool_bp;
    ph_allocation_order allocation;
    char allocation_text[64];
    uint16_t harvest_months;
    int restructured;
    ph_date booked_on, maturity_on;
    char reference[PH_LOAN_REFERENCE_MAX + 1]; /* an imported loan's external reference, or "" */
} loan_contract;

typedef enum loan_status { LOAN_ACTIVE = 0, LOAN_CLOSED, LOAN_RENEWED, LOAN_WRITTEN_OFF } loan_status;
const char *loan_status_name(loan_status s);

typedef struct loan_row {
    ph_loan_state s;                 /* schedule pointer unused in the store */
    loan_status status;
    ph_money fee_receivable;
    ph_accrual fee_accrual;
    int64_t schedule_version;
    ph_date defaulted_on, last_event_on;
} loan_row;

ph_status loan_contract_insert(ph_store *store, const loan_contract *c, int64_t *id, ph_error *err);
/* Prepared forms for bulk writes (import): prepare once, step per row. */
ph_status loan_contract_insert_prepare(ph_store *store, ph_stmt **out, ph_error *err);
ph_status loan_contract_insert_step(ph_stmt *stmt, const loan_contract *c, const char *booked_at,
                                    int64_t *id, ph_error *err);
ph_status loan_row_insert_prepare(ph_store *store, ph_stmt **out, ph_error *err);
ph_status loan_row_insert_step(ph_stmt *stmt, const loan_row *r, ph_error *err);
ph_status loan_schedule_insert_prepare(ph_store *store, ph_stmt **out, ph_error *err);
ph_status loan_schedule_insert_rows(ph_stmt *stmt, int64_t loan_id, int64_t version,
                                    const ph_instalment *rows, size_t n, ph_error *err);
ph_status loan_event_insert_prepare(ph_store *store, ph_stmt **out, ph_error *err);
ph_status loan_event_insert_step(ph_stmt *stmt, int64_t loan_id, ph_date on, const char *kind,
                                 ph_money amount, const char *detail, int64_t entry_id,
                                 const char *reference, ph_error *err);
ph_status loan_contract_read(ph_store *store, int64_t id, loan_contract *c, ph_error *err);
ph_status loan_row_insert(ph_store *store, const loan_row *r, ph_error *err);
ph_status loan_row_read(ph_store *store, int64_t id, loan_row *r, ph_error *err);
ph_status loan_row_update(ph_store *store, const loan_row *r, ph_error *err);
/* A prepared UPDATE for many rows (COB): bind and step per row. */
ph_status loan_row_update_prepare(ph_store *store, ph_stmt **out, ph_error *err);
ph_status loan_row_update_step(ph_stmt *stmt, const loan_row *r, ph_error *err);
/* COB's prepared UPDATE: the columns a day changes (not status, schedule
 * version or last event, which only events change). */
ph_status loan_row_cob_update_prepare(ph_store *store, ph_stmt **out, ph_error *err);
ph_status loan_row_cob_update_step(ph_stmt *stmt, const loan_row *r, ph_error *err);
ph_status loan_row_from_stmt(ph_stmt *stmt, int first_col, loan_row *r, ph_error *err);
extern const char LOAN_ROW_COLUMNS[];

ph_status loan_schedule_write(ph_store *store, int64_t loan_id, int64_t version,
                              const ph_instalment *rows, size_t n, ph_error *err);
/* Instalment k of the loan's current schedule version; PH_DONE when none. */
ph_status loan_schedule_row(ph_store *store, int64_t loan_id, int64_t version, int32_t k,
                            ph_instalment *out, ph_error *err);
/* reference: NULL or "" = none; else stored UNIQUE with the event (repayment batches). */
ph_status loan_event_add(ph_store *store, int64_t loan_id, ph_date on, const char *kind,
                         ph_money amount, const char *detail, int64_t entry_id,
                         const char *reference, ph_error *err);
/* The last day closed (0 = none); the open business day (the day after it,
 * else the first booking day, 0 for an empty book); the check that an
 * event comes on the open day (a booking: on it or later). */
ph_status loan_check_day(ph_store *store, const loan_row *r, ph_date on, ph_error *err);
ph_status loan_last_cob(ph_store *store, ph_date *out, ph_error *err);
ph_status loan_open_day(ph_store *store, ph_date *out, ph_error *err);

/* The interest subsidy paid with an instalment (免申即享): subsidy_rate /
 * rate of the period's interest, rounded down (docs/loans.md). */
ph_money loan_subsidy_of(ph_money interest, ph_rate subsidy_rate, ph_rate rate);
/* One billed instalment into loan_due (nothing paid yet). */
ph_status loan_due_add(ph_store *store, int64_t loan_id, int32_t k, ph_date due_on,
                       ph_money principal, ph_money interest, ph_error *err);

/* The loan-level buckets owed as ph_allocate_payment reads them. */
void loan_owed(const loan_row *r, ph_money owed[PH_BUCKET_COUNT]);

/* ---- default, write-off, recovery (default.c, writeoff.c) ---------------------------------- */

/* What sharing a loss needs to know of a loan. */
typedef struct loan_share_view {
    int64_t loan_id;
    const char *scheme, *guarantor, *pool;
    int32_t pool_bp;
} loan_share_view;

/* Post Dr `debit` / Cr `credit` of amount > 0, with the parties (NULL: none). */
typedef ph_status (*loan_post_fn)(void *sink, const char *debit, const char *credit,
                                  ph_money amount, const char *debit_party,
                                  const char *credit_party, ph_error *err);

/* Share the loan's principal outstanding by its scheme: partners' parts
 * posted through `post`, the state written down by them, the split stored in
 * loan_share. *pool_balance (NULL: no pool money) decreases by what the pool
 * paid. *shared = the partners' total. */
ph_status loan_share_default(ph_store *store, const ph_share_schemes *schemes,
                             const loan_share_view *v, ph_loan_state *s, ph_money *pool_balance,
                             ph_date day, loan_post_fn post, void *sink, ph_money *shared,
                             ph_error *err);
/* The pool's money in the ledger (account 2901, party the pool) as of `on`. */
ph_status loan_pool_balance(ph_store *store, const char *pool, ph_date on, ph_money *out,
                            ph_error *err);

/* ---- ledger accounts (docs/ledger.md) ------------------------------------------------------ */

#define ACC_CASH "1001"
#define ACC_PRINCIPAL "1301"
#define ACC_PRINCIPAL_OVERDUE "1302"
#define ACC_INTEREST_RECEIVABLE "1311"
#define ACC_INTEREST_DUE "1312"
#define ACC_PENALTY "1313"
#define ACC_FEE "1314"
#define ACC_PROVISION "1231"
#define ACC_GUARANTOR_RECEIVABLE "1221"
#define ACC_POOL_RECEIVABLE "1222"
#define ACC_GOVERNMENT_RECEIVABLE "1223"
#define ACC_SUBSIDY_RECEIVABLE "1224"
#define ACC_SUBSIDY_PAYABLE "2241"
#define ACC_FEE_PAYABLE "2242"
#define ACC_POOL_FUND "2901"
#define ACC_INTEREST_INCOME "6011"
#define ACC_PENALTY_INCOME "6012"
#define ACC_PROVISION_EXPENSE "6701"
#define ACC_CREDIT_LOSS "6702"
#define ACC_EQUITY "3001"

/* A list of ledger lines being built for one entry (at most LINES_MAX). */
#define LOAN_LINES_MAX 24
typedef struct loan_lines {
    ph_ledger_line line[LOAN_LINES_MAX];
    size_t n;
} loan_lines;

/* Add Dr `debit` / Cr `credit` of `amount` (nothing when amount is 0; a
 * negative amount swaps the sides). loan_id applies to loan-level accounts. */
void loan_lines_move(loan_lines *l, const loan_contract *c, const char *debit, const char *credit,
                     ph_money amount, const char *debit_party, const char *credit_party);

/* ---- one servicing event's frame (servicing.c) ------------------------------------------- */

typedef struct loan_evt {
    ph_store *store;
    loan_contract c;
    loan_row r;
    ph_date on;
    const char *reference; /* a repayment's external reference, or NULL */
    loan_lines lines;
    char programme[32];              /* a subsidy line's party: the lines point at it until posted */
    char id_text[24];                /* the loan's id as an error's value */
} loan_evt;

/* Begin the event's transaction and read the loan (active, on the open
 * day); on error nothing is open. */
ph_status loan_event_open(ph_store *store, int64_t id, ph_date on, loan_evt *e, ph_error *err);
/* The same for a repayment with an external reference: one already stored
 * is PH_EEXISTS (field "reference") naming what it paid. */
ph_status loan_event_open_ref(ph_store *store, int64_t id, ph_date on, const char *reference,
                              loan_evt *e, ph_error *err);
/* Post the lines, write the state and the event, commit (roll back on error). */
ph_status loan_event_close(loan_evt *e, const char *kind, ph_money amount, const char *detail,
                           ph_error *err);
/* Roll back and return st. */
ph_status loan_event_fail(loan_evt *e, ph_status st);

#endif
