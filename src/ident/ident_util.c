/*
 * Helpers shared by the identifier parsers (USCC, divisions, industries).
 */
#include "ident/ident_internal.h"

#include <stdio.h>

const char *ident_char_repr(char c, char buf[8])
{
    unsigned char u = (unsigned char)c;
    if (u >= 0x20 && u < 0x7f && u != '\'' && u != '\\')
        snprintf(buf, 8, "'%c'", c);
    else
        snprintf(buf, 8, "'\\x%02x'", u);
    return buf;
}
