/*
 * TEMPORARY, branch wt-trade only: a stand-in for the part of evidence.h
 * that src/trade calls (open, free, append, commit, size, leaf_hash), so
 * the library links before helper evidence's src/evidence lands. It keeps
 * the leaves in memory (dir and origin ignored) and hashes them as RFC 9162
 * does (SHA-256 of 0x00 || data). DELETE THIS FILE when merging
 * wt-evidence: the real implementation defines the same symbols.
 */
#include <sodium.h>
#include <string.h>

#include "puhui/evidence.h"

struct ph_evidence_log {
    ph_ctx *ctx;
    uint8_t (*hash)[PH_EVIDENCE_HASH];
    uint64_t n, cap;
};

void ph_merkle_leaf_hash(const void *data, size_t len, uint8_t out[PH_EVIDENCE_HASH])
{
    crypto_hash_sha256_state h;
    const uint8_t zero = 0;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, &zero, 1);
    crypto_hash_sha256_update(&h, data, len);
    crypto_hash_sha256_final(&h, out);
}

ph_status ph_evidence_open(ph_ctx *ctx, const char *dir, const char *origin, int create,
                           ph_evidence_log **out, ph_error *err)
{
    (void)dir;
    (void)origin;
    (void)create;
    if (ctx == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_open: NULL argument");
    ph_evidence_log *log = ph_calloc(ctx, 1, sizeof(*log));
    if (log == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    log->ctx = ctx;
    *out = log;
    return PH_OK;
}

void ph_evidence_free(ph_evidence_log *log)
{
    if (log == NULL)
        return;
    ph_free(log->ctx, log->hash);
    ph_free(log->ctx, log);
}

ph_status ph_evidence_append(ph_evidence_log *log, const void *data, size_t len,
                             uint64_t *index, ph_error *err)
{
    if (log == NULL || (data == NULL && len > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_append: NULL argument");
    if (log->n == log->cap) {
        uint64_t cap = log->cap ? log->cap * 2 : 64;
        void *grown = ph_realloc(log->ctx, log->hash, (size_t)cap * PH_EVIDENCE_HASH);
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        log->hash = grown;
        log->cap = cap;
    }
    ph_merkle_leaf_hash(data, len, log->hash[log->n]);
    if (index != NULL)
        *index = log->n;
    log->n++;
    return PH_OK;
}

ph_status ph_evidence_commit(ph_evidence_log *log, ph_error *err)
{
    if (log == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_commit: NULL log");
    return PH_OK;
}

uint64_t ph_evidence_size(const ph_evidence_log *log)
{
    return log ? log->n : 0;
}

ph_status ph_evidence_leaf_hash(ph_evidence_log *log, uint64_t index,
                                uint8_t out[PH_EVIDENCE_HASH], ph_error *err)
{
    if (log == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_leaf_hash: NULL argument");
    if (index >= log->n)
        return ph_error_set(err, PH_ENOTFOUND, "index", NULL, "expected a leaf of the log");
    memcpy(out, log->hash[index], PH_EVIDENCE_HASH);
    return PH_OK;
}
