/*
 * puhui gen — dirty data: bad rows of the kinds real feeds carry.
 *
 * A dirty run inserts, after a clean row, a spoiled copy of it: a wrong USCC
 * check character, a malformed number, an impossible or absurd date, an
 * unknown code, a cut-off line, text in GBK instead of UTF-8, or the same row
 * twice. The clean row stays, so "the dirty files minus the lines listed in
 * truth/dirty.csv" is exactly the clean province: an ingestion test can
 * demand that every listed line is refused and every other line accepted.
 */
#include <string.h>

#include "puhui/uscc.h"
#include "gen/gen_internal.h"

static const char *const kind_names[GEN_DIRTY_KIND_COUNT] = {
    "bad_check_char", "malformed_number", "duplicate_row", "date_out_of_range",
    "unknown_code", "truncated_line", "mis_encoded_text",
};

const char *gen_dirty_kind_name(gen_dirty_kind kind)
{
    return (unsigned)kind < GEN_DIRTY_KIND_COUNT ? kind_names[kind] : "?";
}

/* The row being spoiled: its text (no newline) and field boundaries. */
typedef struct row_view {
    const char *text;
    size_t len;
    int nfields;
    size_t start[GEN_MAX_FIELDS + 1]; /* start[nfields] = len + 1 (past a virtual ',') */
} row_view;

static size_t field_len(const row_view *r, int i)
{
    return r->start[i + 1] - 1 - r->start[i];
}

static int has_non_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* Which kind applies to column `col` of type `t` holding `v`. */
static int column_kind(ph_field_type t, const char *v, size_t n)
{
    if (n == 0)
        return -1;
    switch (t) {
    case PH_FIELD_USCC:
        return GEN_DIRTY_BAD_CHECK_CHAR;
    case PH_FIELD_INT:
    case PH_FIELD_MONEY:
    case PH_FIELD_SHARE:
    case PH_FIELD_DECIMAL:
        return GEN_DIRTY_MALFORMED_NUMBER;
    case PH_FIELD_DATE:
    case PH_FIELD_MONTH:
        return GEN_DIRTY_DATE_OUT_OF_RANGE;
    case PH_FIELD_REGION:
    case PH_FIELD_DIVISION:
    case PH_FIELD_INDUSTRY:
    case PH_FIELD_ENUM:
        return GEN_DIRTY_UNKNOWN_CODE;
    case PH_FIELD_TEXT:
    case PH_FIELD_ID:
        return has_non_ascii(v, n) ? GEN_DIRTY_MIS_ENCODED_TEXT : -1;
    }
    return -1;
}

/* --- spoiled values: each writes into out (>= 96 bytes), returns length --- */

static size_t bad_check_char(gen_rng *rng, const char *v, size_t n, char *out, char *detail)
{
    static const char set[] = PH_USCC_CHARSET;
    memcpy(out, v, n);
    const char *pos = strchr(set, v[n - 1]);
    size_t idx = pos ? (size_t)(pos - set) : 0;
    char repl = set[(idx + 1 + gen_below(rng, 30)) % 31];
    out[n - 1] = repl;
    snprintf(detail, 56, "check character '%c' changed to '%c'", v[n - 1], repl);
    return n;
}

static size_t malformed_number(gen_rng *rng, const char *v, size_t n, char *out, char *detail)
{
    size_t len = 0;
    switch (gen_below(rng, 4)) {
    case 0: { /* a letter O typed for a zero, or l for a one */
        memcpy(out, v, n);
        size_t i = gen_below(rng, n);
        while (i < n && (out[i] < '0' || out[i] > '9'))
            i++;
        if (i == n)
            i = 0;
        out[i] = out[i] == '1' ? 'l' : 'O';
        len = n;
        break;
    }
    case 1: /* a unit left in the field */
        memcpy(out, v, n);
        memcpy(out + n, "\xE5\x85\x83", 3); /* 元 */
        len = n + 3;
        break;
    case 2: /* a placeholder instead of a number */
        memcpy(out, "N/A", 3);
        len = 3;
        break;
    default: /* one decimal too many */
        memcpy(out, v, n);
        len = n;
        if (!memchr(v, '.', n))
            out[len++] = '.';
        memcpy(out + len, "005", 3);
        len += 3;
        break;
    }
    snprintf(detail, 56, "number written as '%.*s'", (int)(len < 30 ? len : 30), out);
    return len;
}

static size_t date_out_of_range(gen_rng *rng, const char *v, size_t n, char *out, char *detail)
{
    memcpy(out, v, n);
    int is_date = n == 10;
    switch (gen_below(rng, 4)) {
    case 0:
        memcpy(out, "2099", 4);
        break;
    case 1:
        memcpy(out, "1899", 4);
        break;
    case 2:
        memcpy(out + 5, "13", 2);
        break;
    default:
        if (is_date) {
            memcpy(out + 5, "02", 2);
            memcpy(out + 8, "30", 2);
        } else {
            memcpy(out + 5, "00", 2);
        }
        break;
    }
    snprintf(detail, 56, "date '%.*s' written as '%.*s'", (int)n, v, (int)n, out);
    return n;
}

static size_t unknown_code(ph_field_type t, gen_rng *rng, char *out, char *detail)
{
    static const char *const regions[] = {"379901", "370199", "371799", "370000"};
    static const char *const industries[] = {"Z12", "C00", "U98", "F99"};
    static const char *const enums[] = {"UNKNOWN", "E", "-", "other"};
    const char *v;
    if (t == PH_FIELD_REGION)
        v = regions[gen_below(rng, 4)];
    else if (t == PH_FIELD_DIVISION)
        v = regions[gen_below(rng, 3)];
    else if (t == PH_FIELD_INDUSTRY)
        v = industries[gen_below(rng, 4)];
    else
        v = enums[gen_below(rng, 4)];
    size_t n = strlen(v);
    memcpy(out, v, n);
    snprintf(detail, 56, "code replaced by '%s'", v);
    return n;
}

/* UTF-8 Chinese re-encoded as two-byte GBK-style pairs: the lead byte
 * 0xB0..0xBF can never start a UTF-8 sequence, so every decoder sees it. */
static size_t mis_encoded(const char *v, size_t n, char *out, size_t cap, char *detail)
{
    size_t len = 0;
    for (size_t i = 0; i < n && len + 3 <= cap;) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 0xE0 && i + 2 < n) {
            unsigned h = (unsigned)c * 31u + (unsigned char)v[i + 1] * 7u + (unsigned char)v[i + 2];
            out[len++] = (char)(0xB0 + h % 16);
            out[len++] = (char)(0xA1 + (h / 16) % 94);
            i += 3;
        } else {
            out[len++] = (char)c;
            i++;
        }
    }
    snprintf(detail, 56, "UTF-8 text re-encoded as GBK (%zu bytes)", len);
    return len;
}

static void record(gen_dirty *d, gen_buf *b, gen_feed_id feed, gen_dirty_kind kind, int column,
                   const char *detail)
{
    gen_dirty_list *l = d->list;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        gen_dirty_record *p = ph_realloc(b->ctx, l->items, cap * sizeof(*p));
        if (!p) {
            b->failed = 1;
            return;
        }
        l->items = p;
        l->cap = cap;
    }
    gen_dirty_record *r = &l->items[l->count++];
    r->line = b->lines - 1;
    r->feed = (uint8_t)feed;
    r->kind = (uint8_t)kind;
    r->column = (int16_t)column;
    snprintf(r->detail, sizeof(r->detail), "%s", detail);
}

/* Append `text` as a new line of the buffer. */
static void append_line(gen_buf *b, const char *text, size_t len)
{
    if (gen_buf_reserve(b, len + 1))
        return;
    memcpy(b->data + b->len, text, len);
    b->len += len;
    b->data[b->len++] = '\n';
    b->lines++;
    b->row_start = b->len;
}

static void inject(gen_buf *b, gen_feed_id feed, gen_dirty *d, const row_view *r)
{
    const ph_feed *cat = d->feeds[feed];
    int kinds[GEN_DIRTY_KIND_COUNT] = {0};
    int cols[GEN_DIRTY_KIND_COUNT][GEN_MAX_FIELDS];
    for (int i = 0; i < r->nfields && i < (int)cat->column_count; i++) {
        int k = column_kind(cat->columns[i].type, r->text + r->start[i], field_len(r, i));
        if (k >= 0)
            cols[k][kinds[k]++] = i;
    }
    kinds[GEN_DIRTY_DUPLICATE_ROW] = 1;
    kinds[GEN_DIRTY_TRUNCATED_LINE] = r->nfields >= 3;
    int available[GEN_DIRTY_KIND_COUNT], navail = 0;
    for (int k = 0; k < GEN_DIRTY_KIND_COUNT; k++)
        if (kinds[k] > 0)
            available[navail++] = k;
    gen_dirty_kind kind = (gen_dirty_kind)available[gen_below(&d->rng, (uint64_t)navail)];

    char line[2048], value[256], detail[56] = "";
    if (r->len + 300 > sizeof(line))
        return;
    if (kind == GEN_DIRTY_DUPLICATE_ROW) {
        append_line(b, r->text, r->len);
        record(d, b, feed, kind, -1, "exact copy of the previous line");
        return;
    }
    if (kind == GEN_DIRTY_TRUNCATED_LINE) {
        int k = 1 + (int)gen_below(&d->rng, (uint64_t)(r->nfields - 2));
        size_t keep = r->start[k] + field_len(r, k) / 2;
        if (has_non_ascii(r->text + r->start[k], field_len(r, k)))
            keep = r->start[k];
        snprintf(detail, sizeof(detail), "line cut after %zu of %zu bytes", keep, r->len);
        append_line(b, r->text, keep);
        record(d, b, feed, kind, -1, detail);
        return;
    }
    int col = cols[kind][gen_below(&d->rng, (uint64_t)kinds[kind])];
    const char *v = r->text + r->start[col];
    size_t n = field_len(r, col), vlen = 0;
    switch (kind) {
    case GEN_DIRTY_BAD_CHECK_CHAR:
        vlen = bad_check_char(&d->rng, v, n, value, detail);
        break;
    case GEN_DIRTY_MALFORMED_NUMBER:
        vlen = malformed_number(&d->rng, v, n < 200 ? n : 200, value, detail);
        break;
    case GEN_DIRTY_DATE_OUT_OF_RANGE:
        vlen = date_out_of_range(&d->rng, v, n, value, detail);
        break;
    case GEN_DIRTY_UNKNOWN_CODE:
        vlen = unknown_code(cat->columns[col].type, &d->rng, value, detail);
        break;
    default:
        vlen = mis_encoded(v, n, value, sizeof(value), detail);
        break;
    }
    size_t pre = r->start[col], post = pre + n;
    memcpy(line, r->text, pre);
    memcpy(line + pre, value, vlen);
    memcpy(line + pre + vlen, r->text + post, r->len - post);
    append_line(b, line, pre + vlen + r->len - post);
    record(d, b, feed, kind, col, detail);
}

void gen_row_dirty(gen_buf *b, gen_feed_id feed, gen_dirty *dirty, size_t row_start,
                   int nfields)
{
    if (!gen_chance(&dirty->rng, dirty->rate))
        return;
    if (nfields > GEN_MAX_FIELDS || b->data[row_start] == '"')
        return;
    row_view r;
    r.len = b->len - 1 - row_start;
    r.nfields = nfields;
    for (int i = 0; i < nfields; i++)
        r.start[i] = b->field_start[i];
    r.start[nfields] = r.len + 1;
    /* The row may move when the buffer grows: work on a copy. */
    char copy[2048];
    if (r.len > sizeof(copy))
        return;
    memcpy(copy, b->data + row_start, r.len);
    r.text = copy;
    inject(b, feed, dirty, &r);
}
