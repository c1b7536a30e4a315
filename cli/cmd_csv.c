/*
 * puhui csv check FILE... [--require COL,COL...] [--delimiter C]
 * Read a feed file end to end with the platform's CSV reader and say whether
 * it is well formed, before anyone tries to ingest it.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_REQUIRED 64

/* Split "a,b,c" in place into names; returns the count, or -1 if too many. */
static int split_names(char *list, const char **names)
{
    int n = 0;
    for (char *name = strtok(list, ","); name != NULL; name = strtok(NULL, ",")) {
        if (n == MAX_REQUIRED)
            return -1;
        names[n++] = name;
    }
    return n;
}

/* Read one file; on success fill the row of the summary table. */
static ph_status check_file(ph_cli *cli, const char *path, const ph_csv_options *options,
                            const char **required, int required_count, char cells[3][32],
                            ph_error *err)
{
    ph_csv_reader *reader = NULL;
    ph_status st = ph_csv_open_file(cli->ctx, path, options, &reader, err);
    int indexes[MAX_REQUIRED];
    if (st == PH_OK && required_count > 0)
        st = ph_csv_require_columns(reader, required, (size_t)required_count, indexes, err);
    while (st == PH_OK)
        st = ph_csv_next(reader, err);
    if (st == PH_DONE) {
        st = PH_OK;
        snprintf(cells[0], 32, "%llu", (unsigned long long)ph_csv_record_count(reader));
        snprintf(cells[1], 32, "%zu", ph_csv_header_count(reader));
        snprintf(cells[2], 32, "%llu", (unsigned long long)ph_csv_bytes_consumed(reader));
    }
    ph_csv_free(reader);
    return st;
}

int ph_cmd_csv(ph_cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "check") != 0)
        return ph_cli_usage_error(cli, "csv", "'csv' takes 'check'");
    ph_csv_options options;
    ph_csv_options_init(&options);
    char *require_list = NULL;
    const char *required[MAX_REQUIRED];
    int required_count = 0, files = 0, code = PH_EXIT_OK;
    char **paths = calloc((size_t)argc, sizeof(char *));
    if (paths == NULL)
        return PH_EXIT_FAILURE;
    for (int i = 2; i < argc && code == PH_EXIT_OK; i++) {
        const char *value = NULL;
        if (ph_cli_option(argc, argv, &i, "--require", &value)) {
            free(require_list);
            require_list = value ? strdup(value) : NULL;
            required_count = require_list ? split_names(require_list, required) : 0;
            if (value == NULL || required_count <= 0)
                code = ph_cli_usage_error(cli, "csv",
                                          "--require takes 1 to %d column names separated by "
                                          "commas",
                                          MAX_REQUIRED);
        } else if (ph_cli_option(argc, argv, &i, "--delimiter", &value)) {
            if (value == NULL || strlen(value) != 1)
                code = ph_cli_usage_error(cli, "csv", "--delimiter takes one character");
            else
                options.delimiter = value[0];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            code = ph_cli_usage_error(cli, "csv", "unknown option '%s' for 'csv check'",
                                      argv[i]);
        } else {
            paths[files++] = argv[i];
        }
    }
    if (code == PH_EXIT_OK && files == 0)
        code = ph_cli_usage_error(cli, "csv", "'csv check' needs at least one file");

    static const char *const headers[] = {"file", "records", "columns", "bytes", "result"};
    static const int numeric[] = {0, 1, 1, 1, 0};
    ph_cli_table *table = code == PH_EXIT_OK ? ph_cli_table_new(headers, numeric, 5) : NULL;
    for (int f = 0; table != NULL && f < files; f++) {
        char cells[3][32] = {"", "", ""};
        ph_error err;
        ph_status st = check_file(cli, paths[f], &options, required, required_count, cells,
                                  &err);
        const char *row[] = {paths[f], cells[0], cells[1], cells[2],
                             st == PH_OK ? "ok" : err.message};
        ph_cli_table_add(table, row);
        if (st != PH_OK && code == PH_EXIT_OK)
            code = ph_status_is_input_error(st) ? PH_EXIT_USAGE : PH_EXIT_FAILURE;
    }
    if (table != NULL)
        ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    free(require_list);
    free(paths);
    return code;
}
