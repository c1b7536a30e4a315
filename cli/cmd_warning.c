/*
 * puhui warning rules load FILE [--activate] | list | show [--name N] [--version V] [--text]
 *                     | activate [--name N] --version V | default | baseline
 * puhui warning alerts [--level L] [--rule ID] [--lender ID] [--firm USCC] [--state S]
 *                      [--run N] [--by level|rule] [--limit N]
 * puhui warning alert show ID | ack|close|escalate ID --by WHO [--reason TEXT]
 * puhui warning backtest --truth FILE --from D1 --to D2 [--truth-end D] [--rules FILE]
 *                        [--all-firms] [--book-on D]
 *
 * The early warning's rule sets, alerts and backtest (monitor.h,
 * docs/watch.md); the engine's rules are docs/warning.md.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "puhui/monitor.h"

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

static int parse_day(ph_cli *cli, const char *option, const char *text, ph_date *out)
{
    if (ph_date_parse(text, strlen(text), out, NULL) != PH_OK)
        return ph_cli_usage_error(cli, "warning", "%s takes a date YYYY-MM-DD, got '%s'",
                                  option, text);
    return PH_EXIT_OK;
}

static int parse_id(ph_cli *cli, const char *what, const char *text, int64_t *out)
{
    long long v = 0;
    int code = ph_cli_parse_int(cli, "warning", what, text, 1, INT64_MAX, &v);
    *out = (int64_t)v;
    return code;
}

/* ---- rules -------------------------------------------------------------------------------- */

static int rules_load(ph_cli *cli, int argc, char **argv)
{
    int activate = 0;
    const char *file = NULL;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--activate") == 0)
            activate = 1;
        else if (file == NULL && argv[i][0] != '-')
            file = argv[i];
        else
            return ph_cli_no_more_args(cli, "warning", 2, argv + i - 1);
    }
    if (file == NULL)
        return ph_cli_usage_error(cli, "warning", "'warning rules load' needs a FILE");
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_monitor_rules_entry *e = NULL;
    ph_status st = ph_monitor_rules_load(store, file, activate, &e, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "rule set %s version %lld %s: %zu bytes, BLAKE2b-256 %s\n", e->name,
            (long long)e->version,
            e->stored ? "loaded" : "already loaded with the same bytes (nothing changed)",
            e->size, e->checksum);
    fprintf(cli->out, "%s\n",
            e->active ? "it is the active set: puhui watch runs it"
                      : "it is not active: puhui warning rules activate --version V (until "
                        "then the active set, or the built-in default, runs)");
    ph_monitor_rules_entry_free(e);
    return PH_EXIT_OK;
}

static ph_status add_entry(void *user, const ph_monitor_rules_entry *e, ph_error *err)
{
    (void)err;
    char id[24], version[24], size[24];
    snprintf(id, sizeof(id), "%lld", (long long)e->id);
    snprintf(version, sizeof(version), "%lld", (long long)e->version);
    snprintf(size, sizeof(size), "%zu", e->size);
    const char *cells[] = {id,   e->name, version, e->active ? "yes" : "", e->loaded_at,
                           size, e->checksum, e->file};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int rules_list(ph_cli *cli, int argc, char **argv)
{
    if (argc > 3)
        return ph_cli_no_more_args(cli, "warning", 2, argv + 2);
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"id", "name", "version", "active", "loaded", "bytes",
                                          "checksum", "file"};
    static const int numeric[] = {1, 0, 1, 0, 0, 1, 0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 8);
    ph_error err;
    ph_status st = ph_monitor_rules_list(store, add_entry, t, &err);
    ph_store_free(store);
    if (st == PH_OK)
        ph_cli_table_print(cli, t, NULL);
    ph_cli_table_free(t);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static const char *kind_name(ph_warn_rule_kind k)
{
    return k == PH_WARN_RULE_WINDOW ? "window" : k == PH_WARN_RULE_EVENT ? "event" : "graph";
}

static void print_rules(ph_cli *cli, const ph_warn_rules *rules, const ph_monitor_rules_entry *e)
{
    static const char *const headers[] = {"rule", "kind", "feed", "level", "action", "when",
                                          "title"};
    static const int numeric[] = {0, 0, 0, 0, 0, 0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 7);
    for (size_t i = 0; i < ph_warn_rules_count(rules); i++) {
        const ph_warn_rule_info *r = ph_warn_rules_at(rules, i);
        const char *cells[] = {r->id,
                               kind_name(r->kind),
                               r->feed ? r->feed : "",
                               ph_warn_level_name(r->level) ? ph_warn_level_name(r->level) : "",
                               ph_warn_action_name(r->action) ? ph_warn_action_name(r->action)
                                                              : "",
                               r->when ? r->when : "",
                               r->title ? r->title : ""};
        ph_cli_table_add(t, cells);
    }
    char sources[PH_SOURCE_SET_FORMAT_MAX] = "";
    (void)ph_source_set_format(ph_warn_rules_sources(rules), sources, sizeof(sources), NULL);
    /* the platform's own records a rule reads (no catalogue feed: no consent
     * names them, docs/watch.md#the-platforms-own-records), once each */
    char records[256] = "";
    for (size_t i = 0; i < ph_warn_rules_count(rules); i++) {
        const char *feed = ph_warn_rules_at(rules, i)->feed;
        if (feed == NULL || ph_feed_find(feed) != NULL || strstr(records, feed) != NULL)
            continue;
        size_t len = strlen(records);
        snprintf(records + len, sizeof(records) - len, "%s%s", len ? "," : "", feed);
    }
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:I, s:s, s:s, s:b}", "name", ph_warn_rules_name(rules),
                                "version", (json_int_t)ph_warn_rules_version(rules), "checksum",
                                ph_warn_rules_checksum(rules), "sources", sources, "stored",
                                e != NULL);
        if (doc != NULL)
            json_object_set_new(doc, "records", json_string(records));
        if (doc != NULL && e != NULL) {
            json_object_set_new(doc, "id", json_integer(e->id));
            json_object_set_new(doc, "active", json_boolean(e->active));
            json_object_set_new(doc, "loaded_at", json_string(e->loaded_at));
        }
        if (doc != NULL)
            json_object_set_new(doc, "rules", ph_cli_table_json(t));
        ph_cli_print_json(cli, doc);
    } else {
        if (e != NULL)
            fprintf(cli->out, "rule set %s version %lld (warning_rules %lld, %s), loaded %s, "
                              "BLAKE2b-256 %s\n",
                    e->name, (long long)e->version, (long long)e->id,
                    e->active ? "active" : "not active", e->loaded_at, e->checksum);
        else
            fprintf(cli->out, "rule set %s version %lld (the built-in default: no set is "
                              "active), BLAKE2b-256 %s\n",
                    ph_warn_rules_name(rules), (long long)ph_warn_rules_version(rules),
                    ph_warn_rules_checksum(rules));
        fprintf(cli->out, "reads (a monitoring consent must cover): %s\n", sources);
        if (records[0] != '\0')
            fprintf(cli->out, "and the platform's own records (no consent names them): %s\n",
                    records);
        fputc('\n', cli->out);
        ph_cli_table_print(cli, t, NULL);
    }
    ph_cli_table_free(t);
}

static int rules_show(ph_cli *cli, int argc, char **argv)
{
    const char *name = NULL, *version = NULL;
    int text = 0;
    const ph_cli_named opts[] = {
        {"--name", &name, NULL}, {"--version", &version, NULL}, {"--text", NULL, &text}};
    int code = ph_cli_parse_named(cli, "warning", argc, argv, 3, opts, 3);
    int64_t v = 0;
    if (code == PH_EXIT_OK && version != NULL)
        code = parse_id(cli, "--version", version, &v);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_warn_rules *rules = NULL;
    ph_monitor_rules_entry *e = NULL;
    ph_status st = ph_monitor_rules_get(store, name, v, &rules, &e, &err);
    if (st == PH_ENOTFOUND && v == 0 && name == NULL) {
        /* none active: what runs is the built-in default */
        const char *def = ph_warn_rules_default_text();
        st = ph_warn_rules_load(cli->ctx, def, strlen(def), "(built-in default)", &rules, &err);
        if (st == PH_OK && text) {
            fputs(def, cli->out);
            ph_warn_rules_free(rules);
            ph_store_free(store);
            return PH_EXIT_OK;
        }
    }
    if (st == PH_OK && text && e != NULL) {
        char *bytes = NULL;
        size_t len = 0;
        st = ph_monitor_rules_text(store, e->id, &bytes, &len, &err);
        if (st == PH_OK)
            fwrite(bytes, 1, len, cli->out);
        ph_free(cli->ctx, bytes);
    } else if (st == PH_OK) {
        print_rules(cli, rules, e);
    }
    ph_warn_rules_free(rules);
    ph_monitor_rules_entry_free(e);
    ph_store_free(store);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static int rules_activate(ph_cli *cli, int argc, char **argv)
{
    const char *name = NULL, *version = NULL;
    const ph_cli_named opts[] = {{"--name", &name, NULL}, {"--version", &version, NULL}};
    int code = ph_cli_parse_named(cli, "warning", argc, argv, 3, opts, 2);
    if (code == PH_EXIT_OK && version == NULL)
        code = ph_cli_usage_error(cli, "warning", "'warning rules activate' needs --version");
    int64_t v = 0;
    if (code == PH_EXIT_OK)
        code = parse_id(cli, "--version", version, &v);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_status st = ph_monitor_rules_activate(store, name, v, &err);
    ph_monitor_rules_entry *e = NULL;
    if (st == PH_OK)
        st = ph_monitor_rules_get(store, NULL, 0, NULL, &e, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "rule set %s version %lld is now the active set\n", e->name,
            (long long)e->version);
    ph_monitor_rules_entry_free(e);
    return PH_EXIT_OK;
}

static int rules_text(ph_cli *cli, int argc, char **argv, const char *text)
{
    if (argc > 3)
        return ph_cli_no_more_args(cli, "warning", 2, argv + 2);
    fputs(text, cli->out);
    return PH_EXIT_OK;
}

static int warning_rules(ph_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 3 ? argv[2] : "";
    if (strcmp(sub, "load") == 0)
        return rules_load(cli, argc, argv);
    if (strcmp(sub, "list") == 0)
        return rules_list(cli, argc, argv);
    if (strcmp(sub, "show") == 0)
        return rules_show(cli, argc, argv);
    if (strcmp(sub, "activate") == 0)
        return rules_activate(cli, argc, argv);
    if (strcmp(sub, "default") == 0)
        return rules_text(cli, argc, argv, ph_warn_rules_default_text());
    if (strcmp(sub, "baseline") == 0)
        return rules_text(cli, argc, argv, ph_warn_rules_baseline_text());
    return ph_cli_usage_error(cli, "warning",
                              "'warning rules' takes 'load', 'list', 'show', 'activate', "
                              "'default' or 'baseline'");
}

/* ---- alerts ------------------------------------------------------------------------------- */

static void alert_cells(const ph_monitor_alert *a, char id[24], char day[PH_DATE_FORMAT_MAX],
                        char loan[24])
{
    snprintf(id, 24, "%lld", (long long)a->id);
    if (ph_date_format(a->day, day, PH_DATE_FORMAT_MAX, NULL) != PH_OK)
        snprintf(day, PH_DATE_FORMAT_MAX, "?");
    if (a->loan_id > 0)
        snprintf(loan, 24, "%lld", (long long)a->loan_id);
    else
        loan[0] = '\0';
}

static ph_status add_alert(void *user, const ph_monitor_alert *a, ph_error *err)
{
    (void)err;
    char id[24], day[PH_DATE_FORMAT_MAX], loan[24];
    alert_cells(a, id, day, loan);
    const char *cells[] = {id,
                           day,
                           a->uscc ? a->uscc : "",
                           a->institution_id ? a->institution_id : "",
                           a->rule ? a->rule : "",
                           ph_warn_level_name(a->level),
                           ph_warn_action_name(a->action),
                           loan,
                           a->state ? a->state : "",
                           a->evidence ? a->evidence : ""};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static ph_status add_group(void *user, const ph_monitor_alert_count *c, ph_error *err)
{
    (void)err;
    char n[24], y[24], r[24], f[24], o[24];
    snprintf(n, sizeof(n), "%lld", (long long)c->alerts);
    snprintf(y, sizeof(y), "%lld", (long long)c->yellow);
    snprintf(r, sizeof(r), "%lld", (long long)c->red);
    snprintf(f, sizeof(f), "%lld", (long long)c->firms);
    snprintf(o, sizeof(o), "%lld", (long long)c->open);
    const char *cells[] = {c->key, n, y, r, f, o};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int warning_alerts(ph_cli *cli, int argc, char **argv)
{
    const char *level = NULL, *rule = NULL, *lender = NULL, *firm = NULL, *state = NULL;
    const char *run = NULL, *by = NULL, *limit = NULL;
    const ph_cli_named opts[] = {
        {"--level", &level, NULL}, {"--rule", &rule, NULL},   {"--lender", &lender, NULL},
        {"--firm", &firm, NULL},   {"--state", &state, NULL}, {"--run", &run, NULL},
        {"--by", &by, NULL},       {"--limit", &limit, NULL},
    };
    int code = ph_cli_parse_named(cli, "warning", argc, argv, 2, opts,
                                  sizeof(opts) / sizeof(opts[0]));
    ph_monitor_alert_filter f;
    memset(&f, 0, sizeof(f));
    f.level = level;
    f.rule = rule;
    f.institution_id = lender;
    f.uscc = firm;
    f.state = state;
    if (code == PH_EXIT_OK && run != NULL)
        code = parse_id(cli, "--run", run, &f.run_id);
    if (code == PH_EXIT_OK && limit != NULL)
        code = parse_id(cli, "--limit", limit, &f.limit);
    if (code == PH_EXIT_OK && level != NULL && ph_warn_level_parse(level) < 0)
        code = ph_cli_usage_error(cli, "warning", "--level takes green, yellow or red, got '%s'",
                                  level);
    if (code == PH_EXIT_OK && by != NULL && strcmp(by, "level") != 0 && strcmp(by, "rule") != 0)
        code = ph_cli_usage_error(cli, "warning", "--by takes level or rule, got '%s'", by);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_status st;
    if (by != NULL) {
        static const char *const headers[] = {"key", "alerts", "yellow", "red", "firms", "open"};
        static const int numeric[] = {0, 1, 1, 1, 1, 1};
        ph_cli_table *t = ph_cli_table_new(headers, numeric, 6);
        st = ph_monitor_alert_counts(store, &f,
                                     strcmp(by, "rule") == 0 ? PH_MONITOR_BY_RULE
                                                             : PH_MONITOR_BY_LEVEL,
                                     add_group, t, &err);
        if (st == PH_OK)
            ph_cli_table_print(cli, t, strcmp(by, "rule") == 0 ? "alerts by rule"
                                                               : "alerts by level");
        ph_cli_table_free(t);
    } else {
        static const char *const headers[] = {"id",    "day",    "firm",  "lender", "rule",
                                              "level", "action", "loan",  "state",  "evidence"};
        static const int numeric[] = {1, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        ph_cli_table *t = ph_cli_table_new(headers, numeric, 10);
        st = ph_monitor_alerts(store, &f, add_alert, t, &err);
        if (st == PH_OK)
            ph_cli_table_print(cli, t, NULL);
        ph_cli_table_free(t);
    }
    ph_store_free(store);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

/* One alert: its fields, evidence and events. */
typedef struct shown {
    ph_cli *cli;
    json_t *doc;
    ph_cli_table *events;
    char uscc[PH_USCC_LEN + 1];
} shown;

static ph_status show_alert(void *user, const ph_monitor_alert *a, ph_error *err)
{
    (void)err;
    shown *s = user;
    char id[24], day[PH_DATE_FORMAT_MAX], loan[24];
    alert_cells(a, id, day, loan);
    snprintf(s->uscc, sizeof(s->uscc), "%s", a->uscc ? a->uscc : "");
    if (s->cli->format == PH_FORMAT_JSON) {
        json_t *evidence = json_loads(a->evidence ? a->evidence : "{}", 0, NULL);
        s->doc = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "id",
                           (json_int_t)a->id, "run", (json_int_t)a->run_id, "day", day, "firm",
                           a->uscc, "lender", a->institution_id, "rule", a->rule, "level",
                           ph_warn_level_name(a->level), "action", ph_warn_action_name(a->action),
                           "state", a->state, "rule_set_id", (json_int_t)a->rule_set_id,
                           "created_at", a->created_at, "updated_at", a->updated_at);
        if (s->doc != NULL) {
            json_object_set_new(s->doc, "loan", a->loan_id > 0 ? json_integer(a->loan_id)
                                                               : json_null());
            json_object_set_new(s->doc, "evidence",
                                evidence != NULL ? evidence : json_string(a->evidence));
        } else {
            json_decref(evidence);
        }
        return PH_OK;
    }
    FILE *o = s->cli->out;
    fprintf(o, "alert %s: %s %s for %s, day %s\n", id, ph_warn_level_name(a->level), a->rule,
            a->uscc, day);
    fprintf(o, "to: %s's account manager; action: %s%s%s\n", a->institution_id,
            ph_warn_action_name(a->action), loan[0] ? " on loan " : "", loan);
    fprintf(o, "state: %s (created %s, updated %s); run %lld, rule set %lld\n", a->state,
            a->created_at, a->updated_at, (long long)a->run_id, (long long)a->rule_set_id);
    fprintf(o, "evidence (the values the rule read): %s\n", a->evidence);
    return PH_OK;
}

static ph_status show_event(void *user, const ph_monitor_alert_event *e, ph_error *err)
{
    (void)err;
    shown *s = user;
    char loan[24] = "";
    if (e->loan_id > 0)
        snprintf(loan, sizeof(loan), "%lld", (long long)e->loan_id);
    const char *cells[] = {e->at, e->event, e->by_whom, loan, e->reason};
    ph_cli_table_add(s->events, cells);
    return PH_OK;
}

static int alert_show(ph_cli *cli, int argc, char **argv)
{
    if (argc < 4)
        return ph_cli_usage_error(cli, "warning", "'warning alert show' needs an alert ID");
    if (argc > 4)
        return ph_cli_no_more_args(cli, "warning", 2, argv + 3);
    int64_t id = 0;
    int code = parse_id(cli, "alert ID", argv[3], &id);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"at", "event", "by", "loan", "reason"};
    static const int numeric[] = {0, 0, 0, 1, 0};
    shown s = {cli, NULL, ph_cli_table_new(headers, numeric, 5), ""};
    ph_error err;
    ph_status st = ph_monitor_alert_get(store, id, show_alert, show_event, &s, &err);
    ph_monitor_colour colour;
    int found = 0;
    if (st == PH_OK)
        st = ph_monitor_firm_colour(store, s.uscc, &colour, &found, &err);
    ph_store_free(store);
    char since[PH_DATE_FORMAT_MAX] = "";
    if (found && ph_date_format(colour.day, since, sizeof(since), NULL) != PH_OK)
        snprintf(since, sizeof(since), "?");
    const char *now = ph_warn_level_name(found ? colour.level : PH_WARN_GREEN);
    if (st == PH_OK) {
        if (cli->format == PH_FORMAT_JSON) {
            if (s.doc != NULL) {
                json_object_set_new(s.doc, "events", ph_cli_table_json(s.events));
                json_object_set_new(s.doc, "firm_colour",
                                    found ? json_pack("{s:s, s:s, s:s}", "level", now, "since",
                                                      since, "rule", colour.rule)
                                          : json_pack("{s:s}", "level", now));
            }
            ph_cli_print_json(cli, s.doc);
        } else {
            if (found)
                fprintf(cli->out, "the firm's colour now: %s since %s (%s)\n", now, since,
                        colour.rule);
            else
                fprintf(cli->out, "the firm's colour now: green (never raised)\n");
            fputc('\n', cli->out);
            ph_cli_table_print(cli, s.events, "events");
        }
    } else {
        json_decref(s.doc);
    }
    ph_cli_table_free(s.events);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static int alert_act(ph_cli *cli, int argc, char **argv, ph_monitor_alert_op op)
{
    if (argc < 4 || argv[3][0] == '-')
        return ph_cli_usage_error(cli, "warning", "'warning alert %s' needs an alert ID",
                                  argv[2]);
    int64_t id = 0;
    int code = parse_id(cli, "alert ID", argv[3], &id);
    const char *by = NULL, *reason = NULL;
    const ph_cli_named opts[] = {{"--by", &by, NULL}, {"--reason", &reason, NULL}};
    if (code == PH_EXIT_OK)
        code = ph_cli_parse_named(cli, "warning", argc, argv, 4, opts, 2);
    if (code == PH_EXIT_OK && by == NULL)
        code = ph_cli_usage_error(cli, "warning", "'warning alert %s' needs --by WHO",
                                  argv[2]);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_status st = ph_monitor_alert_act(store, id, op, by, reason, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    static const char *const done[] = {"acknowledged", "closed", "escalated"};
    fprintf(cli->out, "alert %lld %s by %s\n", (long long)id, done[op], by);
    return PH_EXIT_OK;
}

static int warning_alert(ph_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 3 ? argv[2] : "";
    if (strcmp(sub, "show") == 0)
        return alert_show(cli, argc, argv);
    if (strcmp(sub, "ack") == 0)
        return alert_act(cli, argc, argv, PH_MONITOR_ACK);
    if (strcmp(sub, "close") == 0)
        return alert_act(cli, argc, argv, PH_MONITOR_CLOSE);
    if (strcmp(sub, "escalate") == 0)
        return alert_act(cli, argc, argv, PH_MONITOR_ESCALATE);
    return ph_cli_usage_error(cli, "warning",
                              "'warning alert' takes 'show', 'ack', 'close' or 'escalate'");
}

/* ---- the backtest -------------------------------------------------------------------------- */

static void num(char *buf, size_t size, double x, int decimals)
{
    if (isnan(x))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.*f", decimals, x);
}

static void add_figure(ph_cli_table *t, const char *what, const char *a, const char *b)
{
    const char *cells[] = {what, a, b};
    ph_cli_table_add(t, cells);
}

static void add_count_row(ph_cli_table *t, const char *what, int64_t a, int64_t b)
{
    char x[32], y[32];
    snprintf(x, sizeof(x), "%lld", (long long)a);
    snprintf(y, sizeof(y), "%lld", (long long)b);
    add_figure(t, what, x, y);
}

static void add_double_row(ph_cli_table *t, const char *what, double a, double b,
                           int decimals, double scale)
{
    char x[32], y[32];
    num(x, sizeof(x), a * scale, decimals);
    num(y, sizeof(y), b * scale, decimals);
    add_figure(t, what, x, y);
}

static void add_lead_rows(ph_cli_table *t, const char *from, const ph_monitor_lead *a,
                          const ph_monitor_lead *b)
{
    char what[96];
    snprintf(what, sizeof(what), "lead from the first %s: defaults with one", from);
    add_count_row(t, what, a->n, b->n);
    snprintf(what, sizeof(what), "  median (days)");
    add_double_row(t, what, a->median, b->median, 1, 1);
    snprintf(what, sizeof(what), "  quartiles (days)");
    char x[96], y[96], q[4][32];
    num(q[0], sizeof(q[0]), a->q1, 1);
    num(q[1], sizeof(q[1]), a->q3, 1);
    num(q[2], sizeof(q[2]), b->q1, 1);
    num(q[3], sizeof(q[3]), b->q3, 1);
    snprintf(x, sizeof(x), "%s .. %s", q[0], q[1]);
    snprintf(y, sizeof(y), "%s .. %s", q[2], q[3]);
    add_figure(t, what, x, y);
    add_double_row(t, "  share >= 14 days (%)", a->share_14, b->share_14, 1, 100);
    add_double_row(t, "  share >= 90 days (%)", a->share_90, b->share_90, 1, 100);
}

static json_t *lead_json(const ph_monitor_lead *l)
{
    json_t *o = json_pack("{s:I}", "n", (json_int_t)l->n);
    const char *names[] = {"median", "q1", "q3", "share_14", "share_90"};
    double v[] = {l->median, l->q1, l->q3, l->share_14, l->share_90};
    for (size_t i = 0; o != NULL && i < 5; i++)
        json_object_set_new(o, names[i], isnan(v[i]) ? json_null() : json_real(v[i]));
    return o;
}

static json_t *figures_json(const char *name, int64_t version, const ph_monitor_figures *f)
{
    json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
                          "s:I}",
                          "rules", name, "version", (json_int_t)version, "firms",
                          (json_int_t)f->firms, "defaults", (json_int_t)f->defaults,
                          "lead_yellow", lead_json(&f->lead_yellow), "lead_red",
                          lead_json(&f->lead_red), "caught_yellow", (json_int_t)f->caught_yellow,
                          "caught_red", (json_int_t)f->caught_red, "red_firms",
                          (json_int_t)f->red_firms, "red_defaulted", (json_int_t)f->red_defaulted,
                          "red_excluded", (json_int_t)f->red_excluded, "onsets",
                          (json_int_t)f->onsets, "false_alarms", (json_int_t)f->false_alarms,
                          "onsets_excluded", (json_int_t)f->onsets_excluded);
    const char *names[] = {"recall_yellow", "recall_red", "precision_red", "months",
                           "false_alarm_rate"};
    double v[] = {f->recall_yellow, f->recall_red, f->precision_red, f->months,
                  f->false_alarm_rate};
    for (size_t i = 0; o != NULL && i < 5; i++)
        json_object_set_new(o, names[i], isnan(v[i]) ? json_null() : json_real(v[i]));
    return o;
}

typedef struct bt_meter {
    ph_cli_progress *p;
    ph_date from, to;
} bt_meter;

static void on_backtest_day(void *user, ph_date day, int64_t events)
{
    (void)events;
    bt_meter *m = user;
    if (day >= m->from && m->to >= m->from)
        ph_cli_progress_update(m->p, (uint64_t)(day - m->from + 1),
                               (uint64_t)(m->to - m->from + 1));
}

/* Each rule of the set on its own: which earn their place. */
static void print_by_rule(ph_cli *cli, const ph_monitor_backtest_result *r, long long h)
{
    static const int numeric[] = {0, 1, 1, 1, 1, 1};
    const char *hdr[] = {"rule", "firms hit", "default <= horizon", "precision (%)",
                         "defaults warned", "median lead (days)"};
    ph_cli_table *t = ph_cli_table_new(hdr, numeric, 6);
    for (size_t i = 0; i < r->rule_count; i++) {
        const ph_monitor_rule_figures *x = &r->by_rule[i];
        char a[32], b[32], c[32], d[32], e[32];
        snprintf(a, sizeof(a), "%lld", (long long)x->firms);
        snprintf(b, sizeof(b), "%lld", (long long)x->defaulted);
        num(c, sizeof(c), x->precision * 100, 1);
        snprintf(d, sizeof(d), "%lld", (long long)x->caught);
        num(e, sizeof(e), x->median_lead, 1);
        const char *cells[] = {x->rule, a, b, c, d, e};
        ph_cli_table_add(t, cells);
    }
    fprintf(cli->out, "\nby rule (%s; a hit judged as a red is, over %lld days):\n",
            r->rules_name, h);
    ph_cli_table_print(cli, t, NULL);
    ph_cli_table_free(t);
}

static int warning_backtest(ph_cli *cli, int argc, char **argv)
{
    const char *truth = NULL, *from = NULL, *to = NULL, *truth_end = NULL, *rules = NULL;
    const char *book_on = NULL, *horizon = NULL;
    int all = 0;
    const ph_cli_named opts[] = {
        {"--truth", &truth, NULL},        {"--from", &from, NULL},
        {"--to", &to, NULL},              {"--truth-end", &truth_end, NULL},
        {"--rules", &rules, NULL},        {"--book-on", &book_on, NULL},
        {"--horizon", &horizon, NULL},    {"--all-firms", NULL, &all},
    };
    int code = ph_cli_parse_named(cli, "warning", argc, argv, 2, opts,
                                  sizeof(opts) / sizeof(opts[0]));
    if (code == PH_EXIT_OK && (truth == NULL || from == NULL || to == NULL))
        code = ph_cli_usage_error(cli, "warning",
                                  "'warning backtest' needs --truth FILE --from D1 --to D2");
    ph_monitor_backtest_opts o;
    memset(&o, 0, sizeof(o));
    if (code == PH_EXIT_OK)
        code = parse_day(cli, "--from", from, &o.from);
    if (code == PH_EXIT_OK)
        code = parse_day(cli, "--to", to, &o.to);
    if (code == PH_EXIT_OK && truth_end != NULL)
        code = parse_day(cli, "--truth-end", truth_end, &o.truth_end);
    if (code == PH_EXIT_OK && book_on != NULL)
        code = parse_day(cli, "--book-on", book_on, &o.book_on);
    long long h = 180;
    if (code == PH_EXIT_OK && horizon != NULL)
        code = ph_cli_parse_int(cli, "warning", "--horizon", horizon, 1, 3650, &h);
    if (code != PH_EXIT_OK)
        return code;
    o.truth_path = truth;
    o.rules_path = rules;
    o.all_firms = all;
    o.horizon_days = (int32_t)h;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    bt_meter meter = {ph_cli_progress_start(cli, "puhui warning backtest", "days"), o.from,
                      o.to};
    o.progress = on_backtest_day;
    o.user = &meter;
    ph_monitor_backtest_result r;
    ph_error err;
    ph_status st = ph_monitor_backtest_run(store, &o, &r, &err);
    ph_cli_progress_finish(meter.p);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    const char *who = r.all_firms ? "every registered firm (--all-firms)"
                                  : "the firms watched: a loan in the book and a live "
                                    "monitoring consent";
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o}", "from", from, "to", to,
                                "monitored", r.all_firms ? "all_firms" : "watched", "events",
                                (json_int_t)r.events, "horizon_days", (json_int_t)h, "rules",
                                figures_json(r.rules_name, r.rules_version, &r.rules),
                                "baseline",
                                figures_json(r.baseline_name, r.baseline_version, &r.baseline));
        json_t *list = json_array();
        for (size_t i = 0; doc != NULL && list != NULL && i < r.rule_count; i++) {
            const ph_monitor_rule_figures *x = &r.by_rule[i];
            json_t *one = json_pack("{s:s, s:I, s:I, s:I}", "rule", x->rule, "firms",
                                  (json_int_t)x->firms, "defaulted", (json_int_t)x->defaulted,
                                  "caught", (json_int_t)x->caught);
            json_object_set_new(one, "precision", isnan(x->precision) ? json_null()
                                                                       : json_real(x->precision));
            json_object_set_new(one, "median_lead", isnan(x->median_lead)
                                                        ? json_null()
                                                        : json_real(x->median_lead));
            json_array_append_new(list, one);
        }
        json_object_set_new(doc, "by_rule", list);
        ph_cli_print_json(cli, doc);
        return PH_EXIT_OK;
    }
    char a[160], b[160];
    snprintf(a, sizeof(a), "%s v%lld", r.rules_name, (long long)r.rules_version);
    snprintf(b, sizeof(b), "%s v%lld", r.baseline_name, (long long)r.baseline_version);
    static const int numeric[] = {0, 1, 1};
    const char *hdr[] = {"figure", a, b};
    ph_cli_table *t = ph_cli_table_new(hdr, numeric, 3);
    const ph_monitor_figures *x = &r.rules, *y = &r.baseline;
    add_count_row(t, "monitored firms", x->firms, y->firms);
    add_count_row(t, "defaults among them in the period", x->defaults, y->defaults);
    add_lead_rows(t, "yellow", &x->lead_yellow, &y->lead_yellow);
    add_lead_rows(t, "red", &x->lead_red, &y->lead_red);
    add_double_row(t, "recall: defaults with a yellow before (%)", x->recall_yellow,
                   y->recall_yellow, 1, 100);
    add_double_row(t, "recall: defaults with a red before (%)", x->recall_red, y->recall_red,
                   1, 100);
    add_count_row(t, "firms turning red (judged)", x->red_firms, y->red_firms);
    char what[96];
    snprintf(what, sizeof(what), "  of which default within %lld days", h);
    add_count_row(t, what, x->red_defaulted, y->red_defaulted);
    add_double_row(t, "precision of red (%)", x->precision_red, y->precision_red, 1, 100);
    add_count_row(t, "red changes too late to judge (excluded)", x->red_excluded,
                  y->red_excluded);
    add_count_row(t, "alarm onsets judged", x->onsets, y->onsets);
    add_count_row(t, "  false alarms", x->false_alarms, y->false_alarms);
    add_double_row(t, "false alarms per 1,000 firms per month", x->false_alarm_rate,
                   y->false_alarm_rate, 2, 1);
    fprintf(cli->out, "backtest %s .. %s, %lld events; monitored: %s\n", from, to,
            (long long)r.events, who);
    fprintf(cli->out, "judged window: %.1f months (changes after the truth's last day - %lld "
                      "days cannot be judged)\n\n",
            x->months, h);
    ph_cli_table_print(cli, t, NULL);
    ph_cli_table_free(t);
    print_by_rule(cli, &r, h);
    return PH_EXIT_OK;
}

int ph_cmd_warning(ph_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "rules") == 0)
        return warning_rules(cli, argc, argv);
    if (strcmp(sub, "alerts") == 0)
        return warning_alerts(cli, argc, argv);
    if (strcmp(sub, "alert") == 0)
        return warning_alert(cli, argc, argv);
    if (strcmp(sub, "backtest") == 0)
        return warning_backtest(cli, argc, argv);
    return ph_cli_usage_error(cli, "warning",
                              "'warning' takes 'rules', 'alerts', 'alert' or 'backtest'");
}
