/*
 * Decision tables inside: the compiled form shared by the builder
 * (table.c), the cell compiler (table_cell.c), the evaluator
 * (table_eval.c) and the JSON loader (table_load.c).
 */
#ifndef PH_DECIDE_TABLE_INTERNAL_H
#define PH_DECIDE_TABLE_INTERNAL_H

#include "puhui/dtable.h"

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* What a compiled cell tests. "-" cells are not stored at all: a rule keeps
 * only the cells that can fail, so a knock-out row of dashes costs nothing. */
typedef enum dt_op {
    DT_NULL = 0,   /* input is missing (negate: present) */
    DT_RANGE = 1,  /* one closed interval [lo, hi] in 1e-8 units */
    DT_POINTS = 2, /* sorted distinct decimals; binary search */
    DT_RANGES = 3, /* several intervals; linear scan */
    DT_TEXT = 4,   /* texts; equality by length then bytes */
    DT_BOOL = 5    /* bools: bit 0 false matches, bit 1 true matches */
} dt_op;

typedef struct dt_interval {
    ph_decimal lo, hi; /* closed: lo <= x <= hi; open ends were moved by 1e-8 */
} dt_interval;

typedef struct dt_text {
    const char *ptr;
    size_t len;
} dt_text;

typedef struct dt_cell {
    uint32_t input;  /* column index */
    uint8_t op;      /* dt_op */
    uint8_t negate;  /* not(...) and != : the input must pass none */
    uint8_t bools;   /* DT_BOOL mask */
    uint32_t count;  /* items for DT_POINTS, DT_RANGES, DT_TEXT */
    ph_decimal lo, hi;  /* DT_RANGE */
    const void *items;  /* ph_decimal[], dt_interval[] or dt_text[] (arena) */
} dt_cell;

typedef struct dt_rule {
    uint32_t first_cell; /* into ph_dtable.cells */
    uint32_t n_cells;    /* cells that are not "-" */
    const char *reason;  /* arena, or NULL */
} dt_rule;

typedef struct dt_column {
    const char *name;   /* arena */
    ph_value_kind kind;
    ph_value *priority; /* arena; PRIORITY outputs only */
    size_t priority_count;
} dt_column;

/* Bump allocator: everything a table points at (names, texts, item arrays)
 * lives in a few blocks freed together, so values can borrow from it. */
typedef struct dt_block {
    struct dt_block *next;
    size_t used, size;
    /* data follows, 16-aligned */
} dt_block;

struct ph_dtable {
    const ph_ctx *ctx;
    char *name; /* arena */
    ph_hit_policy hit;
    ph_aggregation agg;
    dt_column *inputs;
    size_t n_inputs;
    dt_column *outputs;
    size_t n_outputs;
    dt_rule *rules;
    size_t n_rules, cap_rules;
    dt_cell *cells;
    size_t n_cells, cap_cells;
    ph_value *values;   /* n_rules * n_outputs, row-major */
    uint32_t *ranks;    /* PRIORITY: n_rules * n_outputs (UINT32_MAX: no list) */
    dt_block *arena;
};

void *dt_arena_alloc(ph_dtable *t, size_t size);
char *dt_arena_strndup(ph_dtable *t, const char *s, size_t len);

/*
 * Compile the unary test `text` for input `input` of table t into *cell
 * (items in t's arena). *is_any is set to 1 for "-" and "" (no cell
 * stored). On a bad test returns PH_EINVAL with the detail "expected ...,
 * got '...'" (no location: the caller prefixes it) or PH_ENOMEM.
 */
/* The tables of a parsed policy document (its "tables" member; other
 * members are ignored). `root` stays the caller's. Errors are located at
 * `source`. */
ph_status dt_set_from_json(const ph_ctx *ctx, const json_t *root, const char *source,
                           ph_dtable_set **out, ph_error *err);

ph_status dt_cell_compile(ph_dtable *t, uint32_t input, const char *text, dt_cell *cell,
                          int *is_any, ph_error *err);

/* Does a non-null input value pass the cell? (Null is handled by the caller.) */
int dt_cell_match(const dt_cell *cell, const ph_value *v);

/* Short text of a value for messages ("null", "true", "0.85", "\"A\""). */
void dt_value_text(const ph_value *v, char *buf, size_t size);

#endif
