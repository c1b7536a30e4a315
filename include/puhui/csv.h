/*
 * puhui — the CSV reader: streaming, bounded memory, RFC 4180, UTF-8.
 *
 * Every data feed enters puhui through this reader, so it is strict (a
 * malformed file is an error that says where, never a silently shifted
 * column) and it reads in constant memory: input flows through one
 * fixed-size buffer, and a record is held only while it is current.
 *
 * Typical use:
 *
 *     ph_csv_reader *csv;
 *     if (ph_csv_open_file(ctx, "loans.csv", NULL, &csv, &err) != PH_OK) ...
 *     static const char *const want[] = {"id", "amount"};
 *     int col[2];
 *     if (ph_csv_require_columns(csv, want, 2, col, &err) != PH_OK) ...
 *     ph_status st;
 *     while ((st = ph_csv_next(csv, &err)) == PH_OK) {
 *         const char *amount; size_t len;
 *         ph_csv_field(csv, (size_t)col[1], &amount, &len, NULL);
 *         if (parse_amount(amount, len, &value, &err) != PH_OK) {
 *             ph_csv_locate_error(csv, (size_t)col[1], &err); // file:line:col, field
 *             ...
 *         }
 *     }
 *     if (st != PH_DONE) ... err says file:line:column and what was wrong
 *     ph_csv_free(csv);
 *
 * The dialect (what is accepted, exactly):
 *   - Fields are separated by `delimiter` (default ','). A record ends at LF
 *     or CRLF; the last record may end at the end of the input instead. A
 *     carriage return outside quotes that is not followed by LF is an error
 *     (CR-only line endings are not supported).
 *   - A field that starts with '"' is quoted: it ends at the next lone '"';
 *     inside it "" stands for one '"', and the delimiter, CR and LF are kept
 *     as they are. After the closing quote only the delimiter or the end of
 *     the record may follow. A '"' inside an unquoted field is an error.
 *     Nothing is trimmed: spaces are data.
 *   - A UTF-8 byte order mark (EF BB BF) at the very start is skipped.
 *   - Empty lines (no bytes at all between two line ends) are skipped by
 *     default; with skip_empty_lines = 0 each one is a record of one empty
 *     field. A line holding only a delimiter or spaces is not empty.
 *   - With validate_utf8 (default on) every field must be valid UTF-8
 *     (no overlong forms, surrogates or code points above U+10FFFF) and
 *     must not contain a NUL byte; mis-encoded GBK or Latin-1 text is
 *     reported at its first bad byte. Both are checked once the record is
 *     read whole, so the error shows the whole field (escaped: see
 *     docs/errors.md) and the record's fields stay readable.
 *   - Every record must have as many fields as the header (or, without a
 *     header, as the first record) unless allow_ragged is set.
 *   - Header names are matched exactly (case and spaces count) and must be
 *     unique.
 *
 * Positions: lines are physical lines, 1-based, counted at every LF
 * (including LFs inside quoted fields). Columns are 1-based BYTE offsets
 * within the physical line (a Chinese character takes 3 columns); the byte
 * order mark is not counted. Errors carry the source name (the path for
 * files), line and column in the ph_error record, so messages read
 * "loans.csv:7:12: field amount, value '...': expected ...".
 *
 * Memory: the reader allocates its input buffer (buffer_size bytes) once and
 * holds the current record, growing to the largest record seen. A record
 * longer than max_record_bytes is an error (PH_ERANGE), so memory stays below
 * buffer_size + 11 * max_record_bytes (the worst case, a header and a record
 * of nothing but delimiters) plus a few KiB, whatever the input size; for
 * ordinary data it is buffer_size plus a few KiB. Memory input is read where
 * it is (no input buffer); fields are always copied into the record buffer,
 * quotes removed.
 *
 * A reader is used by one thread at a time. It never closes a descriptor or
 * FILE* it did not open.
 */
#ifndef PUHUI_CSV_H
#define PUHUI_CSV_H

#include <stdio.h>

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ph_csv_reader ph_csv_reader;

#define PH_CSV_OPTIONS_VERSION 1
#define PH_CSV_DEFAULT_MAX_RECORD_BYTES ((size_t)1 << 20) /* 1 MiB */
#define PH_CSV_DEFAULT_BUFFER_SIZE ((size_t)256 << 10)    /* 256 KiB */
#define PH_CSV_LIMIT_BYTES ((size_t)1 << 30)              /* upper bound of both */

/*
 * Reader options. Initialise with ph_csv_options_init() (or
 * PH_CSV_OPTIONS_INIT), then change what you need: a struct that was not
 * initialised so is rejected with PH_EMISUSE, because a zeroed one would
 * silently turn the header and UTF-8 validation off.
 */
typedef struct ph_csv_options {
    unsigned int version;      /* PH_CSV_OPTIONS_VERSION */
    char delimiter;            /* ',' ; any ASCII byte except '"', CR, LF, NUL */
    int has_header;            /* 1: the first record names the columns */
    int validate_utf8;         /* 1: reject invalid UTF-8 and NUL bytes */
    int skip_empty_lines;      /* 1: empty lines are not records */
    int allow_ragged;          /* 0: every record has the same field count */
    size_t max_record_bytes;   /* longest record, bytes as in the input without
                                * its line end (1 MiB); 1..PH_CSV_LIMIT_BYTES */
    size_t buffer_size;        /* input buffer (256 KiB); 4..PH_CSV_LIMIT_BYTES;
                                * not used for memory input */
    const char *source_name;   /* name used in errors; NULL: the path, or
                                * "<memory>", "<fd N>", "<stream>", "<callback>" */
} ph_csv_options;

#define PH_CSV_OPTIONS_INIT                                                          \
    {PH_CSV_OPTIONS_VERSION, ',', 1, 1, 1, 0, PH_CSV_DEFAULT_MAX_RECORD_BYTES,        \
     PH_CSV_DEFAULT_BUFFER_SIZE, NULL}

/* Fill `opts` with the defaults shown above. */
PH_EXTERN void ph_csv_options_init(ph_csv_options *opts);

/*
 * Read callback for ph_csv_open_callback: copy up to `capacity` bytes into
 * `buf` and set *got to the count; *got = 0 means end of input. Return PH_OK,
 * or an error status after filling `err` (the reader then reports it).
 */
typedef ph_status (*ph_csv_read_fn)(void *user, char *buf, size_t capacity, size_t *got,
                                    ph_error *err);

/*
 * Constructors. `opts` may be NULL for the defaults; it is copied,
 * source_name included, so neither needs to outlive the call. The context
 * must outlive the reader. With has_header the header is read and checked
 * (unique names) before the constructor returns, so it can fail with any
 * error of ph_csv_next, and with PH_EINVAL on an empty input.
 * Errors: PH_EMISUSE (NULL argument, options not initialised), PH_EINVAL
 * (bad option), PH_ERANGE (size option out of range), PH_ENOMEM, PH_EIO.
 */

/* Open and read the file at `path`; PH_EIO naming the path and the system's
 * reason when it cannot be opened or read. The file is closed by free. */
PH_EXTERN ph_status ph_csv_open_file(const ph_ctx *ctx, const char *path,
                                     const ph_csv_options *opts, ph_csv_reader **out,
                                     ph_error *err);

/* Read the `len` bytes at `data` where they are, without an input buffer
 * (fields are still copied into the record). The bytes must stay unchanged
 * until ph_csv_free. */
PH_EXTERN ph_status ph_csv_open_memory(const ph_ctx *ctx, const void *data, size_t len,
                                       const ph_csv_options *opts, ph_csv_reader **out,
                                       ph_error *err);

/* Read from an open descriptor (pipe, socket, file) until end of file. The
 * caller keeps ownership of `fd`. */
PH_EXTERN ph_status ph_csv_open_fd(const ph_ctx *ctx, int fd, const ph_csv_options *opts,
                                   ph_csv_reader **out, ph_error *err);

/* Read from a stdio stream until end of file. The caller keeps ownership. */
PH_EXTERN ph_status ph_csv_open_stream(const ph_ctx *ctx, FILE *stream,
                                       const ph_csv_options *opts, ph_csv_reader **out,
                                       ph_error *err);

/* Read through a callback (decompressor, network, test harness). */
PH_EXTERN ph_status ph_csv_open_callback(const ph_ctx *ctx, ph_csv_read_fn read, void *user,
                                         const ph_csv_options *opts, ph_csv_reader **out,
                                         ph_error *err);

/* Free the reader and close what it opened. NULL is allowed. */
PH_EXTERN void ph_csv_free(ph_csv_reader *reader);

/*
 * Advance to the next data record (the header is never returned here).
 * PH_OK: a record is ready; PH_DONE: end of input; otherwise an error
 * (PH_EINVAL malformed data, PH_ERANGE record too long, PH_EIO read failure,
 * PH_ENOMEM) with source, line and column. After PH_DONE or an error the
 * reader stays there: every further call returns the same status and error.
 */
PH_EXTERN ph_status ph_csv_next(ph_csv_reader *reader, ph_error *err);

/*
 * Row-level recovery: after ph_csv_next failed on a bad record (PH_EINVAL:
 * malformed quoting, invalid UTF-8, a NUL byte, a wrong field count; or
 * PH_ERANGE: a record too long), skip it and let reading continue. The
 * reader skips whatever is left of the record, following its quoting from
 * where the error was found: inside quotes an LF is text and the record
 * ends only after the closing quote, at the next LF outside quotes (a
 * quote that is never closed runs to the end of the input: the rest of the
 * input is this one bad record); what the strict reading refused (a stray
 * '"' in an unquoted field, junk after a closing quote, a bare CR) is taken
 * as text. So lines inside a bad record's quotes never come back as
 * records, and every bad record consumes at least one whole record: a file
 * never yields more records, good and bad, than it has records.
 * *line (may be NULL) receives the line where the bad record started, for
 * the caller's report; the ph_error that ph_csv_next gave says what was
 * wrong. Skipping copies nothing: memory stays bounded.
 * When the bad record was read whole (a wrong field count, invalid UTF-8, a
 * NUL byte, a record too long) its fields stay readable with ph_csv_field
 * and ph_csv_field_count until the next ph_csv_next, so the caller can keep
 * what it held; otherwise the field count is 0. A skipped record is not
 * counted by ph_csv_record_count.
 * Errors: PH_EMISUSE for a NULL reader or when the last ph_csv_next did not
 * fail; the reader's own error, unchanged, when it cannot be recovered from
 * (PH_EIO, PH_ENOMEM: the input itself failed) or when skipping the record
 * fails to read.
 */
PH_EXTERN ph_status ph_csv_recover(ph_csv_reader *reader, uint64_t *line, ph_error *err);

/* What a bad record that ph_csv_recover skipped was like. */
typedef struct ph_csv_skipped {
    uint64_t lines;      /* physical lines it spanned, from its first line to its
                            last (1: it was on one line) */
    int unclosed;        /* 1: it ran to the end of the input inside a quote
                            that was never closed (the rest of the input was
                            consumed as this one record) */
    uint64_t quote_line; /* with unclosed: the line where that quote opened;
                            otherwise 0 */
} ph_csv_skipped;

/*
 * After a successful ph_csv_recover, and until the next ph_csv_next: how
 * many lines the skipped record spanned and whether it ran to the end of
 * the input inside an open quote, so a caller can tell one damaged line
 * from a quote that swallowed the rest of the file. O(1).
 * Errors: PH_EMISUSE for NULL arguments or when the last call on the
 * reader was not a successful ph_csv_recover.
 */
PH_EXTERN ph_status ph_csv_recovered(const ph_csv_reader *reader, ph_csv_skipped *out,
                                     ph_error *err);

/* Fields of the current record: 0 when there is none (before the first
 * ph_csv_next, after PH_DONE or an error). */
PH_EXTERN size_t ph_csv_field_count(const ph_csv_reader *reader);

/*
 * Field `index` (0-based) of the current record: *ptr receives its bytes,
 * quotes removed, followed by a NUL (so it is also a C string unless the
 * field holds a NUL, which validate_utf8 forbids); *len its length without
 * the NUL. Valid until the next ph_csv_next or ph_csv_free. PH_EMISUSE when
 * there is no current record or `index` is not below the field count.
 */
PH_EXTERN ph_status ph_csv_field(const ph_csv_reader *reader, size_t index, const char **ptr,
                                 size_t *len, ph_error *err);

/* Physical line where the current record (or the header, before the first
 * ph_csv_next) starts; 0 when there is none. */
PH_EXTERN uint64_t ph_csv_line(const ph_csv_reader *reader);

/* Where field `index` of the current record starts in the input (its
 * opening quote for a quoted field): line and byte column, 1-based.
 * PH_EMISUSE as for ph_csv_field. */
PH_EXTERN ph_status ph_csv_field_position(const ph_csv_reader *reader, size_t index,
                                          uint64_t *line, uint64_t *column, ph_error *err);

/* Data records returned so far (the header is not counted). */
PH_EXTERN uint64_t ph_csv_record_count(const ph_csv_reader *reader);

/* Input bytes consumed so far, including the byte order mark (for progress). */
PH_EXTERN uint64_t ph_csv_bytes_consumed(const ph_csv_reader *reader);

/* The name used in errors (the path for files). */
PH_EXTERN const char *ph_csv_source(const ph_csv_reader *reader);

/* --- Header ------------------------------------------------------------
 * Available after the constructor when has_header is set; without a header
 * the count is 0, names are NULL and lookups find nothing. */

PH_EXTERN size_t ph_csv_header_count(const ph_csv_reader *reader);

/* Name of column `index`, NUL-terminated, owned by the reader; NULL when
 * `index` is out of range. */
PH_EXTERN const char *ph_csv_header_name(const ph_csv_reader *reader, size_t index);

/* Index of the column named exactly `name`, or -1. */
PH_EXTERN int ph_csv_column(const ph_csv_reader *reader, const char *name);

/*
 * Look up `count` column names at once: indexes[i] receives the index of
 * names[i]. When any is missing it fails with PH_EINVAL naming the missing
 * columns (the first eight) as ph_csv_explain_missing does, e.g.
 *   loans.csv:1: field amount: missing column 'amount'; the header has 3
 *   columns: 'id', 'name', 'amt'
 * and `indexes` is left unchanged. PH_EMISUSE without a header.
 */
PH_EXTERN ph_status ph_csv_require_columns(const ph_csv_reader *reader,
                                           const char *const *names, size_t count,
                                           int *indexes, ph_error *err);

/*
 * Say why the header has no column named names[0..count), in words a
 * person can act on: the names, then for each one the header name that is
 * that name spoilt by an accident (a byte order mark, a blank in front or
 * behind, capitals), then the whole header as found. Every name is quoted
 * and escaped as values are (docs/errors.md), e.g.
 *   missing column 'uscc': column 1 is '\xef\xbb\xbfuscc' (a second
 *   byte-order mark); the header has 2 columns: '\xef\xbb\xbfuscc', 'name'
 *   missing column 'uscc': column 1 is ' uscc' (a leading space); ...
 *   missing column 'uscc': column 1 is 'USCC' (column names are lower case); ...
 * Writes to buf (NUL-terminated; cut with "..." when it does not fit; the
 * header list shows whole names while they fit, then "... (N more)"; give
 * a smaller size to leave room for words of your own). Does nothing when
 * buf is NULL or size < 8;
 * writes "" without a reader or names. O(count x header length).
 * ph_csv_require_columns uses it; callers with their own column checks
 * should too, so the message reads the same everywhere.
 */
PH_EXTERN void ph_csv_explain_missing(const ph_csv_reader *reader, const char *const *names,
                                      size_t count, char *buf, size_t size);

/*
 * Stamp an error the caller raised while converting field `index` of the
 * current record (a bad amount, an unknown code): sets the source, the line
 * and column where that field starts, and the field to the column's header
 * name (without a header: "column N", 1-based), replacing whatever field
 * name the converter used, because the header name is what the reader of
 * the message can find in the file. Recomposes err->message. Does nothing
 * when err is NULL or there is no current record with such a field.
 */
PH_EXTERN void ph_csv_locate_error(const ph_csv_reader *reader, size_t index, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_CSV_H */
