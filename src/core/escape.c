/* The printable form of values in messages and the quarantine (escape.h). */
#include "core/escape.h"

#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * The code points that are valid UTF-8 but do not show what they are:
 * Unicode's controls (Cc), format characters (Cf: zero-width and bidi
 * marks, the byte order mark), the line and paragraph separators and the
 * spaces other than U+0020 (Zs). A trailing no-break space makes two names
 * look the same; a right-to-left override can reorder a quarantine listing.
 * Sorted, so the search stops at the first range past the code point.
 */
static const struct invisible {
    uint32_t first, last;
} invisibles[] = {
    {0x0080, 0x00a0},   /* C1 controls, no-break space */
    {0x00ad, 0x00ad},   /* soft hyphen */
    {0x0600, 0x0605},   /* Arabic number signs */
    {0x061c, 0x061c},   /* Arabic letter mark */
    {0x06dd, 0x06dd},   /* Arabic end of ayah */
    {0x070f, 0x070f},   /* Syriac abbreviation mark */
    {0x0890, 0x0891},   /* Arabic pound and piastre marks above */
    {0x08e2, 0x08e2},   /* Arabic disputed end of ayah */
    {0x1680, 0x1680},   /* Ogham space mark */
    {0x180e, 0x180e},   /* Mongolian vowel separator */
    {0x2000, 0x200f},   /* en quad .. hair space, zero-width (non-)joiners, LRM, RLM */
    {0x2028, 0x202f},   /* line and paragraph separators, bidi embeddings, narrow NBSP */
    {0x205f, 0x2064},   /* medium mathematical space, word joiner, invisible operators */
    {0x2066, 0x206f},   /* bidi isolates, deprecated format characters */
    {0x3000, 0x3000},   /* ideographic space */
    {0xfeff, 0xfeff},   /* byte order mark, zero-width no-break space */
    {0xfff9, 0xfffb},   /* interlinear annotation */
    {0x110bd, 0x110bd}, /* Kaithi number sign */
    {0x110cd, 0x110cd}, /* Kaithi number sign above */
    {0x13430, 0x1343f}, /* Egyptian hieroglyph format controls */
    {0x1bca0, 0x1bca3}, /* shorthand format controls */
    {0x1d173, 0x1d17a}, /* musical symbol format controls */
    {0xe0001, 0xe0001}, /* language tag */
    {0xe0020, 0xe007f}, /* tag characters */
};

/* The code point of the well-formed sequence s[0..seq), seq 2 to 4. */
static uint32_t code_point(const unsigned char *s, size_t seq)
{
    uint32_t cp = s[0] & (0x7fu >> seq);
    for (size_t i = 1; i < seq; i++)
        cp = (cp << 6) | (s[i] & 0x3fu);
    return cp;
}

static int invisible(uint32_t cp)
{
    for (size_t i = 0; i < sizeof(invisibles) / sizeof(invisibles[0]); i++) {
        if (cp < invisibles[i].first)
            return 0;
        if (cp <= invisibles[i].last)
            return 1;
    }
    return 0;
}

/* Each of s[0..n) as \xNN. */
static size_t escape_bytes(const unsigned char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[4 * i] = '\\';
        out[4 * i + 1] = 'x';
        out[4 * i + 2] = hex[s[i] >> 4];
        out[4 * i + 3] = hex[s[i] & 0x0f];
    }
    out[4 * n] = '\0';
    return 4 * n;
}

size_t escape_piece(const unsigned char *s, size_t len, char out[PH_ESCAPE_PIECE_MAX],
                       size_t *out_len)
{
    if (s[0] < 0x80) {
        if (s[0] == '\\') {
            memcpy(out, "\\\\", 3);
            *out_len = 2;
        } else if (s[0] < 0x20 || s[0] == 0x7f) {
            *out_len = escape_bytes(s, 1, out);
        } else {
            out[0] = (char)s[0];
            out[1] = '\0';
            *out_len = 1;
        }
        return 1;
    }
    size_t seq = utf8_sequence_len(s, len);
    if (seq == 0) { /* not UTF-8: this byte alone */
        *out_len = escape_bytes(s, 1, out);
        return 1;
    }
    if (invisible(code_point(s, seq))) {
        *out_len = escape_bytes(s, seq, out);
        return seq;
    }
    memcpy(out, s, seq);
    out[seq] = '\0';
    *out_len = seq;
    return seq;
}

size_t escape_into(char *dst, size_t size, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    const size_t limit = size - 4; /* room for "..." and the NUL */
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        char piece[PH_ESCAPE_PIECE_MAX];
        size_t n;
        size_t used = escape_piece(p + i, len - i, piece, &n);
        if (out + n > limit) {
            memcpy(dst + out, "...", 4);
            return out + 3;
        }
        memcpy(dst + out, piece, n);
        out += n;
        i += used;
    }
    dst[out] = '\0';
    return out;
}

const char *describe_byte(unsigned char c, char *buf, size_t size)
{
    if (c == ' ')
        snprintf(buf, size, "space");
    else if (c > 0x20 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02x", c);
    return buf;
}
