/*
 * The scorecard value: construction, copy, release and the points-to-PD map
 * (see include/puhui/scorecard.h). Training, PMML and scoring live in their
 * own files; this one only owns memory.
 */
#include "puhui/scorecard.h"

#include <math.h>
#include <string.h>

#include "scorecard_internal.h"

ph_status ph_scorecard_new(const ph_ctx *ctx, ph_scorecard **out, ph_error *err)
{
    if (!ctx || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_scorecard_new needs ctx and out");
    ph_scorecard *sc = ph_calloc(ctx, 1, sizeof(*sc));
    if (!sc)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a scorecard");
    sc->ctx = ctx;
    sc->use_reason_codes = 1;
    sc->reason_algorithm = PH_SC_POINTS_BELOW;
    *out = sc;
    return PH_OK;
}

static void attribute_clear(const ph_ctx *ctx, ph_sc_attribute *a)
{
    for (size_t i = 0; i < a->n_levels; i++)
        ph_free(ctx, a->levels[i]);
    ph_free(ctx, a->levels);
    ph_free(ctx, a->reason_code);
}

void sc_characteristic_clear(const ph_ctx *ctx, ph_sc_characteristic *c)
{
    for (size_t i = 0; i < c->n_attributes; i++)
        attribute_clear(ctx, &c->attributes[i]);
    ph_free(ctx, c->attributes);
    ph_free(ctx, c->name);
    ph_free(ctx, c->field);
    ph_free(ctx, c->reason_code);
    memset(c, 0, sizeof(*c));
}

void ph_scorecard_free(ph_scorecard *sc)
{
    if (!sc)
        return;
    const ph_ctx *ctx = sc->ctx;
    for (size_t i = 0; i < sc->n_characteristics; i++)
        sc_characteristic_clear(ctx, &sc->characteristics[i]);
    ph_free(ctx, sc->characteristics);
    for (size_t i = 0; i < sc->n_dropped; i++) {
        ph_free(ctx, sc->dropped[i].field);
        ph_free(ctx, sc->dropped[i].why);
    }
    ph_free(ctx, sc->dropped);
    ph_free(ctx, sc->name);
    ph_free(ctx, sc->target);
    ph_free(ctx, sc);
}

double ph_scorecard_pd(const ph_scorecard *sc, double score)
{
    if (!sc || !sc->has_scale || !(sc->pdo > 0.0) || !(sc->base_odds > 0.0))
        return NAN;
    double odds = sc->base_odds * exp2((score - sc->base_points) / sc->pdo);
    return 1.0 / (1.0 + odds);
}

/* A copy of `s` through ctx; NULL stays NULL. Sets *failed on no memory. */
static char *dup_or_null(const ph_ctx *ctx, const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *d = ph_strdup(ctx, s);
    if (!d)
        *failed = 1;
    return d;
}

static int copy_attribute(const ph_ctx *ctx, const ph_sc_attribute *src, ph_sc_attribute *dst)
{
    int failed = 0;
    *dst = *src;
    dst->levels = NULL;
    dst->n_levels = 0;
    dst->reason_code = dup_or_null(ctx, src->reason_code, &failed);
    if (src->n_levels) {
        dst->levels = ph_calloc(ctx, src->n_levels, sizeof(char *));
        if (!dst->levels)
            return 0;
        for (size_t i = 0; i < src->n_levels; i++) {
            dst->levels[i] = dup_or_null(ctx, src->levels[i], &failed);
            dst->n_levels = i + 1;
        }
    }
    return !failed;
}

static int copy_characteristic(const ph_ctx *ctx, const ph_sc_characteristic *src,
                               ph_sc_characteristic *dst)
{
    int failed = 0;
    *dst = *src;
    dst->attributes = NULL;
    dst->n_attributes = 0;
    dst->name = dup_or_null(ctx, src->name, &failed);
    dst->field = dup_or_null(ctx, src->field, &failed);
    dst->reason_code = dup_or_null(ctx, src->reason_code, &failed);
    if (src->n_attributes) {
        dst->attributes = ph_calloc(ctx, src->n_attributes, sizeof(*dst->attributes));
        if (!dst->attributes)
            return 0;
        for (size_t i = 0; i < src->n_attributes; i++) {
            dst->n_attributes = i + 1;
            if (!copy_attribute(ctx, &src->attributes[i], &dst->attributes[i]))
                failed = 1;
        }
    }
    return !failed;
}

ph_status ph_scorecard_copy(const ph_ctx *ctx, const ph_scorecard *src, ph_scorecard **out, ph_error *err)
{
    ph_scorecard *sc;
    ph_status st = ph_scorecard_new(ctx, &sc, err);
    if (st != PH_OK)
        return st;
    int failed = 0;
    const ph_ctx *keep = sc->ctx;
    *sc = *src;
    sc->ctx = keep;
    sc->characteristics = NULL;
    sc->n_characteristics = 0;
    sc->dropped = NULL;
    sc->n_dropped = 0;
    sc->name = dup_or_null(ctx, src->name, &failed);
    sc->target = dup_or_null(ctx, src->target, &failed);
    if (src->n_characteristics) {
        sc->characteristics = ph_calloc(ctx, src->n_characteristics, sizeof(ph_sc_characteristic));
        if (!sc->characteristics)
            failed = 1;
        for (size_t i = 0; sc->characteristics && i < src->n_characteristics; i++) {
            sc->n_characteristics = i + 1;
            if (!copy_characteristic(ctx, &src->characteristics[i], &sc->characteristics[i]))
                failed = 1;
        }
    }
    if (src->n_dropped) {
        sc->dropped = ph_calloc(ctx, src->n_dropped, sizeof(ph_sc_dropped));
        if (!sc->dropped)
            failed = 1;
        for (size_t i = 0; sc->dropped && i < src->n_dropped; i++) {
            sc->n_dropped = i + 1;
            sc->dropped[i] = src->dropped[i];
            sc->dropped[i].field = dup_or_null(ctx, src->dropped[i].field, &failed);
            sc->dropped[i].why = dup_or_null(ctx, src->dropped[i].why, &failed);
        }
    }
    if (failed) {
        ph_scorecard_free(sc);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory copying a scorecard");
    }
    *out = sc;
    return PH_OK;
}

const char *ph_scorecard_name(const ph_scorecard *sc)
{
    return sc->name;
}

double ph_scorecard_initial_score(const ph_scorecard *sc)
{
    return sc->initial_score;
}

const ph_sc_characteristic *ph_scorecard_characteristics(const ph_scorecard *sc, size_t *count)
{
    if (count != NULL)
        *count = sc->n_characteristics;
    return sc->characteristics;
}

int ph_scorecard_uses_reason_codes(const ph_scorecard *sc)
{
    return sc->use_reason_codes;
}

ph_sc_reason_algorithm ph_scorecard_reason_algorithm(const ph_scorecard *sc)
{
    return sc->reason_algorithm;
}

int ph_scorecard_scale(const ph_scorecard *sc, double *base_points, double *base_odds,
                       double *pdo)
{
    if (!sc->has_scale)
        return 0;
    if (base_points != NULL)
        *base_points = sc->base_points;
    if (base_odds != NULL)
        *base_odds = sc->base_odds;
    if (pdo != NULL)
        *pdo = sc->pdo;
    return 1;
}

void ph_scorecard_training(const ph_scorecard *sc, uint64_t *rows, uint64_t *bads,
                           const char **target, double *intercept)
{
    if (rows != NULL)
        *rows = sc->train_rows;
    if (bads != NULL)
        *bads = sc->train_bads;
    if (target != NULL)
        *target = sc->target;
    if (intercept != NULL)
        *intercept = sc->intercept;
}

const char *ph_sc_drop_reason_name(ph_sc_drop_reason reason)
{
    static const char *const names[] = {"?", "one_bin", "iv", "correlation", "vif", "sign"};
    return (size_t)reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "?";
}

const ph_sc_dropped *ph_scorecard_dropped(const ph_scorecard *sc, size_t *count)
{
    if (count != NULL)
        *count = sc->n_dropped;
    return sc->dropped;
}

int ph_scorecard_training_fit(const ph_scorecard *sc, double *auc, double *ks)
{
    if (!sc->train_rows)
        return 0;
    if (auc != NULL)
        *auc = sc->train_auc;
    if (ks != NULL)
        *ks = sc->train_ks;
    return 1;
}
