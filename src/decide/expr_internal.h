/*
 * Policy expressions inside the library: the compiled form shared by the
 * compiler (expr_compile.c, expr_parse.c) and the evaluator (expr_eval.c).
 *
 * An expression compiles to postfix code over a value stack: operands are
 * pushed, an operator pops its operands and pushes its result. `and`, `or`
 * and `if` jump over the code they do not need. The compiler tracks the
 * stack depth, so the evaluator runs on a fixed array on the C stack.
 */
#ifndef PH_EXPR_INTERNAL_H
#define PH_EXPR_INTERNAL_H

#include "puhui/expr.h"

#include <stdint.h>

typedef enum expr_op {
    OP_CONST,        /* push consts[arg] */
    OP_LOAD,         /* push slots[arg]; `kind` is the declared kind */
    OP_NEG,          /* -a */
    OP_NOT,          /* not a */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_AND,          /* three-valued and of the top two */
    OP_OR,
    OP_JUMP_FALSE,   /* and: when the top is false, keep it and jump to arg */
    OP_JUMP_TRUE,    /* or: when the top is true, keep it and jump to arg */
    OP_JUMP_UNLESS,  /* if: pop; unless it was true, jump to arg */
    OP_JUMP,         /* jump to arg */
    OP_IN,           /* x, n items -> bool; n in `count`; with kind 1 the
                        items are consts[arg .. arg + n), not on the stack */
    OP_BETWEEN,      /* x, lo, hi -> bool */
    OP_MIN,          /* n values -> the least; n in `count` */
    OP_MAX,
    OP_ABS,
    OP_ROUND,        /* x, places -> x rounded half-up */
    OP_ROUND_EVEN,   /* x, places -> x rounded half-even */
    OP_FLOOR,
    OP_CEIL,
    OP_IS_NULL,
    OP_COALESCE      /* n values -> the first not null */
} expr_op;

/* One instruction. `column` is where the operator stands in the text, for
 * the messages of evaluation errors. */
typedef struct expr_insn {
    uint8_t op;    /* expr_op */
    uint8_t kind;  /* OP_LOAD: the declared ph_value_kind */
    uint16_t count;
    uint32_t column;
    int32_t arg;
} expr_insn;

struct ph_expr {
    const ph_ctx *ctx;
    char *text;       /* the expression; text literals point into it */
    char *source;     /* "" when none was given */
    expr_insn *code;
    size_t code_len;
    ph_value *consts;
    size_t consts_len;
    ph_value_kind result_kind;
};

/* Parse e->text (e->ctx, e->source set, code and constants empty) into
 * e's code, constants and result kind. */
ph_status expr_parse(const ph_expr_symbols *sym, ph_expr *e, ph_error *err);

/* Find a declared variable by name; PH_ENOTFOUND (err untouched) if none. */
ph_status expr_symbols_find(const ph_expr_symbols *sym, const char *name, size_t len,
                               size_t *slot, ph_value_kind *kind);

/* "; did you mean 'a' or 'b'?" naming up to 3 declared names close to
 * name (edit distance <= 2), or "" when none is. */
void expr_symbols_near(const ph_expr_symbols *sym, const char *name, size_t len, char *buf,
                          size_t size);

/* Fill err for the expression `text` at `column` (1-based; 0 for none):
 * field "expression", value the text, location the source. */
ph_status expr_fail(ph_error *err, ph_status code, const char *source, const char *text,
                       uint32_t column, const char *fmt, ...) PH_PRINTF(6, 7);

#endif /* PH_EXPR_INTERNAL_H */
