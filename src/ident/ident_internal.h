/*
 * Helpers shared by the files of the identifier module (src/ident).
 * Not part of the public API.
 */
#ifndef PH_IDENT_INTERNAL_H
#define PH_IDENT_INTERNAL_H

#include <stddef.h>

/*
 * Print one input byte for an error message: a printable ASCII character as
 * 'c', anything else as '\xNN', so a stray control or UTF-8 byte is visible.
 * `buf` needs 8 bytes; returns buf.
 */
const char *ident_char_repr(char c, char buf[8]);

#endif
