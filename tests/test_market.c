/*
 * The marketplace end to end on a small database: application checks that
 * store nothing, consent refusal, offers with the rate cap and subsidies
 * ranked by net cost, decline reasons with their data, replay to the
 * identical trace, the champion/challenger split, appeals and simulation.
 */
#include "features_fixture.h"

#define LENDER_1 "91370000MA0000001A" /* a city bank: reads payments */
#define LENDER_2 "91370000MA0000002B" /* a digital bank: reads payments, prices high */

/* A policy with no model: limit 5 x the average monthly inflow up to the
 * product cap, rate LPR + SPREAD capped at 4 x LPR. */
static const char POLICY_FMT[] =
    "{\"lender\": \"%s\", \"name\": \"loan\", \"version\": %d,"
    " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\", \"max_amount\": \"%s\","
    "  \"min_term\": 3, \"max_term\": 24, \"repayment\": \"equal_installment\"},"
    " %s"
    " \"inputs\": [{\"name\": \"business_status\", \"kind\": \"text\"},"
    "  {\"name\": \"amount\", \"kind\": \"decimal\"},"
    "  {\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"},"
    "  {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
    " \"tables\": [{\"name\": \"ko\", \"hit_policy\": \"COLLECT\","
    "  \"inputs\": [{\"name\": \"business_status\", \"kind\": \"text\"},"
    "   {\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"}], \"outputs\": [],"
    "  \"rules\": [{\"when\": [\"not(\\\"存续\\\")\", \"-\"], \"then\": [], \"reason\": \"STATUS\"},"
    "   {\"when\": [\"-\", \"< %s\"], \"then\": [], \"reason\": \"INFLOW_TOO_LOW\"},"
    "   {\"when\": [\"-\", \"null\"], \"then\": [], \"reason\": \"NO_PAYMENTS\"}]}],"
    " \"formulas\": [{\"name\": \"limit\", \"expr\": \"min(product_max_amount, 5 * avg_inflow_12m)\"},"
    "  {\"name\": \"rate\", \"expr\": \"min(lpr + %s, 4 * lpr)\"}],"
    " \"flow\": [{\"knockout\": \"ko\"}, {\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}";

static const char SUBSIDY[] =
    "{\"name\": \"test programme\", \"version\": 1, \"base_rate\": \"lpr\","
    " \"tiers\": [{\"credit_below\": \"10,000,000\", \"share\": \"50%\"}],"
    " \"first_loan_award\": {\"rate\": \"1%\", \"max\": \"5,000\", \"payee\": \"enterprise\"}}";

typedef struct mk {
    fx f;
    ph_market *market;
} mk;

static void write_policy(fx *f, const char *lender, int version, const char *cap,
                         const char *extra, const char *min_inflow, const char *spread,
                         int activate)
{
    char text[4096], name[64];
    snprintf(text, sizeof(text), POLICY_FMT, lender, version, cap, extra, min_inflow, spread);
    snprintf(name, sizeof(name), "%s_%d.json", lender, version);
    fx_load_policy(f, name, text, activate);
}

/* granted on 2025-12-01 for a year; the tests' reads happen that day */
static void grant(fx *f, const char *lender, const char *sources)
{
    fx_grant(f, FIRM_A, lender, sources, "2025-12-01", "2026-11-30");
}

/* FIRM_A: manufacturing in Jinan, 100,000.00 yuan of inflow in each month
 * of 2025; FIRM_Z: registered, nothing else. Two lenders, LPR 3.00%. */
static int setup(void **state)
{
    mk *m = calloc(1, sizeof(*m));
    fx *f = &m->f;
    void *inner = NULL;
    fx_setup(&inner);
    *f = *(fx *)inner;
    free(inner);
    fx_add_borrower(f->store, FIRM_A, "A");
    add_firm(f->store, FIRM_Z, 370102, "F52", "2018-05-01", "active", NULL, "2018-05-02");
    sqlf(f->store, "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES "
                   "('%s', 'Z', 370102, 'F')", FIRM_Z);
    sqlf(f->store, "INSERT INTO institution VALUES ('%s', 'City Bank', 'commercial_bank'), "
                   "('%s', 'Digital Bank', 'digital_bank')", LENDER_1, LENDER_2);
    ph_error err;
    fx_set_lpr(f->store);
    write_policy(f, LENDER_1, 1, "3,000,000", "", "1", "1.20%", 1);
    write_policy(f, LENDER_2, 1, "300,000", "", "1", "20%", 1);
    /* the scheduled peer-median refresh of every day the tests apply on */
    ph_date days[41];
    for (int d = 0; d < 40; d++)
        days[d] = day("2025-12-01") + d;
    days[40] = day("2024-12-31");
    ph_assert_ok(ph_features_refresh(f->store, days, 41, NULL, &err), &err);
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    mk *m = *state;
    ph_market_free(m->market);
    fx *f = malloc(sizeof(*f));
    *f = m->f;
    void *inner = f;
    fx_teardown(&inner);
    free(m);
    return 0;
}

static void open_market(mk *m)
{
    ph_error err;
    ph_market_free(m->market);
    m->market = NULL;
    ph_assert_ok(ph_market_open(m->f.store, &m->market, &err), &err);
}

static int64_t count(mk *m, const char *table)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    return ph_test_query_int(m->f.store, sql);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_bad_applications_store_nothing(void **state)
{
    mk *m = *state;
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, -100, 12);
    ph_assert_error(ph_market_apply(m->market, &a, &r, &err), PH_EINVAL, &err,
                    "amount, value '-1.00': expected an amount above 0");
    a = fx_app_of(FIRM_A, 100000000, 0);
    ph_assert_error(ph_market_apply(m->market, &a, &r, &err), PH_EINVAL, &err,
                    "term, value '0': expected 1 to 360 months");
    a = fx_app_of(FIRM_A, 100000000, 361);
    ph_assert_error(ph_market_apply(m->market, &a, &r, &err), PH_EINVAL, &err,
                    "expected 1 to 360 months");
    a = fx_app_of(FIRM_A, 100000000, 12);
    a.purpose = "holiday";
    ph_assert_error(ph_market_apply(m->market, &a, &r, &err), PH_EINVAL, &err,
                    "purpose, value 'holiday': expected one of working_capital");
    a = fx_app_of("91370102MA00000000", 100000000, 12);
    ph_assert_error(ph_market_apply(m->market, &a, &r, &err), PH_EINVAL, &err, "uscc");
    char unknown[19] = "91370102000000000";
    ph_assert_ok(ph_uscc_check_char(unknown, &unknown[17], &err), &err);
    a = fx_app_of(unknown, 100000000, 12);
    ph_assert_error(ph_market_apply(m->market, &a, &r, &err), PH_ENOTFOUND, &err,
                    "expected an enterprise "
                    "registered with the platform by 2025-12-31");
    a = fx_app_of(FIRM_A, 100000000, 12);
    a.asof = day("2024-12-31"); /* no LPR recorded before 2025 */
    ph_assert_error(ph_market_apply(m->market, &a, &r, &err), PH_ENOTFOUND, &err,
                    "no LPR in force on that day");
    assert_null(r);
    assert_int_equal(count(m, "application"), 0);
    assert_int_equal(count(m, "decision"), 0);
}

static void test_consent_refusal_then_offers(void **state)
{
    mk *m = *state;
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12); /* 200,000.00 yuan */
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    assert_int_equal(ph_market_result_quote_count(r), 2);
    assert_int_equal(ph_market_result_offer_count(r), 0);
    const ph_quote *q = fx_quote_of(r, LENDER_1);
    assert_int_equal(q->status, PH_QUOTE_NO_CONSENT);
    assert_non_null(strstr(q->note, "not asked: no live consent from " FIRM_A));
    assert_int_equal(q->decision_id, 0);
    ph_market_result_free(r);
    /* the refused reads are in the access log; the application is on record */
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT count(*) FROM access_log WHERE "
                                                   "outcome = 'denied'"), 2);
    assert_int_equal(count(m, "application"), 1);
    assert_int_equal(count(m, "decision"), 0);

    grant(&m->f, LENDER_1, "registration,payments_daily");
    grant(&m->f, LENDER_2, "registration"); /* not payments: still refused */
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    assert_int_equal(ph_market_result_offer_count(r), 1);
    q = ph_market_result_quote(r, 0);
    assert_string_equal(q->lender, LENDER_1);
    assert_string_equal(q->lender_name, "City Bank");
    assert_int_equal(q->status, PH_QUOTE_OFFER);
    assert_int_equal(q->limit, 50000000);     /* 5 x 100,000.00 */
    assert_int_equal(q->amount, 20000000);    /* what was asked, under the limit */
    assert_int_equal(q->rate, 4200000);       /* 3.00% + 1.20% */
    assert_in_range(q->cost.apr, 4199990, 4200010); /* no fee: APR = the rate, to fen rounding */
    assert_int_equal(q->subsidy.subsidy_rate, 0); /* no programme in force */
    assert_true(q->decision_id > 0);
    q = fx_quote_of(r, LENDER_2);
    assert_int_equal(q->status, PH_QUOTE_NO_CONSENT);
    assert_non_null(strstr(q->note, "payments_daily"));
    ph_market_result_free(r);
}

static void test_rate_cap_subsidy_and_ranking(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    grant(&m->f, LENDER_2, "registration,payments_daily");
    char *path = ph_test_path(m->f.dir, "subsidy.json");
    ph_test_write_file(path, SUBSIDY);
    ph_error err;
    int64_t id = 0;
    ph_assert_ok(ph_market_load_subsidy(m->f.store, path, &id, &err), &err);
    assert_int_equal(id, 1); /* the row's id, as the insert returned it */
    id = 0;
    ph_assert_ok(ph_market_load_subsidy(m->f.store, path, &id, &err), &err);
    assert_int_equal(id, 1); /* the same document again: the stored row */
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT count(*) FROM subsidy_programme"), 1);
    free(path);
    open_market(m);
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 100000000, 12); /* 1,000,000.00 yuan */
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    assert_int_equal(ph_market_result_offer_count(r), 2);
    const ph_quote *bank = fx_quote_of(r, LENDER_1), *digital = fx_quote_of(r, LENDER_2);
    assert_int_equal(bank->amount, 50000000);      /* the limit: 500,000.00 */
    assert_int_equal(digital->limit, 30000000);    /* its product cap */
    assert_int_equal(digital->rate, 12000000);     /* 3% + 20% capped at 4 x 3% */
    /* half the 3.00% LPR is subsidised for both; credit-white firm: 1% award
     * capped at 5,000.00 */
    assert_int_equal(bank->subsidy.subsidy_rate, 1500000);
    assert_int_equal(digital->subsidy.subsidy_rate, 1500000);
    assert_int_equal(bank->subsidy.first_loan_award, 500000);
    assert_true(bank->cost.net_apr < bank->cost.apr);
    assert_true(bank->cost.net_apr < 4200000 - 1500000);
    /* ranked by net APR: the bank first */
    assert_string_equal(ph_market_result_quote(r, 0)->lender, LENDER_1);
    assert_true(ph_market_result_quote(r, 0)->cost.net_apr < ph_market_result_quote(r, 1)->cost.net_apr);
    ph_market_result_free(r);
    /* the stored offer carries the same figures */
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT rate FROM decision WHERE lender = '"
                                                   LENDER_2 "'"), 12000000);
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT subsidy_programme_id FROM "
                                                   "application"), id);
}

static void test_decline_reasons_and_replay(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    /* version 2 needs 150,000 a month: FIRM_A's 100,000 is too little */
    write_policy(&m->f, LENDER_1, 2, "3,000,000", "", "150,000", "1.20%", 1);
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    const ph_quote *q = fx_quote_of(r, LENDER_1);
    assert_int_equal(q->status, PH_QUOTE_DECLINE);
    assert_int_equal(q->policy_version, 2);
    assert_int_equal(q->n_reasons, 1); /* no model to add its reasons */
    assert_string_equal(q->reasons[0].code, "INFLOW_TOO_LOW");
    assert_non_null(strstr(q->reasons[0].text, "avg_inflow_12m = 100000"));
    int64_t decision = q->decision_id;
    ph_market_result_free(r);

    ph_replay_report rep;
    ph_assert_ok(ph_market_replay(m->f.store, decision, &rep, &err), &err);
    assert_true(rep.identical);
    assert_true(rep.trace_bytes > 100);
    /* a trace altered around the triggers no longer replays identically */
    ph_test_exec(m->f.store, "DROP TRIGGER decision_frozen");
    ph_test_exec(m->f.store, "UPDATE decision SET trace = replace(trace, '\"approved\":false', "
                             "'\"approved\":true')");
    ph_assert_ok(ph_market_replay(m->f.store, decision, &rep, &err), &err);
    assert_false(rep.identical);
    assert_non_null(strstr(rep.difference, "the trace differs from byte"));
    ph_assert_error(ph_market_replay(m->f.store, 999, &rep, &err), PH_ENOTFOUND, &err,
                    "no decision with that id");
}

/* A policy's own sentence for a code is what the firm reads, with the
 * values the rule read in brackets (docs/policies.md#reasons). */
static void test_decline_reason_words(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    write_policy(&m->f, LENDER_1, 2, "3,000,000",
                 "\"reasons\": {\"INFLOW_TOO_LOW\": \"this loan needs 150,000 yuan of "
                 "incoming payments a month\"},",
                 "150,000", "1.20%", 1);
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    const ph_quote *q = fx_quote_of(r, LENDER_1);
    assert_int_equal(q->status, PH_QUOTE_DECLINE);
    assert_int_equal(q->n_reasons, 1);
    assert_string_equal(q->reasons[0].code, "INFLOW_TOO_LOW");
    assert_string_equal(q->reasons[0].text, "this loan needs 150,000 yuan of incoming payments "
                                            "a month (avg_inflow_12m = 100000)");
    ph_market_result_free(r);
    /* the stored decision carries the same words */
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT count(*) FROM decision WHERE "
                                                   "reasons LIKE '%150,000 yuan of incoming%'"),
                     1);
}

/* A missing limit is left out of the reasons only when a reason names
 * missing data the limit is computed from. Here the limit also needs
 * invoiced sales (the firm has none: missing), while the one knock-out reads the
 * tax grade (missing too, but the limit never reads it): LIMIT_MISSING is
 * the only reason that tells the firm about its sales, so it stays. */
static void test_missing_limit_explained_only_by_its_own_data(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily,tax_grades,vat_invoices");
    fx_load_policy(&m->f, "tax.json",
        "{\"lender\": \"" LENDER_1 "\", \"name\": \"loan\", \"version\": 2,"
        " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\","
        "  \"max_amount\": \"3,000,000\", \"min_term\": 3, \"max_term\": 24,"
        "  \"repayment\": \"equal_installment\"},"
        " \"inputs\": [{\"name\": \"tax_grade\", \"kind\": \"text\"},"
        "  {\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"},"
        "  {\"name\": \"sales_12m\", \"kind\": \"decimal\"},"
        "  {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
        " \"tables\": [{\"name\": \"ko\", \"hit_policy\": \"COLLECT\","
        "  \"inputs\": [{\"name\": \"tax_grade\", \"kind\": \"text\"}], \"outputs\": [],"
        "  \"rules\": [{\"when\": [\"null\"], \"then\": [], \"reason\": \"NO_TAX_GRADE\"}]}],"
        " \"formulas\": [{\"name\": \"cap\", \"expr\": \"10 * sales_12m\"},"
        "  {\"name\": \"limit\", \"expr\": \"min(product_max_amount, 5 * avg_inflow_12m, cap)\"},"
        "  {\"name\": \"rate\", \"expr\": \"lpr + 1.20%\"}],"
        " \"flow\": [{\"knockout\": \"ko\"}, {\"formula\": \"cap\"},"
        "  {\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}",
        1);
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    const ph_quote *q = fx_quote_of(r, LENDER_1);
    assert_int_equal(q->status, PH_QUOTE_DECLINE);
    assert_int_equal(q->n_reasons, 2);
    assert_string_equal(q->reasons[0].code, "NO_TAX_GRADE");
    assert_string_equal(q->reasons[1].code, "LIMIT_MISSING");
    ph_market_result_free(r);
}

/* A reason naming missing data of the same feed as the limit's missing
 * input explains the missing limit: FIRM_Z has no payments, the knock-out
 * reads the days with payments, the limit the average inflow. */
static void test_missing_limit_explained_by_the_same_feed(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    sqlf(m->f.store, "INSERT INTO consent (uscc, institution_id, purpose, sources, raw_access, "
                     "granted_on, expires_on, created_at) SELECT '%s', institution_id, "
                     "purpose, sources, raw_access, granted_on, expires_on, created_at FROM "
                     "consent WHERE uscc = '%s'", FIRM_Z, FIRM_A);
    fx_load_policy(&m->f, "days.json",
        "{\"lender\": \"" LENDER_1 "\", \"name\": \"loan\", \"version\": 2,"
        " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\","
        "  \"max_amount\": \"3,000,000\", \"min_term\": 3, \"max_term\": 24,"
        "  \"repayment\": \"equal_installment\"},"
        " \"inputs\": [{\"name\": \"active_days_3m\", \"kind\": \"decimal\"},"
        "  {\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"},"
        "  {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
        " \"tables\": [{\"name\": \"ko\", \"hit_policy\": \"COLLECT\","
        "  \"inputs\": [{\"name\": \"active_days_3m\", \"kind\": \"decimal\"}], \"outputs\": [],"
        "  \"rules\": [{\"when\": [\"null\"], \"then\": [], \"reason\": \"NO_PAYMENT_DAYS\"}]}],"
        " \"formulas\": [{\"name\": \"limit\", \"expr\": \"min(product_max_amount, 5 * avg_inflow_12m)\"},"
        "  {\"name\": \"rate\", \"expr\": \"lpr + 1.20%\"}],"
        " \"flow\": [{\"knockout\": \"ko\"}, {\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}",
        1);
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_Z, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    const ph_quote *q = fx_quote_of(r, LENDER_1);
    assert_int_equal(q->status, PH_QUOTE_DECLINE);
    assert_int_equal(q->n_reasons, 1);
    assert_string_equal(q->reasons[0].code, "NO_PAYMENT_DAYS");
    ph_market_result_free(r);
}

static void test_challenger_split(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    write_policy(&m->f, LENDER_1, 2, "3,000,000", "", "1", "0.90%", 0);
    ph_error err;
    ph_assert_error(ph_market_set_challenger(m->f.store, LENDER_1, "loan", 1, 5000, &err),
                    PH_EINVAL, &err, "version 1 is the active (champion) version");
    ph_assert_ok(ph_market_set_challenger(m->f.store, LENDER_1, "loan", 2, 10000, &err), &err);
    open_market(m);
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    const ph_quote *q = fx_quote_of(r, LENDER_1);
    assert_true(q->challenger);
    assert_int_equal(q->policy_version, 2);
    assert_int_equal(q->rate, 3900000);
    ph_market_result_free(r);
    /* both outcomes recorded, only the challenger's served */
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT count(*) FROM decision"), 2);
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT policy_version FROM decision WHERE "
                                                   "served = 1"), 2);
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT rate FROM decision WHERE role = "
                                                   "'champion'"), 4200000);
    /* half the days go to the challenger: the route is a hash of firm,
     * lender, policy and day, stable for each */
    ph_assert_ok(ph_market_set_challenger(m->f.store, LENDER_1, "loan", 2, 5000, &err), &err);
    open_market(m);
    int served[2] = {0, 0};
    for (int d = 0; d < 40; d++) {
        a.asof = day("2025-12-01") + d;
        ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
        served[fx_quote_of(r, LENDER_1)->challenger]++;
        ph_market_result_free(r);
    }
    assert_true(served[0] >= 8 && served[1] >= 8);
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT count(*) FROM decision"), 82);
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT count(*) FROM decision WHERE "
                                                   "served = 1"), 41);
    ph_assert_ok(ph_market_set_challenger(m->f.store, LENDER_1, "loan", 0, 0, &err), &err);
    assert_int_equal(count(m, "policy_challenger"), 0);
}

static void test_appeals(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    write_policy(&m->f, LENDER_1, 2, "3,000,000", "", "150,000", "1.20%", 1);
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    int64_t decision = fx_quote_of(r, LENDER_1)->decision_id;
    ph_market_result_free(r);
    int64_t id = 0;
    ph_assert_error(ph_appeal_open(m->f.store, decision, "", &id, &err), PH_EINVAL, &err,
                    "expected the firm's grounds");
    ph_assert_error(ph_appeal_open(m->f.store, 77, "x", &id, &err), PH_ENOTFOUND, &err,
                    "no decision with that id");
    ph_assert_ok(ph_appeal_open(m->f.store, decision, "our inflow doubled in December", &id,
                                &err), &err);
    assert_int_equal(id, 1);
    ph_assert_error(ph_appeal_open(m->f.store, decision, "again", NULL, &err), PH_EEXISTS,
                    &err, "appeal 1 of this decision is open already");
    ph_assert_error(ph_appeal_decide(m->f.store, id, PH_APPEAL_OVERTURN, "Li Wei", "checked",
                                     0, 0, &err), PH_EINVAL, &err, "expected a limit above 0");
    ph_assert_error(ph_appeal_decide(m->f.store, id, PH_APPEAL_UPHOLD, "", "x", 0, 0, &err),
                    PH_EINVAL, &err, "expected the name of the reviewer");
    ph_assert_error(ph_appeal_decide(m->f.store, id, PH_APPEAL_UPHOLD, "Li Wei", "", 0, 0,
                                     &err), PH_EINVAL, &err, "expected the reason");
    ph_assert_ok(ph_appeal_decide(m->f.store, id, PH_APPEAL_OVERTURN, "Li Wei",
                                  "December bank statements confirm the inflow", 15000000,
                                  4500000, &err), &err);
    ph_assert_error(ph_appeal_decide(m->f.store, id, PH_APPEAL_UPHOLD, "Wang", "no", 0, 0,
                                     &err), PH_EINVAL, &err,
                    "it was decided already (overturned by Li Wei on ");
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT limit_fen FROM appeal"), 15000000);
    /* the decision itself is unchanged */
    assert_int_equal(ph_test_query_int(m->f.store, "SELECT approved FROM decision"), 0);
    /* a second appeal after the first was decided may be opened */
    ph_assert_ok(ph_appeal_open(m->f.store, decision, "second look", &id, &err), &err);
    assert_int_equal(id, 2);
}

static void test_simulation(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    open_market(m);
    ph_error err;
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    ph_market_result_free(r);
    a = fx_app_of(FIRM_Z, 20000000, 12); /* no payments: declined */
    sqlf(m->f.store, "INSERT INTO consent (uscc, institution_id, purpose, sources, raw_access, "
                     "granted_on, expires_on, created_at) SELECT '%s', institution_id, "
                     "purpose, sources, raw_access, granted_on, expires_on, created_at FROM "
                     "consent WHERE uscc = '%s'", FIRM_Z, FIRM_A);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    assert_int_equal(fx_quote_of(r, LENDER_1)->status, PH_QUOTE_DECLINE);
    assert_string_equal(fx_quote_of(r, LENDER_1)->reasons[0].code, "NO_PAYMENTS");
    /* the null limit is a consequence of the missing payments, not a reason
     * of its own: NO_PAYMENTS explains it (docs/domain.md#credit-assessment) */
    for (size_t i = 0; i < fx_quote_of(r, LENDER_1)->n_reasons; i++)
        assert_string_not_equal(fx_quote_of(r, LENDER_1)->reasons[i].code, "LIMIT_MISSING");
    ph_market_result_free(r);
    /* a stricter version 2 would decline FIRM_A too */
    write_policy(&m->f, LENDER_1, 2, "3,000,000", "", "150,000", "1.20%", 0);
    ph_simulation sim;
    ph_assert_ok(ph_market_simulate(m->f.store, LENDER_1, "loan", 2, 0, 0, 45000000, NULL, NULL,
                                    &sim, &err), &err);
    assert_int_equal(sim.applications, 2);
    assert_int_equal(sim.old_approved, 1);
    assert_int_equal(sim.new_approved, 0);
    assert_int_equal(sim.old_offered, 20000000);
    assert_int_equal(sim.new_offered, 0);
    assert_int_equal(sim.changed, 1);
    /* the same version changes nothing */
    ph_assert_ok(ph_market_simulate(m->f.store, LENDER_1, "loan", 1, 0, 0, 45000000, NULL, NULL,
                                    &sim, &err), &err);
    assert_int_equal(sim.changed, 0);
    assert_int_equal(sim.new_approved, 1);
    ph_assert_error(ph_market_simulate(m->f.store, LENDER_1, "loan", 1, 0, 0, 0, NULL, NULL,
                                       &sim, &err), PH_EINVAL, &err, "loss given default");
    /* the market report sees both applications */
    ph_market_report *rep = NULL;
    ph_assert_ok(ph_market_report_build(m->f.store, 0, 0, &rep, &err), &err);
    assert_int_equal(rep->applications, 2);
    assert_int_equal(rep->with_offer, 1);
    assert_int_equal(rep->n_lenders, 2);
    const ph_market_lender_stats *s = &rep->lenders[0];
    assert_string_equal(s->lender, LENDER_1);
    assert_int_equal(s->asked, 2);
    assert_int_equal(s->approved, 1);
    assert_int_equal(s->avg_rate, 4200000);
    assert_int_equal(s->credit_offers, 1);
    assert_int_equal(s->first_time, 1);
    assert_string_equal(s->reason_code[0], "NO_PAYMENTS");
    assert_int_equal(rep->lenders[1].not_asked, 2); /* LENDER_2: no consent */
    ph_market_report_free(rep);
}

static void test_policy_binding_errors(void **state)
{
    mk *m = *state;
    ph_error err;
    /* an input that is not a fact */
    char *path = ph_test_path(m->f.dir, "bad.json");
    char text[4096];
    snprintf(text, sizeof(text), POLICY_FMT, LENDER_2, 2, "300,000", "", "1", "1%");
    char *p = strstr(text, "\"name\": \"lpr\"");
    memcpy(p, "\"name\": \"lpx\"", 13);
    p = strstr(text, "min(lpr +");
    memcpy(p, "min(lpx +", 9);
    p = strstr(text, "4 * lpr");
    memcpy(p, "4 * lpx", 7);
    ph_test_write_file(path, text);
    ph_assert_ok(ph_policy_store_load(m->f.store, path, 1, NULL, &err), &err);
    free(path);
    /* one lender's broken policy does not stop the market */
    grant(&m->f, LENDER_1, "registration,payments_daily");
    open_market(m);
    assert_int_equal(ph_market_lender_count(m->market), 2);
    assert_string_equal(ph_market_lender_id(m->market, 1), LENDER_2);
    assert_non_null(strstr(ph_market_lender_error(m->market, 1),
                           "input 'lpx' is not a fact the platform provides"));
    assert_string_equal(ph_market_lender_error(m->market, 0), "");
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    assert_int_equal(ph_market_result_offer_count(r), 1);
    const ph_quote *q = fx_quote_of(r, LENDER_2);
    assert_int_equal(q->status, PH_QUOTE_UNAVAILABLE);
    assert_non_null(strstr(q->note, "not asked: the lender's policy cannot run: "));
    ph_market_result_free(r);
    /* a model the registry does not know */
    write_policy(&m->f, LENDER_2, 3, "300,000", "\"model\": \"nope\",", "1", "1%", 1);
    open_market(m);
    assert_non_null(strstr(ph_market_lender_error(m->market, 1), "nope"));
}

/* A lender with two policies (two products) quotes twice, each quote with
 * its own stored decision. */
static void test_two_policies_of_one_lender(void **state)
{
    mk *m = *state;
    grant(&m->f, LENDER_1, "registration,payments_daily");
    char text[4096];
    snprintf(text, sizeof(text), POLICY_FMT, LENDER_1, 1, "3,000,000", "", "1", "2.50%");
    char *name = strstr(text, "\"name\": \"loan\"");
    memcpy(name, "\"name\": \"lon2\"", 14);
    char *path = ph_test_path(m->f.dir, "second.json");
    ph_test_write_file(path, text);
    ph_error err;
    ph_assert_ok(ph_policy_store_load(m->f.store, path, 1, NULL, &err), &err);
    free(path);
    open_market(m);
    ph_market_result *r = NULL;
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    assert_int_equal(ph_market_result_quote_count(r), 3);
    assert_int_equal(ph_market_result_offer_count(r), 2);
    for (size_t i = 0; i < 2; i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "SELECT rate FROM decision WHERE id = %lld",
                 (long long)ph_market_result_quote(r, i)->decision_id);
        assert_int_equal(ph_test_query_int(m->f.store, sql), ph_market_result_quote(r, i)->rate);
    }
    assert_int_equal(ph_market_result_quote(r, 0)->rate, 4200000); /* the cheaper first */
    assert_int_equal(ph_market_result_quote(r, 1)->rate, 5500000);
    assert_string_equal(ph_market_result_quote(r, 1)->policy, "lon2");
    /* the stored trace, read through the market that owns the decision table */
    char *trace = NULL;
    ph_assert_ok(ph_market_decision_trace(m->f.store, ph_market_result_quote(r, 0)->decision_id, &trace, &err),
                 &err);
    assert_true(trace[0] == '{' || trace[0] == '[');
    ph_free(m->f.ctx, trace);
    ph_assert_error(ph_market_decision_trace(m->f.store, 999999, &trace, &err), PH_ENOTFOUND,
                    &err, "no decision 999999");
    assert_null(trace);
    ph_market_result_free(r);
}

static void test_facts_list(void **state)
{
    (void)state;
    assert_int_equal(ph_market_fact_count(), 20 + PH_FEATURE_COUNT);
    assert_string_equal(ph_market_fact_name(0), "amount");
    assert_int_equal(ph_market_fact_index("tax_grade"), 12);
    assert_int_equal(ph_market_fact_kind(12), PH_VALUE_TEXT);
    assert_string_equal(ph_market_fact_sources(12), "tax_grades");
    assert_int_equal(ph_market_fact_index("inflow_12m"),
                     20 + ph_feature_index("inflow_12m"));
    assert_int_equal(ph_market_fact_index("score"), -1);
    assert_null(ph_market_fact_name(20 + PH_FEATURE_COUNT));
    assert_non_null(ph_application_purpose(5));
    assert_null(ph_application_purpose(6));
}

/* The market asks a lender only under a consent live on the day of the
 * application, whatever date the application is assessed as of. */
static void test_expired_consent_not_revived_by_asof(void **state)
{
    mk *m = *state;
    open_market(m);
    grant(&m->f, LENDER_1, "registration,payments_daily"); /* 2025-12-01 to 2026-11-30 */
    fx_set_today(&m->f, "2026-12-07");
    ph_application a = fx_app_of(FIRM_A, 20000000, 12); /* as of 2025-12-31 */
    ph_market_result *r = NULL;
    ph_error err;
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    const ph_quote *q = fx_quote_of(r, LENDER_1);
    assert_int_equal(q->status, PH_QUOTE_NO_CONSENT);
    assert_non_null(strstr(q->note, "consent 1 expired on 2026-11-30 (consent is judged on "
                                    "the day of the read, 2026-12-07, not on the data date "
                                    "2025-12-31)"));
    ph_market_result_free(r);
    fx_set_today(&m->f, "2026-11-30"); /* its last day: LENDER_1 is asked */
    ph_assert_ok(ph_market_apply(m->market, &a, &r, &err), &err);
    assert_int_equal(fx_quote_of(r, LENDER_1)->status == PH_QUOTE_NO_CONSENT, 0);
    ph_market_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts_list),
        cmocka_unit_test_setup_teardown(test_bad_applications_store_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_refusal_then_offers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_consent_not_revived_by_asof, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rate_cap_subsidy_and_ranking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decline_reasons_and_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decline_reason_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_limit_explained_only_by_its_own_data, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_limit_explained_by_the_same_feed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_challenger_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appeals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_simulation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_binding_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_policies_of_one_lender, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
