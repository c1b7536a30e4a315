/* One allocation for a record and its strings (record.h). */
#include "core/record.h"

#include <string.h>

static const char *member(const void *record, size_t offset)
{
    const char *s;
    memcpy(&s, (const char *)record + offset, sizeof(s));
    return s;
}

void *record_copy(const ph_ctx *ctx, const void *src, size_t size, const size_t *offsets,
                  size_t n)
{
    size_t total = size;
    for (size_t i = 0; i < n; i++) {
        const char *s = member(src, offsets[i]);
        total += s != NULL ? strlen(s) + 1 : 0;
    }
    char *copy = ph_malloc(ctx, total);
    if (copy == NULL)
        return NULL;
    memcpy(copy, src, size);
    char *p = copy + size;
    for (size_t i = 0; i < n; i++) {
        const char *s = member(src, offsets[i]);
        if (s == NULL)
            continue;
        size_t len = strlen(s) + 1;
        memcpy(p, s, len);
        memcpy(copy + offsets[i], &p, sizeof(p));
        p += len;
    }
    return copy;
}
