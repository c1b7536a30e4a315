/* The HTTP core's pure parts (src/server): route patterns, finding a route
 * (404 vs 405 with Allow), the problem document for each status, request-id
 * sanitising, content types. */
#include "ph_test.h"

#include <string.h>

#include "server/srv.h"

static ph_status noop(srv_call *call, ph_error *err)
{
    (void)call;
    (void)err;
    return PH_OK;
}

static void test_pattern_literal_and_params(void **state)
{
    (void)state;
    char buf[256];
    const char *params[SRV_MAX_PARAMS];
    size_t n = 99;
    assert_true(srv_pattern_match("/healthz", "/healthz", buf, sizeof buf, params, &n));
    assert_int_equal(n, 0);
    assert_false(srv_pattern_match("/healthz", "/healthz/", buf, sizeof buf, params, &n));
    assert_false(srv_pattern_match("/healthz", "/health", buf, sizeof buf, params, &n));
    assert_false(srv_pattern_match("/v1/loans", "/v1/loansx", buf, sizeof buf, params, &n));
    assert_true(srv_pattern_match("/v1/loans/{id}/schedule", "/v1/loans/42/schedule", buf,
                                  sizeof buf, params, &n));
    assert_int_equal(n, 1);
    assert_string_equal(params[0], "42");
    assert_true(srv_pattern_match("/v1/policies/{name}/versions/{version}/activate",
                                  "/v1/policies/base%20line/versions/3/activate", buf,
                                  sizeof buf, params, &n));
    assert_int_equal(n, 2);
    assert_string_equal(params[0], "base line");
    assert_string_equal(params[1], "3");
    /* An empty segment is not a parameter. */
    assert_false(srv_pattern_match("/v1/loans/{id}", "/v1/loans/", buf, sizeof buf, params, &n));
    assert_false(srv_pattern_match("/v1/loans/{id}", "/v1/loans/1/2", buf, sizeof buf, params,
                                   &n));
    /* Bad escapes and an encoded NUL do not match. */
    assert_false(srv_pattern_match("/v1/loans/{id}", "/v1/loans/%zz", buf, sizeof buf, params,
                                   &n));
    assert_false(srv_pattern_match("/v1/loans/{id}", "/v1/loans/%4", buf, sizeof buf, params,
                                   &n));
    assert_false(srv_pattern_match("/v1/loans/{id}", "/v1/loans/a%00b", buf, sizeof buf, params,
                                   &n));
}

static void test_pattern_rest(void **state)
{
    (void)state;
    char buf[256];
    const char *params[SRV_MAX_PARAMS];
    size_t n = 0;
    assert_true(srv_pattern_match("/console/{*}", "/console/js/app.js", buf, sizeof buf, params,
                                  &n));
    assert_int_equal(n, 1);
    assert_string_equal(params[0], "js/app.js");
    assert_true(srv_pattern_match("/console/{*}", "/console/", buf, sizeof buf, params, &n));
    assert_string_equal(params[0], "");
    assert_true(srv_pattern_match("/console/{*}", "/console/%2e%2e/x", buf, sizeof buf, params,
                                  &n));
    assert_string_equal(params[0], "../x"); /* decoded: the handler refuses ".." */
    assert_false(srv_pattern_match("/console/{*}", "/console", buf, sizeof buf, params, &n));
    /* No room for the decoded parameter: no match, no overflow. */
    char tiny[4];
    assert_false(srv_pattern_match("/console/{*}", "/console/abcdef", tiny, sizeof tiny, params,
                                   &n));
}

static void test_route_find(void **state)
{
    (void)state;
    static const srv_route table[] = {
        {"GET", "/v1/loans", "loan", "read", noop},
        {"POST", "/v1/loans", "loan", "create", noop},
        {"GET", "/v1/loans/{id}", "loan", "read", noop},
        {"POST", "/v1/loans/{id}/draws", "loan", "draw", noop},
    };
    const srv_route *routes[] = {&table[0], &table[1], &table[2], &table[3]};
    char buf[256], allow[64];
    const char *params[SRV_MAX_PARAMS];
    size_t n = 0, index = 99;
    assert_int_equal(srv_route_find(routes, 4, "POST", "/v1/loans", &index, buf, sizeof buf,
                                    params, &n, allow, sizeof allow),
                     SRV_MATCH_OK);
    assert_int_equal(index, 1);
    assert_int_equal(srv_route_find(routes, 4, "HEAD", "/v1/loans/7", &index, buf, sizeof buf,
                                    params, &n, allow, sizeof allow),
                     SRV_MATCH_OK);
    assert_int_equal(index, 2);
    assert_string_equal(params[0], "7");
    assert_int_equal(srv_route_find(routes, 4, "DELETE", "/v1/loans", &index, buf, sizeof buf,
                                    params, &n, allow, sizeof allow),
                     SRV_MATCH_NO_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
    assert_int_equal(srv_route_find(routes, 4, "GET", "/v1/loans/7/draws", &index, buf,
                                    sizeof buf, params, &n, allow, sizeof allow),
                     SRV_MATCH_NO_METHOD);
    assert_string_equal(allow, "POST");
    assert_int_equal(srv_route_find(routes, 4, "GET", "/v1/nothing", &index, buf, sizeof buf,
                                    params, &n, allow, sizeof allow),
                     SRV_MATCH_NO_PATH);
}

static void test_status_map(void **state)
{
    (void)state;
    static const struct {
        ph_status code;
        int http;
    } rows[] = {{PH_EINVAL, 400},  {PH_ERANGE, 400}, {PH_ENOTFOUND, 404}, {PH_EEXISTS, 409},
                {PH_EDENIED, 403}, {PH_EBUSY, 503},  {PH_ESCHEMA, 500},   {PH_ESTORE, 500},
                {PH_EIO, 500},     {PH_ENOMEM, 500}, {PH_EMISUSE, 500}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(srv_http_status(rows[i].code), rows[i].http);
}

static void test_problem_document(void **state)
{
    (void)state;
    ph_error err;
    ph_error_set(&err, PH_EINVAL, "amount", "-3", "a positive amount of yuan");
    json_t *doc = srv_problem(0, NULL, NULL, &err, "/v1/applications", "rid-1");
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "type")),
                        "urn:puhui:problem:invalid");
    assert_int_equal(json_integer_value(json_object_get(doc, "status")), 400);
    assert_string_equal(json_string_value(json_object_get(doc, "detail")), err.message);
    assert_string_equal(json_string_value(json_object_get(doc, "instance")),
                        "/v1/applications");
    assert_string_equal(json_string_value(json_object_get(doc, "request_id")), "rid-1");
    assert_string_equal(json_string_value(json_object_get(doc, "code")), "PH_EINVAL");
    assert_string_equal(json_string_value(json_object_get(doc, "field")), "amount");
    assert_string_equal(json_string_value(json_object_get(doc, "value")), "-3");
    assert_string_equal(json_string_value(json_object_get(doc, "expected")),
                        "a positive amount of yuan");
    /* Empty members are left out. */
    assert_null(json_object_get(doc, "source"));
    assert_null(json_object_get(doc, "line"));
    json_decref(doc);

    /* A located error carries source, line and column. */
    ph_error_set(&err, PH_EINVAL, "body", NULL, "malformed JSON: '}' expected");
    ph_error_locate(&err, "body", 3, 14);
    doc = srv_problem(0, NULL, NULL, &err, "/v1/loans", "rid-2");
    assert_int_equal(json_integer_value(json_object_get(doc, "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(doc, "column")), 14);
    assert_string_equal(json_string_value(json_object_get(doc, "source")), "body");
    json_decref(doc);

    /* Each status: its HTTP status and slug. */
    static const struct {
        ph_status code;
        int http;
        const char *type;
    } rows[] = {{PH_ENOTFOUND, 404, "urn:puhui:problem:not-found"},
                {PH_EEXISTS, 409, "urn:puhui:problem:exists"},
                {PH_EDENIED, 403, "urn:puhui:problem:forbidden"},
                {PH_EBUSY, 503, "urn:puhui:problem:busy"},
                {PH_ERANGE, 400, "urn:puhui:problem:out-of-range"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ph_error_set(&err, rows[i].code, "f", "v", "what was expected");
        doc = srv_problem(0, NULL, NULL, &err, "/x", "r");
        assert_int_equal(json_integer_value(json_object_get(doc, "status")), rows[i].http);
        assert_string_equal(json_string_value(json_object_get(doc, "type")), rows[i].type);
        assert_string_equal(json_string_value(json_object_get(doc, "field")), "f");
        json_decref(doc);
    }

    /* A 500 keeps the detail generic: nothing of the message reaches the client. */
    ph_error_set(&err, PH_ESTORE, "sql", "SELECT secret", "disk I/O error in /var/lib/x.db");
    doc = srv_problem(0, NULL, NULL, &err, "/v1/loans", "rid-3");
    assert_int_equal(json_integer_value(json_object_get(doc, "status")), 500);
    char *text = json_dumps(doc, 0);
    assert_null(strstr(text, "secret"));
    assert_null(strstr(text, "/var/lib"));
    assert_non_null(strstr(text, "rid-3"));
    free(text);
    json_decref(doc);

    /* The core's own statuses: given status, slug and title. */
    ph_error_set(&err, PH_ERANGE, "body", "2000000", "a body of at most 1048576 bytes");
    doc = srv_problem(413, "body-too-large", "Content too large", &err, "/v1/loans", "r");
    assert_int_equal(json_integer_value(json_object_get(doc, "status")), 413);
    assert_string_equal(json_string_value(json_object_get(doc, "type")),
                        "urn:puhui:problem:body-too-large");
    assert_string_equal(json_string_value(json_object_get(doc, "value")), "2000000");
    json_decref(doc);
}

static void test_request_id(void **state)
{
    (void)state;
    assert_true(srv_request_id_ok("abc-123_x.Y"));
    assert_true(srv_request_id_ok("0123456789012345678901234567890123456789012345678901234567890123"));
    assert_false(srv_request_id_ok("01234567890123456789012345678901234567890123456789012345678901234"));
    assert_false(srv_request_id_ok(""));
    assert_false(srv_request_id_ok(NULL));
    assert_false(srv_request_id_ok("a b"));
    assert_false(srv_request_id_ok("a\"b"));
    assert_false(srv_request_id_ok("a\nb"));
    assert_false(srv_request_id_ok("<script>"));
    assert_false(srv_request_id_ok("\xe4\xb8\xad"));
}

static void test_parse_body(void **state)
{
    (void)state;
    json_t *doc = NULL;
    ph_error err;
    const char *good = "{\"amount\": \"1.00\"}";
    assert_int_equal(srv_parse_body(good, strlen(good), &doc, &err), PH_OK);
    assert_true(json_is_object(doc));
    json_decref(doc);
    doc = NULL;
    const char *bad = "{\n  \"amount\": 1,,\n}";
    assert_int_equal(srv_parse_body(bad, strlen(bad), &doc, &err), PH_EINVAL);
    assert_null(doc);
    assert_string_equal(err.field, "body");
    assert_int_equal(err.line, 2);
    assert_true(err.column > 0);
    assert_non_null(strstr(err.message, "malformed JSON"));
    assert_int_equal(srv_parse_body("[1,2]", 5, &doc, &err), PH_EINVAL);
    assert_string_equal(err.detail, "a JSON object");
    assert_int_equal(srv_parse_body("{\"a\":1,\"a\":2}", 13, &doc, &err), PH_EINVAL);
}

static void test_content_types(void **state)
{
    (void)state;
    assert_string_equal(srv_content_type("a/index.html"), "text/html; charset=utf-8");
    assert_string_equal(srv_content_type("app.js"), "text/javascript; charset=utf-8");
    assert_string_equal(srv_content_type("x.css"), "text/css; charset=utf-8");
    assert_string_equal(srv_content_type("zh.json"), "application/json; charset=utf-8");
    assert_string_equal(srv_content_type("logo.png"), "image/png");
    assert_string_equal(srv_content_type("logo.svg"), "image/svg+xml");
    assert_string_equal(srv_content_type("a.d/README"), "application/octet-stream");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_literal_and_params),
        cmocka_unit_test(test_pattern_rest),
        cmocka_unit_test(test_route_find),
        cmocka_unit_test(test_status_map),
        cmocka_unit_test(test_problem_document),
        cmocka_unit_test(test_request_id),
        cmocka_unit_test(test_parse_body),
        cmocka_unit_test(test_content_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
