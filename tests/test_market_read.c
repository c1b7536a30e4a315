/*
 * Stored applications and decisions read back (ph_market_application_get,
 * ph_market_decision_get, ph_market_decisions_list) and one appeal by id
 * (ph_appeal_get): the fields as stored, reasons, every filter, keyset
 * pages newest first, and the errors.
 */
#include "features_fixture.h"

#include <math.h>

#define LENDER_2 "91370000MA0000002B"

/* FX_LENDER's policy approves FIRM_A (100,000 a month of inflow); LENDER_2's
 * needs 150,000 a month and declines it with INFLOW_TOO_LOW. */
static const char POLICY_2[] =
    "{\"lender\": \"" LENDER_2 "\", \"name\": \"strict\", \"version\": 1,"
    " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\", \"max_amount\": \"300,000\","
    "  \"min_term\": 3, \"max_term\": 24, \"repayment\": \"equal_installment\"},"
    " \"inputs\": [{\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"},"
    "  {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
    " \"tables\": [{\"name\": \"ko\", \"hit_policy\": \"COLLECT\","
    "  \"inputs\": [{\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"}], \"outputs\": [],"
    "  \"rules\": [{\"when\": [\"< 150000\"], \"then\": [], \"reason\": \"INFLOW_TOO_LOW\"}]}],"
    " \"formulas\": [{\"name\": \"limit\", \"expr\": \"5 * avg_inflow_12m\"},"
    "  {\"name\": \"rate\", \"expr\": \"lpr + 0.02\"}],"
    " \"flow\": [{\"knockout\": \"ko\"}, {\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}";

typedef struct rd {
    fx f;
    int64_t app[3];       /* FIRM_A, FIRM_B, FIRM_A */
    int64_t offer, decline; /* FIRM_A's first application's decisions */
} rd;

static int setup(void **state)
{
    rd *r = calloc(1, sizeof(*r));
    void *inner = NULL;
    fx_setup(&inner);
    r->f = *(fx *)inner;
    free(inner);
    fx *f = &r->f;
    fx_add_borrower(f->store, FIRM_A, "A");
    fx_add_borrower(f->store, FIRM_B, "B");
    sqlf(f->store, "INSERT INTO institution VALUES ('%s', 'City Bank', 'commercial_bank'), "
                   "('%s', 'Digital Bank', 'digital_bank')", FX_LENDER, LENDER_2);
    fx_set_lpr(f->store);
    fx_load_policy(f, "p1.json", FX_POLICY, 1);
    fx_load_policy(f, "p2.json", POLICY_2, 1);
    const char *firms[] = {FIRM_A, FIRM_B};
    for (int i = 0; i < 2; i++) {
        fx_grant(f, firms[i], FX_LENDER, "registration,payments_daily", "2025-12-01",
                 "2026-11-30");
        fx_grant(f, firms[i], LENDER_2, "payments_daily", "2025-12-01", "2026-11-30");
    }
    ph_error err;
    ph_date d = day("2025-12-31");
    ph_assert_ok(ph_features_refresh(f->store, &d, 1, NULL, &err), &err);
    ph_market *m = NULL;
    ph_assert_ok(ph_market_open(f->store, &m, &err), &err);
    const char *who[] = {FIRM_A, FIRM_B, FIRM_A};
    for (int i = 0; i < 3; i++) {
        ph_market_result *res = NULL;
        ph_application a = fx_app_of(who[i], 20000000, 12);
        ph_assert_ok(ph_market_apply(m, &a, &res, &err), &err);
        r->app[i] = ph_market_result_application_id(res);
        if (i == 0) {
            r->offer = fx_quote_of(res, FX_LENDER)->decision_id;
            r->decline = fx_quote_of(res, LENDER_2)->decision_id;
            assert_int_equal(fx_quote_of(res, FX_LENDER)->status, PH_QUOTE_OFFER);
            assert_int_equal(fx_quote_of(res, LENDER_2)->status, PH_QUOTE_DECLINE);
        }
        ph_market_result_free(res);
    }
    ph_market_free(m);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    rd *r = *state;
    fx *f = malloc(sizeof(*f));
    *f = r->f;
    void *inner = f;
    fx_teardown(&inner);
    free(r);
    return 0;
}

/* ---- callbacks that keep what they saw ------------------------------------------------------ */

typedef struct seen {
    int n;
    int64_t ids[16];
    ph_market_decision first;
    char first_uscc[32], first_lender[64], first_reason[64], first_text[256], first_model[64];
    ph_market_application app;
    char app_uscc[32], app_purpose[32];
} seen;

static ph_status keep_decision(void *user, const ph_market_decision *d, ph_error *err)
{
    (void)err;
    seen *s = user;
    if (s->n == 0) {
        s->first = *d;
        snprintf(s->first_uscc, sizeof(s->first_uscc), "%s", d->uscc);
        snprintf(s->first_lender, sizeof(s->first_lender), "%s", d->lender);
        snprintf(s->first_model, sizeof(s->first_model), "%s", d->model);
        if (d->n_reasons > 0) {
            snprintf(s->first_reason, sizeof(s->first_reason), "%s", d->reasons[0].code);
            snprintf(s->first_text, sizeof(s->first_text), "%s", d->reasons[0].text);
        }
    }
    if (s->n < 16)
        s->ids[s->n] = d->id;
    s->n++;
    return PH_OK;
}

static ph_status keep_application(void *user, const ph_market_application *a, ph_error *err)
{
    (void)err;
    seen *s = user;
    s->app = *a;
    snprintf(s->app_uscc, sizeof(s->app_uscc), "%s", a->uscc);
    snprintf(s->app_purpose, sizeof(s->app_purpose), "%s", a->purpose);
    s->n++;
    return PH_OK;
}

static ph_status keep_appeal(void *user, const ph_appeal *a, ph_error *err)
{
    (void)err;
    seen *s = user;
    s->ids[0] = a->id;
    s->ids[1] = a->decision_id;
    snprintf(s->first_lender, sizeof(s->first_lender), "%s", a->lender);
    snprintf(s->first_uscc, sizeof(s->first_uscc), "%s", a->uscc);
    s->n++;
    return PH_OK;
}

/* ---- tests ------------------------------------------------------------------------------------ */

static void test_application_get(void **state)
{
    rd *r = *state;
    ph_error err;
    seen s = {0};
    ph_assert_ok(ph_market_application_get(r->f.store, r->app[1], keep_application, &s, &err),
                 &err);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.app.id, r->app[1]);
    assert_string_equal(s.app_uscc, FIRM_B);
    assert_string_equal(s.app_purpose, "working_capital");
    assert_int_equal(s.app.amount, 20000000);
    assert_int_equal(s.app.term, 12);
    assert_int_equal(s.app.guarantor, 0);
    assert_int_equal(s.app.asof, day("2025-12-31"));
    ph_assert_error(ph_market_application_get(r->f.store, 999, keep_application, &s, &err),
                    PH_ENOTFOUND, &err, "no application 999");
    assert_string_equal(err.field, "application");
}

static void test_decision_get(void **state)
{
    rd *r = *state;
    ph_error err;
    seen s = {0};
    ph_assert_ok(ph_market_decision_get(r->f.store, r->offer, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.first.application_id, r->app[0]);
    assert_string_equal(s.first_uscc, FIRM_A);
    assert_string_equal(s.first_lender, FX_LENDER);
    assert_true(s.first.served);
    assert_true(s.first.approved);
    assert_true(s.first.has_limit);
    assert_int_equal(s.first.limit, 50000000); /* 5 x 100,000.00 */
    assert_int_equal(s.first.amount, 20000000); /* the requested 200,000.00 */
    assert_int_equal(s.first.rate, 4200000);   /* 3.00% + 1.20% */
    assert_true(s.first.apr > 0);
    assert_true(isnan(s.first.score)); /* no model */
    assert_string_equal(s.first_model, "");
    assert_int_equal(s.first.n_reasons, 0);

    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_market_decision_get(r->f.store, r->decline, keep_decision, &s, &err), &err);
    assert_false(s.first.approved);
    assert_int_equal(s.first.amount, 0);
    assert_string_equal(s.first_reason, "INFLOW_TOO_LOW");
    assert_non_null(strstr(s.first_text, "avg_inflow_12m"));

    ph_assert_error(ph_market_decision_get(r->f.store, 4242, keep_decision, &s, &err),
                    PH_ENOTFOUND, &err, "no decision 4242");
    assert_string_equal(err.field, "decision");
}

static void test_decisions_list_filters(void **state)
{
    rd *r = *state;
    ph_error err;
    seen s = {0};
    /* all: six decisions, newest first */
    ph_assert_ok(ph_market_decisions_list(r->f.store, NULL, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 6);
    for (int i = 1; i < 6; i++)
        assert_true(s.ids[i] < s.ids[i - 1]);

    ph_market_decision_filter f = {0};
    f.lender = LENDER_2;
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.first_lender, LENDER_2);

    f.uscc = FIRM_A; /* LENDER_2's decisions on FIRM_A */
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 2);

    memset(&f, 0, sizeof(f));
    f.uscc = FIRM_A;
    f.outcome = PH_DECISIONS_APPROVED;
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 2);
    assert_true(s.first.approved);
    f.outcome = PH_DECISIONS_DECLINED;
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 2);
    assert_false(s.first.approved);

    memset(&f, 0, sizeof(f));
    f.application_id = r->app[0];
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 2);

    /* the period is the application's as-of date */
    memset(&f, 0, sizeof(f));
    f.from = day("2026-01-01");
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 0);
    f.from = day("2025-12-31");
    f.to = day("2025-12-31");
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &s, &err), &err);
    assert_int_equal(s.n, 6);
}

static void test_decisions_list_pages(void **state)
{
    rd *r = *state;
    ph_error err;
    ph_market_decision_filter f = {0};
    f.limit = 4;
    seen a = {0}, b = {0};
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &a, &err), &err);
    assert_int_equal(a.n, 4);
    f.after = a.ids[3];
    ph_assert_ok(ph_market_decisions_list(r->f.store, &f, keep_decision, &b, &err), &err);
    assert_int_equal(b.n, 2);
    assert_true(b.ids[0] < a.ids[3]);
    assert_int_equal(b.ids[1], 1);

    f.limit = -1;
    ph_assert_error(ph_market_decisions_list(r->f.store, &f, keep_decision, &b, &err), PH_EINVAL,
                    &err, "expected 0 (all) or more");
    assert_string_equal(err.field, "limit");
    f.limit = 0;
    f.from = day("2025-12-31");
    f.to = day("2025-12-01");
    ph_assert_error(ph_market_decisions_list(r->f.store, &f, keep_decision, &b, &err), PH_EINVAL,
                    &err, "expected a date on or after from");
    ph_assert_error(ph_market_decisions_list(NULL, &f, keep_decision, &b, &err), PH_EMISUSE,
                    &err, "NULL store");
}

static void test_appeal_get(void **state)
{
    rd *r = *state;
    ph_error err;
    int64_t id = 0;
    ph_assert_ok(ph_appeal_open(r->f.store, r->decline, "inflow doubled", &id, &err), &err);
    seen s = {0};
    ph_assert_ok(ph_appeal_get(r->f.store, id, keep_appeal, &s, &err), &err);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], id);
    assert_int_equal(s.ids[1], r->decline);
    assert_string_equal(s.first_lender, LENDER_2);
    assert_string_equal(s.first_uscc, FIRM_A);
    ph_assert_error(ph_appeal_get(r->f.store, id + 1, keep_appeal, &s, &err), PH_ENOTFOUND, &err,
                    "no appeal 2");
    assert_string_equal(err.field, "appeal");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_application_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decision_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decisions_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decisions_list_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appeal_get, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
