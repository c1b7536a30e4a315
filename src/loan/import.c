/*
 * Importing a book (docs/loans.md#importing-a-book): a bank moves loans it
 * already holds onto the platform, and benchmarks and tests make big books
 * the same way. Each row becomes a contract (decision_id NULL, its external
 * reference UNIQUE), a schedule, a state and a "book" event, as an accepted
 * offer would; a term loan is disbursed on its day. Rows go in chunks: one
 * transaction per chunk and one ledger batch (one journal entry) per booking
 * day in it, so a million loans cost a hundred commits, not a million.
 *
 * Every row is checked before anything of it is written; a bad row rolls
 * its chunk back whole, so a chunk is stored entirely or not at all.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

#include "puhui/uscc.h"

/* The chunk's ledger batches, one per booking day, in the order first seen;
 * committed in day order. */
typedef struct day_batch {
    ph_date day;
    ph_ledger_batch *batch;
    int64_t entry;
} day_batch;

/* What an imported loan still needs once the chunk's entries exist: its
 * "book" event, which names the entry that disbursed it. */
typedef struct booked {
    int64_t loan_id;
    ph_date on;
    ph_money amount;
    size_t day;                      /* index into the day batches */
} booked;

typedef struct importer {
    ph_store *store;
    const ph_ctx *ctx;
    loan_products products;
    ph_share_schemes *schemes;
    ph_date last_cob;
    char booked_at[PH_UTC_MAX];
    ph_stmt *reference_seen, *pool_known, *contract, *schedule, *state, *event;
    day_batch *days;
    size_t n_days, cap_days;
    booked *loans;                   /* PH_LOAN_IMPORT_CHUNK of them */
    size_t n_loans;
    ph_loan_import_report *report;
} importer;

static ph_status nomem(ph_error *err)
{
    return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

/* ---- checking a row ----------------------------------------------------------------------- */

/* PH_EINVAL naming rows[i].field, the value and what was expected. */
static ph_status refuse(ph_error *err, size_t i, const char *field, const char *value,
                        const char *expected)
{
    char name[64];
    snprintf(name, sizeof(name), "rows[%zu].%s", i, field);
    return ph_error_set(err, PH_EINVAL, name, value != NULL ? value : "(none)", "expected %s",
                        expected);
}

static ph_status refuse_int(ph_error *err, size_t i, const char *field, int64_t value,
                            const char *expected)
{
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)value);
    return refuse(err, i, field, v, expected);
}

static ph_status refuse_money(ph_error *err, size_t i, const char *field, ph_money value,
                              const char *expected)
{
    char v[PH_MONEY_FORMAT_MAX];
    if (ph_money_format(value, 0, v, sizeof(v), NULL) != PH_OK)
        snprintf(v, sizeof(v), "%lld fen", (long long)value);
    return refuse(err, i, field, v, expected);
}

static ph_status refuse_rate(ph_error *err, size_t i, const char *field, ph_rate value,
                             const char *expected)
{
    char v[32];
    if (ph_rate_format_percent(value, v, sizeof(v), NULL) != PH_OK)
        snprintf(v, sizeof(v), "%lld", (long long)value);
    return refuse(err, i, field, v, expected);
}

static int present(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* A required (or, when optional, present) text of at most max bytes. */
static ph_status check_text(size_t i, const char *field, const char *s, size_t max, int required,
                            char *dst, size_t size, ph_error *err)
{
    dst[0] = '\0';
    if (!present(s)) {
        if (!required)
            return PH_OK;
        char what[64];
        snprintf(what, sizeof(what), "a %s (it is required)", field);
        return refuse(err, i, field, "", what);
    }
    size_t len = strlen(s);
    if (len > max || len >= size) {
        char what[64];
        snprintf(what, sizeof(what), "at most %zu bytes", max < size - 1 ? max : size - 1);
        return refuse(err, i, field, s, what);
    }
    memcpy(dst, s, len + 1);
    return PH_OK;
}

static ph_status exists(ph_stmt *s, const char *key, int *found, ph_error *err)
{
    ph_status st = ph_stmt_bind_text(s, 1, key, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    *found = st == PH_OK;
    if (st == PH_OK || st == PH_DONE)
        st = ph_stmt_reset(s, err);
    return st;
}

/* The contract row i describes, checked field by field (every check before
 * the first write). *skip = 1 when its reference is in the book already. */
static ph_status check_row(importer *im, size_t i, const ph_loan_import_row *row,
                           loan_contract *c, int *skip, ph_error *err)
{
    memset(c, 0, sizeof(*c));
    *skip = 0;
    ph_status st = check_text(i, "reference", row->reference, PH_LOAN_REFERENCE_MAX, 1,
                              c->reference, sizeof(c->reference), err);
    int found = 0;
    if (st == PH_OK)
        st = exists(im->reference_seen, c->reference, &found, err);
    if (st == PH_OK && found) {
        *skip = 1;
        return PH_OK;
    }
    if (st == PH_OK && !present(row->uscc))
        st = refuse(err, i, "uscc", "", "a unified social credit code (it is required)");
    if (st == PH_OK && ph_uscc_validate(row->uscc, strlen(row->uscc), NULL) != PH_OK)
        st = refuse(err, i, "uscc", row->uscc,
                    "a valid 18-character unified social credit code (GB 32100-2015)");
    if (st == PH_OK)
        snprintf(c->uscc, sizeof(c->uscc), "%s", row->uscc);
    if (st == PH_OK)
        st = check_text(i, "lender", row->lender, LOAN_NAME_MAX - 1, 1, c->lender,
                        sizeof(c->lender), err);
    if (st == PH_OK)
        st = check_text(i, "product", row->product, PH_LEDGER_TEXT_MAX, 1, c->product,
                        sizeof(c->product), err);
    if (st == PH_OK && (!present(row->method) ||
                        ph_schedule_method_parse(row->method, strlen(row->method), &c->method,
                                                 NULL) != PH_OK))
        st = refuse(err, i, "method", row->method,
                    "equal_installment, equal_principal, interest_only, seasonal or revolving");
    if (st == PH_OK && row->amount <= 0)
        st = refuse_money(err, i, "amount", row->amount, "an amount of more than 0 yuan");
    if (st == PH_OK && (row->rate < 0 || row->rate > PH_RATE_ONE))
        st = refuse_rate(err, i, "rate", row->rate, "an annual rate from 0% to 100%");
    if (st == PH_OK && (row->term < 1 || row->term > PH_LOAN_MAX_TERM_MONTHS))
        st = refuse_int(err, i, "term", row->term, "a term of 1 to 360 months");
    if (st == PH_OK && !ph_date_is_valid(row->booked_on))
        st = refuse_int(err, i, "booked_on", row->booked_on, "a day of the calendar");
    if (st == PH_OK && im->last_cob != 0 && row->booked_on <= im->last_cob) {
        char day[16], last[16], what[96];
        ph_date_format(row->booked_on, day, sizeof(day), NULL);
        ph_date_format(im->last_cob, last, sizeof(last), NULL);
        snprintf(what, sizeof(what), "a day after the last close of business, %s", last);
        st = refuse(err, i, "booked_on", day, what);
    }
    if (st == PH_OK)
        st = check_text(i, "guarantor", row->guarantor, sizeof(c->guarantor) - 1, 0,
                        c->guarantor, sizeof(c->guarantor), err);
    if (st == PH_OK)
        st = check_text(i, "pool", row->pool, sizeof(c->pool) - 1, 0, c->pool, sizeof(c->pool),
                        err);
    if (st == PH_OK && c->pool[0] != '\0') {
        st = exists(im->pool_known, c->pool, &found, err);
        if (st == PH_OK && !found)
            st = refuse(err, i, "pool", c->pool,
                        "a compensation pool the book holds already (risk_pool)");
    }
    if (st == PH_OK && (row->pool_bp < 0 || row->pool_bp > 10000 ||
                        (row->pool_bp > 0 && c->pool[0] == '\0')))
        st = refuse_int(err, i, "pool_bp", row->pool_bp,
                        c->pool[0] == '\0' ? "0 without a pool"
                                           : "the pool's share in basis points, 0 to 10000");
    if (st == PH_OK && (row->guarantee_fee < 0 || row->guarantee_fee > PH_RATE_ONE))
        st = refuse_rate(err, i, "guarantee_fee", row->guarantee_fee,
                         "an annual fee from 0% to 100%");
    if (st == PH_OK && row->guarantee_fee > 0 && c->guarantor[0] == '\0')
        st = refuse_rate(err, i, "guarantee_fee", row->guarantee_fee,
                         "0 without a guarantor (the fee is payable to one)");
    if (st == PH_OK && (row->subsidy_rate < 0 || row->subsidy_rate > row->rate))
        st = refuse_rate(err, i, "subsidy_rate", row->subsidy_rate,
                         "an interest subsidy from 0% to the loan's rate");
    if (st != PH_OK)
        return st;

    const loan_product *p = loan_product_find(&im->products, c->product);
    const char *scheme = present(row->scheme) ? row->scheme
                         : c->guarantor[0]    ? p->scheme_with
                                              : p->scheme_without;
    if (ph_share_schemes_find(im->schemes, scheme) == NULL || strlen(scheme) >= sizeof(c->scheme))
        return refuse(err, i, "scheme", scheme, "a risk-sharing scheme the platform knows "
                                                "(docs/loans.md#risk-sharing)");
    snprintf(c->scheme, sizeof(c->scheme), "%s", scheme);
    c->product_version = im->products.version;
    c->amount = row->amount;
    c->rate = row->rate;
    c->term = row->term;
    c->daycount = p->daycount;
    c->grace_days = p->grace_days;
    c->allocation = p->allocation;
    snprintf(c->allocation_text, sizeof(c->allocation_text), "%s", p->allocation_text);
    c->harvest_months = p->harvest_months;
    c->guarantee_fee = row->guarantee_fee;
    c->subsidy_rate = row->subsidy_rate;
    c->pool_bp = row->pool_bp;
    c->booked_on = row->booked_on;
    ph_rate markup = 0;
    st = ph_rate_mul(row->rate, p->penalty_markup, PH_ROUND_HALF_UP, &markup, err);
    if (st == PH_OK)
        st = ph_rate_add(row->rate, markup, &c->penalty_rate, err);
    if (st == PH_OK)
        st = ph_date_add_months(row->booked_on, c->term, PH_EOM_CLAMP, &c->maturity_on, err);
    return st;
}

/* ---- writing a row ------------------------------------------------------------------------ */

static ph_status batch_for(importer *im, ph_date day, size_t *index, ph_error *err)
{
    for (size_t k = 0; k < im->n_days; k++)
        if (im->days[k].day == day) {
            *index = k;
            return PH_OK;
        }
    if (im->n_days == im->cap_days) {
        size_t cap = im->cap_days ? 2 * im->cap_days : 4;
        day_batch *grown = ph_realloc(im->ctx, im->days, cap * sizeof(*grown));
        if (grown == NULL)
            return nomem(err);
        im->days = grown;
        im->cap_days = cap;
    }
    day_batch *b = &im->days[im->n_days];
    memset(b, 0, sizeof(*b));
    b->day = day;
    ph_status st = ph_ledger_batch_new(im->store, day, "disburse", "loans imported", &b->batch,
                                       err);
    if (st == PH_OK)
        *index = im->n_days++;
    return st;
}

static ph_status write_row(importer *im, size_t i, loan_contract *c, ph_error *err)
{
    ph_instalment rows[PH_LOAN_MAX_TERM_MONTHS];
    size_t n = 0;
    ph_schedule_terms t = {0};
    t.principal = c->amount;
    t.anchor = c->booked_on;
    t.first_k = 1;
    t.term_months = (int32_t)c->term;
    t.period_start = c->booked_on;
    t.method = c->method;
    t.rate = c->rate;
    t.daycount = c->daycount;
    t.harvest_months = c->harvest_months;
    ph_status st = ph_schedule_build(&t, rows, PH_LOAN_MAX_TERM_MONTHS, &n, err);
    if (st == PH_EINVAL) { /* the terms cannot be scheduled (a seasonal loan without harvest
                              months in its product): the row's fault, named as such */
        char why[PH_ERROR_MESSAGE_MAX + LOAN_NAME_MAX + 64];
        snprintf(why, sizeof(why), "a method the servicing product \"%s\" can schedule (%s)",
                 loan_product_find(&im->products, c->product)->name, err->message);
        return refuse(err, i, "method", ph_schedule_method_name(c->method), why);
    }
    if (st == PH_OK)
        st = loan_contract_insert_step(im->contract, c, im->booked_at, &c->id, err);
    if (st == PH_OK)
        st = loan_schedule_insert_rows(im->schedule, c->id, 1, rows, n, err);
    if (st == PH_OK) {
        loan_row r;
        memset(&r, 0, sizeof(r));
        r.s.loan_id = c->id;
        r.s.rate = c->rate;
        r.s.penalty_rate = c->penalty_rate;
        r.s.daycount = c->daycount;
        r.s.grace_days = c->grace_days;
        r.s.principal = c->method == PH_METHOD_REVOLVING ? 0 : c->amount;
        r.s.n_instalments = (int32_t)n;
        r.status = LOAN_ACTIVE;
        r.schedule_version = 1;
        r.last_event_on = c->booked_on;
        st = loan_row_insert_step(im->state, &r, err);
    }
    size_t day = 0;
    if (st == PH_OK)
        st = batch_for(im, c->booked_on, &day, err);
    if (st == PH_OK && c->method != PH_METHOD_REVOLVING) {
        ph_ledger_line dr = {ACC_PRINCIPAL, c->id, c->product, "", c->amount, 0};
        ph_ledger_line cr = {ACC_CASH, 0, c->product, c->uscc, 0, c->amount};
        st = ph_ledger_batch_add(im->days[day].batch, &dr, err);
        if (st == PH_OK)
            st = ph_ledger_batch_add(im->days[day].batch, &cr, err);
        if (st == PH_OK)
            im->report->disbursed += c->amount;
    }
    if (st == PH_OK)
        im->loans[im->n_loans++] = (booked){c->id, c->booked_on,
                                            c->amount, day};
    return st;
}

static int day_order(const void *a, const void *b)
{
    const day_batch *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/* The chunk's entries, in day order, then every loan's "book" event naming
 * the entry that disbursed it. */
static ph_status finish_chunk(importer *im, ph_error *err)
{
    /* Sort a copy of the order so each loan's `day` index stays valid. */
    size_t order[64], *ord = order;
    if (im->n_days > 64 && (ord = ph_malloc(im->ctx, im->n_days * sizeof(*ord))) == NULL)
        return nomem(err);
    for (size_t k = 0; k < im->n_days; k++)
        ord[k] = k;
    for (size_t a = 1; a < im->n_days; a++) /* insertion sort: a chunk spans few days */
        for (size_t b = a; b > 0 && day_order(&im->days[ord[b - 1]], &im->days[ord[b]]) > 0; b--) {
            size_t t = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = t;
        }
    ph_status st = PH_OK;
    for (size_t k = 0; st == PH_OK && k < im->n_days; k++) {
        day_batch *b = &im->days[ord[k]];
        st = ph_ledger_batch_commit(b->batch, &b->entry, err);
        if (st == PH_OK && b->entry != 0)
            im->report->entries++;
    }
    if (ord != order)
        ph_free(im->ctx, ord);
    for (size_t i = 0; st == PH_OK && i < im->n_loans; i++) {
        const booked *l = &im->loans[i];
        st = loan_event_insert_step(im->event, l->loan_id, l->on, "book", l->amount,
                                    "imported", im->days[l->day].entry, NULL, err);
    }
    return st;
}

static void drop_batches(importer *im)
{
    for (size_t k = 0; k < im->n_days; k++)
        ph_ledger_batch_free(im->days[k].batch);
    im->n_days = 0;
}

static ph_status prepare_all(importer *im, ph_error *err)
{
    ph_status st = ph_store_prepare(im->store, "SELECT 1 FROM loan WHERE reference = ?",
                                    &im->reference_seen, err);
    if (st == PH_OK)
        st = ph_store_prepare(im->store, "SELECT 1 FROM risk_pool WHERE pool = ?",
                              &im->pool_known, err);
    if (st == PH_OK)
        st = loan_contract_insert_prepare(im->store, &im->contract, err);
    if (st == PH_OK)
        st = loan_schedule_insert_prepare(im->store, &im->schedule, err);
    if (st == PH_OK)
        st = loan_row_insert_prepare(im->store, &im->state, err);
    if (st == PH_OK)
        st = loan_event_insert_prepare(im->store, &im->event, err);
    return st;
}

static void free_all(importer *im)
{
    ph_stmt_free(im->reference_seen);
    ph_stmt_free(im->pool_known);
    ph_stmt_free(im->contract);
    ph_stmt_free(im->schedule);
    ph_stmt_free(im->state);
    ph_stmt_free(im->event);
    im->reference_seen = im->pool_known = im->contract = im->schedule = im->state = im->event =
        NULL;
}

/* One chunk, rows[from..to), in one transaction. */
static ph_status import_chunk(importer *im, const ph_loan_import_row *rows, size_t from,
                              size_t to, ph_error *err)
{
    ph_status st = ph_store_begin(im->store, err);
    if (st != PH_OK)
        return st;
    int64_t imported = 0, skipped = 0, first = 0, last = 0;
    ph_money disbursed = im->report->disbursed;
    int64_t entries = im->report->entries;
    im->n_loans = 0;
    st = loan_last_cob(im->store, &im->last_cob, err);
    if (st == PH_OK)
        st = prepare_all(im, err);
    for (size_t i = from; st == PH_OK && i < to; i++) {
        loan_contract c;
        int skip = 0;
        st = check_row(im, i, &rows[i], &c, &skip, err);
        if (st == PH_EINVAL)
            im->report->bad_row = i;
        if (st != PH_OK || skip) {
            skipped += skip;
            continue;
        }
        st = write_row(im, i, &c, err);
        if (st == PH_EINVAL)
            im->report->bad_row = i;
        if (st == PH_OK) {
            imported++;
            first = first ? first : c.id;
            last = c.id;
        }
    }
    if (st == PH_OK)
        st = finish_chunk(im, err);
    drop_batches(im);
    free_all(im);
    if (st == PH_OK)
        st = ph_store_commit(im->store, err);
    if (st != PH_OK) {
        ph_store_rollback(im->store, NULL);
        im->report->disbursed = disbursed; /* nothing of the chunk is stored */
        im->report->entries = entries;
        return st;
    }
    im->report->imported += imported;
    im->report->skipped += skipped;
    im->report->chunks++;
    if (imported) {
        im->report->first_id = im->report->first_id ? im->report->first_id : first;
        im->report->last_id = last;
    }
    return PH_OK;
}

ph_status ph_loan_import(ph_store *store, const ph_loan_import_row *rows, size_t n,
                         ph_loan_import_report *out, ph_error *err)
{
    if (store == NULL || (rows == NULL && n > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_import: NULL argument");
    if (ph_store_in_transaction(store))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_loan_import runs its own transactions");
    ph_loan_import_report report;
    memset(&report, 0, sizeof(report));
    importer im;
    memset(&im, 0, sizeof(im));
    im.store = store;
    im.ctx = ph_store_ctx(store);
    im.report = &report;
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    if (st == PH_OK)
        st = ph_ctx_utc_now(im.ctx, im.booked_at, err);
    if (st == PH_OK)
        st = loan_products_current(store, &im.products, err);
    if (st == PH_OK)
        st = ph_share_schemes_default(im.ctx, &im.schemes, err);
    size_t chunk = n < PH_LOAN_IMPORT_CHUNK ? n : PH_LOAN_IMPORT_CHUNK;
    if (st == PH_OK && chunk > 0 &&
        (im.loans = ph_malloc(im.ctx, chunk * sizeof(*im.loans))) == NULL)
        st = nomem(err);
    for (size_t from = 0; st == PH_OK && from < n; from += PH_LOAN_IMPORT_CHUNK) {
        size_t to = n - from < PH_LOAN_IMPORT_CHUNK ? n : from + PH_LOAN_IMPORT_CHUNK;
        st = import_chunk(&im, rows, from, to, err);
    }
    ph_free(im.ctx, im.loans);
    ph_free(im.ctx, im.days);
    ph_share_schemes_free(im.schemes);
    loan_products_release(im.ctx, &im.products);
    if (out != NULL)
        *out = report;
    return st;
}
