/*
 * puhui gen — how firms live and die: the latent process behind the feeds,
 * and the exact 12-month probability of default it implies.
 *
 * Each firm has a latent health x(t) = u(t) + S_k(t):
 *   S_k(t)  systemic: beta_k * macro(t) + industry_k(t) + seasonality; both
 *           factors are AR(1) paths drawn once per run (the scenario adds a
 *           downturn and a sector shock), so they are a known path of the
 *           sandbox, as a stress-test scenario is;
 *   u(t)    the firm's own random walk: u += drift(regime) + sigma * e,
 *           with a hidden regime, normal or distress (a lost customer, a
 *           failed project), entered with a small monthly probability and left
 *           with another; in distress the firm slides.
 * Each month a firm that has not yet missed a payment misses one with
 * probability Phi(a - b x) (probit hazard; a by county tier and firm age).
 * The first uncured miss becomes a default 90 days later: the default date
 * is the first day 90+ days past due. The observable feeds follow u with
 * noise and lags (emit_*.c), so distress shows in the data before a default.
 *
 * Ground truth: at each month end the probability that the default date
 * falls within the next 12 months, given the firm's u and regime and the
 * systemic path. It is computed by backward induction over a health grid
 * (convolution with the shock density, both regimes, the voluntary-closure
 * competing risk, and the exact share of each month's miss days whose
 * 90th day falls inside the horizon), so it is the process's own
 * probability up to the grid's interpolation error.
 */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "gen/gen_internal.h"

/* The model's parameters: calibration data, not logic. Annual default rate
 * 1.5-3% overall, higher in weak counties, young firms and volatile
 * industries (docs/domain.md#loans, docs/domain.md#calibration-figures). */
static const struct gen_model {
    double intercept[4];        /* probit hazard intercept by county tier (1..3) */
    double young_shift;         /* added for firms under 3 years old */
    double slope;               /* hazard sensitivity to health */
    double sigma[3];            /* monthly idiosyncratic sd by volatility tier */
    double onset[3];            /* monthly probability of distress by volatility tier */
    double onset_tier[4];       /* multiplier on onset by county tier */
    double recovery;            /* monthly probability of leaving distress */
    double distress_drift;      /* health change per month in distress */
    double miss_drop;           /* health lost when a payment is missed */
    double closure;             /* voluntary closures per month (healthy exits) */
    double macro_phi, macro_sd;
    double industry_phi, industry_sd[3];
    double season_health;       /* how much the season moves health */
    double activity_theta;      /* activity = exp(theta * (u - u0) + theta_s * S) */
    double activity_systemic;
    /* stress scenario: macro falls by stress_depth over stress_ramp months
     * from stress_start (a share of the window), holds, then recovers; one
     * sector falls by a further sector_depth */
    double stress_start_share, stress_depth, sector_depth;
    int stress_ramp, stress_hold, stress_recover;
    char stress_sector;
} model = {
    .intercept = {0.0, -3.84, -3.72, -3.52},
    .young_shift = 0.22,
    .slope = 0.85,
    .sigma = {0.07, 0.10, 0.14},
    .onset = {0.0025, 0.0038, 0.0055},
    .onset_tier = {1.0, 0.8, 1.0, 1.35},
    .recovery = 0.10,
    .distress_drift = -0.20,
    .miss_drop = 0.8,
    .closure = 0.0015,
    .macro_phi = 0.92,
    .macro_sd = 0.05,
    .industry_phi = 0.88,
    .industry_sd = {0.025, 0.04, 0.06},
    .season_health = 0.10,
    .activity_theta = 0.55,
    .activity_systemic = 0.35,
    .stress_start_share = 0.25,
    .stress_depth = 0.6,
    .sector_depth = 0.5,
    .stress_ramp = 6,
    .stress_hold = 6,
    .stress_recover = 12,
    .stress_sector = 'E',
};

/* The PD grid: u in [GRID_LO, GRID_LO + (GEN_PD_GRID - 1) * GRID_STEP]. */
#define GRID_LO (-7.0)
#define GRID_STEP 0.05
#define QUAD_N 41              /* shock quadrature nodes on [-5, 5] */
#define KERNEL_MAX 512

static double norm_cdf(double z)
{
    return 0.5 * erfc(-z * GEN_SQRT1_2);
}

/* Days in window month t (t may be negative: the burn-in). */
int gen_days_in_window_month(const gen_run *run, int t)
{
    ph_month m = run->start + t;
    return ph_days_in_month(m / 12, m % 12 + 1);
}

static ph_date month_first_day(const gen_run *run, int t)
{
    return run->month_first[t + GEN_LAG];
}

static int volatility(const gen_run *run, int industry)
{
    int v = run->industries[industry].volatility_tier;
    return v < 0 ? 0 : v > 2 ? 2 : v;
}

static int segment_of(const gen_firm *f)
{
    int young = (f->flags & GEN_FIRM_YOUNG) != 0;
    return ((int)f->industry * 3 + (f->tier - 1)) * 2 + young;
}

static double systemic(const gen_run *run, int industry, int t)
{
    return run->systemic[(size_t)industry * run->horizon + (size_t)(t + GEN_LAG)];
}

static double stress_shape(const gen_run *run, int t)
{
    int s = (int)(model.stress_start_share * run->months);
    if (t < s)
        return 0.0;
    int k = t - s;
    if (k < model.stress_ramp)
        return (double)(k + 1) / model.stress_ramp;
    k -= model.stress_ramp;
    if (k < model.stress_hold)
        return 1.0;
    k -= model.stress_hold;
    if (k < model.stress_recover)
        return 1.0 - (double)(k + 1) / model.stress_recover;
    return 0.0;
}

static void build_systemic(gen_run *run)
{
    int h = run->horizon;
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_MACRO, 0);
    double m = 0.0;
    for (int i = 0; i < h; i++) {
        m = model.macro_phi * m + model.macro_sd * gen_normal(&r);
        double shock = run->opt.scenario == PH_GEN_STRESS ? stress_shape(run, i - GEN_LAG) : 0.0;
        run->macro[i] = m - model.stress_depth * shock;
    }
    for (size_t k = 0; k < run->industry_count; k++) {
        const gen_industry *ind = &run->industries[k];
        gen_rng_init(&r, run->opt.seed, GEN_STREAM_MACRO, 1 + k);
        double f = 0.0, sd = model.industry_sd[volatility(run, (int)k)];
        for (int i = 0; i < h; i++) {
            f = model.industry_phi * f + sd * gen_normal(&r);
            ph_month month = run->start + (i - GEN_LAG);
            double season = ind->seasonality[month % 12] - 1.0;
            double v = ind->macro_beta * run->macro[i] + f + model.season_health * season;
            if (run->opt.scenario == PH_GEN_STRESS && ind->section == model.stress_sector)
                v -= model.sector_depth * stress_shape(run, i - GEN_LAG);
            run->systemic[k * (size_t)h + (size_t)i] = v;
        }
    }
}

/* --- the PD tables ------------------------------------------------------- */

typedef struct segment_params {
    int industry;
    double a;          /* hazard intercept */
    double sigma;
    double onset;
} segment_params;

static segment_params params_of(const gen_run *run, int seg)
{
    segment_params p;
    int young = seg % 2, tier = (seg / 2) % 3 + 1;
    p.industry = seg / 6;
    int v = volatility(run, p.industry);
    p.a = model.intercept[tier] + (young ? model.young_shift : 0.0);
    p.sigma = model.sigma[v];
    p.onset = model.onset[v] * model.onset_tier[tier];
    return p;
}

/* Monthly probability of a first miss for health x. */
static double hazard(double a, double x)
{
    return norm_cdf(a - model.slope * x);
}

/* Convolution kernel over grid offsets for u' = u + shift + sigma * e. */
static int make_kernel(double shift, double sigma, double *kernel, int *lo)
{
    double zw[QUAD_N], total = 0.0;
    for (int j = 0; j < QUAD_N; j++) {
        double z = -5.0 + 10.0 * j / (QUAD_N - 1);
        zw[j] = exp(-0.5 * z * z);
        total += zw[j];
    }
    double min_off = (shift - 5.0 * sigma) / GRID_STEP, max_off = (shift + 5.0 * sigma) / GRID_STEP;
    *lo = (int)floor(min_off);
    int width = (int)ceil(max_off) - *lo + 1;
    if (width > KERNEL_MAX)
        width = KERNEL_MAX;
    memset(kernel, 0, (size_t)width * sizeof(double));
    for (int j = 0; j < QUAD_N; j++) {
        double z = -5.0 + 10.0 * j / (QUAD_N - 1);
        double pos = (shift + sigma * z) / GRID_STEP - *lo;
        int i = (int)floor(pos);
        double frac = pos - i;
        if (i >= 0 && i < width)
            kernel[i] += zw[j] / total * (1.0 - frac);
        if (i + 1 >= 0 && i + 1 < width)
            kernel[i + 1] += zw[j] / total * frac;
    }
    return width;
}

static void convolve(const double *g, const double *kernel, int width, int lo, double *out)
{
    for (int i = 0; i < GEN_PD_GRID; i++) {
        double s = 0.0;
        for (int k = 0; k < width; k++) {
            int j = i + lo + k;
            j = j < 0 ? 0 : j >= GEN_PD_GRID ? GEN_PD_GRID - 1 : j;
            s += kernel[k] * g[j];
        }
        out[i] = s;
    }
}

/* Share of the days of window month tau whose miss turns 90 days past due
 * on or before `limit`. */
static double horizon_share(const gen_run *run, int tau, ph_date limit)
{
    int days = gen_days_in_window_month(run, tau), in = 0;
    ph_date first = month_first_day(run, tau);
    for (int d = 0; d < days; d++)
        if (first + d + 90 <= limit)
            in++;
    return (double)in / days;
}

static void pd_segment(const gen_run *run, int seg, float *table)
{
    segment_params p = params_of(run, seg);
    double kern[2][KERNEL_MAX];
    int lo[2], width[2];
    width[0] = make_kernel(0.0, p.sigma, kern[0], &lo[0]);
    width[1] = make_kernel(model.distress_drift, p.sigma, kern[1], &lo[1]);
    double trans[2][2] = {{1.0 - p.onset, p.onset}, {model.recovery, 1.0 - model.recovery}};
    double d[2][GEN_PD_GRID], g[GEN_PD_GRID], h[2][GEN_PD_GRID];

    for (int t = 0; t < run->months; t++) {
        /* the horizon: the last day of month t + 12 */
        ph_date limit = month_first_day(run, t + 13) - 1;
        double share[16]; /* by tau - t; only months t+1..t+10 can reach the horizon */
        int last = t + 1;
        share[1] = horizon_share(run, t + 1, limit);
        while (last + 1 < run->months + 12 && last - t < 15) {
            double w = horizon_share(run, last + 1, limit);
            if (w <= 0.0)
                break;
            share[++last - t] = w;
        }
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < GEN_PD_GRID; i++)
                d[r][i] = 0.0;
        for (int tau = last; tau > t; tau--) {
            double w = share[tau - t];
            double s = systemic(run, p.industry, tau);
            for (int r2 = 0; r2 < 2; r2++) {
                for (int i = 0; i < GEN_PD_GRID; i++) {
                    double u = GRID_LO + i * GRID_STEP;
                    double q = hazard(p.a, u + s);
                    g[i] = q * w + (1.0 - q) * (1.0 - model.closure) * d[r2][i];
                }
                convolve(g, kern[r2], width[r2], lo[r2], h[r2]);
            }
            for (int r = 0; r < 2; r++)
                for (int i = 0; i < GEN_PD_GRID; i++)
                    d[r][i] = trans[r][0] * h[0][i] + trans[r][1] * h[1][i];
        }
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < GEN_PD_GRID; i++)
                table[((size_t)t * 2 + r) * GEN_PD_GRID + i] = (float)d[r][i];
    }
}

static double pd_lookup(const gen_run *run, int seg, int t, int regime, double u)
{
    const float *row = run->pd_table
                       + (((size_t)seg * run->months + t) * 2 + regime) * GEN_PD_GRID;
    double pos = (u - GRID_LO) / GRID_STEP;
    if (pos <= 0.0)
        return row[0];
    if (pos >= GEN_PD_GRID - 1)
        return row[GEN_PD_GRID - 1];
    int i = (int)pos;
    double f = pos - i;
    return row[i] * (1.0 - f) + row[i + 1] * f;
}

/* The PD tables' segments are independent: threads take them in turn. */
typedef struct pd_jobs {
    const gen_run *run;
    pthread_mutex_t mu;
    size_t next;
} pd_jobs;

static void *pd_worker(void *arg)
{
    pd_jobs *jobs = arg;
    const gen_run *run = jobs->run;
    for (;;) {
        pthread_mutex_lock(&jobs->mu);
        size_t s = jobs->next++;
        pthread_mutex_unlock(&jobs->mu);
        if (s >= run->segment_count)
            return NULL;
        pd_segment(run, (int)s, run->pd_table + s * (size_t)run->months * 2 * GEN_PD_GRID);
    }
}

ph_status gen_dynamics_build(gen_run *run, int threads, ph_error *err)
{
    run->horizon = run->months + GEN_LAG + 13;
    run->segment_count = run->industry_count * 6;
    run->macro = ph_calloc(run->ctx, (size_t)run->horizon, sizeof(double));
    run->systemic = ph_calloc(run->ctx, run->industry_count * (size_t)run->horizon, sizeof(double));
    run->pd_table = ph_calloc(run->ctx, run->segment_count * (size_t)run->months * 2 * GEN_PD_GRID,
                              sizeof(float));
    if (!run->macro || !run->systemic || !run->pd_table)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the PD tables");
    build_systemic(run);
    /* a second of work at most, but serial before any firm: spread it */
    pd_jobs jobs = {.run = run, .next = 0};
    pthread_mutex_init(&jobs.mu, NULL);
    pthread_t tids[64];
    int started = 0;
    for (; started < threads - 1 && started < 64; started++)
        if (pthread_create(&tids[started], NULL, pd_worker, &jobs) != 0)
            break;
    pd_worker(&jobs); /* this thread too; alone when no thread could start */
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    pthread_mutex_destroy(&jobs.mu);
    return PH_OK;
}

void gen_dynamics_free(gen_run *run)
{
    ph_free(run->ctx, run->macro);
    ph_free(run->ctx, run->systemic);
    ph_free(run->ctx, run->pd_table);
    run->macro = run->systemic = NULL;
    run->pd_table = NULL;
}

/* --- one firm's life ------------------------------------------------------ */

static void set_status(gen_path *p, const gen_run *run, int status, ph_date when)
{
    if (when > run->window_last)
        return;
    p->status = status;
    p->status_date = when;
}

/* What happens to a firm after its default: many are flagged abnormal by
 * the market regulator, some are deregistered or have their licence revoked. */
static void after_default(gen_rng *r, const gen_run *run, gen_path *p)
{
    if (gen_chance(r, 0.5))
        set_status(p, run, GEN_STATUS_ABNORMAL, p->default_date + (ph_date)gen_below(r, 180));
    if (gen_chance(r, 0.2)) {
        int kind = gen_chance(r, 0.3) ? GEN_STATUS_REVOKED : GEN_STATUS_DEREGISTERED;
        set_status(p, run, kind, p->default_date + 120 + (ph_date)gen_below(r, 420));
    }
}

void gen_simulate_firm(const gen_run *run, const gen_firm *f, uint64_t index, gen_path *p)
{
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_HEALTH, index);
    int seg = segment_of(f);
    segment_params sp = params_of(run, seg);
    int months = run->months;

    p->first = 0;
    if (f->registered_on >= run->window_first)
        p->first = (int)(ph_month_of(f->registered_on) - run->start);
    p->end = months;
    p->miss_month = -1 - GEN_LAG;
    p->miss_date = p->default_date = 0;
    p->status = GEN_STATUS_ACTIVE;
    p->status_date = 0;
    p->status_month = months;

    int begin = f->registered_on >= run->window_first ? p->first : -GEN_LAG;
    int missed = 0, regime = 0, closed = 0;
    double u = f->base_health, u0 = f->base_health;
    for (int t = -GEN_LAG; t < months; t++) {
        int slot = t + GEN_LAG;
        if (t < begin || closed) {
            p->health[slot] = u + systemic(run, f->industry, t);
            p->activity[slot] = t < begin ? 0.0 : p->activity[slot > 0 ? slot - 1 : 0];
            if (t >= 0) {
                p->pd[t] = 0.0f;
                p->regime[t] = 0;
            }
            continue;
        }
        if (missed)
            regime = 1;
        else if (regime == 0)
            regime = gen_chance(&r, sp.onset);
        else
            regime = !gen_chance(&r, model.recovery);
        u += (regime ? model.distress_drift : 0.0) + sp.sigma * gen_normal(&r);
        double s = systemic(run, f->industry, t);
        if (!missed && gen_chance(&r, hazard(sp.a, u + s))) {
            missed = 1;
            p->miss_month = t;
            p->miss_date = month_first_day(run, t)
                           + (ph_date)gen_below(&r, (uint64_t)gen_days_in_window_month(run, t));
            p->default_date = p->miss_date + 90;
            u -= model.miss_drop;
            regime = 1;
        } else if (!missed && gen_chance(&r, model.closure)) {
            /* a healthy exit: the owner closes the firm */
            ph_date when = month_first_day(run, t)
                           + (ph_date)gen_below(&r, (uint64_t)gen_days_in_window_month(run, t));
            set_status(p, run, GEN_STATUS_DEREGISTERED, when);
            p->end = t + 1 > 0 ? t + 1 : 0;
            closed = 1;
        }
        p->health[slot] = u + s;
        p->activity[slot] = exp(model.activity_theta * (u - u0) + model.activity_systemic * s);
        if (t >= 0) {
            p->regime[t] = (uint8_t)regime;
            p->pd[t] = missed ? 1.0f : (float)pd_lookup(run, seg, t, regime, u);
        }
    }

    gen_rng sr;
    gen_rng_init(&sr, run->opt.seed, GEN_STREAM_STATUS, index);
    if (missed && !closed)
        after_default(&sr, run, p);
    else if (!closed && gen_chance(&sr, 0.03)) {
        /* abnormal without a default: a missed annual report, an unreachable address */
        ph_date from = f->registered_on > run->window_first - 720 ? f->registered_on
                                                                   : run->window_first - 720;
        ph_date when = from + (ph_date)gen_below(&sr, (uint64_t)(run->window_last - from + 1));
        set_status(p, run, GEN_STATUS_ABNORMAL, when);
    }
    if (p->status == GEN_STATUS_DEREGISTERED || p->status == GEN_STATUS_REVOKED) {
        int m = (int)(ph_month_of(p->status_date) - run->start);
        p->status_month = m;
        if (m + 1 < p->end)
            p->end = m + 1 > 0 ? m + 1 : 0;
    } else if (p->status == GEN_STATUS_ABNORMAL) {
        int m = (int)(ph_month_of(p->status_date) - run->start);
        p->status_month = m < 0 ? 0 : m;
    }
}
