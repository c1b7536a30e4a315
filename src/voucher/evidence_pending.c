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

__attribute__((weak)) ph_status ph_evidence_bundle_write(ph_evidence_log *log,
                                                         const uint64_t *indices, size_t n,
                                                         uint64_t size, const char *path,
                                                         ph_error *err)
{
    (void)log, (void)indices, (void)n, (void)size, (void)path;
    return PENDING("ph_evidence_bundle_write");
}

__attribute__((weak)) ph_status ph_evidence_checkpoint_open(const char *note, size_t len,
                                                            const char *vkey,
                                                            ph_evidence_checkpoint_info *out,
                                                            ph_error *err)
{
    (void)note, (void)len, (void)vkey, (void)out;
    return PENDING("ph_evidence_checkpoint_open");
}

__attribute__((weak)) ph_status ph_evidence_checkpoint(ph_evidence_log *log,
                                                       const char *secret_path, char **note,
                                                       ph_error *err)
{
    (void)log, (void)secret_path, (void)note;
    return PENDING("ph_evidence_checkpoint");
}

__attribute__((weak)) ph_status ph_evidence_keygen(const ph_ctx *ctx, const char *name,
                                                   const char *secret_path,
                                                   const char *verifier_path, ph_error *err)
{
    (void)ctx, (void)name, (void)secret_path, (void)verifier_path;
    return PENDING("ph_evidence_keygen");
}
