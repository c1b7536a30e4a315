/*
 * puhui size --industry CODE --employees N --revenue AMOUNT [--assets AMOUNT]
 * The 2011 SME size class of a firm, and the rule that decided it.
 */
#include <string.h>

#include "cli.h"

typedef struct size_args {
    ph_industry_code industry;
    long long employees;
    ph_money revenue, assets;
    int have_industry;
} size_args;

static int parse_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    size_args *a = user;
    ph_error err;
    ph_status st = PH_OK;
    size_t len = strlen(value);
    if (strcmp(option, "--industry") == 0) {
        st = ph_industry_code_parse(value, len, &a->industry, &err);
        a->have_industry = 1;
    } else if (strcmp(option, "--employees") == 0) {
        return ph_cli_parse_int(cli, "size", option, value, 0, 100000000, &a->employees);
    } else if (strcmp(option, "--revenue") == 0 || strcmp(option, "--assets") == 0) {
        ph_money *amount = option[2] == 'r' ? &a->revenue : &a->assets;
        st = ph_money_parse(value, len, amount, &err);
        /* negative is the classifier's "unknown", never a real figure here */
        if (st == PH_OK && *amount < 0)
            return ph_cli_usage_error(cli, "size", "%s takes an amount of zero or more, got '%s'",
                                      option, value);
    }
    if (st != PH_OK) {
        ph_error_set_field(&err, option);
        return ph_cli_fail(cli, st, &err, "see 'puhui help size'");
    }
    return PH_EXIT_OK;
}

/* Name the options the sector's rule needs and the user left out. */
static int check_metrics(ph_cli *cli, const ph_sme_rule *rule, const size_args *a)
{
    static const struct {
        unsigned metric;
        const char *option;
    } needs[] = {{PH_SME_METRIC_EMPLOYEES, "--employees"},
                 {PH_SME_METRIC_REVENUE, "--revenue"},
                 {PH_SME_METRIC_ASSETS, "--assets"}};
    const long long given[] = {a->employees, a->revenue, a->assets};
    for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
        if ((rule->metrics & needs[i].metric) && given[i] < 0)
            return ph_cli_usage_error(cli, "size", "the 2011 rule for %s (%s) needs %s",
                                      rule->name_en, rule->name_zh, needs[i].option);
    return PH_EXIT_OK;
}

int ph_cmd_size(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--industry", "--employees", "--revenue",
                                           "--assets"};
    /* -1: not given; the classifier says which metric the sector needs */
    size_args a = {.employees = -1, .revenue = -1, .assets = -1};
    int code = ph_cli_each_option(cli, "size", argc, argv, 1, options,
                                  sizeof(options) / sizeof(options[0]), parse_option, &a);
    if (code != PH_EXIT_OK)
        return code;
    if (!a.have_industry)
        return ph_cli_usage_error(cli, "size", "--industry is required (e.g. C, F52, I65)");

    ph_error err;
    ph_sme_sector sector;
    ph_size_class size;
    ph_status st = ph_sme_sector_of_code(&a.industry, &sector, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, "give the division too, e.g. --industry F52");
    const ph_sme_rule *rule = ph_sme_rule_of(sector);
    code = check_metrics(cli, rule, &a);
    if (code != PH_EXIT_OK)
        return code;
    st = ph_sme_classify(sector, a.employees, a.revenue, a.assets, &size, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:s, s:s, s:s, s:s}", "sector", rule->key,
                                         "sector_zh", rule->name_zh, "size",
                                         ph_size_class_name(size), "size_zh",
                                         ph_size_class_name_zh(size)));
    else
        fprintf(cli->out, "%s (%s) under the 2011 rule for %s (%s)\n", ph_size_class_name(size),
                ph_size_class_name_zh(size), rule->name_en, rule->name_zh);
    return PH_EXIT_OK;
}
