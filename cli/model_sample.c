/*
 * puhui model sample --from YYYY-MM --to YYYY-MM --horizon 12m --bad dpd90
 *                    --features PANEL.csv --out SAMPLE.csv [--registration FILE.csv]
 *
 * A modelling sample from the platform's own records
 * (docs/loans.md#model-samples-from-the-book): each row of a features panel
 * (puhui features --from/--to: uscc, asof, features...) whose firm had a loan
 * in the book at the as-of month's end is labelled bad = 1 when a loan of the
 * firm reached the --bad days past due within the horizon after it
 * (ph_book_outcomes). Rows of firms without a loan then, or already bad by
 * then, are left out (they were not borrowers to be predicted), and so are
 * rows whose horizon runs past the last close of business (not yet known).
 * The fairness segments city, industry and owner_gender are appended as
 * scripts/model_sample.awk appends them: city and industry from the
 * platform's registration records as of the row's day, owner_gender from
 * the registration feed file when --registration names it.
 */
#include <stdlib.h>
#include <string.h>

#include "model_cli.h"
#include "puhui/enterprise.h"
#include "puhui/simulate.h"

typedef struct outcome {
    char uscc[19];
    ph_month month;
    int bad, bad_before;
} outcome;

typedef struct outcomes {
    const ph_ctx *ctx;
    outcome *v;
    size_t n, cap;
} outcomes;

static int on_outcome(const ph_book_outcome *o, void *user)
{
    outcomes *s = user;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        outcome *v = ph_realloc(s->ctx, s->v, cap * sizeof(outcome));
        if (v == NULL)
            return 1;
        s->v = v;
        s->cap = cap;
    }
    outcome *x = &s->v[s->n++];
    snprintf(x->uscc, sizeof(x->uscc), "%s", o->uscc);
    x->month = o->month;
    x->bad = o->bad;
    x->bad_before = o->bad_before;
    return 0;
}

static int outcome_cmp(const void *a, const void *b)
{
    const outcome *x = a, *y = b;
    int c = strcmp(x->uscc, y->uscc);
    return c != 0 ? c : (x->month > y->month) - (x->month < y->month);
}

/* Owner gender by firm, from the registration feed: sorted (uscc, gender). */
typedef struct gender {
    char uscc[19];
    char g[8];
} gender;

static int gender_cmp(const void *a, const void *b)
{
    return strcmp(((const gender *)a)->uscc, ((const gender *)b)->uscc);
}

/* Split a CSV line in place (double quotes honoured); returns the count. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *w = line, *r = line;
    int quoted = 0;
    f[n++] = w;
    for (; *r && *r != '\n' && *r != '\r'; r++) {
        if (*r == '"') {
            if (quoted && r[1] == '"')
                *w++ = *r++;
            else
                quoted = !quoted;
        } else if (*r == ',' && !quoted) {
            *w++ = '\0';
            if (n == max)
                return n;
            f[n++] = w;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return n;
}

static ph_status read_genders(ph_cli *cli, const char *path, gender **out, size_t *count,
                              ph_error *err)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return ph_error_set(err, PH_EIO, "registration", path, "cannot read the file");
    char *line = NULL;
    size_t len = 0, n = 0, cap = 0;
    long ln = 0;
    int uscc_col = -1, gender_col = -1;
    gender *v = NULL;
    ph_status st = PH_OK;
    while (st == PH_OK && getline(&line, &len, fp) > 0) {
        char *f[64];
        size_t k = split(line, f, 64);
        if (++ln == 1) {
            for (size_t i = 0; i < k; i++) {
                if (strcmp(f[i], "uscc") == 0)
                    uscc_col = (int)i;
                if (strcmp(f[i], "owner_gender") == 0)
                    gender_col = (int)i;
            }
            if (uscc_col < 0 || gender_col < 0)
                st = ph_error_set(err, PH_EINVAL, "registration", path,
                                  "line 1: expected the columns uscc and owner_gender "
                                  "(feeds/registration.csv of puhui gen)");
            continue;
        }
        if ((size_t)uscc_col >= k || (size_t)gender_col >= k)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            gender *w = ph_realloc(cli->ctx, v, cap * sizeof(gender));
            if (w == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
            v = w;
        }
        snprintf(v[n].uscc, sizeof(v[n].uscc), "%s", f[uscc_col]);
        snprintf(v[n].g, sizeof(v[n].g), "%s", f[gender_col]);
        n++;
    }
    free(line);
    fclose(fp);
    if (st != PH_OK) {
        ph_free(cli->ctx, v);
        return st;
    }
    if (n > 1)
        qsort(v, n, sizeof(gender), gender_cmp);
    *out = v;
    *count = n;
    return PH_OK;
}

static int parse_suffixed(ph_cli *cli, const char *option, const char *text, const char *prefix,
                          const char *suffix, long long max, long long *out)
{
    size_t p = strlen(prefix), s = strlen(suffix), n = strlen(text);
    char buf[32];
    if (n >= p && strncmp(text, prefix, p) == 0)
        text += p, n -= p;
    if (n >= s && s > 0 && strcmp(text + n - s, suffix) == 0)
        n -= s;
    if (n == 0 || n >= sizeof(buf))
        return ph_cli_usage_error(cli, "model", "%s expects %sN%s, got '%s'", option, prefix,
                                  suffix, text);
    memcpy(buf, text, n);
    buf[n] = '\0';
    return ph_cli_parse_int(cli, "model", option, buf, 1, max, out);
}

typedef struct counts {
    long long rows, bad, no_loan, bad_before, censored, outside;
} counts;

static ph_status label(ph_cli *cli, ph_store *store, FILE *in, FILE *out, const char *panel,
                       const outcomes *os, const gender *g, size_t n_g, ph_month from,
                       ph_month to, int32_t horizon, ph_date last_cob, counts *c, ph_error *err)
{
    char *line = NULL;
    size_t len = 0;
    long ln = 0;
    ph_status st = PH_OK;
    ssize_t got;
    while (st == PH_OK && (got = getline(&line, &len, in)) > 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if (++ln == 1) {
            if (strncmp(line, "uscc,asof,", 10) != 0) {
                st = ph_error_set(err, PH_EINVAL, "features", panel,
                                  "line 1: expected a features panel starting uscc,asof "
                                  "(puhui features --from/--to)");
                break;
            }
            fprintf(out, "%s,city,industry,owner_gender,bad\n", line);
            continue;
        }
        char *comma = strchr(line, ',');
        ph_date asof = 0;
        if (comma == NULL || comma - line != 18 ||
            ph_date_parse(comma + 1, 10, &asof, NULL) != PH_OK) {
            char where[64];
            snprintf(where, sizeof(where), "line %ld", ln);
            st = ph_error_set(err, PH_EINVAL, "features", panel,
                              "%s: expected a USCC and an as-of date YYYY-MM-DD", where);
            break;
        }
        outcome key;
        memcpy(key.uscc, line, 18);
        key.uscc[18] = '\0';
        key.month = ph_month_of(asof);
        if (key.month < from || key.month > to) {
            c->outside++;
            continue;
        }
        const outcome *o = bsearch(&key, os->v, os->n, sizeof(outcome), outcome_cmp);
        if (o == NULL) {
            c->no_loan++;
            continue;
        }
        if (o->bad_before) {
            c->bad_before++;
            continue;
        }
        ph_month hm = 0;
        ph_date h_end = 0;
        st = ph_month_add(key.month, horizon, &hm, err);
        if (st == PH_OK)
            st = ph_month_last_day(hm, &h_end, err);
        if (st != PH_OK)
            break;
        if (h_end > last_cob) {
            c->censored++;
            continue;
        }
        ph_registration reg;
        char city[16] = "", industry[4] = "";
        if (ph_registration_asof(store, key.uscc, asof, &reg, NULL) == PH_OK) {
            snprintf(city, sizeof(city), "%d", reg.region_code / 100 * 100);
            industry[0] = reg.industry_code[0];
            industry[1] = '\0';
        }
        const char *sex = "";
        if (g != NULL) {
            gender gk;
            snprintf(gk.uscc, sizeof(gk.uscc), "%s", key.uscc);
            const gender *x = bsearch(&gk, g, n_g, sizeof(gender), gender_cmp);
            if (x != NULL)
                sex = x->g;
        }
        fprintf(out, "%s,%s,%s,%s,%d\n", line, city, industry, sex, o->bad);
        c->rows++;
        c->bad += o->bad;
    }
    free(line);
    (void)cli;
    return st;
}

int ph_model_cmd_sample(ph_cli *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *horizon = NULL, *bad = NULL, *features = NULL;
    const char *out_path = NULL, *registration = NULL;
    const ph_cli_named opts[] = {
        {"--from", &from, NULL},         {"--to", &to, NULL},   {"--horizon", &horizon, NULL},
        {"--bad", &bad, NULL},           {"--features", &features, NULL},
        {"--out", &out_path, NULL},      {"--registration", &registration, NULL}};
    int code = ph_cli_parse_named(cli, "model", argc, argv, 2, opts, sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if (from == NULL || to == NULL || features == NULL || out_path == NULL)
        return ph_cli_usage_error(cli, "model", "'model sample' needs --from, --to, --features "
                                                "and --out");
    long long h = 12, dpd = 90;
    if (horizon != NULL)
        code = parse_suffixed(cli, "--horizon", horizon, "", "m", 120, &h);
    if (code == PH_EXIT_OK && bad != NULL)
        code = parse_suffixed(cli, "--bad", bad, "dpd", "", 3650, &dpd);
    if (code != PH_EXIT_OK)
        return code;
    ph_error err;
    ph_month m1 = 0, m2 = 0;
    ph_status st = ph_month_parse(from, strlen(from), &m1, &err);
    if (st == PH_OK)
        st = ph_month_parse(to, strlen(to), &m2, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    outcomes os = {cli->ctx, NULL, 0, 0};
    gender *g = NULL;
    size_t n_g = 0;
    ph_date last_cob = 0;
    st = ph_book_outcomes(store, NULL, m1, m2, (int32_t)h, (int32_t)dpd, on_outcome, &os, &err);
    if (st == PH_OK)
        st = ph_cob_last_day(store, &last_cob, &err);
    if (st == PH_OK && registration != NULL)
        st = read_genders(cli, registration, &g, &n_g, &err);
    FILE *in = NULL, *out = NULL;
    if (st == PH_OK && (in = fopen(features, "r")) == NULL)
        st = ph_error_set(&err, PH_EIO, "features", features, "cannot read the file");
    if (st == PH_OK && (out = fopen(out_path, "w")) == NULL)
        st = ph_error_set(&err, PH_EIO, "out", out_path, "cannot write the file");
    counts c;
    memset(&c, 0, sizeof(c));
    if (st == PH_OK)
        st = label(cli, store, in, out, features, &os, g, n_g, m1, m2, (int32_t)h, last_cob, &c,
                   &err);
    if (in != NULL)
        fclose(in);
    if (out != NULL && fclose(out) != 0 && st == PH_OK)
        st = ph_error_set(&err, PH_EIO, "out", out_path, "cannot write the file");
    ph_free(cli->ctx, os.v);
    ph_free(cli->ctx, g);
    ph_store_free(store);
    if (st != PH_OK) {
        if (out != NULL)
            remove(out_path);
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
    }
    fprintf(cli->out,
            "%lld rows labelled from the book (%lld bad: dpd%lld within %lldm); left out: %lld "
            "without a loan at the month end, %lld already bad, %lld whose horizon runs past "
            "the last close of business, %lld outside %s..%s\n",
            c.rows, c.bad, dpd, h, c.no_loan, c.bad_before, c.censored, c.outside, from, to);
    return PH_EXIT_OK;
}
