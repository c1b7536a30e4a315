/*
 * puhui — the loan book: a firm accepts an offer, the loan is serviced
 * (draws, repayments, prepayments, renewals, a frozen line), and close of
 * business moves every loan forward one day at a time (docs/loans.md).
 *
 * A contract's terms are copied from the decision when it is accepted and
 * never change (the table's triggers refuse it); what changes is the loan's
 * state (balances, days past due, category, provision), kept beside it, and
 * every change of state posts a balanced entry to the general ledger
 * (include/puhui/ledger.h) in the same transaction, so the sub-ledger of a
 * loan always equals its state and the book always equals the ledger.
 *
 * Business dates: a loan event happens on the open business day, the day
 * after the last close of business (COB), so that a closed day is never
 * changed and no day still to close accrues on a balance from its future;
 * a booking may also come later (COB starts the loan on its day). Every function here is one
 * transaction: on any error nothing is stored.
 *
 * Errors follow docs/errors.md: PH_ENOTFOUND (field "loan") for an unknown
 * loan; PH_EINVAL naming the field and value with what was expected for bad
 * input (an amount <= 0, a date before the last COB, a draw over the limit
 * or on a frozen line, a repayment of more than is owed); PH_EEXISTS for a
 * decision already accepted; PH_ESCHEMA when the store predates the loan
 * book; store errors; PH_EMISUSE for NULL arguments.
 */
#ifndef PUHUI_LOAN_H
#define PUHUI_LOAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "puhui/cob.h"
#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/rate.h"
#include "puhui/riskshare.h"
#include "puhui/schedule.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- servicing products ------------------------------------------------------------------- */

/*
 * How a product is serviced, as data (docs/loans.md#products): a JSON
 * document of products, each named after a policy's product name ("default"
 * serves every product without its own entry):
 *   {"products": [{"name": "default", "penalty_markup": "50%",
 *     "allocation": "penalty,fee,interest,principal", "grace_days": 3,
 *     "daycount": "ACT/360", "offer_valid_days": 30, "method": null,
 *     "harvest_months": [], "scheme_with_guarantor": "bank_guarantor_2_8",
 *     "scheme_without_guarantor": "bank_only",
 *     "renewal": "dpd <= 30 and months_on_book >= 6 and renewals < 2"}]}
 * penalty rate = contract rate x (1 + penalty_markup); "method" overrides the
 * policy's repayment ("revolving", "seasonal"); the renewal expression is in
 * the policy expression language over dpd, months_on_book, renewals,
 * principal (yuan) and category (text).
 * ph_loan_products_load stores a document by name and version (exact bytes
 * and checksum); the newest version is in force. Without any, the built-in
 * default above serves.
 */
PH_EXTERN ph_status ph_loan_products_load(ph_store *store, const char *path, int64_t *version,
                                          ph_error *err);

/*
 * Check a products document held in memory (`len` bytes, not necessarily
 * NUL-terminated) exactly as ph_loan_products_load would, storing nothing;
 * `source` names it in errors. *count, when not NULL, is the number of
 * products read. Errors: PH_EINVAL for bad JSON (with source, line and
 * column) and for a bad member (the member's path as field, the value and
 * what was expected), including a renewal rule that does not compile;
 * PH_ENOMEM; PH_EMISUSE for NULL ctx, text or source. Cost: one parse.
 */
PH_EXTERN ph_status ph_loan_products_check_text(const ph_ctx *ctx, const char *text, size_t len,
                                                const char *source, size_t *count,
                                                ph_error *err);

/* ---- booking ------------------------------------------------------------------------------ */

typedef struct ph_loan_accept_opts {
    ph_date on;          /* the business day; 0 = the offer's own day */
    ph_money amount;     /* 0 = the whole offer; else at most the offer */
} ph_loan_accept_opts;

/*
 * Accept decision `decision_id`'s offer: the contract is stored with its
 * terms copied from the decision (amount, rate, term, repayment method,
 * guarantor and risk-sharing scheme, the subsidy programme and rate, the
 * servicing product in force) and the schedule built; a term loan is
 * disbursed on the day (the ledger posts it), a revolving line waits for a
 * draw. Refused, storing nothing: a declined decision (PH_EINVAL field
 * "decision"), one that did not answer the firm (a shadow challenger), an
 * offer past its validity (field "on", naming the last valid day), one
 * already accepted (PH_EEXISTS, naming the loan), a day before the offer or
 * before the last COB. *loan_id is the new loan.
 */
PH_EXTERN ph_status ph_loan_accept(ph_store *store, int64_t decision_id,
                                   const ph_loan_accept_opts *opts, int64_t *loan_id,
                                   ph_error *err);

/* ---- importing a book ---------------------------------------------------------------------- */

/*
 * One loan of a book moved onto the platform (docs/loans.md#importing-a-book).
 * Strings are NUL-terminated; optional ones may be NULL or "".
 */
typedef struct ph_loan_import_row {
    const char *reference;   /* the bank's id for the loan, 1..PH_LOAN_REFERENCE_MAX bytes, UNIQUE */
    const char *uscc;        /* the borrower, a valid unified social credit code */
    const char *lender;      /* 1..255 bytes */
    const char *product;     /* the servicing product (penalty, grace, allocation, day count);
                                1..PH_LEDGER_TEXT_MAX bytes; unknown names take "default" */
    const char *method;      /* ph_schedule_method_name: "equal_installment", ... */
    ph_money amount;         /* > 0: principal, or a revolving line's limit */
    ph_rate rate;            /* annual, 0..100% */
    int64_t term;            /* months, 1..PH_LOAN_MAX_TERM_MONTHS */
    ph_date booked_on;       /* the disbursement day: after the last close of business */
    const char *guarantor;   /* optional */
    const char *scheme;      /* optional risk-sharing scheme (riskshare.h); else the product's
                                scheme with or without a guarantor */
    const char *pool;        /* optional compensation pool: one the book holds already */
    int32_t pool_bp;         /* the pool's share of the bank's loss, 0..10000; 0 without a pool */
    ph_rate guarantee_fee;   /* annual on the principal, 0..100%; > 0 needs a guarantor */
    ph_rate subsidy_rate;    /* interest subsidy, 0..rate */
} ph_loan_import_row;

/* Loans per transaction (and per ledger entry) of ph_loan_import. */
#define PH_LOAN_IMPORT_CHUNK 10000

typedef struct ph_loan_import_report {
    int64_t imported;        /* loans stored */
    int64_t skipped;         /* rows whose reference the book holds already */
    int64_t chunks;          /* transactions committed */
    int64_t entries;         /* ledger entries written */
    ph_money disbursed;      /* principal disbursed (lines are not disbursed) */
    int64_t first_id, last_id; /* the ids of the loans stored (0 when none) */
    size_t bad_row;          /* on PH_EINVAL: the index of the refused row in `rows` */
} ph_loan_import_report;

/*
 * Import n loans: each is stored as ph_loan_accept stores a contract (terms
 * as given, decision_id NULL, the reference kept UNIQUE), its schedule built
 * by ph_schedule_build, its state opened and a term loan disbursed on its
 * booked_on day (Dr 1301 loan principal / Cr 1001 cash). Rows are taken in
 * chunks of PH_LOAN_IMPORT_CHUNK, each chunk ONE transaction with one
 * ledger batch (one journal entry) per booking day in it. A row whose
 * reference the book already holds (or that an earlier row of the same call
 * used) is skipped and counted: importing the same file twice adds nothing.
 *
 * A bad row is refused with PH_EINVAL, field "rows[I].FIELD" (I the index in
 * `rows`), the value, and what was expected; out->bad_row = I. The chunk
 * holding it stores nothing; the chunks before it stay committed (out says
 * how many loans they stored), and the rows after it are not read.
 *
 * Cost: per loan, one indexed read (the reference), the schedule build and
 * 3 + term inserts; one commit per chunk. Memory: one chunk's ledger
 * lines (about 100 bytes a loan).
 *
 * Errors: PH_EINVAL as above; PH_EMISUSE for NULL store or rows with n > 0,
 * or a transaction already open; PH_ESCHEMA before the loan book; PH_ENOMEM;
 * PH_EBUSY, PH_ESTORE. out may be NULL; it is written on success and on
 * failure.
 */
PH_EXTERN ph_status ph_loan_import(ph_store *store, const ph_loan_import_row *rows, size_t n,
                                   ph_loan_import_report *out, ph_error *err);

/* ---- servicing ---------------------------------------------------------------------------- */

/* Draw on a revolving line: refused when frozen, past maturity, or beyond
 * the limit (the value and the amount available are named). */
PH_EXTERN ph_status ph_loan_draw(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                                 ph_error *err);

/* What a repayment paid, by bucket (ph_bucket order), and what is left. */
typedef struct ph_loan_payment {
    ph_money paid[PH_BUCKET_COUNT];
    ph_money prepaid_principal; /* principal paid before it was due (prepayments, lines) */
    int closed;                 /* 1 when the loan is repaid in full */
} ph_loan_payment;

/*
 * Repay `amount` of what is due, allocated by the product's order (penalty,
 * fee, interest, principal by default), oldest first. More than is due is
 * refused naming what is due (prepay instead), except on a revolving line,
 * where the rest repays the drawn principal (随借随还). out may be NULL.
 */
PH_EXTERN ph_status ph_loan_repay(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                                  ph_loan_payment *out, ph_error *err);

/* The longest external reference (an import's loan, a batch's repayment), in bytes. */
#define PH_LOAN_REFERENCE_MAX 64

/*
 * ph_loan_repay with an external reference (a bank's payment id), stored
 * UNIQUE with the event in the same transaction, so a repayment batch run
 * again after a crash applies each repayment exactly once. A reference seen
 * before is refused first, before any other check (so also after the day
 * was closed), with PH_EEXISTS (field "reference") naming the loan, day and
 * amount it paid; nothing is stored. reference NULL is ph_loan_repay; "" or
 * longer than PH_LOAN_REFERENCE_MAX is PH_EINVAL. Cost: one indexed read
 * more than ph_loan_repay.
 */
PH_EXTERN ph_status ph_loan_repay_ref(ph_store *store, int64_t loan_id, ph_date on,
                                      ph_money amount, const char *reference,
                                      ph_loan_payment *out, ph_error *err);

/*
 * Prepay: what is due is paid first, then the interest accrued to the day,
 * then `amount`'s rest reduces the principal and the schedule is rebuilt
 * from the day for the same maturity (smaller instalments). amount 0 with
 * full = 1 repays everything owed and closes the loan.
 */
PH_EXTERN ph_status ph_loan_prepay(ph_store *store, int64_t loan_id, ph_date on, ph_money amount,
                                   int full, ph_loan_payment *out, ph_error *err);

/* ph_loan_prepay with an external reference, as ph_loan_repay_ref: stored
 * UNIQUE with the event, a reference seen before refused first (PH_EEXISTS,
 * field "reference"), nothing stored then. reference NULL is
 * ph_loan_prepay. */
PH_EXTERN ph_status ph_loan_prepay_ref(ph_store *store, int64_t loan_id, ph_date on,
                                       ph_money amount, int full, const char *reference,
                                       ph_loan_payment *out, ph_error *err);

/* The repayment or prepayment a reference applied, for a caller that
 * retries after a crash and must learn what was paid rather than pay again. */
typedef struct ph_loan_ref_payment {
    int64_t loan_id;
    ph_date on;
    char kind[16];              /* "repay" or "prepay" */
    ph_money amount;            /* what the event paid (a full prepayment: all that was owed) */
    int closed;                 /* 1 when the loan is closed now */
} ph_loan_ref_payment;

/* *found 1 and *out filled when an event carries `reference`, else 0. */
PH_EXTERN ph_status ph_loan_payment_by_ref(ph_store *store, const char *reference,
                                           ph_loan_ref_payment *out, int *found, ph_error *err);

/*
 * Renew without repaying principal (无还本续贷): a new loan for the
 * outstanding principal over `term_months` from the day, at the contract
 * rate, when the product's renewal rule allows it (PH_EINVAL field
 * "renewal" quoting the rule otherwise). Interest and penalty due must be
 * paid first. A renewal of a loan that is past due is a restructuring
 * (docs/domain.md#loans): flagged on the new loan, which is never better
 * than special mention during its observation period. *new_id is the new
 * loan; the old one is closed as renewed.
 */
PH_EXTERN ph_status ph_loan_renew(ph_store *store, int64_t loan_id, ph_date on,
                                  int64_t term_months, int64_t *new_id, ph_error *err);

/*
 * Reprice (an LPR change, 重定价): from the day, the loan runs at `rate`; the
 * interest accrued at the old rate is kept, the schedule is rebuilt from the
 * instalment in progress, and the penalty rate keeps the contract's markup.
 * The contract's rate stays as signed; the event records the change.
 */
PH_EXTERN ph_status ph_loan_reprice(ph_store *store, int64_t loan_id, ph_date on, ph_rate rate,
                                    ph_error *err);

/* Freeze (1) or unfreeze (0) a revolving line: a frozen line refuses
 * draws; repayments and COB go on. The reason is kept with the event. */
PH_EXTERN ph_status ph_loan_freeze(ph_store *store, int64_t loan_id, ph_date on, int frozen,
                                   const char *reason, ph_error *err);

/*
 * Write the loan off (核销): when it had not defaulted and the schemes count
 * a write-off as a default, its loss is shared first; the principal left is
 * charged to the provision held, then to credit losses; interest, penalty
 * and guarantee fee still owed are reversed out of income. *written_off
 * (may be NULL) is the principal written off. The loan stays readable,
 * status written_off, and may still recover.
 */
PH_EXTERN ph_status ph_loan_write_off(ph_store *store, int64_t loan_id, ph_date on,
                                      const char *reason, ph_money *written_off, ph_error *err);

/*
 * A recovery after compensation: `amount` from the firm flows back in the
 * loss's own shares (ph_share_recovery): each partner's claim shrinks (the
 * pool's fund refills), the bank's part reduces the loan or, written off,
 * recovers credit losses. PH_EINVAL for a loan whose loss was not shared,
 * or beyond the loss not yet recovered. *parts (may be NULL) is the split.
 */
PH_EXTERN ph_status ph_loan_recover(ph_store *store, int64_t loan_id, ph_date on,
                                    ph_money amount, ph_share_split *parts, ph_error *err);

/* ---- reading ------------------------------------------------------------------------------ */

/* A loan as read back: the contract and the state. Strings are whole and
 * owned by the value (free with ph_loan_info_free). */
typedef struct ph_loan_info {
    int64_t id, decision_id, renewal_of;
    char *uscc, *lender, *product, *method, *scheme, *guarantor, *pool, *status;
    ph_money amount;            /* principal of a term loan; the limit of a line */
    ph_rate rate, penalty_rate, guarantee_fee, subsidy_rate;
    int64_t term;
    ph_date booked_on, maturity_on;
    int restructured;
    ph_loan_state state;        /* the state after the last COB or event (schedule NULL) */
    ph_money fee_receivable;
    ph_date last_event_on;
} ph_loan_info;

PH_EXTERN ph_status ph_loan_get(ph_store *store, int64_t loan_id, ph_loan_info *out,
                                ph_error *err);
PH_EXTERN void ph_loan_info_free(const ph_ctx *ctx, ph_loan_info *info);

/* Every loan (of one firm or lender when not NULL), by id; fn's non-zero
 * return stops the walk. Loans are read whole before fn is called. */
typedef int (*ph_loan_fn)(const ph_loan_info *info, void *user);
PH_EXTERN ph_status ph_loan_list(ph_store *store, const char *uscc, const char *lender,
                                 ph_loan_fn fn, void *user, ph_error *err);

/*
 * One page of ph_loan_list (keyset paging): the loans with id > `after`
 * (of one firm or lender when not NULL), at most `limit`, by id; the last
 * id given is the next page's `after`. Cost: one indexed range read of at
 * most `limit` ids, then one ph_loan_get per loan, whatever the page's
 * position in the book. Errors: PH_EINVAL for after < 0 (field "after") or
 * limit < 1 (field "limit"); PH_EMISUSE for a NULL store or fn; PH_ESCHEMA
 * before the loan book; PH_ENOMEM; store errors.
 */
PH_EXTERN ph_status ph_loan_list_page(ph_store *store, const char *uscc, const char *lender,
                                      int64_t after, int64_t limit, ph_loan_fn fn, void *user,
                                      ph_error *err);

/* A loan's place in the book over time, as ph_loan_each_span reports it:
 * enough to tell who owes whom on a day without reading the loan whole.
 * Strings are valid during the callback only. */
typedef struct ph_loan_span {
    int64_t id;
    const char *uscc;
    const char *lender;
    int revolving;        /* 1: a revolving line (ph_loan_freeze applies) */
    ph_date booked_on;
    ph_date ended_on;     /* the day it left the book (repaid, renewed or written off:
                             its last event), 0 while it is active */
    uint32_t flags;       /* PH_LOAN_FROZEN, PH_LOAN_DEFAULTED, ... now */
} ph_loan_span;

typedef ph_status (*ph_loan_span_fn)(void *user, const ph_loan_span *span, ph_error *err);

/*
 * Every loan of the book by id, with its firm, lender, kind and the days it
 * was in the book: a loan is in the book on day D when booked_on <= D and
 * (ended_on == 0 or D <= ended_on). What the early warning reads once to
 * know which firm each lender watches on each day (monitor.h). Cost: one
 * scan of the contracts joined to their states; the statement is open
 * during the calls, so fn must not write to the store. Errors: PH_EMISUSE
 * for a NULL store or fn; PH_ESCHEMA before the loan book; PH_EINVAL for a
 * stored date that does not parse; fn's status; store errors.
 */
PH_EXTERN ph_status ph_loan_each_span(ph_store *store, ph_loan_span_fn fn, void *user,
                                      ph_error *err);

/* The current schedule: instalment rows in order. */
typedef int (*ph_instalment_fn)(const ph_instalment *row, void *user);
PH_EXTERN ph_status ph_loan_schedule(ph_store *store, int64_t loan_id, ph_instalment_fn fn,
                                     void *user, ph_error *err);

/* ---- close of business -------------------------------------------------------------------- */

typedef struct ph_cob_report {
    ph_date from, to;           /* the days run (to < from when none was due) */
    int64_t days, loan_days;
    ph_money interest, penalty, fees, subsidy, provision_change, defaulted;
    int64_t defaults;           /* loans that crossed the default trigger */
    int64_t entries;            /* ledger entries written */
} ph_cob_report;

typedef void (*ph_cob_progress_fn)(void *user, ph_date day, int64_t done, int64_t total);

/*
 * Close every business day after the last one closed, through `through`:
 * for each day, in one transaction, interest and penalty accrue, instalments
 * fall due, days past due are counted, every loan is classified and
 * provisioned (rules: `rules`, NULL for the built-in 2023 rules), the
 * monthly interest subsidy is paid with the instalment (免申即享), guarantee
 * fees accrue, and a loan crossing the default trigger shares its loss by
 * its scheme (include/puhui/riskshare.h). A day already closed is never run
 * again (idempotent); a run killed mid-day loses that day only, and running
 * again gives the same ledger, byte for byte. out and progress may be NULL.
 */
PH_EXTERN ph_status ph_cob_through(ph_store *store, ph_date through, const ph_cob_rules *rules,
                                   ph_cob_progress_fn progress, void *user, ph_cob_report *out,
                                   ph_error *err);

/* The last day closed; 0 when none. */
PH_EXTERN ph_status ph_cob_last_day(ph_store *store, ph_date *out, ph_error *err);

/* The open business day, on which every loan event happens: the day after
 * the last close of business, or before the first, the book's first
 * booking day; 0 for an empty book. */
PH_EXTERN ph_status ph_cob_open_day(ph_store *store, ph_date *out, ph_error *err);

/* ---- the book ----------------------------------------------------------------------------- */

typedef struct ph_book_category {
    int64_t loans;
    ph_money exposure, provision;
} ph_book_category;

typedef struct ph_book_summary {
    ph_book_category category[PH_CATEGORY_COUNT];
    int64_t loans, closed, defaulted;
    ph_money exposure, npl, provision;
    ph_rate npl_ratio;          /* npl / exposure, 1e-8 */
    ph_rate coverage;           /* provision / npl, 1e-8 (0 without NPL) */
    ph_money subsidy_paid;      /* interest subsidies paid to firms */
    ph_money shared[PH_PARTY_COUNT]; /* losses shared, by party */
} ph_book_summary;

PH_EXTERN ph_status ph_book_summary_get(ph_store *store, ph_book_summary *out, ph_error *err);

/*
 * One lender's book (docs/loans.md#the-book-by-lender): as ph_book_summary_get over
 * the loans whose lender is `lender` (an unknown lender has an empty book,
 * all zero), with its losses shared; subsidy_paid is 0 (the ledger keeps
 * subsidies by firm, not by lender). Cost: one grouped scan of the lender's
 * loans' states and one of their shared losses. Errors: PH_EMISUSE for a
 * NULL argument; PH_ESCHEMA before the loan book; store errors.
 */
PH_EXTERN ph_status ph_book_summary_lender(ph_store *store, const char *lender,
                                           ph_book_summary *out, ph_error *err);

/* Called per lender with its summary (categories, counts, exposure, NPL,
 * provision and ratios; shared and subsidy_paid 0); valid during the call
 * only. Non-zero stops the walk. */
typedef int (*ph_book_lender_fn)(const char *lender, const ph_book_summary *summary,
                                 void *user);

/*
 * Every lender with a loan in the book, by lender id, with its summary: what
 * a supervisor compares lenders by. Cost: one grouped scan of the loan
 * states joined to their contracts (lenders x statuses x categories rows).
 * Errors: PH_EMISUSE for a NULL store or fn; PH_ESCHEMA before the loan
 * book; PH_ENOMEM; store errors.
 */
PH_EXTERN ph_status ph_book_lenders(ph_store *store, ph_book_lender_fn fn, void *user,
                                    ph_error *err);

/* ---- risk sharing: guarantors and pools ------------------------------------------------- */

/* One guarantor's figures (docs/loans.md#risk-sharing); strings live for the
 * call only. */
typedef struct ph_share_guarantor_figures {
    const char *guarantor, *name;
    ph_money capital;      /* from the guarantors feed */
    ph_money outstanding;  /* principal (due or not) of active loans naming it */
    ph_rate leverage, leverage_cap; /* outstanding / capital; the feed's cap (1e-8) */
    int within_cap;        /* outstanding <= cap x capital, exactly */
    ph_money compensated;  /* its parts of the losses shared (loan_share) */
    ph_money matured;      /* amounts of the loans naming it that matured by the last COB,
                              closed, were renewed or defaulted */
    ph_rate compensation_rate; /* compensated / matured (1e-8), 0 when nothing matured */
} ph_share_guarantor_figures;

/* One risk-compensation pool the book has named: its capital as seeded, the
 * balance of ledger account 2901 for it (credit), and the difference, paid. */
typedef struct ph_share_pool_figures {
    const char *pool;
    ph_money capital, paid_out, balance;
} ph_share_pool_figures;

typedef int (*ph_share_guarantor_fn)(const ph_share_guarantor_figures *g, void *user);
typedef int (*ph_share_pool_fn)(const ph_share_pool_figures *p, void *user);

/*
 * Every guarantor of the guarantors feed, by id, then every pool a loan has
 * named, by name; a non-zero return of a callback stops the walk (either may
 * be NULL). Leverage and compensation rate come from ph_share_leverage and
 * ph_share_compensation_rate (riskshare.h). A guarantor with no capital in
 * the feed has leverage 0 and is within its cap only with nothing
 * outstanding. Errors: PH_ESCHEMA before the loan book; store errors;
 * PH_ERANGE from the ratios; PH_EMISUSE for a NULL store. Cost: one scan of
 * the guarantors, the loans and the ledger's trial balance.
 */
PH_EXTERN ph_status ph_share_figures(ph_store *store, ph_share_guarantor_fn guarantor_fn,
                                     ph_share_pool_fn pool_fn, void *user, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_LOAN_H */
