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
#include "core/utf8.h"

#include <string.h>

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
            size_t n = utf8_sequence_len(s + i, len - i);
            if (n == 0)
                return i;
            i += n;
        } while (i < len && s[i] >= 0x80);
    }
}
