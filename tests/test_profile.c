/*
 * Reading a profile for an institution: consent decides what may be used,
 * the read is logged, and only derived values come back.
 */
#include "features_fixture.h"

#define BANK "91370100MA3C5XYZ1B" /* any registered institution id */

/* assert_feature over a profile's values. */
#define assert_profile_feature(p, name, expected)                                             \
    do {                                                                                      \
        double values_[PH_FEATURE_COUNT];                                                     \
        for (size_t i_ = 0; i_ < PH_FEATURE_COUNT; i_++)                                      \
            values_[i_] = ph_profile_value((p), i_);                                          \
        assert_feature(values_, (name), (expected));                                          \
    } while (0)

/* A firm with 14 months of VAT and payments, registered and known. */
static void seed(ph_store *s)
{
    char m[16];
    add_firm(s, FIRM_A, 370102, "C13", "2019-05-01", "active", NULL, "2019-05-02");
    sqlf(s, "INSERT INTO enterprise (uscc, name, region_code, industry_section, "
            "industry_division, size_class, registered_on, status) VALUES ('%s', "
            "'济南示例食品有限公司', 370102, 'C', 13, 'micro', '2019-05-01', 'active')",
         FIRM_A);
    sqlf(s, "INSERT INTO institution VALUES ('%s', 'Example Bank', 'commercial_bank')", BANK);
    sqlf(s, "UPDATE feed_registration SET name = '济南示例食品有限公司' WHERE uscc = '%s'",
         FIRM_A);
    for (int k = 0; k < 14; k++)
        add_vat(s, FIRM_A, month_k(k, m), 100000000 + 1000000LL * k, 60000000, "0.4000");
    for (int d = 0; d < 400; d += 3) {
        char date[PH_DATE_FORMAT_MAX];
        add_payment(s, FIRM_A, plus(day("2024-01-01"), d, date), 2, 3000000);
    }
    refresh_once(s, "2025-02-28"); /* the platform's scheduled peer-median refresh */
}

/* Granted on 2025-03-01 for a year, with the clock at that day: reads are
 * made on 2025-03-01 (consent is judged on the day of the read). */
static void grant(fx *f, const char *sources, int64_t *id)
{
    *id = fx_grant(f, FIRM_A, BANK, sources, "2025-03-01", "2026-02-28");
}

static ph_profile_request request(void)
{
    ph_profile_request req = {FIRM_A, BANK, PH_PURPOSE_CREDIT, 0};
    req.asof = day("2025-02-28");
    return req;
}

static void test_no_consent_is_refused_and_logged(void **state)
{
    fx *f = *state;
    seed(f->store);
    ph_profile_request req = request();
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_error(ph_profile_read(f->store, &req, &p, &err), PH_EDENIED, &err,
                    "no live consent from " FIRM_A " for institution " BANK);
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM access_log WHERE "
                                                 "outcome = 'denied' AND what = 'profile asof "
                                                 "2025-02-28'"),
                     1);
}

static void test_partial_consent_withholds_the_rest(void **state)
{
    fx *f = *state;
    seed(f->store);
    int64_t id = 0;
    grant(f, "registration,vat_invoices", &id);
    ph_profile_request req = request();
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_ok(ph_profile_read(f->store, &req, &p, &err), &err);
    assert_string_equal(ph_profile_registration(p)->uscc, FIRM_A);
    assert_string_equal(ph_profile_registration(p)->name, "济南示例食品有限公司");
    assert_string_equal(ph_profile_registration(p)->industry_code, "C13");
    assert_int_equal(ph_profile_registration(p)->region_code, 370102);
    assert_true(ph_profile_log_seq(p) > 0);
    /* VAT features are there; payment features are withheld, not zero */
    int sales = ph_feature_index("sales_12m"), inflow = ph_feature_index("inflow_3m");
    assert_false(ph_profile_withheld(p, sales));
    assert_false(isnan(ph_profile_value(p, sales)));
    assert_true(ph_profile_withheld(p, inflow));
    assert_true(isnan(ph_profile_value(p, inflow)));
    ph_source_set vat = 0;
    ph_assert_ok(ph_source_set_parse("vat_invoices", 0, &vat, &err), &err);
    assert_true((ph_profile_allowed(p) & vat) == vat);
    ph_source_set pay = 0;
    ph_assert_ok(ph_source_set_parse("payments_daily", 0, &pay, &err), &err);
    assert_true((ph_profile_refused(p) & pay) == pay);
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM access_log WHERE "
                                                 "outcome = 'partial'"),
                     1);
    ph_profile_free(p);
}

static void test_full_consent_equals_the_feature_store(void **state)
{
    fx *f = *state;
    seed(f->store);
    int64_t id = 0;
    grant(f, "all", &id);
    ph_profile_request req = request();
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_ok(ph_profile_read(f->store, &req, &p, &err), &err);
    assert_int_equal(ph_profile_refused(p), 0);
    double direct[PH_FEATURE_COUNT];
    features_of(f->store, FIRM_A, "2025-02-28", direct);
    /* everything a credit consent can cover is used; features of feeds that
     * serve another purpose only (supply_chain) stay withheld */
    ph_source_set credit = ph_source_set_for_purpose(PH_PURPOSE_CREDIT);
    for (size_t i = 0; i < PH_FEATURE_COUNT; i++) {
        ph_source_set need = 0;
        ph_assert_ok(ph_source_set_parse(ph_feature_at(i)->sources, 0, &need, &err), &err);
        assert_int_equal(ph_profile_withheld(p, i), (need & ~credit) != 0);
        if (ph_profile_withheld(p, i))
            continue;
        if (isnan(direct[i]))
            assert_true(isnan(ph_profile_value(p, i)));
        else
            assert_true(ph_profile_value(p, i) == direct[i]);
    }
    /* the firm pays in steadily: payments and VAT are seen, power is not */
    assert_profile_feature(p, "has_payments", 1);
    assert_profile_feature(p, "has_power", 0);
    assert_true(ph_profile_withheld(p, ph_feature_index("chain_member")));
    const ph_profile_dimension_score *dig = &ph_profile_get_scores(p)->dimensions[PH_PROFILE_DIGITAL_FOOTPRINT];
    assert_false(isnan(dig->score));
    assert_true(dig->score > 0 && dig->score < 100);
    /* VAT and payments only: 2 of the 6 main sources is thin data, which
     * is its own class, never a clean bill of health */
    assert_profile_feature(p, "coverage_share", 2.0 / 6.0);
    assert_string_equal(ph_profile_get_scores(p)->class_name, "in_transition");
    assert_string_equal(ph_profile_get_scores(p)->subclass, "thin_data");
    /* every rule's feature is in the catalogue */
    for (size_t d = 0; d < PH_PROFILE_DIMENSION_COUNT; d++)
        for (size_t i = 0; i < ph_profile_get_scores(p)->dimensions[d].component_count; i++)
            if (ph_feature_index(ph_profile_get_scores(p)->dimensions[d].components[i].feature) < 0)
                fail_msg("rule feature %s is not in the catalogue",
                         ph_profile_get_scores(p)->dimensions[d].components[i].feature);
    /* key components: strongest first, present values only */
    const ph_profile_component *key[6];
    size_t n = ph_profile_key_components(ph_profile_get_scores(p), key, 6);
    assert_true(n > 0 && n <= 6);
    size_t i = 0;
    for (; i < n && key[i]->points < 50; i++) /* concerns, weakest first */
        assert_true(i == 0 || key[i - 1]->points <= key[i]->points);
    for (size_t first = i; i < n; i++) /* then strengths, strongest first */
        assert_true(key[i]->points > 50 && (i == first || key[i - 1]->points >= key[i]->points));
    ph_profile_free(p);
}

static void test_revocation_takes_effect_at_once(void **state)
{
    fx *f = *state;
    seed(f->store);
    int64_t id = 0;
    grant(f, "all", &id);
    ph_profile_request req = request();
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_ok(ph_profile_read(f->store, &req, &p, &err), &err);
    ph_profile_free(p);
    ph_assert_ok(ph_consent_revoke(f->store, id, &err), &err);
    ph_assert_error(ph_profile_read(f->store, &req, &p, &err), PH_EDENIED, &err, "revoked");
}

static void test_errors(void **state)
{
    fx *f = *state;
    seed(f->store);
    int64_t id = 0;
    grant(f, "all", &id);
    ph_profile_request req = request();
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_error(ph_profile_read(NULL, &req, &p, &err), PH_EMISUSE, &err, "must not be NULL");
    ph_assert_error(ph_profile_read(f->store, &req, NULL, &err), PH_EMISUSE, &err,
                    "must not be NULL");
    req.institution_id = "NOBANK";
    ph_assert_error(ph_profile_read(f->store, &req, &p, &err), PH_ENOTFOUND, &err, "NOBANK");
    /* before the firm's registration was known there is no profile */
    req = request();
    req.asof = day("2019-05-01");
    ph_assert_error(ph_profile_read(f->store, &req, &p, &err), PH_ENOTFOUND, &err, NULL);
}

/* A correction known on 2025-06-01 made the firm small and abnormal (and
 * the registry says so today): a profile as of 2025-02-28 shows the
 * registration known then, beside features as of that day. */
static void test_registration_is_read_as_of_the_profile_date(void **state)
{
    fx *f = *state;
    ph_store *s = f->store;
    seed(s);
    sqlf(s, "INSERT INTO feed_registration_history SELECT *, '2025-06-01', 1 "
            "FROM feed_registration WHERE uscc = '%s'",
         FIRM_A);
    sqlf(s, "UPDATE feed_registration SET size_class = 'small', status = 'abnormal', "
            "status_date = '2025-05-20', name = '济南新名食品有限公司', known_on = '2025-06-01' "
            "WHERE uscc = '%s'",
         FIRM_A);
    sqlf(s, "UPDATE enterprise SET size_class = 'small', status = 'abnormal', "
            "name = '济南新名食品有限公司' WHERE uscc = '%s'",
         FIRM_A);
    int64_t id = 0;
    grant(f, "all", &id);
    ph_profile_request req = request(); /* as of 2025-02-28 */
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_ok(ph_profile_read(s, &req, &p, &err), &err);
    assert_string_equal(ph_profile_registration(p)->size_class, "micro");
    assert_string_equal(ph_profile_registration(p)->status, "active");
    assert_string_equal(ph_profile_registration(p)->name, "济南示例食品有限公司");
    ph_profile_free(p);
    req.asof = day("2025-06-01"); /* from the day the correction was known */
    ph_assert_ok(ph_profile_read(s, &req, &p, &err), &err);
    assert_string_equal(ph_profile_registration(p)->size_class, "small");
    assert_string_equal(ph_profile_registration(p)->status, "abnormal");
    assert_string_equal(ph_profile_registration(p)->name, "济南新名食品有限公司");
    ph_profile_free(p);
}

/* The registration feed reports the status at its date: a firm revoked on
 * 2025-06-10 was operating on 2025-02-28, and its profile then says so. */
static void test_status_counts_from_its_date(void **state)
{
    fx *f = *state;
    ph_store *s = f->store;
    seed(s);
    sqlf(s, "UPDATE feed_registration SET status = 'revoked', status_date = '2025-06-10' "
            "WHERE uscc = '%s'",
         FIRM_A);
    int64_t id = 0;
    grant(f, "all", &id);
    ph_profile_request req = request(); /* as of 2025-02-28 */
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_ok(ph_profile_read(s, &req, &p, &err), &err);
    assert_string_equal(ph_profile_registration(p)->status, "active");
    assert_int_equal(ph_profile_registration(p)->status_date, 0);
    ph_profile_free(p);
    req.asof = day("2025-06-10");
    ph_assert_ok(ph_profile_read(s, &req, &p, &err), &err);
    assert_string_equal(ph_profile_registration(p)->status, "revoked");
    assert_int_equal(ph_profile_registration(p)->status_date, day("2025-06-10"));
    ph_profile_free(p);
}

/* Consent is judged on the day of the read: a profile as of a day inside an
 * expired consent is refused today, and the refusal names both dates. */
static void test_expired_consent_refuses_backdated_profile(void **state)
{
    fx *f = *state;
    seed(f->store);
    int64_t id = 0;
    grant(f, "all", &id); /* 2025-03-01 to 2026-02-28 */
    fx_set_today(f, "2026-12-07");
    ph_profile_request req = request(); /* as of 2025-02-28 */
    ph_profile *p = NULL;
    ph_error err;
    ph_assert_error(ph_profile_read(f->store, &req, &p, &err), PH_EDENIED, &err,
                    "; consent 1 expired on 2026-02-28 (consent is judged on the day of the "
                    "read, 2026-12-07, not on the data date 2025-02-28)");
    fx_set_today(f, "2026-02-28"); /* its last day: the same read is allowed */
    ph_assert_ok(ph_profile_read(f->store, &req, &p, &err), &err);
    ph_profile_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_consent_is_refused_and_logged, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_partial_consent_withholds_the_rest, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_full_consent_equals_the_feature_store, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_revocation_takes_effect_at_once, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_registration_is_read_as_of_the_profile_date,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_status_counts_from_its_date, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_expired_consent_refuses_backdated_profile,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
