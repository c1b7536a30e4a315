/*
 * The ledger's hash encoding, spelled once for the writer and the verifier
 * (docs/ledger.md gives it for an independent re-verifier). Like the access
 * log's (src/access/log.c), every field is length-prefixed, so no separator
 * can be forged inside a memo; unlike it, integers are hashed as 8 bytes
 * (big-endian two's complement) rather than as text, so that hashing the
 * millions of sub-ledger rows of a close of business costs no formatting.
 */
#include <string.h>

#include "ledger/ledger_internal.h"

const char LEDGER_HASH_TAG[] = "puhui-ledger-v1";
const char LEDGER_GENESIS[LEDGER_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

void ledger_hash_init(ledger_hasher *h)
{
    crypto_generichash_init(&h->state, NULL, 0, 32);
    h->used = 0;
}

static void flush(ledger_hasher *h)
{
    crypto_generichash_update(&h->state, h->buf, h->used);
    h->used = 0;
}

static void put_u64(ledger_hasher *h, uint64_t v)
{
    if (h->used + 8 > sizeof(h->buf))
        flush(h);
    unsigned char *p = h->buf + h->used;
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xffu);
        v >>= 8;
    }
    h->used += 8;
}

void ledger_hash_text(ledger_hasher *h, const char *text, size_t len)
{
    put_u64(h, (uint64_t)len);
    if (len > sizeof(h->buf) - h->used) {
        flush(h);
        if (len > sizeof(h->buf)) {
            crypto_generichash_update(&h->state, (const unsigned char *)text, len);
            return;
        }
    }
    memcpy(h->buf + h->used, text, len);
    h->used += len;
}

void ledger_hash_int(ledger_hasher *h, int64_t v)
{
    put_u64(h, 8);
    put_u64(h, (uint64_t)v);
}

void ledger_hash_final(ledger_hasher *h, char out[LEDGER_HASH_HEX])
{
    unsigned char digest[32];
    flush(h);
    crypto_generichash_final(&h->state, digest, sizeof(digest));
    sodium_bin2hex(out, LEDGER_HASH_HEX, digest, sizeof(digest));
}

void ledger_hash_head(ledger_hasher *h, int64_t id, const char *day, size_t day_len,
                      const char *event, size_t event_len, const char *memo, size_t memo_len,
                      int64_t reverses, int64_t line_count)
{
    ledger_hash_text(h, LEDGER_HASH_TAG, sizeof(LEDGER_HASH_TAG) - 1);
    ledger_hash_int(h, id);
    ledger_hash_text(h, day, day_len);
    ledger_hash_text(h, event, event_len);
    ledger_hash_text(h, memo, memo_len);
    ledger_hash_int(h, reverses);
    ledger_hash_int(h, line_count);
}
