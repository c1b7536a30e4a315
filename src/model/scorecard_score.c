/*
 * Scoring with a scorecard: a model made from a ph_scorecard, and the
 * points of one row of a bound dataset.
 *
 * The model has one feature per characteristic, named after the field it
 * reads, so contributions and reasons line up with characteristics. Two
 * characteristics may read the same field; the feature name then repeats
 * and binding by name gives both the same column.
 *
 * Matching follows PMML: each characteristic scores the points of the
 * FIRST attribute whose predicate holds; a value no attribute matches is an
 * error naming the field, the value and the characteristic (and, for a
 * dataset row, the data file and line), never 0 points.
 *
 * A row is a dataset row or one double per feature (model_row); only
 * read_cell tells them apart, so both are matched by the same rules.
 *
 * A categorical characteristic may be bound to a column the dataset read
 * as numeric (a grade coded 1, 2, 3): a level then matches a number when
 * the level's text reads as that same number ("1", "1.0" and "01" all
 * match 1); a categorical characteristic given a double matches the same
 * way. A numeric characteristic cannot be bound to a text column
 * (ph_model_bind refuses it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

ph_status ph_model_from_scorecard(const ph_ctx *ctx, const ph_scorecard *sc, ph_model **out,
                                  ph_error *err)
{
    if (!ctx || !sc || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_from_scorecard needs ctx, a scorecard and out");
    for (size_t i = 0; i < model_sc_count(sc); i++) {
        const ph_sc_characteristic *c = model_sc_char(sc, i);
        if (!c->field)
            return ph_error_set(err, PH_EINVAL, "characteristic", c->name ? c->name : "",
                                "characteristic %zu has no field to read", i + 1);
    }
    ph_model *m;
    ph_status st = model_alloc(ctx, PH_MODEL_SCORECARD, ph_scorecard_name(sc), &m, err);
    if (st != PH_OK)
        return st;
    size_t n = model_sc_count(sc);
    st = ph_scorecard_copy(ctx, sc, &m->scorecard, err);
    if (st == PH_OK) {
        m->feature_names = ph_calloc(ctx, n ? n : 1, sizeof(char *));
        m->feature_categorical = ph_calloc(ctx, n ? n : 1, 1);
        if (!m->feature_names || !m->feature_categorical)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    }
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        m->n_features = i + 1;
        m->feature_categorical[i] = model_sc_char(sc, i)->categorical != 0;
        if (!(m->feature_names[i] = ph_strdup(ctx, model_sc_char(sc, i)->field)))
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    }
    if (st != PH_OK) {
        ph_model_free(m);
        return st;
    }
    *out = m;
    return PH_OK;
}

void model_number_text(double x, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, size, "%.17g", x);
}

/* One value of the row, whatever its source. */
typedef struct cell {
    int missing;
    const char *text; /* categorical column: the level; NULL for a number */
    double x;         /* a number */
} cell;

static cell read_cell(const model_row *r, size_t feature)
{
    cell v = {0};
    if (!r->in) {
        v.x = r->x[feature];
        v.missing = isnan(v.x);
        return v;
    }
    const ph_dataset *ds = r->in->ds;
    size_t column = (size_t)r->in->column[feature];
    const double *num = ph_dataset_numeric(ds, column);
    if (num) {
        v.x = num[r->row];
        v.missing = isnan(v.x);
        return v;
    }
    uint32_t code = ph_dataset_codes(ds, column)[r->row];
    v.missing = code == PH_DATASET_MISSING;
    v.text = v.missing ? NULL : ph_dataset_level(ds, column, code);
    return v;
}

/* Does a level read as exactly the number x? */
static int level_is_number(const char *level, double x)
{
    char *end;
    double v = strtod(level, &end);
    return end != level && *end == '\0' && v == x;
}

static int in_levels(const ph_sc_attribute *a, const cell *v)
{
    for (size_t i = 0; i < a->n_levels; i++) {
        if (v->text ? strcmp(a->levels[i], v->text) == 0 : level_is_number(a->levels[i], v->x))
            return 1;
    }
    return 0;
}

static int in_range(const ph_sc_attribute *a, double x)
{
    int above = a->low_inclusive ? x >= a->low : x > a->low;
    int below = a->high_inclusive ? x <= a->high : x < a->high;
    return above && below;
}

static int attribute_matches(const ph_sc_attribute *a, const cell *v)
{
    switch (a->match) {
    case PH_SC_ANY: return 1;
    case PH_SC_MISSING: return v->missing;
    case PH_SC_RANGE: return !v->missing && !v->text && in_range(a, v->x);
    case PH_SC_IN: return !v->missing && in_levels(a, v);
    }
    return 0;
}

static ph_status no_match(const model_row *r, const ph_sc_characteristic *c, const cell *v,
                          ph_error *err)
{
    char number[32];
    const char *scorecard = r->model->source;
    if (v->missing) {
        ph_error_set(err, PH_EINVAL, c->field, NULL,
                     "the value is missing and no attribute of characteristic '%s' matches "
                     "a missing value (scorecard %s)", c->name, scorecard);
    } else {
        const char *text = v->text;
        if (!text) {
            model_number_text(v->x, number, sizeof(number));
            text = number;
        }
        ph_error_set(err, PH_EINVAL, c->field, text,
                     "no attribute of characteristic '%s' matches this value (scorecard %s)",
                     c->name, scorecard);
    }
    if (r->in) /* a single row has no file to point into */
        ph_error_locate(err, ph_dataset_source(r->in->ds),
                        ph_dataset_row_line(r->in->ds, r->row), 0);
    return PH_EINVAL;
}

ph_status model_scorecard_match(const model_row *r, size_t i, size_t *attribute,
                                ph_error *err)
{
    const ph_sc_characteristic *c = model_sc_char(r->model->scorecard, i);
    cell v = read_cell(r, i);
    for (size_t k = 0; k < c->n_attributes; k++) {
        if (attribute_matches(&c->attributes[k], &v)) {
            *attribute = k;
            return PH_OK;
        }
    }
    return no_match(r, c, &v, err);
}

ph_status model_scorecard_row(const model_row *r, double *points, double *partial,
                              size_t *attribute, ph_error *err)
{
    const ph_scorecard *sc = r->model->scorecard;
    if (!sc)
        return ph_error_set(err, PH_EMISUSE, "model", r->model->source,
                            "scorecard scoring on a %s model",
                            ph_model_kind_name(r->model->kind));
    /* With per-characteristic outputs, check every characteristic first so
     * that nothing is written when the row fails. */
    for (size_t i = 0; (partial || attribute) && i < model_sc_count(sc); i++) {
        size_t k;
        ph_status st = model_scorecard_match(r, i, &k, err);
        if (st != PH_OK)
            return st;
    }
    double total = ph_scorecard_initial_score(sc);
    size_t count = model_sc_count(sc);
    for (size_t i = 0; i < count; i++) {
        size_t k;
        ph_status st = model_scorecard_match(r, i, &k, err);
        if (st != PH_OK)
            return st;
        double p = model_sc_char(sc, i)->attributes[k].partial_score;
        total += p;
        if (partial)
            partial[i] = p;
        if (attribute)
            attribute[i] = k;
    }
    *points = total;
    return PH_OK;
}
