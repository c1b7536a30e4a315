/*
 * The sweep, the check and the lookup of anchored records (anchor.h).
 * evidence_anchor is this module's table; consents, decisions and the
 * access log are read through their owners' functions only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchor/anchor_internal.h"

/* One record to anchor: its source, key and the leaf given to it. */
typedef struct pending {
    const char *source;
    int64_t key;
    uint64_t leaf_index;
} pending;

typedef struct sweep {
    ph_store *store;
    const ph_ctx *ctx;
    ph_evidence_log *log;
    ph_anchor_report *report;
    int64_t max_grant, max_decision, max_head;
    int64_t *revoked; /* consent ids whose revocation is anchored, ascending */
    size_t n_revoked;
    pending *items;
    size_t n, cap;
    int64_t *decision_ids; /* newest first, as listed */
    size_t n_ids, cap_ids;
} sweep;

static ph_status require(ph_store *store, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "no store");
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "anchoring runs its own transaction: none may be open");
    return ph_store_require_schema(store, ANCHOR_SCHEMA, "the evidence anchors", err);
}

static int grow(const ph_ctx *ctx, void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap * 2 : 256;
    while (cap2 < need)
        cap2 *= 2;
    void *p = ph_realloc(ctx, *items, cap2 * size);
    if (p == NULL)
        return -1;
    *items = p;
    *cap = cap2;
    return 0;
}

/* Append one leaf and remember which record it holds. */
static ph_status append(sweep *s, const char *source, int64_t key, anchor_leaf *leaf,
                        ph_error *err)
{
    uint64_t index = 0;
    ph_status st = ph_evidence_append(s->log, leaf->data, leaf->len, &index, err);
    ph_free(s->ctx, leaf->data);
    leaf->data = NULL;
    if (st != PH_OK)
        return st;
    if (grow(s->ctx, (void **)&s->items, &s->cap, s->n + 1, sizeof(pending)) != 0)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (s->report->leaves == 0)
        s->report->first_leaf = index;
    s->report->leaves++;
    s->items[s->n++] = (pending){source, key, index};
    return PH_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The marks: the highest key anchored per source, and the set of consents
 * whose revocation is anchored. */
static ph_status read_marks(sweep *s, ph_error *err)
{
    ph_stmt *q = NULL;
    ph_status st = ph_store_prepare(
        s->store, "SELECT source, MAX(record) FROM evidence_anchor GROUP BY source", &q, err);
    while (st == PH_OK && (st = ph_stmt_step(q, err)) == PH_OK) {
        const char *source = ph_stmt_column_text(q, 0);
        int64_t max = ph_stmt_column_int64(q, 1);
        if (strcmp(source, ANCHOR_GRANT) == 0)
            s->max_grant = max;
        else if (strcmp(source, ANCHOR_DECISION) == 0)
            s->max_decision = max;
        else if (strcmp(source, ANCHOR_HEAD) == 0)
            s->max_head = max;
    }
    ph_stmt_free(q);
    if (st != PH_DONE)
        return st;
    size_t cap = 0;
    st = ph_store_prepare(s->store,
                          "SELECT record FROM evidence_anchor WHERE source = '" ANCHOR_REVOKE
                          "' ORDER BY record",
                          &q, err);
    while (st == PH_OK && (st = ph_stmt_step(q, err)) == PH_OK) {
        if (grow(s->ctx, (void **)&s->revoked, &cap, s->n_revoked + 1, sizeof(int64_t)) != 0) {
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
            break;
        }
        s->revoked[s->n_revoked++] = ph_stmt_column_int64(q, 0);
    }
    ph_stmt_free(q);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status on_consent(void *user, const ph_consent *c, ph_error *err)
{
    sweep *s = user;
    anchor_leaf leaf = {0};
    ph_status st = PH_OK;
    if (c->id > s->max_grant) {
        st = anchor_consent_leaf(s->ctx, c, 0, &leaf, err);
        if (st == PH_OK)
            st = append(s, ANCHOR_GRANT, c->id, &leaf, err);
        if (st == PH_OK)
            s->report->grants++;
    }
    if (st == PH_OK && c->revoked_at != NULL &&
        (s->n_revoked == 0 ||
         bsearch(&c->id, s->revoked, s->n_revoked, sizeof(int64_t), cmp_i64) == NULL)) {
        st = anchor_consent_leaf(s->ctx, c, 1, &leaf, err);
        if (st == PH_OK)
            st = append(s, ANCHOR_REVOKE, c->id, &leaf, err);
        if (st == PH_OK)
            s->report->revocations++;
    }
    return st;
}

/* Decisions are listed newest first: collect the ids above the mark, then
 * anchor them oldest first so the log keeps the order they were made in. */
static ph_status on_decision_id(void *user, const ph_market_decision *d, ph_error *err)
{
    sweep *s = user;
    if (d->id <= s->max_decision)
        return PH_DONE;
    if (grow(s->ctx, (void **)&s->decision_ids, &s->cap_ids, s->n_ids + 1, sizeof(int64_t)) !=
        0)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    s->decision_ids[s->n_ids++] = d->id;
    return PH_OK;
}

typedef struct decision_leaf_job {
    ph_store *store;
    anchor_leaf *leaf;
} decision_leaf_job;

static ph_status on_decision(void *user, const ph_market_decision *d, ph_error *err)
{
    decision_leaf_job *job = user;
    char *trace = NULL;
    ph_status st = ph_market_decision_trace(job->store, d->id, &trace, err);
    if (st == PH_OK)
        st = anchor_decision_leaf(ph_store_ctx(job->store), d, trace, job->leaf, err);
    ph_free(ph_store_ctx(job->store), trace);
    return st;
}

/* The leaf of decision id as the store has it now. */
static ph_status decision_leaf(ph_store *store, int64_t id, anchor_leaf *leaf, ph_error *err)
{
    decision_leaf_job job = {store, leaf};
    return ph_market_decision_get(store, id, on_decision, &job, err);
}

static ph_status sweep_decisions(sweep *s, ph_error *err)
{
    ph_status st = ph_market_decisions_list(s->store, NULL, on_decision_id, s, err);
    if (st != PH_OK && st != PH_DONE)
        return st;
    for (size_t i = s->n_ids; i-- > 0;) {
        anchor_leaf leaf = {0};
        st = decision_leaf(s->store, s->decision_ids[i], &leaf, err);
        if (st == PH_OK)
            st = append(s, ANCHOR_DECISION, s->decision_ids[i], &leaf, err);
        if (st != PH_OK)
            return st;
        s->report->decisions++;
    }
    return PH_OK;
}

typedef struct head {
    int64_t seq;
    char hash[PH_AUDIT_HASH_HEX];
} head;

static ph_status on_entry(void *user, const ph_audit_entry *e, ph_error *err)
{
    (void)err;
    head *h = user;
    h->seq = e->seq;
    snprintf(h->hash, sizeof(h->hash), "%s", e->hash);
    return PH_DONE;
}

/* The access log's entry seq (0: its newest). */
static ph_status read_head(ph_store *store, int64_t seq, head *h, ph_error *err)
{
    ph_audit_filter f = {.limit = 1, .before = seq > 0 ? seq + 1 : 0};
    h->seq = 0;
    h->hash[0] = '\0';
    ph_status st = ph_audit_list(store, &f, on_entry, h, err);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status sweep_head(sweep *s, ph_error *err)
{
    head h;
    ph_status st = read_head(s->store, 0, &h, err);
    if (st != PH_OK || h.seq <= s->max_head)
        return st;
    anchor_leaf leaf = {0};
    st = anchor_head_leaf(s->ctx, h.seq, h.hash, &leaf, err);
    if (st == PH_OK)
        st = append(s, ANCHOR_HEAD, h.seq, &leaf, err);
    if (st == PH_OK)
        s->report->heads = 1;
    return st;
}

static ph_status record_anchors(sweep *s, ph_error *err)
{
    if (s->n == 0)
        return PH_OK;
    ph_status st = ph_store_begin(s->store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *ins = NULL;
    st = ph_store_prepare(s->store,
                          "INSERT INTO evidence_anchor (source, record, leaf_index) "
                          "VALUES (?1, ?2, ?3)",
                          &ins, err);
    for (size_t i = 0; st == PH_OK && i < s->n; i++) {
        st = ph_stmt_bind_text_static(ins, 1, s->items[i].source, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(ins, 2, s->items[i].key, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(ins, 3, (int64_t)s->items[i].leaf_index, err);
        if (st == PH_OK)
            st = ph_stmt_step(ins, err);
        if (st == PH_DONE)
            st = ph_stmt_reset(ins, err);
    }
    ph_stmt_free(ins);
    if (st != PH_OK) {
        ph_store_rollback(s->store, NULL);
        return st;
    }
    return ph_store_commit(s->store, err);
}

ph_status ph_anchor_sweep(ph_store *store, ph_evidence_log *log, ph_anchor_report *report,
                          ph_error *err)
{
    ph_status st = require(store, err);
    if (st != PH_OK)
        return st;
    if (log == NULL || report == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "no evidence log or report");
    memset(report, 0, sizeof(*report));
    sweep s = {.store = store, .ctx = ph_store_ctx(store), .log = log, .report = report};
    st = read_marks(&s, err);
    if (st == PH_OK)
        st = ph_consent_list(store, NULL, on_consent, &s, err);
    if (st == PH_OK)
        st = sweep_decisions(&s, err);
    if (st == PH_OK)
        st = sweep_head(&s, err);
    /* the leaves are durable before any anchor names them */
    if (st == PH_OK)
        st = ph_evidence_commit(log, err);
    else
        (void)ph_evidence_rollback(log, NULL); /* no leaf of a failed sweep is kept */
    if (st == PH_OK)
        st = record_anchors(&s, err);
    ph_free(s.ctx, s.revoked);
    ph_free(s.ctx, s.items);
    ph_free(s.ctx, s.decision_ids);
    return st;
}

/* ---- the check -------------------------------------------------------------------------- */

typedef struct consent_probe {
    const ph_ctx *ctx;
    int revocation;
    int found;
    anchor_leaf *leaf;
} consent_probe;

static ph_status on_consent_probe(void *user, const ph_consent *c, ph_error *err)
{
    consent_probe *p = user;
    p->found = 1;
    if (p->revocation && c->revoked_at == NULL)
        return PH_OK; /* no longer revoked: reported as a mismatch */
    return anchor_consent_leaf(p->ctx, c, p->revocation, p->leaf, err);
}

/* Rebuild the leaf of one anchored record; *problem is set (and leaf left
 * empty) when the record is gone. */
static ph_status rebuild(ph_store *store, const char *source, int64_t key, anchor_leaf *leaf,
                         const char **problem, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    *problem = NULL;
    if (strcmp(source, ANCHOR_GRANT) == 0 || strcmp(source, ANCHOR_REVOKE) == 0) {
        consent_probe p = {ctx, strcmp(source, ANCHOR_REVOKE) == 0, 0, leaf};
        ph_consent_filter f = {.id = key};
        ph_status st = ph_consent_list(store, &f, on_consent_probe, &p, err);
        if (st == PH_OK && !p.found)
            *problem = "the consent is no longer in the store";
        else if (st == PH_OK && leaf->data == NULL)
            *problem = "the consent is no longer revoked";
        return st;
    }
    if (strcmp(source, ANCHOR_DECISION) == 0) {
        ph_status st = decision_leaf(store, key, leaf, err);
        if (st == PH_ENOTFOUND) {
            ph_error_clear(err);
            *problem = "the decision is no longer in the store";
            return PH_OK;
        }
        return st;
    }
    if (strcmp(source, ANCHOR_HEAD) == 0) {
        head h;
        ph_status st = read_head(store, key, &h, err);
        if (st == PH_OK && h.seq != key) {
            *problem = "the access log no longer has this entry";
            return PH_OK;
        }
        return st == PH_OK ? anchor_head_leaf(ctx, h.seq, h.hash, leaf, err) : st;
    }
    *problem = "an unknown source";
    return PH_OK;
}

ph_status ph_anchor_check(ph_store *store, ph_evidence_log *log, ph_anchor_mismatch_fn fn,
                          void *user, int64_t *checked, int64_t *mismatches, ph_error *err)
{
    ph_status st = require(store, err);
    if (st != PH_OK)
        return st;
    if (log == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "no evidence log or callback");
    const ph_ctx *ctx = ph_store_ctx(store);
    int64_t n_checked = 0, n_bad = 0;
    ph_stmt *q = NULL;
    /* a snapshot of the anchors first: the rebuilds read other tables */
    st = ph_store_prepare(store,
                          "SELECT source, record, leaf_index FROM evidence_anchor "
                          "ORDER BY leaf_index",
                          &q, err);
    while (st == PH_OK && (st = ph_stmt_step(q, err)) == PH_OK) {
        char source[32];
        snprintf(source, sizeof(source), "%s", ph_stmt_column_text(q, 0));
        int64_t key = ph_stmt_column_int64(q, 1);
        uint64_t index = (uint64_t)ph_stmt_column_int64(q, 2);
        anchor_leaf leaf = {0};
        const char *problem = NULL;
        st = rebuild(store, source, key, &leaf, &problem, err);
        uint8_t want[PH_EVIDENCE_HASH], have[PH_EVIDENCE_HASH];
        if (st == PH_OK && problem == NULL) {
            if (index >= ph_evidence_size(log)) {
                problem = "the evidence log has no such leaf";
            } else {
                st = ph_evidence_leaf_hash(log, index, have, err);
                ph_merkle_leaf_hash(leaf.data, leaf.len, want);
                if (st == PH_OK && memcmp(want, have, sizeof(want)) != 0)
                    problem = "the record was changed after it was anchored: its leaf no "
                              "longer hashes to the logged one";
            }
        }
        ph_free(ctx, leaf.data);
        n_checked++;
        if (st == PH_OK && problem != NULL) {
            n_bad++;
            ph_anchor_mismatch m = {source, key, index, problem};
            st = fn(user, &m, err);
        }
    }
    ph_stmt_free(q);
    if (st != PH_DONE)
        return st;
    if (checked != NULL)
        *checked = n_checked;
    if (mismatches != NULL)
        *mismatches = n_bad;
    return PH_OK;
}

ph_status ph_anchor_find(ph_store *store, const char *source, int64_t key, uint64_t *leaf_index,
                         ph_error *err)
{
    if (store == NULL || source == NULL || leaf_index == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "NULL argument");
    ph_status st = ph_store_require_schema(store, ANCHOR_SCHEMA, "the evidence anchors", err);
    ph_stmt *q = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT leaf_index FROM evidence_anchor "
                              "WHERE source = ?1 AND record = ?2",
                              &q, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(q, 1, source, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(q, 2, key, err);
    if (st == PH_OK)
        st = ph_stmt_step(q, err);
    if (st == PH_OK)
        *leaf_index = (uint64_t)ph_stmt_column_int64(q, 0);
    ph_stmt_free(q);
    if (st == PH_DONE) {
        char v[64];
        snprintf(v, sizeof(v), "%s %lld", source, (long long)key);
        return ph_error_set(err, PH_ENOTFOUND, "key", v, "this record was never anchored");
    }
    return st;
}
