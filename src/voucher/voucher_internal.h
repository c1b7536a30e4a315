/*
 * The claim vouchers' private parts (voucher.h): one transaction shape for
 * every operation, the row reader, the event writer.
 */
#ifndef PH_VOUCHER_INTERNAL_H
#define PH_VOUCHER_INTERNAL_H

#include "puhui/voucher.h"

#define VOUCHER_SCHEMA 17

/* One operation's transaction. `nested`: the caller had a unit open, so the
 * caller commits the log and the store; otherwise the operation commits the
 * log (fdatasync) and then the store. */
typedef struct voucher_tx {
    ph_store *store;
    ph_evidence_log *log;
    const ph_ctx *ctx;
    int nested;
} voucher_tx;

ph_status voucher_begin(voucher_tx *t, ph_store *store, ph_evidence_log *log, ph_error *err);
/* Commit when st is PH_OK, else roll back; returns st or the commit's error. */
ph_status voucher_end(voucher_tx *t, ph_status st, ph_error *err);

ph_status voucher_require(ph_store *store, ph_error *err);

/* Read part id (with its financing) into *out. PH_ENOTFOUND (field "voucher"). */
ph_status voucher_read(ph_store *store, const char *id, ph_voucher *out, ph_error *err);

/* The SELECT list voucher_row reads, and the FROM clause it needs. */
#define VOUCHER_SELECT                                                                       \
    "SELECT v.id, v.root_id, coalesce(v.parent_id, ''), v.issuer_uscc, v.face, v.maturity, " \
    "v.grade, v.payable_ref, v.holder_uscc, v.tier, v.status, v.created_on, f.lender, "      \
    "f.day, f.rate, f.days, f.discount, f.advance "                                          \
    "FROM voucher v LEFT JOIN voucher_financing f ON f.voucher_id = v.id "
ph_status voucher_row(ph_stmt *s, ph_voucher *v, ph_error *err);

/* Append the event (with the next seq) and, when t->log is set, its leaf. */
ph_status voucher_event_add(voucher_tx *t, const char *voucher_id, const char *type, ph_date on,
                            const char *actor, const char *counterparty, ph_money amount,
                            const char *detail, ph_error *err);

/* "YYYY-MM-DD" of d into buf (PH_DATE_FORMAT_MAX); "?" when invalid. */
const char *voucher_day(ph_date d, char *buf);
/* "1,000,000.00" (grouped) or "1000000.00" (plain) into buf (PH_MONEY_FORMAT_MAX). */
const char *voucher_yuan(ph_money m, int grouped, char *buf);

#endif
