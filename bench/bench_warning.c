/*
 * The early-warning engine's speed (issue 19, docs/warning.md#speed), in one
 * run:
 *
 *  1. Events per second per core through the default rule set
 *     (ph_warn_rules_default_text()), in memory: a synthetic province of
 *     --firms firms over --months months from 2024-01-01, its events pushed
 *     with ph_warn_engine_push in daily batches in time order, the day
 *     before each batch closed with ph_warn_engine_close_through so that
 *     the two costs are timed apart (push: the events, their window slots
 *     and event rules; close: the window rules' periods and the colours'
 *     calm-down). Generation is not timed. Hits by rule and colour changes
 *     are printed: a run where nothing fires would measure nothing.
 *  2. A peer: the default set's two windowed rules (inflow_drop_2w,
 *     power_below_peers_7d) computed by SQLite window functions over the
 *     same payments and electricity events loaded into an in-memory
 *     SQLite table (the load and the queries timed apart). The peer's hits
 *     are checked against the engine's, every one (firm and day), and the
 *     engine's events per second are given as a ratio of the peer's: the
 *     engine running only those two rules over only those events (like for
 *     like), and the default run.
 *  3. Memory per monitored firm: ph_warn_engine_bytes_per_firm (the state a
 *     checkpoint holds), the engine's heap at its peak (state, scratch and
 *     index, counted by a counting allocator in the context) and the growth
 *     of the process's peak resident memory over the default run (the first
 *     phase, so nothing earlier hides it), each divided by the firms.
 *  4. The time to replay --replay-months of a --replay-firms province
 *     (default 1,000,000 x 24, the province of the issue) through the
 *     default set, measured, not extrapolated (0 skips it).
 *
 *   bench_warning [--firms N] [--months M] [--seed S] [--distress PERCENT]
 *                 [--replay-firms N] [--replay-months M] [--no-peer]
 *
 * --no-peer skips part 2 (the engine's run with the two windowed rules and
 * SQLite), --replay-firms 0 part 4.
 *
 * Defaults: 100,000 firms x 24 months (two tax-grade publications, so that
 * tax_downgrade can fire too), 8% of firms in distress, seed 1, replay
 * 1,000,000 x 24. Times: CPU seconds (user + system, the process's
 * clock; a shared machine does not inflate them) beside wall seconds.
 *
 * The province: sections and cities in the shares `puhui gen` draws them
 * (peer groups are section x city), and per firm-day event densities
 * measured on `puhui gen --enterprises 20000 --months 36 --seed 1` (with
 * the generator of branch wt-feeds for logistics_gps and public_opinion):
 * payments_daily 0.235, electricity_daily 0.142 (sections B-D, nearly
 * daily), credit_status 0.012 (month ends), litigation 0.0004, tax_grades
 * 0.003 (15 April), logistics_gps 0.045 (sections G and some F, ~4.3
 * events a trip), public_opinion 0.021; the densities this run produced are
 * printed beside them. A share of firms falls into distress on a random
 * day: inflows and power fall to a floor over 20-80 days, half of them stop
 * trading, trucks leave their routes, public opinion turns, court
 * enforcements and overdue loans follow. Supply chains: one per 700 firms,
 * a core firm with 20 tier-1 and 30 tier-2 suppliers. Every firm is
 * watched (monitored).
 *
 * This is a measurement: it exits 0 when it could run, whatever the figures.
 */
#include "bench_util.h"

#include "puhui/puhui.h"
#include "puhui/warning.h"

#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#define TARGET_EVENTS_PER_CPU_SECOND 5e6
#define MAX_RULES 32

/* ---- random numbers (splitmix64: one stream, so the same seed gives the same events) ---- */

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static double unif(uint64_t *s)
{
    return (double)(rnd(s) >> 11) * 0x1.0p-53;
}

static double normal(uint64_t *s)
{
    double u = 1.0 - unif(s), v = unif(s);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Days until the next event of a daily Bernoulli(p) process: 1, 2, ... */
static int32_t gap(uint64_t *s, double p)
{
    if (p >= 1.0)
        return 1;
    if (p <= 0.0)
        return INT32_MAX / 2;
    double g = floor(log(1.0 - unif(s)) / log1p(-p));
    return g > 1e6 ? 1000000 : 1 + (int32_t)g;
}

/* ---- the feeds and their fields, by catalogue name ------------------------------------ */

enum { F_PAY, F_ELEC, F_CREDIT, F_LIT, F_TAX, F_GPS, F_OPINION, NF };
static const char *const FEED_NAME[NF] = {"payments_daily", "electricity_daily", "credit_status",
                                          "litigation",     "tax_grades",        "logistics_gps",
                                          "public_opinion"};
/* rows per firm-day in `puhui gen --enterprises 20000 --months 36 --seed 1` (wt-feeds) */
static const double GEN_DENSITY[NF] = {0.23548, 0.14242, 0.01182, 0.00040,
                                       0.00300, 0.04472, 0.02053};
#define MASK_ALL ((1u << NF) - 1)
#define MASK_WINDOWED ((1u << F_PAY) | (1u << F_ELEC))

static const char GRADE_LABEL[5][2] = {"A", "B", "M", "C", "D"}; /* best first */

typedef struct fmap {
    uint16_t feed[NF];
    int pay_in_n, pay_in, pay_out_n, pay_out, kwh;
    int cs_balance, cs_dpd, cs_overdue;
    int lit_type, lit_role, lit_amount, lit_status;
    int64_t lit_contract, lit_labor, lit_loan, lit_enforcement;
    int64_t role_plaintiff, role_defendant, role_enforced, status_open;
    int tax_year, tax_grade;
    int64_t grade[5];
    int gps_seq, gps_event, gps_route, gps_km;
    int64_t ev_depart, ev_stop, ev_unload, ev_arrive, route_y, route_n;
    int op_mentions, op_score;
} fmap;

static int field_of(int feed, const char *name)
{
    size_t n = ph_warn_field_count((size_t)feed);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ph_warn_field_at((size_t)feed, i)->name, name) == 0)
            return (int)i;
    fprintf(stderr, "bench_warning: feed %s has no field %s\n", ph_warn_feed_at((size_t)feed)->name,
            name);
    return -1;
}

/* The code of `label` in an enum field's "a|b|c" list; -1: none. */
static int64_t enum_of(int feed, int field, const char *label)
{
    const ph_feed_column *col = ph_warn_field_at((size_t)feed, (size_t)field);
    const char *p = col != NULL ? col->values : NULL;
    size_t len = strlen(label);
    for (int64_t i = 0; p != NULL && *p != '\0'; i++) {
        size_t n = strcspn(p, "|");
        if (n == len && memcmp(p, label, len) == 0)
            return i;
        p += n;
        if (*p == '|')
            p++;
    }
    fprintf(stderr, "bench_warning: field %s has no value %s\n", col ? col->name : "?", label);
    return -1;
}

static int fmap_init(fmap *m)
{
    int feed[NF];
    for (int i = 0; i < NF; i++) {
        feed[i] = ph_warn_feed_index(FEED_NAME[i]);
        if (feed[i] < 0) {
            fprintf(stderr, "bench_warning: no monitored feed %s in the catalogue (the default "
                            "rule set needs the feeds of issue 19)\n", FEED_NAME[i]);
            return -1;
        }
        m->feed[i] = (uint16_t)feed[i];
    }
    int bad = 0;
#define FIELD(dst, f, name) bad |= (m->dst = field_of(feed[f], name)) < 0
#define CODE(dst, f, fld, label) bad |= (m->dst = enum_of(feed[f], m->fld, label)) < 0
    FIELD(pay_in_n, F_PAY, "inflow_count");
    FIELD(pay_in, F_PAY, "inflow_amount");
    FIELD(pay_out_n, F_PAY, "outflow_count");
    FIELD(pay_out, F_PAY, "outflow_amount");
    FIELD(kwh, F_ELEC, "kwh");
    FIELD(cs_balance, F_CREDIT, "balance");
    FIELD(cs_dpd, F_CREDIT, "days_past_due");
    FIELD(cs_overdue, F_CREDIT, "overdue_amount");
    FIELD(lit_type, F_LIT, "case_type");
    FIELD(lit_role, F_LIT, "role");
    FIELD(lit_amount, F_LIT, "amount");
    FIELD(lit_status, F_LIT, "status");
    FIELD(tax_year, F_TAX, "year");
    FIELD(tax_grade, F_TAX, "grade");
    FIELD(gps_seq, F_GPS, "seq");
    FIELD(gps_event, F_GPS, "event");
    FIELD(gps_route, F_GPS, "on_route");
    FIELD(gps_km, F_GPS, "km");
    FIELD(op_mentions, F_OPINION, "mentions");
    FIELD(op_score, F_OPINION, "score");
    if (bad)
        return -1;
    CODE(lit_contract, F_LIT, lit_type, "contract_dispute");
    CODE(lit_labor, F_LIT, lit_type, "labor_dispute");
    CODE(lit_loan, F_LIT, lit_type, "loan_dispute");
    CODE(lit_enforcement, F_LIT, lit_type, "enforcement");
    CODE(role_plaintiff, F_LIT, lit_role, "plaintiff");
    CODE(role_defendant, F_LIT, lit_role, "defendant");
    CODE(role_enforced, F_LIT, lit_role, "enforced_party");
    CODE(status_open, F_LIT, lit_status, "open");
    CODE(ev_depart, F_GPS, gps_event, "depart");
    CODE(ev_stop, F_GPS, gps_event, "stop");
    CODE(ev_unload, F_GPS, gps_event, "unload");
    CODE(ev_arrive, F_GPS, gps_event, "arrive");
    CODE(route_y, F_GPS, gps_route, "Y");
    CODE(route_n, F_GPS, gps_route, "N");
    for (int g = 0; g < 5; g++)
        CODE(grade[g], F_TAX, tax_grade, GRADE_LABEL[g]);
#undef FIELD
#undef CODE
    return bad ? -1 : 0;
}

/* ---- the synthetic province ----------------------------------------------------------- */

/* Sections and cities in the shares of `puhui gen` (its 20,000-firm province). */
static const char SECTIONS[] = "ABCDEFGHIJKLMNOPQR";
static const int SECTION_WEIGHT[] = {2385, 94, 3211, 132, 1196, 5883, 1005, 1568, 532,
                                     77,   292, 1296, 758, 143,  966,  182,  119,  161};
static const int32_t CITY[] = {370100, 370200, 370300, 370400, 370500, 370600, 370700, 370800,
                               370900, 371000, 371100, 371300, 371400, 371500, 371600, 371700};
static const int CITY_WEIGHT[] = {2648, 2918, 848, 649, 407, 1358, 1842, 1382,
                                  815,  576,  535, 2148, 866, 1021, 704, 1283};

static int pick(uint64_t *s, const int *weight, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += weight[i];
    int r = (int)(rnd(s) % (uint64_t)total);
    for (int i = 0; i < n; i++) {
        if (r < weight[i])
            return i;
        r -= weight[i];
    }
    return n - 1;
}

typedef struct firm {
    int32_t division;
    char section;
    uint8_t has_pay, has_elec, loans, has_gps, has_tax;
    int32_t onset;  /* first day of distress; 0: healthy */
    int32_t ramp;   /* days from onset to the floor */
    int32_t stop;   /* first day without trade (payments, power, trucks); 0: never */
    int32_t elec_from;
    float floor;    /* health at the bottom */
    float pay_rate, gps_rate, op_rate;
    int64_t pay_base; /* fen, a day's inflow */
    int64_t balance;  /* fen, a loan */
    int32_t kwh_base;
} firm;

/* Calendar queues of the sparse feeds: head[day - start] lists the firms
 * with an event that day, through next[firm]. */
enum { Q_PAY, Q_GPS, Q_OPINION, Q_LIT, NQ };

typedef struct province {
    size_t n;
    ph_date start, end;
    int days;
    uint64_t seed;
    firm *f;
    uint32_t *elec, *credit, *tax; /* firms with the feed, in index order */
    size_t n_elec, n_credit, n_tax;
    uint32_t *link_chain, *link_supplier, *link_buyer;
    size_t n_links;
    uint8_t *month_end, *grades_day; /* by day - start */
    /* per replay */
    uint64_t rng;
    uint8_t *grade;
    int32_t *head[NQ], *next[NQ];
    fmap m;
} province;

static double health(const firm *f, ph_date d)
{
    if (f->onset == 0 || d < f->onset)
        return 1.0;
    double h = 1.0 - (double)(d - f->onset) / f->ramp;
    return h < f->floor ? f->floor : h;
}

static int trading(const firm *f, ph_date d)
{
    return f->stop == 0 || d < f->stop;
}

static int64_t clamp64(double x, double lo, double hi)
{
    return (int64_t)(x < lo ? lo : x > hi ? hi : x);
}

static void province_free(province *p)
{
    free(p->f);
    free(p->elec);
    free(p->credit);
    free(p->tax);
    free(p->link_chain);
    free(p->link_supplier);
    free(p->link_buyer);
    free(p->month_end);
    free(p->grades_day);
    free(p->grade);
    for (int q = 0; q < NQ; q++) {
        free(p->head[q]);
        free(p->next[q]);
    }
    memset(p, 0, sizeof(*p));
}

static int province_new(province *p, size_t n, int months, uint64_t seed, double distress)
{
    memset(p, 0, sizeof(*p));
    p->n = n;
    p->seed = seed;
    if (fmap_init(&p->m) != 0)
        return -1;
    ph_date_from_ymd(2024, 1, 1, &p->start, NULL); /* a Monday */
    ph_date last_month;
    ph_date_add_months(p->start, months - 1, PH_EOM_CLAMP, &last_month, NULL);
    ph_date_end_of_month(last_month, &p->end, NULL);
    p->days = (int)(p->end - p->start + 1);
    p->f = calloc(n, sizeof(firm));
    p->elec = malloc(n * sizeof(uint32_t));
    p->credit = malloc(n * sizeof(uint32_t));
    p->tax = malloc(n * sizeof(uint32_t));
    size_t chains = n / 700 + 1, cap = chains * 50;
    p->link_chain = malloc(cap * sizeof(uint32_t));
    p->link_supplier = malloc(cap * sizeof(uint32_t));
    p->link_buyer = malloc(cap * sizeof(uint32_t));
    p->month_end = calloc((size_t)p->days, 1);
    p->grades_day = calloc((size_t)p->days, 1);
    p->grade = malloc(n);
    for (int q = 0; q < NQ; q++) {
        p->head[q] = malloc(((size_t)p->days + 1) * sizeof(int32_t));
        p->next[q] = malloc(n * sizeof(int32_t));
    }
    if (p->f == NULL || p->elec == NULL || p->credit == NULL || p->tax == NULL ||
        p->link_chain == NULL || p->link_supplier == NULL || p->link_buyer == NULL ||
        p->month_end == NULL || p->grades_day == NULL || p->grade == NULL || p->head[NQ - 1] == NULL ||
        p->next[NQ - 1] == NULL || p->head[0] == NULL || p->next[0] == NULL ||
        p->head[1] == NULL || p->next[1] == NULL || p->head[2] == NULL || p->next[2] == NULL) {
        fprintf(stderr, "bench_warning: out of memory for %zu firms\n", n);
        return -1;
    }
    for (int d = 0; d < p->days; d++) {
        int y, mo, dd;
        ph_date_to_ymd(p->start + d, &y, &mo, &dd, NULL);
        p->month_end[d] = (uint8_t)ph_date_is_end_of_month(p->start + d);
        p->grades_day[d] = mo == 4 && dd == 15;
    }
    uint64_t s = seed * 0x2545F4914F6CDD1Dull + 1;
    int nsec = (int)(sizeof(SECTION_WEIGHT) / sizeof(SECTION_WEIGHT[0]));
    int ncity = (int)(sizeof(CITY_WEIGHT) / sizeof(CITY_WEIGHT[0]));
    int onset_from = p->days < 150 ? p->days / 3 : 90, onset_span = p->days - onset_from - 30;
    if (onset_span < 1)
        onset_span = 1;
    for (size_t i = 0; i < n; i++) {
        firm *f = &p->f[i];
        f->section = SECTIONS[pick(&s, SECTION_WEIGHT, nsec)];
        f->division = CITY[pick(&s, CITY_WEIGHT, ncity)] + 1 + (int32_t)(rnd(&s) % 10);
        f->has_pay = unif(&s) < 0.49;
        f->pay_rate = (float)(unif(&s) < 0.3 ? 0.95 : 0.10 + 0.25 * unif(&s));
        f->pay_base = clamp64(exp(log(124300.0) + 1.5 * normal(&s)), 1000, 5e8);
        f->has_elec = f->section >= 'B' && f->section <= 'D';
        f->elec_from = unif(&s) < 0.15 ? p->start + (int32_t)(rnd(&s) % (uint64_t)p->days)
                                       : p->start;
        f->kwh_base = (int32_t)clamp64(exp(log(655.0) + 1.2 * normal(&s)), 10, 2e6);
        f->loans = unif(&s) < 0.48 ? (unif(&s) < 0.05 ? 2 : 1) : 0;
        f->balance = clamp64(exp(log(30000000.0) + normal(&s)), 100000, 1e10);
        f->has_gps = f->section == 'G' || (f->section == 'F' && unif(&s) < 0.08);
        f->gps_rate = (float)(0.04 + 0.21 * unif(&s));
        f->has_tax = unif(&s) < 0.94;
        double op = exp(log(0.016) + 0.8 * normal(&s));
        f->op_rate = (float)(unif(&s) < 0.98 ? (op > 0.35 ? 0.35 : op) : 0.0);
        if (unif(&s) < distress) {
            f->onset = p->start + onset_from + (int32_t)(rnd(&s) % (uint64_t)onset_span);
            f->ramp = 20 + (int32_t)(rnd(&s) % 60);
            f->floor = (float)(0.1 + 0.2 * unif(&s));
            if (unif(&s) < 0.5) {
                f->stop = f->onset + f->ramp + 20 + (int32_t)(rnd(&s) % 100);
                if (f->stop > p->end)
                    f->stop = 0;
            }
        }
        if (f->has_elec)
            p->elec[p->n_elec++] = (uint32_t)i;
        if (f->loans > 0)
            p->credit[p->n_credit++] = (uint32_t)i;
        if (f->has_tax)
            p->tax[p->n_tax++] = (uint32_t)i;
    }
    /* supply chains: a core firm, 20 tier-1 suppliers selling to it, 30
     * tier-2 suppliers selling to a tier-1 one */
    for (size_t c = 0; c < chains && n > 1; c++) {
        uint32_t core = (uint32_t)(rnd(&s) % n), tier1[20];
        for (int k = 0; k < 20; k++) {
            tier1[k] = (uint32_t)(rnd(&s) % n);
            if (tier1[k] == core)
                tier1[k] = (core + 1) % (uint32_t)n;
            p->link_chain[p->n_links] = (uint32_t)c + 1;
            p->link_supplier[p->n_links] = tier1[k];
            p->link_buyer[p->n_links++] = core;
        }
        for (int k = 0; k < 30; k++) {
            uint32_t sup = (uint32_t)(rnd(&s) % n), buyer = tier1[rnd(&s) % 20];
            if (sup == buyer)
                continue;
            p->link_chain[p->n_links] = (uint32_t)c + 1;
            p->link_supplier[p->n_links] = sup;
            p->link_buyer[p->n_links++] = buyer;
        }
    }
    return 0;
}

static void schedule(province *p, int q, uint32_t f, int32_t day)
{
    if (day > p->end)
        return;
    size_t at = (size_t)(day - p->start);
    p->next[q][f] = p->head[q][at];
    p->head[q][at] = (int32_t)f;
}

/* Back to the first day: the same seed gives the same events again. */
static void province_rewind(province *p)
{
    p->rng = p->seed * 0x9E3779B97F4A7C15ull + 7;
    for (int q = 0; q < NQ; q++)
        for (int d = 0; d <= p->days; d++)
            p->head[q][d] = -1;
    for (size_t i = 0; i < p->n; i++) {
        const firm *f = &p->f[i];
        uint32_t fi = (uint32_t)i;
        double g = unif(&p->rng); /* A 19%, B 39%, M 12%, C 25%, D 5% */
        p->grade[i] = (uint8_t)(g < 0.19 ? 0 : g < 0.58 ? 1 : g < 0.70 ? 2 : g < 0.95 ? 3 : 4);
        if (f->has_pay)
            schedule(p, Q_PAY, fi, p->start - 1 + gap(&p->rng, f->pay_rate));
        if (f->has_gps)
            schedule(p, Q_GPS, fi, p->start - 1 + gap(&p->rng, f->gps_rate));
        if (f->op_rate > 0)
            schedule(p, Q_OPINION, fi, p->start - 1 + gap(&p->rng, f->op_rate));
        schedule(p, Q_LIT, fi, p->start - 1 + gap(&p->rng, 0.0003));
    }
}

typedef struct batch {
    ph_warn_event *e;
    size_t n, cap;
    ph_warn_event sink; /* an event not kept is written here and dropped */
} batch;

/* A new event of feed `feed` for firm f on `day` (fields zero), appended
 * when `keep`; NULL when not kept (the caller still draws its numbers, so
 * that every mask sees the same stream). */
static ph_warn_event *emit(batch *b, const province *p, int feed, uint32_t f, ph_date day, int keep)
{
    if (!keep)
        return &b->sink;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        ph_warn_event *e = realloc(b->e, cap * sizeof(*e));
        if (e == NULL) {
            fprintf(stderr, "bench_warning: out of memory for a day's events\n");
            exit(1);
        }
        b->e = e;
        b->cap = cap;
    }
    ph_warn_event *ev = &b->e[b->n++];
    memset(ev, 0, sizeof(*ev));
    ev->day = day;
    ev->firm = f;
    ev->feed = p->m.feed[feed];
    return ev;
}

/* Day d's events of the feeds in `mask`, into b (emptied first); counts[]
 * adds the kept events by feed. */
static void province_day(province *p, ph_date d, unsigned mask, batch *b, int64_t *counts)
{
    const fmap *m = &p->m;
    uint64_t *s = &p->rng;
    size_t at = (size_t)(d - p->start);
    int y = 0;
    ph_date_to_ymd(d, &y, NULL, NULL, NULL);
    b->n = 0;
    int keep_pay = (mask >> F_PAY) & 1, keep_elec = (mask >> F_ELEC) & 1;
    int keep_cs = (mask >> F_CREDIT) & 1, keep_lit = (mask >> F_LIT) & 1;
    int keep_tax = (mask >> F_TAX) & 1, keep_gps = (mask >> F_GPS) & 1;
    int keep_op = (mask >> F_OPINION) & 1;
    /* credit_status: one row per loan at each month end */
    if (p->month_end[at])
        for (size_t k = 0; k < p->n_credit; k++) {
            uint32_t fi = p->credit[k];
            const firm *f = &p->f[fi];
            for (int loan = 0; loan < f->loans; loan++) {
                int64_t dpd = 0;
                if (f->onset != 0 && d >= f->onset + 20)
                    dpd = d - f->onset - 19;
                else if (unif(s) < 0.015)
                    dpd = 1 + (int64_t)(rnd(s) % 29);
                int64_t balance = loan == 0 ? f->balance : f->balance / 2;
                ph_warn_event *ev = emit(b, p, F_CREDIT, fi, d, keep_cs);
                ev->v[m->cs_balance] = balance;
                ev->v[m->cs_dpd] = dpd;
                ev->v[m->cs_overdue] = dpd > 0 ? balance / 10 : 0;
                counts[F_CREDIT] += keep_cs;
            }
        }
    /* tax_grades: published on 15 April for the year before */
    if (p->grades_day[at])
        for (size_t k = 0; k < p->n_tax; k++) {
            uint32_t fi = p->tax[k];
            const firm *f = &p->f[fi];
            int g = p->grade[fi];
            if (f->onset != 0 && d >= f->onset) {
                if (unif(s) < 0.6)
                    g++;
            } else if (unif(s) < 0.12) {
                g += rnd(s) % 2 ? 1 : -1;
            }
            g = g < 0 ? 0 : g > 4 ? 4 : g;
            p->grade[fi] = (uint8_t)g;
            ph_warn_event *ev = emit(b, p, F_TAX, fi, d, keep_tax);
            ev->v[m->tax_year] = y - 1;
            ev->v[m->tax_grade] = m->grade[g];
            counts[F_TAX] += keep_tax;
        }
    /* payments_daily: a row on a firm's trading days */
    for (int32_t fi = p->head[Q_PAY][at]; fi >= 0;) {
        int32_t next = p->next[Q_PAY][fi];
        const firm *f = &p->f[fi];
        if (trading(f, d)) {
            double h = health(f, d);
            int in_n = unif(s) < 0.08 ? 0 : 1 + (int)(rnd(s) % 4);
            int64_t in = in_n ? (int64_t)((double)f->pay_base * h * (0.3 + 1.4 * unif(s))) : 0;
            int out_n = (int)(rnd(s) % 3);
            int64_t out = out_n ? (int64_t)((double)f->pay_base * unif(s)) : 0;
            ph_warn_event *ev = emit(b, p, F_PAY, (uint32_t)fi, d, keep_pay);
            ev->v[m->pay_in_n] = in_n;
            ev->v[m->pay_in] = in;
            ev->v[m->pay_out_n] = out_n;
            ev->v[m->pay_out] = out;
            counts[F_PAY] += keep_pay;
            schedule(p, Q_PAY, (uint32_t)fi, d + gap(s, f->pay_rate));
        }
        fi = next;
    }
    /* electricity_daily: every day of a metered plant, a few meter gaps */
    for (size_t k = 0; k < p->n_elec; k++) {
        uint32_t fi = p->elec[k];
        const firm *f = &p->f[fi];
        if (d < f->elec_from || !trading(f, d))
            continue;
        double r = unif(s);
        if (r < 0.005)
            continue;
        int wd = (int)(((int64_t)d + 3) % 7); /* 0 Monday */
        double week = wd == 6 ? 0.7 : wd == 5 ? 0.85 : 1.0;
        double kwh = f->kwh_base * week * (0.85 + 0.3 * unif(s)) * health(f, d);
        ph_warn_event *ev = emit(b, p, F_ELEC, fi, d, keep_elec);
        ev->v[m->kwh] = (int64_t)(kwh + 0.5);
        counts[F_ELEC] += keep_elec;
    }
    /* logistics_gps: a trip is depart, 1-4 stops or unloads, arrive */
    for (int32_t fi = p->head[Q_GPS][at]; fi >= 0;) {
        int32_t next = p->next[Q_GPS][fi];
        const firm *f = &p->f[fi];
        if (trading(f, d)) {
            double h = health(f, d);
            int distressed = h < 1.0;
            int middle = 1 + (int)(rnd(s) % 3) + (unif(s) < 0.3);
            int64_t km = 0;
            for (int e = 0; e < middle + 2; e++) {
                int64_t what = e == 0            ? m->ev_depart
                               : e == middle + 1 ? m->ev_arrive
                               : unif(s) < 0.3   ? m->ev_stop
                                                 : m->ev_unload;
                double off = what == m->ev_stop     ? (distressed ? 0.12 : 0.02)
                             : what == m->ev_unload ? (distressed ? 0.05 : 0.003)
                             : what == m->ev_arrive ? 0.002
                                                    : 0.0;
                int offroute = unif(s) < off;
                km += e == 0 ? 0 : 5 + (int64_t)(rnd(s) % 120);
                ph_warn_event *ev = emit(b, p, F_GPS, (uint32_t)fi, d, keep_gps);
                ev->v[m->gps_seq] = e + 1;
                ev->v[m->gps_event] = what;
                ev->v[m->gps_route] = offroute ? m->route_n : m->route_y;
                ev->v[m->gps_km] = km;
                counts[F_GPS] += keep_gps;
            }
            schedule(p, Q_GPS, (uint32_t)fi, d + gap(s, f->gps_rate * h));
        }
        fi = next;
    }
    /* public_opinion: mentions, more of them and worse as health falls */
    for (int32_t fi = p->head[Q_OPINION][at]; fi >= 0;) {
        int32_t next = p->next[Q_OPINION][fi];
        const firm *f = &p->f[fi];
        double h = health(f, d);
        int mentions = 1;
        while (mentions < 50 && unif(s) < 0.5)
            mentions++;
        if (h < 1.0)
            mentions += (int)(rnd(s) % 3);
        double score = (h < 1.0 ? -0.35 : 0.15) + 0.35 * normal(s);
        score = score < -1 ? -1 : score > 1 ? 1 : score;
        ph_warn_event *ev = emit(b, p, F_OPINION, (uint32_t)fi, d, keep_op);
        ev->v[m->op_mentions] = mentions;
        ev->v[m->op_score] = (int64_t)llround(score * 1e4) * 10000; /* 4 places, in 1e-8 */
        counts[F_OPINION] += keep_op;
        schedule(p, Q_OPINION, (uint32_t)fi, d + gap(s, f->op_rate * (1 + 3 * (1 - h))));
        fi = next;
    }
    /* litigation: rare, and enforcement against the firm once it is in trouble */
    for (int32_t fi = p->head[Q_LIT][at]; fi >= 0;) {
        int32_t next = p->next[Q_LIT][fi];
        const firm *f = &p->f[fi];
        double h = health(f, d), r = unif(s);
        int64_t type, role;
        if (r < (h < 1.0 ? 0.4 : 0.1)) {
            type = m->lit_enforcement;
            role = m->role_enforced;
        } else if (r < 0.6) {
            type = m->lit_contract;
            role = rnd(s) % 3 ? m->role_defendant : m->role_plaintiff;
        } else if (r < 0.85) {
            type = m->lit_labor;
            role = m->role_defendant;
        } else {
            type = m->lit_loan;
            role = m->role_defendant;
        }
        ph_warn_event *ev = emit(b, p, F_LIT, (uint32_t)fi, d, keep_lit);
        ev->v[m->lit_type] = type;
        ev->v[m->lit_role] = role;
        ev->v[m->lit_amount] = 100000 + (int64_t)(rnd(s) % 50000000);
        ev->v[m->lit_status] = m->status_open;
        counts[F_LIT] += keep_lit;
        schedule(p, Q_LIT, (uint32_t)fi, d + gap(s, 0.0003 * (1 + 8 * (1 - h))));
        fi = next;
    }
}

/* ---- the rule sets -------------------------------------------------------------------- */

/* The JSON object starting at text[at] ('{'): the index just past its '}'. */
static size_t object_end(const char *text, size_t at)
{
    int depth = 0, in_string = 0;
    for (size_t i = at; text[i] != '\0'; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\' && text[i + 1] != '\0')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* What the peer computes, as the default set must still say it (members of
 * the rule's JSON object, in the document's own spelling). */
static const char *const INFLOW_TERMS[] = {
    "\"feed\": \"payments_daily\"", "\"field\": \"inflow_amount\"", "\"aggregate\": \"sum\"",
    "\"period\": \"week\"", "\"window\": 1", "\"compare\": \"baseline\"", "\"baseline\": 8",
    "\"when\": \"change < -40% and baseline >= 10000\"", "\"consecutive\": 2", NULL};
static const char *const POWER_TERMS[] = {
    "\"feed\": \"electricity_daily\"", "\"field\": \"kwh\"", "\"aggregate\": \"sum\"",
    "\"period\": \"day\"", "\"window\": 1", "\"compare\": \"peers\"", "\"baseline\": 28",
    "\"min_peers\": 5", "\"when\": \"ratio < 70%\"", "\"consecutive\": 7", NULL};
static const char *const WINDOWED_ID[2] = {"inflow_drop_2w", "power_below_peers_7d"};

/* The default set cut down to its two windowed rules (same levels section),
 * into buf; -1 when the default set no longer has them as the peer computes
 * them. */
static int windowed_only(char *buf, size_t size)
{
    const char *text = ph_warn_rules_default_text();
    const char *rules = strstr(text, "\"rules\": [");
    if (rules == NULL)
        return -1;
    size_t head = (size_t)(rules - text) + strlen("\"rules\": [");
    const char *const *terms[2] = {INFLOW_TERMS, POWER_TERMS};
    size_t from[2], to[2];
    for (int w = 0; w < 2; w++) {
        char needle[64];
        snprintf(needle, sizeof(needle), "{\"id\": \"%s\"", WINDOWED_ID[w]);
        const char *at = strstr(text, needle);
        if (at == NULL || (from[w] = (size_t)(at - text), to[w] = object_end(text, from[w])) == 0) {
            fprintf(stderr, "bench_warning: the default set has no rule %s\n", WINDOWED_ID[w]);
            return -1;
        }
        for (const char *const *t = terms[w]; *t != NULL; t++) {
            const char *hit = strstr(at, *t);
            if (hit == NULL || (size_t)(hit - text) >= to[w]) {
                fprintf(stderr, "bench_warning: the default set's rule %s no longer says %s, "
                                "which the SQLite peer computes\n", WINDOWED_ID[w], *t);
                return -1;
            }
        }
    }
    int n = snprintf(buf, size, "%.*s\n    %.*s,\n    %.*s\n  ]\n}\n", (int)head, text,
                     (int)(to[0] - from[0]), text + from[0], (int)(to[1] - from[1]),
                     text + from[1]);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* ---- what the engine reports ---------------------------------------------------------- */

typedef struct hits {
    uint64_t *key; /* firm << 32 | day */
    size_t n, cap;
} hits;

static int hits_add(hits *h, uint32_t f, ph_date day)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 1024;
        uint64_t *k = realloc(h->key, cap * sizeof(*k));
        if (k == NULL)
            return -1;
        h->key = k;
        h->cap = cap;
    }
    h->key[h->n++] = (uint64_t)f << 32 | (uint32_t)day;
    return 0;
}

typedef struct tally {
    size_t nrules;
    const char *id[MAX_RULES];
    int64_t hit[MAX_RULES];
    int64_t up[3], calm; /* colour changes: up to [yellow], [red]; down */
    int windowed[2];     /* the rule index of WINDOWED_ID[w] in this set; -1: none */
    hits list[2];        /* their hits */
    uint64_t digest;     /* FNV-1a of every report, evidence included, in order */
} tally;

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *c = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ c[i]) * 0x100000001B3ull;
    return h;
}

static void tally_init(tally *t, const ph_warn_rules *rules)
{
    memset(t, 0, sizeof(*t));
    t->nrules = ph_warn_rules_count(rules);
    if (t->nrules > MAX_RULES)
        t->nrules = MAX_RULES;
    t->windowed[0] = t->windowed[1] = -1;
    t->digest = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < t->nrules; i++) {
        t->id[i] = ph_warn_rules_at(rules, i)->id;
        for (int w = 0; w < 2; w++)
            if (strcmp(t->id[i], WINDOWED_ID[w]) == 0)
                t->windowed[w] = (int)i;
    }
}

static void tally_free(tally *t)
{
    free(t->list[0].key);
    free(t->list[1].key);
}

static ph_status on_report(void *user, const ph_warn_report *rep, ph_error *err)
{
    tally *t = user;
    int32_t fixed[6] = {(int32_t)rep->kind, rep->day,           (int32_t)rep->firm,
                        (int32_t)rep->level, (int32_t)rep->previous, (int32_t)rep->action};
    t->digest = fnv(t->digest, fixed, sizeof(fixed));
    t->digest = fnv(t->digest, rep->rule, strlen(rep->rule) + 1);
    t->digest = fnv(t->digest, rep->evidence, strlen(rep->evidence) + 1);
    if (rep->kind == PH_WARN_LEVEL) {
        if (rep->level > rep->previous)
            t->up[rep->level]++;
        else
            t->calm++;
        return PH_OK;
    }
    size_t i = 0;
    while (i < t->nrules && rep->rule != t->id[i]) /* the set's own pointers */
        i++;
    for (size_t k = 0; i == t->nrules && k < t->nrules; k++)
        if (strcmp(rep->rule, t->id[k]) == 0)
            i = k;
    if (i == t->nrules)
        return PH_OK;
    t->hit[i]++;
    for (int w = 0; w < 2; w++)
        if ((int)i == t->windowed[w] && hits_add(&t->list[w], rep->firm, rep->day) != 0)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the hits");
    return PH_OK;
}

/* ---- resident memory ------------------------------------------------------------------ */

/* A line of /proc/self/status in kB ("VmRSS", "VmHWM"); -1 when unknown. */
static long status_kb(const char *key)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t len = strlen(key);
    while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
        if (strncmp(line, key, len) == 0 && line[len] == ':') {
            kb = strtol(line + len + 1, NULL, 10);
            break;
        }
    if (fp != NULL)
        fclose(fp);
    return kb;
}

/* ---- the library's heap: a counting allocator ---------------------------------------- */

/* Every allocation through the context carries its size in a 16-byte
 * prefix, so that the bytes the engine holds are known exactly, whatever
 * the C library keeps from earlier phases (its RSS does not fall back). One
 * thread: plain counters. */
typedef struct heap_count {
    size_t live, peak;
} heap_count;

static void *count_malloc(void *user, size_t size)
{
    heap_count *h = user;
    size_t *p = malloc(size + 16);
    if (p == NULL)
        return NULL;
    *p = size;
    h->live += size;
    if (h->live > h->peak)
        h->peak = h->live;
    return (char *)p + 16;
}

static void count_free(void *user, void *ptr)
{
    heap_count *h = user;
    if (ptr == NULL)
        return;
    size_t *p = (size_t *)((char *)ptr - 16);
    h->live -= *p;
    free(p);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    heap_count *h = user;
    if (ptr == NULL)
        return count_malloc(user, size);
    size_t *p = (size_t *)((char *)ptr - 16), old = *p;
    size_t *q = realloc(p, size + 16);
    if (q == NULL)
        return NULL;
    *q = size;
    h->live = h->live - old + size;
    if (h->live > h->peak)
        h->peak = h->live;
    return (char *)q + 16;
}

/* ---- the engine's run ----------------------------------------------------------------- */

typedef struct run {
    int64_t events[NF], total;
    double reg_wall, reg_cpu, push_wall, push_cpu, close_wall, close_cpu;
    size_t bytes_per_firm;
    long rss0, hwm0, rss1, hwm1; /* kB, before the engine and after its run */
    size_t heap_peak;            /* bytes the engine held at most (the allocator's count) */
    int64_t level_now[3];
} run;

static double run_cpu(const run *r)
{
    return r->push_cpu + r->close_cpu;
}

static double run_wall(const run *r)
{
    return r->push_wall + r->close_wall;
}

/* Replay the province through `rules`: the feeds of `mask`, every firm
 * watched, day by day. */
static int run_engine(const ph_ctx *ctx, heap_count *heap, province *p,
                      const ph_warn_rules *rules, unsigned mask, tally *t, run *r)
{
    memset(r, 0, sizeof(*r));
    province_rewind(p);
    /* the day's batch at its largest (15 April, a month end), touched now so
     * that it is not counted as the engine's memory */
    batch b = {NULL, 0, 2 * p->n + 65536, {0}};
    b.e = malloc(b.cap * sizeof(ph_warn_event));
    if (b.e == NULL) {
        fprintf(stderr, "bench_warning: out of memory for a day's events\n");
        return -1;
    }
    memset(b.e, 0, b.cap * sizeof(ph_warn_event));
    r->rss0 = status_kb("VmRSS");
    r->hwm0 = status_kb("VmHWM");
    size_t live0 = heap->live;
    heap->peak = heap->live;
    ph_error err;
    ph_warn_engine *eng = NULL;
    ph_warn_engine_opts opts = {on_report, t};
    ph_status st = ph_warn_engine_new(ctx, rules, &opts, &eng, &err);
    bench_clock t0 = bench_clock_now();
    for (size_t i = 0; i < p->n && st == PH_OK; i++) {
        char uscc[32];
        uint32_t index = 0;
        snprintf(uscc, sizeof(uscc), "91%06d%010zu", (int)p->f[i].division, i);
        st = ph_warn_engine_add_firm(eng, uscc, p->f[i].division, p->f[i].section, 1, &index,
                                     &err);
    }
    for (size_t i = 0; i < p->n_links && st == PH_OK; i++)
        st = ph_warn_engine_add_link(eng, p->link_chain[i], p->link_supplier[i],
                                     p->link_buyer[i], &err);
    bench_clock t1 = bench_clock_now();
    r->reg_wall = t1.wall - t0.wall;
    r->reg_cpu = t1.cpu - t0.cpu;
    for (ph_date d = p->start; d <= p->end && st == PH_OK; d++) {
        province_day(p, d, mask, &b, r->events);
        bench_clock c0 = bench_clock_now();
        st = ph_warn_engine_close_through(eng, d - 1, &err);
        bench_clock c1 = bench_clock_now();
        if (st == PH_OK)
            st = ph_warn_engine_push(eng, b.e, b.n, &err);
        bench_clock c2 = bench_clock_now();
        r->close_wall += c1.wall - c0.wall;
        r->close_cpu += c1.cpu - c0.cpu;
        r->push_wall += c2.wall - c1.wall;
        r->push_cpu += c2.cpu - c1.cpu;
    }
    if (st == PH_OK) {
        bench_clock c0 = bench_clock_now();
        st = ph_warn_engine_close_through(eng, p->end, &err);
        bench_clock c1 = bench_clock_now();
        r->close_wall += c1.wall - c0.wall;
        r->close_cpu += c1.cpu - c0.cpu;
    }
    if (st != PH_OK)
        fprintf(stderr, "bench_warning: the engine: %s\n", err.message);
    for (int f = 0; f < NF; f++)
        r->total += r->events[f];
    for (size_t i = 0; st == PH_OK && i < p->n; i++)
        r->level_now[ph_warn_engine_level(eng, (uint32_t)i)]++;
    r->bytes_per_firm = ph_warn_engine_bytes_per_firm(eng);
    r->rss1 = status_kb("VmRSS");
    r->hwm1 = status_kb("VmHWM");
    r->heap_peak = heap->peak - live0;
    ph_warn_engine_free(eng);
    free(b.e);
    return st == PH_OK ? 0 : -1;
}

static void print_run(const char *what, const province *p, const run *r, const tally *t)
{
    printf("%s: %zu firms x %d days, %" PRId64 " events\n", what, p->n, p->days, r->total);
    printf("  register firms and %zu links: %.3f s CPU, %.3f s wall\n", p->n_links, r->reg_cpu,
           r->reg_wall);
    printf("  push  %8.3f s CPU %8.3f s wall\n", r->push_cpu, r->push_wall);
    printf("  close %8.3f s CPU %8.3f s wall\n", r->close_cpu, r->close_wall);
    printf("  total %8.3f s CPU %8.3f s wall: %.2fM events per CPU second, %.2fM per wall "
           "second\n",
           run_cpu(r), run_wall(r), (double)r->total / run_cpu(r) / 1e6,
           (double)r->total / run_wall(r) / 1e6);
    printf("  hits:");
    for (size_t i = 0; i < t->nrules; i++)
        printf(" %s %" PRId64, t->id[i], t->hit[i]);
    printf("\n  colour changes: to yellow %" PRId64 ", to red %" PRId64 ", calmed %" PRId64
           "; at the end green %" PRId64 ", yellow %" PRId64 ", red %" PRId64 "\n",
           t->up[PH_WARN_YELLOW], t->up[PH_WARN_RED], t->calm, r->level_now[0], r->level_now[1],
           r->level_now[2]);
    printf("  digest of every report (kind, day, firm, rule, levels, action, evidence): %016" PRIx64
           "\n", t->digest);
}

/* ---- the peer: SQLite window functions ------------------------------------------------ */

/* The peer's two queries. Each builds a grid of every firm and period from
 * its first event on (a period without an event counts 0, as in the
 * engine's ring), by a UNION ALL of the events and zero rows summed by
 * GROUP BY; takes the window and baseline with window frames; and finds
 * runs of the condition with the running count of failures as a run's key.
 * This was the fastest of the forms tried on 20,000 firms x 12 months
 * (grid by LEFT JOIN to the per-period sums: inflow 3.6 s instead of 2.2 s
 * CPU, power about the same; runs by SUM() over the last K periods and LAG():
 * no faster). The (firm, day) indexes are built after the load, and timed
 * apart: they speed up `first`.
 *
 * inflow_drop_2w: each firm's weekly inflow (ISO weeks, Monday first: week
 * (day + 3) / 7 of days since 1970-01-01, ending on day 7 * week + 3), every
 * week from its first with a payment to the last whole week (none: 0),
 * against the mean of its previous 8 weeks once it has 9; change < -40%
 * and that mean 10,000 yuan or more (the 8 weeks' sum 8,000,000 fen or
 * more: exact, as the engine's baseline is that sum / 8) two weeks
 * running: the hit is the second week of each run. ?1 the last whole week,
 * ?2 the first week. */
static const char PEER_INFLOW[] =
    "WITH RECURSIVE\n"
    " weeks(week) AS (SELECT ?2 UNION ALL SELECT week + 1 FROM weeks WHERE week < ?1),\n"
    " first AS (SELECT firm, (MIN(day) + 3) / 7 AS week0 FROM pay GROUP BY firm),\n"
    " grid AS (SELECT firm, week, SUM(amount) AS amount\n"
    "          FROM (SELECT firm, (day + 3) / 7 AS week, inflow AS amount FROM pay\n"
    "                WHERE day <= ?1 * 7 + 3\n"
    "                UNION ALL\n"
    "                SELECT f.firm, w.week, 0 FROM first f JOIN weeks w ON w.week >= f.week0)\n"
    "          GROUP BY firm, week),\n"
    " win AS (SELECT firm, week, amount, ROW_NUMBER() OVER byweek AS n,\n"
    "                SUM(amount) OVER (byweek ROWS BETWEEN 8 PRECEDING AND 1 PRECEDING) AS base\n"
    "         FROM grid WINDOW byweek AS (PARTITION BY firm ORDER BY week)),\n"
    " cond AS (SELECT firm, week,\n"
    "                 CASE WHEN n >= 9 AND base >= 8000000 AND amount * 8.0 / base - 1 < -0.4\n"
    "                      THEN 1 ELSE 0 END AS c FROM win),\n"
    " runs AS (SELECT firm, week, c, SUM(1 - c) OVER (PARTITION BY firm ORDER BY week\n"
    "                                                 ROWS UNBOUNDED PRECEDING) AS run\n"
    "          FROM cond),\n"
    " streaks AS (SELECT firm, week, ROW_NUMBER() OVER (PARTITION BY firm, run ORDER BY week) AS k\n"
    "             FROM runs WHERE c = 1)\n"
    "SELECT firm, week * 7 + 3 FROM streaks WHERE k = 2";

/* power_below_peers_7d: each firm's daily kWh (none: 0) every day from its
 * first reading, over its own previous-28-day mean once it has 29 days; the
 * industry x city group's mean of that index that day, when 5 firms or more
 * have one; ratio < 70% seven days running: the hit is the seventh day of
 * each run. ?1 the last day, ?2 the first. */
static const char PEER_POWER[] =
    "WITH RECURSIVE\n"
    " days(day) AS (SELECT ?2 UNION ALL SELECT day + 1 FROM days WHERE day < ?1),\n"
    " first AS (SELECT firm, MIN(day) AS day0 FROM elec GROUP BY firm),\n"
    " grid AS (SELECT firm, day, SUM(kwh) AS kwh\n"
    "          FROM (SELECT firm, day, kwh FROM elec\n"
    "                UNION ALL\n"
    "                SELECT f.firm, d.day, 0 FROM first f JOIN days d ON d.day >= f.day0)\n"
    "          GROUP BY firm, day),\n"
    " win AS (SELECT firm, day, kwh, ROW_NUMBER() OVER byday AS n,\n"
    "                SUM(kwh) OVER (byday ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING) AS base\n"
    "         FROM grid WINDOW byday AS (PARTITION BY firm ORDER BY day)),\n"
    " idx AS (SELECT w.firm, w.day, g.grp,\n"
    "                CASE WHEN n >= 29 AND base > 0 THEN kwh * 28.0 / base END AS x\n"
    "         FROM win w JOIN firm g ON g.firm = w.firm),\n"
    " peers AS (SELECT firm, day, x, AVG(x) OVER bygroup AS mean, COUNT(x) OVER bygroup AS peers\n"
    "           FROM idx WINDOW bygroup AS (PARTITION BY grp, day)),\n"
    " cond AS (SELECT firm, day,\n"
    "                 CASE WHEN x IS NOT NULL AND peers >= 5 AND mean > 0 AND x / mean < 0.7\n"
    "                      THEN 1 ELSE 0 END AS c FROM peers),\n"
    " runs AS (SELECT firm, day, c, SUM(1 - c) OVER (PARTITION BY firm ORDER BY day\n"
    "                                                ROWS UNBOUNDED PRECEDING) AS run\n"
    "          FROM cond),\n"
    " streaks AS (SELECT firm, day, ROW_NUMBER() OVER (PARTITION BY firm, run ORDER BY day) AS k\n"
    "             FROM runs WHERE c = 1)\n"
    "SELECT firm, day FROM streaks WHERE k = 7";

typedef struct peer {
    int64_t rows[2]; /* payments, electricity */
    double load_wall, load_cpu, index_wall, index_cpu;
    double q_wall[2], q_cpu[2];
    hits list[2];
} peer;

static int sql_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_warning: SQLite: %s\n  in: %s\n", msg ? msg : "?", sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int run_peer(province *p, peer *pr)
{
    memset(pr, 0, sizeof(*pr));
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        fprintf(stderr, "bench_warning: SQLite: cannot open an in-memory database\n");
        sqlite3_close(db);
        return -1;
    }
    /* SQLite's defaults otherwise: a larger cache_size or temp_store=MEMORY
     * made the queries' sorts slower (inflow 2.4 s -> 2.7 s and 4.2 s CPU at
     * 20,000 x 12); their spills go to $TMPDIR's page cache */
    int rc = sql_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                          "CREATE TABLE firm(firm INTEGER PRIMARY KEY, grp INTEGER NOT NULL);"
                          "CREATE TABLE pay(firm INTEGER NOT NULL, day INTEGER NOT NULL,"
                          " inflow INTEGER NOT NULL);"
                          "CREATE TABLE elec(firm INTEGER NOT NULL, day INTEGER NOT NULL,"
                          " kwh INTEGER NOT NULL);");
    sqlite3_stmt *ins[3] = {NULL, NULL, NULL};
    const char *const INSERT[3] = {"INSERT INTO firm VALUES (?1, ?2)",
                                   "INSERT INTO pay VALUES (?1, ?2, ?3)",
                                   "INSERT INTO elec VALUES (?1, ?2, ?3)"};
    for (int i = 0; i < 3 && rc == 0; i++)
        if (sqlite3_prepare_v2(db, INSERT[i], -1, &ins[i], NULL) != SQLITE_OK)
            rc = -1;
    province_rewind(p);
    batch b = {NULL, 0, 0, {0}};
    int64_t counts[NF] = {0};
    bench_clock t0 = bench_clock_now();
    rc = rc == 0 ? sql_exec(db, "BEGIN") : rc;
    for (size_t i = 0; i < p->n && rc == 0; i++) {
        /* the engine's group: section x city (the division's first four digits) */
        int64_t grp = (int64_t)(p->f[i].section - 'A' + 1) * 100000 + p->f[i].division / 100;
        sqlite3_bind_int64(ins[0], 1, (sqlite3_int64)i);
        sqlite3_bind_int64(ins[0], 2, grp);
        rc = sqlite3_step(ins[0]) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(ins[0]);
    }
    bench_clock t1 = bench_clock_now();
    pr->load_wall += t1.wall - t0.wall;
    pr->load_cpu += t1.cpu - t0.cpu;
    for (ph_date d = p->start; d <= p->end && rc == 0; d++) {
        province_day(p, d, MASK_WINDOWED, &b, counts);
        bench_clock c0 = bench_clock_now();
        for (size_t i = 0; i < b.n && rc == 0; i++) {
            const ph_warn_event *ev = &b.e[i];
            int which = ev->feed == p->m.feed[F_PAY] ? 1 : 2;
            int64_t v = which == 1 ? ev->v[p->m.pay_in] : ev->v[p->m.kwh];
            sqlite3_bind_int64(ins[which], 1, ev->firm);
            sqlite3_bind_int64(ins[which], 2, ev->day);
            sqlite3_bind_int64(ins[which], 3, v);
            rc = sqlite3_step(ins[which]) == SQLITE_DONE ? 0 : -1;
            sqlite3_reset(ins[which]);
        }
        bench_clock c1 = bench_clock_now();
        pr->load_wall += c1.wall - c0.wall;
        pr->load_cpu += c1.cpu - c0.cpu;
    }
    t0 = bench_clock_now();
    rc = rc == 0 ? sql_exec(db, "COMMIT") : rc;
    t1 = bench_clock_now();
    pr->load_wall += t1.wall - t0.wall;
    pr->load_cpu += t1.cpu - t0.cpu;
    if (rc != 0)
        fprintf(stderr, "bench_warning: SQLite: %s\n", sqlite3_errmsg(db));
    for (int i = 0; i < 3; i++)
        sqlite3_finalize(ins[i]);
    free(b.e);
    pr->rows[0] = counts[F_PAY];
    pr->rows[1] = counts[F_ELEC];
    /* the indexes the queries' GROUP BY and joins use, timed as part of the load */
    t0 = bench_clock_now();
    rc = rc == 0 ? sql_exec(db, "CREATE INDEX pay_firm_day ON pay(firm, day);"
                                "CREATE INDEX elec_firm_day ON elec(firm, day);")
                 : rc;
    t1 = bench_clock_now();
    pr->index_wall = t1.wall - t0.wall;
    pr->index_cpu = t1.cpu - t0.cpu;
    const char *const QUERY[2] = {PEER_INFLOW, PEER_POWER};
    int64_t last[2] = {((int64_t)p->end - 3) / 7, p->end}; /* the last whole week, the last day */
    int64_t first[2] = {((int64_t)p->start + 3) / 7, p->start};
    for (int q = 0; q < 2 && rc == 0; q++) {
        sqlite3_stmt *st = NULL;
        bench_clock q0 = bench_clock_now();
        if (sqlite3_prepare_v2(db, QUERY[q], -1, &st, NULL) != SQLITE_OK) {
            rc = -1;
        } else {
            sqlite3_bind_int64(st, 1, last[q]);
            sqlite3_bind_int64(st, 2, first[q]);
            int s;
            while ((s = sqlite3_step(st)) == SQLITE_ROW && rc == 0)
                rc = hits_add(&pr->list[q], (uint32_t)sqlite3_column_int64(st, 0),
                              (ph_date)sqlite3_column_int64(st, 1));
            if (s != SQLITE_DONE && rc == 0)
                rc = -1;
        }
        bench_clock q1 = bench_clock_now();
        pr->q_wall[q] = q1.wall - q0.wall;
        pr->q_cpu[q] = q1.cpu - q0.cpu;
        if (rc != 0)
            fprintf(stderr, "bench_warning: SQLite, %s: %s\n", WINDOWED_ID[q], sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return rc;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void print_key(const char *label, uint64_t key, const province *p)
{
    char day[PH_DATE_FORMAT_MAX];
    uint32_t f = (uint32_t)(key >> 32);
    ph_date_format((ph_date)(uint32_t)key, day, sizeof(day), NULL);
    printf("    %s firm %u (91%06d%010u, section %c) on %s\n", label, f, (int)p->f[f].division, f,
           p->f[f].section, day);
}

/* Compare the engine's hits of a rule with the peer's, every one; print the
 * counts, a sample of common ones and every difference (up to 10). The
 * number of differences. */
static int64_t compare_hits(const char *rule, hits *eng, hits *peer_hits, const province *p)
{
    qsort(eng->key, eng->n, sizeof(uint64_t), cmp_u64);
    qsort(peer_hits->key, peer_hits->n, sizeof(uint64_t), cmp_u64);
    size_t i = 0, j = 0, common = 0, only_eng = 0, only_peer = 0, shown = 0;
    printf("  %s: engine %zu hits, peer %zu hits\n", rule, eng->n, peer_hits->n);
    while (i < eng->n || j < peer_hits->n) {
        if (j == peer_hits->n || (i < eng->n && eng->key[i] < peer_hits->key[j])) {
            if (shown++ < 10)
                print_key("only the engine:", eng->key[i], p);
            only_eng++;
            i++;
        } else if (i == eng->n || peer_hits->key[j] < eng->key[i]) {
            if (shown++ < 10)
                print_key("only the peer:  ", peer_hits->key[j], p);
            only_peer++;
            j++;
        } else {
            /* a sample: the first, and then one in every n/3 */
            if (common == 0 || (eng->n >= 3 && common % (eng->n / 3) == 0))
                print_key("both:           ", eng->key[i], p);
            common++;
            i++;
            j++;
        }
    }
    printf("    %zu in both, %zu only the engine's, %zu only the peer's\n", common, only_eng,
           only_peer);
    return (int64_t)(only_eng + only_peer);
}

/* ---- main ----------------------------------------------------------------------------- */

static int same_hits(hits *a, hits *b)
{
    qsort(a->key, a->n, sizeof(uint64_t), cmp_u64);
    qsort(b->key, b->n, sizeof(uint64_t), cmp_u64);
    return a->n == b->n && (a->n == 0 || memcmp(a->key, b->key, a->n * sizeof(uint64_t)) == 0);
}

static double per_second(double n, double seconds)
{
    return seconds > 0 ? n / seconds : 0;
}

int main(int argc, char **argv)
{
    long long firms = 100000, months = 24, seed = 1, distress = 8;
    long long replay_firms = 1000000, replay_months = 24;
    int with_peer = 1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int bad = 0;
        if (strcmp(o, "--firms") == 0 && i + 1 < argc)
            bad = bench_number(argv[0], o, argv[++i], 100, 50000000, &firms);
        else if (strcmp(o, "--months") == 0 && i + 1 < argc)
            bad = bench_number(argv[0], o, argv[++i], 2, 120, &months);
        else if (strcmp(o, "--seed") == 0 && i + 1 < argc)
            bad = bench_number(argv[0], o, argv[++i], 0, INT64_MAX, &seed);
        else if (strcmp(o, "--distress") == 0 && i + 1 < argc)
            bad = bench_number(argv[0], o, argv[++i], 0, 100, &distress);
        else if (strcmp(o, "--replay-firms") == 0 && i + 1 < argc)
            bad = bench_number(argv[0], o, argv[++i], 0, 50000000, &replay_firms);
        else if (strcmp(o, "--replay-months") == 0 && i + 1 < argc)
            bad = bench_number(argv[0], o, argv[++i], 2, 120, &replay_months);
        else if (strcmp(o, "--no-peer") == 0)
            with_peer = 0;
        else {
            fprintf(stderr,
                    "usage: %s [--firms N] [--months M] [--seed S] [--distress PERCENT]\n"
                    "       [--replay-firms N] [--replay-months M] [--no-peer]\n",
                    argv[0]);
            return 2;
        }
        if (bad)
            return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* each phase's lines as they come, into a pipe too */
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_warn_rules *rules = NULL, *two = NULL;
    char two_text[16384];
    heap_count heap = {0, 0};
    ph_allocator counting = {count_malloc, count_realloc, count_free, &heap};
    ph_ctx_options ctx_options;
    memset(&ctx_options, 0, sizeof(ctx_options));
    ctx_options.allocator = &counting;
    ctx_options.log_level = PH_LOG_WARN;
    if (ph_ctx_new(&ctx_options, &ctx, &err) != PH_OK) {
        fprintf(stderr, "bench_warning: %s\n", err.message);
        return 1;
    }
    const char *text = ph_warn_rules_default_text();
    if (ph_warn_rules_load(ctx, text, strlen(text), "default", &rules, &err) != PH_OK) {
        fprintf(stderr, "bench_warning: %s\n", err.message);
        return 1;
    }
    if (with_peer && windowed_only(two_text, sizeof(two_text)) != 0) {
        fprintf(stderr, "bench_warning: the SQLite peer is skipped (update its queries to the "
                        "default set's rules)\n");
        with_peer = 0;
    }
    if (with_peer &&
        ph_warn_rules_load(ctx, two_text, strlen(two_text), "windowed", &two, &err) != PH_OK) {
        fprintf(stderr, "bench_warning: %s\n", err.message);
        return 1;
    }
    printf("bench_warning: the default rule set (%zu rules, checksum %.16s...), one thread, "
           "sizeof(ph_warn_event) %zu, seed %lld, %lld%% of firms in distress\n",
           ph_warn_rules_count(rules), ph_warn_rules_checksum(rules), sizeof(ph_warn_event), seed,
           distress);
    province p;
    if (province_new(&p, (size_t)firms, (int)months, (uint64_t)seed, (double)distress / 100) != 0)
        return 1;
    char from[PH_DATE_FORMAT_MAX], to[PH_DATE_FORMAT_MAX];
    ph_date_format(p.start, from, sizeof(from), NULL);
    ph_date_format(p.end, to, sizeof(to), NULL);
    printf("province: %zu firms, %s to %s (%d days), %zu supply-chain links\n\n", p.n, from, to,
           p.days, p.n_links);

    /* 1. the default set, every feed */
    tally ta, tb;
    run ra, rb;
    tally_init(&ta, rules);
    memset(&tb, 0, sizeof(tb));
    if (two != NULL)
        tally_init(&tb, two);
    if (run_engine(ctx, &heap, &p, rules, MASK_ALL, &ta, &ra) != 0)
        return 1;
    print_run("default rule set", &p, &ra, &ta);
    printf("  events per firm-day by feed (this run / puhui gen's):");
    for (int f = 0; f < NF; f++)
        printf("%s %s %.4f/%.4f", f ? "," : "", FEED_NAME[f],
               (double)ra.events[f] / (double)p.n / p.days, GEN_DENSITY[f]);
    double peak_per_firm = (double)(ra.hwm1 - ra.hwm0) * 1024.0 / (double)p.n;
    printf("\n  memory per firm: %zu bytes of state (ph_warn_engine_bytes_per_firm), %.0f bytes "
           "of heap at the peak (state, scratch, index), peak RSS %ld -> %ld MB: %.0f bytes\n\n",
           ra.bytes_per_firm, (double)ra.heap_peak / (double)p.n, ra.hwm0 / 1024, ra.hwm1 / 1024,
           peak_per_firm);

    /* 2. the two windowed rules alone, their two feeds, and the SQLite peer */
    peer pr;
    int64_t peer_events = 0, mismatches = -1;
    double peer_cpu = 0, peer_wall = 0;
    memset(&rb, 0, sizeof(rb));
    if (with_peer) {
        if (run_engine(ctx, &heap, &p, two, MASK_WINDOWED, &tb, &rb) != 0)
            return 1;
        print_run("the two windowed rules only (payments and electricity events)", &p, &rb, &tb);
        int same = same_hits(&ta.list[0], &tb.list[0]) && same_hits(&ta.list[1], &tb.list[1]);
        printf("  their hits are %s the default run's\n\n",
               same ? "the same as" : "NOT the same as");
        if (run_peer(&p, &pr) != 0)
            return 1;
        peer_events = pr.rows[0] + pr.rows[1];
        peer_cpu = pr.q_cpu[0] + pr.q_cpu[1];
        peer_wall = pr.q_wall[0] + pr.q_wall[1];
        printf("SQLite %s peer (in memory, window functions): %" PRId64 " payments and %" PRId64
               " electricity rows\n",
               sqlite3_libversion(), pr.rows[0], pr.rows[1]);
        printf("  load  %8.3f s CPU %8.3f s wall (%.2fM rows per CPU second), indexes %.3f s "
               "CPU %.3f s wall\n",
               pr.load_cpu, pr.load_wall, per_second((double)peer_events, pr.load_cpu) / 1e6,
               pr.index_cpu, pr.index_wall);
        for (int q = 0; q < 2; q++)
            printf("  query %s %8.3f s CPU %8.3f s wall\n", WINDOWED_ID[q], pr.q_cpu[q],
                   pr.q_wall[q]);
        printf("  queries %.3f s CPU %.3f s wall: %.2fM events per CPU second, %.2fM per wall "
               "second\n",
               peer_cpu, peer_wall, per_second((double)peer_events, peer_cpu) / 1e6,
               per_second((double)peer_events, peer_wall) / 1e6);
        mismatches = 0;
        for (int w = 0; w < 2; w++)
            mismatches += compare_hits(WINDOWED_ID[w], &ta.list[w], &pr.list[w], &p);
        printf("\n");
    }
    province_free(&p);

    /* 4. the replay of the full province */
    province rp;
    tally tr;
    run rr;
    memset(&rr, 0, sizeof(rr));
    int replayed = 0;
    if (replay_firms > 0) {
        if (province_new(&rp, (size_t)replay_firms, (int)replay_months, (uint64_t)seed,
                         (double)distress / 100) != 0)
            return 1;
        tally_init(&tr, rules);
        if (run_engine(ctx, &heap, &rp, rules, MASK_ALL, &tr, &rr) != 0)
            return 1;
        print_run("replay, default rule set", &rp, &rr, &tr);
        printf("  memory per firm: %zu bytes of state, %.0f bytes of heap at the peak; process "
               "peak RSS %ld MB\n\n",
               rr.bytes_per_firm, (double)rr.heap_peak / (double)rp.n, rr.hwm1 / 1024);
        replayed = 1;
        tally_free(&tr);
    }

    /* the table */
    double a_cpu = per_second((double)ra.total, run_cpu(&ra));
    double b_cpu = per_second((double)rb.total, run_cpu(&rb));
    double s_cpu = per_second((double)peer_events, peer_cpu);
    printf("%-58s %s\n", "measure", "value");
    printf("%-58s %lld firms x %lld months, %.1fM events\n", "province", firms, months,
           (double)ra.total / 1e6);
    printf("%-58s %.2fM (target 5M: %s)\n", "default set: events per CPU second", a_cpu / 1e6,
           a_cpu >= TARGET_EVENTS_PER_CPU_SECOND ? "met" : "below");
    printf("%-58s %.2fM\n", "default set: events per wall second",
           per_second((double)ra.total, run_wall(&ra)) / 1e6);
    printf("%-58s %.2f / %.2f (push %.2f / %.2f, close %.2f / %.2f)\n",
           "default set: CPU s / wall s", run_cpu(&ra), run_wall(&ra), ra.push_cpu, ra.push_wall,
           ra.close_cpu, ra.close_wall);
    int64_t all_hits = 0;
    for (size_t i = 0; i < ta.nrules; i++)
        all_hits += ta.hit[i];
    printf("%-58s %" PRId64 " hits; %" PRId64 " to yellow, %" PRId64 " to red, %" PRId64
           " calmed\n",
           "default set: hits, colour changes", all_hits, ta.up[1], ta.up[2], ta.calm);
    if (with_peer) {
        printf("%-58s %.2fM per CPU s, %.2fM per wall s\n", "two windowed rules alone: events",
               b_cpu / 1e6, per_second((double)rb.total, run_wall(&rb)) / 1e6);
        printf("%-58s %.2f / %.2f (%.2fM rows per CPU s; indexes %.2f / %.2f)\n",
               "SQLite peer: load CPU s / wall s", pr.load_cpu, pr.load_wall,
               per_second((double)peer_events, pr.load_cpu) / 1e6, pr.index_cpu, pr.index_wall);
        printf("%-58s %.2f / %.2f: %.2fM events per CPU s\n", "SQLite peer: queries CPU s / wall s",
               peer_cpu, peer_wall, s_cpu / 1e6);
        printf("%-58s %.1fx (CPU), %.1fx (wall)\n", "ratio engine / peer, two rules alike",
               b_cpu / s_cpu,
               per_second((double)rb.total, run_wall(&rb)) / per_second((double)peer_events,
                                                                        peer_wall));
        printf("%-58s %.1fx (CPU)\n", "ratio engine (default set) / peer (two rules)",
               a_cpu / s_cpu);
        printf("%-58s %s (%zu + %zu hits; %" PRId64 " differ)\n", "peer finds the engine's hits",
               mismatches == 0 ? "yes, every one" : "NO", ta.list[0].n, ta.list[1].n, mismatches);
    }
    printf("%-58s %zu\n", "memory: engine state, bytes per firm", ra.bytes_per_firm);
    printf("%-58s %.0f\n", "memory: engine heap at its peak per firm, bytes",
           (double)ra.heap_peak / (double)firms);
    printf("%-58s %.0f\n", "memory: peak RSS growth per firm, bytes", peak_per_firm);
    if (replayed)
        printf("%-58s %.1f s CPU, %.1f s wall, %.1fM events (%.2fM per CPU s); heap %.0f "
               "bytes per firm\n",
               "replay (measured)", run_cpu(&rr), run_wall(&rr), (double)rr.total / 1e6,
               per_second((double)rr.total, run_cpu(&rr)) / 1e6,
               (double)rr.heap_peak / (double)replay_firms);
    printf("peak RSS %ld MB\n", bench_peak_rss_mb());
    if (replayed)
        province_free(&rp);
    tally_free(&ta);
    tally_free(&tb);
    if (with_peer) {
        free(pr.list[0].key);
        free(pr.list[1].key);
    }
    ph_warn_rules_free(two);
    ph_warn_rules_free(rules);
    ph_ctx_free(ctx);
    return 0;
}
