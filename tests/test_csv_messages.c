/*
 * The CSV reader's messages, exactly: a field value is shown whole and
 * escaped (a NUL as \x00, never cut where the C string ends), and a missing
 * column says what the header holds and what is wrong with a name that is
 * nearly right (a second byte order mark, a blank, capitals).
 */
#include "ph_test.h"

#include "core/escape.h"

#include <string.h>

static ph_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    ph_error err;
    return ph_ctx_new(NULL, &ctx, &err) == PH_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ph_ctx_free(ctx);
    return 0;
}

static ph_csv_reader *open_doc(const char *doc, size_t len)
{
    ph_csv_options o;
    ph_csv_options_init(&o);
    o.source_name = "t.csv";
    ph_csv_reader *r = NULL;
    ph_error err;
    ph_assert_ok(ph_csv_open_memory(ctx, doc, len, &o, &r, &err), &err);
    return r;
}

/* The message of requiring `name` from a document's header. */
static void expect_missing(const char *doc, size_t len, const char *name, const char *message)
{
    ph_csv_reader *r = open_doc(doc, len);
    int idx;
    ph_error err;
    ph_assert_error(ph_csv_require_columns(r, &name, 1, &idx, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, message);
    ph_csv_free(r);
}

#define MISSING(doc, name, message) expect_missing(doc, sizeof(doc) - 1, name, message)

static void test_missing_column_second_bom(void **state)
{
    (void)state;
    /* the reader skips the first mark; the second stays in the name */
    MISSING("\xef\xbb\xbf\xef\xbb\xbfuscc,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 1 is '\\xef\\xbb\\xbfuscc' "
            "(a second byte-order mark); the header has 2 columns: '\\xef\\xbb\\xbfuscc', "
            "'name'");
    MISSING("name,\xef\xbb\xbfuscc\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 2 is '\\xef\\xbb\\xbfuscc' "
            "(a byte-order mark); the header has 2 columns: 'name', '\\xef\\xbb\\xbfuscc'");
}

static void test_missing_column_blanks(void **state)
{
    (void)state;
    MISSING(" uscc,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 1 is ' uscc' (a leading "
            "space); the header has 2 columns: ' uscc', 'name'");
    MISSING("name,uscc \n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 2 is 'uscc ' (a trailing "
            "space); the header has 2 columns: 'name', 'uscc '");
    MISSING("\tuscc,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 1 is '\\x09uscc' (a leading "
            "space); the header has 2 columns: '\\x09uscc', 'name'");
}

static void test_missing_column_case(void **state)
{
    (void)state;
    MISSING("USCC,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 1 is 'USCC' (column names are "
            "lower case); the header has 2 columns: 'USCC', 'name'");
    MISSING("uscc,name\n", "USCC",
            "t.csv:1: field USCC: missing column 'USCC': column 1 is 'uscc' (the letter case "
            "differs); the header has 2 columns: 'uscc', 'name'");
    /* all three at once */
    MISSING("\xef\xbb\xbf\xef\xbb\xbf Uscc,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 1 is "
            "'\\xef\\xbb\\xbf Uscc' (a second byte-order mark, a leading space, column names "
            "are lower case); the header has 2 columns: '\\xef\\xbb\\xbf Uscc', 'name'");
}

static void test_missing_column_no_near_miss(void **state)
{
    (void)state;
    MISSING("id,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc'; the header has 2 columns: 'id', "
            "'name'");
    MISSING("uscc x,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc'; the header has 2 columns: 'uscc x', "
            "'name'");
    /* several names, each explained */
    ph_csv_reader *r = open_doc(" a,B,c\n", 7);
    static const char *const want[] = {"a", "b", "d"};
    char buf[512];
    ph_csv_explain_missing(r, want, 3, buf, sizeof(buf));
    assert_string_equal(buf, "missing columns 'a', 'b', 'd': column 1 is ' a' (a leading "
                             "space); column 2 is 'B' (column names are lower case); the "
                             "header has 3 columns: ' a', 'B', 'c'");
    /* a small buffer is cut, and says so */
    ph_csv_explain_missing(r, want, 3, buf, 24);
    assert_string_equal(buf, "missing columns 'a',...");
    ph_csv_free(r);
}

static void test_long_header_list_is_cut(void **state)
{
    (void)state;
    char doc[4096] = "";
    size_t used = 0;
    for (int i = 0; i < 200; i++)
        used += (size_t)snprintf(doc + used, sizeof(doc) - used, "%scolumn_%03d", i ? "," : "",
                                 i);
    doc[used++] = '\n';
    ph_csv_reader *r = open_doc(doc, used);
    const char *name = "uscc";
    char buf[200];
    ph_csv_explain_missing(r, &name, 1, buf, sizeof(buf));
    assert_string_equal(buf, "missing column 'uscc'; the header has 200 columns: 'column_000', "
                             "'column_001', 'column_002', 'column_003', 'column_004', "
                             "'column_005', 'column_006', 'column_007', ... (192 more)");
    ph_csv_free(r);
}

static void test_nul_value_is_shown_whole(void **state)
{
    (void)state;
    static const char doc[] = "id,amount\n1,50\0.00\n2,\"50\0.00\"\n";
    ph_csv_reader *r = open_doc(doc, sizeof(doc) - 1);
    ph_error err;
    ph_assert_error(ph_csv_next(r, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "t.csv:2:5: field amount, value '50\\x00.00': NUL byte (0x00) in a "
                        "field; expected text (is the file UTF-16 or binary?)");
    ph_assert_ok(ph_csv_recover(r, NULL, &err), &err);
    ph_assert_error(ph_csv_next(r, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "t.csv:3:6: field amount, value '50\\x00.00': NUL byte (0x00) in a "
                        "field; expected text (is the file UTF-16 or binary?)");
    ph_assert_ok(ph_csv_recover(r, NULL, &err), &err);
    assert_int_equal(ph_csv_next(r, &err), PH_DONE);
    ph_csv_free(r);
}

static void test_control_and_invalid_bytes_escaped(void **state)
{
    (void)state;
    static const char doc[] = "id,name\n1,\"a\tb\\c\r\n\xff\"\n";
    ph_csv_reader *r = open_doc(doc, sizeof(doc) - 1);
    ph_error err;
    ph_assert_error(ph_csv_next(r, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "t.csv:3:1: field name, value 'a\\x09b\\\\c\\x0d\\x0a\\xff': invalid "
                        "UTF-8 byte 0xff; expected UTF-8 text (convert GBK or other encodings "
                        "to UTF-8 first)");
    ph_csv_free(r);
    /* a header name is escaped where it names a field */
    static const char doc2[] = "id,\"na\tme\"\n1,\xff\n";
    r = open_doc(doc2, sizeof(doc2) - 1);
    ph_assert_error(ph_csv_next(r, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "t.csv:2:3: field na\\x09me, value '\\xff': invalid UTF-8 byte 0xff; "
                        "expected UTF-8 text (convert GBK or other encodings to UTF-8 first)");
    ph_csv_free(r);
}

static void test_escape_rule(void **state)
{
    (void)state;
    char out[64];
    ph_escape_into(out, sizeof(out), "50\0.00", 6);
    assert_string_equal(out, "50\\x00.00");
    ph_escape_into(out, sizeof(out), "\xe4\xb8\xad\xef\xbb\xbf\x7f\\\xc0\xaf", 10);
    assert_string_equal(out, "\xe4\xb8\xad\\xef\\xbb\\xbf\\x7f\\\\\\xc0\\xaf");
    /* cut at a piece, never inside one */
    ph_escape_into(out, 10, "\x01\x02\x03", 3);
    assert_string_equal(out, "\\x01...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_column_second_bom),
        cmocka_unit_test(test_missing_column_blanks),
        cmocka_unit_test(test_missing_column_case),
        cmocka_unit_test(test_missing_column_no_near_miss),
        cmocka_unit_test(test_long_header_list_is_cut),
        cmocka_unit_test(test_nul_value_is_shown_whole),
        cmocka_unit_test(test_control_and_invalid_bytes_escaped),
        cmocka_unit_test(test_escape_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
