/*
 * puhui — API keys: who is calling the platform over HTTP, and for whom.
 *
 * Every HTTP call carries a key ("Authorization: Bearer phk_12_<64 hex>").
 * A key belongs to one role and acts for one tenant:
 *
 *   enterprise   a firm acting for itself; tenant = its USCC, a registered
 *                enterprise;
 *   institution  a lender, guarantor or core enterprise; tenant = its
 *                institution id (any kind but 'regulator');
 *   regulator    tenant = an institution of kind 'regulator' or
 *                'government', or "" for the provincial regulator;
 *   admin        tenant "" (operators).
 *
 * The key text is "phk_<id>_<64 lower-case hex digits>": the id is the row
 * of table `api_key` (so authentication is one primary-key read), the hex
 * digits are 32 random bytes from libsodium. The table stores only the
 * BLAKE2b-256 of the whole key text (crypto_generichash), never the key: the
 * plaintext is returned once, by ph_apikey_create. A fast hash is enough,
 * and keeps authentication cheap on every request: with 256 random bits
 * there is nothing for a password hash's slowness to protect
 * (docs/keys.md).
 *
 * This module owns `api_key` (schema version 13); the CLI (`puhui key`)
 * and the HTTP server call it and never read the table. Keys are never
 * deleted: revocation sets revoked_at, once.
 *
 * Threads: no global state. Each thread uses its own ph_store; every
 * function here may run on any number of threads at once, each with its
 * own store. Errors follow docs/errors.md.
 */
#ifndef PUHUI_APIKEY_H
#define PUHUI_APIKEY_H

#include "puhui/common.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The roles. The values are the HTTP server's srv_role values. */
typedef enum ph_apikey_role {
    PH_APIKEY_ENTERPRISE = 1,
    PH_APIKEY_INSTITUTION = 2,
    PH_APIKEY_REGULATOR = 3,
    PH_APIKEY_ADMIN = 4
} ph_apikey_role;

/* Room for a key's text "phk_<id>_<64 hex>" and its NUL (the longest,
 * with a 19-digit id, is 88 bytes). */
#define PH_APIKEY_TEXT_MAX 96

/* What the platform knows of a key (never the key or its hash). Strings are
 * NUL-terminated; a tenant or label longer than its field is refused when
 * the key is created, so they are always whole. */
typedef struct ph_apikey_info {
    int64_t id;
    ph_apikey_role role;
    char tenant[64];     /* "" for admin and the provincial regulator */
    char label[128];     /* for people: "ABC credit desk"; may be "" */
    char created_at[32]; /* "2026-12-07T17:43:38Z" */
    char revoked_at[32]; /* "" while live */
} ph_apikey_info;

/* "enterprise", "institution", "regulator", "admin"; "unknown" for any other
 * value. Cannot fail; O(1). */
PH_EXTERN const char *ph_apikey_role_name(ph_apikey_role role);

/*
 * The role named `name` (exactly one of the four names above, lower case).
 * Errors: PH_EINVAL (field "role", the value) saying which names are
 * expected; PH_EMISUSE for a NULL name or out. *out is written on success
 * only. O(1).
 */
PH_EXTERN ph_status ph_apikey_role_parse(const char *name, ph_apikey_role *out, ph_error *err);

/*
 * Create a key for `role` acting for `tenant` (NULL reads as ""), with a
 * `label` for people (NULL reads as ""). On success `key` holds the key's
 * text, NUL-terminated, and *id its row id (id may be NULL). The key is not
 * stored and cannot be recovered: show it once. The caller should wipe
 * `key` (sodium_memzero) when done with it.
 *
 * The tenant must fit the role (field "tenant", naming the value):
 *   enterprise:  a USCC registered in table enterprise, else PH_ENOTFOUND;
 *                "" is PH_EINVAL;
 *   institution: an institution id, else PH_ENOTFOUND; "" is PH_EINVAL; an
 *                institution of kind 'regulator' is PH_EINVAL (use role
 *                regulator);
 *   regulator:   "" or an institution of kind 'regulator' or 'government';
 *                an unknown id PH_ENOTFOUND, another kind PH_EINVAL;
 *   admin:       "" only, else PH_EINVAL.
 *
 * Cost: one write transaction (an insert and the hash written into it), a
 * read of the tenant's registry row, 32 bytes from the system's random
 * source and one BLAKE2b.
 *
 * Errors: PH_EMISUSE for a NULL store or key; PH_EINVAL (field "role") for a
 * role outside the enum; PH_ERANGE for a tenant of 64 bytes or more (field
 * "tenant") or a label of 128 or more (field "label"); PH_EINVAL for a
 * tenant or label holding a control character; the tenant errors above;
 * PH_ESCHEMA (field "schema_version") for a database below schema 13; PH_EBUSY
 * when another writer holds the lock past the busy timeout; store errors.
 * On failure nothing is stored and `key` and *id are left as they were.
 */
PH_EXTERN ph_status ph_apikey_create(ph_store *store, ph_apikey_role role, const char *tenant,
                                     const char *label, char key[PH_APIKEY_TEXT_MAX], int64_t *id,
                                     ph_error *err);

/*
 * Revoke key `id`, at once: from the commit on, ph_apikey_authenticate
 * refuses it. The row stays (revoked_at is the time, by the store's
 * context's clock).
 *
 * Cost: one write transaction reading and updating one row by primary key.
 *
 * Errors: PH_EMISUSE for a NULL store; PH_ENOTFOUND (field "id", the id)
 * for no such key; PH_EINVAL (field "id") for a key already revoked, naming
 * when; PH_ESCHEMA below schema 13; PH_EBUSY; store errors.
 */
PH_EXTERN ph_status ph_apikey_revoke(ph_store *store, int64_t id, ph_error *err);

/* Called once per key by ph_apikey_list; a status other than PH_OK stops the
 * walk and is returned. `info` lives until the callback returns. */
typedef ph_status (*ph_apikey_fn)(void *user, const ph_apikey_info *info, ph_error *err);

/*
 * Every key, live or revoked, in id order. Never the key or its hash.
 * Cost: one scan of api_key.
 * Errors: PH_EMISUSE for a NULL store or fn; PH_ESCHEMA below schema 13;
 * PH_ESTORE for a stored row that breaks the table's rules (an unknown role,
 * a text too long for its field); the callback's status; store errors.
 */
PH_EXTERN ph_status ph_apikey_list(ph_store *store, ph_apikey_fn fn, void *user,
                                   ph_error *err);

/*
 * Who holds `key` (`len` bytes, not necessarily NUL-terminated; the text
 * after "Bearer "): on success *out describes the live key.
 *
 * The text is parsed strictly: "phk_", a decimal id without sign or leading
 * zero that fits int64, "_", exactly 64 lower-case hex digits, nothing
 * else. Then one read of api_key by primary key, the BLAKE2b-256 of the
 * text, and a constant-time comparison with the stored hash
 * (sodium_memcmp).
 *
 * Cost: one primary-key read (one statement prepared and freed per call)
 * plus one BLAKE2b over at most 88 bytes. Runs on every HTTP request, on
 * many threads at once, each with its own store; it keeps no state.
 *
 * Errors: PH_EDENIED (field "key", no value: the key is never echoed) with
 * the one message "unknown, revoked or malformed API key" for a malformed,
 * unknown or revoked key, or one whose hash differs, so a caller cannot
 * tell which; PH_EMISUSE for a NULL store or out, or a NULL key with len >
 * 0; store errors (PH_ESTORE, PH_EBUSY) when the read fails, including a
 * database without the table (below schema 13). *out is written on
 * success only.
 */
PH_EXTERN ph_status ph_apikey_authenticate(ph_store *store, const char *key, size_t len,
                                           ph_apikey_info *out, ph_error *err);

/*
 * The same check as ph_apikey_authenticate, for a caller that authenticates
 * many keys on one store (an HTTP server's worker): the statement is
 * prepared at the first check and kept, so a check costs one primary-key
 * read and one BLAKE2b instead of also compiling the SQL (about 12,000
 * instructions instead of 74,000 under callgrind; docs/api.md#speed). The statement is reset after every
 * check, so no read transaction is held between checks.
 *
 * One authenticator per store, used by one thread at a time; free it before
 * the store. Errors and answers: exactly those of ph_apikey_authenticate
 * (PH_EMISUSE for a NULL authenticator, out, or NULL key with len > 0);
 * _new fails only with PH_EMISUSE or PH_ENOMEM and reads nothing.
 */
typedef struct ph_apikey_authenticator ph_apikey_authenticator;
PH_EXTERN ph_status ph_apikey_authenticator_new(ph_store *store, ph_apikey_authenticator **out,
                                                ph_error *err);
PH_EXTERN ph_status ph_apikey_authenticator_check(ph_apikey_authenticator *a, const char *key,
                                                  size_t len, ph_apikey_info *out,
                                                  ph_error *err);
/* NULL is allowed. */
PH_EXTERN void ph_apikey_authenticator_free(ph_apikey_authenticator *a);

/*
 * The parser ph_apikey_authenticate runs before any read: 1 and *id when
 * `key` (`len` bytes) has the exact shape "phk_<id>_<64 lower-case hex>",
 * else 0 (*id untouched). Cannot fail; no store, no allocation, O(len).
 * Public for the fuzz target and for a server that wants to reject junk
 * before it touches the database.
 */
PH_EXTERN int ph_apikey_parse(const char *key, size_t len, int64_t *id);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_APIKEY_H */
