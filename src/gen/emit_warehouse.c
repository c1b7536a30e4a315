/*
 * puhui gen — the warehouse feeds (issue 20): lots of goods in the
 * province's warehouses (feeds/warehouse_lots.csv), what each lot's IoT
 * devices report every day it is stored (feeds/warehouse_iot.csv), the
 * commodities' spot prices (feeds/commodity_prices.csv), and the anomalies
 * injected into the readings (truth/warehouse_anomalies.csv).
 *
 * A warehouse receipt (仓单) is only as good as the goods behind it. The
 * classic frauds are goods taken out of a pledged lot without a release
 * (the load cells show a weight drop that stays) and goods moved off site
 * for a while (the lot's tracker reports outside the warehouse's geofence).
 * Both follow the owner's latent health and the approach of its default,
 * like the trucks' diversions in emit_watch.c; a healthy owner's lot has
 * them too, at a low rate, so that a check scored against the truth file has
 * false alarms to count.
 *
 * Volume is kept modest: only manufacturers and wholesalers store lots, and
 * a lot has daily rows only while it is in the warehouse (stored_on up to
 * the day before removed_on).
 *
 * The warehouses and the price paths are drawn once per run from streams of
 * their own; each firm's lots from its own stream, after every older feed of
 * the firm (the shared dirty-row stream included), so that no byte of an
 * older file moves.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "puhui/date.h"
#include "gen/gen_internal.h"

/* The commodities, in the catalogue's enum order: spot price (yuan per kg)
 * at the window start, daily volatility of the log price, how fast it
 * reverts to its level (per day), and how strongly that level follows the
 * province's macro factor. */
static const struct commodity {
    const char *name;
    double price, vol, revert, macro_beta;
} commodities[GEN_COMMODITIES] = {
    {"steel", 3.90, 0.012, 0.010, 0.10},
    {"copper", 69.0, 0.013, 0.008, 0.08},
    {"aluminium", 19.2, 0.011, 0.008, 0.08},
    {"soybean", 4.60, 0.010, 0.010, 0.02},
    {"corn", 2.75, 0.009, 0.012, 0.02},
    {"cotton", 16.1, 0.011, 0.010, 0.04},
    {"rubber", 14.0, 0.016, 0.008, 0.06},
    {"coal", 0.95, 0.015, 0.012, 0.10},
};

/* Who stores lots, by GB/T 4754 section and division (0: any division of
 * the section): the share of its firms that do, their lots a year at normal
 * activity, and the commodities they hold (indexes above, -1 ends). */
typedef struct owner_kind {
    char section;
    int division;
    double share, lots_per_year;
    int goods[4];
} owner_kind;

static const owner_kind owners[] = {
    {'C', 13, 0.28, 2.0, {3, 4, -1}},        /* agricultural food processing 农副食品加工 */
    {'C', 14, 0.14, 1.5, {3, 4, -1}},        /* food manufacturing */
    {'C', 17, 0.20, 1.5, {5, -1}},           /* textiles 纺织 */
    {'C', 29, 0.20, 1.5, {6, -1}},           /* rubber and plastics 橡胶和塑料 */
    {'C', 31, 0.36, 2.0, {0, 7, -1}},        /* ferrous smelting 黑色金属冶炼 */
    {'C', 32, 0.36, 2.0, {1, 2, -1}},        /* non-ferrous smelting 有色金属冶炼 */
    {'C', 33, 0.16, 1.5, {0, 2, -1}},        /* metal products 金属制品 */
    {'C', 34, 0.10, 1.0, {0, 1, -1}},        /* general machinery */
    {'C', 0, 0.06, 1.0, {0, 2, 6, -1}},      /* other manufacturing */
    {'F', 51, 0.16, 2.0, {0, 1, 3, 7}},      /* wholesale 批发 */
};

/* The model's parameters: calibration data, not logic. */
static const struct warehouse_model {
    int per_city;               /* warehouses in each city */
    int geofence_min, geofence_span; /* radius: min + below(span) metres */
    double spread_km;           /* warehouses lie within this of the city centre */
    int stay_min, stay_span;    /* days a lot stays: min + below(span) */
    double stocked_at_start;    /* chance the firm has a lot in store at the window start */
    double lot_value_min, lot_value_span; /* a lot's value, as a share of a year's revenue */
    double weight_noise;        /* sd of the load cells' reading, share of the weight */
    double jitter;              /* tracker inside: within jitter x geofence of the centre */
    double temp_mean, temp_swing, temp_noise; /* the warehouse's air, degrees C */
    /* an anomaly per lot-day with probability
     * (day_base + day_distress * distress + day_pre * pre), distress and pre
     * as gen_distress and gen_pre_default (distress.c) */
    double day_base, day_distress, day_pre;
    double weight_drop_share;   /* the rest are geofence breaches */
    double drop_min, drop_span; /* share of the goods taken out */
    int away_min, away_span;    /* days a breach lasts */
    double away_min_m, away_span_m; /* distance beyond the fence, metres */
} model = {
    .per_city = 4,
    .geofence_min = 150,
    .geofence_span = 650,
    .spread_km = 25.0,
    .stay_min = 20,
    .stay_span = 130,
    .stocked_at_start = 0.5,
    .lot_value_min = 0.01,
    .lot_value_span = 0.05,
    .weight_noise = 0.002,
    .jitter = 0.3,
    .temp_mean = 14.0,
    .temp_swing = 13.5,
    .temp_noise = 1.5,
    .day_base = 0.00004,
    .day_distress = 0.004,
    .day_pre = 0.008,
    .weight_drop_share = 0.6,
    .drop_min = 0.2,
    .drop_span = 0.6,
    .away_min = 1,
    .away_span = 7,
    .away_min_m = 2000.0,
    .away_span_m = 30000.0,
};

/* City seats (WGS-84), by city code: where a city's warehouses cluster. */
static const struct {
    int city;
    double lat, lon;
} seats[] = {
    {370100, 36.651, 117.120}, {370200, 36.067, 120.383}, {370300, 36.813, 118.055},
    {370400, 34.810, 117.323}, {370500, 37.434, 118.675}, {370600, 37.464, 121.448},
    {370700, 36.707, 119.162}, {370800, 35.415, 116.587}, {370900, 36.200, 117.088},
    {371000, 37.513, 122.120}, {371100, 35.417, 119.527}, {371300, 35.105, 118.356},
    {371400, 37.435, 116.359}, {371500, 36.457, 115.985}, {371600, 37.383, 117.971},
    {371700, 35.234, 115.481},
};

#define METRES_PER_DEGREE 111320.0
#define PI 3.14159265358979323846
#define MAX_LOTS 999 /* a firm's lot ids carry a 3-digit serial */
#define MAX_MONTH_LOTS 64

/* --- the warehouses and the prices, once per run ---------------------------------- */

/* A point `metres` from (lat, lon) in the direction `angle` (radians). */
static void offset(double lat, double lon, double metres, double angle, double *out_lat,
                   double *out_lon)
{
    *out_lat = lat + metres * cos(angle) / METRES_PER_DEGREE;
    *out_lon = lon + metres * sin(angle) / (METRES_PER_DEGREE * cos(lat * PI / 180.0));
}

ph_status gen_warehouses_build(gen_run *run, ph_error *err)
{
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_WAREHOUSE, 0);
    run->warehouse_count = 0;
    for (size_t c = 0; c < run->city_count; c++) {
        double lat = 36.4, lon = 118.0; /* the province's middle, for a city not listed */
        for (size_t i = 0; i < sizeof(seats) / sizeof(seats[0]); i++)
            if (seats[i].city == run->cities[c])
                lat = seats[i].lat, lon = seats[i].lon;
        for (int k = 0; k < model.per_city && run->warehouse_count < GEN_MAX_WAREHOUSES; k++) {
            gen_warehouse *w = &run->warehouses[run->warehouse_count++];
            double metres = 1000.0 * model.spread_km * sqrt(gen_uniform(&r));
            double angle = 2.0 * PI * gen_uniform(&r);
            offset(lat, lon, metres, angle, &w->lat, &w->lon);
            /* six places, as the file says: the lots' trackers are placed
             * around the printed position */
            w->lat = round(w->lat * 1e6) / 1e6;
            w->lon = round(w->lon * 1e6) / 1e6;
            w->geofence_m = model.geofence_min + (int)gen_below(&r, (uint64_t)model.geofence_span);
        }
    }

    /* daily log prices over the window: mean-reverting towards a level that
     * follows the macro factor of the month */
    int days = (int)(run->window_last - run->window_first) + 1;
    run->price_days = days;
    run->prices = ph_malloc(run->ctx, (size_t)days * GEN_COMMODITIES * sizeof(double));
    if (!run->prices)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for commodity prices");
    for (int k = 0; k < GEN_COMMODITIES; k++) {
        const struct commodity *c = &commodities[k];
        gen_rng_init(&r, run->opt.seed, GEN_STREAM_PRICES, (uint64_t)k);
        double base = log(c->price), lp = base;
        int t = 0;
        for (int d = 0; d < days; d++) {
            while (t + 1 < run->months && run->window_first + d >= run->month_first[t + 1 + GEN_LAG])
                t++;
            double level = base + c->macro_beta * run->macro[t + GEN_LAG];
            double z = gen_normal(&r);
            lp += c->revert * (level - lp) + c->vol * z;
            run->prices[(size_t)k * (size_t)days + (size_t)d] = exp(lp);
        }
    }
    return PH_OK;
}

/* The price (yuan per kg) of commodity k on `day`, clamped to the window. */
static double price_on(const gen_run *run, int k, ph_date day)
{
    int d = (int)(day - run->window_first);
    d = d < 0 ? 0 : d >= run->price_days ? run->price_days - 1 : d;
    return run->prices[(size_t)k * (size_t)run->price_days + (size_t)d];
}

/* Exchanges trade Monday to Friday: a price a trading day, whole fen. */
void gen_emit_prices(const gen_run *run, gen_block *block)
{
    gen_buf *b = &block->out[GEN_F_PRICES];
    for (int k = 0; k < GEN_COMMODITIES; k++)
        for (ph_date day = run->window_first; day <= run->window_last; day++) {
            ph_weekday w = ph_date_weekday(day);
            if (w == PH_SATURDAY || w == PH_SUNDAY)
                continue;
            gen_put_raw(b, commodities[k].name, strlen(commodities[k].name));
            gen_put_date(b, day);
            gen_put_money(b, gen_fen(price_on(run, k, day)));
            gen_row_end(b, GEN_F_PRICES, NULL);
        }
}

/* --- a firm's lots ----------------------------------------------------------------- */

static const owner_kind *owner_kind_of(const gen_firm_ctx *fc)
{
    const gen_industry *ind = fc->ind;
    if (!ind->division_count)
        return NULL;
    int division = ind->divisions[fc->firm->division_idx].division;
    for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
        if (owners[i].section == ind->section &&
            (owners[i].division == division || owners[i].division == 0))
            return &owners[i];
    return NULL;
}

/* The window month of `day` (0 before the window). */
static int month_of(const gen_run *run, ph_date day)
{
    int t = 0;
    while (t + 1 < run->months && day >= run->month_first[t + 1 + GEN_LAG])
        t++;
    return t;
}

/* The last `n` decimal digits of v into out[0..n). */
static void put_digits(char *out, int n, uint64_t v)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

typedef struct lot_ctx {
    gen_firm_ctx *fc;
    gen_rng *r;
    const gen_warehouse *wh;
    char wh_id[6];           /* WH and 4 digits */
    char lot_id[12];         /* L, the firm's 8-digit index, a 3-digit serial */
    int commodity;
} lot_ctx;

static void put_reading(lot_ctx *x, ph_date day, int64_t weight, double temp, double lat,
                        double lon)
{
    gen_buf *b = &x->fc->block->out[GEN_F_WH_IOT];
    gen_put_raw(b, x->wh_id, 6);
    gen_put_raw(b, x->lot_id, 12);
    gen_put_date(b, day);
    gen_put_int(b, weight);
    gen_put_decimal(b, temp, 1);
    gen_put_decimal(b, lat, 6);
    gen_put_decimal(b, lon, 6);
    gen_row_end(b, GEN_F_WH_IOT, x->fc->dirty);
}

static void put_truth(lot_ctx *x, ph_date day, int weight_drop)
{
    gen_buf *b = &x->fc->block->out[GEN_F_TRUTH_WAREHOUSE];
    gen_put_raw(b, x->wh_id, 6);
    gen_put_raw(b, x->lot_id, 12);
    gen_put_date(b, day);
    gen_put_raw(b, weight_drop ? "weight_drop" : "geofence", weight_drop ? 11 : 8);
    gen_row_end(b, GEN_F_TRUTH_WAREHOUSE, NULL);
}

/* One lot stored on `stored` for `stay` days: its row and its readings. */
static void emit_lot(lot_ctx *x, ph_date stored, int stay)
{
    gen_firm_ctx *fc = x->fc;
    const gen_run *run = fc->run;
    const gen_path *p = fc->path;
    gen_rng *r = x->r;
    ph_date last = gen_last_day(fc);
    ph_date removed = stored + stay;
    if (removed > last)
        removed = last + 1; /* the firm closes: its goods leave with it */

    double share = model.lot_value_min + model.lot_value_span * gen_uniform(r);
    double value = (double)fc->firm->revenue_fen / 100.0 * share;
    int64_t kg = (int64_t)floor(value / price_on(run, x->commodity, stored) / 100.0) * 100;
    if (kg < 500)
        kg = 500;

    gen_buf *b = &fc->block->out[GEN_F_WH_LOTS];
    gen_put_raw(b, x->wh_id, 6);
    gen_put_raw(b, x->lot_id, 12);
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_raw(b, commodities[x->commodity].name, strlen(commodities[x->commodity].name));
    gen_put_int(b, kg);
    gen_put_date(b, stored);
    if (removed <= run->window_last)
        gen_put_date(b, removed);
    else
        gen_put_empty(b);
    gen_put_decimal(b, x->wh->lat, 6);
    gen_put_decimal(b, x->wh->lon, 6);
    gen_put_int(b, x->wh->geofence_m);
    gen_row_end(b, GEN_F_WH_LOTS, fc->dirty);

    /* the readings: one a day while the lot is in the window and stored */
    ph_date from = stored > run->window_first ? stored : run->window_first;
    int anomaly = 0, weight_drop = 0, away = 0;
    double kept = 1.0; /* share of the goods still there */
    for (ph_date day = from; day < removed && day <= run->window_last; day++) {
        int t = month_of(run, day);
        if (!anomaly) {
            double distress = gen_distress(p->health[t + GEN_LAG]);
            double pre = gen_pre_default(p, day);
            double h = model.day_base + model.day_distress * distress + model.day_pre * pre;
            if (gen_chance(r, h)) {
                anomaly = 1;
                weight_drop = gen_chance(r, model.weight_drop_share);
                if (weight_drop) {
                    double out = model.drop_min + model.drop_span * gen_uniform(r);
                    kept = 1.0 - out;
                } else {
                    away = model.away_min + (int)gen_below(r, (uint64_t)model.away_span);
                }
                put_truth(x, day, weight_drop);
            }
        }
        double noise = gen_normal(r);
        int64_t weight = (int64_t)llround((double)kg * kept * (1.0 + model.weight_noise * noise));
        if (weight < 0)
            weight = 0;
        int year, month, mday;
        gen_civil(day, &year, &month, &mday);
        double season = cos(2.0 * PI * ((month - 1) * 30.5 + mday - 196.0) / 365.0);
        double temp = model.temp_mean + model.temp_swing * season;
        double tnoise = gen_normal(r);
        temp += model.temp_noise * tnoise;
        double metres, angle = 2.0 * PI * gen_uniform(r);
        if (away > 0) {
            double u = gen_uniform(r);
            metres = x->wh->geofence_m + model.away_min_m + model.away_span_m * u;
            away--;
        } else {
            double u = gen_uniform(r);
            metres = model.jitter * x->wh->geofence_m * sqrt(u);
        }
        double lat, lon;
        offset(x->wh->lat, x->wh->lon, metres, angle, &lat, &lon);
        put_reading(x, day, weight, temp, lat, lon);
    }
}

void gen_emit_warehouse(gen_firm_ctx *fc)
{
    const owner_kind *kind = owner_kind_of(fc);
    const gen_run *run = fc->run;
    if (!kind || run->warehouse_count == 0)
        return;
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_WAREHOUSE, fc->index + 1);
    if (!gen_chance(&r, kind->share))
        return;

    /* the firm's commodity and its usual warehouse, in its own city */
    int goods = 0;
    while (goods < 4 && kind->goods[goods] >= 0)
        goods++;
    lot_ctx x = {.fc = fc, .r = &r};
    memcpy(x.wh_id, "WH", 2);
    x.lot_id[0] = 'L';
    put_digits(x.lot_id + 1, 8, fc->index);
    x.commodity = kind->goods[gen_below(&r, (uint64_t)goods)];
    size_t city_first = (size_t)f->city * (size_t)model.per_city;
    size_t home = city_first + gen_below(&r, (uint64_t)model.per_city);
    if (home >= run->warehouse_count)
        home = gen_below(&r, run->warehouse_count);

    ph_date last = gen_last_day(fc);
    unsigned serial = 0;
    for (int t = -1; t < p->end && serial < MAX_LOTS; t++) {
        /* t = -1: what is in store when the window opens */
        int starts[MAX_MONTH_LOTS];
        uint32_t n = 0;
        if (t < 0) {
            if (f->registered_on < run->window_first - 80 && gen_chance(&r, model.stocked_at_start))
                starts[n++] = -1 - (int)gen_below(&r, 80);
        } else if (t >= p->first) {
            ph_date first = run->month_first[t + GEN_LAG];
            int days = gen_days_in_window_month(run, t);
            int from = f->registered_on > first ? (int)(f->registered_on - first) : 0;
            double lambda = kind->lots_per_year * days / 365.0 * fmax(gen_activity(p, t, 0), 0.0);
            n = gen_poisson(&r, lambda);
            if (n > MAX_MONTH_LOTS)
                n = MAX_MONTH_LOTS;
            for (uint32_t i = 0; i < n; i++) { /* in order, so serials follow the calendar */
                int d = from + (int)gen_below(&r, (uint64_t)(days - from));
                uint32_t j = i;
                while (j > 0 && starts[j - 1] > d) {
                    starts[j] = starts[j - 1];
                    j--;
                }
                starts[j] = d;
            }
        }
        ph_date first = t < 0 ? run->window_first : run->month_first[t + GEN_LAG];
        for (uint32_t i = 0; i < n && serial < MAX_LOTS; i++) {
            ph_date stored = first + starts[i];
            if (stored > last)
                break;
            int stay = model.stay_min + (int)gen_below(&r, (uint64_t)model.stay_span);
            if (stored + stay <= run->window_first) /* in store when the window opens */
                stay = (int)(run->window_first - stored) + model.stay_min;
            /* most lots go to the usual warehouse, some to another of the city */
            size_t w = home;
            if (gen_chance(&r, 0.2)) {
                w = city_first + gen_below(&r, (uint64_t)model.per_city);
                if (w >= run->warehouse_count)
                    w = home;
            }
            x.wh = &run->warehouses[w];
            put_digits(x.wh_id + 2, 4, (uint64_t)(w + 1));
            put_digits(x.lot_id + 9, 3, ++serial);
            emit_lot(&x, stored, stay);
        }
    }
}
