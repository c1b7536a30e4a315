/*
 * The vouchers' events and their evidence (voucher.h, evidence.h); the proof,
 * which replays them against the parts' rows, is replay.c.
 *
 * An event's leaf in the evidence log is a pure function of its stored row
 * (ph_voucher_event_leaf), so anyone with the database and the log can
 * recompute it: an event row changed after it was logged - even by someone
 * who dropped the append-only triggers - gives other bytes, another leaf
 * hash, and its inclusion proof against the signed checkpoint fails.
 *
 * Order of writes (evidence.h): the leaf is appended to the log, its index
 * stored in the event row, the log committed, then the store. The log may
 * therefore hold a leaf the store rolled back, never the other way round.
 * The event's seq is taken before the insert (max + 1 inside the write
 * transaction) because the leaf covers it and the row is never updated.
 */
#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"
#include "voucher/voucher_internal.h"

ph_status ph_voucher_event_leaf(const ph_ctx *ctx, const ph_voucher_event *e, char **out,
                                size_t *len, ph_error *err)
{
    if (e == NULL || out == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_event_leaf: NULL argument");
    char type[40], id[PH_VOUCHER_ID_MAX * 2 + 8], actor[PH_VOUCHER_PARTY_MAX * 6],
        counterparty[PH_VOUCHER_PARTY_MAX * 6], day[PH_DATE_FORMAT_MAX],
        amount[PH_MONEY_FORMAT_MAX];
    pjson_escape_into(type, sizeof(type), e->type);
    pjson_escape_into(id, sizeof(id), e->voucher_id);
    pjson_escape_into(actor, sizeof(actor), e->actor);
    pjson_escape_into(counterparty, sizeof(counterparty), e->counterparty);
    voucher_day(e->on, day);
    voucher_yuan(e->amount, 0, amount);
    const char *detail = e->detail != NULL && e->detail[0] != '\0' ? e->detail : "{}";
    static const char FORMAT[] = "{\"type\":\"voucher.%s\",\"seq\":%lld,\"id\":\"%s\","
                                 "\"on\":\"%s\",\"actor\":\"%s\",\"counterparty\":\"%s\","
                                 "\"amount\":\"%s\",\"detail\":%s}";
    int n = snprintf(NULL, 0, FORMAT, type, (long long)e->seq, id, day, actor, counterparty,
                     amount, detail);
    char *buf = n >= 0 ? ph_malloc(ctx, (size_t)n + 1) : NULL;
    if (buf == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    snprintf(buf, (size_t)n + 1, FORMAT, type, (long long)e->seq, id, day, actor, counterparty,
             amount, detail);
    *out = buf;
    *len = (size_t)n;
    return PH_OK;
}

ph_status voucher_event_add(voucher_tx *t, const char *voucher_id, const char *type, ph_date on,
                            const char *actor, const char *counterparty, ph_money amount,
                            const char *detail, ph_error *err)
{
    ph_voucher_event e;
    memset(&e, 0, sizeof(e));
    snprintf(e.voucher_id, sizeof(e.voucher_id), "%s", voucher_id);
    snprintf(e.type, sizeof(e.type), "%s", type);
    snprintf(e.actor, sizeof(e.actor), "%s", actor);
    snprintf(e.counterparty, sizeof(e.counterparty), "%s", counterparty);
    e.on = on;
    e.amount = amount;
    e.detail = detail;
    e.leaf_index = -1;
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(t->store,
                                    "SELECT coalesce(max(seq), 0) + 1 FROM voucher_event", &s,
                                    err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK)
        e.seq = ph_stmt_column_int64(s, 0);
    ph_stmt_free(s);
    if (st == PH_OK && t->log != NULL) {
        char *leaf = NULL;
        size_t len = 0;
        uint64_t index = 0;
        st = ph_voucher_event_leaf(t->ctx, &e, &leaf, &len, err);
        if (st == PH_OK)
            st = ph_evidence_append(t->log, leaf, len, &index, err);
        ph_free(t->ctx, leaf);
        if (st == PH_OK)
            e.leaf_index = (int64_t)index;
    }
    char day[PH_DATE_FORMAT_MAX];
    if (st == PH_OK)
        st = ph_store_prepare(t->store,
                              "INSERT INTO voucher_event (seq, voucher_id, type, day, actor, "
                              "counterparty, amount, detail, leaf_index) VALUES (?, ?, ?, ?, ?, "
                              "?, ?, ?, ?)",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, e.seq, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, e.voucher_id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, e.type, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, voucher_day(on, day), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 5, e.actor, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 6, e.counterparty, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 7, amount, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 8, detail, -1, err);
    if (st == PH_OK)
        st = e.leaf_index >= 0 ? ph_stmt_bind_int64(s, 9, e.leaf_index, err)
                               : ph_stmt_bind_null(s, 9, err);
    if (st == PH_OK) {
        st = ph_stmt_step(s, err);
        if (st == PH_DONE)
            st = PH_OK;
        else if (st == PH_OK)
            st = ph_error_set(err, PH_ESTORE, NULL, NULL, "insert returned a row");
    }
    ph_stmt_free(s);
    return st;
}

/* ---- reading events ---------------------------------------------------------------------- */

ph_status ph_voucher_events(ph_store *store, const char *id, ph_voucher_event_fn fn, void *user,
                            ph_error *err)
{
    if (store == NULL || id == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_events: NULL argument");
    ph_voucher v;
    ph_status st = voucher_require(store, err);
    if (st == PH_OK)
        st = voucher_read(store, id, &v, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT e.seq, e.voucher_id, e.type, e.day, e.actor, "
                              "e.counterparty, e.amount, e.detail, e.leaf_index "
                              "FROM voucher_event e JOIN voucher v ON v.id = e.voucher_id "
                              "WHERE v.root_id = ? ORDER BY e.seq",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, v.root_id, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_voucher_event e;
        memset(&e, 0, sizeof(e));
        e.seq = ph_stmt_column_int64(s, 0);
        const char *t;
        snprintf(e.voucher_id, sizeof(e.voucher_id), "%s",
                 (t = ph_stmt_column_text(s, 1)) ? t : "");
        snprintf(e.type, sizeof(e.type), "%s", (t = ph_stmt_column_text(s, 2)) ? t : "");
        t = ph_stmt_column_text(s, 3);
        if (t == NULL || ph_date_parse(t, strlen(t), &e.on, NULL) != PH_OK)
            e.on = 0;
        snprintf(e.actor, sizeof(e.actor), "%s", (t = ph_stmt_column_text(s, 4)) ? t : "");
        snprintf(e.counterparty, sizeof(e.counterparty), "%s",
                 (t = ph_stmt_column_text(s, 5)) ? t : "");
        e.amount = ph_stmt_column_int64(s, 6);
        e.leaf_index = ph_stmt_column_is_null(s, 8) ? -1 : ph_stmt_column_int64(s, 8);
        e.detail = ph_stmt_column_text(s, 7);
        st = fn(user, &e, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
