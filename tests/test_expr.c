/* Policy expressions: syntax, exact results, nulls, errors (src/decide/expr*.c). */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The variables every test sees, in slot order. */
enum { V_A, V_B, V_ZERO, V_NUL, V_NAME, V_FLAG, V_ANY, V_AVG, V_LPR, V_BIG, V_COUNT };

typedef struct fixture {
    ph_ctx *ctx;
    ph_expr_symbols *sym;
    ph_value slots[V_COUNT];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_assert_ok(ph_ctx_new(NULL, &f->ctx, NULL), NULL);
    ph_assert_ok(ph_expr_symbols_new(f->ctx, &f->sym, NULL), NULL);
    static const struct {
        const char *name;
        ph_value_kind kind;
    } vars[] = {
        {"a", PH_VALUE_DECIMAL},     {"b", PH_VALUE_DECIMAL}, {"zero", PH_VALUE_DECIMAL},
        {"missing", PH_VALUE_DECIMAL}, {"industry", PH_VALUE_TEXT}, {"green", PH_VALUE_BOOL},
        {"any", PH_VALUE_NULL},      {"avg_inflow_12m", PH_VALUE_DECIMAL},
        {"lpr", PH_VALUE_DECIMAL},   {"big", PH_VALUE_DECIMAL},
    };
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        size_t slot = 99;
        ph_assert_ok(ph_expr_symbols_add(f->sym, vars[i].name, vars[i].kind, &slot, NULL), NULL);
        assert_int_equal(slot, i);
    }
    f->slots[V_A] = ph_value_decimal(7 * PH_DECIMAL_ONE);
    f->slots[V_B] = ph_value_decimal(2 * PH_DECIMAL_ONE);
    f->slots[V_ZERO] = ph_value_decimal(0);
    f->slots[V_NUL] = ph_value_null();
    f->slots[V_NAME] = ph_value_text("C13");
    f->slots[V_FLAG] = ph_value_bool(1);
    f->slots[V_ANY] = ph_value_text("x");
    f->slots[V_AVG] = ph_value_decimal(INT64_C(1234567000000)); /* 12345.67 */
    f->slots[V_LPR] = ph_value_decimal(3450000);                /* 3.45% */
    f->slots[V_BIG] = ph_value_decimal(INT64_MAX);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_expr_symbols_free(f->sym);
    ph_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* Compile and evaluate `text`; the result as text ("null", "true", "0.12"). */
static const char *run(fixture *f, const char *text, char *buf, size_t size)
{
    ph_expr *e = NULL;
    ph_error err;
    ph_assert_ok(ph_expr_compile(f->sym, text, "test", &e, &err), &err);
    ph_value v;
    ph_assert_ok(ph_expr_eval(e, f->slots, &v, &err), &err);
    ph_assert_ok(ph_value_format(&v, buf, size, NULL), NULL);
    ph_expr_free(e);
    return buf;
}

static void check(fixture *f, const char *text, const char *expected)
{
    char buf[128];
    const char *got = run(f, text, buf, sizeof(buf));
    if (strcmp(got, expected) != 0)
        fail_msg("'%s' gave %s, expected %s", text, got, expected);
}

static void test_arithmetic_and_precedence(void **state)
{
    fixture *f = *state;
    static const char *const cases[][2] = {
        {"1 + 2 * 3", "7"},
        {"(1 + 2) * 3", "9"},
        {"10 - 4 - 3", "3"},          /* left associative */
        {"100 / 10 / 5", "2"},
        {"-2 * 3", "-6"},
        {"- -2", "2"},
        {"-a + b", "-5"},
        {"2 - -3", "5"},
        {"0.1 + 0.2", "0.3"},
        {"4 * 3.00%", "0.12"},
        {"85bp + 3.85%", "0.047"},
        {"min(5 * 12345.67, 1000000)", "61728.35"},
        {"min(5 * avg_inflow_12m, 1000000)", "61728.35"},
        {"max(1, 3, 2)", "3"},
        {"min(-1, -3, 2)", "-3"},
        {"1 / 3", "0.33333333"},
        {"2 / 3", "0.66666667"},
        {"-2 / 3", "-0.66666667"},
        {"0.00000005 * 0.5", "0.00000002"}, /* a tie rounds to even */
        {"0.00000015 * 0.5", "0.00000008"},
        {"0.00000001 / 2", "0"},
        {"0.00000003 / 2", "0.00000002"},
        {"1000000000 * 10", "10000000000"},  /* the product beyond 64 bits */
        {"40000000000 / 0.5", "80000000000"}, /* the dividend beyond 64 bits */
        {"abs(-2.5)", "2.5"},
        {"abs(a)", "7"},
        {"round(2.345, 2)", "2.35"},
        {"round(-2.345, 2)", "-2.35"},
        {"round_half_even(2.345, 2)", "2.34"},
        {"round_half_even(2.355, 2)", "2.36"},
        {"round(2.5, 0)", "3"},
        {"floor(-2.5)", "-3"},
        {"ceil(-2.5)", "-2"},
        {"floor(2.9)", "2"},
        {"ceil(2.1)", "3"},
        {"min(lpr + 150bp - 20bp, 4 * lpr)", "0.0475"},
        {"a / b", "3.5"},
        {"1 + if green then 2 else 3 * 10", "3"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check(f, cases[i][0], cases[i][1]);
    }
}

static void test_logic_and_null(void **state)
{
    fixture *f = *state;
    static const char *const cases[][2] = {
        {"missing + 1", "null"},
        {"missing * 0", "null"},
        {"-missing", "null"},
        {"missing = 1", "null"},
        {"missing = null", "null"},
        {"null = null", "null"},
        {"is_null(missing)", "true"},
        {"is_null(a)", "false"},
        {"coalesce(missing, null, 5)", "5"},
        {"coalesce(missing, null)", "null"},
        {"min(a, missing)", "null"},
        {"abs(missing)", "null"},
        {"round(a, missing)", "null"},
        {"false and missing > 1", "false"},
        {"missing > 1 and false", "false"},
        {"true and missing > 1", "null"},
        {"missing > 1 and true", "null"},
        {"true or missing > 1", "true"},
        {"missing > 1 or true", "true"},
        {"false or missing > 1", "null"},
        {"not (missing > 1)", "null"},
        {"not true", "false"},
        {"true and false or true", "true"},  /* and binds tighter */
        {"not false and false", "false"},    /* not binds tighter than and */
        {"if missing > 1 then 1 else 2", "2"},
        {"if a > 1 then 1 else 2", "1"},
        {"if false then 1 else if true then 2 else 3", "2"},
        {"if green then \"yes\" else \"no\"", "yes"},
        {"false and 1 / zero > 0", "false"}, /* short-circuit: no division */
        {"true or 1 / zero > 0", "true"},
        {"if true then 1 else 1 / zero", "1"},
        {"industry in [\"C13\", \"C14\"]", "true"},
        {"industry in [\"C14\"]", "false"},
        {"industry in [\"C14\", null]", "null"},
        {"industry in [\"C13\", null]", "true"},
        {"missing in [1, 2]", "null"},
        {"a in [1, -7, 7]", "true"},
        {"a in [b, a + 0]", "true"},
        {"a in [b * 2, -1]", "false"},
        {"a in [1, 2, a, 3]", "true"},  /* literals, then not */
        {"a in [1, null, b]", "null"},
        {"a between 1 and 7", "true"},
        {"a between 7.00000001 and 8", "false"},
        {"a between missing and 8", "null"},
        {"a between 1 and 7 and green", "true"},
        {"\"abc\" < \"abd\"", "true"},
        {"\"ab\" < \"abc\"", "true"},
        {"industry = \"C13\"", "true"},
        {"industry != \"C13\"", "false"},
        {"\"b\" >= \"a\"", "true"},
        {"false < true", "true"},
        {"a >= 7", "true"},
        {"a > 7", "false"},
        {"a <= 6.99999999", "false"},
        {"any = \"x\"", "true"},
        {"true = (1 < 2)", "true"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check(f, cases[i][0], cases[i][1]);
}

static void test_result_kind_and_text(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        ph_value_kind kind;
    } cases[] = {
        {"a + 1", PH_VALUE_DECIMAL}, {"a > 1", PH_VALUE_BOOL},
        {"industry", PH_VALUE_TEXT}, {"any", PH_VALUE_NULL},
        {"null", PH_VALUE_NULL},     {"if green then null else 1", PH_VALUE_DECIMAL},
        {"coalesce(any, \"z\")", PH_VALUE_TEXT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_expr *e = NULL;
        ph_assert_ok(ph_expr_compile(f->sym, cases[i].text, NULL, &e, NULL), NULL);
        assert_int_equal(ph_expr_result_kind(e), cases[i].kind);
        assert_string_equal(ph_expr_text(e), cases[i].text);
        ph_expr_free(e);
    }
    /* A text result borrows from the expression. */
    ph_expr *e = NULL;
    ph_assert_ok(ph_expr_compile(f->sym, "\"hello\"", NULL, &e, NULL), NULL);
    ph_value v;
    ph_assert_ok(ph_expr_eval(e, NULL, &v, NULL), NULL);
    assert_int_equal(v.kind, PH_VALUE_TEXT);
    assert_int_equal(v.as.text.len, 5);
    assert_ptr_equal(v.as.text.ptr, ph_expr_text(e) + 1);
    ph_expr_free(e);
}

static void test_compile_errors(void **state)
{
    fixture *f = *state;
#define SRC "policy.json: table limits, row 3, cell 2: field expression, value "
    static const struct {
        const char *text;
        ph_status code;
        uint64_t column;
        const char *message;
    } cases[] = {
        {"", PH_EINVAL, 1, "policy.json: table limits, row 3, cell 2: field expression: expected a value at column 1, got end of text"},
        {"min(a, b", PH_EINVAL, 9, SRC "'min(a, b': expected ',' or ')' at column 9, got end of text"},
        {"(a + b", PH_EINVAL, 7, SRC "'(a + b': expected ')' at column 7, got end of text"},
        {"a + ", PH_EINVAL, 5, SRC "'a + ': expected a value at column 5, got end of text"},
        {"a b", PH_EINVAL, 3, SRC "'a b': expected an operator or the end at column 3, got 'b'"},
        {"a # b", PH_EINVAL, 3, SRC "'a # b': unexpected '#' at column 3"},
        {"A + 1", PH_EINVAL, 1, SRC "'A + 1': unexpected 'A' at column 1"},
        {"\"abc", PH_EINVAL, 1, SRC "'\"abc': unterminated text literal starting at column 1"},
        {"1.2.3", PH_EINVAL, 1,
         SRC "'1.2.3': bad number '1.2.3' at column 1: unexpected '.' at position 4; expected "
             "a decimal such as -1,200,000.5, 3.85% or 85bp"},
        {"1 + 100000000000", PH_ERANGE, 5,
         SRC "'1 + 100000000000': bad number '100000000000' at column 5: expected a decimal "
             "from -92233720368.54775808 to 92233720368.54775807"},
        {"aa + 1", PH_EINVAL, 1, SRC "'aa + 1': unknown variable 'aa' at column 1; did you mean 'a', 'b' or 'any'?"},
        {"avg_inflow_12 * 5", PH_EINVAL, 1,
         SRC "'avg_inflow_12 * 5': unknown variable 'avg_inflow_12' at column 1; did you mean "
             "'avg_inflow_12m'?"},
        {"1 + volatility", PH_EINVAL, 5, SRC "'1 + volatility': unknown variable 'volatility' at column 5"},
        {"sqrt(a)", PH_EINVAL, 1,
         SRC "'sqrt(a)': unknown function 'sqrt' at column 1; expected one of min, max, abs, "
             "round, round_half_even, floor, ceil, is_null, coalesce"},
        {"round(a)", PH_EINVAL, 1, SRC "'round(a)': 'round' at column 1 takes 2 arguments, got 1"},
        {"abs()", PH_EINVAL, 1, SRC "'abs()': 'abs' at column 1 takes 1 argument, got 0"},
        {"min()", PH_EINVAL, 1, SRC "'min()': 'min' at column 1 takes 1 to 65535 arguments, got 0"},
        {"industry + 1", PH_EINVAL, 10, SRC "'industry + 1': '+' at column 10 expects decimal, got text"},
        {"1 * \"x\"", PH_EINVAL, 3, SRC "'1 * \"x\"': '*' at column 3 expects decimal, got text"},
        {"-green", PH_EINVAL, 1, SRC "'-green': '-' at column 1 expects decimal, got bool"},
        {"not a", PH_EINVAL, 1, SRC "'not a': 'not' at column 1 expects bool, got decimal"},
        {"a and green", PH_EINVAL, 3, SRC "'a and green': 'and' at column 3 expects bool, got decimal"},
        {"green or 1", PH_EINVAL, 7, SRC "'green or 1': 'or' at column 7 expects bool, got decimal"},
        {"industry = 1", PH_EINVAL, 10, SRC "'industry = 1': '=' at column 10 cannot compare text and decimal"},
        {"a in [1, \"x\"]", PH_EINVAL, 10, SRC "'a in [1, \"x\"]': 'in' at column 10 cannot compare decimal and text"},
        {"a between \"a\" and 2", PH_EINVAL, 3,
         SRC "'a between \"a\" and 2': 'between' at column 3 cannot compare decimal and text"},
        {"a between 1 or 2", PH_EINVAL, 13, SRC "'a between 1 or 2': expected 'and' at column 13, got 'or'"},
        {"a in 1", PH_EINVAL, 6, SRC "'a in 1': expected '[' at column 6, got '1'"},
        {"a in [1 2]", PH_EINVAL, 9, SRC "'a in [1 2]': expected ',' or ']' at column 9, got '2'"},
        {"if a then 1 else 2", PH_EINVAL, 1, SRC "'if a then 1 else 2': 'if' at column 1 expects a bool condition, got decimal"},
        {"if green then 1 else \"x\"", PH_EINVAL, 1,
         SRC "'if green then 1 else \"x\"': 'if' at column 1 has branches of different kinds: "
             "decimal and text"},
        {"if green 1 else 2", PH_EINVAL, 10, SRC "'if green 1 else 2': expected 'then' at column 10, got '1'"},
        {"if green then 1", PH_EINVAL, 16, SRC "'if green then 1': expected 'else' at column 16, got end of text"},
        {"1 < a < 3", PH_EINVAL, 7, SRC "'1 < a < 3': comparisons do not chain at column 7; join them with 'and'"},
        {"coalesce(industry, 1)", PH_EINVAL, 20,
         SRC "'coalesce(industry, 1)': 'coalesce' at column 20 mixes text and decimal"},
        {"min(a, green)", PH_EINVAL, 8, SRC "'min(a, green)': 'min' at column 8 expects decimal, got bool"},
        {"a = = 1", PH_EINVAL, 5, SRC "'a = = 1': expected a value at column 5, got '='"},
    };
#undef SRC
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_expr *e = (ph_expr *)f; /* a sentinel: must stay untouched */
        ph_error err;
        ph_error_clear(&err);
        ph_status st = ph_expr_compile(f->sym, cases[i].text, "policy.json: table limits, row 3, cell 2",
                                       &e, &err);
        ph_assert_error(st, cases[i].code, &err, NULL);
        if (strcmp(err.message, cases[i].message) != 0)
            fail_msg("'%s': message\n  %s\nexpected\n  %s", cases[i].text, err.message,
                     cases[i].message);
        assert_int_equal(err.column, cases[i].column);
        assert_string_equal(err.field, "expression");
        assert_ptr_equal(e, (ph_expr *)f);
        assert_int_equal(ph_expr_compile(f->sym, cases[i].text, NULL, &e, NULL), cases[i].code);
    }
    ph_error err;
    ph_expr *e = NULL;
    ph_assert_error(ph_expr_compile(f->sym, "1 +", NULL, &e, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "field expression, value '1 +': expected a value at column 4, got end of text");
    ph_assert_error(ph_expr_compile(NULL, "1", NULL, &e, &err), PH_EMISUSE, &err,
                    "ph_expr_compile: sym is NULL");
}

static void test_limits(void **state)
{
    fixture *f = *state;
    char text[2048];
    ph_error err;
    ph_expr *e = NULL;
    /* 70 values at once: "1+(1+(1+...". */
    size_t n = 0;
    for (int i = 0; i < 70; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "1+(");
    n += (size_t)snprintf(text + n, sizeof(text) - n, "1");
    for (int i = 0; i < 70; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, ")");
    ph_assert_error(ph_expr_compile(f->sym, text, NULL, &e, &err), PH_EINVAL, &err,
                    "the expression needs more than 64 values at once at column 193; split it");
    /* Deep parentheses with few values. */
    memset(text, '(', 300);
    text[300] = '\0';
    ph_assert_error(ph_expr_compile(f->sym, text, NULL, &e, &err), PH_EINVAL, &err,
                    "the expression nests more than 200 levels deep at column 201");
    /* A long literal list costs no stack. */
    n = (size_t)snprintf(text, sizeof(text), "a in [");
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%d", i ? ", " : "", i);
    snprintf(text + n, sizeof(text) - n, "]");
    ph_assert_ok(ph_expr_compile(f->sym, text, NULL, &e, &err), &err);
    ph_value v;
    ph_assert_ok(ph_expr_eval(e, f->slots, &v, &err), &err);
    assert_int_equal(v.kind, PH_VALUE_BOOL);
    assert_true(v.as.boolean);
    ph_expr_free(e);
}

static void test_eval_errors(void **state)
{
    fixture *f = *state;
#define RANGE "(-92233720368.54775808 to 92233720368.54775807)"
    static const struct {
        const char *text;
        ph_status code;
        uint64_t column;
        const char *message;
    } cases[] = {
        {"a / zero", PH_EINVAL, 3,
         "limits.json: field expression, value 'a / zero': division by zero at column 3 (7 / 0)"},
        {"big + 1", PH_ERANGE, 5,
         "limits.json: field expression, value 'big + 1': the sum does not fit in a decimal "
         RANGE " at column 5 (92233720368.54775807 + 1)"},
        {"big * 2", PH_ERANGE, 5,
         "limits.json: field expression, value 'big * 2': the product does not fit in a "
         "decimal " RANGE " at column 5 (92233720368.54775807 * 2)"},
        {"-big - 2", PH_ERANGE, 6,
         "limits.json: field expression, value '-big - 2': the difference does not fit in a "
         "decimal " RANGE " at column 6 (-92233720368.54775807 - 2)"},
        {"round(a, 9)", PH_EINVAL, 1,
         "limits.json: field expression, value 'round(a, 9)': 'round' at column 1 expects "
         "places 0 to 8, got 9"},
        {"round_half_even(a, 1.5)", PH_EINVAL, 1,
         "limits.json: field expression, value 'round_half_even(a, 1.5)': 'round_half_even' at "
         "column 1 expects places 0 to 8, got 1.5"},
        {"ceil(big)", PH_ERANGE, 1,
         "limits.json: field expression, value 'ceil(big)': rounded to 0 places it does not "
         "fit in a decimal " RANGE " at column 1 (92233720368.54775807)"},
        {"any + 1", PH_EINVAL, 5,
         "limits.json: field expression, value 'any + 1': '+' at column 5 expects decimal, got text"},
        {"any and true", PH_EINVAL, 5,
         "limits.json: field expression, value 'any and true': 'and' at column 5 expects bool, got text"},
        {"not any", PH_EINVAL, 1,
         "limits.json: field expression, value 'not any': 'not' at column 1 expects bool, got text"},
        {"if any then 1 else 2", PH_EINVAL, 1,
         "limits.json: field expression, value 'if any then 1 else 2': 'if' at column 1 "
         "expects a bool condition, got text"},
        {"any < 1", PH_EINVAL, 5,
         "limits.json: field expression, value 'any < 1': '<' at column 5 cannot compare text and decimal"},
        {"any in [1, 2]", PH_EINVAL, 5,
         "limits.json: field expression, value 'any in [1, 2]': 'in' at column 5 cannot compare text and decimal"},
        {"min(1, any)", PH_EINVAL, 1,
         "limits.json: field expression, value 'min(1, any)': 'min' at column 1 expects decimal, got text"},
    };
#undef RANGE
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_expr *e = NULL;
        ph_error err;
        ph_assert_ok(ph_expr_compile(f->sym, cases[i].text, "limits.json", &e, &err), &err);
        ph_value v = ph_value_text("untouched");
        ph_status st = ph_expr_eval(e, f->slots, &v, &err);
        ph_assert_error(st, cases[i].code, &err, NULL);
        if (strcmp(err.message, cases[i].message) != 0)
            fail_msg("'%s': message\n  %s\nexpected\n  %s", cases[i].text, err.message,
                     cases[i].message);
        assert_int_equal(err.column, cases[i].column);
        assert_int_equal(v.kind, PH_VALUE_TEXT);
        assert_int_equal(ph_expr_eval(e, f->slots, &v, NULL), cases[i].code);
        ph_expr_free(e);
    }
    /* A slot holding another kind than declared. */
    ph_expr *e = NULL;
    ph_error err;
    ph_assert_ok(ph_expr_compile(f->sym, "1 + a", NULL, &e, &err), &err);
    f->slots[V_A] = ph_value_text("7");
    ph_value v;
    ph_assert_error(ph_expr_eval(e, f->slots, &v, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field expression, value '1 + a': variable 'a' at column 5 "
                                     "is declared decimal but holds text");
    f->slots[V_A] = ph_value_decimal(7 * PH_DECIMAL_ONE);
    ph_expr_free(e);
}

static void test_symbols(void **state)
{
    fixture *f = *state;
    ph_error err;
    size_t slot = 99;
    assert_int_equal(ph_expr_symbols_count(f->sym), V_COUNT);
    ph_assert_error(ph_expr_symbols_add(f->sym, "a", PH_VALUE_DECIMAL, &slot, &err), PH_EEXISTS,
                    &err, NULL);
    assert_string_equal(err.message, "field variable, value 'a': declared already (slot 0)");
    static const char *const bad[] = {"", "Abc", "1a", "a-b", "and", "min", "if", "null"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ph_assert_error(ph_expr_symbols_add(f->sym, bad[i], PH_VALUE_DECIMAL, &slot, &err),
                        PH_EINVAL, &err, "expected a name of 1 to 64 characters a-z, 0-9");
    ph_assert_error(ph_expr_symbols_add(f->sym, "ok", (ph_value_kind)7, &slot, &err), PH_EINVAL,
                    &err, "expected a kind from PH_VALUE_NULL (any) to PH_VALUE_TEXT, got 7");
    assert_int_equal(slot, 99);
    assert_int_equal(ph_expr_symbols_count(f->sym), V_COUNT);
    ph_expr_symbols_free(NULL);
    ph_expr_free(NULL);
}

/* Random garbage made of the language's own pieces must compile or fail
 * cleanly, and whatever compiles must evaluate or fail cleanly. */
static void test_garbage_never_crashes(void **state)
{
    fixture *f = *state;
    static const char *const pieces[] = {
        "a", "b", "zero", "missing", "industry", "green", "any", "big", "1", "0", "3.85%",
        "85bp", "\"C13\"", "\"", "(", ")", "[", "]", ",", "+", "-", "*", "/", "=", "!=", "<",
        "<=", ">", ">=", "and", "or", "not", "in", "between", "if", "then", "else", "true",
        "false", "null", "min(", "max(", "abs(", "round(", "coalesce(", "is_null(", " ", "#",
        "1.2.", "99999999999", "\xe4\xb8\xad", "round_half_even(", "floor(", "ceil(",
    };
    const size_t count = sizeof(pieces) / sizeof(pieces[0]);
    uint64_t seed = 0x9e3779b97f4a7c15u;
    size_t compiled = 0;
    for (int round = 0; round < 20000; round++) {
        char text[256];
        size_t n = 0;
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        int len = (int)(seed % 12) + 1;
        for (int k = 0; k < len; k++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            const char *piece = pieces[seed % count];
            size_t pl = strlen(piece);
            if (n + pl + 2 >= sizeof(text))
                break;
            memcpy(text + n, piece, pl);
            n += pl;
            if ((seed >> 32) % 3 != 0)
                text[n++] = ' ';
        }
        text[n] = '\0';
        ph_expr *e = NULL;
        ph_error err;
        if (ph_expr_compile(f->sym, text, "fuzz", &e, &err) != PH_OK) {
            assert_true(err.message[0] != '\0');
            continue;
        }
        compiled++;
        ph_value v;
        (void)ph_expr_eval(e, f->slots, &v, &err);
        ph_expr_free(e);
    }
    assert_true(compiled > 100); /* the loop reaches the evaluator too */
    /* Raw bytes. */
    for (int round = 0; round < 5000; round++) {
        char text[40];
        for (size_t k = 0; k < sizeof(text) - 1; k++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text[k] = (char)(seed % 255 + 1);
        }
        text[(seed >> 40) % sizeof(text)] = '\0';
        text[sizeof(text) - 1] = '\0';
        ph_expr *e = NULL;
        if (ph_expr_compile(f->sym, text, NULL, &e, NULL) == PH_OK)
            ph_expr_free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arithmetic_and_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logic_and_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_result_kind_and_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compile_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symbols, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_never_crashes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
