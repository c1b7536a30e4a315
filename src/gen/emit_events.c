/*
 * puhui gen — events: court cases, administrative penalties, patents and
 * government subsidies.
 *
 * Court cases and penalties arrive faster as a firm weakens (suppliers sue,
 * staff go to arbitration, corners are cut); after a default the lender
 * sues and enforcement follows. Patents come from firms that innovate,
 * subsidies from the programmes a firm qualifies for.
 */
#include <math.h>
#include <stdio.h>

#include "gen/gen_internal.h"

/* Distress seen from outside: 0 at the firm's normal, growing as activity falls. */
static double strain(const gen_path *p, int t)
{
    double a = gen_activity(p, t, 0);
    return a >= 1.0 ? 0.0 : -log(fmax(a, 0.02));
}

static ph_date random_day(gen_rng *r, const gen_run *run, int t)
{
    return run->month_first[t + GEN_LAG]
           + (ph_date)gen_below(r, (uint64_t)gen_days_in_window_month(run, t));
}

/* --- litigation ------------------------------------------------------------ */

typedef struct case_kind {
    const char *type;
    const char *role;
    const char *word;     /* the case-number word: 民初 civil first instance, 执 enforcement */
    double weight;
    double amount_scale;  /* share of a year's revenue */
} case_kind;

static const case_kind case_kinds[] = {
    {"contract_dispute", "defendant", "\xE6\xB0\x91\xE5\x88\x9D", 0.38, 0.08},
    {"contract_dispute", "plaintiff", "\xE6\xB0\x91\xE5\x88\x9D", 0.22, 0.05},
    {"labor_dispute", "defendant", "\xE6\xB0\x91\xE5\x88\x9D", 0.2, 0.01},
    {"loan_dispute", "defendant", "\xE6\xB0\x91\xE5\x88\x9D", 0.1, 0.12},
    {"enforcement", "enforced_party", "\xE6\x89\xA7", 0.1, 0.06},
};

static void put_case(gen_firm_ctx *fc, gen_rng *r, const case_kind *k, ph_date filed, double amount,
                     int serial)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    int y, m, d;
    gen_civil(filed, &y, &m, &d);
    char case_no[64];
    /* (2024)鲁0102民初1234号: year, the court's province abbreviation and
     * division, the kind of case, the court's serial number */
    snprintf(case_no, sizeof(case_no), "(%d)\xE9\xB2\x81%04d%s%d\xE5\x8F\xB7", y, f->region % 10000,
             k->word, serial);
    ph_date closed = filed + 60 + (ph_date)gen_below(r, 360);
    gen_buf *b = &fc->block->out[GEN_F_LITIGATION];
    gen_put_str(b, case_no);
    gen_put_raw(b, f->uscc, 18);
    gen_put_date(b, filed);
    gen_put_str(b, k->type);
    gen_put_str(b, k->role);
    gen_put_money(b, gen_fen(fmax(1000.0, floor(amount))));
    int open = closed > run->window_last || (k->word[0] == case_kinds[4].word[0] && gen_chance(r, 0.5));
    gen_put_str(b, open ? "open" : "closed");
    if (open)
        gen_put_empty(b);
    else
        gen_put_date(b, closed);
    gen_row_end(b, GEN_F_LITIGATION, fc->dirty);
}

static void emit_litigation(gen_firm_ctx *fc, gen_rng *r)
{
    const gen_run *run = fc->run;
    const gen_path *p = fc->path;
    double revenue = (double)fc->firm->revenue_fen / 100.0;
    int serial = 1000 + (int)(fc->index * 2654435761u % 80000u);
    double total = 0.0;
    for (size_t i = 0; i < sizeof(case_kinds) / sizeof(case_kinds[0]); i++)
        total += case_kinds[i].weight;
    for (int t = p->first; t < p->end; t++) {
        double lambda = fmin(0.4, 0.0035 * exp(2.0 * strain(p, t)));
        for (uint32_t n = gen_poisson(r, lambda); n > 0; n--) {
            double x = gen_uniform(r) * total;
            size_t i = 0;
            while (i + 1 < sizeof(case_kinds) / sizeof(case_kinds[0]) && x >= case_kinds[i].weight)
                x -= case_kinds[i++].weight;
            const case_kind *k = &case_kinds[i];
            /* two draws: made one after the other, never as two arguments of
             * one call, whose order C leaves to the compiler (gcc and clang
             * differ); this is the order gcc's output always had */
            double amount = revenue * k->amount_scale * gen_lognormal(r, 0.0, 0.8);
            ph_date filed = random_day(r, run, t);
            put_case(fc, r, k, filed, amount, serial++);
        }
    }
    /* After a default on a loan the lender sues, and enforcement often follows. */
    if (p->default_date && fc->had_loan_at_miss) {
        ph_date filed = p->default_date + 30 + (ph_date)gen_below(r, 120);
        if (filed <= run->window_last)
            put_case(fc, r, &case_kinds[3], filed, revenue * 0.2 * gen_lognormal(r, 0.0, 0.5), serial++);
        ph_date enforced = filed + 90 + (ph_date)gen_below(r, 180);
        if (enforced <= run->window_last && gen_chance(r, 0.6))
            put_case(fc, r, &case_kinds[4], enforced, revenue * 0.15 * gen_lognormal(r, 0.0, 0.5),
                     serial++);
    }
}

/* --- penalties ------------------------------------------------------------- */

static const struct {
    const char *authority;
    const char *abbrev;   /* in the decision number: 市监 税 环 应急 人社 */
    double weight;        /* share among non-environmental penalties */
} authorities[] = {
    {"environment", "\xE7\x8E\xAF", 0.0},
    {"market", "\xE5\xB8\x82\xE7\x9B\x91", 0.4},
    {"tax", "\xE7\xA8\x8E", 0.25},
    {"safety", "\xE5\xBA\x94\xE6\x80\xA5", 0.2},
    {"labor", "\xE4\xBA\xBA\xE7\xA4\xBE", 0.15},
};

static void emit_penalties(gen_firm_ctx *fc, gen_rng *r)
{
    const gen_run *run = fc->run;
    const gen_path *p = fc->path;
    const gen_industry *ind = fc->ind;
    int k = 0;
    for (int t = p->first; t < p->end; t++) {
        double s = strain(p, t);
        double lambda = ind->penalty_rate / 12.0 * exp(1.0 * s);
        for (uint32_t n = gen_poisson(r, lambda); n > 0; n--) {
            size_t a = 0;
            if (!gen_chance(r, ind->environmental_share)) {
                double x = gen_uniform(r);
                for (a = 1; a + 1 < sizeof(authorities) / sizeof(authorities[0]); a++) {
                    if (x < authorities[a].weight)
                        break;
                    x -= authorities[a].weight;
                }
            }
            double u = gen_uniform(r);
            double serious = 0.08 + 0.1 * fmin(1.0, s);
            const char *severity = u < serious ? "serious" : u < serious + 0.32 ? "general" : "minor";
            double amount = severity[0] == 's'   ? 50000.0 + 450000.0 * gen_uniform(r)
                            : severity[0] == 'g' ? 5000.0 + 45000.0 * gen_uniform(r)
                            : gen_chance(r, 0.25) ? 0.0
                                                  : 200.0 + 4800.0 * gen_uniform(r);
            ph_date when = random_day(r, run, t);
            int y, mo, d;
            gen_civil(when, &y, &mo, &d);
            char no[80];
            /* 370102环罚〔2024〕18342-1号 */
            snprintf(no, sizeof(no), "%d%s\xE7\xBD\x9A\xE3\x80\x94%d\xE3\x80\x95%llu-%d\xE5\x8F\xB7",
                     fc->firm->region, authorities[a].abbrev, y, (unsigned long long)fc->index, ++k);
            gen_buf *b = &fc->block->out[GEN_F_PENALTIES];
            gen_put_str(b, no);
            gen_put_raw(b, fc->firm->uscc, 18);
            gen_put_date(b, when);
            gen_put_str(b, authorities[a].authority);
            gen_put_str(b, severity);
            gen_put_money(b, gen_fen(floor(amount)));
            gen_row_end(b, GEN_F_PENALTIES, fc->dirty);
        }
    }
}

/* --- patents --------------------------------------------------------------- */

/* Chinese patent application numbers end in a check digit: the 12 digits
 * weighted 2..9 cyclically, sum mod 11, with 10 written X. */
static char patent_check(const char digits[12])
{
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += (digits[i] - '0') * (2 + i % 8);
    int c = sum % 11;
    return c == 10 ? 'X' : (char)('0' + c);
}

static void emit_patents(gen_firm_ctx *fc, gen_rng *r)
{
    if (!(fc->firm->flags & GEN_FIRM_TECH))
        return;
    static const struct {
        const char *kind;
        char code;
        int lag_min, lag_span; /* months from application to grant */
        double weight;
    } kinds[] = {
        {"invention", '1', 18, 18, 0.25},
        {"utility_model", '2', 6, 6, 0.6},
        {"design", '3', 4, 4, 0.15},
    };
    const gen_run *run = fc->run;
    const gen_path *p = fc->path;
    int k = 0;
    for (int t = p->first; t < p->end && k < 8; t++) {
        double lambda = fc->ind->tech_rate * 2.0 / 12.0 * fmin(1.2, gen_activity(p, t, 6));
        for (uint32_t n = gen_poisson(r, lambda); n > 0 && k < 8; n--, k++) {
            double u = gen_uniform(r);
            size_t i = u < kinds[0].weight ? 0 : u < kinds[0].weight + kinds[1].weight ? 1 : 2;
            ph_date granted = random_day(r, run, t);
            int lag = kinds[i].lag_min + (int)gen_below(r, (uint64_t)kinds[i].lag_span);
            ph_date applied = granted - lag * 30 - (ph_date)gen_below(r, 30);
            int y, m, d;
            gen_civil(applied, &y, &m, &d);
            char digits[13];
            snprintf(digits, sizeof(digits), "%04d%c%07llu", y, kinds[i].code,
                     (unsigned long long)((fc->index * 8 + (uint64_t)k) % 10000000u));
            char no[24];
            snprintf(no, sizeof(no), "ZL%s.%c", digits, patent_check(digits));
            gen_buf *b = &fc->block->out[GEN_F_PATENTS];
            gen_put_raw(b, no, 16);
            gen_put_raw(b, fc->firm->uscc, 18);
            gen_put_str(b, kinds[i].kind);
            gen_put_date(b, applied);
            gen_put_date(b, granted);
            gen_row_end(b, GEN_F_PATENTS, fc->dirty);
        }
    }
}

/* --- subsidies ------------------------------------------------------------- */

typedef struct programme {
    const char *name;
    double monthly_chance;
    double min_yuan, span_yuan;
    gen_payer_level payer;
} programme;

/* Programmes a firm can qualify for without applying (免申即享,
 * docs/domain.md#risk-sharing-guarantees-and-subsidies). */
static const programme programmes[] = {
    {"employment", 0.012, 1000.0, 19000.0, GEN_PAYER_COUNTY},
    {"tech_innovation", 0.02, 50000.0, 450000.0, GEN_PAYER_CITY},
    {"green", 0.008, 20000.0, 180000.0, GEN_PAYER_PROVINCE},
    {"agriculture", 0.03, 5000.0, 95000.0, GEN_PAYER_COUNTY},
    {"export", 0.004, 10000.0, 90000.0, GEN_PAYER_CITY},
};

static int payer_code(int region, gen_payer_level level)
{
    return level == GEN_PAYER_PROVINCE ? region / 10000 * 10000
           : level == GEN_PAYER_CITY   ? region / 100 * 100
                                       : region;
}

void gen_put_subsidy(gen_firm_ctx *fc, ph_date paid, const char *programme_name, double yuan,
                     gen_payer_level payer)
{
    gen_buf *b = &fc->block->out[GEN_F_SUBSIDIES];
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_date(b, paid);
    gen_put_str(b, programme_name);
    gen_put_money(b, gen_fen(floor(yuan)));
    gen_put_int(b, payer_code(fc->firm->region, payer));
    gen_row_end(b, GEN_F_SUBSIDIES, fc->dirty);
}

static int qualifies(const gen_firm_ctx *fc, size_t i)
{
    const gen_firm *f = fc->firm;
    switch (i) {
    case 0: return (f->flags & GEN_FIRM_SOCIAL) && f->employees >= 5;
    case 1: return (f->flags & GEN_FIRM_TECH) != 0;
    case 2: return (f->flags & GEN_FIRM_GREEN) != 0;
    case 3: return fc->ind->section == 'A';
    default: return fc->ind->section == 'C' || fc->ind->section == 'F';
    }
}

static void emit_subsidies(gen_firm_ctx *fc, gen_rng *r)
{
    const gen_path *p = fc->path;
    for (int t = p->first; t < p->end; t++) {
        for (size_t i = 0; i < sizeof(programmes) / sizeof(programmes[0]); i++) {
            const programme *pg = &programmes[i];
            if (!qualifies(fc, i) || !gen_chance(r, pg->monthly_chance))
                continue;
            /* the amount, then the day: in sequence (see emit_litigation) */
            double yuan = pg->min_yuan + pg->span_yuan * gen_uniform(r);
            gen_put_subsidy(fc, random_day(r, fc->run, t), pg->name, yuan, pg->payer);
        }
    }
}

void gen_emit_events(gen_firm_ctx *fc)
{
    gen_rng r;
    gen_rng_init(&r, fc->run->opt.seed, GEN_STREAM_EVENTS, fc->index);
    emit_litigation(fc, &r);
    emit_penalties(fc, &r);
    emit_patents(fc, &r);
    emit_subsidies(fc, &r);
}
