/*
 * Peer medians: what "against the industry-and-region peer median" means.
 *
 * A firm's peer group is its industry section in its city ("C:370100");
 * when fewer than FS_PEER_MIN_FIRMS firms of that group have a value, the
 * section province-wide ("C:370000"). Industry prosperity is the median
 * sales_yoy_3m of the section province-wide, regional prosperity that of the
 * city over all sections ("*:370100"). Medians are over the firms known on
 * the date that have a value. The batch computes them for every group and
 * date and stores them in feature_peer, so the single-firm path reads the
 * very same numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/region.h"

#include "features/features_internal.h"

enum { KIND_CITY, KIND_PROVINCE, KIND_REGION, KINDS };

static const char *const INPUT_NAMES[FS_PEER_INPUTS] = {"sales_12m", "power_kwh_3m",
                                                        "inflow_12m", "sales_yoy_3m"};

/* A group key: the section letter (or '*') and a division code. */
static int64_t group_key(int kind, const fs_rec *reg)
{
    int region = (int)reg->v[0];
    int code = kind == KIND_PROVINCE ? ph_division_province(region) : ph_division_city(region);
    if (code == 0) /* a county without a city (or a bad code): the code itself */
        code = region;
    int64_t letter = kind == KIND_REGION ? '*' : reg->v[1];
    return letter << 32 | (int64_t)code;
}

static void key_name(int64_t key, char out[FS_PEER_GROUP_MAX])
{
    snprintf(out, FS_PEER_GROUP_MAX, "%c:%d", (char)(key >> 32), (int)(key & 0xffffffff));
}

void fs_peer_group_names(const fs_rec *reg, char city[FS_PEER_GROUP_MAX],
                         char province[FS_PEER_GROUP_MAX], char region[FS_PEER_GROUP_MAX])
{
    key_name(group_key(KIND_CITY, reg), city);
    key_name(group_key(KIND_PROVINCE, reg), province);
    key_name(group_key(KIND_REGION, reg), region);
}

struct fs_peer_table {
    size_t ngroups;
    int64_t *keys;      /* sorted */
    uint32_t *reg_group; /* per registration record: KINDS group indexes */
    double *median;     /* [nasof][ngroups][FS_PEER_INPUTS] */
    int32_t *n;         /* same shape: firms with a value */
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t group_index(const fs_peer_table *t, int64_t key)
{
    const int64_t *hit = bsearch(&key, t->keys, t->ngroups, sizeof(key), cmp_i64);
    return (size_t)(hit - t->keys);
}

/* The median of v[0..n) (n > 0); reorders v. */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* The dense group indexes of every registration record. */
static ph_status index_groups(const fs_data *data, fs_peer_table *t, ph_error *err)
{
    size_t nreg = data->off[FS_REG][data->nfirms];
    const fs_rec *reg = data->rec[FS_REG];
    t->keys = ph_malloc(data->ctx, (nreg * KINDS + 1) * sizeof(*t->keys));
    t->reg_group = ph_malloc(data->ctx, (nreg * KINDS + 1) * sizeof(*t->reg_group));
    if (t->keys == NULL || t->reg_group == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for peer groups");
    for (size_t i = 0; i < nreg; i++)
        for (int k = 0; k < KINDS; k++)
            t->keys[i * KINDS + k] = group_key(k, &reg[i]);
    qsort(t->keys, nreg * KINDS, sizeof(*t->keys), cmp_i64);
    for (size_t i = 0; i < nreg * KINDS; i++)
        if (t->ngroups == 0 || t->keys[t->ngroups - 1] != t->keys[i])
            t->keys[t->ngroups++] = t->keys[i];
    for (size_t i = 0; i < nreg; i++)
        for (int k = 0; k < KINDS; k++)
            t->reg_group[i * KINDS + k] = (uint32_t)group_index(t, group_key(k, &reg[i]));
    return PH_OK;
}

/* Medians of one date: firms are bucketed by group (a counting sort), then
 * each bucket's values are sorted. The scratch arrays hold a group index
 * per firm and kind, ngroups+1 counts and nfirms values. */
static void medians_at(const fs_data *data, fs_peer_table *t, const double *inputs, size_t j,
                       uint32_t *group, size_t *count, double *values)
{
    double *med = t->median + j * t->ngroups * FS_PEER_INPUTS;
    int32_t *n = t->n + j * t->ngroups * FS_PEER_INPUTS;
    for (size_t g = 0; g < t->ngroups * FS_PEER_INPUTS; g++) {
        med[g] = NAN;
        n[g] = 0;
    }
    for (size_t f = 0; f < data->nfirms; f++) {
        const fs_rec *reg = fs_registration(data, f, j);
        for (int kind = 0; kind < KINDS; kind++)
            group[f * KINDS + kind] =
                reg ? t->reg_group[(size_t)(reg - data->rec[FS_REG]) * KINDS + kind]
                    : UINT32_MAX;
    }
    for (int kind = 0; kind < KINDS; kind++)
        for (int in = 0; in < FS_PEER_INPUTS; in++) {
            memset(count, 0, (t->ngroups + 1) * sizeof(*count));
            for (size_t f = 0; f < data->nfirms; f++) {
                uint32_t g = group[f * KINDS + kind];
                if (g != UINT32_MAX && !isnan(inputs[(f * data->nasof + j) * FS_PEER_INPUTS + in]))
                    count[g + 1]++;
            }
            for (size_t g = 0; g < t->ngroups; g++)
                count[g + 1] += count[g];
            for (size_t f = 0; f < data->nfirms; f++) {
                uint32_t g = group[f * KINDS + kind];
                double x = inputs[(f * data->nasof + j) * FS_PEER_INPUTS + in];
                if (g != UINT32_MAX && !isnan(x))
                    values[count[g]++] = x;
            }
            /* count[g] is now the end of group g, count[g-1] its start */
            for (size_t g = 0; g < t->ngroups; g++) {
                size_t begin = g ? count[g - 1] : 0, m = count[g] - begin;
                if (m > 0) {
                    med[g * FS_PEER_INPUTS + in] = median(values + begin, m);
                    n[g * FS_PEER_INPUTS + in] = (int32_t)m;
                }
            }
        }
}

ph_status fs_peer_build(const fs_data *data, const double *inputs, fs_peer_table **out,
                        ph_error *err)
{
    fs_peer_table *t = ph_calloc(data->ctx, 1, sizeof(*t));
    if (t == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for peer groups");
    ph_status st = index_groups(data, t, err);
    size_t cells = data->nasof * (t->ngroups ? t->ngroups : 1) * FS_PEER_INPUTS;
    size_t *count = NULL;
    uint32_t *group = NULL;
    double *values = NULL;
    if (st == PH_OK) {
        t->median = ph_malloc(data->ctx, cells * sizeof(*t->median));
        t->n = ph_malloc(data->ctx, cells * sizeof(*t->n));
        count = ph_malloc(data->ctx, (t->ngroups + 1) * sizeof(*count));
        group = ph_malloc(data->ctx, (data->nfirms * KINDS + 1) * sizeof(*group));
        values = ph_malloc(data->ctx, (data->nfirms + 1) * sizeof(*values));
        if (t->median == NULL || t->n == NULL || count == NULL || group == NULL ||
            values == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for peer medians");
    }
    for (size_t j = 0; st == PH_OK && j < data->nasof; j++)
        medians_at(data, t, inputs, j, group, count, values);
    ph_free(data->ctx, count);
    ph_free(data->ctx, group);
    ph_free(data->ctx, values);
    if (st != PH_OK) {
        fs_peer_table_free(data->ctx, t);
        return st;
    }
    *out = t;
    return PH_OK;
}

void fs_peer_table_free(const ph_ctx *ctx, fs_peer_table *t)
{
    if (t == NULL)
        return;
    ph_free(ctx, t->keys);
    ph_free(ctx, t->reg_group);
    ph_free(ctx, t->median);
    ph_free(ctx, t->n);
    ph_free(ctx, t);
}

/* The rule both paths apply: the city group when big enough, else the
 * section province-wide. */
static double pick(double city, int32_t city_n, double province)
{
    return city_n >= FS_PEER_MIN_FIRMS ? city : province;
}

void fs_peer_lookup(const fs_peer_table *t, const fs_data *data, size_t f, size_t j,
                    fs_peers *out)
{
    const fs_rec *reg = fs_registration(data, f, j);
    size_t r = (size_t)(reg - data->rec[FS_REG]) * KINDS;
    size_t base = j * t->ngroups * FS_PEER_INPUTS;
    const double *city = t->median + base + t->reg_group[r + KIND_CITY] * FS_PEER_INPUTS;
    const int32_t *city_n = t->n + base + t->reg_group[r + KIND_CITY] * FS_PEER_INPUTS;
    const double *prov = t->median + base + t->reg_group[r + KIND_PROVINCE] * FS_PEER_INPUTS;
    const double *region = t->median + base + t->reg_group[r + KIND_REGION] * FS_PEER_INPUTS;
    out->sales_12m = pick(city[FS_PEER_SALES_12M], city_n[FS_PEER_SALES_12M],
                          prov[FS_PEER_SALES_12M]);
    out->power_kwh_3m = pick(city[FS_PEER_POWER_3M], city_n[FS_PEER_POWER_3M],
                             prov[FS_PEER_POWER_3M]);
    out->inflow_12m = pick(city[FS_PEER_INFLOW_12M], city_n[FS_PEER_INFLOW_12M],
                           prov[FS_PEER_INFLOW_12M]);
    out->industry_growth = prov[FS_PEER_SALES_YOY_3M];
    out->region_growth = region[FS_PEER_SALES_YOY_3M];
}

ph_status fs_peer_store(ph_store *store, const fs_data *data, const fs_peer_table *t,
                        ph_error *err)
{
    ph_stmt *del = NULL, *unmark = NULL, *ins = NULL, *mark = NULL;
    ph_status st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    /* a refresh replaces the date's medians and its mark; the time is the
     * context's clock, bound like every stored timestamp */
    char now[PH_UTC_MAX];
    st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    if (st == PH_OK)
        st = ph_store_prepare(store, "DELETE FROM feature_peer WHERE asof = ?", &del, err);
    if (st == PH_OK)
        st = ph_store_prepare(store, "DELETE FROM feature_peer_date WHERE asof = ?", &unmark,
                              err);
    if (st == PH_OK)
        st = ph_store_prepare(store, "INSERT INTO feature_peer_date (asof, firms, computed_at) "
                                     "VALUES (?, ?, ?)",
                              &mark, err);
    if (st == PH_OK)
        st = ph_store_prepare(store, "INSERT INTO feature_peer (asof, peer_group, feature, "
                                     "median, n) VALUES (?, ?, ?, ?, ?)",
                              &ins, err);
    for (size_t j = 0; st == PH_OK && j < data->nasof; j++) {
        char date[PH_DATE_FORMAT_MAX];
        st = ph_date_format(data->asof[j], date, sizeof(date), err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(del, 1, date, -1, err);
        if (st == PH_OK && (st = ph_stmt_step(del, err)) == PH_DONE)
            st = PH_OK;
        int64_t firms = 0;
        for (size_t f = 0; f < data->nfirms; f++)
            firms += fs_registration(data, f, j) != NULL;
        if (st == PH_OK)
            st = ph_stmt_bind_text(unmark, 1, date, -1, err);
        if (st == PH_OK && (st = ph_stmt_step(unmark, err)) == PH_DONE)
            st = PH_OK;
        if (st == PH_OK)
            st = ph_stmt_bind_text(mark, 1, date, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(mark, 2, firms, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(mark, 3, now, -1, err);
        if (st == PH_OK && (st = ph_stmt_step(mark, err)) == PH_DONE)
            st = PH_OK;
        for (size_t g = 0; st == PH_OK && g < t->ngroups; g++)
            for (int in = 0; st == PH_OK && in < FS_PEER_INPUTS; in++) {
                size_t cell = (j * t->ngroups + g) * FS_PEER_INPUTS + (size_t)in;
                if (t->n[cell] == 0)
                    continue;
                char group[FS_PEER_GROUP_MAX];
                key_name(t->keys[g], group);
                st = ph_stmt_bind_text(ins, 1, date, -1, err);
                if (st == PH_OK)
                    st = ph_stmt_bind_text(ins, 2, group, -1, err);
                if (st == PH_OK)
                    st = ph_stmt_bind_text(ins, 3, INPUT_NAMES[in], -1, err);
                if (st == PH_OK)
                    st = ph_stmt_bind_double(ins, 4, t->median[cell], err);
                if (st == PH_OK)
                    st = ph_stmt_bind_int64(ins, 5, t->n[cell], err);
                if (st == PH_OK && (st = ph_stmt_step(ins, err)) == PH_DONE)
                    st = PH_OK;
            }
    }
    ph_stmt_free(del);
    ph_stmt_free(unmark);
    ph_stmt_free(ins);
    ph_stmt_free(mark);
    if (st == PH_OK)
        return ph_store_commit(store, err);
    ph_store_rollback(store, NULL);
    return st;
}

/* The latest refresh on or before `date` (feature_peer_date), into `used`;
 * PH_ENOTFOUND naming the command to run when there is none. */
static ph_status latest_refresh(ph_store *store, const char *date, char used[PH_DATE_FORMAT_MAX],
                                ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT max(asof) FROM feature_peer_date "
                                           "WHERE asof <= ?1",
                                    &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, date, -1, err);
    const char *found = NULL;
    if (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK)
        found = ph_stmt_column_text(stmt, 0);
    if (found != NULL)
        snprintf(used, PH_DATE_FORMAT_MAX, "%s", found);
    ph_stmt_free(stmt);
    if (st != PH_OK && st != PH_DONE)
        return st;
    if (found == NULL)
        return ph_error_set(err, PH_ENOTFOUND, "asof", date,
                            "no peer-median refresh on or before this date: run `puhui "
                            "features refresh --asof %s`",
                            date);
    return PH_OK;
}

ph_status fs_peer_read(ph_store *store, const fs_rec *reg, ph_date asof, fs_peers *out,
                       ph_date *used, ph_error *err)
{
    char date[PH_DATE_FORMAT_MAX], names[KINDS][FS_PEER_GROUP_MAX];
    ph_status st = ph_date_format(asof, date, sizeof(date), err);
    char refresh[PH_DATE_FORMAT_MAX] = "";
    ph_date refresh_date = 0;
    if (st == PH_OK)
        st = latest_refresh(store, date, refresh, err);
    if (st == PH_OK)
        st = ph_date_parse(refresh, strlen(refresh), &refresh_date, err);
    if (st != PH_OK) {
        if (st == PH_EINVAL)
            ph_error_set_field(err, "feature_peer_date.asof");
        return st;
    }
    fs_peer_group_names(reg, names[KIND_CITY], names[KIND_PROVINCE], names[KIND_REGION]);
    double med[KINDS][FS_PEER_INPUTS];
    int32_t n[KINDS][FS_PEER_INPUTS];
    for (int k = 0; k < KINDS; k++)
        for (int in = 0; in < FS_PEER_INPUTS; in++) {
            med[k][in] = NAN;
            n[k][in] = 0;
        }
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, "SELECT peer_group, feature, median, n FROM feature_peer "
                                 "WHERE asof = ?1 AND peer_group IN (?2, ?3, ?4)",
                          &stmt, err);
    for (int i = 0; st == PH_OK && i < 4; i++)
        st = ph_stmt_bind_text(stmt, i + 1, i == 0 ? refresh : names[i - 1], -1, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        const char *group = ph_stmt_column_text(stmt, 0);
        const char *feature = ph_stmt_column_text(stmt, 1);
        for (int k = 0; k < KINDS; k++)
            for (int in = 0; in < FS_PEER_INPUTS; in++)
                if (group && strcmp(group, names[k]) == 0 && feature &&
                    strcmp(feature, INPUT_NAMES[in]) == 0) {
                    med[k][in] = ph_stmt_column_double(stmt, 2);
                    n[k][in] = (int32_t)ph_stmt_column_int64(stmt, 3);
                }
    }
    ph_stmt_free(stmt);
    if (st != PH_DONE)
        return st;
    out->sales_12m = pick(med[KIND_CITY][FS_PEER_SALES_12M], n[KIND_CITY][FS_PEER_SALES_12M],
                          med[KIND_PROVINCE][FS_PEER_SALES_12M]);
    out->power_kwh_3m = pick(med[KIND_CITY][FS_PEER_POWER_3M], n[KIND_CITY][FS_PEER_POWER_3M],
                             med[KIND_PROVINCE][FS_PEER_POWER_3M]);
    out->inflow_12m = pick(med[KIND_CITY][FS_PEER_INFLOW_12M],
                           n[KIND_CITY][FS_PEER_INFLOW_12M],
                           med[KIND_PROVINCE][FS_PEER_INFLOW_12M]);
    out->industry_growth = med[KIND_PROVINCE][FS_PEER_SALES_YOY_3M];
    out->region_growth = med[KIND_REGION][FS_PEER_SALES_YOY_3M];
    *used = refresh_date;
    return PH_OK;
}
