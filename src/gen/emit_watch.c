/*
 * puhui gen — the early-warning feeds (issue 19): what a firm's trucks do
 * (feeds/logistics_gps.csv) and what is said about it
 * (feeds/public_opinion.csv).
 *
 * Both follow the firm's latent health, like every other feed, and one thing
 * the others barely show: the months just before a default, when goods are
 * moved out of a lender's reach (an unload off the planned route) and news
 * of unpaid suppliers and wages spreads. A healthy firm has its detours and
 * its bad press days too, at a low rate, so that an early warning scored on
 * these feeds has false alarms to count.
 *
 * Each feed draws from its own random streams, and this emitter runs after
 * every other one: adding it changed no byte of the older files. Even the
 * dirty-row stream, which a firm's feeds share, has made all its earlier
 * draws by the time these rows are written.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gen/gen_internal.h"

/* The model's parameters: calibration data, not logic. */
static const struct watch_model {
    /* distress d and the approach of a default p: gen_distress and
     * gen_pre_default (distress.c) */

    /* trucks: a trip is diverted (one of its unloads off the planned route)
     * with probability div_base + div_distress * distress + div_pre * pre;
     * a stop is off-route with stop_base + stop_distress * d + stop_pre * p */
    double div_base, div_distress, div_pre;
    double stop_base, stop_distress, stop_pre;
    double whole_load;           /* share of diversions that take the whole load */
    double day_km;               /* a heavy truck's distance per day on a long trip */
    double activity_power;       /* trips scale with activity^power */

    /* opinion: a day has mentions with probability
     * mention_rate[size] * (1 + retail_share) * (1 + rate_distress * d + rate_pre * p),
     * their number is 1 + Poisson(extra + extra_distress * d + extra_pre * p) */
    double mention_rate[PH_GEN_SIZES];
    double rate_distress, rate_pre, rate_cap;
    double extra, extra_distress, extra_pre;
    /* the day's mean sentiment: mood - mood_distress * d - mood_pre * p, at
     * least mood_floor, with noise noise / sqrt(mentions); on a bad day (a
     * complaint, an accident, a rumour; any firm) it is bad_mood instead */
    double mood, mood_distress, mood_pre, mood_floor, noise;
    double bad_day, bad_mood, bad_extra;
} model = {
    .div_base = 0.004,
    .div_distress = 0.20,
    .div_pre = 0.35,
    .stop_base = 0.02,
    .stop_distress = 0.25,
    .stop_pre = 0.25,
    .whole_load = 0.5,
    .day_km = 650.0,
    .activity_power = 0.8,
    .mention_rate = {0.009, 0.02, 0.05, 0.10},
    .rate_distress = 6.0,
    .rate_pre = 4.0,
    .rate_cap = 0.8,
    .extra = 0.3,
    .extra_distress = 2.5,
    .extra_pre = 2.0,
    .mood = 0.30,
    .mood_distress = 0.90,
    .mood_pre = 0.50,
    .mood_floor = -0.85,
    .noise = 0.35,
    .bad_day = 0.04,
    .bad_mood = -0.55,
    .bad_extra = 2.0,
};

/* Who runs trucks the freight platform sees (heavy trucks must report their
 * satellite position), by GB/T 4754 division: road carriers, forwarders,
 * warehouses and couriers, and the wholesalers and a few retailers with a
 * fleet of their own. Water transport (G55) ships, it does not truck. */
typedef struct fleet_kind {
    char section;
    int division;
    double share;               /* share of its firms whose trucks the feed covers */
    double employees_per_truck;
    double trips_per_week;      /* per truck, at the firm's normal activity */
    double long_haul;           /* share of trips of 200 km or more */
    double drops;               /* mean unloads on the way before the destination */
} fleet_kind;

static const fleet_kind fleets[] = {
    {'G', 54, 0.75, 3.0, 0.6, 0.45, 0.3}, /* road freight 道路货物运输 */
    {'G', 58, 0.45, 5.0, 0.6, 0.35, 0.3}, /* multimodal and forwarding 多式联运和运输代理 */
    {'G', 59, 0.40, 6.0, 0.6, 0.15, 0.5}, /* loading and warehousing 装卸搬运和仓储 */
    {'G', 60, 0.50, 4.0, 1.0, 0.05, 1.5}, /* postal and courier 邮政 */
    {'F', 51, 0.30, 8.0, 0.6, 0.15, 1.2}, /* wholesale 批发 */
    {'F', 52, 0.04, 10.0, 0.5, 0.02, 0.8}, /* retail 零售 */
};

/* The plate's city letter (鲁A Jinan ... 鲁R Heze), by city code. */
static const struct {
    int city;
    char letter;
} plate_letters[] = {
    {370100, 'A'}, {370200, 'B'}, {370300, 'C'}, {370400, 'D'}, {370500, 'E'}, {370600, 'F'},
    {370700, 'G'}, {370800, 'H'}, {370900, 'J'}, {371000, 'K'}, {371100, 'L'}, {371300, 'Q'},
    {371400, 'N'}, {371500, 'P'}, {371600, 'M'}, {371700, 'R'},
};

#define MAX_TRUCKS 32
#define MAX_MONTH_TRIPS 1024
#define MAX_SERIAL 99999        /* trip ids carry a 5-digit serial per firm */
#define MAX_CITY_COUNTIES 32
#define MAX_EVENTS 16

/* --- logistics_gps ------------------------------------------------------------ */

enum { EV_DEPART, EV_STOP, EV_UNLOAD, EV_ARRIVE };
static const struct {
    const char *name;
    size_t len;
} event_names[] = {{"depart", 6}, {"stop", 4}, {"unload", 6}, {"arrive", 6}};

typedef struct gps_event {
    double at;               /* position on the planned route, 0..1 */
    int kind;
    int off;                 /* off the planned route */
} gps_event;

typedef struct fleet {
    const fleet_kind *kind;
    int trucks;
    char plates[MAX_TRUCKS][10];
    int city_counties[MAX_CITY_COUNTIES];
    int city_count;
    char trip_prefix[10];    /* "T" and the firm's 8-digit index */
    unsigned serial;
} fleet;

static const fleet_kind *fleet_kind_of(const gen_firm_ctx *fc)
{
    const gen_industry *ind = fc->ind;
    if (!ind->division_count)
        return NULL;
    int division = ind->divisions[fc->firm->division_idx].division;
    for (size_t i = 0; i < sizeof(fleets) / sizeof(fleets[0]); i++)
        if (fleets[i].section == ind->section && fleets[i].division == division)
            return &fleets[i];
    return NULL;
}

/* The trucks' plates in ASCII: LU-B3K512 for 鲁B3K512. Chinese plates
 * leave out I and O. */
static void make_plates(fleet *fl, const gen_firm_ctx *fc, gen_rng *r)
{
    static const char chars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    int city = fc->firm->region / 100 * 100;
    char letter = 'A';
    for (size_t i = 0; i < sizeof(plate_letters) / sizeof(plate_letters[0]); i++)
        if (plate_letters[i].city == city)
            letter = plate_letters[i].letter;
    for (int k = 0; k < fl->trucks; k++) {
        char *s = fl->plates[k];
        s[0] = 'L', s[1] = 'U', s[2] = '-', s[3] = letter;
        for (int c = 4; c < 9; c++) /* mostly digits, as real plates are */
            s[c] = gen_chance(r, 0.7) ? chars[gen_below(r, 10)] : chars[gen_below(r, 34)];
        s[9] = '\0';
    }
}

static int random_county(const gen_run *run, gen_rng *r)
{
    return run->counties[gen_below(r, run->county_count)].code;
}

/* A county off the route: anywhere but the two ends, when it can be. */
static int off_route_county(const gen_run *run, gen_rng *r, int origin, int dest)
{
    int c = random_county(run, r);
    if (c == origin || c == dest)
        c = random_county(run, r);
    return c;
}

static void put_event(gen_firm_ctx *fc, const fleet *fl, const char *trip_id, int seq,
                      ph_date date, int truck, int kind, int on_route, int division, double km)
{
    gen_buf *b = &fc->block->out[GEN_F_GPS];
    gen_put_raw(b, trip_id, 14);
    gen_put_int(b, seq);
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_date(b, date);
    gen_put_raw(b, fl->plates[truck], 9);
    gen_put_raw(b, event_names[kind].name, event_names[kind].len);
    gen_put_raw(b, on_route ? "Y" : "N", 1);
    gen_put_int(b, division);
    gen_put_int(b, (int64_t)floor(km + 0.5));
    gen_row_end(b, GEN_F_GPS, fc->dirty);
}

/* Intermediate events in route order (insertion sort: a trip has few). */
static void sort_events(gps_event *ev, int n)
{
    for (int i = 1; i < n; i++) {
        gps_event e = ev[i];
        int j = i;
        while (j > 0 && ev[j - 1].at > e.at) {
            ev[j] = ev[j - 1];
            j--;
        }
        ev[j] = e;
    }
}

/* One trip from `start`, or nothing when it could not end by `last`. */
static void emit_trip(gen_firm_ctx *fc, fleet *fl, gen_rng *r, ph_date start, ph_date last,
                      double distress)
{
    const gen_run *run = fc->run;
    const fleet_kind *k = fl->kind;
    int truck = (int)gen_below(r, (uint64_t)fl->trucks);
    int long_haul = gen_chance(r, k->long_haul);
    double route = long_haul ? 200.0 + (double)gen_below(r, 900) : 15.0 + (double)gen_below(r, 185);
    int origin = fc->firm->region;
    int dest = long_haul || fl->city_count == 0
                   ? random_county(run, r)
                   : fl->city_counties[gen_below(r, (uint64_t)fl->city_count)];
    int days = 1 + (int)(route / model.day_km);
    double pre = gen_pre_default(fc->path, start);
    double p_div = model.div_base + model.div_distress * distress + model.div_pre * pre;
    double p_stop = model.stop_base + model.stop_distress * distress + model.stop_pre * pre;

    gps_event ev[MAX_EVENTS];
    int n = 0;
    uint32_t stops = gen_poisson(r, long_haul ? 1.4 : 0.25);
    uint32_t drops = gen_poisson(r, k->drops);
    /* one draw per statement: the order of the expressions of an initializer
     * list, like that of a call's arguments, is the compiler's choice */
    for (uint32_t i = 0; i < stops && n < 5; i++) {
        double at = 0.1 + 0.8 * gen_uniform(r);
        ev[n++] = (gps_event){at, EV_STOP, gen_chance(r, p_stop)};
    }
    for (uint32_t i = 0; i < drops && n < 9; i++)
        ev[n++] = (gps_event){0.1 + 0.8 * gen_uniform(r), EV_UNLOAD, 0};
    /* goods diverted: part of the load unloaded off the route on the way, or
     * the whole load instead of at the destination (the trip may then end
     * there too) */
    int diverted = gen_chance(r, p_div);
    int whole = diverted && gen_chance(r, model.whole_load);
    int end_off = whole && gen_chance(r, 0.5);
    double cut = 2.0; /* past the last event: nothing cut */
    if (diverted) {
        cut = whole ? 0.5 + 0.4 * gen_uniform(r) : 0.3 + 0.6 * gen_uniform(r);
        ev[n++] = (gps_event){cut, EV_UNLOAD, 1};
        if (!whole)
            cut = 2.0;
    }
    if (!whole)
        ev[n++] = (gps_event){1.0, EV_UNLOAD, 0};
    sort_events(ev, n);
    if (start + days - 1 > last || fl->serial >= MAX_SERIAL)
        return;

    char trip_id[14]; /* the firm's prefix and a 5-digit serial */
    memcpy(trip_id, fl->trip_prefix, 9);
    for (unsigned v = ++fl->serial, i = 13; i >= 9; i--, v /= 10)
        trip_id[i] = (char)('0' + v % 10);
    ph_date final_day = start + days - 1;
    put_event(fc, fl, trip_id, 1, start, truck, EV_DEPART, 1, origin, 0.0);
    double detour = 0.0, km = 0.0;
    int where = origin, seq = 1;
    for (int i = 0; i < n; i++) {
        /* once the whole load is gone there is nothing left to deliver */
        if (ev[i].kind == EV_UNLOAD && ev[i].at > cut)
            continue;
        double leg = 0.0;
        if (ev[i].off) {
            leg = 3.0 + (double)gen_below(r, 30);
            where = off_route_county(run, r, origin, dest);
        } else if (ev[i].at >= 1.0) {
            where = dest;
        } else if (!long_haul) {
            where = ev[i].at < 0.5 ? origin : dest;
        } else {
            where = ev[i].at < 0.2 ? origin : ev[i].at > 0.8 ? dest : random_county(run, r);
        }
        /* km never falls: a detour's way out and back is added once passed */
        km = ev[i].at * route + detour + leg;
        detour += 2.0 * leg;
        ph_date d = start + (ph_date)(km / model.day_km);
        put_event(fc, fl, trip_id, ++seq, d > final_day ? final_day : d, truck, ev[i].kind,
                  !ev[i].off, where, km);
    }
    km += (double)gen_below(r, 6);
    put_event(fc, fl, trip_id, ++seq, final_day, truck, EV_ARRIVE, !end_off,
              end_off ? where : dest, km);
}

static void emit_gps(gen_firm_ctx *fc)
{
    const fleet_kind *kind = fleet_kind_of(fc);
    if (!kind)
        return;
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_GPS, fc->index);
    if (!gen_chance(&r, kind->share))
        return;
    fleet fl;
    fl.kind = kind;
    fl.trucks = 1 + (int)gen_poisson(&r, f->employees / kind->employees_per_truck);
    if (fl.trucks > MAX_TRUCKS)
        fl.trucks = MAX_TRUCKS;
    make_plates(&fl, fc, &r);
    fl.city_count = 0;
    for (size_t i = 0; i < run->county_count && fl.city_count < MAX_CITY_COUNTIES; i++)
        if (run->counties[i].code / 100 == f->region / 100)
            fl.city_counties[fl.city_count++] = run->counties[i].code;
    snprintf(fl.trip_prefix, sizeof(fl.trip_prefix), "T%08llu",
             (unsigned long long)(fc->index % 100000000u));
    fl.serial = 0;

    ph_date last = gen_last_day(fc);
    for (int t = p->first; t < p->end; t++) {
        ph_date first = run->month_first[t + GEN_LAG];
        int days = gen_days_in_window_month(run, t);
        int from = f->registered_on > first ? (int)(f->registered_on - first) : 0;
        double act = gen_activity(p, t, 0);
        double lambda = fl.trucks * kind->trips_per_week * (days / 7.0)
                        * pow(fmax(act, 0.0), model.activity_power);
        uint32_t trips = gen_poisson(&r, lambda);
        if (trips > MAX_MONTH_TRIPS)
            trips = MAX_MONTH_TRIPS;
        /* start days in order, so a firm's trip serials follow the calendar */
        int start[MAX_MONTH_TRIPS];
        for (uint32_t i = 0; i < trips; i++) {
            int d = from + (int)gen_below(&r, (uint64_t)(days - from));
            uint32_t j = i;
            while (j > 0 && start[j - 1] > d) {
                start[j] = start[j - 1];
                j--;
            }
            start[j] = d;
        }
        double distress = gen_distress(p->health[t + GEN_LAG]);
        for (uint32_t i = 0; i < trips; i++)
            if (first + start[i] <= last)
                emit_trip(fc, &fl, &r, first + start[i], last, distress);
    }
}

/* --- public_opinion ----------------------------------------------------------- */

static void put_opinion(gen_firm_ctx *fc, gen_rng *r, ph_date day, double distress)
{
    double pre = gen_pre_default(fc->path, day);
    uint32_t mentions =
        1 + gen_poisson(r, model.extra + model.extra_distress * distress + model.extra_pre * pre);
    double mood = fmax(model.mood_floor,
                       model.mood - model.mood_distress * distress - model.mood_pre * pre);
    if (gen_chance(r, model.bad_day)) {
        mood = model.bad_mood;
        mentions += gen_poisson(r, model.bad_extra);
    }
    double score = mood + model.noise / sqrt((double)mentions) * gen_normal(r);
    score = score < -1.0 ? -1.0 : score > 1.0 ? 1.0 : score;
    gen_buf *b = &fc->block->out[GEN_F_OPINION];
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_date(b, day);
    gen_put_int(b, mentions);
    gen_put_fixed(b, (int64_t)llround(score * 10000.0), 4);
    gen_row_end(b, GEN_F_OPINION, fc->dirty);
}

static void emit_opinion(gen_firm_ctx *fc)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_OPINION, fc->index);
    double base = model.mention_rate[f->size_class < PH_GEN_SIZES ? f->size_class : 0]
                  * (1.0 + fc->ind->retail_share);
    ph_date last = gen_last_day(fc);
    for (int t = p->first; t < p->end; t++) {
        ph_date first = run->month_first[t + GEN_LAG];
        int days = gen_days_in_window_month(run, t);
        int from = f->registered_on > first ? (int)(f->registered_on - first) : 0;
        double distress = gen_distress(p->health[t + GEN_LAG]);
        double pre = gen_pre_default(p, first + days / 2);
        double rate = fmin(model.rate_cap,
                           base * (1.0 + model.rate_distress * distress + model.rate_pre * pre));
        /* the days with mentions, by geometric gaps: one draw per row rather
         * than one per day */
        double log_miss = log1p(-rate);
        for (int d = from;; d++) {
            double gap = floor(log1p(-gen_uniform(&r)) / log_miss);
            if (gap >= (double)(days - d))
                break;
            d += (int)gap;
            if (first + d > last)
                break;
            put_opinion(fc, &r, first + d, distress);
        }
    }
}

void gen_emit_watch(gen_firm_ctx *fc)
{
    emit_gps(fc);
    emit_opinion(fc);
}
