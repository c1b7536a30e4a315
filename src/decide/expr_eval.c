/*
 * Policy expressions: the evaluator. A loop over postfix code with the
 * values on a fixed array (the compiler bounded the depth), so evaluation
 * never allocates. Errors are rare and leave through cold helpers, keeping
 * the loop small; each names the expression and the operator's column.
 */
#include "decide/expr_internal.h"

#include <string.h>

#define COLD __attribute__((cold, noinline))
#define TOP (&stack[sp - 1]) /* the top value; only once one is pushed */

/* The operator as the text writes it, for messages. */
static const char *op_name(unsigned op)
{
    static const char *const names[] = {
        [OP_CONST] = "literal", [OP_LOAD] = "variable", [OP_NEG] = "-", [OP_NOT] = "not",
        [OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/", [OP_EQ] = "=",
        [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=",
        [OP_AND] = "and", [OP_OR] = "or", [OP_JUMP_FALSE] = "and", [OP_JUMP_TRUE] = "or",
        [OP_JUMP_UNLESS] = "if", [OP_JUMP] = "if", [OP_IN] = "in", [OP_BETWEEN] = "between",
        [OP_MIN] = "min", [OP_MAX] = "max", [OP_ABS] = "abs", [OP_ROUND] = "round",
        [OP_ROUND_EVEN] = "round_half_even", [OP_FLOOR] = "floor", [OP_CEIL] = "ceil",
        [OP_IS_NULL] = "is_null", [OP_COALESCE] = "coalesce",
    };
    return op < sizeof(names) / sizeof(names[0]) && names[op] != NULL ? names[op] : "?";
}

static COLD ph_status kind_error(const ph_expr *e, const expr_insn *in, ph_value_kind want,
                                 ph_value_kind got, ph_error *err)
{
    if (in->op == OP_JUMP_UNLESS)
        return expr_fail(err, PH_EINVAL, e->source, e->text, in->column,
                            "'if' at column %u expects a bool condition, got %s", in->column,
                            ph_value_kind_name(got));
    return expr_fail(err, PH_EINVAL, e->source, e->text, in->column,
                        "'%s' at column %u expects %s, got %s", op_name(in->op), in->column,
                        ph_value_kind_name(want), ph_value_kind_name(got));
}

static COLD ph_status compare_error(const ph_expr *e, const expr_insn *in, ph_value_kind a,
                                    ph_value_kind b, ph_error *err)
{
    return expr_fail(err, PH_EINVAL, e->source, e->text, in->column,
                        "'%s' at column %u cannot compare %s and %s", op_name(in->op),
                        in->column, ph_value_kind_name(a), ph_value_kind_name(b));
}

/* A decimal operation failed: its detail and operands, placed. */
static COLD ph_status arith_error(const ph_expr *e, const expr_insn *in, const ph_error *inner,
                                  ph_error *err)
{
    return expr_fail(err, inner->code, e->source, e->text, in->column,
                        "%s at column %u (%s)", inner->detail, in->column, inner->value);
}

static COLD ph_status slot_error(const ph_expr *e, const expr_insn *in, ph_value_kind got,
                                 ph_error *err)
{
    const char *name = e->text + in->column - 1;
    size_t len = 0;
    while (name[len] != '\0' && name[len] != ' ' && name[len] != ')' && name[len] != ',' &&
           name[len] != ']' && strchr("+-*/=!<>", name[len]) == NULL)
        len++;
    return expr_fail(err, PH_EINVAL, e->source, e->text, in->column,
                        "variable '%.*s' at column %u is declared %s but holds %s", (int)len,
                        name, in->column, ph_value_kind_name((ph_value_kind)in->kind),
                        ph_value_kind_name(got));
}

static COLD ph_status places_error(const ph_expr *e, const expr_insn *in, ph_decimal places,
                                   ph_error *err)
{
    char text[PH_DECIMAL_FORMAT_MAX];
    ph_decimal_format(places, text, sizeof(text), NULL);
    return expr_fail(err, PH_EINVAL, e->source, e->text, in->column,
                        "'%s' at column %u expects places 0 to 8, got %s", op_name(in->op),
                        in->column, text);
}

/* The slow, general paths of the arithmetic, with their error. */
static COLD ph_status arith_slow(const ph_expr *e, const expr_insn *in, ph_decimal a,
                                 ph_decimal b, ph_decimal *out, ph_error *err)
{
    ph_error inner;
    ph_status st;
    switch (in->op) {
    case OP_ADD: st = ph_decimal_add(a, b, out, &inner); break;
    case OP_SUB: st = ph_decimal_sub(a, b, out, &inner); break;
    case OP_MUL: st = ph_decimal_mul(a, b, PH_ROUND_HALF_EVEN, out, &inner); break;
    case OP_DIV: st = ph_decimal_div(a, b, PH_ROUND_HALF_EVEN, out, &inner); break;
    case OP_NEG: st = ph_decimal_sub(0, a, out, &inner); break;
    case OP_ABS: st = a < 0 ? ph_decimal_sub(0, a, out, &inner) : (*out = a, PH_OK); break;
    default: st = ph_decimal_round(a, (int)b, in->op == OP_FLOOR ? PH_ROUND_FLOOR
                                               : in->op == OP_CEIL ? PH_ROUND_CEILING
                                               : in->op == OP_ROUND ? PH_ROUND_HALF_UP
                                               : PH_ROUND_HALF_EVEN, out, &inner);
    }
    return st == PH_OK ? PH_OK : arith_error(e, in, &inner, err);
}

/* a * b rounded half-even when the exact product fits 64 bits (the common
 * case: a limit times a coefficient); 0 sends the caller to the slow path. */
static inline int mul_fast(int64_t a, int64_t b, int64_t *out)
{
    int64_t product;
    if (__builtin_mul_overflow(a, b, &product))
        return 0;
    int64_t q = product / PH_DECIMAL_ONE, r = product % PH_DECIMAL_ONE;
    int64_t half = PH_DECIMAL_ONE / 2, mag = r < 0 ? -r : r;
    if (mag > half || (mag == half && (q & 1) != 0))
        q += product < 0 ? -1 : 1;
    *out = q;
    return 1;
}

/* a / b rounded half-even when a * 1e8 fits 64 bits; 0 sends the caller to
 * the slow path (which also reports division by zero). */
static inline int div_fast(int64_t a, int64_t b, int64_t *out)
{
    int64_t scaled;
    if (b == 0 || __builtin_mul_overflow(a, PH_DECIMAL_ONE, &scaled) ||
        (scaled == INT64_MIN && b == -1))
        return 0;
    int64_t q = scaled / b, r = scaled % b;
    uint64_t mag = r < 0 ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;
    uint64_t rest = (b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b) - mag;
    if (mag > rest || (mag == rest && (q & 1) != 0))
        q += (scaled < 0) != (b < 0) ? -1 : 1;
    *out = q;
    return 1;
}

/* Order of two non-null values of one kind. */
static inline int order(const ph_value *a, const ph_value *b)
{
    switch (a->kind) {
    case PH_VALUE_DECIMAL: return (a->as.decimal > b->as.decimal) - (a->as.decimal < b->as.decimal);
    case PH_VALUE_BOOL: return (a->as.boolean != 0) - (b->as.boolean != 0);
    case PH_VALUE_TEXT: {
        size_t n = a->as.text.len < b->as.text.len ? a->as.text.len : b->as.text.len;
        int c = n > 0 ? memcmp(a->as.text.ptr, b->as.text.ptr, n) : 0;
        if (c != 0)
            return c < 0 ? -1 : 1;
        return (a->as.text.len > b->as.text.len) - (a->as.text.len < b->as.text.len);
    }
    case PH_VALUE_NULL: break;
    }
    return 0;
}

static inline int compare_result(unsigned op, int c)
{
    switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* x in items: true on a match, else null if an item is null, else false. */
static ph_status eval_in(const ph_expr *e, const expr_insn *in, ph_value *x,
                         const ph_value *items, ph_error *err)
{
    if (x->kind == PH_VALUE_NULL)
        return PH_OK;
    int saw_null = 0;
    for (size_t i = 0; i < in->count; i++) {
        if (items[i].kind == PH_VALUE_NULL) {
            saw_null = 1;
            continue;
        }
        if (items[i].kind != x->kind)
            return compare_error(e, in, x->kind, items[i].kind, err);
        if (order(x, &items[i]) == 0) {
            *x = ph_value_bool(1);
            return PH_OK;
        }
    }
    *x = saw_null ? ph_value_null() : ph_value_bool(0);
    return PH_OK;
}

/* min, max, coalesce over n values at v[0..n), the result into v[0]. */
static ph_status eval_many(const ph_expr *e, const expr_insn *in, ph_value *v, ph_error *err)
{
    size_t n = in->count;
    if (in->op == OP_COALESCE) {
        for (size_t i = 0; i < n; i++) {
            if (v[i].kind != PH_VALUE_NULL) {
                v[0] = v[i];
                return PH_OK;
            }
        }
        return PH_OK; /* all null: v[0] is null */
    }
    ph_decimal best = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].kind == PH_VALUE_NULL) {
            v[0] = ph_value_null();
            return PH_OK;
        }
        if (v[i].kind != PH_VALUE_DECIMAL)
            return kind_error(e, in, PH_VALUE_DECIMAL, v[i].kind, err);
        ph_decimal d = v[i].as.decimal;
        if (i == 0 || (in->op == OP_MIN ? d < best : d > best))
            best = d;
    }
    v[0] = ph_value_decimal(best);
    return PH_OK;
}

/* Three-valued and/or: the value of `decisive` (false for and, true for
 * or) wins, then null, then the other. */
static ph_status eval_logic(const ph_expr *e, const expr_insn *in, ph_value *a,
                            const ph_value *b, ph_error *err)
{
    int decisive = in->op == OP_OR;
    if (a->kind != PH_VALUE_NULL && a->kind != PH_VALUE_BOOL)
        return kind_error(e, in, PH_VALUE_BOOL, a->kind, err);
    if (b->kind != PH_VALUE_NULL && b->kind != PH_VALUE_BOOL)
        return kind_error(e, in, PH_VALUE_BOOL, b->kind, err);
    if ((a->kind == PH_VALUE_BOOL && a->as.boolean == decisive) ||
        (b->kind == PH_VALUE_BOOL && b->as.boolean == decisive))
        *a = ph_value_bool(decisive);
    else if (a->kind == PH_VALUE_NULL || b->kind == PH_VALUE_NULL)
        *a = ph_value_null();
    else
        *a = ph_value_bool(!decisive);
    return PH_OK;
}

/* Unary decimal functions and round: x (and places) -> x. */
static ph_status eval_unary(const ph_expr *e, const expr_insn *in, ph_value *x,
                            const ph_value *places, ph_error *err)
{
    if (x->kind == PH_VALUE_NULL || (places != NULL && places->kind == PH_VALUE_NULL)) {
        *x = ph_value_null();
        return PH_OK;
    }
    if (x->kind != PH_VALUE_DECIMAL)
        return kind_error(e, in, PH_VALUE_DECIMAL, x->kind, err);
    ph_decimal d = x->as.decimal, result;
    int64_t digits = 0;
    if (places != NULL) {
        if (places->kind != PH_VALUE_DECIMAL)
            return kind_error(e, in, PH_VALUE_DECIMAL, places->kind, err);
        ph_decimal p = places->as.decimal;
        if (p < 0 || p > 8 * PH_DECIMAL_ONE || p % PH_DECIMAL_ONE != 0)
            return places_error(e, in, p, err);
        digits = p / PH_DECIMAL_ONE;
    }
    if (in->op == OP_ABS && d >= 0)
        return PH_OK;
    ph_status st = arith_slow(e, in, d, digits, &result, err);
    if (st != PH_OK)
        return st;
    x->as.decimal = result;
    return PH_OK;
}

ph_status ph_expr_eval(const ph_expr *e, const ph_value *slots, ph_value *out, ph_error *err)
{
    if (e == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_expr_eval: %s is NULL",
                            e == NULL ? "e" : "out");
    ph_value stack[PH_EXPR_STACK_MAX + 1];
    size_t sp = 0, pc = 0, n = e->code_len;
    ph_status st = PH_OK;
    while (pc < n) {
        const expr_insn *in = &e->code[pc++];
        switch ((expr_op)in->op) {
        case OP_CONST: stack[sp++] = e->consts[in->arg]; break;
        case OP_LOAD: {
            const ph_value *v = &slots[in->arg];
            if (v->kind != in->kind && v->kind != PH_VALUE_NULL && in->kind != PH_VALUE_NULL)
                return slot_error(e, in, v->kind, err);
            stack[sp++] = *v;
            break;
        }
        case OP_NEG:
        case OP_ABS:
        case OP_FLOOR:
        case OP_CEIL:
            st = eval_unary(e, in, TOP, NULL, err);
            break;
        case OP_ROUND:
        case OP_ROUND_EVEN:
            sp--;
            st = eval_unary(e, in, &stack[sp - 1], &stack[sp], err);
            break;
        case OP_NOT:
            if (TOP->kind == PH_VALUE_BOOL)
                TOP->as.boolean = !TOP->as.boolean;
            else if (TOP->kind != PH_VALUE_NULL)
                return kind_error(e, in, PH_VALUE_BOOL, TOP->kind, err);
            break;
        case OP_ADD:
        case OP_SUB:
        case OP_MUL:
        case OP_DIV: {
            ph_value *a = &stack[sp - 2], *b = &stack[sp - 1];
            sp--;
            if (a->kind != PH_VALUE_DECIMAL || b->kind != PH_VALUE_DECIMAL) {
                if (a->kind == PH_VALUE_NULL || b->kind == PH_VALUE_NULL) {
                    if (a->kind != PH_VALUE_NULL && a->kind != PH_VALUE_DECIMAL)
                        return kind_error(e, in, PH_VALUE_DECIMAL, a->kind, err);
                    if (b->kind != PH_VALUE_NULL && b->kind != PH_VALUE_DECIMAL)
                        return kind_error(e, in, PH_VALUE_DECIMAL, b->kind, err);
                    *a = ph_value_null();
                    break;
                }
                return kind_error(e, in, PH_VALUE_DECIMAL,
                                  a->kind != PH_VALUE_DECIMAL ? a->kind : b->kind, err);
            }
            ph_decimal x = a->as.decimal, y = b->as.decimal, r;
            int fast;
            switch (in->op) {
            case OP_ADD: fast = !__builtin_add_overflow(x, y, &r); break;
            case OP_SUB: fast = !__builtin_sub_overflow(x, y, &r); break;
            case OP_MUL: fast = mul_fast(x, y, &r); break;
            default: fast = div_fast(x, y, &r); break;
            }
            if (!fast && (st = arith_slow(e, in, x, y, &r, err)) != PH_OK)
                return st;
            a->as.decimal = r;
            break;
        }
        case OP_EQ:
        case OP_NE:
        case OP_LT:
        case OP_LE:
        case OP_GT:
        case OP_GE: {
            ph_value *a = &stack[sp - 2], *b = &stack[sp - 1];
            sp--;
            if (a->kind == PH_VALUE_NULL || b->kind == PH_VALUE_NULL) {
                *a = ph_value_null();
                break;
            }
            if (a->kind != b->kind)
                return compare_error(e, in, a->kind, b->kind, err);
            *a = ph_value_bool(compare_result(in->op, order(a, b)));
            break;
        }
        case OP_AND:
        case OP_OR:
            sp--;
            st = eval_logic(e, in, &stack[sp - 1], &stack[sp], err);
            break;
        case OP_JUMP_FALSE:
        case OP_JUMP_TRUE:
            if (TOP->kind == PH_VALUE_BOOL) {
                if (TOP->as.boolean == (in->op == OP_JUMP_TRUE))
                    pc = (size_t)in->arg;
            } else if (TOP->kind != PH_VALUE_NULL) {
                return kind_error(e, in, PH_VALUE_BOOL, TOP->kind, err);
            }
            break;
        case OP_JUMP_UNLESS:
            sp--;
            if (stack[sp].kind == PH_VALUE_BOOL) {
                if (!stack[sp].as.boolean)
                    pc = (size_t)in->arg;
            } else if (stack[sp].kind == PH_VALUE_NULL) {
                pc = (size_t)in->arg;
            } else {
                return kind_error(e, in, PH_VALUE_BOOL, stack[sp].kind, err);
            }
            break;
        case OP_JUMP: pc = (size_t)in->arg; break;
        case OP_IN:
            if (in->kind) { /* literal items in the constant pool */
                st = eval_in(e, in, TOP, &e->consts[in->arg], err);
            } else {
                sp -= in->count;
                st = eval_in(e, in, &stack[sp - 1], &stack[sp], err);
            }
            break;
        case OP_BETWEEN: {
            sp -= 2;
            ph_value *x = &stack[sp - 1], *lo = &stack[sp], *hi = &stack[sp + 1];
            if (x->kind == PH_VALUE_NULL || lo->kind == PH_VALUE_NULL || hi->kind == PH_VALUE_NULL) {
                *x = ph_value_null();
                break;
            }
            if (lo->kind != x->kind || hi->kind != x->kind)
                return compare_error(e, in, x->kind, lo->kind != x->kind ? lo->kind : hi->kind,
                                     err);
            *x = ph_value_bool(order(x, lo) >= 0 && order(x, hi) <= 0);
            break;
        }
        case OP_MIN:
        case OP_MAX:
        case OP_COALESCE:
            sp -= in->count - 1u;
            st = eval_many(e, in, &stack[sp - 1], err);
            break;
        case OP_IS_NULL: *TOP = ph_value_bool(TOP->kind == PH_VALUE_NULL); break;
        }
        if (st != PH_OK)
            return st;
    }
    *out = stack[0];
    return PH_OK;
}
