/*
 * puhui market lpr RATE --from DATE     record the LPR in force from a day
 * puhui market subsidy FILE             load an interest-subsidy programme
 * puhui market facts                    what a policy can read, and from which feeds
 * puhui market report [--from D] [--to D]   approvals, price, credit share, first-time
 *                                       borrowers and decline reasons by lender
 * puhui decision replay ID              re-run a stored decision to the identical trace
 * puhui decision show ID                its stored trace (JSON)
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

/* argv[first..]: "--from D" and "--to D" only. */
static int parse_dates(ph_cli *cli, const char *command, int argc, char **argv, int first,
                       ph_date *from, ph_date *to, const char **positional)
{
    for (int i = first; i < argc; i++) {
        const char *value = NULL;
        ph_date *target = NULL;
        if (ph_cli_option(argc, argv, &i, "--from", &value))
            target = from;
        else if (ph_cli_option(argc, argv, &i, "--to", &value))
            target = to;
        else if (positional != NULL && *positional == NULL && argv[i][0] != '-') {
            *positional = argv[i];
            continue;
        } else
            return ph_cli_no_more_args(cli, command, 1, argv + i);
        if (value == NULL)
            return ph_cli_usage_error(cli, command, "%s needs a date", argv[i]);
        ph_error err;
        if (ph_date_parse(value, strlen(value), target, &err) != PH_OK)
            return ph_cli_fail(cli, PH_EINVAL, &err, NULL);
    }
    return PH_EXIT_OK;
}

static int market_lpr(ph_cli *cli, int argc, char **argv)
{
    ph_date from = 0, to = 0;
    const char *rate_text = NULL;
    int code = parse_dates(cli, "market", argc, argv, 2, &from, &to, &rate_text);
    if (code != PH_EXIT_OK)
        return code;
    if (rate_text == NULL || from == 0 || to != 0)
        return ph_cli_usage_error(cli, "market", "usage: puhui market lpr RATE --from DATE");
    ph_error err;
    ph_rate rate;
    ph_status st = ph_rate_parse_percent(rate_text, strlen(rate_text), &rate, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    st = ph_market_set_lpr(store, from, rate, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    char day[11];
    (void)ph_date_format(from, day, sizeof(day), NULL);
    fprintf(cli->out, "LPR %s in force from %s\n", rate_text, day);
    return PH_EXIT_OK;
}

static int market_subsidy(ph_cli *cli, int argc, char **argv)
{
    if (argc != 3)
        return ph_cli_usage_error(cli, "market", "usage: puhui market subsidy FILE");
    int code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    int64_t id = 0;
    ph_status st = ph_market_load_subsidy(store, argv[2], &id, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "subsidy programme %s in force (programme %lld); it applies to every "
                      "offer from now on, without an application\n",
            argv[2], (long long)id);
    return PH_EXIT_OK;
}

static int market_facts(ph_cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return ph_cli_no_more_args(cli, "market", 1, argv + 2);
    static const char *const headers[] = {"fact", "kind", "sources", "description"};
    static const int numeric[] = {0, 0, 0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 4);
    for (size_t i = 0; i < ph_market_fact_count(); i++) {
        const char *cells[] = {ph_market_fact_name(i),
                               ph_value_kind_name(ph_market_fact_kind(i)),
                               ph_market_fact_sources(i), ph_market_fact_description(i)};
        ph_cli_table_add(t, cells);
    }
    ph_cli_table_print(cli, t, "facts a policy can read (plus score and pd from its model)");
    ph_cli_table_free(t);
    return PH_EXIT_OK;
}

static void share(int64_t part, int64_t whole, char *buf, size_t size)
{
    if (whole <= 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%lld.%01lld%%", (long long)(part * 1000 / whole / 10),
                 (long long)(part * 1000 / whole % 10));
}

static void report_row(ph_cli_table *t, const ph_market_lender_stats *s)
{
    char asked[24], approved[24], rate[32] = "-", net[32] = "-", offered[40], credit[24],
        first[24], not_asked[24];
    snprintf(asked, sizeof(asked), "%lld", (long long)s->asked);
    snprintf(not_asked, sizeof(not_asked), "%lld", (long long)s->not_asked);
    share(s->approved, s->asked, approved, sizeof(approved));
    if (s->approved > 0) {
        (void)ph_rate_format_percent(s->avg_rate, rate, sizeof(rate), NULL);
        (void)ph_rate_format_percent(s->avg_net_apr, net, sizeof(net), NULL);
    }
    (void)ph_money_format(s->offered, PH_MONEY_GROUPING, offered, sizeof(offered), NULL);
    share(s->credit_offers, s->approved, credit, sizeof(credit));
    snprintf(first, sizeof(first), "%lld", (long long)s->first_time);
    const char *cells[] = {s->lender_name, asked, not_asked, approved, offered, rate, net,
                           credit, first};
    ph_cli_table_add(t, cells);
}

static int market_report(ph_cli *cli, int argc, char **argv)
{
    ph_date from = 0, to = 0;
    int code = parse_dates(cli, "market", argc, argv, 2, &from, &to, NULL);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_market_report *r = NULL;
    ph_status st = ph_market_report_build(store, from, to, &r, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    static const char *const headers[] = {"lender", "decided", "not asked", "approved",
                                          "offered (yuan)", "avg rate", "avg net APR",
                                          "credit loans", "first-time"};
    static const int numeric[] = {0, 1, 1, 1, 1, 1, 1, 1, 1};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 9);
    for (size_t i = 0; i <= r->n_lenders; i++)
        report_row(t, &r->lenders[i]);
    char title[160];
    snprintf(title, sizeof(title), "%lld applications, %lld with at least one offer",
             (long long)r->applications, (long long)r->with_offer);
    ph_cli_table_print(cli, t, title);
    ph_cli_table_free(t);
    static const char *const rh[] = {"lender", "decline reason", "declines"};
    static const int rn[] = {0, 0, 1};
    ph_cli_table *reasons = ph_cli_table_new(rh, rn, 3);
    for (size_t i = 0; i < r->n_lenders; i++)
        for (size_t k = 0; k < r->lenders[i].n_reasons; k++) {
            char count[24];
            snprintf(count, sizeof(count), "%lld", (long long)r->lenders[i].reason_count[k]);
            const char *cells[] = {r->lenders[i].lender_name, r->lenders[i].reason_code[k],
                                   count};
            ph_cli_table_add(reasons, cells);
        }
    ph_cli_table_print(cli, reasons, "the most frequent decline reasons by lender");
    ph_cli_table_free(reasons);
    ph_market_report_free(r);
    return PH_EXIT_OK;
}

int ph_cmd_market(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *, int, char **);
    } subs[] = {{"lpr", market_lpr},
                {"subsidy", market_subsidy},
                {"facts", market_facts},
                {"report", market_report}};
    for (size_t i = 0; argc >= 2 && i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(cli, argc, argv);
    return ph_cli_usage_error(cli, "market", "expected lpr, subsidy, facts or report");
}

/* ---- decisions -------------------------------------------------------------------------- */

static int parse_id(ph_cli *cli, int argc, char **argv, int64_t *id)
{
    if (argc != 3)
        return ph_cli_usage_error(cli, "decision", "usage: puhui decision replay|show ID");
    long long v;
    int code = ph_cli_parse_int(cli, "decision", "ID", argv[2], 1, INT64_MAX, &v);
    *id = v;
    return code;
}

static int decision_replay(ph_cli *cli, ph_store *store, int64_t id)
{
    ph_error err;
    ph_replay_report r;
    ph_status st = ph_market_replay(store, id, &r, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    if (r.identical)
        fprintf(cli->out, "decision %lld replayed: identical (score, PD, outcome and the "
                          "%zu-byte trace)\n",
                (long long)id, r.trace_bytes);
    else
        fprintf(cli->out, "decision %lld replayed: DIFFERENT: %s\n", (long long)id,
                r.difference);
    return r.identical ? PH_EXIT_OK : PH_EXIT_FAILURE;
}

static int decision_show(ph_cli *cli, ph_store *store, int64_t id)
{
    ph_error err;
    char *trace = NULL;
    ph_status st = ph_market_decision_trace(store, id, &trace, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "%s\n", trace);
    ph_free(ph_store_ctx(store), trace);
    return PH_EXIT_OK;
}

int ph_cmd_decision(ph_cli *cli, int argc, char **argv)
{
    int64_t id = 0;
    if (argc < 2 || (strcmp(argv[1], "replay") != 0 && strcmp(argv[1], "show") != 0))
        return ph_cli_usage_error(cli, "decision", "expected replay or show");
    int code = parse_id(cli, argc, argv, &id);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    code = argv[1][0] == 'r' ? decision_replay(cli, store, id) : decision_show(cli, store, id);
    ph_store_free(store);
    return code;
}
