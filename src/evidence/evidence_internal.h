/*
 * The evidence log's private parts: the node hash, the tree's shape
 * arithmetic shared by the log and the verifiers, base64 of hashes.
 */
#ifndef PH_EVIDENCE_INTERNAL_H
#define PH_EVIDENCE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/evidence.h"

/* RFC 9162 §2.1.1: SHA-256(0x01 || left || right). */
void evidence_node_hash(const uint8_t left[PH_EVIDENCE_HASH],
                        const uint8_t right[PH_EVIDENCE_HASH], uint8_t out[PH_EVIDENCE_HASH]);

/* The largest power of two strictly below n (n >= 2). */
uint64_t evidence_split(uint64_t n);

/* Base64 (standard alphabet, padded) of a hash: 44 characters and a NUL. */
#define EVIDENCE_HASH_B64 45
void evidence_hash_b64(const uint8_t hash[PH_EVIDENCE_HASH], char out[EVIDENCE_HASH_B64]);

/* Decode base64 text of exactly one hash; 1 on success. */
int evidence_hash_from_b64(const char *text, size_t len, uint8_t out[PH_EVIDENCE_HASH]);

/* The log's own key file names under its directory. */
#define EVIDENCE_SECRET_KEY "log.key"
#define EVIDENCE_VERIFIER_KEY "log.vkey"
#define EVIDENCE_CHECKPOINT "checkpoint"

/* The directory of an open log. */
const char *evidence_dir(const ph_evidence_log *log);
const ph_ctx *evidence_ctx(const ph_evidence_log *log);

/* The sync the log calls on a file (whole 0: fdatasync) or on its directory
 * (whole 1: fsync); 0 or -1 with errno, as they return. Tests pass their
 * own to fail a sync as a failing disk does, or to see which are made. */
typedef int (*evidence_sync_fn)(void *user, int fd, int whole);

/* ph_evidence_open with the log's syncs made through sync (NULL: the
 * system's). */
ph_status evidence_open_with(ph_ctx *ctx, const char *dir, const char *origin, int create,
                             evidence_sync_fn sync, void *sync_user, ph_evidence_log **out,
                             ph_error *err);

/* fsync the directory holding path (a file made or renamed there), through
 * log's sync (NULL: fsync). PH_EIO on failure. */
ph_status evidence_sync_parent(const ph_evidence_log *log, const char *path, ph_error *err);

#endif /* PH_EVIDENCE_INTERNAL_H */
