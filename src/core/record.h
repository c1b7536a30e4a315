/*
 * A record and the strings it points to, copied into one allocation so that
 * one ph_free releases it: how the policy store and the model registry hand
 * out an entry whose strings outlive the statement they were read from.
 * Private to the library.
 */
#ifndef PH_CORE_RECORD_H
#define PH_CORE_RECORD_H

#include <stddef.h>

#include "puhui/common.h"

/* A copy of the `size`-byte record at `src`, from ctx's allocator, followed
 * by copies of the strings that its `const char *` members at `offsets`
 * (offsetof values, `n` of them) point to; the copy's members point at those
 * copies. A NULL member stays NULL. Returns NULL when out of memory. Cost:
 * one allocation and the strings' length. */
void *record_copy(const ph_ctx *ctx, const void *src, size_t size, const size_t *offsets,
                  size_t n);

#endif
