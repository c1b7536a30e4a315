/*
 * Lender policies: the reference bank policy
 * (docs/domain.md#decisions-and-the-marketplace: knock-outs, eligibility, risk
 * grade, limit to the fen, price to the 1e-8 unit with cap, green discount
 * and guarantee fee), missing data, located load errors, the trace.
 */
#include "support/ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D(x) ((ph_decimal)(x) * PH_DECIMAL_ONE)

static ph_ctx *ctx_new(void)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    return ctx;
}

static ph_decimal dec(const char *s)
{
    ph_decimal d = 0;
    ph_error err;
    ph_assert_ok(ph_decimal_parse(s, strlen(s), &d, &err), &err);
    return d;
}

/* ---- the fixture ------------------------------------------------------------------ */

typedef struct fixture {
    ph_ctx *ctx;
    ph_policy *policy;
    ph_policy_run *run;
    ph_value in[32];
} fixture;

static void set(fixture *f, const char *name, ph_value v)
{
    long i = ph_policy_input_index(f->policy, name);
    assert_true(i >= 0);
    f->in[i] = v;
}

/* A good application: limit bound by 5 x inflow x 0.7 x 0.9, grade B. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_error err;
    f->ctx = ctx_new();
    char *path = ph_test_fixture("policies/brief_bank.json");
    ph_assert_ok(ph_policy_load_file(f->ctx, path, &f->policy, &err), &err);
    free(path);
    ph_assert_ok(ph_policy_run_new(f->policy, &f->run, &err), &err);
    set(f, "business_status", ph_value_text("存续"));
    set(f, "tax_grade", ph_value_text("A"));
    set(f, "court_enforcement", ph_value_bool(0));
    set(f, "fraud_flag", ph_value_bool(0));
    set(f, "amount", ph_value_decimal(D(300000)));
    set(f, "term", ph_value_decimal(D(12)));
    set(f, "score", ph_value_decimal(D(700)));
    set(f, "industry_section", ph_value_text("F"));
    set(f, "month", ph_value_decimal(D(1)));
    set(f, "avg_inflow_12m", ph_value_decimal(dec("123456.78")));
    set(f, "annual_debt_service", ph_value_decimal(D(10000)));
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

static ph_policy_outcome eval(fixture *f)
{
    ph_policy_outcome o;
    ph_error err;
    ph_assert_ok(ph_policy_eval(f->policy, f->run, f->in, &o, &err), &err);
    return o;
}

static const ph_value *value_of(fixture *f, const ph_policy_outcome *o, const char *name)
{
    long i = ph_policy_value_index(f->policy, name);
    assert_true(i >= 0);
    assert_true((size_t)i < o->n_values);
    return &o->values[i];
}

/* The outcome's reason codes joined by spaces. */
static void codes(const ph_policy_outcome *o, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < o->n_reasons; i++) {
        strncat(buf, i ? " " : "", size - strlen(buf) - 1);
        strncat(buf, o->reasons[i].code, size - strlen(buf) - 1);
    }
}

static void assert_reasons(const ph_policy_outcome *o, const char *expected)
{
    char got[512];
    codes(o, got, sizeof(got));
    assert_string_equal(got, expected);
    assert_int_equal(o->approved, expected[0] == '\0');
}

static void test_accessors(void **state)
{
    fixture *f = *state;
    const ph_policy *p = f->policy;
    assert_string_equal(ph_policy_lender(p),
                        "91370000MA3C5EXAMPLE (illustrative city commercial bank)");
    assert_string_equal(ph_policy_name(p), "inclusive working-capital loan");
    assert_int_equal(ph_policy_version(p), 3);
    const ph_policy_product *prod = ph_policy_product_of(p);
    assert_string_equal(prod->name, "普惠流动资金贷");
    assert_int_equal(prod->min_amount, 5000000);
    assert_int_equal(prod->max_amount, 300000000);
    assert_int_equal(prod->min_term, 3);
    assert_int_equal(prod->max_term, 36);
    assert_string_equal(prod->repayment, "equal_installment");
    assert_int_equal(prod->has_guarantee_fee, 1);
    assert_int_equal(prod->guarantee_fee, 850000);
    assert_int_equal(ph_policy_input_count(p), 14);
    assert_string_equal(ph_policy_input_name(p, 2), "court_enforcement");
    assert_int_equal(ph_policy_input_kind(p, 2), PH_VALUE_BOOL);
    assert_null(ph_policy_input_name(p, 14));
    assert_int_equal(ph_policy_input_index(p, "lpr"), 11);
    assert_int_equal(ph_policy_input_index(p, "nope"), -1);
    assert_int_equal(ph_policy_step_count(p), 13);
    assert_int_equal(ph_policy_step_kind_at(p, 3), PH_POLICY_STEP_ELIGIBILITY);
    assert_string_equal(ph_policy_step_name(p, 4), "risk_grade");
    assert_string_equal(ph_dtable_name(ph_policy_step_table(p, 4)), "risk_grade");
    assert_null(ph_policy_step_table(p, 1));
    assert_string_equal(ph_policy_step_kind_name(PH_POLICY_STEP_KNOCKOUT), "knockout");
    /* 5 product constants + 14 inputs + 2 + 4 table outputs + 7 formulas. */
    assert_int_equal(ph_policy_value_count(p), 5 + 14 + 4 + 7);
    assert_string_equal(ph_policy_value_name(p, 0), "product_min_amount");
    assert_int_equal(ph_policy_value_index(p, "rate"), 29);
}

/* By hand: 5 x 123,456.78 x 0.7 x 0.9 = 388,888.857 (< dscr cap
 * 123,456.78 x 12 x 30% - 10,000 = 434,444.408 and < 3,000,000), rounded
 * down to 388,888.85 yuan. Rate: 3.45% + 1.20% (grade B) - 0.30% (green)
 * + 0.85% (guarantee fee) = 5.20% (< 4 x 3.45% = 13.8%). */
static void test_approved(void **state)
{
    fixture *f = *state;
    ph_policy_outcome o = eval(f);
    assert_reasons(&o, "");
    assert_int_equal(o.has_limit, 1);
    assert_int_equal(o.limit, 38888885);
    assert_int_equal(o.has_rate, 1);
    assert_int_equal(o.rate, 5200000);
    const ph_value *grade = value_of(f, &o, "grade");
    assert_int_equal(grade->kind, PH_VALUE_TEXT);
    assert_int_equal(grade->as.text.len, 1);
    assert_memory_equal(grade->as.text.ptr, "B", 1);
    assert_int_equal(value_of(f, &o, "dscr_cap")->as.decimal, dec("434444.408"));
    assert_int_equal(value_of(f, &o, "limit")->as.decimal, dec("388888.857"));
    assert_int_equal(value_of(f, &o, "spread")->as.decimal, dec("1.2%"));
    assert_int_equal(value_of(f, &o, "amount_in_range")->as.boolean, 1);
    /* The trace: risk_grade matched its second rule only. */
    const ph_dtable_result *res = ph_policy_run_table_result(f->run, 4);
    assert_non_null(res);
    assert_int_equal(ph_dtable_result_rule_matched(res, 0), 0);
    assert_int_equal(ph_dtable_result_rule_matched(res, 1), 1);
    assert_int_equal(res->matches[0], 1);
    assert_null(ph_policy_run_table_result(f->run, 1));
    assert_int_equal(ph_policy_run_table_result(f->run, 0)->match_count, 0);
}

/* The debt-service cap and the product cap bind when they are least. */
static void test_limit_caps(void **state)
{
    fixture *f = *state;
    set(f, "industry_section", ph_value_text("C"));
    set(f, "month", ph_value_decimal(D(12)));
    ph_policy_outcome o = eval(f);
    assert_reasons(&o, "");
    assert_int_equal(o.limit, 43444440); /* 434,444.408 down to the fen */
    set(f, "avg_inflow_12m", ph_value_decimal(D(2000000)));
    o = eval(f);
    assert_int_equal(o.limit, 300000000);
    /* Debt service beyond 30% of inflow: a negative cap is a decline. */
    set(f, "avg_inflow_12m", ph_value_decimal(D(10000)));
    set(f, "annual_debt_service", ph_value_decimal(D(40000)));
    o = eval(f);
    assert_reasons(&o, "LIMIT_NOT_POSITIVE");
    assert_int_equal(o.has_limit, 1);
    assert_int_equal(o.limit, -400000); /* 36,000 - 40,000 = -4,000 yuan */
    assert_null(o.reasons[0].table);
}

static void test_each_knockout(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *input;
        int is_bool;
        const char *text;
        const char *reason;
        size_t rule;
    } cases[] = {
        {"business_status", 0, "吊销", "BUSINESS_STATUS_ABNORMAL", 0},
        {"tax_grade", 0, "D", "TAX_GRADE_D", 2},
        {"court_enforcement", 1, NULL, "COURT_ENFORCEMENT", 3},
        {"fraud_flag", 1, NULL, "FRAUD_FLAG", 4},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_value saved = f->in[ph_policy_input_index(f->policy, cases[i].input)];
        set(f, cases[i].input, cases[i].is_bool ? ph_value_bool(1) : ph_value_text(cases[i].text));
        ph_policy_outcome o = eval(f);
        assert_reasons(&o, cases[i].reason);
        const ph_policy_reason *r = &o.reasons[0];
        assert_int_equal(r->kind, PH_POLICY_STEP_KNOCKOUT);
        assert_int_equal(r->step, 0);
        assert_string_equal(r->table, "knockouts");
        assert_int_equal(r->rule, cases[i].rule);
        assert_int_equal(r->n_read, 1);
        assert_string_equal(r->read_names[0], cases[i].input);
        assert_true(ph_value_equal(&r->read_values[0],
                                   &f->in[ph_policy_input_index(f->policy, cases[i].input)]));
        /* Still priced and limited: the trace is whole after a knock-out. */
        assert_int_equal(o.limit, 38888885);
        set(f, cases[i].input, saved);
    }
}

static void test_several_reasons(void **state)
{
    fixture *f = *state;
    set(f, "tax_grade", ph_value_text("D"));
    set(f, "fraud_flag", ph_value_bool(1));
    set(f, "amount", ph_value_decimal(D(3500000)));
    set(f, "score", ph_value_decimal(D(500)));
    ph_policy_outcome o = eval(f);
    assert_reasons(&o, "TAX_GRADE_D FRAUD_FLAG AMOUNT_OUT_OF_RANGE SCORE_TOO_LOW");
    assert_int_equal(o.reasons[2].kind, PH_POLICY_STEP_ELIGIBILITY);
    assert_int_equal(o.reasons[2].step, 3);
    assert_string_equal(o.reasons[2].table, "eligibility");
    assert_string_equal(o.reasons[2].read_names[0], "amount_in_range");
    assert_int_equal(o.reasons[2].read_values[0].kind, PH_VALUE_BOOL);
    assert_int_equal(o.reasons[2].read_values[0].as.boolean, 0);
    assert_string_equal(o.reasons[3].read_names[0], "score");
    assert_int_equal(o.reasons[3].read_values[0].as.decimal, D(500));
    /* A fresh evaluation forgets the old reasons. */
    set(f, "tax_grade", ph_value_text("B"));
    set(f, "fraud_flag", ph_value_bool(0));
    set(f, "amount", ph_value_decimal(D(3000000))); /* the maximum is in range */
    set(f, "score", ph_value_decimal(D(550)));
    o = eval(f);
    assert_reasons(&o, "");
}

static void test_amount_and_term_range(void **state)
{
    fixture *f = *state;
    set(f, "amount", ph_value_decimal(dec("49999.99")));
    ph_policy_outcome o = eval(f);
    assert_reasons(&o, "AMOUNT_OUT_OF_RANGE");
    set(f, "amount", ph_value_decimal(D(50000)));
    set(f, "term", ph_value_decimal(D(48)));
    o = eval(f);
    assert_reasons(&o, "TERM_OUT_OF_RANGE");
    set(f, "term", ph_value_decimal(D(2)));
    o = eval(f);
    assert_reasons(&o, "TERM_OUT_OF_RANGE");
    set(f, "term", ph_value_decimal(D(36)));
    o = eval(f);
    assert_reasons(&o, "");
}

static void test_rate_cap(void **state)
{
    fixture *f = *state;
    /* 0.5% + 1.20% - 0.30% + 0.85% = 2.25% > 4 x 0.5% = 2%. */
    set(f, "lpr", ph_value_decimal(dec("0.5%")));
    ph_policy_outcome o = eval(f);
    assert_reasons(&o, "");
    assert_int_equal(o.rate, 2000000);
    /* Just under the cap: 0.6% + 1.20% - 0.30% + 0.85% = 2.35% < 2.4%. */
    set(f, "lpr", ph_value_decimal(dec("0.6%")));
    o = eval(f);
    assert_int_equal(o.rate, 2350000);
}

static void test_green_and_guarantee(void **state)
{
    fixture *f = *state;
    set(f, "green", ph_value_bool(0));
    ph_policy_outcome o = eval(f);
    assert_int_equal(o.rate, 5500000); /* no 30bp discount */
    set(f, "guarantor", ph_value_bool(0));
    o = eval(f);
    assert_int_equal(o.rate, 4650000); /* 3.45% + 1.20%, no fee */
    set(f, "green", ph_value_bool(1));
    o = eval(f);
    assert_int_equal(o.rate, 4350000);
    assert_int_equal(value_of(f, &o, "green_discount")->as.decimal, dec("30bp"));
    assert_int_equal(value_of(f, &o, "guarantee_fee")->as.decimal, 0);
    /* Grade A by score 760: 3.45% + 0.80% - 0.30%. */
    set(f, "score", ph_value_decimal(D(760)));
    o = eval(f);
    assert_int_equal(o.rate, 3950000);
}

/* Missing data never approves silently: each null lands on a reason. */
static void test_null_inputs(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *input;
        const char *reasons;
    } cases[] = {
        {"avg_inflow_12m", "LIMIT_MISSING"},
        {"lpr", "RATE_MISSING"},
        {"business_status", "BUSINESS_STATUS_MISSING"},
        {"amount", "AMOUNT_MISSING"},
        {"term", "TERM_MISSING"},
        {"score", "SCORE_MISSING"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long k = ph_policy_input_index(f->policy, cases[i].input);
        ph_value saved = f->in[k];
        f->in[k] = ph_value_null();
        ph_policy_outcome o = eval(f);
        assert_reasons(&o, cases[i].reasons);
        f->in[k] = saved;
    }
    /* A missing grade input (no court data) is not a knock-out by itself, and
     * a missing green flag only forgoes the discount. */
    set(f, "court_enforcement", ph_value_null());
    set(f, "green", ph_value_null());
    ph_policy_outcome o = eval(f);
    assert_reasons(&o, "");
    assert_int_equal(o.rate, 5500000);
    set(f, "avg_inflow_12m", ph_value_null());
    set(f, "lpr", ph_value_null());
    o = eval(f);
    assert_reasons(&o, "LIMIT_MISSING RATE_MISSING");
    assert_int_equal(o.has_limit, 0);
    assert_int_equal(o.has_rate, 0);
}

static void test_eval_errors(void **state)
{
    fixture *f = *state;
    ph_policy_outcome o;
    ph_error err;
    set(f, "score", ph_value_text("700"));
    ph_assert_error(ph_policy_eval(f->policy, f->run, f->in, &o, &err), PH_EINVAL, &err,
                    "input 7 (score): expected decimal or null, got text");
    ph_assert_error(ph_policy_eval(f->policy, f->run, NULL, &o, &err), PH_EMISUSE, &err,
                    "ph_policy_eval: NULL argument");
}

/* The trace as JSON, read back from a temporary file. */
static char *trace_text(const ph_policy *p, const ph_policy_run *run)
{
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    ph_error err;
    ph_assert_ok(ph_policy_trace_write_json(p, run, tmp, &err), &err);
    long n = ftell(tmp);
    rewind(tmp);
    char *text = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(text, 1, (size_t)n, tmp), (size_t)n);
    fclose(tmp);
    return text;
}

static void test_trace_json(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_assert_error(ph_policy_trace_write_json(f->policy, f->run, stdout, &err), PH_EMISUSE,
                    &err, "after a successful ph_policy_eval");
    set(f, "tax_grade", ph_value_text("D"));
    set(f, "lpr", ph_value_decimal(dec("0.5%")));
    eval(f);
    char *text = trace_text(f->policy, f->run);
    const char *expected_parts[] = {
        "{\"policy\":{\"lender\":\"91370000MA3C5EXAMPLE (illustrative city commercial bank)\","
        "\"name\":\"inclusive working-capital loan\",\"version\":3},\"approved\":false,"
        "\"limit\":\"388888.85\",\"rate\":\"0.02\",\"reasons\":[{\"code\":\"TAX_GRADE_D\","
        "\"kind\":\"knockout\",\"step\":1,\"table\":\"knockouts\",\"rule\":3,"
        "\"read\":{\"tax_grade\":\"D\"}}],\"values\":{\"product_min_amount\":\"50000\",",
        "\"business_status\":\"存续\",",
        "\"court_enforcement\":false,",
        "\"limit\":\"388888.857\",",
        "\"steps\":[{\"kind\":\"knockout\",\"name\":\"knockouts\",\"matched\":[3]},"
        "{\"kind\":\"formula\",\"name\":\"amount_in_range\",\"value\":true},",
        "{\"kind\":\"table\",\"name\":\"risk_grade\",\"matched\":[2],"
        "\"outputs\":{\"grade\":\"B\"}},",
        "{\"kind\":\"formula\",\"name\":\"rate\",\"value\":\"0.02\"}]}\n",
    };
    for (size_t i = 0; i < sizeof(expected_parts) / sizeof(expected_parts[0]); i++)
        if (strstr(text, expected_parts[i]) == NULL)
            fail_msg("trace lacks\n  %s\ngot\n  %s", expected_parts[i], text);
    assert_memory_equal(text, expected_parts[0], strlen(expected_parts[0]));
    free(text);
}

static void test_trace_own_reasons(void **state)
{
    fixture *f = *state;
    set(f, "avg_inflow_12m", ph_value_null());
    eval(f);
    char *text = trace_text(f->policy, f->run);
    if (strstr(text, "\"approved\":false,\"limit\":null,\"rate\":\"0.052\","
                     "\"reasons\":[{\"code\":\"LIMIT_MISSING\"}],") == NULL)
        fail_msg("got %s", text);
    free(text);
}

/* Evaluation allocates nothing: count the context's allocations. */
static void *count_malloc(void *user, size_t size)
{
    ++*(size_t *)user;
    return malloc(size);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    ++*(size_t *)user;
    return realloc(ptr, size);
}

static void count_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static void test_eval_allocates_nothing(void **state)
{
    fixture *f = *state;
    size_t calls = 0;
    ph_allocator alloc = {count_malloc, count_realloc, count_free, &calls};
    ph_ctx_options opts = {.allocator = &alloc, .log_level = PH_LOG_OFF};
    ph_ctx *ctx = NULL;
    ph_policy *p = NULL;
    ph_policy_run *run = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&opts, &ctx, &err), &err);
    char *path = ph_test_fixture("policies/brief_bank.json");
    ph_assert_ok(ph_policy_load_file(ctx, path, &p, &err), &err);
    free(path);
    ph_assert_ok(ph_policy_run_new(p, &run, &err), &err);
    size_t before = calls;
    assert_true(before > 0);
    ph_policy_outcome o;
    for (int i = 0; i < 3; i++) {
        f->in[ph_policy_input_index(p, "fraud_flag")] = ph_value_bool(i == 1);
        ph_assert_ok(ph_policy_eval(p, run, f->in, &o, &err), &err);
        assert_int_equal(o.approved, i != 1);
    }
    assert_int_equal(calls, before);
    ph_policy_run_free(run);
    ph_policy_free(p);
    ph_ctx_free(ctx);
}

/* ---- load errors ------------------------------------------------------------------- */

/* A small policy with the variant's parts put in; ' stands for ", ` for \". A
 * macro, so that snprintf checks the format. */
#define BASE \
    "{'lender': 'L', 'name': 'N', 'version': 1%s," \
    " 'product': {'name': 'P', 'min_amount': '1,000', 'max_amount': '5,000'," \
    "  'min_term': 1, 'max_term': 12, 'repayment': 'bullet'}," \
    " 'inputs': [{'name': 'score', 'kind': 'decimal'}, {'name': 'tax_grade', 'kind': 'text'}]," \
    " 'tables': [{'name': 'ko', 'hit_policy': 'COLLECT'," \
    "   'inputs': [{'name': 'tax_grade', 'kind': '%s'}], 'outputs': []," \
    "   'rules': [{'when': ['%s'], 'then': []%s}]}," \
    "  {'name': 'grade', 'hit_policy': 'FIRST'," \
    "   'inputs': [{'name': 'score', 'kind': 'decimal'}]," \
    "   'outputs': [{'name': 'spread', 'kind': 'decimal'}]," \
    "   'rules': [{'when': ['>= 600'], 'then': ['1%%']}]}]," \
    " 'formulas': [{'name': 'limit', 'expr': '%s'}, {'name': 'rate', 'expr': '3%% + spread'}]," \
    " 'flow': [{'%s': 'ko'}, {'table': 'grade'}, {'formula': 'limit'}, {'formula': 'rate'}]}"

typedef struct variant {
    const char *extra;   /* more top-level members */
    const char *kind;    /* of ko's input */
    const char *cell;
    const char *reason;
    const char *limit;
    const char *step;
} variant;

static const variant GOOD = {"", "text", "`D`", ", 'reason': 'TAX_D'", "1000 + score",
                             "knockout"};

static char *policy_text(const variant *v)
{
    char tmpl[4096], *out = malloc(8192), *o = out;
    snprintf(tmpl, sizeof(tmpl), BASE, v->extra, v->kind, v->cell, v->reason, v->limit,
             v->step);
    for (const char *p = tmpl; *p; p++) {
        if (*p == '\'') {
            *o++ = '"';
        } else if (*p == '`') {
            *o++ = '\\';
            *o++ = '"';
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static void load_fails(const variant *v, ph_status code, const char *message)
{
    ph_ctx *ctx = ctx_new();
    char *text = policy_text(v);
    ph_policy *p = NULL;
    ph_error err;
    ph_status st = ph_policy_load_text(ctx, text, strlen(text), "policy.json", &p, &err);
    free(text);
    ph_assert_error(st, code, &err, message);
    if (strcmp(err.message, message) != 0)
        fail_msg("message\n  got:      %s\n  expected: %s", err.message, message);
    assert_null(p);
    ph_ctx_free(ctx);
}

/* GOOD with the first `from` replaced by `to` (both in JSON, with " as is)
 * must fail with exactly `message`. */
static void replaced_fails(const char *from, const char *to, ph_status code,
                           const char *message)
{
    char *good = policy_text(&GOOD), *at = strstr(good, from);
    if (at == NULL)
        fail_msg("'%s' is not in the policy", from);
    char *text = malloc(strlen(good) + strlen(to) + 1);
    size_t head = (size_t)(at - good);
    memcpy(text, good, head);
    strcpy(text + head, to);
    strcat(text, at + strlen(from));
    ph_ctx *ctx = ctx_new();
    ph_policy *p = NULL;
    ph_error err;
    ph_status st = ph_policy_load_text(ctx, text, strlen(text), "policy.json", &p, &err);
    free(good);
    free(text);
    ph_assert_error(st, code, &err, message);
    if (strcmp(err.message, message) != 0)
        fail_msg("message\n  got:      %s\n  expected: %s", err.message, message);
    assert_null(p);
    ph_ctx_free(ctx);
}

static void test_load_errors_flow(void **state)
{
    (void)state;
    replaced_fails("{\"formula\": \"limit\"}, ", "", PH_EINVAL,
                   "policy.json: formula 'limit' is not run by the flow");
    replaced_fails("{\"table\": \"grade\"}, ", "", PH_EINVAL,
                   "policy.json: formula 'rate': field expression, value '3% + spread': "
                   "unknown variable 'spread' at column 6");
    replaced_fails("{\"knockout\": \"ko\"}, ", "", PH_EINVAL,
                   "policy.json: table 'ko' is not run by the flow");
    replaced_fails("{\"formula\": \"rate\"}", "{\"formula\": \"limit\"}", PH_EINVAL,
                   "policy.json: flow step 4 (formula 'limit'): already run by flow step 3");
    replaced_fails("{\"name\": \"rate\", \"expr\": \"3% + spread\"}",
                   "{\"name\": \"rates\", \"expr\": \"3% + spread\"}", PH_EINVAL,
                   "policy.json: flow step 4 (formula 'rate'): no formula of that name in "
                   "\"formulas\"");
    replaced_fails("{\"formula\": \"rate\"}", "{\"table\": \"nope\"}", PH_EINVAL,
                   "policy.json: flow step 4 (table 'nope'): no table of that name in "
                   "\"tables\"");
    replaced_fails("{\"name\": \"spread\", \"kind\": \"decimal\"}",
                   "{\"name\": \"score\", \"kind\": \"decimal\"}", PH_EINVAL,
                   "policy.json: flow step 2 (table 'grade'): 'score' is defined already "
                   "(value 6 of the environment)");
    replaced_fails("\"name\": \"rate\", \"expr\": \"3% + spread\"",
                   "\"name\": \"rate\", \"expr\": \"3% + spread\", \"note\": 1", PH_EINVAL,
                   "policy.json: formula 2: unknown member 'note' (expected name, expr)");
    replaced_fails("\"name\": \"rate\", \"expr\": \"3% + spread\"",
                   "\"name\": \"limit\", \"expr\": \"3% + spread\"", PH_EINVAL,
                   "policy.json: formula 'limit' is defined twice (formulas 1 and 2)");
    replaced_fails("\"expr\": \"3% + spread\"", "\"expr\": \"spread > 1\"", PH_EINVAL,
                   "policy.json: flow: 'rate' must be a decimal, got bool");
    replaced_fails("\"hit_policy\": \"COLLECT\"", "\"hit_policy\": \"FIRST\"", PH_EINVAL,
                   "policy.json: flow step 1 (knockout 'ko'): expected a COLLECT table without "
                   "aggregation (every matching rule is a reason), got FIRST");
    replaced_fails("{\"knockout\": \"ko\"}", "{\"knockout\": \"ko\", \"x\": 1}", PH_EINVAL,
                   "policy.json: flow step 1: expected an object with one member, one of "
                   "knockout, eligibility, table, formula, naming a table or formula");
}

static void test_load_errors_header(void **state)
{
    (void)state;
    replaced_fails("\"repayment\": \"bullet\"", "\"repayment\": \"bullet\", \"fee\": 1",
                   PH_EINVAL, "policy.json: product: unknown member 'fee' (expected name, "
                   "min_amount, max_amount, min_term, max_term, repayment, guarantee_fee)");
    replaced_fails("\"min_amount\": \"1,000\"", "\"min_amount\": \"9,000\"", PH_EINVAL,
                   "policy.json: product: expected 0 < min_amount <= max_amount");
    replaced_fails("\"max_term\": 12", "\"max_term\": 0", PH_EINVAL,
                   "policy.json: product: expected 1 <= min_term <= max_term <= 600 (months), "
                   "got 1 and 0");
    replaced_fails("\"version\": 1", "\"version\": 0", PH_EINVAL,
                   "policy.json: version: expected a whole number >= 1, got 0");
    replaced_fails("{\"name\": \"tax_grade\", \"kind\": \"text\"}]",
                   "{\"name\": \"tax_grade\", \"kind\": \"string\"}]", PH_EINVAL,
                   "policy.json: input 2 (tax_grade): kind: expected \"decimal\", \"text\" or "
                   "\"bool\"");
    replaced_fails("{\"name\": \"tax_grade\", \"kind\": \"text\"}]",
                   "{\"name\": \"score\", \"kind\": \"text\"}]", PH_EINVAL,
                   "policy.json: input 2 (score): 'score' is defined already (value 6 of the "
                   "environment)");
}

static void test_small_policy_loads(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    char *text = policy_text(&GOOD);
    ph_policy *p = NULL;
    ph_policy_run *run = NULL;
    ph_error err;
    ph_assert_ok(ph_policy_load_text(ctx, text, strlen(text), NULL, &p, &err), &err);
    free(text);
    ph_assert_ok(ph_policy_run_new(p, &run, &err), &err);
    ph_value in[2] = {ph_value_decimal(D(650)), ph_value_text("D")};
    ph_policy_outcome o;
    ph_assert_ok(ph_policy_eval(p, run, in, &o, &err), &err);
    assert_reasons(&o, "TAX_D");
    assert_int_equal(o.limit, 165000); /* 1,650 yuan */
    assert_int_equal(o.rate, 4000000);
    assert_int_equal(ph_policy_product_of(p)->has_guarantee_fee, 0);
    assert_int_equal(o.values[ph_policy_value_index(p, "product_guarantee_fee")].kind,
                     PH_VALUE_NULL);
    ph_policy_run_free(run);
    ph_policy_free(p);
    ph_ctx_free(ctx);
}

/* A formula failing at run time fails the evaluation with its own location. */
static void test_eval_runtime_error(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    variant v = GOOD;
    v.limit = "1000 / (score - 650)";
    char *text = policy_text(&v);
    ph_policy *p = NULL;
    ph_policy_run *run = NULL;
    ph_error err;
    ph_assert_ok(ph_policy_load_text(ctx, text, strlen(text), "policy.json", &p, &err), &err);
    free(text);
    ph_assert_ok(ph_policy_run_new(p, &run, &err), &err);
    ph_value in[2] = {ph_value_decimal(D(650)), ph_value_text("A")};
    ph_policy_outcome o = {.approved = 7};
    ph_assert_error(ph_policy_eval(p, run, in, &o, &err), PH_EINVAL, &err,
                    "policy.json: formula 'limit': field expression, value "
                    "'1000 / (score - 650)': division by zero at column 6 (1000 / 0)");
    assert_int_equal(o.approved, 7); /* untouched */
    ph_assert_error(ph_policy_trace_write_json(p, run, stdout, &err), PH_EMISUSE, &err,
                    "after a successful ph_policy_eval");
    in[0] = ph_value_decimal(D(660));
    ph_assert_ok(ph_policy_eval(p, run, in, &o, &err), &err);
    assert_int_equal(o.limit, 10000); /* 1000 / 10 = 100 yuan */
    ph_policy_run_free(run);
    ph_policy_free(p);
    ph_ctx_free(ctx);
}

static void test_load_errors(void **state)
{
    (void)state;
    variant v = GOOD;
    v.step = "knockot";
    load_fails(&v, PH_EINVAL, "policy.json: flow step 1: unknown step 'knockot' (expected "
                              "knockout, eligibility, table, formula)");
    v = GOOD;
    v.kind = "decimal";
    v.cell = "> 5";
    load_fails(&v, PH_EINVAL, "policy.json: flow step 1 (knockout 'ko'): input 'tax_grade' is "
                              "decimal in the table but text in the environment");
    v = GOOD;
    v.limit = "1000 + rate";
    load_fails(&v, PH_EINVAL, "policy.json: formula 'limit': field expression, value "
                              "'1000 + rate': unknown variable 'rate' at column 8");
    v = GOOD;
    v.cell = "<<3";
    load_fails(&v, PH_EINVAL, "policy.json: table 'ko', rule 1, cell 1 (tax_grade): expected a "
                              "unary test such as '< 600', '[1..5)', '\"A\",\"B\"' or '-', got "
                              "'<<3'");
    v = GOOD;
    v.extra = ", 'lendr': 'x'";
    load_fails(&v, PH_EINVAL, "policy.json: unknown member 'lendr' (expected lender, name, "
                              "version, product, inputs, tables, formulas, flow, model, appetite, reasons)");
    v = GOOD;
    v.reason = "";
    load_fails(&v, PH_EINVAL, "policy.json: flow step 1 (knockout 'ko'), rule 1: expected a "
                              "\"reason\" code (a decline must say why)");
    v = GOOD;
    v.step = "table";
    load_fails(&v, PH_EINVAL, "policy.json: flow step 1 (table 'ko'): expected a table with "
                              "one row of outputs (COLLECT without aggregation gives several: "
                              "use it as a knockout or eligibility step, or aggregate)");
    v = GOOD;
    v.step = "formula";
    load_fails(&v, PH_EINVAL, "policy.json: flow step 1 (formula 'ko'): no formula of that "
                              "name in \"formulas\"");
    v = GOOD;
    v.limit = "1000 + spred";
    load_fails(&v, PH_EINVAL, "policy.json: formula 'limit': field expression, value "
                              "'1000 + spred': unknown variable 'spred' at column 8; did you mean "
                              "'spread'?");
}

static void test_load_errors_structure(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_policy *p = NULL;
    ph_error err;
    char *path = ph_test_fixture("policies/lender_a.json");
    ph_assert_error(ph_policy_load_file(ctx, path, &p, &err), PH_ENOTFOUND, &err, "name");
    free(path);
    ph_assert_error(ph_policy_load_file(ctx, "/nonexistent/policy.json", &p, &err), PH_EIO,
                    &err, "/nonexistent/policy.json");
    ph_assert_error(ph_policy_load_text(ctx, "{}", 2, "p.json", NULL, &err), PH_EMISUSE, &err,
                    "NULL argument");
    assert_null(p);
    ph_ctx_free(ctx);

    variant v = GOOD;
    v.extra = ", 'product2': 1";
    load_fails(&v, PH_EINVAL, "policy.json: unknown member 'product2' (expected lender, name, "
                              "version, product, inputs, tables, formulas, flow, model, appetite, reasons)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accessors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_approved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_knockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_several_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amount_and_term_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_green_and_guarantee, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_allocates_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_own_reasons, setup, teardown),
        cmocka_unit_test(test_small_policy_loads),
        cmocka_unit_test(test_eval_runtime_error),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_errors_structure),
        cmocka_unit_test(test_load_errors_flow),
        cmocka_unit_test(test_load_errors_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
