/*
 * puhui uscc check CODE...      validate Unified Social Credit Codes
 * puhui uscc generate ...       make valid codes (test data, staff training)
 */
#include <string.h>

#include "cli.h"

static int uscc_check(ph_cli *cli, int argc, char **argv)
{
    if (argc < 3)
        return ph_cli_usage_error(cli, "uscc", "'uscc check' needs at least one code");
    static const char *const headers[] = {"code", "valid", "division", "kind", "problem"};
    ph_cli_table *table = ph_cli_table_new(headers, NULL, 5);
    int invalid = 0;
    for (int i = 2; i < argc; i++) {
        ph_uscc parsed;
        ph_error err;
        char division[96] = "";
        const char *kind = "", *problem = "";
        if (ph_uscc_parse(argv[i], strlen(argv[i]), &parsed, &err) == PH_OK) {
            const char *place = ph_division_name(parsed.division_code);
            snprintf(division, sizeof(division), "%06d %s", parsed.division_code,
                     place ? place : "");
            kind = parsed.kind->category_zh;
        } else {
            invalid++;
            problem = err.detail;
        }
        const char *cells[] = {argv[i], problem[0] ? "no" : "yes", division, kind, problem};
        ph_cli_table_add(table, cells);
    }
    ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    return invalid ? PH_EXIT_USAGE : PH_EXIT_OK;
}

static int uscc_generate(ph_cli *cli, int argc, char **argv)
{
    long long division = 370102, count = 5, serial = 1;
    const char *kind = "91";
    for (int i = 2; i < argc; i++) {
        const char *value = NULL;
        int code = PH_EXIT_OK;
        if (ph_cli_option(argc, argv, &i, "--division", &value))
            code = value ? ph_cli_parse_int(cli, "uscc", "--division", value, 100000, 999999,
                                            &division)
                         : ph_cli_usage_error(cli, "uscc", "--division needs a 6-digit code");
        else if (ph_cli_option(argc, argv, &i, "--count", &value))
            code = value ? ph_cli_parse_int(cli, "uscc", "--count", value, 1, 1000000, &count)
                         : ph_cli_usage_error(cli, "uscc", "--count needs a number");
        else if (ph_cli_option(argc, argv, &i, "--serial", &value))
            code = value ? ph_cli_parse_int(cli, "uscc", "--serial", value, 0,
                                            (long long)PH_USCC_SERIAL_MAX, &serial)
                         : ph_cli_usage_error(cli, "uscc", "--serial needs a number");
        else if (ph_cli_option(argc, argv, &i, "--kind", &value)) {
            kind = value;
            if (kind == NULL || strlen(kind) != 2)
                code = ph_cli_usage_error(cli, "uscc",
                                          "--kind takes the two leading characters, e.g. 91 "
                                          "(enterprise) or 92 (individual business)");
        } else
            code = ph_cli_no_more_args(cli, "uscc", 2, argv + i - 1);
        if (code != PH_EXIT_OK)
            return code;
    }
    for (long long n = 0; n < count; n++) {
        char out[PH_USCC_LEN + 1];
        ph_error err;
        ph_status st = ph_uscc_generate(kind[0], kind[1], (int)division,
                                        (uint64_t)(serial + n), out, &err);
        if (st != PH_OK)
            return ph_cli_fail(cli, st, &err, "see 'puhui help uscc' for the options");
        fprintf(cli->out, "%s\n", out);
    }
    return PH_EXIT_OK;
}

int ph_cmd_uscc(ph_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return uscc_check(cli, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "generate") == 0)
        return uscc_generate(cli, argc, argv);
    return ph_cli_usage_error(cli, "uscc", "'uscc' takes 'check' or 'generate'");
}
