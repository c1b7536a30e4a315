/*
 * A decision reads one snapshot: an ingest that another connection commits
 * while an application is being decided is seen by the decision entirely or
 * not at all. The interleaving is exact, not left to timing: a store test
 * hook (store_internal.h) runs the other connection's commit just before the
 * decision prepares a given read. Without one snapshot the commit lands
 * between two of the decision's reads and the stored facts mix both states;
 * with it the writer waits for the decision (here: times out at once and
 * commits right after).
 */
#include "features_fixture.h"
#include "store/store_internal.h"

#define LENDER FX_LENDER

/* The "ingest" the other connection commits, in one transaction: FIRM_A
 * becomes a small firm, and a second payment each month since 2024-12 doubles its
 * inflow. Before it: micro, 100,000.00 a month; after it: small, 200,000.00. */
static const char INGEST[] =
    "BEGIN IMMEDIATE;"
    "UPDATE feed_registration SET size_class = 'small' WHERE uscc = '" FIRM_A "';"
    "INSERT INTO feed_payments_daily SELECT uscc, substr(date, 1, 8) || '20', inflow_count, "
    " inflow_amount_fen, outflow_count, outflow_amount_fen, substr(date, 1, 8) || '21', "
    " file_id, line, row_hash FROM feed_payments_daily "
    " WHERE uscc = '" FIRM_A "' AND date >= '2024-12-01';"
    "COMMIT;";

/* The other connection and when it commits. */
typedef struct straddle {
    ph_store *writer;
    const char *trigger; /* commit before the first statement whose SQL has this */
    int fired;           /* the hook tried to commit */
    ph_status status;    /* what the commit gave: PH_OK, or PH_EBUSY when it had to wait */
} straddle;

static void commit_ingest(straddle *s)
{
    ph_error err;
    s->status = ph_store_exec(s->writer, INGEST, &err);
    if (s->status != PH_OK)
        (void)ph_store_rollback(s->writer, NULL);
}

static void before_prepare(void *user, const char *sql)
{
    straddle *s = user;
    if (!s->fired && strstr(sql, s->trigger) != NULL) {
        s->fired = 1;
        commit_ingest(s);
    }
}

typedef struct snap {
    fx f;
    ph_market *market;
} snap;

static int setup(void **state)
{
    snap *t = calloc(1, sizeof(*t));
    void *inner = NULL;
    fx_setup(&inner);
    t->f = *(fx *)inner;
    free(inner);
    fx *f = &t->f;
    fx_add_borrower(f->store, FIRM_A, "A");
    sqlf(f->store, "INSERT INTO institution VALUES ('%s', 'City Bank', 'commercial_bank')",
         LENDER);
    fx_set_lpr(f->store);
    fx_load_policy(f, "policy.json", FX_POLICY, 1);
    fx_grant(f, FIRM_A, LENDER, "registration,payments_daily", "2025-12-01", "2026-06-30");
    fx_set_today(f, "2025-12-31"); /* consent is judged on this day (the context's clock) */
    ph_error err;
    /* the day's peer medians, as the daily refresh stores them */
    ph_date refresh = day("2025-12-31");
    ph_assert_ok(ph_features_refresh(f->store, &refresh, 1, NULL, &err), &err);
    ph_assert_ok(ph_market_open(f->store, &t->market, &err), &err);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    snap *t = *state;
    ph_market_free(t->market);
    fx *f = malloc(sizeof(*f));
    *f = t->f;
    void *inner = f;
    fx_teardown(&inner);
    free(t);
    return 0;
}

/* Decide FIRM_A as of 2025-12-31; the stored facts' size class and average
 * inflow, and the served decision's limit in fen. */
typedef struct seen {
    char size_class[16];
    double avg_inflow;
    int64_t limit;
} seen;

static seen decide(snap *t)
{
    ph_application a = {0};
    a.uscc = FIRM_A;
    a.amount = 20000000;
    a.term = 12;
    a.purpose = "working_capital";
    a.asof = day("2025-12-31");
    ph_error err;
    ph_market_result *r = NULL;
    ph_assert_ok(ph_market_apply(t->market, &a, &r, &err), &err);
    assert_int_equal(ph_market_result_quote_count(r), 1);
    seen s = {"", 0, ph_market_result_quote(r, 0)->limit};
    char sql[160];
    snprintf(sql, sizeof(sql),
             "SELECT json_extract(facts, '$.size_class') || ' ' || "
             "json_extract(facts, '$.avg_inflow_12m') FROM application WHERE id = %lld",
             (long long)ph_market_result_application_id(r));
    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(t->f.store, sql, &stmt, &err), &err);
    assert_int_equal(ph_stmt_step(stmt, &err), PH_OK);
    assert_int_equal(sscanf(ph_stmt_column_text(stmt, 0), "%15s %lf", s.size_class,
                            &s.avg_inflow),
                     2);
    ph_stmt_free(stmt);
    ph_market_result_free(r);
    return s;
}

/* The facts of one state of the database: both old or both new. */
static void assert_one_state(const seen *s, const char *when)
{
    int old_state = strcmp(s->size_class, "micro") == 0 && s->avg_inflow == 100000.0 &&
                    s->limit == 50000000;
    int new_state = strcmp(s->size_class, "small") == 0 && s->avg_inflow == 200000.0 &&
                    s->limit == 100000000;
    if (!old_state && !new_state)
        fail_msg("%s: the decision mixed two states of the database: size_class %s (from the "
                 "registration) with an average inflow of %.2f and a limit of %lld fen (from "
                 "the payments)",
                 when, s->size_class, s->avg_inflow, (long long)s->limit);
}

/* An ingest commits between the decision's registration read and its
 * feature reads (just before the payments are read). */
static void straddle_at(snap *t, const char *trigger)
{
    ph_store_options o = {100, 0, 1}; /* the other connection waits at most 100 ms */
    straddle s = {NULL, trigger, 0, PH_OK};
    char *path = ph_test_path(t->f.dir, "puhui.db");
    ph_error err;
    ph_assert_ok(ph_store_open(t->f.ctx, path, &o, &s.writer, &err), &err);
    free(path);

    store_set_prepare_hook(t->f.store, before_prepare, &s);
    seen during = decide(t);
    store_set_prepare_hook(t->f.store, NULL, NULL);
    assert_true(s.fired);
    assert_one_state(&during, trigger);
    if (s.status == PH_EBUSY) /* the decision kept it out: it commits now */
        commit_ingest(&s);
    assert_int_equal(s.status, PH_OK);
    ph_store_free(s.writer);

    seen after = decide(t); /* and the next decision sees all of it */
    assert_string_equal(after.size_class, "small");
    assert_true(after.avg_inflow == 200000.0);
    assert_int_equal(after.limit, 100000000);
}

static void test_ingest_between_registration_and_features(void **state)
{
    straddle_at(*state, "inflow_amount_fen"); /* the features' payments read */
}

/* Code inside the decision opens a nested transaction and fails before it
 * ends it: here the hook, just before the decision row is written, begins
 * one and drops the table, so the insert fails inside it. The record's own
 * rollback undoes only that innermost savepoint; the decision's unit must
 * still end whole: no transaction left open, nothing written. */
static void break_inside_nested(void *user, const char *sql)
{
    snap *t = user;
    if (strstr(sql, "INSERT INTO decision") != NULL) {
        store_set_prepare_hook(t->f.store, NULL, NULL);
        ph_error err;
        ph_assert_ok(ph_store_begin(t->f.store, &err), &err);
        ph_assert_ok(ph_store_exec(t->f.store, "DROP TABLE decision", &err), &err);
    }
}

static void test_error_in_nested_transaction_ends_the_unit(void **state)
{
    snap *t = *state;
    ph_application a = {0};
    a.uscc = FIRM_A;
    a.amount = 20000000;
    a.term = 12;
    a.purpose = "working_capital";
    a.asof = day("2025-12-31");
    ph_error err;
    ph_market_result *r = NULL;
    store_set_prepare_hook(t->f.store, break_inside_nested, t);
    ph_status st = ph_market_apply(t->market, &a, &r, &err);
    store_set_prepare_hook(t->f.store, NULL, NULL);
    assert_int_not_equal(st, PH_OK);
    assert_null(r);
    assert_false(ph_store_in_transaction(t->f.store));
    assert_int_equal(ph_test_query_int(t->f.store, "SELECT count(*) FROM application"), 0);
    assert_int_equal(ph_test_query_int(t->f.store, "SELECT count(*) FROM decision"), 0);
    /* and the next decision runs and commits as usual */
    seen next = decide(t);
    assert_string_equal(next.size_class, "micro");
    assert_false(ph_store_in_transaction(t->f.store));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ingest_between_registration_and_features, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_in_nested_transaction_ends_the_unit, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
