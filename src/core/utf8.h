/*
 * UTF-8 well-formedness, shared inside the library (private header): the
 * error record uses it to keep valid text readable, the CSV reader to find
 * mis-encoded bytes. Inline because the CSV reader calls it per character.
 */
#ifndef PH_CORE_UTF8_H
#define PH_CORE_UTF8_H

#include <stddef.h>

/*
 * The well-formed multi-byte sequences (Unicode Standard, Table 3-7): the
 * lead byte range, the length, and the allowed range of the second byte
 * (narrowed where overlong forms, surrogates or code points above U+10FFFF
 * would otherwise slip through). Bytes after the second are 80..BF.
 * The E1..EC row comes first because it holds most of the CJK ideographs.
 */
static const struct ph_utf8_form {
    unsigned char lead_first, lead_last, length, second_first, second_last;
} ph_utf8_forms[] = {
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
static inline size_t utf8_sequence_len(const unsigned char *s, size_t avail)
{
    const struct ph_utf8_form *form = NULL;
    for (size_t i = 0; i < sizeof(ph_utf8_forms) / sizeof(ph_utf8_forms[0]); i++) {
        if (s[0] >= ph_utf8_forms[i].lead_first && s[0] <= ph_utf8_forms[i].lead_last) {
            form = &ph_utf8_forms[i];
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

#endif
