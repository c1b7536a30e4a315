/*
 * puhui watch --from D1 --to D2 [--rules FILE] [--checkpoint FILE] [--resume FILE]
 *             [--book-on D]
 * puhui watch --follow [--interval SECONDS] [--once] [--rules FILE] [--book-on D]
 *
 * The early warning over the stored feeds (monitor.h, docs/watch.md): a
 * replay of a date range, or a follower of newly ingested files that stops
 * cleanly on SIGINT or SIGTERM. Both print what they did: events, firms
 * watched, alerts by colour and by rule, lines frozen.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "progress.h"
#include "puhui/monitor.h"

/* Set by the signal handler; the follower looks at it between polls and
 * while it waits. The program's, not the library's: the library takes a
 * question instead. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

static int parse_day(ph_cli *cli, const char *option, const char *text, ph_date *out)
{
    ph_error err;
    if (ph_date_parse(text, strlen(text), out, &err) != PH_OK)
        return ph_cli_usage_error(cli, "watch", "%s takes a date YYYY-MM-DD, got '%s'", option,
                                  text);
    return PH_EXIT_OK;
}

/* ---- the summary ---------------------------------------------------------------------- */

typedef struct count_rows {
    ph_cli_table *table;
} count_rows;

static ph_status add_count(void *user, const ph_monitor_alert_count *c, ph_error *err)
{
    (void)err;
    char n[24], y[24], r[24], f[24];
    snprintf(n, sizeof(n), "%lld", (long long)c->alerts);
    snprintf(y, sizeof(y), "%lld", (long long)c->yellow);
    snprintf(r, sizeof(r), "%lld", (long long)c->red);
    snprintf(f, sizeof(f), "%lld", (long long)c->firms);
    const char *cells[] = {c->key, n, y, r, f};
    ph_cli_table_add(((count_rows *)user)->table, cells);
    return PH_OK;
}

static const char *day_or_dash(ph_date d, char *buf)
{
    if (d == 0 || ph_date_format(d, buf, PH_DATE_FORMAT_MAX, NULL) != PH_OK)
        snprintf(buf, PH_DATE_FORMAT_MAX, "-");
    return buf;
}

/* The summary, then the run's alerts by rule (read back from the store). */
static int print_summary(ph_cli *cli, ph_store *store, const ph_monitor_summary *s,
                         const char *mode)
{
    static const char *const headers[] = {"rule", "alerts", "yellow", "red", "firms"};
    static const int numeric[] = {0, 1, 1, 1, 1};
    ph_cli_table *by_rule = ph_cli_table_new(headers, numeric, 5);
    count_rows rows = {by_rule};
    ph_monitor_alert_filter f;
    memset(&f, 0, sizeof(f));
    f.run_id = s->run_id;
    ph_error err;
    ph_status st = ph_monitor_alert_counts(store, &f, PH_MONITOR_BY_RULE, add_count, &rows, &err);
    if (st != PH_OK) {
        ph_cli_table_free(by_rule);
        return fail(cli, st, &err);
    }
    char from[PH_DATE_FORMAT_MAX], to[PH_DATE_FORMAT_MAX];
    day_or_dash(s->from, from);
    day_or_dash(s->to, to);
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack(
            "{s:s, s:I, s:s, s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
            "s:{s:I, s:I, s:I}, s:I, s:I, s:I, s:I, s:I}",
            "mode", mode, "run", (json_int_t)s->run_id, "rules", s->rules_name, "rules_version",
            (json_int_t)s->rules_version, "rule_set_id", (json_int_t)s->rule_set_id, "from",
            from, "to", to, "days", (json_int_t)s->days, "events", (json_int_t)s->events,
            "skipped_rows", (json_int_t)s->skipped_rows, "firms", (json_int_t)s->firms,
            "firms_watched", (json_int_t)s->firms_watched, "pairs_watched",
            (json_int_t)s->pairs_watched, "gate_checks", (json_int_t)s->gate_checks,
            "gate_denied", (json_int_t)s->gate_denied, "alerts", (json_int_t)s->alerts,
            "alerts_by_level", "green", (json_int_t)s->alerts_by_level[0], "yellow",
            (json_int_t)s->alerts_by_level[1], "red", (json_int_t)s->alerts_by_level[2],
            "lines_frozen", (json_int_t)s->lines_frozen, "lines_paused",
            (json_int_t)s->lines_paused, "lines_resumed", (json_int_t)s->lines_resumed,
            "files", (json_int_t)s->files, "late_rows", (json_int_t)s->late_rows);
        if (doc != NULL)
            json_object_set_new(doc, "alerts_by_rule", ph_cli_table_json(by_rule));
        ph_cli_print_json(cli, doc);
    } else {
        FILE *o = cli->out;
        fprintf(o, "rule set: %s version %lld (warning_rules %lld); run %lld (%s)\n",
                s->rules_name, (long long)s->rules_version, (long long)s->rule_set_id,
                (long long)s->run_id, mode);
        if (strcmp(mode, "follow") == 0)
            fprintf(o, "days reached %s .. %s (%lld days closed), %lld events", from, to,
                    (long long)s->days, (long long)s->events);
        else
            fprintf(o, "days %s .. %s: %lld days, %lld events", from, to, (long long)s->days,
                    (long long)s->events);
        if (s->skipped_rows > 0)
            fprintf(o, " (%lld rows of unregistered firms skipped)", (long long)s->skipped_rows);
        fputc('\n', o);
        if (s->files > 0 || s->late_rows > 0)
            fprintf(o, "files consumed: %lld; late rows skipped: %lld\n", (long long)s->files,
                    (long long)s->late_rows);
        fprintf(o, "firms: %lld registered (peers), %lld watched (%lld firm-lender pairs under "
                   "a live monitoring consent)\n",
                (long long)s->firms, (long long)s->firms_watched, (long long)s->pairs_watched);
        fprintf(o, "consent gate: %lld checks logged, %lld refused\n", (long long)s->gate_checks,
                (long long)s->gate_denied);
        fprintf(o, "alerts: %lld (", (long long)s->alerts);
        if (s->alerts_by_level[PH_WARN_GREEN] > 0) /* a graph rule's far tiers */
            fprintf(o, "green %lld, ", (long long)s->alerts_by_level[PH_WARN_GREEN]);
        fprintf(o, "yellow %lld, red %lld)\n", (long long)s->alerts_by_level[PH_WARN_YELLOW],
                (long long)s->alerts_by_level[PH_WARN_RED]);
        fprintf(o, "lines: %lld frozen, %lld paused, %lld resumed\n",
                (long long)s->lines_frozen, (long long)s->lines_paused,
                (long long)s->lines_resumed);
        if (s->alerts > 0) {
            fputc('\n', o);
            char title[64];
            snprintf(title, sizeof(title), "alerts by rule (run %lld)", (long long)s->run_id);
            ph_cli_table_print(cli, by_rule, title);
        }
    }
    ph_cli_table_free(by_rule);
    return PH_EXIT_OK;
}

/* ---- the replay ----------------------------------------------------------------------- */

typedef struct meter {
    ph_cli_progress *p;
    ph_date from, to;
} meter;

static void on_day(void *user, ph_date day, const ph_monitor_summary *so_far)
{
    (void)so_far;
    meter *m = user;
    if (m->to >= m->from && day >= m->from)
        ph_cli_progress_update(m->p, (uint64_t)(day - m->from + 1),
                               (uint64_t)(m->to - m->from + 1));
}

static int write_checkpoint(ph_cli *cli, const char *path, const ph_monitor_summary *s)
{
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(s->checkpoint, 1, s->checkpoint_len, f) == s->checkpoint_len;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok) {
        fprintf(cli->err, "puhui: error: cannot write the checkpoint to %s: %s\n", path,
                strerror(errno));
        return PH_EXIT_FAILURE;
    }
    fprintf(cli->err, "checkpoint: %zu bytes of engine state written to %s\n", s->checkpoint_len,
            path);
    return PH_EXIT_OK;
}

static int watch_replay(ph_cli *cli, const char *from, const char *to, const char *rules,
                        const char *checkpoint, const char *resume, const char *book_on)
{
    ph_monitor_watch_opts o;
    memset(&o, 0, sizeof(o));
    int code = PH_EXIT_OK;
    if (from != NULL)
        code = parse_day(cli, "--from", from, &o.from);
    if (code == PH_EXIT_OK)
        code = parse_day(cli, "--to", to, &o.to);
    if (code == PH_EXIT_OK && book_on != NULL)
        code = parse_day(cli, "--book-on", book_on, &o.book_on);
    if (code != PH_EXIT_OK)
        return code;
    o.rules_path = rules;
    o.keep_checkpoint = checkpoint != NULL;
    char *state = NULL;
    size_t state_len = 0;
    ph_error err;
    if (resume != NULL) {
        ph_status st = ph_read_file(cli->ctx, resume, "checkpoint file", &state, &state_len, &err);
        if (st != PH_OK)
            return fail(cli, st, &err);
        o.resume = (const unsigned char *)state;
        o.resume_len = state_len;
        o.resume_source = resume;
    }
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL) {
        ph_free(cli->ctx, state);
        return code;
    }
    meter m = {ph_cli_progress_start(cli, "puhui watch", "days"), o.from, o.to};
    o.progress = on_day;
    o.user = &m;
    ph_monitor_summary s;
    memset(&s, 0, sizeof(s));
    ph_status st = ph_monitor_watch(store, &o, &s, &err);
    ph_cli_progress_finish(m.p);
    ph_free(cli->ctx, state);
    if (st != PH_OK) {
        ph_store_free(store);
        return fail(cli, st, &err);
    }
    code = print_summary(cli, store, &s, "replay");
    if (code == PH_EXIT_OK && checkpoint != NULL)
        code = write_checkpoint(cli, checkpoint, &s);
    ph_monitor_summary_free(cli->ctx, &s);
    ph_store_free(store);
    return code;
}

/* ---- following ------------------------------------------------------------------------ */

static void on_late(void *user, const ph_monitor_late_row *r)
{
    ph_cli *cli = user;
    char day[PH_DATE_FORMAT_MAX], reached[PH_DATE_FORMAT_MAX];
    day_or_dash(r->day, day);
    day_or_dash(r->reached, reached);
    fprintf(cli->err,
            "puhui: warning: %s:%lld: feed %s, firm %s, day %s: before %s, the day the watch "
            "has reached; the row is skipped (events must come in time order: ingest late "
            "data before the watch passes its day, or replay with puhui watch --from)\n",
            r->path, (long long)r->line, r->feed, r->uscc, day, reached);
}

/* Wait `seconds`, a second at a time, unless a signal asks to stop. */
static void wait_for(long seconds)
{
    for (long i = 0; i < seconds && !stop_requested; i++) {
        struct timespec one = {1, 0};
        nanosleep(&one, NULL); /* a signal cuts it short: EINTR */
    }
}

static int watch_follow(ph_cli *cli, const char *rules, const char *interval, int once,
                        const char *book_on)
{
    long long seconds = 60;
    int code = PH_EXIT_OK;
    if (interval != NULL)
        code = ph_cli_parse_int(cli, "watch", "--interval", interval, 1, 86400, &seconds);
    ph_monitor_follow_opts o;
    memset(&o, 0, sizeof(o));
    if (code == PH_EXIT_OK && book_on != NULL)
        code = parse_day(cli, "--book-on", book_on, &o.book_on);
    if (code != PH_EXIT_OK)
        return code;
    o.rules_path = rules;
    o.late = on_late;
    o.user = cli;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    struct sigaction old_int, old_term;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    stop_requested = 0;
    ph_error err;
    ph_monitor_follower *f = NULL;
    ph_status st = ph_monitor_follow_open(store, &o, &f, &err);
    if (st == PH_OK)
        fprintf(cli->err, "puhui watch --follow: run %lld, %s%s\n",
                (long long)ph_monitor_follow_summary(f)->run_id,
                once ? "one poll" : "polling every ",
                once ? "" : interval != NULL ? interval : "60");
    while (st == PH_OK && !stop_requested) {
        int64_t files = 0;
        st = ph_monitor_follow_poll(f, &files, &err);
        if (st == PH_OK && files > 0) {
            const ph_monitor_summary *s = ph_monitor_follow_summary(f);
            char day[PH_DATE_FORMAT_MAX];
            fprintf(cli->err, "consumed %lld file(s); reached %s; %lld alerts so far\n",
                    (long long)files, day_or_dash(s->to, day), (long long)s->alerts);
        }
        if (once)
            break;
        if (st == PH_OK)
            wait_for((long)seconds);
    }
    if (stop_requested)
        fprintf(cli->err, "stopping: the checkpoint of the last poll is kept in warning_run\n");
    if (st == PH_OK)
        code = print_summary(cli, store, ph_monitor_follow_summary(f), "follow");
    else
        code = fail(cli, st, &err);
    ph_error close_err;
    ph_status closed = ph_monitor_follow_close(f, &close_err);
    if (closed != PH_OK && code == PH_EXIT_OK)
        code = fail(cli, closed, &close_err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    ph_store_free(store);
    return code;
}

int ph_cmd_watch(ph_cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *rules = NULL, *checkpoint = NULL, *resume = NULL;
    const char *interval = NULL, *book_on = NULL;
    int follow = 0, once = 0;
    const ph_cli_named opts[] = {
        {"--from", &from, NULL},         {"--to", &to, NULL},
        {"--rules", &rules, NULL},       {"--checkpoint", &checkpoint, NULL},
        {"--resume", &resume, NULL},     {"--interval", &interval, NULL},
        {"--book-on", &book_on, NULL},   {"--follow", NULL, &follow},
        {"--once", NULL, &once},
    };
    int code = ph_cli_parse_named(cli, "watch", argc, argv, 1, opts,
                                  sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if (follow) {
        if (from != NULL || to != NULL || checkpoint != NULL || resume != NULL)
            return ph_cli_usage_error(cli, "watch",
                                      "--follow keeps its own checkpoint and cursor: it takes no "
                                      "--from, --to, --checkpoint or --resume");
        return watch_follow(cli, rules, interval, once, book_on);
    }
    if (interval != NULL || once)
        return ph_cli_usage_error(cli, "watch", "--interval and --once go with --follow");
    if (to == NULL || (from == NULL && resume == NULL))
        return ph_cli_usage_error(cli, "watch",
                                  "'watch' needs --from D1 --to D2 (or --resume FILE --to D2), "
                                  "or --follow");
    return watch_replay(cli, from, to, rules, checkpoint, resume, book_on);
}
