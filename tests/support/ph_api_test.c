/*
 * The endpoint handlers' test fixture (ph_api_test.h).
 */
#include "ph_api_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/market.h"

/* ---- the stand-in worker (why: ph_api_test.h) ------------------------------------------- */

struct srv_worker {
    ph_store *store;
    char *evidence_dir; /* the platform's evidence log, only read */
    ph_market *market; /* opened on first use, as the server's worker does */
    int policies_changed;
};

ph_store *srv_worker_store(srv_worker *w)
{
    return w->store;
}

const char *srv_worker_evidence_dir(srv_worker *w)
{
    return w->evidence_dir;
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

void srv_worker_policies_changed(srv_worker *w)
{
    /* the server's worker reopens its market; so does this one */
    ph_market_free(w->market);
    w->market = NULL;
    w->policies_changed++;
}

/* ---- the platform's copy ------------------------------------------------------------------- */

#define API_MAX_NAMES 32

typedef struct api_state {
    api_fx fx;          /* first: the state is the fixture */
    srv_worker worker;
    char names[API_MAX_NAMES][2][128];
    size_t n_names;
    json_t *body;       /* the last call's parsed body */
    char query[512];    /* the last call's query, cut into names and values */
} api_state;

static void copy_file(const char *from, const char *to)
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

static void read_names(api_state *s, const char *dir)
{
    char *path = ph_test_path(dir, "platform.env");
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    free(path);
    char line[512];
    while (fgets(line, sizeof(line), f) != NULL && s->n_names < API_MAX_NAMES) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        snprintf(s->names[s->n_names][0], sizeof(s->names[0][0]), "%.127s", line);
        snprintf(s->names[s->n_names][1], sizeof(s->names[0][1]), "%.127s", eq + 1);
        s->n_names++;
    }
    fclose(f);
}

int api_setup(void **state)
{
    const char *platform = getenv("PUHUI_TEST_PLATFORM_DIR");
    if (platform == NULL || platform[0] == '\0') {
        *state = NULL;
        return 0;
    }
    api_state *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    api_fx *f = &s->fx;
    ph_test_env_open("api", &f->ctx, &f->dir);
    read_names(s, platform);
    char *from = ph_test_path(platform, "platform.db");
    char *to = ph_test_path(f->dir, "platform.db");
    copy_file(from, to);
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, to, NULL, &f->store, &err), &err);
    free(from);
    free(to);
    s->worker.store = f->store;
    /* the platform's evidence log beside its db (never written by a handler) */
    s->worker.evidence_dir = ph_test_path(platform, "platform.db.evidence");
    f->worker = &s->worker;
    *state = s;
    return 0;
}

/* Forget the last call. */
static void clear_call(api_state *s)
{
    api_fx *f = &s->fx;
    json_decref(f->call.result);
    ph_free(f->ctx, f->call.raw_json);
    json_decref(s->body);
    s->body = NULL;
    json_decref(f->answer);
    f->answer = NULL;
    memset(&f->call, 0, sizeof(f->call));
    ph_error_clear(&f->err);
}

int api_teardown(void **state)
{
    api_state *s = *state;
    if (s == NULL)
        return 0;
    clear_call(s);
    ph_market_free(s->worker.market);
    free(s->worker.evidence_dir);
    ph_store_free(s->fx.store);
    ph_test_env_close(s->fx.ctx, s->fx.dir);
    free(s);
    return 0;
}

api_fx *api_fx_get(void **state)
{
    if (*state == NULL) {
        print_message("PUHUI_TEST_PLATFORM_DIR is not set: build the platform with "
                      "tests/http/platform.sh PUHUI_BIN DIR and point it there (the ctest "
                      "fixture 'platform'); skipping\n");
        skip();
    }
    return &((api_state *)*state)->fx;
}

const char *api_name(const api_fx *f, const char *name)
{
    const api_state *s = (const api_state *)f;
    for (size_t i = 0; i < s->n_names; i++)
        if (strcmp(s->names[i][0], name) == 0)
            return s->names[i][1];
    return "";
}

int64_t api_id(const api_fx *f, const char *name)
{
    const char *v = api_name(f, name);
    char *end = NULL;
    long long id = strtoll(v, &end, 10);
    if (v[0] == '\0' || *end != '\0' || id <= 0)
        fail_msg("platform.env: %s=%s is not an id", name, v);
    return (int64_t)id;
}

int api_policies_changed(const api_fx *f)
{
    return f->worker->policies_changed;
}

/* ---- calls ----------------------------------------------------------------------------------- */

static const srv_route *find_route(const srv_route *routes, const char *method,
                                   const char *pattern)
{
    for (const srv_route *r = routes; r->method != NULL; r++)
        if (strcmp(r->method, method) == 0 && strcmp(r->pattern, pattern) == 0)
            return r;
    fail_msg("no route %s %s", method, pattern);
    return NULL;
}

static void dump_answer(const api_fx *f)
{
    const char *dump = getenv("PUHUI_API_DUMP");
    FILE *out = dump != NULL && f->answer != NULL ? fopen(dump, "a") : NULL;
    if (out == NULL)
        return;
    fprintf(out, "{\"method\": \"%s\", \"route\": \"%s\", \"status\": %d, \"answer\": ",
            f->call.method, f->call.route, f->call.status ? f->call.status : 200);
    json_dumpf(f->answer, out, JSON_COMPACT);
    fputs("}\n", out);
    fclose(out);
}

ph_status api_call(api_fx *f, const srv_route *routes, srv_role role, const char *tenant,
                   const char *method, const char *pattern, const char *const *params,
                   const char *query, const char *body)
{
    api_state *s = (api_state *)f;
    clear_call(s);
    const srv_route *r = find_route(routes, method, pattern);
    memset(&f->who, 0, sizeof(f->who));
    f->who.role = role;
    snprintf(f->who.tenant, sizeof(f->who.tenant), "%s", tenant ? tenant : "");
    f->who.key_id = 1;
    srv_call *c = &f->call;
    c->worker = f->worker;
    c->ctx = f->ctx;
    c->who = &f->who;
    c->scope = srv_authz_scope(role, r->resource, r->action);
    c->method = method;
    c->path = pattern;
    c->route = pattern;
    for (size_t i = 0; params != NULL && params[i] != NULL && i < SRV_MAX_PARAMS; i++)
        c->params[c->n_params++] = params[i];
    snprintf(s->query, sizeof(s->query), "%s", query ? query : "");
    char *save = NULL;
    for (char *kv = query ? strtok_r(s->query, "&", &save) : NULL;
         kv != NULL && c->n_query < SRV_MAX_QUERY; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq != NULL)
            *eq = '\0';
        c->query[c->n_query].name = kv;
        c->query[c->n_query].value = eq ? eq + 1 : "";
        c->n_query++;
    }
    c->body_text = body ? body : "";
    c->body_len = strlen(c->body_text);
    if (body != NULL) {
        s->body = json_loads(body, JSON_DECODE_ANY, NULL);
        c->body = json_is_object(s->body) ? s->body : NULL;
    }
    if (c->scope == SRV_SCOPE_NONE)
        return ph_error_set(&f->err, PH_EDENIED, NULL, NULL, "no authz row: refused by the router");
    ph_status st = r->handler(c, &f->err);
    if (st != PH_OK) {
        assert_null(c->result);
        assert_null(c->raw_json);
        return st;
    }
    if (c->raw_json != NULL) {
        f->answer = json_loadb(c->raw_json, c->raw_len, 0, NULL);
        assert_non_null(f->answer); /* the raw answer is JSON */
    } else {
        assert_non_null(c->result);
        f->answer = json_incref(c->result);
    }
    dump_answer(f);
    return PH_OK;
}

/* ---- reading the answer and the store -------------------------------------------------------- */

int64_t api_count(api_fx *f, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    return ph_test_query_int(f->store, sql);
}

const char *api_str(const json_t *o, const char *name)
{
    const char *v = json_string_value(json_object_get(o, name));
    if (v == NULL)
        fail_msg("member '%s' is not a string", name);
    return v;
}

int64_t api_int(const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    if (!json_is_integer(v))
        fail_msg("member '%s' is not an integer", name);
    return (int64_t)json_integer_value(v);
}

void api_assert_balanced(api_fx *f)
{
    int64_t debit = ph_test_query_int(f->store, "SELECT COALESCE(SUM(debit), 0) FROM journal_line");
    int64_t credit =
        ph_test_query_int(f->store, "SELECT COALESCE(SUM(credit), 0) FROM journal_line");
    assert_int_equal(debit, credit);
}
