/*
 * Order financing (include/puhui/order.h, docs/supply_chain.md).
 *
 * Why here and not in the loan book: the loan book knows loans, not
 * orders. This module knows the order, the cap on the advance, where the
 * advance may be paid and who repays it; the money itself is a loan of the
 * book (ph_loan_import, reference "order:<id>"), so it is accrued, closed
 * of business and posted to the ledger like every other loan.
 *
 * Invariants: an order has at most one advance (order_advance's primary
 * key, and the loan reference UNIQUE in the book); advance <= cap x order
 * amount, exactly (ph_money_muldiv, rounded down: the cap is never
 * exceeded by a rounding); paid_out <= advance (a CHECK); every payment
 * refused for the whitelist leaves a row (order_event 'pay_refused').
 *
 * The loan functions run their own transactions and refuse to run inside
 * another, so an advance is two commits: the loan first (if it fails,
 * nothing is stored), then the advance and its event. A crash between them
 * leaves a loan "order:<id>" without its advance: a second advance of the
 * order is then refused by the book's reference (PH_EEXISTS, saying so).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"
#include "puhui/cob.h"
#include "puhui/loan.h"
#include "trade_internal.h"

typedef struct order_row {
    char id[PH_ORDER_ID_MAX + 1];
    char buyer[19], seller[19];
    ph_money amount;
    ph_date confirmed_on, due_on;
    char status[16];
    int advanced;           /* an order_advance row exists */
    char lender[256];
    ph_money advance, paid_out;
    ph_rate rate;
    int64_t loan_id;
    char advance_status[16];
    ph_date advanced_on;
} order_row;

static ph_status need(ph_store *store, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "order: NULL store");
    return ph_store_require_schema(store, TRADE_SCHEMA, "order financing", err);
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static ph_status parse_day(const char *text, ph_date *out, ph_error *err)
{
    return ph_date_parse(text ? text : "", text ? strlen(text) : 0, out, err);
}

static ph_status order_read(ph_store *store, const char *id, order_row *o, ph_error *err)
{
    memset(o, 0, sizeof(*o));
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT o.id, o.buyer_uscc, o.seller_uscc, o.amount, o.confirmed_on, o.due_on, "
        "o.status, a.lender, a.amount, a.paid_out, a.loan_id, a.status, a.on_day, a.rate "
        "FROM trade_order o LEFT JOIN order_advance a ON a.order_id = o.id WHERE o.id = ?",
        &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "order", id, "expected a confirmed order");
    if (st == PH_OK) {
        copy(o->id, sizeof(o->id), ph_stmt_column_text(s, 0));
        copy(o->buyer, sizeof(o->buyer), ph_stmt_column_text(s, 1));
        copy(o->seller, sizeof(o->seller), ph_stmt_column_text(s, 2));
        o->amount = ph_stmt_column_int64(s, 3);
        st = parse_day(ph_stmt_column_text(s, 4), &o->confirmed_on, err);
        if (st == PH_OK)
            st = parse_day(ph_stmt_column_text(s, 5), &o->due_on, err);
        copy(o->status, sizeof(o->status), ph_stmt_column_text(s, 6));
        if (st == PH_OK && !ph_stmt_column_is_null(s, 7)) {
            o->advanced = 1;
            copy(o->lender, sizeof(o->lender), ph_stmt_column_text(s, 7));
            o->advance = ph_stmt_column_int64(s, 8);
            o->paid_out = ph_stmt_column_int64(s, 9);
            o->loan_id = ph_stmt_column_int64(s, 10);
            copy(o->advance_status, sizeof(o->advance_status), ph_stmt_column_text(s, 11));
            st = parse_day(ph_stmt_column_text(s, 12), &o->advanced_on, err);
            o->rate = ph_stmt_column_int64(s, 13);
        }
    }
    ph_stmt_free(s);
    return st;
}

/* The trade schema, then order id into o: what every operation on one
 * order reads first. */
static ph_status need_order(ph_store *store, const char *id, order_row *o, ph_error *err)
{
    ph_status st = need(store, err);
    if (st == PH_OK)
        st = order_read(store, id, o, err);
    return st;
}

/* Run one statement with text/int64 parameters given as a format: 't' text,
 * 'i' int64. */
static ph_status run(ph_store *store, const char *sql, const char *types, ph_error *err, ...)
{
    va_list ap;
    va_start(ap, err);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store, sql, &s, err);
    for (int i = 0; st == PH_OK && types[i] != '\0'; i++) {
        if (types[i] == 't')
            st = ph_stmt_bind_text(s, i + 1, va_arg(ap, const char *), -1, err);
        else
            st = ph_stmt_bind_int64(s, i + 1, va_arg(ap, int64_t), err);
    }
    va_end(ap);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

/* ---- confirm -------------------------------------------------------------------------------- */

ph_status ph_order_confirm(ph_store *store, const ph_order *o, ph_evidence_log *log,
                           ph_error *err)
{
    if (o == NULL || o->id == NULL || o->buyer_uscc == NULL || o->seller_uscc == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_confirm: NULL argument");
    ph_status st = need(store, err);
    if (st != PH_OK)
        return st;
    size_t n = strlen(o->id);
    if (n == 0 || n > PH_ORDER_ID_MAX)
        return ph_error_set(err, PH_EINVAL, "id", o->id, "expected 1 to %d bytes",
                            PH_ORDER_ID_MAX);
    if (o->amount <= 0) {
        char m[PH_MONEY_FORMAT_MAX];
        trade_money(o->amount, m);
        return ph_error_set(err, PH_EINVAL, "amount", m, "expected an order of more than 0");
    }
    if (o->due_on <= o->confirmed_on) {
        char d[PH_DATE_FORMAT_MAX], c[PH_DATE_FORMAT_MAX];
        trade_day(o->due_on, d);
        trade_day(o->confirmed_on, c);
        return ph_error_set(err, PH_EINVAL, "due_on", d,
                            "expected a due day after the confirmation day %s", c);
    }
    if (strcmp(o->buyer_uscc, o->seller_uscc) == 0)
        return ph_error_set(err, PH_EINVAL, "seller", o->seller_uscc,
                            "expected a seller other than the buyer");
    st = trade_check_buyer(store, "buyer", o->buyer_uscc, err);
    if (st == PH_OK)
        st = trade_check_firm(store, "seller", o->seller_uscc, err);
    if (st != PH_OK)
        return st;
    char c[PH_DATE_FORMAT_MAX], d[PH_DATE_FORMAT_MAX];
    trade_day(o->confirmed_on, c);
    trade_day(o->due_on, d);
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = run(store,
             "INSERT INTO trade_order (id, buyer_uscc, seller_uscc, amount, confirmed_on, "
             "due_on) VALUES (?, ?, ?, ?, ?, ?)",
             "tttitt", err, o->id, o->buyer_uscc, o->seller_uscc, (int64_t)o->amount, c, d);
    if (st == PH_EEXISTS)
        st = ph_error_set(err, PH_EEXISTS, "id", o->id, "expected a new order id: it exists");
    if (st == PH_OK) {
        char detail[64];
        snprintf(detail, sizeof(detail), "{\"due\":\"%s\"}", d);
        trade_event e = {o->id, "confirm", o->confirmed_on, o->buyer_uscc, o->seller_uscc,
                         o->amount, detail, 0};
        st = trade_event_write(store, log, "order_event", "order", &e, err);
    }
    return trade_finish(store, log, st, err);
}

/* ---- advance -------------------------------------------------------------------------------- */

/* Months from `from` until `to` is reached, at least 1: the term of the
 * advance's loan (its maturity falls on or after the order's due day). */
static int64_t term_months(ph_date from, ph_date to)
{
    int64_t months = 1;
    ph_date m = from;
    while (months < 360 && ph_date_add_months(from, months, PH_EOM_CLAMP, &m, NULL) == PH_OK &&
           m < to)
        months++;
    return months;
}

/* The loan an interrupted advance of order `id` booked under `reference`,
 * when it is the loan this advance would book (same firm, lender, amount,
 * rate and day); PH_EEXISTS otherwise. */
static ph_status adopt_loan(ph_store *store, const char *id, const char *reference,
                            const ph_loan_import_row *row, int64_t *loan, ph_error *err)
{
    ph_loan_info info;
    ph_status st = ph_loan_find_reference(store, reference, loan, err);
    if (st == PH_OK && *loan == 0)
        st = ph_error_set(err, PH_ESTORE, "order", id,
                          "the loan book skipped the advance's loan but holds no loan with "
                          "reference %s",
                          reference);
    if (st != PH_OK)
        return st;
    st = ph_loan_get(store, *loan, &info, err);
    if (st != PH_OK)
        return st;
    int same = strcmp(info.uscc, row->uscc) == 0 && strcmp(info.lender, row->lender) == 0 &&
               info.amount == row->amount && info.rate == row->rate &&
               info.booked_on == row->booked_on;
    ph_loan_info_free(ph_store_ctx(store), &info);
    if (!same)
        return ph_error_set(err, PH_EEXISTS, "order", id,
                            "expected an order not yet financed: the loan book holds loan %lld "
                            "with reference %s, on other terms than this advance",
                            (long long)*loan, reference);
    return PH_OK;
}

ph_status ph_order_advance(ph_store *store, const char *id, const char *lender, ph_date on,
                           ph_money amount, ph_rate rate, ph_evidence_log *log,
                           int64_t *loan_id, ph_error *err)
{
    if (id == NULL || lender == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_advance: NULL argument");
    order_row o;
    ph_status st = need_order(store, id, &o, err);
    if (st == PH_OK)
        st = trade_check_lender(store, "lender", lender, err);
    if (st != PH_OK)
        return st;
    char m[PH_MONEY_FORMAT_MAX], total[PH_MONEY_FORMAT_MAX], day[PH_DATE_FORMAT_MAX];
    trade_money(amount, m);
    trade_money(o.amount, total);
    trade_day(on, day);
    if (o.advanced) {
        char when[PH_DATE_FORMAT_MAX];
        trade_day(o.advanced_on, when);
        return ph_error_set(err, PH_EEXISTS, "order", id,
                            "expected an order not yet financed: %s advanced it on %s (loan "
                            "%lld)",
                            o.lender, when, (long long)o.loan_id);
    }
    /* a paid order is closed: an advance could not be repaid from the buyer's
     * payment, and would reopen the order for a second settlement */
    if (strcmp(o.status, "paid") == 0)
        return ph_error_set(err, PH_EINVAL, "order", id,
                            "expected an order not yet paid: the buyer has paid it, so there is "
                            "no payment left to repay an advance");
    if (amount <= 0)
        return ph_error_set(err, PH_EINVAL, "amount", m, "expected an advance of more than 0");
    if (on < o.confirmed_on || on >= o.due_on) {
        char c[PH_DATE_FORMAT_MAX], d[PH_DATE_FORMAT_MAX];
        trade_day(o.confirmed_on, c);
        trade_day(o.due_on, d);
        return ph_error_set(err, PH_EINVAL, "on", day,
                            "expected a day from the order's confirmation %s to before its due "
                            "day %s",
                            c, d);
    }
    if (rate < 0 || rate > PH_RATE_ONE) {
        char r[PH_RATE_FORMAT_MAX];
        trade_percent(rate, r);
        return ph_error_set(err, PH_EINVAL, "rate", r, "expected an annual rate of 0 to 100%%");
    }
    ph_rate cap = 0;
    st = trade_limit_get(store, "order_advance_cap", &cap, err);
    ph_money most = 0;
    if (st == PH_OK)
        st = ph_money_muldiv(o.amount, cap, PH_RATE_ONE, PH_ROUND_DOWN, &most, err);
    if (st != PH_OK)
        return st;
    if (amount > most) {
        ph_money share = 0;
        char pct[PH_RATE_FORMAT_MAX], capt[PH_RATE_FORMAT_MAX], mostt[PH_MONEY_FORMAT_MAX];
        (void)ph_money_muldiv(amount, PH_RATE_ONE, o.amount, PH_ROUND_HALF_UP, &share, NULL);
        trade_percent(share, pct);
        trade_percent(cap, capt);
        trade_money(most, mostt);
        return ph_error_set(err, PH_EINVAL, "amount", m,
                            "%s yuan is %s of order %s's %s yuan; expected at most %s: %s yuan",
                            m, pct, id, total, capt, mostt);
    }

    /* the loan first: its own transaction */
    char reference[PH_ORDER_ID_MAX + 8];
    snprintf(reference, sizeof(reference), "order:%s", id);
    ph_loan_import_row row;
    memset(&row, 0, sizeof(row));
    row.reference = reference;
    row.uscc = o.seller;
    row.lender = lender;
    row.product = "default";
    row.method = "interest_only";
    row.amount = amount;
    row.rate = rate;
    row.term = term_months(on, o.due_on);
    row.booked_on = on;
    ph_loan_import_report rep;
    st = ph_loan_import(store, &row, 1, &rep, err);
    if (st != PH_OK)
        return st;
    int64_t loan = rep.first_id;
    /* the reference is booked already: an earlier attempt booked the loan
     * and stopped before recording the advance; the same advance adopts
     * that loan, a different one is refused */
    if (rep.imported != 1) {
        st = adopt_loan(store, id, reference, &row, &loan, err);
        if (st != PH_OK)
            return st;
    }

    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = run(store,
             "INSERT INTO order_advance (order_id, lender, on_day, amount, rate, loan_id) "
             "VALUES (?, ?, ?, ?, ?, ?)",
             "tttiii", err, id, lender, day, (int64_t)amount, (int64_t)rate, loan);
    if (st == PH_OK)
        st = run(store, "UPDATE trade_order SET status = 'financed' WHERE id = ?", "t", err,
                 id);
    if (st == PH_OK) {
        /* the rate exact (the stored one), not the two places of messages */
        char detail[128], r[PH_RATE_FORMAT_MAX];
        (void)ph_rate_format_percent(rate, r, sizeof(r), NULL);
        snprintf(detail, sizeof(detail), "{\"loan\":%lld,\"rate\":\"%s\"}", (long long)loan,
                 r);
        trade_event e = {id, "advance", on, lender, o.seller, amount, detail, 0};
        st = trade_event_write(store, log, "order_event", "order", &e, err);
    }
    st = trade_finish(store, log, st, err);
    if (st == PH_OK && loan_id != NULL)
        *loan_id = loan;
    return st;
}

/* ---- whitelist and payments ----------------------------------------------------------------- */

ph_status ph_order_whitelisted(ph_store *store, const char *seller, const char *supplier,
                               int *ok, ph_error *err)
{
    if (seller == NULL || supplier == NULL || ok == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_whitelisted: NULL argument");
    ph_status st = need(store, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT 1 FROM order_whitelist WHERE seller_uscc = ? AND "
                              "supplier_uscc = ? UNION ALL SELECT 1 FROM feed_supply_chain "
                              "WHERE buyer_uscc = ? AND supplier_uscc = ?",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, seller, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, supplier, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, seller, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, supplier, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK || st == PH_DONE) {
        *ok = st == PH_OK;
        st = PH_OK;
    }
    ph_stmt_free(s);
    return st;
}

ph_status ph_order_whitelist_add(ph_store *store, const char *seller, const char *supplier,
                                 ph_date on, ph_evidence_log *log, ph_error *err)
{
    if (seller == NULL || supplier == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_whitelist_add: NULL argument");
    ph_status st = need(store, err);
    if (st == PH_OK)
        st = trade_check_firm(store, "seller", seller, err);
    if (st == PH_OK)
        st = trade_check_firm(store, "supplier", supplier, err);
    if (st == PH_OK && strcmp(seller, supplier) == 0)
        st = ph_error_set(err, PH_EINVAL, "supplier", supplier,
                          "expected a supplier other than the seller");
    if (st != PH_OK)
        return st;
    char day[PH_DATE_FORMAT_MAX];
    trade_day(on, day);
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = run(store,
             "INSERT INTO order_whitelist (seller_uscc, supplier_uscc, added_on) VALUES (?, ?, ?)",
             "ttt", err, seller, supplier, day);
    if (st == PH_EEXISTS)
        st = ph_error_set(err, PH_EEXISTS, "supplier", supplier,
                          "expected a supplier not yet on %s's whitelist", seller);
    if (st == PH_OK) {
        trade_event e = {seller, "whitelist", on, seller, supplier, 0, "{\"added\":true}", 0};
        st = trade_event_write(store, log, "order_event", "order", &e, err);
    }
    return trade_finish(store, log, st, err);
}

ph_status ph_order_pay(ph_store *store, const char *id, const char *to, ph_date on,
                       ph_money amount, ph_evidence_log *log, ph_error *err)
{
    if (id == NULL || to == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_pay: NULL argument");
    order_row o;
    ph_status st = need_order(store, id, &o, err);
    if (st != PH_OK)
        return st;
    char m[PH_MONEY_FORMAT_MAX];
    trade_money(amount, m);
    if (!o.advanced || strcmp(o.advance_status, "open") != 0)
        return ph_error_set(err, PH_EINVAL, "order", id,
                            "expected an order with an open advance to pay from");
    if (amount <= 0)
        return ph_error_set(err, PH_EINVAL, "amount", m, "expected a payment of more than 0");
    if (on < o.advanced_on) {
        char d[PH_DATE_FORMAT_MAX], a[PH_DATE_FORMAT_MAX];
        trade_day(on, d);
        trade_day(o.advanced_on, a);
        return ph_error_set(err, PH_EINVAL, "on", d, "expected the advance's day %s or later", a);
    }
    int ok = 0;
    st = ph_order_whitelisted(store, o.seller, to, &ok, err);
    if (st != PH_OK)
        return st;
    if (!ok) {
        /* refused, and the refusal is kept: a row and a leaf */
        st = ph_store_begin(store, err);
        if (st == PH_OK) {
            trade_event e = {id, "pay_refused", on, o.seller, to, amount,
                             "{\"reason\":\"not a supplier of the seller nor on its "
                             "whitelist\"}", 0};
            st = trade_event_write(store, log, "order_event", "order", &e, err);
            st = trade_finish(store, log, st, err);
        }
        if (st != PH_OK)
            return st;
        return ph_error_set(err, PH_EDENIED, "to", to,
                            "expected a supplier of seller %s (feed_supply_chain) or one on its "
                            "whitelist: the payment of %s yuan from order %s's advance is "
                            "refused, and the refusal recorded",
                            o.seller, m, id);
    }
    ph_money left = o.advance - o.paid_out;
    if (amount > left) {
        char l[PH_MONEY_FORMAT_MAX];
        trade_money(left, l);
        return ph_error_set(err, PH_EINVAL, "amount", m,
                            "expected at most the %s yuan left of order %s's advance", l, id);
    }
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = run(store, "UPDATE order_advance SET paid_out = paid_out + ? WHERE order_id = ?", "it",
             err, (int64_t)amount, id);
    if (st == PH_OK) {
        trade_event e = {id, "pay", on, o.seller, to, amount, "{}", 0};
        st = trade_event_write(store, log, "order_event", "order", &e, err);
    }
    return trade_finish(store, log, st, err);
}

/* ---- settlement ----------------------------------------------------------------------------- */

static ph_money paid_total(const ph_loan_payment *p)
{
    ph_money sum = p->prepaid_principal;
    for (int b = 0; b < PH_BUCKET_COUNT; b++)
        sum += p->paid[b];
    return sum;
}

/* Repay the advance's loan from `amount` under `reference`: in full when
 * it covers what is owed, else as much as it covers. The loan book decides
 * what is owed (accrued interest included); its refusals tell which case
 * this is. A refused attempt stores nothing, so the reference is free for
 * the next; the one that succeeds stores it with the loan's event. */
static ph_status repay_loan(ph_store *store, int64_t loan, ph_date on, ph_money amount,
                            const char *reference, ph_money *to_lender, int *closed,
                            ph_error *err)
{
    ph_loan_payment p;
    memset(&p, 0, sizeof(p));
    ph_error e1;
    ph_error_clear(&e1);
    ph_status st = ph_loan_prepay_ref(store, loan, on, amount, 0, reference, &p, &e1);
    if (st == PH_OK) {
        *to_lender = amount;
        *closed = p.closed;
        return PH_OK;
    }
    if (st == PH_EINVAL && strcmp(e1.field, "amount") == 0 &&
        strstr(e1.detail, "more than is owed") != NULL) {
        st = ph_loan_prepay_ref(store, loan, on, 0, 1, reference, &p, err);
        if (st == PH_OK) {
            *to_lender = paid_total(&p);
            *closed = p.closed;
        }
        return st;
    }
    if (st == PH_EINVAL && strcmp(e1.field, "amount") == 0 &&
        strstr(e1.detail, "a prepayment first pays") != NULL) {
        st = ph_loan_repay_ref(store, loan, on, amount, reference, &p, err);
        if (st == PH_OK) {
            *to_lender = amount;
            *closed = p.closed;
        }
        return st;
    }
    if (err != NULL)
        *err = e1;
    return st;
}

/* What the buyer has paid of order id so far: its repay and remit events
 * (each payment of the buyer is split into these two). */
static ph_status buyer_paid(ph_store *store, const char *id, ph_money *out, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT coalesce(sum(amount), 0) FROM order_event WHERE "
                                    "subject = ? AND type IN ('repay', 'remit')",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_OK)
        *out = ph_stmt_column_int64(s, 0);
    ph_stmt_free(s);
    return st;
}

/*
 * The order of writes, and why a crash anywhere is safe:
 *   1. the loan repayment, in the loan book's own transaction (the loan
 *      functions refuse to run inside another), under a reference derived
 *      from the order's loan and what the buyer had paid before this
 *      payment: "order-pay:L<loan>:<fen paid before>";
 *   2. the order's state and events in one transaction, the log committed
 *      before it (trade_finish).
 * A crash after 1 and before 2 leaves the loan repaid with no order event.
 * The retry derives the same reference (nothing the order records has
 * changed), finds the repayment in the loan book (ph_loan_payment_by_ref)
 * instead of paying again, and goes on to 2 with what was paid then, on
 * the day it was paid. The reference does not hold the day on purpose: a
 * retry on the next day must find the payment too, not pay again. Step 2
 * re-reads what the buyer has paid inside its transaction, so two
 * processes settling the same payment record it once.
 *
 * Partial payments: the buyer may pay the order in several payments, none
 * above what it still owes (refused with the numbers). Each repays the loan
 * first, as much as it covers, the rest goes to the seller; the order is
 * paid when the payments reach its amount. A payment that leaves the loan
 * open leaves the advance open for the next payment to repay.
 */
ph_status ph_order_settle(ph_store *store, const char *id, ph_date on, ph_money amount,
                          ph_evidence_log *log, ph_order_settlement *out, ph_error *err)
{
    if (id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_settle: NULL argument");
    order_row o;
    ph_status st = need_order(store, id, &o, err);
    if (st != PH_OK)
        return st;
    char m[PH_MONEY_FORMAT_MAX];
    trade_money(amount, m);
    if (strcmp(o.status, "paid") == 0)
        return ph_error_set(err, PH_EINVAL, "order", id,
                            "expected an order not yet paid: the buyer has paid it");
    if (amount <= 0)
        return ph_error_set(err, PH_EINVAL, "amount", m, "expected a payment of more than 0");
    ph_money before = 0;
    st = buyer_paid(store, id, &before, err);
    if (st != PH_OK)
        return st;
    ph_money left = o.amount - before;
    if (amount > left) {
        char l[PH_MONEY_FORMAT_MAX], b[PH_MONEY_FORMAT_MAX], t[PH_MONEY_FORMAT_MAX];
        trade_money(left, l);
        trade_money(before, b);
        trade_money(o.amount, t);
        return ph_error_set(err, PH_EINVAL, "amount", m,
                            "expected at most the %s yuan order %s still owes (%s yuan of its "
                            "%s paid)",
                            l, id, b, t);
    }
    ph_order_settlement s = {0, 0, 0};
    char reference[PH_LOAN_REFERENCE_MAX + 1] = "";
    if (o.advanced && strcmp(o.advance_status, "open") == 0) {
        snprintf(reference, sizeof(reference), "order-pay:L%lld:%lld", (long long)o.loan_id,
                 (long long)before);
        ph_loan_ref_payment done;
        int found = 0;
        st = ph_loan_payment_by_ref(store, reference, &done, &found, err);
        if (st == PH_OK && !found) {
            st = repay_loan(store, o.loan_id, on, amount, reference, &s.to_lender,
                            &s.loan_closed, err);
            /* another process paid it under the same reference meanwhile */
            if (st == PH_EEXISTS && err != NULL && strcmp(err->field, "reference") == 0)
                st = ph_loan_payment_by_ref(store, reference, &done, &found, err);
        }
        if (st != PH_OK)
            return st;
        if (found) {
            /* paid before a crash: record what was paid, on the day it was */
            if (done.amount > amount) {
                char d[PH_MONEY_FORMAT_MAX];
                trade_money(done.amount, d);
                return ph_error_set(err, PH_EINVAL, "amount", m,
                                    "expected at least the %s yuan loan %lld was repaid under "
                                    "reference %s: this payment was applied already",
                                    d, (long long)o.loan_id, reference);
            }
            s.to_lender = done.amount;
            s.loan_closed = done.closed;
            on = done.on;
        }
    }
    s.to_seller = amount - s.to_lender;
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    ph_money again = 0;
    st = buyer_paid(store, id, &again, err);
    if (st == PH_OK && again != before)
        st = ph_error_set(err, PH_EEXISTS, "order", id,
                          "expected the payment once: another payment of order %s was recorded "
                          "meanwhile",
                          id);
    if (st == PH_OK && s.loan_closed)
        st = run(store, "UPDATE order_advance SET status = 'repaid' WHERE order_id = ?", "t",
                 err, id);
    if (st == PH_OK && before + amount == o.amount)
        st = run(store, "UPDATE trade_order SET status = 'paid' WHERE id = ?", "t", err, id);
    if (st == PH_OK && s.to_lender > 0) {
        char detail[200];
        snprintf(detail, sizeof(detail),
                 "{\"loan\":%lld,\"closed\":%s,\"reference\":\"%s\"}", (long long)o.loan_id,
                 s.loan_closed ? "true" : "false", reference);
        trade_event e = {id, "repay", on, o.buyer, o.lender, s.to_lender, detail, 0};
        st = trade_event_write(store, log, "order_event", "order", &e, err);
    }
    if (st == PH_OK && s.to_seller > 0) {
        trade_event e = {id, "remit", on, o.buyer, o.seller, s.to_seller, "{}", 0};
        st = trade_event_write(store, log, "order_event", "order", &e, err);
    }
    st = trade_finish(store, log, st, err);
    if (st == PH_OK && out != NULL)
        *out = s;
    return st;
}

/* ---- reading -------------------------------------------------------------------------------- */

typedef struct event_walk {
    ph_order_event_fn fn;
    void *user;
} event_walk;

static ph_status each_event(void *user, int64_t seq, const trade_event *t, int64_t leaf,
                            ph_error *err)
{
    event_walk *w = user;
    ph_order_event e = {seq,       t->subject, t->type,   t->on, t->actor,
                        t->counterparty, t->amount, t->detail, leaf};
    return w->fn(w->user, &e, err);
}

ph_status ph_order_events(ph_store *store, const char *id, ph_order_event_fn fn, void *user,
                          ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_events: NULL argument");
    event_walk w = {fn, user};
    return trade_events(store, "order_event", id, each_event, &w, err);
}

ph_status ph_order_event_leaf(const ph_ctx *ctx, const ph_order_event *e, char **out,
                              size_t *len, ph_error *err)
{
    if (e == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_order_event_leaf: NULL argument");
    trade_event t = {e->subject, e->type, e->on,    e->actor,
                     e->counterparty, e->amount, e->detail, e->seq};
    return trade_leaf(ctx, "order", &t, out, len, err);
}

/* ---- proving the state ---------------------------------------------------------------------- */

/* The order as its logged events make it: confirm (buyer, seller, amount,
 * confirmed_on, detail due), advance (lender, day, amount, detail loan and
 * rate), pay (paid_out), repay (detail closed: the advance repaid) and
 * remit (with repay, the buyer's payments: paid when they reach the
 * amount). */
static ph_status order_replay(const char *id, const trade_event *ev, size_t n, order_row *x,
                              int *confirmed, ph_error *err)
{
    memset(x, 0, sizeof(*x));
    *confirmed = 0;
    ph_money buyer_total = 0;
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        const trade_event *e = &ev[i];
        json_t *d = NULL;
        st = trade_detail_load("order_event", e, &d, err);
        const char *s = NULL;
        int64_t loan = 0;
        int closed = 0;
        if (st != PH_OK) {
            /* nothing */
        } else if (strcmp(e->type, "confirm") == 0) {
            if (*confirmed)
                st = ph_error_set(err, PH_EVERIFY, "order", id,
                                  "order %s: event %lld confirms it a second time", id,
                                  (long long)e->seq);
            *confirmed = 1;
            copy(x->id, sizeof(x->id), e->subject);
            copy(x->buyer, sizeof(x->buyer), e->actor);
            copy(x->seller, sizeof(x->seller), e->counterparty);
            x->amount = e->amount;
            x->confirmed_on = e->on;
            copy(x->status, sizeof(x->status), "confirmed");
            if (st == PH_OK)
                st = pjson_get_string(d, "detail", "due", &s, err);
            if (st == PH_OK)
                st = parse_day(s, &x->due_on, err);
        } else if (!*confirmed) {
            st = ph_error_set(err, PH_EVERIFY, "order", id,
                              "order %s: event %lld (%s) comes before any logged confirmation",
                              id, (long long)e->seq, e->type);
        } else if (strcmp(e->type, "advance") == 0) {
            if (x->advanced)
                st = ph_error_set(err, PH_EVERIFY, "order", id,
                                  "order %s: event %lld advances it a second time", id,
                                  (long long)e->seq);
            x->advanced = 1;
            copy(x->lender, sizeof(x->lender), e->actor);
            x->advanced_on = e->on;
            x->advance = e->amount;
            copy(x->advance_status, sizeof(x->advance_status), "open");
            copy(x->status, sizeof(x->status), "financed");
            if (st == PH_OK)
                st = pjson_get_int(d, "detail", "loan", &x->loan_id, err);
            if (st == PH_OK && (st = pjson_get_string(d, "detail", "rate", &s, err)) == PH_OK)
                st = ph_rate_parse_percent(s, strlen(s), &x->rate, err);
        } else if (strcmp(e->type, "pay") == 0) {
            x->paid_out += e->amount;
        } else if (strcmp(e->type, "repay") == 0) {
            buyer_total += e->amount;
            st = pjson_get_int(d, "detail", "loan", &loan, err);
            if (st == PH_OK)
                st = pjson_get_bool(d, "detail", "closed", &closed, err);
            if (st == PH_OK && closed)
                copy(x->advance_status, sizeof(x->advance_status), "repaid");
        } else if (strcmp(e->type, "remit") == 0) {
            buyer_total += e->amount;
        } else if (strcmp(e->type, "pay_refused") != 0 && strcmp(e->type, "whitelist") != 0) {
            st = ph_error_set(err, PH_EVERIFY, "type", e->type, "event %lld: unknown event type",
                              (long long)e->seq);
        }
        json_decref(d);
    }
    if (st == PH_OK && *confirmed && buyer_total == x->amount)
        copy(x->status, sizeof(x->status), "paid");
    return st;
}

static ph_status order_state(ph_store *store, const char *id, const trade_event *ev, size_t n,
                             ph_error *err)
{
    order_row x, o;
    int confirmed = 0;
    ph_status st = order_replay(id, ev, n, &x, &confirmed, err);
    if (st != PH_OK)
        return st;
    ph_error why;
    ph_status have = order_read(store, id, &o, &why);
    if (have == PH_ENOTFOUND)
        return confirmed ? ph_error_set(err, PH_EVERIFY, "order", id,
                                        "order %s: the logged events confirm it but the store "
                                        "has no row for it",
                                        id)
                         : PH_OK; /* a seller's whitelist additions only */
    if (have != PH_OK) {
        if (err != NULL)
            *err = why;
        return have;
    }
    char what[PH_ORDER_ID_MAX + 16];
    snprintf(what, sizeof(what), "order %s", id);
    if (!confirmed)
        return ph_error_set(err, PH_EVERIFY, "order", id,
                            "%s: the store holds it but no logged event confirms it", what);
#define DIFF(kind, col, sv, lv)                                                                  \
    if (st == PH_OK)                                                                             \
    st = trade_cmp_##kind("order", id, what, col, sv, lv, err)
    DIFF(text, "buyer_uscc", o.buyer, x.buyer);
    DIFF(text, "seller_uscc", o.seller, x.seller);
    DIFF(money, "amount", o.amount, x.amount);
    DIFF(day, "confirmed_on", o.confirmed_on, x.confirmed_on);
    DIFF(day, "due_on", o.due_on, x.due_on);
    DIFF(text, "status", o.status, x.status);
    if (st == PH_OK && o.advanced != x.advanced)
        st = trade_differs("order", id, what, "advance", o.advanced ? "an advance" : "none",
                           x.advanced ? "an advance" : "none", err);
    if (st == PH_OK && x.advanced) {
        DIFF(text, "advance lender", o.lender, x.lender);
        DIFF(day, "advance on_day", o.advanced_on, x.advanced_on);
        DIFF(money, "advance amount", o.advance, x.advance);
        DIFF(money, "advance paid_out", o.paid_out, x.paid_out);
        DIFF(text, "advance status", o.advance_status, x.advance_status);
        DIFF(int, "advance loan_id", o.loan_id, x.loan_id);
        if (st == PH_OK && o.rate != x.rate) {
            char ra[PH_RATE_FORMAT_MAX], rb[PH_RATE_FORMAT_MAX];
            (void)ph_rate_format_percent(o.rate, ra, sizeof(ra), NULL);
            (void)ph_rate_format_percent(x.rate, rb, sizeof(rb), NULL);
            st = trade_differs("order", id, what, "advance rate", ra, rb, err);
        }
    }
#undef DIFF
    return st;
}

ph_status ph_order_prove(ph_store *store, ph_evidence_log *log, const char *id, uint64_t size,
                         const char *bundle_path, size_t *leaves, ph_error *err)
{
    return trade_prove(store, log, "order_event", "order", id, size, bundle_path, leaves,
                       order_state, err);
}
