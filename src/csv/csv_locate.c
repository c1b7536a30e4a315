/*
 * Where things are: positions of fields, the errors that carry them, and the
 * header (names, lookups, the check for required columns).
 *
 * The scanner does not store a position per field (that would slow every
 * record for the benefit of the rare error). A field's position is rebuilt
 * instead: from the record's first line, walking the fields before it. The
 * input form of a field follows from its content: unquoted, the content
 * itself; quoted, '"' + content with each '"' doubled + '"'; then one
 * delimiter. Only an LF inside a quoted field starts a new line.
 */
#include "csv/csv_internal.h"
#include "core/escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t csv_field_len(const ph_csv_reader *r, size_t i)
{
    return r->starts[i + 1] - r->starts[i] - 1;
}

/* Advance (line, column) over `len` content bytes of a quoted field. */
static void walk_quoted(const char *s, size_t len, uint64_t *line, uint64_t *column)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *column = 1;
        } else {
            *column += s[i] == '"' ? 2 : 1;
        }
    }
}

void csv_field_start(const ph_csv_reader *r, size_t field, uint64_t *line, uint64_t *column)
{
    uint64_t ln = r->rec_line, col = 1;
    for (size_t f = 0; f < field; f++) {
        size_t len = csv_field_len(r, f);
        if (r->quoted[f]) {
            col++;
            walk_quoted(r->rec + r->starts[f], len, &ln, &col);
            col++;
        } else {
            col += len;
        }
        col++; /* the delimiter */
    }
    *line = ln;
    *column = col;
}

void csv_content_position(const ph_csv_reader *r, size_t field, size_t offset,
                          uint64_t *line, uint64_t *column)
{
    csv_field_start(r, field, line, column);
    if (r->quoted[field]) {
        (*column)++;
        walk_quoted(r->rec + r->starts[field], offset, line, column);
    } else {
        *column += offset;
    }
}

void csv_field_label(const ph_csv_reader *r, size_t i, char *buf, size_t size)
{
    if (r->hdr != NULL && i < r->hdr_count && r->hdr[r->hdr_starts[i]] != '\0')
        escape_into(buf, size, r->hdr + r->hdr_starts[i],
                       r->hdr_starts[i + 1] - r->hdr_starts[i] - 1);
    else
        snprintf(buf, size, "column %zu", i + 1);
}

ph_status csv_fail(ph_csv_reader *r, ph_status code, long field, const char *value,
                   size_t value_len, uint64_t line, uint64_t column, const char *fmt, ...)
{
    char label[PH_ERROR_FIELD_MAX * 4]; /* longer than the record's: it marks the cut */
    if (field >= 0)
        csv_field_label(r, (size_t)field, label, sizeof(label));
    ph_error_clear(&r->error);
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(&r->error, code, field >= 0 ? label : NULL, value, value_len, fmt, ap);
    va_end(ap);
    ph_error_locate(&r->error, r->source, line, column);
    return code;
}

/* --- The header ---------------------------------------------------------- */

typedef struct header_name {
    const char *text;
    size_t len;
    size_t index;
} header_name;

/* Order by length, then bytes, then position, so duplicates sit together
 * with their first occurrence leading. */
static int compare_names(const void *a, const void *b)
{
    const header_name *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = memcmp(x->text, y->text, x->len);
    if (c != 0)
        return c;
    return x->index < y->index ? -1 : (x->index > y->index);
}

/*
 * Find the earliest column whose name already appeared: *first and *second
 * (0-based) are that column and its first occurrence. Sorting keeps this
 * O(n log n): a header may hold hundreds of thousands of names within the
 * record limit, and a quadratic scan of a hostile file would hang the reader.
 */
static ph_status find_duplicate(ph_csv_reader *r, size_t *first, size_t *second, int *found)
{
    *found = 0;
    if (r->nfields < 2)
        return PH_OK;
    header_name *names = ph_malloc(r->ctx, r->nfields * sizeof(*names));
    if (names == NULL)
        return PH_ENOMEM;
    for (size_t i = 0; i < r->nfields; i++)
        names[i] = (header_name){r->rec + r->starts[i], csv_field_len(r, i), i};
    qsort(names, r->nfields, sizeof(*names), compare_names);
    for (size_t k = 1; k < r->nfields; k++) {
        const header_name *a = &names[k - 1], *b = &names[k];
        int same_run = a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
        /* only the first two of a run matter: the second is the earliest repeat */
        int run_start = k == 1 || names[k - 2].len != a->len ||
                        memcmp(names[k - 2].text, a->text, a->len) != 0;
        if (same_run && run_start && (!*found || b->index < *second)) {
            *first = a->index;
            *second = b->index;
            *found = 1;
        }
    }
    ph_free(r->ctx, names);
    return PH_OK;
}

ph_status csv_take_header(ph_csv_reader *r)
{
    size_t first = 0, second = 0;
    int found = 0;
    if (find_duplicate(r, &first, &second, &found) != PH_OK)
        return csv_fail(r, PH_ENOMEM, -1, NULL, 0, r->rec_line, 0,
                        "out of memory checking a header of %zu columns", r->nfields);
    if (found) {
        uint64_t line, column;
        csv_field_start(r, second, &line, &column);
        return csv_fail(r, PH_EINVAL, -1, r->rec + r->starts[second],
                        csv_field_len(r, second), line, column,
                        "duplicate column name in the header (columns %zu and %zu); "
                        "expected unique names",
                        first + 1, second + 1);
    }
    r->hdr = ph_malloc(r->ctx, r->rec_len);
    r->hdr_starts = ph_malloc(r->ctx, (r->nfields + 1) * sizeof(*r->hdr_starts));
    if (r->hdr == NULL || r->hdr_starts == NULL)
        return csv_fail(r, PH_ENOMEM, -1, NULL, 0, r->rec_line, 0,
                        "out of memory keeping a header of %zu bytes", r->rec_len);
    memcpy(r->hdr, r->rec, r->rec_len);
    memcpy(r->hdr_starts, r->starts, (r->nfields + 1) * sizeof(*r->hdr_starts));
    r->hdr_count = r->nfields;
    r->hdr_line = r->rec_line;
    return PH_OK;
}

size_t ph_csv_header_count(const ph_csv_reader *reader)
{
    return reader != NULL ? reader->hdr_count : 0;
}

const char *ph_csv_header_name(const ph_csv_reader *reader, size_t index)
{
    if (reader == NULL || index >= reader->hdr_count)
        return NULL;
    return reader->hdr + reader->hdr_starts[index];
}

int ph_csv_column(const ph_csv_reader *reader, const char *name)
{
    if (reader == NULL || name == NULL)
        return -1;
    size_t len = strlen(name);
    for (size_t i = 0; i < reader->hdr_count; i++) {
        size_t start = reader->hdr_starts[i];
        if (reader->hdr_starts[i + 1] - start - 1 == len &&
            memcmp(reader->hdr + start, name, len) == 0)
            return (int)i;
    }
    return -1;
}

ph_status ph_csv_require_columns(const ph_csv_reader *reader, const char *const *names,
                                 size_t count, int *indexes, ph_error *err)
{
    if (reader == NULL || (count > 0 && (names == NULL || indexes == NULL)))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_csv_require_columns: reader, names or indexes is NULL");
    if (reader->hdr == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_csv_require_columns: the reader has no header "
                            "(has_header is 0)");
    /* The missing names, the first few of them: the message shows no more. */
    const char *missing[8];
    size_t missing_count = 0;
    for (size_t i = 0; i < count; i++) {
        if (names[i] == NULL)
            return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                                "ph_csv_require_columns: names[%zu] is NULL", i);
        if (ph_csv_column(reader, names[i]) < 0 &&
            missing_count < sizeof(missing) / sizeof(missing[0]))
            missing[missing_count++] = names[i];
    }
    if (missing_count == 0) {
        for (size_t i = 0; i < count; i++)
            indexes[i] = ph_csv_column(reader, names[i]);
        return PH_OK;
    }
    if (err == NULL)
        return PH_EINVAL;
    char what[PH_ERROR_DETAIL_MAX];
    ph_csv_explain_missing(reader, missing, missing_count, what, sizeof(what));
    ph_error_clear(err);
    ph_error_set(err, PH_EINVAL, missing[0], NULL, "%s", what);
    ph_error_locate(err, reader->source, reader->hdr_line, 0);
    return PH_EINVAL;
}

/* --- Positions of the current record --------------------------------------- */

static ph_status check_field(const ph_csv_reader *reader, size_t index, const char *who,
                             ph_error *err)
{
    if (reader == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: reader is NULL", who);
    if (!reader->has_record)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "%s: there is no current record (call ph_csv_next first; "
                            "after PH_DONE or an error there is none)",
                            who);
    if (index >= reader->nfields)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "%s: field index %zu is out of range; the record at line %llu "
                            "has %zu fields",
                            who, index, (unsigned long long)reader->rec_line, reader->nfields);
    return PH_OK;
}

ph_status ph_csv_field(const ph_csv_reader *reader, size_t index, const char **ptr,
                       size_t *len, ph_error *err)
{
    /* Called for every field of every record: the usual case goes first. */
    if (reader != NULL && reader->has_record && index < reader->nfields && ptr != NULL &&
        len != NULL) {
        *ptr = reader->rec + reader->starts[index];
        *len = csv_field_len(reader, index);
        return PH_OK;
    }
    ph_status st = check_field(reader, index, "ph_csv_field", err);
    if (st != PH_OK)
        return st;
    if (ptr == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_csv_field: ptr or len is NULL");
    *ptr = reader->rec + reader->starts[index];
    *len = csv_field_len(reader, index);
    return PH_OK;
}

ph_status ph_csv_field_position(const ph_csv_reader *reader, size_t index, uint64_t *line,
                                uint64_t *column, ph_error *err)
{
    ph_status st = check_field(reader, index, "ph_csv_field_position", err);
    if (st != PH_OK)
        return st;
    if (line == NULL || column == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_csv_field_position: line or column is NULL");
    csv_field_start(reader, index, line, column);
    return PH_OK;
}

void ph_csv_locate_error(const ph_csv_reader *reader, size_t index, ph_error *err)
{
    if (err == NULL || check_field(reader, index, "ph_csv_locate_error", NULL) != PH_OK)
        return;
    uint64_t line, column;
    csv_field_start(reader, index, &line, &column);
    char label[PH_ERROR_FIELD_MAX * 4];
    csv_field_label(reader, index, label, sizeof(label));
    ph_error_set_field(err, label);
    ph_error_locate(err, reader->source, line, column);
}
