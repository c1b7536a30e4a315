/*
 * A bounded text that remembers overflow (text.h).
 */
#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void text_init(text_buf *t, char *data, size_t size)
{
    t->data = data;
    t->size = size;
    t->len = 0;
    t->reserve = 0;
    t->full = 0;
    data[0] = '\0';
}

void text_append(text_buf *t, const char *fmt, ...)
{
    if (t->full)
        return;
    size_t room = t->size - t->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->data + t->len, room, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n + 1 + t->reserve <= room) {
        t->len += (size_t)n;
        return;
    }
    /* cut, and say so: what fitted of the piece, then "..." */
    memcpy(t->data + t->size - 4, "...", 4);
    t->len = t->size - 1;
    t->full = 1;
}
