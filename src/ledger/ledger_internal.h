/* Internal to the ledger module: the chart's index, the checks every path
 * shares, the entry writer and the hash encoding. */
#ifndef PUHUI_LEDGER_INTERNAL_H
#define PUHUI_LEDGER_INTERNAL_H

#include <sodium.h>

#include "puhui/ledger.h"

/* The schema version the ledger's tables came in. */
#define LEDGER_SCHEMA 11
#define LEDGER_HASH_HEX 65

/* One general-ledger line of an entry: (account, product, party) with its
 * debits and credits (both may be > 0 in a summary). */
typedef struct gl_line {
    int account; /* index in the chart */
    const char *product;
    const char *party;
    ph_money debit, credit;
} gl_line;

/* One sub-ledger row, 24 bytes: amount > 0 is a debit, < 0 a credit. */
typedef struct sub_row {
    int64_t loan_id;
    int64_t amount;
    int32_t account; /* index in the chart */
} sub_row;

typedef struct entry_head {
    ph_date value_date;
    const char *event;
    const char *memo;
    int64_t reverses; /* 0 = none */
} entry_head;

/* The chart's index of `code`, -1 when it has none. */
int ledger_account_index(const char *code);
/* Like ledger_account_index for a code that is not NUL-terminated. */
int ledger_account_index_n(const char *code, size_t len);
const ph_ledger_account *ledger_account_at(int index);

ph_status ledger_require_schema(ph_store *s, ph_error *err);
/* A short word of [a-z0-9_], 1..PH_LEDGER_EVENT_MAX bytes. */
ph_status ledger_check_event(const char *event, ph_error *err);
/* A day the calendar can print. */
ph_status ledger_check_date(ph_date d, const char *field, ph_error *err);
/* Check one line (index for the message); *account receives its chart index. */
ph_status ledger_check_line(const ph_ledger_line *l, size_t index, int *account, ph_error *err);
/* a + b into *sum, PH_ERANGE (field) when it overflows. */
ph_status ledger_add(ph_money a, ph_money b, ph_money *sum, const char *field, ph_error *err);

/* PH_OK when debits == credits, else PH_EINVAL ("lines") naming both. */
ph_status ledger_check_balance(ph_money debits, ph_money credits, ph_error *err);

/* Sort gl lines by (account code, product, party): the order they are
 * numbered, stored and hashed in. */
void ledger_sort_lines(gl_line *lines, size_t n);

/* Write one entry: its row, lines (already summarised and sorted) and
 * sub-ledger rows, chained to the head. Joins an open transaction, else runs
 * its own. *id receives the entry's id. */
ph_status ledger_write_entry(ph_store *s, const entry_head *h, const gl_line *lines, size_t nl,
                             const sub_row *rows, size_t nr, int64_t *id, ph_error *err);

/* --- The hash encoding (docs/ledger.md): every field is an 8-byte big-endian
 * length and its bytes; an integer is 8 bytes big-endian two's complement.
 * Buffered, so millions of small fields cost a few large updates. */
typedef struct ledger_hasher {
    crypto_generichash_state state;
    size_t used;
    unsigned char buf[8192];
} ledger_hasher;

extern const char LEDGER_HASH_TAG[];
extern const char LEDGER_GENESIS[LEDGER_HASH_HEX];

void ledger_hash_init(ledger_hasher *h);
void ledger_hash_text(ledger_hasher *h, const char *text, size_t len);
void ledger_hash_int(ledger_hasher *h, int64_t v);
void ledger_hash_final(ledger_hasher *h, char out[LEDGER_HASH_HEX]);

/* The hash of the fields before the lines, as the writer and verify both
 * start it. */
void ledger_hash_head(ledger_hasher *h, int64_t id, const char *day, size_t day_len,
                      const char *event, size_t event_len, const char *memo, size_t memo_len,
                      int64_t reverses, int64_t line_count);

#endif
