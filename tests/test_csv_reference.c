/*
 * The CSV reader (src/csv) against a reference: thousands of random
 * documents (random quoting, delimiters, line ends, Chinese text, invalid
 * bytes, NULs), each parsed from memory and through random cuts, must give
 * exactly the records, or the error at exactly the position, that a small
 * and obviously correct parser finds. Fixed seed: failures reproduce.
 */
#include "ph_csv_test.h"

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

static ph_csv_options options(void)
{
    ph_csv_options o;
    ph_csv_options_init(&o);
    o.source_name = "t.csv";
    return o;
}

/*
 * The reference: the dialect of csv.h written the plainest way, over the
 * whole document at once, tracking line and column byte by byte. Its
 * csvt_outcome is rendered like read_all(); an error is described by its
 * position and a piece of the detail message.
 */
typedef struct ref_field {
    csvt_text bytes;
    uint64_t line[512], column[512]; /* position of each content byte */
    uint64_t start_line, start_column;
} ref_field;

typedef struct ref_outcome {
    csvt_text records;
    int failed;
    uint64_t line, column;
    char detail[64];
} ref_outcome;

static int ref_fail(ref_outcome *out, uint64_t line, uint64_t column, const char *detail)
{
    out->failed = 1;
    out->line = line;
    out->column = column;
    snprintf(out->detail, sizeof(out->detail), "%s", detail);
    return -1;
}

/* Offset of the first byte of an ill-formed sequence, or -1: decode each
 * code point and reject what Unicode forbids. */
static long ref_utf8_bad(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return (long)i;
        }
        if (i + len > n)
            return (long)i;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return (long)i;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return (long)i;
        i += len;
    }
    return -1;
}

static void ref_add(ref_field *f, unsigned char c, uint64_t line, uint64_t column)
{
    assert_true(f->bytes.len < 512);
    f->line[f->bytes.len] = line;
    f->column[f->bytes.len] = column;
    csvt_text_add(&f->bytes, &c, 1);
}

typedef struct ref_state {
    const unsigned char *d;
    size_t n, i;
    uint64_t line, column;
    unsigned char delim;
    int validate;
} ref_state;

/* After a field: the delimiter (returns 0), a line end or the end (1), or an error. */
static int ref_field_end(ref_state *s, ref_outcome *out, int after_quote)
{
    if (s->i == s->n)
        return 1;
    unsigned char c = s->d[s->i];
    if (c == s->delim) {
        s->i++, s->column++;
        return 0;
    }
    if (c == '\n') {
        s->i++, s->line++, s->column = 1;
        return 1;
    }
    if (c == '\r') {
        if (s->i + 1 < s->n && s->d[s->i + 1] == '\n') {
            s->i += 2, s->line++, s->column = 1;
            return 1;
        }
        return ref_fail(out, s->line, s->column, "carriage return (0x0d)");
    }
    return ref_fail(out, s->line, s->column,
                    after_quote ? "after the closing quote" : "inside an unquoted field");
}

/* One field from s->i; returns 0 (more fields), 1 (record ended) or -1. */
static int ref_parse_field(ref_state *s, ref_field *f, ref_outcome *out)
{
    f->start_line = s->line;
    f->start_column = s->column;
    if (s->i < s->n && s->d[s->i] == '"') {
        uint64_t open_line = s->line, open_column = s->column;
        s->i++, s->column++;
        for (;;) {
            if (s->i == s->n)
                return ref_fail(out, open_line, open_column, "is never closed");
            unsigned char c = s->d[s->i];
            if (c == '"' && s->i + 1 < s->n && s->d[s->i + 1] == '"') {
                ref_add(f, '"', s->line, s->column);
                s->i += 2, s->column += 2;
            } else if (c == '"') {
                s->i++, s->column++;
                return ref_field_end(s, out, 1);
            } else {
                ref_add(f, c, s->line, s->column);
                s->i++;
                if (c == '\n')
                    s->line++, s->column = 1;
                else
                    s->column++;
            }
        }
    }
    for (;;) {
        if (s->i == s->n)
            return 1;
        unsigned char c = s->d[s->i];
        if (c == s->delim || c == '\n' || c == '\r' || c == '"')
            return ref_field_end(s, out, 0);
        ref_add(f, c, s->line, s->column);
        s->i++, s->column++;
    }
}

static void ref_parse(const unsigned char *d, size_t n, unsigned char delim, int skip_empty,
                      int validate, ref_outcome *out)
{
    memset(out, 0, sizeof(*out));
    csvt_text_add(&out->records, "", 0);
    ref_state s = {d, n, 0, 1, 1, delim, validate};
    if (n >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
        s.i = 3;
    static ref_field fields[64];
    while (s.i < n) {
        if (skip_empty && d[s.i] == '\n') {
            s.i++, s.line++, s.column = 1;
            continue;
        }
        if (skip_empty && d[s.i] == '\r') {
            if (s.i + 1 < n && d[s.i + 1] == '\n') {
                s.i += 2, s.line++, s.column = 1;
                continue;
            }
            ref_fail(out, s.line, s.column, "carriage return (0x0d)");
            return;
        }
        uint64_t record_line = s.line;
        size_t count = 0;
        int end = 0;
        while (end == 0) {
            assert_true(count < 64);
            ref_field *f = &fields[count++];
            f->bytes.len = 0;
            end = ref_parse_field(&s, f, out);
        }
        for (size_t k = 0; validate && end > 0 && k < count; k++) {
            long bad = ref_utf8_bad((const unsigned char *)fields[k].bytes.s, fields[k].bytes.len);
            const char *nul = fields[k].bytes.len > 0
                                  ? memchr(fields[k].bytes.s, 0, fields[k].bytes.len)
                                  : NULL;
            if (nul != NULL && (bad < 0 || nul - fields[k].bytes.s < bad)) {
                /* a NUL is checked with the UTF-8, once the record is whole */
                bad = nul - fields[k].bytes.s;
                end = ref_fail(out, fields[k].line[bad], fields[k].column[bad], "NUL byte");
            } else if (bad >= 0) {
                char detail[64];
                snprintf(detail, sizeof(detail), "invalid UTF-8 byte 0x%02x",
                         (unsigned char)fields[k].bytes.s[bad]);
                end = ref_fail(out, fields[k].line[bad], fields[k].column[bad], detail);
            }
        }
        if (end < 0)
            break;
        csvt_text_printf(&out->records, "L%llu:", (unsigned long long)record_line);
        for (size_t k = 0; k < count; k++) {
            csvt_text_printf(&out->records, "%zu:", fields[k].bytes.len);
            csvt_text_add(&out->records, fields[k].bytes.s ? fields[k].bytes.s : "",
                          fields[k].bytes.len);
            csvt_text_add(&out->records, ",", 1);
        }
        csvt_text_printf(&out->records, "@%llu:%llu;\n",
                         (unsigned long long)fields[count - 1].start_line,
                         (unsigned long long)fields[count - 1].start_column);
    }
    for (size_t k = 0; k < 64; k++) {
        free(fields[k].bytes.s);
        fields[k].bytes = (csvt_text){NULL, 0, 0};
    }
}

typedef struct rng {
    uint64_t state;
} rng;

static unsigned rnd(rng *g, unsigned n)
{
    g->state = g->state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((g->state >> 33) % n);
}

/* A random document: mostly well-formed records, then a few random edits. */
static size_t random_document(rng *g, unsigned char delim, char *doc, size_t cap)
{
    static const char *const plain[] = {"a", "7", " ", "x1", "中", "文字", "\xe2\x82\xac", "-"};
    static const char *const inside[] = {"b", "\"\"", "\n", "\r\n", "\r", ",", ";", "\t",
                                         "中", " ", "9"};
    static const char nasty[] = {'"', '\r', '\n', ',', ';', '\t', 0, (char)0xff, (char)0xe4,
                                 (char)0xb8, (char)0x80, (char)0xc0, 'z'};
    size_t len = 0;
    /* one evaluation of the argument: it often draws a random piece */
#define PUT(piece)                                                                           \
    do {                                                                                     \
        const char *s_ = (piece);                                                            \
        size_t l_ = strlen(s_);                                                              \
        assert_true(len + l_ < cap);                                                         \
        memcpy(doc + len, s_, l_);                                                           \
        len += l_;                                                                           \
    } while (0)
    if (rnd(g, 10) == 0)
        PUT("\xef\xbb\xbf");
    unsigned records = rnd(g, 6);
    for (unsigned r = 0; r < records; r++) {
        if (rnd(g, 6) == 0)
            PUT(rnd(g, 2) ? "\n" : "\r\n");
        unsigned fields = 1 + rnd(g, 5);
        for (unsigned f = 0; f < fields; f++) {
            if (f > 0) {
                char d[2] = {(char)delim, 0};
                PUT(d);
            }
            unsigned kind = rnd(g, 3), pieces = rnd(g, 5);
            if (kind == 1)
                PUT("\"");
            for (unsigned p = 0; p < pieces && kind != 2; p++)
                PUT(kind == 0 ? plain[rnd(g, 8)] : inside[rnd(g, 11)]);
            if (kind == 1)
                PUT("\"");
        }
        if (r + 1 < records || rnd(g, 2))
            PUT(rnd(g, 3) ? "\n" : "\r\n");
    }
#undef PUT
    for (unsigned edits = rnd(g, 4) == 0 ? 1 + rnd(g, 2) : 0; edits > 0 && len > 0; edits--) {
        size_t at = rnd(g, (unsigned)len);
        unsigned what = rnd(g, 3);
        if (what == 0) { /* delete */
            memmove(doc + at, doc + at + 1, len - at - 1);
            len--;
        } else if (what == 1) { /* replace */
            doc[at] = nasty[rnd(g, sizeof(nasty))];
        } else if (len + 1 < cap) { /* insert */
            memmove(doc + at + 1, doc + at, len - at);
            doc[at] = nasty[rnd(g, sizeof(nasty))];
            len++;
        }
    }
    return len;
}

static void test_random_documents_match_the_reference(void **state)
{
    fixture *f = *state;
    static const unsigned char delims[] = {',', ';', '\t'};
    rng g = {20240601};
    unsigned errors = 0, clean = 0;
    for (unsigned round = 0; round < 6000; round++) {
        char doc[600];
        unsigned char delim = delims[rnd(&g, 3)];
        size_t len = random_document(&g, delim, doc, sizeof(doc));
        ph_csv_options o = options();
        o.has_header = 0;
        o.allow_ragged = 1;
        o.delimiter = (char)delim;
        o.validate_utf8 = rnd(&g, 4) != 0;
        o.skip_empty_lines = rnd(&g, 2);
        o.buffer_size = 4 + rnd(&g, 30);

        ref_outcome want;
        ref_parse((const unsigned char *)doc, len, delim, o.skip_empty_lines, o.validate_utf8,
                  &want);
        csvt_outcome mem, cut;
        csvt_parse_memory(f->ctx, doc, len, &o, &mem);
        csvt_parse_chunked(f->ctx, doc, len, 1 + rnd(&g, 9), &o, &cut);
        if (strcmp(want.records.s, mem.records.s) != 0 || want.failed != (mem.status != PH_DONE))
            fail_msg("round %u: records differ\nreference:\n%s(failed %d: %s)\nreader:\n%s(%s)",
                     round, want.records.s, want.failed, want.detail, mem.records.s,
                     mem.err.message);
        if (want.failed) {
            errors++;
            assert_int_equal(mem.status, PH_EINVAL);
            if (mem.err.line != want.line || mem.err.column != want.column ||
                strstr(mem.err.message, want.detail) == NULL)
                fail_msg("round %u: reference error at %llu:%llu (%s), reader: %s", round,
                         (unsigned long long)want.line, (unsigned long long)want.column,
                         want.detail, mem.err.message);
        } else {
            clean++;
        }
        csvt_assert_same(&mem, &cut);
        csvt_outcome_free(&mem);
        csvt_outcome_free(&cut);
        free(want.records.s);
    }
    /* the generator must exercise both paths */
    assert_true(errors > 500);
    assert_true(clean > 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_documents_match_the_reference, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("csv_reference", tests, NULL, NULL);
}
