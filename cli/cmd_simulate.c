/*
 * puhui simulate --province DIR --from YYYY-MM --months N [--seed N] [--rules FILE]
 *
 * The province runs forward (include/puhui/simulate.h,
 * docs/loans.md#the-province-runs-forward): the firms accept their best
 * offers, pay by their latent health and default by the generator's hazard,
 * and the close of business runs every day. Then the book as a supervisor
 * reads it: by category with the NPL ratio, provisions and coverage; the
 * credit-loan share and first-time borrowers; subsidies paid; losses shared
 * by party and the pools' balances; the guarantors' compensation rate.
 */
#include <string.h>

#include "cli.h"
#include "progress.h"
#include "puhui/simulate.h"

static void on_progress(void *user, ph_date day, int64_t done, int64_t total)
{
    (void)day;
    ph_cli_progress_update(user, (uint64_t)done, (uint64_t)total);
}

static void money(ph_money m, char *buf, size_t size)
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

static void pct(ph_rate r, char *buf, size_t size)
{
    if (ph_rate_format_percent(r, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

/* The pools and the guarantors, as puhui risk-share reads them
 * (ph_share_figures): each pool's row, and the guarantors' totals. */
typedef struct shares {
    ph_cli_table *pools;
    int n_pools;
    ph_money compensated, matured;
} shares;

static int add_pool(const ph_share_pool_figures *p, void *user)
{
    shares *s = user;
    char in[PH_MONEY_FORMAT_MAX], paid[PH_MONEY_FORMAT_MAX], left[PH_MONEY_FORMAT_MAX];
    money(p->capital, in, sizeof(in));
    money(p->paid_out, paid, sizeof(paid));
    money(p->balance, left, sizeof(left));
    const char *cells[] = {p->pool, in, paid, left};
    ph_cli_table_add(s->pools, cells);
    s->n_pools++;
    return 0;
}

static int add_guarantor(const ph_share_guarantor_figures *g, void *user)
{
    shares *s = user;
    s->compensated += g->compensated;
    s->matured += g->matured;
    return 0;
}

static ph_status print_after(ph_cli *cli, ph_store *store, const ph_simulate_report *r,
                             ph_error *err)
{
    FILE *out = cli->out;
    char a[16], b[16];
    ph_date_format(r->first_day, a, sizeof(a), NULL);
    ph_date_format(r->last_day, b, sizeof(b), NULL);
    fprintf(out,
            "ran %s to %s: %lld applications with an offer, %lld best offers accepted, %lld "
            "refused by the book (expired or taken); %lld borrowers\n",
            a, b, (long long)r->applications, (long long)r->accepted, (long long)r->refused,
            (long long)r->firms);
    fprintf(out,
            "instalments: %lld paid on time, %lld late, %lld in part; %lld repayments, %lld "
            "draws, %lld renewals (无还本续贷); %lld firms stopped paying (%lld by the truth's "
            "default date, %lld drawn from the true PD)\n",
            (long long)r->on_time, (long long)r->late, (long long)r->partial,
            (long long)r->payments, (long long)r->draws, (long long)r->renewals,
            (long long)r->stopped,
            (long long)r->firms_truth_default, (long long)r->firms_drawn_default);
    char i[PH_MONEY_FORMAT_MAX], pen[PH_MONEY_FORMAT_MAX], def[PH_MONEY_FORMAT_MAX];
    money(r->cob.interest, i, sizeof(i));
    money(r->cob.penalty, pen, sizeof(pen));
    money(r->cob.defaulted, def, sizeof(def));
    fprintf(out,
            "close of business: %lld days, %lld loan-days; interest %s, penalty %s yuan; %lld "
            "loans defaulted (%s yuan)\n\n",
            (long long)r->cob.days, (long long)r->cob.loan_days, i, pen,
            (long long)r->cob.defaults, def);
    if (ph_loan_book_print(cli, store) != PH_EXIT_OK)
        return ph_error_set(err, PH_ESTORE, NULL, NULL, "the book could not be read");

    ph_book_summary s;
    ph_book_mix m;
    ph_status st = ph_book_summary_get(store, &s, err);
    if (st == PH_OK)
        st = ph_book_mix_get(store, &m, err);
    if (st != PH_OK)
        return st;
    static const char *const h[] = {"party", "loss shared"};
    static const int num[] = {0, 1};
    ph_cli_table *t = ph_cli_table_new(h, num, 2);
    for (int p = 0; p < PH_PARTY_COUNT; p++) {
        char v[PH_MONEY_FORMAT_MAX];
        money(s.shared[p], v, sizeof(v));
        const char *cells[] = {ph_share_party_name((ph_share_party)p), v};
        ph_cli_table_add(t, cells);
    }
    fprintf(out, "\n");
    ph_cli_table_print(cli, t, "losses shared by party");
    ph_cli_table_free(t);
    static const char *const ph[] = {"pool", "capital", "paid out", "balance"};
    static const int pn[] = {0, 1, 1, 1};
    shares sh = {ph_cli_table_new(ph, pn, 4), 0, 0, 0};
    st = ph_share_figures(store, add_guarantor, add_pool, &sh, err);
    if (st == PH_OK && sh.n_pools > 0) {
        fprintf(out, "\n");
        ph_cli_table_print(cli, sh.pools, "risk-compensation pools (account 2901)");
    }
    ph_cli_table_free(sh.pools);
    ph_rate comp_rate = 0;
    if (st == PH_OK)
        st = ph_share_compensation_rate(sh.compensated, sh.matured, &comp_rate, err);
    if (st != PH_OK)
        return st;
    char share[32], rate[32], amount[PH_MONEY_FORMAT_MAX], credit[PH_MONEY_FORMAT_MAX];
    char comp[PH_MONEY_FORMAT_MAX], matured[PH_MONEY_FORMAT_MAX];
    pct(m.credit_share, share, sizeof(share));
    pct(comp_rate, rate, sizeof(rate));
    money(m.amount, amount, sizeof(amount));
    money(m.credit_amount, credit, sizeof(credit));
    money(sh.compensated, comp, sizeof(comp));
    money(sh.matured, matured, sizeof(matured));
    fprintf(out,
            "\n%lld loans booked (%s yuan): %lld credit loans without a guarantor (%s of loans, "
            "%s yuan), %lld to first-time borrowers (首贷户)\n",
            (long long)m.loans, amount, (long long)m.credit_loans, share, credit,
            (long long)m.first_time);
    fprintf(out,
            "compensation rate: %s (guarantors paid %s yuan on %s yuan of guaranteed loans "
            "that matured, were renewed or defaulted; puhui risk-share gives it by guarantor)\n",
            rate, comp, matured);
    return PH_OK;
}

int ph_cmd_simulate(ph_cli *cli, int argc, char **argv)
{
    const char *province = NULL, *from = NULL, *months = NULL, *seed = NULL, *rules_path = NULL;
    const ph_cli_named opts[] = {{"--province", &province, NULL}, {"--from", &from, NULL},
                                 {"--months", &months, NULL},     {"--seed", &seed, NULL},
                                 {"--rules", &rules_path, NULL}};
    int code = ph_cli_parse_named(cli, "simulate", argc, argv, 1, opts,
                                  sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if (province == NULL || from == NULL || months == NULL)
        return ph_cli_usage_error(cli, "simulate", "expected --province DIR --from YYYY-MM "
                                                   "--months N");
    long long n = 0, s = 1;
    code = ph_cli_parse_int(cli, "simulate", "--months", months, 1, 120, &n);
    if (code == PH_EXIT_OK && seed != NULL)
        code = ph_cli_parse_int(cli, "simulate", "--seed", seed, 0, 9223372036854775807LL, &s);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_simulate_opts o;
    memset(&o, 0, sizeof(o));
    o.province = province;
    o.months = (int32_t)n;
    o.seed = (uint64_t)s;
    ph_status st = ph_month_parse(from, strlen(from), &o.from, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_cob_rules *rules = NULL;
    if (rules_path != NULL)
        st = ph_cob_rules_load_file(cli->ctx, rules_path, &rules, &err);
    o.rules = rules;
    ph_simulate_report r;
    memset(&r, 0, sizeof(r));
    if (st == PH_OK) {
        ph_cli_progress *p = ph_cli_progress_start(cli, "simulate", "days");
        o.progress = on_progress;
        o.user = p;
        st = ph_simulate_run(store, &o, &r, &err);
        ph_cli_progress_finish(p);
    }
    if (st == PH_OK)
        st = print_after(cli, store, &r, &err);
    ph_cob_rules_free(rules);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
    return PH_EXIT_OK;
}
