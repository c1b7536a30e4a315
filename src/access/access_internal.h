/* Helpers shared by the files of the access module (src/access). */
#ifndef PH_ACCESS_INTERNAL_H
#define PH_ACCESS_INTERNAL_H

#include "puhui/access.h"



/* `d`, or today by ctx's clock when d is 0 (the "zero means today" rule of
 * access.h). PH_ERANGE for a day number outside 0001-01-01..9999-12-31. */
ph_status access_resolve_date(const ph_ctx *ctx, ph_date d, ph_date *out, ph_error *err);

/* PH_EINVAL (field "purpose") unless `purpose` is exactly one PH_PURPOSE_* bit. */
ph_status access_check_purpose(unsigned purpose, ph_error *err);

/* PH_ENOTFOUND (field "enterprise" / "institution") unless both are
 * registered; either may be NULL to skip it. */
ph_status access_check_registered(ph_store *store, const char *uscc,
                                  const char *institution_id, ph_error *err);

/* The set named by a stored list "a,b", leniently: names no longer in the
 * catalogue (or not stored) are left out, since they cannot be read. */
ph_source_set access_sources_from_text(const char *text);

/* Roll back after `st` (a failure inside a transaction) and return it. */
ph_status access_abort(ph_store *store, ph_status st);

/*
 * Append `entry` to the access log inside the caller's open transaction, in
 * the current encoding (PH_AUDIT_VERSION): fills entry->seq, prev_hash and
 * hash (from the current last entry), with entry->at set by the caller.
 * `data_on` is the date the data is read as of (the request's `on`, today
 * when it was 0), logged and hashed as entry->data_on, which is ignored on
 * input and NULL again on return. `prev` and `hash` are the caller's buffers
 * that entry->prev_hash and entry->hash then point to. PH_EINVAL (field
 * "date") for a data_on outside the calendar; store errors.
 */
ph_status access_log_append(ph_store *store, ph_audit_entry *entry, ph_date data_on,
                            char prev[PH_AUDIT_HASH_HEX], char hash[PH_AUDIT_HASH_HEX],
                            ph_error *err);

/* The checkpoint public keys a verification accepts (the current one and
 * those it replaced: rotation). */
#define ACCESS_MAX_KEYS 8
typedef struct access_keys {
    unsigned char key[ACCESS_MAX_KEYS][32];
    size_t count;
    /* 1: a checkpoint by a key not in the set is skipped instead of being a
     * forgery (the signer checks its own checkpoints: those of a key it
     * replaced cannot be checked without that key's public half) */
    int skip_other_keys;
} access_keys;

/* The Ed25519 public keys in `text` (each base64 of its 32 bytes, standard
 * alphabet, padded; several separated by ',') into keys; PH_EINVAL field
 * "key" otherwise. */
ph_status access_parse_public_keys(const char *text, access_keys *keys, ph_error *err);

/*
 * Check every stored checkpoint against `keys` (by key id) and the log whose head
 * r->head_seq is known sound: each note must parse, carry a valid signature
 * by the key, and sign a head the chain reproduces. Fills r->checkpoints,
 * signed_seq and unsigned_tail; on the first bad checkpoint, sets r->intact
 * 0, r->problem, r->bad_seq (the entry at fault, or 0) and *bad_id. Store
 * errors only otherwise.
 */
ph_status access_checkpoints_verify(ph_store *store, const access_keys *keys,
                                    ph_audit_report *r, int64_t *bad_id, ph_error *err);

/*
 * ph_audit_verify once its anchor is parsed: `head` (lower-case hex) may be
 * NULL, `count` 0, `keys` NULL for no checkpoint check. Runs in one read
 * transaction (ph_store_begin_read) unless the caller has one open, so
 * every statement sees the same snapshot. Errors as ph_audit_verify.
 */
ph_status access_verify(ph_store *store, const char *head, int64_t count,
                        const access_keys *keys, ph_audit_report *report, ph_error *err);

/* Mark the verification report failed at entry `seq` with the formatted
 * problem; returns 0 so that a check can end with `return
 * access_report_bad(...)`. Shared by the chain walk and the checkpoints. */
int access_report_bad(ph_audit_report *r, int64_t seq, const char *fmt, ...) PH_PRINTF(3, 4);

#endif
