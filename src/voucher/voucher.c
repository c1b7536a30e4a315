/*
 * Claim vouchers: issue, split, transfer, finance, settle (voucher.h).
 *
 * Each operation reads what it needs, checks every rule and only then
 * writes, inside one store transaction (BEGIN IMMEDIATE: a second process
 * waits for the first, then sees its result), so a refusal changes nothing.
 * The rules are checked here in words a firm would read; the store repeats
 * the ones that must hold whatever program writes: the status moves
 * (trigger voucher_status), a part financed at most once (UNIQUE
 * voucher_financing.voucher_id), events append-only.
 *
 * The invariant every operation keeps: the current parts of a tree (its
 * leaves) have faces summing to the issued face. A split makes children
 * summing exactly to the parent; a transfer one child of the full face;
 * finance and settle change no face.
 */
#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"
#include "puhui/enterprise.h"
#include "puhui/market.h"

#include "voucher/voucher_internal.h"

/* ---- small helpers ---------------------------------------------------------------------- */

const char *voucher_day(ph_date d, char *buf)
{
    if (ph_date_format(d, buf, PH_DATE_FORMAT_MAX, NULL) != PH_OK)
        snprintf(buf, PH_DATE_FORMAT_MAX, "?");
    return buf;
}

const char *voucher_yuan(ph_money m, int grouped, char *buf)
{
    if (ph_money_format(m, grouped ? PH_MONEY_GROUPING : 0, buf, PH_MONEY_FORMAT_MAX, NULL) !=
        PH_OK)
        snprintf(buf, PH_MONEY_FORMAT_MAX, "?");
    return buf;
}

static ph_status step_done(ph_stmt *s, ph_error *err)
{
    ph_status st = ph_stmt_step(s, err);
    return st == PH_DONE ? PH_OK : st == PH_OK ? ph_error_set(err, PH_ESTORE, NULL, NULL,
                                                              "expected no row")
                                               : st;
}

ph_status voucher_require(ph_store *store, ph_error *err)
{
    return ph_store_require_schema(store, VOUCHER_SCHEMA, "the claim vouchers", err);
}

ph_status voucher_begin(voucher_tx *t, ph_store *store, ph_evidence_log *log, ph_error *err)
{
    t->store = store;
    t->log = log;
    t->ctx = ph_store_ctx(store);
    t->nested = ph_store_in_transaction(store);
    /* the schema is checked only when a statement fails (voucher_end): an
     * operation costs one query less, and the message is the same */
    /* Inside the caller's unit no savepoint is taken: a savepoint per
     * operation cost a third of a batch (its sub-journal is written out).
     * Every rule is checked before the first write, so a refused operation
     * writes nothing; one that fails after writing (a store, memory or log
     * error) leaves the unit for the caller to roll back (voucher.h). */
    return t->nested ? PH_OK : ph_store_begin(store, err);
}

/* A statement failed on a missing table: say which schema is needed. */
static ph_status explain_schema(ph_store *store, ph_status st, ph_error *err)
{
    if (st != PH_ESTORE || err == NULL || strstr(err->message, "no such table") == NULL)
        return st;
    ph_error why;
    ph_status need = voucher_require(store, &why);
    if (need == PH_OK)
        return st;
    if (err != NULL)
        *err = why;
    return need;
}

ph_status voucher_end(voucher_tx *t, ph_status st, ph_error *err)
{
    if (t->nested)
        return explain_schema(t->store, st, err);
    if (st == PH_OK && t->log != NULL && !t->nested)
        st = ph_evidence_commit(t->log, err);
    if (st == PH_OK) {
        st = ph_store_commit(t->store, err);
        if (st != PH_OK)
            (void)ph_store_rollback(t->store, NULL);
        return st;
    }
    /* the leaves of a failed operation go with its rows: the next commit
     * would make them durable, out of the order of the ones recorded */
    if (t->log != NULL)
        (void)ph_evidence_rollback(t->log, NULL);
    (void)ph_store_rollback(t->store, NULL);
    return explain_schema(t->store, st, err);
}

/* ---- rows ------------------------------------------------------------------------------------ */

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

static ph_date parse_day(const char *text)
{
    ph_date d = 0;
    if (text == NULL || ph_date_parse(text, strlen(text), &d, NULL) != PH_OK)
        return 0;
    return d;
}

static const char *const STATUS[] = {"held", "split", "transferred", "financed", "settled"};

const char *ph_voucher_status_name(ph_voucher_status status)
{
    return (unsigned)status < sizeof(STATUS) / sizeof(STATUS[0]) ? STATUS[status] : NULL;
}

ph_status voucher_row(ph_stmt *s, ph_voucher *v, ph_error *err)
{
    memset(v, 0, sizeof(*v));
    copy(v->id, sizeof(v->id), ph_stmt_column_text(s, 0));
    copy(v->root_id, sizeof(v->root_id), ph_stmt_column_text(s, 1));
    copy(v->parent_id, sizeof(v->parent_id), ph_stmt_column_text(s, 2));
    copy(v->issuer, sizeof(v->issuer), ph_stmt_column_text(s, 3));
    v->face = ph_stmt_column_int64(s, 4);
    v->maturity = parse_day(ph_stmt_column_text(s, 5));
    copy(v->grade, sizeof(v->grade), ph_stmt_column_text(s, 6));
    copy(v->payable_ref, sizeof(v->payable_ref), ph_stmt_column_text(s, 7));
    copy(v->holder, sizeof(v->holder), ph_stmt_column_text(s, 8));
    v->tier = (int)ph_stmt_column_int64(s, 9);
    const char *status = ph_stmt_column_text(s, 10);
    int known = 0;
    for (size_t i = 0; status != NULL && i < sizeof(STATUS) / sizeof(STATUS[0]); i++)
        if (strcmp(status, STATUS[i]) == 0) {
            v->status = (ph_voucher_status)i;
            known = 1;
        }
    if (!known)
        return ph_error_set(err, PH_ESTORE, "status", status, "voucher %s: unknown status",
                            v->id);
    v->created_on = parse_day(ph_stmt_column_text(s, 11));
    if (!ph_stmt_column_is_null(s, 12)) {
        copy(v->lender, sizeof(v->lender), ph_stmt_column_text(s, 12));
        v->financed_on = parse_day(ph_stmt_column_text(s, 13));
        const char *rate = ph_stmt_column_text(s, 14);
        if (rate == NULL || ph_rate_parse_percent(rate, strlen(rate), &v->rate, NULL) != PH_OK)
            return ph_error_set(err, PH_ESTORE, "rate", rate,
                                "voucher %s: stored financing rate unreadable", v->id);
        v->days = ph_stmt_column_int64(s, 15);
        v->discount = ph_stmt_column_int64(s, 16);
        v->advance = ph_stmt_column_int64(s, 17);
    }
    return PH_OK;
}

ph_status voucher_read(ph_store *store, const char *id, ph_voucher *out, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, VOUCHER_SELECT "WHERE v.id = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "voucher", id, "no such voucher");
    else if (st == PH_OK)
        st = voucher_row(s, out, err);
    ph_stmt_free(s);
    return st;
}

/* ---- parties ---------------------------------------------------------------------------------- */

/* A single text a one-parameter query returns into buf; PH_DONE when none. */
static ph_status query_text(ph_store *store, const char *sql, const char *a, const char *b,
                            char *buf, size_t size, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, sql, &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, a, -1, err);
    if (st == PH_OK && b != NULL)
        st = ph_stmt_bind_text(s, 2, b, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK && buf != NULL)
        copy(buf, size, ph_stmt_column_text(s, 0));
    ph_stmt_free(s);
    return st;
}

/* to must be a registered firm. */
static ph_status check_firm(ph_store *store, const char *field, const char *uscc, ph_error *err)
{
    char status[24];
    ph_status st = query_text(store, "SELECT status FROM enterprise WHERE uscc = ?", uscc, NULL,
                              status, sizeof(status), err);
    if (st == PH_DONE)
        return ph_error_set(err, PH_ENOTFOUND, field, uscc,
                            "not a registered firm (no row in enterprise); a voucher goes only "
                            "to registered suppliers");
    if (st == PH_OK && strcmp(status, "active") != 0)
        return ph_error_set(err, PH_EINVAL, field, uscc,
                            "the firm's registration is %s, not active", status);
    return st;
}

/* supplier must supply buyer in feed_supply_chain. */
static ph_status check_link(ph_store *store, const char *supplier, const char *buyer,
                            ph_error *err)
{
    ph_status st = query_text(store,
                              "SELECT chain_id FROM feed_supply_chain WHERE supplier_uscc = ? "
                              "AND buyer_uscc = ? LIMIT 1",
                              supplier, buyer, NULL, 0, err);
    if (st == PH_DONE)
        return ph_error_set(err, PH_EINVAL, "to", supplier,
                            "this firm does not supply %s (no feed_supply_chain row with "
                            "supplier_uscc %s and buyer_uscc %s); a voucher passes only to a "
                            "firm in the holder's supply chain",
                            buyer, supplier, buyer);
    return st;
}

static ph_status next_seq(ph_store *store, const char *table, int64_t *out, ph_error *err)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT coalesce(max(seq), 0) + 1 FROM %s", table);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, sql, &s, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK)
        *out = ph_stmt_column_int64(s, 0);
    ph_stmt_free(s);
    return st;
}

/* Insert a part; its id (V + 6 digits of seq) into id. */
static ph_status insert_part(voucher_tx *t, const ph_voucher *v, char id[PH_VOUCHER_ID_MAX],
                             ph_error *err)
{
    int64_t seq = 0;
    ph_status st = next_seq(t->store, "voucher", &seq, err);
    if (st != PH_OK)
        return st;
    snprintf(id, PH_VOUCHER_ID_MAX, "V%06lld", (long long)seq);
    char maturity[PH_DATE_FORMAT_MAX], created[PH_DATE_FORMAT_MAX];
    ph_stmt *s = NULL;
    st = ph_store_prepare(t->store,
                          "INSERT INTO voucher (id, seq, root_id, parent_id, issuer_uscc, face, "
                          "maturity, grade, payable_ref, holder_uscc, tier, status, created_on) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?)",
                          &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, seq, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, v->root_id[0] ? v->root_id : id, -1, err);
    if (st == PH_OK)
        st = v->parent_id[0] ? ph_stmt_bind_text(s, 4, v->parent_id, -1, err)
                             : ph_stmt_bind_null(s, 4, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 5, v->issuer, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 6, v->face, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 7, voucher_day(v->maturity, maturity), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 8, v->grade, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 9, v->payable_ref, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 10, v->holder, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 11, v->tier, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 12, voucher_day(v->created_on, created), -1, err);
    if (st == PH_OK)
        st = step_done(s, err);
    ph_stmt_free(s);
    return st;
}

static ph_status set_status(voucher_tx *t, const char *id, ph_voucher_status status,
                            ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(t->store, "UPDATE voucher SET status = ? WHERE id = ?", &s,
                                    err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, ph_voucher_status_name(status), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, id, -1, err);
    if (st == PH_OK)
        st = step_done(s, err);
    ph_stmt_free(s);
    return st;
}

/* The part `id` must be held by `holder`, unfinanced, and `on` must fall
 * between its creation and its maturity. `what` names the operation. */
static ph_status check_holder(const ph_voucher *v, const char *holder, ph_date on,
                              const char *what, ph_error *err)
{
    char d1[PH_DATE_FORMAT_MAX], d2[PH_DATE_FORMAT_MAX];
    if (v->status == PH_VOUCHER_FINANCED)
        return ph_error_set(err, strcmp(what, "finance") == 0 ? PH_EEXISTS : PH_EINVAL,
                            "voucher", v->id,
                            "cannot %s voucher %s: it is financed already, at %s; a part is "
                            "financed at most once and then belongs to its financier until "
                            "settled",
                            what, v->id, v->lender);
    if (v->status != PH_VOUCHER_HELD) {
        const char *why = v->status == PH_VOUCHER_SPLIT ? "it was split; act on its parts"
                          : v->status == PH_VOUCHER_TRANSFERRED
                              ? "it was transferred; the recipient holds the new part"
                              : "it is settled";
        return ph_error_set(err, PH_EINVAL, "voucher", v->id, "cannot %s voucher %s: %s", what,
                            v->id, why);
    }
    if (holder == NULL || strcmp(holder, v->holder) != 0)
        return ph_error_set(err, PH_EINVAL, "from", holder ? holder : "",
                            "voucher %s is held by %s; only its holder can %s it", v->id,
                            v->holder, what);
    if (on < v->created_on)
        return ph_error_set(err, PH_EINVAL, "on", voucher_day(on, d1),
                            "voucher %s was created on %s; it cannot be %s before", v->id,
                            voucher_day(v->created_on, d2),
                            strcmp(what, "split") == 0 ? "split" : "used");
    if (on > v->maturity)
        return ph_error_set(err, PH_EINVAL, "on", voucher_day(on, d1),
                            "voucher %s matured on %s; after maturity it can only be settled "
                            "(cannot %s it)",
                            v->id, voucher_day(v->maturity, d2), what);
    return PH_OK;
}

/* Opens the operation `what` on part `id`: begins t, reads the part into v
 * and checks it as check_holder does. On a refusal the operation is ended
 * here (voucher_end) and its status returned; on PH_OK the caller goes on
 * and ends t itself. */
static ph_status begin_held(voucher_tx *t, ph_store *store, ph_evidence_log *log, const char *id,
                            const char *holder, ph_date on, const char *what, ph_voucher *v,
                            ph_error *err)
{
    ph_status st = voucher_begin(t, store, log, err);
    if (st != PH_OK)
        return st;
    st = voucher_read(store, id, v, err);
    if (st == PH_OK)
        st = check_holder(v, holder, on, what, err);
    return st == PH_OK ? PH_OK : voucher_end(t, st, err);
}

/* ---- issue ---------------------------------------------------------------------------------- */

ph_status ph_voucher_issue(ph_store *store, ph_evidence_log *log,
                           const ph_voucher_issue_args *a, char id[PH_VOUCHER_ID_MAX],
                           ph_error *err)
{
    if (store == NULL || a == NULL || a->issuer == NULL || a->to == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_issue: NULL argument");
    char d1[PH_DATE_FORMAT_MAX], d2[PH_DATE_FORMAT_MAX], y[PH_MONEY_FORMAT_MAX];
    if (a->face <= 0)
        return ph_error_set(err, PH_EINVAL, "amount", voucher_yuan(a->face, 1, y),
                            "expected an amount above 0.00 yuan");
    if (!ph_date_is_valid(a->on) || !ph_date_is_valid(a->maturity) || a->maturity <= a->on)
        return ph_error_set(err, PH_EINVAL, "maturity", voucher_day(a->maturity, d1),
                            "expected a maturity after the issue date %s",
                            voucher_day(a->on, d2));
    voucher_tx t;
    ph_status st = voucher_begin(&t, store, log, err);
    if (st != PH_OK)
        return st;
    ph_voucher v;
    memset(&v, 0, sizeof(v));
    char kind[32];
    st = query_text(store, "SELECT kind FROM institution WHERE id = ?", a->issuer, NULL, kind,
                    sizeof(kind), err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "issuer", a->issuer,
                          "not a core enterprise (no institution of kind core_enterprise with "
                          "this id)");
    else if (st == PH_OK && strcmp(kind, "core_enterprise") != 0)
        st = ph_error_set(err, PH_EINVAL, "issuer", a->issuer,
                          "this institution is a %s; only a core enterprise issues vouchers",
                          kind);
    if (st == PH_OK) {
        st = query_text(store, "SELECT rating FROM feed_core_enterprises WHERE uscc = ?",
                        a->issuer, NULL, v.grade, sizeof(v.grade), err);
        if (st == PH_DONE)
            st = ph_error_set(err, PH_ENOTFOUND, "issuer", a->issuer,
                              "the core enterprise has no rating in feed_core_enterprises "
                              "(ingest reference/core_enterprises.csv); a voucher carries its "
                              "issuer's grade");
    }
    if (st == PH_OK)
        st = check_firm(store, "to", a->to, err);
    if (st == PH_OK)
        st = check_link(store, a->to, a->issuer, err);
    if (st == PH_OK) {
        copy(v.issuer, sizeof(v.issuer), a->issuer);
        copy(v.holder, sizeof(v.holder), a->to);
        copy(v.payable_ref, sizeof(v.payable_ref), a->payable_ref);
        v.face = a->face;
        v.maturity = a->maturity;
        v.created_on = a->on;
        v.tier = 1;
        st = insert_part(&t, &v, v.id, err);
    }
    if (st == PH_OK) {
        char detail[640], face[PH_MONEY_FORMAT_MAX], ref[400];
        pjson_escape_into(ref, sizeof(ref), v.payable_ref);
        snprintf(detail, sizeof(detail),
                 "{\"holder\":\"%s\",\"face\":\"%s\",\"maturity\":\"%s\",\"grade\":\"%s\","
                 "\"payable_ref\":\"%s\",\"tier\":1}",
                 v.holder, voucher_yuan(v.face, 0, face), voucher_day(v.maturity, d1), v.grade,
                 ref);
        st = voucher_event_add(&t, v.id, "issue", a->on, a->issuer, a->to, a->face, detail,
                               err);
    }
    st = voucher_end(&t, st, err);
    if (st == PH_OK && id != NULL)
        copy(id, PH_VOUCHER_ID_MAX, v.id);
    return st;
}

/* ---- split ---------------------------------------------------------------------------------- */

ph_status ph_voucher_split(ph_store *store, ph_evidence_log *log, const char *id,
                           const char *holder, ph_date on, const ph_money *parts, size_t n,
                           char (*ids)[PH_VOUCHER_ID_MAX], ph_error *err)
{
    if (store == NULL || id == NULL || parts == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_split: NULL argument");
    char nbuf[24], y1[PH_MONEY_FORMAT_MAX], y2[PH_MONEY_FORMAT_MAX];
    if (n < 2 || n > PH_VOUCHER_MAX_PARTS) {
        snprintf(nbuf, sizeof(nbuf), "%zu", n);
        return ph_error_set(err, PH_EINVAL, "parts", nbuf, "expected 2 to %d parts",
                            PH_VOUCHER_MAX_PARTS);
    }
    ph_money sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (parts[i] <= 0)
            return ph_error_set(err, PH_EINVAL, "parts", voucher_yuan(parts[i], 1, y1),
                                "part %zu: expected an amount above 0.00 yuan", i + 1);
        if (ph_money_add(sum, parts[i], &sum, err) != PH_OK)
            return PH_ERANGE;
    }
    voucher_tx t;
    ph_voucher v;
    ph_status st = begin_held(&t, store, log, id, holder, on, "split", &v, err);
    if (st != PH_OK)
        return st;
    if (sum != v.face)
        st = ph_error_set(err, PH_EINVAL, "parts", voucher_yuan(sum, 1, y1),
                          "parts sum to %s yuan but voucher %s is %s; the parts of a split "
                          "must sum exactly to it",
                          y1, v.id, voucher_yuan(v.face, 1, y2));
    /* detail: {"parts":["V..",...],"amounts":["..",...]} */
    size_t cap = 32 + n * (PH_VOUCHER_ID_MAX + PH_MONEY_FORMAT_MAX + 8);
    char *detail = st == PH_OK ? ph_malloc(t.ctx, cap) : NULL;
    char(*made)[PH_VOUCHER_ID_MAX] =
        st == PH_OK ? ph_calloc(t.ctx, n, sizeof(*made)) : NULL;
    if (st == PH_OK && (detail == NULL || made == NULL))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        ph_voucher c = v;
        copy(c.parent_id, sizeof(c.parent_id), v.id);
        c.face = parts[i];
        c.created_on = on;
        st = insert_part(&t, &c, made[i], err);
    }
    if (st == PH_OK)
        st = set_status(&t, v.id, PH_VOUCHER_SPLIT, err);
    if (st == PH_OK) {
        size_t w = (size_t)snprintf(detail, cap, "{\"parts\":[");
        for (size_t i = 0; i < n; i++)
            w += (size_t)snprintf(detail + w, cap - w, "%s\"%s\"", i ? "," : "", made[i]);
        w += (size_t)snprintf(detail + w, cap - w, "],\"amounts\":[");
        for (size_t i = 0; i < n; i++)
            w += (size_t)snprintf(detail + w, cap - w, "%s\"%s\"", i ? "," : "",
                                  voucher_yuan(parts[i], 0, y1));
        snprintf(detail + w, cap - w, "]}");
        st = voucher_event_add(&t, v.id, "split", on, v.holder, v.holder, v.face, detail, err);
    }
    st = voucher_end(&t, st, err);
    if (st == PH_OK && ids != NULL)
        memcpy(ids, made, n * sizeof(*made));
    ph_free(t.ctx, detail);
    ph_free(t.ctx, made);
    return st;
}

/* ---- transfer ---------------------------------------------------------------------------------- */

ph_status ph_voucher_transfer(ph_store *store, ph_evidence_log *log, const char *id,
                              const char *from, const char *to, ph_date on, int max_tier,
                              char new_id[PH_VOUCHER_ID_MAX], ph_error *err)
{
    if (store == NULL || id == NULL || to == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_transfer: NULL argument");
    char buf[24];
    if (max_tier == 0)
        max_tier = PH_VOUCHER_MAX_TIER;
    if (max_tier < 1 || max_tier > PH_VOUCHER_MAX_TIER) {
        snprintf(buf, sizeof(buf), "%d", max_tier);
        return ph_error_set(err, PH_ERANGE, "max_tier", buf, "expected 1 to %d",
                            PH_VOUCHER_MAX_TIER);
    }
    voucher_tx t;
    ph_voucher v;
    ph_status st = begin_held(&t, store, log, id, from, on, "transfer", &v, err);
    if (st != PH_OK)
        return st;
    if (strcmp(to, v.holder) == 0)
        st = ph_error_set(err, PH_EINVAL, "to", to, "voucher %s is held by this firm already",
                          v.id);
    if (st == PH_OK && v.tier + 1 > max_tier) {
        snprintf(buf, sizeof(buf), "%d", v.tier + 1);
        st = ph_error_set(err, PH_EINVAL, "tier", buf,
                          "voucher %s is at tier %d; a transfer would take it to tier %d, past "
                          "the maximum of %d",
                          v.id, v.tier, v.tier + 1, max_tier);
    }
    if (st == PH_OK)
        st = check_firm(store, "to", to, err);
    if (st == PH_OK)
        st = check_link(store, to, v.holder, err);
    ph_voucher c = v;
    if (st == PH_OK) {
        copy(c.parent_id, sizeof(c.parent_id), v.id);
        copy(c.holder, sizeof(c.holder), to);
        c.tier = v.tier + 1;
        c.created_on = on;
        st = insert_part(&t, &c, c.id, err);
    }
    if (st == PH_OK)
        st = set_status(&t, v.id, PH_VOUCHER_TRANSFERRED, err);
    if (st == PH_OK) {
        char detail[96];
        snprintf(detail, sizeof(detail), "{\"part\":\"%s\",\"tier\":%d}", c.id, c.tier);
        st = voucher_event_add(&t, v.id, "transfer", on, v.holder, to, v.face, detail, err);
    }
    st = voucher_end(&t, st, err);
    if (st == PH_OK && new_id != NULL)
        copy(new_id, PH_VOUCHER_ID_MAX, c.id);
    return st;
}

/* ---- finance ---------------------------------------------------------------------------------- */

static ph_status grade_spread(ph_store *store, const char *grade, ph_rate *out, ph_error *err)
{
    char text[PH_RATE_FORMAT_MAX];
    ph_status st = query_text(store, "SELECT spread FROM voucher_grade_spread WHERE grade = ?", grade,
                        NULL, text, sizeof(text), err);
    if (st == PH_DONE)
        return ph_error_set(err, PH_ENOTFOUND, "grade", grade,
                            "no spread for this grade in voucher_grade_spread; set one with "
                            "`puhui voucher spread GRADE RATE`");
    if (st == PH_OK)
        st = ph_rate_parse_percent(text, strlen(text), out, err);
    return st;
}

ph_status ph_voucher_spread(ph_store *store, const char *grade, ph_rate *out, ph_error *err)
{
    if (store == NULL || grade == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_spread: NULL argument");
    ph_status st = voucher_require(store, err);
    return st == PH_OK ? grade_spread(store, grade, out, err) : st;
}

ph_status ph_voucher_set_spread(ph_store *store, const char *grade, ph_rate spread,
                                ph_error *err)
{
    if (store == NULL || grade == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_set_spread: NULL argument");
    char text[PH_RATE_FORMAT_MAX];
    (void)ph_rate_format_percent(spread, text, sizeof(text), NULL);
    if (spread < 0 || spread > 20 * PH_RATE_PERCENT)
        return ph_error_set(err, PH_ERANGE, "spread", text, "expected 0%% to 20%%");
    if (strcmp(grade, "AAA") != 0 && strcmp(grade, "AA+") != 0 && strcmp(grade, "AA") != 0 &&
        strcmp(grade, "AA-") != 0)
        return ph_error_set(err, PH_EINVAL, "grade", grade, "expected AAA, AA+, AA or AA-");
    voucher_tx t;
    ph_status st = voucher_begin(&t, store, NULL, err);
    ph_stmt *s = NULL;
    if (st != PH_OK)
        return st;
    st = ph_store_prepare(store, "UPDATE voucher_grade_spread SET spread = ? WHERE grade = ?",
                          &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, text, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, grade, -1, err);
    if (st == PH_OK)
        st = step_done(s, err);
    ph_stmt_free(s);
    return voucher_end(&t, st, err);
}

ph_status ph_voucher_finance(ph_store *store, ph_evidence_log *log, const char *id,
                             const char *holder, const char *lender, ph_date on,
                             ph_voucher *out, ph_error *err)
{
    if (store == NULL || id == NULL || lender == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_finance: NULL argument");
    voucher_tx t;
    ph_voucher v;
    char kind[PH_INSTITUTION_KIND_MAX], d[PH_DATE_FORMAT_MAX];
    int found = 0;
    ph_status st = begin_held(&t, store, log, id, holder, on, "finance", &v, err);
    if (st != PH_OK)
        return st;
    st = ph_institution_kind(store, lender, kind, &found, err);
    if (st == PH_OK && !found)
        st = ph_error_set(err, PH_ENOTFOUND, "lender", lender, "no such institution");
    if (st == PH_OK) {
        if (!ph_institution_kind_lends(kind))
            st = ph_error_set(err, PH_EINVAL, "lender", lender,
                              "this institution is a %s; a voucher is financed at a bank or "
                              "micro lender",
                              kind);
    }
    /* discount = face x (LPR + spread) x days / 360, rounded once, half up,
     * to the fen (ph_interest computes it exactly in 128 bits); the advance
     * is what is left, so discount + advance = face exactly. */
    ph_rate lpr = 0, spread = 0;
    if (st == PH_OK)
        st = ph_market_lpr(store, on, &lpr, err);
    if (st == PH_OK)
        st = grade_spread(store, v.grade, &spread, err);
    if (st == PH_OK)
        st = ph_rate_add(lpr, spread, &v.rate, err);
    if (st == PH_OK)
        st = ph_interest_days(on, v.maturity, &v.days, err);
    if (st == PH_OK)
        st = ph_interest(v.face, v.rate, v.days, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP,
                         &v.discount, err);
    if (st == PH_OK)
        st = ph_money_sub(v.face, v.discount, &v.advance, err);
    char rate[PH_RATE_FORMAT_MAX];
    ph_stmt *s = NULL;
    if (st == PH_OK) {
        (void)ph_rate_format_percent(v.rate, rate, sizeof(rate), NULL);
        st = ph_store_prepare(store,
                              "INSERT INTO voucher_financing (voucher_id, lender, day, rate, "
                              "days, discount, advance) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              &s, err);
    }
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, v.id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, voucher_day(on, d), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, rate, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 5, v.days, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 6, v.discount, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 7, v.advance, err);
    if (st == PH_OK) {
        st = step_done(s, err);
        if (st == PH_EEXISTS) /* the store's own guard: financed by another writer */
            st = ph_error_set(err, PH_EEXISTS, "voucher", v.id,
                              "voucher %s is financed already: a part is financed at most once",
                              v.id);
    }
    ph_stmt_free(s);
    if (st == PH_OK)
        st = set_status(&t, v.id, PH_VOUCHER_FINANCED, err);
    if (st == PH_OK) {
        char detail[256], y1[PH_MONEY_FORMAT_MAX], y2[PH_MONEY_FORMAT_MAX];
        snprintf(detail, sizeof(detail),
                 "{\"lender\":\"%s\",\"rate\":\"%s\",\"days\":%lld,\"discount\":\"%s\","
                 "\"advance\":\"%s\"}",
                 lender, rate, (long long)v.days, voucher_yuan(v.discount, 0, y1),
                 voucher_yuan(v.advance, 0, y2));
        st = voucher_event_add(&t, v.id, "finance", on, v.holder, lender, v.face, detail, err);
    }
    st = voucher_end(&t, st, err);
    if (st == PH_OK && out != NULL) {
        v.status = PH_VOUCHER_FINANCED;
        copy(v.lender, sizeof(v.lender), lender);
        v.financed_on = on;
        *out = v;
    }
    return st;
}

/* ---- settle ---------------------------------------------------------------------------------- */

ph_status ph_voucher_settle(ph_store *store, ph_evidence_log *log, const char *id, ph_date on,
                            size_t *parts, ph_money *paid, ph_error *err)
{
    if (store == NULL || id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_voucher_settle: NULL argument");
    voucher_tx t;
    ph_status st = voucher_begin(&t, store, log, err);
    if (st != PH_OK)
        return st;
    ph_voucher v, root;
    char d1[PH_DATE_FORMAT_MAX], d2[PH_DATE_FORMAT_MAX];
    st = voucher_read(store, id, &v, err);
    if (st == PH_OK)
        st = voucher_read(store, v.root_id, &root, err);
    if (st == PH_OK && on < root.maturity)
        st = ph_error_set(err, PH_EINVAL, "on", voucher_day(on, d1),
                          "voucher %s matures on %s; the issuer settles at or after maturity",
                          root.id, voucher_day(root.maturity, d2));
    /* the current parts, read whole before any is written */
    size_t n = 0, cap = 0;
    ph_voucher *leaf = NULL;
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              VOUCHER_SELECT "WHERE v.root_id = ? AND v.status IN ('held', "
                                             "'financed') ORDER BY v.seq",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, root.id, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            ph_voucher *grown = ph_realloc(t.ctx, leaf, cap * sizeof(*leaf));
            if (grown == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
            leaf = grown;
        }
        st = voucher_row(s, &leaf[n++], err);
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = n > 0 ? PH_OK
                   : ph_error_set(err, PH_EINVAL, "voucher", root.id,
                                  "voucher %s is settled already: no part is left to pay",
                                  root.id);
    ph_money total = 0;
    for (size_t i = 0; st == PH_OK && i < n; i++)
        st = ph_money_add(total, leaf[i].face, &total, err);
    /* the invariant: the current parts sum to the issued face */
    char y1[PH_MONEY_FORMAT_MAX], y2[PH_MONEY_FORMAT_MAX];
    if (st == PH_OK && total != root.face)
        st = ph_error_set(err, PH_ESTORE, "voucher", root.id,
                          "the current parts of voucher %s sum to %s yuan, not its face %s; "
                          "the store was changed outside puhui",
                          root.id, voucher_yuan(total, 1, y1), voucher_yuan(root.face, 1, y2));
    int64_t late = ph_date_diff_days(root.maturity, on);
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        const ph_voucher *p = &leaf[i];
        const char *to = p->lender[0] ? p->lender : p->holder;
        st = ph_store_prepare(store,
                              "INSERT INTO voucher_settlement (voucher_id, issuer_uscc, paid_to, "
                              "maturity, day, days_late, amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              &s, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 1, p->id, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 2, p->issuer, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 3, to, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 4, voucher_day(p->maturity, d1), -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(s, 5, voucher_day(on, d2), -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 6, late, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(s, 7, p->face, err);
        if (st == PH_OK)
            st = step_done(s, err);
        ph_stmt_free(s);
        if (st == PH_OK)
            st = set_status(&t, p->id, PH_VOUCHER_SETTLED, err);
        if (st == PH_OK) {
            char detail[160];
            snprintf(detail, sizeof(detail),
                     "{\"paid_to\":\"%s\",\"maturity\":\"%s\",\"days_late\":%lld}", to, d1,
                     (long long)late);
            st = voucher_event_add(&t, p->id, "settle", on, p->issuer, to, p->face, detail,
                                   err);
        }
    }
    st = voucher_end(&t, st, err);
    ph_free(t.ctx, leaf);
    if (st == PH_OK) {
        if (parts != NULL)
            *parts = n;
        if (paid != NULL)
            *paid = total;
    }
    return st;
}
