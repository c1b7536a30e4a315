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
 * Append `entry` to the access log inside the caller's open transaction:
 * fills entry->seq, prev_hash and hash (from the current last entry), with
 * entry->at set by the caller. `prev` and `hash` are the caller's buffers
 * that entry->prev_hash and entry->hash then point to.
 */
ph_status access_log_append(ph_store *store, ph_audit_entry *entry,
                            char prev[PH_AUDIT_HASH_HEX], char hash[PH_AUDIT_HASH_HEX],
                            ph_error *err);

#endif
