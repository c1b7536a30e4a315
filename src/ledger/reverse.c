/*
 * A correction is a reversal: a new entry with every general-ledger line and
 * every sub-ledger row of the original, sides swapped, linked to it. The
 * unique index on journal_entry.reverses makes "at most once" the
 * database's rule too, whoever writes.
 */
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"

typedef struct original {
    int64_t id;
    ph_date value_date;
    int64_t reverses;
    int64_t first_sub, sub_count, line_count;
    int64_t reversed_by;
} original;

static ph_status corrupt(ph_error *err, int64_t id, const char *what)
{
    char value[24];
    snprintf(value, sizeof(value), "%lld", (long long)id);
    return ph_error_set(err, PH_ESTORE, "entry", value,
                        "entry %lld cannot be read back: %s (run puhui ledger verify)",
                        (long long)id, what);
}

static ph_status read_original(ph_store *s, int64_t id, original *o, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        s,
        "SELECT e.value_date, e.reverses, e.first_sub, e.sub_count, e.line_count, "
        "(SELECT r.id FROM journal_entry r WHERE r.reverses = e.id) "
        "FROM journal_entry e WHERE e.id = ?",
        &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    char value[24];
    snprintf(value, sizeof(value), "%lld", (long long)id);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "entry", value, "no journal entry has this id");
    if (st == PH_OK) {
        const char *day = ph_stmt_column_text(stmt, 0);
        o->id = id;
        o->reverses = ph_stmt_column_int64(stmt, 1);
        o->first_sub = ph_stmt_column_int64(stmt, 2);
        o->sub_count = ph_stmt_column_int64(stmt, 3);
        o->line_count = ph_stmt_column_int64(stmt, 4);
        o->reversed_by = ph_stmt_column_int64(stmt, 5);
        if (ph_date_parse(day ? day : "", day ? strlen(day) : 0, &o->value_date, NULL) != PH_OK)
            st = corrupt(err, id, "its value_date is not a date");
    }
    ph_stmt_free(stmt);
    return st;
}

/* The original's lines, swapped; texts copied into one block (*texts). */
static ph_status read_lines(ph_store *s, const original *o, gl_line **out, size_t *n,
                            char **texts, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(s);
    size_t cap = o->line_count > 0 ? (size_t)o->line_count : 1;
    gl_line *lines = ph_calloc(ctx, cap, sizeof(*lines));
    char *block = ph_malloc(ctx, cap * 2 * (PH_LEDGER_TEXT_MAX + 1));
    if (lines == NULL || block == NULL) {
        ph_free(ctx, lines);
        ph_free(ctx, block);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for entry %lld's lines",
                            (long long)o->id);
    }
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(s,
                                    "SELECT account, product, party, debit, credit FROM "
                                    "journal_line WHERE entry_id = ? ORDER BY line_no",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, o->id, err);
    size_t count = 0;
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        const char *code = ph_stmt_column_text(stmt, 0);
        const char *product = ph_stmt_column_text(stmt, 1);
        const char *party = ph_stmt_column_text(stmt, 2);
        int account = ledger_account_index(code);
        if (count >= cap || account < 0 || product == NULL || party == NULL ||
            strlen(product) > PH_LEDGER_TEXT_MAX || strlen(party) > PH_LEDGER_TEXT_MAX) {
            st = corrupt(err, o->id, "its lines do not match its line count or the chart");
            break;
        }
        char *p = block + count * 2 * (PH_LEDGER_TEXT_MAX + 1);
        char *q = p + PH_LEDGER_TEXT_MAX + 1;
        snprintf(p, PH_LEDGER_TEXT_MAX + 1, "%s", product);
        snprintf(q, PH_LEDGER_TEXT_MAX + 1, "%s", party);
        lines[count++] = (gl_line){account, p, q, ph_stmt_column_int64(stmt, 4),
                                   ph_stmt_column_int64(stmt, 3)};
    }
    ph_stmt_free(stmt);
    if (st == PH_DONE && count != cap)
        st = corrupt(err, o->id, "its lines do not match its line count");
    if (st != PH_DONE) {
        ph_free(ctx, lines);
        ph_free(ctx, block);
        return st;
    }
    *out = lines;
    *n = count;
    *texts = block;
    return PH_OK;
}

static ph_status read_rows(ph_store *s, const original *o, sub_row **out, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(s);
    size_t n = (size_t)o->sub_count;
    sub_row *rows = ph_malloc(ctx, (n ? n : 1) * sizeof(*rows));
    if (rows == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL,
                            "out of memory for entry %lld's %zu sub-ledger rows",
                            (long long)o->id, n);
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(s,
                                    "SELECT loan_id, account, debit, credit FROM ledger_subledger "
                                    "WHERE id >= ? AND id < ? ORDER BY id",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, o->first_sub, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, o->first_sub + o->sub_count, err);
    size_t count = 0;
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        int account = ledger_account_index(ph_stmt_column_text(stmt, 1));
        if (count >= n || account < 0) {
            st = corrupt(err, o->id, "its sub-ledger rows do not match the chart");
            break;
        }
        /* swapped: a debit becomes a credit */
        int64_t debit = ph_stmt_column_int64(stmt, 2), credit = ph_stmt_column_int64(stmt, 3);
        rows[count++] = (sub_row){ph_stmt_column_int64(stmt, 0), debit > 0 ? -debit : credit,
                                  account};
    }
    ph_stmt_free(stmt);
    if (st == PH_DONE && count != n)
        st = corrupt(err, o->id, "sub-ledger rows are missing");
    if (st != PH_DONE) {
        ph_free(ctx, rows);
        return st;
    }
    *out = rows;
    return PH_OK;
}

static ph_status check_reversible(const original *o, ph_date value_date, ph_error *err)
{
    char value[24];
    snprintf(value, sizeof(value), "%lld", (long long)o->id);
    if (o->reverses > 0)
        return ph_error_set(err, PH_EINVAL, "entry", value,
                            "entry %lld is itself the reversal of entry %lld: a reversal is "
                            "never reversed (post the correct entry again instead)",
                            (long long)o->id, (long long)o->reverses);
    if (o->reversed_by > 0)
        return ph_error_set(err, PH_EEXISTS, "entry", value,
                            "entry %lld was reversed already, by entry %lld: an entry is "
                            "reversed at most once",
                            (long long)o->id, (long long)o->reversed_by);
    if (value_date < o->value_date) {
        char day[PH_DATE_FORMAT_MAX], orig[PH_DATE_FORMAT_MAX];
        ph_date_format(value_date, day, sizeof(day), NULL);
        ph_date_format(o->value_date, orig, sizeof(orig), NULL);
        return ph_error_set(err, PH_EINVAL, "value_date", day,
                            "a reversal cannot be dated before the entry it reverses (entry "
                            "%lld is dated %s)",
                            (long long)o->id, orig);
    }
    return PH_OK;
}

static ph_status reverse_in(ph_store *s, int64_t entry_id, ph_date value_date,
                            const char *reason, int64_t *reversal_id, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(s);
    original o;
    gl_line *lines = NULL;
    sub_row *rows = NULL;
    char *texts = NULL;
    size_t nl = 0;
    ph_status st = read_original(s, entry_id, &o, err);
    if (st == PH_OK)
        st = check_reversible(&o, value_date, err);
    if (st == PH_OK)
        st = read_lines(s, &o, &lines, &nl, &texts, err);
    if (st == PH_OK)
        st = read_rows(s, &o, &rows, err);
    if (st == PH_OK) {
        entry_head h = {value_date, "reverse", reason, entry_id};
        st = ledger_write_entry(s, &h, lines, nl, rows, (size_t)o.sub_count, reversal_id, err);
    }
    ph_free(ctx, lines);
    ph_free(ctx, texts);
    ph_free(ctx, rows);
    return st;
}

ph_status ph_ledger_reverse(ph_store *s, int64_t entry_id, ph_date value_date, const char *reason,
                            int64_t *reversal_id, ph_error *err)
{
    if (s == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_ledger_reverse: store must not be NULL");
    if (reason == NULL || reason[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "reason", "",
                            "a reversal needs its reason (it becomes the entry's memo)");
    ph_status st = ledger_check_date(value_date, "value_date", err);
    if (st == PH_OK)
        st = ledger_require_schema(s, err);
    if (st != PH_OK)
        return st;
    /* the checks read what the write relies on: one transaction for both */
    int own = !ph_store_in_transaction(s);
    if (own && (st = ph_store_begin(s, err)) != PH_OK)
        return st;
    int64_t id = 0;
    st = reverse_in(s, entry_id, value_date, reason, &id, err);
    if (own && st == PH_OK)
        st = ph_store_commit(s, err);
    if (own && st != PH_OK)
        ph_store_rollback(s, NULL);
    if (st == PH_OK && reversal_id != NULL)
        *reversal_id = id;
    return st;
}
