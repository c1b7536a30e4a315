/*
 * The consent, access-log and profile handlers (src/server/api_consents.c)
 * called directly on a copy of the test platform: each answer's shape,
 * tenancy (a firm's own consents and log only; an institution's profile
 * read through the consent gate), and bad bodies that store nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_api_test.h"

#include "puhui/date.h"

#define R srv_routes_consents

/* "until" a number of days from today, by the context's clock. */
static void until_in(api_fx *f, int days, char out[PH_DATE_FORMAT_MAX])
{
    ph_date today = 0;
    ph_assert_ok(ph_ctx_today(f->ctx, &today, &f->err), &f->err);
    ph_assert_ok(ph_date_format(today + days, out, PH_DATE_FORMAT_MAX, &f->err), &f->err);
}

static int64_t grant_c(api_fx *f)
{
    char until[PH_DATE_FORMAT_MAX], body[256];
    until_in(f, 100, until);
    snprintf(body, sizeof(body), "{\"institution\": \"%s\", \"purpose\": \"credit\", "
                                 "\"sources\": [\"registration\"], \"until\": \"%s\"}",
             api_name(f, "LENDER_A"), until);
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST", "/v1/consents",
                          NULL, NULL, body),
                 &f->err);
    assert_int_equal(f->call.status, 201);
    return api_int(f->answer, "consent_id");
}

static void test_grant(void **state)
{
    api_fx *f = api_fx_get(state);
    int64_t consents = api_count(f, "consent");
    int64_t id = grant_c(f);
    assert_int_equal(api_count(f, "consent"), consents + 1);
    json_t *c = f->answer;
    assert_string_equal(api_str(c, "uscc"), api_name(f, "FIRM_C"));
    assert_string_equal(api_str(c, "institution"), api_name(f, "LENDER_A"));
    assert_string_equal(api_str(c, "purpose"), "credit");
    assert_int_equal(json_array_size(json_object_get(c, "sources")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "sources"), 0)),
                        "registration");
    assert_true(json_is_null(json_object_get(c, "revoked_at")));
    assert_true(id > 0);

    /* without sources: every feed that serves the purpose */
    char until[PH_DATE_FORMAT_MAX], body[256];
    until_in(f, 30, until);
    snprintf(body, sizeof(body), "{\"institution\": \"%s\", \"purpose\": \"credit\", "
                                 "\"until\": \"%s\"}", api_name(f, "LENDER_B"), until);
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST", "/v1/consents",
                          NULL, NULL, body),
                 &f->err);
    assert_true(json_array_size(json_object_get(f->answer, "sources")) > 1);
}

/* `text` with @I@ replaced by `institution` and @U@ by `until`. */
static void fill(char *out, size_t size, const char *text, const char *institution,
                 const char *until)
{
    size_t n = 0;
    for (const char *p = text; *p != '\0' && n + 1 < size;) {
        const char *with = strncmp(p, "@I@", 3) == 0 ? institution
                           : strncmp(p, "@U@", 3) == 0 ? until
                                                       : NULL;
        if (with != NULL) {
            n += (size_t)snprintf(out + n, size - n, "%s", with);
            p += 3;
        } else {
            out[n++] = *p++;
        }
    }
    out[n < size ? n : size - 1] = '\0';
}

static void test_grant_bad_bodies_store_nothing(void **state)
{
    api_fx *f = api_fx_get(state);
    char until[PH_DATE_FORMAT_MAX];
    until_in(f, 100, until);
    /* @I@: the institution, @U@: a valid until */
    static const struct {
        const char *body, *field;
    } cases[] = {
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\", \"until\": \"@U@\", \"uscc\": "
         "\"x\"}", "uscc"},
        {"{\"institution\": \"@I@\", \"purpose\": 1, \"until\": \"@U@\"}", "purpose"},
        {"{\"institution\": \"@I@\", \"purpose\": \"loans\", \"until\": \"@U@\"}", "purpose"},
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\", \"until\": \"@U@\", \"sources\": "
         "\"registration\"}", "sources"},
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\", \"until\": \"@U@\", \"sources\": "
         "[\"horoscopes\"]}", "sources"},
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\", \"until\": \"@U@\", \"sources\": "
         "[]}", "sources"},
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\", \"until\": \"2026-13-01\"}",
         "until"},
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\"}", "until"},
        /* the library's "expires_on" is the request's "until" (issue 18 review item 9) */
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\", \"until\": \"9999-12-31\"}",
         "until"},
        {"{\"institution\": \"@I@\", \"purpose\": \"credit\", \"until\": \"2020-01-01\"}",
         "until"},
    };
    int64_t consents = api_count(f, "consent");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[512];
        fill(body, sizeof(body), cases[i].body, api_name(f, "LENDER_A"), until);
        ph_status st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST",
                                "/v1/consents", NULL, NULL, body);
        if (st != PH_EINVAL || strcmp(f->err.field, cases[i].field) != 0)
            fail_msg("case %zu (%s): status %d field '%s': %s", i, body, (int)st, f->err.field,
                     f->err.message);
    }
    /* the value is echoed as sent */
    char body[256];
    snprintf(body, sizeof(body), "{\"institution\": \"%s\", \"purpose\": \"credit\", "
                                 "\"until\": \"2020-01-01\"}", api_name(f, "LENDER_A"));
    api_assert_bad(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST",
                            "/v1/consents", NULL, NULL, body),
                   f, "until");
    assert_string_equal(f->err.value, "2020-01-01");
    /* an unknown institution: a bad member of the request (400), nothing stored */
    snprintf(body, sizeof(body), "{\"institution\": \"NOBODY\", \"purpose\": \"credit\", "
                                 "\"until\": \"%s\"}", until);
    api_assert_bad(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST",
                            "/v1/consents", NULL, NULL, body),
                   f, "institution");
    assert_string_equal(f->err.value, "NOBODY");
    assert_int_equal(api_count(f, "consent"), consents);
}

static void test_list(void **state)
{
    api_fx *f = api_fx_get(state);
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET", "/v1/consents",
                          NULL, NULL, NULL),
                 &f->err);
    json_t *items = json_object_get(f->answer, "items");
    /* credit to both lenders, and monitoring to LENDER_A, its lender (platform.sh) */
    assert_int_equal(json_array_size(items), 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(api_str(json_array_get(items, i), "uscc"), api_name(f, "FIRM_A"));
    assert_true(json_is_null(json_object_get(f->answer, "next")));

    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "GET",
                          "/v1/consents", NULL, "limit=5", NULL),
                 &f->err);
    items = json_object_get(f->answer, "items");
    assert_int_equal(json_array_size(items), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(api_str(json_array_get(items, i), "institution"),
                            api_name(f, "LENDER_B"));
    int64_t next = api_int(f->answer, "next");
    char q[64];
    snprintf(q, sizeof(q), "limit=5&after=%lld", (long long)next);
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "GET",
                          "/v1/consents", NULL, q, NULL),
                 &f->err);
    assert_true(api_int(json_array_get(json_object_get(f->answer, "items"), 0), "consent_id") >
                next);
    ph_status st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_B"), "GET",
                            "/v1/consents", NULL, "limit=0", NULL);
    api_assert_bad(st, f, "limit");
}

static void test_revoke(void **state)
{
    api_fx *f = api_fx_get(state);
    int64_t id = grant_c(f);
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)id);
    /* another firm: as if missing, refused, and the consent stays live */
    ph_status st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_B"), "POST",
                            "/v1/consents/{id}/revoke", API_PARAMS(v), NULL, "{}");
    api_assert_refused(st, f);
    assert_int_equal(ph_test_query_int(f->store,
                                       "SELECT count(*) FROM consent WHERE revoked_at IS NOT NULL"),
                     0);
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST",
                  "/v1/consents/{id}/revoke", API_PARAMS(v), NULL, "{\"now\": true}");
    api_assert_bad(st, f, "now");
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST",
                  "/v1/consents/{id}/revoke", API_PARAMS("99999999"), NULL, NULL);
    assert_int_equal(st, PH_ENOTFOUND);
    assert_string_equal(f->call.refused, "");

    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST",
                          "/v1/consents/{id}/revoke", API_PARAMS(v), NULL, NULL),
                 &f->err);
    assert_int_equal(api_int(f->answer, "consent_id"), id);
    assert_true(json_is_string(json_object_get(f->answer, "revoked_at")));
    st = api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "POST",
                  "/v1/consents/{id}/revoke", API_PARAMS(v), NULL, NULL);
    assert_int_equal(st, PH_EINVAL); /* revoked already */
}

static void test_profile_and_access_log(void **state)
{
    api_fx *f = api_fx_get(state);
    int64_t log = api_count(f, "access_log");
    char path[64];
    snprintf(path, sizeof(path), "%s", api_name(f, "FIRM_A"));
    ph_assert_ok(api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                          "/v1/enterprises/{uscc}/profile", API_PARAMS(path),
                          "purpose=credit&asof=2025-12-31", NULL),
                 &f->err);
    assert_string_equal(api_str(f->answer, "uscc"), api_name(f, "FIRM_A"));
    assert_string_equal(api_str(f->answer, "asof"), "2025-12-31");
    assert_int_equal(json_array_size(json_object_get(f->answer, "dimensions")), 5);
    assert_true(json_is_object(json_object_get(f->answer, "class")));
    int64_t seq = api_int(f->answer, "access_log_seq");
    assert_int_equal(api_count(f, "access_log"), log + 1); /* the library logged the read */

    /* no consent: 403 from the gate, logged too, and refused */
    ph_status st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                            "/v1/enterprises/{uscc}/profile", API_PARAMS(api_name(f, "FIRM_C")),
                            "asof=2025-12-31", NULL);
    assert_int_equal(st, PH_EDENIED);
    assert_true(f->call.refused[0] != '\0');
    /* the problem names the firm asked for, and the institution and purpose */
    assert_string_equal(f->err.field, "uscc");
    assert_string_equal(f->err.value, api_name(f, "FIRM_C"));
    assert_non_null(strstr(f->err.detail, api_name(f, "LENDER_A")));
    assert_non_null(strstr(f->err.detail, "credit"));
    assert_int_equal(api_count(f, "access_log"), log + 2);
    st = api_call(f, R, SRV_ROLE_INSTITUTION, api_name(f, "LENDER_A"), "GET",
                  "/v1/enterprises/{uscc}/profile", API_PARAMS(api_name(f, "FIRM_A")),
                  "purpose=fun", NULL);
    api_assert_bad(st, f, "purpose");

    /* the firm sees who read it, newest first */
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET", "/v1/access-log",
                          NULL, "limit=1", NULL),
                 &f->err);
    json_t *items = json_object_get(f->answer, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *e = json_array_get(items, 0);
    assert_int_equal(api_int(e, "seq"), seq);
    assert_string_equal(api_str(e, "institution"), api_name(f, "LENDER_A"));
    assert_true(strlen(api_str(e, "institution_name")) > 0);
    assert_string_equal(api_str(e, "outcome"), "allowed");
    assert_int_equal(api_int(f->answer, "next"), seq);
    char q[64];
    snprintf(q, sizeof(q), "limit=500&after=%lld", (long long)seq);
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_A"), "GET", "/v1/access-log",
                          NULL, q, NULL),
                 &f->err);
    items = json_object_get(f->answer, "items");
    assert_true(json_array_size(items) >= 1); /* the reads of the applications */
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_true(api_int(json_array_get(items, i), "seq") < seq);
    /* FIRM_C's log holds the refusal, and not FIRM_A's read */
    ph_assert_ok(api_call(f, R, SRV_ROLE_ENTERPRISE, api_name(f, "FIRM_C"), "GET", "/v1/access-log",
                          NULL, NULL, NULL),
                 &f->err);
    items = json_object_get(f->answer, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(api_str(json_array_get(items, 0), "outcome"), "denied");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_grant, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_grant_bad_bodies_store_nothing, api_setup,
                                        api_teardown),
        cmocka_unit_test_setup_teardown(test_list, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_revoke, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_profile_and_access_log, api_setup, api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
