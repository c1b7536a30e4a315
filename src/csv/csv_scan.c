/*
 * The record scanner: turns input bytes into the fields of one record.
 *
 * Speed comes from one idea: most bytes are ordinary (digits, letters,
 * Chinese text) and only a handful matter to the syntax. scan_run() copies a
 * run of ordinary bytes eight at a time, using a word-wide test that flags
 * every byte below 0x23 (NUL, LF, CR, '"' and, harmlessly, tab, space and
 * '!') or equal to the delimiter; only flagged bytes are looked up in the
 * class table. Everything else (quotes, line ends, refills, limits) happens
 * once per field or per buffer, outside that loop.
 *
 * The fields are copied into the record buffer (quotes removed, a NUL after
 * each), so the input window can be refilled at any byte, including in the
 * middle of a field, a "" pair or a CRLF.
 */
#include "csv/csv_internal.h"

#include <string.h>

typedef enum csv_term { TERM_DELIM, TERM_EOL, TERM_EOF } csv_term;

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
/* One more than the largest syntax byte that is not the delimiter ('"'). */
#define SYNTAX_LIMIT 0x23

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CSV_WORDWISE 1
#else
#define CSV_WORDWISE 0
#endif

#if CSV_WORDWISE
/* 0x80 in each byte of `w` that is below SYNTAX_LIMIT or equal to the byte
 * repeated in `pattern` (pattern 0 adds nothing: NUL is below the limit).
 * Bytes above a flagged one may be flagged falsely (borrows), never missed. */
static inline uint64_t candidates(uint64_t w, uint64_t pattern)
{
    uint64_t low = (w - ONES * SYNTAX_LIMIT) & ~w & HIGHS;
    uint64_t x = w ^ pattern;
    return low | ((x - ONES) & ~x & HIGHS);
}
#endif

/*
 * Copy bytes of class CSV_C_PLAIN from src to dst, at most n, stopping at the
 * first other byte. Returns how many were copied. dst has room for n bytes.
 */
static inline size_t scan_run(const unsigned char *src, size_t n, unsigned char *dst,
                              const unsigned char *cls, uint64_t pattern)
{
    size_t i = 0;
#if CSV_WORDWISE
    while (n - i >= 8) {
        uint64_t w;
        memcpy(&w, src + i, 8);
        memcpy(dst + i, &w, 8); /* copy first, count later: bytes past the stop are junk */
        for (uint64_t m = candidates(w, pattern); m != 0; m &= m - 1) {
            size_t k = (size_t)__builtin_ctzll(m) >> 3;
            if (cls[src[i + k]] != CSV_C_PLAIN)
                return i + k;
        }
        i += 8;
    }
#else
    (void)pattern;
#endif
    while (i < n && cls[src[i]] == CSV_C_PLAIN) {
        dst[i] = src[i];
        i++;
    }
    return i;
}

static inline uint64_t offset_now(const ph_csv_reader *r)
{
    return r->in_base + r->in_pos;
}

static inline uint64_t column_now(const ph_csv_reader *r)
{
    return offset_now(r) - r->line_start + 1;
}

/* Next byte without consuming it, refilling the window if needed:
 * 0..255, or -1 at the end of input, or -2 after an error (*st set). */
static inline int peek(ph_csv_reader *r, ph_status *st)
{
    if (r->in_pos == r->in_len) {
        *st = csv_fill(r);
        if (*st != PH_OK)
            return -2;
        if (r->in_pos == r->in_len)
            return -1;
    }
    return r->in[r->in_pos];
}

/* Consume the LF at in_pos: a new physical line starts after it. */
static inline void consume_lf(ph_csv_reader *r)
{
    r->in_pos++;
    r->line++;
    r->line_start = offset_now(r);
}

static ph_status too_large(ph_csv_reader *r)
{
    return csv_fail(r, PH_ERANGE, -1, NULL, 0, r->rec_line, 0,
                    "record is longer than max_record_bytes (%zu bytes); expected shorter "
                    "records, or raise max_record_bytes if they are legitimate",
                    r->opts.max_record_bytes);
}

/* Bytes of the current record consumed so far; the record buffer never holds
 * more than this (quotes and delimiters are dropped, one NUL per field added). */
static int over_limit(const ph_csv_reader *r)
{
    return offset_now(r) - r->rec_start > r->opts.max_record_bytes;
}

/* Make room in the record buffer; it never needs more than max + 2 bytes. */
static ph_status grow_record(ph_csv_reader *r)
{
    if (over_limit(r))
        return too_large(r);
    size_t limit = r->opts.max_record_bytes + 2;
    size_t cap = r->rec_cap < limit / 2 ? r->rec_cap * 2 : limit;
    if (cap <= r->rec_cap)
        return too_large(r); /* unreachable: the buffer is full only past the limit */
    char *rec = ph_realloc(r->ctx, r->rec, cap);
    if (rec == NULL)
        return csv_fail(r, PH_ENOMEM, -1, NULL, 0, r->rec_line, 0,
                        "out of memory growing the record buffer to %zu bytes", cap);
    r->rec = rec;
    r->rec_cap = cap;
    return PH_OK;
}

/* Room for field nfields and the end marker; never more than max + 3. */
static ph_status grow_fields(ph_csv_reader *r)
{
    if (over_limit(r))
        return too_large(r);
    size_t limit = r->opts.max_record_bytes + 3;
    size_t cap = r->fields_cap < limit / 2 ? r->fields_cap * 2 : limit;
    if (cap <= r->fields_cap)
        return too_large(r);
    uint32_t *starts = ph_realloc(r->ctx, r->starts, cap * sizeof(*starts));
    if (starts == NULL)
        return csv_fail(r, PH_ENOMEM, -1, NULL, 0, r->rec_line, 0,
                        "out of memory for a record of %zu fields", cap);
    r->starts = starts;
    unsigned char *quoted = ph_realloc(r->ctx, r->quoted, cap);
    if (quoted == NULL)
        return csv_fail(r, PH_ENOMEM, -1, NULL, 0, r->rec_line, 0,
                        "out of memory for a record of %zu fields", cap);
    r->quoted = quoted;
    r->fields_cap = cap;
    return PH_OK;
}

/* The field being scanned, for error messages. */
static ph_status fail_in_field(ph_csv_reader *r, ph_status code, uint64_t line,
                               uint64_t column, const char *detail)
{
    size_t start = r->starts[r->nfields];
    return csv_fail(r, code, (long)r->nfields, r->rec + start, r->rec_len - start, line,
                    column, "%s", detail);
}

/* A NUL byte at in_pos (validate_utf8 only): kept as text and reported once
 * the record is read whole (check_text), so the message shows the whole
 * field and recovery knows where the record ends. There is room for it:
 * the run stopped before the end of the room it was given. */
static void keep_nul(ph_csv_reader *r)
{
    r->rec[r->rec_len++] = '\0';
    r->in_pos++;
    r->rec_has_nul = 1;
}

/* A CR outside quotes is at in_pos: it must be the first half of CRLF. */
static ph_status after_cr(ph_csv_reader *r, csv_term *term)
{
    uint64_t line = r->line, column = column_now(r), at = offset_now(r);
    ph_status st = PH_OK;
    r->in_pos++;
    if (peek(r, &st) == '\n') {
        r->rec_end = at;
        consume_lf(r);
        *term = TERM_EOL;
        return PH_OK;
    }
    if (st != PH_OK)
        return st;
    return fail_in_field(r, PH_EINVAL, line, column,
                         "carriage return (0x0d) not followed by a line feed; expected "
                         "CRLF or LF line endings");
}

/* A syntax byte ends a field or a record (outside quotes or after a closing
 * quote): the delimiter, LF or CRLF. */
static ph_status end_of_field(ph_csv_reader *r, int c, csv_term *term)
{
    if (c == r->opts.delimiter) {
        r->in_pos++;
        *term = TERM_DELIM;
        return PH_OK;
    }
    if (c == '\n') {
        r->rec_end = offset_now(r);
        consume_lf(r);
        *term = TERM_EOL;
        return PH_OK;
    }
    return after_cr(r, term);
}

/* Before copying a run: refill an empty window (*at_eof at the end of input)
 * and make room in the record buffer; *n is how many bytes may be copied. */
static inline ph_status prepare_run(ph_csv_reader *r, size_t *n, int *at_eof)
{
    *at_eof = 0;
    if (r->in_pos == r->in_len) {
        ph_status st = csv_fill(r);
        if (st != PH_OK)
            return st;
        if (r->in_pos == r->in_len) {
            *at_eof = 1;
            return PH_OK;
        }
    }
    if (r->rec_cap - r->rec_len <= 1) { /* no room left beside the field's NUL */
        ph_status st = grow_record(r);
        if (st != PH_OK)
            return st;
    }
    size_t avail = r->in_len - r->in_pos, room = r->rec_cap - r->rec_len - 1;
    *n = avail < room ? avail : room;
    return PH_OK;
}

/* An unquoted field, from in_pos up to its terminator. */
static ph_status scan_plain(ph_csv_reader *r, csv_term *term)
{
    for (;;) {
        size_t n = 0;
        int at_eof;
        ph_status st = prepare_run(r, &n, &at_eof);
        if (st != PH_OK)
            return st;
        if (at_eof) {
            r->rec_end = offset_now(r);
            *term = TERM_EOF;
            return PH_OK;
        }
        const unsigned char *src = r->in + r->in_pos;
        size_t k = scan_run(src, n, (unsigned char *)r->rec + r->rec_len, r->class_plain,
                            r->delim_pattern);
        r->in_pos += k;
        r->rec_len += k;
        if (k == n)
            continue;
        switch ((enum csv_class)r->class_plain[src[k]]) {
        case CSV_C_QUOTE:
            return fail_in_field(r, PH_EINVAL, r->line, column_now(r),
                                 "unexpected '\"' inside an unquoted field; expected the "
                                 "whole field in quotes, with inner quotes doubled (\"\")");
        case CSV_C_NUL:
            keep_nul(r);
            continue;
        case CSV_C_PLAIN:
        case CSV_C_DELIM:
        case CSV_C_LF:
        case CSV_C_CR:
            break;
        }
        return end_of_field(r, src[k], term);
    }
}

/* What may follow the closing quote at in_pos - 1. */
static ph_status after_closing_quote(ph_csv_reader *r, int c, csv_term *term)
{
    if (c == -1) {
        r->rec_end = offset_now(r);
        *term = TERM_EOF;
        return PH_OK;
    }
    if (c == r->opts.delimiter || c == '\n' || c == '\r')
        return end_of_field(r, c, term);
    char shown[16];
    if (c >= 0x20 && c < 0x7f)
        snprintf(shown, sizeof(shown), "'%c'", c);
    else
        snprintf(shown, sizeof(shown), "byte 0x%02x", (unsigned)c);
    char delim[16];
    if (r->opts.delimiter > 0x20 && r->opts.delimiter < 0x7f)
        snprintf(delim, sizeof(delim), "'%c'", r->opts.delimiter);
    else
        snprintf(delim, sizeof(delim), "0x%02x", (unsigned)(unsigned char)r->opts.delimiter);
    size_t start = r->starts[r->nfields];
    return csv_fail(r, PH_EINVAL, (long)r->nfields, r->rec + start, r->rec_len - start,
                    r->line, column_now(r),
                    "unexpected %s after the closing quote; expected the delimiter %s or "
                    "the end of the line",
                    shown, delim);
}

/* A quoted field; its opening quote at in_pos is not consumed yet. */
static ph_status scan_quoted(ph_csv_reader *r, csv_term *term)
{
    uint64_t open_line = r->line, open_column = column_now(r);
    r->in_pos++;
    for (;;) {
        size_t n = 0;
        int at_eof;
        ph_status st = prepare_run(r, &n, &at_eof);
        if (st != PH_OK) {
            r->lex = CSV_LEX_QUOTED; /* the record is too long in the middle of quotes */
            r->quote_line = open_line;
            return st;
        }
        if (at_eof) {
            r->lex = CSV_LEX_QUOTED; /* recovery finds the input ended in this quote */
            r->quote_line = open_line;
            char detail[160];
            snprintf(detail, sizeof(detail),
                     "quoted field opened at line %llu column %llu is never closed; "
                     "expected a closing '\"' before the end of the input",
                     (unsigned long long)open_line, (unsigned long long)open_column);
            return fail_in_field(r, PH_EINVAL, open_line, open_column, detail);
        }
        const unsigned char *src = r->in + r->in_pos;
        size_t k = scan_run(src, n, (unsigned char *)r->rec + r->rec_len, r->class_quoted, 0);
        r->in_pos += k;
        r->rec_len += k;
        if (k == n)
            continue;
        /* k < n <= room, so one more byte still leaves room for the NUL. */
        switch ((enum csv_class)r->class_quoted[src[k]]) {
        case CSV_C_LF:
            r->rec[r->rec_len++] = '\n';
            consume_lf(r);
            continue;
        case CSV_C_NUL:
            keep_nul(r);
            continue;
        case CSV_C_QUOTE:
            break;
        case CSV_C_PLAIN:
        case CSV_C_DELIM:
        case CSV_C_CR:
            continue; /* not in this table */
        }
        r->in_pos++;
        int c = peek(r, &st);
        if (c == -2)
            return st;
        if (c != '"') {
            st = after_closing_quote(r, c, term);
            if (st != PH_OK)
                r->lex = CSV_LEX_PLAIN; /* what follows a closing quote is not quoted */
            return st;
        }
        r->rec[r->rec_len++] = '"';
        r->in_pos++;
    }
}

/* Skip empty lines (when asked) up to the first byte of a record. */
static ph_status skip_to_record(ph_csv_reader *r)
{
    for (;;) {
        ph_status st = PH_OK;
        int c = peek(r, &st);
        if (c == -2)
            return st;
        if (c == -1)
            return PH_DONE;
        if (!r->opts.skip_empty_lines || (c != '\n' && c != '\r'))
            return PH_OK;
        if (c == '\n') {
            consume_lf(r);
            continue;
        }
        uint64_t line = r->line, column = column_now(r);
        r->in_pos++;
        c = peek(r, &st);
        if (c == -2)
            return st;
        if (c != '\n') {
            r->lex = CSV_LEX_PLAIN; /* the CR is the first byte of a bad record */
            r->rec_line = line;
            return csv_fail(r, PH_EINVAL, -1, NULL, 0, line, column,
                            "carriage return (0x0d) not followed by a line feed; expected "
                            "CRLF or LF line endings");
        }
        consume_lf(r);
    }
}

/* Offset in the record of the first NUL byte inside a field, or rec_len
 * (each field is followed by a NUL of the record's own, which is skipped). */
static size_t first_nul(const ph_csv_reader *r)
{
    for (size_t f = 0; f < r->nfields; f++) {
        const char *p = memchr(r->rec + r->starts[f], '\0', csv_field_len(r, f));
        if (p != NULL)
            return (size_t)(p - r->rec);
    }
    return r->rec_len;
}

/* The record is read whole: its first NUL byte or invalid UTF-8 sequence,
 * whichever comes first, is the error, shown with its whole field. */
static ph_status check_text(ph_csv_reader *r)
{
    size_t bad = csv_utf8_check((const unsigned char *)r->rec, r->rec_len);
    size_t nul = r->rec_has_nul ? first_nul(r) : r->rec_len;
    int is_nul = nul < bad;
    if (is_nul)
        bad = nul;
    if (bad == r->rec_len)
        return PH_OK;
    size_t field = 0;
    while (r->starts[field + 1] <= bad)
        field++;
    uint64_t line, column;
    csv_content_position(r, field, bad - r->starts[field], &line, &column);
    if (is_nul)
        return csv_fail(r, PH_EINVAL, (long)field, r->rec + r->starts[field],
                        csv_field_len(r, field), line, column,
                        "NUL byte (0x00) in a field; expected text (is the file UTF-16 or "
                        "binary?)");
    return csv_fail(r, PH_EINVAL, (long)field, r->rec + r->starts[field],
                    csv_field_len(r, field), line, column,
                    "invalid UTF-8 byte 0x%02x; expected UTF-8 text (convert GBK or other "
                    "encodings to UTF-8 first)",
                    (unsigned)(unsigned char)r->rec[bad]);
}

ph_status csv_scan_record(ph_csv_reader *r)
{
    r->rec_len = 0;
    r->nfields = 0;
    r->rec_complete = 0;
    r->rec_has_nul = 0;
    r->rec_line = r->line; /* an error before the first field is on this line */
    ph_status st = skip_to_record(r);
    if (st != PH_OK)
        return st;
    r->rec_line = r->line;
    r->rec_start = offset_now(r);
    csv_term term = TERM_DELIM;
    /* r->lex is set only on the way out of an error (it costs nothing when
     * all is well): where the input stands, for csv_skip_record. */
    while (term == TERM_DELIM) {
        if (r->nfields + 2 > r->fields_cap && (st = grow_fields(r)) != PH_OK) {
            r->lex = CSV_LEX_FIELD_START;
            return st;
        }
        r->starts[r->nfields] = (uint32_t)r->rec_len;
        int c = peek(r, &st);
        if (c == -2)
            return st;
        r->quoted[r->nfields] = (c == '"');
        if (c == '"') {
            st = scan_quoted(r, &term); /* sets r->lex when it fails */
        } else if ((st = scan_plain(r, &term)) != PH_OK) {
            r->lex = CSV_LEX_PLAIN;
        }
        if (st != PH_OK)
            return st;
        /* The scanners always leave one byte free for this NUL. */
        r->rec[r->rec_len++] = '\0';
        r->nfields++;
    }
    r->starts[r->nfields] = (uint32_t)r->rec_len;
    r->rec_complete = 1;
    if (r->rec_end - r->rec_start > r->opts.max_record_bytes)
        return too_large(r);
    if (r->opts.validate_utf8)
        return check_text(r);
    return PH_OK;
}

/* The next state of the lenient lexer that finds a bad record's end. It
 * reads the record as the scanner would, and takes whatever the scanner
 * refused (a stray quote, junk after a closing quote, a bare CR, a NUL) as
 * text, so it ends the record where the record's own quoting ends it. */
static enum csv_lex skip_step(enum csv_lex s, unsigned char c, unsigned char delimiter)
{
    switch (s) {
    case CSV_LEX_QUOTED:
        return c == '"' ? CSV_LEX_QUOTE_SEEN : CSV_LEX_QUOTED;
    case CSV_LEX_FIELD_START:
    case CSV_LEX_QUOTE_SEEN: /* '"' here opens a field, or is the second half of "" */
        if (c == '"')
            return CSV_LEX_QUOTED;
        break;
    case CSV_LEX_PLAIN:
        break;
    }
    return c == delimiter ? CSV_LEX_FIELD_START : CSV_LEX_PLAIN;
}

ph_status csv_skip_record(ph_csv_reader *r)
{
    enum csv_lex s = r->lex;
    const unsigned char delimiter = (unsigned char)r->opts.delimiter;
    uint64_t quote_line = r->quote_line;
    r->skip_unclosed = 0;
    for (;;) {
        if (r->in_pos == r->in_len) {
            ph_status st = csv_fill(r);
            if (st != PH_OK)
                return st;
            if (r->in_pos == r->in_len) {
                /* the end of input ends the record (an open quote too) */
                r->skip_unclosed = s == CSV_LEX_QUOTED;
                r->skip_quote_line = quote_line;
                return PH_OK;
            }
        }
        if (s == CSV_LEX_QUOTED) { /* jump to the next quote, counting lines on the way */
            const unsigned char *at = r->in + r->in_pos;
            size_t n = r->in_len - r->in_pos;
            const unsigned char *q = memchr(at, '"', n);
            size_t upto = q != NULL ? (size_t)(q - at) : n;
            for (const unsigned char *lf = memchr(at, '\n', upto); lf != NULL;
                 lf = memchr(lf + 1, '\n', upto - (size_t)(lf + 1 - at))) {
                r->line++;
                r->line_start = r->in_base + r->in_pos + (size_t)(lf + 1 - at);
            }
            r->in_pos += upto;
            if (q == NULL)
                continue;
        }
        unsigned char c = r->in[r->in_pos];
        if (c == '\n' && s != CSV_LEX_QUOTED) {
            consume_lf(r);
            return PH_OK;
        }
        r->in_pos++;
        enum csv_lex next = skip_step(s, c, delimiter);
        if (next == CSV_LEX_QUOTED && s != CSV_LEX_QUOTED)
            quote_line = r->line; /* the quote just read is on this line */
        s = next;
    }
}
