/*
 * Consents, the access log and profiles over HTTP (docs/api.md; the rules
 * are access.h and profile.h, docs/domain.md#data-hub-and-consent).
 *
 * A firm grants, lists and revokes its own consents and reads the access-log
 * entries about itself: who read its data, for what, and what was refused.
 * An institution lists the consents granted to it and reads a firm's profile
 * through the library's consent gate (ph_profile_read), which logs the read
 * and refuses with PH_EDENIED (403) when no live consent covers it. Another
 * firm's consent answers as a missing one (404, "no consent 7").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_query.h"
#include "puhui/access.h"
#include "puhui/enterprise.h"
#include "puhui/feed.h"
#include "puhui/profile.h"

/* A source set as an array of feed names, in catalogue order. */
static json_t *sources_json(ph_source_set set)
{
    char list[PH_SOURCE_SET_FORMAT_MAX];
    json_t *arr = json_array();
    if (arr == NULL || ph_source_set_format(set, list, sizeof(list), NULL) != PH_OK)
        return arr;
    char *save = NULL; /* strtok_r: handlers run on several threads */
    for (char *name = strtok_r(list, ",", &save); name != NULL;
         name = strtok_r(NULL, ",", &save))
        json_array_append_new(arr, json_string(name));
    return arr;
}

static json_t *consent_json(const ph_consent *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:s, s:o}", "consent_id",
                     (json_int_t)c->id, "uscc", c->uscc, "institution", c->institution_id,
                     "purpose", ph_feed_purpose_name(c->purpose), "sources",
                     sources_json(c->sources), "raw_access", c->raw_access, "granted_on",
                     srv_json_date(c->granted_on), "expires_on", srv_json_date(c->expires_on),
                     "created_at", c->created_at, "revoked_at",
                     c->revoked_at ? json_string(c->revoked_at) : json_null());
}

/* One consent by id, kept as JSON with its owner. */
typedef struct consent_read {
    json_t *doc;
    char uscc[32];
} consent_read;

static ph_status keep_consent(void *user, const ph_consent *c, ph_error *err)
{
    consent_read *r = user;
    snprintf(r->uscc, sizeof(r->uscc), "%s", c->uscc);
    json_decref(r->doc);
    r->doc = consent_json(c);
    return r->doc ? PH_OK : srv_nomem(err);
}

static ph_status read_consent(ph_store *store, int64_t id, consent_read *r, ph_error *err)
{
    ph_consent_filter f;
    memset(&f, 0, sizeof(f));
    f.id = id;
    memset(r, 0, sizeof(*r));
    ph_status st = ph_consent_list(store, &f, keep_consent, r, err);
    if (st == PH_OK && r->doc == NULL) {
        srv_id_text v = srv_id_string(id);
        st = ph_error_set(err, PH_ENOTFOUND, "consent", v.s, "no consent %s", v.s);
    }
    return st;
}

/* ---- POST /v1/consents -------------------------------------------------------------------- */

static const char *const CONSENT_MEMBERS[] = {"institution", "purpose", "sources", "until", NULL};

/* The consent library's fields as the request's members: its last day is
 * "until" here, and an institution it does not know is a bad member of the
 * request (400), not a missing resource. */
static const srv_member_map CONSENT_MAP[] = {
    {"expires_on", 0, "until", 0},
    {"institution", PH_ENOTFOUND, "institution", PH_EINVAL},
    {"institution", 0, "institution", 0},
    {"purpose", 0, "purpose", 0},
    {"sources", 0, "sources", 0},
    {NULL, 0, NULL, 0},
};

/* "sources": an array of feed names; absent: every stored feed serving the purpose. */
static ph_status read_sources(const srv_call *call, unsigned purpose, ph_source_set *out,
                              ph_error *err)
{
    json_t *v = json_object_get(call->body, "sources");
    if (v == NULL || json_is_null(v)) {
        *out = ph_source_set_for_purpose(purpose);
        return PH_OK;
    }
    char list[PH_SOURCE_SET_FORMAT_MAX];
    size_t used = 0;
    size_t i;
    json_t *name;
    int ok = json_is_array(v) && json_array_size(v) > 0;
    json_array_foreach(v, i, name) {
        if (!ok || !json_is_string(name) || json_string_length(name) == 0 ||
            strchr(json_string_value(name), ',') != NULL) {
            ok = 0;
            break;
        }
        int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? "," : "",
                         json_string_value(name));
        if (n < 0 || (size_t)n >= sizeof(list) - used) {
            ok = 0;
            break;
        }
        used += (size_t)n;
    }
    if (!ok) {
        char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        ph_status st = ph_error_set(err, PH_EINVAL, "sources", text ? text : "?",
                                    "expected a non-empty array of feed names, such as "
                                    "[\"registration\", \"payments_daily\"]");
        free(text);
        return st;
    }
    return ph_source_set_parse(list, purpose, out, err);
}

static ph_status consent_create(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    ph_consent_terms t;
    memset(&t, 0, sizeof(t));
    const char *institution = NULL, *purpose = NULL, *until = NULL;
    ph_status st = srv_body_check(call, CONSENT_MEMBERS, err);
    if (st == PH_OK)
        st = srv_body_string(call, "institution", 1, &institution, err);
    if (st == PH_OK)
        st = srv_body_string(call, "purpose", 1, &purpose, err);
    if (st == PH_OK)
        st = srv_body_string(call, "until", 1, &until, err);
    if (st == PH_OK)
        st = ph_purpose_parse(purpose, &t.purpose, err);
    if (st == PH_OK) {
        st = ph_date_parse(until, strlen(until), &t.expires_on, err);
        if (st != PH_OK)
            ph_error_set_field(err, "until");
    }
    if (st == PH_OK)
        st = read_sources(call, t.purpose, &t.sources, err);
    if (st != PH_OK)
        return st;
    t.uscc = call->who->tenant; /* a firm grants for itself only */
    t.institution_id = institution;
    ph_store *store = srv_store(call);
    int64_t id = 0;
    consent_read r;
    st = srv_name_member(call, ph_consent_grant(store, &t, &id, err), CONSENT_MAP, err);
    if (st == PH_OK)
        st = read_consent(store, id, &r, err);
    if (st != PH_OK)
        return st;
    call->result = r.doc;
    call->status = 201;
    return PH_OK;
}

/* ---- GET /v1/consents ----------------------------------------------------------------------- */

typedef struct consent_page {
    int64_t after, limit, last;
    json_t *items;
} consent_page;

static ph_status append_consent(void *user, const ph_consent *c, ph_error *err)
{
    consent_page *p = user;
    if (c->id <= p->after)
        return PH_OK;
    if ((int64_t)json_array_size(p->items) >= p->limit)
        return PH_DONE; /* the page is full */
    json_t *o = consent_json(c);
    if (o == NULL || json_array_append_new(p->items, o) != 0)
        return srv_nomem(err);
    p->last = c->id;
    return PH_OK;
}

/* The query parameters consents_list takes. */
static const char *const CONSENTS_LIST_QUERY[] = {"limit", "after", NULL};

static ph_status consents_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, CONSENTS_LIST_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    consent_page p = {0, 0, 0, NULL};
    ph_status st = srv_query_page(call, &p.limit, &p.after, err);
    if (st != PH_OK)
        return st;
    ph_consent_filter f;
    memset(&f, 0, sizeof(f));
    if (call->who->role == SRV_ROLE_ENTERPRISE)
        f.uscc = call->who->tenant;
    else
        f.institution_id = call->who->tenant; /* granted to it */
    p.items = json_array();
    if (p.items == NULL)
        return srv_nomem(err);
    /* oldest first, by id */
    st = ph_consent_list(srv_store(call), &f, append_consent, &p, err);
    return srv_answer_list(call, st, p.items,
                           srv_page_next(json_array_size(p.items), p.limit, p.last), err);
}

/* ---- POST /v1/consents/{id}/revoke ----------------------------------------------------------- */

static ph_status consent_revoke(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, NULL, err); /* takes none */
    if (query_st != PH_OK)
        return query_st;
    int64_t id = 0;
    consent_read r = {0};
    ph_store *store = srv_store(call);
    ph_status st = srv_body_empty(call, err);
    if (st == PH_OK)
        st = srv_path_id(call, 0, "consent", &id, err);
    if (st == PH_OK)
        st = read_consent(store, id, &r, err);
    if (st == PH_OK && !srv_owns(call, r.uscc, NULL)) 
        st = srv_refuse_id(call, err, "consent", id);
    json_decref(r.doc);
    r.doc = NULL;
    if (st == PH_OK)
        st = ph_consent_revoke(store, id, err);
    if (st == PH_OK)
        st = read_consent(store, id, &r, err);
    if (st != PH_OK)
        return st;
    call->result = r.doc;
    return PH_OK;
}

/* ---- GET /v1/access-log ---------------------------------------------------------------------- */

typedef struct log_page {
    ph_store *store;
    json_t *items;
    int64_t last;
    char name_of[128];  /* the last institution named, and its name: entries come in runs */
    char *name;
} log_page;

static ph_status append_entry(void *user, const ph_audit_entry *e, ph_error *err)
{
    log_page *p = user;
    if (p->name == NULL || strcmp(p->name_of, e->institution_id) != 0) {
        ph_free(ph_store_ctx(p->store), p->name);
        p->name = NULL;
        ph_error why;
        if (ph_institution_name(p->store, e->institution_id, &p->name, &why) != PH_OK) {
            if (why.code != PH_ENOTFOUND)
                return ph_error_set(err, why.code, why.field, why.value, "%s", why.message);
            p->name = ph_strdup(ph_store_ctx(p->store), e->institution_id);
            if (p->name == NULL)
                return srv_nomem(err);
        }
        snprintf(p->name_of, sizeof(p->name_of), "%s", e->institution_id);
    }
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
                          (json_int_t)e->seq, "at", e->at, "institution", e->institution_id,
                          "institution_name", p->name, "purpose", e->purpose, "outcome",
                          e->outcome, "what", e->what, "sources", e->sources, "reason",
                          e->reason);
    if (o == NULL || json_array_append_new(p->items, o) != 0)
        return srv_nomem(err);
    p->last = e->seq;
    return PH_OK;
}

/* The query parameters access_log_list takes. */
static const char *const ACCESS_LOG_LIST_QUERY[] = {"limit", "after", NULL};

static ph_status access_log_list(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, ACCESS_LOG_LIST_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    ph_audit_filter f;
    memset(&f, 0, sizeof(f));
    ph_status st = srv_query_page(call, &f.limit, &f.before, err);
    if (st != PH_OK)
        return st;
    f.uscc = call->who->tenant; /* a firm reads who read its own data */
    log_page p;
    memset(&p, 0, sizeof(p));
    p.store = srv_store(call);
    p.items = json_array();
    if (p.items == NULL)
        return srv_nomem(err);
    st = ph_audit_list(p.store, &f, append_entry, &p, err);
    ph_free(ph_store_ctx(p.store), p.name);
    return srv_answer_list(call, st, p.items,
                           srv_page_next(json_array_size(p.items), f.limit, p.last), err);
}

/* ---- GET /v1/enterprises/{uscc}/profile ------------------------------------------------------ */

static json_t *profile_json(const ph_profile *p)
{
    const ph_registration *reg = ph_profile_registration(p);
    const ph_profile_scores *s = ph_profile_get_scores(p);
    json_t *dims = json_array();
    for (size_t d = 0; dims != NULL && d < PH_PROFILE_DIMENSION_COUNT; d++) {
        const ph_profile_dimension_score *dim = &s->dimensions[d];
        if (json_array_append_new(dims, json_pack("{s:s, s:s, s:o, s:f}", "name", dim->name,
                                                  "name_zh", dim->name_zh, "score",
                                                  srv_json_number_or_null(dim->score), "coverage",
                                                  dim->coverage)) != 0) {
            json_decref(dims);
            dims = NULL;
        }
    }
    if (dims == NULL)
        return NULL;
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:{s:s, s:s, s:s, s:s, s:s}, s:o, "
                     "s:o, s:o, s:I}",
                     "uscc", reg->uscc, "name", reg->name, "industry", reg->industry_code,
                     "size_class", reg->size_class, "asof", srv_json_date(ph_profile_asof(p)),
                     "purpose", ph_feed_purpose_name(ph_profile_purpose(p)), "peers_asof",
                     srv_json_date(ph_profile_peers_asof(p)), "class", "name", s->class_name,
                     "name_zh", s->class_zh, "name_en", s->class_en, "subclass", s->subclass,
                     "reason", s->class_reason, "dimensions", dims, "sources_consented",
                     sources_json(ph_profile_allowed(p)), "sources_not_consented",
                     sources_json(ph_profile_refused(p)), "access_log_seq",
                     (json_int_t)ph_profile_log_seq(p));
}

/* The query parameters profile_get takes. */
static const char *const PROFILE_GET_QUERY[] = {"purpose", "asof", NULL};

static ph_status profile_get(srv_call *call, ph_error *err)
{
    ph_status query_st = srv_query_check(call, PROFILE_GET_QUERY, err);
    if (query_st != PH_OK)
        return query_st;
    ph_profile_request req;
    memset(&req, 0, sizeof(req));
    req.uscc = call->n_params > 0 ? call->params[0] : "";
    req.institution_id = call->who->tenant; /* an institution reads for itself only */
    const char *purpose = srv_query(call, "purpose");
    ph_status st = purpose ? ph_purpose_parse(purpose, &req.purpose, err) : PH_OK;
    if (st == PH_OK)
        st = srv_query_date(call, "asof", &req.asof, err);
    ph_profile *p = NULL;
    if (st == PH_OK)
        st = ph_profile_read(srv_store(call), &req, &p, err);
    if (st == PH_EDENIED) { /* the gate refused and logged it; the server's log says so too */
        snprintf(call->refused, sizeof(call->refused), "no consent from %.24s", req.uscc);
        /* the gate's sentence says why; the problem names the firm asked for
         * (the path's uscc) and, in the expectation, the institution and purpose */
        char why[PH_ERROR_DETAIL_MAX];
        snprintf(why, sizeof(why), "%s", err ? err->detail : "");
        ph_error_set(err, PH_EDENIED, "uscc", req.uscc,
                     "a live consent from this firm to institution %s for purpose %s (%s)",
                     req.institution_id, purpose ? purpose : ph_feed_purpose_name(req.purpose),
                     why);
    }
    if (st != PH_OK)
        return st;
    call->result = profile_json(p);
    ph_profile_free(p);
    return call->result ? PH_OK : srv_nomem(err);
}

const srv_route srv_routes_consents[] = {
    {"POST", "/v1/consents", "consent", "create", consent_create},
    {"GET", "/v1/consents", "consent", "read", consents_list},
    {"POST", "/v1/consents/{id}/revoke", "consent", "revoke", consent_revoke},
    {"GET", "/v1/access-log", "access_log", "read", access_log_list},
    {"GET", "/v1/enterprises/{uscc}/profile", "profile", "read", profile_get},
    {NULL, NULL, NULL, NULL, NULL},
};
