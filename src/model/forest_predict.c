/*
 * The batch scorer of tree models: margins of many float32 rows.
 *
 * At load time each shallow, bushy tree is laid out as a PERFECT binary
 * tree of its own depth (node i has children 2i+1 and 2i+2; a leaf above
 * the bottom is pushed down through padding nodes that always go left, and
 * its value is stored at the leftmost bottom slot). Descent then needs no
 * branch and no child array: i = 2i + 1 + goes_right, depth times. The
 * padding costs 2^(depth+1) - 1 slots whatever the tree's size, so a tree
 * for which that is more than FP_PAD_RATIO slots per node of its own (a
 * chain 12 deep: 8191 slots for 25 nodes) is laid out COMPACT instead: its
 * nodes as the loader gave them, each with its two children, a leaf being
 * a node whose children are itself; the descent is the same depth steps of
 * i = child[i][goes_right], so memory stays proportional to the model.
 *
 * Every split becomes one unsigned test on an order-preserving integer KEY
 * of the float (see float_key): go right when key(x) >= lo, lo being the
 * key of the float cut c such that a number goes right exactly when x >= c:
 *   - XGBoost (x < t goes left): c is the float32 threshold itself;
 *   - LightGBM ((double)x <= thr goes left): c is the float just above the
 *     largest float <= thr, since for a float x, x <= thr <=> x < c.
 * Each row's values are keyed twice: once with NaN below every number (it
 * fails every test: goes left) and once above (goes right). A node reads
 * the copy of its default direction, so the same comparison routes the
 * missing value (LightGBM's missing type None sends NaN where 0.0 goes, a
 * direction fixed at load time). A split that cannot be put so (LightGBM's
 * missing type Zero when 0.0 and the default part ways, a threshold of
 * +inf) and trees deeper than FP_MAX_DEPTH are scored by the plain walk over
 * model_goes_left instead: the compiled form is only ever a faster way to
 * the same answer, which tests/test_model_*.c check on adversarial rows.
 *
 * Rows are scored in blocks of FP_BLOCK: the block's values are turned into
 * keys once, stored feature-major (so a node's feature and default are an
 * offset and a row is a constant displacement), then for each tree FP_LANES rows descend
 * together, level by level, so the CPU overlaps their independent steps.
 * The margin is summed tree by tree in order (float32 when the forest says
 * sum_float, as XGBoost does; else double), so the result does not depend on
 * the block size.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "model_internal.h"

/* Deeper trees are walked: a descent of `depth` steps for every row would
 * cost more than the walk's path of its own length. */
#define FP_MAX_DEPTH 12
/* A tree is padded to a perfect tree only while that takes at most this
 * many slots per node of the tree; otherwise it is laid out compact. */
#define FP_PAD_RATIO 4
/* Rows whose keys are made at once: amortises the conversion over the trees
 * while the block (features x FP_BLOCK keys) stays near L1. */
#define FP_BLOCK 64
/* Rows descending a tree together, each in a register (descend_lanes). */
#define FP_LANES 8
_Static_assert(FP_LANES == 8 && FP_BLOCK % FP_LANES == 0,
               "descend_lanes is written for 8 lanes, and a block holds whole lane groups");

/* Keys: floats ordered as unsigned integers, from 0x007FFFFF (-inf) to
 * 0xFF800000 (+inf); +0 and -0 share one key. NaN is KEY_NAN_LEFT or
 * KEY_NAN_RIGHT, below or above them all; no value has KEY_NEVER. */
#define KEY_NAN_LEFT 0u
#define KEY_NAN_RIGHT 0xFFFFFFFEu
#define KEY_NEVER 0xFFFFFFFFu

/* One split: right when key >= lo, the key being at `offset` in the
 * feature-major key block: (column + (NaN goes right ? columns : 0)) *
 * FP_BLOCK, the columns being the features the compiled splits use. */
typedef struct fp_node {
    uint32_t lo;
    uint32_t offset;
} fp_node;

/* A node of a compact tree: right when key >= lo, as fp_node; a leaf has
 * lo = KEY_NEVER and both children itself, so extra steps stay on it. */
typedef struct fp_cnode {
    uint32_t lo;
    uint32_t offset;
    uint32_t child[2];
} fp_cnode;

typedef struct fp_tree {
    uint32_t depth;      /* levels of splits; 0 for a single leaf */
    uint8_t walk;        /* 1: not compiled, use the plain walk */
    uint8_t compact;     /* 1: fp_forest.cnodes, as the model's nodes; 0: padded */
    size_t node_offset;  /* padded: into fp_forest.nodes, 2^depth - 1 nodes;
                          * compact: into fp_forest.cnodes, n_nodes nodes */
    size_t leaf_offset;  /* into fp_forest.leaves: padded 2^depth leaves, compact
                          * n_nodes values (by node) */
} fp_tree;

typedef struct fp_forest {
    fp_tree *trees;
    fp_node *nodes;
    fp_cnode *cnodes;
    double *leaves;
    uint32_t *used;  /* the model features the compiled splits read, one key column each */
    size_t n_used;
} fp_forest;

/* The key of a number (not NaN). */
static uint32_t float_key(float v)
{
    uint32_t bits;
    if (v == 0.0f)
        v = 0.0f; /* -0 compares equal to +0: one key */
    memcpy(&bits, &v, sizeof(bits));
    return bits & 0x80000000u ? ~bits : bits | 0x80000000u;
}

/* ---- compiling ----------------------------------------------------------- */

/*
 * Node n as a key interval. Returns 0 when it cannot be (the tree is then
 * walked). The results equal model_goes_left's for every float input.
 */
static int compile_split(const model_forest *f, const model_tree *t, uint32_t n,
                         const uint32_t *column, uint32_t n_used, fp_node *out)
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
    out->lo = float_key(cut);
    out->offset = (column[t->feature[n]] + (default_left ? 0 : n_used)) * FP_BLOCK;
    return 1;
}

/*
 * Lay out the subtree of `node` at slot `slot` of a perfect tree of `depth`
 * levels, `level` being the slot's level. Returns 0 when a split cannot be
 * compiled. Recursion depth is at most FP_MAX_DEPTH.
 */
typedef struct fp_layout {
    fp_node *nodes;
    double *leaves;
    uint32_t depth;
    const uint32_t *column; /* model feature -> key column */
    uint32_t n_used;
} fp_layout;

static int place(const model_forest *f, const model_tree *t, uint32_t node, uint32_t slot,
                 uint32_t level, const fp_layout *out)
{
    if (t->left[node] >= 0) {
        if (!compile_split(f, t, node, out->column, out->n_used, &out->nodes[slot]))
            return 0;
        return place(f, t, (uint32_t)t->left[node], 2 * slot + 1, level + 1, out) &&
               place(f, t, (uint32_t)t->right[node], 2 * slot + 2, level + 1, out);
    }
    /* A leaf: padding nodes down to the bottom, each always going left (no
     * value has the key KEY_NEVER). */
    for (; level < out->depth; level++) {
        out->nodes[slot] = (fp_node){KEY_NEVER, 0};
        slot = 2 * slot + 1;
    }
    out->leaves[slot - ((1u << out->depth) - 1)] = t->value[node];
    return 1;
}

/*
 * Lay out the subtree of `node` of a compact tree (nodes already all
 * self-looping leaves). Returns 0 when a split cannot be compiled.
 * Recursion depth is at most FP_MAX_DEPTH.
 */
typedef struct fp_clayout {
    fp_cnode *nodes;
    const uint32_t *column;
    uint32_t n_used;
} fp_clayout;

static int place_compact(const model_forest *f, const model_tree *t, uint32_t node,
                         const fp_clayout *out)
{
    if (t->left[node] < 0)
        return 1;
    fp_node split;
    if (!compile_split(f, t, node, out->column, out->n_used, &split))
        return 0;
    fp_cnode *cn = &out->nodes[node];
    *cn = (fp_cnode){split.lo, split.offset, {(uint32_t)t->left[node], (uint32_t)t->right[node]}};
    return place_compact(f, t, cn->child[0], out) && place_compact(f, t, cn->child[1], out);
}

static int lay_out_compact(const model_forest *f, const model_tree *t, const fp_tree *ct,
                           fp_forest *c, const uint32_t *column)
{
    fp_cnode *nodes = c->cnodes + ct->node_offset;
    double *leaves = c->leaves + ct->leaf_offset;
    for (uint32_t n = 0; n < t->n_nodes; n++) {
        nodes[n] = (fp_cnode){KEY_NEVER, 0, {n, n}};
        leaves[n] = t->value[n];
    }
    fp_clayout out = {nodes, column, (uint32_t)c->n_used};
    return t->n_nodes > 0 && place_compact(f, t, 0, &out);
}

/* Does padding tree t to a perfect tree of its depth (at most FP_MAX_DEPTH)
 * cost too much? */
static int pad_too_costly(const model_tree *t, uint32_t depth)
{
    size_t slots = ((size_t)2 << depth) - 1; /* inner nodes and leaves */
    return slots / FP_PAD_RATIO > (size_t)t->n_nodes;
}

void model_forest_compiled_free(const ph_ctx *ctx, void *compiled)
{
    fp_forest *c = compiled;
    if (!c)
        return;
    ph_free(ctx, c->trees);
    ph_free(ctx, c->nodes);
    ph_free(ctx, c->cnodes);
    ph_free(ctx, c->leaves);
    ph_free(ctx, c->used);
    ph_free(ctx, c);
}

/*
 * Number the features that the trees to compile split on (key columns
 * 0..n_used-1): a model with thousands of features, few of them used, keys
 * only those. Returns 0 when out of memory.
 */
static int number_columns(const ph_ctx *ctx, const model_forest *f, size_t n_features,
                          fp_forest *c, uint32_t *column)
{
    c->used = ph_malloc(ctx, (n_features ? n_features : 1) * sizeof(uint32_t));
    if (!c->used)
        return 0;
    for (size_t j = 0; j < n_features; j++)
        column[j] = UINT32_MAX;
    for (size_t i = 0; i < f->n_trees; i++) {
        const model_tree *t = &f->trees[i];
        for (uint32_t n = 0; !c->trees[i].walk && n < t->n_nodes; n++) {
            if (t->left[n] >= 0 && column[t->feature[n]] == UINT32_MAX) {
                column[t->feature[n]] = (uint32_t)c->n_used;
                c->used[c->n_used++] = t->feature[n];
            }
        }
    }
    return 1;
}

ph_status model_forest_compile(const ph_ctx *ctx, ph_model *m, ph_error *err)
{
    model_forest *f = m->forest;
    fp_forest *c = ph_calloc(ctx, 1, sizeof(*c));
    if (!c || !(c->trees = ph_calloc(ctx, f->n_trees ? f->n_trees : 1, sizeof(fp_tree)))) {
        ph_free(ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory compiling a forest");
    }
    size_t n_nodes = 0, n_cnodes = 0, n_leaves = 0;
    for (size_t i = 0; i < f->n_trees; i++) {
        c->trees[i].depth = f->trees[i].max_depth;
        c->trees[i].walk = c->trees[i].depth > FP_MAX_DEPTH;
        c->trees[i].compact =
            !c->trees[i].walk && pad_too_costly(&f->trees[i], c->trees[i].depth);
    }
    uint32_t *column = ph_malloc(ctx, (m->n_features ? m->n_features : 1) * sizeof(uint32_t));
    if (!column || !number_columns(ctx, f, m->n_features, c, column)) {
        ph_free(ctx, column);
        model_forest_compiled_free(ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory compiling a forest");
    }
    /* A node's offset (< 2 * columns * FP_BLOCK) must fit its 32 bits. */
    int compilable = c->n_used <= UINT32_MAX / FP_BLOCK / 2;
    for (size_t i = 0; i < f->n_trees; i++) {
        fp_tree *ct = &c->trees[i];
        ct->walk |= !compilable;
        if (ct->walk)
            continue;
        ct->leaf_offset = n_leaves;
        if (ct->compact) {
            ct->node_offset = n_cnodes;
            n_cnodes += f->trees[i].n_nodes;
            n_leaves += f->trees[i].n_nodes;
        } else {
            ct->node_offset = n_nodes;
            n_nodes += ((size_t)1 << ct->depth) - 1;
            n_leaves += (size_t)1 << ct->depth;
        }
    }
    c->nodes = ph_calloc(ctx, n_nodes ? n_nodes : 1, sizeof(fp_node));
    c->cnodes = ph_malloc(ctx, (n_cnodes ? n_cnodes : 1) * sizeof(fp_cnode));
    c->leaves = ph_calloc(ctx, n_leaves ? n_leaves : 1, sizeof(double));
    if (!c->nodes || !c->cnodes || !c->leaves) {
        ph_free(ctx, column);
        model_forest_compiled_free(ctx, c);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory compiling a forest");
    }
    for (size_t i = 0; i < f->n_trees; i++) {
        fp_tree *ct = &c->trees[i];
        fp_layout out = {c->nodes + ct->node_offset, c->leaves + ct->leaf_offset, ct->depth,
                         column, (uint32_t)c->n_used};
        if (ct->walk)
            continue;
        if (ct->compact ? !lay_out_compact(f, &f->trees[i], ct, c, column)
                        : !place(f, &f->trees[i], 0, 0, 0, &out))
            ct->walk = 1;
    }
    ph_free(ctx, column);
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

/* The keys of `rows` rows (<= FP_BLOCK) of the used features, column-major:
 * keys[j * FP_BLOCK + r] with NaN going left, keys[(n_used + j) * FP_BLOCK +
 * r] with NaN going right. Rows past `rows` get NaN keys: they descend like
 * any row and are dropped. */
static void make_keys(const fp_forest *c, const float *x, size_t nf, size_t rows,
                      uint32_t *keys)
{
    size_t n_used = c->n_used;
    uint32_t *nan_right = keys + n_used * FP_BLOCK;
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < n_used; j++) {
            float v = x[r * nf + c->used[j]];
            int nan = v != v;
            uint32_t k = nan ? 0 : float_key(v);
            keys[j * FP_BLOCK + r] = nan ? KEY_NAN_LEFT : k;
            nan_right[j * FP_BLOCK + r] = nan ? KEY_NAN_RIGHT : k;
        }
    }
    for (size_t j = 0; rows < FP_BLOCK && j < n_used; j++) {
        for (size_t r = rows; r < FP_BLOCK; r++) {
            keys[j * FP_BLOCK + r] = KEY_NAN_LEFT;
            nan_right[j * FP_BLOCK + r] = KEY_NAN_RIGHT;
        }
    }
}

/* One level for lane L (a constant, so the row is an address displacement). */
#define FP_STEP(L)                                                                  \
    do {                                                                            \
        const fp_node *nd = &nodes[at##L];                                          \
        at##L = 2 * at##L + 1 + (keys[(size_t)nd->offset + L] >= nd->lo);          \
    } while (0)

/* The leaf slot each of FP_LANES rows (keys + lane) reaches in one tree. */
static void descend_lanes(const fp_node *nodes, uint32_t depth, const uint32_t *keys,
                          uint32_t *slot)
{
    size_t at0 = 0, at1 = 0, at2 = 0, at3 = 0, at4 = 0, at5 = 0, at6 = 0, at7 = 0;
    for (uint32_t level = 0; level < depth; level++) {
        FP_STEP(0);
        FP_STEP(1);
        FP_STEP(2);
        FP_STEP(3);
        FP_STEP(4);
        FP_STEP(5);
        FP_STEP(6);
        FP_STEP(7);
    }
    size_t first_leaf = ((size_t)1 << depth) - 1;
    slot[0] = (uint32_t)(at0 - first_leaf);
    slot[1] = (uint32_t)(at1 - first_leaf);
    slot[2] = (uint32_t)(at2 - first_leaf);
    slot[3] = (uint32_t)(at3 - first_leaf);
    slot[4] = (uint32_t)(at4 - first_leaf);
    slot[5] = (uint32_t)(at5 - first_leaf);
    slot[6] = (uint32_t)(at6 - first_leaf);
    slot[7] = (uint32_t)(at7 - first_leaf);
}

/* One level of a compact tree for lane L. */
#define FP_CSTEP(L)                                                                 \
    do {                                                                            \
        const fp_cnode *nd = &nodes[at##L];                                         \
        at##L = nd->child[keys[(size_t)nd->offset + L] >= nd->lo];                  \
    } while (0)

/* The node (a leaf) each of FP_LANES rows reaches in a compact tree. */
static void descend_compact(const fp_cnode *nodes, uint32_t depth, const uint32_t *keys,
                            uint32_t *slot)
{
    uint32_t at0 = 0, at1 = 0, at2 = 0, at3 = 0, at4 = 0, at5 = 0, at6 = 0, at7 = 0;
    for (uint32_t level = 0; level < depth; level++) {
        FP_CSTEP(0);
        FP_CSTEP(1);
        FP_CSTEP(2);
        FP_CSTEP(3);
        FP_CSTEP(4);
        FP_CSTEP(5);
        FP_CSTEP(6);
        FP_CSTEP(7);
    }
    slot[0] = at0;
    slot[1] = at1;
    slot[2] = at2;
    slot[3] = at3;
    slot[4] = at4;
    slot[5] = at5;
    slot[6] = at6;
    slot[7] = at7;
}

/* Sums of one block: float32 or double, as the forest says. */
typedef struct fp_sums {
    float f[FP_BLOCK];
    double d[FP_BLOCK];
} fp_sums;

static void score_block(const model_forest *f, const fp_forest *c, const float *x, size_t nf,
                        size_t rows, const uint32_t *keys, fp_sums *s)
{
    for (size_t r = 0; r < FP_BLOCK; r++) {
        s->f[r] = (float)f->base_margin;
        s->d[r] = f->base_margin;
    }
    for (size_t i = 0; i < f->n_trees; i++) {
        const fp_tree *ct = &c->trees[i];
        if (ct->walk) {
            for (size_t r = 0; r < rows; r++) {
                double v = walk_tree(f, &f->trees[i], x + r * nf);
                s->f[r] += (float)v;
                s->d[r] += v;
            }
            continue;
        }
        const double *leaves = c->leaves + ct->leaf_offset;
        uint32_t slot[FP_BLOCK];
        if (ct->compact) {
            for (size_t lane = 0; lane < rows; lane += FP_LANES)
                descend_compact(c->cnodes + ct->node_offset, ct->depth, keys + lane,
                                slot + lane);
        } else {
            for (size_t lane = 0; lane < rows; lane += FP_LANES)
                descend_lanes(c->nodes + ct->node_offset, ct->depth, keys + lane, slot + lane);
        }
        if (f->sum_float) {
            for (size_t r = 0; r < rows; r++)
                s->f[r] += (float)leaves[slot[r]];
        } else {
            for (size_t r = 0; r < rows; r++)
                s->d[r] += leaves[slot[r]];
        }
    }
}

/* The workspace: the keys of one block of rows (padding nodes read column 0,
 * so there is always one key column), then the block's sums. */
static size_t keys_bytes(const fp_forest *c)
{
    size_t bytes = (c->n_used + 1) * 2 * FP_BLOCK * sizeof(uint32_t);
    return (bytes + sizeof(double) - 1) / sizeof(double) * sizeof(double); /* align the sums */
}

size_t model_forest_workspace_size(const ph_model *m)
{
    const fp_forest *c = m->forest->compiled;
    return c ? keys_bytes(c) + sizeof(fp_sums) : 0;
}

void model_forest_margin_ws(const ph_model *m, const float *x, size_t rows, double *margin,
                            void *workspace)
{
    const model_forest *f = m->forest;
    const fp_forest *c = f->compiled;
    size_t nf = m->n_features;
    uint32_t *keys = workspace;
    fp_sums *sums = (fp_sums *)(void *)((char *)workspace + keys_bytes(c));
    for (size_t first = 0; first < rows; first += FP_BLOCK) {
        size_t n = rows - first < FP_BLOCK ? rows - first : FP_BLOCK;
        const float *block = x + first * nf;
        make_keys(c, block, nf, n, keys);
        score_block(f, c, block, nf, n, keys, sums);
        for (size_t r = 0; r < n; r++)
            margin[first + r] = f->sum_float ? (double)sums->f[r] : sums->d[r];
    }
}

ph_status model_forest_margin(const ph_model *m, const float *x, size_t rows, double *margin,
                              ph_error *err)
{
    if (!m->forest->compiled)
        return ph_error_set(err, PH_EMISUSE, "model", m->source,
                            "the forest was not compiled (model_forest_compile)");
    void *workspace = ph_malloc(m->ctx, model_forest_workspace_size(m));
    if (!workspace)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory scoring");
    model_forest_margin_ws(m, x, rows, margin, workspace);
    ph_free(m->ctx, workspace);
    return PH_OK;
}
