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
#include "puhui/schema.h"

static const char GENESIS[PH_AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* The domain tags: the first field hashed, naming the encoding's version.
 * v1 entries were written before the log recorded the data date; v2 entries
 * hash it right after `at`. Old entries keep their v1 hash, so the chain
 * stays valid across the migration (schema version 10). */
static const char HASH_TAG_V1[] = "puhui-access-log-v1";
static const char HASH_TAG_V2[] = "puhui-access-log-v2";

enum { MAX_FIELDS = 14 };

/* The byte strings an entry's hash covers, in order, each with its length:
 * from a caller's entry (C strings) or from the stored row (every stored
 * byte, NUL bytes included). */
typedef struct hash_input {
    const char *text[MAX_FIELDS];
    size_t len[MAX_FIELDS];
    size_t count;
} hash_input;

static void input_add(hash_input *in, const char *text, size_t len)
{
    in->text[in->count] = text;
    in->len[in->count] = len;
    in->count++;
}

static void input_add_str(hash_input *in, const char *text)
{
    input_add(in, text, strlen(text));
}

static void hash_field(crypto_generichash_state *state, const char *text, size_t len)
{
    unsigned char prefix[8];
    uint64_t n = (uint64_t)len;
    for (int i = 7; i >= 0; i--) {
        prefix[i] = (unsigned char)(n & 0xffu);
        n >>= 8;
    }
    crypto_generichash_update(state, prefix, sizeof(prefix));
    crypto_generichash_update(state, (const unsigned char *)text, len);
}

static void hash_input_digest(const hash_input *in, char out[PH_AUDIT_HASH_HEX])
{
    crypto_generichash_state state;
    unsigned char digest[32];
    crypto_generichash_init(&state, NULL, 0, sizeof(digest));
    for (size_t i = 0; i < in->count; i++)
        hash_field(&state, in->text[i], in->len[i]);
    crypto_generichash_final(&state, digest, sizeof(digest));
    sodium_bin2hex(out, PH_AUDIT_HASH_HEX, digest, sizeof(digest));
}

ph_status ph_audit_entry_hash(const ph_audit_entry *e, char out[PH_AUDIT_HASH_HEX],
                              ph_error *err)
{
    if (e == NULL || out == NULL || e->at == NULL || e->institution_id == NULL ||
        e->uscc == NULL || e->purpose == NULL || e->outcome == NULL || e->what == NULL ||
        e->sources == NULL || e->consents == NULL || e->reason == NULL || e->prev_hash == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_audit_entry_hash: entry, out and every text field but hash "
                            "and data_on must not be NULL");
    int version = e->version == 0 ? PH_AUDIT_VERSION : e->version;
    if (version != 1 && version != 2) {
        char value[24];
        snprintf(value, sizeof(value), "%d", e->version);
        return ph_error_set(err, PH_EINVAL, "version", value,
                            "expected encoding version 1 or 2 (0 for the current one)");
    }
    if (version == 2 && e->data_on == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_audit_entry_hash: a version 2 entry needs data_on");
    char seq[24];
    snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
    hash_input in = {{NULL}, {0}, 0};
    input_add_str(&in, version == 1 ? HASH_TAG_V1 : HASH_TAG_V2);
    input_add_str(&in, seq);
    input_add_str(&in, e->at);
    if (version == 2)
        input_add_str(&in, e->data_on);
    const char *rest[] = {e->institution_id, e->uscc,    e->purpose,
                          e->outcome,        e->what,    e->sources,
                          e->raw ? "1" : "0", e->consents, e->reason, e->prev_hash};
    for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++)
        input_add_str(&in, rest[i]);
    hash_input_digest(&in, out);
    return PH_OK;
}

/* The columns of an entry, in the order read_entry expects: the hashed ones
 * first, in hash order (data_on among them), then the rest. */
#define ENTRY_COLUMNS                                                                        \
    "seq, at, data_on, institution_id, uscc, purpose, outcome, what, sources, raw, "        \
    "consents, reason, prev_hash, hash, hash_version"
enum { COL_SEQ, COL_AT, COL_DATA_ON, COL_PREV_HASH = 12, COL_HASH, COL_VERSION };

static const char *text_or_empty(ph_stmt *stmt, int col)
{
    const char *s = ph_stmt_column_text(stmt, col);
    return s ? s : "";
}

static void read_entry(ph_stmt *stmt, ph_audit_entry *e)
{
    e->seq = ph_stmt_column_int64(stmt, COL_SEQ);
    e->at = text_or_empty(stmt, COL_AT);
    e->data_on = ph_stmt_column_text(stmt, COL_DATA_ON);
    e->institution_id = text_or_empty(stmt, 3);
    e->uscc = text_or_empty(stmt, 4);
    e->purpose = text_or_empty(stmt, 5);
    e->outcome = text_or_empty(stmt, 6);
    e->what = text_or_empty(stmt, 7);
    e->sources = text_or_empty(stmt, 8);
    e->raw = ph_stmt_column_int64(stmt, 9) != 0;
    e->consents = text_or_empty(stmt, 10);
    e->reason = text_or_empty(stmt, 11);
    e->prev_hash = text_or_empty(stmt, COL_PREV_HASH);
    e->hash = text_or_empty(stmt, COL_HASH);
    e->version = (int)ph_stmt_column_int64(stmt, COL_VERSION);
}

/* The hash of the row as stored: every column's bytes as the database holds
 * them, with their length (a NUL inside a text is hashed too, as any other
 * verifier reading the file sees it), under the row's own encoding.
 * seq and raw are hashed as their stored text ("1"), as the documented
 * re-verifier does. */
static void stored_hash(ph_stmt *stmt, int version, char out[PH_AUDIT_HASH_HEX])
{
    hash_input in = {{NULL}, {0}, 0};
    input_add_str(&in, version == 1 ? HASH_TAG_V1 : HASH_TAG_V2);
    for (int col = COL_SEQ; col <= COL_PREV_HASH; col++) {
        if (col == COL_DATA_ON && version == 1)
            continue;
        const char *text = text_or_empty(stmt, col);
        input_add(&in, text, ph_stmt_column_bytes(stmt, col));
    }
    hash_input_digest(&in, out);
}

ph_status access_log_append(ph_store *store, ph_audit_entry *entry, ph_date data_on,
                            char prev[PH_AUDIT_HASH_HEX], char hash[PH_AUDIT_HASH_HEX],
                            ph_error *err)
{
    char day[PH_DATE_FORMAT_MAX];
    ph_status st = ph_date_format(data_on, day, sizeof(day), err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    int64_t last = 0;
    memcpy(prev, GENESIS, PH_AUDIT_HASH_HEX);
    st = ph_store_prepare(store, "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1",
                          &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK) {
        last = ph_stmt_column_int64(stmt, 0);
        snprintf(prev, PH_AUDIT_HASH_HEX, "%s", text_or_empty(stmt, 1));
    }
    ph_stmt_free(stmt);
    stmt = NULL; /* reused below: freed again at the end when the insert is never prepared */
    if (st != PH_OK && st != PH_DONE)
        return st;
    if (last == INT64_MAX)
        return ph_error_set(err, PH_ERANGE, "seq", NULL, "the access log is full");
    entry->seq = last + 1;
    entry->prev_hash = prev;
    entry->data_on = day;
    entry->version = PH_AUDIT_VERSION;
    st = ph_audit_entry_hash(entry, hash, err);
    if (st == PH_OK) {
        entry->hash = hash;
        st = ph_store_prepare(store,
                              "INSERT INTO access_log (" ENTRY_COLUMNS ") "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              &stmt, err);
    }
    const char *texts[] = {entry->at,      day,           entry->institution_id,
                           entry->uscc,    entry->purpose, entry->outcome,
                           entry->what,    entry->sources};
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, entry->seq, err);
    for (int i = 0; st == PH_OK && i < 8; i++)
        st = ph_stmt_bind_text(stmt, 2 + i, texts[i], -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 10, entry->raw ? 1 : 0, err);
    const char *tail[] = {entry->consents, entry->reason, entry->prev_hash, entry->hash};
    for (int i = 0; st == PH_OK && i < 4; i++)
        st = ph_stmt_bind_text(stmt, 11 + i, tail[i], -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 15, PH_AUDIT_VERSION, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    entry->data_on = NULL; /* `day` ends with this call */
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
    if (f->before < 0) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)f->before);
        return ph_error_set(err, PH_EINVAL, "before", value,
                            "expected the seq of the last entry of the previous page, or 0");
    }
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT " ENTRY_COLUMNS " FROM access_log WHERE 1 = 1%s%s%s ORDER BY seq DESC%s",
             f->uscc ? " AND uscc = ?" : "", f->institution_id ? " AND institution_id = ?" : "",
             f->before > 0 ? " AND seq < ?" : "", f->limit > 0 ? " LIMIT ?" : "");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, sql, &stmt, err);
    int param = 1;
    if (st == PH_OK && f->uscc)
        st = ph_stmt_bind_text(stmt, param++, f->uscc, -1, err);
    if (st == PH_OK && f->institution_id)
        st = ph_stmt_bind_text(stmt, param++, f->institution_id, -1, err);
    if (st == PH_OK && f->before > 0)
        st = ph_stmt_bind_int64(stmt, param++, f->before, err);
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
    int version; /* the previous entry's encoding: never goes down */
    char prev[PH_AUDIT_HASH_HEX];
    int64_t anchor_seq; /* the entry whose hash equals the anchor's head, 0 if none seen */
} chain_walk;

int access_report_bad(ph_audit_report *r, int64_t seq, const char *fmt, ...)
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
static int check_entry(chain_walk *w, ph_stmt *stmt, const char *head, ph_audit_report *r)
{
    ph_audit_entry entry;
    read_entry(stmt, &entry);
    const ph_audit_entry *e = &entry;
    if (e->seq != w->expected_seq)
        return access_report_bad(r, w->expected_seq,
                   "entry %lld is missing: the log goes from entry %lld to entry %lld",
                   (long long)w->expected_seq, (long long)(w->expected_seq - 1),
                   (long long)e->seq);
    if (e->version < 1 || e->version > PH_AUDIT_VERSION)
        return access_report_bad(r, e->seq,
                   "entry %lld was altered: it names hash encoding %d, but only 1 to %d exist",
                   (long long)e->seq, e->version, PH_AUDIT_VERSION);
    if (e->version < w->version)
        return access_report_bad(r, e->seq,
                   "entry %lld was altered: it uses hash encoding %d after an entry that uses "
                   "%d (entries are never written in an older encoding)",
                   (long long)e->seq, e->version, w->version);
    /* encoding 1 does not hash data_on: a date set there would be logged
     * unprotected, so it must not be there; encoding 2 always has one */
    if (e->version == 1 && e->data_on != NULL)
        return access_report_bad(r, e->seq,
                   "entry %lld was altered: it uses hash encoding 1, which has no data date, "
                   "but it records data_on '%s' (a date no hash covers)",
                   (long long)e->seq, e->data_on);
    if (e->version != 1 && e->data_on == NULL)
        return access_report_bad(r, e->seq,
                   "entry %lld was altered: it uses hash encoding %d but its data_on is NULL "
                   "(every entry of that encoding records and hashes its data date)",
                   (long long)e->seq, e->version);
    char computed[PH_AUDIT_HASH_HEX];
    stored_hash(stmt, e->version, computed);
    if (strcmp(computed, e->hash) != 0)
        return access_report_bad(r, e->seq,
                   "entry %lld was altered: its contents hash to %s but it records %s",
                   (long long)e->seq, computed, e->hash);
    if (strcmp(e->prev_hash, w->prev) != 0)
        return access_report_bad(r, e->seq,
                   "entry %lld does not follow entry %lld: it records prev_hash %s but entry "
                   "%lld's hash is %s (an entry was removed, inserted or rewritten before it)",
                   (long long)e->seq, (long long)(e->seq - 1), e->prev_hash,
                   (long long)(e->seq - 1), w->prev);
    if (head != NULL && w->anchor_seq == 0 && strcmp(e->hash, head) == 0)
        w->anchor_seq = e->seq;
    snprintf(w->prev, sizeof(w->prev), "%s", e->hash);
    w->version = e->version;
    w->expected_seq++;
    return 1;
}

/* After the walk: does the log still reach what was published? */
static void check_anchor(const chain_walk *w, const char *head, int64_t count,
                         ph_audit_report *r)
{
    int64_t last = w->expected_seq - 1;
    if (count > 0 && last < count) {
        access_report_bad(r, last + 1,
            "entry %lld is missing: the log ends at entry %lld but %lld entries were "
            "published",
            (long long)(last + 1), (long long)last, (long long)count);
        return;
    }
    if (head == NULL)
        return;
    if (count > 0 && w->anchor_seq != count) {
        access_report_bad(r, count,
            "entry %lld does not have the published head hash %s: it, or an entry before "
            "it, was rewritten",
            (long long)count, head);
        return;
    }
    if (w->anchor_seq == 0)
        access_report_bad(r, last + 1,
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
        r->entries++;
        if (!check_entry(w, stmt, head, r))
            break;
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* The append-only triggers: the schema's protections of the log and of its
 * checkpoints, each with its definition exactly as the schema's migrations
 * create it (one spelling for both: ph_schema_trigger_definition; versions
 * 4 and 10; white space aside). A
 * trigger of the right name that does anything else (SELECT 1 instead of
 * RAISE(ABORT), another event, another table) protects nothing. A trigger
 * added later is one more row. */
static const struct {
    const char *table;
    const char *trigger;
} REQUIRED_TRIGGERS[] = {
    {"access_log", "access_log_no_update"},
    {"access_log", "access_log_no_delete"},
    {"access_checkpoint", "access_checkpoint_no_update"},
    {"access_checkpoint", "access_checkpoint_no_delete"},
};

/* `a` and `b` are the same SQL but for white space: every run of it is one
 * space, none at either end, and none before ';' or ')' or after '('. */
static int same_sql(const char *a, const char *b)
{
    char na[512], nb[512];
    const char *in[2] = {a, b};
    char *out[2] = {na, nb};
    for (int k = 0; k < 2; k++) {
        size_t n = 0;
        int space = 0;
        for (const char *p = in[k]; *p != '\0'; p++) {
            if (isspace((unsigned char)*p)) {
                space = n > 0 && out[k][n - 1] != '(';
                continue;
            }
            if (space && *p != ';' && *p != ')' && n + 1 < sizeof(na))
                out[k][n++] = ' ';
            space = 0;
            if (n + 1 >= sizeof(na))
                return 0; /* longer than any definition this checks */
            out[k][n++] = *p;
        }
        out[k][n] = '\0';
    }
    return strcmp(na, nb) == 0;
}

/* Fill r->missing_triggers with those missing or not as the schema creates
 * them; *first receives the first such name (NULL if none). */
static ph_status check_triggers(ph_store *store, ph_audit_report *r, const char **first,
                                ph_error *err)
{
    *first = NULL;
    size_t used = 0;
    for (size_t i = 0; i < sizeof(REQUIRED_TRIGGERS) / sizeof(REQUIRED_TRIGGERS[0]); i++) {
        char sql[512];
        long len = 0;
        ph_status st = ph_store_trigger_sql(store, REQUIRED_TRIGGERS[i].table,
                                            REQUIRED_TRIGGERS[i].trigger, sql, sizeof(sql),
                                            &len, err);
        if (st != PH_OK)
            return st;
        const char *definition = ph_schema_trigger_definition(REQUIRED_TRIGGERS[i].trigger);
        if (definition != NULL && len >= 0 && (size_t)len < sizeof(sql) &&
            same_sql(sql, definition))
            continue;
        if (*first == NULL)
            *first = REQUIRED_TRIGGERS[i].trigger;
        int n = snprintf(r->missing_triggers + used, sizeof(r->missing_triggers) - used, "%s%s",
                         used ? ", " : "", REQUIRED_TRIGGERS[i].trigger);
        if (n > 0 && (size_t)n < sizeof(r->missing_triggers) - used)
            used += (size_t)n;
    }
    return PH_OK;
}

/* The verification proper, once the anchor is parsed: head may be NULL,
 * count 0, keys NULL (no checkpoint checked). */
static ph_status verify_parsed(ph_store *store, const char *head, int64_t count,
                               const access_keys *keys, ph_audit_report *report,
                               ph_error *err)
{
    ph_audit_report r;
    memset(&r, 0, sizeof(r));
    r.intact = 1;
    chain_walk w = {1, 1, "", 0};
    memcpy(w.prev, GENESIS, sizeof(w.prev));
    ph_status st = walk_log(store, &w, head, &r, err);
    if (st != PH_OK)
        return st;
    if (r.intact)
        check_anchor(&w, head, count, &r);
    r.head_seq = w.expected_seq - 1;
    memcpy(r.head, w.prev, sizeof(r.head));
    const char *field = "seq";
    char value[64]; /* a seq, a checkpoint id or a trigger's name */
    snprintf(value, sizeof(value), "%lld", (long long)r.bad_seq);
    if (keys != NULL && r.intact) {
        int64_t bad_id = 0;
        st = access_checkpoints_verify(store, keys, &r, &bad_id, err);
        if (st != PH_OK)
            return st;
        if (!r.intact) {
            field = "checkpoint";
            snprintf(value, sizeof(value), "%lld", (long long)bad_id);
        }
    }
    const char *missing = NULL;
    st = check_triggers(store, &r, &missing, err);
    if (st != PH_OK)
        return st;
    if (missing != NULL && r.intact) {
        r.intact = 0;
        int several = strchr(r.missing_triggers, ',') != NULL;
        snprintf(r.problem, sizeof(r.problem),
                 "the append-only protection of the access log is gone: trigger%s %s %s "
                 "missing or not as the schema creates %s, so entries or checkpoints could "
                 "have been changed or deleted without the database refusing it (the hash "
                 "chain and signatures above still hold; restore the triggers from the "
                 "schema and find out who dropped or replaced them)",
                 several ? "s" : "", r.missing_triggers, several ? "are" : "is",
                 several ? "them" : "it");
        field = "trigger";
        snprintf(value, sizeof(value), "%s", missing);
    }
    *report = r;
    if (r.intact)
        return PH_OK;
    return ph_error_set(err, PH_ESTORE, field, value, "%s", r.problem);
}

/* Every read of one verification sees one snapshot: the walk, the
 * checkpoints, the hashes they sign and the triggers. Without it a
 * checkpoint committed by another connection between the walk and the
 * checkpoint check would sign an entry the walk never saw (a false alarm).
 * Inside the caller's transaction, that transaction's snapshot is used. */
ph_status access_verify(ph_store *store, const char *head, int64_t count,
                        const access_keys *keys, ph_audit_report *report, ph_error *err)
{
    if (ph_store_in_transaction(store))
        return verify_parsed(store, head, count, keys, report, err);
    ph_status st = ph_store_begin_read(store, err);
    if (st != PH_OK)
        return st;
    st = verify_parsed(store, head, count, keys, report, err);
    /* a read transaction: nothing to keep, and the verdict is in err */
    ph_status end = ph_store_rollback(store, st == PH_OK ? err : NULL);
    return st != PH_OK ? st : end;
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
    access_keys keys;
    int keyed = anchor != NULL && anchor->public_key != NULL;
    if (keyed) {
        ph_status st = access_parse_public_keys(anchor->public_key, &keys, err);
        if (st != PH_OK)
            return st;
    }
    return access_verify(store, head, count, keyed ? &keys : NULL, report, err);
}
