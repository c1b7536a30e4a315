/* A late claim-voucher settlement as an early-warning signal, end to end
 * through ph_monitor_watch with the shipped default rule set: the core
 * enterprise pays its voucher after maturity (ph_voucher_settle), the watch
 * reads the settlement through the voucher module
 * (voucher_late_settlements), voucher_paid_late holds for the holder it paid
 * late, and chain_contagion passes it on to the holder's counterparties in
 * every supply chain, decaying by tier. An on-time settlement, a part paid
 * to its financier, and a firm in no chain of the holder give nothing; the
 * catalogue feeds' indexes are those they were before the record came. */
#include "ph_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/market.h"
#include "puhui/monitor.h"
#include "puhui/uscc.h"
#include "puhui/voucher.h"
#include "puhui/warning.h"

/*
 * CORE (a core enterprise, not a registered firm) buys from H (tier 1 of
 * SC0001); H buys from S (tier 2), S from F (tier 3). In SC0002 X buys from
 * H. O is registered, borrows and consents, but is in no chain of H's.
 * Every firm has a revolving line at BANK01 and a monitoring consent.
 */
typedef struct fixture {
    char *dir;
    int64_t now;
    ph_ctx *ctx;
    char core[PH_USCC_LEN + 1];
    char h[PH_USCC_LEN + 1], s[PH_USCC_LEN + 1], f[PH_USCC_LEN + 1];
    char x[PH_USCC_LEN + 1], o[PH_USCC_LEN + 1];
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

static void sqlf(ph_store *s, const char *fmt, ...) PH_PRINTF(2, 3);
static void sqlf(ph_store *s, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    ph_test_exec(s, sql);
}

static int64_t query(ph_store *s, const char *fmt, ...) PH_PRINTF(2, 3);
static int64_t query(ph_store *s, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return ph_test_query_int(s, sql);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->dir = ph_test_tmpdir("monitor_voucher");
    fx->now = (int64_t)day("2026-01-10") * 86400 + 12 * 3600;
    ph_ctx_options options = {0};
    options.log_level = PH_LOG_WARN;
    options.now = fixture_clock;
    options.now_user = fx;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&options, &fx->ctx, &err), &err);
    char *firms[] = {fx->h, fx->s, fx->f, fx->x, fx->o};
    ph_assert_ok(ph_uscc_generate('9', '1', 370100, 900, fx->core, &err), &err);
    for (int i = 0; i < 5; i++)
        ph_assert_ok(ph_uscc_generate('9', '1', 370102, 10 + i, firms[i], &err), &err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_ctx_free(fx->ctx);
    ph_test_rmtree(fx->dir);
    free(fx->dir);
    free(fx);
    return 0;
}

static void link(ph_store *s, const fixture *fx, const char *chain, int tier,
                 const char *supplier, const char *buyer, int line)
{
    sqlf(s,
         "INSERT INTO feed_supply_chain (chain_id, core_uscc, tier, supplier_uscc, buyer_uscc, "
         "since, annual_volume_fen, known_on, file_id, line, row_hash) VALUES ('%s', '%s', %d, "
         "'%s', '%s', '2020-01-01', 100000000, '2025-01-01', 1, %d, 0)",
         chain, fx->core, tier, supplier, buyer, line);
}

/* The world above, with one voucher of 1,000,000.00 yuan to H maturing on
 * 2025-06-01 and paid on `paid_on`, and one of 500,000.00 that H discounts
 * at BANK01 and that is paid to the bank on the same day. */
static ph_store *make_db(fixture *fx, const char *name, const char *paid_on)
{
    ph_store *s = ph_test_open_db(fx->ctx, fx->dir, name);
    ph_error err;
    sqlf(s,
         "INSERT INTO institution (id, name, kind) VALUES ('%s', '山东重工', 'core_enterprise'),"
         "('BANK01', '齐鲁银行', 'commercial_bank');"
         "INSERT INTO feed_core_enterprises (uscc, name, industry_code, region_code, rating, "
         "annual_procurement_fen, known_on, file_id, line, row_hash) VALUES ('%s', '山东重工', "
         "'C34', 370100, 'AA', 100000000000, '2025-01-01', 1, 1, 0)",
         fx->core, fx->core);
    const char *firms[] = {fx->h, fx->s, fx->f, fx->x, fx->o};
    const char *names[] = {"甲", "乙", "丙", "丁", "戊"};
    for (int i = 0; i < 5; i++)
        sqlf(s,
             "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES ('%s', "
             "'济南%s公司', 370102, 'C')",
             firms[i], names[i]);
    link(s, fx, "SC0001", 1, fx->h, fx->core, 2);
    link(s, fx, "SC0001", 2, fx->s, fx->h, 3);
    link(s, fx, "SC0001", 3, fx->f, fx->s, 4);
    link(s, fx, "SC0002", 1, fx->h, fx->x, 5);

    ph_loan_import_row rows[5];
    memset(rows, 0, sizeof(rows));
    const char *refs[] = {"L-1", "L-2", "L-3", "L-4", "L-5"};
    for (int i = 0; i < 5; i++) {
        rows[i].reference = refs[i];
        rows[i].uscc = firms[i];
        rows[i].lender = "BANK01";
        rows[i].product = "micro";
        rows[i].method = "revolving";
        rows[i].amount = 10000000;
        rows[i].rate = 5 * PH_RATE_PERCENT;
        rows[i].term = 24;
        rows[i].booked_on = day("2025-01-01");
        ph_consent_terms t = {firms[i], "BANK01", PH_PURPOSE_MONITORING,
                              ph_source_set_for_purpose(PH_PURPOSE_MONITORING), 0, 0,
                              day("2026-06-30")};
        int64_t id = 0;
        ph_assert_ok(ph_consent_grant(s, &t, &id, &err), &err);
    }
    ph_assert_ok(ph_loan_import(s, rows, 5, NULL, &err), &err);

    ph_rate lpr = 0;
    ph_assert_ok(ph_rate_parse_percent("3.10", 4, &lpr, &err), &err);
    ph_assert_ok(ph_market_set_lpr(s, day("2025-01-01"), lpr, &err), &err);
    char held[PH_VOUCHER_ID_MAX], financed[PH_VOUCHER_ID_MAX];
    ph_voucher_issue_args a = {.issuer = fx->core, .to = fx->h, .face = 100000000,
                               .on = day("2025-03-01"), .maturity = day("2025-06-01"),
                               .payable_ref = "AP-1"};
    ph_assert_ok(ph_voucher_issue(s, NULL, &a, held, &err), &err);
    a.face = 50000000;
    a.payable_ref = "AP-2";
    ph_assert_ok(ph_voucher_issue(s, NULL, &a, financed, &err), &err);
    ph_assert_ok(ph_voucher_finance(s, NULL, financed, fx->h, "BANK01", day("2025-03-02"), NULL,
                                    &err),
                 &err);
    ph_assert_ok(ph_voucher_settle(s, NULL, held, day(paid_on), NULL, NULL, &err), &err);
    ph_assert_ok(ph_voucher_settle(s, NULL, financed, day(paid_on), NULL, NULL, &err), &err);
    return s;
}

/* The default rule set over 2025-05-25 .. 2025-06-15. */
static ph_monitor_summary watch(ph_store *s)
{
    ph_monitor_watch_opts o;
    memset(&o, 0, sizeof(o));
    o.from = day("2025-05-25");
    o.to = day("2025-06-15");
    ph_monitor_summary sum;
    ph_error err;
    ph_assert_ok(ph_monitor_watch(s, &o, &sum, &err), &err);
    return sum;
}

static int64_t alerts(ph_store *s, const char *uscc, const char *rule, const char *level,
                      const char *evidence_like)
{
    return query(s,
                 "SELECT count(*) FROM warning_alert WHERE uscc = '%s' AND rule = '%s' AND "
                 "level = '%s' AND day = '2025-06-05' AND institution_id = 'BANK01' AND "
                 "evidence LIKE '%s'",
                 uscc, rule, level, evidence_like);
}

static void test_late_settlement_spreads(void **state)
{
    fixture *fx = *state;
    ph_store *s = make_db(fx, "late.db", "2025-06-05");
    ph_monitor_summary sum = watch(s);
    assert_string_equal(sum.rules_name, "province default");
    assert_int_equal(sum.rules_version, 2);
    /* one event: the part paid to H; the part paid to BANK01, its financier,
     * is about no registered firm */
    assert_int_equal(sum.events, 1);
    assert_int_equal(sum.skipped_rows, 1);
    assert_int_equal(sum.firms_watched, 5);

    /* H, the issuer's counterparty paid 4 days late: the rule itself */
    char like[256];
    assert_int_equal(alerts(s, fx->h, "voucher_paid_late", "yellow",
                            "{\"feed\":\"voucher_late_settlements\",\"day\":\"2025-06-05\","
                            "\"days_late\":\"4\",%\"amount\":\"1000000%"),
                     1);
    /* its counterparties: S (SC0001) and X (SC0002) at tier 1, yellow; F,
     * S's supplier, at tier 2, green (noted, no colour) */
    snprintf(like, sizeof(like),
             "{\"source\":\"%s\",\"source_rule\":\"voucher_paid_late\",\"chain\":1,\"tier\":1}",
             fx->h);
    assert_int_equal(alerts(s, fx->s, "chain_contagion", "yellow", like), 1);
    snprintf(like, sizeof(like),
             "{\"source\":\"%s\",\"source_rule\":\"voucher_paid_late\",\"chain\":2,\"tier\":1}",
             fx->h);
    assert_int_equal(alerts(s, fx->x, "chain_contagion", "yellow", like), 1);
    snprintf(like, sizeof(like),
             "{\"source\":\"%s\",\"source_rule\":\"voucher_paid_late\",\"chain\":1,\"tier\":2}",
             fx->h);
    assert_int_equal(alerts(s, fx->f, "chain_contagion", "green", like), 1);
    /* O, in no chain of H's, hears nothing; nothing else fired */
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert WHERE uscc = '%s'", fx->o), 0);
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert"), 4);
    assert_int_equal(sum.alerts, 4);
    assert_int_equal(sum.alerts_by_level[PH_WARN_YELLOW], 3);
    assert_int_equal(sum.alerts_by_level[PH_WARN_GREEN], 1);
    /* the colours: H, S and X yellow on the day paid; F keeps green */
    assert_int_equal(query(s, "SELECT count(*) FROM warning_level WHERE level = 'yellow' AND "
                              "day = '2025-06-05'"),
                     3);
    ph_monitor_colour colour;
    int found = 0;
    ph_error err;
    ph_assert_ok(ph_monitor_firm_colour(s, fx->s, &colour, &found, &err), &err);
    assert_int_equal(found, 1);
    assert_int_equal(colour.level, PH_WARN_YELLOW);
    assert_string_equal(colour.rule, "chain_contagion");
    ph_assert_ok(ph_monitor_firm_colour(s, fx->f, &colour, &found, &err), &err);
    assert_int_equal(found, 0);
    ph_store_free(s);
}

static void test_on_time_settlement_is_silent(void **state)
{
    fixture *fx = *state;
    ph_store *s = make_db(fx, "on_time.db", "2025-06-01");
    assert_int_equal(query(s, "SELECT count(*) FROM voucher_settlement WHERE days_late = 0"), 2);
    ph_monitor_summary sum = watch(s);
    assert_int_equal(sum.events, 0);
    assert_int_equal(sum.skipped_rows, 0);
    assert_int_equal(sum.firms_watched, 5);
    assert_int_equal(sum.alerts, 0);
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert"), 0);
    assert_int_equal(query(s, "SELECT count(*) FROM warning_level"), 0);
    ph_store_free(s);
}

/* The alerts but their ids, runs and timestamps. */
static void dump(ph_store *s, char *out, size_t cap)
{
    ph_stmt *q = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(s,
                                  "SELECT day || uscc || rule || level || evidence FROM "
                                  "warning_alert ORDER BY id",
                                  &q, &err),
                 &err);
    size_t len = 0;
    out[0] = '\0';
    while (ph_stmt_step(q, &err) == PH_OK) {
        len += (size_t)snprintf(out + len, cap - len, "%s\n", ph_stmt_column_text(q, 0));
        assert_true(len < cap);
    }
    ph_stmt_free(q);
}

/* A replay cut before the day paid and resumed from its checkpoint reads
 * the settlement in the resumed part and writes what one run writes. */
static void test_resume_across_the_day_paid(void **state)
{
    fixture *fx = *state;
    ph_store *one = make_db(fx, "one.db", "2025-06-05");
    ph_store *two = make_db(fx, "two.db", "2025-06-05");
    watch(one);
    ph_monitor_watch_opts o;
    memset(&o, 0, sizeof(o));
    o.from = day("2025-05-25");
    o.to = day("2025-06-03");
    o.keep_checkpoint = 1;
    ph_monitor_summary first, rest;
    ph_error err;
    ph_assert_ok(ph_monitor_watch(two, &o, &first, &err), &err);
    assert_int_equal(first.events, 0);
    memset(&o, 0, sizeof(o));
    o.to = day("2025-06-15");
    o.resume = first.checkpoint;
    o.resume_len = first.checkpoint_len;
    ph_assert_ok(ph_monitor_watch(two, &o, &rest, &err), &err);
    assert_int_equal(rest.from, day("2025-06-04"));
    assert_int_equal(rest.events, 1);
    static char a[8192], b[8192];
    dump(one, a, sizeof(a));
    dump(two, b, sizeof(b));
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "voucher_paid_late"));
    ph_monitor_summary_free(fx->ctx, &first);
    ph_store_free(one);
    ph_store_free(two);
}

/* A late settlement outside the days replayed is not read. */
static void test_outside_the_days(void **state)
{
    fixture *fx = *state;
    ph_store *s = make_db(fx, "later.db", "2025-06-20");
    ph_monitor_summary sum = watch(s); /* to 2025-06-15 */
    assert_int_equal(sum.events, 0);
    assert_int_equal(query(s, "SELECT count(*) FROM warning_alert"), 0);
    ph_store_free(s);
}

/* The record comes after the catalogue's feeds, whose indexes keep their
 * meaning; no consent names it; a set reading it alone is refused. */
static void test_the_record_as_a_feed(void **state)
{
    fixture *fx = *state;
    size_t n = ph_warn_feed_count();
    assert_true(n >= 2);
    assert_string_equal(ph_warn_feed_at(n - 1)->name, "voucher_late_settlements");
    assert_null(ph_warn_feed_at(n - 1)->path);
    assert_int_equal(ph_warn_feed_index("voucher_late_settlements"), (int)(n - 1));
    for (size_t i = 0; i + 1 < n; i++)
        assert_ptr_equal(ph_feed_find(ph_warn_feed_at(i)->name), ph_warn_feed_at(i));
    assert_int_equal(ph_warn_field_count(n - 1), 2);
    assert_string_equal(ph_warn_field_at(n - 1, 0)->name, "days_late");
    assert_string_equal(ph_warn_field_at(n - 1, 1)->name, "amount");

    const char *def = ph_warn_rules_default_text();
    ph_warn_rules *rules = NULL;
    ph_error err;
    ph_assert_ok(ph_warn_rules_load(fx->ctx, def, strlen(def), "default", &rules, &err), &err);
    char list[PH_SOURCE_SET_FORMAT_MAX];
    ph_assert_ok(ph_source_set_format(ph_warn_rules_sources(rules), list, sizeof(list), &err),
                 &err);
    assert_null(strstr(list, "voucher"));
    assert_non_null(strstr(list, "credit_status"));
    ph_warn_rules_free(rules);

    static const char ALONE[] =
        "{\"name\": \"vouchers only\", \"version\": 1,\n"
        " \"rules\": [{\"id\": \"late\", \"kind\": \"event\",\n"
        "   \"feed\": \"voucher_late_settlements\", \"when\": \"days_late >= 30\",\n"
        "   \"level\": \"red\"}]}\n";
    ph_assert_error(ph_warn_rules_load(fx->ctx, ALONE, strlen(ALONE), "alone.json", &rules,
                                       &err),
                    PH_EINVAL, &err,
                    "alone.json:2:2: field rules: expected at least one rule reading a feed of "
                    "the catalogue");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_late_settlement_spreads),
        cmocka_unit_test(test_on_time_settlement_is_silent),
        cmocka_unit_test(test_outside_the_days),
        cmocka_unit_test(test_resume_across_the_day_paid),
        cmocka_unit_test(test_the_record_as_a_feed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
