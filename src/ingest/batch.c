/*
 * The batch: rows checked and converted by the reader, in flat arrays that
 * are reused from batch to batch, so a steady run allocates nothing.
 */
#include <string.h>

#include "ingest/ingest_internal.h"

ing_batch *ing_batch_new(const ph_ctx *ctx)
{
    ing_batch *b = ph_calloc(ctx, 1, sizeof(*b));
    if (b != NULL)
        b->ctx = ctx;
    return b;
}

void ing_batch_free(ing_batch *b)
{
    if (b == NULL)
        return;
    ph_free(b->ctx, b->rows);
    ph_free(b->ctx, b->values);
    ph_free(b->ctx, b->rejects);
    ph_free(b->ctx, b->text);
    ph_free(b->ctx, b);
}

void ing_batch_clear(ing_batch *b)
{
    b->row_count = b->value_count = b->reject_count = b->text_len = 0;
    b->records = 0;
    b->last = 0;
    b->status = PH_OK;
    b->refused = 0;
    ph_error_clear(&b->error);
}

/* Make room for `more` items of `size` bytes in *array (holding count of cap). */
static int reserve(const ph_ctx *ctx, void **array, size_t *cap, size_t count, size_t more,
                   size_t size)
{
    if (count + more <= *cap)
        return 1;
    size_t want = *cap ? *cap : 256;
    while (want < count + more)
        want *= 2;
    void *grown = ph_realloc(ctx, *array, want * size);
    if (grown == NULL)
        return 0;
    *array = grown;
    *cap = want;
    return 1;
}

static ph_status no_memory(ph_error *err)
{
    return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a batch of rows");
}

ph_status ing_batch_text(ing_batch *b, const char *s, size_t len, size_t *off, ph_error *err)
{
    if (!reserve(b->ctx, (void **)&b->text, &b->text_cap, b->text_len, len + 1, 1))
        return no_memory(err);
    if (len > 0)
        memcpy(b->text + b->text_len, s, len);
    b->text[b->text_len + len] = '\0';
    *off = b->text_len;
    b->text_len += len + 1;
    return PH_OK;
}

ing_row *ing_batch_add_row(ing_batch *b, size_t columns, ph_error *err)
{
    if (!reserve(b->ctx, (void **)&b->rows, &b->row_cap, b->row_count, 1, sizeof(ing_row)) ||
        !reserve(b->ctx, (void **)&b->values, &b->value_cap, b->value_count, columns,
                 sizeof(ing_value))) {
        no_memory(err);
        return NULL;
    }
    ing_row *row = &b->rows[b->row_count++];
    memset(row, 0, sizeof(*row));
    row->first = b->value_count;
    memset(&b->values[b->value_count], 0, columns * sizeof(ing_value));
    b->value_count += columns;
    return row;
}

void ing_batch_drop_row(ing_batch *b, size_t columns)
{
    b->row_count--;
    b->value_count -= columns;
}

static ph_status opt_text(ing_batch *b, const char *s, size_t len, size_t *off, ph_error *err)
{
    if (s == NULL) {
        *off = ING_NO_TEXT;
        return PH_OK;
    }
    return ing_batch_text(b, s, len, off, err);
}

ph_status ing_batch_add_reject(ing_batch *b, uint64_t line, ph_reject_reason reason,
                               int field_number, const char *field, const char *value, size_t value_len,
                               const char *detail, const char *raw, size_t raw_len,
                               ph_error *err)
{
    if (!reserve(b->ctx, (void **)&b->rejects, &b->reject_cap, b->reject_count, 1,
                 sizeof(ing_reject)))
        return no_memory(err);
    ing_reject r = {line, reason, field_number, 0, 0, 0, 0};
    ph_status st = opt_text(b, field, field ? strlen(field) : 0, &r.field, err);
    if (st == PH_OK)
        st = opt_text(b, value, value_len, &r.value, err);
    if (st == PH_OK)
        st = opt_text(b, detail ? detail : "", detail ? strlen(detail) : 0, &r.detail, err);
    if (st == PH_OK)
        st = opt_text(b, raw, raw_len, &r.raw, err);
    if (st != PH_OK)
        return st;
    b->rejects[b->reject_count++] = r;
    return PH_OK;
}

/* --- sorting by key ------------------------------------------------------------- */

typedef struct sort_ctx {
    const ing_batch *batch;
    const int *key;
    size_t nkey;
} sort_ctx;

/* SQLite's order within one type: integers and reals by value, text by
 * bytes (BINARY collation), NULL first. */
static int compare_value(const ing_batch *b, const ing_value *x, const ing_value *y)
{
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    switch ((ing_kind)x->kind) {
    case ING_NULL: return 0;
    case ING_INT: return x->u.i < y->u.i ? -1 : x->u.i > y->u.i;
    case ING_REAL: return x->u.d < y->u.d ? -1 : x->u.d > y->u.d;
    case ING_TEXT: break;
    }
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(b->text + x->u.off, b->text + y->u.off, n);
    if (c != 0)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int compare_rows(const sort_ctx *c, uint32_t ia, uint32_t ib)
{
    const ing_row *a = &c->batch->rows[ia], *b = &c->batch->rows[ib];
    for (size_t k = 0; k < c->nkey; k++) {
        size_t col = (size_t)c->key[k];
        int r = compare_value(c->batch, &c->batch->values[a->first + col],
                              &c->batch->values[b->first + col]);
        if (r != 0)
            return r;
    }
    return a->line < b->line ? -1 : a->line > b->line;
}

/* Bottom-up merge sort of row indexes: stable, no recursion, and it moves
 * 4-byte indexes rather than rows. Runs already in order (a firm's rows by
 * date) are copied after one comparison. Returns the array (a or tmp) that
 * holds the result. */
static uint32_t *merge_sort(const sort_ctx *c, uint32_t *a, uint32_t *tmp, size_t n)
{
    uint32_t *src = a, *dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            if (mid == hi || compare_rows(c, src[mid - 1], src[mid]) <= 0) {
                memcpy(dst + lo, src + lo, (hi - lo) * sizeof(*src));
                continue;
            }
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = compare_rows(c, src[j], src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/* Whether row i continues the run that row i - 1 is in: it follows it in
 * key order within the same group (first key column). Cutting runs at
 * groups keeps the runs of firms that happen to follow each other in order
 * from merging into one run that overlaps the others. */
static int same_run(const sort_ctx *c, uint32_t i)
{
    const ing_row *a = &c->batch->rows[i - 1], *b = &c->batch->rows[i];
    size_t col = (size_t)c->key[0];
    return compare_value(c->batch, &c->batch->values[a->first + col],
                         &c->batch->values[b->first + col]) == 0 &&
           compare_rows(c, i - 1, i) <= 0;
}

/* Rows usually arrive as runs already in key order whose key ranges do
 * not overlap (a firm's rows by date, firms one after another): then
 * ordering the runs by their first row orders the batch, after about 2n
 * comparisons instead of n log n. Fills `order` and returns 1 when that
 * worked, 0 when runs overlap (the caller sorts in full). */
static int order_runs(const sort_ctx *c, uint32_t *order, uint32_t *tmp, size_t n)
{
    /* tmp[0..runs): where each run starts */
    size_t runs = 0;
    for (size_t i = 0; i < n && c->nkey > 0; i++)
        if (i == 0 || !same_run(c, (uint32_t)i))
            tmp[runs++] = (uint32_t)i;
    if (runs <= 1) { /* in order already (without a key: in line order) */
        for (size_t i = 0; i < n; i++)
            order[i] = (uint32_t)i;
        return 1;
    }
    if (runs > n / 8)
        return 0; /* short runs: the full sort is as cheap */
    /* the run heads in order (by their first rows), then each run copied */
    uint32_t *heads = tmp, *sorted = tmp + runs;
    uint32_t *scratch = order; /* free until the end */
    const uint32_t *by_head = merge_sort(c, heads, scratch, runs);
    if (by_head == scratch)
        memcpy(sorted, scratch, runs * sizeof(*sorted));
    else
        memcpy(sorted, heads, runs * sizeof(*sorted));
    /* the start of each run in `heads` order, so the run's end is known */
    size_t k = 0;
    for (size_t r = 0; r < runs; r++) {
        uint32_t start = sorted[r], end = start + 1;
        while (end < n && same_run(c, end))
            end++;
        if (k > 0 && compare_rows(c, order[k - 1], start) > 0)
            return 0; /* runs overlap */
        for (uint32_t i = start; i < end; i++)
            order[k++] = i;
    }
    return 1;
}

void ing_batch_sort(ing_batch *b, const int *key, size_t nkey)
{
    size_t n = b->row_count;
    if (n < 2 || n > UINT32_MAX / 2)
        return;
    uint32_t *order = ph_malloc(b->ctx, n * sizeof(*order));
    uint32_t *tmp = ph_malloc(b->ctx, 2 * n * sizeof(*tmp));
    ing_row *rows = NULL;
    if (order != NULL && tmp != NULL) { /* else: the order is only an optimisation */
        sort_ctx c = {b, key, nkey};
        const uint32_t *sorted = order;
        if (!order_runs(&c, order, tmp, n)) {
            for (size_t i = 0; i < n; i++)
                order[i] = (uint32_t)i;
            sorted = merge_sort(&c, order, tmp, n);
        }
        int moved = 0;
        for (size_t i = 0; i < n && !moved; i++)
            moved = sorted[i] != i;
        if (moved && (rows = ph_malloc(b->ctx, n * sizeof(*rows))) != NULL) {
            for (size_t i = 0; i < n; i++)
                rows[i] = b->rows[sorted[i]];
            memcpy(b->rows, rows, n * sizeof(*rows));
        }
    }
    ph_free(b->ctx, order);
    ph_free(b->ctx, tmp);
    ph_free(b->ctx, rows);
}
