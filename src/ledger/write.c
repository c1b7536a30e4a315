/*
 * Writing one entry: its row, its general-ledger lines and its sub-ledger
 * rows, chained to the ledger's head by one hash. Every path that posts
 * (ph_ledger_post, the batch, a reversal) ends here, so the tables and the
 * hash are written one way.
 *
 * Sub-ledger rows go in by a multi-row INSERT of GROUP rows, prepared once
 * per entry and reused (the per-statement cost, not the row, dominates a
 * single-row insert), and the tail by a single-row one. Ids are given, not
 * generated: entry k's rows are first_sub .. first_sub + sub_count - 1,
 * right after entry k-1's, so the table grows at its end (the cheapest
 * insert a B-tree has) and verify reads each entry's rows as one range.
 */
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"

/* Rows per multi-row INSERT: 6 parameters each, far below SQLite's limit. */
#define GROUP 64

typedef struct chain_head {
    int64_t id;        /* the new entry's */
    int64_t first_sub; /* its first sub-ledger row's id */
    char prev[LEDGER_HASH_HEX];
} chain_head;

static ph_status read_head(ph_store *s, chain_head *h, ph_error *err)
{
    ph_stmt *stmt = NULL;
    h->id = 1;
    h->first_sub = 1;
    memcpy(h->prev, LEDGER_GENESIS, LEDGER_HASH_HEX);
    ph_status st = ph_store_prepare(s,
                                    "SELECT id, hash, first_sub, sub_count FROM journal_entry "
                                    "ORDER BY id DESC LIMIT 1",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK) {
        const char *hash = ph_stmt_column_text(stmt, 1);
        h->id = ph_stmt_column_int64(stmt, 0) + 1;
        h->first_sub = ph_stmt_column_int64(stmt, 2) + ph_stmt_column_int64(stmt, 3);
        snprintf(h->prev, sizeof(h->prev), "%s", hash ? hash : "");
        st = PH_DONE;
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

static void hash_entry(const chain_head *c, const entry_head *h, const char *day,
                       const gl_line *lines, size_t nl, const sub_row *rows, size_t nr,
                       char out[LEDGER_HASH_HEX])
{
    ledger_hasher hs;
    ledger_hash_init(&hs);
    ledger_hash_head(&hs, c->id, day, strlen(day), h->event, strlen(h->event), h->memo,
                     strlen(h->memo), h->reverses, (int64_t)nl);
    for (size_t i = 0; i < nl; i++) {
        const char *code = ledger_account_at(lines[i].account)->code;
        const char *product = lines[i].product ? lines[i].product : "";
        const char *party = lines[i].party ? lines[i].party : "";
        ledger_hash_text(&hs, code, strlen(code));
        ledger_hash_text(&hs, product, strlen(product));
        ledger_hash_text(&hs, party, strlen(party));
        ledger_hash_int(&hs, lines[i].debit);
        ledger_hash_int(&hs, lines[i].credit);
    }
    ledger_hash_int(&hs, c->first_sub);
    ledger_hash_int(&hs, (int64_t)nr);
    for (size_t i = 0; i < nr; i++) {
        const char *code = ledger_account_at(rows[i].account)->code;
        ledger_hash_int(&hs, rows[i].loan_id);
        ledger_hash_text(&hs, code, 4);
        ledger_hash_int(&hs, rows[i].amount > 0 ? rows[i].amount : 0);
        ledger_hash_int(&hs, rows[i].amount < 0 ? -rows[i].amount : 0);
    }
    ledger_hash_text(&hs, c->prev, LEDGER_HASH_HEX - 1);
    ledger_hash_final(&hs, out);
}

static ph_status insert_entry(ph_store *s, const chain_head *c, const entry_head *h,
                              const char *day, size_t nl, size_t nr, const char *hash,
                              ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        s,
        "INSERT INTO journal_entry (id, value_date, event, memo, reverses, line_count, "
        "first_sub, sub_count, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, c->id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, h->event, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 4, h->memo, -1, err);
    if (st == PH_OK)
        st = h->reverses > 0 ? ph_stmt_bind_int64(stmt, 5, h->reverses, err)
                             : ph_stmt_bind_null(stmt, 5, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 6, (int64_t)nl, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 7, c->first_sub, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 8, (int64_t)nr, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 9, c->prev, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 10, hash, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status insert_lines(ph_store *s, int64_t id, const gl_line *lines, size_t nl,
                              ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(s,
                                    "INSERT INTO journal_line (entry_id, line_no, account, "
                                    "product, party, debit, credit) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    &stmt, err);
    for (size_t i = 0; st == PH_OK && i < nl; i++) {
        const gl_line *l = &lines[i];
        st = ph_stmt_bind_int64(stmt, 1, id, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 2, (int64_t)i + 1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text_static(stmt, 3, ledger_account_at(l->account)->code, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 4, l->product ? l->product : "", -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 5, l->party ? l->party : "", -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 6, l->debit, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 7, l->credit, err);
        if (st == PH_OK)
            st = ph_stmt_step(stmt, err);
        if (st == PH_DONE)
            st = PH_OK;
    }
    ph_stmt_free(stmt);
    return st;
}

static ph_status prepare_rows(ph_store *s, size_t count, ph_stmt **out, ph_error *err)
{
    char sql[128 + GROUP * 16];
    size_t used = (size_t)snprintf(sql, sizeof(sql),
                                   "INSERT INTO ledger_subledger (id, entry_id, loan_id, account, "
                                   "debit, credit) VALUES ");
    for (size_t i = 0; i < count; i++)
        used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s(?,?,?,?,?,?)",
                                 i ? "," : "");
    return ph_store_prepare(s, sql, out, err);
}

static ph_status bind_row(ph_stmt *stmt, int base, int64_t row_id, int64_t entry_id,
                          const sub_row *r, ph_error *err)
{
    ph_status st = ph_stmt_bind_int64(stmt, base + 1, row_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, base + 2, entry_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, base + 3, r->loan_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text_static(stmt, base + 4, ledger_account_at(r->account)->code, 4,
                                      err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, base + 5, r->amount > 0 ? r->amount : 0, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, base + 6, r->amount < 0 ? -r->amount : 0, err);
    return st;
}

static ph_status insert_rows(ph_store *s, const chain_head *c, const sub_row *rows, size_t nr,
                             ph_error *err)
{
    ph_stmt *group = NULL, *one = NULL;
    ph_status st = PH_OK;
    size_t i = 0;
    if (nr >= GROUP)
        st = prepare_rows(s, GROUP, &group, err);
    for (; st == PH_OK && i + GROUP <= nr; i += GROUP) {
        for (size_t k = 0; st == PH_OK && k < GROUP; k++)
            st = bind_row(group, (int)k * 6, c->first_sub + (int64_t)(i + k), c->id, &rows[i + k],
                          err);
        if (st == PH_OK)
            st = ph_stmt_step(group, err);
        if (st == PH_DONE)
            st = PH_OK;
    }
    if (st == PH_OK && i < nr)
        st = prepare_rows(s, 1, &one, err);
    for (; st == PH_OK && i < nr; i++) {
        st = bind_row(one, 0, c->first_sub + (int64_t)i, c->id, &rows[i], err);
        if (st == PH_OK)
            st = ph_stmt_step(one, err);
        if (st == PH_DONE)
            st = PH_OK;
    }
    ph_stmt_free(group);
    ph_stmt_free(one);
    return st;
}

static ph_status write_in_transaction(ph_store *s, const entry_head *h, const gl_line *lines,
                                      size_t nl, const sub_row *rows, size_t nr, int64_t *id,
                                      ph_error *err)
{
    char day[PH_DATE_FORMAT_MAX];
    chain_head c;
    ph_status st = ph_date_format(h->value_date, day, sizeof(day), err);
    if (st == PH_OK)
        st = read_head(s, &c, err);
    char hash[LEDGER_HASH_HEX];
    if (st == PH_OK) {
        hash_entry(&c, h, day, lines, nl, rows, nr, hash);
        st = insert_entry(s, &c, h, day, nl, nr, hash, err);
    }
    if (st == PH_OK)
        st = insert_lines(s, c.id, lines, nl, err);
    if (st == PH_OK)
        st = insert_rows(s, &c, rows, nr, err);
    if (st == PH_OK)
        *id = c.id;
    return st;
}

ph_status ledger_write_entry(ph_store *s, const entry_head *h, const gl_line *lines, size_t nl,
                             const sub_row *rows, size_t nr, int64_t *id, ph_error *err)
{
    if (ph_store_in_transaction(s))
        return write_in_transaction(s, h, lines, nl, rows, nr, id, err);
    ph_status st = ph_store_begin(s, err);
    if (st != PH_OK)
        return st;
    int64_t new_id = 0;
    st = write_in_transaction(s, h, lines, nl, rows, nr, &new_id, err);
    if (st == PH_OK)
        st = ph_store_commit(s, err);
    if (st != PH_OK) {
        ph_store_rollback(s, NULL);
        return st;
    }
    *id = new_id;
    return PH_OK;
}
