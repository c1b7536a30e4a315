/*
 * Internal to the feature store (src/features): the feature indexes, the
 * in-memory form of a firm's data, and the steps shared by the batch and
 * the single-firm paths, which must compute identical values.
 */
#ifndef PUHUI_FEATURES_INTERNAL_H
#define PUHUI_FEATURES_INTERNAL_H

#include "puhui/features.h"

/* Feature indexes, in catalogue order (catalog.c checks each name). */
enum {
    FI_HAS_VAT, FI_HAS_TAX, FI_HAS_SOCIAL_SECURITY, FI_HAS_POWER, FI_HAS_PAYMENTS,
    FI_HAS_CREDIT_HISTORY, FI_COVERAGE_SHARE,
    FI_AGE_MONTHS, FI_STATUS_ABNORMAL,
    FI_SALES_3M, FI_SALES_12M, FI_SALES_GROWTH_3M, FI_SALES_YOY_3M, FI_SALES_TREND_12M,
    FI_SALES_VOLATILITY_12M, FI_SALES_VS_PEER_12M, FI_PURCHASE_TO_SALES_12M,
    FI_TOP_BUYER_SHARE_3M, FI_MONTHS_WITHOUT_SALES_12M,
    FI_TAX_PAID_12M, FI_TAX_LATE_COUNT_12M, FI_TAX_GRADE_SCORE, FI_TAX_GRADE_D,
    FI_HEADCOUNT_LAST, FI_HEADCOUNT_CHANGE_3M, FI_WAGE_BASE_3M, FI_WAGE_TO_SALES_12M,
    FI_SS_LATE_MONTHS_12M,
    FI_POWER_KWH_3M, FI_POWER_GROWTH_3M, FI_POWER_YOY_3M, FI_POWER_VOLATILITY_12M,
    FI_POWER_VS_PEER_3M,
    FI_INFLOW_1M, FI_INFLOW_3M, FI_INFLOW_12M, FI_INFLOW_GROWTH_3M, FI_INFLOW_YOY_3M,
    FI_INFLOW_VOLATILITY_12M, FI_INFLOW_TREND_12M, FI_INFLOW_VS_PEER_12M,
    FI_PAYMENTS_TO_SALES_12M, FI_ACTIVE_DAYS_3M, FI_DAYS_SINCE_LAST_INFLOW,
    FI_LITIGATION_COUNT_12M, FI_LITIGATION_OPEN, FI_ENFORCEMENT_OPEN,
    FI_PENALTY_COUNT_12M, FI_PENALTY_SERIOUS_24M, FI_ENVIRONMENT_PENALTY_24M,
    FI_DAYS_SINCE_PENALTY,
    FI_LOANS_OPEN, FI_LOAN_BALANCE, FI_MAX_DPD_12M, FI_OVERDUE_MONTHS_12M, FI_CREDIT_WHITE,
    FI_CREDIT_HISTORY_MONTHS,
    FI_SUBSIDY_12M, FI_GREEN_SUBSIDY_24M,
    FI_PATENTS_TOTAL, FI_INVENTION_PATENTS,
    FI_CHAIN_MEMBER, FI_CHAIN_TIER,
    FI_INDUSTRY_GROWTH_12M, FI_REGION_GROWTH_12M,
    FI_COUNT
};

/* --- A firm's data in memory ------------------------------------------------
 * Every stored row version becomes a record, or is added into one: daily
 * rows are summed per month. A record is valid at the as-of dates with
 * index a0 <= j < a1 (dates sorted ascending): a0 is the first date on which
 * the row is known (and its event has happened), a1 the first on which a
 * correction superseded it. Amounts are integers (fen, kWh, counts), so a
 * sum does not depend on how rows were grouped: the batch (many dates, so
 * more groups) and the single-firm path (one date) give identical values. */
typedef struct fs_rec {
    int64_t v[4];
    int32_t t;   /* a month (ph_month) for monthly series, else a date */
    int32_t t2;  /* a second date, see each source */
    uint16_t a0, a1;
    uint16_t kind;
    uint16_t n;  /* rows added into this record */
} fs_rec;

/* The sources, each one array of records per firm. */
typedef enum fs_source {
    FS_REG,       /* t registered_on, t2 status_date (or t), kind status, v0 region, v1 section */
    FS_VAT,       /* t month, v0 sales fen, v1 purchases fen, v2 top-buyer fen, v3 sales fen with a share */
    FS_TAX,       /* t period, v0 paid fen, v1 rows paid late */
    FS_GRADE,     /* t assessed_on, t2 year, kind score 0..4 */
    FS_SS,        /* t month, v0 headcount, v1 wage base fen, v2 1 when paid late */
    FS_PWR_DAILY, /* t month, v0 kWh (days summed) */
    FS_PWR_MONTHLY, /* t month, v0 kWh */
    FS_PAY,       /* t month, v0 inflow fen, v1 days with inflow; t2 last inflow date */
    FS_LIT,       /* t filed_on, t2 closed_on (INT32_MAX open), kind FS_LIT_* */
    FS_PEN,       /* t decided_on, kind FS_PEN_* */
    FS_SUB,       /* t paid_on, v0 fen, kind 1 green */
    FS_PAT,       /* t granted_on, kind 1 invention */
    FS_LOAN,      /* t opened_on, t2 maturity_on */
    FS_CS,        /* t month, v0 balance fen, v1 days past due */
    FS_CHAIN,     /* t since, kind: tier as supplier, or FS_CHAIN_BUYER + tier */
    FS_COUNT
} fs_source;

#define FS_LIT_AGAINST 0x1u     /* defendant or enforced party */
#define FS_LIT_ENFORCEMENT 0x2u /* enforcement case or enforced party */
#define FS_PEN_SERIOUS 0x1u
#define FS_PEN_ENVIRONMENT 0x2u
#define FS_CHAIN_BUYER 100u

/* Records of every firm for each source, grouped by firm (CSR): firm f's
 * records of source s are rec[s][off[s][f] .. off[s][f+1]). */
typedef struct fs_data {
    const ph_ctx *ctx;
    size_t nfirms;
    char (*uscc)[19];       /* sorted, byte order */
    size_t nasof;
    ph_date *asof;          /* ascending */
    ph_month *end;          /* [nasof][FS_COUNT]: each source's window end */
    fs_rec *rec[FS_COUNT];
    size_t *off[FS_COUNT];
    /* ph_features_options' progress (NULL: none), called on the calling
     * thread only. */
    void (*progress)(void *user, const char *stage, uint64_t done, uint64_t total);
    void *progress_user;
} fs_data;

/* Report progress when the caller asked for it. */
static inline void fs_progress(const fs_data *data, const char *stage, uint64_t done,
                               uint64_t total)
{
    if (data->progress != NULL)
        data->progress(data->progress_user, stage, done, total);
}

/* Set data->end from data->asof and the catalogue's lags. */
ph_status fs_data_prepare(fs_data *data, ph_error *err);

/* Load: every stored feed the features read, for all firms (uscc NULL) or
 * one, into `data` (whose ctx and asof are set). */
ph_status fs_load(ph_store *store, const char *uscc, int threads, fs_data *data,
                  ph_error *err);
void fs_data_free(fs_data *data);

/* The peer medians one evaluation needs (NaN where none). */
typedef struct fs_peers {
    double sales_12m, power_kwh_3m, inflow_12m; /* the firm's peer group */
    double industry_growth, region_growth;
} fs_peers;

/* Peer inputs of one firm at one date (the values peers are medians of). */
enum { FS_PEER_SALES_12M, FS_PEER_POWER_3M, FS_PEER_INFLOW_12M, FS_PEER_SALES_YOY_3M,
       FS_PEER_INPUTS };

/* Is firm f known at date j; if so, its registration record. */
const fs_rec *fs_registration(const fs_data *data, size_t f, size_t j);

/* Compute firm f's features at date j into values[FI_COUNT]; `peers` may be
 * NULL (peer features missing), which is how pass one gets peer inputs. */
void fs_compute(const fs_data *data, size_t f, size_t j, const fs_peers *peers,
                double *values);

/* The peer-input values from a computed feature vector. */
void fs_peer_inputs(const double *values, double *inputs);

/* Peer groups: "C:370100" (section and city), "C:370000" (section and
 * province), "*:370100" (all sections, city). */
#define FS_PEER_GROUP_MAX 16
void fs_peer_group_names(const fs_rec *reg, char city[FS_PEER_GROUP_MAX],
                         char province[FS_PEER_GROUP_MAX], char region[FS_PEER_GROUP_MAX]);

/* The fewest firms with a value for a city group to be used. */
#define FS_PEER_MIN_FIRMS 20

/* Medians of every peer group at every date of `data`, kept in `table` for
 * the second pass; fs_peer_store writes them to feature_peer (a refresh). */
typedef struct fs_peer_table fs_peer_table;
ph_status fs_peer_build(const fs_data *data, const double *inputs, fs_peer_table **table,
                        ph_error *err);
ph_status fs_peer_store(ph_store *store, const fs_data *data, const fs_peer_table *table,
                        ph_error *err);
void fs_peer_lookup(const fs_peer_table *table, const fs_data *data, size_t f, size_t j,
                    fs_peers *out);
void fs_peer_table_free(const ph_ctx *ctx, fs_peer_table *table);

/* The stored medians for one firm's groups from the latest refresh on or
 * before `asof` (single-firm path), whose date goes to *used; PH_ENOTFOUND
 * (field "asof") when no refresh is that old. Reads only. */
ph_status fs_peer_read(ph_store *store, const fs_rec *reg, ph_date asof, fs_peers *out,
                       ph_date *used, ph_error *err);

/* Features never read before this schema version. */
#define FS_SCHEMA_VERSION 5

#endif
