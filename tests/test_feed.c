/* The feed catalog (src/feed): its data, field checks and documentation. */
#include "ph_test.h"

#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------------- */

static const ph_feed_column *column(const char *feed_name, const char *name)
{
    const ph_feed *feed = ph_feed_find(feed_name);
    assert_non_null(feed);
    int index = ph_feed_column_index(feed, name);
    assert_true(index >= 0);
    return &feed->columns[index];
}

static ph_status check(const ph_feed_column *col, const char *text, ph_error *err)
{
    return ph_feed_check_field(col, text, strlen(text), err);
}

/* Every text in `good` passes the column; every text in `bad` fails with
 * PH_EINVAL, field = column name, value = the text, and `message` in the
 * error message. */
static void assert_good(const ph_feed_column *col, const char *const *good)
{
    for (; *good != NULL; good++) {
        ph_error err;
        ph_status st = check(col, *good, &err);
        if (st != PH_OK)
            fail_msg("column %s rejected '%s': %s", col->name, *good, err.message);
    }
}

static void assert_bad(const ph_feed_column *col, const char *text, const char *message)
{
    ph_error err;
    ph_assert_error(check(col, text, &err), PH_EINVAL, &err, message);
    assert_string_equal(err.field, col->name);
    assert_int_equal(err.code, PH_EINVAL);
}

/* "a,b,c" of the column names of a feed, in order. */
static void header_of(const ph_feed *feed, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < feed->column_count; i++) {
        if (i > 0)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, feed->columns[i].name, size - strlen(out) - 1);
    }
}

/* --- the catalog --------------------------------------------------------------- */

/* The header of every file, as the specification lists it (issue 3). */
static const struct {
    const char *name, *path, *key, *header;
} spec[] = {
    {"registration", "feeds/registration.csv", "uscc",
     "uscc,name,entity_type,region_code,industry_code,registered_on,registered_capital,"
     "owner_gender,owner_birth_year,employees,annual_revenue,total_assets,size_class,"
     "taxpayer_type,status,status_date"},
    {"vat_invoices", "feeds/vat_invoices.csv", "uscc,month",
     "uscc,month,sales_amount,sales_invoices,purchase_amount,purchase_invoices,distinct_buyers,"
     "top_buyer_share"},
    {"tax_payments", "feeds/tax_payments.csv", "uscc,period,tax_type",
     "uscc,period,period_months,tax_type,amount_due,amount_paid,due_on,paid_on,days_late"},
    {"tax_grades", "feeds/tax_grades.csv", "uscc,year", "uscc,year,grade,assessed_on"},
    {"social_security", "feeds/social_security.csv", "uscc,month",
     "uscc,month,insured_headcount,wage_base_total,paid_on_time"},
    {"electricity_daily", "feeds/electricity_daily.csv", "uscc,date", "uscc,date,kwh"},
    {"electricity_monthly", "feeds/electricity_monthly.csv", "uscc,month",
     "uscc,month,kwh,bill_amount"},
    {"payments_daily", "feeds/payments_daily.csv", "uscc,date",
     "uscc,date,inflow_count,inflow_amount,outflow_count,outflow_amount"},
    {"litigation", "feeds/litigation.csv", "case_no,uscc",
     "case_no,uscc,filed_on,case_type,role,amount,status,closed_on"},
    {"penalties", "feeds/penalties.csv", "decision_no",
     "decision_no,uscc,decided_on,authority,severity,amount"},
    {"patents", "feeds/patents.csv", "patent_no", "patent_no,uscc,kind,applied_on,granted_on"},
    {"subsidies", "feeds/subsidies.csv", "uscc,paid_on,programme",
     "uscc,paid_on,programme,amount,granted_by"},
    {"credit_loans", "feeds/credit_loans.csv", "loan_id",
     "loan_id,uscc,lender_id,product,guarantee,opened_on,maturity_on,amount"},
    {"credit_status", "feeds/credit_status.csv", "loan_id,month",
     "loan_id,uscc,month,balance,days_past_due,overdue_amount"},
    {"supply_chain", "feeds/supply_chain.csv", "chain_id,supplier_uscc,buyer_uscc",
     "chain_id,core_uscc,tier,supplier_uscc,buyer_uscc,since,annual_volume"},
    {"logistics_gps", "feeds/logistics_gps.csv", "trip_id,seq",
     "trip_id,seq,uscc,date,vehicle,event,on_route,division,km"},
    {"public_opinion", "feeds/public_opinion.csv", "uscc,date", "uscc,date,mentions,score"},
    {"warehouse_lots", "feeds/warehouse_lots.csv", "warehouse_id,lot",
     "warehouse_id,lot,owner_uscc,commodity,quantity_kg,stored_on,removed_on,lat,lon,geofence_m"},
    {"warehouse_iot", "feeds/warehouse_iot.csv", "warehouse_id,lot,date",
     "warehouse_id,lot,date,weight_kg,temperature_c,lat,lon"},
    {"commodity_prices", "feeds/commodity_prices.csv", "commodity,date",
     "commodity,date,price_per_kg"},
    {"lenders", "reference/lenders.csv", "lender_id",
     "lender_id,name,type,scope,serves_counties,min_amount,max_amount,max_term_months,"
     "target_sizes,industries,credit_share,spread_min_bp,spread_max_bp,max_apr_bp"},
    {"guarantors", "reference/guarantors.csv", "guarantor_id",
     "guarantor_id,name,type,region,capital,leverage_cap,fee_rate_bp,bank_share"},
    {"risk_pools", "reference/risk_pools.csv", "pool_id",
     "pool_id,name,sponsor,capital,compensation_rate,eligible"},
    {"core_enterprises", "reference/core_enterprises.csv", "uscc",
     "uscc,name,industry_code,region_code,rating,annual_procurement"},
    {"truth_pd", "truth/pd.csv", "uscc,month", "uscc,month,pd_12m,health,regime"},
    {"truth_defaults", "truth/defaults.csv", "uscc", "uscc,default_date,had_loan"},
    {"truth_firms", "truth/firms.csv", "uscc",
     "uscc,county_tier,volatility_tier,base_health,credit_white,payments_covered,"
     "power_covered,social_covered"},
    {"truth_dirty", "truth/dirty.csv", "file,line", "file,line,kind,field,detail"},
    {"truth_macro", "truth/macro.csv", "month,series", "month,series,value"},
    {"truth_warehouse_anomalies", "truth/warehouse_anomalies.csv", "warehouse_id,lot",
     "warehouse_id,lot,date,kind"},
};
#define SPEC_COUNT (sizeof(spec) / sizeof(spec[0]))

static void test_catalog_matches_the_spec_in_order(void **state)
{
    (void)state;
    assert_int_equal(ph_feed_count(), SPEC_COUNT);
    for (size_t i = 0; i < SPEC_COUNT; i++) {
        const ph_feed *feed = ph_feed_at(i);
        assert_non_null(feed);
        assert_string_equal(feed->name, spec[i].name);
        assert_string_equal(feed->path, spec[i].path);
        assert_string_equal(feed->key, spec[i].key);
        char header[512];
        header_of(feed, header, sizeof(header));
        assert_string_equal(header, spec[i].header);
    }
    assert_null(ph_feed_at(SPEC_COUNT));
    assert_null(ph_feed_at((size_t)-1));
}

static void test_areas_in_order_and_paths_in_their_directory(void **state)
{
    (void)state;
    size_t per_area[3] = {0, 0, 0};
    ph_feed_area previous = PH_FEED_AREA_FEEDS;
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        assert_true(feed->area >= previous); /* feeds, then reference, then truth */
        previous = feed->area;
        per_area[feed->area]++;
        char expected[128];
        const char *stem = feed->name;
        if (feed->area == PH_FEED_AREA_TRUTH) {
            assert_int_equal(strncmp(stem, "truth_", 6), 0);
            stem += 6;
        }
        snprintf(expected, sizeof(expected), "%s/%s.csv", ph_feed_area_name(feed->area), stem);
        assert_string_equal(feed->path, expected);
    }
    assert_int_equal(per_area[PH_FEED_AREA_FEEDS], 20);
    assert_int_equal(per_area[PH_FEED_AREA_REFERENCE], 4);
    assert_int_equal(per_area[PH_FEED_AREA_TRUTH], 6);
}

static void test_names_and_paths_are_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < ph_feed_count(); i++)
        for (size_t j = i + 1; j < ph_feed_count(); j++) {
            assert_string_not_equal(ph_feed_at(i)->name, ph_feed_at(j)->name);
            assert_string_not_equal(ph_feed_at(i)->path, ph_feed_at(j)->path);
        }
}

static void test_every_key_column_exists_and_is_required(void **state)
{
    (void)state;
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        char key[128];
        assert_true(strlen(feed->key) < sizeof(key));
        strcpy(key, feed->key);
        size_t parts = 0;
        for (char *save = NULL, *name = strtok_r(key, ",", &save); name != NULL;
             name = strtok_r(NULL, ",", &save), parts++) {
            int index = ph_feed_column_index(feed, name);
            if (index < 0)
                fail_msg("feed %s: key column %s does not exist", feed->name, name);
            assert_true(feed->columns[index].required);
        }
        assert_true(parts >= 1);
    }
}

static void test_feed_metadata(void **state)
{
    (void)state;
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        assert_int_equal(feed->version, 1);
        assert_true(feed->title_zh[0] != '\0');
        assert_true(feed->source[0] != '\0');
        assert_true(feed->description[0] != '\0');
        assert_true(feed->lag_days >= 0);
        assert_string_not_equal(ph_feed_frequency_name(feed->frequency), "unknown");
        assert_true(feed->column_count > 0);
        assert_int_equal(feed->purposes & ~PH_PURPOSE_ALL, 0);
        /* truth serves no model; everything else serves at least one purpose */
        if (feed->area == PH_FEED_AREA_TRUTH)
            assert_int_equal(feed->purposes, 0);
        else
            assert_int_not_equal(feed->purposes, 0);
        /* the time column, when there is one, is a date or month of the feed;
         * every ingested feed except a snapshot has one */
        if (feed->time_column != NULL) {
            int col = ph_feed_column_index(feed, feed->time_column);
            assert_true(col >= 0);
            assert_true(feed->columns[col].type == PH_FIELD_DATE ||
                        feed->columns[col].type == PH_FIELD_MONTH);
        } else if (feed->area == PH_FEED_AREA_FEEDS) {
            assert_int_equal(feed->frequency, PH_FREQ_STATIC);
        }
    }
    assert_string_equal(ph_feed_find("vat_invoices")->time_column, "month");
    assert_string_equal(ph_feed_find("tax_grades")->time_column, "assessed_on");
    assert_null(ph_feed_find("lenders")->time_column);
    const ph_feed *vat = ph_feed_find("vat_invoices");
    assert_int_equal(vat->frequency, PH_FREQ_MONTHLY);
    assert_int_equal(vat->lag_days, 15);
    assert_int_equal(vat->purposes, PH_PURPOSE_ALL);
    assert_string_equal(vat->title_zh, "增值税发票");
    const ph_feed *grades = ph_feed_find("tax_grades");
    assert_int_equal(grades->frequency, PH_FREQ_YEARLY);
    assert_int_equal(grades->lag_days, 0);
    assert_int_equal(grades->purposes, PH_PURPOSE_CREDIT | PH_PURPOSE_MONITORING);
    assert_int_equal(ph_feed_find("patents")->lag_days, 30);
    assert_int_equal(ph_feed_find("supply_chain")->purposes, PH_PURPOSE_SUPPLY_CHAIN);
    assert_int_equal(ph_feed_find("litigation")->frequency, PH_FREQ_EVENT);
    /* the early-warning feeds (issue 19): monitoring only, known the next day */
    const ph_feed *gps = ph_feed_find("logistics_gps");
    assert_int_equal(gps->frequency, PH_FREQ_EVENT);
    assert_int_equal(gps->lag_days, 1);
    assert_int_equal(gps->purposes, PH_PURPOSE_MONITORING);
    assert_string_equal(gps->time_column, "date");
    assert_string_equal(gps->title_zh, "物流轨迹");
    const ph_feed *opinion = ph_feed_find("public_opinion");
    assert_int_equal(opinion->frequency, PH_FREQ_DAILY);
    assert_int_equal(opinion->lag_days, 1);
    assert_int_equal(opinion->purposes, PH_PURPOSE_MONITORING);
    assert_string_equal(opinion->time_column, "date");
    assert_string_equal(opinion->title_zh, "舆情");
    /* the warehouse feeds (issue 20): supply-chain finance, lots known the
     * next day, prices the same day */
    const ph_feed *lots = ph_feed_find("warehouse_lots");
    assert_int_equal(lots->frequency, PH_FREQ_STATIC);
    assert_int_equal(lots->purposes, PH_PURPOSE_SUPPLY_CHAIN);
    assert_string_equal(lots->time_column, "stored_on");
    const ph_feed *iot = ph_feed_find("warehouse_iot");
    assert_int_equal(iot->frequency, PH_FREQ_DAILY);
    assert_int_equal(iot->lag_days, 1);
    assert_string_equal(iot->time_column, "date");
    const ph_feed *prices = ph_feed_find("commodity_prices");
    assert_int_equal(prices->frequency, PH_FREQ_DAILY);
    assert_int_equal(prices->lag_days, 0);
    assert_int_equal(prices->purposes, PH_PURPOSE_SUPPLY_CHAIN);
    assert_null(ph_feed_find("truth_warehouse_anomalies")->time_column);
}

static int count_members(const char *values)
{
    int n = 1;
    for (const char *p = values; *p != '\0'; p++)
        n += *p == '|';
    return n;
}

static void test_column_invariants(void **state)
{
    (void)state;
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        for (size_t c = 0; c < feed->column_count; c++) {
            const ph_feed_column *col = &feed->columns[c];
            assert_int_equal(ph_feed_column_index(feed, col->name), (int)c); /* unique */
            assert_true(col->description != NULL && col->description[0] != '\0');
            assert_string_not_equal(ph_field_type_name(col->type), "unknown");
            if (col->type == PH_FIELD_ENUM) {
                /* non-empty members: no empty list, no leading, trailing or double '|' */
                assert_non_null(col->values);
                size_t n = strlen(col->values);
                assert_true(n > 0);
                assert_true(col->values[0] != '|' && col->values[n - 1] != '|');
                assert_null(strstr(col->values, "||"));
                assert_true(count_members(col->values) >= 2);
            } else {
                assert_null(col->values);
            }
            if (col->type == PH_FIELD_MONEY)
                assert_string_equal(col->unit, "yuan");
            if (col->type == PH_FIELD_SHARE)
                assert_int_equal(col->decimals, 4);
            if (col->type == PH_FIELD_SHARE || col->type == PH_FIELD_DECIMAL)
                assert_true(col->decimals >= 1 && col->decimals <= 6);
            else
                assert_int_equal(col->decimals, 0);
            assert_true(col->min <= col->max || (col->min == 0 && col->max == 0));
            if (col->type != PH_FIELD_INT && col->type != PH_FIELD_DECIMAL)
                assert_true(col->min == 0 && col->max == 0);
        }
    }
    /* the few optional columns, exactly as the spec marks them */
    static const char *const optional[][2] = {
        {"registration", "status_date"}, {"vat_invoices", "top_buyer_share"},
        {"tax_payments", "paid_on"},     {"litigation", "closed_on"},
        {"truth_dirty", "field"},        {"warehouse_lots", "removed_on"},
    };
    size_t found = 0;
    for (size_t i = 0; i < ph_feed_count(); i++)
        for (size_t c = 0; c < ph_feed_at(i)->column_count; c++)
            found += !ph_feed_at(i)->columns[c].required;
    assert_int_equal(found, sizeof(optional) / sizeof(optional[0]));
    for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
        assert_false(column(optional[i][0], optional[i][1])->required);
}

static void test_spec_details_of_columns(void **state)
{
    (void)state;
    const ph_feed_column *col = column("registration", "owner_birth_year");
    assert_int_equal(col->type, PH_FIELD_INT);
    assert_int_equal(col->min, 1940);
    assert_int_equal(col->max, 2010);
    col = column("registration", "employees");
    assert_int_equal(col->max, 100000);
    assert_string_equal(col->unit, "people");
    assert_string_equal(column("registration", "status")->values,
                        "active|abnormal|deregistered|revoked");
    assert_string_equal(column("tax_grades", "grade")->values, "A|B|M|C|D");
    assert_int_equal(column("supply_chain", "tier")->max, 7);
    assert_string_equal(column("electricity_daily", "kwh")->unit, "kWh");
    assert_int_equal(column("subsidies", "granted_by")->type, PH_FIELD_DIVISION);
    assert_int_equal(column("lenders", "scope")->type, PH_FIELD_DIVISION);
    assert_int_equal(column("lenders", "max_apr_bp")->type, PH_FIELD_INT);
    assert_int_equal(column("guarantors", "fee_rate_bp")->max, 100);
    assert_int_equal(column("registration", "region_code")->type, PH_FIELD_REGION);
    assert_int_equal(column("core_enterprises", "industry_code")->type, PH_FIELD_INDUSTRY);
    assert_int_equal(column("truth_pd", "pd_12m")->decimals, 6);
    assert_int_equal(column("truth_pd", "health")->decimals, 4);
    assert_int_equal(column("litigation", "case_no")->type, PH_FIELD_ID);
    assert_string_equal(column("logistics_gps", "event")->values, "depart|stop|unload|arrive");
    assert_string_equal(column("logistics_gps", "on_route")->values, "Y|N");
    assert_int_equal(column("logistics_gps", "division")->type, PH_FIELD_DIVISION);
    assert_string_equal(column("logistics_gps", "km")->unit, "km");
    assert_int_equal(column("logistics_gps", "seq")->min, 1);
    col = column("public_opinion", "score");
    assert_int_equal(col->type, PH_FIELD_DECIMAL);
    assert_int_equal(col->min, -1);
    assert_int_equal(col->max, 1);
    assert_int_equal(col->decimals, 4);
    assert_good(col, (const char *const[]){"-1", "-1.0000", "-0.4375", "0", "0.0625", "1.0000",
                                           NULL});
    assert_bad(col, "1.0001", "expected a number from -1 to 1");
    assert_bad(col, "-0.12345", "at most 4 decimals");
    assert_bad(column("public_opinion", "mentions"), "0", "expected");
    /* the warehouse feeds: one commodity list, positions to 6 places,
     * temperatures signed to 1 place, prices in yuan */
    assert_string_equal(column("warehouse_lots", "commodity")->values,
                        "steel|copper|aluminium|soybean|corn|cotton|rubber|coal");
    assert_string_equal(column("commodity_prices", "commodity")->values,
                        column("warehouse_lots", "commodity")->values);
    assert_string_equal(column("truth_warehouse_anomalies", "kind")->values,
                        "weight_drop|geofence");
    col = column("warehouse_iot", "lat");
    assert_int_equal(col->decimals, 6);
    assert_good(col, (const char *const[]){"36.651000", "-33.8", "90", NULL});
    assert_bad(col, "36.6510001", "at most 6 decimals");
    assert_bad(col, "91", "expected a number from -90 to 90");
    col = column("warehouse_iot", "temperature_c");
    assert_good(col, (const char *const[]){"-3.5", "0.0", "27.1", NULL});
    assert_bad(col, "12.25", "at most 1 decimal");
    assert_int_equal(column("commodity_prices", "price_per_kg")->type, PH_FIELD_MONEY);
    assert_int_equal(column("warehouse_lots", "owner_uscc")->type, PH_FIELD_USCC);
    assert_bad(column("warehouse_lots", "quantity_kg"), "0", "expected");
}

static void test_find(void **state)
{
    (void)state;
    assert_ptr_equal(ph_feed_find("registration"), ph_feed_at(0));
    assert_ptr_equal(ph_feed_find("vat_invoices"), ph_feed_at(1));
    assert_ptr_equal(ph_feed_find("truth_warehouse_anomalies"), ph_feed_at(ph_feed_count() - 1));
    assert_null(ph_feed_find("VAT_INVOICES"));
    assert_null(ph_feed_find("vat_invoices.csv"));
    assert_null(ph_feed_find(""));
    assert_null(ph_feed_find(NULL));
    assert_ptr_equal(ph_feed_find_path("truth/pd.csv"), ph_feed_find("truth_pd"));
    assert_ptr_equal(ph_feed_find_path("reference/lenders.csv"), ph_feed_find("lenders"));
    assert_null(ph_feed_find_path("truth/truth_pd.csv"));
    assert_null(ph_feed_find_path(NULL));

    const ph_feed *vat = ph_feed_find("vat_invoices");
    assert_int_equal(ph_feed_column_index(vat, "uscc"), 0);
    assert_int_equal(ph_feed_column_index(vat, "top_buyer_share"), 7);
    assert_int_equal(ph_feed_column_index(vat, "USCC"), -1);
    assert_int_equal(ph_feed_column_index(vat, "kwh"), -1);
    assert_int_equal(ph_feed_column_index(vat, NULL), -1);
    assert_int_equal(ph_feed_column_index(NULL, "uscc"), -1);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const types[] = {"uscc",  "text",    "id",   "date",   "month",
                                        "int",   "money",   "share", "decimal", "enum",
                                        "region", "division", "industry"};
    for (int t = PH_FIELD_USCC; t <= PH_FIELD_INDUSTRY; t++)
        assert_string_equal(ph_field_type_name((ph_field_type)t), types[t]);
    assert_string_equal(ph_field_type_name((ph_field_type)13), "unknown");
    assert_string_equal(ph_field_type_name((ph_field_type)-1), "unknown");
    static const char *const frequencies[] = {"static", "daily",  "monthly",
                                              "quarterly", "yearly", "event"};
    for (int f = PH_FREQ_STATIC; f <= PH_FREQ_EVENT; f++)
        assert_string_equal(ph_feed_frequency_name((ph_feed_frequency)f), frequencies[f]);
    assert_string_equal(ph_feed_frequency_name((ph_feed_frequency)6), "unknown");
    assert_string_equal(ph_feed_area_name(PH_FEED_AREA_FEEDS), "feeds");
    assert_string_equal(ph_feed_area_name(PH_FEED_AREA_REFERENCE), "reference");
    assert_string_equal(ph_feed_area_name(PH_FEED_AREA_TRUTH), "truth");
    assert_string_equal(ph_feed_area_name((ph_feed_area)3), "unknown");
    assert_string_equal(ph_feed_purpose_name(PH_PURPOSE_CREDIT), "credit");
    assert_string_equal(ph_feed_purpose_name(PH_PURPOSE_MONITORING), "monitoring");
    assert_string_equal(ph_feed_purpose_name(PH_PURPOSE_SUPPLY_CHAIN), "supply_chain");
    assert_null(ph_feed_purpose_name(0));
    assert_null(ph_feed_purpose_name(PH_PURPOSE_CREDIT | PH_PURPOSE_MONITORING));
    assert_null(ph_feed_purpose_name(0x8u));
}

/* --- field checks ------------------------------------------------------------------ */

/* A value of the column's type that the column must accept: every catalog
 * column can be checked (its bounds, decimals and values make sense). */
static void test_every_catalog_column_accepts_a_typical_value(void **state)
{
    (void)state;
    static const char *const sample[] = {
        [PH_FIELD_USCC] = "91350100M000100Y43", [PH_FIELD_TEXT] = "济南鑫源机械有限公司",
        [PH_FIELD_ID] = "SC0001",               [PH_FIELD_DATE] = "2024-02-29",
        [PH_FIELD_MONTH] = "2024-02",           [PH_FIELD_MONEY] = "12345.67",
        [PH_FIELD_SHARE] = "0.3125",            [PH_FIELD_REGION] = "370102",
        [PH_FIELD_DIVISION] = "370100",         [PH_FIELD_INDUSTRY] = "C13",
    };
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        for (size_t c = 0; c < feed->column_count; c++) {
            const ph_feed_column *col = &feed->columns[c];
            char text[64];
            if (col->type == PH_FIELD_ENUM)
                snprintf(text, sizeof(text), "%.*s", (int)strcspn(col->values, "|"),
                         col->values);
            else if (col->type == PH_FIELD_INT || col->type == PH_FIELD_DECIMAL)
                snprintf(text, sizeof(text), "%lld", (long long)col->max);
            else
                snprintf(text, sizeof(text), "%s", sample[col->type]);
            ph_error err;
            if (check(col, text, &err) != PH_OK)
                fail_msg("%s.%s rejects '%s': %s", feed->name, col->name, text, err.message);
        }
    }
}

static void test_empty_fields(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(check(column("registration", "uscc"), "", &err), PH_EINVAL, &err,
                    "field uscc: expected a value: the column is required");
    assert_string_equal(err.value, "");
    ph_assert_error(ph_feed_check_field(column("tax_grades", "grade"), NULL, 0, &err),
                    PH_EINVAL, &err, "field grade: expected a value: the column is required");
    ph_assert_ok(check(column("registration", "status_date"), "", &err), &err);
    ph_assert_ok(ph_feed_check_field(column("litigation", "closed_on"), NULL, 0, &err), &err);
    /* optional is not lenient: a value that is there must be right */
    assert_bad(column("litigation", "closed_on"), "2024-13-01",
               "field closed_on, value '2024-13-01': expected a date as YYYY-MM-DD: month 13 "
               "does not exist: expected 1 to 12");
    /* err may be NULL */
    assert_int_equal(check(column("registration", "uscc"), "", NULL), PH_EINVAL);
}

static void test_uscc(void **state)
{
    (void)state;
    const ph_feed_column *col = column("credit_loans", "lender_id");
    assert_good(col, (const char *const[]){"91350100M000100Y43", NULL});
    assert_bad(col, "91350100M000100Y44",
               "field lender_id, value '91350100M000100Y44': expected a Unified Social Credit "
               "Code: check character is '4', expected '3'");
    assert_bad(col, "9135", "value '9135': expected a Unified Social Credit Code: expected 18 "
                            "characters, got 4");
    assert_bad(col, "91350100m000100Y43", "position 9: character 'm' is not allowed");
}

static void test_text_and_id(void **state)
{
    (void)state;
    const ph_feed_column *name = column("registration", "name");
    assert_good(name, (const char *const[]){"济南鑫源机械有限公司", "A, \"B\" & C", "x", NULL});
    assert_bad(name, "a\x01z", "field name, value 'a\\x01z': byte 2 is the control character "
                               "0x01; expected UTF-8 text without control characters");
    assert_bad(name, "line\nbreak", "byte 5 is the control character 0x0a");
    assert_bad(name, "caf\xe9", "value 'caf\\xe9': byte 4 (0xe9) is not valid UTF-8; "
                                "expected UTF-8 text without control characters");
    assert_bad(name, "\xe6\xb5", "byte 1 (0xe6) is not valid UTF-8"); /* cut short */
    assert_bad(name, "\xc0\xaf", "byte 1 (0xc0) is not valid UTF-8"); /* overlong '/' */

    const ph_feed_column *case_no = column("litigation", "case_no");
    assert_good(case_no, (const char *const[]){"(2024)鲁0102民初1234号", "ZL202410123456.7",
                                               "SC-0001_a", "（2024）鲁01执5号", NULL});
    assert_bad(case_no, "SC 0001",
               "field case_no, value 'SC 0001': byte 3: ' ' is not allowed; expected an "
               "identifier of letters, digits, CJK characters and - _ ( ) .");
    assert_bad(case_no, "a,b", "byte 2: ',' is not allowed");
    assert_bad(case_no, "a/b", "byte 2: '/' is not allowed");
    ph_error err;
    ph_assert_error(ph_feed_check_field(case_no, "a\0b", 3, &err), PH_EINVAL, &err,
                    "value 'a\\x00b': byte 2 is the control character 0x00; expected an "
                    "identifier");
    assert_bad(case_no, "\xff", "byte 1 (0xff) is not valid UTF-8; expected an identifier");
}

static void test_dates_and_months(void **state)
{
    (void)state;
    const ph_feed_column *date = column("registration", "registered_on");
    assert_good(date, (const char *const[]){"2024-02-29", "1999-12-31", "1949-01-01", "2089-12-31",
                                            NULL});
    /* placeholders and typing errors outside the plausible years */
    assert_bad(date, "1899-01-01",
               "field registered_on, value '1899-01-01': expected a date from 1949 to 2089");
    assert_bad(date, "2099-12-31", "expected a date from 1949 to 2089");
    assert_bad(date, "20240229",
               "field registered_on, value '20240229': expected a date as YYYY-MM-DD");
    assert_bad(date, "2024-2-29", "expected a date as YYYY-MM-DD");
    assert_bad(date, "2024/02/29", "expected a date as YYYY-MM-DD");
    assert_bad(date, "2024-02-29T00", "expected a date as YYYY-MM-DD");
    assert_bad(date, "2023-02-29", "value '2023-02-29': expected a date as YYYY-MM-DD: day 29 "
                                   "does not exist: February 2023 has 28 days");
    /* the date module calls year 0 a range error; to a feed it is just a bad field */
    assert_bad(date, "0000-01-01", "year 0 is out of range");
    assert_bad(date, "2024-0a-01", "expected a date as YYYY-MM-DD: ");

    const ph_feed_column *month = column("vat_invoices", "month");
    assert_good(month, (const char *const[]){"2024-03", "2089-12", NULL});
    assert_bad(month, "2099-01", "field month, value '2099-01': expected a month from 1949 to 2089");
    assert_bad(month, "2024-13",
               "field month, value '2024-13': expected a month as YYYY-MM: ");
    assert_bad(month, "202403", "expected a month as YYYY-MM");
    assert_bad(month, "2024-03-01", "expected a month as YYYY-MM");
}

static void test_ints(void **state)
{
    (void)state;
    const ph_feed_column *year = column("registration", "owner_birth_year");
    assert_good(year, (const char *const[]){"1940", "1975", "2010", NULL});
    assert_bad(year, "1939", "field owner_birth_year, value '1939': expected a whole number "
                             "from 1940 to 2010");
    assert_bad(year, "2011", "expected a whole number from 1940 to 2010");
    assert_bad(year, "19a0", "expected a whole number from 1940 to 2010");
    assert_bad(year, "-1975", "expected a whole number from 1940 to 2010");
    assert_bad(year, "1975.0", "expected a whole number from 1940 to 2010");

    const ph_feed_column *count = column("vat_invoices", "sales_invoices");
    assert_good(count, (const char *const[]){"0", "17", "9223372036854775807", NULL});
    assert_bad(count, "-1", "field sales_invoices, value '-1': expected a whole number "
                            "(digits only, no sign)");
    assert_bad(count, "+1", "expected a whole number (digits only, no sign)");
    assert_bad(count, " 1", "expected a whole number (digits only, no sign)");
    assert_bad(count, "9223372036854775808", "expected a whole number (digits only, no sign)");
    assert_bad(count, "99999999999999999999999", "expected a whole number");

    const ph_feed_column *line = column("truth_dirty", "line");
    assert_good(line, (const char *const[]){"1", "9223372036854775807", NULL});
    assert_bad(line, "0", "field line, value '0': expected a whole number of at least 1");

    const ph_feed_column *spread = column("lenders", "spread_min_bp");
    assert_good(spread, (const char *const[]){"-500", "0", "150", "3000", NULL});
    assert_bad(spread, "-501", "expected a whole number from -500 to 3000");
    assert_bad(spread, "-", "expected a whole number from -500 to 3000");
    assert_bad(spread, "--5", "expected a whole number from -500 to 3000");

    /* the extremes of int64 themselves, without overflow on the way */
    const ph_feed_column wide = {"delta", PH_FIELD_INT, 1, NULL, NULL, INT64_MIN, INT64_MAX,
                                 0, "any"};
    assert_good(&wide, (const char *const[]){"-9223372036854775808", "9223372036854775807",
                                             NULL});
    assert_bad(&wide, "-9223372036854775809", "expected a whole number of at least "
                                              "-9223372036854775808");
}

static void test_money(void **state)
{
    (void)state;
    const ph_feed_column *col = column("vat_invoices", "sales_amount");
    assert_good(col, (const char *const[]){"12345.67", "0.00", "0", "7.5", "007",
                                           "92233720368547758.07", NULL});
    assert_bad(col, "-1.00", "field sales_amount, value '-1.00': expected an amount that is "
                             "not negative, such as 12345.67");
    assert_bad(col, "12,345.67", "value '12,345.67': expected yuan with at most 2 decimals and "
                                 "no sign or thousands separators, such as 12345.67");
    assert_bad(col, "1.005", "expected yuan with at most 2 decimals");
    assert_bad(col, "1.", "expected yuan with at most 2 decimals");
    assert_bad(col, ".5", "expected yuan with at most 2 decimals");
    assert_bad(col, "+1", "expected yuan with at most 2 decimals");
    assert_bad(col, "¥12", "expected yuan with at most 2 decimals");
    assert_bad(col, "1e3", "expected yuan with at most 2 decimals");
    assert_bad(col, "92233720368547758.08",
               "expected an amount of at most 92233720368547758.07 yuan");
}

static void test_shares(void **state)
{
    (void)state;
    const ph_feed_column *col = column("vat_invoices", "top_buyer_share");
    assert_good(col, (const char *const[]){"0.3125", "0", "1", "1.0000", "0.5", "00.1", "", NULL});
    assert_bad(col, "1.0001", "field top_buyer_share, value '1.0001': expected a share from 0 "
                              "to 1 with at most 4 decimals, such as 0.3125");
    assert_bad(col, "0.31250", "expected a share from 0 to 1 with at most 4 decimals");
    assert_bad(col, "-0.1", "expected a share from 0 to 1");
    assert_bad(col, "2", "expected a share from 0 to 1");
    assert_bad(col, "31%", "expected a share from 0 to 1");
    assert_bad(col, "100000000000000000000000", "expected a share from 0 to 1");
}

static void test_decimals(void **state)
{
    (void)state;
    const ph_feed_column *pd = column("truth_pd", "pd_12m");
    assert_good(pd, (const char *const[]){"0.012345", "0", "1", "1.000000",
                                          "0000000000000000000000001", NULL});
    assert_bad(pd, "1.000001", "field pd_12m, value '1.000001': expected a number from 0 to 1 "
                               "with at most 6 decimals");
    assert_bad(pd, "0.0123456", "expected a number from 0 to 1 with at most 6 decimals");
    assert_bad(pd, "-0.000001", "expected a number from 0 to 1");
    assert_bad(pd, "100000000000000000000000", "expected a number from 0 to 1");

    const ph_feed_column *health = column("truth_pd", "health");
    assert_good(health, (const char *const[]){"-1.2345", "12.5", "0",
                                              "123456789012345678901234567890", NULL});
    assert_bad(health, "1.23456", "field health, value '1.23456': expected a number with at "
                                  "most 4 decimals, such as -12.5");
    assert_bad(health, "1e-3", "expected a number with at most 4 decimals");
    assert_bad(health, "--1", "expected a number with at most 4 decimals");
    assert_bad(health, "-", "expected a number with at most 4 decimals");
    assert_bad(health, "1.", "expected a number with at most 4 decimals");

    const ph_feed_column *leverage = column("guarantors", "leverage_cap");
    assert_good(leverage, (const char *const[]){"10.0", "100", "0.5", NULL});
    assert_bad(leverage, "100.1", "expected a number from 0 to 100 with at most 1 decimal");
    assert_bad(leverage, "10.00", "expected a number from 0 to 100 with at most 1 decimal");
}

static void test_enums(void **state)
{
    (void)state;
    const ph_feed_column *grade = column("tax_grades", "grade");
    assert_good(grade, (const char *const[]){"A", "B", "M", "C", "D", NULL});
    assert_bad(grade, "a", "field grade, value 'a': expected one of A|B|M|C|D");
    assert_bad(grade, "AB", "expected one of A|B|M|C|D");
    assert_bad(grade, "A|B", "expected one of A|B|M|C|D");
    assert_bad(grade, "A ", "expected one of A|B|M|C|D");

    const ph_feed_column *rating = column("core_enterprises", "rating");
    assert_good(rating, (const char *const[]){"AAA", "AA+", "AA", "AA-", NULL});
    assert_bad(rating, "A", "expected one of AAA|AA+|AA|AA-");
    assert_bad(rating, "AAAA", "expected one of AAA|AA+|AA|AA-");

    const ph_feed_column *type = column("lenders", "type");
    assert_bad(type, "state", "expected one of state_bank|joint_stock_bank|");
    assert_bad(type, "digital_bankx", "expected one of state_bank|");
}

static void test_regions_and_divisions(void **state)
{
    (void)state;
    const ph_feed_column *region = column("registration", "region_code");
    assert_good(region, (const char *const[]){"370102", "371722", "370213", NULL});
    assert_bad(region, "370100", "field region_code, value '370100': 370100 济南市 is a "
                                 "city-level division; expected a county-level division code "
                                 "(GB/T 2260) such as 370102");
    assert_bad(region, "370000", "370000 山东省 is a province-level division; expected a "
                                 "county-level division code");
    assert_bad(region, "110105", "value '110105': unknown division code; expected a "
                                 "county-level division code (GB/T 2260) such as 370102");
    assert_bad(region, "370199", "unknown division code");
    assert_bad(region, "37010", "value '37010': expected a county-level division code (GB/T "
                                "2260) such as 370102: expected 6 digits, got 5 characters");
    assert_bad(region, "990102", "unknown province prefix 99");

    const ph_feed_column *division = column("subsidies", "granted_by");
    assert_good(division, (const char *const[]){"370000", "370100", "370102", "110000", NULL});
    assert_bad(division, "379900",
               "field granted_by, value '379900': unknown division code; expected a known "
               "division code (GB/T 2260): province 370000, city 370100 or county 370102");
    assert_bad(division, "37O000", "position 3: 'O' is not a digit");
}

static void test_industries(void **state)
{
    (void)state;
    const ph_feed_column *col = column("registration", "industry_code");
    assert_good(col, (const char *const[]){"C13", "A01", "F52", "T97", NULL});
    assert_bad(col, "F13", "field industry_code, value 'F13': expected a GB/T 4754-2017 section "
                           "letter and 2-digit division such as C13: division 13 belongs to "
                           "section C, not F");
    assert_bad(col, "13", "value '13': expected a GB/T 4754-2017 section letter and 2-digit "
                          "division such as C13");
    assert_bad(col, "C", "expected a GB/T 4754-2017 section letter and 2-digit division");
    assert_bad(col, "C1311", "expected a GB/T 4754-2017 section letter and 2-digit division");
    assert_bad(col, "c13", "expected a GB/T 4754-2017 section letter and 2-digit division");
    assert_bad(col, "C00", "such as C13: ");
    assert_bad(col, "U98", "such as C13: ");
}

static void test_misuse(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(ph_feed_check_field(NULL, "x", 1, &err), PH_EMISUSE, &err,
                    "ph_feed_check_field: col is NULL");
    ph_assert_error(ph_feed_check_field(column("registration", "name"), NULL, 3, &err),
                    PH_EMISUSE, &err, "field name: ph_feed_check_field: s is NULL but len is 3");
    const ph_feed_column no_values = {"kind", PH_FIELD_ENUM, 1, NULL, "", 0, 0, 0, "?"};
    ph_assert_error(check(&no_values, "a", &err), PH_EMISUSE, &err,
                    "field kind: the enum column lists no values");
    const ph_feed_column bad_type = {"odd", (ph_field_type)42, 1, NULL, NULL, 0, 0, 0, "?"};
    ph_assert_error(check(&bad_type, "a", &err), PH_EMISUSE, &err,
                    "field odd: the column has the unknown type 42");
    const ph_feed_column too_precise = {"p", PH_FIELD_DECIMAL, 1, NULL, NULL, 0, 0, 19, "?"};
    ph_assert_error(check(&too_precise, "1", &err), PH_EMISUSE, &err,
                    "field p: the column has 19 decimals, expected 0 to 18");
    const ph_feed_column upside_down = {"n", PH_FIELD_INT, 1, NULL, NULL, 5, 1, 0, "?"};
    ph_assert_error(check(&upside_down, "3", &err), PH_EMISUSE, &err,
                    "field n: the column's min 5 is above its max 1");
}

/* --- documentation ---------------------------------------------------------------- */

/* Run a writer into a temporary file and return what it wrote (free it). */
static char *written_by(ph_status (*write)(const ph_feed *, FILE *, ph_error *),
                        const ph_feed *feed)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    ph_error err;
    ph_status st = write ? write(feed, f, &err) : ph_feed_doc_index(f, &err);
    ph_assert_ok(st, &err);
    long size = ftell(f);
    assert_true(size > 0);
    char *text = calloc((size_t)size + 1, 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return text;
}

static void assert_contains(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL)
        fail_msg("'%s' not found in:\n%s", needle, text);
}

static void test_doc_of_a_feed(void **state)
{
    (void)state;
    char *doc = written_by(ph_feed_doc_write, ph_feed_find("registration"));
    static const char title[] = "# registration — 工商登记\n\nOne row per firm";
    assert_int_equal(strncmp(doc, title, strlen(title)), 0);
    assert_contains(doc, "| file | `feeds/registration.csv` |");
    assert_contains(doc, "| frequency | static |\n| lag | 1 day |\n"
                         "| known from | `registered_on` + lag |\n| key | `uscc` |\n"
                         "| purposes | credit, monitoring, supply_chain |\n"
                         "| format version | 1 |");
    assert_contains(doc, "| 9 | `owner_birth_year` | int |  | yes | 1940 to 2010 |");
    assert_contains(doc, "| 10 | `employees` | int | people | yes | 0 to 100000 |");
    assert_contains(doc, "| 7 | `registered_capital` | money | yuan | yes | ≥ 0.00 |");
    assert_contains(doc, "| 8 | `owner_gender` | enum |  | yes | `F`, `M` |");
    assert_contains(doc, "| 16 | `status_date` | date |  | no | YYYY-MM-DD |");
    assert_null(strstr(doc, "Ground truth"));
    free(doc);

    doc = written_by(ph_feed_doc_write, ph_feed_find("lenders"));
    /* '|' inside a cell is escaped so the table keeps its columns */
    assert_contains(doc, "separated by \\|, e.g. micro\\|small |");
    assert_contains(doc, "| known from | the day it is ingested (a snapshot) |");
    free(doc);

    doc = written_by(ph_feed_doc_write, ph_feed_find("truth_pd"));
    assert_contains(doc, "> **Ground truth.** For evaluating models only: a model must never "
                         "read this file.");
    assert_contains(doc, "| purposes | none: ground truth for evaluation only |");
    assert_contains(doc, "| 3 | `pd_12m` | decimal |  | yes | 0 to 1, 6 decimals |");
    assert_contains(doc, "| known from | `month` (its last day) + lag |");
    free(doc);
}

static void test_doc_index(void **state)
{
    (void)state;
    char *doc = written_by(NULL, NULL);
    assert_contains(doc, "**truth/ must never be read by a model**");
    assert_contains(doc, "| `DIR/feeds/` |");
    assert_contains(doc, "| `DIR/reference/` |");
    assert_contains(doc, "| `DIR/truth/` |");
    assert_contains(doc, "**yuan with 2 decimals**");
    assert_contains(doc, "An **empty field means missing**");
    assert_contains(doc, "| share | a fraction from 0 to 1 with 4 decimals");
    for (size_t i = 0; i < ph_feed_count(); i++) {
        char link[128];
        snprintf(link, sizeof(link), "| [%s](%s.md) | `%s` |", ph_feed_at(i)->name,
                 ph_feed_at(i)->name, ph_feed_at(i)->path);
        assert_contains(doc, link);
    }
    free(doc);
}

static void test_doc_errors(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(ph_feed_doc_write(NULL, stdout, &err), PH_EMISUSE, &err,
                    "ph_feed_doc_write: feed is NULL");
    ph_assert_error(ph_feed_doc_write(ph_feed_at(0), NULL, &err), PH_EMISUSE, &err,
                    "ph_feed_doc_write: out is NULL");
    ph_assert_error(ph_feed_doc_index(NULL, &err), PH_EMISUSE, &err,
                    "ph_feed_doc_index: out is NULL");

    /* a stream open only for reading fails every write */
    char *dir = ph_test_tmpdir("feed-doc");
    char *path = ph_test_path(dir, "read-only.md");
    ph_test_write_file(path, "");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    ph_assert_error(ph_feed_doc_write(ph_feed_find("patents"), f, &err), PH_EIO, &err,
                    "cannot write the documentation of patents: ");
    clearerr(f);
    ph_assert_error(ph_feed_doc_index(f, &err), PH_EIO, &err,
                    "cannot write the documentation of the feed index: ");
    fclose(f);
    ph_test_rmtree(dir);
    free(path);
    free(dir);
}

/* The domain's words are the catalogue's enumerations, in its order: the
 * lookups and the ENUM columns cannot drift apart. */
static void test_domain_words_are_the_catalogue_enumerations(void **state)
{
    (void)state;
    const ph_feed *reg = ph_feed_find("registration");
    const ph_feed_column *status = &reg->columns[ph_feed_column_index(reg, "status")];
    char joined[128] = "";
    for (int i = 0; i < PH_BUSINESS_STATUS_COUNT; i++) {
        strcat(joined, i ? "|" : "");
        strcat(joined, ph_business_status_name(i));
        assert_int_equal(ph_business_status_parse(ph_business_status_name(i)), i);
        assert_non_null(ph_business_status_zh(i));
    }
    assert_string_equal(joined, status->values);
    assert_string_equal(ph_business_status_zh(PH_BUSINESS_ACTIVE), "存续");
    assert_string_equal(ph_business_status_zh(PH_BUSINESS_REVOKED), "吊销");
    assert_null(ph_business_status_name(PH_BUSINESS_STATUS_COUNT));
    assert_int_equal(ph_business_status_parse("Active"), -1);
    assert_int_equal(ph_business_status_parse(NULL), -1);

    const ph_feed *grades = ph_feed_find("tax_grades");
    const ph_feed_column *grade = &grades->columns[ph_feed_column_index(grades, "grade")];
    joined[0] = '\0';
    for (int rank = PH_TAX_GRADE_COUNT - 1; rank >= 0; rank--) {
        strcat(joined, rank < PH_TAX_GRADE_COUNT - 1 ? "|" : "");
        strcat(joined, ph_tax_grade_of_rank(rank));
        assert_int_equal(ph_tax_grade_rank(ph_tax_grade_of_rank(rank)), rank);
    }
    assert_string_equal(joined, grade->values); /* best first: A|B|M|C|D */
    assert_int_equal(ph_tax_grade_rank("A"), 4);
    assert_int_equal(ph_tax_grade_rank("M"), 2);
    assert_int_equal(ph_tax_grade_rank("D"), 0);
    assert_int_equal(ph_tax_grade_rank("E"), -1);
    assert_null(ph_tax_grade_of_rank(5));
    assert_null(ph_tax_grade_of_rank(-1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_matches_the_spec_in_order),
        cmocka_unit_test(test_domain_words_are_the_catalogue_enumerations),
        cmocka_unit_test(test_areas_in_order_and_paths_in_their_directory),
        cmocka_unit_test(test_names_and_paths_are_unique),
        cmocka_unit_test(test_every_key_column_exists_and_is_required),
        cmocka_unit_test(test_feed_metadata),
        cmocka_unit_test(test_column_invariants),
        cmocka_unit_test(test_spec_details_of_columns),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_every_catalog_column_accepts_a_typical_value),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_uscc),
        cmocka_unit_test(test_text_and_id),
        cmocka_unit_test(test_dates_and_months),
        cmocka_unit_test(test_ints),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_shares),
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_regions_and_divisions),
        cmocka_unit_test(test_industries),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_doc_of_a_feed),
        cmocka_unit_test(test_doc_index),
        cmocka_unit_test(test_doc_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
