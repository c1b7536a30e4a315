/*
 * The application path: consent before data, and quotes that hold their
 * strings whole.
 *
 * Consent before data: a lender's consent is checked before any feed it
 * reads is read (docs/architecture.md, docs/marketplace.md). Every read
 * is a prepared statement, so a store test hook (store_internal.h) that
 * records the SQL prepared while an application is decided shows which
 * feeds were read. Here one lender reads nothing of the firm's feeds (its
 * policy reads only the application) and the other reads the payments
 * without the firm's consent: the application is decided, the second
 * lender is refused, and no payment row is read for either.
 */
#include "features_fixture.h"
#include "store/store_internal.h"

#define LENDER_OWN "91370000MA0000001A"  /* reads only the application */
#define LENDER_FEEDS "91370000MA0000002B" /* reads the payments: not consented */

static const char POLICY_OWN[] =
    "{\"lender\": \"" LENDER_OWN "\", \"name\": \"own\", \"version\": 1,"
    " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\", \"max_amount\": \"3,000,000\","
    "  \"min_term\": 3, \"max_term\": 24, \"repayment\": \"equal_installment\"},"
    " \"inputs\": [{\"name\": \"amount\", \"kind\": \"decimal\"},"
    "  {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
    " \"tables\": [],"
    " \"formulas\": [{\"name\": \"limit\", \"expr\": \"amount\"},"
    "  {\"name\": \"rate\", \"expr\": \"lpr + 0.01\"}],"
    " \"flow\": [{\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}";

static const char POLICY_FEEDS[] =
    "{\"lender\": \"" LENDER_FEEDS "\", \"name\": \"flows\", \"version\": 1,"
    " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\", \"max_amount\": \"3,000,000\","
    "  \"min_term\": 3, \"max_term\": 24, \"repayment\": \"equal_installment\"},"
    " \"inputs\": [{\"name\": \"avg_inflow_12m\", \"kind\": \"decimal\"},"
    "  {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
    " \"tables\": [],"
    " \"formulas\": [{\"name\": \"limit\", \"expr\": \"5 * avg_inflow_12m\"},"
    "  {\"name\": \"rate\", \"expr\": \"lpr + 0.012\"}],"
    " \"flow\": [{\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}";

/* The SQL prepared while the hook is set: did any statement read a feed? */
typedef struct reads {
    int payments; /* statements naming feed_payments_daily */
    int registration;
} reads;

static void record_prepare(void *user, const char *sql)
{
    reads *r = user;
    r->payments += strstr(sql, "feed_payments_daily") != NULL;
    r->registration += strstr(sql, "feed_registration") != NULL;
}

static void load_policy(fx *f, const char *name, const char *text)
{
    char *path = ph_test_path(f->dir, name);
    ph_test_write_file(path, text);
    ph_error err;
    ph_assert_ok(ph_policy_store_load(f->store, path, 1, NULL, &err), &err);
    free(path);
}

/* FIRM_A with 24 months of payments, registered, and the two lenders as
 * institutions; the LPR in force. */
static void add_firm_and_lenders(fx *f, const char *lender_own, const char *lender_feeds)
{
    fx_set_today(f, "2025-12-31");
    add_firm(f->store, FIRM_A, 370102, "C13", "2015-03-10", "active", NULL, "2015-03-11");
    for (int k = 0; k < 24; k++) {
        char month[16], date[40];
        snprintf(date, sizeof(date), "%s-15", month_k(k, month));
        add_payment(f->store, FIRM_A, date, 3, 10000000);
    }
    sqlf(f->store, "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES "
                   "('%s', 'A', 370102, 'C')", FIRM_A);
    sqlf(f->store, "INSERT INTO institution VALUES ('%s', 'Own Bank', 'commercial_bank')",
         lender_own);
    sqlf(f->store, "INSERT INTO institution VALUES ('%s', 'Flow Bank', 'commercial_bank')",
         lender_feeds);
    ph_error err;
    ph_assert_ok(ph_market_set_lpr(f->store, day("2025-01-01"), 3 * PH_RATE_PERCENT, &err),
                 &err);
}

static void test_refused_lender_feeds_are_not_read(void **state)
{
    fx *f = *state;
    add_firm_and_lenders(f, LENDER_OWN, LENDER_FEEDS);
    ph_error err;
    load_policy(f, "own.json", POLICY_OWN);
    load_policy(f, "feeds.json", POLICY_FEEDS);
    ph_market *market = NULL;
    ph_assert_ok(ph_market_open(f->store, &market, &err), &err);

    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    reads seen = {0, 0};
    store_set_prepare_hook(f->store, record_prepare, &seen);
    ph_market_result *r = NULL;
    ph_status st = ph_market_apply(market, &a, &r, &err);
    store_set_prepare_hook(f->store, NULL, NULL);
    ph_assert_ok(st, &err);

    assert_int_equal(ph_market_result_quote_count(r), 2);
    const ph_quote *refused = fx_quote_of(r, LENDER_FEEDS);
    assert_int_equal(refused->status, PH_QUOTE_NO_CONSENT);
    assert_non_null(strstr(refused->note, "payments_daily"));
    assert_int_equal(fx_quote_of(r, LENDER_OWN)->status, PH_QUOTE_OFFER);
    assert_true(seen.registration > 0); /* the firm exists and the appetite was matched */
    if (seen.payments != 0)
        fail_msg("the refused lender's feed was read: %d statement(s) on feed_payments_daily "
                 "while deciding, though no lender with consent reads it",
                 seen.payments);
    ph_market_result_free(r);
    ph_market_free(market);
}

/* A lender reading the firm's tax grade with its consent, beside one
 * refused the payments: the features are computed together once the first
 * consent is given, but the stored application keeps only the facts some
 * consented lender may see — the payments facts are null, the tax grade is
 * kept. */
#define LENDER_TAX "91370000MA0000003C"
static const char POLICY_TAX[] =
    "{\"lender\": \"" LENDER_TAX "\", \"name\": \"tax\", \"version\": 1,"
    " \"product\": {\"name\": \"p\", \"min_amount\": \"10,000\", \"max_amount\": \"3,000,000\","
    "  \"min_term\": 3, \"max_term\": 24, \"repayment\": \"equal_installment\"},"
    " \"inputs\": [{\"name\": \"tax_grade_score\", \"kind\": \"decimal\"},"
    "  {\"name\": \"amount\", \"kind\": \"decimal\"}, {\"name\": \"lpr\", \"kind\": \"decimal\"}],"
    " \"tables\": [],"
    " \"formulas\": [{\"name\": \"limit\", \"expr\": \"amount\"},"
    "  {\"name\": \"rate\", \"expr\": \"lpr + 0.01\"}],"
    " \"flow\": [{\"formula\": \"limit\"}, {\"formula\": \"rate\"}]}";

static void test_refused_features_are_not_stored(void **state)
{
    fx *f = *state;
    add_firm_and_lenders(f, LENDER_TAX, LENDER_FEEDS);
    sqlf(f->store, "INSERT INTO feed_tax_grades VALUES ('%s', 2024, 'A', '2025-04-15', "
                   "'2025-04-15', 1, 1, 0)",
         FIRM_A);
    fx_grant(f, FIRM_A, LENDER_TAX, "tax_grades", "2025-12-01", "2026-11-30");
    ph_error err;
    ph_date days[1] = {day("2025-12-31")};
    ph_assert_ok(ph_features_refresh(f->store, days, 1, NULL, &err), &err);
    load_policy(f, "tax.json", POLICY_TAX);
    load_policy(f, "feeds.json", POLICY_FEEDS);
    ph_market *market = NULL;
    ph_assert_ok(ph_market_open(f->store, &market, &err), &err);
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_market_result *r = NULL;
    ph_assert_ok(ph_market_apply(market, &a, &r, &err), &err);
    assert_int_equal(fx_quote_of(r, LENDER_FEEDS)->status, PH_QUOTE_NO_CONSENT);
    assert_int_equal(fx_quote_of(r, LENDER_TAX)->status, PH_QUOTE_OFFER);
    ph_market_result_free(r);
    ph_market_free(market);

    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(f->store, "SELECT facts FROM application", &stmt, &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_OK);
    const char *facts = ph_stmt_column_text(stmt, 0);
    if (strstr(facts, "\"tax_grade_score\":\"4\"") == NULL)
        fail_msg("the consented tax grade is not stored: %s", facts);
    if (strstr(facts, "\"inflow_12m\":null") == NULL ||
        strstr(facts, "\"avg_inflow_12m\":null") == NULL)
        fail_msg("a payments feature was stored though no consented lender may see it: %s",
                 facts);
    ph_stmt_free(stmt);
}

/* text with every `from` replaced by `to` (malloc'd). */
static char *replaced(const char *text, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    for (const char *p = strstr(text, from); p; p = strstr(p + lf, from))
        n++;
    char *out = malloc(strlen(text) + n * lt + 1), *w = out;
    for (const char *p = text, *q; ; p = q + lf) {
        q = strstr(p, from);
        size_t k = q ? (size_t)(q - p) : strlen(p);
        memcpy(w, p, k);
        w += k;
        if (q == NULL)
            break;
        memcpy(w, to, lt);
        w += lt;
    }
    *w = '\0';
    return out;
}

/* Lender ids of 100 and 250 characters, a policy name of 150 and a refusal
 * note past 320 bytes come back whole (they were cut at 63, 127 and 319). */
static void test_long_strings_are_whole(void **state)
{
    fx *f = *state;
    char own[101], feeds[251], name[151];
    memset(own, 'O', 100);
    memset(feeds, 'F', 250);
    memset(name, 'n', 150);
    own[100] = feeds[250] = name[150] = '\0';
    add_firm_and_lenders(f, own, feeds);
    char *own_lender = replaced(POLICY_OWN, LENDER_OWN, own);
    char *own_policy = replaced(own_lender, "\"name\": \"own\"", "\"name\": \"NAME\"");
    char *own_named = replaced(own_policy, "NAME", name);
    char *feeds_policy = replaced(POLICY_FEEDS, LENDER_FEEDS, feeds);
    load_policy(f, "own.json", own_named);
    load_policy(f, "feeds.json", feeds_policy);
    free(own_lender);
    free(own_policy);
    free(own_named);
    free(feeds_policy);
    char registered[301]; /* a registered name past any buffer the market once held */
    memset(registered, 'r', 300);
    registered[300] = '\0';
    sqlf(f->store, "UPDATE institution SET name = '%s' WHERE id = '%s'", registered, own);
    ph_error err;
    ph_market *market = NULL;
    ph_assert_ok(ph_market_open(f->store, &market, &err), &err);
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_market_result *r = NULL;
    ph_assert_ok(ph_market_apply(market, &a, &r, &err), &err);
    assert_int_equal(ph_market_result_quote_count(r), 2);
    const ph_quote *offer = ph_market_result_quote(r, 0);
    assert_int_equal(offer->status, PH_QUOTE_OFFER);
    assert_string_equal(offer->lender, own);
    assert_string_equal(offer->lender_name, registered);
    assert_string_equal(offer->policy, name);
    const ph_quote *refused = ph_market_result_quote(r, 1);
    assert_int_equal(refused->status, PH_QUOTE_NO_CONSENT);
    assert_string_equal(refused->lender, feeds);
    assert_non_null(strstr(refused->note, feeds));
    if (strlen(refused->note) <= 320)
        fail_msg("expected a note past 320 bytes, got %zu: %s", strlen(refused->note),
                 refused->note);
    assert_null(ph_market_result_quote(r, 2));
    /* and the decision of the long-named lender replays: lender and policy read back whole */
    ph_replay_report rep;
    ph_assert_ok(ph_market_replay(f->store, offer->decision_id, &rep, &err), &err);
    assert_true(rep.identical);
    ph_market_result_free(r);
    /* a second application, then the market view: one row per lender, ids whole */
    ph_assert_ok(ph_market_apply(market, &a, &r, &err), &err);
    ph_market_result_free(r);
    ph_market_report *view = NULL;
    ph_assert_ok(ph_market_report_build(f->store, 0, 0, &view, &err), &err);
    assert_int_equal(view->n_lenders, 2);
    assert_string_equal(view->lenders[0].lender, feeds); /* "F..." sorts before "O..." */
    assert_int_equal(view->lenders[0].not_asked, 2);
    assert_string_equal(view->lenders[1].lender, own);
    assert_string_equal(view->lenders[1].lender_name, registered);
    assert_int_equal(view->lenders[1].asked, 2);
    assert_string_equal(view->lenders[2].lender_name, "all lenders");
    ph_market_report_free(view);
    ph_market_free(market);
}

/* A model name longer than the market holds is refused by name, never cut
 * to another model's name: the lender cannot quote, and says why. */
static void test_long_model_name_is_refused(void **state)
{
    fx *f = *state;
    add_firm_and_lenders(f, LENDER_OWN, LENDER_FEEDS);
    char model[121], member[200];
    memset(model, 'm', 120);
    model[120] = '\0';
    snprintf(member, sizeof(member), "\"model\": \"%s\", \"inputs\"", model);
    char *text = replaced(POLICY_OWN, "\"inputs\"", member);
    load_policy(f, "own.json", text);
    free(text);
    ph_error err;
    ph_market *market = NULL;
    ph_assert_ok(ph_market_open(f->store, &market, &err), &err);
    assert_int_equal(ph_market_lender_count(market), 1);
    const char *why = ph_market_lender_error(market, 0);
    if (strstr(why, "expected a model name of at most 95 bytes, found 120") == NULL)
        fail_msg("expected the model name's length refused, got: %s", why);
    ph_market_free(market);
}

/* A lender whose appetite lists 40 regions, none the firm's: the note
 * names every one (the list was cut at 159 bytes). */
static void test_long_appetite_note_is_whole(void **state)
{
    fx *f = *state;
    add_firm_and_lenders(f, LENDER_OWN, LENDER_FEEDS);
    char regions[1024] = "\"appetite\": {\"regions\": [";
    for (int i = 0; i < 40; i++) {
        char one[16];
        snprintf(one, sizeof(one), "%s\"3799%02d\"", i ? ", " : "", i);
        strcat(regions, one);
    }
    strcat(regions, "]}, \"inputs\"");
    char *text = replaced(POLICY_OWN, "\"inputs\"", regions);
    load_policy(f, "own.json", text);
    free(text);
    ph_error err;
    ph_market *market = NULL;
    ph_assert_ok(ph_market_open(f->store, &market, &err), &err);
    ph_application a = fx_app_of(FIRM_A, 20000000, 12);
    ph_market_result *r = NULL;
    ph_assert_ok(ph_market_apply(market, &a, &r, &err), &err);
    const ph_quote *q = ph_market_result_quote(r, 0);
    assert_int_equal(q->status, PH_QUOTE_NOT_MATCHED);
    if (strstr(q->note, "region 370102 is outside the lender's appetite (379900, 379901, ") ==
            NULL ||
        strstr(q->note, ", 379939)") == NULL)
        fail_msg("expected the whole list of 40 regions, got: %s", q->note);
    ph_market_result_free(r);
    ph_market_free(market);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refused_lender_feeds_are_not_read, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_refused_features_are_not_stored, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_long_strings_are_whole, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_long_model_name_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_long_appetite_note_is_whole, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
