/*
 * Recovery follows the quoting: after a bad field inside quotes (a NUL
 * byte, a record over the size limit, bytes that are not UTF-8) the reader
 * skips to the real end of the record, never to the next physical line, so
 * lines inside the open quote can never surface as rows. A quote that is
 * never closed makes the rest of the input one bad record.
 */
#include "ph_test.h"

#include <stdlib.h>
#include <string.h>

/* Append s[0..n) to out, bytes below 0x20 and above 0x7e as \xNN. */
static size_t show(char *out, size_t used, size_t size, const char *s, size_t n)
{
    for (size_t i = 0; i < n && used + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7e)
            used += (size_t)snprintf(out + used, size - used, "\\x%02x", c);
        else
            out[used++] = (char)c;
    }
    out[used] = '\0';
    return used;
}

/* Read `len` bytes, recovering from bad records: each record appends
 * "L<line>:<fields joined by '/'>", each bad one "!<line>:<fields>". */
static void read_all(const char *data, size_t len, size_t chunk, char *out, size_t size)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_csv_options opts;
    ph_csv_options_init(&opts);
    if (chunk > 0)
        opts.buffer_size = chunk;
    FILE *fp = fmemopen((void *)data, len, "r");
    assert_non_null(fp);
    ph_csv_reader *r = NULL;
    ph_assert_ok(ph_csv_open_stream(ctx, fp, &opts, &r, &err), &err);
    out[0] = '\0';
    size_t used = 0;
    ph_status st;
    while ((st = ph_csv_next(r, &err)) != PH_DONE) {
        uint64_t line = ph_csv_line(r);
        const char *mark = "L";
        if (st != PH_OK) {
            assert_true(st == PH_EINVAL || st == PH_ERANGE);
            ph_assert_ok(ph_csv_recover(r, &line, &err), &err);
            mark = "!";
        }
        used += (size_t)snprintf(out + used, size - used, "%s%s%llu:", used ? " " : "", mark,
                                 (unsigned long long)line);
        for (size_t i = 0; i < ph_csv_field_count(r); i++) {
            const char *f;
            size_t n;
            ph_assert_ok(ph_csv_field(r, i, &f, &n, &err), &err);
            if (i > 0)
                used = show(out, used, size, "/", 1);
            used = show(out, used, size, f, n);
        }
    }
    ph_csv_free(r);
    fclose(fp);
    ph_ctx_free(ctx);
}

/* Every buffer size: whole, and refills in the middle of everything. */
static void expect(const char *data, size_t len, const char *expected)
{
    static const size_t chunks[] = {0, 4, 5, 7};
    char out[4096];
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        read_all(data, len, chunks[i], out, sizeof(out));
        assert_string_equal(out, expected);
    }
}

#define EXPECT(literal, expected) expect(literal, sizeof(literal) - 1, expected)

static void test_nul_inside_quotes(void **state)
{
    (void)state;
    /* the bad record is read to its closing quote; its fields stay readable */
    EXPECT("a,b\n1,\"x\0y\nevil,row\n\"\n2,ok\n",
           "!2:1/x\\x00y\\x0aevil,row\\x0a L5:2/ok");
    /* the reproducer: the quote never closes, so the rest is one bad record */
    EXPECT("a,b\n1,\"ab\0\n3,4\n", "!2:");
}

static void test_invalid_utf8_inside_quotes(void **state)
{
    (void)state;
    EXPECT("a,b\n1,\"\xff\nevil,row\n\"\n2,ok\n", "!2:1/\\xff\\x0aevil,row\\x0a L5:2/ok");
    EXPECT("a,b\n1,\"\xff\n3,4\n", "!2:");
}

static void test_record_too_long_inside_quotes(void **state)
{
    (void)state;
    size_t fill = ((size_t)1 << 20) + 100; /* past the 1 MiB default */
    const char *head = "a,b\n1,\"";
    const char *tail = "\nevil,row\n\"\n2,ok\n";
    size_t len = strlen(head) + fill + strlen(tail);
    char *data = malloc(len);
    assert_non_null(data);
    memcpy(data, head, strlen(head));
    memset(data + strlen(head), 'x', fill);
    memcpy(data + strlen(head) + fill, tail, strlen(tail));
    char out[256];
    read_all(data, len, 0, out, sizeof(out));
    assert_string_equal(out, "!2: L5:2/ok");
    read_all(data, len, 4096, out, sizeof(out));
    assert_string_equal(out, "!2: L5:2/ok");
    /* never closed: one bad record to the end of the input */
    read_all(data, len - 6, 0, out, sizeof(out)); /* cut before the closing quote */
    assert_string_equal(out, "!2:");
    free(data);
}

static void test_quoted_newlines_after_a_bad_record(void **state)
{
    (void)state;
    EXPECT("a,b\n1,\"x\0\ny\"\n2,\"multi\nline\"\n3,ok\n",
           "!2:1/x\\x00\\x0ay L4:2/multi\\x0aline L6:3/ok");
    /* broken quoting outside a quote ends at the line end, as before */
    EXPECT("a,b\nx\"y,1\n2,\"p\nq\"\n", "!2: L3:2/p\\x0aq");
    /* junk after a closing quote: the rest of the record is still quoted text */
    EXPECT("a,b\n\"x\"y,\"p\nq\"\n2,3\n", "!2: L4:2/3");
}

/*
 * The reference record boundaries: a lenient lexer (quotes opened only at a
 * field's start, "" inside quotes, anything unexpected taken as text) that
 * skips empty lines. Writes the line where each record starts.
 */
static size_t reference_starts(const char *d, size_t len, uint64_t first_line, uint64_t *starts)
{
    enum { FIELD_START, PLAIN, QUOTED, QUOTE_SEEN } s;
    uint64_t line = first_line;
    size_t count = 0, pos = 0;
    while (pos < len) {
        if (d[pos] == '\n' || (d[pos] == '\r' && pos + 1 < len && d[pos + 1] == '\n')) {
            pos += d[pos] == '\r' ? 2 : 1;
            line++;
            continue;
        }
        starts[count++] = line;
        s = FIELD_START;
        while (pos < len) {
            char c = d[pos++];
            if (c == '\n') {
                line++;
                if (s != QUOTED)
                    break;
                continue;
            }
            if (s == QUOTED)
                s = c == '"' ? QUOTE_SEEN : QUOTED;
            else if (c == ',')
                s = FIELD_START;
            else if (c == '"' && (s == FIELD_START || s == QUOTE_SEEN))
                s = QUOTED;
            else
                s = PLAIN;
        }
    }
    return count;
}

static void test_records_follow_the_quoting(void **state)
{
    (void)state;
    static const char alphabet[] = {'a', 'b', ',', ',', '"', '"', '\n', '\n', '\r', '\0', '\xff'};
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    unsigned seed = 12345;
    char data[64];
    uint64_t want[64], got[64];
    for (int round = 0; round < 20000; round++) {
        memcpy(data, "a,b\n", 4);
        size_t len = 4 + (size_t)(rand_r(&seed) % 40);
        for (size_t i = 4; i < len; i++)
            data[i] = alphabet[rand_r(&seed) % sizeof(alphabet)];
        size_t nwant = reference_starts(data + 4, len - 4, 2, want);
        ph_csv_options opts;
        ph_csv_options_init(&opts);
        opts.max_record_bytes = 12; /* some records are too long */
        opts.buffer_size = 4 + (size_t)(round % 5);
        FILE *fp = fmemopen(data, len, "r");
        ph_csv_reader *r = NULL;
        ph_assert_ok(ph_csv_open_stream(ctx, fp, &opts, &r, &err), &err);
        size_t ngot = 0;
        ph_status st;
        while ((st = ph_csv_next(r, &err)) != PH_DONE) {
            uint64_t line = ph_csv_line(r);
            if (st != PH_OK)
                ph_assert_ok(ph_csv_recover(r, &line, &err), &err);
            assert_true(ngot < nwant);
            got[ngot++] = line;
        }
        int same = ngot == nwant;
        for (size_t i = 0; same && i < ngot; i++)
            same = got[i] == want[i];
        if (!same) {
            char shown[512];
            show(shown, 0, sizeof(shown), data, len);
            print_error("round %d: %zu records, expected %zu, in \"%s\"\n", round, ngot, nwant,
                        shown);
            for (size_t i = 0; i < ngot || i < nwant; i++)
                print_error("  record %zu: line %llu, expected %llu\n", i,
                            (unsigned long long)(i < ngot ? got[i] : 0),
                            (unsigned long long)(i < nwant ? want[i] : 0));
        }
        assert_true(same);
        ph_csv_free(r);
        fclose(fp);
    }
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul_inside_quotes),
        cmocka_unit_test(test_invalid_utf8_inside_quotes),
        cmocka_unit_test(test_record_too_long_inside_quotes),
        cmocka_unit_test(test_quoted_newlines_after_a_bad_record),
        cmocka_unit_test(test_records_follow_the_quoting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
