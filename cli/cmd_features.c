/*
 * puhui features --asof DATE --out FILE.csv          every enterprise at one date
 * puhui features --from YYYY-MM --to YYYY-MM --out FILE.csv   a monthly panel
 * puhui features list                                 the catalogue
 * puhui features show --enterprise USCC --asof DATE   one firm, name/value/unit
 * puhui features refresh --asof DATE[,DATE...]       store the peer medians
 * puhui features doc [--out FILE]                     docs/features.md
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"

#define CMD "features"

/* --- list and doc ---------------------------------------------------------------- */

static int features_list(ph_cli *cli, int argc, char **argv)
{
    int code = ph_cli_no_more_args(cli, CMD, argc - 1, argv + 1);
    if (code != PH_EXIT_OK)
        return code;
    static const char *const headers[] = {"name", "unit", "dimension", "higher", "description"};
    static const int numeric[] = {0, 0, 0, 0, 0};
    static const char *const higher[] = {"neutral", "better", "worse"};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 5);
    for (size_t i = 0; i < ph_feature_count(); i++) {
        const ph_feature *f = ph_feature_at(i);
        const char *cells[] = {f->name, ph_feature_unit_name(f->unit),
                               ph_feature_dimension_name(f->dimension), higher[f->direction],
                               f->description};
        ph_cli_table_add(table, cells);
    }
    ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    return PH_EXIT_OK;
}

static int take_value(ph_cli *cli, const char *option, const char *value, void *user)
{
    if (value[0] == '\0')
        return ph_cli_usage_error(cli, CMD, "%s needs a value", option);
    *(const char **)user = value;
    return PH_EXIT_OK;
}

static ph_status io_error(ph_error *err, const char *path, const char *what)
{
    return ph_error_set(err, PH_EIO, NULL, NULL, "%s: %s: %s", path, what, strerror(errno));
}

static int features_doc(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--out"};
    const char *path = NULL;
    int code = ph_cli_each_option(cli, CMD, argc, argv, 2, options, 1, take_value, &path);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    FILE *out = path ? fopen(path, "w") : cli->out;
    if (out == NULL)
        return ph_cli_fail(cli, io_error(&err, path, "cannot open for writing"), &err, NULL);
    ph_status st = ph_feature_doc_write(out, &err);
    if (path != NULL && fclose(out) != 0 && st == PH_OK)
        st = io_error(&err, path, "cannot write");
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

/* --- show ------------------------------------------------------------------------------ */

typedef struct show_args {
    const char *uscc;
    const char *asof;
} show_args;

static int show_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    show_args *a = user;
    return take_value(cli, option, value,
                      strcmp(option, "--enterprise") == 0 ? (void *)&a->uscc : (void *)&a->asof);
}

static int parse_date(ph_cli *cli, const char *option, const char *text, ph_date *out)
{
    ph_error err;
    ph_status st = ph_date_parse(text, strlen(text), out, &err);
    if (st == PH_OK)
        return PH_EXIT_OK;
    ph_error_set_field(&err, option);
    return ph_cli_fail(cli, st, &err, "dates are YYYY-MM-DD");
}

static int features_show(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--enterprise", "--asof"};
    show_args a = {NULL, NULL};
    int code = ph_cli_each_option(cli, CMD, argc, argv, 2, options, 2, show_option, &a);
    if (code != PH_EXIT_OK)
        return code;
    if (a.uscc == NULL || a.asof == NULL)
        return ph_cli_usage_error(cli, CMD, "'features show' needs --enterprise USCC and "
                                            "--asof DATE");
    ph_date asof;
    if ((code = parse_date(cli, "--asof", a.asof, &asof)) != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    double values[PH_FEATURE_COUNT];
    ph_error err;
    ph_date peers_asof;
    ph_status st = ph_features_for(store, a.uscc, asof, values, &peers_asof, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "upgrade the database with 'puhui init'" : NULL);
    if (peers_asof != asof) {
        char used[PH_DATE_FORMAT_MAX];
        (void)ph_date_format(peers_asof, used, sizeof(used), NULL);
        fprintf(cli->err, "note: peer medians from the refresh of %s (none on %s)\n", used,
                a.asof);
    }
    static const char *const headers[] = {"feature", "value", "unit"};
    static const int numeric[] = {0, 1, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 3);
    for (size_t i = 0; i < ph_feature_count(); i++) {
        char text[64];
        (void)ph_feature_format(i, values[i], text, sizeof(text), NULL);
        const ph_feature *f = ph_feature_at(i);
        const char *cells[] = {f->name, text[0] ? text : "missing",
                               ph_feature_unit_name(f->unit)};
        ph_cli_table_add(table, cells);
    }
    char title[128];
    snprintf(title, sizeof(title), "%s as of %s", a.uscc, a.asof);
    ph_cli_table_print(cli, table, title);
    ph_cli_table_free(table);
    return PH_EXIT_OK;
}

/* --- progress ------------------------------------------------------------------------ */

/* One progress line per stage of the library's work ("puhui features
 * refresh, reading the feeds: 3 / 15 tables", then "..., peer values:
 * 2,048 / 100,000 firms"): a stage's line is finished when the next begins. */
typedef struct stage_meter {
    ph_cli *cli;
    const char *command; /* "puhui features refresh" */
    const char *stage;   /* the stage being drawn; NULL before the first */
    ph_cli_progress *meter;
} stage_meter;

static void stage_progress(void *user, const char *stage, uint64_t done, uint64_t total)
{
    stage_meter *m = user;
    if (m->stage == NULL || strcmp(m->stage, stage) != 0) {
        char label[128];
        snprintf(label, sizeof(label), "%s, %s", m->command, stage);
        ph_cli_progress_finish(m->meter);
        m->meter = ph_cli_progress_start(
            m->cli, label, strcmp(stage, PH_FEATURES_STAGE_TABLES) == 0 ? "tables" : "firms");
        m->stage = stage;
    }
    ph_cli_progress_update(m->meter, done, total);
}

/* The options' progress wired to `m` (nothing is drawn off a terminal). */
static void stage_meter_attach(stage_meter *m, ph_cli *cli, const char *command,
                               ph_features_options *opts)
{
    m->cli = cli;
    m->command = command;
    m->stage = NULL;
    m->meter = NULL;
    opts->progress = stage_progress;
    opts->progress_user = m;
}

static void stage_meter_finish(stage_meter *m)
{
    ph_cli_progress_finish(m->meter);
    m->meter = NULL;
}

/* --- refresh ------------------------------------------------------------------------------ */

typedef struct refresh_args {
    const char *asof, *threads;
} refresh_args;

static int refresh_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    refresh_args *a = user;
    return take_value(cli, option, value,
                      strcmp(option, "--asof") == 0 ? (void *)&a->asof : (void *)&a->threads);
}

#define REFRESH_DATES_MAX 64

/* "2025-12-01,2025-12-08": each date parsed, at most REFRESH_DATES_MAX. */
static int refresh_dates(ph_cli *cli, const char *list, ph_date *dates, size_t *count)
{
    *count = 0;
    for (const char *p = list;; p++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (*count == REFRESH_DATES_MAX)
            return ph_cli_usage_error(cli, CMD, "--asof takes at most %d dates",
                                      REFRESH_DATES_MAX);
        ph_error err;
        if (ph_date_parse(p, len, &dates[(*count)++], &err) != PH_OK) {
            ph_error_set_field(&err, "--asof");
            return ph_cli_fail(cli, err.code, &err, "dates are YYYY-MM-DD, separated by commas");
        }
        if (end == NULL)
            return PH_EXIT_OK;
        p = end;
    }
}

/* --threads N (1-8) into the batch options; absent: the default. */
static int threads_option(ph_cli *cli, const char *text, ph_features_options *opts)
{
    long long threads = 0;
    int code = text != NULL ? ph_cli_parse_int(cli, CMD, "--threads", text, 1, 8, &threads)
                            : PH_EXIT_OK;
    opts->threads = (int)threads;
    return code;
}

static int features_refresh(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--asof", "--threads"};
    refresh_args a = {NULL, NULL};
    int code = ph_cli_each_option(cli, CMD, argc, argv, 2, options, 2, refresh_option, &a);
    if (code != PH_EXIT_OK)
        return code;
    if (a.asof == NULL)
        return ph_cli_usage_error(cli, CMD, "'features refresh' needs --asof DATE[,DATE...]");
    ph_features_options opts = {0};
    if ((code = threads_option(cli, a.threads, &opts)) != PH_EXIT_OK)
        return code;
    ph_date dates[REFRESH_DATES_MAX];
    size_t count = 0;
    if ((code = refresh_dates(cli, a.asof, dates, &count)) != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    stage_meter meter;
    stage_meter_attach(&meter, cli, "puhui features refresh", &opts);
    ph_status st = ph_features_refresh(store, dates, count, &opts, &err);
    stage_meter_finish(&meter);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "upgrade the database with 'puhui init'" : NULL);
    if (cli->format == PH_FORMAT_JSON) {
        json_t *list = json_array();
        for (size_t i = 0; i < count; i++) {
            char day[PH_DATE_FORMAT_MAX];
            (void)ph_date_format(dates[i], day, sizeof(day), NULL);
            json_array_append_new(list, json_string(day));
        }
        ph_cli_print_json(cli, json_pack("{s:o}", "refreshed", list));
    } else {
        fprintf(cli->out, "stored the peer medians of %zu as-of date%s (%s)\n", count,
                count == 1 ? "" : "s", a.asof);
    }
    return PH_EXIT_OK;
}

/* --- export ------------------------------------------------------------------------------ */

typedef struct export_args {
    const char *asof, *from, *to, *out, *threads;
} export_args;

static int export_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    export_args *a = user;
    const char **slot = strcmp(option, "--asof") == 0   ? &a->asof
                        : strcmp(option, "--from") == 0 ? &a->from
                        : strcmp(option, "--to") == 0   ? &a->to
                        : strcmp(option, "--out") == 0  ? &a->out
                                                        : &a->threads;
    return take_value(cli, option, value, (void *)slot);
}

typedef struct csv_sink {
    FILE *f;
    const char *path;
    uint64_t rows;
} csv_sink;

static ph_status write_row(void *user, const char *uscc, ph_date asof, const double *values,
                           ph_error *err)
{
    csv_sink *s = user;
    char date[PH_DATE_FORMAT_MAX], cell[64];
    ph_status st = ph_date_format(asof, date, sizeof(date), err);
    if (st != PH_OK)
        return st;
    int bad = fprintf(s->f, "%s,%s", uscc, date) < 0;
    for (size_t i = 0; !bad && i < PH_FEATURE_COUNT; i++) {
        st = ph_feature_format(i, values[i], cell, sizeof(cell), err);
        if (st != PH_OK)
            return st;
        bad = fputc(',', s->f) == EOF || fputs(cell, s->f) == EOF;
    }
    if (bad || fputc('\n', s->f) == EOF)
        return io_error(err, s->path, "cannot write");
    s->rows++;
    return PH_OK;
}

/* The as-of dates of the command: one, or each month end from..to. */
static int export_dates(ph_cli *cli, const export_args *a, ph_date **dates, size_t *count)
{
    if ((a->asof != NULL) == (a->from != NULL || a->to != NULL))
        return ph_cli_usage_error(cli, CMD, "give either --asof DATE or --from YYYY-MM "
                                            "--to YYYY-MM");
    if (a->asof != NULL) {
        *dates = malloc(sizeof(**dates));
        *count = 1;
        return parse_date(cli, "--asof", a->asof, *dates);
    }
    if (a->from == NULL || a->to == NULL)
        return ph_cli_usage_error(cli, CMD, "a panel needs both --from and --to");
    ph_month from, to;
    ph_error err;
    ph_status st = ph_month_parse(a->from, strlen(a->from), &from, &err);
    if (st != PH_OK) {
        ph_error_set_field(&err, "--from");
        return ph_cli_fail(cli, st, &err, "months are YYYY-MM");
    }
    st = ph_month_parse(a->to, strlen(a->to), &to, &err);
    if (st != PH_OK) {
        ph_error_set_field(&err, "--to");
        return ph_cli_fail(cli, st, &err, "months are YYYY-MM");
    }
    if (to < from || to - from >= 4096)
        return ph_cli_usage_error(cli, CMD, "--to must be from --from to 4095 months after it, "
                                            "got %s to %s", a->from, a->to);
    *count = (size_t)(to - from + 1);
    *dates = malloc(*count * sizeof(**dates));
    for (ph_month m = from; m <= to; m++)
        (void)ph_month_last_day(m, &(*dates)[m - from], NULL);
    return PH_EXIT_OK;
}

static int features_export(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--asof", "--from", "--to", "--out", "--threads"};
    export_args a = {NULL, NULL, NULL, NULL, NULL};
    int code = ph_cli_each_option(cli, CMD, argc, argv, 1, options, 5, export_option, &a);
    if (code != PH_EXIT_OK)
        return code;
    if (a.out == NULL)
        return ph_cli_usage_error(cli, CMD, "'features' needs --out FILE.csv");
    ph_features_options opts = {0};
    if ((code = threads_option(cli, a.threads, &opts)) != PH_EXIT_OK)
        return code;
    ph_date *dates = NULL;
    size_t count = 0;
    if ((code = export_dates(cli, &a, &dates, &count)) != PH_EXIT_OK) {
        free(dates);
        return code;
    }
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL) {
        free(dates);
        return code;
    }
    ph_error err;
    ph_status st = PH_OK;
    csv_sink sink = {fopen(a.out, "w"), a.out, 0};
    if (sink.f == NULL)
        st = io_error(&err, a.out, "cannot open for writing");
    if (st == PH_OK && fputs("uscc,asof", sink.f) == EOF)
        st = io_error(&err, a.out, "cannot write");
    for (size_t i = 0; st == PH_OK && i < ph_feature_count(); i++)
        if (fprintf(sink.f, ",%s", ph_feature_at(i)->name) < 0)
            st = io_error(&err, a.out, "cannot write");
    if (st == PH_OK && fputc('\n', sink.f) == EOF)
        st = io_error(&err, a.out, "cannot write");
    stage_meter meter;
    stage_meter_attach(&meter, cli, "puhui features", &opts);
    if (st == PH_OK)
        st = ph_features_batch(store, dates, count, &opts, write_row, &sink, &err);
    stage_meter_finish(&meter);
    if (sink.f != NULL && fclose(sink.f) != 0 && st == PH_OK)
        st = io_error(&err, a.out, "cannot write");
    ph_store_free(store);
    free(dates);
    if (st != PH_OK) {
        if (sink.f != NULL)
            remove(a.out); /* no half-written export */
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "upgrade the database with 'puhui init'" : NULL);
    }
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:s, s:I, s:I, s:i}", "file", a.out, "rows",
                                         (json_int_t)sink.rows, "dates", (json_int_t)count,
                                         "features", PH_FEATURE_COUNT));
    else
        fprintf(cli->out, "wrote %llu rows (%zu as-of date%s, %d features) to %s\n",
                (unsigned long long)sink.rows, count, count == 1 ? "" : "s", PH_FEATURE_COUNT,
                a.out);
    return PH_EXIT_OK;
}

int ph_cmd_features(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *cli, int argc, char **argv);
    } verbs[] = {{"list", features_list},
                 {"show", features_show},
                 {"doc", features_doc},
                 {"refresh", features_refresh}};
    for (size_t i = 0; argc >= 2 && i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].run(cli, argc, argv);
    if (argc >= 2 && strncmp(argv[1], "--", 2) != 0)
        return ph_cli_usage_error(cli, CMD, "'features' takes 'list', 'show', 'doc', "
                                            "'refresh' or --asof/--from/--to with --out");
    return features_export(cli, argc, argv);
}
