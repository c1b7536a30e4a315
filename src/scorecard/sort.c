/*
 * Sorting the values of a numeric column for fine classing: an LSD radix
 * sort on the doubles' bit patterns, made to order like the numbers (flip
 * every bit of a negative, the sign bit of a positive). On 300,000 values
 * it is several times faster than qsort with a comparison callback, which
 * was half the training time. Passes whose byte is the same in every key
 * (the high bytes of similar numbers) are skipped.
 */
#include <string.h>

#include "train_internal.h"

static uint64_t key_of(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    return (bits >> 63) ? ~bits : bits | (1ULL << 63);
}

static double value_of(uint64_t key)
{
    uint64_t bits = (key >> 63) ? key & ~(1ULL << 63) : ~key;
    double v;
    memcpy(&v, &bits, sizeof(v));
    return v;
}

void sc_sort_doubles(double *values, size_t n, uint64_t *keys, uint64_t *tmp)
{
    for (size_t i = 0; i < n; i++)
        keys[i] = key_of(values[i]);
    uint64_t *src = keys, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((src[i] >> shift) & 0xFF) + 1]++;
        if (n == 0 || count[((src[0] >> shift) & 0xFF) + 1] == n)
            continue; /* every key has this byte: the pass would change nothing */
        for (size_t b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    for (size_t i = 0; i < n; i++)
        values[i] = value_of(src[i]);
}
