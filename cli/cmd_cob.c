/*
 * puhui cob --date D | --through D [--rules FILE]
 *
 * Close of business (include/puhui/loan.h, docs/loans.md#close-of-business):
 * --date closes exactly the next open day D; --through closes every open day
 * up to D. A day already closed is never run again.
 */
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "puhui/loan.h"


static void on_progress(void *user, ph_date day, int64_t done, int64_t total)
{
    (void)day;
    ph_cli_progress_update(user, (uint64_t)done, (uint64_t)total);
}

int ph_cmd_cob(ph_cli *cli, int argc, char **argv)
{
    const char *date = NULL, *through = NULL, *rules_path = NULL;
    const ph_cli_named opts[] = {{"--date", &date, NULL}, {"--through", &through, NULL},
                                 {"--rules", &rules_path, NULL}};
    int code = ph_cli_parse_named(cli, "cob", argc, argv, 1, opts, sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if ((date == NULL) == (through == NULL))
        return ph_cli_usage_error(cli, "cob", "expected exactly one of --date D and --through D");
    ph_error err;
    ph_date d = 0;
    const char *text = date ? date : through;
    ph_status st = ph_date_parse(text, strlen(text), &d, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_cob_rules *rules = NULL;
    if (rules_path != NULL)
        st = ph_cob_rules_load_file(cli->ctx, rules_path, &rules, &err);
    ph_date last = 0;
    if (st == PH_OK)
        st = ph_cob_last_day(store, &last, &err);
    if (st == PH_OK && date != NULL && last != 0 && d != last + 1) {
        char next[16];
        ph_date_format(last + 1, next, sizeof(next), NULL);
        st = ph_error_set(&err, PH_EINVAL, "date", date,
                          d <= last ? "that day is closed already; the next open day is %s"
                                    : "days close in order: the next open day is %s (use "
                                      "--through to close several)",
                          next);
    }
    ph_cob_report r;
    memset(&r, 0, sizeof(r));
    if (st == PH_OK) {
        ph_cli_progress *p = ph_cli_progress_start(cli, "close of business", "loans");
        st = ph_cob_through(store, d, rules, on_progress, p, &r, &err);
        ph_cli_progress_finish(p);
    }
    ph_cob_rules_free(rules);
    if (st != PH_OK) {
        ph_store_free(store);
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
    }
    char from[16], to[16], i[40], pen[40], fee[40], sub[40], prov[40], def[40];
    ph_date_format(r.from, from, sizeof(from), NULL);
    ph_date_format(r.to, to, sizeof(to), NULL);
    ph_money_format(r.interest, PH_MONEY_GROUPING, i, sizeof(i), NULL);
    ph_money_format(r.penalty, PH_MONEY_GROUPING, pen, sizeof(pen), NULL);
    ph_money_format(r.fees, PH_MONEY_GROUPING, fee, sizeof(fee), NULL);
    ph_money_format(r.subsidy, PH_MONEY_GROUPING, sub, sizeof(sub), NULL);
    ph_money_format(r.provision_change, PH_MONEY_GROUPING, prov, sizeof(prov), NULL);
    ph_money_format(r.defaulted, PH_MONEY_GROUPING, def, sizeof(def), NULL);
    if (r.days == 0)
        fprintf(cli->out, "no open day to close through %s\n", text);
    else
        fprintf(cli->out,
                "closed %lld day%s, %s to %s (%lld loan-days): interest %s, penalty %s, "
                "guarantee fees %s, subsidies paid %s, provisions %s%s; %lld default%s, "
                "%s yuan shared\n",
                (long long)r.days, r.days == 1 ? "" : "s", from, to, (long long)r.loan_days, i,
                pen, fee, sub, r.provision_change >= 0 ? "+" : "", prov, (long long)r.defaults,
                r.defaults == 1 ? "" : "s", def);
    ph_store_free(store);
    return PH_EXIT_OK;
}
