/*
 * The gate: every read on behalf of an institution is decided here and
 * logged in the same transaction, so no read is ever unlogged and no log
 * entry records a decision that was not taken.
 *
 * Consent is judged at the moment of the read: a consent is live when it is
 * live TODAY by the context's clock, whatever date the data is read as of.
 * The request's `on` is only that data date (the log records both). Were it
 * the date consent is judged on, a caller could backdate a read to before
 * an expired consent's end, or date it after a pending consent's start, and
 * read today what no live consent allows.
 *
 * Consents are combined: the live consents of the triple (enterprise,
 * institution, purpose) are taken lowest id first, each kept when it adds a
 * source still needed. A refusal explains itself from the consents that
 * came close (expired, not yet valid, revoked, another purpose, no raw
 * access, other sources), because "access denied" alone sends an officer to
 * the phone while "consent 7 expired on 2025-06-30" tells the firm what to
 * renew.
 */
#include <stdio.h>
#include <string.h>

#include "access/access_internal.h"
#include "core/text.h"

/* A consent of the enterprise to the institution, any purpose. */
typedef struct consent_row {
    int64_t id;
    unsigned purpose;
    ph_source_set sources;
    int raw;
    ph_date from, until;
    char revoked_at[32]; /* "" when not revoked */
} consent_row;

typedef struct consent_rows {
    const ph_ctx *ctx;
    consent_row *rows;
    size_t count, cap;
} consent_rows;

/* The decision on one request. */
typedef struct decision {
    ph_source_set fit;     /* asked-for sources the catalogue allows for the purpose */
    ph_source_set covered; /* asked-for sources some live consent covers */
    ph_source_set allowed;
    ph_source_set refused;
    size_t consent_count;
    int64_t consent_ids[PH_ACCESS_MAX_CONSENTS];
} decision;

/* The two times of one read: the consent is judged on `today` (the wall
 * clock, the context's); `on` is the date the data is read as of; `at` is
 * the instant logged. */
typedef struct read_times {
    ph_date today;
    ph_date on;
    char at[PH_UTC_MAX];
} read_times;

static ph_status rows_push(consent_rows *rows, const consent_row *row, ph_error *err)
{
    if (rows->count == rows->cap) {
        size_t cap = rows->cap ? rows->cap * 2 : 8;
        consent_row *grown = ph_realloc(rows->ctx, rows->rows, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading consents");
        rows->rows = grown;
        rows->cap = cap;
    }
    rows->rows[rows->count++] = *row;
    return PH_OK;
}

static ph_status parse_row(ph_stmt *stmt, consent_row *row, ph_error *err)
{
    memset(row, 0, sizeof(*row));
    row->id = ph_stmt_column_int64(stmt, 0);
    const char *purpose = ph_stmt_column_text(stmt, 1);
    const char *from = ph_stmt_column_text(stmt, 4), *until = ph_stmt_column_text(stmt, 5);
    ph_status st = ph_purpose_parse(purpose ? purpose : "", &row->purpose, err);
    if (st == PH_OK)
        st = ph_date_parse(from ? from : "", from ? strlen(from) : 0, &row->from, err);
    if (st == PH_OK)
        st = ph_date_parse(until ? until : "", until ? strlen(until) : 0, &row->until, err);
    if (st != PH_OK) {
        char where[48];
        snprintf(where, sizeof(where), "consent %lld", (long long)row->id);
        ph_error_locate(err, where, 0, 0);
        return st;
    }
    row->sources = access_sources_from_text(ph_stmt_column_text(stmt, 2));
    row->raw = ph_stmt_column_int64(stmt, 3) != 0;
    if (!ph_stmt_column_is_null(stmt, 6))
        snprintf(row->revoked_at, sizeof(row->revoked_at), "%s", ph_stmt_column_text(stmt, 6));
    return PH_OK;
}

static ph_status load_consents(ph_store *store, const ph_access_request *req,
                               consent_rows *rows, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT id, purpose, sources, raw_access, granted_on, "
                                    "expires_on, revoked_at FROM consent "
                                    "WHERE uscc = ? AND institution_id = ? ORDER BY id",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, req->uscc, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, req->institution_id, -1, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        consent_row row;
        st = parse_row(stmt, &row, err);
        if (st == PH_OK)
            st = rows_push(rows, &row, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* In force on `today`: begun, not ended, not revoked. */
static int in_force(const consent_row *c, ph_date today)
{
    return c->revoked_at[0] == '\0' && c->from <= today && today <= c->until;
}

static int is_live(const consent_row *c, const ph_access_request *req, ph_date today)
{
    return c->purpose == req->purpose && in_force(c, today) && (!req->raw || c->raw);
}

static void decide(const consent_rows *rows, const ph_access_request *req, ph_date today,
                   decision *d)
{
    memset(d, 0, sizeof(*d));
    d->fit = req->sources & ph_source_set_for_purpose(req->purpose);
    for (size_t i = 0; i < rows->count; i++) {
        const consent_row *c = &rows->rows[i];
        ph_source_set adds = c->sources & d->fit & ~d->covered;
        if (!is_live(c, req, today) || adds == 0 || d->consent_count == PH_ACCESS_MAX_CONSENTS)
            continue;
        d->covered |= adds;
        d->consent_ids[d->consent_count++] = c->id;
    }
    if (req->mode == PH_ACCESS_SUBSET) {
        d->allowed = d->covered;
        d->refused = req->sources & ~d->covered;
    } else {
        d->allowed = d->covered == req->sources ? req->sources : 0;
        d->refused = d->allowed ? 0 : req->sources & ~d->covered;
    }
}

/* Why consent c does not give the missing sources; "" when it is beside the
 * point: a consent that shares none of them matters only when it is usable
 * and simply covers other sources. */
static void explain_consent(const consent_row *c, const ph_access_request *req, ph_date today,
                            ph_source_set missing, char *buf, size_t size)
{
    char day[PH_DATE_FORMAT_MAX];
    buf[0] = '\0';
    if ((c->sources & missing) == 0) {
        char names[PH_SOURCE_SET_FORMAT_MAX];
        if (c->purpose == req->purpose && in_force(c, today) &&
            ph_source_set_format(c->sources, names, sizeof(names), NULL) == PH_OK)
            snprintf(buf, size, "consent %lld covers only %s", (long long)c->id, names);
    } else if (c->purpose != req->purpose) {
        snprintf(buf, size, "consent %lld is for %s", (long long)c->id,
                 ph_purpose_title(c->purpose));
    } else if (c->revoked_at[0] != '\0') {
        snprintf(buf, size, "consent %lld was revoked at %s", (long long)c->id, c->revoked_at);
    } else if (today > c->until) {
        (void)ph_date_format(c->until, day, sizeof(day), NULL);
        snprintf(buf, size, "consent %lld expired on %s", (long long)c->id, day);
    } else if (today < c->from) {
        (void)ph_date_format(c->from, day, sizeof(day), NULL);
        snprintf(buf, size, "consent %lld is valid only from %s", (long long)c->id, day);
    } else if (req->raw && !c->raw) {
        snprintf(buf, size, "consent %lld does not grant raw records", (long long)c->id);
    }
}

/* Source names for a sentence: "a, b". */
static void add_names(text_buf *t, ph_source_set set)
{
    char names[PH_SOURCE_SET_FORMAT_MAX] = "";
    (void)ph_source_set_format(set, names, sizeof(names), NULL);
    const char *p = names;
    for (;;) {
        size_t n = strcspn(p, ",");
        text_append(t, "%.*s", (int)n, p);
        if (p[n] == '\0')
            break;
        text_append(t, ", ");
        p += n + 1;
    }
}

/* The sentence a refusal gives: what is missing, then why, from the
 * consents that came closest. */
static void explain_refusal(const consent_rows *rows, const ph_access_request *req,
                            const read_times *times, const decision *d, ph_source_set missing,
                            text_buf *t)
{
    enum { MAX_CLAUSES = 4 };
    text_append(t, "no live consent from %s for institution %s to %s ", req->uscc,
                req->institution_id, req->raw ? "read raw records of" : "use");
    add_names(t, missing);
    text_append(t, " for %s", ph_purpose_title(req->purpose));
    size_t clauses = 0, more = 0;
    ph_source_set unfit = missing & ~d->fit;
    if (unfit != 0) {
        text_append(t, "; the catalogue does not allow ");
        add_names(t, unfit);
        text_append(t, " for %s", ph_purpose_title(req->purpose));
        clauses++;
    }
    for (size_t i = 0; i < rows->count; i++) {
        char clause[PH_SOURCE_SET_FORMAT_MAX + 128];
        explain_consent(&rows->rows[i], req, times->today, missing & d->fit, clause,
                        sizeof(clause));
        if (clause[0] == '\0')
            continue;
        if (clauses < MAX_CLAUSES)
            text_append(t, "; %s", clause);
        else
            more++;
        clauses++;
    }
    if (more > 0)
        text_append(t, "; and %zu more", more);
    if (times->on != times->today) {
        /* a caller who dated the read otherwise learns why that did not help */
        char today[PH_DATE_FORMAT_MAX], on[PH_DATE_FORMAT_MAX];
        (void)ph_date_format(times->today, today, sizeof(today), NULL);
        (void)ph_date_format(times->on, on, sizeof(on), NULL);
        text_append(t, " (consent is judged on the day of the read, %s, not on the data date %s)",
                    today, on);
    }
}

static void format_ids(const decision *d, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < d->consent_count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%lld", i ? "," : "",
                         (long long)d->consent_ids[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* Write the decision to the log, inside the open transaction. */
static ph_status log_decision(ph_store *store, const ph_access_request *req,
                              const read_times *times, const decision *d, const char *reason,
                              int64_t *seq, ph_error *err)
{
    char sources[PH_SOURCE_SET_FORMAT_MAX], ids[24 * PH_ACCESS_MAX_CONSENTS];
    ph_status st = ph_source_set_format(d->allowed ? d->allowed : req->sources, sources,
                                        sizeof(sources), err);
    if (st != PH_OK)
        return st;
    format_ids(d, ids, sizeof(ids));
    ph_audit_entry e;
    memset(&e, 0, sizeof(e));
    e.at = times->at;
    e.institution_id = req->institution_id;
    e.uscc = req->uscc;
    e.purpose = ph_feed_purpose_name(req->purpose);
    e.outcome = d->allowed == 0 ? "denied" : d->refused ? "partial" : "allowed";
    e.what = req->what;
    e.sources = sources;
    e.raw = req->raw != 0;
    e.consents = d->allowed ? ids : "";
    e.reason = reason;
    char prev[PH_AUDIT_HASH_HEX], hash[PH_AUDIT_HASH_HEX];
    st = access_log_append(store, &e, times->on, prev, hash, err);
    if (st == PH_OK)
        *seq = e.seq;
    return st;
}

static ph_status check_request(const ph_access_request *req, ph_error *err)
{
    ph_status st = access_check_purpose(req->purpose, err);
    if (st != PH_OK)
        return st;
    if (req->sources == 0)
        return ph_error_set(err, PH_EINVAL, "sources", NULL,
                            "expected at least one source the read needs");
    char names[PH_SOURCE_SET_FORMAT_MAX];
    st = ph_source_set_format(req->sources, names, sizeof(names), err);
    if (st != PH_OK)
        return st;
    if (req->what[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "what", NULL,
                            "expected a short description of the read for the access log");
    if (req->mode != PH_ACCESS_STRICT && req->mode != PH_ACCESS_SUBSET) {
        char value[24];
        snprintf(value, sizeof(value), "%d", (int)req->mode);
        return ph_error_set(err, PH_EINVAL, "mode", value,
                            "expected PH_ACCESS_STRICT or PH_ACCESS_SUBSET");
    }
    return PH_OK;
}

/* The times of the read, from one reading of the context's clock: `at`
 * (UTC, logged) and `today` (local calendar day, judging the consent) are
 * the same instant, so a read at midnight is never logged on one day and
 * judged on the next. `on` 0 is today. */
static ph_status read_clock(const ph_ctx *ctx, ph_date on, read_times *t, ph_error *err)
{
    int64_t now = ph_ctx_now(ctx);
    ph_status st = ph_utc_format(now, t->at, err);
    if (st == PH_OK)
        st = ph_date_of_instant(now, &t->today, err);
    if (st == PH_OK)
        st = on == 0 ? PH_OK : access_resolve_date(ctx, on, &t->on, err);
    if (st == PH_OK && on == 0)
        t->on = t->today;
    return st;
}

/* Inside the transaction: decide, log, and say why when refused. */
static ph_status decide_and_log(ph_store *store, const ph_access_request *req,
                                const read_times *times, decision *d, int64_t *seq,
                                text_buf *why, ph_error *err)
{
    consent_rows rows = {ph_store_ctx(store), NULL, 0, 0};
    ph_status st = access_check_registered(store, req->uscc, req->institution_id, err);
    if (st == PH_OK)
        st = load_consents(store, req, &rows, err);
    if (st == PH_OK) {
        decide(&rows, req, times->today, d);
        if (d->allowed != req->sources) {
            ph_source_set missing = d->allowed ? d->refused : req->sources & ~d->covered;
            explain_refusal(&rows, req, times, d, missing, why);
        }
        st = log_decision(store, req, times, d, why->data, seq, err);
    }
    ph_free(rows.ctx, rows.rows);
    return st;
}

ph_status ph_access_check(ph_store *store, const ph_access_request *req, ph_access_grant *out,
                          ph_error *err)
{
    if (store == NULL || req == NULL || out == NULL || req->institution_id == NULL ||
        req->uscc == NULL || req->what == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_access_check: store, req, out, req->institution_id, req->uscc "
                            "and req->what must not be NULL");
    ph_status st = check_request(req, err);
    read_times times;
    memset(&times, 0, sizeof(times));
    if (st == PH_OK)
        st = read_clock(ph_store_ctx(store), req->on, &times, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    decision d;
    char why_text[1536]; /* the refusal sentence; a longer one ends in "..." */
    text_buf why;
    text_init(&why, why_text, sizeof(why_text));
    int64_t seq = 0;
    st = decide_and_log(store, req, &times, &d, &seq, &why, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        return access_abort(store, st);
    if (d.allowed == 0)
        return ph_error_set(err, PH_EDENIED, NULL, NULL, "%s", why.data);
    memset(out, 0, sizeof(*out));
    out->log_seq = seq;
    out->allowed = d.allowed;
    out->refused = d.refused;
    out->consent_count = d.consent_count;
    memcpy(out->consent_ids, d.consent_ids, sizeof(d.consent_ids));
    return PH_OK;
}
