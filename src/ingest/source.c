/*
 * Records from a feed file, one at a time, CSV or JSON Lines, in the
 * catalog's column order. A record that cannot be read as fields (broken
 * quoting, bytes that are not UTF-8, a cut line, a JSON line that is not a
 * flat object) comes back marked bad with the reason, and reading goes on
 * at the next line: only a failure of the file itself (I/O) stops it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "puhui/csv.h"

#include "core/escape.h"
#include "core/utf8.h"
#include "ingest/ingest_internal.h"

/* The longest JSON line read (as the CSV reader's default record limit). */
#define JSONL_MAX_LINE ((size_t)1 << 20)
#define JSONL_BUFFER ((size_t)256 << 10)

/* A UTF-8 byte-order mark: skipped at the start of a file, CSV (the CSV
 * reader does it) and JSON Lines alike. */
static const char utf8_bom[3] = {'\xef', '\xbb', '\xbf'};

struct ing_source {
    const ph_ctx *ctx;
    const ph_feed *feed;
    ing_format format;
    char *name;
    const char **fields;
    size_t *lens;
    ing_text raw;
    ing_text detail;
    ph_error last;   /* the error behind the current bad record */
    int refused;     /* a bad record refused the whole file */
    /* CSV */
    ph_csv_reader *csv;
    /* JSONL: the file, a window buf[start..end), the next line number */
    int fd;
    char *buf;
    size_t buf_cap, start, end;
    int eof;
    uint64_t line;
    uint64_t bytes_read; /* from fd so far: buf[start..end) is not consumed yet */
    char *scratch;
    size_t scratch_cap;
};

void ing_source_free(ing_source *src)
{
    if (src == NULL)
        return;
    const ph_ctx *ctx = src->ctx;
    ph_csv_free(src->csv);
    if (src->fd >= 0)
        close(src->fd);
    ph_free(ctx, src->buf);
    ph_free(ctx, src->scratch);
    ph_free(ctx, src->fields);
    ph_free(ctx, src->lens);
    ph_free(ctx, src->name);
    ing_text_free(&src->raw);
    ing_text_free(&src->detail);
    ph_free(ctx, src);
}

/* --- the CSV header ------------------------------------------------------------- */

static void list_columns(const ph_feed *feed, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < feed->column_count && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
                                 feed->columns[i].name);
}

static ph_status header_error(const ing_source *src, const char *column, const char *what,
                              ph_error *err)
{
    char columns[1024];
    list_columns(src->feed, columns, sizeof(columns));
    ph_error_set(err, PH_EINVAL, "header", column, "%s; expected the columns of feed %s, in "
                 "this order: %s", what, src->feed->name, columns);
    ph_error_locate(err, src->name, 1, 0);
    return PH_EINVAL;
}

static ph_status check_header(const ing_source *src, ph_error *err)
{
    const ph_feed *feed = src->feed;
    size_t n = ph_csv_header_count(src->csv);
    char what[PH_ERROR_DETAIL_MAX], shown[PH_ERROR_FIELD_MAX * 2];
    for (size_t i = 0; i < feed->column_count; i++)
        if (ph_csv_column(src->csv, feed->columns[i].name) < 0) {
            /* leave room for what header_error adds, so the expected columns show */
            char columns[1024];
            list_columns(feed, columns, sizeof(columns));
            size_t rest = strlen(columns) + strlen(feed->name) + 64, room = 160;
            if (rest + room < sizeof(what))
                room = sizeof(what) - rest;
            ph_csv_explain_missing(src->csv, &feed->columns[i].name, 1, what, room);
            return header_error(src, feed->columns[i].name, what, err);
        }
    for (size_t i = 0; i < n; i++) {
        const char *name = ph_csv_header_name(src->csv, i);
        if (ph_feed_column_index(feed, name) < 0) {
            escape_into(shown, sizeof(shown), name, strlen(name));
            snprintf(what, sizeof(what), "unexpected column '%s'", shown);
            return header_error(src, name, what, err);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = ph_csv_header_name(src->csv, i);
        if (strcmp(name, feed->columns[i].name) != 0) {
            snprintf(what, sizeof(what), "column %zu is '%s' where '%s' belongs", i + 1, name,
                     feed->columns[i].name);
            return header_error(src, name, what, err);
        }
    }
    return PH_OK;
}

/* --- opening ----------------------------------------------------------------------- */

/* One rule for both formats: a file with nothing in it but a byte-order
 * mark, blank lines and spaces is refused (for CSV it has no header; for
 * JSON Lines, no line). Reads only up to the first other byte. */
static ph_status check_not_empty(const ing_source *src, const char *path, ph_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ph_error_set(err, PH_EIO, NULL, NULL, "cannot open for reading: %s", strerror(errno));
        ph_error_locate(err, src->name, 0, 0);
        return PH_EIO;
    }
    char buf[4096];
    size_t offset = 0, bom_len = 0;
    int content = 0;
    ssize_t n;
    while (!content && ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))) {
        for (ssize_t i = 0; i < n && !content; i++, offset++) {
            char c = buf[i];
            int bom = bom_len == offset && offset < sizeof(utf8_bom) && c == utf8_bom[offset];
            bom_len += (size_t)bom;
            content = !bom && c != ' ' && c != '\t' && c != '\r' && c != '\n';
        }
    }
    close(fd);
    if (content)
        return PH_OK;
    ph_error_set(err, PH_EINVAL, NULL, NULL,
                 "the file is empty (nothing but blank lines); expected a feed file: a CSV "
                 "header line, or JSON Lines with one object per line");
    ph_error_locate(err, src->name, 0, 0);
    return PH_EINVAL;
}

static ph_status open_csv(ing_source *src, const char *path, ph_error *err)
{
    ph_csv_options opts;
    ph_csv_options_init(&opts);
    opts.source_name = src->name;
    ph_status st = ph_csv_open_file(src->ctx, path, &opts, &src->csv, err);
    if (st != PH_OK)
        return st;
    return check_header(src, err);
}

static ph_status open_jsonl(ing_source *src, const char *path, ph_error *err)
{
    src->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (src->fd < 0) {
        ph_error_set(err, PH_EIO, NULL, NULL, "cannot open for reading: %s", strerror(errno));
        ph_error_locate(err, src->name, 0, 0);
        return PH_EIO;
    }
    src->buf_cap = JSONL_BUFFER;
    src->buf = ph_malloc(src->ctx, src->buf_cap);
    if (src->buf == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s", src->name);
    src->line = 1;
    return PH_OK;
}

ph_status ing_source_open(const ph_ctx *ctx, const char *path, ing_format format,
                          const ph_feed *feed, ing_source **out, ph_error *err)
{
    ing_source *src = ph_calloc(ctx, 1, sizeof(*src));
    if (src == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening %s", path);
    src->ctx = ctx;
    src->feed = feed;
    src->format = format;
    src->fd = -1;
    src->raw.ctx = src->detail.ctx = ctx;
    src->name = ph_strdup(ctx, path);
    src->fields = ph_calloc(ctx, feed->column_count, sizeof(*src->fields));
    src->lens = ph_calloc(ctx, feed->column_count, sizeof(*src->lens));
    ph_status st = PH_OK;
    if (src->name == NULL || src->fields == NULL || src->lens == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory opening %s", path);
    else
        st = check_not_empty(src, path, err);
    if (st == PH_OK)
        st = format == ING_CSV ? open_csv(src, path, err) : open_jsonl(src, path, err);
    if (st != PH_OK) {
        ing_source_free(src);
        return st;
    }
    *out = src;
    return PH_OK;
}

/* --- CSV records -------------------------------------------------------------------- */

/* How the CSV reader's record errors map to reasons: by the start of the
 * detail it gives (its messages are part of its tested contract). */
static const struct {
    const char *detail_prefix;
    ph_reject_reason reason;
} csv_error_reasons[] = {
    {"invalid UTF-8", PH_REJECT_INVALID_UTF8},
    {"NUL byte", PH_REJECT_INVALID_UTF8},
    {"record has ", PH_REJECT_WRONG_FIELD_COUNT},
};

static ph_reject_reason csv_reason(const ph_error *e)
{
    for (size_t i = 0; i < sizeof(csv_error_reasons) / sizeof(csv_error_reasons[0]); i++) {
        const char *prefix = csv_error_reasons[i].detail_prefix;
        if (strncmp(e->detail, prefix, strlen(prefix)) == 0)
            return csv_error_reasons[i].reason;
    }
    return PH_REJECT_MALFORMED_RECORD;
}

/* A record the CSV reader refused (src->last): recover, and describe it. */
static ph_status csv_bad(ing_source *src, ing_record *rec, ph_error *err)
{
    const ph_error *e = &src->last;
    uint64_t line = 0;
    ph_status st = ph_csv_recover(src->csv, &line, err);
    ph_csv_skipped skipped;
    if (st == PH_OK)
        st = ph_csv_recovered(src->csv, &skipped, err);
    if (st == PH_OK) {
        st = ing_limits_check_bad_record(src->name, line, skipped.lines, skipped.unclosed,
                                         skipped.quote_line, err);
        src->refused = st != PH_OK;
    }
    if (st != PH_OK)
        return st;
    rec->bad = 1;
    rec->line = line;
    rec->reason = csv_reason(e);
    src->detail.len = 0;
    st = ing_text_escaped(&src->detail, e->detail, strlen(e->detail), err);
    if (st != PH_OK)
        return st;
    rec->detail = src->detail.data;
    rec->field = e->field[0] ? e->field : NULL;
    rec->field_number = rec->field ? ph_feed_column_index(src->feed, rec->field) + 1 : 0;
    rec->value = e->field[0] ? e->value : NULL;
    rec->value_len = rec->value ? strlen(rec->value) : 0;
    size_t n = ph_csv_field_count(src->csv);
    if (n == 0)
        return PH_OK;
    const char **fields = ph_calloc(src->ctx, n, sizeof(*fields));
    size_t *lens = ph_calloc(src->ctx, n, sizeof(*lens));
    if (fields == NULL || lens == NULL) {
        ph_free(src->ctx, fields);
        ph_free(src->ctx, lens);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        ph_csv_field(src->csv, i, &fields[i], &lens[i], NULL);
    st = ing_text_csv_line(&src->raw, fields, lens, n, err);
    ph_free(src->ctx, fields);
    ph_free(src->ctx, lens);
    if (st == PH_OK) {
        rec->raw = src->raw.data;
        rec->raw_len = src->raw.len;
    }
    return st;
}

static ph_status csv_next(ing_source *src, ing_record *rec, ph_error *err)
{
    ph_status st = ph_csv_next(src->csv, &src->last);
    if (st == PH_DONE)
        return PH_DONE;
    if (st == PH_EINVAL || st == PH_ERANGE)
        return csv_bad(src, rec, err);
    if (st != PH_OK) {
        if (err != NULL)
            *err = src->last;
        return st;
    }
    rec->line = ph_csv_line(src->csv);
    for (size_t i = 0; i < src->feed->column_count; i++)
        ph_csv_field(src->csv, i, &src->fields[i], &src->lens[i], NULL);
    return PH_OK;
}

/* --- JSONL records ------------------------------------------------------------------- */

/* Make buf[start..end) hold a whole line or the rest of the file: *len is
 * the line's length without its LF, *has_lf whether one ends it. A line
 * longer than the limit sets *too_long, consuming it. */
static ph_status jsonl_line(ing_source *src, size_t *len, int *too_long, ph_error *err)
{
    size_t scanned = 0;
    *too_long = 0;
    for (;;) {
        char *lf = memchr(src->buf + src->start + scanned, '\n', src->end - src->start - scanned);
        if (lf != NULL) {
            *len = (size_t)(lf - (src->buf + src->start));
            return PH_OK;
        }
        scanned = src->end - src->start;
        if (src->eof) {
            *len = scanned;
            return PH_OK;
        }
        if (scanned > JSONL_MAX_LINE) {
            *too_long = 1; /* drop what is held and go on to the line's end */
            src->start = src->end;
            scanned = 0;
        }
        if (src->start > 0) {
            memmove(src->buf, src->buf + src->start, src->end - src->start);
            src->end -= src->start;
            src->start = 0;
        }
        if (src->end == src->buf_cap) {
            char *grown = ph_realloc(src->ctx, src->buf, src->buf_cap * 2);
            if (grown == NULL)
                return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s",
                                    src->name);
            src->buf = grown;
            src->buf_cap *= 2;
        }
        ssize_t n = read(src->fd, src->buf + src->end, src->buf_cap - src->end);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ph_error_set(err, PH_EIO, NULL, NULL, "read failed: %s", strerror(errno));
            ph_error_locate(err, src->name, src->line, 0);
            return PH_EIO;
        }
        if (n == 0)
            src->eof = 1;
        src->end += (size_t)n;
        src->bytes_read += (uint64_t)n;
    }
}

static ph_status jsonl_bad(ing_source *src, ing_record *rec, ph_reject_reason reason,
                           const char *field, const char *detail, const char *line,
                           size_t len, ph_error *err)
{
    rec->bad = 1;
    rec->reason = reason;
    rec->field = field;
    rec->field_number = field ? ph_feed_column_index(src->feed, field) + 1 : 0;
    rec->value = NULL;
    rec->value_len = 0;
    src->detail.len = 0;
    ph_status st = ing_text_escaped(&src->detail, detail, strlen(detail), err);
    if (st != PH_OK)
        return st;
    rec->detail = src->detail.data;
    src->raw.len = 0;
    st = ing_text_escaped(&src->raw, line, len, err);
    rec->raw = src->raw.data;
    rec->raw_len = src->raw.len;
    return st;
}

static size_t utf8_bad_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (p[i] == 0)
            return i;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_sequence_len(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

static ph_status jsonl_next(ing_source *src, ing_record *rec, ph_error *err)
{
    for (;;) {
        size_t len = 0;
        int too_long = 0;
        ph_status st = jsonl_line(src, &len, &too_long, err);
        if (st != PH_OK)
            return st;
        if (src->eof && len == 0 && src->start == src->end && !too_long)
            return PH_DONE;
        const char *line = src->buf + src->start;
        int has_lf = src->start + len < src->end;
        src->start += len + (size_t)has_lf;
        if (src->line == 1 && len >= sizeof(utf8_bom) &&
            memcmp(line, utf8_bom, sizeof(utf8_bom)) == 0) {
            line += sizeof(utf8_bom);
            len -= sizeof(utf8_bom);
        }
        rec->line = src->line++;
        if (too_long)
            return jsonl_bad(src, rec, PH_REJECT_MALFORMED_RECORD, NULL,
                             "the line is longer than 1 MiB; expected one JSON object per line",
                             "", 0, err);
        if (len > 0 && line[len - 1] == '\r')
            len--;
        size_t blank = 0;
        while (blank < len && (line[blank] == ' ' || line[blank] == '\t'))
            blank++;
        if (blank == len)
            continue; /* empty lines are not records, as in CSV */
        size_t bad = utf8_bad_at(line, len);
        if (bad < len) {
            char detail[128];
            snprintf(detail, sizeof(detail),
                     "invalid UTF-8 byte 0x%02x at byte %zu; expected UTF-8 text (convert GBK "
                     "or other encodings to UTF-8 first)",
                     (unsigned)(unsigned char)line[bad], bad + 1);
            return jsonl_bad(src, rec, PH_REJECT_INVALID_UTF8, NULL, detail, line, len, err);
        }
        if (len + src->feed->column_count + 1 > src->scratch_cap) {
            char *grown = ph_realloc(src->ctx, src->scratch, len + src->feed->column_count + 1);
            if (grown == NULL)
                return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading %s",
                                    src->name);
            src->scratch = grown;
            src->scratch_cap = len + src->feed->column_count + 1;
        }
        ph_reject_reason reason;
        if (ing_jsonl_parse(src->feed, line, len, src->scratch, src->fields, src->lens, &reason,
                            &src->last) != PH_OK)
            return jsonl_bad(src, rec, reason, src->last.field[0] ? src->last.field : NULL,
                             src->last.detail, line, len, err);
        rec->raw = line; /* valid UTF-8 (checked above); used only if the row is refused */
        rec->raw_len = len;
        return PH_OK;
    }
}

int ing_source_refused(const ing_source *src)
{
    return src->refused;
}

uint64_t ing_source_bytes(const ing_source *src)
{
    if (src->format == ING_CSV)
        return ph_csv_bytes_consumed(src->csv);
    return src->bytes_read - (uint64_t)(src->end - src->start);
}

ph_status ing_source_next(ing_source *src, ing_record *rec, ph_error *err)
{
    memset(rec, 0, sizeof(*rec));
    rec->fields = src->fields;
    rec->lens = src->lens;
    return src->format == ING_CSV ? csv_next(src, rec, err) : jsonl_next(src, rec, err);
}

ph_status ing_source_raw(ing_source *src, const ing_record *rec, const char **raw, size_t *len,
                         ph_error *err)
{
    if (rec->raw != NULL) {
        *raw = rec->raw;
        *len = rec->raw_len;
        return PH_OK;
    }
    ph_status st = ing_text_csv_line(&src->raw, rec->fields, rec->lens,
                                     src->feed->column_count, err);
    if (st != PH_OK)
        return st;
    *raw = src->raw.data;
    *len = src->raw.len;
    return PH_OK;
}
