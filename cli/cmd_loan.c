/*
 * puhui loan accept|draw|repay|prepay|renew|freeze|unfreeze|show|statement|list|book|products
 *
 * The loan book from a shell (include/puhui/loan.h, docs/loans.md). Every
 * event happens on the open business day (the day after the last close of
 * business); --on names it, and a booking may name a later day.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "puhui/ledger.h"
#include "puhui/loan.h"

typedef struct loan_opts {
    const char *decision, *loan, *on, *amount, *term, *reason, *enterprise, *lender, *from, *to;
    const char *rate;
    int full;
} loan_opts;

static int parse(ph_cli *cli, int argc, char **argv, loan_opts *o)
{
    const ph_cli_named opts[] = {
        {"--decision", &o->decision, NULL}, {"--loan", &o->loan, NULL},
        {"--on", &o->on, NULL},             {"--amount", &o->amount, NULL},
        {"--term", &o->term, NULL},         {"--reason", &o->reason, NULL},
        {"--enterprise", &o->enterprise, NULL}, {"--lender", &o->lender, NULL},
        {"--from", &o->from, NULL},         {"--to", &o->to, NULL},
        {"--rate", &o->rate, NULL},
        {"--full", NULL, &o->full}};
    return ph_cli_parse_named(cli, "loan", argc, argv, 2, opts, sizeof(opts) / sizeof(opts[0]));
}

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

static void money(ph_money m, char *buf, size_t size)
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

static void rate(ph_rate r, char *buf, size_t size)
{
    if (ph_rate_format_percent(r, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "?");
}

static void day(ph_date d, char *buf, size_t size)
{
    if (d == 0 || ph_date_format(d, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "-");
}

/* --on, else the open business day (the day after the last COB). */
static int business_day(ph_cli *cli, ph_store *store, const char *on, ph_date *out)
{
    ph_error err;
    ph_status st;
    if (on != NULL) {
        st = ph_date_parse(on, strlen(on), out, &err);
        return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
    }
    ph_date open = 0;
    st = ph_cob_open_day(store, &open, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    if (open == 0)
        return ph_cli_usage_error(cli, "loan", "--on DATE is needed: the book is empty");
    *out = open;
    return PH_EXIT_OK;
}

static int need_loan(ph_cli *cli, const loan_opts *o, const char *what, long long *id)
{
    if (o->loan == NULL)
        return ph_cli_usage_error(cli, "loan", "'loan %s' needs --loan ID", what);
    return ph_cli_parse_int(cli, "loan", "--loan", o->loan, 1, INT64_MAX, id);
}

static int need_amount(ph_cli *cli, const loan_opts *o, const char *what, ph_money *out)
{
    if (o->amount == NULL)
        return ph_cli_usage_error(cli, "loan", "'loan %s' needs --amount YUAN", what);
    ph_error err;
    ph_status st = ph_money_parse(o->amount, strlen(o->amount), out, &err);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static int loan_accept(ph_cli *cli, ph_store *store, const loan_opts *o)
{
    long long decision;
    if (o->decision == NULL)
        return ph_cli_usage_error(cli, "loan", "'loan accept' needs --decision ID");
    int code = ph_cli_parse_int(cli, "loan", "--decision", o->decision, 1, INT64_MAX, &decision);
    ph_loan_accept_opts a = {0};
    ph_error err;
    if (code == PH_EXIT_OK && o->on != NULL) {
        ph_status st = ph_date_parse(o->on, strlen(o->on), &a.on, &err);
        if (st != PH_OK)
            return fail(cli, st, &err);
    }
    if (code == PH_EXIT_OK && o->amount != NULL)
        code = need_amount(cli, o, "accept", &a.amount);
    if (code != PH_EXIT_OK)
        return code;
    int64_t id = 0;
    ph_status st = ph_loan_accept(store, decision, &a, &id, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    ph_loan_info info;
    st = ph_loan_get(store, id, &info, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    char m[PH_MONEY_FORMAT_MAX], r[32], b[16];
    money(info.amount, m, sizeof(m));
    rate(info.rate, r, sizeof(r));
    day(info.booked_on, b, sizeof(b));
    fprintf(cli->out, "loan %lld booked on %s from decision %lld: %s yuan at %s, %lld months, %s, "
                      "scheme %s\n",
            (long long)id, b, decision, m, r, (long long)info.term, info.method, info.scheme);
    ph_loan_info_free(cli->ctx, &info);
    return PH_EXIT_OK;
}

static void print_payment(ph_cli *cli, long long id, const char *what, const ph_loan_payment *p)
{
    static const char *const names[PH_BUCKET_COUNT] = {"penalty", "fee", "interest",
                                                       "principal"};
    fprintf(cli->out, "loan %lld: %s", id, what);
    for (int b = 0; b < PH_BUCKET_COUNT; b++) {
        char m[PH_MONEY_FORMAT_MAX];
        money(p->paid[b], m, sizeof(m));
        fprintf(cli->out, "%s %s %s", b == 0 ? ":" : ",", names[b], m);
    }
    if (p->prepaid_principal) {
        char m[PH_MONEY_FORMAT_MAX];
        money(p->prepaid_principal, m, sizeof(m));
        fprintf(cli->out, ", principal before due %s", m);
    }
    fprintf(cli->out, "%s\n", p->closed ? "; the loan is repaid" : "");
}

static int loan_event(ph_cli *cli, ph_store *store, const char *sub, const loan_opts *o)
{
    long long id;
    int code = need_loan(cli, o, sub, &id);
    ph_date on = 0;
    if (code == PH_EXIT_OK)
        code = business_day(cli, store, o->on, &on);
    ph_money amount = 0;
    int wants_amount = !strcmp(sub, "draw") || !strcmp(sub, "repay") || !strcmp(sub, "recover") ||
                       (!strcmp(sub, "prepay") && !o->full);
    if (code == PH_EXIT_OK && wants_amount)
        code = need_amount(cli, o, sub, &amount);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_status st;
    ph_loan_payment p;
    char m[PH_MONEY_FORMAT_MAX];
    money(amount, m, sizeof(m));
    if (!strcmp(sub, "draw")) {
        st = ph_loan_draw(store, id, on, amount, &err);
        if (st == PH_OK)
            fprintf(cli->out, "loan %lld: drew %s yuan\n", id, m);
    } else if (!strcmp(sub, "repay")) {
        st = ph_loan_repay(store, id, on, amount, &p, &err);
        if (st == PH_OK)
            print_payment(cli, id, "repaid", &p);
    } else if (!strcmp(sub, "prepay")) {
        st = ph_loan_prepay(store, id, on, amount, o->full, &p, &err);
        if (st == PH_OK)
            print_payment(cli, id, "prepaid", &p);
    } else if (!strcmp(sub, "reprice")) {
        if (o->rate == NULL)
            return ph_cli_usage_error(cli, "loan", "'loan reprice' needs --rate RATE");
        ph_rate r = 0;
        st = ph_rate_parse_percent(o->rate, strlen(o->rate), &r, &err);
        if (st == PH_OK)
            st = ph_loan_reprice(store, id, on, r, &err);
        if (st == PH_OK)
            fprintf(cli->out, "loan %lld: repriced to %s from %s\n", id, o->rate,
                    o->on ? o->on : "the open day");
    } else if (!strcmp(sub, "write-off")) {
        ph_money off = 0;
        st = ph_loan_write_off(store, id, on, o->reason, &off, &err);
        money(off, m, sizeof(m));
        if (st == PH_OK)
            fprintf(cli->out, "loan %lld: written off, %s yuan of principal\n", id, m);
    } else if (!strcmp(sub, "recover")) {
        ph_share_split parts;
        st = ph_loan_recover(store, id, on, amount, &parts, &err);
        if (st == PH_OK) {
            fprintf(cli->out, "loan %lld: recovered %s yuan:", id, m);
            for (int party = 0; party < PH_PARTY_COUNT; party++) {
                char x[PH_MONEY_FORMAT_MAX];
                money(parts.part[party], x, sizeof(x));
                fprintf(cli->out, "%s %s %s", party ? "," : "",
                        ph_share_party_name((ph_share_party)party), x);
            }
            fprintf(cli->out, "\n");
        }
    } else if (!strcmp(sub, "renew")) {
        long long term;
        if (o->term == NULL)
            return ph_cli_usage_error(cli, "loan", "'loan renew' needs --term MONTHS");
        code = ph_cli_parse_int(cli, "loan", "--term", o->term, 1, 360, &term);
        if (code != PH_EXIT_OK)
            return code;
        int64_t next = 0;
        st = ph_loan_renew(store, id, on, term, &next, &err);
        if (st == PH_OK)
            fprintf(cli->out, "loan %lld renewed as loan %lld for %lld months\n", id,
                    (long long)next, term);
    } else {
        int frozen = !strcmp(sub, "freeze");
        st = ph_loan_freeze(store, id, on, frozen, o->reason, &err);
        if (st == PH_OK)
            fprintf(cli->out, "loan %lld: the line is %s\n", id, frozen ? "frozen" : "unfrozen");
    }
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static int add_instalment(const ph_instalment *x, void *user)
{
    char k[16], due[16], p[PH_MONEY_FORMAT_MAX], i[PH_MONEY_FORMAT_MAX], b[PH_MONEY_FORMAT_MAX];
    snprintf(k, sizeof(k), "%d", (int)x->k);
    day(x->due_on, due, sizeof(due));
    money(x->principal, p, sizeof(p));
    money(x->interest, i, sizeof(i));
    money(x->balance_after, b, sizeof(b));
    const char *cells[] = {k, due, p, i, b};
    ph_cli_table_add(user, cells);
    return 0;
}

static int loan_show(ph_cli *cli, ph_store *store, const loan_opts *o)
{
    long long id;
    int code = need_loan(cli, o, "show", &id);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_loan_info f;
    ph_status st = ph_loan_get(store, id, &f, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    char a[PH_MONEY_FORMAT_MAX], r[32], pr[32], b[16], m[16], od[16];
    money(f.amount, a, sizeof(a));
    rate(f.rate, r, sizeof(r));
    rate(f.penalty_rate, pr, sizeof(pr));
    day(f.booked_on, b, sizeof(b));
    day(f.maturity_on, m, sizeof(m));
    day(f.state.oldest_unpaid_due, od, sizeof(od));
    static const char *const headers[] = {"field", "value"};
    static const int numeric[] = {0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 2);
    char buf[12][PH_MONEY_FORMAT_MAX + 16];
    const ph_loan_state *s = &f.state;
    ph_money vals[] = {s->principal, s->principal_due, s->interest_receivable, s->interest_due,
                       s->penalty, f.fee_receivable, s->provision};
    static const char *const names[] = {"principal", "principal overdue", "interest accrued",
                                        "interest due", "penalty", "guarantee fee owed",
                                        "provision"};
    char id_s[24], dec[24], term[16], dpd[16];
    snprintf(id_s, sizeof(id_s), "%lld", id);
    snprintf(dec, sizeof(dec), "%lld", (long long)f.decision_id);
    snprintf(term, sizeof(term), "%lld months", (long long)f.term);
    snprintf(dpd, sizeof(dpd), "%d", (int)s->dpd);
    const char *rows[][2] = {{"loan", id_s},       {"enterprise", f.uscc},
                             {"lender", f.lender}, {"product", f.product},
                             {"decision", dec},    {"method", f.method},
                             {"amount", a},        {"rate", r},
                             {"penalty rate", pr}, {"term", term},
                             {"booked", b},        {"maturity", m},
                             {"scheme", f.scheme}, {"guarantor", f.guarantor},
                             {"pool", f.pool},     {"status", f.status},
                             {"category", ph_loan_category_name(s->category)},
                             {"days past due", dpd}, {"oldest unpaid due", od},
                             {"restructured", f.restructured ? "yes" : "no"}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        ph_cli_table_add(t, rows[i]);
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        money(vals[i], buf[i], sizeof(buf[i]));
        const char *cells[] = {names[i], buf[i]};
        ph_cli_table_add(t, cells);
    }
    ph_cli_table_print(cli, t, "loan");
    ph_cli_table_free(t);
    ph_loan_info_free(cli->ctx, &f);
    static const char *const sh[] = {"k", "due", "principal", "interest", "balance after"};
    static const int sn[] = {1, 0, 1, 1, 1};
    t = ph_cli_table_new(sh, sn, 5);
    st = ph_loan_schedule(store, id, add_instalment, t, &err);
    if (st == PH_OK && cli->format == PH_FORMAT_TABLE)
        ph_cli_table_print(cli, t, "schedule");
    ph_cli_table_free(t);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static int add_statement(const ph_ledger_statement_line *l, void *user)
{
    char entry[24], on[16], dr[PH_MONEY_FORMAT_MAX], cr[PH_MONEY_FORMAT_MAX];
    snprintf(entry, sizeof(entry), "%lld", (long long)l->entry_id);
    day(l->value_date, on, sizeof(on));
    money(l->debit, dr, sizeof(dr));
    money(l->credit, cr, sizeof(cr));
    const char *cells[] = {on, entry, l->event, l->account, dr, cr};
    ph_cli_table_add(user, cells);
    return 0;
}

static int loan_statement(ph_cli *cli, ph_store *store, const loan_opts *o)
{
    long long id;
    int code = need_loan(cli, o, "statement", &id);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_date from = 0, to = 2932896; /* 9999-12-31 */
    ph_status st = PH_OK;
    if (o->from)
        st = ph_date_parse(o->from, strlen(o->from), &from, &err);
    if (st == PH_OK && o->to)
        st = ph_date_parse(o->to, strlen(o->to), &to, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    static const char *const h[] = {"day", "entry", "event", "account", "debit", "credit"};
    static const int n[] = {0, 1, 0, 0, 1, 1};
    ph_cli_table *t = ph_cli_table_new(h, n, 6);
    st = ph_ledger_loan_statement(store, id, from, to, add_statement, t, &err);
    if (st == PH_OK) {
        char title[48];
        snprintf(title, sizeof(title), "loan %lld: statement", id);
        ph_cli_table_print(cli, t, title);
    }
    ph_cli_table_free(t);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static int add_loan(const ph_loan_info *f, void *user)
{
    char id[24], a[PH_MONEY_FORMAT_MAX], out[PH_MONEY_FORMAT_MAX], r[32], b[16], dpd[16];
    snprintf(id, sizeof(id), "%lld", (long long)f->id);
    money(f->amount, a, sizeof(a));
    money(f->state.principal + f->state.principal_due, out, sizeof(out));
    rate(f->rate, r, sizeof(r));
    day(f->booked_on, b, sizeof(b));
    snprintf(dpd, sizeof(dpd), "%d", (int)f->state.dpd);
    const char *cells[] = {id,      f->uscc, f->lender, f->method, a, out, r, b, f->status,
                           ph_loan_category_name(f->state.category), dpd};
    ph_cli_table_add(user, cells);
    return 0;
}

static int loan_list(ph_cli *cli, ph_store *store, const loan_opts *o)
{
    static const char *const h[] = {"loan", "enterprise", "lender", "method", "amount",
                                    "outstanding", "rate", "booked", "status", "category", "dpd"};
    static const int n[] = {1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1};
    ph_cli_table *t = ph_cli_table_new(h, n, 11);
    ph_error err;
    ph_status st = ph_loan_list(store, o->enterprise, o->lender, add_loan, t, &err);
    if (st == PH_OK)
        ph_cli_table_print(cli, t, "loans");
    ph_cli_table_free(t);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

int ph_loan_book_print(ph_cli *cli, ph_store *store)
{
    ph_error err;
    ph_book_summary b;
    ph_status st = ph_book_summary_get(store, &b, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    static const char *const h[] = {"category", "loans", "exposure", "provision"};
    static const int n[] = {0, 1, 1, 1};
    ph_cli_table *t = ph_cli_table_new(h, n, 4);
    for (int c = 0; c <= PH_CATEGORY_COUNT; c++) {
        const ph_book_category *x = c < PH_CATEGORY_COUNT ? &b.category[c] : NULL;
        char loans[24], e[PH_MONEY_FORMAT_MAX], p[PH_MONEY_FORMAT_MAX];
        snprintf(loans, sizeof(loans), "%lld", (long long)(x ? x->loans : b.loans));
        money(x ? x->exposure : b.exposure, e, sizeof(e));
        money(x ? x->provision : b.provision, p, sizeof(p));
        const char *cells[] = {x ? ph_loan_category_name((ph_loan_category)c) : "total", loans, e,
                               p};
        ph_cli_table_add(t, cells);
    }
    ph_cli_table_print(cli, t, "the book by category (五级分类)");
    ph_cli_table_free(t);
    char npl[PH_MONEY_FORMAT_MAX], ratio[32], cov[32], sub[PH_MONEY_FORMAT_MAX];
    money(b.npl, npl, sizeof(npl));
    rate(b.npl_ratio, ratio, sizeof(ratio));
    rate(b.coverage, cov, sizeof(cov));
    money(b.subsidy_paid, sub, sizeof(sub));
    if (cli->format == PH_FORMAT_TABLE)
        fprintf(cli->out,
                "NPL %s yuan, NPL ratio %s, provision coverage %s; %lld loans closed, %lld "
                "defaulted; subsidies and awards paid to firms %s yuan\n",
                npl, ratio, cov, (long long)b.closed, (long long)b.defaulted, sub);
    return PH_EXIT_OK;
}

int ph_cmd_loan(ph_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return ph_cli_usage_error(cli, "loan", "expected a subcommand");
    const char *sub = argv[1];
    static const char *const known[] = {"accept", "draw",  "repay", "prepay", "renew",
                                        "freeze", "unfreeze", "show", "statement", "list",
                                        "book",   "products", "write-off", "recover", "reprice"};
    int found = 0;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        found |= strcmp(sub, known[i]) == 0;
    if (!found)
        return ph_cli_usage_error(cli, "loan", "unknown subcommand '%s'", sub);
    loan_opts o = {0};
    int code = PH_EXIT_OK;
    if (strcmp(sub, "products") == 0) {
        if (argc != 3)
            return ph_cli_usage_error(cli, "loan", "'loan products' needs one FILE");
    } else if ((code = parse(cli, argc, argv, &o)) != PH_EXIT_OK) {
        return code;
    }
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    if (!strcmp(sub, "accept"))
        code = loan_accept(cli, store, &o);
    else if (!strcmp(sub, "show"))
        code = loan_show(cli, store, &o);
    else if (!strcmp(sub, "statement"))
        code = loan_statement(cli, store, &o);
    else if (!strcmp(sub, "list"))
        code = loan_list(cli, store, &o);
    else if (!strcmp(sub, "book"))
        code = ph_loan_book_print(cli, store);
    else if (!strcmp(sub, "products")) {
        ph_error err;
        int64_t version = 0;
        ph_status st = ph_loan_products_load(store, argv[2], &version, &err);
        if (st == PH_OK)
            fprintf(cli->out, "loan products version %lld loaded from %s\n", (long long)version,
                    argv[2]);
        code = st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
    } else
        code = loan_event(cli, store, sub, &o);
    ph_store_free(store);
    return code;
}
