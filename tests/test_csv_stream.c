/*
 * The CSV reader as a stream (src/csv): every kind of input gives the same
 * records, whatever the buffer size and wherever the input is cut, and
 * memory stays bounded on large inputs. Random documents against a
 * reference parser are in test_csv_reference.c.
 */
#include "ph_csv_test.h"
#include "ph_failalloc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    ph_test_env_open("csv-stream", &f->ctx, &f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

static ph_csv_options options(void)
{
    ph_csv_options o;
    ph_csv_options_init(&o);
    o.source_name = "t.csv";
    return o;
}

/* Every construct of the dialect, with something at each kind of boundary. */
static const char features[] =
    "\xef\xbb\xbf" "id,name,note\r\n"
    "1,\"a,\"\"b\"\"\",plain\r\n"
    "\n"
    "2,\"multi\r\nline\nfield\",\"\"\n"
    "\r\n"
    "3,北京华信科技有限公司,\"资金周转，申请展期\"\n"
    "4,,\"x\"\"\"\n"
    "5,\"\"\"\",last";

/* --- Buffer boundaries ------------------------------------------------------------ */

static void test_every_cut_gives_the_same_records(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options();
    size_t len = sizeof(features) - 1;
    csvt_outcome whole;
    csvt_parse_memory(f->ctx, features, len, &o, &whole);
    assert_int_equal(whole.status, PH_DONE);
    assert_string_equal(whole.records.s,
                        "L2:1:1,5:a,\"b\",5:plain,@2:13;\n"
                        "L4:1:2,17:multi\r\nline\nfield,0:,@6:8;\n"
                        "L8:1:3,30:北京华信科技有限公司,27:资金周转，申请展期,@8:34;\n"
                        "L9:1:4,0:,2:x\",@9:4;\n"
                        "L10:1:5,1:\",4:last,@10:8;\n");

    /* cut the input at every position, one byte at a time and in runs */
    o.buffer_size = 64;
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        csvt_outcome part;
        csvt_parse_chunked(f->ctx, features, len, chunk, &o, &part);
        csvt_assert_same(&whole, &part);
        csvt_outcome_free(&part);
    }
    /* and through a file with tiny buffers */
    char *path = ph_test_path(f->dir, "features.csv");
    write_file(path, features, len);
    for (size_t size = 4; size <= 40; size++) {
        o.buffer_size = size;
        ph_csv_reader *r = NULL;
        ph_error err;
        csvt_outcome part;
        ph_status opened = ph_csv_open_file(f->ctx, path, &o, &r, &err);
        csvt_finish(opened, r, &err, &part);
        csvt_assert_same(&whole, &part);
        csvt_outcome_free(&part);
    }
    free(path);
    csvt_outcome_free(&whole);
}

static void test_errors_do_not_depend_on_cuts(void **state)
{
    fixture *f = *state;
    const char *docs[] = {
        "a,b\n1,\"open\nnever closed",
        "a,b\n1,x\"y\n",
        "a,b\n1,\"q\"z\n",
        "a,b\n1,2\r3\n",
        "a,b\n1,\"q\"\r",
        "a,b\n1,\"a\"\"\nb\",\xe4\xb8\xad\xe4\xb8\n",
        "a,b\n1,2\n3,4,5\n",
    };
    ph_csv_options o = options();
    o.buffer_size = 32;
    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        size_t len = strlen(docs[d]);
        csvt_outcome whole;
        csvt_parse_memory(f->ctx, docs[d], len, &o, &whole);
        assert_int_equal(whole.status, PH_EINVAL);
        for (size_t chunk = 1; chunk <= len; chunk++) {
            csvt_outcome part;
            csvt_parse_chunked(f->ctx, docs[d], len, chunk, &o, &part);
            csvt_assert_same(&whole, &part);
            csvt_outcome_free(&part);
        }
        csvt_outcome_free(&whole);
    }
}

static void test_record_larger_than_the_buffer(void **state)
{
    fixture *f = *state;
    size_t field = 10000;
    size_t cap = 2 * field + 100;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t len = (size_t)snprintf(doc, cap, "a,b\n1,\"");
    for (size_t i = 0; i < field; i++)
        doc[len++] = i % 100 == 99 ? '\n' : i % 7 == 0 ? '"' : (char)('a' + i % 26);
    /* quotes inside must be doubled */
    size_t out = 0;
    char *quoted = malloc(cap);
    assert_non_null(quoted);
    for (size_t i = 0; i < len; i++) {
        quoted[out++] = doc[i];
        if (i >= 7 && doc[i] == '"')
            quoted[out++] = '"';
    }
    memcpy(quoted + out, "\"\n2,x\n", 6);
    out += 6;

    ph_csv_options o = options();
    o.buffer_size = 16;
    csvt_outcome part;
    csvt_parse_chunked(f->ctx, quoted, out, 16, &o, &part);
    if (part.status != PH_DONE)
        fail_msg("%s", part.err.message);
    char *expected = malloc(cap + 100);
    assert_non_null(expected);
    int head = snprintf(expected, 64, "L2:1:1,%zu:", field);
    memcpy(expected + head, doc + 7, field);
    snprintf(expected + head + field, 64, ",@2:3;\nL%zu:1:2,1:x,@%zu:3;\n", 3 + field / 100,
             3 + field / 100); /* one line per LF in the field */
    assert_string_equal(part.records.s, expected);
    csvt_outcome_free(&part);
    free(expected);
    free(quoted);
    free(doc);
}

/* Fields that end exactly where the record buffer is full (it starts at
 * 1 KiB and doubles), then more fields or the end of the input. */
static void test_fields_ending_at_the_record_buffer_end(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options();
    o.has_header = 0;
    o.allow_ragged = 1;
    char doc[8192];
    for (size_t lead = 1000; lead <= 1030; lead++) {
        for (int variant = 0; variant < 4; variant++) {
            memset(doc, 'x', lead);
            size_t len = lead;
            const char *tails[] = {",y\n", ",", ",\"q\"", ",,"};
            memcpy(doc + len, tails[variant], strlen(tails[variant]));
            len += strlen(tails[variant]);
            csvt_outcome whole, cut;
            csvt_parse_memory(f->ctx, doc, len, &o, &whole);
            assert_int_equal(whole.status, PH_DONE);
            char expected[64];
            snprintf(expected, sizeof(expected), "%zu:", lead);
            assert_memory_equal(whole.records.s + strlen("L1:"), expected, strlen(expected));
            csvt_parse_chunked(f->ctx, doc, len, 7, &o, &cut);
            csvt_assert_same(&whole, &cut);
            csvt_outcome_free(&whole);
            csvt_outcome_free(&cut);
        }
    }
    /* the same at the next size, 2 KiB, with many short fields */
    for (size_t pad = 0; pad < 8; pad++) {
        size_t len = 0;
        for (size_t i = 0; i < 1020 + pad; i++) {
            doc[len++] = 'a';
            doc[len++] = ',';
        }
        doc[len++] = 'z';
        csvt_outcome whole;
        csvt_parse_memory(f->ctx, doc, len, &o, &whole);
        assert_int_equal(whole.status, PH_DONE);
        csvt_outcome_free(&whole);
    }
}

/* --- Kinds of input ---------------------------------------------------------------- */

/* A few hundred KiB of mixed records. */
static char *sample_document(size_t *len)
{
    csvt_text t = {NULL, 0, 0};
    csvt_text_add(&t, "id,date,name,amount,note\n", 25);
    for (unsigned i = 0; i < 6000; i++) {
        csvt_text_printf(&t, "%u,2024-%02u-%02u,", i, 1 + i % 12, 1 + i % 28);
        if (i % 3 == 0)
            csvt_text_printf(&t, "\"深圳市创新电子 %u, 有限公司\",", i);
        else
            csvt_text_printf(&t, "Shop %u,", i);
        csvt_text_printf(&t, "%u.%02u,", i * 37, i % 100);
        if (i % 5 == 0)
            csvt_text_printf(&t, "\"said \"\"ok\"\"\r\nthen left\"\r\n");
        else
            csvt_text_printf(&t, "%s\n", i % 2 ? "" : "checked");
    }
    *len = t.len;
    return t.s;
}

static void test_all_inputs_agree(void **state)
{
    fixture *f = *state;
    size_t len;
    char *doc = sample_document(&len);
    char *path = ph_test_path(f->dir, "sample.csv");
    write_file(path, doc, len);
    ph_csv_options o = options();
    o.buffer_size = 4096;

    csvt_outcome mem;
    csvt_parse_memory(f->ctx, doc, len, &o, &mem);
    assert_int_equal(mem.status, PH_DONE);
    assert_non_null(strstr(mem.records.s, "L7201:4:5999,10:2024-12-08,9:Shop 5999,"));

    ph_csv_reader *r = NULL;
    ph_error err;
    csvt_outcome file;
    ph_status opened = ph_csv_open_file(f->ctx, path, &o, &r, &err);
    csvt_finish(opened, r, &err, &file);
    csvt_assert_same(&mem, &file);

    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    csvt_outcome by_fd;
    r = NULL;
    ph_status st = ph_csv_open_fd(f->ctx, fd, NULL, &r, &err);
    ph_assert_ok(st, &err);
    char name[32];
    snprintf(name, sizeof(name), "<fd %d>", fd);
    assert_string_equal(ph_csv_source(r), name);
    csvt_finish(st, r, &err, &by_fd);
    csvt_assert_same(&mem, &by_fd);
    assert_int_equal(close(fd), 0); /* still open: the reader did not own it */

    FILE *stream = fopen(path, "rb");
    assert_non_null(stream);
    csvt_outcome by_stream;
    r = NULL;
    opened = ph_csv_open_stream(f->ctx, stream, &o, &r, &err);
    csvt_finish(opened, r, &err, &by_stream);
    csvt_assert_same(&mem, &by_stream);
    assert_int_equal(fclose(stream), 0);

    csvt_outcome by_callback;
    csvt_parse_chunked(f->ctx, doc, len, 1000, &o, &by_callback);
    csvt_assert_same(&mem, &by_callback);

    /* a pipe hands out short reads */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const char *small = "a,b\n1,\"x\ny\"\n";
    assert_int_equal(write(fds[1], small, strlen(small)), (ssize_t)strlen(small));
    assert_int_equal(close(fds[1]), 0);
    csvt_outcome piped, expected;
    r = NULL;
    opened = ph_csv_open_fd(f->ctx, fds[0], &o, &r, &err);
    csvt_finish(opened, r, &err, &piped);
    csvt_parse_memory(f->ctx, small, strlen(small), &o, &expected);
    csvt_assert_same(&expected, &piped);
    assert_int_equal(close(fds[0]), 0);

    csvt_outcome_free(&mem);
    csvt_outcome_free(&file);
    csvt_outcome_free(&by_fd);
    csvt_outcome_free(&by_stream);
    csvt_outcome_free(&by_callback);
    csvt_outcome_free(&piped);
    csvt_outcome_free(&expected);
    free(path);
    free(doc);
}

typedef struct failing_source {
    size_t calls;
    int fill_error; /* 1: describe the failure in err */
    size_t overflow; /* > 0: claim this many bytes */
} failing_source;

static ph_status failing_read(void *user, char *buf, size_t capacity, size_t *got,
                              ph_error *err)
{
    failing_source *s = user;
    if (s->overflow > 0) {
        *got = s->overflow;
        return PH_OK;
    }
    if (s->calls++ == 0) {
        const char *head = "a,b\n1,2\n3,";
        memcpy(buf, head, strlen(head));
        *got = strlen(head);
        (void)capacity;
        return PH_OK;
    }
    if (s->fill_error)
        return ph_error_set(err, PH_EIO, NULL, NULL, "decompression failed: corrupt block");
    return PH_EIO;
}

static void test_read_callback_failures(void **state)
{
    fixture *f = *state;
    ph_csv_options o = options();
    ph_csv_reader *r;
    ph_error err;
    failing_source s = {0, 1, 0};
    ph_assert_ok(ph_csv_open_callback(f->ctx, failing_read, &s, &o, &r, &err), &err);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    ph_assert_error(ph_csv_next(r, &err), PH_EIO, &err, NULL);
    assert_string_equal(err.message, "t.csv:3: decompression failed: corrupt block");
    ph_assert_error(ph_csv_next(r, &err), PH_EIO, &err, "corrupt block"); /* sticky */
    ph_csv_free(r);

    failing_source quiet = {0, 0, 0};
    ph_assert_ok(ph_csv_open_callback(f->ctx, failing_read, &quiet, &o, &r, &err), &err);
    ph_assert_ok(ph_csv_next(r, &err), &err);
    ph_assert_error(ph_csv_next(r, &err), PH_EIO, &err, NULL);
    assert_string_equal(err.message, "t.csv:3: the read callback failed (PH_EIO)");
    ph_csv_free(r);

    failing_source liar = {0, 0, 100};
    o.buffer_size = 64;
    ph_assert_error(ph_csv_open_callback(f->ctx, failing_read, &liar, &o, &r, &err),
                    PH_EMISUSE, &err, NULL);
    assert_string_equal(err.message,
                        "t.csv:1: the read callback returned 100 bytes for a 64-byte buffer");
}

/* --- Memory stays bounded ------------------------------------------------------------- */


/* Produces `rows` records on the fly, so the test itself holds no big input;
 * with `giant` > 0 a second record is one field of that many bytes. */
typedef struct generator {
    unsigned long long row, rows;
    size_t giant, giant_left;
    char pending[160];
    size_t pending_len, pending_pos;
    unsigned long long bytes;
} generator;

static void next_piece(generator *g)
{
    g->pending_pos = 0;
    if (g->row == 0)
        g->pending_len = (size_t)snprintf(g->pending, sizeof(g->pending),
                                          "id,date,name,amount,note\n");
    else if (g->giant > 0 && g->row == 1)
        g->pending_len = (size_t)snprintf(g->pending, sizeof(g->pending), "1,\"");
    else if (g->giant_left > 0) {
        size_t n = g->giant_left < sizeof(g->pending) ? g->giant_left : sizeof(g->pending);
        memset(g->pending, 'x', n);
        g->pending_len = n;
        g->giant_left -= n;
        return;
    } else
        g->pending_len = (size_t)snprintf(
            g->pending, sizeof(g->pending),
            "%llu,2024-01-%02llu,\"北京, 第%llu号\",%llu.%02llu,\"note \"\"%llu\"\"\"\n", g->row,
            1 + g->row % 28, g->row, g->row * 13, g->row % 100, g->row % 7);
    g->row++;
}

static ph_status generate(void *user, char *buf, size_t capacity, size_t *got, ph_error *err)
{
    (void)err;
    generator *g = user;
    size_t n = 0;
    while (n < capacity) {
        if (g->pending_pos == g->pending_len) {
            if (g->row > g->rows && g->giant_left == 0)
                break;
            next_piece(g);
        }
        size_t take = g->pending_len - g->pending_pos;
        if (take > capacity - n)
            take = capacity - n;
        memcpy(buf + n, g->pending + g->pending_pos, take);
        g->pending_pos += take;
        n += take;
    }
    g->bytes += n;
    *got = n;
    return PH_OK;
}

/* Read `rows` generated rows through a counting allocator; returns the peak. */
static size_t peak_for(unsigned long long rows, size_t buffer_size)
{
    ph_failalloc count; /* counts the bytes in use and their peak */    ph_failalloc_init(&count);    ph_ctx_options ctx_opts = {.log_level = PH_LOG_WARN};    ph_ctx *ctx = ph_failalloc_ctx(&count, &ctx_opts);    ph_error err;
    generator g = {0, rows, 0, 0, "", 0, 0, 0};
    ph_csv_options o = options();
    o.buffer_size = buffer_size;
    ph_csv_reader *r;
    ph_assert_ok(ph_csv_open_callback(ctx, generate, &g, &o, &r, &err), &err);
    ph_status st;
    while ((st = ph_csv_next(r, &err)) == PH_OK)
        assert_int_equal(ph_csv_field_count(r), 5);
    assert_int_equal(st, PH_DONE);
    assert_int_equal(ph_csv_record_count(r), rows);
    assert_int_equal(ph_csv_bytes_consumed(r), g.bytes);
    ph_csv_free(r);
    ph_ctx_free(ctx);
    assert_int_equal(count.live, 0); /* everything given back */
    return count.peak;
}

static void test_memory_does_not_grow_with_the_input(void **state)
{
    (void)state;
    size_t buffer = 64 * 1024;
    size_t small = peak_for(15000, buffer);    /* about 1 MB */
    size_t large = peak_for(120000, buffer);   /* about 8 MB */
    assert_int_equal(small, large);
    assert_true(large < buffer + 16 * 1024);

    /* a record far over the limit stops at the limit */
    ph_failalloc count; /* counts the bytes in use and their peak */    ph_failalloc_init(&count);    ph_ctx_options ctx_opts = {.log_level = PH_LOG_WARN};    ph_ctx *ctx = ph_failalloc_ctx(&count, &ctx_opts);    ph_error err;
    generator g = {0, 3, 4u << 20, 4u << 20, "", 0, 0, 0};
    ph_csv_options o = options();
    o.buffer_size = buffer;
    o.max_record_bytes = 100000;
    ph_csv_reader *r;
    ph_assert_ok(ph_csv_open_callback(ctx, generate, &g, &o, &r, &err), &err);
    ph_assert_error(ph_csv_next(r, &err), PH_ERANGE, &err,
                    "t.csv:2: record is longer than max_record_bytes (100000 bytes)");
    assert_true(g.bytes < 200000);   /* it stopped reading early */
    assert_true(count.peak < buffer + 100000 + 16 * 1024);
    ph_csv_free(r);
    ph_ctx_free(ctx);
    assert_int_equal(count.live, 0);
}

/* Every allocation of the reader failing in turn: a clean PH_ENOMEM each time,
 * nothing leaked, and the reader still usable for ph_csv_free. */
static void test_out_of_memory_everywhere(void **state)
{
    (void)state;
    char doc[6000];
    size_t len = (size_t)snprintf(doc, sizeof(doc), "a,b\n1,");
    memset(doc + len, 'x', 3000); /* grows the record buffer */
    len += 3000;
    for (int i = 0; i < 100; i++) /* grows the field arrays */
        len += (size_t)snprintf(doc + len, sizeof(doc) - len, ",%d", i);
    len += (size_t)snprintf(doc + len, sizeof(doc) - len, "\n");
    ph_csv_options o = options();
    o.allow_ragged = 1;
    int finished = 0, failures = 0;
    for (size_t k = 1; !finished; k++) {
        assert_true(k < 100);
        ph_failalloc count; /* counts the bytes in use and their peak */        ph_failalloc_init(&count);        ph_ctx_options ctx_opts = {.log_level = PH_LOG_WARN};        ph_ctx *ctx = ph_failalloc_ctx(&count, &ctx_opts);        ph_error err;
        ph_failalloc_fail_in(&count, k);
        ph_csv_reader *r = NULL;
        ph_status st = ph_csv_open_memory(ctx, doc, len, &o, &r, &err);
        if (st == PH_OK) {
            while ((st = ph_csv_next(r, &err)) == PH_OK)
                ;
            ph_csv_free(r);
        }
        if (st == PH_DONE) {
            assert_int_equal(count.failed, 0); /* no failure went unreported */
            finished = 1;
        } else {
            ph_assert_error(st, PH_ENOMEM, &err, "out of memory");
            failures++;
        }
        ph_ctx_free(ctx);
        assert_int_equal(count.live, 0);
    }
    assert_true(failures >= 10); /* create, header, and both kinds of growth */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_cut_gives_the_same_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_do_not_depend_on_cuts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_larger_than_the_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_ending_at_the_record_buffer_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_all_inputs_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_callback_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_does_not_grow_with_the_input, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory_everywhere, setup, teardown),
    };
    return cmocka_run_group_tests_name("csv_stream", tests, NULL, NULL);
}
