/*
 * UTF-8 validation of a whole record at once.
 *
 * Runs over the record buffer after the scanner has filled it, so a sequence
 * is never split by a buffer refill, and the buffer is still in cache. The
 * delimiter, quotes and line ends are ASCII and can never continue a
 * sequence, so checking the decoded record finds exactly the bad bytes of
 * the input.
 */
#include "csv/csv_internal.h"

#include <string.h>

/*
 * The well-formed multi-byte sequences (Unicode Standard, Table 3-7): the
 * lead byte range, the length, and the allowed range of the second byte
 * (narrowed where overlong forms, surrogates or code points above U+10FFFF
 * would otherwise slip through). Bytes after the second are 80..BF.
 * The E1..EC row comes first because it holds most of the CJK ideographs.
 */
static const struct utf8_form {
    unsigned char lead_first, lead_last, length, second_first, second_last;
} utf8_forms[] = {
    {0xe1, 0xec, 3, 0x80, 0xbf},
    {0xc2, 0xdf, 2, 0x80, 0xbf},
    {0xe0, 0xe0, 3, 0xa0, 0xbf},
    {0xed, 0xed, 3, 0x80, 0x9f},
    {0xee, 0xef, 3, 0x80, 0xbf},
    {0xf0, 0xf0, 4, 0x90, 0xbf},
    {0xf1, 0xf3, 4, 0x80, 0xbf},
    {0xf4, 0xf4, 4, 0x80, 0x8f},
};

/* Length of the well-formed sequence at s (s[0] >= 0x80), or 0. */
static size_t sequence_length(const unsigned char *s, size_t avail)
{
    const struct utf8_form *form = NULL;
    for (size_t i = 0; i < sizeof(utf8_forms) / sizeof(utf8_forms[0]); i++) {
        if (s[0] >= utf8_forms[i].lead_first && s[0] <= utf8_forms[i].lead_last) {
            form = &utf8_forms[i];
            break;
        }
    }
    if (form == NULL || avail < form->length)
        return 0;
    if (s[1] < form->second_first || s[1] > form->second_last)
        return 0;
    for (size_t i = 2; i < form->length; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return form->length;
}

size_t csv_utf8_check(const unsigned char *s, size_t len)
{
    const uint64_t highs = 0x8080808080808080ULL;
    size_t i = 0;
    for (;;) {
        /* ASCII fast path: eight bytes at a time while no high bit is set. */
        while (len - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & highs) != 0)
                break;
            i += 8;
        }
        while (i < len && s[i] < 0x80)
            i++;
        if (i == len)
            return len;
        /* Non-ASCII text (Chinese) comes in runs: stay here until it ends. */
        do {
            size_t n = sequence_length(s + i, len - i);
            if (n == 0)
                return i;
            i += n;
        } while (i < len && s[i] >= 0x80);
    }
}
