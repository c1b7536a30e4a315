/*
 * Proving a voucher tree's state, not only its event rows (voucher.h,
 * ph_voucher_prove).
 *
 * The evidence log holds the events; the store holds the parts, their
 * financing and their settlement, and those rows are what a settlement
 * pays from. A proof that checked only the event rows would pass while
 * someone with the database moved a part to another firm (dropping the
 * frozen trigger) or deleted an event. So after every event's leaf is
 * checked against the log (event.c), the events - now known to be the
 * logged ones - are replayed from the issue: each part's id, parent,
 * holder, face, tier, status, creation day, financing and settlement are
 * rebuilt from what the leaves say, and compared with the rows. A part
 * row no logged event creates, a part the events create that has no row,
 * a status the events do not lead to (a deleted event: financed with no
 * finance event) or any column that differs is PH_EVERIFY naming the part
 * and the column:
 *   "part V000004: holder_uscc is X in the store but the logged events give Y"
 *
 * The events carry every value compared: the detail has the
 * holder, face, maturity, grade, payable reference and tier; a split's the
 * parts and their amounts; a transfer's the new part and its tier (the
 * recipient is the counterparty); a finance's the lender, rate, days,
 * discount and advance; a settle's whom it paid, the maturity and the days
 * late. The details are canonical JSON written by this module and covered
 * by the leaf, so they are read with jansson only after the leaf matched.
 */
#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"
#include "voucher/voucher_internal.h"

/* One part as the logged events make it. */
typedef struct rpart {
    ph_voucher v;
    int settled;            /* a settle event paid it */
    char paid_to[PH_VOUCHER_PARTY_MAX];
    ph_date paid_on;
    int64_t days_late;
    ph_money paid;
    int seen;               /* a store row matched it */
    int settle_seen;        /* a settlement row matched its settle event */
} rpart;

/* One event as read, its strings owned. */
typedef struct revent {
    ph_voucher_event e;
    char *detail;
} revent;

typedef struct replay {
    const ph_ctx *ctx;
    ph_evidence_claims *claims;
    revent *ev;
    size_t n_ev, cap_ev;
    rpart *parts;
    size_t n, cap;
    char root[PH_VOUCHER_ID_MAX];
} replay;

static void replay_free(replay *r)
{
    for (size_t i = 0; i < r->n_ev; i++)
        ph_free(r->ctx, r->ev[i].detail);
    ph_free(r->ctx, r->ev);
    ph_free(r->ctx, r->parts);
}

static const char *day_text(ph_date d, char *buf)
{
    return voucher_day(d, buf);
}

/* ---- gathering and checking the events ------------------------------------------------- */

static ph_status take(void *user, const ph_voucher_event *e, ph_error *err)
{
    replay *r = user;
    char seq[24], what[160];
    snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
    snprintf(what, sizeof(what), "event %s (%s of voucher %s)", seq, e->type, e->voucher_id);
    char *leaf = NULL;
    size_t len = 0;
    ph_status st = ph_voucher_event_leaf(r->ctx, e, &leaf, &len, err);
    if (st == PH_OK)
        st = ph_evidence_claims_check(r->claims, e->leaf_index, leaf, len, "voucher_event", seq,
                                      what, err);
    ph_free(r->ctx, leaf);
    if (st != PH_OK)
        return st;
    if (r->n_ev == r->cap_ev) {
        size_t cap = r->cap_ev ? 2 * r->cap_ev : 16;
        revent *grown = ph_realloc(r->ctx, r->ev, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        r->ev = grown;
        r->cap_ev = cap;
    }
    revent *x = &r->ev[r->n_ev];
    x->e = *e;
    const char *d = e->detail ? e->detail : "";
    x->detail = ph_malloc(r->ctx, strlen(d) + 1);
    if (x->detail == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    memcpy(x->detail, d, strlen(d) + 1);
    x->e.detail = x->detail;
    r->n_ev++;
    return PH_OK;
}

/* ---- replaying ------------------------------------------------------------------------------ */

static rpart *find(replay *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->parts[i].v.id, id) == 0)
            return &r->parts[i];
    return NULL;
}

static ph_status add_part(replay *r, const ph_voucher *v, ph_error *err)
{
    if (find(r, v->id) != NULL)
        return ph_error_set(err, PH_EVERIFY, "voucher", v->id,
                            "part %s: the logged events create it twice", v->id);
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        rpart *grown = ph_realloc(r->ctx, r->parts, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        r->parts = grown;
        r->cap = cap;
    }
    memset(&r->parts[r->n], 0, sizeof(r->parts[r->n]));
    r->parts[r->n++].v = *v;
    return PH_OK;
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

static ph_status get_day(const json_t *o, const char *key, ph_date *out, ph_error *err)
{
    const char *s = NULL;
    ph_status st = pjson_get_string(o, "detail", key, &s, err);
    return st == PH_OK ? ph_date_parse(s, strlen(s), out, err) : st;
}

/* The part an event acts on, which the events so far must show as one of
 * the statuses allowed (a bit mask of 1 << status). */
static ph_status acted_on(replay *r, const ph_voucher_event *e, unsigned allowed, rpart **out,
                          ph_error *err)
{
    rpart *p = find(r, e->voucher_id);
    if (p == NULL)
        return ph_error_set(err, PH_EVERIFY, "voucher", e->voucher_id,
                            "event %lld (%s of voucher %s): no logged event before it creates "
                            "part %s",
                            (long long)e->seq, e->type, e->voucher_id, e->voucher_id);
    if (!(allowed & (1u << p->v.status)))
        return ph_error_set(err, PH_EVERIFY, "voucher", e->voucher_id,
                            "event %lld (%s of voucher %s): the logged events before it leave "
                            "the part %s",
                            (long long)e->seq, e->type, e->voucher_id,
                            ph_voucher_status_name(p->v.status));
    *out = p;
    return PH_OK;
}

#define HELD (1u << PH_VOUCHER_HELD)
#define FINANCED (1u << PH_VOUCHER_FINANCED)

static ph_status apply(replay *r, const ph_voucher_event *e, const json_t *d, ph_error *err)
{
    rpart *p = NULL;
    ph_status st = PH_OK;
    if (strcmp(e->type, "issue") == 0) {
        if (strcmp(e->voucher_id, r->root) != 0 || r->n != 0)
            return ph_error_set(err, PH_EVERIFY, "voucher", e->voucher_id,
                                "event %lld issues voucher %s inside the tree of %s",
                                (long long)e->seq, e->voucher_id, r->root);
        ph_voucher v;
        memset(&v, 0, sizeof(v));
        const char *s = NULL;
        int64_t tier = 0;
        copy(v.id, sizeof(v.id), e->voucher_id);
        copy(v.root_id, sizeof(v.root_id), e->voucher_id);
        copy(v.issuer, sizeof(v.issuer), e->actor);
        v.face = e->amount;
        v.created_on = e->on;
        v.status = PH_VOUCHER_HELD;
        st = pjson_get_string(d, "detail", "holder", &s, err);
        if (st == PH_OK)
            copy(v.holder, sizeof(v.holder), s);
        if (st == PH_OK)
            st = get_day(d, "maturity", &v.maturity, err);
        if (st == PH_OK && (st = pjson_get_string(d, "detail", "grade", &s, err)) == PH_OK)
            copy(v.grade, sizeof(v.grade), s);
        if (st == PH_OK && (st = pjson_get_string(d, "detail", "payable_ref", &s, err)) == PH_OK)
            copy(v.payable_ref, sizeof(v.payable_ref), s);
        if (st == PH_OK && (st = pjson_get_int(d, "detail", "tier", &tier, err)) == PH_OK)
            v.tier = (int)tier;
        return st == PH_OK ? add_part(r, &v, err) : st;
    }
    if (strcmp(e->type, "split") == 0) {
        json_t *ids = NULL, *amounts = NULL;
        st = acted_on(r, e, HELD, &p, err);
        if (st == PH_OK)
            st = pjson_get_array(d, "detail", "parts", &ids, err);
        if (st == PH_OK)
            st = pjson_get_array(d, "detail", "amounts", &amounts, err);
        if (st == PH_OK && json_array_size(ids) != json_array_size(amounts))
            st = ph_error_set(err, PH_EVERIFY, "voucher", e->voucher_id,
                              "event %lld: the split names %zu parts and %zu amounts",
                              (long long)e->seq, json_array_size(ids), json_array_size(amounts));
        ph_voucher parent = p != NULL ? p->v : (ph_voucher){0};
        for (size_t i = 0; st == PH_OK && i < json_array_size(ids); i++) {
            const char *id = json_string_value(json_array_get(ids, i));
            const char *amount = json_string_value(json_array_get(amounts, i));
            ph_voucher c = parent;
            if (id == NULL || amount == NULL) {
                st = ph_error_set(err, PH_EVERIFY, "voucher", e->voucher_id,
                                  "event %lld: split part %zu is not a string", (long long)e->seq,
                                  i + 1);
                break;
            }
            st = ph_money_parse(amount, strlen(amount), &c.face, err);
            copy(c.id, sizeof(c.id), id);
            copy(c.parent_id, sizeof(c.parent_id), parent.id);
            c.created_on = e->on;
            c.status = PH_VOUCHER_HELD;
            if (st == PH_OK)
                st = add_part(r, &c, err);
        }
        if (st == PH_OK)
            find(r, e->voucher_id)->v.status = PH_VOUCHER_SPLIT;
        return st;
    }
    if (strcmp(e->type, "transfer") == 0) {
        const char *id = NULL;
        int64_t tier = 0;
        st = acted_on(r, e, HELD, &p, err);
        if (st == PH_OK)
            st = pjson_get_string(d, "detail", "part", &id, err);
        if (st == PH_OK)
            st = pjson_get_int(d, "detail", "tier", &tier, err);
        if (st != PH_OK)
            return st;
        ph_voucher c = p->v;
        copy(c.id, sizeof(c.id), id);
        copy(c.parent_id, sizeof(c.parent_id), p->v.id);
        copy(c.holder, sizeof(c.holder), e->counterparty);
        c.tier = (int)tier;
        c.created_on = e->on;
        c.status = PH_VOUCHER_HELD;
        p->v.status = PH_VOUCHER_TRANSFERRED;
        return add_part(r, &c, err);
    }
    if (strcmp(e->type, "finance") == 0) {
        const char *s = NULL;
        st = acted_on(r, e, HELD, &p, err);
        if (st == PH_OK && (st = pjson_get_string(d, "detail", "lender", &s, err)) == PH_OK)
            copy(p->v.lender, sizeof(p->v.lender), s);
        if (st == PH_OK && (st = pjson_get_string(d, "detail", "rate", &s, err)) == PH_OK)
            st = ph_rate_parse_percent(s, strlen(s), &p->v.rate, err);
        if (st == PH_OK)
            st = pjson_get_int(d, "detail", "days", &p->v.days, err);
        if (st == PH_OK)
            st = pjson_get_money(d, "detail", "discount", &p->v.discount, err);
        if (st == PH_OK)
            st = pjson_get_money(d, "detail", "advance", &p->v.advance, err);
        if (st == PH_OK) {
            p->v.financed_on = e->on;
            p->v.status = PH_VOUCHER_FINANCED;
        }
        return st;
    }
    if (strcmp(e->type, "settle") == 0) {
        const char *s = NULL;
        st = acted_on(r, e, HELD | FINANCED, &p, err);
        if (st == PH_OK && (st = pjson_get_string(d, "detail", "paid_to", &s, err)) == PH_OK)
            copy(p->paid_to, sizeof(p->paid_to), s);
        if (st == PH_OK)
            st = pjson_get_int(d, "detail", "days_late", &p->days_late, err);
        if (st == PH_OK) {
            p->settled = 1;
            p->paid_on = e->on;
            p->paid = e->amount;
            p->v.status = PH_VOUCHER_SETTLED;
        }
        return st;
    }
    return ph_error_set(err, PH_EVERIFY, "type", e->type, "event %lld: unknown event type",
                        (long long)e->seq);
}

static ph_status replay_events(replay *r, ph_error *err)
{
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < r->n_ev; i++) {
        const ph_voucher_event *e = &r->ev[i].e;
        json_t *d = NULL;
        const char *text = e->detail && e->detail[0] ? e->detail : "{}";
        st = pjson_load_text(text, strlen(text), "voucher_event.detail", &d, err);
        if (st == PH_OK && !json_is_object(d))
            st = ph_error_set(err, PH_EVERIFY, "detail", text,
                              "event %lld: the detail is not a JSON object", (long long)e->seq);
        if (st == PH_OK)
            st = apply(r, e, d, err);
        json_decref(d);
    }
    return st;
}

/* ---- comparing with the store ------------------------------------------------------------ */

static ph_status differs(const char *part, const char *column, const char *stored,
                         const char *logged, ph_error *err)
{
    return ph_error_set(err, PH_EVERIFY, "voucher", part,
                        "part %s: %s is %s in the store but the logged events give %s", part,
                        column, stored, logged);
}

static ph_status cmp_text(const char *part, const char *column, const char *stored,
                          const char *logged, ph_error *err)
{
    if (strcmp(stored, logged) == 0)
        return PH_OK;
    return differs(part, column, stored[0] ? stored : "(none)", logged[0] ? logged : "(none)",
                   err);
}

static ph_status cmp_int(const char *part, const char *column, int64_t stored, int64_t logged,
                         ph_error *err)
{
    if (stored == logged)
        return PH_OK;
    char a[24], b[24];
    snprintf(a, sizeof(a), "%lld", (long long)stored);
    snprintf(b, sizeof(b), "%lld", (long long)logged);
    return differs(part, column, a, b, err);
}

static ph_status cmp_money(const char *part, const char *column, ph_money stored,
                           ph_money logged, ph_error *err)
{
    if (stored == logged)
        return PH_OK;
    char a[PH_MONEY_FORMAT_MAX], b[PH_MONEY_FORMAT_MAX];
    return differs(part, column, voucher_yuan(stored, 0, a), voucher_yuan(logged, 0, b), err);
}

static ph_status cmp_day(const char *part, const char *column, ph_date stored, ph_date logged,
                         ph_error *err)
{
    if (stored == logged)
        return PH_OK;
    char a[PH_DATE_FORMAT_MAX], b[PH_DATE_FORMAT_MAX];
    return differs(part, column, day_text(stored, a), day_text(logged, b), err);
}

/* Every column of a part row against the part the events make. */
static ph_status cmp_part(const ph_voucher *s, const rpart *p, ph_error *err)
{
    const ph_voucher *l = &p->v;
    const char *id = s->id;
    ph_status st = cmp_text(id, "root_id", s->root_id, l->root_id, err);
    if (st == PH_OK)
        st = cmp_text(id, "parent_id", s->parent_id, l->parent_id, err);
    if (st == PH_OK)
        st = cmp_text(id, "issuer_uscc", s->issuer, l->issuer, err);
    if (st == PH_OK)
        st = cmp_money(id, "face", s->face, l->face, err);
    if (st == PH_OK)
        st = cmp_day(id, "maturity", s->maturity, l->maturity, err);
    if (st == PH_OK)
        st = cmp_text(id, "grade", s->grade, l->grade, err);
    if (st == PH_OK)
        st = cmp_text(id, "payable_ref", s->payable_ref, l->payable_ref, err);
    if (st == PH_OK)
        st = cmp_text(id, "holder_uscc", s->holder, l->holder, err);
    if (st == PH_OK)
        st = cmp_int(id, "tier", s->tier, l->tier, err);
    if (st == PH_OK)
        st = cmp_day(id, "created_on", s->created_on, l->created_on, err);
    if (st == PH_OK && s->status != l->status)
        st = differs(id, "status", ph_voucher_status_name(s->status),
                     ph_voucher_status_name(l->status), err);
    /* the financing row (voucher_financing), when either side has one */
    if (st == PH_OK)
        st = cmp_text(id, "financing lender", s->lender, l->lender, err);
    if (st == PH_OK && l->lender[0] != '\0') {
        st = cmp_day(id, "financing day", s->financed_on, l->financed_on, err);
        if (st == PH_OK && s->rate != l->rate) {
            char a[PH_RATE_FORMAT_MAX], b[PH_RATE_FORMAT_MAX];
            (void)ph_rate_format_percent(s->rate, a, sizeof(a), NULL);
            (void)ph_rate_format_percent(l->rate, b, sizeof(b), NULL);
            st = differs(id, "financing rate", a, b, err);
        }
        if (st == PH_OK)
            st = cmp_int(id, "financing days", s->days, l->days, err);
        if (st == PH_OK)
            st = cmp_money(id, "financing discount", s->discount, l->discount, err);
        if (st == PH_OK)
            st = cmp_money(id, "financing advance", s->advance, l->advance, err);
    }
    return st;
}

static ph_status compare_parts(ph_store *store, replay *r, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, VOUCHER_SELECT "WHERE v.root_id = ? ORDER BY v.seq",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, r->root, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_voucher v;
        st = voucher_row(s, &v, err);
        if (st != PH_OK)
            break;
        rpart *p = find(r, v.id);
        if (p == NULL) {
            st = ph_error_set(err, PH_EVERIFY, "voucher", v.id,
                              "part %s: the store holds it (held by %s, %s) but no logged event "
                              "creates it",
                              v.id, v.holder, ph_voucher_status_name(v.status));
            break;
        }
        p->seen = 1;
        st = cmp_part(&v, p, err);
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < r->n; i++)
        if (!r->parts[i].seen)
            st = ph_error_set(err, PH_EVERIFY, "voucher", r->parts[i].v.id,
                              "part %s: the logged events create it but the store has no row "
                              "for it in the tree of %s",
                              r->parts[i].v.id, r->root);
    return st;
}

/* The settlements (voucher_settlement) of the tree's parts against the
 * settle events: one row per settled part, with what the event says. */
static ph_status compare_settlements(ph_store *store, replay *r, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT t.voucher_id, t.issuer_uscc, t.paid_to, t.maturity, "
                                    "t.day, t.days_late, t.amount FROM voucher_settlement t "
                                    "JOIN voucher v ON v.id = t.voucher_id WHERE v.root_id = ? "
                                    "ORDER BY v.seq",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, r->root, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        const char *id = ph_stmt_column_text(s, 0);
        id = id ? id : "";
        rpart *p = find(r, id);
        if (p == NULL || !p->settled) {
            st = ph_error_set(err, PH_EVERIFY, "voucher", id,
                              "part %s: the store holds a settlement for it but no logged event "
                              "settles it",
                              id);
            break;
        }
        p->settle_seen = 1;
        const char *t;
        ph_date maturity = 0, on = 0;
        t = ph_stmt_column_text(s, 3);
        if (t == NULL || ph_date_parse(t, strlen(t), &maturity, NULL) != PH_OK)
            maturity = 0;
        t = ph_stmt_column_text(s, 4);
        if (t == NULL || ph_date_parse(t, strlen(t), &on, NULL) != PH_OK)
            on = 0;
        t = ph_stmt_column_text(s, 1);
        st = cmp_text(id, "settlement issuer_uscc", t ? t : "", p->v.issuer, err);
        t = ph_stmt_column_text(s, 2);
        if (st == PH_OK)
            st = cmp_text(id, "settlement paid_to", t ? t : "", p->paid_to, err);
        if (st == PH_OK)
            st = cmp_day(id, "settlement maturity", maturity, p->v.maturity, err);
        if (st == PH_OK)
            st = cmp_day(id, "settlement day", on, p->paid_on, err);
        if (st == PH_OK)
            st = cmp_int(id, "settlement days_late", ph_stmt_column_int64(s, 5), p->days_late,
                         err);
        if (st == PH_OK)
            st = cmp_money(id, "settlement amount", ph_stmt_column_int64(s, 6), p->paid, err);
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < r->n; i++)
        if (r->parts[i].settled && !r->parts[i].settle_seen)
            st = ph_error_set(err, PH_EVERIFY, "voucher", r->parts[i].v.id,
                              "part %s: the logged events settle it but the store has no "
                              "settlement for it",
                              r->parts[i].v.id);
    return st;
}

/* ---- the proof ------------------------------------------------------------------------------- */

/* The checks every proof of a tree makes: the tree of voucher id replayed
 * from its logged events, each event's leaf checked against the log of the
 * given size, and the replay compared with the part and settlement rows,
 * all under one read snapshot of the store.  r is set up here; the caller
 * frees r->claims and r whatever this returns. */
static ph_status prove_tree(ph_store *store, ph_evidence_log *log, const char *id,
                            uint64_t size, replay *r, ph_error *err)
{
    memset(r, 0, sizeof(*r));
    r->ctx = ph_store_ctx(store);
    ph_status st = ph_evidence_claims_new(log, size, &r->claims, err);
    /* one snapshot of the store for the whole walk */
    int own = st == PH_OK && !ph_store_in_transaction(store);
    if (own)
        st = ph_store_begin_read(store, err);
    ph_voucher v;
    if (st == PH_OK)
        st = voucher_require(store, err);
    if (st == PH_OK)
        st = voucher_read(store, id, &v, err);
    if (st == PH_OK)
        copy(r->root, sizeof(r->root), v.root_id);
    /* every event's leaf against the log first: an edited event row is
     * named as such, before its effects are compared */
    if (st == PH_OK)
        st = ph_voucher_events(store, id, take, r, err);
    if (st == PH_OK && r->n_ev == 0)
        st = ph_error_set(err, PH_ENOTFOUND, "voucher", id, "no events to prove");
    if (st == PH_OK)
        st = replay_events(r, err);
    if (st == PH_OK)
        st = compare_parts(store, r, err);
    if (st == PH_OK)
        st = compare_settlements(store, r, err);
    if (own)
        (void)ph_store_rollback(store, NULL);
    return st;
}

ph_status ph_voucher_prove(ph_store *store, ph_evidence_log *log, const char *id, uint64_t size,
                           const char *bundle_path, size_t *leaves, ph_error *err)
{
    if (store == NULL || log == NULL || id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_prove: NULL argument");
    replay r;
    ph_status st = prove_tree(store, log, id, size, &r, err);
    if (st == PH_OK && bundle_path != NULL)
        st = ph_evidence_claims_bundle(r.claims, bundle_path, err);
    if (st == PH_OK && leaves != NULL)
        *leaves = ph_evidence_claims_count(r.claims);
    ph_evidence_claims_free(r.claims);
    replay_free(&r);
    return st;
}

/* ---- one part's chain of title, for its holder or financier (puhui serve) -------------------- */

ph_status ph_voucher_prove_part(ph_store *store, ph_evidence_log *log, const char *id,
                                uint64_t size, char **bundle, size_t *len, size_t *leaves,
                                ph_error *err)
{
    if (store == NULL || log == NULL || id == NULL || bundle == NULL || len == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_prove_part: NULL argument");
    *bundle = NULL;
    *len = 0;
    /* the whole tree is checked as ph_voucher_prove checks it (every leaf,
     * then the replay against the rows), so no proof is given from a tree
     * whose rows no longer match the log; only the bundle is narrower */
    replay r;
    ph_status st = prove_tree(store, log, id, size, &r, err);
    /* the chain of title: the part and its ancestors, as the replay made them
     * (a chain is at most the tree's parts long) */
    const char **chain = NULL;
    size_t n_chain = 0;
    if (st == PH_OK && (chain = ph_calloc(r.ctx, r.n + 1, sizeof(*chain))) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (rpart *p = st == PH_OK ? find(&r, id) : NULL; p != NULL && n_chain <= r.n;
         p = p->v.parent_id[0] != '\0' ? find(&r, p->v.parent_id) : NULL)
        chain[n_chain++] = p->v.id;
    uint64_t *idx = NULL;
    size_t k = 0;
    if (st == PH_OK && (idx = ph_calloc(r.ctx, r.n_ev, sizeof(*idx))) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; st == PH_OK && i < r.n_ev; i++)
        for (size_t j = 0; j < n_chain; j++)
            if (strcmp(r.ev[i].e.voucher_id, chain[j]) == 0) {
                idx[k++] = (uint64_t)r.ev[i].e.leaf_index; /* checked: inside the tree */
                break;
            }
    if (st == PH_OK)
        st = ph_evidence_bundle_text(log, idx, k, size, bundle, len, err);
    if (st == PH_OK && leaves != NULL)
        *leaves = k;
    ph_free(r.ctx, idx);
    ph_free(r.ctx, chain);
    ph_evidence_claims_free(r.claims);
    replay_free(&r);
    return st;
}
