/*
 * The application, decision and appeal handlers (src/server/api_applications.c)
 * called directly on a copy of the test platform: each answer's shape,
 * tenancy (own rows answer, another tenant's answer as missing and are
 * marked refused), and bad bodies that store nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_api_test.h"

#define R srv_routes_applications

static char *id_text(int64_t id)
{
    static char buf[4][24];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, 24, "%lld", (long long)id);
    return b;
}

/* ---- POST /v1/applications --------------------------------------------------------------- */

static const char GOOD_APPLICATION[] = "{\"amount\": \"100000.00\", \"term\": 12, \"purpose\": "
                                       "\"working_capital\", \"asof\": \"2025-12-31\"}";

static void test_apply(void **state)
{
    api_fx *f = api_fx_get(state);
    int64_t apps = api_count(f, "application"), decisions = api_count(f, "decision");
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "POST",
                          "/v1/applications", NULL, NULL, GOOD_APPLICATION),
                 &f->err);
    assert_int_equal(f->call.status, 201);
    assert_int_equal(api_count(f, "application"), apps + 1);
    int64_t id = api_int(f->answer, "application_id");
    assert_true(id > 0);
    assert_string_equal(api_str(f->answer, "asof"), "2025-12-31");
    json_t *quotes = json_object_get(f->answer, "quotes");
    assert_int_equal(json_array_size(quotes), 2); /* both lenders answered */
    assert_int_equal(f->call.n_outcomes, 2);
    assert_int_equal(api_count(f, "decision") > decisions, 1);
    /* "LENDER:status" for the metrics, for each quote */
    for (size_t i = 0; i < f->call.n_outcomes; i++) {
        json_t *q = json_array_get(quotes, i);
        char want[128];
        snprintf(want, sizeof(want), "%s:%s", api_str(q, "lender"), api_str(q, "status"));
        assert_string_equal(f->call.lender_outcome[i], want);
    }
    /* the uscc, when given, must be the key's own firm */
    char body[256];
    snprintf(body, sizeof(body), "{\"uscc\": \"%s\", \"amount\": \"100000.00\", \"term\": 12, "
                                 "\"purpose\": \"trade\"}", api_name(f, "FIRM_A"));
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "POST",
                          "/v1/applications", NULL, NULL, body),
                 &f->err);
    assert_int_equal(api_count(f, "application"), apps + 2);
}

static void test_apply_for_another_firm(void **state)
{
    api_fx *f = api_fx_get(state);
    int64_t apps = api_count(f, "application");
    char body[256];
    snprintf(body, sizeof(body), "{\"uscc\": \"%s\", \"amount\": \"100000.00\", \"term\": 12, "
                                 "\"purpose\": \"trade\"}", api_name(f, "FIRM_B"));
    ph_status st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "POST",
                            "/v1/applications", NULL, NULL, body);
    assert_int_equal(st, PH_EDENIED);
    assert_string_equal(f->err.field, "uscc");
    assert_true(f->call.refused[0] != '\0');
    assert_int_equal(api_count(f, "application"), apps);
}

static void test_apply_bad_bodies_store_nothing(void **state)
{
    api_fx *f = api_fx_get(state);
    static const struct {
        const char *body, *field, *needle;
    } cases[] = {
        {"{\"amount\": \"100000.00\", \"term\": 12, \"purpose\": \"trade\", \"colour\": 1}",
         "colour", "unknown member 'colour'"},
        {"{\"amount\": \"100000.00\", \"term\": \"12\", \"purpose\": \"trade\"}", "term",
         "expected an integer"},
        {"{\"amount\": 100000, \"term\": 12, \"purpose\": \"trade\"}", "amount",
         "as a string"},
        {"{\"amount\": \"100000.001\", \"term\": 12, \"purpose\": \"trade\"}", "amount", ""},
        {"{\"amount\": \"-5.00\", \"term\": 12, \"purpose\": \"trade\"}", "amount", ""},
        {"{\"term\": 12, \"purpose\": \"trade\"}", "amount", "is required"},
        {"{\"amount\": \"100000.00\", \"term\": 12}", "purpose", "is required"},
        {"{\"amount\": \"100000.00\", \"term\": 12, \"purpose\": \"yachts\"}", "purpose", ""},
        {"{\"amount\": \"100000.00\", \"term\": 999, \"purpose\": \"trade\"}", "term", ""},
        {"{\"amount\": \"100000.00\", \"term\": 12, \"purpose\": \"trade\", \"asof\": "
         "\"2025-02-30\"}", "asof", ""},
        {"{\"amount\": \"100000.00\", \"term\": 12, \"purpose\": \"trade\", \"guarantor\": 1}",
         "guarantor", "true or false"},
        {"[1, 2]", "body", "JSON object"},
    };
    int64_t apps = api_count(f, "application"), decisions = api_count(f, "decision");
    int64_t log = api_count(f, "access_log");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_status st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "POST",
                                "/v1/applications", NULL, NULL, cases[i].body);
        if (st != PH_EINVAL || strcmp(f->err.field, cases[i].field) != 0 ||
            strstr(f->err.message, cases[i].needle) == NULL)
            fail_msg("case %zu (%s): status %d field '%s': %s", i, cases[i].body, (int)st,
                     f->err.field, f->err.message);
    }
    assert_int_equal(api_count(f, "application"), apps);
    assert_int_equal(api_count(f, "decision"), decisions);
    assert_int_equal(api_count(f, "access_log"), log);
}

/* ---- GET /v1/applications/{id} ------------------------------------------------------------ */

/* The application of decision `id`, and its firm, read through the library. */
typedef struct owner {
    int64_t application;
    char uscc[32];
} owner;

static ph_status keep_owner(void *user, const ph_market_decision *d, ph_error *err)
{
    (void)err;
    owner *o = user;
    o->application = d->application_id;
    snprintf(o->uscc, sizeof(o->uscc), "%s", d->uscc);
    return PH_OK;
}

static owner owner_of(api_fx *f, int64_t decision)
{
    owner o = {0};
    ph_assert_ok(ph_market_decision_get(f->store, decision, keep_owner, &o, &f->err), &f->err);
    return o;
}

static void test_application_get(void **state)
{
    api_fx *f = api_fx_get(state);
    owner o = owner_of(f, api_id(f, "DECISION_A"));
    const char *id = id_text(o.application);
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET",
                          "/v1/applications/{id}", API_PARAMS(id), NULL, NULL),
                 &f->err);
    assert_int_equal(api_int(f->answer, "application_id"), o.application);
    assert_string_equal(api_str(f->answer, "uscc"), api_name(f, "FIRM_A"));
    assert_non_null(strchr(api_str(f->answer, "amount"), '.'));
    json_t *ds = json_object_get(f->answer, "decisions");
    assert_true(json_array_size(ds) >= 1);
    for (size_t i = 0; i < json_array_size(ds); i++)
        assert_true(json_is_true(json_object_get(json_array_get(ds, i), "served")));

    /* LENDER_A sees the application with its own decisions only */
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                          "/v1/applications/{id}", API_PARAMS(id), NULL, NULL),
                 &f->err);
    ds = json_object_get(f->answer, "decisions");
    assert_true(json_array_size(ds) >= 1);
    for (size_t i = 0; i < json_array_size(ds); i++)
        assert_string_equal(api_str(json_array_get(ds, i), "lender"), api_name(f, "LENDER_A"));

    /* another firm: as if missing, and refused */
    ph_status st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_B"), "GET",
                            "/v1/applications/{id}", API_PARAMS(id), NULL, NULL);
    api_assert_refused(st, f);
    char message[sizeof(f->err.message)];
    snprintf(message, sizeof(message), "%s", f->err.message);
    /* a missing one: the same message shape, not refused */
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_B"), "GET", "/v1/applications/{id}",
                  API_PARAMS("99999999"), NULL, NULL);
    assert_int_equal(st, PH_ENOTFOUND);
    assert_string_equal(f->call.refused, "");
    assert_non_null(strstr(message, "no application "));
    assert_non_null(strstr(f->err.message, "no application 99999999"));
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_B"), "GET", "/v1/applications/{id}",
                  API_PARAMS("x1"), NULL, NULL);
    api_assert_bad(st, f, "application");
}

/* ---- decisions ------------------------------------------------------------------------------- */

static void test_decisions_list(void **state)
{
    api_fx *f = api_fx_get(state);
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                          "/v1/decisions", NULL, "limit=3", NULL),
                 &f->err);
    json_t *items = json_object_get(f->answer, "items");
    assert_int_equal(json_array_size(items), 3);
    int64_t last = 0;
    for (size_t i = 0; i < 3; i++) {
        json_t *d = json_array_get(items, i);
        assert_string_equal(api_str(d, "lender"), api_name(f, "LENDER_A"));
        if (last)
            assert_true(api_int(d, "decision_id") < last);
        last = api_int(d, "decision_id");
    }
    assert_int_equal(api_int(f->answer, "next"), last);
    char q[64];
    snprintf(q, sizeof(q), "limit=3&after=%lld", (long long)last);
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                          "/v1/decisions", NULL, q, NULL),
                 &f->err);
    assert_true(api_int(json_array_get(json_object_get(f->answer, "items"), 0), "decision_id") <
                last);

    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                          "/v1/decisions", NULL, "approved=false&from=2025-12-31&to=2025-12-31",
                          NULL),
                 &f->err);
    items = json_object_get(f->answer, "items");
    assert_true(json_array_size(items) > 0);
    for (size_t i = 0; i < json_array_size(items); i++) {
        assert_true(json_is_false(json_object_get(json_array_get(items, i), "approved")));
        assert_true(json_is_null(json_object_get(json_array_get(items, i), "amount")));
    }

    /* a firm: its own, served */
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET", "/v1/decisions",
                          NULL, NULL, NULL),
                 &f->err);
    items = json_object_get(f->answer, "items");
    assert_true(json_array_size(items) > 0);
    assert_true(json_is_null(json_object_get(f->answer, "next")));
    for (size_t i = 0; i < json_array_size(items); i++) {
        assert_string_equal(api_str(json_array_get(items, i), "uscc"), api_name(f, "FIRM_A"));
        assert_true(json_is_true(json_object_get(json_array_get(items, i), "served")));
    }
    ph_status st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET",
                            "/v1/decisions", NULL, "approved=maybe", NULL);
    api_assert_bad(st, f, "approved");
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET", "/v1/decisions", NULL,
                  "limit=501", NULL);
    api_assert_bad(st, f, "limit");
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET", "/v1/decisions", NULL,
                  "from=yesterday", NULL);
    api_assert_bad(st, f, "from");
}

static void test_decision_get(void **state)
{
    api_fx *f = api_fx_get(state);
    const char *a = id_text(api_id(f, "DECISION_A"));
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET",
                          "/v1/decisions/{id}", API_PARAMS(a), NULL, NULL),
                 &f->err);
    json_t *d = f->answer;
    assert_int_equal(api_int(d, "decision_id"), api_id(f, "DECISION_A"));
    assert_string_equal(api_str(d, "lender"), api_name(f, "LENDER_A"));
    assert_true(json_is_true(json_object_get(d, "approved")));
    assert_non_null(strchr(api_str(d, "amount"), '.'));
    assert_non_null(strstr(api_str(d, "rate"), "0."));
    assert_true(json_is_array(json_object_get(d, "reasons")));
    assert_true(json_is_null(json_object_get(d, "appeal")));
    assert_int_equal(json_object_size(d), 21);

    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                          "/v1/decisions/{id}", API_PARAMS(a), NULL, NULL),
                 &f->err);
    ph_status st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "GET",
                            "/v1/decisions/{id}", API_PARAMS(a), NULL, NULL);
    api_assert_refused(st, f);
    assert_non_null(strstr(f->err.message, "no decision"));
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_B"), "GET", "/v1/decisions/{id}",
                  API_PARAMS(a), NULL, NULL);
    api_assert_refused(st, f);
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET", "/v1/decisions/{id}",
                  API_PARAMS(id_text(api_id(f, "DECISION_B"))), NULL, NULL);
    api_assert_refused(st, f);

    /* a declined decision carries its reasons */
    owner o = owner_of(f, api_id(f, "DECLINE_A"));
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, o.uscc, "GET", "/v1/decisions/{id}",
                          API_PARAMS(id_text(api_id(f, "DECLINE_A"))), NULL, NULL),
                 &f->err);
    assert_true(json_is_false(json_object_get(f->answer, "approved")));
    json_t *reasons = json_object_get(f->answer, "reasons");
    assert_true(json_array_size(reasons) >= 1);
    assert_true(strlen(api_str(json_array_get(reasons, 0), "text")) > 0);
}

static void test_trace_and_replay(void **state)
{
    api_fx *f = api_fx_get(state);
    const char *a = id_text(api_id(f, "DECISION_A"));
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                          "/v1/decisions/{id}/trace", API_PARAMS(a), NULL, NULL),
                 &f->err);
    assert_non_null(f->call.raw_json);
    ph_status st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "GET",
                            "/v1/decisions/{id}/trace", API_PARAMS(a), NULL, NULL);
    api_assert_refused(st, f);

    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "POST",
                          "/v1/decisions/{id}/replay", API_PARAMS(a), NULL, "{}"),
                 &f->err);
    assert_int_equal(api_int(f->answer, "decision_id"), api_id(f, "DECISION_A"));
    assert_true(json_is_true(json_object_get(f->answer, "identical")));
    assert_true(api_int(f->answer, "trace_bytes") > 0);
    assert_string_equal(api_str(f->answer, "difference"), "");
    /* the admin replays any decision; no body is fine */
    ph_assert_ok(api_call(f, R, SRV_ROLE_ADMIN, "", "POST", "/v1/decisions/{id}/replay",
                          API_PARAMS(id_text(api_id(f, "DECISION_B"))), NULL, NULL),
                 &f->err);
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "POST",
                  "/v1/decisions/{id}/replay", API_PARAMS(a), NULL, "{}");
    api_assert_refused(st, f);
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "POST",
                  "/v1/decisions/{id}/replay", API_PARAMS(a), NULL, "{\"fast\": true}");
    api_assert_bad(st, f, "fast");
}

/* ---- appeals --------------------------------------------------------------------------------- */

static int64_t listed_appeal(api_fx *f, int64_t id)
{
    json_t *items = json_object_get(f->answer, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (api_int(json_array_get(items, i), "appeal_id") == id)
            return 1;
    return 0;
}

static void test_appeals(void **state)
{
    api_fx *f = api_fx_get(state);
    owner o = owner_of(f, api_id(f, "DECLINE_A"));
    const char *d = id_text(api_id(f, "DECLINE_A"));
    int64_t appeals = api_count(f, "appeal");

    /* bad bodies and another firm store nothing */
    ph_status st = api_call(f, R, SRV_ROLE_ENTERPRISE, o.uscc, "POST", "/v1/decisions/{id}/appeals",
                            API_PARAMS(d), NULL, "{\"ground\": \"x\"}");
    api_assert_bad(st, f, "ground");
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, o.uscc, "POST", "/v1/decisions/{id}/appeals",
                  API_PARAMS(d), NULL, "{\"grounds\": 7}");
    api_assert_bad(st, f, "grounds");
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, o.uscc, "POST", "/v1/decisions/{id}/appeals",
                  API_PARAMS(d), NULL, "{}");
    api_assert_bad(st, f, "grounds");
    const char *other =
        strcmp(o.uscc, api_name(f, "FIRM_B")) == 0 ? api_name(f, "FIRM_A") : api_name(f, "FIRM_B");
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, other, "POST", "/v1/decisions/{id}/appeals",
                  API_PARAMS(d), NULL, "{\"grounds\": \"not mine\"}");
    api_assert_refused(st, f);
    assert_int_equal(api_count(f, "appeal"), appeals);

    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, o.uscc, "POST", "/v1/decisions/{id}/appeals",
                          API_PARAMS(d), NULL, "{\"grounds\": \"our December sales doubled\"}"),
                 &f->err);
    assert_int_equal(f->call.status, 201);
    int64_t id = api_int(f->answer, "appeal_id");
    assert_string_equal(api_str(f->answer, "status"), "open");
    assert_true(json_is_null(json_object_get(f->answer, "reviewer")));
    assert_int_equal(api_count(f, "appeal"), appeals + 1);
    /* the decision shows it */
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, o.uscc, "GET", "/v1/decisions/{id}",
                          API_PARAMS(d), NULL, NULL),
                 &f->err);
    assert_int_equal(api_int(json_object_get(f->answer, "appeal"), "appeal_id"), id);

    /* who sees it */
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET", "/v1/appeals",
                          NULL, "status=open", NULL),
                 &f->err);
    assert_true(listed_appeal(f, id));
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "GET", "/v1/appeals",
                          NULL, NULL, NULL),
                 &f->err);
    assert_false(listed_appeal(f, id));
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, other, "GET", "/v1/appeals", NULL, NULL, NULL),
                 &f->err);
    assert_false(listed_appeal(f, id));
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, o.uscc, "GET", "/v1/appeals", NULL, "status=lost",
                  NULL);
    api_assert_bad(st, f, "status");

    /* deciding: the other lender is refused; bad bodies change nothing */
    const char *a = id_text(id);
    static const char OVERTURN[] = "{\"outcome\": \"overturn\", \"reviewer\": \"Li Wei\", "
                                   "\"reason\": \"statements confirm it\", \"limit\": "
                                   "\"50000.00\", \"rate\": \"0.05\"}";
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "POST",
                  "/v1/appeals/{id}/decision", API_PARAMS(a), NULL, OVERTURN);
    api_assert_refused(st, f);
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "POST",
                  "/v1/appeals/{id}/decision", API_PARAMS(a), NULL,
                  "{\"outcome\": \"maybe\", \"reviewer\": \"x\", \"reason\": \"y\"}");
    api_assert_bad(st, f, "outcome");
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "POST",
                  "/v1/appeals/{id}/decision", API_PARAMS(a), NULL,
                  "{\"outcome\": \"overturn\", \"reviewer\": \"x\", \"reason\": \"y\", \"limit\": "
                  "\"50000.00\", \"rate\": \"five\"}");
    api_assert_bad(st, f, "rate");
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "POST",
                  "/v1/appeals/{id}/decision", API_PARAMS(a), NULL,
                  "{\"outcome\": \"uphold\", \"reviewer\": \"x\"}");
    api_assert_bad(st, f, "reason");
    /* the library's refusal of a negative limit echoes the value sent (review item 9) */
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "POST",
                  "/v1/appeals/{id}/decision", API_PARAMS(a), NULL,
                  "{\"outcome\": \"overturn\", \"reviewer\": \"x\", \"reason\": \"y\", \"limit\": "
                  "\"-100.00\"}");
    api_assert_bad(st, f, "limit");
    assert_string_equal(f->err.value, "-100.00");
    char sql[128]; /* the refused and bad decisions left it open */
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal WHERE status = 'open' AND id = %s", a);
    assert_int_equal(ph_test_query_int(f->store, sql), 1);
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "POST",
                          "/v1/appeals/{id}/decision", API_PARAMS(a), NULL, OVERTURN),
                 &f->err);
    assert_string_equal(api_str(f->answer, "status"), "overturned");
    assert_string_equal(api_str(f->answer, "limit"), "50000.00");
    assert_string_equal(api_str(f->answer, "rate"), "0.05");
    assert_string_equal(api_str(f->answer, "reviewer"), "Li Wei");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_apply, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_apply_for_another_firm, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_apply_bad_bodies_store_nothing, api_setup,
                                        api_teardown),
        cmocka_unit_test_setup_teardown(test_application_get, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_decisions_list, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_decision_get, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_trace_and_replay, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_appeals, api_setup, api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
