/* The early warning's watch (src/monitor/watch.c, book.c, source.c): who is
 * watched (a loan and a live monitoring consent), the gate logged once per
 * firm, lender and wall-clock day, a revocation that stops alerts at once,
 * alerts with the engine's evidence, pause / freeze / resume on the lines,
 * a resumed replay equal to an uninterrupted one, and follow mode with a
 * late row reported and skipped. The feeds are rows written straight into
 * the feed tables; the rules are a small set whose hits are known. */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/monitor.h"

static const char RULES[] =
    "{\"name\": \"test rules\", \"version\": 1,\n"
    " \"levels\": {\"memory_days\": 1, \"calm_days\": {\"yellow\": 2, \"red\": 2},\n"
    "            \"red_when_yellow_rules\": 0},\n"
    " \"rules\": [\n"
    "  {\"id\": \"opinion_bad\", \"kind\": \"event\", \"feed\": \"public_opinion\",\n"
    "   \"when\": \"score <= -0.5\", \"repeat_days\": 0, \"level\": \"yellow\",\n"
    "   \"action\": \"pause_draws\"},\n"
    "  {\"id\": \"unload_off\", \"kind\": \"event\", \"feed\": \"logistics_gps\",\n"
    "   \"when\": \"event = \\\"unload\\\" and on_route = \\\"N\\\"\", \"repeat_days\": 0,\n"
    "   \"level\": \"red\", \"action\": \"freeze\"}\n"
    " ]}\n";

typedef struct fixture {
    char *dir;
    int64_t now;
    ph_ctx *ctx;
    char a[PH_USCC_LEN + 1]; /* BANK01's borrower, consented */
    char b[PH_USCC_LEN + 1]; /* BANK02's borrower, consented (revoked in one test) */
    char c[PH_USCC_LEN + 1]; /* BANK01's borrower, no consent */
    char *rules_path;
} fixture;

static ph_date day(const char *text)
{
    ph_date d = 0;
    ph_error err;
    ph_assert_ok(ph_date_parse(text, strlen(text), &d, &err), &err);
    return d;
}

static int64_t fixture_clock(void *user)
{
    return ((fixture *)user)->now;
}

static void set_today(fixture *fx, const char *text)
{
    fx->now = (int64_t)day(text) * 86400 + 12 * 3600;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->dir = ph_test_tmpdir("monitor_watch");
    set_today(fx, "2026-01-10");
    ph_ctx_options options = {0};
    options.log_level = PH_LOG_WARN;
    options.now = fixture_clock;
    options.now_user = fx;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&options, &fx->ctx, &err), &err);
    fx->rules_path = ph_test_path(fx->dir, "rules.json");
    ph_test_write_file(fx->rules_path, RULES);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_ctx_free(fx->ctx);
    ph_test_rmtree(fx->dir);
    free(fx->rules_path);
    free(fx->dir);
    free(fx);
    return 0;
}

static void exec(ph_store *s, const char *fmt, ...) PH_PRINTF(2, 3);
static void exec(ph_store *s, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    ph_test_exec(s, sql);
}

static int64_t query(ph_store *s, const char *fmt, ...) PH_PRINTF(2, 3);
static int64_t query(ph_store *s, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return ph_test_query_int(s, sql);
}

static void opinion(ph_store *s, const char *uscc, const char *d, const char *score)
{
    exec(s,
         "INSERT INTO feed_public_opinion VALUES ('%s', '%s', 3, %s, '%s', 1, 2, 3)", uscc, d,
         score, d);
}

static void gps(ph_store *s, const char *trip, int seq, const char *uscc, const char *d,
                const char *event, const char *on_route)
{
    exec(s,
         "INSERT INTO feed_logistics_gps VALUES ('%s', %d, '%s', '%s', 'LU-A12345', '%s', "
         "'%s', 370102, %d, '%s', 1, %d, 4)",
         trip, seq, uscc, d, event, on_route, 10 * seq, d, seq + 1);
}

/* A database with three firms, their loans and the consents of A and B:
 * A has a revolving line (1) and a term loan (2) at BANK01, B a line (3)
 * at BANK02, C a line (4) at BANK01. */
static ph_store *make_db(fixture *fx, const char *name)
{
    ph_store *s = ph_test_open_db(fx->ctx, fx->dir, name);
    ph_test_add_parties(s, fx->a, fx->b);
    ph_error err;
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 3, fx->c, &err), &err);
    exec(s,
         "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES "
         "('%s', '济南丙公司', 370102, 'C')",
         fx->c);
    ph_loan_import_row rows[4];
    memset(rows, 0, sizeof(rows));
    const char *refs[] = {"L-1", "L-2", "L-3", "L-4"};
    const char *firms[] = {fx->a, fx->a, fx->b, fx->c};
    const char *lenders[] = {"BANK01", "BANK01", "BANK02", "BANK01"};
    for (int i = 0; i < 4; i++) {
        rows[i].reference = refs[i];
        rows[i].uscc = firms[i];
        rows[i].lender = lenders[i];
        rows[i].product = "micro";
        rows[i].method = i == 1 ? "equal_installment" : "revolving";
        rows[i].amount = 10000000;
        rows[i].rate = 5 * PH_RATE_PERCENT;
        rows[i].term = 24;
        rows[i].booked_on = day("2025-01-01");
    }
    ph_assert_ok(ph_loan_import(s, rows, 4, NULL, &err), &err);
    for (int i = 0; i < 2; i++) {
        ph_consent_terms t = {i == 0 ? fx->a : fx->b, i == 0 ? "BANK01" : "BANK02",
                              PH_PURPOSE_MONITORING,
                              ph_source_set_for_purpose(PH_PURPOSE_MONITORING), 0, 0,
                              day("2026-06-30")};
        int64_t id = 0;
        ph_assert_ok(ph_consent_grant(s, &t, &id, &err), &err);
    }
    /* March 2025: A and B and C read badly on the 2nd; A's truck unloads
     * off route on the 6th; B reads badly again on the 7th */
    opinion(s, fx->a, "2025-03-02", "-0.8");
    opinion(s, fx->b, "2025-03-02", "-0.9");
    opinion(s, fx->c, "2025-03-02", "-0.9");
    opinion(s, fx->a, "2025-03-03", "0.2");
    gps(s, "T1", 1, fx->a, "2025-03-06", "depart", "Y");
    gps(s, "T1", 2, fx->a, "2025-03-06", "unload", "N");
    opinion(s, fx->b, "2025-03-07", "-0.7");
    return s;
}

/* Revoke B's consent after a given day (the progress callback of the watch). */
typedef struct revoker {
    ph_store *store;
    ph_date after;
    int done;
} revoker;

static void revoke_after(void *user, ph_date d, const ph_monitor_summary *so_far)
{
    (void)so_far;
    revoker *r = user;
    if (r->done || d != r->after)
        return;
    ph_error err;
    ph_assert_ok(ph_consent_revoke(r->store, 2, &err), &err);
    r->done = 1;
}

static ph_monitor_summary watch(ph_store *s, fixture *fx, const char *from, const char *to,
                                revoker *rev)
{
    ph_monitor_watch_opts o;
    memset(&o, 0, sizeof(o));
    o.from = day(from);
    o.to = day(to);
    o.rules_path = fx->rules_path;
    if (rev != NULL) {
        o.progress = revoke_after;
        o.user = rev;
    }
    ph_monitor_summary sum;
    ph_error err;
    ph_assert_ok(ph_monitor_watch(s, &o, &sum, &err), &err);
    return sum;
}

static void test_watch_with_consent(void **state)
{
    fixture *fx = *state;
    ph_store *s = make_db(fx, "watch.db");
    revoker rev = {s, day("2025-03-05"), 0};
    ph_monitor_summary sum = watch(s, fx, "2025-03-01", "2025-03-10", &rev);
    assert_true(rev.done);
    assert_int_equal(sum.days, 10);
    assert_int_equal(sum.events, 7);
    assert_int_equal(sum.firms, 3);
    assert_int_equal(sum.firms_watched, 2); /* A and B; C has no consent */
    assert_int_equal(sum.pairs_watched, 2);
    assert_int_equal(sum.gate_checks, 2);
    assert_int_equal(sum.gate_denied, 0);
    /* A: opinion (pause) and unload (freeze); B: opinion on the 2nd only */
    assert_int_equal(sum.alerts, 3);
    assert_int_equal(sum.alerts_by_level[PH_WARN_YELLOW], 2);
    assert_int_equal(sum.alerts_by_level[PH_WARN_RED], 1);
    assert_int_equal(sum.lines_paused, 2);
    assert_int_equal(sum.lines_frozen, 1);
    assert_int_equal(sum.lines_resumed, 2);

    /* a firm without consent yields no alert, though its hit is the same */
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert WHERE uscc = '%s'", fx->c), 0);
    /* the revocation after the 5th stops B's alerts: the 7th gives none */
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert WHERE uscc = '%s'", fx->b), 1);
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert WHERE uscc = '%s' AND day = "
                              "'2025-03-02' AND institution_id = 'BANK02' AND rule = "
                              "'opinion_bad' AND action = 'pause_draws' AND loan_id = 3",
                           fx->b),
                     1);
    /* the evidence is the engine's */
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert WHERE uscc = '%s' AND rule = "
                              "'opinion_bad' AND evidence LIKE '%%\"score\":\"-0.8\"%%'",
                           fx->a),
                     1);
    /* the access log: one entry per firm and lender on this wall-clock day */
    assert_int_equal(query(s, "SELECT count(*) FROM access_log WHERE purpose = 'monitoring'"), 2);
    assert_int_equal(query(s, "SELECT count(*) FROM access_log WHERE purpose = 'monitoring' AND "
                              "uscc = '%s' AND institution_id = 'BANK01' AND outcome = "
                              "'allowed' AND what = 'early warning watch, wall-clock day "
                              "2026-01-10' AND sources LIKE '%%public_opinion%%'",
                           fx->a),
                     1);

    /* the lines: A's line paused on the 2nd, resumed when A was green again
     * (the 4th), frozen by the unload on the 6th and left frozen; B's paused
     * and resumed; the term loan never touched */
    assert_int_equal(query(s, "SELECT flags & 1 FROM loan_state WHERE loan_id = 1"), 1);
    assert_int_equal(query(s, "SELECT flags & 1 FROM loan_state WHERE loan_id = 3"), 0);
    assert_int_equal(query(s, "SELECT count(*) FROM loan_event WHERE loan_id = 2 AND kind LIKE "
                              "'%%freeze%%'"),
                     0);
    assert_int_equal(query(s, "SELECT count(*) FROM loan_event WHERE loan_id = 1 AND kind = "
                              "'freeze'"),
                     2);
    assert_int_equal(query(s, "SELECT count(*) FROM loan_event WHERE loan_id = 1 AND kind = "
                              "'unfreeze' AND detail LIKE 'unfrozen: draws resumed: %s is green "
                              "again%%'",
                           fx->a),
                     1);
    assert_int_equal(query(s, "SELECT count(*) FROM loan_event WHERE loan_id = 1 AND kind = "
                              "'freeze' AND detail LIKE 'frozen: early warning unload_off "
                              "(alert %%): {%%'"),
                     1);
    assert_int_equal(query(s, "SELECT count(*) FROM loan_event WHERE loan_id = 4"), 1); /* book */
    /* the events of A's alerts: pause then resume on line 1; freeze on line 1 */
    ph_stmt *q = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(s,
                                  "SELECT group_concat(x, ',') FROM (SELECT e.event || ':' || "
                                  "e.loan_id AS x FROM warning_alert_event e JOIN warning_alert "
                                  "a ON a.id = e.alert_id WHERE a.uscc = ? ORDER BY e.id)",
                                  &q, &err),
                 &err);
    ph_assert_ok(ph_stmt_bind_text(q, 1, fx->a, -1, &err), &err);
    ph_assert_ok(ph_stmt_step(q, &err), &err);
    assert_string_equal(ph_stmt_column_text(q, 0), "pause:1,resume:1,freeze:1");
    ph_stmt_free(q);

    /* the colours: A yellow on the 2nd, green (calm) on the 4th, red on the
     * 6th, green on the 8th; C, never watched, has none */
    assert_int_equal(query(s, "SELECT count(*) FROM warning_level WHERE uscc = '%s'", fx->a), 4);
    assert_int_equal(sum.level_changes, 6); /* and B's yellow and green */
    ph_monitor_colour colour;
    int found = 0;
    ph_assert_ok(ph_monitor_firm_colour(s, fx->a, &colour, &found, &err), &err);
    assert_int_equal(found, 1);
    assert_int_equal(colour.level, PH_WARN_GREEN);
    assert_int_equal(colour.previous, PH_WARN_RED);
    assert_int_equal(colour.day, day("2025-03-08"));
    assert_string_equal(colour.rule, "calm");
    ph_assert_ok(ph_monitor_firm_colour(s, fx->c, &colour, &found, &err), &err);
    assert_int_equal(found, 0);

    /* a second run on the same wall-clock day logs nothing new; the next
     * day logs A again (B's consent is revoked: not watched, not logged) */
    sum = watch(s, fx, "2025-03-01", "2025-03-03", NULL);
    assert_int_equal(sum.gate_checks, 0);
    assert_int_equal(sum.firms_watched, 1);
    assert_int_equal(query(s, "SELECT count(*) FROM access_log WHERE purpose = 'monitoring'"), 2);
    set_today(fx, "2026-01-11");
    sum = watch(s, fx, "2025-03-01", "2025-03-03", NULL);
    assert_int_equal(sum.gate_checks, 1);
    assert_int_equal(query(s, "SELECT count(*) FROM access_log WHERE purpose = 'monitoring'"), 3);
    set_today(fx, "2026-01-10");
    ph_store_free(s);
}

/* Everything about the alerts but their ids, runs and timestamps. */
static char *dump(ph_store *s)
{
    ph_stmt *q = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(s,
                                  "SELECT day, uscc, institution_id, ifnull(loan_id, 0), rule, "
                                  "level, action, evidence, state FROM warning_alert ORDER BY id",
                                  &q, &err),
                 &err);
    size_t cap = 1 << 14, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    while (ph_stmt_step(q, &err) == PH_OK) {
        for (int c = 0; c < 9; c++) {
            const char *v = ph_stmt_column_text(q, c);
            len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "", c == 8 ? '\n' : '|');
            assert_true(len < cap);
        }
    }
    ph_stmt_free(q);
    return out;
}

static void test_resume_equals_one_run(void **state)
{
    fixture *fx = *state;
    ph_store *one = make_db(fx, "one.db");
    ph_store *two = make_db(fx, "two.db");
    watch(one, fx, "2025-03-01", "2025-03-10", NULL);

    ph_monitor_watch_opts o;
    memset(&o, 0, sizeof(o));
    o.from = day("2025-03-01");
    o.to = day("2025-03-03"); /* A is yellow, its line paused: the state crosses the cut */
    o.rules_path = fx->rules_path;
    o.keep_checkpoint = 1;
    ph_monitor_summary first;
    ph_error err;
    ph_assert_ok(ph_monitor_watch(two, &o, &first, &err), &err);
    assert_non_null(first.checkpoint);
    assert_true(first.checkpoint_len > 0);
    assert_int_equal(query(two, "SELECT length(checkpoint) FROM warning_run WHERE id = %lld",
                           (long long)first.run_id),
                     (int64_t)first.checkpoint_len);

    /* the wrong first day is refused, naming the checkpoint's */
    memset(&o, 0, sizeof(o));
    o.from = day("2025-03-05");
    o.to = day("2025-03-10");
    o.rules_path = fx->rules_path;
    o.resume = first.checkpoint;
    o.resume_len = first.checkpoint_len;
    o.resume_source = "cut.bin";
    ph_assert_error(ph_monitor_watch(two, &o, NULL, &err), PH_EINVAL, &err,
                    "field from, value '2025-03-05': the checkpoint closed 2025-03-03: a "
                    "resumed replay starts on the day after");
    /* another rule set is refused by the engine */
    o.from = 0;
    o.rules_path = NULL; /* the built-in default */
    ph_assert_error(ph_monitor_watch(two, &o, NULL, &err), PH_EINVAL, &err, "checkpoint");
    o.rules_path = fx->rules_path;
    ph_monitor_summary rest;
    ph_assert_ok(ph_monitor_watch(two, &o, &rest, &err), &err);
    assert_int_equal(rest.from, day("2025-03-04"));
    assert_int_equal(rest.days, 7);
    char *a = dump(one), *b = dump(two);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "unload_off"));
    free(a);
    free(b);
    /* and the book ends the same */
    assert_int_equal(query(one, "SELECT sum(flags * loan_id) FROM loan_state"),
                     query(two, "SELECT sum(flags * loan_id) FROM loan_state"));
    assert_int_equal(query(one, "SELECT sum(flags * loan_id) FROM loan_state"), 1);
    ph_monitor_summary_free(fx->ctx, &first);
    ph_store_free(one);
    ph_store_free(two);
}

typedef struct late_seen {
    int count;
    char path[512];
    int64_t line;
    char feed[32];
    ph_date day, reached;
} late_seen;

static void on_late(void *user, const ph_monitor_late_row *r)
{
    late_seen *l = user;
    l->count++;
    snprintf(l->path, sizeof(l->path), "%s", r->path);
    snprintf(l->feed, sizeof(l->feed), "%s", r->feed);
    l->line = r->line;
    l->day = r->day;
    l->reached = r->reached;
}

static void ingest_file(fixture *fx, ph_store *s, const char *name, const char *text)
{
    char *path = ph_test_path(fx->dir, name);
    ph_test_write_file(path, text);
    ph_ingest_options io;
    ph_ingest_options_init(&io);
    io.known_on = "2025-04-01";
    io.threads = 1;
    ph_ingest *ing = NULL;
    ph_error err;
    ph_assert_ok(ph_ingest_new(s, &io, &ing, &err), &err);
    const char *paths[] = {path};
    ph_assert_ok(ph_ingest_paths(ing, paths, 1, &err), &err);
    ph_ingest_free(ing);
    free(path);
}

static void test_follow(void **state)
{
    fixture *fx = *state;
    ph_store *s = ph_test_open_db(fx->ctx, fx->dir, "follow.db");
    ph_test_add_parties(s, fx->a, fx->b);
    ph_error err;
    ph_loan_import_row row;
    memset(&row, 0, sizeof(row));
    row.reference = "L-1";
    row.uscc = fx->a;
    row.lender = "BANK01";
    row.product = "micro";
    row.method = "revolving";
    row.amount = 10000000;
    row.rate = 5 * PH_RATE_PERCENT;
    row.term = 24;
    row.booked_on = day("2025-01-01");
    ph_assert_ok(ph_loan_import(s, &row, 1, NULL, &err), &err);
    ph_consent_terms t = {fx->a, "BANK01", PH_PURPOSE_MONITORING,
                          ph_source_set_for_purpose(PH_PURPOSE_MONITORING), 0, 0,
                          day("2026-06-30")};
    int64_t id = 0;
    ph_assert_ok(ph_consent_grant(s, &t, &id, &err), &err);

    late_seen late;
    memset(&late, 0, sizeof(late));
    ph_monitor_follow_opts fo;
    memset(&fo, 0, sizeof(fo));
    fo.rules_path = fx->rules_path;
    fo.late = on_late;
    fo.user = &late;
    ph_monitor_follower *f = NULL;
    ph_assert_ok(ph_monitor_follow_open(s, &fo, &f, &err), &err);
    int64_t files = -1;
    ph_assert_ok(ph_monitor_follow_poll(f, &files, &err), &err);
    assert_int_equal(files, 0);

    char text[512];
    snprintf(text, sizeof(text), "uscc,date,mentions,score\n%s,2025-03-02,3,-0.8000\n%s,"
                                 "2025-03-05,4,0.1000\n",
             fx->a, fx->a);
    ingest_file(fx, s, "public_opinion.csv", text);
    ph_assert_ok(ph_monitor_follow_poll(f, &files, &err), &err);
    assert_int_equal(files, 1);
    const ph_monitor_summary *sum = ph_monitor_follow_summary(f);
    assert_int_equal(sum->events, 2);
    assert_int_equal(sum->alerts, 1);
    assert_int_equal(sum->to, day("2025-03-05"));
    int64_t run = sum->run_id;
    assert_int_equal(query(s, "SELECT cursor_file_id FROM warning_run WHERE id = %lld",
                           (long long)run),
                     query(s, "SELECT max(id) FROM ingest_file"));
    assert_int_equal(query(s, "SELECT to_day = '2025-03-05' AND checkpoint IS NOT NULL FROM "
                              "warning_run WHERE id = %lld",
                           (long long)run),
                     1);
    ph_assert_ok(ph_monitor_follow_close(f, &err), &err);

    /* a new follower goes on from the stored session: an old row is late,
     * a row of the open day and a later one are taken */
    snprintf(text, sizeof(text), "trip_id,seq,uscc,date,vehicle,event,on_route,division,km\n"
                                 "T9,1,%s,2025-03-01,LU-A12345,depart,Y,370102,0\n"
                                 "T9,2,%s,2025-03-05,LU-A12345,unload,N,370102,12\n"
                                 "T9,3,%s,2025-03-06,LU-A12345,arrive,Y,370102,30\n",
             fx->a, fx->a, fx->a);
    ingest_file(fx, s, "logistics_gps.csv", text);
    ph_assert_ok(ph_monitor_follow_open(s, &fo, &f, &err), &err);
    assert_int_equal(ph_monitor_follow_summary(f)->run_id, run);
    ph_assert_ok(ph_monitor_follow_poll(f, &files, &err), &err);
    sum = ph_monitor_follow_summary(f);
    assert_int_equal(files, 1);
    assert_int_equal(sum->late_rows, 1);
    assert_int_equal(late.count, 1);
    assert_non_null(strstr(late.path, "logistics_gps.csv"));
    assert_int_equal(late.line, 2);
    assert_string_equal(late.feed, "logistics_gps");
    assert_int_equal(late.day, day("2025-03-01"));
    assert_int_equal(late.reached, day("2025-03-05"));
    assert_int_equal(sum->events, 2);
    assert_int_equal(sum->alerts, 1); /* the unload on the open day */
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert WHERE run_id = %lld",
                           (long long)run),
                     2);
    assert_int_equal(query(s, "SELECT flags & 1 FROM loan_state WHERE loan_id = 1"), 1);
    ph_assert_ok(ph_monitor_follow_close(f, &err), &err);
    assert_int_equal(query(s, "SELECT count(*) FROM warning_run"), 1);
    ph_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watch_with_consent),
        cmocka_unit_test(test_resume_equals_one_run),
        cmocka_unit_test(test_follow),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
