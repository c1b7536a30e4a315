/*
 * The design matrix of train-gbdt: features chosen from the dataset's
 * columns (categoricals one-hot), their monotone constraints, the label and
 * the validation slice (gbdt.h tells the rules).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gbdt/gbdt_internal.h"
#include "puhui/features.h"

uint64_t gbdt_random_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double gbdt_random_unit(uint64_t *state)
{
    return (double)(gbdt_random_next(state) >> 11) * 0x1.0p-53;
}

void gbdt_features_free(const ph_ctx *ctx, ph_gbdt_feature *f, size_t n)
{
    if (!f)
        return;
    for (size_t i = 0; i < n; i++)
        ph_free(ctx, f[i].name);
    ph_free(ctx, f);
}

void gbdt_design_free(gbdt_design *d)
{
    ph_free(d->ctx, d->x);
    ph_free(d->ctx, d->y);
    ph_free(d->ctx, d->is_valid);
    ph_free(d->ctx, d->split);
    gbdt_features_free(d->ctx, d->features, d->n_features);
    memset(d, 0, sizeof(*d));
}

static int listed(const char *const *list, const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

/* 1 when column c is a feature (not the target, excluded or the time). */
static int is_feature_column(const ph_dataset *ds, size_t c, const ph_gbdt_options *o)
{
    const char *name = ph_dataset_column_name(ds, c);
    return strcmp(name, o->target) != 0 && !listed(o->exclude, name) &&
           !(o->time_column && strcmp(name, o->time_column) == 0);
}

static size_t levels_used(const ph_dataset *ds, size_t c, size_t cap)
{
    size_t n = ph_dataset_level_count(ds, c);
    return n < cap ? n : cap;
}

/* Every row missing in column c? */
static int all_missing(const ph_dataset *ds, size_t c)
{
    size_t rows = ph_dataset_rows(ds);
    const double *v = ph_dataset_numeric(ds, c);
    const uint32_t *codes = ph_dataset_codes(ds, c);
    for (size_t r = 0; r < rows; r++)
        if (v ? !isnan(v[r]) : codes[r] != PH_DATASET_MISSING)
            return 0;
    return 1;
}

/* Names, constraints from the catalogue and values of the features. */
static ph_status fill_features(const ph_dataset *ds, const ph_gbdt_options *o, size_t cap,
                               gbdt_design *d, ph_error *err)
{
    const ph_ctx *ctx = d->ctx;
    size_t rows = ph_dataset_rows(ds), cols = ph_dataset_columns(ds), n = 0;
    for (size_t c = 0; c < cols; c++) {
        if (!is_feature_column(ds, c, o))
            continue;
        const char *name = ph_dataset_column_name(ds, c);
        if (all_missing(ds, c))
            return ph_error_set(err, PH_EINVAL, name, NULL,
                                "the feature is missing on every row of %s; expected at least "
                                "one value (or leave it out with --exclude %s)",
                                ph_dataset_source(ds), name);
        n += ph_dataset_column_kind(ds, c) == PH_COLUMN_NUMERIC ? 1 : levels_used(ds, c, cap);
    }
    if (n == 0)
        return ph_error_set(err, PH_EINVAL, NULL, ph_dataset_source(ds),
                            "no features: every column is the target, excluded or the time "
                            "column; expected at least one other column");
    d->features = ph_calloc(ctx, n, sizeof(*d->features));
    d->x = ph_malloc(ctx, n * (rows ? rows : 1) * sizeof(float));
    if (!d->features || !d->x)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for %zu x %zu features",
                            rows, n);
    d->n_features = n;
    size_t f = 0;
    for (size_t c = 0; c < cols; c++) {
        if (!is_feature_column(ds, c, o))
            continue;
        const char *name = ph_dataset_column_name(ds, c);
        const double *v = ph_dataset_numeric(ds, c);
        if (v) {
            const ph_feature *cat = o->monotone_off ? NULL : ph_feature_find(name);
            int sign = !cat ? 0
                       : cat->direction == PH_DIRECTION_HIGHER_WORSE  ? 1
                       : cat->direction == PH_DIRECTION_HIGHER_BETTER ? -1
                                                                      : 0;
            d->features[f] = (ph_gbdt_feature){ph_strdup(ctx, name), sign,
                                               sign ? "catalogue" : "none"};
            if (!d->features[f].name)
                return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
            for (size_t r = 0; r < rows; r++)
                d->x[r * n + f] = (float)v[r];
            f++;
            continue;
        }
        const uint32_t *codes = ph_dataset_codes(ds, c);
        size_t k = levels_used(ds, c, cap);
        for (size_t l = 0; l < k; l++, f++) {
            const char *level = ph_dataset_level(ds, c, (uint32_t)l);
            size_t len = strlen(name) + strlen(level) + 2;
            char *full = ph_malloc(ctx, len);
            if (!full)
                return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
            snprintf(full, len, "%s=%s", name, level);
            d->features[f] = (ph_gbdt_feature){full, 0, "one-hot"};
            for (size_t r = 0; r < rows; r++)
                d->x[r * n + f] = codes[r] == PH_DATASET_MISSING ? NAN
                                  : codes[r] == l                ? 1.0f
                                                                 : 0.0f;
        }
    }
    return PH_OK;
}

/* The overrides "COL=+1|-1|0" over the catalogue's constraints. */
static ph_status apply_monotone(const ph_dataset *ds, const ph_gbdt_options *o, gbdt_design *d,
                                ph_error *err)
{
    int8_t *given = ph_calloc(d->ctx, d->n_features, 1);
    if (!given)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    ph_status st = PH_OK;
    for (size_t i = 0; st == PH_OK && o->monotone && o->monotone[i]; i++) {
        const char *entry = o->monotone[i];
        const char *eq = strrchr(entry, '=');
        static const struct {
            const char *text;
            int sign;
        } signs[] = {{"+1", 1}, {"1", 1}, {"-1", -1}, {"0", 0}};
        int sign = 2;
        for (size_t s = 0; eq && s < sizeof(signs) / sizeof(signs[0]); s++)
            if (strcmp(eq + 1, signs[s].text) == 0)
                sign = signs[s].sign;
        if (sign == 2) {
            st = ph_error_set(err, PH_EINVAL, "--monotone", entry,
                              "expected COL=+1, COL=-1 or COL=0 (or off)");
            break;
        }
        size_t len = (size_t)(eq - entry), f = 0;
        while (f < d->n_features &&
               !(strlen(d->features[f].name) == len && memcmp(d->features[f].name, entry, len) == 0))
            f++;
        if (f == d->n_features) {
            st = ph_error_setn(err, PH_EINVAL, "--monotone", entry, len,
                               "not a feature of the model (a column of %s other than the "
                               "target, the excluded ones and the time column; a categorical "
                               "column's features are COL=LEVEL)",
                               ph_dataset_source(ds));
        } else if (given[f] && given[f] - 2 != sign) {
            st = ph_error_set(err, PH_EINVAL, "--monotone", d->features[f].name,
                              "contradictory constraints: given as %+d and as %+d; expected "
                              "one sign per column",
                              given[f] - 2, sign);
        } else {
            given[f] = (int8_t)(sign + 2);
            d->features[f].monotone = sign;
            d->features[f].why = "--monotone";
        }
    }
    ph_free(d->ctx, given);
    return st;
}

/* The seeded random 20%: a partial Fisher-Yates shuffle of the row order. */
static ph_status split_random(gbdt_design *d, uint64_t seed, ph_error *err)
{
    size_t *order = ph_malloc(d->ctx, (d->rows ? d->rows : 1) * sizeof(size_t));
    if (!order)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t r = 0; r < d->rows; r++)
        order[r] = r;
    size_t n_valid = (d->rows + 2) / 5;
    uint64_t state = seed;
    for (size_t i = 0; i < n_valid; i++) {
        size_t j = i + (size_t)(gbdt_random_unit(&state) * (double)(d->rows - i));
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
        d->is_valid[order[i]] = 1;
    }
    ph_free(d->ctx, order);
    char text[128];
    snprintf(text, sizeof(text), "a seeded random 20%% of rows (seed %llu; no --time given)",
             (unsigned long long)seed);
    d->split = ph_strdup(d->ctx, text);
    return d->split ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

/* Rows with time >= valid_from (the latest time when NULL). */
static ph_status split_time(const ph_dataset *ds, const ph_gbdt_options *o, gbdt_design *d,
                            ph_error *err)
{
    int c = ph_dataset_column_index(ds, o->time_column);
    if (c < 0)
        return ph_error_set(err, PH_EINVAL, "--time", o->time_column,
                            "%s has no column of this name; expected the column holding each "
                            "row's date",
                            ph_dataset_source(ds));
    const double *v = ph_dataset_numeric(ds, (size_t)c);
    const uint32_t *codes = ph_dataset_codes(ds, (size_t)c);
    const char *latest = NULL;
    double latest_v = -INFINITY;
    for (size_t r = 0; r < d->rows; r++) {
        if (v ? isnan(v[r]) : codes[r] == PH_DATASET_MISSING) {
            ph_error_set(err, PH_EINVAL, o->time_column, "",
                         "the time is missing; expected a date on every row");
            ph_error_locate(err, ph_dataset_source(ds), ph_dataset_row_line(ds, r), 0);
            return PH_EINVAL;
        }
        if (v && v[r] > latest_v)
            latest_v = v[r];
        const char *t = v ? NULL : ph_dataset_level(ds, (size_t)c, codes[r]);
        if (t && (!latest || strcmp(t, latest) > 0))
            latest = t;
    }
    char latest_text[64];
    if (v)
        snprintf(latest_text, sizeof(latest_text), "%.17g", latest_v);
    else
        snprintf(latest_text, sizeof(latest_text), "%s", latest ? latest : "");
    const char *from = o->valid_from ? o->valid_from : latest_text;
    double from_v = 0;
    if (v) {
        char *end = NULL;
        errno = 0;
        from_v = strtod(from, &end);
        if (from[0] == '\0' || *end != '\0' || errno == ERANGE)
            return ph_error_set(err, PH_EINVAL, "--valid-from", from,
                                "the time column %s is numeric; expected a number",
                                o->time_column);
    }
    size_t n_valid = 0;
    for (size_t r = 0; r < d->rows; r++) {
        int valid = v ? v[r] >= from_v
                      : strcmp(ph_dataset_level(ds, (size_t)c, codes[r]), from) >= 0;
        d->is_valid[r] = (uint8_t)valid;
        n_valid += (size_t)valid;
    }
    if (n_valid == 0)
        return ph_error_set(err, PH_EINVAL, "--valid-from", from,
                            "no validation rows: no row of %s has %s >= %s (the latest is "
                            "%s); expected a date no later than the latest",
                            ph_dataset_source(ds), o->time_column, from, latest_text);
    if (n_valid == d->rows)
        return ph_error_set(err, PH_EINVAL, "--valid-from", from,
                            "no training rows: every row of %s has %s >= %s; expected a "
                            "later date, so that earlier rows remain to train on",
                            ph_dataset_source(ds), o->time_column, from);
    char text[256];
    snprintf(text, sizeof(text), "out of time: %s >= %s%s", o->time_column, from,
             o->valid_from ? "" : " (the latest value; no --valid-from given)");
    d->split = ph_strdup(d->ctx, text);
    return d->split ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

/* Both slices must hold goods and bads: AUC needs both, and so does a fit. */
static ph_status check_target(const ph_dataset *ds, const ph_gbdt_options *o,
                              const gbdt_design *d, ph_error *err)
{
    size_t bad[2] = {0, 0}, all[2] = {0, 0};
    for (size_t r = 0; r < d->rows; r++) {
        all[d->is_valid[r]]++;
        bad[d->is_valid[r]] += d->y[r];
    }
    static const char *const slice[] = {"training", "validation"};
    for (int s = 0; s < 2; s++)
        if (bad[s] == 0 || bad[s] == all[s]) {
            char shown[8];
            snprintf(shown, sizeof(shown), "%d", bad[s] ? 1 : 0);
            return ph_error_set(err, PH_EINVAL, o->target, shown,
                                "the target is constant (%s on all %zu rows of the %s slice "
                                "of %s); expected both 0 (good) and 1 (bad)",
                                bad[s] ? "1" : "0", all[s], slice[s], ph_dataset_source(ds));
        }
    return PH_OK;
}

ph_status gbdt_design_build(const ph_ctx *ctx, const ph_dataset *ds, const ph_gbdt_options *o,
                            gbdt_design *d, ph_error *err)
{
    memset(d, 0, sizeof(*d));
    d->ctx = ctx;
    d->rows = ph_dataset_rows(ds);
    if (!o->target)
        return ph_error_set(err, PH_EMISUSE, "target", NULL, "the target column is required");
    for (size_t i = 0; o->exclude && o->exclude[i]; i++)
        if (ph_dataset_column_index(ds, o->exclude[i]) < 0)
            return ph_error_set(err, PH_EINVAL, "--exclude", o->exclude[i],
                                "%s has no column of this name", ph_dataset_source(ds));
    if (ph_dataset_column_index(ds, o->target) < 0)
        return ph_error_set(err, PH_EINVAL, "--target", o->target,
                            "%s has no column of this name", ph_dataset_source(ds));
    if (d->rows < 2)
        return ph_error_set(err, PH_EINVAL, NULL, ph_dataset_source(ds),
                            "%zu rows; expected enough rows to train and validate on", d->rows);
    d->y = ph_malloc(ctx, d->rows);
    d->is_valid = ph_calloc(ctx, d->rows, 1);
    if (!d->y || !d->is_valid)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    ph_status st = ph_dataset_binary_target(ds, o->target, NULL, d->y, err);
    if (st == PH_OK)
        st = fill_features(ds, o, o->max_levels ? o->max_levels : 50, d, err);
    if (st == PH_OK)
        st = apply_monotone(ds, o, d, err);
    if (st == PH_OK)
        st = o->time_column ? split_time(ds, o, d, err)
                            : split_random(d, (uint64_t)o->params.seed, err);
    if (st == PH_OK)
        st = check_target(ds, o, d, err);
    return st;
}
