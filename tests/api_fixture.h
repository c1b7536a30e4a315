/*
 * The handler tests' set-up (tests/test_api_*.c): a copy of the test
 * platform that tests/http/platform.sh builds (PUHUI_TEST_PLATFORM_DIR, the
 * ctest fixture "platform"), a worker on it, and calls built by hand as the
 * HTTP core would build them, with the scope the real authz table grants.
 *
 * The worker is the one piece stood in for: the handlers reach the store
 * and the market through srv_worker_store / srv_worker_market only, so the
 * test defines those two on a real store and a real market (the server's
 * own worker lives in server.c, which these tests do not link).
 */
#ifndef API_FIXTURE_H
#define API_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_test.h"
#include "puhui/market.h"
#include "puhui/store.h"
#include "server/api.h"

struct srv_worker {
    ph_store *store;
    ph_market *market;
};

ph_store *srv_worker_store(srv_worker *w)
{
    return w->store;
}

ph_status srv_worker_market(srv_worker *w, ph_market **out, ph_error *err)
{
    if (w->market == NULL) {
        ph_status st = ph_market_open(w->store, &w->market, err);
        if (st != PH_OK)
            return st;
    }
    *out = w->market;
    return PH_OK;
}

/* platform.env's names */
typedef struct api_env {
    char firm_a[32], firm_b[32], firm_c[32], lender_a[64], lender_b[64];
    int64_t decision_a, decision_b, decline_a;
} api_env;

typedef struct api_fx {
    ph_ctx *ctx;
    char *dir;
    srv_worker worker;
    api_env env;
    srv_identity who;
    srv_call call;
    json_t *answer; /* the last answer, parsed (raw_json or result) */
} api_fx;

/* The platform's directory, or NULL (the caller skips). */
static inline const char *api_platform_dir(void)
{
    const char *d = getenv("PUHUI_TEST_PLATFORM_DIR");
    return d != NULL && d[0] != '\0' ? d : NULL;
}

static inline void api_copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (in == NULL)
        fail_msg("cannot open %s (build it with tests/http/platform.sh)", from);
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static inline void api_read_env(const char *dir, api_env *e)
{
    char *path = ph_test_path(dir, "platform.env");
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    free(path);
    char line[256];
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *eq = strchr(line, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        const char *v = eq + 1;
        if (strcmp(line, "FIRM_A") == 0)
            snprintf(e->firm_a, sizeof(e->firm_a), "%s", v);
        else if (strcmp(line, "FIRM_B") == 0)
            snprintf(e->firm_b, sizeof(e->firm_b), "%s", v);
        else if (strcmp(line, "FIRM_C") == 0)
            snprintf(e->firm_c, sizeof(e->firm_c), "%s", v);
        else if (strcmp(line, "LENDER_A") == 0)
            snprintf(e->lender_a, sizeof(e->lender_a), "%s", v);
        else if (strcmp(line, "LENDER_B") == 0)
            snprintf(e->lender_b, sizeof(e->lender_b), "%s", v);
        else if (strcmp(line, "DECISION_A") == 0)
            e->decision_a = atoll(v);
        else if (strcmp(line, "DECISION_B") == 0)
            e->decision_b = atoll(v);
        else if (strcmp(line, "DECLINE_A") == 0)
            e->decline_a = atoll(v);
    }
    fclose(f);
    assert_true(e->firm_a[0] && e->lender_a[0] && e->decision_a > 0);
}

static inline int api_setup(void **state)
{
    api_fx *f = calloc(1, sizeof(*f));
    const char *platform = api_platform_dir();
    ph_test_env_open("api", &f->ctx, &f->dir);
    char *from = ph_test_path(platform, "platform.db");
    char *to = ph_test_path(f->dir, "platform.db");
    api_copy_file(from, to);
    api_read_env(platform, &f->env);
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, to, NULL, &f->worker.store, &err), &err);
    free(from);
    free(to);
    *state = f;
    return 0;
}

static inline void api_clear(api_fx *f)
{
    json_decref(f->call.result);
    ph_free(f->ctx, f->call.raw_json);
    json_decref(f->call.body);
    json_decref(f->answer);
    f->answer = NULL;
    memset(&f->call, 0, sizeof(f->call));
}

static inline int api_teardown(void **state)
{
    api_fx *f = *state;
    api_clear(f);
    ph_market_free(f->worker.market);
    ph_store_free(f->worker.store);
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

/* The handler of METHOD PATTERN in `routes`. */
static inline const srv_route *api_route(const srv_route *routes, const char *method,
                                         const char *pattern)
{
    for (const srv_route *r = routes; r->method != NULL; r++)
        if (strcmp(r->method, method) == 0 && strcmp(r->pattern, pattern) == 0)
            return r;
    fail_msg("no route %s %s", method, pattern);
    return NULL;
}

/*
 * Call METHOD PATTERN as ROLE/TENANT with path parameter `param` (NULL: none),
 * query "a=1&b=2" (NULL: none; not decoded) and JSON body (NULL: none).
 * The answer, parsed, is in f->answer; the call (refused, status...) in f->call.
 */
static inline ph_status api_do(api_fx *f, const srv_route *routes, srv_role role,
                               const char *tenant, const char *method, const char *pattern,
                               const char *param, const char *query, const char *body,
                               ph_error *err)
{
    static char qbuf[512];
    api_clear(f);
    const srv_route *r = api_route(routes, method, pattern);
    f->who.role = role;
    snprintf(f->who.tenant, sizeof(f->who.tenant), "%s", tenant);
    f->who.key_id = 1;
    srv_call *c = &f->call;
    c->worker = &f->worker;
    c->ctx = f->ctx;
    c->who = &f->who;
    c->scope = srv_authz_scope(role, r->resource, r->action);
    assert_int_not_equal(c->scope, SRV_SCOPE_NONE); /* the table lets this role call it */
    c->method = method;
    c->path = pattern;
    c->route = pattern;
    if (param != NULL) {
        c->params[0] = param;
        c->n_params = 1;
    }
    if (query != NULL) {
        snprintf(qbuf, sizeof(qbuf), "%s", query);
        char *save = NULL;
        for (char *kv = strtok_r(qbuf, "&", &save); kv && c->n_query < SRV_MAX_QUERY;
             kv = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(kv, '=');
            assert_non_null(eq);
            *eq = '\0';
            c->query[c->n_query].name = kv;
            c->query[c->n_query].value = eq + 1;
            c->n_query++;
        }
    }
    c->body_text = body ? body : "";
    c->body_len = strlen(c->body_text);
    if (body != NULL) {
        c->body = json_loads(body, 0, NULL);
        assert_non_null(c->body);
    }
    ph_status st = r->handler(c, err);
    if (st == PH_OK) {
        if (c->raw_json != NULL) {
            f->answer = json_loadb(c->raw_json, c->raw_len, 0, NULL);
            assert_non_null(f->answer); /* the raw answer is JSON */
        } else {
            assert_non_null(c->result);
            f->answer = json_incref(c->result);
        }
        /* PUHUI_API_DUMP=FILE: every answer as one JSON line, to check it
         * against the OpenAPI document (docs/openapi.json) */
        const char *dump = getenv("PUHUI_API_DUMP");
        FILE *out = dump ? fopen(dump, "a") : NULL;
        if (out != NULL) {
            fprintf(out, "{\"method\": \"%s\", \"route\": \"%s\", \"status\": %d, "
                         "\"answer\": ", method, pattern, c->status ? c->status : 200);
            json_dumpf(f->answer, out, JSON_COMPACT);
            fputs("}\n", out);
            fclose(out);
        }
    } else {
        assert_null(c->result);
        assert_null(c->raw_json);
    }
    return st;
}

static inline int64_t api_count(api_fx *f, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    return ph_test_query_int(f->worker.store, sql);
}

static inline const char *api_str(const json_t *o, const char *name)
{
    const char *s = json_string_value(json_object_get(o, name));
    if (s == NULL)
        fail_msg("member '%s' is not a string", name);
    return s;
}

static inline int64_t api_int(const json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    if (!json_is_integer(v))
        fail_msg("member '%s' is not an integer", name);
    return (int64_t)json_integer_value(v);
}

/* Expect a refusal as a missing row: 404, the call marked refused. */
#define api_assert_refused(st, f, err)                                                           \
    do {                                                                                          \
        assert_int_equal((st), PH_ENOTFOUND);                                                     \
        assert_true((f)->call.refused[0] != '\0');                                                \
    } while (0)

/* Expect a bad request naming `field`. */
#define api_assert_bad(st, err, field_name)                                                       \
    do {                                                                                          \
        assert_int_equal((st), PH_EINVAL);                                                        \
        assert_string_equal((err)->field, (field_name));                                          \
    } while (0)

#endif
