/*
 * puhui gen — the daily feeds: payment flows (POS/QR and bank transfers) and
 * factories' electricity.
 *
 * These are the feeds that move first when a firm weakens, and the largest
 * by far: a shop's QR code takes payments every day, so one row per firm and
 * day with any transaction; a factory's meter is read every day.
 */
#include <math.h>

#include "gen/gen_internal.h"

#define COLLECTED_SHARE 0.85    /* share of sales paid through monitored channels */
#define WAGE_SHARE 0.12         /* wages as a share of sales, paid out monthly */

/* 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
static int weekday(ph_date d)
{
    int w = (int)(((int64_t)d + 3) % 7);
    return w < 0 ? w + 7 : w;
}

/* Consumer spending by weekday, for shops and restaurants. */
static const double consumer_week[7] = {0.88, 0.88, 0.9, 0.92, 1.05, 1.3, 1.25};
/* A factory's load by weekday. */
static const double factory_week[7] = {1.08, 1.1, 1.1, 1.1, 1.08, 0.82, 0.6};

typedef struct day_flows {
    uint32_t in_count[31], out_count[31];
    int64_t in_fen[31], out_fen[31];
} day_flows;

/* n transfers of total `value` on random weekdays from `from` to days-1. */
static void spread_transfers(gen_rng *r, double value, uint32_t n, int from, int days,
                             const int *weekday_of, uint32_t *count, int64_t *fen)
{
    if (n == 0 || value < 1.0)
        return;
    for (uint32_t k = 0; k < n; k++) {
        int d = from + (int)gen_below(r, (uint64_t)(days - from));
        if (weekday_of[d] >= 5) /* banks' business transfers land on weekdays */
            d = d >= from + 2 ? d - 2 : d < days - 2 ? d + 2 : d;
        count[d]++;
        fen[d] += gen_fen(value / n * gen_lognormal(r, -0.08, 0.4));
    }
}

static void emit_payment_month(gen_firm_ctx *fc, gen_rng *r, int t)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_industry *ind = fc->ind;
    double base = gen_sales_base(run, f, fc->path, t, 0);
    if (base <= 0.0)
        return;
    int days = gen_days_in_window_month(run, t);
    ph_date first = run->month_first[t + GEN_LAG];
    int from = f->registered_on > first ? (int)(f->registered_on - first) : 0;
    int weekday_of[31];
    for (int d = 0; d < days; d++)
        weekday_of[d] = weekday(first + d);

    day_flows fl = {{0}, {0}, {0}, {0}};
    double inflow = base * COLLECTED_SHARE * gen_lognormal(r, 0.0, 0.08);
    /* a shop or restaurant takes most of its money from consumers every day;
     * any other firm is paid by a handful of transfers a month */
    double consumer = inflow * (fc->consumer_facing ? 0.85 : 0.0);
    double b2b = inflow - consumer;
    if (consumer > 0.0 && ind->consumer_ticket > 0.0) {
        double per_day = consumer / ((days - from) * ind->consumer_ticket);
        for (int d = from; d < days; d++) {
            uint32_t n = gen_poisson(r, per_day * consumer_week[weekday_of[d]]);
            if (n) {
                fl.in_count[d] += n;
                fl.in_fen[d] += gen_fen(n * ind->consumer_ticket * gen_lognormal(r, 0.0, 0.15));
            }
        }
    }
    double share = ind->b2b_ticket_share > 0.01 ? ind->b2b_ticket_share : 0.01;
    uint32_t transfers = gen_poisson(r, fmin(10.0, (fc->consumer_facing ? 0.15 : 1.0) / share));
    if (b2b >= 1.0 && transfers == 0)
        transfers = 1;
    spread_transfers(r, b2b, transfers, from, days, weekday_of, fl.in_count, fl.in_fen);

    double act = gen_activity(fc->path, t, 0);
    double outflow = base * (ind->purchase_ratio * pow(fmax(act, 0.01), 0.4) + WAGE_SHARE)
                     * gen_lognormal(r, 0.0, 0.1);
    uint32_t payments_out = 1 + gen_poisson(r, fmin(14.0, 1.0 + 0.5 * sqrt((double)f->employees)));
    spread_transfers(r, outflow, payments_out, from, days, weekday_of, fl.out_count, fl.out_fen);

    gen_buf *b = &fc->block->out[GEN_F_PAYMENTS];
    for (int d = from; d < days; d++) {
        if (!fl.in_count[d] && !fl.out_count[d])
            continue;
        gen_put_raw(b, f->uscc, 18);
        gen_put_date(b, first + d);
        gen_put_int(b, fl.in_count[d]);
        gen_put_money(b, fl.in_fen[d] > 0 ? fl.in_fen[d] : 0);
        gen_put_int(b, fl.out_count[d]);
        gen_put_money(b, fl.out_fen[d] > 0 ? fl.out_fen[d] : 0);
        gen_row_end(b, GEN_F_PAYMENTS, fc->dirty);
    }
}

static void emit_power_month(gen_firm_ctx *fc, gen_rng *r, int t)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_industry *ind = fc->ind;
    if (t < fc->path->first || t >= fc->path->end)
        return;
    ph_month m = run->start + t;
    int days = gen_days_in_window_month(run, t);
    ph_date first = run->month_first[t + GEN_LAG];
    int from = f->registered_on > first ? (int)(f->registered_on - first) : 0;
    double monthly = (double)f->revenue_fen / 1200.0 / 10000.0 * ind->kwh_per_10k_revenue
                     * (0.35 + 0.65 * gen_activity(fc->path, t, 0)) * sqrt(ind->seasonality[m % 12]);
    double per_day = monthly / days;
    gen_buf *b = &fc->block->out[GEN_F_POWER_DAILY];
    for (int d = from; d < days; d++) {
        double kwh = per_day * factory_week[weekday(first + d)] * gen_lognormal(r, 0.0, 0.08);
        gen_put_raw(b, f->uscc, 18);
        gen_put_date(b, first + d);
        gen_put_int(b, (int64_t)floor(kwh + 0.5));
        gen_row_end(b, GEN_F_POWER_DAILY, fc->dirty);
    }
}

void gen_emit_daily(gen_firm_ctx *fc)
{
    const gen_firm *f = fc->firm;
    int payments = (f->flags & GEN_FIRM_PAYMENTS) != 0;
    int power = (f->flags & GEN_FIRM_POWER) && fc->ind->section == 'C';
    if (!payments && !power)
        return;
    gen_rng traits;
    gen_rng_init(&traits, fc->run->opt.seed, GEN_STREAM_CONSUMER, fc->index);
    fc->consumer_facing = gen_chance(&traits, fc->ind->retail_share);
    gen_rng r, pr;
    gen_rng_init(&r, fc->run->opt.seed, GEN_STREAM_DAILY, fc->index);
    gen_rng_init(&pr, fc->run->opt.seed, GEN_STREAM_POWER, fc->index);
    for (int t = fc->path->first; t < fc->path->end; t++) {
        if (payments)
            emit_payment_month(fc, &r, t);
        if (power)
            emit_power_month(fc, &pr, t);
    }
}
