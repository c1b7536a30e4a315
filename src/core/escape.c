/* The printable form of values in messages and the quarantine (escape.h). */
#include "core/escape.h"

#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

/* U+FEFF, the byte order mark: valid UTF-8, but invisible where it hurts
 * (a second one before a header name). */
static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};

size_t ph_escape_piece(const unsigned char *s, size_t len, char out[PH_ESCAPE_PIECE_MAX],
                       size_t *out_len)
{
    if (len >= sizeof(bom) && memcmp(s, bom, sizeof(bom)) == 0) {
        *out_len = (size_t)snprintf(out, PH_ESCAPE_PIECE_MAX, "\\x%02x\\x%02x\\x%02x", bom[0],
                                    bom[1], bom[2]);
        return sizeof(bom);
    }
    size_t seq = s[0] >= 0x80 ? ph_utf8_sequence_len(s, len) : 1;
    if (s[0] == '\\') {
        memcpy(out, "\\\\", 3);
        *out_len = 2;
    } else if (seq == 0 || s[0] < 0x20 || s[0] == 0x7f) {
        *out_len = (size_t)snprintf(out, PH_ESCAPE_PIECE_MAX, "\\x%02x", s[0]);
        seq = 1;
    } else {
        memcpy(out, s, seq);
        out[seq] = '\0';
        *out_len = seq;
    }
    return seq;
}

size_t ph_escape_into(char *dst, size_t size, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    const size_t limit = size - 4; /* room for "..." and the NUL */
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        char piece[PH_ESCAPE_PIECE_MAX];
        size_t n;
        size_t used = ph_escape_piece(p + i, len - i, piece, &n);
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
