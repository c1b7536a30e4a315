/*
 * Watching (monitor.h): the feeds through the engine day by day, and what
 * follows from each report.
 *
 * A day is: settle who is watched (book.c), push the day's events, close
 * the day, then flush what the engine reported. The engine's callback only
 * copies reports (it runs inside push and close, where nothing may write);
 * the flush writes the day's alerts in one transaction, then acts on the
 * loan book, each loan event in its own transaction as the loan module
 * requires: a crash between the two leaves an alert without its action,
 * never an action without its alert.
 *
 * Actions happen on the book's open business day, whatever day of the
 * history the hit belongs to; the alert keeps the hit's day. A pause is an
 * alert event ("pause", with the line) and is lifted, when the firm is
 * green again, by a "resume"; a freeze is an event "freeze", and a line
 * with a freeze after its pause is never unfrozen here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/ingest.h"
#include "puhui/loan.h"

#include "monitor/watch_internal.h"

#define BATCH_EVENTS 4096
#define LINES_MAX 16 /* revolving lines of one firm at one lender acted on */
#define WATCH_BY "puhui watch"

/* A report copied out of the engine's callback. */
typedef struct pending {
    ph_warn_report_kind kind;
    ph_date day;
    uint32_t firm;
    ph_warn_level level, previous;
    ph_warn_action action;
    char *rule;
    char *evidence;
} pending;

/* An alert written by a flush, whose action is still to apply. */
typedef struct act {
    int64_t alert;
    uint32_t firm;
    ph_warn_action action;
    const char *rule;       /* the pending's */
    const char *evidence;
    char lender[256];
    size_t nlines;
    int64_t lines[LINES_MAX];
} act;

/* One ingest file of a follow poll. */
typedef struct poll_file {
    int64_t id;
    char *feed;
    char *path;
} poll_file;

typedef struct session {
    ph_store *store;
    const ph_ctx *ctx;
    int follow;
    ph_warn_rules *rules;
    ph_monitor_rules_entry *entry;
    ph_warn_engine *eng;
    watch_firms firms;
    watch_book *book;
    uint64_t feeds;
    int64_t run_id;
    pending *pend;
    size_t npend, pend_cap;
    int pend_failed;
    act *acts;
    size_t nacts, acts_cap;
    ph_warn_event batch[BATCH_EVENTS];
    size_t nbatch;
    ph_monitor_summary sum;
    int64_t saved_events, saved_hits; /* what warning_run counts already */
    /* follow */
    int64_t cursor;
    ph_date reached;        /* the last day events were pushed for (open) */
    void (*late)(void *user, const ph_monitor_late_row *row);
    void *user;
    poll_file *files;
    size_t nfiles, files_cap;
} session;

/* ---- the engine's callback ------------------------------------------------------------ */

static ph_status on_report(void *user, const ph_warn_report *r, ph_error *err)
{
    session *s = user;
    if (s->npend == s->pend_cap) {
        size_t cap = s->pend_cap ? s->pend_cap * 2 : 64;
        pending *g = ph_realloc(s->ctx, s->pend, cap * sizeof(*g));
        if (g == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the reports");
        s->pend = g;
        s->pend_cap = cap;
    }
    pending *p = &s->pend[s->npend];
    memset(p, 0, sizeof(*p));
    p->kind = r->kind;
    p->day = r->day;
    p->firm = r->firm;
    p->level = r->level;
    p->previous = r->previous;
    p->action = r->action;
    p->rule = ph_strdup(s->ctx, r->rule != NULL ? r->rule : "");
    p->evidence = ph_strdup(s->ctx, r->evidence != NULL ? r->evidence : "{}");
    if (p->rule == NULL || p->evidence == NULL) {
        ph_free(s->ctx, p->rule);
        ph_free(s->ctx, p->evidence);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the reports");
    }
    s->npend++;
    return PH_OK;
}

static void drop_pending(session *s)
{
    for (size_t i = 0; i < s->npend; i++) {
        ph_free(s->ctx, s->pend[i].rule);
        ph_free(s->ctx, s->pend[i].evidence);
    }
    s->npend = 0;
    s->nacts = 0;
}

/* ---- the run's row -------------------------------------------------------------------- */

static ph_status run_insert(session *s, ph_date from, ph_error *err)
{
    char at[PH_UTC_MAX], day[PH_DATE_FORMAT_MAX];
    ph_status st = ph_ctx_utc_now(s->ctx, at, err);
    ph_stmt *q = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(s->store,
                              "INSERT INTO warning_run (rule_set_id, mode, from_day, "
                              "started_at) VALUES (?, ?, ?, ?) RETURNING id",
                              &q, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 1, s->entry->id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 2, s->follow ? "follow" : "replay", -1, err);
    if (st == PH_OK)
        st = from != 0 ? ph_stmt_bind_text(q, 3, watch_day_text(from, day), -1, err)
                       : ph_stmt_bind_null(q, 3, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 4, at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(q, &s->run_id, err);
    ph_stmt_free(q);
    s->sum.run_id = s->run_id;
    return st;
}

/* Record where the run is: its last day, counts, and (with `cp`) the
 * engine's checkpoint and the cursor; `finished` stamps finished_at. Inside
 * the caller's transaction when there is one. */
static ph_status run_update(session *s, const unsigned char *cp, size_t cp_len, int finished,
                            ph_error *err)
{
    char at[PH_UTC_MAX], from[PH_DATE_FORMAT_MAX], to[PH_DATE_FORMAT_MAX];
    ph_status st = ph_ctx_utc_now(s->ctx, at, err);
    ph_stmt *q = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(s->store,
                              "UPDATE warning_run SET from_day = coalesce(from_day, ?1), "
                              "to_day = ?2, events = events + ?3, hits = hits + ?4, "
                              "checkpoint = CASE WHEN ?5 IS NULL THEN checkpoint ELSE ?5 END, "
                              "cursor_file_id = ?6, finished_at = CASE WHEN ?7 = 1 THEN ?8 "
                              "ELSE finished_at END WHERE id = ?9",
                              &q, err);
    ph_date first = s->sum.from, last = s->follow ? s->reached : s->sum.to;
    if (st == PH_OK)
        st = first != 0 ? ph_stmt_bind_text(q, 1, watch_day_text(first, from), -1, err)
                        : ph_stmt_bind_null(q, 1, err);
    if (st == PH_OK)
        st = last != 0 ? ph_stmt_bind_text(q, 2, watch_day_text(last, to), -1, err)
                       : ph_stmt_bind_null(q, 2, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 3, s->sum.events - s->saved_events, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 4, s->sum.hits - s->saved_hits, err);
    if (st == PH_OK)
        st = cp != NULL ? ph_stmt_bind_blob(q, 5, cp, cp_len, err) : ph_stmt_bind_null(q, 5, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 6, s->cursor, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 7, finished, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 8, at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 9, s->run_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(q, err);
    ph_stmt_free(q);
    if (st == PH_DONE)
        st = PH_OK;
    /* the counts are added: the next update adds only what came since */
    if (st == PH_OK) {
        s->saved_events = s->sum.events;
        s->saved_hits = s->sum.hits;
    }
    return st;
}

/* ---- alerts and actions ----------------------------------------------------------------- */

typedef struct alert_ctx {
    session *s;
    const pending *p;
    ph_stmt *insert;
    char day[PH_DATE_FORMAT_MAX];
    char at[PH_UTC_MAX];
} alert_ctx;

static ph_status grow_acts(session *s, ph_error *err)
{
    if (s->nacts < s->acts_cap)
        return PH_OK;
    size_t cap = s->acts_cap ? s->acts_cap * 2 : 32;
    act *g = ph_realloc(s->ctx, s->acts, cap * sizeof(*g));
    if (g == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the actions");
    s->acts = g;
    s->acts_cap = cap;
    return PH_OK;
}

/* One alert for the hit and this lender; its action is kept for after the
 * transaction. */
static ph_status alert_for(void *user, uint32_t firm, const char *lender, int64_t first_loan,
                           ph_error *err)
{
    alert_ctx *a = user;
    session *s = a->s;
    const pending *p = a->p;
    ph_status st = grow_acts(s, err);
    if (st != PH_OK)
        return st;
    act *x = &s->acts[s->nacts];
    memset(x, 0, sizeof(*x));
    x->firm = firm;
    x->action = p->action;
    x->rule = p->rule;
    x->evidence = p->evidence;
    snprintf(x->lender, sizeof(x->lender), "%s", lender);
    int64_t loan = first_loan;
    if (p->action == PH_WARN_PAUSE || p->action == PH_WARN_FREEZE) {
        x->nlines = watch_book_lines(s->book, firm, lender, x->lines, LINES_MAX);
        if (x->nlines > 0)
            loan = x->lines[0];
    }
    ph_stmt *q = a->insert;
    st = ph_stmt_bind_int64(q, 1, s->run_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 2, a->day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 3, s->firms.uscc[firm], -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 4, lender, -1, err);
    if (st == PH_OK)
        st = loan > 0 ? ph_stmt_bind_int64(q, 5, loan, err) : ph_stmt_bind_null(q, 5, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 6, s->entry->id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 7, p->rule, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 8, ph_warn_level_name(p->level), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 9, ph_warn_action_name(p->action), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 10, p->evidence, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 11, a->at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(q, err);
    if (st == PH_DONE) /* written before (a follow re-reading a day): not again */
        return PH_OK;
    if (st != PH_OK)
        return st;
    x->alert = ph_stmt_column_int64(q, 0);
    st = ph_stmt_reset(q, err);
    if (st != PH_OK)
        return st;
    s->nacts++;
    s->sum.alerts++;
    if ((int)p->level >= 0 && (int)p->level < 3)
        s->sum.alerts_by_level[p->level]++;
    return PH_OK;
}

/* Inside write_alerts' transaction: every colour change of the flush. */
static ph_status write_levels(session *s, ph_error *err)
{
    ph_stmt *q = NULL;
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < s->npend; i++) {
        const pending *p = &s->pend[i];
        if (p->kind != PH_WARN_LEVEL)
            continue;
        if (q == NULL)
            st = ph_store_prepare(s->store,
                                  "INSERT INTO warning_level (run_id, day, uscc, level, previous, "
                                  "rule, evidence) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT DO NOTHING",
                                  &q, err);
        char day[PH_DATE_FORMAT_MAX];
        if (st == PH_OK)
            st = ph_stmt_bind_int64(q, 1, s->run_id, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(q, 2, watch_day_text(p->day, day), -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(q, 3, s->firms.uscc[p->firm], -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(q, 4, ph_warn_level_name(p->level), -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(q, 5, ph_warn_level_name(p->previous), -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(q, 6, p->rule, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(q, 7, p->evidence, -1, err);
        if (st == PH_OK)
            st = ph_stmt_step(q, err);
        if (st == PH_DONE)
            st = PH_OK;
    }
    ph_stmt_free(q);
    return st;
}

static ph_status write_alerts(session *s, ph_error *err)
{
    alert_ctx a;
    memset(&a, 0, sizeof(a));
    a.s = s;
    ph_status st = ph_ctx_utc_now(s->ctx, a.at, err);
    if (st == PH_OK)
        st = ph_store_begin(s->store, err);
    if (st != PH_OK)
        return st;
    st = ph_store_prepare(s->store,
                          "INSERT INTO warning_alert (run_id, day, uscc, institution_id, "
                          "loan_id, rule_set_id, rule, level, action, evidence, created_at, "
                          "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) "
                          "ON CONFLICT DO NOTHING RETURNING id",
                          &a.insert, err);
    for (size_t i = 0; st == PH_OK && i < s->npend; i++) {
        const pending *p = &s->pend[i];
        if (p->kind != PH_WARN_HIT)
            continue;
        s->sum.hits++;
        a.p = p;
        watch_day_text(p->day, a.day);
        st = watch_book_each_watcher(s->book, p->firm, p->day, alert_for, &a, err);
    }
    ph_stmt_free(a.insert);
    if (st == PH_OK)
        st = write_levels(s, err);
    if (st == PH_OK)
        st = ph_store_commit(s->store, err);
    if (st != PH_OK)
        ph_store_rollback(s->store, NULL);
    return st;
}

/* The line's state now: *active 1 when it can take an event, *frozen. */
static ph_status line_state(session *s, int64_t line, int *active, int *frozen, ph_error *err)
{
    ph_loan_info info;
    ph_status st = ph_loan_get(s->store, line, &info, err);
    if (st != PH_OK)
        return st;
    *active = info.status != NULL && strcmp(info.status, "active") == 0;
    *frozen = (info.state.flags & PH_LOAN_FROZEN) != 0;
    ph_loan_info_free(s->ctx, &info);
    return PH_OK;
}

static ph_status apply_act(session *s, const act *x, ph_date open_day, ph_error *err)
{
    if (x->action != PH_WARN_PAUSE && x->action != PH_WARN_FREEZE)
        return PH_OK; /* the alert is the action: the account manager, the inspection */
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < x->nlines; i++) {
        int active = 0, frozen = 0;
        st = line_state(s, x->lines[i], &active, &frozen, err);
        if (st != PH_OK || !active || open_day == 0)
            continue;
        char reason[512];
        if (x->action == PH_WARN_FREEZE) {
            snprintf(reason, sizeof(reason), "early warning %s (alert %lld): %s", x->rule,
                     (long long)x->alert, x->evidence);
            if (!frozen)
                st = ph_loan_freeze(s->store, x->lines[i], open_day, 1, reason, err);
            /* frozen by a pause or a person before: now held by the freeze */
            if (st == PH_OK)
                st = watch_alert_line_event(s->store, x->alert, "freeze", x->lines[i], reason,
                                            err);
            if (st == PH_OK)
                s->sum.lines_frozen++;
        } else if (!frozen) {
            snprintf(reason, sizeof(reason), "draws paused: %s (alert %lld)", x->rule,
                     (long long)x->alert);
            st = ph_loan_freeze(s->store, x->lines[i], open_day, 1, reason, err);
            if (st == PH_OK) {
                s->sum.lines_paused++;
                st = watch_alert_line_event(s->store, x->alert, "pause", x->lines[i], reason,
                                            err);
            }
        }
    }
    return st;
}

/* The lines a pause froze for firm `uscc` and nothing resumed or froze
 * since: (alert, line) pairs. */
typedef struct paused {
    int64_t alert, line;
} paused;

static ph_status paused_lines(session *s, const char *uscc, paused **out, size_t *n,
                              ph_error *err)
{
    ph_stmt *q = NULL;
    ph_status st = ph_store_prepare(
        s->store,
        "SELECT e.alert_id, e.loan_id FROM warning_alert_event e JOIN warning_alert a "
        "ON a.id = e.alert_id WHERE a.uscc = ? AND e.event = 'pause' AND NOT EXISTS "
        "(SELECT 1 FROM warning_alert_event r WHERE r.loan_id = e.loan_id AND r.id > e.id "
        "AND r.event IN ('resume', 'freeze')) ORDER BY e.id",
        &q, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 1, uscc, -1, err);
    paused *list = NULL;
    size_t count = 0, cap = 0;
    while (st == PH_OK && (st = ph_stmt_step(q, err)) == PH_OK) {
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            paused *g = ph_realloc(s->ctx, list, cap * sizeof(*g));
            if (g == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
            list = g;
        }
        list[count].alert = ph_stmt_column_int64(q, 0);
        list[count].line = ph_stmt_column_int64(q, 1);
        count++;
    }
    ph_stmt_free(q);
    if (st == PH_DONE)
        st = PH_OK;
    if (st != PH_OK) {
        ph_free(s->ctx, list);
        return st;
    }
    *out = list;
    *n = count;
    return PH_OK;
}

/* The firm is green again: its paused lines take draws again. */
static ph_status lift_pauses(session *s, uint32_t firm, ph_date open_day, ph_error *err)
{
    paused *list = NULL;
    size_t n = 0;
    ph_status st = paused_lines(s, s->firms.uscc[firm], &list, &n, err);
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        int active = 0, frozen = 0;
        st = line_state(s, list[i].line, &active, &frozen, err);
        if (st != PH_OK || !active || open_day == 0)
            continue;
        char reason[256];
        snprintf(reason, sizeof(reason), "draws resumed: %s is green again (alert %lld)",
                 s->firms.uscc[firm], (long long)list[i].alert);
        if (frozen) {
            st = ph_loan_freeze(s->store, list[i].line, open_day, 0, reason, err);
            if (st == PH_OK)
                s->sum.lines_resumed++;
        } else {
            snprintf(reason, sizeof(reason), "the pause ends: the line was unfrozen already, "
                                             "and %s is green again",
                     s->firms.uscc[firm]);
        }
        if (st == PH_OK)
            st = watch_alert_line_event(s->store, list[i].alert, "resume", list[i].line, reason,
                                        err);
    }
    ph_free(s->ctx, list);
    return st;
}

/* Write what the engine reported since the last flush, then act on it. */
static ph_status flush(session *s, ph_error *err)
{
    if (s->npend == 0)
        return PH_OK;
    ph_status st = write_alerts(s, err);
    ph_date open_day = 0;
    int need_day = 0;
    for (size_t i = 0; i < s->nacts; i++)
        need_day |= s->acts[i].nlines > 0;
    for (size_t i = 0; i < s->npend; i++)
        need_day |= s->pend[i].kind == PH_WARN_LEVEL && s->pend[i].level == PH_WARN_GREEN;
    if (st == PH_OK && need_day)
        st = ph_cob_open_day(s->store, &open_day, err);
    /* in report order: an alert's action, a firm's return to green */
    size_t next_act = 0;
    for (size_t i = 0; st == PH_OK && i < s->npend; i++) {
        const pending *p = &s->pend[i];
        if (p->kind == PH_WARN_HIT) {
            for (; st == PH_OK && next_act < s->nacts && s->acts[next_act].rule == p->rule;
                 next_act++)
                st = apply_act(s, &s->acts[next_act], open_day, err);
        } else {
            s->sum.level_changes++;
            if (p->level == PH_WARN_GREEN && p->previous != PH_WARN_GREEN)
                st = lift_pauses(s, p->firm, open_day, err);
        }
    }
    drop_pending(s);
    return st;
}

/* ---- the engine and its firms ----------------------------------------------------------- */

static void session_free(session *s)
{
    drop_pending(s);
    ph_free(s->ctx, s->pend);
    ph_free(s->ctx, s->acts);
    for (size_t i = 0; i < s->nfiles; i++) {
        ph_free(s->ctx, s->files[i].feed);
        ph_free(s->ctx, s->files[i].path);
    }
    ph_free(s->ctx, s->files);
    watch_book_free(s->book);
    watch_firms_free(&s->firms);
    ph_warn_engine_free(s->eng);
    ph_warn_rules_free(s->rules);
    ph_monitor_rules_entry_free(s->entry);
    ph_monitor_summary_free(s->ctx, &s->sum);
    ph_free(s->ctx, s);
}

static ph_status session_new(ph_store *store, const char *rules_path, int follow, session **out,
                             ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "watch: NULL store or output");
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "the watch runs its own transactions");
    ph_status st = ph_store_require_schema(store, WATCH_SCHEMA, "the early warning", err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    session *s = ph_calloc(ctx, 1, sizeof(*s));
    if (s == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the watch");
    s->store = store;
    s->ctx = ctx;
    s->follow = follow;
    watch_firms_init(&s->firms, ctx);
    st = watch_rules_for_run(store, rules_path, &s->rules, &s->entry, err);
    if (st == PH_OK) {
        s->feeds = watch_rules_feeds(s->rules);
        s->sum.rule_set_id = s->entry->id;
        snprintf(s->sum.rules_name, sizeof(s->sum.rules_name), "%s", s->entry->name);
        s->sum.rules_version = s->entry->version;
    }
    if (st != PH_OK) {
        session_free(s);
        return st;
    }
    *out = s;
    return PH_OK;
}

/* The engine (new, or from checkpoint bytes), every firm, the links (new
 * engines only: a restored one has its own), the book. */
static ph_status session_engine(session *s, const unsigned char *cp, size_t cp_len,
                                const char *cp_source, ph_date book_on, ph_error *err)
{
    ph_warn_engine_opts eo = {on_report, s};
    ph_status st = cp != NULL ? ph_warn_engine_restore(s->ctx, s->rules, cp, cp_len,
                                                       cp_source ? cp_source : "checkpoint",
                                                       &eo, &s->eng, err)
                              : ph_warn_engine_new(s->ctx, s->rules, &eo, &s->eng, err);
    ph_warn_engine *const engines[1] = {s->eng};
    if (st == PH_OK)
        st = watch_register_firms(s->store, engines, 1, &s->firms, NULL, err);
    if (st == PH_OK && cp == NULL)
        st = watch_register_links(s->store, engines, 1, &s->firms, NULL, err);
    if (st == PH_OK) {
        s->sum.firms = s->firms.count;
        watch_book_opts bo;
        memset(&bo, 0, sizeof(bo));
        bo.sources = ph_warn_rules_sources(s->rules);
        bo.book_on = book_on;
        bo.gate = 1;
        bo.fresh = cp == NULL;
        st = watch_book_open(s->store, &s->firms, &bo, &s->book, err);
    }
    return st;
}

static ph_status push_batch(session *s, ph_error *err)
{
    ph_status st = s->nbatch > 0 ? ph_warn_engine_push(s->eng, s->batch, s->nbatch, err) : PH_OK;
    s->sum.events += (int64_t)s->nbatch;
    s->nbatch = 0;
    return st;
}

static ph_status settle(session *s, ph_date day, ph_error *err)
{
    ph_warn_engine *const engines[1] = {s->eng};
    return watch_book_settle(s->book, day, engines, 1, &s->sum, err);
}

void ph_monitor_summary_free(const ph_ctx *ctx, ph_monitor_summary *summary)
{
    if (summary == NULL)
        return;
    ph_free(ctx, summary->checkpoint);
    memset(summary, 0, sizeof(*summary));
}

/* ---- the replay ------------------------------------------------------------------------ */

static ph_status bad_range(const char *field, ph_date day, const char *why, ph_error *err)
{
    char t[PH_DATE_FORMAT_MAX];
    return ph_error_set(err, PH_EINVAL, field, day != 0 ? watch_day_text(day, t) : "", "%s", why);
}

static ph_status replay(session *s, ph_date from, ph_date to, const ph_monitor_watch_opts *o,
                        ph_error *err)
{
    watch_source *src = NULL;
    ph_status st = watch_source_days(s->store, &s->firms, s->feeds, from, to, &src, err);
    watch_row row;
    ph_status have = st == PH_OK ? watch_source_next(src, &row, err) : st;
    if (have != PH_OK && have != PH_DONE)
        st = have;
    for (ph_date day = from; st == PH_OK && day <= to; day++) {
        st = settle(s, day, err);
        while (st == PH_OK && have == PH_OK && row.ev.day == day) {
            s->batch[s->nbatch++] = row.ev;
            if (s->nbatch == BATCH_EVENTS)
                st = push_batch(s, err);
            if (st == PH_OK) {
                have = watch_source_next(src, &row, err);
                if (have != PH_OK && have != PH_DONE)
                    st = have;
            }
        }
        if (st == PH_OK && have == PH_OK && row.ev.day < day) {
            char t[PH_DATE_FORMAT_MAX];
            st = ph_error_set(err, PH_ESTORE, "day", watch_day_text(row.ev.day, t),
                              "the feed tables gave a row out of time order");
        }
        if (st == PH_OK)
            st = push_batch(s, err);
        if (st == PH_OK)
            st = ph_warn_engine_close_through(s->eng, day, err);
        if (st == PH_OK)
            st = flush(s, err);
        if (st == PH_OK) {
            s->sum.days++;
            s->sum.to = day;
            if (o->progress != NULL)
                o->progress(o->user, day, &s->sum);
        }
    }
    s->sum.skipped_rows += watch_source_skipped(src);
    watch_source_free(src);
    return st;
}

ph_status ph_monitor_watch(ph_store *store, const ph_monitor_watch_opts *opts,
                           ph_monitor_summary *summary, ph_error *err)
{
    if (store == NULL || opts == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_watch: store and opts must not be NULL");
    if (opts->resume == NULL && opts->from == 0)
        return bad_range("from", 0, "expected the first day to replay", err);
    if (opts->to == 0)
        return bad_range("to", 0, "expected the last day to replay", err);
    session *s = NULL;
    ph_status st = session_new(store, opts->rules_path, 0, &s, err);
    if (st != PH_OK)
        return st;
    st = session_engine(s, opts->resume, opts->resume_len, opts->resume_source, opts->book_on,
                        err);
    ph_date from = opts->from;
    if (st == PH_OK && opts->resume != NULL) {
        ph_date closed = ph_warn_engine_closed(s->eng);
        char t[PH_DATE_FORMAT_MAX], why[160];
        snprintf(why, sizeof(why),
                 "the checkpoint closed %s: a resumed replay starts on the day after",
                 watch_day_text(closed, t));
        if (closed == 0 && from == 0)
            st = bad_range("from", 0, "the checkpoint closed no day: give the first day", err);
        else if (closed != 0 && from != 0 && from != closed + 1)
            st = bad_range("from", from, why, err);
        else if (closed != 0)
            from = closed + 1;
    }
    if (st == PH_OK && opts->to < from)
        st = bad_range("to", opts->to, "expected a last day on or after the first", err);
    if (st == PH_OK) {
        s->sum.from = from;
        st = run_insert(s, from, err);
    }
    if (st == PH_OK)
        st = replay(s, from, opts->to, opts, err);
    unsigned char *cp = NULL;
    size_t cp_len = 0;
    if (st == PH_OK && opts->keep_checkpoint)
        st = ph_warn_engine_checkpoint(s->eng, &cp, &cp_len, err);
    ph_monitor_summary keep = s->sum;
    if (s->run_id != 0) {
        ph_error local;
        ph_status u = run_update(s, cp, cp_len, 1, st == PH_OK ? err : &local);
        if (st == PH_OK)
            st = u;
    }
    if (st == PH_OK && summary != NULL) {
        *summary = keep;
        summary->checkpoint = cp;
        summary->checkpoint_len = cp_len;
        cp = NULL;
    }
    ph_free(s->ctx, cp);
    session_free(s);
    return st;
}

/* ---- following new ingest files ---------------------------------------------------------- */

struct ph_monitor_follower {
    session *s;
};

/* The latest follow session of this rule set: its id, cursor, last day and
 * checkpoint (copied), or run_id 0. */
static ph_status last_session(session *s, unsigned char **cp, size_t *cp_len, ph_error *err)
{
    ph_stmt *q = NULL;
    ph_status st = ph_store_prepare(s->store,
                                    "SELECT id, cursor_file_id, to_day, checkpoint FROM "
                                    "warning_run WHERE mode = 'follow' AND rule_set_id = ? "
                                    "ORDER BY id DESC LIMIT 1",
                                    &q, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 1, s->entry->id, err);
    if (st == PH_OK)
        st = ph_stmt_step(q, err);
    if (st == PH_OK) {
        s->run_id = ph_stmt_column_int64(q, 0);
        s->sum.run_id = s->run_id;
        s->cursor = ph_stmt_column_int64(q, 1);
        const char *day = ph_stmt_column_text(q, 2);
        if (day != NULL)
            st = ph_date_parse(day, strlen(day), &s->reached, err);
        size_t len = 0;
        const void *blob = ph_stmt_column_blob(q, 3, &len);
        if (st == PH_OK && blob != NULL && len > 0) {
            *cp = ph_malloc(s->ctx, len);
            if (*cp == NULL)
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a checkpoint");
            else {
                memcpy(*cp, blob, len);
                *cp_len = len;
            }
        }
    }
    ph_stmt_free(q);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_monitor_follow_open(ph_store *store, const ph_monitor_follow_opts *opts,
                                 ph_monitor_follower **out, ph_error *err)
{
    if (opts == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_follow_open: opts and out must not be NULL");
    session *s = NULL;
    ph_status st = session_new(store, opts->rules_path, 1, &s, err);
    if (st != PH_OK)
        return st;
    unsigned char *cp = NULL;
    size_t cp_len = 0;
    if (st == PH_OK)
        st = last_session(s, &cp, &cp_len, err);
    if (st == PH_OK && s->run_id != 0 && cp == NULL && s->cursor > 0)
        st = ph_error_set(err, PH_ESTORE, "checkpoint", NULL,
                          "follow session %lld consumed files up to %lld but kept no "
                          "checkpoint",
                          (long long)s->run_id, (long long)s->cursor);
    char source[64];
    snprintf(source, sizeof(source), "warning_run %lld", (long long)s->run_id);
    if (st == PH_OK)
        st = session_engine(s, cp, cp_len, source, opts->book_on, err);
    ph_free(s->ctx, cp);
    if (st == PH_OK && s->run_id == 0)
        st = run_insert(s, 0, err);
    ph_monitor_follower *f = NULL;
    if (st == PH_OK && (f = ph_calloc(s->ctx, 1, sizeof(*f))) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the follower");
    if (st != PH_OK) {
        session_free(s);
        return st;
    }
    s->late = opts->late;
    s->user = opts->user;
    f->s = s;
    *out = f;
    return PH_OK;
}

static ph_status take_file(void *user, const ph_ingest_file_info *file, ph_error *err)
{
    session *s = user;
    if (s->nfiles == s->files_cap) {
        size_t cap = s->files_cap ? s->files_cap * 2 : 16;
        poll_file *g = ph_realloc(s->ctx, s->files, cap * sizeof(*g));
        if (g == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the files");
        s->files = g;
        s->files_cap = cap;
    }
    poll_file *f = &s->files[s->nfiles];
    f->id = file->id;
    f->feed = ph_strdup(s->ctx, file->feed);
    f->path = ph_strdup(s->ctx, file->path);
    if (f->feed == NULL || f->path == NULL) {
        ph_free(s->ctx, f->feed);
        ph_free(s->ctx, f->path);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the files");
    }
    s->nfiles++;
    return PH_OK;
}

static const char *file_path(const session *s, int64_t id)
{
    size_t lo = 0, hi = s->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->files[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nfiles && s->files[lo].id == id ? s->files[lo].path : "?";
}

static void clear_files(session *s)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        ph_free(s->ctx, s->files[i].feed);
        ph_free(s->ctx, s->files[i].path);
    }
    s->nfiles = 0;
}

/* The rows of the polled files, in time order through the engine. */
static ph_status consume(session *s, uint64_t feeds, int64_t upto, ph_error *err)
{
    watch_source *src = NULL;
    ph_status st = watch_source_files(s->store, &s->firms, feeds, s->cursor, upto, &src, err);
    /* the consents and the wall clock may have moved since the last poll */
    if (st == PH_OK && s->reached != 0)
        st = settle(s, s->reached, err);
    watch_row row;
    while (st == PH_OK && (st = watch_source_next(src, &row, err)) == PH_OK) {
        if (s->reached != 0 && row.ev.day < s->reached) {
            s->sum.late_rows++;
            if (s->late != NULL) {
                const ph_feed *feed = ph_warn_feed_at(row.ev.feed);
                ph_monitor_late_row late = {file_path(s, row.file_id), row.line,
                                            feed != NULL ? feed->name : "?", row.uscc,
                                            row.ev.day, s->reached};
                s->late(s->user, &late);
            }
            continue;
        }
        if (row.ev.day > s->reached) {
            st = push_batch(s, err);
            if (st == PH_OK && s->reached != 0) {
                st = ph_warn_engine_close_through(s->eng, row.ev.day - 1, err);
                s->sum.days += row.ev.day - s->reached;
            }
            if (st == PH_OK)
                st = flush(s, err);
            if (st == PH_OK)
                st = settle(s, row.ev.day, err);
            s->reached = row.ev.day;
            if (s->sum.from == 0)
                s->sum.from = row.ev.day;
            s->sum.to = row.ev.day;
        }
        if (st == PH_OK) {
            s->batch[s->nbatch++] = row.ev;
            if (s->nbatch == BATCH_EVENTS)
                st = push_batch(s, err);
        }
    }
    if (st == PH_DONE)
        st = push_batch(s, err);
    if (st == PH_OK)
        st = flush(s, err);
    s->sum.skipped_rows += watch_source_skipped(src);
    watch_source_free(src);
    return st;
}

ph_status ph_monitor_follow_poll(ph_monitor_follower *f, int64_t *files, ph_error *err)
{
    if (f == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_monitor_follow_poll: NULL follower");
    session *s = f->s;
    clear_files(s);
    ph_status st = ph_ingest_files_after(s->store, s->cursor, take_file, s, err);
    if (st != PH_OK || s->nfiles == 0) {
        if (st == PH_OK && files != NULL)
            *files = 0;
        return st;
    }
    int64_t upto = s->files[s->nfiles - 1].id;
    uint64_t feeds = 0;
    for (size_t i = 0; i < s->nfiles; i++) {
        int fi = ph_warn_feed_index(s->files[i].feed);
        if (fi >= 0 && fi < 64)
            feeds |= (uint64_t)1 << fi;
    }
    feeds &= s->feeds;
    if (feeds != 0)
        st = consume(s, feeds, upto, err);
    unsigned char *cp = NULL;
    size_t cp_len = 0;
    if (st == PH_OK)
        st = ph_warn_engine_checkpoint(s->eng, &cp, &cp_len, err);
    if (st == PH_OK) {
        int64_t before = s->cursor;
        s->cursor = upto;
        st = ph_store_begin(s->store, err);
        if (st == PH_OK)
            st = run_update(s, cp, cp_len, 0, err);
        if (st == PH_OK)
            st = ph_store_commit(s->store, err);
        if (st != PH_OK) {
            ph_store_rollback(s->store, NULL);
            s->cursor = before;
        }
    }
    ph_free(s->ctx, cp);
    if (st == PH_OK) {
        s->sum.files += (int64_t)s->nfiles;
        if (files != NULL)
            *files = (int64_t)s->nfiles;
    }
    return st;
}

const ph_monitor_summary *ph_monitor_follow_summary(const ph_monitor_follower *f)
{
    return f != NULL ? &f->s->sum : NULL;
}

ph_status ph_monitor_follow_close(ph_monitor_follower *f, ph_error *err)
{
    if (f == NULL)
        return PH_OK;
    session *s = f->s;
    ph_status st = run_update(s, NULL, 0, 1, err);
    const ph_ctx *ctx = s->ctx;
    session_free(s);
    ph_free(ctx, f);
    return st;
}
