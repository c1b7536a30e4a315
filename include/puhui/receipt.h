/*
 * puhui — warehouse receipts (仓单质押; docs/supply_chain.md).
 *
 * A receipt registers one lot of goods in one warehouse, from the
 * warehouse feed (feed_warehouse_lots): the registry is unique by
 * (warehouse_id, lot), so the same goods cannot be registered twice. A
 * receipt is pledged to a lender for an exposure; a second live pledge of
 * the same receipt is refused by the store (a partial unique index), not
 * only by this code. Valuation = quantity x the commodity's market price
 * (feed_commodity_prices, the latest on or before the day) x the
 * commodity's haircut (receipt_commodity, data). LTV = exposure /
 * valuation; at or above trade_limit 'receipt_margin_call' (70%) a margin
 * call, at or above 'receipt_liquidation' (80%) a liquidation notice. A
 * pledge is released on repayment. The IoT check reads feed_warehouse_iot
 * over a range of days and raises an alert (receipt_alert) for a weight
 * below the registered quantity by more than 'receipt_weight_tolerance',
 * a position outside the geofence (haversine distance > geofence_m) or a
 * temperature outside the commodity's range.
 *
 * Every state change is a receipt_event row; with an evidence log (NULL:
 * none) its canonical leaf (ph_receipt_event_leaf) is appended, its index
 * stored in the row, the log committed before the store.
 *
 * Errors (docs/errors.md): PH_EINVAL naming field, value and what was
 * expected; PH_ENOTFOUND for an unknown receipt or lot or a missing price;
 * PH_EEXISTS for a lot registered already or a receipt pledged already
 * (naming the live pledge); PH_EMISUSE; PH_ESCHEMA before v18; store and
 * log errors.
 */
#ifndef PUHUI_RECEIPT_H
#define PUHUI_RECEIPT_H

#include <stdint.h>

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/evidence.h"
#include "puhui/money.h"
#include "puhui/rate.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PH_RECEIPT_ID_MAX 16 /* "R000001" and its NUL, with room */

/* Register lot (warehouse_id, lot) of feed_warehouse_lots on `on`; id
 * receives the new receipt's id ("R000001"). */
PH_EXTERN ph_status ph_receipt_register(ph_store *store, const char *warehouse_id,
                                        const char *lot, ph_date on, ph_evidence_log *log,
                                        char id[PH_RECEIPT_ID_MAX], ph_error *err);

/* Pledge receipt `id` to `lender` (a lending institution) for `exposure`
 * on `on`. Refused (PH_EINVAL) on a day before the receipt was registered
 * (field "on") or on or after the day its lot left the warehouse
 * (feed_warehouse_lots.removed_on; field "receipt"), and above the
 * margin-call LTV. *pledge_id (may be NULL) is the pledge. */
PH_EXTERN ph_status ph_receipt_pledge(ph_store *store, const char *id, const char *lender,
                                      ph_money exposure, ph_date on, ph_evidence_log *log,
                                      int64_t *pledge_id, ph_error *err);

/* Release receipt `id`'s live pledge on repayment. */
PH_EXTERN ph_status ph_receipt_release(ph_store *store, const char *id, ph_date on,
                                       ph_evidence_log *log, ph_error *err);

typedef struct ph_receipt_value {
    int64_t quantity_kg;
    ph_money price_per_kg;  /* fen per kg, the latest on or before the day */
    ph_date priced_on;
    ph_rate haircut;
    ph_money gross;         /* quantity x price */
    ph_money value;         /* gross x haircut, rounded half-up to the fen */
    ph_money exposure;      /* the live pledge's; 0 when not pledged */
    ph_rate ltv;            /* exposure / value, 1e-8, rounded half-up; 0 when not pledged */
} ph_receipt_value;

/* The valuation of receipt `id` on `on`. Read only. */
PH_EXTERN ph_status ph_receipt_valuation(ph_store *store, const char *id, ph_date on,
                                         ph_receipt_value *out, ph_error *err);

typedef enum ph_receipt_margin {
    PH_RECEIPT_MARGIN_OK = 0,
    PH_RECEIPT_MARGIN_CALL = 1,
    PH_RECEIPT_MARGIN_LIQUIDATION = 2,
    PH_RECEIPT_MARGIN_UNPRICED = 3 /* no market price on or before the day: not valued */
} ph_receipt_margin;

typedef void (*ph_receipt_margin_fn)(void *user, const char *id, const ph_receipt_value *v,
                                     ph_receipt_margin verdict);

/* Value every live pledge on `on`; record a 'margin_call' or 'liquidation'
 * event (one per receipt, day and kind) for each that crosses its
 * threshold. fn (may be NULL) is called for every live pledge; *calls
 * (may be NULL) counts the events recorded. A receipt whose commodity has
 * no market price on or before the day cannot be valued: it is reported to
 * fn as PH_RECEIPT_MARGIN_UNPRICED (v with its quantity, haircut and
 * exposure, no price, value or LTV) and counted in *unpriced (may be NULL),
 * and the others are checked; nothing is recorded for it. One transaction. */
PH_EXTERN ph_status ph_receipt_margin_check(ph_store *store, ph_date on, ph_evidence_log *log,
                                            ph_receipt_margin_fn fn, void *user,
                                            int64_t *calls, int64_t *unpriced, ph_error *err);

typedef struct ph_receipt_alert {
    const char *receipt_id, *warehouse_id, *lot, *owner_uscc;
    ph_date day;
    const char *kind;        /* weight_drop geofence temperature */
    const char *detail;      /* the numbers, in words */
} ph_receipt_alert;

typedef void (*ph_receipt_alert_fn)(void *user, const ph_receipt_alert *a);

/* Check feed_warehouse_iot from..to for every registered receipt; a new
 * anomaly is stored once (receipt, day, kind) with an 'alert' event; fn
 * (may be NULL) sees each new one; *count (may be NULL) counts them. One
 * transaction. */
PH_EXTERN ph_status ph_receipt_iot_check(ph_store *store, ph_date from, ph_date to,
                                         ph_evidence_log *log, ph_receipt_alert_fn fn,
                                         void *user, int64_t *count, ph_error *err);

/* Great-circle distance in metres between two points in degrees (haversine,
 * mean Earth radius 6,371,008.8 m). */
PH_EXTERN double ph_receipt_distance_m(double lat1, double lon1, double lat2, double lon2);

/* One receipt_event row; strings valid during the callback only. */
typedef struct ph_receipt_event {
    int64_t seq;
    const char *subject;     /* the receipt id */
    const char *type;        /* register pledge margin_call liquidation release alert */
    ph_date on;
    const char *actor, *counterparty;
    ph_money amount;
    const char *detail;
    int64_t leaf_index;      /* -1 without a log */
} ph_receipt_event;

typedef ph_status (*ph_receipt_event_fn)(void *user, const ph_receipt_event *e, ph_error *err);

PH_EXTERN ph_status ph_receipt_events(ph_store *store, const char *id, ph_receipt_event_fn fn,
                                      void *user, ph_error *err);

/* The canonical leaf bytes of an event, as ph_order_event_leaf, type
 * "receipt.<type>". */
PH_EXTERN ph_status ph_receipt_event_leaf(const ph_ctx *ctx, const ph_receipt_event *e,
                                          char **out, size_t *len, ph_error *err);

/* Prove receipt id's history (register, pledges, margin calls, releases,
 * alerts) against the log's tree of `size` leaves, as ph_order_prove. */
PH_EXTERN ph_status ph_receipt_prove(ph_store *store, ph_evidence_log *log, const char *id,
                                     uint64_t size, const char *bundle_path, size_t *leaves,
                                     ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_RECEIPT_H */
