/*
 * Reading vouchers (voucher.h): one part, lists, the lineage tree, and the
 * late settlements the early warning reads.
 */
#include <stdio.h>
#include <string.h>

#include "voucher/voucher_internal.h"

ph_status ph_voucher_get(ph_store *store, const char *id, ph_voucher *out, ph_error *err)
{
    if (store == NULL || id == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_get: NULL argument");
    ph_status st = voucher_require(store, err);
    return st == PH_OK ? voucher_read(store, id, out, err) : st;
}

static ph_status bind_opt(ph_stmt *s, int i, const char *v, ph_error *err)
{
    ph_status st = v ? ph_stmt_bind_text(s, i, v, -1, err) : ph_stmt_bind_null(s, i, err);
    if (st == PH_OK)
        st = v ? ph_stmt_bind_text(s, i + 1, v, -1, err) : ph_stmt_bind_null(s, i + 1, err);
    return st;
}

ph_status ph_voucher_list(ph_store *store, const ph_voucher_filter *filter, ph_voucher_fn fn,
                          void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_list: NULL argument");
    ph_voucher_filter none = {0};
    const ph_voucher_filter *f = filter ? filter : &none;
    ph_stmt *s = NULL;
    ph_status st = voucher_require(store, err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              VOUCHER_SELECT
                              "WHERE (? IS NULL OR v.holder_uscc = ?) "
                              "AND (? IS NULL OR v.issuer_uscc = ?) "
                              "AND (? IS NULL OR v.root_id = ?) "
                              "AND (? = 0 OR v.status IN ('held', 'financed', 'settled')) "
                              "AND (? IS NULL OR f.lender = ?) "
                              "AND (? IS NULL OR v.seq > (SELECT a.seq FROM voucher a "
                              "WHERE a.id = ?)) "
                              "ORDER BY v.seq",
                              &s, err);
    if (st == PH_OK)
        st = bind_opt(s, 1, f->holder, err);
    if (st == PH_OK)
        st = bind_opt(s, 3, f->issuer, err);
    if (st == PH_OK)
        st = bind_opt(s, 5, f->root, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 7, f->current_only ? 1 : 0, err);
    if (st == PH_OK)
        st = bind_opt(s, 8, f->lender, err);
    if (st == PH_OK)
        st = bind_opt(s, 10, f->after, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_voucher v;
        st = voucher_row(s, &v, err);
        if (st == PH_OK)
            st = fn(user, &v, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* ---- lineage --------------------------------------------------------------------------------- */

typedef struct tree {
    const ph_ctx *ctx;
    ph_voucher *parts;
    size_t n, cap;
} tree;

static ph_status collect(void *user, const ph_voucher *v, ph_error *err)
{
    tree *t = user;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        ph_voucher *grown = ph_realloc(t->ctx, t->parts, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        t->parts = grown;
        t->cap = cap;
    }
    t->parts[t->n++] = *v;
    return PH_OK;
}

/* Depth first from part i; children in seq order (the order they were read).
 * The depth is bounded: a split keeps the tier, so a chain of splits is as
 * long as the parts allow, and recursion follows the tree's height. */
static ph_status walk(const tree *t, size_t i, int depth, ph_voucher_tree_fn fn, void *user,
                      ph_error *err)
{
    ph_status st = fn(user, &t->parts[i], depth, err);
    for (size_t j = i + 1; st == PH_OK && j < t->n; j++)
        if (strcmp(t->parts[j].parent_id, t->parts[i].id) == 0)
            st = walk(t, j, depth + 1, fn, user, err);
    return st;
}

ph_status ph_voucher_lineage(ph_store *store, const char *id, ph_voucher_tree_fn fn, void *user,
                             ph_error *err)
{
    if (store == NULL || id == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_lineage: NULL argument");
    ph_voucher v;
    ph_status st = ph_voucher_get(store, id, &v, err);
    tree t = {.ctx = ph_store_ctx(store)};
    ph_voucher_filter f = {.root = v.root_id};
    if (st == PH_OK)
        st = ph_voucher_list(store, &f, collect, &t, err);
    /* parts are read in seq order, and a child is always made after its
     * parent, so the root is first and every child follows its parent */
    if (st == PH_OK && (t.n == 0 || t.parts[0].parent_id[0] != '\0'))
        st = ph_error_set(err, PH_ESTORE, "voucher", v.root_id, "the tree has no root");
    if (st == PH_OK)
        st = walk(&t, 0, 0, fn, user, err);
    ph_free(t.ctx, t.parts);
    return st;
}

/* ---- late settlements ------------------------------------------------------------------------ */

ph_status ph_voucher_late_settlements(ph_store *store, ph_date from, ph_date to,
                                      ph_voucher_settlement_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_voucher_late_settlements: NULL argument");
    char d1[PH_DATE_FORMAT_MAX], d2[PH_DATE_FORMAT_MAX];
    if (to < from)
        return ph_error_set(err, PH_EINVAL, "to", voucher_day(to, d2),
                            "expected a date on or after %s", voucher_day(from, d1));
    ph_stmt *s = NULL;
    ph_status st = voucher_require(store, err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT voucher_id, issuer_uscc, paid_to, maturity, day, days_late, "
                              "amount FROM voucher_settlement WHERE day >= ? AND day <= ? AND "
                              "days_late > 0 ORDER BY day, voucher_id",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, voucher_day(from, d1), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, voucher_day(to, d2), -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_voucher_settlement r;
        memset(&r, 0, sizeof(r));
        const char *t;
        snprintf(r.voucher_id, sizeof(r.voucher_id), "%s",
                 (t = ph_stmt_column_text(s, 0)) ? t : "");
        snprintf(r.issuer, sizeof(r.issuer), "%s", (t = ph_stmt_column_text(s, 1)) ? t : "");
        snprintf(r.paid_to, sizeof(r.paid_to), "%s", (t = ph_stmt_column_text(s, 2)) ? t : "");
        t = ph_stmt_column_text(s, 3);
        if (t != NULL)
            (void)ph_date_parse(t, strlen(t), &r.maturity, NULL);
        t = ph_stmt_column_text(s, 4);
        if (t != NULL)
            (void)ph_date_parse(t, strlen(t), &r.on, NULL);
        r.days_late = ph_stmt_column_int64(s, 5);
        r.amount = ph_stmt_column_int64(s, 6);
        st = fn(user, &r, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
