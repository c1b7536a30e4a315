/*
 * The CSV reader's life cycle: options, constructors for each kind of input,
 * refilling the input window, ph_csv_next and the simple accessors.
 */
#include "csv/csv_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* First sizes of the record buffers; they grow (up to the record limit) only
 * when a record needs more. */
#define INITIAL_RECORD_BYTES 1024
#define INITIAL_FIELDS 64
/* Enough input to recognise the byte order mark before parsing starts. */
#define MIN_BUFFER_SIZE 4

static const unsigned char utf8_bom[3] = {0xef, 0xbb, 0xbf};

void ph_csv_options_init(ph_csv_options *opts)
{
    if (opts == NULL)
        return;
    const ph_csv_options defaults = PH_CSV_OPTIONS_INIT;
    *opts = defaults;
}

static ph_status check_size_option(const char *name, size_t value, size_t min, ph_error *err)
{
    if (value >= min && value <= PH_CSV_LIMIT_BYTES)
        return PH_OK;
    char shown[32];
    snprintf(shown, sizeof(shown), "%zu", value);
    return ph_error_set(err, PH_ERANGE, name, shown, "expected %zu to %zu bytes", min,
                        (size_t)PH_CSV_LIMIT_BYTES);
}

static ph_status check_options(const ph_csv_options *o, ph_error *err)
{
    if (o->version != PH_CSV_OPTIONS_VERSION)
        return ph_error_set(err, PH_EMISUSE, "version", NULL,
                            "ph_csv_options must be set up with ph_csv_options_init or "
                            "PH_CSV_OPTIONS_INIT (version %u expected, got %u)",
                            PH_CSV_OPTIONS_VERSION, o->version);
    unsigned char d = (unsigned char)o->delimiter;
    if (d == 0 || d >= 0x80 || d == '"' || d == '\r' || d == '\n')
        return ph_error_setn(err, PH_EINVAL, "delimiter", &o->delimiter, 1,
                             "expected one ASCII byte other than '\"', CR, LF and NUL, got "
                             "0x%02x",
                             d);
    ph_status st = check_size_option("max_record_bytes", o->max_record_bytes, 1, err);
    if (st == PH_OK)
        st = check_size_option("buffer_size", o->buffer_size, MIN_BUFFER_SIZE, err);
    return st;
}

/* The two byte-class tables the scanner runs on. */
static void build_classes(ph_csv_reader *r)
{
    memset(r->class_plain, CSV_C_PLAIN, sizeof(r->class_plain));
    memset(r->class_quoted, CSV_C_PLAIN, sizeof(r->class_quoted));
    unsigned char d = (unsigned char)r->opts.delimiter;
    r->class_plain[d] = CSV_C_DELIM;
    r->class_plain['"'] = r->class_quoted['"'] = CSV_C_QUOTE;
    r->class_plain['\n'] = r->class_quoted['\n'] = CSV_C_LF;
    r->class_plain['\r'] = CSV_C_CR;
    if (r->opts.validate_utf8)
        r->class_plain[0] = r->class_quoted[0] = CSV_C_NUL;
    r->delim_pattern = 0x0101010101010101ULL * d;
}

static ph_status check_open_args(const ph_ctx *ctx, ph_csv_reader **out, const char *who,
                                 ph_error *err)
{
    if (ctx == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: ctx or out is NULL", who);
    return PH_OK;
}

/* Allocate a reader with its record buffers; the input is set up by the caller. */
static ph_status reader_new(const ph_ctx *ctx, const ph_csv_options *opts,
                            const char *default_name, ph_csv_reader **out, ph_error *err)
{
    ph_csv_options o;
    ph_csv_options_init(&o);
    if (opts != NULL)
        o = *opts;
    ph_status st = check_options(&o, err);
    if (st != PH_OK)
        return st;
    ph_csv_reader *r = ph_calloc(ctx, 1, sizeof(*r));
    if (r == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory creating a CSV reader");
    r->ctx = ctx;
    r->opts = o;
    r->fd = -1;
    r->line = 1;
    r->source = ph_strdup(ctx, o.source_name != NULL ? o.source_name : default_name);
    r->opts.source_name = NULL;
    r->rec_cap = o.max_record_bytes + 2 < INITIAL_RECORD_BYTES ? o.max_record_bytes + 2
                                                               : INITIAL_RECORD_BYTES;
    r->fields_cap = INITIAL_FIELDS;
    r->rec = ph_malloc(ctx, r->rec_cap);
    r->starts = ph_malloc(ctx, r->fields_cap * sizeof(*r->starts));
    r->quoted = ph_malloc(ctx, r->fields_cap);
    if (r->source == NULL || r->rec == NULL || r->starts == NULL || r->quoted == NULL) {
        ph_csv_free(r);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory creating a CSV reader");
    }
    build_classes(r);
    *out = r;
    return PH_OK;
}

static ph_status alloc_buffer(ph_csv_reader *r, ph_error *err)
{
    r->buf_size = r->opts.buffer_size;
    r->buf = ph_malloc(r->ctx, r->buf_size);
    if (r->buf == NULL)
        return ph_error_set(err, PH_ENOMEM, "buffer_size", NULL,
                            "out of memory allocating a %zu-byte input buffer", r->buf_size);
    r->in = r->buf;
    return PH_OK;
}

/* --- Reading the input ---------------------------------------------------- */

static ph_status read_fd(ph_csv_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    for (;;) {
        ssize_t n = read(r->fd, dst, cap);
        if (n >= 0) {
            *got = (size_t)n;
            return PH_OK;
        }
        if (errno != EINTR)
            return csv_fail(r, PH_EIO, -1, NULL, 0, r->line, 0, "read failed: %s",
                            strerror(errno));
    }
}

static ph_status read_stream(ph_csv_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    size_t n = fread(dst, 1, cap, r->stream);
    if (n == 0 && ferror(r->stream))
        return csv_fail(r, PH_EIO, -1, NULL, 0, r->line, 0, "read failed: %s",
                        strerror(errno));
    *got = n;
    return PH_OK;
}

static ph_status read_callback(ph_csv_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    size_t n = 0;
    ph_error_clear(&r->error);
    ph_status st = r->read_fn(r->read_user, (char *)dst, cap, &n, &r->error);
    if (st != PH_OK) {
        if (st > PH_OK)
            st = PH_EMISUSE;
        if (r->error.code == PH_OK)
            ph_error_set(&r->error, st, NULL, NULL, "the read callback failed (%s)",
                         ph_status_name(st));
        r->error.code = st;
        if (r->error.source[0] == '\0')
            ph_error_locate(&r->error, r->source, r->line, 0);
        return st;
    }
    if (n > cap)
        return csv_fail(r, PH_EMISUSE, -1, NULL, 0, r->line, 0,
                        "the read callback returned %zu bytes for a %zu-byte buffer", n, cap);
    *got = n;
    return PH_OK;
}

static ph_status read_some(ph_csv_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    switch (r->kind) {
    case CSV_SRC_FD: return read_fd(r, dst, cap, got);
    case CSV_SRC_STREAM: return read_stream(r, dst, cap, got);
    case CSV_SRC_CALLBACK: return read_callback(r, dst, cap, got);
    case CSV_SRC_MEMORY: break;
    }
    *got = 0;
    return PH_OK;
}

ph_status csv_fill(ph_csv_reader *r)
{
    r->in_base += r->in_len;
    r->in_len = r->in_pos = 0;
    if (r->eof)
        return PH_OK;
    size_t got = 0;
    ph_status st = read_some(r, r->buf, r->buf_size, &got);
    if (st != PH_OK)
        return st;
    if (got == 0)
        r->eof = 1;
    r->in_len = got;
    return PH_OK;
}

/* Fill the first window with at least 3 bytes (or all there is) and step over
 * a byte order mark. Columns are counted after it. */
static ph_status skip_bom(ph_csv_reader *r)
{
    while (r->kind != CSV_SRC_MEMORY && r->in_len < sizeof(utf8_bom) && !r->eof) {
        size_t got = 0;
        ph_status st = read_some(r, r->buf + r->in_len, r->buf_size - r->in_len, &got);
        if (st != PH_OK)
            return st;
        if (got == 0)
            r->eof = 1;
        r->in_len += got;
    }
    if (r->in_len >= sizeof(utf8_bom) && memcmp(r->in, utf8_bom, sizeof(utf8_bom)) == 0) {
        r->in_pos = sizeof(utf8_bom);
        r->line_start = sizeof(utf8_bom);
    }
    return PH_OK;
}

/* Everything after the input is attached: BOM, header. Frees the reader on
 * failure. */
static ph_status reader_start(ph_csv_reader *r, ph_csv_reader **out, ph_error *err)
{
    ph_status st = skip_bom(r);
    if (st == PH_OK && r->opts.has_header) {
        st = csv_scan_record(r);
        if (st == PH_DONE)
            st = csv_fail(r, PH_EINVAL, -1, NULL, 0, 0, 0,
                          "the input is empty; expected a header line");
        else if (st == PH_OK)
            st = csv_take_header(r);
        if (st == PH_OK && !r->opts.allow_ragged)
            r->expected_fields = r->hdr_count;
    }
    if (st != PH_OK) {
        if (err != NULL)
            *err = r->error;
        ph_csv_free(r);
        return st;
    }
    *out = r;
    return PH_OK;
}

/* --- Constructors ------------------------------------------------------------ */

ph_status ph_csv_open_memory(const ph_ctx *ctx, const void *data, size_t len,
                             const ph_csv_options *opts, ph_csv_reader **out, ph_error *err)
{
    ph_status st = check_open_args(ctx, out, "ph_csv_open_memory", err);
    if (st != PH_OK)
        return st;
    if (data == NULL && len > 0)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_csv_open_memory: data is NULL but len is %zu", len);
    ph_csv_reader *r;
    st = reader_new(ctx, opts, "<memory>", &r, err);
    if (st != PH_OK)
        return st;
    r->kind = CSV_SRC_MEMORY;
    r->in = data != NULL ? data : (const void *)"";
    r->in_len = len;
    r->eof = 1;
    return reader_start(r, out, err);
}

ph_status ph_csv_open_fd(const ph_ctx *ctx, int fd, const ph_csv_options *opts,
                         ph_csv_reader **out, ph_error *err)
{
    ph_status st = check_open_args(ctx, out, "ph_csv_open_fd", err);
    if (st != PH_OK)
        return st;
    if (fd < 0)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_csv_open_fd: fd is %d", fd);
    char name[32];
    snprintf(name, sizeof(name), "<fd %d>", fd);
    ph_csv_reader *r;
    st = reader_new(ctx, opts, name, &r, err);
    if (st != PH_OK)
        return st;
    r->kind = CSV_SRC_FD;
    r->fd = fd;
    if ((st = alloc_buffer(r, err)) != PH_OK) {
        ph_csv_free(r);
        return st;
    }
    return reader_start(r, out, err);
}

ph_status ph_csv_open_file(const ph_ctx *ctx, const char *path, const ph_csv_options *opts,
                           ph_csv_reader **out, ph_error *err)
{
    ph_status st = check_open_args(ctx, out, "ph_csv_open_file", err);
    if (st != PH_OK)
        return st;
    if (path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_csv_open_file: path is NULL");
    ph_csv_reader *r;
    st = reader_new(ctx, opts, path, &r, err);
    if (st != PH_OK)
        return st;
    r->kind = CSV_SRC_FD;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        int e = errno;
        if (err != NULL) {
            ph_error_clear(err);
            ph_error_set(err, PH_EIO, NULL, NULL, "cannot open for reading: %s", strerror(e));
            ph_error_locate(err, r->source, 0, 0);
        }
        ph_csv_free(r);
        return PH_EIO;
    }
    r->owns_fd = 1;
    if ((st = alloc_buffer(r, err)) != PH_OK) {
        ph_csv_free(r);
        return st;
    }
    return reader_start(r, out, err);
}

ph_status ph_csv_open_stream(const ph_ctx *ctx, FILE *stream, const ph_csv_options *opts,
                             ph_csv_reader **out, ph_error *err)
{
    ph_status st = check_open_args(ctx, out, "ph_csv_open_stream", err);
    if (st != PH_OK)
        return st;
    if (stream == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_csv_open_stream: stream is NULL");
    ph_csv_reader *r;
    st = reader_new(ctx, opts, "<stream>", &r, err);
    if (st != PH_OK)
        return st;
    r->kind = CSV_SRC_STREAM;
    r->stream = stream;
    if ((st = alloc_buffer(r, err)) != PH_OK) {
        ph_csv_free(r);
        return st;
    }
    return reader_start(r, out, err);
}

ph_status ph_csv_open_callback(const ph_ctx *ctx, ph_csv_read_fn read_fn, void *user,
                               const ph_csv_options *opts, ph_csv_reader **out, ph_error *err)
{
    ph_status st = check_open_args(ctx, out, "ph_csv_open_callback", err);
    if (st != PH_OK)
        return st;
    if (read_fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_csv_open_callback: read is NULL");
    ph_csv_reader *r;
    st = reader_new(ctx, opts, "<callback>", &r, err);
    if (st != PH_OK)
        return st;
    r->kind = CSV_SRC_CALLBACK;
    r->read_fn = read_fn;
    r->read_user = user;
    if ((st = alloc_buffer(r, err)) != PH_OK) {
        ph_csv_free(r);
        return st;
    }
    return reader_start(r, out, err);
}

void ph_csv_free(ph_csv_reader *reader)
{
    if (reader == NULL)
        return;
    const ph_ctx *ctx = reader->ctx;
    if (reader->owns_fd)
        close(reader->fd);
    ph_free(ctx, reader->buf);
    ph_free(ctx, reader->rec);
    ph_free(ctx, reader->starts);
    ph_free(ctx, reader->quoted);
    ph_free(ctx, reader->hdr);
    ph_free(ctx, reader->hdr_starts);
    ph_free(ctx, reader->source);
    ph_free(ctx, reader);
}

/* --- Records --------------------------------------------------------------- */

static ph_status check_field_count(ph_csv_reader *r)
{
    if (r->opts.allow_ragged)
        return PH_OK;
    if (r->expected_fields == 0) {
        r->expected_fields = r->nfields; /* no header: the first record decides */
        return PH_OK;
    }
    if (r->nfields == r->expected_fields)
        return PH_OK;
    const char *like = r->hdr != NULL ? "the header" : "the first record";
    uint64_t line = r->rec_line, column = 0;
    if (r->nfields > r->expected_fields) /* point at the first field too many */
        csv_field_start(r, r->expected_fields, &line, &column);
    return csv_fail(r, PH_EINVAL, -1, NULL, 0, line, column,
                    "record has %zu field%s, expected %zu as in %s", r->nfields,
                    r->nfields == 1 ? "" : "s", r->expected_fields, like);
}

ph_status ph_csv_next(ph_csv_reader *reader, ph_error *err)
{
    if (reader == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_csv_next: reader is NULL");
    reader->has_record = 0;
    reader->recovered = 0;
    ph_status st = reader->state;
    if (st == PH_OK) {
        st = csv_scan_record(reader);
        if (st == PH_OK)
            st = check_field_count(reader);
        if (st == PH_OK) {
            reader->has_record = 1;
            reader->records++;
            return PH_OK;
        }
        reader->state = st;
    }
    if (st != PH_DONE && err != NULL)
        *err = reader->error;
    return st;
}

/* Errors of a record's content, which the next record may be free of; I/O,
 * memory and misuse errors are not. */
static int recoverable(ph_status st)
{
    return st == PH_EINVAL || st == PH_ERANGE;
}

ph_status ph_csv_recover(ph_csv_reader *reader, uint64_t *line, ph_error *err)
{
    if (reader == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_csv_recover: reader is NULL");
    ph_status st = reader->state;
    if (st == PH_OK || st == PH_DONE)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_csv_recover: the last ph_csv_next did not fail; there is no "
                            "bad record to skip");
    if (!recoverable(st)) {
        if (err != NULL)
            *err = reader->error;
        return st;
    }
    uint64_t bad_line = reader->rec_line;
    int whole = reader->rec_complete;
    reader->skip_unclosed = 0;
    if (!whole) {
        ph_status skip = csv_skip_record(reader);
        if (skip != PH_OK) {
            reader->state = skip;
            if (err != NULL)
                *err = reader->error;
            return skip;
        }
    }
    reader->state = PH_OK;
    ph_error_clear(&reader->error);
    /* A record read whole (wrong field count, bad UTF-8) stays readable, so
     * the caller can show what it held; it is not counted as a record. */
    reader->has_record = whole;
    /* The line the record ends on: the one before the reader's line when
     * it stands just after a line end, otherwise the reader's line (the
     * input ended without one). */
    uint64_t end_line = reader->line;
    if (reader->in_base + reader->in_pos == reader->line_start && end_line > bad_line)
        end_line--;
    reader->skip_lines = end_line >= bad_line ? end_line - bad_line + 1 : 1;
    reader->recovered = 1;
    if (line != NULL)
        *line = bad_line;
    return PH_OK;
}

ph_status ph_csv_recovered(const ph_csv_reader *reader, ph_csv_skipped *out, ph_error *err)
{
    if (reader == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_csv_recovered: reader or out is NULL");
    if (!reader->recovered)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_csv_recovered: the last call was not a successful "
                            "ph_csv_recover");
    out->lines = reader->skip_lines;
    out->unclosed = reader->skip_unclosed;
    out->quote_line = reader->skip_unclosed ? reader->skip_quote_line : 0;
    return PH_OK;
}

/* --- Accessors ------------------------------------------------------------- */

size_t ph_csv_field_count(const ph_csv_reader *reader)
{
    return reader != NULL && reader->has_record ? reader->nfields : 0;
}

uint64_t ph_csv_line(const ph_csv_reader *reader)
{
    if (reader == NULL)
        return 0;
    if (reader->has_record)
        return reader->rec_line;
    return reader->records == 0 && reader->state == PH_OK ? reader->hdr_line : 0;
}

uint64_t ph_csv_record_count(const ph_csv_reader *reader)
{
    return reader != NULL ? reader->records : 0;
}

uint64_t ph_csv_bytes_consumed(const ph_csv_reader *reader)
{
    return reader != NULL ? reader->in_base + reader->in_pos : 0;
}

const char *ph_csv_source(const ph_csv_reader *reader)
{
    return reader != NULL ? reader->source : NULL;
}
