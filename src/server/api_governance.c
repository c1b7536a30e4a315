/*
 * Policies, models and the market over HTTP (docs/api.md#governance): a
 * lender loads and activates its own policies; lenders, the regulator and
 * the operator read the model registry and the market's aggregates. The
 * policy store (policy_store.h), the registry (registry.h) and the market
 * view (market.h) do the work.
 *
 * Tenancy: an institution's policies are those whose lender is its id; a
 * document naming another lender is refused (403) before anything is
 * stored. The market answers aggregates only: per lender and per segment,
 * never a firm's row.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "api_query.h"
#include "puhui/market.h"
#include "puhui/policy_store.h"
#include "puhui/registry.h"

/* ---- policies ---------------------------------------------------------------------------- */

static json_t *policy_json(const ph_policy_entry *e)
{
    return json_pack("{s:s, s:s, s:I, s:b, s:s, s:I, s:s, s:s}", "lender", e->lender, "name",
                     e->name, "version", (json_int_t)e->version, "active", e->active,
                     "checksum", e->checksum, "size", (json_int_t)e->size, "file",
                     e->file ? e->file : "", "loaded_at", e->loaded_at ? e->loaded_at : "");
}

static ph_status add_policy(void *user, const ph_policy_entry *e, ph_error *err)
{
    json_t *o = policy_json(e);
    if (o == NULL || json_array_append_new(user, o) != 0)
        return srv_nomem(err);
    return PH_OK;
}

/* The lender whose policies the caller may touch: its own id; NULL for a
 * scope over every lender. */
static const char *policy_lender(const srv_call *call)
{
    return call->scope == SRV_SCOPE_ALL ? NULL : call->who->tenant;
}

static ph_status policy_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    json_t *items = json_array();
    if (items == NULL)
        return srv_nomem(err);
    ph_status st =
        ph_policy_store_list(srv_store(call), policy_lender(call), add_policy, items, err);
    return srv_answer_list(call, st, items, 0, err); /* a few versions per lender: one page */
}

/* The query parameters policy_load takes. */
static const char *const POLICY_LOAD_QUERY[] = {"activate", NULL};

static ph_status policy_load(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, POLICY_LOAD_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    int flag = -1;
    ph_status st = srv_query_flag(call, "activate", &flag, err);
    if (st != PH_OK)
        return st;
    int activate = flag == 1;
    if (call->who->role != SRV_ROLE_INSTITUTION || call->scope != SRV_SCOPE_OWN)
        return ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                            "a policy is loaded by its lender");
    ph_policy_entry *e = NULL;
    /* The body is the document itself: the store keeps its exact bytes. */
    st = ph_policy_store_load_text(srv_store(call), call->body_text ? call->body_text : "",
                                   call->body_len, "body", call->who->tenant, activate, &e, err);
    if (st == PH_EDENIED)
        snprintf(call->refused, sizeof(call->refused), "policy of lender %.100s", err->value);
    if (st != PH_OK)
        return st;
    call->result = json_pack("{s:s, s:s, s:I, s:b, s:s, s:b}", "lender", e->lender, "name",
                             e->name, "version", (json_int_t)e->version, "active", e->active,
                             "checksum", e->checksum, "stored", e->stored);
    ph_policy_entry_free(e);
    if (call->result == NULL)
        return srv_nomem(err);
    if (activate)
        srv_worker_policies_changed(call->worker);
    call->status = 201;
    return PH_OK;
}

typedef struct policy_match {
    const char *name;
    int64_t version;
    int found;
} policy_match;

static ph_status match_policy(void *user, const ph_policy_entry *entry, ph_error *err)
{
    (void)err;
    policy_match *m = user;
    if (strcmp(entry->name, m->name) == 0 && entry->version == m->version)
        m->found = 1;
    return PH_OK;
}

/* Whether some other lender stores NAME at VERSION: an activation that names
 * it is refused as a missing row, and the refusal logged (srv_refuse). */
static int another_lenders_policy(srv_call *call, const char *name, int64_t version)
{
    policy_match m = {name, version, 0};
    return ph_policy_store_list(srv_store(call), NULL, match_policy, &m, NULL) == PH_OK && m.found;
}

static ph_status policy_activate(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    ph_status st = srv_body_empty(call, err);
    const char *name = srv_path_text(call, 0);
    int64_t version = 0;
    if (st == PH_OK)
        st = srv_path_id(call, 1, "version", &version, err);
    if (st == PH_OK && (call->who->role != SRV_ROLE_INSTITUTION || call->scope != SRV_SCOPE_OWN))
        st = ph_error_set(err, PH_EDENIED, "role", srv_role_name(call->who->role),
                          "a policy is activated by its lender");
    /* Only the caller's own lender is ever named: another lender's policy
     * of the same name is not found, and the refusal is logged. */
    if (st == PH_OK)
        st = ph_policy_store_activate(srv_store(call), call->who->tenant, name, version, err);
    if (st == PH_ENOTFOUND && another_lenders_policy(call, name, version)) {
        /* the same words as a missing version (copied: err is rewritten) */
        char field[PH_ERROR_FIELD_MAX], value[PH_ERROR_VALUE_MAX], detail[PH_ERROR_DETAIL_MAX];
        snprintf(field, sizeof(field), "%s", err && err->field[0] ? err->field : "policy");
        snprintf(value, sizeof(value), "%s", err ? err->value : name);
        snprintf(detail, sizeof(detail), "%s", err ? err->detail : "no such policy version");
        return srv_refuse(call, err, field, value, "%s", detail);
    }
    if (st != PH_OK)
        return st;
    srv_worker_policies_changed(call->worker);
    call->result = json_pack("{s:s, s:s, s:I, s:b}", "lender", call->who->tenant, "name", name,
                             "version", (json_int_t)version, "active", 1);
    return call->result ? PH_OK : srv_nomem(err);
}

/* ---- models -------------------------------------------------------------------------------- */

/* A JSON text stored by the registry as a value (null when absent or not JSON). */
static json_t *stored_json(const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

static json_t *model_json(const ph_registry_entry *e)
{
    return json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:s}",
                     "name", e->name, "version", (json_int_t)e->version, "kind",
                     ph_model_kind_name(e->kind), "state", ph_model_state_name(e->state),
                     "checksum", e->checksum, "size", (json_int_t)e->size, "file",
                     e->file ? e->file : "", "features", stored_json(e->features), "training",
                     stored_json(e->training), "metrics", stored_json(e->metrics),
                     "registered_at", e->registered_at ? e->registered_at : "", "state_at",
                     e->state_at ? e->state_at : "", "state_by", e->state_by ? e->state_by : "",
                     "state_note", e->state_note ? e->state_note : "");
}

static ph_status add_model(void *user, const ph_registry_entry *e, ph_error *err)
{
    json_t *o = model_json(e);
    if (o == NULL || json_array_append_new(user, o) != 0)
        return srv_nomem(err);
    return PH_OK;
}

static ph_status model_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    json_t *items = json_array();
    if (items == NULL)
        return srv_nomem(err);
    ph_status st = ph_registry_list(srv_store(call), NULL, add_model, items, err);
    return srv_answer_list(call, st, items, 0, err);
}

static ph_status add_event(void *user, const ph_registry_event *ev, ph_error *err)
{
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s}", "seq", (json_int_t)ev->seq, "at",
                          ev->at ? ev->at : "", "from", srv_json_text_or_null(ev->from), "to",
                          ev->to ? ev->to : "", "actor", ev->actor ? ev->actor : "", "note",
                          ev->note ? ev->note : "");
    if (o == NULL || json_array_append_new(user, o) != 0)
        return srv_nomem(err);
    return PH_OK;
}

static ph_status model_show(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    const char *name = srv_path_text(call, 0);
    int64_t version = 0;
    ph_status st = srv_path_id(call, 1, "version", &version, err);
    ph_registry_entry *e = NULL;
    if (st == PH_OK)
        st = ph_registry_get(srv_store(call), name, version, &e, err);
    if (st != PH_OK)
        return st;
    json_t *o = model_json(e);
    ph_registry_entry_free(e);
    json_t *events = json_array();
    if (o == NULL || events == NULL) {
        json_decref(o);
        json_decref(events);
        return srv_nomem(err);
    }
    st = ph_registry_events(srv_store(call), name, version, add_event, events, err);
    json_object_set_new(o, "events", events);
    if (st != PH_OK) {
        json_decref(o);
        return st;
    }
    call->result = o;
    return PH_OK;
}

/* ---- the market ------------------------------------------------------------------------------ */

/* ?from and ?to (both optional; to >= from). */
static ph_status period(const srv_call *call, ph_date *from, ph_date *to, ph_error *err)
{
    *from = 0;
    *to = 0;
    ph_status st = srv_query_date(call, "from", from, err);
    if (st == PH_OK)
        st = srv_query_date(call, "to", to, err);
    if (st == PH_OK && *from && *to && *to < *from)
        st = ph_error_set(err, PH_EINVAL, "to", srv_query(call, "to"),
                          "expected a day on or after 'from' (%s)", srv_query(call, "from"));
    return st;
}

/* n / d as a rate (1e-8), half up; 0 when d is 0. Counts are far below
 * 2^63 / 1e8. */
static ph_rate count_ratio(int64_t n, int64_t d)
{
    return d > 0 ? (n * 200000000 + d) / (2 * d) : 0;
}

static json_t *lender_stats_json(const ph_market_lender_stats *s)
{
    json_t *reasons = json_array();
    for (size_t i = 0; reasons != NULL && i < s->n_reasons; i++)
        json_array_append_new(reasons, json_pack("{s:s, s:I}", "code", s->reason_code[i], "count",
                                                 (json_int_t)s->reason_count[i]));
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:o}",
                     "lender", s->lender, "lender_name", s->lender_name, "firms",
                     (json_int_t)s->firms, "asked",
                     (json_int_t)s->asked, "not_asked", (json_int_t)s->not_asked, "approved",
                     (json_int_t)s->approved, "approval_rate",
                     srv_json_rate(count_ratio(s->approved, s->asked)), "offered",
                     srv_json_money(s->offered), "avg_rate", srv_json_rate(s->avg_rate),
                     "avg_net_apr", srv_json_rate(s->avg_net_apr), "credit_offers",
                     (json_int_t)s->credit_offers, "first_time", (json_int_t)s->first_time,
                     "challenger", (json_int_t)s->challenger, "reasons", reasons);
}

/* Whether the caller may see a lender's row: a row of fewer than
 * PH_MARKET_MIN_FIRMS firms would show that lender's decisions about one or
 * two firms, so only the lender itself sees it (docs/api.md#market). */
static int lender_row_visible(const srv_call *call, const ph_market_lender_stats *s)
{
    return s->firms >= PH_MARKET_MIN_FIRMS ||
           (call->who->role == SRV_ROLE_INSTITUTION && strcmp(call->who->tenant, s->lender) == 0);
}

/* The query parameters market_stats takes. */
static const char *const MARKET_STATS_QUERY[] = {"from", "to", NULL};

static ph_status market_stats(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, MARKET_STATS_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    ph_date from = 0, to = 0;
    ph_status st = period(call, &from, &to, err);
    ph_market_report *r = NULL;
    if (st == PH_OK)
        st = ph_market_report_build(srv_store(call), from, to, &r, err);
    if (st != PH_OK)
        return st;
    json_t *lenders = json_array();
    int64_t hidden = 0;
    for (size_t i = 0; lenders != NULL && i < r->n_lenders; i++) {
        if (lender_row_visible(call, &r->lenders[i]))
            json_array_append_new(lenders, lender_stats_json(&r->lenders[i]));
        else
            hidden++;
    }
    /* The total (and which applications got an offer) less the rows shown
     * would give a hidden row back: it is shown only when nothing is hidden
     * and the whole period counts enough firms. */
    int whole = hidden == 0 && r->firms >= PH_MARKET_MIN_FIRMS;
    call->result = json_pack(
        "{s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:I, s:o}", "from", srv_json_date(from), "to",
        srv_json_date(to), "min_firms", (json_int_t)PH_MARKET_MIN_FIRMS, "applications",
        (json_int_t)r->applications, "firms", (json_int_t)r->firms, "with_offer",
        whole ? json_integer(r->with_offer) : json_null(), "offer_rate",
        whole ? srv_json_rate(count_ratio(r->with_offer, r->applications)) : json_null(),
        "lenders", lenders, "suppressed_lenders", (json_int_t)hidden, "total",
        whole ? lender_stats_json(&r->lenders[r->n_lenders]) : json_null());
    ph_market_report_free(r);
    return call->result ? PH_OK : srv_nomem(err);
}

/* The query parameters market_segments takes. */
static const char *const MARKET_SEGMENTS_QUERY[] = {"by", "from", "to", NULL};

static ph_status market_segments(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, MARKET_SEGMENTS_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    ph_date from = 0, to = 0;
    const char *by = srv_query(call, "by");
    ph_status st = period(call, &from, &to, err);
    ph_market_segments *s = NULL;
    if (st == PH_OK)
        st = ph_market_segments_build(srv_store(call), by ? by : "city", from, to, &s, err);
    if (st != PH_OK)
        return st;
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < s->n; i++) {
        const ph_market_segment *g = &s->items[i];
        json_array_append_new(
            items, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:I, s:o, s:o, s:I}", "key",
                             g->key, "label", g->label, "label_en", g->label_en, "firms",
                             (json_int_t)g->firms, "applications", (json_int_t)g->applications,
                             "approved", (json_int_t)g->approved, "approval_rate",
                             srv_json_rate(g->approval_rate), "offers", (json_int_t)g->offers,
                             "offered", srv_json_money(g->offered), "avg_rate",
                             srv_json_rate(g->avg_rate), "first_time",
                             (json_int_t)g->first_time));
    }
    call->result = json_pack("{s:s, s:o, s:o, s:I, s:o, s:I}", "by", s->by, "from",
                             srv_json_date(from), "to", srv_json_date(to), "min_firms",
                             (json_int_t)PH_MARKET_MIN_FIRMS, "items", items, "suppressed_firms",
                             (json_int_t)s->suppressed_firms);
    ph_market_segments_free(s);
    return call->result ? PH_OK : srv_nomem(err);
}

const srv_route srv_routes_governance[] = {
    {"GET", "/v1/policies", "policy", "read", policy_list},
    {"POST", "/v1/policies", "policy", "create", policy_load},
    {"POST", "/v1/policies/{name}/versions/{version}/activate", "policy", "activate",
     policy_activate},
    {"GET", "/v1/models", "model", "read", model_list},
    {"GET", "/v1/models/{name}/versions/{version}", "model", "read", model_show},
    {"GET", "/v1/market/stats", "market", "read", market_stats},
    {"GET", "/v1/market/segments", "market", "read", market_segments},
    {NULL, NULL, NULL, NULL, NULL},
};
