/*
 * Early-warning alerts over HTTP (docs/api.md#alerts). The watch
 * (include/puhui/monitor.h) writes one alert per rule hit and lender
 * watching the firm; here people read and work them.
 *
 * Who sees what, and why:
 *   - a lender (institution) sees and works its own alerts only: those of
 *     which it is the alert's institution (the lender whose account manager
 *     gets it). Another lender's alert answers exactly as a missing one (404,
 *     "no alert with that id") and the refusal is logged. It acknowledges,
 *     escalates and closes them; the person recorded is the key's label (the
 *     desk or officer the key was made for), else the lender's id.
 *   - the regulator and the operator see counts only (GET /v1/alerts/summary
 *     over the whole market), never an alert: an alert is a lender's working
 *     file about one firm, and the regulator's keys never read a firm's rows
 *     (docs/keys.md). A count row of fewer than PH_MARKET_MIN_FIRMS firms is
 *     left out, as in the market views.
 *   - a firm sees that it is watched, by whom, under which consent, and the
 *     colour each lender's open alerts give it (GET /v1/monitoring), not the
 *     alerts themselves: their rules, thresholds and evidence are the
 *     lender's own risk work, and telling a firm which signal gave it away
 *     (a truck off its route) would teach it to hide the next one.
 *   - an alert's evidence may name another firm: the supply-chain rule says
 *     which counterparty's delay warned this firm. That firm's data reached
 *     the lender without its consent, so its USCC is shown only when it
 *     lets the lender monitor it too; otherwise "source" is null and
 *     "source_withheld" true.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_query.h"
#include "puhui/access.h"
#include "puhui/enterprise.h"
#include "puhui/feed.h"
#include "puhui/loan.h"
#include "puhui/market.h"
#include "puhui/monitor.h"
#include "puhui/warning.h"

/* ---- rule sets, for the rules' titles ----------------------------------------------------- */

/* The rule sets a request has compiled, by warning_rules.id: each is read
 * and compiled once per request (a page's alerts nearly always share one). */
#define RULE_SETS_MAX 8

typedef struct rule_sets {
    ph_store *store;
    size_t n;
    int64_t id[RULE_SETS_MAX];
    ph_warn_rules *rules[RULE_SETS_MAX];
} rule_sets;

static void rule_sets_free(rule_sets *r)
{
    for (size_t i = 0; i < r->n; i++)
        ph_warn_rules_free(r->rules[i]);
    r->n = 0;
}

/* Rule set `id`, compiled from its stored bytes (checked against their
 * checksum by the library); *out NULL when the request has compiled
 * RULE_SETS_MAX others already (the titles of the rest are not given). */
static ph_status rule_set_of(rule_sets *r, int64_t id, const ph_warn_rules **out, ph_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (r->id[i] == id) {
            *out = r->rules[i];
            return PH_OK;
        }
    if (r->n == RULE_SETS_MAX)
        return PH_OK;
    const ph_ctx *ctx = ph_store_ctx(r->store);
    char *text = NULL;
    size_t len = 0;
    ph_status st = ph_monitor_rules_text(r->store, id, &text, &len, err);
    ph_warn_rules *rules = NULL;
    if (st == PH_OK)
        st = ph_warn_rules_load(ctx, text, len, "warning_rules", &rules, err);
    ph_free(ctx, text);
    if (st != PH_OK)
        return st;
    r->id[r->n] = id;
    r->rules[r->n++] = rules;
    *out = rules;
    return PH_OK;
}

/* The rule `rule` of `rules`, or NULL. */
static const ph_warn_rule_info *rule_info(const ph_warn_rules *rules, const char *rule)
{
    size_t n = rules ? ph_warn_rules_count(rules) : 0;
    for (size_t i = 0; i < n; i++) {
        const ph_warn_rule_info *info = ph_warn_rules_at(rules, i);
        if (info && info->id && rule && strcmp(info->id, rule) == 0)
            return info;
    }
    return NULL;
}

/* The rule set whose titles the summary shows: the active one, else the
 * built-in default (the sets `puhui watch` runs). */
static ph_status current_rule_set(ph_store *store, ph_warn_rules **out, ph_error *err)
{
    ph_status st = ph_monitor_rules_get(store, NULL, 0, out, NULL, err);
    if (st != PH_ENOTFOUND)
        return st;
    const char *text = ph_warn_rules_default_text();
    return ph_warn_rules_load(ph_store_ctx(store), text, strlen(text), "(built-in default)", out,
                              err);
}

/* ---- an alert as JSON --------------------------------------------------------------------- */

/* The alert's own columns; the rule's title and the rule set's name are
 * added by add_rule_set once the walk is over (no read inside a walk). */
static json_t *alert_json(const ph_monitor_alert *a)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "alert_id", json_integer(a->id));
    json_object_set_new(o, "day", srv_json_date(a->day));
    json_object_set_new(o, "uscc", json_string(a->uscc ? a->uscc : ""));
    json_object_set_new(o, "lender", json_string(a->institution_id ? a->institution_id : ""));
    json_object_set_new(o, "loan_id", srv_json_int_or_null(a->loan_id > 0, a->loan_id));
    json_object_set_new(o, "rule", json_string(a->rule ? a->rule : ""));
    json_object_set_new(o, "rule_title", json_null());
    json_object_set_new(o, "rule_set_id", json_integer(a->rule_set_id));
    json_object_set_new(o, "rule_set", json_null());
    json_object_set_new(o, "rule_set_version", json_null());
    json_object_set_new(o, "level", json_string(ph_warn_level_name(a->level)));
    json_object_set_new(o, "action", json_string(ph_warn_action_name(a->action)));
    json_object_set_new(o, "state", json_string(a->state ? a->state : ""));
    json_object_set_new(o, "created_at", json_string(a->created_at ? a->created_at : ""));
    json_object_set_new(o, "updated_at", json_string(a->updated_at ? a->updated_at : ""));
    return o;
}

/* Fill in the rule's title and its set's name and version. */
static ph_status add_rule_set(rule_sets *sets, json_t *o, ph_error *err)
{
    const ph_warn_rules *rules = NULL;
    json_int_t id = json_integer_value(json_object_get(o, "rule_set_id"));
    ph_status st = rule_set_of(sets, (int64_t)id, &rules, err);
    if (st != PH_OK || rules == NULL)
        return st;
    const ph_warn_rule_info *info =
        rule_info(rules, json_string_value(json_object_get(o, "rule")));
    json_object_set_new(o, "rule_title", srv_json_text_or_null(info ? info->title : NULL));
    json_object_set_new(o, "rule_set", json_string(ph_warn_rules_name(rules)));
    json_object_set_new(o, "rule_set_version", json_integer(ph_warn_rules_version(rules)));
    return PH_OK;
}

static json_t *event_json(const ph_monitor_alert_event *e)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "event_id", json_integer(e->id));
    json_object_set_new(o, "at", json_string(e->at ? e->at : ""));
    json_object_set_new(o, "event", json_string(e->event ? e->event : ""));
    json_object_set_new(o, "by", json_string(e->by_whom ? e->by_whom : ""));
    json_object_set_new(o, "reason", srv_json_text_or_null(e->reason));
    json_object_set_new(o, "loan_id", srv_json_int_or_null(e->loan_id > 0, e->loan_id));
    return o;
}

/* ---- one alert of the caller's ---------------------------------------------------------- */

/* What GET /v1/alerts/{id} answers, read in one ph_monitor_alert_get. */
typedef struct alert_read {
    srv_call *call;
    int64_t id;
    json_t *doc;        /* the alert, then its evidence and events */
    json_t *events;
    char evidence_error[96];
} alert_read;

/* The words of a missing alert, for a missing one and another lender's
 * alike, so that existence does not leak. */
static ph_status no_alert(srv_call *call, int64_t id, int foreign, ph_error *err)
{
    srv_id_text v = srv_id_string(id);
    if (foreign)
        return srv_refuse(call, err, "alert", v.s, "no alert with that id");
    return ph_error_set(err, PH_ENOTFOUND, "alert", v.s, "no alert with that id");
}

static ph_status read_alert_row(void *user, const ph_monitor_alert *a, ph_error *err)
{
    alert_read *r = user;
    if (!srv_owns(r->call, a->uscc, a->institution_id))
        return no_alert(r->call, r->id, 1, err); /* stops the read: no events are read */
    json_decref(r->doc);
    r->doc = alert_json(a);
    if (r->doc == NULL)
        return srv_nomem(err);
    /* the evidence is the engine's JSON object: embedded as JSON, not as a string */
    json_error_t jerr;
    json_t *evidence = json_loads(a->evidence ? a->evidence : "", JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(evidence)) {
        json_decref(evidence);
        srv_id_text v = srv_id_string(a->id);
        return ph_error_set(err, PH_ESTORE, "evidence", v.s,
                            "alert %s holds evidence that is not a JSON object", v.s);
    }
    json_object_set_new(r->doc, "evidence", evidence);
    return PH_OK;
}

static ph_status read_alert_event(void *user, const ph_monitor_alert_event *e, ph_error *err)
{
    alert_read *r = user;
    json_t *o = event_json(e);
    if (o == NULL || json_array_append_new(r->events, o) != 0)
        return srv_nomem(err);
    return PH_OK;
}

static ph_status has_consent(void *user, const ph_consent *c, ph_error *err)
{
    (void)c;
    (void)err;
    *(int *)user = 1;
    return PH_DONE;
}

/* The supply-chain rule's evidence names the counterparty whose delay warned
 * this firm ("source"). The lender sees that firm's USCC only when the firm
 * lets it monitor it (a live monitoring consent); else it is withheld. */
static ph_status withhold_source(srv_call *call, json_t *evidence, ph_error *err)
{
    const char *source = json_string_value(json_object_get(evidence, "source"));
    if (source == NULL || call->who->role != SRV_ROLE_INSTITUTION)
        return PH_OK;
    ph_consent_filter f;
    memset(&f, 0, sizeof(f));
    f.uscc = source;
    f.institution_id = call->who->tenant;
    f.live_only = 1;
    f.purpose = PH_PURPOSE_MONITORING;
    int live = 0;
    ph_status st = ph_consent_list(srv_store(call), &f, has_consent, &live, err);
    if (st == PH_DONE)
        st = PH_OK;
    if (st == PH_OK && !live) {
        json_object_set_new(evidence, "source", json_null());
        json_object_set_new(evidence, "source_withheld", json_true());
    }
    return st;
}

/* Alert `id` with its evidence and events, as the caller may see it. */
static ph_status read_alert(srv_call *call, int64_t id, json_t **out, ph_error *err)
{
    alert_read r;
    memset(&r, 0, sizeof(r));
    r.call = call;
    r.id = id;
    r.events = json_array();
    if (r.events == NULL)
        return srv_nomem(err);
    ph_store *store = srv_store(call);
    ph_status st = ph_monitor_alert_get(store, id, read_alert_row, read_alert_event, &r, err);
    if (st == PH_ENOTFOUND && call->refused[0] == '\0')
        st = no_alert(call, id, 0, err); /* the library's words name its CLI */
    rule_sets sets = {store, 0, {0}, {NULL}};
    if (st == PH_OK)
        st = add_rule_set(&sets, r.doc, err);
    rule_sets_free(&sets);
    if (st == PH_OK)
        st = withhold_source(call, json_object_get(r.doc, "evidence"), err);
    if (st == PH_OK && json_object_set_new(r.doc, "events", r.events) != 0)
        st = srv_nomem(err);
    else if (st == PH_OK)
        r.events = NULL; /* now the document's */
    json_decref(r.events);
    if (st != PH_OK) {
        json_decref(r.doc);
        return st;
    }
    *out = r.doc;
    return PH_OK;
}

/* Only whether alert `id` is the caller's (404 as a missing one when not). */
typedef struct alert_owner {
    srv_call *call;
    int64_t id;
} alert_owner;

static ph_status check_owner(void *user, const ph_monitor_alert *a, ph_error *err)
{
    alert_owner *o = user;
    return srv_owns(o->call, a->uscc, a->institution_id) ? PH_OK
                                                         : no_alert(o->call, o->id, 1, err);
}

static ph_status owned_alert(srv_call *call, int64_t id, ph_error *err)
{
    alert_owner o = {call, id};
    ph_status st = ph_monitor_alert_get(srv_store(call), id, check_owner, NULL, &o, err);
    if (st == PH_ENOTFOUND && call->refused[0] == '\0')
        st = no_alert(call, id, 0, err);
    return st;
}

/* ---- GET /v1/alerts ---------------------------------------------------------------------- */

/* A page: the store walks the lender's alerts from `after` within the day
 * range (monitor.h's keyset filter), oldest first like the other review
 * queues (appeals), and stops one past the page. */
typedef struct alert_page {
    int64_t limit;
    json_t *items;
    int64_t last;
} alert_page;

static ph_status page_alert(void *user, const ph_monitor_alert *a, ph_error *err)
{
    alert_page *p = user;
    if ((int64_t)json_array_size(p->items) >= p->limit)
        return PH_DONE; /* the page is full: stop the walk */
    json_t *o = alert_json(a);
    if (o == NULL || json_array_append_new(p->items, o) != 0)
        return srv_nomem(err);
    p->last = a->id;
    return PH_OK;
}

/* The filters' words are the library's (ph_monitor_alerts checks them);
 * their fields are the query's parameters. */
static const srv_member_map ALERT_FILTER_MAP[] = {
    {"level", 0, "level", 0},
    {"state", 0, "state", 0},
    {NULL, 0, NULL, 0},
};

/* The query parameters alerts_list takes. */
static const char *const ALERTS_LIST_QUERY[] = {"level", "rule", "state", "firm", "from",
                                                "to",    "limit", "after", NULL};

static ph_status alerts_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, ALERTS_LIST_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    alert_page p;
    memset(&p, 0, sizeof(p));
    ph_monitor_alert_filter f;
    memset(&f, 0, sizeof(f));
    f.level = srv_query(call, "level");
    f.rule = srv_query(call, "rule");
    f.state = srv_query(call, "state");
    f.uscc = srv_query(call, "firm");
    ph_status st = srv_query_date(call, "from", &f.from, err);
    if (st == PH_OK)
        st = srv_query_date(call, "to", &f.to, err);
    if (st == PH_OK && f.from != 0 && f.to != 0 && f.from > f.to)
        st = ph_error_set(err, PH_EINVAL, "to", srv_query(call, "to"),
                          "expected a day on or after from (%s)", srv_query(call, "from"));
    if (st == PH_OK)
        st = srv_query_page(call, &p.limit, &f.after_id, err);
    f.limit = p.limit + 1; /* one past the page tells the walk to stop */
    if (st == PH_OK && f.uscc != NULL && f.uscc[0] == '\0')
        st = ph_error_set(err, PH_EINVAL, "firm", "", "expected a firm's USCC");
    if (st != PH_OK)
        return st;
    /* a lender's own alerts; a scope over every row (none in the table today) sees all */
    if (call->scope != SRV_SCOPE_ALL) {
        if (call->who->role != SRV_ROLE_INSTITUTION)
            return ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                                "alerts are read by the lender they are addressed to");
        f.institution_id = call->who->tenant;
    }
    p.items = json_array();
    if (p.items == NULL)
        return srv_nomem(err);
    st = ph_monitor_alerts(srv_store(call), &f, page_alert, &p, err);
    if (st == PH_DONE) /* the page is full: not an error, and err was never written */
        st = PH_OK;
    st = srv_name_member(call, st, ALERT_FILTER_MAP, err);
    rule_sets sets = {srv_store(call), 0, {0}, {NULL}};
    for (size_t i = 0; st == PH_OK && i < json_array_size(p.items); i++)
        st = add_rule_set(&sets, json_array_get(p.items, i), err);
    rule_sets_free(&sets);
    return srv_answer_list(call, st, p.items,
                           srv_page_next(json_array_size(p.items), p.limit, p.last), err);
}

/* ---- GET /v1/alerts/{id} ------------------------------------------------------------------ */

static ph_status alert_show(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    ph_status st = srv_path_id(call, 0, "alert", &id, err);
    if (st == PH_OK)
        st = read_alert(call, id, &call->result, err);
    return st;
}

/* ---- POST /v1/alerts/{id}/ack, /close, /escalate ------------------------------------------ */

/*
 * Checked in the order the client reads them back: the alert id, the body
 * (only "reason", a string), the alert being the caller's, then what the
 * library refuses: closing without a reason (400, field "reason") and a move
 * the alert's state does not allow (409: "alert 7 is closed already ...",
 * the library's words, field "state" and the state as value).
 */
static ph_status alert_act(srv_call *call, ph_monitor_alert_op op, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    static const char *const allowed[] = {"reason", NULL};
    int64_t id = 0;
    const char *reason = NULL;
    ph_status st = srv_path_id(call, 0, "alert", &id, err);
    if (st == PH_OK && call->body != NULL)
        st = srv_body_check(call, allowed, err);
    if (st == PH_OK && call->body != NULL)
        st = srv_body_string(call, "reason", 0, &reason, err);
    if (st == PH_OK)
        st = owned_alert(call, id, err);
    if (st != PH_OK)
        return st;
    /* the person: the key's label (the desk or officer it was made for), else the lender */
    const char *by = call->who->label[0] ? call->who->label : call->who->tenant;
    st = ph_monitor_alert_act(srv_store(call), id, op, by, reason, err);
    if (st == PH_EINVAL && strcmp(err->field, "state") == 0) {
        call->error_http = 409;
        call->error_slug = "conflict";
        call->error_title = "Conflict with the alert's state";
        return st;
    }
    if (st == PH_OK)
        st = read_alert(call, id, &call->result, err);
    return st;
}

static ph_status alert_ack(srv_call *call, ph_error *err)
{
    return alert_act(call, PH_MONITOR_ACK, err);
}

static ph_status alert_close(srv_call *call, ph_error *err)
{
    return alert_act(call, PH_MONITOR_CLOSE, err);
}

static ph_status alert_escalate(srv_call *call, ph_error *err)
{
    return alert_act(call, PH_MONITOR_ESCALATE, err);
}

/* ---- GET /v1/alerts/summary ---------------------------------------------------------------- */

typedef struct count_rows {
    int by_rule;
    int aggregate;            /* the market's: rows of fewer than min firms left out */
    const ph_warn_rules *titles;
    json_t *rows;
    int64_t suppressed;       /* rows left out */
    int64_t alerts, open;     /* over every row (by level: the whole) */
} count_rows;

static ph_status add_count(void *user, const ph_monitor_alert_count *c, ph_error *err)
{
    count_rows *r = user;
    r->alerts += c->alerts;
    r->open += c->open;
    if (r->aggregate && c->firms < PH_MARKET_MIN_FIRMS) {
        r->suppressed++;
        return PH_OK;
    }
    json_t *o = json_object();
    if (o == NULL)
        return srv_nomem(err);
    if (r->by_rule) {
        const ph_warn_rule_info *info = rule_info(r->titles, c->key);
        json_object_set_new(o, "rule", json_string(c->key));
        json_object_set_new(o, "rule_title", srv_json_text_or_null(info ? info->title : NULL));
    } else {
        json_object_set_new(o, "level", json_string(c->key));
    }
    json_object_set_new(o, "alerts", json_integer(c->alerts));
    /* the market's rule rows carry no colours: summed over the rules shown
     * they would give back a colour's count its row hid */
    if (r->by_rule && !r->aggregate) {
        json_object_set_new(o, "yellow", json_integer(c->yellow));
        json_object_set_new(o, "red", json_integer(c->red));
    }
    json_object_set_new(o, "firms", json_integer(c->firms));
    json_object_set_new(o, "open", json_integer(c->open));
    return json_array_append_new(r->rows, o) == 0 ? PH_OK : srv_nomem(err);
}

/*
 * A lender's own book, or the whole market for the regulator and the
 * operator (scope aggregate). In the market's counts a row (a level, a rule)
 * of fewer than PH_MARKET_MIN_FIRMS firms is left out and counted in
 * suppressed_levels / suppressed_rules, and then `total` is null, since the
 * total less the rows shown would give a hidden row back (the market views'
 * rule, docs/api.md#the-market).
 */
static ph_status alerts_summary(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    ph_monitor_alert_filter f;
    memset(&f, 0, sizeof(f));
    int aggregate = call->scope == SRV_SCOPE_AGGREGATE || call->scope == SRV_SCOPE_ALL;
    if (!aggregate) {
        if (call->who->role != SRV_ROLE_INSTITUTION)
            return ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                                "a lender counts its own alerts");
        f.institution_id = call->who->tenant;
    }
    int suppress = call->scope == SRV_SCOPE_AGGREGATE;
    ph_store *store = srv_store(call);
    ph_warn_rules *titles = NULL;
    ph_status st = current_rule_set(store, &titles, err);
    count_rows levels = {0, suppress, titles, json_array(), 0, 0, 0};
    count_rows rules = {1, suppress, titles, json_array(), 0, 0, 0};
    if (st == PH_OK && (levels.rows == NULL || rules.rows == NULL))
        st = srv_nomem(err);
    if (st == PH_OK)
        st = ph_monitor_alert_counts(store, &f, PH_MONITOR_BY_LEVEL, add_count, &levels, err);
    if (st == PH_OK)
        st = ph_monitor_alert_counts(store, &f, PH_MONITOR_BY_RULE, add_count, &rules, err);
    ph_warn_rules_free(titles);
    if (st != PH_OK) {
        json_decref(levels.rows);
        json_decref(rules.rows);
        return st;
    }
    json_t *total = levels.suppressed + rules.suppressed > 0
                        ? json_null()
                        : json_pack("{s:I, s:I}", "alerts", (json_int_t)levels.alerts, "open",
                                    (json_int_t)levels.open);
    call->result = json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "view", suppress ? "aggregate" : "own",
        "lender", aggregate ? json_null() : json_string(call->who->tenant), "min_firms",
        suppress ? json_integer(PH_MARKET_MIN_FIRMS) : json_null(), "total", total, "by_level",
        levels.rows, "by_rule", rules.rows, "suppressed_levels", (json_int_t)levels.suppressed,
        "suppressed_rules", (json_int_t)rules.suppressed);
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- GET /v1/monitoring (a firm) ---------------------------------------------------------- */

/* One lender that may watch the firm: its latest monitoring consent (the
 * latest live one when there is one), whether it lends to the firm now, and
 * the highest level of its alerts about the firm that are not closed. */
typedef struct watcher {
    char lender[64];
    json_t *consent;   /* consent_id, granted_on, expires_on, revoked_at */
    int live;
    int borrower;
    int level;         /* ph_warn_level */
} watcher;

/* More lenders than a firm deals with; beyond it the first ones are shown. */
#define WATCHERS_MAX 64

typedef struct watchers {
    size_t n;
    int live_walk;     /* 1: the second walk, over the live consents only */
    watcher w[WATCHERS_MAX];
} watchers;

static watcher *watcher_of(watchers *ws, const char *lender)
{
    for (size_t i = 0; lender != NULL && i < ws->n; i++)
        if (strcmp(ws->w[i].lender, lender) == 0)
            return &ws->w[i];
    return NULL;
}

/* Consents come by id, so a later one replaces an earlier: the first walk
 * (every monitoring consent) leaves each lender's latest, the second (the
 * live ones) its latest live one. */
static ph_status add_watcher(void *user, const ph_consent *c, ph_error *err)
{
    watchers *ws = user;
    watcher *w = watcher_of(ws, c->institution_id);
    if (w == NULL && !ws->live_walk) {
        if (ws->n == WATCHERS_MAX)
            return PH_OK;
        w = &ws->w[ws->n++];
        memset(w, 0, sizeof(*w));
        snprintf(w->lender, sizeof(w->lender), "%s", c->institution_id);
    }
    if (w == NULL)
        return PH_OK;
    w->live |= ws->live_walk;
    json_decref(w->consent);
    w->consent = json_pack("{s:I, s:o, s:o, s:o}", "consent_id", (json_int_t)c->id,
                           "granted_on", srv_json_date(c->granted_on), "expires_on",
                           srv_json_date(c->expires_on), "revoked_at",
                           c->revoked_at ? json_string(c->revoked_at) : json_null());
    return w->consent ? PH_OK : srv_nomem(err);
}

static int mark_borrower(const ph_loan_info *info, void *user)
{
    watcher *w = watcher_of(user, info->lender);
    if (w != NULL && info->status != NULL && strcmp(info->status, "active") == 0)
        w->borrower = 1;
    return 0;
}

static ph_status mark_level(void *user, const ph_monitor_alert *a, ph_error *err)
{
    (void)err;
    watcher *w = watcher_of(user, a->institution_id);
    if (w != NULL && a->state != NULL && strcmp(a->state, "closed") != 0 &&
        (int)a->level > w->level)
        w->level = (int)a->level;
    return PH_OK;
}

static ph_status monitoring_show(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    if (call->who->role != SRV_ROLE_ENTERPRISE)
        return ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                            "a firm reads who monitors it");
    const char *uscc = call->who->tenant;
    ph_store *store = srv_store(call);
    watchers *ws = calloc(1, sizeof(*ws));
    if (ws == NULL)
        return srv_nomem(err);
    ph_consent_filter f;
    memset(&f, 0, sizeof(f));
    f.uscc = uscc;
    f.purpose = PH_PURPOSE_MONITORING;
    ph_status st = ph_consent_list(store, &f, add_watcher, ws, err);
    f.live_only = 1;
    ws->live_walk = 1;
    if (st == PH_OK)
        st = ph_consent_list(store, &f, add_watcher, ws, err);
    if (st == PH_OK)
        st = ph_loan_list(store, uscc, NULL, mark_borrower, ws, err);
    ph_monitor_alert_filter af;
    memset(&af, 0, sizeof(af));
    af.uscc = uscc;
    if (st == PH_OK && ws->n > 0)
        st = ph_monitor_alerts(store, &af, mark_level, ws, err);
    json_t *items = st == PH_OK ? json_array() : NULL;
    if (st == PH_OK && items == NULL)
        st = srv_nomem(err);
    for (size_t i = 0; st == PH_OK && i < ws->n; i++) {
        watcher *w = &ws->w[i];
        char *name = NULL;
        ph_error nerr;
        if (ph_institution_name(store, w->lender, &name, &nerr) != PH_OK)
            name = NULL;
        json_t *o = json_pack("{s:s, s:o, s:O, s:b, s:b, s:b, s:s}", "lender", w->lender,
                              "lender_name", srv_json_text_or_null(name), "consent", w->consent,
                              "live", w->live, "borrower", w->borrower, "watched",
                              w->live && w->borrower, "colour",
                              ph_warn_level_name((ph_warn_level)w->level));
        ph_free(ph_store_ctx(store), name);
        if (o == NULL || json_array_append_new(items, o) != 0)
            st = srv_nomem(err);
    }
    for (size_t i = 0; i < ws->n; i++)
        json_decref(ws->w[i].consent);
    free(ws);
    if (st != PH_OK) {
        json_decref(items);
        return st;
    }
    call->result = json_pack("{s:s, s:o}", "uscc", uscc, "items", items);
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- the routes ----------------------------------------------------------------------------- */

const srv_route srv_routes_alerts[] = {
    {"GET", "/v1/alerts", "alert", "read", alerts_list},
    /* before /v1/alerts/{id}: the first route that matches answers */
    {"GET", "/v1/alerts/summary", "alert", "summary", alerts_summary},
    {"GET", "/v1/alerts/{id}", "alert", "read", alert_show},
    {"POST", "/v1/alerts/{id}/ack", "alert", "ack", alert_ack},
    {"POST", "/v1/alerts/{id}/close", "alert", "close", alert_close},
    {"POST", "/v1/alerts/{id}/escalate", "alert", "escalate", alert_escalate},
    {"GET", "/v1/monitoring", "monitoring", "read", monitoring_show},
    {NULL, NULL, NULL, NULL, NULL},
};
