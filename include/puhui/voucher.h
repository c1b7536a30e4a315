/*
 * puhui — digital claim vouchers (数字债权凭证; docs/supply_chain.md).
 *
 * A core enterprise confirms a payable to a tier-1 supplier and issues a
 * voucher for it: a claim on the core enterprise, due at maturity, priced
 * by the core enterprise's credit grade. The holder may split it into parts
 * that sum exactly to it, pass a part to one of its own registered
 * suppliers (one tier further down the chain, at most 7 tiers), or discount
 * a part at a lender. At maturity the core enterprise pays every current
 * part: to the lender that financed it, else to its holder.
 *
 * Every part is a row; a split makes children of the same holder, a
 * transfer one child of the full face held by the recipient. The lineage is
 * this parent/child tree, whose leaves are the current parts: their faces
 * always sum to the issued face (the invariant the tests check after any
 * sequence of operations).
 *
 * Each state change runs in one store transaction, appends an event to
 * voucher_event and, when a log is given, the event's canonical bytes
 * (ph_voucher_event_leaf) to the evidence log (evidence.h) - the leaf's
 * index is stored in the event row, the log is committed (fdatasync), then
 * the store. Called inside a unit of the caller's (ph_store_begin_unit), a
 * function neither commits the store nor the log: the caller commits the
 * log (ph_evidence_commit) before it ends the unit, so that a batch costs
 * one fdatasync and one store commit. Inside a unit an operation takes no
 * savepoint of its own: a refused operation (PH_EINVAL, PH_ENOTFOUND,
 * PH_EEXISTS, PH_ERANGE: every rule is checked before the first write)
 * writes nothing and the batch may go on; after any other error (the
 * store, memory, the log) end the unit with a rollback.
 *
 * Errors follow docs/errors.md: a refusal names the field, the value and
 * what was expected ("parts sum to 999,999.00 yuan but voucher V000003 is
 * 1,000,000.00"). PH_ENOTFOUND for an unknown voucher or party; PH_EINVAL
 * for a rule broken; PH_EEXISTS for a part financed already (enforced by a
 * UNIQUE column in the store, so two processes racing cannot both win);
 * PH_ESCHEMA when the database predates schema version 17.
 */
#ifndef PUHUI_VOUCHER_H
#define PUHUI_VOUCHER_H

#include <stddef.h>
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

#define PH_VOUCHER_ID_MAX 24        /* "V000001" and its NUL, with room to grow */
#define PH_VOUCHER_PARTY_MAX 40     /* a USCC (18) or an institution id */
#define PH_VOUCHER_MAX_TIER 7       /* the hard cap on the tier depth */
#define PH_VOUCHER_MAX_PARTS 100    /* the most parts one split makes */

typedef enum ph_voucher_status {
    PH_VOUCHER_HELD = 0,    /* a current part, not financed */
    PH_VOUCHER_SPLIT,       /* replaced by its parts */
    PH_VOUCHER_TRANSFERRED, /* replaced by the recipient's part */
    PH_VOUCHER_FINANCED,    /* a current part discounted at a lender */
    PH_VOUCHER_SETTLED      /* paid by the issuer at maturity */
} ph_voucher_status;

/* "held", "split", "transferred", "financed", "settled"; NULL outside the enum. */
PH_EXTERN const char *ph_voucher_status_name(ph_voucher_status status);

/* One part as stored, with its financing when it has one. */
typedef struct ph_voucher {
    char id[PH_VOUCHER_ID_MAX];
    char root_id[PH_VOUCHER_ID_MAX];
    char parent_id[PH_VOUCHER_ID_MAX]; /* "" for the issued voucher */
    char issuer[PH_VOUCHER_PARTY_MAX]; /* the core enterprise's USCC */
    ph_money face;
    ph_date maturity;
    char grade[4];                     /* the issuer's rating at issue: AAA, AA+, AA, AA- */
    char payable_ref[64];              /* the confirmed payable it stands for */
    char holder[PH_VOUCHER_PARTY_MAX];
    int tier;                          /* 1 for the tier-1 supplier, +1 per transfer */
    ph_voucher_status status;
    ph_date created_on;
    /* financing (financed, or settled after being financed): lender[0] != '\0' */
    char lender[PH_VOUCHER_PARTY_MAX];
    ph_date financed_on;
    ph_rate rate;                      /* LPR + the grade's spread */
    int64_t days;                      /* days to maturity */
    ph_money discount, advance;
} ph_voucher;

/* ---- operations ------------------------------------------------------------------------- */

typedef struct ph_voucher_issue_args {
    const char *issuer;      /* a core enterprise: institution kind core_enterprise */
    const char *to;          /* a registered firm that supplies the issuer (tier 1) */
    ph_money face;           /* > 0 */
    ph_date on;              /* the issue date */
    ph_date maturity;        /* after on */
    const char *payable_ref; /* the confirmed payable (NULL or "": none given) */
} ph_voucher_issue_args;

/*
 * Issue a voucher. Its grade is the issuer's rating in feed_core_enterprises.
 * Errors: PH_ENOTFOUND (field "issuer") when the issuer is not a core
 * enterprise or has no rating, (field "to") when the recipient is not a
 * registered firm; PH_EINVAL (field "to") when the recipient does not
 * supply the issuer in feed_supply_chain, (field "amount") for a face <= 0,
 * (field "maturity") for a maturity not after the issue date. *id (may be
 * NULL) receives the new voucher's id. Cost: a handful of indexed reads and
 * three writes.
 */
PH_EXTERN ph_status ph_voucher_issue(ph_store *store, ph_evidence_log *log,
                                     const ph_voucher_issue_args *args,
                                     char id[PH_VOUCHER_ID_MAX], ph_error *err);

/*
 * Split voucher id, held by `holder`, into n parts (2..PH_VOUCHER_MAX_PARTS,
 * each > 0) that sum exactly to its face; ids[0..n) (may be NULL) receive
 * the parts' ids. Errors: PH_ENOTFOUND (field "voucher"); PH_EINVAL (field
 * "from") when holder does not hold it, (field "voucher") when it is not a
 * current unfinanced part, (field "on") after maturity or before the part
 * was created, (field "parts") when the parts do not sum to the face.
 */
PH_EXTERN ph_status ph_voucher_split(ph_store *store, ph_evidence_log *log, const char *id,
                                     const char *holder, ph_date on, const ph_money *parts,
                                     size_t n, char (*ids)[PH_VOUCHER_ID_MAX], ph_error *err);

/*
 * Transfer voucher id from its holder `from` to `to`, a registered firm
 * that supplies `from` (feed_supply_chain supplier = to, buyer = from).
 * The recipient's part has tier = the holder's + 1, at most max_tier
 * (1..PH_VOUCHER_MAX_TIER; 0: 7). *new_id (may be NULL) gets its id.
 * Errors: as split, plus PH_ENOTFOUND (field "to") for an unregistered
 * firm, PH_EINVAL (field "to") for a firm outside the holder's supply
 * chain, (field "tier") past max_tier, PH_ERANGE (field "max_tier").
 */
PH_EXTERN ph_status ph_voucher_transfer(ph_store *store, ph_evidence_log *log, const char *id,
                                        const char *from, const char *to, ph_date on,
                                        int max_tier, char new_id[PH_VOUCHER_ID_MAX],
                                        ph_error *err);

/*
 * Discount voucher id, held by `holder`, at `lender` (an institution of a
 * lending kind) on `on`, on or before maturity:
 *   rate     = LPR in force on `on` (ph_market_lpr) + the spread of the
 *              voucher's grade (voucher_grade_spread);
 *   discount = face x rate x days / 360, days = maturity - on, rounded
 *              half-up to the fen once (ph_interest, ACT/360);
 *   advance  = face - discount.
 * *out (may be NULL) receives the part as financed. Errors: PH_EEXISTS
 * (field "voucher") when the part is financed already, whether this process
 * or another financed it (the store's UNIQUE voucher_financing.voucher_id);
 * PH_EINVAL (field "on") after maturity, (field "lender") for an
 * institution that does not lend; PH_ENOTFOUND (field "lender"), or the
 * LPR's PH_ENOTFOUND; the rest as split.
 */
PH_EXTERN ph_status ph_voucher_finance(ph_store *store, ph_evidence_log *log, const char *id,
                                       const char *holder, const char *lender, ph_date on,
                                       ph_voucher *out, ph_error *err);

/*
 * Settle the voucher tree of id (any part of it names its root) on `on`, at
 * or after maturity: the issuer pays every current part its face, to the
 * financier when financed, else to the holder, recording the days late (on
 * - maturity). *parts and *paid (may be NULL) receive the number of parts
 * and the total paid (= the issued face). Errors: PH_EINVAL (field "on")
 * before maturity, (field "voucher") when the tree is settled already.
 */
PH_EXTERN ph_status ph_voucher_settle(ph_store *store, ph_evidence_log *log, const char *id,
                                      ph_date on, size_t *parts, ph_money *paid,
                                      ph_error *err);

/* Set the spread over the LPR for a grade (AAA, AA+, AA, AA-): 0 <= spread <= 20%. */
PH_EXTERN ph_status ph_voucher_set_spread(ph_store *store, const char *grade, ph_rate spread,
                                          ph_error *err);
/* The spread of a grade. PH_ENOTFOUND for a grade without one. */
PH_EXTERN ph_status ph_voucher_spread(ph_store *store, const char *grade, ph_rate *out,
                                      ph_error *err);

/* ---- reading ------------------------------------------------------------------------------ */

/* One part. PH_ENOTFOUND (field "voucher"). */
PH_EXTERN ph_status ph_voucher_get(ph_store *store, const char *id, ph_voucher *out,
                                   ph_error *err);

typedef ph_status (*ph_voucher_fn)(void *user, const ph_voucher *v, ph_error *err);

/* Filters of ph_voucher_list; NULL or 0 fields match everything. */
typedef struct ph_voucher_filter {
    const char *holder;
    const char *issuer;
    const char *root;        /* the parts of one tree */
    int current_only;        /* only current parts (held, financed, settled leaves) */
    const char *lender;      /* the parts financed by this lender */
    const char *after;       /* the parts made after this one (a page's cursor: its last id) */
} ph_voucher_filter;

/* Every part matching filter (may be NULL), in id order. A status other
 * than PH_OK from fn stops the walk and is returned. */
PH_EXTERN ph_status ph_voucher_list(ph_store *store, const ph_voucher_filter *filter,
                                    ph_voucher_fn fn, void *user, ph_error *err);

/* The lineage of id's tree, depth first from the root, children in id
 * order; fn gets each part with its depth (0 for the root). */
typedef ph_status (*ph_voucher_tree_fn)(void *user, const ph_voucher *v, int depth,
                                        ph_error *err);
PH_EXTERN ph_status ph_voucher_lineage(ph_store *store, const char *id, ph_voucher_tree_fn fn,
                                       void *user, ph_error *err);

/* One stored event. */
typedef struct ph_voucher_event {
    int64_t seq;
    char voucher_id[PH_VOUCHER_ID_MAX];
    char type[16];            /* issue, split, transfer, finance, settle */
    ph_date on;
    char actor[PH_VOUCHER_PARTY_MAX];
    char counterparty[PH_VOUCHER_PARTY_MAX];
    ph_money amount;
    const char *detail;       /* canonical JSON object; valid during the callback */
    int64_t leaf_index;       /* -1 when no log was given */
} ph_voucher_event;

typedef ph_status (*ph_voucher_event_fn)(void *user, const ph_voucher_event *e, ph_error *err);

/* The events of id's whole tree in order. */
PH_EXTERN ph_status ph_voucher_events(ph_store *store, const char *id, ph_voucher_event_fn fn,
                                      void *user, ph_error *err);

/*
 * The canonical bytes of an event, the evidence log's leaf: compact JSON,
 * keys in this order, money as yuan with 2 decimals, never a float:
 *   {"type":"voucher.split","seq":12,"id":"V000003","on":"2026-03-01",
 *    "actor":"...","counterparty":"...","amount":"1000000.00","detail":{...}}
 * *out (ph_free it with ctx) is NUL-terminated, *len its length. The same
 * row always gives the same bytes, so ph_voucher_prove can recompute every
 * leaf from the database.
 */
PH_EXTERN ph_status ph_voucher_event_leaf(const ph_ctx *ctx, const ph_voucher_event *e,
                                          char **out, size_t *len, ph_error *err);

/*
 * Prove the history of id's tree against the log's tree of `size` leaves
 * (normally the last signed checkpoint's size): every event of the tree
 * must have a leaf index below size; its leaf is recomputed from the stored
 * row and checked against the log - the leaf hash stored there, and the
 * inclusion proof against the root of that tree; the checks are the log's
 * (ph_evidence_claims_check). Then the state: the events, now known to be
 * the logged ones, are replayed from the issue, rebuilding every part (id,
 * parent, issuer, face, maturity, grade, payable_ref, holder, tier, status,
 * created_on), its financing (lender, day, rate, days, discount, advance)
 * and its settlement (issuer, paid_to, maturity, day, days late, amount),
 * and each is compared with the store's rows. Only then is the bundle of
 * the leaves written to bundle_path (NULL: check only). *leaves (may be
 * NULL) receives the number of events proved. Errors: PH_EVERIFY naming the
 * event whose stored row no longer matches its leaf (an edited row), or
 * the part and column whose stored value the logged events do not give
 * ("part V000004: holder_uscc is X in the store but the logged events give
 * Y"; a part row no event creates; a status whose event was deleted, e.g.
 * financed with no finance event); PH_EINVAL (field
 * "leaf_index") for an event recorded without a log or past size, (field
 * "size") for a size of 0 or past the log; PH_ENOTFOUND for an unknown id.
 */
PH_EXTERN ph_status ph_voucher_prove(ph_store *store, ph_evidence_log *log, const char *id,
                                     uint64_t size, const char *bundle_path, size_t *leaves,
                                     ph_error *err);

/*
 * Prove one part's own history, for its holder or its financier (puhui
 * serve, GET /v1/vouchers/{id}/proof). The whole tree is checked exactly as
 * ph_voucher_prove checks it (every event's leaf against the log, then the
 * replay compared with the rows), so nothing is proved from a tree whose
 * rows no longer match the log; but the bundle holds only the part's chain
 * of title: the events of the part and of its ancestors up to the issued
 * voucher - the issue, each split and transfer that led to the part, and
 * what was done to the part itself - not the events of its siblings' or its
 * descendants' branches, which are other firms' business. *bundle
 * (NUL-terminated; ph_free it with the log's ctx) is what
 * ph_evidence_bundle_write would write for those leaves, *len its length;
 * *leaves (may be NULL) the number of events in it. Errors as
 * ph_voucher_prove's.
 */
PH_EXTERN ph_status ph_voucher_prove_part(ph_store *store, ph_evidence_log *log, const char *id,
                                          uint64_t size, char **bundle, size_t *len,
                                          size_t *leaves, ph_error *err);

/* ---- late settlements, for the early warning ------------------------------------------------ */

typedef struct ph_voucher_settlement {
    char voucher_id[PH_VOUCHER_ID_MAX];
    char issuer[PH_VOUCHER_PARTY_MAX];
    char paid_to[PH_VOUCHER_PARTY_MAX];
    ph_date maturity, on;
    int64_t days_late;
    ph_money amount;
} ph_voucher_settlement;

typedef ph_status (*ph_voucher_settlement_fn)(void *user, const ph_voucher_settlement *s,
                                              ph_error *err);

/* Every settlement made on from..to (inclusive) more than 0 days late, in
 * date order: the core enterprises that paid their suppliers late. */
PH_EXTERN ph_status ph_voucher_late_settlements(ph_store *store, ph_date from, ph_date to,
                                                ph_voucher_settlement_fn fn, void *user,
                                                ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_VOUCHER_H */
