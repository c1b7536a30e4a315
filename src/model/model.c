/*
 * The model object: loading by format, binding to a dataset by feature name,
 * and scoring, whatever the kind (see include/puhui/model.h).
 */
#include "puhui/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

const char *ph_model_kind_name(ph_model_kind kind)
{
    switch (kind) {
    case PH_MODEL_SCORECARD: return "scorecard";
    case PH_MODEL_XGBOOST: return "xgboost";
    case PH_MODEL_LIGHTGBM: return "lightgbm";
    }
    return "unknown";
}

ph_status model_alloc(const ph_ctx *ctx, ph_model_kind kind, const char *source,
                      ph_model **out, ph_error *err)
{
    ph_model *m = ph_calloc(ctx, 1, sizeof(*m));
    if (!m || !(m->source = ph_strdup(ctx, source ? source : "<memory>"))) {
        ph_free(ctx, m);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    }
    m->ctx = ctx;
    m->kind = kind;
    *out = m;
    return PH_OK;
}

ph_status model_tree_alloc(const ph_ctx *ctx, model_tree *t, uint32_t n, ph_error *err)
{
    memset(t, 0, sizeof(*t));
    size_t k = n ? n : 1;
    t->left = ph_calloc(ctx, k, sizeof(int32_t));
    t->right = ph_calloc(ctx, k, sizeof(int32_t));
    t->feature = ph_calloc(ctx, k, sizeof(uint32_t));
    t->threshold = ph_calloc(ctx, k, sizeof(double));
    t->default_left = ph_calloc(ctx, k, 1);
    t->missing = ph_calloc(ctx, k, 1);
    t->value = ph_calloc(ctx, k, sizeof(double));
    t->cover = ph_calloc(ctx, k, sizeof(double));
    t->n_nodes = n;
    if (!t->left || !t->right || !t->feature || !t->threshold || !t->default_left ||
        !t->missing || !t->value || !t->cover)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a tree");
    return PH_OK;
}

static void tree_clear(const ph_ctx *ctx, model_tree *t)
{
    ph_free(ctx, t->left);
    ph_free(ctx, t->right);
    ph_free(ctx, t->feature);
    ph_free(ctx, t->threshold);
    ph_free(ctx, t->default_left);
    ph_free(ctx, t->missing);
    ph_free(ctx, t->value);
    ph_free(ctx, t->cover);
}

void model_forest_free(const ph_ctx *ctx, model_forest *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_trees; i++)
        tree_clear(ctx, &f->trees[i]);
    ph_free(ctx, f->trees);
    model_forest_compiled_free(ctx, f->compiled);
    ph_free(ctx, f);
}

void ph_model_free(ph_model *m)
{
    if (!m)
        return;
    const ph_ctx *ctx = m->ctx;
    for (size_t i = 0; i < m->n_features; i++)
        ph_free(ctx, m->feature_names ? m->feature_names[i] : NULL);
    ph_free(ctx, m->feature_names);
    ph_free(ctx, m->feature_categorical);
    model_forest_free(ctx, m->forest);
    ph_scorecard_free(m->scorecard);
    ph_calibration_free(m->calibration);
    for (size_t i = 0; m->one_hot_names && i < m->n_features; i++)
        ph_free(ctx, m->one_hot_names[i]);
    ph_free(ctx, m->one_hot_names);
    ph_free(ctx, m->one_hot);
    ph_free(ctx, m->source);
    ph_free(ctx, m);
}

/* ---- loading ------------------------------------------------------------ */

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    /* A UTF-8 byte order mark before the first character. */
    if (end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        return skip_space(p + 3, end);
    return p;
}

static ph_status model_from_pmml(const ph_ctx *ctx, const char *data, size_t len,
                                 const char *source, ph_model **out, ph_error *err)
{
    ph_scorecard *sc;
    ph_status st = ph_scorecard_read_pmml(ctx, data, len, source, &sc, err);
    if (st != PH_OK)
        return st;
    st = ph_model_from_scorecard(ctx, sc, out, err);
    if (st == PH_OK) {
        ph_free(ctx, (*out)->source);
        (*out)->source = ph_strdup(ctx, source ? source : "<memory>");
        if (!(*out)->source) {
            ph_model_free(*out);
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
        }
    }
    ph_scorecard_free(sc);
    return st;
}

/* The one-hot columns of a tree model: features named "COL=LEVEL" (as
 * `puhui model train-gbdt` writes them, docs/models.md) that share COL. */
static ph_status group_one_hot(ph_model *m, ph_error *err)
{
    size_t nf = m->n_features, grouped = 0;
    size_t *group = ph_malloc(m->ctx, (nf ? nf : 1) * sizeof(size_t));
    if (!group)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory loading a model");
    for (size_t i = 0; i < nf; i++) {
        group[i] = i;
        const char *eq = strchr(m->feature_names[i], '=');
        size_t len = eq ? (size_t)(eq - m->feature_names[i]) + 1 : 0; /* "COL=" */
        for (size_t j = 0; len > 1 && j < i; j++)
            if (strncmp(m->feature_names[j], m->feature_names[i], len) == 0) {
                group[i] = group[j];
                grouped++;
                break;
            }
    }
    if (grouped == 0) {
        ph_free(m->ctx, group);
        return PH_OK;
    }
    m->one_hot = group;
    m->one_hot_names = ph_calloc(m->ctx, nf, sizeof(char *));
    if (!m->one_hot_names)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory loading a model");
    for (size_t i = 0; i < nf; i++) {
        const char *name = m->feature_names[i], *eq = strchr(name, '=');
        int others = 0; /* a lone "a=b" is a feature of its own, not a column */
        for (size_t j = i + 1; j < nf && !others; j++)
            others = group[j] == i;
        if (group[i] != i || !eq || eq == name || !others)
            continue;
        size_t len = (size_t)(eq - name);
        if (!(m->one_hot_names[i] = ph_malloc(m->ctx, len + 1)))
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory loading a model");
        memcpy(m->one_hot_names[i], name, len);
        m->one_hot_names[i][len] = '\0';
    }
    return PH_OK;
}

ph_status ph_model_load_memory(const ph_ctx *ctx, const char *data, size_t len,
                               const char *source, ph_model **out, ph_error *err)
{
    if (!ctx || (!data && len) || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_load_memory: NULL argument");
    const char *end = data + len;
    const char *p = data ? skip_space(data, end) : end;
    ph_status st;
    if (p < end && *p == '<')
        st = model_from_pmml(ctx, data, len, source, out, err);
    else if (p < end && *p == '{')
        st = model_load_xgboost(ctx, data, len, source, out, err);
    else if (end - p >= 4 && memcmp(p, "tree", 4) == 0)
        st = model_load_lightgbm(ctx, data, len, source, out, err);
    else
        return ph_error_set(err, PH_EINVAL, "model", source ? source : "<memory>",
                            "expected a PMML document (<PMML ...>), an XGBoost JSON model "
                            "({...}) or a LightGBM text model (tree ...)");
    if (st == PH_OK && (*out)->forest && (st = group_one_hot(*out, err)) != PH_OK) {
        ph_model_free(*out);
        *out = NULL;
    }
    return st;
}

ph_status ph_model_load_file(const ph_ctx *ctx, const char *path, ph_model **out,
                             ph_error *err)
{
    if (!ctx || !path || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_load_file: NULL argument");
    char *data = NULL;
    size_t len = 0;
    ph_status st = ph_read_file(ctx, path, "model file", &data, &len, err);
    if (st == PH_OK)
        st = ph_model_load_memory(ctx, data, len, path, out, err);
    ph_free(ctx, data);
    return st;
}

/* ---- accessors ---------------------------------------------------------- */

ph_model_kind ph_model_kind_of(const ph_model *m) { return m ? m->kind : 0; }
const char *ph_model_source(const ph_model *m) { return m ? m->source : NULL; }
size_t ph_model_feature_count(const ph_model *m) { return m ? m->n_features : 0; }
int ph_model_has_points(const ph_model *m) { return m && m->kind == PH_MODEL_SCORECARD; }
const ph_scorecard *ph_model_scorecard(const ph_model *m) { return m ? m->scorecard : NULL; }
size_t ph_model_tree_count(const ph_model *m) { return m && m->forest ? m->forest->n_trees : 0; }
const ph_calibration *ph_model_calibration(const ph_model *m) { return m ? m->calibration : NULL; }

const char *ph_model_feature_name(const ph_model *m, size_t i)
{
    return m && i < m->n_features ? m->feature_names[i] : NULL;
}

int ph_model_feature_categorical(const ph_model *m, size_t i)
{
    return m && i < m->n_features && m->feature_categorical ? m->feature_categorical[i] : 0;
}

/* ---- binding and scoring -------------------------------------------------- */

/* The first level of a text column that does not read as a number: what
 * made the dataset read the column as text. */
static const char *first_text_level(const ph_dataset *ds, size_t column)
{
    for (uint32_t k = 0; k < ph_dataset_level_count(ds, column); k++) {
        const char *level = ph_dataset_level(ds, column, k);
        char *end;
        strtod(level, &end);
        if (end == level || *end != '\0')
            return level;
    }
    return "";
}

ph_status ph_model_bind(const ph_model *m, const ph_dataset *ds, ph_model_input **out,
                        ph_error *err)
{
    if (!m || !ds || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_bind: NULL argument");
    const ph_ctx *ctx = m->ctx;
    ph_model_input *in = ph_calloc(ctx, 1, sizeof(*in));
    int *column = ph_calloc(ctx, m->n_features ? m->n_features : 1, sizeof(int));
    if (!in || !column) {
        ph_free(ctx, in);
        ph_free(ctx, column);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory binding a model");
    }
    for (size_t i = 0; i < m->n_features; i++) {
        const char *name = m->feature_names[i];
        int c = ph_dataset_column_index(ds, name);
        ph_status st = PH_OK;
        if (c < 0)
            st = ph_error_set(err, PH_ENOTFOUND, "feature", name,
                              "the model %s needs this feature, which is missing from input %s",
                              m->source, ph_dataset_source(ds));
        else if (m->forest && ph_dataset_column_kind(ds, (size_t)c) != PH_COLUMN_NUMERIC)
            st = ph_error_set(err, PH_EINVAL, "feature", name,
                              "the tree model %s needs a numeric column; input %s holds text "
                              "in it (first value '%s')",
                              m->source, ph_dataset_source(ds),
                              ph_dataset_level(ds, (size_t)c, 0) ? ph_dataset_level(ds, (size_t)c, 0) : "");
        else if (m->scorecard && !m->feature_categorical[i] &&
                 ph_dataset_column_kind(ds, (size_t)c) != PH_COLUMN_NUMERIC)
            st = ph_error_set(err, PH_EINVAL, "feature", name,
                              "the scorecard %s compares it with numeric ranges; input %s "
                              "holds text in it ('%s')",
                              m->source, ph_dataset_source(ds), first_text_level(ds, (size_t)c));
        if (st != PH_OK) {
            ph_free(ctx, in);
            ph_free(ctx, column);
            return st;
        }
        column[i] = c;
    }
    in->model = m;
    in->ds = ds;
    in->column = column;
    *out = in;
    return PH_OK;
}

void ph_model_input_free(ph_model_input *in)
{
    if (!in)
        return;
    const ph_ctx *ctx = in->model->ctx;
    ph_free(ctx, in->column);
    ph_free(ctx, in);
}

/* Copy rows [first, first + count) of the bound numeric columns into a
 * row-major float32 block, the tree scorers' input. */
static void gather_floats(const ph_model_input *in, size_t first, size_t count, float *x)
{
    size_t nf = in->model->n_features;
    for (size_t j = 0; j < nf; j++) {
        const double *col = ph_dataset_numeric(in->ds, (size_t)in->column[j]);
        for (size_t r = 0; r < count; r++)
            x[r * nf + j] = (float)col[first + r];
    }
}

enum { GATHER_ROWS = 4096 };

/* Every allocation happens before the first row is scored, so a failure
 * leaves pd and points untouched. */
static ph_status predict_forest(const ph_model_input *in, size_t first, size_t count,
                                double *pd, double *points, ph_error *err)
{
    const ph_model *m = in->model;
    size_t nf = m->n_features ? m->n_features : 1;
    size_t ws_size = model_forest_workspace_size(m);
    if (ws_size == 0)
        return ph_error_set(err, PH_EMISUSE, "model", m->source, "the forest was not compiled");
    float *x = ph_malloc(m->ctx, GATHER_ROWS * nf * sizeof(float));
    void *ws = ph_malloc(m->ctx, ws_size);
    if (!x || !ws) {
        ph_free(m->ctx, x);
        ph_free(m->ctx, ws);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory scoring");
    }
    for (size_t done = 0; done < count; done += GATHER_ROWS) {
        size_t n = count - done < GATHER_ROWS ? count - done : GATHER_ROWS;
        gather_floats(in, first + done, n, x);
        model_forest_margin_ws(m, x, n, pd + done, ws);
        for (size_t r = 0; r < n; r++) {
            pd[done + r] = model_forest_pd(m, pd[done + r]);
            if (points)
                points[done + r] = NAN;
        }
    }
    ph_free(m->ctx, x);
    ph_free(m->ctx, ws);
    return PH_OK;
}

/* Every row's points first, the outputs only once all rows scored: a row no
 * attribute covers (an error) leaves pd and points as they were. */
static ph_status predict_scorecard(const ph_model_input *in, size_t first, size_t count,
                                   double *pd, double *points, ph_error *err)
{
    const ph_model *m = in->model;
    double *score = ph_malloc(m->ctx, (count ? count : 1) * sizeof(double));
    if (!score)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory scoring");
    ph_status st = PH_OK;
    for (size_t r = 0; st == PH_OK && r < count; r++) {
        model_row row = model_row_of_dataset(in, first + r);
        st = model_scorecard_row(&row, &score[r], NULL, NULL, err);
    }
    for (size_t r = 0; st == PH_OK && r < count; r++) {
        pd[r] = ph_scorecard_pd(m->scorecard, score[r]);
        if (points)
            points[r] = score[r];
    }
    ph_free(m->ctx, score);
    return st;
}

ph_status ph_model_predict(const ph_model_input *in, size_t first, size_t count, double *pd,
                           double *points, ph_error *err)
{
    if (!in || (!pd && count))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_predict: NULL argument");
    if (first > ph_dataset_rows(in->ds) || count > ph_dataset_rows(in->ds) - first)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "rows out of the dataset's range");
    if (in->model->forest)
        return predict_forest(in, first, count, pd, points, err);
    return predict_scorecard(in, first, count, pd, points, err);
}

static ph_status need_forest(const ph_model *m, const char *what, ph_error *err)
{
    if (!m)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: NULL model", what);
    if (!m->forest)
        return ph_error_set(err, PH_EMISUSE, "model", m->source,
                            "%s works on tree models; this one is a %s", what,
                            ph_model_kind_name(m->kind));
    return PH_OK;
}

ph_status ph_model_margin_matrix(const ph_model *m, const float *x, size_t rows,
                                 double *margin, ph_error *err)
{
    ph_status st = need_forest(m, "ph_model_margin_matrix", err);
    if (st != PH_OK)
        return st;
    if (rows && (!x || !margin))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_margin_matrix: NULL argument");
    return model_forest_margin(m, x, rows, margin, err);
}

ph_status ph_model_predict_matrix(const ph_model *m, const float *x, size_t rows, double *pd,
                                  ph_error *err)
{
    ph_status st = ph_model_margin_matrix(m, x, rows, pd, err);
    for (size_t r = 0; st == PH_OK && r < rows; r++)
        pd[r] = model_forest_pd(m, pd[r]);
    return st;
}

ph_status ph_model_contributions_matrix(const ph_model *m, const float *x, size_t rows,
                                        double *out, ph_error *err)
{
    ph_status st = need_forest(m, "ph_model_contributions_matrix", err);
    if (st != PH_OK)
        return st;
    if (rows && (!x || !out))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_contributions_matrix: NULL argument");
    size_t scratch_size = model_treeshap_scratch_size(m);
    if (scratch_size == 0)
        return ph_error_set(err, PH_ERANGE, "model", m->source,
                            "TreeSHAP handles trees up to %d levels deep; this model has a "
                            "deeper tree",
                            MODEL_TREESHAP_MAX_DEPTH);
    void *scratch = ph_malloc(m->ctx, scratch_size);
    if (!scratch)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for TreeSHAP");
    for (size_t r = 0; r < rows; r++)
        model_treeshap_row(m, x + r * m->n_features, out + r * (m->n_features + 1), scratch);
    ph_free(m->ctx, scratch);
    return PH_OK;
}

ph_status ph_model_contributions(const ph_model_input *in, size_t row, double *out,
                                 ph_error *err)
{
    if (!in || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_contributions: NULL argument");
    if (row >= ph_dataset_rows(in->ds))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "row out of the dataset's range");
    const ph_model *m = in->model;
    if (!m->forest) {
        double score;
        model_row r = model_row_of_dataset(in, row);
        ph_status st = model_scorecard_row(&r, &score, out, NULL, err);
        if (st == PH_OK)
            out[m->n_features] = ph_scorecard_initial_score(m->scorecard);
        return st;
    }
    float *x = ph_malloc(m->ctx, (m->n_features ? m->n_features : 1) * sizeof(float));
    if (!x)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for TreeSHAP");
    gather_floats(in, row, 1, x);
    ph_status st = ph_model_contributions_matrix(m, x, 1, out, err);
    ph_free(m->ctx, x);
    return st;
}
