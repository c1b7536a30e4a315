/*
 * puhui — the evidence log (上链存证; docs/evidence.md): a Merkle tree log
 * per RFC 9162 (and RFC 6962) whose signed checkpoints let every
 * participant check the platform's records without trusting the platform.
 *
 *   - a leaf is any byte string (the platform appends canonical JSON of
 *     each voucher, order and warehouse-receipt event, each consent grant
 *     and revocation, each stored decision, and the access log's head);
 *     its hash is SHA-256(0x00 || data), a node's SHA-256(0x01 || l || r);
 *   - the log lives in a directory of append-only files, not in the
 *     database, so that a proof costs O(log n) reads of memory-mapped
 *     hashes and an append is one buffered write; ph_evidence_commit makes
 *     everything appended so far durable (fdatasync) - callers that record
 *     a leaf's index in the store append, commit the log, then commit the
 *     store, so the log may hold an event the store rolled back but the
 *     store never names a leaf the log lost;
 *   - a checkpoint is the C2SP tlog-checkpoint body (origin, tree size,
 *     base64 root) signed as a C2SP signed note with Ed25519 (libsodium);
 *   - proofs are RFC 9162 inclusion and consistency proofs; the
 *     verification functions are pure and need nothing but the proof, the
 *     checkpoint and the log's public key (the offline verifier).
 *
 * One writer at a time per directory (an advisory lock taken by
 * ph_evidence_open; PH_EBUSY when another process holds it); readers
 * (ph_evidence_open_read) take no lock and see the committed leaves.
 * Errors follow docs/errors.md.
 */
#ifndef PUHUI_EVIDENCE_H
#define PUHUI_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PH_EVIDENCE_HASH 32       /* SHA-256 */
#define PH_EVIDENCE_MAX_PATH 64   /* the longest proof a 64-bit tree size can need */

typedef struct ph_evidence_log ph_evidence_log;

/* ---- pure Merkle functions (no log needed) -------------------------------------------- */

/* RFC 9162 §2.1.1: SHA-256(0x00 || data). */
PH_EXTERN void ph_merkle_leaf_hash(const void *data, size_t len,
                                   uint8_t out[PH_EVIDENCE_HASH]);

/* RFC 9162 §2.1.3.2: PH_OK when path (n hashes) proves the leaf with hash
 * leaf_hash at index in a tree of size with this root; PH_EVERIFY (with
 * the reason: index out of range, wrong path length, root mismatch)
 * otherwise. */
PH_EXTERN ph_status ph_merkle_verify_inclusion(uint64_t index, uint64_t size,
                                               const uint8_t leaf_hash[PH_EVIDENCE_HASH],
                                               const uint8_t (*path)[PH_EVIDENCE_HASH], size_t n,
                                               const uint8_t root[PH_EVIDENCE_HASH],
                                               ph_error *err);

/* RFC 9162 §2.1.4.2: PH_OK when path proves the tree of size1 with root1
 * is a prefix of the tree of size2 with root2; PH_EVERIFY otherwise. */
PH_EXTERN ph_status ph_merkle_verify_consistency(uint64_t size1, uint64_t size2,
                                                 const uint8_t root1[PH_EVIDENCE_HASH],
                                                 const uint8_t root2[PH_EVIDENCE_HASH],
                                                 const uint8_t (*path)[PH_EVIDENCE_HASH],
                                                 size_t n, ph_error *err);

/* ---- the log ---------------------------------------------------------------------------- */

/* Open the log in dir; with create, make the directory and an empty log
 * when it does not exist. origin names the log in its checkpoints (C2SP:
 * a schema-less URL such as "puhui.local/evidence"); it is recorded at
 * creation and must match when reopening (NULL: whatever was recorded).
 * A torn tail left by a crash (a partial record past the last commit) is
 * cut off on open. */
PH_EXTERN ph_status ph_evidence_open(ph_ctx *ctx, const char *dir, const char *origin,
                                     int create, ph_evidence_log **out, ph_error *err);

/* Open the log in dir for reading only: no writer lock is taken, so a
 * reader neither waits for nor blocks the writer. It sees the committed
 * leaves as the size file records them at this call (a snapshot: leaves the
 * writer commits later need another open) and never the writer's
 * uncommitted ones. Every reading function works on it; append, commit and
 * ph_evidence_checkpoint return PH_EMISUSE. PH_ENOTFOUND when there is no
 * log; PH_EIO when a file is shorter than the committed leaves need. Unlike
 * a writer's open it does not check the last leaf: ph_evidence_check reads
 * a damaged log this way. */
PH_EXTERN ph_status ph_evidence_open_read(const ph_ctx *ctx, const char *dir, const char *origin,
                                          ph_evidence_log **out, ph_error *err);

PH_EXTERN void ph_evidence_free(ph_evidence_log *log);

/* Append one leaf; *index (may be NULL) is its position, 0-based. Buffered:
 * durable only after ph_evidence_commit. */
PH_EXTERN ph_status ph_evidence_append(ph_evidence_log *log, const void *data, size_t len,
                                       uint64_t *index, ph_error *err);

/* Make every leaf appended so far durable (written and fdatasync'ed, then
 * the new size recorded and synced). A failed write or sync (PH_EIO) breaks
 * the handle: a failed fdatasync may have dropped what it could not write,
 * so every later append, commit and rollback returns PH_EIO saying the log
 * must be reopened; reopening recovers the last finished commit. */
PH_EXTERN ph_status ph_evidence_commit(ph_evidence_log *log, ph_error *err);

/* Drop every leaf appended since the last commit (the log's size goes back
 * to the committed size; the next append gets the index after the last
 * committed leaf). For an operation that appended its events' leaves and
 * then failed before committing the log: without it, the next operation's
 * commit would make the failed one's leaves durable, and its own leaves
 * would not follow the last recorded one. Nothing to drop: PH_OK. PH_EIO
 * when leaves already written out past the committed size cannot be cut
 * from their files. O(log n). */
PH_EXTERN ph_status ph_evidence_rollback(ph_evidence_log *log, ph_error *err);

/* The number of leaves, committed or not. */
PH_EXTERN uint64_t ph_evidence_size(const ph_evidence_log *log);

/* The origin line of the log's checkpoints. */
PH_EXTERN const char *ph_evidence_origin(const ph_evidence_log *log);

/* The root of the tree made of the first size leaves (size <= the log's
 * size; the empty tree's root is SHA-256 of nothing). */
PH_EXTERN ph_status ph_evidence_root(ph_evidence_log *log, uint64_t size,
                                     uint8_t root[PH_EVIDENCE_HASH], ph_error *err);

/* The stored hash of leaf index. */
PH_EXTERN ph_status ph_evidence_leaf_hash(ph_evidence_log *log, uint64_t index,
                                          uint8_t out[PH_EVIDENCE_HASH], ph_error *err);

/* The stored bytes of leaf index: *data points into the log (valid until
 * the next append, commit or ph_evidence_free), *len their length. */
PH_EXTERN ph_status ph_evidence_leaf_data(ph_evidence_log *log, uint64_t index,
                                          const uint8_t **data, size_t *len, ph_error *err);

/* The inclusion proof of leaf index in the tree of size leaves: path
 * receives *n hashes (at most PH_EVIDENCE_MAX_PATH). O(log size). */
PH_EXTERN ph_status ph_evidence_prove_inclusion(ph_evidence_log *log, uint64_t index,
                                                uint64_t size,
                                                uint8_t path[][PH_EVIDENCE_HASH], size_t *n,
                                                ph_error *err);

/* The consistency proof between the trees of size1 and size2 leaves. */
PH_EXTERN ph_status ph_evidence_prove_consistency(ph_evidence_log *log, uint64_t size1,
                                                  uint64_t size2,
                                                  uint8_t path[][PH_EVIDENCE_HASH], size_t *n,
                                                  ph_error *err);

/* Check the whole log: every leaf's index entry, its stored hash against
 * its bytes, and every stored parent against its two children. What a
 * crash leaves is cut on open; this finds damage inside the committed
 * leaves that no crash makes (a disk or a hand that changed the files).
 * PH_EIO naming the first damaged leaf; *checked (may be NULL) the leaves
 * found sound. O(n) reads and hashes: about a second per million leaves. */
PH_EXTERN ph_status ph_evidence_check(ph_evidence_log *log, uint64_t *checked, ph_error *err);

/* ---- keys and checkpoints ----------------------------------------------------------------- */

/* Make an Ed25519 key pair named name (the signed-note key name, e.g. the
 * origin): the secret key file (C2SP "PRIVATE+KEY+<name>+<id>+<base64>",
 * mode 0600, never overwritten: PH_EEXISTS) and the verifier key file
 * ("<name>+<id>+<base64(0x01 || public key)>"). */
PH_EXTERN ph_status ph_evidence_keygen(const ph_ctx *ctx, const char *name,
                                       const char *secret_path, const char *verifier_path,
                                       ph_error *err);

/* Commit the log, then sign a checkpoint of its current size with the key
 * in secret_path; *note (ph_free it) is the signed note text, also written
 * to <dir>/checkpoint (atomically, by rename). */
PH_EXTERN ph_status ph_evidence_checkpoint(ph_evidence_log *log, const char *secret_path,
                                           char **note, ph_error *err);

/* A checkpoint as read back from its signed note. */
typedef struct ph_evidence_checkpoint_info {
    char origin[256];
    uint64_t size;
    uint8_t root[PH_EVIDENCE_HASH];
} ph_evidence_checkpoint_info;

/* Check that note is a C2SP checkpoint signed by the verifier key vkey
 * ("<name>+<id>+<base64>"), and read it. PH_EVERIFY when the signature is
 * missing or wrong; PH_EINVAL (located: line and column) when the text is
 * not a well-formed note or checkpoint. */
PH_EXTERN ph_status ph_evidence_checkpoint_open(const char *note, size_t len, const char *vkey,
                                                ph_evidence_checkpoint_info *out,
                                                ph_error *err);

/* ---- proof bundles: what a participant takes away ------------------------------------------- */

/* Write a proof bundle for the leaves indices[0..n) against the tree of
 * size leaves (normally a signed checkpoint's size) to path: JSON
 * (docs/evidence.md) holding, for each leaf, its index, its bytes (base64)
 * and its inclusion path. The bundle carries no trust of its own: the
 * verifier checks it against a checkpoint and a key it got elsewhere. */
PH_EXTERN ph_status ph_evidence_bundle_write(ph_evidence_log *log, const uint64_t *indices,
                                             size_t n, uint64_t size, const char *path,
                                             ph_error *err);

/* The same bundle as ph_evidence_bundle_write, byte for byte, in memory:
 * *text (NUL-terminated; ph_free it with the log's ctx) and *len, for a
 * program that sends it rather than writes it (puhui serve). */
PH_EXTERN ph_status ph_evidence_bundle_text(ph_evidence_log *log, const uint64_t *indices,
                                            size_t n, uint64_t size, char **text, size_t *len,
                                            ph_error *err);

/* Check a bundle (its text) against a signed checkpoint and verifier key:
 * PH_OK when every leaf is included in the checkpoint's tree; otherwise
 * PH_EVERIFY naming the first leaf that fails, or PH_EINVAL located in the
 * bundle's text when it is malformed. *leaves (may be NULL) receives the
 * number of leaves checked. */
PH_EXTERN ph_status ph_evidence_bundle_verify(const ph_ctx *ctx, const char *bundle,
                                              size_t bundle_len, const char *note,
                                              size_t note_len, const char *vkey,
                                              size_t *leaves, ph_error *err);

/* ---- proving a module's records: claims checked, then one bundle ----------------------------- */

/*
 * A module that logs its events proves them the same way (vouchers, orders,
 * warehouse receipts): it rebuilds each event's leaf bytes from its stored
 * row and claims "leaf INDEX holds these bytes". Every claim is checked
 * against the log - the recomputed leaf's hash against the hash the log
 * stored, and its inclusion proof against the root of the tree of `size`
 * leaves (normally the last signed checkpoint's) - and the leaves proved go
 * into one bundle (ph_evidence_bundle_write). A row changed after it was
 * logged gives other bytes, so its claim fails with PH_EVERIFY naming it.
 *
 *   ph_evidence_claims *c;
 *   ph_evidence_claims_new(log, size, &c, err);
 *   for each event: ph_evidence_claims_check(c, row.leaf_index, bytes, len,
 *                                            "voucher_event", "12",
 *                                            "event 12 (split of voucher V000003)", err);
 *   ph_evidence_claims_bundle(c, path, err);   (when wanted)
 *   ph_evidence_claims_free(c);
 */
typedef struct ph_evidence_claims ph_evidence_claims;

/* Start proving against the tree of size leaves: PH_EINVAL (field "size")
 * unless 1 <= size <= the log's size. The log stays the caller's and must
 * outlive the claims. */
PH_EXTERN ph_status ph_evidence_claims_new(ph_evidence_log *log, uint64_t size,
                                           ph_evidence_claims **out, ph_error *err);

/* Check one claim: the record (table, its key; `what` names it in messages,
 * e.g. "event 12 (split of voucher V000003)") says it is leaf `index` with
 * the bytes data[0..len). Errors, each naming the record:
 *   PH_EINVAL (field "leaf_index") when index < 0 (the record was made
 *     without a log) or index >= size (past the tree: sign a newer
 *     checkpoint);
 *   PH_EVERIFY (field table, value key) when the bytes do not hash to the
 *     log's stored leaf hash, or the leaf's inclusion proof does not lead to
 *     the tree's root.
 * O(log size). A claim checked is remembered for the bundle. */
PH_EXTERN ph_status ph_evidence_claims_check(ph_evidence_claims *claims, int64_t index,
                                             const void *data, size_t len, const char *table,
                                             const char *key, const char *what,
                                             ph_error *err);

/* The number of claims checked so far. */
PH_EXTERN size_t ph_evidence_claims_count(const ph_evidence_claims *claims);

/* Write the bundle of every leaf claimed so far against the tree of size
 * leaves to path (ph_evidence_bundle_write). */
PH_EXTERN ph_status ph_evidence_claims_bundle(ph_evidence_claims *claims, const char *path,
                                              ph_error *err);

/* The same bundle in memory (ph_evidence_bundle_text). */
PH_EXTERN ph_status ph_evidence_claims_bundle_text(ph_evidence_claims *claims, char **text,
                                                   size_t *len, ph_error *err);

PH_EXTERN void ph_evidence_claims_free(ph_evidence_claims *claims);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_EVIDENCE_H */
