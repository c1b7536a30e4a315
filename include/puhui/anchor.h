/*
 * puhui — what the platform anchors in the evidence log (evidence.h;
 * docs/evidence.md#what-is-anchored). The supply-chain modules append their
 * own events as they happen; this module brings in the records other
 * modules already keep, so that one signed checkpoint vouches for them all:
 *
 *   - every consent grant and every revocation (access.h);
 *   - every stored decision, with the SHA-256 of its stored trace
 *     (market.h);
 *   - the access log's head (its last seq and hash): the hash chain then
 *     covers every read before it.
 *
 * Each record becomes one leaf: compact JSON with its members in a fixed
 * order (the leaf's bytes can be rebuilt from the row at any time), and
 * table evidence_anchor (schema v19) remembers which leaf holds which
 * record. ph_anchor_check rebuilds every anchored leaf from the rows as
 * they are now and compares it with the log: a row edited after it was
 * anchored no longer matches, whoever edited it.
 *
 * Order of writes: the leaves are appended and the log committed (made
 * durable) before evidence_anchor records them, so a crash in between
 * leaves leaves that no anchor names — the next sweep appends those
 * records again — and never an anchor naming a lost leaf.
 *
 * Needs schema v19 (PH_ESCHEMA otherwise); no transaction may be open
 * (PH_EMISUSE). Errors follow docs/errors.md.
 */
#ifndef PUHUI_ANCHOR_H
#define PUHUI_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/evidence.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What one sweep appended. */
typedef struct ph_anchor_report {
    int64_t grants;      /* consent grants */
    int64_t revocations; /* consent revocations */
    int64_t decisions;
    int64_t heads;       /* 0 or 1: the access log's head, when it moved */
    uint64_t first_leaf; /* the index of the first leaf appended (when any) */
    uint64_t leaves;     /* how many */
} ph_anchor_report;

/* Append a leaf for every consent grant, revocation and decision not yet
 * anchored, and the access log's head when it moved since the last sweep;
 * commit the log; then record the anchors. */
PH_EXTERN ph_status ph_anchor_sweep(ph_store *store, ph_evidence_log *log,
                                    ph_anchor_report *report, ph_error *err);

/* One anchored record that no longer matches its leaf. */
typedef struct ph_anchor_mismatch {
    const char *source;  /* "consent.grant", "consent.revoke", "decision", "access.head" */
    int64_t key;         /* the consent or decision id, or the access log's seq */
    uint64_t leaf_index;
    const char *problem; /* what differs, in words */
} ph_anchor_mismatch;

typedef ph_status (*ph_anchor_mismatch_fn)(void *user, const ph_anchor_mismatch *m,
                                           ph_error *err);

/* Rebuild every anchored leaf from the rows as they are now and compare it
 * with the log's leaf: fn is called for each that differs (a row edited or
 * deleted after it was anchored, or a log that lost the leaf). *checked
 * and *mismatches (may be NULL) receive the counts. PH_OK even when
 * mismatches were found: the counts say. */
PH_EXTERN ph_status ph_anchor_check(ph_store *store, ph_evidence_log *log,
                                    ph_anchor_mismatch_fn fn, void *user, int64_t *checked,
                                    int64_t *mismatches, ph_error *err);

/* The leaf of an anchored record: PH_ENOTFOUND (field "source" or "key")
 * when it was never anchored. */
PH_EXTERN ph_status ph_anchor_find(ph_store *store, const char *source, int64_t key,
                                   uint64_t *leaf_index, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_ANCHOR_H */
