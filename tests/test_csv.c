/*
 * The CSV reader (src/csv): the RFC 4180 dialect, the header, every error
 * path with its exact message and position, and the accessors.
 * Streaming (buffer boundaries, input kinds, memory, random documents) is
 * in test_csv_stream.c.
 */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    ph_ctx *ctx;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (f == NULL || ph_ctx_new(NULL, &f->ctx, NULL) != PH_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_ctx_free(f->ctx);
    free(f);
    return 0;
}

static ph_csv_options options(int has_header)
{
    ph_csv_options o;
    ph_csv_options_init(&o);
    o.has_header = has_header;
    o.source_name = "t.csv";
    return o;
}

/* Append to a growing string (test-only, plain malloc). */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/*
 * Parse `doc` from memory and render it as "H[name]...\n" for the header, then
 * "[field][field]\n" per record, up to the end or the first error, whose
 * status is returned (PH_DONE at a clean end). The caller frees *out.
 */
static ph_status render(const ph_ctx *ctx, const char *doc, size_t len,
                        const ph_csv_options *o, char **out, ph_error *err)
{
    text t = {NULL, 0, 0};
    text_add(&t, "", 0);
    ph_csv_reader *r;
    ph_status st = ph_csv_open_memory(ctx, doc, len, o, &r, err);
    if (st != PH_OK) {
        *out = t.s;
        return st;
    }
    if (ph_csv_header_count(r) > 0) {
        text_add(&t, "H", 1);
        for (size_t i = 0; i < ph_csv_header_count(r); i++) {
            const char *name = ph_csv_header_name(r, i);
            text_add(&t, "[", 1);
            text_add(&t, name, strlen(name));
            text_add(&t, "]", 1);
        }
        text_add(&t, "\n", 1);
    }
    while ((st = ph_csv_next(r, err)) == PH_OK) {
        for (size_t i = 0; i < ph_csv_field_count(r); i++) {
            const char *p;
            size_t n;
            ph_assert_ok(ph_csv_field(r, i, &p, &n, err), err);
            assert_int_equal(p[n], '\0');
            text_add(&t, "[", 1);
            text_add(&t, p, n);
            text_add(&t, "]", 1);
        }
        text_add(&t, "\n", 1);
    }
    ph_csv_free(r);
    *out = t.s;
    return st;
}

/* Parse a NUL-terminated document and compare the rendering. */
static void expect_records(const ph_ctx *ctx, const char *doc, const ph_csv_options *o,
                           const char *expected)
{
    ph_error err;
    char *got;
    ph_status st = render(ctx, doc, strlen(doc), o, &got, &err);
    if (st != PH_DONE)
        fail_msg("expected PH_DONE, got %s: %s", ph_status_name(st), err.message);
    assert_string_equal(got, expected);
    free(got);
}

/* Parse a document that must fail with `code` and exactly `message`. */
static void expect_error(const ph_ctx *ctx, const char *doc, size_t len,
                         const ph_csv_options *o, ph_status code, const char *message)
{
    ph_error err;
    ph_error_clear(&err);
    char *got;
    ph_status st = render(ctx, doc, len, o, &got, &err);
    free(got);
    ph_assert_error(st, code, &err, NULL);
    assert_string_equal(err.message, message);
}

/* --- The dialect ------------------------------------------------------------ */

static void test_simple_records(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    expect_records(f->ctx, "id,name\n1,Alice\n2,Bob\n", &o, "H[id][name]\n[1][Alice]\n[2][Bob]\n");
    o = options(0);
    expect_records(f->ctx, "1,Alice\n2,Bob\n", &o, "[1][Alice]\n[2][Bob]\n");
}

static void test_quoted_fields(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(0);
    expect_records(f->ctx, "\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n", &o,
                   "[a,b][say \"hi\"][][\"]\n");
    /* CR and LF inside quotes are kept exactly */
    expect_records(f->ctx, "\"l1\r\nl2\nl3\r\",x\r\n", &o, "[l1\r\nl2\nl3\r][x]\n");
    /* a quoted field ending the input without a newline */
    expect_records(f->ctx, "1,\"end\"", &o, "[1][end]\n");
    /* the delimiter of another dialect is data */
    expect_records(f->ctx, "\";\t|\"\n", &o, "[;\t|]\n");
}

static void test_line_endings(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(0);
    expect_records(f->ctx, "a,b\r\nc,d\ne,f\r\ng,h", &o, "[a][b]\n[c][d]\n[e][f]\n[g][h]\n");
    expect_records(f->ctx, "a,b,\n,,\n", &o, "[a][b][]\n[][][]\n");
    expect_records(f->ctx, "a,b,", &o, "[a][b][]\n");
    expect_records(f->ctx, " a , b \n", &o, "[ a ][ b ]\n"); /* nothing is trimmed */
    expect_records(f->ctx, "", &o, "");
}

static void test_empty_lines(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(0);
    const char *doc = "\n1\n\n\r\n2\n\n";
    expect_records(f->ctx, doc, &o, "[1]\n[2]\n");
    o.skip_empty_lines = 0;
    expect_records(f->ctx, doc, &o, "[]\n[1]\n[]\n[]\n[2]\n[]\n");

    /* a skipped empty line still counts as a line */
    o = options(1);
    ph_csv_reader *r;
    ph_error err;
    const char *lines = "h\n\n\nv\n";
    ph_assert_ok(ph_csv_open_memory(f->ctx, lines, strlen(lines), &o, &r, &err), &err);
    assert_int_equal(ph_csv_line(r), 1);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    assert_int_equal(ph_csv_line(r), 4);
    ph_csv_free(r);
}

static void test_byte_order_mark(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    expect_records(f->ctx, "\xef\xbb\xbfid,name\n1,x\n", &o, "H[id][name]\n[1][x]\n");
    o = options(0);
    expect_records(f->ctx, "\xef\xbb\xbf", &o, "");
    /* U+FEFF later on is ordinary text */
    expect_records(f->ctx, "a\xef\xbb\xbf\n", &o, "[a\xef\xbb\xbf]\n");
    /* columns do not count the mark */
    const char *doc = "\xef\xbb\xbf" "ab\"c\n";
    expect_error(f->ctx, doc, strlen(doc), &o, PH_EINVAL,
                 "t.csv:1:3: field column 1, value 'ab': unexpected '\"' inside an unquoted "
                 "field; expected the whole field in quotes, with inner quotes doubled "
                 "(\"\")");
}

static void test_chinese_round_trip(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *doc = "企业名称,地区,备注\n"
                      "北京华信科技有限公司,北京,\"资金周转，申请展期\"\n"
                      "\"上海\"\"浦东\"\"商贸\",上海,\"第一行\n第二行\"\n";
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_memory(f->ctx, doc, strlen(doc), &o, &r, &err), &err);
    assert_string_equal(ph_csv_header_name(r, 0), "企业名称");
    assert_int_equal(ph_csv_column(r, "备注"), 2);
    const char *expected[2][3] = {
        {"北京华信科技有限公司", "北京", "资金周转，申请展期"},
        {"上海\"浦东\"商贸", "上海", "第一行\n第二行"},
    };
    for (int row = 0; row < 2; row++) {
        ph_assert_ok(ph_csv_next(r, &err), &err);
        assert_int_equal(ph_csv_field_count(r), 3);
        for (size_t i = 0; i < 3; i++) {
            const char *p;
            size_t n;
            ph_assert_ok(ph_csv_field(r, i, &p, &n, &err), &err);
            assert_int_equal(n, strlen(expected[row][i]));
            assert_memory_equal(p, expected[row][i], n);
        }
    }
    assert_int_equal(ph_csv_next(r, &err), PH_DONE);
    ph_csv_free(r);
}

static void test_other_delimiters(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(0);
    o.delimiter = '\t';
    expect_records(f->ctx, "a,b\tc\n\"x\ty\"\t\n", &o, "[a,b][c]\n[x\ty][]\n");
    o.delimiter = ';';
    expect_records(f->ctx, "1,5;2\n", &o, "[1,5][2]\n");
    o.delimiter = '|';
    expect_records(f->ctx, "a|\"b|c\"|d\n", &o, "[a][b|c][d]\n");
    expect_error(f->ctx, "\"a\",b\n", 6, &o, PH_EINVAL,
                 "t.csv:1:4: field column 1, value 'a': unexpected ',' after the closing "
                 "quote; expected the delimiter '|' or the end of the line");
    o.delimiter = '\t';
    expect_error(f->ctx, "\"a\" \n", 5, &o, PH_EINVAL,
                 "t.csv:1:4: field column 1, value 'a': unexpected ' ' after the closing "
                 "quote; expected the delimiter 0x09 or the end of the line");
}

/* --- The header -------------------------------------------------------------- */

static void test_header_mapping(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *doc = "id,Name,amount\n1,a,2\n";
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_memory(f->ctx, doc, strlen(doc), &o, &r, &err), &err);
    assert_int_equal(ph_csv_header_count(r), 3);
    assert_string_equal(ph_csv_header_name(r, 1), "Name");
    assert_null(ph_csv_header_name(r, 3));
    assert_int_equal(ph_csv_column(r, "amount"), 2);
    assert_int_equal(ph_csv_column(r, "name"), -1); /* exact match */
    assert_int_equal(ph_csv_column(r, "amoun"), -1);
    assert_int_equal(ph_csv_column(r, NULL), -1);

    static const char *const want[] = {"amount", "id"};
    int idx[2] = {-5, -5};
    ph_assert_ok(ph_csv_require_columns(r, want, 2, idx, &err), &err);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 0);
    ph_csv_free(r);

    o = options(0);
    ph_assert_ok(ph_csv_open_memory(f->ctx, doc, strlen(doc), &o, &r, &err), &err);
    assert_int_equal(ph_csv_header_count(r), 0);
    assert_int_equal(ph_csv_column(r, "id"), -1);
    ph_assert_error(ph_csv_require_columns(r, want, 2, idx, &err), PH_EMISUSE, &err,
                    "the reader has no header (has_header is 0)");
    ph_csv_free(r);
}

static void test_require_columns_missing(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *doc = "\n\nid,name,amt\n";
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_memory(f->ctx, doc, strlen(doc), &o, &r, &err), &err);
    static const char *const want[] = {"id", "amount"};
    int idx[2] = {-5, -5};
    ph_assert_error(ph_csv_require_columns(r, want, 2, idx, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "t.csv:3: field amount: missing column 'amount'; the "
                                     "header has 3 columns: 'id', 'name', 'amt'");
    assert_int_equal(idx[0], -5); /* untouched on failure */
    static const char *const want3[] = {"date", "id", "amount"};
    int idx3[3];
    ph_assert_error(ph_csv_require_columns(r, want3, 3, idx3, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "t.csv:3: field date: missing columns 'date', 'amount'; "
                                     "the header has 3 columns: 'id', 'name', 'amt'");
    assert_int_equal(ph_csv_require_columns(r, want, 2, idx, NULL), PH_EINVAL);
    ph_csv_free(r);
}

static void test_duplicate_header(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *doc = "id,amount,\"amount\"\n";
    expect_error(f->ctx, doc, strlen(doc), &o, PH_EINVAL,
                 "t.csv:1:11: value 'amount': duplicate column name in the header (columns 2 "
                 "and 3); expected unique names");
    expect_error(f->ctx, "a,,b,\n", 6, &o, PH_EINVAL,
                 "t.csv:1:6: duplicate column name in the header (columns 2 and 4); "
                 "expected unique names");
    expect_error(f->ctx, "", 0, &o, PH_EINVAL, "t.csv: the input is empty; expected a "
                                               "header line");
    expect_error(f->ctx, "\n\r\n", 3, &o, PH_EINVAL,
                 "t.csv: the input is empty; expected a header line");
}

static void test_field_count(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    expect_error(f->ctx, "a,b,c\n1,2,3\n4,5\n", 16, &o, PH_EINVAL,
                 "t.csv:3: record has 2 fields, expected 3 as in the header");
    expect_error(f->ctx, "a,b,c\n1,\"x\ny\",3,4,5\n", 20, &o, PH_EINVAL,
                 "t.csv:3:6: record has 5 fields, expected 3 as in the header");
    o = options(0);
    expect_error(f->ctx, "1,2\n3\n", 6, &o, PH_EINVAL,
                 "t.csv:2: record has 1 field, expected 2 as in the first record");
    o.allow_ragged = 1;
    expect_records(f->ctx, "1,2\n3\n4,5,6\n", &o, "[1][2]\n[3]\n[4][5][6]\n");
    o = options(1);
    o.allow_ragged = 1;
    expect_records(f->ctx, "a,b\n1\n", &o, "H[a][b]\n[1]\n");
}

/* --- Syntax errors ------------------------------------------------------------ */

static void test_error_unterminated_quote(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *doc = "id,note\n1,ok\n2,\"abc,\ndef\n";
    expect_error(f->ctx, doc, strlen(doc), &o, PH_EINVAL,
                 "t.csv:3:3: field note, value 'abc,\\x0adef\\x0a': quoted field opened at "
                 "line 3 column 3 is never closed; expected a closing '\"' before the end of "
                 "the input");
    expect_error(f->ctx, "a\n\"", 3, &o, PH_EINVAL,
                 "t.csv:2:1: field a: quoted field opened at line 2 column 1 is never "
                 "closed; expected a closing '\"' before the end of the input");
}

static void test_error_quote_in_unquoted_field(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    expect_error(f->ctx, "id,name\n1,ab\"c\"\n", 16, &o, PH_EINVAL,
                 "t.csv:2:5: field name, value 'ab': unexpected '\"' inside an unquoted field; "
                 "expected the whole field in quotes, with inner quotes doubled (\"\")");
    /* a space before the opening quote makes the field unquoted */
    expect_error(f->ctx, "id,name\n1, \"x\"\n", 15, &o, PH_EINVAL,
                 "t.csv:2:4: field name, value ' ': unexpected '\"' inside an unquoted field; "
                 "expected the whole field in quotes, with inner quotes doubled (\"\")");
}

static void test_error_text_after_closing_quote(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    expect_error(f->ctx, "id,name\n1,\"ab\"c\n", 16, &o, PH_EINVAL,
                 "t.csv:2:7: field name, value 'ab': unexpected 'c' after the closing quote; "
                 "expected the delimiter ',' or the end of the line");
    expect_error(f->ctx, "id,name\n\"1\n2\"\xe4\xb8\xad,x\n", 19, &o, PH_EINVAL,
                 "t.csv:3:3: field id, value '1\\x0a2': unexpected byte 0xe4 after the closing "
                 "quote; expected the delimiter ',' or the end of the line");
}

static void test_error_bare_carriage_return(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(0);
    const char *message = "t.csv:1:2: field column 1, value 'a': carriage return (0x0d) not "
                          "followed by a line feed; expected CRLF or LF line endings";
    expect_error(f->ctx, "a\rb\r", 4, &o, PH_EINVAL, message);
    expect_error(f->ctx, "a\r", 2, &o, PH_EINVAL, message);
    expect_error(f->ctx, "x\n\"q\"\r", 6, &o, PH_EINVAL,
                 "t.csv:2:4: field column 1, value 'q': carriage return (0x0d) not "
                 "followed by a line feed; expected CRLF or LF line endings");
    /* where an empty line would be skipped */
    expect_error(f->ctx, "x\n\rb\n", 5, &o, PH_EINVAL,
                 "t.csv:2:1: carriage return (0x0d) not followed by a line feed; expected "
                 "CRLF or LF line endings");
}

static void test_error_nul_byte(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(0);
    /* the whole field is shown, the NUL escaped (docs/errors.md) */
    expect_error(f->ctx, "ab\0c\n", 5, &o, PH_EINVAL,
                 "t.csv:1:3: field column 1, value 'ab\\x00c': NUL byte (0x00) in a field; expected "
                 "text (is the file UTF-16 or binary?)");
    expect_error(f->ctx, "1,\"a\nb\0\"\n", 9, &o, PH_EINVAL,
                 "t.csv:2:2: field column 2, value 'a\\x0ab\\x00': NUL byte (0x00) in a field; "
                 "expected text (is the file UTF-16 or binary?)");
    /* without validation a NUL is data, and the length still tells the truth */
    o.validate_utf8 = 0;
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_memory(f->ctx, "ab\0c,d\n", 7, &o, &r, &err), &err);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    const char *p;
    size_t n;
    ph_assert_ok(ph_csv_field(r, 0, &p, &n, &err), &err);
    assert_int_equal(n, 4);
    assert_memory_equal(p, "ab\0c", 5);
    ph_csv_free(r);
}

static void test_error_invalid_utf8(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *suffix = "; expected UTF-8 text (convert GBK or other encodings to UTF-8 first)";
    struct {
        const char *doc;
        const char *where;
    } cases[] = {
        {"id,name\n1,ab\xff\n", "t.csv:2:5: field name, value 'ab\\xff': invalid UTF-8 byte 0xff"},
        /* "中文" in GBK */
        {"id,name\n1,\xd6\xd0\xce\xc4\n",
         "t.csv:2:3: field name, value '\\xd6\\xd0\\xce\\xc4': invalid UTF-8 byte 0xd6"},
        /* "café" in Latin-1: the lead byte 0xe9 has no continuation */
        {"id,name\n1,caf\xe9\n",
         "t.csv:2:6: field name, value 'caf\\xe9': invalid UTF-8 byte 0xe9"},
        /* overlong, surrogate, above U+10FFFF, lone continuation */
        {"id,name\n1,\xc0\x80\n",
         "t.csv:2:3: field name, value '\\xc0\\x80': invalid UTF-8 byte 0xc0"},
        {"id,name\n\xed\xa0\x80,x\n",
         "t.csv:2:1: field id, value '\\xed\\xa0\\x80': invalid UTF-8 byte 0xed"},
        {"id,name\n1,\xf4\x90\x80\x80\n",
         "t.csv:2:3: field name, value '\\xf4\\x90\\x80\\x80': invalid UTF-8 byte 0xf4"},
        {"id,name\n1,\xe4\xb8\xad\x80\n",
         "t.csv:2:6: field name, value '\xe4\xb8\xad\\x80': invalid UTF-8 byte 0x80"},
        /* a sequence cut by the delimiter or by the end of the record */
        {"id,name\n\xe4\xb8,x\n",
         "t.csv:2:1: field id, value '\\xe4\\xb8': invalid UTF-8 byte 0xe4"},
        {"id,name\n1,\xe4\xb8",
         "t.csv:2:3: field name, value '\\xe4\\xb8': invalid UTF-8 byte 0xe4"},
        /* positions after a multi-line quoted field with doubled quotes */
        {"id,name\n\"a\"\"\nb\"\"c\",d\xff\n",
         "t.csv:3:8: field name, value 'd\\xff': invalid UTF-8 byte 0xff"},
        {"id,name\n\"a\"\"\nb\"\"c\",\"\"\"\xff\"\n",
         "t.csv:3:10: field name, value '\"\\xff': invalid UTF-8 byte 0xff"},
        /* in the header: the field has no name yet */
        {"id,n\xff\n", "t.csv:1:5: field column 2, value 'n\\xff': invalid UTF-8 byte 0xff"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char message[512];
        snprintf(message, sizeof(message), "%s%s", cases[i].where, suffix);
        expect_error(f->ctx, cases[i].doc, strlen(cases[i].doc), &o, PH_EINVAL, message);
    }
    /* valid: 2-, 3- and 4-byte forms at their edges */
    expect_records(f->ctx, "a\n\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
                           "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\n",
                   &o, "H[a]\n[\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
                       "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf]\n");
    /* with validation off the bytes pass through unchanged */
    o.validate_utf8 = 0;
    expect_records(f->ctx, "id,name\n1,\xd6\xd0\xff\n", &o, "H[id][name]\n[1][\xd6\xd0\xff]\n");
}

static void test_error_record_too_large(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(0);
    o.max_record_bytes = 10;
    o.allow_ragged = 1;
    /* the limit counts input bytes without the line end: 10 passes, 11 fails */
    expect_records(f->ctx, "1234567890\r\n\"23\"\"56\",9\n", &o, "[1234567890]\n[23\"56][9]\n");
    const char *message = "t.csv:2: record is longer than max_record_bytes (10 bytes); "
                          "expected shorter records, or raise max_record_bytes if they are "
                          "legitimate";
    expect_error(f->ctx, "1\n12345678901\n", 14, &o, PH_ERANGE, message);
    expect_error(f->ctx, "1\n\"2345678\"\"\"", 13, &o, PH_ERANGE, message);
    const char *commas = "1\n,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n";
    expect_error(f->ctx, commas, strlen(commas), &o, PH_ERANGE, message);
    /* caught while the record grows, long before its end */
    o.max_record_bytes = 2000;
    size_t len = 100000;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, 'x', len);
    big[0] = '1';
    big[1] = '\n';
    expect_error(f->ctx, big, len, &o, PH_ERANGE,
                 "t.csv:2: record is longer than max_record_bytes (2000 bytes); expected "
                 "shorter records, or raise max_record_bytes if they are legitimate");
    free(big);
}

static void test_error_file_not_found(void **state)
{
    fixture *f = *state;
    char *dir = ph_test_tmpdir("csv-missing");
    char *path = ph_test_path(dir, "missing.csv");
    ph_csv_reader *r = NULL;
    ph_error err;
    ph_assert_error(ph_csv_open_file(f->ctx, path, NULL, &r, &err), PH_EIO, &err, NULL);
    char expected[1024];
    snprintf(expected, sizeof(expected), "%s: cannot open for reading: No such file or directory",
             path);
    assert_string_equal(err.message, expected);
    assert_string_equal(err.source, path);
    assert_null(r);

    /* a directory opens but cannot be read */
    ph_assert_error(ph_csv_open_file(f->ctx, dir, NULL, &r, &err), PH_EIO, &err, NULL);
    snprintf(expected, sizeof(expected), "%s:1: read failed: Is a directory", dir);
    assert_string_equal(err.message, expected);
    ph_test_rmtree(dir);
    free(path);
    free(dir);
}

/* --- The reader after an error, and misuse ------------------------------------ */

static void test_error_state_is_sticky(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *doc = "a,b\n1,2\n3,\"x\n";
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_memory(f->ctx, doc, strlen(doc), &o, &r, &err), &err);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    ph_assert_error(ph_csv_next(r, &err), PH_EINVAL, &err, "is never closed");
    char first[PH_ERROR_MESSAGE_MAX];
    snprintf(first, sizeof(first), "%s", err.message);
    for (int i = 0; i < 3; i++) {
        ph_error_clear(&err);
        ph_assert_error(ph_csv_next(r, &err), PH_EINVAL, &err, NULL);
        assert_string_equal(err.message, first);
        assert_int_equal(err.line, 3);
        assert_int_equal(err.column, 3);
    }
    assert_int_equal(ph_csv_next(r, NULL), PH_EINVAL);
    assert_int_equal(ph_csv_field_count(r), 0);
    assert_int_equal(ph_csv_line(r), 0);
    const char *p;
    size_t n;
    ph_assert_error(ph_csv_field(r, 0, &p, &n, &err), PH_EMISUSE, &err,
                    "there is no current record");
    ph_csv_free(r);

    ph_assert_ok(ph_csv_open_memory(f->ctx, "a\n1\n", 4, &o, &r, &err), &err);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    assert_int_equal(ph_csv_next(r, &err), PH_DONE);
    assert_int_equal(ph_csv_next(r, &err), PH_DONE);
    assert_int_equal(ph_csv_field_count(r), 0);
    assert_int_equal(ph_csv_record_count(r), 1);
    ph_csv_free(r);
}

static void test_misuse(void **state)
{
    fixture *f = *state;
    ph_csv_reader *r = NULL;
    ph_error err;
    ph_csv_options zeroed;
    memset(&zeroed, 0, sizeof(zeroed));
    ph_assert_error(ph_csv_open_memory(f->ctx, "a", 1, &zeroed, &r, &err), PH_EMISUSE, &err,
                    "ph_csv_options must be set up with ph_csv_options_init");
    ph_csv_options o = options(0);
    o.delimiter = '"';
    ph_assert_error(ph_csv_open_memory(f->ctx, "a", 1, &o, &r, &err), PH_EINVAL, &err,
                    "field delimiter, value '\"': expected one ASCII byte other than '\"', CR, "
                    "LF and NUL, got 0x22");
    o.delimiter = (char)0xa1;
    ph_assert_error(ph_csv_open_memory(f->ctx, "a", 1, &o, &r, &err), PH_EINVAL, &err,
                    "field delimiter, value '\\xa1': expected one ASCII byte");
    o = options(0);
    o.max_record_bytes = 0;
    ph_assert_error(ph_csv_open_memory(f->ctx, "a", 1, &o, &r, &err), PH_ERANGE, &err,
                    "field max_record_bytes, value '0': expected 1 to 1073741824 bytes");
    o = options(0);
    o.buffer_size = 3;
    ph_assert_error(ph_csv_open_memory(f->ctx, "a", 1, &o, &r, &err), PH_ERANGE, &err,
                    "field buffer_size, value '3': expected 4 to 1073741824 bytes");
    ph_assert_error(ph_csv_open_memory(NULL, "a", 1, NULL, &r, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_csv_open_memory(f->ctx, "a", 1, NULL, NULL, &err), PH_EMISUSE, &err,
                    NULL);
    ph_assert_error(ph_csv_open_memory(f->ctx, NULL, 1, NULL, &r, &err), PH_EMISUSE, &err,
                    NULL);
    ph_assert_error(ph_csv_open_file(f->ctx, NULL, NULL, &r, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_csv_open_fd(f->ctx, -1, NULL, &r, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_csv_open_stream(f->ctx, NULL, NULL, &r, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_csv_open_callback(f->ctx, NULL, NULL, NULL, &r, &err), PH_EMISUSE, &err,
                    NULL);
    assert_null(r);
    ph_assert_error(ph_csv_next(NULL, &err), PH_EMISUSE, &err, NULL);
    ph_csv_free(NULL);

    /* an empty memory input is fine, even at NULL */
    o = options(0);
    ph_assert_ok(ph_csv_open_memory(f->ctx, NULL, 0, &o, &r, &err), &err);
    assert_int_equal(ph_csv_next(r, &err), PH_DONE);
    ph_csv_free(r);

    ph_assert_ok(ph_csv_open_memory(f->ctx, "a,b\n", 4, &o, &r, &err), &err);
    assert_string_equal(ph_csv_source(r), "t.csv");
    const char *p;
    size_t n;
    ph_assert_error(ph_csv_field(r, 0, &p, &n, &err), PH_EMISUSE, &err, "call ph_csv_next first");
    ph_assert_ok(ph_csv_next(r, &err), &err);
    ph_assert_error(ph_csv_field(r, 2, &p, &n, &err), PH_EMISUSE, &err,
                    "ph_csv_field: field index 2 is out of range; the record at line 1 has 2 "
                    "fields");
    ph_assert_error(ph_csv_field(r, 0, NULL, &n, &err), PH_EMISUSE, &err, NULL);
    uint64_t line, column;
    ph_assert_error(ph_csv_field_position(r, 5, &line, &column, &err), PH_EMISUSE, &err,
                    "out of range");
    ph_csv_free(r);
}

/* --- Positions and located conversion errors ------------------------------------ */

static void test_positions(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options(1);
    const char *doc = "id,note,amount\n"
                      "1,\"a,\"\"b\"\"\nc\",12x\n"
                      "\n"
                      "2,\"中文\",7\n";
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_memory(f->ctx, doc, strlen(doc), &o, &r, &err), &err);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    assert_int_equal(ph_csv_line(r), 2);
    uint64_t line, column;
    const uint64_t expected[3][2] = {{2, 1}, {2, 3}, {3, 4}};
    for (size_t i = 0; i < 3; i++) {
        ph_assert_ok(ph_csv_field_position(r, i, &line, &column, &err), &err);
        assert_int_equal(line, expected[i][0]);
        assert_int_equal(column, expected[i][1]);
    }

    /* a converter rejects the amount; the reader says where it is */
    const char *p;
    size_t n;
    ph_assert_ok(ph_csv_field(r, 2, &p, &n, &err), &err);
    ph_error_clear(&err);
    ph_error_setn(&err, PH_EINVAL, "value", p, n, "expected a decimal amount such as 12.50");
    ph_csv_locate_error(r, 2, &err);
    assert_string_equal(err.message, "t.csv:3:4: field amount, value '12x': expected a decimal "
                                     "amount such as 12.50");
    assert_int_equal(err.code, PH_EINVAL);

    ph_assert_ok(ph_csv_next(r, &err), &err);
    assert_int_equal(ph_csv_line(r), 5);
    ph_assert_ok(ph_csv_field_position(r, 2, &line, &column, &err), &err);
    assert_int_equal(line, 5);
    assert_int_equal(column, 12); /* byte columns: 2 + 1 + quotes + 6 bytes of Chinese */
    assert_int_equal(ph_csv_record_count(r), 2);
    assert_int_equal(ph_csv_bytes_consumed(r), strlen(doc));

    /* nothing to stamp after the end; a NULL error is allowed */
    assert_int_equal(ph_csv_next(r, &err), PH_DONE);
    ph_error_clear(&err);
    ph_error_set(&err, PH_EINVAL, NULL, "v", "bad");
    ph_csv_locate_error(r, 0, &err);
    assert_string_equal(err.message, "value 'v': bad");
    ph_csv_locate_error(r, 0, NULL);
    ph_csv_free(r);

    /* without a header the field is named by its number */
    o = options(0);
    ph_assert_ok(ph_csv_open_memory(f->ctx, "a,b\n", 4, &o, &r, &err), &err);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    ph_error_clear(&err);
    ph_error_set(&err, PH_ERANGE, NULL, "b", "out of range");
    ph_csv_locate_error(r, 1, &err);
    assert_string_equal(err.message, "t.csv:1:3: field column 2, value 'b': out of range");
    ph_csv_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_simple_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoted_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_endings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_order_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chinese_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_delimiters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_require_columns_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_unterminated_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_quote_in_unquoted_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_text_after_closing_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_bare_carriage_return, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_nul_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_record_too_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_file_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_state_is_sticky, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions, setup, teardown),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
