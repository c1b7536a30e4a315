/*
 * Checks shared by the tree loaders: that a model_tree's children make a
 * tree, and how deep it is.
 */
#include "model_internal.h"

int model_tree_shape(const ph_ctx *ctx, model_tree *t, uint32_t *parent, int *side)
{
    uint32_t n = t->n_nodes;
    /* (node, depth) pairs; a node is pushed only when first reached, so the
     * stack never holds more than n pairs. */
    uint32_t *stack = ph_malloc(ctx, (size_t)n * 2 * sizeof(uint32_t));
    uint8_t *seen = ph_calloc(ctx, n, 1);
    if (!stack || !seen) {
        ph_free(ctx, stack);
        ph_free(ctx, seen);
        return -1;
    }
    size_t top = 0;
    int ok = 1;
    stack[top++] = 0;
    stack[top++] = 0;
    seen[0] = 1;
    t->max_depth = 0;
    while (top > 0 && ok) {
        uint32_t depth = stack[--top], node = stack[--top];
        if (depth > t->max_depth)
            t->max_depth = depth;
        if (t->left[node] < 0)
            continue;
        const int32_t child[2] = {t->left[node], t->right[node]};
        for (int k = 0; k < 2; k++) {
            uint32_t c = (uint32_t)child[k];
            if (seen[c]) {
                *parent = node;
                *side = k;
                ok = 0;
                break;
            }
            seen[c] = 1;
            stack[top++] = c;
            stack[top++] = depth + 1;
        }
    }
    ph_free(ctx, stack);
    ph_free(ctx, seen);
    return ok;
}
