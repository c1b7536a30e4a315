/*
 * The warehouse IoT check (include/puhui/receipt.h): the daily readings of
 * feed_warehouse_iot against what each receipt registered.
 *
 *   weight_drop  weight_kg x 1 < quantity_kg x (1 - tolerance), exactly in
 *                integers (trade_limit 'receipt_weight_tolerance');
 *   geofence     the tracker's haversine distance from the warehouse is more
 *                than geofence_m;
 *   temperature  outside the commodity's range (receipt_commodity, tenths
 *                of a degree).
 *
 * Why an alert table of our own (receipt_alert) rather than the early
 * warning's warning_alert: an alert there belongs to a warning_run and a
 * stored rule set (both NOT NULL foreign keys) and names a firm and the
 * lender watching it, and monitor.h has no function to add one from outside
 * the engine. An IoT alert is about a lot, raised by this check; it is
 * stored once per receipt, day and kind, with an evidence leaf.
 *
 * An alert marks the start of an episode: goods 30% light stay light, and
 * the lender needs to hear it once, not every day. A reading that is
 * anomalous raises an alert only when the lot's previous reading (the day
 * before the window included) was not anomalous in the same way.
 *
 * The readings are read whole first, then the alerts written, so that no
 * write runs while a read of the same connection is open.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "trade_internal.h"

double ph_receipt_distance_m(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = 3.14159265358979323846 / 180.0, r = 6371008.8;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * atan2(sqrt(a), sqrt(1 - a));
}

typedef struct anomaly {
    char receipt[PH_RECEIPT_ID_MAX], warehouse[32], lot[32], owner[32], day[16];
    const char *kind;
    char detail[200];
} anomaly;

typedef struct anomalies {
    const ph_ctx *ctx;
    anomaly *a;
    size_t n, cap;
} anomalies;

static anomaly *add(anomalies *list)
{
    if (list->n == list->cap) {
        size_t c = list->cap ? list->cap * 2 : 16;
        anomaly *g = ph_realloc(list->ctx, list->a, c * sizeof(*g));
        if (g == NULL)
            return NULL;
        list->a = g;
        list->cap = c;
    }
    anomaly *x = &list->a[list->n++];
    memset(x, 0, sizeof(*x));
    return x;
}

static ph_status read_anomalies(ph_store *store, const char *before, const char *from,
                                const char *to, ph_rate tolerance, anomalies *list,
                                ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT r.id, r.warehouse_id, r.lot, r.owner_uscc, r.quantity_kg, r.lat_e6, r.lon_e6, "
        "r.geofence_m, c.temp_min_c10, c.temp_max_c10, i.date, i.weight_kg, i.temperature_c, "
        "i.lat, i.lon FROM receipt r JOIN receipt_commodity c ON c.commodity = r.commodity "
        "JOIN feed_warehouse_iot i ON i.warehouse_id = r.warehouse_id AND i.lot = r.lot "
        "WHERE i.date >= ? AND i.date <= ? AND i.date >= r.stored_on ORDER BY r.id, i.date",
        &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, before, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, to, -1, err);
    char prev_receipt[PH_RECEIPT_ID_MAX] = "";
    int prev[3] = {0, 0, 0};
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        /* the episode state restarts with each receipt */
        if (strcmp(prev_receipt, ph_stmt_column_text(s, 0)) != 0) {
            snprintf(prev_receipt, sizeof(prev_receipt), "%s", ph_stmt_column_text(s, 0));
            prev[0] = prev[1] = prev[2] = 0;
        }
        int in_window = strcmp(ph_stmt_column_text(s, 10), from) >= 0;
        int64_t qty = ph_stmt_column_int64(s, 4);
        double wlat = (double)ph_stmt_column_int64(s, 5) / 1e6;
        double wlon = (double)ph_stmt_column_int64(s, 6) / 1e6;
        int64_t fence = ph_stmt_column_int64(s, 7);
        int64_t tmin = ph_stmt_column_int64(s, 8), tmax = ph_stmt_column_int64(s, 9);
        for (int k = 0; k < 3; k++) {
            char detail[200] = "";
            const char *kind = NULL;
            if (k == 0 && !ph_stmt_column_is_null(s, 11)) {
                int64_t w = ph_stmt_column_int64(s, 11);
                /* w < qty x (1 - tol), in 1e-8 units: no rounding */
                if (w * PH_RATE_ONE < qty * (PH_RATE_ONE - tolerance)) {
                    char tol[PH_RATE_FORMAT_MAX];
                    trade_percent(tolerance, tol);
                    kind = "weight_drop";
                    snprintf(detail, sizeof(detail),
                             "weight %lld kg, registered %lld kg: down %lld kg, beyond the %s "
                             "tolerance",
                             (long long)w, (long long)qty, (long long)(qty - w), tol);
                }
            } else if (k == 1 && !ph_stmt_column_is_null(s, 13) &&
                       !ph_stmt_column_is_null(s, 14)) {
                double d = ph_receipt_distance_m(wlat, wlon, ph_stmt_column_double(s, 13),
                                                 ph_stmt_column_double(s, 14));
                if (d > (double)fence) {
                    kind = "geofence";
                    snprintf(detail, sizeof(detail),
                             "tracker at %.6f,%.6f is %.0f m from the warehouse, outside its "
                             "%lld m geofence",
                             ph_stmt_column_double(s, 13), ph_stmt_column_double(s, 14), d,
                             (long long)fence);
                }
            } else if (k == 2 && !ph_stmt_column_is_null(s, 12)) {
                double t = ph_stmt_column_double(s, 12);
                long long t10 = llround(t * 10);
                if (t10 < tmin || t10 > tmax) {
                    kind = "temperature";
                    snprintf(detail, sizeof(detail),
                             "temperature %.1f C outside the range %.1f to %.1f C", t,
                             (double)tmin / 10, (double)tmax / 10);
                }
            }
            int was = prev[k];
            prev[k] = kind != NULL;
            if (kind == NULL || was || !in_window)
                continue;
            anomaly *a = add(list);
            if (a == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
            snprintf(a->receipt, sizeof(a->receipt), "%s", ph_stmt_column_text(s, 0));
            snprintf(a->warehouse, sizeof(a->warehouse), "%s", ph_stmt_column_text(s, 1));
            snprintf(a->lot, sizeof(a->lot), "%s", ph_stmt_column_text(s, 2));
            snprintf(a->owner, sizeof(a->owner), "%s", ph_stmt_column_text(s, 3));
            snprintf(a->day, sizeof(a->day), "%s", ph_stmt_column_text(s, 10));
            a->kind = kind;
            memcpy(a->detail, detail, sizeof(a->detail));
        }
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_receipt_iot_check(ph_store *store, ph_date from, ph_date to, ph_evidence_log *log,
                               ph_receipt_alert_fn fn, void *user, int64_t *count,
                               ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_receipt_iot_check: NULL store");
    char f[PH_DATE_FORMAT_MAX], t[PH_DATE_FORMAT_MAX], b[PH_DATE_FORMAT_MAX];
    trade_day(from, f);
    trade_day(to, t);
    trade_day(from - 1, b);
    if (to < from)
        return ph_error_set(err, PH_EINVAL, "to", t, "expected a day on or after %s", f);
    ph_status st = ph_store_require_schema(store, TRADE_SCHEMA, "warehouse receipts", err);
    ph_rate tolerance = 0;
    if (st == PH_OK)
        st = trade_limit_get(store, "receipt_weight_tolerance", &tolerance, err);
    if (st != PH_OK)
        return st;
    anomalies list = {ph_store_ctx(store), NULL, 0, 0};
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = read_anomalies(store, b, f, t, tolerance, &list, err);
    int64_t n = 0;
    for (size_t i = 0; st == PH_OK && i < list.n; i++) {
        anomaly *a = &list.a[i];
        ph_stmt *s = NULL;
        st = ph_store_prepare(store,
                              "INSERT INTO receipt_alert (receipt_id, day, kind, detail) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                              &s, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 1, a->receipt, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 2, a->day, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 3, a->kind, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 4, a->detail, -1, err);
        if (st == PH_OK)
            st = ph_stmt_step(s, err);
        ph_stmt_free(s);
        if (st != PH_DONE)
            break;
        st = PH_OK;
        if (ph_store_changes(store) != 1)
            continue; /* seen by an earlier check */
        ph_date day = 0;
        st = ph_date_parse(a->day, strlen(a->day), &day, err);
        if (st == PH_OK) {
            trade_event e = {a->receipt, "alert", day, "platform", a->owner, 0, a->detail, 0};
            char detail[640], k[64], text[520];
            pjson_escape_into(k, sizeof(k), a->kind);
            pjson_escape_into(text, sizeof(text), a->detail);
            snprintf(detail, sizeof(detail), "{\"kind\":\"%s\",\"detail\":\"%s\"}", k,
                     text);
            e.detail = detail;
            st = trade_event_write(store, log, "receipt_event", "receipt", &e, err);
        }
        if (st == PH_OK) {
            n++;
            if (fn != NULL) {
                ph_receipt_alert out = {a->receipt, a->warehouse, a->lot, a->owner,
                                        day,        a->kind,      a->detail};
                fn(user, &out);
            }
        }
    }
    ph_free(list.ctx, list.a);
    st = trade_finish(store, log, st, err);
    if (st == PH_OK && count != NULL)
        *count = n;
    return st;
}
