/*
 * Interest-subsidy programmes: the Chongqing fixture applied at every tier
 * boundary, the bonus cap, the cap at the loan's rate, rounding down of the
 * rate and the award, the award cap and payee, size eligibility, the
 * explanation sentences, and every load error with its exact message.
 */
#include "support/ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YUAN(x) ((ph_money)(x) * 100)
#define LPR 3000000       /* 3.00% */
#define LOAN_RATE 3850000 /* 3.85% */

static ph_ctx *ctx_new(void)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    return ctx;
}

typedef struct fixture {
    ph_ctx *ctx;
    ph_subsidy_programme *chongqing;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_error err;
    f->ctx = ctx_new();
    char *path = ph_test_fixture("market/subsidy_chongqing.json");
    ph_assert_ok(ph_subsidy_programme_load_file(f->ctx, path, &f->chongqing, &err), &err);
    free(path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_subsidy_programme_free(f->chongqing);
    ph_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* A small firm that is neither green nor tech and has borrowed before. */
static ph_subsidy_firm plain_firm(ph_money existing)
{
    ph_subsidy_firm firm = {existing, "small", 0, 0, 0};
    return firm;
}

static ph_subsidy_result apply(const ph_subsidy_programme *p, const ph_subsidy_firm *firm,
                               ph_money amount, ph_rate loan_rate, ph_rate lpr)
{
    ph_subsidy_result r;
    ph_error err;
    ph_assert_ok(ph_subsidy_apply(p, firm, amount, loan_rate, lpr, &r, &err), &err);
    return r;
}

static void test_accessors(void **state)
{
    fixture *f = *state;
    assert_string_equal(ph_subsidy_programme_name(f->chongqing),
                        "Chongqing inclusive small-business loan interest subsidy (illustrative)");
    assert_int_equal(ph_subsidy_programme_version(f->chongqing), 1);
    assert_null(ph_subsidy_programme_name(NULL));
    assert_int_equal(ph_subsidy_programme_version(NULL), 0);
    ph_subsidy_programme_free(NULL);
}

/* docs/domain.md#risk-sharing-guarantees-and-subsidies: a green first-time borrower well inside tier 1. */
static void test_green_first_loan(void **state)
{
    fixture *f = *state;
    ph_subsidy_firm firm = {YUAN(1100000), "small", 1, 0, 1};
    ph_subsidy_result r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.eligible, 1);
    assert_int_equal(r.base_rate, 3000000);
    assert_int_equal(r.share, 100000000);
    assert_int_equal(r.bonus, 10000000);
    assert_int_equal(r.subsidy_rate, 3300000); /* 100% x 3.00% x 1.10 */
    assert_int_equal(r.first_loan_award, YUAN(1000));
    assert_int_equal(r.award_to_enterprise, 1);
    assert_string_equal(r.explanation,
                        "interest subsidy 3.30% a year (100% of the 3.00% LPR, credit "
                        "1,200,000.00 yuan below 10,000,000.00; +10% green bonus); first-loan "
                        "award 1,000.00 yuan");
}

/* credit = existing + amount; a tier applies while credit is strictly below it. */
static void test_tier_boundaries(void **state)
{
    fixture *f = *state;
    static const struct {
        ph_money existing;
        ph_rate share, rate;
    } cases[] = {
        {YUAN(9999999) + 99 - YUAN(100000), 100000000, 3000000}, /* 9,999,999.99 */
        {YUAN(10000000) - YUAN(100000), 50000000, 1500000},      /* 10,000,000.00 */
        {YUAN(29999999) + 99 - YUAN(100000), 50000000, 1500000}, /* 29,999,999.99 */
        {YUAN(30000000) - YUAN(100000), 0, 0},                   /* 30,000,000.00 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_subsidy_firm firm = plain_firm(cases[i].existing);
        ph_subsidy_result r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
        assert_int_equal(r.share, cases[i].share);
        assert_int_equal(r.subsidy_rate, cases[i].rate);
        assert_int_equal(r.eligible, cases[i].rate > 0);
        assert_int_equal(r.bonus, 0);
        assert_int_equal(r.first_loan_award, 0);
    }
    ph_subsidy_firm firm = plain_firm(YUAN(10000000) - YUAN(100000));
    ph_subsidy_result r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_string_equal(r.explanation, "interest subsidy 1.50% a year (50% of the 3.00% LPR, "
                                       "credit 10,000,000.00 yuan below 30,000,000.00)");
    firm = plain_firm(YUAN(35000000) - YUAN(100000));
    r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.base_rate, LPR);
    assert_string_equal(r.explanation, "no interest subsidy: credit 35,000,000.00 yuan is at or "
                                       "above the programme's 30,000,000.00");
}

/* Green 10% + tech 10% is capped at the programme's 15%. */
static void test_bonus_cap(void **state)
{
    fixture *f = *state;
    ph_subsidy_firm firm = {YUAN(500000), "micro", 1, 1, 0};
    ph_subsidy_result r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.bonus, 15000000);
    assert_int_equal(r.subsidy_rate, 3450000); /* 3.00% x 1.15 */
    assert_string_equal(r.explanation,
                        "interest subsidy 3.45% a year (100% of the 3.00% LPR, credit 600,000.00 "
                        "yuan below 10,000,000.00; +15% green and tech bonus (the programme's "
                        "maximum))");
    firm.green = 0; /* tech alone: 10%, under the cap */
    r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.bonus, 10000000);
    assert_int_equal(r.subsidy_rate, 3300000);
    assert_non_null(strstr(r.explanation, "; +10% tech bonus)"));
}

/* The firm never earns interest: the subsidy stops at the loan's rate. */
static void test_cap_at_loan_rate(void **state)
{
    fixture *f = *state;
    ph_subsidy_firm firm = {0, "small", 1, 0, 0};
    ph_subsidy_result r = apply(f->chongqing, &firm, YUAN(100000), 3200000, LPR);
    assert_int_equal(r.subsidy_rate, 3200000); /* 3.30% before the cap */
    assert_string_equal(r.explanation,
                        "interest subsidy 3.20% a year (100% of the 3.00% LPR, credit 100,000.00 "
                        "yuan below 10,000,000.00; +10% green bonus; capped at the loan's own "
                        "rate)");
    r = apply(f->chongqing, &firm, YUAN(100000), 3300000, LPR); /* exactly at the cap */
    assert_int_equal(r.subsidy_rate, 3300000);
    assert_null(strstr(r.explanation, "capped"));
    r = apply(f->chongqing, &firm, YUAN(100000), 0, LPR); /* an interest-free loan */
    assert_int_equal(r.subsidy_rate, 0);
    assert_int_equal(r.eligible, 0);
}

/* share x base x (1 + bonus) is rounded down to 1e-8, never up. */
static void test_rate_rounds_down(void **state)
{
    fixture *f = *state;
    ph_subsidy_firm firm = plain_firm(YUAN(20000000));
    ph_subsidy_result r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, 3000001);
    assert_int_equal(r.subsidy_rate, 1500000); /* 50% x 3.000001% = 1.5000005% */
    firm.green = 1;                             /* 50% x 3.000001% x 1.1 = 1.65000055% */
    r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, 3000001);
    assert_int_equal(r.subsidy_rate, 1650000);
}

/* 1% of the amount, rounded down to the fen, capped at 50,000 yuan. */
static void test_first_loan_award(void **state)
{
    fixture *f = *state;
    ph_subsidy_firm firm = {0, "micro", 0, 0, 1};
    ph_subsidy_result r = apply(f->chongqing, &firm, 1234567, LOAN_RATE, LPR);
    assert_int_equal(r.first_loan_award, 12345); /* 123.4567 yuan */
    assert_non_null(strstr(r.explanation, "; first-loan award 123.45 yuan"));
    r = apply(f->chongqing, &firm, YUAN(5000000), LOAN_RATE, LPR);
    assert_int_equal(r.first_loan_award, YUAN(50000)); /* exactly the maximum */
    assert_null(strstr(r.explanation, "maximum"));
    r = apply(f->chongqing, &firm, YUAN(6000000), LOAN_RATE, LPR);
    assert_int_equal(r.first_loan_award, YUAN(50000)); /* 60,000 capped */
    assert_non_null(strstr(r.explanation, "; first-loan award 50,000.00 yuan (the maximum)"));
    firm.first_loan = 0;
    r = apply(f->chongqing, &firm, YUAN(6000000), LOAN_RATE, LPR);
    assert_int_equal(r.first_loan_award, 0);
    assert_null(strstr(r.explanation, "award"));
    /* Above every tier the award still rewards a first loan. */
    firm.first_loan = 1;
    r = apply(f->chongqing, &firm, YUAN(40000000), LOAN_RATE, LPR);
    assert_int_equal(r.subsidy_rate, 0);
    assert_int_equal(r.first_loan_award, YUAN(50000));
    assert_int_equal(r.eligible, 1);
    assert_string_equal(r.explanation, "no interest subsidy: credit 40,000,000.00 yuan is at or "
                                       "above the programme's 30,000,000.00; first-loan award "
                                       "50,000.00 yuan (the maximum)");
}

static void test_size_eligibility(void **state)
{
    fixture *f = *state;
    ph_subsidy_firm firm = {0, "medium", 1, 1, 1};
    ph_subsidy_result r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.eligible, 0);
    assert_int_equal(r.subsidy_rate, 0);
    assert_int_equal(r.first_loan_award, 0);
    assert_int_equal(r.share, 0);
    assert_int_equal(r.bonus, 0);
    assert_string_equal(r.explanation, "not eligible: size class medium");
    firm.size_class = NULL;
    r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_string_equal(r.explanation, "not eligible: size class unknown");
    firm.size_class = "小型"; /* the Chinese name is accepted */
    r = apply(f->chongqing, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.eligible, 1);
    assert_int_equal(r.subsidy_rate, 3450000);
}

/* Build a variant of the fixture's text with one substring replaced. */
static const char BASE[] =
    "{\"name\": \"test programme\", \"version\": 2, \"base_rate\": \"lpr\", "
    "\"eligible_sizes\": [\"micro\", \"small\"], "
    "\"tiers\": [{\"credit_below\": \"10,000,000\", \"share\": \"100%\"}, "
    "{\"credit_below\": \"30,000,000\", \"share\": \"50%\"}], "
    "\"bonus\": {\"green\": \"10%\", \"tech\": \"5%\", \"max\": \"15%\"}, "
    "\"first_loan_award\": {\"rate\": \"1%\", \"max\": \"50,000\", \"payee\": \"enterprise\"}}";

static char *replaced(const char *from, const char *to)
{
    const char *at = strstr(BASE, from);
    assert_non_null(at);
    size_t head = (size_t)(at - BASE);
    char *text = malloc(strlen(BASE) + strlen(to) + 1);
    memcpy(text, BASE, head);
    strcpy(text + head, to);
    strcat(text, at + strlen(from));
    return text;
}

static ph_subsidy_programme *load_variant(const ph_ctx *ctx, const char *from, const char *to)
{
    char *text = replaced(from, to);
    ph_subsidy_programme *p = NULL;
    ph_error err;
    ph_assert_ok(ph_subsidy_programme_load_text(ctx, text, strlen(text), "variant.json", &p,
                                                &err), &err);
    free(text);
    return p;
}

/* A fixed base rate, every size admitted, the award paid to the lender. */
static void test_variants(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_subsidy_programme *p = load_variant(ctx, "\"lpr\"", "\"1.5%\"");
    ph_subsidy_firm firm = {0, "medium", 0, 0, 0};
    ph_subsidy_result r = apply(p, &firm, YUAN(100000), LOAN_RATE, 0); /* LPR unused */
    assert_int_equal(r.eligible, 0);
    ph_subsidy_programme_free(p);

    p = load_variant(ctx, "\"eligible_sizes\": [\"micro\", \"small\"], ", "");
    r = apply(p, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.subsidy_rate, 3000000);
    ph_subsidy_programme_free(p);

    p = load_variant(ctx, "\"base_rate\": \"lpr\", \"eligible_sizes\": [\"micro\", \"small\"]",
                     "\"base_rate\": \"1.5%\"");
    r = apply(p, &firm, YUAN(100000), LOAN_RATE, 0);
    assert_int_equal(r.base_rate, 1500000);
    assert_int_equal(r.subsidy_rate, 1500000);
    assert_string_equal(r.explanation, "interest subsidy 1.50% a year (100% of the 1.50% base "
                                       "rate, credit 100,000.00 yuan below 10,000,000.00)");
    ph_subsidy_programme_free(p);

    p = load_variant(ctx, "\"enterprise\"", "\"lender\"");
    firm.size_class = "small";
    firm.first_loan = 1;
    r = apply(p, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.first_loan_award, YUAN(1000));
    assert_int_equal(r.award_to_enterprise, 0);
    assert_non_null(strstr(r.explanation, "; first-loan award 1,000.00 yuan, paid to the lender"));
    ph_subsidy_programme_free(p);

    /* No bonus or award sections: green and first loan change nothing. */
    p = load_variant(ctx, ", \"bonus\": {\"green\": \"10%\", \"tech\": \"5%\", \"max\": \"15%\"}, "
                          "\"first_loan_award\": {\"rate\": \"1%\", \"max\": \"50,000\", "
                          "\"payee\": \"enterprise\"}",
                     "");
    firm.green = 1;
    r = apply(p, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.bonus, 0);
    assert_int_equal(r.subsidy_rate, 3000000);
    assert_int_equal(r.first_loan_award, 0);
    ph_subsidy_programme_free(p);

    /* Without a max the bonuses add up. */
    p = load_variant(ctx, ", \"max\": \"15%\"", "");
    firm.tech = 1;
    r = apply(p, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.bonus, 15000000);
    ph_subsidy_programme_free(p);
    ph_ctx_free(ctx);
}

static void test_apply_errors(void **state)
{
    fixture *f = *state;
    ph_subsidy_firm firm = plain_firm(0);
    ph_subsidy_result r;
    memset(&r, 0x5a, sizeof(r));
    ph_error err;
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 0, LOAN_RATE, LPR, &r, &err), PH_EINVAL,
                    &err, "field amount, value '0.00': expected a loan amount > 0");
    assert_int_equal(r.eligible, 0x5a5a5a5a); /* untouched */
    firm.existing_credit = -1;
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 100, LOAN_RATE, LPR, &r, &err),
                    PH_EINVAL, &err, "field existing_credit, value '-0.01': expected an amount >= 0");
    firm.existing_credit = PH_MONEY_MAX;
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 100, LOAN_RATE, LPR, &r, &err),
                    PH_ERANGE, &err, "existing credit plus the amount does not fit");
    firm.existing_credit = 0;
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 100, 101000000, LPR, &r, &err),
                    PH_EINVAL, &err, "field loan_rate, value '101.00%': expected a rate in [0, 100%]");
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 100, -1, LPR, &r, &err), PH_EINVAL,
                    &err, "field loan_rate, value '-0.000001%'");
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 100, LOAN_RATE, 0, &r, &err),
                    PH_EINVAL, &err, "field lpr, value '0.00%': expected the LPR, a rate in (0, 100%]");
    firm.size_class = "huge";
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 100, LOAN_RATE, LPR, &r, &err),
                    PH_EINVAL, &err, "field size_class, value 'huge': expected micro, small");
    ph_assert_error(ph_subsidy_apply(NULL, &firm, 100, LOAN_RATE, LPR, &r, &err), PH_EMISUSE,
                    &err, "ph_subsidy_apply: NULL argument");
    ph_assert_error(ph_subsidy_apply(f->chongqing, NULL, 100, LOAN_RATE, LPR, &r, &err),
                    PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_subsidy_apply(f->chongqing, &firm, 100, LOAN_RATE, LPR, NULL, &err),
                    PH_EMISUSE, &err, NULL);
    assert_int_equal(r.eligible, 0x5a5a5a5a);
}

/* A sentence that cannot fit is an error, not a cut sentence. */
static void test_explanation_too_long(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    static const char text[] =
        "{\"name\": \"x\", \"version\": 1, \"base_rate\": \"lpr\", \"tiers\": ["
        "{\"credit_below\": \"90,000,000,000,000,000\", \"share\": \"99.999999%\"}], "
        "\"bonus\": {\"green\": \"10%\", \"tech\": \"10%\", \"max\": \"15%\"}, "
        "\"first_loan_award\": {\"rate\": \"1%\", \"max\": \"50,000\", \"payee\": \"lender\"}}";
    ph_subsidy_programme *p = NULL;
    ph_error err;
    ph_assert_ok(ph_subsidy_programme_load_text(ctx, text, strlen(text), NULL, &p, &err), &err);
    ph_subsidy_firm firm = {YUAN(70000000000000000) + 99, "small", 1, 1, 1};
    ph_subsidy_result r;
    ph_assert_error(ph_subsidy_apply(p, &firm, YUAN(10000000000000000), 1000001, 99999999, &r,
                                     &err), PH_ERANGE, &err,
                    "field explanation: the explanation does not fit in 256 bytes");
    ph_subsidy_programme_free(p);
    ph_ctx_free(ctx);
}

/* Applying allocates nothing: count the context's allocations. */
static void *count_malloc(void *user, size_t size)
{
    ++*(int *)user;
    return malloc(size);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    ++*(int *)user;
    return realloc(ptr, size);
}

static void count_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static void test_apply_allocates_nothing(void **state)
{
    (void)state;
    int calls = 0;
    ph_allocator alloc = {count_malloc, count_realloc, count_free, &calls};
    ph_ctx_options opts = {.allocator = &alloc, .log_level = PH_LOG_OFF};
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&opts, &ctx, &err), &err);
    ph_subsidy_programme *p = load_variant(ctx, "\"version\": 2", "\"version\": 2");
    int before = calls;
    assert_true(before > 0); /* the counter works */
    ph_subsidy_firm firm = {0, "small", 1, 1, 1};
    ph_subsidy_result r = apply(p, &firm, YUAN(100000), LOAN_RATE, LPR);
    assert_int_equal(r.eligible, 1);
    assert_int_equal(calls, before);
    ph_subsidy_programme_free(p);
    ph_ctx_free(ctx);
}

/* ---- load errors --------------------------------------------------------------------- */

static void load_fails(const char *from, const char *to, ph_status code, const char *message)
{
    ph_ctx *ctx = ctx_new();
    char *text = replaced(from, to);
    ph_subsidy_programme *p = (ph_subsidy_programme *)(uintptr_t)1;
    ph_error err;
    ph_status st = ph_subsidy_programme_load_text(ctx, text, strlen(text), "subsidy.json", &p,
                                                  &err);
    ph_assert_error(st, code, &err, NULL);
    if (strcmp(err.message, message) != 0)
        fail_msg("replacing [%s] by [%s]:\n  got      %s\n  expected %s", from, to, err.message,
                 message);
    assert_ptr_equal(p, (ph_subsidy_programme *)(uintptr_t)1); /* untouched */
    free(text);
    ph_ctx_free(ctx);
}

static void test_load_errors_header(void **state)
{
    (void)state;
    load_fails("\"version\": 2", "\"version\": 2, \"bonsu\": 1", PH_EINVAL,
               "subsidy.json: field bonsu: unknown member (expected name, version, base_rate, "
               "eligible_sizes, tiers, bonus, first_loan_award)");
    load_fails("\"name\": \"test programme\", ", "", PH_ENOTFOUND,
               "subsidy.json: field name: required member is missing; expected a string");
    load_fails("\"test programme\"", "\"\"", PH_EINVAL,
               "subsidy.json: field name: expected a non-empty string");
    load_fails("\"version\": 2", "\"version\": 0", PH_EINVAL,
               "subsidy.json: field version, value '0': expected an integer >= 1");
    load_fails("\"version\": 2", "\"version\": \"2\"", PH_EINVAL,
               "subsidy.json: field version, value '2': expected an integer, found a string");
    load_fails("\"lpr\"", "\"LPR plus\"", PH_EINVAL,
               "subsidy.json: field base_rate, value 'LPR plus': expected \"lpr\" or a rate in "
               "(0, 100%]");
    load_fails("\"lpr\"", "\"150%\"", PH_EINVAL,
               "subsidy.json: field base_rate, value '150%': expected \"lpr\" or a rate in "
               "(0, 100%]");
    load_fails("\"lpr\"", "\"0%\"", PH_EINVAL,
               "subsidy.json: field base_rate, value '0%': expected \"lpr\" or a rate in "
               "(0, 100%]");
}

static void test_load_errors_sizes(void **state)
{
    (void)state;
    load_fails("[\"micro\", \"small\"]", "[]", PH_EINVAL,
               "subsidy.json: field eligible_sizes: expected a non-empty array of size classes "
               "(omit the member to admit every size)");
    load_fails("[\"micro\", \"small\"]", "\"small\"", PH_EINVAL,
               "subsidy.json: field eligible_sizes, value 'small': expected an array, found a "
               "string");
    load_fails("[\"micro\", \"small\"]", "[\"micro\", \"tiny\"]", PH_EINVAL,
               "subsidy.json: field eligible_sizes[1], value 'tiny': expected a size class "
               "(micro, small, medium or large)");
    load_fails("[\"micro\", \"small\"]", "[\"small\", \"小型\"]", PH_EINVAL,
               "subsidy.json: field eligible_sizes[1], value '小型': size class listed twice");
    load_fails("[\"micro\", \"small\"]", "[3]", PH_EINVAL,
               "subsidy.json: field eligible_sizes[0]: expected a size class (micro, small, "
               "medium or large), found an integer");
}

static void test_load_errors_tiers(void **state)
{
    (void)state;
    load_fails("\"50%\"", "\"150%\"", PH_EINVAL,
               "subsidy.json: field tiers[1].share, value '150%': expected a share in (0, 100%]");
    load_fails("\"100%\"", "\"0%\"", PH_EINVAL,
               "subsidy.json: field tiers[0].share, value '0%': expected a share in (0, 100%]");
    load_fails("\"50%\"", "\"half\"", PH_EINVAL,
               "subsidy.json: field tiers[1].share, value 'half': unexpected 'h' at position 1; "
               "expected a rate such as 3.85%, 385bp or 0.0385");
    load_fails("\"50%\"", "0.5", PH_EINVAL,
               "subsidy.json: field tiers[1].share, value '0.5': expected a rate as a string "
               "such as \"3.85%\", \"385bp\" or \"0.0385\", found a real number");
    load_fails(", \"share\": \"50%\"", "", PH_ENOTFOUND,
               "subsidy.json: field tiers[1].share: required member is missing; expected a rate "
               "as a string such as \"3.85%\", \"385bp\" or \"0.0385\"");
    load_fails("\"30,000,000\"", "\"5,000,000\"", PH_EINVAL,
               "subsidy.json: field tiers[1].credit_below, value '5,000,000.00': expected more "
               "than tiers[0].credit_below (10,000,000.00): tiers go from the smallest credit up");
    load_fails("\"30,000,000\"", "\"10,000,000\"", PH_EINVAL,
               "subsidy.json: field tiers[1].credit_below, value '10,000,000.00': expected more "
               "than tiers[0].credit_below (10,000,000.00): tiers go from the smallest credit up");
    load_fails("\"10,000,000\"", "\"0\"", PH_EINVAL,
               "subsidy.json: field tiers[0].credit_below, value '0.00': expected an amount in "
               "yuan > 0");
    load_fails("\"10,000,000\"", "\"ten million\"", PH_EINVAL,
               "subsidy.json: field tiers[0].credit_below, value 'ten million': unexpected 't' at "
               "position 1; expected an amount such as 12345.67 or 12,345.67");
    load_fails("{\"credit_below\": \"30,000,000\", \"share\": \"50%\"}", "[1]", PH_EINVAL,
               "subsidy.json: field tiers[1]: expected an object with credit_below and share, "
               "found an array");
    load_fails("\"share\": \"50%\"", "\"share\": \"50%\", \"cap\": \"1\"", PH_EINVAL,
               "subsidy.json: field tiers[1].cap: unknown member (expected credit_below, share)");
    load_fails("[{\"credit_below\": \"10,000,000\", \"share\": \"100%\"}, "
               "{\"credit_below\": \"30,000,000\", \"share\": \"50%\"}]",
               "[]", PH_EINVAL, "subsidy.json: field tiers: expected 1 to 32 tiers, found 0");
    load_fails("\"tiers\"", "\"tier\"", PH_EINVAL,
               "subsidy.json: field tier: unknown member (expected name, version, base_rate, "
               "eligible_sizes, tiers, bonus, first_loan_award)");
}

static void test_load_errors_too_many_tiers(void **state)
{
    (void)state;
    char tiers[4096] = "[";
    for (int i = 1; i <= PH_SUBSIDY_MAX_TIERS + 1; i++) {
        char one[80];
        snprintf(one, sizeof(one), "%s{\"credit_below\": %d, \"share\": \"10%%\"}",
                 i > 1 ? ", " : "", i);
        strcat(tiers, one);
    }
    strcat(tiers, "]");
    load_fails("[{\"credit_below\": \"10,000,000\", \"share\": \"100%\"}, "
               "{\"credit_below\": \"30,000,000\", \"share\": \"50%\"}]",
               tiers, PH_EINVAL, "subsidy.json: field tiers: expected 1 to 32 tiers, found 33");
}

static void test_load_errors_bonus_award(void **state)
{
    (void)state;
    load_fails("\"green\": \"10%\"", "\"green\": \"-1%\"", PH_EINVAL,
               "subsidy.json: field bonus.green, value '-1%': expected a bonus in [0, 100%]");
    load_fails("\"max\": \"15%\"", "\"max\": \"101%\"", PH_EINVAL,
               "subsidy.json: field bonus.max, value '101%': expected a bonus in [0, 100%]");
    load_fails("\"tech\": \"5%\"", "\"tec\": \"5%\"", PH_EINVAL,
               "subsidy.json: field bonus.tec: unknown member (expected green, tech, max)");
    load_fails("{\"green\": \"10%\", \"tech\": \"5%\", \"max\": \"15%\"}", "1", PH_EINVAL,
               "subsidy.json: field bonus, value '1': expected an object, found an integer");
    load_fails("\"rate\": \"1%\"", "\"rate\": \"0%\"", PH_EINVAL,
               "subsidy.json: field first_loan_award.rate, value '0%': expected a rate in "
               "(0, 100%]");
    load_fails("\"max\": \"50,000\"", "\"max\": \"0\"", PH_EINVAL,
               "subsidy.json: field first_loan_award.max, value '0.00': expected an amount in "
               "yuan > 0");
    load_fails("\"enterprise\"", "\"bank\"", PH_EINVAL,
               "subsidy.json: field first_loan_award.payee, value 'bank': expected "
               "\"enterprise\" or \"lender\"");
    load_fails(", \"payee\": \"enterprise\"", "", PH_ENOTFOUND,
               "subsidy.json: field first_loan_award.payee: required member is missing; "
               "expected a string");
    load_fails("\"payee\"", "\"payer\"", PH_EINVAL,
               "subsidy.json: field first_loan_award.payer: unknown member (expected rate, max, "
               "payee)");
}

static void test_load_errors_document(void **state)
{
    (void)state;
    ph_ctx *ctx = ctx_new();
    ph_subsidy_programme *p = NULL;
    ph_error err;
    ph_assert_error(ph_subsidy_programme_load_text(ctx, "[1]", 3, "subsidy.json", &p, &err),
                    PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "subsidy.json: expected a JSON object (a subsidy programme), found an array");
    ph_assert_error(ph_subsidy_programme_load_text(ctx, "{\"name\": ", 9, NULL, &p, &err),
                    PH_EINVAL, &err, "subsidy programme:1:");
    ph_assert_error(ph_subsidy_programme_load_file(ctx, "/nonexistent/subsidy.json", &p, &err),
                    PH_EIO, &err, "/nonexistent/subsidy.json");
    ph_assert_error(ph_subsidy_programme_load_file(ctx, NULL, &p, &err), PH_EMISUSE, &err,
                    "ph_subsidy_programme_load_file: NULL argument");
    ph_assert_error(ph_subsidy_programme_load_text(ctx, NULL, 0, NULL, &p, &err), PH_EMISUSE,
                    &err, "ph_subsidy_programme_load_text: NULL argument");
    assert_null(p);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accessors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_green_first_loan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tier_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bonus_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_at_loan_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_rounds_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_loan_award, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_eligibility, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_errors, setup, teardown),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_explanation_too_long),
        cmocka_unit_test(test_apply_allocates_nothing),
        cmocka_unit_test(test_load_errors_header),
        cmocka_unit_test(test_load_errors_sizes),
        cmocka_unit_test(test_load_errors_tiers),
        cmocka_unit_test(test_load_errors_too_many_tiers),
        cmocka_unit_test(test_load_errors_bonus_award),
        cmocka_unit_test(test_load_errors_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
