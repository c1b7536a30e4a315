/*
 * The province runs forward (docs/loans.md#the-province-runs-forward): the
 * firms of a synthetic province accept their best offers, pay by their
 * latent health, stop paying when they default, and the close of business
 * runs every day. The firms' behaviour comes from the generator's truth/
 * (health and true PD at each month end, default dates); the book only ever
 * sees the events the firms make, through the loan book's public calls.
 *
 * Every draw is a pure function of (seed, firm, purpose, index), so the run
 * does not depend on the order loans are visited in.
 */
#include "loan_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/market.h"
#include "puhui/simulate.h"

/* How a firm pays, by its true 12-month PD at the month end before (a
 * distressed firm is at least in the third band): data, not logic. Healthy
 * firms pay on the due date; weaker ones a few days late; the weakest pay
 * part of some instalments and catch up a month later. The bands are the
 * tuning knobs of the simulator, never of the book's rules. */
static const struct pay_band {
    double max_pd;       /* the band holds pd < max_pd */
    int late_min, late_max;  /* days after the due date */
    int partial_pct;     /* chance in 100 that an instalment is paid only in part */
    int share_min, share_max; /* the part paid, percent */
} PAY_BANDS[] = {
    {0.01, 0, 0, 0, 0, 0},
    {0.05, 1, 6, 0, 0, 0},
    {0.20, 2, 20, 20, 50, 90},
    {2.00, 5, 40, 40, 40, 80},
};
#define PAY_BAND_COUNT (sizeof(PAY_BANDS) / sizeof(PAY_BANDS[0]))
#define DISTRESS_BAND 2
#define CATCH_UP_DAYS 30      /* a partial payment's rest is paid this much later */
/* The generator dates a default 90 days after the first uncured miss
 * (src/gen/dynamics.c): the firm stops paying that many days before. */
#define MISS_TO_DEFAULT_DAYS 90
/* Renewals: firms in the first bands roll their credit over once the
 * loan has been on the book this long (the product's rule decides). */
#define RENEW_MAX_BAND 1
#define RENEW_AFTER_MONTHS 6
#define RENEW_TOKEN 100       /* fen prepaid with the accrued interest before a renewal */
/* Lines: the share of the limit a firm draws, by band. */
static const int DRAW_PCT[PAY_BAND_COUNT] = {50, 65, 80, 95};

/* Draw purposes, so that draws for different things never coincide. */
enum { DRAW_MISS = 1, DRAW_MISS_DAY, DRAW_LATE, DRAW_PARTIAL, DRAW_SHARE };

static uint64_t mix64(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

static uint64_t firm_key(const char *uscc)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *p = uscc; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    return h;
}

/* A uniform draw in [0, 1) for (seed, firm, purpose, index). */
static double draw(uint64_t seed, uint64_t firm, int purpose, int64_t index)
{
    uint64_t x = mix64(seed ^ mix64(firm ^ mix64((uint64_t)purpose * 1000003u + (uint64_t)index)));
    return (double)(x >> 11) * (1.0 / 9007199254740992.0);
}

static int draw_int(uint64_t seed, uint64_t firm, int purpose, int64_t index, int lo, int hi)
{
    return lo + (int)(draw(seed, firm, purpose, index) * (double)(hi - lo + 1));
}

/* ---- the firms and their truth ------------------------------------------------------------- */

#define SIM_MAX_MONTHS 120

typedef struct sim_firm {
    char uscc[19];
    uint64_t key;
    double pd[SIM_MAX_MONTHS + 1]; /* pd at the end of month from-1+i; < 0 unknown */
    int distress[SIM_MAX_MONTHS + 1];
    ph_date truth_default;         /* truth/defaults.csv; 0 = none */
    ph_date stop_on;               /* stops paying from this day; 0 = never in the run */
    int counted_stop;
} sim_firm;

typedef struct sim_loan {
    char uscc[19];
    int64_t id;
    size_t firm;
    ph_date accept_on;
    int64_t decision_id;
    int booked;
    ph_date pay_on;                /* the next payment planned; 0 = none */
    int pay_pct;                   /* 100 = everything owed */
    int64_t instalments_seen;      /* instalments planned for, for the draws' index */
    int32_t billed_seen;           /* instalments billed when last looked at */
    int drawn;                     /* a line was drawn on */
    int done;                      /* closed: nothing more to do */
    int no_renew;                  /* a renewal was refused: the firm repays as agreed */
} sim_loan;

typedef struct sim {
    ph_store *store;
    const ph_ctx *ctx;
    const ph_simulate_opts *o;
    sim_firm *firms;
    size_t n_firms, cap_firms;
    sim_loan *loans;
    size_t n_loans, cap_loans;
    int64_t last_app;
    int64_t *decisions;            /* every offer listed, with its loan index in owner */
    size_t *owner;
    size_t n_decisions, cap_decisions, cap_owner;
    ph_simulate_report *rep;
    ph_date window_first, window_last;
} sim;

static int firm_cmp(const void *a, const void *b)
{
    return strcmp(((const sim_firm *)a)->uscc, ((const sim_firm *)b)->uscc);
}

static sim_firm *firm_find(sim *S, const char *uscc)
{
    sim_firm k;
    size_t n = strlen(uscc);
    if (n != sizeof(k.uscc) - 1)
        return NULL; /* not a USCC: no firm of ours */
    memcpy(k.uscc, uscc, n + 1);
    return bsearch(&k, S->firms, S->n_firms, sizeof(sim_firm), firm_cmp);
}

static ph_status grow(const ph_ctx *ctx, void **p, size_t *cap, size_t need, size_t size,
                      ph_error *err)
{
    if (need <= *cap)
        return PH_OK;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = ph_realloc(ctx, *p, n * size);
    if (q == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    *p = q;
    *cap = n;
    return PH_OK;
}

/* The best offer of each application: the first the market lists. Every
 * offer is remembered, so an application with any offer accepted already
 * (by the firm itself, or an earlier run) is left alone. */
static int on_offer(const ph_market_offer_ref *o, void *user)
{
    sim *S = user;
    if (o->application_id != S->last_app) {
        S->last_app = o->application_id;
        if (grow(S->ctx, (void **)&S->loans, &S->cap_loans, S->n_loans + 1, sizeof(sim_loan),
                 NULL) != PH_OK)
            return 1;
        sim_loan *l = &S->loans[S->n_loans++];
        memset(l, 0, sizeof(*l));
        l->decision_id = o->decision_id;
        l->accept_on = o->asof;
        snprintf(l->uscc, sizeof(l->uscc), "%s", o->uscc);
    }
    if (grow(S->ctx, (void **)&S->decisions, &S->cap_decisions, S->n_decisions + 1,
             sizeof(int64_t), NULL) != PH_OK ||
        grow(S->ctx, (void **)&S->owner, &S->cap_owner, S->n_decisions + 1, sizeof(size_t),
             NULL) != PH_OK)
        return 1;
    S->decisions[S->n_decisions] = o->decision_id;
    S->owner[S->n_decisions++] = S->n_loans - 1;
    return 0;
}

static ph_status truth_open(const char *dir, const char *name, FILE **out, char *path,
                            size_t size, ph_error *err)
{
    snprintf(path, size, "%s/truth/%s", dir, name);
    *out = fopen(path, "r");
    if (*out == NULL)
        return ph_error_set(err, PH_EIO, "province", path,
                            "cannot read the province's truth file: %s (expected a directory "
                            "written by puhui gen)",
                            strerror(errno));
    return PH_OK;
}

static ph_status truth_bad(ph_error *err, const char *path, long line, const char *what)
{
    char where[640];
    snprintf(where, sizeof(where), "%.600s:%ld", path, line);
    return ph_error_set(err, PH_EINVAL, "province", where, "%s", what);
}

/* truth/pd.csv: uscc,month,pd_12m,health,regime */
static ph_status read_pd(sim *S, ph_error *err)
{
    char path[600], line[256];
    FILE *fp;
    ph_status st = truth_open(S->o->province, "pd.csv", &fp, path, sizeof(path), err);
    long n = 0;
    while (st == PH_OK && fgets(line, sizeof(line), fp) != NULL) {
        if (++n == 1)
            continue;
        char *f[5] = {line, NULL, NULL, NULL, NULL};
        int k = 1;
        for (char *p = line; *p && k < 5; p++)
            if (*p == ',') {
                *p = '\0';
                f[k++] = p + 1;
            }
        if (k < 5) {
            st = truth_bad(err, path, n, "expected uscc,month,pd_12m,health,regime");
            break;
        }
        sim_firm *firm = firm_find(S, f[0]);
        if (firm == NULL)
            continue;
        ph_month m;
        if (ph_month_parse(f[1], strlen(f[1]), &m, NULL) != PH_OK) {
            st = truth_bad(err, path, n, "expected a month YYYY-MM in column month");
            break;
        }
        int64_t i = (int64_t)m - (int64_t)(S->o->from - 1);
        if (i < 0 || i > S->o->months)
            continue;
        char *end;
        double pd = strtod(f[2], &end);
        if (end == f[2] || pd < 0 || pd > 1) {
            st = truth_bad(err, path, n, "expected a probability 0 to 1 in column pd_12m");
            break;
        }
        firm->pd[i] = pd;
        firm->distress[i] = strncmp(f[4], "distress", 8) == 0;
    }
    if (fp != NULL)
        fclose(fp);
    return st;
}

/* truth/defaults.csv: uscc,default_date,had_loan */
static ph_status read_defaults(sim *S, ph_error *err)
{
    char path[600], line[256];
    FILE *fp;
    ph_status st = truth_open(S->o->province, "defaults.csv", &fp, path, sizeof(path), err);
    long n = 0;
    while (st == PH_OK && fgets(line, sizeof(line), fp) != NULL) {
        if (++n == 1)
            continue;
        char *comma = strchr(line, ',');
        if (comma == NULL || strlen(comma + 1) < 10) {
            st = truth_bad(err, path, n, "expected uscc,default_date,had_loan");
            break;
        }
        *comma = '\0';
        sim_firm *firm = firm_find(S, line);
        if (firm == NULL)
            continue;
        if (ph_date_parse(comma + 1, 10, &firm->truth_default, NULL) != PH_OK) {
            st = truth_bad(err, path, n, "expected a date YYYY-MM-DD in column default_date");
            break;
        }
    }
    if (fp != NULL)
        fclose(fp);
    return st;
}

/* The firm's PD and regime at the end of the month before `d` (the latest
 * known when the truth ends earlier). */
static double firm_pd(const sim *S, const sim_firm *f, ph_date d, int *distress)
{
    int64_t i = (int64_t)ph_month_of(d) - (int64_t)(S->o->from - 1) - 1;
    if (i > S->o->months)
        i = S->o->months;
    for (; i >= 0; i--)
        if (f->pd[i] >= 0) {
            *distress = f->distress[i];
            return f->pd[i];
        }
    for (i = 0; i <= S->o->months; i++)
        if (f->pd[i] >= 0) {
            *distress = f->distress[i];
            return f->pd[i];
        }
    *distress = 0;
    return 0.0;
}

static const struct pay_band *firm_band(const sim *S, const sim_firm *f, ph_date d, size_t *index)
{
    int distress = 0;
    double pd = firm_pd(S, f, d, &distress);
    size_t b = 0;
    while (b + 1 < PAY_BAND_COUNT && pd >= PAY_BANDS[b].max_pd)
        b++;
    if (distress && b < DISTRESS_BAND)
        b = DISTRESS_BAND;
    if (index != NULL)
        *index = b;
    return &PAY_BANDS[b];
}

/* When the firm stops paying: the truth's default date less 90 days when it
 * falls before the window ends; else a miss drawn month by month with the
 * hazard the true 12-month PD implies, 1 - (1 - pd)^(1/12). */
static ph_status plan_default(sim *S, sim_firm *f, ph_error *err)
{
    f->key = firm_key(f->uscc);
    if (f->truth_default != 0 && f->truth_default <= S->window_last) {
        S->rep->firms_truth_default++;
        return ph_date_add_days(f->truth_default, -MISS_TO_DEFAULT_DAYS, &f->stop_on, err);
    }
    for (int32_t i = 0; i < S->o->months; i++) {
        ph_date first = 0;
        ph_status st = ph_month_first_day(S->o->from + i, &first, err);
        if (st != PH_OK)
            return st;
        int distress = 0;
        double pd = firm_pd(S, f, first, &distress);
        double hazard = 1.0 - pow(1.0 - (pd < 1.0 ? pd : 1.0), 1.0 / 12.0);
        if (draw(S->o->seed, f->key, DRAW_MISS, i) < hazard) {
            int y, m, dd;
            st = ph_date_to_ymd(first, &y, &m, &dd, err);
            if (st != PH_OK)
                return st;
            S->rep->firms_drawn_default++;
            int day = draw_int(S->o->seed, f->key, DRAW_MISS_DAY, i, 0, ph_days_in_month(y, m) - 1);
            return ph_date_add_days(first, day, &f->stop_on, err);
        }
    }
    return PH_OK;
}

/* ---- the offers and the firms -------------------------------------------------------------- */

static ph_status mark_accepted(sim *S, ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(S->store, "SELECT 1 FROM loan WHERE decision_id = ?", &s, err);
    for (size_t i = 0; st == PH_OK && i < S->n_decisions; i++) {
        st = ph_stmt_bind_int64(s, 1, S->decisions[i], err);
        if (st == PH_OK)
            st = ph_stmt_step(s, err);
        if (st == PH_OK)
            S->loans[S->owner[i]].done = 1;
        if (st == PH_OK || st == PH_DONE)
            st = ph_stmt_reset(s, err);
    }
    ph_stmt_free(s);
    return st;
}

static int loan_cmp(const void *a, const void *b)
{
    const sim_loan *x = a, *y = b;
    if (x->accept_on != y->accept_on)
        return x->accept_on < y->accept_on ? -1 : 1;
    return x->decision_id < y->decision_id ? -1 : x->decision_id > y->decision_id;
}

/* The borrowers, one each, sorted; each loan points at its firm. */
static ph_status gather_firms(sim *S, ph_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < S->n_loans; i++)
        if (!S->loans[i].done)
            n++;
    S->firms = ph_calloc(S->ctx, n ? n : 1, sizeof(sim_firm));
    if (S->firms == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < S->n_loans; i++)
        if (!S->loans[i].done)
            snprintf(S->firms[S->n_firms++].uscc, sizeof(S->firms[0].uscc), "%s",
                     S->loans[i].uscc);
    qsort(S->firms, S->n_firms, sizeof(sim_firm), firm_cmp);
    size_t u = 0;
    for (size_t i = 0; i < S->n_firms; i++)
        if (u == 0 || strcmp(S->firms[u - 1].uscc, S->firms[i].uscc) != 0)
            S->firms[u++] = S->firms[i];
    S->n_firms = u;
    for (size_t i = 0; i < S->n_firms; i++)
        for (int32_t m = 0; m <= SIM_MAX_MONTHS; m++)
            S->firms[i].pd[m] = -1.0;
    for (size_t i = 0; i < S->n_loans; i++)
        if (!S->loans[i].done)
            S->loans[i].firm = (size_t)(firm_find(S, S->loans[i].uscc) - S->firms);
    S->rep->firms = (int64_t)S->n_firms;
    return PH_OK;
}

/* ---- a day of the firms -------------------------------------------------------------------- */

/* What the loan owes after the last COB (a repayment pays what is billed:
 * an instalment falls due at the close of its due date), and how many
 * instalments have been billed. */
static ph_status owed_now(sim *S, int64_t id, ph_money *owed, int32_t *billed, int *active,
                          ph_error *err)
{
    loan_row r;
    ph_status st = loan_row_read(S->store, id, &r, err);
    if (st != PH_OK)
        return st;
    *active = r.status == LOAN_ACTIVE;
    *billed = r.s.next_k;
    ph_money b[PH_BUCKET_COUNT];
    loan_owed(&r, b);
    *owed = 0;
    for (int i = 0; i < PH_BUCKET_COUNT; i++)
        *owed += b[i];
    return PH_OK;
}

static ph_status accept(sim *S, sim_loan *l, ph_error *err)
{
    ph_loan_accept_opts a = {l->accept_on, 0};
    ph_error e;
    ph_status st = ph_loan_accept(S->store, l->decision_id, &a, &l->id, &e);
    if (st == PH_EINVAL || st == PH_EEXISTS) {
        S->rep->refused++;
        l->done = 1;
        return PH_OK;
    }
    if (st != PH_OK) {
        if (err != NULL)
            *err = e;
        return st;
    }
    l->booked = 1;
    S->rep->accepted++;
    return PH_OK;
}

/* Plan the payment of an instalment billed at the last close, by the firm's band. */
static void plan(sim *S, sim_loan *l, const sim_firm *f, ph_date due)
{
    const struct pay_band *b = firm_band(S, f, due, NULL);
    int64_t i = l->id * 1000 + l->instalments_seen++;
    int late = b->late_max > 0 ? draw_int(S->o->seed, f->key, DRAW_LATE, i, b->late_min, b->late_max)
                               : 0;
    int pct = 100;
    if (b->partial_pct > 0 && draw(S->o->seed, f->key, DRAW_PARTIAL, i) * 100.0 < b->partial_pct)
        pct = draw_int(S->o->seed, f->key, DRAW_SHARE, i, b->share_min, b->share_max);
    if (pct < 100)
        S->rep->partial++;
    else if (late > 0)
        S->rep->late++;
    else
        S->rep->on_time++;
    ph_date on = due + late;
    if (l->pay_on != 0 && l->pay_on <= on) {
        l->pay_pct = 100; /* a catch-up pending pays everything then */
        return;
    }
    l->pay_on = on;
    l->pay_pct = pct;
}

/* A firm in good health rolls its credit over (无还本续贷) as soon as the
 * product's renewal rule allows it: it pays the interest accrued to the day
 * with a token prepayment (a renewal needs nothing owed), then renews the
 * principal for the loan's original term. The rule is the book's: when it
 * does not hold, the firm simply goes on repaying. */
static ph_status maybe_renew(sim *S, sim_loan *l, const sim_firm *f, ph_date d, ph_error *err)
{
    size_t band = 0;
    (void)firm_band(S, f, d, &band);
    if (band > RENEW_MAX_BAND)
        return PH_OK;
    ph_loan_info info;
    ph_status st = ph_loan_get(S->store, l->id, &info, err);
    if (st != PH_OK)
        return st;
    int64_t term = info.term;
    int line = strcmp(info.method, "revolving") == 0;
    int young = ph_months_between(info.booked_on, d) < RENEW_AFTER_MONTHS;
    ph_money accrued = info.state.interest_receivable + info.state.interest_due +
                       info.state.penalty + info.fee_receivable + info.state.principal_due;
    ph_money principal = info.state.principal;
    ph_loan_info_free(S->ctx, &info);
    if (line || young || l->no_renew || principal <= RENEW_TOKEN * 2)
        return PH_OK;
    st = ph_loan_prepay(S->store, l->id, d, accrued + RENEW_TOKEN, 0, NULL, err);
    if (st != PH_OK)
        return st;
    int64_t renewed = 0;
    ph_error e;
    st = ph_loan_renew(S->store, l->id, d, term, &renewed, &e);
    if (st == PH_EINVAL) {
        l->no_renew = 1; /* the product's rule says no: the firm repays as agreed */
        return PH_OK;
    }
    if (st != PH_OK) {
        if (err != NULL)
            *err = e;
        return st;
    }
    S->rep->renewals++;
    l->id = renewed;
    l->billed_seen = 0;
    return PH_OK;
}

static ph_status firm_day(sim *S, sim_loan *l, ph_date d, ph_error *err)
{
    sim_firm *f = &S->firms[l->firm];
    if (f->stop_on != 0 && d >= f->stop_on) {
        if (!f->counted_stop) {
            f->counted_stop = 1;
            S->rep->stopped++;
        }
        return PH_OK;
    }
    ph_money owed = 0;
    int32_t billed = 0;
    int active = 0;
    ph_status st = owed_now(S, l->id, &owed, &billed, &active, err);
    if (st != PH_OK)
        return st;
    if (!active) {
        l->done = 1;
        return PH_OK;
    }
    if (!l->drawn) {
        l->drawn = 1;
        ph_loan_info info;
        st = ph_loan_get(S->store, l->id, &info, err);
        if (st != PH_OK)
            return st;
        int line = strcmp(info.method, "revolving") == 0;
        ph_money limit = info.amount;
        ph_loan_info_free(S->ctx, &info);
        if (line) {
            size_t band = 0;
            (void)firm_band(S, f, d, &band);
            st = ph_loan_draw(S->store, l->id, d, limit / 100 * DRAW_PCT[band], err);
            if (st != PH_OK)
                return st;
            S->rep->draws++;
        }
    }
    if (l->pay_on != 0 && l->pay_on < d)
        l->pay_on = 0; /* a plan overtaken (nothing was owed that day) */
    /* An instalment billed at yesterday's close: paid this morning on time
     * (it never shows a day past due), or later by the firm's band. */
    if (billed > l->billed_seen) {
        l->billed_seen = billed;
        plan(S, l, f, d);
    }
    if (l->pay_on != d)
        return PH_OK;
    if (owed <= 0) {
        l->pay_on = 0;
        return PH_OK;
    }
    ph_money amount = l->pay_pct >= 100 ? owed : owed / 100 * l->pay_pct;
    int partial = l->pay_pct < 100;
    l->pay_on = partial ? d + CATCH_UP_DAYS : 0;
    l->pay_pct = 100;
    if (amount <= 0)
        return PH_OK;
    ph_loan_payment p;
    st = ph_loan_repay(S->store, l->id, d, amount, &p, err);
    if (st != PH_OK)
        return st;
    S->rep->payments++;
    if (p.closed)
        l->done = 1;
    else if (!partial)
        st = maybe_renew(S, l, f, d, err);
    return st;
}

static void add_cob(ph_cob_report *sum, const ph_cob_report *r)
{
    if (r->days == 0)
        return;
    if (sum->days == 0)
        sum->from = r->from;
    sum->to = r->to;
    sum->days += r->days;
    sum->loan_days += r->loan_days;
    sum->interest += r->interest;
    sum->penalty += r->penalty;
    sum->fees += r->fees;
    sum->subsidy += r->subsidy;
    sum->provision_change += r->provision_change;
    sum->defaulted += r->defaulted;
    sum->defaults += r->defaults;
    sum->entries += r->entries;
}

static ph_status run(sim *S, ph_error *err)
{
    const ph_simulate_opts *o = S->o;
    ph_status st = ph_month_first_day(o->from, &S->window_first, err);
    ph_month last_month = 0;
    if (st == PH_OK)
        st = ph_month_add(o->from, o->months - 1, &last_month, err);
    if (st == PH_OK)
        st = ph_month_last_day(last_month, &S->window_last, err);
    ph_date last_cob = 0;
    if (st == PH_OK)
        st = ph_cob_last_day(S->store, &last_cob, err);
    if (st != PH_OK)
        return st;
    if (last_cob >= S->window_first) {
        char v[16], c[16];
        ph_month_format(o->from, v, sizeof(v), NULL);
        ph_date_format(last_cob, c, sizeof(c), NULL);
        return ph_error_set(err, PH_EINVAL, "from", v,
                            "the book is closed through %s already: expected a month after it",
                            c);
    }
    ph_date since = 0;
    st = ph_date_add_days(S->window_first, -366, &since, err);
    S->last_app = 0;
    if (st == PH_OK)
        st = ph_market_offers_list(S->store, since, S->window_last, on_offer, S, err);
    if (st == PH_OK && S->n_loans > 0 && (S->n_decisions == 0 || S->owner == NULL))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = mark_accepted(S, err);
    S->rep->applications = (int64_t)S->n_loans;
    if (st == PH_OK)
        st = gather_firms(S, err);
    if (st == PH_OK)
        st = read_pd(S, err);
    if (st == PH_OK)
        st = read_defaults(S, err);
    for (size_t i = 0; st == PH_OK && i < S->n_firms; i++)
        st = plan_default(S, &S->firms[i], err);
    if (st != PH_OK)
        return st;
    ph_date day0 = S->window_first;
    for (size_t i = 0; i < S->n_loans; i++) {
        sim_loan *l = &S->loans[i];
        if (l->accept_on <= last_cob)
            l->accept_on = last_cob + 1;
        if (!l->done && l->accept_on < day0)
            day0 = l->accept_on;
    }
    qsort(S->loans, S->n_loans, sizeof(sim_loan), loan_cmp);
    S->rep->first_day = day0;
    S->rep->last_day = S->window_last;
    int64_t total = ph_date_diff_days(day0, S->window_last) + 1;
    size_t next = 0;
    for (ph_date d = day0; st == PH_OK && d <= S->window_last; d++) {
        for (; st == PH_OK && next < S->n_loans && S->loans[next].accept_on <= d; next++)
            if (!S->loans[next].done)
                st = accept(S, &S->loans[next], err);
        for (size_t i = 0; st == PH_OK && i < next; i++)
            if (S->loans[i].booked && !S->loans[i].done)
                st = firm_day(S, &S->loans[i], d, err);
        ph_cob_report r;
        memset(&r, 0, sizeof(r));
        if (st == PH_OK)
            st = ph_cob_through(S->store, d, o->rules, NULL, NULL, &r, err);
        if (st == PH_OK)
            add_cob(&S->rep->cob, &r);
        if (st == PH_OK && o->progress != NULL)
            o->progress(o->user, d, ph_date_diff_days(day0, d) + 1, total);
    }
    return st;
}

ph_status ph_simulate_run(ph_store *store, const ph_simulate_opts *opts, ph_simulate_report *out,
                          ph_error *err)
{
    if (store == NULL || opts == NULL || out == NULL || opts->province == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_simulate_run: NULL argument");
    if (opts->months < 1 || opts->months > SIM_MAX_MONTHS) {
        char v[24];
        snprintf(v, sizeof(v), "%d", (int)opts->months);
        return ph_error_set(err, PH_EINVAL, "months", v, "expected 1 to %d months",
                            SIM_MAX_MONTHS);
    }
    if (!ph_month_is_valid(opts->from))
        return ph_error_set(err, PH_EINVAL, "from", NULL, "expected a valid month");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    if (st != PH_OK)
        return st;
    ph_simulate_report rep;
    memset(&rep, 0, sizeof(rep));
    sim S;
    memset(&S, 0, sizeof(S));
    S.store = store;
    S.ctx = ph_store_ctx(store);
    S.o = opts;
    S.rep = &rep;
    st = run(&S, err);
    ph_free(S.ctx, S.firms);
    ph_free(S.ctx, S.loans);
    ph_free(S.ctx, S.decisions);
    ph_free(S.ctx, S.owner);
    *out = rep;
    return st;
}
