/* JSON through jansson (src/json): located load errors, typed getters,
 * exact money and rates. */
#include "ph_test.h"

#include "json/json_internal.h"

#include <stdlib.h>
#include <string.h>

static json_t *load(const char *text)
{
    json_t *v = NULL;
    ph_error err;
    ph_assert_ok(pjson_load_text(text, strlen(text), "test", &v, &err), &err);
    return v;
}

static void test_load_errors_are_located(void **state)
{
    (void)state;
    json_t *v = NULL;
    ph_error err;
    const char *text = "{\n  \"a\": 1,\n  \"b\": tru\n}";
    ph_assert_error(pjson_load_text(text, strlen(text), "policy.json", &v, &err), PH_EINVAL,
                    &err, "policy.json:3:");
    assert_int_equal(err.line, 3);
    assert_null(v);

    const char *dup = "{\"limit\": 1, \"limit\": 2}";
    ph_assert_error(pjson_load_text(dup, strlen(dup), "policy.json", &v, &err), PH_EINVAL,
                    &err, "duplicate object key");
}

static void test_load_file(void **state)
{
    (void)state;
    char *dir = ph_test_tmpdir("json");
    char *path = ph_test_path(dir, "doc.json");
    ph_test_write_file(path, "{\"name\": \"济南银行\", \"n\": 3}");
    json_t *v = NULL;
    ph_error err;
    ph_assert_ok(pjson_load_file(path, &v, &err), &err);
    const char *name = NULL;
    ph_assert_ok(pjson_get_string(v, "", "name", &name, &err), &err);
    assert_string_equal(name, "济南银行");

    char *copy = ph_test_path(dir, "copy.json");
    ph_assert_ok(pjson_save_file(v, copy, &err), &err);
    json_decref(v);
    ph_assert_ok(pjson_load_file(copy, &v, &err), &err);
    int64_t n = 0;
    ph_assert_ok(pjson_get_int(v, NULL, "n", &n, &err), &err);
    assert_int_equal(n, 3);

    ph_assert_error(pjson_save_file(v, "/nonexistent-dir/x.json", &err), PH_EIO, &err,
                    "field path, value '/nonexistent-dir/x.json.tmp': cannot create: No such file");
    char *missing = ph_test_path(dir, "missing.json");
    json_decref(v);
    ph_assert_error(pjson_load_file(missing, &v, &err), PH_EIO, &err,
                    "No such file or directory");
    assert_non_null(strstr(err.message, "missing.json"));
    ph_test_rmtree(dir);
    free(missing);
    free(copy);
    free(path);
    free(dir);
}

static void test_getters_name_the_member(void **state)
{
    (void)state;
    json_t *v = load("{\"limits\": {\"cap\": \"x\", \"k\": 5, \"on\": true}, \"list\": []}");
    ph_error err;
    json_t *limits = NULL, *list = NULL;
    ph_assert_ok(pjson_get_object(v, "", "limits", &limits, &err), &err);
    ph_assert_ok(pjson_get_array(v, "", "list", &list, &err), &err);

    int64_t k = 0;
    ph_assert_ok(pjson_get_int(limits, "limits", "k", &k, &err), &err);
    assert_int_equal(k, 5);
    int on = 0;
    ph_assert_ok(pjson_get_bool(limits, "limits", "on", &on, &err), &err);
    assert_true(on);

    const char *s = NULL;
    ph_assert_error(pjson_get_string(limits, "limits", "k", &s, &err), PH_EINVAL, &err,
                    "field limits.k, value '5': expected a string, found an integer");
    ph_assert_error(pjson_get_int(limits, "limits", "absent", &k, &err), PH_ENOTFOUND, &err,
                    "field limits.absent: required member is missing; expected an integer");
    ph_assert_error(pjson_get_object(v, "", "list", &limits, &err), PH_EINVAL, &err,
                    "field list, value '[]': expected an object, found an array");
    ph_assert_error(pjson_get_int(list, "list", "x", &k, &err), PH_EINVAL, &err,
                    "field list: expected an object, found an array");

    /* optional members: absent leaves the default, present must be right */
    k = 42;
    ph_assert_ok(pjson_opt_int(v, "", "absent", &k, &err), &err);
    assert_int_equal(k, 42);
    s = "default";
    ph_assert_ok(pjson_opt_string(v, "", "absent", &s, &err), &err);
    assert_string_equal(s, "default");
    ph_assert_error(pjson_opt_bool(limits, "limits", "cap", &on, &err), PH_EINVAL, &err,
                    "expected true or false, found a string");
    json_decref(v);
}

static void test_money_and_rates_are_exact(void **state)
{
    (void)state;
    json_t *v = load("{\"a\": \"12,345.67\", \"b\": 12345.67, \"c\": 5000, \"d\": 0.125,"
                     " \"e\": \"3.85%\", \"f\": 0.0385, \"g\": \"385bp\", \"h\": true,"
                     " \"i\": 1e300, \"j\": 0.1}");
    ph_error err;
    ph_money m = 0;
    ph_assert_ok(pjson_get_money(v, "", "a", &m, &err), &err);
    assert_int_equal(m, 1234567);
    ph_assert_ok(pjson_get_money(v, "", "b", &m, &err), &err);
    assert_int_equal(m, 1234567);
    ph_assert_ok(pjson_get_money(v, "", "c", &m, &err), &err);
    assert_int_equal(m, 500000);
    ph_assert_ok(pjson_get_money(v, "", "j", &m, &err), &err);
    assert_int_equal(m, 10);
    ph_assert_error(pjson_get_money(v, "loan", "d", &m, &err), PH_EINVAL, &err,
                    "field loan.d, value '0.125'");
    ph_assert_error(pjson_get_money(v, "", "h", &m, &err), PH_EINVAL, &err,
                    "expected an amount in yuan such as \"12345.67\", found a boolean");
    ph_assert_error(pjson_get_money(v, "", "i", &m, &err), PH_EINVAL, &err,
                    "found a real number");
    ph_assert_error(pjson_get_money(v, "", "zz", &m, &err), PH_ENOTFOUND, &err,
                    "field zz: required member is missing");

    ph_rate r = 0;
    ph_assert_ok(pjson_get_rate(v, "", "e", &r, &err), &err);
    assert_int_equal(r, 3850000);
    ph_assert_error(pjson_get_rate(v, "", "f", &r, &err), PH_EINVAL, &err,
                    "field f, value '0.0385': expected a rate as a string such as \"3.85%\"");
    ph_assert_ok(pjson_get_rate(v, "", "g", &r, &err), &err);
    assert_int_equal(r, 3850000);
    ph_assert_error(pjson_get_rate(v, "pricing", "a", &r, &err), PH_EINVAL, &err,
                    "field pricing.a, value '12,345.67'");
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_errors_are_located),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_getters_name_the_member),
        cmocka_unit_test(test_money_and_rates_are_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
