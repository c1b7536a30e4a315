/*
 * Warehouse receipts: registry, pledges, valuation and margin calls
 * (include/puhui/receipt.h, docs/supply_chain.md). The IoT check is
 * receipt_iot.c.
 *
 * Why the store, not only this code, refuses a double pledge: two lenders
 * pledging the same goods at the same moment would both pass a check made
 * before the insert. The partial unique index receipt_pledge_one_live
 * (receipt_id WHERE status = 'live') makes the second insert fail whatever
 * the code does; this file only turns that failure into words naming the
 * live pledge. The registry's UNIQUE (warehouse_id, lot) does the same for
 * registering the same lot twice.
 *
 * Valuation is exact: gross = quantity_kg x price in fen per kg (exact),
 * value = gross x haircut rounded half-up to the fen once, LTV = exposure /
 * value as a ph_rate rounded half-up; the thresholds compare ph_rates.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_internal.h"
#include "trade_internal.h"

static ph_status need(ph_store *store, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "receipt: NULL store");
    return ph_store_require_schema(store, TRADE_SCHEMA, "warehouse receipts", err);
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* ---- register ------------------------------------------------------------------------------- */

ph_status ph_receipt_register(ph_store *store, const char *warehouse_id, const char *lot,
                              ph_date on, ph_evidence_log *log, char id[PH_RECEIPT_ID_MAX],
                              ph_error *err)
{
    if (warehouse_id == NULL || lot == NULL || id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_receipt_register: NULL argument");
    ph_status st = need(store, err);
    if (st != PH_OK)
        return st;
    char owner[32] = "", commodity[32] = "", stored[16] = "", removed[16] = "";
    char day[PH_DATE_FORMAT_MAX];
    int64_t qty = 0, fence = 0, lat = 0, lon = 0;
    trade_day(on, day);
    ph_stmt *s = NULL;
    st = ph_store_prepare(store,
                          "SELECT owner_uscc, commodity, quantity_kg, stored_on, lat, lon, "
                          "geofence_m, removed_on FROM feed_warehouse_lots WHERE warehouse_id = ? AND lot = ?",
                          &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, warehouse_id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, lot, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "lot", lot,
                          "expected a lot of warehouse %s in the warehouse feed "
                          "(feed_warehouse_lots)",
                          warehouse_id);
    if (st == PH_OK) {
        copy(owner, sizeof(owner), ph_stmt_column_text(s, 0));
        copy(commodity, sizeof(commodity), ph_stmt_column_text(s, 1));
        qty = ph_stmt_column_int64(s, 2);
        copy(stored, sizeof(stored), ph_stmt_column_text(s, 3));
        lat = llround(ph_stmt_column_double(s, 4) * 1e6);
        lon = llround(ph_stmt_column_double(s, 5) * 1e6);
        fence = ph_stmt_column_int64(s, 6);
        copy(removed, sizeof(removed), ph_stmt_column_text(s, 7));
    }
    ph_stmt_free(s);
    if (st != PH_OK)
        return st;
    ph_date stored_on = 0;
    if (ph_date_parse(stored, strlen(stored), &stored_on, NULL) != PH_OK || on < stored_on)
        return ph_error_set(err, PH_EINVAL, "on", day,
                            "expected the day the goods were stored (%s) or later", stored);
    /* goods that have left the warehouse cannot back a receipt */
    ph_date removed_on = 0;
    if (removed[0] != '\0' &&
        (ph_date_parse(removed, strlen(removed), &removed_on, NULL) != PH_OK || on >= removed_on))
        return ph_error_set(err, PH_EINVAL, "lot", lot,
                            "lot %s left warehouse %s on %s: expected goods still stored on %s",
                            lot, warehouse_id, removed, day);
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    int64_t next = 0;
    st = ph_store_prepare(store,
                          "SELECT COALESCE(MAX(CAST(substr(id, 2) AS INTEGER)), 0) + 1 FROM receipt",
                          &s, err);
    if (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK)
        next = ph_stmt_column_int64(s, 0);
    ph_stmt_free(s);
    char rid[PH_RECEIPT_ID_MAX];
    snprintf(rid, sizeof(rid), "R%06lld", (long long)next);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "INSERT INTO receipt (id, warehouse_id, lot, owner_uscc, commodity, "
                              "quantity_kg, stored_on, lat_e6, lon_e6, geofence_m, registered_on) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              &s, err);
    if (st == PH_OK) {
        const char *text[] = {rid, warehouse_id, lot, owner, commodity};
        for (int i = 0; st == PH_OK && i < 5; i++)
            st = ph_stmt_bind_text(s, i + 1, text[i], -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 6, qty, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 7, stored, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 8, lat, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 9, lon, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 10, fence, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 11, day, -1, err);
        if (st == PH_OK)
            st = ph_stmt_step(s, err);
        ph_stmt_free(s);
        if (st == PH_DONE)
            st = PH_OK;
    }
    if (st == PH_EEXISTS) {
        char have[PH_RECEIPT_ID_MAX] = "?";
        ph_stmt *q = NULL;
        if (ph_store_prepare(store, "SELECT id FROM receipt WHERE warehouse_id = ? AND lot = ?",
                             &q, NULL) == PH_OK &&
            ph_stmt_bind_text(q, 1, warehouse_id, -1, NULL) == PH_OK &&
            ph_stmt_bind_text(q, 2, lot, -1, NULL) == PH_OK && ph_stmt_step(q, NULL) == PH_OK)
            copy(have, sizeof(have), ph_stmt_column_text(q, 0));
        ph_stmt_free(q);
        st = ph_error_set(err, PH_EEXISTS, "lot", lot,
                          "expected goods not yet registered: lot %s of warehouse %s is receipt "
                          "%s already",
                          lot, warehouse_id, have);
    } else if (st == PH_EINVAL && err != NULL && strstr(err->message, "FOREIGN KEY") != NULL) {
        st = ph_error_set(err, PH_EINVAL, "commodity", commodity,
                          "expected a commodity of table receipt_commodity");
    }
    if (st == PH_OK) {
        /* everything the receipt row holds, so that a proof can compare it */
        char detail[768], w[200], l[200], c[100];
        pjson_escape_into(w, sizeof(w), warehouse_id);
        pjson_escape_into(l, sizeof(l), lot);
        pjson_escape_into(c, sizeof(c), commodity);
        snprintf(detail, sizeof(detail),
                 "{\"warehouse_id\":\"%s\",\"lot\":\"%s\",\"commodity\":\"%s\","
                 "\"quantity_kg\":%lld,\"stored_on\":\"%s\",\"lat_e6\":%lld,\"lon_e6\":%lld,"
                 "\"geofence_m\":%lld}",
                 w, l, c, (long long)qty, stored, (long long)lat, (long long)lon,
                 (long long)fence);
        trade_event e = {rid, "register", on, "platform", owner, 0, detail, 0};
        st = trade_event_write(store, log, "receipt_event", "receipt", &e, err);
    }
    st = trade_finish(store, log, st, err);
    if (st == PH_OK)
        memcpy(id, rid, sizeof(rid));
    return st;
}

/* ---- reading a receipt ---------------------------------------------------------------------- */

typedef struct receipt_row {
    char id[PH_RECEIPT_ID_MAX];
    char owner[32], commodity[32];
    char warehouse_id[64], lot[64], registered_on[16];
    int64_t quantity_kg;
    ph_rate haircut;
    int pledged;
    int64_t pledge_id;
    char lender[256];
    ph_money exposure;
    char pledged_on[16];
} receipt_row;

static ph_status receipt_read(ph_store *store, const char *id, receipt_row *r, ph_error *err)
{
    memset(r, 0, sizeof(*r));
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT r.id, r.owner_uscc, r.commodity, r.quantity_kg, c.haircut, p.id, p.lender, "
        "p.exposure, p.pledged_on, r.warehouse_id, r.lot, r.registered_on FROM receipt r "
        "JOIN receipt_commodity c ON c.commodity = "
        "r.commodity LEFT JOIN receipt_pledge p ON p.receipt_id = r.id AND p.status = 'live' "
        "WHERE r.id = ?",
        &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "receipt", id, "expected a registered receipt");
    if (st == PH_OK) {
        copy(r->id, sizeof(r->id), ph_stmt_column_text(s, 0));
        copy(r->owner, sizeof(r->owner), ph_stmt_column_text(s, 1));
        copy(r->commodity, sizeof(r->commodity), ph_stmt_column_text(s, 2));
        r->quantity_kg = ph_stmt_column_int64(s, 3);
        r->haircut = ph_stmt_column_int64(s, 4);
        copy(r->warehouse_id, sizeof(r->warehouse_id), ph_stmt_column_text(s, 9));
        copy(r->lot, sizeof(r->lot), ph_stmt_column_text(s, 10));
        copy(r->registered_on, sizeof(r->registered_on), ph_stmt_column_text(s, 11));
        if (!ph_stmt_column_is_null(s, 5)) {
            r->pledged = 1;
            r->pledge_id = ph_stmt_column_int64(s, 5);
            copy(r->lender, sizeof(r->lender), ph_stmt_column_text(s, 6));
            r->exposure = ph_stmt_column_int64(s, 7);
            copy(r->pledged_on, sizeof(r->pledged_on), ph_stmt_column_text(s, 8));
        }
    }
    ph_stmt_free(s);
    return st;
}

/* The trade schema, then receipt id into r: what every operation on one
 * receipt reads first. */
static ph_status need_receipt(ph_store *store, const char *id, receipt_row *r, ph_error *err)
{
    ph_status st = need(store, err);
    if (st == PH_OK)
        st = receipt_read(store, id, r, err);
    return st;
}

/* ---- pledge and release --------------------------------------------------------------------- */

static ph_status value_of(ph_store *store, const receipt_row *r, ph_date on,
                          ph_receipt_value *v, ph_error *err);

/* A pledge starts at or below the margin-call LTV: a loan already past it
 * on the day it is made would be called at once. */
static ph_status check_pledge_ltv(ph_store *store, const receipt_row *r, ph_money exposure,
                                  ph_date on, ph_error *err)
{
    ph_rate call = 0;
    ph_receipt_value v;
    ph_money most = 0;
    ph_status st = trade_limit_get(store, "receipt_margin_call", &call, err);
    if (st == PH_OK)
        st = value_of(store, r, on, &v, err);
    if (st == PH_OK)
        st = ph_money_muldiv(v.value, call, PH_RATE_ONE, PH_ROUND_DOWN, &most, err);
    if (st != PH_OK || exposure <= most)
        return st;
    char m[PH_MONEY_FORMAT_MAX], cap[PH_MONEY_FORMAT_MAX], value[PH_MONEY_FORMAT_MAX];
    char pct[PH_RATE_FORMAT_MAX], day[PH_DATE_FORMAT_MAX];
    trade_money(exposure, m);
    trade_money(most, cap);
    trade_money(v.value, value);
    trade_percent(call, pct);
    trade_day(on, day);
    return ph_error_set(err, PH_EINVAL, "amount", m,
                        "expected an exposure of at most %s yuan: the margin-call LTV %s of "
                        "the receipt's value %s yuan on %s (quantity x price x haircut)",
                        cap, pct, value, day);
}

/* The goods must still back the receipt on the day of a pledge: not before
 * the receipt was registered, and not on or after the day the lot left the
 * warehouse (feed_warehouse_lots.removed_on, when the feed says so). */
static ph_status check_pledge_day(ph_store *store, const receipt_row *r, ph_date on,
                                  ph_error *err)
{
    char day[PH_DATE_FORMAT_MAX];
    trade_day(on, day);
    if (strcmp(day, r->registered_on) < 0)
        return ph_error_set(err, PH_EINVAL, "on", day,
                            "expected the receipt's registration day %s or later: receipt %s "
                            "did not exist on %s",
                            r->registered_on, r->id, day);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT removed_on FROM feed_warehouse_lots WHERE "
                                    "warehouse_id = ? AND lot = ? AND removed_on IS NOT NULL "
                                    "AND removed_on <= ?",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, r->warehouse_id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, r->lot, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK) {
        char removed[16];
        copy(removed, sizeof(removed), ph_stmt_column_text(s, 0));
        st = ph_error_set(err, PH_EINVAL, "receipt", r->id,
                          "lot %s left warehouse %s on %s: expected goods still stored on %s "
                          "to pledge receipt %s",
                          r->lot, r->warehouse_id, removed, day, r->id);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_receipt_pledge(ph_store *store, const char *id, const char *lender,
                            ph_money exposure, ph_date on, ph_evidence_log *log,
                            int64_t *pledge_id, ph_error *err)
{
    if (id == NULL || lender == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_receipt_pledge: NULL argument");
    receipt_row r;
    ph_status st = need_receipt(store, id, &r, err);
    if (st == PH_OK)
        st = trade_check_lender(store, "lender", lender, err);
    if (st != PH_OK)
        return st;
    char m[PH_MONEY_FORMAT_MAX], day[PH_DATE_FORMAT_MAX];
    trade_money(exposure, m);
    trade_day(on, day);
    if (exposure <= 0)
        return ph_error_set(err, PH_EINVAL, "amount", m, "expected an exposure of more than 0");
    st = check_pledge_day(store, &r, on, err);
    if (st == PH_OK)
        st = check_pledge_ltv(store, &r, exposure, on, err);
    if (st != PH_OK)
        return st;
    /* No check for a live pledge here: the store refuses it (see the top). */
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *s = NULL;
    int64_t pid = 0;
    st = ph_store_prepare(store,
                          "INSERT INTO receipt_pledge (receipt_id, lender, exposure, pledged_on) "
                          "VALUES (?, ?, ?, ?) RETURNING id",
                          &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 3, exposure, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(s, &pid, err);
    ph_stmt_free(s);
    if (st == PH_EEXISTS) {
        ph_store_rollback(store, NULL);
        receipt_row live;
        char e2[PH_MONEY_FORMAT_MAX] = "?";
        if (receipt_read(store, id, &live, NULL) == PH_OK && live.pledged)
            trade_money(live.exposure, e2);
        else
            snprintf(live.lender, sizeof(live.lender), "?");
        return ph_error_set(err, PH_EEXISTS, "receipt", id,
                            "expected a receipt without a live pledge: it is pledged to %s "
                            "(pledge %lld, %s yuan, since %s); release it first",
                            live.lender, (long long)live.pledge_id, e2, live.pledged_on);
    }
    if (st == PH_OK) {
        char detail[64];
        snprintf(detail, sizeof(detail), "{\"pledge\":%lld}", (long long)pid);
        trade_event e = {id, "pledge", on, lender, r.owner, exposure, detail, 0};
        st = trade_event_write(store, log, "receipt_event", "receipt", &e, err);
    }
    st = trade_finish(store, log, st, err);
    if (st == PH_OK && pledge_id != NULL)
        *pledge_id = pid;
    return st;
}

ph_status ph_receipt_release(ph_store *store, const char *id, ph_date on, ph_evidence_log *log,
                             ph_error *err)
{
    if (id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_receipt_release: NULL argument");
    receipt_row r;
    ph_status st = need_receipt(store, id, &r, err);
    if (st != PH_OK)
        return st;
    if (!r.pledged)
        return ph_error_set(err, PH_EINVAL, "receipt", id,
                            "expected a receipt with a live pledge to release");
    char day[PH_DATE_FORMAT_MAX];
    trade_day(on, day);
    if (strcmp(day, r.pledged_on) < 0)
        return ph_error_set(err, PH_EINVAL, "on", day, "expected the pledge's day %s or later",
                            r.pledged_on);
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *s = NULL;
    st = ph_store_prepare(store,
                          "UPDATE receipt_pledge SET status = 'released', released_on = ? "
                          "WHERE id = ? AND status = 'live'",
                          &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, r.pledge_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = ph_store_changes(store) == 1
                 ? PH_OK
                 : ph_error_set(err, PH_EINVAL, "receipt", id,
                                "expected a live pledge: another process released it");
    if (st == PH_OK) {
        char detail[64];
        snprintf(detail, sizeof(detail), "{\"pledge\":%lld}", (long long)r.pledge_id);
        trade_event e = {id, "release", on, r.lender, r.owner, r.exposure, detail, 0};
        st = trade_event_write(store, log, "receipt_event", "receipt", &e, err);
    }
    return trade_finish(store, log, st, err);
}

/* ---- valuation and margin calls ------------------------------------------------------------- */

static ph_status value_of(ph_store *store, const receipt_row *r, ph_date on,
                          ph_receipt_value *v, ph_error *err)
{
    memset(v, 0, sizeof(*v));
    v->quantity_kg = r->quantity_kg;
    v->haircut = r->haircut;
    char day[PH_DATE_FORMAT_MAX];
    trade_day(on, day);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT price_per_kg_fen, date FROM feed_commodity_prices "
                                    "WHERE commodity = ? AND date <= ? ORDER BY date DESC LIMIT 1",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, r->commodity, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "commodity", r->commodity,
                          "expected a market price on or before %s (feed_commodity_prices)",
                          day);
    if (st == PH_OK) {
        v->price_per_kg = ph_stmt_column_int64(s, 0);
        const char *d = ph_stmt_column_text(s, 1);
        st = ph_date_parse(d, strlen(d), &v->priced_on, err);
    }
    ph_stmt_free(s);
    if (st == PH_OK)
        st = ph_money_mul_int(v->price_per_kg, v->quantity_kg, &v->gross, err);
    if (st == PH_OK)
        st = ph_money_muldiv(v->gross, v->haircut, PH_RATE_ONE, PH_ROUND_HALF_UP, &v->value,
                             err);
    if (st == PH_OK && r->pledged) {
        v->exposure = r->exposure;
        if (v->value > 0)
            st = ph_money_muldiv(r->exposure, PH_RATE_ONE, v->value, PH_ROUND_HALF_UP, &v->ltv,
                                 err);
        else
            v->ltv = PH_RATE_MAX;
    }
    return st;
}

ph_status ph_receipt_valuation(ph_store *store, const char *id, ph_date on,
                               ph_receipt_value *out, ph_error *err)
{
    if (id == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_receipt_valuation: NULL argument");
    receipt_row r;
    ph_status st = need_receipt(store, id, &r, err);
    ph_receipt_value v;
    if (st == PH_OK)
        st = value_of(store, &r, on, &v, err);
    if (st == PH_OK)
        *out = v;
    return st;
}

/* Whether event `type` of receipt `id` was recorded on `day` already. */
static ph_status recorded(ph_store *store, const char *id, const char *type, const char *day,
                          int *yes, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT 1 FROM receipt_event WHERE subject = ? AND type = ? "
                                    "AND on_day = ?",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, type, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK || st == PH_DONE) {
        *yes = st == PH_OK;
        st = PH_OK;
    }
    ph_stmt_free(s);
    return st;
}

ph_status ph_receipt_margin_check(ph_store *store, ph_date on, ph_evidence_log *log,
                                  ph_receipt_margin_fn fn, void *user, int64_t *calls,
                                  int64_t *unpriced, ph_error *err)
{
    ph_status st = need(store, err);
    if (st != PH_OK)
        return st;
    ph_rate call = 0, liquidation = 0;
    st = trade_limit_get(store, "receipt_margin_call", &call, err);
    if (st == PH_OK)
        st = trade_limit_get(store, "receipt_liquidation", &liquidation, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    /* the live pledges' receipts first, then each valued and written */
    char (*ids)[PH_RECEIPT_ID_MAX] = NULL;
    size_t n = 0, cap = 0;
    ph_stmt *s = NULL;
    st = ph_store_prepare(store,
                          "SELECT receipt_id FROM receipt_pledge WHERE status = 'live' "
                          "ORDER BY receipt_id",
                          &s, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        if (n == cap) {
            size_t c = cap ? cap * 2 : 16;
            void *g = ph_realloc(ctx, ids, c * PH_RECEIPT_ID_MAX);
            if (g == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
            ids = g;
            cap = c;
        }
        copy(ids[n++], PH_RECEIPT_ID_MAX, ph_stmt_column_text(s, 0));
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    int64_t count = 0, no_price = 0;
    char day[PH_DATE_FORMAT_MAX];
    trade_day(on, day);
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        receipt_row r;
        ph_receipt_value v;
        st = receipt_read(store, ids[i], &r, err);
        if (st != PH_OK)
            break;
        /* a commodity without a market price on or before the day: this
         * receipt cannot be valued, the others still are (reported, not
         * recorded: nothing changed) */
        ph_error why;
        ph_status vs = value_of(store, &r, on, &v, &why);
        if (vs == PH_ENOTFOUND && strcmp(why.field, "commodity") == 0) {
            memset(&v, 0, sizeof(v));
            v.quantity_kg = r.quantity_kg;
            v.haircut = r.haircut;
            v.exposure = r.exposure;
            no_price++;
            if (fn != NULL)
                fn(user, r.id, &v, PH_RECEIPT_MARGIN_UNPRICED);
            continue;
        }
        if (vs != PH_OK) {
            st = vs;
            if (err != NULL)
                *err = why;
            break;
        }
        ph_receipt_margin verdict = v.ltv >= liquidation ? PH_RECEIPT_MARGIN_LIQUIDATION
                                    : v.ltv >= call      ? PH_RECEIPT_MARGIN_CALL
                                                         : PH_RECEIPT_MARGIN_OK;
        if (verdict != PH_RECEIPT_MARGIN_OK) {
            const char *type =
                verdict == PH_RECEIPT_MARGIN_LIQUIDATION ? "liquidation" : "margin_call";
            int yes = 0;
            st = recorded(store, r.id, type, day, &yes, err);
            if (st == PH_OK && !yes) {
                char detail[256], ltv[PH_RATE_FORMAT_MAX], lim[PH_RATE_FORMAT_MAX],
                    val[PH_MONEY_FORMAT_MAX], exp[PH_MONEY_FORMAT_MAX];
                trade_percent(v.ltv, ltv);
                trade_percent(verdict == PH_RECEIPT_MARGIN_LIQUIDATION ? liquidation : call, lim);
                (void)ph_money_format(v.value, 0, val, sizeof(val), NULL);
                (void)ph_money_format(v.exposure, 0, exp, sizeof(exp), NULL);
                snprintf(detail, sizeof(detail),
                         "{\"ltv\":\"%s\",\"limit\":\"%s\",\"exposure\":\"%s\","
                         "\"value\":\"%s\"}",
                         ltv, lim, exp, val);
                trade_event e = {r.id, type, on, r.lender, r.owner, v.exposure, detail, 0};
                st = trade_event_write(store, log, "receipt_event", "receipt", &e, err);
                count++;
            }
        }
        if (st == PH_OK && fn != NULL)
            fn(user, r.id, &v, verdict);
    }
    ph_free(ctx, ids);
    st = trade_finish(store, log, st, err);
    if (st == PH_OK && calls != NULL)
        *calls = count;
    if (st == PH_OK && unpriced != NULL)
        *unpriced = no_price;
    return st;
}

/* ---- events --------------------------------------------------------------------------------- */

typedef struct event_walk {
    ph_receipt_event_fn fn;
    void *user;
} event_walk;

static ph_status each_event(void *user, int64_t seq, const trade_event *t, int64_t leaf,
                            ph_error *err)
{
    event_walk *w = user;
    ph_receipt_event e = {seq,       t->subject, t->type,   t->on, t->actor,
                          t->counterparty, t->amount, t->detail, leaf};
    return w->fn(w->user, &e, err);
}

ph_status ph_receipt_events(ph_store *store, const char *id, ph_receipt_event_fn fn, void *user,
                            ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_receipt_events: NULL argument");
    event_walk w = {fn, user};
    return trade_events(store, "receipt_event", id, each_event, &w, err);
}

ph_status ph_receipt_event_leaf(const ph_ctx *ctx, const ph_receipt_event *e, char **out,
                                size_t *len, ph_error *err)
{
    if (e == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_receipt_event_leaf: NULL argument");
    trade_event t = {e->subject,      e->type,   e->on,     e->actor,
                     e->counterparty, e->amount, e->detail, e->seq};
    return trade_leaf(ctx, "receipt", &t, out, len, err);
}

/* ---- proving the state ---------------------------------------------------------------------- */

/* A pledge or an alert as the logged events make it. */
typedef struct rp_pledge {
    int64_t id;
    const char *lender;
    ph_money exposure;
    ph_date pledged_on, released_on; /* released_on 0: live */
} rp_pledge;

typedef struct rp_alert {
    ph_date day;
    char kind[32];
    char detail[520];
} rp_alert;

typedef struct rp_state {
    const ph_ctx *ctx;
    int registered;
    const char *owner;
    ph_date registered_on, stored_on;
    char warehouse_id[200], lot[200], commodity[100];
    int64_t quantity_kg, lat_e6, lon_e6, geofence_m;
    rp_pledge *pledges;
    size_t n_pledges;
    rp_alert *alerts;
    size_t n_alerts;
} rp_state;

static ph_status rp_int(const json_t *d, const char *key, int64_t *out, ph_error *err)
{
    return pjson_get_int(d, "detail", key, out, err);
}

static ph_status rp_text(const json_t *d, const char *key, char *out, size_t cap, ph_error *err)
{
    const char *s = NULL;
    ph_status st = pjson_get_string(d, "detail", key, &s, err);
    if (st == PH_OK)
        copy(out, cap, s);
    return st;
}

static ph_status rp_apply(rp_state *x, const char *id, const trade_event *e, const json_t *d,
                          ph_error *err)
{
    ph_status st = PH_OK;
    if (strcmp(e->type, "register") == 0) {
        char stored[16] = "";
        if (x->registered)
            return ph_error_set(err, PH_EVERIFY, "receipt", id,
                                "receipt %s: event %lld registers it a second time", id,
                                (long long)e->seq);
        x->registered = 1;
        x->owner = e->counterparty;
        x->registered_on = e->on;
        st = rp_text(d, "warehouse_id", x->warehouse_id, sizeof(x->warehouse_id), err);
        if (st == PH_OK)
            st = rp_text(d, "lot", x->lot, sizeof(x->lot), err);
        if (st == PH_OK)
            st = rp_text(d, "commodity", x->commodity, sizeof(x->commodity), err);
        if (st == PH_OK)
            st = rp_int(d, "quantity_kg", &x->quantity_kg, err);
        if (st == PH_OK)
            st = rp_text(d, "stored_on", stored, sizeof(stored), err);
        if (st == PH_OK)
            st = ph_date_parse(stored, strlen(stored), &x->stored_on, err);
        if (st == PH_OK)
            st = rp_int(d, "lat_e6", &x->lat_e6, err);
        if (st == PH_OK)
            st = rp_int(d, "lon_e6", &x->lon_e6, err);
        if (st == PH_OK)
            st = rp_int(d, "geofence_m", &x->geofence_m, err);
        return st;
    }
    if (!x->registered)
        return ph_error_set(err, PH_EVERIFY, "receipt", id,
                            "receipt %s: event %lld (%s) comes before any logged registration",
                            id, (long long)e->seq, e->type);
    if (strcmp(e->type, "pledge") == 0) {
        int64_t pid = 0;
        st = rp_int(d, "pledge", &pid, err);
        for (size_t i = 0; st == PH_OK && i < x->n_pledges; i++)
            if (x->pledges[i].released_on == 0)
                st = ph_error_set(err, PH_EVERIFY, "receipt", id,
                                  "receipt %s: event %lld pledges it while pledge %lld is live",
                                  id, (long long)e->seq, (long long)x->pledges[i].id);
        if (st != PH_OK)
            return st;
        rp_pledge *g = ph_realloc(x->ctx, x->pledges, (x->n_pledges + 1) * sizeof(*g));
        if (g == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        x->pledges = g;
        g[x->n_pledges++] = (rp_pledge){pid, e->actor, e->amount, e->on, 0};
        return PH_OK;
    }
    if (strcmp(e->type, "release") == 0) {
        int64_t pid = 0;
        st = rp_int(d, "pledge", &pid, err);
        rp_pledge *p = NULL;
        for (size_t i = 0; st == PH_OK && i < x->n_pledges; i++)
            if (x->pledges[i].id == pid && x->pledges[i].released_on == 0)
                p = &x->pledges[i];
        if (st == PH_OK && p == NULL)
            st = ph_error_set(err, PH_EVERIFY, "receipt", id,
                              "receipt %s: event %lld releases pledge %lld, which no logged "
                              "event left live",
                              id, (long long)e->seq, (long long)pid);
        if (st == PH_OK)
            p->released_on = e->on;
        return st;
    }
    if (strcmp(e->type, "alert") == 0) {
        rp_alert *g = ph_realloc(x->ctx, x->alerts, (x->n_alerts + 1) * sizeof(*g));
        if (g == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        x->alerts = g;
        rp_alert *a = &g[x->n_alerts++];
        memset(a, 0, sizeof(*a));
        a->day = e->on;
        st = rp_text(d, "kind", a->kind, sizeof(a->kind), err);
        if (st == PH_OK)
            st = rp_text(d, "detail", a->detail, sizeof(a->detail), err);
        return st;
    }
    if (strcmp(e->type, "margin_call") == 0 || strcmp(e->type, "liquidation") == 0)
        return PH_OK; /* a notice: it changes no row */
    return ph_error_set(err, PH_EVERIFY, "type", e->type, "event %lld: unknown event type",
                        (long long)e->seq);
}

/* A column of a stored row and the value the logged events give it:
 * kind 't' text, 'i' integer, 'm' money, 'd' a day (stored as text; the
 * logged day 0, none, compares as ""). */
typedef struct rp_col {
    const char *column;
    char kind;
    const char *text; /* 't' */
    int64_t value;    /* 'i', 'm', 'd' */
} rp_col;

/* The row s has stepped to, column i against c[i] for each i in turn: the
 * first difference is named (trade_differs, table "receipt", key id). */
static ph_status rp_cmp_row(ph_stmt *s, const char *id, const char *what, const rp_col *c,
                            size_t n, ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        const char *column = c[i].column;
        char day[PH_DATE_FORMAT_MAX] = "";
        switch (c[i].kind) {
        case 't':
            st = trade_cmp_text("receipt", id, what, column, ph_stmt_column_text(s, (int)i),
                                c[i].text, err);
            break;
        case 'd':
            if (c[i].value != 0)
                trade_day((ph_date)c[i].value, day);
            st = trade_cmp_text("receipt", id, what, column, ph_stmt_column_text(s, (int)i), day,
                                err);
            break;
        case 'm':
            st = trade_cmp_money("receipt", id, what, column, ph_stmt_column_int64(s, (int)i),
                                 c[i].value, err);
            break;
        default:
            st = trade_cmp_int("receipt", id, what, column, ph_stmt_column_int64(s, (int)i),
                               c[i].value, err);
        }
    }
    return st;
}

/* The rows of one kind a receipt has besides its own (pledges, alerts),
 * stored in the order the logged events made them. */
typedef struct rp_rows {
    const char *sql;  /* its rows, bound to the receipt id, in order */
    const char *verb; /* "no logged event <verb> it" */
    size_t (*count)(const rp_state *x);
    /* the name of stored row s, the i-th (from 0), in messages */
    void (*name)(ph_stmt *s, const char *id, size_t i, char *buf, size_t cap);
    /* the columns of logged row i into out (at most RP_ROW_COLS); how many */
    size_t (*cols)(const rp_state *x, size_t i, rp_col *out);
    /* what logged row i is: "make pledge 3", "raise alert 2" */
    void (*made)(const rp_state *x, size_t i, char *buf, size_t cap);
} rp_rows;

#define RP_ROW_COLS 6

static size_t rp_pledge_count(const rp_state *x)
{
    return x->n_pledges;
}

static void rp_pledge_name(ph_stmt *s, const char *id, size_t i, char *buf, size_t cap)
{
    (void)i;
    snprintf(buf, cap, "receipt %s, pledge %lld", id, (long long)ph_stmt_column_int64(s, 0));
}

static size_t rp_pledge_cols(const rp_state *x, size_t i, rp_col *out)
{
    const rp_pledge *p = &x->pledges[i];
    out[0] = (rp_col){"id", 'i', NULL, p->id};
    out[1] = (rp_col){"lender", 't', p->lender, 0};
    out[2] = (rp_col){"exposure", 'm', NULL, p->exposure};
    out[3] = (rp_col){"pledged_on", 'd', NULL, p->pledged_on};
    out[4] = (rp_col){"status", 't', p->released_on ? "released" : "live", 0};
    out[5] = (rp_col){"released_on", 'd', NULL, p->released_on};
    return 6;
}

static void rp_pledge_made(const rp_state *x, size_t i, char *buf, size_t cap)
{
    snprintf(buf, cap, "make pledge %lld", (long long)x->pledges[i].id);
}

static size_t rp_alert_count(const rp_state *x)
{
    return x->n_alerts;
}

static void rp_alert_name(ph_stmt *s, const char *id, size_t i, char *buf, size_t cap)
{
    (void)s;
    snprintf(buf, cap, "receipt %s, alert %zu", id, i + 1);
}

static size_t rp_alert_cols(const rp_state *x, size_t i, rp_col *out)
{
    const rp_alert *a = &x->alerts[i];
    out[0] = (rp_col){"day", 'd', NULL, a->day};
    out[1] = (rp_col){"kind", 't', a->kind, 0};
    out[2] = (rp_col){"detail", 't', a->detail, 0};
    return 3;
}

static void rp_alert_made(const rp_state *x, size_t i, char *buf, size_t cap)
{
    (void)x;
    snprintf(buf, cap, "raise alert %zu", i + 1);
}

static const rp_rows RP_PLEDGES = {
    "SELECT id, lender, exposure, pledged_on, status, released_on FROM receipt_pledge WHERE "
    "receipt_id = ? ORDER BY id",
    "pledges", rp_pledge_count, rp_pledge_name, rp_pledge_cols, rp_pledge_made};

static const rp_rows RP_ALERTS = {
    "SELECT day, kind, detail FROM receipt_alert WHERE receipt_id = ? ORDER BY id", "raises",
    rp_alert_count, rp_alert_name, rp_alert_cols, rp_alert_made};

/* The stored rows of kind k against the logged ones, one by one: the first
 * difference, a stored row no event makes or a logged one the store lacks
 * is named. */
static ph_status rp_cmp_rows(ph_store *store, const char *id, const char *what,
                             const rp_state *x, const rp_rows *k, ph_error *err)
{
    size_t n = k->count(x), i = 0;
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, k->sql, &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        char name[64];
        k->name(s, id, i, name, sizeof(name));
        if (i >= n) {
            st = ph_error_set(err, PH_EVERIFY, "receipt", id,
                              "%s: the store holds it but no logged event %s it", name,
                              k->verb);
            break;
        }
        rp_col cols[RP_ROW_COLS];
        size_t m = k->cols(x, i++, cols);
        st = rp_cmp_row(s, id, name, cols, m, err);
    }
    ph_stmt_free(s);
    if (st == PH_DONE && i != n) {
        char made[48];
        k->made(x, i, made, sizeof(made));
        st = ph_error_set(err, PH_EVERIFY, "receipt", id,
                          "%s: the logged events %s but the store has no row for it", what,
                          made);
    } else if (st == PH_DONE) {
        st = PH_OK;
    }
    return st;
}

static ph_status rp_compare(ph_store *store, const char *id, const rp_state *x, ph_error *err)
{
    char what[PH_RECEIPT_ID_MAX + 16];
    snprintf(what, sizeof(what), "receipt %s", id);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT warehouse_id, lot, owner_uscc, commodity, "
                                    "quantity_kg, stored_on, lat_e6, lon_e6, geofence_m, "
                                    "registered_on FROM receipt WHERE id = ?",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = x->registered ? ph_error_set(err, PH_EVERIFY, "receipt", id,
                                          "%s: the logged events register it but the store has "
                                          "no row for it",
                                          what)
                           : PH_OK;
    else if (st == PH_OK && !x->registered)
        st = ph_error_set(err, PH_EVERIFY, "receipt", id,
                          "%s: the store holds it but no logged event registers it", what);
    else if (st == PH_OK) {
        const rp_col cols[] = {
            {"warehouse_id", 't', x->warehouse_id, 0},
            {"lot", 't', x->lot, 0},
            {"owner_uscc", 't', x->owner, 0},
            {"commodity", 't', x->commodity, 0},
            {"quantity_kg", 'i', NULL, x->quantity_kg},
            {"stored_on", 'd', NULL, x->stored_on},
            {"lat_e6", 'i', NULL, x->lat_e6},
            {"lon_e6", 'i', NULL, x->lon_e6},
            {"geofence_m", 'i', NULL, x->geofence_m},
            {"registered_on", 'd', NULL, x->registered_on},
        };
        st = rp_cmp_row(s, id, what, cols, sizeof(cols) / sizeof(cols[0]), err);
    }
    ph_stmt_free(s);
    /* the pledges, in the order they were made; the alerts, in the order
     * they were raised */
    if (st == PH_OK)
        st = rp_cmp_rows(store, id, what, x, &RP_PLEDGES, err);
    if (st == PH_OK)
        st = rp_cmp_rows(store, id, what, x, &RP_ALERTS, err);
    return st;
}

static ph_status receipt_state(ph_store *store, const char *id, const trade_event *ev, size_t n,
                               ph_error *err)
{
    rp_state x;
    memset(&x, 0, sizeof(x));
    x.ctx = ph_store_ctx(store);
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        json_t *d = NULL;
        st = trade_detail_load("receipt_event", &ev[i], &d, err);
        if (st == PH_OK)
            st = rp_apply(&x, id, &ev[i], d, err);
        json_decref(d);
    }
    if (st == PH_OK)
        st = rp_compare(store, id, &x, err);
    ph_free(x.ctx, x.pledges);
    ph_free(x.ctx, x.alerts);
    return st;
}

ph_status ph_receipt_prove(ph_store *store, ph_evidence_log *log, const char *id, uint64_t size,
                           const char *bundle_path, size_t *leaves, ph_error *err)
{
    return trade_prove(store, log, "receipt_event", "receipt", id, size, bundle_path, leaves,
                       receipt_state, err);
}
