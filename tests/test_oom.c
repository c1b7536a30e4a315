/*
 * Out of memory at every allocation of the data hub's and the marketplace's
 * entry points: the market (open and apply), access (a consent grant, the
 * consent check with its log entry), ingest (a small feed file) and the
 * feature store (one firm, the batch, the refresh). Each allocation the
 * call makes through its context fails in turn (tests/support/ph_failalloc.h):
 * the call must return PH_ENOMEM with "out of memory" in its message, and
 * everything the context allocated must be freed. Under ASan with
 * detect_leaks=1 nothing else leaks either.
 *
 * What the context's allocator does not see, and so is not failed here:
 * SQLite's own memory, jansson's (json_dumps of stored facts and traces) and
 * the decision trace's open_memstream buffer (src/market/decide.c).
 */
#include "features_fixture.h"
#include "ph_failalloc.h"

#define LENDER FX_LENDER
#define ASOF "2025-12-31"

static const char REGISTRATION[] =
    "uscc,name,entity_type,region_code,industry_code,registered_on,registered_capital,"
    "owner_gender,owner_birth_year,employees,annual_revenue,total_assets,size_class,"
    "taxpayer_type,status,status_date\n" FIRM_C ",青岛开顺牧业有限公司,company,370281,A03,"
    "2019-02-12,100000.00,M,1989,1,218200.00,232100.00,micro,small_scale,active,\n" FIRM_B
    ",济南示例食品有限公司,company,370102,C13,2018-06-01,500000.00,F,1979,8,1200000.00,"
    "900000.00,micro,general,active,\n";

/* The template database every run starts from, and the feed file. */
typedef struct world {
    fx *f;
    char *template_db, *run_db, *feed;
    int64_t *now;
    int runs;
} world;

static world W;

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* A borrower with payments, a registered lender with an active policy, the
 * LPR, a consent and the day's peer-median refresh. */
static int group_setup(void **state)
{
    void *inner = NULL;
    fx_setup(&inner);
    fx *f = inner;
    fx_add_borrower(f->store, FIRM_A, "A");
    sqlf(f->store, "INSERT INTO institution VALUES ('%s', 'City Bank', 'commercial_bank')",
         LENDER);
    fx_set_lpr(f->store);
    fx_load_policy(f, "policy.json", FX_POLICY, 1);
    fx_grant(f, FIRM_A, LENDER, "registration,payments_daily", "2025-12-01", "2026-06-30");
    refresh_once(f->store, ASOF);
    ph_store_free(f->store); /* closed, so the file is whole */
    f->store = NULL;
    W.f = f;
    W.template_db = ph_test_path(f->dir, "puhui.db");
    W.feed = ph_test_path(f->dir, "registration.csv");
    ph_test_write_file(W.feed, REGISTRATION);
    fx_set_today(f, ASOF);
    W.now = f->now;
    *state = &W;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(W.template_db);
    free(W.run_db);
    free(W.feed);
    void *inner = W.f;
    fx_teardown(&inner);
    return 0;
}

/* Every run: a fresh copy of the template, opened with the run's context. */
typedef struct run {
    ph_store *store;
    ph_market *market;
    ph_market_result *result;
    ph_ingest *ingest;
} run;

static void open_copy(void *user, const ph_ctx *ctx, void **state)
{
    (void)user;
    run *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    char name[32];
    snprintf(name, sizeof(name), "run%d.db", W.runs++);
    free(W.run_db);
    W.run_db = ph_test_path(W.f->dir, name);
    copy_file(W.template_db, W.run_db);
    ph_error err;
    ph_assert_ok(ph_store_open(ctx, W.run_db, NULL, &r->store, &err), &err);
    *state = r;
}

static void close_copy(void *user, void *state)
{
    (void)user;
    run *r = state;
    ph_market_result_free(r->result);
    ph_market_free(r->market);
    ph_ingest_free(r->ingest);
    ph_store_free(r->store);
    free(r);
}

/* The clock of every run's context: the template's day. */
static ph_ctx_options options(void)
{
    ph_ctx_options o = {0};
    o.log_level = PH_LOG_OFF;
    o.now = fx_clock;
    o.now_user = W.now;
    return o;
}

static void sweep_with(const char *name, ph_status (*call)(void *, void *, ph_error *),
                       void *user, int may_recover)
{
    ph_failalloc_case c = {name, user, open_copy, call, close_copy, may_recover};
    ph_ctx_options o = options();
    size_t made = ph_failalloc_sweep(&c, &o, 20000);
    print_message("# %s: %zu allocations, each failed once\n", name, made);
    assert_true(made > 0);
}

static void sweep(const char *name, ph_status (*call)(void *, void *, ph_error *),
                  int may_recover)
{
    sweep_with(name, call, NULL, may_recover);
}

/* --- The entry points ------------------------------------------------------------ */

static ph_status market_apply(void *user, void *state, ph_error *err)
{
    (void)user;
    run *r = state;
    ph_status st = ph_market_open(r->store, &r->market, err);
    ph_application a = {0};
    a.uscc = FIRM_A;
    a.amount = 30000000;
    a.term = 12;
    a.purpose = "working_capital";
    a.asof = day(ASOF);
    if (st == PH_OK)
        st = ph_market_apply(r->market, &a, &r->result, err);
    return st;
}

static ph_status consent_grant(void *user, void *state, ph_error *err)
{
    (void)user;
    run *r = state;
    ph_consent_terms t = {0};
    t.uscc = FIRM_A;
    t.institution_id = LENDER;
    t.purpose = PH_PURPOSE_CREDIT;
    t.sources = ph_source_set_for_purpose(PH_PURPOSE_CREDIT);
    t.granted_on = day(ASOF);
    t.expires_on = day("2026-06-30");
    int64_t id;
    return ph_consent_grant(r->store, &t, &id, err);
}

static ph_status access_check(void *user, void *state, ph_error *err)
{
    (void)user;
    run *r = state;
    ph_access_request req = {0};
    req.institution_id = LENDER;
    req.uscc = FIRM_A;
    req.purpose = PH_PURPOSE_CREDIT;
    ph_status st = ph_source_set_parse("payments_daily", PH_PURPOSE_CREDIT, &req.sources, err);
    req.on = day(ASOF);
    req.what = "oom test";
    req.mode = PH_ACCESS_STRICT;
    ph_access_grant grant;
    if (st == PH_OK)
        st = ph_access_check(r->store, &req, &grant, err);
    return st;
}

/* user: the number of threads (1, or 2: reading on a second thread) */
static ph_status ingest_file(void *user, void *state, ph_error *err)
{
    run *r = state;
    ph_ingest_options o;
    ph_ingest_options_init(&o);
    o.known_on = ASOF;
    o.threads = *(const int *)user;
    const char *paths[] = {W.feed};
    ph_status st = ph_ingest_new(r->store, &o, &r->ingest, err);
    if (st == PH_OK)
        st = ph_ingest_paths(r->ingest, paths, 1, err);
    return st;
}

static ph_status features_for(void *user, void *state, ph_error *err)
{
    (void)user;
    run *r = state;
    double v[PH_FEATURE_COUNT];
    return ph_features_for(r->store, FIRM_A, day(ASOF), v, NULL, err);
}

static ph_status count_row(void *user, const char *uscc, ph_date asof, const double *values,
                           ph_error *err)
{
    (void)uscc;
    (void)asof;
    (void)values;
    (void)err;
    ++*(int *)user;
    return PH_OK;
}

static ph_status features_batch(void *user, void *state, ph_error *err)
{
    (void)user;
    run *r = state;
    ph_date dates[] = {day("2025-11-30"), day(ASOF)};
    ph_features_options o = {.threads = 1};
    int rows = 0;
    return ph_features_batch(r->store, dates, 2, &o, count_row, &rows, err);
}

static ph_status features_refresh(void *user, void *state, ph_error *err)
{
    (void)user;
    run *r = state;
    ph_date d = day("2025-11-30");
    ph_features_options o = {.threads = 1};
    return ph_features_refresh(r->store, &d, 1, &o, err);
}

static void test_market_apply(void **state)
{
    (void)state;
    sweep("ph_market_open + ph_market_apply", market_apply, 0);
}

static void test_consent_grant(void **state)
{
    (void)state;
    sweep("ph_consent_grant", consent_grant, 0);
}

static void test_access_check(void **state)
{
    (void)state;
    sweep("ph_access_check", access_check, 0);
}

/* A batch whose sort buffers cannot be had is written unsorted (the order
 * only speeds the upserts up): ingest may succeed over a failed allocation. */
static void test_ingest(void **state)
{
    (void)state;
    static const int one = 1, two = 2;
    sweep_with("ph_ingest_new + ph_ingest_paths, 1 thread", ingest_file, (void *)&one, 1);
    sweep_with("ph_ingest_new + ph_ingest_paths, 2 threads", ingest_file, (void *)&two, 1);
}

static void test_features_for(void **state)
{
    (void)state;
    sweep("ph_features_for", features_for, 0);
}

static void test_features_batch(void **state)
{
    (void)state;
    sweep("ph_features_batch", features_batch, 0);
}

static void test_features_refresh(void **state)
{
    (void)state;
    sweep("ph_features_refresh", features_refresh, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_market_apply),   cmocka_unit_test(test_consent_grant),
        cmocka_unit_test(test_access_check),   cmocka_unit_test(test_ingest),
        cmocka_unit_test(test_features_for),   cmocka_unit_test(test_features_batch),
        cmocka_unit_test(test_features_refresh),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
