/*
 * puhui — post-loan early warning (贷后预警): rules as data, the streaming
 * engine, three colours with hysteresis (docs/warning.md,
 * docs/domain.md#post-loan-monitoring).
 *
 * This header is the engine: pure and in memory, no store, no I/O. A rule
 * set (a JSON document, ph_warn_rules_load) is compiled once; an engine
 * (ph_warn_engine_new) registers the firms it watches and their
 * supply-chain links, takes events in time order (ph_warn_engine_push),
 * closes days (ph_warn_engine_close_through) and reports each rule hit and
 * each change of a firm's colour through one callback, in a deterministic
 * order. Its whole state is a few flat arrays per rule (ring buffers of
 * period aggregates, running streaks, the last values an event rule read):
 * nothing is re-read for an event, and ph_warn_engine_checkpoint turns the
 * state into bytes that ph_warn_engine_restore turns back, so that a run
 * restarted from a checkpoint reports byte for byte what an uninterrupted
 * run reports.
 *
 * Feeds: an event comes from a feed of the catalogue (feed.h) that serves
 * monitoring (PH_PURPOSE_MONITORING). Its fields are the feed's columns of
 * type int, money, share, decimal and enum, in catalogue order (at most
 * PH_WARN_FIELDS): money in fen, int as is, share and decimal as
 * ph_decimal (1e-8 units), an enum as its position in the column's list of
 * values (0-based). A rule names the feed and its fields by their catalogue
 * names. The store side (src/monitor/source.c) reads the feed tables into
 * these events. After the catalogue's feeds come the platform's own records
 * that serve monitoring, described by a ph_feed of the same form that is
 * not in the catalogue (its path NULL; no feed table, no consent names it):
 * voucher_late_settlements, a claim voucher's part paid after its maturity
 * (voucher.h; fields days_late, amount), which the store side reads
 * through the voucher module.
 *
 * Errors follow docs/errors.md.
 */
#ifndef PUHUI_WARNING_H
#define PUHUI_WARNING_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/access.h"
#include "puhui/feed.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The colours (三色预警), in order of severity. */
typedef enum ph_warn_level {
    PH_WARN_GREEN = 0,
    PH_WARN_YELLOW = 1,
    PH_WARN_RED = 2
} ph_warn_level;

/* "green", "yellow", "red"; NULL for anything else. */
PH_EXTERN const char *ph_warn_level_name(ph_warn_level level);
/* The level named `name`; -1 for anything else. */
PH_EXTERN int ph_warn_level_parse(const char *name);

/* What a hit asks of the lender. */
typedef enum ph_warn_action {
    PH_WARN_ALERT = 0,      /* an alert to the account manager */
    PH_WARN_INSPECTION = 1, /* an on-site inspection is required */
    PH_WARN_PAUSE = 2,      /* new drawdowns paused; lifted when the firm is green again */
    PH_WARN_FREEZE = 3      /* the revolving line frozen; only a person unfreezes it */
} ph_warn_action;

/* "alert", "inspection", "pause_draws", "freeze"; NULL for anything else. */
PH_EXTERN const char *ph_warn_action_name(ph_warn_action action);
PH_EXTERN int ph_warn_action_parse(const char *name);

/* ---- feeds ---------------------------------------------------------------------------- */

#define PH_WARN_FIELDS 6 /* values an event carries at most */

/* The feeds an event may come from: every catalogue feed serving
 * monitoring, in catalogue order, then the platform's own records (above).
 * Their count, the feed of `index` (NULL past the end) and the index of
 * feed `name` (-1: none such). */
PH_EXTERN size_t ph_warn_feed_count(void);
PH_EXTERN const ph_feed *ph_warn_feed_at(size_t index);
PH_EXTERN int ph_warn_feed_index(const char *name);

/* The fields of feed `index`: how many, and the catalogue column of field
 * `i` (NULL past the end). */
PH_EXTERN size_t ph_warn_field_count(size_t feed_index);
PH_EXTERN const ph_feed_column *ph_warn_field_at(size_t feed_index, size_t i);

/* One event: one row of a monitored feed about one registered firm. */
typedef struct ph_warn_event {
    ph_date day;          /* the day it happened or became known: the store side
                             dates a row by its feed's time column (a month: its last
                             day) plus the feed's lag (docs/watch.md) */
    uint32_t firm;        /* ph_warn_engine_add_firm's index */
    uint16_t feed;        /* ph_warn_feed_index */
    uint16_t reserved;    /* 0 */
    int64_t v[PH_WARN_FIELDS]; /* the feed's fields in order, as above; unused: 0 */
} ph_warn_event;

/* ---- rule sets ------------------------------------------------------------------------ */

typedef struct ph_warn_rules ph_warn_rules;

/* The kinds of rule. */
typedef enum ph_warn_rule_kind {
    PH_WARN_RULE_WINDOW = 0, /* an aggregate over N days or weeks against a baseline,
                                the industry × city peers or a threshold */
    PH_WARN_RULE_EVENT = 1,  /* a condition on one event (and the last one before it) */
    PH_WARN_RULE_GRAPH = 2   /* cross-chain contagion from another rule's hit */
} ph_warn_rule_kind;

/* What a rule set says of one of its rules (pointers owned by the set). */
typedef struct ph_warn_rule_info {
    const char *id;          /* "inflow_drop_2w" */
    const char *title;       /* one line a credit officer reads */
    ph_warn_rule_kind kind;
    const char *feed;        /* the feed it reads; NULL for a graph rule */
    const char *when;        /* its condition (policy expression text); NULL for graph */
    ph_warn_level level;
    ph_warn_action action;
} ph_warn_rule_info;

/*
 * Compile a rule-set document (JSON, docs/warning.md#rule-sets) from
 * text[0..len); `source` names it in errors ("rules.json"). Conditions are
 * policy expressions (expr.h) over the variables the rule's kind provides.
 * Errors: PH_EINVAL located at the file, line and column of the member,
 * naming the member's path ("rules[2].feed"), the value and what was
 * expected: unknown members, an unknown feed ("expected a feed serving
 * monitoring: credit_status, ..."), an unknown field, a window or count out
 * of range, a bad level or action, a condition that does not compile (the
 * expression's own message, with its column), a graph rule naming no rule
 * or an unknown one, duplicate rule ids; PH_ENOMEM; PH_EMISUSE for NULL
 * arguments.
 */
PH_EXTERN ph_status ph_warn_rules_load(const ph_ctx *ctx, const char *text, size_t len,
                                       const char *source, ph_warn_rules **out, ph_error *err);

/* The rule set the platform ships (the brief's rules), and the naive
 * baseline that watches only days past due: their JSON texts, and loaded. */
PH_EXTERN const char *ph_warn_rules_default_text(void);
PH_EXTERN const char *ph_warn_rules_baseline_text(void);

PH_EXTERN void ph_warn_rules_free(ph_warn_rules *rules);

/* The set's name and version (its document's "name" and "version"), its
 * checksum (BLAKE2b-256 hex of the exact bytes loaded), its rules. */
PH_EXTERN const char *ph_warn_rules_name(const ph_warn_rules *rules);
PH_EXTERN int64_t ph_warn_rules_version(const ph_warn_rules *rules);
PH_EXTERN const char *ph_warn_rules_checksum(const ph_warn_rules *rules);
PH_EXTERN size_t ph_warn_rules_count(const ph_warn_rules *rules);
PH_EXTERN const ph_warn_rule_info *ph_warn_rules_at(const ph_warn_rules *rules, size_t i);
/* The feeds the set reads, as a source set (for the consent gate). */
PH_EXTERN ph_source_set ph_warn_rules_sources(const ph_warn_rules *rules);

/* ---- the engine ----------------------------------------------------------------------- */

typedef struct ph_warn_engine ph_warn_engine;

/* What the engine reports. */
typedef enum ph_warn_report_kind {
    PH_WARN_HIT = 0,   /* a rule fired for a firm */
    PH_WARN_LEVEL = 1  /* a firm's colour changed */
} ph_warn_report_kind;

typedef struct ph_warn_report {
    ph_warn_report_kind kind;
    ph_date day;            /* the day it happened (the event's, or the day closed) */
    uint32_t firm;
    const char *uscc;
    const char *rule;       /* HIT: the rule's id; LEVEL: the rule that caused an
                               upgrade, or "calm" for a downgrade */
    ph_warn_level level;    /* HIT: the rule's level; LEVEL: the new colour */
    ph_warn_level previous; /* LEVEL: the colour before */
    ph_warn_action action;  /* HIT: the rule's action */
    const char *evidence;   /* HIT: a JSON object of the values the rule read;
                               LEVEL: why ("{\"after_days\":30}" ...) */
} ph_warn_report;

typedef ph_status (*ph_warn_report_fn)(void *user, const ph_warn_report *report,
                                       ph_error *err);

typedef struct ph_warn_engine_opts {
    ph_warn_report_fn report; /* may be NULL */
    void *user;
} ph_warn_engine_opts;

/* A new engine for `rules` (which must outlive it), no firm yet.
 * Errors: PH_ENOMEM; PH_EMISUSE for NULL ctx, rules or out. */
PH_EXTERN ph_status ph_warn_engine_new(const ph_ctx *ctx, const ph_warn_rules *rules,
                                       const ph_warn_engine_opts *opts, ph_warn_engine **out,
                                       ph_error *err);
PH_EXTERN void ph_warn_engine_free(ph_warn_engine *eng);

/*
 * Register a firm: its USCC, county (the division code of its registration:
 * the city is its first four digits) and industry section ('A'..'T'), which
 * together place it among its peers. `watched` 1: its rules run and it gets
 * hits; 0: its events only count for its peers' averages. *index is its
 * index for events, 0, 1, 2, ... Registering a USCC again returns its index
 * and updates `watched`. Errors: PH_EINVAL field "uscc" (not 18 characters),
 * "industry"; PH_ENOMEM.
 */
PH_EXTERN ph_status ph_warn_engine_add_firm(ph_warn_engine *eng, const char *uscc,
                                            int32_t division, char section, int watched,
                                            uint32_t *index, ph_error *err);

/* Watch (1) or stop watching (0) firm `index` from now on: a firm whose
 * monitoring consent is revoked stops at once; its colour is kept.
 * Errors: PH_EINVAL field "firm" for an unknown index. */
PH_EXTERN ph_status ph_warn_engine_watch(ph_warn_engine *eng, uint32_t index, int watched,
                                         ph_error *err);

/* Record a supply-chain link: `supplier` sells to `buyer` in chain `chain`
 * (supply_chain.chain_id as a number). Errors: PH_EINVAL field "firm". */
PH_EXTERN ph_status ph_warn_engine_add_link(ph_warn_engine *eng, uint32_t chain,
                                            uint32_t supplier, uint32_t buyer, ph_error *err);

/*
 * Take events[0..n) in time order: each day must be on or after the last
 * event's day and after the last day closed. Reaching a new day first
 * closes the days before it (ph_warn_engine_close_through). Cost: O(1) per
 * event plus the conditions of the event rules on its feed, plus the day
 * closes it triggers.
 * Errors: PH_EINVAL field "day" for an event out of order ("event 12 of
 * feed payments_daily for firm ... is dated 2026-03-01, before 2026-03-02
 * already reached"), field "firm" or "feed" for an unknown index; the
 * report callback's status; an evaluation error of a condition. Events
 * before the failing one have been taken.
 */
PH_EXTERN ph_status ph_warn_engine_push(ph_warn_engine *eng, const ph_warn_event *events,
                                        size_t n, ph_error *err);

/* Close every day up to and including `day`: end its periods, run the window
 * rules and the colours' calm-down. Errors: as push. */
PH_EXTERN ph_status ph_warn_engine_close_through(ph_warn_engine *eng, ph_date day,
                                                 ph_error *err);

/* The last day closed (0: none) and the number of firms. */
PH_EXTERN ph_date ph_warn_engine_closed(const ph_warn_engine *eng);
PH_EXTERN size_t ph_warn_engine_firm_count(const ph_warn_engine *eng);
/* Firm `index`'s colour now, and its USCC (NULL for an unknown index). */
PH_EXTERN ph_warn_level ph_warn_engine_level(const ph_warn_engine *eng, uint32_t index);
PH_EXTERN const char *ph_warn_engine_uscc(const ph_warn_engine *eng, uint32_t index);
/* Bytes of state the engine holds per firm (its arrays, not the rules). */
PH_EXTERN size_t ph_warn_engine_bytes_per_firm(const ph_warn_engine *eng);

/*
 * The engine's whole state as bytes (*buf allocated with the context's
 * allocator, freed with ph_free): firms, links, every rule's arrays, the
 * day reached, and the rule set's checksum. Errors: PH_ENOMEM.
 */
PH_EXTERN ph_status ph_warn_engine_checkpoint(const ph_warn_engine *eng, unsigned char **buf,
                                              size_t *len, ph_error *err);

/*
 * An engine from a checkpoint's bytes, for `rules`, which must be the set
 * the checkpoint was taken with. Errors: PH_EINVAL field "checkpoint"
 * (`source` names it) for bytes that are not a checkpoint, of another
 * format version, cut short or corrupt (a checksum covers them), or taken
 * with another rule set (both checksums named); PH_ENOMEM.
 */
PH_EXTERN ph_status ph_warn_engine_restore(const ph_ctx *ctx, const ph_warn_rules *rules,
                                           const unsigned char *buf, size_t len,
                                           const char *source,
                                           const ph_warn_engine_opts *opts,
                                           ph_warn_engine **out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_WARNING_H */
