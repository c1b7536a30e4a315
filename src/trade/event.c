/*
 * The trade events and their evidence leaves (trade_internal.h).
 *
 * A leaf is compact JSON with its keys in one fixed order and money as a
 * decimal string of yuan with two places (never a float), so the bytes are
 * a function of the stored row alone: ph_order_event_leaf and
 * ph_receipt_event_leaf rebuild them, and a row edited after the fact no
 * longer hashes to the leaf the log holds.
 *
 * Order of writes (include/puhui/evidence.h): append the leaf, store its
 * index in the row, commit the log, commit the store. The log may then hold
 * a leaf the store rolled back, never the reverse.
 */
#include <stdio.h>
#include <string.h>

#include "puhui/enterprise.h"
#include "trade_internal.h"

void trade_money(ph_money m, char buf[PH_MONEY_FORMAT_MAX])
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, PH_MONEY_FORMAT_MAX, NULL) != PH_OK)
        snprintf(buf, PH_MONEY_FORMAT_MAX, "?");
}

void trade_day(ph_date d, char buf[PH_DATE_FORMAT_MAX])
{
    if (ph_date_format(d, buf, PH_DATE_FORMAT_MAX, NULL) != PH_OK)
        snprintf(buf, PH_DATE_FORMAT_MAX, "?");
}

void trade_percent(ph_rate r, char buf[PH_RATE_FORMAT_MAX])
{
    /* r is 1e-8; a percentage with 2 places is r / 1e4, rounded half-up */
    int64_t hundredths = (r >= 0 ? r + 5000 : r - 5000) / 10000;
    int64_t a = hundredths < 0 ? -hundredths : hundredths;
    snprintf(buf, PH_RATE_FORMAT_MAX, "%s%lld.%02lld%%", hundredths < 0 ? "-" : "",
             (long long)(a / 100), (long long)(a % 100));
}

/* A growing byte buffer for one leaf. */
typedef struct leafbuf {
    const ph_ctx *ctx;
    char *data;
    size_t len, cap;
    int failed;
} leafbuf;

static void put(leafbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = ph_realloc(b->ctx, b->data, cap);
        if (grown == NULL) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void puts_(leafbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A JSON string: quote, backslash and control bytes escaped; other bytes
 * (UTF-8 included) as they are. */
static void put_string(leafbuf *b, const char *s)
{
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p != '\0'; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(b, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof(esc), "\\u%04x", *p);
            put(b, esc, 6);
        } else {
            put(b, (const char *)p, 1);
        }
    }
    put(b, "\"", 1);
}

ph_status trade_leaf(const ph_ctx *ctx, const char *kind, const trade_event *e, char **out,
                     size_t *len, ph_error *err)
{
    if (ctx == NULL || kind == NULL || e == NULL || out == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "trade leaf: NULL argument");
    char day[PH_DATE_FORMAT_MAX], money[PH_MONEY_FORMAT_MAX], type[64];
    ph_status st = ph_date_format(e->on, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_money_format(e->amount, 0, money, sizeof(money), err);
    if (st != PH_OK)
        return st;
    snprintf(type, sizeof(type), "%s.%s", kind, e->type ? e->type : "");
    char seq[32];
    snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
    leafbuf b = {ctx, NULL, 0, 0, 0};
    puts_(&b, "{\"type\":");
    put_string(&b, type);
    puts_(&b, ",\"seq\":");
    puts_(&b, seq);
    puts_(&b, ",\"id\":");
    put_string(&b, e->subject);
    puts_(&b, ",\"on\":");
    put_string(&b, day);
    puts_(&b, ",\"actor\":");
    put_string(&b, e->actor);
    puts_(&b, ",\"counterparty\":");
    put_string(&b, e->counterparty);
    puts_(&b, ",\"amount\":");
    put_string(&b, money);
    /* the detail is a JSON object this module wrote (canonical: keys in a
     * fixed order, no spaces), taken as it is stored */
    puts_(&b, ",\"detail\":");
    puts_(&b, e->detail != NULL && e->detail[0] != '\0' ? e->detail : "{}");
    puts_(&b, "}");
    if (b.failed) {
        ph_free(ctx, b.data);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory building a leaf");
    }
    *out = b.data;
    *len = b.len;
    return PH_OK;
}

ph_status trade_event_write(ph_store *store, ph_evidence_log *log, const char *table,
                            const char *kind, const trade_event *given, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    int64_t leaf_index = -1;
    /* the seq is taken before the insert (max + 1 inside the write
     * transaction) because the leaf covers it and the row is never updated */
    trade_event copy = *given;
    const trade_event *e = &copy;
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT coalesce(max(seq), 0) + 1 FROM %s", table);
    ph_stmt *q = NULL;
    ph_status sst = ph_store_prepare(store, sql, &q, err);
    if (sst == PH_OK)
        sst = ph_stmt_step(q, err);
    if (sst == PH_OK)
        copy.seq = ph_stmt_column_int64(q, 0);
    ph_stmt_free(q);
    if (sst != PH_OK)
        return sst;
    if (log != NULL) {
        char *leaf = NULL;
        size_t len = 0;
        ph_status st = trade_leaf(ctx, kind, e, &leaf, &len, err);
        if (st != PH_OK)
            return st;
        uint64_t index = 0;
        st = ph_evidence_append(log, leaf, len, &index, err);
        ph_free(ctx, leaf);
        if (st != PH_OK)
            return st;
        leaf_index = (int64_t)index;
    }
    char day[PH_DATE_FORMAT_MAX];
    ph_status st = ph_date_format(e->on, day, sizeof(day), err);
    if (st != PH_OK)
        return st;
    snprintf(sql, sizeof(sql),
             "INSERT INTO %s (subject, type, on_day, actor, counterparty, amount, detail, "
             "leaf_index, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             table);
    ph_stmt *s = NULL;
    st = ph_store_prepare(store, sql, &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, e->subject, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, e->type, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, e->actor ? e->actor : "", -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 5, e->counterparty ? e->counterparty : "", -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 6, e->amount, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 7, e->detail ? e->detail : "", -1, err);
    if (st == PH_OK)
        st = leaf_index < 0 ? ph_stmt_bind_null(s, 8, err)
                            : ph_stmt_bind_int64(s, 8, leaf_index, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 9, e->seq, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status trade_finish(ph_store *store, ph_evidence_log *log, ph_status st, ph_error *err)
{
    if (st != PH_OK && log != NULL)
        (void)ph_evidence_rollback(log, NULL); /* the failed operation's leaves go too */
    if (st == PH_OK && log != NULL)
        st = ph_evidence_commit(log, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        ph_store_rollback(store, NULL);
    return st;
}

ph_status trade_limit_get(ph_store *store, const char *name, ph_rate *out, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, "SELECT rate FROM trade_limit WHERE name = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, name, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK)
        *out = ph_stmt_column_int64(s, 0);
    else if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "trade_limit", name,
                          "expected the limit in table trade_limit");
    ph_stmt_free(s);
    return st;
}

ph_status trade_check_lender(ph_store *store, const char *field, const char *id, ph_error *err)
{
    char kind[PH_INSTITUTION_KIND_MAX];
    int found = 0;
    ph_status st = ph_institution_kind(store, id, kind, &found, err);
    if (st != PH_OK)
        return st;
    if (!found)
        return ph_error_set(err, PH_EINVAL, field, id, "expected a registered institution");
    if (ph_institution_kind_lends(kind))
        return PH_OK;
    return ph_error_set(err, PH_EINVAL, field, id,
                        "expected a lender (a bank, micro-lender or digital bank); it is a %s",
                        kind);
}

ph_status trade_check_firm(ph_store *store, const char *field, const char *uscc, ph_error *err)
{
    int found = 0;
    ph_status st = ph_enterprise_exists(store, uscc, &found, err);
    if (st == PH_OK && !found)
        st = ph_error_set(err, PH_EINVAL, field, uscc, "expected a registered firm");
    return st;
}

ph_status trade_check_buyer(ph_store *store, const char *field, const char *uscc,
                            ph_error *err)
{
    /* the buyer who confirms an order is most often a core enterprise, which
     * the platform knows as an institution, not a registered small firm */
    char kind[PH_INSTITUTION_KIND_MAX] = "";
    int firm = 0, institution = 0;
    ph_status st = ph_enterprise_exists(store, uscc, &firm, err);
    if (st == PH_OK && !firm)
        st = ph_institution_kind(store, uscc, kind, &institution, err);
    if (st == PH_OK && !firm && (!institution || strcmp(kind, "core_enterprise") != 0))
        st = ph_error_set(err, PH_EINVAL, field, uscc,
                          "expected a registered firm or a core enterprise");
    return st;
}

ph_status trade_events(ph_store *store, const char *table, const char *subject,
                       trade_event_row_fn fn, void *user, ph_error *err)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT seq, subject, type, on_day, actor, counterparty, amount, detail, "
             "leaf_index FROM %s %s ORDER BY seq",
             table, subject ? "WHERE subject = ?" : "");
    ph_stmt *s = NULL;
    ph_status st = ph_store_require_schema(store, TRADE_SCHEMA, "order financing and "
                                           "warehouse receipts", err);
    if (st == PH_OK)
        st = ph_store_prepare(store, sql, &s, err);
    if (st == PH_OK && subject != NULL)
        st = ph_stmt_bind_text(s, 1, subject, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        trade_event e;
        const char *day = ph_stmt_column_text(s, 3);
        if (ph_date_parse(day, strlen(day), &e.on, err) != PH_OK) {
            st = PH_EINVAL;
            break;
        }
        e.subject = ph_stmt_column_text(s, 1);
        e.type = ph_stmt_column_text(s, 2);
        e.actor = ph_stmt_column_text(s, 4);
        e.counterparty = ph_stmt_column_text(s, 5);
        e.amount = ph_stmt_column_int64(s, 6);
        e.detail = ph_stmt_column_text(s, 7);
        e.seq = ph_stmt_column_int64(s, 0);
        int64_t leaf = ph_stmt_column_is_null(s, 8) ? -1 : ph_stmt_column_int64(s, 8);
        st = fn(user, ph_stmt_column_int64(s, 0), &e, leaf, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* ---- proving: the rows' leaves rebuilt and claimed (evidence.h), then the state --------- */

typedef struct prove_state {
    const ph_ctx *ctx;
    const char *table, *kind;
    ph_evidence_claims *claims;
    trade_event *ev;  /* the events checked, their strings owned */
    size_t n, cap;
    int failed;
} prove_state;

static char *dup(prove_state *p, const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d = ph_malloc(p->ctx, n + 1);
    if (d == NULL) {
        p->failed = 1;
        return NULL;
    }
    memcpy(d, s ? s : "", n + 1);
    return d;
}

static void free_events(prove_state *p)
{
    for (size_t i = 0; i < p->n; i++) {
        trade_event *e = &p->ev[i];
        ph_free(p->ctx, (char *)e->subject);
        ph_free(p->ctx, (char *)e->type);
        ph_free(p->ctx, (char *)e->actor);
        ph_free(p->ctx, (char *)e->counterparty);
        ph_free(p->ctx, (char *)e->detail);
    }
    ph_free(p->ctx, p->ev);
}

static ph_status prove_one(void *user, int64_t seq, const trade_event *e, int64_t leaf_index,
                           ph_error *err)
{
    prove_state *p = user;
    char key[24], what[200];
    snprintf(key, sizeof(key), "%lld", (long long)seq);
    snprintf(what, sizeof(what), "event %s (%s of %s %s)", key, e->type, p->kind, e->subject);
    char *leaf = NULL;
    size_t len = 0;
    ph_status st = trade_leaf(p->ctx, p->kind, e, &leaf, &len, err);
    if (st == PH_OK)
        st = ph_evidence_claims_check(p->claims, leaf_index, leaf, len, p->table, key, what, err);
    ph_free(p->ctx, leaf);
    if (st != PH_OK)
        return st;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        trade_event *grown = ph_realloc(p->ctx, p->ev, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        p->ev = grown;
        p->cap = cap;
    }
    trade_event *c = &p->ev[p->n++];
    *c = *e;
    c->subject = dup(p, e->subject);
    c->type = dup(p, e->type);
    c->actor = dup(p, e->actor);
    c->counterparty = dup(p, e->counterparty);
    c->detail = dup(p, e->detail);
    return p->failed ? ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory") : PH_OK;
}

ph_status trade_differs(const char *table, const char *key, const char *what,
                        const char *column, const char *stored, const char *logged,
                        ph_error *err)
{
    return ph_error_set(err, PH_EVERIFY, table, key,
                        "%s: %s is %s in the store but the logged events give %s", what, column,
                        stored != NULL && stored[0] ? stored : "(none)",
                        logged != NULL && logged[0] ? logged : "(none)");
}

ph_status trade_cmp_text(const char *table, const char *key, const char *what,
                         const char *column, const char *stored, const char *logged,
                         ph_error *err)
{
    stored = stored ? stored : "";
    logged = logged ? logged : "";
    return strcmp(stored, logged) == 0
               ? PH_OK
               : trade_differs(table, key, what, column, stored, logged, err);
}

/* v as text by kind: 'm' money in yuan, 'd' a date, otherwise decimal. */
static void number_text(char kind, int64_t v, char *buf, size_t cap)
{
    if (kind == 'm')
        trade_money(v, buf);
    else if (kind == 'd')
        trade_day((ph_date)v, buf);
    else
        snprintf(buf, cap, "%lld", (long long)v);
}

static ph_status cmp_number(const char *table, const char *key, const char *what,
                            const char *column, char kind, int64_t stored, int64_t logged,
                            ph_error *err)
{
    if (stored == logged)
        return PH_OK;
    char a[PH_MONEY_FORMAT_MAX + PH_DATE_FORMAT_MAX + 24], b[sizeof(a)];
    number_text(kind, stored, a, sizeof(a));
    number_text(kind, logged, b, sizeof(b));
    return trade_differs(table, key, what, column, a, b, err);
}

ph_status trade_cmp_int(const char *table, const char *key, const char *what,
                        const char *column, int64_t stored, int64_t logged, ph_error *err)
{
    return cmp_number(table, key, what, column, 'i', stored, logged, err);
}

ph_status trade_cmp_money(const char *table, const char *key, const char *what,
                          const char *column, ph_money stored, ph_money logged, ph_error *err)
{
    return cmp_number(table, key, what, column, 'm', stored, logged, err);
}

ph_status trade_cmp_day(const char *table, const char *key, const char *what,
                        const char *column, ph_date stored, ph_date logged, ph_error *err)
{
    return cmp_number(table, key, what, column, 'd', stored, logged, err);
}

ph_status trade_detail_load(const char *table, const trade_event *e, json_t **d, ph_error *err)
{
    char name[32];
    snprintf(name, sizeof(name), "%s.detail", table);
    const char *text = e->detail && e->detail[0] ? e->detail : "{}";
    *d = NULL;
    ph_status st = pjson_load_text(text, strlen(text), name, d, err);
    if (st == PH_OK && !json_is_object(*d))
        st = ph_error_set(err, PH_EVERIFY, table, text,
                          "event %lld: the detail is not a JSON object", (long long)e->seq);
    return st;
}

ph_status trade_prove(ph_store *store, ph_evidence_log *log, const char *table, const char *kind,
                      const char *id, uint64_t size, const char *bundle_path, size_t *leaves,
                      trade_state_fn state, ph_error *err)
{
    if (store == NULL || log == NULL || id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_%s_prove: NULL argument", kind);
    prove_state p = {.ctx = ph_store_ctx(store), .table = table, .kind = kind};
    ph_status st = ph_evidence_claims_new(log, size, &p.claims, err);
    /* one snapshot of the store for the whole walk */
    int own = st == PH_OK && !ph_store_in_transaction(store);
    if (own)
        st = ph_store_begin_read(store, err);
    if (st == PH_OK)
        st = trade_events(store, table, id, prove_one, &p, err);
    if (st == PH_OK && ph_evidence_claims_count(p.claims) == 0)
        st = ph_error_set(err, PH_ENOTFOUND, kind, id,
                          "no events of this %s to prove: expected a known %s id", kind, kind);
    /* the rows' state against what the logged events give */
    if (st == PH_OK && state != NULL)
        st = state(store, id, p.ev, p.n, err);
    if (own)
        (void)ph_store_rollback(store, NULL);
    if (st == PH_OK && bundle_path != NULL)
        st = ph_evidence_claims_bundle(p.claims, bundle_path, err);
    if (st == PH_OK && leaves != NULL)
        *leaves = ph_evidence_claims_count(p.claims);
    ph_evidence_claims_free(p.claims);
    free_events(&p);
    return st;
}
