/*
 * puhui voucher issue --issuer USCC --to USCC --amount YUAN --maturity D [--on D] [--ref TEXT]
 * puhui voucher split ID --from USCC --parts A,B,... [--on D]
 * puhui voucher transfer ID --from USCC --to USCC [--on D] [--max-tier N]
 * puhui voucher finance ID --from USCC --lender ID [--on D]
 * puhui voucher settle ID [--on D]
 * puhui voucher show ID | lineage ID | list [--holder U] [--issuer U] [--root ID] [--current]
 * puhui voucher prove ID --out BUNDLE [--size N]
 * puhui voucher spread GRADE RATE | late --from D --to D
 * (every command that changes state: [--evidence DIR | --no-evidence])
 *
 * Digital claim vouchers (voucher.h, docs/supply_chain.md). Every event is
 * appended to the evidence log at --evidence DIR, by default <db>.evidence
 * (cli_evidence_for_events, as order and receipt).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "puhui/voucher.h"

#define CMD "voucher"

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    const char *hint = st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database"
                       : st == PH_EVERIFY
                           ? "the database no longer matches the evidence log: a stored row "
                             "was changed after it was logged"
                           : NULL;
    return ph_cli_fail(cli, st, err, hint);
}

static int parse_day(ph_cli *cli, const char *option, const char *text, ph_date *out)
{
    if (ph_date_parse(text, strlen(text), out, NULL) != PH_OK)
        return ph_cli_usage_error(cli, CMD, "%s takes a date YYYY-MM-DD, got '%s'", option,
                                  text);
    return PH_EXIT_OK;
}

/* --on, else today by the context's clock */
static int parse_on(ph_cli *cli, const char *text, ph_date *out)
{
    if (text != NULL)
        return parse_day(cli, "--on", text, out);
    ph_error err;
    ph_status st = ph_ctx_today(cli->ctx, out, &err);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

static const char *yuan(ph_money m, char buf[PH_MONEY_FORMAT_MAX])
{
    if (ph_money_format(m, PH_MONEY_GROUPING, buf, PH_MONEY_FORMAT_MAX, NULL) != PH_OK)
        strcpy(buf, "?");
    return buf;
}

static const char *dtext(ph_date d, char buf[PH_DATE_FORMAT_MAX])
{
    if (ph_date_format(d, buf, PH_DATE_FORMAT_MAX, NULL) != PH_OK)
        strcpy(buf, "");
    return buf;
}

/* A subcommand that changes state: its voucher ID (argv[2]; issue has none),
 * the options every one of them takes (--on, --evidence DIR, --no-evidence),
 * and the store and log it writes to. */
typedef struct change {
    const char *id, *on, *evidence;
    int none;
    ph_store *store;
    ph_evidence_log *log;
} change;

#define OWN_MAX 6

/* Parse `voucher SUB [ID]`: its own options `own` (n, at most OWN_MAX) and
 * the common ones. The ID, when `with_id`, must come first. */
static int parse_change(ph_cli *cli, const char *sub, int with_id, int argc, char **argv,
                        const ph_cli_named *own, size_t n, change *c)
{
    memset(c, 0, sizeof(*c));
    if (with_id) {
        if (argc < 3 || argv[2][0] == '-')
            return ph_cli_usage_error(cli, CMD, "'voucher %s' needs a voucher ID", sub);
        c->id = argv[2];
    }
    ph_cli_named opts[OWN_MAX + 3];
    if (n > 0)
        memcpy(opts, own, n * sizeof(*own));
    opts[n] = (ph_cli_named){"--on", &c->on, NULL};
    opts[n + 1] = (ph_cli_named){"--evidence", &c->evidence, NULL};
    opts[n + 2] = (ph_cli_named){"--no-evidence", NULL, &c->none};
    return ph_cli_parse_named(cli, CMD, argc, argv, with_id ? 3 : 2, opts, n + 3);
}

/* Open store and log together; on failure both are closed. */
static int open_change(ph_cli *cli, change *c)
{
    return cli_open_for_events(cli, c->evidence, c->none, &c->store, &c->log);
}

/* Close both; the exit code of `st` (its error printed). */
static int close_change(ph_cli *cli, change *c, ph_status st, const ph_error *err)
{
    ph_evidence_free(c->log);
    ph_store_free(c->store);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, err);
}

/* ---- issue -------------------------------------------------------------------------------- */

static int cmd_issue(ph_cli *cli, int argc, char **argv)
{
    const char *issuer = NULL, *to = NULL, *amount = NULL, *maturity = NULL, *ref = NULL;
    const ph_cli_named own[] = {{"--issuer", &issuer, NULL}, {"--to", &to, NULL},
                                {"--amount", &amount, NULL}, {"--maturity", &maturity, NULL},
                                {"--ref", &ref, NULL}};
    change c;
    int code = parse_change(cli, "issue", 0, argc, argv, own, 5, &c);
    if (code != PH_EXIT_OK)
        return code;
    if (issuer == NULL || to == NULL || amount == NULL || maturity == NULL)
        return ph_cli_usage_error(cli, CMD,
                                  "'voucher issue' needs --issuer, --to, --amount and --maturity");
    ph_voucher_issue_args a = {.issuer = issuer, .to = to, .payable_ref = ref};
    ph_error err;
    ph_status st = ph_money_parse(amount, strlen(amount), &a.face, &err);
    if (st != PH_OK) {
        ph_error_set_field(&err, "--amount");
        return ph_cli_fail(cli, st, &err, NULL);
    }
    if ((code = parse_day(cli, "--maturity", maturity, &a.maturity)) != PH_EXIT_OK ||
        (code = parse_on(cli, c.on, &a.on)) != PH_EXIT_OK ||
        (code = open_change(cli, &c)) != PH_EXIT_OK)
        return code;
    char id[PH_VOUCHER_ID_MAX];
    st = ph_voucher_issue(c.store, c.log, &a, id, &err);
    ph_voucher v;
    if (st == PH_OK)
        st = ph_voucher_get(c.store, id, &v, &err);
    if ((code = close_change(cli, &c, st, &err)) != PH_EXIT_OK)
        return code;
    char y[PH_MONEY_FORMAT_MAX], d[PH_DATE_FORMAT_MAX];
    fprintf(cli->out, "issued %s: %s yuan by %s to %s (tier 1), grade %s, matures %s\n", v.id,
            yuan(v.face, y), v.issuer, v.holder, v.grade, dtext(v.maturity, d));
    return PH_EXIT_OK;
}

/* ---- split -------------------------------------------------------------------------------- */

static int cmd_split(ph_cli *cli, int argc, char **argv)
{
    const char *from = NULL, *parts = NULL;
    const ph_cli_named own[] = {{"--from", &from, NULL}, {"--parts", &parts, NULL}};
    change c;
    int code = parse_change(cli, "split", 1, argc, argv, own, 2, &c);
    if (code != PH_EXIT_OK)
        return code;
    if (from == NULL || parts == NULL)
        return ph_cli_usage_error(cli, CMD, "'voucher split' needs --from and --parts A,B,...");
    ph_date day = 0;
    if ((code = parse_on(cli, c.on, &day)) != PH_EXIT_OK)
        return code;
    /* the amounts: "300000,700000.00" (commas separate parts, so no grouping) */
    ph_money amounts[PH_VOUCHER_MAX_PARTS];
    size_t n = 0;
    const char *p = parts;
    ph_error err;
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        if (n == PH_VOUCHER_MAX_PARTS)
            return ph_cli_usage_error(cli, CMD, "--parts takes at most %d amounts",
                                      PH_VOUCHER_MAX_PARTS);
        ph_status st = ph_money_parse(p, len, &amounts[n], &err);
        if (st != PH_OK) {
            char field[32];
            snprintf(field, sizeof(field), "--parts[%zu]", n + 1);
            ph_error_set_field(&err, field);
            return ph_cli_fail(cli, st, &err, "give the parts in yuan without grouping commas: "
                                              "--parts 300000,700000.00");
        }
        n++;
        p += len;
        if (*p == ',')
            p++;
    }
    if ((code = open_change(cli, &c)) != PH_EXIT_OK)
        return code;
    char ids[PH_VOUCHER_MAX_PARTS][PH_VOUCHER_ID_MAX];
    ph_status st = ph_voucher_split(c.store, c.log, c.id, from, day, amounts, n, ids, &err);
    if ((code = close_change(cli, &c, st, &err)) != PH_EXIT_OK)
        return code;
    char y[PH_MONEY_FORMAT_MAX];
    fprintf(cli->out, "split %s into %zu parts:", c.id, n);
    for (size_t i = 0; i < n; i++)
        fprintf(cli->out, "%s %s %s", i ? "," : "", ids[i], yuan(amounts[i], y));
    fputc('\n', cli->out);
    return PH_EXIT_OK;
}

/* ---- transfer, finance, settle ----------------------------------------------------------------- */

static int cmd_transfer(ph_cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *max = NULL;
    const ph_cli_named own[] = {
        {"--from", &from, NULL}, {"--to", &to, NULL}, {"--max-tier", &max, NULL}};
    change c;
    int code = parse_change(cli, "transfer", 1, argc, argv, own, 3, &c);
    if (code != PH_EXIT_OK)
        return code;
    if (from == NULL || to == NULL)
        return ph_cli_usage_error(cli, CMD, "'voucher transfer' needs --from and --to");
    long long max_tier = 0;
    ph_date day = 0;
    if ((max != NULL &&
         (code = ph_cli_parse_int(cli, CMD, "--max-tier", max, 1, PH_VOUCHER_MAX_TIER,
                                  &max_tier)) != PH_EXIT_OK) ||
        (code = parse_on(cli, c.on, &day)) != PH_EXIT_OK ||
        (code = open_change(cli, &c)) != PH_EXIT_OK)
        return code;
    ph_error err;
    char next[PH_VOUCHER_ID_MAX];
    ph_voucher v;
    ph_status st =
        ph_voucher_transfer(c.store, c.log, c.id, from, to, day, (int)max_tier, next, &err);
    if (st == PH_OK)
        st = ph_voucher_get(c.store, next, &v, &err);
    if ((code = close_change(cli, &c, st, &err)) != PH_EXIT_OK)
        return code;
    char y[PH_MONEY_FORMAT_MAX];
    fprintf(cli->out, "transferred %s to %s: new part %s, %s yuan, tier %d\n", c.id, to, v.id,
            yuan(v.face, y), v.tier);
    return PH_EXIT_OK;
}

static int cmd_finance(ph_cli *cli, int argc, char **argv)
{
    const char *from = NULL, *lender = NULL;
    const ph_cli_named own[] = {{"--from", &from, NULL}, {"--lender", &lender, NULL}};
    change c;
    int code = parse_change(cli, "finance", 1, argc, argv, own, 2, &c);
    if (code != PH_EXIT_OK)
        return code;
    if (from == NULL || lender == NULL)
        return ph_cli_usage_error(cli, CMD, "'voucher finance' needs --from and --lender");
    ph_date day = 0;
    if ((code = parse_on(cli, c.on, &day)) != PH_EXIT_OK ||
        (code = open_change(cli, &c)) != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_voucher v;
    ph_status st = ph_voucher_finance(c.store, c.log, c.id, from, lender, day, &v, &err);
    if ((code = close_change(cli, &c, st, &err)) != PH_EXIT_OK)
        return code;
    char y1[PH_MONEY_FORMAT_MAX], y2[PH_MONEY_FORMAT_MAX], y3[PH_MONEY_FORMAT_MAX],
        rate[PH_RATE_FORMAT_MAX];
    (void)ph_rate_format_percent(v.rate, rate, sizeof(rate), NULL);
    fprintf(cli->out,
            "financed %s at %s: face %s, rate %s (LPR + grade %s spread), %lld days, discount "
            "%s, advance %s\n",
            v.id, v.lender, yuan(v.face, y1), rate, v.grade, (long long)v.days,
            yuan(v.discount, y2), yuan(v.advance, y3));
    return PH_EXIT_OK;
}

static int cmd_settle(ph_cli *cli, int argc, char **argv)
{
    change c;
    int code = parse_change(cli, "settle", 1, argc, argv, NULL, 0, &c);
    ph_date day = 0;
    if (code != PH_EXIT_OK || (code = parse_on(cli, c.on, &day)) != PH_EXIT_OK ||
        (code = open_change(cli, &c)) != PH_EXIT_OK)
        return code;
    ph_error err;
    size_t parts = 0;
    ph_money paid = 0;
    ph_status st = ph_voucher_settle(c.store, c.log, c.id, day, &parts, &paid, &err);
    if ((code = close_change(cli, &c, st, &err)) != PH_EXIT_OK)
        return code;
    char y[PH_MONEY_FORMAT_MAX];
    fprintf(cli->out, "settled the tree of %s: %zu part%s paid, %s yuan\n", c.id, parts,
            parts == 1 ? "" : "s", yuan(paid, y));
    return PH_EXIT_OK;
}

/* ---- show, list, lineage ----------------------------------------------------------------------- */

static int open_read(ph_cli *cli, ph_store **store)
{
    int code = PH_EXIT_OK;
    *store = ph_cli_open_store(cli, 1, &code);
    return *store == NULL ? code : PH_EXIT_OK;
}

/* The end of a listing: the store closed, the table printed when `st` is
 * PH_OK (else its error) and freed. */
static int print_table(ph_cli *cli, ph_store *store, ph_cli_table *t, ph_status st,
                       const ph_error *err)
{
    ph_store_free(store);
    if (st == PH_OK)
        ph_cli_table_print(cli, t, NULL);
    ph_cli_table_free(t);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, err);
}

static void add_row(ph_cli_table *t, const ph_voucher *v, const char *tree)
{
    char face[PH_MONEY_FORMAT_MAX], tier[8], mat[PH_DATE_FORMAT_MAX];
    snprintf(tier, sizeof(tier), "%d", v->tier);
    const char *cells[] = {tree ? tree : v->id, v->holder, tier, yuan(v->face, face),
                           ph_voucher_status_name(v->status), v->lender,
                           dtext(v->maturity, mat)};
    ph_cli_table_add(t, cells);
}

static ph_status list_row(void *user, const ph_voucher *v, ph_error *err)
{
    (void)err;
    add_row(user, v, NULL);
    return PH_OK;
}

static const char *const HEADERS[] = {"voucher", "holder", "tier", "face", "status",
                                      "financier", "maturity"};
static const int NUMERIC[] = {0, 0, 1, 1, 0, 0, 0};

static int cmd_list(ph_cli *cli, int argc, char **argv)
{
    ph_voucher_filter f = {0};
    int current = 0;
    const ph_cli_named opts[] = {{"--holder", &f.holder, NULL},
                                 {"--issuer", &f.issuer, NULL},
                                 {"--root", &f.root, NULL},
                                 {"--current", NULL, &current}};
    int code = ph_cli_parse_named(cli, CMD, argc, argv, 2, opts, 4);
    ph_store *store = NULL;
    if (code != PH_EXIT_OK || (code = open_read(cli, &store)) != PH_EXIT_OK)
        return code;
    f.current_only = current;
    ph_cli_table *t = ph_cli_table_new(HEADERS, NUMERIC, 7);
    ph_error err;
    ph_status st = ph_voucher_list(store, &f, list_row, t, &err);
    return print_table(cli, store, t, st, &err);
}

/* The lineage: parts depth first; drawn once all are known, since a branch's
 * "└──" needs to know that no sibling follows. */
typedef struct lineage {
    ph_voucher *v;
    int *depth;
    size_t n, cap;
    int failed;
} lineage;

static ph_status take_part(void *user, const ph_voucher *v, int depth, ph_error *err)
{
    lineage *l = user;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        ph_voucher *nv = realloc(l->v, cap * sizeof(*nv));
        if (nv != NULL)
            l->v = nv;
        int *nd = realloc(l->depth, cap * sizeof(*nd));
        if (nd != NULL)
            l->depth = nd;
        if (nv == NULL || nd == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        l->cap = cap;
    }
    l->v[l->n] = *v;
    l->depth[l->n++] = depth;
    return PH_OK;
}

/* Is part i the last child of its parent? (no later part at its depth before
 * one shallower) */
static int last_child(const lineage *l, size_t i)
{
    for (size_t j = i + 1; j < l->n; j++) {
        if (l->depth[j] < l->depth[i])
            return 1;
        if (l->depth[j] == l->depth[i])
            return 0;
    }
    return 1;
}

static int cmd_lineage(ph_cli *cli, int argc, char **argv)
{
    if (argc < 3 || argv[2][0] == '-')
        return ph_cli_usage_error(cli, CMD, "'voucher lineage' needs a voucher ID");
    int code = ph_cli_no_more_args(cli, CMD, argc - 2, argv + 2);
    ph_store *store = NULL;
    if (code != PH_EXIT_OK || (code = open_read(cli, &store)) != PH_EXIT_OK)
        return code;
    lineage l = {0};
    ph_error err;
    ph_status st = ph_voucher_lineage(store, argv[2], take_part, &l, &err);
    ph_store_free(store);
    if (st != PH_OK) {
        free(l.v);
        free(l.depth);
        return fail(cli, st, &err);
    }
    ph_cli_table *t = ph_cli_table_new(HEADERS, NUMERIC, 7);
    ph_money leaves = 0;
    size_t current = 0;
    /* open[d]: the branch at depth d continues below (draw "│") */
    int open[PH_VOUCHER_MAX_TIER * PH_VOUCHER_MAX_PARTS + 2] = {0};
    int max_depth = (int)(sizeof(open) / sizeof(open[0])) - 1;
    for (size_t i = 0; i < l.n; i++) {
        char tree[1024] = "";
        size_t w = 0;
        int d = l.depth[i] < max_depth ? l.depth[i] : max_depth;
        for (int k = 1; k < d && w + 8 < sizeof(tree); k++)
            w += (size_t)snprintf(tree + w, sizeof(tree) - w, "%s", open[k] ? "│  " : "   ");
        if (d > 0) {
            int last = last_child(&l, i);
            open[d] = !last;
            w += (size_t)snprintf(tree + w, sizeof(tree) - w, "%s", last ? "└─ " : "├─ ");
        }
        snprintf(tree + w, sizeof(tree) - w, "%s", l.v[i].id);
        add_row(t, &l.v[i], tree);
        if (l.v[i].status == PH_VOUCHER_HELD || l.v[i].status == PH_VOUCHER_FINANCED ||
            l.v[i].status == PH_VOUCHER_SETTLED) {
            leaves += l.v[i].face;
            current++;
        }
    }
    char y1[PH_MONEY_FORMAT_MAX], y2[PH_MONEY_FORMAT_MAX];
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:s, s:I, s:s}", "root", l.v[0].id, "face",
                                yuan(l.v[0].face, y1), "current_parts", (json_int_t)current,
                                "current_sum", yuan(leaves, y2));
        if (doc != NULL)
            json_object_set_new(doc, "parts", ph_cli_table_json(t));
        ph_cli_print_json(cli, doc);
    } else {
        fprintf(cli->out, "voucher %s issued by %s, grade %s, %s yuan\n\n", l.v[0].id,
                l.v[0].issuer, l.v[0].grade, yuan(l.v[0].face, y1));
        ph_cli_table_print(cli, t, NULL);
        fprintf(cli->out, "\n%zu current parts sum to %s yuan = the face %s%s\n", current,
                yuan(leaves, y1), yuan(l.v[0].face, y2), leaves == l.v[0].face ? "" : " (MISMATCH)");
    }
    int mismatch = leaves != l.v[0].face;
    ph_cli_table_free(t);
    free(l.v);
    free(l.depth);
    return mismatch ? PH_EXIT_FAILURE : PH_EXIT_OK;
}

static ph_status event_row(void *user, const ph_voucher_event *e, ph_error *err)
{
    (void)err;
    char seq[24], d[PH_DATE_FORMAT_MAX], y[PH_MONEY_FORMAT_MAX], leaf[24];
    snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
    if (e->leaf_index >= 0)
        snprintf(leaf, sizeof(leaf), "%lld", (long long)e->leaf_index);
    else
        leaf[0] = '\0';
    const char *cells[] = {seq,        e->voucher_id, e->type,     dtext(e->on, d),
                           e->actor,   e->counterparty, yuan(e->amount, y), leaf,
                           e->detail ? e->detail : ""};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int cmd_show(ph_cli *cli, int argc, char **argv)
{
    if (argc < 3 || argv[2][0] == '-')
        return ph_cli_usage_error(cli, CMD, "'voucher show' needs a voucher ID");
    int code = ph_cli_no_more_args(cli, CMD, argc - 2, argv + 2);
    ph_store *store = NULL;
    if (code != PH_EXIT_OK || (code = open_read(cli, &store)) != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_voucher v;
    static const char *const eh[] = {"seq",    "voucher", "type", "on",    "actor",
                                     "to",     "amount",  "leaf", "detail"};
    static const int en[] = {1, 0, 0, 0, 0, 0, 1, 1, 0};
    ph_cli_table *t = ph_cli_table_new(eh, en, 9);
    ph_status st = ph_voucher_get(store, argv[2], &v, &err);
    if (st == PH_OK)
        st = ph_voucher_events(store, v.id, event_row, t, &err);
    ph_store_free(store);
    if (st != PH_OK) {
        ph_cli_table_free(t);
        return fail(cli, st, &err);
    }
    char y[PH_MONEY_FORMAT_MAX], d1[PH_DATE_FORMAT_MAX], d2[PH_DATE_FORMAT_MAX];
    fprintf(cli->out, "voucher      %s (tree %s%s%s)\n", v.id, v.root_id,
            v.parent_id[0] ? ", parent " : "", v.parent_id);
    fprintf(cli->out, "issuer       %s, grade %s\n", v.issuer, v.grade);
    fprintf(cli->out, "holder       %s, tier %d\n", v.holder, v.tier);
    fprintf(cli->out, "face         %s yuan\n", yuan(v.face, y));
    fprintf(cli->out, "created      %s, matures %s\n", dtext(v.created_on, d1),
            dtext(v.maturity, d2));
    fprintf(cli->out, "status       %s\n", ph_voucher_status_name(v.status));
    if (v.payable_ref[0])
        fprintf(cli->out, "payable      %s\n", v.payable_ref);
    if (v.lender[0]) {
        char rate[PH_RATE_FORMAT_MAX], y2[PH_MONEY_FORMAT_MAX];
        (void)ph_rate_format_percent(v.rate, rate, sizeof(rate), NULL);
        fprintf(cli->out, "financed     at %s on %s: %s for %lld days, discount %s, advance %s\n",
                v.lender, dtext(v.financed_on, d1), rate, (long long)v.days, yuan(v.discount, y),
                yuan(v.advance, y2));
    }
    fprintf(cli->out, "\nevents of the tree:\n");
    ph_cli_table_print(cli, t, NULL);
    ph_cli_table_free(t);
    return PH_EXIT_OK;
}

/* ---- prove (cli/prove_records.c, as order and receipt) ----------------------------------------- */

static int cmd_prove(ph_cli *cli, int argc, char **argv)
{
    return cli_prove_records(cli, CMD, argc, argv, ph_voucher_prove, "the tree of");
}

/* ---- spread, late ------------------------------------------------------------------------------ */

static int cmd_spread(ph_cli *cli, int argc, char **argv)
{
    if (argc != 4)
        return ph_cli_usage_error(cli, CMD, "'voucher spread' needs GRADE and RATE (0.80%%)");
    ph_rate rate = 0;
    ph_error err;
    ph_status st = ph_rate_parse_percent(argv[3], strlen(argv[3]), &rate, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    ph_store *store = NULL;
    int code = open_read(cli, &store);
    if (code != PH_EXIT_OK)
        return code;
    st = ph_voucher_set_spread(store, argv[2], rate, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "grade %s: LPR + %s\n", argv[2], argv[3]);
    return PH_EXIT_OK;
}

static ph_status late_row(void *user, const ph_voucher_settlement *s, ph_error *err)
{
    (void)err;
    char d1[PH_DATE_FORMAT_MAX], d2[PH_DATE_FORMAT_MAX], late[24], y[PH_MONEY_FORMAT_MAX];
    snprintf(late, sizeof(late), "%lld", (long long)s->days_late);
    const char *cells[] = {s->voucher_id, s->issuer, s->paid_to, dtext(s->maturity, d1),
                           dtext(s->on, d2), late, yuan(s->amount, y)};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int cmd_late(ph_cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    const ph_cli_named opts[] = {{"--from", &from, NULL}, {"--to", &to, NULL}};
    int code = ph_cli_parse_named(cli, CMD, argc, argv, 2, opts, 2);
    if (code != PH_EXIT_OK)
        return code;
    if (from == NULL || to == NULL)
        return ph_cli_usage_error(cli, CMD, "'voucher late' needs --from and --to");
    ph_date d1 = 0, d2 = 0;
    ph_store *store = NULL;
    if ((code = parse_day(cli, "--from", from, &d1)) != PH_EXIT_OK ||
        (code = parse_day(cli, "--to", to, &d2)) != PH_EXIT_OK ||
        (code = open_read(cli, &store)) != PH_EXIT_OK)
        return code;
    static const char *const h[] = {"voucher", "issuer", "paid_to", "maturity", "paid_on",
                                    "days_late", "amount"};
    static const int num[] = {0, 0, 0, 0, 0, 1, 1};
    ph_cli_table *t = ph_cli_table_new(h, num, 7);
    ph_error err;
    ph_status st = ph_voucher_late_settlements(store, d1, d2, late_row, t, &err);
    return print_table(cli, store, t, st, &err);
}

int ph_cmd_voucher(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *, int, char **);
    } SUB[] = {{"issue", cmd_issue},     {"split", cmd_split},   {"transfer", cmd_transfer},
               {"finance", cmd_finance}, {"settle", cmd_settle}, {"show", cmd_show},
               {"lineage", cmd_lineage}, {"list", cmd_list},     {"prove", cmd_prove},
               {"spread", cmd_spread},   {"late", cmd_late}};
    if (argc < 2)
        return ph_cli_usage_error(cli, CMD, "'voucher' needs a subcommand");
    for (size_t i = 0; i < sizeof(SUB) / sizeof(SUB[0]); i++)
        if (strcmp(argv[1], SUB[i].name) == 0)
            return SUB[i].run(cli, argc, argv);
    return ph_cli_usage_error(cli, CMD, "unknown subcommand '%s' for 'voucher'", argv[1]);
}
