/*
 * Champion and challenger: two models on the same rows. Each gets its full
 * report (report.c); what only a pair has is here: the DeLong standard
 * error of the AUC difference, and the swap sets at equal approval rates,
 * which show the risk team whom the challenger would approve that the
 * champion declines (and the reverse) and how those rows turned out.
 * Writing it out is compare_write.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "governance/governance_internal.h"

static ph_status no_memory(ph_error *err)
{
    return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory comparing two models");
}

const char *ph_swap_cell_name(ph_swap_cell_kind kind)
{
    static const char *const names[PH_SWAP_CELLS] = {
        [PH_SWAP_BOTH_APPROVE] = "both approve",
        [PH_SWAP_CHAMPION_ONLY] = "champion only",
        [PH_SWAP_CHALLENGER_ONLY] = "challenger only",
        [PH_SWAP_BOTH_DECLINE] = "both decline",
    };
    return (unsigned)kind < PH_SWAP_CELLS ? names[kind] : NULL;
}

/* The cell of a row from who approves it: the table is indexed by
 * [champion approves][challenger approves]. */
static const ph_swap_cell_kind CELL_OF[2][2] = {
    {PH_SWAP_BOTH_DECLINE, PH_SWAP_CHALLENGER_ONLY},
    {PH_SWAP_CHAMPION_ONLY, PH_SWAP_BOTH_APPROVE},
};

static ph_status check_inputs(const double *a, const double *b, const uint8_t *bad, size_t n,
                              ph_error *err)
{
    ph_status st = gov_check_size(n, err);
    if (st == PH_OK)
        st = gov_check_pd(a, n, err);
    if (st == PH_OK)
        st = gov_check_pd(b, n, err);
    if (st == PH_OK)
        st = gov_check_bad(bad, n, err);
    return st;
}

typedef struct ranked {
    double pd;
    size_t row;
} ranked;

/* By PD, then row order: a total order whatever qsort does with equal keys
 * (it finds the k-th lowest PD; the approvals take ties together). */
static int compare_ranked(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (a->pd != b->pd)
        return a->pd < b->pd ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* rank[row] = the row's position when sorted by (pd, row). */
static ph_status rank_rows(const ph_ctx *ctx, const double *pd, size_t n, size_t *rank,
                           ph_error *err)
{
    ranked *r = ph_malloc(ctx, n * sizeof(*r));
    if (r == NULL)
        return no_memory(err);
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){pd[i], i};
    qsort(r, n, sizeof(*r), compare_ranked);
    for (size_t i = 0; i < n; i++)
        rank[r[i].row] = i;
    ph_free(ctx, r);
    return PH_OK;
}

static double rate_of(size_t part, size_t whole)
{
    return whole ? (double)part / (double)whole : NAN;
}

/* Each model approves the rows whose PD is at most the PD of its k-th best
 * row: a lender decides by a cut-off, so rows of equal PD are approved or
 * declined together (as the report's cut-off and deciles treat them), and
 * a model may approve a few more than k when its PDs tie at the cut-off. */
static void fill_swap_set(const double *pd_a, const double *pd_b, const size_t *rank_a,
                          const size_t *rank_b, const uint8_t *bad, size_t n, double rate,
                          ph_swap_set *out)
{
    memset(out, 0, sizeof(*out));
    /* the same rounding as ph_metric_cutoff_for_approval: 0.7 * 20 is 14 */
    double k = ceil(rate * (double)n - 1e-9);
    size_t approved = k < 1.0 ? 1 : k >= (double)n ? n : (size_t)k;
    double cut_a = 0, cut_b = 0;
    for (size_t i = 0; i < n; i++) {
        if (rank_a[i] == approved - 1)
            cut_a = pd_a[i];
        if (rank_b[i] == approved - 1)
            cut_b = pd_b[i];
    }
    size_t bads_a = 0, bads_b = 0;
    for (size_t i = 0; i < n; i++) {
        int a = pd_a[i] <= cut_a, b = pd_b[i] <= cut_b;
        ph_swap_cell *cell = &out->cells[CELL_OF[a][b]];
        cell->count++;
        cell->bads += bad[i];
        out->champion_approved += (size_t)a;
        out->challenger_approved += (size_t)b;
        bads_a += a && bad[i];
        bads_b += b && bad[i];
    }
    for (size_t c = 0; c < PH_SWAP_CELLS; c++)
        out->cells[c].bad_rate = rate_of(out->cells[c].bads, out->cells[c].count);
    out->approval_rate = rate;
    out->approved = approved;
    out->champion_cutoff = cut_a;
    out->challenger_cutoff = cut_b;
    out->champion_bad_rate = rate_of(bads_a, out->champion_approved);
    out->challenger_bad_rate = rate_of(bads_b, out->challenger_approved);
}

ph_status ph_swap_sets(const ph_ctx *ctx, const double *champion_pd, const double *challenger_pd,
                       const uint8_t *bad, size_t n, const double *rates, size_t n_rates,
                       ph_swap_set *out, ph_error *err)
{
    if (ctx == NULL || champion_pd == NULL || challenger_pd == NULL || bad == NULL ||
        rates == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_swap_sets: NULL argument");
    if (n_rates == 0)
        return ph_error_set(err, PH_EINVAL, "approval_rate", NULL,
                            "expected at least one approval rate for the swap sets");
    for (size_t r = 0; r < n_rates; r++)
        if (!(rates[r] > 0.0 && rates[r] <= 1.0)) {
            char value[32];
            snprintf(value, sizeof(value), "%g", rates[r]);
            return ph_error_set(err, PH_EINVAL, "approval_rate", value,
                                "expected a share of the sample in (0, 1]");
        }
    ph_status st = check_inputs(champion_pd, challenger_pd, bad, n, err);
    if (st != PH_OK)
        return st;
    size_t *rank = n <= SIZE_MAX / (2 * sizeof(size_t)) ? ph_malloc(ctx, 2 * n * sizeof(size_t))
                                                        : NULL;
    if (rank == NULL)
        return no_memory(err);
    st = rank_rows(ctx, champion_pd, n, rank, err);
    if (st == PH_OK)
        st = rank_rows(ctx, challenger_pd, n, rank + n, err);
    for (size_t r = 0; st == PH_OK && r < n_rates; r++)
        fill_swap_set(champion_pd, challenger_pd, rank, rank + n, bad, n, rates[r], &out[r]);
    ph_free(ctx, rank);
    return st;
}

/* ---- DeLong ------------------------------------------------------------------ */

/* Midranks (1-based, ties averaged) of x[0..m-1] into rank; r is scratch. */
static void midranks(const double *x, size_t m, ranked *r, double *rank)
{
    for (size_t i = 0; i < m; i++)
        r[i] = (ranked){x[i], i};
    qsort(r, m, sizeof(*r), compare_ranked);
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && r[j].pd == r[i].pd)
            j++;
        double mid = 0.5 * (double)(i + 1 + j); /* the mean of ranks i+1..j */
        for (size_t k = i; k < j; k++)
            rank[r[k].row] = mid;
        i = j;
    }
}

/*
 * The structural components of one model (Sun and Xu's fast form): for
 * bad i, v10[i] = the share of goods it outranks (ties one half), from its
 * rank among all rows minus its rank among the bads; for good j, v01[j] =
 * the share of bads that outrank it. The AUC is the mean of v10.
 */
static void components(const double *pd, const uint8_t *bad, size_t n, size_t bads,
                       ranked *scratch, double *work, double *v10, double *v01)
{
    size_t goods = n - bads;
    double *all = work, *sub = work + n, *sub_rank = work + 2 * n;
    midranks(pd, n, scratch, all);
    for (int cls = 1; cls >= 0; cls--) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (bad[i] == cls)
                sub[m++] = pd[i];
        midranks(sub, m, scratch, sub_rank);
        m = 0;
        for (size_t i = 0; i < n; i++) {
            if (bad[i] != cls)
                continue;
            double below = all[i] - sub_rank[m]; /* other-class rows ranked below */
            if (cls)
                v10[m] = below / (double)goods;
            else
                v01[m] = 1.0 - below / (double)bads;
            m++;
        }
    }
}

static double mean_of(const double *v, size_t m)
{
    double s = 0.0;
    for (size_t i = 0; i < m; i++)
        s += v[i];
    return s / (double)m;
}

/* The sample variance of (a - b) over m pairs: S_aa + S_bb - 2 S_ab. */
static double variance_of_difference(const double *a, const double *b, size_t m)
{
    double ma = mean_of(a, m), mb = mean_of(b, m), s = 0.0;
    for (size_t i = 0; i < m; i++) {
        double d = (a[i] - ma) - (b[i] - mb);
        s += d * d;
    }
    return s / (double)(m - 1);
}

ph_status ph_metric_auc_delong(const ph_ctx *ctx, const double *champion_pd,
                               const double *challenger_pd, const uint8_t *bad, size_t n,
                               ph_auc_comparison *out, ph_error *err)
{
    if (ctx == NULL || champion_pd == NULL || challenger_pd == NULL || bad == NULL ||
        out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_metric_auc_delong: NULL argument");
    ph_status st = check_inputs(champion_pd, challenger_pd, bad, n, err);
    if (st != PH_OK)
        return st;
    size_t bads = 0;
    for (size_t i = 0; i < n; i++)
        bads += bad[i];
    st = gov_one_class("AUC", n, bads, err);
    if (st != PH_OK)
        return st;
    size_t goods = n - bads;
    if (n > SIZE_MAX / (5 * sizeof(double)))
        return no_memory(err);
    ranked *scratch = ph_malloc(ctx, n * sizeof(*scratch));
    /* work (3n), then v10 and v01 of each model (2n) */
    double *work = ph_malloc(ctx, 5 * n * sizeof(double));
    if (scratch == NULL || work == NULL) {
        ph_free(ctx, scratch);
        ph_free(ctx, work);
        return no_memory(err);
    }
    double *v10a = work + 3 * n, *v01a = v10a + bads;
    double *v10b = v01a + goods, *v01b = v10b + bads;
    components(champion_pd, bad, n, bads, scratch, work, v10a, v01a);
    components(challenger_pd, bad, n, bads, scratch, work, v10b, v01b);
    out->champion = mean_of(v10a, bads);
    out->challenger = mean_of(v10b, bads);
    out->difference = out->challenger - out->champion;
    out->se = out->z = out->p_value = NAN;
    if (bads >= 2 && goods >= 2) {
        double var = variance_of_difference(v10b, v10a, bads) / (double)bads +
                     variance_of_difference(v01b, v01a, goods) / (double)goods;
        out->se = sqrt(var > 0.0 ? var : 0.0);
    }
    if (out->se > 0.0) {
        out->z = out->difference / out->se;
        out->p_value = erfc(fabs(out->z) / sqrt(2.0));
    }
    ph_free(ctx, scratch);
    ph_free(ctx, work);
    return PH_OK;
}

/* ---- from two models and a dataset --------------------------------------------- */

void ph_model_comparison_free(ph_model_comparison *c)
{
    if (c == NULL)
        return;
    ph_model_report_free(c->champion);
    ph_model_report_free(c->challenger);
    ph_free(c->ctx, c->swaps);
    ph_free(c->ctx, c);
}

/* One model's report, keeping its scores in *s for the pair's measures. A
 * failure says which of the two models it was. */
static ph_status one_side(const char *role, const ph_model *model, const ph_dataset *ds,
                          const ph_report_options *opts, gov_run_state *s,
                          ph_model_report **out, ph_error *err)
{
    ph_status st = gov_report_prepare(s, model, ds, opts, err);
    if (st == PH_OK)
        st = ph_model_report_from_scores(s->ctx, &s->scores, opts, out, err);
    if (st != PH_OK && err != NULL) {
        /* cut to fit: the prefix matters more than the end of a long message */
        char message[sizeof(err->message)];
        int len = snprintf(message, sizeof(message), "%s %s: ", role, ph_model_source(model));
        if (len > 0 && (size_t)len < sizeof(message)) {
            size_t room = sizeof(message) - (size_t)len - 1, have = strlen(err->message);
            memcpy(message + len, err->message, have < room ? have : room);
            message[(size_t)len + (have < room ? have : room)] = '\0';
            memcpy(err->message, message, sizeof(message));
        }
    }
    return st;
}

ph_status ph_model_compare_run(const ph_model *champion, const ph_model *challenger,
                               const ph_dataset *ds, const ph_report_options *opts,
                               const double *rates, size_t n_rates, ph_model_comparison **out,
                               ph_error *err)
{
    static const double default_rates[] = PH_SWAP_DEFAULT_RATES;
    if (champion == NULL || challenger == NULL || ds == NULL || opts == NULL ||
        opts->target == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_compare_run: models, ds, opts, opts->target and out must "
                            "not be NULL");
    if (rates == NULL) {
        rates = default_rates;
        n_rates = PH_SWAP_DEFAULT_RATE_COUNT;
    }
    const ph_ctx *ctx = ph_dataset_ctx(ds);
    ph_model_comparison *c = ph_calloc(ctx, 1, sizeof(*c));
    if (c == NULL)
        return no_memory(err);
    c->ctx = ctx;
    gov_run_state a, b;
    memset(&b, 0, sizeof(b));
    b.ctx = ctx; /* freed below even when the champion fails first */
    ph_status st = one_side("champion", champion, ds, opts, &a, &c->champion, err);
    if (st == PH_OK)
        st = one_side("challenger", challenger, ds, opts, &b, &c->challenger, err);
    if (st == PH_OK)
        st = ph_metric_auc_delong(ctx, a.pd, b.pd, a.bad, a.scores.rows, &c->auc, err);
    if (st == PH_OK && !(c->swaps = ph_calloc(ctx, n_rates ? n_rates : 1, sizeof(*c->swaps))))
        st = no_memory(err);
    if (st == PH_OK)
        st = ph_swap_sets(ctx, a.pd, b.pd, a.bad, a.scores.rows, rates, n_rates, c->swaps, err);
    c->n_swaps = st == PH_OK ? n_rates : 0;
    gov_run_state_free(&a);
    gov_run_state_free(&b);
    if (st != PH_OK) {
        ph_model_comparison_free(c);
        return st;
    }
    *out = c;
    return PH_OK;
}
