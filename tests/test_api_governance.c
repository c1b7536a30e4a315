/* The policy, model and market handlers (src/server/api_governance.c) on a
 * copy of the test platform: a lender's own policies (listed, loaded from
 * the body, activated), another lender's document refused before anything
 * is stored, the model registry with its events, the market's statistics
 * and segments (aggregates only); and the library functions behind them
 * (ph_policy_store_load_text, ph_market_segments_build). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_api_test.h"

static int64_t policies(api_fx *p)
{
    return ph_test_query_int(p->store, "SELECT COUNT(*) FROM policy");
}

/* The platform's city-bank policy for `lender` at `version`. */
static char *policy_text(api_fx *p, const char *lender, int version)
{
    char *path = ph_test_fixture("market/city_bank.json");
    char *data = NULL;
    size_t len = 0;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_read_file(p->ctx, path, NULL, &data, &len, &err), &err);
    free(path);
    /* the file's bytes are not NUL-terminated */
    char *whole = malloc(len + 1);
    assert_non_null(whole);
    memcpy(whole, data, len);
    whole[len] = '\0';
    ph_free(p->ctx, data);
    data = whole;
    char *text = malloc(len + 256);
    assert_non_null(text);
    char *at = strstr(data, "@LENDER@");
    assert_non_null(at);
    size_t head = (size_t)(at - data);
    memcpy(text, data, head);
    int n = sprintf(text + head, "%s", lender);
    strcpy(text + head + (size_t)n, at + 8);
    char *v = strstr(text, "\"version\": 1,");
    assert_non_null(v);
    char tail[16];
    snprintf(tail, sizeof(tail), "%d,", version);
    memcpy(v + 11, tail, strlen(tail)); /* "1," -> "N," (one digit) */
    free(data);
    return text;
}

static void own_policies(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *lender = api_name(p, "LENDER_A");
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender, "GET",
                          "/v1/policies", NULL, NULL, NULL),
                 &p->err);
    json_t *items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *e = json_array_get(items, 0);
    assert_string_equal(api_str(e, "lender"), lender);
    assert_true(json_is_true(json_object_get(e, "active")));
    assert_int_equal(strlen(api_str(e, "checksum")), 64);
    /* the regulator sees every lender's */
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET", "/v1/policies",
                          NULL, NULL, NULL),
                 &p->err);
    assert_int_equal(json_array_size(json_object_get(p->answer, "items")), 2);
    /* a firm has no policy row */
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                              "GET", "/v1/policies", NULL, NULL, NULL),
                     PH_EDENIED);
}

static void load_and_activate(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *lender = api_name(p, "LENDER_A");
    char *v2 = policy_text(p, lender, 2);
    int64_t before = policies(p);
    /* loaded, not active */
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender, "POST",
                          "/v1/policies", NULL, NULL, v2),
                 &p->err);
    assert_int_equal(p->call.status, 201);
    assert_int_equal(api_int(p->answer, "version"), 2);
    assert_true(json_is_false(json_object_get(p->answer, "active")));
    assert_true(json_is_true(json_object_get(p->answer, "stored")));
    assert_int_equal(policies(p), before + 1);
    assert_int_equal(api_policies_changed(p), 0);
    /* the same bytes again: stored 0, nothing new */
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender, "POST",
                          "/v1/policies", NULL, "activate=false", v2),
                 &p->err);
    assert_true(json_is_false(json_object_get(p->answer, "stored")));
    assert_int_equal(policies(p), before + 1);
    /* activate it: the workers are told */
    const char *params[] = {"inclusive working-capital loan", "2", NULL};
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender, "POST",
                          "/v1/policies/{name}/versions/{version}/activate", params, NULL, "{}"),
                 &p->err);
    assert_true(json_is_true(json_object_get(p->answer, "active")));
    assert_int_equal(api_policies_changed(p), 1);
    assert_int_equal(ph_test_query_int(p->store, "SELECT version FROM policy WHERE active = 1 "
                                                 "AND name = 'inclusive working-capital loan' "
                                                 "AND lender = (SELECT lender FROM loan WHERE "
                                                 "id = 1)"),
                     2);
    /* LENDER_B cannot activate LENDER_A's version: it names its own lender,
     * which has no such version */
    assert_int_equal(
        api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_B"), "POST",
                 "/v1/policies/{name}/versions/{version}/activate", params, NULL, "{}"),
        PH_ENOTFOUND);
    const char *bad_version[] = {"inclusive working-capital loan", "two", NULL};
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender, "POST",
                              "/v1/policies/{name}/versions/{version}/activate", bad_version, NULL,
                              "{}"),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "version");
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender, "POST",
                              "/v1/policies/{name}/versions/{version}/activate", params, NULL,
                              "{\"now\":true}"),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "now");
    free(v2);
}

static void another_lenders_policy_stores_nothing(void **state)
{
    api_fx *p = api_fx_get(state);
    char *theirs = policy_text(p, api_name(p, "LENDER_B"), 3);
    int64_t before = policies(p);
    ph_assert_error(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION,
                             api_name(p, "LENDER_A"), "POST", "/v1/policies", NULL, "activate=true",
                             theirs),
                    PH_EDENIED, &p->err, NULL);
    assert_string_equal(p->err.field, "lender");
    assert_string_equal(p->err.value, api_name(p, "LENDER_B"));
    assert_string_not_equal(p->call.refused, "");
    assert_int_equal(policies(p), before);
    assert_int_equal(api_policies_changed(p), 0);
    /* bad documents and queries store nothing either */
    ph_status st = api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                            "POST", "/v1/policies", NULL, NULL, "{\"lender\": ");
    assert_int_equal(st, PH_EINVAL);
    assert_string_equal(p->err.source, "body");
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION,
                              api_name(p, "LENDER_A"), "POST", "/v1/policies", NULL, "activate=yes",
                              theirs),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "activate");
    assert_int_equal(policies(p), before);
    /* the regulator reads policies but loads none */
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "POST",
                              "/v1/policies", NULL, NULL, theirs),
                     PH_EDENIED);
    assert_int_equal(policies(p), before);
    free(theirs);
}

/* The library: the text loader is the file loader, and refuses first. */
static void policy_store_load_text(void **state)
{
    api_fx *p = api_fx_get(state);
    char *text = policy_text(p, "L-TEXT", 1);
    ph_error err;
    ph_error_clear(&err);
    ph_policy_entry *e = NULL;
    int64_t before = policies(p);
    ph_assert_error(ph_policy_store_load_text(p->store, text, strlen(text), "mine.json", "L-OTHER",
                                              1, &e, &err),
                    PH_EDENIED, &err, "L-OTHER");
    assert_null(e);
    assert_int_equal(policies(p), before);
    /* not NUL-terminated: the length is what counts */
    char *copy = malloc(strlen(text) + 5);
    memcpy(copy, text, strlen(text));
    memcpy(copy + strlen(text), "junk", 4);
    ph_assert_ok(ph_policy_store_load_text(p->store, copy, strlen(text), "dir/mine.json",
                                           "L-TEXT", 1, &e, &err),
                 &err);
    assert_string_equal(e->file, "mine.json");
    assert_int_equal(e->active, 1);
    assert_int_equal(e->stored, 1);
    ph_policy_entry_free(e);
    /* truncated: the loader's error names the source */
    ph_assert_error(ph_policy_store_load_text(p->store, text, 40, "cut.json", NULL, 0, NULL,
                                              &err),
                    PH_EINVAL, &err, NULL);
    assert_string_equal(err.source, "cut.json");
    assert_int_equal(ph_policy_store_load_text(p->store, NULL, 0, "x", NULL, 0, NULL, &err),
                     PH_EMISUSE);
    assert_int_equal(policies(p), before + 1);
    free(copy);
    free(text);
}

static void models(void **state)
{
    api_fx *p = api_fx_get(state);
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET", "/v1/models",
                          NULL, NULL, NULL),
                 &p->err);
    json_t *items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *m = json_array_get(items, 0);
    assert_string_equal(api_str(m, "name"), "province_pd");
    assert_string_equal(api_str(m, "state"), "approved");
    assert_true(json_is_array(json_object_get(m, "features")));
    const char *params[] = {"province_pd", "1", NULL};
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                          "GET", "/v1/models/{name}/versions/{version}", params, NULL, NULL),
                 &p->err);
    json_t *events = json_object_get(p->answer, "events");
    /* one transition: draft -> approved */
    assert_int_equal(json_array_size(events), 1);
    assert_string_equal(api_str(json_array_get(events, 0), "from"), "draft");
    assert_string_equal(api_str(json_array_get(events, 0), "to"), "approved");
    assert_string_equal(api_str(json_array_get(events, 0), "actor"), "model risk committee");
    const char *missing[] = {"province_pd", "9", NULL};
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_ADMIN, "", "GET",
                              "/v1/models/{name}/versions/{version}", missing, NULL, NULL),
                     PH_ENOTFOUND);
    /* a firm has no model row */
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                              "GET", "/v1/models", NULL, NULL, NULL),
                     PH_EDENIED);
}

static void market_stats(void **state)
{
    api_fx *p = api_fx_get(state);
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET",
                          "/v1/market/stats", NULL, "from=2025-12-01&to=2025-12-31", NULL),
                 &p->err);
    json_t *r = p->answer;
    assert_int_equal(api_int(r, "applications"), 120);
    json_t *lenders = json_object_get(r, "lenders");
    assert_true(json_array_size(lenders) >= 2);
    json_t *total = json_object_get(r, "total");
    assert_string_equal(api_str(total, "lender"), "");
    int64_t asked = api_int(total, "asked"), approved = api_int(total, "approved");
    assert_true(asked > 0);
    /* the approval rate is approved / asked as a decimal fraction */
    char want[32];
    double rate = (double)approved / (double)asked;
    snprintf(want, sizeof(want), "%.4f", rate);
    assert_memory_equal(api_str(total, "approval_rate"), want,
                        strlen(api_str(total, "approval_rate")) < 6
                            ? strlen(api_str(total, "approval_rate"))
                            : 6);
    /* an empty period */
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                          "GET", "/v1/market/stats", NULL, "from=2020-01-01&to=2020-01-31", NULL),
                 &p->err);
    assert_int_equal(api_int(p->answer, "applications"), 0);
    /* no firm: under the minimum cell, so no share is published */
    assert_true(json_is_null(json_object_get(p->answer, "offer_rate")));
    /* bad periods are named */
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/market/stats", NULL, "from=2025-12-31&to=2025-12-01", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "to");
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/market/stats", NULL, "from=yesterday", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "from");
    /* a firm has no market row */
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_ENTERPRISE, api_name(p, "FIRM_A"),
                              "GET", "/v1/market/stats", NULL, NULL, NULL),
                     PH_EDENIED);
}

static void market_segments(void **state)
{
    api_fx *p = api_fx_get(state);
    static const char *const bys[] = {"city", "industry", "size"};
    for (size_t b = 0; b < 3; b++) {
        char q[32];
        snprintf(q, sizeof(q), "by=%s", bys[b]);
        ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/market/segments", NULL, q, NULL),
                     &p->err);
        json_t *r = p->answer;
        assert_string_equal(api_str(r, "by"), bys[b]);
        json_t *items = json_object_get(r, "items");
        int64_t apps = 0, firms = 0;
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *g = json_array_get(items, i);
            apps += api_int(g, "applications");
            firms += api_int(g, "firms");
            assert_true(api_int(g, "approved") <= api_int(g, "applications"));
            assert_true(api_int(g, "first_time") <= api_int(g, "approved"));
            /* no segment shows fewer than the minimum of firms, "other" included */
            assert_true(api_int(g, "firms") >= PH_MARKET_MIN_FIRMS);
        }
        assert_int_equal(apps + api_int(r, "suppressed_firms"), 120);
        assert_int_equal(firms + api_int(r, "suppressed_firms"), 120);
        char *text = json_dumps(r, JSON_COMPACT);
        assert_null(strstr(text, api_name(p, "FIRM_A")));
        assert_null(strstr(text, "uscc"));
        free(text);
    }
    /* the size classes: micro and small */
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                          "GET", "/v1/market/segments", NULL, "by=size", NULL),
                 &p->err);
    json_t *items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(api_str(json_array_get(items, 0), "key"), "micro");
    assert_int_equal(api_int(json_array_get(items, 0), "applications"), 95);
    /* another grouping is named */
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/market/segments", NULL, "by=firm", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "by");
    assert_string_equal(p->err.value, "firm");
}

/* The library: small segments fold into "other"; sums are kept. */
static void segments_fold_small(void **state)
{
    api_fx *p = api_fx_get(state);
    ph_error err;
    ph_error_clear(&err);
    /* two firms become "large": a segment of 2 firms, below the minimum */
    ph_test_exec(p->store, "UPDATE enterprise SET size_class = 'large' WHERE uscc IN (SELECT "
                           "uscc FROM application ORDER BY id LIMIT 2)");
    ph_market_segments *s = NULL;
    ph_assert_ok(ph_market_segments_build(p->store, "size", 0, 0, &s, &err), &err);
    /* "other" would hold those 2 firms: under the minimum itself, left out */
    assert_int_equal(s->n, 2);
    assert_int_equal(s->suppressed_firms, 2);
    assert_string_equal(s->items[0].key, "micro");
    assert_string_equal(s->items[1].key, "small");
    ph_market_segments_free(s);
    /* with a third, "other" reaches the minimum and is shown */
    ph_test_exec(p->store, "UPDATE enterprise SET size_class = 'medium' WHERE uscc = (SELECT "
                           "uscc FROM application ORDER BY id LIMIT 1 OFFSET 2)");
    ph_assert_ok(ph_market_segments_build(p->store, "size", 0, 0, &s, &err), &err);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->suppressed_firms, 0);
    assert_string_equal(s->items[2].key, "other");
    assert_string_equal(s->items[2].label, "其他");
    assert_int_equal(s->items[2].firms, 3);
    assert_int_equal(s->items[0].applications + s->items[1].applications +
                         s->items[2].applications,
                     120);
    for (size_t i = 0; i < s->n; i++) {
        const ph_market_segment *g = &s->items[i];
        if (g->applications)
            assert_int_equal(g->approval_rate,
                             (g->approved * 200000000 + g->applications) / (2 * g->applications));
        if (g->offered == 0)
            assert_int_equal(g->avg_rate, 0);
        else
            assert_true(g->avg_rate > 0);
    }
    ph_market_segments_free(s);
    assert_int_equal(ph_market_segments_build(p->store, "county", 0, 0, &s, &err), PH_EINVAL);
    assert_int_equal(ph_market_segments_build(p->store, "size", 20, 10, &s, &err), PH_EINVAL);
    assert_string_equal(err.field, "to");
    assert_int_equal(ph_market_segments_build(NULL, "size", 0, 0, &s, &err), PH_EMISUSE);
}

/* Issue 18 review, item 4: one application alone on a day. Another lender,
 * the regulator and the operator must not see its lender's figures for that
 * one firm (nor the total, which would give them back); the lender sees its
 * own row. Segments hold "other" to the same minimum. */
static void market_small_cells(void **state)
{
    api_fx *p = api_fx_get(state);
    char sql[256];
    /* this test's copy only: move one application to a day of its own */
    ph_test_exec(p->store, "DROP TRIGGER application_frozen");
    snprintf(sql, sizeof(sql),
             "UPDATE application SET asof = '2019-06-03' WHERE id = (SELECT application_id "
             "FROM decision WHERE id = %lld)",
             (long long)api_id(p, "DECISION_A"));
    ph_test_exec(p->store, sql);
    const char *day = "from=2019-06-03&to=2019-06-03";
    const char *lender_a = api_name(p, "LENDER_A"), *lender_b = api_name(p, "LENDER_B");
    struct {
        srv_role role;
        const char *tenant;
    } others[] = {{SRV_ROLE_INSTITUTION, lender_b}, {SRV_ROLE_REGULATOR, ""}, {SRV_ROLE_ADMIN, ""}};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        ph_assert_ok(api_call(p, srv_routes_governance, others[i].role, others[i].tenant, "GET",
                              "/v1/market/stats", NULL, day, NULL),
                     &p->err);
        json_t *r = p->answer;
        assert_int_equal(api_int(r, "applications"), 1);
        /* the leak first: LENDER_A's row for that one firm */
        json_t *lenders = json_object_get(r, "lenders");
        for (size_t k = 0; k < json_array_size(lenders); k++)
            assert_string_not_equal(api_str(json_array_get(lenders, k), "lender"), lender_a);
        assert_int_equal(api_int(r, "min_firms"), PH_MARKET_MIN_FIRMS);
        assert_true(api_int(r, "suppressed_lenders") >= 1);
        assert_true(json_is_null(json_object_get(r, "total")));
        assert_true(json_is_null(json_object_get(r, "with_offer")));
        /* the regulator and the operator see no lender row of one firm at all */
        if (others[i].role != SRV_ROLE_INSTITUTION)
            assert_int_equal(json_array_size(lenders), 0);
    }
    /* the lender itself sees its own row in full */
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender_a, "GET",
                          "/v1/market/stats", NULL, day, NULL),
                 &p->err);
    json_t *lenders = json_object_get(p->answer, "lenders");
    int seen = 0;
    for (size_t k = 0; k < json_array_size(lenders); k++) {
        json_t *row = json_array_get(lenders, k);
        if (strcmp(api_str(row, "lender"), lender_a) == 0) {
            seen = 1;
            assert_int_equal(api_int(row, "firms"), 1);
            assert_int_equal(api_int(row, "approved"), 1);
        }
    }
    assert_true(seen);
    /* segments: the lone firm's segment folds into "other", which is still
     * under the minimum, so it is left out and counted */
    ph_assert_ok(api_call(p, srv_routes_governance, SRV_ROLE_INSTITUTION, lender_b, "GET",
                          "/v1/market/segments", NULL, "by=city&from=2019-06-03&to=2019-06-03",
                          NULL),
                 &p->err);
    assert_int_equal(json_array_size(json_object_get(p->answer, "items")), 0);
    assert_int_equal(api_int(p->answer, "suppressed_firms"), 1);
}

/* Issue 18 review item 11: every handler refuses a query parameter it does
 * not know, naming it and listing the ones it takes. */
static void unknown_query_parameters(void **state)
{
    api_fx *p = api_fx_get(state);
    const srv_route *const tables[] = {srv_routes_applications, srv_routes_consents,
                                       srv_routes_governance, srv_routes_loans,
                                       srv_routes_session};
    static const char *const path_params[] = {"1", "1", NULL};
    size_t checked = 0;
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
        for (const srv_route *r = tables[t]; r->method != NULL; r++) {
            /* a role the authorisation table lets through, so the handler runs */
            srv_role role = SRV_ROLE_ENTERPRISE;
            while (role < SRV_ROLE_COUNT &&
                   srv_authz_scope(role, r->resource, r->action) == SRV_SCOPE_NONE)
                role++;
            if (role == SRV_ROLE_COUNT)
                continue;
            const char *tenant = role == SRV_ROLE_ENTERPRISE    ? api_name(p, "FIRM_A")
                                 : role == SRV_ROLE_INSTITUTION ? api_name(p, "LENDER_A")
                                                                : "";
            ph_status st = api_call(p, tables[t], role, tenant, r->method, r->pattern, path_params,
                                    "zzz=1", strcmp(r->method, "POST") == 0 ? "{}" : NULL);
            if (st != PH_EINVAL || strcmp(p->err.field, "zzz") != 0 ||
                strcmp(p->err.value, "1") != 0 || strstr(p->err.detail, "unknown query") == NULL)
                fail_msg("%s %s: status %d field '%s': %s", r->method, r->pattern, (int)st,
                         p->err.field, p->err.message);
            checked++;
        }
    }
    assert_true(checked >= 25);
    /* the known ones are listed */
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/market/segments", NULL, "by=size&form=2025-12-01", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "form");
    assert_non_null(strstr(p->err.detail, "expected one of: by, from, to"));
    assert_int_equal(api_call(p, srv_routes_governance, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/models", NULL, "limit=5", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "limit");
    assert_non_null(strstr(p->err.detail, "takes none"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(own_policies, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(load_and_activate, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(another_lenders_policy_stores_nothing, api_setup,
                                        api_teardown),
        cmocka_unit_test_setup_teardown(policy_store_load_text, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(models, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(market_stats, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(market_segments, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(segments_fold_small, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(market_small_cells, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(unknown_query_parameters, api_setup, api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
