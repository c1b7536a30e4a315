/*
 * Why a column is missing: the message that names what was wanted, what the
 * header holds instead, and the usual accidents that make a right name look
 * wrong (a second byte order mark, a blank before or after it, visible or
 * not, such as a no-break space; capitals).
 * Shared by ph_csv_require_columns and every caller with its own column
 * checks (the ingest module's feed headers), so the message reads the same.
 */
#include "csv/csv_internal.h"
#include "core/escape.h"
#include "core/text.h"

#include <string.h>

/* 'text', escaped as every value shown (docs/errors.md). */
static void message_add_name(text_buf *m, const char *text, size_t len)
{
    char shown[PH_ERROR_FIELD_MAX * 2];
    escape_into(shown, sizeof(shown), text, len);
    text_append(m, "'%s'", shown);
}

/* The longest "... (N more)" that ends a cut header list, with its ", ". */
#define MORE_MAX 32

static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};

/*
 * The blanks that spoil a name in front or behind, as the message names
 * them. Tab counts as a space; the rest do not show at all (they are
 * escaped in the header list, docs/errors.md).
 */
static const struct blank {
    const char *bytes;
    size_t len;
    const char *name;
} blanks[] = {
    {" ", 1, "space"},
    {"\t", 1, "space"},
    {"\xc2\xa0", 2, "no-break space"},
    {"\xe2\x80\xaf", 3, "narrow no-break space"},
    {"\xe3\x80\x80", 3, "ideographic space"},
    {"\xe2\x80\x8b", 3, "zero-width space"},
};
#define BLANK_COUNT (sizeof(blanks) / sizeof(blanks[0]))

/* The blank that starts at h[0..len), its index in `blanks`, or -1. */
static int blank_at(const char *h, size_t len)
{
    for (size_t i = 0; i < BLANK_COUNT; i++)
        if (len >= blanks[i].len && memcmp(h, blanks[i].bytes, blanks[i].len) == 0)
            return (int)i;
    return -1;
}

/* The blank that ends h[0..len), its index in `blanks`, or -1. */
static int blank_before(const char *h, size_t len)
{
    for (size_t i = 0; i < BLANK_COUNT; i++)
        if (len >= blanks[i].len &&
            memcmp(h + len - blanks[i].len, blanks[i].bytes, blanks[i].len) == 0)
            return (int)i;
    return -1;
}

static int same_ignoring_case(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

static int all_lower_case(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s >= 'A' && *s <= 'Z')
            return 0;
    return 1;
}

/* "a leading space, a leading no-break space": each kind found once, in
 * the order of the table. */
static void add_blanks(text_buf *m, const char **sep, const int found[BLANK_COUNT],
                       const char *where)
{
    for (size_t i = 0; i < BLANK_COUNT; i++) {
        int named = 0; /* space and tab share a name */
        for (size_t j = 0; j < i; j++)
            named |= found[j] && strcmp(blanks[j].name, blanks[i].name) == 0;
        if (found[i] && !named) {
            text_append(m, "%sa %s %s", *sep, where, blanks[i].name);
            *sep = ", ";
        }
    }
}

/*
 * Is header name h[0..len) (column `index`, 0-based) the wanted name spoilt
 * by the usual accidents: byte order marks or blanks in front, blanks
 * behind, other letter case? Then append "column N is 'h' (what is wrong)"
 * and return 1. A byte order mark in column 1 is the second one: the reader
 * already skipped the first, at the start of the file.
 */
static int explain_near_miss(text_buf *m, const char *h, size_t len, size_t index,
                             const char *want)
{
    size_t start = 0, boms = 0;
    int leading[BLANK_COUNT] = {0}, trailing[BLANK_COUNT] = {0};
    for (;;) {
        int b = blank_at(h + start, len - start);
        if (len - start >= sizeof(bom) && memcmp(h + start, bom, sizeof(bom)) == 0) {
            start += sizeof(bom);
            boms++;
        } else if (b >= 0) {
            start += blanks[b].len;
            leading[b] = 1;
        } else {
            break;
        }
    }
    size_t end = len;
    for (int b; (b = blank_before(h + start, end - start)) >= 0;) {
        end -= blanks[b].len;
        trailing[b] = 1;
    }
    size_t want_len = strlen(want);
    if (end - start != want_len || !same_ignoring_case(h + start, want, want_len))
        return 0;
    text_append(m, "column %zu is ", index + 1);
    message_add_name(m, h, len);
    const char *sep = " (";
    if (boms > 0) {
        text_append(m, "%s%s byte-order mark", sep, index == 0 ? "a second" : "a");
        sep = ", ";
    }
    add_blanks(m, &sep, leading, "leading");
    add_blanks(m, &sep, trailing, "trailing");
    if (memcmp(h + start, want, want_len) != 0)
        text_append(m, "%s%s", sep,
                    all_lower_case(want) ? "column names are lower case"
                                         : "the letter case differs");
    text_append(m, ")");
    return 1;
}

static size_t header_len(const ph_csv_reader *r, size_t k)
{
    return r->hdr_starts[k + 1] - r->hdr_starts[k] - 1;
}

void ph_csv_explain_missing(const ph_csv_reader *reader, const char *const *names,
                            size_t count, char *buf, size_t size)
{
    if (buf == NULL || size < 8)
        return;
    buf[0] = '\0';
    if (reader == NULL || count == 0 || names == NULL)
        return;
    /* every piece leaves room for the "..." that ends a cut message */
    text_buf m;
    text_init(&m, buf, size);
    m.reserve = 3;
    text_append(&m, "missing column%s ", count > 1 ? "s" : "");
    for (size_t i = 0; i < count; i++) {
        text_append(&m, "%s", i ? ", " : "");
        message_add_name(&m, names[i], strlen(names[i]));
    }
    const char *sep = ": ";
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < reader->hdr_count; k++) {
            text_buf probe = m; /* keep the separator only before a near miss */
            text_append(&probe, "%s", sep);
            if (explain_near_miss(&probe, ph_csv_header_name(reader, k), header_len(reader, k),
                                  k, names[i])) {
                m = probe;
                sep = "; ";
                break;
            }
            if (probe.full) {
                m = probe;
                break;
            }
            buf[m.len] = '\0';
        }
    text_append(&m, "; the header has %zu column%s: ", reader->hdr_count,
                reader->hdr_count == 1 ? "" : "s");
    /* Whole names only: when the next one would not fit, say how many more. */
    for (size_t k = 0; k < reader->hdr_count; k++) {
        char shown[PH_ERROR_FIELD_MAX * 2];
        size_t len = escape_into(shown, sizeof(shown), ph_csv_header_name(reader, k),
                                    header_len(reader, k));
        if (m.len + len + 4 + MORE_MAX >= m.size) {
            text_append(&m, "%s... (%zu more)", k ? ", " : "", reader->hdr_count - k);
            break;
        }
        text_append(&m, "%s'%s'", k ? ", " : "", shown);
    }
}
