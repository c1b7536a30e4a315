/*
 * puhui loan import FILE.csv   and   puhui loan repay --batch FILE.csv
 *
 * Files into the loan book (docs/loans.md#importing-a-book,
 * docs/loans.md#repayment-batches). The CSV is read with the project's
 * reader; a field that does not parse, and a row the library refuses, are
 * reported as FILE:LINE:COLUMN, field, value and what was expected.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "puhui/csv.h"
#include "puhui/loan.h"

/* ---- locating a refused row ------------------------------------------------------------- */

/* Re-read the file to the record starting at `line` and stamp err with the
 * column of `column` in it (only ever on an error, so the file is read
 * twice only then). */
static void locate_again(ph_cli *cli, const char *path, uint64_t line, const char *column,
                         ph_error *err)
{
    ph_csv_reader *csv = NULL;
    ph_error ignored;
    if (ph_csv_open_file(cli->ctx, path, NULL, &csv, &ignored) != PH_OK)
        return;
    int col = ph_csv_column(csv, column);
    while (col >= 0 && ph_csv_next(csv, &ignored) == PH_OK)
        if (ph_csv_line(csv) == line) {
            ph_csv_locate_error(csv, (size_t)col, err);
            break;
        }
    ph_csv_free(csv);
}

/* "rows[12].amount" -> "amount" */
static const char *row_field(const char *field)
{
    const char *dot = strchr(field, '.');
    return strncmp(field, "rows[", 5) == 0 && dot != NULL ? dot + 1 : field;
}

static int text_field(ph_csv_reader *csv, int col, const char **out)
{
    size_t len = 0;
    *out = "";
    return col < 0 || ph_csv_field(csv, (size_t)col, out, &len, NULL) == PH_OK;
}

/* ---- import ------------------------------------------------------------------------------- */

enum { IMPORT_COLUMNS = 15, REQUIRED_COLUMNS = 9 };
static const char *const IMPORT_NAMES[IMPORT_COLUMNS] = {
    "reference", "uscc",   "lender", "product", "method",        "amount",      "rate", "term",
    "booked_on", "guarantor", "scheme", "pool", "pool_bp", "guarantee_fee", "subsidy_rate"};
enum {
    C_REFERENCE, C_USCC, C_LENDER, C_PRODUCT, C_METHOD, C_AMOUNT, C_RATE, C_TERM, C_BOOKED_ON,
    C_GUARANTOR, C_SCHEME, C_POOL, C_POOL_BP, C_GUARANTEE_FEE, C_SUBSIDY_RATE
};

typedef struct import_chunk {
    ph_loan_import_row rows[PH_LOAN_IMPORT_CHUNK];
    char *texts[PH_LOAN_IMPORT_CHUNK];
    uint64_t lines[PH_LOAN_IMPORT_CHUNK];
    size_t n;
} import_chunk;

static void chunk_clear(import_chunk *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->texts[i]);
    c->n = 0;
}

/* Parse the record's numbers; text fields are copied into one block. */
static ph_status read_row(ph_csv_reader *csv, const int *col, import_chunk *c, ph_error *err)
{
    const char *f[IMPORT_COLUMNS];
    size_t total = 0;
    for (int k = 0; k < IMPORT_COLUMNS; k++) {
        if (!text_field(csv, col[k], &f[k]))
            return ph_error_set(err, PH_EINVAL, IMPORT_NAMES[k], NULL, "missing field");
        total += strlen(f[k]) + 1;
    }
    ph_loan_import_row *r = &c->rows[c->n];
    memset(r, 0, sizeof(*r));
    ph_status st = ph_money_parse(f[C_AMOUNT], strlen(f[C_AMOUNT]), &r->amount, err);
    int bad = C_AMOUNT;
    if (st == PH_OK && (bad = C_RATE) >= 0)
        st = ph_rate_parse(f[C_RATE], strlen(f[C_RATE]), &r->rate, err);
    if (st == PH_OK && (bad = C_TERM) >= 0) {
        char *end = NULL;
        r->term = strtoll(f[C_TERM], &end, 10);
        if (f[C_TERM][0] == '\0' || *end != '\0')
            st = ph_error_set(err, PH_EINVAL, "term", f[C_TERM], "expected whole months");
    }
    if (st == PH_OK && (bad = C_BOOKED_ON) >= 0)
        st = ph_date_parse(f[C_BOOKED_ON], strlen(f[C_BOOKED_ON]), &r->booked_on, err);
    if (st == PH_OK && (bad = C_POOL_BP) >= 0 && f[C_POOL_BP][0] != '\0') {
        char *end = NULL;
        long bp = strtol(f[C_POOL_BP], &end, 10);
        if (*end != '\0' || bp < 0 || bp > 10000)
            st = ph_error_set(err, PH_EINVAL, "pool_bp", f[C_POOL_BP],
                              "expected basis points, 0 to 10000");
        r->pool_bp = (int32_t)bp;
    }
    if (st == PH_OK && (bad = C_GUARANTEE_FEE) >= 0 && f[C_GUARANTEE_FEE][0] != '\0')
        st = ph_rate_parse(f[C_GUARANTEE_FEE], strlen(f[C_GUARANTEE_FEE]), &r->guarantee_fee,
                           err);
    if (st == PH_OK && (bad = C_SUBSIDY_RATE) >= 0 && f[C_SUBSIDY_RATE][0] != '\0')
        st = ph_rate_parse(f[C_SUBSIDY_RATE], strlen(f[C_SUBSIDY_RATE]), &r->subsidy_rate, err);
    if (st != PH_OK) {
        ph_csv_locate_error(csv, (size_t)col[bad], err);
        return st;
    }
    char *block = malloc(total), *p = block;
    if (block == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    const char **dst[] = {&r->reference, &r->uscc, &r->lender, &r->product, &r->method,
                          &r->guarantor, &r->scheme, &r->pool};
    const int src[] = {C_REFERENCE, C_USCC, C_LENDER, C_PRODUCT, C_METHOD,
                       C_GUARANTOR, C_SCHEME, C_POOL};
    for (size_t k = 0; k < sizeof(src) / sizeof(src[0]); k++) {
        size_t len = strlen(f[src[k]]);
        memcpy(p, f[src[k]], len + 1);
        *dst[k] = p;
        p += len + 1;
    }
    c->texts[c->n] = block;
    c->lines[c->n] = ph_csv_line(csv);
    c->n++;
    return PH_OK;
}

static int flush(ph_cli *cli, ph_store *store, const char *path, import_chunk *c,
                 ph_loan_import_report *total)
{
    ph_loan_import_report rep;
    ph_error err;
    ph_status st = ph_loan_import(store, c->rows, c->n, &rep, &err);
    total->imported += rep.imported;
    total->skipped += rep.skipped;
    total->chunks += rep.chunks;
    total->entries += rep.entries;
    total->disbursed += rep.disbursed;
    if (rep.first_id && !total->first_id)
        total->first_id = rep.first_id;
    if (rep.last_id)
        total->last_id = rep.last_id;
    if (st == PH_EINVAL && rep.bad_row < c->n) {
        char column[64];
        snprintf(column, sizeof(column), "%s", row_field(err.field));
        locate_again(cli, path, c->lines[rep.bad_row], column, &err);
    }
    chunk_clear(c);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

static void import_summary(ph_cli *cli, const char *path, const ph_loan_import_report *t)
{
    char m[PH_MONEY_FORMAT_MAX];
    if (ph_money_format(t->disbursed, PH_MONEY_GROUPING, m, sizeof(m), NULL) != PH_OK)
        snprintf(m, sizeof(m), "?");
    char ids[64] = "";
    if (t->imported > 0)
        snprintf(ids, sizeof(ids), " (ids %lld to %lld)", (long long)t->first_id,
                 (long long)t->last_id);
    fprintf(cli->out,
            "%s: %lld loans imported%s, %lld already in the book; %s yuan disbursed in %lld "
            "ledger entries\n",
            path, (long long)t->imported, ids, (long long)t->skipped, m, (long long)t->entries);
}

int ph_loan_import_cli(ph_cli *cli, ph_store *store, const char *path)
{
    ph_csv_reader *csv = NULL;
    ph_error err;
    ph_status st = ph_csv_open_file(cli->ctx, path, NULL, &csv, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    int col[IMPORT_COLUMNS];
    st = ph_csv_require_columns(csv, IMPORT_NAMES, REQUIRED_COLUMNS, col, &err);
    for (int k = REQUIRED_COLUMNS; k < IMPORT_COLUMNS; k++)
        col[k] = ph_csv_column(csv, IMPORT_NAMES[k]); /* optional: -1 when absent */
    import_chunk *c = st == PH_OK ? calloc(1, sizeof(*c)) : NULL;
    if (st == PH_OK && c == NULL)
        st = ph_error_set(&err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st != PH_OK) {
        ph_csv_free(csv);
        return ph_cli_fail(cli, st, &err, NULL);
    }
    ph_loan_import_report total;
    memset(&total, 0, sizeof(total));
    ph_cli_progress *meter = ph_cli_progress_start(cli, "loan import", "rows");
    int code = PH_EXIT_OK;
    uint64_t done = 0;
    while (code == PH_EXIT_OK && (st = ph_csv_next(csv, &err)) == PH_OK) {
        if (read_row(csv, col, c, &err) != PH_OK) {
            code = ph_cli_fail(cli, err.code, &err, NULL);
            break;
        }
        if (c->n == PH_LOAN_IMPORT_CHUNK) {
            code = flush(cli, store, path, c, &total);
            done += PH_LOAN_IMPORT_CHUNK;
            ph_cli_progress_update(meter, done, 0);
        }
    }
    if (code == PH_EXIT_OK && st != PH_DONE)
        code = ph_cli_fail(cli, st, &err, NULL);
    if (code == PH_EXIT_OK && c->n > 0)
        code = flush(cli, store, path, c, &total);
    ph_cli_progress_finish(meter);
    chunk_clear(c);
    free(c);
    ph_csv_free(csv);
    if (code == PH_EXIT_OK || total.imported > 0)
        import_summary(cli, path, &total);
    return code;
}

/* ---- repayment batches -------------------------------------------------------------------- */

enum { R_REFERENCE, R_LOAN, R_ON, R_AMOUNT, REPAY_COLUMNS };
static const char *const REPAY_NAMES[REPAY_COLUMNS] = {"reference", "loan", "on", "amount"};

/* One record: parse and repay. *outcome 0 applied, 1 already applied,
 * 2 refused (err says why, located in the file). */
static ph_status repay_one(ph_store *store, ph_csv_reader *csv, const int *col, int *outcome,
                           ph_error *err)
{
    const char *f[REPAY_COLUMNS];
    for (int k = 0; k < REPAY_COLUMNS; k++)
        text_field(csv, col[k], &f[k]);
    int bad = R_LOAN;
    char *end = NULL;
    long long loan = strtoll(f[R_LOAN], &end, 10);
    ph_status st = PH_OK;
    if (f[R_LOAN][0] == '\0' || *end != '\0' || loan <= 0)
        st = ph_error_set(err, PH_EINVAL, "loan", f[R_LOAN], "expected a loan id");
    ph_date on = 0;
    if (st == PH_OK && (bad = R_ON) >= 0)
        st = ph_date_parse(f[R_ON], strlen(f[R_ON]), &on, err);
    ph_money amount = 0;
    if (st == PH_OK && (bad = R_AMOUNT) >= 0)
        st = ph_money_parse(f[R_AMOUNT], strlen(f[R_AMOUNT]), &amount, err);
    if (st == PH_OK) {
        st = ph_loan_repay_ref(store, loan, on, amount, f[R_REFERENCE], NULL, err);
        const char *field = err->field;
        bad = !strcmp(field, "reference") ? R_REFERENCE
              : !strcmp(field, "loan")    ? R_LOAN
              : !strcmp(field, "on")      ? R_ON
                                          : R_AMOUNT;
    }
    *outcome = st == PH_OK ? 0 : st == PH_EEXISTS ? 1 : 2;
    if (st != PH_OK && ph_status_is_input_error(st))
        ph_csv_locate_error(csv, (size_t)col[bad], err);
    return st == PH_EEXISTS || ph_status_is_input_error(st) ? PH_OK : st;
}

int ph_loan_repay_batch_cli(ph_cli *cli, ph_store *store, const char *path)
{
    ph_csv_reader *csv = NULL;
    ph_error err;
    ph_status st = ph_csv_open_file(cli->ctx, path, NULL, &csv, &err);
    int col[REPAY_COLUMNS];
    if (st == PH_OK)
        st = ph_csv_require_columns(csv, REPAY_NAMES, REPAY_COLUMNS, col, &err);
    if (st != PH_OK) {
        ph_csv_free(csv);
        return ph_cli_fail(cli, st, &err, NULL);
    }
    ph_cli_progress *meter = ph_cli_progress_start(cli, "repayments", "rows");
    long long counts[3] = {0, 0, 0};
    int code = PH_EXIT_OK;
    while ((st = ph_csv_next(csv, &err)) == PH_OK) {
        int outcome = 2;
        st = repay_one(store, csv, col, &outcome, &err);
        if (st != PH_OK)
            break; /* the store failed: stop, what was applied stays applied */
        counts[outcome]++;
        if (outcome == 1)
            fprintf(cli->out, "%s\n", err.message); /* located: FILE:LINE:COLUMN */
        else if (outcome == 2)
            fprintf(cli->err, "puhui: refused: %s\n", err.message);
        ph_cli_progress_update(meter, (uint64_t)(counts[0] + counts[1] + counts[2]), 0);
    }
    ph_cli_progress_finish(meter);
    if (st != PH_DONE)
        code = ph_cli_fail(cli, st, &err, NULL);
    ph_csv_free(csv);
    fprintf(cli->out, "%s: %lld repayments applied, %lld applied already, %lld refused\n", path,
            counts[0], counts[1], counts[2]);
    if (code == PH_EXIT_OK && counts[2] > 0)
        code = PH_EXIT_USAGE;
    return code;
}
