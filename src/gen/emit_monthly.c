/*
 * puhui gen — the monthly feeds: VAT invoices, tax payments and grades,
 * social security, and electricity for firms read monthly.
 *
 * Each follows the firm's activity with its own noise and lag: invoices at
 * once, purchases shrinking faster than sales, headcount two months late and
 * sticky, tax lateness and the yearly grade tracking health.
 */
#include <math.h>

#include "gen/gen_internal.h"

#define VAT_GENERAL_RATE 0.13    /* VAT on value added, general taxpayers */
#define VAT_SMALL_RATE 0.01      /* small-scale taxpayers (2023-2027 policy) */
#define VAT_SMALL_EXEMPT_QUARTER 300000.0 /* small-scale sales per quarter below this are exempt */
#define CIT_EFFECTIVE 0.05       /* small low-profit enterprises */
#define POWER_PRICE_YUAN 0.68    /* commercial tariff, yuan per kWh */
#define WAGE_BASE_YUAN 4600.0    /* typical monthly contribution base in the province */

/* Missing months: county and weak-tier firms' data has more gaps. */
static double gap_rate(const gen_firm *f)
{
    return f->tier == GEN_TIER_WEAK ? 0.06 : (f->flags & GEN_FIRM_COUNTY) ? 0.03 : 0.01;
}

/* Probability of paying late given health: rare when healthy. */
static double late_probability(double health, int missed)
{
    double p = 0.5 * erfc((1.9 + 0.8 * health) * GEN_SQRT1_2);
    return missed ? fmax(p, 0.6) : p;
}

static void emit_vat(gen_firm_ctx *fc, gen_rng *r, int t, double sales_base, double c0)
{
    const gen_industry *ind = fc->ind;
    gen_buf *b = &fc->block->out[GEN_F_VAT];
    double act = gen_activity(fc->path, t, 0);
    double sales = sales_base * gen_lognormal(r, 0.0, 0.12);
    double purchases = sales * ind->purchase_ratio * pow(fmax(act, 0.01), 0.4)
                       * gen_lognormal(r, 0.0, 0.15);
    double ticket = fmax(300.0, (double)fc->firm->revenue_fen / 1200.0 * fmax(ind->b2b_ticket_share, 0.01));
    if (ind->retail_share > 0.5)
        ticket = fmax(200.0, ind->consumer_ticket * 20.0);
    uint32_t invoices = sales >= 1.0 ? 1 + gen_poisson(r, sales / ticket) : 0;
    uint32_t purchase_invoices = purchases >= 1.0 ? 1 + gen_poisson(r, purchases / (ticket * 2.0)) : 0;
    uint32_t buyers = invoices ? 1 + gen_poisson(r, 0.55 * (invoices - 1)) : 0;
    if (buyers > invoices)
        buyers = invoices;
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_month(b, fc->run->start + t);
    gen_put_money(b, sales >= 1.0 ? gen_fen(sales) : 0);
    gen_put_int(b, invoices);
    gen_put_money(b, purchases >= 1.0 ? gen_fen(purchases) : 0);
    gen_put_int(b, purchase_invoices);
    gen_put_int(b, buyers);
    if (buyers == 0) {
        gen_put_empty(b);
    } else {
        /* the firm's usual concentration c0, rising as customers leave */
        double share = buyers == 1 ? 1.0
                                   : fmin(1.0, c0 * pow(fmax(act, 0.05), -0.35) * gen_lognormal(r, 0.0, 0.1));
        if (share < 1.0 / buyers)
            share = 1.0 / buyers;
        gen_put_decimal(b, share, 4);
    }
    gen_row_end(b, GEN_F_VAT, fc->dirty);
}

static void emit_tax_row(gen_firm_ctx *fc, gen_rng *r, int t, int period_months, const char *type,
                         double due_amount)
{
    gen_buf *b = &fc->block->out[GEN_F_TAX_PAYMENTS];
    const gen_run *run = fc->run;
    ph_date due_on = run->month_first[t + 1 + GEN_LAG] + 14;
    if (due_on > run->window_last)
        return; /* not yet due when the window closes */
    int missed = fc->path->miss_month >= 0 && fc->path->miss_month <= t;
    double health = fc->path->health[t + GEN_LAG];
    int64_t due = due_amount > 0.0 ? gen_fen(due_amount) : 0;
    int late = due > 0 && gen_chance(r, late_probability(health, missed));
    int64_t days_late = 0;
    ph_date paid_on = due_on - (ph_date)gen_below(r, 10);
    int unpaid = 0;
    if (late) {
        days_late = 1 + (int64_t)gen_below(r, missed ? 120 : 45);
        paid_on = due_on + (ph_date)days_late;
        if (paid_on > run->window_last) {
            unpaid = 1;
            days_late = run->window_last - due_on;
        }
    }
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_month(b, run->start + t);
    gen_put_int(b, period_months);
    gen_put_str(b, type);
    gen_put_money(b, due);
    gen_put_money(b, unpaid ? 0 : due);
    gen_put_date(b, due_on);
    if (unpaid)
        gen_put_empty(b);
    else
        gen_put_date(b, paid_on);
    gen_put_int(b, days_late);
    gen_row_end(b, GEN_F_TAX_PAYMENTS, fc->dirty);
}

static void emit_taxes(gen_firm_ctx *fc, gen_rng *r, int t, const double *sales, int first)
{
    const gen_firm *f = fc->firm;
    ph_month m = fc->run->start + t;
    int quarter_end = m % 3 == 2;
    double purchase_ratio = fc->ind->purchase_ratio;
    double quarter = 0.0; /* sales of the quarter ending in month t */
    for (int k = t - 2; quarter_end && k <= t; k++)
        quarter += k >= first ? sales[k] : 0.0;
    if (f->flags & GEN_FIRM_GENERAL_VAT) {
        double vat = VAT_GENERAL_RATE * sales[t] * (1.0 - purchase_ratio) * gen_lognormal(r, 0.0, 0.1);
        emit_tax_row(fc, r, t, 1, "vat", vat);
    } else if (quarter_end) {
        emit_tax_row(fc, r, t, 3, "vat",
                     quarter > VAT_SMALL_EXEMPT_QUARTER ? VAT_SMALL_RATE * quarter : 0.0);
    }
    if (quarter_end && f->entity == GEN_ENTITY_COMPANY) {
        double margin = 0.06 * fmin(1.5, gen_activity(fc->path, t, 0)) - 0.02;
        emit_tax_row(fc, r, t, 3, "cit", quarter * fmax(0.0, margin) * CIT_EFFECTIVE * 4.0);
    }
}

static void emit_social(gen_firm_ctx *fc, gen_rng *r, int t, int32_t *headcount)
{
    gen_buf *b = &fc->block->out[GEN_F_SOCIAL];
    double target = fc->firm->employees * pow(fmax(gen_activity(fc->path, t, 2), 0.02), 0.6);
    /* headcount is sticky: firms hire and let go in steps */
    if (*headcount <= 0 || fabs(target - *headcount) >= 1.0 + 0.05 * *headcount)
        *headcount = (int32_t)fmax(1.0, floor(target * gen_lognormal(r, 0.0, 0.03) + 0.5));
    double health = fc->path->health[t + GEN_LAG];
    int missed = fc->path->miss_month >= 0 && fc->path->miss_month <= t;
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_month(b, fc->run->start + t);
    gen_put_int(b, *headcount);
    gen_put_money(b, gen_fen(*headcount * WAGE_BASE_YUAN * gen_lognormal(r, 0.0, 0.05)));
    gen_put_str(b, gen_chance(r, late_probability(health - 0.3, missed)) ? "N" : "Y");
    gen_row_end(b, GEN_F_SOCIAL, fc->dirty);
}

static void emit_power_monthly(gen_firm_ctx *fc, gen_rng *r, int t)
{
    gen_buf *b = &fc->block->out[GEN_F_POWER_MONTHLY];
    const gen_industry *ind = fc->ind;
    double normal = (double)fc->firm->revenue_fen / 1200.0 / 10000.0 * ind->kwh_per_10k_revenue;
    ph_month m = fc->run->start + t;
    double kwh = normal * (0.35 + 0.65 * gen_activity(fc->path, t, 0))
                 * sqrt(ind->seasonality[m % 12]) * gen_lognormal(r, 0.0, 0.1);
    int64_t k = (int64_t)floor(kwh + 0.5);
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_month(b, m);
    gen_put_int(b, k);
    gen_put_money(b, gen_fen((double)k * POWER_PRICE_YUAN));
    gen_row_end(b, GEN_F_POWER_MONTHLY, fc->dirty);
}

/* The yearly tax-credit grade, published each April for the year before. */
static void emit_grades(gen_firm_ctx *fc, gen_rng *r)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    int reg_year, reg_month, reg_day;
    gen_civil(f->registered_on, &reg_year, &reg_month, &reg_day);
    int first_year = run->start / 12 - 2;
    for (int year = first_year;; year++) {
        ph_date assessed;
        if (ph_date_from_ymd(year + 1, 4, 15, &assessed, NULL) != PH_OK || assessed > run->window_last)
            break;
        if (reg_year > year)
            continue;
        if (p->status_month < run->months && p->status != GEN_STATUS_ABNORMAL
            && p->status_date < assessed)
            break; /* no grade after deregistration */
        const char *grade;
        if (reg_year == year) {
            grade = ph_tax_grade_of_rank(2); /* M: no full year to grade */
        } else {
            /* mean health over the year's months that the simulation holds */
            double sum = 0.0;
            int n = 0;
            for (int t = -GEN_LAG; t < run->months; t++) {
                ph_month m = run->start + t;
                if (m / 12 == year && t >= p->first - GEN_LAG) {
                    sum += p->health[t + GEN_LAG];
                    n++;
                }
            }
            double h = n ? sum / n : f->base_health;
            int defaulted = p->default_date && p->default_date < assessed;
            double score = h + 0.35 * gen_normal(r) - (defaulted ? 2.0 : 0.0);
            /* ranks 4 A, 3 B, 1 C, 0 D (feed.h) */
            grade = ph_tax_grade_of_rank(score > 0.55 ? 4 : score > -0.35 ? 3 : score > -1.3 ? 1 : 0);
        }
        gen_buf *b = &fc->block->out[GEN_F_TAX_GRADES];
        gen_put_raw(b, f->uscc, 18);
        gen_put_int(b, year);
        gen_put_str(b, grade);
        gen_put_date(b, assessed);
        gen_row_end(b, GEN_F_TAX_GRADES, fc->dirty);
    }
}

void gen_emit_monthly(gen_firm_ctx *fc)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_MONTHLY, fc->index);
    double sales[PH_GEN_MAX_MONTHS];
    double gaps = gap_rate(f);
    int32_t headcount = 0;
    int power_monthly = (f->flags & GEN_FIRM_POWER) && fc->ind->section != 'C';
    gen_rng traits;
    gen_rng_init(&traits, run->opt.seed, GEN_STREAM_TRAITS, fc->index);
    double u1 = gen_uniform(&traits), u2 = gen_uniform(&traits); /* in sequence */
    double concentration = 0.12 + 0.6 * u1 * u2;
    for (int t = 0; t < run->months; t++) {
        sales[t] = gen_sales_base(run, f, p, t, 0);
        if (t < p->first || t >= p->end)
            continue;
        if (t == p->first && f->registered_on >= run->window_first) {
            /* the registration month counts only its remaining days */
            int days = gen_days_in_window_month(run, t);
            int day = (int)(f->registered_on - run->month_first[t + GEN_LAG]);
            sales[t] *= (double)(days - day) / days;
        }
        emit_taxes(fc, &r, t, sales, p->first);
        if (gen_chance(&r, gaps))
            continue; /* a month the other sources did not deliver */
        if (f->flags & GEN_FIRM_VAT)
            emit_vat(fc, &r, t, sales[t], concentration);
        if (f->flags & GEN_FIRM_SOCIAL)
            emit_social(fc, &r, t, &headcount);
        if (power_monthly)
            emit_power_monthly(fc, &r, t);
    }
    emit_grades(fc, &r);
}
