/* The simulator's reference data (src/gen/world.h, world_data.c, world_industry.c):
 * consistency with the region and industry tables, and docs/domain.md#calibration-figures. */
#include "ph_test.h"

#include "gen/world.h"

#include <math.h>
#include <string.h>

#define LPR_BP 300      /* 1-year LPR, 3.00% */
#define APR_CAP_BP 1200 /* 4 x LPR */

static int str_in(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

/* The number of characters of `s` when it is made only of CJK unified
 * ideographs (U+4E00..U+9FFF, three UTF-8 bytes each); 0 otherwise. */
static size_t cjk_length(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p != 0) {
        if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        unsigned cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        if (cp < 0x4E00 || cp > 0x9FFF)
            return 0;
        p += 3;
        n++;
    }
    return n;
}

/* A city code of the Shandong table, or the province itself. */
static int is_province_or_city(int code)
{
    const ph_division *d = ph_division_find(code);
    return d != NULL && ph_division_province(code) == PH_DIVISION_SHANDONG
           && (d->level == PH_DIV_PROVINCE || d->level == PH_DIV_CITY);
}

/* --- counties ------------------------------------------------------------ */

static void test_counties_match_the_region_table(void **state)
{
    (void)state;
    ph_error err;
    const ph_division *divs = NULL;
    size_t ndivs = 0, n = 0;
    ph_assert_ok(ph_division_counties(PH_DIVISION_SHANDONG, &divs, &ndivs, &err), &err);
    const gen_county *c = gen_world_counties(&n);
    assert_non_null(c);
    assert_int_equal(n, 136);
    assert_int_equal(n, ndivs);
    /* Same codes in the same order, so the same set without duplicates. */
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(c[i].code, divs[i].code);
        if (i > 0)
            assert_true(c[i].code > c[i - 1].code);
        assert_true(c[i].firm_weight > 0);
        assert_in_range(c[i].tier, GEN_TIER_STRONG, GEN_TIER_WEAK);
    }
    assert_ptr_equal(gen_world_counties(NULL), c);
}

static double county_total(const gen_county *c, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += c[i].firm_weight;
    return total;
}

static void test_four_largest_cities_hold_about_half_the_firms(void **state)
{
    (void)state;
    ph_error err;
    const ph_division *cities = NULL;
    size_t ncities = 0, n = 0;
    ph_assert_ok(ph_division_children(PH_DIVISION_SHANDONG, &cities, &ncities, &err), &err);
    assert_int_equal(ncities, 16);
    const gen_county *c = gen_world_counties(&n);
    double weight[16] = { 0 };
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < ncities && cities[j].code != ph_division_city(c[i].code))
            j++;
        assert_true(j < ncities);
        weight[j] += c[i].firm_weight;
    }
    /* Pick the four heaviest cities, one at a time. */
    int top[4];
    double top_sum = 0;
    for (int k = 0; k < 4; k++) {
        size_t best = 0;
        for (size_t j = 1; j < ncities; j++)
            if (weight[j] > weight[best])
                best = j;
        top[k] = cities[best].code;
        top_sum += weight[best];
        weight[best] = -1;
    }
    assert_int_equal(top[0], 370200); /* Qingdao */
    assert_int_equal(top[1], 370100); /* Jinan */
    assert_int_equal(top[2], 371300); /* Linyi */
    assert_int_equal(top[3], 370700); /* Weifang */
    double share = top_sum / county_total(c, n);
    assert_true(share >= 0.45 && share <= 0.55);
}

static void test_county_economy_holds_the_published_share(void **state)
{
    (void)state;
    size_t n = 0;
    const gen_county *c = gen_world_counties(&n);
    double rural = 0;
    for (size_t i = 0; i < n; i++) {
        const ph_division *d = ph_division_find(c[i].code);
        assert_non_null(d);
        if (!ph_division_kind_is_urban(d->kind))
            rural += c[i].firm_weight;
    }
    /* docs/domain.md#calibration-figures: 47.8% of Shandong's SME loans sit in counties. */
    double share = rural / county_total(c, n);
    assert_true(share >= 0.45 && share <= 0.52);
}

static int tier_of(int code)
{
    size_t n = 0;
    const gen_county *c = gen_world_counties(&n);
    for (size_t i = 0; i < n; i++)
        if (c[i].code == code)
            return c[i].tier;
    return 0;
}

static void test_tiers_are_about_a_quarter_strong_and_a_quarter_weak(void **state)
{
    (void)state;
    size_t n = 0, count[4] = { 0 };
    const gen_county *c = gen_world_counties(&n);
    for (size_t i = 0; i < n; i++)
        count[c[i].tier]++;
    assert_in_range(count[GEN_TIER_STRONG], 27, 41); /* 20%..30% of 136 */
    assert_in_range(count[GEN_TIER_WEAK], 27, 41);
    assert_int_equal(count[GEN_TIER_STRONG] + count[GEN_TIER_MIDDLE] + count[GEN_TIER_WEAK], n);
    /* Top-100 counties and core districts are strong; Heze's and Dezhou's
       plains counties and the Yimeng mountains are weak. */
    static const int strong[] = { 370681, 370281, 371082, 371681, 370783, 370782,
                                  370283, 370285, 370481, 370523, 370102, 370202 };
    static const int weak[] = { 371722, 371726, 371423, 371522, 371328, 371326 };
    for (size_t i = 0; i < sizeof(strong) / sizeof(strong[0]); i++)
        assert_int_equal(tier_of(strong[i]), GEN_TIER_STRONG);
    for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++)
        assert_int_equal(tier_of(weak[i]), GEN_TIER_WEAK);
}

/* --- industries ---------------------------------------------------------- */

static void test_industries_cover_the_twenty_sections(void **state)
{
    (void)state;
    size_t n = 0;
    const gen_industry *ind = gen_world_industries(&n);
    assert_int_equal(n, PH_INDUSTRY_SECTION_COUNT);
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ind[i].section, ph_industry_section_at(i)->letter);
        assert_true(ind[i].share >= 0);
        total += ind[i].share;
    }
    assert_true(fabs(total - 1.0) < 1e-9);
    /* The mix of a typical SME population (src/gen/world_industry.c). */
    assert_true(fabs(ind['F' - 'A'].share - 0.30) < 1e-12);
    assert_true(ind['C' - 'A'].share >= 0.14 && ind['C' - 'A'].share <= 0.16);
    assert_true(ind['S' - 'A'].share == 0 && ind['T' - 'A'].share == 0);
    assert_ptr_equal(gen_world_industries(NULL), ind);
}

static void test_seasonality_means_one(void **state)
{
    (void)state;
    size_t n = 0;
    const gen_industry *ind = gen_world_industries(&n);
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (int m = 0; m < 12; m++) {
            assert_true(ind[i].seasonality[m] > 0);
            sum += ind[i].seasonality[m];
        }
        if (fabs(sum / 12 - 1.0) >= 1e-9)
            fail_msg("section %c: seasonality mean %.12f, expected 1", ind[i].section, sum / 12);
    }
    /* The shapes src/gen/world_industry.c describes. */
    const gen_industry *a = &ind['A' - 'A'], *c = &ind['C' - 'A'], *e = &ind['E' - 'A'];
    assert_true(a->seasonality[5] > 1.2 && a->seasonality[9] > 1.2 && a->seasonality[1] < 0.8);
    assert_true(c->seasonality[1] < 0.8);
    assert_true(e->seasonality[0] < 0.8 && e->seasonality[1] < 0.8 && e->seasonality[11] < 0.9);
    assert_true(ind['F' - 'A'].seasonality[0] > 1.1 && ind['F' - 'A'].seasonality[11] > 1.1);
}

static void test_divisions_belong_to_their_sections(void **state)
{
    (void)state;
    ph_error err;
    size_t n = 0;
    const gen_industry *ind = gen_world_industries(&n);
    for (size_t i = 0; i < n; i++) {
        const gen_industry *s = &ind[i];
        /* A section holds SMEs exactly when it has divisions to put them in. */
        assert_int_equal(s->share > 0, s->division_count > 0);
        assert_int_equal(s->divisions != NULL, s->division_count > 0);
        double weights = 0;
        int has_shop = 0;
        for (size_t j = 0; j < s->division_count; j++) {
            const gen_division *d = &s->divisions[j];
            char section = 0;
            ph_assert_ok(ph_industry_section_of_division(d->division, &section, &err), &err);
            if (section != s->section)
                fail_msg("division %d listed under %c, belongs to %c", d->division, s->section,
                         section);
            assert_non_null(ph_industry_division_name(d->division));
            if (j > 0)
                assert_true(d->division > s->divisions[j - 1].division);
            assert_true(d->weight > 0);
            weights += d->weight;
            assert_true(d->word_zh != NULL && cjk_length(d->word_zh) >= 2);
            if (d->shop_zh != NULL) {
                assert_true(cjk_length(d->shop_zh) >= 2);
                has_shop = 1;
            }
        }
        if (s->division_count > 0 && fabs(weights - 1.0) >= 1e-9)
            fail_msg("section %c: division weights sum to %.12f, expected 1", s->section,
                     weights);
        /* Individual businesses are only drawn into divisions with a shop word. */
        if (s->individual_share > 0 && !has_shop)
            fail_msg("section %c has individual businesses but no shop word", s->section);
    }
    const gen_industry *f = &ind['F' - 'A'];
    assert_int_equal(f->division_count, 2);
    assert_int_equal(f->divisions[0].division, 51);
    assert_string_equal(f->divisions[0].word_zh, "商贸");
    assert_string_equal(f->divisions[1].word_zh, "超市");
    assert_string_equal(f->divisions[1].shop_zh, "便利店");
}

static void test_industry_profiles_are_plausible(void **state)
{
    (void)state;
    size_t n = 0;
    const gen_industry *ind = gen_world_industries(&n);
    for (size_t i = 0; i < n; i++) {
        const gen_industry *s = &ind[i];
        assert_in_range(s->volatility_tier, 0, 2);
        assert_true(s->macro_beta >= 0.3 && s->macro_beta <= 1.5);
        assert_true(s->individual_share >= 0 && s->individual_share + s->coop_share <= 1);
        if (s->section != 'A')
            assert_true(s->coop_share == 0);
        assert_true(s->employees_median >= 1 && s->employees_sigma > 0);
        assert_true(s->revenue_per_employee > 0 && s->assets_to_revenue > 0);
        assert_true(s->purchase_ratio >= 0.3 && s->purchase_ratio <= 0.9);
        assert_true(s->retail_share >= 0 && s->retail_share <= 1);
        assert_true(s->consumer_ticket > 0);
        assert_true(s->b2b_ticket_share > 0 && s->b2b_ticket_share <= 1);
        assert_true(s->kwh_per_10k_revenue > 0);
        assert_true(s->tech_rate >= 0 && s->green_rate >= 0 && s->green_rate <= 1);
        assert_true(s->penalty_rate >= 0.03 && s->penalty_rate <= 0.1);
        assert_true(s->environmental_share >= 0 && s->environmental_share <= 1);
    }
    const gen_industry *a = &ind['A' - 'A'], *c = &ind['C' - 'A'], *d = &ind['D' - 'A'];
    const gen_industry *h = &ind['H' - 'A'], *m = &ind['M' - 'A'], *q = &ind['Q' - 'A'];
    assert_true(fabs(a->coop_share - 0.25) < 1e-12);
    assert_int_equal(a->volatility_tier, 2);
    assert_int_equal(h->volatility_tier, 2);
    assert_int_equal(d->volatility_tier, 0);
    assert_int_equal(q->volatility_tier, 0);
    /* Factories burn power and hold patents; restaurants are paid by QR code. */
    assert_true(c->kwh_per_10k_revenue >= 300 && c->kwh_per_10k_revenue <= 800);
    assert_true(h->retail_share > 0.8 && c->retail_share <= 0.05);
    assert_true(h->individual_share > c->individual_share);
    assert_true(m->tech_rate >= 0.3 && ind['I' - 'A'].tech_rate >= 0.3);
    assert_true(c->environmental_share > ind['F' - 'A'].environmental_share);
}

/* --- lenders ------------------------------------------------------------- */

static void test_lender_mix_follows_the_calibration(void **state)
{
    (void)state;
    size_t n = 0, count[GEN_LENDER_DIGITAL_BANK + 1] = { 0 };
    const gen_lender *l = gen_world_lenders(&n);
    assert_int_equal(n, 12);
    double share = 0;
    for (size_t i = 0; i < n; i++) {
        assert_in_range(l[i].type, GEN_LENDER_STATE_BANK, GEN_LENDER_DIGITAL_BANK);
        count[l[i].type]++;
        assert_true(l[i].market_share > 0);
        share += l[i].market_share;
        assert_true(cjk_length(l[i].name) >= 4);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(l[i].name, l[j].name);
    }
    assert_true(fabs(share - 1.0) < 1e-9);
    static const size_t expected[] = { 2, 1, 2, 3, 1, 2, 1 };
    for (size_t t = 0; t <= GEN_LENDER_DIGITAL_BANK; t++)
        if (count[t] != expected[t])
            fail_msg("%zu lenders of type %s, expected %zu", count[t],
                     gen_lender_type_name((gen_lender_type)t), expected[t]);
    assert_ptr_equal(gen_world_lenders(NULL), l);
}

static int is_bank(gen_lender_type t)
{
    return t != GEN_LENDER_MICRO_LENDER && t != GEN_LENDER_DIGITAL_BANK
           && t != GEN_LENDER_VILLAGE_BANK;
}

static void test_lender_pricing_stays_under_the_cap(void **state)
{
    (void)state;
    size_t n = 0;
    const gen_lender *l = gen_world_lenders(&n);
    for (size_t i = 0; i < n; i++) {
        assert_true(l[i].spread_min_bp > 0 && l[i].spread_min_bp <= l[i].spread_max_bp);
        /* The dearest loan still fits under the lender's own cap, and that
           under 4 x LPR. */
        assert_true(LPR_BP + l[i].spread_max_bp <= l[i].max_apr_bp);
        assert_true(l[i].max_apr_bp <= APR_CAP_BP);
        if (is_bank(l[i].type)) /* 3.85%..6.98% */
            assert_true(l[i].spread_min_bp >= 85 && l[i].spread_max_bp <= 398);
        else
            assert_true(l[i].spread_max_bp > 398);
        assert_true(l[i].credit_share > 0 && l[i].credit_share <= 1);
    }
}

static void test_lender_appetite(void **state)
{
    (void)state;
    static const char *const sizes[] = { "micro", "small", "medium" };
    size_t n = 0;
    const gen_lender *l = gen_world_lenders(&n);
    for (size_t i = 0; i < n; i++) {
        assert_true(is_province_or_city(l[i].scope));
        assert_true(l[i].min_amount_yuan > 0 && l[i].min_amount_yuan < l[i].max_amount_yuan);
        assert_in_range(l[i].max_term_months, 6, 60);
        /* "micro|small": known size names separated by '|'. */
        char buf[64];
        assert_true(strlen(l[i].target_sizes) < sizeof(buf));
        strcpy(buf, l[i].target_sizes);
        char *save = NULL;
        for (char *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
            assert_true(str_in(tok, sizes, 3));
        /* "*" or section letters that hold SMEs, separated by '|'. */
        const char *ind = l[i].industries;
        if (strcmp(ind, "*") != 0) {
            for (size_t k = 0; ind[k] != 0; k += 2) {
                const gen_industry *all = gen_world_industries(NULL);
                assert_true(ind[k] >= 'A' && ind[k] <= 'T');
                assert_true(all[ind[k] - 'A'].share > 0);
                assert_true(ind[k + 1] == '|' || ind[k + 1] == 0);
                if (ind[k + 1] == 0)
                    break;
            }
        }
        if (l[i].type == GEN_LENDER_RURAL_COMMERCIAL_BANK || l[i].type == GEN_LENDER_VILLAGE_BANK)
            assert_int_equal(l[i].serves_counties, 1);
        if (l[i].type == GEN_LENDER_DIGITAL_BANK) {
            assert_int_equal(l[i].min_amount_yuan, 10000);
            assert_int_equal(l[i].max_amount_yuan, 300000);
        }
        if (l[i].type == GEN_LENDER_STATE_BANK)
            assert_true(l[i].max_amount_yuan >= 5000000);
    }
}

static void test_lender_type_names(void **state)
{
    (void)state;
    assert_string_equal(gen_lender_type_name(GEN_LENDER_STATE_BANK), "state_bank");
    assert_string_equal(gen_lender_type_name(GEN_LENDER_JOINT_STOCK_BANK), "joint_stock_bank");
    assert_string_equal(gen_lender_type_name(GEN_LENDER_CITY_COMMERCIAL_BANK),
                        "city_commercial_bank");
    assert_string_equal(gen_lender_type_name(GEN_LENDER_RURAL_COMMERCIAL_BANK),
                        "rural_commercial_bank");
    assert_string_equal(gen_lender_type_name(GEN_LENDER_VILLAGE_BANK), "village_bank");
    assert_string_equal(gen_lender_type_name(GEN_LENDER_MICRO_LENDER), "micro_lender");
    assert_string_equal(gen_lender_type_name(GEN_LENDER_DIGITAL_BANK), "digital_bank");
    assert_string_equal(gen_lender_type_name((gen_lender_type)7), "unknown");
    assert_string_equal(gen_lender_type_name((gen_lender_type)-1), "unknown");
}

/* --- guarantors and pools ------------------------------------------------ */

static void test_guarantors(void **state)
{
    (void)state;
    size_t n = 0, re = 0;
    const gen_guarantor *g = gen_world_guarantors(&n);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        if (g[i].is_reguarantor) {
            re++;
            assert_int_equal(g[i].region, PH_DIVISION_SHANDONG);
        } else {
            assert_int_equal(ph_division_level(g[i].region), PH_DIV_CITY);
        }
        assert_true(is_province_or_city(g[i].region));
        assert_true(g[i].fee_rate_bp > 0 && g[i].fee_rate_bp <= 100);
        assert_true(g[i].leverage_cap >= 10 && g[i].leverage_cap <= 15);
        assert_true(fabs(g[i].bank_share - 0.20) < 1e-12);
        assert_true(g[i].capital_yuan > 0);
    }
    assert_int_equal(re, 1);
    assert_ptr_equal(gen_world_guarantors(NULL), g);
}

static void test_risk_pools(void **state)
{
    (void)state;
    static const struct {
        const char *eligible;
        double rate;
    } expected[] = { { "all", 0.30 }, { "first_loan", 0.50 }, { "ip_loan", 0.40 },
                     { "agriculture", 0.35 } };
    size_t n = 0;
    const gen_risk_pool *p = gen_world_risk_pools(&n);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(p[i].eligible, expected[i].eligible);
        assert_true(fabs(p[i].compensation_rate - expected[i].rate) < 1e-12);
        assert_true(p[i].compensation_rate > 0 && p[i].compensation_rate <= 1);
        assert_true(is_province_or_city(p[i].sponsor));
        assert_true(p[i].capital_yuan > 0);
    }
    assert_int_equal(p[0].sponsor, PH_DIVISION_SHANDONG);
    assert_ptr_equal(gen_world_risk_pools(NULL), p);
}

/* --- core enterprises ---------------------------------------------------- */

static void test_core_enterprises(void **state)
{
    (void)state;
    static const char *const ratings[] = { "AAA", "AA+", "AA", "AA-" };
    ph_error err;
    size_t n = 0, deepest = 0;
    const gen_core_enterprise *e = gen_world_core_enterprises(&n);
    const gen_industry *ind = gen_world_industries(NULL);
    assert_int_equal(n, 30);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(e[i].name, e[j].name);
        /* A division the province's SMEs are drawn from. */
        ph_industry_code code;
        ph_assert_ok(ph_industry_code_parse(e[i].industry_code, strlen(e[i].industry_code), &code,
                                            &err),
                     &err);
        assert_true(code.division > 0 && code.group == 0);
        const gen_industry *s = &ind[code.section - 'A'];
        int listed = 0;
        for (size_t k = 0; k < s->division_count; k++)
            listed |= s->divisions[k].division == code.division;
        if (!listed)
            fail_msg("%s: division %d has no SMEs", e[i].name, code.division);
        const ph_division *d = ph_division_find(e[i].region);
        assert_non_null(d);
        assert_int_equal(d->level, PH_DIV_COUNTY);
        assert_int_equal(ph_division_province(e[i].region), PH_DIVISION_SHANDONG);
        assert_true(str_in(e[i].rating, ratings, 4));
        assert_true(e[i].annual_procurement_yuan >= 500000000LL
                    && e[i].annual_procurement_yuan <= 20000000000LL);
        assert_in_range(e[i].tier1_suppliers, 20, 150);
        assert_in_range(e[i].depth, 2, 7);
        deepest += e[i].depth == 7;
    }
    /* Credit penetrating to the 7th tier is the exception. */
    assert_in_range(deepest, 1, 5);
    assert_ptr_equal(gen_world_core_enterprises(NULL), e);
}

/* --- name pools ---------------------------------------------------------- */

static void check_pool(const char *const *pool, size_t n, size_t min_count)
{
    assert_non_null(pool);
    assert_true(n >= min_count);
    for (size_t i = 0; i < n; i++) {
        size_t len = cjk_length(pool[i]);
        if (len < 1 || len > 2)
            fail_msg("entry %zu '%s' is not one or two Chinese characters", i, pool[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(pool[i], pool[j]) == 0)
                fail_msg("entry %zu '%s' repeats entry %zu", i, pool[i], j);
    }
}

static void test_name_pools(void **state)
{
    (void)state;
    size_t n = 0;
    const char *const *trade = gen_world_trade_chars(&n);
    check_pool(trade, n, 90);
    assert_int_equal(n, 100);
    assert_string_equal(trade[0], "鑫");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cjk_length(trade[i]), 1);
    assert_ptr_equal(gen_world_trade_chars(NULL), trade);

    const char *const *surnames = gen_world_surnames(&n);
    check_pool(surnames, n, 70);
    assert_int_equal(n, 81);
    assert_string_equal(surnames[0], "王");
    assert_string_equal(surnames[1], "李");
    assert_string_equal(surnames[2], "张");
    assert_string_equal(surnames[3], "刘");
    assert_ptr_equal(gen_world_surnames(NULL), surnames);

    const char *const *products = gen_world_coop_products(&n);
    check_pool(products, n, 25);
    assert_int_equal(n, 34);
    assert_ptr_equal(gen_world_coop_products(NULL), products);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counties_match_the_region_table),
        cmocka_unit_test(test_four_largest_cities_hold_about_half_the_firms),
        cmocka_unit_test(test_county_economy_holds_the_published_share),
        cmocka_unit_test(test_tiers_are_about_a_quarter_strong_and_a_quarter_weak),
        cmocka_unit_test(test_industries_cover_the_twenty_sections),
        cmocka_unit_test(test_seasonality_means_one),
        cmocka_unit_test(test_divisions_belong_to_their_sections),
        cmocka_unit_test(test_industry_profiles_are_plausible),
        cmocka_unit_test(test_lender_mix_follows_the_calibration),
        cmocka_unit_test(test_lender_pricing_stays_under_the_cap),
        cmocka_unit_test(test_lender_appetite),
        cmocka_unit_test(test_lender_type_names),
        cmocka_unit_test(test_guarantors),
        cmocka_unit_test(test_risk_pools),
        cmocka_unit_test(test_core_enterprises),
        cmocka_unit_test(test_name_pools),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
