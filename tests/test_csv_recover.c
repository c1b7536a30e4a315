/*
 * Row-level recovery in the CSV reader: after a bad record, ph_csv_recover
 * skips to the next line and reading goes on; a record read whole keeps
 * its fields readable; I/O-free misuse is refused.
 */
#include "ph_test.h"

#include <string.h>

/* Read everything, recovering from bad records; each record appends
 * "L<line>:<fields joined by '/'>" and each bad one "!<line>:<fields>"
 * to out, separated by spaces. */
static void read_all(const char *data, size_t chunk, char *out, size_t size)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_csv_options opts;
    ph_csv_options_init(&opts);
    if (chunk > 0)
        opts.buffer_size = chunk;
    ph_csv_reader *r = NULL;
    FILE *fp = fmemopen((void *)data, strlen(data), "r");
    assert_non_null(fp);
    ph_assert_ok(ph_csv_open_stream(ctx, fp, &opts, &r, &err), &err);
    out[0] = '\0';
    size_t used = 0;
    for (;;) {
        ph_status st = ph_csv_next(r, &err);
        if (st == PH_DONE)
            break;
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
            used += (size_t)snprintf(out + used, size - used, "%s%.*s", i ? "/" : "", (int)n, f);
        }
    }
    assert_int_equal(ph_csv_recover(r, NULL, &err), PH_EMISUSE);
    ph_csv_free(r);
    fclose(fp);
    ph_ctx_free(ctx);
}

static void test_recovers_from_each_kind(void **state)
{
    (void)state;
    static const char data[] = "a,b,c\n"
                               "1,2,3\n"
                               "4,5\n"                 /* too few fields: read whole */
                               "6,7,8,9\n"             /* too many */
                               "x,\"y\"z,w\n"          /* junk after a closing quote */
                               "p,q\"r,s\n"            /* quote in an unquoted field */
                               "\xb0\xa1,m,n\n"        /* not UTF-8: read whole */
                               "u,v\rw,x\n"            /* bare CR */
                               "10,11,12\n";
    char out[1024];
    const char *expected = "L2:1/2/3 !3:4/5 !4:6/7/8/9 !5: !6: !7:\xb0\xa1/m/n !8: L9:10/11/12";
    for (size_t chunk = 0; chunk <= 8; chunk += 4) { /* whole buffer, and tiny refills */
        read_all(data, chunk == 0 ? 0 : chunk, out, sizeof(out));
        assert_string_equal(out, expected);
    }
}

static void test_recovery_at_end_and_in_quotes(void **state)
{
    (void)state;
    char out[512];
    /* an unclosed quote swallows the rest: one bad record, then the end */
    read_all("a,b\n1,2\n3,\"open\n4,5\n", 0, out, sizeof(out));
    assert_string_equal(out, "L2:1/2 !3:");
    /* a bad last line without a line end */
    read_all("a,b\n1,2\n3", 0, out, sizeof(out));
    assert_string_equal(out, "L2:1/2 !3:3");
    /* a quoted field spanning lines, then a bad record */
    read_all("a,b\n\"x\ny\",1\n2\n3,4\n", 0, out, sizeof(out));
    assert_string_equal(out, "L2:x\ny/1 !4:2 L5:3/4");
}

static void test_recover_misuse(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_csv_reader *r = NULL;
    ph_assert_ok(ph_csv_open_memory(ctx, "a\n1\n", 4, NULL, &r, &err), &err);
    ph_assert_error(ph_csv_recover(r, NULL, &err), PH_EMISUSE, &err,
                    "the last ph_csv_next did not fail");
    ph_assert_ok(ph_csv_next(r, &err), &err);
    ph_assert_error(ph_csv_recover(r, NULL, &err), PH_EMISUSE, &err, "no bad record to skip");
    ph_assert_error(ph_csv_recover(NULL, NULL, &err), PH_EMISUSE, &err, "reader is NULL");
    /* the skipped record is not counted */
    ph_csv_free(r);
    ph_assert_ok(ph_csv_open_memory(ctx, "a,b\n1\n2,3\n", 10, NULL, &r, &err), &err);
    assert_int_equal(ph_csv_next(r, &err), PH_EINVAL);
    uint64_t line = 0;
    ph_assert_ok(ph_csv_recover(r, &line, &err), &err);
    assert_int_equal(line, 2);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    assert_int_equal(ph_csv_record_count(r), 1);
    assert_int_equal(ph_csv_line(r), 3);
    ph_csv_free(r);
    ph_ctx_free(ctx);
}

/* The first bad record of `data`, as ph_csv_recovered reports it:
 * "<line>+<lines>" and, when it ran to the end in an open quote, "!<quote line>". */
static void first_bad(const char *data, size_t chunk, char *out, size_t size)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_csv_options opts;
    ph_csv_options_init(&opts);
    if (chunk > 0)
        opts.buffer_size = chunk;
    ph_csv_reader *r = NULL;
    FILE *fp = fmemopen((void *)data, strlen(data), "r");
    assert_non_null(fp);
    ph_assert_ok(ph_csv_open_stream(ctx, fp, &opts, &r, &err), &err);
    ph_csv_skipped skipped;
    ph_status st;
    snprintf(out, size, "none");
    while ((st = ph_csv_next(r, &err)) == PH_OK)
        assert_int_equal(ph_csv_recovered(r, &skipped, &err), PH_EMISUSE);
    if (st != PH_DONE) {
        uint64_t line = 0;
        ph_assert_ok(ph_csv_recover(r, &line, &err), &err);
        ph_assert_ok(ph_csv_recovered(r, &skipped, &err), &err);
        int n = snprintf(out, size, "%llu+%llu", (unsigned long long)line,
                         (unsigned long long)skipped.lines);
        if (skipped.unclosed)
            snprintf(out + n, size - (size_t)n, "!%llu", (unsigned long long)skipped.quote_line);
        else
            assert_int_equal(skipped.quote_line, 0);
        (void)ph_csv_next(r, &err); /* the next call forgets it */
        assert_int_equal(ph_csv_recovered(r, &skipped, &err), PH_EMISUSE);
    }
    ph_csv_free(r);
    fclose(fp);
    ph_ctx_free(ctx);
}

static void test_recovered_span(void **state)
{
    (void)state;
    static const struct {
        const char *data, *expected;
    } cases[] = {
        {"a,b\n1,2\n3,\"open\n4,5\n", "3+2!3"},          /* never closed: to the end */
        {"a,b\n1,\"x\ny", "2+2!2"},                       /* the same without a last LF */
        {"a,b\n1,\"x\ny\nz\"w\n5,6\n", "2+3"},           /* closed, junk after it */
        {"a,b\n1,2,3\n4,5\n", "2+1"},                     /* read whole, one line */
        {"a,b\nx\"y,2\n4,5\n", "2+1"},                    /* a stray quote inside a field */
        {"a,b\n\"x\"y,\"w\nmore\nrest\n", "2+3!2"},       /* junk, then a quote that opens */
        {"a,b\n1,2\n", "none"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (size_t chunk = 0; chunk <= 8; chunk += 4) {
            first_bad(cases[i].data, chunk, out, sizeof(out));
            if (strcmp(out, cases[i].expected) != 0)
                fail_msg("case %zu chunk %zu: got %s, expected %s", i, chunk, out,
                         cases[i].expected);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recovers_from_each_kind),
        cmocka_unit_test(test_recovery_at_end_and_in_quotes),
        cmocka_unit_test(test_recover_misuse),
        cmocka_unit_test(test_recovered_span),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
