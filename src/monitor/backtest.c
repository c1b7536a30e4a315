/*
 * The backtest's figures (monitor.h, docs/watch.md#the-backtest): how early
 * and how reliably a rule set's colours announce the defaults of the truth.
 * Pure arithmetic over three lists — the monitored firms, the defaults, the
 * colour changes — so that every figure can be checked by hand in a test;
 * backtest_run.c makes the lists from an engine run.
 *
 * What is counted, once per firm unless said:
 *   a default counts when the firm is monitored and its day is in the period;
 *   its first yellow (red) is the firm's first change to yellow or red (to
 *     red) in the period before the default day; the lead is the days from
 *     it to the default;
 *   a red change (to red from below) in [from, truth_end - horizon] at a
 *     firm not yet in default makes the firm "red"; it defaulted "in time"
 *     when its default comes at most `horizon` days after such a change;
 *   an onset (green to yellow or red) in the same window is a false alarm
 *     when the firm does not default within `horizon` days after it.
 * Changes at a firm on or after its default day are not predictions and are
 * not counted; changes later than truth_end - horizon cannot be judged (the
 * truth ends before their horizon does) and are counted apart.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/watch_internal.h"

#define DEFAULT_HORIZON 180

typedef struct firm_state {
    const char *uscc;
    ph_date default_day;   /* 0: none */
    ph_date first_yellow;  /* 0: none */
    ph_date first_red;
    uint8_t red, red_in_time;
} firm_state;

static int cmp_firm(const void *a, const void *b)
{
    return strcmp(((const firm_state *)a)->uscc, ((const firm_state *)b)->uscc);
}

static firm_state *find(firm_state *firms, size_t n, const char *uscc)
{
    firm_state key;
    key.uscc = uscc;
    return uscc != NULL ? bsearch(&key, firms, n, sizeof(*firms), cmp_firm) : NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Position p (0..1) of sorted x[0..n), linear between order statistics. */
static double quantile(const int64_t *x, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    if (lo + 1 >= n)
        return (double)x[n - 1];
    return (double)x[lo] + frac * (double)(x[lo + 1] - x[lo]);
}

static ph_monitor_lead lead_of(int64_t *days, size_t n)
{
    ph_monitor_lead l;
    memset(&l, 0, sizeof(l));
    l.n = (int64_t)n;
    if (n == 0) {
        l.median = l.q1 = l.q3 = l.share_14 = l.share_90 = NAN;
        return l;
    }
    qsort(days, n, sizeof(*days), cmp_i64);
    l.q1 = quantile(days, n, 0.25);
    l.median = quantile(days, n, 0.5);
    l.q3 = quantile(days, n, 0.75);
    size_t at14 = 0, at90 = 0;
    for (size_t i = 0; i < n; i++) {
        at14 += days[i] >= 14;
        at90 += days[i] >= 90;
    }
    l.share_14 = (double)at14 / (double)n;
    l.share_90 = (double)at90 / (double)n;
    return l;
}

static double share(int64_t num, int64_t den)
{
    return den > 0 ? (double)num / (double)den : NAN;
}

ph_status ph_monitor_backtest(const ph_ctx *ctx, const ph_monitor_backtest_input *in,
                              ph_monitor_figures *out, ph_error *err)
{
    if (ctx == NULL || in == NULL || out == NULL ||
        (in->firms == NULL && in->firm_count > 0) ||
        (in->defaults == NULL && in->default_count > 0) ||
        (in->changes == NULL && in->change_count > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_monitor_backtest: NULL argument or list with a count");
    char t[PH_DATE_FORMAT_MAX];
    if (in->to < in->from)
        return ph_error_set(err, PH_EINVAL, "to", watch_day_text(in->to, t),
                            "expected the period's last day on or after its first");
    if (in->truth_end < in->to)
        return ph_error_set(err, PH_EINVAL, "truth_end", watch_day_text(in->truth_end, t),
                            "expected the truth to cover the period (a last day on or after "
                            "the period's)");
    if (in->horizon_days < 0)
        return ph_error_set(err, PH_EINVAL, "horizon_days", NULL, "expected 0 or more days");
    int32_t horizon = in->horizon_days > 0 ? in->horizon_days : DEFAULT_HORIZON;
    ph_date judged_end = in->truth_end - horizon; /* the last day a change can be judged */

    size_t n = in->firm_count;
    firm_state *firms = ph_calloc(ctx, n > 0 ? n : 1, sizeof(*firms));
    int64_t *lead_y = ph_calloc(ctx, n > 0 ? n : 1, sizeof(int64_t));
    int64_t *lead_r = ph_calloc(ctx, n > 0 ? n : 1, sizeof(int64_t));
    if (firms == NULL || lead_y == NULL || lead_r == NULL) {
        ph_free(ctx, firms);
        ph_free(ctx, lead_y);
        ph_free(ctx, lead_r);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the backtest");
    }
    for (size_t i = 0; i < n; i++)
        firms[i].uscc = in->firms[i] != NULL ? in->firms[i] : "";
    qsort(firms, n, sizeof(*firms), cmp_firm);
    for (size_t i = 0; i < in->default_count; i++) {
        firm_state *f = find(firms, n, in->defaults[i].uscc);
        if (f != NULL && (f->default_day == 0 || in->defaults[i].day < f->default_day))
            f->default_day = in->defaults[i].day;
    }

    ph_monitor_figures fig;
    memset(&fig, 0, sizeof(fig));
    fig.firms = (int64_t)n;
    for (size_t i = 0; i < in->change_count; i++) {
        const ph_monitor_level_change *c = &in->changes[i];
        firm_state *f = find(firms, n, c->uscc);
        if (f == NULL || c->day < in->from || c->day > in->to)
            continue;
        if (f->default_day != 0 && c->day >= f->default_day)
            continue; /* in default already: not a prediction */
        int in_time = f->default_day != 0 && f->default_day - c->day <= horizon;
        /* a lead is a warning of this default: a colour taken within the
         * horizon before it (an alarm two years earlier warned of nothing) */
        /* a colour taken: a rise, never a red calming down to yellow */
        if (in_time && c->level > c->previous && c->level >= PH_WARN_YELLOW &&
            f->first_yellow == 0)
            f->first_yellow = c->day;
        if (in_time && c->level == PH_WARN_RED && f->first_red == 0)
            f->first_red = c->day;
        if (c->level == PH_WARN_RED && c->previous < PH_WARN_RED) {
            if (c->day > judged_end) {
                fig.red_excluded++;
            } else {
                f->red = 1;
                f->red_in_time |= (uint8_t)in_time;
            }
        }
        if (c->previous == PH_WARN_GREEN && c->level > PH_WARN_GREEN) {
            if (c->day > judged_end) {
                fig.onsets_excluded++;
            } else {
                fig.onsets++;
                fig.false_alarms += !in_time;
            }
        }
    }
    size_t ny = 0, nr = 0;
    for (size_t i = 0; i < n; i++) {
        const firm_state *f = &firms[i];
        fig.red_firms += f->red;
        fig.red_defaulted += f->red && f->red_in_time;
        if (f->default_day < in->from || f->default_day > in->to)
            continue;
        fig.defaults++;
        if (f->first_yellow != 0)
            lead_y[ny++] = f->default_day - f->first_yellow;
        if (f->first_red != 0)
            lead_r[nr++] = f->default_day - f->first_red;
    }
    fig.caught_yellow = (int64_t)ny;
    fig.caught_red = (int64_t)nr;
    fig.lead_yellow = lead_of(lead_y, ny);
    fig.lead_red = lead_of(lead_r, nr);
    fig.recall_yellow = share(fig.caught_yellow, fig.defaults);
    fig.recall_red = share(fig.caught_red, fig.defaults);
    fig.precision_red = share(fig.red_defaulted, fig.red_firms);
    ph_date window_end = judged_end < in->to ? judged_end : in->to;
    int64_t days = window_end >= in->from ? (int64_t)window_end - in->from + 1 : 0;
    fig.months = (double)days * 12.0 / 365.25;
    fig.false_alarm_rate = fig.firms > 0 && days > 0
                               ? (double)fig.false_alarms * 1000.0 / (double)fig.firms /
                                     fig.months
                               : NAN;
    ph_free(ctx, firms);
    ph_free(ctx, lead_y);
    ph_free(ctx, lead_r);
    *out = fig;
    return PH_OK;
}
