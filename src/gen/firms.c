/*
 * puhui gen — the population: where each firm is, what it does, how big it
 * is, who owns it, and which data sources see it.
 *
 * Everything is drawn from the firm's own stream, so firm i is the same
 * whatever N is... except for its place in the province-wide tables, which
 * do not depend on N either. The distributions are data (world_data.c and
 * the table below); this file only samples them.
 */
#include <math.h>
#include <string.h>

#include "puhui/region.h"
#include "puhui/uscc.h"
#include "gen/gen_internal.h"

/* How a section's weight changes between a district and a county: farms
 * sit in counties, software houses and consultancies in cities. */
static const struct {
    char section;
    double county_factor;
} county_mix[] = {
    {'A', 2.6}, {'B', 1.6}, {'C', 1.1}, {'I', 0.35}, {'J', 0.5}, {'K', 0.6},
    {'L', 0.6}, {'M', 0.45}, {'P', 0.8}, {'R', 0.7},
};

/* Probability that a source sees a firm, by entity type, before the
 * county discount: individual businesses on fixed tax quotas issue few VAT
 * invoices and rarely pay social security. */
static const struct {
    double vat, social, power, payments;
} coverage[] = {
    [GEN_ENTITY_COMPANY] = {0.96, 0.86, 0.88, 0.58},
    [GEN_ENTITY_INDIVIDUAL] = {0.45, 0.18, 0.62, 0.72},
    [GEN_ENTITY_COOPERATIVE] = {0.62, 0.30, 0.70, 0.40},
};
/* Multipliers on coverage by county tier: thinner footprints in weak counties. */
static const double tier_coverage[4] = {1.0, 1.0, 0.88, 0.62};

/* Registered capital steps (yuan) a company picks from. */
static const int64_t capital_steps[] = {
    30000, 100000, 300000, 500000, 1000000, 2000000, 3000000, 5000000, 10000000, 20000000, 50000000,
};

#define FEMALE_SHARE 0.327      /* Shandong, docs/domain.md#calibration-figures */
#define UNDER_35_SHARE 0.413    /* Shandong, docs/domain.md#calibration-figures */
#define MEAN_FIRM_AGE_YEARS 6.0 /* exponential: ~40% under 3 years */

static double county_factor(char section)
{
    for (size_t i = 0; i < sizeof(county_mix) / sizeof(county_mix[0]); i++)
        if (county_mix[i].section == section)
            return county_mix[i].county_factor;
    return 1.0;
}

static int city_index(const gen_run *run, int county_code)
{
    int city = county_code / 100 * 100;
    for (size_t i = 0; i < run->city_count; i++)
        if (run->cities[i] == city)
            return (int)i;
    return 0;
}

ph_status gen_firm_uscc(const gen_run *run, uint64_t serial_index, char authority, char category,
                        int division, char out[20], ph_error *err)
{
    uint64_t x = run->opt.seed;
    uint64_t base = gen_splitmix64(&x) % (PH_USCC_SERIAL_MAX / 2);
    return ph_uscc_generate(authority, category, division, base + serial_index, out, err);
}

static size_t pick_weighted_division(gen_rng *r, const gen_industry *ind)
{
    double total = 0.0;
    for (size_t i = 0; i < ind->division_count; i++)
        total += ind->divisions[i].weight;
    double x = gen_uniform(r) * total;
    for (size_t i = 0; i < ind->division_count; i++) {
        x -= ind->divisions[i].weight;
        if (x < 0.0)
            return i;
    }
    return ind->division_count ? ind->division_count - 1 : 0;
}

static int64_t round_capital(gen_rng *r, int64_t revenue_yuan)
{
    /* companies register capital of the order of a year's revenue, in steps */
    double target = (double)revenue_yuan * gen_lognormal(r, -0.4, 0.8);
    size_t n = sizeof(capital_steps) / sizeof(capital_steps[0]);
    for (size_t i = 0; i < n; i++)
        if ((double)capital_steps[i] >= target)
            return capital_steps[i];
    return capital_steps[n - 1];
}

static ph_status classify(const gen_industry *ind, const gen_division *div, gen_firm *f,
                          ph_error *err)
{
    ph_sme_sector sector;
    ph_size_class size;
    ph_status st = ph_sme_sector_of(ind->section, div ? div->division : 0, &sector, err);
    if (st == PH_OK)
        st = ph_sme_classify(sector, f->employees, f->revenue_fen, f->assets_fen, &size, err);
    if (st == PH_OK)
        f->size_class = (uint8_t)size;
    return st;
}

/* Owner's age at the window start and the firm's age, drawn together so
 * that nobody founded a firm before turning 18. */
static void draw_ages(gen_rng *r, double *owner_age, double *firm_age)
{
    double age = gen_chance(r, UNDER_35_SHARE) ? 20.0 + 15.0 * gen_uniform(r)
                                               : 35.0 + fmin(40.0, -10.0 * log(1.0 - gen_uniform(r)));
    double firm = -MEAN_FIRM_AGE_YEARS * log(1.0 - gen_uniform(r));
    if (firm > age - 18.0)
        firm = (age - 18.0) * gen_uniform(r);
    *owner_age = age;
    *firm_age = fmin(firm, 40.0);
}

static uint16_t coverage_flags(gen_rng *r, const gen_industry *ind, const gen_firm *f)
{
    double t = tier_coverage[f->tier];
    uint16_t flags = 0;
    if (gen_chance(r, coverage[f->entity].vat * (t > 0.9 ? 1.0 : 0.92)))
        flags |= GEN_FIRM_VAT;
    if (f->employees >= 2 && gen_chance(r, coverage[f->entity].social * t))
        flags |= GEN_FIRM_SOCIAL;
    /* every factory has its own meter; that is where daily readings come from */
    if (ind->section == 'C' || gen_chance(r, coverage[f->entity].power * t))
        flags |= GEN_FIRM_POWER;
    if (gen_chance(r, coverage[f->entity].payments * t * (0.75 + 0.35 * ind->retail_share)))
        flags |= GEN_FIRM_PAYMENTS;
    return flags;
}

static double base_health(gen_rng *r, const gen_firm *f, double firm_age)
{
    double h = 0.55 * gen_normal(r);
    if (f->size_class == PH_SIZE_SMALL)
        h += 0.15;
    else if (f->size_class >= PH_SIZE_MEDIUM)
        h += 0.3;
    if (firm_age < 3.0)
        h -= 0.25;
    else if (firm_age > 10.0)
        h += 0.15;
    if (f->entity == GEN_ENTITY_INDIVIDUAL)
        h -= 0.05;
    return h;
}

static ph_status build_firm(gen_run *run, const double *section_cum_city,
                            const double *section_cum_county, uint64_t i, ph_error *err)
{
    gen_firm *f = &run->firms[i];
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_FIRM, i);
    memset(f, 0, sizeof(*f));

    const gen_county *county = &run->counties[gen_pick_cumulative(&r, run->county_cum,
                                                                  run->county_count)];
    const ph_division *div = ph_division_find(county->code);
    int is_county = div && !ph_division_kind_is_urban(div->kind);
    f->region = county->code;
    f->tier = (uint8_t)county->tier;
    f->city = (uint8_t)city_index(run, county->code);

    const double *cum = is_county ? section_cum_county : section_cum_city;
    f->industry = (uint8_t)gen_pick_cumulative(&r, cum, run->industry_count);
    const gen_industry *ind = &run->industries[f->industry];
    f->division_idx = (uint8_t)pick_weighted_division(&r, ind);
    const gen_division *gd = ind->division_count ? &ind->divisions[f->division_idx] : NULL;

    if (ind->coop_share > 0.0 && gen_chance(&r, ind->coop_share))
        f->entity = GEN_ENTITY_COOPERATIVE;
    else if (gd && gd->shop_zh && gen_chance(&r, ind->individual_share))
        f->entity = GEN_ENTITY_INDIVIDUAL;
    else
        f->entity = GEN_ENTITY_COMPANY;

    double owner_age, firm_age;
    draw_ages(&r, &owner_age, &firm_age);
    int start_year = run->start / 12;
    f->birth_year = (uint16_t)(start_year - (int)owner_age);
    /* Entrants: about 0.45% of the population registers in each window month. */
    double entrant_share = fmin(0.3, 0.0045 * run->months);
    if (gen_chance(&r, entrant_share)) {
        int64_t span = (int64_t)run->window_last - run->window_first + 1;
        f->registered_on = run->window_first + (ph_date)gen_below(&r, (uint64_t)span);
        firm_age = 0.0;
    } else {
        f->registered_on = run->window_first - 1 - (ph_date)(firm_age * 365.25);
    }

    double emp = ind->employees_median * gen_lognormal(&r, 0.0, ind->employees_sigma);
    if (f->entity == GEN_ENTITY_INDIVIDUAL)
        emp = fmin(8.0, emp / 3.0);
    else if (f->entity == GEN_ENTITY_COOPERATIVE)
        emp = fmin(40.0, 5.0 + emp / 2.0);
    if (firm_age < 1.0)
        emp *= 0.6;
    f->employees = (int32_t)fmax(1.0, fmin(1500.0, floor(emp + 0.5)));
    double revenue = f->employees * ind->revenue_per_employee * gen_lognormal(&r, 0.0, 0.5);
    if (firm_age < 1.0)
        revenue *= 0.5;
    f->revenue_fen = gen_fen(floor(revenue / 100.0) * 100.0);
    f->assets_fen = gen_fen(floor(revenue * ind->assets_to_revenue * gen_lognormal(&r, 0.0, 0.4)
                                  / 100.0) * 100.0);
    ph_status st = classify(ind, gd, f, err);
    if (st != PH_OK)
        return st;
    int64_t revenue_yuan = f->revenue_fen / 100;
    if (f->entity == GEN_ENTITY_COMPANY)
        f->capital_fen = round_capital(&r, revenue_yuan) * 100;
    else
        f->capital_fen = (int64_t)(10000 * (1 + gen_below(&r, 50))) * 100;

    uint16_t flags = coverage_flags(&r, ind, f);
    if (gen_chance(&r, FEMALE_SHARE))
        flags |= GEN_FIRM_FEMALE;
    if (is_county)
        flags |= GEN_FIRM_COUNTY;
    if (firm_age < 3.0)
        flags |= GEN_FIRM_YOUNG;
    if (revenue_yuan > 5000000 || gen_chance(&r, 0.08))
        flags |= GEN_FIRM_GENERAL_VAT;
    if (f->entity == GEN_ENTITY_COMPANY && gen_chance(&r, fmin(0.6, ind->tech_rate * 2.0)))
        flags |= GEN_FIRM_TECH;
    if (gen_chance(&r, ind->green_rate))
        flags |= GEN_FIRM_GREEN;
    /* Credit-white: young, individual and rural firms have borrowed least. */
    double white = 0.30 + (firm_age < 3.0 ? 0.25 : 0.0)
                   + (f->entity == GEN_ENTITY_INDIVIDUAL ? 0.15 : 0.0)
                   + (f->tier == GEN_TIER_WEAK ? 0.10 : 0.0);
    if (gen_chance(&r, fmin(0.9, white)))
        flags |= GEN_FIRM_CREDIT_WHITE;
    f->flags = flags;
    f->base_health = (float)base_health(&r, f, firm_age);

    static const char category_of[] = {'1', '2', '3'};
    return gen_firm_uscc(run, i, '9', category_of[f->entity], f->region, f->uscc, err);
}

ph_status gen_firms_build(gen_run *run, ph_error *err)
{
    size_t n = run->industry_count;
    double *cum_city = ph_malloc(run->ctx, 2 * n * sizeof(double));
    if (!cum_city)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the industry mix");
    double *cum_county = cum_city + n;
    double a = 0.0, b = 0.0;
    for (size_t i = 0; i < n; i++) {
        a += run->industries[i].share;
        b += run->industries[i].share * county_factor(run->industries[i].section);
        cum_city[i] = a;
        cum_county[i] = b;
    }
    ph_status st = PH_OK;
    for (uint64_t i = 0; i < run->firm_count && st == PH_OK; i++)
        st = build_firm(run, cum_city, cum_county, i, err);
    ph_free(run->ctx, cum_city);
    return st;
}

/* --- names --------------------------------------------------------------- */

/* The city's short name: "济南市" -> "济南". */
static void short_name(const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    static const char suffix[] = "\xE5\xB8\x82"; /* 市 */
    if (n > 3 && memcmp(name + n - 3, suffix, 3) == 0)
        n -= 3;
    snprintf(out, size, "%.*s", (int)n, name);
}

void gen_firm_name(const gen_run *run, const gen_firm *f, uint64_t index, char *out, size_t size)
{
    gen_rng r;
    gen_rng_init(&r, run->opt.seed, GEN_STREAM_NAME, index);
    size_t nchars, nsur, nprod;
    const char *const *chars = gen_world_trade_chars(&nchars);
    const char *const *surnames = gen_world_surnames(&nsur);
    const char *const *products = gen_world_coop_products(&nprod);
    const gen_industry *ind = &run->industries[f->industry];
    const gen_division *d = ind->division_count ? &ind->divisions[f->division_idx] : NULL;
    const char *c1 = chars[gen_below(&r, nchars)], *c2 = chars[gen_below(&r, nchars)];
    const char *county = ph_division_name(f->region);
    char city[32];
    short_name(ph_division_name(f->region / 100 * 100), city, sizeof(city));
    switch (f->entity) {
    case GEN_ENTITY_INDIVIDUAL: {
        /* Surnames are drawn with a bias to the common ones. */
        double u = gen_uniform(&r);
        const char *s = surnames[(size_t)(u * u * (double)nsur)];
        snprintf(out, size, "%s%s\xE8\xAE\xB0%s", county, s, d && d->shop_zh ? d->shop_zh : ""); /* 记 */
        break;
    }
    case GEN_ENTITY_COOPERATIVE:
        snprintf(out, size, "%s%s%s%s\xE4\xB8\x93\xE4\xB8\x9A\xE5\x90\x88\xE4\xBD\x9C\xE7\xA4\xBE",
                 county, c1, c2, products[gen_below(&r, nprod)]); /* 专业合作社 */
        break;
    default:
        snprintf(out, size, "%s%s%s%s\xE6\x9C\x89\xE9\x99\x90\xE5\x85\xAC\xE5\x8F\xB8", city, c1, c2,
                 d && d->word_zh ? d->word_zh : ""); /* 有限公司 */
        break;
    }
}
