/* The backtest's figures (src/monitor/backtest.c) from a hand-made truth and
 * hand-made colour changes, every figure worked out here by hand; then the
 * run over a store (src/monitor/backtest_run.c): the truth file read with
 * located errors, and nothing written. */
#include "ph_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/monitor.h"

static ph_date day(const char *text)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(text, strlen(text), &d, &err), &err);
    return d;
}

static void near(double got, double want)
{
    if (!(fabs(got - want) < 1e-9))
        fail_msg("got %.12f, want %.12f", got, want);
}

/*
 * Six monitored firms over 2025, the truth ending 2025-12-31:
 *   F1 defaults 2025-06-01: yellow 01-10, green 02-01, yellow 03-01, red 04-01
 *   F2 defaults 2025-09-15: red 03-19 (180 days before: the horizon's edge)
 *   F3 defaults 2025-03-10: red 03-12, after its default (not a prediction)
 *   F4 never defaults: yellow 02-01, red 02-20, green 08-01, red 09-01
 *   F5 defaulted 2024-12-01, before the period: yellow 2025-01-05 (in default)
 *   F6 nothing in the period (a yellow 2024-12-15, before it)
 * and X, not monitored, defaults 05-01 after a red 04-01: ignored.
 */
static const char *const FIRMS[] = {"F1", "F2", "F3", "F4", "F5", "F6"};

typedef struct change_text {
    const char *uscc, *day;
    ph_warn_level level, previous;
} change_text;

static const change_text CHANGES[] = {
    {"F6", "2024-12-15", PH_WARN_YELLOW, PH_WARN_GREEN},
    {"F5", "2025-01-05", PH_WARN_YELLOW, PH_WARN_GREEN},
    {"F1", "2025-01-10", PH_WARN_YELLOW, PH_WARN_GREEN},
    {"F1", "2025-02-01", PH_WARN_GREEN, PH_WARN_YELLOW},
    {"F4", "2025-02-01", PH_WARN_YELLOW, PH_WARN_GREEN},
    {"F4", "2025-02-20", PH_WARN_RED, PH_WARN_YELLOW},
    {"F1", "2025-03-01", PH_WARN_YELLOW, PH_WARN_GREEN},
    {"F3", "2025-03-12", PH_WARN_RED, PH_WARN_GREEN},
    {"F2", "2025-03-19", PH_WARN_RED, PH_WARN_GREEN},
    {"F1", "2025-04-01", PH_WARN_RED, PH_WARN_YELLOW},
    {"X", "2025-04-01", PH_WARN_RED, PH_WARN_GREEN},
    {"F4", "2025-08-01", PH_WARN_GREEN, PH_WARN_RED},
    {"F4", "2025-09-01", PH_WARN_RED, PH_WARN_GREEN},
};

static ph_monitor_figures compute(int32_t horizon)
{
    ph_monitor_default defaults[] = {{"F1", day("2025-06-01")}, {"F2", day("2025-09-15")},
                                     {"F3", day("2025-03-10")}, {"F5", day("2024-12-01")},
                                     {"X", day("2025-05-01")}};
    size_t n = sizeof(CHANGES) / sizeof(CHANGES[0]);
    ph_monitor_level_change changes[sizeof(CHANGES) / sizeof(CHANGES[0])];
    for (size_t i = 0; i < n; i++) {
        changes[i].uscc = CHANGES[i].uscc;
        changes[i].day = day(CHANGES[i].day);
        changes[i].level = CHANGES[i].level;
        changes[i].previous = CHANGES[i].previous;
    }
    ph_monitor_backtest_input in;
    memset(&in, 0, sizeof(in));
    in.firms = FIRMS;
    in.firm_count = 6;
    in.defaults = defaults;
    in.default_count = 5;
    in.changes = changes;
    in.change_count = n;
    in.from = day("2025-01-01");
    in.to = day("2025-12-31");
    in.truth_end = day("2025-12-31");
    in.horizon_days = horizon;
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_monitor_figures f;
    ph_assert_ok(ph_monitor_backtest(ctx, &in, &f, &err), &err);
    ph_ctx_free(ctx);
    return f;
}

static void test_figures_by_hand(void **state)
{
    (void)state;
    /* the horizon's first judged day: 2025-12-31 - 180 = 2025-07-04 */
    assert_int_equal(day("2025-12-31") - 180, day("2025-07-04"));
    assert_int_equal(day("2025-09-15") - day("2025-03-19"), 180);
    ph_monitor_figures f = compute(0); /* 0: 180 days */
    assert_int_equal(f.firms, 6);
    assert_int_equal(f.defaults, 3); /* F1, F2, F3: X is not monitored, F5's is before */
    /* leads from the first yellow: F1 06-01 - 01-10 = 142, F2 180 (its red is
     * past yellow); F3 has none before its default */
    assert_int_equal(day("2025-06-01") - day("2025-01-10"), 142);
    assert_int_equal(f.lead_yellow.n, 2);
    near(f.lead_yellow.median, 161.0);
    near(f.lead_yellow.q1, 142.0 + 0.25 * 38.0);
    near(f.lead_yellow.q3, 142.0 + 0.75 * 38.0);
    near(f.lead_yellow.share_14, 1.0);
    near(f.lead_yellow.share_90, 1.0);
    /* from the first red: F1 06-01 - 04-01 = 61, F2 180 */
    assert_int_equal(day("2025-06-01") - day("2025-04-01"), 61);
    assert_int_equal(f.lead_red.n, 2);
    near(f.lead_red.median, 120.5);
    near(f.lead_red.q1, 61.0 + 0.25 * 119.0);
    near(f.lead_red.q3, 61.0 + 0.75 * 119.0);
    near(f.lead_red.share_14, 1.0);
    near(f.lead_red.share_90, 0.5);
    assert_int_equal(f.caught_yellow, 2);
    assert_int_equal(f.caught_red, 2);
    near(f.recall_yellow, 2.0 / 3.0);
    near(f.recall_red, 2.0 / 3.0);
    /* red: F1 (04-01, defaults in 61 days), F2 (03-19, in exactly 180), F4
     * (02-20, never); F4's red of 09-01 is past 07-04: excluded; F3's is
     * after its default */
    assert_int_equal(f.red_firms, 3);
    assert_int_equal(f.red_defaulted, 2);
    assert_int_equal(f.red_excluded, 1);
    near(f.precision_red, 2.0 / 3.0);
    /* onsets judged: F1 01-10 and 03-01, F4 02-01, F2 03-19; F4's of 09-01
     * excluded; false: F4's 02-01 */
    assert_int_equal(f.onsets, 4);
    assert_int_equal(f.false_alarms, 1);
    assert_int_equal(f.onsets_excluded, 1);
    /* the judged window 2025-01-01 .. 2025-07-04: 185 days */
    near(f.months, 185.0 * 12.0 / 365.25);
    near(f.false_alarm_rate, 1.0 * 1000.0 / 6.0 / (185.0 * 12.0 / 365.25));

    /* a 60-day horizon: F1's red came 61 days before its default, F2's 180:
     * neither is in time; every onset is now false; F4's September red is
     * judged (before 2025-11-01) */
    f = compute(60);
    assert_int_equal(f.red_firms, 3);
    assert_int_equal(f.red_defaulted, 0);
    near(f.precision_red, 0.0);
    assert_int_equal(f.red_excluded, 0);
    assert_int_equal(f.onsets, 5);
    assert_int_equal(f.false_alarms, 5);
    assert_int_equal(f.onsets_excluded, 0);
    near(f.months, (double)(day("2025-11-01") - day("2025-01-01") + 1) * 12.0 / 365.25);
    /* the leads do not depend on the horizon */
    near(f.lead_red.median, 120.5);
}

static void test_edges(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_monitor_backtest_input in;
    memset(&in, 0, sizeof(in));
    in.from = day("2025-01-01");
    in.to = day("2025-01-31");
    in.truth_end = day("2025-01-31");
    ph_monitor_figures f;
    /* nothing monitored: counts 0, shares NaN, never a division by zero */
    ph_assert_ok(ph_monitor_backtest(ctx, &in, &f, &err), &err);
    assert_int_equal(f.firms, 0);
    assert_true(isnan(f.precision_red) && isnan(f.recall_red) && isnan(f.lead_red.median));
    assert_true(isnan(f.false_alarm_rate));
    near(f.months, 0.0); /* a month of truth cannot judge a 180-day horizon */
    in.to = day("2024-12-31");
    ph_assert_error(ph_monitor_backtest(ctx, &in, &f, &err), PH_EINVAL, &err,
                    "field to, value '2024-12-31': expected the period's last day on or after "
                    "its first");
    in.to = day("2025-02-28");
    ph_assert_error(ph_monitor_backtest(ctx, &in, &f, &err), PH_EINVAL, &err,
                    "field truth_end, value '2025-01-31'");
    in.to = day("2025-01-31");
    in.horizon_days = -1;
    ph_assert_error(ph_monitor_backtest(ctx, &in, &f, &err), PH_EINVAL, &err, "horizon_days");
    in.horizon_days = 0;
    in.firm_count = 2; /* firms NULL */
    ph_assert_error(ph_monitor_backtest(ctx, &in, &f, &err), PH_EMISUSE, &err, NULL);
    ph_ctx_free(ctx);
}

static void test_run_reads_the_truth(void **state)
{
    (void)state;
    ph_ctx *ctx = NULL;
    char *dir = NULL;
    ph_test_env_open("monitor_backtest", &ctx, &dir);
    ph_store *s = ph_test_open_db(ctx, dir, "p.db");
    char a[PH_USCC_LEN + 1], b[PH_USCC_LEN + 1];
    ph_test_add_parties(s, a, b);
    char *truth = ph_test_path(dir, "defaults.csv");
    char text[512];
    snprintf(text, sizeof(text), "uscc,default_date,had_loan\n%s,2025-03-20,Y\n", a);
    ph_test_write_file(truth, text);
    ph_monitor_backtest_opts o;
    memset(&o, 0, sizeof(o));
    o.truth_path = truth;
    o.from = day("2025-01-01");
    o.to = day("2025-06-30");
    o.all_firms = 1;
    ph_monitor_backtest_result r;
    ph_error err;
    ph_assert_ok(ph_monitor_backtest_run(s, &o, &r, &err), &err);
    assert_int_equal(r.all_firms, 1);
    assert_int_equal(r.rules.firms, 2);
    assert_int_equal(r.rules.defaults, 1);
    assert_int_equal(r.baseline.defaults, 1);
    assert_string_equal(r.baseline_name, "naive days past due");
    assert_int_equal(r.events, 0);
    /* in memory: no rule set stored, no run, no alert, no access-log entry */
    assert_int_equal(ph_test_query_int(s, "SELECT (SELECT count(*) FROM warning_rules) + "
                                          "(SELECT count(*) FROM warning_run) + (SELECT "
                                          "count(*) FROM warning_alert) + (SELECT count(*) "
                                          "FROM access_log)"),
                     0);
    /* without --all-firms and without a book nobody is monitored */
    o.all_firms = 0;
    ph_assert_ok(ph_monitor_backtest_run(s, &o, &r, &err), &err);
    assert_int_equal(r.rules.firms, 0);
    assert_int_equal(r.rules.defaults, 0);

    /* a bad truth file: located at its line and column */
    snprintf(text, sizeof(text), "uscc,default_date,had_loan\n%s,2025-03-20,Y\n%s,2025-02-30,N\n",
             a, b);
    ph_test_write_file(truth, text);
    o.all_firms = 1;
    ph_assert_error(ph_monitor_backtest_run(s, &o, &r, &err), PH_EINVAL, &err, ":3:20: field "
                                                                               "default_date, "
                                                                               "value "
                                                                               "'2025-02-30'");
    snprintf(text, sizeof(text), "uscc,default_date\n91370102MA3C0000XX,2025-03-20\n");
    ph_test_write_file(truth, text);
    ph_assert_error(ph_monitor_backtest_run(s, &o, &r, &err), PH_EINVAL, &err,
                    ":2:1: field uscc, value '91370102MA3C0000XX'");
    ph_test_write_file(truth, "firm,day\n");
    ph_assert_error(ph_monitor_backtest_run(s, &o, &r, &err), PH_EINVAL, &err,
                    "missing columns 'uscc', 'default_date'");
    free(truth);
    ph_store_free(s);
    ph_test_env_close(ctx, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_by_hand),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_run_reads_the_truth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
