/*
 * From bins and coefficients to characteristics and attributes (the order
 * and the meaning of each attribute are in include/puhui/scorecard.h).
 *
 * Points: partial score = factor * coefficient * WOE. With the initial
 * score offset + factor * intercept, the total is offset + factor *
 * ln(odds good:bad), so the scorecard's scale gives back the fitted PD.
 */
#include <math.h>
#include <string.h>

#include "scorecard_internal.h"
#include "train_internal.h"

static ph_status attribute_from_bin(const ph_ctx *ctx, const ph_dataset *ds, const sc_var *v,
                                    const sc_bin *b, double points, ph_sc_attribute *a)
{
    a->partial_score = points;
    a->count = b->count;
    a->bads = b->bads;
    a->woe = b->woe;
    switch (b->kind) {
    case SC_BIN_SPECIAL: /* before the ranges: [v, v] wins over the range holding v */
        a->match = PH_SC_RANGE;
        a->low = a->high = b->low;
        a->low_inclusive = a->high_inclusive = 1;
        break;
    case SC_BIN_RANGE:
        a->match = PH_SC_RANGE;
        a->low = b->low;
        a->high = b->high;
        a->low_inclusive = isfinite(b->low);
        break;
    case SC_BIN_MISSING:
        a->match = PH_SC_MISSING;
        break;
    case SC_BIN_OTHER:
        a->match = PH_SC_ANY;
        break;
    case SC_BIN_LEVELS:
        a->match = PH_SC_IN;
        if (!(a->levels = ph_calloc(ctx, b->n_codes, sizeof(char *))))
            return PH_ENOMEM;
        for (size_t i = 0; i < b->n_codes; i++) {
            if (!(a->levels[i] = ph_strdup(ctx, ph_dataset_level(ds, v->column, b->codes[i]))))
                return PH_ENOMEM;
            a->n_levels = i + 1;
        }
        break;
    }
    return PH_OK;
}

static ph_status characteristic_from_var(const ph_ctx *ctx, const ph_dataset *ds,
                                         const sc_var *v, const sc_scale *scale,
                                         ph_sc_characteristic *c)
{
    c->name = ph_strdup(ctx, v->name);
    c->field = ph_strdup(ctx, v->name);
    c->reason_code = ph_strdup(ctx, v->name);
    c->categorical = v->categorical;
    c->iv = v->iv;
    c->coefficient = v->coefficient;
    c->attributes = ph_calloc(ctx, v->n_bins, sizeof(ph_sc_attribute));
    if (!c->name || !c->field || !c->reason_code || !c->attributes)
        return PH_ENOMEM;
    c->baseline_score = -INFINITY;
    for (size_t b = 0; b < v->n_bins; b++) {
        double points = scale->factor * v->coefficient * v->bins[b].woe;
        if (scale->round_points)
            points = round(points);
        c->n_attributes = b + 1;
        if (attribute_from_bin(ctx, ds, v, &v->bins[b], points, &c->attributes[b]) != PH_OK)
            return PH_ENOMEM;
        c->baseline_score = fmax(c->baseline_score, points);
    }
    return PH_OK;
}

ph_status sc_assemble(const ph_ctx *ctx, const ph_dataset *ds, const sc_var *vars,
                      size_t n_vars, const sc_scale *scale, ph_scorecard *sc, ph_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < n_vars; i++)
        n += vars[i].fate == SC_KEPT;
    sc->characteristics = ph_calloc(ctx, n ? n : 1, sizeof(ph_sc_characteristic));
    if (!sc->characteristics)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the scorecard");
    for (size_t i = 0; i < n_vars; i++) {
        if (vars[i].fate != SC_KEPT)
            continue;
        ph_sc_characteristic *c = &sc->characteristics[sc->n_characteristics++];
        if (characteristic_from_var(ctx, ds, &vars[i], scale, c) != PH_OK)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the scorecard");
    }
    return PH_OK;
}
