/*
 * puhui ingest [--known-on YYYY-MM-DD] [--threads N] [--batch-rows N]
 *              [--max-rejects N] [--max-reject-share P%] PATH...
 * puhui ingest --rejected [--feed F] [--limit N]
 * Load feed files (or a generated directory) into the data hub, or list
 * the rows that were quarantined. On a terminal a progress line shows the
 * bytes of input committed, the rate and the time left (cli/progress.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"

typedef struct ingest_args {
    ph_ingest_options opts;
    int rejected;
    const char *feed;
    long long limit;
    const char **paths;
    size_t path_count;
} ingest_args;

/* "10%", "2.5%" or "10": a percentage from 0 to 100, as a share. */
static int parse_share(ph_cli *cli, const char *text, double *share)
{
    char *end = NULL;
    double p = strtod(text, &end);
    if (end != text && *end == '%')
        end++;
    if (end == text || *end != '\0' || !(p >= 0.0 && p <= 100.0))
        return ph_cli_usage_error(cli, "ingest",
                                  "--max-reject-share: '%s' is not a percentage; expected "
                                  "0%% to 100%% (100%%: no limit), e.g. 10%%",
                                  text);
    *share = p / 100.0;
    return PH_EXIT_OK;
}

static int parse_args(ph_cli *cli, int argc, char **argv, ingest_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *value = NULL;
        long long n;
        int code = PH_EXIT_OK;
        if (strcmp(argv[i], "--rejected") == 0) {
            a->rejected = 1;
            continue;
        }
        if (ph_cli_option(argc, argv, &i, "--known-on", &value)) {
            a->opts.known_on = value;
        } else if (ph_cli_option(argc, argv, &i, "--feed", &value)) {
            a->feed = value;
        } else if (ph_cli_option(argc, argv, &i, "--limit", &value)) {
            if (value != NULL)
                code = ph_cli_parse_int(cli, "ingest", "--limit", value, 1, 1000000000, &a->limit);
        } else if (ph_cli_option(argc, argv, &i, "--threads", &value)) {
            if (value != NULL && (code = ph_cli_parse_int(cli, "ingest", "--threads", value, 1, 2,
                                                          &n)) == PH_EXIT_OK)
                a->opts.threads = (int)n;
        } else if (ph_cli_option(argc, argv, &i, "--batch-rows", &value)) {
            if (value != NULL && (code = ph_cli_parse_int(cli, "ingest", "--batch-rows", value, 1,
                                                          100000000, &n)) == PH_EXIT_OK)
                a->opts.batch_rows = (size_t)n;
        } else if (ph_cli_option(argc, argv, &i, "--max-rejects", &value)) {
            if (value != NULL && (code = ph_cli_parse_int(cli, "ingest", "--max-rejects", value, 0,
                                                          INT64_MAX, &n)) == PH_EXIT_OK)
                a->opts.max_rejects = (uint64_t)n;
        } else if (ph_cli_option(argc, argv, &i, "--max-reject-share", &value)) {
            if (value != NULL)
                code = parse_share(cli, value, &a->opts.max_reject_share);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return ph_cli_usage_error(cli, "ingest", "unknown option '%s' for 'ingest'", argv[i]);
        } else {
            a->paths[a->path_count++] = argv[i];
            continue;
        }
        if (code != PH_EXIT_OK)
            return code;
        if (value == NULL)
            return ph_cli_usage_error(cli, "ingest", "%s needs a value", argv[i]);
    }
    if (a->rejected && a->path_count > 0)
        return ph_cli_usage_error(cli, "ingest", "--rejected lists the quarantine; it takes no "
                                                 "PATH");
    if (!a->rejected && (a->feed != NULL || a->limit != 0))
        return ph_cli_usage_error(cli, "ingest", "--feed and --limit go with --rejected");
    if (!a->rejected && a->path_count == 0)
        return ph_cli_usage_error(cli, "ingest", "name at least one feed file or directory to "
                                                 "ingest");
    return PH_EXIT_OK;
}

/* --- --rejected ------------------------------------------------------------------ */

static ph_status add_rejected(void *user, const ph_rejected_row *row, ph_error *err)
{
    (void)err;
    char where[1200];
    char column[24] = "";
    snprintf(where, sizeof(where), "%s:%lld", row->path, (long long)row->line);
    if (row->field_number > 0)
        snprintf(column, sizeof(column), "%lld", (long long)row->field_number);
    const char *cells[] = {where,  row->feed, column, row->field ? row->field : "",
                           row->value ? row->value : "", row->reason, row->detail};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int list_rejected(ph_cli *cli, const ingest_args *a)
{
    int code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"location", "feed",   "column", "field",
                                          "value",    "reason", "detail"};
    static const int numeric[] = {0, 0, 1, 0, 0, 0, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 7);
    ph_error err;
    ph_status st = ph_ingest_each_rejected(store, a->feed, (uint64_t)a->limit, add_rejected,
                                           table, &err);
    if (st == PH_OK)
        ph_cli_table_print(cli, table, NULL);
    else
        code = ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
    ph_cli_table_free(table);
    ph_store_free(store);
    return st == PH_OK ? PH_EXIT_OK : code;
}

/* --- ingesting --------------------------------------------------------------------- */

static void print_results(ph_cli *cli, const ph_ingest *ing)
{
    static const char *const headers[] = {"feed",       "format",   "rows",    "accepted",
                                          "unchanged",  "superseded", "rejected", "file_id",
                                          "resumed",    "path"};
    static const int numeric[] = {0, 0, 1, 1, 1, 1, 1, 1, 0, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 10);
    ph_ingest_counts total = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < ph_ingest_result_count(ing); i++) {
        const ph_ingest_file_result *r = ph_ingest_result_at(ing, i);
        char n[6][24];
        const uint64_t v[] = {r->counts.rows,       r->counts.accepted, r->counts.unchanged,
                              r->counts.superseded, r->counts.rejected, (uint64_t)r->file_id};
        for (int k = 0; k < 6; k++)
            snprintf(n[k], sizeof(n[k]), "%llu", (unsigned long long)v[k]);
        const char *cells[] = {r->feed, r->format, n[0], n[1], n[2], n[3], n[4], n[5],
                               r->skipped ? "skipped" : r->resumed ? "yes" : "no", r->path};
        ph_cli_table_add(table, cells);
        total.rows += r->counts.rows;
        total.accepted += r->counts.accepted;
        total.unchanged += r->counts.unchanged;
        total.superseded += r->counts.superseded;
        total.rejected += r->counts.rejected;
    }
    ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    for (size_t i = 0; i < ph_ingest_result_count(ing); i++) {
        const ph_ingest_file_result *r = ph_ingest_result_at(ing, i);
        if (r->note != NULL && !r->skipped) /* a skipped file is the error reported last */
            fprintf(cli->err, "puhui: note: %s: %s\n", r->path, r->note);
    }
    if (cli->format == PH_FORMAT_TABLE)
        fprintf(cli->out,
                "\n%llu rows: %llu accepted, %llu unchanged, %llu superseded, %llu rejected "
                "(known on %s; rejected rows: puhui ingest --rejected)\n",
                (unsigned long long)total.rows, (unsigned long long)total.accepted,
                (unsigned long long)total.unchanged, (unsigned long long)total.superseded,
                (unsigned long long)total.rejected, ph_ingest_known_on(ing));
}

/* The command line, for ingest_run.command. */
static char *command_line(int argc, char **argv)
{
    size_t len = sizeof("puhui");
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (s == NULL)
        return NULL;
    strcpy(s, "puhui");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int ph_cmd_ingest(ph_cli *cli, int argc, char **argv)
{
    ingest_args a;
    memset(&a, 0, sizeof(a));
    ph_ingest_options_init(&a.opts);
    a.paths = calloc((size_t)argc + 1, sizeof(*a.paths));
    if (a.paths == NULL) {
        fputs("puhui: error: out of memory\n", cli->err);
        return PH_EXIT_FAILURE;
    }
    int code = parse_args(cli, argc, argv, &a);
    if (code == PH_EXIT_OK && a.rejected)
        code = list_rejected(cli, &a);
    else if (code == PH_EXIT_OK) {
        ph_store *store = ph_cli_open_store(cli, 1, &code);
        char *command = command_line(argc, argv);
        a.opts.command = command;
        ph_ingest *ing = NULL;
        ph_error err;
        /* bytes of input, not rows: the total is known before reading */
        ph_cli_progress *meter = store ? ph_cli_progress_start(cli, "puhui ingest", "bytes") : NULL;
        a.opts.progress_bytes = ph_cli_progress_cb; /* after each committed batch */
        a.opts.progress_user = meter;
        ph_status st = store ? ph_ingest_new(store, &a.opts, &ing, &err) : PH_OK;
        if (store != NULL && st == PH_OK)
            st = ph_ingest_paths(ing, a.paths, a.path_count, &err);
        ph_cli_progress_finish(meter);
        if (store != NULL && st == PH_OK) {
            print_results(cli, ing);
        } else if (store != NULL) {
            if (ing != NULL && ph_ingest_result_count(ing) > 0)
                print_results(cli, ing);
            int refused = strcmp(err.field, "max_rejects") == 0 ||
                          strcmp(err.field, "max_reject_share") == 0;
            int runaway = strcmp(err.field, "bad_record_max_lines") == 0;
            const char *hint =
                st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database"
                : runaway ? "files before this one stay ingested and the refused file was rolled "
                            "back; fix its quoting and run the command again"
                : st == PH_EBUSY ? "the other files were ingested; run the command again when "
                                   "the other run has finished"
                : refused ? "files before this one stay ingested and the refused file was rolled "
                            "back; fix it, or raise the limit (--max-rejects, "
                            "--max-reject-share), and run the command again"
                          : "files before this one stay ingested; fix it and run the command "
                            "again (it resumes)";
            code = ph_cli_fail(cli, st, &err, hint);
        }
        ph_ingest_free(ing);
        ph_store_free(store);
        free(command);
    }
    free(a.paths);
    return code;
}
