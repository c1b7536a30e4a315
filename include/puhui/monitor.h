/*
 * puhui — post-loan monitoring: the store side of the early warning
 * (贷后预警; docs/watch.md). The engine itself (warning.h) is pure and in
 * memory; this module feeds it from the data hub and acts on what it says:
 *
 *   - rule sets are stored by name and version with their exact bytes, like
 *     lender policies (policy_store.h); at most one is active, and without
 *     one the built-in default (ph_warn_rules_default_text) runs;
 *   - the source reads the monitored feed tables (feed_<name>, schema.h)
 *     into events in time order, a month of rows at a time, so memory stays
 *     bounded whatever the history (credit_status, one row per loan and
 *     month, becomes one event per firm and month: the largest days past
 *     due, the sums of balance and arrears);
 *   - the firms watched are those with a loan in the book (loan.h) whose
 *     lender holds a live monitoring consent (access.h, judged by the wall
 *     clock) covering every feed the rule set reads; every registered firm
 *     is given to the engine, the others only for their peers' averages;
 *   - each rule hit for a watched firm becomes one alert per lender
 *     watching it, with the engine's evidence, and its action is applied:
 *     pause_draws and freeze freeze the firm's revolving lines at that
 *     lender (ph_loan_freeze; a pause is lifted when the firm is green
 *     again, a freeze never automatically); people acknowledge, escalate
 *     and close alerts;
 *   - the backtest runs a rule set and the naive baseline over the same
 *     events against the simulation's truth/defaults.csv.
 *
 * Consent: the gate (ph_access_check, purpose monitoring, the rule set's
 * sources) is called, and logged, once per firm, lender and wall-clock day,
 * not per event; before every day it processes the watch re-reads the live
 * monitoring consents (one query, nothing logged), so a revoked consent
 * stops the firm's monitoring from the next day processed.
 *
 * Actions happen now: a freeze is a loan event of the book's open business
 * day (ph_cob_open_day), whatever day of the replayed history the hit
 * belongs to; the alert keeps the hit's day.
 *
 * Needs a store at schema version 15 or later (PH_ESCHEMA otherwise: run
 * `puhui init`); functions run their own transactions, so none may be open
 * (PH_EMISUSE). Timestamps are UTC ISO 8601 to the second. Errors follow
 * docs/errors.md.
 */
#ifndef PUHUI_MONITOR_H
#define PUHUI_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/store.h"
#include "puhui/warning.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- rule sets in the store ----------------------------------------------------------- */

/* A stored rule-set version as read back. Strings are NUL-terminated and
 * live as long as the entry. */
typedef struct ph_monitor_rules_entry {
    const ph_ctx *ctx;      /* the store's: the entry's memory is from it */
    int64_t id;             /* warning_rules.id: what alerts and runs name */
    const char *name;       /* the document's "name" */
    int64_t version;        /* the document's "version" */
    char checksum[PH_CHECKSUM_HEX]; /* BLAKE2b-256 of the exact bytes */
    size_t size;            /* bytes of the document */
    const char *file;       /* the file it was loaded from (no directories), or
                               "(built-in default)" */
    const char *loaded_at;
    int active;             /* 1: the set `puhui watch` runs */
    int stored;             /* load only: 1 when this load stored it, 0 when the same
                               bytes were there already */
} ph_monitor_rules_entry;

/*
 * Load the rule-set file at `path`: the file is read once, those bytes are
 * compiled by ph_warn_rules_load (a set that does not compile is never
 * stored, and the error is the loader's, located at the file's line and
 * column with the member's path, value and what was expected), hashed and
 * stored under the document's name and version. The same version with the
 * same bytes stores nothing (entry->stored 0); with other bytes it is
 * PH_EEXISTS naming both checksums. `activate` non-zero then makes it the
 * active set. *out (may be NULL) receives the entry (free with
 * ph_monitor_rules_entry_free). Cost: one read, one compile, one hash, one
 * transaction of two indexed reads and one insert.
 * Errors: PH_EMISUSE (NULL store or path, a transaction open); PH_EIO (the
 * file); the loader's PH_EINVAL; PH_EEXISTS; PH_ESCHEMA; PH_ENOMEM; store
 * errors.
 */
PH_EXTERN ph_status ph_monitor_rules_load(ph_store *store, const char *path, int activate,
                                          ph_monitor_rules_entry **out, ph_error *err);

/* ph_monitor_rules_load from text[0..len) (copied; need not be
 * NUL-terminated); `source` names it in errors and is recorded as the
 * entry's file (its last path component). Same errors, PH_EIO aside. */
PH_EXTERN ph_status ph_monitor_rules_load_text(ph_store *store, const char *text, size_t len,
                                               const char *source, int activate,
                                               ph_monitor_rules_entry **out, ph_error *err);

/*
 * Make rule set NAME version VERSION (>= 1) the active one (the one active
 * before, if any, no longer is). `name` NULL: the one set that has that
 * version. Errors: PH_ENOTFOUND (field "version") when it is not stored;
 * PH_EINVAL (field "version") for a version < 1, or with a NULL name when
 * several sets have that version (they are named); PH_EMISUSE; PH_ESCHEMA;
 * store errors. One transaction.
 */
PH_EXTERN ph_status ph_monitor_rules_activate(ph_store *store, const char *name,
                                              int64_t version, ph_error *err);

/*
 * Read a stored rule set: NAME at VERSION (name NULL: the one set with that
 * version), or with version 0 the active set. The stored bytes are hashed
 * first: a mismatch with the recorded checksum, or a document naming
 * another name or version than its row, is PH_ESTORE (the row was altered)
 * and nothing is returned. `rules` (compiled; free with ph_warn_rules_free;
 * its errors name the source "warning_rules:NAME@VERSION") and `entry` may
 * each be NULL, not both. Cost: one indexed read, a hash and, for `rules`,
 * one compile. Errors: PH_ENOTFOUND (field "version", or field "rules" when
 * none is active); PH_EINVAL (field "version") for a version < 0 or an
 * ambiguous one; PH_ESTORE; PH_EMISUSE; PH_ESCHEMA; PH_ENOMEM.
 */
PH_EXTERN ph_status ph_monitor_rules_get(ph_store *store, const char *name, int64_t version,
                                         ph_warn_rules **rules, ph_monitor_rules_entry **entry,
                                         ph_error *err);

/*
 * The exact bytes of stored rule set `id` (what `puhui warning rules show
 * --text` prints), checked against their checksum. *text (NUL-terminated,
 * free with ph_free and the store's context) and *len receive them.
 * Errors: PH_ENOTFOUND (field "id"); PH_ESTORE for bytes that no longer
 * hash to the checksum; PH_EMISUSE; PH_ESCHEMA; PH_ENOMEM.
 */
PH_EXTERN ph_status ph_monitor_rules_text(ph_store *store, int64_t id, char **text, size_t *len,
                                          ph_error *err);

/* Called per entry, valid during the call only; a status other than PH_OK
 * stops the walk and is returned. */
typedef ph_status (*ph_monitor_rules_fn)(void *user, const ph_monitor_rules_entry *entry,
                                         ph_error *err);

/* Every stored version by name, then version. One scan; fn must not write
 * to the store. Errors: PH_EMISUSE for NULL store or fn; PH_ESCHEMA; fn's
 * status; store errors. */
PH_EXTERN ph_status ph_monitor_rules_list(ph_store *store, ph_monitor_rules_fn fn, void *user,
                                          ph_error *err);

/* ph_monitor_rules_get by the row's id (what an alert's rule_set_id names):
 * the same checks, the same outputs. Errors: PH_ENOTFOUND (field "id");
 * as ph_monitor_rules_get otherwise. */
PH_EXTERN ph_status ph_monitor_rules_get_id(ph_store *store, int64_t id, ph_warn_rules **rules,
                                            ph_monitor_rules_entry **entry, ph_error *err);

/* Free an entry (NULL is fine). */
PH_EXTERN void ph_monitor_rules_entry_free(ph_monitor_rules_entry *entry);

/* ---- watching: replaying the feeds and following new ones ---------------------------- */

/* What a watch did. Counts are of this call (a follower's: since it opened). */
typedef struct ph_monitor_summary {
    int64_t run_id;            /* its warning_run row */
    int64_t rule_set_id;       /* the rule set it ran (warning_rules.id) */
    char rules_name[128];      /* its name and version */
    int64_t rules_version;
    ph_date from, to;          /* the days processed (follow: the first and the last
                                  day reached; 0 when none) */
    int64_t days;              /* days processed */
    int64_t events;            /* events given to the engine */
    int64_t skipped_rows;      /* rows of firms that are not registered */
    int64_t hits;              /* rule hits the engine reported for watched firms */
    int64_t level_changes;     /* colour changes of watched firms (warning_level rows) */
    int64_t firms;             /* firms registered with the engine (the peers) */
    int64_t firms_watched;     /* firms watched on at least one day */
    int64_t pairs_watched;     /* firm and lender pairs watched on at least one day */
    int64_t gate_checks;       /* ph_access_check calls (each logged) */
    int64_t gate_denied;       /* of which refused */
    int64_t alerts;            /* alerts written */
    int64_t alerts_by_level[3]; /* by ph_warn_level */
    int64_t lines_frozen;      /* revolving lines a freeze now holds (frozen by it, or
                                  frozen already by a pause or a person) */
    int64_t lines_paused;      /* revolving lines frozen by a pause */
    int64_t lines_resumed;     /* paused lines unfrozen when their firm was green again */
    int64_t files;             /* follow: ingest files consumed */
    int64_t late_rows;         /* follow: rows dated before the day reached, reported
                                  and skipped */
    unsigned char *checkpoint; /* replay with keep_checkpoint: the engine's state at the
                                  end (free with ph_monitor_summary_free) */
    size_t checkpoint_len;
} ph_monitor_summary;

/* Free what a summary owns (its checkpoint) and zero it. NULL is fine. */
PH_EXTERN void ph_monitor_summary_free(const ph_ctx *ctx, ph_monitor_summary *summary);

/* The rule set a watch runs: `rules_path` when given (loaded into the store
 * first, not activated, so its alerts can name it), else the active set,
 * else the built-in default (stored on first use as "(built-in default)",
 * not active). */

typedef struct ph_monitor_watch_opts {
    ph_date from, to;          /* the days to replay, inclusive; with `resume`, from may
                                  be 0 (the day after the checkpoint's last closed day) */
    const char *rules_path;    /* NULL: the active set, else the built-in default */
    const unsigned char *resume; /* a checkpoint (ph_warn_engine_checkpoint) to go on
                                    from; NULL: start afresh */
    size_t resume_len;
    const char *resume_source; /* names it in errors ("state.bin") */
    int keep_checkpoint;       /* 1: the summary receives the engine's state after `to`,
                                  and warning_run keeps it */
    ph_date book_on;           /* 0: a firm is watched on day D for a loan in the book on
                                  D; else the book on this day counts for every day */
    /* Called after each day processed (may be NULL). */
    void (*progress)(void *user, ph_date day, const ph_monitor_summary *so_far);
    void *user;
} ph_monitor_watch_opts;

/*
 * Replay the stored feeds from opts->from to opts->to through the engine,
 * day by day: before each day the watched firms are settled (the book on
 * that day, the live monitoring consents, the gate once per firm, lender
 * and wall-clock day), then the day's events are pushed and the day is
 * closed; then its hits are written as alerts (one per hit and lender, in
 * one transaction per day) and their actions applied. Every registered
 * firm is given to the engine (its county and section place it among its
 * peers) and every supply-chain link of feed_supply_chain ("SC0001" is
 * chain 1); with `resume` the engine comes from the checkpoint (firms and
 * links as they were then, firms registered since added) and the replay
 * starts the day after its last closed day. A warning_run row records the
 * run. The same feeds, book and consents give the same alerts, and a
 * replay D1..D3 writes the same alerts (ids aside) as D1..D2 with
 * keep_checkpoint then a resume to D3.
 * Cost: per month and monitored feed one query ordered by day (the
 * database sorts the month's rows); per day one consent query; per event
 * the engine's cost; memory: the engine's state, the book's loans and one
 * batch of events, whatever the history's length.
 * Errors: PH_EINVAL (field "from" / "to") for days that are not a range, or
 * a from other than the checkpoint's next day; the engine's errors (a
 * checkpoint of another rule set or corrupt, field "checkpoint"); the rule
 * set's (as ph_monitor_rules_load); PH_EINVAL naming the table, column,
 * value and the row's file_id and line for a stored value that does not
 * read; gate and loan errors other than a refusal; PH_EMISUSE; PH_ESCHEMA;
 * PH_ENOMEM; store errors. Alerts of the days before a failure stay
 * written; summary (may be NULL) is written on success.
 */
PH_EXTERN ph_status ph_monitor_watch(ph_store *store, const ph_monitor_watch_opts *opts,
                                     ph_monitor_summary *summary, ph_error *err);

/* A row `puhui watch --follow` could not take: dated before the day the
 * engine has reached. Strings valid during the call only. */
typedef struct ph_monitor_late_row {
    const char *path;   /* the ingest file it came from */
    int64_t line;       /* its line there */
    const char *feed;
    const char *uscc;
    ph_date day;        /* its day */
    ph_date reached;    /* the day already reached */
} ph_monitor_late_row;

typedef struct ph_monitor_follow_opts {
    const char *rules_path;    /* as ph_monitor_watch_opts */
    ph_date book_on;           /* as ph_monitor_watch_opts */
    /* Each late row, skipped (may be NULL: they are still counted). */
    void (*late)(void *user, const ph_monitor_late_row *row);
    void *user;
} ph_monitor_follow_opts;

typedef struct ph_monitor_follower ph_monitor_follower;

/*
 * Open a follower: the latest follow session of the same rule set goes on
 * (its warning_run row, the engine restored from its checkpoint, its
 * cursor: the last ingest_file consumed), or a new one starts with every
 * file ever ingested still to consume. Errors: as ph_monitor_watch, and
 * the engine's restore errors for a stored checkpoint.
 */
PH_EXTERN ph_status ph_monitor_follow_open(ph_store *store, const ph_monitor_follow_opts *opts,
                                           ph_monitor_follower **out, ph_error *err);

/*
 * Consume the rows of every ingest file finished after the cursor
 * (ph_ingest_files_after), in time order across feeds: days are settled
 * and closed as in ph_monitor_watch, except the last day reached, which
 * stays open for the next file. A row dated before the day reached is
 * reported to opts->late with its file, line, feed and day, and skipped.
 * Then the engine's checkpoint, the cursor and the counts are stored in the
 * session's warning_run row, in one transaction. *files (may be NULL)
 * receives how many files were consumed (0: nothing new). A day whose
 * alerts were written before a crash is not written twice (alerts are
 * unique by run, day, firm, lender and rule).
 * Cost: per feed with new files one query over its table; then as
 * ph_monitor_watch. Errors: as ph_monitor_watch.
 */
PH_EXTERN ph_status ph_monitor_follow_poll(ph_monitor_follower *follower, int64_t *files,
                                           ph_error *err);

/* The follower's counts so far. */
PH_EXTERN const ph_monitor_summary *ph_monitor_follow_summary(const ph_monitor_follower *f);

/* Record the end of the session (finished_at) and free the follower (NULL
 * is fine). Errors: store errors writing finished_at (the follower is freed
 * all the same). */
PH_EXTERN ph_status ph_monitor_follow_close(ph_monitor_follower *follower, ph_error *err);

/* ---- alerts --------------------------------------------------------------------------- */

/* One alert as read back; strings valid during the callback only. */
typedef struct ph_monitor_alert {
    int64_t id;
    int64_t run_id;
    ph_date day;               /* the day of the hit */
    const char *uscc;
    const char *institution_id; /* the lender whose account manager it goes to */
    int64_t loan_id;           /* the line acted on, else the pair's first loan; 0: none */
    int64_t rule_set_id;
    const char *rule;
    ph_warn_level level;
    ph_warn_action action;
    const char *evidence;      /* the engine's JSON: the values the rule read */
    const char *state;         /* "open", "acknowledged", "escalated", "closed" */
    const char *created_at, *updated_at;
} ph_monitor_alert;

/* Which alerts. Zero-initialised: all. */
typedef struct ph_monitor_alert_filter {
    const char *level;          /* "green", "yellow" or "red"; NULL: any */
    const char *rule;           /* a rule id; NULL: any */
    const char *institution_id; /* NULL: every lender */
    const char *uscc;           /* NULL: every firm */
    const char *state;          /* NULL: any */
    int64_t run_id;             /* 0: every run */
    int64_t limit;              /* at most this many, by id; 0: all */
    int64_t after_id;           /* keyset page: only alerts with id > after_id; 0: all */
    ph_date from, to;           /* only alerts whose day is in [from, to]; 0: open end */
} ph_monitor_alert_filter;

typedef ph_status (*ph_monitor_alert_fn)(void *user, const ph_monitor_alert *alert,
                                         ph_error *err);

/* The alerts matching `filter` (NULL: all), oldest (lowest id) first. One
 * indexed read; fn must not write to the store. Errors: PH_EINVAL (field
 * "level", "state", "limit", "after" or "to") for a bad filter; PH_EMISUSE;
 * PH_ESCHEMA; fn's status; store errors. */
PH_EXTERN ph_status ph_monitor_alerts(ph_store *store, const ph_monitor_alert_filter *filter,
                                      ph_monitor_alert_fn fn, void *user, ph_error *err);

/* How ph_monitor_alert_counts groups. */
typedef enum ph_monitor_group {
    PH_MONITOR_BY_LEVEL = 0, /* key: "green", "yellow", "red" */
    PH_MONITOR_BY_RULE = 1   /* key: the rule id */
} ph_monitor_group;

typedef struct ph_monitor_alert_count {
    const char *key;
    int64_t alerts;
    int64_t yellow, red;     /* of which at this level */
    int64_t firms;           /* distinct firms */
    int64_t open;            /* not closed */
} ph_monitor_alert_count;

typedef ph_status (*ph_monitor_count_fn)(void *user, const ph_monitor_alert_count *count,
                                         ph_error *err);

/* The alerts matching `filter` (its limit ignored) counted by level (in
 * severity order) or by rule (by count, most first, then id). One grouped
 * read. Errors: as ph_monitor_alerts; PH_EINVAL (field "by") for another
 * group. */
PH_EXTERN ph_status ph_monitor_alert_counts(ph_store *store,
                                            const ph_monitor_alert_filter *filter,
                                            ph_monitor_group by, ph_monitor_count_fn fn,
                                            void *user, ph_error *err);

/* One event of an alert's history; strings valid during the callback only. */
typedef struct ph_monitor_alert_event {
    int64_t id;
    int64_t alert_id;
    const char *at;
    const char *event;    /* "ack", "close", "escalate" (people); "freeze", "pause",
                             "resume" (the watch, on line loan_id) */
    const char *by_whom;
    const char *reason;
    int64_t loan_id;      /* 0 for people's events */
} ph_monitor_alert_event;

typedef ph_status (*ph_monitor_event_fn)(void *user, const ph_monitor_alert_event *event,
                                         ph_error *err);

/* Alert `id` (to alert_fn, once) and its events in order (to event_fn, may
 * be NULL). Two indexed reads. Errors: PH_ENOTFOUND (field "alert");
 * PH_EMISUSE; PH_ESCHEMA; the callbacks' status; store errors. */
PH_EXTERN ph_status ph_monitor_alert_get(ph_store *store, int64_t id,
                                         ph_monitor_alert_fn alert_fn,
                                         ph_monitor_event_fn event_fn, void *user,
                                         ph_error *err);

/* What a person does with an alert. */
typedef enum ph_monitor_alert_op {
    PH_MONITOR_ACK = 0,      /* acknowledged: the account manager has it */
    PH_MONITOR_CLOSE = 1,    /* closed, with a reason */
    PH_MONITOR_ESCALATE = 2  /* escalated to the risk department */
} ph_monitor_alert_op;

/* "ack", "close", "escalate"; NULL for anything else. */
PH_EXTERN const char *ph_monitor_alert_op_name(ph_monitor_alert_op op);

/*
 * Do `op` on alert `id` for person `by`: the alert's state moves (open ->
 * acknowledged, open or acknowledged -> escalated, any but closed ->
 * closed) and the event is appended, in one transaction. `reason` is
 * required to close (free text; kept with the event), optional otherwise
 * (NULL or ""). Refused, changing nothing: PH_ENOTFOUND (field "alert");
 * PH_EINVAL field "by" (empty), "reason" (closing without one), "state"
 * for a transition that is not possible, saying the alert's state and who
 * put it there when ("alert 7 is closed already (by Li Wei on
 * 2026-03-02T08:00:00Z: repaid in full); a closed alert stays closed");
 * PH_EMISUSE; PH_ESCHEMA; store errors.
 */
PH_EXTERN ph_status ph_monitor_alert_act(ph_store *store, int64_t id, ph_monitor_alert_op op,
                                         const char *by, const char *reason, ph_error *err);

/* ---- a firm's colour ------------------------------------------------------------------- */

/* A watched firm's colour as the engine last reported it (warning_level). */
typedef struct ph_monitor_colour {
    ph_warn_level level;
    ph_warn_level previous;
    ph_date day;              /* the day it changed */
    char rule[64];            /* the rule that raised it, or "calm" for a step down */
    int64_t run_id;
} ph_monitor_colour;

/*
 * The last colour change of firm `uscc` any watch wrote: *found 1 and *out
 * filled, or *found 0 (never watched, or never left green: green). With the
 * engine's hysteresis, unlike the highest open alert. One indexed read.
 * Errors: PH_EMISUSE for NULL arguments; PH_ESCHEMA; store errors.
 */
PH_EXTERN ph_status ph_monitor_firm_colour(ph_store *store, const char *uscc,
                                           ph_monitor_colour *out, int *found, ph_error *err);

/* ---- the backtest --------------------------------------------------------------------- */

/* A default of the truth (truth/defaults.csv). */
typedef struct ph_monitor_default {
    const char *uscc;
    ph_date day;           /* the day the firm first reached 90 days past due */
} ph_monitor_default;

/* A change of a firm's colour, as the engine reported it (PH_WARN_LEVEL). */
typedef struct ph_monitor_level_change {
    const char *uscc;
    ph_date day;
    ph_warn_level level;    /* the new colour */
    ph_warn_level previous;
} ph_monitor_level_change;

typedef struct ph_monitor_backtest_input {
    const char *const *firms;   /* the monitored firms (each once) */
    size_t firm_count;
    const ph_monitor_default *defaults; /* the truth: every default (others are ignored) */
    size_t default_count;
    const ph_monitor_level_change *changes; /* in time order (any firms) */
    size_t change_count;
    ph_date from, to;           /* the period */
    ph_date truth_end;          /* the last day the truth covers */
    int32_t horizon_days;       /* 0: 180 */
} ph_monitor_backtest_input;

/* Lead times in days, over the defaults caught at a level. */
typedef struct ph_monitor_lead {
    int64_t n;                  /* defaults with such an onset */
    double median, q1, q3;      /* quantiles by linear interpolation between order
                                   statistics (position (n - 1) p); NaN when n is 0 */
    double share_14, share_90;  /* share of the n with a lead >= 14 / >= 90 days */
} ph_monitor_lead;

/*
 * The figures (docs/watch.md#the-backtest). "Onset": a change from green
 * to yellow or red (an alarm starting); "first yellow": the first change to
 * yellow or red, "first red" the first to red, of the firm, within
 * [from, to] and before its default day.
 *   firms, defaults: monitored firms, and those of them with a default in
 *     [from, to];
 *   lead_yellow, lead_red: default day - first yellow (red) day, over the
 *     defaults that have one; recall_yellow / recall_red: their share of
 *     the defaults (caught_* of defaults);
 *   precision_red: of the firms turning red in [from, truth_end - horizon]
 *     before any default of theirs (red_firms), the share that default
 *     within `horizon` days after such a red (red_defaulted); red changes
 *     later than truth_end - horizon cannot be judged: red_excluded counts
 *     them; changes at firms already in default are not counted;
 *   false alarms: onsets in [from, truth_end - horizon] at firms that do not
 *     default within `horizon` days after them (of `onsets` judged;
 *     onsets_excluded could not be), per 1,000 monitored firms per month of
 *     that judged window (months = its days x 12 / 365.25).
 * Shares are NaN when their denominator is 0.
 */
typedef struct ph_monitor_figures {
    int64_t firms, defaults;
    ph_monitor_lead lead_yellow, lead_red;
    int64_t caught_yellow, caught_red;
    double recall_yellow, recall_red;
    int64_t red_firms, red_defaulted, red_excluded;
    double precision_red;
    int64_t onsets, false_alarms, onsets_excluded;
    double months;
    double false_alarm_rate;    /* per 1,000 firms per month */
} ph_monitor_figures;

/*
 * Compute the figures from hand-made or engine-made inputs: no store, no
 * engine. Cost: O((firms + defaults + changes) log firms). Errors:
 * PH_EINVAL (field "to", "truth_end" or "horizon_days") for a period that
 * is not a range or a negative horizon; PH_EMISUSE for NULL arrays with a
 * count; PH_ENOMEM.
 */
PH_EXTERN ph_status ph_monitor_backtest(const ph_ctx *ctx, const ph_monitor_backtest_input *in,
                                        ph_monitor_figures *out, ph_error *err);

typedef struct ph_monitor_backtest_opts {
    const char *truth_path;     /* DIR/truth/defaults.csv */
    ph_date from, to;
    ph_date truth_end;          /* 0: `to` */
    const char *rules_path;     /* NULL: the active set, else the built-in default */
    int all_firms;              /* 1: every registered firm is monitored */
    ph_date book_on;            /* as ph_monitor_watch_opts */
    int32_t horizon_days;       /* 0: 180 */
    void (*progress)(void *user, ph_date day, int64_t events);
    void *user;
} ph_monitor_backtest_opts;

typedef struct ph_monitor_backtest_result {
    char rules_name[128];
    int64_t rules_version;
    char baseline_name[128];
    int64_t baseline_version;
    int all_firms;
    int64_t events;             /* events read (each given to both engines) */
    ph_monitor_figures rules, baseline;
} ph_monitor_backtest_result;

/*
 * Run the rule set and the naive baseline (ph_warn_rules_baseline_text)
 * side by side over the same events from..to, in memory: nothing is
 * written, no line is frozen and the gate is not called (the monitored
 * firms are the watched ones by the book and the live consents, without
 * logging, or every registered firm with all_firms), then compute both
 * sets of figures against the truth file, read with the CSV reader
 * (columns uscc and default_date). Cost: one pass over the events as
 * ph_monitor_watch, two engines' memory.
 * Errors: PH_EINVAL located at the truth file's line and column for a bad
 * header, USCC or date (and PH_EIO for a file that cannot be read); as
 * ph_monitor_watch otherwise.
 */
PH_EXTERN ph_status ph_monitor_backtest_run(ph_store *store,
                                            const ph_monitor_backtest_opts *opts,
                                            ph_monitor_backtest_result *out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_MONITOR_H */
