/*
 * Alerts as people see them (monitor.h): lists with filters, counts by
 * level or rule, one alert with its history, and what a person does with
 * it. An alert's own columns never change; its state moves along
 *
 *     open ──ack──▶ acknowledged ──escalate──▶ escalated
 *       │ └──────────escalate─────────────────▶   │
 *       └──────────── close (with a reason) ◀──────┘ (from any but closed)
 *
 * and every move is an appended warning_alert_event, in the transaction
 * that moves the state. The database's triggers refuse any other move, so
 * a second program cannot go around the checks here; the checks here say
 * why in words.
 */
#include <stdio.h>
#include <string.h>

#include "monitor/watch_internal.h"

static const char *const STATES[] = {"open", "acknowledged", "escalated", "closed"};

static ph_status require(ph_store *store, ph_error *err)
{
    return ph_store_require_schema(store, WATCH_SCHEMA, "the early warning", err);
}

const char *ph_monitor_alert_op_name(ph_monitor_alert_op op)
{
    switch (op) {
    case PH_MONITOR_ACK: return "ack";
    case PH_MONITOR_CLOSE: return "close";
    case PH_MONITOR_ESCALATE: return "escalate";
    }
    return NULL;
}

static ph_status check_filter(const ph_monitor_alert_filter *f, ph_error *err)
{
    if (f->level != NULL && ph_warn_level_parse(f->level) < 0)
        return ph_error_set(err, PH_EINVAL, "level", f->level,
                            "expected green, yellow or red");
    if (f->state != NULL) {
        int known = 0;
        for (size_t i = 0; i < sizeof(STATES) / sizeof(STATES[0]); i++)
            known |= strcmp(STATES[i], f->state) == 0;
        if (!known)
            return ph_error_set(err, PH_EINVAL, "state", f->state,
                                "expected open, acknowledged, escalated or closed");
    }
    if (f->limit < 0 || f->run_id < 0 || f->after_id < 0) {
        char v[24];
        int64_t bad = f->limit < 0 ? f->limit : f->run_id < 0 ? f->run_id : f->after_id;
        snprintf(v, sizeof(v), "%lld", (long long)bad);
        return ph_error_set(err, PH_EINVAL,
                            f->limit < 0 ? "limit" : f->run_id < 0 ? "run" : "after", v,
                            "expected 0 or more");
    }
    if (f->from != 0 && f->to != 0 && f->to < f->from) {
        char v[PH_DATE_FORMAT_MAX];
        return ph_error_set(err, PH_EINVAL, "to", watch_day_text(f->to, v),
                            "expected a last day on or after the first");
    }
    return PH_OK;
}

/* The WHERE of a filter, parameters ?1..?9 (bound by bind_filter). */
#define FILTER_WHERE                                                                         \
    " WHERE (?1 IS NULL OR level = ?1) AND (?2 IS NULL OR rule = ?2) AND "                  \
    "(?3 IS NULL OR institution_id = ?3) AND (?4 IS NULL OR uscc = ?4) AND "                \
    "(?5 IS NULL OR state = ?5) AND (?6 = 0 OR run_id = ?6) AND id > ?7 AND "               \
    "(?8 IS NULL OR day >= ?8) AND (?9 IS NULL OR day <= ?9)"

static ph_status bind_filter(ph_stmt *s, const ph_monitor_alert_filter *f, ph_error *err)
{
    const char *texts[] = {f->level, f->rule, f->institution_id, f->uscc, f->state};
    ph_status st = PH_OK;
    for (int i = 0; st == PH_OK && i < 5; i++)
        st = texts[i] ? ph_stmt_bind_text(s, i + 1, texts[i], -1, err)
                      : ph_stmt_bind_null(s, i + 1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 6, f->run_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 7, f->after_id, err);
    ph_date days[2] = {f->from, f->to};
    for (int i = 0; st == PH_OK && i < 2; i++) {
        char text[PH_DATE_FORMAT_MAX];
        st = days[i] != 0 ? ph_stmt_bind_text(s, 8 + i, watch_day_text(days[i], text), -1, err)
                          : ph_stmt_bind_null(s, 8 + i, err);
    }
    return st;
}

#define ALERT_COLUMNS                                                                        \
    "SELECT id, run_id, day, uscc, institution_id, loan_id, rule_set_id, rule, level, "     \
    "action, evidence, state, created_at, updated_at FROM warning_alert"

static ph_status read_alert(ph_stmt *s, ph_monitor_alert *a, ph_error *err)
{
    memset(a, 0, sizeof(*a));
    a->id = ph_stmt_column_int64(s, 0);
    a->run_id = ph_stmt_column_int64(s, 1);
    const char *day = ph_stmt_column_text(s, 2);
    ph_status st = day != NULL ? ph_date_parse(day, strlen(day), &a->day, err)
                               : ph_error_set(err, PH_ESTORE, "day", NULL, "an alert without a day");
    a->uscc = ph_stmt_column_text(s, 3);
    a->institution_id = ph_stmt_column_text(s, 4);
    a->loan_id = ph_stmt_column_int64(s, 5);
    a->rule_set_id = ph_stmt_column_int64(s, 6);
    a->rule = ph_stmt_column_text(s, 7);
    int level = ph_warn_level_parse(ph_stmt_column_text(s, 8));
    int action = ph_warn_action_parse(ph_stmt_column_text(s, 9));
    a->level = level >= 0 ? (ph_warn_level)level : PH_WARN_GREEN;
    a->action = action >= 0 ? (ph_warn_action)action : PH_WARN_ALERT;
    a->evidence = ph_stmt_column_text(s, 10);
    a->state = ph_stmt_column_text(s, 11);
    a->created_at = ph_stmt_column_text(s, 12);
    a->updated_at = ph_stmt_column_text(s, 13);
    return st;
}

ph_status ph_monitor_alerts(ph_store *store, const ph_monitor_alert_filter *filter,
                            ph_monitor_alert_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_alerts: store and fn must not be NULL");
    ph_monitor_alert_filter all;
    memset(&all, 0, sizeof(all));
    const ph_monitor_alert_filter *f = filter != NULL ? filter : &all;
    ph_status st = check_filter(f, err);
    if (st == PH_OK)
        st = require(store, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, ALERT_COLUMNS FILTER_WHERE " ORDER BY id LIMIT ?10", &s,
                              err);
    if (st == PH_OK)
        st = bind_filter(s, f, err);
    if (st == PH_OK) /* a large bound is portable where LIMIT -1 is not */
        st = ph_stmt_bind_int64(s, 10, f->limit > 0 ? f->limit : INT64_MAX, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_monitor_alert a;
        st = read_alert(s, &a, err);
        if (st == PH_OK)
            st = fn(user, &a, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_monitor_alert_counts(ph_store *store, const ph_monitor_alert_filter *filter,
                                  ph_monitor_group by, ph_monitor_count_fn fn, void *user,
                                  ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_alert_counts: store and fn must not be NULL");
    if (by != PH_MONITOR_BY_LEVEL && by != PH_MONITOR_BY_RULE) {
        char v[24];
        snprintf(v, sizeof(v), "%d", (int)by);
        return ph_error_set(err, PH_EINVAL, "by", v, "expected level or rule");
    }
    ph_monitor_alert_filter all;
    memset(&all, 0, sizeof(all));
    const ph_monitor_alert_filter *f = filter != NULL ? filter : &all;
    ph_status st = check_filter(f, err);
    if (st == PH_OK)
        st = require(store, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(
            store,
            by == PH_MONITOR_BY_LEVEL
                ? "SELECT level, count(*), sum(level = 'yellow'), sum(level = 'red'), "
                  "count(DISTINCT uscc), sum(state <> 'closed') FROM warning_alert" FILTER_WHERE
                  " GROUP BY level ORDER BY CASE level WHEN 'green' THEN 0 WHEN 'yellow' THEN 1 "
                  "ELSE 2 END"
                : "SELECT rule, count(*), sum(level = 'yellow'), sum(level = 'red'), "
                  "count(DISTINCT uscc), sum(state <> 'closed') FROM warning_alert" FILTER_WHERE
                  " GROUP BY rule ORDER BY count(*) DESC, rule",
            &s, err);
    if (st == PH_OK)
        st = bind_filter(s, f, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_monitor_alert_count c;
        c.key = ph_stmt_column_text(s, 0);
        c.alerts = ph_stmt_column_int64(s, 1);
        c.yellow = ph_stmt_column_int64(s, 2);
        c.red = ph_stmt_column_int64(s, 3);
        c.firms = ph_stmt_column_int64(s, 4);
        c.open = ph_stmt_column_int64(s, 5);
        if (c.key == NULL)
            c.key = "";
        st = fn(user, &c, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

static void read_event(ph_stmt *s, ph_monitor_alert_event *e)
{
    memset(e, 0, sizeof(*e));
    e->id = ph_stmt_column_int64(s, 0);
    e->alert_id = ph_stmt_column_int64(s, 1);
    e->at = ph_stmt_column_text(s, 2);
    e->event = ph_stmt_column_text(s, 3);
    e->by_whom = ph_stmt_column_text(s, 4);
    e->reason = ph_stmt_column_text(s, 5);
    e->loan_id = ph_stmt_column_int64(s, 6);
    if (e->reason == NULL)
        e->reason = "";
}

static ph_status alert_not_found(int64_t id, ph_error *err)
{
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)id);
    return ph_error_set(err, PH_ENOTFOUND, "alert", v,
                        "no alert has this id (see `puhui warning alerts`)");
}

ph_status ph_monitor_alert_get(ph_store *store, int64_t id, ph_monitor_alert_fn alert_fn,
                               ph_monitor_event_fn event_fn, void *user, ph_error *err)
{
    if (store == NULL || alert_fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_alert_get: store and alert_fn must not be NULL");
    ph_status st = require(store, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, ALERT_COLUMNS " WHERE id = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = alert_not_found(id, err);
    if (st == PH_OK) {
        ph_monitor_alert a;
        st = read_alert(s, &a, err);
        if (st == PH_OK)
            st = alert_fn(user, &a, err);
    }
    ph_stmt_free(s);
    s = NULL;
    if (st != PH_OK || event_fn == NULL)
        return st;
    st = ph_store_prepare(store,
                          "SELECT id, alert_id, at, event, by_whom, reason, loan_id FROM "
                          "warning_alert_event WHERE alert_id = ? ORDER BY id",
                          &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_monitor_alert_event e;
        read_event(s, &e);
        st = event_fn(user, &e, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* ---- what people do ------------------------------------------------------------------ */

/* The last person's event of alert `id` that put it in its state: who, when,
 * why, into the buffers ("" when there is none). */
static ph_status last_move(ph_store *store, int64_t id, char *who, char *at, char *why,
                           size_t size, ph_error *err)
{
    who[0] = at[0] = why[0] = '\0';
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT by_whom, at, reason FROM warning_alert_event WHERE "
                                    "alert_id = ? AND event IN ('ack', 'close', 'escalate') "
                                    "ORDER BY id DESC LIMIT 1",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK) {
        const char *parts[] = {ph_stmt_column_text(s, 0), ph_stmt_column_text(s, 1),
                               ph_stmt_column_text(s, 2)};
        char *out[] = {who, at, why};
        for (int i = 0; i < 3; i++)
            snprintf(out[i], size, "%s", parts[i] ? parts[i] : "");
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* The state `op` moves `state` to, or NULL with the reason it cannot. */
static const char *next_state(ph_monitor_alert_op op, const char *state, const char **why)
{
    *why = NULL;
    int closed = strcmp(state, "closed") == 0;
    switch (op) {
    case PH_MONITOR_ACK:
        if (strcmp(state, "open") == 0)
            return "acknowledged";
        *why = closed ? "a closed alert stays closed"
               : strcmp(state, "acknowledged") == 0
                   ? "acknowledging it again changes nothing"
                   : "an escalated alert is past acknowledgement: close it with a reason";
        return NULL;
    case PH_MONITOR_ESCALATE:
        if (strcmp(state, "open") == 0 || strcmp(state, "acknowledged") == 0)
            return "escalated";
        *why = closed ? "a closed alert stays closed (a new hit makes a new alert)"
                      : "escalating it again changes nothing";
        return NULL;
    case PH_MONITOR_CLOSE:
        if (!closed)
            return "closed";
        *why = "a closed alert stays closed";
        return NULL;
    }
    *why = "unknown operation";
    return NULL;
}

static ph_status append_event(ph_store *store, int64_t alert, const char *event,
                              const char *by, const char *reason, int64_t loan_id,
                              const char *at, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "INSERT INTO warning_alert_event (alert_id, at, event, "
                                    "by_whom, reason, loan_id) VALUES (?, ?, ?, ?, ?, ?)",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, alert, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, event, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, by, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 5, reason != NULL ? reason : "", -1, err);
    if (st == PH_OK)
        st = loan_id > 0 ? ph_stmt_bind_int64(s, 6, loan_id, err) : ph_stmt_bind_null(s, 6, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status watch_alert_line_event(ph_store *store, int64_t alert, const char *event,
                                 int64_t loan_id, const char *reason, ph_error *err)
{
    char at[PH_UTC_MAX];
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), at, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = append_event(store, alert, event, "puhui watch", reason, loan_id, at, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        ph_store_rollback(store, NULL);
    return st;
}

ph_status ph_monitor_alert_act(ph_store *store, int64_t id, ph_monitor_alert_op op,
                               const char *by, const char *reason, ph_error *err)
{
    const char *name = ph_monitor_alert_op_name(op);
    if (store == NULL || by == NULL || name == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_alert_act: store and by must not be NULL, op must be "
                            "ack, close or escalate");
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_alert_act runs its own transaction");
    if (by[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "by", by,
                            "expected who does it (a name or staff id), for the record");
    if (op == PH_MONITOR_CLOSE && (reason == NULL || reason[0] == '\0'))
        return ph_error_set(err, PH_EINVAL, "reason", "",
                            "closing an alert needs a reason (what was found, what was done)");
    ph_status st = require(store, err);
    char at[PH_UTC_MAX];
    if (st == PH_OK)
        st = ph_ctx_utc_now(ph_store_ctx(store), at, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *s = NULL;
    char state[32] = "";
    st = ph_store_prepare(store, "SELECT state FROM warning_alert WHERE id = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = alert_not_found(id, err);
    if (st == PH_OK) {
        const char *t = ph_stmt_column_text(s, 0);
        snprintf(state, sizeof(state), "%s", t ? t : "");
    }
    ph_stmt_free(s);
    s = NULL;
    const char *why = NULL;
    const char *to = st == PH_OK ? next_state(op, state, &why) : NULL;
    if (st == PH_OK && to == NULL) {
        char who[128], when[PH_UTC_MAX + 8], because[256];
        st = last_move(store, id, who, when, because, sizeof(who), err);
        if (st == PH_OK) {
            char by_line[512] = "";
            if (who[0] != '\0')
                snprintf(by_line, sizeof(by_line), " (by %s on %s%s%s)", who, when,
                         because[0] ? ": " : "", because);
            char v[24];
            snprintf(v, sizeof(v), "%lld", (long long)id);
            st = ph_error_set(err, PH_EINVAL, "state", state,
                              "cannot %s alert %s: it is %s%s; %s", name, v, state, by_line,
                              why);
        }
    }
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "UPDATE warning_alert SET state = ?, updated_at = ? WHERE id = ?",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, to, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, at, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 3, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = PH_OK;
    ph_stmt_free(s);
    if (st == PH_OK)
        st = append_event(store, id, name, by, reason, 0, at, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        ph_store_rollback(store, NULL);
    return st;
}

/* ---- a firm's colour ------------------------------------------------------------------ */

ph_status ph_monitor_firm_colour(ph_store *store, const char *uscc, ph_monitor_colour *out,
                                 int *found, ph_error *err)
{
    if (store == NULL || uscc == NULL || out == NULL || found == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_firm_colour: NULL argument");
    ph_status st = require(store, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT level, previous, day, rule, run_id FROM warning_level "
                              "WHERE uscc = ? ORDER BY id DESC LIMIT 1",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, uscc, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE) {
        *found = 0;
        st = PH_OK;
    } else if (st == PH_OK) {
        ph_monitor_colour c;
        memset(&c, 0, sizeof(c));
        int level = ph_warn_level_parse(ph_stmt_column_text(s, 0));
        int previous = ph_warn_level_parse(ph_stmt_column_text(s, 1));
        c.level = level >= 0 ? (ph_warn_level)level : PH_WARN_GREEN;
        c.previous = previous >= 0 ? (ph_warn_level)previous : PH_WARN_GREEN;
        const char *day = ph_stmt_column_text(s, 2);
        st = day != NULL ? ph_date_parse(day, strlen(day), &c.day, err)
                         : ph_error_set(err, PH_ESTORE, "day", NULL, "a colour without a day");
        const char *rule = ph_stmt_column_text(s, 3);
        snprintf(c.rule, sizeof(c.rule), "%s", rule != NULL ? rule : "");
        c.run_id = ph_stmt_column_int64(s, 4);
        if (st == PH_OK) {
            *out = c;
            *found = 1;
        }
    }
    ph_stmt_free(s);
    return st;
}
