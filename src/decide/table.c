/*
 * Decision tables: building one (columns, then rules compiled as they
 * come), the arena its texts live in, and reading it back.
 */
#include "table_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ARENA_BLOCK 4096
#define ARENA_ALIGN 16

static const char *const HIT_NAMES[] = {"FIRST", "UNIQUE", "PRIORITY", "ANY", "COLLECT"};
static const char *const AGG_NAMES[] = {"NONE", "SUM", "MIN", "MAX", "COUNT"};

const char *ph_hit_policy_name(ph_hit_policy hit)
{
    return (unsigned)hit < sizeof(HIT_NAMES) / sizeof(HIT_NAMES[0]) ? HIT_NAMES[hit] : "?";
}

const char *ph_aggregation_name(ph_aggregation agg)
{
    return (unsigned)agg < sizeof(AGG_NAMES) / sizeof(AGG_NAMES[0]) ? AGG_NAMES[agg] : "?";
}

/* ---- arena --------------------------------------------------------------- */

static size_t block_header(void)
{
    return (sizeof(dt_block) + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
}

void *dt_arena_alloc(ph_dtable *t, size_t size)
{
    size = (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (size == 0)
        size = ARENA_ALIGN;
    dt_block *b = t->arena;
    if (b == NULL || b->size - b->used < size) {
        size_t want = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        dt_block *nb = ph_malloc(t->ctx, block_header() + want);
        if (nb == NULL)
            return NULL;
        nb->next = t->arena;
        nb->used = 0;
        nb->size = want;
        t->arena = nb;
        b = nb;
    }
    void *p = (char *)b + block_header() + b->used;
    b->used += size;
    return p;
}

char *dt_arena_strndup(ph_dtable *t, const char *s, size_t len)
{
    char *copy = dt_arena_alloc(t, len + 1);
    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

/* A value whose text (if any) is copied into the arena. */
static int copy_value(ph_dtable *t, const ph_value *v, ph_value *out)
{
    *out = *v;
    if (v->kind == PH_VALUE_TEXT) {
        out->as.text.ptr = dt_arena_strndup(t, v->as.text.ptr, v->as.text.len);
        if (out->as.text.ptr == NULL)
            return 0;
    }
    return 1;
}

/* ---- columns ------------------------------------------------------------- */

static ph_status table_error(const ph_dtable *t, ph_status code, ph_error *err, const char *fmt,
                             ...) PH_PRINTF(4, 5);

/* "table 'NAME': DETAIL" */
static ph_status table_error(const ph_dtable *t, ph_status code, ph_error *err, const char *fmt,
                             ...)
{
    char detail[PH_ERROR_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return ph_error_set(err, code, NULL, NULL, "table '%s': %s", t->name, detail);
}

static int valid_kind(ph_value_kind kind)
{
    return kind == PH_VALUE_DECIMAL || kind == PH_VALUE_TEXT || kind == PH_VALUE_BOOL;
}

static ph_status copy_columns(ph_dtable *t, const ph_dtable_column *src, size_t n,
                              const char *role, dt_column **out, ph_error *err)
{
    dt_column *cols = n ? dt_arena_alloc(t, n * sizeof(dt_column)) : NULL;
    if (n && cols == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (src[i].name == NULL || src[i].name[0] == '\0')
            return table_error(t, PH_EINVAL, err, "%s column has no name", role);
        if (!valid_kind(src[i].kind))
            return table_error(t, PH_EINVAL, err, "%s '%s': expected kind decimal, text or bool",
                               role, src[i].name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(src[j].name, src[i].name) == 0)
                return table_error(t, PH_EINVAL, err, "%s '%s' is declared twice", role,
                                   src[i].name);
        cols[i].name = dt_arena_strndup(t, src[i].name, strlen(src[i].name));
        cols[i].kind = src[i].kind;
        cols[i].priority = NULL;
        cols[i].priority_count = 0;
        if (cols[i].name == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    *out = cols;
    return PH_OK;
}

/* The PRIORITY list of output i: values of the output's kind, no repeats. */
static ph_status copy_priority(ph_dtable *t, size_t i, const ph_dtable_column *src,
                               ph_error *err)
{
    dt_column *col = &t->outputs[i];
    if (src->priority_count == 0)
        return PH_OK;
    if (t->hit != PH_HIT_PRIORITY)
        return table_error(t, PH_EINVAL, err,
                           "output '%s' has a priority list, but the hit policy is %s "
                           "(priority lists are for PRIORITY)",
                           col->name, ph_hit_policy_name(t->hit));
    col->priority = dt_arena_alloc(t, src->priority_count * sizeof(ph_value));
    if (col->priority == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t k = 0; k < src->priority_count; k++) {
        const ph_value *v = &src->priority[k];
        char shown[PH_DECIMAL_FORMAT_MAX + 100];
        dt_value_text(v, shown, sizeof(shown));
        if (v->kind != col->kind)
            return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                "table '%s': output '%s': priority value %zu: expected %s, got %s",
                                t->name, col->name, k + 1, ph_value_kind_name(col->kind), shown);
        for (size_t j = 0; j < k; j++)
            if (ph_value_equal(&col->priority[j], v))
                return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                    "table '%s': output '%s': priority value %s is listed twice",
                                    t->name, col->name, shown);
        if (!copy_value(t, v, &col->priority[k]))
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    col->priority_count = src->priority_count;
    return PH_OK;
}

static ph_status check_policy(ph_dtable *t, ph_error *err)
{
    if (t->agg != PH_AGG_NONE && t->hit != PH_HIT_COLLECT)
        return table_error(t, PH_EINVAL, err, "aggregation %s needs hit policy COLLECT, got %s",
                           ph_aggregation_name(t->agg), ph_hit_policy_name(t->hit));
    if (t->agg == PH_AGG_SUM || t->agg == PH_AGG_MIN || t->agg == PH_AGG_MAX) {
        for (size_t i = 0; i < t->n_outputs; i++)
            if (t->outputs[i].kind != PH_VALUE_DECIMAL) {
                char what[64];
                snprintf(what, sizeof(what), "%s", ph_value_kind_name(t->outputs[i].kind));
                return ph_error_set(err, PH_EINVAL, NULL, NULL,
                                    "table '%s': aggregation %s needs decimal outputs, but "
                                    "output %zu (%s) is %s",
                                    t->name, ph_aggregation_name(t->agg), i + 1,
                                    t->outputs[i].name, what);
            }
    }
    if (t->hit == PH_HIT_PRIORITY) {
        size_t listed = 0;
        for (size_t i = 0; i < t->n_outputs; i++)
            listed += t->outputs[i].priority_count > 0;
        if (listed == 0)
            return table_error(t, PH_EINVAL, err,
                               "hit policy PRIORITY needs a priority list on at least one output");
    }
    return PH_OK;
}

ph_status ph_dtable_new(const ph_ctx *ctx, const char *name, ph_hit_policy hit,
                        ph_aggregation agg, const ph_dtable_column *inputs, size_t n_inputs,
                        const ph_dtable_column *outputs, size_t n_outputs, ph_dtable **out,
                        ph_error *err)
{
    if (ctx == NULL || name == NULL || out == NULL || (n_inputs && inputs == NULL) ||
        (n_outputs && outputs == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dtable_new: NULL argument");
    if (name[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "name", name, "expected a table name, got ''");
    if ((unsigned)hit > PH_HIT_COLLECT || (unsigned)agg > PH_AGG_COUNT)
        return ph_error_set(err, PH_EINVAL, "hit_policy", name,
                            "expected a hit policy and aggregation from the enums");
    if (n_inputs > UINT32_MAX / 2)
        return ph_error_set(err, PH_ERANGE, "inputs", name, "too many inputs");
    ph_dtable *t = ph_calloc(ctx, 1, sizeof(*t));
    if (t == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    t->ctx = ctx;
    t->hit = hit;
    t->agg = agg;
    t->name = dt_arena_strndup(t, name, strlen(name));
    ph_status st = t->name ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = copy_columns(t, inputs, n_inputs, "input", &t->inputs, err);
    t->n_inputs = n_inputs;
    if (st == PH_OK)
        st = copy_columns(t, outputs, n_outputs, "output", &t->outputs, err);
    t->n_outputs = n_outputs;
    for (size_t i = 0; st == PH_OK && i < n_outputs; i++)
        st = copy_priority(t, i, &outputs[i], err);
    if (st == PH_OK)
        st = check_policy(t, err);
    if (st != PH_OK) {
        ph_dtable_free(t);
        return st;
    }
    *out = t;
    return PH_OK;
}

/* ---- rules ------------------------------------------------------------------ */

static int grow(const ph_ctx *ctx, void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = ph_realloc(ctx, *array, n * elem);
    if (p == NULL)
        return 0;
    *array = p;
    *cap = n;
    return 1;
}

/* The rank of `v` in output i's priority list (0 = highest), or -1. */
static long priority_rank(const dt_column *col, const ph_value *v)
{
    for (size_t k = 0; k < col->priority_count; k++)
        if (ph_value_equal(&col->priority[k], v))
            return (long)k;
    return -1;
}

static ph_status output_error(const ph_dtable *t, size_t i, const char *expected,
                              const ph_value *v, ph_error *err)
{
    char shown[PH_DECIMAL_FORMAT_MAX + 100];
    dt_value_text(v, shown, sizeof(shown));
    return ph_error_set(err, PH_EINVAL, NULL, NULL,
                        "table '%s', rule %zu, output %zu (%s): expected %s, got %s", t->name,
                        t->n_rules + 1, i + 1, t->outputs[i].name, expected, shown);
}

/* Check rule outputs against the columns and store them (and their ranks). */
static ph_status add_outputs(ph_dtable *t, const ph_value *values, ph_error *err)
{
    size_t base = t->n_rules * t->n_outputs;
    for (size_t i = 0; i < t->n_outputs; i++) {
        const dt_column *col = &t->outputs[i];
        const ph_value *v = &values[i];
        int aggregated = t->agg == PH_AGG_SUM || t->agg == PH_AGG_MIN || t->agg == PH_AGG_MAX;
        if (v->kind == PH_VALUE_NULL && aggregated) {
            char expected[96];
            snprintf(expected, sizeof(expected), "a decimal (%s reads every match)",
                     ph_aggregation_name(t->agg));
            return output_error(t, i, expected, v, err);
        }
        if (v->kind != PH_VALUE_NULL && v->kind != col->kind) {
            char expected[64];
            snprintf(expected, sizeof(expected), "a %s or null", ph_value_kind_name(col->kind));
            return output_error(t, i, expected, v, err);
        }
        if (col->priority_count > 0 && priority_rank(col, v) < 0) {
            char expected[PH_ERROR_DETAIL_MAX / 2] = "one of its priority values";
            size_t used = strlen(expected);
            for (size_t k = 0; k < col->priority_count && used < sizeof(expected) - 1; k++) {
                char one[PH_DECIMAL_FORMAT_MAX + 100];
                dt_value_text(&col->priority[k], one, sizeof(one));
                int n = snprintf(expected + used, sizeof(expected) - used, "%s%s",
                                 k == 0 ? " " : ", ", one);
                used += n > 0 ? (size_t)n : 0;
            }
            return output_error(t, i, expected, v, err);
        }
    }
    for (size_t i = 0; i < t->n_outputs; i++) {
        if (!copy_value(t, &values[i], &t->values[base + i]))
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        if (t->hit == PH_HIT_PRIORITY) {
            long rank = priority_rank(&t->outputs[i], &values[i]);
            t->ranks[base + i] = rank < 0 ? UINT32_MAX : (uint32_t)rank;
        }
    }
    return PH_OK;
}

/* Room for one more rule in every per-rule array. */
static int reserve_rule(ph_dtable *t)
{
    size_t cap = t->cap_rules;
    if (!grow(t->ctx, (void **)&t->rules, &cap, t->n_rules + 1, sizeof(dt_rule)))
        return 0;
    if (cap != t->cap_rules) {
        /* values and ranks follow the rules' capacity */
        size_t vals = cap * (t->n_outputs ? t->n_outputs : 1);
        ph_value *v = ph_realloc(t->ctx, t->values, vals * sizeof(ph_value));
        if (v == NULL)
            return 0;
        t->values = v;
        if (t->hit == PH_HIT_PRIORITY) {
            uint32_t *r = ph_realloc(t->ctx, t->ranks, vals * sizeof(uint32_t));
            if (r == NULL)
                return 0;
            t->ranks = r;
        }
        t->cap_rules = cap;
    }
    return grow(t->ctx, (void **)&t->cells, &t->cap_cells, t->n_cells + t->n_inputs,
                sizeof(dt_cell));
}

ph_status ph_dtable_add_rule(ph_dtable *t, const char *const *cells, const ph_value *outputs,
                             const char *reason, ph_error *err)
{
    if (t == NULL || (t->n_inputs && cells == NULL) || (t->n_outputs && outputs == NULL))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_dtable_add_rule: NULL argument");
    if (t->n_rules >= UINT32_MAX / 2)
        return table_error(t, PH_ERANGE, err, "too many rules");
    if (!reserve_rule(t))
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    dt_rule *rule = &t->rules[t->n_rules];
    rule->first_cell = (uint32_t)t->n_cells;
    rule->n_cells = 0;
    rule->reason = NULL;
    /* Cells are compiled straight into place; n_cells moves only once the
     * whole rule is good, so a failed rule leaves the table as it was
     * (its arena bytes are merely unused). */
    for (size_t i = 0; i < t->n_inputs; i++) {
        int is_any;
        dt_cell *cell = &t->cells[t->n_cells + rule->n_cells];
        ph_status st = dt_cell_compile(t, (uint32_t)i, cells[i], cell, &is_any, err);
        if (st != PH_OK) {
            char detail[PH_ERROR_DETAIL_MAX];
            snprintf(detail, sizeof(detail), "%s", err ? err->detail : "");
            return ph_error_set(err, st, NULL, NULL, "table '%s', rule %zu, cell %zu (%s): %s",
                                t->name, t->n_rules + 1, i + 1, t->inputs[i].name, detail);
        }
        rule->n_cells += !is_any;
    }
    ph_status st = add_outputs(t, outputs, err);
    if (st != PH_OK)
        return st;
    if (reason != NULL && reason[0] != '\0') {
        rule->reason = dt_arena_strndup(t, reason, strlen(reason));
        if (rule->reason == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    t->n_cells += rule->n_cells;
    t->n_rules++;
    return PH_OK;
}

void ph_dtable_free(ph_dtable *t)
{
    if (t == NULL)
        return;
    const ph_ctx *ctx = t->ctx;
    for (dt_block *b = t->arena; b != NULL;) {
        dt_block *next = b->next;
        ph_free(ctx, b);
        b = next;
    }
    ph_free(ctx, t->rules);
    ph_free(ctx, t->cells);
    ph_free(ctx, t->values);
    ph_free(ctx, t->ranks);
    ph_free(ctx, t);
}

/* ---- reading ------------------------------------------------------------------ */

const char *ph_dtable_name(const ph_dtable *t)
{
    return t ? t->name : NULL;
}

ph_hit_policy ph_dtable_hit_policy(const ph_dtable *t)
{
    return t ? t->hit : PH_HIT_FIRST;
}

ph_aggregation ph_dtable_aggregation(const ph_dtable *t)
{
    return t ? t->agg : PH_AGG_NONE;
}

size_t ph_dtable_input_count(const ph_dtable *t)
{
    return t ? t->n_inputs : 0;
}

size_t ph_dtable_output_count(const ph_dtable *t)
{
    return t ? t->n_outputs : 0;
}

size_t ph_dtable_rule_count(const ph_dtable *t)
{
    return t ? t->n_rules : 0;
}

const char *ph_dtable_input_name(const ph_dtable *t, size_t i)
{
    return t && i < t->n_inputs ? t->inputs[i].name : NULL;
}

ph_value_kind ph_dtable_input_kind(const ph_dtable *t, size_t i)
{
    return t && i < t->n_inputs ? t->inputs[i].kind : PH_VALUE_NULL;
}

const char *ph_dtable_output_name(const ph_dtable *t, size_t i)
{
    return t && i < t->n_outputs ? t->outputs[i].name : NULL;
}

long ph_dtable_input_index(const ph_dtable *t, const char *name)
{
    for (size_t i = 0; t && name && i < t->n_inputs; i++)
        if (strcmp(t->inputs[i].name, name) == 0)
            return (long)i;
    return -1;
}

const char *ph_dtable_rule_reason(const ph_dtable *t, size_t rule)
{
    return t && rule < t->n_rules ? t->rules[rule].reason : NULL;
}
