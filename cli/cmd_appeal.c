/*
 * puhui appeal open --decision ID --grounds TEXT
 * puhui appeal decide --appeal ID --reviewer NAME --outcome uphold|overturn --reason TEXT
 *                     [--limit AMOUNT --rate RATE]     (overturn)
 * puhui appeal list [--decision ID]
 *
 * A manual review of a served decision (market.h). The decision is never
 * changed; the appeal records who decided what, why, and what was granted.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct appeal_opts {
    const char *decision, *grounds, *appeal, *reviewer, *outcome, *reason, *limit, *rate;
} appeal_opts;

static int parse(ph_cli *cli, int argc, char **argv, appeal_opts *o)
{
    const ph_cli_named opts[] = {
        {"--decision", &o->decision, NULL}, {"--grounds", &o->grounds, NULL},
        {"--appeal", &o->appeal, NULL},     {"--reviewer", &o->reviewer, NULL},
        {"--outcome", &o->outcome, NULL},   {"--reason", &o->reason, NULL},
        {"--limit", &o->limit, NULL},       {"--rate", &o->rate, NULL}};
    return ph_cli_parse_named(cli, "appeal", argc, argv, 2, opts,
                              sizeof(opts) / sizeof(opts[0]));
}

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

static int appeal_open(ph_cli *cli, ph_store *store, const appeal_opts *o)
{
    long long decision;
    if (o->decision == NULL || o->grounds == NULL)
        return ph_cli_usage_error(cli, "appeal", "'appeal open' needs --decision and --grounds");
    int code = ph_cli_parse_int(cli, "appeal", "--decision", o->decision, 1, INT64_MAX,
                                &decision);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    int64_t id = 0;
    ph_status st = ph_appeal_open(store, decision, o->grounds, &id, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "appeal %lld opened on decision %lld: a reviewer will decide it\n",
            (long long)id, decision);
    return PH_EXIT_OK;
}

static int appeal_decide(ph_cli *cli, ph_store *store, const appeal_opts *o)
{
    if (!o->appeal || !o->reviewer || !o->outcome || !o->reason)
        return ph_cli_usage_error(cli, "appeal", "'appeal decide' needs --appeal, --reviewer, "
                                                 "--outcome and --reason");
    long long id;
    int code = ph_cli_parse_int(cli, "appeal", "--appeal", o->appeal, 1, INT64_MAX, &id);
    if (code != PH_EXIT_OK)
        return code;
    ph_appeal_outcome outcome;
    if (strcmp(o->outcome, "uphold") == 0)
        outcome = PH_APPEAL_UPHOLD;
    else if (strcmp(o->outcome, "overturn") == 0)
        outcome = PH_APPEAL_OVERTURN;
    else
        return ph_cli_usage_error(cli, "appeal", "--outcome is uphold or overturn, not '%s'",
                                  o->outcome);
    ph_error err;
    ph_money limit = 0;
    ph_rate rate = 0;
    ph_status st = PH_OK;
    if (o->limit)
        st = ph_money_parse(o->limit, strlen(o->limit), &limit, &err);
    if (st == PH_OK && o->rate)
        st = ph_rate_parse_percent(o->rate, strlen(o->rate), &rate, &err);
    if (st == PH_OK)
        st = ph_appeal_decide(store, id, outcome, o->reviewer, o->reason, limit, rate, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    if (outcome == PH_APPEAL_OVERTURN)
        fprintf(cli->out, "appeal %lld: overturned by %s: limit %s yuan at %s (%s)\n", id,
                o->reviewer, o->limit, o->rate, o->reason);
    else
        fprintf(cli->out, "appeal %lld: upheld by %s (%s)\n", id, o->reviewer, o->reason);
    return PH_EXIT_OK;
}

static ph_status add_row(void *user, const ph_appeal *a, ph_error *err)
{
    (void)err;
    char id[24], decision[24], granted[96] = "";
    snprintf(id, sizeof(id), "%lld", (long long)a->id);
    snprintf(decision, sizeof(decision), "%lld", (long long)a->decision_id);
    if (a->has_override) {
        char limit[40], rate[32];
        (void)ph_money_format(a->limit, PH_MONEY_GROUPING, limit, sizeof(limit), NULL);
        (void)ph_rate_format_percent(a->rate, rate, sizeof(rate), NULL);
        snprintf(granted, sizeof(granted), "%s at %s", limit, rate);
    }
    const char *cells[] = {id, decision, a->uscc, a->lender, a->decision_approved ? "approved"
                                                                                  : "declined",
                           a->grounds, a->status, a->reviewer, a->reason, granted};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int appeal_list(ph_cli *cli, ph_store *store, const appeal_opts *o)
{
    long long decision = 0;
    int code = o->decision ? ph_cli_parse_int(cli, "appeal", "--decision", o->decision, 1,
                                              INT64_MAX, &decision)
                           : PH_EXIT_OK;
    if (code != PH_EXIT_OK)
        return code;
    static const char *const headers[] = {"appeal", "decision", "enterprise", "lender",
                                          "decided", "grounds", "status", "reviewer",
                                          "reason", "granted"};
    static const int numeric[] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 10);
    ph_error err;
    ph_status st = ph_appeal_list(store, decision, add_row, t, &err);
    if (st == PH_OK)
        ph_cli_table_print(cli, t, NULL);
    ph_cli_table_free(t);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

int ph_cmd_appeal(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *, ph_store *, const appeal_opts *);
    } subs[] = {{"open", appeal_open}, {"decide", appeal_decide}, {"list", appeal_list}};
    size_t which = sizeof(subs) / sizeof(subs[0]);
    for (size_t i = 0; argc >= 2 && i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            which = i;
    if (which == sizeof(subs) / sizeof(subs[0]))
        return ph_cli_usage_error(cli, "appeal", "expected open, decide or list");
    appeal_opts o = {0};
    int code = parse(cli, argc, argv, &o);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    code = subs[which].run(cli, store, &o);
    ph_store_free(store);
    return code;
}
