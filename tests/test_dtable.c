/*
 * Decision tables: every hit policy, every cell form, null inputs, the
 * located load errors, and the fixture policy of a lender.
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

/* JSON written with ' for " and ` for \" keeps the C strings readable. */
static char *json_of(const char *tmpl)
{
    size_t n = strlen(tmpl);
    char *out = malloc(n * 2 + 1), *o = out;
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

static ph_dtable_set *load(const ph_ctx *ctx, const char *tmpl)
{
    char *text = json_of(tmpl);
    ph_dtable_set *set = NULL;
    ph_error err;
    ph_assert_ok(ph_dtable_set_load_text(ctx, text, strlen(text), "policy.json", &set, &err),
                 &err);
    free(text);
    return set;
}

/* Loading must fail with exactly `message`. */
static void load_fails(const ph_ctx *ctx, const char *tmpl, const char *message)
{
    char *text = json_of(tmpl);
    ph_dtable_set *set = NULL;
    ph_error err;
    ph_status st = ph_dtable_set_load_text(ctx, text, strlen(text), "policy.json", &set, &err);
    free(text);
    ph_assert_error(st, PH_EINVAL, &err, message);
    if (strcmp(err.message, message) != 0)
        fail_msg("expected message\n  %s\ngot\n  %s", message, err.message);
    assert_null(set);
}

static ph_value dec(ph_decimal d)
{
    return ph_value_decimal(d);
}

static ph_value txt(const char *s)
{
    return ph_value_text(s);
}

static void assert_text(const ph_value *v, const char *s)
{
    assert_int_equal(v->kind, PH_VALUE_TEXT);
    assert_int_equal(v->as.text.len, strlen(s));
    assert_memory_equal(v->as.text.ptr, s, strlen(s));
}

static void assert_decimal(const ph_value *v, ph_decimal d)
{
    assert_int_equal(v->kind, PH_VALUE_DECIMAL);
    assert_true(v->as.decimal == d);
}

/* ---- hit policies ---------------------------------------------------------- */

/* One decimal input "x", one text output "o"; rules given as cell/output pairs. */
#define ONE_INPUT(name, hit, extra, rules)                                                   \
    "{'tables':[{'name':'" name "','hit_policy':'" hit "'" extra ","                          \
    "'inputs':[{'name':'x','kind':'decimal'}],"                                             \
    "'outputs':[{'name':'o','kind':'text'}],'rules':[" rules "]}]}"

static const char FIRST_TABLE[] = ONE_INPUT("first", "FIRST", "",
    "{'when':['< 0'],'then':['negative']},"
    "{'when':['[0..10)'],'then':['small']},"
    "{'when':['[5..20]'],'then':['medium']},"
    "{'when':['-'],'then':['any']}");

static void test_first_stops_at_first_match(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_set *set = load(ctx, FIRST_TABLE);
    const ph_dtable *t = ph_dtable_set_find(set, "first");
    assert_non_null(t);
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);

    ph_value in = dec(D(7)); /* rules 2, 3 and 4 would match */
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err);
    assert_int_equal(res->matched, 1);
    assert_int_equal(res->match_count, 1);
    assert_int_equal(res->matches[0], 1);
    assert_int_equal(res->rules_evaluated, 2); /* stopped: rules 3 and 4 not tested */
    assert_int_equal(res->output_rows, 1);
    assert_text(&res->outputs[0], "small");
    assert_int_equal(ph_dtable_result_rule_matched(res, 1), 1);
    assert_int_equal(ph_dtable_result_rule_matched(res, 2), 0);
    assert_int_equal(ph_dtable_result_rule_matched(res, 3), 0);

    in = dec(D(15));
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err);
    assert_int_equal(res->matches[0], 2);
    assert_int_equal(res->rules_evaluated, 3);
    assert_text(&res->outputs[0], "medium");

    in = dec(D(-1));
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err);
    assert_int_equal(res->rules_evaluated, 1);
    assert_text(&res->outputs[0], "negative");

    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
    ph_ctx_free(ctx);
}

static void test_no_match_gives_nulls(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_set *set = load(ctx, ONE_INPUT("t", "FIRST", "",
        "{'when':['< 0'],'then':['negative']},{'when':['> 100'],'then':['big']}"));
    const ph_dtable *t = ph_dtable_set_at(set, 0);
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_value in = dec(D(50));
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err);
    assert_int_equal(res->matched, 0);
    assert_int_equal(res->match_count, 0);
    assert_int_equal(res->rules_evaluated, 2);
    assert_int_equal(res->output_rows, 1);
    assert_int_equal(res->outputs[0].kind, PH_VALUE_NULL);
    assert_int_equal(res->trace[0], 0);
    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
    ph_ctx_free(ctx);
}

static void test_unique(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_set *set = load(ctx, ONE_INPUT("grades", "UNIQUE", "",
        "{'when':['< 600'],'then':['low']},"
        "{'when':['[600..700)'],'then':['mid']},"
        "{'when':['[650..660]'],'then':['odd']},"
        "{'when':['>= 700'],'then':['high']}"));
    const ph_dtable *t = ph_dtable_set_find(set, "grades");
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_value in = dec(D(700));
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err);
    assert_int_equal(res->matches[0], 3);
    assert_int_equal(res->rules_evaluated, 4); /* UNIQUE tests every rule */
    assert_text(&res->outputs[0], "high");

    in = dec(D(655));
    ph_status st = ph_dtable_eval(t, &in, res, &err);
    ph_assert_error(st, PH_EINVAL, &err,
                    "table 'grades' (UNIQUE): rules 2 and 3 both match; a UNIQUE table allows "
                    "one match");
    assert_int_equal(res->matched, 0);
    assert_int_equal(res->output_rows, 0);
    assert_int_equal(ph_dtable_result_rule_matched(res, 1), 1); /* the trace is kept */
    assert_int_equal(ph_dtable_result_rule_matched(res, 2), 1);
    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
    ph_ctx_free(ctx);
}

static void test_any(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_set *set = load(ctx, ONE_INPUT("any", "ANY", "",
        "{'when':['< 10'],'then':['refer']},"
        "{'when':['[5..8]'],'then':['refer']},"
        "{'when':['[7..20]'],'then':['approve']}"));
    const ph_dtable *t = ph_dtable_set_at(set, 0);
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_value in = dec(D(6)); /* rules 1 and 2 agree */
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err);
    assert_int_equal(res->matched, 1);
    assert_int_equal(res->match_count, 2);
    assert_text(&res->outputs[0], "refer");

    in = dec(D(7)); /* rules 1, 2 and 3: 3 differs */
    ph_status st = ph_dtable_eval(t, &in, res, &err);
    ph_assert_error(st, PH_EINVAL, &err,
                    "table 'any' (ANY): rules 1 and 3 match with different outputs (output 1 "
                    "(o): \"refer\" vs \"approve\")");
    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
    ph_ctx_free(ctx);
}

static void test_priority(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_set *set = load(ctx,
        "{'tables':[{'name':'decision','hit_policy':'priority',"
        "'inputs':[{'name':'score','kind':'decimal'},{'name':'debt_ratio','kind':'decimal'}],"
        "'outputs':[{'name':'decision','kind':'text','priority':['decline','refer','approve']},"
        "           {'name':'note','kind':'text'}],"
        "'rules':[{'when':['>= 600','-'],'then':['approve','good score']},"
        "         {'when':['-','> 70%'],'then':['refer','high debt']},"
        "         {'when':['< 500','-'],'then':['decline','low score']},"
        "         {'when':['-','> 90%'],'then':['refer','very high debt']}]}]}");
    const ph_dtable *t = ph_dtable_set_at(set, 0);
    assert_int_equal(ph_dtable_hit_policy(t), PH_HIT_PRIORITY);
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_value in[2] = {dec(D(650)), dec(95000000)}; /* 0.95 */
    ph_assert_ok(ph_dtable_eval(t, in, res, &err), &err);
    /* approve (rule 1), refer (2, 4): refer ranks higher; rule 2 is earlier */
    assert_int_equal(res->matched, 1);
    assert_int_equal(res->match_count, 1);
    assert_int_equal(res->matches[0], 1);
    assert_text(&res->outputs[0], "refer");
    assert_text(&res->outputs[1], "high debt");
    assert_int_equal(ph_dtable_result_rule_matched(res, 0), 1);
    assert_int_equal(ph_dtable_result_rule_matched(res, 3), 1);

    in[0] = dec(D(450));
    ph_assert_ok(ph_dtable_eval(t, in, res, &err), &err);
    assert_int_equal(res->matches[0], 2);
    assert_text(&res->outputs[0], "decline");

    in[0] = dec(D(650));
    in[1] = dec(PH_DECIMAL_ONE / 2);
    ph_assert_ok(ph_dtable_eval(t, in, res, &err), &err);
    assert_text(&res->outputs[0], "approve");
    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
    ph_ctx_free(ctx);
}

#define COLLECT_TABLE(agg)                                                                     \
    "{'tables':[{'name':'points','hit_policy':'COLLECT'" agg ","                              \
    "'inputs':[{'name':'x','kind':'decimal'}],'outputs':[{'name':'p','kind':'decimal'}],"     \
    "'rules':[{'when':['> 0'],'then':['1.5']},{'when':['> 10'],'then':['-4']},"                \
    "{'when':['> 20'],'then':['2.25']},{'when':['> 30'],'then':[7]}]}]}"

static void collect_case(const ph_ctx *ctx, const char *tmpl, ph_decimal x, size_t rows,
                         const ph_value *expected)
{
    ph_dtable_set *set = load(ctx, tmpl);
    const ph_dtable *t = ph_dtable_set_at(set, 0);
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_value in = dec(x);
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err);
    assert_int_equal(res->output_rows, rows);
    assert_int_equal(res->rules_evaluated, 4);
    for (size_t k = 0; k < rows; k++)
        assert_true(ph_value_equal(&res->outputs[k], &expected[k]));
    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
}

static void test_collect_and_aggregations(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    const ph_value list[3] = {dec(D(3) / 2), dec(D(-4)), dec(D(9) / 4)};
    collect_case(ctx, COLLECT_TABLE(""), D(25), 3, list);
    collect_case(ctx, COLLECT_TABLE(""), D(-5), 0, NULL);

    const ph_value sum = dec(D(3) / 2 - D(4) + D(9) / 4); /* -0.25, exact */
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'SUM'"), D(25), 1, &sum);
    const ph_value min = dec(D(-4)), max = dec(D(7)), count = dec(D(4));
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'MIN'"), D(25), 1, &min);
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'max'"), D(31), 1, &max);
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'COUNT'"), D(31), 1, &count);

    /* no match: SUM/MIN/MAX give null, COUNT gives 0 */
    const ph_value null = ph_value_null(), zero = dec(0);
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'SUM'"), D(-1), 1, &null);
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'MIN'"), D(-1), 1, &null);
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'MAX'"), D(-1), 1, &null);
    collect_case(ctx, COLLECT_TABLE(",'aggregation':'COUNT'"), D(-1), 1, &zero);
    ph_ctx_free(ctx);
}

static void test_collect_sum_overflow(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_set *set = load(ctx,
        "{'tables':[{'name':'big','hit_policy':'COLLECT','aggregation':'SUM',"
        "'inputs':[],'outputs':[{'name':'p','kind':'decimal'}],"
        "'rules':[{'when':[],'then':['90,000,000,000']},{'when':[],'then':['90,000,000,000']}]}]}");
    const ph_dtable *t = ph_dtable_set_at(set, 0);
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_assert_error(ph_dtable_eval(t, NULL, res, &err), PH_ERANGE, &err,
                    "table 'big' (COLLECT SUM): output 1 (p): the sum leaves the decimal range");
    assert_int_equal(res->matched, 0);
    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
    ph_ctx_free(ctx);
}

/* ---- cells --------------------------------------------------------------------- */

/* Does `cell` on an input of `kind` match `v`? Built through the C API. */
static int cell_matches(const ph_ctx *ctx, ph_value_kind kind, const char *cell, ph_value v)
{
    ph_dtable_column in = {.name = "x", .kind = kind};
    ph_dtable *t = NULL;
    ph_error err;
    ph_assert_ok(ph_dtable_new(ctx, "cells", PH_HIT_FIRST, PH_AGG_NONE, &in, 1, NULL, 0, &t,
                               &err),
                 &err);
    const char *cells[1] = {cell};
    ph_assert_ok(ph_dtable_add_rule(t, cells, NULL, "R", &err), &err);
    ph_dtable_result *res;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_assert_ok(ph_dtable_eval(t, &v, res, &err), &err);
    int matched = res->matched;
    ph_dtable_result_free(ctx, res);
    ph_dtable_free(t);
    return matched;
}

typedef struct cell_case {
    ph_value_kind kind;
    const char *cell;
    const char *value; /* decimal text, "\"text\"", true/false, or "null" */
    int match;
} cell_case;

static ph_value value_of(const char *s)
{
    if (strcmp(s, "null") == 0)
        return ph_value_null();
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
        return ph_value_bool(s[0] == 't');
    if (s[0] == '"') {
        ph_value v = {.kind = PH_VALUE_TEXT};
        v.as.text.ptr = s + 1;
        v.as.text.len = strlen(s) - 2;
        return v;
    }
    ph_decimal d;
    ph_error err;
    ph_assert_ok(ph_decimal_parse(s, strlen(s), &d, &err), &err);
    return ph_value_decimal(d);
}

static const cell_case CELL_CASES[] = {
    {PH_VALUE_DECIMAL, "", "5", 1},
    {PH_VALUE_DECIMAL, "-", "null", 1},
    {PH_VALUE_DECIMAL, " - ", "5", 1},
    {PH_VALUE_DECIMAL, "600", "600", 1},
    {PH_VALUE_DECIMAL, "600", "600.00000001", 0},
    {PH_VALUE_DECIMAL, "= 600", "600", 1},
    {PH_VALUE_DECIMAL, "-5", "-5", 1},
    {PH_VALUE_DECIMAL, "< 600", "599.99999999", 1},
    {PH_VALUE_DECIMAL, "< 600", "600", 0},
    {PH_VALUE_DECIMAL, "<= 0.3", "0.3", 1},
    {PH_VALUE_DECIMAL, "<= 0.3", "0.30000001", 0},
    {PH_VALUE_DECIMAL, "> 5%", "0.05", 0},
    {PH_VALUE_DECIMAL, "> 5%", "0.05000001", 1},
    {PH_VALUE_DECIMAL, ">= 85bp", "0.0085", 1},
    {PH_VALUE_DECIMAL, ">= 85bp", "0.0084", 0},
    {PH_VALUE_DECIMAL, ">=1,200,000", "1200000", 1},
    {PH_VALUE_DECIMAL, "!= 600", "600", 0},
    {PH_VALUE_DECIMAL, "!= 600", "601", 1},
    {PH_VALUE_DECIMAL, "!= 600", "null", 0},
    {PH_VALUE_DECIMAL, "[600..700)", "600", 1},
    {PH_VALUE_DECIMAL, "[600..700)", "699.99999999", 1},
    {PH_VALUE_DECIMAL, "[600..700)", "700", 0},
    {PH_VALUE_DECIMAL, "[600..700)", "599.99999999", 0},
    {PH_VALUE_DECIMAL, "(0..1]", "0", 0},
    {PH_VALUE_DECIMAL, "(0..1]", "0.00000001", 1},
    {PH_VALUE_DECIMAL, "(0..1]", "1", 1},
    {PH_VALUE_DECIMAL, "( 0 .. 1 ]", "1", 1},
    {PH_VALUE_DECIMAL, "[5..)", "5", 1},
    {PH_VALUE_DECIMAL, "[5..)", "92233720368", 1},
    {PH_VALUE_DECIMAL, "[5..)", "4.99999999", 0},
    {PH_VALUE_DECIMAL, "(..0]", "0", 1},
    {PH_VALUE_DECIMAL, "(..0]", "-1000000", 1},
    {PH_VALUE_DECIMAL, "(..0]", "0.00000001", 0},
    {PH_VALUE_DECIMAL, "[1%..2%]", "0.015", 1},
    {PH_VALUE_DECIMAL, "1, 2, 3", "2", 1},
    {PH_VALUE_DECIMAL, "3, 1, 2, 2", "3", 1},
    {PH_VALUE_DECIMAL, "1, 2, 3", "4", 0},
    {PH_VALUE_DECIMAL, "1, 2, 3", "null", 0},
    {PH_VALUE_DECIMAL, "< 0, > 100", "-1", 1},
    {PH_VALUE_DECIMAL, "< 0, > 100", "50", 0},
    {PH_VALUE_DECIMAL, "< 0, > 100", "100.5", 1},
    {PH_VALUE_DECIMAL, "not(1, 2)", "2", 0},
    {PH_VALUE_DECIMAL, "not(1, 2)", "3", 1},
    {PH_VALUE_DECIMAL, "not([1..5])", "5", 0},
    {PH_VALUE_DECIMAL, "not([1..5])", "5.1", 1},
    {PH_VALUE_DECIMAL, "not(1, 2)", "null", 0},
    {PH_VALUE_DECIMAL, "null", "null", 1},
    {PH_VALUE_DECIMAL, "null", "0", 0},
    {PH_VALUE_DECIMAL, "not(null)", "0", 1},
    {PH_VALUE_DECIMAL, "not(null)", "null", 0},
    {PH_VALUE_DECIMAL, "< 600", "null", 0},
    {PH_VALUE_TEXT, "\"A\"", "\"A\"", 1},
    {PH_VALUE_TEXT, "\"A\"", "\"AB\"", 0},
    {PH_VALUE_TEXT, "\"A\"", "\"a\"", 0},
    {PH_VALUE_TEXT, "\"A\", \"B\",\"C\"", "\"C\"", 1},
    {PH_VALUE_TEXT, "\"A\", \"B\", \"C\"", "\"D\"", 0},
    {PH_VALUE_TEXT, "!= \"D\"", "\"D\"", 0},
    {PH_VALUE_TEXT, "!= \"D\"", "\"A\"", 1},
    {PH_VALUE_TEXT, "!= \"D\"", "null", 0},
    {PH_VALUE_TEXT, "not(\"D\", \"E\")", "\"E\"", 0},
    {PH_VALUE_TEXT, "not(\"D\", \"E\")", "\"B\"", 1},
    {PH_VALUE_TEXT, "\"\"", "\"\"", 1},
    {PH_VALUE_TEXT, "\"存续\"", "\"存续\"", 1},
    {PH_VALUE_TEXT, "\"A\"", "null", 0},
    {PH_VALUE_BOOL, "true", "true", 1},
    {PH_VALUE_BOOL, "true", "false", 0},
    {PH_VALUE_BOOL, "false", "false", 1},
    {PH_VALUE_BOOL, "!= true", "false", 1},
    {PH_VALUE_BOOL, "!= true", "true", 0},
    {PH_VALUE_BOOL, "not(false)", "true", 1},
    {PH_VALUE_BOOL, "true", "null", 0},
    {PH_VALUE_BOOL, "null", "null", 1},
};

static void test_cell_forms(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    for (size_t i = 0; i < sizeof(CELL_CASES) / sizeof(CELL_CASES[0]); i++) {
        const cell_case *c = &CELL_CASES[i];
        int got = cell_matches(ctx, c->kind, c->cell, value_of(c->value));
        if (got != c->match)
            fail_msg("cell '%s' on %s: expected %s, got %s", c->cell, c->value,
                     c->match ? "a match" : "no match", got ? "a match" : "no match");
    }
    ph_ctx_free(ctx);
}

typedef struct bad_cell {
    ph_value_kind kind;
    const char *cell;
    const char *message;
} bad_cell;

static const bad_cell BAD_CELLS[] = {
    {PH_VALUE_DECIMAL, "<<3",
     "table 'cells', rule 1, cell 1 (x): expected a unary test such as '< 600', '[1..5)', "
     "'\"A\",\"B\"' or '-', got '<<3'"},
    {PH_VALUE_DECIMAL, "[1..5",
     "table 'cells', rule 1, cell 1 (x): expected a unary test such as '< 600', '[1..5)', "
     "'\"A\",\"B\"' or '-', got '[1..5'"},
    {PH_VALUE_DECIMAL, "[..]",
     "table 'cells', rule 1, cell 1 (x): expected a unary test such as '< 600', '[1..5)', "
     "'\"A\",\"B\"' or '-', got '[..]'"},
    {PH_VALUE_DECIMAL, "1 2",
     "table 'cells', rule 1, cell 1 (x): expected a unary test such as '< 600', '[1..5)', "
     "'\"A\",\"B\"' or '-', got '1 2'"},
    {PH_VALUE_DECIMAL, "1,2,3",
     "table 'cells', rule 1, cell 1 (x): expected a decimal such as 600, 0.3, 5% or 85bp "
     "(separate list items with ', '), got '1,2,3' in '1,2,3'"},
    {PH_VALUE_DECIMAL, "< 12abc",
     "table 'cells', rule 1, cell 1 (x): expected a decimal such as 600, 0.3, 5% or 85bp "
     "(separate list items with ', '), got '12abc' in '< 12abc'"},
    {PH_VALUE_DECIMAL, "[7..5]",
     "table 'cells', rule 1, cell 1 (x): expected a range that holds at least one value, got "
     "'[7..5]'"},
    {PH_VALUE_DECIMAL, "(5..5)",
     "table 'cells', rule 1, cell 1 (x): expected a range that holds at least one value, got "
     "'(5..5)'"},
    {PH_VALUE_DECIMAL, "\"A\"",
     "table 'cells', rule 1, cell 1 (x): expected decimals, comparisons or ranges (input 'x' "
     "is decimal), got '\"A\"'"},
    {PH_VALUE_DECIMAL, "true",
     "table 'cells', rule 1, cell 1 (x): expected decimals, comparisons or ranges (input 'x' "
     "is decimal), got 'true'"},
    {PH_VALUE_DECIMAL, "!= 1, 2",
     "table 'cells', rule 1, cell 1 (x): expected one value after '!=' (use not(...) for "
     "several), got '!= 1, 2'"},
    {PH_VALUE_DECIMAL, "1, null",
     "table 'cells', rule 1, cell 1 (x): expected null alone in its cell ('null' or "
     "'not(null)'), got '1, null'"},
    {PH_VALUE_TEXT, "< 600",
     "table 'cells', rule 1, cell 1 (x): expected quoted texts (\"A\"), a list of them or != "
     "\"A\" (input 'x' is text), got '< 600'"},
    {PH_VALUE_TEXT, "[1..2]",
     "table 'cells', rule 1, cell 1 (x): expected quoted texts (\"A\"), a list of them or != "
     "\"A\" (input 'x' is text), got '[1..2]'"},
    {PH_VALUE_TEXT, "D",
     "table 'cells', rule 1, cell 1 (x): expected a literal: a quoted text such as \"D\", a "
     "decimal, true, false or null, got 'D'"},
    {PH_VALUE_TEXT, "\"D",
     "table 'cells', rule 1, cell 1 (x): expected a unary test such as '< 600', '[1..5)', "
     "'\"A\",\"B\"' or '-', got '\"D'"},
    {PH_VALUE_TEXT, "not(\"D\"",
     "table 'cells', rule 1, cell 1 (x): expected a unary test such as '< 600', '[1..5)', "
     "'\"A\",\"B\"' or '-', got 'not(\"D\"'"},
    {PH_VALUE_BOOL, "> 1",
     "table 'cells', rule 1, cell 1 (x): expected true, false or != true (input 'x' is bool), "
     "got '> 1'"},
};

static void test_bad_cells(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    for (size_t i = 0; i < sizeof(BAD_CELLS) / sizeof(BAD_CELLS[0]); i++) {
        const bad_cell *c = &BAD_CELLS[i];
        ph_dtable_column in = {.name = "x", .kind = c->kind};
        ph_dtable *t = NULL;
        ph_error err;
        ph_assert_ok(ph_dtable_new(ctx, "cells", PH_HIT_FIRST, PH_AGG_NONE, &in, 1, NULL, 0, &t,
                                   &err),
                     &err);
        const char *cells[1] = {c->cell};
        ph_status st = ph_dtable_add_rule(t, cells, NULL, NULL, &err);
        ph_assert_error(st, PH_EINVAL, &err, NULL);
        if (strcmp(err.message, c->message) != 0)
            fail_msg("cell '%s': expected\n  %s\ngot\n  %s", c->cell, c->message, err.message);
        assert_int_equal(ph_dtable_rule_count(t), 0); /* unchanged */
        ph_dtable_free(t);
    }
    ph_ctx_free(ctx);
}

static void test_eval_input_errors(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_set *set = load(ctx, FIRST_TABLE);
    const ph_dtable *t = ph_dtable_set_at(set, 0);
    ph_dtable_result *res;
    ph_error err;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_value in = txt("7");
    ph_assert_error(ph_dtable_eval(t, &in, res, &err), PH_EINVAL, &err,
                    "table 'first', input 1 (x): expected decimal or null, got text");
    in = ph_value_null();
    ph_assert_ok(ph_dtable_eval(t, &in, res, &err), &err); /* only "-" matches null */
    assert_int_equal(res->matches[0], 3);
    assert_text(&res->outputs[0], "any");
    ph_assert_error(ph_dtable_eval(NULL, &in, res, &err), PH_EMISUSE, &err, "NULL argument");

    /* a result made for a smaller table is refused, not overrun */
    ph_dtable_set *small = load(ctx, ONE_INPUT("one", "FIRST", "",
                                               "{'when':['-'],'then':['x']}"));
    ph_dtable_result *tiny;
    ph_assert_ok(ph_dtable_result_new(ctx, ph_dtable_set_at(small, 0), &tiny, &err), &err);
    ph_dtable_set *collect = load(ctx, COLLECT_TABLE(""));
    ph_assert_error(ph_dtable_eval(ph_dtable_set_at(collect, 0), &in, tiny, &err), PH_EMISUSE,
                    &err, "the result is too small for table 'points'");
    ph_dtable_result_free(ctx, tiny);
    ph_dtable_set_free(collect);
    ph_dtable_set_free(small);
    ph_dtable_result_free(ctx, res);
    ph_dtable_set_free(set);
    ph_ctx_free(ctx);
}

/* ---- load errors ---------------------------------------------------------------- */

#define KNOCKOUTS(rules)                                                                      \
    "{'tables':[{'name':'knockouts','hit_policy':'COLLECT',"                                  \
    "'inputs':[{'name':'score','kind':'decimal'},{'name':'tax_grade','kind':'text'}],"        \
    "'outputs':[{'name':'decision','kind':'text'}],'rules':[" rules "]}]}"

static void test_load_errors(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    load_fails(ctx, KNOCKOUTS("{'when':['< 500','-'],'then':['decline']},"
                              "{'when':['-','`D`'],'then':['decline']},"
                              "{'when':['-','<<3'],'then':['decline']}"),
               "policy.json: table 'knockouts', rule 3, cell 2 (tax_grade): expected a unary "
               "test such as '< 600', '[1..5)', '\"A\",\"B\"' or '-', got '<<3'");
    load_fails(ctx, KNOCKOUTS("{'when':['-'],'then':['decline']}"),
               "policy.json: table 'knockouts', rule 1: expected 2 cells (one per input: "
               "score, tax_grade), got 1");
    load_fails(ctx, KNOCKOUTS("{'when':'-','then':['decline']}"),
               "policy.json: table 'knockouts', rule 1: expected \"when\": an array of 2 cells "
               "(one per input: score, tax_grade)");
    load_fails(ctx, KNOCKOUTS("{'when':['-','-'],'then':['decline','x']}"),
               "policy.json: table 'knockouts', rule 1: expected 1 output values (one per "
               "output), got 2");
    load_fails(ctx, KNOCKOUTS("{'when':['`A`','-'],'then':['decline']}"),
               "policy.json: table 'knockouts', rule 1, cell 1 (score): expected decimals, "
               "comparisons or ranges (input 'score' is decimal), got '\"A\"'");
    load_fails(ctx, KNOCKOUTS("{'when':[0.5,'-'],'then':['decline']}"),
               "policy.json: table 'knockouts', rule 1, cell 1 (score): expected a string (a "
               "unary test such as \"< 600\" or \"-\"), an integer or true/false, got the JSON "
               "number 0.5");
    load_fails(ctx, KNOCKOUTS("{'when':['-','-'],'then':[1]}"),
               "policy.json: table 'knockouts', rule 1, output 1 (decision): expected a "
               "string, got 1");
    load_fails(ctx, KNOCKOUTS("{'when':['-','-'],'then':['x'],'reason':3}"),
               "policy.json: table 'knockouts', rule 1: reason: expected a string (a reason "
               "code)");
    load_fails(ctx, KNOCKOUTS("{'when':['-','-'],'then':['x'],'because':'y'}"),
               "policy.json: table 'knockouts', rule 1: unknown member 'because' (expected "
               "when, then, reason)");
    load_fails(ctx, ONE_INPUT("t", "LAST", "", ""),
               "policy.json: table 't': hit_policy: expected one of FIRST, UNIQUE, PRIORITY, "
               "ANY, COLLECT, got \"LAST\"");
    load_fails(ctx, ONE_INPUT("t", "FIRST", ",'aggregation':'SUM'", ""),
               "policy.json: table 't': aggregation SUM needs hit policy COLLECT, got FIRST");
    load_fails(ctx, ONE_INPUT("t", "COLLECT", ",'aggregation':'AVG'", ""),
               "policy.json: table 't': aggregation: expected one of SUM, MIN, MAX, COUNT, got "
               "\"AVG\"");
    load_fails(ctx, ONE_INPUT("t", "COLLECT", ",'aggregation':'SUM'", ""),
               "policy.json: table 't': aggregation SUM needs decimal outputs, but output 1 (o) "
               "is text");
    load_fails(ctx, ONE_INPUT("t", "PRIORITY", "", ""),
               "policy.json: table 't': hit policy PRIORITY needs a priority list on at least "
               "one output");
    load_fails(ctx, ONE_INPUT("t", "FIRST", ",'hitpolicy':'FIRST'", ""),
               "policy.json: table 't': unknown member 'hitpolicy' (expected name, inputs, "
               "outputs, rules, hit_policy, aggregation)");
    load_fails(ctx,
               "{'tables':[{'name':'p','hit_policy':'PRIORITY',"
               "'inputs':[{'name':'x','kind':'decimal'}],"
               "'outputs':[{'name':'decision','kind':'text','priority':['decline','approve']}],"
               "'rules':[{'when':['-'],'then':['approve']},{'when':['-'],'then':['maybe']}]}]}",
               "policy.json: table 'p', rule 2, output 1 (decision): expected one of its "
               "priority values \"decline\", \"approve\", got \"maybe\"");
    load_fails(ctx,
               "{'tables':[{'name':'p','hit_policy':'PRIORITY',"
               "'inputs':[],'outputs':[{'name':'o','kind':'text','priority':['a','a']}],"
               "'rules':[]}]}",
               "policy.json: table 'p': output 'o': priority value \"a\" is listed twice");
    load_fails(ctx,
               "{'tables':[{'name':'p','hit_policy':'PRIORITY',"
               "'inputs':[],'outputs':[{'name':'o','kind':'decimal','priority':['1%',0.5]}],"
               "'rules':[]}]}",
               "policy.json: table 'p', output 1 (o), priority value 2: expected a decimal as a "
               "string (\"0.85%\", \"1,000.50\") or an integer (JSON reals are refused: they "
               "went through a double), got the JSON number 0.5");
    load_fails(ctx,
               "{'tables':[{'name':'s','hit_policy':'COLLECT','aggregation':'SUM',"
               "'inputs':[],'outputs':[{'name':'p','kind':'decimal'}],"
               "'rules':[{'when':[],'then':[null]}]}]}",
               "policy.json: table 's', rule 1, output 1 (p): expected a decimal (SUM reads "
               "every match), got null");
    load_fails(ctx,
               "{'tables':[{'name':'t','hit_policy':'FIRST',"
               "'inputs':[{'name':'x','kind':'number'}],'outputs':[],'rules':[]}]}",
               "policy.json: table 't', input 1 (x): kind: expected \"decimal\", \"text\" or "
               "\"bool\", got \"number\"");
    load_fails(ctx,
               "{'tables':[{'name':'t','hit_policy':'FIRST',"
               "'inputs':[{'name':'x','kind':'text'},{'name':'x','kind':'text'}],"
               "'outputs':[],'rules':[]}]}",
               "policy.json: table 't': input 'x' is declared twice");
    load_fails(ctx,
               "{'tables':[" "{'name':'a','hit_policy':'FIRST','inputs':[],'outputs':[],'rules':[]},"
               "{'name':'b','hit_policy':'FIRST','inputs':[],'outputs':[],'rules':[]},"
               "{'name':'a','hit_policy':'ANY','inputs':[],'outputs':[],'rules':[]}]}",
               "policy.json: table 'a' is defined twice (tables 1 and 3)");
    load_fails(ctx, "{'tables':[{'hit_policy':'FIRST'}]}",
               "policy.json: table 1: expected a \"name\" string");
    load_fails(ctx, "{'policy':[]}",
               "policy.json: expected a JSON object with a \"tables\" array");
    ph_ctx_free(ctx);
}

/* ---- the fixture policy ------------------------------------------------------------ */

static void test_fixture_policy(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    char *path = ph_test_fixture("policies/lender_a.json");
    ph_dtable_set *set = NULL;
    ph_error err;
    ph_assert_ok(ph_dtable_set_load_file(ctx, path, &set, &err), &err);
    assert_int_equal(ph_dtable_set_count(set), 3);
    assert_null(ph_dtable_set_find(set, "nope"));

    /* knock-outs: COLLECT every reason that applies */
    const ph_dtable *ko = ph_dtable_set_find(set, "knockouts");
    assert_int_equal(ph_dtable_rule_count(ko), 4);
    assert_int_equal(ph_dtable_input_index(ko, "fraud_flag"), 3);
    ph_dtable_result *res;
    ph_assert_ok(ph_dtable_result_new(ctx, ko, &res, &err), &err);
    ph_value firm[4] = {txt("存续"), txt("D"), ph_value_bool(0), ph_value_bool(1)};
    ph_assert_ok(ph_dtable_eval(ko, firm, res, &err), &err);
    assert_int_equal(res->match_count, 2);
    assert_string_equal(ph_dtable_rule_reason(ko, res->matches[0]), "TAX_GRADE_D");
    assert_string_equal(ph_dtable_rule_reason(ko, res->matches[1]), "FRAUD_FLAG");
    firm[0] = txt("吊销");
    firm[1] = txt("A");
    firm[2] = ph_value_bool(1);
    firm[3] = ph_value_bool(0);
    ph_assert_ok(ph_dtable_eval(ko, firm, res, &err), &err);
    assert_int_equal(res->match_count, 2);
    assert_string_equal(ph_dtable_rule_reason(ko, res->matches[0]), "BUSINESS_STATUS_ABNORMAL");
    assert_string_equal(ph_dtable_rule_reason(ko, res->matches[1]), "COURT_ENFORCEMENT");
    firm[0] = txt("在业");
    firm[2] = ph_value_bool(0);
    ph_assert_ok(ph_dtable_eval(ko, firm, res, &err), &err);
    assert_int_equal(res->matched, 0);
    ph_dtable_result_free(ctx, res);

    /* risk grade: PRIORITY picks the worst grade that applies */
    const ph_dtable *grade = ph_dtable_set_find(set, "risk_grade");
    ph_assert_ok(ph_dtable_result_new(ctx, grade, &res, &err), &err);
    ph_value in[2] = {dec(D(720)), dec(PH_DECIMAL_ONE / 2)};
    ph_assert_ok(ph_dtable_eval(grade, in, res, &err), &err);
    assert_text(&res->outputs[0], "A");
    in[1] = dec(PH_DECIMAL_ONE * 3 / 4); /* 75% > 70% */
    ph_assert_ok(ph_dtable_eval(grade, in, res, &err), &err);
    assert_text(&res->outputs[0], "D");
    assert_string_equal(ph_dtable_rule_reason(grade, res->matches[0]), "DEBT_RATIO_HIGH");
    in[0] = ph_value_null();
    ph_assert_ok(ph_dtable_eval(grade, in, res, &err), &err);
    assert_text(&res->outputs[0], "E");
    ph_dtable_result_free(ctx, res);

    /* spread: FIRST, decimals from "85bp" and "1.35%" */
    const ph_dtable *spread = ph_dtable_set_find(set, "spread");
    ph_assert_ok(ph_dtable_result_new(ctx, spread, &res, &err), &err);
    ph_value s[2] = {txt("A"), ph_value_bool(1)};
    ph_assert_ok(ph_dtable_eval(spread, s, res, &err), &err);
    assert_decimal(&res->outputs[0], 550000); /* 55bp */
    s[1] = ph_value_null();
    ph_assert_ok(ph_dtable_eval(spread, s, res, &err), &err);
    assert_decimal(&res->outputs[0], 850000);
    s[0] = txt("B");
    ph_assert_ok(ph_dtable_eval(spread, s, res, &err), &err);
    assert_decimal(&res->outputs[0], 1350000);
    assert_int_equal(res->rules_evaluated, 3);
    s[0] = txt("E");
    ph_assert_ok(ph_dtable_eval(spread, s, res, &err), &err);
    assert_int_equal(res->matched, 1);
    assert_int_equal(res->outputs[0].kind, PH_VALUE_NULL);
    assert_string_equal(ph_dtable_rule_reason(spread, res->matches[0]), "NOT_PRICED");
    ph_dtable_result_free(ctx, res);

    ph_dtable_set_free(set);
    free(path);
    ph_ctx_free(ctx);
}

static void test_fixture_bad_cell_names_the_file(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    char *path = ph_test_fixture("policies/bad_cell.json");
    ph_dtable_set *set = NULL;
    ph_error err;
    ph_status st = ph_dtable_set_load_file(ctx, path, &set, &err);
    char expected[1024];
    snprintf(expected, sizeof(expected),
             "%s: table 'knockouts', rule 3, cell 2 (tax_grade): expected a unary test such as "
             "'< 600', '[1..5)', '\"A\",\"B\"' or '-', got '<<3'",
             path);
    ph_assert_error(st, PH_EINVAL, &err, expected);
    assert_string_equal(err.source, path);
    assert_null(set);

    ph_assert_error(ph_dtable_set_load_file(ctx, "/nonexistent/policy.json", &set, &err),
                    PH_EIO, &err, "/nonexistent/policy.json");
    free(path);
    ph_ctx_free(ctx);
}

static void test_builder_api(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_dtable_column in[2] = {{.name = "score", .kind = PH_VALUE_DECIMAL},
                              {.name = "green", .kind = PH_VALUE_BOOL}};
    ph_dtable_column out = {.name = "points", .kind = PH_VALUE_DECIMAL};
    ph_dtable *t = NULL;
    ph_error err;
    ph_assert_ok(ph_dtable_new(ctx, "pts", PH_HIT_COLLECT, PH_AGG_SUM, in, 2, &out, 1, &t, &err),
                 &err);
    const char *r1[2] = {">= 600", NULL};
    const char *r2[2] = {"-", "true"};
    ph_value v1 = dec(D(10)), v2 = dec(D(5)), bad = txt("5");
    ph_assert_ok(ph_dtable_add_rule(t, r1, &v1, "SCORE", &err), &err);
    ph_assert_error(ph_dtable_add_rule(t, r2, &bad, NULL, &err), PH_EINVAL, &err,
                    "table 'pts', rule 2, output 1 (points): expected a decimal or null, got "
                    "\"5\"");
    ph_assert_ok(ph_dtable_add_rule(t, r2, &v2, NULL, &err), &err);
    assert_int_equal(ph_dtable_rule_count(t), 2);
    assert_string_equal(ph_dtable_name(t), "pts");
    assert_int_equal(ph_dtable_aggregation(t), PH_AGG_SUM);
    assert_string_equal(ph_dtable_input_name(t, 1), "green");
    assert_int_equal(ph_dtable_input_kind(t, 1), PH_VALUE_BOOL);
    assert_string_equal(ph_dtable_output_name(t, 0), "points");
    assert_null(ph_dtable_rule_reason(t, 1));
    assert_string_equal(ph_hit_policy_name(PH_HIT_ANY), "ANY");
    assert_string_equal(ph_aggregation_name(PH_AGG_COUNT), "COUNT");
    ph_dtable_result *res;
    ph_assert_ok(ph_dtable_result_new(ctx, t, &res, &err), &err);
    ph_value x[2] = {dec(D(650)), ph_value_bool(1)};
    ph_assert_ok(ph_dtable_eval(t, x, res, &err), &err);
    assert_decimal(&res->outputs[0], D(15));
    ph_dtable_result_free(ctx, res);
    ph_dtable_free(t);

    ph_assert_error(ph_dtable_new(ctx, "", PH_HIT_FIRST, PH_AGG_NONE, NULL, 0, NULL, 0, &t, &err),
                    PH_EINVAL, &err, "expected a table name");
    ph_assert_error(ph_dtable_new(ctx, NULL, PH_HIT_FIRST, PH_AGG_NONE, NULL, 0, NULL, 0, &t,
                                  &err),
                    PH_EMISUSE, &err, "NULL argument");
    ph_dtable_free(NULL);
    ph_dtable_set_free(NULL);
    ph_dtable_result_free(ctx, NULL);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_stops_at_first_match),
        cmocka_unit_test(test_no_match_gives_nulls),
        cmocka_unit_test(test_unique),
        cmocka_unit_test(test_any),
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_collect_and_aggregations),
        cmocka_unit_test(test_collect_sum_overflow),
        cmocka_unit_test(test_cell_forms),
        cmocka_unit_test(test_bad_cells),
        cmocka_unit_test(test_eval_input_errors),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_fixture_policy),
        cmocka_unit_test(test_fixture_bad_cell_names_the_file),
        cmocka_unit_test(test_builder_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
