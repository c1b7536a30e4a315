/*
 * The XGBoost JSON model loader: the file Booster.save_model("model.json")
 * writes (XGBoost 1.7 schema; 2.x writes the same members we read).
 *
 * What the format hides, and how each is met:
 *   - a leaf's value is in split_conditions (base_weights holds it before the
 *     learning rate); left_children[i] == -1 marks the leaf;
 *   - the split sends x left when x < threshold, both float32: the threshold
 *     is rounded to float32 and kept exactly as a double;
 *   - base_score is a probability for binary:logistic and a string in the
 *     JSON ("3E-1"): the margin starts at logit(base_score);
 *   - XGBoost sums the margin in float32 (base first, then tree by tree): the
 *     forest says so (sum_float), and our margins equal XGBoost's exactly;
 *   - features are matched by name, so learner.feature_names is required;
 *   - categorical splits (split_type 1) are refused, not misread;
 *   - a calibration fitted by puhui rides in the string attribute
 *     learner.attributes.puhui_calibration (XGBoost keeps attributes it does
 *     not know and ignores them), read with ph_calibration_from_json.
 * Every error names the source and the JSON path of the bad member.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "json/json_internal.h"

#define TREES_PATH "learner.gradient_booster.model.trees"

/* What the loader needs at hand to report an error. */
typedef struct xgb_reader {
    const ph_ctx *ctx;
    const char *source;
    ph_error *err;
} xgb_reader;

/* Objectives whose prediction is logistic(margin): the probability of bad. */
static const struct {
    const char *name;
    int base_score_is_probability; /* else base_score is already a margin */
} objectives[] = {
    {"binary:logistic", 1},
    {"reg:logistic", 1},
    {"binary:logitraw", 0},
};

/*
 * PH_EINVAL at member `path` holding `value` (may be NULL). The path is the
 * error's field when it fits there, else it leads the detail, so it is never
 * cut short.
 */
static ph_status bad(const xgb_reader *r, const char *path, const json_t *value,
                     const char *fmt, ...) PH_PRINTF(4, 5);

static ph_status bad(const xgb_reader *r, const char *path, const json_t *value,
                     const char *fmt, ...)
{
    char detail[PH_ERROR_DETAIL_MAX], text[PH_ERROR_VALUE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    const char *shown = NULL;
    if (value && json_is_string(value)) {
        shown = json_string_value(value);
    } else if (value) {
        char *dumped = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(text, sizeof(text), "%s", dumped ? dumped : "?");
        free(dumped);
        shown = text;
    }
    if (strlen(path) < PH_ERROR_FIELD_MAX)
        ph_error_set(r->err, PH_EINVAL, path, shown, "%s", detail);
    else
        ph_error_set(r->err, PH_EINVAL, NULL, shown, "%s: %s", path, detail);
    ph_error_locate(r->err, r->source, 0, 0);
    return PH_EINVAL;
}

/* Name the source on an error from the ph_json getters. */
static ph_status located(const xgb_reader *r, ph_status st)
{
    if (st != PH_OK)
        ph_error_locate(r->err, r->source, 0, 0);
    return st;
}

/* A member that XGBoost writes as a decimal string ("3E-1", "500"). */
static ph_status string_number(const xgb_reader *r, const json_t *obj, const char *path,
                               const char *key, double *out)
{
    const char *text;
    ph_status st = located(r, pjson_get_string(obj, path, key, &text, r->err));
    if (st != PH_OK)
        return st;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        char name[256];
        snprintf(name, sizeof(name), "%s.%s", path, key);
        return bad(r, name, json_object_get(obj, key), "expected a finite number in a string");
    }
    *out = v;
    return PH_OK;
}

/* A string member holding a whole number in [min, max]. */
static ph_status string_count(const xgb_reader *r, const json_t *obj, const char *path,
                              const char *key, double min, double max, uint32_t *out)
{
    /* Written on every path (0 on failure): bad() is variadic, so never
     * inlined, and the compiler cannot see that it never returns PH_OK. */
    *out = 0;
    double v = 0.0;
    ph_status st = string_number(r, obj, path, key, &v);
    if (st != PH_OK)
        return st;
    if (v != floor(v) || v < min || v > max) {
        char name[256];
        snprintf(name, sizeof(name), "%s.%s", path, key);
        return bad(r, name, json_object_get(obj, key), "expected a whole number from %.0f to %.0f",
                   min, max);
    }
    *out = (uint32_t)v;
    return PH_OK;
}

/* ---- the learner: objective, base score, features ------------------------ */

static ph_status read_objective(const xgb_reader *r, const json_t *learner, int *is_probability)
{
    json_t *objective;
    const char *name;
    ph_status st = located(r, pjson_get_object(learner, "learner", "objective", &objective,
                                                 r->err));
    if (st == PH_OK)
        st = located(r, pjson_get_string(objective, "learner.objective", "name", &name, r->err));
    if (st != PH_OK)
        return st;
    for (size_t i = 0; i < sizeof(objectives) / sizeof(objectives[0]); i++) {
        if (strcmp(name, objectives[i].name) == 0) {
            *is_probability = objectives[i].base_score_is_probability;
            return PH_OK;
        }
    }
    return bad(r, "learner.objective.name", json_object_get(objective, "name"),
               "unsupported objective; expected binary:logistic (or reg:logistic, "
               "binary:logitraw): puhui scores the probability of bad of a binary target");
}

static ph_status read_base_margin(const xgb_reader *r, const json_t *learner, double *out)
{
    int is_probability = 1;
    json_t *param;
    const char *text;
    ph_status st = read_objective(r, learner, &is_probability);
    if (st == PH_OK)
        st = located(r, pjson_get_object(learner, "learner", "learner_model_param", &param,
                                           r->err));
    if (st == PH_OK)
        st = located(r, pjson_get_string(param, "learner.learner_model_param", "base_score",
                                           &text, r->err));
    if (st != PH_OK)
        return st;
    /* "5E-1" (XGBoost 1.x) or "[5E-1]" (2.x, one value per target). */
    char number[64];
    size_t len = strlen(text);
    if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
        snprintf(number, sizeof(number), "%.*s", (int)(len - 2), text + 1);
    else
        snprintf(number, sizeof(number), "%s", text);
    /* XGBoost holds base_score as a float32 and turns it into the base
     * margin in float32 (-logf(1/p - 1)); it sums margins in float32 too.
     * So do we, and the margins are XGBoost's to the bit. */
    char *end;
    float p = strtof(number, &end);
    const json_t *value = json_object_get(param, "base_score");
    const char *path = "learner.learner_model_param.base_score";
    if (end == number || *end != '\0' || !isfinite(p))
        return bad(r, path, value, "expected a finite number in a string");
    if (!is_probability) {
        *out = (double)p;
        return PH_OK;
    }
    if (!(p > 0.0f && p < 1.0f))
        return bad(r, path, value, "expected a probability strictly between 0 and 1 (the "
                   "objective is logistic)");
    *out = (double)-logf(1.0f / p - 1.0f);
    return PH_OK;
}

static ph_status read_num_feature(const xgb_reader *r, const json_t *learner, uint32_t *out)
{
    json_t *param;
    ph_status st = located(r, pjson_get_object(learner, "learner", "learner_model_param",
                                                 &param, r->err));
    if (st == PH_OK)
        st = string_count(r, param, "learner.learner_model_param", "num_feature", 1, 1e6, out);
    return st;
}

/* Refuse categorical features: feature_types "c" (XGBoost's enable_categorical). */
static ph_status check_feature_types(const xgb_reader *r, const json_t *learner)
{
    json_t *types = json_object_get(learner, "feature_types");
    if (!types)
        return PH_OK;
    for (size_t i = 0; json_is_array(types) && i < json_array_size(types); i++) {
        json_t *t = json_array_get(types, i);
        if (json_is_string(t) && strcmp(json_string_value(t), "c") == 0) {
            char path[64];
            snprintf(path, sizeof(path), "learner.feature_types[%zu]", i);
            return bad(r, path, t, "categorical features are not supported; encode the feature "
                                   "as numbers before training");
        }
    }
    return PH_OK;
}

static ph_status read_feature_names(const xgb_reader *r, const json_t *learner, ph_model *m)
{
    uint32_t n;
    ph_status st = read_num_feature(r, learner, &n);
    if (st != PH_OK)
        return st;
    json_t *names = json_object_get(learner, "feature_names");
    if (!names || (json_is_array(names) && json_array_size(names) == 0))
        return bad(r, "learner.feature_names", NULL,
                   "the model has no feature names, and puhui matches inputs to features by "
                   "name, never by position; set them when training (DMatrix(X, "
                   "feature_names=[...]), or a pandas DataFrame) and save the model again");
    if (!json_is_array(names) || json_array_size(names) != n)
        return bad(r, "learner.feature_names", NULL,
                   "expected an array of %u names (learner_model_param.num_feature)", n);
    m->feature_names = ph_calloc(r->ctx, n, sizeof(char *));
    if (!m->feature_names)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    m->n_features = n;
    for (uint32_t i = 0; i < n; i++) {
        json_t *name = json_array_get(names, i);
        char path[64];
        snprintf(path, sizeof(path), "learner.feature_names[%u]", i);
        if (!json_is_string(name) || json_string_value(name)[0] == '\0')
            return bad(r, path, name, "expected a non-empty string");
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(m->feature_names[j], json_string_value(name)) == 0)
                return bad(r, path, name, "duplicate feature name (also feature %u)", j);
        if (!(m->feature_names[i] = ph_strdup(r->ctx, json_string_value(name))))
            return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    }
    return check_feature_types(r, learner);
}

/* ---- one tree ------------------------------------------------------------ */

/* A tree's arrays, fetched and length-checked once. */
typedef struct xgb_arrays {
    json_t *left, *right, *split_index, *split_condition, *default_left, *hessian;
    json_t *split_type; /* optional: older files have none */
} xgb_arrays;

static ph_status tree_array(const xgb_reader *r, const json_t *tree, const char *path,
                            const char *key, uint32_t n, int required, json_t **out)
{
    json_t *a = json_object_get(tree, key);
    char name[256];
    snprintf(name, sizeof(name), "%s.%s", path, key);
    if (!a && !required) {
        *out = NULL;
        return PH_OK;
    }
    if (!json_is_array(a))
        return bad(r, name, NULL, "expected an array of %u entries (tree_param.num_nodes)", n);
    if (json_array_size(a) != n)
        return bad(r, name, NULL, "expected %u entries (tree_param.num_nodes), found %zu", n,
                   json_array_size(a));
    *out = a;
    return PH_OK;
}

static ph_status read_arrays(const xgb_reader *r, const json_t *tree, const char *path,
                             uint32_t n, xgb_arrays *a)
{
    ph_status st = tree_array(r, tree, path, "left_children", n, 1, &a->left);
    if (st == PH_OK)
        st = tree_array(r, tree, path, "right_children", n, 1, &a->right);
    if (st == PH_OK)
        st = tree_array(r, tree, path, "split_indices", n, 1, &a->split_index);
    if (st == PH_OK)
        st = tree_array(r, tree, path, "split_conditions", n, 1, &a->split_condition);
    if (st == PH_OK)
        st = tree_array(r, tree, path, "default_left", n, 1, &a->default_left);
    if (st == PH_OK)
        st = tree_array(r, tree, path, "sum_hessian", n, 1, &a->hessian);
    if (st == PH_OK)
        st = tree_array(r, tree, path, "split_type", n, 0, &a->split_type);
    return st;
}

/* Entry i of array `key` as a whole number in [min, max]. */
static ph_status int_at(const xgb_reader *r, const json_t *a, const char *path, const char *key,
                        uint32_t i, int64_t min, int64_t max, const char *what, int64_t *out)
{
    json_t *v = json_array_get(a, i);
    /* default_left is a bool array in some versions. */
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
    } else if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
    } else {
        char name[256];
        snprintf(name, sizeof(name), "%s.%s[%u]", path, key, i);
        return bad(r, name, v, "expected %s", what);
    }
    if (*out < min || *out > max) {
        char name[256];
        snprintf(name, sizeof(name), "%s.%s[%u]", path, key, i);
        return bad(r, name, v, "expected %s", what);
    }
    return PH_OK;
}

static ph_status real_at(const xgb_reader *r, const json_t *a, const char *path,
                         const char *key, uint32_t i, double *out)
{
    json_t *v = json_array_get(a, i);
    *out = 0.0; /* written on every path, as in string_count */
    if (!json_is_number(v) || !isfinite(json_number_value(v))) {
        char name[256];
        snprintf(name, sizeof(name), "%s.%s[%u]", path, key, i);
        return bad(r, name, v, "expected a finite number");
    }
    *out = json_number_value(v);
    return PH_OK;
}

/* Node i's fields; children are checked for range here, for shape later. */
static ph_status read_node(const xgb_reader *r, const xgb_arrays *a, const char *path,
                           uint32_t n_features, model_tree *t, uint32_t i)
{
    int64_t left, right, feature = 0, default_left = 0, split_type = 0;
    double condition, cover;
    char what[64];
    snprintf(what, sizeof(what), "a node index below %u, or -1 for a leaf", t->n_nodes);
    ph_status st = int_at(r, a->left, path, "left_children", i, -1, t->n_nodes - 1, what, &left);
    if (st == PH_OK)
        st = int_at(r, a->right, path, "right_children", i, -1, t->n_nodes - 1, what, &right);
    if (st == PH_OK)
        st = real_at(r, a->split_condition, path, "split_conditions", i, &condition);
    if (st == PH_OK)
        st = real_at(r, a->hessian, path, "sum_hessian", i, &cover);
    if (st != PH_OK)
        return st;
    if ((left < 0) != (right < 0)) {
        char name[256];
        snprintf(name, sizeof(name), "%s.right_children[%u]", path, i);
        return bad(r, name, json_array_get(a->right, i),
                   "expected %s, as left_children[%u] is %lld", left < 0 ? "-1" : "a node index",
                   i, (long long)left);
    }
    t->cover[i] = cover;
    /* The value is float32 in XGBoost: keep that float exactly. */
    condition = (double)(float)condition;
    if (left < 0) {
        t->left[i] = t->right[i] = -1;
        t->value[i] = condition;
        return PH_OK;
    }
    snprintf(what, sizeof(what), "a feature index below %u (num_feature)", n_features);
    st = int_at(r, a->split_index, path, "split_indices", i, 0, (int64_t)n_features - 1, what,
                &feature);
    if (st == PH_OK)
        st = int_at(r, a->default_left, path, "default_left", i, 0, 1, "0 or 1", &default_left);
    if (st == PH_OK && a->split_type)
        st = int_at(r, a->split_type, path, "split_type", i, 0, 1,
                    "0 (numerical) or 1 (categorical)", &split_type);
    if (st != PH_OK)
        return st;
    if (split_type != 0) {
        char name[256];
        snprintf(name, sizeof(name), "%s.split_type[%u]", path, i);
        return bad(r, name, json_array_get(a->split_type, i),
                   "categorical splits not supported; train with numerical features only");
    }
    t->left[i] = (int32_t)left;
    t->right[i] = (int32_t)right;
    t->feature[i] = (uint32_t)feature;
    t->threshold[i] = condition;
    t->default_left[i] = (uint8_t)default_left;
    t->missing[i] = MODEL_MISSING_DEFAULT;
    return PH_OK;
}

/* The children make a tree (model_tree_shape), which also measures its depth. */
static ph_status check_shape(const xgb_reader *r, const char *path, model_tree *t)
{
    uint32_t parent;
    int side;
    int ok = model_tree_shape(r->ctx, t, &parent, &side);
    if (ok < 0)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory checking a tree");
    if (ok)
        return PH_OK;
    int32_t child = side == 0 ? t->left[parent] : t->right[parent];
    char name[256];
    snprintf(name, sizeof(name), "%s.%s[%u]", path, side == 0 ? "left_children" : "right_children",
             parent);
    json_t *v = json_integer(child);
    ph_status st = bad(r, name, v, "node %d is reached twice: expected a tree (no cycle, one "
                       "parent per node)", child);
    json_decref(v);
    return st;
}

static ph_status read_tree(const xgb_reader *r, const json_t *trees, size_t index,
                           uint32_t n_features, model_tree *t)
{
    char path[96];
    snprintf(path, sizeof(path), TREES_PATH "[%zu]", index);
    json_t *tree = json_array_get(trees, index), *param;
    if (!json_is_object(tree))
        return bad(r, path, NULL, "expected an object (a tree)");
    uint32_t n;
    ph_status st = located(r, pjson_get_object(tree, path, "tree_param", &param, r->err));
    if (st == PH_OK) {
        char param_path[128];
        snprintf(param_path, sizeof(param_path), "%s.tree_param", path);
        st = string_count(r, param, param_path, "num_nodes", 1, INT32_MAX, &n);
    }
    xgb_arrays a;
    if (st == PH_OK)
        st = read_arrays(r, tree, path, n, &a);
    if (st == PH_OK)
        st = model_tree_alloc(r->ctx, t, n, r->err);
    for (uint32_t i = 0; st == PH_OK && i < n; i++)
        st = read_node(r, &a, path, n_features, t, i);
    if (st == PH_OK)
        st = check_shape(r, path, t);
    return st;
}

/* ---- the calibration ------------------------------------------------------ */

#define CALIBRATION_PATH "learner.attributes.puhui_calibration"

/* The attribute, when present. An error inside it keeps what the reader
 * found (member, value, line and column in the attribute's text) and is
 * told as an error of the attribute, in the model file. */
static ph_status read_calibration(const xgb_reader *r, const json_t *learner, ph_model *m)
{
    json_t *attributes = json_object_get(learner, "attributes");
    if (!attributes)
        return PH_OK;
    if (!json_is_object(attributes))
        return bad(r, "learner.attributes", NULL, "expected an object of string attributes");
    json_t *text = json_object_get(attributes, "puhui_calibration");
    if (!text)
        return PH_OK;
    if (!json_is_string(text))
        return bad(r, CALIBRATION_PATH, text, "expected a string holding the calibration's "
                   "JSON (ph_calibration_to_json)");
    ph_error inner;
    ph_status st = ph_calibration_from_json(r->ctx, json_string_value(text),
                                            json_string_length(text), &m->calibration, &inner);
    if (st == PH_OK)
        return PH_OK;
    if (st == PH_ENOMEM)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a calibration");
    char where[96] = "";
    if (inner.line)
        snprintf(where, sizeof(where), " at line %llu, column %llu of it",
                 (unsigned long long)inner.line, (unsigned long long)inner.column);
    else if (inner.field[0])
        snprintf(where, sizeof(where), " in its member %s", inner.field);
    ph_error_set(r->err, st, CALIBRATION_PATH, inner.value[0] ? inner.value : NULL,
                 "malformed calibration%s: %s", where, inner.detail);
    ph_error_locate(r->err, r->source, 0, 0);
    return st;
}

/* ---- the booster --------------------------------------------------------- */

static ph_status find_trees(const xgb_reader *r, const json_t *learner, json_t **trees)
{
    json_t *booster, *model, *param, *info;
    const char *name;
    ph_status st = located(r, pjson_get_object(learner, "learner", "gradient_booster",
                                                 &booster, r->err));
    if (st == PH_OK)
        st = located(r, pjson_get_string(booster, "learner.gradient_booster", "name", &name,
                                           r->err));
    if (st != PH_OK)
        return st;
    if (strcmp(name, "gbtree") != 0)
        return bad(r, "learner.gradient_booster.name", json_object_get(booster, "name"),
                   "unsupported booster; expected gbtree (dart and gblinear models are not "
                   "supported)");
    uint32_t n_trees;
    st = located(r, pjson_get_object(booster, "learner.gradient_booster", "model", &model,
                                       r->err));
    if (st == PH_OK)
        st = located(r, pjson_get_object(model, "learner.gradient_booster.model",
                                           "gbtree_model_param", &param, r->err));
    if (st == PH_OK)
        st = string_count(r, param, "learner.gradient_booster.model.gbtree_model_param",
                          "num_trees", 0, INT32_MAX, &n_trees);
    if (st == PH_OK)
        st = located(r, pjson_get_array(model, "learner.gradient_booster.model", "trees",
                                          trees, r->err));
    if (st == PH_OK)
        st = located(r, pjson_get_array(model, "learner.gradient_booster.model", "tree_info",
                                          &info, r->err));
    if (st != PH_OK)
        return st;
    if (json_array_size(*trees) != n_trees)
        return bad(r, TREES_PATH, NULL, "expected %u trees (gbtree_model_param.num_trees), "
                   "found %zu", n_trees, json_array_size(*trees));
    if (json_array_size(info) != n_trees)
        return bad(r, "learner.gradient_booster.model.tree_info", NULL,
                   "expected %u entries (gbtree_model_param.num_trees), found %zu", n_trees,
                   json_array_size(info));
    /* tree_info is the class of each tree: all 0 in a binary model. */
    for (size_t i = 0; i < n_trees; i++) {
        json_t *v = json_array_get(info, i);
        if (!json_is_integer(v) || json_integer_value(v) != 0) {
            char path[96];
            snprintf(path, sizeof(path), "learner.gradient_booster.model.tree_info[%zu]", i);
            return bad(r, path, v, "expected 0: a binary model has one output (multi-class "
                       "models are not supported)");
        }
    }
    return PH_OK;
}

static ph_status read_forest(const xgb_reader *r, const json_t *learner, double base_margin,
                             ph_model *m)
{
    json_t *trees;
    ph_status st = find_trees(r, learner, &trees);
    if (st != PH_OK)
        return st;
    model_forest *f = ph_calloc(r->ctx, 1, sizeof(*f));
    if (!f)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    m->forest = f;
    size_t n = json_array_size(trees);
    f->trees = ph_calloc(r->ctx, n ? n : 1, sizeof(model_tree));
    if (!f->trees)
        return ph_error_set(r->err, PH_ENOMEM, NULL, NULL, "out of memory for a model");
    f->n_trees = n; /* the trees are zeroed, so a partly read forest frees cleanly */
    f->split_le = 0;
    f->sum_float = 1;
    f->base_margin = base_margin;
    for (size_t i = 0; st == PH_OK && i < n; i++)
        st = read_tree(r, trees, i, (uint32_t)m->n_features, &f->trees[i]);
    return st;
}

ph_status model_load_xgboost(const ph_ctx *ctx, const char *data, size_t len,
                             const char *source, ph_model **out, ph_error *err)
{
    const char *name = source ? source : "<memory>";
    xgb_reader r = {ctx, name, err};
    json_t *root;
    ph_status st = pjson_load_text(data, len, name, &root, err);
    if (st != PH_OK)
        return st;
    ph_model *m = NULL;
    json_t *learner;
    double base_margin = 0.0;
    st = located(&r, pjson_get_object(root, "", "learner", &learner, err));
    /* The objective first: a multi-class or regression model is told so
     * before anything else about it is checked. */
    if (st == PH_OK)
        st = read_base_margin(&r, learner, &base_margin);
    if (st == PH_OK)
        st = model_alloc(ctx, PH_MODEL_XGBOOST, name, &m, err);
    if (st == PH_OK)
        st = read_feature_names(&r, learner, m);
    if (st == PH_OK)
        st = read_forest(&r, learner, base_margin, m);
    if (st == PH_OK)
        st = read_calibration(&r, learner, m);
    if (st == PH_OK)
        st = model_forest_compile(ctx, m, err);
    json_decref(root);
    if (st != PH_OK) {
        ph_model_free(m);
        return st;
    }
    *out = m;
    return PH_OK;
}
