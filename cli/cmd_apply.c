/*
 * puhui apply --enterprise USCC --amount A --term MONTHS --purpose P
 *             [--asof DATE] [--guarantor]
 * puhui apply --batch FILE.csv      (columns enterprise,amount,term,purpose,asof[,guarantor])
 *
 * One application through the marketplace (market.h): the offers of every
 * lender that fits, ranked by the firm's net annual cost, or the reasons it
 * was declined; lenders not asked and why. A batch decides one application
 * per CSV row with the market opened once, and prints one line per
 * application; a bad row is reported with its file, line and column and
 * skipped, and nothing is stored for it. Lines are read whole up to 64 KiB;
 * a longer one is skipped as a bad row.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct apply_opts {
    const char *enterprise, *amount, *term, *purpose, *asof, *batch;
    int guarantor;
} apply_opts;

static int parse_apply(ph_cli *cli, int argc, char **argv, apply_opts *o)
{
    const ph_cli_named opts[] = {
        {"--enterprise", &o->enterprise, NULL}, {"--amount", &o->amount, NULL},
        {"--term", &o->term, NULL},             {"--purpose", &o->purpose, NULL},
        {"--asof", &o->asof, NULL},             {"--batch", &o->batch, NULL},
        {"--guarantor", NULL, &o->guarantor}};
    int code = ph_cli_parse_named(cli, "apply", argc, argv, 1, opts,
                                  sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if (o->batch != NULL)
        return o->enterprise || o->amount || o->term || o->purpose || o->asof
                   ? ph_cli_usage_error(cli, "apply", "--batch takes its applications from "
                                                      "the file; give no other option")
                   : PH_EXIT_OK;
    if (!o->enterprise || !o->amount || !o->term || !o->purpose)
        return ph_cli_usage_error(cli, "apply",
                                  "needs --enterprise, --amount, --term and --purpose");
    return PH_EXIT_OK;
}

/* Fill an application from text fields; errors name the field. */
static ph_status application_from_text(const char *enterprise, const char *amount,
                                       const char *term, const char *purpose, const char *asof,
                                       int guarantor, ph_application *app, ph_error *err)
{
    memset(app, 0, sizeof(*app));
    app->uscc = enterprise;
    app->purpose = purpose;
    app->guarantor = guarantor;
    ph_status st = ph_money_parse(amount, strlen(amount), &app->amount, err);
    if (st != PH_OK) {
        ph_error_set(err, st, "amount", amount,
                     "expected an amount in yuan such as 500,000 or 120000.50");
        return st;
    }
    char *end = NULL;
    long long months = strtoll(term, &end, 10);
    if (term[0] == '\0' || *end != '\0')
        return ph_error_set(err, PH_EINVAL, "term", term, "expected a whole number of months");
    app->term = months;
    if (asof != NULL && asof[0] != '\0')
        st = ph_date_parse(asof, strlen(asof), &app->asof, err);
    return st;
}

/* ---- printing one result ---------------------------------------------------------------- */

static void percent(ph_rate r, char *buf, size_t size)
{
    if (ph_rate_format_percent(r, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

static void yuan(ph_money m, char *buf, size_t size)
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

static void print_offers(ph_cli *cli, const ph_market_result *r)
{
    static const char *const headers[] = {"#",       "lender",  "limit",    "amount",
                                          "term",    "rate",    "subsidy",  "APR",
                                          "net APR", "net cost", "repayment"};
    static const int numeric[] = {1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 11);
    for (size_t i = 0; i < ph_market_result_quote_count(r); i++) {
        const ph_quote *q = ph_market_result_quote(r, i);
        if (q->status != PH_QUOTE_OFFER)
            continue;
        char rank[24], limit[40], amount[40], term[24], rate[32], sub[32], apr[32], net[32],
            cost[40];
        snprintf(rank, sizeof(rank), "%zu", i + 1);
        yuan(q->limit, limit, sizeof(limit));
        yuan(q->amount, amount, sizeof(amount));
        snprintf(term, sizeof(term), "%lldm", (long long)q->term);
        percent(q->rate, rate, sizeof(rate));
        percent(q->subsidy.subsidy_rate, sub, sizeof(sub));
        percent(q->cost.apr, apr, sizeof(apr));
        percent(q->cost.net_apr, net, sizeof(net));
        yuan(q->cost.net_cost, cost, sizeof(cost));
        const char *cells[] = {rank, q->lender_name, limit, amount, term, rate, sub, apr, net,
                               cost, q->repayment};
        ph_cli_table_add(t, cells);
    }
    ph_cli_table_print(cli, t, "offers, cheapest for the firm first (net of subsidies)");
    ph_cli_table_free(t);
    for (size_t i = 0; i < ph_market_result_quote_count(r); i++) {
        const ph_quote *q = ph_market_result_quote(r, i);
        if (q->status == PH_QUOTE_OFFER)
            fprintf(cli->out, "  %s: %s; %s (decision %lld%s)\n", q->lender_name,
                    q->conditions, q->subsidy.explanation, (long long)q->decision_id,
                    q->challenger ? ", challenger policy" : "");
    }
}

static void print_result(ph_cli *cli, const ph_market_result *r)
{
    char lpr[32], asof[PH_DATE_FORMAT_MAX];
    percent(ph_market_result_lpr(r), lpr, sizeof(lpr));
    if (ph_date_format(ph_market_result_asof(r), asof, sizeof(asof), NULL) != PH_OK)
        snprintf(asof, sizeof(asof), "?");
    size_t n_offers = ph_market_result_offer_count(r), n_quotes = ph_market_result_quote_count(r);
    fprintf(cli->out, "application %lld as of %s (LPR %s): %zu offer%s from %zu lender%s\n",
            (long long)ph_market_result_application_id(r), asof, lpr, n_offers,
            n_offers == 1 ? "" : "s", n_quotes, n_quotes == 1 ? "" : "s");
    if (n_offers > 0)
        print_offers(cli, r);
    for (size_t i = 0; i < ph_market_result_quote_count(r); i++) {
        const ph_quote *q = ph_market_result_quote(r, i);
        if (q->status == PH_QUOTE_DECLINE) {
            fprintf(cli->out, "declined by %s (%s v%lld%s, decision %lld", q->lender_name,
                    q->policy, (long long)q->policy_version,
                    q->challenger ? ", challenger" : "", (long long)q->decision_id);
            if (!isnan(q->score))
                fprintf(cli->out, ", score %.0f", q->score);
            fprintf(cli->out, "):\n");
            for (size_t k = 0; k < q->n_reasons; k++)
                fprintf(cli->out, "  - %s: %s\n", q->reasons[k].code, q->reasons[k].text);
        } else if (q->status != PH_QUOTE_OFFER) {
            fprintf(cli->out, "%s %s\n", q->lender_name, q->note);
        }
    }
}

/* ---- one application ------------------------------------------------------------------------ */

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

static int apply_one(ph_cli *cli, ph_market *market, const apply_opts *o)
{
    ph_error err;
    ph_application app;
    ph_status st = application_from_text(o->enterprise, o->amount, o->term, o->purpose,
                                         o->asof, o->guarantor, &app, &err);
    ph_market_result *r = NULL;
    if (st == PH_OK)
        st = ph_market_apply(market, &app, &r, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    if (cli->format == PH_FORMAT_JSON)
        st = ph_market_result_write_json(r, cli->out, &err);
    else
        print_result(cli, r);
    ph_market_result_free(r);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

/* ---- a batch --------------------------------------------------------------------------------- */

typedef struct batch_state {
    ph_cli *cli;
    ph_market *market;
    const char *path;
    long long line, decided, offered, rejected;
} batch_state;

/* The columns of a batch row, in order; the last is optional. */
static const char *const BATCH_COLUMNS[] = {"enterprise", "amount", "term",
                                            "purpose",    "asof",   "guarantor"};
enum { BATCH_FIELDS = sizeof(BATCH_COLUMNS) / sizeof(BATCH_COLUMNS[0]) };

/* The guarantor column: exactly "1" (a guarantor takes part), "0" or empty
 * (none). Anything else is an error, because the flag changes the price. */
static ph_status batch_guarantor(const char *text, int *guarantor, ph_error *err)
{
    if (strcmp(text, "1") == 0 || strcmp(text, "0") == 0 || text[0] == '\0') {
        *guarantor = text[0] == '1';
        return PH_OK;
    }
    return ph_error_set(err, PH_EINVAL, "guarantor", text,
                        "expected 1 (a guarantor takes part), 0 or empty (none)");
}

/* Split a row at its commas into at most BATCH_FIELDS + 1 fields (one more
 * than allowed, so an extra field is seen); columns[i] is the 1-based
 * column where field i starts. Returns the number of fields. */
static size_t batch_split(char *line, char **fields, size_t *columns)
{
    size_t n = 0;
    for (char *p = line; n <= BATCH_FIELDS;) {
        fields[n] = p;
        columns[n++] = (size_t)(p - line) + 1;
        char *comma = strchr(p, ',');
        if (comma == NULL || n > BATCH_FIELDS)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

/* Check the shape of a row and fill the application; errors name the field
 * and *column the column it starts at (0 when no one field is at fault). */
static ph_status batch_application(char **fields, const size_t *columns, size_t n,
                                   ph_application *app, size_t *column, ph_error *err)
{
    *column = 0;
    if (n < BATCH_FIELDS - 1)
        return ph_error_set(err, PH_EINVAL, "line", NULL,
                            "expected enterprise,amount,term,purpose,asof[,guarantor], "
                            "found %zu field%s",
                            n, n == 1 ? "" : "s");
    if (n > BATCH_FIELDS) {
        *column = columns[BATCH_FIELDS];
        return ph_error_set(err, PH_EINVAL, "line", fields[BATCH_FIELDS],
                            "expected at most %d fields "
                            "(enterprise,amount,term,purpose,asof,guarantor); this is a "
                            "field more",
                            (int)BATCH_FIELDS);
    }
    int guarantor = 0;
    ph_status st = n == BATCH_FIELDS ? batch_guarantor(fields[BATCH_FIELDS - 1], &guarantor, err)
                                     : PH_OK;
    if (st == PH_OK)
        st = application_from_text(fields[0], fields[1], fields[2], fields[3], fields[4],
                                   guarantor, app, err);
    return st;
}

/* Where a row's error is: the file, the line, and the column of the field
 * it names when that field is one of the row's. */
static void batch_locate(const batch_state *b, const size_t *columns, size_t n, size_t column,
                         ph_error *err)
{
    if (err->source[0] != '\0')
        return; /* located already, in some other file or record */
    for (size_t i = 0; column == 0 && i < n && i < BATCH_FIELDS; i++)
        if (strcmp(err->field, BATCH_COLUMNS[i]) == 0)
            column = columns[i];
    ph_error_locate(err, b->path, (uint64_t)b->line, column);
}

/* One CSV line "enterprise,amount,term,purpose,asof[,guarantor]"; amounts
 * in the file carry no thousands separators, so a plain split suffices. A
 * bad row is reported with its file, line and column and skipped: nothing
 * is stored for it. */
static void batch_line(batch_state *b, char *line)
{
    char *fields[BATCH_FIELDS + 1] = {0};
    size_t columns[BATCH_FIELDS + 1] = {0};
    size_t n = batch_split(line, fields, columns), column = 0;
    ph_error err;
    ph_application app;
    ph_status st = batch_application(fields, columns, n, &app, &column, &err);
    ph_market_result *r = NULL;
    if (st == PH_OK)
        st = ph_market_apply(b->market, &app, &r, &err);
    if (st != PH_OK) {
        batch_locate(b, columns, n, column, &err);
        fprintf(b->cli->err, "puhui: skipped %s\n", err.message);
        b->rejected++;
        return;
    }
    b->decided++;
    size_t n_offers = ph_market_result_offer_count(r);
    b->offered += n_offers > 0;
    const ph_quote *best = n_offers ? ph_market_result_quote(r, 0) : NULL;
    char net[32] = "-";
    if (best)
        percent(best->cost.net_apr, net, sizeof(net));
    fprintf(b->cli->out, "%lld,%s,%zu,%s,%s\n", (long long)ph_market_result_application_id(r),
            app.uscc, n_offers, best ? best->lender : "", net);
    ph_market_result_free(r);
}

/* The longest batch line read: an application is a few dozen bytes, so a
 * longer line is a mistake (a missing newline, a binary file), reported
 * without holding it all in memory. */
#define BATCH_LINE_MAX 65536

/* Read one line of `in`, without its end (LF or CRLF), into buf
 * (BATCH_LINE_BUF bytes). Returns 0 at the end of the file; else 1, with
 * *too_long set when the line held more than BATCH_LINE_MAX bytes (the
 * rest of it is read and dropped, so the next call starts at the next
 * line). */
#define BATCH_LINE_BUF (BATCH_LINE_MAX + 3) /* the line, CR, LF, NUL */
static int read_batch_line(FILE *in, char *buf, int *too_long)
{
    if (fgets(buf, BATCH_LINE_BUF, in) == NULL)
        return 0;
    size_t len = strlen(buf);
    *too_long = 0;
    if (len > 0 && buf[len - 1] == '\n') {
        buf[--len] = '\0';
    } else if (len == BATCH_LINE_BUF - 1) { /* no end in sight: drop the rest */
        *too_long = 1;
        for (int c; (c = getc(in)) != EOF && c != '\n';)
            ;
    }
    if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
    *too_long |= len > BATCH_LINE_MAX;
    return 1;
}

static int apply_batch(ph_cli *cli, ph_market *market, const char *path)
{
    FILE *in = fopen(path, "r");
    char *line = in != NULL ? malloc(BATCH_LINE_BUF) : NULL;
    if (line == NULL) {
        ph_error err;
        ph_status st = in == NULL ? PH_EIO : PH_ENOMEM;
        ph_error_set(&err, st, "file", path,
                     in == NULL ? "cannot open the batch file" : "out of memory");
        if (in != NULL)
            fclose(in);
        return ph_cli_fail(cli, st, &err, NULL);
    }
    batch_state b = {cli, market, path, 0, 0, 0, 0};
    fprintf(cli->out, "application,enterprise,offers,best_lender,best_net_apr\n");
    for (int too_long; read_batch_line(in, line, &too_long);) {
        b.line++;
        if (too_long) {
            ph_error err;
            ph_error_set(&err, PH_EINVAL, NULL, NULL,
                         "line %lld is longer than %d bytes; expected one application a "
                         "line: enterprise,amount,term,purpose,asof[,guarantor]",
                         b.line, BATCH_LINE_MAX);
            ph_error_locate(&err, path, (uint64_t)b.line, 0);
            fprintf(cli->err, "puhui: skipped %s\n", err.message);
            b.rejected++;
            continue;
        }
        if (b.line == 1 && strncmp(line, "enterprise,", 11) == 0)
            continue; /* the header */
        if (line[0] != '\0')
            batch_line(&b, line);
    }
    fclose(in);
    free(line);
    fprintf(cli->err, "%lld applications decided (%lld with at least one offer), %lld skipped\n",
            b.decided, b.offered, b.rejected);
    return b.rejected > 0 && b.decided == 0 ? PH_EXIT_USAGE : PH_EXIT_OK;
}

int ph_cmd_apply(ph_cli *cli, int argc, char **argv)
{
    apply_opts o = {0};
    int code = parse_apply(cli, argc, argv, &o);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_market *market = NULL;
    ph_status st = ph_market_open(store, &market, &err);
    if (st != PH_OK)
        code = fail(cli, st, &err);
    else if (ph_market_lender_count(market) == 0) {
        ph_error_set(&err, PH_ENOTFOUND, "policy", NULL,
                     "no lender has an active policy: nobody can quote");
        code = ph_cli_fail(cli, PH_ENOTFOUND, &err,
                           "load one with 'puhui policy load FILE --activate'");
    } else
        code = o.batch ? apply_batch(cli, market, o.batch) : apply_one(cli, market, &o);
    ph_market_free(market);
    ph_store_free(store);
    return code;
}
