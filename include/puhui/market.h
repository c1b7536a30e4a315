/*
 * puhui — the marketplace: one application, quotes from every matching
 * lender (issue 6; docs/domain.md#credit-assessment,
 * docs/domain.md#decisions-and-the-marketplace,
 * docs/domain.md#risk-sharing-guarantees-and-subsidies; docs/marketplace.md is the guide).
 *
 * A firm applies once (ph_application). The platform reads the firm's
 * registration on the application's as-of date (the firm must be registered
 * by then) and offers the application to the active policy of every lender
 * (policy_store.h):
 *
 *   1. appetite   a policy whose "appetite" (on the registration and the
 *                 purpose) does not fit is not asked;
 *   2. consent    the firm must have consented to that lender reading, for
 *                 credit assessment, every source the policy and its model
 *                 read (ph_access_check, logged); without it the lender is
 *                 not asked, the firm is told which consent is missing, and
 *                 nothing of the firm's feeds is read for it. Consent comes
 *                 BEFORE data: the FACTS (the feature store's point-in-time
 *                 features and what derives from them) are read once, when
 *                 the first lender that reads them has its consent;
 *   3. score      the policy's registered, APPROVED model scores the facts;
 *   4. decide     the policy runs; a lender with a challenger version runs
 *                 both, and a stable share of applications is served by the
 *                 challenger (both outcomes are recorded);
 *   5. price      an approved outcome becomes an offer: the amount (the
 *                 requested amount up to the limit), the rate, the interest
 *                 subsidy and first-loan award the firm qualifies for under
 *                 the programme in force (subsidy.h), applied without an
 *                 application, and the firm's annual cost net of them.
 *
 * Offers are ranked by the firm's net annual cost (net APR), then by the
 * larger amount. A decline carries the policy's reasons with the data each
 * rule read, completed from the model's adverse reasons to at least three
 * when the model has them.
 *
 * Every application and every decision is stored (schema 8) with the facts,
 * the policy inputs, model outputs and the full policy trace; rows are
 * immutable, and ph_market_replay re-runs a stored decision under the very
 * policy version and model that took it, to the identical trace.
 *
 * Facts are values of policy inputs (value.h): decimals in yuan, months,
 * fractions and scores, texts, booleans, or null for missing data (a
 * missing feature is null, never 0). ph_market_fact_* lists them; a policy
 * input must be one of them, or "score" / "pd" (the model's points and
 * probability of default).
 */
#ifndef PUHUI_MARKET_H
#define PUHUI_MARKET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/money.h"
#include "puhui/pricing.h"
#include "puhui/rate.h"
#include "puhui/store.h"
#include "puhui/subsidy.h"
#include "puhui/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the facts a policy can read ---------------------------------------------------- */

/* How many facts there are; the catalogue features are among them. */
PH_EXTERN size_t ph_market_fact_count(void);
/* The fact's name, kind, the feeds it comes from ("" for the application's
 * own fields) and a one-line description; NULL / PH_VALUE_NULL past the end. */
PH_EXTERN const char *ph_market_fact_name(size_t i);
PH_EXTERN ph_value_kind ph_market_fact_kind(size_t i);
PH_EXTERN const char *ph_market_fact_sources(size_t i);
PH_EXTERN const char *ph_market_fact_description(size_t i);
/* Index of the fact `name`, or -1. */
PH_EXTERN long ph_market_fact_index(const char *name);

/* ---- the application -------------------------------------------------------------------- */

/* One application. Zero-initialise, then fill. */
typedef struct ph_application {
    const char *uscc;     /* the applying enterprise, registered on asof */
    ph_money amount;      /* requested, in fen: > 0 and at most 100,000,000 yuan */
    int64_t term;         /* months, 1 .. 360 */
    const char *purpose;  /* one of ph_application_purpose(i) */
    ph_date asof;         /* the data as the platform knew it that day; 0: today */
    int guarantor;        /* 1 when a guarantor takes part */
} ph_application;

/* The purposes an application may name ("working_capital", "equipment",
 * "trade", "expansion", "agriculture", "green_upgrade"); NULL past the end. */
PH_EXTERN const char *ph_application_purpose(size_t i);

/*
 * Check an application's own fields (not the enterprise's existence, which
 * needs the store). Errors, PH_EINVAL with the field and value: "uscc" (not
 * a valid USCC: the check character), "amount" ("expected an amount above 0
 * and at most 100,000,000.00 yuan"), "term" ("expected 1 to 360 months"),
 * "purpose" (naming the known purposes), "guarantor" (not 0 or 1);
 * PH_EMISUSE for NULL app, uscc or purpose.
 */
PH_EXTERN ph_status ph_application_check(const ph_application *app, ph_error *err);

/* ---- market settings in the store ------------------------------------------------------ */

/* Record the LPR in force from `from` (a later entry for the same day
 * replaces nothing: PH_EEXISTS). Rates 0 < lpr <= 20%. */
PH_EXTERN ph_status ph_market_set_lpr(ph_store *store, ph_date from, ph_rate lpr, ph_error *err);
/* The LPR in force on `on`. PH_ENOTFOUND: "no LPR in force on 2025-12-31; record one with
 * `puhui market lpr`". */
PH_EXTERN ph_status ph_market_lpr(ph_store *store, ph_date on, ph_rate *out, ph_error *err);

/* Load a subsidy programme file (subsidy.h) into the store; the newest
 * loaded is the one in force. Same bytes again: nothing stored; other bytes
 * under the same name and version: PH_EEXISTS. *id (may be NULL) gets its id. */
PH_EXTERN ph_status ph_market_load_subsidy(ph_store *store, const char *path, int64_t *id,
                                           ph_error *err);

/* Route `share_bp` basis points (1..10000) of LENDER / NAME's applications
 * to its stored version VERSION as challenger; share_bp 0 removes the
 * challenger. PH_ENOTFOUND when that version is not stored; PH_EINVAL when
 * it is the active version or the share is out of range. */
PH_EXTERN ph_status ph_market_set_challenger(ph_store *store, const char *lender,
                                             const char *name, int64_t version,
                                             int64_t share_bp, ph_error *err);

/* ---- applying ------------------------------------------------------------------------------ */

typedef struct ph_market ph_market;

/*
 * Open the marketplace on `store` (schema 8): every active policy with its
 * challenger, the approved models they name (loaded once), and the subsidy
 * programme in force (none is fine).
 * One lender's broken policy does not stop the market: a policy input that
 * is not a fact or has another kind ("input 'x' is decimal, but the
 * platform's fact 'x' is text"), a policy reading score or pd without a
 * "model", a model that is not approved (from the registry), a model
 * feature that is not a fact, a stored policy or model whose bytes were
 * altered: that lender answers every application PH_QUOTE_UNAVAILABLE with
 * the error as its note, and ph_market_lender_error says why. Errors:
 * PH_ESCHEMA; a subsidy programme that does not load; store errors; PH_ENOMEM.
 * A market holds each policy's evaluation workspace and uses its store, so
 * it serves one thread at a time: a server opens one per worker thread (each
 * on its own store connection). Reopen it to see policies activated since.
 */
PH_EXTERN ph_status ph_market_open(ph_store *store, ph_market **out, ph_error *err);
PH_EXTERN void ph_market_free(ph_market *market);
/* How many lender policies the market holds (champions). */
PH_EXTERN size_t ph_market_lender_count(const ph_market *market);
/* Lender i's institution id, and why its policy cannot run ("" when it can);
 * NULL past the end. */
PH_EXTERN const char *ph_market_lender_id(const ph_market *market, size_t i);
PH_EXTERN const char *ph_market_lender_error(const ph_market *market, size_t i);

typedef enum ph_quote_status {
    PH_QUOTE_OFFER = 0,       /* approved: an offer */
    PH_QUOTE_DECLINE = 1,     /* declined, with reasons */
    PH_QUOTE_NO_CONSENT = 2,  /* not asked: the firm's consent does not cover it */
    PH_QUOTE_NOT_MATCHED = 3, /* not asked: outside the lender's appetite */
    PH_QUOTE_UNAVAILABLE = 4  /* not asked: the lender's policy cannot run (note says why) */
} ph_quote_status;

/* "offer", "decline", "no_consent", "not_matched", "unavailable". */
PH_EXTERN const char *ph_quote_status_name(ph_quote_status status);

/* A decline shows at most this many reasons: the policy's first, then the
 * model's (a rule of the quote, not a buffer). */
#define PH_QUOTE_MAX_REASONS 8

/* One reason to decline, in words, with the data behind it. The strings
 * are the result's, whole whatever their length. */
typedef struct ph_quote_reason {
    const char *code; /* the policy rule's code, or "MODEL:<code>" for a model reason */
    const char *text; /* "tax credit grade D (tax_grade = D)" */
} ph_quote_reason;

/* One lender's answer, as ph_market_result_quote gives it. Every string is
 * NUL-terminated, never NULL ("" when it does not apply), held whole
 * whatever its length, and owned by the result (valid until
 * ph_market_result_free). */
typedef struct ph_quote {
    ph_quote_status status;
    const char *lender;       /* the lender's institution id */
    const char *lender_name;  /* its registered name when known, else the id */
    const char *policy;       /* the policy's name */
    int64_t policy_version;   /* the version that served (the challenger's when it did) */
    int challenger;           /* 1 when the challenger served this application */
    int64_t decision_id;      /* the served decision's row; 0 when not asked */
    double score, pd;         /* the model's points and PD; NaN without a model */
    /* offers */
    ph_money limit;           /* the policy's limit */
    ph_money amount;          /* offered: the requested amount up to the limit */
    ph_rate rate;             /* the quoted annual rate, fees included as the policy quotes */
    int64_t term;
    const char *repayment;
    const char *conditions;   /* the product and guarantee conditions in words */
    ph_subsidy_result subsidy;
    ph_loan_cost cost;        /* cost.apr, cost.net_apr: the ranking key is net_apr */
    /* declines */
    size_t n_reasons;         /* at most PH_QUOTE_MAX_REASONS */
    const ph_quote_reason *reasons;
    /* not asked: why */
    const char *note;
} ph_quote;

/* The answer to one application: opaque, read through the functions
 * below (each O(1); NULL r gives 0 / NULL). */
typedef struct ph_market_result ph_market_result;

/* The stored application's row id. */
PH_EXTERN int64_t ph_market_result_application_id(const ph_market_result *r);
/* The as-of date the data was read on (the application's, or today). */
PH_EXTERN ph_date ph_market_result_asof(const ph_market_result *r);
/* The LPR in force on that date. */
PH_EXTERN ph_rate ph_market_result_lpr(const ph_market_result *r);
/* How many lenders answered (every lender of the market), and how many offered. */
PH_EXTERN size_t ph_market_result_quote_count(const ph_market_result *r);
PH_EXTERN size_t ph_market_result_offer_count(const ph_market_result *r);
/* Quote i: offers by net APR (then the larger amount, then the lender),
 * then declines, then lenders not asked, each by lender; NULL past the end. */
PH_EXTERN const ph_quote *ph_market_result_quote(const ph_market_result *r, size_t i);

/*
 * Decide one application. The application is checked first
 * (ph_application_check; an unknown enterprise is PH_ENOTFOUND field
 * "enterprise"; no LPR in force is PH_ENOTFOUND): a bad application stores
 * nothing. The whole decision is one store unit (ph_store_begin_unit):
 * the LPR, the registration, the consent checks, the features (read only
 * after a consent that needs them) and the stored application, decisions
 * and access-log entries all see one snapshot and are committed together, so a feed ingested meanwhile on
 * another connection is seen entirely or not at all. A decision that fails
 * stores nothing, its access-log entries included (no data was given).
 * The features read the latest peer-median refresh on or before the
 * as-of date (ph_features_for): with none, PH_ENOTFOUND (field "asof").
 * Cost: about 2 ms with three lenders once the day's peer medians are
 * stored; other writers wait for the write lock meanwhile.
 * Errors: as the steps above; PH_EMISUSE when a transaction is open on the
 * store; PH_EBUSY when another writer keeps the lock past the busy timeout;
 * PH_ENOMEM (nothing stored).
 * *out (free with ph_market_result_free) is written on success.
 */
PH_EXTERN ph_status ph_market_apply(ph_market *market, const ph_application *app,
                                    ph_market_result **out, ph_error *err);
PH_EXTERN void ph_market_result_free(ph_market_result *result);

/* The result as one JSON object (amounts in yuan text, rates as decimal
 * fractions in text, so no double touches them). PH_EIO on a write error. */
PH_EXTERN ph_status ph_market_result_write_json(const ph_market_result *result, FILE *out,
                                                ph_error *err);

/* ---- the market view ------------------------------------------------------------------ */

#define PH_MARKET_REPORT_REASONS 5

/* One lender's (or, with lender "", the whole market's) served decisions. */
/* Every string is the report's, whole, never NULL; valid until
 * ph_market_report_free. */
typedef struct ph_market_lender_stats {
    const char *lender;       /* the institution id; "" for the total */
    const char *lender_name;  /* its registered name, else the id; "all lenders" for the total */
    int64_t firms;            /* distinct firms among the applications it decided (for the
                                 total: among every application of the period) */
    int64_t asked;            /* applications it decided */
    int64_t not_asked;        /* applications it was not asked: appetite or consent */
    int64_t approved;
    ph_money offered;         /* sum of offered amounts, fen */
    ph_rate avg_rate;         /* amount-weighted average quoted rate */
    ph_rate avg_net_apr;      /* amount-weighted average net APR (after subsidies) */
    int64_t credit_offers;    /* offers without a guarantor (credit loans) */
    int64_t first_time;       /* offers to firms with no loan before (首贷户) */
    int64_t challenger;       /* decisions served by a challenger policy */
    size_t n_reasons;         /* the most frequent decline reasons, most first */
    const char *reason_code[PH_MARKET_REPORT_REASONS];
    int64_t reason_count[PH_MARKET_REPORT_REASONS];
} ph_market_lender_stats;

typedef struct ph_market_report {
    const ph_ctx *ctx;
    int64_t applications;
    int64_t firms;            /* distinct firms that applied */
    int64_t with_offer;       /* applications with at least one offer */
    size_t n_lenders;
    ph_market_lender_stats *lenders; /* by lender id; lenders[n_lenders] is the total */
} ph_market_report;

/*
 * The market over applications with as-of dates in [from, to] (0: open
 * ended): per lender the served decisions. Averages round half-even to the
 * 1e-8 unit in 128-bit integers. Free with ph_market_report_free.
 */
PH_EXTERN ph_status ph_market_report_build(ph_store *store, ph_date from, ph_date to,
                                           ph_market_report **out, ph_error *err);
PH_EXTERN void ph_market_report_free(ph_market_report *report);

/* ---- the market by segment ---------------------------------------------------------- */

/* The smallest cell the market publishes: a segment, the folded "other"
 * segment, or a lender's row of the market view must count at least this
 * many distinct firms, so that no published figure is one firm's, nor one
 * lender's decision about one firm (docs/marketplace.md#the-smallest-cell). */
#define PH_MARKET_MIN_FIRMS 3
#define PH_MARKET_SEGMENT_MIN_FIRMS PH_MARKET_MIN_FIRMS

/* One segment's applications over the period. Strings are the segments'
 * (whole, never NULL), valid until ph_market_segments_free. */
typedef struct ph_market_segment {
    const char *key;          /* city: its region code ("370100"); industry: the GB/T 4754
                                 section letter; size: micro/small/medium/large/unknown;
                                 "other" for the folded small segments */
    const char *label;        /* the name in Chinese ("" when the region is not known) */
    const char *label_en;     /* the name in English */
    int64_t firms;            /* distinct firms that applied */
    int64_t applications;
    int64_t approved;         /* applications with at least one served offer */
    ph_rate approval_rate;    /* approved / applications (1e-8, half-even; 0 without any) */
    int64_t offers;           /* served offers (an application may get several) */
    ph_money offered;         /* sum of the offered amounts */
    ph_rate avg_rate;         /* offered-amount-weighted average quoted rate (half-even) */
    int64_t first_time;       /* applications with an offer whose facts say the firm never
                                 borrowed before (首贷户) */
} ph_market_segment;

typedef struct ph_market_segments {
    const ph_ctx *ctx;
    const char *by;           /* "city", "industry" or "size" (static) */
    size_t n;
    ph_market_segment *items; /* by key; "other" last */
    int64_t suppressed_firms; /* firms of small segments left out: "other" itself counted
                                 fewer than PH_MARKET_MIN_FIRMS firms (0 when none) */
} ph_market_segments;

/*
 * The applications with as-of dates in [from, to] (0: open ended) grouped
 * by `by`: "city" (the prefecture-level city of the firm's registered
 * county), "industry" (its industry section) or "size" (its size class), as
 * the firm's registration (table enterprise) says now. Segments of fewer
 * than PH_MARKET_SEGMENT_MIN_FIRMS firms are folded into "other", and "other"
 * is left out (its firms counted in suppressed_firms) when it is still
 * under that minimum. Cost: one
 * scan of the period's applications with their served decisions, one JSON
 * parse of the facts of each application with an offer. Errors: PH_EINVAL
 * (field "by") for another grouping, (field "to") for to < from;
 * PH_EMISUSE for NULL arguments; PH_ESCHEMA before the marketplace;
 * PH_ENOMEM; store errors. Free with ph_market_segments_free.
 */
PH_EXTERN ph_status ph_market_segments_build(ph_store *store, const char *by, ph_date from,
                                             ph_date to, ph_market_segments **out,
                                             ph_error *err);
PH_EXTERN void ph_market_segments_free(ph_market_segments *segments);

/* ---- replay --------------------------------------------------------------------------------- */

typedef struct ph_replay_report {
    int64_t decision_id;
    int identical;            /* 1 when score, pd, outcome and trace are byte-identical */
    size_t trace_bytes;
    char difference[PH_ERROR_DETAIL_MAX]; /* "" when identical, else the first difference */
} ph_replay_report;

/*
 * Re-run stored decision `decision_id` from its stored facts, under the
 * stored policy version (its checksum must equal the decision's) and the
 * model version that scored it, and compare the outputs and the trace with
 * what was stored. Returns PH_OK with report->identical 0 or 1; errors:
 * PH_ENOTFOUND for an unknown decision; the policy store's and registry's
 * errors (a tampered policy or model is PH_ESTORE).
 */
PH_EXTERN ph_status ph_market_replay(ph_store *store, int64_t decision_id,
                                     ph_replay_report *out, ph_error *err);

/*
 * The stored trace of decision `decision_id`: the JSON of every rule its
 * policy evaluated and whether it matched, as recorded (one indexed read).
 * *out is allocated with the store's context: free it with ph_free.
 * Errors: PH_ENOTFOUND field "decision" ("no decision 42"); PH_ESCHEMA;
 * store errors; PH_ENOMEM; PH_EMISUSE for NULL store or out.
 */
PH_EXTERN ph_status ph_market_decision_trace(ph_store *store, int64_t decision_id, char **out,
                                             ph_error *err);

/* ---- applications and decisions as stored ------------------------------------------------------ */

/* One stored application. Strings valid during the callback only. */
typedef struct ph_market_application {
    int64_t id;
    const char *uscc;
    ph_money amount;          /* requested, fen */
    int64_t term;             /* months */
    const char *purpose;
    int guarantor;            /* 0 or 1 */
    ph_date asof;             /* the day the data was read as of */
    const char *created_at;   /* UTC timestamp */
} ph_market_application;

typedef ph_status (*ph_market_application_fn)(void *user, const ph_market_application *app,
                                              ph_error *err);

/*
 * Read application `application_id` and call fn once with it (fn's status is
 * returned). Cost: one indexed read. Errors: PH_ENOTFOUND field
 * "application" ("no application 42"); PH_ESCHEMA; store errors;
 * PH_EMISUSE for NULL store or fn.
 */
PH_EXTERN ph_status ph_market_application_get(ph_store *store, int64_t application_id,
                                              ph_market_application_fn fn, void *user,
                                              ph_error *err);

/* One stored decision (served or a challenger's / champion's shadow outcome).
 * Strings are never NULL ("" when they do not apply) and valid during the
 * callback only. */
typedef struct ph_market_decision {
    int64_t id, application_id;
    const char *uscc;          /* the applying firm */
    const char *lender;        /* the institution whose policy decided */
    const char *policy;        /* the policy's name */
    int64_t policy_version;
    const char *role;          /* "champion" or "challenger" */
    int served;                /* 1 when this outcome answered the firm */
    int approved;              /* as decided (an appeal never changes it: see ph_appeal_list) */
    int has_limit;             /* 1 when the policy set a limit */
    ph_money limit;            /* fen; 0 when none */
    int has_rate;
    ph_rate rate;              /* the quoted annual rate; 0 when none */
    ph_money amount;           /* offered, fen; 0 when declined */
    ph_rate apr, net_apr;      /* 0 when declined */
    double score, pd;          /* the model's; NaN without a model */
    const char *model;         /* "" without a model */
    int64_t model_version;     /* 0 without a model */
    ph_date asof;              /* the application's as-of date */
    const char *decided_at;    /* UTC timestamp */
    size_t n_reasons;          /* ph_market_decision_get only; 0 in a list */
    const ph_quote_reason *reasons;
} ph_market_decision;

typedef ph_status (*ph_market_decision_fn)(void *user, const ph_market_decision *decision,
                                           ph_error *err);

/*
 * Read decision `decision_id` with its reasons (the policy's, then the
 * model's, as stored) and call fn once with it (fn's status is returned).
 * Cost: one indexed read and the parse of the stored reasons. Errors:
 * PH_ENOTFOUND field "decision" ("no decision 42"); PH_ESCHEMA, also for
 * stored reasons that are not the JSON the market writes; store errors;
 * PH_ENOMEM; PH_EMISUSE for NULL store or fn.
 */
PH_EXTERN ph_status ph_market_decision_get(ph_store *store, int64_t decision_id,
                                           ph_market_decision_fn fn, void *user,
                                           ph_error *err);

typedef enum ph_market_decision_outcome {
    PH_DECISIONS_ANY = 0,
    PH_DECISIONS_APPROVED = 1,
    PH_DECISIONS_DECLINED = 2
} ph_market_decision_outcome;

/* Which decisions ph_market_decisions_list reports. Zero-initialised: every
 * decision, newest first, all of them. */
typedef struct ph_market_decision_filter {
    const char *lender;             /* NULL: any lender */
    const char *uscc;               /* NULL: any firm */
    int64_t application_id;         /* 0: any application */
    ph_market_decision_outcome outcome;
    int served_only;                /* 1: only the outcomes that answered the firm */
    ph_date from, to;               /* the application's as-of date within [from, to];
                                       0: open ended */
    int64_t after;                  /* keyset: only ids below this one; 0: from the newest */
    int64_t limit;                  /* at most this many; 0: all */
} ph_market_decision_filter;

/*
 * Call fn for each decision matching `filter` (NULL: all), by id from the
 * newest, without reasons (n_reasons 0). A callback status other than PH_OK
 * stops the walk and is returned. The next page starts after the last id
 * seen. Cost: with a uscc or an application, that firm's or application's
 * decisions through their indexes; with a lender alone, every decision of
 * that lender is read through decision_policy and sorted before the page is
 * cut (O(the lender's decisions) per page: an index on (lender, id) would
 * make it O(limit)); with no filter, a walk from the newest id that stops at
 * `limit`. Errors: PH_EINVAL field "limit" when negative, "after" when
 * negative, "to" when before from; PH_ESCHEMA; store errors; PH_EMISUSE for
 * NULL store or fn.
 */
PH_EXTERN ph_status ph_market_decisions_list(ph_store *store,
                                             const ph_market_decision_filter *filter,
                                             ph_market_decision_fn fn, void *user,
                                             ph_error *err);

/* ---- an offer, as the loan book accepts it ------------------------------------------------------ */

#define PH_OFFER_TEXT_MAX 256

/* A stored decision's offer with everything a contract copies from it. The
 * strings are whole (PH_OFFER_TEXT_MAX is a limit of the stored values, not
 * a buffer that cuts: a longer value is PH_ERANGE). */
typedef struct ph_market_offer {
    int64_t decision_id, application_id;
    char uscc[19];
    char lender[PH_OFFER_TEXT_MAX];
    char policy[PH_OFFER_TEXT_MAX];      /* the policy's name */
    int64_t policy_version;
    char product[PH_OFFER_TEXT_MAX];     /* the policy's product name */
    char repayment[32];                  /* the product's repayment method */
    char purpose[64];
    int approved;                        /* 1 when the decision (or an overturning appeal) approved */
    int served;                          /* 1 when this decision answered the firm */
    int first_loan;                      /* 1 when the facts say the firm never borrowed */
    ph_money amount;                     /* offered, fen */
    ph_rate rate;                        /* the quoted annual rate */
    int64_t term;                        /* months */
    int guarantor;                       /* 1 when the application named a guarantor */
    ph_rate guarantee_fee;               /* the product's fee, 0 without a guarantor */
    int64_t subsidy_programme_id;        /* 0 = none */
    ph_rate subsidy_rate;
    ph_money award;
    ph_date asof;                        /* the application's date: the offer's day */
} ph_market_offer;

/*
 * Read decision `decision_id` as an offer: the decision, its application
 * and the product of the policy version that decided it (read through the
 * policy store, so a tampered policy is PH_ESTORE), with an overturning
 * appeal's limit and rate applied. Does not judge the offer (the loan book
 * does: declined, expired, accepted). Errors: PH_ENOTFOUND field
 * "decision"; PH_ERANGE for a stored text longer than the offer holds;
 * PH_ESCHEMA; store errors; PH_EMISUSE for NULL arguments. Cost: three
 * indexed reads and one policy parse.
 */
PH_EXTERN ph_status ph_market_offer_get(ph_store *store, int64_t decision_id,
                                        ph_market_offer *out, ph_error *err);

/* One served, approved decision as the marketplace ranks it (an offer a
 * firm may accept): its application, the firm, the offer's day and its net
 * APR after the subsidy (0 when none was stored). */
typedef struct ph_market_offer_ref {
    int64_t decision_id, application_id;
    char uscc[19];
    ph_date asof;
    ph_rate net_apr;
} ph_market_offer_ref;
typedef int (*ph_market_offer_fn)(const ph_market_offer_ref *offer, void *user); /* nonzero stops */

/*
 * Every served, approved decision of the applications dated from..to
 * (inclusive), by application, then by the market's ranking (the lowest net
 * APR first, then the decision id), so an application's best offer comes
 * first. Does not judge the offers (expired, accepted: the loan book does;
 * an appeal's override is read by ph_market_offer_get). Errors: PH_EMISUSE
 * for NULL store or fn; PH_ESCHEMA; PH_ERANGE for a stored USCC over 18
 * bytes; store errors. Cost: one scan of the decisions of the period.
 */
PH_EXTERN ph_status ph_market_offers_list(ph_store *store, ph_date from, ph_date to,
                                          ph_market_offer_fn fn, void *user, ph_error *err);

/* ---- appeals ---------------------------------------------------------------------------------- */

/*
 * A firm may appeal the decision it was given (docs/domain.md#credit-assessment: an appeal opens a
 * manual review). A reviewer then upholds it or overturns it; an override
 * records the limit and rate granted. The decision itself never changes:
 * the appeal is the record of the change, with who decided and why.
 */
typedef enum ph_appeal_outcome {
    PH_APPEAL_UPHOLD = 0,   /* the decision stands */
    PH_APPEAL_OVERTURN = 1  /* the reviewer grants limit and rate */
} ph_appeal_outcome;

/* Open an appeal of served decision `decision_id` with the firm's grounds.
 * *id (may be NULL) gets the appeal's id. Errors: PH_ENOTFOUND (no such
 * decision); PH_EINVAL field "decision" for a decision that was not served
 * (a challenger's or champion's shadow outcome), field "grounds" when empty;
 * PH_EEXISTS when an appeal of it is open already. */
PH_EXTERN ph_status ph_appeal_open(ph_store *store, int64_t decision_id, const char *grounds,
                                   int64_t *id, ph_error *err);

/* Decide open appeal `appeal_id`. `reviewer` and `reason` are required.
 * Overturning needs limit > 0 (fen) and 0 < rate <= 100%; upholding takes
 * limit and rate 0. Errors: PH_ENOTFOUND; PH_EINVAL naming the field, or
 * "appeal 3 was decided already (overturned by ... on ...)". */
PH_EXTERN ph_status ph_appeal_decide(ph_store *store, int64_t appeal_id,
                                     ph_appeal_outcome outcome, const char *reviewer,
                                     const char *reason, ph_money limit, ph_rate rate,
                                     ph_error *err);

/* One appeal as read back; strings valid during the callback only. */
typedef struct ph_appeal {
    int64_t id, decision_id, application_id;
    const char *uscc, *lender;
    int decision_approved;
    const char *grounds, *opened_at;
    const char *status;        /* "open", "upheld", "overturned" */
    const char *reviewer, *reason, *decided_at; /* "" while open */
    int has_override;
    ph_money limit;
    ph_rate rate;
} ph_appeal;

typedef ph_status (*ph_appeal_fn)(void *user, const ph_appeal *appeal, ph_error *err);

/* Every appeal (of `decision_id`, or all when 0), by id. */
PH_EXTERN ph_status ph_appeal_list(ph_store *store, int64_t decision_id, ph_appeal_fn fn,
                                   void *user, ph_error *err);

/* Appeal `appeal_id`: fn is called once with it (fn's status is returned).
 * Cost: one indexed read. Errors: PH_ENOTFOUND field "appeal" ("no appeal
 * 3"); PH_ESCHEMA; store errors; PH_EMISUSE for NULL store or fn. */
PH_EXTERN ph_status ph_appeal_get(ph_store *store, int64_t appeal_id, ph_appeal_fn fn,
                                  void *user, ph_error *err);

/* ---- simulation ------------------------------------------------------------------------------- */

/* One application whose decision a simulated version would change. */
typedef struct ph_simulated_change {
    int64_t application_id, decision_id;
    const char *uscc;
    int old_approved, new_approved;
    ph_money old_limit, new_limit; /* 0 when declined */
    ph_rate old_rate, new_rate;
    const char *new_reason;        /* the first reason of a new decline, else "" */
} ph_simulated_change;

typedef ph_status (*ph_simulation_fn)(void *user, const ph_simulated_change *change,
                                      ph_error *err);

typedef struct ph_simulation {
    int64_t applications;          /* the lender's served decisions in the period */
    int64_t old_approved, new_approved;
    ph_money old_offered, new_offered;
    /* expected loss = sum over approvals of PD x LGD x amount offered, in fen
     * (a projection: PD is a model's double, rounded once per loan) */
    ph_money old_expected_loss, new_expected_loss;
    int64_t changed;
} ph_simulation;

/*
 * Re-run LENDER / NAME version VERSION (stored; active or not) over the
 * stored applications whose served decision came from that lender's policy
 * NAME, with as-of dates in [from, to] (0: open), from their stored facts,
 * and compare with what was decided. `lgd` is the loss given default (a
 * rate, 45% = 45000000). `fn` (may be NULL) is called per changed decision.
 * Nothing is stored. Errors: the policy store's; a model the version names
 * that is not approved (PH_EDENIED); PH_EINVAL for lgd outside (0, 100%].
 */
PH_EXTERN ph_status ph_market_simulate(ph_store *store, const char *lender, const char *name,
                                       int64_t version, ph_date from, ph_date to, ph_rate lgd,
                                       ph_simulation_fn fn, void *user, ph_simulation *out,
                                       ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_MARKET_H */
