/*
 * puhui — the double-entry general ledger of the loan book
 * (docs/ledger.md, docs/domain.md#loans).
 *
 * Every event of a loan posts one balanced journal entry: lines on the
 * accounts of a fixed chart (ph_ledger_chart), each line a debit or a
 * credit in fen. An entry is never changed or deleted: a correction is a
 * reversal (ph_ledger_reverse), a new entry with every side swapped.
 *
 * Three tables (schema version 11, "general ledger"), all append-only
 * (database triggers refuse UPDATE and DELETE):
 *   journal_entry     one row per entry: value date, event, memo, the
 *                     entry it reverses, and its place in the hash chain;
 *   journal_line      the general ledger: the entry's lines summarised by
 *                     (account, product, party), debits and credits apart;
 *   ledger_subledger  one row per line on a LOAN-LEVEL account (a line
 *                     with a loan), so that each loan's balances and
 *                     statement are kept beside the summary.
 * Each entry's hash (BLAKE2b-256) covers its fields, its lines, its
 * sub-ledger rows and the previous entry's hash (the encoding is in
 * docs/ledger.md), so an edit made around the triggers is still found by
 * ph_ledger_verify. Nothing in the ledger records the wall clock: the same
 * postings give byte-identical tables.
 *
 * Money is ph_money fen; dates are ph_date days (stored as 'YYYY-MM-DD').
 * All functions need a store at schema version 11 or later (PH_ESCHEMA
 * otherwise, with what to run). `err` may be NULL; outputs are written only
 * on success.
 */
#ifndef PUHUI_LEDGER_H
#define PUHUI_LEDGER_H

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- The chart of accounts --------------------------------------------------- */

typedef enum ph_account_kind {
    PH_ACCOUNT_ASSET = 0,
    PH_ACCOUNT_LIABILITY,
    PH_ACCOUNT_EQUITY,
    PH_ACCOUNT_INCOME,
    PH_ACCOUNT_EXPENSE
} ph_account_kind;

typedef enum ph_ledger_side { PH_SIDE_DEBIT = 0, PH_SIDE_CREDIT = 1 } ph_ledger_side;

typedef struct ph_ledger_account {
    const char *code;        /* "1301" */
    const char *name;        /* "loan_principal" */
    ph_account_kind kind;
    ph_ledger_side normal;   /* the side its balance normally stands on (a contra
                                asset such as 1231 is credit-normal) */
    int loan_level;          /* 1: kept per loan in the sub-ledger; a line needs a loan */
    const char *party;       /* what `party` names on this account ("guarantor", "pool",
                                "government", "programme", "firm"), "" when none */
} ph_ledger_account;

/* The chart, in code order; *count receives its size. Static data: O(1). */
PH_EXTERN const ph_ledger_account *ph_ledger_chart(size_t *count);
/* The account with this code ("1301"), NULL when the chart has none. O(chart). */
PH_EXTERN const ph_ledger_account *ph_ledger_account_find(const char *code);
/* "asset", "liability", "equity", "income", "expense"; "?" for anything else. */
PH_EXTERN const char *ph_account_kind_name(ph_account_kind kind);

/* --- Posting ------------------------------------------------------------------ */

typedef struct ph_ledger_line {
    const char *account;   /* the code, "1301" */
    int64_t loan_id;       /* 0 = none; REQUIRED (> 0) for a loan-level account; on any other
                              account it is not kept (the general ledger has no loan column) */
    const char *product;   /* "" or NULL = none: the loan's product, the GL summary dimension */
    const char *party;     /* "" or NULL = none: guarantor / pool / government / firm id */
    ph_money debit;        /* exactly one of debit / credit > 0, the other 0 */
    ph_money credit;
} ph_ledger_line;

/* Longest event word, and the longest product or party text, in bytes. */
#define PH_LEDGER_EVENT_MAX 32
#define PH_LEDGER_TEXT_MAX 64

/*
 * Post one balanced entry of n >= 1 lines dated value_date (the business
 * day). event: a short word of lower-case letters, digits and '_' ("disburse",
 * "repay", "accrue", "cob", "reverse", ...); memo: free text (NULL = "").
 * Lines on the same (account, product, party) are summed into one
 * journal_line (debits and credits kept apart); each line on a loan-level
 * account also becomes one ledger_subledger row. *entry_id (may be NULL)
 * receives the new entry's id: 1, 2, 3, ... in posting order.
 *
 * Transactions: with no transaction open, the entry is its own (begun and
 * committed here). With one open (a unit, or the caller's), it joins it and
 * the caller commits; every check is made before the first write, so a
 * refused entry writes nothing, and after a store error the caller must
 * roll back.
 *
 * Cost: O(n log n) to validate and summarise; one read of the chain's head,
 * then one insert per summary line and per sub-ledger row; one commit when
 * it runs its own transaction.
 *
 * Errors (nothing stored): PH_EINVAL naming the line ("lines[2].account"),
 * the field and the value, for an unknown account, a loan-level line with
 * loan_id <= 0, a line with both sides or neither side > 0 or a negative
 * one, a product or party longer than PH_LEDGER_TEXT_MAX; PH_EINVAL
 * ("lines") when debits and credits differ (both totals named) or n is 0;
 * PH_EINVAL ("event") for an event that is not a short word; PH_EINVAL
 * ("value_date") for a day outside the calendar; PH_ERANGE when a total
 * overflows; PH_EMISUSE for NULL store, event or lines (n > 0); PH_ESCHEMA
 * before schema 11; PH_EBUSY, PH_ESTORE from the database.
 */
PH_EXTERN ph_status ph_ledger_post(ph_store *s, ph_date value_date, const char *event,
                                   const char *memo, const ph_ledger_line *lines, size_t n,
                                   int64_t *entry_id, ph_error *err);

/*
 * A correction: a new entry, event "reverse", memo `reason`, dated
 * value_date, with every line and every sub-ledger row of entry_id with its
 * sides swapped, linked to the original (journal_entry.reverses). An entry
 * is reversed at most once, and a reversal is never reversed. Transactions
 * as ph_ledger_post.
 *
 * Cost: reads the original's lines and sub-ledger rows (memory for them:
 * 24 bytes a row) and writes as many; one commit when it runs its own
 * transaction.
 *
 * Errors (nothing stored): PH_ENOTFOUND ("entry") for no such entry;
 * PH_EEXISTS ("entry") when it was reversed already (naming the reversal);
 * PH_EINVAL ("entry") when it is itself a reversal; PH_EINVAL ("reason")
 * for an empty or NULL reason; PH_EINVAL ("value_date") for a day outside
 * the calendar or before the original's value date; PH_ENOMEM; PH_ESCHEMA,
 * PH_EBUSY, PH_ESTORE as ph_ledger_post.
 */
PH_EXTERN ph_status ph_ledger_reverse(ph_store *s, int64_t entry_id, ph_date value_date,
                                      const char *reason, int64_t *reversal_id, ph_error *err);

/*
 * COB's bulk path: many lines in ONE entry. ph_ledger_batch_add checks a line
 * as ph_ledger_post does, adds it to the general-ledger summary of its
 * (account, product, party) and, for a loan-level account, keeps one
 * sub-ledger row (24 bytes; the row array doubles when full, so adding does
 * not allocate per line; a new (account, product, party) copies its two
 * texts once). ph_ledger_batch_commit writes the entry, its summary lines and
 * every sub-ledger row (one prepared multi-row INSERT reused) and chains one
 * hash; it joins the transaction the caller holds, or runs its own when none
 * is open. An empty batch writes nothing (*entry_id = 0). After a commit,
 * successful or not, the batch can only be freed.
 *
 * Cost: add O(1) (a hash of the product and party); commit O(rows), about a
 * microsecond a row on SQLite (bench/bench_ledger.c).
 *
 * Errors: new: PH_EINVAL for the event or value_date as ph_ledger_post,
 * PH_ENOMEM, PH_EMISUSE for NULL s, event or out, PH_ESCHEMA. add: PH_EINVAL
 * naming the line by its index in the batch ("lines[12].credit"), and the
 * line is not added (the batch stays usable); PH_ERANGE when a total
 * overflows; PH_ENOMEM. commit: PH_EINVAL ("lines") when the batch is
 * unbalanced (nothing written), PH_EMISUSE for a batch already committed,
 * PH_EBUSY, PH_ESTORE.
 */
typedef struct ph_ledger_batch ph_ledger_batch;
PH_EXTERN ph_status ph_ledger_batch_new(ph_store *s, ph_date value_date, const char *event,
                                        const char *memo, ph_ledger_batch **out, ph_error *err);
PH_EXTERN ph_status ph_ledger_batch_add(ph_ledger_batch *b, const ph_ledger_line *line,
                                        ph_error *err);
PH_EXTERN ph_status ph_ledger_batch_commit(ph_ledger_batch *b, int64_t *entry_id,
                                           ph_error *err);
/* NULL is allowed. */
PH_EXTERN void ph_ledger_batch_free(ph_ledger_batch *b);
/* Lines added so far (for progress and tests). */
PH_EXTERN size_t ph_ledger_batch_count(const ph_ledger_batch *b);

/* --- Reading ------------------------------------------------------------------- */

/* One row of the trial balance: an (account, product, party) with its total
 * debits and credits up to the date; balance = debit - credit (a
 * credit-normal account shows a negative balance). Texts are valid during the
 * callback only. */
typedef struct ph_ledger_balance {
    const char *account;
    const char *name;
    const char *product;
    const char *party;
    ph_money debit, credit, balance;
} ph_ledger_balance;
typedef int (*ph_ledger_balance_fn)(const ph_ledger_balance *b, void *user); /* nonzero stops */

/*
 * Balances of every (account, product, party) that has a posting with
 * value_date <= on, in (account, product, party) order. The balances of all
 * rows sum to zero in a sound ledger. Cost: one grouped scan of journal_line
 * (index journal_line_balance). Errors: PH_EMISUSE for NULL s or fn;
 * PH_ERANGE if a total overflows; PH_ESCHEMA, PH_ESTORE.
 */
PH_EXTERN ph_status ph_ledger_trial_balance(ph_store *s, ph_date on, ph_ledger_balance_fn fn,
                                            void *user, ph_error *err);

/*
 * Balance (debit - credit, fen) of one loan's sub-ledger on one loan-level
 * account as of `on` (value_date <= on): what the loan's state must equal.
 * 0 for a loan with no rows. Cost: the loan's rows (index
 * ledger_subledger_loan). Errors: PH_EINVAL ("account") for an account not
 * in the chart or not loan-level; PH_EINVAL ("loan_id") for loan_id <= 0;
 * PH_EMISUSE, PH_ESCHEMA, PH_ESTORE.
 */
PH_EXTERN ph_status ph_ledger_loan_balance(ph_store *s, int64_t loan_id, const char *account,
                                           ph_date on, ph_money *out, ph_error *err);

/* One sub-ledger row of a loan, with its entry's date, event and memo; texts
 * valid during the callback only. */
typedef struct ph_ledger_statement_line {
    int64_t entry_id;
    ph_date value_date;
    const char *event;
    const char *memo;
    const char *account;
    ph_money debit, credit;
} ph_ledger_statement_line;
typedef int (*ph_ledger_statement_fn)(const ph_ledger_statement_line *l, void *user);

/*
 * One loan's statement: each sub-ledger row with from <= value_date <= to,
 * in (value_date, entry, row) order. Cost: the loan's rows. Errors:
 * PH_EINVAL ("loan_id") for loan_id <= 0, ("to") for to < from; PH_EMISUSE,
 * PH_ESCHEMA, PH_ESTORE.
 */
PH_EXTERN ph_status ph_ledger_loan_statement(ph_store *s, int64_t loan_id, ph_date from,
                                             ph_date to, ph_ledger_statement_fn fn, void *user,
                                             ph_error *err);

/* The result of ph_ledger_verify: what was checked and the chain's head
 * (the last entry's hash, 64 hex digits; the genesis, 64 zeros, for an
 * empty ledger). On a failure, bad_entry and problem say where and what. */
typedef struct ph_ledger_verify_result {
    int64_t entries, lines, subledger_rows;
    char head[65];
    int64_t bad_entry;    /* 0 when sound */
    char problem[512];    /* "" when sound */
} ph_ledger_verify_result;

/*
 * Verify the whole ledger: entries numbered 1, 2, ... without gaps; every
 * entry balanced; each entry's hash recomputed from its stored fields, lines
 * and sub-ledger rows and chained to the one before from the genesis; for
 * every loan-level account of every entry, the sub-ledger's debits and
 * credits equal the general ledger's; no sub-ledger row outside an entry;
 * and the six append-only triggers in place as the schema creates them.
 * Reads one snapshot (a read transaction, or the caller's).
 *
 * *out is written on success AND on a finding (with bad_entry and problem);
 * only when the ledger could not be read is it left alone.
 *
 * Cost: one pass over the three tables in key order, hashing every row
 * (about a second for 3 million sub-ledger rows).
 *
 * Errors: PH_ESTORE (field "entry", the bad entry's id; or "trigger", its
 * name) when a check fails, with the problem; PH_EMISUSE for NULL s or out;
 * PH_ESCHEMA; PH_EBUSY, PH_ESTORE when the database fails.
 */
PH_EXTERN ph_status ph_ledger_verify(ph_store *s, ph_ledger_verify_result *out, ph_error *err);

/* One line of the journal listing: a general-ledger line (loan_id 0), or,
 * when the listing is for one loan, a sub-ledger row (product and party "").
 * Texts are valid during the callback only. */
typedef struct ph_ledger_journal_line {
    int64_t entry_id;
    ph_date value_date;
    const char *event;
    const char *memo;
    int64_t reverses;     /* the entry this one reverses, 0 when none */
    const char *account;
    const char *name;     /* the account's name in the chart */
    const char *product;
    const char *party;
    int64_t loan_id;
    ph_money debit, credit;
} ph_ledger_journal_line;
typedef int (*ph_ledger_journal_fn)(const ph_ledger_journal_line *l, void *user);

/*
 * The journal between from and to (value dates, inclusive) in (value_date,
 * entry, line) order: every general-ledger line, or with loan_id > 0 that
 * loan's sub-ledger rows only. For `puhui ledger journal`. Cost: the
 * entries in the range (index journal_entry_date) and their lines.
 * Errors: PH_EINVAL ("to") for to < from, ("loan_id") for loan_id < 0;
 * PH_EMISUSE, PH_ESCHEMA, PH_ESTORE.
 */
PH_EXTERN ph_status ph_ledger_journal(ph_store *s, ph_date from, ph_date to, int64_t loan_id,
                                      ph_ledger_journal_fn fn, void *user, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif
