/*
 * Ingestion: every reject reason with its message, idempotent re-ingest,
 * corrections kept in history, known_on, JSON Lines equal to CSV, header
 * and file-name errors, the manifest's checksums, and the dirty province:
 * every line truth/dirty.csv lists is quarantined with the matching reason
 * and no other line is.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "ph_ingest_test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FIRM_B "92370102FT9Q9EXL4R"
#define FIRM_C "91370502G97GJMR88A" /* never registered */
#define FIRM_D "91370211GP58UWLU4T"
#define LENDER "91370000YURDK3FP5J"

#define REG_B                                                                                \
    FIRM_B ",历下区韩记修理部,individual,370102,O81,2014-03-25,380000.00,M,1984,1,86700.00," \
           "26000.00,micro,small_scale,active,\n"
#define REG_D                                                                                \
    FIRM_D ",青岛海川机械有限公司,company,370211,C34,2020-01-01,500000.00,F,1980,5,1000000.00," \
           "900000.00,micro,general,active,\n"

#define VAT_A1 FIRM_A ",2024-01,9696.59,2,4172.58,3,1,1.0000\n"
#define VAT_A2 FIRM_A ",2024-02,8784.17,4,3656.91,1,3,0.3333\n"
#define VAT_B1 FIRM_B ",2024-01,500.00,1,0.00,0,1,\n"

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_test_env_open("test_ingest", &f->ctx, &f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

/* Write dir/sub/name (sub may be NULL) and return its path (caller frees). */
static char *write_file(const fixture *f, const char *sub, const char *name, const char *text)
{
    char *dir = sub ? ph_test_path(f->dir, sub) : strdup(f->dir);
    mkdir(dir, 0700);
    char *path = ph_test_path(dir, name);
    ph_test_write_file(path, text);
    free(dir);
    return path;
}

static void assert_text(ph_store *store, const char *sql, const char *expected)
{
    char *got = ph_ingest_test_text(store, sql);
    if (strcmp(got, expected) != 0)
        fail_msg("%s\n  got      '%s'\n  expected '%s'", sql, got, expected);
    free(got);
}

/* The quarantine entry of line `line` of the file named `name`:
 * "reason|field|value|detail". */
static char *quarantined(ph_store *store, const char *name, int line)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT reason || '|' || coalesce(field, '') || '|' || coalesce(value, '') || '|' "
             "|| detail FROM quarantine WHERE path LIKE '%%/%s' AND line = %d",
             name, line);
    return ph_ingest_test_text(store, sql);
}

static void assert_quarantined(ph_store *store, const char *name, int line, const char *prefix,
                               const char *detail_part)
{
    char *got = quarantined(store, name, line);
    if (strncmp(got, prefix, strlen(prefix)) != 0 || strstr(got, detail_part) == NULL)
        fail_msg("%s:%d quarantined as '%s'; expected '%s...%s'", name, line, got, prefix,
                 detail_part);
    free(got);
}

static const ph_ingest_file_result *result_for(const ph_ingest *ing, const char *feed)
{
    for (size_t i = 0; i < ph_ingest_result_count(ing); i++)
        if (strcmp(ph_ingest_result_at(ing, i)->feed, feed) == 0)
            return ph_ingest_result_at(ing, i);
    fail_msg("no result for feed %s", feed);
    return NULL;
}

static void assert_counts(const ph_ingest_file_result *r, uint64_t rows, uint64_t accepted,
                          uint64_t unchanged, uint64_t superseded, uint64_t rejected)
{
    assert_int_equal(r->counts.rows, rows);
    assert_int_equal(r->counts.accepted, accepted);
    assert_int_equal(r->counts.unchanged, unchanged);
    assert_int_equal(r->counts.superseded, superseded);
    assert_int_equal(r->counts.rejected, rejected);
}

/* --- reasons ------------------------------------------------------------------------ */

static void test_reason_names(void **state)
{
    (void)state;
    static const char *const names[] = {
        "invalid_utf8", "malformed_record", "wrong_field_count", "missing_value",
        "bad_uscc",     "bad_number",       "bad_date",          "unknown_code",
        "bad_text",     "duplicate_key",    "unknown_enterprise",
    };
    assert_int_equal(sizeof(names) / sizeof(names[0]), PH_REJECT_REASON_COUNT);
    for (int i = 0; i < PH_REJECT_REASON_COUNT; i++) {
        assert_string_equal(ph_reject_reason_name((ph_reject_reason)i), names[i]);
        ph_reject_reason r;
        ph_error err;
        ph_assert_ok(ph_reject_reason_parse(names[i], &r, &err), &err);
        assert_int_equal(r, i);
    }
    assert_null(ph_reject_reason_name(PH_REJECT_REASON_COUNT));
    ph_reject_reason r;
    ph_error err;
    ph_assert_error(ph_reject_reason_parse("bad", &r, &err), PH_EINVAL, &err,
                    "field reason, value 'bad': expected one of invalid_utf8, malformed_record");
    ph_assert_error(ph_reject_reason_parse(NULL, &r, &err), PH_EMISUSE, &err, "must not be NULL");
}

static void test_every_reason(void **state)
{
    fixture *f = *state;
    char *reg = write_file(
        f, "reasons", "registration.csv",
        REG_HEADER REG_A REG_B
        "91370281FKAW4U0T0Y,青岛开顺牧业有限公司" REG_A_TAIL                       /* 4 */
        FIRM_D ",某公司,company,370211,C34,2020-01-01,500000.00,F,1980,1O,1.00,1.00,micro,general,active,\n"
        FIRM_D ",某公司,company,370211,C34,2021-02-30,500000.00,F,1980,1,1.00,1.00,micro,general,active,\n"
        FIRM_D ",某公司,company,379901,C34,2020-01-01,500000.00,F,1980,1,1.00,1.00,micro,general,active,\n"
        FIRM_C ",东营丰喜\n"                                                         /* 8 */
        FIRM_D ",\xb0\xa1\xb0\xa1,company,370211,C34,2020-01-01,500000.00,F,1980,1,1.00,1.00,micro,general,active,\n"
        REG_A                                                                        /* 10 */
        FIRM_D ",,company,370211,C34,2020-01-01,500000.00,F,1980,1,1.00,1.00,micro,general,active,\n"
        FIRM_D ",a\tb,company,370211,C34,2020-01-01,500000.00,F,1980,1,1.00,1.00,micro,general,active,\n"
        FIRM_D ",\"abc\"x,company,370211,C34,2020-01-01,1.00,F,1980,1,1.00,1.00,micro,general,active,\n"
        REG_D);                                                                      /* 14 */
    char *vat = write_file(f, "reasons", "vat_invoices.csv",
                           VAT_HEADER VAT_A1 VAT_A2 FIRM_C ",2024-01,100.00,1,0.00,0,1,1.0000\n" VAT_B1);
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "reasons.db");
    /* vat first on the command line: registration still goes first */
    const char *paths[] = {vat, reg};
    ph_ingest *ing = NULL;
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, paths, 2, "2024-06-30", 1, 0, &ing, &err), &err);
    assert_int_equal(ph_ingest_result_count(ing), 2);
    assert_string_equal(ph_ingest_result_at(ing, 0)->feed, "registration");
    assert_counts(result_for(ing, "registration"), 13, 3, 0, 0, 10);
    assert_counts(result_for(ing, "vat_invoices"), 4, 3, 0, 0, 1);
    ph_ingest_free(ing);

    const char *r = "registration.csv";
    assert_quarantined(store, r, 4, "bad_uscc|uscc|91370281FKAW4U0T0Y|",
                       "expected a Unified Social Credit Code: check character is 'Y'");
    assert_quarantined(store, r, 5, "bad_number|employees|1O|",
                       "expected a whole number from 0 to 100000");
    assert_quarantined(store, r, 6, "bad_date|registered_on|2021-02-30|",
                       "day 30 does not exist: February 2021 has 28 days");
    assert_quarantined(store, r, 7, "unknown_code|region_code|379901|", "unknown division code");
    assert_quarantined(store, r, 8, "wrong_field_count|||",
                       "record has 2 fields, expected 16 as in the header");
    assert_quarantined(store, r, 9, "invalid_utf8|name|\\xb0\\xa1\\xb0\\xa1|",
                       "invalid UTF-8 byte 0xb0; expected UTF-8 text");
    assert_quarantined(store, r, 10, "duplicate_key|uscc|" FIRM_A "|",
                       "same key as line 2; expected each key (uscc) once per file");
    assert_quarantined(store, r, 11, "missing_value|name||",
                       "expected a value: the column is required");
    /* every value shown is escaped alike (docs/errors.md): the tab as \x09 */
    assert_quarantined(store, r, 12, "bad_text|name|a\\x09b|",
                       "byte 2 is the control character 0x09");
    assert_quarantined(store, r, 13, "malformed_record|name|abc|",
                       "unexpected 'x' after the closing quote");
    assert_quarantined(store, "vat_invoices.csv", 4, "unknown_enterprise|uscc|" FIRM_C "|",
                       "unknown firm; expected an enterprise registered in feed registration");
    /* raw keeps the line, escaped to valid UTF-8 */
    assert_text(store, "SELECT raw FROM quarantine WHERE path LIKE '%registration.csv' AND line = 8",
                FIRM_C ",东营丰喜");
    assert_text(store, "SELECT substr(raw, 1, 35) FROM quarantine WHERE path LIKE "
                       "'%registration.csv' AND line = 9",
                FIRM_D ",\\xb0\\xa1\\xb0\\xa1");
    assert_text(store, "SELECT raw IS NULL FROM quarantine WHERE line = 13", "1");
    /* the good rows landed, line 14 after the malformed one included */
    assert_text(store, "SELECT group_concat(line) FROM (SELECT line FROM feed_registration "
                       "ORDER BY line)", "2,3,14");
    assert_text(store, "SELECT count(*) FROM quarantine", "11");

    free(reg);
    free(vat);
    ph_store_free(store);
}

typedef struct listing {
    int count;
    char first[256];
} listing;

static ph_status collect(void *user, const ph_rejected_row *row, ph_error *err)
{
    (void)err;
    listing *l = user;
    if (l->count++ == 0)
        snprintf(l->first, sizeof(l->first), "%s|%lld|%s|%s", row->feed, (long long)row->line,
                 row->reason, row->field ? row->field : "");
    return PH_OK;
}

static void test_rejected_listing(void **state)
{
    fixture *f = *state;
    char *reg = write_file(f, "listing", "registration.csv",
                           REG_HEADER REG_A "91370281FKAW4U0T0Y,x" REG_A_TAIL REG_A);
    char *vat = write_file(f, "listing", "vat_invoices.csv",
                           VAT_HEADER VAT_A1 FIRM_C ",2024-01,100.00,1,0.00,0,1,1.0000\n");
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "listing.db");
    const char *paths[] = {reg, vat};
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, paths, 2, "2024-06-30", 2, 0, NULL, &err), &err);
    listing all = {0, ""}, vat_only = {0, ""}, one = {0, ""};
    ph_assert_ok(ph_ingest_each_rejected(store, NULL, 0, collect, &all, &err), &err);
    assert_int_equal(all.count, 3);
    assert_string_equal(all.first, "registration|3|bad_uscc|uscc");
    ph_assert_ok(ph_ingest_each_rejected(store, "vat_invoices", 0, collect, &vat_only, &err), &err);
    assert_int_equal(vat_only.count, 1);
    assert_string_equal(vat_only.first, "vat_invoices|3|unknown_enterprise|uscc");
    ph_assert_ok(ph_ingest_each_rejected(store, NULL, 1, collect, &one, &err), &err);
    assert_int_equal(one.count, 1);
    ph_assert_error(ph_ingest_each_rejected(store, "truth_pd", 0, collect, &one, &err), PH_EINVAL,
                    &err, "field feed, value 'truth_pd': expected the name of an ingested feed");
    ph_assert_error(ph_ingest_each_rejected(store, NULL, 0, NULL, NULL, &err), PH_EMISUSE, &err,
                    "store and fn must not be NULL");
    free(reg);
    free(vat);
    ph_store_free(store);
}

/* --- idempotence, corrections, known_on ---------------------------------------------- */

static void test_reingest_is_idempotent(void **state)
{
    fixture *f = *state;
    char *reg = write_file(f, "again", "registration.csv", REG_HEADER REG_A REG_B REG_A "x,y\n");
    char *vat = write_file(f, "again", "vat_invoices.csv", VAT_HEADER VAT_A1 VAT_A2 VAT_B1);
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "again.db");
    const char *paths[] = {reg, vat};
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, paths, 2, "2024-06-30", 2, 0, NULL, &err), &err);
    char *before = ph_ingest_test_dump(store, NULL);
    ph_ingest *ing = NULL;
    ph_assert_ok(ph_ingest_test_run(store, paths, 2, "2024-07-31", 2, 0, &ing, &err), &err);
    assert_counts(result_for(ing, "registration"), 4, 0, 2, 0, 2);
    assert_counts(result_for(ing, "vat_invoices"), 3, 0, 3, 0, 0);
    ph_ingest_free(ing);
    char *after = ph_ingest_test_dump(store, NULL);
    assert_string_equal(before, after); /* nothing written, quarantine not doubled */
    assert_text(store, "SELECT count(*) FROM quarantine", "2");
    assert_text(store, "SELECT count(*) || ' ' || sum(state = 'done') FROM ingest_file", "4 4");
    assert_text(store, "SELECT count(*) FROM ingest_run WHERE finished_at IS NOT NULL", "2");
    free(before);
    free(after);
    free(reg);
    free(vat);
    ph_store_free(store);
}

static void test_correction_supersedes(void **state)
{
    fixture *f = *state;
    char *reg = write_file(f, "fix1", "registration.csv", REG_HEADER REG_A REG_B);
    char *vat = write_file(f, "fix1", "vat_invoices.csv", VAT_HEADER VAT_A1 VAT_A2 VAT_B1);
    char *fixed = write_file(f, "fix2", "vat_invoices.csv",
                             VAT_HEADER FIRM_A ",2024-01,9999.99,2,4172.58,3,1,1.0000\n" VAT_A2);
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "fix.db");
    const char *first[] = {reg, vat};
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, first, 2, "2024-06-30", 1, 0, NULL, &err), &err);
    assert_text(store, "SELECT known_on FROM feed_vat_invoices WHERE month = '2024-01' AND uscc = '" FIRM_A "'",
                "2024-02-15"); /* January's last day + 15 days' lag */
    ph_ingest *ing = NULL;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){fixed}, 1, "2024-07-31", 2, 0, &ing, &err),
                 &err);
    const ph_ingest_file_result *r = result_for(ing, "vat_invoices");
    assert_counts(r, 2, 0, 1, 1, 0);
    char expected[64];
    snprintf(expected, sizeof(expected), "969659|2024-02-15|2024-07-31|%lld", (long long)r->file_id);
    ph_ingest_free(ing);
    assert_text(store, "SELECT sales_amount_fen || '|' || known_on || '|' || superseded_on || '|' "
                       "|| superseded_by FROM feed_vat_invoices_history",
                expected);
    /* the correction is known when it arrived, not from its month */
    assert_text(store, "SELECT sales_amount_fen || '|' || known_on FROM feed_vat_invoices WHERE "
                       "month = '2024-01' AND uscc = '" FIRM_A "'",
                "999999|2024-07-31");
    assert_text(store, "SELECT count(*) FROM feed_vat_invoices", "3");
    free(reg);
    free(vat);
    free(fixed);
    ph_store_free(store);
}

static void test_stored_values_and_registries(void **state)
{
    fixture *f = *state;
    char *reg = write_file(f, "values", "registration.csv", REG_HEADER REG_A REG_B);
    char *lenders = write_file(
        f, "values", "lenders.csv",
        "lender_id,name,type,scope,serves_counties,min_amount,max_amount,max_term_months,"
        "target_sizes,industries,credit_share,spread_min_bp,spread_max_bp,max_apr_bp\n" LENDER
        ",中华泰和银行,rural_commercial_bank,370000,Y,100000.00,10000000.00,36,micro|small,*,0.3000,"
        "-85,180,600\n");
    char *loans = write_file(
        f, "values", "credit_loans.csv",
        "loan_id,uscc,lender_id,product,guarantee,opened_on,maturity_on,amount\n"
        "LN1," FIRM_A "," LENDER ",term_loan,credit,2023-03-01,2024-03-01,300000.00\n"
        "LN2," FIRM_A "," FIRM_B ",term_loan,credit,2023-03-01,2024-03-01,300000.00\n");
    char *vat = write_file(f, "values", "vat_invoices.csv", VAT_HEADER VAT_A1 VAT_B1);
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "values.db");
    const char *paths[] = {loans, vat, lenders, reg};
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, paths, 4, "2024-06-30", 2, 0, NULL, &err), &err);
    assert_text(store, "SELECT uscc || '|' || name || '|' || region_code || '|' || industry_section "
                       "|| '|' || industry_division || '|' || size_class || '|' || registered_on || "
                       "'|' || status FROM enterprise WHERE uscc = '" FIRM_A "'",
                FIRM_A "|青岛开顺牧业有限公司|370281|A|3|micro|2019-02-12|active");
    assert_text(store, "SELECT known_on || '|' || registered_capital_fen || '|' || typeof(region_code) "
                       "|| '|' || (status_date IS NULL) FROM feed_registration WHERE uscc = '" FIRM_A "'",
                "2019-02-13|10000000|integer|1");
    assert_text(store, "SELECT id || '|' || kind FROM institution", LENDER "|rural_bank");
    /* a snapshot feed is known from the run's date; shares are reals */
    assert_text(store, "SELECT known_on || '|' || credit_share || '|' || spread_min_bp FROM feed_lenders",
                "2024-06-30|0.3|-85");
    assert_text(store, "SELECT sales_amount_fen || '|' || top_buyer_share || '|' || typeof(top_buyer_share) "
                       "FROM feed_vat_invoices WHERE uscc = '" FIRM_A "'",
                "969659|1.0|real");
    assert_text(store, "SELECT top_buyer_share IS NULL FROM feed_vat_invoices WHERE uscc = '" FIRM_B "'", "1");
    assert_text(store, "SELECT loan_id FROM feed_credit_loans", "LN1");
    assert_quarantined(store, "credit_loans.csv", 3, "unknown_enterprise|lender_id|" FIRM_B "|",
                       "expected a known institution (reference/lenders)");
    free(reg);
    free(lenders);
    free(loans);
    free(vat);
    ph_store_free(store);
}

/* --- JSON Lines ------------------------------------------------------------------------- */

/* Noon UTC on 2021-06-15: the same calendar day in every time zone from
 * UTC-11 to UTC+11, so the test holds whatever TZ it runs under. */
static int64_t fixed_clock(void *user)
{
    (void)user;
    return 1623758400;
}

/* Without --known-on a snapshot is known from today by the context's clock
 * (ph_ctx_today), like every other "today" in the library. */
static void test_known_on_defaults_to_ctx_today(void **state)
{
    fixture *f = *state;
    char *lenders = write_file(
        f, "today", "lenders.csv",
        "lender_id,name,type,scope,serves_counties,min_amount,max_amount,max_term_months,"
        "target_sizes,industries,credit_share,spread_min_bp,spread_max_bp,max_apr_bp\n" LENDER
        ",中华泰和银行,rural_commercial_bank,370000,Y,100000.00,10000000.00,36,micro|small,*,0.3000,"
        "-85,180,600\n");
    ph_ctx_options options = {0};
    options.now = fixed_clock;
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&options, &ctx, &err), &err);
    ph_store *store = ph_test_open_db(ctx, f->dir, "today.db");
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){lenders}, 1, NULL, 1, 0, NULL, &err),
                 &err);
    assert_text(store, "SELECT known_on FROM feed_lenders", "2021-06-15");
    ph_store_free(store);
    ph_ctx_free(ctx);
    free(lenders);
}

static void test_jsonl_equals_csv(void **state)
{
    fixture *f = *state;
    char *reg_csv = write_file(f, "csv", "registration.csv", REG_HEADER REG_A REG_B);
    char *vat_csv = write_file(f, "csv", "vat_invoices.csv", VAT_HEADER VAT_A1 VAT_A2 VAT_B1);
    char *reg_json = write_file(
        f, "json", "registration.jsonl",
        "{\"uscc\": \"" FIRM_A "\", \"name\": \"\\u9752\\u5c9b开顺牧业有限公司\", \"entity_type\": "
        "\"company\", \"region_code\": 370281, \"industry_code\": \"A03\", \"registered_on\": "
        "\"2019-02-12\", \"registered_capital\": 100000.00, \"owner_gender\": \"M\", "
        "\"owner_birth_year\": 1989, \"employees\": 1, \"annual_revenue\": \"218200.00\", "
        "\"total_assets\": 232100.00, \"size_class\": \"micro\", \"taxpayer_type\": "
        "\"small_scale\", \"status\": \"active\", \"status_date\": null}\n"
        "{\"status\": \"active\", \"taxpayer_type\": \"small_scale\", \"size_class\": \"micro\", "
        "\"total_assets\": \"26000.00\", \"annual_revenue\": 86700.00, \"employees\": \"1\", "
        "\"owner_birth_year\": 1984, \"owner_gender\": \"M\", \"registered_capital\": "
        "\"380000.00\", \"registered_on\": \"2014-03-25\", \"industry_code\": \"O81\", "
        "\"region_code\": \"370102\", \"entity_type\": \"individual\", \"name\": "
        "\"历下区韩记修理部\", \"uscc\": \"" FIRM_B "\"}\n");
    char *vat_json = write_file(
        f, "json", "vat_invoices.jsonl",
        "{\"uscc\":\"" FIRM_A "\",\"month\":\"2024-01\",\"sales_amount\":9696.59,\"sales_invoices\":2,"
        "\"purchase_amount\":4172.58,\"purchase_invoices\":3,\"distinct_buyers\":1,\"top_buyer_share\":1}\n"
        "{\"uscc\":\"" FIRM_A "\",\"month\":\"2024-02\",\"sales_amount\":\"8784.17\",\"sales_invoices\":4,"
        "\"purchase_amount\":3656.91,\"purchase_invoices\":1,\"distinct_buyers\":3,\"top_buyer_share\":0.3333}\r\n"
        "\n"
        "{\"uscc\":\"" FIRM_B "\",\"month\":\"2024-01\",\"sales_amount\":500,\"sales_invoices\":1,"
        "\"purchase_amount\":0,\"purchase_invoices\":0,\"distinct_buyers\":1}");
    ph_store *a = ph_test_open_db(f->ctx, f->dir, "csv.db");
    ph_store *b = ph_test_open_db(f->ctx, f->dir, "json.db");
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(a, (const char *[]){reg_csv, vat_csv}, 2, "2024-06-30", 2, 0,
                                    NULL, &err), &err);
    ph_ingest *ing = NULL;
    ph_assert_ok(ph_ingest_test_run(b, (const char *[]){reg_json, vat_json}, 2, "2024-06-30", 1, 0,
                                    &ing, &err), &err);
    assert_string_equal(result_for(ing, "vat_invoices")->format, "jsonl");
    assert_counts(result_for(ing, "vat_invoices"), 3, 3, 0, 0, 0);
    ph_ingest_free(ing);
    /* lines differ (the JSONL has an empty line), values and hashes do not */
    char *da = ph_ingest_test_dump(a, "line"), *db = ph_ingest_test_dump(b, "line");
    assert_string_equal(da, db);
    free(da);
    free(db);
    /* and the CSV file ingested into the JSONL database changes nothing */
    ph_assert_ok(ph_ingest_test_run(b, (const char *[]){vat_csv}, 1, "2024-06-30", 1, 0, &ing, &err),
                 &err);
    assert_counts(result_for(ing, "vat_invoices"), 3, 0, 3, 0, 0);
    ph_ingest_free(ing);
    free(reg_csv);
    free(vat_csv);
    free(reg_json);
    free(vat_json);
    ph_store_free(a);
    ph_store_free(b);
}

static void test_jsonl_bad_lines(void **state)
{
    fixture *f = *state;
    char *reg = write_file(f, "jbad", "registration.csv", REG_HEADER REG_A);
    char *vat = write_file(
        f, "jbad", "vat_invoices.jsonl",
        "{\"uscc\":\"" FIRM_A "\",\"month\":\"2024-01\",\"sales_amount\":1,\"sales_invoices\":1,"
        "\"purchase_amount\":1,\"purchase_invoices\":1,\"distinct_buyers\":1}\n"                /* 1 */
        "[1, 2]\n"                                                                              /* 2 */
        "{\"uscc\":\"" FIRM_A "\",\"bogus\":1}\n"                                               /* 3 */
        "{\"uscc\":\"" FIRM_A "\",\"month\":\"2024-03\",\"sales_amount\":1e5,\"sales_invoices\":1,"
        "\"purchase_amount\":1,\"purchase_invoices\":1,\"distinct_buyers\":1}\n"                /* 4 */
        "{\"uscc\":\"" FIRM_A "\",\"month\":{\"x\":1}}\n"                                       /* 5 */
        "{\"uscc\":\"\xb0\xa1\"}\n"                                                             /* 6 */
        "{\"uscc\":\"" FIRM_A "\",\"month\":\"2024-01\",\"sales_amount\":2,\"sales_invoices\":1,"
        "\"purchase_amount\":1,\"purchase_invoices\":1,\"distinct_buyers\":1}\n"                /* 7 */
        "{\"uscc\":\"" FIRM_A "\",\"month\":\"2024-05\",\"sales_amount\":1,\"sales_invoices\":1,"
        "\"purchase_amount\":null,\"purchase_invoices\":1,\"distinct_buyers\":1}\n"             /* 8 */
        "{\"uscc\":\"" FIRM_A "\",\"uscc\":\"" FIRM_A "\"}\n"                                   /* 9 */
        "{\"uscc\":\"" FIRM_A "\"} x\n");                                                      /* 10 */
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "jbad.db");
    ph_ingest *ing = NULL;
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){reg, vat}, 2, "2024-06-30", 2, 0, &ing,
                                    &err), &err);
    assert_counts(result_for(ing, "vat_invoices"), 10, 1, 0, 0, 9);
    ph_ingest_free(ing);
    const char *v = "vat_invoices.jsonl";
    assert_quarantined(store, v, 2, "malformed_record|||", "expected a JSON object ('{') on the line");
    assert_quarantined(store, v, 3, "malformed_record|bogus||",
                       "unexpected key; expected only the columns of feed vat_invoices");
    assert_quarantined(store, v, 4, "bad_number|sales_amount|1e5|", "expected yuan with at most 2 decimals");
    assert_quarantined(store, v, 5, "malformed_record|month||",
                       "expected a string, a number or null as the value");
    assert_quarantined(store, v, 6, "invalid_utf8|||", "invalid UTF-8 byte 0xb0 at byte 10");
    assert_quarantined(store, v, 7, "duplicate_key|uscc,month|" FIRM_A ",2024-01|", "same key as line 1");
    assert_quarantined(store, v, 8, "missing_value|purchase_amount||", "the column is required");
    assert_quarantined(store, v, 9, "malformed_record|uscc||", "the key appears twice in the object");
    assert_quarantined(store, v, 10, "malformed_record|||", "unexpected text after the object");
    assert_text(store, "SELECT raw FROM quarantine WHERE line = 2", "[1, 2]");
    free(reg);
    free(vat);
    ph_store_free(store);
}

/* --- file-level errors ------------------------------------------------------------------ */

static void test_file_errors(void **state)
{
    fixture *f = *state;
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "errors.db");
    ph_error err;
    char *missing = write_file(f, "h1", "vat_invoices.csv",
                               "uscc,month,sales_amount,sales_invoices,purchase_amount,"
                               "purchase_invoices,distinct_buyers\n");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){missing}, 1, NULL, 2, 0, NULL, &err),
                    PH_EINVAL, &err,
                    "vat_invoices.csv:1: field header, value 'top_buyer_share': missing column "
                    "'top_buyer_share'; the header has 7 columns: 'uscc', 'month', "
                    "'sales_amount', 'sales_invoices', 'purchase_amount', 'purchase_invoices', "
                    "'distinct_buyers'; expected the columns of feed vat_invoices, in this order: "
                    "uscc, month, sales_amount");
    char *extra = write_file(f, "h2", "vat_invoices.csv",
                             "uscc,month,sales_amount,sales_invoices,purchase_amount,"
                             "purchase_invoices,distinct_buyers,top_buyer_share,note\n");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){extra}, 1, NULL, 2, 0, NULL, &err),
                    PH_EINVAL, &err, "unexpected column 'note'");
    char *order = write_file(f, "h3", "vat_invoices.csv",
                             "month,uscc,sales_amount,sales_invoices,purchase_amount,"
                             "purchase_invoices,distinct_buyers,top_buyer_share\n");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){order}, 1, NULL, 2, 0, NULL, &err),
                    PH_EINVAL, &err, "column 1 is 'month' where 'uscc' belongs");
    char *unknown = write_file(f, "h4", "loans.csv", "a\n1\n");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){unknown}, 1, NULL, 2, 0, NULL, &err),
                    PH_EINVAL, &err,
                    "'loans' is not a feed that is ingested; expected the file name of one of: "
                    "registration, vat_invoices,");
    char *truth = write_file(f, "h4", "truth_pd.csv", "a\n1\n");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){truth}, 1, NULL, 2, 0, NULL, &err),
                    PH_EINVAL, &err, "'truth_pd' is not a feed that is ingested");
    char *text = write_file(f, "h4", "vat_invoices.txt", "a\n");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){text}, 1, NULL, 2, 0, NULL, &err),
                    PH_EINVAL, &err, "expected a feed file named FEED.csv or FEED.jsonl");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){"/nonexistent/x.csv"}, 1, NULL, 2, 0,
                                       NULL, &err),
                    PH_EIO, &err, "field path, value '/nonexistent/x.csv': cannot read it");
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){f->dir}, 1, NULL, 2, 0, NULL, &err),
                    PH_EIO, &err, "expected a directory written by puhui gen, with a manifest.json");
    /* nothing was recorded for refused files */
    assert_text(store, "SELECT count(*) FROM ingest_file", "0");

    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    ph_ingest *ing = NULL;
    opts.known_on = "2024-02-30";
    ph_assert_error(ph_ingest_new(store, &opts, &ing, &err), PH_EINVAL, &err,
                    "field known_on, value '2024-02-30': expected a date as YYYY-MM-DD");
    opts.known_on = NULL;
    opts.threads = 3;
    ph_assert_error(ph_ingest_new(store, &opts, &ing, &err), PH_EINVAL, &err, "field threads");
    opts.version = 0;
    ph_assert_error(ph_ingest_new(store, &opts, &ing, &err), PH_EMISUSE, &err,
                    "ph_ingest_options_init");
    ph_assert_error(ph_ingest_new(NULL, NULL, &ing, &err), PH_EMISUSE, &err, "must not be NULL");
    ph_store *old = NULL;
    char *old_path = ph_test_path(f->dir, "old.db");
    remove(old_path);
    ph_assert_ok(ph_store_open(f->ctx, old_path, NULL, &old, &err), &err);
    ph_assert_ok(ph_schema_migrate(old, 2, NULL, &err), &err);
    ph_assert_error(ph_ingest_new(old, NULL, &ing, &err), PH_ESCHEMA, &err,
                    "field schema_version: ingestion needs schema version 9 or later, the "
                    "database has 2; run `puhui init`");
    /* the quarantine listing says it the same way */
    ph_assert_error(ph_ingest_each_rejected(old, NULL, 0, collect, &(listing){0, ""}, &err), PH_ESCHEMA,
                    &err,
                    "field schema_version: the quarantine needs schema version 9 or later, the "
                    "database has 2; run `puhui init`");
    ph_store_free(old);
    /* a feed added after migration 3 needs the migration that made its
     * tables: at 13 there is no logistics_gps table to write */
    char *at13_path = ph_test_path(f->dir, "at13.db");
    remove(at13_path);
    ph_assert_ok(ph_store_open(f->ctx, at13_path, NULL, &old, &err), &err);
    ph_assert_ok(ph_schema_migrate(old, 13, NULL, &err), &err);
    char *gps = write_file(f, "h5", "logistics_gps.csv",
                           "trip_id,seq,uscc,date,vehicle,event,on_route,division,km\n");
    ph_assert_error(ph_ingest_test_run(old, (const char *[]){gps}, 1, NULL, 2, 0, NULL, &err),
                    PH_ESCHEMA, &err,
                    "logistics_gps.csv: field schema_version: the feed logistics_gps needs "
                    "schema version 14 or later, the database has 13; run `puhui init`");
    assert_text(old, "SELECT count(*) FROM ingest_file", "0");
    ph_assert_ok(ph_schema_migrate(old, -1, NULL, &err), &err);
    ph_assert_ok(ph_ingest_test_run(old, (const char *[]){gps}, 1, NULL, 2, 0, NULL, &err), &err);
    ph_store_free(old);
    free(at13_path);
    free(gps);
    free(old_path);
    free(missing);
    free(extra);
    free(order);
    free(unknown);
    free(truth);
    free(text);
    ph_store_free(store);
}

/* --- generated provinces --------------------------------------------------------------- */

static char *generate(const fixture *f, const char *name, uint64_t firms, int months,
                      double dirty)
{
    char *out = ph_test_path(f->dir, name);
    ph_gen_options opts;
    ph_gen_options_init(&opts);
    opts.enterprises = firms;
    opts.months = months;
    opts.dirty_rate = dirty;
    opts.out_dir = out;
    opts.threads = 1;
    ph_error err;
    ph_assert_ok(ph_gen_run(f->ctx, &opts, NULL, &err), &err);
    return out;
}

static void test_manifest_checksums(void **state)
{
    fixture *f = *state;
    char *dir = generate(f, "small", 200, 2, 0.0);
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "small.db");
    ph_ingest *ing = NULL;
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){dir}, 1, "2024-03-31", 2, 0, &ing,
                                    &err), &err);
    assert_int_equal(ph_ingest_result_count(ing), 24); /* 20 feeds + 4 reference, no truth */
    assert_string_equal(ph_ingest_result_at(ing, 0)->feed, "registration");
    for (size_t i = 1; i < 5; i++)
        assert_non_null(strstr(ph_ingest_result_at(ing, i)->path, "/reference/"));
    for (size_t i = 0; i < 24; i++)
        assert_int_equal(ph_ingest_result_at(ing, i)->counts.rejected, 0);
    ph_ingest_free(ing);
    assert_text(store, "SELECT count(*) FROM ingest_file WHERE path LIKE '%/truth/%'", "0");
    assert_text(store, "SELECT count(*) FROM ingest_file WHERE checksum LIKE 'blake2b-256:%'", "24");

    /* one changed byte: the directory is refused before anything is read */
    char *vat = ph_test_path(dir, "feeds/vat_invoices.csv");
    FILE *fp = fopen(vat, "r+b");
    assert_non_null(fp);
    fseek(fp, -3, SEEK_END);
    fputc('9', fp);
    fclose(fp);
    ph_assert_error(ph_ingest_test_run(store, (const char *[]){dir}, 1, "2024-03-31", 2, 0, NULL,
                                       &err),
                    PH_EINVAL, &err, "feeds/vat_invoices.csv': checksum mismatch: ");
    assert_non_null(strstr(err.message, "manifest.json lists blake2b-256:"));
    assert_non_null(strstr(err.message, "so it is not ingested"));
    assert_text(store, "SELECT count(*) FROM ingest_file", "24");
    free(vat);
    free(dir);
    ph_store_free(store);
}

/* The reason each kind of injected damage must be quarantined with. */
static const struct {
    const char *kind;
    const char *reason;
} DIRTY_REASONS[] = {
    {"bad_check_char", "bad_uscc"},          {"malformed_number", "bad_number"},
    {"date_out_of_range", "bad_date"},       {"unknown_code", "unknown_code"},
    {"truncated_line", "wrong_field_count"}, {"mis_encoded_text", "invalid_utf8"},
    {"duplicate_row", "duplicate_key"},
};

static const char *reason_for_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof(DIRTY_REASONS) / sizeof(DIRTY_REASONS[0]); i++)
        if (strcmp(DIRTY_REASONS[i].kind, kind) == 0)
            return DIRTY_REASONS[i].reason;
    fail_msg("unknown kind of damage '%s'", kind);
    return NULL;
}

static void test_dirty_province(void **state)
{
    fixture *f = *state;
    char *dir = generate(f, "dirty", 3000, 6, 0.01);
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "dirty.db");
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){dir}, 1, "2024-07-31", 2, 0, NULL,
                                    &err), &err);
    char real[PATH_MAX];
    assert_non_null(realpath(dir, real));
    ph_stmt *find = NULL;
    ph_assert_ok(ph_store_prepare(store, "SELECT reason FROM quarantine WHERE path = ? AND line = ?",
                                  &find, &err), &err);
    char *truth = ph_test_path(dir, "truth/dirty.csv");
    ph_csv_reader *csv = NULL;
    ph_assert_ok(ph_csv_open_file(f->ctx, truth, NULL, &csv, &err), &err);
    int file_col = ph_csv_column(csv, "file"), line_col = ph_csv_column(csv, "line"),
        kind_col = ph_csv_column(csv, "kind");
    int64_t listed = 0;
    ph_status st;
    while ((st = ph_csv_next(csv, &err)) == PH_OK) {
        const char *file, *line, *kind;
        size_t n;
        ph_csv_field(csv, (size_t)file_col, &file, &n, NULL);
        ph_csv_field(csv, (size_t)line_col, &line, &n, NULL);
        ph_csv_field(csv, (size_t)kind_col, &kind, &n, NULL);
        char path[PATH_MAX + 64];
        snprintf(path, sizeof(path), "%s/%s", real, file);
        ph_assert_ok(ph_stmt_bind_text(find, 1, path, -1, &err), &err);
        ph_assert_ok(ph_stmt_bind_int64(find, 2, atoll(line), &err), &err);
        st = ph_stmt_step(find, &err);
        if (st != PH_OK)
            fail_msg("%s:%s (%s) is not in the quarantine", file, line, kind);
        const char *want = reason_for_kind(kind);
        if (strcmp(ph_stmt_column_text(find, 0), want) != 0)
            fail_msg("%s:%s (%s) quarantined as %s, expected %s", file, line, kind,
                     ph_stmt_column_text(find, 0), want);
        ph_stmt_reset(find, NULL);
        listed++;
    }
    assert_int_equal(st, PH_DONE);
    assert_true(listed > 100);
    /* and nothing else: as many quarantined lines as listed ones */
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM quarantine"), listed);
    assert_int_equal(ph_test_query_int(store, "SELECT count(DISTINCT path || ':' || line) FROM quarantine"),
                     listed);
    ph_csv_free(csv);
    ph_stmt_free(find);
    free(truth);
    free(dir);
    ph_store_free(store);
}

/* --- duplicate keys, whatever the order of the rows ----------------------------------- */

/* Keys come grouped by firm until line 6 brings firm A back: the file goes
 * on with every key remembered (the earlier lines replayed), and a
 * duplicate is named with its first line either way: next to its twin,
 * in a group that came back, far apart, across batches of 2 rows; in a
 * group whose keys go back; in a group too long to list. */
static void test_duplicates_in_any_order(void **state)
{
    fixture *f = *state;
    char *reg = write_file(f, "dups", "registration.csv", REG_HEADER REG_A REG_B);
    char *vat = write_file(f, "dups", "vat_invoices.csv",
                           VAT_HEADER VAT_A1 VAT_A2                  /* 2, 3 */
                           VAT_A2                                    /* 4: as line 3 */
                           VAT_B1                                    /* 5 */
                           FIRM_A ",2024-03,1.00,1,0.00,0,1,\n"      /* 6: A again */
                           VAT_A1                                    /* 7: as line 2 */
                           VAT_B1                                    /* 8: as line 5 */
                           FIRM_B ",2024-02,1.00,1,0.00,0,1,\n");    /* 9 */
    /* within one firm the months go back: no longer grouped from line 3 */
    char *back = write_file(f, "back", "vat_invoices.csv",
                            VAT_HEADER FIRM_B ",2024-02,1.00,1,0.00,0,1,\n" /* 2 */
                            VAT_B1                                           /* 3 */
                            FIRM_B ",2024-02,2.00,1,0.00,0,1,\n");           /* 4: as line 2 */
    for (int threads = 1; threads <= 2; threads++) {
        char name[32];
        snprintf(name, sizeof(name), "dups%d.db", threads);
        ph_store *store = ph_test_open_db(f->ctx, f->dir, name);
        ph_ingest *ing = NULL;
        ph_error err;
        ph_assert_ok(ph_ingest_test_run(store, (const char *[]){reg, vat}, 2, "2024-06-30",
                                        threads, 2, &ing, &err), &err);
        assert_counts(result_for(ing, "vat_invoices"), 8, 5, 0, 0, 3);
        ph_ingest_free(ing);
        const char *v = "dups/vat_invoices.csv";
        assert_quarantined(store, v, 4, "duplicate_key|uscc,month|" FIRM_A ",2024-02|",
                           "same key as line 3;");
        assert_quarantined(store, v, 7, "duplicate_key|uscc,month|" FIRM_A ",2024-01|",
                           "same key as line 2;");
        assert_quarantined(store, v, 8, "duplicate_key|uscc,month|" FIRM_B ",2024-01|",
                           "same key as line 5;");
        assert_text(store, "SELECT group_concat(line) FROM (SELECT line FROM feed_vat_invoices "
                           "ORDER BY line)", "2,3,5,6,9");
        ph_assert_ok(ph_ingest_test_run(store, (const char *[]){back}, 1, "2024-06-30", threads,
                                        2, &ing, &err), &err);
        assert_counts(result_for(ing, "vat_invoices"), 3, 0, 2, 0, 1);
        ph_ingest_free(ing);
        assert_quarantined(store, "back/vat_invoices.csv", 4,
                           "duplicate_key|uscc,month|" FIRM_B ",2024-02|", "same key as line 2;");
        ph_store_free(store);
    }
    /* a group of 70 keys in order, then one out of order: more keys than
     * a group lists (64), so the whole file's keys are remembered instead */
    char long_text[8192] = VAT_HEADER;
    for (int m = 0; m < 70; m++)
        snprintf(long_text + strlen(long_text), sizeof(long_text) - strlen(long_text),
                 FIRM_A ",%04d-%02d,1.00,1,0.00,0,1,\n", 1950 + m / 12, m % 12 + 1);
    snprintf(long_text + strlen(long_text), sizeof(long_text) - strlen(long_text),
             FIRM_A ",1955-07,2.00,1,0.00,0,1,\n"); /* line 72: as line 68 */
    char *longer = write_file(f, "long", "vat_invoices.csv", long_text);
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "long.db");
    ph_ingest *ing = NULL;
    ph_error err;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){reg, longer}, 2, "2024-06-30", 1, 16,
                                    &ing, &err), &err);
    assert_counts(result_for(ing, "vat_invoices"), 71, 70, 0, 0, 1);
    ph_ingest_free(ing);
    assert_quarantined(store, "long/vat_invoices.csv", 72,
                       "duplicate_key|uscc,month|" FIRM_A ",1955-07|", "same key as line 68;");
    ph_store_free(store);
    free(longer);
    free(reg);
    free(vat);
    free(back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason_names),
        cmocka_unit_test_setup_teardown(test_every_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected_listing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reingest_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_supersedes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stored_values_and_registries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known_on_defaults_to_ctx_today, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_equals_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_bad_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_checksums, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dirty_province, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_in_any_order, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
