/*
 * Exact TreeSHAP for the forest (Lundberg, Erion & Lee 2018, "Consistent
 * Individualized Feature Attribution for Tree Ensembles", Algorithm 2, the
 * path-dependent form), with the node covers as the weights, as XGBoost's
 * pred_contribs computes it.
 *
 * The game: for a set S of "known" features, v(S) is the tree's output when
 * every split on a feature of S follows the row and every other split blends
 * its two children in proportion to their covers. The Shapley values of that
 * game sum to v(all) - v(none) = f(x) - E[f], so with the bias E[f] the
 * entries sum to the margin.
 *
 * One depth-first walk per tree keeps, for the path from the root, one step
 * per distinct feature split on it: the share of cover that flows down the
 * path when the feature is unknown ("zero" fraction), whether the row itself
 * flows down it ("one" fraction, 0 or 1), and the permutation weights of the
 * subsets of each size. A leaf credits each feature of its path in O(depth)
 * (so O(depth^2) per leaf). A feature split twice on the path is unwound
 * (its step removed) and extended again with the product of its fractions.
 *
 * The scratch buffer holds one copy of the path per tree level: the walk of a
 * node at depth d reads its parent's copy (level d - 1) and writes level d,
 * so both children of a node start from the same parent path and nothing is
 * allocated per row. Level d starts at d(d+1)/2 and holds up to d + 1 steps.
 *
 * The tree's expected value (the bias) is the sum over leaves of the leaf
 * value times the product of the cover ratios on its path; the walk visits
 * every leaf, so it is accumulated on the way rather than stored in the model.
 */
#include <stdint.h>
#include <string.h>

#include "model_internal.h"

/* One distinct feature on the root-to-node path. `weight` belongs to the
 * position, not to the feature: the weight of step i is the summed
 * permutation weight of the subsets of size i of the path's features. */
typedef struct shap_step {
    double zero;      /* cover share down the path when the feature is unknown */
    double one;       /* 1 when the row goes down the path at every split on it, else 0 */
    double weight;
    uint32_t feature; /* UINT32_MAX for step 0, which stands for the root (no feature) */
} shap_step;

/* The walk of one row. `inv[i]` is 1/i, filled as deep as the walk has gone
 * (a multiplication instead of a division on the leaf's dependency chain). */
typedef struct shap_walk {
    const model_forest *forest;
    const model_tree *tree;
    const float *x;
    double *phi;
    double *inv;
    uint32_t inv_ready; /* inv[1 .. inv_ready - 1] are filled */
    shap_step *levels;
    double expected; /* this tree's cover-weighted mean, summed at the leaves */
} shap_walk;

/*
 * The path one level down: `parent`'s `len` steps plus a step for the split
 * that led here, written into `path`. A subset of size i of the new path
 * either leaves the new feature out (a subset of size i of the parent, cover
 * side, weight times zero) or holds it (size i - 1 of the parent, row side,
 * weight times one), each scaled to the new permutation count:
 *   w'_i = (zero (len - i) w_i + one i w_{i-1}) / (len + 1).
 * Writing a fresh level from the parent's costs no more than copying it and
 * extending in place, and has no dependency chain.
 */
static void path_extend(const double *inv, shap_step *path, const shap_step *parent,
                        uint32_t len, double zero, double one, uint32_t feature)
{
    path[len].zero = zero;
    path[len].one = one;
    path[len].feature = feature;
    if (len == 0) {
        path[0].weight = 1.0;
        return;
    }
    const double zero_n = zero * inv[len + 1];
    for (uint32_t i = 0; i < len; i++) {
        path[i].zero = parent[i].zero;
        path[i].one = parent[i].one;
        path[i].feature = parent[i].feature;
        path[i].weight = zero_n * (double)(len - i) * parent[i].weight;
    }
    path[len].weight = 0.0;
    if (one != 0.0) {
        const double one_n = one * inv[len + 1];
        for (uint32_t i = 1; i <= len; i++)
            path[i].weight += one_n * (double)i * parent[i - 1].weight;
    }
}

/*
 * A step's feature is credited with (one - zero) times the leaf value times
 * the sum of the weights the path would have without that step (path_extend
 * undone; d = len - 1 below). A step's row fraction is exactly 0 or 1 (a
 * product of 0s and 1s), so:
 *   - for a row-side step (one == 1) the extension is undone from the
 *     largest subset size down, which depends on its zero fraction:
 *     unwound_sum_hot returns the sum;
 *   - for a cover-side step (one == 0) the sum is (d + 1) sum_i w_i / (d - i)
 *     divided by its zero fraction: cold_sum returns the part before the
 *     division, the same for every such step, so a leaf computes it once.
 */
static double unwound_sum_hot(const double *inv, const shap_step *path, uint32_t len,
                              double zero)
{
    const uint32_t d = len - 1;
    double total = 0.0;
    double rest = path[d].weight;
    for (uint32_t i = d; i > 0; i--) {
        double w = rest * inv[i];
        total += w;
        rest = path[i - 1].weight - zero * w * (double)(d - i + 1);
    }
    return total * (double)(d + 1);
}

static double cold_sum(const double *inv, const shap_step *path, uint32_t len)
{
    const uint32_t d = len - 1;
    double total = 0.0;
    for (uint32_t i = 0; i < d; i++)
        total += path[i].weight * inv[d - i];
    return total * (double)(d + 1);
}

/* Remove step k from a path of `len` steps, in place (the same inversion as
 * above, keeping each weight). */
static void path_unwind(const double *inv, shap_step *path, uint32_t len, uint32_t k)
{
    const uint32_t d = len - 1;
    const double n = (double)(d + 1);
    const double zero = path[k].zero;
    if (path[k].one != 0.0) {
        double rest = path[d].weight;
        for (uint32_t i = d; i > 0; i--) {
            double w = rest * n * inv[i];
            rest = path[i - 1].weight - zero * w * (double)(d - i + 1) * inv[d + 1];
            path[i - 1].weight = w;
        }
    } else {
        const double n_zero = n / zero;
        for (uint32_t i = 0; i < d; i++)
            path[i].weight *= n_zero * inv[d - i];
    }
    for (uint32_t i = k; i < d; i++) {
        path[i].zero = path[i + 1].zero;
        path[i].one = path[i + 1].one;
        path[i].feature = path[i + 1].feature;
    }
}

/* Credit each feature of the path with its share of a leaf's value: the
 * unwound sum times (one - zero). */
static void leaf_credit(shap_walk *w, const shap_step *path, uint32_t len, double value)
{
    double cold = 0.0;
    int cold_known = 0;
    for (uint32_t k = 1; k < len; k++) {
        double zero = path[k].zero;
        double share;
        if (path[k].one != 0.0) {
            if (zero == 1.0)
                continue; /* one - zero == 0 */
            share = unwound_sum_hot(w->inv, path, len, zero) * (1.0 - zero);
        } else {
            if (!cold_known) {
                cold = cold_sum(w->inv, path, len);
                cold_known = 1;
            }
            share = -cold; /* (cold / zero) * (0 - zero) */
        }
        w->phi[path[k].feature] += share * value;
    }
}

/*
 * Walk the subtree of `node` at tree depth `depth`, arriving from a parent
 * path of `parent_len` steps with the fractions of the split that led here.
 * `reach` is the product of the cover ratios from the root (for the bias).
 */
static void walk(shap_walk *w, uint32_t node, uint32_t depth, const shap_step *parent,
                 uint32_t parent_len, double zero, double one, uint32_t feature, double reach)
{
    const model_tree *t = w->tree;
    /* This path has at most depth + 1 steps: 1/i up to depth + 1 is needed. */
    while (w->inv_ready <= depth + 1) {
        w->inv[w->inv_ready] = 1.0 / (double)w->inv_ready;
        w->inv_ready++;
    }
    shap_step *path = w->levels + (size_t)depth * (depth + 1) / 2;
    path_extend(w->inv, path, parent, parent_len, zero, one, feature);
    uint32_t len = parent_len + 1;

    if (t->left[node] < 0) {
        w->expected += reach * t->value[node];
        leaf_credit(w, path, len, t->value[node]);
        return;
    }

    uint32_t split = t->feature[node];
    int left = model_goes_left(w->forest, t, node, (double)w->x[split]);
    uint32_t hot = (uint32_t)(left ? t->left[node] : t->right[node]);
    uint32_t cold = (uint32_t)(left ? t->right[node] : t->left[node]);

    /* A feature split on again: fold its earlier step into this split. */
    double in_zero = 1.0, in_one = 1.0;
    for (uint32_t k = 1; k < len; k++) {
        if (path[k].feature == split) {
            in_zero = path[k].zero;
            in_one = path[k].one;
            path_unwind(w->inv, path, len, k);
            len--;
            break;
        }
    }

    /* A zero-cover node gives its children a zero share, not a NaN. */
    double cover = t->cover[node];
    double hot_share = cover > 0.0 ? t->cover[hot] / cover : 0.0;
    double cold_share = cover > 0.0 ? t->cover[cold] / cover : 0.0;

    /* A child reached neither by the row nor by any cover adds nothing, and
     * unwinding its step would divide by its zero fraction: skip it. */
    if (in_zero * hot_share != 0.0 || in_one != 0.0)
        walk(w, hot, depth + 1, path, len, in_zero * hot_share, in_one, split,
             reach * hot_share);
    if (in_zero * cold_share != 0.0)
        walk(w, cold, depth + 1, path, len, in_zero * cold_share, 0.0, split,
             reach * cold_share);
}

/* The scratch buffer: the reciprocal table (fixed size, so the walk can
 * find the levels without knowing the depth), then the path levels. */
enum { INV_SLOTS = MODEL_TREESHAP_MAX_DEPTH + 2 };

size_t model_treeshap_scratch_size(const ph_model *m)
{
    /* max_depth is measured by the loaders' shape check (model_tree_shape),
     * which also guarantees the walk ends: every node is reached once. */
    const model_forest *f = m->forest;
    uint32_t deepest = 0;
    for (size_t i = 0; i < f->n_trees; i++) {
        if (f->trees[i].max_depth > MODEL_TREESHAP_MAX_DEPTH)
            return 0;
        if (f->trees[i].max_depth > deepest)
            deepest = f->trees[i].max_depth;
    }
    /* Levels 0..deepest, level d holding d + 1 steps. No overflow: deepest
     * is at most MODEL_TREESHAP_MAX_DEPTH. */
    size_t steps = ((size_t)deepest + 1) * ((size_t)deepest + 2) / 2;
    return INV_SLOTS * sizeof(double) + steps * sizeof(shap_step);
}

void model_treeshap_row(const ph_model *m, const float *x, double *out, void *scratch)
{
    const model_forest *f = m->forest;
    const size_t nf = m->n_features;
    memset(out, 0, (nf + 1) * sizeof(*out));
    double bias = f->base_margin;
    shap_walk w = {
        .forest = f,
        .x = x,
        .phi = out,
        .inv = scratch,
        .inv_ready = 1,
        .levels = (shap_step *)((double *)scratch + INV_SLOTS),
    };
    for (size_t i = 0; i < f->n_trees; i++) {
        if (f->trees[i].n_nodes == 0)
            continue;
        w.tree = &f->trees[i];
        w.expected = 0.0;
        walk(&w, 0, 0, NULL, 0, 1.0, 1.0, UINT32_MAX, 1.0);
        bias += w.expected;
    }
    out[nf] = bias;
}
