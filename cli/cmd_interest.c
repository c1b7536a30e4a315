/*
 * puhui interest --principal AMOUNT --rate RATE (--days N | --from DATE --to DATE)
 *                [--daycount ACT/360|ACT/365] [--rounding MODE]
 * Simple interest to the fen, as a credit officer would check a statement.
 */
#include <string.h>

#include "cli.h"

typedef struct interest_args {
    ph_money principal;
    ph_rate rate;
    long long days;
    ph_daycount daycount;
    ph_rounding rounding;
    ph_date from, to;
    int have_principal, have_rate, have_days, have_from, have_to;
} interest_args;

/* Parse one option's value with the library's own parser, so the CLI
 * accepts exactly what the library accepts and reports it the same way. */
static int parse_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    interest_args *a = user;
    ph_error err;
    ph_status st = PH_OK;
    size_t len = strlen(value);
    if (strcmp(option, "--principal") == 0) {
        st = ph_money_parse(value, len, &a->principal, &err);
        a->have_principal = 1;
    } else if (strcmp(option, "--rate") == 0) {
        st = ph_rate_parse(value, len, &a->rate, &err);
        a->have_rate = 1;
    } else if (strcmp(option, "--days") == 0) {
        a->have_days = 1;
        return ph_cli_parse_int(cli, "interest", option, value, 0, 366000, &a->days);
    } else if (strcmp(option, "--from") == 0) {
        st = ph_date_parse(value, len, &a->from, &err);
        a->have_from = 1;
    } else if (strcmp(option, "--to") == 0) {
        st = ph_date_parse(value, len, &a->to, &err);
        a->have_to = 1;
    } else if (strcmp(option, "--daycount") == 0) {
        st = ph_daycount_parse(value, len, &a->daycount, &err);
    } else if (strcmp(option, "--rounding") == 0) {
        st = ph_rounding_parse(value, len, &a->rounding, &err);
    }
    if (st != PH_OK) {
        ph_error_set_field(&err, option); /* the user typed --principal, not "amount" */
        return ph_cli_fail(cli, st, &err, "see 'puhui help interest'");
    }
    return PH_EXIT_OK;
}

int ph_cmd_interest(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--principal", "--rate",     "--days", "--from",
                                           "--to",        "--daycount", "--rounding"};
    interest_args a = {.daycount = PH_DAYCOUNT_ACT_360, .rounding = PH_ROUND_HALF_UP};
    int code = ph_cli_each_option(cli, "interest", argc, argv, 1, options,
                                  sizeof(options) / sizeof(options[0]), parse_option, &a);
    if (code != PH_EXIT_OK)
        return code;
    if (a.have_from != a.have_to || (a.have_from && a.have_days))
        return ph_cli_usage_error(cli, "interest",
                                  "give either --days, or both --from and --to");
    if (a.have_from) {
        ph_error span_err;
        int64_t days;
        ph_status span = ph_interest_days(a.from, a.to, &days, &span_err);
        if (span == PH_EINVAL) /* the end before the drawdown: the two options disagree */
            return ph_cli_usage_error(cli, "interest", "--to comes before --from");
        if (span != PH_OK)
            return ph_cli_fail(cli, span, &span_err, NULL);
        a.days = days;
        a.have_days = 1;
    }
    if (!a.have_principal || !a.have_rate || !a.have_days)
        return ph_cli_usage_error(cli, "interest",
                                  "--principal, --rate and --days (or --from and --to) are "
                                  "required");

    ph_error err;
    ph_money interest;
    ph_rate daily;
    ph_status st = ph_interest(a.principal, a.rate, a.days, a.daycount, a.rounding, &interest,
                               &err);
    if (st == PH_OK)
        st = ph_daily_rate(a.rate, a.daycount, a.rounding, &daily, &err);
    char principal_text[40], interest_text[40], rate_text[40], daily_text[40];
    if (st == PH_OK)
        st = ph_money_format(a.principal, PH_MONEY_GROUPING, principal_text,
                             sizeof(principal_text), &err);
    if (st == PH_OK)
        st = ph_money_format(interest, PH_MONEY_GROUPING, interest_text, sizeof(interest_text),
                             &err);
    if (st == PH_OK)
        st = ph_rate_format_percent(a.rate, rate_text, sizeof(rate_text), &err);
    if (st == PH_OK)
        st = ph_rate_format_percent(daily, daily_text, sizeof(daily_text), &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);

    if (cli->format == PH_FORMAT_JSON) {
        ph_cli_print_json(cli, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "principal",
                                         principal_text, "annual_rate", rate_text, "days",
                                         (json_int_t)a.days, "daycount",
                                         ph_daycount_name(a.daycount), "daily_rate",
                                         daily_text, "rounding", ph_rounding_name(a.rounding),
                                         "interest", interest_text));
    } else {
        fprintf(cli->out,
                "%s yuan at %s a year for %lld days (%s, daily rate %s), rounded %s:\n"
                "interest %s yuan\n",
                principal_text, rate_text, a.days, ph_daycount_name(a.daycount), daily_text,
                ph_rounding_name(a.rounding), interest_text);
    }
    return PH_EXIT_OK;
}
