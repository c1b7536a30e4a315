/*
 * puhui — consent, the access gate, the access log and raw records
 * (the data hub's 一次授权、全网通用 and 全流程留痕;
 * docs/domain.md#data-hub-and-consent, docs/consent.md).
 *
 * An enterprise authorises ONE institution, for ONE purpose (credit
 * assessment, post-loan monitoring, supply-chain finance), over named
 * sources (feeds of the catalogue), from granted_on to expires_on inclusive,
 * optionally with raw access. Every read on behalf of an institution goes
 * through ph_access_check, which finds the live consents that cover it and
 * appends an entry to the access log in the same transaction, allowed or
 * refused. The log is append-only (database triggers) and hash-chained
 * (BLAKE2b-256), so an edit or deletion made around the triggers is still
 * detected by ph_audit_verify.
 *
 * Data minimisation: institutions get derived features and profiles; raw
 * rows of a feed (ph_records_read) only under a consent with raw_access.
 *
 * Consent is judged at the moment of the read: a consent is live when it is
 * live today, by the wall clock, whatever date the data is read as of. The
 * wall clock is the context's (ph_ctx_options.now, ph_ctx_today; the system
 * clock by default): no date a caller passes changes what "today" is.
 *
 * Dates are ph_date calendar days. Wherever a date field of a struct below
 * is 0 (the zero value, 1970-01-01), it means "today": ph_ctx_today of the
 * store's context, the current day in the process's local time zone (run
 * the platform with TZ=Asia/Shanghai).
 * Timestamps (created_at, revoked_at, the log's `at`) are UTC ISO 8601 to
 * the second: "2025-03-01T08:30:00Z".
 *
 * All functions take a store at schema version 10 or later and must be called
 * with no transaction open on it (they run their own; PH_EMISUSE otherwise).
 */
#ifndef PUHUI_ACCESS_H
#define PUHUI_ACCESS_H

#include "puhui/common.h"
#include "puhui/date.h"
#include "puhui/feed.h"
#include "puhui/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- Purposes ---------------------------------------------------------------
 * A purpose is one PH_PURPOSE_* bit of feed.h. Its stable name is
 * ph_feed_purpose_name's: "credit", "monitoring", "supply_chain". */

/* Parse a purpose name s (NUL-terminated, exact, lower case).
 * Errors: PH_EINVAL (field "purpose", the value) naming the three names;
 * PH_EMISUSE for NULL s or out. */
PH_EXTERN ph_status ph_purpose_parse(const char *s, unsigned *out, ph_error *err);

/* "credit assessment", "post-loan monitoring", "supply-chain finance" for one
 * PH_PURPOSE_* bit; NULL for anything else. */
PH_EXTERN const char *ph_purpose_title(unsigned purpose);

/* --- Source sets --------------------------------------------------------------
 * A set of feeds as a bit mask over catalogue indexes: bit i is
 * ph_feed_at(i). Only stored feeds (ph_schema_feed_stored: the feeds/ and
 * reference/ areas) can be sources; truth files never are. */
typedef uint64_t ph_source_set;

#define PH_SOURCE_BIT(index) ((ph_source_set)1 << (index))

/* A buffer that holds ph_source_set_format of any set of today's catalogue. */
#define PH_SOURCE_SET_FORMAT_MAX 1024

/* Add the feed `name` to *set. Errors: PH_EINVAL (field "sources", value the
 * name) for a name not in the catalogue or a feed that is not stored;
 * PH_ERANGE for a catalogue index past 63; PH_EMISUSE for NULL arguments. */
PH_EXTERN ph_status ph_source_set_add(ph_source_set *set, const char *name, ph_error *err);

/*
 * Parse a source list: feed names separated by ',' (spaces around a name are
 * allowed; a repeated name counts once), or "all". With a purpose (one
 * PH_PURPOSE_* bit), every source must serve that purpose (its catalogue
 * `purposes` include it) and "all" means every stored feed that serves it;
 * with purpose 0 there is no such check and "all" is every stored feed.
 * Errors, all PH_EINVAL with field "sources": an empty list or an empty name
 * between commas; an unknown or unstored feed (as ph_source_set_add); a
 * feed that does not serve the purpose ("expected a source used for
 * post-loan monitoring; patents serves credit only"). PH_EMISUSE for NULL
 * list or out, or a purpose that is not 0 or one PH_PURPOSE_* bit.
 */
PH_EXTERN ph_status ph_source_set_parse(const char *list, unsigned purpose, ph_source_set *out,
                                        ph_error *err);

/* Every stored feed whose catalogue purposes include `purpose` (any of the
 * bits given); 0 for no bits. */
PH_EXTERN ph_source_set ph_source_set_for_purpose(unsigned purpose);

/* Write the set's feed names in catalogue order, joined by "," (the empty
 * string for an empty set). Bits that are not stored feeds are PH_EINVAL
 * (field "sources"); a buffer too small or NULL is PH_EMISUSE. */
PH_EXTERN ph_status ph_source_set_format(ph_source_set set, char *buf, size_t size,
                                         ph_error *err);

/* --- Consent ----------------------------------------------------------------- */

/* What an enterprise grants (input of ph_consent_grant). */
typedef struct ph_consent_terms {
    const char *uscc;           /* the enterprise: a row of table enterprise */
    const char *institution_id; /* who may read: a row of table institution */
    unsigned purpose;           /* one PH_PURPOSE_* bit */
    ph_source_set sources;      /* at least one; each must serve `purpose` */
    int raw_access;             /* 1: raw records may be read, not only features */
    ph_date granted_on;         /* first day of validity; 0: today; at most the
                                   purpose's max_backdate_days before today */
    ph_date expires_on;         /* last day of validity (inclusive); required; at
                                   most the purpose's max_days after granted_on */
} ph_consent_terms;

/* The grant limits of one purpose (data: src/access/consent_limits.c,
 * explained in docs/consent.md#grant-limits). */
typedef struct ph_consent_limit {
    unsigned purpose;          /* one PH_PURPOSE_* bit */
    int32_t max_backdate_days; /* granted_on no earlier than today minus this */
    int32_t max_ahead_days;    /* granted_on no later than today plus this */
    int32_t max_days;          /* expires_on no later than granted_on plus this */
    const char *why;           /* what the duration follows, for the documentation */
} ph_consent_limit;

/* The limits of `purpose` (one PH_PURPOSE_* bit); NULL for anything else.
 * Constant time; the result is static. */
PH_EXTERN const ph_consent_limit *ph_consent_limit_for(unsigned purpose);

/* A stored consent, as ph_consent_list reports it. Pointers are valid during
 * the callback only. */
typedef struct ph_consent {
    int64_t id;
    const char *uscc;
    const char *institution_id;
    unsigned purpose;
    ph_source_set sources; /* names no longer in the catalogue are left out */
    int raw_access;
    ph_date granted_on;
    ph_date expires_on;
    const char *created_at; /* UTC timestamp */
    const char *revoked_at; /* UTC timestamp, NULL while not revoked */
} ph_consent;

/*
 * Record a consent; *id receives its id (ids grow from 1).
 * "All sources" is whatever the caller put in `sources`
 * (ph_source_set_for_purpose): the set is stored as explicit feed names, so
 * a feed added to the catalogue later is never covered by an older consent.
 * Errors (nothing is stored):
 *   PH_ENOTFOUND field "enterprise" / "institution" with the value, when
 *     the enterprise or institution is not registered in the database;
 *   PH_EINVAL field "purpose" (not exactly one PH_PURPOSE_* bit), "sources"
 *     (empty, not stored feeds, or a feed not serving the purpose: named),
 *     "raw_access" (not 0 or 1), "expires_on" (missing, or before
 *     granted_on: "expected a date on or after granted_on 2025-06-01";
 *     or more than the purpose's max_days after granted_on: "expected a
 *     date at most 366 days after granted_on 2026-12-07: a credit
 *     assessment consent may last at most 366 days
 *     (docs/consent.md#grant-limits); 9999-12-31 is 2,912,102 days after
 *     it"), "granted_on" (more than max_backdate_days before today, or
 *     more than max_ahead_days after it, said the same way), "purpose"
 *     (a purpose with no row of grant limits: "no grant limits are
 *     defined for purpose ...");
 *   PH_ERANGE field "clock" when the context's clock gives no date;
 *   PH_EMISUSE for NULL store, terms, uscc, institution_id or id;
 *   store errors (PH_EBUSY, PH_ESTORE).
 */
PH_EXTERN ph_status ph_consent_grant(ph_store *store, const ph_consent_terms *terms,
                                     int64_t *id, ph_error *err);

/*
 * Revoke consent `id` now (revoked_at = the current UTC time). It refuses
 * every read from that moment, whatever the read's date.
 * Errors: PH_ENOTFOUND (field "id") when there is no such consent;
 * PH_EINVAL (field "id") when it was revoked already, saying when;
 * PH_EMISUSE for a NULL store; store errors.
 */
PH_EXTERN ph_status ph_consent_revoke(ph_store *store, int64_t id, ph_error *err);

/*
 * Revoke now every consent not yet revoked from enterprise `uscc` to
 * `institution_id` for `purpose` (expired ones included, so nothing of the
 * triple can be read again). *revoked (may be NULL) receives how many.
 * Errors: PH_ENOTFOUND (field "consent") when there is none to revoke,
 * naming the triple; PH_EINVAL field "purpose"; PH_EMISUSE for NULL store,
 * uscc or institution_id; store errors.
 */
PH_EXTERN ph_status ph_consent_revoke_matching(ph_store *store, const char *uscc,
                                               const char *institution_id, unsigned purpose,
                                               int64_t *revoked, ph_error *err);

/* Which consents ph_consent_list reports. Zero-initialised: all of them. */
typedef struct ph_consent_filter {
    const char *uscc;           /* NULL: every enterprise */
    const char *institution_id; /* NULL: every institution */
    int live_only;              /* 1: only those live today (the context's clock):
                                   not revoked, granted_on <= today <= expires_on */
    int64_t id;                 /* 0: every consent; else only consent `id` (one
                                   indexed read: an ownership check) */
    unsigned purpose;           /* 0: every purpose; else one PH_PURPOSE_* bit: only
                                   consents for it (the early warning's daily re-check
                                   of monitoring consents) */
} ph_consent_filter;

typedef ph_status (*ph_consent_fn)(void *user, const ph_consent *consent, ph_error *err);

/* Call fn for each consent matching `filter` (NULL: all), by id. A callback
 * status other than PH_OK stops the walk and is returned. Errors: PH_EMISUSE
 * for NULL store or fn; PH_EINVAL (field "purpose") for a purpose that is
 * not 0 or one PH_PURPOSE_* bit; PH_ERANGE (field "clock") when live_only is
 * set and the context's clock gives no date; store errors. */
PH_EXTERN ph_status ph_consent_list(ph_store *store, const ph_consent_filter *filter,
                                    ph_consent_fn fn, void *user, ph_error *err);

/* --- The gate ------------------------------------------------------------------ */

typedef enum ph_access_mode {
    PH_ACCESS_STRICT = 0, /* every source asked for must be covered, or nothing is */
    PH_ACCESS_SUBSET = 1  /* proceed with the covered sources; refuse only if none is */
} ph_access_mode;

/* One read on behalf of an institution. Zero-initialise, then fill. */
typedef struct ph_access_request {
    const char *institution_id; /* who reads */
    const char *uscc;           /* whose data */
    unsigned purpose;           /* one PH_PURPOSE_* bit */
    ph_source_set sources;      /* the feeds the read needs (at least one) */
    int raw;                    /* 1: raw records, which need a raw_access consent */
    ph_date on;                 /* the date the data is read as of, for the log;
                                   0: today. Never the day consent is judged on */
    const char *what;           /* short text for the log: "profile asof 2025-12-31" */
    ph_access_mode mode;
} ph_access_request;

/* One consent per source at most, so 64 always suffice. */
#define PH_ACCESS_MAX_CONSENTS 64

/* What the gate allowed. */
typedef struct ph_access_grant {
    int64_t log_seq;         /* the access-log entry that records this read */
    ph_source_set allowed;   /* the sources the caller may read */
    ph_source_set refused;   /* PH_ACCESS_SUBSET: the sources asked for but refused */
    size_t consent_count;
    int64_t consent_ids[PH_ACCESS_MAX_CONSENTS]; /* the consents relied on, ascending */
} ph_access_grant;

/*
 * The gate every read on behalf of an institution goes through.
 *
 * A consent is live for the request when it is from req->uscc to
 * req->institution_id for req->purpose, not revoked, and granted_on <= today
 * <= expires_on, today being the wall clock (ph_ctx_today of the store's
 * context) whatever req->on says: a read dated before an expired consent's
 * end, or after a pending consent's start, is refused all the same. When
 * req->raw is set the consent must also grant raw_access. Several
 * live consents may together cover the sources (an enterprise that granted
 * vat_invoices in March and payments_daily in May has granted both); the
 * grant lists the consents used, each adding at least one source, lowest id
 * first. A source whose catalogue purposes do not include req->purpose is
 * never covered.
 *
 * STRICT: allowed when every source is covered. SUBSET: allowed when at
 * least one is; `refused` names the others (the caller reads only
 * `allowed`).
 *
 * Every decided request is logged in the access log in the same
 * transaction as the decision, which is committed before this returns:
 * outcome "allowed", "partial" (SUBSET with refusals) or "denied" (the
 * reason is logged too: regulators see refused attempts). A request that
 * is malformed or names an unregistered enterprise or institution is
 * refused before any decision and is not logged.
 *
 * Errors:
 *   PH_EDENIED, with the entry logged, and a message naming what is missing:
 *     "no live consent from U for institution I to use payments_daily,
 *     tax_payments for credit assessment; consent 7 expired on 2025-06-30"
 *     (clauses for each consent of the triple that came close: expired, not
 *     yet valid, revoked, covers only X, does not grant raw records, is for
 *     another purpose; at most four, then "and N more"; when req->on is not
 *     today, the message ends "(consent is judged on the day of the read,
 *     2026-12-07, not on the data date 2025-03-31)");
 *   PH_ENOTFOUND field "enterprise" / "institution": not registered;
 *   PH_EINVAL field "purpose", "sources" (empty, or bits that are not
 *     stored feeds), "what" (empty), "mode"; PH_ERANGE field "date" (req->on
 *     not a day from 0001-01-01 to 9999-12-31) or "clock" (the context's
 *     clock gives no date);
 *   PH_EMISUSE for NULL store, req, out, institution_id, uscc or what, or an
 *     open transaction; store errors (nothing is logged then).
 * `out` is written on success only.
 */
PH_EXTERN ph_status ph_access_check(ph_store *store, const ph_access_request *req,
                                    ph_access_grant *out, ph_error *err);

/* --- Raw records (data minimisation) ---------------------------------------------- */

typedef struct ph_records_request {
    const char *institution_id;
    const char *uscc;
    unsigned purpose;
    const char *feed;  /* a stored feed that has a USCC column: "payments_daily" */
    ph_date on;        /* the data date, for the log (ph_access_request.on); 0: today */
    int64_t limit;     /* at most this many rows; 0: all */
} ph_records_request;

/* values[i] is column i of the feed's catalogue columns, as text in the
 * feed's file format (money in yuan "12345.67", shares and decimals with the
 * column's decimals), or NULL for an empty field. Valid during the call. */
typedef ph_status (*ph_record_fn)(void *user, const ph_feed *feed, const char *const *values,
                                  ph_error *err);

/*
 * Read the raw rows of one feed about one enterprise (rows where any USCC
 * column of the feed is `uscc`), in natural-key order, on behalf of an
 * institution: allowed only with live consents that cover the feed for the
 * purpose and grant raw access (ph_access_check with raw = 1, STRICT, what
 * = "records FEED"), so the read is logged before any row is read. `grant`
 * (may be NULL) receives the gate's answer on success.
 * Errors: PH_EDENIED (logged) as ph_access_check; PH_EINVAL field "feed" for
 * an unknown or unstored feed or one without a USCC column, field "limit"
 * for a negative limit; everything ph_access_check returns; the callback's
 * own status, which stops the read.
 */
PH_EXTERN ph_status ph_records_read(ph_store *store, const ph_records_request *req,
                                    ph_record_fn fn, void *user, ph_access_grant *grant,
                                    ph_error *err);

/* --- The access log ----------------------------------------------------------------- */

/* 64 lowercase hex digits and the NUL. */
#define PH_AUDIT_HASH_HEX 65

/* One entry of the access log. Pointers valid during the callback only. */
typedef struct ph_audit_entry {
    int64_t seq;                /* 1, 2, 3, ... without gaps */
    const char *at;             /* UTC timestamp of the read */
    const char *institution_id;
    const char *uscc;
    const char *purpose;        /* "credit", "monitoring", "supply_chain" */
    const char *outcome;        /* "allowed", "partial" or "denied" */
    const char *what;
    const char *sources;        /* allowed: the sources read; denied: those asked for */
    int raw;                    /* 1: raw records were asked for */
    const char *consents;       /* the consent ids relied on: "7" or "7,9"; "" if denied */
    const char *reason;         /* why refused (partial: what was refused); "" if allowed */
    const char *prev_hash;      /* the previous entry's hash; 64 zeros for seq 1 */
    const char *hash;
    const char *data_on;        /* the date the data was read as of ("2025-12-31"; the
                                   request's `on`); NULL in version 1 entries */
    int version;                /* hash encoding: 1 (before schema 10) or 2; 0 in an
                                   entry given to ph_audit_entry_hash: the current */
} ph_audit_entry;

/* The encoding new entries are written in. */
#define PH_AUDIT_VERSION 2

/*
 * The hash of an entry: BLAKE2b-256 (libsodium crypto_generichash, no key)
 * of the concatenation, for each of these fields in this order, of its
 * length in bytes as 8-byte big-endian and its UTF-8 bytes:
 *   version 2: "puhui-access-log-v2", seq (decimal), at, data_on,
 *     institution_id, uscc, purpose, outcome, what, sources, raw ("0" or
 *     "1"), consents, reason, prev_hash;
 *   version 1: the same without data_on, under the tag "puhui-access-log-v1"
 * written as 64 lowercase hex digits to `out`. `entry->hash` is not read.
 * The texts end at their first NUL here; ph_audit_verify hashes the stored
 * bytes with their length, so a NUL slipped into a stored field is caught.
 * Cost: one pass over the fields.
 * Errors: PH_EMISUSE for NULL entry, out, a NULL text field, or a NULL
 * data_on in a version 2 entry; PH_EINVAL field "version" (not 0, 1 or 2).
 */
PH_EXTERN ph_status ph_audit_entry_hash(const ph_audit_entry *entry,
                                        char out[PH_AUDIT_HASH_HEX], ph_error *err);

/* Which entries ph_audit_list reports. Zero-initialised: all. */
typedef struct ph_audit_filter {
    const char *uscc;           /* NULL: every enterprise */
    const char *institution_id; /* NULL: every institution */
    int64_t limit;              /* at most this many, newest first; 0: all */
    int64_t before;             /* keyset page: only entries with seq < before; 0: from
                                   the newest */
} ph_audit_filter;

typedef ph_status (*ph_audit_fn)(void *user, const ph_audit_entry *entry, ph_error *err);

/* Call fn for each matching entry, newest (highest seq) first. A callback
 * status other than PH_OK stops the walk and is returned. Errors:
 * PH_EINVAL field "limit" or "before" when negative; PH_EMISUSE for NULL
 * store or fn; store errors. Cost: with uscc or institution_id, a walk of
 * that column's index from `before` that stops at `limit`. */
PH_EXTERN ph_status ph_audit_list(ph_store *store, const ph_audit_filter *filter,
                                  ph_audit_fn fn, void *user, ph_error *err);

/* What an operator published earlier to anchor the log's tail. A deleted
 * LAST entry leaves an intact-looking chain; only an anchor reveals it. */
typedef struct ph_audit_anchor {
    const char *head; /* a published head hash; NULL: none */
    int64_t count;    /* the entry count published with it; 0: none */
    const char *public_key; /* the platform's checkpoint key (base64 of the 32-byte
                               Ed25519 public key; after a rotation, the keys in use
                               separated by ','); NULL: checkpoints not checked */
} ph_audit_anchor;

/* The append-only triggers ph_audit_verify requires, their names joined by
 * ", " when some are missing, fit in this. */
#define PH_AUDIT_TRIGGERS_MAX 160

typedef struct ph_audit_report {
    int64_t entries;              /* entries checked (the bad one included) */
    int64_t head_seq;             /* seq of the last sound entry; 0 for an empty log */
    char head[PH_AUDIT_HASH_HEX]; /* its hash, to publish (64 zeros when empty) */
    int intact;                   /* 1 when every check passed */
    int64_t bad_seq;              /* the first bad or missing seq; 0 when intact */
    char problem[PH_ERROR_DETAIL_MAX]; /* what is wrong there; "" when intact */
    /* the append-only triggers that are gone or not as the schema creates them
       ("access_log_no_update, ..."); "" when all stand. Filled whatever else was found. */
    char missing_triggers[PH_AUDIT_TRIGGERS_MAX];
    /* With anchor->public_key: */
    int64_t checkpoints;   /* signed checkpoints checked (all of them when intact) */
    int64_t signed_seq;    /* the last entry a sound checkpoint covers; 0 if none */
    int64_t unsigned_tail; /* entries after signed_seq: not covered by any signature */
} ph_audit_report;

/*
 * Walk the whole log in seq order and check that seq runs 1, 2, 3... with no
 * gap, that each entry's hash is the hash of its stored bytes (each field
 * with its stored length, under the entry's encoding; encodings never go
 * down along the chain), and that each prev_hash is the previous entry's
 * hash (64 zeros for the first). With an anchor: the log must have at least
 * `count` entries, and `head` must be the hash of entry `count` (or, without
 * a count, of some entry: the log may have grown since the head was
 * published). With anchor->public_key: every stored checkpoint must carry a
 * valid signature by that key (or one of those keys, found by key id), and the chain must reproduce each signed
 * head (entry `size` has the signed hash); the report counts the entries
 * after the last signed one (unsigned_tail): those no signature vouches for.
 * Finally the append-only triggers (access_log_no_update,
 * access_log_no_delete, access_checkpoint_no_update,
 * access_checkpoint_no_delete) must all exist with exactly the schema's
 * definitions (white space aside): a log whose protection was removed or
 * hollowed out fails, even when its chain is sound, since anything could
 * have been done to it while they were gone. A checkpoint's size, head,
 * signed_at and key_id columns must agree with its signed note.
 * Every read sees one snapshot: outside a transaction it runs in a read
 * transaction (ph_store_begin_read), so what others commit meanwhile (a
 * checkpoint and the entry it signs) is not half seen; inside the caller's
 * transaction it reads that transaction's state.
 * Cost: one read of the log and of the checkpoints; one signature check per
 * checkpoint.
 *
 * Returns PH_OK when every check passes. When one fails, returns PH_ESTORE
 * with the problem, reported in this order: the chain (field "seq", the
 * first bad seq: "entry 3 was altered: its contents hash to ... but it
 * records ..."), a checkpoint (field "checkpoint", its id: "checkpoint 2 is
 * not signed by key ..."; "checkpoint 2 signs entry 7 with hash X but the
 * log has Y"), the triggers (field "trigger", the first missing name). In
 * that case, as an exception to the rule, `report` IS written too (intact
 * 0, problem; bad_seq the entry at fault, or 0 for a trigger), so a caller
 * can show the finding.
 * Other errors: PH_EINVAL field "head" (not 64 hex digits), "count"
 * (negative) or "key" (not base64 Ed25519 public keys, at most 8); PH_EMISUSE for NULL
 * store or report; store errors (report not written).
 */
PH_EXTERN ph_status ph_audit_verify(ph_store *store, const ph_audit_anchor *anchor,
                                    ph_audit_report *report, ph_error *err);

/* --- Signed checkpoints -------------------------------------------------------------
 *
 * The chain has no key: whoever can write the database can append entries
 * that chain correctly. A checkpoint is the log's head signed with the
 * platform's Ed25519 key, which is kept OUTSIDE the database (a file only
 * the operator holds): an entry after the last checkpoint is not vouched for
 * by any signature, a forged checkpoint fails its signature, and rewritten
 * history no longer reproduces a signed head (docs/consent.md).
 *
 * The checkpoint is a signed note (C2SP signed-note) whose text is a C2SP
 * tlog-checkpoint body, with the chain's head hash in place of a Merkle root:
 *
 *   puhui-access-log                  origin (the key's name)
 *   42                                entries covered: 1..42
 *   <base64 of the 32-byte head hash> the hash of entry 42 (64 zeros: none)
 *   time 2025-03-01T08:30:00Z         when it was signed (UTC)
 *                                     (blank line)
 *   — puhui-access-log <base64 of key id (4 bytes) || Ed25519 signature>
 *
 * The signature is over the text up to and including the newline after the
 * time line; the key id is the first 4 bytes of SHA-256("puhui-access-log" ||
 * "\n" || 0x01 || public key), as signed notes define it. */

/* The checkpoint key's name, which is also the checkpoint's origin line. */
#define PH_AUDIT_KEY_NAME "puhui-access-log"
/* A public key in base64 (44 characters) and the NUL. */
#define PH_AUDIT_PUBKEY_MAX 45
/* A key id: 8 lowercase hex digits and the NUL. */
#define PH_AUDIT_KEY_ID_MAX 9
/* A signed checkpoint's text, with room to spare. */
#define PH_AUDIT_NOTE_MAX 512

/*
 * Create a new checkpoint key: write the secret key to the new file `path`
 * (mode 0600; an existing file is never overwritten) as one line
 * "PRIVATE+KEY+puhui-access-log+<key id>+<base64 of 0x01 || 32-byte seed>"
 * (the signed-note key format), and give its public key in base64 and its
 * key id. The secret key bytes are wiped from memory before returning.
 * Cost: one key generation and one small file write.
 * Errors: PH_EEXISTS (field "file", the path) when the file exists; PH_EIO
 * naming the path and the system's reason when it cannot be written (a
 * partly written file is removed); PH_ESTORE if libsodium cannot start;
 * PH_EMISUSE for NULL arguments.
 */
PH_EXTERN ph_status ph_audit_keygen(const char *path, char public_key[PH_AUDIT_PUBKEY_MAX],
                                    char key_id[PH_AUDIT_KEY_ID_MAX], ph_error *err);

/* A stored checkpoint. */
typedef struct ph_audit_checkpoint {
    int64_t id;                     /* 1, 2, 3... in the order they were made */
    int64_t size;                   /* entries covered: 1..size (0: the empty log) */
    char head[PH_AUDIT_HASH_HEX];   /* hash of entry `size` (64 zeros when 0) */
    char at[PH_UTC_MAX];            /* when it was signed */
    char key_id[PH_AUDIT_KEY_ID_MAX];
    char note[PH_AUDIT_NOTE_MAX];   /* the signed note, exactly as stored: publish it */
} ph_audit_checkpoint;

/*
 * Sign the log's current head with the secret key in `key_path` (as
 * ph_audit_keygen wrote it) and store the checkpoint (table
 * access_checkpoint, append-only). The whole log is verified first, in the
 * same transaction, with the key's own public key: a log that fails
 * ph_audit_verify is never signed, nor one whose earlier checkpoints by this
 * key no longer verify or no longer match the log (history rewritten under
 * them). Checkpoints by other keys are not checked here, and checkpoints
 * deleted from the database cannot be: publishing each note is what catches
 * that (docs/consent.md). `out` receives the checkpoint. The key file is
 * read with open/read into a stack buffer; it and the key bytes are wiped
 * after use.
 * Cost: one verification of the log, one signature, one insert.
 * Errors: PH_EIO (field "file") when the key file cannot be read; PH_EINVAL
 * (field "file", the path) when group or others may read it ("permissions
 * 0644 are too open") or it is not a checkpoint secret key, saying what was
 * expected; PH_ESTORE with the verification's finding when the log
 * is not intact; PH_EMISUSE for NULL arguments or an open transaction;
 * store errors.
 */
PH_EXTERN ph_status ph_audit_checkpoint_sign(ph_store *store, const char *key_path,
                                             ph_audit_checkpoint *out, ph_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PUHUI_ACCESS_H */
