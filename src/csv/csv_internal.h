/*
 * The CSV reader's private parts, shared by the files of src/csv:
 *   csv_reader.c  options, constructors, input sources, ph_csv_next, accessors
 *   csv_scan.c    the record scanner (the hot loop)
 *   csv_utf8.c    UTF-8 validation
 *   csv_locate.c  positions of fields, error helpers, header lookups
 */
#ifndef PH_CSV_INTERNAL_H
#define PH_CSV_INTERNAL_H

#include "puhui/csv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* Byte classes of the scanner's tables; C_PLAIN bytes are copied as they are. */
enum csv_class {
    CSV_C_PLAIN = 0,
    CSV_C_DELIM, /* the delimiter (outside quotes only) */
    CSV_C_QUOTE,
    CSV_C_LF,
    CSV_C_CR,    /* outside quotes only; inside quotes CR is data */
    CSV_C_NUL    /* only when validate_utf8 is on */
};

/* Where the scanner stood in a record's syntax when it failed, so that
 * recovery can go on from the same state and find the record's real end
 * (see csv_skip_record). Set on the error paths only. */
enum csv_lex {
    CSV_LEX_FIELD_START, /* at the first byte of a field */
    CSV_LEX_PLAIN,       /* inside an unquoted field, or after junk */
    CSV_LEX_QUOTED,      /* inside quotes */
    CSV_LEX_QUOTE_SEEN   /* just after a '"' inside quotes: a closing quote or half of "" */
};

enum csv_source_kind { CSV_SRC_MEMORY, CSV_SRC_FD, CSV_SRC_STREAM, CSV_SRC_CALLBACK };

struct ph_csv_reader {
    const ph_ctx *ctx;
    ph_csv_options opts; /* opts.source_name is not used after open: see `source` */
    char *source;        /* owned copy of the name used in errors */

    /* Input. `in` is the window being parsed: the caller's bytes for memory
     * input, else `buf`. Stream offset of in[i] is in_base + i. */
    enum csv_source_kind kind;
    int fd;
    int owns_fd;
    FILE *stream;
    ph_csv_read_fn read_fn;
    void *read_user;
    const unsigned char *in;
    unsigned char *buf;
    size_t buf_size;
    size_t in_len;
    size_t in_pos;
    uint64_t in_base;
    int eof;

    /* Position of in[in_pos]: its physical line and the stream offset where
     * that line starts (so column = offset - line_start + 1). */
    uint64_t line;
    uint64_t line_start;

    /* Scanner tables, built from the options at open. */
    unsigned char class_plain[256];
    unsigned char class_quoted[256];
    uint64_t delim_pattern; /* the delimiter in every byte of a word */

    /* The record being read or the current one. Field i is at
     * rec + starts[i], ends before starts[i + 1] - 1, where its NUL is.
     * Invariant while scanning: rec_len < rec_cap (room for a NUL). */
    char *rec;
    size_t rec_len;
    size_t rec_cap;
    uint32_t *starts;
    unsigned char *quoted; /* 1 when field i was quoted in the input */
    size_t nfields;
    size_t fields_cap;
    uint64_t rec_line;  /* line where the record starts */
    uint64_t rec_start; /* stream offset where it starts */
    uint64_t rec_end;   /* stream offset of its line end (or end of input) */
    int has_record;     /* 1 between a ph_csv_next returning PH_OK and the next call */
    int rec_complete;   /* 1 once the scanner reached the record's end (its line end) */
    int rec_has_nul;    /* a NUL byte was copied into the record (validate_utf8 only) */
    enum csv_lex lex;   /* the scanner's state at its last error, for recovery */
    uint64_t quote_line; /* with lex CSV_LEX_QUOTED: where the open quote is */
    /* What the last ph_csv_recover skipped (ph_csv_recovered). */
    int recovered;        /* 1 from a successful ph_csv_recover to the next ph_csv_next */
    uint64_t skip_lines;  /* physical lines the bad record spanned */
    int skip_unclosed;    /* it ran to the end of input inside an open quote */
    uint64_t skip_quote_line;
    uint64_t records;
    size_t expected_fields; /* 0 until known */

    /* Header: names stored NUL-terminated like a record. */
    char *hdr;
    uint32_t *hdr_starts;
    size_t hdr_count;
    uint64_t hdr_line;

    ph_status state; /* PH_OK while reading, then PH_DONE or the error, for good */
    ph_error error;  /* the error behind `state` */
};

/* --- csv_reader.c -------------------------------------------------------- */

/* Refill the window once it is used up (in_pos == in_len). At the end of
 * input it leaves the window empty and sets eof. Errors go to r->error. */
ph_status csv_fill(ph_csv_reader *r);

/* --- csv_scan.c ---------------------------------------------------------- */

/* Read the next record into rec/starts. PH_OK, PH_DONE at end of input, or an
 * error recorded in r->error. Checks syntax, size and (optionally) UTF-8; the
 * field count is the caller's business. */
ph_status csv_scan_record(ph_csv_reader *r);

/* After an error inside a record: skip the rest of the record, following
 * its quoting from the state r->lex (inside quotes an LF is text; a quote
 * that never closes runs to the end of input), up to and including the LF
 * that ends it. Nothing is copied, so memory stays bounded. */
ph_status csv_skip_record(ph_csv_reader *r);

/* --- csv_utf8.c ---------------------------------------------------------- */

/* Offset of the first byte of the first ill-formed UTF-8 sequence in s[0..len),
 * or len when all of it is well-formed. */
size_t csv_utf8_check(const unsigned char *s, size_t len);

/* --- csv_locate.c -------------------------------------------------------- */

/* Length of field i of the current record. */
size_t csv_field_len(const ph_csv_reader *r, size_t i);

/* Line and column of the first input byte of field `field` (its opening quote
 * when quoted), rebuilt from the record: the input form of a field follows
 * from its content and whether it was quoted. */
void csv_field_start(const ph_csv_reader *r, size_t field, uint64_t *line, uint64_t *column);

/* Line and column of content byte `offset` of field `field`. */
void csv_content_position(const ph_csv_reader *r, size_t field, size_t offset,
                          uint64_t *line, uint64_t *column);

/* What to call field i in messages: the header name, else "column N". */
void csv_field_label(const ph_csv_reader *r, size_t i, char *buf, size_t size);

/* Record an error in r->error with a location (line/column 0: unknown) and
 * return `code`. `field` < 0 names no field; `value` may be NULL. */
ph_status csv_fail(ph_csv_reader *r, ph_status code, long field, const char *value,
                   size_t value_len, uint64_t line, uint64_t column, const char *fmt, ...)
    PH_PRINTF(8, 9);

/* Keep the header (the current record) and check its names are unique. */
ph_status csv_take_header(ph_csv_reader *r);

#endif /* PH_CSV_INTERNAL_H */
