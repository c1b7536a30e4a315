/* Consent and the access gate (src/access): purposes and source sets, grant,
 * revoke, list, every refusal with its exact message, the log entry every
 * decision appends, and raw records under a raw-access consent. */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    char *dir;
    int64_t now; /* the fixture's clock (ph_ctx_options.now): seconds since 1970 */
    int64_t tick; /* added to `now` after each reading of the clock (0: it stands still) */
    ph_ctx *ctx;
    ph_store *store;
    char firm[PH_USCC_LEN + 1];  /* registered */
    char other[PH_USCC_LEN + 1]; /* registered, no consents */
} fixture;

static ph_date day(const char *text)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(text, strlen(text), &d, &err), &err);
    return d;
}

static ph_source_set sources(const char *list)
{
    ph_source_set set = 0;
    ph_error err;
    ph_assert_ok(ph_source_set_parse(list, 0, &set, &err), &err);
    return set;
}

static int64_t fixture_clock(void *user)
{
    fixture *fx = user;
    int64_t now = fx->now;
    fx->now += fx->tick;
    return now;
}

/* Set the wall clock to noon of `text`: the same calendar day in every time
 * zone within 12 hours of UTC, so "today" is `text` wherever tests run. */
static void set_today(fixture *fx, const char *text)
{
    fx->now = (int64_t)day(text) * 86400 + 12 * 3600;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->dir = ph_test_tmpdir("consent");
    set_today(fx, "2025-01-01");
    ph_error err;
    ph_error_clear(&err);
    ph_ctx_options options = {0};
    options.log_level = PH_LOG_WARN;
    options.now = fixture_clock;
    options.now_user = fx;
    ph_assert_ok(ph_ctx_new(&options, &fx->ctx, &err), &err);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "p.db");
    ph_test_add_parties(fx->store, fx->firm, fx->other);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_ctx_free(fx->ctx);
    ph_test_rmtree(fx->dir);
    free(fx->dir);
    free(fx);
    return 0;
}

/* A consent recorded on the day it begins (the clock is set to `from`). */
static int64_t grant(fixture *fx, const char *institution, unsigned purpose, const char *list,
                     int raw, const char *from, const char *until)
{
    set_today(fx, from);
    ph_consent_terms t = {fx->firm, institution, purpose, sources(list), raw, day(from),
                          day(until)};
    int64_t id = 0;
    ph_error err;
    ph_assert_ok(ph_consent_grant(fx->store, &t, &id, &err), &err);
    return id;
}

/* A read made on `today` (the clock is set to it), of data as of today. */
static ph_access_request request(fixture *fx, unsigned purpose, const char *list,
                                 const char *today)
{
    set_today(fx, today);
    ph_access_request req;
    memset(&req, 0, sizeof(req));
    req.institution_id = "BANK01";
    req.uscc = fx->firm;
    req.purpose = purpose;
    req.sources = sources(list);
    req.on = 0;
    req.what = "profile asof 2025-03-31";
    return req;
}

static int64_t log_count(fixture *fx)
{
    return ph_test_query_int(fx->store, "SELECT COUNT(*) FROM access_log");
}

/* --- purposes and source sets ------------------------------------------------- */

static void test_purposes(void **state)
{
    (void)state;
    unsigned p = 0;
    ph_error err;
    ph_assert_ok(ph_purpose_parse("supply_chain", &p, &err), &err);
    assert_int_equal(p, PH_PURPOSE_SUPPLY_CHAIN);
    ph_assert_ok(ph_purpose_parse("monitoring", &p, &err), &err);
    assert_int_equal(p, PH_PURPOSE_MONITORING);
    ph_assert_error(ph_purpose_parse("Credit", &p, &err), PH_EINVAL, &err,
                    "field purpose, value 'Credit': expected credit, monitoring or "
                    "supply_chain");
    assert_int_equal(p, PH_PURPOSE_MONITORING);
    ph_assert_error(ph_purpose_parse(NULL, &p, &err), PH_EMISUSE, &err, NULL);
    assert_string_equal(ph_purpose_title(PH_PURPOSE_CREDIT), "credit assessment");
    assert_string_equal(ph_purpose_title(PH_PURPOSE_MONITORING), "post-loan monitoring");
    assert_string_equal(ph_purpose_title(PH_PURPOSE_SUPPLY_CHAIN), "supply-chain finance");
    assert_null(ph_purpose_title(PH_PURPOSE_ALL));
    assert_null(ph_purpose_title(0));
}

static void test_source_sets(void **state)
{
    (void)state;
    ph_source_set set = 0;
    ph_error err;
    char buf[PH_SOURCE_SET_FORMAT_MAX];
    ph_assert_ok(ph_source_set_parse(" payments_daily ,vat_invoices,payments_daily", 0, &set,
                                     &err),
                 &err);
    ph_assert_ok(ph_source_set_format(set, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "vat_invoices,payments_daily"); /* catalogue order, once each */

    ph_assert_ok(ph_source_set_parse("all", PH_PURPOSE_SUPPLY_CHAIN, &set, &err), &err);
    ph_assert_ok(ph_source_set_format(set, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "registration,vat_invoices,payments_daily,supply_chain,"
                             "warehouse_lots,warehouse_iot,commodity_prices,core_enterprises");
    assert_true(set == ph_source_set_for_purpose(PH_PURPOSE_SUPPLY_CHAIN));
    ph_assert_ok(ph_source_set_parse("all", 0, &set, &err), &err);
    assert_int_equal(__builtin_popcountll(set), 24); /* every stored feed, no truth file */
    ph_assert_ok(ph_source_set_parse("all", PH_PURPOSE_CREDIT, &set, &err), &err);
    assert_true((set & sources("patents")) != 0);
    assert_true((set & sources("supply_chain")) == 0);
    /* the early-warning feeds serve monitoring only */
    assert_true((set & sources("logistics_gps,public_opinion")) == 0);
    ph_assert_ok(ph_source_set_parse("all", PH_PURPOSE_MONITORING, &set, &err), &err);
    assert_true(set == (set | sources("logistics_gps,public_opinion")));
    ph_assert_error(ph_source_set_parse("public_opinion", PH_PURPOSE_CREDIT, &set, &err),
                    PH_EINVAL, &err, "public_opinion serves monitoring only");

    ph_source_set before = set;
    ph_assert_error(ph_source_set_parse("vat_invoices,nope", 0, &set, &err), PH_EINVAL, &err,
                    "field sources, value 'nope': expected the name of a feed of the catalogue");
    assert_true(set == before);
    ph_assert_error(ph_source_set_parse("truth_pd", 0, &set, &err), PH_EINVAL, &err,
                    "field sources, value 'truth_pd': expected a feed stored by the platform; "
                    "truth/ files are never shared");
    ph_assert_error(ph_source_set_parse("patents", PH_PURPOSE_MONITORING, &set, &err),
                    PH_EINVAL, &err,
                    "field sources, value 'patents': expected a source used for post-loan "
                    "monitoring; patents serves credit only");
    ph_assert_error(ph_source_set_parse("tax_grades", PH_PURPOSE_SUPPLY_CHAIN, &set, &err),
                    PH_EINVAL, &err, "tax_grades serves credit, monitoring only");
    ph_assert_error(ph_source_set_parse("", 0, &set, &err), PH_EINVAL, &err,
                    "field sources: expected feed names separated by ',', or all; got an "
                    "empty list");
    ph_assert_error(ph_source_set_parse("vat_invoices,,patents", 0, &set, &err), PH_EINVAL,
                    &err, "found an empty name");
    ph_assert_error(ph_source_set_parse("all", 3, &set, &err), PH_EMISUSE, &err, NULL);

    ph_assert_ok(ph_source_set_format(0, buf, sizeof(buf), &err), &err);
    assert_string_equal(buf, "");
    ph_assert_error(ph_source_set_format(sources("vat_invoices"), buf, 12, &err), PH_EMISUSE,
                    &err, "field buf");
    ph_assert_error(ph_source_set_format(PH_SOURCE_BIT(63), buf, sizeof(buf), &err), PH_EINVAL,
                    &err, "field sources, value '0x8000000000000000': expected bits of stored "
                    "feeds");
    set = 0;
    ph_assert_ok(ph_source_set_add(&set, "patents", &err), &err);
    ph_assert_ok(ph_source_set_add(&set, "tax_grades", &err), &err);
    assert_true(set == sources("tax_grades,patents"));
}

/* --- grant, list, revoke ---------------------------------------------------------------- */

typedef struct listed {
    size_t count;
    int64_t ids[8];
    ph_consent last;
    char sources[PH_SOURCE_SET_FORMAT_MAX];
    int revoked[8];
} listed;

static ph_status collect(void *user, const ph_consent *c, ph_error *err)
{
    listed *l = user;
    assert_true(l->count < 8);
    l->revoked[l->count] = c->revoked_at != NULL;
    l->ids[l->count++] = c->id;
    l->last = *c;
    l->last.uscc = l->last.institution_id = l->last.created_at = l->last.revoked_at = NULL;
    return ph_source_set_format(c->sources, l->sources, sizeof(l->sources), err);
}

/* With `today`, the clock is set to it first. */
static listed list(fixture *fx, const char *uscc, const char *institution, int live,
                   const char *today)
{
    listed l;
    memset(&l, 0, sizeof(l));
    if (today != NULL)
        set_today(fx, today);
    ph_consent_filter f = {uscc, institution, live, 0, 0};
    ph_error err;
    ph_assert_ok(ph_consent_list(fx->store, &f, collect, &l, &err), &err);
    return l;
}

static void test_grant_and_list(void **state)
{
    fixture *fx = *state;
    int64_t a = grant(fx, "BANK01", PH_PURPOSE_CREDIT, "vat_invoices,tax_payments", 0,
                      "2025-01-01", "2025-12-31");
    int64_t b = grant(fx, "BANK02", PH_PURPOSE_MONITORING, "payments_daily", 1, "2025-06-01",
                      "2026-05-31");
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM consent WHERE id = 1 "
                                                  "AND sources = 'vat_invoices,tax_payments' "
                                                  "AND purpose = 'credit' AND raw_access = 0 AND "
                                                  "granted_on = '2025-01-01' AND expires_on = "
                                                  "'2025-12-31' AND revoked_at IS NULL AND "
                                                  "created_at LIKE '20__-__-__T__:__:__Z'"),
                     1);

    listed l = list(fx, NULL, NULL, 0, NULL);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.last.id, 2);
    assert_int_equal(l.last.purpose, PH_PURPOSE_MONITORING);
    assert_int_equal(l.last.raw_access, 1);
    assert_int_equal(l.last.granted_on, day("2025-06-01"));
    assert_int_equal(l.last.expires_on, day("2026-05-31"));
    assert_string_equal(l.sources, "payments_daily");

    assert_int_equal(list(fx, fx->firm, NULL, 0, NULL).count, 2);
    assert_int_equal(list(fx, fx->other, NULL, 0, NULL).count, 0);
    l = list(fx, NULL, "BANK01", 0, NULL);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.ids[0], 1);
    /* one consent by id, alone or with its firm */
    ph_consent_filter by_id = {NULL, NULL, 0, 2, 0};
    listed one;
    memset(&one, 0, sizeof(one));
    ph_error e2;
    ph_assert_ok(ph_consent_list(fx->store, &by_id, collect, &one, &e2), &e2);
    assert_int_equal(one.count, 1);
    assert_int_equal(one.ids[0], 2);
    by_id.uscc = fx->other; /* not the other firm's */
    memset(&one, 0, sizeof(one));
    ph_assert_ok(ph_consent_list(fx->store, &by_id, collect, &one, &e2), &e2);
    assert_int_equal(one.count, 0);
    /* one purpose only: the early warning's daily re-check */
    ph_consent_filter by_purpose = {NULL, NULL, 0, 0, PH_PURPOSE_MONITORING};
    memset(&one, 0, sizeof(one));
    ph_assert_ok(ph_consent_list(fx->store, &by_purpose, collect, &one, &e2), &e2);
    assert_int_equal(one.count, 1);
    assert_int_equal(one.ids[0], 2);
    by_purpose.purpose = PH_PURPOSE_CREDIT | PH_PURPOSE_MONITORING;
    ph_assert_error(ph_consent_list(fx->store, &by_purpose, collect, &one, &e2), PH_EINVAL, &e2,
                    "field purpose, value '3': expected 0 (every purpose) or one purpose bit");
    l = list(fx, NULL, NULL, 1, "2025-03-01"); /* only the first has started */
    assert_int_equal(l.count, 1);
    assert_int_equal(l.ids[0], 1);
    l = list(fx, NULL, NULL, 1, "2025-12-31"); /* the last day is included */
    assert_int_equal(l.count, 2);
    l = list(fx, NULL, NULL, 1, "2026-01-01");
    assert_int_equal(l.count, 1);
    assert_int_equal(l.ids[0], 2);

    /* "all" expands to an explicit list when granted */
    set_today(fx, "2025-01-01");
    ph_consent_terms t = {fx->firm, "BANK01", PH_PURPOSE_SUPPLY_CHAIN,
                          ph_source_set_for_purpose(PH_PURPOSE_SUPPLY_CHAIN), 0,
                          day("2025-01-01"), day("2025-01-01")};
    int64_t id = 0;
    ph_error err;
    ph_assert_ok(ph_consent_grant(fx->store, &t, &id, &err), &err);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM consent WHERE id = 3 AND sources "
                                       "= 'registration,vat_invoices,payments_daily,"
                                       "supply_chain,warehouse_lots,warehouse_iot,"
                                       "commodity_prices,core_enterprises'"),
                     1);
}

static void test_grant_refusals(void **state)
{
    fixture *fx = *state;
    ph_error err;
    int64_t id = 99;
    ph_consent_terms good = {fx->firm, "BANK01", PH_PURPOSE_CREDIT, sources("vat_invoices"), 0,
                             day("2025-01-01"), day("2025-12-31")};
    ph_consent_terms t = good;
    t.uscc = "91370102MA00000000";
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_ENOTFOUND, &err,
                    "field enterprise, value '91370102MA00000000': expected an enterprise "
                    "registered in the database (table enterprise)");
    t = good;
    t.institution_id = "NOBANK";
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_ENOTFOUND, &err,
                    "field institution, value 'NOBANK': expected an institution registered in "
                    "the database (table institution)");
    t = good;
    t.purpose = PH_PURPOSE_CREDIT | PH_PURPOSE_MONITORING;
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_EINVAL, &err,
                    "field purpose, value '0x3': expected exactly one of PH_PURPOSE_CREDIT");
    t = good;
    t.sources = 0;
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_EINVAL, &err,
                    "field sources: expected at least one source");
    t = good;
    t.purpose = PH_PURPOSE_MONITORING;
    t.sources = sources("vat_invoices,patents");
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_EINVAL, &err,
                    "field sources, value 'patents': expected a source used for post-loan "
                    "monitoring; patents serves credit only");
    t = good;
    t.sources = PH_SOURCE_BIT(ph_feed_count() - 1); /* a truth file */
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_EINVAL, &err,
                    "expected bits of stored feeds");
    t = good;
    t.raw_access = 2;
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_EINVAL, &err,
                    "field raw_access, value '2': expected 0 or 1");
    t = good;
    t.expires_on = 0;
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_EINVAL, &err,
                    "field expires_on: expected the last day the consent is valid");
    t = good;
    t.expires_on = day("2024-12-31");
    ph_assert_error(ph_consent_grant(fx->store, &t, &id, &err), PH_EINVAL, &err,
                    "field expires_on, value '2024-12-31': expected a date on or after "
                    "granted_on 2025-01-01");
    ph_assert_error(ph_consent_grant(fx->store, NULL, &id, &err), PH_EMISUSE, &err, NULL);
    assert_int_equal(id, 99);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM consent"), 0);

    /* granted_on 0 is today; a one-day consent is fine */
    ph_date today = 0;
    ph_assert_ok(ph_ctx_today(fx->ctx, &today, &err), &err);
    t = good;
    t.granted_on = 0;
    t.expires_on = today;
    ph_assert_ok(ph_consent_grant(fx->store, &t, &id, &err), &err);
    assert_int_equal(id, 1);
    listed l = list(fx, NULL, NULL, 1, NULL);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.last.granted_on, today);
}

static void test_revoke(void **state)
{
    fixture *fx = *state;
    ph_error err;
    int64_t a = grant(fx, "BANK01", PH_PURPOSE_CREDIT, "vat_invoices", 0, "2025-01-01",
                      "2025-12-31");
    int64_t b = grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily", 0, "2025-01-01",
                      "2025-12-31");
    int64_t c = grant(fx, "BANK01", PH_PURPOSE_MONITORING, "payments_daily", 0, "2025-01-01",
                      "2025-12-31");
    ph_assert_ok(ph_consent_revoke(fx->store, a, &err), &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM consent WHERE id = 1 "
                                                  "AND revoked_at LIKE '20__-__-__T__:__:__Z'"),
                     1);
    ph_assert_error(ph_consent_revoke(fx->store, a, &err), PH_EINVAL, &err,
                    "field id, value '1': expected a consent not yet revoked; consent 1 was "
                    "revoked at 20");
    ph_assert_error(ph_consent_revoke(fx->store, 42, &err), PH_ENOTFOUND, &err,
                    "field id, value '42': expected the id of a consent; there is no consent "
                    "42");
    int64_t revoked = -1;
    ph_assert_ok(ph_consent_revoke_matching(fx->store, fx->firm, "BANK01", PH_PURPOSE_CREDIT,
                                            &revoked, &err),
                 &err);
    assert_int_equal(revoked, 1); /* b: a was revoked already, c is another purpose */
    char msg[256];
    snprintf(msg, sizeof(msg),
             "field consent: expected a consent not yet revoked from %s to institution BANK01 "
             "for credit assessment; there is none",
             fx->firm);
    ph_assert_error(ph_consent_revoke_matching(fx->store, fx->firm, "BANK01",
                                               PH_PURPOSE_CREDIT, &revoked, &err),
                    PH_ENOTFOUND, &err, msg);
    assert_int_equal(revoked, 1);
    ph_assert_error(ph_consent_revoke_matching(fx->store, fx->firm, "BANK01", 0, &revoked, &err),
                    PH_EINVAL, &err, "field purpose");
    listed l = list(fx, NULL, NULL, 0, NULL);
    assert_int_equal(l.count, 3);
    assert_true(l.revoked[0] && l.revoked[1] && !l.revoked[2]);
    assert_int_equal(l.ids[1], b);
    assert_int_equal(l.ids[2], c);
    assert_int_equal(list(fx, NULL, NULL, 1, "2025-06-01").count, 1);
    ph_assert_error(ph_consent_revoke(NULL, 1, &err), PH_EMISUSE, &err, NULL);
}

/* --- the gate ------------------------------------------------------------------------ */

static void test_gate_allows_and_logs(void **state)
{
    fixture *fx = *state;
    ph_error err;
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "vat_invoices", 0, "2025-01-01", "2025-12-31");
    grant(fx, "BANK02", PH_PURPOSE_CREDIT, "payments_daily", 0, "2025-01-01", "2025-12-31");
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily,vat_invoices", 0, "2025-01-01",
          "2025-12-31");
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "tax_payments", 0, "2025-01-01", "2025-12-31");

    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2025-03-31");
    ph_access_grant g;
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_int_equal(g.log_seq, 1);
    assert_true(g.allowed == sources("vat_invoices"));
    assert_true(g.refused == 0);
    assert_int_equal(g.consent_count, 1);
    assert_int_equal(g.consent_ids[0], 1);

    /* several consents together: 1 gives vat_invoices, 3 adds payments_daily, 4 tax */
    req = request(fx, PH_PURPOSE_CREDIT, "tax_payments,payments_daily,vat_invoices",
                  "2025-12-31");
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_int_equal(g.log_seq, 2);
    assert_true(g.allowed == req.sources);
    assert_int_equal(g.consent_count, 3);
    assert_int_equal(g.consent_ids[0], 1);
    assert_int_equal(g.consent_ids[1], 3);
    assert_int_equal(g.consent_ids[2], 4);

    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM access_log WHERE seq = 2 AND institution_id = 'BANK01' AND "
             "uscc = '%s' AND purpose = 'credit' AND outcome = 'allowed' AND what = 'profile "
             "asof 2025-03-31' AND sources = 'vat_invoices,tax_payments,payments_daily' AND "
             "raw = 0 AND consents = '1,3,4' AND reason = '' AND at LIKE "
             "'20__-__-__T__:__:__Z' AND prev_hash = (SELECT hash FROM access_log WHERE seq = "
             "1) AND length(hash) = 64",
             fx->firm);
    assert_int_equal(ph_test_query_int(fx->store, sql), 1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM access_log WHERE seq "
                                                  "= 1 AND prev_hash = '"
                                                  "0000000000000000000000000000000000000000"
                                                  "000000000000000000000000'"),
                     1);
    /* the first and last day of validity both count */
    req = request(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2025-01-01");
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_int_equal(g.log_seq, 3);
    assert_int_equal(log_count(fx), 3);
}

/* Check that req is refused with exactly `message`, and that the refusal was
 * logged with that reason. */
static void expect_denied(fixture *fx, const ph_access_request *req, const char *message)
{
    ph_error err;
    ph_access_grant g;
    memset(&g, 0x5a, sizeof(g));
    int64_t before = log_count(fx);
    ph_assert_error(ph_access_check(fx->store, req, &g, &err), PH_EDENIED, &err, NULL);
    assert_string_equal(err.message, message);
    assert_int_equal(g.log_seq, 0x5a5a5a5a5a5a5a5a); /* untouched */
    assert_int_equal(log_count(fx), before + 1);
    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(fx->store,
                                  "SELECT outcome, reason, consents FROM access_log "
                                  "ORDER BY seq DESC LIMIT 1",
                                  &stmt, &err),
                 &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_string_equal(ph_stmt_column_text(stmt, 0), "denied");
    assert_string_equal(ph_stmt_column_text(stmt, 1), message);
    assert_string_equal(ph_stmt_column_text(stmt, 2), "");
    ph_stmt_free(stmt);
}

static void test_gate_refusals(void **state)
{
    fixture *fx = *state;
    char base[256], msg[512];
    snprintf(base, sizeof(base), "no live consent from %s for institution BANK01 to ",
             fx->firm);

    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "payments_daily,tax_payments",
                                    "2025-07-01");
    snprintf(msg, sizeof(msg), "%suse tax_payments, payments_daily for credit assessment",
             base);
    expect_denied(fx, &req, msg); /* no consent at all */

    grant(fx, "BANK01", PH_PURPOSE_MONITORING, "payments_daily", 0, "2025-01-01",
          "2025-12-31");
    int64_t expired = grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily,tax_payments", 0,
                            "2025-01-01", "2025-06-30");
    set_today(fx, "2025-07-01");
    snprintf(msg, sizeof(msg),
             "%suse tax_payments, payments_daily for credit assessment; consent 1 is for "
             "post-loan monitoring; consent 2 expired on 2025-06-30",
             base);
    expect_denied(fx, &req, msg);
    assert_int_equal(expired, 2);

    set_today(fx, "2025-06-30"); /* still valid on its last day */
    ph_access_grant g;
    ph_error err;
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);

    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily", 0, "2026-01-01", "2026-12-31");
    req = request(fx, PH_PURPOSE_CREDIT, "payments_daily", "2025-12-31");
    snprintf(msg, sizeof(msg),
             "%suse payments_daily for credit assessment; consent 1 is for post-loan "
             "monitoring; consent 2 expired on 2025-06-30; consent 3 is valid only from "
             "2026-01-01",
             base);
    expect_denied(fx, &req, msg);

    /* revocation takes effect at once: allowed, revoked, refused */
    int64_t live = grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily", 0, "2025-01-01",
                         "2025-12-31");
    set_today(fx, "2025-12-31");
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_int_equal(g.consent_ids[0], live);
    ph_assert_ok(ph_consent_revoke(fx->store, live, &err), &err);
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EDENIED, &err,
                    "; consent 4 was revoked at 20");

    /* a live consent that covers other sources */
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "vat_invoices,registration", 0, "2025-01-01",
          "2025-12-31");
    req = request(fx, PH_PURPOSE_CREDIT, "vat_invoices,social_security", "2025-12-31");
    snprintf(msg, sizeof(msg),
             "%suse social_security for credit assessment; consent 5 covers only "
             "registration,vat_invoices",
             base);
    expect_denied(fx, &req, msg);

    /* raw records need raw access */
    req = request(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2025-12-31");
    req.raw = 1;
    snprintf(msg, sizeof(msg),
             "%sread raw records of vat_invoices for credit assessment; consent 5 does not "
             "grant raw records",
             base);
    expect_denied(fx, &req, msg);

    /* a source the catalogue does not allow for the purpose */
    req = request(fx, PH_PURPOSE_MONITORING, "patents", "2025-12-31");
    snprintf(msg, sizeof(msg),
             "%suse patents for post-loan monitoring; the catalogue does not allow patents for "
             "post-loan monitoring; consent 1 covers only payments_daily",
             base);
    expect_denied(fx, &req, msg);

    /* another institution gets nothing from BANK01's consents */
    req = request(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2025-12-31");
    req.institution_id = "BANK02";
    snprintf(msg, sizeof(msg),
             "no live consent from %s for institution BANK02 to use vat_invoices for credit "
             "assessment",
             fx->firm);
    expect_denied(fx, &req, msg);
}

static void test_gate_clause_limit(void **state)
{
    fixture *fx = *state;
    for (int i = 0; i < 6; i++)
        grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily", 0, "2024-01-01", "2024-12-31");
    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "payments_daily", "2025-01-01");
    ph_error err;
    ph_access_grant g;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EDENIED, &err,
                    "; consent 4 expired on 2024-12-31; and 2 more");
}

static void test_gate_bad_requests(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_access_grant g;
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "vat_invoices", 0, "2025-01-01", "2025-12-31");
    ph_access_request good = request(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2025-03-31");
    ph_access_request req = good;
    req.uscc = fx->other;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EDENIED, &err, NULL);
    req.uscc = "91370102MA00000000";
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_ENOTFOUND, &err,
                    "field enterprise, value '91370102MA00000000': expected an enterprise "
                    "registered");
    req = good;
    req.institution_id = "NOBANK";
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_ENOTFOUND, &err,
                    "field institution, value 'NOBANK': expected an institution registered");
    req = good;
    req.purpose = 8;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EINVAL, &err,
                    "field purpose, value '0x8'");
    req = good;
    req.sources = 0;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EINVAL, &err,
                    "field sources: expected at least one source the read needs");
    req.sources = PH_SOURCE_BIT(ph_feed_count() - 1);
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EINVAL, &err,
                    "expected bits of stored feeds");
    req = good;
    req.what = "";
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EINVAL, &err,
                    "field what: expected a short description");
    req = good;
    req.mode = (ph_access_mode)7;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EINVAL, &err,
                    "field mode, value '7'");
    req = good;
    req.what = NULL;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EMISUSE, &err, NULL);
    ph_assert_error(ph_access_check(fx->store, &good, NULL, &err), PH_EMISUSE, &err, NULL);
    /* only the well-formed request about the unconsented firm was decided, and logged */
    assert_int_equal(log_count(fx), 1);
}

static void test_gate_subset(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_access_grant g;
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "vat_invoices,tax_grades", 0, "2025-01-01",
          "2025-12-31");
    ph_access_request req = request(fx, PH_PURPOSE_CREDIT,
                                    "vat_invoices,tax_grades,payments_daily,patents",
                                    "2025-05-01");
    req.mode = PH_ACCESS_SUBSET;
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_true(g.allowed == sources("vat_invoices,tax_grades"));
    assert_true(g.refused == sources("payments_daily,patents"));
    assert_int_equal(g.consent_count, 1);
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM access_log WHERE seq = 1 AND outcome = 'partial' AND "
             "sources = 'vat_invoices,tax_grades' AND consents = '1' AND reason = 'no live "
             "consent from %s for institution BANK01 to use payments_daily, patents for credit "
             "assessment; consent 1 covers only vat_invoices,tax_grades'",
             fx->firm);
    assert_int_equal(ph_test_query_int(fx->store, sql), 1);

    /* strict: the same request is refused whole */
    req.mode = PH_ACCESS_STRICT;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EDENIED, &err,
                    "to use payments_daily, patents for credit assessment");
    /* subset with nothing covered is a refusal */
    req = request(fx, PH_PURPOSE_CREDIT, "payments_daily", "2025-05-01");
    req.mode = PH_ACCESS_SUBSET;
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EDENIED, &err,
                    "to use payments_daily for credit assessment");
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM access_log WHERE outcome = "
                                       "'denied'"),
                     2);
}

/* The decision and its log entry are one transaction: a read whose entry
 * cannot be written is not allowed, and the gate never joins a caller's
 * transaction (whose rollback would unlog the read). */
static void test_gate_same_transaction(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_access_grant g;
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "vat_invoices", 0, "2025-01-01", "2025-12-31");
    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2025-05-01");
    ph_test_exec(fx->store, "CREATE TRIGGER log_full BEFORE INSERT ON access_log "
                            "BEGIN SELECT RAISE(ABORT, 'the log disk is full'); END");
    memset(&g, 0x5a, sizeof(g));
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EINVAL, &err,
                    "the log disk is full");
    assert_int_equal(g.log_seq, 0x5a5a5a5a5a5a5a5a);
    assert_false(ph_store_in_transaction(fx->store));
    ph_test_exec(fx->store, "DROP TRIGGER log_full");
    assert_int_equal(log_count(fx), 0);

    ph_assert_ok(ph_store_begin(fx->store, &err), &err);
    ph_assert_error(ph_access_check(fx->store, &req, &g, &err), PH_EMISUSE, &err, NULL);
    ph_assert_ok(ph_store_rollback(fx->store, &err), &err);
    assert_int_equal(log_count(fx), 0);

    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_int_equal(g.log_seq, 1);
    assert_int_equal(log_count(fx), 1);
}

/* --- raw records --------------------------------------------------------------------- */

typedef struct rows_seen {
    size_t count;
    char text[1024];
} rows_seen;

static ph_status keep_row(void *user, const ph_feed *feed, const char *const *values,
                          ph_error *err)
{
    (void)err;
    rows_seen *r = user;
    size_t used = strlen(r->text);
    for (size_t i = 0; i < feed->column_count; i++)
        used += (size_t)snprintf(r->text + used, sizeof(r->text) - used, "%s%s", i ? "|" : "",
                                 values[i] ? values[i] : "<empty>");
    snprintf(r->text + used, sizeof(r->text) - used, "\n");
    r->count++;
    return PH_OK;
}

static ph_status stop_at_first(void *user, const ph_feed *feed, const char *const *values,
                               ph_error *err)
{
    (void)user, (void)feed, (void)values;
    return ph_error_set(err, PH_EIO, "out", NULL, "the pipe is closed");
}

static void test_records(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO feed_payments_daily VALUES "
             "('%s', '2025-03-02', 3, 1234567, 1, 5, '2025-03-03', 1, 3, 1),"
             "('%s', '2025-03-01', 2, 100, 0, 0, '2025-03-02', 1, 2, 2),"
             "('%s', '2025-03-01', 9, 999, 9, 999, '2025-03-02', 1, 4, 3);"
             "INSERT INTO feed_vat_invoices VALUES ('%s', '2025-02', 500000, 4, 250050, 2, 3, "
             "0.3125, '2025-03-15', 2, 2, 4), ('%s', '2025-03', 0, 0, 0, 0, 0, NULL, "
             "'2025-04-15', 2, 3, 5)",
             fx->firm, fx->firm, fx->other, fx->firm, fx->firm);
    ph_test_exec(fx->store, sql);
    ph_records_request req = {"BANK01", fx->firm, PH_PURPOSE_CREDIT, "payments_daily",
                              day("2025-06-01"), 0};
    rows_seen seen;
    memset(&seen, 0, sizeof(seen));
    ph_access_grant g;

    /* refused without a consent, and without raw access */
    ph_assert_error(ph_records_read(fx->store, &req, keep_row, &seen, &g, &err), PH_EDENIED,
                    &err, "to read raw records of payments_daily for credit assessment");
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily,vat_invoices", 0, "2025-01-01",
          "2025-12-31");
    ph_assert_error(ph_records_read(fx->store, &req, keep_row, &seen, &g, &err), PH_EDENIED,
                    &err, "; consent 1 does not grant raw records");
    assert_int_equal(seen.count, 0);
    assert_int_equal(log_count(fx), 2);

    int64_t raw = grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily,vat_invoices", 1,
                        "2025-01-01", "2025-12-31");
    ph_assert_ok(ph_records_read(fx->store, &req, keep_row, &seen, &g, &err), &err);
    char expect[512];
    snprintf(expect, sizeof(expect),
             "%s|2025-03-01|2|1.00|0|0.00\n%s|2025-03-02|3|12345.67|1|0.05\n", fx->firm,
             fx->firm);
    assert_string_equal(seen.text, expect);
    assert_int_equal(g.consent_ids[0], raw);
    assert_int_equal(g.log_seq, 3);
    assert_int_equal(ph_test_query_int(fx->store,
                                       "SELECT COUNT(*) FROM access_log WHERE seq = 3 AND "
                                       "outcome = 'allowed' AND raw = 1 AND what = 'records "
                                       "payments_daily' AND consents = '2'"),
                     1);

    memset(&seen, 0, sizeof(seen));
    req.feed = "vat_invoices";
    req.limit = 1;
    ph_assert_ok(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), &err);
    snprintf(expect, sizeof(expect), "%s|2025-02|5000.00|4|2500.50|2|3|0.3125\n", fx->firm);
    assert_string_equal(seen.text, expect);
    req.limit = 0;
    memset(&seen, 0, sizeof(seen));
    ph_assert_ok(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), &err);
    assert_int_equal(seen.count, 2);
    assert_non_null(strstr(seen.text, "|2025-03|0.00|0|0.00|0|0|<empty>\n"));

    /* the callback's status stops the read; the read was logged all the same */
    int64_t before = log_count(fx);
    ph_assert_error(ph_records_read(fx->store, &req, stop_at_first, NULL, NULL, &err), PH_EIO,
                    &err, "the pipe is closed");
    assert_int_equal(log_count(fx), before + 1);

    req.feed = "risk_pools";
    ph_assert_error(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), PH_EINVAL,
                    &err,
                    "field feed, value 'risk_pools': expected a feed whose rows are about an "
                    "enterprise (with a USCC column); risk_pools holds none");
    req.feed = "truth_pd";
    ph_assert_error(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), PH_EINVAL,
                    &err, "field feed, value 'truth_pd': expected a feed stored by the "
                    "platform; truth/ files are never shared");
    req.feed = "nope";
    ph_assert_error(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), PH_EINVAL,
                    &err, "field feed, value 'nope': expected the name of a feed");
    req.feed = "vat_invoices";
    req.limit = -1;
    ph_assert_error(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), PH_EINVAL,
                    &err, "field limit, value '-1'");
    ph_assert_error(ph_records_read(fx->store, &req, NULL, &seen, NULL, &err), PH_EMISUSE,
                    &err, NULL);
    assert_int_equal(log_count(fx), before + 1);
}

/* A feed with several USCC columns: a firm sees the rows it is part of. */
static void test_records_supply_chain(void **state)
{
    fixture *fx = *state;
    ph_error err;
    const ph_feed *feed = ph_feed_find("supply_chain");
    assert_non_null(feed);
    grant(fx, "BANK01", PH_PURPOSE_SUPPLY_CHAIN, "supply_chain", 1, "2025-01-01",
          "2025-12-31");
    int uscc_columns = 0;
    for (size_t i = 0; i < feed->column_count; i++)
        uscc_columns += feed->columns[i].type == PH_FIELD_USCC;
    assert_int_equal(uscc_columns, 3);
    ph_records_request req = {"BANK01", fx->firm, PH_PURPOSE_SUPPLY_CHAIN, "supply_chain",
                              day("2025-06-01"), 0};
    rows_seen seen;
    memset(&seen, 0, sizeof(seen));
    ph_assert_ok(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), &err);
    assert_int_equal(seen.count, 0);
    req.purpose = PH_PURPOSE_CREDIT;
    ph_assert_error(ph_records_read(fx->store, &req, keep_row, &seen, NULL, &err), PH_EDENIED,
                    &err, "the catalogue does not allow supply_chain for credit assessment");
}

/* --- consent is judged at the moment of the read ------------------------------------- */

/* A grant recorded today (the clock as it is). */
static int64_t grant_now(fixture *fx, unsigned purpose, const char *list, int raw,
                         const char *from, const char *until)
{
    ph_consent_terms t = {fx->firm, "BANK01", purpose, sources(list), raw, day(from),
                          day(until)};
    int64_t id = 0;
    ph_error err;
    ph_assert_ok(ph_consent_grant(fx->store, &t, &id, &err), &err);
    return id;
}

/* Data dated before an expired consent's end is not readable today under it. */
static void test_backdated_read_refused(void **state)
{
    fixture *fx = *state;
    set_today(fx, "2026-03-01");
    grant_now(fx, PH_PURPOSE_CREDIT, "payments_daily", 1, "2026-03-01", "2026-06-30");
    set_today(fx, "2026-12-07");
    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "payments_daily", "2026-12-07");
    req.on = day("2026-03-31"); /* the data date, inside the expired consent */
    char msg[512];
    snprintf(msg, sizeof(msg),
             "no live consent from %s for institution BANK01 to use payments_daily for credit "
             "assessment; consent 1 expired on 2026-06-30 (consent is judged on the day of the "
             "read, 2026-12-07, not on the data date 2026-03-31)",
             fx->firm);
    expect_denied(fx, &req, msg);
    /* raw records and the live-only list follow the same rule */
    ph_records_request rr = {"BANK01", fx->firm, PH_PURPOSE_CREDIT, "payments_daily",
                             day("2026-03-31"), 0};
    rows_seen seen;
    memset(&seen, 0, sizeof(seen));
    ph_error err;
    ph_assert_error(ph_records_read(fx->store, &rr, keep_row, &seen, NULL, &err), PH_EDENIED,
                    &err, "; consent 1 expired on 2026-06-30 (consent is judged");
    assert_int_equal(list(fx, NULL, NULL, 1, NULL).count, 0);
    assert_int_equal(list(fx, NULL, NULL, 1, "2026-06-30").count, 1);
}

/* Data dated after a pending consent's start is not readable before it begins. */
static void test_future_dated_read_refused(void **state)
{
    fixture *fx = *state;
    set_today(fx, "2026-12-07");
    grant_now(fx, PH_PURPOSE_CREDIT, "payments_daily", 0, "2026-12-20", "2027-06-30");
    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "payments_daily", "2026-12-07");
    req.on = day("2026-12-31");
    char msg[512];
    snprintf(msg, sizeof(msg),
             "no live consent from %s for institution BANK01 to use payments_daily for credit "
             "assessment; consent 1 is valid only from 2026-12-20 (consent is judged on the "
             "day of the read, 2026-12-07, not on the data date 2026-12-31)",
             fx->firm);
    expect_denied(fx, &req, msg);
    assert_int_equal(list(fx, NULL, NULL, 1, NULL).count, 0);
    set_today(fx, "2026-12-20"); /* it has begun: now the same read is allowed */
    ph_access_grant g;
    ph_error err;
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_int_equal(list(fx, NULL, NULL, 1, NULL).count, 1);
}

/* A live consent allows reading data as of any date, old ones included. */
static void test_live_consent_old_data_allowed(void **state)
{
    fixture *fx = *state;
    set_today(fx, "2026-12-07");
    int64_t id = grant_now(fx, PH_PURPOSE_CREDIT, "payments_daily", 1, "2026-12-01",
                           "2027-06-30");
    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "payments_daily", "2026-12-07");
    req.on = day("2020-01-31");
    ph_access_grant g;
    ph_error err;
    ph_assert_ok(ph_access_check(fx->store, &req, &g, &err), &err);
    assert_int_equal(g.consent_count, 1);
    assert_int_equal(g.consent_ids[0], id);
    ph_records_request rr = {"BANK01", fx->firm, PH_PURPOSE_CREDIT, "payments_daily",
                             day("2020-01-31"), 0};
    rows_seen seen;
    memset(&seen, 0, sizeof(seen));
    ph_assert_ok(ph_records_read(fx->store, &rr, keep_row, &seen, NULL, &err), &err);
    /* the log stamps the read with the wall clock, not the data date */
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM access_log WHERE at "
                                                  "LIKE '2026-12-07T%' AND outcome = "
                                                  "'allowed'"),
                     2);
}

/* A read is judged on the day it is logged: one reading of the clock. With
 * a clock that moves a day between two readings, two readings would log
 * the read on one day and judge the consent (and date the data) on the
 * next, where the consent has expired. */
static void test_read_one_clock_reading(void **state)
{
    fixture *fx = *state;
    grant(fx, "BANK01", PH_PURPOSE_CREDIT, "payments_daily", 0, "2026-01-01", "2026-06-30");
    ph_access_request req = request(fx, PH_PURPOSE_CREDIT, "payments_daily", "2026-06-30");
    fx->tick = 86400;
    ph_access_grant g;
    ph_error err;
    ph_status st = ph_access_check(fx->store, &req, &g, &err);
    fx->tick = 0;
    ph_assert_ok(st, &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM access_log WHERE at "
                                                  "LIKE '2026-06-30T%' AND data_on = "
                                                  "'2026-06-30' AND outcome = 'allowed'"),
                     1);
}

/* --- grant limits (src/access/consent_limits.c) --------------------------------------- */

static ph_status try_grant(fixture *fx, unsigned purpose, const char *list, const char *from,
                           const char *until, ph_error *err)
{
    ph_consent_terms t = {fx->firm, "BANK01", purpose, sources(list), 0, day(from),
                          day(until)};
    int64_t id = 0;
    return ph_consent_grant(fx->store, &t, &id, err);
}

static void test_grant_backdating_limit(void **state)
{
    fixture *fx = *state;
    ph_error err;
    set_today(fx, "2026-12-07");
    /* 30 days back is the limit, inclusive */
    ph_assert_ok(try_grant(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2026-11-07", "2027-06-30",
                           &err),
                 &err);
    ph_assert_error(try_grant(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2026-11-06",
                              "2027-06-30", &err),
                    PH_EINVAL, &err,
                    "field granted_on, value '2026-11-06': expected a date at most 30 days "
                    "before today 2026-12-07: a consent may be recorded at most 30 days after "
                    "it was given (docs/consent.md#grant-limits); 2026-11-06 is 31 days before "
                    "today");
    ph_assert_error(try_grant(fx, PH_PURPOSE_MONITORING, "payments_daily", "1949-01-01",
                              "1949-12-31", &err),
                    PH_EINVAL, &err,
                    "field granted_on, value '1949-01-01': expected a date at most 30 days "
                    "before today 2026-12-07: a consent may be recorded at most 30 days after "
                    "it was given (docs/consent.md#grant-limits); 1949-01-01 is 28,464 days "
                    "before today");
    /* a consent that begins later is not backdated */
    ph_assert_ok(try_grant(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2027-01-01", "2027-12-31",
                           &err),
                 &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM consent"), 2);
}

/* A consent may start ahead, but at most 30 days after the day it is recorded. */
static void test_grant_ahead_limit(void **state)
{
    fixture *fx = *state;
    ph_error err;
    set_today(fx, "2026-12-07");
    ph_assert_ok(try_grant(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2027-01-06", "2027-06-30",
                           &err),
                 &err);
    ph_assert_error(try_grant(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2027-01-07",
                              "2027-06-30", &err),
                    PH_EINVAL, &err,
                    "field granted_on, value '2027-01-07': expected a date at most 30 days "
                    "after today 2026-12-07: a consent may be recorded at most 30 days before "
                    "it begins (docs/consent.md#grant-limits); 2027-01-07 is 31 days after "
                    "today");
    ph_assert_error(try_grant(fx, PH_PURPOSE_MONITORING, "payments_daily", "9999-01-01",
                              "9999-12-31", &err),
                    PH_EINVAL, &err, "field granted_on, value '9999-01-01': expected a date at "
                                     "most 30 days after today 2026-12-07");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM consent"), 1);
    /* every purpose has its row of limits (a purpose without one is refused,
     * never read through NULL) */
    const unsigned purposes[] = {PH_PURPOSE_CREDIT, PH_PURPOSE_MONITORING,
                                 PH_PURPOSE_SUPPLY_CHAIN};
    for (size_t i = 0; i < sizeof(purposes) / sizeof(purposes[0]); i++) {
        const ph_consent_limit *limit = ph_consent_limit_for(purposes[i]);
        assert_non_null(limit);
        assert_int_equal(limit->max_ahead_days, 30);
    }
}

static void test_grant_duration_limits(void **state)
{
    fixture *fx = *state;
    ph_error err;
    set_today(fx, "2026-12-07");
    /* per purpose: the last allowed day, then one day more */
    static const struct {
        unsigned purpose;
        const char *sources, *last_ok, *first_bad, *message;
    } cases[] = {
        {PH_PURPOSE_CREDIT, "vat_invoices", "2027-12-08", "2027-12-09",
         "field expires_on, value '2027-12-09': expected a date at most 366 days after "
         "granted_on 2026-12-07: a credit assessment consent may last at most 366 days "
         "(docs/consent.md#grant-limits); 2027-12-09 is 367 days after it"},
        {PH_PURPOSE_MONITORING, "payments_daily", "2029-12-07", "2029-12-08",
         "field expires_on, value '2029-12-08': expected a date at most 1096 days after "
         "granted_on 2026-12-07: a post-loan monitoring consent may last at most 1096 days "
         "(docs/consent.md#grant-limits); 2029-12-08 is 1,097 days after it"},
        {PH_PURPOSE_SUPPLY_CHAIN, "supply_chain", "2027-12-08", "2027-12-09",
         "field expires_on, value '2027-12-09': expected a date at most 366 days after "
         "granted_on 2026-12-07: a supply-chain finance consent may last at most 366 days "
         "(docs/consent.md#grant-limits); 2027-12-09 is 367 days after it"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_assert_ok(try_grant(fx, cases[i].purpose, cases[i].sources, "2026-12-07",
                               cases[i].last_ok, &err),
                     &err);
        ph_assert_error(try_grant(fx, cases[i].purpose, cases[i].sources, "2026-12-07",
                                  cases[i].first_bad, &err),
                        PH_EINVAL, &err, cases[i].message);
        const ph_consent_limit *limit = ph_consent_limit_for(cases[i].purpose);
        assert_non_null(limit);
        assert_int_equal(day(cases[i].last_ok) - day("2026-12-07"), limit->max_days);
    }
    ph_assert_error(try_grant(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2026-12-07",
                              "9999-12-31", &err),
                    PH_EINVAL, &err,
                    "field expires_on, value '9999-12-31': expected a date at most 366 days "
                    "after granted_on 2026-12-07: a credit assessment consent may last at most "
                    "366 days (docs/consent.md#grant-limits); 9999-12-31 is 2,912,102 days "
                    "after it");
    /* the duration counts from granted_on, not from today: a later start may end later */
    ph_assert_ok(try_grant(fx, PH_PURPOSE_CREDIT, "vat_invoices", "2027-01-01", "2028-01-01",
                           &err),
                 &err);
    assert_null(ph_consent_limit_for(0));
    assert_null(ph_consent_limit_for(PH_PURPOSE_ALL));
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM consent"), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_purposes),
        cmocka_unit_test(test_source_sets),
        cmocka_unit_test_setup_teardown(test_grant_and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_allows_and_logs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_clause_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_bad_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_subset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_same_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_records_supply_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backdated_read_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_future_dated_read_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_consent_old_data_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_one_clock_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_backdating_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_ahead_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_duration_limits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
