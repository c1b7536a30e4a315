/*
 * puhui gen — CSV rows into memory buffers, fast.
 *
 * The simulator writes hundreds of millions of rows, so fields are formatted
 * by hand (printf costs more than the simulation). Each field remembers where
 * it starts, which is what lets a dirty run copy a row and spoil one field.
 */
#include <math.h>
#include <string.h>

#include "gen/gen_internal.h"

int gen_buf_reserve(gen_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->len + extra <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->len + extra)
        cap *= 2;
    char *p = ph_realloc(b->ctx, b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void gen_buf_free(gen_buf *b)
{
    ph_free(b->ctx, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void gen_buf_reset(gen_buf *b)
{
    b->len = 0;
    b->lines = 0;
    b->row_start = 0;
    b->nfields = 0;
}

const char gen_digit_pairs[200] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

void gen_put_str(gen_buf *b, const char *s)
{
    size_t len = strlen(s);
    if (!strpbrk(s, ",\"\r\n")) {
        gen_put_raw(b, s, len);
        return;
    }
    if (gen_field_begin(b, 2 * len + 2))
        return;
    b->data[b->len++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            b->data[b->len++] = '"';
        b->data[b->len++] = s[i];
    }
    b->data[b->len++] = '"';
}

void gen_put_empty(gen_buf *b)
{
    gen_field_begin(b, 0);
}

void gen_put_decimal(gen_buf *b, double v, int decimals)
{
    double scale = 1.0;
    for (int i = 0; i < decimals; i++)
        scale *= 10.0;
    gen_put_fixed(b, (int64_t)llround(v * scale), decimals);
}

int64_t gen_fen(double yuan)
{
    return (int64_t)llround(yuan * 100.0);
}

/* The date module's conversion; the simulator's dates are always in range,
 * so no error record is needed. */
void gen_civil(ph_date d, int *year, int *month, int *day)
{
    (void)ph_date_to_ymd(d, year, month, day, NULL);
}

static void two(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

static void four(char *p, int v)
{
    p[0] = (char)('0' + v / 1000 % 10);
    p[1] = (char)('0' + v / 100 % 10);
    p[2] = (char)('0' + v / 10 % 10);
    p[3] = (char)('0' + v % 10);
}

void gen_format_date(ph_date d, char out[10])
{
    int y, m, dd;
    gen_civil(d, &y, &m, &dd);
    four(out, y);
    out[4] = '-';
    two(out + 5, m);
    out[7] = '-';
    two(out + 8, dd);
}

void gen_put_month(gen_buf *b, ph_month m)
{
    char s[7];
    int y = m / 12, mm = m % 12 + 1;
    four(s, y);
    s[4] = '-';
    two(s + 5, mm);
    gen_put_raw(b, s, 7);
}
