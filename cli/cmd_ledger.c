/*
 * puhui ledger trial-balance [--on DATE]          balances of every account at a date
 * puhui ledger journal [--from DATE] [--to DATE] [--loan N]
 *                                                 the entries' lines, or one loan's rows
 * puhui ledger verify                             hash chain, balance, sub-ledger = GL, triggers
 * puhui ledger reverse --entry N --reason TEXT [--on DATE]
 *                                                 a correction: the entry with sides swapped
 * puhui ledger post --event WORD --line SPEC... [--memo TEXT] [--on DATE]
 *                                                 a manual entry on accounts not kept per loan
 *
 * All SQL is the ledger module's (include/puhui/ledger.h); this file parses
 * and prints.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "puhui/loan.h"

static int parse_day(ph_cli *cli, const char *option, const char *text, ph_date *out)
{
    ph_error err;
    if (ph_date_parse(text, strlen(text), out, &err) != PH_OK)
        return ph_cli_usage_error(cli, "ledger", "%s takes a date YYYY-MM-DD, got '%s'", option,
                                  text);
    return PH_EXIT_OK;
}

/* The default day: the loan book's open business day (the day after the
 * last close of business), so that a report shows every posting of the days
 * closed and of the day in progress; today by the clock for a ledger
 * without a loan book. */
static int today(ph_cli *cli, ph_date *out)
{
    ph_error err;
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_date open = 0;
    ph_status st = ph_cob_open_day(store, &open, &err);
    ph_store_free(store);
    if (st == PH_OK && open != 0) {
        *out = open;
        return PH_EXIT_OK;
    }
    if (st != PH_OK && st != PH_ESCHEMA)
        return ph_cli_fail(cli, st, &err, NULL);
    st = ph_ctx_today(cli->ctx, out, &err);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

static void yuan(ph_money m, char buf[PH_MONEY_FORMAT_MAX])
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, PH_MONEY_FORMAT_MAX, NULL) != PH_OK)
        snprintf(buf, PH_MONEY_FORMAT_MAX, "?");
}

/* --- trial-balance ---------------------------------------------------------------- */

typedef struct tb_rows {
    ph_cli_table *table;
    ph_money debit, credit;
    int overflow;
} tb_rows;

static int add_balance(const ph_ledger_balance *b, void *user)
{
    tb_rows *t = user;
    char debit[PH_MONEY_FORMAT_MAX], credit[PH_MONEY_FORMAT_MAX], balance[PH_MONEY_FORMAT_MAX];
    yuan(b->debit, debit);
    yuan(b->credit, credit);
    yuan(b->balance, balance);
    const char *cells[] = {b->account, b->name, b->product, b->party, debit, credit, balance};
    ph_cli_table_add(t->table, cells);
    t->overflow |= __builtin_add_overflow(t->debit, b->debit, &t->debit);
    t->overflow |= __builtin_add_overflow(t->credit, b->credit, &t->credit);
    return 0;
}

static int ledger_trial_balance(ph_cli *cli, int argc, char **argv)
{
    const char *on_text = NULL;
    const ph_cli_named opts[] = {{"--on", &on_text, NULL}};
    int code = ph_cli_parse_named(cli, "ledger", argc, argv, 2, opts, 1);
    ph_date on = 0;
    if (code == PH_EXIT_OK)
        code = on_text ? parse_day(cli, "--on", on_text, &on) : today(cli, &on);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"account", "name",   "product", "party",
                                          "debit",   "credit", "balance"};
    static const int numeric[] = {0, 0, 0, 0, 1, 1, 1};
    tb_rows t = {ph_cli_table_new(headers, numeric, 7), 0, 0, 0};
    ph_error err;
    ph_status st = ph_ledger_trial_balance(store, on, add_balance, &t, &err);
    ph_store_free(store);
    if (st != PH_OK) {
        code = ph_cli_fail(cli, st, &err, NULL);
    } else {
        char day[PH_DATE_FORMAT_MAX], title[96];
        char debit[PH_MONEY_FORMAT_MAX], credit[PH_MONEY_FORMAT_MAX], diff[PH_MONEY_FORMAT_MAX];
        ph_date_format(on, day, sizeof(day), NULL);
        snprintf(title, sizeof(title), "trial balance at %s (yuan)", day);
        yuan(t.debit, debit);
        yuan(t.credit, credit);
        yuan(t.debit - t.credit, diff);
        if (!t.overflow) {
            const char *total[] = {"total", "", "", "", debit, credit, diff};
            ph_cli_table_add(t.table, total);
        }
        ph_cli_table_print(cli, t.table, title);
        if (cli->format == PH_FORMAT_TABLE && !t.overflow)
            fprintf(cli->out, "%s\n", t.debit == t.credit
                                          ? "debits equal credits: the ledger balances"
                                          : "DEBITS AND CREDITS DIFFER: run 'puhui ledger verify'");
        if (t.overflow || t.debit != t.credit)
            code = PH_EXIT_FAILURE;
    }
    ph_cli_table_free(t.table);
    return code;
}

/* --- journal ------------------------------------------------------------------------ */

static int add_journal_line(const ph_ledger_journal_line *l, void *user)
{
    char entry[24], loan[24], day[PH_DATE_FORMAT_MAX], rev[24];
    char debit[PH_MONEY_FORMAT_MAX], credit[PH_MONEY_FORMAT_MAX];
    snprintf(entry, sizeof(entry), "%lld", (long long)l->entry_id);
    snprintf(loan, sizeof(loan), "%s", "");
    if (l->loan_id > 0)
        snprintf(loan, sizeof(loan), "%lld", (long long)l->loan_id);
    snprintf(rev, sizeof(rev), "%s", "");
    if (l->reverses > 0)
        snprintf(rev, sizeof(rev), "%lld", (long long)l->reverses);
    ph_date_format(l->value_date, day, sizeof(day), NULL);
    yuan(l->debit, debit);
    yuan(l->credit, credit);
    const char *cells[] = {entry,      day,      l->event, l->account, l->name, l->product,
                           l->party,   loan,     debit,    credit,     rev,     l->memo};
    ph_cli_table_add(user, cells);
    return 0;
}

typedef struct journal_opts {
    ph_date from, to;
    long long loan;
    int have_to;
} journal_opts;

static int take_journal_opt(ph_cli *cli, const char *option, const char *value, void *user)
{
    journal_opts *o = user;
    if (strcmp(option, "--from") == 0)
        return parse_day(cli, option, value, &o->from);
    if (strcmp(option, "--to") == 0) {
        o->have_to = 1;
        return parse_day(cli, option, value, &o->to);
    }
    return ph_cli_parse_int(cli, "ledger", option, value, 1, INT64_MAX, &o->loan);
}

static int ledger_journal(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--from", "--to", "--loan"};
    journal_opts o = {0, 0, 0, 0};
    ph_date_parse("0001-01-01", 10, &o.from, NULL);
    int code = ph_cli_each_option(cli, "ledger", argc, argv, 2, options, 3, take_journal_opt, &o);
    if (code == PH_EXIT_OK && !o.have_to)
        code = today(cli, &o.to);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"entry",   "value_date", "event", "account",
                                          "name",    "product",    "party", "loan",
                                          "debit",   "credit",     "reverses", "memo"};
    static const int numeric[] = {1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 12);
    ph_error err;
    ph_status st =
        ph_ledger_journal(store, o.from, o.to, (int64_t)o.loan, add_journal_line, table, &err);
    ph_store_free(store);
    if (st != PH_OK)
        code = ph_cli_fail(cli, st, &err, NULL);
    else
        ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    return code;
}

/* --- verify ------------------------------------------------------------------------- */

static int ledger_verify(ph_cli *cli, int argc, char **argv)
{
    int code = ph_cli_no_more_args(cli, "ledger", argc - 1, argv + 1);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_ledger_verify_result r;
    memset(&r, 0, sizeof(r));
    ph_error err;
    ph_status st = ph_ledger_verify(store, &r, &err);
    ph_store_free(store);
    int finding = st == PH_ESTORE && (r.problem[0] != '\0' || strcmp(err.field, "trigger") == 0);
    if (st != PH_OK && !finding)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:b, s:I, s:I, s:I, s:s}", "intact", st == PH_OK, "entries",
                                (json_int_t)r.entries, "lines", (json_int_t)r.lines,
                                "subledger_rows", (json_int_t)r.subledger_rows, "head", r.head);
        if (st != PH_OK) {
            json_object_set_new(doc, "bad_entry", json_integer((json_int_t)r.bad_entry));
            json_object_set_new(doc, "problem", json_string(err.detail));
        }
        ph_cli_print_json(cli, doc);
    } else if (st == PH_OK) {
        fprintf(cli->out,
                "ledger intact: %lld entries, %lld lines, %lld sub-ledger rows; every entry "
                "balances, the hash chain holds, the sub-ledger equals the general ledger and "
                "the append-only triggers are in place\n"
                "head: %s\n",
                (long long)r.entries, (long long)r.lines, (long long)r.subledger_rows, r.head);
    }
    if (st == PH_OK)
        return PH_EXIT_OK;
    if (r.bad_entry > 0)
        fprintf(cli->err, "puhui: error: ledger verification FAILED at entry %lld: %s\n",
                (long long)r.bad_entry, err.detail);
    else
        fprintf(cli->err, "puhui: error: ledger verification FAILED: %s\n", err.detail);
    fprintf(cli->err, "hint: the entries before it passed; compare with a backup and the "
                      "published head hashes\n");
    return PH_EXIT_FAILURE;
}

/* --- reverse ------------------------------------------------------------------------ */

static int ledger_reverse(ph_cli *cli, int argc, char **argv)
{
    const char *entry_text = NULL, *reason = NULL, *on_text = NULL;
    const ph_cli_named opts[] = {{"--entry", &entry_text, NULL},
                                 {"--reason", &reason, NULL},
                                 {"--on", &on_text, NULL}};
    int code = ph_cli_parse_named(cli, "ledger", argc, argv, 2, opts, 3);
    if (code != PH_EXIT_OK)
        return code;
    if (entry_text == NULL || reason == NULL)
        return ph_cli_usage_error(cli, "ledger", "'ledger reverse' needs --entry N and "
                                                 "--reason TEXT");
    long long entry = 0;
    ph_date on = 0;
    code = ph_cli_parse_int(cli, "ledger", "--entry", entry_text, 1, INT64_MAX, &entry);
    if (code == PH_EXIT_OK)
        code = on_text ? parse_day(cli, "--on", on_text, &on) : today(cli, &on);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    int64_t id = 0;
    ph_error err;
    ph_status st = ph_ledger_reverse(store, (int64_t)entry, on, reason, &id, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:I, s:I}", "entry", (json_int_t)id, "reverses",
                                         (json_int_t)entry));
    else
        fprintf(cli->out, "entry %lld reverses entry %lld\n", (long long)id, entry);
    return PH_EXIT_OK;
}

/* --- post --------------------------------------------------------------------------- */

enum { MAX_LINES = 64 };

/* "ACCOUNT:dr|cr:AMOUNT[:PRODUCT[:PARTY]]" into *l (texts point into spec,
 * which is cut at the colons). */
static int parse_line(ph_cli *cli, char *spec, ph_ledger_line *l)
{
    char *part[5] = {NULL};
    int n = 0;
    for (char *p = spec; n < 5; n++) {
        part[n] = p;
        char *colon = strchr(p, ':');
        if (colon == NULL) {
            n++;
            break;
        }
        *colon = '\0';
        p = colon + 1;
    }
    if (n < 3 || (strcmp(part[1], "dr") != 0 && strcmp(part[1], "cr") != 0))
        return ph_cli_usage_error(cli, "ledger", "--line takes ACCOUNT:dr|cr:AMOUNT[:PRODUCT[:PARTY]], "
                                                 "such as 1001:dr:5000.00");
    const ph_ledger_account *acc = ph_ledger_account_find(part[0]);
    if (acc != NULL && acc->loan_level)
        return ph_cli_usage_error(cli, "ledger",
                                  "account %s (%s) is kept per loan: its entries come from the "
                                  "loan's events (puhui loan, puhui cob), not from a manual entry",
                                  acc->code, acc->name);
    ph_money amount = 0;
    ph_error err;
    if (ph_money_parse(part[2], strlen(part[2]), &amount, &err) != PH_OK)
        return ph_cli_fail(cli, PH_EINVAL, &err, "amounts are in yuan, such as 5000.00");
    *l = (ph_ledger_line){part[0], 0, part[3] ? part[3] : "", part[4] ? part[4] : "",
                          part[1][0] == 'd' ? amount : 0, part[1][0] == 'c' ? amount : 0};
    return PH_EXIT_OK;
}

static int ledger_post(ph_cli *cli, int argc, char **argv)
{
    const char *event = NULL, *memo = "", *on_text = NULL;
    ph_ledger_line lines[MAX_LINES];
    size_t n = 0;
    int code = PH_EXIT_OK;
    for (int i = 2; i < argc && code == PH_EXIT_OK; i++) {
        const char *value = NULL;
        if (ph_cli_option(argc, argv, &i, "--line", &value)) {
            if (value == NULL || n == MAX_LINES)
                code = ph_cli_usage_error(cli, "ledger", "--line takes ACCOUNT:dr|cr:AMOUNT "
                                                         "(at most %d lines)", MAX_LINES);
            else
                code = parse_line(cli, argv[i], &lines[n++]);
        } else if (ph_cli_option(argc, argv, &i, "--event", &value)) {
            event = value;
        } else if (ph_cli_option(argc, argv, &i, "--memo", &value)) {
            memo = value ? value : "";
        } else if (ph_cli_option(argc, argv, &i, "--on", &value)) {
            on_text = value;
        } else {
            code = ph_cli_usage_error(cli, "ledger", "unknown argument '%s' for 'ledger post'",
                                      argv[i]);
        }
    }
    if (code == PH_EXIT_OK && (event == NULL || n == 0))
        code = ph_cli_usage_error(cli, "ledger", "'ledger post' needs --event WORD and its "
                                                 "--line ACCOUNT:dr|cr:AMOUNT lines");
    ph_date on = 0;
    if (code == PH_EXIT_OK)
        code = on_text ? parse_day(cli, "--on", on_text, &on) : today(cli, &on);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    int64_t id = 0;
    ph_error err;
    ph_status st = ph_ledger_post(store, on, event, memo, lines, n, &id, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:I}", "entry", (json_int_t)id));
    else
        fprintf(cli->out, "entry %lld posted\n", (long long)id);
    return PH_EXIT_OK;
}

int ph_cmd_ledger(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *, int, char **);
    } SUBCOMMANDS[] = {{"trial-balance", ledger_trial_balance},
                       {"journal", ledger_journal},
                       {"verify", ledger_verify},
                       {"reverse", ledger_reverse},
                       {"post", ledger_post}};
    for (size_t i = 0; argc >= 2 && i < sizeof(SUBCOMMANDS) / sizeof(SUBCOMMANDS[0]); i++)
        if (strcmp(argv[1], SUBCOMMANDS[i].name) == 0)
            return SUBCOMMANDS[i].run(cli, argc, argv);
    return ph_cli_usage_error(cli, "ledger", "'ledger' takes 'trial-balance', 'journal', "
                                             "'verify', 'reverse' or 'post'");
}
