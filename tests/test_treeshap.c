/*
 * TreeSHAP (src/model/treeshap.c) through the public API: small XGBoost JSON
 * models written here, whose contributions are checked against a brute-force
 * Shapley computation over every subset of features; hand-computed cases
 * (the default direction of a missing value, a single-leaf tree, a feature
 * split twice on a path, the base margin in the bias); and reason codes on a tree
 * model. The committed fixtures are in test_treeshap_fixtures.c.
 */
#include "ph_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a forest the test can both write as JSON and evaluate itself ------- */

enum { MAX_FEATURES = 6, MAX_NODES = 128, MAX_TREES = 4 };

typedef struct tnode {
    int left, right; /* -1 for a leaf */
    int feature;
    float threshold;
    int default_left;
    int missing;     /* LightGBM's missing type: 0 None, 1 Zero, 2 NaN */
    float value;     /* leaf value */
    float cover;
} tnode;

typedef struct ttree {
    int n;
    tnode node[MAX_NODES];
} ttree;

typedef struct tforest {
    int lightgbm; /* written as LightGBM text (x <= t), else XGBoost JSON (x < t) */
    int n_features;
    const char *names[MAX_FEATURES];
    const char *base_score; /* as XGBoost writes it: "5E-1" */
    int n_trees;
    ttree tree[MAX_TREES];
    int repeated; /* splits on a feature already split on above them */
} tforest;

/* A growing string. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) PH_PRINTF(2, 3);
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        b->cap = (b->cap + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
}

/* One per-node array of a tree: "name": [v0, v1, ...]. */
typedef enum { COL_LEFT, COL_RIGHT, COL_PARENT, COL_FEATURE, COL_SPLIT, COL_DEFAULT,
               COL_HESS, COL_WEIGHT, COL_ZERO } tcolumn;

static void json_node_array(sbuf *b, const ttree *t, const char *name, tcolumn col)
{
    sb_printf(b, "\"%s\": [", name);
    for (int i = 0; i < t->n; i++) {
        const tnode *nd = &t->node[i];
        int leaf = nd->left < 0;
        if (i)
            sb_printf(b, ", ");
        switch (col) {
        case COL_LEFT: sb_printf(b, "%d", nd->left); break;
        case COL_RIGHT: sb_printf(b, "%d", nd->right); break;
        case COL_PARENT: {
            int parent = 2147483647;
            for (int j = 0; j < t->n; j++)
                if (t->node[j].left == i || t->node[j].right == i)
                    parent = j;
            sb_printf(b, "%d", parent);
            break;
        }
        case COL_FEATURE: sb_printf(b, "%d", leaf ? 0 : nd->feature); break;
        case COL_SPLIT: sb_printf(b, "%.9g", (double)(leaf ? nd->value : nd->threshold)); break;
        case COL_DEFAULT: sb_printf(b, "%d", leaf ? 0 : nd->default_left); break;
        case COL_HESS: sb_printf(b, "%.9g", (double)nd->cover); break;
        case COL_WEIGHT: sb_printf(b, "%.9g", (double)(leaf ? nd->value : 0.0f)); break;
        case COL_ZERO: sb_printf(b, "0"); break;
        }
    }
    sb_printf(b, "]");
}

/* The forest as XGBoost 1.7 writes a binary:logistic model. */
static char *forest_json(const tforest *f)
{
    sbuf b = {0};
    sb_printf(&b, "{\"learner\": {\"attributes\": {}, \"feature_names\": [");
    for (int i = 0; i < f->n_features; i++)
        sb_printf(&b, "%s\"%s\"", i ? ", " : "", f->names[i]);
    sb_printf(&b, "], \"feature_types\": [");
    for (int i = 0; i < f->n_features; i++)
        sb_printf(&b, "%s\"float\"", i ? ", " : "");
    sb_printf(&b, "], \"gradient_booster\": {\"model\": {\"gbtree_model_param\": "
                  "{\"num_parallel_tree\": \"1\", \"num_trees\": \"%d\", "
                  "\"size_leaf_vector\": \"0\"}, \"tree_info\": [",
              f->n_trees);
    for (int i = 0; i < f->n_trees; i++)
        sb_printf(&b, "%s0", i ? ", " : "");
    sb_printf(&b, "], \"trees\": [");
    for (int i = 0; i < f->n_trees; i++) {
        const ttree *t = &f->tree[i];
        sb_printf(&b, "%s{", i ? ", " : "");
        json_node_array(&b, t, "base_weights", COL_WEIGHT);
        sb_printf(&b, ", \"categories\": [], \"categories_nodes\": [], "
                      "\"categories_segments\": [], \"categories_sizes\": [], ");
        json_node_array(&b, t, "default_left", COL_DEFAULT);
        sb_printf(&b, ", \"id\": %d, ", i);
        json_node_array(&b, t, "left_children", COL_LEFT);
        sb_printf(&b, ", ");
        json_node_array(&b, t, "loss_changes", COL_ZERO);
        sb_printf(&b, ", ");
        json_node_array(&b, t, "parents", COL_PARENT);
        sb_printf(&b, ", ");
        json_node_array(&b, t, "right_children", COL_RIGHT);
        sb_printf(&b, ", ");
        json_node_array(&b, t, "split_conditions", COL_SPLIT);
        sb_printf(&b, ", ");
        json_node_array(&b, t, "split_indices", COL_FEATURE);
        sb_printf(&b, ", ");
        json_node_array(&b, t, "split_type", COL_ZERO);
        sb_printf(&b, ", ");
        json_node_array(&b, t, "sum_hessian", COL_HESS);
        sb_printf(&b, ", \"tree_param\": {\"num_deleted\": \"0\", \"num_feature\": \"%d\", "
                      "\"num_nodes\": \"%d\", \"size_leaf_vector\": \"0\"}}",
                  f->n_features, t->n);
    }
    sb_printf(&b, "]}, \"name\": \"gbtree\"}, \"learner_model_param\": {\"base_score\": "
                  "\"%s\", \"boost_from_average\": \"1\", \"num_class\": \"0\", "
                  "\"num_feature\": \"%d\", \"num_target\": \"1\"}, \"objective\": {\"name\": "
                  "\"binary:logistic\", \"reg_loss_param\": {\"scale_pos_weight\": \"1\"}}}, "
                  "\"version\": [1, 7, 4]}",
              f->base_score, f->n_features);
    return b.s;
}

/* LightGBM numbers internal nodes and leaves apart; a child c < 0 is leaf ~c.
 * Number them depth-first from the root (internal node 0). */
static void lgb_number(const ttree *t, int n, int *internal, int *leaves, int *ref)
{
    if (t->node[n].left < 0) {
        ref[n] = ~(*leaves)++;
        return;
    }
    ref[n] = (*internal)++;
    lgb_number(t, t->node[n].left, internal, leaves, ref);
    lgb_number(t, t->node[n].right, internal, leaves, ref);
}

/* One "key=v v v" line over the internal nodes (leaf 0) or the leaves (1). */
static void lgb_line(sbuf *b, const ttree *t, const int *ref, const char *key, int leaf)
{
    sb_printf(b, "%s=", key);
    int first = 1;
    for (int slot = 0; slot < t->n; slot++) {
        /* Write in the numbering's order: find the node numbered `slot`. */
        for (int n = 0; n < t->n; n++) {
            const tnode *nd = &t->node[n];
            if ((nd->left < 0) != leaf || (leaf ? ~ref[n] : ref[n]) != slot)
                continue;
            sb_printf(b, first ? "" : " ");
            first = 0;
            if (strcmp(key, "split_feature") == 0)
                sb_printf(b, "%d", nd->feature);
            else if (strcmp(key, "threshold") == 0)
                sb_printf(b, "%.17g", (double)nd->threshold);
            else if (strcmp(key, "decision_type") == 0)
                sb_printf(b, "%d", (nd->default_left ? 2 : 0) | nd->missing << 2);
            else if (strcmp(key, "left_child") == 0)
                sb_printf(b, "%d", ref[nd->left]);
            else if (strcmp(key, "right_child") == 0)
                sb_printf(b, "%d", ref[nd->right]);
            else if (strcmp(key, "leaf_value") == 0)
                sb_printf(b, "%.17g", (double)nd->value);
            else
                sb_printf(b, "%.17g", (double)nd->cover); /* counts and weights */
        }
    }
    sb_printf(b, "\n");
}

/* The forest as LightGBM's Booster.save_model() writes an objective=binary model. */
static char *forest_lightgbm(const tforest *f)
{
    sbuf blocks[MAX_TREES] = {{0}};
    for (int i = 0; i < f->n_trees; i++) {
        const ttree *t = &f->tree[i];
        int internal = 0, leaves = 0, ref[MAX_NODES];
        lgb_number(t, 0, &internal, &leaves, ref);
        sbuf *b = &blocks[i];
        sb_printf(b, "Tree=%d\nnum_leaves=%d\nnum_cat=0\n", i, leaves);
        if (internal > 0) {
            static const char *const inner[] = {"split_feature", "split_gain", "threshold",
                                                "decision_type", "left_child", "right_child"};
            for (size_t k = 0; k < sizeof(inner) / sizeof(inner[0]); k++)
                lgb_line(b, t, ref, inner[k], 0);
        }
        lgb_line(b, t, ref, "leaf_value", 1);
        if (internal > 0) {
            lgb_line(b, t, ref, "leaf_weight", 1);
            lgb_line(b, t, ref, "leaf_count", 1);
            lgb_line(b, t, ref, "internal_value", 0);
            lgb_line(b, t, ref, "internal_weight", 0);
            lgb_line(b, t, ref, "internal_count", 0);
        }
        sb_printf(b, "is_linear=0\nshrinkage=1\n\n\n");
    }
    sbuf out = {0};
    sb_printf(&out, "tree\nversion=v3\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n"
                    "max_feature_idx=%d\nobjective=binary sigmoid:1\nfeature_names=",
              f->n_features - 1);
    for (int i = 0; i < f->n_features; i++)
        sb_printf(&out, "%s%s", i ? " " : "", f->names[i]);
    sb_printf(&out, "\nfeature_infos=");
    for (int i = 0; i < f->n_features; i++)
        sb_printf(&out, "%snone", i ? " " : "");
    sb_printf(&out, "\ntree_sizes=");
    for (int i = 0; i < f->n_trees; i++)
        sb_printf(&out, "%s%zu", i ? " " : "", blocks[i].len);
    sb_printf(&out, "\n\n");
    for (int i = 0; i < f->n_trees; i++) {
        sb_printf(&out, "%s", blocks[i].s);
        free(blocks[i].s);
    }
    sb_printf(&out, "end of trees\n\nparameters:\n[objective: binary]\nend of parameters\n");
    return out.s;
}

static ph_model *load_forest(const ph_ctx *ctx, const tforest *f)
{
    char *text = f->lightgbm ? forest_lightgbm(f) : forest_json(f);
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(ph_model_load_memory(ctx, text, strlen(text), f->lightgbm ? "test.txt" : "test.json",
                                      &m, &err),
                 &err);
    free(text);
    return m;
}

/* ---- the brute-force reference -------------------------------------------- */

/* XGBoost's split: left when x < threshold; a missing value the default way.
 * LightGBM's: x <= threshold; by missing type, NaN is read as 0 (None), 0
 * and NaN go the default way (Zero), or NaN does (NaN). */
static int goes_left(const tforest *f, const tnode *nd, float x)
{
    if (!f->lightgbm)
        return isnan(x) ? nd->default_left : x < nd->threshold;
    if (isnan(x) && nd->missing != 2)
        x = 0.0f;
    if ((nd->missing == 1 && x == 0.0f) || (nd->missing == 2 && isnan(x)))
        return nd->default_left;
    return x <= nd->threshold;
}

/* v(S) of one tree: splits on a known feature follow the row; the others
 * blend their children by cover. */
static double tree_given(const tforest *f, const ttree *t, int n, const float *x,
                         unsigned known)
{
    const tnode *nd = &t->node[n];
    if (nd->left < 0)
        return nd->value;
    if (known >> nd->feature & 1u)
        return tree_given(f, t, goes_left(f, nd, x[nd->feature]) ? nd->left : nd->right, x,
                          known);
    const tnode *l = &t->node[nd->left], *r = &t->node[nd->right];
    return ((double)l->cover * tree_given(f, t, nd->left, x, known) +
            (double)r->cover * tree_given(f, t, nd->right, x, known)) /
           (double)nd->cover;
}

/* Shapley values by their definition: out[n_features] is the sum of the
 * trees' expected values (the bias without the base margin). */
static void brute_shapley(const tforest *f, const float *x, double *out)
{
    const int m = f->n_features;
    memset(out, 0, (size_t)(m + 1) * sizeof(*out));
    for (int ti = 0; ti < f->n_trees; ti++) {
        double v[1u << MAX_FEATURES];
        for (unsigned s = 0; s < 1u << m; s++)
            v[s] = tree_given(f, &f->tree[ti], 0, x, s);
        out[m] += v[0];
        for (int i = 0; i < m; i++) {
            for (unsigned s = 0; s < 1u << m; s++) {
                if (s >> i & 1u)
                    continue;
                int size = __builtin_popcount(s);
                out[i] += factorial(size) * factorial(m - size - 1) / factorial(m) *
                          (v[s | 1u << i] - v[s]);
            }
        }
    }
}

/* ---- random forests ---------------------------------------------------------- */

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static int random_below(uint64_t *state, int n) { return (int)(next_random(state) % (uint64_t)n); }

/* Values on a 1/8 grid, so x often equals a threshold (< and <= differ) or 0
 * (LightGBM's missing type Zero),
 * leaf values on a 1/64 grid and integer covers: all exact in float32, so
 * the model holds what the reference uses. */
static float grid_value(uint64_t *state) { return (float)(random_below(state, 17) - 8) / 8.0f; }

static int grow(tforest *f, ttree *t, uint64_t *state, int depth, int max_depth,
                unsigned above)
{
    int id = t->n++;
    tnode *nd = &t->node[id];
    if (depth == max_depth || (depth > 0 && random_below(state, 4) == 0)) {
        *nd = (tnode){.left = -1, .right = -1,
                      .value = (float)(random_below(state, 129) - 64) / 64.0f,
                      .cover = (float)(1 + random_below(state, 20))};
        return id;
    }
    /* Few features and deep trees: the same feature is often split again. */
    nd->feature = random_below(state, f->n_features);
    nd->threshold = grid_value(state);
    nd->default_left = random_below(state, 2);
    nd->missing = f->lightgbm ? random_below(state, 3) : 0;
    f->repeated += above >> nd->feature & 1u;
    above |= 1u << nd->feature;
    int l = grow(f, t, state, depth + 1, max_depth, above);
    int r = grow(f, t, state, depth + 1, max_depth, above);
    nd = &t->node[id];
    nd->left = l;
    nd->right = r;
    nd->cover = t->node[l].cover + t->node[r].cover;
    return id;
}

static const char *const feature_names[MAX_FEATURES] = {"f0", "f1", "f2", "f3", "f4", "f5"};

static void random_forest(tforest *f, uint64_t *state, int lightgbm)
{
    memset(f, 0, sizeof(*f));
    f->lightgbm = lightgbm;
    f->n_features = 1 + random_below(state, MAX_FEATURES);
    for (int i = 0; i < f->n_features; i++)
        f->names[i] = feature_names[i];
    f->base_score = "5E-1";
    f->n_trees = 1 + random_below(state, MAX_TREES);
    for (int i = 0; i < f->n_trees; i++)
        grow(f, &f->tree[i], state, 0, random_below(state, 6), 0);
}

static void random_row(float *x, int n, uint64_t *state)
{
    for (int j = 0; j < n; j++)
        x[j] = random_below(state, 6) == 0 ? NAN : grid_value(state);
}

/* ---- against the definition ---------------------------------------------------- */

enum { RANDOM_FORESTS = 300, ROWS_PER_FOREST = 16 };

/* RANDOM_FORESTS random forests in one format against the definition. */
static void check_random_forests(int lightgbm, uint64_t seed)
{
    ph_ctx *ctx = fixture_ctx();
    double worst = 0.0, worst_sum = 0.0;
    int repeated = 0, missing_rows = 0;
    for (int k = 0; k < RANDOM_FORESTS; k++) {
        tforest *f = calloc(1, sizeof(*f));
        assert_non_null(f);
        random_forest(f, &seed, lightgbm);
        ph_model *m = load_forest(ctx, f);
        const int nf = f->n_features;
        float x[ROWS_PER_FOREST * MAX_FEATURES];
        for (int r = 0; r < ROWS_PER_FOREST; r++)
            random_row(x + r * nf, nf, &seed);
        double got[ROWS_PER_FOREST * (MAX_FEATURES + 1)], margin[ROWS_PER_FOREST];
        ph_error err;
        ph_assert_ok(ph_model_contributions_matrix(m, x, ROWS_PER_FOREST, got, &err), &err);
        ph_assert_ok(ph_model_margin_matrix(m, x, ROWS_PER_FOREST, margin, &err), &err);
        for (int r = 0; r < ROWS_PER_FOREST; r++) {
            double want[MAX_FEATURES + 1], sum = 0.0;
            brute_shapley(f, x + r * nf, want);
            for (int j = 0; j <= nf; j++) {
                double e = fabs(got[r * (nf + 1) + j] - want[j]);
                worst = e > worst ? e : worst;
                if (e > 1e-9)
                    fail_msg("forest %d row %d entry %d: TreeSHAP %.17g, definition %.17g", k,
                             r, j, got[r * (nf + 1) + j], want[j]);
                sum += got[r * (nf + 1) + j];
            }
            double e = fabs(sum - margin[r]);
            worst_sum = e > worst_sum ? e : worst_sum;
            if (e > 1e-9)
                fail_msg("forest %d row %d: contributions sum to %.17g, margin %.17g", k, r, sum,
                         margin[r]);
            for (int j = 0; j < nf; j++)
                missing_rows += isnan(x[r * nf + j]) != 0;
        }
        repeated += f->repeated;
        ph_model_free(m);
        free(f);
    }
    print_message("%s: max |TreeSHAP - definition| %.3g, max |sum - margin| %.3g; %d "
                  "repeated splits, %d missing values\n",
                  lightgbm ? "LightGBM" : "XGBoost", worst, worst_sum, repeated, missing_rows);
    /* The cases the random forests are meant to reach. */
    assert_true(repeated > 100);
    assert_true(missing_rows > 100);
    ph_ctx_free(ctx);
}

static void test_random_xgboost_forests_match_brute_force(void **state)
{
    (void)state;
    check_random_forests(0, 0x9E3779B97F4A7C15u);
}

/* x <= t, and the missing types None, Zero and NaN. */
static void test_random_lightgbm_forests_match_brute_force(void **state)
{
    (void)state;
    check_random_forests(1, 0xD1B54A32D192ED03u);
}

/* One split on f0 < 0.5: left leaf -1 (cover 4), right leaf 2 (cover 6). */
static void one_split(tforest *f, int default_left)
{
    memset(f, 0, sizeof(*f));
    f->n_features = 2;
    f->names[0] = "f0";
    f->names[1] = "f1";
    f->base_score = "5E-1";
    f->n_trees = 1;
    ttree *t = &f->tree[0];
    t->n = 3;
    t->node[0] = (tnode){.left = 1, .right = 2, .feature = 0, .threshold = 0.5f,
                         .default_left = default_left, .cover = 10};
    t->node[1] = (tnode){.left = -1, .right = -1, .value = -1, .cover = 4};
    t->node[2] = (tnode){.left = -1, .right = -1, .value = 2, .cover = 6};
}

static void contributions_of(const ph_model *m, const float *x, double *out)
{
    ph_error err;
    ph_assert_ok(ph_model_contributions_matrix(m, x, 1, out, &err), &err);
}

static void test_missing_value_goes_the_default_way(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    /* E = (4 * -1 + 6 * 2) / 10 = 0.8. */
    for (int default_left = 0; default_left <= 1; default_left++) {
        one_split(&f, default_left);
        ph_model *m = load_forest(ctx, &f);
        double out[3];
        contributions_of(m, (const float[]){NAN, 7.0f}, out);
        assert_near(out[0], default_left ? -1.0 - 0.8 : 2.0 - 0.8, 1e-12);
        assert_near(out[1], 0.0, 0.0);
        assert_near(out[2], 0.8, 1e-12);
        /* A present value compares: 0.5 is not < 0.5, so it goes right. */
        contributions_of(m, (const float[]){0.5f, NAN}, out);
        assert_near(out[0], 1.2, 1e-12);
        contributions_of(m, (const float[]){0.25f, NAN}, out);
        assert_near(out[0], -1.8, 1e-12);
        ph_model_free(m);
    }
    ph_ctx_free(ctx);
}

static void test_single_leaf_tree_is_all_bias(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    one_split(&f, 1);
    f.n_trees = 2;
    f.tree[1].n = 1;
    f.tree[1].node[0] = (tnode){.left = -1, .right = -1, .value = 0.375f, .cover = 10};
    ph_model *m = load_forest(ctx, &f);
    double out[3];
    contributions_of(m, (const float[]){0.0f, 1.0f}, out);
    assert_near(out[0], -1.8, 1e-12);
    assert_near(out[1], 0.0, 0.0);
    assert_near(out[2], 0.8 + 0.375, 1e-12);

    /* A forest of one leaf: nothing to attribute. */
    f.n_trees = 1;
    f.tree[0] = f.tree[1];
    ph_model_free(m);
    m = load_forest(ctx, &f);
    contributions_of(m, (const float[]){0.0f, 1.0f}, out);
    assert_near(out[0], 0.0, 0.0);
    assert_near(out[1], 0.0, 0.0);
    assert_near(out[2], 0.375, 1e-15);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/*
 * f0 split twice on one path, f1 once:
 *   0: f0 < 0 (cover 8)  -> 1, 2
 *   1: f1 < 0 (cover 4)  -> 3 (leaf 1, cover 2), 4 (leaf 3, cover 2)
 *   2: f0 < 1 (cover 4)  -> 5 (leaf -2, cover 1), 6 (leaf 4, cover 3)
 * Row f0 = 0.5, f1 = -1 goes 0 -> 2 -> 5, value -2.
 * v({}) = (2 + 6 - 2 + 12) / 8 = 2.25; v({f0}) = -2; v({f1}) = (4 * 1 - 2 + 12) / 8 = 1.75;
 * v({f0, f1}) = -2. phi_f0 = ((-2 - 2.25) + (-2 - 1.75)) / 2 = -4;
 * phi_f1 = ((1.75 - 2.25) + (-2 + 2)) / 2 = -0.25.
 */
static void test_feature_split_twice_on_a_path(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    memset(&f, 0, sizeof(f));
    f.n_features = 2;
    f.names[0] = "f0";
    f.names[1] = "f1";
    f.base_score = "5E-1";
    f.n_trees = 1;
    ttree *t = &f.tree[0];
    t->n = 7;
    t->node[0] = (tnode){.left = 1, .right = 2, .feature = 0, .threshold = 0, .cover = 8};
    t->node[1] = (tnode){.left = 3, .right = 4, .feature = 1, .threshold = 0, .cover = 4};
    t->node[2] = (tnode){.left = 5, .right = 6, .feature = 0, .threshold = 1, .cover = 4};
    t->node[3] = (tnode){.left = -1, .right = -1, .value = 1, .cover = 2};
    t->node[4] = (tnode){.left = -1, .right = -1, .value = 3, .cover = 2};
    t->node[5] = (tnode){.left = -1, .right = -1, .value = -2, .cover = 1};
    t->node[6] = (tnode){.left = -1, .right = -1, .value = 4, .cover = 3};
    ph_model *m = load_forest(ctx, &f);
    double out[3];
    contributions_of(m, (const float[]){0.5f, -1.0f}, out);
    assert_near(out[0], -4.0, 1e-12);
    assert_near(out[1], -0.25, 1e-12);
    assert_near(out[2], 2.25, 1e-12);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/*
 * A leaf no training case reached (cover 0):
 *   0: f0 < 0 (cover 10) -> 1, 4 (leaf 2, cover 6)
 *   1: f1 < 0 (cover 4)  -> 2 (leaf 7, cover 0), 3 (leaf 1, cover 4)
 * v({}) = (4 * 1 + 6 * 2) / 10 = 1.6. XGBoost divides by the empty leaf's
 * zero fraction when the row passes it by (0/0, NaN); here it is skipped.
 */
static void test_zero_cover_leaf(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    memset(&f, 0, sizeof(f));
    f.n_features = 2;
    f.names[0] = "f0";
    f.names[1] = "f1";
    f.base_score = "5E-1";
    f.n_trees = 1;
    ttree *t = &f.tree[0];
    t->n = 5;
    t->node[0] = (tnode){.left = 1, .right = 4, .feature = 0, .threshold = 0, .cover = 10};
    t->node[1] = (tnode){.left = 2, .right = 3, .feature = 1, .threshold = 0, .cover = 4};
    t->node[2] = (tnode){.left = -1, .right = -1, .value = 7, .cover = 0};
    t->node[3] = (tnode){.left = -1, .right = -1, .value = 1, .cover = 4};
    t->node[4] = (tnode){.left = -1, .right = -1, .value = 2, .cover = 6};
    ph_model *m = load_forest(ctx, &f);
    double out[3];
    /* The row passes the empty leaf by: v({f0}) = 1, v({f1}) = 1.6, v(both) = 1. */
    contributions_of(m, (const float[]){-1.0f, 1.0f}, out);
    assert_near(out[0], -0.6, 1e-12);
    assert_near(out[1], 0.0, 1e-12);
    assert_near(out[2], 1.6, 1e-12);
    /* The row lands in it: v({f0}) = 7, v({f1}) = (4 * 7 + 12) / 10 = 4, v(both) = 7. */
    contributions_of(m, (const float[]){-1.0f, -1.0f}, out);
    assert_near(out[0], ((1.0 - 1.6) + (7.0 - 4.0)) / 2, 1e-12);
    assert_near(out[1], ((4.0 - 1.6) + (7.0 - 1.0)) / 2, 1e-12);
    assert_near(out[2], 1.6, 1e-12);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

static void test_base_margin_is_in_the_bias(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    one_split(&f, 1);
    f.base_score = "2.5E-1";
    ph_model *m = load_forest(ctx, &f);
    double out[3], margin;
    const float x[2] = {0.0f, 0.0f};
    contributions_of(m, x, out);
    ph_error err;
    ph_assert_ok(ph_model_margin_matrix(m, x, 1, &margin, &err), &err);
    /* logit(0.25) = -ln 3; XGBoost holds the base score in float32. */
    assert_near(out[2], 0.8 - log(3.0), 1e-6);
    assert_near(out[0] + out[1] + out[2], margin, 1e-12);
    assert_near(margin, -1.0 - log(3.0), 1e-6);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* ---- through a dataset, and reasons ------------------------------------------ */

/*
 * Two catalogue-free trees and a catalogue feature:
 *   tree 0: sales_growth_3m < 0 -> +1 (bad), else -0.5; covers 5 / 5; E = 0.25
 *   tree 1: custom_score < 10 -> -0.25, else +0.5, missing right; covers 5 / 5; E = 0.125
 * "spare" is never split on.
 */
static ph_model *reasons_model(const ph_ctx *ctx)
{
    tforest f;
    memset(&f, 0, sizeof(f));
    f.n_features = 3;
    f.names[0] = "spare";
    f.names[1] = "sales_growth_3m";
    f.names[2] = "custom_score";
    f.base_score = "5E-1";
    f.n_trees = 2;
    f.tree[0].n = 3;
    f.tree[0].node[0] = (tnode){.left = 1, .right = 2, .feature = 1, .threshold = 0,
                                .default_left = 0, .cover = 10};
    f.tree[0].node[1] = (tnode){.left = -1, .right = -1, .value = 1, .cover = 5};
    f.tree[0].node[2] = (tnode){.left = -1, .right = -1, .value = -0.5f, .cover = 5};
    f.tree[1].n = 3;
    f.tree[1].node[0] = (tnode){.left = 1, .right = 2, .feature = 2, .threshold = 10,
                                .default_left = 0, .cover = 10};
    f.tree[1].node[1] = (tnode){.left = -1, .right = -1, .value = -0.25f, .cover = 5};
    f.tree[1].node[2] = (tnode){.left = -1, .right = -1, .value = 0.5f, .cover = 5};
    return load_forest(ctx, &f);
}

/* Rows: 0 both adverse; 1 sales growing and score missing; 2 nothing adverse. */
static ph_dataset *reasons_data(const ph_ctx *ctx)
{
    ph_dataset *ds = NULL;
    ph_error err;
    ph_assert_ok(ph_dataset_new(ctx, 3, &ds, &err), &err);
    const double custom[3] = {12, NAN, 3};
    const double spare[3] = {1, 2, 3};
    const double growth[3] = {-0.42, 0.1, 0.3};
    ph_assert_ok(ph_dataset_add_numeric(ds, "custom_score", custom, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "spare", spare, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "sales_growth_3m", growth, &err), &err);
    return ds;
}

/* A value outside the catalogue reads rounded, at any size: never a cut
 * run of digits, never an exponent for a small value. */
static void test_reasons_round_any_number(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    memset(&f, 0, sizeof(f));
    f.n_features = 1;
    f.names[0] = "custom_score";
    f.base_score = "5E-1";
    f.n_trees = 1;
    f.tree[0].n = 3;
    f.tree[0].node[0] = (tnode){.left = 1, .right = 2, .feature = 0, .threshold = 1e-9f,
                                .default_left = 0, .cover = 10};
    f.tree[0].node[1] = (tnode){.left = -1, .right = -1, .value = -1, .cover = 5};
    f.tree[0].node[2] = (tnode){.left = -1, .right = -1, .value = 1, .cover = 5};
    ph_model *m = load_forest(ctx, &f);
    ph_dataset *ds = NULL;
    ph_error err;
    ph_assert_ok(ph_dataset_new(ctx, 5, &ds, &err), &err);
    const double values[5] = {1.23e20, 12345.678, 2.5, 0.0000123, 0.00582334};
    ph_assert_ok(ph_dataset_add_numeric(ds, "custom_score", values, &err), &err);
    ph_model_input *in = NULL;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    static const char *const expected[5] = {"custom_score is 1.23e+20", "custom_score is 12346",
                                            "custom_score is 2.5", "custom_score is 0.0000123",
                                            "custom_score is 0.00582"};
    for (size_t row = 0; row < 5; row++) {
        ph_reason r[1];
        size_t n = 0;
        ph_assert_ok(ph_model_reasons(in, row, 1, r, &n, &err), &err);
        assert_int_equal(n, 1);
        assert_string_equal(r[0].text, expected[row]);
    }
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* A one-hot column ("segment=farm", "segment=shop", as train-gbdt names
 * them) speaks as one reason: the column, the row's level and the summed
 * contribution of its levels. */
static void test_reasons_group_one_hot_levels(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    memset(&f, 0, sizeof(f));
    f.n_features = 3;
    f.names[0] = "segment=farm";
    f.names[1] = "segment=shop";
    f.names[2] = "x";
    f.base_score = "5E-1";
    f.n_trees = 2;
    f.tree[0].n = 3;
    f.tree[0].node[0] = (tnode){.left = 1, .right = 2, .feature = 0, .threshold = 0.5f,
                                .default_left = 0, .cover = 10};
    f.tree[0].node[1] = (tnode){.left = -1, .right = -1, .value = 0.5f, .cover = 5};
    f.tree[0].node[2] = (tnode){.left = -1, .right = -1, .value = -0.5f, .cover = 5};
    f.tree[1].n = 3;
    f.tree[1].node[0] = (tnode){.left = 1, .right = 2, .feature = 1, .threshold = 0.5f,
                                .default_left = 0, .cover = 10};
    f.tree[1].node[1] = (tnode){.left = -1, .right = -1, .value = -0.25f, .cover = 5};
    f.tree[1].node[2] = (tnode){.left = -1, .right = -1, .value = 0.25f, .cover = 5};
    ph_model *m = load_forest(ctx, &f);
    ph_dataset *ds = NULL;
    ph_error err;
    ph_assert_ok(ph_dataset_new(ctx, 2, &ds, &err), &err);
    const double farm[2] = {0, 1}, shop[2] = {1, 0}, x[2] = {3, 4};
    ph_assert_ok(ph_dataset_add_numeric(ds, "segment=farm", farm, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "segment=shop", shop, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "x", x, &err), &err);
    ph_model_input *in = NULL;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    ph_reason r[3];
    size_t n = 0;
    ph_assert_ok(ph_model_reasons(in, 0, 3, r, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].name, "segment");
    assert_string_equal(r[0].code, "segment");
    assert_string_equal(r[0].value, "shop");
    assert_near(r[0].impact, 0.75, 1e-12);
    assert_string_equal(r[0].text, "segment is shop");
    /* the same input gives the same reasons, every time */
    ph_reason again[3];
    size_t n2 = 0;
    ph_assert_ok(ph_model_reasons(in, 0, 3, again, &n2, &err), &err);
    assert_int_equal(n2, n);
    assert_memory_equal(&again[0], &r[0], sizeof(r[0]));
    ph_assert_ok(ph_model_reasons(in, 1, 3, r, &n, &err), &err);
    assert_int_equal(n, 0); /* a farm: both levels push towards good */
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

static void test_contributions_by_dataset(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = reasons_model(ctx);
    ph_dataset *ds = reasons_data(ctx);
    ph_model_input *in = NULL;
    ph_error err;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    double out[4];
    ph_assert_ok(ph_model_contributions(in, 0, out, &err), &err);
    assert_near(out[0], 0.0, 0.0);
    assert_near(out[1], 0.75, 1e-12);
    assert_near(out[2], 0.375, 1e-12);
    assert_near(out[3], 0.375, 1e-12);
    /* The same row through the matrix, in the model's column order. */
    double matrix[4];
    contributions_of(m, (const float[]){1.0f, -0.42f, 12.0f}, matrix);
    for (int j = 0; j < 4; j++)
        assert_near(out[j], matrix[j], 0.0);
    ph_assert_ok(ph_model_contributions(in, 1, out, &err), &err);
    assert_near(out[1], -0.75, 1e-12);
    assert_near(out[2], 0.375, 1e-12);

    ph_assert_error(ph_model_contributions(in, 3, out, &err), PH_EMISUSE, &err,
                    "row out of the dataset's range");
    ph_assert_error(ph_model_contributions(NULL, 0, out, &err), PH_EMISUSE, &err,
                    "ph_model_contributions: NULL argument");
    ph_assert_error(ph_model_contributions(in, 0, NULL, &err), PH_EMISUSE, &err,
                    "ph_model_contributions: NULL argument");
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

static void test_reasons_rank_positive_contributions(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = reasons_model(ctx);
    ph_dataset *ds = reasons_data(ctx);
    ph_model_input *in = NULL;
    ph_error err;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);

    ph_reason r[4];
    size_t n = 99;
    ph_assert_ok(ph_model_reasons(in, 0, 4, r, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(r[0].feature, 1);
    assert_string_equal(r[0].name, "sales_growth_3m");
    assert_string_equal(r[0].code, "sales_growth_3m");
    assert_string_equal(r[0].value, "-0.42");
    assert_near(r[0].impact, 0.75, 1e-12);
    char sentence[256];
    ph_assert_ok(ph_feature_reason((size_t)ph_feature_index("sales_growth_3m"), -0.42, sentence,
                                   sizeof(sentence), &err),
                 &err);
    assert_string_equal(r[0].text, sentence);
    assert_string_equal(r[0].text,
                        "invoiced sales fell by 42% over the last 3 months against the 3 "
                        "before");
    assert_int_equal(r[1].feature, 2);
    assert_string_equal(r[1].code, "custom_score");
    assert_string_equal(r[1].value, "12");
    assert_near(r[1].impact, 0.375, 1e-12);
    assert_string_equal(r[1].text, "custom_score is 12");

    /* k = 1 keeps the largest; a missing value is said so. */
    ph_assert_ok(ph_model_reasons(in, 1, 1, r, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].name, "custom_score");
    assert_string_equal(r[0].value, "");
    assert_string_equal(r[0].text, "custom_score is missing");

    /* Nothing pushes row 2 towards bad. */
    ph_assert_ok(ph_model_reasons(in, 2, 4, r, &n, &err), &err);
    assert_int_equal(n, 0);
    ph_assert_ok(ph_model_reasons(in, 0, 0, NULL, &n, &err), &err);
    assert_int_equal(n, 0);

    ph_assert_error(ph_model_reasons(in, 3, 1, r, &n, &err), PH_EMISUSE, &err,
                    "row out of the dataset's range");
    ph_assert_error(ph_model_reasons(in, 0, 1, NULL, &n, &err), PH_EMISUSE, &err,
                    "ph_model_reasons: NULL argument");
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* ---- errors ---------------------------------------------------------------------- */

static void test_contributions_matrix_errors(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    tforest f;
    one_split(&f, 1);
    ph_model *m = load_forest(ctx, &f);
    double out[3];
    const float x[2] = {0, 0};
    ph_error err;
    ph_assert_error(ph_model_contributions_matrix(NULL, x, 1, out, &err), PH_EMISUSE, &err,
                    "ph_model_contributions_matrix: NULL model");
    ph_assert_error(ph_model_contributions_matrix(m, NULL, 1, out, &err), PH_EMISUSE, &err,
                    "ph_model_contributions_matrix: NULL argument");
    ph_assert_error(ph_model_contributions_matrix(m, x, 1, NULL, &err), PH_EMISUSE, &err,
                    "ph_model_contributions_matrix: NULL argument");
    ph_assert_ok(ph_model_contributions_matrix(m, NULL, 0, NULL, &err), &err);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* A chain one level deeper than TreeSHAP walks: an error, not a stack overflow. */
static void test_too_deep_tree_is_refused(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    const int depth = 1025; /* MODEL_TREESHAP_MAX_DEPTH + 1 */
    sbuf b = {0};
    const char *arrays[] = {"left_children", "right_children", "parents", "split_indices",
                            "split_conditions", "default_left", "sum_hessian",
                            "base_weights", "loss_changes", "split_type"};
    const int n = 2 * depth + 1;
    sb_printf(&b, "{\"learner\": {\"attributes\": {}, \"feature_names\": [\"f0\"], "
                  "\"feature_types\": [\"float\"], \"gradient_booster\": {\"model\": "
                  "{\"gbtree_model_param\": {\"num_parallel_tree\": \"1\", \"num_trees\": "
                  "\"1\", \"size_leaf_vector\": \"0\"}, \"tree_info\": [0], \"trees\": [{"
                  "\"categories\": [], \"categories_nodes\": [], \"categories_segments\": [], "
                  "\"categories_sizes\": [], \"id\": 0, \"tree_param\": {\"num_deleted\": "
                  "\"0\", \"num_feature\": \"1\", \"num_nodes\": \"%d\", "
                  "\"size_leaf_vector\": \"0\"}",
              n);
    /* Node 2i splits into leaf 2i + 1 and the next split 2i + 2; node 2 depth is a leaf. */
    for (size_t a = 0; a < sizeof(arrays) / sizeof(arrays[0]); a++) {
        sb_printf(&b, ", \"%s\": [", arrays[a]);
        for (int i = 0; i < n; i++) {
            int split = i % 2 == 0 && i < n - 1;
            int parent = i == 0 ? 2147483647 : (i % 2 ? i - 1 : i - 2);
            const char *sep = i ? ", " : "";
            switch (a) {
            case 0: sb_printf(&b, "%s%d", sep, split ? i + 1 : -1); break;
            case 1: sb_printf(&b, "%s%d", sep, split ? i + 2 : -1); break;
            case 2: sb_printf(&b, "%s%d", sep, parent); break;
            case 4: sb_printf(&b, "%s%d", sep, split ? i : 1); break;
            case 6: sb_printf(&b, "%s%d", sep, n - i); break;
            default: sb_printf(&b, "%s0", sep); break;
            }
        }
        sb_printf(&b, "]");
    }
    sb_printf(&b, "}]}, \"name\": \"gbtree\"}, \"learner_model_param\": {\"base_score\": "
                  "\"5E-1\", \"boost_from_average\": \"1\", \"num_class\": \"0\", "
                  "\"num_feature\": \"1\", \"num_target\": \"1\"}, \"objective\": {\"name\": "
                  "\"binary:logistic\", \"reg_loss_param\": {\"scale_pos_weight\": \"1\"}}}, "
                  "\"version\": [1, 7, 4]}");
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(ph_model_load_memory(ctx, b.s, b.len, "deep.json", &m, &err), &err);
    free(b.s);
    const float x[1] = {0.5f};
    double out[2], margin;
    ph_assert_ok(ph_model_margin_matrix(m, x, 1, &margin, &err), &err);
    ph_assert_error(ph_model_contributions_matrix(m, x, 1, out, &err), PH_ERANGE, &err,
                    "field model, value 'deep.json': TreeSHAP handles trees up to 1024 levels "
                    "deep; this model has a deeper tree");
    ph_model_free(m);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_xgboost_forests_match_brute_force),
        cmocka_unit_test(test_random_lightgbm_forests_match_brute_force),
        cmocka_unit_test(test_missing_value_goes_the_default_way),
        cmocka_unit_test(test_single_leaf_tree_is_all_bias),
        cmocka_unit_test(test_feature_split_twice_on_a_path),
        cmocka_unit_test(test_zero_cover_leaf),
        cmocka_unit_test(test_base_margin_is_in_the_bias),
        cmocka_unit_test(test_contributions_by_dataset),
        cmocka_unit_test(test_reasons_rank_positive_contributions),
        cmocka_unit_test(test_reasons_round_any_number),
        cmocka_unit_test(test_reasons_group_one_hot_levels),
        cmocka_unit_test(test_contributions_matrix_errors),
        cmocka_unit_test(test_too_deep_tree_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
