/*
 * The printable form of a value, one rule for every message and for the
 * quarantine (private header; docs/errors.md "Values"): valid UTF-8 is kept
 * as it is, so Chinese text reads as Chinese; a control byte (below 0x20,
 * and 0x7f), a NUL, a byte that is not part of a well-formed UTF-8 sequence
 * and every UTF-8 byte of a character that does not show what it is (the
 * controls and format characters, Unicode Cc and Cf: C1 controls, the byte
 * order mark, zero-width and bidi marks; the line and paragraph separators;
 * the spaces other than U+0020, Zs: no-break space, ideographic space) are
 * written \xNN per byte; a backslash is written \\ so that the form reads
 * back unambiguously.
 * So "50", NUL, ".00" shows as 50\x00.00, whatever the C string would say.
 */
#ifndef PH_CORE_ESCAPE_H
#define PH_CORE_ESCAPE_H

#include <stddef.h>

/* The longest escaped piece (an invisible 4-byte character such as a tag
 * character: 4 x "\xNN") plus its NUL. */
#define PH_ESCAPE_PIECE_MAX 17

/* Escape the piece that starts at s[0] (len > 0): one character (every
 * byte of it escaped when it is invisible), or one byte that is not UTF-8. Writes it NUL-terminated to `out`, its
 * length to *out_len, and returns how many bytes of `s` it stands for. */
size_t escape_piece(const unsigned char *s, size_t len, char out[PH_ESCAPE_PIECE_MAX],
                       size_t *out_len);

/* The escaped form is at most 4 times as long as the text. */
#define PH_ESCAPE_GROWTH 4

/* Escape s[0..len) into dst (size >= 4 bytes, NUL-terminated). A form that
 * does not fit is cut at a piece boundary and ends in "...". Returns the
 * length written. O(len). */
size_t escape_into(char *dst, size_t size, const char *s, size_t len);

/* Name a byte for an error message: "'x'", "space" or "byte 0xNN". Writes
 * into buf (16 bytes suffice) and returns it. */
const char *describe_byte(unsigned char c, char *buf, size_t size);

#endif
