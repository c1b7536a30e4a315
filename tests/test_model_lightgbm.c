/*
 * LightGBM text models: x <= threshold, the decision_type bits (default
 * direction, missing types None, Zero and NaN), leaves as negative child
 * indexes, single-leaf trees, trees too deep for the compiled layout;
 * scoring equal to XGBoost on the same trees (lgb_from_xgb.txt) and to a
 * plain reference walk (lgb_small.txt); malformed models refused with the
 * line and column.
 */
#include "ph_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* One split on b: b <= 0.5 goes left (-0.25), else right (0.75). */
static const char tiny[] =
    "tree\n"
    "version=v3\n"
    "num_class=1\n"
    "num_tree_per_iteration=1\n"
    "label_index=0\n"
    "max_feature_idx=1\n"
    "objective=binary sigmoid:1\n"
    "feature_names=a b\n"
    "feature_infos=none none\n"
    "tree_sizes=300\n"
    "\n"
    "Tree=0\n"
    "num_leaves=2\n"
    "num_cat=0\n"
    "split_feature=1\n"
    "split_gain=1\n"
    "threshold=0.5\n"
    "decision_type=10\n"
    "left_child=-1\n"
    "right_child=-2\n"
    "leaf_value=-0.25 0.75\n"
    "leaf_weight=6 4\n"
    "leaf_count=60 40\n"
    "internal_value=0\n"
    "internal_weight=10\n"
    "internal_count=100\n"
    "is_linear=0\n"
    "shrinkage=1\n"
    "\n"
    "\n"
    "end of trees\n"
    "\n"
    "feature_importances:\n"
    "b=1\n";

static ph_status load_text(const ph_ctx *ctx, const char *text, ph_model **m, ph_error *err)
{
    return fixture_load_text(ctx, text, "model.txt", m, err);
}

/* Margins of rows of (a, b) under tiny with `from` replaced by `to`. */
static void tiny_margins(const char *from, const char *to, const float *x, size_t rows,
                         double *margin)
{
    ph_ctx *ctx = fixture_ctx();
    char *text = replaced(tiny, from, to);
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, text, &m, &err), &err);
    ph_assert_ok(ph_model_margin_matrix(m, x, rows, margin, &err), &err);
    ph_model_free(m);
    free(text);
    ph_ctx_free(ctx);
}

/* Load tiny with `from` replaced by `to`; expect `code` and `message`. */
static void refused(const char *from, const char *to, ph_status code, const char *message)
{
    fixture_refused(tiny, "model.txt", from, to, code, message);
}

/* ---- the rules ------------------------------------------------------------ */

static void test_tiny_model(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, tiny, &m, &err), &err);
    assert_int_equal(ph_model_kind_of(m), PH_MODEL_LIGHTGBM);
    assert_string_equal(ph_model_kind_name(ph_model_kind_of(m)), "lightgbm");
    assert_int_equal(ph_model_feature_count(m), 2);
    assert_string_equal(ph_model_feature_name(m, 1), "b");
    assert_int_equal(ph_model_tree_count(m), 1);
    /* Internal nodes first, then leaves; cover from the counts. */
    const model_tree *t = &m->forest->trees[0];
    assert_int_equal(t->n_nodes, 3);
    assert_int_equal(t->left[0], 1);
    assert_int_equal(t->right[0], 2);
    assert_true(t->cover[0] == 100 && t->cover[1] == 60 && t->cover[2] == 40);
    assert_true(t->value[1] == -0.25 && t->value[2] == 0.75);
    assert_true(m->forest->split_le == 1 && m->forest->base_margin == 0.0);
    /* x <= t: 0.5 goes left; decision_type 10 = default left, missing NaN. */
    const float x[] = {0, 0.25f, 0, 0.5f, 0, nextafterf(0.5f, 1), 0, NAN};
    double margin[4], pd;
    ph_assert_ok(ph_model_margin_matrix(m, x, 4, margin, &err), &err);
    assert_true(margin[0] == -0.25);
    assert_true(margin[1] == -0.25);
    assert_true(margin[2] == 0.75);
    assert_true(margin[3] == -0.25);
    ph_assert_ok(ph_model_predict_matrix(m, x + 4, 1, &pd, &err), &err);
    assert_true(pd == 1.0 / (1.0 + exp(-0.75)));
    ph_model_free(m);
    ph_ctx_free(ctx);
}

static void test_threshold_is_a_double(void **state)
{
    (void)state;
    /* 0.1 as a double lies between two floats: (float)0.1 is above it, so
     * x = 0.1f is not <= 0.1 and goes right; the float below goes left. */
    const float x[] = {0, 0.1f, 0, nextafterf(0.1f, 0)};
    double margin[2];
    tiny_margins("threshold=0.5", "threshold=0.10000000000000001", x, 2, margin);
    assert_true(margin[0] == 0.75);
    assert_true(margin[1] == -0.25);
}

static void test_missing_types(void **state)
{
    (void)state;
    const float x[] = {0, NAN, 0, 0.0f, 0, -0.0f, 0, 0.75f, 0, -1.0f};
    double m[5];
    /* 8: missing NaN, default right: NaN right, 0 by comparison (left). */
    tiny_margins("decision_type=10", "decision_type=8", x, 5, m);
    assert_true(m[0] == 0.75 && m[1] == -0.25 && m[2] == -0.25 && m[3] == 0.75 &&
                m[4] == -0.25);
    /* 0: missing None: NaN is read as 0.0, which is <= 0.5: left, whatever
     * the default says. */
    tiny_margins("decision_type=10", "decision_type=0", x, 5, m);
    assert_true(m[0] == -0.25 && m[1] == -0.25 && m[3] == 0.75);
    /* 4: missing Zero, default right: 0, -0 and NaN go right although 0 <= 0.5. */
    tiny_margins("decision_type=10", "decision_type=4", x, 5, m);
    assert_true(m[0] == 0.75 && m[1] == 0.75 && m[2] == 0.75 && m[3] == 0.75 &&
                m[4] == -0.25);
    /* 6: missing Zero, default left: the same as the comparison here. */
    tiny_margins("decision_type=10", "decision_type=6", x, 5, m);
    assert_true(m[0] == -0.25 && m[1] == -0.25 && m[2] == -0.25 && m[3] == 0.75);
    /* None with a threshold below 0: NaN (read as 0) goes right. */
    tiny_margins("threshold=0.5\ndecision_type=10", "threshold=-0.5\ndecision_type=2", x, 5, m);
    assert_true(m[0] == 0.75 && m[1] == 0.75 && m[4] == -0.25);
}

static void test_single_leaf_and_extreme_thresholds(void **state)
{
    (void)state;
    const float x[] = {0, INFINITY, 0, -INFINITY, 0, 3e38f, 0, NAN};
    double m[4];
    /* A threshold of +inf: every number goes left, inf included; this split
     * cannot be put as a float cut, so the tree is walked. */
    tiny_margins("threshold=0.5", "threshold=inf", x, 4, m);
    assert_true(m[0] == -0.25 && m[1] == -0.25 && m[2] == -0.25 && m[3] == -0.25);
    /* Above the largest float: inf goes right, 3e38 left. */
    tiny_margins("threshold=0.5", "threshold=1e300", x, 4, m);
    assert_true(m[0] == 0.75 && m[1] == -0.25 && m[2] == -0.25);
    tiny_margins("threshold=0.5", "threshold=-1e300", x, 4, m);
    assert_true(m[0] == 0.75 && m[1] == -0.25 && m[2] == 0.75);

    const char *one_leaf = "Tree=0\nnum_leaves=1\nnum_cat=0\nsplit_feature=\nthreshold=\n"
                           "leaf_value=-0.0625\nis_linear=0\nshrinkage=1\n\n\nTree=1\n";
    ph_ctx *ctx = fixture_ctx();
    char *text = replaced(tiny, "Tree=0\n", one_leaf);
    ph_model *mod = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, text, &mod, &err), &err);
    assert_int_equal(ph_model_tree_count(mod), 2);
    assert_int_equal(mod->forest->trees[0].n_nodes, 1);
    ph_assert_ok(ph_model_margin_matrix(mod, x, 1, m, &err), &err);
    assert_true(m[0] == -0.0625 + 0.75);
    ph_model_free(mod);
    free(text);
    ph_ctx_free(ctx);
}

/* A chain of 14 splits on a, deeper than the compiled layout takes: a <= i
 * + 0.5 goes to leaf i (value i) at node i; past them all, leaf 14. */
static void test_deep_tree_is_walked(void **state)
{
    (void)state;
    char tree[2048] = "Tree=0\nnum_leaves=15\nsplit_feature=";
    size_t len = strlen(tree);
#define ADD(...) (len += (size_t)snprintf(tree + len, sizeof(tree) - len, __VA_ARGS__))
    for (int i = 0; i < 14; i++)
        ADD("%s0", i ? " " : "");
    ADD("\nthreshold=");
    for (int i = 0; i < 14; i++)
        ADD("%s%g", i ? " " : "", i + 0.5);
    ADD("\ndecision_type=");
    for (int i = 0; i < 14; i++)
        ADD("%s10", i ? " " : "");
    ADD("\nleft_child=");
    for (int i = 0; i < 14; i++)
        ADD("%s%d", i ? " " : "", -(i + 1));
    ADD("\nright_child=");
    for (int i = 0; i < 14; i++)
        ADD("%s%d", i ? " " : "", i < 13 ? i + 1 : -15);
    ADD("\nleaf_value=");
    for (int i = 0; i < 15; i++)
        ADD("%s%d", i ? " " : "", i);
    ADD("\nleaf_count=");
    for (int i = 0; i < 15; i++)
        ADD("%s1", i ? " " : "");
    ADD("\ninternal_count=");
    for (int i = 0; i < 14; i++)
        ADD("%s%d", i ? " " : "", 15 - i);
    ADD("\n\n");
#undef ADD
    const char *start = strstr(tiny, "Tree=0\n"), *stop = strstr(tiny, "end of trees");
    size_t head = (size_t)(start - tiny);
    char *text = malloc(head + len + strlen(stop) + 1);
    assert_non_null(text);
    memcpy(text, tiny, head);
    memcpy(text + head, tree, len);
    strcpy(text + head + len, stop);

    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, text, &m, &err), &err);
    assert_int_equal(m->forest->trees[0].max_depth, 14);
    float x[2 * 17];
    double margin[17];
    for (int i = 0; i < 17; i++) {
        x[2 * i] = (float)i;
        x[2 * i + 1] = 0;
    }
    x[2 * 16] = NAN; /* default left at the root: leaf 0 */
    ph_assert_ok(ph_model_margin_matrix(m, x, 17, margin, &err), &err);
    for (int i = 0; i < 15; i++)
        assert_true(margin[i] == i);
    assert_true(margin[15] == 14);
    assert_true(margin[16] == 0);
    ph_model_free(m);
    free(text);
    ph_ctx_free(ctx);
}

/* ---- against the fixtures -------------------------------------------------- */

static void test_converted_trees_match_xgboost(void **state)
{
    (void)state;
    double pe, me;
    fixture_check("models/lgb_from_xgb.txt", "models/lgb_from_xgb.expected.csv", 1e-6, &pe, &me);
    assert_true(me <= 1e-5);
}

static void test_small_matches_reference_walk(void **state)
{
    (void)state;
    double pe, me;
    fixture_check("models/lgb_small.txt", "models/lgb_small.expected.csv", 1e-15, &pe, &me);
    /* The same doubles summed in the same order. */
    assert_true(me == 0.0);
}

static void test_fast_scorer_equals_plain_walk(void **state)
{
    (void)state;
    check_fast_equals_plain("models/lgb_from_xgb.txt");
    check_fast_equals_plain("models/lgb_small.txt");
}

/* ---- malformed models ------------------------------------------------------ */

static void test_categorical_split(void **state)
{
    (void)state;
    refused("decision_type=10", "decision_type=11", PH_EINVAL,
            "model.txt:18: field decision_type[0], value '11': categorical splits not "
            "supported");
    refused("num_cat=0", "num_cat=1", PH_EINVAL,
            "model.txt:14:9: field num_cat, value '1': categorical splits not supported; "
            "expected num_cat=0");
    refused("decision_type=10", "decision_type=14", PH_EINVAL,
            "model.txt:18: field decision_type[0], value '14': unknown missing type 3");
}

static void test_objective(void **state)
{
    (void)state;
    refused("objective=binary sigmoid:1", "objective=regression", PH_EINVAL,
            "model.txt:7:11: field objective, value 'regression': unsupported objective; "
            "expected binary (objective=binary sigmoid:1)");
    refused("objective=binary sigmoid:1", "objective=multiclass num_class:3", PH_EINVAL,
            "field objective, value 'multiclass': unsupported objective");
    refused("objective=binary sigmoid:1", "objective=binary sigmoid:2", PH_EINVAL,
            "model.txt:7:18: field objective, value 'binary sigmoid:2': expected sigmoid:1");
    refused("objective=binary sigmoid:1\n", "", PH_EINVAL,
            "model.txt:11: field objective: no objective line before the trees");
    refused("num_class=1", "num_class=3", PH_EINVAL,
            "model.txt:3:11: field num_class, value '3': expected a whole number from 1 to 1");
    refused("tree_sizes=300\n", "tree_sizes=300\naverage_output\n", PH_EINVAL,
            "model.txt:11: average_output (a random forest, boosting=rf) is not supported");
}

static void test_children(void **state)
{
    (void)state;
    refused("left_child=-1", "left_child=-3", PH_EINVAL,
            "model.txt:19: field left_child[0], value '-3': expected an internal node below 1 "
            "or a leaf -1 to -2");
    refused("right_child=-2", "right_child=1", PH_EINVAL,
            "model.txt:20: field right_child[0], value '1': expected an internal node below 1");
    refused("right_child=-2", "right_child=-1", PH_EINVAL,
            "model.txt:20: field right_child[0]: node 1 is reached twice");
    refused("split_feature=1", "split_feature=2", PH_EINVAL,
            "model.txt:15:15: field split_feature[0], value '2': expected a feature index below "
            "max_feature_idx + 1");
}

static void test_numbers(void **state)
{
    (void)state;
    refused("leaf_value=-0.25 0.75", "leaf_value=-0.25 x", PH_EINVAL,
            "model.txt:21:18: field leaf_value[1], value 'x': expected a finite number");
    refused("leaf_value=-0.25 0.75", "leaf_value=-0.25", PH_EINVAL,
            "model.txt:21: field leaf_value: expected 2 values (num_leaves), found 1");
    refused("leaf_value=-0.25 0.75", "leaf_value=-0.25 0.75 1", PH_EINVAL,
            "model.txt:21: field leaf_value: expected 2 values (num_leaves), found 3");
    refused("num_leaves=2", "num_leaves=100000", PH_EINVAL,
            "model.txt:21: field leaf_value: expected 100000 values (num_leaves), found 2");
    refused("leaf_count=60 40", "leaf_count=60 40 7", PH_EINVAL,
            "model.txt:23:18: field leaf_count: expected 2 values, found more");
    refused("leaf_value=-0.25 0.75", "leaf_value=-0.25 nan", PH_EINVAL,
            "field leaf_value[1], value 'nan': expected a finite number");
    refused("threshold=0.5", "threshold=nan", PH_EINVAL,
            "model.txt:17:11: field threshold[0], value 'nan': expected a number");
    refused("num_leaves=2", "num_leaves=0", PH_EINVAL,
            "model.txt:13:12: field num_leaves, value '0': expected a whole number from 1 to");
    refused("internal_count=100\n", "", PH_EINVAL,
            "model.txt:12: field internal_count: the tree has no internal_count line");
    refused("Tree=0", "Tree=1", PH_EINVAL,
            "model.txt:12:6: field Tree, value '1': expected Tree=0 (the trees in order)");
}

static void test_header(void **state)
{
    (void)state;
    refused("feature_names=a b", "feature_names=a", PH_EINVAL,
            "model.txt:8:16: field feature_names: expected 2 names (max_feature_idx + 1), "
            "found 1");
    refused("feature_names=a b", "feature_names=a a", PH_EINVAL,
            "model.txt:8:17: field feature_names[1], value 'a': duplicate feature name");
    refused("feature_names=a b\n", "", PH_EINVAL,
            "model.txt:11: field feature_names: no feature_names line before the trees");
    refused("is_linear=0", "is_linear=1", PH_EINVAL,
            "model.txt:27:11: field is_linear, value '1': linear trees are not supported");
}

static void test_truncated(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    size_t len;
    char *text = fixture_text("models/lgb_small.txt", &len);
    ph_model *m = NULL;
    ph_error err;
    const char *cut = strstr(text, "end of trees");
    ph_assert_error(ph_model_load_memory(ctx, text, (size_t)(cut - text), "lgb.txt", &m, &err),
                    PH_EINVAL, &err,
                    "lgb.txt: the text ends inside the trees, at line 57: expected an 'end of "
                    "trees' line (is the file truncated?)");
    /* Cut inside a tree: the tree lacks what follows. */
    cut = strstr(text, "Tree=2");
    ph_assert_error(ph_model_load_memory(ctx, text, (size_t)(cut - text) + 20, "lgb.txt", &m,
                                         &err),
                    PH_EINVAL, &err, "lgb.txt:50: field leaf_value: the tree has no leaf_value "
                                     "line");
    ph_assert_error(ph_model_load_memory(ctx, text, 120, "lgb.txt", &m, &err), PH_EINVAL, &err,
                    "lgb.txt: no Tree= block and no 'end of trees' line");
    assert_null(m);
    free(text);
    ph_ctx_free(ctx);
}

/* ---- number syntax and limits ---------------------------------------------- */

static void test_decision_type_range(void **state)
{
    (void)state;
    /* The value as written, not as the unsigned it would wrap to. */
    refused("decision_type=10", "decision_type=-10", PH_EINVAL,
            "model.txt:18:15: field decision_type[0], value '-10': expected a decision type "
            "from 0 to 255");
    refused("decision_type=10", "decision_type=256", PH_EINVAL,
            "model.txt:18:15: field decision_type[0], value '256': expected a decision type "
            "from 0 to 255");
}

/* tiny with `from` replaced by `to`, loaded with its full length (NUL bytes
 * included: `to` is `to_len` bytes). */
static void refused_bytes(const char *from, const char *to, size_t to_len, const char *message)
{
    const char *at = strstr(tiny, from);
    assert_non_null(at);
    size_t head = (size_t)(at - tiny), tail = strlen(at + strlen(from));
    size_t len = head + to_len + tail;
    char *text = malloc(len);
    assert_non_null(text);
    memcpy(text, tiny, head);
    memcpy(text + head, to, to_len);
    memcpy(text + head + to_len, at + strlen(from), tail);
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_error(ph_model_load_memory(ctx, text, len, "model.txt", &m, &err), PH_EINVAL, &err,
                    message);
    assert_null(m);
    free(text);
    ph_ctx_free(ctx);
}

static void test_nul_inside_a_value(void **state)
{
    (void)state;
    refused_bytes("num_leaves=2", "num_leaves=2\0junk", 17,
                  "model.txt:13:12: field num_leaves, value '2\\x00junk': expected a whole "
                  "number from 1 to 131072");
    refused_bytes("threshold=0.5", "threshold=0.5\0", 14,
                  "model.txt:17:11: field threshold[0], value '0.5\\x00': expected a number in "
                  "plain decimal");
    refused_bytes("leaf_value=-0.25 0.75", "leaf_value=-0.25 0.75\0", 22,
                  "model.txt:21:18: field leaf_value[1], value '0.75\\x00': expected a finite "
                  "number in plain decimal");
    refused_bytes("Tree=0", "Tree=0\0x", 8,
                  "model.txt:12:6: field Tree, value '0\\x00x': expected Tree=0");
    refused_bytes("objective=binary", "objective=binary\0", 17,
                  "model.txt:7:17: field objective, value 'binary\\x00 sigmoid:1': expected text "
                  "without NUL bytes");
}

static void test_number_syntax(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *message;
    } cases[] = {
        {"threshold=0.5", "threshold=0x1p3",
         "model.txt:17:11: field threshold[0], value '0x1p3': expected a number in plain "
         "decimal"},
        {"threshold=0.5", "threshold=infinity",
         "field threshold[0], value 'infinity': expected a number in plain decimal"},
        {"threshold=0.5", "threshold=NaN", "value 'NaN': expected a number in plain decimal"},
        {"threshold=0.5", "threshold= 0.5", "field threshold[0]: expected a number in plain"},
        {"threshold=0.5", "threshold=.5", "value '.5': expected a number in plain decimal"},
        {"leaf_value=-0.25 0.75", "leaf_value=-0.25 0x1p-2",
         "model.txt:21:18: field leaf_value[1], value '0x1p-2': expected a finite number in "
         "plain decimal"},
        {"leaf_value=-0.25 0.75", "leaf_value=-0.25 inf",
         "value 'inf': expected a finite number in plain decimal"},
        {"leaf_value=-0.25 0.75", "leaf_value=-0.25 1e400",
         "value '1e400': expected a finite number in plain decimal"},
        {"num_leaves=2", "num_leaves=+2",
         "model.txt:13:12: field num_leaves, value '+2': expected a whole number"},
        {"num_leaves=2", "num_leaves=2.0", "value '2.0': expected a whole number"},
        {"num_leaves=2", "num_leaves= 2", "field num_leaves, value ' 2': expected a whole number"},
        {"split_feature=1", "split_feature=0x1",
         "model.txt:15:15: field split_feature[0], value '0x1': expected a whole number"},
        {"left_child=-1", "left_child=-1e0", "value '-1e0': expected a whole number"},
        {"max_feature_idx=1", "max_feature_idx=1 ", "value '1 ': expected a whole number"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        refused(cases[i].from, cases[i].to, PH_EINVAL, cases[i].message);

    /* What LightGBM writes: %.17g doubles (kZeroThreshold as a double),
     * inf for an unbounded split, and tiny or negative values. */
    const float x[] = {0, 0.0f, 0, 1e-36f, 0, 1e-34f};
    double m[3];
    tiny_margins("threshold=0.5", "threshold=1.0000000180025095e-35", x, 3, m);
    assert_true(m[0] == -0.25 && m[1] == -0.25 && m[2] == 0.75);
    tiny_margins("threshold=0.5", "threshold=-inf", x, 3, m);
    assert_true(m[0] == 0.75 && m[2] == 0.75);
    const float y[] = {0, 0.25f, 0, 0.75f};
    tiny_margins("leaf_value=-0.25 0.75", "leaf_value=-2.5E-1 7.5e+2", y, 2, m);
    assert_true(m[0] == -0.25 && m[1] == 750);
}

static void test_margin_cannot_overflow(void **state)
{
    (void)state;
    /* One tree's leaf of 1e308 is finite, but two such trees sum to inf. */
    refused("leaf_value=-0.25 0.75", "leaf_value=-0.25 1e308", PH_EINVAL,
            "model.txt:21: field leaf_value, value '1e+308': the largest |leaf value| of each "
            "tree, summed over trees 0 to 0, is 1e+308, above the limit of 1e+100 (a margin "
            "could overflow)");
    /* Each tree within the limit, their sum not. */
    char *one = replaced(tiny, "leaf_value=-0.25 0.75", "leaf_value=-0.25 5e99");
    char *two = replaced(one, "Tree=0\n", "Tree=0\nnum_leaves=1\nleaf_value=-6e99\n\n\nTree=1\n");
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_error(load_text(ctx, two, &m, &err), PH_EINVAL, &err,
                    "model.txt:26: field leaf_value, value '5e+99': the largest |leaf value| of "
                    "each tree, summed over trees 0 to 1, is 1.1e+100, above the limit of "
                    "1e+100");
    free(two);
    /* Just within: loads. */
    two = replaced(one, "Tree=0\n", "Tree=0\nnum_leaves=1\nleaf_value=-5e99\n\n\nTree=1\n");
    ph_assert_ok(load_text(ctx, two, &m, &err), &err);
    ph_model_free(m);
    free(two);
    free(one);
    ph_ctx_free(ctx);
}

/* A model of `trees` chains of `depth` splits on feature a (leaf i, value
 * i / 64, where a <= i + 0.5 first holds; NaN goes right, to the last leaf),
 * in a NUL-terminated malloc'd text. */
static char *chain_model(size_t trees, unsigned depth, size_t *len)
{
    const char *start = strstr(tiny, "Tree=0\n"), *stop = strstr(tiny, "end of trees");
    size_t head = (size_t)(start - tiny), per_tree = 200 + (size_t)depth * 60;
    size_t cap = head + trees * per_tree + strlen(stop) + 1;
    char *text = malloc(cap);
    assert_non_null(text);
    memcpy(text, tiny, head);
    size_t n = head;
#define ADD(...) (n += (size_t)snprintf(text + n, cap - n, __VA_ARGS__))
    for (size_t k = 0; k < trees; k++) {
        ADD("Tree=%zu\nnum_leaves=%u\nsplit_feature=", k, depth + 1);
        for (unsigned i = 0; i < depth; i++)
            ADD("%s0", i ? " " : "");
        ADD("\nthreshold=");
        for (unsigned i = 0; i < depth; i++)
            ADD("%s%u.5", i ? " " : "", i);
        ADD("\ndecision_type=");
        for (unsigned i = 0; i < depth; i++)
            ADD("%s8", i ? " " : "");
        ADD("\nleft_child=");
        for (unsigned i = 0; i < depth; i++)
            ADD("%s-%u", i ? " " : "", i + 1);
        ADD("\nright_child=");
        for (unsigned i = 0; i < depth; i++)
            ADD("%s%d", i ? " " : "", i + 1 < depth ? (int)i + 1 : -(int)depth - 1);
        ADD("\nleaf_value=");
        for (unsigned i = 0; i <= depth; i++)
            ADD("%s%g", i ? " " : "", i / 64.0);
        ADD("\nleaf_count=");
        for (unsigned i = 0; i <= depth; i++)
            ADD("%s1", i ? " " : "");
        ADD("\ninternal_count=");
        for (unsigned i = 0; i < depth; i++)
            ADD("%s%u", i ? " " : "", depth + 1 - i);
        ADD("\n\n");
        assert_true(n < cap);
    }
    ADD("%s", stop);
#undef ADD
    *len = n;
    return text;
}

/* Bytes live through a context, and their peak. */
typedef struct counted {
    size_t live, peak;
} counted;

static void *count_malloc(void *user, size_t size)
{
    counted *c = user;
    size_t *p = malloc(size + 16);
    if (!p)
        return NULL;
    p[0] = size;
    c->live += size;
    if (c->live > c->peak)
        c->peak = c->live;
    return (char *)p + 16;
}

static void count_free(void *user, void *ptr)
{
    if (!ptr)
        return;
    size_t *p = (size_t *)(void *)((char *)ptr - 16);
    ((counted *)user)->live -= p[0];
    free(p);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    void *q = count_malloc(user, size);
    if (q && ptr) {
        size_t old = ((size_t *)(void *)((char *)ptr - 16))[0];
        memcpy(q, ptr, old < size ? old : size);
        count_free(user, ptr);
    }
    return q;
}

static long max_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* An 8 MB model of chains 12 deep (each a few hundred bytes of text, which a
 * perfect-tree layout would pad to 2^13 slots) loads in memory proportional
 * to the text, and scores as the plain walk does. */
static void test_chain_model_bounded_memory(void **state)
{
    (void)state;
    size_t len, trees = 19000; /* about 440 bytes of text each */
    char *text = chain_model(trees, 12, &len);
    assert_true(len >= (size_t)8 << 20);
    counted count = {0, 0};
    ph_allocator alloc = {count_malloc, count_realloc, count_free, &count};
    ph_ctx_options options = {0};
    options.allocator = &alloc;
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&options, &ctx, &err), &err);
    size_t live_before = count.live; /* the context itself */
    long rss_before = max_rss_kib();
    ph_model *m = NULL;
    ph_assert_ok(ph_model_load_memory(ctx, text, len, "chain.txt", &m, &err), &err);
    long rss_grown_mib = (max_rss_kib() - rss_before) / 1024;
    print_message("chain model: %zu bytes of text, %zu trees; peak %zu MiB allocated, max RSS "
                  "grew %ld MiB\n", len, trees, count.peak >> 20, rss_grown_mib);
    /* The text, its copy, and the nodes: a few times the text, not 1.3 GB. */
    assert_true(count.peak < 8 * len);
    assert_true(rss_grown_mib < 256);
    float x[2 * 16];
    double margin[16];
    for (int i = 0; i < 16; i++) {
        x[2 * i] = (float)i - 1.0f;
        x[2 * i + 1] = 0;
    }
    x[2 * 15] = NAN; /* default right: down the chain to the last leaf */
    ph_assert_ok(ph_model_margin_matrix(m, x, 16, margin, &err), &err);
    for (int i = 0; i < 16; i++) {
        int leaf = i == 15 ? 12 : i < 1 ? 0 : i - 1 < 12 ? i - 1 : 12;
        assert_true(margin[i] == (double)trees * (leaf / 64.0));
        assert_true(margin[i] == plain_margin_double(m, x + 2 * i));
    }
    ph_model_free(m);
    assert_int_equal(count.live, live_before);
    ph_ctx_free(ctx);
    free(text);
}

/* Lopsided trees (chains 5 to 12 deep, turning left and right, on both
 * features, every missing type, thresholds around 0): the compact layout,
 * and the walk where a split cannot be compiled, equal the plain walk on
 * adversarial rows (thresholds, their neighbours, zeros, NaN). */
static void test_compact_layout_equals_plain_walk(void **state)
{
    (void)state;
    static const int types[] = {0, 2, 4, 6, 8, 10};
    const char *start = strstr(tiny, "Tree=0\n"), *stop = strstr(tiny, "end of trees");
    size_t cap = 1 << 20, n = (size_t)(start - tiny);
    char *text = malloc(cap);
    assert_non_null(text);
    memcpy(text, tiny, n);
#define ADD(...) (n += (size_t)snprintf(text + n, cap - n, __VA_ARGS__))
    for (int k = 0; k < 48; k++) {
        int depth = 5 + k % 8;
        ADD("Tree=%d\nnum_leaves=%d\nsplit_feature=", k, depth + 1);
        for (int i = 0; i < depth; i++)
            ADD("%s%d", i ? " " : "", (i + k) % 2);
        ADD("\nthreshold=");
        for (int i = 0; i < depth; i++)
            ADD("%s%.17g", i ? " " : "", (i - depth / 2) * 0.375 + k * 0.001);
        ADD("\ndecision_type=");
        for (int i = 0; i < depth; i++)
            ADD("%s%d", i ? " " : "", types[(i + k) % 6]);
        /* Node i continues the chain on one side, leaf i on the other. */
        ADD("\nleft_child=");
        for (int i = 0; i < depth; i++)
            ADD("%s%d", i ? " " : "", (i + k) % 3 == 0 && i + 1 < depth ? i + 1 : -(i + 1));
        ADD("\nright_child=");
        for (int i = 0; i < depth; i++)
            ADD("%s%d", i ? " " : "",
                i + 1 == depth ? -(depth + 1) : (i + k) % 3 == 0 ? -(i + 1) : i + 1);
        ADD("\nleaf_value=");
        for (int i = 0; i <= depth; i++)
            ADD("%s%.17g", i ? " " : "", (i + 1) * 0.01 + k * 1e-4);
        ADD("\nleaf_count=");
        for (int i = 0; i <= depth; i++)
            ADD("%s1", i ? " " : "");
        ADD("\ninternal_count=");
        for (int i = 0; i < depth; i++)
            ADD("%s%d", i ? " " : "", depth + 1 - i);
        ADD("\n\n");
    }
    ADD("%s", stop);
#undef ADD
    assert_true(n < cap);
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, text, &m, &err), &err);
    size_t rows = 2001;
    float *x = malloc(rows * 2 * sizeof(float));
    double *margin = malloc(rows * sizeof(double));
    assert_non_null(x);
    assert_non_null(margin);
    adversarial_rows(m, x, rows, 7);
    ph_assert_ok(ph_model_margin_matrix(m, x, rows, margin, &err), &err);
    for (size_t r = 0; r < rows; r++)
        if (margin[r] != plain_margin(m, x + 2 * r))
            fail_msg("row %zu (%g, %g): fast %.17g, plain %.17g", r, x[2 * r], x[2 * r + 1],
                     margin[r], plain_margin(m, x + 2 * r));
    free(x);
    free(margin);
    ph_model_free(m);
    ph_ctx_free(ctx);
    free(text);
}

static void test_limits(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    /* Trees: one more than the limit, each a single leaf. */
    size_t cap = 100001 * 40 + 4096, n = (size_t)(strstr(tiny, "Tree=0\n") - tiny);
    char *text = malloc(cap);
    assert_non_null(text);
    memcpy(text, tiny, n);
    for (size_t k = 0; k <= 100000; k++)
        n += (size_t)snprintf(text + n, cap - n, "Tree=%zu\nnum_leaves=1\nleaf_value=0\n", k);
    n += (size_t)snprintf(text + n, cap - n, "end of trees\n");
    ph_assert_error(ph_model_load_memory(ctx, text, n, "many.txt", &m, &err), PH_EINVAL, &err,
                    "many.txt:300012:6: field Tree, value '100000': more than 100000 trees, "
                    "the limit on trees in a model");
    /* The same text cut after tree 99999 loads. */
    char *last = strstr(text, "Tree=100000\n");
    strcpy(last, "end of trees\n");
    ph_assert_ok(ph_model_load_memory(ctx, text, strlen(text), "many.txt", &m, &err), &err);
    assert_int_equal(ph_model_tree_count(m), 100000);
    ph_model_free(m);
    m = NULL;
    free(text);

    /* Depth: a chain 1025 deep, and one 1024 deep (loads). */
    size_t len;
    text = chain_model(1, 1025, &len);
    ph_assert_error(ph_model_load_memory(ctx, text, len, "deep.txt", &m, &err), PH_EINVAL, &err,
                    "deep.txt:12:6: field Tree, value '0': the tree is 1025 levels deep, above "
                    "the limit of 1024 levels");
    free(text);
    text = chain_model(1, 1024, &len);
    ph_assert_ok(ph_model_load_memory(ctx, text, len, "deep.txt", &m, &err), &err);
    ph_model_free(m);
    m = NULL;
    free(text);

    /* Leaves per tree: LightGBM's own maximum, 131072. */
    text = chain_model(1, 131072, &len);
    ph_assert_error(ph_model_load_memory(ctx, text, len, "wide.txt", &m, &err), PH_EINVAL, &err,
                    "wide.txt:13:12: field num_leaves, value '131073': expected a whole number "
                    "from 1 to 131072");
    free(text);

    /* Features. */
    refused("max_feature_idx=1", "max_feature_idx=1000000", PH_EINVAL,
            "model.txt:6:17: field max_feature_idx, value '1000000': expected a whole number "
            "from 0 to 999999");

    /* The file size, checked before anything is read. */
    len = ((size_t)64 << 20) + 1;
    text = malloc(len);
    assert_non_null(text);
    memset(text, ' ', len);
    memcpy(text, tiny, strlen(tiny));
    ph_assert_error(ph_model_load_memory(ctx, text, len, "big.txt", &m, &err), PH_EINVAL, &err,
                    "big.txt: the LightGBM model is 67108865 bytes, above the limit of "
                    "67108864 bytes (64 MiB)");
    ph_assert_ok(ph_model_load_memory(ctx, text, strlen(tiny), "big.txt", &m, &err), &err);
    ph_model_free(m);
    free(text);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_model),
        cmocka_unit_test(test_threshold_is_a_double),
        cmocka_unit_test(test_missing_types),
        cmocka_unit_test(test_single_leaf_and_extreme_thresholds),
        cmocka_unit_test(test_deep_tree_is_walked),
        cmocka_unit_test(test_converted_trees_match_xgboost),
        cmocka_unit_test(test_small_matches_reference_walk),
        cmocka_unit_test(test_fast_scorer_equals_plain_walk),
        cmocka_unit_test(test_categorical_split),
        cmocka_unit_test(test_objective),
        cmocka_unit_test(test_children),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_decision_type_range),
        cmocka_unit_test(test_nul_inside_a_value),
        cmocka_unit_test(test_number_syntax),
        cmocka_unit_test(test_margin_cannot_overflow),
        cmocka_unit_test(test_chain_model_bounded_memory),
        cmocka_unit_test(test_compact_layout_equals_plain_walk),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
