/*
 * The access log: appending, listing and verifying the hash chain.
 *
 * Each entry's hash covers its own fields and the previous entry's hash, so
 * changing, removing, inserting or reordering an entry breaks the chain at
 * that point even when the database triggers were bypassed. The encoding is
 * length-prefixed (no separator can be forged inside a field) and documented
 * in access.h and docs/consent.md, so a regulator can re-verify the log with
 * any BLAKE2b implementation.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "access/access_internal.h"

static const char GENESIS[PH_AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* The domain tag: the first field hashed, naming the encoding's version. */
static const char HASH_TAG[] = "puhui-access-log-v1";

static void hash_field(crypto_generichash_state *state, const char *text)
{
    size_t len = strlen(text);
    unsigned char prefix[8];
    uint64_t n = (uint64_t)len;
    for (int i = 7; i >= 0; i--) {
        prefix[i] = (unsigned char)(n & 0xffu);
        n >>= 8;
    }
    crypto_generichash_update(state, prefix, sizeof(prefix));
    crypto_generichash_update(state, (const unsigned char *)text, len);
}

ph_status ph_audit_entry_hash(const ph_audit_entry *e, char out[PH_AUDIT_HASH_HEX],
                              ph_error *err)
{
    if (e == NULL || out == NULL || e->at == NULL || e->institution_id == NULL ||
        e->uscc == NULL || e->purpose == NULL || e->outcome == NULL || e->what == NULL ||
        e->sources == NULL || e->consents == NULL || e->reason == NULL || e->prev_hash == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_audit_entry_hash: entry, out and every text field but hash "
                            "must not be NULL");
    char seq[24];
    snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
    const char *fields[] = {HASH_TAG,    seq,       e->at,      e->institution_id, e->uscc,
                            e->purpose,  e->outcome, e->what,   e->sources,
                            e->raw ? "1" : "0", e->consents, e->reason, e->prev_hash};
    crypto_generichash_state state;
    unsigned char digest[32];
    crypto_generichash_init(&state, NULL, 0, sizeof(digest));
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        hash_field(&state, fields[i]);
    crypto_generichash_final(&state, digest, sizeof(digest));
    sodium_bin2hex(out, PH_AUDIT_HASH_HEX, digest, sizeof(digest));
    return PH_OK;
}

/* The columns of an entry, in the order read_entry expects. */
#define ENTRY_COLUMNS                                                                        \
    "seq, at, institution_id, uscc, purpose, outcome, what, sources, raw, consents, "       \
    "reason, prev_hash, hash"

static const char *text_or_empty(ph_stmt *stmt, int col)
{
    const char *s = ph_stmt_column_text(stmt, col);
    return s ? s : "";
}

static void read_entry(ph_stmt *stmt, ph_audit_entry *e)
{
    e->seq = ph_stmt_column_int64(stmt, 0);
    e->at = text_or_empty(stmt, 1);
    e->institution_id = text_or_empty(stmt, 2);
    e->uscc = text_or_empty(stmt, 3);
    e->purpose = text_or_empty(stmt, 4);
    e->outcome = text_or_empty(stmt, 5);
    e->what = text_or_empty(stmt, 6);
    e->sources = text_or_empty(stmt, 7);
    e->raw = ph_stmt_column_int64(stmt, 8) != 0;
    e->consents = text_or_empty(stmt, 9);
    e->reason = text_or_empty(stmt, 10);
    e->prev_hash = text_or_empty(stmt, 11);
    e->hash = text_or_empty(stmt, 12);
}

ph_status access_log_append(ph_store *store, ph_audit_entry *entry,
                            char prev[PH_AUDIT_HASH_HEX], char hash[PH_AUDIT_HASH_HEX],
                            ph_error *err)
{
    ph_stmt *stmt = NULL;
    int64_t last = 0;
    memcpy(prev, GENESIS, PH_AUDIT_HASH_HEX);
    ph_status st = ph_store_prepare(store,
                                    "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK) {
        last = ph_stmt_column_int64(stmt, 0);
        snprintf(prev, PH_AUDIT_HASH_HEX, "%s", text_or_empty(stmt, 1));
    }
    ph_stmt_free(stmt);
    if (st != PH_OK && st != PH_DONE)
        return st;
    if (last == INT64_MAX)
        return ph_error_set(err, PH_ERANGE, "seq", NULL, "the access log is full");
    entry->seq = last + 1;
    entry->prev_hash = prev;
    st = ph_audit_entry_hash(entry, hash, err);
    if (st != PH_OK)
        return st;
    entry->hash = hash;
    st = ph_store_prepare(store,
                          "INSERT INTO access_log (" ENTRY_COLUMNS ") "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          &stmt, err);
    const char *texts[] = {entry->at,      entry->institution_id, entry->uscc,
                           entry->purpose, entry->outcome,        entry->what,
                           entry->sources};
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, entry->seq, err);
    for (int i = 0; st == PH_OK && i < 7; i++)
        st = ph_stmt_bind_text(stmt, 2 + i, texts[i], -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 9, entry->raw ? 1 : 0, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 10, entry->consents, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 11, entry->reason, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 12, entry->prev_hash, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 13, entry->hash, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_audit_list(ph_store *store, const ph_audit_filter *filter, ph_audit_fn fn,
                        void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_audit_list: store and fn must not be NULL");
    ph_audit_filter all;
    memset(&all, 0, sizeof(all));
    const ph_audit_filter *f = filter ? filter : &all;
    if (f->limit < 0) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)f->limit);
        return ph_error_set(err, PH_EINVAL, "limit", value,
                            "expected a positive number of entries, or 0 for all");
    }
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT " ENTRY_COLUMNS " FROM access_log WHERE 1 = 1%s%s ORDER BY seq DESC%s",
             f->uscc ? " AND uscc = ?" : "", f->institution_id ? " AND institution_id = ?" : "",
             f->limit > 0 ? " LIMIT ?" : "");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, sql, &stmt, err);
    int param = 1;
    if (st == PH_OK && f->uscc)
        st = ph_stmt_bind_text(stmt, param++, f->uscc, -1, err);
    if (st == PH_OK && f->institution_id)
        st = ph_stmt_bind_text(stmt, param++, f->institution_id, -1, err);
    if (st == PH_OK && f->limit > 0)
        st = ph_stmt_bind_int64(stmt, param++, f->limit, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_audit_entry e;
        read_entry(stmt, &e);
        st = fn(user, &e, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* --- verification ----------------------------------------------------------------- */

/* The walk's state: what the next entry must look like. */
typedef struct chain_walk {
    int64_t expected_seq;
    char prev[PH_AUDIT_HASH_HEX];
    int64_t anchor_seq; /* the entry whose hash equals the anchor's head, 0 if none seen */
} chain_walk;

static int bad(ph_audit_report *r, int64_t seq, const char *fmt, ...) PH_PRINTF(3, 4);

static int bad(ph_audit_report *r, int64_t seq, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
    va_end(ap);
    r->intact = 0;
    r->bad_seq = seq;
    return 0;
}

/* Check one entry against the walk; 1 when it is sound, 0 with the report
 * filled when it is not. */
static int check_entry(chain_walk *w, const ph_audit_entry *e, const char *head,
                       ph_audit_report *r)
{
    if (e->seq != w->expected_seq)
        return bad(r, w->expected_seq,
                   "entry %lld is missing: the log goes from entry %lld to entry %lld",
                   (long long)w->expected_seq, (long long)(w->expected_seq - 1),
                   (long long)e->seq);
    char computed[PH_AUDIT_HASH_HEX];
    (void)ph_audit_entry_hash(e, computed, NULL);
    if (strcmp(computed, e->hash) != 0)
        return bad(r, e->seq,
                   "entry %lld was altered: its contents hash to %s but it records %s",
                   (long long)e->seq, computed, e->hash);
    if (strcmp(e->prev_hash, w->prev) != 0)
        return bad(r, e->seq,
                   "entry %lld does not follow entry %lld: it records prev_hash %s but entry "
                   "%lld's hash is %s (an entry was removed, inserted or rewritten before it)",
                   (long long)e->seq, (long long)(e->seq - 1), e->prev_hash,
                   (long long)(e->seq - 1), w->prev);
    if (head != NULL && w->anchor_seq == 0 && strcmp(e->hash, head) == 0)
        w->anchor_seq = e->seq;
    snprintf(w->prev, sizeof(w->prev), "%s", e->hash);
    w->expected_seq++;
    return 1;
}

/* After the walk: does the log still reach what was published? */
static void check_anchor(const chain_walk *w, const char *head, int64_t count,
                         ph_audit_report *r)
{
    int64_t last = w->expected_seq - 1;
    if (count > 0 && last < count) {
        bad(r, last + 1,
            "entry %lld is missing: the log ends at entry %lld but %lld entries were "
            "published",
            (long long)(last + 1), (long long)last, (long long)count);
        return;
    }
    if (head == NULL)
        return;
    if (count > 0 && w->anchor_seq != count) {
        bad(r, count,
            "entry %lld does not have the published head hash %s: it, or an entry before "
            "it, was rewritten",
            (long long)count, head);
        return;
    }
    if (w->anchor_seq == 0)
        bad(r, last + 1,
            "no entry has the published head hash %s: the entries after entry %lld (at "
            "least entry %lld) were deleted, or the log was rewritten",
            head, (long long)last, (long long)(last + 1));
}

/* A head hash as published: 64 hex digits, either case; lower-cased into out. */
static ph_status parse_head(const char *head, char out[PH_AUDIT_HASH_HEX], ph_error *err)
{
    size_t len = strlen(head);
    int ok = len == PH_AUDIT_HASH_HEX - 1;
    for (size_t i = 0; ok && i < len; i++)
        ok = isxdigit((unsigned char)head[i]) != 0;
    if (!ok)
        return ph_error_set(err, PH_EINVAL, "head", head,
                            "expected 64 hexadecimal digits (a BLAKE2b-256 hash), got %zu "
                            "characters",
                            len);
    for (size_t i = 0; i <= len; i++)
        out[i] = (char)tolower((unsigned char)head[i]);
    return PH_OK;
}

static ph_status walk_log(ph_store *store, chain_walk *w, const char *head,
                          ph_audit_report *r, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT " ENTRY_COLUMNS " FROM access_log ORDER BY seq",
                                    &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_audit_entry e;
        read_entry(stmt, &e);
        r->entries++;
        if (!check_entry(w, &e, head, r))
            break;
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_audit_verify(ph_store *store, const ph_audit_anchor *anchor,
                          ph_audit_report *report, ph_error *err)
{
    if (store == NULL || report == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_audit_verify: store and report must not be NULL");
    char head_buf[PH_AUDIT_HASH_HEX];
    const char *head = NULL;
    int64_t count = anchor ? anchor->count : 0;
    if (count < 0) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)count);
        return ph_error_set(err, PH_EINVAL, "count", value,
                            "expected the published number of entries, or 0 for none");
    }
    if (anchor != NULL && anchor->head != NULL) {
        ph_status st = parse_head(anchor->head, head_buf, err);
        if (st != PH_OK)
            return st;
        head = head_buf;
    }
    ph_audit_report r;
    memset(&r, 0, sizeof(r));
    r.intact = 1;
    chain_walk w = {1, "", 0};
    memcpy(w.prev, GENESIS, sizeof(w.prev));
    /* one SELECT reads one snapshot, even while others append */
    ph_status st = walk_log(store, &w, head, &r, err);
    if (st != PH_OK)
        return st;
    if (r.intact)
        check_anchor(&w, head, count, &r);
    r.head_seq = w.expected_seq - 1;
    memcpy(r.head, w.prev, sizeof(r.head));
    *report = r;
    if (r.intact)
        return PH_OK;
    char value[24];
    snprintf(value, sizeof(value), "%lld", (long long)r.bad_seq);
    return ph_error_set(err, PH_ESTORE, "seq", value, "%s", r.problem);
}
