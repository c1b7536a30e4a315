/*
 * puhui — lender policies stored in the database, versioned (issue 6).
 *
 * A policy document (policy.h) is loaded into the store as its exact bytes
 * with their BLAKE2b-256 checksum, under its lender, name and version. A
 * version is loaded once and never changes, so that a decision can be
 * replayed under the very rules that took it; loading the same version
 * again with the same bytes is a no-op, with other bytes an error. Of each
 * (lender, name) at most one version is active: the one decisions use.
 *
 * Needs a store at schema version 7 or later (PH_ESCHEMA otherwise: run
 * `puhui init`); functions run their own transaction, so none may be open.
 * Timestamps are UTC ISO 8601 to the second.
 */
#ifndef PUHUI_POLICY_STORE_H
#define PUHUI_POLICY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "puhui/common.h"
#include "puhui/policy.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A stored policy version as read back. Strings are NUL-terminated. */
typedef struct ph_policy_entry {
    const ph_ctx *ctx; /* the store's: the entry's memory is from it */
    int64_t id;
    const char *lender;
    const char *name;
    int64_t version;
    char checksum[PH_CHECKSUM_HEX];
    size_t size;           /* bytes of the document */
    const char *file;      /* the file name it was loaded from (no directories) */
    const char *loaded_at;
    int active;            /* 1 when this version serves decisions */
    int stored;            /* ph_policy_store_load only: 1 when this load stored it,
                              0 when the same bytes were there already */
} ph_policy_entry;

/*
 * Load the policy file at `path` into the store. The file is read once;
 * those bytes are validated with ph_policy_load_text (a policy that does not
 * load is never stored, and the error is the loader's, naming the file and
 * the table, rule and cell), hashed and stored under the document's lender,
 * name and version. When that version is stored already with the same
 * bytes nothing is stored (entry->stored 0); with other bytes it is
 * PH_EEXISTS naming lender, name, version and the first 12 hex digits of
 * both checksums. `activate` non-zero then makes this version the active one
 * (as ph_policy_store_activate). *out (may be NULL) receives the entry; free
 * it with ph_policy_entry_free. Errors: PH_EMISUSE (NULL store or path),
 * PH_EIO (the file), the loader's errors, PH_EEXISTS, PH_ESCHEMA, PH_ENOMEM.
 */
PH_EXTERN ph_status ph_policy_store_load(ph_store *store, const char *path, int activate,
                                         ph_policy_entry **out, ph_error *err);

/*
 * ph_policy_store_load from a document held in memory: text[0..len) (need
 * not be NUL-terminated; copied), `source` naming it in errors and recorded
 * as the entry's file (its last path component). When `expect_lender` is
 * not NULL, a document whose lender differs is refused with PH_EDENIED
 * (field "lender", the document's lender as value) before anything is
 * stored: what an institution loading its own policies over the API gets.
 * Otherwise as ph_policy_store_load: the same validation, idempotence,
 * PH_EEXISTS and activation. Errors: PH_EMISUSE (NULL store, text or
 * source), the loader's errors (PH_EINVAL naming source, line and column),
 * PH_EDENIED, PH_EEXISTS, PH_ESCHEMA, PH_ENOMEM, store errors. Cost: one
 * parse, one hash, one transaction of two indexed reads and one insert.
 */
PH_EXTERN ph_status ph_policy_store_load_text(ph_store *store, const char *text, size_t len,
                                              const char *source, const char *expect_lender,
                                              int activate, ph_policy_entry **out,
                                              ph_error *err);

/*
 * Make LENDER / NAME version VERSION (>= 1) the active one; the version
 * active before (if any) no longer is. PH_ENOTFOUND when that version is not
 * stored; PH_EINVAL for a version < 1; PH_EMISUSE for NULL arguments.
 */
PH_EXTERN ph_status ph_policy_store_activate(ph_store *store, const char *lender,
                                             const char *name, int64_t version, ph_error *err);

/*
 * Read LENDER / NAME at VERSION, or with version 0 the active version.
 * The stored bytes are hashed first: a mismatch with the recorded checksum,
 * or a document that names another lender, name or version than its row, is
 * PH_ESTORE (the row was altered) and nothing is returned. `policy` (the
 * parsed policy, free with ph_policy_free; its source in errors is
 * "policy:LENDER/NAME@VERSION") and `entry` (free with ph_policy_entry_free)
 * may each be NULL, not both. PH_ENOTFOUND when the version is not stored or
 * (version 0) none is active; PH_EINVAL for a version < 0.
 */
PH_EXTERN ph_status ph_policy_store_get(ph_store *store, const char *lender, const char *name,
                                        int64_t version, ph_policy **policy,
                                        ph_policy_entry **entry, ph_error *err);

/* Called per entry; the entry is valid during the call only. A status other
 * than PH_OK stops the walk and is returned. */
typedef ph_status (*ph_policy_store_fn)(void *user, const ph_policy_entry *entry,
                                        ph_error *err);

/* Every stored version (of `lender`, or all when NULL), by lender, name,
 * then version. PH_EMISUSE for a NULL store or fn. */
PH_EXTERN ph_status ph_policy_store_list(ph_store *store, const char *lender,
                                         ph_policy_store_fn fn, void *user, ph_error *err);

/* The active versions (one per lender and name), by lender then name, as
 * ph_policy_store_list: what a marketplace opens. The walk's statement is
 * open during the calls, so fn must not write to the store (collect, then
 * act). One indexed read. PH_EMISUSE for a NULL store or fn; PH_ESCHEMA;
 * store errors; fn's status. */
PH_EXTERN ph_status ph_policy_store_list_active(ph_store *store, ph_policy_store_fn fn,
                                                void *user, ph_error *err);

/* Free an entry (NULL is fine). */
PH_EXTERN void ph_policy_entry_free(ph_policy_entry *entry);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_POLICY_STORE_H */
