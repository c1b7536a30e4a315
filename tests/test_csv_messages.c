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

/* A blank that does not show: the message names it and the list shows its
 * bytes, so "uscc" and "uscc" + NBSP no longer read the same. */
static void test_missing_column_no_break_space(void **state)
{
    (void)state;
    MISSING("name,uscc\xc2\xa0\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 2 is 'uscc\\xc2\\xa0' (a "
            "trailing no-break space); the header has 2 columns: 'name', 'uscc\\xc2\\xa0'");
    MISSING("\xc2\xa0uscc,name\n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 1 is '\\xc2\\xa0uscc' (a "
            "leading no-break space); the header has 2 columns: '\\xc2\\xa0uscc', 'name'");
    MISSING("name,\xe2\x80\x8b Uscc\xc2\xa0 \n", "uscc",
            "t.csv:1: field uscc: missing column 'uscc': column 2 is "
            "'\\xe2\\x80\\x8b Uscc\\xc2\\xa0 ' (a leading space, a leading zero-width space, a "
            "trailing space, a trailing no-break space, column names are lower case); the "
            "header has 2 columns: 'name', '\\xe2\\x80\\x8b Uscc\\xc2\\xa0 '");
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
    escape_into(out, sizeof(out), "50\0.00", 6);
    assert_string_equal(out, "50\\x00.00");
    escape_into(out, sizeof(out), "\xe4\xb8\xad\xef\xbb\xbf\x7f\\\xc0\xaf", 10);
    assert_string_equal(out, "\xe4\xb8\xad\\xef\\xbb\\xbf\\x7f\\\\\\xc0\\xaf");
    /* cut at a piece, never inside one */
    escape_into(out, 10, "\x01\x02\x03", 3);
    assert_string_equal(out, "\\x01...");
}

/* Valid UTF-8 that does not show what it is: every byte as \xNN. */
static void test_escape_invisible(void **state)
{
    (void)state;
    static const struct {
        const char *in, *shown;
    } cases[] = {
        {"uscc\xc2\xa0", "uscc\\xc2\\xa0"},               /* no-break space */
        {"a\xc2\x85" "b", "a\\xc2\\x85b"},                  /* C1 control NEL */
        {"a\xc2\x9f", "a\\xc2\\x9f"},                       /* last C1 control */
        {"\xe2\x80\x8bx", "\\xe2\\x80\\x8bx"},             /* zero-width space */
        {"\xe2\x80\x8c\xe2\x80\x8d", "\\xe2\\x80\\x8c\\xe2\\x80\\x8d"},
        {"\xe2\x81\xa0", "\\xe2\\x81\\xa0"},                /* word joiner */
        {"1\xe2\x80\xae" "2", "1\\xe2\\x80\\xae2"},          /* right-to-left override */
        {"\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9",
         "\\xe2\\x80\\xaa\\xe2\\x81\\xa6\\xe2\\x81\\xa9"}, /* LRE, LRI, PDI */
        {"\xe2\x80\xa8\xe2\x80\xa9", "\\xe2\\x80\\xa8\\xe2\\x80\\xa9"}, /* LS, PS */
        {"\xe3\x80\x80", "\\xe3\\x80\\x80"},                /* ideographic space */
        {"\xf3\xa0\x80\x81", "\\xf3\\xa0\\x80\\x81"},      /* language tag, 4 bytes */
        /* what shows stays as it is: Chinese, punctuation, accents, emoji */
        {"\xe5\xb9\xbf\xe5\xb7\x9e\xe5\xb8\x82\xe5\xbe\xae\xe5\xb0\x8f\xe7\xa7\x91"
         "\xe6\x8a\x80\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8",
         "\xe5\xb9\xbf\xe5\xb7\x9e\xe5\xb8\x82\xe5\xbe\xae\xe5\xb0\x8f\xe7\xa7\x91"
         "\xe6\x8a\x80\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8"}, /* 广州市微小科技有限公司 */
        {"\xef\xbc\x88\xe5\x8c\x97\xe4\xba\xac\xef\xbc\x89\xe3\x80\x81\xe2\x80\x94",
         "\xef\xbc\x88\xe5\x8c\x97\xe4\xba\xac\xef\xbc\x89\xe3\x80\x81\xe2\x80\x94"},
        {"A & B, Ltd. (caf\xc3\xa9) 50%", "A & B, Ltd. (caf\xc3\xa9) 50%"},
        {"\xc2\xa1\xc2\xae\xf0\x9f\x98\x80", "\xc2\xa1\xc2\xae\xf0\x9f\x98\x80"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[128];
        escape_into(out, sizeof(out), cases[i].in, strlen(cases[i].in));
        assert_string_equal(out, cases[i].shown);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_column_second_bom),
        cmocka_unit_test(test_missing_column_blanks),
        cmocka_unit_test(test_missing_column_case),
        cmocka_unit_test(test_missing_column_no_break_space),
        cmocka_unit_test(test_missing_column_no_near_miss),
        cmocka_unit_test(test_long_header_list_is_cut),
        cmocka_unit_test(test_nul_value_is_shown_whole),
        cmocka_unit_test(test_control_and_invalid_bytes_escaped),
        cmocka_unit_test(test_escape_rule),
        cmocka_unit_test(test_escape_invisible),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
