/* The handlers' helpers (src/server/api_util.c) and the authz table
 * (src/server/authz.c): typed body reads name the member and value, unknown
 * members are refused, tenancy is exact, and the table grants only what the
 * platform's rules allow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../src/server/api.h"

static srv_call call_with(const char *body_json, json_t **hold)
{
    srv_call c;
    memset(&c, 0, sizeof(c));
    *hold = body_json ? json_loads(body_json, 0, NULL) : NULL;
    c.body = *hold;
    return c;
}

static void body_reads(void **state)
{
    (void)state;
    json_t *hold;
    srv_call c = call_with("{\"amount\":\"300,000.50\",\"term\":12,\"g\":true,\"s\":\"x\",\"n\":null}",
                           &hold);
    ph_error err;
    int64_t fen = 0, term = 0;
    int g = 0;
    const char *s = NULL;
    assert_int_equal(srv_body_money(&c, "amount", 1, &fen, &err), PH_OK);
    assert_int_equal(fen, 30000050);
    assert_int_equal(srv_body_int(&c, "term", 1, &term, &err), PH_OK);
    assert_int_equal(term, 12);
    assert_int_equal(srv_body_bool(&c, "g", 1, &g, &err), PH_OK);
    assert_int_equal(g, 1);
    assert_int_equal(srv_body_string(&c, "s", 1, &s, &err), PH_OK);
    assert_string_equal(s, "x");
    /* absent and null: fine when optional, named when required */
    int64_t keep = 7;
    assert_int_equal(srv_body_int(&c, "n", 0, &keep, &err), PH_OK);
    assert_int_equal(keep, 7);
    assert_int_equal(srv_body_int(&c, "missing", 1, &keep, &err), PH_EINVAL);
    assert_string_equal(err.field, "missing");
    /* wrong types name the member and the JSON value */
    assert_int_equal(srv_body_int(&c, "amount", 1, &keep, &err), PH_EINVAL);
    assert_string_equal(err.field, "amount");
    assert_string_equal(err.value, "\"300,000.50\"");
    assert_int_equal(srv_body_money(&c, "term", 1, &fen, &err), PH_EINVAL);
    assert_string_equal(err.field, "term");
    assert_string_equal(err.value, "12");
    json_decref(hold);

    c = call_with("{\"amount\":\"1.005\"}", &hold);
    assert_int_not_equal(srv_body_money(&c, "amount", 1, &fen, &err), PH_OK);
    assert_string_equal(err.field, "amount");
    assert_string_equal(err.value, "1.005");
    json_decref(hold);
}

static void unknown_members(void **state)
{
    (void)state;
    json_t *hold;
    static const char *const allowed[] = {"amount", "term", NULL};
    srv_call c = call_with("{\"amount\":\"1\",\"trem\":3}", &hold);
    ph_error err;
    assert_int_equal(srv_body_check(&c, allowed, &err), PH_EINVAL);
    assert_string_equal(err.field, "trem");
    assert_non_null(strstr(err.detail, "expected one of: amount, term"));
    json_decref(hold);
    c = call_with("[1]", &hold);
    assert_int_equal(srv_body_check(&c, allowed, &err), PH_EINVAL);
    assert_string_equal(err.field, "body");
    json_decref(hold);
    c = call_with(NULL, &hold);
    assert_int_equal(srv_body_check(&c, allowed, &err), PH_EINVAL);
}

static void tenancy(void **state)
{
    (void)state;
    srv_identity firm = {SRV_ROLE_ENTERPRISE, "91370000DB16P8RU83", 1, "the owner"};
    srv_identity bank = {SRV_ROLE_INSTITUTION, "L1", 2, ""};
    srv_call c;
    memset(&c, 0, sizeof(c));
    c.scope = SRV_SCOPE_OWN;
    c.who = &firm;
    assert_true(srv_owns(&c, "91370000DB16P8RU83", "L1"));
    assert_false(srv_owns(&c, "91370000DB16P8RU84", "L1"));
    assert_false(srv_owns(&c, NULL, "91370000DB16P8RU83"));
    c.who = &bank;
    assert_true(srv_owns(&c, "x", "L1"));
    assert_false(srv_owns(&c, "L1", "L2"));
    c.scope = SRV_SCOPE_AGGREGATE;
    assert_false(srv_owns(&c, "x", "L1"));
    c.scope = SRV_SCOPE_ALL;
    assert_true(srv_owns(&c, "x", "L2"));

    ph_error err;
    c.scope = SRV_SCOPE_OWN;
    assert_int_equal(srv_refuse(&c, &err, "loan", "42", "no loan %s", "42"), PH_ENOTFOUND);
    assert_string_equal(err.detail, "no loan 42");
    assert_string_not_equal(c.refused, "");
}

static void authz_table(void **state)
{
    (void)state;
    /* a firm's own rows; never another firm's profile, never policies */
    assert_int_equal(srv_authz_scope(SRV_ROLE_ENTERPRISE, "loan", "repay"), SRV_SCOPE_OWN);
    assert_int_equal(srv_authz_scope(SRV_ROLE_ENTERPRISE, "profile", "read"), SRV_SCOPE_NONE);
    assert_int_equal(srv_authz_scope(SRV_ROLE_ENTERPRISE, "policy", "create"), SRV_SCOPE_NONE);
    /* the regulator: aggregates and the registry, never a firm's rows */
    static const char *const firm_rows[] = {"application", "decision", "consent", "access_log",
                                            "profile", "loan", "appeal"};
    for (size_t i = 0; i < sizeof firm_rows / sizeof firm_rows[0]; i++) {
        assert_int_equal(srv_authz_scope(SRV_ROLE_REGULATOR, firm_rows[i], "read"), SRV_SCOPE_NONE);
        assert_int_equal(srv_authz_scope(SRV_ROLE_ADMIN, firm_rows[i], "read"), SRV_SCOPE_NONE);
    }
    assert_int_equal(srv_authz_scope(SRV_ROLE_REGULATOR, "market", "read"), SRV_SCOPE_AGGREGATE);
    assert_int_equal(srv_authz_scope(SRV_ROLE_REGULATOR, "model", "read"), SRV_SCOPE_ALL);
    /* an institution acts on its own rows only */
    assert_int_equal(srv_authz_scope(SRV_ROLE_INSTITUTION, "loan", "draw"), SRV_SCOPE_NONE);
    assert_int_equal(srv_authz_scope(SRV_ROLE_INSTITUTION, "policy", "activate"), SRV_SCOPE_OWN);
    /* no key: nothing */
    assert_int_equal(srv_authz_scope(SRV_ROLE_NONE, "market", "read"), SRV_SCOPE_NONE);
    assert_int_equal(srv_authz_scope(SRV_ROLE_ADMIN, NULL, "read"), SRV_SCOPE_NONE);
    assert_string_equal(srv_role_name(SRV_ROLE_INSTITUTION), "institution");
    assert_string_equal(srv_role_name((srv_role)99), "none");
}

static void rates_and_money(void **state)
{
    (void)state;
    json_t *j = srv_json_rate(3850000);
    assert_string_equal(json_string_value(j), "0.0385");
    json_decref(j);
    j = srv_json_rate(0);
    assert_string_equal(json_string_value(j), "0");
    json_decref(j);
    j = srv_json_rate(-150000000);
    assert_string_equal(json_string_value(j), "-1.5");
    json_decref(j);
    j = srv_json_money(-5);
    assert_string_equal(json_string_value(j), "-0.05");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(body_reads),     cmocka_unit_test(unknown_members),
        cmocka_unit_test(tenancy),        cmocka_unit_test(authz_table),
        cmocka_unit_test(rates_and_money),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
