/*
 * Profile scoring: the five dimensions and the class rules, on feature
 * values small enough to check by hand.
 */
#include "ph_test.h"

#include <math.h>
#include <string.h>

/* Feature values by name; anything not listed is missing. */
typedef struct named_value {
    const char *name;
    double value;
} named_value;

typedef struct firm {
    const named_value *values;
    size_t count;
} firm;

static double lookup(void *user, const char *feature)
{
    const firm *f = user;
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->values[i].name, feature) == 0)
            return f->values[i].value;
    return NAN;
}

#define FIRM(values) {values, sizeof(values) / sizeof(values[0])}

static const ph_profile_component *component(const ph_profile_dimension_score *d,
                                             const char *feature)
{
    for (size_t i = 0; i < d->component_count; i++)
        if (strcmp(d->components[i].feature, feature) == 0)
            return &d->components[i];
    fail_msg("no component %s in %s", feature, d->name);
    return NULL;
}

static void test_digital_footprint_by_hand(void **state)
{
    (void)state;
    /* weights: coverage_share 3, four has_* flags 1 each, active_days_3m 1 = 8.
     * has_power is missing, so 7 of 8 are seen: coverage 0.875.
     * points: 0.5 -> 50 (x3), has_payments 100, has_vat 0, has_social_security
     * 100, 30 active days of 60 -> 50: (150 + 100 + 0 + 100 + 50) / 7. */
    static const named_value v[] = {
        {"coverage_share", 0.5},  {"has_payments", 1},   {"has_vat", 0},
        {"has_social_security", 1}, {"active_days_3m", 30},
    };
    firm f = FIRM(v);
    ph_profile_scores s;
    ph_error err;
    ph_assert_ok(ph_profile_score(lookup, &f, 'F', &s, &err), &err);
    const ph_profile_dimension_score *d = &s.dimensions[PH_PROFILE_DIGITAL_FOOTPRINT];
    assert_string_equal(d->name, "digital_footprint");
    assert_string_equal(d->name_zh, "数字足迹");
    assert_true(fabs(d->coverage - 0.875) < 1e-12);
    assert_true(fabs(d->score - 400.0 / 7.0) < 1e-9);
    const ph_profile_component *power = component(d, "has_power");
    assert_true(isnan(power->value));
    assert_true(isnan(power->points));
    assert_true(fabs(component(d, "active_days_3m")->points - 50.0) < 1e-12);
    /* nothing else is known: those dimensions are unscored, not perfect */
    assert_true(isnan(s.dimensions[PH_PROFILE_CREDIT_HISTORY].score));
    assert_true(isnan(s.dimensions[PH_PROFILE_OPERATING_STABILITY].score));
    assert_true(s.dimensions[PH_PROFILE_OPERATING_STABILITY].coverage == 0);
}

static void test_points_are_clamped_and_directed(void **state)
{
    (void)state;
    /* credit history: max_dpd_12m lower is better, 0..90: 45 days -> 50;
     * tax_grade_score higher is better 0..4: 4 -> 100; an absurd 1000 late
     * payments clamp at 0, not below. Weights 2, 2, 1 of 11 seen: 5/11 < 0.5,
     * so the dimension is unscored; add the rest and it is. */
    static const named_value few[] = {
        {"max_dpd_12m", 45}, {"tax_grade_score", 4}, {"tax_late_count_12m", 1000},
    };
    firm f = FIRM(few);
    ph_profile_scores s;
    ph_error err;
    ph_assert_ok(ph_profile_score(lookup, &f, 'C', &s, &err), &err);
    const ph_profile_dimension_score *d = &s.dimensions[PH_PROFILE_CREDIT_HISTORY];
    assert_true(fabs(component(d, "max_dpd_12m")->points - 50.0) < 1e-12);
    assert_true(fabs(component(d, "tax_grade_score")->points - 100.0) < 1e-12);
    assert_true(component(d, "tax_late_count_12m")->points == 0.0);
    assert_true(fabs(d->coverage - 5.0 / 11.0) < 1e-12);
    assert_true(isnan(d->score));

    static const named_value all[] = {
        {"max_dpd_12m", 45},        {"tax_grade_score", 4}, {"tax_late_count_12m", 1000},
        {"overdue_months_12m", 0},  {"ss_late_months_12m", 3}, {"litigation_count_12m", 0},
        {"enforcement_open", 0},    {"penalty_serious_24m", 0},
    };
    firm g = FIRM(all);
    ph_assert_ok(ph_profile_score(lookup, &g, 'C', &s, &err), &err);
    d = &s.dimensions[PH_PROFILE_CREDIT_HISTORY];
    /* 2*50 + 2*100 + 1*0 + 1*100 + 1*50 + 1*100 + 2*100 + 1*100 = 850 over 11 */
    assert_true(fabs(d->score - 850.0 / 11.0) < 1e-9);
    assert_true(d->coverage == 1.0);
}

typedef struct class_case {
    char section;
    named_value values[3];
    size_t count;
    const char *class_name;
    const char *subclass;
} class_case;

static void test_class_rules(void **state)
{
    (void)state;
    static const class_case cases[] = {
        /* distress comes before everything, whatever the industry */
        {'I', {{"enforcement_open", 1}, {"invention_patents", 5}}, 2, "in_transition",
         "distressed"},
        {'C', {{"max_dpd_12m", 30}}, 1, "in_transition", "distressed"},
        {'F', {{"inflow_growth_3m", -0.31}, {"coverage_share", 1}}, 2, "in_transition",
         "declining"},
        /* no footprint is its own class: never a clean "stable" firm */
        {'C', {{"coverage_share", 0}}, 1, "in_transition", "thin_data"},
        {'C', {{"coverage_share", 0.5}, {"invention_patents", 2}}, 2, "high_potential_tech",
         "patent_rich"},
        {'F', {{"coverage_share", 0.5}, {"patents_total", 1}, {"sales_yoy_3m", 0.2}}, 3,
         "high_potential_tech", "fast_growing"},
        {'I', {{"coverage_share", 0.5}, {"age_months", 20}}, 2, "high_potential_tech",
         "early_stage"},
        /* the same young firm outside I and M is not "tech" */
        {'F', {{"coverage_share", 0.5}, {"age_months", 20}}, 2, "volatile_services", "trade"},
        {'C', {{"coverage_share", 0.5}, {"chain_member", 1}}, 2, "stable_manufacturing",
         "chain_supplier"},
        {'C', {{"coverage_share", 0.5}, {"power_volatility_12m", 0.2}}, 2,
         "stable_manufacturing", "steady_power"},
        {'C', {{"coverage_share", 0.5}, {"power_volatility_12m", 0.9}}, 2,
         "stable_manufacturing", "general_manufacturing"},
        {'H', {{"coverage_share", 0.5}}, 1, "volatile_services", "consumer_services"},
        {'E', {{"coverage_share", 0.5}}, 1, "volatile_services", "project_and_seasonal"},
        /* a missing value never triggers a rule */
        {'E', {{"coverage_share", 0.5}, {"max_dpd_12m", NAN}}, 2, "volatile_services",
         "project_and_seasonal"},
        /* unknown industry: only section-free rules */
        {'\0', {{"coverage_share", 0.5}, {"chain_member", 1}}, 2, "volatile_services",
         "project_and_seasonal"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        firm f = {cases[i].values, cases[i].count};
        ph_profile_scores s;
        ph_error err;
        ph_assert_ok(ph_profile_score(lookup, &f, cases[i].section, &s, &err), &err);
        if (strcmp(s.class_name, cases[i].class_name) != 0 ||
            strcmp(s.subclass, cases[i].subclass) != 0)
            fail_msg("case %zu: expected %s/%s, got %s/%s", i, cases[i].class_name,
                     cases[i].subclass, s.class_name, s.subclass);
        assert_non_null(s.class_reason);
    }
    firm f = {cases[0].values, cases[0].count};
    ph_profile_scores s;
    ph_assert_ok(ph_profile_score(lookup, &f, 'I', &s, NULL), NULL);
    assert_string_equal(s.class_zh, "转型调整型");
    assert_string_equal(s.class_en, "in transition");
    assert_string_equal(s.class_reason, "a court enforcement against the firm is open");
}

static void test_key_components(void **state)
{
    (void)state;
    /* points: max_dpd_12m 90 -> 0 (w2), tax_late_count_12m 4 -> 0 (w1),
     * sales_growth_3m -0.1 -> 50 (neither side), age_months 120 -> 100 (w1),
     * status_abnormal 0 -> 100 (w2), coverage_share 0.75 -> 75 */
    static const named_value v[] = {
        {"max_dpd_12m", 90},    {"tax_late_count_12m", 4}, {"sales_growth_3m", -0.1},
        {"age_months", 120},    {"status_abnormal", 0},    {"coverage_share", 0.75},
    };
    firm f = FIRM(v);
    ph_profile_scores s;
    ph_error err;
    ph_assert_ok(ph_profile_score(lookup, &f, 'C', &s, &err), &err);
    const ph_profile_component *key[4];
    assert_int_equal(ph_profile_key_components(&s, key, 4), 4);
    /* concerns: equal points, heavier first; then strengths: same */
    assert_string_equal(key[0]->feature, "max_dpd_12m");
    assert_string_equal(key[1]->feature, "tax_late_count_12m");
    assert_string_equal(key[2]->feature, "status_abnormal");
    assert_string_equal(key[3]->feature, "age_months");
    /* an odd room gives the extra place to concerns; fewer concerns leave room */
    assert_int_equal(ph_profile_key_components(&s, key, 3), 3);
    assert_string_equal(key[2]->feature, "status_abnormal");
    const ph_profile_component *all[10];
    assert_int_equal(ph_profile_key_components(&s, all, 10), 5); /* the 50 is neither */
    assert_string_equal(all[4]->feature, "coverage_share");
    assert_int_equal(ph_profile_key_components(&s, all, 0), 0);
    assert_int_equal(ph_profile_key_components(NULL, all, 3), 0);
}

static void test_twelve_subclasses(void **state)
{
    (void)state;
    assert_int_equal(ph_profile_subclass_count(), 12);
}

static void test_errors(void **state)
{
    (void)state;
    firm f = {NULL, 0};
    ph_profile_scores s;
    ph_error err;
    ph_assert_error(ph_profile_score(NULL, &f, 'C', &s, &err), PH_EMISUSE, &err,
                    "value and out must not be NULL");
    ph_assert_error(ph_profile_score(lookup, &f, 'C', NULL, &err), PH_EMISUSE, &err,
                    "value and out must not be NULL");
    ph_assert_error(ph_profile_score(lookup, &f, 'Z', &s, &err), PH_EINVAL, &err,
                    "expected a GB/T 4754 section letter A to T");
    assert_string_equal(err.field, "industry_section");
    assert_string_equal(err.value, "Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digital_footprint_by_hand),
        cmocka_unit_test(test_points_are_clamped_and_directed),
        cmocka_unit_test(test_class_rules),
        cmocka_unit_test(test_key_components),
        cmocka_unit_test(test_twelve_subclasses),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
