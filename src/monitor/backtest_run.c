/*
 * The backtest run (monitor.h): the rule set and the naive baseline side by
 * side over one pass of the events, in memory. Nothing is written: no rule
 * set is stored (a file is compiled, not loaded), no alert, no run row, no
 * line frozen, and the gate is not called (no institution reads anything:
 * the platform measures its own rules). The monitored firms are chosen as
 * the watch chooses them, by the book and the live consents, or all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/csv.h"
#include "puhui/feed.h"

#include "monitor/watch_internal.h"

#define BATCH_EVENTS 4096

/* The colour changes one engine reported. */
typedef struct changes {
    const ph_ctx *ctx;
    ph_monitor_level_change *list;  /* uscc filled in at the end */
    uint32_t *firm;
    size_t n, cap;
} changes;

static ph_status on_level(void *user, const ph_warn_report *r, ph_error *err)
{
    changes *c = user;
    if (r->kind != PH_WARN_LEVEL)
        return PH_OK;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        ph_monitor_level_change *l = ph_realloc(c->ctx, c->list, cap * sizeof(*l));
        if (l != NULL)
            c->list = l;
        uint32_t *f = ph_realloc(c->ctx, c->firm, cap * sizeof(*f));
        if (f != NULL)
            c->firm = f;
        if (l == NULL || f == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the changes");
        c->cap = cap;
    }
    ph_monitor_level_change *x = &c->list[c->n];
    x->uscc = NULL;
    x->day = r->day;
    x->level = r->level;
    x->previous = r->previous;
    c->firm[c->n] = r->firm;
    c->n++;
    return PH_OK;
}

/* ---- the truth --------------------------------------------------------------------------- */

typedef struct truth {
    const ph_ctx *ctx;
    ph_monitor_default *list;
    char (*uscc)[19];
    size_t n, cap;
} truth;

static void truth_free(truth *t)
{
    ph_free(t->ctx, t->list);
    ph_free(t->ctx, t->uscc);
    t->list = NULL;
    t->uscc = NULL;
    t->n = t->cap = 0;
}

static ph_status read_truth(const ph_ctx *ctx, const char *path, truth *t, ph_error *err)
{
    memset(t, 0, sizeof(*t));
    t->ctx = ctx;
    const ph_feed *feed = ph_feed_find("truth_defaults");
    int ci_uscc = feed != NULL ? ph_feed_column_index(feed, "uscc") : -1;
    int ci_day = feed != NULL ? ph_feed_column_index(feed, "default_date") : -1;
    if (ci_uscc < 0 || ci_day < 0)
        return ph_error_set(err, PH_ESTORE, "feed", "truth_defaults",
                            "the catalogue has no truth_defaults uscc and default_date");
    ph_csv_reader *csv = NULL;
    ph_status st = ph_csv_open_file(ctx, path, NULL, &csv, err);
    static const char *const want[] = {"uscc", "default_date"};
    int col[2];
    if (st == PH_OK)
        st = ph_csv_require_columns(csv, want, 2, col, err);
    while (st == PH_OK && (st = ph_csv_next(csv, err)) == PH_OK) {
        const char *u = NULL, *d = NULL;
        size_t ulen = 0, dlen = 0;
        st = ph_csv_field(csv, (size_t)col[0], &u, &ulen, err);
        if (st == PH_OK)
            st = ph_csv_field(csv, (size_t)col[1], &d, &dlen, err);
        if (st != PH_OK)
            break;
        /* the catalogue's checks: the same words as ingest's */
        st = ph_feed_check_field(&feed->columns[ci_uscc], u, ulen, err);
        if (st != PH_OK) {
            ph_csv_locate_error(csv, (size_t)col[0], err);
            break;
        }
        ph_date day = 0;
        st = ph_feed_check_field(&feed->columns[ci_day], d, dlen, err);
        if (st == PH_OK)
            st = ph_date_parse(d, dlen, &day, err);
        if (st != PH_OK) {
            ph_csv_locate_error(csv, (size_t)col[1], err);
            break;
        }
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 256;
            ph_monitor_default *l = ph_realloc(ctx, t->list, cap * sizeof(*l));
            if (l != NULL)
                t->list = l;
            char(*us)[19] = ph_realloc(ctx, t->uscc, cap * sizeof(*us));
            if (us != NULL)
                t->uscc = us;
            if (l == NULL || us == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the truth");
                break;
            }
            t->cap = cap;
        }
        memcpy(t->uscc[t->n], u, 18);
        t->uscc[t->n][18] = '\0';
        t->list[t->n].day = day;
        t->n++;
    }
    ph_csv_free(csv);
    if (st == PH_DONE)
        st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < t->n; i++)
        t->list[i].uscc = t->uscc[i];
    if (st != PH_OK)
        truth_free(t);
    return st;
}

/* ---- the run ----------------------------------------------------------------------------- */

/* The rule set to measure, compiled in memory: the file, else the active
 * set, else the built-in default. */
static ph_status rules_in_memory(ph_store *store, const char *path, ph_warn_rules **out,
                                 ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    if (path != NULL) {
        char *data = NULL;
        size_t len = 0;
        ph_status st = ph_read_file(ctx, path, "rule-set file", &data, &len, err);
        if (st == PH_OK)
            st = ph_warn_rules_load(ctx, data, len, path, out, err);
        ph_free(ctx, data);
        return st;
    }
    ph_error local;
    ph_error_clear(&local);
    ph_status st = ph_monitor_rules_get(store, NULL, 0, out, NULL, &local);
    if (st != PH_ENOTFOUND) {
        if (st != PH_OK && err != NULL)
            *err = local;
        return st;
    }
    const char *text = ph_warn_rules_default_text();
    return ph_warn_rules_load(ctx, text, strlen(text), "(built-in default)", out, err);
}

typedef struct run {
    ph_store *store;
    const ph_ctx *ctx;
    ph_warn_rules *rules[2];
    ph_warn_engine *eng[2];
    changes ch[2];
    watch_firms firms;
    watch_book *book;
    truth truth;
    ph_warn_event batch[BATCH_EVENTS];
    size_t nbatch;
    int64_t events;
} run;

static ph_status push(run *r, ph_error *err)
{
    ph_status st = PH_OK;
    for (int e = 0; st == PH_OK && e < 2; e++)
        st = ph_warn_engine_push(r->eng[e], r->batch, r->nbatch, err);
    r->events += (int64_t)r->nbatch;
    r->nbatch = 0;
    return st;
}

static ph_status replay(run *r, const ph_monitor_backtest_opts *o, ph_error *err)
{
    uint64_t feeds = watch_rules_feeds(r->rules[0]) | watch_rules_feeds(r->rules[1]);
    watch_source *src = NULL;
    ph_status st = watch_source_days(r->store, &r->firms, feeds, o->from, o->to, &src, err);
    watch_row row;
    ph_status have = st == PH_OK ? watch_source_next(src, &row, err) : st;
    if (have != PH_OK && have != PH_DONE)
        st = have;
    ph_monitor_summary sum;
    memset(&sum, 0, sizeof(sum));
    for (ph_date day = o->from; st == PH_OK && day <= o->to; day++) {
        st = watch_book_settle(r->book, day, r->eng, 2, &sum, err);
        while (st == PH_OK && have == PH_OK && row.ev.day == day) {
            r->batch[r->nbatch++] = row.ev;
            if (r->nbatch == BATCH_EVENTS)
                st = push(r, err);
            if (st == PH_OK) {
                have = watch_source_next(src, &row, err);
                if (have != PH_OK && have != PH_DONE)
                    st = have;
            }
        }
        if (st == PH_OK)
            st = push(r, err);
        for (int e = 0; st == PH_OK && e < 2; e++)
            st = ph_warn_engine_close_through(r->eng[e], day, err);
        if (st == PH_OK && o->progress != NULL)
            o->progress(o->user, day, r->events);
    }
    watch_source_free(src);
    return st;
}

static ph_status figures(run *r, int e, const ph_monitor_backtest_opts *o,
                         const char *const *monitored, size_t nmonitored,
                         ph_monitor_figures *out, ph_error *err)
{
    changes *c = &r->ch[e];
    for (size_t i = 0; i < c->n; i++)
        c->list[i].uscc = c->firm[i] < r->firms.count ? r->firms.uscc[c->firm[i]] : "";
    ph_monitor_backtest_input in;
    memset(&in, 0, sizeof(in));
    in.firms = monitored;
    in.firm_count = nmonitored;
    in.defaults = r->truth.list;
    in.default_count = r->truth.n;
    in.changes = c->list;
    in.change_count = c->n;
    in.from = o->from;
    in.to = o->to;
    in.truth_end = o->truth_end != 0 ? o->truth_end : o->to;
    in.horizon_days = o->horizon_days;
    return ph_monitor_backtest(r->ctx, &in, out, err);
}

static void run_free(run *r)
{
    for (int e = 0; e < 2; e++) {
        ph_warn_engine_free(r->eng[e]);
        ph_warn_rules_free(r->rules[e]);
        ph_free(r->ctx, r->ch[e].list);
        ph_free(r->ctx, r->ch[e].firm);
    }
    watch_book_free(r->book);
    watch_firms_free(&r->firms);
    truth_free(&r->truth);
    ph_free(r->ctx, r);
}

ph_status ph_monitor_backtest_run(ph_store *store, const ph_monitor_backtest_opts *opts,
                                  ph_monitor_backtest_result *out, ph_error *err)
{
    if (store == NULL || opts == NULL || out == NULL || opts->truth_path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_backtest_run: store, opts, truth_path and out must not "
                            "be NULL");
    char t[PH_DATE_FORMAT_MAX];
    if (opts->from == 0 || opts->to < opts->from)
        return ph_error_set(err, PH_EINVAL, opts->from == 0 ? "from" : "to",
                            opts->from == 0 ? "" : watch_day_text(opts->to, t),
                            "expected a period: a first day and a last day on or after it");
    ph_status st = ph_store_require_schema(store, WATCH_SCHEMA, "the early warning", err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    run *r = ph_calloc(ctx, 1, sizeof(*r));
    if (r == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the backtest");
    r->store = store;
    r->ctx = ctx;
    watch_firms_init(&r->firms, ctx);
    r->truth.ctx = ctx;
    st = read_truth(ctx, opts->truth_path, &r->truth, err);
    if (st == PH_OK)
        st = rules_in_memory(store, opts->rules_path, &r->rules[0], err);
    if (st == PH_OK) {
        const char *text = ph_warn_rules_baseline_text();
        st = ph_warn_rules_load(ctx, text, strlen(text), "(baseline)", &r->rules[1], err);
    }
    for (int e = 0; st == PH_OK && e < 2; e++) {
        r->ch[e].ctx = ctx;
        ph_warn_engine_opts eo = {on_level, &r->ch[e]};
        st = ph_warn_engine_new(ctx, r->rules[e], &eo, &r->eng[e], err);
    }
    if (st == PH_OK)
        st = watch_register_firms(store, r->eng, 2, &r->firms, NULL, err);
    if (st == PH_OK)
        st = watch_register_links(store, r->eng, 2, &r->firms, NULL, err);
    if (st == PH_OK) {
        watch_book_opts bo;
        memset(&bo, 0, sizeof(bo));
        bo.sources = ph_warn_rules_sources(r->rules[0]);
        bo.book_on = opts->book_on;
        bo.all_firms = opts->all_firms;
        bo.fresh = 1;
        st = watch_book_open(store, &r->firms, &bo, &r->book, err);
    }
    if (st == PH_OK)
        st = replay(r, opts, err);
    const char **monitored = NULL;
    size_t nmon = 0;
    if (st == PH_OK) {
        monitored = ph_malloc(ctx, (r->firms.count > 0 ? r->firms.count : 1) * sizeof(char *));
        if (monitored == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the backtest");
        for (uint32_t f = 0; st == PH_OK && f < r->firms.count; f++)
            if (watch_book_ever_watched(r->book, f))
                monitored[nmon++] = r->firms.uscc[f];
    }
    ph_monitor_backtest_result res;
    memset(&res, 0, sizeof(res));
    for (int e = 0; st == PH_OK && e < 2; e++)
        st = figures(r, e, opts, monitored, nmon, e == 0 ? &res.rules : &res.baseline, err);
    if (st == PH_OK) {
        snprintf(res.rules_name, sizeof(res.rules_name), "%s", ph_warn_rules_name(r->rules[0]));
        res.rules_version = ph_warn_rules_version(r->rules[0]);
        snprintf(res.baseline_name, sizeof(res.baseline_name), "%s",
                 ph_warn_rules_name(r->rules[1]));
        res.baseline_version = ph_warn_rules_version(r->rules[1]);
        res.all_firms = opts->all_firms != 0;
        res.events = r->events;
        *out = res;
    }
    ph_free(ctx, monitored);
    run_free(r);
    return st;
}
