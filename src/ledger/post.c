/*
 * One balanced entry from the caller's lines (ph_ledger_post): every check
 * first, then the summary by (account, product, party), then one write.
 */
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"

static int same_key(const gl_line *a, const gl_line *b)
{
    return a->account == b->account && strcmp(a->product, b->product) == 0 &&
           strcmp(a->party, b->party) == 0;
}

/* Sum lines of the same (account, product, party), in sorted order; *n
 * becomes the number of summary lines. */
static ph_status summarise(gl_line *lines, size_t *n, ph_error *err)
{
    ledger_sort_lines(lines, *n);
    size_t out = 0;
    for (size_t i = 0; i < *n; i++) {
        if (out > 0 && same_key(&lines[out - 1], &lines[i])) {
            ph_status st = ledger_add(lines[out - 1].debit, lines[i].debit, &lines[out - 1].debit,
                                      "debit", err);
            if (st == PH_OK)
                st = ledger_add(lines[out - 1].credit, lines[i].credit, &lines[out - 1].credit,
                                "credit", err);
            if (st != PH_OK)
                return st;
            continue;
        }
        lines[out++] = lines[i];
    }
    *n = out;
    return PH_OK;
}

static ph_status unbalanced(ph_money debits, ph_money credits, ph_error *err)
{
    char value[64];
    snprintf(value, sizeof(value), "%lld/%lld", (long long)debits, (long long)credits);
    return ph_error_set(err, PH_EINVAL, "lines", value,
                        "an entry must balance: its debits (%lld fen) and credits (%lld fen) "
                        "differ by %lld fen",
                        (long long)debits, (long long)credits, (long long)(debits - credits));
}

ph_status ledger_check_balance(ph_money debits, ph_money credits, ph_error *err)
{
    return debits == credits ? PH_OK : unbalanced(debits, credits, err);
}

ph_status ph_ledger_post(ph_store *s, ph_date value_date, const char *event, const char *memo,
                         const ph_ledger_line *lines, size_t n, int64_t *entry_id, ph_error *err)
{
    if (s == NULL || event == NULL || (lines == NULL && n > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_post: store, event and lines must not be NULL");
    if (n == 0)
        return ph_error_set(err, PH_EINVAL, "lines", "0",
                            "an entry needs at least two lines that balance");
    ph_status st = ledger_check_event(event, err);
    if (st == PH_OK)
        st = ledger_check_date(value_date, "value_date", err);
    if (st == PH_OK)
        st = ledger_require_schema(s, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(s);
    gl_line *gl = ph_malloc(ctx, n * sizeof(*gl));
    sub_row *rows = ph_malloc(ctx, n * sizeof(*rows));
    if (gl == NULL || rows == NULL) {
        ph_free(ctx, gl);
        ph_free(ctx, rows);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for %zu lines", n);
    }
    size_t nr = 0;
    ph_money debits = 0, credits = 0;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        const ph_ledger_line *l = &lines[i];
        int account = -1;
        st = ledger_check_line(l, i, &account, err);
        if (st == PH_OK)
            st = ledger_add(debits, l->debit, &debits, "debit", err);
        if (st == PH_OK)
            st = ledger_add(credits, l->credit, &credits, "credit", err);
        if (st != PH_OK)
            break;
        gl[i] = (gl_line){account, l->product ? l->product : "", l->party ? l->party : "",
                          l->debit, l->credit};
        if (ledger_account_at(account)->loan_level)
            rows[nr++] = (sub_row){l->loan_id, l->debit > 0 ? l->debit : -l->credit, account};
    }
    if (st == PH_OK)
        st = ledger_check_balance(debits, credits, err);
    size_t nl = n;
    if (st == PH_OK)
        st = summarise(gl, &nl, err);
    if (st == PH_OK) {
        entry_head h = {value_date, event, memo ? memo : "", 0};
        int64_t id = 0;
        st = ledger_write_entry(s, &h, gl, nl, rows, nr, &id, err);
        if (st == PH_OK && entry_id != NULL)
            *entry_id = id;
    }
    ph_free(ctx, gl);
    ph_free(ctx, rows);
    return st;
}
