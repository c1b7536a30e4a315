/*
 * puhui order confirm|advance|whitelist|pay|settle|events|prove ...
 * puhui receipt register|pledge|release|value|margin|iot|events|prove ...
 *
 * Order financing and warehouse receipts (order.h, receipt.h,
 * docs/supply_chain.md). Every state change appends an evidence leaf to the
 * log at --evidence DIR (default: <db>.evidence); --no-evidence records
 * none. prove is the voucher's (cli/prove_records.c).
 */
#include <string.h>

#include "cli.h"
#include "puhui/order.h"
#include "puhui/receipt.h"

#define MAX_OPTS 12

typedef struct opts {
    const char *name[MAX_OPTS];
    const char *value[MAX_OPTS];
    int n;
    const char *positional;
    int no_evidence;
} opts;

static const char *opt(const opts *o, const char *name)
{
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->name[i], name) == 0)
            return o->value[i];
    return NULL;
}

static int parse_opts(ph_cli *cli, const char *command, int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--no-evidence") == 0) {
            o->no_evidence = 1;
        } else if (strncmp(argv[i], "--", 2) == 0) {
            if (i + 1 >= argc || o->n == MAX_OPTS)
                return ph_cli_usage_error(cli, command, "%s needs a value", argv[i]);
            o->name[o->n] = argv[i] + 2;
            o->value[o->n++] = argv[++i];
        } else if (o->positional == NULL) {
            o->positional = argv[i];
        } else {
            return ph_cli_usage_error(cli, command, "unexpected argument '%s'", argv[i]);
        }
    }
    return PH_EXIT_OK;
}

static int need_opt(ph_cli *cli, const char *command, const opts *o, const char *name,
                    const char **out)
{
    *out = opt(o, name);
    if (*out == NULL)
        return ph_cli_usage_error(cli, command, "--%s is required", name);
    return PH_EXIT_OK;
}

static int day_opt(ph_cli *cli, const char *command, const opts *o, const char *name,
                   ph_date *out)
{
    const char *text = NULL;
    int code = need_opt(cli, command, o, name, &text);
    if (code != PH_EXIT_OK)
        return code;
    if (ph_date_parse(text, strlen(text), out, NULL) != PH_OK)
        return ph_cli_usage_error(cli, command, "--%s takes a date YYYY-MM-DD, got '%s'", name,
                                  text);
    return PH_EXIT_OK;
}

static int money_opt(ph_cli *cli, const char *command, const opts *o, const char *name,
                     ph_money *out)
{
    const char *text = NULL;
    int code = need_opt(cli, command, o, name, &text);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_status st = ph_money_parse(text, strlen(text), out, &err);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

static int need_id(ph_cli *cli, const char *command, const opts *o)
{
    if (o->positional == NULL)
        return ph_cli_usage_error(cli, command, "an id is required");
    return PH_EXIT_OK;
}

/* What `order SUB` and `receipt SUB` share before their own options: SUB is
 * required, and prove is cli_prove_records'. Returns 1 when SUB's options
 * parsed into o, else 0 with *code the command's exit code. */
static int parse_sub(ph_cli *cli, const char *command, int argc, char **argv,
                     cli_prove_fn prove, opts *o, int *code)
{
    if (argc < 2) {
        *code = ph_cli_usage_error(cli, command, "a subcommand is required");
        return 0;
    }
    if (strcmp(argv[1], "prove") == 0) {
        *code = cli_prove_records(cli, command, argc, argv, prove, command);
        return 0;
    }
    *code = parse_opts(cli, command, argc, argv, o);
    return *code == PH_EXIT_OK;
}

/* The store and, for a subcommand that `records` events, the evidence log:
 * --evidence DIR, else <db>.evidence; none with --no-evidence
 * (cli_open_for_events, as voucher). `before`: the leaves the log had. */
typedef struct opened {
    ph_store *store;
    ph_evidence_log *log;
    uint64_t before;
} opened;

static int open_both(ph_cli *cli, const opts *o, int records, opened *w)
{
    int code = cli_open_for_events(cli, opt(o, "evidence"), o->no_evidence || !records,
                                   &w->store, &w->log);
    w->before = w->log != NULL ? ph_evidence_size(w->log) : 0;
    return code;
}

/* Close both, after printing the leaves the command appended when `leaves`;
 * the exit code of `st` (its error printed). */
static int close_both(ph_cli *cli, opened *w, int leaves, ph_status st, const ph_error *err)
{
    uint64_t after = w->log != NULL ? ph_evidence_size(w->log) : 0;
    if (leaves && after == w->before + 1)
        fprintf(cli->out, "evidence: leaf %llu\n", (unsigned long long)w->before);
    else if (leaves && after > w->before)
        fprintf(cli->out, "evidence: leaves %llu..%llu\n", (unsigned long long)w->before,
                (unsigned long long)(after - 1));
    ph_evidence_free(w->log);
    ph_store_free(w->store);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, err, NULL);
}

/* One event row, tab-separated: order and receipt events have the same fields. */
static void print_event(ph_cli *cli, int64_t seq, const char *subject, const char *type,
                        ph_date on, const char *actor, const char *counterparty,
                        ph_money amount, const char *detail, int64_t leaf)
{
    char day[PH_DATE_FORMAT_MAX], m[PH_MONEY_FORMAT_MAX];
    ph_date_format(on, day, sizeof(day), NULL);
    ph_money_format(amount, PH_MONEY_GROUPING, m, sizeof(m), NULL);
    fprintf(cli->out, "%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%lld\n", (long long)seq, subject, type,
            day, actor, counterparty, m, detail, (long long)leaf);
}

/* ---- order ---------------------------------------------------------------------------------- */

static ph_status print_order_event(void *user, const ph_order_event *e, ph_error *err)
{
    (void)err;
    print_event(user, e->seq, e->subject, e->type, e->on, e->actor, e->counterparty, e->amount,
                e->detail, e->leaf_index);
    return PH_OK;
}

int ph_cmd_order(ph_cli *cli, int argc, char **argv)
{
    opts o;
    int code = PH_EXIT_OK;
    if (!parse_sub(cli, "order", argc, argv, ph_order_prove, &o, &code))
        return code;
    const char *sub = argv[1];
    ph_order ord = {0};
    ph_money amount = 0;
    ph_date on = 0;
    ph_rate rate = 0;
    const char *a = NULL, *b = NULL;
    if (strcmp(sub, "confirm") == 0) {
        if ((code = need_opt(cli, "order", &o, "id", &ord.id)) ||
            (code = need_opt(cli, "order", &o, "buyer", &ord.buyer_uscc)) ||
            (code = need_opt(cli, "order", &o, "seller", &ord.seller_uscc)) ||
            (code = money_opt(cli, "order", &o, "amount", &ord.amount)) ||
            (code = day_opt(cli, "order", &o, "confirmed", &ord.confirmed_on)) ||
            (code = day_opt(cli, "order", &o, "due", &ord.due_on)))
            return code;
    } else if (strcmp(sub, "advance") == 0) {
        if ((code = need_id(cli, "order", &o)) ||
            (code = need_opt(cli, "order", &o, "lender", &a)) ||
            (code = money_opt(cli, "order", &o, "amount", &amount)) ||
            (code = day_opt(cli, "order", &o, "on", &on)) ||
            (code = need_opt(cli, "order", &o, "rate", &b)))
            return code;
        ph_error err;
        ph_status st = ph_rate_parse_percent(b, strlen(b), &rate, &err);
        if (st != PH_OK)
            return ph_cli_fail(cli, st, &err, NULL);
    } else if (strcmp(sub, "whitelist") == 0) {
        if ((code = need_opt(cli, "order", &o, "seller", &a)) ||
            (code = need_opt(cli, "order", &o, "supplier", &b)) ||
            (code = day_opt(cli, "order", &o, "on", &on)))
            return code;
    } else if (strcmp(sub, "pay") == 0) {
        if ((code = need_id(cli, "order", &o)) || (code = need_opt(cli, "order", &o, "to", &a)) ||
            (code = money_opt(cli, "order", &o, "amount", &amount)) ||
            (code = day_opt(cli, "order", &o, "on", &on)))
            return code;
    } else if (strcmp(sub, "settle") == 0) {
        if ((code = need_id(cli, "order", &o)) ||
            (code = money_opt(cli, "order", &o, "amount", &amount)) ||
            (code = day_opt(cli, "order", &o, "on", &on)))
            return code;
    } else if (strcmp(sub, "events") != 0) {
        return ph_cli_usage_error(cli, "order", "unknown subcommand '%s'", sub);
    }
    opened w;
    if ((code = open_both(cli, &o, strcmp(sub, "events") != 0, &w)) != PH_EXIT_OK)
        return code;
    ph_store *store = w.store;
    ph_evidence_log *log = w.log;
    ph_error err;
    ph_status st = PH_OK;
    char m[PH_MONEY_FORMAT_MAX], m2[PH_MONEY_FORMAT_MAX];
    if (strcmp(sub, "confirm") == 0) {
        st = ph_order_confirm(store, &ord, log, &err);
        if (st == PH_OK)
            fprintf(cli->out, "order %s confirmed\n", ord.id);
    } else if (strcmp(sub, "advance") == 0) {
        int64_t loan = 0;
        st = ph_order_advance(store, o.positional, a, on, amount, rate, log, &loan, &err);
        if (st == PH_OK) {
            ph_money_format(amount, PH_MONEY_GROUPING, m, sizeof(m), NULL);
            fprintf(cli->out, "order %s: %s yuan advanced by %s, loan %lld\n", o.positional, m, a,
                    (long long)loan);
        }
    } else if (strcmp(sub, "whitelist") == 0) {
        st = ph_order_whitelist_add(store, a, b, on, log, &err);
        if (st == PH_OK)
            fprintf(cli->out, "%s added to %s's whitelist\n", b, a);
    } else if (strcmp(sub, "pay") == 0) {
        st = ph_order_pay(store, o.positional, a, on, amount, log, &err);
        if (st == PH_OK) {
            ph_money_format(amount, PH_MONEY_GROUPING, m, sizeof(m), NULL);
            fprintf(cli->out, "order %s: %s yuan paid to %s\n", o.positional, m, a);
        }
    } else if (strcmp(sub, "settle") == 0) {
        ph_order_settlement s;
        st = ph_order_settle(store, o.positional, on, amount, log, &s, &err);
        if (st == PH_OK) {
            ph_money_format(s.to_lender, PH_MONEY_GROUPING, m, sizeof(m), NULL);
            ph_money_format(s.to_seller, PH_MONEY_GROUPING, m2, sizeof(m2), NULL);
            fprintf(cli->out, "order %s: %s yuan to the lender%s, %s yuan to the seller\n",
                    o.positional, m, s.loan_closed ? " (loan repaid)" : "", m2);
        }
    } else {
        fprintf(cli->out, "seq\torder\ttype\ton\tactor\tcounterparty\tamount\tdetail\tleaf\n");
        st = ph_order_events(store, o.positional, print_order_event, cli, &err);
    }
    return close_both(cli, &w, st == PH_OK || st == PH_EDENIED, st, &err);
}

/* ---- receipt -------------------------------------------------------------------------------- */

static ph_status print_receipt_event(void *user, const ph_receipt_event *e, ph_error *err)
{
    (void)err;
    print_event(user, e->seq, e->subject, e->type, e->on, e->actor, e->counterparty, e->amount,
                e->detail, e->leaf_index);
    return PH_OK;
}

static void print_value(ph_cli *cli, const char *id, const ph_receipt_value *v)
{
    char price[PH_MONEY_FORMAT_MAX], value[PH_MONEY_FORMAT_MAX], exp[PH_MONEY_FORMAT_MAX];
    char hc[PH_RATE_FORMAT_MAX], ltv[PH_RATE_FORMAT_MAX], day[PH_DATE_FORMAT_MAX];
    ph_money_format(v->price_per_kg, 0, price, sizeof(price), NULL);
    ph_money_format(v->value, PH_MONEY_GROUPING, value, sizeof(value), NULL);
    ph_money_format(v->exposure, PH_MONEY_GROUPING, exp, sizeof(exp), NULL);
    ph_rate_format_percent(v->haircut, hc, sizeof(hc), NULL);
    /* the LTV to two places, as the margin rules state their thresholds */
    ph_rate_format_percent((v->ltv + 5000) / 10000 * 10000, ltv, sizeof(ltv), NULL);
    ph_date_format(v->priced_on, day, sizeof(day), NULL);
    fprintf(cli->out,
            "%s: %lld kg x %s yuan/kg (%s) x haircut %s = %s yuan; exposure %s yuan, LTV %s\n",
            id, (long long)v->quantity_kg, price, day, hc, value, exp, ltv);
}

static void print_margin(void *user, const char *id, const ph_receipt_value *v,
                         ph_receipt_margin verdict)
{
    ph_cli *cli = user;
    if (verdict == PH_RECEIPT_MARGIN_UNPRICED) {
        char exp[PH_MONEY_FORMAT_MAX];
        ph_money_format(v->exposure, PH_MONEY_GROUPING, exp, sizeof(exp), NULL);
        fprintf(cli->out, "%s: %lld kg, exposure %s yuan: UNPRICED (no market price on or "
                          "before the day; not valued)\n",
                id, (long long)v->quantity_kg, exp);
        return;
    }
    print_value(cli, id, v);
    if (verdict != PH_RECEIPT_MARGIN_OK)
        fprintf(cli->out, "  -> %s\n",
                verdict == PH_RECEIPT_MARGIN_LIQUIDATION ? "LIQUIDATION NOTICE" : "MARGIN CALL");
}

static void print_alert(void *user, const ph_receipt_alert *a)
{
    ph_cli *cli = user;
    char day[PH_DATE_FORMAT_MAX];
    ph_date_format(a->day, day, sizeof(day), NULL);
    fprintf(cli->out, "ALERT %s %s (%s lot %s, owner %s) %s: %s\n", day, a->receipt_id,
            a->warehouse_id, a->lot, a->owner_uscc, a->kind, a->detail);
}

int ph_cmd_receipt(ph_cli *cli, int argc, char **argv)
{
    opts o;
    int code = PH_EXIT_OK;
    if (!parse_sub(cli, "receipt", argc, argv, ph_receipt_prove, &o, &code))
        return code;
    const char *sub = argv[1];
    const char *a = NULL, *b = NULL;
    ph_money amount = 0;
    ph_date on = 0, to = 0;
    if (strcmp(sub, "register") == 0) {
        if ((code = need_opt(cli, "receipt", &o, "warehouse", &a)) ||
            (code = need_opt(cli, "receipt", &o, "lot", &b)) ||
            (code = day_opt(cli, "receipt", &o, "on", &on)))
            return code;
    } else if (strcmp(sub, "pledge") == 0) {
        if ((code = need_id(cli, "receipt", &o)) ||
            (code = need_opt(cli, "receipt", &o, "lender", &a)) ||
            (code = money_opt(cli, "receipt", &o, "amount", &amount)) ||
            (code = day_opt(cli, "receipt", &o, "on", &on)))
            return code;
    } else if (strcmp(sub, "release") == 0 || strcmp(sub, "value") == 0) {
        if ((code = need_id(cli, "receipt", &o)) || (code = day_opt(cli, "receipt", &o, "on", &on)))
            return code;
    } else if (strcmp(sub, "margin") == 0) {
        if ((code = day_opt(cli, "receipt", &o, "on", &on)))
            return code;
    } else if (strcmp(sub, "iot") == 0) {
        if ((code = day_opt(cli, "receipt", &o, "from", &on)) ||
            (code = day_opt(cli, "receipt", &o, "to", &to)))
            return code;
    } else if (strcmp(sub, "events") != 0) {
        return ph_cli_usage_error(cli, "receipt", "unknown subcommand '%s'", sub);
    }
    int reads = strcmp(sub, "events") == 0 || strcmp(sub, "value") == 0;
    opened w;
    if ((code = open_both(cli, &o, !reads, &w)) != PH_EXIT_OK)
        return code;
    ph_store *store = w.store;
    ph_evidence_log *log = w.log;
    ph_error err;
    ph_status st = PH_OK;
    if (strcmp(sub, "register") == 0) {
        char id[PH_RECEIPT_ID_MAX];
        st = ph_receipt_register(store, a, b, on, log, id, &err);
        if (st == PH_OK)
            fprintf(cli->out, "receipt %s registered: warehouse %s lot %s\n", id, a, b);
    } else if (strcmp(sub, "pledge") == 0) {
        int64_t pid = 0;
        st = ph_receipt_pledge(store, o.positional, a, amount, on, log, &pid, &err);
        if (st == PH_OK)
            fprintf(cli->out, "receipt %s pledged to %s (pledge %lld)\n", o.positional, a,
                    (long long)pid);
    } else if (strcmp(sub, "release") == 0) {
        st = ph_receipt_release(store, o.positional, on, log, &err);
        if (st == PH_OK)
            fprintf(cli->out, "receipt %s released\n", o.positional);
    } else if (strcmp(sub, "value") == 0) {
        ph_receipt_value v;
        st = ph_receipt_valuation(store, o.positional, on, &v, &err);
        if (st == PH_OK)
            print_value(cli, o.positional, &v);
    } else if (strcmp(sub, "margin") == 0) {
        int64_t calls = 0, unpriced = 0;
        st = ph_receipt_margin_check(store, on, log, print_margin, cli, &calls, &unpriced, &err);
        if (st == PH_OK)
            fprintf(cli->out, "%lld margin event(s) recorded\n", (long long)calls);
        if (st == PH_OK && unpriced > 0)
            fprintf(cli->out, "%lld receipt(s) unpriced\n", (long long)unpriced);
    } else if (strcmp(sub, "iot") == 0) {
        int64_t n = 0;
        st = ph_receipt_iot_check(store, on, to, log, print_alert, cli, &n, &err);
        if (st == PH_OK)
            fprintf(cli->out, "%lld new alert(s)\n", (long long)n);
    } else {
        fprintf(cli->out, "seq\treceipt\ttype\ton\tactor\tcounterparty\tamount\tdetail\tleaf\n");
        st = ph_receipt_events(store, o.positional, print_receipt_event, cli, &err);
    }
    return close_both(cli, &w, st == PH_OK, st, &err);
}
