/* A growing byte buffer, and the escaped text a quarantined row keeps. */
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "ingest/ingest_internal.h"

ph_status ing_text_reserve(ing_text *t, size_t more, ph_error *err)
{
    if (t->len + more + 1 <= t->cap)
        return PH_OK;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + more + 1)
        cap *= 2;
    char *grown = ph_realloc(t->ctx, t->data, cap);
    if (grown == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for %zu bytes of text",
                            cap);
    t->data = grown;
    t->cap = cap;
    return PH_OK;
}

void ing_text_add(ing_text *t, const char *s, ph_status *st, ph_error *err)
{
    size_t n = strlen(s);
    if (*st != PH_OK || (*st = ing_text_reserve(t, n, err)) != PH_OK)
        return;
    memcpy(t->data + t->len, s, n + 1);
    t->len += n;
}

void ing_text_free(ing_text *t)
{
    ph_free(t->ctx, t->data);
    t->data = NULL;
    t->len = t->cap = 0;
}

/* The one escaping rule of messages and the quarantine (core/escape.h). */
ph_status ing_text_escaped(ing_text *t, const char *s, size_t len, ph_error *err)
{
    ph_status st = ing_text_reserve(t, len * PH_ESCAPE_GROWTH, err);
    if (st != PH_OK)
        return st;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        char piece[PH_ESCAPE_PIECE_MAX];
        size_t n;
        i += escape_piece(p + i, len - i, piece, &n);
        memcpy(t->data + t->len, piece, n);
        t->len += n;
    }
    t->data[t->len] = '\0';
    return PH_OK;
}

static int needs_quotes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return 1;
    return 0;
}

ph_status ing_text_csv_line(ing_text *t, const char *const *fields, const size_t *lens,
                            size_t count, ph_error *err)
{
    t->len = 0;
    ph_status st = ing_text_reserve(t, 0, err);
    for (size_t i = 0; st == PH_OK && i < count; i++) {
        if (i > 0 && (st = ing_text_escaped(t, ",", 1, err)) != PH_OK)
            break;
        if (!needs_quotes(fields[i], lens[i])) {
            st = ing_text_escaped(t, fields[i], lens[i], err);
            continue;
        }
        st = ing_text_escaped(t, "\"", 1, err);
        for (size_t k = 0; st == PH_OK && k < lens[i]; k++) {
            const char *c = fields[i] + k;
            const char *quote = memchr(c, '"', lens[i] - k);
            size_t run = quote != NULL ? (size_t)(quote - c) : lens[i] - k;
            st = ing_text_escaped(t, c, run, err);
            k += run;
            if (st == PH_OK && k < lens[i])
                st = ing_text_escaped(t, "\"\"", 2, err);
        }
        if (st == PH_OK)
            st = ing_text_escaped(t, "\"", 1, err);
    }
    return st;
}
