/*
 * puhui gen — the synthetic province's reference data (private to src/gen).
 *
 * Everything the simulator assumes about the world lives here as data, not
 * as code: where firms sit, what industries look like, who lends. The
 * numbers are calibration defaults drawn from docs/domain.md#calibration-figures;
 * changing a table changes the province, not the simulator.
 */
#ifndef PH_GEN_WORLD_H
#define PH_GEN_WORLD_H

#include <stddef.h>
#include <stdint.h>

/* Economic tier of a county-level division: drives firm density, data
 * coverage and the default-rate intercept. */
enum {
    GEN_TIER_STRONG = 1, /* core urban districts, top-100 counties (百强县) */
    GEN_TIER_MIDDLE = 2,
    GEN_TIER_WEAK = 3    /* rural, less developed counties (欠发达县) */
};

/* One county-level division of the province (every entry of
 * ph_division_counties(370000) has exactly one row). */
typedef struct gen_county {
    int code;            /* GB/T 2260, e.g. 370102 */
    double firm_weight;  /* relative number of registered SMEs (any positive scale;
                            the province total is normalised by the simulator) */
    int tier;            /* GEN_TIER_* */
} gen_county;

/* One GB/T 4754 division as it appears among the province's SMEs. */
typedef struct gen_division {
    int division;          /* 1..97 */
    double weight;         /* relative share within its section */
    const char *word_zh;   /* business word used in company names: "机械制造" */
    const char *shop_zh;   /* shop word for individual businesses: "五金店";
                              NULL if individual businesses do not occur */
} gen_division;

/* The profile of one GB/T 4754 section among the province's SMEs. */
typedef struct gen_industry {
    char section;               /* 'A'..'T' */
    double share;               /* share of the province's SMEs (sums to 1) */
    int volatility_tier;        /* 0 low, 1 middle, 2 high */
    double seasonality[12];     /* activity multiplier Jan..Dec, mean 1.0 */
    double macro_beta;          /* loading on the province macro factor, ~0.5..1.5 */
    double individual_share;    /* share registered as individual businesses (个体工商户) */
    double coop_share;          /* share registered as farmers' cooperatives (A only) */
    double employees_median;    /* median employees of its SMEs */
    double employees_sigma;     /* lognormal sigma of employees */
    double revenue_per_employee;/* median yearly revenue per employee, yuan */
    double assets_to_revenue;   /* median total assets / yearly revenue */
    double purchase_ratio;      /* purchases / sales on VAT invoices */
    double retail_share;        /* share of inflow value paid by many small
                                   consumer payments (POS/QR) rather than B2B transfers */
    double consumer_ticket;     /* typical consumer payment, yuan */
    double b2b_ticket_share;    /* typical B2B transfer as a share of monthly sales */
    double kwh_per_10k_revenue; /* electricity intensity, kWh per 10,000 yuan revenue */
    double tech_rate;           /* yearly patent grants per firm (mean) */
    double green_rate;          /* share of firms eligible for green programmes */
    double penalty_rate;        /* yearly administrative penalties per firm (mean, healthy firm) */
    double environmental_share; /* share of its penalties from the environment authority */
    size_t division_count;
    const gen_division *divisions;
} gen_industry;

typedef enum gen_lender_type {
    GEN_LENDER_STATE_BANK,
    GEN_LENDER_JOINT_STOCK_BANK,
    GEN_LENDER_CITY_COMMERCIAL_BANK,
    GEN_LENDER_RURAL_COMMERCIAL_BANK,
    GEN_LENDER_VILLAGE_BANK,
    GEN_LENDER_MICRO_LENDER,
    GEN_LENDER_DIGITAL_BANK
} gen_lender_type;

/* A lender of the marketplace: its appetite and its pricing. */
typedef struct gen_lender {
    const char *name;           /* fictional, Chinese */
    gen_lender_type type;
    int scope;                  /* 370000 province-wide, or a city code 37xx00 */
    int serves_counties;        /* 1 if it lends outside urban districts */
    int64_t min_amount_yuan;
    int64_t max_amount_yuan;
    int max_term_months;
    const char *target_sizes;   /* "micro|small" */
    const char *industries;     /* "*" or "A|C|F" */
    double credit_share;        /* share of its SME lending that is unsecured */
    int spread_min_bp;          /* over the 1-year LPR */
    int spread_max_bp;
    int max_apr_bp;             /* comprehensive annual cost cap, bp (<= 4 x LPR = 1200) */
    double market_share;        /* share of the province's SME loans it books */
} gen_lender;

typedef struct gen_guarantor {
    const char *name;
    int is_reguarantor;         /* 1 = provincial re-guarantor (再担保) */
    int region;                 /* 370000 or a city code */
    int64_t capital_yuan;
    double leverage_cap;        /* 放大倍数 cap, e.g. 10.0 */
    int fee_rate_bp;            /* <= 100 */
    double bank_share;          /* bank's share of a loss, 0.20 */
} gen_guarantor;

typedef struct gen_risk_pool {
    const char *name;
    int sponsor;                /* division of the sponsoring government */
    int64_t capital_yuan;
    double compensation_rate;   /* share of a bank's loss the pool pays: 0.30 */
    const char *eligible;       /* all|first_loan|ip_loan|agriculture */
} gen_risk_pool;

typedef struct gen_core_enterprise {
    const char *name;
    const char *industry_code;  /* "C36" */
    int region;                 /* county-level code */
    const char *rating;         /* AAA|AA+|AA|AA- */
    int64_t annual_procurement_yuan;
    int tier1_suppliers;        /* direct SME suppliers in the province */
    int depth;                  /* tiers its chain reaches, 2..7 */
} gen_core_enterprise;

/* Tables. Each getter returns the table and stores its length in *count. */
const gen_county *gen_world_counties(size_t *count);
const gen_industry *gen_world_industries(size_t *count);
const gen_lender *gen_world_lenders(size_t *count);
const gen_guarantor *gen_world_guarantors(size_t *count);
const gen_risk_pool *gen_world_risk_pools(size_t *count);
const gen_core_enterprise *gen_world_core_enterprises(size_t *count);
const char *gen_lender_type_name(gen_lender_type type);   /* "state_bank" */

/* Name pools (UTF-8, each entry one or two Chinese characters). */
const char *const *gen_world_trade_chars(size_t *count);  /* 字号 characters: 鑫 源 恒 ... */
const char *const *gen_world_surnames(size_t *count);     /* 王 李 张 ..., most common first */
const char *const *gen_world_coop_products(size_t *count);/* 果蔬 小麦 生猪 ... for 专业合作社 */

#endif
