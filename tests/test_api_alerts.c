/* The early-warning handlers (src/server/api_alerts.c) on a copy of the test
 * platform, whose alerts `puhui watch` wrote (tests/http/platform.sh): a
 * lender's own alerts and pages, another lender's alert refused as a missing
 * one, the moves with the 409 override for an impossible one, the summary of
 * a lender's book and the market's smallest cell, a firm's monitoring, and
 * the roles the authorisation table leaves out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_api_test.h"

/* Alerts addressed to `lender`. */
static int64_t alerts_of(api_fx *p, const char *lender)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM warning_alert WHERE institution_id = '%s'",
             lender);
    return ph_test_query_int(p->store, sql);
}

/* Events of alert `id`. */
static int64_t events_of(api_fx *p, const char *id)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM warning_alert_event WHERE alert_id = %s", id);
    return ph_test_query_int(p->store, sql);
}

static void lists_own_alerts_in_pages(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *lender = api_name(p, "LENDER_A");
    int64_t mine = alerts_of(p, lender);
    assert_true(mine > 2);
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/alerts",
                          NULL, "limit=500", NULL),
                 &p->err);
    json_t *items = json_object_get(p->answer, "items");
    assert_int_equal((int64_t)json_array_size(items), mine);
    int64_t last = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *a = json_array_get(items, i);
        assert_string_equal(api_str(a, "lender"), lender);
        assert_true(api_int(a, "alert_id") > last); /* oldest first */
        last = api_int(a, "alert_id");
        assert_null(json_object_get(a, "evidence"));
        assert_true(json_is_string(json_object_get(a, "rule_title")));
    }
    assert_true(json_is_null(json_object_get(p->answer, "next")));
    /* a page of two, then the rest after its next */
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/alerts",
                          NULL, "limit=2", NULL),
                 &p->err);
    int64_t next = api_int(p->answer, "next");
    assert_int_equal(next, api_int(json_array_get(json_object_get(p->answer, "items"), 1),
                                   "alert_id"));
    char query[64];
    snprintf(query, sizeof(query), "limit=500&after=%lld", (long long)next);
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET", "/v1/alerts",
                          NULL, query, NULL),
                 &p->err);
    assert_int_equal((int64_t)json_array_size(json_object_get(p->answer, "items")), mine - 2);
    /* a bad level is the library's words, named as the query's parameter */
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET",
                              "/v1/alerts", NULL, "level=purple", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "level");
    assert_string_equal(p->err.value, "purple");
}

static void another_lenders_alert_is_missing(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *lender = api_name(p, "LENDER_A");
    const char *theirs = api_name(p, "ALERT_B");
    ph_status st = api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET",
                            "/v1/alerts/{id}", API_PARAMS(theirs), NULL, NULL);
    api_assert_refused(st, p);
    char foreign[sizeof(p->err.detail)];
    memcpy(foreign, p->err.detail, sizeof(foreign));
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET",
                              "/v1/alerts/{id}", API_PARAMS("987654321"), NULL, NULL),
                     PH_ENOTFOUND);
    assert_string_equal(p->call.refused, ""); /* a missing alert is not a refusal */
    assert_string_equal(p->err.detail, foreign);
    assert_string_equal(p->err.field, "alert");
    /* the own alert: evidence is an object, events an array */
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET",
                          "/v1/alerts/{id}", API_PARAMS(api_name(p, "ALERT_A")), NULL, NULL),
                 &p->err);
    assert_true(json_is_object(json_object_get(p->answer, "evidence")));
    assert_true(json_is_array(json_object_get(p->answer, "events")));
}

static void moves_and_the_conflict(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *lender = api_name(p, "LENDER_A");
    const char *id = api_name(p, "ALERT_A");
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "POST",
                          "/v1/alerts/{id}/ack", API_PARAMS(id), NULL, NULL),
                 &p->err);
    assert_string_equal(api_str(p->answer, "state"), "acknowledged");
    json_t *ev = json_array_get(json_object_get(p->answer, "events"), 0);
    assert_string_equal(api_str(ev, "by"), lender); /* a key without a label: the lender */
    assert_string_equal(api_str(ev, "event"), "ack");
    /* again: the library's refusal, answered as a 409 conflict */
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "POST",
                              "/v1/alerts/{id}/ack", API_PARAMS(id), NULL, "{}"),
                     PH_EINVAL);
    assert_int_equal(p->call.error_http, 409);
    assert_string_equal(p->call.error_slug, "conflict");
    assert_string_equal(p->err.field, "state");
    assert_string_equal(p->err.value, "acknowledged");
    /* a close without a reason is a plain 400 */
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "POST",
                              "/v1/alerts/{id}/close", API_PARAMS(id), NULL, "{}"),
                     PH_EINVAL);
    assert_int_equal(p->call.error_http, 0);
    assert_string_equal(p->err.field, "reason");
    /* the other lender moves nothing */
    int64_t events = events_of(p, id);
    api_assert_refused(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION,
                                api_name(p, "LENDER_B"), "POST", "/v1/alerts/{id}/close",
                                API_PARAMS(id), NULL, "{\"reason\": \"not mine\"}"),
                       p);
    assert_int_equal(events_of(p, id),
                     events);
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "POST",
                          "/v1/alerts/{id}/close", API_PARAMS(id), NULL,
                          "{\"reason\": \"visited: seasonal\"}"),
                 &p->err);
    assert_string_equal(api_str(p->answer, "state"), "closed");
    ev = json_array_get(json_object_get(p->answer, "events"), 1);
    assert_string_equal(api_str(ev, "reason"), "visited: seasonal");
}

static void summaries(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *lender = api_name(p, "LENDER_A");
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, lender, "GET",
                          "/v1/alerts/summary", NULL, NULL, NULL),
                 &p->err);
    assert_string_equal(api_str(p->answer, "view"), "own");
    json_t *total = json_object_get(p->answer, "total");
    assert_int_equal(api_int(total, "alerts"),
                     alerts_of(p, lender));
    /* the market's: a rule of fewer than 3 firms is left out, and the total with it */
    int64_t small = ph_test_query_int(
        p->store, "SELECT COUNT(*) FROM (SELECT rule FROM warning_alert GROUP BY rule "
                  "HAVING COUNT(DISTINCT uscc) < 3)");
    int64_t rules = ph_test_query_int(p->store,
                                      "SELECT COUNT(DISTINCT rule) FROM warning_alert");
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_REGULATOR, "", "GET",
                          "/v1/alerts/summary", NULL, NULL, NULL),
                 &p->err);
    assert_string_equal(api_str(p->answer, "view"), "aggregate");
    assert_int_equal(api_int(p->answer, "min_firms"), 3);
    assert_int_equal(api_int(p->answer, "suppressed_rules"), small);
    assert_int_equal((int64_t)json_array_size(json_object_get(p->answer, "by_rule")),
                     rules - small);
    if (small > 0)
        assert_true(json_is_null(json_object_get(p->answer, "total")));
    char *text = json_dumps(p->answer, JSON_COMPACT);
    assert_null(strstr(text, "uscc"));
    assert_null(strstr(text, lender));
    free(text);
    /* a query parameter the route does not take */
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_ADMIN, "", "GET",
                              "/v1/alerts/summary", NULL, "from=2025-01-01", NULL),
                     PH_EINVAL);
    assert_string_equal(p->err.field, "from");
}

static void a_firm_sees_its_monitoring_not_the_alerts(void **state)
{
    api_fx *p = api_fx_get(state);
    const char *firm = api_name(p, "FIRM_A");
    ph_assert_ok(api_call(p, srv_routes_alerts, SRV_ROLE_ENTERPRISE, firm, "GET", "/v1/monitoring",
                          NULL, NULL, NULL),
                 &p->err);
    assert_string_equal(api_str(p->answer, "uscc"), firm);
    json_t *items = json_object_get(p->answer, "items");
    assert_int_equal(json_array_size(items), 1); /* LENDER_A, its lender (platform.sh) */
    json_t *m = json_array_get(items, 0);
    assert_string_equal(api_str(m, "lender"), api_name(p, "LENDER_A"));
    assert_true(json_is_true(json_object_get(m, "watched")));
    assert_non_null(json_string_value(json_object_get(m, "colour")));
    /* the alerts and the counts are not a firm's to read; the monitoring not a lender's */
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_ENTERPRISE, firm, "GET", "/v1/alerts",
                              NULL, NULL, NULL),
                     PH_EDENIED);
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_ENTERPRISE, firm, "GET",
                              "/v1/alerts/summary", NULL, NULL, NULL),
                     PH_EDENIED);
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_INSTITUTION, api_name(p, "LENDER_A"),
                              "GET", "/v1/monitoring", NULL, NULL, NULL),
                     PH_EDENIED);
    /* nor are a firm's alerts the regulator's */
    assert_int_equal(api_call(p, srv_routes_alerts, SRV_ROLE_REGULATOR, "", "GET",
                              "/v1/alerts/{id}", API_PARAMS(api_name(p, "ALERT_A")), NULL, NULL),
                     PH_EDENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lists_own_alerts_in_pages, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(another_lenders_alert_is_missing, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(moves_and_the_conflict, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(summaries, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(a_firm_sees_its_monitoring_not_the_alerts, api_setup,
                                        api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
