/*
 * The feature catalogue: the names the profile code relies on, units,
 * dimensions, one-line descriptions, reason templates, value formatting and
 * the documentation it generates (docs/features.md is compared with it by
 * tests/cli/test_features.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "ph_test.h"

/* The names the profile module is written against, in catalogue order. */
static const char *const REQUIRED[] = {
    "has_vat", "has_tax", "has_social_security", "has_power", "has_payments",
    "has_credit_history", "coverage_share", "age_months", "status_abnormal", "sales_3m",
    "sales_12m", "sales_growth_3m", "sales_yoy_3m", "sales_trend_12m", "sales_volatility_12m",
    "sales_vs_peer_12m", "purchase_to_sales_12m", "top_buyer_share_3m",
    "months_without_sales_12m", "tax_paid_12m", "tax_late_count_12m", "tax_grade_score",
    "tax_grade_d", "headcount_last", "headcount_change_3m", "wage_base_3m", "wage_to_sales_12m",
    "ss_late_months_12m", "power_kwh_3m", "power_growth_3m", "power_yoy_3m",
    "power_volatility_12m", "power_vs_peer_3m", "inflow_1m", "inflow_3m", "inflow_12m",
    "inflow_growth_3m", "inflow_yoy_3m", "inflow_volatility_12m", "inflow_trend_12m",
    "inflow_vs_peer_12m", "payments_to_sales_12m", "active_days_3m", "days_since_last_inflow",
    "litigation_count_12m", "litigation_open", "enforcement_open", "penalty_count_12m",
    "penalty_serious_24m", "environment_penalty_24m", "days_since_penalty", "loans_open",
    "loan_balance", "max_dpd_12m", "overdue_months_12m", "credit_white",
    "credit_history_months", "subsidy_12m", "green_subsidy_24m", "patents_total",
    "invention_patents", "chain_member", "chain_tier", "industry_growth_12m",
    "region_growth_12m"};

static void test_required_names(void **state)
{
    (void)state;
    size_t n = sizeof(REQUIRED) / sizeof(REQUIRED[0]);
    assert_int_equal(ph_feature_count(), PH_FEATURE_COUNT);
    assert_int_equal(n, PH_FEATURE_COUNT);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ph_feature_index(REQUIRED[i]), (int)i);
        assert_ptr_equal(ph_feature_find(REQUIRED[i]), ph_feature_at(i));
    }
    assert_null(ph_feature_at(PH_FEATURE_COUNT));
    assert_int_equal(ph_feature_index("no_such_feature"), -1);
    assert_int_equal(ph_feature_index(NULL), -1);
    assert_null(ph_feature_find("Sales_3m"));
}

static void test_every_entry_is_complete(void **state)
{
    (void)state;
    static const char *const units[] = {"yuan", "ratio", "people", "kWh", "days",
                                        "months", "count", "flag", "score"};
    for (size_t i = 0; i < ph_feature_count(); i++) {
        const ph_feature *f = ph_feature_at(i);
        int unit_ok = 0;
        for (size_t u = 0; u < 9; u++)
            unit_ok |= strcmp(ph_feature_unit_name(f->unit), units[u]) == 0;
        assert_true(unit_ok);
        assert_string_not_equal(ph_feature_dimension_name(f->dimension), "unknown");
        assert_string_not_equal(ph_feature_direction_name(f->direction), "unknown");
        assert_true(strlen(f->description) > 20 && strchr(f->description, '\n') == NULL);
        assert_true(strlen(f->sources) > 0);
        /* a value sentence has one "%s", "%+s" or "%~s" (a flag's none), after
         * at most one "%<a|b|...>" naming a score's levels, and no other
         * conversion; the zero, missing and topic forms have none */
        const char *mark = strchr(f->reason, '%');
        if (mark != NULL && mark[1] == '<') {
            assert_int_equal(f->unit, PH_UNIT_SCORE);
            assert_non_null(strchr(mark, '>'));
            mark = strchr(strchr(mark, '>'), '%');
        }
        if (f->unit == PH_UNIT_FLAG) {
            assert_null(mark);
        } else {
            assert_non_null(mark);
            assert_true(strncmp(mark, "%s", 2) == 0 || strncmp(mark, "%+s", 3) == 0 ||
                        strncmp(mark, "%~s", 3) == 0);
            /* a magnitude says its direction in words: "rose" or "fell" */
            assert_true((strncmp(mark, "%~s", 3) == 0) == (strchr(f->reason, '[') != NULL));
            assert_null(strchr(mark + 1, '%'));
        }
        assert_non_null(f->topic);
        assert_null(strchr(f->topic, '%'));
        assert_true(f->reason_zero == NULL || strchr(f->reason_zero, '%') == NULL);
        assert_true(f->reason_missing == NULL || strchr(f->reason_missing, '%') == NULL);
        /* every value sentence has a zero form: "0 months" never reads as words */
        assert_non_null(f->reason_zero);
        if (f->unit == PH_UNIT_YUAN)
            assert_int_equal(f->decimals, 2);
        if (f->unit == PH_UNIT_FLAG)
            assert_int_equal(f->decimals, 0);
        if (strncmp(f->name, "has_", 4) == 0) {
            assert_int_equal(f->unit, PH_UNIT_FLAG);
            assert_int_equal(f->dimension, PH_DIM_COVERAGE);
        }
    }
    assert_string_equal(ph_feature_unit_name(PH_UNIT_KWH), "kWh");
    assert_string_equal(ph_feature_unit_name((ph_feature_unit)99), "unknown");
    assert_string_equal(ph_feature_dimension_name(PH_DIM_INDUSTRY_PROSPERITY),
                        "industry_prosperity");
    assert_string_equal(ph_feature_dimension_name((ph_feature_dimension)-1), "unknown");
    assert_string_equal(ph_feature_direction_name(PH_DIRECTION_HIGHER_WORSE), "higher_worse");
    assert_string_equal(ph_feature_direction_name((ph_feature_direction)7), "unknown");
    const ph_feature *f = ph_feature_find("inflow_growth_3m");
    assert_int_equal(f->unit, PH_UNIT_RATIO);
    assert_int_equal(f->dimension, PH_DIM_DIGITAL_FOOTPRINT);
    assert_int_equal(f->direction, PH_DIRECTION_HIGHER_BETTER);
    assert_int_equal(ph_feature_find("sales_vs_peer_12m")->dimension, PH_DIM_INDUSTRY_PROSPERITY);
    assert_int_equal(ph_feature_find("max_dpd_12m")->direction, PH_DIRECTION_HIGHER_WORSE);
    assert_true(ph_feature_is_missing(ph_feature_missing()));
    assert_false(ph_feature_is_missing(0.0));
}

static void expect_format(const char *name, double value, const char *text)
{
    char buf[64];
    ph_error err;
    ph_assert_ok(ph_feature_format((size_t)ph_feature_index(name), value, buf, sizeof(buf), &err),
                 &err);
    assert_string_equal(buf, text);
}

static void test_format(void **state)
{
    (void)state;
    expect_format("sales_3m", 12345.678, "12345.68");
    expect_format("sales_3m", NAN, "");
    expect_format("sales_growth_3m", -0.0001, "-0.000100");
    expect_format("sales_growth_3m", -0.0000001, "0.000000"); /* no negative zero */
    expect_format("loan_balance", -0.0, "0.00");
    expect_format("has_power", 1.0, "1");
    expect_format("power_kwh_3m", 930.0, "930.0");
    expect_format("days_since_last_inflow", 54.0, "54");
    char small[4];
    ph_error err;
    ph_assert_error(ph_feature_format(0, 12345.0, small, sizeof(small), &err), PH_EMISUSE, &err,
                    "field buf: expected room for 6 bytes, got 4");
    ph_assert_error(ph_feature_format(PH_FEATURE_COUNT, 1.0, small, sizeof(small), &err),
                    PH_ERANGE, &err, "field feature, value '65': expected an index below 65");
    ph_assert_error(ph_feature_format(0, 1.0, NULL, 0, &err), PH_EMISUSE, &err,
                    "expected room for 2 bytes, got 0");
}

static void expect_reason(const char *name, double value, const char *text)
{
    char buf[256];
    ph_error err;
    ph_assert_ok(ph_feature_reason((size_t)ph_feature_index(name), value, buf, sizeof(buf), &err),
                 &err);
    assert_string_equal(buf, text);
}

static void test_reasons(void **state)
{
    (void)state;
    expect_reason("inflow_growth_3m", -0.42,
                  "payment inflow fell by 42% over the last 3 months against the 3 before");
    expect_reason("power_growth_3m", -0.4249,
                  "electricity use fell by 42% over the last 3 months against the 3 before");
    expect_reason("headcount_change_3m", -15,
                  "social-security headcount fell by 15 people over 3 months");
    expect_reason("headcount_change_3m", 1,
                  "social-security headcount rose by 1 person over 3 months");
    expect_reason("top_buyer_share_3m", 0.815, "the largest buyer takes 82% of invoiced sales");
    expect_reason("days_since_last_inflow", 30, "no incoming payment for 30 days");
    expect_reason("sales_12m", 1234567.5,
                  "invoiced sales of the last 12 months were 1,234,567.50 yuan");
    /* Yuan to the fen as the market's facts take them (ph_money_from_yuan_double):
     * half to even at 1e-8 yuan, not the binary noise of the double. */
    expect_reason("inflow_1m", 0.005, "no incoming payments in the last month");
    expect_reason("inflow_1m", 2.675, "payment inflow of the last month was 2.68 yuan");
    expect_reason("has_power", 0, "no electricity data in the last 12 months");
    expect_reason("has_power", 1, "electricity data covers the firm");
    expect_reason("litigation_open", 2, "2 open court cases against the firm");
    expect_reason("sales_3m", NAN, "no data on invoiced sales of the last 3 months");
    /* zero and missing read as words, never "0 months" or "missing ago" */
    expect_reason("months_without_sales_12m", 0,
                  "invoiced sales in every reported month of the last 12");
    expect_reason("months_without_sales_12m", 1, "no invoiced sales in 1 month of the last 12");
    expect_reason("age_months", NAN, "the firm's registration date is unknown");
    expect_reason("litigation_open", 1, "1 open court case against the firm");
    expect_reason("litigation_open", 0, "no open court cases against the firm");
    expect_reason("sales_growth_3m", 0.153,
                  "invoiced sales rose by 15% over the last 3 months against the 3 before");
    expect_reason("inflow_vs_peer_12m", -0.25,
                  "payment inflow of the last 12 months was 25% below the peer median");
    expect_reason("sales_trend_12m", 0.031,
                  "invoiced sales trended up by 3% a month over the last 12 months");
    expect_reason("top_buyer_share_3m", 0.004, "the largest buyer takes 0.4% of invoiced sales");
    expect_reason("power_kwh_3m", 9300.46, "electricity use of the last 3 months was 9,300 kWh");
    char small[8];
    ph_error err;
    ph_assert_error(ph_feature_reason(0, 1, small, sizeof(small), &err), PH_EMISUSE, &err,
                    "field buf: expected room for 33 bytes, got 8");
    ph_assert_error(ph_feature_reason(999, 1, small, sizeof(small), &err), PH_ERANGE, &err,
                    "value '999'");
    char buf[256];
    ph_assert_ok(ph_feature_reason_state((size_t)ph_feature_index("inflow_12m"),
                                         PH_FEATURE_NOT_CONSENTED, 5.0, buf, sizeof(buf), &err),
                 &err);
    assert_string_equal(buf, "the firm has not consented to this lender reading its payment "
                             "flows (payment inflow of the last 12 months)");
    ph_assert_ok(ph_feature_reason_state((size_t)ph_feature_index("inflow_12m"),
                                         PH_FEATURE_MISSING, 5.0, buf, sizeof(buf), &err),
                 &err);
    assert_string_equal(buf, "no data on payment inflow of the last 12 months");
    ph_assert_error(ph_feature_reason_state(0, (ph_feature_state)9, 1, buf, sizeof(buf), &err),
                    PH_EINVAL, &err, "expected PH_FEATURE_VALUE");
}

static void test_doc(void **state)
{
    (void)state;
    char *dir = ph_test_tmpdir("features_doc");
    char *path = ph_test_path(dir, "features.md");
    FILE *f = fopen(path, "w+");
    assert_non_null(f);
    ph_error err;
    ph_assert_ok(ph_feature_doc_write(f, &err), &err);
    rewind(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "# Features\n"));
    assert_non_null(strstr(text, "| 37 | `inflow_growth_3m` | ratio | digital_footprint | better "
                                 "| payments_daily | incoming payments of the last 3 months "
                                 "against the 3 before, minus 1 |\n"));
    size_t rows = 0;
    for (const char *p = text; (p = strstr(p, "\n| ")) != NULL; p++)
        rows++;
    assert_int_equal(rows, PH_FEATURE_COUNT + 1); /* the header row too */
    ph_assert_error(ph_feature_doc_write(NULL, &err), PH_EMISUSE, &err,
                    "ph_feature_doc_write: out is NULL");
    ph_test_rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required_names),
        cmocka_unit_test(test_every_entry_is_complete),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_doc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
