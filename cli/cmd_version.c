/* puhui version */
#include "cli.h"

int ph_cmd_version(ph_cli *cli, int argc, char **argv)
{
    int code = ph_cli_no_more_args(cli, "version", argc, argv);
    if (code != PH_EXIT_OK)
        return code;
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:i, s:s, s:s}", "puhui", ph_version(), "schema",
                                ph_schema_latest(), "sqlite", ph_store_sqlite_version(), "jansson",
                                JANSSON_VERSION);
        ph_cli_print_json(cli, doc);
    } else {
        fprintf(cli->out, "puhui %s (schema %d; sqlite %s, jansson %s)\n", ph_version(),
                ph_schema_latest(), ph_store_sqlite_version(), JANSSON_VERSION);
    }
    return PH_EXIT_OK;
}
