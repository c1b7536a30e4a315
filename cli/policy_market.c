/*
 * puhui policy challenger --lender ID --name N --version V --share 20%
 * puhui policy simulate --lender ID --name N --version V [--from D] [--to D] [--lgd 45%]
 *
 * The policy subcommands that act on the marketplace: routing a share of a
 * lender's applications to a challenger version, and re-running a version
 * over the applications already decided.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct market_opts {
    const char *lender, *name, *version, *share, *from, *to, *lgd;
} market_opts;

static int parse(ph_cli *cli, int argc, char **argv, market_opts *o)
{
    const ph_cli_named opts[] = {
        {"--lender", &o->lender, NULL}, {"--name", &o->name, NULL},
        {"--version", &o->version, NULL}, {"--share", &o->share, NULL},
        {"--from", &o->from, NULL},     {"--to", &o->to, NULL},
        {"--lgd", &o->lgd, NULL}};
    int code = ph_cli_parse_named(cli, "policy", argc, argv, 2, opts,
                                  sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if (o->lender == NULL || o->name == NULL || o->version == NULL)
        return ph_cli_usage_error(cli, "policy", "'policy %s' needs --lender, --name and "
                                                 "--version", argv[1]);
    return PH_EXIT_OK;
}

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

static int parse_rate(ph_cli *cli, const char *option, const char *text, ph_rate *out)
{
    ph_error err;
    if (ph_rate_parse_percent(text, strlen(text), out, &err) != PH_OK) {
        ph_error_set(&err, PH_EINVAL, option, text, "expected a percentage such as 20%%");
        return ph_cli_fail(cli, PH_EINVAL, &err, NULL);
    }
    return PH_EXIT_OK;
}

int ph_policy_challenger(ph_cli *cli, int argc, char **argv)
{
    market_opts o = {0};
    int code = parse(cli, argc, argv, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (o.share == NULL)
        return ph_cli_usage_error(cli, "policy", "'policy challenger' needs --share (0%% "
                                                 "removes the challenger)");
    long long version;
    ph_rate share;
    if ((code = ph_cli_parse_int(cli, "policy", "--version", o.version, 1, INT64_MAX,
                                 &version)) != PH_EXIT_OK ||
        (code = parse_rate(cli, "--share", o.share, &share)) != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    /* a rate is in 1e-8 units: 1 basis point of applications is 10,000 */
    ph_status st = share % PH_RATE_BP != 0
                       ? ph_error_set(&err, PH_EINVAL, "--share", o.share,
                                      "expected whole basis points of applications")
                       : ph_market_set_challenger(store, o.lender, o.name, version,
                                                  share / PH_RATE_BP, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    if (share == 0)
        fprintf(cli->out, "policy %s / %s has no challenger now\n", o.lender, o.name);
    else
        fprintf(cli->out, "policy %s / %s: version %lld challenges the active version on %s "
                          "of applications; both outcomes are recorded\n",
                o.lender, o.name, version, o.share);
    return PH_EXIT_OK;
}

static ph_status print_change(void *user, const ph_simulated_change *c, ph_error *err)
{
    (void)err;
    char old_limit[40] = "-", new_limit[40] = "-", old_rate[32] = "-", new_rate[32] = "-",
         app[24];
    if (c->old_approved) {
        (void)ph_money_format(c->old_limit, PH_MONEY_GROUPING, old_limit, sizeof(old_limit),
                              NULL);
        (void)ph_rate_format_percent(c->old_rate, old_rate, sizeof(old_rate), NULL);
    }
    if (c->new_approved) {
        (void)ph_money_format(c->new_limit, PH_MONEY_GROUPING, new_limit, sizeof(new_limit),
                              NULL);
        (void)ph_rate_format_percent(c->new_rate, new_rate, sizeof(new_rate), NULL);
    }
    snprintf(app, sizeof(app), "%lld", (long long)c->application_id);
    const char *cells[] = {app,
                           c->uscc,
                           c->old_approved ? "approve" : "decline",
                           c->new_approved ? "approve" : "decline",
                           old_limit,
                           new_limit,
                           old_rate,
                           new_rate,
                           c->new_reason};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static void share_text(int64_t part, int64_t whole, char *buf, size_t size)
{
    if (whole <= 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.1f%%", 100.0 * (double)part / (double)whole);
}

int ph_policy_simulate(ph_cli *cli, int argc, char **argv)
{
    market_opts o = {0};
    int code = parse(cli, argc, argv, &o);
    if (code != PH_EXIT_OK)
        return code;
    long long version;
    ph_rate lgd = 45 * PH_RATE_PERCENT;
    ph_date from = 0, to = 0;
    ph_error err;
    if ((code = ph_cli_parse_int(cli, "policy", "--version", o.version, 1, INT64_MAX,
                                 &version)) != PH_EXIT_OK ||
        (o.lgd && (code = parse_rate(cli, "--lgd", o.lgd, &lgd)) != PH_EXIT_OK))
        return code;
    if ((o.from && ph_date_parse(o.from, strlen(o.from), &from, &err) != PH_OK) ||
        (o.to && ph_date_parse(o.to, strlen(o.to), &to, &err) != PH_OK))
        return ph_cli_fail(cli, PH_EINVAL, &err, NULL);
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"application", "enterprise", "was", "would be",
                                          "limit was", "limit would be", "rate was",
                                          "rate would be", "new reason"};
    static const int numeric[] = {1, 0, 0, 0, 1, 1, 1, 1, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 9);
    ph_simulation sim;
    ph_status st = ph_market_simulate(store, o.lender, o.name, version, from, to, lgd,
                                      print_change, t, &sim, &err);
    ph_store_free(store);
    if (st != PH_OK) {
        ph_cli_table_free(t);
        return fail(cli, st, &err);
    }
    char was[16], would[16], el_old[40], el_new[40], off_old[40], off_new[40];
    share_text(sim.old_approved, sim.applications, was, sizeof(was));
    share_text(sim.new_approved, sim.applications, would, sizeof(would));
    (void)ph_money_format(sim.old_expected_loss, PH_MONEY_GROUPING, el_old, sizeof(el_old), NULL);
    (void)ph_money_format(sim.new_expected_loss, PH_MONEY_GROUPING, el_new, sizeof(el_new), NULL);
    (void)ph_money_format(sim.old_offered, PH_MONEY_GROUPING, off_old, sizeof(off_old), NULL);
    (void)ph_money_format(sim.new_offered, PH_MONEY_GROUPING, off_new, sizeof(off_new), NULL);
    fprintf(cli->out,
            "policy %s / %s version %lld over %lld decided applications:\n"
            "  approval rate   %s as decided, %s under version %lld\n"
            "  amount offered  %s yuan as decided, %s yuan\n"
            "  expected loss   %s yuan as decided, %s yuan (PD x LGD %s x amount)\n"
            "  %lld decisions would change\n",
            o.lender, o.name, version, (long long)sim.applications, was, would, version,
            off_old, off_new, el_old, el_new, o.lgd ? o.lgd : "45%", (long long)sim.changed);
    if (sim.changed > 0)
        ph_cli_table_print(cli, t, "the decisions that would change");
    ph_cli_table_free(t);
    return PH_EXIT_OK;
}
