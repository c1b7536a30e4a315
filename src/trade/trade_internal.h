/*
 * src/trade private: the event rows and evidence leaves shared by order
 * financing (order.c) and warehouse receipts (receipt.c, receipt_iot.c).
 * Both keep an append-only event table of the same shape, so one writer
 * and one leaf builder serve both: the leaf is rebuilt from the row alone.
 */
#ifndef TRADE_INTERNAL_H
#define TRADE_INTERNAL_H

#include "json/json_internal.h"
#include "puhui/evidence.h"
#include "puhui/order.h"
#include "puhui/receipt.h"
#include "puhui/store.h"

/* The schema version that holds the trade tables. */
#define TRADE_SCHEMA 18

/* One event, as stored (table order_event or receipt_event). detail is a
 * JSON object's canonical text, written by this module. seq is the row's
 * key (trade_event_write assigns it; last, so that writers may leave it). */
typedef struct trade_event {
    const char *subject, *type;
    ph_date on;
    const char *actor, *counterparty;
    ph_money amount;
    const char *detail;
    int64_t seq;
} trade_event;

/* The canonical leaf: {"type":"<kind>.<type>","seq":12,"id":..,"on":..,
 * "actor":..,"counterparty":..,"amount":"123.45","detail":{..}}; kind
 * "order" or "receipt". The seq makes two events alike in every other
 * field two different leaves. */
ph_status trade_leaf(const ph_ctx *ctx, const char *kind, const trade_event *e, char **out,
                     size_t *len, ph_error *err);

/* Inside the caller's transaction: build the leaf, append it to the log
 * (when not NULL), insert the row into `table` ("order_event" or
 * "receipt_event") with the leaf's index. */
ph_status trade_event_write(ph_store *store, ph_evidence_log *log, const char *table,
                            const char *kind, const trade_event *e, ph_error *err);

/* Commit the log (when not NULL), then the store; on failure roll the store
 * back. Returns st unchanged when st is not PH_OK (after the rollback). */
ph_status trade_finish(ph_store *store, ph_evidence_log *log, ph_status st, ph_error *err);

/* Format helpers. */
void trade_money(ph_money m, char buf[PH_MONEY_FORMAT_MAX]);
void trade_day(ph_date d, char buf[PH_DATE_FORMAT_MAX]);
/* A ph_rate as a percentage with 2 places ("80.00%"). */
void trade_percent(ph_rate r, char buf[PH_RATE_FORMAT_MAX]);

/* A limit of trade_limit by name. */
ph_status trade_limit_get(ph_store *store, const char *name, ph_rate *out, ph_error *err);

/* Whether `id` is an institution of a lending kind; PH_EINVAL (field
 * `field`) otherwise. */
ph_status trade_check_lender(ph_store *store, const char *field, const char *id,
                             ph_error *err);
/* Whether `uscc` is a registered firm; PH_EINVAL (field `field`) otherwise. */
/* A buyer confirming an order: a registered firm or a core enterprise. */
ph_status trade_check_buyer(ph_store *store, const char *field, const char *uscc,
                            ph_error *err);
ph_status trade_check_firm(ph_store *store, const char *field, const char *uscc,
                           ph_error *err);

/* Read the events of `table` for subject (NULL: all). */
typedef ph_status (*trade_event_row_fn)(void *user, int64_t seq, const trade_event *e,
                                        int64_t leaf_index, ph_error *err);
ph_status trade_events(ph_store *store, const char *table, const char *subject,
                       trade_event_row_fn fn, void *user, ph_error *err);

/* The state check of a proof: the subject's events (checked against the
 * log, in seq order) replayed and compared with the module's rows.
 * PH_EVERIFY naming the record and column that differ. */
typedef ph_status (*trade_state_fn)(ph_store *store, const char *id, const trade_event *events,
                                    size_t n, ph_error *err);

/* Prove subject id's events of `table` (kind "order" or "receipt") against
 * the log's tree of size leaves: each row's leaf rebuilt (trade_leaf) and
 * claimed (ph_evidence_claims_check); then state (may be NULL) compares the
 * rows with what the events give; then the bundle is written to
 * bundle_path (NULL: none). ph_order_prove and ph_receipt_prove. */
ph_status trade_prove(ph_store *store, ph_evidence_log *log, const char *table, const char *kind,
                      const char *id, uint64_t size, const char *bundle_path, size_t *leaves,
                      trade_state_fn state, ph_error *err);

/* "<what>: <column> is <stored> in the store but the logged events give
 * <logged>", PH_EVERIFY (field table, value key). */
ph_status trade_differs(const char *table, const char *key, const char *what,
                        const char *column, const char *stored, const char *logged,
                        ph_error *err);

/* The comparisons of a proof's state check: PH_OK when the store's value
 * equals the logged one, else trade_differs(table, key, what, column, ..)
 * with both values as text (NULL text reads as ""; money in yuan, days as
 * dates, integers in decimal). */
ph_status trade_cmp_text(const char *table, const char *key, const char *what,
                         const char *column, const char *stored, const char *logged,
                         ph_error *err);
ph_status trade_cmp_int(const char *table, const char *key, const char *what,
                        const char *column, int64_t stored, int64_t logged, ph_error *err);
ph_status trade_cmp_money(const char *table, const char *key, const char *what,
                          const char *column, ph_money stored, ph_money logged, ph_error *err);
ph_status trade_cmp_day(const char *table, const char *key, const char *what,
                        const char *column, ph_date stored, ph_date logged, ph_error *err);

/* Event e's detail ("{}" when empty) of `table` ("order_event" or
 * "receipt_event") loaded into *d, which must be a JSON object (PH_EVERIFY
 * naming the event otherwise). The caller json_decref()s *d whatever this
 * returns. */
ph_status trade_detail_load(const char *table, const trade_event *e, json_t **d, ph_error *err);

#endif
