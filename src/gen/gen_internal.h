/*
 * puhui gen — shared declarations of the simulator's parts (private).
 *
 *   firms.c       the population: who, where, what industry, how big
 *   dynamics.c    macro and industry paths, latent health, defaults, and
 *                 the exact 12-month PD tables
 *   emit_*.c      one file per family of feeds: rows from a firm's path
 *                 (emit_watch.c: the early-warning feeds, trucks and opinion;
 *                 emit_warehouse.c: warehouse lots, their IoT readings, prices;
 *                 distress.c: the distress and approach of a default both use)
 *   buf.c         row building, number formatting, dirty-row injection
 *   writer.c      files, checksums, the manifest
 *   pipeline.c    blocks of firms across threads, written in order
 *   gen.c         options, the run, the summary
 */
#ifndef PH_GEN_INTERNAL_H
#define PH_GEN_INTERNAL_H

#include <stdio.h>

#include "puhui/feed.h"
#include "puhui/gen.h"
#include "puhui/industry.h"
#include "gen/rng.h"
#include "gen/world.h"

/* ---- feeds ---------------------------------------------------------------- */

/* Every file a run writes, in manifest order. The names are the feed
 * catalogue's (src/feed), which holds the columns and the paths. */
typedef enum gen_feed_id {
    GEN_F_REGISTRATION,
    GEN_F_VAT,
    GEN_F_TAX_PAYMENTS,
    GEN_F_TAX_GRADES,
    GEN_F_SOCIAL,
    GEN_F_POWER_DAILY,
    GEN_F_POWER_MONTHLY,
    GEN_F_PAYMENTS,
    GEN_F_LITIGATION,
    GEN_F_PENALTIES,
    GEN_F_PATENTS,
    GEN_F_SUBSIDIES,
    GEN_F_CREDIT_LOANS,
    GEN_F_CREDIT_STATUS,
    GEN_F_SUPPLY_CHAIN,
    GEN_F_GPS,
    GEN_F_OPINION,
    GEN_F_WH_LOTS,
    GEN_F_WH_IOT,
    GEN_F_PRICES,
    GEN_F_LENDERS,
    GEN_F_GUARANTORS,
    GEN_F_RISK_POOLS,
    GEN_F_CORE,
    GEN_F_TRUTH_PD,
    GEN_F_TRUTH_DEFAULTS,
    GEN_F_TRUTH_FIRMS,
    GEN_F_TRUTH_DIRTY,
    GEN_F_TRUTH_MACRO,
    GEN_F_TRUTH_WAREHOUSE,
    GEN_F_COUNT
} gen_feed_id;


/* Kinds of injected bad rows (truth/dirty.csv "kind"). */
typedef enum gen_dirty_kind {
    GEN_DIRTY_BAD_CHECK_CHAR,
    GEN_DIRTY_MALFORMED_NUMBER,
    GEN_DIRTY_DUPLICATE_ROW,
    GEN_DIRTY_DATE_OUT_OF_RANGE,
    GEN_DIRTY_UNKNOWN_CODE,
    GEN_DIRTY_TRUNCATED_LINE,
    GEN_DIRTY_MIS_ENCODED_TEXT,
    GEN_DIRTY_KIND_COUNT
} gen_dirty_kind;

const char *gen_dirty_kind_name(gen_dirty_kind kind);

typedef struct gen_dirty_record {
    uint64_t line;           /* 0-based line within its block buffer */
    uint8_t feed;            /* gen_feed_id */
    uint8_t kind;            /* gen_dirty_kind */
    int16_t column;          /* column index, -1 for whole-row kinds */
    char detail[56];
} gen_dirty_record;

typedef struct gen_dirty_list {
    gen_dirty_record *items;
    size_t count, cap;
} gen_dirty_list;

#define GEN_MAX_FIELDS 24
/* Longest output path: ph_gen_run refuses an out_dir that would not fit
 * with the catalogue's relative paths. */
#define GEN_PATH_MAX 4096

/* ISO text of every day of a span (the window and its margins), so the
 * daily feeds copy 10 bytes instead of converting a date per row. */
typedef struct gen_date_cache {
    ph_date first;
    int32_t count;
    const char (*text)[10];
} gen_date_cache;

/* A growing text buffer of CSV rows for one feed of one block. */
typedef struct gen_buf {
    const ph_ctx *ctx;
    const gen_date_cache *dates; /* may be NULL */
    char *data;
    size_t len, cap;
    uint64_t lines;          /* complete rows in the buffer */
    size_t row_start;
    uint32_t field_start[GEN_MAX_FIELDS];
    int nfields;
    int failed;              /* an allocation failed; the block reports ENOMEM */
} gen_buf;

/* Where injected bad rows go, and the stream that decides them. */
typedef struct gen_dirty {
    double rate;             /* 0: never draw */
    gen_rng rng;
    gen_dirty_list *list;
    const ph_feed *const *feeds;  /* catalogue entries by gen_feed_id */
} gen_dirty;

int gen_buf_reserve(gen_buf *b, size_t extra);
void gen_buf_free(gen_buf *b);
void gen_buf_reset(gen_buf *b);

/* Field writers: each starts a new field of the current row (the hot ones,
 * inline, in buf.h). */
void gen_put_str(gen_buf *b, const char *s);   /* quoted when it needs it */
void gen_put_empty(gen_buf *b);
void gen_put_decimal(gen_buf *b, double v, int decimals);     /* rounded half away from 0 */
void gen_put_month(gen_buf *b, ph_month m);

/* Fast ISO date text into out[10] (no terminator). */
void gen_format_date(ph_date d, char out[10]);
void gen_civil(ph_date d, int *year, int *month, int *day);

#include "gen/buf.h"

/* ---- the population --------------------------------------------------------- */

enum {
    GEN_ENTITY_COMPANY = 0,
    GEN_ENTITY_INDIVIDUAL = 1,
    GEN_ENTITY_COOPERATIVE = 2
};

enum {
    GEN_FIRM_CREDIT_WHITE = 1u << 0,   /* no credit-bureau history at the start */
    GEN_FIRM_PAYMENTS = 1u << 1,       /* covered by the acquirers' payment feed */
    GEN_FIRM_POWER = 1u << 2,          /* has its own electricity account */
    GEN_FIRM_SOCIAL = 1u << 3,         /* pays social security */
    GEN_FIRM_VAT = 1u << 4,            /* issues VAT e-invoices */
    GEN_FIRM_TECH = 1u << 5,           /* files patents */
    GEN_FIRM_GREEN = 1u << 6,
    GEN_FIRM_YOUNG = 1u << 7,          /* under 3 years old at the window start */
    GEN_FIRM_GENERAL_VAT = 1u << 8,    /* general VAT taxpayer (else small-scale) */
    GEN_FIRM_FEMALE = 1u << 9,
    GEN_FIRM_COUNTY = 1u << 10,        /* county or county-level city, not a district */
    GEN_FIRM_CORE_SUPPLIER = 1u << 11  /* in some core enterprise's chain */
};

typedef struct gen_firm {
    char uscc[20];
    int32_t region;          /* county-level code */
    ph_date registered_on;
    int32_t employees;
    int64_t revenue_fen;     /* last full year before the window */
    int64_t assets_fen;
    int64_t capital_fen;
    float base_health;       /* latent health at the start (or at registration) */
    uint16_t flags;
    uint16_t birth_year;
    uint8_t industry;        /* index into gen_world_industries() */
    uint8_t division_idx;    /* index into that section's divisions */
    uint8_t city;            /* index into the run's city list */
    uint8_t tier;            /* GEN_TIER_* */
    uint8_t entity;          /* GEN_ENTITY_* */
    uint8_t size_class;      /* ph_size_class */
} gen_firm;

/* ---- a run ------------------------------------------------------------------ */

#define GEN_SQRT1_2 0.70710678118654752440 /* 1/sqrt(2), for the normal CDF via erfc */
#define GEN_PD_GRID 281      /* health grid points of the PD tables */

/* A warehouse of the province (emit_warehouse.c): WH0001 is the first. */
#define GEN_COMMODITIES 8
#define GEN_MAX_WAREHOUSES (PH_GEN_MAX_CITIES * 4)
typedef struct gen_warehouse {
    double lat, lon;               /* WGS-84, 6 places */
    int geofence_m;
} gen_warehouse;

typedef struct gen_run {
    const ph_ctx *ctx;
    ph_gen_options opt;
    ph_month start;
    int months;                    /* window length */
    int horizon;                   /* months of systemic paths: window + 13 */
    ph_date window_first, window_last;
    ph_date *month_first;          /* first day of window month t (t < horizon) */

    const gen_county *counties;    /* the province */
    size_t county_count;
    double *county_cum;            /* cumulative firm weights */
    int cities[PH_GEN_MAX_CITIES]; /* city codes, in code order */
    size_t city_count;
    const gen_industry *industries;
    size_t industry_count;
    double *industry_cum;
    const gen_lender *lenders;
    size_t lender_count;
    double lender_cum[32];
    char lender_uscc[32][20];
    char core_uscc[32][20];        /* core enterprises, in gen_world_core_enterprises order */

    gen_firm *firms;
    uint64_t firm_count;

    double *macro;                 /* [horizon] province macro factor */
    double *systemic;              /* [industry][horizon] macro + industry + season */
    float *pd_table;               /* [segment][month][2 regimes][GEN_PD_GRID] */
    size_t segment_count;

    /* supply chains, built before the blocks */
    struct gen_chain_link *links;
    size_t link_count;

    /* warehouses (per_city of each city, in city order) and the daily spot
     * prices of the window, [commodity][day] in yuan per kg */
    gen_warehouse warehouses[GEN_MAX_WAREHOUSES];
    size_t warehouse_count;
    double *prices;
    int price_days;

    const ph_feed *feeds[GEN_F_COUNT];
    gen_date_cache dates;
    char (*date_text)[10];
} gen_run;

typedef struct gen_chain_link {
    uint32_t chain;          /* index of the core enterprise */
    uint8_t tier;            /* 1..7 */
    uint64_t supplier;       /* firm index */
    int64_t buyer;           /* firm index, or -1 for the core enterprise */
    ph_date since;
    int64_t volume_fen;
} gen_chain_link;

/* Per-block statistics, merged into the summary in block order. */
typedef struct gen_stats {
    uint64_t firms, county_firms, female, under35, young, defaults;
    double firm_years;
    uint64_t covered[PH_GEN_SRC_COUNT], county_covered[PH_GEN_SRC_COUNT];
    uint64_t city_firms[PH_GEN_MAX_CITIES], city_defaults[PH_GEN_MAX_CITIES];
    double city_years[PH_GEN_MAX_CITIES];
    uint64_t section_firms[PH_GEN_SECTIONS], section_defaults[PH_GEN_SECTIONS];
    double section_years[PH_GEN_SECTIONS];
    uint64_t size_firms[PH_GEN_SIZES], size_defaults[PH_GEN_SIZES];
    double size_years[PH_GEN_SIZES];
} gen_stats;

/* One block of firms: every feed's rows for firms [first, first + count). */
typedef struct gen_block {
    uint64_t first, count;
    gen_buf out[GEN_F_COUNT];
    gen_dirty_list dirty;
    gen_stats stats;
} gen_block;

/* ---- a firm's simulated life ----------------------------------------------- */

/* the registration's business status, as the feed catalogue numbers it */
enum {
    GEN_STATUS_ACTIVE = PH_BUSINESS_ACTIVE,
    GEN_STATUS_ABNORMAL = PH_BUSINESS_ABNORMAL,
    GEN_STATUS_DEREGISTERED = PH_BUSINESS_DEREGISTERED,
    GEN_STATUS_REVOKED = PH_BUSINESS_REVOKED
};

#define GEN_LAG 3            /* months of history kept before the window */

typedef struct gen_path {
    int first;               /* first window month the firm exists in (may be 0) */
    int end;                 /* one past the last month with activity */
    int miss_month;          /* month of the first uncured missed payment, -1 none */
    ph_date miss_date;
    ph_date default_date;    /* miss_date + 90 days (0 when none) */
    int status;              /* at the window end */
    ph_date status_date;
    int status_month;        /* window month the status took effect, or months */
    /* per window month t, stored at [t + GEN_LAG]; earlier slots hold the
     * firm's normal so lagged feeds have a past */
    double health[PH_GEN_MAX_MONTHS + GEN_LAG];
    double activity[PH_GEN_MAX_MONTHS + GEN_LAG];  /* 1 = the firm's normal */
    float pd[PH_GEN_MAX_MONTHS];
    uint8_t regime[PH_GEN_MAX_MONTHS];
} gen_path;

/* Activity multiplier of month t with a lag, from the stored path. */
static inline double gen_activity(const gen_path *p, int t, int lag)
{
    int i = t - lag + GEN_LAG;
    return p->activity[i < 0 ? 0 : i];
}

/* The firm's normal monthly sales (yuan) in window month t, before each
 * feed's own noise: last year's revenue moved by activity (with a lag) and
 * the season; zero before registration and after closure. */
static inline double gen_sales_base(const gen_run *run, const gen_firm *f, const gen_path *p,
                                    int t, int lag)
{
    if (t < p->first || t >= p->end)
        return 0.0;
    const gen_industry *ind = &run->industries[f->industry];
    ph_month m = run->start + t;
    return (double)f->revenue_fen / 1200.0 * gen_activity(p, t, lag) * ind->seasonality[m % 12];
}

/* Everything an emitter needs about one firm. */
typedef struct gen_firm_ctx {
    const gen_run *run;
    const gen_firm *firm;
    uint64_t index;
    const gen_industry *ind;
    const gen_path *path;
    gen_block *block;
    gen_dirty *dirty;
    int had_loan_at_miss;    /* set by gen_emit_credit, read by gen_emit_truth */
    int has_credit_history;  /* any loan opened by the window end */
    int consumer_facing;     /* paid by consumers every day (shops, restaurants) */
} gen_firm_ctx;

/* firms.c */
ph_status gen_firms_build(gen_run *run, ph_error *err);
ph_status gen_firm_uscc(const gen_run *run, uint64_t serial_index, char authority, char category,
                        int division, char out[20], ph_error *err);
void gen_firm_name(const gen_run *run, const gen_firm *f, uint64_t index, char *out, size_t size);

/* dynamics.c */
/* The systemic paths and the PD tables, on `threads` threads (this one included). */
ph_status gen_dynamics_build(gen_run *run, int threads, ph_error *err);
void gen_dynamics_free(gen_run *run);
void gen_simulate_firm(const gen_run *run, const gen_firm *f, uint64_t index, gen_path *path);

/* emitters: each writes one firm's rows of its feeds */
void gen_emit_registration(gen_firm_ctx *fc);
void gen_emit_monthly(gen_firm_ctx *fc);
void gen_emit_daily(gen_firm_ctx *fc);
void gen_emit_events(gen_firm_ctx *fc);
void gen_emit_credit(gen_firm_ctx *fc);
void gen_emit_truth(gen_firm_ctx *fc);
/* logistics_gps and public_opinion (emit_watch.c); called last, so that the
 * firm's shared dirty-row stream has made every other feed's draws first */
void gen_emit_watch(gen_firm_ctx *fc);
/* warehouse_lots, warehouse_iot and truth/warehouse_anomalies
 * (emit_warehouse.c); called after gen_emit_watch, for the same reason */
void gen_emit_warehouse(gen_firm_ctx *fc);

/* distress.c: how close a firm is to trouble, for the early-warning
 * emitters (emit_watch.c, emit_warehouse.c) alike. */
/* 0 for a healthy firm, towards 1 as the month's health falls */
double gen_distress(double health);
/* 0..1: how close `day` is to the firm's default (0 when it has none) */
double gen_pre_default(const gen_path *p, ph_date day);
/* The last day the firm exists in the window: its deregistration or
 * revocation, else the window's end. */
ph_date gen_last_day(const gen_firm_ctx *fc);
/* Who pays a subsidy: the province, the firm's city or its county. */
typedef enum { GEN_PAYER_PROVINCE, GEN_PAYER_CITY, GEN_PAYER_COUNTY } gen_payer_level;
/* One row of feeds/subsidies.csv (programmes from several emitters). */
void gen_put_subsidy(gen_firm_ctx *fc, ph_date paid, const char *programme_name, double yuan,
                     gen_payer_level payer);

/* whole-province files, written once */
void gen_emit_reference(const gen_run *run, gen_block *block);
ph_status gen_supply_build(gen_run *run, ph_error *err);
/* The lenders' and core enterprises' codes and the lenders' cumulative
 * market shares, before any firm borrows or supplies. */
void gen_institution_codes(gen_run *run);
/* manifest.json, after every file is closed. */
ph_status gen_manifest_write(const gen_run *run, const ph_gen_summary *s, ph_error *err);
void gen_emit_supply(const gen_run *run, gen_block *block, gen_dirty *dirty);
void gen_emit_macro(const gen_run *run, gen_block *block);
/* The warehouses and the price paths (after the macro path), then the
 * prices' file. */
ph_status gen_warehouses_build(gen_run *run, ph_error *err);
void gen_emit_prices(const gen_run *run, gen_block *block);

/* days in window month t (negative t: the burn-in) */
int gen_days_in_window_month(const gen_run *run, int t);

/* money from a simulated yuan amount, rounded half away from zero to the fen */
int64_t gen_fen(double yuan);

#endif
