/*
 * The batch scorer of tree models: margins of many float32 rows.
 *
 * At load time each tree is laid out as a PERFECT binary tree of its own
 * depth (node i has children 2i+1 and 2i+2; a leaf above the bottom is
 * pushed down through padding nodes that always go left, and its value is
 * stored at the leftmost bottom slot). Descent then needs no branch and no
 * child array: i = 2i + 1 + goes_right, depth times, and the leaf is
 * leaves[i - (2^depth - 1)].
 *
 * Every split becomes one test, "go right when x >= t" on float32, plus
 * where NaN goes:
 *   - XGBoost (x < t goes left): t is the float32 threshold itself;
 *   - LightGBM ((double)x <= thr goes left): t is the float32 just above the
 *     largest float32 <= thr, since for a float x, x <= thr <=> x < t;
 *   - NaN takes the default direction (LightGBM's missing type None sends it
 *     where 0.0 goes, a fixed direction known at load time).
 * A split that cannot be put so (LightGBM's missing type Zero when 0.0 and
 * the default part ways, a threshold of +inf) and trees deeper than
 * FP_MAX_DEPTH are scored by the plain walk over model_goes_left instead:
 * the compiled form is only ever a faster way to the same answer.
 *
 * Rows are scored in blocks: for one tree, level by level, every row of the
 * block takes one step, so the CPU overlaps the independent descents. Margins
 * are summed in double, tree by tree in order, so the result does not depend
 * on the block size.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "model_internal.h"

/* Deeper trees would cost 2^depth nodes each when padded; they are walked. */
#define FP_MAX_DEPTH 12
/* Rows descending a tree together: enough independent work to hide the
 * latency of each step, few enough that the block stays in L1. */
#define FP_BLOCK 64
#define FP_DEFAULT_RIGHT 0x80000000u

/* One split: go right when x >= threshold, or when x is NaN and the
 * FP_DEFAULT_RIGHT bit of `word` is set; the other bits are the feature. */
typedef struct fp_node {
    float threshold;
    uint32_t word;
} fp_node;

typedef struct fp_tree {
    uint32_t depth;      /* levels of splits; 0 for a single leaf */
    int walk;            /* 1: not compiled, use the plain walk */
    size_t node_offset;  /* into fp_forest.nodes: 2^depth - 1 nodes */
    size_t leaf_offset;  /* into fp_forest.leaves: 2^depth leaves */
} fp_tree;

typedef struct fp_forest {
    fp_tree *trees;
    fp_node *nodes;
    double *leaves;
} fp_forest;

/* ---- compiling ----------------------------------------------------------- */

/*
 * Node n as one float test. Returns 0 when it cannot be (the tree is then
 * walked). The results equal model_goes_left's for every float input.
 */
static int compile_split(const model_forest *f, const model_tree *t, uint32_t n, fp_node *out)
{
    double thr = t->threshold[n];
    float cut;
    if (!f->split_le) {
        /* x < thr: thr is a float32 already (the loader rounded it). */
        cut = (float)thr;
        if (isnan(thr) || (double)cut != thr)
            return 0;
    } else if (isnan(thr)) {
        cut = -INFINITY; /* x <= NaN never holds: every number goes right */
    } else if (thr == INFINITY) {
        return 0; /* every number goes left, inf included: no float cut says that */
    } else {
        float below = (float)thr; /* the largest float <= thr */
        if ((double)below > thr)
            below = nextafterf(below, -INFINITY);
        cut = nextafterf(below, INFINITY);
    }
    int default_left = t->default_left[n];
    if (t->missing[n] != MODEL_MISSING_DEFAULT) {
        /* Where 0.0 goes by the comparison. */
        int zero_left = f->split_le ? 0.0 <= thr : 0.0 < thr;
        if (t->missing[n] == MODEL_MISSING_AS_ZERO)
            default_left = zero_left;
        else if (zero_left != default_left)
            return 0; /* MODEL_MISSING_ZERO: 0.0 must take the default, not its side */
    }
    out->threshold = cut;
    out->word = t->feature[n] | (default_left ? 0 : FP_DEFAULT_RIGHT);
    return 1;
}

/*
 * Lay out the subtree of `node` at slot `slot` of a perfect tree of `depth`
 * levels, `level` being the slot's level. Returns 0 when a split cannot be
 * compiled. Recursion depth is at most FP_MAX_DEPTH.
 */
static int place(const model_forest *f, const model_tree *t, uint32_t node, uint32_t slot,
                 uint32_t level, uint32_t depth, fp_node *nodes, double *leaves)
{
    uint32_t first_leaf = (1u << depth) - 1;
    if (t->left[node] >= 0) {
        if (!compile_split(f, t, node, &nodes[slot]))
            return 0;
        return place(f, t, (uint32_t)t->left[node], 2 * slot + 1, level + 1, depth, nodes,
                     leaves) &&
               place(f, t, (uint32_t)t->right[node], 2 * slot + 2, level + 1, depth, nodes,
                     leaves);
    }
    /* A leaf: padding nodes down to the bottom, each always going left
     * (x >= NaN is false for every x, and NaN goes left). */
    for (; level < depth; level++) {
        nodes[slot].threshold = NAN;
        nodes[slot].word = 0;
        slot = 2 * slot + 1;
    }
    leaves[slot - first_leaf] = t->value[node];
    return 1;
}

void model_forest_compiled_free(const ph_ctx *ctx, void *compiled)
{
    fp_forest *c = compiled;
    if (!c)
        return;
    ph_free(ctx, c->trees);
    ph_free(ctx, c->nodes);
    ph_free(ctx, c->leaves);
    ph_free(ctx, c);
}

ph_status model_forest_compile(const ph_ctx *ctx, ph_model *m, ph_error *err)
{
    model_forest *f = m->forest;
    fp_forest *c = ph_calloc(ctx, 1, sizeof(*c));
    if (!c || !(c->trees = ph_calloc(ctx, f->n_trees ? f->n_trees : 1, sizeof(fp_tree)))) {
        ph_free(ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory compiling a forest");
    }
    /* The feature index must leave the FP_DEFAULT_RIGHT bit free. */
    int compilable = m->n_features < FP_DEFAULT_RIGHT;
    size_t n_nodes = 0, n_leaves = 0;
    for (size_t i = 0; i < f->n_trees; i++) {
        fp_tree *ct = &c->trees[i];
        ct->depth = f->trees[i].max_depth;
        ct->walk = !compilable || ct->depth > FP_MAX_DEPTH;
        if (ct->walk)
            continue;
        ct->node_offset = n_nodes;
        ct->leaf_offset = n_leaves;
        n_nodes += ((size_t)1 << ct->depth) - 1;
        n_leaves += (size_t)1 << ct->depth;
    }
    c->nodes = ph_calloc(ctx, n_nodes ? n_nodes : 1, sizeof(fp_node));
    c->leaves = ph_calloc(ctx, n_leaves ? n_leaves : 1, sizeof(double));
    if (!c->nodes || !c->leaves) {
        model_forest_compiled_free(ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory compiling a forest");
    }
    for (size_t i = 0; i < f->n_trees; i++) {
        fp_tree *ct = &c->trees[i];
        if (!ct->walk && !place(f, &f->trees[i], 0, 0, 0, ct->depth, c->nodes + ct->node_offset,
                                c->leaves + ct->leaf_offset))
            ct->walk = 1;
    }
    model_forest_compiled_free(ctx, f->compiled);
    f->compiled = c;
    return PH_OK;
}

/* ---- scoring ------------------------------------------------------------- */

static double walk_tree(const model_forest *f, const model_tree *t, const float *row)
{
    uint32_t n = 0;
    while (t->left[n] >= 0)
        n = (uint32_t)(model_goes_left(f, t, n, (double)row[t->feature[n]]) ? t->left[n]
                                                                              : t->right[n]);
    return t->value[n];
}

/* Add tree `ct`'s leaf value for `rows` rows (<= FP_BLOCK) to acc. */
static void descend_block(const fp_forest *c, const fp_tree *ct, const float *x, size_t nf,
                          size_t rows, double *acc)
{
    const fp_node *nodes = c->nodes + ct->node_offset;
    const double *leaves = c->leaves + ct->leaf_offset;
    uint32_t at[FP_BLOCK];
    for (size_t r = 0; r < rows; r++)
        at[r] = 0;
    for (uint32_t level = 0; level < ct->depth; level++) {
        for (size_t r = 0; r < rows; r++) {
            fp_node node = nodes[at[r]];
            float v = x[r * nf + (node.word & ~FP_DEFAULT_RIGHT)];
            /* Right when v >= t; a NaN fails every comparison, so it goes
             * right only through the default bit. */
            uint32_t right = (uint32_t)(v >= node.threshold) |
                             ((uint32_t)(v != v) & (node.word >> 31));
            at[r] = 2 * at[r] + 1 + right;
        }
    }
    uint32_t first_leaf = (1u << ct->depth) - 1;
    for (size_t r = 0; r < rows; r++)
        acc[r] += leaves[at[r] - first_leaf];
}

ph_status model_forest_margin(const ph_model *m, const float *x, size_t rows, double *margin,
                              ph_error *err)
{
    const model_forest *f = m->forest;
    const fp_forest *c = f->compiled;
    size_t nf = m->n_features;
    if (!c)
        return ph_error_set(err, PH_EMISUSE, "model", m->source,
                            "the forest was not compiled (model_forest_compile)");
    for (size_t first = 0; first < rows; first += FP_BLOCK) {
        size_t n = rows - first < FP_BLOCK ? rows - first : FP_BLOCK;
        const float *block = x + first * nf;
        double acc[FP_BLOCK];
        for (size_t r = 0; r < n; r++)
            acc[r] = f->base_margin;
        for (size_t i = 0; i < f->n_trees; i++) {
            const fp_tree *ct = &c->trees[i];
            if (!ct->walk) {
                descend_block(c, ct, block, nf, n, acc);
                continue;
            }
            for (size_t r = 0; r < n; r++)
                acc[r] += walk_tree(f, &f->trees[i], block + r * nf);
        }
        memcpy(margin + first, acc, n * sizeof(double));
    }
    return PH_OK;
}
