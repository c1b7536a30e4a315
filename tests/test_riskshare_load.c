/*
 * Risk-sharing schemes read from JSON: a document equal to the built-in
 * defaults reads to the same schemes, and every slip is an error naming the
 * file, line, column, member, value and what was expected.
 */
#include "support/ph_test.h"

#include <stdlib.h>
#include <string.h>

static ph_ctx *ctx;
static char *dir;

static int setup(void **state)
{
    (void)state;
    ph_test_env_open("riskshare_load", &ctx, &dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ph_test_env_close(ctx, dir);
    return 0;
}

/* The design's document, one member a line so that errors have lines. */
static const char DEFAULTS[] =
    "{\n"
    "  \"schemes\": [\n"
    "    {\"name\": \"bank_guarantor_2_8\", \"shares\": {\"bank\": 2000, \"guarantor\": 8000}},\n"
    "    {\"name\": \"4321\", \"shares\": {\"guarantor\": 4000, \"reguarantor\": 3000,\n"
    "                                \"bank\": 2000, \"government\": 1000}},\n"
    "    {\"name\": \"bank_only\", \"shares\": {\"bank\": 10000}}\n"
    "  ],\n"
    "  \"default_trigger\": {\"dpd\": 90}\n"
    "}\n";

static void test_file_equals_defaults(void **state)
{
    (void)state;
    char *path = ph_test_path(dir, "share.json");
    ph_test_write_file(path, DEFAULTS);
    ph_share_schemes *file = NULL, *builtin = NULL;
    ph_error err;
    ph_assert_ok(ph_share_schemes_load_file(ctx, path, &file, &err), &err);
    ph_assert_ok(ph_share_schemes_default(ctx, &builtin, &err), &err);
    assert_int_equal(ph_share_schemes_count(file), ph_share_schemes_count(builtin));
    for (size_t i = 0; i < ph_share_schemes_count(file); i++) {
        const ph_share_scheme *a = ph_share_schemes_at(file, i);
        const ph_share_scheme *b = ph_share_schemes_at(builtin, i);
        assert_string_equal(ph_share_scheme_name(a), ph_share_scheme_name(b));
        for (int p = 0; p < PH_PARTY_COUNT; p++)
            assert_int_equal(ph_share_scheme_bp(a, (ph_share_party)p),
                             ph_share_scheme_bp(b, (ph_share_party)p));
    }
    assert_int_equal(ph_share_schemes_default_dpd(file), 90);
    assert_true(ph_share_schemes_default_on_write_off(file));
    ph_share_schemes_free(file);
    ph_share_schemes_free(builtin);
    free(path);
}

static void test_trigger(void **state)
{
    (void)state;
    static const char only_write_off[] =
        "{\"schemes\": [{\"name\": \"b\", \"shares\": {\"bank\": 10000}}],"
        " \"default_trigger\": {\"write_off\": true}}";
    static const char dpd_only[] =
        "{\"schemes\": [{\"name\": \"b\", \"shares\": {\"bank\": 10000}}],"
        " \"default_trigger\": {\"dpd\": 180, \"write_off\": false}}";
    ph_share_schemes *s = NULL;
    ph_error err;
    ph_assert_ok(ph_share_schemes_load_text(ctx, only_write_off, strlen(only_write_off), NULL, &s,
                                            &err),
                 &err);
    assert_int_equal(ph_share_schemes_default_dpd(s), 0);
    assert_false(ph_share_is_default(s, 3000, 0));
    assert_true(ph_share_is_default(s, 0, 1));
    ph_share_schemes_free(s);
    ph_assert_ok(ph_share_schemes_load_text(ctx, dpd_only, strlen(dpd_only), NULL, &s, &err),
                 &err);
    assert_false(ph_share_is_default(s, 179, 1));
    assert_true(ph_share_is_default(s, 180, 0));
    ph_share_schemes_free(s);
}

/* Load `text` as the file share.json and expect `code` with `message` (the
 * whole sentence after the directory). */
static void expect_error(const char *text, ph_status code, const char *message)
{
    char *path = ph_test_path(dir, "share.json");
    ph_test_write_file(path, text);
    ph_share_schemes *s = (ph_share_schemes *)(uintptr_t)1;
    ph_error err;
    ph_status st = ph_share_schemes_load_file(ctx, path, &s, &err);
    char *expected = malloc(strlen(path) + strlen(message) + 2);
    assert_non_null(expected);
    strcpy(expected, path);
    strcat(expected, message);
    ph_assert_error(st, code, &err, expected);
    assert_ptr_equal(s, (ph_share_schemes *)(uintptr_t)1);
    free(expected);
    free(path);
}

static void test_shares_that_do_not_sum(void **state)
{
    (void)state;
    expect_error("{\"schemes\": [\n"
                 "  {\"name\": \"a\", \"shares\": {\"bank\": 2000, \"guarantor\": 8000}},\n"
                 "  {\"name\": \"b\",\n"
                 "   \"shares\": {\"guarantor\": 8000, \"bank\": 2500}}]}\n",
                 PH_EINVAL,
                 ":4:34: field schemes[1].shares.bank, value '2500': expected shares that sum "
                 "to 10000 bp (100%), found 10500 bp");
}

static void test_unknown_party(void **state)
{
    (void)state;
    expect_error("{\"schemes\": [\n"
                 "  {\"name\": \"a\", \"shares\": {\"bank\": 2000, \"guarentor\": 8000}}]}\n",
                 PH_EINVAL,
                 ":2:42: field schemes[0].shares.guarentor: unknown party (expected bank, "
                 "guarantor, reguarantor or government)");
    expect_error("{\"schemes\": [\n"
                 "  {\"name\": \"a\", \"shares\": {\"bank\": 7000, \"pool\": 3000}}]}\n",
                 PH_EINVAL,
                 ":2:42: field schemes[0].shares.pool: a pool is not a party of a scheme");
}

static void test_bad_share_values(void **state)
{
    (void)state;
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": 10001}}]}", PH_EINVAL,
                 ":1:39: field schemes[0].shares.bank, value '10001': expected a share in basis "
                 "points from 0 to 10000");
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": -1, \"guarantor\": 10001}}]}",
                 PH_EINVAL, ":1:39: field schemes[0].shares.bank, value '-1'");
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": \"20%\"}}]}", PH_EINVAL,
                 ":1:39: field schemes[0].shares.bank");
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": 0.5}}]}", PH_EINVAL,
                 ":1:39: field schemes[0].shares.bank");
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {}}]}", PH_EINVAL,
                 ":1:28: field schemes[0].shares: expected at least one party's share");
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": [10000]}]}", PH_EINVAL,
                 ":1:28: field schemes[0].shares");
}

static void test_bad_names(void **state)
{
    (void)state;
    expect_error("{\"schemes\": [\n"
                 "  {\"name\": \"a\", \"shares\": {\"bank\": 10000}},\n"
                 "  {\"name\": \"a\", \"shares\": {\"bank\": 10000}}]}",
                 PH_EINVAL,
                 ":3:4: field schemes[1].name, value 'a': expected a unique name: schemes[0] "
                 "has it already");
    expect_error("{\"schemes\": [{\"name\": \"\", \"shares\": {\"bank\": 10000}}]}", PH_EINVAL,
                 ":1:15: field schemes[0].name: expected a scheme name of 1 to 63 bytes");
    expect_error("{\"schemes\": [{\"name\": \"a\\u0000b\", \"shares\": {\"bank\": 10000}}]}",
                 PH_EINVAL, ":1:32: invalid JSON: \\u0000 is not allowed");
    expect_error("{\"schemes\": [{\"name\": "
                 "\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\", "
                 "\"shares\": {\"bank\": 10000}}]}",
                 PH_EINVAL,
                 ":1:15: field schemes[0].name, value "
                 "'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl': expected a "
                 "scheme name of 1 to 63 bytes");
    expect_error("{\"schemes\": [{\"shares\": {\"bank\": 10000}}]}", PH_ENOTFOUND,
                 ":1:14: field schemes[0].name");
    expect_error("{\"schemes\": [{\"name\": 7, \"shares\": {\"bank\": 10000}}]}", PH_EINVAL,
                 ":1:15: field schemes[0].name");
}

static void test_bad_structure(void **state)
{
    (void)state;
    expect_error("{\"schemes\": [], \"default_trigger\": {\"dpd\": 90}}", PH_EINVAL,
                 ":1:2: field schemes: expected 1 to 256 schemes, found 0");
    expect_error("{\"default_trigger\": {\"dpd\": 90}}", PH_ENOTFOUND, ":1:1: field schemes");
    expect_error("[1, 2]", PH_EINVAL, ":1:1: expected a JSON object with \"schemes\"");
    expect_error("{\"schemes\": [7]}", PH_EINVAL,
                 ":1:14: field schemes[0]: expected an object with name and shares, found an "
                 "integer");
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": 10000}, \"share\": 1}]}",
                 PH_EINVAL,
                 ":1:55: field schemes[0].share: unknown member (expected name, shares)");
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": 10000}}],\n"
                 " \"pools\": []}",
                 PH_EINVAL, ":2:2: field pools: unknown member (expected schemes, default_trigger)");
    /* A syntax error: jansson's line and column. */
    expect_error("{\"schemes\": [\n  {\"name\": \"a\",, }]}", PH_EINVAL, ":2:16: invalid JSON");
    /* A duplicate key would let the second share win silently. */
    expect_error("{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": 2000, \"bank\": 10000}}]}",
                 PH_EINVAL, ":1:58: invalid JSON: duplicate object key");
}

/* The line and column of an error after text that could mislead a walk:
 * brackets, quotes and escapes inside strings, Chinese names (columns count
 * characters, as jansson's do: "担保" is 2 columns, 6 bytes). Line 3 is
 * `  {"name": "b", "shares": {"bank": 1}}]}`: "bank" starts at column 28. */
static void test_location_after_tricky_text(void **state)
{
    (void)state;
    expect_error("{\"schemes\": [\n"
                 "  {\"name\": \"担保}]\\\"[{\", \"shares\": {\"bank\": 10000}},\n"
                 "  {\"name\": \"b\", \"shares\": {\"bank\": 1}}]}",
                 PH_EINVAL, ":3:28: field schemes[1].shares.bank, value '1'");
    /* On one line after the Chinese name: column in characters. Line 2 is
     * `{"name": "担保", "shares": {"bank": 10000}, "x": 1}`; "x" at 43. */
    expect_error("{\"schemes\": [\n"
                 "{\"name\": \"担保\", \"shares\": {\"bank\": 10000}, \"x\": 1}]}",
                 PH_EINVAL, ":2:43: field schemes[0].x: unknown member");
}

static void test_bad_trigger(void **state)
{
    (void)state;
    static const char head[] = "{\"schemes\": [{\"name\": \"a\", \"shares\": {\"bank\": 10000}}],\n";
    char text[512];
    snprintf(text, sizeof(text), "%s \"default_trigger\": {\"dpd\": 0}}", head);
    expect_error(text, PH_EINVAL,
                 ":2:22: field default_trigger.dpd, value '0': expected days past due from 1 to "
                 "3650");
    snprintf(text, sizeof(text), "%s \"default_trigger\": {\"dpd\": 3651}}", head);
    expect_error(text, PH_EINVAL, ":2:22: field default_trigger.dpd, value '3651'");
    snprintf(text, sizeof(text), "%s \"default_trigger\": {\"write_off\": false}}", head);
    expect_error(text, PH_EINVAL,
                 ":2:2: field default_trigger: expected dpd, or write_off true: nothing would "
                 "ever trigger");
    snprintf(text, sizeof(text), "%s \"default_trigger\": {\"write_off\": 1}}", head);
    expect_error(text, PH_EINVAL, ":2:22: field default_trigger.write_off");
    snprintf(text, sizeof(text), "%s \"default_trigger\": {\"days\": 90}}", head);
    expect_error(text, PH_EINVAL,
                 ":2:22: field default_trigger.days: unknown member (expected dpd, write_off)");
    snprintf(text, sizeof(text), "%s \"default_trigger\": 90}", head);
    expect_error(text, PH_EINVAL, ":2:2: field default_trigger");
}

static void test_misuse_and_io(void **state)
{
    (void)state;
    ph_share_schemes *s = NULL;
    ph_error err;
    ph_assert_error(ph_share_schemes_load_file(ctx, "/nonexistent/share.json", &s, &err), PH_EIO,
                    &err, "/nonexistent/share.json");
    ph_assert_error(ph_share_schemes_load_file(NULL, "x", &s, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_share_schemes_load_text(ctx, NULL, 0, NULL, &s, &err), PH_EMISUSE, &err,
                    NULL);
    ph_assert_error(ph_share_schemes_load_text(ctx, "{", 1, NULL, &s, &err), PH_EINVAL, &err,
                    "risk-sharing schemes:1:");
    assert_null(s);
    ph_share_schemes_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_equals_defaults),
        cmocka_unit_test(test_trigger),
        cmocka_unit_test(test_shares_that_do_not_sum),
        cmocka_unit_test(test_unknown_party),
        cmocka_unit_test(test_bad_share_values),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_bad_structure),
        cmocka_unit_test(test_location_after_tricky_text),
        cmocka_unit_test(test_bad_trigger),
        cmocka_unit_test(test_misuse_and_io),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
