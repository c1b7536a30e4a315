/*
 * How a number written as text starts, one rule for the exact parsers
 * (money, rate, the policy decimals): not empty, and at most one leading
 * '+' or '-'. Private to the library.
 */
#ifndef PH_CORE_NUMBER_H
#define PH_CORE_NUMBER_H

#include <stddef.h>

#include "puhui/common.h"

/* The index after the optional sign that starts s[0..end), with *negative
 * set for '-'. SIZE_MAX, with PH_EINVAL in err naming `field` and the whole
 * input s[0..len), when the input is empty ("expected <example>, got an
 * empty string") or a second sign follows ("expected at most one sign").
 * Inline: ingest parses every money field through it. */
static inline size_t number_start(const char *s, size_t len, size_t end, const char *field,
                                  const char *example, int *negative, ph_error *err)
{
    size_t i = 0;
    *negative = 0;
    if (len == 0) {
        ph_error_setn(err, PH_EINVAL, field, s, len, "expected %s, got an empty string", example);
        return (size_t)-1;
    }
    if (end > 0 && (s[0] == '+' || s[0] == '-')) {
        *negative = s[0] == '-';
        i = 1;
    }
    if (i < end && (s[i] == '+' || s[i] == '-')) {
        ph_error_setn(err, PH_EINVAL, field, s, len, "expected at most one sign");
        return (size_t)-1;
    }
    return i;
}

#endif
