/*
 * The features of one firm at one as-of date, from its records
 * (features_internal.h). Every definition here is the one docs/features.md
 * states; the batch and the single-firm path both call fs_compute, so they
 * cannot disagree.
 */
#include <math.h>
#include <string.h>

#include "puhui/feed.h"

#include "features/features_internal.h"

/* Monthly windows hold 15 months ending at the source's last complete
 * month: index 14 is that month, 12..14 the last 3, 3..14 the last 12,
 * 9..11 the 3 before, 0..2 the same 3 months a year earlier. */
#define W 15
#define LAST3 12
#define LAST12 3
#define PREV3 9
#define YEAR_AGO 0

/* The feed each source's monthly window follows, for its lag. */
static const char *const SOURCE_FEED[FS_COUNT] = {
    [FS_VAT] = "vat_invoices",           [FS_TAX] = "tax_payments",
    [FS_SS] = "social_security",         [FS_PWR_DAILY] = "electricity_daily",
    [FS_PWR_MONTHLY] = "electricity_monthly", [FS_PAY] = "payments_daily",
    [FS_CS] = "credit_status",
};

ph_status fs_data_prepare(fs_data *data, ph_error *err)
{
    data->end = ph_calloc(data->ctx, data->nasof * FS_COUNT, sizeof(*data->end));
    if (data->end == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t j = 0; j < data->nasof; j++)
        for (int s = 0; s < FS_COUNT; s++) {
            const ph_feed *feed = SOURCE_FEED[s] ? ph_feed_find(SOURCE_FEED[s]) : NULL;
            /* month M is complete once its last day + lag <= D */
            ph_date d = data->asof[j] - (feed ? feed->lag_days : 0);
            ph_month m = ph_month_of(d);
            data->end[j * FS_COUNT + s] = ph_date_is_end_of_month(d) ? m : m - 1;
        }
    return PH_OK;
}

typedef struct span {
    const fs_rec *r;
    size_t n;
} span;

static span records(const fs_data *data, fs_source s, size_t f)
{
    span out = {data->rec[s] + data->off[s][f], data->off[s][f + 1] - data->off[s][f]};
    return out;
}

static int valid(const fs_rec *r, size_t j)
{
    return r->a0 <= j && j < r->a1;
}

/* A monthly window: sums of v[] and rows per month. */
typedef struct window {
    int64_t v[W][4];
    int n[W];
    ph_month end;
} window;

static void fill(span sp, size_t j, ph_month end, window *w)
{
    memset(w, 0, sizeof(*w));
    w->end = end;
    for (size_t i = 0; i < sp.n; i++) {
        const fs_rec *r = &sp.r[i];
        int idx = r->t - (end - (W - 1));
        if (!valid(r, j) || idx < 0 || idx >= W)
            continue;
        /* saturate rather than wrap: no real month comes near 2^63 fen */
        for (int k = 0; k < 4; k++)
            if (__builtin_add_overflow(w->v[idx][k], r->v[k], &w->v[idx][k]))
                w->v[idx][k] = INT64_MAX;
        w->n[idx] += r->n;
    }
}

/* Sum of v[k] and reported months over window indexes a..b. */
static int reported(const window *w, int a, int b, int k, double *sum)
{
    int months = 0;
    *sum = 0.0;
    for (int i = a; i <= b; i++)
        if (w->n[i] > 0) {
            *sum += (double)w->v[i][k];
            months++;
        }
    return months;
}

/* The sum over a..b with months not reported counted at the mean of the
 * reported ones; NaN when none is. */
static double imputed_sum(const window *w, int a, int b, int k)
{
    double sum;
    int months = reported(w, a, b, k, &sum);
    return months ? sum * (b - a + 1) / months : NAN;
}

static double ratio_minus_1(double now, double before)
{
    return isnan(now) || isnan(before) || before <= 0.0 ? NAN : now / before - 1.0;
}

static double safe_div(double a, double b)
{
    return isnan(a) || isnan(b) || b <= 0.0 ? NAN : a / b;
}

/* Coefficient of variation and relative least-squares slope of the
 * months a..b that count (reported, or every month when all count). */
static void shape(const window *w, int a, int b, int k, int every, double *cv, double *trend)
{
    double x[W], y[W];
    int m = 0;
    for (int i = a; i <= b; i++)
        if (every || w->n[i] > 0) {
            x[m] = i;
            y[m++] = (double)w->v[i][k];
        }
    *cv = *trend = NAN;
    if (m < 3)
        return;
    double mx = 0.0, my = 0.0;
    for (int i = 0; i < m; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= m;
    my /= m;
    if (my <= 0.0)
        return;
    double sxx = 0.0, sxy = 0.0, syy = 0.0;
    for (int i = 0; i < m; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    *cv = sqrt(syy / m) / my;
    *trend = sxx > 0.0 ? sxy / sxx / my : NAN;
}

static int any_reported(const window *w, int a, int b)
{
    for (int i = a; i <= b; i++)
        if (w->n[i] > 0)
            return 1;
    return 0;
}

static ph_month end_of(const fs_data *data, size_t j, fs_source s)
{
    return data->end[j * FS_COUNT + s];
}

/* --- Groups of features ---------------------------------------------------------- */

/* A monthly level series (VAT sales, power): sums, growth, shape. `scale`
 * turns units into the feature's (fen to yuan). */
typedef struct level {
    double last3, last12, growth, yoy, trend, cv;
} level;

static void level_of(const window *w, int k, double scale, level *out)
{
    out->last3 = imputed_sum(w, LAST3, W - 1, k) * scale;
    out->last12 = imputed_sum(w, LAST12, W - 1, k) * scale;
    out->growth = ratio_minus_1(imputed_sum(w, LAST3, W - 1, k),
                                imputed_sum(w, PREV3, PREV3 + 2, k));
    out->yoy = ratio_minus_1(imputed_sum(w, LAST3, W - 1, k),
                             imputed_sum(w, YEAR_AGO, YEAR_AGO + 2, k));
    shape(w, LAST12, W - 1, k, 0, &out->cv, &out->trend);
}

static void vat_features(const fs_data *data, size_t f, size_t j, double *v)
{
    window w;
    fill(records(data, FS_VAT, f), j, end_of(data, j, FS_VAT), &w);
    v[FI_HAS_VAT] = any_reported(&w, LAST12, W - 1);
    if (!v[FI_HAS_VAT])
        return;
    level s;
    level_of(&w, 0, 0.01, &s);
    v[FI_SALES_3M] = s.last3;
    v[FI_SALES_12M] = s.last12;
    v[FI_SALES_GROWTH_3M] = s.growth;
    v[FI_SALES_YOY_3M] = s.yoy;
    v[FI_SALES_TREND_12M] = s.trend;
    v[FI_SALES_VOLATILITY_12M] = s.cv;
    double sales, purchases, top, with_share;
    reported(&w, LAST12, W - 1, 0, &sales);
    reported(&w, LAST12, W - 1, 1, &purchases);
    v[FI_PURCHASE_TO_SALES_12M] = safe_div(purchases, sales);
    reported(&w, LAST3, W - 1, 2, &top);
    reported(&w, LAST3, W - 1, 3, &with_share);
    v[FI_TOP_BUYER_SHARE_3M] = safe_div(top, with_share);
    int without = 0;
    for (int i = LAST12; i < W; i++)
        without += w.n[i] > 0 && w.v[i][0] == 0;
    v[FI_MONTHS_WITHOUT_SALES_12M] = without;
}

static void tax_features(const fs_data *data, size_t f, size_t j, double *v)
{
    window w;
    fill(records(data, FS_TAX, f), j, end_of(data, j, FS_TAX), &w);
    v[FI_HAS_TAX] = any_reported(&w, LAST12, W - 1);
    if (v[FI_HAS_TAX]) {
        double paid, late;
        reported(&w, LAST12, W - 1, 0, &paid);
        reported(&w, LAST12, W - 1, 1, &late);
        v[FI_TAX_PAID_12M] = paid * 0.01;
        v[FI_TAX_LATE_COUNT_12M] = late;
    }
    /* the grade of the latest tax year published by D */
    span g = records(data, FS_GRADE, f);
    const fs_rec *latest = NULL;
    for (size_t i = 0; i < g.n; i++)
        if (valid(&g.r[i], j) && (latest == NULL || g.r[i].t2 > latest->t2))
            latest = &g.r[i];
    v[FI_TAX_GRADE_D] = latest != NULL && latest->kind == 0;
    if (latest != NULL)
        v[FI_TAX_GRADE_SCORE] = latest->kind;
}

static void social_features(const fs_data *data, size_t f, size_t j, double *v,
                            double sales_12m)
{
    window w;
    fill(records(data, FS_SS, f), j, end_of(data, j, FS_SS), &w);
    v[FI_HAS_SOCIAL_SECURITY] = any_reported(&w, LAST12, W - 1);
    if (!v[FI_HAS_SOCIAL_SECURITY])
        return;
    int last = W - 1;
    while (w.n[last] == 0)
        last--;
    v[FI_HEADCOUNT_LAST] = (double)w.v[last][0];
    if (w.n[last - 3] > 0)
        v[FI_HEADCOUNT_CHANGE_3M] = (double)(w.v[last][0] - w.v[last - 3][0]);
    v[FI_WAGE_BASE_3M] = imputed_sum(&w, LAST3, W - 1, 1) * 0.01;
    v[FI_WAGE_TO_SALES_12M] = safe_div(imputed_sum(&w, LAST12, W - 1, 1) * 0.01, sales_12m);
    int late = 0;
    for (int i = LAST12; i < W; i++)
        late += w.n[i] > 0 && w.v[i][2] > 0;
    v[FI_SS_LATE_MONTHS_12M] = late;
}

/* Power: the daily meter when the firm has one, else the monthly bill. */
static void power_features(const fs_data *data, size_t f, size_t j, double *v)
{
    window w;
    fill(records(data, FS_PWR_DAILY, f), j, end_of(data, j, FS_PWR_DAILY), &w);
    if (!any_reported(&w, LAST12, W - 1))
        fill(records(data, FS_PWR_MONTHLY, f), j, end_of(data, j, FS_PWR_MONTHLY), &w);
    v[FI_HAS_POWER] = any_reported(&w, LAST12, W - 1);
    if (!v[FI_HAS_POWER])
        return;
    level p;
    level_of(&w, 0, 1.0, &p);
    v[FI_POWER_KWH_3M] = p.last3;
    v[FI_POWER_GROWTH_3M] = p.growth;
    v[FI_POWER_YOY_3M] = p.yoy;
    v[FI_POWER_VOLATILITY_12M] = p.cv;
}

static double sum_of(const window *w, int a, int b, int k)
{
    double s;
    reported(w, a, b, k, &s);
    return s;
}

/* Payments: a day without a row had none, so a month without rows is 0. */
static void payment_features(const fs_data *data, size_t f, size_t j, double *v)
{
    span sp = records(data, FS_PAY, f);
    window w;
    fill(sp, j, end_of(data, j, FS_PAY), &w);
    int32_t last_inflow = INT32_MIN;
    for (size_t i = 0; i < sp.n; i++)
        if (valid(&sp.r[i], j) && sp.r[i].t2 > last_inflow)
            last_inflow = sp.r[i].t2;
    if (last_inflow != INT32_MIN)
        v[FI_DAYS_SINCE_LAST_INFLOW] = (double)data->asof[j] - last_inflow;
    v[FI_HAS_PAYMENTS] = any_reported(&w, LAST12, W - 1);
    if (!v[FI_HAS_PAYMENTS])
        return;
    double last3 = sum_of(&w, LAST3, W - 1, 0);
    v[FI_INFLOW_1M] = sum_of(&w, W - 1, W - 1, 0) * 0.01;
    v[FI_INFLOW_3M] = last3 * 0.01;
    v[FI_INFLOW_12M] = sum_of(&w, LAST12, W - 1, 0) * 0.01;
    v[FI_INFLOW_GROWTH_3M] = ratio_minus_1(last3, sum_of(&w, PREV3, PREV3 + 2, 0));
    v[FI_INFLOW_YOY_3M] = ratio_minus_1(last3, sum_of(&w, YEAR_AGO, YEAR_AGO + 2, 0));
    int first = LAST12;
    while (w.n[first] == 0)
        first++;
    shape(&w, first, W - 1, 0, 1, &v[FI_INFLOW_VOLATILITY_12M], &v[FI_INFLOW_TREND_12M]);
    v[FI_ACTIVE_DAYS_3M] = sum_of(&w, LAST3, W - 1, 1);
}

/* D minus `months` calendar months (day clamped), for event windows. */
static ph_date months_before(ph_date d, int months)
{
    ph_date out = d;
    (void)ph_date_add_months(d, -months, PH_EOM_CLAMP, &out, NULL);
    return out;
}

static void event_features(const fs_data *data, size_t f, size_t j, double *v)
{
    ph_date d = data->asof[j], y1 = months_before(d, 12), y2 = months_before(d, 24);
    double count = 0, open = 0, enforcement = 0;
    span sp = records(data, FS_LIT, f);
    for (size_t i = 0; i < sp.n; i++) {
        const fs_rec *r = &sp.r[i];
        if (!valid(r, j) || !(r->kind & FS_LIT_AGAINST))
            continue;
        count += r->t > y1;
        open += r->t2 > d;
        enforcement += r->t2 > d && (r->kind & FS_LIT_ENFORCEMENT);
    }
    v[FI_LITIGATION_COUNT_12M] = count;
    v[FI_LITIGATION_OPEN] = open;
    v[FI_ENFORCEMENT_OPEN] = enforcement;

    double pen12 = 0, serious = 0, env = 0;
    int32_t latest = INT32_MIN;
    sp = records(data, FS_PEN, f);
    for (size_t i = 0; i < sp.n; i++) {
        const fs_rec *r = &sp.r[i];
        if (!valid(r, j))
            continue;
        pen12 += r->t > y1;
        serious += r->t > y2 && (r->kind & FS_PEN_SERIOUS);
        env += r->t > y2 && (r->kind & FS_PEN_ENVIRONMENT);
        if (r->t > latest)
            latest = r->t;
    }
    v[FI_PENALTY_COUNT_12M] = pen12;
    v[FI_PENALTY_SERIOUS_24M] = serious;
    v[FI_ENVIRONMENT_PENALTY_24M] = env;
    if (latest != INT32_MIN)
        v[FI_DAYS_SINCE_PENALTY] = (double)d - latest;

    int64_t sub12 = 0, green = 0;
    sp = records(data, FS_SUB, f);
    for (size_t i = 0; i < sp.n; i++) {
        const fs_rec *r = &sp.r[i];
        if (!valid(r, j))
            continue;
        sub12 += r->t > y1 ? r->v[0] : 0;
        green += r->t > y2 && r->kind ? r->v[0] : 0;
    }
    v[FI_SUBSIDY_12M] = (double)sub12 * 0.01;
    v[FI_GREEN_SUBSIDY_24M] = (double)green * 0.01;

    double patents = 0, inventions = 0;
    sp = records(data, FS_PAT, f);
    for (size_t i = 0; i < sp.n; i++)
        if (valid(&sp.r[i], j)) {
            patents++;
            inventions += sp.r[i].kind;
        }
    v[FI_PATENTS_TOTAL] = patents;
    v[FI_INVENTION_PATENTS] = inventions;

    int member = 0, tier = INT32_MAX;
    sp = records(data, FS_CHAIN, f);
    for (size_t i = 0; i < sp.n; i++) {
        const fs_rec *r = &sp.r[i];
        if (!valid(r, j))
            continue;
        member = 1;
        /* a buyer of a tier-t supplier is itself tier t-1 (0 = the core) */
        int t = r->kind >= FS_CHAIN_BUYER ? r->kind - FS_CHAIN_BUYER - 1 : r->kind;
        if (t >= 1 && t < tier)
            tier = t;
    }
    v[FI_CHAIN_MEMBER] = member;
    if (tier != INT32_MAX)
        v[FI_CHAIN_TIER] = tier;
}

static void credit_features(const fs_data *data, size_t f, size_t j, double *v)
{
    ph_date d = data->asof[j], y1 = months_before(d, 12);
    span loans = records(data, FS_LOAN, f);
    int32_t first = INT32_MAX;
    double open = 0;
    int recent = 0;
    for (size_t i = 0; i < loans.n; i++) {
        const fs_rec *r = &loans.r[i];
        if (!valid(r, j))
            continue;
        if (r->t < first)
            first = r->t;
        open += r->t2 > d;
        recent |= r->t > y1;
    }
    /* month ends of the credit bureau's window: balance sum, worst arrears */
    ph_month end = end_of(data, j, FS_CS);
    int64_t balance = 0, dpd[12] = {0};
    int reports = 0;
    span cs = records(data, FS_CS, f);
    for (size_t i = 0; i < cs.n; i++) {
        const fs_rec *r = &cs.r[i];
        int idx = r->t - (end - 11);
        if (!valid(r, j) || idx < 0 || idx > 11)
            continue;
        reports++;
        if (idx == 11)
            balance += r->v[0];
        if (r->v[1] > dpd[idx])
            dpd[idx] = r->v[1];
    }
    v[FI_LOANS_OPEN] = open;
    v[FI_CREDIT_WHITE] = first == INT32_MAX;
    v[FI_HAS_CREDIT_HISTORY] = recent || reports > 0;
    if (first == INT32_MAX)
        return;
    v[FI_CREDIT_HISTORY_MONTHS] = ph_months_between(first, d);
    v[FI_LOAN_BALANCE] = (double)balance * 0.01;
    int64_t worst = 0;
    int overdue = 0;
    for (int i = 0; i < 12; i++) {
        worst = dpd[i] > worst ? dpd[i] : worst;
        overdue += dpd[i] > 0;
    }
    v[FI_MAX_DPD_12M] = (double)worst;
    v[FI_OVERDUE_MONTHS_12M] = overdue;
}

const fs_rec *fs_registration(const fs_data *data, size_t f, size_t j)
{
    span sp = records(data, FS_REG, f);
    for (size_t i = 0; i < sp.n; i++)
        if (valid(&sp.r[i], j))
            return &sp.r[i];
    return NULL;
}

static double vs_peer(double value, double median)
{
    return ratio_minus_1(value, median);
}

void fs_compute(const fs_data *data, size_t f, size_t j, const fs_peers *peers, double *v)
{
    for (int i = 0; i < FI_COUNT; i++)
        v[i] = NAN;
    const fs_rec *reg = fs_registration(data, f, j);
    if (reg != NULL) {
        v[FI_AGE_MONTHS] = ph_months_between(reg->t, data->asof[j]);
        v[FI_STATUS_ABNORMAL] = reg->kind != PH_BUSINESS_ACTIVE && reg->t2 <= data->asof[j];
    }
    vat_features(data, f, j, v);
    tax_features(data, f, j, v);
    social_features(data, f, j, v, v[FI_SALES_12M]);
    power_features(data, f, j, v);
    payment_features(data, f, j, v);
    event_features(data, f, j, v);
    credit_features(data, f, j, v);
    v[FI_PAYMENTS_TO_SALES_12M] = safe_div(v[FI_INFLOW_12M], v[FI_SALES_12M]);
    v[FI_COVERAGE_SHARE] = (v[FI_HAS_VAT] + v[FI_HAS_TAX] + v[FI_HAS_SOCIAL_SECURITY] +
                            v[FI_HAS_POWER] + v[FI_HAS_PAYMENTS] + v[FI_HAS_CREDIT_HISTORY]) /
                           6.0;
    if (peers != NULL) {
        v[FI_SALES_VS_PEER_12M] = vs_peer(v[FI_SALES_12M], peers->sales_12m);
        v[FI_POWER_VS_PEER_3M] = vs_peer(v[FI_POWER_KWH_3M], peers->power_kwh_3m);
        v[FI_INFLOW_VS_PEER_12M] = vs_peer(v[FI_INFLOW_12M], peers->inflow_12m);
        v[FI_INDUSTRY_GROWTH_12M] = peers->industry_growth;
        v[FI_REGION_GROWTH_12M] = peers->region_growth;
    }
}

void fs_peer_inputs(const double *values, double *inputs)
{
    inputs[FS_PEER_SALES_12M] = values[FI_SALES_12M];
    inputs[FS_PEER_POWER_3M] = values[FI_POWER_KWH_3M];
    inputs[FS_PEER_INFLOW_12M] = values[FI_INFLOW_12M];
    inputs[FS_PEER_SALES_YOY_3M] = values[FI_SALES_YOY_3M];
}
