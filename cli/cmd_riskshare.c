/*
 * puhui risk-share: losses shared by party, then per guarantor what it
 * guarantees against its capital and cap and its compensation rate, then
 * per risk-compensation pool its capital, what it paid and its balance in
 * the ledger (include/puhui/loan.h ph_share_figures, docs/loans.md).
 */
#include <string.h>

#include "cli.h"
#include "puhui/loan.h"

/* Yuan: grouped in a table, plain in JSON (so a reader parses it). */
static void money(const ph_cli *cli, ph_money m, char *buf, size_t size)
{
    unsigned flags = cli->format == PH_FORMAT_JSON ? 0 : PH_MONEY_GROUPING;
    if (ph_money_format(m, flags, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

/* A rate as a percentage, or as a multiple ("3.2500x", four decimals, rounded half up). */
static void ratio(ph_rate r, int percent, char *buf, size_t size)
{
    if (percent) {
        if (ph_rate_format_percent(r, buf, size, NULL) != PH_OK)
            snprintf(buf, size, "?");
        return;
    }
    long long n = (long long)((r + PH_RATE_ONE / 20000) / (PH_RATE_ONE / 10000));
    snprintf(buf, size, "%lld.%04lldx", n / 10000, n % 10000);
}

typedef struct tables {
    const ph_cli *cli;
    ph_cli_table *guarantors, *pools;
} tables;

static int add_guarantor(const ph_share_guarantor_figures *g, void *user)
{
    tables *t = user;
    char cap[PH_MONEY_FORMAT_MAX], out[PH_MONEY_FORMAT_MAX], comp[PH_MONEY_FORMAT_MAX],
        mat[PH_MONEY_FORMAT_MAX], lev[32], lcap[32], rate[32];
    money(t->cli, g->capital, cap, sizeof(cap));
    money(t->cli, g->outstanding, out, sizeof(out));
    money(t->cli, g->compensated, comp, sizeof(comp));
    money(t->cli, g->matured, mat, sizeof(mat));
    ratio(g->leverage, 0, lev, sizeof(lev));
    ratio(g->leverage_cap, 0, lcap, sizeof(lcap));
    ratio(g->compensation_rate, 1, rate, sizeof(rate));
    const char *cells[] = {g->guarantor, g->name, cap, out, lev, lcap,
                           g->within_cap ? "yes" : "NO", comp, mat, rate};
    ph_cli_table_add(t->guarantors, cells);
    return 0;
}

static int add_pool(const ph_share_pool_figures *p, void *user)
{
    tables *t = user;
    char cap[PH_MONEY_FORMAT_MAX], paid[PH_MONEY_FORMAT_MAX], bal[PH_MONEY_FORMAT_MAX];
    money(t->cli, p->capital, cap, sizeof(cap));
    money(t->cli, p->paid_out, paid, sizeof(paid));
    money(t->cli, p->balance, bal, sizeof(bal));
    const char *cells[] = {p->pool, cap, paid, bal};
    ph_cli_table_add(t->pools, cells);
    return 0;
}

int ph_cmd_riskshare(ph_cli *cli, int argc, char **argv)
{
    if (argc != 1)
        return ph_cli_usage_error(cli, "risk-share", "unexpected argument '%s'", argv[1]);
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_book_summary b;
    ph_status st = ph_book_summary_get(store, &b, &err);
    static const char *const ph[] = {"party", "shared"};
    static const int pn[] = {0, 0};
    static const char *const gh[] = {"guarantor", "name", "capital", "outstanding", "leverage",
                                     "cap", "within_cap", "compensated", "matured",
                                     "compensation_rate"};
    static const int gn[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const char *const oh[] = {"pool", "capital", "paid_out", "balance"};
    static const int on[] = {0, 0, 0, 0};
    ph_cli_table *parties = ph_cli_table_new(ph, pn, 2);
    tables t = {cli, ph_cli_table_new(gh, gn, 10), ph_cli_table_new(oh, on, 4)};
    for (int p = 0; st == PH_OK && p < PH_PARTY_COUNT; p++) {
        char m[PH_MONEY_FORMAT_MAX];
        money(cli, b.shared[p], m, sizeof(m));
        const char *cells[] = {ph_share_party_name((ph_share_party)p), m};
        ph_cli_table_add(parties, cells);
    }
    if (st == PH_OK)
        st = ph_share_figures(store, add_guarantor, add_pool, &t, &err);
    if (st == PH_OK && cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_object();
        json_object_set_new(doc, "parties", ph_cli_table_json(parties));
        json_object_set_new(doc, "guarantors", ph_cli_table_json(t.guarantors));
        json_object_set_new(doc, "pools", ph_cli_table_json(t.pools));
        ph_cli_print_json(cli, doc);
    } else if (st == PH_OK) {
        ph_cli_table_print(cli, parties, "losses shared by party (yuan)");
        ph_cli_table_print(cli, t.guarantors, "guarantors: leverage and compensation");
        ph_cli_table_print(cli, t.pools, "risk-compensation pools (ledger account 2901)");
    }
    ph_cli_table_free(parties);
    ph_cli_table_free(t.guarantors);
    ph_cli_table_free(t.pools);
    ph_store_free(store);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}
