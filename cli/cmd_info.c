/* puhui info: what the database holds. */
#include <stdio.h>

#include "cli.h"

static ph_status add_migration_row(void *user, const ph_migration_record *m, ph_error *err)
{
    (void)err;
    char version[24];
    snprintf(version, sizeof(version), "%d", m->version);
    const char *cells[] = {version, m->name, m->applied_at};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static ph_cli_table *migrations_table(ph_store *store, ph_error *err, ph_status *st)
{
    static const char *const headers[] = {"version", "name", "applied_at"};
    static const int numeric[] = {1, 0, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 3);
    *st = ph_store_migration_each(store, add_migration_row, table, err);
    return table;
}

static ph_status add_table_row(void *user, const ph_table_info *info, ph_error *err)
{
    (void)err;
    char rows[24];
    snprintf(rows, sizeof(rows), "%lld", (long long)info->rows);
    const char *cells[] = {info->name, rows};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

int ph_cmd_info(ph_cli *cli, int argc, char **argv)
{
    int code = ph_cli_no_more_args(cli, "info", argc, argv);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;

    ph_error err;
    int version = 0;
    ph_status st = ph_store_schema_version(store, &version, &err);
    ph_cli_table *migrations = NULL;
    static const char *const headers[] = {"table", "rows"};
    static const int numeric[] = {0, 1};
    ph_cli_table *tables = ph_cli_table_new(headers, numeric, 2);
    if (st == PH_OK)
        migrations = migrations_table(store, &err, &st);
    if (st == PH_OK)
        st = ph_store_each_table(store, add_table_row, tables, &err);
    if (st != PH_OK) {
        code = ph_cli_fail(cli, st, &err, NULL);
    } else if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:s, s:i, s:i, s:o, s:o}", "database", cli->db_path,
                                "backend", ph_store_backend_name(store), "schema", version,
                                "schema_latest", ph_schema_latest(), "migrations",
                                ph_cli_table_json(migrations), "tables",
                                ph_cli_table_json(tables));
        ph_cli_print_json(cli, doc);
    } else {
        fprintf(cli->out, "database  %s\nbackend   %s\nschema    version %d (this puhui knows %d)\n\n",
                cli->db_path, ph_store_backend_name(store), version, ph_schema_latest());
        ph_cli_table_print(cli, migrations, "migrations applied:");
        fputc('\n', cli->out);
        ph_cli_table_print(cli, tables, "tables:");
    }
    ph_cli_table_free(migrations);
    ph_cli_table_free(tables);
    ph_store_free(store);
    return code;
}
