/*
 * Fixtures shared by the feature-store tests: a migrated database in a
 * fresh directory and one-line inserts into the feed tables with plain SQL,
 * known_on computed as ingestion would (the row's date + the feed's lag).
 * Included by tests/test_features*.c (a header, not a test program).
 */
#ifndef FEATURES_FIXTURE_H
#define FEATURES_FIXTURE_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ph_test.h"

/* Firms of the fixtures: valid codes, in byte order. */
#define FIRM_A "913701020AQ1PNXK8L" /* Jinan (370102), manufacturing C13 */
#define FIRM_B "913701020QN30DAL0K" /* Jinan (370102), manufacturing C13 */
#define FIRM_C "91370281FKAW4U0T0X" /* Qingdao (370281), farming A03 */
#define FIRM_Z "92370102FT9Q9EXL4R" /* Jinan, retail F52: a registration and nothing else */

typedef struct fx {
    ph_ctx *ctx;
    char *dir;
    ph_store *store;
    int64_t *now; /* the context's clock, seconds since 1970; 0: the system clock.
                     On the heap, so a copy of the fixture keeps the same clock */
} fx;

static inline int64_t fx_clock(void *user)
{
    const int64_t *now = user;
    return *now ? *now : (int64_t)time(NULL);
}

/* Set the context's clock to noon of `date` ("2025-03-01"): "today" for
 * consent (the same calendar day in any time zone within 12 hours of UTC). */
static inline void fx_set_today(fx *f, const char *date)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(date, strlen(date), &d, &err), &err);
    *f->now = (int64_t)d * 86400 + 12 * 3600;
}

static inline ph_store *fx_open(fx *f, const char *name)
{
    char *path = ph_test_path(f->dir, name);
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, path, NULL, &store, &err), &err);
    free(path);
    return store;
}

static inline int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    ph_error err;
    ph_ctx_options o = {0};
    o.log_level = PH_LOG_OFF;
    f->now = calloc(1, sizeof(*f->now));
    o.now = fx_clock;
    o.now_user = f->now;
    ph_assert_ok(ph_ctx_new(&o, &f->ctx, &err), &err);
    f->dir = ph_test_tmpdir("features");
    f->store = ph_test_open_db(f->ctx, f->dir, "puhui.db");
    *state = f;
    return 0;
}

static inline int fx_teardown(void **state)
{
    fx *f = *state;
    ph_store_free(f->store);
    ph_test_rmtree(f->dir);
    free(f->dir);
    ph_ctx_free(f->ctx);
    free(f->now);
    free(f);
    return 0;
}

static inline void sqlf(ph_store *store, const char *fmt, ...) PH_PRINTF(2, 3);
static inline void sqlf(ph_store *store, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    ph_test_exec(store, sql);
}

static inline ph_date day(const char *text)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(text, strlen(text), &d, &err), &err);
    return d;
}

/* "YYYY-MM-DD" of a date + days into buf. */
static inline const char *plus(ph_date d, int days, char *buf)
{
    ph_error err;
    ph_assert_ok(ph_date_format(d + days, buf, PH_DATE_FORMAT_MAX, &err), &err);
    return buf;
}

/* known_on of a monthly row: the month's last day + lag. */
static inline const char *month_known(const char *month, int lag, char *buf)
{
    ph_month m;
    ph_date last;
    ph_error err;
    ph_assert_ok(ph_month_parse(month, strlen(month), &m, &err), &err);
    ph_assert_ok(ph_month_last_day(m, &last, &err), &err);
    return plus(last, lag, buf);
}

/* "YYYY-MM" of month index k counted from 2024-01. */
static inline const char *month_k(int k, char *buf)
{
    ph_error err;
    ph_assert_ok(ph_month_format(2024 * 12 + k, buf, PH_MONTH_FORMAT_MAX, &err), &err);
    return buf;
}

static inline void add_firm(ph_store *s, const char *uscc, int region, const char *industry,
                     const char *registered_on, const char *status, const char *status_date,
                     const char *known_on)
{
    char sd[16];
    snprintf(sd, sizeof(sd), status_date ? "'%s'" : "NULL", status_date);
    sqlf(s, "INSERT INTO feed_registration VALUES ('%s', 'name', 'company', %d, '%s', '%s', "
            "100, 'M', 1980, 5, 100, 100, 'micro', 'general', '%s', %s, '%s', 1, 1, 0)",
         uscc, region, industry, registered_on, status, sd, known_on);
}

static inline void add_vat(ph_store *s, const char *uscc, const char *month, long long sales_fen,
                    long long purchase_fen, const char *share)
{
    char k[16];
    sqlf(s, "INSERT INTO feed_vat_invoices VALUES ('%s', '%s', %lld, 3, %lld, 2, 2, %s, '%s', "
            "1, 1, 0)",
         uscc, month, sales_fen, purchase_fen, share ? share : "NULL", month_known(month, 15, k));
}

static inline void add_payment(ph_store *s, const char *uscc, const char *date, int count,
                        long long inflow_fen)
{
    char k[16];
    sqlf(s, "INSERT INTO feed_payments_daily VALUES ('%s', '%s', %d, %lld, 1, 100, '%s', 1, 1, "
            "0)",
         uscc, date, count, inflow_fen, plus(day(date), 1, k));
}

/* --- The marketplace's set-up, shared by the market tests ------------------- */

/* FIRM-style application: `amount` fen over `term` months for working
 * capital, as of the last day of 2025. */
static inline ph_application fx_app_of(const char *uscc, ph_money amount, int64_t term)
{
    ph_application a = {0};
    a.uscc = uscc;
    a.amount = amount;
    a.term = term;
    a.purpose = "working_capital";
    a.asof = day("2025-12-31");
    return a;
}

/* The quote of `lender` in r; fails the test when there is none. */
static inline const ph_quote *fx_quote_of(const ph_market_result *r, const char *lender)
{
    for (size_t i = 0; i < ph_market_result_quote_count(r); i++)
        if (strcmp(ph_market_result_quote(r, i)->lender, lender) == 0)
            return ph_market_result_quote(r, i);
    fail_msg("no quote from %s", lender);
    return NULL;
}

#define FX_LENDER "91370000MA0000001A" /* a city bank */

/* FX_LENDER's policy: limit 5 x the average monthly inflow, rate LPR +
 * 1.2%; reads the registration (size_class) and payments. */
static const char FX_POLICY[] =
    "{\"lender\": \"" FX_LENDER "\", \"name\": \"loan\", \"version\": 1,"
    " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\", \"max_amount\": \"3,000,000\","
    "  \"min_term\": 3, \"max_term\": 24, \"repayment\": \"equal_installment\"},"
    " \"inputs\": [{\"name\": \"size_class\", \"kind\": \"text\"},"
    "  {\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"},"
    "  {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
    " \"tables\": [{\"name\": \"ko\", \"hit_policy\": \"COLLECT\","
    "  \"inputs\": [{\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"}], \"outputs\": [],"
    "  \"rules\": [{\"when\": [\"null\"], \"then\": [], \"reason\": \"NO_PAYMENTS\"}]}],"
    " \"formulas\": [{\"name\": \"limit\", \"expr\": \"5 * avg_inflow_12m\"},"
    "  {\"name\": \"rate\", \"expr\": \"lpr + 0.012\"}],"
    " \"flow\": [{\"knockout\": \"ko\"}, {\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}";

/* A borrower: `uscc` registered in Jinan (C13) since 2015-03-10, known the
 * next day, with 100,000.00 yuan of inflow on the 15th of each month of 2024
 * and 2025, and its enterprise row named `name`. */
static inline void fx_add_borrower(ph_store *s, const char *uscc, const char *name)
{
    add_firm(s, uscc, 370102, "C13", "2015-03-10", "active", NULL, "2015-03-11");
    for (int k = 0; k < 24; k++) {
        char month[16], date[40];
        snprintf(date, sizeof(date), "%s-15", month_k(k, month));
        add_payment(s, uscc, date, 3, 10000000);
    }
    sqlf(s, "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES "
            "('%s', '%s', 370102, 'C')", uscc, name);
}

/* The LPR at 3.00% from 2025-01-01. */
static inline void fx_set_lpr(ph_store *s)
{
    ph_error err;
    ph_assert_ok(ph_market_set_lpr(s, day("2025-01-01"), 3 * PH_RATE_PERCENT, &err), &err);
}

/* Load policy `text` (written to DIR/FILE) and activate it when asked. */
static inline void fx_load_policy(fx *f, const char *file, const char *text, int activate)
{
    char *path = ph_test_path(f->dir, file);
    ph_test_write_file(path, text);
    ph_error err;
    ph_assert_ok(ph_policy_store_load(f->store, path, activate, NULL, &err), &err);
    free(path);
}

/* `uscc`'s credit consent to `lender` for `sources`, from `from` to `until`,
 * granted with the clock at `from` (consent is judged on the day); its id. */
static inline int64_t fx_grant(fx *f, const char *uscc, const char *lender, const char *sources,
                            const char *from, const char *until)
{
    ph_consent_terms t = {0};
    ph_error err;
    t.uscc = uscc;
    t.institution_id = lender;
    t.purpose = PH_PURPOSE_CREDIT;
    ph_assert_ok(ph_source_set_parse(sources, PH_PURPOSE_CREDIT, &t.sources, &err), &err);
    fx_set_today(f, from);
    t.granted_on = day(from);
    t.expires_on = day(until);
    int64_t id = 0;
    ph_assert_ok(ph_consent_grant(f->store, &t, &id, &err), &err);
    return id;
}

/* Assert a feature's value (exactly, or within 1e-9 relative for non-integers). */
#define assert_feature(values, name, expected) \
    assert_feature_((values), (name), (expected), __FILE__, __LINE__)
static inline void assert_feature_(const double *values, const char *name, double expected,
                            const char *file, int line)
{
    int i = ph_feature_index(name);
    if (i < 0)
        _fail(file, line);
    double got = values[i];
    int ok = isnan(expected) ? isnan(got)
                             : !isnan(got) && fabs(got - expected) <= 1e-9 * fmax(1.0, fabs(expected));
    if (!ok) {
        print_error("%s: expected %.12g, got %.12g\n", name, expected, got);
        _fail(file, line);
    }
}

/* Refresh the peer medians of `asof` unless a refresh of that date exists,
 * as a platform's scheduled refresh would have. */
static inline void refresh_once(ph_store *store, const char *asof)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM feature_peer_date WHERE asof = '%s'", asof);
    if (ph_test_query_int(store, sql) > 0)
        return;
    ph_error err;
    ph_date d = day(asof);
    ph_assert_ok(ph_features_refresh(store, &d, 1, NULL, &err), &err);
}

/* One firm's features as of a date, through the single-firm path, on the
 * medians of that date's refresh. */
static inline void features_of(ph_store *store, const char *uscc, const char *asof, double *values)
{
    ph_error err;
    refresh_once(store, asof);
    ph_date used = 0;
    ph_assert_ok(ph_features_for(store, uscc, day(asof), values, &used, &err), &err);
    assert_int_equal(used, day(asof));
}

#endif
