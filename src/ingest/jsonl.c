/*
 * One line of a JSON Lines feed: a flat object whose keys are the catalog's
 * column names and whose values are strings, numbers or null. A small
 * parser of its own rather than a general JSON library, because it keeps a
 * number's text exactly as written (12345.60 stays "12345.60", and 1e5 is
 * refused by the field check like any malformed number) and allocates
 * nothing: strings are decoded into the caller's scratch space.
 */
#include <string.h>

#include "ingest/ingest_internal.h"

typedef struct jparser {
    const ph_feed *feed;
    const char *s;
    size_t len, pos;
    char *scratch;
    size_t scratch_len;
    ph_error *err;
} jparser;

static ph_status bad(jparser *p, const char *field, const char *detail)
{
    ph_error_set(p->err, PH_EINVAL, field, NULL, "%s (at byte %zu of the line)", detail,
                 p->pos + 1);
    return PH_EINVAL;
}

static void skip_ws(jparser *p)
{
    while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]) != NULL && p->s[p->pos] != '\0')
        p->pos++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A \u escape at s[pos] (after the backslash and 'u'), with its low
 * surrogate when it is a high one. */
static ph_status unicode_escape(jparser *p, const char *field, unsigned *cp)
{
    if (p->pos + 4 > p->len || !hex4(p->s + p->pos, cp))
        return bad(p, field, "a \\u escape needs 4 hex digits");
    p->pos += 4;
    if (*cp >= 0xDC00 && *cp <= 0xDFFF)
        return bad(p, field, "a lone low surrogate in a \\u escape");
    if (*cp >= 0xD800 && *cp <= 0xDBFF) {
        unsigned low;
        if (p->pos + 6 > p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
            !hex4(p->s + p->pos + 2, &low) || low < 0xDC00 || low > 0xDFFF)
            return bad(p, field, "a high surrogate not followed by a low one");
        p->pos += 6;
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (low - 0xDC00);
    }
    return PH_OK;
}

/* A string at pos (its opening quote): out and out_len get its decoded bytes,
 * in place when it has no escapes, else in scratch. */
static ph_status parse_string(jparser *p, const char *field, const char **out, size_t *out_len)
{
    p->pos++;
    size_t start = p->pos;
    while (p->pos < p->len && p->s[p->pos] != '"' && p->s[p->pos] != '\\' &&
           (unsigned char)p->s[p->pos] >= 0x20)
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '"') {
        *out = p->s + start;
        *out_len = p->pos - start;
        p->pos++;
        return PH_OK;
    }
    char *o = p->scratch + p->scratch_len;
    size_t n = p->pos - start;
    memcpy(o, p->s + start, n);
    while (p->pos < p->len) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            *out = o;
            *out_len = n;
            p->scratch_len += n;
            return PH_OK;
        }
        if (c < 0x20)
            return bad(p, field, "a control character inside a string; expected it "
                                       "escaped");
        if (c != '\\') {
            o[n++] = (char)c;
            p->pos++;
            continue;
        }
        if (++p->pos >= p->len)
            break;
        char e = p->s[p->pos++];
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = e != '\0' ? strchr(from, e) : NULL;
        if (k != NULL) {
            o[n++] = to[k - from];
        } else if (e == 'u') {
            unsigned cp;
            ph_status st = unicode_escape(p, field, &cp);
            if (st != PH_OK)
                return st;
            n += put_utf8(o + n, cp);
        } else {
            return bad(p, field, "an unknown escape in a string");
        }
    }
    return bad(p, field, "a string that is never closed");
}

/* A number at pos, kept as its text. */
static ph_status parse_number(jparser *p, const char *field, const char **out, size_t *out_len)
{
    size_t start = p->pos;
    const char *s = p->s;
    if (p->pos < p->len && s[p->pos] == '-')
        p->pos++;
    size_t digits = p->pos;
    while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
        p->pos++;
    int ok = p->pos > digits && !(s[digits] == '0' && p->pos - digits > 1);
    if (ok && p->pos < p->len && s[p->pos] == '.') {
        size_t f = ++p->pos;
        while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
            p->pos++;
        ok = p->pos > f;
    }
    if (ok && p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
            p->pos++;
        size_t e = p->pos;
        while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9')
            p->pos++;
        ok = p->pos > e;
    }
    if (!ok)
        return bad(p, field, "a malformed JSON number");
    *out = s + start;
    *out_len = p->pos - start;
    return PH_OK;
}

static ph_status parse_value(jparser *p, const char *field, const char **out, size_t *out_len)
{
    char c = p->pos < p->len ? p->s[p->pos] : '\0';
    if (c == '"')
        return parse_string(p, field, out, out_len);
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(p, field, out, out_len);
    if (p->len - p->pos >= 4 && memcmp(p->s + p->pos, "null", 4) == 0) {
        p->pos += 4;
        *out = "";
        *out_len = 0;
        return PH_OK;
    }
    return bad(p, field, "expected a string, a number or null as the value");
}

ph_status ing_jsonl_parse(const ph_feed *feed, const char *line, size_t len, char *scratch,
                          const char **fields, size_t *lens, ph_reject_reason *reason,
                          ph_error *err)
{
    jparser p = {feed, line, len, 0, scratch, 0, err};
    unsigned char seen[256] = {0};
    for (size_t i = 0; i < feed->column_count; i++) {
        fields[i] = "";
        lens[i] = 0;
    }
    *reason = PH_REJECT_MALFORMED_RECORD;
    skip_ws(&p);
    if (p.pos >= p.len || line[p.pos] != '{')
        return bad(&p, NULL, "expected a JSON object ('{') on the line");
    p.pos++;
    skip_ws(&p);
    if (p.pos < p.len && line[p.pos] == '}') {
        p.pos++;
    } else {
        for (;;) {
            const char *key;
            size_t key_len;
            if (p.pos >= p.len || line[p.pos] != '"')
                return bad(&p, NULL, "expected a key in double quotes");
            ph_status st = parse_string(&p, NULL, &key, &key_len);
            if (st != PH_OK)
                return st;
            char name[64];
            snprintf(name, sizeof(name), "%.*s", (int)(key_len < 63 ? key_len : 63), key);
            int col = key_len < 63 ? ph_feed_column_index(feed, name) : -1;
            if (col < 0 || (size_t)col >= sizeof(seen))
            {
                char detail[128];
                snprintf(detail, sizeof(detail),
                         "unexpected key; expected only the columns of feed %s", feed->name);
                return bad(&p, name, detail);
            }
            if (seen[col])
                return bad(&p, name, "the key appears twice in the object");
            seen[col] = 1;
            skip_ws(&p);
            if (p.pos >= p.len || line[p.pos] != ':')
                return bad(&p, name, "expected ':' after the key");
            p.pos++;
            skip_ws(&p);
            st = parse_value(&p, feed->columns[col].name, &fields[col], &lens[col]);
            if (st != PH_OK)
                return st;
            skip_ws(&p);
            if (p.pos < p.len && line[p.pos] == ',') {
                p.pos++;
                skip_ws(&p);
                continue;
            }
            if (p.pos < p.len && line[p.pos] == '}') {
                p.pos++;
                break;
            }
            return bad(&p, name, "expected ',' or '}' after the value");
        }
    }
    skip_ws(&p);
    if (p.pos != p.len)
        return bad(&p, NULL, "unexpected text after the object");
    return PH_OK;
}
