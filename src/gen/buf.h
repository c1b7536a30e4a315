/*
 * puhui gen — the hot field writers, inline (private to src/gen).
 *
 * A million-firm run writes about 700 million rows and 4 billion fields, so
 * a call, a strlen and a memmove per field were a sixth of the work. These
 * are the field writers of buf.c made inline: the same bytes, with the
 * buffer's growth and the dirty-row injection left out of line. Included by
 * gen_internal.h after struct gen_buf.
 */
#ifndef PH_GEN_BUF_H
#define PH_GEN_BUF_H

#include <string.h>

/* "00" "01" ... "99": two digits per division by 100. */
extern const char gen_digit_pairs[200];

/* Start a field with room for `room` more bytes: the separator, and where
 * the field begins (what lets a dirty run spoil one field). Returns 0, or
 * -1 when the buffer cannot grow (the block then reports ENOMEM). */
static inline int gen_field_begin(gen_buf *b, size_t room)
{
    if ((b->len + room + 1 > b->cap || b->failed) && gen_buf_reserve(b, room + 1))
        return -1;
    if (b->nfields > 0)
        b->data[b->len++] = ',';
    if (b->nfields < GEN_MAX_FIELDS)
        b->field_start[b->nfields] = (uint32_t)(b->len - b->row_start);
    b->nfields++;
    return 0;
}

/* The decimal digits of v, ending just before `end`; returns the first. */
static inline char *gen_digits(uint64_t v, char *end)
{
    char *p = end;
    while (v >= 100) {
        unsigned pair = (unsigned)(v % 100) * 2;
        v /= 100;
        p -= 2;
        p[0] = gen_digit_pairs[pair];
        p[1] = gen_digit_pairs[pair + 1];
    }
    if (v >= 10) {
        p -= 2;
        p[0] = gen_digit_pairs[v * 2];
        p[1] = gen_digit_pairs[v * 2 + 1];
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}

static inline void gen_put_raw(gen_buf *b, const char *s, size_t len)
{
    if (gen_field_begin(b, len))
        return;
    memcpy(b->data + b->len, s, len);
    b->len += len;
}

/* How many decimal digits v has (1 for 0). */
static inline int gen_digit_count(uint64_t v)
{
    int n = 1;
    for (uint64_t p = 10; n < 20 && v >= p; p *= 10)
        n++;
    return n;
}

/* A field of `sign` ('-' or 0), the digits of mag, and, when decimals > 0,
 * a point and the last `decimals` digits (which mag must then have, with
 * leading zeros: the caller passes mag as scaled units). Written straight
 * into the buffer from the end, without a copy. */
static inline void gen_put_number(gen_buf *b, int negative, uint64_t mag, int decimals)
{
    uint64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    uint64_t whole = mag / scale, frac = mag % scale;
    int len = negative + gen_digit_count(whole) + (decimals > 0 ? decimals + 1 : 0);
    if (gen_field_begin(b, (size_t)len))
        return;
    char *start = b->data + b->len, *p = start + len;
    for (int i = 0; i < decimals; i++) {
        *--p = (char)('0' + frac % 10);
        frac /= 10;
    }
    if (decimals > 0)
        *--p = '.';
    p = gen_digits(whole, p);
    if (negative)
        *--p = '-';
    b->len += (size_t)len;
}

static inline void gen_put_int(gen_buf *b, int64_t v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    gen_put_number(b, v < 0, mag, 0);
}

/* scaled / 10^decimals with exactly `decimals` digits after the point
 * (3125, 4 -> "0.3125"; -5, 2 -> "-0.05"). */
static inline void gen_put_fixed(gen_buf *b, int64_t scaled, int decimals)
{
    uint64_t mag = scaled < 0 ? (uint64_t)0 - (uint64_t)scaled : (uint64_t)scaled;
    gen_put_number(b, scaled < 0, mag, decimals);
}

/* "123.45" from fen. */
static inline void gen_put_money(gen_buf *b, int64_t fen)
{
    gen_put_fixed(b, fen, 2);
}

void gen_format_date(ph_date d, char out[10]);

static inline void gen_put_date(gen_buf *b, ph_date d)
{
    const gen_date_cache *c = b->dates;
    char s[10];
    const char *text = s;
    if (c && d >= c->first && d - c->first < c->count)
        text = c->text[d - c->first];
    else
        gen_format_date(d, s);
    if (gen_field_begin(b, 10))
        return;
    memcpy(b->data + b->len, text, 10);
    b->len += 10;
}

/* The slow half of gen_row_end: maybe insert one bad copy of the row that
 * ended at row_start with nfields fields (dirty.c). */
void gen_row_dirty(gen_buf *b, gen_feed_id feed, gen_dirty *dirty, size_t row_start,
                   int nfields);

/* End the row; with a dirty source, maybe insert one bad copy after it. */
static inline void gen_row_end(gen_buf *b, gen_feed_id feed, gen_dirty *dirty)
{
    if ((b->len + 1 > b->cap || b->failed) && gen_buf_reserve(b, 1))
        return;
    size_t row_start = b->row_start;
    int nfields = b->nfields;
    b->data[b->len++] = '\n';
    b->lines++;
    b->row_start = b->len;
    b->nfields = 0;
    if (dirty && dirty->rate > 0.0)
        gen_row_dirty(b, feed, dirty, row_start, nfields);
}

#endif
