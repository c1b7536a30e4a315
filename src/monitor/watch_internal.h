/*
 * The early warning's store side (monitor.h), private to src/monitor: the
 * firms as the engine numbers them (firms.c), the events read from the feed
 * tables (source.c), who watches whom on a day (book.c), the rule set a run
 * uses (rules_store.c). The engine's own structures are monitor_internal.h.
 */
#ifndef PH_WATCH_INTERNAL_H
#define PH_WATCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/access.h"
#include "puhui/monitor.h"
#include "puhui/store.h"
#include "puhui/warning.h"

#define WATCH_SCHEMA 15

/* ---- firms (firms.c) ------------------------------------------------------------------ */

/* The firms an engine knows, by its indexes 0, 1, 2, ...: their USCCs and a
 * hash from USCC to index. */
typedef struct watch_firms {
    const ph_ctx *ctx;
    char (*uscc)[19];
    uint32_t count, cap;
    uint32_t *slot;   /* open addressing: index + 1, 0 empty */
    size_t nslots;    /* a power of two, at least twice count */
} watch_firms;

void watch_firms_init(watch_firms *f, const ph_ctx *ctx);
void watch_firms_free(watch_firms *f);
/* The index of uscc[0..len), or -1. */
int64_t watch_firms_find(const watch_firms *f, const char *uscc, size_t len);
/* Append a firm that is not there yet (the caller checked). */
ph_status watch_firms_add(watch_firms *f, const char *uscc, ph_error *err);

/*
 * Make engines[0..n) and `firms` agree: the firms an engine already holds
 * (restored from a checkpoint: engines[0]'s) first, then every registered
 * enterprise not among them, added to each engine unwatched. *added (may be
 * NULL) receives how many were new.
 */
ph_status watch_register_firms(ph_store *store, ph_warn_engine *const *engines, size_t n,
                               watch_firms *firms, int64_t *added, ph_error *err);

/* Give engines[0..n) every supply-chain link of feed_supply_chain between
 * two registered firms ("SC0001" is chain 1). *links (may be NULL) receives
 * how many. */
ph_status watch_register_links(ph_store *store, ph_warn_engine *const *engines, size_t n,
                               const watch_firms *firms, int64_t *links, ph_error *err);

/* ---- events from the feed tables (source.c) --------------------------------------------- */

typedef struct watch_source watch_source;

/* One event and where its row came from (the first row of an aggregate). */
typedef struct watch_row {
    ph_warn_event ev;
    int64_t file_id;
    int64_t line;
    const char *uscc;  /* valid until the next watch_source_next */
} watch_row;

/*
 * A source of events in time order (day, then feed in ph_warn_feed order,
 * then the feed's key) from the monitored feeds in `feeds` (a bit per
 * ph_warn_feed_index). With days: the rows dated from..to, read a month at
 * a time. With files: the rows of ingest files after_file < file_id <=
 * upto_file, whatever their day (one query per feed). Rows of firms that
 * `firms` does not hold are skipped and counted.
 */
ph_status watch_source_days(ph_store *store, const watch_firms *firms, uint64_t feeds,
                            ph_date from, ph_date to, watch_source **out, ph_error *err);
ph_status watch_source_files(ph_store *store, const watch_firms *firms, uint64_t feeds,
                             int64_t after_file, int64_t upto_file, watch_source **out,
                             ph_error *err);
/* PH_OK with a row, PH_DONE at the end, or an error located at the table,
 * column and the row's file_id and line. */
ph_status watch_source_next(watch_source *src, watch_row *row, ph_error *err);
int64_t watch_source_skipped(const watch_source *src);
void watch_source_free(watch_source *src);

/* The feeds (bits by ph_warn_feed_index) a rule set reads. */
uint64_t watch_rules_feeds(const ph_warn_rules *rules);

/* ---- who watches whom (book.c) ----------------------------------------------------------- */

typedef struct watch_book watch_book;

typedef struct watch_book_opts {
    ph_source_set sources;  /* what a consent must cover: the rule set's */
    ph_date book_on;        /* 0: the book on each day */
    int gate;               /* 1: call (and log) the gate once per pair and wall-clock day */
    int all_firms;          /* 1: every firm is watched, no book, no consent */
    int fresh;              /* 1: the engines hold every firm unwatched (not restored) */
} watch_book_opts;

/* The book's loans (ph_loan_each_span) against `firms`; loans of firms that
 * are not registered are left out. */
ph_status watch_book_open(ph_store *store, const watch_firms *firms, const watch_book_opts *opts,
                          watch_book **out, ph_error *err);
void watch_book_free(watch_book *book);

/*
 * Settle day `day`: the live monitoring consents (one query), the pairs in
 * the book on the day, the gate for a pair not yet allowed on this
 * wall-clock day (the access log is read first, so another run of the same
 * day is not logged twice); then every firm whose watched state changed is
 * told to engines[0..n). Counts go to `sum` (gate_checks, gate_denied,
 * firms_watched, pairs_watched).
 */
ph_status watch_book_settle(watch_book *book, ph_date day, ph_warn_engine *const *engines,
                            size_t n, ph_monitor_summary *sum, ph_error *err);

/* Firm `firm`'s watched lenders on the day last settled: calls fn for each
 * pair watched, with the lender's id and the pair's first loan in the book
 * on `day` (0: none). */
typedef ph_status (*watch_pair_fn)(void *user, uint32_t firm, const char *lender,
                                   int64_t first_loan, ph_error *err);
ph_status watch_book_each_watcher(const watch_book *book, uint32_t firm, ph_date day,
                                  watch_pair_fn fn, void *user, ph_error *err);

/* The revolving lines of firm `firm` at `lender` still in the book (not
 * ended when the book was read), by id, into ids[0..*n) (at most cap). */
size_t watch_book_lines(const watch_book *book, uint32_t firm, const char *lender,
                        int64_t *ids, size_t cap);

/* 1 when firm `firm` was watched on at least one day settled. */
int watch_book_ever_watched(const watch_book *book, uint32_t firm);

/* ---- rule sets (rules_store.c) ----------------------------------------------------------- */

/* The rule set a run uses (see monitor.h): `path`, else the active set,
 * else the built-in default, stored. Both outputs owned by the caller. */
ph_status watch_rules_for_run(ph_store *store, const char *path, ph_warn_rules **rules,
                              ph_monitor_rules_entry **entry, ph_error *err);

/* ---- alerts (alerts.c) ------------------------------------------------------------------ */

/* Append the watch's own event on a line (freeze, pause, resume) to alert
 * `alert`, by "puhui watch", in a transaction of its own. */
ph_status watch_alert_line_event(ph_store *store, int64_t alert, const char *event,
                                 int64_t loan_id, const char *reason, ph_error *err);

/* ---- small helpers (firms.c) ------------------------------------------------------------- */

/* "YYYY-MM-DD" of a day into buf (PH_DATE_FORMAT_MAX), "?" when it does not format. */
const char *watch_day_text(ph_date day, char *buf);

#endif /* PH_WATCH_INTERNAL_H */
