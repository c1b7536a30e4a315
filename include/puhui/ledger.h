/* CONTRACT COPY (replaced at merge) */
#ifndef PUHUI_LEDGER_H
#define PUHUI_LEDGER_H
#include <stddef.h>
#include <stdint.h>
#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/store.h"

typedef struct ph_ledger_line {
    const char *account;   /* the code, "1301" */
    int64_t loan_id;       /* 0 = none; REQUIRED (> 0) for a loan-level account */
    const char *product;   /* "" = none: the loan's product, the GL summary dimension */
    const char *party;     /* "" = none: guarantor / pool / government / firm id */
    ph_money debit;        /* exactly one of debit / credit > 0, the other 0 */
    ph_money credit;
} ph_ledger_line;

/* One balanced entry, its own transaction unless one is open (then it joins it): journal_entry (hash-chained:
   hash = BLAKE2b-256 of a length-prefixed encoding of the previous hash and the entry's fields and lines, like
   src/access/log.c), journal_line rows summarised by (account, product, party), and one sub-ledger row per
   loan-level line. Unbalanced, unknown account, loan-level line without loan, a line with both or neither side:
   PH_EINVAL naming the line (index), field and value, nothing stored. value_date: the business day. event: a short
   word ("disburse", "repay", "accrue", "cob", "reverse", ...). */
ph_status ph_ledger_post(ph_store *s, ph_date value_date, const char *event, const char *memo,
                         const ph_ledger_line *lines, size_t n, int64_t *entry_id, ph_error *err);
/* A correction: a new entry with every line's sides swapped, linked to the original; an entry is reversed at
   most once (PH_EEXISTS), a reversal is never reversed. */
ph_status ph_ledger_reverse(ph_store *s, int64_t entry_id, ph_date value_date, const char *reason,
                            int64_t *reversal_id, ph_error *err);

/* COB's bulk path: many loan-level lines in one entry. The batch sums per (account, product, party) for the GL lines
   and writes one sub-ledger row per added line; commit writes everything into the CURRENT transaction (the caller
   holds it) and chains one hash. Must do 1,000,000 loans (about 2-3M sub-ledger rows) in a few seconds on SQLite:
   one prepared INSERT reused, no per-row allocation. */
typedef struct ph_ledger_batch ph_ledger_batch;
ph_status ph_ledger_batch_new(ph_store *s, ph_date value_date, const char *event, const char *memo,
                              ph_ledger_batch **out, ph_error *err);
ph_status ph_ledger_batch_add(ph_ledger_batch *b, const ph_ledger_line *line, ph_error *err);
ph_status ph_ledger_batch_commit(ph_ledger_batch *b, int64_t *entry_id, ph_error *err); /* empty batch: no entry,
                                                                                          *entry_id = 0 */
void ph_ledger_batch_free(ph_ledger_batch *b);

/* Balances of every account (debit - credit, fen) as of a date (value_date <= on), optionally one loan or product. */
typedef struct ph_ledger_balance { const char *account; const char *name; const char *product; const char *party;
                                   ph_money debit, credit, balance; } ph_ledger_balance;
typedef int (*ph_ledger_balance_fn)(const ph_ledger_balance *b, void *user);  /* nonzero stops */
ph_status ph_ledger_trial_balance(ph_store *s, ph_date on, ph_ledger_balance_fn fn, void *user, ph_error *err);
/* Per-account balance of one loan's sub-ledger as of `on` (what the loan's state must equal). */
ph_status ph_ledger_loan_balance(ph_store *s, int64_t loan_id, const char *account, ph_date on, ph_money *out,
                                 ph_error *err);
/* One loan's statement: each sub-ledger row in (value_date, entry) order, with the entry's event and memo. */
typedef struct ph_ledger_statement_line { int64_t entry_id; ph_date value_date; const char *event; const char *memo;
                                          const char *account; ph_money debit, credit; } ph_ledger_statement_line;
typedef int (*ph_ledger_statement_fn)(const ph_ledger_statement_line *l, void *user);
ph_status ph_ledger_loan_statement(ph_store *s, int64_t loan_id, ph_date from, ph_date to,
                                   ph_ledger_statement_fn fn, void *user, ph_error *err);
/* Verify: every entry balanced; the hash chain from the genesis; for every loan-level account and entry the
   sub-ledger sums equal the GL lines. PH_ECORRUPT (or the codebase's equivalent) naming the first bad entry. */
typedef struct ph_ledger_verify_result { int64_t entries, lines, subledger_rows; char head[65]; } ph_ledger_verify_result;
ph_status ph_ledger_verify(ph_store *s, ph_ledger_verify_result *out, ph_error *err);
/* A journal listing for `puhui ledger journal --from --to [--loan N]` (the helper designs the callback). */

#endif
