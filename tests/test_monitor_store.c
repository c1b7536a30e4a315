/* The early warning's store (src/monitor/rules_store.c, alerts.c): rule sets
 * by version with their exact bytes, located errors for a bad document or an
 * unknown feed, one active set, the built-in default; alerts listed,
 * counted and moved along their states, impossible moves refused in words. */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/monitor.h"

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("monitor_store", &fx->ctx, &fx->dir);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "p.db");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static const char SET_V1[] =
    "{\"name\": \"bank rules\", \"version\": 1,\n"
    " \"rules\": [{\"id\": \"court\", \"kind\": \"event\", \"feed\": \"litigation\",\n"
    "             \"when\": \"case_type = \\\"enforcement\\\"\", \"level\": \"red\"}]}\n";

static char *write(fixture *fx, const char *name, const char *text)
{
    char *path = ph_test_path(fx->dir, name);
    ph_test_write_file(path, text);
    return path;
}

static void test_rule_sets(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_monitor_rules_entry *e = NULL;
    /* none active: get says so, and names what runs instead */
    ph_assert_error(ph_monitor_rules_get(fx->store, NULL, 0, NULL, &e, &err), PH_ENOTFOUND,
                    &err, "no rule set is active (the built-in default runs");

    char *v1 = write(fx, "bank_v1.json", SET_V1);
    ph_assert_ok(ph_monitor_rules_load(fx->store, v1, 0, &e, &err), &err);
    assert_string_equal(e->name, "bank rules");
    assert_int_equal(e->version, 1);
    assert_string_equal(e->file, "bank_v1.json");
    assert_int_equal(e->stored, 1);
    assert_int_equal(e->active, 0);
    assert_int_equal(e->size, strlen(SET_V1));
    char sum[PH_CHECKSUM_HEX];
    ph_checksum_hex(SET_V1, strlen(SET_V1), sum);
    assert_string_equal(e->checksum, sum);
    int64_t id1 = e->id;
    ph_monitor_rules_entry_free(e);
    /* the same bytes again: nothing stored; other bytes, same version: refused */
    ph_assert_ok(ph_monitor_rules_load(fx->store, v1, 1, &e, &err), &err);
    assert_int_equal(e->stored, 0);
    assert_int_equal(e->active, 1);
    ph_monitor_rules_entry_free(e);
    char changed[sizeof(SET_V1) + 8];
    snprintf(changed, sizeof(changed), "%s ", SET_V1);
    ph_assert_error(ph_monitor_rules_load_text(fx->store, changed, strlen(changed), "x.json", 0,
                                               NULL, &err),
                    PH_EEXISTS, &err,
                    "rule set bank rules version 1 is already loaded with checksum");
    /* the exact bytes come back */
    char *text = NULL;
    size_t len = 0;
    ph_assert_ok(ph_monitor_rules_text(fx->store, id1, &text, &len, &err), &err);
    assert_int_equal(len, strlen(SET_V1));
    assert_memory_equal(text, SET_V1, len);
    ph_free(fx->ctx, text);

    /* version 2, activated: the active marker moves */
    char v2text[sizeof(SET_V1)];
    snprintf(v2text, sizeof(v2text), "%s", SET_V1);
    char *at = strstr(v2text, "\"version\": 1");
    at[11] = '2';
    ph_assert_ok(ph_monitor_rules_load_text(fx->store, v2text, strlen(v2text), "dir/v2.json", 1,
                                            &e, &err),
                 &err);
    assert_string_equal(e->file, "v2.json");
    ph_monitor_rules_entry_free(e);
    ph_warn_rules *rules = NULL;
    ph_assert_ok(ph_monitor_rules_get(fx->store, NULL, 0, &rules, &e, &err), &err);
    assert_int_equal(e->version, 2);
    assert_int_equal(ph_warn_rules_version(rules), 2);
    ph_warn_rules_free(rules);
    ph_monitor_rules_entry_free(e);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM warning_rules WHERE "
                                                  "active = 1"),
                     1);
    ph_assert_ok(ph_monitor_rules_activate(fx->store, NULL, 1, &err), &err);
    ph_assert_ok(ph_monitor_rules_get(fx->store, "bank rules", 0, NULL, &e, &err), &err);
    assert_int_equal(e->version, 1);
    ph_monitor_rules_entry_free(e);
    ph_assert_error(ph_monitor_rules_activate(fx->store, "bank rules", 9, &err), PH_ENOTFOUND,
                    &err, "rule set bank rules has no version 9 loaded");
    ph_assert_error(ph_monitor_rules_activate(fx->store, NULL, 0, &err), PH_EINVAL, &err,
                    "expected a version of 1 or more");
    /* a second set with a version 1 makes "version 1" ambiguous */
    char other[sizeof(SET_V1)];
    snprintf(other, sizeof(other), "%s", SET_V1);
    memcpy(strstr(other, "bank rules"), "other rule", 10);
    ph_assert_ok(ph_monitor_rules_load_text(fx->store, other, strlen(other), "o.json", 0, NULL,
                                            &err),
                 &err);
    ph_assert_error(ph_monitor_rules_activate(fx->store, NULL, 1, &err), PH_EINVAL, &err,
                    "2 rule sets have a version 1 (bank rules ... other rule): name one with "
                    "--name");
    ph_assert_ok(ph_monitor_rules_activate(fx->store, "other rule", 1, &err), &err);

    /* an altered row is never used */
    ph_test_exec(fx->store, "DROP TRIGGER warning_rules_frozen");
    ph_test_exec(fx->store, "UPDATE warning_rules SET text = CAST(replace(CAST(text AS TEXT), "
                            "'red', 'yellow') AS BLOB) WHERE name = 'bank rules' AND version = 1");
    ph_assert_error(ph_monitor_rules_get(fx->store, "bank rules", 1, &rules, NULL, &err),
                    PH_ESTORE, &err, "the row was altered; it will not be used");

    /* the list */
    int64_t n = ph_test_query_int(fx->store, "SELECT count(*) FROM warning_rules");
    assert_true(n >= 2);
    free(v1);
}

static void test_bad_documents(void **state)
{
    fixture *fx = *state;
    ph_error err;
    /* a member the loader does not know: located at its line and column */
    char *bad = write(fx, "bad.json",
                      "{\"name\": \"bad\", \"version\": 1,\n"
                      " \"rules\": [\n"
                      "  {\"id\": \"a\", \"kind\": \"event\", \"feed\": \"nowhere\",\n"
                      "   \"when\": \"1 = 1\", \"level\": \"red\"}]}\n");
    ph_assert_error(ph_monitor_rules_load(fx->store, bad, 0, NULL, &err), PH_EINVAL, &err,
                    "rules[0].feed");
    assert_non_null(strstr(err.message, "bad.json:3:"));
    assert_non_null(strstr(err.message, "nowhere"));
    assert_non_null(strstr(err.message, "expected a feed serving monitoring"));
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM warning_rules"), 0);
    free(bad);
    /* not JSON at all */
    bad = write(fx, "broken.json", "{\"name\": \"x\",\n \"version\": }\n");
    ph_assert_error(ph_monitor_rules_load(fx->store, bad, 0, NULL, &err), PH_EINVAL, &err,
                    "broken.json:2:");
    free(bad);
    ph_assert_error(ph_monitor_rules_load(fx->store, "/nonexistent/r.json", 0, NULL, &err),
                    PH_EIO, &err, "/nonexistent/r.json");
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM warning_rules"), 0);
}

static void add_alert(fixture *fx, const char *rule, const char *level, const char *uscc)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO warning_alert (run_id, day, uscc, institution_id, rule_set_id, rule, "
             "level, action, evidence, created_at, updated_at) VALUES (1, '2025-03-0%d', '%s', "
             "'BANK01', 1, '%s', '%s', 'alert', '{\"x\":1}', 't', 't')",
             (int)ph_test_query_int(fx->store, "SELECT count(*) + 1 FROM warning_alert"), uscc,
             rule, level);
    ph_test_exec(fx->store, sql);
}

typedef struct seen {
    int alerts, events;
    char last_state[32];
    char events_text[512];
} seen;

static ph_status on_alert(void *user, const ph_monitor_alert *a, ph_error *err)
{
    (void)err;
    seen *s = user;
    s->alerts++;
    snprintf(s->last_state, sizeof(s->last_state), "%s", a->state);
    return PH_OK;
}

static ph_status on_event(void *user, const ph_monitor_alert_event *e, ph_error *err)
{
    (void)err;
    seen *s = user;
    s->events++;
    size_t len = strlen(s->events_text);
    snprintf(s->events_text + len, sizeof(s->events_text) - len, "%s/%s/%s;", e->event,
             e->by_whom, e->reason);
    return PH_OK;
}

static ph_status on_count(void *user, const ph_monitor_alert_count *c, ph_error *err)
{
    (void)err;
    char *out = user;
    size_t len = strlen(out);
    snprintf(out + len, 256 - len, "%s:%lld/%lld/%lld;", c->key, (long long)c->alerts,
             (long long)c->red, (long long)c->firms);
    return PH_OK;
}

static void test_alerts(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_test_exec(fx->store, "INSERT INTO warning_rules (name, version, checksum, size, text, "
                            "file, loaded_at) VALUES ('r', 1, printf('%064d', 0), 2, x'7b7d', "
                            "'r.json', 't');"
                            "INSERT INTO warning_run (rule_set_id, mode, started_at) VALUES "
                            "(1, 'replay', 't')");
    add_alert(fx, "court", "red", "91370102MA00000001");
    add_alert(fx, "opinion", "yellow", "91370102MA00000001");
    add_alert(fx, "opinion", "yellow", "91370102MA00000002");

    /* lists and counts */
    seen s;
    memset(&s, 0, sizeof(s));
    ph_monitor_alert_filter f;
    memset(&f, 0, sizeof(f));
    ph_assert_ok(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), &err);
    assert_int_equal(s.alerts, 3);
    f.level = "yellow";
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), &err);
    assert_int_equal(s.alerts, 2);
    f.level = "purple";
    ph_assert_error(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), PH_EINVAL, &err,
                    "field level, value 'purple': expected green, yellow or red");
    memset(&f, 0, sizeof(f));
    f.limit = 1;
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), &err);
    assert_int_equal(s.alerts, 1);
    f.limit = 0;
    f.after_id = 1; /* a keyset page */
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), &err);
    assert_int_equal(s.alerts, 2);
    f.after_id = 0;
    ph_date d = 0;
    ph_assert_ok(ph_date_parse("2025-03-02", 10, &d, &err), &err);
    f.from = f.to = d; /* the second alert's day only */
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), &err);
    assert_int_equal(s.alerts, 1);
    f.from = d + 1;
    ph_assert_error(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), PH_EINVAL, &err,
                    "field to, value '2025-03-02': expected a last day on or after the first");
    f.from = f.to = 0;
    char counts[256] = "";
    ph_assert_ok(ph_monitor_alert_counts(fx->store, &f, PH_MONITOR_BY_RULE, on_count, counts,
                                         &err),
                 &err);
    assert_string_equal(counts, "opinion:2/0/2;court:1/1/1;");
    counts[0] = '\0';
    ph_assert_ok(ph_monitor_alert_counts(fx->store, &f, PH_MONITOR_BY_LEVEL, on_count, counts,
                                         &err),
                 &err);
    assert_string_equal(counts, "yellow:2/0/2;red:1/1/1;");

    /* the states: open -> acknowledged -> escalated -> closed, each an event */
    ph_assert_ok(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_ACK, "Li Wei", NULL, &err), &err);
    ph_assert_error(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_ACK, "Wang", NULL, &err),
                    PH_EINVAL, &err, NULL);
    assert_non_null(strstr(err.message, "cannot ack alert 1: it is acknowledged (by Li Wei on "));
    assert_non_null(strstr(err.message, "acknowledging it again changes nothing"));
    ph_assert_ok(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_ESCALATE, "Li Wei",
                                      "the court case is large", &err),
                 &err);
    ph_assert_error(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_ACK, "Wang", NULL, &err),
                    PH_EINVAL, &err, "an escalated alert is past acknowledgement");
    ph_assert_error(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_CLOSE, "Zhao", "", &err),
                    PH_EINVAL, &err, "closing an alert needs a reason");
    ph_assert_error(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_CLOSE, "", "x", &err),
                    PH_EINVAL, &err, "expected who does it");
    ph_assert_ok(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_CLOSE, "Zhao",
                                      "settled with the court; line reviewed", &err),
                 &err);
    ph_assert_error(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_CLOSE, "Zhao", "again", &err),
                    PH_EINVAL, &err, NULL);
    assert_non_null(strstr(err.message, "field state, value 'closed': cannot close alert 1: it "
                                        "is closed (by Zhao on "));
    assert_non_null(strstr(err.message, ": settled with the court; line reviewed); a closed "
                                        "alert stays closed"));
    ph_assert_error(ph_monitor_alert_act(fx->store, 1, PH_MONITOR_ESCALATE, "Zhao", NULL, &err),
                    PH_EINVAL, &err, "a closed alert stays closed");
    ph_assert_error(ph_monitor_alert_act(fx->store, 99, PH_MONITOR_ACK, "Zhao", NULL, &err),
                    PH_ENOTFOUND, &err, "field alert, value '99': no alert has this id");
    /* an open alert may be escalated or closed at once */
    ph_assert_ok(ph_monitor_alert_act(fx->store, 2, PH_MONITOR_ESCALATE, "Li Wei", NULL, &err),
                 &err);
    ph_assert_ok(ph_monitor_alert_act(fx->store, 3, PH_MONITOR_CLOSE, "Li Wei", "false alarm",
                                      &err),
                 &err);

    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_monitor_alert_get(fx->store, 1, on_alert, on_event, &s, &err), &err);
    assert_int_equal(s.alerts, 1);
    assert_string_equal(s.last_state, "closed");
    assert_int_equal(s.events, 3);
    assert_string_equal(s.events_text, "ack/Li Wei/;escalate/Li Wei/the court case is large;"
                                       "close/Zhao/settled with the court; line reviewed;");
    ph_assert_error(ph_monitor_alert_get(fx->store, 42, on_alert, on_event, &s, &err),
                    PH_ENOTFOUND, &err, "no alert has this id");
    memset(&f, 0, sizeof(f));
    f.state = "open";
    memset(&s, 0, sizeof(s));
    ph_assert_ok(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), &err);
    assert_int_equal(s.alerts, 0);
    f.state = "escalated";
    ph_assert_ok(ph_monitor_alerts(fx->store, &f, on_alert, &s, &err), &err);
    assert_int_equal(s.alerts, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rule_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
