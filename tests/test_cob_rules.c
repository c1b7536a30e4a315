/*
 * The classification rules as data: the built-in 2023 rules, a document
 * that changes thresholds and provisions (and the engine following it), and
 * every load error with the file, the member, the value and what was
 * expected.
 */
#include "support/ph_test.h"

#include "puhui/cob.h"

#include <stdlib.h>
#include <string.h>

static ph_ctx *g_ctx;
static char *g_dir;

static int group_setup(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &g_ctx, &err), &err);
    g_dir = ph_test_tmpdir("cob_rules");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    ph_test_rmtree(g_dir);
    free(g_dir);
    ph_ctx_free(g_ctx);
    return 0;
}

static void test_defaults(void **state)
{
    (void)state;
    ph_cob_rules *r = NULL;
    ph_error err;
    ph_assert_ok(ph_cob_rules_default(g_ctx, &r, &err), &err);
    static const int32_t MIN_DPD[] = {0, 1, 91, 271, 361};
    static const int32_t BP[] = {100, 200, 2500, 5000, 10000};
    for (int c = 0; c < PH_CATEGORY_COUNT; c++) {
        assert_int_equal(ph_cob_rules_min_dpd(r, (ph_loan_category)c), MIN_DPD[c]);
        assert_int_equal(ph_cob_rules_provision_bp(r, (ph_loan_category)c), BP[c]);
    }
    assert_int_equal(ph_cob_rules_default_dpd(r), 90);
    ph_cob_rules_free(r);

    assert_string_equal(ph_loan_category_name(PH_CATEGORY_SPECIAL_MENTION), "special_mention");
    assert_null(ph_loan_category_name(PH_CATEGORY_COUNT));
    ph_loan_category c;
    ph_assert_ok(ph_loan_category_parse("doubtful", 8, &c, &err), &err);
    assert_int_equal(c, PH_CATEGORY_DOUBTFUL);
    ph_assert_error(ph_loan_category_parse("Loss", 4, &c, &err), PH_EINVAL, &err,
                    "field category, value 'Loss'");
    assert_true(ph_loan_category_is_npl(PH_CATEGORY_SUBSTANDARD));
    assert_false(ph_loan_category_is_npl(PH_CATEGORY_SPECIAL_MENTION));
}

/* A stricter document: substandard from 61 DPD, provisions changed, a
 * default at 60 DPD; the engine follows it. */
static void test_custom_rules_drive_the_engine(void **state)
{
    (void)state;
    char *path = ph_test_path(g_dir, "strict.json");
    ph_test_write_file(path,
                       "{\"categories\": [{\"category\":\"loss\",\"min_dpd\":181},\n"
                       "  {\"category\":\"special_mention\",\"min_dpd\":1},\n"
                       "  {\"category\":\"substandard\",\"min_dpd\":61},\n"
                       "  {\"category\":\"doubtful\",\"min_dpd\":121}],\n"
                       " \"restructured_floor\": \"substandard\", \"default_dpd\": 60,\n"
                       " \"provision_bp\": {\"normal\": 150, \"substandard\": 3000}}\n");
    ph_cob_rules *r = NULL;
    ph_error err;
    ph_assert_ok(ph_cob_rules_load_file(g_ctx, path, &r, &err), &err);
    assert_int_equal(ph_cob_rules_min_dpd(r, PH_CATEGORY_SUBSTANDARD), 61);
    assert_int_equal(ph_cob_rules_min_dpd(r, PH_CATEGORY_LOSS), 181);
    assert_int_equal(ph_cob_rules_provision_bp(r, PH_CATEGORY_NORMAL), 150);
    assert_int_equal(ph_cob_rules_provision_bp(r, PH_CATEGORY_SPECIAL_MENTION), 200); /* kept */

    ph_loan_state s;
    memset(&s, 0, sizeof(s));
    s.loan_id = 1;
    s.principal = 1000000;
    s.principal_due = 100;
    s.oldest_unpaid_due = 20000;
    ph_cob_delta dl;
    ph_assert_ok(ph_cob_day(r, &s, 20061, &dl, &err), &err);
    assert_int_equal(dl.to, PH_CATEGORY_SUBSTANDARD);
    assert_int_equal(dl.defaulted_today, 1); /* first day at >= 60 DPD this loan ran */
    assert_true(s.flags & PH_LOAN_DEFAULTED);
    assert_int_equal(s.provision, 300030); /* 30% of 1,000,100 fen */

    /* The floor is substandard now: a restructured loan with no arrears. */
    memset(&s, 0, sizeof(s));
    s.loan_id = 2;
    s.principal = 1000000;
    s.restructured_on = 20000;
    ph_loan_category c;
    ph_assert_ok(ph_cob_classify(r, &s, 20010, &c, &err), &err);
    assert_int_equal(c, PH_CATEGORY_SUBSTANDARD);
    ph_cob_rules_free(r);
    free(path);
}

/* Load `text` from a file and expect `code` with `needle` in the message. */
static void expect_error(const char *text, ph_status code, const char *needle)
{
    char *path = ph_test_path(g_dir, "bad.json");
    ph_test_write_file(path, text);
    ph_cob_rules *r = (ph_cob_rules *)0x1;
    ph_error err;
    ph_assert_error(ph_cob_rules_load_file(g_ctx, path, &r, &err), code, &err, needle);
    assert_ptr_equal(r, (ph_cob_rules *)0x1); /* untouched */
    assert_non_null(strstr(err.message, "bad.json"));
    free(path);
}

static void test_load_errors(void **state)
{
    (void)state;
    expect_error("{\"provison_bp\": {}}", PH_EINVAL,
                 "field provison_bp: unknown member (expected categories, restructured_floor, "
                 "observation_days, observation_periods, default_dpd, provision_bp)");
    expect_error("{\"default_dpd\": 0}", PH_EINVAL,
                 "field default_dpd, value '0': expected a whole number from 1 to 3650");
    expect_error("{\"observation_days\": \"365\"}", PH_EINVAL, "observation_days");
    expect_error("{\"restructured_floor\": \"watch\"}", PH_EINVAL,
                 "field restructured_floor, value 'watch': expected normal, special_mention, "
                 "substandard, doubtful or loss");
    expect_error("{\"provision_bp\": {\"loss\": 10001}}", PH_EINVAL,
                 "field provision_bp.loss, value '10001': expected a whole number from 0 to 10000");
    expect_error("{\"provision_bp\": {\"bad\": 1}}", PH_EINVAL,
                 "field provision_bp.bad: unknown member");
    expect_error("{\"categories\": [{\"category\":\"special_mention\",\"min_dpd\":1},"
                 "{\"category\":\"substandard\",\"min_dpd\":91},"
                 "{\"category\":\"doubtful\",\"min_dpd\":80},"
                 "{\"category\":\"loss\",\"min_dpd\":361}]}",
                 PH_EINVAL,
                 "field categories[2].min_dpd, value '80': expected more than "
                 "categories[1].min_dpd (91, substandard): doubtful is worse");
    expect_error("{\"categories\": [{\"category\":\"special_mention\",\"min_dpd\":1},"
                 "{\"category\":\"special_mention\",\"min_dpd\":2}]}",
                 PH_EINVAL,
                 "field categories[1].category, value 'special_mention': category listed twice "
                 "(first at categories[0])");
    expect_error("{\"categories\": [{\"category\":\"special_mention\",\"min_dpd\":1}]}", PH_EINVAL,
                 "field categories: expected an entry for substandard");
    expect_error("{\"categories\": [{\"category\":\"normal\",\"min_dpd\":0}]}", PH_EINVAL,
                 "field categories[0].category, value 'normal'");
    expect_error("{\"categories\": [{\"category\":\"loss\",\"min_dpd\":0}]}", PH_EINVAL,
                 "field categories[0].min_dpd, value '0': expected a whole number from 1");
    expect_error("{\"categories\": [{\"category\":\"loss\",\"days\":0}]}", PH_EINVAL,
                 "field categories[0].days: unknown member (expected category, min_dpd)");
    expect_error("{\"categories\": [3]}", PH_EINVAL,
                 "field categories[0]: expected an object with category and min_dpd, found an "
                 "integer");
    expect_error("[]", PH_EINVAL, "expected a JSON object (classification rules), found an array");
    expect_error("{\n  \"default_dpd\": 90,\n  oops\n}", PH_EINVAL, "bad.json:3:");

    ph_cob_rules *r;
    ph_error err;
    ph_assert_error(ph_cob_rules_load_file(g_ctx, "/nonexistent/rules.json", &r, &err), PH_EIO,
                    &err, "rules.json");
    ph_assert_error(ph_cob_rules_load_text(g_ctx, "{\"default_dpd\": -1}", 19, "inline", &r, &err),
                    PH_EINVAL, &err, "inline: field default_dpd, value '-1'");
    ph_assert_error(ph_cob_rules_default(NULL, &r, &err), PH_EMISUSE, &err, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_custom_rules_drive_the_engine),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
