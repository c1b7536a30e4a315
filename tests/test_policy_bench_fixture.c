/*
 * The benchmark's policy (tests/fixtures/policies/bench_50_rules.json, run
 * by bench/bench_decide.c): it loads, has the rules it claims, and gives two
 * decisions worked out by hand: an approval with its limit and rate to the
 * fen and the 1e-8 unit, and a decline with every reason in order.
 */
#include "support/ph_test.h"

#include <stdlib.h>
#include <string.h>

#define D(x) ((ph_decimal)(x) * PH_DECIMAL_ONE)

typedef struct fixture {
    ph_ctx *ctx;
    ph_policy *policy;
    ph_policy_run *run;
    ph_value in[32];
} fixture;

static ph_decimal dec(const char *s)
{
    ph_decimal d = 0;
    ph_error err;
    ph_assert_ok(ph_decimal_parse(s, strlen(s), &d, &err), &err);
    return d;
}

static void set(fixture *f, const char *name, ph_value v)
{
    long i = ph_policy_input_index(f->policy, name);
    assert_true(i >= 0 && i < 32);
    f->in[i] = v;
}

/*
 * A manufacturer (section C) scoring 700 (grade A2, spread 0.70%) in
 * December (seasonal 1.1), sales volatility 0.3 (coefficient 1.0), with a
 * concentrated buyer (+20bp), falling inflow (+15bp), one lawsuit (+10bp),
 * a guarantor (-10bp, and the 0.80% fee) and a green project (-20bp).
 */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &f->ctx, &err), &err);
    char *path = ph_test_fixture("policies/bench_50_rules.json");
    ph_assert_ok(ph_policy_load_file(f->ctx, path, &f->policy, &err), &err);
    free(path);
    ph_assert_ok(ph_policy_run_new(f->policy, &f->run, &err), &err);
    set(f, "business_status", ph_value_text("存续"));
    set(f, "tax_grade", ph_value_text("B"));
    set(f, "court_enforcement", ph_value_bool(0));
    set(f, "fraud_flag", ph_value_bool(0));
    set(f, "enforcement_open", ph_value_decimal(0));
    set(f, "max_dpd_12m", ph_value_decimal(0));
    set(f, "overdue_months_12m", ph_value_decimal(0));
    set(f, "litigation_count_12m", ph_value_decimal(D(1)));
    set(f, "age_months", ph_value_decimal(D(60)));
    set(f, "amount", ph_value_decimal(D(2000000)));
    set(f, "term", ph_value_decimal(D(24)));
    set(f, "score", ph_value_decimal(D(700)));
    set(f, "pd", ph_value_decimal(dec("0.01")));
    set(f, "industry_section", ph_value_text("C"));
    set(f, "sales_volatility_12m", ph_value_decimal(dec("0.3")));
    set(f, "month", ph_value_decimal(D(12)));
    set(f, "inflow_12m", ph_value_decimal(dec("4123456.78")));
    set(f, "inflow_growth_3m", ph_value_decimal(dec("-0.2")));
    set(f, "top_buyer_share_3m", ph_value_decimal(dec("0.7")));
    set(f, "annual_debt_service", ph_value_decimal(D(100000)));
    set(f, "lpr", ph_value_decimal(dec("3.45%")));
    set(f, "green", ph_value_bool(1));
    set(f, "guarantor", ph_value_bool(1));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_policy_run_free(f->run);
    ph_policy_free(f->policy);
    ph_ctx_free(f->ctx);
    free(f);
    return 0;
}

static const ph_value *value_of(const fixture *f, const ph_policy_outcome *o, const char *name)
{
    long i = ph_policy_value_index(f->policy, name);
    assert_true(i >= 0 && (size_t)i < o->n_values);
    return &o->values[i];
}

static void test_rules(void **state)
{
    fixture *f = *state;
    assert_int_equal(ph_policy_input_count(f->policy), 23);
    assert_int_equal(ph_policy_step_count(f->policy), 13);
    static const size_t per_table[] = {8, 8, 8, 15, 5, 3, 6};
    size_t tables = 0, rules = 0;
    for (size_t s = 0; s < ph_policy_step_count(f->policy); s++) {
        const ph_dtable *t = ph_policy_step_table(f->policy, s);
        if (t) {
            assert_int_equal(ph_dtable_rule_count(t), per_table[tables++]);
            rules += ph_dtable_rule_count(t);
        }
    }
    assert_int_equal(tables, 7);
    assert_int_equal(rules, 53);
}

/*
 * limit = min(5,000,000, amount 2,000,000, 4,123,456.78 x 25% x 1.0 x 1.1 =
 * 1,133,950.6145, debt cap 4,123,456.78 x 30% - 100,000 = 1,137,037.034),
 * down to the fen: 1,133,950.61 yuan. rate = min(3.45% + 0.70% + 0.15% +
 * 0.80%, 4 x 3.45%) = 5.10%.
 */
static void test_approval_by_hand(void **state)
{
    fixture *f = *state;
    ph_policy_outcome o;
    ph_error err;
    ph_assert_ok(ph_policy_eval(f->policy, f->run, f->in, &o, &err), &err);
    assert_int_equal(o.approved, 1);
    assert_int_equal(o.n_reasons, 0);
    assert_int_equal(o.has_limit, 1);
    assert_int_equal(o.limit, 113395061);
    assert_int_equal(o.has_rate, 1);
    assert_int_equal(o.rate, 5100000);
    const ph_value *grade = value_of(f, &o, "grade");
    assert_int_equal(grade->kind, PH_VALUE_TEXT);
    assert_int_equal(grade->as.text.len, 2);
    assert_memory_equal(grade->as.text.ptr, "A2", 2);
    assert_int_equal(value_of(f, &o, "spread")->as.decimal, dec("0.70%"));
    assert_int_equal(value_of(f, &o, "price_adj")->as.decimal, dec("15bp"));
    assert_int_equal(value_of(f, &o, "volatility_coeff")->as.decimal, dec("1.0"));
    assert_int_equal(value_of(f, &o, "seasonal_factor")->as.decimal, dec("1.1"));
    assert_int_equal(value_of(f, &o, "dscr_cap")->as.decimal, dec("1137037.034"));
    assert_int_equal(value_of(f, &o, "limit")->as.decimal, dec("1133950.6145"));
}

/* Tax grade D and 95 days past due knock it out; the amount above the
 * product, the score, the PD and the firm's age make it ineligible too. */
static void test_decline_by_hand(void **state)
{
    fixture *f = *state;
    set(f, "tax_grade", ph_value_text("D"));
    set(f, "max_dpd_12m", ph_value_decimal(D(95)));
    set(f, "amount", ph_value_decimal(D(6000000)));
    set(f, "score", ph_value_decimal(D(510)));
    set(f, "pd", ph_value_decimal(dec("0.25")));
    set(f, "age_months", ph_value_decimal(D(8)));
    ph_policy_outcome o;
    ph_error err;
    ph_assert_ok(ph_policy_eval(f->policy, f->run, f->in, &o, &err), &err);
    assert_int_equal(o.approved, 0);
    static const char *const want[] = {"TAX_GRADE_D",   "SERIOUS_DELINQUENCY",
                                       "AMOUNT_OUT_OF_RANGE", "SCORE_TOO_LOW",
                                       "PD_TOO_HIGH",   "FIRM_TOO_YOUNG"};
    assert_int_equal(o.n_reasons, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(o.reasons[i].code, want[i]);
    assert_int_equal(o.reasons[0].kind, PH_POLICY_STEP_KNOCKOUT);
    assert_string_equal(o.reasons[1].table, "knockouts");
    assert_int_equal(o.reasons[1].rule, 6);
    assert_int_equal(o.reasons[1].n_read, 1);
    assert_string_equal(o.reasons[1].read_names[0], "max_dpd_12m");
    assert_int_equal(o.reasons[1].read_values[0].as.decimal, D(95));
    assert_int_equal(o.reasons[4].kind, PH_POLICY_STEP_ELIGIBILITY);
    assert_string_equal(o.reasons[4].read_names[0], "pd");
    assert_int_equal(o.reasons[4].read_values[0].as.decimal, dec("0.25"));
    /* Grade D2 prices at the catch-all spread; the limit is still worked out. */
    assert_int_equal(value_of(f, &o, "spread")->as.decimal, dec("1.60%"));
    assert_int_equal(o.limit, 113395061);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_approval_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decline_by_hand, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
