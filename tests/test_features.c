/*
 * The feature store's values on hand-computable data: sums, means, growth,
 * year-on-year, trend, volatility, ratios, peers, counts and recency, and
 * missing versus zero. Every expected number is worked out in the comments.
 */
#include "features_fixture.h"

/*
 * Firm A (Jinan, C13): 15 months of VAT from 2024-01 (k = 0..14), sales
 * 1000 * (k + 1) yuan, purchases half, top buyer 25%; monthly power
 * 100 * (k + 1) kWh; payments, social security, taxes, a loan, court cases,
 * penalties, subsidies, patents and a supply-chain link.
 * Firm B (Jinan, C13): VAT with gaps: 2024-06 no sales, 2025-01 3000 yuan,
 * 2025-03 6000 yuan. Firm C (Qingdao, A03): a daily power meter in March
 * 2025 only. Firm Z: registration only.
 * As of 2025-04-15: VAT (lag 15) ends at 2025-03, tax (lag 20) at 2025-02,
 * social security (10), monthly power (5), daily feeds (1) and the credit
 * bureau (10) at 2025-03.
 */
static void standard_data(ph_store *s)
{
    char m[8], k[16];
    add_firm(s, FIRM_A, 370102, "C13", "2020-03-10", "active", NULL, "2020-03-11");
    add_firm(s, FIRM_B, 370102, "C13", "2023-01-05", "abnormal", "2025-04-01", "2023-01-06");
    add_firm(s, FIRM_C, 370281, "A03", "2024-12-20", "active", NULL, "2024-12-21");
    add_firm(s, FIRM_Z, 370102, "F52", "2015-06-30", "active", NULL, "2015-07-01");
    for (int i = 0; i < 15; i++) {
        add_vat(s, FIRM_A, month_k(i, m), 100000LL * (i + 1), 50000LL * (i + 1), "0.25");
        sqlf(s, "INSERT INTO feed_electricity_monthly VALUES ('%s', '%s', %d, 1000, '%s', 1, 1, "
                "0)",
             FIRM_A, m, 100 * (i + 1), month_known(m, 5, k));
    }
    add_vat(s, FIRM_B, "2024-06", 0, 0, NULL);
    add_vat(s, FIRM_B, "2025-01", 300000, 0, NULL);
    add_vat(s, FIRM_B, "2025-03", 600000, 0, NULL);
    for (int d = 1; d <= 31; d++) {
        char date[16];
        snprintf(date, sizeof(date), "2025-03-%02d", d);
        sqlf(s, "INSERT INTO feed_electricity_daily VALUES ('%s', '%s', 10, '%s', 1, 1, 0)",
             FIRM_C, date, plus(day(date), 1, k));
    }
    /* payments of A: 50 in Dec, 100 in Jan, 200 in Feb (plus a day with only
     * outflows), 300 on 31 March; 25 in Feb 2024 (a year before) */
    add_payment(s, FIRM_A, "2024-02-01", 1, 2500);
    add_payment(s, FIRM_A, "2024-12-15", 2, 5000);
    add_payment(s, FIRM_A, "2025-01-10", 1, 10000);
    add_payment(s, FIRM_A, "2025-02-05", 4, 20000);
    add_payment(s, FIRM_A, "2025-02-06", 0, 0);
    add_payment(s, FIRM_A, "2025-03-31", 1, 30000);
    /* social security: headcount 10,10,12,12,12,9 from 2024-10; Feb late */
    static const int heads[6] = {10, 10, 12, 12, 12, 9};
    for (int i = 0; i < 6; i++)
        sqlf(s, "INSERT INTO feed_social_security VALUES ('%s', '%s', %d, %d, '%s', '%s', 1, 1, "
                "0)",
             FIRM_A, month_k(9 + i, m), heads[i], heads[i] * 460000, i == 4 ? "N" : "Y",
             month_known(m, 10, k));
    /* taxes: 2024-12 cit 50.00 paid 3 days late; 2025-03 vat 100.00 (not
     * complete by 2025-04-15: its period ends 03-31, + 20 days) */
    sqlf(s, "INSERT INTO feed_tax_payments VALUES ('%s', '2024-12', 3, 'cit', 5000, 5000, "
            "'2025-01-15', '2025-01-18', 3, '%s', 1, 1, 0)",
         FIRM_A, month_known("2024-12", 20, k));
    sqlf(s, "INSERT INTO feed_tax_payments VALUES ('%s', '2025-03', 1, 'vat', 10000, 10000, "
            "'2025-04-15', '2025-04-10', 0, '%s', 1, 1, 0)",
         FIRM_A, month_known("2025-03", 20, k));
    sqlf(s, "INSERT INTO feed_tax_grades VALUES ('%s', 2023, 'B', '2024-04-15', '2024-04-15', 1, "
            "1, 0), ('%s', 2024, 'D', '2025-04-15', '2025-04-15', 1, 1, 0)",
         FIRM_A, FIRM_A);
    /* one loan, 1000 yuan a month end from 2024-05, 15 days past due in Jan */
    sqlf(s, "INSERT INTO feed_credit_loans VALUES ('L1', '%s', '%s', 'term_loan', 'credit', "
            "'2024-05-01', '2025-05-01', 1200000, '2024-05-02', 1, 1, 0)",
         FIRM_A, FIRM_B);
    for (int i = 4; i < 15; i++)
        sqlf(s, "INSERT INTO feed_credit_status VALUES ('L1', '%s', '%s', 100000, %d, 0, '%s', "
                "1, 1, 0)",
             FIRM_A, month_k(i, m), i == 12 ? 15 : 0, month_known(m, 10, k));
    /* court cases: against A, open; enforcement against A closed 04-10; A as
     * plaintiff (not counted); an old closed case */
    sqlf(s, "INSERT INTO feed_litigation VALUES "
            "('C1', '%s', '2024-06-01', 'contract_dispute', 'defendant', 100, 'open', NULL, "
            "'2024-06-04', 1, 1, 0),"
            "('C2', '%s', '2025-03-01', 'enforcement', 'enforced_party', 100, 'closed', "
            "'2025-04-10', '2025-03-04', 1, 2, 0),"
            "('C3', '%s', '2025-04-01', 'contract_dispute', 'plaintiff', 100, 'open', NULL, "
            "'2025-04-04', 1, 3, 0),"
            "('C4', '%s', '2023-01-01', 'labor_dispute', 'defendant', 100, 'closed', "
            "'2023-06-01', '2023-01-04', 1, 4, 0)",
         FIRM_A, FIRM_A, FIRM_A, FIRM_A);
    sqlf(s, "INSERT INTO feed_penalties VALUES "
            "('P1', '%s', '2024-01-10', 'environment', 'serious', 100, '2024-01-17', 1, 1, 0),"
            "('P2', '%s', '2025-03-20', 'market', 'general', 100, '2025-03-27', 1, 2, 0)",
         FIRM_A, FIRM_A);
    sqlf(s, "INSERT INTO feed_subsidies VALUES "
            "('%s', '2025-01-10', 'green', 100000, 370000, '2025-01-15', 1, 1, 0),"
            "('%s', '2023-12-01', 'employment', 50000, 370000, '2023-12-06', 1, 2, 0)",
         FIRM_A, FIRM_A);
    sqlf(s, "INSERT INTO feed_patents VALUES "
            "('ZL1', '%s', 'invention', '2022-01-01', '2024-02-01', '2024-03-02', 1, 1, 0),"
            "('ZL2', '%s', 'utility_model', '2023-01-01', '2024-05-01', '2024-05-31', 1, 2, 0),"
            "('ZL3', '%s', 'invention', '2023-01-01', '2025-04-01', '2025-05-01', 1, 3, 0)",
         FIRM_A, FIRM_A, FIRM_A);
    sqlf(s, "INSERT INTO feed_supply_chain VALUES ('SC1', '91370112DRHJB7B198', 2, '%s', '%s', "
            "'2020-01-01', 100, '2020-01-31', 1, 1, 0)",
         FIRM_A, FIRM_B);
}

static int setup(void **state)
{
    fx_setup(state);
    standard_data(((fx *)*state)->store);
    return 0;
}

static void test_vat_sums_growth_shape(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    features_of(f->store, FIRM_A, "2025-04-15", v);
    assert_feature(v, "has_vat", 1);
    assert_feature(v, "sales_3m", 42000.0);            /* 13 + 14 + 15 thousand */
    assert_feature(v, "sales_12m", 114000.0);          /* 4 + ... + 15 thousand */
    assert_feature(v, "sales_growth_3m", 14.0 / 11.0 - 1.0); /* means 14k vs 11k */
    assert_feature(v, "sales_yoy_3m", 6.0);            /* 14k against 2k */
    assert_feature(v, "sales_trend_12m", 1000.0 / 9500.0);   /* +1000 a month, mean 9500 */
    /* 12 consecutive steps of 1000: sd = 1000 sqrt(143 / 12) */
    assert_feature(v, "sales_volatility_12m", 1000.0 * sqrt(143.0 / 12.0) / 9500.0);
    assert_feature(v, "purchase_to_sales_12m", 0.5);
    assert_feature(v, "top_buyer_share_3m", 0.25);
    assert_feature(v, "months_without_sales_12m", 0);

    /* B: a month with no sales, two of the last three reported */
    features_of(f->store, FIRM_B, "2025-04-15", v);
    assert_feature(v, "sales_3m", 13500.0);            /* (3000 + 6000) / 2 * 3 */
    assert_feature(v, "sales_12m", 36000.0);           /* 9000 / 3 reports * 12 */
    assert_feature(v, "sales_growth_3m", NAN);         /* nothing Oct-Dec */
    assert_feature(v, "sales_yoy_3m", NAN);
    assert_feature(v, "months_without_sales_12m", 1);
    assert_feature(v, "sales_volatility_12m", sqrt(6e6) / 3000.0); /* 0, 3000, 6000 */
    /* months at window positions 5, 12, 14: Sxx = 134/3, Sxy = 27000 */
    assert_feature(v, "sales_trend_12m", 27000.0 / (134.0 / 3.0) / 3000.0);
    assert_feature(v, "purchase_to_sales_12m", 0.0);
    assert_feature(v, "top_buyer_share_3m", NAN);      /* no share reported */
}

static void test_payments(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    features_of(f->store, FIRM_A, "2025-04-15", v);
    assert_feature(v, "has_payments", 1);
    assert_feature(v, "inflow_1m", 300.0);
    assert_feature(v, "inflow_3m", 600.0);
    assert_feature(v, "inflow_12m", 650.0);
    assert_feature(v, "inflow_growth_3m", 11.0);       /* 600 against 50 */
    assert_feature(v, "inflow_yoy_3m", 23.0);          /* 600 against 25 */
    /* from December, the first month with data: 50, 100, 200, 300 */
    double sd = sqrt((112.5 * 112.5 + 62.5 * 62.5 + 37.5 * 37.5 + 137.5 * 137.5) / 4.0);
    assert_feature(v, "inflow_volatility_12m", sd / 162.5);
    assert_feature(v, "inflow_trend_12m", 85.0 / 162.5); /* Sxy 425 / Sxx 5 */
    assert_feature(v, "active_days_3m", 3);            /* the outflow-only day is not */
    assert_feature(v, "days_since_last_inflow", 15);   /* 2025-03-31 */
    assert_feature(v, "payments_to_sales_12m", 650.0 / 114000.0);
    /* at the month end, March is not complete and its last day not known */
    features_of(f->store, FIRM_A, "2025-03-31", v);
    assert_feature(v, "inflow_1m", 200.0);
    assert_feature(v, "days_since_last_inflow", 54);   /* 2025-02-05 */
}

static void test_tax_social_power(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    features_of(f->store, FIRM_A, "2025-04-15", v);
    assert_feature(v, "has_tax", 1);
    assert_feature(v, "tax_paid_12m", 50.0);           /* March's period is not complete */
    assert_feature(v, "tax_late_count_12m", 1);
    assert_feature(v, "tax_grade_score", 0);           /* D, published today */
    assert_feature(v, "tax_grade_d", 1);
    assert_feature(v, "headcount_last", 9);
    assert_feature(v, "headcount_change_3m", -3);      /* 9 in March, 12 in December */
    assert_feature(v, "wage_base_3m", 33 * 4600.0);
    assert_feature(v, "wage_to_sales_12m", 65 * 4600.0 * 2.0 / 114000.0); /* 6 months x 2 */
    assert_feature(v, "ss_late_months_12m", 1);
    assert_feature(v, "has_power", 1);
    assert_feature(v, "power_kwh_3m", 4200.0);
    assert_feature(v, "power_growth_3m", 14.0 / 11.0 - 1.0);
    assert_feature(v, "power_yoy_3m", 6.0);
    assert_feature(v, "power_volatility_12m", 100.0 * sqrt(143.0 / 12.0) / 950.0);
    features_of(f->store, FIRM_A, "2025-04-14", v);
    assert_feature(v, "tax_grade_score", 3);           /* B until the D is published */
    assert_feature(v, "tax_grade_d", 0);
    /* C: a daily meter with one month: 31 days x 10 kWh, counted for 3 months */
    features_of(f->store, FIRM_C, "2025-04-15", v);
    assert_feature(v, "has_power", 1);
    assert_feature(v, "power_kwh_3m", 930.0);
    assert_feature(v, "power_growth_3m", NAN);
}

static void test_events_and_credit(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    features_of(f->store, FIRM_A, "2025-04-15", v);
    assert_feature(v, "litigation_count_12m", 2);      /* C1 and C2; C3 is A suing */
    assert_feature(v, "litigation_open", 1);           /* C2 closed on 04-10 */
    assert_feature(v, "enforcement_open", 0);
    assert_feature(v, "penalty_count_12m", 1);
    assert_feature(v, "penalty_serious_24m", 1);
    assert_feature(v, "environment_penalty_24m", 1);
    assert_feature(v, "days_since_penalty", 26);       /* 2025-03-20 */
    assert_feature(v, "subsidy_12m", 1000.0);
    assert_feature(v, "green_subsidy_24m", 1000.0);
    assert_feature(v, "patents_total", 2);             /* ZL3 known only from 05-01 */
    assert_feature(v, "invention_patents", 1);
    assert_feature(v, "loans_open", 1);
    assert_feature(v, "loan_balance", 1000.0);
    assert_feature(v, "max_dpd_12m", 15);
    assert_feature(v, "overdue_months_12m", 1);
    assert_feature(v, "credit_white", 0);
    assert_feature(v, "credit_history_months", 11);    /* 2024-05-01 to 2025-04-15 */
    assert_feature(v, "has_credit_history", 1);
    assert_feature(v, "chain_member", 1);
    assert_feature(v, "chain_tier", 2);
    assert_feature(v, "age_months", 61);
    assert_feature(v, "status_abnormal", 0);
    assert_feature(v, "coverage_share", 1.0);

    features_of(f->store, FIRM_A, "2025-04-05", v);
    assert_feature(v, "litigation_open", 2);
    assert_feature(v, "enforcement_open", 1);
    features_of(f->store, FIRM_A, "2025-03-25", v);
    assert_feature(v, "penalty_count_12m", 0);         /* P2 is known from 03-27 */
    assert_feature(v, "days_since_penalty", 440);      /* 2024-01-10 */

    features_of(f->store, FIRM_B, "2025-04-15", v);
    assert_feature(v, "chain_tier", 1);                /* the buyer of a tier-2 supplier */
    assert_feature(v, "status_abnormal", 1);           /* abnormal from 2025-04-01 */
    assert_feature(v, "credit_white", 1);
    features_of(f->store, FIRM_B, "2025-03-31", v);
    assert_feature(v, "status_abnormal", 0);
}

/* A firm without a footprint is missing, never zero; published events count 0. */
static void test_missing_is_not_zero(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    features_of(f->store, FIRM_Z, "2025-04-15", v);
    static const char *const flags_zero[] = {
        "has_vat", "has_tax", "has_social_security", "has_power", "has_payments",
        "has_credit_history", "coverage_share", "litigation_count_12m", "litigation_open",
        "enforcement_open", "penalty_count_12m", "penalty_serious_24m",
        "environment_penalty_24m", "subsidy_12m", "green_subsidy_24m", "patents_total",
        "invention_patents", "chain_member", "tax_grade_d", "loans_open", "status_abnormal"};
    for (size_t i = 0; i < sizeof(flags_zero) / sizeof(flags_zero[0]); i++)
        assert_feature(v, flags_zero[i], 0);
    assert_feature(v, "credit_white", 1);
    static const char *const missing[] = {
        "sales_3m", "sales_12m", "sales_vs_peer_12m", "tax_paid_12m", "tax_grade_score",
        "headcount_last", "wage_base_3m", "power_kwh_3m", "power_vs_peer_3m", "inflow_1m",
        "inflow_12m", "active_days_3m", "days_since_last_inflow", "payments_to_sales_12m",
        "days_since_penalty", "loan_balance", "max_dpd_12m", "overdue_months_12m",
        "credit_history_months", "chain_tier", "industry_growth_12m"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
        assert_feature(v, missing[i], NAN);
    assert_feature(v, "age_months", 117);
    /* its city's growth is known from the firms that have VAT */
    assert_feature(v, "region_growth_12m", 6.0);
}

/* Fewer than 20 firms in the city: the section province-wide. A (114000)
 * and B (36000) are the only C firms with sales: median 75000. */
static void test_peers_small_groups(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    features_of(f->store, FIRM_A, "2025-04-15", v);
    assert_feature(v, "sales_vs_peer_12m", 114000.0 / 75000.0 - 1.0);
    assert_feature(v, "power_vs_peer_3m", 0.0);        /* A alone in its group */
    assert_feature(v, "inflow_vs_peer_12m", 0.0);
    assert_feature(v, "industry_growth_12m", 6.0);     /* A's yoy; B has none */
    assert_feature(v, "region_growth_12m", 6.0);
    features_of(f->store, FIRM_B, "2025-04-15", v);
    assert_feature(v, "sales_vs_peer_12m", 36000.0 / 75000.0 - 1.0);
    assert_feature(v, "industry_growth_12m", 6.0);
    /* the medians are stored: one row per group, value and date */
    assert_int_equal(ph_test_query_int(f->store, "SELECT n FROM feature_peer WHERE asof = "
                                                 "'2025-04-15' AND peer_group = 'C:370100' "
                                                 "AND feature = 'sales_12m'"),
                     2);
    assert_int_equal(ph_test_query_int(f->store, "SELECT median FROM feature_peer WHERE asof = "
                                                 "'2025-04-15' AND peer_group = 'C:370000' "
                                                 "AND feature = 'sales_12m'"),
                     75000);
}

/* 20 firms of section G in Jinan with sales 12k..240k a year and 5 in
 * Qingdao with 1.2M: Jinan firms compare with their city's median (126000),
 * Qingdao's with the province-wide one. */
static void test_peers_city_group(void **state)
{
    fx *f = *state;
    char code[PH_USCC_LEN + 1], m[8];
    ph_error err;
    for (int i = 0; i < 25; i++) {
        int region = i < 20 ? 370103 : 370202;
        ph_assert_ok(ph_uscc_generate('9', '1', region, (uint64_t)i + 1, code, &err), &err);
        add_firm(f->store, code, region, "G51", "2020-01-01", "active", NULL, "2020-01-02");
        for (int k = 3; k < 15; k++)
            add_vat(f->store, code, month_k(k, m), i < 20 ? 100000LL * (i + 1) : 10000000LL, 0,
                    NULL);
    }
    double v[PH_FEATURE_COUNT];
    ph_assert_ok(ph_uscc_generate('9', '1', 370103, 1, code, &err), &err);
    features_of(f->store, code, "2025-04-15", v);
    /* city medians: sales 12 x 1000 x (1..20), median 12 x 10500 = 126000 */
    assert_feature(v, "sales_vs_peer_12m", 12000.0 / 126000.0 - 1.0);
    ph_assert_ok(ph_uscc_generate('9', '1', 370202, 21, code, &err), &err);
    features_of(f->store, code, "2025-04-15", v);
    /* province: 25 values, the 13th smallest is the 13th Jinan firm: 156000 */
    assert_feature(v, "sales_vs_peer_12m", 1200000.0 / 156000.0 - 1.0);
}

/* --- errors ------------------------------------------------------------------- */

static ph_status stop_at_second(void *user, const char *uscc, ph_date asof,
                                const double *values, ph_error *err)
{
    (void)uscc;
    (void)asof;
    (void)values;
    int *calls = user;
    if (++*calls == 2)
        return ph_error_set(err, PH_EIO, NULL, NULL, "callback says stop");
    return PH_OK;
}

static void test_errors(void **state)
{
    fx *f = *state;
    ph_error err;
    double v[PH_FEATURE_COUNT];
    ph_date dates[2] = {day("2025-01-31"), day("2025-01-31")};
    ph_assert_error(ph_features_batch(NULL, dates, 1, NULL, NULL, NULL, &err), PH_EMISUSE, &err,
                    "ph_features_batch: store and asof must not be NULL");
    ph_assert_error(ph_features_batch(f->store, dates, 0, NULL, NULL, NULL, &err), PH_EMISUSE,
                    &err, "field count: expected 1 to 4096 as-of dates, got 0");
    ph_assert_error(ph_features_batch(f->store, dates, 2, NULL, NULL, NULL, &err), PH_EINVAL,
                    &err,
                    "field asof, value '2025-01-31': expected each as-of date once, got it "
                    "twice");
    dates[0] = day("2090-01-01");
    ph_assert_error(ph_features_batch(f->store, dates, 1, NULL, NULL, NULL, &err), PH_EINVAL,
                    &err,
                    "field asof, value '2090-01-01': expected a date from 1949-01-01 to "
                    "2089-12-31");
    int calls = 0;
    ph_assert_error(ph_features_batch(f->store, &dates[1], 1, NULL, stop_at_second, &calls,
                                      &err),
                    PH_EIO, &err, "callback says stop");
    assert_int_equal(calls, 2);

    ph_assert_error(ph_features_for(f->store, NULL, day("2025-01-31"), v, NULL, &err), PH_EMISUSE,
                    &err, "ph_features_for: store, uscc and values must not be NULL");
    ph_assert_error(ph_features_for(f->store, "913701020AQ1PNXK8X", day("2025-01-31"), v, NULL, &err),
                    PH_EINVAL, &err, "field uscc, value '913701020AQ1PNXK8X'");
    char code[PH_USCC_LEN + 1];
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 777, code, &err), &err);
    ph_assert_error(ph_features_for(f->store, code, day("2025-01-31"), v, NULL, &err), PH_ENOTFOUND,
                    &err, "no registration of this enterprise is known on 2025-01-31");
    /* C is known from 2024-12-21 */
    ph_assert_error(ph_features_for(f->store, FIRM_C, day("2024-12-20"), v, NULL, &err), PH_ENOTFOUND,
                    &err,
                    "field uscc, value '91370281FKAW4U0T0X': no registration of this "
                    "enterprise is known on 2024-12-20");
    /* a stored value that is not what its column holds */
    sqlf(f->store, "INSERT INTO feed_vat_invoices VALUES ('%s', '2025-13', 1, 1, 1, 1, 1, NULL, "
                   "'2025-01-01', 1, 1, 0)",
         FIRM_Z);
    ph_assert_error(ph_features_for(f->store, FIRM_Z, day("2025-01-31"), v, NULL, &err), PH_EINVAL,
                    &err,
                    "field month, value '2025-13': expected a month YYYY-MM in table "
                    "feed_vat_invoices");
    ph_assert_error(ph_features_batch(f->store, &dates[1], 1, NULL, NULL, NULL, &err), PH_EINVAL,
                    &err, "expected a month YYYY-MM in table feed_vat_invoices");
}

/*
 * A stored row whose early column is bad, in the two handlers whose last
 * column is read into a local (social security's paid_on_time, the tax's
 * days_late): the row is refused with its field and table, and nothing is
 * made of the columns after the bad one. Before the fix the social-security
 * handler went on to read its paid_on_time flag, never set on this path.
 */
static void test_bad_early_column(void **state)
{
    fx *f = *state;
    ph_error err;
    double v[PH_FEATURE_COUNT];
    ph_date asof = day("2025-04-15");
    sqlf(f->store, "INSERT INTO feed_social_security VALUES ('%s', '2025-13', 3, 1380000, 'Y', "
                   "'2025-01-01', 1, 1, 0)",
         FIRM_Z);
    ph_assert_error(ph_features_for(f->store, FIRM_Z, asof, v, NULL, &err), PH_EINVAL, &err,
                    "field month, value '2025-13': expected a month YYYY-MM in table "
                    "feed_social_security");
    sqlf(f->store, "UPDATE feed_social_security SET month = '2025-01', insured_headcount = -3 "
                   "WHERE uscc = '%s'",
         FIRM_Z);
    ph_assert_error(ph_features_batch(f->store, &asof, 1, NULL, NULL, NULL, &err), PH_EINVAL,
                    &err,
                    "field insured_headcount, value '-3': expected a number not below 0 in "
                    "table feed_social_security");
    sqlf(f->store, "DELETE FROM feed_social_security WHERE uscc = '%s'", FIRM_Z);
    sqlf(f->store, "INSERT INTO feed_tax_payments VALUES ('%s', '2024-12', 3, 'cit', 5000, -1, "
                   "'2025-01-15', '2025-01-18', 3, '2025-01-20', 1, 1, 0)",
         FIRM_Z);
    ph_assert_error(ph_features_for(f->store, FIRM_Z, asof, v, NULL, &err), PH_EINVAL, &err,
                    "field amount_paid_fen, value '-1': expected a number not below 0 in table "
                    "feed_tax_payments");
}

static int64_t peer_rows(ph_store *store)
{
    return ph_test_query_int(store, "SELECT COUNT(*) FROM feature_peer") * 100000 +
           ph_test_query_int(store, "SELECT COUNT(*) FROM feature_peer_date");
}

/* A read never writes. With no refresh, a single-firm read fails clearly on
 * a read-only store (before, it ran a province-wide batch to store the
 * medians, which a read-only store refused with a store error), and on a
 * writable one it stores nothing; a batch stores nothing either. */
static void test_read_without_refresh(void **state)
{
    fx *f = *state;
    ph_error err;
    double v[PH_FEATURE_COUNT];
    ph_date asof = day("2025-04-15");
    ph_store_options ro = {0, 1, 1};
    ph_store *reader = NULL;
    ph_assert_ok(ph_store_open(f->ctx, ph_store_uri(f->store), &ro, &reader, &err), &err);
    ph_assert_error(ph_features_for(reader, FIRM_A, asof, v, NULL, &err), PH_ENOTFOUND, &err,
                    "field asof, value '2025-04-15': no peer-median refresh on or before this "
                    "date: run `puhui features refresh --asof 2025-04-15`");
    ph_assert_error(ph_features_for(f->store, FIRM_A, asof, v, NULL, &err), PH_ENOTFOUND, &err,
                    "no peer-median refresh on or before this date");
    ph_assert_ok(ph_features_batch(f->store, &asof, 1, NULL, NULL, NULL, &err), &err);
    assert_int_equal(peer_rows(f->store), 0);
    /* the refresh is the writing step: refused on the read-only store */
    assert_int_not_equal(ph_features_refresh(reader, &asof, 1, NULL, &err), PH_OK);
    assert_int_equal(peer_rows(f->store), 0);
    fx_set_today(f, "2031-07-04"); /* the refresh is stamped by the context's clock */
    ph_assert_ok(ph_features_refresh(f->store, &asof, 1, NULL, &err), &err);
    int64_t stored = peer_rows(f->store);
    assert_true(stored > 100000);
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM feature_peer_date WHERE "
                                                 "computed_at = '2031-07-04T12:00:00Z'"),
                     1);
    /* a second refresh of the day replaces its medians and its mark */
    ph_assert_ok(ph_features_refresh(f->store, &asof, 1, NULL, &err), &err);
    assert_int_equal(peer_rows(f->store), stored);
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM feature_peer_date"), 1);
    ph_date used = 0;
    ph_assert_ok(ph_features_for(reader, FIRM_A, asof, v, &used, &err), &err);
    assert_int_equal(used, asof);
    assert_int_equal(peer_rows(f->store), stored);
    ph_assert_error(ph_features_refresh(NULL, &asof, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_features_refresh: store and asof must not be NULL");
    ph_store_free(reader);
}

/* A read on a day with no refresh uses the latest earlier one and says so;
 * the values are then those of the day's refresh once it is made. */
static void test_read_uses_latest_earlier_refresh(void **state)
{
    fx *f = *state;
    ph_error err;
    ph_date dates[] = {day("2025-02-28"), day("2025-04-15")};
    ph_assert_ok(ph_features_refresh(f->store, dates, 1, NULL, &err), &err);
    int64_t stored = peer_rows(f->store);
    double early[PH_FEATURE_COUNT], fresh[PH_FEATURE_COUNT];
    ph_date used = 0;
    ph_assert_ok(ph_features_for(f->store, FIRM_A, dates[1], early, &used, &err), &err);
    assert_int_equal(used, dates[0]);
    assert_int_equal(peer_rows(f->store), stored); /* nothing written */
    /* the firm's own values are as of the day; the peer features use the
     * medians of 2025-02-28 (A and B had less sales then) */
    assert_feature(early, "sales_12m", 114000.0);
    assert_false(ph_feature_is_missing(early[ph_feature_index("sales_vs_peer_12m")]));
    ph_assert_ok(ph_features_refresh(f->store, &dates[1], 1, NULL, &err), &err);
    ph_assert_ok(ph_features_for(f->store, FIRM_A, dates[1], fresh, &used, &err), &err);
    assert_int_equal(used, dates[1]);
    assert_feature(fresh, "sales_vs_peer_12m", 114000.0 / 75000.0 - 1.0);
    assert_true(early[ph_feature_index("sales_vs_peer_12m")] !=
                fresh[ph_feature_index("sales_vs_peer_12m")]);
    /* before the first refresh there is none to use */
    ph_assert_error(ph_features_for(f->store, FIRM_A, day("2025-02-27"), early, &used, &err),
                    PH_ENOTFOUND, &err, "run `puhui features refresh --asof 2025-02-27`");
}

static void test_old_schema(void **state)
{
    fx *f = *state;
    ph_store *old = fx_open(f, "old.db");
    ph_error err;
    double v[PH_FEATURE_COUNT];
    ph_date d = day("2025-01-31");
    ph_assert_ok(ph_schema_migrate(old, 4, NULL, &err), &err);
    ph_assert_error(ph_features_for(old, FIRM_A, d, v, NULL, &err), PH_ESCHEMA, &err,
                    "field schema_version: the feature store needs schema version 5 or later, "
                    "the database has 4; run `puhui init`");
    ph_assert_error(ph_features_batch(old, &d, 1, NULL, NULL, NULL, &err), PH_ESCHEMA, &err,
                    "the database has 4; run `puhui init`");
    ph_store_free(old);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vat_sums_growth_shape, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_payments, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tax_social_power, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_events_and_credit, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_missing_is_not_zero, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_peers_small_groups, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_peers_city_group, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_early_column, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_old_schema, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_without_refresh, setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_uses_latest_earlier_refresh, setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
