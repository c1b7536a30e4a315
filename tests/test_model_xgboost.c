/*
 * XGBoost JSON models: the loader's reading of the format's traps, scoring
 * equal to XGBoost's own predictions on the committed fixtures
 * (tests/fixtures/models, written by make_fixtures.py with XGBoost 1.7),
 * the fast scorer equal to the plain walk, and every malformed model refused
 * with a message naming the file and the JSON path.
 */
#include "ph_model_test.h"
#include "ph_failalloc.h"
#include "ph_scorecard_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A one-split model: b < 0.5 goes left (-0.25), else right (0.75); NaN left. */
static const char tiny[] =
    "{\"learner\":{\"attributes\":{},\"feature_names\":[\"a\",\"b\"],\"feature_types\":[],"
    "\"gradient_booster\":{\"model\":{\"gbtree_model_param\":{\"num_parallel_tree\":\"1\","
    "\"num_trees\":\"1\",\"size_leaf_vector\":\"0\"},\"tree_info\":[0],\"trees\":[{"
    "\"base_weights\":[0.1,-0.2,0.3],\"categories\":[],\"categories_nodes\":[],"
    "\"categories_segments\":[],\"categories_sizes\":[],\"default_left\":[1,0,0],\"id\":0,"
    "\"left_children\":[1,-1,-1],\"loss_changes\":[1.0,0.0,0.0],"
    "\"parents\":[2147483647,0,0],\"right_children\":[2,-1,-1],"
    "\"split_conditions\":[0.5,-0.25,0.75],\"split_indices\":[1,0,0],"
    "\"split_type\":[0,0,0],\"sum_hessian\":[10.0,6.0,4.0],\"tree_param\":{"
    "\"num_deleted\":\"0\",\"num_feature\":\"2\",\"num_nodes\":\"3\","
    "\"size_leaf_vector\":\"0\"}}]},\"name\":\"gbtree\"},\"learner_model_param\":{"
    "\"base_score\":\"5E-1\",\"boost_from_average\":\"1\",\"num_class\":\"0\","
    "\"num_feature\":\"2\",\"num_target\":\"1\"},\"objective\":{\"name\":\"binary:logistic\","
    "\"reg_loss_param\":{\"scale_pos_weight\":\"1\"}}},\"version\":[1,7,4]}";

static ph_status load_text(const ph_ctx *ctx, const char *text, ph_model **m, ph_error *err)
{
    return fixture_load_text(ctx, text, "model.json", m, err);
}

/* Load tiny with `from` replaced by `to`; expect `code` and `message`. */
static void refused(const char *from, const char *to, ph_status code, const char *message)
{
    fixture_refused(tiny, "model.json", from, to, code, message);
}

/* ---- the format's traps, on the tiny model ---------------------------------- */

static void test_tiny_model(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, tiny, &m, &err), &err);
    assert_int_equal(ph_model_kind_of(m), PH_MODEL_XGBOOST);
    assert_string_equal(ph_model_kind_name(ph_model_kind_of(m)), "xgboost");
    assert_string_equal(ph_model_source(m), "model.json");
    assert_int_equal(ph_model_feature_count(m), 2);
    assert_string_equal(ph_model_feature_name(m, 0), "a");
    assert_string_equal(ph_model_feature_name(m, 1), "b");
    assert_null(ph_model_feature_name(m, 2));
    assert_int_equal(ph_model_tree_count(m), 1);
    assert_int_equal(ph_model_has_points(m), 0);
    /* Leaf values come from split_conditions, not base_weights; x < t is
     * strict (0.5 goes right); NaN takes default_left. base_score 0.5 is a
     * margin of 0. */
    const float x[] = {9, 0.25f, 9, 0.5f, 9, NAN, 9, 0.75f};
    double margin[4], pd[4];
    ph_assert_ok(ph_model_margin_matrix(m, x, 4, margin, &err), &err);
    assert_true(margin[0] == -0.25);
    assert_true(margin[1] == 0.75);
    assert_true(margin[2] == -0.25);
    assert_true(margin[3] == 0.75);
    ph_assert_ok(ph_model_predict_matrix(m, x, 4, pd, &err), &err);
    assert_true(pd[0] == 1.0 / (1.0 + exp(0.25)));
    assert_true(pd[1] == 1.0 / (1.0 + exp(-0.75)));
    ph_model_free(m);
    ph_ctx_free(ctx);
}

static void test_threshold_is_float32(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    /* 0.1 as float32 is 0.100000001490116...: x = (float)0.1 is not below
     * it, so it goes right, as in XGBoost. Read as a double 0.1, it would
     * go left. */
    char *text = replaced(tiny, "[0.5,-0.25,0.75]", "[0.1,-0.25,0.75]");
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, text, &m, &err), &err);
    assert_true(m->forest->trees[0].threshold[0] == (double)0.1f);
    const float x[] = {0, 0.1f, 0, nextafterf(0.1f, 0)};
    double margin[2];
    ph_assert_ok(ph_model_margin_matrix(m, x, 2, margin, &err), &err);
    assert_true(margin[0] == 0.75);
    assert_true(margin[1] == -0.25);
    ph_model_free(m);
    free(text);
    ph_ctx_free(ctx);
}

static void test_base_score_is_a_probability(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    char *text = replaced(tiny, "\"5E-1\"", "\"2E-1\"");
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, text, &m, &err), &err);
    const float x[] = {0, 0.25f};
    double margin, pd;
    ph_assert_ok(ph_model_margin_matrix(m, x, 1, &margin, &err), &err);
    /* XGBoost's base margin: -logf(1/p - 1) in float32, then float sums. */
    assert_true(margin == (double)(-logf(1.0f / 0.2f - 1.0f) + -0.25f));
    ph_assert_ok(ph_model_predict_matrix(m, x, 1, &pd, &err), &err);
    assert_true(fabs(pd - 1.0 / (1.0 + exp(-margin))) < 1e-15);
    ph_model_free(m);
    free(text);
    /* binary:logitraw keeps base_score as a margin. */
    char *raw = replaced(tiny, "binary:logistic", "binary:logitraw");
    char *text2 = replaced(raw, "\"5E-1\"", "\"1.5\"");
    ph_assert_ok(load_text(ctx, text2, &m, &err), &err);
    ph_assert_ok(ph_model_margin_matrix(m, x, 1, &margin, &err), &err);
    assert_true(margin == 1.25);
    ph_model_free(m);
    free(raw);
    free(text2);
    /* XGBoost 2 writes one value per target in brackets. */
    text = replaced(tiny, "\"5E-1\"", "\"[2E-1]\"");
    ph_assert_ok(load_text(ctx, text, &m, &err), &err);
    assert_true(m->forest->base_margin == (double)-logf(1.0f / 0.2f - 1.0f));
    ph_model_free(m);
    free(text);
    ph_ctx_free(ctx);
}

/* ---- against XGBoost's own predictions ------------------------------------ */

static void test_small_matches_xgboost(void **state)
{
    (void)state;
    double pe, me;
    fixture_check("models/xgb_small.json", "models/xgb_small.expected.csv", 1e-6, &pe, &me);
    /* XGBoost's margins to the bit: the same float32 sums. */
    assert_true(me == 0.0);
}

static void test_forest_matches_xgboost(void **state)
{
    (void)state;
    double pe, me;
    fixture_check("models/xgb_forest.json", "models/xgb_forest.expected.csv", 1e-6, &pe, &me);
    assert_true(me == 0.0);
}

static void test_fixture_shape(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *small = fixture_model(ctx, "models/xgb_small.json");
    ph_model *forest = fixture_model(ctx, "models/xgb_forest.json");
    assert_int_equal(ph_model_tree_count(small), 30);
    assert_int_equal(ph_model_tree_count(forest), 6); /* 3 rounds x num_parallel_tree 2 */
    assert_int_equal(ph_model_feature_count(small), 8);
    assert_string_equal(ph_model_feature_name(small, 0), "revenue_growth_3m");
    assert_string_equal(ph_model_feature_name(small, 7), "owner_age");
    assert_true(small->forest->base_margin == (double)-logf(1.0f / 0.3f - 1.0f));
    assert_true(fabs(small->forest->base_margin - log(0.3 / 0.7)) < 1e-7);
    assert_int_equal(small->forest->sum_float, 1);
    /* Both default directions occur, and a cover is a hessian sum. */
    int left = 0, right = 0;
    const model_tree *t = &small->forest->trees[0];
    for (uint32_t i = 0; i < t->n_nodes; i++) {
        if (t->left[i] >= 0) {
            left += t->default_left[i];
            right += !t->default_left[i];
            assert_true(t->cover[i] > 0 && t->value[i] == 0.0);
        }
    }
    assert_true(left > 0 && right > 0);
    assert_int_equal(t->max_depth, 4);
    ph_model_free(small);
    ph_model_free(forest);
    ph_ctx_free(ctx);
}

static void test_fast_scorer_equals_plain_walk(void **state)
{
    (void)state;
    check_fast_equals_plain("models/xgb_small.json");
    check_fast_equals_plain("models/xgb_forest.json");
}

/* ---- binding by name ------------------------------------------------------ */

static void test_bind_by_name(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(load_text(ctx, tiny, &m, &err), &err);
    /* Columns in another order than the model's, plus one it does not use. */
    ph_dataset *ds = NULL;
    ph_assert_ok(ph_dataset_new(ctx, 2, &ds, &err), &err);
    const double b[] = {0.75, 0.25}, a[] = {1, 2}, other[] = {5, 6};
    ph_assert_ok(ph_dataset_add_numeric(ds, "other", other, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "b", b, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "a", a, &err), &err);
    ph_model_input *in = NULL;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    double pd[2];
    ph_assert_ok(ph_model_predict(in, 0, 2, pd, NULL, &err), &err);
    assert_true(pd[0] == 1.0 / (1.0 + exp(-0.75)));
    assert_true(pd[1] == 1.0 / (1.0 + exp(0.25)));
    ph_assert_error(ph_model_predict(in, 1, 2, pd, NULL, &err), PH_EMISUSE, &err,
                    "rows out of the dataset's range");
    ph_model_input_free(in);
    ph_dataset_free(ds);

    /* A feature the input lacks. */
    ph_assert_ok(ph_dataset_new(ctx, 2, &ds, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "a", a, &err), &err);
    in = NULL;
    ph_assert_error(ph_model_bind(m, ds, &in, &err), PH_ENOTFOUND, &err,
                    "field feature, value 'b': the model model.json needs this feature, which "
                    "is missing from input <memory>");
    assert_null(in);
    /* A feature that is text in the input. */
    const char *texts[] = {"x", "y"};
    ph_assert_ok(ph_dataset_add_categorical(ds, "b", texts, &err), &err);
    ph_assert_error(ph_model_bind(m, ds, &in, &err), PH_EINVAL, &err,
                    "field feature, value 'b': the tree model model.json needs a numeric "
                    "column; input <memory> holds text in it (first value 'x')");
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

static void test_fixture_input_lacks_feature(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = fixture_model(ctx, "models/xgb_small.json");
    char *path = ph_test_fixture("models/input.csv");
    const char *skip[] = {"inquiries_6m", NULL};
    ph_dataset_options opts = {.skip = skip};
    ph_dataset *ds = NULL;
    ph_error err;
    ph_assert_ok(ph_dataset_read_csv(ctx, path, &opts, &ds, &err), &err);
    ph_model_input *in = NULL;
    ph_assert_error(ph_model_bind(m, ds, &in, &err), PH_ENOTFOUND, &err,
                    "value 'inquiries_6m': the model ");
    assert_non_null(strstr(err.message, "xgb_small.json needs this feature, which is missing "
                                        "from input "));
    assert_non_null(strstr(err.message, "input.csv"));
    ph_dataset_free(ds);
    free(path);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* ---- malformed models ------------------------------------------------------ */

static void test_truncated_json(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    size_t len;
    char *text = fixture_text("models/xgb_small.json", &len);
    ph_model *m = NULL;
    ph_error err;
    ph_assert_error(ph_model_load_memory(ctx, text, 5000, "model.json", &m, &err), PH_EINVAL,
                    &err, "model.json:1:5000: invalid JSON: ");
    assert_null(m);
    free(text);
    ph_ctx_free(ctx);
}

static void test_unsupported_objective(void **state)
{
    (void)state;
    refused("binary:logistic", "reg:squarederror", PH_EINVAL,
            "model.json: field learner.objective.name, value 'reg:squarederror': unsupported "
            "objective; expected binary:logistic (or reg:logistic, binary:logitraw)");
    refused("binary:logistic", "multi:softprob", PH_EINVAL,
            "value 'multi:softprob': unsupported objective; expected binary:logistic");
}

static void test_child_out_of_range(void **state)
{
    (void)state;
    refused("\"left_children\":[1,-1,-1]", "\"left_children\":[99,-1,-1]", PH_EINVAL,
            "model.json: field learner.gradient_booster.model.trees[0].left_children[0], "
            "value '99': expected a node index below 3, or -1 for a leaf");
    refused("\"right_children\":[2,-1,-1]", "\"right_children\":[-1,-1,-1]", PH_EINVAL,
            "field learner.gradient_booster.model.trees[0].right_children[0], value '-1': "
            "expected a node index, as left_children[0] is 1");
    refused("\"right_children\":[2,-1,-1]", "\"right_children\":[2,-2,-1]", PH_EINVAL,
            "right_children[1], value '-2': expected a node index below 3, or -1 for a leaf");
}

static void test_cycle(void **state)
{
    (void)state;
    refused("\"left_children\":[1,-1,-1]", "\"left_children\":[0,-1,-1]", PH_EINVAL,
            "field learner.gradient_booster.model.trees[0].left_children[0], value '0': node 0 "
            "is reached twice: expected a tree (no cycle, one parent per node)");
    refused("\"right_children\":[2,-1,-1]", "\"right_children\":[1,-1,-1]", PH_EINVAL,
            "trees[0].right_children[0], value '1': node 1 is reached twice");
}

static void test_bad_arrays(void **state)
{
    (void)state;
    refused("\"split_indices\":[1,0,0]", "\"split_indices\":[2,0,0]", PH_EINVAL,
            "field learner.gradient_booster.model.trees[0].split_indices[0], value '2': "
            "expected a feature index below 2 (num_feature)");
    refused("\"default_left\":[1,0,0]", "\"default_left\":[1,0]", PH_EINVAL,
            "field learner.gradient_booster.model.trees[0].default_left: expected 3 entries "
            "(tree_param.num_nodes), found 2");
    refused("\"sum_hessian\":[10.0,6.0,4.0],", "", PH_EINVAL,
            "field learner.gradient_booster.model.trees[0].sum_hessian: expected an array of 3 "
            "entries");
    refused("[0.5,-0.25,0.75]", "[0.5,\"x\",0.75]", PH_EINVAL,
            "field learner.gradient_booster.model.trees[0].split_conditions[1], value 'x': "
            "expected a finite number");
    refused("\"num_nodes\":\"3\"", "\"num_nodes\":\"three\"", PH_EINVAL,
            "trees[0].tree_param.num_nodes, value 'three': expected a finite number in a "
            "string");
}

static void test_categorical_split(void **state)
{
    (void)state;
    refused("\"split_type\":[0,0,0]", "\"split_type\":[1,0,0]", PH_EINVAL,
            "field learner.gradient_booster.model.trees[0].split_type[0], value '1': "
            "categorical splits not supported");
    refused("\"feature_types\":[]", "\"feature_types\":[\"q\",\"c\"]", PH_EINVAL,
            "field learner.feature_types[1], value 'c': categorical features are not "
            "supported");
}

static void test_learner_errors(void **state)
{
    (void)state;
    refused("\"feature_names\":[\"a\",\"b\"],", "", PH_EINVAL,
            "model.json: field learner.feature_names: the model has no feature names, and "
            "puhui matches inputs to features by name, never by position");
    refused("[\"a\",\"b\"]", "[\"a\",\"a\"]", PH_EINVAL,
            "field learner.feature_names[1], value 'a': duplicate feature name (also feature 0)");
    refused("\"5E-1\"", "\"1\"", PH_EINVAL,
            "field learner.learner_model_param.base_score, value '1': expected a probability "
            "strictly between 0 and 1");
    refused("\"5E-1\"", "\"1e99\"", PH_EINVAL,
            "field learner.learner_model_param.base_score, value '1e99': expected a finite "
            "number in a string");
    refused("\"5E-1\"", "0.5", PH_EINVAL,
            "model.json: field learner.learner_model_param.base_score, value '0.5': expected a "
            "string, found a real number");
    refused("\"tree_info\":[0]", "\"tree_info\":[1]", PH_EINVAL,
            "field learner.gradient_booster.model.tree_info[0], value '1': expected 0: a binary "
            "model has one output");
    refused("\"num_trees\":\"1\"", "\"num_trees\":\"2\"", PH_EINVAL,
            "learner.gradient_booster.model.trees: expected 2 trees (gbtree_model_param."
            "num_trees), found 1");
    refused("\"name\":\"gbtree\"", "\"name\":\"dart\"", PH_EINVAL,
            "field learner.gradient_booster.name, value 'dart': unsupported booster; expected "
            "gbtree");
    refused("\"objective\":{\"name\"", "\"objective\":{\"nom\"", PH_ENOTFOUND,
            "model.json: field learner.objective.name: required member is missing");
}

static void test_not_a_model(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_error(load_text(ctx, "[1, 2]", &m, &err), PH_EINVAL, &err,
                    "field model, value 'model.json': expected a PMML document");
    ph_assert_error(load_text(ctx, "{\"version\": [1, 7, 4]}", &m, &err), PH_ENOTFOUND, &err,
                    "model.json: field learner: required member is missing");
    ph_assert_error(ph_model_load_file(ctx, "/nonexistent/model.json", &m, &err), PH_EIO, &err,
                    "value '/nonexistent/model.json': cannot open the model file: No such file");
    assert_null(m);
    ph_ctx_free(ctx);
}

/* Out of memory while scoring leaves the caller's outputs untouched, also
 * past the first block of rows: the scratch is allocated before the first
 * row is scored. */
/* `rows` rows of the model's features: the fixture's rows over and over. */
static ph_dataset *repeated_rows(const ph_ctx *ctx, const ph_model *m, size_t rows)
{
    ph_error err;
    ph_dataset *fixture = fixture_csv(ctx, "models/input.csv");
    const size_t have = ph_dataset_rows(fixture);
    ph_dataset *ds;
    ph_assert_ok(ph_dataset_new(ctx, rows, &ds, &err), &err);
    double *column = malloc(rows * sizeof(double));
    assert_non_null(column);
    for (size_t j = 0; j < ph_model_feature_count(m); j++) {
        const char *name = ph_model_feature_name(m, j);
        const double *values = fixture_column(fixture, name);
        for (size_t r = 0; r < rows; r++)
            column[r] = values[r % have];
        ph_assert_ok(ph_dataset_add_numeric(ds, name, column, &err), &err);
    }
    free(column);
    ph_dataset_free(fixture);
    return ds;
}

/* Several threads give the bits of one, whatever the split; errors are
 * ph_model_predict's, and a worker short of memory is reported. */
static void test_predict_threads(void **state)
{
    (void)state;
    ph_failalloc fa;
    ph_failalloc_init(&fa);
    ph_ctx *ctx = ph_failalloc_ctx(&fa, NULL);
    ph_error err;
    ph_model *m = fixture_model(ctx, "models/xgb_forest.json");
    const size_t rows = 9999;
    ph_dataset *ds = repeated_rows(ctx, m, rows);
    ph_model_input *in;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    double *one = malloc(rows * sizeof(double)), *many = malloc(rows * sizeof(double));
    assert_true(one && many);
    ph_assert_ok(ph_model_predict(in, 0, rows, one, NULL, &err), &err);
    static const int threads[] = {0, 1, 2, 3, 7, PH_MODEL_MAX_THREADS};
    for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
        memset(many, 0, rows * sizeof(double));
        ph_assert_ok(ph_model_predict_threads(in, 0, rows, threads[i], many, NULL, &err), &err);
        assert_memory_equal(one, many, rows * sizeof(double));
    }
    ph_assert_ok(ph_model_predict_threads(in, 5, rows - 5, 3, many, NULL, &err), &err);
    assert_memory_equal(one + 5, many, (rows - 5) * sizeof(double));
    ph_assert_error(ph_model_predict_threads(in, 1, rows, 2, many, NULL, &err), PH_EMISUSE,
                    &err, "rows out of the dataset's range");
    ph_assert_error(ph_model_predict_threads(in, 0, rows, PH_MODEL_MAX_THREADS + 1, many, NULL,
                                             &err),
                    PH_EMISUSE, &err, "threads must be 0 to");
    /* allocations fail one after another: every failure is an error */
    size_t failures = 0;
    for (size_t fail_at = 1; fail_at < 6; fail_at++) {
        ph_failalloc_fail_in(&fa, fail_at);
        ph_status st = ph_model_predict_threads(in, 0, rows, 4, many, NULL, &err);
        ph_failalloc_fail_in(&fa, 0);
        if (st == PH_OK)
            continue;
        failures++;
        ph_assert_error(st, PH_ENOMEM, &err, "out of memory scoring");
    }
    assert_true(failures >= 1);
    free(one);
    free(many);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

static void test_predict_out_of_memory_writes_nothing(void **state)
{
    (void)state;
    ph_failalloc fa;
    ph_failalloc_init(&fa);
    ph_ctx *ctx = ph_failalloc_ctx(&fa, NULL);
    ph_error err;
    ph_model *m = fixture_model(ctx, "models/xgb_small.json");
    /* 10,000 rows (more than two blocks). */
    const size_t rows = 10000;
    ph_dataset *ds = repeated_rows(ctx, m, rows);
    ph_model_input *in;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    double *pd = malloc(rows * sizeof(double));
    double *points = malloc(rows * sizeof(double));
    assert_true(pd && points);
    size_t failures = 0;
    for (size_t fail_at = 0; fail_at < 8; fail_at++) {
        for (size_t r = 0; r < rows; r++)
            pd[r] = points[r] = -1.0;
        ph_failalloc_fail_in(&fa, fail_at + 1);
        ph_status st = ph_model_predict(in, 0, rows, pd, points, &err);
        ph_failalloc_fail_in(&fa, 0);
        if (st == PH_OK)
            continue; /* enough allocations: scored in full */
        failures++;
        ph_assert_error(st, PH_ENOMEM, &err, "out of memory scoring");
        for (size_t r = 0; r < rows; r++)
            assert_true(pd[r] == -1.0 && points[r] == -1.0);
    }
    assert_true(failures >= 1);
    ph_assert_ok(ph_model_predict(in, 0, rows, pd, points, &err), &err);
    assert_true(pd[rows - 1] > 0.0 && pd[rows - 1] < 1.0 && isnan(points[rows - 1]));
    free(pd);
    free(points);
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
    assert_int_equal(fa.live, 0); /* every byte the context gave is back */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_model),
        cmocka_unit_test(test_threshold_is_float32),
        cmocka_unit_test(test_base_score_is_a_probability),
        cmocka_unit_test(test_small_matches_xgboost),
        cmocka_unit_test(test_forest_matches_xgboost),
        cmocka_unit_test(test_fixture_shape),
        cmocka_unit_test(test_fast_scorer_equals_plain_walk),
        cmocka_unit_test(test_bind_by_name),
        cmocka_unit_test(test_fixture_input_lacks_feature),
        cmocka_unit_test(test_truncated_json),
        cmocka_unit_test(test_unsupported_objective),
        cmocka_unit_test(test_child_out_of_range),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_bad_arrays),
        cmocka_unit_test(test_categorical_split),
        cmocka_unit_test(test_learner_errors),
        cmocka_unit_test(test_not_a_model),
        cmocka_unit_test(test_predict_threads),
        cmocka_unit_test(test_predict_out_of_memory_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
