/* puhui init: create the database or bring its schema up to date. */
#include "cli.h"

int ph_cmd_init(ph_cli *cli, int argc, char **argv)
{
    int code = ph_cli_no_more_args(cli, "init", argc, argv);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 0, &code);
    if (store == NULL)
        return code;

    ph_error err;
    int before = 0, applied = 0;
    ph_status st = ph_store_schema_version(store, &before, &err);
    if (st == PH_OK)
        st = ph_schema_migrate(store, -1, &applied, &err);
    if (st != PH_OK) {
        const char *hint = st == PH_ESCHEMA
                               ? "this database was made by a newer puhui; install that "
                                 "version or use another --db"
                               : "the database is unchanged past the last migration that "
                                 "completed; fix the cause and run 'puhui init' again";
        code = ph_cli_fail(cli, st, &err, hint);
        ph_store_free(store);
        return code;
    }
    int after = before + applied;
    if (cli->format == PH_FORMAT_JSON) {
        ph_cli_print_json(cli, json_pack("{s:s, s:s, s:i, s:i, s:i}", "database", cli->db_path,
                                         "backend", ph_store_backend_name(store),
                                         "schema_before", before, "schema", after, "applied",
                                         applied));
    } else if (applied == 0) {
        fprintf(cli->out, "%s is up to date (schema version %d)\n", cli->db_path, after);
    } else if (before == 0) {
        fprintf(cli->out, "created %s (schema version %d, %d migrations applied)\n",
                cli->db_path, after, applied);
    } else {
        fprintf(cli->out, "upgraded %s from schema version %d to %d\n", cli->db_path, before,
                after);
    }
    ph_store_free(store);
    return PH_EXIT_OK;
}
