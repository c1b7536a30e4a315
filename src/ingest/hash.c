/*
 * Hashing for ingestion: a fast 64-bit hash of bytes (row hashes, key
 * fingerprints), the set of known firms by USCC and the set of keys seen in
 * a file. The row hash is stored (row_hash), so this function is part of
 * the data format: changing it would make every stored row look corrected.
 */
#include <stdio.h>
#include <string.h>

#include "ingest/ingest_internal.h"

#define PRIME1 0x9E3779B97F4A7C15ULL
#define PRIME2 0xC2B2AE3D27D4EB4FULL
#define PRIME3 0x165667B19E3779F9ULL

static inline uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* The finaliser of MurmurHash3: every input bit affects every output bit. */
static inline uint64_t fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t ing_hash_mix(uint64_t h, uint64_t word)
{
    return rotl(h ^ (word * PRIME2), 31) * PRIME1 + PRIME3;
}

uint64_t ing_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (len * PRIME3);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = ing_hash_mix(h, w);
    }
    uint64_t tail = 0;
    for (size_t k = 0; i + k < len; k++)
        tail |= (uint64_t)p[i + k] << (8 * k);
    h = ing_hash_mix(h, tail);
    return fmix(h);
}

/* --- the known firms ------------------------------------------------------------ */

typedef struct firm_slot {
    char code[18];
    uint8_t kinds; /* 0: empty slot */
} firm_slot;

struct ing_firm_set {
    const ph_ctx *ctx;
    firm_slot *slots;
    size_t cap; /* a power of two */
    size_t count;
};

ph_status ing_firm_set_new(const ph_ctx *ctx, ing_firm_set **out, ph_error *err)
{
    ing_firm_set *s = ph_calloc(ctx, 1, sizeof(*s));
    if (s != NULL) {
        s->ctx = ctx;
        s->cap = 1024;
        s->slots = ph_calloc(ctx, s->cap, sizeof(*s->slots));
    }
    if (s == NULL || s->slots == NULL) {
        ing_firm_set_free(s);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the set of firms");
    }
    *out = s;
    return PH_OK;
}

void ing_firm_set_free(ing_firm_set *set)
{
    if (set == NULL)
        return;
    ph_free(set->ctx, set->slots);
    ph_free(set->ctx, set);
}

static size_t firm_find(const firm_slot *slots, size_t cap, const char *code)
{
    size_t i = (size_t)ing_hash_bytes(code, 18, 0) & (cap - 1);
    while (slots[i].kinds != 0 && memcmp(slots[i].code, code, 18) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static ph_status firm_grow(ing_firm_set *s, ph_error *err)
{
    size_t cap = s->cap * 2;
    firm_slot *slots = ph_calloc(s->ctx, cap, sizeof(*slots));
    if (slots == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the set of firms");
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].kinds != 0)
            slots[firm_find(slots, cap, s->slots[i].code)] = s->slots[i];
    ph_free(s->ctx, s->slots);
    s->slots = slots;
    s->cap = cap;
    return PH_OK;
}

ph_status ing_firm_set_add(ing_firm_set *set, const char *code, unsigned kinds, ph_error *err)
{
    if ((set->count + 1) * 2 > set->cap) {
        ph_status st = firm_grow(set, err);
        if (st != PH_OK)
            return st;
    }
    firm_slot *slot = &set->slots[firm_find(set->slots, set->cap, code)];
    if (slot->kinds == 0) {
        memcpy(slot->code, code, 18);
        set->count++;
    }
    slot->kinds |= (uint8_t)kinds;
    return PH_OK;
}

unsigned ing_firm_set_kinds(const ing_firm_set *set, const char *code)
{
    return set->slots[firm_find(set->slots, set->cap, code)].kinds;
}

/* --- the keys of one file ----------------------------------------------------------- */

/* 16 bytes, so four share a cache line: the 64-bit h1, and 24 more bits
 * of fingerprint packed with a 40-bit line number (0: an empty slot; lines
 * start at 1). 88 bits of fingerprint still make a false match between two
 * different keys of one file practically impossible (about n^2 / 2^89). */
typedef struct key_slot {
    uint64_t h1;
    uint64_t tag_line;
} key_slot;

#define LINE_BITS 40
#define LINE_MASK ((UINT64_C(1) << LINE_BITS) - 1)

struct ing_key_set {
    const ph_ctx *ctx;
    key_slot *slots;
    size_t cap;
    size_t count;
};

ph_status ing_key_set_new(const ph_ctx *ctx, uint64_t expected, ing_key_set **out,
                          ph_error *err)
{
    ing_key_set *s = ph_calloc(ctx, 1, sizeof(*s));
    if (s != NULL) {
        s->ctx = ctx;
        s->cap = 4096;
        /* sized for the expected keys at most half full: growing a large
         * table costs as much again as filling it */
        while (s->cap < expected * 2 && s->cap < ((size_t)1 << 30))
            s->cap *= 2;
        s->slots = ph_calloc(ctx, s->cap, sizeof(*s->slots));
    }
    if (s == NULL || s->slots == NULL) {
        ing_key_set_free(s);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the set of keys");
    }
    *out = s;
    return PH_OK;
}

void ing_key_set_free(ing_key_set *set)
{
    if (set == NULL)
        return;
    ph_free(set->ctx, set->slots);
    ph_free(set->ctx, set);
}

static size_t key_find(const key_slot *slots, size_t cap, uint64_t h1, uint64_t tag)
{
    size_t i = (size_t)h1 & (cap - 1);
    while (slots[i].tag_line != 0 &&
           (slots[i].h1 != h1 || (slots[i].tag_line >> LINE_BITS) != tag))
        i = (i + 1) & (cap - 1);
    return i;
}

static ph_status key_grow(ing_key_set *s, ph_error *err)
{
    size_t cap = s->cap * 2;
    key_slot *slots = ph_calloc(s->ctx, cap, sizeof(*slots));
    if (slots == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the set of keys");
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].tag_line != 0)
            slots[key_find(slots, cap, s->slots[i].h1, s->slots[i].tag_line >> LINE_BITS)] =
                s->slots[i];
    ph_free(s->ctx, s->slots);
    s->slots = slots;
    s->cap = cap;
    return PH_OK;
}

ph_status ing_key_set_insert(ing_key_set *set, uint64_t h1, uint64_t h2, uint64_t line,
                             uint64_t *first_line, ph_error *err)
{
    if ((set->count + 1) * 2 > set->cap) {
        ph_status st = key_grow(set, err);
        if (st != PH_OK)
            return st;
    }
    if (line == 0 || line > LINE_MASK) {
        char shown[24];
        snprintf(shown, sizeof(shown), "%llu", (unsigned long long)line);
        return ph_error_set(err, PH_ERANGE, "line", shown,
                            "expected a line number from 1 to %llu", (unsigned long long)LINE_MASK);
    }
    uint64_t tag = h2 >> LINE_BITS;
    key_slot *slot = &set->slots[key_find(set->slots, set->cap, h1, tag)];
    if (slot->tag_line != 0) {
        *first_line = slot->tag_line & LINE_MASK;
        return PH_OK;
    }
    slot->h1 = h1;
    slot->tag_line = (tag << LINE_BITS) | line;
    set->count++;
    *first_line = 0;
    return PH_OK;
}
