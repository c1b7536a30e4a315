/*
 * For the handler tests (test_api_loans.c, test_api_governance.c): a copy of
 * the test platform (tests/http/platform.sh, directory $PUHUI_TEST_PLATFORM_DIR),
 * its names (platform.env), and calls built by hand as the HTTP core builds
 * them: the route from the handlers' own table, the scope from the real
 * authz table (srv_authz_scope).
 *
 * The worker is the one piece of the core a handler reaches: here a plain
 * holder of the store that counts policy changes (the core's worker also
 * owns a marketplace and a libevent base, which these handlers never use).
 * Include once per test program.
 */
#ifndef PUHUI_TESTS_API_PLATFORM_H
#define PUHUI_TESTS_API_PLATFORM_H

#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/server/api.h"

struct srv_worker {
    ph_store *store;
    int policies_changed;
};

ph_store *srv_worker_store(srv_worker *w)
{
    return w->store;
}

ph_status srv_worker_market(srv_worker *w, ph_market **out, ph_error *err)
{
    (void)w;
    (void)out;
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "no marketplace in the handler tests");
}

void srv_worker_policies_changed(srv_worker *w)
{
    w->policies_changed++;
}

#define PLAT_MAX_NAMES 32

typedef struct plat {
    ph_ctx *ctx;
    char *dir;            /* this test's copy */
    char *src;            /* the platform's directory */
    ph_store *store;
    srv_worker worker;
    char names[PLAT_MAX_NAMES][2][128];
    size_t n_names;
    /* the last call */
    srv_call call;
    srv_identity who;
    json_t *body;
    ph_error err;
} plat;

/* A name from platform.env ("" when absent). */
static inline const char *plat_name(const plat *p, const char *name)
{
    for (size_t i = 0; i < p->n_names; i++)
        if (strcmp(p->names[i][0], name) == 0)
            return p->names[i][1];
    return "";
}

static void plat_copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    assert_non_null(in);
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* cmocka setup: NULL state (and the tests skip) without the platform. */
static int plat_setup(void **state, const char *name)
{
    const char *src = getenv("PUHUI_TEST_PLATFORM_DIR");
    if (src == NULL || *src == '\0') {
        *state = NULL;
        return 0;
    }
    plat *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    p->src = strdup(src);
    ph_test_env_open(name, &p->ctx, &p->dir);
    char *env = ph_test_path(src, "platform.env");
    FILE *f = fopen(env, "r");
    assert_non_null(f);
    char line[512];
    while (fgets(line, sizeof(line), f) && p->n_names < PLAT_MAX_NAMES) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        snprintf(p->names[p->n_names][0], 128, "%.127s", line);
        snprintf(p->names[p->n_names][1], 128, "%.127s", eq + 1);
        p->n_names++;
    }
    fclose(f);
    free(env);
    char *db = ph_test_path(src, "platform.db"), *copy = ph_test_path(p->dir, "platform.db");
    plat_copy(db, copy);
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_open(p->ctx, copy, NULL, &p->store, &err), &err);
    free(db);
    free(copy);
    p->worker.store = p->store;
    *state = p;
    return 0;
}

/* With PUHUI_API_DUMP=DIR set, every answer is written to DIR as
 * PID-NNNN.json {"method", "route", "status", "body"}, for checking against the
 * OpenAPI document (docs/openapi.json). */
static void plat_dump(const plat *p)
{
    static int n;
    const char *dir = getenv("PUHUI_API_DUMP");
    if (dir == NULL || p->call.result == NULL || p->call.method == NULL)
        return;
    char path[512];
    snprintf(path, sizeof(path), "%s/%ld-%04d.json", dir, (long)getpid(), n++);
    json_t *o = json_pack("{s:s, s:s, s:i, s:O}", "method", p->call.method, "route",
                          p->call.route, "status", p->call.status ? p->call.status : 200,
                          "body", p->call.result);
    if (o != NULL)
        json_dump_file(o, path, JSON_COMPACT);
    json_decref(o);
}

static void plat_reset(plat *p)
{
    plat_dump(p);
    json_decref(p->call.result);
    if (p->call.raw_json)
        ph_free(p->ctx, p->call.raw_json);
    json_decref(p->body);
    p->body = NULL;
    memset(&p->call, 0, sizeof(p->call));
}

static int plat_teardown(void **state)
{
    plat *p = *state;
    if (p == NULL)
        return 0;
    plat_reset(p);
    ph_store_free(p->store);
    ph_test_env_close(p->ctx, p->dir);
    free(p->src);
    free(p);
    return 0;
}

#define PLAT_OR_SKIP(state)                                                                    \
    plat *p = *(state);                                                                        \
    if (p == NULL) {                                                                           \
        print_message("PUHUI_TEST_PLATFORM_DIR is not set: build the platform with "            \
                      "tests/http/platform.sh and point it there (ctest fixture "              \
                      "'platform'); skipping\n");                                               \
        skip();                                                                                \
    }

/*
 * Call `method pattern` of `routes` as ROLE/TENANT would over HTTP: the
 * scope from the authz table (SRV_SCOPE_NONE: the router refuses, 403, and
 * the handler is not called: PH_EDENIED is returned), path parameters in
 * order (NULL-ended), the query as "a=1&b=2" (NULL: none), the body as
 * JSON text (NULL: none; parsed as the core does, kept raw too).
 */
static ph_status plat_call(plat *p, const srv_route *routes, const char *method,
                           const char *pattern, srv_role role, const char *tenant,
                           const char *const *params, const char *query, const char *body)
{
    plat_reset(p);
    const srv_route *r = NULL;
    for (const srv_route *x = routes; x->method != NULL; x++)
        if (strcmp(x->method, method) == 0 && strcmp(x->pattern, pattern) == 0)
            r = x;
    assert_non_null(r);
    memset(&p->who, 0, sizeof(p->who));
    p->who.role = role;
    snprintf(p->who.tenant, sizeof(p->who.tenant), "%s", tenant ? tenant : "");
    p->who.key_id = 1;
    srv_call *c = &p->call;
    c->worker = &p->worker;
    c->ctx = p->ctx;
    c->who = &p->who;
    c->scope = srv_authz_scope(role, r->resource, r->action);
    c->method = method;
    c->path = pattern;
    c->route = pattern;
    for (size_t i = 0; params != NULL && params[i] != NULL && i < SRV_MAX_PARAMS; i++)
        c->params[c->n_params++] = params[i];
    static char qbuf[512];
    snprintf(qbuf, sizeof(qbuf), "%s", query ? query : "");
    for (char *save = NULL, *kv = query ? strtok_r(qbuf, "&", &save) : NULL;
         kv != NULL && c->n_query < SRV_MAX_QUERY; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq != NULL)
            *eq = '\0';
        c->query[c->n_query].name = kv;
        c->query[c->n_query].value = eq ? eq + 1 : "";
        c->n_query++;
    }
    c->body_text = body ? body : "";
    c->body_len = body ? strlen(body) : 0;
    if (body != NULL) {
        p->body = json_loads(body, JSON_DECODE_ANY, NULL);
        c->body = json_is_object(p->body) ? p->body : NULL;
    }
    ph_error_clear(&p->err);
    if (c->scope == SRV_SCOPE_NONE)
        return PH_EDENIED;
    return r->handler(c, &p->err);
}

/* Members of the answer. */
static inline const char *plat_str(const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static inline int64_t plat_int(const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    assert_true(json_is_integer(v));
    return (int64_t)json_integer_value(v);
}

/* The ledger's trial balance must sum to zero: every posting balanced. */
static inline void plat_assert_balanced(plat *p)
{
    int64_t debit = ph_test_query_int(p->store, "SELECT COALESCE(SUM(debit), 0) FROM journal_line");
    int64_t credit =
        ph_test_query_int(p->store, "SELECT COALESCE(SUM(credit), 0) FROM journal_line");
    assert_int_equal(debit, credit);
}

#endif
