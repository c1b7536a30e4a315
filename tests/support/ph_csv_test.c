/*
 * Helpers for the CSV reader's stream tests: render a whole parse as text so
 * that two parses (different inputs, buffer sizes, cuts) compare with one
 * string comparison.
 */
#include "ph_csv_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csvt_text_add(csvt_text *t, const void *s, size_t n)
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

void csvt_text_printf(csvt_text *t, const char *fmt, ...)
{
    char piece[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(piece, sizeof(piece), fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof(piece));
    csvt_text_add(t, piece, (size_t)n);
}

void csvt_outcome_free(csvt_outcome *o)
{
    free(o->records.s);
}

static void read_all(ph_csv_reader *r, csvt_outcome *out)
{
    csvt_text_add(&out->records, "", 0);
    while ((out->status = ph_csv_next(r, &out->err)) == PH_OK) {
        csvt_text_printf(&out->records, "L%llu:", (unsigned long long)ph_csv_line(r));
        for (size_t i = 0; i < ph_csv_field_count(r); i++) {
            const char *p;
            size_t n;
            ph_assert_ok(ph_csv_field(r, i, &p, &n, &out->err), &out->err);
            assert_int_equal(p[n], '\0');
            csvt_text_printf(&out->records, "%zu:", n);
            csvt_text_add(&out->records, p, n);
            csvt_text_add(&out->records, ",", 1);
        }
        uint64_t line, column;
        size_t last = ph_csv_field_count(r) - 1;
        ph_assert_ok(ph_csv_field_position(r, last, &line, &column, &out->err), &out->err);
        csvt_text_printf(&out->records, "@%llu:%llu;\n", (unsigned long long)line,
                         (unsigned long long)column);
    }
}

void csvt_finish(ph_status open_status, ph_csv_reader *r, const ph_error *open_err,
                 csvt_outcome *out)
{
    memset(out, 0, sizeof(*out));
    if (open_status != PH_OK) {
        csvt_text_add(&out->records, "", 0);
        out->status = open_status;
        out->err = *open_err;
        return;
    }
    read_all(r, out);
    ph_csv_free(r);
}

void csvt_assert_same(const csvt_outcome *a, const csvt_outcome *b)
{
    if (a->status != b->status)
        fail_msg("status %s (%s) != %s (%s)", ph_status_name(a->status), a->err.message,
                 ph_status_name(b->status), b->err.message);
    assert_string_equal(a->records.s, b->records.s);
    assert_int_equal(a->status, b->status);
    if (a->status != PH_DONE)
        assert_string_equal(a->err.message, b->err.message);
}

void csvt_parse_memory(const ph_ctx *ctx, const char *doc, size_t len, const ph_csv_options *o,
                       csvt_outcome *out)
{
    ph_csv_reader *r = NULL;
    ph_error err;
    ph_status st = ph_csv_open_memory(ctx, doc, len, o, &r, &err);
    csvt_finish(st, r, &err, out);
}

/* A read callback that hands out `chunk` bytes at a time. */
typedef struct chunker {
    const char *data;
    size_t len, pos, chunk;
} chunker;

static ph_status chunk_read(void *user, char *buf, size_t capacity, size_t *got, ph_error *err)
{
    (void)err;
    chunker *c = user;
    size_t n = c->len - c->pos;
    if (n > c->chunk)
        n = c->chunk;
    if (n > capacity)
        n = capacity;
    memcpy(buf, c->data + c->pos, n);
    c->pos += n;
    *got = n;
    return PH_OK;
}

void csvt_parse_chunked(const ph_ctx *ctx, const char *doc, size_t len, size_t chunk,
                        const ph_csv_options *o, csvt_outcome *out)
{
    chunker c = {doc, len, 0, chunk};
    ph_csv_reader *r = NULL;
    ph_error err;
    ph_status st = ph_csv_open_callback(ctx, chunk_read, &c, o, &r, &err);
    csvt_finish(st, r, &err, out);
}
