/*
 * puhui records --enterprise USCC --as INSTITUTION --feed NAME [--purpose P]
 *               [--limit N] [--on DATE]
 * The raw rows of one feed about one firm, on behalf of an institution:
 * only under a consent that grants raw access (data minimisation).
 */
#include <string.h>

#include "cli.h"

typedef struct records_opts {
    ph_records_request req;
    const char *purpose;
} records_opts;

static int take_opt(ph_cli *cli, const char *option, const char *value, void *user)
{
    records_opts *o = user;
    if (strcmp(option, "--enterprise") == 0) {
        o->req.uscc = value;
    } else if (strcmp(option, "--as") == 0) {
        o->req.institution_id = value;
    } else if (strcmp(option, "--feed") == 0) {
        o->req.feed = value;
    } else if (strcmp(option, "--purpose") == 0) {
        o->purpose = value;
    } else if (strcmp(option, "--limit") == 0) {
        long long limit = 0;
        int code = ph_cli_parse_int(cli, "records", option, value, 1, INT64_MAX, &limit);
        o->req.limit = (int64_t)limit;
        return code;
    } else {
        ph_error err;
        ph_status st = ph_date_parse(value, strlen(value), &o->req.on, &err);
        if (st != PH_OK) {
            ph_error_set_field(&err, option);
            return ph_cli_fail(cli, st, &err, "dates are YYYY-MM-DD");
        }
    }
    return PH_EXIT_OK;
}

static ph_status add_row(void *user, const ph_feed *feed, const char *const *values,
                         ph_error *err)
{
    (void)feed, (void)err;
    ph_cli_table_add(user, values); /* NULL (an empty field) prints as "" */
    return PH_OK;
}

static int numeric_type(ph_field_type type)
{
    return type == PH_FIELD_INT || type == PH_FIELD_MONEY || type == PH_FIELD_SHARE ||
           type == PH_FIELD_DECIMAL;
}

int ph_cmd_records(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--enterprise", "--as",    "--feed",
                                          "--purpose",    "--limit", "--on"};
    records_opts o;
    memset(&o, 0, sizeof(o));
    int code = ph_cli_each_option(cli, "records", argc, argv, 1, options, 6, take_opt, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (o.req.uscc == NULL || o.req.institution_id == NULL || o.req.feed == NULL)
        return ph_cli_usage_error(cli, "records",
                                  "'records' needs --enterprise USCC, --as INSTITUTION and "
                                  "--feed NAME");
    ph_error err;
    ph_status st = ph_purpose_parse(o.purpose ? o.purpose : "credit", &o.req.purpose, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    const ph_feed *feed = ph_feed_find(o.req.feed);
    if (feed == NULL) {
        ph_error_set(&err, PH_EINVAL, "feed", o.req.feed,
                     "expected the name of a feed of the catalogue");
        return ph_cli_fail(cli, PH_EINVAL, &err, "'puhui feeds list' shows the feeds");
    }
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    const char *headers[64];
    int numeric[64];
    size_t columns = feed->column_count < 64 ? feed->column_count : 64;
    for (size_t i = 0; i < columns; i++) {
        headers[i] = feed->columns[i].name;
        numeric[i] = numeric_type(feed->columns[i].type);
    }
    ph_cli_table *table = ph_cli_table_new(headers, numeric, columns);
    ph_access_grant grant;
    st = columns == feed->column_count
             ? ph_records_read(store, &o.req, add_row, table, &grant, &err)
             : ph_error_set(&err, PH_ERANGE, "feed", feed->name, "expected at most 64 columns");
    ph_store_free(store);
    if (st != PH_OK) {
        code = ph_cli_fail(cli, st, &err,
                           st == PH_EDENIED ? "raw records need a live consent with raw access "
                                              "for this feed and purpose (see 'puhui consent "
                                              "list'); the refusal is in the access log"
                                            : NULL);
    } else {
        ph_cli_table_print(cli, table, NULL);
        if (cli->format == PH_FORMAT_TABLE)
            fprintf(cli->err, "(read logged as access-log entry %lld)\n",
                    (long long)grant.log_seq);
    }
    ph_cli_table_free(table);
    return code;
}
