/*
 * The line and column of a member or element of a JSON text (private to the
 * loan module's loaders): share_locate.c.
 */
#ifndef PH_LOAN_SHARE_LOCATE_H
#define PH_LOAN_SHARE_LOCATE_H

#include <stddef.h>
#include <stdint.h>

/* One step of a path: a member `key`, or (key NULL) the element `index`. */
typedef struct share_json_step {
    const char *key;
    size_t index;
} share_json_step;

/* Walk text[0..len) along path[0..n): 1 and the 1-based line and column of
 * the last step (a member's key, an element's first character), or 0 when
 * the path is not there (or a key is written with escapes). Keys are
 * compared byte for byte. n == 0 locates the top-level value. */
int share_json_locate(const char *text, size_t len, const share_json_step *path, size_t n,
                      uint64_t *line, uint64_t *column);

#endif /* PH_LOAN_SHARE_LOCATE_H */
