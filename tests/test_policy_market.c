/*
 * The two policy members that place a policy in the marketplace: "model"
 * (the registered model behind score and pd) and "appetite" (which
 * applications the lender wants to see), the "reasons" member (the sentence
 * a firm reads for a rule's code), and their load errors.
 */
#include <stdlib.h>
#include <string.h>

#include "ph_test.h"

static ph_policy *load_fixture(ph_ctx **ctx, const char *name)
{
    ph_error err;
    ph_ctx_options o = {0};
    o.log_level = PH_LOG_OFF;
    ph_assert_ok(ph_ctx_new(&o, ctx, &err), &err);
    char *path = ph_test_fixture(name);
    ph_policy *p = NULL;
    ph_assert_ok(ph_policy_load_file(*ctx, path, &p, &err), &err);
    free(path);
    return p;
}

static void test_model_and_appetite(void **state)
{
    (void)state;
    ph_ctx *ctx;
    ph_policy *p = load_fixture(&ctx, "market/rural_bank.json");
    assert_string_equal(ph_policy_model(p), "province_pd");
    char why[256];
    /* industries match by prefix of the GB/T 4754 code; no purpose list: any */
    assert_int_equal(ph_policy_appetite_matches(p, "trade", "C13", "370102", "micro", why,
                                                sizeof(why)), 1);
    assert_string_equal(why, "");
    assert_int_equal(ph_policy_appetite_matches(p, "trade", "K70", "370102", "micro", why,
                                                sizeof(why)), 0);
    assert_string_equal(why, "industry K70 is outside the lender's appetite (A, C, F, G)");
    assert_int_equal(ph_policy_appetite_matches(p, "trade", NULL, "370102", "micro", NULL, 0),
                     0);
    ph_policy_free(p);
    ph_ctx_free(ctx);

    p = load_fixture(&ctx, "market/digital_bank.json");
    assert_int_equal(ph_policy_appetite_matches(p, "equipment", "F52", "370102", "micro", why,
                                                sizeof(why)), 0);
    assert_string_equal(why, "purpose equipment is outside the lender's appetite "
                             "(working_capital, trade)");
    assert_int_equal(ph_policy_appetite_matches(p, "trade", "F52", "370102", "medium", why,
                                                sizeof(why)), 0);
    assert_string_equal(why, "size class medium is outside the lender's appetite (micro, small)");
    ph_policy_free(p);
    ph_ctx_free(ctx);

    p = load_fixture(&ctx, "policies/brief_bank.json");
    assert_null(ph_policy_model(p)); /* none: a policy that reads no model output */
    assert_int_equal(ph_policy_appetite_matches(p, NULL, NULL, NULL, NULL, NULL, 0), 1);
    ph_policy_free(p);
    ph_ctx_free(ctx);
}

static void test_reason_words(void **state)
{
    (void)state;
    ph_ctx *ctx;
    ph_policy *p = load_fixture(&ctx, "market/rural_bank.json");
    assert_string_equal(ph_policy_reason_words(p, "TERM_OUT_OF_RANGE"),
                        "the term asked for is outside the 6 to 36 months this loan runs");
    assert_null(ph_policy_reason_words(p, "LIMIT_MISSING")); /* the platform's own code */
    assert_null(ph_policy_reason_words(p, "NO_SUCH_CODE"));
    assert_null(ph_policy_reason_words(NULL, "TERM_OUT_OF_RANGE"));
    /* what the limit and the rate are computed from, directly or through steps */
    assert_int_equal(ph_policy_feeds(p, "sales_12m", "limit"), 1);
    assert_int_equal(ph_policy_feeds(p, "limit", "limit"), 1);
    assert_int_equal(ph_policy_feeds(p, "business_status", "limit"), 0);
    assert_int_equal(ph_policy_feeds(p, "sales_12m", "rate"), 0);
    assert_int_equal(ph_policy_feeds(p, "lpr", "rate"), 1);
    assert_int_equal(ph_policy_feeds(p, "score", "rate"), 1); /* through the spread table */
    assert_int_equal(ph_policy_feeds(p, "green", "rate"), 1); /* through green_discount */
    assert_int_equal(ph_policy_feeds(p, "score", "limit"), 0);
    assert_int_equal(ph_policy_feeds(p, "no_such_value", "limit"), 0);
    assert_int_equal(ph_policy_feeds(p, "sales_12m", "score"), 0);
    ph_policy_free(p);
    ph_ctx_free(ctx);
}

/* The rural fixture with one replacement, expected to fail with `message`. */
static void refused(const char *from, const char *to, const char *message)
{
    ph_ctx *ctx;
    ph_error err;
    ph_ctx_options o = {0};
    o.log_level = PH_LOG_OFF;
    ph_assert_ok(ph_ctx_new(&o, &ctx, &err), &err);
    char *path = ph_test_fixture("market/rural_bank.json");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    free(path);
    text[n] = '\0';
    char *at = strstr(text, from);
    assert_non_null(at);
    char changed[8192];
    snprintf(changed, sizeof(changed), "%.*s%s%s", (int)(at - text), text, to,
             at + strlen(from));
    ph_policy *p = NULL;
    ph_assert_error(ph_policy_load_text(ctx, changed, strlen(changed), "rural.json", &p, &err),
                    PH_EINVAL, &err, message);
    assert_null(p);
    ph_ctx_free(ctx);
}

static void test_load_errors(void **state)
{
    (void)state;
    refused("\"model\": \"province_pd\"", "\"model\": \"\"",
            "rural.json: model: expected the name of a registered model");
    refused("\"model\": \"province_pd\"", "\"model\": 7", "model: expected the name");
    refused("\"appetite\": {\"industries\"", "\"appetite\": {\"industry\"",
            "rural.json: appetite: unknown member 'industry' (expected purposes, industries, "
            "regions, size_classes)");
    refused("[\"A\", \"C\", \"F\", \"G\"]", "[]",
            "appetite.industries: expected a non-empty array of strings");
    refused("[\"A\", \"C\", \"F\", \"G\"]", "[\"A\", 3]",
            "appetite.industries[1]: expected a non-empty string");
    refused("\"appetite\": {\"industries\": [\"A\", \"C\", \"F\", \"G\"]}",
            "\"appetite\": []", "appetite: expected an object");
    refused("\"SCORE_TOO_LOW\": \"the credit", "\"SCORE_TOO_HIGH\": \"the credit",
            "rural.json: field reasons, value 'SCORE_TOO_HIGH': expected the code of a knock-out or "
            "eligibility rule of this policy, got a code no rule gives");
    refused("\"the credit score is below the 580 this loan needs\"", "7",
            "field reasons, value 'SCORE_TOO_LOW': expected a string, the sentence a firm reads");
    refused("\"the credit score is below the 580 this loan needs\"", "\"\"",
            "field reasons, value 'SCORE_TOO_LOW': expected a sentence of 1 to 300 bytes, got 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_and_appetite),
        cmocka_unit_test(test_reason_words),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
