/*
 * The early-warning engine (warning.h): rule sets with located errors, each
 * kind of rule on hand-made events whose outcome is worked out in the
 * comments, the colours' hysteresis, contagion along chains, consent's
 * "watched" switch, and a checkpoint that restarts to the same reports.
 */
#include "support/ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ph_ctx *ctx;
static char *dir;

static int setup(void **state)
{
    (void)state;
    ph_test_env_open("warning", &ctx, &dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ph_test_env_close(ctx, dir);
    return 0;
}

/* ---- helpers -------------------------------------------------------------------------- */

/* Every report as one line of text, appended to a growing log. */
typedef struct log_buf {
    char *text;
    size_t len, cap;
    int hits, levels;
} log_buf;

static ph_status log_report(void *user, const ph_warn_report *rep, ph_error *err)
{
    (void)err;
    log_buf *log = user;
    char day[PH_DATE_FORMAT_MAX], line[4096];
    ph_date_format(rep->day, day, sizeof(day), NULL);
    int n = snprintf(line, sizeof(line), "%s %s %s %s %s<-%s %s %s\n", day,
                     rep->kind == PH_WARN_HIT ? "HIT" : "LEVEL", rep->uscc, rep->rule,
                     ph_warn_level_name(rep->level), ph_warn_level_name(rep->previous),
                     ph_warn_action_name(rep->action), rep->evidence);
    if (log->len + (size_t)n + 1 > log->cap) {
        log->cap = (log->len + (size_t)n + 1) * 2;
        log->text = realloc(log->text, log->cap);
        assert_non_null(log->text);
    }
    memcpy(log->text + log->len, line, (size_t)n + 1);
    log->len += (size_t)n;
    if (rep->kind == PH_WARN_HIT)
        log->hits++;
    else
        log->levels++;
    return PH_OK;
}

static int count_lines(const log_buf *log, const char *needle)
{
    int n = 0;
    for (const char *p = log->text; p != NULL && (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static ph_date day_of(const char *iso)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(iso, strlen(iso), &d, &err), &err);
    return d;
}

static uint16_t feed_of(const char *name)
{
    int i = ph_warn_feed_index(name);
    assert_true(i >= 0);
    return (uint16_t)i;
}

static int field_of(const char *feed, const char *column)
{
    size_t f = feed_of(feed);
    for (size_t i = 0; i < ph_warn_field_count(f); i++)
        if (strcmp(ph_warn_field_at(f, i)->name, column) == 0)
            return (int)i;
    fail_msg("no field %s in %s", column, feed);
    return -1;
}

static ph_warn_rules *load(const char *text)
{
    ph_warn_rules *rules = NULL;
    ph_error err;
    ph_assert_ok(ph_warn_rules_load(ctx, text, strlen(text), "rules.json", &rules, &err), &err);
    return rules;
}

static void expect_load_error(const char *text, const char *needle, uint64_t line)
{
    ph_warn_rules *rules = NULL;
    ph_error err;
    ph_status st = ph_warn_rules_load(ctx, text, strlen(text), "rules.json", &rules, &err);
    ph_assert_error(st, PH_EINVAL, &err, needle);
    assert_null(rules);
    assert_string_equal(err.source, "rules.json");
    if (line != 0 && err.line != line)
        fail_msg("expected line %llu, got %llu: %s", (unsigned long long)line,
                 (unsigned long long)err.line, err.message);
}

/* n firms F0..F(n-1) in one industry and city. */
static const char *const USCC[] = {"91370102MA00000001", "91370102MA00000002",
                                   "91370102MA00000003", "91370102MA00000004",
                                   "91370102MA00000005", "91370102MA00000006",
                                   "91370102MA00000007"};

static ph_warn_engine *engine(const ph_warn_rules *rules, log_buf *log, size_t nfirms)
{
    ph_warn_engine *eng = NULL;
    ph_error err;
    ph_warn_engine_opts opts = {log_report, log};
    ph_assert_ok(ph_warn_engine_new(ctx, rules, &opts, &eng, &err), &err);
    for (size_t i = 0; i < nfirms; i++) {
        uint32_t index = 0;
        ph_assert_ok(ph_warn_engine_add_firm(eng, USCC[i], 370102, 'C', 1, &index, &err), &err);
        assert_int_equal(index, i);
    }
    return eng;
}

static void push(ph_warn_engine *eng, ph_date day, uint32_t firm, const char *feed, int field,
                 int64_t value)
{
    ph_warn_event ev = {day, firm, feed_of(feed), 0, {0}};
    ev.v[field] = value;
    ph_error err;
    ph_assert_ok(ph_warn_engine_push(eng, &ev, 1, &err), &err);
}

/* ---- rule sets ------------------------------------------------------------------------ */

static const char INFLOW[] =
    "{\"name\": \"t\", \"version\": 1,\n"
    " \"levels\": {\"memory_days\": 10, \"calm_days\": {\"yellow\": 5, \"red\": 5}},\n"
    " \"rules\": [\n"
    "  {\"id\": \"drop\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
    "   \"field\": \"inflow_amount\", \"aggregate\": \"sum\", \"period\": \"week\",\n"
    "   \"compare\": \"baseline\", \"baseline\": 4, \"when\": \"change < -40%\",\n"
    "   \"consecutive\": 2, \"level\": \"yellow\"}\n"
    " ]}\n";

static void test_rules_load(void **state)
{
    (void)state;
    ph_warn_rules *rules = load(INFLOW);
    assert_string_equal(ph_warn_rules_name(rules), "t");
    assert_int_equal(ph_warn_rules_version(rules), 1);
    assert_int_equal(ph_warn_rules_count(rules), 1);
    const ph_warn_rule_info *info = ph_warn_rules_at(rules, 0);
    assert_string_equal(info->id, "drop");
    assert_string_equal(info->feed, "payments_daily");
    assert_int_equal(info->kind, PH_WARN_RULE_WINDOW);
    assert_int_equal(info->action, PH_WARN_ALERT);
    assert_int_equal(strlen(ph_warn_rules_checksum(rules)), 64);
    ph_error err;
    ph_source_set want = 0;
    ph_assert_ok(ph_source_set_add(&want, "payments_daily", &err), &err);
    assert_true(ph_warn_rules_sources(rules) == want);
    ph_warn_rules_free(rules);
    /* the shipped sets load */
    ph_warn_rules_free(load(ph_warn_rules_baseline_text()));
    if (ph_warn_feed_index("logistics_gps") >= 0) {
        rules = load(ph_warn_rules_default_text());
        assert_true(ph_warn_rules_count(rules) >= 8);
        ph_warn_rules_free(rules);
    }
}

static void test_rules_errors(void **state)
{
    (void)state;
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"event\",\n"
                      "   \"feed\": \"payment_daily\", \"when\": \"true\", \"level\": \"red\"}]}",
                      "rules[0].feed, value 'payment_daily': expected a feed serving monitoring: ",
                      3);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
                      "   \"when\": \"case_type = \\\"enforcement\\\" and\", \"level\": \"red\"}]}",
                      "at column", 3);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
                      "   \"when\": \"amount\", \"level\": \"red\"}]}",
                      "expected a condition (true or false)", 3);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
                      "   \"field\": \"inflow\", \"aggregate\": \"sum\", \"period\": \"week\",\n"
                      "   \"compare\": \"threshold\", \"when\": \"value < 1\", \"level\": "
                      "\"red\"}]}",
                      "expected a numeric field of payments_daily: inflow_count, inflow_amount",
                      3);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
                      "   \"field\": \"inflow_amount\", \"aggregate\": \"median\",\n"
                      "   \"level\": \"red\"}]}",
                      "expected one of sum, mean, min, max, count", 3);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
                      "   \"when\": \"true\", \"level\": \"red\", \"colour\": 1}]}",
                      "unknown member", 3);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
                      "   \"when\": \"true\", \"level\": \"red\"},\n"
                      "  {\"id\": \"x\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
                      "   \"when\": \"true\", \"level\": \"red\"}]}",
                      "a rule id used twice", 4);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"g\", \"kind\": \"graph\",\n"
                      "   \"on\": [\"nowhere\"], \"levels\": [\"yellow\"]}]}",
                      "expected the id of a window or event rule defined before this one", 3);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
                      "   \"when\": \"true\", \"level\": \"red\"},\n"
                      "  {\"id\": \"g\", \"kind\": \"graph\", \"on\": [\"x\"],\n"
                      "   \"levels\": [\"yellow\", \"red\"]}]}",
                      "the level decays with distance", 5);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
                      "  {\"id\": \"x\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
                      "   \"field\": \"inflow_amount\", \"aggregate\": \"sum\", \"period\": \"week\",\n"
                      "   \"window\": 99, \"compare\": \"threshold\", \"when\": \"value < 1\",\n"
                      "   \"level\": \"red\"}]}",
                      "rules[0].window, value '99': expected a whole number from 1 to 52", 4);
    expect_load_error("{\"name\": \"t\", \"version\": 0, \"rules\": []}", "version", 1);
    expect_load_error("{\"name\": \"t\",\n \"versio\": 1, \"rules\": []}", "unknown member", 2);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": []}",
                      "expected at least one rule", 1);
    expect_load_error("{\"name\": \"t\", \"version\": 1, \"rules\": [}", "rules.json", 0);
}

/* ---- window rules --------------------------------------------------------------------- */

/* Weekly inflow of 1,000 yuan for 6 weeks (Mondays from 2026-01-05), then
 * 500 for two weeks: week 7 is down 50% on the 4 weeks before it, week 8 is
 * down 50% on weeks 3..6 and 7... (4 weeks before week 8 = weeks 4..7:
 * 1000+1000+1000+500 = 875 a week; 500/875 - 1 = -42.9%), so the rule
 * fires at the end of week 8, Sunday 2026-03-01, once. */
static void test_window_baseline(void **state)
{
    (void)state;
    ph_warn_rules *rules = load(INFLOW);
    log_buf log = {0};
    ph_warn_engine *eng = engine(rules, &log, 1);
    int in = field_of("payments_daily", "inflow_amount");
    ph_date monday = day_of("2026-01-05");
    for (int w = 0; w < 8; w++)
        push(eng, monday + 7 * w, 0, "payments_daily", in, w < 6 ? 100000 : 50000);
    ph_error err;
    ph_assert_ok(ph_warn_engine_close_through(eng, day_of("2026-03-01"), &err), &err);
    assert_int_equal(log.hits, 1);
    assert_non_null(strstr(log.text, "2026-03-01 HIT 91370102MA00000001 drop yellow"));
    assert_non_null(strstr(log.text, "\"value\":\"500\",\"baseline\":\"875\""));
    assert_non_null(strstr(log.text, "\"change\":\"-0.42857143\""));
    assert_non_null(strstr(log.text, "\"streak\":2"));
    assert_non_null(strstr(log.text, "2026-03-01 LEVEL 91370102MA00000001 drop yellow<-green"));
    assert_int_equal(ph_warn_engine_level(eng, 0), PH_WARN_YELLOW);
    /* back to normal: the hit counts 10 days (memory), then 5 calm days:
     * green on 2026-03-16 (10 days to 03-10, the last supported day, +5 days
     * without support... the colour leaves on the 5th day after 03-10) */
    for (int w = 8; w < 12; w++)
        push(eng, monday + 7 * w, 0, "payments_daily", in, 100000);
    ph_assert_ok(ph_warn_engine_close_through(eng, day_of("2026-03-31"), &err), &err);
    assert_int_equal(ph_warn_engine_level(eng, 0), PH_WARN_GREEN);
    assert_int_equal(count_lines(&log, "LEVEL 91370102MA00000001 calm green<-yellow"), 1);
    assert_non_null(strstr(log.text, "2026-03-15 LEVEL 91370102MA00000001 calm green<-yellow"));
    assert_int_equal(log.hits, 1); /* recovery weeks are not hits */
    ph_warn_engine_free(eng);
    ph_warn_rules_free(rules);
    free(log.text);
}

/* Six firms of one group: five steady at 100 kWh a day, firm 0 at 100 then
 * 50 from 2026-02-01. Each firm counts as its day over the mean of its 28
 * days before. On 2026-02-07 firm 0's baseline holds 22 days of 100 and 6 of
 * 50 (89.2857 a day), so its index is 50 / 89.2857 = 0.56; the group's mean
 * index is (0.56 + 5 x 1) / 6 = 0.92667, and firm 0's ratio 0.6043 < 70%:
 * the seventh day running, so the rule fires that day. */
static void test_window_peers(void **state)
{
    (void)state;
    static const char RULES[] =
        "{\"name\": \"t\", \"version\": 1, \"rules\": [\n"
        "  {\"id\": \"power\", \"kind\": \"window\", \"feed\": \"electricity_daily\",\n"
        "   \"field\": \"kwh\", \"aggregate\": \"sum\", \"period\": \"day\", \"compare\": \"peers\",\n"
        "   \"baseline\": 28, \"min_peers\": 5, \"when\": \"ratio < 70%\", \"consecutive\": 7,\n"
        "   \"level\": \"yellow\", \"action\": \"inspection\"}]}";
    ph_warn_rules *rules = load(RULES);
    log_buf log = {0};
    ph_warn_engine *eng = engine(rules, &log, 6);
    int kwh = field_of("electricity_daily", "kwh");
    for (ph_date d = day_of("2025-12-01"); d <= day_of("2026-02-10"); d++)
        for (uint32_t f = 0; f < 6; f++)
            push(eng, d, f, "electricity_daily", kwh,
                 f == 0 && d >= day_of("2026-02-01") ? 50 : 100);
    ph_error err;
    ph_assert_ok(ph_warn_engine_close_through(eng, day_of("2026-02-10"), &err), &err);
    assert_int_equal(log.hits, 1);
    assert_non_null(strstr(log.text, "2026-02-07 HIT 91370102MA00000001 power yellow"));
    assert_non_null(strstr(log.text, "inspection"));
    if (strstr(log.text, "\"peers\":\"0.92666666\",\"ratio\":\"0.60431655\"") == NULL)
        fail_msg("%s", log.text);
    /* a group under min_peers is not judged: the same with 4 peers fires nothing */
    log_buf small = {0};
    ph_warn_engine *eng2 = engine(rules, &small, 4);
    for (ph_date d = day_of("2025-12-01"); d <= day_of("2026-02-10"); d++)
        for (uint32_t f = 0; f < 4; f++)
            push(eng2, d, f, "electricity_daily", kwh,
                 f == 0 && d >= day_of("2026-02-01") ? 50 : 100);
    ph_assert_ok(ph_warn_engine_close_through(eng2, day_of("2026-02-10"), &err), &err);
    assert_int_equal(small.hits, 0);
    ph_warn_engine_free(eng2);
    ph_warn_engine_free(eng);
    ph_warn_rules_free(rules);
    free(log.text);
    free(small.text);
}

/* ---- event rules, corroboration, contagion -------------------------------------------- */

static const char EVENTS[] =
    "{\"name\": \"t\", \"version\": 1,\n"
    " \"levels\": {\"memory_days\": 30, \"calm_days\": {\"yellow\": 30, \"red\": 30},\n"
    "            \"red_when_yellow_rules\": 2},\n"
    " \"rules\": [\n"
    "  {\"id\": \"tax\", \"kind\": \"event\", \"feed\": \"tax_grades\",\n"
    "   \"when\": \"grade_rank > prev_grade_rank\", \"level\": \"yellow\"},\n"
    "  {\"id\": \"overdue\", \"kind\": \"event\", \"feed\": \"credit_status\",\n"
    "   \"when\": \"days_past_due > 0 and coalesce(prev_days_past_due, 0) = 0\",\n"
    "   \"level\": \"yellow\"},\n"
    "  {\"id\": \"suits\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
    "   \"when\": \"role = \\\"defendant\\\"\", \"count\": {\"at_least\": 2, \"days\": 14},\n"
    "   \"level\": \"red\", \"action\": \"freeze\"},\n"
    "  {\"id\": \"chain\", \"kind\": \"graph\", \"on\": [\"overdue\"],\n"
    "   \"levels\": [\"yellow\", \"green\"]}\n"
    " ]}\n";

static void push_enum(ph_warn_engine *eng, ph_date day, uint32_t firm, const char *feed,
                      const char *column, const char *label)
{
    size_t f = feed_of(feed);
    int i = field_of(feed, column);
    const ph_feed_column *col = ph_warn_field_at(f, (size_t)i);
    const char *p = col->values;
    int64_t code = 0;
    while (strncmp(p, label, strlen(label)) != 0 || (p[strlen(label)] != '|' &&
                                                    p[strlen(label)] != '\0')) {
        p = strchr(p, '|');
        assert_non_null(p);
        p++;
        code++;
    }
    push(eng, day, firm, feed, i, code);
}

static void test_event_rules(void **state)
{
    (void)state;
    ph_warn_rules *rules = load(EVENTS);
    log_buf log = {0};
    ph_warn_engine *eng = engine(rules, &log, 2);
    /* the first grade has no previous one: no hit; A -> B is a downgrade */
    push_enum(eng, day_of("2025-04-15"), 0, "tax_grades", "grade", "A");
    push_enum(eng, day_of("2026-04-15"), 0, "tax_grades", "grade", "B");
    assert_int_equal(log.hits, 1);
    assert_non_null(strstr(log.text, "2026-04-15 HIT 91370102MA00000001 tax yellow"));
    assert_non_null(strstr(log.text, "\"grade\":\"B\",\"prev_grade\":\"A\""));
    /* a second yellow rule within 30 days corroborates: red */
    int dpd = field_of("credit_status", "days_past_due");
    push(eng, day_of("2026-04-30"), 0, "credit_status", dpd, 12);
    assert_int_equal(ph_warn_engine_level(eng, 0), PH_WARN_RED);
    assert_non_null(strstr(log.text, "2026-04-30 LEVEL 91370102MA00000001 overdue red<-yellow"));
    /* a defendant once is nothing; twice within 14 days is red and freezes */
    push_enum(eng, day_of("2026-05-01"), 1, "litigation", "role", "defendant");
    push_enum(eng, day_of("2026-05-20"), 1, "litigation", "role", "defendant");
    assert_int_equal(ph_warn_engine_level(eng, 1), PH_WARN_GREEN);
    push_enum(eng, day_of("2026-05-25"), 1, "litigation", "role", "defendant");
    assert_int_equal(ph_warn_engine_level(eng, 1), PH_WARN_RED);
    assert_non_null(strstr(log.text, "2026-05-25 HIT 91370102MA00000002 suits red<-green freeze"));
    assert_non_null(strstr(log.text, "\"matches\":2,\"first_match\":\"2026-05-20\""));
    ph_warn_engine_free(eng);
    ph_warn_rules_free(rules);
    free(log.text);
}

/* Chain 1: F1 -> F0 (F1 sells to F0), F2 -> F1. Chain 2: F3 -> F0, F4 -> F3.
 * F5 is in no chain. An overdue at F0 warns F1 and F3 (tier 1, yellow) and
 * F2 and F4 (tier 2, a green notice that changes no colour). */
static void test_contagion(void **state)
{
    (void)state;
    ph_warn_rules *rules = load(EVENTS);
    log_buf log = {0};
    ph_warn_engine *eng = engine(rules, &log, 6);
    ph_error err;
    ph_assert_ok(ph_warn_engine_add_link(eng, 1, 1, 0, &err), &err);
    ph_assert_ok(ph_warn_engine_add_link(eng, 1, 2, 1, &err), &err);
    ph_assert_ok(ph_warn_engine_add_link(eng, 2, 3, 0, &err), &err);
    ph_assert_ok(ph_warn_engine_add_link(eng, 2, 4, 3, &err), &err);
    ph_assert_error(ph_warn_engine_add_link(eng, 2, 4, 4, &err), PH_EINVAL, &err,
                    "two different registered firms");
    int dpd = field_of("credit_status", "days_past_due");
    push(eng, day_of("2026-06-30"), 0, "credit_status", dpd, 5);
    assert_int_equal(log.hits, 5);
    assert_non_null(strstr(log.text, "HIT 91370102MA00000002 chain yellow<-green alert "
                                     "{\"source\":\"91370102MA00000001\",\"source_rule\":"
                                     "\"overdue\",\"chain\":1,\"tier\":1}"));
    assert_non_null(strstr(log.text, "HIT 91370102MA00000004 chain yellow<-green alert "
                                     "{\"source\":\"91370102MA00000001\",\"source_rule\":"
                                     "\"overdue\",\"chain\":2,\"tier\":1}"));
    assert_non_null(strstr(log.text, "HIT 91370102MA00000003 chain green"));
    assert_non_null(strstr(log.text, "HIT 91370102MA00000005 chain green"));
    assert_int_equal(ph_warn_engine_level(eng, 1), PH_WARN_YELLOW);
    assert_int_equal(ph_warn_engine_level(eng, 2), PH_WARN_GREEN);
    assert_int_equal(ph_warn_engine_level(eng, 5), PH_WARN_GREEN);
    /* an unwatched firm gets nothing; the rest still hear of it */
    ph_assert_ok(ph_warn_engine_watch(eng, 4, 0, &err), &err);
    push(eng, day_of("2026-07-31"), 3, "credit_status", dpd, 3);
    assert_int_equal(count_lines(&log, "HIT 91370102MA00000005"), 1);
    ph_warn_engine_free(eng);
    ph_warn_rules_free(rules);
    free(log.text);
}

static void test_order_and_watching(void **state)
{
    (void)state;
    ph_warn_rules *rules = load(EVENTS);
    log_buf log = {0};
    ph_warn_engine *eng = engine(rules, &log, 2);
    ph_error err;
    int dpd = field_of("credit_status", "days_past_due");
    push(eng, day_of("2026-03-31"), 0, "credit_status", dpd, 0);
    push(eng, day_of("2026-04-30"), 0, "credit_status", dpd, 0);
    ph_warn_event late = {day_of("2026-03-31"), 0, feed_of("credit_status"), 0, {0}};
    ph_assert_error(ph_warn_engine_push(eng, &late, 1, &err), PH_EINVAL, &err,
                    "field day, value '2026-03-31': event 1 of feed credit_status for firm "
                    "91370102MA00000001 is dated before the days already closed (through "
                    "2026-04-29)");
    ph_warn_event bad = {day_of("2026-05-01"), 9, feed_of("credit_status"), 0, {0}};
    ph_assert_error(ph_warn_engine_push(eng, &bad, 1, &err), PH_EINVAL, &err,
                    "names firm 9; 2 are registered");
    /* consent revoked: the firm's events no longer run its rules */
    ph_assert_ok(ph_warn_engine_watch(eng, 1, 0, &err), &err);
    push(eng, day_of("2026-05-31"), 1, "credit_status", dpd, 10);
    assert_int_equal(log.hits, 0);
    ph_assert_ok(ph_warn_engine_watch(eng, 1, 1, &err), &err);
    push(eng, day_of("2026-06-30"), 1, "credit_status", dpd, 40);
    /* watched again: its row of May, taken while unwatched, is still its previous
     * row, so June's overdue is not new and nothing fires */
    assert_int_equal(log.hits, 0);
    push(eng, day_of("2026-07-31"), 1, "credit_status", dpd, 0);
    push(eng, day_of("2026-08-31"), 1, "credit_status", dpd, 5);
    assert_int_equal(log.hits, 1);
    assert_non_null(strstr(log.text, "2026-08-31 HIT 91370102MA00000002 overdue"));
    assert_non_null(strstr(log.text, "\"days_past_due\":\"5\",\"prev_days_past_due\":\"0\""));
    ph_assert_error(ph_warn_engine_watch(eng, 7, 0, &err), PH_EINVAL, &err, "no firm 7");
    ph_assert_error(ph_warn_engine_add_firm(eng, "123", 370102, 'C', 1, &(uint32_t){0}, &err),
                    PH_EINVAL, &err, "expected 18 characters");
    ph_warn_engine_free(eng);
    ph_warn_rules_free(rules);
    free(log.text);
}

/* ---- checkpoints ---------------------------------------------------------------------- */

/* A stream mixing every kind of rule: 6 firms over 120 days. */
static void stream(ph_warn_engine *eng, ph_date from, ph_date to)
{
    int in = field_of("payments_daily", "inflow_amount");
    int dpd = field_of("credit_status", "days_past_due");
    ph_date start = day_of("2026-01-01");
    for (ph_date d = from; d <= to; d++) {
        for (uint32_t f = 0; f < 6; f++) {
            int64_t v = 100000 + 1000 * f;
            if (f % 2 == 0 && d - start > 50 + 10 * (int)f)
                v /= 3;
            push(eng, d, f, "payments_daily", in, v);
        }
        ph_date eom = 0;
        ph_date_end_of_month(d, &eom, NULL);
        if (eom == d)
            for (uint32_t f = 0; f < 6; f++)
                push(eng, d, f, "credit_status", dpd, (f == 2 && d - start > 60) ? 31 : 0);
    }
}

static const char COMBINED[] =
    "{\"name\": \"t\", \"version\": 1,\n"
    " \"levels\": {\"memory_days\": 10, \"calm_days\": {\"yellow\": 5, \"red\": 5}},\n"
    " \"rules\": [\n"
    "  {\"id\": \"drop\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
    "   \"field\": \"inflow_amount\", \"aggregate\": \"sum\", \"period\": \"week\",\n"
    "   \"compare\": \"baseline\", \"baseline\": 4, \"when\": \"change < -40%\",\n"
    "   \"consecutive\": 2, \"level\": \"yellow\"},\n"
    "  {\"id\": \"low\", \"kind\": \"window\", \"feed\": \"payments_daily\",\n"
    "   \"field\": \"inflow_amount\", \"aggregate\": \"mean\", \"period\": \"day\",\n"
    "   \"window\": 5, \"compare\": \"peers\", \"min_peers\": 3,\n"
    "   \"when\": \"ratio < 60%\", \"consecutive\": 3, \"level\": \"yellow\"},\n"
    "  {\"id\": \"overdue\", \"kind\": \"event\", \"feed\": \"credit_status\",\n"
    "   \"when\": \"days_past_due > 30\", \"count\": {\"at_least\": 2, \"days\": 62},\n"
    "   \"level\": \"red\"},\n"
    "  {\"id\": \"chain\", \"kind\": \"graph\", \"on\": [\"overdue\"],\n"
    "   \"levels\": [\"yellow\"]}\n"
    " ]}\n";

static void test_checkpoint_restart(void **state)
{
    (void)state;
    ph_warn_rules *rules = load(COMBINED);
    ph_error err;
    ph_date first = day_of("2026-01-01"), mid = day_of("2026-02-20"), last = day_of("2026-04-30");
    /* uninterrupted */
    log_buf whole = {0};
    ph_warn_engine *eng = engine(rules, &whole, 6);
    ph_assert_ok(ph_warn_engine_add_link(eng, 1, 1, 2, &err), &err);
    stream(eng, first, last);
    ph_assert_ok(ph_warn_engine_close_through(eng, last, &err), &err);
    ph_warn_engine_free(eng);
    /* every kind of rule spoke, and colours rose and fell */
    assert_true(count_lines(&whole, " drop ") >= 1);
    assert_true(count_lines(&whole, " low ") >= 1);
    assert_true(count_lines(&whole, "HIT 91370102MA00000003 overdue red") == 1);
    assert_true(count_lines(&whole, " chain ") >= 1);
    assert_true(count_lines(&whole, " calm ") >= 1);
    /* to mid, checkpoint, a new engine from the bytes, then on */
    log_buf parts = {0};
    eng = engine(rules, &parts, 6);
    ph_assert_ok(ph_warn_engine_add_link(eng, 1, 1, 2, &err), &err);
    stream(eng, first, mid);
    ph_assert_ok(ph_warn_engine_close_through(eng, mid, &err), &err);
    unsigned char *buf = NULL;
    size_t len = 0;
    ph_assert_ok(ph_warn_engine_checkpoint(eng, &buf, &len, &err), &err);
    ph_warn_engine_free(eng);
    ph_warn_engine_opts opts = {log_report, &parts};
    ph_assert_ok(ph_warn_engine_restore(ctx, rules, buf, len, "cp", &opts, &eng, &err), &err);
    assert_int_equal(ph_warn_engine_closed(eng), mid);
    assert_int_equal(ph_warn_engine_firm_count(eng), 6);
    stream(eng, mid + 1, last);
    ph_assert_ok(ph_warn_engine_close_through(eng, last, &err), &err);
    ph_warn_engine_free(eng);
    assert_string_equal(parts.text, whole.text);
    /* a checkpoint is refused when altered, cut short or for another rule set */
    ph_warn_engine *bad = NULL;
    buf[len / 2] ^= 1;
    ph_assert_error(ph_warn_engine_restore(ctx, rules, buf, len, "cp", &opts, &bad, &err),
                    PH_EINVAL, &err, "its checksum does not match its bytes");
    buf[len / 2] ^= 1;
    ph_assert_error(ph_warn_engine_restore(ctx, rules, buf, len - 10, "cp", &opts, &bad, &err),
                    PH_EINVAL, &err, "cp: field checkpoint");
    ph_warn_rules *other = load(EVENTS);
    ph_assert_error(ph_warn_engine_restore(ctx, other, buf, len, "cp", &opts, &bad, &err),
                    PH_EINVAL, &err, "taken with another rule set");
    assert_null(bad);
    ph_warn_rules_free(other);
    ph_free(ctx, buf);
    ph_warn_rules_free(rules);
    free(whole.text);
    free(parts.text);
}

/* ---- registering a firm again ------------------------------------------------------ */

/* Registering a USCC again gives its index (and sets its watched flag),
 * among hundreds of firms and after a restore, whose firms the engine must
 * still find. */
static void test_register_again(void **state)
{
    (void)state;
    ph_warn_rules *rules = load(EVENTS);
    log_buf log = {0};
    ph_warn_engine *eng = engine(rules, &log, 7);
    ph_error err;
    char uscc[19];
    uint32_t index = 0;
    for (int i = 7; i < 300; i++) {
        snprintf(uscc, sizeof(uscc), "91370102MA%08d", i + 1);
        ph_assert_ok(ph_warn_engine_add_firm(eng, uscc, 370102, 'C', 1, &index, &err), &err);
        assert_int_equal(index, i);
    }
    for (int i = 299; i >= 0; i -= 7) {
        snprintf(uscc, sizeof(uscc), "91370102MA%08d", i + 1);
        ph_assert_ok(ph_warn_engine_add_firm(eng, uscc, 370102, 'C', 1, &index, &err), &err);
        assert_int_equal(index, i);
    }
    assert_int_equal(ph_warn_engine_firm_count(eng), 300);
    unsigned char *buf = NULL;
    size_t len = 0;
    ph_assert_ok(ph_warn_engine_checkpoint(eng, &buf, &len, &err), &err);
    ph_warn_engine_free(eng);
    ph_warn_engine_opts opts = {log_report, &log};
    ph_assert_ok(ph_warn_engine_restore(ctx, rules, buf, len, "cp", &opts, &eng, &err), &err);
    ph_assert_ok(ph_warn_engine_add_firm(eng, USCC[3], 370102, 'C', 0, &index, &err), &err);
    assert_int_equal(index, 3);
    ph_assert_ok(ph_warn_engine_add_firm(eng, "91370102MA00000250", 370102, 'C', 1, &index, &err),
                 &err);
    assert_int_equal(index, 249);
    ph_assert_ok(ph_warn_engine_add_firm(eng, "91370102MB00000001", 370102, 'C', 1, &index, &err),
                 &err);
    assert_int_equal(index, 300);
    assert_int_equal(ph_warn_engine_firm_count(eng), 301);
    /* firm 3 is no longer watched: its overdue does not fire, firm 4's does */
    int dpd = field_of("credit_status", "days_past_due");
    push(eng, day_of("2026-05-31"), 3, "credit_status", dpd, 10);
    assert_int_equal(log.hits, 0);
    push(eng, day_of("2026-05-31"), 4, "credit_status", dpd, 10);
    assert_int_equal(log.hits, 1);
    ph_warn_engine_free(eng);
    ph_free(ctx, buf);
    ph_warn_rules_free(rules);
    free(log.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_load),
        cmocka_unit_test(test_rules_errors),
        cmocka_unit_test(test_window_baseline),
        cmocka_unit_test(test_window_peers),
        cmocka_unit_test(test_event_rules),
        cmocka_unit_test(test_contagion),
        cmocka_unit_test(test_order_and_watching),
        cmocka_unit_test(test_checkpoint_restart),
        cmocka_unit_test(test_register_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
