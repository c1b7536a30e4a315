/*
 * TEMPORARY (issue 20): weak stand-ins for the evidence log's functions the
 * voucher module calls, so that the library links before src/evidence (branch
 * wt-evidence) lands. The real definitions are strong and replace these at
 * link time; delete this file when merging wt-evidence.
 */
#include <string.h>

#include "puhui/evidence.h"

#define PENDING(name)                                                                           \
    ph_error_set(err, PH_EMISUSE, NULL, NULL,                                                   \
                 "%s: the evidence log is not built into this puhui yet (issue 20)", name)

__attribute__((weak)) void ph_merkle_leaf_hash(const void *data, size_t len,
                                               uint8_t out[PH_EVIDENCE_HASH])
{
    (void)data;
    (void)len;
    memset(out, 0, PH_EVIDENCE_HASH);
}

__attribute__((weak)) ph_status ph_merkle_verify_inclusion(
    uint64_t index, uint64_t size, const uint8_t leaf_hash[PH_EVIDENCE_HASH],
    const uint8_t (*path)[PH_EVIDENCE_HASH], size_t n, const uint8_t root[PH_EVIDENCE_HASH],
    ph_error *err)
{
    (void)index, (void)size, (void)leaf_hash, (void)path, (void)n, (void)root;
    return PENDING("ph_merkle_verify_inclusion");
}

__attribute__((weak)) ph_status ph_evidence_append(ph_evidence_log *log, const void *data,
                                                   size_t len, uint64_t *index, ph_error *err)
{
    (void)log, (void)data, (void)len, (void)index;
    return PENDING("ph_evidence_append");
}

__attribute__((weak)) ph_status ph_evidence_commit(ph_evidence_log *log, ph_error *err)
{
    (void)log;
    return PENDING("ph_evidence_commit");
}

__attribute__((weak)) uint64_t ph_evidence_size(const ph_evidence_log *log)
{
    (void)log;
    return 0;
}

__attribute__((weak)) ph_status ph_evidence_root(ph_evidence_log *log, uint64_t size,
                                                 uint8_t root[PH_EVIDENCE_HASH], ph_error *err)
{
    (void)log, (void)size, (void)root;
    return PENDING("ph_evidence_root");
}

__attribute__((weak)) ph_status ph_evidence_leaf_hash(ph_evidence_log *log, uint64_t index,
                                                      uint8_t out[PH_EVIDENCE_HASH],
                                                      ph_error *err)
{
    (void)log, (void)index, (void)out;
    return PENDING("ph_evidence_leaf_hash");
}

__attribute__((weak)) ph_status ph_evidence_prove_inclusion(ph_evidence_log *log,
                                                            uint64_t index, uint64_t size,
                                                            uint8_t path[][PH_EVIDENCE_HASH],
                                                            size_t *n, ph_error *err)
{
    (void)log, (void)index, (void)size, (void)path, (void)n;
    return PENDING("ph_evidence_prove_inclusion");
}

__attribute__((weak)) ph_status ph_evidence_bundle_write(ph_evidence_log *log,
                                                         const uint64_t *indices, size_t n,
                                                         uint64_t size, const char *path,
                                                         ph_error *err)
{
    (void)log, (void)indices, (void)n, (void)size, (void)path;
    return PENDING("ph_evidence_bundle_write");
}
