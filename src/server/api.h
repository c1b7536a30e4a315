/*
 * The contract between the HTTP core (server.c, routes.c) and the endpoint
 * handlers (api_*.c). A handler sees a call: who is calling, the path
 * parameters, the query and the parsed body; it answers with a JSON value
 * (or raw JSON text) and an HTTP status, or with a ph_status and an error
 * that the core turns into an RFC 9457 problem (docs/api.md#errors).
 *
 * Handlers never touch libevent: they can be called from a unit test with a
 * call built by hand on a real store (tests/test_api_*.c).
 */
#ifndef PUHUI_SERVER_API_H
#define PUHUI_SERVER_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/market.h"
#include "puhui/store.h"

/* ---- identity ---------------------------------------------------------------------------- */

typedef enum srv_role {
    SRV_ROLE_NONE = 0,     /* no key: public routes only */
    SRV_ROLE_ENTERPRISE,   /* a firm acting for itself: tenant = its USCC */
    SRV_ROLE_INSTITUTION,  /* a lender, guarantor or core enterprise: tenant = institution id */
    SRV_ROLE_REGULATOR,    /* aggregates and the model registry: tenant = its institution id or "" */
    SRV_ROLE_ADMIN,        /* the platform's operator: tenant "" */
    SRV_ROLE_COUNT
} srv_role;

/* "enterprise", "institution", "regulator", "admin" ("none" for SRV_ROLE_NONE). */
const char *srv_role_name(srv_role role);

typedef struct srv_identity {
    srv_role role;
    char tenant[64];
    int64_t key_id;
    char label[128];       /* the key's label ("ABC credit desk"; may be ""): who acts */
} srv_identity;

/* ---- authorisation (authz.c: the role x resource x action table) ------------------------- */

typedef enum srv_scope {
    SRV_SCOPE_NONE = 0,    /* no row: refused (403) */
    SRV_SCOPE_OWN,         /* rows the caller's tenant owns */
    SRV_SCOPE_ALL,         /* any row */
    SRV_SCOPE_AGGREGATE    /* aggregates only, never a firm's rows */
} srv_scope;

/* The scope the table grants `role` for `resource`.`action` (SRV_SCOPE_NONE when no
 * row). Pure lookup over static data. */
srv_scope srv_authz_scope(srv_role role, const char *resource, const char *action);

/* ---- the worker: one per server thread ---------------------------------------------------- */

typedef struct srv_worker srv_worker;

/* The worker's own store connection. */
ph_store *srv_worker_store(srv_worker *w);
/* The evidence log's directory the server publishes from (read-only), or NULL
 * when it has none (ph_server_options.evidence_dir). */
const char *srv_worker_evidence_dir(srv_worker *w);
/* The worker's marketplace, opened on first use and reopened when a policy was
 * loaded or activated since (by any worker). */
ph_status srv_worker_market(srv_worker *w, ph_market **out, ph_error *err);
/* Say that the active policies changed, so every worker reopens its market. */
void srv_worker_policies_changed(srv_worker *w);

/* ---- a call --------------------------------------------------------------------------------- */

#define SRV_MAX_PARAMS 4
#define SRV_MAX_QUERY 16

typedef struct srv_kv {
    const char *name;
    const char *value;
} srv_kv;

typedef struct srv_call {
    /* in */
    srv_worker *worker;
    const ph_ctx *ctx;
    const srv_identity *who;
    srv_scope scope;                    /* the authz scope of this route for this caller */
    const char *method;                 /* "GET", "POST" */
    const char *path;                   /* as requested, without the query */
    const char *route;                  /* the route pattern: "/v1/loans/{id}" */
    const char *params[SRV_MAX_PARAMS]; /* path parameters, in pattern order (decoded) */
    size_t n_params;
    srv_kv query[SRV_MAX_QUERY];        /* decoded query parameters */
    size_t n_query;
    json_t *body;                       /* the parsed body (an object) of a POST; NULL otherwise */
    const char *body_text;              /* the raw body ("" when none) */
    size_t body_len;

    /* out */
    int status;                         /* HTTP status on success; 0 means 200 */
    json_t *result;                     /* the answer, owned by the call (the core frees it) */
    char *raw_json;                     /* or: JSON text to send as is (ph_malloc'd with ctx) */
    size_t raw_len;
    char refused[160];                  /* why a tenant was refused ("" when not); logged */
    int error_http;                     /* on an error: answer with this HTTP status and */
    const char *error_slug;             /* problem type slug and title instead of the */
    const char *error_title;            /* status map's (0 / NULL: the map's) */
    const char *lender_outcome[8];      /* decisions made: "L001:offer" for the metrics (may be empty) */
    size_t n_outcomes;
} srv_call;

/* A handler: fill call->result (or raw_json) and return PH_OK, or return an
 * error status with `err` filled (field, value, expectation). */
typedef ph_status (*srv_handler)(srv_call *call, ph_error *err);

/* ---- routes: each api_*.c file exports its table, ended by a row of NULLs ------------------ */

typedef struct srv_route {
    const char *method;   /* "GET", "POST" */
    const char *pattern;  /* "/v1/loans/{id}": literal segments and {name} parameters */
    const char *resource; /* authz resource ("loan"); NULL for a public route */
    const char *action;   /* authz action ("read") */
    srv_handler handler;
} srv_route;

extern const srv_route srv_routes_alerts[];       /* api_alerts.c: early-warning alerts, a firm's monitoring */
extern const srv_route srv_routes_applications[]; /* api_applications.c: applications, decisions, appeals */
extern const srv_route srv_routes_consents[];     /* api_consents.c: consents, access log, profiles */
extern const srv_route srv_routes_governance[];   /* api_governance.c: policies, models, market */
extern const srv_route srv_routes_loans[];        /* api_loans.c: loans, portfolio */
extern const srv_route srv_routes_session[];      /* api_session.c: GET /v1/whoami */
extern const srv_route srv_routes_vouchers[];     /* api_vouchers.c: claim vouchers and their proofs */

/* ---- helpers for handlers (api_util.c) --------------------------------------------------- */

/* The query parameter `name`, or NULL. */
const char *srv_query(const srv_call *call, const char *name);

/*
 * Refuse a call on another tenant's row: record why (call->refused, for the
 * access log) and answer as if the row did not exist (PH_ENOTFOUND with the
 * message `fmt`), so that existence is not leaked. Returns PH_ENOTFOUND.
 */
ph_status srv_refuse(srv_call *call, ph_error *err, const char *field, const char *value,
                     const char *fmt, ...) PH_PRINTF(5, 6);

/* Whether the caller owns a row whose owners are `uscc` (the firm) and
 * `institution` (the lender); either may be NULL. SRV_SCOPE_ALL owns everything. */
int srv_owns(const srv_call *call, const char *uscc, const char *institution);

/*
 * Read the body's members against a list of allowed names: an unknown member
 * is PH_EINVAL naming it ("unknown member 'x'; expected one of: a, b").
 * A missing body where one is required is PH_EINVAL field "body".
 */
ph_status srv_body_check(const srv_call *call, const char *const *allowed, ph_error *err);

/* Typed member reads. `required` 0 leaves *out unchanged when absent.
 * Wrong type: PH_EINVAL with the member as field and its JSON as value. */
ph_status srv_body_string(const srv_call *call, const char *name, int required, const char **out,
                          ph_error *err);
ph_status srv_body_int(const srv_call *call, const char *name, int required, int64_t *out,
                       ph_error *err);
ph_status srv_body_bool(const srv_call *call, const char *name, int required, int *out,
                        ph_error *err);
/* Money: a string of yuan ("300000.00", at most 2 decimals) into fen. */
ph_status srv_body_money(const srv_call *call, const char *name, int required, int64_t *out,
                         ph_error *err);

/* JSON builders for money and rates, as strings ("300000.00", "0.0385"). */
json_t *srv_json_money(int64_t fen);
json_t *srv_json_rate(int64_t rate_1e8);

#endif
