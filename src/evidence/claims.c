/*
 * Proving a module's records against the log (evidence.h, "proving a
 * module's records"). Vouchers, orders and warehouse receipts all prove
 * their history the same way - rebuild each event's leaf from its row,
 * compare with what the log holds, bundle the leaves - so the checks live
 * here once and the modules only say which leaf each row claims to be.
 *
 * Two checks per claim, both needed: the stored leaf hash catches an edited
 * row (the log still holds the original bytes); the inclusion proof of the
 * recomputed leaf against the tree's root ties the claim to the checkpoint
 * the participant will verify against, so a damaged hash file is caught
 * here rather than by the participant.
 */
#include <stdio.h>
#include <string.h>

#include "evidence/evidence_internal.h"

struct ph_evidence_claims {
    ph_evidence_log *log;
    const ph_ctx *ctx;
    uint64_t size;
    uint8_t root[PH_EVIDENCE_HASH];
    uint64_t *indices; /* the leaves checked, for the bundle */
    size_t n, cap;
};

ph_status ph_evidence_claims_new(ph_evidence_log *log, uint64_t size, ph_evidence_claims **out,
                                 ph_error *err)
{
    if (log == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_claims_new: log and out must not be NULL");
    *out = NULL;
    if (size == 0 || size > ph_evidence_size(log)) {
        char v[24];
        snprintf(v, sizeof(v), "%llu", (unsigned long long)size);
        return ph_error_set(err, PH_EINVAL, "size", v, "expected 1 to the log's %llu leaves",
                            (unsigned long long)ph_evidence_size(log));
    }
    ph_evidence_claims *c = ph_malloc(evidence_ctx(log), sizeof(*c));
    if (c == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    memset(c, 0, sizeof(*c));
    c->log = log;
    c->ctx = evidence_ctx(log);
    c->size = size;
    ph_status st = ph_evidence_root(log, size, c->root, err);
    if (st != PH_OK) {
        ph_free(c->ctx, c);
        return st;
    }
    *out = c;
    return PH_OK;
}

ph_status ph_evidence_claims_check(ph_evidence_claims *c, int64_t index, const void *data,
                                   size_t len, const char *table, const char *key,
                                   const char *what, ph_error *err)
{
    if (c == NULL || (data == NULL && len > 0) || table == NULL || key == NULL || what == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_evidence_claims_check: NULL argument");
    if (index < 0)
        return ph_error_set(err, PH_EINVAL, "leaf_index", key,
                            "%s was recorded without an evidence log: it cannot be proved", what);
    if ((uint64_t)index >= c->size)
        return ph_error_set(err, PH_EINVAL, "leaf_index", key,
                            "%s is leaf %lld, past the checkpoint's %llu leaves; sign a newer "
                            "checkpoint (`puhui evidence checkpoint`)",
                            what, (long long)index, (unsigned long long)c->size);
    uint64_t at = (uint64_t)index;
    uint8_t mine[PH_EVIDENCE_HASH], logged[PH_EVIDENCE_HASH];
    ph_merkle_leaf_hash(data, len, mine);
    ph_status st = ph_evidence_leaf_hash(c->log, at, logged, err);
    if (st != PH_OK)
        return st;
    if (memcmp(mine, logged, sizeof(mine)) != 0)
        return ph_error_set(err, PH_EVERIFY, table, key,
                            "%s is leaf %llu, but the stored row no longer gives the leaf the "
                            "evidence log holds; the row was changed after it was logged",
                            what, (unsigned long long)at);
    uint8_t path[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
    size_t n = 0;
    st = ph_evidence_prove_inclusion(c->log, at, c->size, path, &n, err);
    if (st != PH_OK)
        return st;
    ph_error inner;
    if (ph_merkle_verify_inclusion(at, c->size, mine, (const uint8_t(*)[PH_EVIDENCE_HASH])path,
                                   n, c->root, &inner) != PH_OK)
        return ph_error_set(err, PH_EVERIFY, table, key,
                            "%s, leaf %llu, does not verify against the tree of %llu leaves: %s",
                            what, (unsigned long long)at, (unsigned long long)c->size,
                            inner.message);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        uint64_t *grown = ph_realloc(c->ctx, c->indices, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        c->indices = grown;
        c->cap = cap;
    }
    c->indices[c->n++] = at;
    return PH_OK;
}

size_t ph_evidence_claims_count(const ph_evidence_claims *c) { return c ? c->n : 0; }

ph_status ph_evidence_claims_bundle(ph_evidence_claims *c, const char *path, ph_error *err)
{
    if (c == NULL || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_claims_bundle: claims and path must not be NULL");
    return ph_evidence_bundle_write(c->log, c->indices, c->n, c->size, path, err);
}

ph_status ph_evidence_claims_bundle_text(ph_evidence_claims *c, char **text, size_t *len,
                                         ph_error *err)
{
    if (c == NULL || text == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_evidence_claims_bundle_text: NULL argument");
    return ph_evidence_bundle_text(c->log, c->indices, c->n, c->size, text, len, err);
}

void ph_evidence_claims_free(ph_evidence_claims *c)
{
    if (c == NULL)
        return;
    ph_free(c->ctx, c->indices);
    ph_free(c->ctx, c);
}
