/*
 * The close of business's bulk path: millions of loan-level lines in ONE
 * entry. Adding a line costs no allocation: the sub-ledger row goes into an
 * array that doubles when full, and the line's (account, product, party)
 * summary is found first in a one-slot cache per account (a COB adds the same
 * few keys over and over), then in an open-addressing table; only a key never
 * seen before copies its two texts. Commit turns the table into summary lines
 * and hands everything to the one entry writer (write.c).
 */
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"

typedef struct gl_slot {
    int account; /* -1: empty */
    uint64_t hash;
    char *product; /* product and party: one allocation */
    char *party;
    ph_money debit, credit;
} gl_slot;

enum { MAX_ACCOUNTS = 64, FIRST_ROWS = 4096, FIRST_SLOTS = 64 };

struct ph_ledger_batch {
    ph_store *store;
    const ph_ctx *ctx;
    ph_date value_date;
    char event[PH_LEDGER_EVENT_MAX + 1];
    char *memo;
    sub_row *rows;
    size_t nrows, cap_rows;
    gl_slot *slots;
    size_t nslots, used_slots;
    gl_slot *last[MAX_ACCOUNTS]; /* the slot each account used last */
    size_t added;
    ph_money debits, credits;
    int committed;
};

static uint64_t key_hash(int account, const char *product, const char *party)
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)account;
    for (const char *p = product; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    h = (h ^ 0xffu) * 1099511628211u; /* separates product from party */
    for (const char *p = party; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h;
}

static int slot_is(const gl_slot *slot, int account, const char *product, const char *party)
{
    return slot->account == account && strcmp(slot->product, product) == 0 &&
           strcmp(slot->party, party) == 0;
}

static ph_status grow_slots(ph_ledger_batch *b, ph_error *err)
{
    size_t n = b->nslots ? b->nslots * 2 : FIRST_SLOTS;
    gl_slot *slots = ph_malloc(b->ctx, n * sizeof(*slots));
    if (slots == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the batch's summary");
    for (size_t i = 0; i < n; i++)
        slots[i].account = -1;
    for (size_t i = 0; i < b->nslots; i++) {
        if (b->slots[i].account < 0)
            continue;
        size_t j = b->slots[i].hash & (n - 1);
        while (slots[j].account >= 0)
            j = (j + 1) & (n - 1);
        slots[j] = b->slots[i];
    }
    ph_free(b->ctx, b->slots);
    b->slots = slots;
    b->nslots = n;
    memset(b->last, 0, sizeof(b->last)); /* they pointed into the old table */
    return PH_OK;
}

/* The summary slot of (account, product, party), made when new. */
static ph_status find_slot(ph_ledger_batch *b, int account, const char *product,
                           const char *party, gl_slot **out, ph_error *err)
{
    gl_slot *cached = b->last[account];
    if (cached != NULL && slot_is(cached, account, product, party)) {
        *out = cached;
        return PH_OK;
    }
    if ((b->used_slots + 1) * 2 > b->nslots) {
        ph_status st = grow_slots(b, err);
        if (st != PH_OK)
            return st;
    }
    uint64_t h = key_hash(account, product, party);
    size_t j = h & (b->nslots - 1);
    while (b->slots[j].account >= 0) {
        if (b->slots[j].hash == h && slot_is(&b->slots[j], account, product, party)) {
            *out = b->last[account] = &b->slots[j];
            return PH_OK;
        }
        j = (j + 1) & (b->nslots - 1);
    }
    size_t lp = strlen(product), lq = strlen(party);
    char *text = ph_malloc(b->ctx, lp + lq + 2);
    if (text == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the batch's summary");
    memcpy(text, product, lp + 1);
    memcpy(text + lp + 1, party, lq + 1);
    b->slots[j] = (gl_slot){account, h, text, text + lp + 1, 0, 0};
    b->used_slots++;
    *out = b->last[account] = &b->slots[j];
    return PH_OK;
}

ph_status ph_ledger_batch_new(ph_store *s, ph_date value_date, const char *event,
                              const char *memo, ph_ledger_batch **out, ph_error *err)
{
    if (s == NULL || event == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_batch_new: store, event and out must not be NULL");
    ph_status st = ledger_check_event(event, err);
    if (st == PH_OK)
        st = ledger_check_date(value_date, "value_date", err);
    if (st == PH_OK)
        st = ledger_require_schema(s, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(s);
    ph_ledger_batch *b = ph_calloc(ctx, 1, sizeof(*b));
    if (b == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a ledger batch");
    b->store = s;
    b->ctx = ctx;
    b->value_date = value_date;
    snprintf(b->event, sizeof(b->event), "%s", event);
    b->memo = ph_strdup(ctx, memo ? memo : "");
    st = b->memo ? grow_slots(b, err)
                 : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a ledger batch");
    if (st != PH_OK) {
        ph_ledger_batch_free(b);
        return st;
    }
    *out = b;
    return PH_OK;
}

static ph_status push_row(ph_ledger_batch *b, sub_row row, ph_error *err)
{
    if (b->nrows == b->cap_rows) {
        size_t cap = b->cap_rows ? b->cap_rows * 2 : FIRST_ROWS;
        sub_row *rows = ph_realloc(b->ctx, b->rows, cap * sizeof(*rows));
        if (rows == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL,
                                "out of memory for %zu sub-ledger rows", cap);
        b->rows = rows;
        b->cap_rows = cap;
    }
    b->rows[b->nrows++] = row;
    return PH_OK;
}

ph_status ph_ledger_batch_add(ph_ledger_batch *b, const ph_ledger_line *line, ph_error *err)
{
    if (b == NULL || line == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_batch_add: batch and line must not be NULL");
    if (b->committed)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_batch_add: the batch was committed already");
    int account = -1;
    ph_status st = ledger_check_line(line, b->added, &account, err);
    if (st != PH_OK)
        return st;
    ph_money debits, credits, debit, credit;
    gl_slot *slot = NULL;
    st = ledger_add(b->debits, line->debit, &debits, "debit", err);
    if (st == PH_OK)
        st = ledger_add(b->credits, line->credit, &credits, "credit", err);
    if (st == PH_OK)
        st = find_slot(b, account, line->product ? line->product : "",
                       line->party ? line->party : "", &slot, err);
    if (st == PH_OK)
        st = ledger_add(slot->debit, line->debit, &debit, "debit", err);
    if (st == PH_OK)
        st = ledger_add(slot->credit, line->credit, &credit, "credit", err);
    if (st == PH_OK && ledger_account_at(account)->loan_level)
        st = push_row(b, (sub_row){line->loan_id, line->debit > 0 ? line->debit : -line->credit,
                                   account},
                      err);
    if (st != PH_OK)
        return st; /* the line is not added: the sums are untouched */
    slot->debit = debit;
    slot->credit = credit;
    b->debits = debits;
    b->credits = credits;
    b->added++;
    return PH_OK;
}

size_t ph_ledger_batch_count(const ph_ledger_batch *b)
{
    return b ? b->added : 0;
}

ph_status ph_ledger_batch_commit(ph_ledger_batch *b, int64_t *entry_id, ph_error *err)
{
    if (b == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_batch_commit: batch must not be NULL");
    if (b->committed)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_batch_commit: the batch was committed already");
    ph_status st = ledger_check_balance(b->debits, b->credits, err);
    if (st != PH_OK)
        return st;
    b->committed = 1;
    if (b->added == 0) {
        if (entry_id != NULL)
            *entry_id = 0;
        return PH_OK;
    }
    gl_line *lines = ph_malloc(b->ctx, b->used_slots * sizeof(*lines));
    if (lines == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the batch's lines");
    size_t nl = 0;
    for (size_t i = 0; i < b->nslots; i++) {
        const gl_slot *slot = &b->slots[i];
        if (slot->account >= 0)
            lines[nl++] = (gl_line){slot->account, slot->product, slot->party, slot->debit,
                                    slot->credit};
    }
    ledger_sort_lines(lines, nl);
    entry_head h = {b->value_date, b->event, b->memo, 0};
    int64_t id = 0;
    st = ledger_write_entry(b->store, &h, lines, nl, b->rows, b->nrows, &id, err);
    ph_free(b->ctx, lines);
    if (st == PH_OK && entry_id != NULL)
        *entry_id = id;
    return st;
}

void ph_ledger_batch_free(ph_ledger_batch *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->nslots; i++)
        if (b->slots[i].account >= 0)
            ph_free(b->ctx, b->slots[i].product);
    ph_free(b->ctx, b->slots);
    ph_free(b->ctx, b->rows);
    ph_free(b->ctx, b->memo);
    const ph_ctx *ctx = b->ctx;
    ph_free(ctx, b);
}
