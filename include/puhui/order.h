/*
 * puhui — order financing (订单融资; docs/supply_chain.md).
 *
 * A buyer confirms an order to a seller (amount, confirmed_on, due_on). A
 * lender advances up to a cap of the order (trade_limit
 * 'order_advance_cap', 80% by default) to the seller; the advance is booked
 * in the loan book (ph_loan_import, reference "order:<id>", an
 * interest-only loan to the seller maturing on the due day), so it is in
 * the ledger. The advance can be paid out only to the seller's whitelisted
 * suppliers: its suppliers in feed_supply_chain (supplier -> seller) plus
 * explicit additions; a payment to anyone else is refused AND recorded (an
 * order_event row 'pay_refused'). The buyer's payment repays the loan
 * (interest and principal) first; the rest is remitted to the seller.
 *
 * Every state change (and refusal) is an order_event row; with an evidence
 * log (evidence.h; NULL: none) its canonical leaf (ph_order_event_leaf) is
 * appended and its index stored in the row, the log committed before the
 * store.
 *
 * Errors (docs/errors.md): PH_EINVAL naming the field, value and what was
 * expected; PH_ENOTFOUND for an unknown order; PH_EEXISTS for an order id
 * or an advance that exists; PH_EDENIED for a payment to a supplier not on
 * the whitelist (after recording the refusal); PH_EMISUSE for NULL
 * arguments; PH_ESCHEMA before schema v18; store and log errors.
 */
#ifndef PUHUI_ORDER_H
#define PUHUI_ORDER_H

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

#define PH_ORDER_ID_MAX 64

typedef struct ph_order {
    const char *id;          /* the order's reference, 1..PH_ORDER_ID_MAX bytes, unique */
    const char *buyer_uscc;  /* a registered firm */
    const char *seller_uscc; /* a registered firm, not the buyer */
    ph_money amount;         /* > 0 */
    ph_date confirmed_on;
    ph_date due_on;          /* after confirmed_on */
} ph_order;

/* Record a confirmed order. One transaction. */
PH_EXTERN ph_status ph_order_confirm(ph_store *store, const ph_order *order,
                                     ph_evidence_log *log, ph_error *err);

/*
 * Advance `amount` of order `id` to its seller from `lender` (an
 * institution of a lending kind) on `on` at the annual `rate`. Refused
 * above the cap, with the numbers ("900,000.00 yuan is 90.00% of order
 * PO1's 1,000,000.00 yuan; at most 80.00%: 800,000.00 yuan"). The loan is
 * booked first (its own transaction: ph_loan_import refuses to run inside
 * another), then the advance and its event in one transaction; an order is
 * advanced at most once (the store's primary key; the loan reference also
 * unique). *loan_id (may be NULL) is the loan.
 */
PH_EXTERN ph_status ph_order_advance(ph_store *store, const char *id, const char *lender,
                                     ph_date on, ph_money amount, ph_rate rate,
                                     ph_evidence_log *log, int64_t *loan_id, ph_error *err);

/* Add `supplier` to `seller`'s whitelist (on top of its supply-chain suppliers). */
PH_EXTERN ph_status ph_order_whitelist_add(ph_store *store, const char *seller,
                                           const char *supplier, ph_date on,
                                           ph_evidence_log *log, ph_error *err);

/* Whether `supplier` is on `seller`'s whitelist: *ok 1 or 0. */
PH_EXTERN ph_status ph_order_whitelisted(ph_store *store, const char *seller,
                                         const char *supplier, int *ok, ph_error *err);

/*
 * Pay `amount` of order `id`'s advance to `to`. A supplier not on the
 * seller's whitelist: the refusal is recorded (event 'pay_refused', with
 * its evidence leaf) and committed, and PH_EDENIED returned. More than what
 * is left of the advance: PH_EINVAL naming what is left.
 */
PH_EXTERN ph_status ph_order_pay(ph_store *store, const char *id, const char *to, ph_date on,
                                 ph_money amount, ph_evidence_log *log, ph_error *err);

typedef struct ph_order_settlement {
    ph_money to_lender;  /* repaid on the advance's loan (interest, then principal) */
    ph_money to_seller;  /* the rest, remitted to the seller */
    int loan_closed;     /* 1 when the loan is repaid in full */
} ph_order_settlement;

/*
 * The buyer pays `amount` for order `id` on `on`: the advance's loan is
 * repaid first (prepaid in full when the payment covers it, else as much as
 * it covers), the rest goes to the seller. An order without an advance:
 * everything to the seller. The buyer may pay in several payments: one
 * above what the order still owes (its amount less the buyer's payments so
 * far) is refused with the numbers (PH_EINVAL, field "amount"); the order
 * is 'paid' when the payments reach its amount; a payment that leaves the
 * loan open leaves the advance open for the next one.
 *
 * Safe to retry after a crash: the loan is repaid in the loan book's own
 * transaction under the reference "order-pay:L<loan>:<fen paid before>"
 * (ph_loan_prepay_ref / ph_loan_repay_ref), then the order's state and
 * events are written in one transaction. A retry finds a repayment made
 * before a crash (ph_loan_payment_by_ref), does not pay again, and records
 * it on the day it was made. out may be NULL.
 */
PH_EXTERN ph_status ph_order_settle(ph_store *store, const char *id, ph_date on,
                                    ph_money amount, ph_evidence_log *log,
                                    ph_order_settlement *out, ph_error *err);

/* One order_event row; strings valid during the callback only. */
typedef struct ph_order_event {
    int64_t seq;
    const char *subject;       /* the order id (the seller for 'whitelist') */
    const char *type;          /* confirm advance whitelist pay pay_refused repay remit */
    ph_date on;
    const char *actor, *counterparty;
    ph_money amount;
    const char *detail;
    int64_t leaf_index;        /* -1 when recorded without a log */
} ph_order_event;

typedef ph_status (*ph_order_event_fn)(void *user, const ph_order_event *e, ph_error *err);

/* The events of subject `id` (NULL: all) in order. */
PH_EXTERN ph_status ph_order_events(ph_store *store, const char *id, ph_order_event_fn fn,
                                    void *user, ph_error *err);

/* The canonical leaf bytes of an event: compact JSON, keys in a fixed order
 * {"type":"order.<type>","id":..,"on":..,"actor":..,"counterparty":..,
 * "amount":"<yuan>.<fen>","detail":..}; *out is ph_malloc'd with ctx
 * (ph_free it), *len its length. Rebuilt from the stored row, so an edited
 * row no longer matches the log. */
PH_EXTERN ph_status ph_order_event_leaf(const ph_ctx *ctx, const ph_order_event *e,
                                        char **out, size_t *len, ph_error *err);

/* Prove order id's history against the log's tree of `size` leaves
 * (normally the last signed checkpoint's size): every event of the order
 * (subject id) has its leaf rebuilt from the stored row and checked against
 * the log (ph_evidence_claims_check: the stored leaf hash and the inclusion
 * proof), then the bundle of those leaves is written to bundle_path (NULL:
 * check only). *leaves (may be NULL) receives the number of events proved.
 * Errors: PH_EVERIFY naming the event whose row was changed after it was
 * logged; PH_EINVAL (field "leaf_index") for an event recorded without a
 * log or past size, (field "size") for a size of 0 or past the log;
 * PH_ENOTFOUND when the order has no events. The whitelist's additions
 * (subject: the seller) are the seller's, not the order's, and are not in
 * the bundle. */
PH_EXTERN ph_status ph_order_prove(ph_store *store, ph_evidence_log *log, const char *id,
                                   uint64_t size, const char *bundle_path, size_t *leaves,
                                   ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_ORDER_H */
