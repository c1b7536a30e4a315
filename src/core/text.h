/*
 * A text written piece by piece, printf-style, into a fixed buffer that
 * remembers when a piece did not fit: one rule for the messages and
 * explanations the library builds (the CSV missing-column message, the
 * access gate's refusal, a subsidy's explanation). Private to the library.
 *
 * A piece that does not fit cuts the text, which then ends in "..." (so a
 * reader sees that something is missing), sets `full`, and every later
 * piece is ignored. A caller that must not cut (a subsidy's explanation is
 * one whole sentence) checks `full` and reports the overflow instead.
 */
#ifndef PH_CORE_TEXT_H
#define PH_CORE_TEXT_H

#include <stddef.h>

#include "puhui/common.h"

typedef struct text_buf {
    char *data;     /* NUL-terminated after every piece */
    size_t size;    /* of data: at least 4, room for "..." */
    size_t len;     /* strlen(data) */
    size_t reserve; /* bytes every piece must leave free; 0 from text_init */
    int full;       /* a piece did not fit: the text is cut and ends in "..." */
} text_buf;

/* Start an empty text in data[0..size) (size >= 4). `reserve` is 0: a piece
 * that fits to the last byte is kept whole. A caller that wants a text
 * ending near the end of its buffer to read as cut (the CSV message keeps
 * room for the "..." after every piece) sets `reserve` to 3. O(1). */
void text_init(text_buf *t, char *data, size_t size);

/* Append the printf-formatted piece: whole when it fits (leaving `reserve`
 * bytes free), else the text is cut to end in "..." and marked full.
 * Nothing once full. O(length of the piece). */
void text_append(text_buf *t, const char *fmt, ...) PH_PRINTF(2, 3);

#endif
